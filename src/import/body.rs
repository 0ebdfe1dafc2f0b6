//! The 正文 as Markdown: paragraphs without their first-line indents, hard line breaks inside a
//! paragraph joined, heading lines (一、 （一） 1. （1）, 第一章 第一节) as `##`…`#####` with their
//! numbers kept, tables as pipe tables with a header row, bold and italic kept, pictures as
//! images. Text that Markdown would read as markup is escaped, so the page shows what the
//! document says. Pure: the caller says where each picture will be.

use super::docx::{Align, Block, Inline, Para, Style, Table};
use super::patterns;

/// What the body holds, for the summary `import` prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Paragraphs (headings not included).
    pub paragraphs: usize,
    /// Heading lines.
    pub headings: usize,
    /// Tables.
    pub tables: usize,
    /// Pictures.
    pub images: usize,
    /// Footnotes and endnotes (written as Markdown footnotes).
    pub notes: usize,
}

/// How a picture appears in the body: its alt text and path, or `None` to leave it out (it
/// became an attachment or was too large).
pub type ImageLink<'a> = &'a dyn Fn(usize) -> Option<(String, String)>;

/// Renders the blocks at `indices` of `blocks`; `notes` are the texts of the footnotes and
/// endnotes the blocks refer to ([`Inline::Note`]), written as Markdown footnotes at the end.
pub fn to_markdown(
    blocks: &[Block],
    indices: &[usize],
    image: ImageLink,
    notes: &[String],
) -> (String, Counts) {
    let mut out: Vec<String> = Vec::new();
    let mut counts = Counts::default();
    let mut referenced: Vec<usize> = Vec::new();
    for &i in indices {
        let paras: Vec<&Para> = match &blocks[i] {
            Block::Para(p) => vec![p],
            Block::Table(t) => t
                .rows
                .iter()
                .flat_map(|r| r.cells.iter().flat_map(|c| c.paras.iter()))
                .collect(),
        };
        for n in paras.iter().flat_map(|p| p.notes()) {
            if !referenced.contains(&n) {
                referenced.push(n);
            }
        }
        match &blocks[i] {
            Block::Para(p) => {
                if let Some(md) = paragraph(p, image, &mut counts) {
                    out.push(md);
                }
            }
            Block::Table(t) => {
                if let Some(md) = table(t, &mut counts) {
                    out.push(md);
                }
            }
        }
    }
    for n in referenced {
        let Some(text) = notes.get(n) else { continue };
        counts.notes += 1;
        let paras: Vec<String> = text
            .split('\n')
            .map(|l| escape_line_start(escape(&join_breaks(l), false).trim()))
            .filter(|l| !l.is_empty())
            .collect();
        out.push(format!("{}: {}", note_mark(n), paras.join("\n\n    ")));
    }
    let mut s = out.join("\n\n");
    if !s.is_empty() {
        s.push('\n');
    }
    (s, counts)
}

/// One paragraph's Markdown.
fn paragraph(p: &Para, image: ImageLink, counts: &mut Counts) -> Option<String> {
    let plain = plain_text(p);
    if let Some(level) = patterns::heading_level(&plain) {
        counts.headings += 1;
        return Some(format!(
            "{} {}{}",
            "#".repeat(level),
            escape(&plain, true).trim(),
            note_marks(p)
        ));
    }
    // `附件1` opening an attachment inside the document.
    let c = patterns::ascii_digits(&patterns::compact(&plain));
    if c.strip_prefix("附件")
        .is_some_and(|n| n.chars().all(|x| x.is_ascii_digit()))
        && p.images().next().is_none()
    {
        counts.headings += 1;
        return Some(format!("## {c}{}", note_marks(p)));
    }
    let mut md = inline_markdown(p, image, counts);
    if md.trim().is_empty() {
        return None;
    }
    // A short centered line inside the body (the title of the document a 通知 印发s) stands
    // out as bold, as on paper.
    let bold_all = p.inlines.iter().all(|i| match i {
        Inline::Text { text, style, .. } => style.bold || text.trim().is_empty(),
        _ => true,
    });
    if p.align == Align::Center
        && !bold_all
        && plain.chars().count() <= patterns::HEADING_MAX_CHARS
        && patterns::parse_date(&plain).is_none()
        && !md.contains('*')
        && !md.contains('<')
    {
        md = format!("**{}**", md.trim());
    }
    counts.paragraphs += 1;
    Some(md)
}

