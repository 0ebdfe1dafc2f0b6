//! Benchmark on 10,000 documents made from real corpus paragraphs:
//! `cargo run --release -p gongkai-search --example bench [-- N_DOCS] [--wasm PATH] [--out DIR]`.
//!
//! Each document takes a corpus title and 6–14 paragraphs drawn (deterministically) from the
//! whole corpus, with the metadata of a random corpus document. Prints the figures of
//! `gongkai_search::bench::run`; with `--wasm`, also the wasm engine's size and latency (node).

#[path = "../tests/common/mod.rs"]
mod common;

use gongkai_search::IndexDoc;

/// A small deterministic generator (xorshift64*), so every run indexes the same documents.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn synthetic(n: usize) -> Vec<IndexDoc> {
    let corpus = common::corpus();
    let paragraphs: Vec<&str> = corpus
        .iter()
        .flat_map(|d| d.body.split("\n\n"))
        .map(str::trim)
        .filter(|p| p.chars().count() >= 20)
        .collect();
    let mut rng = Rng(42);
    (0..n)
        .map(|i| {
            let meta = &corpus[rng.below(corpus.len())];
            let title = &corpus[rng.below(corpus.len())].title;
            let body: Vec<&str> = (0..6 + rng.below(9))
                .map(|_| paragraphs[rng.below(paragraphs.len())])
                .collect();
            IndexDoc {
                url: format!("/docs/{i:05}/"),
                title: title.clone(),
                body: body.join("\n\n"),
                ..meta.clone()
            }
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let wasm = args
        .iter()
        .position(|a| a == "--wasm")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let docs = synthetic(n);
    let dir = tempfile::tempdir().expect("temp dir");
    // --out DIR keeps the index (e.g. to serve it); otherwise it goes to a temp dir.
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1));
    let dir_path = out
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().to_path_buf());
    let figures =
        gongkai_search::bench::run(&docs, &gongkai_search::bench::BENCH_QUERIES, &dir_path, 50)
            .expect("benchmark");
    print!("{figures}");
    if let Some(wasm) = wasm {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/node/bench_wasm.mjs");
        let engine_js = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../themes/default/static/search/engine.js"
        );
        let status = std::process::Command::new("node")
            .args([script, engine_js, &wasm, &dir_path.to_string_lossy()])
            .args(gongkai_search::bench::BENCH_QUERIES)
            .status()
            .expect("run node");
        assert!(status.success());
    }
}
