//! 索引号 for documents that have none, from the template and the ledger (SPEC §3.4).

use std::collections::BTreeSet;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::body::owned_files;
use super::{Validated, WithheldRef};
use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::document::{Document, IndexNoOrigin, Numbered, PendingIndexNo};
use crate::ledger::{self};
use crate::load::SharedSource;
use crate::meta::IndexNo;

/// Numbers every pending document: a written 索引号 is kept; otherwise the ledger's entry
/// for the file, or a new number from the template (recorded in the ledger). A document that
/// cannot be numbered (no date to number it by) is withheld with E010: it has no address.
///
/// `cache` (kept by `serve`) holds numbered documents by source hash and number, so an
/// unchanged document is not copied again on each rebuild.
pub(super) fn assign_index_numbers(
    pending: Vec<(Arc<Document<PendingIndexNo>>, SharedSource)>,
    v: &mut Validated,
    config: &Config,
    cache: &mut FxHashMap<u64, Arc<Document>>,
    serving: bool,
) -> Vec<(Arc<Document>, SharedSource)> {
    let numbers = numbers(&pending, v, config);
    let mut docs = Vec::with_capacity(pending.len());
    let mut keys = Vec::with_capacity(pending.len());
    for ((doc, src), number) in pending.into_iter().zip(numbers) {
        let Some(number) = number else {
            v.withheld.push(WithheldRef {
                path: doc.path.clone(),
                index_no: None,
                doc_no: doc.doc_no_text().map(str::to_owned),
                reason: "无法编号".into(),
                files: owned_files(&src),
            });
            continue;
        };
        let key = super::hash_of(&(src.hash, &number));
        keys.push(key);
        let numbered = match cache.get(&key) {
            Some(d) => d.clone(),
            None => {
                let d = Arc::new(Arc::unwrap_or_clone(doc).numbered(number));
                if serving {
                    cache.insert(key, d.clone());
                }
                d
            }
        };
        docs.push((numbered, src));
    }
    super::prune(cache, keys.into_iter());
    docs
}

/// Each pending document's number, or `None` (with E010) where none can be given.
fn numbers(
    docs: &[(Arc<Document<PendingIndexNo>>, SharedSource)],
    v: &mut Validated,
    config: &Config,
) -> Vec<Option<Numbered>> {
    let written = |d: &Document<PendingIndexNo>| match &d.number {
        PendingIndexNo::Written(n) => Some(n.clone()),
        PendingIndexNo::ToAssign => None,
    };
    if docs.iter().all(|(d, _)| written(d).is_some()) {
        return docs
            .iter()
            .map(|(d, _)| {
                written(d).map(|n| Numbered::new(n, IndexNoOrigin::Written, &config.urls))
            })
            .collect();
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
                .filter_map(|(d, _)| written(d))
                .map(|n| n.as_str().to_string()),
        )
        .chain(v.withheld.iter().filter_map(|w| w.index_no.clone()))
        .collect();
    let mut max = ledger::max_sequences(
        seen.iter().map(String::as_str),
        &config.index_no_template,
        &config.org_code,
    );
    let mut out = Vec::with_capacity(docs.len());
    for (doc, src) in docs {
        if let Some(n) = written(doc) {
            out.push(Some(Numbered::new(n, IndexNoOrigin::Written, &config.urls)));
            continue;
        }
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
            let n = IndexNo::new(&n).expect("ledger numbers are non-empty");
            out.push(Some(Numbered::new(n, IndexNoOrigin::Ledger, &config.urls)));
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
            out.push(None);
            continue;
        };
        let n = ledger::next_number(&config.index_no_template, &config.org_code, date, &mut max);
        v.ledger.record(n.as_str(), &path, &doc.title, &published);
        v.ledger_changed = true;
        out.push(Some(Numbered::new(n, IndexNoOrigin::Ledger, &config.urls)));
    }
    out
}
