//! The build, as a flat list of stages: load → validate → site model → render → search index →
//! write. Each stage takes plain data and returns plain data plus diagnostics; this module only
//! wires them and times them (Zola's `Site::build`). `build` and `serve` run the same
//! [`compile_snapshot`]: `build` in [`Mode::Whole`] with the disk as its sink, `serve` in
//! [`Mode::Pages`] with memory as its sink and the incremental caches of [`Incremental`].

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::{self, Config};
use crate::diag::{self, Code, Diagnostic, Severity};
use crate::ledger::Ledger;
use crate::load::Snapshot;
use crate::render::{self, Fingerprints};
use crate::site::{self, Site};
use crate::write::OutputFile;
use crate::{load, validate};

mod commands;
mod options;
mod outputs;

pub use commands::{annual_report, build, catalogue_report, ledger_lock, BuildReport};
pub use options::{load_config, BuildOptions};
use outputs::{other_outputs, unwritable};
pub use outputs::{rest, search_index_error, Rest};

/// The site after load, validate and the site model: everything `check` needs.
pub struct Prepared {
    /// The site model.
    pub site: Site,
    /// Findings so far (severities not yet applied).
    pub diagnostics: Vec<Diagnostic>,
    /// Documents found (published + withheld).
    pub documents: usize,
    /// Documents not published.
    pub withheld: usize,
    /// Assets referenced by published pages.
    pub assets: BTreeSet<PathBuf>,
    /// Ledger text to save, when it changed.
    pub ledger_update: Option<(PathBuf, String)>,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// Reusable work for the next run (`serve`).
    pub caches: validate::Caches,
}

/// Load → validate (with the review rules) → site model. Writes nothing; renders nothing.
/// `Err` carries config findings (severities applied) when the site cannot even be read.
pub fn prepare(opts: &BuildOptions) -> Result<Prepared, Vec<Diagnostic>> {
    let t = Instant::now();
    opts.progress.0.start("load", 0);
    let snapshot = load::load(&opts.root);
    let load_time = t.elapsed();
    opts.progress.0.finish("load", load_time);
    let mut p = prepare_snapshot(opts, &snapshot, None)?;
    p.timings.insert(0, ("load", load_time));
    Ok(p)
}

/// Validate → site model over a snapshot, reusing `prev` caches (`serve`). Reads the ledger
/// (the caller holds its lock when it will write it).
pub fn prepare_snapshot(
    opts: &BuildOptions,
    snapshot: &Snapshot,
    prev: Option<validate::Caches>,
) -> Result<Prepared, Vec<Diagnostic>> {
    let cfg =
        load_config(opts, &snapshot.config).map_err(|d| diag::RuleLevels::default().apply(d))?;
    let mut timings = Vec::new();
    let mut t = Instant::now();
    let progress = opts.progress.0.clone();
    progress.start("validate", 0);
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, t.elapsed()));
        progress.finish(name, t.elapsed());
        t = Instant::now();
        if name == "validate" {
            progress.start("site", 0);
        }
    };
    let today = opts
        .today
        .unwrap_or_else(|| crate::clock::today(cfg.timezone, opts.now));
    let mut loaded = snapshot.loaded();
    let asset_sizes: BTreeMap<PathBuf, u64> = loaded.assets.iter().cloned().collect();
    let positions = std::mem::take(&mut loaded.positions);
    let annual = std::mem::take(&mut loaded.annual);
    let catalogue = std::mem::take(&mut loaded.catalogue);

    let ledger_path = opts.root.join(&cfg.ledger);
    let mut diags = Vec::new();
    let ledger = load::ledger(&ledger_path).unwrap_or_else(|e| {
        let d = Diagnostic::new(Code::E010, cfg.ledger.clone(), e.to_string());
        diags.push(match e {
            crate::ledger::LedgerError::Format { line, .. } => d
                .at(line)
                .help("用 git 恢复台账文件；不要手工编辑 (restore the ledger from git)"),
            crate::ledger::LedgerError::Io(_) => {
                d.help("检查台账文件的权限和磁盘 (check the file's permissions and the disk)")
            }
        });
        Ledger::default()
    });
    let mut v = validate::validate_with(loaded, &cfg, ledger, today, &asset_sizes, prev);
    let caches = std::mem::take(&mut v.caches);
    diags.extend(v.diagnostics);
    let documents = v.docs.len()
        + v.withheld
            .iter()
            .filter(|w| !w.path.ends_with("_index.md"))
            .count();
    let withheld = v.withheld.len();
    let ledger_update = v.ledger_changed.then(|| (ledger_path, v.ledger.to_text()));
    diags.extend(photo_positions(&v.assets, &positions));
    lap("validate", &mut timings);

    diags.extend(check_footer(&cfg));
    let withheld_pages = crate::redirects::Withheld::new(&v.withheld, &cfg);
    let (mut site, site_diags) = site::build_site(v.docs, v.sections, cfg, today, &annual);
    diags.extend(site_diags);
    diags.extend(crate::check::standard::attach_and_review(
        &mut site, &catalogue,
    ));
    crate::check::standard::supersede_p05(&mut diags);
    let (redirects, redirect_diags) =
        crate::redirects::read(snapshot.redirects.as_ref(), &site, &withheld_pages);
    diags.extend(redirect_diags);
    site.redirects = redirects;
    lap("site", &mut timings);
    Ok(Prepared {
        site,
        diagnostics: diags,
        documents,
        withheld,
        assets: v.assets,
        ledger_update,
        timings,
        caches,
    })
}

