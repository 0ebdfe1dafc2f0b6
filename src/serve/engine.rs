//! The in-memory build of `serve`: one [`Engine`] holds the snapshot of the site's inputs, the
//! pipeline's incremental state and the served files, and turns a set of changed paths into a
//! new site by running the same pipeline as `build` ([`pipeline::Mode::Pages`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::{self, Code, Diagnostic};
use crate::load::{self, FileState, Snapshot};
use crate::pipeline::{self, BuildOptions, Incremental};

use super::http::SiteFiles;

/// The in-memory build state kept between rebuilds: the snapshot of the inputs, the
/// pipeline's incremental state, and the served files (the memory sink).
pub struct Engine {
    opts: BuildOptions,
    snapshot: Snapshot,
    inc: Incremental,
    /// The last good site.
    pub site: SiteFiles,
    /// The outputs of the last good rebuild still to be made, until `finish` makes them.
    pending: Option<pipeline::Rest>,
    /// Counts successful rebuilds (finished outputs of an older one are dropped).
    generation: u64,
    /// Source paths of each document's related documents (解读, replacements) in the last good
    /// site: an edit that removes a relation must re-render the other side too.
    related: HashMap<PathBuf, Vec<PathBuf>>,
    /// Set by `content` for a pure edit: the sources whose pages may have changed.
    dirty: Option<HashSet<PathBuf>>,
    /// Sources edited since the last good rebuild (a failed rebuild rendered nothing, so the
    /// next one must still render their pages), and whether that is not known (`None`: a
    /// failed rebuild was not a pure edit, so the next one checks every page).
    unsettled: Option<HashSet<PathBuf>>,
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Outcome {
    /// Findings (severities applied).
    pub diagnostics: Vec<Diagnostic>,
    /// True if the served site was replaced.
    pub published: bool,
    /// Pages rendered this time.
    pub rendered: usize,
    /// Time from the start of the rebuild to the new pages being served.
    pub pages_ready: Duration,
}

impl Engine {
    /// A new engine for `opts` (nothing built yet).
    pub fn new(opts: BuildOptions) -> Engine {
        Engine {
            snapshot: Snapshot {
                config: Err(vec![]),
                config_hash: 0,
                theme: Ok(Default::default()),
                files: BTreeMap::new(),
                redirects: None,
                root: None,
            },
            opts,
            inc: Incremental::new(),
            site: SiteFiles::default(),
            pending: None,
            generation: 0,
            related: HashMap::new(),
            dirty: None,
            unsettled: Some(Default::default()),
        }
    }

    /// Reads every input again and rebuilds. What is reused is decided by comparing the new
    /// snapshot with the last: per-document work while the configuration is unchanged (in the
    /// pipeline), unchanged pages while the templates are.
    ///
    /// The page fingerprints of the last good rebuild are kept until this one succeeds: they
    /// say which pages the served site holds, and the background job of that rebuild may still
    /// be applied after this one fails (`apply_finish`).
    pub fn full(&mut self) -> Outcome {
        let next = load::load(&self.opts.root);
        let templates = |s: &Snapshot| s.theme.as_ref().ok().map(|t| t.templates.clone());
        if templates(&next) != templates(&self.snapshot) {
            self.inc.theme_changed();
        }
        self.snapshot = next;
        self.rebuild(true)
    }

    /// Re-reads `changed` files (relative to the root) and rebuilds what depends on them.
    pub fn content(&mut self, changed: &[PathBuf]) -> Outcome {
        // A pure edit (every changed file was and still is a Markdown source) lets the renderer
        // skip the pages of documents unrelated to it.
        let states: Vec<Option<FileState>> = changed
            .iter()
            .map(|rel| load::load_file(&self.opts.root, rel))
            .collect();
        let files = &mut self.snapshot.files;
        let pure = changed.iter().zip(&states).all(|(rel, after)| {
            matches!(files.get(rel), Some(FileState::Source(..)))
                && matches!(after, Some(FileState::Source(..)))
        });
        self.dirty = match (&self.unsettled, pure) {
            (Some(before), true) => {
                let mut d: HashSet<PathBuf> = changed.iter().cloned().collect();
                for rel in changed {
                    d.extend(self.related.get(rel).into_iter().flatten().cloned());
                }
                d.extend(before.iter().cloned());
                Some(d)
            }
            _ => None,
        };
        for (rel, state) in changed.iter().zip(states) {
            match state {
                Some(state) => {
                    files.insert(rel.clone(), state);
                }
                None => {
                    // Gone (or a folder): drop it and anything under it.
                    files.retain(|p, _| p != rel && !p.starts_with(rel));
                    if self.opts.root.join(rel).is_dir() {
                        for (p, s) in load_tree(&self.opts.root, rel) {
                            files.insert(p, s);
                        }
                    }
                }
            }
        }
        self.rebuild(false)
    }

    fn rebuild(&mut self, full: bool) -> Outcome {
        let dirty = self.dirty.take();
        let outcome = self.rebuild_with(dirty.clone());
        self.unsettled = match (outcome.published, dirty, self.unsettled.take()) {
            (true, _, _) => Some(Default::default()),
            (false, Some(d), Some(mut before)) if !full => {
                before.extend(d);
                Some(before)
            }
            _ => None,
        };
        outcome
    }

