//! Reads a `.docx` (Office Open XML, as Word and WPS save it) into paragraphs and tables, with
//! the layout facts a 公文 is recognised by: alignment, first-line indent, red text, rules
//! (paragraph borders and drawn lines), bold and italic, page breaks, and Word's automatic
//! numbering turned back into text (`一、`, `（一）`).
//!
//! A `.docx` is a zip of XML parts. Only the parts needed are read (the main document, its
//! relationships, styles and numbering), each after checking its declared size and while
//! reading its actual size, so a hostile or huge file cannot exhaust memory. Images are listed
//! with their size and never decoded: the importer copies them later by streaming.
//!
//! [`parts`] reads the parts that shape the text (relationships, styles, numbering); [`walk`]
//! turns the document's XML tree into blocks.
//!
//! Why not `docx-rs`: its reader takes the whole file as one buffer, decodes images, and has
//! panicked on odd input; the few parts a 公文 needs are simpler to read with `zip` and the
//! `roxmltree` tree (README, "Dependencies").

use std::collections::HashMap;
use std::io::{Read, Seek};

use roxmltree::Node;

mod parts;
mod walk;

pub use parts::chinese_number;
use parts::{attr, Numbering, Rels, Styles};
use walk::NoteKind;

/// Largest XML part read (uncompressed). Real 公文 are well under 1 MB of XML.
pub const MAX_PART: u64 = 64 << 20;

/// Paragraph alignment (`w:jc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Left or start (the default).
    #[default]
    Left,
    /// Centered: titles, 版头, 文号.
    Center,
    /// Right or end: 署名, 成文日期, the 文号 of a 函.
    Right,
    /// Justified (`both`, `distribute`): body text.
    Justify,
}

/// Character formatting that survives into Markdown, plus red (the 版头 colour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Red text (发文机关标志).
    pub red: bool,
    /// Hidden text (`w:vanish`): never imported.
    pub hidden: bool,
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text with one style; `link` is a hyperlink's target.
    Text {
        /// The characters (tabs kept as `\t`).
        text: String,
        /// Formatting.
        style: Style,
        /// External hyperlink target.
        link: Option<String>,
    },
    /// A hard line break (`w:br`, `w:cr`).
    Break,
    /// An embedded picture: index into [`Docx::media`].
    Image(usize),
    /// A footnote or endnote reference: index into [`Docx::notes`].
    Note(usize),
}

/// One paragraph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    /// Content in order.
    pub inlines: Vec<Inline>,
    /// Alignment.
    pub align: Align,
    /// A first-line indent (the 正文's 首行缩进两字).
    pub indent_first: bool,
    /// Left indent in twentieths of a point (a right-placed 署名 sometimes uses it).
    pub indent_left: i32,
    /// A rule under the paragraph (bottom border) or a drawn line in it: the 版头's red line, the
    /// 版记's lines.
    pub rule_below: bool,
    /// A rule above the paragraph (top border).
    pub rule_above: bool,
    /// The rule is red.
    pub rule_red: bool,
    /// Starts a new page (page break before or inside it).
    pub page_break: bool,
    /// Outline level of its style (Word's 标题 1 = 0).
    pub outline: Option<u8>,
    /// Text of the automatic number Word draws before it, e.g. `一、`.
    pub number: Option<String>,
}

impl Para {
    /// The text, breaks as `\n`, the automatic number first.
    pub fn text(&self) -> String {
        let mut s = self.number.clone().unwrap_or_default();
        for i in &self.inlines {
            match i {
                Inline::Text { text, .. } => s.push_str(text),
                Inline::Break => s.push('\n'),
                Inline::Image(_) | Inline::Note(_) => {}
            }
        }
        s
    }

    /// The text with every kind of white space removed: what the 公文 rules compare.
    pub fn compact(&self) -> String {
        self.text().chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// True if the paragraph holds no visible text and no picture.
    pub fn is_empty(&self) -> bool {
        self.inlines.iter().all(|i| match i {
            Inline::Text { text, .. } => text.trim().is_empty(),
            Inline::Break | Inline::Note(_) => true,
            Inline::Image(_) => false,
        }) && self.number.is_none()
    }

    /// True if it has text and all of it is red.
    pub fn is_red(&self) -> bool {
        let mut any = false;
        for i in &self.inlines {
            if let Inline::Text { text, style, .. } = i {
                if !text.trim().is_empty() {
                    if !style.red {
                        return false;
                    }
                    any = true;
                }
            }
        }
        any
    }

    /// The pictures in it.
    pub fn images(&self) -> impl Iterator<Item = usize> + '_ {
        self.inlines.iter().filter_map(|i| match i {
            Inline::Image(m) => Some(*m),
            _ => None,
        })
    }

    /// The footnotes and endnotes it refers to, in order.
    pub fn notes(&self) -> impl Iterator<Item = usize> + '_ {
        self.inlines.iter().filter_map(|i| match i {
            Inline::Note(n) => Some(*n),
            _ => None,
        })
    }
}

