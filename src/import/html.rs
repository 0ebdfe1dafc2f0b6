//! A page saved from the old CMS (`.html`), reduced to its main text as the same blocks a Word
//! file gives ([`Block`]), so the 公文 rules and the Markdown writer serve both.
//!
//! The page is read with html5ever's tokenizer (the one ammonia uses) into a small element
//! tree. The main text is the element a CMS names for it (`TRS_Editor`, `zoom`, `content`,
//! `article` …, the one holding most text, or a child holding most of that), else the element
//! with the most paragraph text. Navigation, scripts and styles never count. Paragraphs keep
//! their alignment (`text-align`, `align`), so a right-aligned 署名 and date are found as in a
//! `.docx`; tables stay tables; links and pictures keep their addresses, made absolute against
//! the page's old URL. Saved pages in GBK or GB2312 are decoded by their `charset`.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::TokenizerResult;

use super::docx::{Align, Block, Cell, Inline, Para, Row, Style, Table};

/// One element of the page.
#[derive(Debug, Default)]
struct Element {
    tag: String,
    /// `id` and `class`, lower-cased, for recognising the main text.
    names: String,
    align: Option<Align>,
    href: Option<String>,
    src: Option<(String, String)>,
    /// Not shown by a browser (`hidden`, `display:none`, `visibility:hidden`): never imported.
    hidden: bool,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Element(usize),
    Text(String),
}

const VOID: &[&str] = &[
    "br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr",
];
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "iframe",
    "select", "button", "form", "object",
];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "section",
    "article",
    "blockquote",
    "center",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "pre",
    "address",
    "table",
    "td",
    "th",
    "tr",
    "tbody",
    "thead",
    "body",
    "html",
    "main",
    "font",
    "span",
];
/// Deepest nesting kept; real pages stay under 40.
const MAX_NESTING: usize = 200;
/// Words in the `id`/`class` of a CMS's main-text element.
const MAIN_NAMES: &[&str] = &[
    "trs_editor",
    "zoom",
    "content",
    "article",
    "detail",
    "zw",
    "main",
    "text",
    "con",
    "view",
    "body",
    "pages_content",
    "ueditor",
];

/// The tree builder: a stack of open elements; end tags close up to their match.
struct Builder {
    elements: RefCell<Vec<Element>>,
    stack: RefCell<Vec<usize>>,
    skip_depth: RefCell<usize>,
}

impl Builder {
    fn push_node(&self, node: Node) {
        let top = *self
            .stack
            .borrow()
            .last()
            .expect("the root is never popped");
        self.elements.borrow_mut()[top].children.push(node);
    }
}

/// True if an inline `style` keeps the element from being seen (`display:none`,
/// `visibility:hidden`): an old CMS hides editors' notes, duplicates and widgets this way.
fn hides(style: &str) -> bool {
    style.split(';').any(|d| {
        let Some((k, v)) = d.split_once(':') else {
            return false;
        };
        let v = v
            .trim()
            .trim_end_matches("!important")
            .trim()
            .to_ascii_lowercase();
        match k.trim().to_ascii_lowercase().as_str() {
            "display" => v == "none",
            "visibility" => v == "hidden" || v == "collapse",
            _ => false,
        }
    })
}

fn align_of(tag: &Tag) -> Option<Align> {
    let mut found = None;
    for a in &tag.attrs {
        let v = a.value.to_ascii_lowercase();
        let val = match &*a.name.local {
            "align" => v.trim().to_string(),
            "style" => v
                .split(';')
                .find_map(|d| {
                    let (k, val) = d.split_once(':')?;
                    (k.trim() == "text-align").then(|| val.trim().to_string())
                })
                .unwrap_or_default(),
            _ => continue,
        };
        found = match val.as_str() {
            "center" => Some(Align::Center),
            "right" => Some(Align::Right),
            "justify" => Some(Align::Justify),
            "left" => Some(Align::Left),
            _ => found,
        };
    }
    found
}

