//! Importing several `.docx` files: read them (in parallel), decide where each goes, reserve
//! their 索引号 in one go, write each all-or-nothing, then run the review on what was written as
//! it will be once the editor removes `draft: true`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::header::{self, Choices};
use super::output::{self, Planned};
use super::{ImportError, Imported};
use crate::config::Config;
use crate::diag::Diagnostic;

/// One file to import, and where to (`None`: the folder from `--to`, else `content/YEAR/`).
#[derive(Debug, Clone)]
pub struct Request {
    /// The `.docx`.
    pub docx: PathBuf,
    /// The Markdown file, relative to the root (`gongkai new --from`).
    pub rel: Option<PathBuf>,
}

/// A file read and placed, not yet written.
#[derive(Debug, Clone)]
pub struct Placed {
    /// What was read.
    pub imported: Imported,
    /// The Markdown file, relative to the root.
    pub rel: PathBuf,
}

/// A document written.
#[derive(Debug, Clone)]
pub struct Written {
    /// What was read.
    pub imported: Imported,
    /// The Markdown file, relative to the root.
    pub rel: PathBuf,
    /// Its 索引号.
    pub index_no: String,
}

/// `content/` + `--to` (which may itself start with `content/`).
fn content_dir(to: &Path) -> PathBuf {
    if to.starts_with(crate::load::CONTENT_DIR) {
        to.to_path_buf()
    } else {
        Path::new(crate::load::CONTENT_DIR).join(to)
    }
}

/// Reads every request and decides its Markdown path. Files that cannot be read, and a second
/// file that would land on the same path, are errors.
pub fn place(
    root: &Path,
    to: Option<&Path>,
    requests: &[Request],
    today: NaiveDate,
) -> (Vec<Placed>, Vec<ImportError>) {
    use rayon::prelude::*;
    let read: Vec<(Request, Result<Imported, ImportError>)> = requests
        .par_iter()
        .map(|r| {
            let stem = match &r.rel {
                Some(rel) => rel
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                None => super::file_stem(&r.docx),
            };
            (r.clone(), super::read(&r.docx, &stem))
        })
        .collect();
    let mut placed = Vec::new();
    let mut errors = Vec::new();
    let mut taken = BTreeSet::new();
    for (req, res) in read {
        let imported = match res {
            Ok(i) => i,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let rel = match &req.rel {
            Some(r) => r.clone(),
            None => {
                let year = imported
                    .gongwen
                    .written
                    .map(|d| d.year())
                    .unwrap_or(today.year());
                let dir = match to {
                    Some(t) => content_dir(t),
                    None => Path::new(crate::load::CONTENT_DIR).join(year.to_string()),
                };
                dir.join(format!("{}.md", super::file_stem(&req.docx)))
            }
        };
        let asset_dir = rel.with_file_name(&imported.asset_dir);
        let exists = root.join(&rel).exists()
            || (!imported.assets.is_empty() && root.join(&asset_dir).exists());
        if exists || !taken.insert(rel.clone()) {
            errors.push(ImportError {
                file: req.docx.clone(),
                message: format!(
                    "{} 已存在{}；导入不会覆盖已有文件。请用 --to 换一个目录，或先把已有文件改名 (the destination exists)",
                    rel.display(),
                    if exists { "" } else { "（本次导入的另一个文件也要写到这里）" }
                ),
            });
            continue;
        }
        placed.push(Placed { imported, rel });
    }
    (placed, errors)
}

/// The whole text of a document: front-matter and body.
pub fn document_text(
    config: &Config,
    imp: &Imported,
    choices: &Choices,
    index_no: Option<&str>,
) -> String {
    let mut t = header::front_matter(config, imp, choices, index_no);
    t.push('\n');
    if imp.body.trim().is_empty() {
        t.push_str("（正文没有内容，请补充）\n");
    } else {
        t.push_str(&imp.body);
    }
    t
}

/// Reserves the 索引号 and writes every placed document, each all or nothing.
pub fn write_all(
    root: &Path,
    config: &Config,
    placed: Vec<Placed>,
    choices: &Choices,
    today: NaiveDate,
) -> anyhow::Result<(Vec<Written>, Vec<ImportError>)> {
    if placed.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let docs: Vec<(PathBuf, String, NaiveDate)> = placed
        .iter()
        .map(|p| {
            (
                p.rel.clone(),
                p.imported.gongwen.title.clone().unwrap_or_default(),
                today,
            )
        })
        .collect();
    let numbers = crate::scaffold::reserve_index_nos(root, config, &docs)?;
    let mut written = Vec::new();
    let mut errors = Vec::new();
    for (p, no) in placed.into_iter().zip(numbers) {
        let plan = Planned {
            text: document_text(config, &p.imported, choices, Some(&no)),
            asset_dir: p.rel.with_file_name(&p.imported.asset_dir),
            assets: p.imported.assets.clone(),
            rel: p.rel.clone(),
        };
        match output::write(root, &plan) {
            Ok(()) => written.push(Written {
                imported: p.imported,
                rel: p.rel,
                index_no: no,
            }),
            Err(e) => errors.push(ImportError {
                file: p.imported.source.clone(),
                message: format!(
                    "写入失败，没有留下任何文件（索引号 {no} 已在台账中预留，不会再分配）：{e:#}"
                ),
            }),
        }
    }
    Ok((written, errors))
}

/// The review (`gongkai check`'s rules) of the documents at `rels`, as they will be once
/// `draft: true` is removed: a draft is never reviewed in full, and the editor needs to know
/// now what stands between the import and publication. Severities from `gongkai.toml` apply.
pub fn review(
    root: &Path,
    rels: &[PathBuf],
    today: NaiveDate,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut opts = crate::pipeline::BuildOptions::new(root);
    opts.today = Some(today);
    let mut snapshot = crate::load::load(root);
    let levels = crate::pipeline::load_config(&opts, &snapshot.config)?.rules;
    let wanted: BTreeSet<&Path> = rels.iter().map(PathBuf::as_path).collect();
    for (path, file) in &mut snapshot.files {
        if let crate::load::FileState::Source(s, _) = file {
            if wanted.contains(path.as_path()) {
                let mut undrafted = (**s).clone();
                undrafted.fields.remove("draft");
                *s = std::sync::Arc::new(undrafted);
            }
        }
    }
    let p = crate::pipeline::prepare_snapshot(&opts, &snapshot, None)?;
    let diags = levels.apply(p.diagnostics);
    Ok(diags
        .into_iter()
        .filter(|d| {
            wanted.contains(d.file.as_path())
                || rels
                    .iter()
                    .any(|r| d.file.starts_with(r.with_extension("")))
        })
        .collect())
}
