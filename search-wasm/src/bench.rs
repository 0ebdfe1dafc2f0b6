//! Measurements for a document set (feature `writer`): index size, indexing time, bytes a cold
//! query fetches, and native latency. `examples/bench.rs` runs it on 10,000 documents made from
//! corpus paragraphs; the main crate can call [`run`] on its own synthetic site.
//!
//! Bytes per cold query are measured with the native reader opening a *fresh* index per query:
//! it asks for exactly the chunk files the browser engine asks for (same code), so the figure is
//! the index data a citizen's first query downloads (manifest + hotcache + chunks), before HTTP
//! compression (chunks are binary and barely compress). The engine itself is extra and cached.

use std::fmt;
use std::path::Path;
use std::time::Instant;

use crate::error::Error;
use crate::native::LocalIndex;
use crate::query::SearchQuery;
use crate::IndexDoc;

/// Figures for one query.
#[derive(Debug, Clone)]
pub struct QueryFigures {
    /// The query.
    pub q: String,
    /// Matching documents.
    pub hits: u64,
    /// Index bytes a cold query fetches (manifest + hotcache + chunks).
    pub cold_bytes: u64,
    /// Cold bytes per file extension, chunks only: `(extension, bytes)`.
    pub cold_by_file: Vec<(String, u64)>,
    /// Native latency with the needed chunks loaded: median and 95th percentile, microseconds.
    pub p50_us: u64,
    /// See `p50_us`.
    pub p95_us: u64,
}

/// Figures for a document set.
#[derive(Debug, Clone)]
pub struct Figures {
    /// Documents indexed.
    pub docs: usize,
    /// Bytes of document text (title + body).
    pub text_bytes: u64,
    /// Time of `write_index` (including chunking, hotcache and verification).
    pub index_ms: u128,
    /// Total bytes of the files under `index/`.
    pub index_bytes: u64,
    /// Number of files under `index/`.
    pub index_files: usize,
    /// Bytes of the manifest and of the hotcache.
    pub manifest_bytes: u64,
    /// See `manifest_bytes`.
    pub hotcache_bytes: u64,
    /// Size of each tantivy file (path, bytes).
    pub tantivy_files: Vec<(String, u64)>,
    /// Per query.
    pub queries: Vec<QueryFigures>,
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Indexes `docs` into `out_dir` (as `public/search/`) and measures `queries`.
pub fn run(
    docs: &[IndexDoc],
    queries: &[&str],
    out_dir: &Path,
    iterations: usize,
) -> Result<Figures, Error> {
    let t = Instant::now();
    let files = crate::writer::write_index(docs)?;
    let index_ms = t.elapsed().as_millis();
    let mut figures = Figures {
        docs: docs.len(),
        text_bytes: docs
            .iter()
            .map(|d| (d.title.len() + d.body.len()) as u64)
            .sum(),
        index_ms,
        index_bytes: files.iter().map(|(_, b)| b.len() as u64).sum(),
        index_files: files.len(),
        manifest_bytes: 0,
        hotcache_bytes: 0,
        tantivy_files: Vec::new(),
        queries: Vec::new(),
    };
    for (name, bytes) in &files {
        let path = out_dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, bytes).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        if name.ends_with(crate::manifest::MANIFEST_NAME) {
            figures.manifest_bytes = bytes.len() as u64;
            let m = crate::manifest::Manifest::parse(bytes).map_err(Error::Corrupt)?;
            figures.tantivy_files = m.files.iter().map(|f| (f.path.clone(), f.len)).collect();
        } else if name.contains("/hot-") {
            figures.hotcache_bytes = bytes.len() as u64;
        }
    }
    for q in queries {
        let query = SearchQuery::new(*q);
        let mut cold = LocalIndex::open(out_dir)?;
        let hits = cold.search(&query)?.total;
        let cold_bytes = cold.bytes_loaded();
        let cold_by_file = cold
            .loaded_bytes_by_file()
            .into_iter()
            .filter(|(_, _, c)| *c > 0)
            .map(|(p, _, c)| (p.rsplit('.').next().unwrap_or_default().to_string(), c))
            .collect();
        let mut times = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let t = Instant::now();
            cold.search(&query)?;
            times.push(t.elapsed().as_micros() as u64);
        }
        times.sort_unstable();
        figures.queries.push(QueryFigures {
            q: q.to_string(),
            hits,
            cold_bytes,
            cold_by_file,
            p50_us: percentile(&times, 0.5),
            p95_us: percentile(&times, 0.95),
        });
    }
    Ok(figures)
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
        writeln!(
            f,
            "documents:        {} ({:.1} MiB of title+body text)",
            self.docs,
            mib(self.text_bytes)
        )?;
        writeln!(
            f,
            "indexing time:    {:.1} s (write_index: index, merge, chunk, hotcache, verify)",
            self.index_ms as f64 / 1000.0
        )?;
        writeln!(
            f,
            "index on disk:    {:.1} MiB in {} files (manifest {} B, hotcache {:.1} KiB)",
            mib(self.index_bytes),
            self.index_files,
            self.manifest_bytes,
            self.hotcache_bytes as f64 / 1024.0
        )?;
        for (path, len) in &self.tantivy_files {
            writeln!(f, "  {path:<40} {:>8.2} MiB", mib(*len))?;
        }
        writeln!(
            f,
            "{:<18} {:>7} {:>16} {:>10} {:>10}  chunks fetched (KiB)",
            "query", "hits", "cold KiB (index)", "p50 ms", "p95 ms"
        )?;
        for q in &self.queries {
            writeln!(
                f,
                "{:<18} {:>7} {:>16.1} {:>10.3} {:>10.3}",
                q.q,
                q.hits,
                q.cold_bytes as f64 / 1024.0,
                q.p50_us as f64 / 1000.0,
                q.p95_us as f64 / 1000.0
            )?;
            let parts: Vec<String> = q
                .cold_by_file
                .iter()
                .map(|(e, b)| format!("{e} {:.0}", *b as f64 / 1024.0))
                .collect();
            writeln!(f, "{:<18} {}", "", parts.join(", "))?;
        }
        Ok(())
    }
}