impl TokenSink for Builder {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                let skipping = *self.skip_depth.borrow() > 0;
                match tag.kind {
                    TagKind::StartTag => {
                        if SKIP.contains(&name.as_str()) && !tag.self_closing {
                            *self.skip_depth.borrow_mut() += 1;
                            return TokenSinkResult::Continue;
                        }
                        if skipping {
                            return TokenSinkResult::Continue;
                        }
                        let attr = |k: &str| {
                            tag.attrs
                                .iter()
                                .find(|a| &*a.name.local == k)
                                .map(|a| a.value.to_string())
                        };
                        let el = Element {
                            tag: name.clone(),
                            names: format!(
                                "{} {}",
                                attr("id").unwrap_or_default(),
                                attr("class").unwrap_or_default()
                            )
                            .to_lowercase(),
                            align: align_of(&tag),
                            href: attr("href"),
                            src: attr("src").map(|s| (s, attr("alt").unwrap_or_default())),
                            hidden: attr("hidden").is_some()
                                || attr("style").is_some_and(|s| hides(&s)),
                            children: vec![],
                        };
                        // A new paragraph closes an open one (HTML's implied end tag).
                        if name == "p" {
                            self.close("p", true);
                        }
                        let idx = {
                            let mut els = self.elements.borrow_mut();
                            els.push(el);
                            els.len() - 1
                        };
                        self.push_node(Node::Element(idx));
                        // Past MAX_NESTING, elements stay siblings: the tree's depth (and the
                        // recursion over it) is bounded whatever the page does.
                        let deep = self.stack.borrow().len() >= MAX_NESTING;
                        if !VOID.contains(&name.as_str()) && !tag.self_closing && !deep {
                            self.stack.borrow_mut().push(idx);
                        }
                    }
                    TagKind::EndTag => {
                        if SKIP.contains(&name.as_str()) {
                            let mut d = self.skip_depth.borrow_mut();
                            *d = d.saturating_sub(1);
                        } else if !skipping {
                            self.close(&name, false);
                        }
                    }
                }
            }
            Token::CharacterTokens(t) if *self.skip_depth.borrow() == 0 => {
                self.push_node(Node::Text(t.to_string()));
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl Builder {
    /// Closes the innermost open `tag` (and what is open inside it). `implied`: only if it is
    /// the current element's nearest block (a `<p>` never closes across a `<div>`).
    fn close(&self, tag: &str, implied: bool) {
        let els = self.elements.borrow();
        let mut stack = self.stack.borrow_mut();
        let Some(pos) = stack.iter().rposition(|&i| els[i].tag == tag) else {
            return;
        };
        if pos == 0 {
            return;
        }
        if implied
            && stack[pos + 1..]
                .iter()
                .any(|&i| BLOCK.contains(&els[i].tag.as_str()) && els[i].tag != "span")
        {
            return;
        }
        stack.truncate(pos);
    }
}

/// Decodes a saved page: a BOM, else the `charset` it declares (GBK, GB2312, GB18030 …), else
/// UTF-8 (bytes that are not are replaced).
pub fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let label = head.find("charset").and_then(|i| {
        let rest = head[i + 7..].trim_start_matches([' ', '=', '"', '\'']);
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        (end > 0).then(|| rest[..end].to_string())
    });
    let enc = label
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The page's `<title>`.
pub fn page_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let a = lower.find("<title")?;
    let a = a + lower[a..].find('>')? + 1;
    let b = a + lower[a..].find("</title")?;
    let t = html.get(a..b)?.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The main text of a page as blocks; pictures as (absolute URL, alt text), referred to by
/// [`Inline::Image`] index. `base` is the page's old URL, for relative addresses.
pub fn main_text(html: &str, base: Option<&str>) -> (Vec<Block>, Vec<(String, String)>) {
    let builder = Builder {
        elements: RefCell::new(vec![Element {
            tag: "#root".into(),
            ..Element::default()
        }]),
        stack: RefCell::new(vec![0]),
        skip_depth: RefCell::new(0),
    };
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tok = Tokenizer::new(builder, TokenizerOpts::default());
    while let TokenizerResult::Script(()) = tok.feed(&input) {}
    tok.end();
    let els = tok.sink.elements.into_inner();
    let main = choose_main(&els);
    let mut w = Writer {
        els: &els,
        base,
        blocks: vec![],
        images: vec![],
        cur: Para::default(),
    };
    w.walk(main, Style::default(), None);
    w.flush();
    (w.blocks, w.images)
}

fn text_len(els: &[Element], i: usize, memo: &mut Vec<Option<usize>>) -> usize {
    if let Some(n) = memo[i] {
        return n;
    }
    if els[i].hidden {
        return 0;
    }
    let mut n = 0;
    for c in &els[i].children {
        n += match c {
            Node::Text(t) => t.chars().filter(|c| !c.is_whitespace()).count(),
            Node::Element(j) => text_len(els, *j, memo),
        };
    }
    memo[i] = Some(n);
    n
}

/// The element that holds the page's main text.
fn choose_main(els: &[Element]) -> usize {
    let mut memo = vec![None; els.len()];
    let len: Vec<usize> = (0..els.len())
        .map(|i| text_len(els, i, &mut memo))
        .collect();
    let named: Vec<usize> = (0..els.len())
        .filter(|&i| {
            els[i]
                .names
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .any(|w| MAIN_NAMES.contains(&w))
        })
        .collect();
    let best = named
        .iter()
        .copied()
        .max_by_key(|&i| len[i])
        .filter(|&i| len[i] >= 20)
        .or_else(|| {
            // No named container: the element whose own paragraphs hold the most text.
            (0..els.len()).max_by_key(|&i| {
                els[i]
                    .children
                    .iter()
                    .map(|c| match c {
                        Node::Element(j) if matches!(els[*j].tag.as_str(), "p" | "div") => len[*j],
                        Node::Text(t) => t.trim().chars().count(),
                        _ => 0,
                    })
                    .sum::<usize>()
            })
        });
    let mut cur = best.unwrap_or(0);
    // Prefer a named element inside holding most of the text (the 正文 inside a wrapper that
    // also holds the 信息索引 box).
    loop {
        let inner = named
            .iter()
            .copied()
            .filter(|&j| j != cur && is_inside(els, j, cur))
            .max_by_key(|&j| len[j]);
        match inner {
            Some(j) if len[j] * 10 >= len[cur] * 7 => cur = j,
            _ => break,
        }
    }
    cur
}

fn is_inside(els: &[Element], inner: usize, outer: usize) -> bool {
    fn walk(els: &[Element], at: usize, want: usize) -> bool {
        els[at].children.iter().any(|c| match c {
            Node::Element(j) => *j == want || walk(els, *j, want),
            Node::Text(_) => false,
        })
    }
    walk(els, outer, inner)
}

/// Turns the chosen element into blocks.
struct Writer<'a> {
    els: &'a [Element],
    base: Option<&'a str>,
    blocks: Vec<Block>,
    images: Vec<(String, String)>,
    cur: Para,
}

