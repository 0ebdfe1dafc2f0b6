//! The walk over `word/document.xml`: paragraphs, runs, tables, text boxes, pictures and drawn
//! lines become [`Block`]s, with styles resolved and automatic numbers written out.

use std::collections::HashMap;

use roxmltree::Node;

use super::parts::{
    attr, child, format_number, is_red_hex, on_off, read_ppr, read_rpr, Numbering, Props, Rels,
    Styles,
};
use super::{Block, Cell, Inline, Media, Para, Row, Style, Table, Unseen};

/// Footnote and endnote texts by kind and `w:id` (see [`note_texts`]).
pub(super) type NoteTexts = HashMap<(NoteKind, String), String>;

/// Footnote or endnote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum NoteKind {
    /// `word/footnotes.xml`, at the foot of the page.
    Foot,
    /// `word/endnotes.xml`, at the end of the document.
    End,
}

/// What [`walk`] found: the blocks, the pictures, the notes referred to (in order) and what
/// was left out.
pub(super) struct Walked {
    pub(super) blocks: Vec<Block>,
    pub(super) media: Vec<Media>,
    pub(super) notes: Vec<String>,
    pub(super) unseen: Unseen,
}

/// Nesting limit: tables in tables in text boxes; real documents go two or three deep.
const MAX_DEPTH: usize = 32;

/// Walks the `w:body` element (none: an empty document).
pub(super) fn walk(
    body: Option<Node>,
    styles: &Styles,
    numbering: &Numbering,
    rels: &Rels,
    sizes: &HashMap<String, u64>,
    note_texts: &NoteTexts,
) -> Walked {
    let mut walker = Walker::new(styles, numbering, rels, sizes, note_texts);
    let blocks = match body {
        Some(b) => walker.blocks(b, 0),
        None => Vec::new(),
    };
    Walked {
        blocks,
        media: walker.media,
        notes: walker.notes,
        unseen: walker.unseen,
    }
}

/// The text of every footnote or endnote of a `footnotes.xml`/`endnotes.xml` root, by `w:id`:
/// its paragraphs (hidden text left out, automatic numbers written out) joined by `\n`.
/// Word's separators (`w:type` other than `normal`) are not notes.
pub(super) fn note_texts(
    root: Node,
    kind: NoteKind,
    styles: &Styles,
    numbering: &Numbering,
    out: &mut NoteTexts,
) -> Unseen {
    let (rels, sizes, none) = (Rels::default(), HashMap::new(), NoteTexts::new());
    let mut walker = Walker::new(styles, numbering, &rels, &sizes, &none);
    for n in root.children().filter(Node::is_element) {
        if !matches!(n.tag_name().name(), "footnote" | "endnote")
            || attr(n, "type").is_some_and(|t| t != "normal")
        {
            continue;
        }
        let Some(id) = attr(n, "id") else { continue };
        let mut paras = Vec::new();
        for b in walker.blocks(n, 1) {
            match b {
                Block::Para(p) => paras.push(p.text()),
                Block::Table(t) => paras.push(t.text()),
            }
        }
        let text = paras
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        out.insert((kind, id.to_string()), text);
    }
    walker.unseen
}

struct Walker<'a> {
    styles: &'a Styles,
    numbering: &'a Numbering,
    rels: &'a Rels,
    sizes: &'a HashMap<String, u64>,
    media: Vec<Media>,
    media_index: HashMap<String, usize>,
    counters: HashMap<String, [u32; 9]>,
    note_texts: &'a NoteTexts,
    notes: Vec<String>,
    note_index: HashMap<(NoteKind, String), usize>,
    unseen: Unseen,
    /// The complex fields open at this point (`w:fldChar` begin … end), innermost last.
    fields: Vec<Field>,
}

/// A complex field being read: its instruction, then its result (the text Word shows).
#[derive(Debug, Default)]
struct Field {
    instr: String,
    /// Past `separate`: runs are the field's result.
    result: bool,
    /// The web address of a `HYPERLINK` field.
    link: Option<String>,
}

