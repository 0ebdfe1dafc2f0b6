//! Documents: 新建 (a new draft with a 索引号 reserved in the ledger), the live review of the form,
//! and 保存, 发布 and 撤回为草稿. A save checks the version the form was opened at, writes only
//! the changed fields ([`super::header`]) and refuses to publish while errors remain.

use std::path::Path;

use serde_json::json;

use super::header::{self, Edit};
use super::http::{Request, Response};
use super::{form, pages, paths, review, version, wants_json, write_atomic, Workbench, PREFIX};
use crate::diag::Severity;
use crate::load;

/// What the editor asked a save to do besides the fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Save,
    Publish,
    Withdraw,
}

pub(super) const CONFLICT: &str = "没有保存：这个文件在您打开之后已被修改（可能是在另一个窗口、另一台电脑或文本编辑器中保存的）。为了不覆盖那次修改，这次没有保存。请先复制您的修改，刷新页面重新打开文件，再把修改加上后保存 (the file changed since you opened it; nothing was saved)";

impl Workbench {
    /// 新建: a new draft with the header of its kind and a 索引号 reserved in the ledger.
    pub(super) fn create(&self, req: &mut Request) -> Response {
        let form = match self.posted_form(req) {
            Ok(f) => f,
            Err(r) => return r,
        };
        let cfg = match self.config() {
            Ok(c) => c,
            Err(r) => return r,
        };
        let today = self.today(&cfg);
        let kind = form.one("kind").unwrap_or("其他文件").trim().to_string();
        let item = form
            .one("item")
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .map(str::to_string);
        let title = form.one("title").unwrap_or("").trim().to_string();
        if let Err(e) = crate::cmd::import::check_choices(&cfg, Some(&kind), item.as_deref()) {
            return self.new_page(Some(&format!("{e:#}")));
        }
        if title.is_empty() {
            return self.new_page(Some("请填写标题 (a title is needed)"));
        }
        use chrono::Datelike;
        let folder = form
            .one("folder")
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("content/{}", today.year()));
        let folder = match paths::folder(self.root(), &folder) {
            Ok(f) => f,
            Err(m) => return self.new_page(Some(&m)),
        };
        let given = form.one("name").map(str::trim).filter(|n| !n.is_empty());
        let stem = match given {
            Some(n) => n.trim_end_matches(".md").to_string(),
            None => file_stem_of(&title),
        };
        let mut rel = folder.join(format!("{stem}.md"));
        let mut n = 2;
        while given.is_none() && self.root().join(&rel).exists() {
            rel = folder.join(format!("{stem}-{n}.md"));
            n += 1;
        }
        if let Err(m) = paths::document(self.root(), &rel.to_string_lossy()) {
            return self.new_page(Some(&m));
        }
        let rel = match load::new_document_path(self.root(), &rel) {
            Ok(r) => r,
            Err(m) => return self.new_page(Some(&m)),
        };
        let made =
            crate::scaffold::create_document(self.root(), &cfg, &rel, &title, today, &|no| {
                crate::scaffold::document_template(&cfg, &kind, item.as_deref(), &title, no, today)
            });
        match made {
            Ok(no) => {
                if let Ok(mut n) = self.notes.lock() {
                    n.insert(rel.clone(), vec![format!("已新建 {}，索引号 {no} 已在台账中预留。填写后保存；审查没有错误时即可发布。", rel.display())]);
                }
                Response::redirect(&pages::edit_url(&rel))
            }
            Err(e) => self.new_page(Some(&format!("{e:#}"))),
        }
    }

    /// The text the form asks for, from the file's text now.
    fn compose(
        &self,
        rel: &Path,
        text: &str,
        form: &form::Submitted,
        action: Action,
    ) -> Result<String, String> {
        if let Some(raw) = form.one("raw") {
            let raw = raw.replace("\r\n", "\n");
            return Ok(if text.contains("\r\n") {
                raw.replace('\n', "\r\n")
            } else {
                raw
            });
        }
        let mut soft = Vec::new();
        let src = load::parse_source(rel, text.as_bytes(), &mut soft).map_err(|d| {
            d.first()
                .map(|d| crate::diag::render_human(d, false))
                .unwrap_or_default()
        })?;
        let mut edits = form::edits(&src, form);
        match action {
            Action::Publish => edits.push(("draft", Edit::Remove)),
            Action::Withdraw => edits.push(("draft", Edit::Set(serde_yaml::Value::Bool(true)))),
            Action::Save => {}
        }
        let mut out = if edits.is_empty() {
            text.to_string()
        } else {
            header::edit(rel, text, &edits).map_err(|e| e.to_string())?
        };
        if let Some(body) = form.one("body") {
            out = header::with_body(&out, body).map_err(|e| e.to_string())?;
        }
        Ok(out)
    }

    /// 保存, 发布, 撤回为草稿.
    pub(super) fn save(&self, req: &mut Request) -> Response {
        let (form, rel) = match self.posted_document(req) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let back = pages::edit_url(&rel);
        let action = match form.one("action") {
            Some("publish") => Action::Publish,
            Some("withdraw") => Action::Withdraw,
            _ => Action::Save,
        };
        let _held = self.saving.lock();
        let abs = self.root().join(&rel);
        let text = match std::fs::read(&abs).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            _ => {
                return self.message(
                    req,
                    500,
                    &format!("无法读取 {}（文件不存在或不是 UTF-8）", rel.display()),
                    &back,
                )
            }
        };
        if form.one("version") != Some(version(text.as_bytes()).as_str()) {
            return self.message(req, 409, CONFLICT, &back);
        }
        let new = match self.compose(&rel, &text, &form, action) {
            Ok(t) => t,
            Err(m) => return self.message(req, 422, &format!("没有保存：{m}"), &back),
        };
        // Publishing is refused while errors remain; a published document is not saved with
        // new errors (the site would stop building).
        let mut soft = Vec::new();
        let published_after = load::parse_source(&rel, new.as_bytes(), &mut soft)
            .map(|s| !review::is_draft(&s))
            .unwrap_or(false);
        if published_after && (action == Action::Publish || new != text) {
            let after = self.reviewer.document(&rel, &new, false);
            let errors: Vec<&crate::diag::Diagnostic> = after
                .findings
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            let refuse = if action == Action::Publish {
                !errors.is_empty()
            } else {
                let before = self.reviewer.document(&rel, &text, false);
                let known = |d: &&crate::diag::Diagnostic| {
                    before
                        .findings
                        .iter()
                        .any(|b| b.rule == d.rule && b.message == d.message && b.field == d.field)
                };
                errors.iter().any(|d| !known(d))
            };
            if refuse {
                let what = if action == Action::Publish {
                    "不能发布"
                } else {
                    "这份文件已经发布，修改后会有新的错误，没有保存"
                };
                let msg = format!(
                    "还有 {} 个错误，{what}。请先改正标出的错误 (errors remain)",
                    errors.len()
                );
                if wants_json(req) {
                    let html: Vec<String> = errors.iter().map(|d| pages::finding_html(d)).collect();
                    return Response::json(
                        422,
                        &json!({ "ok": false, "message": msg, "errors": html }),
                    );
                }
                return self.message(req, 422, &msg, &back);
            }
        }
        if new == text {
            return self.saved(req, &rel, &text, "没有改动，无需保存。");
        }
        if let Err(e) = write_atomic(&abs, new.as_bytes()) {
            return self.message(
                req,
                500,
                &format!(
                    "无法写入 {}：{}，文件没有改动",
                    rel.display(),
                    crate::diag::io_message(&e)
                ),
                &back,
            );
        }
        let done = match action {
            Action::Publish => "已发布：网站正在更新，稍后即可在栏目和检索中看到。",
            Action::Withdraw => "已撤回为草稿：网站正在更新，页面将不再公开。",
            Action::Save => "已保存。",
        };
        self.saved(req, &rel, &new, done)
    }

    fn saved(&self, req: &Request, rel: &Path, text: &str, message: &str) -> Response {
        if wants_json(req) {
            Response::json(
                200,
                &json!({ "ok": true, "message": message, "version": version(text.as_bytes()) }),
            )
        } else {
            Response::redirect(&format!("{}&saved=1", pages::edit_url(rel)))
        }
    }

    /// The live review of the form as it is now (nothing is written).
    pub(super) fn review(&self, req: &mut Request) -> Response {
        let (form, rel) = match self.posted_document(req) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let text = match std::fs::read_to_string(self.root().join(&rel)) {
            Ok(t) => t,
            Err(e) => return self.message(req, 500, &crate::diag::io_message(&e), PREFIX),
        };
        let new = match self.compose(&rel, &text, &form, Action::Save) {
            Ok(t) => t,
            Err(m) => return Response::json(200, &json!({ "ok": false, "message": m })),
        };
        let r = self.reviewer.document(&rel, &new, true);
        let mut soft = Vec::new();
        let body_line = load::parse_source(&rel, new.as_bytes(), &mut soft)
            .ok()
            .map(|s| s.body_line);
        let keys: Vec<&str> = form::specs().iter().map(|s| s.key).collect();
        let findings: Vec<serde_json::Value> = r
            .findings
            .iter()
            .map(|d| json!({ "place": pages::place(d, &keys, body_line), "severity": d.severity, "html": pages::finding_html(d) }))
            .collect();
        let (errors, warnings) = r.counts();
        let draft = form.one("draft").map(|d| d == "true").unwrap_or(true);
        Response::json(
            200,
            &json!({
                "ok": true,
                "errors": errors,
                "warnings": warnings,
                "summary": pages::summary(errors, warnings, draft),
                "findings": findings,
                "page": r.page,
                "note": r.note,
            }),
        )
    }
}

/// A file name from a title: letters and digits kept, the rest a `-`, at most 40 characters.
fn file_stem_of(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.chars().count() >= 40 {
            break;
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "新文件".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_files_after_titles() {
        assert_eq!(
            file_stem_of("关于印发《2024年工作要点》的通知"),
            "关于印发-2024年工作要点-的通知"
        );
        assert_eq!(file_stem_of("../../etc"), "etc");
        assert_eq!(file_stem_of("《》"), "新文件");
    }
}
