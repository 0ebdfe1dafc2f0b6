//! Property tests of the query side (issue 11, "Also"): the parser never panics and keeps its
//! limits; the engine answers any query with any filters; and any piece of a document's text
//! that does not cut a letter/digit word finds that document (the analyzer's promise). Case
//! counts are small for CI; `PROPTEST_CASES=N` raises them. Failures are recorded under
//! `proptest-regressions/` and replayed first.

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;

use gongkai_search::query::{parse, MAX_PARTS, MAX_QUERY_CHARS};
use gongkai_search::{IndexDoc, LocalIndex, SearchQuery, Sort};

fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases: n,
        // Beside this file (tests run in the crate's folder), committed.
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(
                "tests/query_props.proptest-regressions",
            ),
        )),
        ..ProptestConfig::default()
    }
}

/// The quote marks the parser groups words with.
const QUOTES: [char; 8] = ['"', '＂', '“', '”', '「', '」', '『', '』'];

/// What citizens type, and what they paste: words, quotes of every kind, operators, symbols.
fn query_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "\\PC{0,10}",
        2 => "[政务公开信息条例年报告预算决算]{1,6}",
        2 => "[ \u{3000}\"“”「」『』＂+\\-－|&()*:~^]{1,3}",
        1 => Just("OR".to_string()),
        1 => Just("AND".to_string()),
        1 => "[a-zA-Z0-9ＰＭ２．５]{1,8}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

/// A small fixed index (built once) to run random queries against.
fn index() -> &'static (tempfile::TempDir, usize) {
    static INDEX: OnceLock<(tempfile::TempDir, usize)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let docs: Vec<IndexDoc> = (0..12)
            .map(|i| IndexDoc {
                url: format!("/d/{i}/"),
                title: format!("政务公开工作要点 第{i}号"),
                body: format!("信息公开条例 预算 决算 PM2.5 office{i} 2016年"),
                category: ["综合政务", "财政"][i % 2].into(),
                issuer: vec!["市政府办公室".into()],
                kind: "其他文件".into(),
                validity: "有效".into(),
                published: format!("20{:02}-01-0{}", 10 + i, 1 + i % 9),
                ..IndexDoc::default()
            })
            .collect();
        (common::build(&docs), docs.len())
    })
}

proptest! {
    #![proptest_config(cases(2000))]

    /// The parser: never a panic; at most MAX_PARTS parts, each with terms; every part is a
    /// piece of what was typed (after the cut at MAX_QUERY_CHARS, and without the quote marks,
    /// which an unbalanced quote inside a word loses); the cut is reported.
    #[test]
    fn parsing_keeps_its_limits(q in query_text()) {
        let p = parse(&q);
        prop_assert_eq!(p.truncated, q.chars().count() > MAX_QUERY_CHARS);
        let unquoted = |s: &str| -> String { s.chars().filter(|c| !QUOTES.contains(c)).collect() };
        let kept = unquoted(&q.chars().take(MAX_QUERY_CHARS).collect::<String>());
        let parts: Vec<_> = p.positive_parts().chain(p.excluded.iter()).collect();
        prop_assert!(parts.len() <= MAX_PARTS);
        for part in parts {
            prop_assert!(!part.terms.is_empty());
            prop_assert!(kept.contains(&unquoted(&part.text)), "{:?} is not in {:?}", part.text, kept);
        }
        prop_assert!(p.alternatives.iter().all(|a| !a.is_empty()));
    }
}

proptest! {
    #![proptest_config(cases(300))]

    /// The engine answers every query and filter combination: no error, counts that add up,
    /// pages within their limit, hits from the index only.
    #[test]
    fn the_engine_answers_any_query(
        q in query_text(),
        category in prop::option::of(prop_oneof![Just("综合政务".to_string()), "\\PC{0,4}"]),
        year in prop::option::of("[0-9]{0,5}"),
        sort in prop_oneof![Just(Sort::Relevance), Just(Sort::Date)],
        limit in 0usize..200,
        offset in 0usize..20,
    ) {
        let (dir, n) = index();
        let mut ix = LocalIndex::open(dir.path()).unwrap();
        let query = SearchQuery { q, category, year, sort, limit, offset, ..SearchQuery::default() };
        let r = ix.search(&query).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(r.total <= *n as u64);
        prop_assert!(r.hits.len() <= limit.clamp(1, 100));
        prop_assert!(r.hits.len() as u64 <= r.total.saturating_sub(offset as u64));
        for h in &r.hits {
            prop_assert!(h.url.starts_with("/d/"), "{}", h.url);
        }
    }
}

/// Document text over a small alphabet, so that random pieces of it recur across documents.
fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[政务公开信息条例年]",
            2 => "[ab12]{1,3}",
            1 => "[ ，。\\-/]",
        ],
        1..40,
    )
    .prop_map(|v| v.concat())
}

/// True when `i` (a char index) is not inside a run of ASCII letters and digits.
fn at_word_edge(chars: &[char], i: usize) -> bool {
    i == 0
        || i == chars.len()
        || !(chars[i - 1].is_ascii_alphanumeric() && chars[i].is_ascii_alphanumeric())
}

proptest! {
    #![proptest_config(cases(24))]

    /// Any piece of a document's text that does not cut a word, searched as a phrase, finds
    /// that document; left out (`-"…"`), it removes that document.
    #[test]
    fn a_piece_of_the_text_finds_its_document(
        bodies in prop::collection::vec(body(), 1..5),
        pick in any::<prop::sample::Index>(),
        from in any::<prop::sample::Index>(),
        len in 1usize..30,
    ) {
        let d = pick.index(bodies.len());
        let chars: Vec<char> = bodies[d].chars().collect();
        // Widen the piece to whole words: a word is matched whole, never a part of it.
        let mut start = from.index(chars.len());
        let mut end = (start + len).min(chars.len());
        while !at_word_edge(&chars, start) {
            start -= 1;
        }
        while !at_word_edge(&chars, end) {
            end += 1;
        }
        let piece: String = chars[start..end].iter().collect();
        prop_assume!(piece.chars().any(|c| c.is_alphanumeric()));
        let docs: Vec<IndexDoc> = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| IndexDoc { url: format!("/d/{i}/"), title: "标题".into(), body: b.clone(), ..IndexDoc::default() })
            .collect();
        let dir = common::build(&docs);
        let mut ix = LocalIndex::open(dir.path()).unwrap();
        let r = ix
            .search(&SearchQuery { q: format!("\"{piece}\""), limit: 100, ..SearchQuery::default() })
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let want = format!("/d/{d}/");
        prop_assert!(r.hits.iter().any(|h| h.url == want), "{:?} in {:?} not found: {:?}", piece, bodies[d], r.hits.iter().map(|h| &h.url).collect::<Vec<_>>());
        // And left out, the same piece removes that document (every document has the title).
        let r = ix
            .search(&SearchQuery { q: format!("标题 -\"{piece}\""), limit: 100, ..SearchQuery::default() })
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(r.hits.iter().all(|h| h.url != want), "-{:?} kept {:?}", piece, bodies[d]);
    }
}
