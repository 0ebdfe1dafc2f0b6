//! Stage 2, validate: `Vec<Source>` + `Config` → published documents, sections and findings.
//!
//! This is the only place that decides publication. A document is published only if its
//! 公开属性 is 主动公开 and it is not a draft ([`Public`]); everything else is kept as a
//! [`WithheldRef`] (its identifiers only, never its text) so that links to it can be refused.
//! Metadata is checked field by field against SPEC §3; bodies are rendered in parallel once
//! every document's URL is known, so that `other.md` links resolve.
//!
//! `serve` passes [`Caches`] from one run to the next: per-document work is reused while its
//! source is unchanged, and the checks across documents while no document's identifiers or
//! relations changed (see `identity`), so an edit costs about as much as one document.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::document::{Document, PendingIndexNo, Section};
use crate::ledger::Ledger;
use crate::load::{Loaded, SharedSource, Source, SourceKind};
use crate::markdown;

mod body;
mod cross;
mod field_ctx;
mod fields;
mod numbering;

use body::{attached_files, attachments, owned_files, render_body, LinkCtx};
use cross::{
    check_references, drop_duplicates, identity, link_versions, uniqueness, LinkMaps, Versions,
};
use fields::{document_meta, section_meta, Decision, FieldCtx};
use numbering::assign_index_numbers;

/// A published (主动公开, not draft) value. Only `validate` can make one; elsewhere this does
/// not compile:
///
/// ```compile_fail,E0423
/// let leak = gongkai::document::Public(std::sync::Arc::new("依申请公开的文件"));
/// ```
#[derive(Debug, Clone)]
pub struct Public<T>(std::sync::Arc<T>);

impl<T> Public<T> {
    /// Called only here, after the publication decision ([`fields::document_meta`]); private
    /// to this module, so no other stage can make a value public. Shared, so a rebuild in
    /// `serve` reuses unchanged documents instead of copying them.
    fn new_checked(t: std::sync::Arc<T>) -> Public<T> {
        Public(t)
    }
}

impl<T> std::ops::Deref for Public<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Identifiers of a document that must not be published (依申请公开, 不予公开, draft, unreadable).
#[derive(Debug, Clone)]
pub struct WithheldRef {
    /// Source file.
    pub path: PathBuf,
    /// 索引号, if any.
    pub index_no: Option<String>,
    /// 文号, if any.
    pub doc_no: Option<String>,
    /// Why it is withheld (for messages): `不予公开`, `草稿` …
    pub reason: String,
    /// Local files it owns: its attachments and what its body links to or embeds. They are
    /// never copied to the site, whoever links them ([`owned_files`]) — except a file a
    /// published document lists as its own attachment and this one only links to: that file
    /// is the published document's (validate drops it from here once every document is known).
    pub files: Vec<PathBuf>,
    /// Of `files`, those its `attachments` list names ([`attached_files`]): its own whoever
    /// else lists them.
    pub attached: Vec<PathBuf>,
}

/// A rendered body with its findings and the assets it uses.
pub type BodyOut = (markdown::Body, Vec<Diagnostic>, Vec<PathBuf>);

/// Work `validate` can reuse between runs of `serve`, keyed by a hash of its inputs (the
/// source hash covers the file's path and bytes).
#[derive(Debug, Default, Clone)]
pub struct Caches {
    /// Rendered bodies, by source hash and (for bodies with local links) link targets.
    pub bodies: FxHashMap<u64, BodyOut>,
    /// Findings of the per-document review scans, and a hash of each body's text (P23).
    pub scans: crate::check::review::ScanCache,
    /// Each document's fields as read, by source hash.
    pub(crate) metas: FxHashMap<u64, std::sync::Arc<Meta>>,
    /// Numbered documents, by source hash and number.
    pub(crate) numbered: FxHashMap<u64, std::sync::Arc<Document>>,
    /// Finished documents (body and attachments set), by source hash, number, body and assets.
    pub(crate) finals: FxHashMap<u64, Final>,
    /// The checks across documents, for the last set of identities.
    pub(crate) cross: Option<std::sync::Arc<Cross>>,
    /// The build date the cached work was done for (a document may come due).
    pub(crate) today: Option<NaiveDate>,
}