/// P30: a published picture that records where it was taken.
fn photo_positions(
    published: &std::collections::BTreeSet<PathBuf>,
    positions: &BTreeMap<PathBuf, String>,
) -> Vec<Diagnostic> {
    published
        .iter()
        .filter_map(|a| Some((a, positions.get(a)?)))
        .map(|(a, at)| {
            Diagnostic::new(
                Code::P30,
                a.clone(),
                format!("图片记录了拍摄位置（GPS：{at}），发布后任何人都能从图片读出拍摄地点 (the picture records where it was taken)"),
            )
            .help("用图片工具删除位置信息后再放入 content/（Windows：右键图片 → 属性 → 详细信息 → 删除属性和个人信息）；确需公开位置的，在 gongkai.toml 的 [rules] 中写 P30 = \"allow\"")
        })
        .collect()
}

/// How [`compile`] runs the stages after the site model.
pub enum Mode<'a> {
    /// Every output at once (`build`, `check`): the search index on one core while pages
    /// render on the other. With a sink, document pages go to it as they are rendered and
    /// are not returned (`build` streams them to disk).
    Whole(Option<render::PageSink<'a>>),
    /// Pages first (`serve`): work is reused from `inc`, only pages whose inputs changed are
    /// rendered (only those of the `dirty` sources, for a pure content edit), and the other
    /// outputs are left to [`Compiled::rest`], which the caller runs in the background.
    Pages {
        /// What the last good run left.
        inc: &'a mut Incremental,
        /// Sources whose pages may have changed, when that is known.
        dirty: Option<HashSet<PathBuf>>,
    },
}

/// Work kept between runs of the same site (`serve`).
#[derive(Default)]
pub struct Incremental {
    /// Per-document work of `validate`, keyed by hashes of its inputs.
    caches: validate::Caches,
    /// Page fingerprints of the last published run: the pages the served site holds.
    fingerprints: Arc<Fingerprints>,
    /// Every page must be rendered again (first run, or templates or configuration changed
    /// since the last published run: fingerprints cover a page's data, not its template).
    render_all: bool,
    /// The parsed templates, with a hash of their texts.
    tera: Option<(u64, Arc<tera::Tera>)>,
    /// The configuration hash the caches were made under.
    config_hash: u64,
}

