//! Raw HTML inside a body, read with html5ever's tokenizer (the parser ammonia uses): the URLs
//! its tags point at, so they are checked exactly as Markdown links are, and the text a
//! sanitised body shows, so search and descriptions never carry what the page does not.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::TokenizerResult;

/// A URL in a raw HTML tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLink {
    /// The attribute's value, entities decoded (as the sanitiser sees it).
    pub dest: String,
    /// 1-based line within the fragment.
    pub line: usize,
    /// True for `<img src>`.
    pub is_image: bool,
    /// `alt` of an image; empty otherwise.
    pub alt: String,
}

/// Attributes that hold a URL a reader can follow or a page loads. Every element is looked
/// at, including ones the sanitiser drops: a withheld file must not even be named.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "cite",
    "longdesc",
    "action",
    "formaction",
    "poster",
    "background",
    "data",
];

fn tokenize<S: TokenSink<Handle = ()>>(html: &str, sink: S) -> S {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    while let TokenizerResult::Script(()) = tok.feed(&input) {}
    tok.end();
    tok.sink
}

struct LinkSink(RefCell<Vec<RawLink>>);

impl TokenSink for LinkSink {
    type Handle = ();
    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(Tag {
            kind: TagKind::StartTag,
            name,
            attrs,
            ..
        }) = token
        {
            let is_img = &*name == "img";
            let alt = attrs
                .iter()
                .find(|a| &*a.name.local == "alt")
                .map(|a| a.value.to_string())
                .unwrap_or_default();
            for a in &attrs {
                if URL_ATTRIBUTES.contains(&&*a.name.local) && !a.value.trim().is_empty() {
                    let is_image = is_img && &*a.name.local == "src";
                    self.0.borrow_mut().push(RawLink {
                        dest: a.value.trim().to_string(),
                        line: line as usize,
                        is_image,
                        alt: if is_image { alt.clone() } else { String::new() },
                    });
                }
            }
        }
        TokenSinkResult::Continue
    }
}

/// The URLs in the tags of `html`, in order.
pub fn links(html: &str) -> Vec<RawLink> {
    tokenize(html, LinkSink(RefCell::new(Vec::new())))
        .0
        .into_inner()
}

struct TextSink(RefCell<String>);

impl TokenSink for TextSink {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut out = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(t) => out.push_str(&t),
            Token::TagToken(tag) => match (&tag.kind, &*tag.name) {
                (TagKind::StartTag, "br") => out.push('\n'),
                (TagKind::EndTag, "td" | "th") => out.push(' '),
                (
                    TagKind::EndTag,
                    "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "tr" | "dt"
                    | "dd" | "blockquote" | "pre" | "caption" | "figcaption",
                ) if !out.ends_with('\n') => out.push('\n'),
                _ => {}
            },
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The text of sanitised HTML, blocks on their own lines, table cells separated by a space.
/// Only for the sanitiser's output: it has no `<script>` or `<style>` left, whose content a
/// bare tokenizer would take for text.
pub fn text(sanitised: &str) -> String {
    tokenize(sanitised, TextSink(RefCell::new(String::new())))
        .0
        .into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_urls_in_any_tag_with_lines() {
        let l = links("<p>\n<a\n href=\"../ysqgk/a.md\">x</a><img src='b.png' alt=\"图\">\n<iframe src=\"c.html\"></iframe><q cite=\"d.md\">q</q>");
        let got: Vec<(&str, usize, bool, &str)> = l
            .iter()
            .map(|l| (l.dest.as_str(), l.line, l.is_image, l.alt.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("../ysqgk/a.md", 3, false, ""),
                ("b.png", 3, true, "图"),
                ("c.html", 4, false, ""),
                ("d.md", 4, false, ""),
            ]
        );
    }

    #[test]
    fn decodes_entities_in_urls() {
        assert_eq!(links("<a href=\"a&amp;b.pdf\">")[0].dest, "a&b.pdf");
    }

    #[test]
    fn text_has_blocks_on_lines_and_no_markup() {
        assert_eq!(
            text("<p>甲&amp;乙</p><table><tr><td>一</td><td>二</td></tr></table>正文<br>下行"),
            "甲&乙\n一 二 \n正文\n下行"
        );
    }
}
