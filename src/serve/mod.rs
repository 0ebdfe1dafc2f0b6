//! `gongkai serve`: build in memory, serve on loopback, watch, rebuild only what changed, and
//! reload open tabs.
//!
//! The served site comes from the same stages as `build` (plus the reload script): a content
//! edit re-reads only the changed files; `validate` reuses, by hashes of their inputs, every
//! unchanged document's fields, body, review findings and the checks across documents
//! (`validate::Caches`); the renderer re-renders only pages whose fingerprints changed, and for
//! a pure edit looks only at the edited documents' pages (`render_pages_dirty`). Pages are served
//! at once; feeds, sitemap, open data and the search index are then made again in the background
//! (whole, so they stay byte-identical to `build`'s). A template, theme, static or config change
//! rebuilds everything. A failed rebuild keeps the last good site and shows the errors; the edits
//! it could not publish are carried into the next rebuild.

pub mod change;
pub mod http;
pub mod static_preview;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::diag::{self, Code, Diagnostic, Severity};
use crate::load::{self, FileState};
use crate::pipeline::{self, BuildOptions};
use crate::validate::Caches;
use change::ChangeKind;
use http::{Lookup, SiteFiles};

/// The in-memory build state kept between rebuilds.
pub struct Engine {
    opts: BuildOptions,
    files: BTreeMap<PathBuf, FileState>,
    caches: Caches,
    /// Page fingerprints of the last good rebuild (shared with its background job).
    fingerprints: Arc<crate::render::Fingerprints>,
    /// Set by a full rebuild until one succeeds: templates or config may have changed, so
    /// every page is rendered again (fingerprints cover a page's data, not its template).
    render_all: bool,
    tera: Option<tera::Tera>,
    /// The last good site.
    pub site: SiteFiles,
    /// The model of the last good rebuild, until `finish` has written its non-page outputs.
    pending: Option<(
        crate::site::Site,
        std::collections::BTreeSet<PathBuf>,
        Arc<crate::render::Fingerprints>,
    )>,
    /// Counts successful rebuilds (finished outputs of an older one are dropped).
    generation: u64,
    /// Source paths of each document's related documents (解读, replacements) in the last good
    /// site: an edit that removes a relation must re-render the other side too.
    related: HashMap<PathBuf, Vec<PathBuf>>,
    /// Set by `content` for a pure edit: the sources whose pages may have changed.
    dirty: Option<std::collections::HashSet<PathBuf>>,
    /// Sources edited since the last good rebuild (a failed rebuild rendered nothing, so the
    /// next one must still render their pages), and whether that is not known (`None`: a
    /// failed rebuild was not a pure edit, so the next one checks every page).
    unsettled: Option<std::collections::HashSet<PathBuf>>,
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
            opts,
            files: BTreeMap::new(),
            caches: Caches::default(),
            fingerprints: Arc::default(),
            render_all: true,
            tera: None,
            site: SiteFiles::default(),
            pending: None,
            generation: 0,
            related: HashMap::new(),
            dirty: None,
            unsettled: Some(Default::default()),
        }
    }

    /// Rebuilds everything: config, templates, all files.
    ///
    /// The page fingerprints of the last good rebuild are kept until this one succeeds: they
    /// say which pages the served site holds, and the background job of that rebuild may still
    /// be applied after this one fails (`apply_finish`).
    pub fn full(&mut self) -> Outcome {
        self.files = load::load(&self.opts.root).into_files();
        self.caches = Caches::default();
        self.tera = None;
        self.render_all = true;
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
        let pure = changed.iter().zip(&states).all(|(rel, after)| {
            matches!(self.files.get(rel), Some(FileState::Source(..)))
                && matches!(after, Some(FileState::Source(..)))
        });
        self.dirty = match (&self.unsettled, pure) {
            (Some(before), true) => {
                let mut d: std::collections::HashSet<PathBuf> = changed.iter().cloned().collect();
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
                    self.files.insert(rel.clone(), state);
                }
                None => {
                    // Gone (or a folder): drop it and anything under it.
                    self.files.retain(|p, _| p != rel && !p.starts_with(rel));
                    if self.opts.root.join(rel).is_dir() {
                        for (p, s) in load_tree(&self.opts.root, rel) {
                            self.files.insert(p, s);
                        }
                    }
                }
            }
        }
        self.rebuild(false)
    }

    fn rebuild(&mut self, full: bool) -> Outcome {
        let dirty = self.dirty.take();
        let outcome = self.rebuild_with(full, dirty.clone());
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

    fn rebuild_with(
        &mut self,
        full: bool,
        dirty: Option<std::collections::HashSet<PathBuf>>,
    ) -> Outcome {
        let t = Instant::now();
        let fail = |diagnostics: Vec<Diagnostic>| Outcome {
            diagnostics,
            published: false,
            rendered: 0,
            pages_ready: t.elapsed(),
        };
        let cfg = match pipeline::load_config(&self.opts) {
            Ok(c) => c,
            Err(d) => return fail(diag::RuleLevels::default().apply(d)),
        };
        // A template error does not stop the rebuild: the documents are still checked, so
        // every finding `build` reports is reported here too.
        let mut template_errors = Vec::new();
        if self.tera.is_none() || full {
            match crate::render::load_templates(&self.opts.root, &cfg.theme) {
                Ok(t) => self.tera = Some(t),
                Err(d) => {
                    self.tera = None;
                    template_errors = d;
                }
            }
        }
        let trace = std::env::var_os("GONGKAI_TRACE").is_some();
        // As `build`: the ledger is locked from its read (in `prepare_loaded`) to its write.
        let _ledger_lock =
            match crate::ledger::LedgerLock::acquire(&self.opts.root.join(&cfg.ledger)) {
                Ok(l) => l,
                Err(e) => return fail(vec![ledger_error(&cfg, e)]),
            };
        let t0 = Instant::now();
        let loaded = load::Loaded::from_files(&self.files);
        let t1 = Instant::now();
        let caches = std::mem::take(&mut self.caches);
        let mut p = pipeline::prepare_loaded(&self.opts, cfg, loaded, Some(caches));
        // Cached work is keyed by its inputs, so it stays valid whether or not this build fails.
        self.caches = std::mem::take(&mut p.caches);
        let t2 = Instant::now();
        let Some(tera) = self.tera.as_ref() else {
            p.diagnostics.extend(template_errors);
            return fail(
                p.site
                    .config
                    .rules
                    .apply(std::mem::take(&mut p.diagnostics)),
            );
        };
        let out = match dirty {
            _ if self.render_all => {
                crate::render::render_pages_since(&p.site, tera, &Default::default())
            }
            Some(dirty) if !full => {
                crate::render::render_pages_dirty(&p.site, tera, &self.fingerprints, dirty)
            }
            _ => crate::render::render_pages_since(&p.site, tera, &self.fingerprints),
        };
        if trace {
            eprintln!(
                "[trace] assemble {:?} prepare {:?} ({:?}) render {:?} ({} pages)",
                t1 - t0,
                t2 - t1,
                p.timings,
                t2.elapsed(),
                out.files.len()
            );
        }
        p.diagnostics.extend(out.diagnostics);
        let diagnostics = p
            .site
            .config
            .rules
            .apply(std::mem::take(&mut p.diagnostics));
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return fail(diagnostics);
        }
        if let Some((path, text)) = &p.ledger_update {
            if let Err(e) = crate::ledger::write_text(path, text) {
                let mut diagnostics = diagnostics;
                diagnostics.push(ledger_error(&p.site.config, e));
                return fail(diagnostics);
            }
        }
        let rendered = out.files.len();
        // Pages: unchanged ones from the last site, rendered ones from this render; pages that
        // no longer exist are dropped. Other outputs stay as they were until `finish`.
        for path in self.fingerprints.keys() {
            if !out.fingerprints.contains_key(path) {
                self.site.remove(path);
            }
        }
        for f in out.files {
            self.site.insert(f.path, Arc::new(f.bytes));
        }
        // Set only now: a failed rebuild keeps the page fingerprints of the last good one.
        self.fingerprints = Arc::new(out.fingerprints);
        self.render_all = false;
        self.generation += 1;
        self.related = related_paths(&p.site);
        self.pending = Some((p.site, p.assets, self.fingerprints.clone()));
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
        let (site, assets, pages) = self.pending.take()?;
        Some(FinishJob {
            generation: self.generation,
            root: self.opts.root.clone(),
            site,
            assets,
            pages,
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
        self.site
            .retain(|path, _| self.fingerprints.contains_key(path));
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
    root: PathBuf,
    site: crate::site::Site,
    assets: std::collections::BTreeSet<PathBuf>,
    /// The pages of that rebuild (their paths go into the sitemap).
    pages: Arc<crate::render::Fingerprints>,
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
    let mut page_paths: Vec<String> = job.pages.keys().cloned().collect();
    page_paths.sort();
    let (mut files, mut diagnostics) =
        pipeline::other_outputs(&job.root, &job.site, &page_paths, &job.assets);
    match crate::search::index(&job.site) {
        Ok(index) => files.extend(index),
        Err(e) => diagnostics.push(pipeline::search_index_error(&e)),
    }
    Finished {
        generation: job.generation,
        files,
        diagnostics: job.site.config.rules.apply(diagnostics),
    }
}

/// A ledger that cannot be locked or written: the rebuild is not published (its new numbers
/// would not be kept).
fn ledger_error(cfg: &crate::config::Config, e: anyhow::Error) -> Diagnostic {
    Diagnostic::new(Code::E010, cfg.ledger.clone(), format!("{e:#}"))
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

/// What the HTTP side sees.
pub struct Shared {
    /// The site being served.
    pub site: RwLock<Arc<SiteFiles>>,
    /// The last build's errors, shown as an overlay (None when it succeeded).
    pub errors: RwLock<Option<Vec<String>>>,
    /// Bumped on every rebuild; reload events wait on it.
    pub version: Mutex<u64>,
    /// Wakes reload listeners.
    pub changed: Condvar,
}

impl Shared {
    fn publish(&self, site: Option<SiteFiles>, errors: Option<Vec<String>>, reload: bool) {
        // The old site is dropped last, outside the lock: readers never wait for that.
        let old = site
            .map(|s| std::mem::replace(&mut *self.site.write().expect("site lock"), Arc::new(s)));
        *self.errors.write().expect("errors lock") = errors;
        if reload {
            *self.version.lock().expect("version lock") += 1;
            self.changed.notify_all();
        }
        drop(old);
    }
}

/// Options of `gongkai serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Build options (root, today …); `base_url` is set from bind and port.
    pub build: BuildOptions,
    /// Address to bind (127.0.0.1 by default).
    pub bind: String,
    /// Port (0 = any free port).
    pub port: u16,
    /// Print every rebuild's findings.
    pub verbose: bool,
    /// Print nothing but errors.
    pub quiet: bool,
}

/// A running server.
pub struct Server {
    /// The address it listens on (`http://127.0.0.1:1111/`).
    pub url: String,
    /// State shared with the HTTP threads.
    pub shared: Arc<Shared>,
    _watcher: Option<WatcherHandle>,
}

/// Starts serving: the first build, the watcher and the HTTP threads. Returns once listening.
pub fn start(opts: ServeOptions) -> anyhow::Result<Server> {
    let server = tiny_http::Server::http((opts.bind.as_str(), opts.port)).map_err(|e| {
        anyhow::anyhow!(
            "无法在 {}:{} 上启动服务（端口可能已被占用；用 --port 指定其他端口）: {e}",
            opts.bind,
            opts.port
        )
    })?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(opts.port);
    let url = format!("http://{}:{port}/", opts.bind);
    let mut build = opts.build.clone();
    build.base_url = Some(url.clone());
    let workbench = Arc::new(crate::workbench::Workbench::new(build.clone(), port)?);
    let mut engine = Engine::new(build);
    let mut first = engine.full();
    if let Some(more) = engine.finish() {
        first.diagnostics.extend(more);
    }
    report(&first, &opts, "首次构建 initial build");
    let first_errors = errors_of(&first).or_else(|| finish_errors(&first.diagnostics));
    let shared = Arc::new(Shared {
        site: RwLock::new(Arc::new(std::mem::take(&mut engine.site))),
        errors: RwLock::new(first_errors),
        version: Mutex::new(0),
        changed: Condvar::new(),
    });
    engine.site = (**shared.site.read().expect("site lock")).clone();

    let http_shared = shared.clone();
    let server = Arc::new(server);
    for _ in 0..4 {
        let server = server.clone();
        let shared = http_shared.clone();
        let workbench = workbench.clone();
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                let shared = shared.clone();
                if crate::workbench::owns(req.url()) {
                    let workbench = workbench.clone();
                    std::thread::spawn(move || workbench.respond(req));
                } else if !http::is_read_method(req.method()) {
                    let _ = req.respond(http::method_not_allowed());
                } else if req.url().starts_with(http::EVENTS) {
                    std::thread::spawn(move || events(req, &shared));
                } else {
                    respond(req, &shared);
                }
            }
        });
    }
    let watcher = watch(engine, shared.clone(), opts.clone())?;
    Ok(Server {
        url,
        shared,
        _watcher: Some(watcher),
    })
}

