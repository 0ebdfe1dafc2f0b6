//! The shipped engine (this crate built for wasm32-unknown-unknown with the `wasm` profile, loaded
//! by the real `engine.js` in node) opens the index that this build's writer wrote, and returns the
//! same hits in the same order, with the same facets and snippets, as the native reader.
//!
//! The wasm comes from `$GONGKAI_WASM` when set (e.g. the file the main crate's build.rs made),
//! else this test builds it with the same command as build.rs, into `target/wasm-build`.
//! Needs `node` (v18+) on PATH.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use gongkai_search::{LocalIndex, SearchQuery, SearchResults, Sort};
use serde_json::Value;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crate inside a workspace")
        .to_path_buf()
}

/// Builds (or finds) the wasm engine.
pub fn engine_wasm() -> PathBuf {
    if let Ok(p) = std::env::var("GONGKAI_WASM") {
        return PathBuf::from(p);
    }
    let root = workspace_root();
    let target = root.join("target/wasm-build");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args([
            "build",
            "-p",
            "gongkai-search",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env(
            "CARGO_ENCODED_RUSTFLAGS",
            "--cfg\u{1f}getrandom_backend=\"custom\"",
        )
        .status()
        .expect("run cargo to build the wasm engine");
    assert!(status.success(), "building the wasm engine failed");
    target.join("wasm32-unknown-unknown/wasm/gongkai_search.wasm")
}

fn engine_js() -> PathBuf {
    workspace_root().join("themes/default/static/search/engine.js")
}

/// Runs `queries` through node + wasm; one JSON value per query.
pub fn run_in_node(search_dir: &Path, queries: &[SearchQuery], cold: bool) -> Vec<Value> {
    let qfile = search_dir.join("queries.json");
    std::fs::write(&qfile, serde_json::to_vec(queries).unwrap()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node/run_queries.mjs");
    let mut cmd = Command::new("node");
    cmd.arg(script)
        .arg(engine_js())
        .arg(engine_wasm())
        .arg(search_dir)
        .arg(&qfile);
    if cold {
        cmd.arg("--cold");
    }
    let out = cmd.output().expect("run node (is node installed?)");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn queries() -> Vec<SearchQuery> {
    let q = SearchQuery::new;
    vec![
        q("政务公开"),
        q("政府信息公开条例"),
        q("行政复议"),
        q("2016年"),
        q("税"),
        q("国务院 办法"),
        q("预算 OR 决算"),
        q("公开 -政务"),
        SearchQuery {
            sort: Sort::Date,
            ..q("公开")
        },
        SearchQuery {
            offset: 10,
            ..q("公开")
        },
        SearchQuery {
            kind: Some("行政法规".into()),
            ..q("公开")
        },
        SearchQuery {
            kind: Some("行政法规".into()),
            facets: true,
            ..q("公开")
        },
        SearchQuery {
            validity: Some("有效".into()),
            year: Some("2019".into()),
            ..q("管理")
        },
        SearchQuery {
            issuer: Some("国务院".into()),
            ..SearchQuery::default()
        },
        SearchQuery {
            issuer: Some("国务院".into()),
            facets: true,
            ..SearchQuery::default()
        },
        q(""),
        q("😀"),
        q("\"政务"),
        q(&"政务公开".repeat(2500)),
        q("不可能出现的检索词组合甲乙丙"),
    ]
}

#[test]
fn wasm_engine_answers_exactly_like_the_native_reader() {
    let docs = common::sample(4);
    let dir = common::build(&docs);
    let mut native = LocalIndex::open(dir.path()).unwrap();
    let queries = queries();
    for cold in [false, true] {
        let wasm = run_in_node(dir.path(), &queries, cold);
        assert_eq!(wasm.len(), queries.len());
        for (q, w) in queries.iter().zip(wasm) {
            assert!(w.get("error").is_none(), "query {:?}: wasm error {w}", q.q);
            let from_wasm: SearchResults = serde_json::from_value(w["results"].clone()).unwrap();
            let from_native = native.search(q).unwrap();
            assert_eq!(from_wasm.total, from_native.total, "total for {:?}", q.q);
            let urls = |r: &SearchResults| r.hits.iter().map(|h| h.url.clone()).collect::<Vec<_>>();
            assert_eq!(urls(&from_wasm), urls(&from_native), "order for {:?}", q.q);
            assert_eq!(from_wasm.facets, from_native.facets, "facets for {:?}", q.q);
            assert_eq!(from_wasm.notices, from_native.notices);
            for (a, b) in from_wasm.hits.iter().zip(&from_native.hits) {
                assert_eq!(a.snippet_html, b.snippet_html);
                assert_eq!(a.title_html, b.title_html);
                assert!(
                    (a.score - b.score).abs() <= 1e-4 * b.score.abs().max(1.0),
                    "{} vs {}",
                    a.score,
                    b.score
                );
            }
        }
    }
}

#[test]
fn wasm_engine_reads_common_words_newest_first_like_the_native_reader() {
    // Small pieces, heads and fieldnorm prefixes, and a small budget: the phrases of common
    // words are bounded (约 N 条), read the heads of their positions and a prefix of the
    // fieldnorms, and the browser engine must answer them exactly as the native one.
    let docs = common::sample(1);
    let dir = common::build_small_pieces(&docs);
    let queries: Vec<SearchQuery> = ["信息公开", "政府信息公开条例", "国务院 办法", "环境保护"]
        .into_iter()
        .map(|q| SearchQuery {
            budget: Some(12 * 1024),
            ..SearchQuery::new(q)
        })
        .collect();
    let mut native = LocalIndex::open(dir.path()).unwrap();
    let wasm = run_in_node(dir.path(), &queries, true);
    let mut bounded = 0;
    for (q, w) in queries.iter().zip(wasm) {
        assert!(w.get("error").is_none(), "query {:?}: wasm error {w}", q.q);
        let from_wasm: SearchResults = serde_json::from_value(w["results"].clone()).unwrap();
        let from_native = native.search(q).unwrap();
        bounded += usize::from(from_native.estimated);
        assert_eq!(from_wasm.total, from_native.total, "total for {:?}", q.q);
        assert_eq!(from_wasm.listed, from_native.listed, "listed for {:?}", q.q);
        assert_eq!(from_wasm.estimated, from_native.estimated, "{:?}", q.q);
        assert_eq!(from_wasm.complete_after, from_native.complete_after);
        let urls = |r: &SearchResults| r.hits.iter().map(|h| h.url.clone()).collect::<Vec<_>>();
        assert_eq!(urls(&from_wasm), urls(&from_native), "order for {:?}", q.q);
    }
    assert!(bounded >= 3, "only {bounded} queries were bounded");
}

#[test]
fn wasm_engine_reports_a_damaged_index() {
    let docs = common::sample(30);
    let dir = common::build(&docs);
    // Remove every chunk: the engine must answer with an error, not hang or crash node.
    for e in std::fs::read_dir(dir.path().join("index")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".bin") && !name.starts_with("hot-") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let out = run_in_node(dir.path(), &[SearchQuery::new("国务院")], true);
    assert_eq!(out[0]["error"], "network", "{}", out[0]);
    std::fs::write(dir.path().join("index/manifest.json"), "{}").unwrap();
    let out = run_in_node(dir.path(), &[SearchQuery::new("国务院")], true);
    assert_eq!(out[0]["error"], "corrupt", "{}", out[0]);
}
