//! Writes Word files (.docx) laid out as GB/T 9704-2012 公文, for the import tests and the
//! import benchmark (`benches/import.rs` includes this file). Each layout is drawn the way Word
//! and WPS templates draw it: a red 发文机关标志 (a table for joint issuers beside 文件), the
//! 发文字号 centered under it, a red rule (a paragraph border), the title over several centered
//! lines (sometimes one paragraph with line breaks, sometimes centered by its style), the 主送
//! flush left, the 正文 with first-line indents in 仿宋, 一、 in 黑体, （一） in 楷体, optional
//! Word automatic numbering, tables, bold runs, hard line breaks, the 附件说明 with a hanging
//! indent, 署名 and 成文日期 right-aligned, the 附注, and the 版记 between two rules.

#![allow(dead_code)]

use std::io::Write;

/// How the 公文 is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 文件格式: red 版头, 文号 centered.
    File,
    /// 命令（令）格式: `…令`, `第N号`, the 公布 text; the rule follows the date.
    Order,
    /// 函 without 版头: the 文号 at the top right.
    Letter,
    /// No 版头 at all (a 方案, an 办法 printed without the 文件 page).
    Plain,
}

/// How the 成文日期 is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// 2022年6月9日
    Arabic,
    /// ２０２２年６月９日
    FullWidth,
    /// 二〇二二年六月九日
    Chinese,
}

/// A date as written in a 公文.
pub fn date_text(d: chrono::NaiveDate, style: DateStyle) -> String {
    use chrono::Datelike;
    let (y, m, day) = (d.year() as u32, d.month(), d.day());
    match style {
        DateStyle::Arabic => format!("{y}年{m}月{day}日"),
        DateStyle::FullWidth => format!("{y}年{m}月{day}日")
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
                _ => c,
            })
            .collect(),
        DateStyle::Chinese => {
            const D: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
            let year: String = y
                .to_string()
                .chars()
                .map(|c| D[c as usize - '0' as usize])
                .collect();
            let small = |n: u32| -> String {
                match n {
                    0..=9 => D[n as usize].to_string(),
                    10 => "十".into(),
                    11..=19 => format!("十{}", D[n as usize - 10]),
                    _ if n.is_multiple_of(10) => format!("{}十", D[n as usize / 10]),
                    _ => format!("{}十{}", D[n as usize / 10], D[n as usize % 10]),
                }
            };
            format!("{year}年{}月{}日", small(m), small(day))
        }
    }
}

/// A run of text.
#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub bold: bool,
}

impl Run {
    pub fn plain(t: &str) -> Run {
        Run {
            text: t.into(),
            bold: false,
        }
    }
}

/// Part of the 正文.
#[derive(Debug, Clone)]
pub enum Part {
    /// A paragraph. `heading`: 1 for 一、, 2 for （一）, 3 for 1., 4 for （1） (font only);
    /// `break_at`: a hard line break after this many characters; `number`: drawn by Word's
    /// automatic numbering (the text then lacks its `一、`); `centered`: a centered line.
    Para {
        runs: Vec<Run>,
        heading: Option<u8>,
        break_at: Option<usize>,
        number: bool,
        centered: bool,
    },
    /// A table; its first row is the header (marked to repeat on every page).
    Table(Vec<Vec<String>>),
    /// A picture of `size` bytes (stored, not compressed: a real photo does not compress).
    Image { size: usize, alt: String },
}

impl Part {
    pub fn text(t: &str) -> Part {
        Part::Para {
            runs: vec![Run::plain(t)],
            heading: None,
            break_at: None,
            number: false,
            centered: false,
        }
    }
}

