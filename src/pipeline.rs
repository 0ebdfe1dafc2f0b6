//! The build, as a flat list of stages: load → validate → site model → render → search index →
//! write. Each stage takes plain data and returns plain data plus diagnostics; this module only
//! wires them and times them (Zola's `Site::build`). `check` and `serve` reuse `compile`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::config::{self, Config};
use crate::diag::{self, Code, Diagnostic, Severity};
use crate::ledger::Ledger;
use crate::render;
use crate::site::{self, Site};
use crate::write::{self, OutputFile};
use crate::{load, validate};

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (holds `gongkai.toml` and `content/`).
    pub root: PathBuf,
    /// Output folder (default `ROOT/public`).
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Build date (default: the date of `now` in the site's timezone).
    pub today: Option<NaiveDate>,
    /// The moment taken as now when `today` is not given (default: the system clock). Only
    /// its date in the configured timezone matters; tests set it instead of waiting for a clock.
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// Production mode (P21 footer identifiers required); `None` = as configured.
    pub production: Option<bool>,
    /// Skip the search index (faster previews).
    pub skip_search: bool,
    /// Write `.gz`/`.br` copies beside the files a web server sends compressed (`build` only;
    /// [`crate::compress`]). Off here, on in the `gongkai build` command.
    pub precompress: bool,
    /// Where progress goes (nowhere by default).
    pub progress: crate::progress::Reporter,
}

impl BuildOptions {
    /// Defaults for a root.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            today: None,
            now: None,
            production: None,
            skip_search: false,
            precompress: false,
            progress: Default::default(),
        }
    }
    /// The output folder in force.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// The result of compiling a site in memory.
pub struct Compiled {
    /// The site model (`None` if the config could not be read).
    pub site: Option<Site>,
    /// Every output file, sorted by path.
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
}

impl Compiled {
    /// True if any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads the configuration with CLI overrides.
pub fn load_config(opts: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let mut cfg = config::load(&opts.root)?;
    if let Some(u) = &opts.base_url {
        let (url, path) = config::parse_base_url(u).map_err(|why| {
            vec![Diagnostic::new(Code::E005, "--base-url", format!("--base-url {why}"))
                .help("--base-url 写门户上本栏目的真实地址，例如 --base-url https://www.example.gov.cn/xxgk/")]
        })?;
        cfg.base_url = url;
        cfg.base_path = path;
    }
    if let Some(p) = opts.production {
        cfg.production = p;
    }
    Ok(cfg)
}

/// Returns memory the allocator holds but no longer uses to the system. The search writers'
/// arenas (≈ 250 MiB on 10,000 documents) are freed when their halves are indexed, but glibc
/// keeps such memory for reuse; pages then render on top of it. Trimming here keeps the peak
/// of a full 10k build under 500 MiB.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

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
    pub assets: std::collections::BTreeSet<PathBuf>,
    /// Ledger text to save, when it changed.
    pub ledger_update: Option<(PathBuf, String)>,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// Reusable work for the next run (`serve`).
    pub caches: validate::Caches,
    /// The annual-report data files as loaded (`gongkai report` reads any year's).
    pub annual: BTreeMap<i32, Result<String, String>>,
}

/// Load → validate (with the review rules) → site model. Writes nothing; renders nothing.
/// `Err` carries config findings (severities applied) when the site cannot even be read.
pub fn prepare(opts: &BuildOptions) -> Result<Prepared, Vec<Diagnostic>> {
    let t = Instant::now();
    let cfg = load_config(opts).map_err(|d| diag::RuleLevels::default().apply(d))?;
    opts.progress.0.start("load", 0);
    let loaded = load::load(&opts.root);
    let load_time = t.elapsed();
    opts.progress.0.finish("load", load_time);
    let mut p = prepare_loaded(opts, cfg, loaded, None);
    p.timings.insert(0, ("load", load_time));
    Ok(p)
}

