//! What a citizen typed → a tantivy query, without tantivy's query-parser syntax (which can fail on
//! ordinary input such as an unbalanced quote or a lone `-`).
//!
//! Rules, in order:
//! * The text is cut to [`MAX_QUERY_CHARS`] characters (a notice says so).
//! * `"…"` and `“…”` (and 「…」) group words into one part; an unbalanced quote is ignored.
//! * Otherwise whitespace (also the full-width space) separates parts. Every part must match
//!   (AND); a part written `-词` or `-"…"` must not match; the words `AND` and `+` are ignored, `OR` (or `|`)
//!   separates alternatives: `预算 OR 决算`.
//! * Each part becomes its [`query_terms`]: one term, or a phrase of covering bigrams. A part with
//!   no letters, digits or CJK characters (punctuation, emoji) is dropped.
//! * At most [`MAX_PARTS`] parts are kept.
//!
//! A part matches a document when it matches the `text` field (title, numbers, issuers and body).
//! Ranking is BM25 on that one field; the title weighs more because the writer indexes it
//! [`crate::schema::TITLE_WEIGHT`] times (a phrase in the title counts that many times). Boosting
//! through the field itself, rather than a separate title field, means a query looks every term
//! up in one dictionary and reads one set of postings, which is most of what a cold query costs.

use serde::{Deserialize, Serialize};
use tantivy::query::{AllQuery, BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analyzer::query_terms;
use crate::schema::Fields;

/// Longest query kept, in characters.
pub const MAX_QUERY_CHARS: usize = 64;
/// Most parts (words or phrases) kept.
pub const MAX_PARTS: usize = 8;
/// Default number of hits per page.
pub const DEFAULT_LIMIT: usize = 10;
/// Most hits per page.
pub const MAX_LIMIT: usize = 100;

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (BM25 with title boost), newer first among equals.
    #[default]
    Relevance,
    /// Newest 发布日期 first; documents without a date last.
    Date,
}

/// A search request: the citizen's words, filters, order and page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    /// The words as typed.
    pub q: String,
    /// 主题分类 filter (exact value).
    pub category: Option<String>,
    /// Second-level 主题分类 filter, `一级\二级` (exact value, see [`crate::category_path`]).
    pub category_sub: Option<String>,
    /// 发布机构 filter (exact value).
    pub issuer: Option<String>,
    /// Year of 发布日期 (`2019`).
    pub year: Option<String>,
    /// 文种 filter (exact value).
    pub kind: Option<String>,
    /// 有效性 filter (exact value).
    pub validity: Option<String>,
    /// Order of hits.
    pub sort: Sort,
    /// Hits per page (capped at [`MAX_LIMIT`]).
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Count the documents per filter value ([`crate::Facets`]). Off by default: exact counts
    /// read every facet's whole column (at 100,000 documents, 270 KiB), so the search page asks
    /// for them only while its filter panel is open. Without it a query reads the columns of
    /// its active filters only, and its facets are empty.
    pub facets: bool,
    /// Read every position of every word, however common, so that the count is exact (the
    /// search page's "统计精确数量" link). Off: see [`crate::engine::POSITIONS_BUDGET`].
    pub exact: bool,
    /// Bytes of positions a query may read before it bounds its common words (`None`: the
    /// default [`crate::engine::POSITIONS_BUDGET`]); for tests and measurements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<usize>,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            q: String::new(),
            category: None,
            category_sub: None,
            issuer: None,
            year: None,
            kind: None,
            validity: None,
            sort: Sort::Relevance,
            limit: DEFAULT_LIMIT,
            offset: 0,
            facets: false,
            exact: false,
            budget: None,
        }
    }
}

impl SearchQuery {
    /// A query for `q` with default filters, order and page.
    pub fn new(q: impl Into<String>) -> SearchQuery {
        SearchQuery {
            q: q.into(),
            ..SearchQuery::default()
        }
    }
}

/// One part of a query: its terms with relative positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part as written (after normalisation of quotes), for highlighting.
    pub text: String,
    /// `(offset, term)` from [`query_terms`]; never empty.
    pub terms: Vec<(usize, String)>,
}

/// A parsed query: alternatives (OR) of conjunctions (AND), plus exclusions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Each alternative: parts that must all match. Empty when only exclusions or nothing remain.
    pub alternatives: Vec<Vec<Part>>,
    /// Parts that must not match.
    pub excluded: Vec<Part>,
    /// The input was longer than [`MAX_QUERY_CHARS`] and was cut.
    pub truncated: bool,
    /// Some parts were dropped because there were more than [`MAX_PARTS`].
    pub too_many_parts: bool,
    /// Some parts held nothing searchable (punctuation, emoji) and were dropped.
    pub dropped_parts: bool,
}

