//! Stage 1, load: the site folder on disk → one [`Snapshot`] of every input.
//!
//! This is the only stage that reads the site: `gongkai.toml` and its taxonomy, the theme's
//! templates and static files, every file under `content/`, the annual-report data under
//! `annual/` and the 政务公开事项标准目录 under `catalogue/`. Every later stage is a function of the snapshot, so `serve` knows what changed by
//! comparing snapshots, and `build` and `serve` see the same inputs.
//!
//! Two things are read later, on purpose, and only through this module: the ledger
//! ([`ledger`]), which is shared state read under its lock right before the stage that writes
//! it, and the bytes of attachments ([`asset_bytes`]), which may be gigabytes of PDFs and are
//! read only when they are copied out (the snapshot holds their sizes).
//!
//! Markdown files are split into front-matter and body ([`source`]); nothing here decides
//! publication: that is `validate`'s job. Files that cannot be read become diagnostics and the
//! walk goes on, so one build reports all.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::diag::{Code, Diagnostic};

mod content;
pub mod image;
mod source;
pub mod theme;
mod yaml;

pub use content::{is_editor_junk, load_file, new_document_path, read_catalogue, FileState};
pub(crate) use source::{find_key_colon, is_empty};
pub use source::{parse_source, Loaded, RawField, SharedSource, Source, SourceKind};
pub use theme::Theme;

/// The content folder's name under the site root.
pub const CONTENT_DIR: &str = "content";

/// Every input of a site, read once.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// `gongkai.toml` with the taxonomy it uses, or why it could not be read.
    pub config: Result<Config, Vec<Diagnostic>>,
    /// A hash of the configuration files' texts: per-document work cached by `serve` is valid
    /// only while it is unchanged.
    pub config_hash: u64,
    /// The templates and static files in force, or why they could not be read.
    pub theme: Result<Theme, Diagnostic>,
    /// Every file under `content/`, `annual/` and `catalogue/`, by path relative to the root.
    pub files: BTreeMap<PathBuf, FileState>,
    /// `redirects.csv` at the root (old addresses → new ones): its bytes, or why it could not
    /// be read; `None` when there is none.
    pub redirects: Option<Result<Vec<u8>, String>>,
    /// The site folder, when `files` are its files as read by [`load`]: a build lets go of
    /// the bodies once they are checked and reads them again from there ([`BodyFile`]).
    /// `None` for files held elsewhere (the workbench's unsaved edits).
    pub root: Option<std::sync::Arc<Path>>,
}

impl Snapshot {
    /// The content as `validate` takes it.
    pub fn loaded(&self) -> Loaded {
        Loaded {
            root: self.root.clone(),
            ..Loaded::from_files(&self.files)
        }
    }

    /// Reads the configuration and the theme again (a change outside `content/`); returns
    /// whether the configuration changed.
    pub fn reload_settings(&mut self, root: &Path) -> bool {
        let (config, hash) = config_with_hash(root);
        let changed = hash != self.config_hash;
        self.theme = read_theme(root, &config);
        self.redirects = read_redirects(root);
        self.config = config;
        self.config_hash = hash;
        changed
    }
}

/// Reads every input of the site at `root`.
pub fn load(root: &Path) -> Snapshot {
    let (config, config_hash) = config_with_hash(root);
    let theme = read_theme(root, &config);
    Snapshot {
        files: content::walk(root).into_files(),
        config,
        config_hash,
        theme,
        redirects: read_redirects(root),
        root: Some(std::sync::Arc::from(root)),
    }
}

