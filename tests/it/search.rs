//! `gongkai search` on a small built site: the human output (count, ranks, titles, dates, issuers,
//! URLs, snippets without tags), the filters, `--json`, the exit codes, and that the CLI returns
//! exactly what the library's `search_dir` (the engine the browser runs) returns, in the same
//! order. Also the browser search test on the sample site (see `browser.rs`).

use std::path::Path;
use std::process::{Command, Output};

use gongkai_search::{SearchQuery, SearchResults};

use crate::harness::{errors, fixture, Site};

/// `tests/fixtures/search`, built: five documents; 政务公开 occurs in four of them (once only
/// far into a long body).
fn site() -> Site {
    let s = fixture("search");
    let report = s.build();
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
    s
}

fn gongkai(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("search")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run gongkai")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(root: &Path, args: &[&str]) -> SearchResults {
    let mut all = args.to_vec();
    all.push("--json");
    let o = gongkai(root, &all);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("--json prints SearchResults")
}

fn urls(r: &SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.url.as_str()).collect()
}

#[test]
fn human_output_lists_the_hits_with_their_metadata() {
    let s = site();
    let o = gongkai(s.root(), &["政务公开"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("找到 4 条结果 (4 results)"), "{out}");
    // Title matches first (the newer one first among them), each with date, issuer and URL.
    let first = out
        .find("  1. 市政府办公室2024年政务公开工作要点")
        .expect(&out);
    let second = out
        .find("  2. 关于做好2024年政务公开工作的通知")
        .expect(&out);
    assert!(first < second, "{out}");
    assert!(
        out.contains("发布日期 2024-06-01 · 发布机构 市政府办公室 · /xxgk/13502/2024-00004.html"),
        "{out}"
    );
    assert!(
        out.contains("发布日期 2022-05-06 · 发布机构 市财政局 · /xxgk/13502/2022-00003.html"),
        "{out}"
    );
    // Snippets are plain text.
    assert!(out.contains("全面推进政务公开标准化规范化。"), "{out}");
    assert!(!out.contains("<mark>") && !out.contains("&amp;"), "{out}");
    assert!(!out.contains("植树"), "{out}");
}

#[test]
fn filters_narrow_and_json_matches_the_library() {
    let s = site();
    let search_dir = s.public().join("search");
    let cases: Vec<(Vec<&str>, SearchQuery)> = vec![
        (vec!["政务公开"], SearchQuery::new("政务公开")),
        (
            vec!["政务公开", "--issuer", "市财政局"],
            SearchQuery {
                issuer: Some("市财政局".into()),
                ..SearchQuery::new("政务公开")
            },
        ),
        (
            vec!["政务公开", "--category", "综合政务", "--year", "2024"],
            SearchQuery {
                category: Some("综合政务".into()),
                year: Some("2024".into()),
                ..SearchQuery::new("政务公开")
            },
        ),
        (
            vec!["通知", "--sort", "date", "--limit", "1", "--offset", "1"],
            SearchQuery {
                sort: gongkai_search::Sort::Date,
                limit: 1,
                offset: 1,
                ..SearchQuery::new("通知")
            },
        ),
        (
            vec!["政务公开", "--kind", "规章"],
            SearchQuery {
                kind: Some("规章".into()),
                ..SearchQuery::new("政务公开")
            },
        ),
    ];
    for (args, query) in cases {
        let cli = json(s.root(), &args);
        // The command line always counts per filter value, exactly (locally nothing costs a
        // request).
        let query = SearchQuery {
            facets: true,
            exact: true,
            ..query
        };
        let lib = gongkai_search::search_dir(&search_dir, &query).unwrap();
        assert_eq!(cli, lib, "gongkai search {args:?}");
    }
    let all = json(s.root(), &["政务公开"]);
    assert_eq!(all.total, 4);
    let by_issuer = json(s.root(), &["政务公开", "--issuer", "市财政局"]);
    assert_eq!(
        urls(&by_issuer),
        ["/xxgk/13502/2023-00002.html", "/xxgk/13502/2022-00003.html"]
    );
    assert!(by_issuer.hits.iter().all(|h| h.issuer == ["市财政局"]));
    let narrowed = json(
        s.root(),
        &["政务公开", "--category", "综合政务", "--year", "2024"],
    );
    assert_eq!(
        urls(&narrowed),
        ["/xxgk/13502/2024-00004.html", "/xxgk/13502/2024-00001.html"]
    );
    // A filter nothing passes: zero hits is still a successful search.
    let none = gongkai(s.root(), &["政务公开", "--kind", "规章"]);
    assert_eq!(none.status.code(), Some(0));
    assert!(stdout(&none).contains("没有找到结果"), "{}", stdout(&none));
}

#[test]
fn the_snippet_shows_a_match_deep_in_the_body() {
    let s = site();
    let r = json(s.root(), &["政务公开", "--issuer", "市财政局"]);
    let deep = r
        .hits
        .iter()
        .find(|h| h.url == "/xxgk/13502/2022-00003.html")
        .expect("the long document is found");
    assert!(
        deep.snippet_html.contains("<mark>政务公开</mark>"),
        "{}",
        deep.snippet_html
    );
}

#[test]
fn notices_and_a_missing_index() {
    let s = site();
    // No words: every published document, newest first (the search page opened bare).
    let all = json(s.root(), &["--limit", "100"]);
    let open_data: serde_json::Value = serde_json::from_slice(
        &std::fs::read(s.public().join("catalogue.json")).expect("catalogue.json"),
    )
    .unwrap();
    assert!(all.searched);
    assert_eq!(Some(all.total), open_data["count"].as_u64());
    let days: Vec<&str> = all.hits.iter().map(|h| h.published.as_str()).collect();
    let mut newest = days.clone();
    newest.sort_by(|a, b| b.cmp(a));
    assert_eq!(days, newest);
    let o = gongkai(s.root(), &["。。。"]);
    assert!(stdout(&o).contains("没有可以查找的文字"), "{}", stdout(&o));

    let empty = tempfile::tempdir().unwrap();
    let o = gongkai(empty.path(), &["政务公开"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("gongkai build"), "{err}");
    assert!(o.stdout.is_empty());

    // --dir points at a built site elsewhere.
    let o = gongkai(
        empty.path(),
        &["政务公开", "--dir", &s.public().to_string_lossy()],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("找到 4 条结果"));

    // A damaged index is reported the same way, not with a panic.
    let manifest = s.public().join("search/index/manifest.json");
    std::fs::write(&manifest, b"{ not json").unwrap();
    let o = gongkai(s.root(), &["政务公开"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("gongkai build"));
}
