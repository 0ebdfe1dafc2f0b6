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
/// `cache` (kept by `serve`, like the other per-document caches only while the configuration
/// is unchanged) holds numbered documents by source hash and assigned number, so an unchanged
/// document costs a lookup on each rebuild, not a copy.
pub(super) fn assign_index_numbers(
    pending: Vec<(Arc<Document<PendingIndexNo>>, SharedSource)>,
    v: &mut Validated,
    config: &Config,
    cache: &mut FxHashMap<u64, Arc<Document>>,
    serving: bool,
) -> Vec<(Arc<Document>, SharedSource)> {
    let mut assigned = assign_missing(&pending, v, config).into_iter();
    let mut docs = Vec::with_capacity(pending.len());
    let mut keys = Vec::with_capacity(pending.len());
    for (doc, src) in pending {
        let given = match &doc.number {
            PendingIndexNo::Written(n) => Given::Written(n),
            PendingIndexNo::ToAssign => match assigned.next().flatten() {
                Some(n) => Given::Ledger(n),
                None => {
                    v.withheld.push(WithheldRef {
                        path: doc.path.clone(),
                        index_no: None,
                        doc_no: doc.doc_no_text().map(str::to_owned),
                        reason: "无法编号".into(),
                        files: owned_files(&src),
                    });
                    continue;
                }
            },
        };
        // A written number is part of the source, which its hash covers.
        let key = match &given {
            Given::Written(_) => super::hash_of(&src.hash),
            Given::Ledger(n) => super::hash_of(&(src.hash, n.as_str())),
        };
        keys.push(key);
        let numbered = match cache.get(&key) {
            Some(d) => d.clone(),
            None => {
                let number = match given {
                    Given::Written(n) => {
                        Numbered::new(n.clone(), IndexNoOrigin::Written, &config.urls)
                    }
                    Given::Ledger(n) => Numbered::new(n, IndexNoOrigin::Ledger, &config.urls),
                };
                let d = Arc::new(Arc::unwrap_or_clone(doc).numbered(number));
                if serving {
                    cache.insert(key, d.clone());
                }
                d
            }
        };
        docs.push((numbered, src));
    }
    if serving {
        super::prune(cache, keys.into_iter());
    }
    docs
}

/// Where a document's number comes from.
enum Given<'a> {
    /// Its front-matter.
    Written(&'a IndexNo),
    /// The ledger (found there, or newly recorded).
    Ledger(IndexNo),
}

/// The written 索引号 of a pending document, if it has one.
fn written(d: &Document<PendingIndexNo>) -> Option<&str> {
    match &d.number {
        PendingIndexNo::Written(n) => Some(n.as_str()),
        PendingIndexNo::ToAssign => None,
    }
}

/// For each document without a written number, in order: the ledger's number for it, or a
/// new one (recorded), or `None` (with E010) when there is no date to number it by.
fn assign_missing(
    docs: &[(Arc<Document<PendingIndexNo>>, SharedSource)],
    v: &mut Validated,
    config: &Config,
) -> Vec<Option<IndexNo>> {
    if docs.iter().all(|(d, _)| written(d).is_some()) {
        return Vec::new();
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
                .filter_map(|(d, _)| written(d).map(str::to_string)),
        )
        .chain(v.withheld.iter().filter_map(|w| w.index_no.clone()))
        .collect();
    let mut max = ledger::max_sequences(
        seen.iter().map(String::as_str),
        &config.index_no_template,
        &config.org_code,
    );
    let mut out = Vec::new();
    for (doc, src) in docs.iter().filter(|(d, _)| written(d).is_none()) {
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
            out.push(Some(n));
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
        out.push(Some(n));
    }
    out
}
