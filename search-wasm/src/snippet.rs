//! Highlighted snippets: a short, HTML-escaped window of stored text with the query's matches in
//! `<mark>`.
//!
//! Matches are found with the analyzer's own units ([`crate::analyzer::units`]) rather than
//! tantivy's `SnippetGenerator`: a part matches where its units occur at the same relative
//! positions, which is exactly what the index matched (so 政务公开 highlights 政务公开, never a
//! stray 公开), and full-width or differently-cased text still highlights.

use std::collections::HashMap;
use std::ops::Range;

use crate::analyzer::{units, Unit};
use crate::query::Part;

/// Characters in a snippet window.
pub const SNIPPET_CHARS: usize = 120;
/// Characters of context shown before the first match.
const LEAD_CHARS: usize = 24;

/// Byte ranges in `text` where some part occurs, sorted and merged, with the index of the part.
fn find_matches(text: &str, parts: &[&Part]) -> Vec<(Range<usize>, usize)> {
    let text_units = units(text);
    let mut at: HashMap<usize, &Unit> = HashMap::with_capacity(text_units.len());
    for u in &text_units {
        at.insert(u.position, u);
    }
    let mut found = Vec::new();
    for (pi, part) in parts.iter().enumerate() {
        let part_units = units(&part.text);
        let Some(first) = part_units.first() else {
            continue;
        };
        for start in text_units.iter().filter(|u| u.text == first.text) {
            let mut end = start.end;
            let all = part_units.iter().all(|pu| {
                match at.get(&(start.position + pu.position - first.position)) {
                    Some(u) if u.text == pu.text => {
                        end = end.max(u.end);
                        true
                    }
                    _ => false,
                }
            });
            if all {
                found.push((start.start..end, pi));
            }
        }
    }
    found.sort_by_key(|(r, _)| (r.start, r.end));
    let mut merged: Vec<(Range<usize>, usize)> = Vec::new();
    for (r, pi) in found {
        match merged.last_mut() {
            Some((last, _)) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push((r, pi)),
        }
    }
    merged
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Collapses runs of whitespace (line breaks included) into one space.
fn squash_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Renders `text[window]` with every match inside it marked.
fn render(text: &str, window: Range<usize>, matches: &[(Range<usize>, usize)]) -> String {
    let mut out = String::new();
    let mut pos = window.start;
    for (r, _) in matches {
        let (s, e) = (r.start.max(window.start), r.end.min(window.end));
        if s >= e || s < pos {
            continue;
        }
        out.push_str(&escape_html(&text[pos..s]));
        out.push_str("<mark>");
        out.push_str(&escape_html(&text[s..e]));
        out.push_str("</mark>");
        pos = e;
    }
    out.push_str(&escape_html(&text[pos..window.end]));
    out
}

/// The whole of `text` with matches marked (for titles).
pub fn highlight_all(text: &str, parts: &[&Part]) -> String {
    let matches = find_matches(text, parts);
    render(text, 0..text.len(), &matches)
}

/// A window of about [`SNIPPET_CHARS`] characters of `text` around the place that matches the most
/// distinct parts (earliest on ties), matches marked, `…` where text was cut. Without any match it
/// is the start of the text.
pub fn snippet(text: &str, parts: &[&Part]) -> String {
    let text = squash_whitespace(text);
    let matches = find_matches(&text, parts);
    // Char boundaries, so windows are counted in characters.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let char_at = |byte: usize| bounds.partition_point(|&b| b < byte);
    let nchars = bounds.len() - 1;
    let mut best_start_char = 0usize;
    let mut best = 0usize;
    for (r, _) in &matches {
        let start_char = char_at(r.start).saturating_sub(LEAD_CHARS);
        let end_byte = bounds[(start_char + SNIPPET_CHARS).min(nchars)];
        let mut distinct: Vec<usize> = matches
            .iter()
            .filter(|(m, _)| m.start >= bounds[start_char] && m.end <= end_byte)
            .map(|(_, pi)| *pi)
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > best {
            best = distinct.len();
            best_start_char = start_char;
        }
    }
    let end_char = (best_start_char + SNIPPET_CHARS).min(nchars);
    let window = bounds[best_start_char]..bounds[end_char];
    let mut out = String::new();
    if best_start_char > 0 {
        out.push('…');
    }
    out.push_str(&render(&text, window, &matches));
    if end_char < nchars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::query_terms;

    fn part(s: &str) -> Part {
        Part {
            text: s.to_string(),
            terms: query_terms(s),
        }
    }

    #[test]
    fn marks_whole_phrases_only() {
        let p = part("政务公开");
        assert_eq!(
            highlight_all("推进政务公开，公开透明", &[&p]),
            "推进<mark>政务公开</mark>，公开透明"
        );
    }

    #[test]
    fn marks_full_width_and_mixed_text() {
        let p = part("PM2.5");
        assert_eq!(
            highlight_all("降低ＰＭ２．５浓度", &[&p]),
            "降低<mark>ＰＭ２．５</mark>浓度"
        );
        let p = part("〔2022〕44号");
        assert_eq!(
            highlight_all("承市政办字〔2022〕44号文", &[&p]),
            "承市政办字〔<mark>2022〕44号</mark>文"
        );
    }

    #[test]
    fn escapes_html() {
        let p = part("公开");
        assert_eq!(
            highlight_all("<b>公开</b>&", &[&p]),
            "&lt;b&gt;<mark>公开</mark>&lt;/b&gt;&amp;"
        );
    }

    #[test]
    fn window_goes_to_the_match() {
        let text = format!("{}政务公开{}", "甲".repeat(300), "乙".repeat(300));
        let s = snippet(&text, &[&part("政务公开")]);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>政务公开</mark>"));
        assert_eq!(s.chars().filter(|&c| c == '甲').count(), LEAD_CHARS);
    }

    #[test]
    fn no_match_gives_the_start() {
        let s = snippet("第一段。\n\n第二段。", &[&part("无关")]);
        assert_eq!(s, "第一段。 第二段。");
    }
}
