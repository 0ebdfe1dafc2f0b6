//! The whole catalogue as open data: `catalogue.json` and `catalogue.csv` (第十二条 目录:
//! 索引、名称、内容概述、生成日期, plus the 信息索引 fields). Only published documents are in
//! `Site`, so nothing withheld can appear here.

use std::borrow::Cow;

use serde::Serialize;

use crate::document::Document;

use crate::render::feeds::absolute;
use crate::site::{Lifecycle, Site};
use crate::write::OutputFile;

/// One catalogue record. Field names are the stable open-data schema (documented in the README).
#[derive(Serialize)]
struct Record<'a> {
    index_no: &'a str,
    title: &'a str,
    url: String,
    category: &'a str,
    category_sub: &'a str,
    issuer: String,
    doc_no: &'a str,
    written: String,
    published: String,
    kind: &'a str,
    items: Vec<&'a str>,
    validity: String,
    effective: String,
    expires: String,
    repealed: String,
    summary: &'a str,
}

fn record<'a>(site: &'a Site, d: &'a Document, l: &Lifecycle) -> Record<'a> {
    Record {
        index_no: d.index_no().as_str(),
        title: &d.title,
        url: absolute(site, d.page_path()),
        category: d.category.as_deref().unwrap_or(""),
        category_sub: d.category_sub.as_deref().unwrap_or(""),
        issuer: d.issuer_text(),
        doc_no: d.doc_no_text().unwrap_or(""),
        written: d.written.map(|x| x.to_string()).unwrap_or_default(),
        published: d.published.map(|p| p.date.to_string()).unwrap_or_default(),
        kind: &d.kind,
        items: d.items.iter().map(|i| i.code()).collect(),
        validity: l.validity.map(|v| v.to_string()).unwrap_or_default(),
        effective: d.effective.map(|x| x.to_string()).unwrap_or_default(),
        expires: l.expires.map(|x| x.to_string()).unwrap_or_default(),
        repealed: d.repealed.map(|x| x.to_string()).unwrap_or_default(),
        summary: d.summary.as_deref().unwrap_or(""),
    }
}

/// Every published document's record, made one at a time as it is written (100,000 records
/// held at once would cost ~55 MB beside the two files).
fn records(site: &Site) -> impl Iterator<Item = Record<'_>> {
    site.docs
        .iter()
        .zip(&site.lifecycles)
        .map(move |(d, l)| record(site, d, l))
}

/// Serialises as the list of every record.
struct Records<'a>(&'a Site);

impl Serialize for Records<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(records(self.0))
    }
}

/// `catalogue.json` and `catalogue.csv`.
pub fn catalogue(site: &Site) -> anyhow::Result<Vec<OutputFile>> {
    #[derive(Serialize)]
    struct Doc<'a> {
        site: &'a str,
        generated: String,
        count: usize,
        documents: Records<'a>,
    }
    let json = serde_json::to_vec_pretty(&Doc {
        site: &site.config.site_name,
        generated: site.today.to_string(),
        count: site.docs.len(),
        documents: Records(site),
    })?;
    // UTF-8 with BOM, and no cell a spreadsheet would run as a formula (see `csv_file`).
    let csv = super::csv_file::csv_file(
        &[
            "索引号",
            "名称",
            "网址",
            "主题分类",
            "二级分类",
            "发布机构",
            "文件编号",
            "成文日期",
            "发布日期",
            "文种",
            "条例事项",
            "有效性",
            "施行日期",
            "有效期至",
            "废止日期",
            "内容概述",
        ],
        records(site).map(|r| {
            let items = r.items.join(" ");
            [
                r.index_no.into(),
                r.title.into(),
                Cow::Owned(r.url),
                r.category.into(),
                r.category_sub.into(),
                Cow::Owned(r.issuer),
                r.doc_no.into(),
                Cow::Owned(r.written),
                Cow::Owned(r.published),
                r.kind.into(),
                Cow::Owned(items),
                Cow::Owned(r.validity),
                Cow::Owned(r.effective),
                Cow::Owned(r.expires),
                Cow::Owned(r.repealed),
                Cow::Borrowed(r.summary),
            ]
        }),
    )?;
    Ok(vec![
        OutputFile {
            path: "catalogue.json".into(),
            bytes: json,
        },
        OutputFile {
            path: "catalogue.csv".into(),
            bytes: csv,
        },
    ])
}