impl Writer<'_> {
    fn flush(&mut self) {
        let p = std::mem::take(&mut self.cur);
        if !p.is_empty() {
            self.blocks.push(Block::Para(p));
        }
    }

    fn absolute(&self, url: &str) -> String {
        absolute(self.base, url)
    }

    fn walk(&mut self, i: usize, style: Style, link: Option<String>) {
        let el = &self.els[i];
        if el.hidden {
            return;
        }
        let tag = el.tag.as_str();
        if tag == "table" {
            self.flush();
            let t = self.table(i);
            if !t.rows.is_empty() {
                self.blocks.push(Block::Table(t));
            }
            return;
        }
        let block = BLOCK.contains(&tag) && tag != "span" && tag != "font";
        if block {
            self.flush();
            if let Some(a) = el.align {
                self.cur.align = a;
            }
        }
        let style = Style {
            bold: style.bold || matches!(tag, "b" | "strong") || tag.starts_with('h'),
            italic: style.italic || matches!(tag, "i" | "em"),
            red: false,
            hidden: false,
        };
        let link = match (tag, &el.href) {
            ("a", Some(h))
                if !h.starts_with('#') && !h.to_lowercase().starts_with("javascript:") =>
            {
                Some(self.absolute(h))
            }
            _ => link,
        };
        for c in &el.children {
            match c {
                Node::Text(t) => {
                    let mut t = t.replace(['\r', '\n', '\t'], " ");
                    if matches!(tag, "sup" | "sub") {
                        t = super::patterns::raised(&t, tag == "sup");
                    }
                    if !t.is_empty() {
                        if self.cur.inlines.is_empty() && !block {
                            if let Some(a) = el.align {
                                self.cur.align = a;
                            }
                        }
                        push_text(&mut self.cur, &t, style, link.clone());
                    }
                }
                Node::Element(j) => match self.els[*j].tag.as_str() {
                    "br" => self.cur.inlines.push(Inline::Break),
                    "img" => {
                        if let Some((src, alt)) = &self.els[*j].src {
                            self.images.push((self.absolute(src), alt.clone()));
                            self.cur.inlines.push(Inline::Image(self.images.len() - 1));
                        }
                    }
                    _ => self.walk(*j, style, link.clone()),
                },
            }
        }
        if block {
            self.flush();
        }
    }

    fn table(&mut self, i: usize) -> Table {
        let mut t = Table::default();
        let mut rows = vec![];
        collect(self.els, i, "tr", &mut rows);
        for r in rows {
            let mut cells = vec![];
            collect_cells(self.els, r, &mut cells);
            let mut row = Row {
                header: false,
                cells: vec![],
            };
            for c in cells {
                let mut sub = Writer {
                    els: self.els,
                    base: self.base,
                    blocks: vec![],
                    images: vec![],
                    cur: Para::default(),
                };
                for ch in &self.els[c].children {
                    match ch {
                        Node::Text(x) => push_text(&mut sub.cur, x.trim(), Style::default(), None),
                        Node::Element(j) => sub.walk(*j, Style::default(), None),
                    }
                }
                sub.flush();
                let paras = sub
                    .blocks
                    .into_iter()
                    .flat_map(|b| match b {
                        Block::Para(p) => vec![p],
                        Block::Table(t) => t
                            .rows
                            .into_iter()
                            .flat_map(|r| r.cells.into_iter().flat_map(|c| c.paras))
                            .collect(),
                    })
                    .collect();
                row.header |= self.els[c].tag == "th";
                row.cells.push(Cell {
                    paras,
                    span: 1,
                    merged_above: false,
                });
            }
            if !row.cells.is_empty() {
                t.rows.push(row);
            }
        }
        t
    }
}