    fn rebuild_with(&mut self, dirty: Option<HashSet<PathBuf>>) -> Outcome {
        let t = Instant::now();
        let fail = |diagnostics: Vec<Diagnostic>| Outcome {
            diagnostics,
            published: false,
            rendered: 0,
            pages_ready: t.elapsed(),
        };
        let ledger = match &self.snapshot.config {
            Ok(c) => c.ledger.clone(),
            Err(d) => return fail(diag::RuleLevels::default().apply(d.clone())),
        };
        // As `build`: the ledger is locked from its read (in the pipeline) to its write.
        let _ledger_lock = match crate::ledger::LedgerLock::acquire(&self.opts.root.join(&ledger)) {
            Ok(l) => l,
            Err(e) => return fail(vec![ledger_error(&ledger, e)]),
        };
        let mode = pipeline::Mode::Pages {
            inc: &mut self.inc,
            dirty,
        };
        let compiled = pipeline::compile_snapshot(&self.opts, &self.snapshot, mode);
        if std::env::var_os("GONGKAI_TRACE").is_some() {
            eprintln!(
                "[trace] {:?} ({} pages)",
                compiled.timings,
                compiled.files.len()
            );
        }
        let diagnostics = compiled.diagnostics;
        let (Some(fingerprints), Some(rest)) = (compiled.fingerprints, compiled.rest) else {
            return fail(diagnostics);
        };
        if let Some((path, text)) = &compiled.ledger_update {
            if let Err(e) = crate::ledger::write_text(path, text) {
                let mut diagnostics = diagnostics;
                diagnostics.push(ledger_error(&ledger, e));
                return fail(diagnostics);
            }
        }
        let rendered = compiled.files.len();
        // Pages: unchanged ones from the last site, rendered ones from this render; pages that
        // no longer exist are dropped. Other outputs stay as they were until `finish`.
        for path in self.inc.fingerprints().keys() {
            if !fingerprints.contains_key(path) {
                self.site.remove(path);
            }
        }
        for f in compiled.files {
            self.site.insert(f.path, Arc::new(f.bytes));
        }
        // Set only now: a failed rebuild keeps the page fingerprints of the last good one.
        self.inc.published(fingerprints);
        self.generation += 1;
        self.related = related_paths(&rest.site);
        self.pending = Some(rest);
        Outcome {
            diagnostics,
            published: true,
            rendered,
            pages_ready: t.elapsed(),
        }
    }

    /// Takes the work that completes the last good rebuild: feeds, sitemap, open data, static
    /// files, assets and the search index. It runs on another thread (`run_finish`) so the next
    /// edit is not kept waiting; until it is applied, those outputs are the previous ones.
    pub fn take_finish(&mut self) -> Option<FinishJob> {
        Some(FinishJob {
            generation: self.generation,
            rest: self.pending.take()?,
        })
    }

    /// Applies finished outputs if no rebuild happened since their job was taken, and returns
    /// their findings (severities applied); `None` for a stale result, which is dropped (a newer
    /// job is on its way).
    pub fn apply_finish(&mut self, done: Finished) -> Option<Vec<Diagnostic>> {
        if done.generation != self.generation {
            return None;
        }
        // Non-page outputs are replaced as a whole, so deleted attachments disappear too.
        let pages = self.inc.fingerprints();
        self.site.retain(|path, _| pages.contains_key(path));
        self.site
            .extend(done.files.into_iter().map(|f| (f.path, Arc::new(f.bytes))));
        Some(done.diagnostics)
    }

    /// Completes the last good rebuild on this thread (tests, the first build); returns the
    /// findings of that step (`None` when there was nothing to complete).
    pub fn finish(&mut self) -> Option<Vec<Diagnostic>> {
        let job = self.take_finish()?;
        self.apply_finish(run_finish(job))
    }
}

/// The non-page outputs of one rebuild, still to be made.
pub struct FinishJob {
    generation: u64,
    rest: pipeline::Rest,
}

/// The made outputs, with the findings `build` would report for them.
pub struct Finished {
    generation: u64,
    files: Vec<crate::write::OutputFile>,
    diagnostics: Vec<Diagnostic>,
}

/// Makes feeds, sitemap, open data, static files, assets and the search index, with the same
/// findings as `build` (an unreadable attachment, a search index that cannot be made).
pub fn run_finish(job: FinishJob) -> Finished {
    let (files, diagnostics) = pipeline::rest(&job.rest);
    Finished {
        generation: job.generation,
        files,
        diagnostics,
    }
}

/// A ledger that cannot be locked or written: the rebuild is not published (its new numbers
/// would not be kept).
fn ledger_error(ledger: &Path, e: anyhow::Error) -> Diagnostic {
    Diagnostic::new(Code::E010, ledger, format!("{e:#}"))
        .help("检查台账文件的权限和磁盘，保存任意文件即重试 (check the ledger file; save any file to retry)")
}

fn related_paths(site: &crate::site::Site) -> HashMap<PathBuf, Vec<PathBuf>> {
    let mut out = HashMap::new();
    for (d, r) in site.docs.iter().zip(&site.relations) {
        let v: Vec<PathBuf> = r
            .interpretations
            .iter()
            .chain(r.interprets.iter())
            .chain(&r.replaces)
            .chain(&r.replaced_by)
            .map(|&j| site.docs[j].path.clone())
            .collect();
        if !v.is_empty() {
            out.insert(d.path.clone(), v);
        }
    }
    out
}

fn load_tree(root: &Path, rel: &Path) -> Vec<(PathBuf, FileState)> {
    walkdir::WalkDir::new(root.join(rel))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let r = e.path().strip_prefix(root).ok()?.to_path_buf();
            load::load_file(root, &r).map(|s| (r, s))
        })
        .collect()
}
