//! Search behaviour on the real corpus: recall and precision against substring ground truth,
//! ranking, filters and facet counts, the leak marker, determinism and bad input.
//! Ground truth is always computed here from the documents, never hard-coded.

mod common;

use std::collections::BTreeSet;

use gongkai_search::analyzer::normalize;
use gongkai_search::{IndexDoc, LocalIndex, SearchQuery, Sort};

use common::{build, sample, searchable_text};

fn all_urls(index: &mut LocalIndex, q: SearchQuery) -> (BTreeSet<String>, Vec<String>) {
    let q = SearchQuery { limit: 100, ..q };
    let mut urls = Vec::new();
    let mut offset = 0;
    loop {
        let r = index
            .search(&SearchQuery {
                offset,
                ..q.clone()
            })
            .expect("search");
        let n = r.hits.len();
        urls.extend(r.hits.into_iter().map(|h| h.url));
        offset += n;
        if n == 0 || offset as u64 >= r.total {
            assert_eq!(urls.len() as u64, r.total, "paging covers the total");
            break;
        }
    }
    (urls.iter().cloned().collect(), urls)
}

fn truth(docs: &[IndexDoc], q: &str) -> BTreeSet<String> {
    let needle = normalize(q);
    docs.iter()
        .filter(|d| searchable_text(d).contains(&needle))
        .map(|d| d.url.clone())
        .collect()
}

#[test]
fn hit_sets_equal_substring_ground_truth() {
    let docs = sample(3);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let queries = [
        "政务公开",
        "公开",
        "政务",
        "政府信息公开条例",
        "预决算",
        "行政复议",
        "2016年",
        "环境变量",
        "信息公开",
        "税",
        "表",
        "国务院",
        "生态环境",
        "ＰＭ２．５",
        "PM2.5",
        "办法",
        "第十二条",
    ];
    for q in queries {
        let expected = truth(&docs, q);
        let (got, _) = all_urls(&mut index, SearchQuery::new(q));
        assert_eq!(
            got,
            expected,
            "query {q:?}: {} hits, {} docs contain it",
            got.len(),
            expected.len()
        );
    }
}

#[test]
fn document_numbers_are_found() {
    let docs = sample(3);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let with_no: Vec<&IndexDoc> = docs
        .iter()
        .filter(|d| d.doc_no.contains('〔'))
        .take(5)
        .collect();
    assert!(!with_no.is_empty());
    for d in with_no {
        let (got, _) = all_urls(&mut index, SearchQuery::new(d.doc_no.clone()));
        assert!(
            got.contains(&d.url),
            "{} not found by its 文号 {}",
            d.url,
            d.doc_no
        );
        assert!(
            truth(&docs, &d.doc_no).is_subset(&got),
            "every doc containing {} is found",
            d.doc_no
        );
    }
}

#[test]
fn title_matches_rank_first() {
    let docs = sample(3);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    for d in docs.iter().step_by(37).take(8) {
        let r = index.search(&SearchQuery::new(d.title.clone())).unwrap();
        let top = &r.hits[0];
        assert!(
            normalize(&top.title).contains(&normalize(&d.title)),
            "query {:?} → first {:?}",
            d.title,
            top.title
        );
    }
}

