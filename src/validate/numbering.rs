//! 索引号 for documents that have none, from the template and the ledger (SPEC §3.4).

use std::collections::BTreeSet;

use super::body::owned_files;
use super::{Validated, WithheldRef};
use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::document::Document;
use crate::ledger::{self};
use crate::load::SharedSource;
use crate::meta::IndexNo;

pub(super) fn assign_index_numbers(
    docs: &mut Vec<(std::sync::Arc<Document>, SharedSource)>,
    v: &mut Validated,
    config: &Config,
) {
    if !docs.iter().any(|(d, _)| d.index_no_assigned) {
        return;
    }
    let paths: BTreeSet<String> = docs
        .iter()
        .map(|(d, _)| d.path.to_string_lossy().into_owned())
        .chain(
            v.withheld
                .iter()
                .map(|w| w.path.to_string_lossy().into_owned()),
        )
        .collect();
    let seen: Vec<String> = v
        .ledger
        .entries
        .iter()
        .map(|e| e.index_no.clone())
        .chain(
            docs.iter()
                .filter(|(d, _)| !d.index_no_assigned)
                .map(|(d, _)| d.index_no.as_str().to_string()),
        )
        .chain(v.withheld.iter().filter_map(|w| w.index_no.clone()))
        .collect();
    let mut max = ledger::max_sequences(
        seen.iter().map(String::as_str),
        &config.index_no_template,
        &config.org_code,
    );
    let mut unnumbered = Vec::new();
    for (doc, src) in docs.iter_mut().filter(|(d, _)| d.index_no_assigned) {
        let doc = std::sync::Arc::make_mut(doc);
        let path = doc.path.to_string_lossy().into_owned();
        let published = doc
            .published
            .map(|p| p.date.to_string())
            .unwrap_or_default();
        let before = v.ledger.entries.clone();
        if let Some(n) = v
            .ledger
            .lookup(&path, &doc.title, &published, &|p| paths.contains(p))
        {
            if v.ledger.entries != before {
                v.ledger_changed = true;
            }
            doc.set_index_no(
                IndexNo::new(&n).expect("ledger numbers are non-empty"),
                &config.urls,
            );
            continue;
        }
        let Some(date) = doc.sort_date() else {
            v.diagnostics.push(
                Diagnostic::new(
                    Code::E010,
                    src.path.clone(),
                    "没有索引号，也没有发布日期或成文日期，无法生成索引号；该文件不会发布",
                )
                .at(2)
                .field("index_no")
                .help("填写 published（发布日期）或直接写 index_no"),
            );
            unnumbered.push(path);
            continue;
        };
        let n = ledger::next_number(&config.index_no_template, &config.org_code, date, &mut max);
        v.ledger.record(n.as_str(), &path, &doc.title, &published);
        v.ledger_changed = true;
        doc.set_index_no(n, &config.urls);
    }
    // A document without a number has no URL: it cannot be published.
    if !unnumbered.is_empty() {
        let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(docs)
            .into_iter()
            .partition(|(d, _)| unnumbered.contains(&d.path.to_string_lossy().into_owned()));
        *docs = kept;
        for (d, src) in gone {
            v.withheld.push(WithheldRef {
                path: d.path.clone(),
                index_no: None,
                doc_no: d.doc_no_text().map(str::to_owned),
                reason: "无法编号".into(),
                files: owned_files(&src),
            });
        }
    }
}
