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
    // Two terms (信息, 公开): at most one postings file and one positions file each.
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
