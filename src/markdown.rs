//! A document body: Markdown → sanitised HTML, plain text for search, and the links it makes.
//!
//! Raw HTML in Markdown is allowed but sanitised with ammonia (no `<script>`, no event handlers,
//! no `javascript:` URLs). Bodies without raw HTML never contain markup we did not emit, so they
//! skip the (comparatively slow) HTML parser; their link and image URLs are still checked.

pub mod links;
mod raw_html;

use std::collections::HashMap;

use pulldown_cmark::{
    Alignment, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

/// A link or image found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    /// Destination as written.
    pub dest: String,
    /// 1-based line in the body (add the body's first line for the file line).
    pub line: usize,
    /// True for `![alt](src)`.
    pub is_image: bool,
    /// Link text or image alt text.
    pub text: String,
}

/// The rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Plain text (for search and summaries), paragraphs separated by newlines: only what the
    /// page shows (text the sanitiser removes, such as a `<script>`'s, is not in it).
    pub text: String,
    /// Links and images, in order.
    pub links: Vec<BodyLink>,
    /// Raw `<table>` blocks without `<th>` (P19), by body line.
    pub tables_without_headers: Vec<usize>,
    /// Hash of `html`: pages fingerprint the body by it instead of hashing the text again.
    pub hash: u64,
}

/// A body as the stages after `validate` hold it: its Markdown (or where to read it again) and
/// the URL each local link resolved to, which is all it takes to render it again exactly; and
/// the rendering itself, while it is kept. `validate` renders every body once (its checks read
/// the links and the text) and `serve` keeps the renderings; `build` lets go of them once the
/// checks are done ([`Body::forget`]) and of the Markdown too ([`Body::save`]): each page and
/// index record reads and renders its body when it is made, so a 100,000-document build never
/// holds 100,000 bodies at once.
#[derive(Debug, Clone)]
pub struct Body {
    markdown: Markdown,
    /// Link destinations that resolved to a URL (`resolve` said `Some`), in the order asked.
    resolved: Box<[(Box<str>, Box<str>)]>,
    /// Hash of the HTML.
    hash: u64,
    kept: Option<std::sync::Arc<Rendered>>,
}

/// A body's Markdown: none, held, or left in its file.
#[derive(Debug, Clone)]
enum Markdown {
    /// Allocates nothing: every document starts with it before `validate` renders its body.
    Empty,
    Held(std::sync::Arc<str>),
    Saved(crate::load::BodyFile),
}

impl Default for Body {
    /// An empty body.
    fn default() -> Self {
        Body {
            markdown: Markdown::Empty,
            resolved: Box::default(),
            hash: 0,
            kept: None,
        }
    }
}

impl Body {
    /// Renders `markdown` (see [`render`]) and keeps the rendering, which is returned too.
    pub fn render(
        markdown: std::sync::Arc<str>,
        resolve: &dyn Fn(&str) -> Option<String>,
    ) -> (Body, std::sync::Arc<Rendered>) {
        let asked = std::cell::RefCell::new(Vec::new());
        let rendered = std::sync::Arc::new(render(&markdown, &|dest| {
            let url = resolve(dest);
            if let Some(u) = &url {
                asked.borrow_mut().push((dest.into(), u.as_str().into()));
            }
            url
        }));
        let body = Body {
            markdown: Markdown::Held(markdown),
            resolved: asked.into_inner().into_boxed_slice(),
            hash: rendered.hash,
            kept: Some(rendered.clone()),
        };
        (body, rendered)
    }

    /// The rendering: the kept one, or the same rendering made again. Fails only for a body
    /// left in its file ([`Body::save`]) when the file changed or went away since it was
    /// checked (E001, naming the file).
    pub fn rendered(&self) -> Result<std::sync::Arc<Rendered>, crate::diag::Diagnostic> {
        if let Some(r) = &self.kept {
            return Ok(r.clone());
        }
        let markdown = match &self.markdown {
            Markdown::Empty => return Ok(Default::default()),
            Markdown::Held(m) => m.clone(),
            Markdown::Saved(f) => crate::load::body_again(f)?,
        };
        Ok(std::sync::Arc::new(render(&markdown, &|dest| {
            self.resolved
                .iter()
                .find(|(d, _)| &**d == dest)
                .map(|(_, url)| url.to_string())
        })))
    }

