//! The register of 法规文件 as pages and open data: `现行有效文件目录`, `已废止、失效文件目录`,
//! `register.json` and `register.csv`.
//!
//! Membership and order come from [`crate::site::register`]; this module only shapes rows
//! (文件编号, 名称, 发布机构, 施行日期, 有效期至, 有效性, the end date, 解读 and the replacing
//! document) for the `register.html` template and for the open-data files.

use serde::Serialize;
use tera::Context;

use crate::labels::{REGISTER_CURRENT, REGISTER_ENDED};
use crate::render::feeds::absolute;
use crate::site::{Column, ColumnId, DocId, Site};
use crate::write::OutputFile;

use super::views::LinkView;
use super::{ColumnView, Renderer};

/// One row of a register.
#[derive(Serialize, Hash)]
struct RegisterRow {
    url: String,
    index_no: String,
    title: String,
    doc_no: String,
    issuer: String,
    kind: String,
    effective: String,
    expires: String,
    status: String,
    ended_on: String,
    interpretations: Vec<LinkView>,
    replaces: Vec<LinkView>,
    replaced_by: Vec<LinkView>,
}

fn link(site: &Site, j: DocId, base: &str) -> LinkView {
    let d = &site.docs[j];
    LinkView {
        title: d.title.clone(),
        url: format!("{base}{}", d.page_path()),
        note: d
            .interpretation_form
            .clone()
            .or_else(|| d.doc_no_text().map(str::to_owned))
            .unwrap_or_default(),
    }
}

fn row(site: &Site, i: DocId, base: &str) -> RegisterRow {
    let d = &site.docs[i];
    let l = &site.lifecycles[i];
    let r = &site.relations[i];
    let date = |x: Option<chrono::NaiveDate>| x.map(|x| x.to_string()).unwrap_or_default();
    RegisterRow {
        url: format!("{base}{}", d.page_path()),
        index_no: d.index_no().to_string(),
        title: d.title.clone(),
        doc_no: d.doc_no_text().unwrap_or_default().to_owned(),
        issuer: d.issuer_text(),
        kind: d.kind.clone(),
        effective: date(d.effective),
        expires: if d.no_expiry && l.expires.is_none() {
            "长期".into()
        } else {
            date(l.expires)
        },
        status: l.validity.map(|v| v.to_string()).unwrap_or_default(),
        ended_on: date(l.ended_on),
        interpretations: r
            .interpretations
            .iter()
            .map(|&j| link(site, j, base))
            .collect(),
        replaces: r.replaces.iter().map(|&j| link(site, j, base)).collect(),
        replaced_by: r.replaced_by.iter().map(|&j| link(site, j, base)).collect(),
    }
}

/// The register page of column `i`.
pub(super) fn page(r: &Renderer, i: ColumnId, c: &Column) -> super::Page {
    let site = r.site;
    let base = &site.config.base_path;
    let ended = c.path.ends_with(&format!("{}/", REGISTER_ENDED.0));
    let other_slug = if ended {
        REGISTER_CURRENT
    } else {
        REGISTER_ENDED
    };
    let parent = c
        .path
        .trim_end_matches('/')
        .rsplit_once('/')
        .map(|p| p.0)
        .unwrap_or("");
    let rows: Vec<RegisterRow> = c.docs.iter().map(|&j| row(site, j, base)).collect();
    // The rest of the page comes from the column, the config and the date.
    let fp = super::fingerprint(&(&rows, ended, site.today));
    let mut ctx = Context::new();
    ctx.insert("column", &ColumnView::new(c, base));
    ctx.insert("ended", &ended);
    ctx.insert("rows", &rows);
    ctx.insert(
        "other",
        &LinkView {
            title: other_slug.1.to_string(),
            url: format!("{base}{parent}/{}/", other_slug.0),
            note: String::new(),
        },
    );
    ctx.insert(
        "open_data",
        &vec![
            LinkView {
                title: "register.json".into(),
                url: format!("{base}register.json"),
                note: "JSON".into(),
            },
            LinkView {
                title: "register.csv".into(),
                url: format!("{base}register.csv"),
                note: "CSV".into(),
            },
        ],
    );
    ctx.insert("build_date", &site.today.to_string());
    let file = format!("{}index.html", c.path);
    r.page_fp(
        "register.html",
        file.clone(),
        super::fingerprint(&(&c.title, &file, i)),
        fp,
        || r.meta(&c.title, &file, Some(i)),
        || ctx,
    )
}

