//! Bodies and attachments: rendering, and the links, images and attachment files each one
//! uses — refused when they point at a withheld document or a file it owns (E007), reported
//! when missing (E008, P18), checked for accessibility (P19).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::document::{Attachment, Document};
use crate::load::Source;
use crate::markdown;

use super::BodyOut;
use crate::markdown::links::{fragment, local_target};

pub(super) struct LinkCtx<'a> {
    pub(super) config: &'a Config,
    pub(super) by_path: &'a BTreeMap<PathBuf, String>,
    pub(super) withheld_paths: &'a BTreeMap<PathBuf, String>,
    pub(super) withheld_urls: &'a BTreeSet<String>,
    pub(super) withheld_files: &'a BTreeMap<PathBuf, (PathBuf, String)>,
    pub(super) existing_assets: &'a BTreeMap<PathBuf, u64>,
}

impl LinkCtx<'_> {
    /// E007 when `target` belongs to a withheld document: names both files.
    fn withheld_file(&self, src: &Source, target: &Path, line: usize) -> Option<Diagnostic> {
        let (owner, reason) = self.withheld_files.get(target)?;
        Some(
            Diagnostic::new(Code::E007,
                src.path.clone(),
                format!(
                    "引用的文件 {} 属于不发布的文件 {}（{reason}），不能发布",
                    target.display(),
                    owner.display()
                ),
            )
            .at(line)
            .help(format!(
                "删除这个引用；不予公开、依申请公开和草稿文件的附件及其引用的文件不能出现在公开页面上。如确需公开，请单独审查后另存一份 (the file belongs to {}, which is not published)",
                owner.display()
            )),
        )
    }
}

/// Renders a body; checks its links (E007/E008) and images (P19); returns assets it uses.
pub(super) fn render_body(src: &Source, lc: &LinkCtx) -> BodyOut {
    let dir = src.path.parent().unwrap_or(Path::new(""));
    let base = &lc.config.base_path;
    let resolve = |dest: &str| -> Option<String> {
        let target = local_target(dir, dest)?;
        if let Some(url) = lc.by_path.get(&target) {
            return Some(format!("{base}{url}{}", fragment(dest)));
        }
        if lc.existing_assets.contains_key(&target) && !lc.withheld_files.contains_key(&target) {
            let rel = target
                .strip_prefix(crate::load::CONTENT_DIR)
                .unwrap_or(&target);
            // A URL: `/` between folders on every platform (Windows paths use `\`).
            return Some(format!(
                "{base}{}",
                rel.to_string_lossy().replace('\\', "/")
            ));
        }
        None
    };
    let (body, rendered) = markdown::Body::render(src.body.clone(), &resolve);
    let mut diags = Vec::new();
    let mut assets = Vec::new();
    for link in &rendered.links {
        let line = src.body_line + link.line - 1;
        if link.is_image && link.text.trim().is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::P19,
                    src.path.clone(),
                    format!("图片 {} 没有替代文字", link.dest),
                )
                .at(line)
                .help("写成 ![说明图片内容的文字](图片路径)，屏幕阅读器会读出这段文字"),
            );
        }
        if let Some(target) = local_target(dir, &link.dest) {
            if let Some(d) = lc.withheld_file(src, &target, line) {
                diags.push(d);
            } else if let Some(reason) = lc.withheld_paths.get(&target) {
                diags.push(
                    Diagnostic::new(
                        Code::E007,
                        src.path.clone(),
                        format!("链接指向不发布的文件 {}（{reason}）", target.display()),
                    )
                    .at(line)
                    .help("删除这个链接；不予公开、依申请公开和草稿文件不能从公开页面链接"),
                );
            } else if lc.by_path.contains_key(&target) {
            } else if lc.existing_assets.contains_key(&target) {
                assets.push(target);
            } else {
                diags.push(
                    Diagnostic::new(
                        Code::E008,
                        src.path.clone(),
                        format!("链接指向不存在的文件 {}", target.display()),
                    )
                    .at(line)
                    .help("检查路径（相对于本文件所在目录）和文件名"),
                );
            }
        } else {
            let path = link
                .dest
                .strip_prefix(base.as_str())
                .or_else(|| link.dest.strip_prefix(&lc.config.base_url))
                .unwrap_or("");
            let path = path.split(['#', '?']).next().unwrap_or("");
            if lc.withheld_urls.contains(path) {
                diags.push(
                    Diagnostic::new(
                        Code::E007,
                        src.path.clone(),
                        format!("链接 {} 指向不发布的文件", link.dest),
                    )
                    .at(line)
                    .help("删除这个链接；不予公开、依申请公开和草稿文件不能从公开页面链接"),
                );
            }
        }
    }
    for l in &rendered.tables_without_headers {
        diags.push(
            Diagnostic::new(Code::P19, src.path.clone(), "表格没有表头单元格（<th>）")
                .at(src.body_line + l - 1)
                .help("把第一行的 <td> 改为 <th scope=\"col\">，或改用 Markdown 表格"),
        );
    }
    (body, diags, assets)
}