    /// Hash of the HTML: pages fingerprint the body by it.
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Identifies this rendering of this text (the same after a clone).
    pub fn key(&self) -> (usize, u64) {
        let at = match &self.markdown {
            Markdown::Empty => 0,
            Markdown::Held(m) => m.as_ptr() as usize,
            Markdown::Saved(f) => f.path() as *const std::path::Path as *const u8 as usize,
        };
        (at, self.hash)
    }

    /// Drops the kept rendering: [`Body::rendered`] makes it again when asked.
    pub fn forget(&mut self) {
        self.kept = None;
    }

    /// Lets go of the Markdown and the rendering: [`Body::rendered`] reads `file` again. The
    /// body then holds nothing of the loaded source, which is freed whole.
    pub fn save(&mut self, file: crate::load::BodyFile) {
        self.kept = None;
        if let Markdown::Held(_) = self.markdown {
            self.markdown = Markdown::Saved(file);
        }
    }
}

/// Renders `md`. `resolve` maps a link destination to its final URL (e.g. `other.md` → the
/// document's page); returning `None` keeps the destination unchanged.
pub fn render(md: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Rendered {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_FOOTNOTES);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(md.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |off: usize| line_starts.partition_point(|&s| s <= off);

    let mut out = Rendered::default();
    let mut has_raw_html = false;
    let mut events = Vec::new();
    let mut open: Option<usize> = None;
    // An HTML block arrives line by line; its tags are read once it is whole.
    let mut block: Option<(usize, String)> = None;
    for (ev, range) in Parser::new_ext(md, opts).into_offset_iter() {
        let ev = match ev {
            Event::Start(Tag::HtmlBlock) => {
                block = Some((line_of(range.start), String::new()));
                ev
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((line, html)) = block.take() {
                    push_raw_links(&mut out.links, &html, line);
                }
                ev
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out.links.push(BodyLink {
                    dest: dest_url.to_string(),
                    line: line_of(range.start),
                    is_image: false,
                    text: String::new(),
                });
                open = Some(out.links.len() - 1);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: fix_url(&dest_url, resolve),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out.links.push(BodyLink {
                    dest: dest_url.to_string(),
                    line: line_of(range.start),
                    is_image: true,
                    text: String::new(),
                });
                open = Some(out.links.len() - 1);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: fix_url(&dest_url, resolve),
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                open = None;
                ev
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) => {
                has_raw_html = true;
                match (&ev, &mut block) {
                    (Event::Html(_), Some((_, html))) => html.push_str(h),
                    _ => push_raw_links(&mut out.links, h, line_of(range.start)),
                }
                let lower = h.to_ascii_lowercase();
                if lower.contains("<table")
                    && !md[range.start..]
                        .to_ascii_lowercase()
                        .split("</table")
                        .next()
                        .unwrap_or("")
                        .contains("<th")
                {
                    out.tables_without_headers.push(line_of(range.start));
                }
                ev
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some(i) = open {
                    out.links[i].text.push_str(t);
                }
                out.text.push_str(t);
                ev
            }
            Event::SoftBreak | Event::HardBreak => {
                out.text.push('\n');
                ev
            }
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::TableRow)
            | Event::End(TagEnd::Item) => {
                out.text.push('\n');
                ev
            }
            Event::End(TagEnd::TableCell) => {
                out.text.push(' ');
                ev
            }
            other => other,
        };
        events.push(ev);
    }
    let _ = LinkType::Inline;
    accessible(&mut events);
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if has_raw_html {
        // Raw tags' URLs are resolved like Markdown links (`other.md` → its page).
        let resolved: HashMap<String, String> = out
            .links
            .iter()
            .filter_map(|l| resolve(&l.dest).map(|u| (l.dest.clone(), u)))
            .collect();
        out.html = sanitize_resolving(&html, resolved);
        // Index and describe only what the page shows.
        out.text = raw_html::text(&out.html);
    } else {
        out.html = html;
    }
    out.hash = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        out.html.hash(&mut h);
        h.finish()
    };
    out
}

