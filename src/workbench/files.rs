//! Files the editor brings: a document's attachments (upload, list, remove) and Word files to
//! import. Uploads are streamed to a hidden file with the size limit of `[workbench]
//! max_upload_mb`, then linked to their name, which fails rather than overwrite; a name is kept
//! as given when it is one plain file name ([`paths::file_name`]).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

use super::documents::CONFLICT;
use super::header::{self, Edit};
use super::http::{self, Request, Response};
use super::{form, pages, paths, version, write_atomic, Workbench};
use crate::load;

macro_rules! attempt {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(r) => return r,
        }
    };
}

/// GET `file?path=content/…`: a file under `content/` (an attachment, a picture), so the editor
/// can open what a draft links to before it is published.
pub fn content_file(wb: &Workbench, req: &Request) -> Response {
    let q = req.query();
    let given = q.one("path").unwrap_or("");
    let rel = attempt!(paths::folder(wb.root(), given).map_err(|m| Response::text(400, &m)));
    let abs = wb.root().join(&rel);
    let is_file = std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file());
    if !is_file || rel.extension().is_some_and(|e| e == "md") {
        return Response::text(404, &format!("没有这个附件：{given} (no such file)"));
    }
    match std::fs::read(&abs) {
        Ok(bytes) => Response::new(200, crate::serve::http::content_type(given), bytes),
        Err(e) => Response::text(500, &crate::diag::io_message(&e)),
    }
}

/// Streams the request body to `dest` (which must not exist), at most `limit` bytes.
fn receive(req: &mut Request, dest: &Path, limit: u64) -> Result<u64, Response> {
    let Some(expected) = req.length else {
        return Err(Response::text(
            411,
            "上传需要 Content-Length (length required)",
        ));
    };
    if expected > limit {
        return Err(http::too_large(limit));
    }
    let dir = dest.parent().unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.upload"));
    let fail = |tmp: &Path, r: Response| {
        let _ = std::fs::remove_file(tmp);
        Err(r)
    };
    let io = |e: std::io::Error| {
        Response::text(
            500,
            &format!(
                "无法写入上传的文件：{} (cannot write the upload)",
                crate::diag::io_message(&e)
            ),
        )
    };
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    let copied = match std::io::copy(&mut (&mut req.body).take(limit + 1), &mut f) {
        Ok(n) => n,
        Err(e) => return fail(&tmp, io(e)),
    };
    if copied > limit {
        return fail(&tmp, http::too_large(limit));
    }
    if copied != expected {
        return fail(
            &tmp,
            Response::text(
                400,
                "上传没有完成（收到的内容比声明的少），请重试 (incomplete upload)",
            ),
        );
    }
    if copied == 0 {
        return fail(
            &tmp,
            Response::text(422, "文件是空的，没有上传 (the file is empty)"),
        );
    }
    if let Err(e) = f.flush().and_then(|()| f.sync_all()) {
        return fail(&tmp, io(e));
    }
    drop(f);
    // A link fails if the name exists: never overwrites, even when two uploads race.
    let linked = std::fs::hard_link(&tmp, dest);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(copied),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Response::text(
            409,
            &format!(
                "已经有同名的文件 {}；如要替换，请先删除原来的附件 (a file of that name exists)",
                name
            ),
        )),
        Err(e) => Err(io(e)),
    }
}

/// The document's attachments now, with its text and version checked against the form's.
fn current(
    wb: &Workbench,
    req: &Request,
    rel: &Path,
    given_version: Option<&str>,
) -> Result<(String, Vec<(String, String)>), Response> {
    let back = pages::edit_url(rel);
    let text = std::fs::read_to_string(wb.root().join(rel))
        .map_err(|e| wb.message(req, 500, &crate::diag::io_message(&e), &back))?;
    if given_version != Some(version(text.as_bytes()).as_str()) {
        return Err(wb.message(req, 409, CONFLICT, &back));
    }
    let src = load::parse_source(rel, text.as_bytes(), &mut Vec::new()).map_err(|_| {
        wb.message(
            req,
            422,
            "文件现在无法读取，请先改正文件中的错误 (the file does not load)",
            &back,
        )
    })?;
    let list = match src.fields.get("attachments") {
        None => Vec::new(),
        Some(f) => form::attachments(&f.value).ok_or_else(|| {
            wb.message(req, 422, "附件字段的写法较复杂，工作台不修改它；请在文本编辑器中修改 (attachments written in a form the workbench does not edit)", &back)
        })?,
    };
    Ok((text, list))
}

