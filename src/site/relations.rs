//! Links between documents (解读, replacements), resolved both ways by 索引号 or 文号.

use super::{ByDoc, DocId};
use crate::document::{Document, Public};

/// Links of a document to others, computed both ways.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    /// 相关解读: 政策解读 documents that explain this one.
    pub interpretations: Vec<DocId>,
    /// 解读对象: the policy a 政策解读 explains.
    pub interprets: Option<DocId>,
    /// Documents this one replaces.
    pub replaces: Vec<DocId>,
    /// Documents that replace this one.
    pub replaced_by: Vec<DocId>,
}

/// Resolves 解读 and replacement links both ways, by 索引号 or 文号.
pub(super) fn relate(docs: &ByDoc<Public<Document>>) -> ByDoc<Relations> {
    let mut by_id: rustc_hash::FxHashMap<&str, DocId> = Default::default();
    for (i, d) in docs.enumerate() {
        by_id.entry(d.index_no().as_str()).or_insert(i);
        if let Some(n) = &d.doc_no {
            by_id.entry(n.as_str()).or_insert(i);
        }
    }
    let mut rel = docs.map(|_| Relations::default());
    let push = |v: &mut Vec<DocId>, i: DocId| {
        if !v.contains(&i) {
            v.push(i);
        }
    };
    for (i, d) in docs.enumerate() {
        if let Some(&p) = d.interprets.as_deref().and_then(|r| by_id.get(r)) {
            if p != i {
                rel[i].interprets = Some(p);
                push(&mut rel[p].interpretations, i);
            }
        }
        for r in &d.interpretation {
            if let Some(&j) = by_id.get(r.as_str()) {
                if j != i {
                    push(&mut rel[i].interpretations, j);
                }
            }
        }
        for r in &d.replaces {
            if let Some(&j) = by_id.get(r.as_str()).filter(|&&j| j != i) {
                push(&mut rel[i].replaces, j);
                push(&mut rel[j].replaced_by, i);
            }
        }
        for r in &d.replaced_by {
            if let Some(&j) = by_id.get(r.as_str()).filter(|&&j| j != i) {
                push(&mut rel[i].replaced_by, j);
                push(&mut rel[j].replaces, i);
            }
        }
    }
    for r in rel.iter_mut() {
        r.interpretations.sort_unstable();
        r.replaces.sort_unstable();
        r.replaced_by.sort_unstable();
    }
    rel
}