fn collect(els: &[Element], i: usize, tag: &str, out: &mut Vec<usize>) {
    for c in &els[i].children {
        if let Node::Element(j) = c {
            if els[*j].hidden {
                continue;
            }
            if els[*j].tag == tag {
                out.push(*j);
            } else if els[*j].tag != "table" {
                collect(els, *j, tag, out);
            }
        }
    }
}

fn collect_cells(els: &[Element], tr: usize, out: &mut Vec<usize>) {
    for c in &els[tr].children {
        if let Node::Element(j) = c {
            if matches!(els[*j].tag.as_str(), "td" | "th") && !els[*j].hidden {
                out.push(*j);
            }
        }
    }
}

fn push_text(p: &mut Para, text: &str, style: Style, link: Option<String>) {
    if let Some(Inline::Text {
        text: t,
        style: s,
        link: l,
    }) = p.inlines.last_mut()
    {
        if *s == style && *l == link {
            t.push_str(text);
            return;
        }
    }
    p.inlines.push(Inline::Text {
        text: text.to_string(),
        style,
        link,
    });
}

/// `url` made absolute against `base` (the page's old address); already absolute or no base:
/// unchanged.
pub fn absolute(base: Option<&str>, url: &str) -> String {
    let url = url.trim();
    if url.contains("://") || url.starts_with("mailto:") {
        return url.to_string();
    }
    let Some(base) = base else {
        return url.to_string();
    };
    let Some(scheme_end) = base.find("://") else {
        return url.to_string();
    };
    let host_end = base[scheme_end + 3..]
        .find('/')
        .map(|i| i + scheme_end + 3)
        .unwrap_or(base.len());
    if let Some(rest) = url.strip_prefix("//") {
        return format!("{}//{rest}", &base[..scheme_end + 1]);
    }
    if url.starts_with('/') {
        return format!("{}{url}", &base[..host_end]);
    }
    let dir_end = base
        .rfind('/')
        .filter(|&i| i >= host_end)
        .unwrap_or(base.len());
    let mut parts: Vec<&str> = base[host_end..dir_end.max(host_end)]
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    for seg in url.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    format!("{}/{}", &base[..host_end], parts.join("/"))
}

#[cfg(test)]
mod tests;
