//! Search benchmark: what a citizen's first query downloads, and what the index costs to build.
//!
//! ```sh
//! cargo bench --bench search -- 10000 100000           # synthesise and build each size
//! cargo bench --bench search -- --public /tmp/s10k/public   # an already built site
//! ```
//!
//! For each site and each of the nine benchmark queries of the README, a *fresh* reader (nothing
//! cached, as in a new browser) answers the query through the native engine, which asks for
//! exactly the files the browser engine asks for (the same code). It prints the hits, the index
//! data fetched (manifest, hotcache, chunk and unit files, KiB), the number of files (the
//! browser's requests), the fetch rounds, the split by tantivy file, and the native time of the
//! warm query. For a synthesised size it also prints the index's files, bytes and build time.
//!
//! A size given as a number is generated like `gongkai synth N` (seed 42) in a temporary folder
//! and built with the release pipeline; 100,000 documents take a few minutes. Peak memory of a
//! whole build is measured outside, with `/usr/bin/time -v gongkai build` (see the README).

use std::path::{Path, PathBuf};
use std::time::Instant;

use gongkai::pipeline::{self, BuildOptions};
use gongkai_search::bench::{measure_published, print_cold_queries, BENCH_QUERIES};

fn build_site(n: usize, dir: &Path) -> PathBuf {
    let paragraphs =
        gongkai::synth::corpus_paragraphs(&gongkai::synth::default_corpus_dir(), 20_000)
            .expect("corpus paragraphs");
    let site = dir.join(format!("site-{n}"));
    gongkai::synth::generate(&site, n, &paragraphs, 42).expect("generate");
    let mut opts = BuildOptions::new(&site);
    opts.today = Some("2026-11-28".parse().expect("date"));
    let t = Instant::now();
    let report = pipeline::build(&opts).expect("build");
    assert!(
        report.written,
        "the synthetic site of {n} documents did not build"
    );
    let search = report
        .compiled
        .timings
        .iter()
        .find(|(stage, _)| *stage == "search")
        .map(|(_, d)| d.as_secs_f64())
        .unwrap_or_default();
    eprintln!(
        "built {n} documents in {:.1} s (search index stage {search:.1} s)",
        t.elapsed().as_secs_f64()
    );
    site.join("public")
}

fn index_size(public: &Path) {
    let dir = public.join("search/index");
    let (mut files, mut bytes) = (0u64, 0u64);
    for entry in std::fs::read_dir(&dir).expect("index folder").flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".gz") || name.ends_with(".br") {
            continue;
        }
        files += 1;
        bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
    }
    println!(
        "index: {files} files, {:.1} MiB (without the .gz/.br copies)",
        bytes as f64 / (1024.0 * 1024.0)
    );
}

fn measure(public: &Path) {
    index_size(public);
    let rows = measure_published(&public.join("search"), &BENCH_QUERIES).expect("measure");
    print_cold_queries(&public.display().to_string(), &rows);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut publics: Vec<PathBuf> = Vec::new();
    let mut sizes: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--public" {
            publics.push(PathBuf::from(args.get(i + 1).expect("--public DIR")));
            i += 2;
            continue;
        }
        if let Ok(n) = args[i].parse() {
            sizes.push(n);
        }
        i += 1;
    }
    if publics.is_empty() && sizes.is_empty() {
        sizes.push(10_000);
    }
    for public in &publics {
        measure(public);
    }
    for n in sizes {
        let tmp = tempfile::tempdir().expect("temp dir");
        let public = build_site(n, tmp.path());
        measure(&public);
    }
}
