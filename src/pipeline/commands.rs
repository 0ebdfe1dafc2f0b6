//! The stages run for a command: `build` (compile under the ledger lock, then write) and
//! `report` (the annual report of a loaded site).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use chrono::NaiveDate;

use super::{compile_into, prepare_snapshot, BuildOptions, Compiled};
use crate::diag::Diagnostic;
use crate::load::{self, Snapshot};
use crate::write::{self, OutputFile};

/// Streamed files waiting for their compressed copies, at most.
const COMPRESS_QUEUE: usize = 64;

/// Threads making the compressed copies of streamed files: one per core.
fn compress_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What `build` did.
pub struct BuildReport {
    /// The compiled site (diagnostics, counts, timings).
    pub compiled: Compiled,
    /// Whether `public/` was replaced.
    pub written: bool,
    /// How many files the new site has (pages streamed during rendering included).
    pub files: usize,
    /// Where.
    pub output: PathBuf,
}

/// Compiles and, when no finding is an error, writes the site and the ledger. Document pages
/// are written to the staging folder as they are rendered; the site replaces the output only
/// when everything was made without an error (else the staging folder is removed and the
/// output stays exactly as it was).
pub fn build(opts: &BuildOptions) -> anyhow::Result<BuildReport> {
    // Held from reading the ledger to writing it: a `new` meanwhile waits, so it can neither
    // take a number this build assigns nor lose its reservation to this build's write.
    let _ledger_lock = ledger_lock(opts)?;
    let output = opts.output_dir();
    let staging = write::Staging::open(&opts.root, &output)?;
    let put_failed: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let failed = |e: anyhow::Error| {
        put_failed.lock().expect("error slot").get_or_insert(e);
    };
    let streamed = AtomicUsize::new(0);
    // The search index's files arrive one at a time from the thread that cuts the index; their
    // compressed copies are made on helper threads, so that this work does not wait for the
    // cutting and can use the core the pages leave free. A bounded queue: at most
    // `COMPRESS_QUEUE` files wait, whatever the size of the index.
    let (queue, waiting) = std::sync::mpsc::sync_channel::<OutputFile>(COMPRESS_QUEUE);
    let waiting = Mutex::new(waiting);
    let mut compiled = std::thread::scope(|scope| {
        let (staging, streamed, failed, waiting) = (&staging, &streamed, &failed, &waiting);
        if opts.precompress {
            for _ in 0..compress_threads() {
                scope.spawn(move || loop {
                    let next = waiting.lock().expect("queue").recv();
                    let Ok(f) = next else { break };
                    for copy in crate::compress::copies(&f) {
                        match staging.put(&copy) {
                            Ok(()) => streamed.fetch_add(1, Ordering::Relaxed),
                            Err(e) => {
                                failed(e);
                                break;
                            }
                        };
                    }
                });
            }
        }
        let sink = |f: OutputFile| {
            streamed.fetch_add(1, Ordering::Relaxed);
            match staging.put(&f) {
                // Streamed pages get no compressed copy (see `compress`); index files do.
                Ok(()) if opts.precompress && crate::compress::worth_compressing(&f.path) => {
                    // The helpers only stop when the queue is dropped, below.
                    let _ = queue.send(f);
                }
                Ok(()) => {}
                Err(e) => failed(e),
            }
        };
        let compiled = compile_into(opts, Some(&sink));
        drop(queue);
        compiled
    });
    if compiled.has_errors() || compiled.site.is_none() {
        return Ok(BuildReport {
            compiled,
            written: false,
            files: 0,
            output,
        });
    }
    if let Some(e) = put_failed.into_inner().expect("error slot") {
        return Err(e);
    }
    // The other outputs, each with its compressed copies (made here, one file at a time, and
    // freed once written). A copy whose name the site already uses is not made.
    let t = Instant::now();
    let progress = opts.progress.0.clone();
    let files = std::mem::take(&mut compiled.files);
    progress.start("write", files.len() as u64);
    let taken: std::collections::HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let written = AtomicUsize::new(files.len());
    files.into_par_iter().try_for_each(|f| {
        staging.put(&f)?;
        if opts.precompress {
            for copy in crate::compress::copies(&f).filter(|c| !taken.contains(&c.path)) {
                staging.put(&copy)?;
                written.fetch_add(1, Ordering::Relaxed);
            }
        }
        progress.advance(1);
        Ok::<(), anyhow::Error>(())
    })?;
    staging.commit()?;
    if let Some((path, text)) = &compiled.ledger_update {
        crate::ledger::write_text(path, text)?;
    }
    compiled.timings.push(("write", t.elapsed()));
    progress.finish("write", t.elapsed());
    Ok(BuildReport {
        files: streamed.into_inner() + written.into_inner(),
        compiled,
        written: true,
        output,
    })
}