fn errors_of(o: &Outcome) -> Option<Vec<String>> {
    (!o.published).then(|| {
        o.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| diag::render_human(d, false))
            .collect()
    })
}

/// The errors among a finishing step's findings, as the overlay shows them.
fn finish_errors(found: &[Diagnostic]) -> Option<Vec<String>> {
    let errors: Vec<String> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| diag::render_human(d, false))
        .collect();
    (!errors.is_empty()).then_some(errors)
}

fn report(o: &Outcome, opts: &ServeOptions, what: &str) {
    let errors: Vec<&Diagnostic> = o
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() || opts.verbose {
        let shown: Vec<Diagnostic> = o
            .diagnostics
            .iter()
            .filter(|d| opts.verbose || d.severity == Severity::Error)
            .cloned()
            .collect();
        crate::diag::print_human(&shown, false);
    }
    if o.published {
        if !opts.quiet {
            eprintln!(
                "{what}: {} 个页面已更新，{:.0} ms 后可访问 ({} page(s) in {:.0} ms)",
                o.rendered,
                o.pages_ready.as_secs_f64() * 1000.0,
                o.rendered,
                o.pages_ready.as_secs_f64() * 1000.0
            );
        }
    } else {
        eprintln!("{what}: 构建失败，继续提供上一次成功的站点 (build failed; still serving the last good site)");
    }
}