/// A whole 公文.
#[derive(Debug, Clone)]
pub struct Gongwen {
    pub layout: Layout,
    /// 密级 mark above the 版头.
    pub secret: Option<String>,
    /// 发文机关标志 lines (without 文件 / 令).
    pub masthead: Vec<String>,
    /// Joint issuers drawn as a table with 文件 in the right cell.
    pub masthead_table: bool,
    /// 发文字号 (File, Letter) or the number line of a 令 (`〔2016〕第5号`).
    pub doc_no: Option<String>,
    /// Title lines.
    pub title: Vec<String>,
    /// The title as one paragraph with line breaks.
    pub title_one_paragraph: bool,
    /// The title centered by its paragraph style rather than directly.
    pub title_by_style: bool,
    pub recipients: Option<String>,
    pub body: Vec<Part>,
    /// 附件说明 entries (numbered when more than one).
    pub attachments: Vec<String>,
    /// 署名 lines; several names on one line are separated by wide spaces.
    pub signature: Vec<String>,
    pub date: String,
    pub note: Option<String>,
    /// After the 附注 (the document a 通知 印发s; for a 令, the 规章 after its title).
    pub after: Vec<Part>,
    /// A 令's 规章 title (centered, after the date) and its 题注.
    pub rule_title: Vec<String>,
    pub rule_note: Option<String>,
    /// 版记: 抄送, 印发机关, 印发日期.
    pub imprint: Option<(Option<String>, String, String)>,
}

