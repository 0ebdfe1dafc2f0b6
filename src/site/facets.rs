//! The 目录's facets (主题分类, 发布机构, 年份, 文种, 有效性): each value with its documents and
//! its short address.

use std::collections::BTreeMap;

use chrono::Datelike;

use super::{slugs, ByDoc, DocId, Facet, FacetValue, Lifecycle};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::document::{Document, Public};
use crate::labels::{self, CATALOGUE};
use crate::meta::Validity;

pub(super) fn facets(
    docs: &ByDoc<Public<Document>>,
    lifecycles: &ByDoc<Lifecycle>,
    config: &Config,
) -> (Vec<Facet>, Vec<Diagnostic>) {
    // Borrowed keys: this runs on every `serve` rebuild over every document.
    let mut category: BTreeMap<&str, Vec<DocId>> = BTreeMap::new();
    let mut issuer: BTreeMap<&str, Vec<DocId>> = BTreeMap::new();
    let mut year: BTreeMap<i32, Vec<DocId>> = BTreeMap::new();
    let mut kind: BTreeMap<&str, Vec<DocId>> = BTreeMap::new();
    let mut validity: BTreeMap<Validity, Vec<DocId>> = BTreeMap::new();
    for (i, d) in docs.enumerate() {
        if let Some(c) = &d.category {
            category.entry(c).or_default().push(i);
        }
        for is in &d.issuers {
            let v = issuer.entry(is).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
        if let Some(dt) = d.sort_date() {
            year.entry(dt.year()).or_default().push(i);
        }
        kind.entry(&d.kind).or_default().push(i);
        if let Some(v) = lifecycles[i].validity {
            validity.entry(v).or_default().push(i);
        }
    }
    let base = CATALOGUE.0;
    let codes = &config.urls.codes;
    let mut diags = Vec::new();
    let mut mk = |name: &'static str, values: Vec<(String, Vec<DocId>)>| {
        let facet_code = codes
            .get(name)
            .filter(|c| crate::config::urls::check_code(c).is_ok())
            .cloned()
            .or_else(|| slugs::built_in(name).map(str::to_string))
            .unwrap_or_else(|| slugs::initials(name));
        let names: Vec<&str> = values.iter().map(|(v, _)| v.as_str()).collect();
        let (value_codes, d) = slugs::assign(
            &names,
            &|i| vec![names[i].to_string()],
            &|i| slugs::built_in(names[i]).map(str::to_string),
            codes,
            (name, &|v: &str| match name {
                labels::FACET_CATEGORY => config.has_category(v),
                labels::FACET_ISSUER => config.issuers.iter().any(|i| i == v),
                labels::FACET_KIND => config.kinds.iter().any(|k| k == v),
                _ => true,
            }),
        );
        diags.extend(d);
        Facet {
            name,
            path: format!("{base}/{facet_code}/"),
            legacy_path: format!("{base}/{name}/"),
            values: values
                .into_iter()
                .zip(value_codes)
                .map(|((value, docs), code)| FacetValue {
                    path: format!("{base}/{facet_code}/{code}/"),
                    legacy_path: format!("{base}/{name}/{}/", url_segment(&value)),
                    value,
                    docs,
                })
                .collect(),
        }
    };
    // 主题分类 in taxonomy order; issuers in config order, then the rest; years newest first.
    let mut cats: Vec<(String, Vec<DocId>)> = Vec::new();
    for (c, _) in &config.taxonomy {
        if let Some(v) = category.remove(c.as_str()) {
            cats.push((c.clone(), v));
        }
    }
    cats.extend(category.into_iter().map(|(c, v)| (c.to_string(), v)));
    let mut iss: Vec<(String, Vec<DocId>)> = Vec::new();
    for c in &config.issuers {
        if let Some(v) = issuer.remove(c.as_str()) {
            iss.push((c.clone(), v));
        }
    }
    iss.extend(issuer.into_iter().map(|(c, v)| (c.to_string(), v)));
    let mut kinds: Vec<(String, Vec<DocId>)> = Vec::new();
    for k in &config.kinds {
        if let Some(v) = kind.remove(k.as_str()) {
            kinds.push((k.clone(), v));
        }
    }
    kinds.extend(kind.into_iter().map(|(k, v)| (k.to_string(), v)));
    let facets = vec![
        mk(labels::FACET_CATEGORY, cats),
        mk(labels::FACET_ISSUER, iss),
        mk(
            labels::FACET_YEAR,
            year.into_iter()
                .rev()
                .map(|(y, v)| (y.to_string(), v))
                .collect(),
        ),
        mk(labels::FACET_KIND, kinds),
        mk(
            labels::FACET_VALIDITY,
            Validity::ALL
                .iter()
                .filter_map(|v| validity.remove(v).map(|d| (v.to_string(), d)))
                .collect(),
        ),
    ];
    (facets, diags)
}

/// A catalogue value as the URL path segment earlier versions used (Chinese stays Chinese),
/// with only characters that would break a path or a file name replaced; kept to redirect those
/// addresses.
pub fn url_segment(value: &str) -> String {
    let s: String = value
        .chars()
        .map(|c| {
            if matches!(
                c,
                '/' | '\\' | '?' | '#' | '%' | ':' | '*' | '"' | '<' | '>' | '|'
            ) || c.is_control()
            {
                '-'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim().trim_matches('.').to_string();
    if s.is_empty() {
        "-".into()
    } else {
        s
    }
}
