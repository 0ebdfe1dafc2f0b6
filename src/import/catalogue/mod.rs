//! Bulk import of an existing column: the catalogue the old CMS exports (`.xlsx` or `.csv`,
//! one row per document) and the folder of its saved pages (`.html`) or Word files (`.docx`).
//!
//! The catalogue's columns are recognised by their Chinese headers (索引号, 名称/标题, 发布机构,
//! 文号, 成文日期, 发布日期, 主题分类, 有效性, 文种, 链接 …; the same labels the front-matter
//! accepts), or named in a small TOML file. A CSV may be UTF-8 or GBK/GB18030 (what Excel saves
//! on a Chinese Windows). Each row's page is found in the folder by the file name its 链接 ends
//! in (or its path), by a 页面文件 column, or by its 索引号 or title as the file name.
//!
//! The row's values are the document's header (the old column was public, so the documents
//! are 主动公开 and not drafts); what the row lacks is taken from the page (成文日期, 文号, 发文机关
//! found as in a Word 公文). Existing 索引号 are kept, and recorded in the ledger so no new
//! number ever repeats them; rows without one get a new number. Every old URL is written with
//! its new one to `redirects.csv`. A row whose page is missing, or whose 索引号 repeats another
//! row's or an existing document's, is reported with its row number and skipped.

mod pages;
mod redirects;
pub mod sheet;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::header::Choices;
use super::output::{self, Planned};
use super::Asset;
use crate::config::Config;

use pages::read_page;
pub use pages::Pages;
pub use redirects::{merge_redirects, REDIRECTS};
pub use sheet::{
    decode_csv, detect_columns, entries, normalise_date, read_mapping, read_sheet, Column, Entry,
    Sheet,
};

/// A problem with one row (or the whole list when `row` is 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Row number as the spreadsheet shows it (1-based; the header is a row too).
    pub row: usize,
    /// What is wrong and what to do, Chinese first.
    pub message: String,
}

/// One row made into a document, not yet written.
#[derive(Debug, Clone)]
pub struct Row {
    /// Spreadsheet row number.
    pub row: usize,
    /// The Markdown file, relative to the root.
    pub rel: PathBuf,
    /// 索引号 from the catalogue (kept), or `None` (a new one is reserved).
    pub index_no: Option<String>,
    /// Title.
    pub title: String,
    /// The date the number's year and the ledger take (发布日期, else 成文日期, else today).
    pub date: NaiveDate,
    /// The old URL.
    pub url: Option<String>,
    /// Front-matter lines after `index_no` (each `# comment` + `key: value`).
    fields: String,
    body: String,
    assets: Vec<Asset>,
    asset_dir: PathBuf,
}

fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

/// A file name for a row's document: its 索引号 (unique), else its page's name.
fn stem_for(e: &Entry, page: &Path) -> String {
    match e.fields.get("index_no") {
        Some(n) => n
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect(),
        None => crate::import::file_stem(page),
    }
}