/// The ledger lock of the site at `opts.root` (see [`crate::ledger::LedgerLock`]). A site
/// whose configuration cannot be read has no ledger to protect yet: the build fails on the
/// configuration, so the default ledger path is locked.
pub fn ledger_lock(opts: &BuildOptions) -> anyhow::Result<crate::ledger::LedgerLock> {
    let rel = load::config(&opts.root)
        .map(|c| c.ledger)
        .unwrap_or_else(|_| PathBuf::from("gongkai-ledger.tsv"));
    crate::ledger::LedgerLock::acquire(&opts.root.join(rel))
}

/// The site model as of `today` for a report (no search index, nothing written).
fn prepare_for_report(
    snapshot: &Snapshot,
    root: &Path,
    today: NaiveDate,
) -> Result<super::Prepared, Vec<Diagnostic>> {
    let mut build = BuildOptions::new(root);
    build.today = Some(today);
    build.skip_search = true;
    prepare_snapshot(&build, snapshot, None)
}

/// Everything `gongkai report YEAR` does short of printing: computes the report from the
/// loaded site and its `annual/YEAR.toml`. Findings are the report's own, plus validation
/// findings on the documents it counts (a 规章 with an unreadable date would be miscounted) and
/// on `gongkai.toml`; severities from `[rules]` are applied.
pub fn annual_report(
    snapshot: &Snapshot,
    root: &Path,
    year: i32,
    today: NaiveDate,
    opts: &crate::report::ReportOptions,
) -> (Option<crate::report::AnnualReport>, Vec<Diagnostic>) {
    let prepared = match prepare_for_report(snapshot, root, today) {
        Ok(p) => p,
        Err(d) => return (None, d),
    };
    let prepared_annual = snapshot.loaded().annual;
    let site = prepared.site;
    let counted: std::collections::BTreeSet<&Path> = site
        .docs
        .iter()
        .filter(|d| d.kind == "规章" || d.kind == "行政规范性文件")
        .map(|d| d.path.as_path())
        .collect();
    let mut diags: Vec<Diagnostic> = prepared
        .diagnostics
        .into_iter()
        .filter(|d| {
            counted.contains(d.file.as_path()) || d.file == Path::new(crate::config::FILE_NAME)
        })
        .collect();
    let report = match crate::report::annual::read(&prepared_annual, year) {
        Ok(data) => {
            let (r, d) =
                crate::report::compute(site.docs.as_slice(), &site.config, data, today, opts);
            diags.extend(d);
            r
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    (report, site.config.rules.apply(diags))
}

/// Everything `gongkai report catalogue` does short of printing: the site model with its
/// 标准目录, and the self-inspection report. `None` when the site keeps no catalogue (said by a
/// finding). Findings are those on the catalogue files, on documents' `事项`, the catalogue
/// rules (P24–P27) and `gongkai.toml`; severities from `[rules]` applied.
pub fn catalogue_report(
    snapshot: &Snapshot,
    root: &Path,
    today: NaiveDate,
) -> (
    Option<crate::report::catalogue::CatalogueReport>,
    Vec<Diagnostic>,
) {
    let prepared = match prepare_for_report(snapshot, root, today) {
        Ok(p) => p,
        Err(d) => return (None, d),
    };
    let site = prepared.site;
    let mut diags: Vec<Diagnostic> = prepared
        .diagnostics
        .into_iter()
        .filter(|d| {
            matches!(
                d.rule,
                crate::diag::Code::E014
                    | crate::diag::Code::P24
                    | crate::diag::Code::P25
                    | crate::diag::Code::P26
                    | crate::diag::Code::P27
            ) || (d.rule == crate::diag::Code::E008 && d.field.as_deref() == Some("matters"))
                || d.file == Path::new(crate::config::FILE_NAME)
        })
        .collect();
    if site.standard.catalogue.is_empty() {
        diags.push(
            Diagnostic::new(
                crate::diag::Code::E014,
                crate::catalogue::DIR,
                "本站没有政务公开事项标准目录：catalogue/ 下没有 .toml 文件",
            )
            .help("按编辑手册“政务公开事项标准目录”一节新建 catalogue/<领域>.toml，或用 gongkai import --standard 从 Excel/Word 表格导入"),
        );
        return (None, site.config.rules.apply(diags));
    }
    let report = crate::report::catalogue::compute(&site);
    (Some(report), site.config.rules.apply(diags))
}