impl Gongwen {
    pub fn new(layout: Layout) -> Gongwen {
        Gongwen {
            layout,
            secret: None,
            masthead: vec![],
            masthead_table: false,
            doc_no: None,
            title: vec![],
            title_one_paragraph: false,
            title_by_style: false,
            recipients: None,
            body: vec![],
            attachments: vec![],
            signature: vec![],
            date: String::new(),
            note: None,
            after: vec![],
            rule_title: vec![],
            rule_note: None,
            imprint: None,
        }
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Paragraph formatting.
#[derive(Default, Clone)]
struct Fmt {
    jc: Option<&'static str>,
    indent: bool,
    hanging: bool,
    style: Option<&'static str>,
    font: &'static str,
    size: u32,
    red: bool,
    bold: bool,
    rule_below_red: bool,
    rule_above: bool,
    rule_below: bool,
    num: Option<u32>,
    page_break: bool,
}

fn run_xml(text: &str, f: &Fmt, bold: bool) -> String {
    let mut rpr = format!(
        "<w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"{}\" w:hAnsi=\"Times New Roman\"/>",
        if f.font.is_empty() {
            "仿宋_GB2312"
        } else {
            f.font
        }
    );
    if bold || f.bold {
        rpr.push_str("<w:b/><w:bCs/>");
    }
    if f.red {
        rpr.push_str("<w:color w:val=\"E60012\"/>");
    }
    rpr.push_str(&format!(
        "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>",
        if f.size == 0 { 32 } else { f.size }
    ));
    // Word splits text into runs at every tab; tabs are elements of their own.
    let mut out = String::new();
    for (k, piece) in text.split('\t').enumerate() {
        if k > 0 {
            out.push_str(&format!("<w:r><w:rPr>{rpr}</w:rPr><w:tab/></w:r>"));
        }
        if !piece.is_empty() {
            out.push_str(&format!(
                "<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                esc(piece)
            ));
        }
    }
    out
}

fn para_xml(runs: &[(String, bool)], f: &Fmt, breaks: &[usize]) -> String {
    let mut ppr = String::new();
    if let Some(s) = f.style {
        ppr.push_str(&format!("<w:pStyle w:val=\"{s}\"/>"));
    }
    if f.page_break {
        ppr.push_str("<w:pageBreakBefore/>");
    }
    if let Some(n) = f.num {
        ppr.push_str(&format!(
            "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"{n}\"/></w:numPr>"
        ));
    }
    if f.rule_below_red || f.rule_above || f.rule_below {
        ppr.push_str("<w:pBdr>");
        if f.rule_above {
            ppr.push_str("<w:top w:val=\"single\" w:sz=\"8\" w:space=\"1\" w:color=\"000000\"/>");
        }
        if f.rule_below_red {
            ppr.push_str(
                "<w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"1\" w:color=\"FF0000\"/>",
            );
        } else if f.rule_below {
            ppr.push_str(
                "<w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"1\" w:color=\"000000\"/>",
            );
        }
        ppr.push_str("</w:pBdr>");
    }
    ppr.push_str("<w:spacing w:line=\"560\" w:lineRule=\"exact\"/>");
    if f.indent {
        ppr.push_str("<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>");
    } else if f.hanging {
        ppr.push_str("<w:ind w:left=\"1600\" w:hangingChars=\"500\" w:hanging=\"1600\"/>");
    }
    if let Some(j) = f.jc {
        ppr.push_str(&format!("<w:jc w:val=\"{j}\"/>"));
    }
    let mut body = String::new();
    let mut pos = 0usize;
    for (text, bold) in runs {
        let chars: Vec<char> = text.chars().collect();
        let mut start = 0;
        for &b in breaks {
            if b > pos && b < pos + chars.len() {
                let cut = b - pos;
                body.push_str(&run_xml(
                    &chars[start..cut].iter().collect::<String>(),
                    f,
                    *bold,
                ));
                body.push_str("<w:r><w:br/></w:r>");
                start = cut;
            }
        }
        body.push_str(&run_xml(
            &chars[start..].iter().collect::<String>(),
            f,
            *bold,
        ));
        pos += chars.len();
    }
    format!("<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>")
}

fn p(text: &str, f: &Fmt) -> String {
    para_xml(&[(text.to_string(), false)], f, &[])
}

fn empty() -> String {
    "<w:p><w:pPr><w:spacing w:line=\"560\" w:lineRule=\"exact\"/></w:pPr></w:p>".into()
}

fn cell(text: &str, f: &Fmt, extra: &str) -> String {
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/>{extra}</w:tcPr>{}</w:tc>",
        p(text, f)
    )
}

fn table_xml(rows: &[Vec<String>]) -> String {
    let mut t = String::from(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/><w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders></w:tblPr><w:tblGrid>",
    );
    let width = rows.iter().map(Vec::len).max().unwrap_or(1);
    for _ in 0..width {
        t.push_str("<w:gridCol w:w=\"2000\"/>");
    }
    t.push_str("</w:tblGrid>");
    for (k, r) in rows.iter().enumerate() {
        t.push_str("<w:tr>");
        if k == 0 {
            t.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        let f = Fmt {
            jc: Some("center"),
            bold: k == 0,
            size: 24,
            font: if k == 0 { "黑体" } else { "仿宋_GB2312" },
            ..Fmt::default()
        };
        for c in r {
            t.push_str(&cell(c, &f, ""));
        }
        t.push_str("</w:tr>");
    }
    t.push_str("</w:tbl>");
    t
}

/// Everything the body of a document XML holds, plus the pictures to store.
struct Doc {
    xml: String,
    images: Vec<(String, usize, String)>,
}

impl Doc {
    fn part(&mut self, part: &Part) {
        match part {
            Part::Para {
                runs,
                heading,
                break_at,
                number,
                centered,
            } => {
                let f = Fmt {
                    jc: Some(if *centered { "center" } else { "both" }),
                    indent: !*centered,
                    font: match heading {
                        Some(1) => "黑体",
                        Some(2) => "楷体_GB2312",
                        _ if *centered => "方正小标宋简体",
                        _ => "仿宋_GB2312",
                    },
                    bold: *heading == Some(3),
                    num: number.then_some(1),
                    ..Fmt::default()
                };
                let runs: Vec<(String, bool)> =
                    runs.iter().map(|r| (r.text.clone(), r.bold)).collect();
                let breaks: Vec<usize> = break_at.iter().copied().collect();
                self.xml.push_str(&para_xml(&runs, &f, &breaks));
            }
            Part::Table(rows) => self.xml.push_str(&table_xml(rows)),
            Part::Image { size, alt } => {
                let n = self.images.len() + 1;
                let rid = format!("rIdImg{n}");
                self.images
                    .push((format!("media/image{n}.png"), *size, rid.clone()));
                self.xml.push_str(&format!(
                    "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"5274310\" cy=\"3956050\"/><wp:docPr id=\"{n}\" name=\"图片 {n}\" descr=\"{}\"/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:nvPicPr><pic:cNvPr id=\"0\" name=\"image{n}.png\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"5274310\" cy=\"3956050\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
                    esc(alt)
                ));
            }
        }
    }
}

impl Gongwen {
    fn document_xml(&self) -> Doc {
        let mut d = Doc {
            xml: String::new(),
            images: vec![],
        };
        let x = &mut d.xml;
        let left = Fmt {
            font: "黑体",
            ..Fmt::default()
        };
        if let Some(s) = &self.secret {
            x.push_str(&p(s, &left));
        }
        let masthead = Fmt {
            jc: Some("center"),
            red: true,
            font: "方正小标宋简体",
            size: if self.masthead.len() > 1 { 56 } else { 72 },
            ..Fmt::default()
        };
        let word = match self.layout {
            Layout::File => "文件",
            Layout::Order => "令",
            _ => "",
        };
        if !self.masthead.is_empty() {
            if self.masthead_table {
                // Issuers in the left column, 文件 in a right cell merged over all rows.
                let mut t = String::from("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:jc w:val=\"center\"/><w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w=\"6000\"/><w:gridCol w:w=\"2000\"/></w:tblGrid>");
                for (k, name) in self.masthead.iter().enumerate() {
                    t.push_str("<w:tr>");
                    t.push_str(&cell(
                        name,
                        &Fmt {
                            jc: Some("distribute"),
                            ..masthead.clone()
                        },
                        "",
                    ));
                    if k == 0 {
                        t.push_str(&cell(
                            word,
                            &masthead,
                            "<w:vMerge w:val=\"restart\"/><w:vAlign w:val=\"center\"/>",
                        ));
                    } else {
                        t.push_str("<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>");
                    }
                    t.push_str("</w:tr>");
                }
                t.push_str("</w:tbl>");
                x.push_str(&t);
            } else {
                let n = self.masthead.len();
                for (k, name) in self.masthead.iter().enumerate() {
                    let text = if k + 1 == n {
                        format!("{name}{word}")
                    } else {
                        name.clone()
                    };
                    x.push_str(&p(&text, &masthead));
                }
            }
            x.push_str(&empty());
        }
        if let Some(no) = &self.doc_no {
            let f = Fmt {
                jc: Some(if self.layout == Layout::Letter {
                    "right"
                } else {
                    "center"
                }),
                rule_below_red: self.layout != Layout::Letter,
                ..Fmt::default()
            };
            x.push_str(&p(no, &f));
        } else if !self.masthead.is_empty() {
            x.push_str(&p(
                "",
                &Fmt {
                    rule_below_red: true,
                    ..Fmt::default()
                },
            ));
        }
        x.push_str(&empty());
        let title_fmt = Fmt {
            jc: if self.title_by_style {
                None
            } else {
                Some("center")
            },
            style: self.title_by_style.then_some("GongwenTitle"),
            font: "方正小标宋简体",
            size: 44,
            ..Fmt::default()
        };
        if self.title_one_paragraph && self.title.len() > 1 {
            let mut breaks = vec![];
            let mut at = 0;
            for l in &self.title[..self.title.len() - 1] {
                at += l.chars().count();
                breaks.push(at);
            }
            x.push_str(&para_xml(
                &[(self.title.concat(), false)],
                &title_fmt,
                &breaks,
            ));
        } else {
            for l in &self.title {
                x.push_str(&p(l, &title_fmt));
            }
        }
        if !self.title.is_empty() {
            x.push_str(&empty());
        }
        if let Some(r) = &self.recipients {
            x.push_str(&p(r, &Fmt::default()));
        }
        for part in &self.body {
            d.part(part);
        }
        let x = &mut d.xml;
        if !self.attachments.is_empty() {
            x.push_str(&empty());
            let many = self.attachments.len() > 1;
            for (k, a) in self.attachments.iter().enumerate() {
                let item = if many {
                    format!("{}．{a}", k + 1)
                } else {
                    a.clone()
                };
                let text = if k == 0 {
                    format!("附件：{item}")
                } else {
                    format!("\u{3000}\u{3000}\u{3000}{item}")
                };
                let f = if k == 0 {
                    Fmt {
                        indent: true,
                        ..Fmt::default()
                    }
                } else {
                    Fmt {
                        hanging: true,
                        ..Fmt::default()
                    }
                };
                x.push_str(&p(&text, &f));
            }
        }
        if !self.signature.is_empty() || !self.date.is_empty() {
            x.push_str(&empty());
            x.push_str(&empty());
        }
        let right = Fmt {
            jc: Some("right"),
            ..Fmt::default()
        };
        for s in &self.signature {
            x.push_str(&p(s, &right));
        }
        if !self.date.is_empty() {
            x.push_str(&p(&self.date, &right));
        }
        if let Some(n) = &self.note {
            x.push_str(&p(
                n,
                &Fmt {
                    indent: true,
                    ..Fmt::default()
                },
            ));
        }
        if !self.rule_title.is_empty() {
            let f = Fmt {
                jc: Some("center"),
                font: "方正小标宋简体",
                size: 44,
                page_break: true,
                ..Fmt::default()
            };
            for (k, l) in self.rule_title.iter().enumerate() {
                x.push_str(&p(
                    l,
                    &Fmt {
                        page_break: k == 0,
                        ..f.clone()
                    },
                ));
            }
            if let Some(n) = &self.rule_note {
                x.push_str(&p(
                    n,
                    &Fmt {
                        jc: Some("center"),
                        font: "楷体_GB2312",
                        ..Fmt::default()
                    },
                ));
            }
            x.push_str(&empty());
        }
        for part in &self.after {
            d.part(part);
        }
        let x = &mut d.xml;
        if let Some((cc, printer, date)) = &self.imprint {
            x.push_str(&empty());
            let mut lines = vec![];
            if let Some(c) = cc {
                lines.push(format!("抄送：{c}。"));
            }
            lines.push(format!("{printer}\t\t{date}印发"));
            let n = lines.len();
            for (k, l) in lines.iter().enumerate() {
                x.push_str(&p(
                    l,
                    &Fmt {
                        size: 28,
                        rule_above: k == 0,
                        rule_below: k + 1 == n,
                        ..Fmt::default()
                    },
                ));
            }
        }
        d
    }

    /// The .docx bytes.
    pub fn to_docx(&self) -> Vec<u8> {
        let doc = self.document_xml();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(true);
        let mut put = |name: &str, bytes: &[u8]| {
            zip.start_file(name, deflated).unwrap();
            zip.write_all(bytes).unwrap();
        };
        put("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>"#);
        put("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#);
        let mut rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>"#,
        );
        for (path, _, rid) in &doc.images {
            rels.push_str(&format!("<Relationship Id=\"{rid}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{path}\"/>"));
        }
        rels.push_str("</Relationships>");
        put("word/_rels/document.xml.rels", rels.as_bytes());
        put("word/styles.xml", STYLES.as_bytes());
        put("word/numbering.xml", NUMBERING.as_bytes());
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="1417" w:gutter="0"/><w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/></w:sectPr></w:body></w:document>"#,
            doc.xml
        );
        put("word/document.xml", xml.as_bytes());
        for (path, size, _) in &doc.images {
            zip.start_file(format!("word/{path}"), stored).unwrap();
            // A PNG signature, then bytes that do not repeat (as a photo's would not).
            zip.write_all(b"\x89PNG\r\n\x1a\n").unwrap();
            let mut state = 0x2545F491u32;
            let mut buf = vec![0u8; 1 << 16];
            let mut left = size.saturating_sub(8);
            while left > 0 {
                for b in buf.iter_mut() {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    *b = state as u8;
                }
                let n = left.min(buf.len());
                zip.write_all(&buf[..n]).unwrap();
                left -= n;
            }
        }
        zip.finish().unwrap().into_inner()
    }
}

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312" w:hAnsi="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="GongwenTitle"><w:name w:val="公文标题"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/></w:rPr></w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style></w:styles>"#;

/// List 1: 一、 二、 三、 (Word's chineseCounting), as WPS templates number first-level headings.
const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