/// What `validate` returns.
#[derive(Debug, Default)]
pub struct Validated {
    /// Published documents, in source path order.
    pub docs: Vec<Public<Document>>,
    /// Published column pages.
    pub sections: Vec<Public<Section>>,
    /// Everything that must not be published.
    pub withheld: Vec<WithheldRef>,
    /// Assets (attachments, images) referenced by published pages, relative to the root.
    pub assets: BTreeSet<PathBuf>,
    /// The ledger after new assignments.
    pub ledger: Ledger,
    /// True if `ledger` gained entries or a rename moved one.
    pub ledger_changed: bool,
    /// Findings (severities not yet applied).
    pub diagnostics: Vec<Diagnostic>,
    /// Reusable work for the next run (filled only when a previous cache was given).
    pub caches: Caches,
}

/// Validates everything `load` produced. `today` is the build date (SPEC P04: published ≤ today).
pub fn validate(
    loaded: Loaded,
    config: &Config,
    ledger: Ledger,
    today: NaiveDate,
    existing_assets: &BTreeMap<PathBuf, u64>,
) -> Validated {
    validate_with(loaded, config, ledger, today, existing_assets, None)
}

/// [`validate`], reusing the bodies and scans of a previous run where their inputs are
/// unchanged (`serve`), and returning the caches for the next run.
pub fn validate_with(
    loaded: Loaded,
    config: &Config,
    ledger: Ledger,
    today: NaiveDate,
    existing_assets: &BTreeMap<PathBuf, u64>,
    prev: Option<Caches>,
) -> Validated {
    let root = loaded.root;
    let mut v = Validated {
        ledger,
        diagnostics: loaded.diagnostics,
        ..Default::default()
    };
    for p in &loaded.unreadable {
        v.withheld.push(WithheldRef {
            path: p.clone(),
            index_no: None,
            doc_no: None,
            reason: "无法解析".into(),
            files: Vec::new(),
            attached: Vec::new(),
        });
    }
    let mut sections: Vec<(Section, SharedSource)> = Vec::new();
    let (section_srcs, doc_srcs): (Vec<SharedSource>, Vec<SharedSource>) = loaded
        .sources
        .into_iter()
        .partition(|s| s.kind == SourceKind::Section);
    for src in section_srcs {
        let mut ctx = FieldCtx {
            src: &src,
            diags: &mut v.diagnostics,
        };
        if let Some(s) = section_meta(&mut ctx) {
            v.diagnostics.extend(crate::check::placeholders::in_section(
                &src,
                config.production,
            ));
            sections.push((s, src));
        } else {
            v.withheld.push(WithheldRef {
                path: src.path.clone(),
                index_no: None,
                doc_no: None,
                reason: "草稿".into(),
                files: owned_files(&src),
                attached: attached_files(&src),
            });
        }
    }
    // Each document's fields depend only on its own file (and the config and date, which do
    // not change between `serve` content rebuilds): read them in parallel, or reuse them.
    // Only `serve` keeps caches; a one-off build does not fill them.
    let serving = prev.is_some();
    let mut caches = prev.unwrap_or_default();
    let keep = caches.today == Some(today);
    if !keep {
        caches = Caches::default();
        caches.today = Some(today);
    }
    let metas: Vec<(std::sync::Arc<Meta>, bool)> = doc_srcs
        .par_iter()
        .map(|src| {
            if let Some(m) = caches.metas.get(&src.hash) {
                return (m.clone(), false);
            }
            let mut diags = Vec::new();
            let mut ctx = FieldCtx {
                src,
                diags: &mut diags,
            };
            let decision = document_meta(&mut ctx, config, today);
            let ident = identity(&decision, src);
            (
                std::sync::Arc::new(Meta {
                    decision,
                    diags,
                    ident,
                }),
                true,
            )
        })
        .collect();
    for (src, (m, fresh)) in doc_srcs.iter().zip(&metas) {
        if *fresh && serving {
            caches.metas.insert(src.hash, m.clone());
        }
    }
    prune(&mut caches.metas, doc_srcs.iter().map(|s| s.hash));
    // Findings an editor acknowledged in a document's `review_ok` (marked at the end).
    let acks: FxHashMap<PathBuf, (usize, crate::check::ack::Acks)> = doc_srcs
        .iter()
        .filter_map(|s| {
            let line = s.fields.get("review_ok")?.line;
            let a = crate::check::ack::parse(s, &mut v.diagnostics);
            Some((s.path.clone(), (line, a)))
        })
        .collect();
    let mut pending: Vec<(std::sync::Arc<Document<PendingIndexNo>>, SharedSource)> = Vec::new();
    // By source hash: `assign_index_numbers` may still withhold some of `pending`.
    let mut idents: FxHashMap<u64, u64> = FxHashMap::default();
    for (src, (m, _)) in doc_srcs.into_iter().zip(metas) {
        v.diagnostics.extend(m.diags.iter().cloned());
        match &m.decision {
            Decision::Publish(d) => {
                idents.insert(src.hash, m.ident);
                pending.push((d.clone(), src));
            }
            Decision::Withhold(w) => v.withheld.push(w.clone()),
        }
    }
    let mut docs = assign_index_numbers(pending, &mut v, config, &mut caches.numbered, serving);

    // The checks across documents (unique numbers, link targets, references) depend only on
    // each document's identifiers and relations: when none changed, last run's results hold.
    let assets_hash = hash_of(existing_assets);
    let universe_key = {
        // The identity covers the path; the number may have been assigned since.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (d, src) in &docs {
            (d.index_no().as_str(), idents[&src.hash]).hash(&mut h);
        }
        for w in &v.withheld {
            (&w.path, &w.index_no, &w.doc_no, &w.reason, &w.files).hash(&mut h);
            w.attached.hash(&mut h);
        }
        // A published document's attachments decide who owns a file both link to (the value
        // as written: hashing it costs no parsing on every `serve` rebuild).
        for (_, src) in &docs {
            src.fields.get("attachments").map(|f| &f.value).hash(&mut h);
        }
        (assets_hash, &config.base_path).hash(&mut h);
        h.finish()
    };
    let cross = match caches.cross.take() {
        Some(c) if c.key == universe_key => c,
        _ => {
            let (dropped, found, versions) = uniqueness(&docs, &v.withheld);
            let mut kept = docs.clone();
            let mut withheld = v.withheld.clone();
            drop_duplicates(&mut kept, &mut withheld, &dropped);
            let maps = LinkMaps::new(&kept, &withheld, existing_assets, config);
            let refs = check_references(&kept, &withheld);
            std::sync::Arc::new(Cross {
                key: universe_key,
                dropped,
                found,
                versions,
                maps,
                refs,
            })
        }
    };
    v.diagnostics.extend(cross.found.iter().cloned());
    v.diagnostics
        .extend(cross.dropped.iter().map(|dup| dup.finding.clone()));
    drop_duplicates(&mut docs, &mut v.withheld, &cross.dropped);
    // What a withheld document only links to and a published one attaches is the published
    // one's (see `LinkMaps::new`): later stages (redirects) see the same owners.
    for w in &mut v.withheld {
        w.files
            .retain(|f| cross.maps.withheld_files.contains_key(f));
    }

    // Every published URL is known now: render bodies and resolve links in parallel.
    let lc = LinkCtx {
        config,
        by_path: &cross.maps.by_path,
        withheld_paths: &cross.maps.withheld_paths,
        withheld_urls: &cross.maps.withheld_urls,
        withheld_files: &cross.maps.withheld_files,
        existing_assets,
    };
    // Bodies with local links depend on the set of URLs; the others only on their own text.
    let body_key = |src: &Source| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        src.hash.hash(&mut h);
        if src.links {
            cross.maps.universe.hash(&mut h);
        }
        h.finish()
    };
    let bodies = &caches.bodies;
    let cached = |src: &Source| -> (BodyOut, u64, bool) {
        let key = body_key(src);
        if let Some(out) = bodies.get(&key) {
            return (out.clone(), key, false);
        }
        let mut out = render_body(src, &lc);
        if !serving {
            // A one-off run renders each body again where it is read (the review below,
            // the page, the index record) rather than hold every rendering at once: that
            // would double what a large site needs (see `markdown::Body`).
            out.0.forget();
        }
        (out, key, true)
    };
    let rendered: Vec<(BodyOut, u64, bool)> = docs
        .par_iter()
        .map(|(_, src)| cached(src))
        .chain(sections.par_iter().map(|(_, src)| cached(src)))
        .collect();
    for (out, key, fresh) in &rendered {
        if *fresh && serving {
            caches.bodies.insert(*key, out.clone());
        }
    }
    prune(&mut caches.bodies, rendered.iter().map(|(_, k, _)| *k));
    let mut rendered = rendered.into_iter().map(|(out, _, _)| out);
    let mut final_keys = Vec::with_capacity(docs.len());
    for (doc, src) in docs.iter_mut() {
        let (body, diags, assets) = rendered.next().expect("one rendering per document");
        v.diagnostics.extend(diags);
        v.assets.extend(assets);
        // The finished document (body and attachments set) is reused while its parts are.
        let key = hash_of(&(
            src.hash,
            doc.index_no().as_str(),
            body.key(),
            src.fields
                .contains_key("attachments")
                .then_some(cross.maps.universe),
        ));
        final_keys.push(key);
        let hit = caches.finals.get(&key);
        let fresh = match hit {
            Some(f) => {
                *doc = f.doc.clone();
                None
            }
            None => {
                let d = std::sync::Arc::make_mut(doc);
                d.body = body;
                let (diags, assets) = attachments(d, src, &lc);
                Some(Final {
                    doc: doc.clone(),
                    diags,
                    assets,
                })
            }
        };
        let f = fresh.as_ref().or(hit).expect("a hit or a fresh document");
        v.diagnostics.extend(f.diags.iter().cloned());
        v.assets.extend(f.assets.iter().cloned());
        if let (Some(f), true) = (fresh, serving) {
            caches.finals.insert(key, f);
        }
    }
    prune(&mut caches.finals, final_keys.into_iter());
    for (s, _) in sections.iter_mut() {
        let (body, diags, assets) = rendered.next().expect("one rendering per section");
        s.body = match body.rendered() {
            Ok(r) => r,
            Err(d) => {
                v.diagnostics.push(d);
                Default::default()
            }
        };
        v.diagnostics.extend(diags);
        v.assets.extend(assets);
    }
    v.diagnostics.extend(cross.refs.iter().cloned());
    if !serving {
        caches = Caches::default();
    }
    v.diagnostics.extend(crate::check::review::review_cached(
        &mut caches.scans,
        &docs,
        config,
        &config.calendar,
    ));
    crate::check::ack::apply(&mut v.diagnostics, &acks);
    // Every link to a withheld document's file was refused above (E007); whatever happens to
    // the findings, such a file is never among the files copied to the site.
    v.assets
        .retain(|a| !cross.maps.withheld_files.contains_key(a));
    // Versions of one document replace one another (their pages list each other).
    link_versions(&mut docs, &cross.versions);
    if serving {
        caches.cross = Some(cross);
        v.caches = caches;
    }
    // Checked: a one-off run leaves each body in its file from here on, so the loaded
    // sources can be freed whole (see `markdown::Body::save`).
    let root = root.filter(|_| !serving);
    v.docs = docs
        .into_iter()
        .map(|(mut d, src)| {
            if let Some(root) = &root {
                std::sync::Arc::make_mut(&mut d)
                    .body
                    .save(crate::load::BodyFile::new(root, &src));
            }
            Public::new_checked(d)
        })
        .collect();
    v.sections = sections
        .into_iter()
        .map(|(s, _)| Public::new_checked(std::sync::Arc::new(s)))
        .collect();
    v
}

