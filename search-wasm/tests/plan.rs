//! The query planner reads little: a query with a word the index does not hold fetches
//! dictionary blocks only (never the postings of its common words, nor facet columns or
//! documents); a long posting list is one file; and the results are those of a reader that has
//! every file (nothing is approximated).

mod common;

use gongkai_search::manifest::{Manifest, INDEX_DIR, MANIFEST_NAME};
use gongkai_search::{LocalIndex, SearchQuery};

fn kinds(index: &LocalIndex, manifest: &Manifest) -> Vec<String> {
    index
        .files_read()
        .iter()
        .skip(2) // manifest and hotcache
        .map(|(name, _)| {
            if gongkai_search::stored::parse_record_name(&manifest.records, name).is_some() {
                return "record".to_string();
            }
            let f = manifest.file_of_chunk(name).expect("a file of the index");
            f.path.rsplit('.').next().unwrap().to_string()
        })
        .collect()
}

#[test]
fn a_word_in_no_document_stops_the_query_after_the_dictionary() {
    let docs = common::sample(3);
    let dir = common::build(&docs);
    let manifest =
        Manifest::parse(&std::fs::read(dir.path().join(INDEX_DIR).join(MANIFEST_NAME)).unwrap())
            .unwrap();
    // 政府 and 公开 are in most documents; the nonsense word is in none.
    for q in [
        "政府 公开 zqxjkvw",
        "信息公开 -政府 zqxjkvw",
        "\"政府信息 zqxjkvw\"",
    ] {
        let mut index = LocalIndex::open(dir.path()).unwrap();
        let got = index.search(&SearchQuery::new(q)).unwrap();
        assert_eq!(got.total, 0, "{q}");
        assert!(got.searched, "{q}");
        let read = kinds(&index, &manifest);
        assert!(!read.is_empty(), "{q}: the dictionary was read");
        assert!(
            read.iter().all(|k| k == "term"),
            "{q}: read {read:?} beyond the dictionary"
        );
    }
    // An alternative that can match still runs: only its terms' postings are read.
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let either = index.search(&SearchQuery::new("zqxjkvw OR 政府")).unwrap();
    let only = LocalIndex::open(dir.path())
        .unwrap()
        .search(&SearchQuery::new("政府"))
        .unwrap();
    assert_eq!(either.total, only.total);
    assert!(either.total > 0);
}

#[test]
fn a_common_words_postings_and_positions_are_one_file_each() {
    let docs = common::sample(1);
    let dir = common::build(&docs);
    let manifest =
        Manifest::parse(&std::fs::read(dir.path().join(INDEX_DIR).join(MANIFEST_NAME)).unwrap())
            .unwrap();
    let mut index = LocalIndex::open(dir.path()).unwrap();
    let got = index.search(&SearchQuery::new("信息公开")).unwrap();
    assert!(got.total > 50, "{}", got.total);
    let read = kinds(&index, &manifest);
    let count = |k: &str| read.iter().filter(|r| *r == k).count();
    // Two terms (信息, 公开): at most one dictionary block, one postings file and one
    // positions file each.
    assert!((1..=2).contains(&count("term")), "{read:?}");
    assert!(count("idx") <= 2, "{read:?}");
    assert!(count("pos") <= 2, "{read:?}");
    assert!(
        index
            .files_read()
            .iter()
            .any(|(name, _)| name.contains("-r")),
        "a unit file was read"
    );
}

#[test]
fn results_do_not_depend_on_what_was_loaded_before() {
    let docs = common::sample(2);
    let dir = common::build(&docs);
    let queries = [
        "政务公开",
        "\"政府信息公开条例\"",
        "国务院 办法",
        "税",
        "预算 OR 决算",
        "信息 -公开",
        "zqxjkvw",
    ];
    // A warm reader that has run every query before answers each exactly as a cold one.
    let mut warm = LocalIndex::open(dir.path()).unwrap();
    for q in queries {
        warm.search(&SearchQuery::new(q)).unwrap();
    }
    for q in queries {
        let cold = LocalIndex::open(dir.path())
            .unwrap()
            .search(&SearchQuery::new(q))
            .unwrap();
        assert_eq!(warm.search(&SearchQuery::new(q)).unwrap(), cold, "{q}");
    }
}