/// Writes the document with `list` as its attachments; answers with the new version.
fn write_list(
    wb: &Workbench,
    rel: &Path,
    text: &str,
    list: &[(String, String)],
) -> Result<String, Response> {
    let edit = if list.is_empty() {
        Edit::Remove
    } else {
        Edit::Set(form::attachments_value(list))
    };
    let new = header::edit(rel, text, &[("attachments", edit)])
        .map_err(|e| Response::text(422, &e.to_string()))?;
    write_atomic(&wb.root().join(rel), new.as_bytes()).map_err(|e| {
        Response::text(
            500,
            &format!(
                "无法写入 {}：{}",
                rel.display(),
                crate::diag::io_message(&e)
            ),
        )
    })?;
    Ok(version(new.as_bytes()))
}

/// POST `attachments/upload?path=…&name=…&version=…` with the file as the body: stores it in
/// the document's folder and adds it to `attachments`.
pub fn upload(wb: &Workbench, req: &mut Request) -> Response {
    attempt!(wb.guard.change(req, None));
    let q = req.query();
    let rel = attempt!(wb.document(req, q.one("path")));
    let cfg = attempt!(wb.config());
    let name = attempt!(
        paths::file_name(q.one("name").unwrap_or("")).map_err(|m| Response::text(400, &m))
    );
    let limit = cfg.workbench.max_upload_mb << 20;
    if req.length.is_some_and(|n| n > limit) {
        return http::too_large(limit);
    }
    let _held = wb.saving.lock();
    let (text, mut list) = attempt!(current(wb, req, &rel, q.one("version")));
    let dir = paths::asset_dir(&rel);
    attempt!(paths::folder(wb.root(), &dir.to_string_lossy()).map_err(|m| Response::text(400, &m)));
    if let Err(e) = std::fs::create_dir_all(wb.root().join(&dir)) {
        return Response::text(
            500,
            &format!(
                "无法创建 {}：{}",
                dir.display(),
                crate::diag::io_message(&e)
            ),
        );
    }
    let dest = wb.root().join(&dir).join(&name);
    let size = attempt!(receive(req, &dest, limit));
    let stem = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let entry = format!("{stem}/{name}");
    let title = Path::new(&name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !list.iter().any(|(p, _)| *p == entry) {
        list.push((entry.clone(), title.clone()));
    }
    match write_list(wb, &rel, &text, &list) {
        Ok(v) => Response::json(
            200,
            &json!({
                "ok": true,
                "version": v,
                "entry": entry,
                "title": title,
                "href": format!("{}file?path={}", super::PREFIX, form_urlencoded::byte_serialize(dir.join(&name).to_string_lossy().as_bytes()).collect::<String>()),
                "message": format!("已添加附件 {name}（{}）", http::size(size)),
            }),
        ),
        Err(r) => {
            let _ = std::fs::remove_file(&dest);
            r
        }
    }
}

/// POST `attachments/remove` (`path`, `version`, `entry`): takes the entry out of
/// `attachments`, and deletes its file when it is in the document's own folder and no other
/// entry names it.
pub fn remove(wb: &Workbench, req: &mut Request) -> Response {
    let (f, rel) = attempt!(wb.posted_document(req));
    let entry = f.one("entry").unwrap_or("").to_string();
    let _held = wb.saving.lock();
    let (text, mut list) = attempt!(current(wb, req, &rel, f.one("version")));
    let before = list.len();
    list.retain(|(p, _)| *p != entry);
    if list.len() == before {
        return wb.message(
            req,
            404,
            &format!("附件 {entry} 不在这份文件的附件中 (no such attachment)"),
            &pages::edit_url(&rel),
        );
    }
    let v = attempt!(write_list(wb, &rel, &text, &list));
    let md_dir = rel.parent().unwrap_or(Path::new(""));
    let own = paths::asset_dir(&rel);
    let mut deleted = false;
    if let Some(target) = paths::fold(&md_dir.join(&entry)) {
        let still = list
            .iter()
            .any(|(p, _)| paths::fold(&md_dir.join(p)).as_ref() == Some(&target));
        let abs = wb.root().join(&target);
        if target.starts_with(&own)
            && !still
            && std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file())
        {
            deleted = std::fs::remove_file(&abs).is_ok();
            let _ = std::fs::remove_dir(wb.root().join(&own));
        }
    }
    Response::json(
        200,
        &json!({
            "ok": true,
            "version": v,
            "message": if deleted { format!("已删除附件 {entry}") } else { format!("已从附件中去掉 {entry}（文件不在本文件的附件文件夹中，没有删除）") },
        }),
    )
}

