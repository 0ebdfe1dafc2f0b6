//! The 政府信息公开工作年度报告 (条例 第四十九、五十条; SPEC §4), computed.
//!
//! `(published documents, &Config, year, annual/YEAR.toml) → AnnualReport`. Table 2's first
//! block comes from the documents' dates ([`table2`]); everything else comes from the year's
//! data file ([`annual`]), checked against the sums of the official form. [`render`] turns a
//! report into Markdown, JSON or the view the `report.html` template shows. Both `gongkai
//! report` and the 年报 pages of the site use [`compute`], so they always agree.
//!
//! Reading `annual/YEAR.toml` is the one disk access here ([`annual::read`]); it belongs to this
//! stage because only the report uses the file.

pub mod annual;
pub mod catalogue;
pub mod format;
pub mod table2;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::document::{Document, Public};
use crate::site::Site;
pub use annual::AnnualData;
pub use table2::{KindCounts, Regulations};

/// How a joint document (`issuer: "甲、乙"`) counts in table 2 (SPEC §4.2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JointRule {
    /// Only for the body in first position (the one that numbered the 文号). The default.
    #[default]
    First,
    /// For every joint issuer.
    All,
}

/// A complete annual report: every number of tables 2–4 and the narrative.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualReport {
    /// Report year.
    pub year: i32,
    /// The body whose 规章 and 行政规范性文件 were counted.
    pub issuer: String,
    /// How joint documents were counted.
    pub joint_issuers: JointRule,
    /// Table 2, first block (computed).
    pub regulations: Regulations,
    /// Table 2, the rest, and tables 3–4 and the narrative (from `annual/YEAR.toml`).
    #[serde(skip)]
    pub data: AnnualData,
}

/// Options a caller may override (`gongkai report --issuer`).
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Reporting body; default: `issuer` in the data file, else the site's organisation.
    pub issuer: Option<String>,
    /// Joint-document rule; default: the data file's.
    pub joint: Option<JointRule>,
}

/// Computes the report for `data.year`. Errors (P20) when the year has not ended on `today`,
/// when no document at all is dated in the year, or when the reporting body issued nothing on
/// this site: each would print a table of zeros that looks right and is not.
pub fn compute(
    docs: &[Public<Document>],
    config: &Config,
    data: AnnualData,
    today: NaiveDate,
    opts: &ReportOptions,
) -> (Option<AnnualReport>, Vec<Diagnostic>) {
    let year = data.year;
    let file = annual::file_for(year);
    let mut diags = Vec::new();
    let issuer = opts
        .issuer
        .clone()
        .or_else(|| data.issuer.clone())
        .unwrap_or_else(|| config.org_name.clone());
    let joint = opts.joint.unwrap_or(data.joint);
    if NaiveDate::from_ymd_opt(year, 12, 31).is_none_or(|d| d >= today) {
        diags.push(
            Diagnostic::new(
                Code::P20,
                file.clone(),
                format!("{year} 年尚未结束（构建日期 {today}），不能生成该年度的年报"),
            )
            .help("年报统计期限为全年；次年再生成，或用 --today 指定日期"),
        );
        return (None, diags);
    }
    let dated_in_year = docs.iter().any(|d| {
        d.written.map(|w| w.year()) == Some(year)
            || d.published.map(|p| p.date.year()) == Some(year)
    });
    if !dated_in_year {
        diags.push(
            Diagnostic::new(
                Code::P20,
                file.clone(),
                format!("站点中没有任何成文或发布于 {year} 年的文件，无法生成该年度的年报"),
            )
            .help("检查报告年度是否写错，或先把该年度的文件加入 content/"),
        );
        return (None, diags);
    }
    if !docs.iter().any(|d| d.issuers.contains(&issuer)) {
        let known: Vec<&str> = {
            let mut v: Vec<&str> = docs
                .iter()
                .flat_map(|d| d.issuers.iter().map(String::as_str))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let hint = crate::diag::suggest(&issuer, known.iter().copied());
        diags.push(
            Diagnostic::new(
                Code::P20,
                file.clone(),
                format!("没有任何文件的发布机构是 “{issuer}”，年报表二会全部为 0{hint}"),
            )
            .field("issuer")
            .help("在年报数据文件中写 issuer = \"…\"（与文件的发布机构一致），或用 --issuer 指定"),
        );
        return (None, diags);
    }
    let (regulations, d) = table2::count(docs, year, &issuer, joint, &config.validity);
    diags.extend(d);
    let report = AnnualReport {
        year,
        issuer,
        joint_issuers: joint,
        regulations,
        data,
    };
    (Some(report), diags)
}

/// Reports for the site's 年报 documents that carry a `report_year`, keyed by year. A missing
/// or broken `annual/YEAR.toml` is an error on the document (P20), so the build stops rather
/// than publish a report with missing numbers.
pub fn site_reports(
    annual_files: &BTreeMap<i32, Result<String, String>>,
    site: &Site,
) -> (BTreeMap<i32, AnnualReport>, Vec<Diagnostic>) {
    let mut out = BTreeMap::new();
    let mut diags = Vec::new();
    let mut years: BTreeMap<i32, PathBuf> = BTreeMap::new();
    for d in site.docs.iter() {
        if let Some(y) = d.report_year {
            diags.extend(publication_deadline(d, y, site.config.org_level));
            if let Some(other) = years.insert(y, d.path.clone()) {
                diags.push(
                    Diagnostic::new(
                        Code::P20,
                        d.path.clone(),
                        format!(
                            "{y} 年的年报已由 {} 生成，同一年度只能有一份年报",
                            other.display()
                        ),
                    )
                    .field("report_year")
                    .help("删除重复的年报，或改正 report_year"),
                );
            }
        }
    }
    for (year, path) in years {
        let data = match annual::read(annual_files, year) {
            Ok(d) => d,
            Err(ds) => {
                diags.extend(ds.into_iter().map(|mut x| {
                    if x.message.starts_with("无法读取") {
                        x.message =
                            format!("{}（{} 的 report_year 指向它）", x.message, path.display());
                    }
                    x
                }));
                continue;
            }
        };
        let (report, ds) = compute(
            site.docs.as_slice(),
            &site.config,
            data,
            site.today,
            &ReportOptions::default(),
        );
        diags.extend(ds);
        if let Some(r) = report {
            out.insert(year, r);
        }
    }
    (out, diags)
}

#[cfg(test)]
mod tests;

/// SPEC P20 / 条例 第四十九条: a department publishes its report by 31 January, a government by
/// 31 March of the following year. A late report is a warning (the report is still published).
fn publication_deadline(
    d: &crate::document::Document,
    year: i32,
    level: crate::config::OrgLevel,
) -> Option<Diagnostic> {
    let (month, label) = match level {
        crate::config::OrgLevel::Department => (1, "1 月 31 日（部门）"),
        crate::config::OrgLevel::Government => (3, "3 月 31 日（政府）"),
    };
    let deadline = chrono::NaiveDate::from_ymd_opt(year + 1, month, 31)?;
    let published = d.published?.date;
    (published > deadline).then(|| {
        Diagnostic::new(
            Code::P20,
            d.path.clone(),
            format!(
                "{year} 年年报发布于 {published}，晚于条例第四十九条规定的 {} 年{label}",
                year + 1
            ),
        )
        .help("年报应在规定日期前发布；核对发布日期，或在年报第六部分说明延迟原因")
        .at_most(crate::diag::Severity::Warn)
    })
}