/// Accessibility fixes on the event stream (SPEC §5.2, headings in order, tables with header
/// cells). The page's title is the `<h1>`, so body headings start at `<h2>`: the heading levels
/// a body uses are renumbered by rank (`#` and `###` become `<h2>` and `<h3>`; a body written
/// with `##` and `###` is unchanged). Header cells of Markdown tables get `scope="col"`.
fn accessible(events: &mut [Event<'_>]) {
    let mut used = [false; 7];
    for ev in events.iter() {
        if let Event::Start(Tag::Heading { level, .. }) = ev {
            used[*level as usize] = true;
        }
    }
    let mut map = [HeadingLevel::H6; 7];
    let mut next = 2usize;
    for (l, u) in used.iter().enumerate().skip(1) {
        if *u {
            map[l] = HeadingLevel::try_from(next.min(6)).unwrap_or(HeadingLevel::H6);
            next += 1;
        }
    }
    let mut aligns: Vec<Alignment> = Vec::new();
    let mut in_head = false;
    let mut col = 0;
    for ev in events.iter_mut() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => *level = map[*level as usize],
            Event::End(TagEnd::Heading(level)) => *level = map[*level as usize],
            Event::Start(Tag::Table(a)) => aligns = a.clone(),
            Event::Start(Tag::TableHead) => {
                in_head = true;
                col = 0;
            }
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableCell) if in_head => {
                let style = match aligns.get(col) {
                    Some(Alignment::Left) => " style=\"text-align: left\"",
                    Some(Alignment::Center) => " style=\"text-align: center\"",
                    Some(Alignment::Right) => " style=\"text-align: right\"",
                    _ => "",
                };
                col += 1;
                *ev = Event::InlineHtml(format!("<th scope=\"col\"{style}>").into());
            }
            Event::End(TagEnd::TableCell) if in_head => *ev = Event::InlineHtml("</th>".into()),
            _ => {}
        }
    }
}

/// Records the URLs of the tags in a raw HTML fragment that starts on body line `line`.
fn push_raw_links(links: &mut Vec<BodyLink>, html: &str, line: usize) {
    links.extend(raw_html::links(html).into_iter().map(|l| BodyLink {
        dest: l.dest,
        line: line + l.line - 1,
        is_image: l.is_image,
        text: l.alt,
    }));
}

/// Cleans HTML: ammonia's default allow-list (which has no script, style, iframe, event handler
/// or `javascript:` URL), plus captions and `scope` on table headers for accessible tables.
pub fn sanitize(html: &str) -> String {
    sanitize_resolving(html, HashMap::new())
}

/// [`sanitize`], replacing URL attribute values found in `resolved` (raw links to other
/// documents and attachments get their published URLs). `<template>` content, which a browser
/// never shows, is dropped with the element, as `<script>` and `<style>` are.
fn sanitize_resolving(html: &str, resolved: HashMap<String, String>) -> String {
    ammonia::Builder::default()
        .add_tag_attributes("th", &["scope", "colspan", "rowspan"])
        .add_tag_attributes("td", &["colspan", "rowspan"])
        .add_clean_content_tags(&["template"])
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(move |_, attr, value| {
            if !matches!(attr, "href" | "src" | "cite") {
                return Some(value.into());
            }
            if is_dangerous_url(value) {
                return None;
            }
            Some(match resolved.get(value.trim()) {
                Some(u) => u.clone().into(),
                None => value.into(),
            })
        })
        .clean(html)
        .to_string()
}

/// Applies `resolve`, and drops URLs with a scheme that can run code.
fn fix_url<'a>(dest: &CowStr<'a>, resolve: &dyn Fn(&str) -> Option<String>) -> CowStr<'a> {
    if is_dangerous_url(dest) {
        return CowStr::Borrowed("#");
    }
    match resolve(dest) {
        Some(u) => CowStr::Boxed(u.into_boxed_str()),
        None => dest.clone(),
    }
}

/// True for `javascript:`, `vbscript:` and `data:` URLs (any case, with embedded blanks).
pub fn is_dangerous_url(u: &str) -> bool {
    let squeezed: String = u
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    squeezed.starts_with("javascript:")
        || squeezed.starts_with("vbscript:")
        || squeezed.starts_with("data:")
}