/// One table cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Its paragraphs (nested tables flattened into their paragraphs).
    pub paras: Vec<Para>,
    /// Columns it spans (`w:gridSpan`).
    pub span: usize,
    /// It continues a vertical merge from the row above (shown empty).
    pub merged_above: bool,
}

impl Cell {
    /// The cell's text, paragraphs separated by `\n`.
    pub fn text(&self) -> String {
        self.paras
            .iter()
            .map(Para::text)
            .filter(|t| !t.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// One table row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Cells in order.
    pub cells: Vec<Cell>,
    /// Marked as a header row (`w:tblHeader`: repeats on every page).
    pub header: bool,
}

/// A table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Rows in order.
    pub rows: Vec<Row>,
}

impl Table {
    /// All the table's text, cells separated by `\n`.
    pub fn text(&self) -> String {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter().map(Cell::text))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// True if any text in it is red (a 版头 laid out as a table: joint issuers beside 文件).
    pub fn is_red(&self) -> bool {
        let paras: Vec<&Para> = self
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().flat_map(|c| c.paras.iter()))
            .filter(|p| !p.is_empty())
            .collect();
        !paras.is_empty() && paras.iter().all(|p| p.is_red())
    }
}

/// A block of the document body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Para(Para),
    /// A table.
    Table(Table),
}

/// An embedded file (picture) the document refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    /// Path of the part inside the zip (`word/media/image1.png`).
    pub part: String,
    /// Uncompressed size declared in the zip.
    pub size: u64,
    /// Its description (alt text) in the document, if any.
    pub alt: String,
}

/// The document as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docx {
    /// Body blocks in order (text boxes come before the paragraph that anchors them).
    pub blocks: Vec<Block>,
    /// Pictures referred to from the body.
    pub media: Vec<Media>,
    /// The text of each footnote and endnote the body refers to, in the order of the first
    /// reference (paragraphs separated by `\n`).
    pub notes: Vec<String>,
    /// What Word shows differently from the text imported (the importer tells the editor).
    pub unseen: Unseen,
    /// Parts that only add to the text (footnotes, endnotes, comments) but could not be read:
    /// the body is imported without them, and the editor is told.
    pub damaged: Vec<String>,
}

/// What the file holds that Word does not print as text, or that the editor should settle in
/// Word before publishing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unseen {
    /// Characters of hidden text (`w:vanish`), left out.
    pub hidden_chars: usize,
    /// Tracked changes still pending: deletions (left out) and insertions (kept), as if all
    /// were accepted.
    pub revisions: usize,
    /// Comments (批注), never imported.
    pub comments: usize,
    /// Characters of a symbol font (`w:sym`) with no Unicode equivalent, left out.
    pub symbols: usize,
    /// Equations (Office Math), written out as text.
    pub formulas: usize,
}

impl Unseen {
    /// Adds what another part of the file holds (the notes' parts, the body).
    fn add(&mut self, other: Unseen) {
        self.hidden_chars += other.hidden_chars;
        self.revisions += other.revisions;
        self.comments += other.comments;
        self.symbols += other.symbols;
        self.formulas += other.formulas;
    }
}

/// Why a `.docx` could not be read. Messages are completed with the file name by the caller.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DocxError {
    /// Not a zip archive, or a damaged one.
    #[error("不是有效的 .docx 文件：zip 结构损坏或文件不完整（可能下载、拷贝时中断）。请从 OA 系统重新导出，或用 Word/WPS 打开后另存为 .docx (not a valid zip: {0})")]
    Zip(String),
    /// A zip, but not a Word document.
    #[error("这是一个 zip 压缩文件，但不是 Word 文档（缺少 word/document.xml{0}）。请用 Word/WPS 另存为 .docx 后再导入 (a zip, but not a .docx)")]
    NotWord(String),
    /// A part is larger than [`MAX_PART`].
    #[error("文件内部的 {part} 有 {size} 字节，超过上限 {limit} 字节，无法安全读取。请在 Word 中删除多余内容后另存为新的 .docx (part too large)")]
    TooLarge {
        /// Part name.
        part: String,
        /// Its size (declared or found).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A part is encrypted inside the zip.
    #[error(
        "文件内部的 {0} 已加密，无法读取。请在 Word/WPS 中取消密码后另存为 .docx (encrypted part)"
    )]
    Encrypted(String),
    /// A part is not well-formed XML.
    #[error("文件内部的 {part} 不是有效的 XML（{detail}）。请用 Word/WPS 打开、修复后另存为 .docx (malformed XML)")]
    Xml {
        /// Part name.
        part: String,
        /// The parser's message with its position.
        detail: String,
    },
}