impl Incremental {
    /// Nothing reused yet: the first run renders every page.
    pub fn new() -> Incremental {
        Incremental {
            render_all: true,
            ..Default::default()
        }
    }
    /// The page fingerprints of the last published run.
    pub fn fingerprints(&self) -> &Arc<Fingerprints> {
        &self.fingerprints
    }
    /// Records that the run which rendered `fingerprints` was published.
    pub fn published(&mut self, fingerprints: Fingerprints) -> Arc<Fingerprints> {
        self.fingerprints = Arc::new(fingerprints);
        self.render_all = false;
        self.fingerprints.clone()
    }
    /// The templates or static files changed: the next published run renders every page.
    pub fn theme_changed(&mut self) {
        self.render_all = true;
    }
}

/// The result of compiling a site in memory.
pub struct Compiled {
    /// The site model (`None` if the config could not be read, or when it moved to `rest`).
    pub site: Option<Site>,
    /// Every output file made (sorted by path); in [`Mode::Pages`], only the rendered pages.
    pub files: Vec<OutputFile>,
    /// Findings with severities applied, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Documents found (published + withheld).
    pub documents: usize,
    /// Documents not published.
    pub withheld: usize,
    /// Ledger text to save, when it changed.
    pub ledger_update: Option<(PathBuf, String)>,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// [`Mode::Pages`]: every page path with its fingerprint, rendered or not.
    pub fingerprints: Option<Fingerprints>,
    /// [`Mode::Pages`] without errors: the outputs still to be made ([`rest`]).
    pub rest: Option<Rest>,
}

impl Compiled {
    /// True if any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    fn failed(diagnostics: Vec<Diagnostic>) -> Compiled {
        Compiled {
            site: None,
            files: vec![],
            diagnostics,
            documents: 0,
            withheld: 0,
            ledger_update: None,
            timings: vec![],
            fingerprints: None,
            rest: None,
        }
    }
}

/// The parsed templates of `snapshot`, reused from `inc` while their texts are unchanged.
fn templates(
    theme: &Result<load::Theme, Diagnostic>,
    inc: Option<&mut Incremental>,
) -> Result<Arc<tera::Tera>, Vec<Diagnostic>> {
    let theme = theme.as_ref().map_err(|d| vec![d.clone()])?;
    let mut h = rustc_hash::FxHasher::default();
    theme.templates.hash(&mut h);
    let hash = h.finish();
    if let Some(Some((_, tera))) = inc
        .as_ref()
        .map(|i| i.tera.as_ref().filter(|(k, _)| *k == hash))
    {
        return Ok(tera.clone());
    }
    let tera = Arc::new(render::templates(&theme.templates)?);
    if let Some(inc) = inc {
        inc.tera = Some((hash, tera.clone()));
    }
    Ok(tera)
}

/// Loads the site and runs every stage in memory; writes nothing.
pub fn compile(opts: &BuildOptions) -> Compiled {
    compile_into(opts, None)
}

/// [`compile`], handing document pages to `sink` as they are rendered (see [`Mode::Whole`]).
pub fn compile_into(opts: &BuildOptions, sink: Option<render::PageSink<'_>>) -> Compiled {
    let t = Instant::now();
    opts.progress.0.start("load", 0);
    let snapshot = load::load(&opts.root);
    let load_time = t.elapsed();
    opts.progress.0.finish("load", load_time);
    let mut c = run(opts, Input::Owned(Box::new(snapshot)), Mode::Whole(sink));
    c.timings.insert(0, ("load", load_time));
    c
}

/// Validate → site model → render and search over a snapshot: the one wiring of the stages,
/// for `build` ([`Mode::Whole`]) and `serve` ([`Mode::Pages`]). Reads the ledger, so a caller
/// that will write it holds its lock.
pub fn compile_snapshot(opts: &BuildOptions, snapshot: &Snapshot, mode: Mode<'_>) -> Compiled {
    run(opts, Input::Borrowed(snapshot), mode)
}

/// A snapshot lent by `serve`, or owned by a one-off build, which frees the sources once they
/// are validated (the documents hold what later stages need).
enum Input<'a> {
    Borrowed(&'a Snapshot),
    Owned(Box<Snapshot>),
}

