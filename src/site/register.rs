//! The register of 法规文件 (SPEC §3.6): which 行政法规, 规章 and 行政规范性文件 are in force on the
//! build date, and which have been repealed or have expired.
//!
//! Hebei's rules ask that the results of cleaning normative documents be published "以目录形式";
//! editors used to keep that list in a spreadsheet. Here it is computed from each document's own
//! dates ([`lifecycle`](super::lifecycle)), so it is never out of step with the pages. This module
//! only decides membership and order; `render::register` turns it into pages and open data.
//! It also checks that replacement links (`replaces` / `replaced_by`) do not form a cycle.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::diag::{Code, Diagnostic};
use crate::document::{Document, Public};
use crate::labels::ITEM_20_1_KINDS;
use crate::meta::Validity;

use super::{ByDoc, DocId, Lifecycle, Relations};

/// The two registers, as documents of `Site::docs`.
#[derive(Debug, Clone, Default)]
pub struct Register {
    /// 现行有效: in force, not yet in force, or amended (in force as amended), grouped by kind
    /// (行政法规, 规章, 行政规范性文件) and newest 施行日期 first within a kind.
    pub current: Vec<DocId>,
    /// 已废止、失效: ended on or before the build date, most recently ended first.
    pub ended: Vec<DocId>,
}

/// True for the kinds the register covers (the 法规文件 column, 条例 第二十条第（一）项).
pub fn is_register_kind(kind: &str) -> bool {
    ITEM_20_1_KINDS.contains(&kind)
}

/// Sorts the register kinds' documents by their status on the build date. A document whose
/// status is neither stated nor computable is in neither list (P03 already asks for it).
pub fn build(docs: &ByDoc<Public<Document>>, lifecycles: &ByDoc<Lifecycle>) -> Register {
    let kind_rank = |d: &Document| {
        ITEM_20_1_KINDS
            .iter()
            .position(|k| *k == d.kind)
            .unwrap_or(usize::MAX)
    };
    let mut current: Vec<DocId> = Vec::new();
    let mut ended: Vec<DocId> = Vec::new();
    for (i, d) in docs.enumerate() {
        let l = &lifecycles[i];
        if !is_register_kind(&d.kind) {
            continue;
        }
        match l.validity {
            Some(Validity::InForce | Validity::NotYetEffective | Validity::Amended) => {
                current.push(i)
            }
            Some(Validity::Expired | Validity::Repealed) => ended.push(i),
            None => {}
        }
    }
    let start = |i: DocId| -> Option<NaiveDate> { super::lifecycle::start_date(&docs[i]) };
    // Stable sorts over ascending indices: ties keep the catalogue order (newest first).
    current.sort_by(|&a, &b| {
        kind_rank(&docs[a])
            .cmp(&kind_rank(&docs[b]))
            .then_with(|| start(b).cmp(&start(a)))
    });
    ended.sort_by(|&a, &b| lifecycles[b].ended_on.cmp(&lifecycles[a].ended_on));
    Register { current, ended }
}

/// Replacement links must not loop (A replaced by B replaced by A): such a history has no
/// current version. Each cycle is reported once, on the file of its first document.
pub fn check_cycles(
    docs: &ByDoc<Public<Document>>,
    relations: &ByDoc<Relations>,
) -> Vec<Diagnostic> {
    let next: Vec<Vec<usize>> = relations
        .iter()
        .map(|r| r.replaced_by.iter().map(|j| j.index()).collect())
        .collect();
    find_cycles(&next)
        .into_iter()
        .map(|cycle| {
            let cycle: Vec<DocId> = cycle.into_iter().map(DocId::from_index).collect();
            let chain: Vec<String> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&i| format!("“{}”", docs[i].title))
                .collect();
            let first = cycle
                .iter()
                .copied()
                .min_by(|&a, &b| docs[a].path.cmp(&docs[b].path))
                .unwrap_or(cycle[0]);
            Diagnostic::new(Code::E008,
                docs[first].path.clone(),
                format!(
                    "替代关系形成循环：{}（每份文件都被另一份替代，找不到现行文本）",
                    chain.join(" → 被替代为 → ")
                ),
            )
            .field("replaced_by")
            .help("检查这些文件的 replaces 和 replaced_by：新文件写 replaces 指向旧文件，旧文件写 replaced_by 指向新文件")
        })
        .collect()
}

/// Cycles of the graph `i → next[i]`, each once (as the path from its smallest member).
fn find_cycles(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut cycles = Vec::new();
    let mut in_cycle: BTreeSet<usize> = BTreeSet::new();
    for start in 0..next.len() {
        if in_cycle.contains(&start) {
            continue;
        }
        // Depth-first walk from `start`, keeping the current path and each node's next edge.
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        let mut seen: BTreeSet<usize> = BTreeSet::from([start]);
        while let Some((top, k)) = path.last_mut() {
            let Some(&j) = next.get(*top).and_then(|n| n.get(*k)) else {
                path.pop();
                continue;
            };
            *k += 1;
            if j == start {
                let cycle: Vec<usize> = path.iter().map(|(i, _)| *i).collect();
                in_cycle.extend(cycle.iter().copied());
                cycles.push(cycle);
                break;
            }
            if j < next.len() && j > start && seen.insert(j) {
                path.push((j, 0));
            }
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_replacement_cycle_once() {
        assert_eq!(
            find_cycles(&[vec![1], vec![2], vec![0]]),
            vec![vec![0, 1, 2]]
        );
        assert_eq!(find_cycles(&[vec![0]]), vec![vec![0]]);
    }

    #[test]
    fn accepts_chains_and_shared_successors() {
        assert!(find_cycles(&[vec![1], vec![2], vec![]]).is_empty());
        assert!(find_cycles(&[vec![2], vec![2], vec![]]).is_empty());
    }

    #[test]
    fn finds_a_cycle_that_does_not_contain_the_first_document() {
        assert_eq!(find_cycles(&[vec![1], vec![2], vec![1]]), vec![vec![1, 2]]);
    }
}