/// P18: attachments exist, are non-empty and have link text.
pub(super) fn attachments(
    doc: &mut Document,
    src: &Source,
    lc: &LinkCtx,
) -> (Vec<Diagnostic>, Vec<PathBuf>) {
    let existing = lc.existing_assets;
    let mut diags = Vec::new();
    let mut assets = Vec::new();
    let Some((line, items)) = attachment_items(src) else {
        return (diags, assets);
    };
    let dir = src.path.parent().unwrap_or(Path::new(""));
    for (p, title) in items {
        let target = local_target(dir, &p);
        if let Some(d) = target.as_ref().and_then(|t| lc.withheld_file(src, t, line)) {
            diags.push(d.field("attachments"));
            continue;
        }
        let Some((target, size)) = target.and_then(|t| existing.get(&t).map(|s| (t, *s))) else {
            diags.push(
                Diagnostic::new(Code::P18, src.path.clone(), format!("附件 “{p}” 不存在"))
                    .at(line)
                    .field("attachments")
                    .help("把附件放在 content/ 下（路径相对于本文件），或改正路径"),
            );
            continue;
        };
        if size == 0 {
            diags.push(
                Diagnostic::new(Code::P18, src.path.clone(), format!("附件 “{p}” 是空文件"))
                    .at(line)
                    .field("attachments")
                    .help("放入完整的附件文件"),
            );
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let title = if title.trim().is_empty() {
            name.clone()
        } else {
            title
        };
        if ["点击这里", "点击下载", "这里", "下载", "附件"].contains(&title.trim()) {
            diags.push(
                Diagnostic::new(
                    Code::P18,
                    src.path.clone(),
                    format!("附件 “{p}” 的链接文字 “{title}” 没有说明内容"),
                )
                .at(line)
                .field("attachments")
                .help("写成 {path: \"…\", title: \"2022年预算表\"}，让链接文字单独读也能看懂"),
            );
        }
        let rel = target
            .strip_prefix(crate::load::CONTENT_DIR)
            .unwrap_or(&target)
            .to_string_lossy()
            .replace('\\', "/");
        assets.push(target.clone());
        doc.attachments.push(Attachment {
            path: target,
            title,
            url: rel,
            size,
        });
    }
    (diags, assets)
}

/// The `attachments:` entries of a source as (path, title), with the field's line; `None`
/// when the field is absent.
pub(super) fn attachment_items(src: &Source) -> Option<(usize, Vec<(String, String)>)> {
    let f = src.fields.get("attachments")?;
    let items: Vec<(String, String)> = match &f.value {
        Value::Sequence(seq) => seq
            .iter()
            .filter_map(|it| match it {
                Value::String(s) => Some((s.clone(), String::new())),
                Value::Mapping(m) => Some((
                    m.get("path")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    m.get("title")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                )),
                _ => None,
            })
            .collect(),
        Value::String(s) => vec![(s.clone(), String::new())],
        _ => Vec::new(),
    };
    Some((f.line, items))
}

/// The files a document's `attachments` list names, resolved (whether or not they exist).
pub(super) fn attached_files(src: &Source) -> Vec<PathBuf> {
    let dir = src.path.parent().unwrap_or(Path::new(""));
    let mut files: Vec<PathBuf> = attachment_items(src)
        .map(|(_, items)| items)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(p, _)| local_target(dir, &p))
        .collect();
    files.sort();
    files.dedup();
    files
}

/// The local files a withheld document owns: its attachments, and every local file its body
/// links to or embeds (Markdown or raw HTML). Resolved paths, whether or not they exist.
pub(super) fn owned_files(src: &Source) -> Vec<PathBuf> {
    let dir = src.path.parent().unwrap_or(Path::new(""));
    let listed = attachment_items(src)
        .map(|(_, items)| items)
        .unwrap_or_default()
        .into_iter()
        .map(|(p, _)| p);
    let linked = markdown::render(&src.body, &|_| None)
        .links
        .into_iter()
        .map(|l| l.dest);
    let mut files: Vec<PathBuf> = listed
        .chain(linked)
        .filter_map(|d| local_target(dir, &d))
        .filter(|t| t.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    files.dedup();
    files
}