/// The first `n` characters of plain text, on one line, with `…` when cut.
pub fn excerpt(text: &str, n: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(n).collect();
    if one_line.chars().count() > n {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn body_headings_start_at_h2_in_order() {
        let r = render("# 一\n\n### 二\n\n#### 三\n\n# 四\n", &none);
        assert_eq!(
            r.html,
            "<h2>一</h2>\n<h3>二</h3>\n<h4>三</h4>\n<h2>四</h2>\n"
        );
        let r = render("## 一\n\n### 二\n", &none);
        assert_eq!(r.html, "<h2>一</h2>\n<h3>二</h3>\n");
    }

    #[test]
    fn table_header_cells_have_scope() {
        let r = render("| 项目 | 件数 |\n| --- | ---: |\n| 规章 | 1 |\n", &none);
        assert!(r.html.contains("<thead><tr><th scope=\"col\">项目</th><th scope=\"col\" style=\"text-align: right\">件数</th></tr></thead>"), "{}", r.html);
        assert!(
            r.html.contains("<td style=\"text-align: right\">1</td>"),
            "{}",
            r.html
        );
        assert!(r.text.contains("项目"));
    }

    #[test]
    fn strips_scripts_and_handlers() {
        let r = render("正文<script>alert(1)</script>\n\n<img src=x onerror=alert(1) alt=\"图\">\n\n<a href=\"javascript:alert(1)\">x</a>", &none);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
    }

    #[test]
    fn neutralises_markdown_javascript_links() {
        let r = render(
            "[点我](javascript:alert(1)) [图](JaVaScRiPt:alert(2))",
            &none,
        );
        assert!(
            !r.html.to_ascii_lowercase().contains("javascript"),
            "{}",
            r.html
        );
        assert_eq!(r.links.len(), 2);
    }

    #[test]
    fn resolves_links_and_records_lines() {
        let r = render(
            "第一行\n\n见[另一文件](other.md)。\n\n![](a.png)",
            &|d| (d == "other.md").then(|| "/xxgk/1.html".to_string()),
        );
        assert!(r.html.contains("href=\"/xxgk/1.html\""));
        assert_eq!(r.links[0].line, 3);
        assert_eq!(r.links[0].text, "另一文件");
        assert!(r.links[1].is_image && r.links[1].text.is_empty());
    }

    #[test]
    fn raw_html_links_are_recorded_and_resolved() {
        let md = "前文\n\n<p>见<a href=\"other.md\">文件</a>\n<img src=\"a.png\"></p>\n\n正文<a href=\"/xxgk/x.html\">y</a>";
        let r = render(md, &|d| {
            (d == "other.md").then(|| "/xxgk/1.html".to_string())
        });
        let got: Vec<(&str, usize, bool)> = r
            .links
            .iter()
            .map(|l| (l.dest.as_str(), l.line, l.is_image))
            .collect();
        assert_eq!(
            got,
            vec![
                ("other.md", 3, false),
                ("a.png", 4, true),
                ("/xxgk/x.html", 6, false)
            ]
        );
        assert!(r.html.contains("href=\"/xxgk/1.html\""), "{}", r.html);
        assert!(!r.html.contains("other.md"), "{}", r.html);
    }

    #[test]
    fn text_is_only_what_the_page_shows() {
        for md in [
            "正文<script>机密脚本</script>可见",
            "正文<style>机密样式</style>可见",
            "正文<template>机密模板</template>可见",
            "<script>\n机密脚本\n</script>\n\n正文可见",
        ] {
            let r = render(md, &none);
            assert!(!r.text.contains("机密"), "{md:?} → {:?}", r.text);
            assert!(!r.html.contains("机密"), "{md:?} → {:?}", r.html);
            assert!(r.text.contains("可见"), "{md:?} → {:?}", r.text);
        }
        // Text inside allowed raw HTML is shown, so it is searchable.
        assert!(render("<div>办公时间</div>", &none)
            .text
            .contains("办公时间"));
    }

    #[test]
    fn text_has_no_markup() {
        let r = render("# 标题\n\n**加粗**文字", &none);
        assert_eq!(r.text.trim(), "标题\n加粗文字");
    }
}