fn batch_dir(wb: &Workbench, batch: &str) -> Result<PathBuf, Response> {
    if batch.len() < 8
        || batch.len() > 64
        || !batch.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(Response::text(400, "导入批次编号无效 (bad batch)"));
    }
    Ok(wb.staging.join(batch))
}

/// POST `import/file?batch=…&name=…` with a file as the body: one Word file (or an attachment
/// beside it) waiting for its import, outside the site.
pub fn stage(wb: &Workbench, req: &mut Request) -> Response {
    attempt!(wb.guard.change(req, None));
    let q = req.query();
    let cfg = attempt!(wb.config());
    let dir = attempt!(batch_dir(wb, q.one("batch").unwrap_or("")));
    let name = attempt!(
        paths::file_name(q.one("name").unwrap_or("")).map_err(|m| Response::text(400, &m))
    );
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return Response::text(500, &crate::diag::io_message(&e));
    }
    let dest = dir.join(&name);
    let _ = std::fs::remove_file(&dest);
    let size = attempt!(receive(req, &dest, cfg.workbench.max_upload_mb << 20));
    Response::json(
        200,
        &json!({ "ok": true, "message": format!("{name}（{}）", http::size(size)) }),
    )
}

/// POST `import` (`batch`, `kind`, `folder`): imports every Word file of the batch as
/// `gongkai import` does, with the files beside them as their attachments.
pub fn import(wb: &Workbench, req: &mut Request) -> Response {
    let f = attempt!(wb.posted_form(req));
    let cfg = attempt!(wb.config());
    let dir = attempt!(batch_dir(wb, f.one("batch").unwrap_or("")));
    let today = wb.today(&cfg);
    let kind = f
        .one("kind")
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string);
    if let Err(e) = crate::cmd::import::check_choices(&cfg, kind.as_deref(), None) {
        return Response::json(400, &json!({ "ok": false, "message": format!("{e:#}") }));
    }
    let to = match f.one("folder").map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(attempt!(paths::folder(wb.root(), t).map_err(|m| {
            Response::json(400, &json!({ "ok": false, "message": m }))
        }))),
        None => None,
    };
    let mut docx: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
                })
                .collect()
        })
        .unwrap_or_default();
    docx.sort();
    if docx.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
        return Response::json(
            400,
            &json!({ "ok": false, "message": "没有 .docx 文件可导入：请放入 Word 公文（.docx）；.doc、.wps 请先在 Word 或 WPS 中另存为 .docx" }),
        );
    }
    let requests: Vec<crate::import::batch::Request> = docx
        .iter()
        .map(|d| crate::import::batch::Request {
            docx: d.clone(),
            rel: None,
        })
        .collect();
    let choices = crate::import::header::Choices {
        kind,
        item: None,
        use_print_date: false,
    };
    let (placed, mut errors) =
        crate::import::batch::place(wb.root(), to.as_deref(), &requests, today);
    let written = {
        let _held = wb.saving.lock();
        crate::import::batch::write_all(wb.root(), &cfg, placed, &choices, today)
    };
    let _ = std::fs::remove_dir_all(&dir);
    let (written, more) = match written {
        Ok(w) => w,
        Err(e) => return Response::json(500, &json!({ "ok": false, "message": format!("{e:#}") })),
    };
    errors.extend(more);
    let mut created = Vec::new();
    for w in &written {
        let mut notes = vec![format!(
            "已从 {} 导入（索引号 {}，草稿）：{}",
            w.imported
                .source
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            w.index_no,
            crate::cmd::import::summary(&w.imported)
        )];
        notes.extend(w.imported.notes.iter().cloned());
        notes.extend(w.imported.missing.iter().map(|m| {
            format!("附件说明中的“{m}”没有和公文一起放进来：请在下面的“附件”中上传它 (an attachment named in the 公文 was not dropped with it)")
        }));
        if let Ok(mut n) = wb.notes.lock() {
            n.insert(w.rel.clone(), notes);
        }
        created.push(json!({ "path": w.rel.to_string_lossy(), "url": pages::edit_url(&w.rel) }));
    }
    let errors: Vec<String> = errors
        .iter()
        .map(|e| {
            let name = e
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            format!("{name}：{}", e.message)
        })
        .collect();
    Response::json(
        200,
        &json!({ "ok": errors.is_empty(), "created": created, "errors": errors }),
    )
}
