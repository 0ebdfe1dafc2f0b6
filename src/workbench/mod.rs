//! The workbench (工作台): edit, import and review documents in the browser, on the editor's own
//! machine, at `/_gongkai/` of `gongkai serve`. Never written by `build`, never served by
//! `serve --public`, and answered only to a browser on this computer (see [`http`]).
//!
//! What happens where:
//! - [`http`]: plain requests and responses, the security checks, the adapter from `serve`.
//! - [`paths`]: every path from the browser, resolved inside `content/` only.
//! - [`form`]: the fields of a document's form, and the header edits a submitted form asks for.
//! - [`header`]: the header editor, which changes only the lines of the changed fields.
//! - [`review`]: `gongkai check`'s findings for the text in the form (the one pipeline).
//! - [`pages`]: the HTML; `assets/` the style and the script.
//! - [`files`]: attachments (upload, remove) and the import of Word files.
//!
//! A save writes the file atomically (a hidden temporary file renamed over it); `serve`'s watcher
//! then rebuilds and reloads open tabs as after any save.

pub mod files;
pub mod form;
pub mod header;
pub mod http;
pub mod pages;
pub mod paths;
pub mod review;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::json;

use crate::config::Config;
use crate::diag::Severity;
use crate::load;
use crate::pipeline::BuildOptions;
use header::Edit;
use http::{Guard, Method, Request, Response};
pub use pages::PREFIX;

/// The largest form a browser may post (a document's fields and body).
const MAX_FORM: u64 = 16 << 20;

/// The workbench of one `serve` run.
pub struct Workbench {
    guard: Guard,
    reviewer: review::Reviewer,
    /// Held while a file is checked and written, so two saves of one file cannot interleave.
    saving: Mutex<()>,
    /// What an import found, shown once when its document is opened.
    notes: Mutex<BTreeMap<PathBuf, Vec<String>>>,
    /// Where dropped Word files wait for their import (outside the site).
    staging: PathBuf,
}

/// True for a URL the workbench answers.
pub fn owns(url: &str) -> bool {
    url == "/_gongkai" || url.starts_with(PREFIX) || url.starts_with("/_gongkai?")
}

