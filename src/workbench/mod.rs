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
//! - `documents`: 新建, the live review, 保存, 发布 and 撤回为草稿.
//! - [`files`]: attachments (upload, remove) and the import of Word files.
//!
//! A save writes the file atomically (a hidden temporary file renamed over it); `serve`'s watcher
//! then rebuilds and reloads open tabs as after any save.

mod documents;
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
use crate::load;
use crate::pipeline::BuildOptions;
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
        // Its findings are the review's (E014); here it only offers the choices.
        let (catalogue, _) = crate::catalogue::parse::parse_all(&load::read_catalogue(self.root()));
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
                catalogue: &catalogue,
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
}

/// True when the page's script asked (it wants JSON, not a page).
fn wants_json(req: &Request) -> bool {
    req.header("accept")
        .is_some_and(|a| a.contains("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owns_only_its_prefix() {
        assert!(owns("/_gongkai/"));
        assert!(owns("/_gongkai"));
        assert!(owns("/_gongkai/edit?path=x"));
        assert!(!owns("/_gongkaix/"));
        assert!(!owns("/xxgk/_gongkai/"));
    }
}