/// Quiet time that ends a burst of events (editors write files in several steps).
const DEBOUNCE: Duration = Duration::from_millis(15);
/// Quiet time after a file was closed for writing: the save is complete unless a rename
/// (atomic saves) follows at once.
const SETTLE: Duration = Duration::from_millis(3);
/// Longest a burst is collected before rebuilding anyway.
const MAX_BURST: Duration = Duration::from_millis(1000);

/// What the rebuild loop waits for.
enum Msg {
    /// A file-system event.
    Fs(notify::Result<notify::Event>),
    /// Background outputs of a rebuild are ready.
    Finished(Finished),
}

fn watch(
    mut engine: Engine,
    shared: Arc<Shared>,
    opts: ServeOptions,
) -> anyhow::Result<WatcherHandle> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel::<Msg>();
    let fs_tx = tx.clone();
    let watcher = Arc::new(Mutex::new(notify::recommended_watcher(move |e| {
        let _ = fs_tx.send(Msg::Fs(e));
    })?));
    let root = opts
        .build
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.build.root.clone());
    // gongkai.toml and folders created later are seen through the root (not recursive); the
    // site's own folders are watched recursively, and re-watched when they appear.
    watcher
        .lock()
        .expect("watcher lock")
        .watch(&root, RecursiveMode::NonRecursive)?;
    let mut watched: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    let mut watch_folders = {
        let watcher = watcher.clone();
        let root = root.clone();
        move || {
            for sub in ["content", "templates", "themes", "static", "annual", "data"] {
                let p = root.join(sub);
                if p.is_dir() && !watched.contains(&p) {
                    if watcher
                        .lock()
                        .expect("watcher lock")
                        .watch(&p, RecursiveMode::Recursive)
                        .is_ok()
                    {
                        watched.insert(p);
                    }
                } else if !p.is_dir() {
                    watched.remove(&p);
                }
            }
        }
    };
    watch_folders();
    // The background worker makes the slow outputs; only the newest job matters.
    let (job_tx, job_rx) = std::sync::mpsc::channel::<FinishJob>();
    std::thread::spawn(move || {
        while let Ok(mut job) = job_rx.recv() {
            while let Ok(newer) = job_rx.try_recv() {
                job = newer;
            }
            if tx.send(Msg::Finished(run_finish(job))).is_err() {
                return;
            }
        }
    });
    std::thread::spawn(move || {
        let mut backlog: Vec<Msg> = Vec::new();
        loop {
            let first = match backlog.pop() {
                Some(m) => m,
                None => match rx.recv() {
                    Ok(m) => m,
                    Err(_) => return,
                },
            };
            let first = match first {
                Msg::Finished(done) => {
                    if let Some(found) = engine.apply_finish(done) {
                        // Completes the last good site; a later failed rebuild's errors stay shown.
                        *shared.site.write().expect("site lock") = Arc::new(engine.site.clone());
                        // What `build` would refuse is shown as its errors are.
                        if let Some(errors) = finish_errors(&found) {
                            crate::diag::print_human(&found, false);
                            shared.publish(None, Some(errors), true);
                        }
                    }
                    continue;
                }
                Msg::Fs(e) if relevant(&e) => e,
                Msg::Fs(_) => continue,
            };
            // Merge bursts (an editor's save, git checkout touching thousands of files).
            let start = Instant::now();
            let mut paths: Vec<PathBuf> = Vec::new();
            let mut rescan = false;
            let mut take = |e: notify::Result<notify::Event>| {
                let wait = if closed(&e) { SETTLE } else { DEBOUNCE };
                match e {
                    Ok(ev) => {
                        rescan |= ev.need_rescan();
                        paths.extend(ev.paths);
                    }
                    Err(_) => rescan = true,
                }
                wait
            };
            let mut wait = take(first);
            while start.elapsed() < MAX_BURST {
                match rx.recv_timeout(wait) {
                    Ok(Msg::Fs(e)) if relevant(&e) => wait = take(e),
                    Ok(Msg::Fs(_)) => {}
                    Ok(m @ Msg::Finished(_)) => backlog.push(m),
                    Err(_) => break,
                }
            }
            watch_folders();
            let kind = if rescan {
                ChangeKind::Full
            } else {
                change::classify(&root, &paths)
            };
            let outcome = match kind {
                ChangeKind::Ignore => continue,
                ChangeKind::Content(changed) => engine.content(&changed),
                ChangeKind::Full => engine.full(),
            };
            report(&outcome, &opts, "重新构建 rebuilt");
            if outcome.published {
                // Served first; the engine's own copy is made once the tabs are told to reload.
                shared.publish(Some(std::mem::take(&mut engine.site)), None, true);
                engine.site = (**shared.site.read().expect("site lock")).clone();
                if let Some(job) = engine.take_finish() {
                    let _ = job_tx.send(job);
                }
            } else {
                shared.publish(None, errors_of(&outcome), true);
            }
        }
    });
    Ok(watcher)
}