/// The nine benchmark queries of the README (issue 19): common words, a long phrase, a number, a
/// single character and two words.
pub const BENCH_QUERIES: [&str; 9] = [
    "政务公开",
    "信息公开",
    "政府信息公开条例",
    "预决算",
    "行政复议",
    "2016年",
    "税",
    "国务院 办法",
    "环境保护",
];

/// What a citizen's first query fetches from a published index.
#[derive(Debug, Clone)]
pub struct ColdQuery {
    /// The query.
    pub q: String,
    /// Matching documents.
    pub hits: u64,
    /// Bytes of index files fetched, manifest and hotcache included.
    pub bytes: u64,
    /// Files fetched, manifest and hotcache included (the browser's requests).
    pub requests: usize,
    /// Fetch-and-retry rounds after the manifest and hotcache.
    pub rounds: usize,
    /// `(kind, files, bytes)`: `hot` (manifest and hotcache), `record` (the hits' records), then
    /// per tantivy file extension.
    pub by_kind: Vec<(String, usize, u64)>,
    /// Native time of the same query once everything is loaded (median of 5), milliseconds.
    pub warm_ms: f64,
}

/// Runs each query on a *fresh* reader of the index under `search_dir` (`public/search`), as a
/// new browser would, and reports what it fetched.
pub fn measure_published(search_dir: &Path, queries: &[&str]) -> Result<Vec<ColdQuery>, Error> {
    let queries: Vec<SearchQuery> = queries.iter().map(|q| SearchQuery::new(*q)).collect();
    measure_queries(search_dir, &queries)
}

/// [`measure_published`] for any queries (filters, order, page); a query without words is
/// labelled by its filters.
pub fn measure_queries(
    search_dir: &Path,
    queries: &[SearchQuery],
) -> Result<Vec<ColdQuery>, Error> {
    let manifest_path = search_dir
        .join(crate::manifest::INDEX_DIR)
        .join(crate::manifest::MANIFEST_NAME);
    let manifest_json = std::fs::read(&manifest_path).map_err(|source| Error::Io {
        path: manifest_path.clone(),
        source,
    })?;
    let manifest = crate::manifest::Manifest::parse(&manifest_json).map_err(Error::Corrupt)?;
    let kind_of = |name: &str| -> String {
        if name == crate::manifest::MANIFEST_NAME || name == manifest.hotcache {
            return "hot".into();
        }
        if crate::stored::parse_record_name(&manifest.records, name).is_some() {
            return "record".into();
        }
        manifest
            .file_of_chunk(name)
            .map(|f| f.path.rsplit('.').next().unwrap_or_default().to_string())
            .unwrap_or_else(|| "?".into())
    };
    let mut out = Vec::new();
    for query in queries {
        let q = if query.q.trim().is_empty() {
            [
                &query.category,
                &query.category_sub,
                &query.issuer,
                &query.year,
                &query.kind,
                &query.validity,
            ]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join("+")
        } else {
            query.q.clone()
        };
        let query = query.clone();
        let mut cold = LocalIndex::open(search_dir)?;
        let hits = cold.search(&query)?.total;
        let rounds = cold.rounds();
        if std::env::var("GK_SHOW").is_ok() {
            for (name, len) in cold.files_read() {
                eprintln!("  {q} {} {name} {len}", kind_of(name));
            }
        }
        let mut by_kind: Vec<(String, usize, u64)> = Vec::new();
        for (name, len) in cold.files_read() {
            let kind = kind_of(name);
            match by_kind.iter_mut().find(|(k, _, _)| *k == kind) {
                Some(e) => {
                    e.1 += 1;
                    e.2 += len;
                }
                None => by_kind.push((kind, 1, *len)),
            }
        }
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let t = Instant::now();
                let _ = cold.search(&query);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        out.push(ColdQuery {
            q: q.to_string(),
            hits,
            bytes: cold.bytes_loaded(),
            requests: cold.files_read().len(),
            rounds,
            by_kind,
            warm_ms: times[times.len() / 2],
        });
    }
    Ok(out)
}

/// Prints [`measure_published`]'s figures as a table.
pub fn print_cold_queries(title: &str, rows: &[ColdQuery]) {
    println!("\n{title}");
    println!(
        "{:<18} {:>7} {:>9} {:>9} {:>7} {:>8}  files/KiB by kind",
        "query", "hits", "KiB", "requests", "rounds", "warm ms"
    );
    for r in rows {
        let parts: Vec<String> = r
            .by_kind
            .iter()
            .map(|(k, n, b)| format!("{k} {n}/{:.0}", *b as f64 / 1024.0))
            .collect();
        println!(
            "{:<18} {:>7} {:>9.1} {:>9} {:>7} {:>8.2}  {}",
            r.q,
            r.hits,
            r.bytes as f64 / 1024.0,
            r.requests,
            r.rounds,
            r.warm_ms,
            parts.join(", ")
        );
    }
    let max_kib = rows.iter().map(|r| r.bytes).max().unwrap_or(0) as f64 / 1024.0;
    let max_req = rows.iter().map(|r| r.requests).max().unwrap_or(0);
    println!("largest first query: {max_kib:.1} KiB, {max_req} requests");
}
