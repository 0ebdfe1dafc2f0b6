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
//! re-renders every page (a static file change only the outputs that are not pages). A failed rebuild keeps the last good site and shows the errors; the edits
//! it could not publish are carried into the next rebuild.

pub mod change;
mod engine;
pub mod http;
pub mod static_preview;

pub use engine::{run_finish, Engine, FinishJob, Finished, Outcome};

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::diag::{self, Diagnostic, Severity};
use crate::pipeline::BuildOptions;
use change::ChangeKind;
use http::{Lookup, SiteFiles};

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
            for sub in [
                "content",
                "templates",
                "themes",
                "static",
                "annual",
                "data",
                "catalogue",
            ] {
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