/// A file closed after writing: the end of a save.
fn closed(e: &notify::Result<notify::Event>) -> bool {
    use notify::event::{AccessKind, AccessMode};
    matches!(e, Ok(ev) if ev.kind == notify::EventKind::Access(AccessKind::Close(AccessMode::Write)))
}

/// Reading files (our own rebuilds) produces access events: those never mean a change,
/// except a file closed after writing.
fn relevant(e: &notify::Result<notify::Event>) -> bool {
    match e {
        Ok(ev) => !matches!(ev.kind, notify::EventKind::Access(_)) || closed(e),
        Err(_) => true,
    }
}

/// Keeps the watcher alive for as long as the server runs.
pub type WatcherHandle = Arc<Mutex<notify::RecommendedWatcher>>;

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("static header names and values are valid")
}

fn respond(req: tiny_http::Request, shared: &Shared) {
    let site = shared.site.read().expect("site lock").clone();
    let errors = shared.errors.read().expect("errors lock").clone();
    let overlay = errors.map(|e| http::overlay(&e));
    let res = match http::lookup(req.url(), &|p| site.contains_key(p)) {
        Lookup::File(p) => {
            let bytes = &site[&p];
            let body = if p.ends_with(".html") {
                http::inject(bytes, overlay.as_deref())
            } else {
                bytes.to_vec()
            };
            tiny_http::Response::from_data(body)
                .with_header(header("Content-Type", http::content_type(&p)))
                .with_header(header("Cache-Control", "no-store"))
        }
        Lookup::Redirect(to) => tiny_http::Response::from_data(Vec::new())
            .with_status_code(301)
            .with_header(header("Location", &to)),
        Lookup::BadRequest => tiny_http::Response::from_data(b"400 Bad Request".to_vec())
            .with_status_code(400)
            .with_header(header("Content-Type", "text/plain; charset=utf-8")),
        Lookup::NotFound => {
            let body = site
                .get("404.html")
                .map(|b| http::inject(b, overlay.as_deref()))
                .unwrap_or_else(|| b"404 Not Found".to_vec());
            tiny_http::Response::from_data(body)
                .with_status_code(404)
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
        }
    };
    let _ = req.respond(res);
}

/// Server-sent events: `data: reload` after each rebuild, a comment every 15 s otherwise.
fn events(req: tiny_http::Request, shared: &Shared) {
    use std::io::Write;
    let mut w = req.into_writer();
    if w.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n").and_then(|_| w.flush()).is_err() {
        return;
    }
    let mut seen = *shared.version.lock().expect("version lock");
    loop {
        let guard = shared.version.lock().expect("version lock");
        let (guard, timeout) = shared
            .changed
            .wait_timeout_while(guard, Duration::from_secs(15), |v| *v == seen)
            .expect("version lock");
        let now = *guard;
        drop(guard);
        let msg: &[u8] = if timeout.timed_out() {
            b": ping\n\n"
        } else {
            b"data: reload\n\n"
        };
        seen = now;
        if w.write_all(msg).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
}