/// Per-document results that depend on its own file only (see [`Caches`]).
#[derive(Debug)]
pub(crate) struct Meta {
    decision: Decision,
    diags: Vec<Diagnostic>,
    /// Hash of what other documents' checks read of this one ([`identity`]).
    ident: u64,
}

/// A finished document (body and attachments set), with its attachment findings.
#[derive(Debug, Clone)]
pub(crate) struct Final {
    doc: std::sync::Arc<Document>,
    diags: Vec<Diagnostic>,
    assets: Vec<PathBuf>,
}

/// Results of the checks across documents, for one set of identities.
#[derive(Debug)]
pub(crate) struct Cross {
    key: u64,
    /// Documents withheld as duplicates, by source path.
    dropped: Vec<cross::Duplicate>,
    found: Vec<Diagnostic>,
    /// Versions of one document, by 索引号.
    versions: Versions,
    maps: LinkMaps,
    refs: Vec<Diagnostic>,
}

fn hash_of(x: &impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

/// Drops cache entries no longer used (only when the counts say some are).
fn prune<V>(map: &mut FxHashMap<u64, V>, live: impl Iterator<Item = u64> + Clone) {
    if map.len() == live.clone().count() {
        return;
    }
    let live: rustc_hash::FxHashSet<u64> = live.collect();
    map.retain(|k, _| live.contains(k));
}