/// A file's version: a hash of its bytes. A save names the version it was made from.
pub fn version(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Writes `bytes` to `path` atomically: a hidden temporary file beside it (which neither the
/// loader nor the watcher reads), flushed, given the old file's permissions, renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.gongkai-save"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)?;
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// What the editor asked a save to do besides the fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Save,
    Publish,
    Withdraw,
}

impl Workbench {
    /// The workbench for the site `opts` builds, served on `port`.
    pub fn new(opts: BuildOptions, port: u16) -> anyhow::Result<Workbench> {
        let guard = Guard::new(port).map_err(anyhow::Error::msg)?;
        let staging = std::env::temp_dir().join(format!(
            "gongkai-workbench-{}-{}",
            std::process::id(),
            &guard.token[..8]
        ));
        Ok(Workbench {
            guard,
            reviewer: review::Reviewer::new(opts),
            saving: Mutex::new(()),
            notes: Mutex::new(BTreeMap::new()),
            staging,
        })
    }

    /// The secret of this run (tests read it from the pages, as a browser does).
    pub fn token(&self) -> &str {
        &self.guard.token
    }

    fn root(&self) -> &Path {
        &self.reviewer.options().root
    }

    /// Answers one request of `serve`'s HTTP server.
    pub fn respond(&self, req: tiny_http::Request) {
        http::serve_tiny(req, &|r| self.handle(r));
    }

    /// Answers one request.
    pub fn handle(&self, req: &mut Request) -> Response {
        let res = match self.guard.visitor(req) {
            Err(r) => r,
            Ok(()) => self.route(req),
        };
        http::secure(res)
    }

    fn route(&self, req: &mut Request) -> Response {
        let Some(path) = req.path() else {
            return Response::text(400, "400 Bad Request");
        };
        let sub = path.strip_prefix("/_gongkai").unwrap_or("");
        let read = matches!(req.method, Method::Get | Method::Head);
        match (read, sub) {
            (true, "") => Response::redirect(PREFIX),
            (true, "/") => self.list(req),
            (true, "/edit") => self.edit(req),
            (true, "/new") => self.new_page(None),
            (true, "/file") => files::content_file(self, req),
            (true, "/assets/workbench.css") => Response::new(
                200,
                "text/css; charset=utf-8",
                include_bytes!("assets/workbench.css").to_vec(),
            ),
            (true, "/assets/workbench.js") => Response::new(
                200,
                "text/javascript; charset=utf-8",
                include_bytes!("assets/workbench.js").to_vec(),
            ),
            (false, "/new") => self.create(req),
            (false, "/save") => self.save(req),
            (false, "/review") => self.review(req),
            (false, "/attachments/upload") => files::upload(self, req),
            (false, "/attachments/remove") => files::remove(self, req),
            (false, "/import/file") => files::stage(self, req),
            (false, "/import") => files::import(self, req),
            _ => Response::text(404, "404：工作台没有这个页面 (not found)"),
        }
    }

    /// The configuration, or a page that shows its findings.
    fn config(&self) -> Result<Config, Response> {
        let read = load::config(self.root());
        crate::pipeline::load_config(self.reviewer.options(), &read).map_err(|d| {
            let text: Vec<String> = d
                .iter()
                .map(|d| crate::diag::render_human(d, false))
                .collect();
            Response::text(
                500,
                &format!("gongkai.toml 有错误，工作台无法使用：\n{}", text.join("\n")),
            )
        })
    }

    fn today(&self, cfg: &Config) -> chrono::NaiveDate {
        let o = self.reviewer.options();
        o.today
            .unwrap_or_else(|| crate::clock::today(cfg.timezone, o.now))
    }

    /// A message for the editor: JSON for the page's script, else a page.
    fn message(&self, req: &Request, status: u16, message: &str, back: &str) -> Response {
        if wants_json(req) {
            return Response::json(status, &json!({ "ok": false, "message": message }));
        }
        let site = self.config().map(|c| c.site_name).unwrap_or_default();
        Response::html(
            status,
            pages::message_page("无法完成", message, back, &site, self.token()),
        )
    }

    /// Reads a posted form and checks that it may change something.
    fn posted_form(&self, req: &mut Request) -> Result<form::Submitted, Response> {
        let body = req.read_body(MAX_FORM)?;
        let form = form::Submitted::parse(&body);
        self.guard.change(req, form.one("token"))?;
        Ok(form)
    }

    /// A posted form that names an existing document (`path=`).
    fn posted_document(&self, req: &mut Request) -> Result<(form::Submitted, PathBuf), Response> {
        let form = self.posted_form(req)?;
        let rel = self.document(req, form.one("path"))?;
        Ok((form, rel))
    }

    /// The document named by a request (`path=`), which must exist.
    fn document(&self, req: &Request, given: Option<&str>) -> Result<PathBuf, Response> {
        let given = given.unwrap_or("");
        let rel =
            paths::document(self.root(), given).map_err(|m| self.message(req, 400, &m, PREFIX))?;
        if !self.root().join(&rel).is_file() {
            return Err(self.message(
                req,
                404,
                &format!("文件 {given} 不存在（可能已被移动或删除）(no such document)"),
                PREFIX,
            ));
        }
        Ok(rel)
    }

    fn list(&self, req: &Request) -> Response {
        let cfg = match self.config() {
            Ok(c) => c,
            Err(r) => return r,
        };
        let filters = pages::Filters::from_query(&req.query());
        match self.reviewer.site() {
            Ok(rows) => Response::html(
                200,
                pages::list_page(&rows, &filters, &cfg.site_name, self.token(), None),
            ),
            Err(d) => Response::text(
                500,
                &d.iter()
                    .map(|d| crate::diag::render_human(d, false))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
    }

    fn edit(&self, req: &Request) -> Response {
        let q = req.query();
        let rel = match self.document(req, q.one("path")) {
            Ok(r) => r,
            Err(r) => return r,
        };
        let cfg = match self.config() {
            Ok(c) => c,
            Err(r) => return r,
        };
        let bytes = match std::fs::read(self.root().join(&rel)) {
            Ok(b) => b,
            Err(e) => {
                return self.message(
                    req,
                    500,
                    &format!(
                        "无法读取 {}：{}",
                        rel.display(),
                        crate::diag::io_message(&e)
                    ),
                    PREFIX,
                )
            }
        };
        let version = version(&bytes);
        let Ok(text) = String::from_utf8(bytes) else {
            return self.message(
                req,
                422,
                &format!("{} 不是 UTF-8 编码的文件，工作台无法编辑。请在编辑器中另存为 UTF-8 编码 (the file is not UTF-8)", rel.display()),
                PREFIX,
            );
        };
        let review = self.reviewer.document(&rel, &text, true);
        let mut soft = Vec::new();
        let Ok(src) = load::parse_source(&rel, text.as_bytes(), &mut soft) else {
            return Response::html(
                200,
                pages::raw_page(&cfg, self.token(), &rel, &text, &version, &review),
            );
        };
        let mut notes = self
            .notes
            .lock()
            .map(|mut n| n.remove(&rel).unwrap_or_default())
            .unwrap_or_default();
        if q.one("saved").is_some() {
            notes.push("已保存。".into());
        }
        let proactive = src
            .fields
            .get("disclosure")
            .and_then(|f| f.value.as_str())
            .map(str::trim)
            == Some("主动公开");
        Response::html(
            200,
            pages::edit_page(&pages::EditView {
                config: &cfg,
                token: self.token(),
                rel: &rel,
                src: &src,
                version: &version,
                review: &review,
                draft: review::is_draft(&src),
                proactive,
                notes: &notes,
                limit_mb: cfg.workbench.max_upload_mb,
            }),
        )
    }

    fn new_page(&self, error: Option<&str>) -> Response {
        let cfg = match self.config() {
            Ok(c) => c,
            Err(r) => return r,
        };
        let mut folders: Vec<String> = walkdir::WalkDir::new(self.root().join(load::CONTENT_DIR))
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                !load::is_editor_junk(&e.file_name().to_string_lossy()) || e.depth() == 0
            })
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
            .filter_map(|e| {
                e.path()
                    .strip_prefix(self.root())
                    .ok()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        folders.truncate(500);
        use chrono::Datelike;
        let year = self.today(&cfg).year();
        Response::html(
            if error.is_some() { 400 } else { 200 },
            pages::new_page(
                &cfg,
                self.token(),
                &folders,
                year,
                error,
                cfg.workbench.max_upload_mb,
            ),
        )
    }

    /// 新建: a new draft with the header of its kind and a 索引号 reserved in the ledger.
    fn create(&self, req: &mut Request) -> Response {
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
    fn save(&self, req: &mut Request) -> Response {
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
    fn review(&self, req: &mut Request) -> Response {
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

const CONFLICT: &str = "没有保存：这个文件在您打开之后已被修改（可能是在另一个窗口、另一台电脑或文本编辑器中保存的）。为了不覆盖那次修改，这次没有保存。请先复制您的修改，刷新页面重新打开文件，再把修改加上后保存 (the file changed since you opened it; nothing was saved)";

/// True when the page's script asked (it wants JSON, not a page).
fn wants_json(req: &Request) -> bool {
    req.header("accept")
        .is_some_and(|a| a.contains("application/json"))
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

    #[test]
    fn owns_only_its_prefix() {
        assert!(owns("/_gongkai/"));
        assert!(owns("/_gongkai"));
        assert!(owns("/_gongkai/edit?path=x"));
        assert!(!owns("/_gongkaix/"));
        assert!(!owns("/xxgk/_gongkai/"));
    }
}