/// One open-data record (the schema is documented in the README).
#[derive(Serialize)]
struct Record {
    register: &'static str,
    index_no: String,
    doc_no: String,
    title: String,
    url: String,
    issuer: String,
    kind: String,
    effective: String,
    expires: String,
    status: String,
    ended_on: String,
    interpretations: Vec<String>,
    replaces: Vec<String>,
    replaced_by: Vec<String>,
}

fn records(site: &Site) -> Vec<Record> {
    let idx = |j: &DocId| site.docs[*j].index_no().to_string();
    let mk = |register: &'static str, i: DocId| {
        let r = row(site, i, "");
        let rel = &site.relations[i];
        Record {
            register,
            index_no: r.index_no,
            doc_no: r.doc_no,
            title: r.title,
            url: absolute(site, site.docs[i].page_path()),
            issuer: r.issuer,
            kind: r.kind,
            effective: r.effective,
            expires: r.expires,
            status: r.status,
            ended_on: r.ended_on,
            interpretations: rel.interpretations.iter().map(idx).collect(),
            replaces: rel.replaces.iter().map(idx).collect(),
            replaced_by: rel.replaced_by.iter().map(idx).collect(),
        }
    };
    site.register
        .current
        .iter()
        .map(|&i| mk("current", i))
        .chain(site.register.ended.iter().map(|&i| mk("ended", i)))
        .collect()
}

/// `register.json` and `register.csv` (UTF-8 with a BOM, as `catalogue.csv`).
pub fn open_data(site: &Site) -> anyhow::Result<Vec<OutputFile>> {
    let recs = records(site);
    let json = serde_json::to_vec_pretty(&serde_json::json!({
        "site": site.config.site_name,
        "as_of": site.today.to_string(),
        "current": recs.iter().filter(|r| r.register == "current").count(),
        "ended": recs.iter().filter(|r| r.register == "ended").count(),
        "documents": recs,
    }))?;
    // UTF-8 with BOM, and no cell a spreadsheet would run as a formula (see `csv_file`).
    let lists: Vec<[String; 3]> = recs
        .iter()
        .map(|r| {
            [
                r.interpretations.join(" "),
                r.replaces.join(" "),
                r.replaced_by.join(" "),
            ]
        })
        .collect();
    let csv = super::csv_file::csv_file(
        &[
            "目录",
            "索引号",
            "文件编号",
            "名称",
            "网址",
            "发布机构",
            "文种",
            "施行日期",
            "有效期至",
            "有效性",
            "失效/废止日期",
            "政策解读",
            "替代的文件",
            "被替代为",
        ],
        recs.iter().zip(&lists).map(|(r, lists)| {
            let register = if r.register == "current" {
                REGISTER_CURRENT.1
            } else {
                REGISTER_ENDED.1
            };
            [
                register,
                &r.index_no,
                &r.doc_no,
                &r.title,
                &r.url,
                &r.issuer,
                &r.kind,
                &r.effective,
                &r.expires,
                &r.status,
                &r.ended_on,
                &lists[0],
                &lists[1],
                &lists[2],
            ]
        }),
    )?;
    Ok(vec![
        OutputFile {
            path: "register.json".into(),
            bytes: json,
        },
        OutputFile {
            path: "register.csv".into(),
            bytes: csv,
        },
    ])
}

/// The dated history of a 法规文件 for its page's 文件沿革 section: when it took effect, until
/// when it runs, and when and how it ended. Empty for other kinds.
pub(super) fn history(site: &Site, i: DocId) -> Vec<String> {
    use crate::meta::Validity;
    let d = &site.docs[i];
    let l = &site.lifecycles[i];
    if !crate::site::register::is_register_kind(&d.kind) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(e) = d.effective {
        out.push(if e > site.today {
            format!("{e} 起施行（尚未生效）")
        } else {
            format!("{e} 起施行")
        });
    }
    match (l.expires, d.no_expiry) {
        (Some(x), _) if d.expires.is_some() => out.push(format!("有效期至 {x}")),
        (Some(x), _) => out.push(format!("有效期至 {x}（未标注有效期，按规定期限计算）")),
        (None, true) => out.push("为实施法律法规制定，不设有效期".into()),
        _ => {}
    }
    match (l.validity, l.ended_on) {
        (Some(Validity::Expired), Some(e)) => out.push(format!("{e} 起失效")),
        (Some(Validity::Repealed), Some(e)) => out.push(format!("{e} 起废止")),
        (Some(Validity::Amended), _) => out.push("已修改，本页不是现行文本".into()),
        _ => {}
    }
    out
}