#[test]
fn and_or_not_and_quotes() {
    let docs = sample(3);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let a = truth(&docs, "预算");
    let b = truth(&docs, "公开");
    let (and, _) = all_urls(&mut index, SearchQuery::new("预算 公开"));
    assert_eq!(and, a.intersection(&b).cloned().collect());
    let (and2, _) = all_urls(&mut index, SearchQuery::new("预算 AND 公开"));
    assert_eq!(and2, and);
    let (or, _) = all_urls(&mut index, SearchQuery::new("预算 OR 公开"));
    assert_eq!(or, a.union(&b).cloned().collect());
    let (not, _) = all_urls(&mut index, SearchQuery::new("预算 -公开"));
    assert_eq!(not, a.difference(&b).cloned().collect());
    let (quoted, _) = all_urls(&mut index, SearchQuery::new("“政务公开”"));
    assert_eq!(quoted, truth(&docs, "政务公开"));
    // Left out as a phrase (four characters: two bigrams), bare or quoted: `-"…"` used to
    // drop its minus sign and ask for the phrase instead.
    let without = a
        .difference(&truth(&docs, "政务公开"))
        .cloned()
        .collect::<BTreeSet<_>>();
    assert!(without.len() < a.len());
    for q in [
        "预算 -政务公开",
        "预算 -\"政务公开\"",
        "预算 -“政务公开”",
        "预算 －「政务公开」",
    ] {
        let (not, _) = all_urls(&mut index, SearchQuery::new(q));
        assert_eq!(not, without, "{q}");
    }
}

