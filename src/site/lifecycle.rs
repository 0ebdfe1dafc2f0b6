//! 有效性 at the build date (SPEC §3.6): stored status, 施行日期 in the future, and 有效期.
//!
//! The build date is an input, so a rebuild of the same content on the same date gives the same
//! pages, and tests can move the clock.

use chrono::NaiveDate;

use crate::config::ValiditySettings;
use crate::document::Document;
use crate::meta::date::add_years;
use crate::meta::Validity;

/// Validity as shown on the build date, and the 有效期至 in force (stated or computed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    /// Status to show; `None` when the document carries none and none can be computed.
    pub validity: Option<Validity>,
    /// 有效期至 (stated, or computed from 施行日期 for a 行政规范性文件).
    pub expires: Option<NaiveDate>,
    /// The end date, when the document has ended (废止/失效日期, or the day after 有效期至).
    pub ended_on: Option<NaiveDate>,
    /// True when the status was computed rather than written (e.g. 有效期届满 → 失效).
    pub computed: bool,
}

/// True when the title marks a provisional document (暂行, 试行): its 有效期 is shorter.
pub fn is_provisional(title: &str) -> bool {
    title.contains("暂行") || title.contains("试行")
}

/// The 有效期至 by rule, whatever the stated status: the stated `expires`, or for a
/// 行政规范性文件 without `no_expiry` the day before 施行日期 (else 成文日期) plus 5 years (2 for
/// 暂行/试行; `[validity]` in gongkai.toml). SPEC §3.6.
pub fn period_end(doc: &Document, settings: &ValiditySettings) -> Option<NaiveDate> {
    doc.expires.or_else(|| {
        if doc.kind != "行政规范性文件" || doc.no_expiry {
            return None;
        }
        let start = doc.effective.or(doc.written)?;
        let years = if is_provisional(&doc.title) {
            settings.provisional_years
        } else {
            settings.normative_years
        };
        Some(add_years(start, years).pred_opt().unwrap_or(start))
    })
}

/// The first day on which the document no longer binds: the earlier of `repealed` and the day
/// after its 有效期至. `None` when it has no end (or the end is not known).
pub fn end_date(doc: &Document, settings: &ValiditySettings) -> Option<NaiveDate> {
    let by_period = period_end(doc, settings).and_then(|x| x.succ_opt());
    match (doc.repealed, by_period) {
        (Some(r), Some(p)) => Some(r.min(p)),
        (r, p) => r.or(p),
    }
}

/// The first day the document binds: 施行日期, else 成文日期, else 发布日期.
pub fn start_date(doc: &Document) -> Option<NaiveDate> {
    doc.effective
        .or(doc.written)
        .or(doc.published.map(|p| p.date))
}

/// True when the document is in force on `day` (SPEC §4.2 现行有效件数): it has started and has
/// not ended. A document marked 失效 or 废止 without a `repealed` date is never in force (its end
/// is unknown; P11 asks for the date). 已修改 documents stay in force, as amended.
pub fn in_force_on(doc: &Document, day: NaiveDate, settings: &ValiditySettings) -> bool {
    let started = start_date(doc).is_some_and(|s| s <= day);
    let ended = end_date(doc, settings).is_some_and(|e| e <= day)
        || (doc.validity.is_some_and(Validity::is_ended) && doc.repealed.is_none());
    started && !ended
}

