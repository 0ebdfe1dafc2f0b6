//! 有效性 at the build date (SPEC §3.6): stored status, 施行日期 in the future, and 有效期.
//!
//! The build date is an input, so a rebuild of the same content on the same date gives the same
//! pages, and tests can move the clock.

use chrono::NaiveDate;

use crate::config::ValiditySettings;
use crate::document::Document;
use crate::meta::Validity;
use crate::validate::add_years;

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

/// Computes the status of `doc` on `today`.
pub fn lifecycle(doc: &Document, today: NaiveDate, settings: &ValiditySettings) -> Lifecycle {
    let stated = doc.validity;
    let expires = doc.expires.or_else(|| {
        let normative_in_force = doc.kind == "行政规范性文件"
            && !doc.no_expiry
            && matches!(stated, Some(Validity::InForce) | None);
        let start = doc.effective.or(doc.written)?;
        normative_in_force.then(|| {
            let years = if doc.title.contains("暂行") || doc.title.contains("试行") {
                settings.provisional_years
            } else {
                settings.normative_years
            };
            add_years(start, years).pred_opt().unwrap_or(start)
        })
    });
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
            if let Some(x) = expires.filter(|x| *x < today) {
                return Lifecycle {
                    validity: Some(Validity::Expired),
                    expires,
                    ended_on: x.succ_opt(),
                    computed: true,
                };
            }
            Lifecycle {
                validity: stated,
                expires,
                ended_on: None,
                computed: false,
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
        Document {
            path: "content/a.md".into(),
            title: title.into(),
            index_no: crate::meta::IndexNo::new("1/2022-1").unwrap(),
            index_no_assigned: false,
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
            summary: None,
            keywords: vec![],
            attachments: vec![],
            source: None,
            source_url: None,
            body: Default::default(),
        }
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
    fn future_effective_date_is_not_yet_in_force() {
        let s = ValiditySettings::default();
        let x = doc("其他文件", "通知", Some(Validity::InForce));
        assert_eq!(
            lifecycle(&x, d("2020-01-15"), &s).validity,
            Some(Validity::NotYetEffective)
        );
    }
}