/// Opens the zip and reads the document.
pub fn read<R: Read + Seek>(reader: R) -> Result<Docx, DocxError> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| DocxError::Zip(e.to_string()))?;
    let main = main_part(&mut zip)?;
    let main_xml = part_text(&mut zip, &main)?.ok_or_else(|| {
        let odt = part_text(&mut zip, "mimetype").ok().flatten();
        DocxError::NotWord(match odt {
            Some(m) if m.contains("opendocument") => {
                "；它是 OpenDocument（.odt）文件，请另存为 .docx".into()
            }
            _ => String::new(),
        })
    })?;
    let dir = main.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let rels_path = format!(
        "{dir}/_rels/{}.rels",
        main.rsplit('/').next().unwrap_or(&main)
    );
    let rels = match part_text(&mut zip, &rels_path)? {
        Some(t) => Rels::parse(&t, dir, &rels_path)?,
        None => Rels::default(),
    };
    let styles = match rels.by_type("styles").map(str::to_string) {
        Some(p) => match part_text(&mut zip, &p)? {
            Some(t) => Styles::parse(&t, &p)?,
            None => Styles::default(),
        },
        None => Styles::default(),
    };
    let numbering = match rels.by_type("numbering").map(str::to_string) {
        Some(p) => match part_text(&mut zip, &p)? {
            Some(t) => Numbering::parse(&t, &p)?,
            None => Numbering::default(),
        },
        None => Numbering::default(),
    };
    let sizes: HashMap<String, u64> = (0..zip.len())
        .filter_map(|i| {
            let f = zip.by_index_raw(i).ok()?;
            Some((f.name().ok()?.into_owned(), f.size()))
        })
        .collect();
    let doc = parse_xml(&main_xml, &main)?;
    let body = doc
        .root_element()
        .children()
        .find(|n| n.tag_name().name() == "body");
    // Footnotes and endnotes: read first, placed where the body refers to them. A damaged one
    // of these parts (or of the comments) does not stop the import: the body is whole without it.
    let mut note_texts = walk::NoteTexts::new();
    let mut unseen = Unseen::default();
    let mut damaged = Vec::new();
    for (kind, rel) in [(NoteKind::Foot, "footnotes"), (NoteKind::End, "endnotes")] {
        let Some(p) = rels.by_type(rel).map(str::to_string) else {
            continue;
        };
        let read = part_text(&mut zip, &p).and_then(|t| {
            let Some(t) = t else { return Ok(()) };
            let notes = parse_xml(&t, &p)?;
            let u = walk::note_texts(
                notes.root_element(),
                kind,
                &styles,
                &numbering,
                &mut note_texts,
            );
            unseen.add(u);
            Ok(())
        });
        if read.is_err() {
            damaged.push(p);
        }
    }
    // Comments (批注) are never imported; the editor is told how many there were.
    if let Some(p) = rels.by_type("comments").map(str::to_string) {
        let count = part_text(&mut zip, &p).and_then(|t| match t {
            Some(t) => Ok(parse_xml(&t, &p)?
                .root_element()
                .children()
                .filter(|n| n.tag_name().name() == "comment")
                .count()),
            None => Ok(0),
        });
        match count {
            Ok(n) => unseen.comments = n,
            Err(_) => damaged.push(p),
        }
    }
    let w = walk::walk(body, &styles, &numbering, &rels, &sizes, &note_texts);
    unseen.add(w.unseen);
    Ok(Docx {
        blocks: w.blocks,
        media: w.media,
        notes: w.notes,
        unseen,
        damaged,
    })
}

/// The main document part named by `_rels/.rels` (normally `word/document.xml`).
fn main_part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<String, DocxError> {
    if let Some(t) = part_text(zip, "_rels/.rels")? {
        let doc = parse_xml(&t, "_rels/.rels")?;
        for r in doc.root_element().children().filter(Node::is_element) {
            if attr(r, "Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                if let Some(target) = attr(r, "Target") {
                    return Ok(target.trim_start_matches('/').to_string());
                }
            }
        }
    }
    Ok("word/document.xml".into())
}

/// Reads a part as text, or `None` if the zip has no such part. Checks the declared size first
/// and stops reading past the limit, so a zip bomb costs at most [`MAX_PART`] bytes.
pub fn part_text<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, DocxError> {
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
            return Err(DocxError::Encrypted(name.into()))
        }
        Err(e) => return Err(DocxError::Zip(e.to_string())),
    };
    if f.encrypted() {
        return Err(DocxError::Encrypted(name.into()));
    }
    if f.size() > MAX_PART {
        return Err(DocxError::TooLarge {
            part: name.into(),
            size: f.size(),
            limit: MAX_PART,
        });
    }
    let mut bytes = Vec::with_capacity(f.size() as usize);
    (&mut f)
        .take(MAX_PART + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DocxError::Zip(format!("{name}: {e}")))?;
    if bytes.len() as u64 > MAX_PART {
        return Err(DocxError::TooLarge {
            part: name.into(),
            size: bytes.len() as u64,
            limit: MAX_PART,
        });
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        // UTF-16 parts are legal XML; Word never writes them, other tools might.
        Err(e) => {
            let b = e.into_bytes();
            let (t, _, _) = encoding_rs::UTF_16LE.decode(&b);
            if b.starts_with(&[0xFF, 0xFE]) {
                t.into_owned()
            } else {
                String::from_utf8_lossy(&b).into_owned()
            }
        }
    };
    Ok(Some(text))
}

fn parse_xml<'a>(text: &'a str, part: &str) -> Result<roxmltree::Document<'a>, DocxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        },
    )
    .map_err(|e| DocxError::Xml {
        part: part.into(),
        detail: e.to_string(),
    })
}
