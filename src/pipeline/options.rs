//! What a run is asked to do (the command line's options) and the configuration in force.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::{self, Config};
use crate::diag::{Code, Diagnostic};

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

/// The configuration in force: the snapshot's, with the command line's overrides.
pub fn load_config(
    opts: &BuildOptions,
    read: &Result<Config, Vec<Diagnostic>>,
) -> Result<Config, Vec<Diagnostic>> {
    let mut cfg = read.clone()?;
    if let Some(u) = &opts.base_url {
        let (url, path) = config::parse_base_url(u).map_err(|why| {
            vec![Diagnostic::new(Code::E005, "--base-url", format!("--base-url {why}"))
                .help("--base-url 写门户上本栏目的真实地址，例如 --base-url https://www.example.gov.cn/xxgk/")]
        })?;
        cfg.base_url = url;
        cfg.urls.rebase(&path);
        cfg.base_path = path;
    }
    if let Some(p) = opts.production {
        cfg.production = p;
    }
    Ok(cfg)
}