/// Reads `redirects.csv` at the root, if there is one.
fn read_redirects(root: &Path) -> Option<Result<Vec<u8>, String>> {
    match std::fs::read(root.join(crate::redirects::FILE)) {
        Ok(bytes) => Some(Ok(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some(Err(crate::diag::io_message(&e))),
    }
}

/// Reads only the site configuration (`new`, `import`, `report` and the ledger lock need no
/// more).
pub fn config(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    config_with_hash(root).0
}

/// Reads `ROOT/gongkai.toml` and the taxonomy it uses; the hash covers both texts.
fn config_with_hash(root: &Path) -> (Result<Config, Vec<Diagnostic>>, u64) {
    let mut hasher = rustc_hash::FxHasher::default();
    let path = root.join(config::FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::new(Code::E001, config::FILE_NAME, format!("无法读取站点配置 {}：{}", path.display(), crate::diag::io_message(&e)))
                .help("在站点根目录创建 gongkai.toml，或用 --root 指定站点目录（gongkai init DIR 会生成一个）");
            return (Err(vec![d]), 0);
        }
    };
    text.hash(&mut hasher);
    // The site's theme may ship its own taxonomy; otherwise the embedded default theme's.
    let theme_name = toml::from_str::<toml::Table>(&text)
        .ok()
        .and_then(|t| t.get("theme").and_then(|v| v.as_str()).map(str::to_string))
        .unwrap_or_else(config::default_theme);
    let default_tax = std::fs::read_to_string(
        root.join("themes")
            .join(&theme_name)
            .join("data/taxonomy.toml"),
    )
    .unwrap_or_else(|_| crate::theme::DEFAULT_TAXONOMY.to_string());
    default_tax.hash(&mut hasher);
    let read = std::cell::RefCell::new(Vec::new());
    let config = config::parse(&text, &default_tax, &|rel| {
        let r = std::fs::read_to_string(root.join(rel)).map_err(|e| e.to_string());
        read.borrow_mut().push(r.clone());
        r
    });
    read.into_inner().hash(&mut hasher);
    // The logo and badges are files: a missing one is named here, on its line of the config.
    let config = config.and_then(|c| {
        let missing = config::branding::missing_file_findings(&c, &text, root);
        if missing.is_empty() {
            Ok(c)
        } else {
            Err(missing)
        }
    });
    (config, hasher.finish())
}

/// The theme named by the configuration (the default theme's name when it cannot be read).
#[allow(clippy::result_large_err)] // read once per build; a Box would only add noise
fn read_theme(root: &Path, config: &Result<Config, Vec<Diagnostic>>) -> Result<Theme, Diagnostic> {
    let name = config
        .as_ref()
        .map(|c| c.theme.clone())
        .unwrap_or_else(|_| config::default_theme());
    theme::read(root, &name).map_err(|e| {
        Diagnostic::new(
            Code::E009,
            "templates",
            format!("无法读取主题文件: {}", crate::diag::io_message(&e)),
        )
        .help(
            "检查 templates/、static/ 和 themes/ 下文件的权限 (check the theme files' permissions)",
        )
    })
}

/// Reads the ledger at `path` (under the ledger lock: see [`crate::ledger::LedgerLock`]).
pub fn ledger(path: &Path) -> Result<crate::ledger::Ledger, crate::ledger::LedgerError> {
    crate::ledger::Ledger::read(path)
}

/// Where a document's body can be read again: `build` lets go of bodies once `validate` has
/// checked them (100,000 bodies are ~250 MB) and reads each again where a page or an index
/// record is made, through [`body_again`].
#[derive(Debug, Clone)]
pub struct BodyFile {
    /// The site root, shared by every body of a build.
    root: std::sync::Arc<Path>,
    /// The file, relative to the root.
    rel: Box<Path>,
    /// [`Source::hash`] of the bytes that were checked.
    hash: u64,
    /// [`Source::body_at`].
    at: usize,
}

impl BodyFile {
    /// The body of `src`, a file under `root`.
    pub fn new(root: &std::sync::Arc<Path>, src: &Source) -> BodyFile {
        BodyFile {
            root: root.clone(),
            rel: src.path.clone().into_boxed_path(),
            hash: src.hash,
            at: src.body_at,
        }
    }

    /// The file, relative to the root.
    pub fn path(&self) -> &Path {
        &self.rel
    }
}

/// The Markdown body of `f`, read again. Refused (E001) when the file is gone or its bytes
/// are not those that were checked: a page must never show text the checks did not see.
pub fn body_again(f: &BodyFile) -> Result<std::sync::Arc<str>, Diagnostic> {
    let changed = |why: String| {
        Diagnostic::new(
            Code::E001,
            f.rel.to_path_buf(),
            format!("文件在生成网站的过程中被修改或删除（{why}），本次生成不写入任何文件 (the file changed while the site was being built)"),
        )
        .help("等编辑保存完成后，重新运行 gongkai build (build again once the file is saved)")
    };
    let bytes =
        std::fs::read(f.root.join(&f.rel)).map_err(|e| changed(crate::diag::io_message(&e)))?;
    if source::source_hash(&f.rel, &bytes) != f.hash {
        return Err(changed("内容与校验时不同".into()));
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| changed(e.to_string()))?;
    let text = source::normalized(text);
    text.get(f.at..)
        .map(std::sync::Arc::from)
        .ok_or_else(|| changed("正文位置不符".into()))
}

/// The bytes of an attachment or image under `content/` (`rel` relative to the root), read when
/// it is copied out.
pub fn asset_bytes(root: &Path, rel: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(root.join(rel))
}
