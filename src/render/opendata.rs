//! The whole catalogue as open data: `catalogue.json` and `catalogue.csv` (第十二条 目录:
//! 索引、名称、内容概述、生成日期, plus the 信息索引 fields). Only published documents are in
//! `Site`, so nothing withheld can appear here.

use serde::Serialize;

use crate::render::feeds::absolute;
use crate::site::Site;
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

fn records(site: &Site) -> Vec<Record<'_>> {
    site.docs
        .iter()
        .zip(&site.lifecycles)
        .map(|(d, l)| Record {
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
        })
        .collect()
}

/// `catalogue.json` and `catalogue.csv`.
pub fn catalogue(site: &Site) -> anyhow::Result<Vec<OutputFile>> {
    let recs = records(site);
    #[derive(Serialize)]
    struct Doc<'a> {
        site: &'a str,
        generated: String,
        count: usize,
        documents: &'a [Record<'a>],
    }
    let json = serde_json::to_vec_pretty(&Doc {
        site: &site.config.site_name,
        generated: site.today.to_string(),
        count: recs.len(),
        documents: &recs,
    })?;
    // UTF-8 with BOM, and no cell a spreadsheet would run as a formula (see `csv_file`).
    let items: Vec<String> = recs.iter().map(|r| r.items.join(" ")).collect();
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
        recs.iter().zip(&items).map(|(r, items)| {
            [
                r.index_no,
                r.title,
                &r.url,
                r.category,
                r.category_sub,
                &r.issuer,
                r.doc_no,
                &r.written,
                &r.published,
                r.kind,
                items,
                &r.validity,
                &r.effective,
                &r.expires,
                &r.repealed,
                r.summary,
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