/// The paragraph's text with breaks joined and leading indentation (spaces, U+3000) dropped.
pub fn plain_text(p: &Para) -> String {
    join_breaks(&p.text())
}

/// Joins hard line breaks: Chinese closes up, Latin words keep one space. Tabs become spaces.
pub fn join_breaks(s: &str) -> String {
    let mut out = String::new();
    for (k, line) in s.split('\n').enumerate() {
        let line = line.replace('\t', " ");
        let line = if k == 0 {
            line.trim_start_matches(is_indent).to_string()
        } else {
            line.trim_matches(is_indent).to_string()
        };
        if k > 0
            && out.ends_with(|c: char| c.is_ascii_alphabetic() || c == ',' || c == '.')
            && line.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            out.push(' ');
        }
        out.push_str(&line);
    }
    out.trim_end_matches(is_indent).to_string()
}

fn is_indent(c: char) -> bool {
    c.is_whitespace()
}

/// Inline Markdown of a paragraph: runs with their emphasis, links and pictures.
fn inline_markdown(p: &Para, image: ImageLink, counts: &mut Counts) -> String {
    // Break joins decided on the plain text first, so that emphasis never spans a join.
    let mut pieces: Vec<(String, Style, Option<String>)> = Vec::new();
    if let Some(n) = &p.number {
        pieces.push((n.clone(), Style::default(), None));
    }
    let mut out = String::new();
    let mut pending_break = false;
    let flush = |pieces: &mut Vec<(String, Style, Option<String>)>, out: &mut String| {
        out.push_str(&runs(pieces));
        pieces.clear();
    };
    for i in &p.inlines {
        match i {
            Inline::Text { text, style, link } => {
                let mut t = text.replace('\t', " ");
                if pending_break {
                    t = t.trim_start_matches(is_indent).to_string();
                    // Latin words keep a space; Chinese and numbers split by the break close up.
                    let prev_latin = pieces
                        .last()
                        .map(|(s, _, _)| s.ends_with(|c: char| c.is_ascii_alphabetic()))
                        .unwrap_or_else(|| out.ends_with(|c: char| c.is_ascii_alphabetic()));
                    if prev_latin && t.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        t.insert(0, ' ');
                    }
                    pending_break = false;
                }
                pieces.push((t, *style, link.clone()));
            }
            Inline::Break => {
                if let Some((s, _, _)) = pieces.last_mut() {
                    let trimmed = s.trim_end_matches(is_indent).len();
                    s.truncate(trimmed);
                }
                pending_break = true;
            }
            Inline::Note(n) => {
                flush(&mut pieces, &mut out);
                out.push_str(&note_mark(*n));
            }
            Inline::Image(m) => {
                flush(&mut pieces, &mut out);
                if let Some((alt, path)) = image(*m) {
                    counts.images += 1;
                    out.push_str(&format!(
                        "![{}]({})",
                        escape(&alt, false),
                        link_target(&path)
                    ));
                }
            }
        }
    }
    flush(&mut pieces, &mut out);
    let trimmed = out
        .trim_start_matches(is_indent)
        .trim_end_matches(is_indent);
    let mut line = escape_line_start(trimmed);
    // `[^1]:` at the start of a line would define the note instead of referring to it.
    if line.starts_with("[^") {
        if let Some(end) = line.find(']') {
            if line[end + 1..].starts_with(':') {
                line.insert(end + 1, '\\');
            }
        }
    }
    line
}

/// How the Markdown refers to note `n` (0-based): `[^1]`.
fn note_mark(n: usize) -> String {
    format!("[^{}]", n + 1)
}

/// The references to the notes of `p`, for text written without its inline structure
/// (headings, table cells): at the end of it.
fn note_marks(p: &Para) -> String {
    p.notes().map(note_mark).collect()
}