#[test]
fn filters_narrow_and_facets_count_disjunctively() {
    let counted = |q: &str| SearchQuery {
        facets: true,
        ..SearchQuery::new(q)
    };
    let docs = sample(3);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let base = truth(&docs, "公开");
    let matching: Vec<&IndexDoc> = docs.iter().filter(|d| base.contains(&d.url)).collect();
    let r = index.search(&counted("公开")).unwrap();
    // Facet counts equal counts over the matching documents.
    for (kind, n) in &r.facets.kind {
        assert_eq!(
            *n as usize,
            matching.iter().filter(|d| &d.kind == kind).count(),
            "kind {kind}"
        );
    }
    let (kind, _) = r.facets.kind[0].clone();
    let q = SearchQuery {
        kind: Some(kind.clone()),
        ..counted("公开")
    };
    let filtered = index.search(&q).unwrap();
    assert_eq!(
        filtered.total as usize,
        matching.iter().filter(|d| d.kind == kind).count()
    );
    assert!(filtered.total < r.total);
    assert!(filtered.hits.iter().all(|h| h.kind == kind));
    // The kind facet still shows every kind (it ignores its own filter); others are narrowed.
    assert_eq!(filtered.facets.kind, r.facets.kind);
    let issuers: u64 = filtered.facets.issuer.iter().map(|(_, n)| n).sum();
    assert_eq!(issuers, filtered.total, "one issuer per corpus doc");
    // Year and validity filters, combined.
    let year = r.facets.year[0].0.clone();
    let q = SearchQuery {
        year: Some(year.clone()),
        validity: Some("有效".into()),
        ..counted("公开")
    };
    let expected = matching
        .iter()
        .filter(|d| d.published.starts_with(&year) && d.validity == "有效")
        .count();
    assert_eq!(index.search(&q).unwrap().total as usize, expected);
    // An unknown value gives nothing, not an error.
    let q = SearchQuery {
        category: Some("不存在的分类".into()),
        ..counted("公开")
    };
    assert_eq!(index.search(&q).unwrap().total, 0);
    // Filters alone browse, newest first.
    let q = SearchQuery {
        kind: Some(kind.clone()),
        limit: 50,
        ..SearchQuery::default()
    };
    let browse = index.search(&q).unwrap();
    assert_eq!(
        browse.total as usize,
        docs.iter().filter(|d| d.kind == kind).count()
    );
    let dates: Vec<&str> = browse.hits.iter().map(|h| h.published.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

#[test]
fn sort_by_date() {
    let docs = sample(3);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let q = SearchQuery {
        sort: Sort::Date,
        limit: 100,
        ..SearchQuery::new("公开")
    };
    let r = index.search(&q).unwrap();
    let days: Vec<String> = r
        .hits
        .iter()
        .map(|h| h.published.replace('-', ""))
        .collect();
    let mut sorted = days.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(days, sorted);
}

/// No words (the search page opened bare, or only filters chosen) lists documents newest first,
/// with facet counts over all of them; punctuation alone still says why nothing was searched.
#[test]
fn no_words_lists_every_document_newest_first() {
    let docs = sample(3);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let all = index
        .search(&SearchQuery {
            limit: 100,
            facets: true,
            ..SearchQuery::new("  ")
        })
        .unwrap();
    assert!(all.searched);
    assert_eq!(all.total as usize, docs.len());
    let days: Vec<String> = all.hits.iter().map(|h| h.published.clone()).collect();
    let mut newest: Vec<String> = docs.iter().map(|d| d.published.clone()).collect();
    newest.sort_by(|a, b| b.cmp(a));
    newest.truncate(days.len());
    assert_eq!(days, newest, "newest first");
    let kinds: u64 = all.facets.kind.iter().map(|(_, n)| n).sum();
    assert_eq!(
        kinds as usize,
        docs.iter().filter(|d| !d.kind.is_empty()).count()
    );
    // A filter alone: the documents of that kind, still newest first.
    let kind = all.facets.kind[0].0.clone();
    let only = index
        .search(&SearchQuery {
            kind: Some(kind.clone()),
            limit: 100,
            ..SearchQuery::new("")
        })
        .unwrap();
    assert_eq!(
        only.total as usize,
        docs.iter().filter(|d| d.kind == kind).count()
    );
    let r = index.search(&SearchQuery::new("。。。")).unwrap();
    assert!(!r.searched && r.notices.iter().any(|n| n.code == "no_words"));
}

#[test]
fn snippets_are_highlighted_and_escaped() {
    let docs = sample(3);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let r = index.search(&SearchQuery::new("行政复议")).unwrap();
    assert!(r.total > 0);
    assert!(r
        .hits
        .iter()
        .any(|h| h.snippet_html.contains("<mark>行政复议</mark>")));
    for h in &r.hits {
        assert!(!h
            .snippet_html
            .replace("<mark>", "")
            .replace("</mark>", "")
            .contains('<'));
    }
}

#[test]
fn documents_not_passed_are_never_found() {
    const MARKER: &str = "泄漏检查标记甲乙丙丁";
    let mut docs = sample(9);
    let mut secret = docs[0].clone();
    secret.url = "/secret/".into();
    secret.body = format!("{} {MARKER} 依申请公开", secret.body);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    assert_eq!(index.search(&SearchQuery::new(MARKER)).unwrap().total, 0);
    // Control: the same marker is found once the document is passed.
    docs.push(secret);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let r = index.search(&SearchQuery::new(MARKER)).unwrap();
    assert_eq!(
        r.hits.iter().map(|h| h.url.as_str()).collect::<Vec<_>>(),
        vec!["/secret/"]
    );
}

#[test]
fn same_documents_give_identical_files() {
    let docs = sample(7);
    let a = gongkai_search::write_index(&docs).unwrap();
    let b = gongkai_search::write_index(&docs).unwrap();
    assert_eq!(a.len(), b.len());
    for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between two builds");
    }
    // And a different document set gives a different manifest.
    let c = gongkai_search::write_index(&docs[1..]).unwrap();
    assert_ne!(a, c);
}

/// A site large enough for two writer threads, each cutting several segments (the smallest
/// writer budget tantivy allows), is merged into one index that answers exactly as an index cut
/// into one segment per thread: same totals, same hits in the same order, by relevance and by
/// date, and the substring ground truth.
#[test]
fn many_segments_merge_into_the_same_answers() {
    let corpus = common::corpus();
    let mut docs = corpus.clone();
    docs.extend(corpus.iter().map(|d| IndexDoc {
        url: format!("{}copy/", d.url),
        ..d.clone()
    }));
    assert!(docs.len() >= gongkai_search::writer::TWO_PARTS_FROM_DOCS);
    let few = build(&docs);
    let many = tempfile::tempdir().unwrap();
    let small = gongkai_search::WriteOptions {
        writer_memory: 15_000_000,
        ..Default::default()
    };
    common::write_files(
        many.path(),
        &gongkai_search::write_index_with(&docs, &small).unwrap(),
    );
    let mut few = LocalIndex::open(few.path()).unwrap();
    let mut many = LocalIndex::open(many.path()).unwrap();
    for q in [
        "政府信息公开",
        "条例",
        "财政预算",
        "2016年",
        "安全生产 检查",
        "\"实施意见\"",
    ] {
        for sort in [Sort::Relevance, Sort::Date] {
            let query = SearchQuery {
                sort,
                ..SearchQuery::new(q)
            };
            let (set, order) = all_urls(&mut many, query.clone());
            assert_eq!(order, all_urls(&mut few, query).1, "{q} ({sort:?})");
            if !q.contains([' ', '"']) {
                assert_eq!(set, truth(&docs, q), "{q}");
            }
        }
    }
}

#[test]
fn empty_index_works() {
    let dir = build(&[]);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let r = index.search(&SearchQuery::new("公开")).unwrap();
    assert_eq!(r.total, 0);
}

#[test]
fn bad_input_never_fails() {
    let docs = sample(9);
    let dir = build(&docs);
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let long = "政务公开".repeat(2500);
    let queries = [
        "",
        "   ",
        "\u{3000}",
        "。，、；",
        "😀",
        "😀😀 🇨🇳",
        "\"",
        "\"政务",
        "政务\"",
        "“”",
        "AND",
        "OR",
        "-",
        "--",
        "- -",
        "-公开",
        "+公开",
        "公开 -",
        "AND OR AND",
        "ＡＮＤ",
        "政务\u{3000}公开",
        "（）",
        "\\",
        "*",
        "?",
        "title:公开",
        "公开~2",
        "[2016 TO 2020]",
        long.as_str(),
        "a\u{0}b",
        "\u{202e}公开",
        "哈哈哈哈",
        "的的的的的",
    ];
    for q in queries {
        for sort in [Sort::Relevance, Sort::Date] {
            let r = index
                .search(&SearchQuery {
                    sort,
                    ..SearchQuery::new(q)
                })
                .unwrap_or_else(|e| panic!("query {q:?} failed: {e}"));
            if !r.searched {
                assert!(
                    !r.notices.is_empty(),
                    "query {q:?} says why nothing was searched"
                );
            }
        }
    }
    let r = index.search(&SearchQuery::new(long.as_str())).unwrap();
    assert!(r.notices.iter().any(|n| n.code == "truncated"));
    let r = index
        .search(&SearchQuery {
            limit: 100_000,
            offset: 1_000_000,
            ..SearchQuery::new("公开")
        })
        .unwrap();
    assert!(r.hits.is_empty() && r.total > 0);
}

#[test]
fn damaged_index_is_an_error_not_a_panic() {
    let docs = sample(20);
    let dir = build(&docs);
    let index_dir = dir.path().join("index");
    let chunks: Vec<_> = std::fs::read_dir(&index_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.ends_with(".bin") && !name.starts_with("hot-")
        })
        .collect();
    let search =
        || LocalIndex::open(dir.path()).and_then(|mut i| i.search(&SearchQuery::new("国务院")));
    assert!(search().is_ok());
    // Truncated chunk files.
    for c in &chunks {
        let bytes = std::fs::read(c).unwrap();
        std::fs::write(c, &bytes[..bytes.len() - 1]).unwrap();
    }
    let err = search().unwrap_err();
    assert!(matches!(err, gongkai_search::Error::Corrupt(_)), "{err}");
    // Missing chunk files.
    for c in &chunks {
        std::fs::remove_file(c).unwrap();
    }
    let err = search().unwrap_err();
    assert!(matches!(err, gongkai_search::Error::Io { .. }), "{err}");
    // A garbled, then a missing manifest.
    std::fs::write(index_dir.join("manifest.json"), b"{not json").unwrap();
    assert!(matches!(
        LocalIndex::open(dir.path()),
        Err(gongkai_search::Error::Corrupt(_))
    ));
    std::fs::remove_file(index_dir.join("manifest.json")).unwrap();
    assert!(matches!(
        LocalIndex::open(dir.path()),
        Err(gongkai_search::Error::Io { .. })
    ));
}