/// [`prepare`] over already-loaded sources, reusing `prev` caches (`serve`).
pub fn prepare_loaded(
    opts: &BuildOptions,
    cfg: Config,
    loaded: load::Loaded,
    prev: Option<validate::Caches>,
) -> Prepared {
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
    let root = &opts.root;
    let mut loaded = loaded;
    let asset_sizes: BTreeMap<PathBuf, u64> = loaded.assets.iter().cloned().collect();
    let annual = std::mem::take(&mut loaded.annual);
    let catalogue = std::mem::take(&mut loaded.catalogue);

    let ledger_path = root.join(&cfg.ledger);
    let mut diags = Vec::new();
    let ledger = Ledger::read(&ledger_path).unwrap_or_else(|e| {
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
    lap("validate", &mut timings);

    if cfg.production {
        diags.extend(check_footer(&cfg));
    }
    let (mut site, site_diags) = site::build_site(v.docs, v.sections, cfg, today);
    diags.extend(site_diags);
    let (reports, report_diags) = crate::report::site_reports(&annual, &site);
    diags.extend(report_diags);
    site.reports = reports;
    diags.extend(crate::check::standard::attach_and_review(&mut site, &catalogue));
    crate::check::standard::supersede_p05(&mut diags);
    lap("site", &mut timings);
    Prepared {
        site,
        diagnostics: diags,
        documents,
        withheld,
        assets: v.assets,
        ledger_update,
        timings,
        caches,
        annual,
    }
}

/// Runs every stage in memory; writes nothing.
pub fn compile(opts: &BuildOptions) -> Compiled {
    let p = match prepare(opts) {
        Ok(p) => p,
        Err(diagnostics) => {
            return Compiled {
                site: None,
                files: vec![],
                diagnostics,
                documents: 0,
                withheld: 0,
                ledger_update: None,
                timings: vec![],
            }
        }
    };
    let Prepared {
        site,
        diagnostics: mut diags,
        documents,
        withheld,
        assets,
        ledger_update,
        mut timings,
        ..
    } = p;
    let root = &opts.root;
    let progress = opts.progress.0.clone();
    let mut files = Vec::new();
    // The search index first, on both cores; pages start rendering when its writer is down to
    // one thread (merging, chunking), so the second core is not left idle. The two stages'
    // times therefore overlap.
    let (search, pages, render_time) = std::thread::scope(|scope| {
        let (indexed_tx, indexed_rx) = std::sync::mpsc::channel::<()>();
        let search = (!opts.skip_search).then(|| {
            progress.start("search", 0);
            let site = &site;
            scope.spawn(move || {
                let t = Instant::now();
                let r = crate::search::index_with(site, &mut || {
                    release_free_memory();
                    let _ = indexed_tx.send(());
                });
                (r, t.elapsed())
            })
        });
        // Returns at the signal, or when the search thread ends without sending it.
        let _ = indexed_rx.recv();
        let t = Instant::now();
        progress.start("render", site.docs.len() as u64);
        let pages = render::load_templates(root, &site.config.theme).map(|tera| {
            render::render_pages_since_with(&site, &tera, &Default::default(), &|n| {
                progress.advance(n)
            })
        });
        let render_time = t.elapsed();
        let search = search.map(|h| {
            h.join()
                .unwrap_or_else(|_| (Err(anyhow::anyhow!("检索索引线程异常退出")), Duration::ZERO))
        });
        (search, pages, render_time)
    });
    if let Some((result, took)) = search {
        match result {
            Ok(f) => files.extend(f),
            Err(e) => diags.push(search_index_error(&e)),
        }
        timings.push(("search", took));
        progress.finish("search", took);
    }
    let t = Instant::now();
    let first_page = files.len();
    match pages {
        Ok(out) => {
            diags.extend(out.diagnostics);
            files.extend(out.files);
        }
        Err(d) => diags.extend(d),
    }
    let html_paths: Vec<String> = files[first_page..].iter().map(|f| f.path.clone()).collect();
    let (more, d) = other_outputs(root, &site, &html_paths, &assets);
    files.extend(more);
    diags.extend(d);
    let render_time = render_time + t.elapsed();
    timings.push(("render", render_time));
    progress.finish("render", render_time);

    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    // `check` reports the names documents make (E012); this catches any other before `write`
    // would fail on it with an OS error that names no source.
    let pages: BTreeMap<&str, &Path> = site
        .docs
        .iter()
        .map(|d| (d.page_path(), d.path.as_path()))
        .collect();
    diags.extend(crate::check::output::unwritable_outputs(&files, &|p| {
        pages.get(p).map(|s| s.to_path_buf())
    }));
    let diagnostics = site.config.rules.apply(diags);
    Compiled {
        site: Some(site),
        files,
        diagnostics,
        documents,
        withheld,
        ledger_update,
        timings,
    }
}

/// The finding for a search index that could not be made (`build` and `serve` alike).
pub fn search_index_error(e: &anyhow::Error) -> Diagnostic {
    Diagnostic::new(Code::E009, "search", format!("{e:#}")).help("检索索引必须完整生成，构建已中止")
}

/// Everything but the HTML pages and the search index: feeds, sitemap, robots.txt, open data,
/// static files and the assets published pages use. `html_paths` are the site's page paths.
pub fn other_outputs(
    root: &Path,
    site: &Site,
    html_paths: &[String],
    assets: &std::collections::BTreeSet<PathBuf>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    files.extend(render::feeds::feeds(site));
    files.extend(render::feeds::sitemap(
        site,
        &html_paths.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    files.push(render::feeds::robots(site));
    match render::opendata::catalogue(site) {
        Ok(f) => files.extend(f),
        Err(e) => diags.push(Diagnostic::new(
            Code::E009,
            "catalogue.json",
            format!("无法生成开放数据: {e}"),
        )),
    }
    match render::standard::open_data(site) {
        Ok(f) => files.extend(f),
        Err(e) => diags.push(Diagnostic::new(
            Code::E009,
            render::standard::JSON_FILE,
            format!("无法生成开放数据: {e}"),
        )),
    }
    match render::register::open_data(site) {
        Ok(f) => files.extend(f),
        Err(e) => diags.push(Diagnostic::new(
            Code::E009,
            "register.json",
            format!("无法生成开放数据: {e}"),
        )),
    }
    match crate::theme::static_files(root, &site.config.theme) {
        Ok(s) => files.extend(
            s.into_iter()
                .map(|(p, bytes)| OutputFile { path: p, bytes }),
        ),
        Err(e) => diags.push(Diagnostic::new(
            Code::E009,
            "static",
            format!("无法读取静态文件: {e}"),
        )),
    }
    for a in assets {
        let rel = a
            .strip_prefix(load::CONTENT_DIR)
            .unwrap_or(a)
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read(root.join(a)) {
            Ok(bytes) => files.push(OutputFile { path: rel, bytes }),
            Err(e) => diags.push(Diagnostic::new(
                Code::E001,
                a.clone(),
                format!("无法读取附件: {e}"),
            )),
        }
    }
    (files, diags)
}

/// P21 (SPEC §5.1): every footer identifier is present in a production build.
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
            Diagnostic::new(
                Code::P21,
                config::FILE_NAME,
                format!("生产模式下必须填写页脚标识：{label}（[footer] {k}）"),
            )
            .field(k)
            .help(format!("在 gongkai.toml 的 [footer] 中加入 {k} = \"…\""))
        })
        .collect()
}

/// What `build` did.
pub struct BuildReport {
    /// The compiled site (diagnostics, counts, timings).
    pub compiled: Compiled,
    /// Whether `public/` was replaced.
    pub written: bool,
    /// Where.
    pub output: PathBuf,
}

/// Compiles and, when no finding is an error, writes the site and the ledger.
pub fn build(opts: &BuildOptions) -> anyhow::Result<BuildReport> {
    // Held from reading the ledger to writing it: a `new` meanwhile waits, so it can neither
    // take a number this build assigns nor lose its reservation to this build's write.
    let _ledger_lock = ledger_lock(opts)?;
    let mut compiled = compile(opts);
    let output = opts.output_dir();
    if compiled.has_errors() || compiled.site.is_none() {
        return Ok(BuildReport {
            compiled,
            written: false,
            output,
        });
    }
    if opts.precompress {
        let t = Instant::now();
        let extra = crate::compress::precompress(&compiled.files);
        compiled.files.extend(extra);
        compiled.files.sort_by(|a, b| a.path.cmp(&b.path));
        compiled.timings.push(("compress", t.elapsed()));
    }
    let t = Instant::now();
    let progress = opts.progress.0.clone();
    progress.start("write", compiled.files.len() as u64);
    write::write_site_with(&opts.root, &output, &compiled.files, &|| {
        progress.advance(1)
    })?;
    if let Some((path, text)) = &compiled.ledger_update {
        crate::ledger::write_text(path, text)?;
    }
    compiled.timings.push(("write", t.elapsed()));
    progress.finish("write", t.elapsed());
    Ok(BuildReport {
        compiled,
        written: true,
        output,
    })
}

/// The ledger lock of the site at `opts.root` (see [`crate::ledger::LedgerLock`]). A site
/// whose configuration cannot be read has no ledger to protect yet: the build fails on the
/// configuration, so the default ledger path is locked.
pub fn ledger_lock(opts: &BuildOptions) -> anyhow::Result<crate::ledger::LedgerLock> {
    let rel = config::load(&opts.root)
        .map(|c| c.ledger)
        .unwrap_or_else(|_| PathBuf::from("gongkai-ledger.tsv"));
    crate::ledger::LedgerLock::acquire(&opts.root.join(rel))
}

/// Everything `gongkai report YEAR` does short of printing: reads the site and
/// `annual/YEAR.toml`, and computes the report. Findings are the report's own, plus validation
/// findings on the documents it counts (a 规章 with an unreadable date would be miscounted) and
/// on `gongkai.toml`; severities from `[rules]` are applied.
pub fn annual_report(
    root: &Path,
    year: i32,
    today: NaiveDate,
    opts: &crate::report::ReportOptions,
) -> (Option<crate::report::AnnualReport>, Vec<Diagnostic>) {
    let mut build = BuildOptions::new(root);
    build.today = Some(today);
    build.skip_search = true;
    let prepared = match prepare(&build) {
        Ok(p) => p,
        Err(d) => return (None, d),
    };
    let prepared_annual = prepared.annual;
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
            let (r, d) = crate::report::compute(&site.docs, &site.config, data, today, opts);
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

/// Everything `gongkai report catalogue` does short of printing: reads the site and its
/// 标准目录 and computes the self-inspection report. `None` when the site keeps no catalogue
/// (said by a finding). Findings are those on the catalogue files, on documents' `事项` and
/// the catalogue rules (P24–P27), and on `gongkai.toml`; severities from `[rules]` applied.
pub fn catalogue_report(
    root: &Path,
    today: NaiveDate,
) -> (Option<crate::report::catalogue::CatalogueReport>, Vec<Diagnostic>) {
    let mut build = BuildOptions::new(root);
    build.today = Some(today);
    build.skip_search = true;
    let prepared = match prepare(&build) {
        Ok(p) => p,
        Err(d) => return (None, d),
    };
    let site = prepared.site;
    let mut diags: Vec<Diagnostic> = prepared
        .diagnostics
        .into_iter()
        .filter(|d| {
            matches!(d.rule, "E014" | "P24" | "P25" | "P26" | "P27")
                || (d.rule == "E008" && d.field.as_deref() == Some("matters"))
                || d.file == Path::new(crate::config::FILE_NAME)
        })
        .collect();
    if site.standard.catalogue.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::E014,
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

/// Root-relative display of a path.
pub fn display_rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}