/// Runs with the same style merged, emphasis added, links wrapped.
fn runs(pieces: &[(String, Style, Option<String>)]) -> String {
    let mut merged: Vec<(String, Style, Option<String>)> = Vec::new();
    for (t, s, l) in pieces {
        match merged.last_mut() {
            Some((mt, ms, ml)) if (*ms == *s || t.trim().is_empty()) && ml == l => mt.push_str(t),
            _ => merged.push((t.clone(), *s, l.clone())),
        }
    }
    let mut out = String::new();
    for (k, (t, s, l)) in merged.iter().enumerate() {
        let before = if k == 0 {
            out.chars().last()
        } else {
            merged[k - 1].0.chars().last()
        };
        let after = merged.get(k + 1).and_then(|(n, _, _)| n.chars().next());
        let mut text = escape(t, false);
        if s.bold || s.italic {
            text = emphasise(&text, s.bold, s.italic, before, after);
        }
        if let Some(url) = l {
            text = format!("[{text}]({})", link_target(url));
        }
        out.push_str(&text);
    }
    out
}

/// Wraps text in `**`/`*` when CommonMark will read them as emphasis next to these neighbours
/// (its flanking rules fail beside CJK punctuation such as “”), else in `<strong>`/`<em>`.
fn emphasise(
    text: &str,
    bold: bool,
    italic: bool,
    before: Option<char>,
    after: Option<char>,
) -> String {
    let inner = text.trim();
    if inner.is_empty() {
        return text.to_string();
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    let first = inner.chars().next();
    let last = inner.chars().last();
    let punct = |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace());
    let space_or_punct =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || !c.is_alphanumeric());
    let before = if lead.is_empty() { before } else { Some(' ') };
    let after = if trail.is_empty() { after } else { Some(' ') };
    let opens = !punct(first) || space_or_punct(before);
    let closes = !punct(last) || space_or_punct(after);
    let wrapped = if opens && closes {
        let m = match (bold, italic) {
            (true, true) => "***",
            (true, false) => "**",
            _ => "*",
        };
        format!("{m}{inner}{m}")
    } else {
        let mut s = inner.to_string();
        if italic {
            s = format!("<em>{s}</em>");
        }
        if bold {
            s = format!("<strong>{s}</strong>");
        }
        s
    };
    format!("{lead}{wrapped}{trail}")
}