/// Answers `query` on a fresh engine fed from `dir`, and the bytes of the fast-field file its
/// reads touched (a small index has every column in one chunk, so chunk counts cannot tell).
fn fast_bytes_read(
    dir: &std::path::Path,
    query: &SearchQuery,
) -> (gongkai_search::SearchResults, u64) {
    use gongkai_search::{Engine, Step};
    let index_dir = dir.join(INDEX_DIR);
    let manifest_json = std::fs::read(index_dir.join(MANIFEST_NAME)).unwrap();
    let manifest = Manifest::parse(&manifest_json).unwrap();
    let hot = std::fs::read(index_dir.join(&manifest.hotcache)).unwrap();
    let fast = manifest
        .files
        .iter()
        .position(|f| f.path.ends_with(".fast"))
        .unwrap();
    let mut engine = Engine::new(&manifest_json, &hot).unwrap();
    engine.store().start_read_log();
    for _ in 0..16 {
        match engine.search(query).unwrap() {
            Step::Need(names) => {
                for name in names {
                    engine
                        .add_chunk(&name, std::fs::read(index_dir.join(&name)).unwrap())
                        .unwrap();
                }
            }
            Step::Done(results) => {
                let mut ranges: Vec<_> = engine
                    .store()
                    .take_read_log()
                    .into_iter()
                    .filter(|(f, _)| *f == fast)
                    .map(|(_, r)| (r.start, r.end))
                    .collect();
                ranges.sort();
                let (mut bytes, mut end) = (0u64, 0usize);
                for (s, e) in ranges {
                    let s = s.max(end);
                    if e > s {
                        bytes += (e - s) as u64;
                        end = e;
                    }
                }
                return (results, bytes);
            }
        }
    }
    panic!("no answer");
}

#[test]
fn facet_counts_are_read_only_when_asked_for() {
    let docs = common::sample(3);
    let dir = common::build(&docs);
    let first_kind = docs
        .iter()
        .find(|d| !d.kind.is_empty())
        .unwrap()
        .kind
        .clone();
    for (q, kind) in [
        ("公开", None),
        ("", None),
        ("公开", Some(first_kind.clone())),
    ] {
        let plain = SearchQuery {
            kind: kind.clone(),
            ..SearchQuery::new(q)
        };
        let counted = SearchQuery {
            facets: true,
            ..plain.clone()
        };
        let (without, cheap) = fast_bytes_read(dir.path(), &plain);
        let (with, full) = fast_bytes_read(dir.path(), &counted);
        // The same answer, without the counts.
        assert_eq!(without.total, with.total, "{q} {kind:?}");
        assert_eq!(without.hits, with.hits, "{q} {kind:?}");
        assert_eq!(without.facets, Default::default(), "{q} {kind:?}");
        assert!(!with.facets.kind.is_empty() && !with.facets.year.is_empty());
        // Counting six facets reads six columns; a query reads its filters' (and the date).
        assert!(
            cheap * 2 < full,
            "{q} {kind:?}: {cheap} bytes of columns without counts, {full} with"
        );
        // Asking for the counts later gives the answer of a reader that counted at once.
        let mut index = LocalIndex::open(dir.path()).unwrap();
        index.search(&plain).unwrap();
        assert_eq!(index.search(&counted).unwrap(), with, "{q} {kind:?}");
    }
}

/// Every hit of `query`, paging through `count` of them.
fn all_hits(index: &mut LocalIndex, query: &SearchQuery, count: u64) -> Vec<gongkai_search::Hit> {
    let mut hits = Vec::new();
    while (hits.len() as u64) < count {
        let page = index
            .search(&SearchQuery {
                offset: hits.len(),
                limit: 100,
                ..query.clone()
            })
            .unwrap();
        assert!(!page.hits.is_empty(), "{:?} ends early", query.q);
        hits.extend(page.hits);
    }
    hits
}