fn run(opts: &BuildOptions, input: Input<'_>, mode: Mode<'_>) -> Compiled {
    let snapshot = match &input {
        Input::Borrowed(s) => *s,
        Input::Owned(s) => s,
    };
    let (mut inc, dirty, sink) = match mode {
        Mode::Whole(sink) => (None, None, sink),
        Mode::Pages { inc, dirty } => (Some(inc), dirty, None),
    };
    if let Some(inc) = inc.as_deref_mut() {
        // Cached per-document work depends on the configuration.
        if inc.config_hash != snapshot.config_hash {
            inc.caches = validate::Caches::default();
            inc.config_hash = snapshot.config_hash;
            inc.render_all = true;
        }
    }
    let caches = inc.as_deref_mut().map(|i| std::mem::take(&mut i.caches));
    let p = match prepare_snapshot(opts, snapshot, caches) {
        Ok(p) => p,
        Err(diagnostics) => return Compiled::failed(diagnostics),
    };
    let Prepared {
        site,
        diagnostics: mut diags,
        documents,
        withheld,
        assets,
        ledger_update,
        mut timings,
        caches,
    } = p;
    let config = snapshot.config.clone();
    let theme = snapshot.theme.clone();
    // The sources, when this run owns them: nothing after here reads them.
    drop(input);
    // A template error does not stop the run: the documents are still checked, so every
    // finding is reported at once.
    let tera = templates(&theme, inc.as_deref_mut());
    let statics = Arc::new(
        theme
            .as_ref()
            .map(|t| t.statics.clone())
            .unwrap_or_default(),
    );
    let progress = opts.progress.0.clone();
    let mut files = Vec::new();
    let mut fingerprints = None;
    let mut rest = None;
    match inc {
        Some(inc) => {
            // Cached work is keyed by its inputs, so it stays valid whether or not this run fails.
            inc.caches = caches;
            let t = Instant::now();
            match &tera {
                Ok(tera) => {
                    let out = match dirty {
                        _ if inc.render_all => {
                            render::render_pages_since(&site, tera, &Default::default())
                        }
                        Some(dirty) => {
                            render::render_pages_dirty(&site, tera, &inc.fingerprints, dirty)
                        }
                        None => render::render_pages_since(&site, tera, &inc.fingerprints),
                    };
                    diags.extend(out.diagnostics);
                    files = out.files;
                    let mut page_paths: Vec<String> = out.fingerprints.keys().cloned().collect();
                    page_paths.sort();
                    fingerprints = Some(out.fingerprints);
                    rest = Some(Rest {
                        site,
                        assets,
                        page_paths,
                        statics,
                        root: opts.root.clone(),
                        search: !opts.skip_search,
                    });
                }
                Err(d) => diags.extend(d.iter().cloned()),
            }
            timings.push(("render", t.elapsed()));
            let diagnostics = rules_of(&config).apply(diags);
            let ok = !diagnostics.iter().any(|d| d.severity == Severity::Error);
            Compiled {
                site: None,
                files,
                diagnostics,
                documents,
                withheld,
                ledger_update,
                timings,
                fingerprints: fingerprints.filter(|_| ok),
                rest: rest.filter(|_| ok),
            }
        }
        None => {
            drop(caches);
            // The search index first, on both cores; pages start rendering when its writer is
            // down to one thread (merging, chunking), so the second core is not left idle. The
            // two stages' times therefore overlap.
            let (search, pages, render_time) = std::thread::scope(|scope| {
                let (indexed_tx, indexed_rx) = std::sync::mpsc::channel::<()>();
                let search = (!opts.skip_search).then(|| {
                    progress.start("search", 0);
                    let site = &site;
                    scope.spawn(move || {
                        let t = Instant::now();
                        // With a sink (build), the index files go to disk as they are cut.
                        let r = crate::search::index_into(
                            site,
                            &mut || {
                                let _ = indexed_tx.send(());
                            },
                            sink,
                        );
                        (r, t.elapsed())
                    })
                });
                // Returns at the signal, or when the search thread ends without sending it.
                let _ = indexed_rx.recv();
                let t = Instant::now();
                progress.start("render", site.docs.len() as u64);
                let advance = |n| progress.advance(n);
                let pages = tera.as_ref().map_err(Clone::clone).map(|tera| match sink {
                    Some(sink) => render::render_pages_into(&site, tera, sink, &advance),
                    None => {
                        render::render_pages_since_with(&site, tera, &Default::default(), &advance)
                    }
                });
                let render_time = t.elapsed();
                let search = search.map(|h| {
                    h.join().unwrap_or_else(|_| {
                        (Err(anyhow::anyhow!("检索索引线程异常退出")), Duration::ZERO)
                    })
                });
                (search, pages, render_time)
            });
            if let Some((result, took)) = search {
                match result {
                    Ok((f, _streamed)) => files.extend(f),
                    Err(e) => diags.push(search_index_error(&e)),
                }
                timings.push(("search", took));
                progress.finish("search", took);
            }
            let t = Instant::now();
            let mut page_paths = Vec::new();
            match pages {
                Ok(out) => {
                    diags.extend(out.diagnostics);
                    page_paths = out.files.iter().map(|f| f.path.clone()).collect();
                    page_paths.extend(out.streamed);
                    page_paths.sort_unstable();
                    page_paths.dedup();
                    files.extend(out.files);
                }
                Err(d) => diags.extend(d),
            }
            let job = Rest {
                site,
                assets,
                page_paths,
                statics,
                root: opts.root.clone(),
                search: false,
            };
            let (more, d) = other_outputs(&job);
            files.extend(more);
            diags.extend(d);
            let render_time = render_time + t.elapsed();
            timings.push(("render", render_time));
            progress.finish("render", render_time);
            let Rest {
                site, page_paths, ..
            } = job;

            files.sort_by(|a, b| a.path.cmp(&b.path));
            files.dedup_by(|a, b| a.path == b.path);
            let paths: Vec<&str> = files
                .iter()
                .map(|f| f.path.as_str())
                .chain(page_paths.iter().map(String::as_str))
                .collect();
            diags.extend(unwritable(&site, &paths));
            let diagnostics = site.config.rules.apply(diags);
            Compiled {
                site: Some(site),
                files,
                diagnostics,
                documents,
                withheld,
                ledger_update,
                timings,
                fingerprints: None,
                rest: None,
            }
        }
    }
}