impl<'a> Walker<'a> {
    fn new(
        styles: &'a Styles,
        numbering: &'a Numbering,
        rels: &'a Rels,
        sizes: &'a HashMap<String, u64>,
        note_texts: &'a NoteTexts,
    ) -> Walker<'a> {
        Walker {
            styles,
            numbering,
            rels,
            sizes,
            media: Vec::new(),
            media_index: HashMap::new(),
            counters: HashMap::new(),
            note_texts,
            notes: Vec::new(),
            note_index: HashMap::new(),
            unseen: Unseen::default(),
            fields: Vec::new(),
        }
    }

    /// A `w:fldChar`: a field begins, its result begins, or it ends.
    fn field_char(&mut self, kind: Option<&str>) {
        match kind {
            Some("begin") => self.fields.push(Field::default()),
            Some("separate") => {
                if let Some(f) = self.fields.last_mut() {
                    f.result = true;
                    f.link = hyperlink_field(&f.instr);
                }
            }
            Some("end") => {
                self.fields.pop();
            }
            _ => {}
        }
    }

    /// The link of the innermost `HYPERLINK` field whose result is being read.
    fn field_link(&self) -> Option<String> {
        self.fields
            .iter()
            .rev()
            .find(|f| f.result && f.link.is_some())
            .and_then(|f| f.link.clone())
    }

    /// A footnote or endnote reference: the index of its text in `notes` (added at the first
    /// reference). `None` for a note the file does not have.
    fn note(&mut self, kind: NoteKind, id: &str) -> Option<usize> {
        let key = (kind, id.to_string());
        if let Some(&i) = self.note_index.get(&key) {
            return Some(i);
        }
        let text = self.note_texts.get(&key)?;
        self.notes.push(text.clone());
        self.note_index.insert(key, self.notes.len() - 1);
        Some(self.notes.len() - 1)
    }

    fn blocks(&mut self, parent: Node, depth: usize) -> Vec<Block> {
        let mut out = Vec::new();
        if depth > MAX_DEPTH {
            return out;
        }
        for n in parent.children().filter(Node::is_element) {
            match n.tag_name().name() {
                "p" => self.paragraph(n, depth, &mut out),
                "tbl" => {
                    let t = self.table(n, depth);
                    out.push(Block::Table(t));
                }
                "sdt" => {
                    if let Some(c) = child(n, "sdtContent") {
                        out.extend(self.blocks(c, depth + 1));
                    }
                }
                // Tracked changes: what Word shows once every change is accepted.
                "ins" | "moveTo" => {
                    self.unseen.revisions += 1;
                    out.extend(self.blocks(n, depth + 1))
                }
                "del" | "moveFrom" => self.unseen.revisions += 1,
                "customXml" | "txbxContent" | "sdtContent" => out.extend(self.blocks(n, depth + 1)),
                "AlternateContent" => {
                    if let Some(c) = child(n, "Choice") {
                        out.extend(self.blocks(c, depth + 1));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn table(&mut self, tbl: Node, depth: usize) -> Table {
        let mut t = Table::default();
        for tr in tbl.children().filter(|c| c.tag_name().name() == "tr") {
            let tr_pr = child(tr, "trPr");
            let mut row = Row {
                header: tr_pr
                    .and_then(|p| child(p, "tblHeader"))
                    .is_some_and(on_off),
                ..Row::default()
            };
            // Grid columns a row leaves empty before its first cell or after its last.
            let grid = |name: &str| {
                tr_pr
                    .and_then(|p| child(p, name))
                    .and_then(|g| attr(g, "val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0)
                    .min(64)
            };
            let after = grid("gridAfter");
            row.cells.extend((0..grid("gridBefore")).map(|_| Cell {
                span: 1,
                ..Cell::default()
            }));
            for tc in tr.children().filter(|c| c.tag_name().name() == "tc") {
                let pr = child(tc, "tcPr");
                let span = pr
                    .and_then(|p| child(p, "gridSpan"))
                    .and_then(|g| attr(g, "val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let merged_above = pr
                    .and_then(|p| child(p, "vMerge"))
                    .is_some_and(|v| attr(v, "val").is_none_or(|x| x == "continue"));
                let mut paras = Vec::new();
                for b in self.blocks(tc, depth + 1) {
                    match b {
                        Block::Para(p) => paras.push(p),
                        Block::Table(inner) => paras.extend(
                            inner
                                .rows
                                .into_iter()
                                .flat_map(|r| r.cells.into_iter().flat_map(|c| c.paras)),
                        ),
                    }
                }
                row.cells.push(Cell {
                    paras,
                    span,
                    merged_above,
                });
            }
            row.cells.extend((0..after).map(|_| Cell {
                span: 1,
                ..Cell::default()
            }));
            t.rows.push(row);
        }
        t
    }

    fn paragraph(&mut self, p: Node, depth: usize, out: &mut Vec<Block>) {
        let ppr = child(p, "pPr");
        let style_id = ppr
            .and_then(|x| child(x, "pStyle"))
            .and_then(|s| attr(s, "val"));
        let mut direct = Props::default();
        let mut para = Para::default();
        if let Some(ppr) = ppr {
            read_ppr(ppr, &mut direct);
            for c in ppr.children().filter(Node::is_element) {
                match c.tag_name().name() {
                    "pBdr" => {
                        for b in c.children().filter(Node::is_element) {
                            let real = !matches!(attr(b, "val"), None | Some("nil" | "none"));
                            if !real {
                                continue;
                            }
                            match b.tag_name().name() {
                                "bottom" | "between" => para.rule_below = true,
                                "top" => para.rule_above = true,
                                _ => continue,
                            }
                            if attr(b, "color").is_some_and(is_red_hex) {
                                para.rule_red = true;
                            }
                        }
                    }
                    "pageBreakBefore" if on_off(c) => para.page_break = true,
                    // The paragraph mark's own run properties (colour of the ¶) do not colour text.
                    _ => {}
                }
            }
        }
        let props = direct.or(&self.styles.resolve(style_id));
        para.align = props.align.unwrap_or_default();
        para.indent_first = props.indent_first.unwrap_or(false);
        para.indent_left = props.indent_left.unwrap_or(0);
        para.outline = props.outline;
        if let Some((id, lvl)) = &props.num {
            para.number = self.next_number(id, *lvl);
        }
        let base = Style {
            bold: props.bold.unwrap_or(false),
            italic: props.italic.unwrap_or(false),
            red: props.red.unwrap_or(false),
            hidden: props.hidden.unwrap_or(false),
        };
        let mut boxes = Vec::new();
        self.inlines(p, base, None, &mut para, &mut boxes, depth);
        out.extend(boxes);
        out.push(Block::Para(para));
    }

    /// The text of an automatic number, counting as Word does (deeper levels restart).
    fn next_number(&mut self, id: &str, lvl: usize) -> Option<String> {
        let (abs, starts) = self.numbering.nums.get(id)?;
        let levels = self.numbering.abstracts.get(abs)?;
        let level = levels.get(lvl)?;
        if level.format == "none" || level.text.is_empty() && level.format != "bullet" {
            return None;
        }
        let start = |l: usize| {
            starts
                .get(&l)
                .copied()
                .unwrap_or_else(|| levels.get(l).map(|x| x.start).unwrap_or(1))
        };
        let counters = self.counters.entry(id.to_string()).or_insert([0; 9]);
        counters[lvl] = if counters[lvl] == 0 {
            start(lvl)
        } else {
            counters[lvl] + 1
        };
        for c in counters.iter_mut().skip(lvl + 1) {
            *c = 0;
        }
        if level.format == "bullet" {
            return None;
        }
        let mut text = level.text.clone();
        for (l, &count) in counters.iter().enumerate().take(lvl + 1) {
            let value = if count == 0 { start(l) } else { count };
            let fmt = levels
                .get(l)
                .map(|x| x.format.as_str())
                .unwrap_or("decimal");
            text = text.replace(&format!("%{}", l + 1), &format_number(value, fmt));
        }
        Some(text)
    }

    fn inlines(
        &mut self,
        parent: Node,
        style: Style,
        link: Option<&str>,
        para: &mut Para,
        boxes: &mut Vec<Block>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for n in parent.children().filter(Node::is_element) {
            match n.tag_name().name() {
                "r" => self.run(n, style, link, para, boxes, depth),
                "hyperlink" => {
                    let url = attr(n, "id")
                        .and_then(|id| self.rels.targets.get(id))
                        .filter(|(_, ext)| *ext)
                        .and_then(|(u, _)| web_link(u));
                    self.inlines(n, style, url.as_deref().or(link), para, boxes, depth + 1);
                }
                // Tracked changes: what Word shows once every change is accepted.
                "ins" | "moveTo" => {
                    self.unseen.revisions += 1;
                    self.inlines(n, style, link, para, boxes, depth + 1)
                }
                "del" | "moveFrom" => self.unseen.revisions += 1,
                "smartTag" | "customXml" | "fldSimple" | "sdtContent" | "bdo" | "dir" => {
                    self.inlines(n, style, link, para, boxes, depth + 1)
                }
                "sdt" => {
                    if let Some(c) = child(n, "sdtContent") {
                        self.inlines(c, style, link, para, boxes, depth + 1);
                    }
                }
                // Phonetic guides: the text itself, not the guide above it.
                "ruby" => {
                    if let Some(c) = child(n, "rubyBase") {
                        self.inlines(c, style, link, para, boxes, depth + 1);
                    }
                }
                // An equation (Office Math), written out as a line of text.
                "oMath" | "oMathPara" => {
                    let text = math_text(n, 0, &mut self.unseen.hidden_chars);
                    if !text.trim().is_empty() {
                        self.unseen.formulas += 1;
                        push_text(para, &text, style, link);
                    }
                }
                "AlternateContent" => {
                    if let Some(c) = child(n, "Choice") {
                        self.inlines(c, style, link, para, boxes, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(
        &mut self,
        r: Node,
        base: Style,
        link: Option<&str>,
        para: &mut Para,
        boxes: &mut Vec<Block>,
        depth: usize,
    ) {
        let mut props = Props::default();
        if let Some(rpr) = child(r, "rPr") {
            read_rpr(rpr, &mut props);
            if let Some(rs) = child(rpr, "rStyle").and_then(|s| attr(s, "val")) {
                if let Some(sp) = self.styles.by_id.get(rs) {
                    props = props.or(sp);
                }
            }
        }
        let style = Style {
            bold: props.bold.unwrap_or(base.bold),
            italic: props.italic.unwrap_or(base.italic),
            red: props.red.unwrap_or(base.red),
            hidden: props.hidden.unwrap_or(base.hidden),
        };
        // Hidden text is neither shown nor printed: a drafter's note to colleagues, never
        // something to publish. It is counted so that the editor is told.
        if style.hidden {
            for c in r.children().filter(Node::is_element) {
                match c.tag_name().name() {
                    "t" => {
                        let text = c.text().unwrap_or("");
                        self.unseen.hidden_chars +=
                            text.chars().filter(|c| !c.is_whitespace()).count();
                    }
                    // Fields still open and close in hidden runs.
                    "fldChar" => self.field_char(attr(c, "fldCharType")),
                    _ => {}
                }
            }
            return;
        }
        for c in r.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "footnoteReference" | "endnoteReference" => {
                    let kind = if c.tag_name().name() == "footnoteReference" {
                        NoteKind::Foot
                    } else {
                        NoteKind::End
                    };
                    if let Some(n) = attr(c, "id").and_then(|id| self.note(kind, id)) {
                        para.inlines.push(Inline::Note(n));
                    }
                }
                "t" => {
                    let field_link = self.field_link();
                    let text = c.text().unwrap_or("");
                    let text = match props.raised.flatten() {
                        Some(up) => crate::import::patterns::raised(text, up),
                        None => text.to_string(),
                    };
                    push_text(para, &text, style, field_link.as_deref().or(link))
                }
                "fldChar" => self.field_char(attr(c, "fldCharType")),
                "instrText" => {
                    if let Some(f) = self.fields.last_mut().filter(|f| !f.result) {
                        f.instr.push_str(c.text().unwrap_or(""));
                    }
                }
                "tab" | "ptab" => push_text(para, "\t", style, link),
                "noBreakHyphen" => push_text(para, "-", style, link),
                // A character picked from a symbol font (Insert → Symbol): a form's check box.
                "sym" => match symbol_char(attr(c, "font").unwrap_or(""), attr(c, "char")) {
                    Some(ch) => push_text(para, ch.encode_utf8(&mut [0; 4]), style, link),
                    None => self.unseen.symbols += 1,
                },
                "br" | "cr" => {
                    if matches!(attr(c, "type"), Some("page" | "column")) {
                        para.page_break = true;
                    } else {
                        para.inlines.push(Inline::Break);
                    }
                }
                "drawing" | "pict" | "object" => self.drawing(c, para, boxes, depth),
                "AlternateContent" => {
                    if let Some(ch) = child(c, "Choice") {
                        for d in ch.children().filter(Node::is_element) {
                            if matches!(d.tag_name().name(), "drawing" | "pict") {
                                self.drawing(d, para, boxes, depth);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A picture, a text box (its paragraphs become blocks of their own) or a drawn line.
    fn drawing(&mut self, d: Node, para: &mut Para, boxes: &mut Vec<Block>, depth: usize) {
        let mut alt = String::new();
        let mut line = false;
        for n in d.descendants().filter(Node::is_element) {
            match n.tag_name().name() {
                "docPr" => alt = attr(n, "descr").unwrap_or("").trim().to_string(),
                "prstGeom" if matches!(attr(n, "prst"), Some(p) if p == "line" || p.contains("Connector")) => {
                    line = true
                }
                "line" => line = true,
                "srgbClr" if line && attr(n, "val").is_some_and(is_red_hex) => para.rule_red = true,
                "txbxContent" => {
                    boxes.extend(self.blocks(n, depth + 1));
                }
                "blip" | "imagedata" => {
                    let id = attr(n, "embed").or_else(|| attr(n, "id"));
                    if let Some((part, false)) = id.and_then(|i| self.rels.targets.get(i)) {
                        let idx = match self.media_index.get(part) {
                            Some(i) => *i,
                            None => {
                                self.media.push(Media {
                                    part: part.clone(),
                                    size: self.sizes.get(part).copied().unwrap_or(0),
                                    alt: alt.clone(),
                                });
                                self.media_index.insert(part.clone(), self.media.len() - 1);
                                self.media.len() - 1
                            }
                        };
                        para.inlines.push(Inline::Image(idx));
                    }
                }
                _ => {}
            }
        }
        if line {
            para.rule_below = true;
        }
    }
}

fn push_text(para: &mut Para, text: &str, style: Style, link: Option<&str>) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text {
        text: t,
        style: s,
        link: l,
    }) = para.inlines.last_mut()
    {
        if *s == style && l.as_deref() == link {
            t.push_str(text);
            return;
        }
    }
    para.inlines.push(Inline::Text {
        text: text.to_string(),
        style,
        link: link.map(str::to_string),
    });
}

/// An Office Math equation as one line of text: fractions as `a/b`, powers as `x²` or
/// `x^(n+1)`, indices as `x₁` or `x_(ij)`, roots as `√(…)`, sums and integrals with their
/// limits, delimiters as written. Enough to read and check it; the editor is told to.
/// Hidden runs (`w:vanish`) are left out and their characters counted in `hidden`.
fn math_text(n: Node, depth: usize, hidden: &mut usize) -> String {
    if depth > MAX_DEPTH {
        return String::new();
    }
    if n.tag_name().name() == "r"
        && n.children()
            .filter(|c| c.tag_name().name() == "rPr")
            .any(|p| child(p, "vanish").is_some_and(on_off))
    {
        *hidden += n
            .descendants()
            .filter(|d| d.tag_name().name() == "t")
            .filter_map(|d| d.text())
            .flat_map(str::chars)
            .filter(|c| !c.is_whitespace())
            .count();
        return String::new();
    }
    let part = |name: &str, hidden: &mut usize| {
        child(n, name)
            .map(|c| math_text(c, depth + 1, hidden))
            .unwrap_or_default()
    };
    // A single character or number stands alone; anything longer is bracketed.
    let group = |s: String| {
        if s.chars().count() <= 1 || s.chars().all(|c| c.is_ascii_digit()) {
            s
        } else {
            format!("({s})")
        }
    };
    let script = |s: String, digits: &[char; 10], mark: char| {
        if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
            s.chars()
                .map(|c| digits[c as usize - '0' as usize])
                .collect()
        } else if s.is_empty() {
            s
        } else {
            format!("{mark}{}", group(s))
        }
    };
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    const SUB: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    let chr = |pr: &str, default: &str| {
        child(n, pr)
            .and_then(|p| child(p, "chr"))
            .and_then(|c| attr(c, "val"))
            .unwrap_or(default)
            .to_string()
    };
    match n.tag_name().name() {
        "t" => n.text().unwrap_or("").to_string(),
        "f" => format!(
            "{}/{}",
            group(part("num", hidden)),
            group(part("den", hidden))
        ),
        "sSup" => part("e", hidden) + &script(part("sup", hidden), &SUP, '^'),
        "sSub" => part("e", hidden) + &script(part("sub", hidden), &SUB, '_'),
        "sSubSup" => {
            part("e", hidden)
                + &script(part("sub", hidden), &SUB, '_')
                + &script(part("sup", hidden), &SUP, '^')
        }
        "sPre" => {
            script(part("sub", hidden), &SUB, '_')
                + &script(part("sup", hidden), &SUP, '^')
                + &part("e", hidden)
        }
        "rad" => {
            let degree = part("deg", hidden);
            format!("{}√{}", script(degree, &SUP, '^'), group(part("e", hidden)))
        }
        "nary" => {
            chr("naryPr", "∫")
                + &script(part("sub", hidden), &SUB, '_')
                + &script(part("sup", hidden), &SUP, '^')
                + &part("e", hidden)
        }
        "d" => {
            let pr = child(n, "dPr");
            let val = |name: &str, default: &'static str| {
                pr.and_then(|p| child(p, name))
                    .map(|c| attr(c, "val").unwrap_or("").to_string())
                    .unwrap_or_else(|| default.to_string())
            };
            let parts: Vec<String> = n
                .children()
                .filter(|c| c.tag_name().name() == "e")
                .map(|c| math_text(c, depth + 1, hidden))
                .collect();
            format!(
                "{}{}{}",
                val("begChr", "("),
                parts.join(&val("sepChr", "|")),
                val("endChr", ")")
            )
        }
        "func" => format!("{} {}", part("fName", hidden), part("e", hidden)),
        "eqArr" | "m" | "mr" | "oMathPara" => n
            .children()
            .filter(|c| c.is_element() && !c.tag_name().name().ends_with("Pr"))
            .map(|c| math_text(c, depth + 1, hidden))
            .filter(|t| !t.trim().is_empty())
            .collect::<Vec<_>>()
            .join("；"),
        name if name.ends_with("Pr") => String::new(),
        _ => n
            .children()
            .filter(Node::is_element)
            .map(|c| math_text(c, depth + 1, hidden))
            .collect(),
    }
}

/// The web address of a `HYPERLINK "url"` field instruction (`\l` anchors and local files are
/// not links on the web).
fn hyperlink_field(instr: &str) -> Option<String> {
    let mut tokens = Vec::new();
    let mut rest = instr.trim();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            tokens.push((true, &quoted[..end]));
            rest = quoted.get(end + 1..).unwrap_or("").trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            tokens.push((false, &rest[..end]));
            rest = rest[end..].trim_start();
        }
    }
    let mut it = tokens.into_iter();
    if !it
        .next()
        .is_some_and(|(q, t)| !q && t.eq_ignore_ascii_case("HYPERLINK"))
    {
        return None;
    }
    while let Some((quoted, t)) = it.next() {
        if !quoted && t.starts_with('\\') {
            // `\l "anchor"`, `\o "tooltip"`, `\t "frame"` take an argument; `\m`, `\n` none.
            if matches!(t, "\\l" | "\\o" | "\\t") {
                it.next();
            }
            continue;
        }
        return web_link(t);
    }
    None
}

/// `url` if a visitor's browser can open it (http, https, mailto); `www.…` gets `http://`. A
/// link to a file on the drafter's computer or the office network is not one.
fn web_link(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
        && url.len() > 8
    {
        Some(url.to_string())
    } else if lower.starts_with("www.") {
        Some(format!("http://{url}"))
    } else {
        None
    }
}

/// The Unicode character a `w:sym` shows: `char` is a hex code, in the font's own encoding for
/// the symbol fonts (Word adds 0xF000), Unicode for any other font. `None` for a symbol-font
/// character without a known Unicode equivalent (the editor is told). The symbol fonts' codes
/// follow their Unicode 7.0 equivalents, or the nearest common character where a browser's
/// fonts rarely have that one (🗹 → ☑).
pub(super) fn symbol_char(font: &str, code: Option<&str>) -> Option<char> {
    let code = u32::from_str_radix(code?.trim(), 16).ok()?;
    let font = font.trim().to_ascii_lowercase();
    let low = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else {
        code
    };
    match font.as_str() {
        // Adobe Symbol encoding: Greek letters and the usual mathematical signs.
        "symbol" => match low {
            0x41..=0x5A | 0x61..=0x7A => {
                const GREEK: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖαβχδεφγηιϕκλμνοπθρστυϖωξψζ";
                let i = if low >= 0x61 {
                    low - 0x61 + 26
                } else {
                    low - 0x41
                };
                GREEK.chars().nth(i as usize)
            }
            0xA3 => Some('≤'),
            0xB3 => Some('≥'),
            0xB1 => Some('±'),
            0xB4 => Some('×'),
            0xB8 => Some('÷'),
            0xB0 => Some('°'),
            0xB7 => Some('•'),
            0xAC => Some('←'),
            0xAE => Some('→'),
            0xAD => Some('↑'),
            0xAF => Some('↓'),
            0xB9 => Some('≠'),
            0xBB => Some('≈'),
            0xA5 => Some('∞'),
            0xD6 => Some('√'),
            0xE5 => Some('∑'),
            0x2D => Some('−'),
            0x22 => Some('∀'),
            0x24 => Some('∃'),
            0x27 => Some('∋'),
            0x2A => Some('∗'),
            0x40 => Some('≅'),
            0x20..=0x3F => char::from_u32(low),
            _ => None,
        },
        "wingdings" => match low {
            0x6C => Some('●'),
            0x6E => Some('■'),
            0x6F | 0xA8 => Some('□'),
            0x71 => Some('❑'),
            0x75 => Some('◆'),
            0x76 => Some('❖'),
            0x9E => Some('∙'),
            0x9F => Some('•'),
            0xA7 => Some('▪'),
            0xA1 => Some('○'),
            0xFB => Some('✗'),
            0xFC => Some('✓'),
            0xFD => Some('☒'),
            0xFE => Some('☑'),
            _ => None,
        },
        "wingdings 2" => match low {
            0x50 => Some('✓'),
            0x51 | 0x4F => Some('✗'),
            0x52 => Some('☑'),
            0x53 | 0x54 => Some('☒'),
            0xA3 => Some('□'),
            0xA2 => Some('■'),
            0x98 => Some('●'),
            0x99 => Some('○'),
            _ => None,
        },
        // Any other font: the code is the character itself.
        _ if !font.starts_with("wingdings") && !font.starts_with("webdings") => {
            char::from_u32(code)
                .filter(|c| !c.is_control() && !('\u{E000}'..='\u{F8FF}').contains(c))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{hyperlink_field, math_text, symbol_char, web_link};

    fn math(inner: &str) -> String {
        let xml = format!(
            "<m:oMath xmlns:m=\"http://schemas.openxmlformats.org/officeDocument/2006/math\">{inner}</m:oMath>"
        );
        let doc = roxmltree::Document::parse(&xml).unwrap();
        math_text(doc.root_element(), 0, &mut 0)
    }

    fn r(t: &str) -> String {
        format!("<m:r><m:t>{t}</m:t></m:r>")
    }

    #[test]
    fn equations_are_written_out() {
        let frac = format!(
            "<m:f><m:num>{}</m:num><m:den>{}</m:den></m:f>",
            r("a+b"),
            r("2")
        );
        let square = format!(
            "<m:sSup><m:e>{}</m:e><m:sup>{}</m:sup></m:sSup>",
            r("x"),
            r("2")
        );
        let root = format!(
            "<m:rad><m:radPr><m:degHide m:val=\"1\"/></m:radPr><m:deg/><m:e>{}</m:e></m:rad>",
            r("y")
        );
        assert_eq!(
            math(&format!("{frac}{}{square}{}{root}", r("="), r("+"))),
            "(a+b)/2=x²+√y"
        );
        let sum = format!(
            "<m:nary><m:naryPr><m:chr m:val=\"∑\"/></m:naryPr><m:sub>{}</m:sub><m:sup>{}</m:sup><m:e><m:sSub><m:e>{}</m:e><m:sub>{}</m:sub></m:sSub></m:e></m:nary>",
            r("i=1"),
            r("n"),
            r("x"),
            r("i")
        );
        assert_eq!(math(&sum), "∑_(i=1)^nx_i");
        let delimited = format!(
            "<m:d><m:dPr><m:begChr m:val=\"[\"/><m:endChr m:val=\"]\"/></m:dPr><m:e>{}</m:e><m:e>{}</m:e></m:d>",
            r("0"),
            r("1")
        );
        assert_eq!(math(&delimited), "[0|1]");
        assert_eq!(
            math(&format!(
                "<m:sSub><m:e>{}</m:e><m:sub>{}</m:sub></m:sSub>",
                r("P"),
                r("10")
            )),
            "P₁₀"
        );
        assert_eq!(math(""), "");
    }

    #[test]
    fn hyperlink_fields_and_web_links() {
        assert_eq!(
            hyperlink_field(" HYPERLINK \"https://www.gov.cn/zhengce/\" ").as_deref(),
            Some("https://www.gov.cn/zhengce/")
        );
        assert_eq!(
            hyperlink_field("HYPERLINK \\o \"提示\" \"http://a.gov.cn/x?y=1\"").as_deref(),
            Some("http://a.gov.cn/x?y=1")
        );
        assert_eq!(
            hyperlink_field("hyperlink www.gov.cn").as_deref(),
            Some("http://www.gov.cn")
        );
        assert_eq!(hyperlink_field("HYPERLINK \\l \"_Toc1234\""), None);
        assert_eq!(
            hyperlink_field("HYPERLINK \"C:\\\\内部\\\\草稿.docx\""),
            None
        );
        assert_eq!(hyperlink_field("PAGE"), None);
        assert_eq!(hyperlink_field("HYPERLINK \"unterminated"), None);
        assert_eq!(hyperlink_field(""), None);
        assert_eq!(web_link("file:///C:/x.docx"), None);
        assert_eq!(
            web_link("MAILTO:x@a.gov.cn").as_deref(),
            Some("MAILTO:x@a.gov.cn")
        );
        assert_eq!(web_link("https://"), None);
    }

    #[test]
    fn symbol_font_characters_become_unicode() {
        let c = |font: &str, code: &str| symbol_char(font, Some(code));
        // The check boxes of a form, as Word's Insert → Symbol writes them.
        assert_eq!(c("Wingdings 2", "F052"), Some('☑'));
        assert_eq!(c("Wingdings 2", "F0A3"), Some('□'));
        assert_eq!(c("Wingdings 2", "F054"), Some('☒'));
        assert_eq!(c("Wingdings", "F0FE"), Some('☑'));
        assert_eq!(c("Wingdings", "F0A8"), Some('□'));
        assert_eq!(c("Wingdings", "00FC"), Some('✓'));
        assert_eq!(c("Symbol", "F0B4"), Some('×'));
        assert_eq!(c("Symbol", "F061"), Some('α'));
        assert_eq!(c("Symbol", "F057"), Some('Ω'));
        assert_eq!(c("Symbol", "F0A3"), Some('≤'));
        assert_eq!(c("Symbol", "F022"), Some('∀'));
        assert_eq!(c("Symbol", "F031"), Some('1'));
        // Any other font: the code is Unicode.
        assert_eq!(c("宋体", "2611"), Some('☑'));
        assert_eq!(c("Times New Roman", "00B0"), Some('°'));
        // Unknown symbols, private-use and control codes, bad codes: not guessed.
        assert_eq!(c("Wingdings", "F021"), None);
        assert_eq!(c("Webdings", "F061"), None);
        assert_eq!(c("宋体", "F052"), None);
        assert_eq!(c("宋体", "0007"), None);
        assert_eq!(c("Symbol", "zz"), None);
        assert_eq!(symbol_char("Symbol", None), None);
    }
}