/// The fieldnorm files `index` read: `(length, length of the whole unit)` each.
fn norms_read(index: &LocalIndex, manifest: &Manifest) -> Vec<(u64, u64)> {
    let file = manifest
        .files
        .iter()
        .find(|f| f.path.ends_with(".fieldnorm"))
        .expect("fieldnorms");
    index
        .files_read()
        .iter()
        .filter_map(|(name, len)| {
            let (start, _) = file.parse_unit_name(name)?;
            let whole = file.units.iter().find(|[s, _]| *s == start as u64)?[1];
            Some((*len, whole))
        })
        .collect()
}

/// Answers `query` on a fresh engine that, asked for a fieldnorm prefix file the first time,
/// is given the shortest one instead (as if the engine had predicted too few documents).
fn search_with_short_norms(
    dir: &std::path::Path,
    query: &SearchQuery,
) -> gongkai_search::SearchResults {
    use gongkai_search::{Engine, Step};
    let index_dir = dir.join(INDEX_DIR);
    let manifest_json = std::fs::read(index_dir.join(MANIFEST_NAME)).unwrap();
    let manifest = Manifest::parse(&manifest_json).unwrap();
    let hot = std::fs::read(index_dir.join(&manifest.hotcache)).unwrap();
    let norms = manifest
        .files
        .iter()
        .find(|f| f.path.ends_with(".fieldnorm"))
        .unwrap();
    let [start, shortest] = *norms.prefixes.iter().min_by_key(|[_, l]| *l).unwrap();
    let shortest = norms.unit_name(start as usize, shortest as usize);
    let mut engine = Engine::new(&manifest_json, &hot).unwrap();
    let (mut shortened, mut asked_again) = (false, false);
    for _ in 0..16 {
        match engine.search(query).unwrap() {
            Step::Need(names) => {
                for mut name in names {
                    let prefix = norms
                        .parse_unit_name(&name)
                        .is_some_and(|(s, l)| norms.prefix_holding(s, l) == Some(l));
                    if prefix && shortened {
                        asked_again = true;
                    }
                    if prefix && !shortened && name != shortest {
                        name = shortest.clone();
                        shortened = true;
                    }
                    engine
                        .add_chunk(&name, std::fs::read(index_dir.join(&name)).unwrap())
                        .unwrap();
                }
            }
            Step::Done(results) => {
                // The shortest prefix holds too few documents: the engine asked for more.
                assert!(
                    shortened && asked_again,
                    "{:?}: the engine did not ask for a longer fieldnorm prefix",
                    query.q
                );
                return results;
            }
        }
    }
    panic!("no answer");
}

