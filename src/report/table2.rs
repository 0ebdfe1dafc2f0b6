//! Table 2 of the annual report, first block (SPEC §4.2): 规章 and 行政规范性文件 issued,
//! repealed and in force, computed from the documents' own dates.
//!
//! Only metadata is used, never the build date, so the table for a past year can be rebuilt at
//! any time and gives the same numbers after later documents are added. The dates come from
//! [`lifecycle`](crate::site::lifecycle): 施行日期, 有效期 (stated or by rule, SPEC §3.6) and
//! 废止日期.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::config::ValiditySettings;
use crate::diag::{Code, Diagnostic};
use crate::document::{Document, Public};
use crate::site::lifecycle::{end_date, in_force_on};

use super::JointRule;

/// One row of table 2's first block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    /// 本年制发件数: 成文日期 in the year (发布日期 when 成文日期 is missing).
    pub issued: u64,
    /// 本年废止件数: ended in the year, by 废止日期 or by the end of the 有效期.
    pub repealed: u64,
    /// 现行有效件数: in force on 31 December.
    pub in_force: u64,
}

/// The first block of table 2 (第二十条第（一）项).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Regulations {
    /// 规章 (a1, a2, a3).
    pub rules: KindCounts,
    /// 行政规范性文件 (b1, b2, b3).
    pub normative: KindCounts,
}

/// True when `doc` counts for `issuer` (SPEC §4.2: joint documents count for the body in first
/// position, the one that numbered the 文号, unless the rule is [`JointRule::All`]).
pub fn counts_for(doc: &Document, issuer: &str, joint: JointRule) -> bool {
    match joint {
        JointRule::First => doc.issuers.first().is_some_and(|i| i == issuer),
        JointRule::All => doc.issuers.iter().any(|i| i == issuer),
    }
}

/// Counts table 2's first block for `year` and `issuer`. Findings: a document counted by its
/// 发布日期 because it has no 成文日期 (P03, as a warning of the fallback), and a document
/// marked 失效/废止 without a 废止日期, which cannot be placed in any year (P11).
pub fn count(
    docs: &[Public<Document>],
    year: i32,
    issuer: &str,
    joint: JointRule,
    settings: &ValiditySettings,
) -> (Regulations, Vec<Diagnostic>) {
    let mut out = Regulations::default();
    let mut diags = Vec::new();
    let Some(dec31) = NaiveDate::from_ymd_opt(year, 12, 31) else {
        return (out, diags);
    };
    for d in docs.iter().filter(|d| counts_for(d, issuer, joint)) {
        let row = match d.kind.as_str() {
            "规章" => &mut out.rules,
            "行政规范性文件" => &mut out.normative,
            _ => continue,
        };
        let made = match (d.written, d.published) {
            (Some(w), _) => Some(w),
            (None, Some(p)) => {
                if p.date.year() == year {
                    diags.push(
                        Diagnostic::new(
                            Code::P03,
                            d.path.clone(),
                            format!(
                                "没有成文日期，{year} 年年报按发布日期 {} 统计“本年制发件数”",
                                p.date
                            ),
                        )
                        .field("written")
                        .help("填写 written（成文日期），年报按成文日期统计"),
                    );
                }
                Some(p.date)
            }
            (None, None) => None,
        };
        if made.is_some_and(|m| m.year() == year) {
            row.issued += 1;
        }
        if d.validity.is_some_and(|v| v.is_ended()) && d.repealed.is_none() {
            diags.push(
                Diagnostic::new(Code::P11,
                    d.path.clone(),
                    format!(
                        "标注为“{}”但没有废止日期，{year} 年年报无法判断它在哪一年废止、年底是否有效",
                        d.validity.map(|v| v.to_string()).unwrap_or_default()
                    ),
                )
                .field("repealed")
                .help("填写 repealed（废止/失效日期），如 repealed: \"2023-06-30\""),
            );
            continue;
        }
        if end_date(d, settings).is_some_and(|e| e.year() == year) {
            row.repealed += 1;
        }
        if in_force_on(d, dec31, settings) {
            row.in_force += 1;
        }
    }
    (out, diags)
}