impl ParsedQuery {
    /// Whether nothing searchable remains (no positive part).
    pub fn is_empty(&self) -> bool {
        self.alternatives.iter().all(|a| a.is_empty())
    }

    /// All positive parts (for highlighting).
    pub fn positive_parts(&self) -> impl Iterator<Item = &Part> {
        self.alternatives.iter().flatten()
    }

    /// Every distinct term of every part.
    pub fn all_terms(&self) -> impl Iterator<Item = &Part> {
        self.alternatives
            .iter()
            .flatten()
            .chain(self.excluded.iter())
    }
}

/// A raw token of the query line: a word, or a quoted group (`-"…"`: one to leave out).
enum Raw {
    Word(String),
    Quoted(String),
    ExcludedQuoted(String),
}

fn split_raw(q: &str) -> Vec<Raw> {
    let mut out = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    let flush = |word: &mut String, out: &mut Vec<Raw>| {
        if !word.is_empty() {
            out.push(Raw::Word(std::mem::take(word)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let close = match c {
            '"' | '＂' => Some(['"', '＂']),
            '“' | '”' => Some(['”', '“']),
            '「' => Some(['」', '」']),
            '『' => Some(['』', '』']),
            _ => None,
        };
        if let Some(close) = close {
            if let Some(len) = chars[i + 1..].iter().position(|c| close.contains(c)) {
                // A minus sign right before the quote excludes the whole group.
                let excluded = matches!(word.as_str(), "-" | "－");
                if excluded {
                    word.clear();
                }
                flush(&mut word, &mut out);
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                out.push(if excluded {
                    Raw::ExcludedQuoted(inner)
                } else {
                    Raw::Quoted(inner)
                });
                i += len + 2;
                continue;
            }
            // Unbalanced: the quote is just punctuation.
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            flush(&mut word, &mut out);
        } else {
            word.push(c);
        }
        i += 1;
    }
    flush(&mut word, &mut out);
    out
}

/// Parses a query line (see the module doc). Never fails; the flags say what was dropped.
pub fn parse(q: &str) -> ParsedQuery {
    let mut parsed = ParsedQuery::default();
    let q: String = if q.chars().count() > MAX_QUERY_CHARS {
        parsed.truncated = true;
        q.chars().take(MAX_QUERY_CHARS).collect()
    } else {
        q.to_string()
    };
    let mut current: Vec<Part> = Vec::new();
    let mut parts_kept = 0usize;
    let mut keep = |text: &str, parsed: &mut ParsedQuery| -> Option<Part> {
        let terms = query_terms(text);
        if terms.is_empty() {
            parsed.dropped_parts = true;
            return None;
        }
        if parts_kept == MAX_PARTS {
            parsed.too_many_parts = true;
            return None;
        }
        parts_kept += 1;
        Some(Part {
            text: text.to_string(),
            terms,
        })
    };
    for raw in split_raw(&q) {
        match raw {
            Raw::Quoted(text) => current.extend(keep(&text, &mut parsed)),
            Raw::ExcludedQuoted(text) => {
                if let Some(p) = keep(&text, &mut parsed) {
                    parsed.excluded.push(p);
                }
            }
            Raw::Word(w) => match w.as_str() {
                "AND" | "&&" | "+" => {}
                "OR" | "|" | "||" => {
                    if !current.is_empty() {
                        parsed.alternatives.push(std::mem::take(&mut current));
                    }
                }
                _ => {
                    if let Some(rest) = w.strip_prefix(['-', '－']).filter(|r| !r.is_empty()) {
                        if let Some(p) = keep(rest, &mut parsed) {
                            parsed.excluded.push(p);
                        }
                    } else {
                        let w = w.strip_prefix('+').unwrap_or(&w);
                        current.extend(keep(w, &mut parsed));
                    }
                }
            },
        }
    }
    if !current.is_empty() {
        parsed.alternatives.push(current);
    }
    parsed
}

/// The query matching one part in one field.
fn part_in_field(part: &Part, field: Field) -> Box<dyn Query> {
    if part.terms.len() == 1 {
        let term = Term::from_field_text(field, &part.terms[0].1);
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    } else {
        let terms = part
            .terms
            .iter()
            .map(|(pos, t)| (*pos, Term::from_field_text(field, t)))
            .collect();
        Box::new(PhraseQuery::new_with_offset(terms))
    }
}

/// One part: must match `text` (its score is the part's BM25 score there).
fn part_query(part: &Part, fields: &Fields) -> Box<dyn Query> {
    part_in_field(part, fields.text)
}

/// Builds the tantivy query of the positive parts. With none it matches every document, which
/// the engine uses for filter-only browsing. Exclusions are not part of it: see [`build_excluded`].
pub fn build(parsed: &ParsedQuery, fields: &Fields) -> Box<dyn Query> {
    let alternatives: Vec<Box<dyn Query>> = parsed
        .alternatives
        .iter()
        .filter(|a| !a.is_empty())
        .map(|parts| {
            let clauses = parts
                .iter()
                .map(|p| (Occur::Must, part_query(p, fields)))
                .collect();
            Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
        })
        .collect();
    match alternatives.len() {
        0 => Box::new(AllQuery),
        1 => alternatives.into_iter().next().expect("one alternative"),
        _ => Box::new(BooleanQuery::new(
            alternatives
                .into_iter()
                .map(|q| (Occur::Should, q))
                .collect(),
        )),
    }
}

/// [`build`] with every phrase relaxed to its words (all of them, anywhere in the document): the
/// documents a phrase query must check the positions of. Counts the rest of a bounded query.
pub fn build_relaxed(parsed: &ParsedQuery, fields: &Fields) -> Box<dyn Query> {
    let relaxed = ParsedQuery {
        alternatives: parsed
            .alternatives
            .iter()
            .map(|parts| {
                parts
                    .iter()
                    .flat_map(|p| {
                        p.terms.iter().map(|t| Part {
                            text: p.text.clone(),
                            terms: vec![t.clone()],
                        })
                    })
                    .collect()
            })
            .collect(),
        ..parsed.clone()
    };
    build(&relaxed, fields)
}

/// The documents to leave out: any excluded part (`-词`), or `None` when there is none.
///
/// The engine collects these documents on their own and skips them, rather than adding the
/// parts as `MustNot` clauses: tantivy 0.27's exclusion probes a phrase scorer with
/// `seek_danger` below the document the scorer already stands on (past its last match, when the
/// phrase occurs nowhere), which breaks the scorer's contract and trips its debug assertion:
/// `-"条 开"` with a filter panicked in debug builds. Walking the phrase scorer forward on its
/// own is the path every positive query takes.
pub fn build_excluded(parsed: &ParsedQuery, fields: &Fields) -> Option<Box<dyn Query>> {
    let mut parts: Vec<Box<dyn Query>> = parsed
        .excluded
        .iter()
        .map(|p| part_in_field(p, fields.text))
        .collect();
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            parts.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(p: &ParsedQuery) -> Vec<Vec<String>> {
        p.alternatives
            .iter()
            .map(|a| a.iter().map(|p| p.text.clone()).collect())
            .collect()
    }

    #[test]
    fn splits_on_whitespace_including_full_width_space() {
        let p = parse("政务公开\u{3000}条例  2016年");
        assert_eq!(texts(&p), vec![vec!["政务公开", "条例", "2016年"]]);
    }

    #[test]
    fn quotes_group_words_and_unbalanced_quotes_are_ignored() {
        assert_eq!(
            texts(&parse("\"信息 公开\" 条例")),
            vec![vec!["信息 公开", "条例"]]
        );
        assert_eq!(texts(&parse("“政务公开”")), vec![vec!["政务公开"]]);
        assert_eq!(texts(&parse("\"政务公开")), vec![vec!["政务公开"]]);
        assert_eq!(texts(&parse("政务\"公开")), vec![vec!["政务公开"]]);
    }

    #[test]
    fn operators() {
        let p = parse("预算 AND 决算 -草案");
        assert_eq!(texts(&p), vec![vec!["预算", "决算"]]);
        assert_eq!(p.excluded.len(), 1);
        assert_eq!(
            texts(&parse("预算 OR 决算")),
            vec![vec!["预算"], vec!["决算"]]
        );
        assert_eq!(texts(&parse("- 2021-2025")), vec![vec!["2021-2025"]]);
        // A minus sign before a quoted group leaves the group out, in every quote style.
        for q in [
            "政务 -\"信息 公开\"",
            "政务 －“信息 公开”",
            "政务 -「信息 公开」",
        ] {
            let p = parse(q);
            assert_eq!(texts(&p), vec![vec!["政务"]], "{q}");
            assert_eq!(p.excluded.len(), 1, "{q}");
            assert_eq!(p.excluded[0].text, "信息 公开", "{q}");
        }
        assert!(parse("OR OR AND").is_empty());
    }

    #[test]
    fn drops_parts_without_words_and_caps_length() {
        let p = parse("。。。 😀 ！！");
        assert!(p.is_empty() && p.dropped_parts);
        let p = parse(&"政".repeat(10_000));
        assert!(p.truncated);
        assert_eq!(p.alternatives[0][0].text.chars().count(), MAX_QUERY_CHARS);
        let p = parse("a b c d e f g h i j");
        assert!(p.too_many_parts);
        assert_eq!(p.alternatives[0].len(), MAX_PARTS);
    }
}