#[test]
fn a_bounded_phrase_is_exact_for_the_newest_documents_and_estimates_the_rest() {
    let docs = common::sample(1);
    // Positions of common words here take 5–30 KiB: small pieces (4, 4, 8 KiB …, and a
    // copy of the first 2 KiB), so that a budget bounds them.
    let dir = common::build_small_pieces(&docs);
    let manifest =
        Manifest::parse(&std::fs::read(dir.path().join(INDEX_DIR).join(MANIFEST_NAME)).unwrap())
            .unwrap();
    let mut bounded_queries = 0;
    for q in [
        "信息公开",
        "政府信息公开",
        "政府信息公开条例",
        "行政复议",
        "国务院 办法",
        "环境保护",
        "预决算",
    ] {
        let exact_q = SearchQuery {
            exact: true,
            sort: gongkai_search::Sort::Date,
            ..SearchQuery::new(q)
        };
        let bounded_q = SearchQuery {
            exact: false,
            budget: Some(12 * 1024),
            ..exact_q.clone()
        };
        let mut exact_index = LocalIndex::open(dir.path()).unwrap();
        let exact = exact_index.search(&exact_q).unwrap();
        assert!(!exact.estimated && exact.listed == exact.total, "{q}");
        let mut bounded_index = LocalIndex::open(dir.path()).unwrap();
        let bounded = bounded_index.search(&bounded_q).unwrap();
        if !bounded.estimated {
            // Nothing bounded: the very answer of the exact query.
            assert_eq!(bounded, exact, "{q}");
            continue;
        }
        bounded_queries += 1;
        assert!(
            bounded_index.bytes_loaded() < exact_index.bytes_loaded(),
            "{q}"
        );
        // Only the newest documents are scored: a prefix of the fieldnorms is read, not all.
        let norms = norms_read(&bounded_index, &manifest);
        assert!(
            !norms.is_empty() && norms.iter().all(|&(len, whole)| len < whole),
            "{q}: fieldnorm files read {norms:?}"
        );
        // Four words share the budget: each reads the copy of its positions' head only.
        if q == "政府信息公开条例" {
            let pos = manifest
                .files
                .iter()
                .find(|f| f.path.ends_with(".pos"))
                .unwrap();
            let heads = bounded_index
                .files_read()
                .iter()
                .filter(|(name, len)| pos.parse_unit_name(name).is_some() && *len == pos.head)
                .count();
            assert!(heads >= 2, "{q}: {heads} heads of positions read");
        }
        // A reader that fetched too short a prefix first (the prediction missed) asks for a
        // longer one and gives the same answer.
        assert_eq!(
            search_with_short_norms(dir.path(), &bounded_q),
            bounded,
            "{q}"
        );
        assert!(
            bounded.listed < exact.total && bounded.total >= bounded.listed,
            "{q}"
        );
        assert!(bounded.notices.iter().any(|n| n.code == "estimated"), "{q}");
        let after = bounded.complete_after.clone();
        assert_eq!(after.len(), 10, "{q}: {after:?}");
        let exact_hits = all_hits(&mut exact_index, &exact_q, exact.total);
        let bounded_hits = all_hits(&mut bounded_index, &bounded_q, bounded.listed);
        // What was read is exact: every match published after the day is listed, with the
        // exact query's score; the others listed are matches of that very day.
        for h in &exact_hits {
            if h.published > after {
                let b = bounded_hits.iter().find(|b| b.url == h.url);
                assert!(b.is_some(), "{q}: {} ({}) missing", h.url, h.published);
                assert_eq!(b.unwrap().score, h.score, "{q}: {}", h.url);
            }
        }
        for b in &bounded_hits {
            assert!(
                exact_hits.iter().any(|h| h.url == b.url),
                "{q}: {} is no match",
                b.url
            );
            assert!(b.published >= after, "{q}: {} is older than {after}", b.url);
        }
        eprintln!(
            "{q}: exact {} ({} bytes), bounded {} listed, about {} ({} bytes), complete after {after}",
            exact.total,
            exact_index.bytes_loaded(),
            bounded.listed,
            bounded.total,
            bounded_index.bytes_loaded()
        );
        // The estimate is of the right size.
        let ratio = bounded.total as f64 / exact.total as f64;
        assert!(
            (0.5..2.0).contains(&ratio),
            "{q}: about {} for {}",
            bounded.total,
            exact.total
        );
        // Asked again without a budget: the exact answer.
        let again = bounded_index.search(&exact_q).unwrap();
        assert_eq!(again, exact, "{q}");
        // And bounded again by a reader that holds every piece and the whole fieldnorms (not
        // the heads and prefixes a bounded query asks for): the bounded answer.
        let page = SearchQuery {
            limit: 100,
            ..bounded_q.clone()
        };
        let fresh = LocalIndex::open(dir.path()).unwrap().search(&page).unwrap();
        assert_eq!(exact_index.search(&page).unwrap(), fresh, "{q}");
    }
    assert!(
        bounded_queries >= 2,
        "the budget bounded {bounded_queries} queries"
    );
}