/// Computes the status of `doc` on `today`.
pub fn lifecycle(doc: &Document, today: NaiveDate, settings: &ValiditySettings) -> Lifecycle {
    let stated = doc.validity;
    let normative_in_force = matches!(stated, Some(Validity::InForce) | None);
    let expires = if normative_in_force {
        period_end(doc, settings)
    } else {
        doc.expires
    };
    match stated {
        Some(v @ (Validity::Expired | Validity::Repealed)) => Lifecycle {
            validity: Some(v),
            expires,
            ended_on: doc.repealed,
            computed: false,
        },
        Some(Validity::Amended) => Lifecycle {
            validity: Some(Validity::Amended),
            expires,
            ended_on: None,
            computed: false,
        },
        _ => {
            if doc.effective.is_some_and(|e| e > today) {
                return Lifecycle {
                    validity: Some(Validity::NotYetEffective),
                    expires,
                    ended_on: None,
                    computed: true,
                };
            }
            let by_period = expires.filter(|x| *x < today).and_then(|x| x.succ_opt());
            let by_repeal = doc.repealed.filter(|r| *r <= today);
            // The earlier end wins: a document whose period ran out before it was repealed
            // had already expired (有效期届满，自动失效).
            match (by_period, by_repeal) {
                (Some(p), r) if r.is_none_or(|r| p <= r) => Lifecycle {
                    validity: Some(Validity::Expired),
                    expires,
                    ended_on: Some(p),
                    computed: true,
                },
                (_, Some(r)) => Lifecycle {
                    validity: Some(Validity::Repealed),
                    expires,
                    ended_on: Some(r),
                    computed: true,
                },
                _ => Lifecycle {
                    validity: stated,
                    expires,
                    ended_on: None,
                    computed: false,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn doc(kind: &str, title: &str, validity: Option<Validity>) -> Document {
        let number = crate::document::Numbered::new(
            crate::meta::IndexNo::new("1/2022-1").unwrap(),
            crate::document::IndexNoOrigin::Written,
            &crate::config::UrlSettings::default(),
        );
        let meta = crate::document::Metadata {
            path: "content/a.md".into(),
            title: title.into(),
            category: None,
            category_sub: None,
            issuers: vec![],
            doc_no: None,
            written: Some(d("2020-01-01")),
            published: None,
            validity,
            kind: kind.into(),
            items: vec![],
            effective: Some(d("2020-02-01")),
            expires: None,
            no_expiry: false,
            repealed: None,
            replaces: vec![],
            replaced_by: vec![],
            interprets: None,
            interpretation: vec![],
            interpretation_form: None,
            report_year: None,
            summary: None,
            keywords: vec![],
            attachments: vec![],
            source: None,
            source_url: None,
            matters: Vec::new(),
            matters_line: None,
            repost: false,
            body: Default::default(),
        };
        Document { number, meta }
    }

    #[test]
    fn normative_document_expires_after_five_years() {
        let s = ValiditySettings::default();
        let x = doc("行政规范性文件", "管理办法", Some(Validity::InForce));
        assert_eq!(
            lifecycle(&x, d("2025-01-31"), &s).validity,
            Some(Validity::InForce)
        );
        let l = lifecycle(&x, d("2025-02-01"), &s);
        assert_eq!(l.expires, Some(d("2025-01-31")));
        assert_eq!(l.validity, Some(Validity::Expired));
        assert!(l.computed);
    }

    #[test]
    fn provisional_document_expires_after_two_years() {
        let s = ValiditySettings::default();
        let x = doc("行政规范性文件", "管理暂行办法", Some(Validity::InForce));
        assert_eq!(
            lifecycle(&x, d("2022-02-01"), &s).validity,
            Some(Validity::Expired)
        );
    }

    #[test]
    fn a_repeal_date_that_has_passed_ends_a_document_marked_in_force() {
        let s = ValiditySettings::default();
        let mut x = doc("规章", "管理办法", Some(Validity::InForce));
        x.repealed = Some(d("2023-03-01"));
        let before = lifecycle(&x, d("2023-02-28"), &s);
        assert_eq!(before.validity, Some(Validity::InForce));
        let l = lifecycle(&x, d("2023-03-01"), &s);
        assert_eq!(l.validity, Some(Validity::Repealed));
        assert_eq!(l.ended_on, Some(d("2023-03-01")));
    }

    #[test]
    fn end_date_is_the_earlier_of_repeal_and_period() {
        let s = ValiditySettings::default();
        let mut x = doc("行政规范性文件", "管理暂行办法", Some(Validity::Expired));
        x.repealed = Some(d("2023-06-01"));
        // 2020-02-01 + 2 years: in force through 2022-01-31, so ended on 2022-02-01.
        assert_eq!(period_end(&x, &s), Some(d("2022-01-31")));
        assert_eq!(end_date(&x, &s), Some(d("2022-02-01")));
        assert!(in_force_on(&x, d("2022-01-31"), &s));
        assert!(!in_force_on(&x, d("2022-02-01"), &s));
        assert!(!in_force_on(&x, d("2020-01-31"), &s), "not yet effective");
    }

    #[test]
    fn ended_without_a_date_is_never_in_force() {
        let s = ValiditySettings::default();
        let x = doc("规章", "办法", Some(Validity::Repealed));
        assert!(!in_force_on(&x, d("2021-01-01"), &s));
    }

    #[test]
    fn no_expiry_documents_have_no_period() {
        let s = ValiditySettings::default();
        let mut x = doc("行政规范性文件", "实施办法", Some(Validity::InForce));
        x.no_expiry = true;
        assert_eq!(period_end(&x, &s), None);
        assert!(in_force_on(&x, d("2040-01-01"), &s));
    }

    #[test]
    fn future_effective_date_is_not_yet_in_force() {
        let s = ValiditySettings::default();
        let x = doc("其他文件", "通知", Some(Validity::InForce));
        assert_eq!(
            lifecycle(&x, d("2020-01-15"), &s).validity,
            Some(Validity::NotYetEffective)
        );
    }
}