/// Turns the entries into documents: finds and reads their pages, checks 索引号 for repeats
/// (within the list and against the site), fills the header.
pub fn plan(
    root: &Path,
    entries: &[Entry],
    pages: &Pages,
    to: Option<&Path>,
    choices: &Choices,
    today: NaiveDate,
) -> (Vec<Row>, Vec<Problem>) {
    let mut problems = Vec::new();
    let existing: BTreeMap<String, PathBuf> = crate::scaffold::written_index_numbers(root)
        .into_iter()
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut taken: BTreeSet<PathBuf> = BTreeSet::new();
    let mut rows = Vec::new();
    for e in entries {
        let title = e.fields["title"].clone();
        let index_no = e.fields.get("index_no").cloned();
        if let Some(n) = &index_no {
            if let Some(first) = seen.get(n) {
                problems.push(Problem {
                    row: e.row,
                    message: format!("索引号 {n} 与第 {first} 行重复，这一行已跳过；请核对旧系统中的索引号 (duplicate index number)"),
                });
                continue;
            }
            seen.insert(n.clone(), e.row);
            if let Some(p) = existing.get(n) {
                problems.push(Problem {
                    row: e.row,
                    message: format!(
                        "索引号 {n} 已被 {} 使用，这一行已跳过 (the index number is taken)",
                        p.display()
                    ),
                });
                continue;
            }
        }
        let Some(page) = pages.find(e) else {
            problems.push(Problem {
                row: e.row,
                message: format!(
                    "找不到这一行的页面{}；请把保存的网页或 .docx 放进页面目录，或在目录中加“页面文件”列写明文件名 (page not found)",
                    e.url.as_deref().map(|u| format!("（链接 {u}）")).unwrap_or_default()
                ),
            });
            continue;
        };
        let stem = stem_for(e, &page);
        let mut p = match read_page(&page, e.url.as_deref(), &stem, &title) {
            Ok(p) => p,
            Err(m) => {
                problems.push(Problem {
                    row: e.row,
                    message: format!("页面 {}：{m}", page.display()),
                });
                continue;
            }
        };
        let (fields, written, published) = header_fields(e, &p, &page, choices);
        let date = published
            .as_deref()
            .or(written.as_deref())
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse().ok())
            .unwrap_or(today);
        let dir = match to {
            Some(t) if t.starts_with(crate::load::CONTENT_DIR) => t.to_path_buf(),
            Some(t) => Path::new(crate::load::CONTENT_DIR).join(t),
            None => Path::new(crate::load::CONTENT_DIR).join(date.year().to_string()),
        };
        let rel = dir.join(format!("{stem}.md"));
        let asset_dir = dir.join(&stem);
        if root.join(&rel).exists() || !taken.insert(rel.clone()) {
            problems.push(Problem {
                row: e.row,
                message: format!(
                    "{} 已存在，这一行已跳过；导入不会覆盖已有文件 (the file exists)",
                    rel.display()
                ),
            });
            continue;
        }
        if p.body.trim().is_empty() {
            p.body = "（正文没有内容，请补充）\n".into();
        }
        rows.push(Row {
            row: e.row,
            rel,
            index_no,
            title,
            date,
            url: e.url.clone(),
            fields,
            body: p.body,
            assets: p.assets,
            asset_dir,
        });
    }
    (rows, problems)
}

/// The front-matter lines of a row after its `title` and `index_no`: the row's values, what
/// the page adds where the row is silent (noted in the last comment), and `source_url`.
/// Returns them with the 成文日期 and 发布日期 as written there.
fn header_fields(
    e: &Entry,
    p: &pages::PageText,
    page: &Path,
    choices: &Choices,
) -> (String, Option<String>, Option<String>) {
    let mut fields = String::new();
    let mut notes = Vec::new();
    let mut put = |comment: &str, key: &str, value: &str| {
        fields.push_str(&format!("# {comment}\n{key}: {}\n", q(value)));
    };
    let get = |k: &str| e.fields.get(k).cloned();
    let (category, sub) = match get("category") {
        Some(c) => match c.split_once(['\\', '/']) {
            Some((a, b)) => (a.trim().to_string(), Some(b.trim().to_string())),
            None => (c, get("category_sub")),
        },
        None => (String::new(), None),
    };
    put("主题分类", "category", &category);
    if let Some(s) = sub {
        put("二级分类", "category_sub", &s);
    }
    let issuer = get("issuer").or_else(|| {
        (!p.gongwen.issuers.is_empty()).then(|| {
            notes.push("发布机构取自页面");
            p.gongwen.issuers.join("、")
        })
    });
    put("发布机构", "issuer", issuer.as_deref().unwrap_or(""));
    let doc_no = get("doc_no").or_else(|| {
        p.gongwen
            .doc_no
            .clone()
            .inspect(|_| notes.push("文件编号取自页面"))
    });
    if let Some(d) = &doc_no {
        put("文件编号", "doc_no", d);
    }
    let written = match get("written") {
        Some(w) => Some(normalise_date(&w, false).unwrap_or(w)),
        None => p.gongwen.written.map(|d| {
            notes.push("成文日期取自页面落款");
            d.to_string()
        }),
    };
    put("成文日期", "written", written.as_deref().unwrap_or(""));
    let published = get("published").map(|v| normalise_date(&v, true).unwrap_or(v));
    put("发布日期", "published", published.as_deref().unwrap_or(""));
    put("公开属性（旧栏目已公开发布）", "disclosure", "主动公开");
    let kind = choices
        .kind
        .clone()
        .or_else(|| get("kind"))
        .unwrap_or_else(|| "其他文件".into());
    if let Some(v) = get("validity") {
        put("有效性", "validity", &v);
    } else if matches!(kind.as_str(), "规章" | "行政规范性文件" | "其他文件") {
        put("有效性（目录中没有，默认有效，请核对）", "validity", "有效");
    }
    put("文种", "kind", &kind);
    if let Some(i) = choices
        .item
        .as_deref()
        .or(crate::import::header::default_item(&kind))
    {
        put("条例事项", "item", i);
    }
    for (k, label) in [
        ("summary", "内容概述"),
        ("keywords", "主题词"),
        ("source", "信息来源"),
    ] {
        if let Some(v) = get(k) {
            put(label, k, &v);
        }
    }
    if let Some(u) = &e.url {
        put("原网址（已写入 redirects.csv）", "source_url", u);
    }
    if !p.attachments.is_empty() {
        fields.push_str("attachments:\n");
        for (path, t) in &p.attachments {
            fields.push_str(&format!("  - path: {}\n    title: {}\n", q(path), q(t)));
        }
    }
    fields.push_str(&format!(
        "# 从旧栏目目录第 {} 行导入（页面 {}）{}\n",
        e.row,
        page.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        if notes.is_empty() {
            String::new()
        } else {
            format!("；{}", notes.join("、"))
        }
    ));
    (fields, written, published)
}