/// The severities in force (`[rules]` of the configuration, defaults if it cannot be read).
fn rules_of(config: &Result<Config, Vec<Diagnostic>>) -> diag::RuleLevels {
    config.as_ref().map(|c| c.rules.clone()).unwrap_or_default()
}

/// P21 (SPEC §5.1): every footer identifier is present: an error in a production build, a
/// warning in every other (issue 16 item 12), so a site is never published without knowing.
pub fn check_footer(cfg: &Config) -> Vec<Diagnostic> {
    let f = &cfg.footer;
    let required = [
        ("host", &f.host, "网站主办单位"),
        ("phone", &f.phone, "联系方式"),
        ("site_id_code", &f.site_id_code, "政府网站标识码"),
        ("icp", &f.icp, "ICP备案编号"),
        ("police", &f.police, "公安机关备案号"),
    ];
    required
        .iter()
        .filter(|(_, v, _)| v.trim().is_empty())
        .map(|(k, _, label)| {
            let mut d = Diagnostic::new(
                Code::P21,
                config::FILE_NAME,
                format!("页脚缺少{label}（[footer] {k}），政府网站必须在页脚显示；生产模式下为错误 (a footer identifier is empty)"),
            )
            .help(format!("在 gongkai.toml 的 [footer] 中填写 {k} = \"…\""));
            // A field only with a line to show it on (no [footer] table at all: neither).
            if let Some(&line) = cfg.footer_lines.get(k) {
                d = d.field(k).at(line);
            }
            if cfg.production {
                d
            } else {
                d.at_most(Severity::Warn)
            }
        })
        .collect()
}

/// Root-relative display of a path.
pub fn display_rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}
