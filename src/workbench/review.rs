//! The review of the workbench: `gongkai check`'s findings for one document as the editor is
//! writing it (the text in the form, not yet saved), and for the document list.
//!
//! There is no second validation path: the site is loaded as `check` loads it, the edited
//! document's text replaces its file, and the one pipeline (`pipeline::prepare_loaded`) runs.
//! Drafts are reviewed as they will be once `draft: true` is removed, as `gongkai import` does
//! (a draft is never reviewed in full, and the editor needs to know now what stands between it
//! and publication). The caches `validate` keeps for `serve` are kept here too, so a review
//! after a keystroke redoes only the edited document's work.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diag::{Diagnostic, Severity};
use crate::load::{self, FileState, Snapshot, Source};

use crate::pipeline::{self, BuildOptions, Prepared};
use crate::validate::Caches;

/// Runs reviews for one site.
pub struct Reviewer {
    opts: BuildOptions,
    memory: Mutex<Memory>,
}

/// What a review keeps for the next one: the files as last read (each with a stamp of its size
/// and time, so only changed files are read again), `validate`'s caches and the parsed templates.
#[derive(Default)]
struct Memory {
    files: BTreeMap<PathBuf, (Stamp, FileState)>,
    caches: Option<Caches>,
    tera: Option<(u64, Arc<tera::Tera>)>,
}

/// A file's size, modification time and kind, as the file system says.
type Stamp = (u64, Option<std::time::SystemTime>, bool);

fn stamp(m: &std::fs::Metadata) -> Stamp {
    (m.len(), m.modified().ok(), m.file_type().is_symlink())
}

/// Brings `files` up to date with `content/`, `annual/` and `catalogue/`: reads the files that are new or
/// whose stamp changed (as `serve` does, through [`load::load_file`]) and drops those gone.
fn refresh(root: &Path, files: &mut BTreeMap<PathBuf, (Stamp, FileState)>) {
    let mut seen = std::collections::BTreeSet::new();
    let walker = walkdir::WalkDir::new(root.join(load::CONTENT_DIR))
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !load::is_editor_junk(&e.file_name().to_string_lossy())
        });
    for e in walker.filter_map(Result::ok) {
        if e.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(root) else {
            continue;
        };
        let rel = PathBuf::from(rel.to_string_lossy().replace('\\', "/"));
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        let now = stamp(&meta);
        seen.insert(rel.clone());
        if files.get(&rel).is_some_and(|(s, _)| *s == now) {
            continue;
        }
        match load::load_file(root, &rel) {
            Some(state) => {
                files.insert(rel, (now, state));
            }
            None => {
                files.remove(&rel);
            }
        }
    }
    files.retain(|p, _| seen.contains(p));
    // The annual-report data files: few and small, read every time.
    for entry in std::fs::read_dir(root.join("annual"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(year) = name
            .strip_suffix(".toml")
            .and_then(|y| y.parse::<i32>().ok())
        else {
            continue;
        };
        let text = std::fs::read_to_string(entry.path())
            .map_err(|e| format!("{}（{e}）", crate::diag::io_reason(&e)));
        files.insert(
            crate::report::annual::file_for(year),
            ((0, None, false), FileState::Annual(year, text)),
        );
    }
    // The 标准目录, read every time too (a few small tables): without it every 事项 would be
    // reported as unknown.
    files.retain(|_, (_, f)| !matches!(f, FileState::Catalogue(_)));
    for (path, text) in load::read_catalogue(root) {
        files.insert(path, ((0, None, false), FileState::Catalogue(text)));
    }
}

/// The review of one document.
#[derive(Debug, Default)]
pub struct DocReview {
    /// Its findings (severities from `gongkai.toml` applied), by line.
    pub findings: Vec<Diagnostic>,
    /// Its page as the site will render it once published (`None`: no page; see `note`).
    pub page: Option<String>,
    /// Why there is no page.
    pub note: Option<String>,
}

impl DocReview {
    /// Errors and warnings.
    pub fn counts(&self) -> (usize, usize) {
        crate::diag::count(&self.findings)
    }
}

/// One row of the document list.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The file, relative to the root.
    pub path: PathBuf,
    /// 标题 (empty when the file does not load).
    pub title: String,
    /// 索引号 (written, or assigned from the ledger).
    pub index_no: String,
    /// 发布日期 as written.
    pub published: String,
    /// 公开属性 as written.
    pub disclosure: String,
    /// 主题分类.
    pub category: String,
    /// 文种 (栏目页 for a column's own page).
    pub kind: String,
    /// The 栏目 the document is listed in.
    pub column: String,
    /// A draft.
    pub draft: bool,
    /// The file does not load (its findings say why).
    pub unreadable: bool,
    /// Errors and warnings.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Its page on the preview (`xxgk/…html`) when it is published now.
    pub page: Option<String>,
}