/// What [`write`] did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// (row, Markdown file, 索引号) of each document written.
    pub written: Vec<(usize, PathBuf, String)>,
    /// Rows that could not be written.
    pub problems: Vec<Problem>,
    /// Old URL → new URL, as added to `redirects.csv`.
    pub redirects: Vec<(String, String)>,
}

/// Records the kept 索引号 in the ledger (under its lock), reserves new ones for the rest,
/// writes each document all or nothing, then adds the redirects.
pub fn write(root: &Path, config: &Config, rows: Vec<Row>) -> anyhow::Result<Outcome> {
    let mut out = Outcome::default();
    let ledger_path = root.join(&config.ledger);
    {
        let _lock = crate::ledger::LedgerLock::acquire(&ledger_path)?;
        let mut ledger = crate::ledger::Ledger::read(&ledger_path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", ledger_path.display()))?;
        let mut changed = false;
        for r in &rows {
            if let Some(n) = &r.index_no {
                if !ledger.entries.iter().any(|e| &e.index_no == n) {
                    ledger.record(n, &r.rel.to_string_lossy(), &r.title, &r.date.to_string());
                    changed = true;
                }
            }
        }
        if changed {
            ledger.write(&ledger_path)?;
        }
    }
    let fresh: Vec<(PathBuf, String, NaiveDate)> = rows
        .iter()
        .filter(|r| r.index_no.is_none())
        .map(|r| (r.rel.clone(), r.title.clone(), r.date))
        .collect();
    let mut new_numbers = if fresh.is_empty() {
        Vec::new()
    } else {
        crate::scaffold::reserve_index_nos(root, config, &fresh)?
    }
    .into_iter();
    for r in rows {
        let (no, kept) = match &r.index_no {
            Some(n) => (n.clone(), true),
            None => (
                new_numbers.next().expect("one number per row without one"),
                false,
            ),
        };
        let text = format!(
            "---\n# 名称\ntitle: {}\n# 索引号{}\nindex_no: {}\n{}---\n\n{}",
            q(&r.title),
            if kept {
                "（沿用旧栏目的索引号）"
            } else {
                "（旧栏目没有，已在索引号台账中新分配）"
            },
            q(&no),
            r.fields,
            r.body
        );
        let plan = Planned {
            rel: r.rel.clone(),
            text,
            asset_dir: r.asset_dir.clone(),
            assets: r.assets.clone(),
        };
        match output::write(root, &plan) {
            Ok(()) => {
                if let (Some(old), Some(idx)) = (&r.url, crate::meta::IndexNo::new(&no)) {
                    out.redirects.push((
                        old.clone(),
                        format!("{}{}", config.base_url, config.urls.page_path(&idx)),
                    ));
                }
                out.written.push((r.row, r.rel, no));
            }
            Err(e) => out.problems.push(Problem {
                row: r.row,
                message: format!("写入失败，没有留下任何文件：{e:#}"),
            }),
        }
    }
    merge_redirects(&root.join(REDIRECTS), &out.redirects)?;
    Ok(out)
}