/// A link target Markdown reads back unchanged.
fn link_target(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// Escapes the characters Markdown would take as markup (`*`, `_`, `` ` ``, `[`, `]`, `<`, `>`,
/// `\`, `~`, `|` and entity-like `&`).
pub fn escape(s: &str, in_heading: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '&' if chars
                .get(k + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("&amp;")
            }
            '#' if in_heading && k + 1 == chars.len() => out.push_str("\\#"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes what only matters at the start of a line: `#`, `-`, `+`, `=`, `>` and `1.`/`1)`
/// followed by a space (a list item).
fn escape_line_start(s: &str) -> String {
    let first = s.chars().next();
    if matches!(first, Some('#' | '-' | '+' | '=' | '>')) {
        return format!("\\{s}");
    }
    let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits < 10 {
        let rest = &s[digits..];
        if (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
            && !rest.is_empty()
        {
            return format!("{}\\{}", &s[..digits], rest);
        }
    }
    s.to_string()
}

/// A table as a pipe table, its first row the header (the row Word repeats on every page, or
/// the first one); a one-cell table (a frame around text) becomes a paragraph.
fn table(t: &Table, counts: &mut Counts) -> Option<String> {
    let grid: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            let mut cells = Vec::new();
            for c in &r.cells {
                let text = if c.merged_above {
                    String::new()
                } else {
                    c.paras
                        .iter()
                        .map(|p| escape(&plain_text(p), false) + &note_marks(p))
                        .filter(|x| !x.trim().is_empty())
                        .collect::<Vec<_>>()
                        .join("<br>")
                };
                cells.push(text);
                cells.extend(std::iter::repeat_n(String::new(), c.span.saturating_sub(1)));
            }
            cells
        })
        .filter(|r| !r.is_empty())
        .collect();
    let width = grid.iter().map(Vec::len).max()?;
    if grid.iter().all(|r| r.iter().all(|c| c.trim().is_empty())) {
        return None;
    }
    if width == 1 && grid.len() == 1 {
        counts.paragraphs += 1;
        return Some(escape_line_start(&grid[0][0].replace("<br>", "")));
    }
    counts.tables += 1;
    let line = |r: &Vec<String>| {
        let mut cells: Vec<String> = r.iter().map(|c| c.trim().to_string()).collect();
        cells.resize(width, String::new());
        format!("| {} |", cells.join(" | "))
    };
    // Pipe tables have one header row: further rows Word repeats as headers stay body rows.
    let mut out = vec![line(&grid[0])];
    out.push(format!("|{}", " --- |".repeat(width)));
    out.extend(grid.iter().skip(1).map(line));
    Some(out.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::super::docx::{Cell, Row};
    use super::*;

    fn run(text: &str, bold: bool) -> Inline {
        Inline::Text {
            text: text.into(),
            style: Style {
                bold,
                ..Style::default()
            },
            link: None,
        }
    }
    fn para(inlines: Vec<Inline>) -> Para {
        Para {
            inlines,
            align: Align::Justify,
            indent_first: true,
            ..Para::default()
        }
    }
    fn md(p: Para) -> String {
        let blocks = vec![Block::Para(p)];
        to_markdown(&blocks, &[0], &|_| None, &[]).0
    }

    #[test]
    fn drops_indents_and_joins_hard_breaks() {
        let p = para(vec![
            run("　　为深入贯彻落实", false),
            Inline::Break,
            run("  有关要求，现通知如下。", false),
        ]);
        assert_eq!(md(p), "为深入贯彻落实有关要求，现通知如下。\n");
        let p = para(vec![run("Open", false), Inline::Break, run("Data", false)]);
        assert_eq!(md(p), "Open Data\n");
        let p = para(vec![run("共201", false), Inline::Break, run("9件", false)]);
        assert_eq!(md(p), "共2019件\n");
    }

    #[test]
    fn headings_keep_their_numbers() {
        assert_eq!(
            md(para(vec![run("一、总体要求", false)])),
            "## 一、总体要求\n"
        );
        assert_eq!(
            md(para(vec![run("（一）健全制度框架。", true)])),
            "### （一）健全制度框架。\n"
        );
        assert_eq!(
            md(para(vec![run("1.加强研究阐释", false)])),
            "#### 1.加强研究阐释\n"
        );
        assert_eq!(
            md(para(vec![run("（1）产业规模", false)])),
            "##### （1）产业规模\n"
        );
        // A run-in heading stays a paragraph, and "1. " is not read as a list.
        assert_eq!(
            md(para(vec![run("1. 加强研究。组建专家智库。", false)])),
            "1\\. 加强研究。组建专家智库。\n"
        );
    }

    #[test]
    fn keeps_bold_and_falls_back_to_html_beside_cjk_quotes() {
        let p = para(vec![
            run("坚持", false),
            run("稳中求进", true),
            run("工作总基调。", false),
        ]);
        assert_eq!(md(p), "坚持**稳中求进**工作总基调。\n");
        let p = para(vec![
            run("实施", false),
            run("“双随机”", true),
            run("监管。", false),
        ]);
        assert_eq!(md(p), "实施<strong>“双随机”</strong>监管。\n");
    }

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            md(para(vec![run("# 不是标题 *星号* [括号] a_b <c>", false)])),
            "\\# 不是标题 \\*星号\\* \\[括号\\] a\\_b \\<c\\>\n"
        );
    }

    #[test]
    fn tables_get_a_header_row_and_spans() {
        let cell = |t: &str, span: usize| Cell {
            paras: vec![para(vec![run(t, false)])],
            span,
            merged_above: false,
        };
        let t = Table {
            rows: vec![
                Row {
                    cells: vec![cell("序号", 1), cell("任务", 1), cell("单位", 1)],
                    header: true,
                },
                Row {
                    cells: vec![cell("1", 1), cell("政务公开|要点", 2)],
                    header: false,
                },
            ],
        };
        let blocks = vec![Block::Table(t)];
        let (m, c) = to_markdown(&blocks, &[0], &|_| None, &[]);
        assert_eq!(
            m,
            "| 序号 | 任务 | 单位 |\n| --- | --- | --- |\n| 1 | 政务公开\\|要点 |  |\n"
        );
        assert_eq!(c.tables, 1);
        // The Markdown renders as a table with header cells.
        let r = crate::markdown::render(&m, &|_| None);
        assert!(r.html.contains("<th"), "{}", r.html);
        assert!(r.text.contains("政务公开|要点"), "{}", r.text);
    }
}