impl Reviewer {
    /// A reviewer for the site `opts` builds.
    pub fn new(opts: BuildOptions) -> Reviewer {
        Reviewer {
            opts,
            memory: Mutex::new(Memory::default()),
        }
    }

    /// The build options in force (root, today, base URL of the preview).
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// The site's inputs now (the theme is read only for a preview: [`Reviewer::templates`]).
    fn snapshot(&self) -> Snapshot {
        let files = match self.memory.lock() {
            Ok(mut m) => {
                refresh(&self.opts.root, &mut m.files);
                m.files
                    .iter()
                    .map(|(p, (_, f))| (p.clone(), f.clone()))
                    .collect()
            }
            Err(_) => load::load(&self.opts.root).files,
        };
        Snapshot {
            config: load::config(&self.opts.root),
            config_hash: 0,
            theme: Ok(load::Theme::default()),
            files,
            // The review of one document needs no redirect list.
            redirects: None,
            root: None,
        }
    }

    /// The site's templates, parsed again only when their texts changed.
    fn templates(&self, config: &crate::config::Config) -> Result<Arc<tera::Tera>, String> {
        let theme = load::theme::read(&self.opts.root, &config.theme)
            .map_err(|e| crate::diag::io_message(&e))?;
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            theme.templates.hash(&mut h);
            h.finish()
        };
        if let Ok(m) = self.memory.lock() {
            if let Some((h, t)) = &m.tera {
                if *h == hash {
                    return Ok(t.clone());
                }
            }
        }
        let tera = Arc::new(crate::render::templates(&theme.templates).map_err(|d| {
            d.into_iter()
                .map(|d| d.message)
                .collect::<Vec<_>>()
                .join("；")
        })?);
        if let Ok(mut m) = self.memory.lock() {
            m.tera = Some((hash, tera.clone()));
        }
        Ok(tera)
    }

    /// Loads the site, lets `change` adjust its files, and runs the pipeline; returns the
    /// prepared site, severities applied.
    fn run(
        &self,
        change: impl FnOnce(&mut BTreeMap<PathBuf, FileState>),
    ) -> Result<Prepared, Vec<Diagnostic>> {
        let mut snapshot = self.snapshot();
        change(&mut snapshot.files);
        let caches = self
            .memory
            .lock()
            .map(|mut m| m.caches.take())
            .unwrap_or(None);
        let mut p = pipeline::prepare_snapshot(&self.opts, &snapshot, caches)?;
        if let Ok(mut m) = self.memory.lock() {
            m.caches = Some(std::mem::take(&mut p.caches));
        }
        p.diagnostics = p
            .site
            .config
            .rules
            .apply(std::mem::take(&mut p.diagnostics));
        Ok(p)
    }

    /// Reviews `rel` as if its file held `text` and were not a draft; renders its page when
    /// `render` is set.
    pub fn document(&self, rel: &Path, text: &str, render: bool) -> DocReview {
        let mut soft = Vec::new();
        let parsed = load::parse_source(rel, text.as_bytes(), &mut soft);
        let unreadable = parsed.is_err();
        let prepared = self.run(|files| {
            let state = match parsed {
                Ok(src) => FileState::Source(Arc::new(undrafted(src)), soft),
                Err(mut d) => {
                    d.extend(soft);
                    FileState::Unreadable(d)
                }
            };
            files.insert(rel.to_path_buf(), state);
        });
        let p = match prepared {
            Ok(p) => p,
            Err(d) => {
                return DocReview {
                    findings: d,
                    page: None,
                    note: Some("站点配置有错误，无法审查 (gongkai.toml has errors)".into()),
                }
            }
        };
        let own = super::paths::asset_dir(rel);
        let mut findings: Vec<Diagnostic> = p
            .diagnostics
            .iter()
            .filter(|d| d.file == rel || d.file.starts_with(&own))
            .cloned()
            .collect();
        findings.sort_by_key(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)));
        let mut out = DocReview {
            findings,
            ..DocReview::default()
        };
        let Some((i, _)) = p.site.docs.enumerate().find(|(_, d)| d.path == rel) else {
            out.note = Some(if unreadable {
                "文件无法读取，改正上面的错误后才能预览".into()
            } else if p.site.sections.values().any(|s| s.path == rel) {
                "这是栏目页，请在网站预览中查看".into()
            } else {
                "这份文件不会生成页面：依申请公开、不予公开的文件不发布，发布日期在将来的文件到期后才发布".into()
            });
            return out;
        };
        if render {
            match self
                .templates(&p.site.config)
                .and_then(|tera| crate::render::render_document_page(&p.site, &tera, i))
            {
                Ok(f) => out.page = Some(String::from_utf8_lossy(&f.bytes).into_owned()),
                Err(why) => out.note = Some(format!("无法生成预览：{why}")),
            }
        }
        out
    }

    /// Every file of the list, with its findings counted (drafts as if published).
    pub fn site(&self) -> Result<Vec<Row>, Vec<Diagnostic>> {
        let mut drafts: Vec<PathBuf> = Vec::new();
        let mut sources: Vec<Arc<Source>> = Vec::new();
        let mut unreadable: Vec<PathBuf> = Vec::new();
        let p = self.run(|files| {
            for (path, file) in files.iter_mut() {
                match file {
                    FileState::Source(s, _) => {
                        sources.push(s.clone());
                        if is_draft(s) {
                            drafts.push(path.clone());
                            *s = Arc::new(undrafted((**s).clone()));
                        }
                    }
                    FileState::Unreadable(_) if path.extension().is_some_and(|e| e == "md") => {
                        unreadable.push(path.clone())
                    }
                    _ => {}
                }
            }
        })?;
        let known: std::collections::BTreeSet<&Path> = sources
            .iter()
            .map(|s| s.path.as_path())
            .chain(unreadable.iter().map(PathBuf::as_path))
            .collect();
        let mut counts: BTreeMap<PathBuf, (usize, usize)> = BTreeMap::new();
        for d in &p.diagnostics {
            // A finding about a document's own files (`a/附件.pdf`) counts for `a.md`.
            let owner = d.file.ancestors().find_map(|a| {
                if known.contains(a) {
                    Some(a.to_path_buf())
                } else {
                    let md = a.with_extension("md");
                    known.contains(md.as_path()).then_some(md)
                }
            });
            let Some(owner) = owner else { continue };
            let c = counts.entry(owner).or_default();
            match d.severity {
                Severity::Error => c.0 += 1,
                Severity::Warn => c.1 += 1,
                Severity::Allow => {}
            }
        }
        let mut column_of: BTreeMap<&Path, String> = BTreeMap::new();
        let mut page_of: BTreeMap<&Path, (String, String)> = BTreeMap::new();
        for (i, d) in p.site.docs.enumerate() {
            page_of.insert(
                d.path.as_path(),
                (d.index_no().to_string(), d.page_path().to_string()),
            );
            if let Some(c) = p.site.columns.iter().find(|c| {
                c.kind == crate::site::ColumnKind::List
                    && !c.path.starts_with(crate::labels::CATALOGUE.0)
                    && c.docs.binary_search(&i).is_ok()
            }) {
                column_of.insert(d.path.as_path(), c.title.clone());
            }
        }
        let specs = super::form::specs();
        let text = |s: &Source, k: &str| {
            use super::form::Shown;
            match specs
                .iter()
                .find(|x| x.key == k)
                .map(|spec| super::form::shown(spec, s))
            {
                Some(Shown::Text(t)) => t,
                Some(Shown::DateTime(d, t)) if t.is_empty() => d,
                Some(Shown::DateTime(d, t)) => format!("{d} {t}"),
                _ => String::new(),
            }
        };
        let mut rows: Vec<Row> = sources
            .iter()
            .map(|s| {
                let (errors, warnings) = counts.get(s.path.as_path()).copied().unwrap_or_default();
                let page = page_of.get(s.path.as_path());
                let draft = drafts.contains(&s.path);
                Row {
                    path: s.path.clone(),
                    title: text(s, "title"),
                    index_no: page
                        .map(|(n, _)| n.clone())
                        .unwrap_or_else(|| text(s, "index_no")),
                    published: text(s, "published"),
                    disclosure: text(s, "disclosure"),
                    category: text(s, "category"),
                    kind: if s.kind == load::SourceKind::Section {
                        "栏目页".into()
                    } else {
                        text(s, "kind")
                    },
                    column: column_of.get(s.path.as_path()).cloned().unwrap_or_default(),
                    draft,
                    unreadable: false,
                    errors,
                    warnings,
                    page: page.filter(|_| !draft).map(|(_, p)| p.clone()),
                }
            })
            .collect();
        rows.extend(unreadable.iter().map(|path| {
            let (errors, warnings) = counts.get(path.as_path()).copied().unwrap_or_default();
            Row {
                path: path.clone(),
                unreadable: true,
                errors,
                warnings,
                ..Row::default()
            }
        }));
        rows.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(rows)
    }
}

/// True when the source is a draft (`draft: true`, or 是).
pub fn is_draft(s: &Source) -> bool {
    match s.fields.get("draft").map(|f| &f.value) {
        Some(serde_yaml::Value::Bool(b)) => *b,
        Some(serde_yaml::Value::String(t)) => matches!(t.as_str(), "true" | "是"),
        _ => false,
    }
}

/// The source without `draft`, under another hash: the caches key work by the source's hash,
/// and the draft's work is not the published document's.
fn undrafted(mut s: Source) -> Source {
    if s.fields.remove("draft").is_some() {
        s.hash = s.hash.rotate_left(17) ^ 0x5bd1_e995_6f0a_2c4d;
    }
    s
}
