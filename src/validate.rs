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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_yaml::Value;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::document::{Attachment, Document, Public, Section};
use crate::labels::{self, ITEM_20_1_KINDS};
use crate::ledger::{self, Ledger};
use crate::load::{Loaded, RawField, SharedSource, Source, SourceKind};
use crate::markdown;
use crate::meta::{
    date::parse_pub_date, parse_date, Disclosure, ExemptBasis, IndexNo, Item, Validity,
};

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
}

/// A rendered body with its findings and the assets it uses.
pub type BodyOut = (
    std::sync::Arc<markdown::Rendered>,
    Vec<Diagnostic>,
    Vec<PathBuf>,
);

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

/// Kinds that are 公文 and so need a 成文日期 (SPEC §3.1).
const OFFICIAL_KINDS: &[&str] = &["行政法规", "规章", "行政规范性文件", "其他文件"];

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
            sections.push((s, src));
        } else {
            v.withheld.push(WithheldRef {
                path: src.path.clone(),
                index_no: None,
                doc_no: None,
                reason: "草稿".into(),
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
    let mut docs: Vec<(std::sync::Arc<Document>, SharedSource)> = Vec::new();
    // By source hash: `assign_index_numbers` may still withhold some of `docs`.
    let mut idents: FxHashMap<u64, u64> = FxHashMap::default();
    for (src, (m, _)) in doc_srcs.into_iter().zip(metas) {
        v.diagnostics.extend(m.diags.iter().cloned());
        match &m.decision {
            Decision::Publish(d) => {
                idents.insert(src.hash, m.ident);
                docs.push((d.clone(), src));
            }
            Decision::Withhold(w) => v.withheld.push(w.clone()),
        }
    }
    assign_index_numbers(&mut docs, &mut v, config);

    // The checks across documents (unique numbers, link targets, references) depend only on
    // each document's identifiers and relations: when none changed, last run's results hold.
    let assets_hash = hash_of(existing_assets);
    let universe_key = {
        // The identity covers the path; the number may have been assigned since.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (d, src) in &docs {
            (d.index_no.as_str(), idents[&src.hash]).hash(&mut h);
        }
        for w in &v.withheld {
            (&w.path, &w.index_no, &w.doc_no, &w.reason).hash(&mut h);
        }
        (assets_hash, &config.base_path).hash(&mut h);
        h.finish()
    };
    let cross = match caches.cross.take() {
        Some(c) if c.key == universe_key => c,
        _ => {
            let (dropped, found) = uniqueness(&docs, &v.withheld);
            let mut kept = docs.clone();
            let mut withheld = v.withheld.clone();
            drop_duplicates(&mut kept, &mut withheld, &dropped);
            let maps = LinkMaps::new(&kept, &withheld, existing_assets, config);
            let refs = check_references(&kept, &withheld);
            std::sync::Arc::new(Cross {
                key: universe_key,
                dropped,
                found,
                maps,
                refs,
            })
        }
    };
    v.diagnostics.extend(cross.found.iter().cloned());
    v.diagnostics
        .extend(cross.dropped.iter().map(|(_, d, _)| d.clone()));
    drop_duplicates(&mut docs, &mut v.withheld, &cross.dropped);

    // Every published URL is known now: render bodies and resolve links in parallel.
    let lc = LinkCtx {
        config,
        by_path: &cross.maps.by_path,
        withheld_paths: &cross.maps.withheld_paths,
        withheld_urls: &cross.maps.withheld_urls,
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
        (render_body(src, &lc), key, true)
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
            doc.index_no.as_str(),
            std::sync::Arc::as_ptr(&body) as usize,
            src.fields
                .contains_key("attachments")
                .then_some(assets_hash),
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
                let (diags, assets) = attachments(d, src, existing_assets);
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
        s.body = body;
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
    if serving {
        caches.cross = Some(cross);
        v.caches = caches;
    }
    v.docs = docs
        .into_iter()
        .map(|(d, _)| Public::new_checked(d))
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
    dropped: Vec<(usize, Diagnostic, &'static str)>,
    found: Vec<Diagnostic>,
    maps: LinkMaps,
    refs: Vec<Diagnostic>,
}

/// Where local links may point: published pages by source path, withheld sources and URLs.
#[derive(Debug)]
struct LinkMaps {
    by_path: BTreeMap<PathBuf, String>,
    withheld_paths: BTreeMap<PathBuf, String>,
    withheld_urls: BTreeSet<String>,
    /// Hash of all of the above (a body with local links depends on it).
    universe: u64,
}

impl LinkMaps {
    fn new(
        docs: &[(std::sync::Arc<Document>, SharedSource)],
        withheld: &[WithheldRef],
        existing_assets: &BTreeMap<PathBuf, u64>,
        config: &Config,
    ) -> LinkMaps {
        let by_path: BTreeMap<PathBuf, String> = docs
            .iter()
            .map(|(d, _)| (d.path.clone(), d.page_path().to_string()))
            .collect();
        let withheld_paths: BTreeMap<PathBuf, String> = withheld
            .iter()
            .map(|w| (w.path.clone(), w.reason.clone()))
            .collect();
        let withheld_urls: BTreeSet<String> = withheld
            .iter()
            .filter_map(|w| w.index_no.as_deref())
            .filter_map(IndexNo::new)
            .map(|n| n.page_path().to_string())
            .collect();
        let universe = hash_of(&(
            &by_path,
            &withheld_paths,
            &withheld_urls,
            existing_assets,
            &config.base_path,
        ));
        LinkMaps {
            by_path,
            withheld_paths,
            withheld_urls,
            universe,
        }
    }
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

/// What the checks across documents read of one document: identifiers, relations and the
/// lines they are reported at. An edit that leaves it alone cannot change their results.
fn identity(decision: &Decision, src: &Source) -> u64 {
    let Decision::Publish(d) = decision else {
        return 0;
    };
    let lines: Vec<Option<usize>> = [
        "index_no",
        "doc_no",
        "interprets",
        "replaces",
        "replaced_by",
        "interpretation",
    ]
    .iter()
    .map(|k| src.fields.get(k).map(|f| f.line))
    .collect();
    hash_of(&(
        &d.path,
        d.index_no.as_str(),
        &d.doc_no,
        d.issuers.first(),
        &d.interprets,
        &d.replaces,
        &d.replaced_by,
        &d.interpretation,
        lines,
    ))
}

#[derive(Debug, Clone)]
pub(crate) enum Decision {
    Publish(std::sync::Arc<Document>),
    Withhold(WithheldRef),
}

/// Reads fields of one source and records diagnostics with its file and lines.
struct FieldCtx<'a> {
    src: &'a Source,
    diags: &'a mut Vec<Diagnostic>,
}

impl FieldCtx<'_> {
    fn field(&self, key: &str) -> Option<&RawField> {
        self.src.fields.get(key)
    }
    fn line(&self, key: &str) -> usize {
        self.field(key).map(|f| f.line).unwrap_or(2)
    }
    fn push(&mut self, rule: &'static str, key: &str, message: String, help: impl Into<String>) {
        let d = Diagnostic::new(rule, self.src.path.clone(), message)
            .at(self.line(key))
            .field(key)
            .help(help);
        self.diags.push(d);
    }
    fn missing(&mut self, rule: &'static str, key: &str, why: &str, example: &str) {
        let label = labels::field_label(key).unwrap_or(key);
        let d = Diagnostic::new(
            rule,
            self.src.path.clone(),
            format!("缺少必填字段 {key}（{label}）{why}"),
        )
        .at(2)
        .field(key)
        .help(format!("在 front-matter 中加入一行 {key}: {example}"));
        self.diags.push(d);
    }
    /// A scalar as text. Numbers keep their written form (`20.10`).
    fn text(&mut self, key: &str) -> Option<String> {
        let f = self.field(key)?;
        match &f.value {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(_) => Some(
                f.raw_text
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string(),
            ),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                let label = labels::field_label(key).unwrap_or(key);
                self.push(
                    "E005",
                    key,
                    format!("字段 {key}（{label}）应是一个文字值，这里写成了列表或映射"),
                    format!("写成 {key}: \"…\""),
                );
                None
            }
        }
    }
    /// A scalar or a list, as a list of texts (`item: "20.1"` or `item: ["20.1", "20.7"]`).
    fn list(&mut self, key: &str) -> Vec<String> {
        let Some(f) = self.field(key) else {
            return Vec::new();
        };
        match f.value.clone() {
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for it in items {
                    match it {
                        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Value::Number(n) => out.push(n.to_string()),
                        Value::Null => {}
                        _ => {
                            self.push(
                                "E005",
                                key,
                                format!("列表 {key} 中有一项不是文字"),
                                format!("写成 {key}: [\"…\", \"…\"]"),
                            );
                        }
                    }
                }
                out
            }
            _ => self.text(key).into_iter().collect(),
        }
    }
    fn flag(&mut self, key: &str) -> bool {
        match self.field(key).map(|f| f.value.clone()) {
            None => false,
            Some(Value::Bool(b)) => b,
            Some(Value::String(s)) if matches!(s.as_str(), "true" | "是") => true,
            Some(Value::String(s)) if matches!(s.as_str(), "false" | "否") => false,
            Some(_) => {
                self.push(
                    "E005",
                    key,
                    format!("字段 {key} 应为 true 或 false"),
                    format!("写成 {key}: true"),
                );
                false
            }
        }
    }
    fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let t = self.text(key)?;
        match parse_date(&t) {
            Ok(d) => Some(d),
            Err(e) => {
                self.push("P04", key, e, "日期一律写成 YYYY-MM-DD");
                None
            }
        }
    }
}

fn section_meta(ctx: &mut FieldCtx) -> Option<Section> {
    if ctx.flag("draft") {
        return None;
    }
    if let Some(d) = ctx.text("disclosure") {
        if d.parse::<Disclosure>().ok() != Some(Disclosure::Proactive) {
            return None;
        }
    }
    let dir = ctx
        .src
        .path
        .parent()
        .and_then(|p| p.strip_prefix(crate::load::CONTENT_DIR).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let title = ctx.text("title").unwrap_or_else(|| {
        ctx.missing("P03", "title", "：栏目页需要标题", "\"政府信息公开指南\"");
        dir.clone()
    });
    let updated = ctx.date("updated");
    Some(Section {
        path: ctx.src.path.clone(),
        dir,
        title,
        updated,
        body: Default::default(),
    })
}

fn document_meta(ctx: &mut FieldCtx, config: &Config, today: NaiveDate) -> Decision {
    let path = ctx.src.path.clone();
    let index_no = ctx.text("index_no");
    let doc_no = ctx.text("doc_no");
    let withhold = |reason: &str| WithheldRef {
        path: path.clone(),
        index_no: index_no.clone(),
        doc_no: doc_no.clone(),
        reason: reason.into(),
    };

    // Publication first: nothing below may let a non-public document through.
    let draft = ctx.flag("draft");
    let disclosure = match ctx.text("disclosure") {
        None => {
            ctx.missing(
                "P01",
                "disclosure",
                "：未标明公开属性的文件不会发布",
                "\"主动公开\"",
            );
            return Decision::Withhold(withhold("未标明公开属性"));
        }
        Some(t) => match t.parse::<Disclosure>() {
            Ok(d) => d,
            Err(e) => {
                ctx.push(
                    "P01",
                    "disclosure",
                    e,
                    "公开属性在起草时确定（源头认定），只能是 主动公开、依申请公开 或 不予公开",
                );
                return Decision::Withhold(withhold("公开属性无效"));
            }
        },
    };
    if disclosure != Disclosure::Proactive {
        match ctx.text("exempt_basis") {
            None => ctx.missing("P02", "exempt_basis", &format!("：{disclosure}的文件要写明依据"), "\"third_party\"（或 secret、law_forbidden、security_stability、internal_affairs、process_info、enforcement_case）"),
            Some(t) => {
                if let Err(e) = t.parse::<ExemptBasis>() {
                    ctx.push("P02", "exempt_basis", e, "依据代码见 SPEC §1.1");
                }
            }
        }
        return Decision::Withhold(withhold(&disclosure.to_string()));
    }
    if draft {
        return Decision::Withhold(withhold("草稿"));
    }

    let title = ctx.text("title").unwrap_or_else(|| {
        ctx.missing("P03", "title", "", "\"关于……的通知\"");
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let kind = match ctx.text("kind") {
        None => {
            ctx.missing("P03", "kind", "", "\"其他文件\"（可选值见 README）");
            "其他文件".to_string()
        }
        Some(k) if config.kinds.contains(&k) => k,
        Some(k) => {
            let msg = format!(
                "“{k}” 不是已配置的文种{}",
                crate::config::suggest(&k, config.kinds.iter().map(String::as_str))
            );
            ctx.push(
                "E005",
                "kind",
                msg,
                "使用 README 列出的文种，或在 gongkai.toml 的 kinds 中加入新文种",
            );
            k
        }
    };
    let is_rule_kind = kind == "规章" || kind == "行政规范性文件";

    // 主题分类: `一级\二级` or a separate category_sub (SPEC §3.3).
    let (mut category, mut category_sub) = (ctx.text("category"), ctx.text("category_sub"));
    if let Some(c) = category.clone() {
        if let Some((top, sub)) = c.split_once(['\\', '/']) {
            category = Some(top.trim().to_string());
            category_sub = category_sub.or(Some(sub.trim().to_string()));
        }
    }
    match &category {
        None => ctx.missing(
            "P03",
            "category",
            "",
            "\"综合政务\"（22 个一级分类见 README）",
        ),
        Some(c) if !config.has_category(c) => {
            let msg = format!(
                "主题分类 “{c}” 不在分类表中{}",
                crate::config::suggest(c, config.taxonomy.iter().map(|(n, _)| n.as_str()))
            );
            ctx.push("P08", "category", msg, "使用分类表中的一级分类（见 themes/default/data/taxonomy.toml，可在 gongkai.toml 用 taxonomy 指定自己的分类表）");
        }
        Some(c) => {
            if let Some(s) = &category_sub {
                if !config.has_category_sub(c, s) {
                    let subs = config
                        .taxonomy
                        .iter()
                        .find(|(n, _)| n == c)
                        .map(|(_, s)| s.join("、"))
                        .unwrap_or_default();
                    ctx.push(
                        "P08",
                        "category_sub",
                        format!("二级分类 “{s}” 不在 “{c}” 之下；可选：{subs}"),
                        "改为所列二级分类之一，或删除 category_sub",
                    );
                }
            }
        }
    }

    let issuers: Vec<String> = match ctx.text("issuer") {
        None => {
            ctx.missing("P03", "issuer", "", &format!("\"{}\"", config.org_name));
            Vec::new()
        }
        Some(t) => t
            .split(['、', ',', '，'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    if !config.issuers.is_empty() {
        for i in &issuers {
            if !config.issuers.contains(i) {
                let msg = format!(
                    "发布机构 “{i}” 不在 gongkai.toml 的 issuers 列表中{}",
                    crate::config::suggest(i, config.issuers.iter().map(String::as_str))
                );
                ctx.push(
                    "P22",
                    "issuer",
                    msg,
                    "改用列表中的规范名称，或把该机构加入 issuers",
                );
            }
        }
    }

    if doc_no.is_none() && is_rule_kind {
        ctx.missing(
            "P03",
            "doc_no",
            &format!("：{kind}必须有文件编号"),
            "\"承市政规〔2022〕1号\"",
        );
    }
    if let Some(n) = &doc_no {
        let is_order = kind == "规章" || kind == "行政法规";
        if let Err(e) = crate::meta::doc_no::check_doc_no(n, is_order) {
            let help = e.help();
            ctx.push("P06", "doc_no", e.to_string(), help);
        }
    }

    let written = ctx.date("written");
    if written.is_none()
        && !ctx.src.fields.contains_key("written")
        && OFFICIAL_KINDS.contains(&kind.as_str())
    {
        ctx.missing("P03", "written", "：公文要有成文日期", "\"2022-06-09\"");
    }
    let published = match ctx.text("published") {
        None => {
            ctx.missing("P03", "published", "", "\"2022-06-10\"");
            None
        }
        Some(t) => match parse_pub_date(&t) {
            Ok(p) => Some(p),
            Err(e) => {
                ctx.push("P04", "published", e, "日期写成 YYYY-MM-DD，可加时间 HH:MM");
                None
            }
        },
    };
    if let Some(p) = published {
        if p.date > today {
            ctx.push(
                "P04",
                "published",
                format!(
                    "发布日期 {} 晚于构建日期 {today}：未到发布日期的文件不会发布",
                    p.date
                ),
                "到期后再构建，或改正发布日期",
            );
            return Decision::Withhold(withhold("未到发布日期"));
        }
        if let Some(w) = written {
            if w > p.date {
                ctx.push(
                    "P04",
                    "written",
                    format!("成文日期 {w} 晚于发布日期 {}", p.date),
                    "成文日期应不晚于发布日期",
                );
            }
        }
    }

    let validity = match ctx.text("validity") {
        None => {
            if is_rule_kind {
                ctx.missing(
                    "P03",
                    "validity",
                    &format!("：{kind}必须标注有效性"),
                    "\"有效\"",
                );
            }
            None
        }
        Some(t) => match t.parse::<Validity>() {
            Ok(v) => Some(v),
            Err(e) => {
                ctx.push("E005", "validity", e, "有效性写 有效、失效、废止 或 已修改");
                None
            }
        },
    };

    let mut items = Vec::new();
    for t in ctx.list("item") {
        match t.parse::<Item>() {
            Ok(i) if !items.contains(&i) => items.push(i),
            Ok(_) => {}
            Err(e) => ctx.push(
                "E005",
                "item",
                e,
                "item: \"20.1\"，多个事项写成 [\"20.1\", \"20.7\"]",
            ),
        }
    }
    if items.is_empty() && ITEM_20_1_KINDS.contains(&kind.as_str()) {
        items.push("20.1".parse().expect("20.1 is an item"));
    }
    let has_home_column = matches!(kind.as_str(), "政策解读" | "制度" | "政府信息公开年报");
    if items.is_empty() && !has_home_column {
        ctx.missing(
            "P03",
            "item",
            "：没有条例事项的文件不会出现在“法定主动公开内容”栏目中",
            "\"20.15\"（第二十条第几项，见 README）",
        );
    }

    let effective = ctx.date("effective");
    let expires = ctx.date("expires");
    let repealed = ctx.date("repealed");
    let no_expiry = ctx.flag("no_expiry");
    if let (Some(e), Some(w)) = (effective, written) {
        if e < w {
            ctx.push(
                "P04",
                "effective",
                format!("施行日期 {e} 早于成文日期 {w}"),
                "施行日期应不早于成文日期",
            );
        }
    }
    if let (Some(r), Some(e)) = (repealed, effective) {
        if r < e {
            ctx.push(
                "P04",
                "repealed",
                format!("废止日期 {r} 早于施行日期 {e}"),
                "检查两个日期",
            );
        }
    }
    if matches!(validity, Some(Validity::Expired | Validity::Repealed)) && repealed.is_none() {
        ctx.missing(
            "P11",
            "repealed",
            "：失效或废止的文件要写明废止/失效日期（年报“本年废止件数”按它统计）",
            "\"2023-12-31\"",
        );
    }
    if kind == "行政规范性文件" {
        check_normative_period(ctx, config, &title, effective, expires, no_expiry);
    }
    let interprets = ctx.text("interprets");
    if kind == "政策解读" && interprets.is_none() {
        ctx.missing(
            "P03",
            "interprets",
            "：政策解读要指明解读的文件",
            "被解读文件的索引号或文件编号",
        );
    }
    if let (Some(x), Some(e)) = (expires, effective) {
        if x < e {
            ctx.push(
                "P04",
                "expires",
                format!("有效期至 {x} 早于施行日期 {e}"),
                "检查两个日期：有效期从施行日期起算",
            );
        }
    }
    if let (Some(r), None, Some(w)) = (repealed, effective, written) {
        if r < w {
            ctx.push(
                "P04",
                "repealed",
                format!("废止日期 {r} 早于成文日期 {w}"),
                "检查两个日期",
            );
        }
    }
    let interpretation_form = ctx.text("interpretation_form");
    if let Some(f) = &interpretation_form {
        if !labels::INTERPRETATION_FORMS.contains(&f.as_str()) {
            ctx.push(
                "E005",
                "interpretation_form",
                format!(
                    "“{f}” 不是解读形式；应为 {}",
                    labels::INTERPRETATION_FORMS.join("、")
                ),
                "写 interpretation_form: \"图解\"",
            );
        } else if kind != "政策解读" {
            ctx.push(
                "E005",
                "interpretation_form",
                format!("只有政策解读才有解读形式，这份文件的文种是 {kind}"),
                "删除 interpretation_form，或把文种改为 政策解读",
            );
        }
    }
    let report_year = match ctx.text("report_year") {
        None => None,
        Some(t) => match t.parse::<i32>() {
            Ok(y) if (1990..=9999).contains(&y) && kind == "政府信息公开年报" => Some(y),
            Ok(_) if kind != "政府信息公开年报" => {
                ctx.push(
                    "E005",
                    "report_year",
                    format!("只有政府信息公开年报才有报告年度，这份文件的文种是 {kind}"),
                    "删除 report_year，或把文种改为 政府信息公开年报",
                );
                None
            }
            _ => {
                ctx.push(
                    "E005",
                    "report_year",
                    format!("报告年度 “{t}” 不是四位年份"),
                    "写 report_year: 2023",
                );
                None
            }
        },
    };
    let index_no = index_no.and_then(|n| IndexNo::new(&n));
    if let Some(n) = &index_no {
        if !config.index_no_pattern.is_match(n.as_str()) {
            ctx.push(
                "E011",
                "index_no",
                format!(
                    "索引号 “{n}” 不符合站点格式 {}",
                    config.index_no_pattern.as_str()
                ),
                "核对索引号，或在 gongkai.toml 的 organisation.index_no_pattern 中调整格式",
            );
        }
    }
    let doc = Document {
        path: path.clone(),
        title,
        index_no: index_no
            .clone()
            .unwrap_or_else(|| IndexNo::new("?").expect("non-empty")),
        index_no_assigned: index_no.is_none(),
        category,
        category_sub,
        issuers,
        doc_no,
        written,
        published,
        validity,
        kind,
        items,
        effective,
        expires,
        no_expiry,
        repealed,
        replaces: ctx.list("replaces"),
        replaced_by: ctx.list("replaced_by"),
        interprets,
        interpretation: ctx.list("interpretation"),
        interpretation_form,
        report_year,
        summary: ctx.text("summary"),
        keywords: ctx.list("keywords"),
        attachments: Vec::new(),
        source: ctx.text("source"),
        source_url: ctx.text("source_url"),
        body: Default::default(),
    };
    Decision::Publish(std::sync::Arc::new(doc))
}

/// P09 (SPEC §3.6): a 行政规范性文件 states 施行日期 and 有效期, within the configured maximum.
fn check_normative_period(
    ctx: &mut FieldCtx,
    config: &Config,
    title: &str,
    effective: Option<NaiveDate>,
    expires: Option<NaiveDate>,
    no_expiry: bool,
) {
    let provisional = title.contains("暂行") || title.contains("试行");
    let max = if provisional {
        config.validity.provisional_years
    } else {
        config.validity.normative_years
    };
    if effective.is_none() {
        ctx.missing(
            "P09",
            "effective",
            "：行政规范性文件应标注施行日期",
            "\"2022-07-01\"",
        );
    }
    if expires.is_none() && !no_expiry {
        ctx.missing(
            "P09",
            "expires",
            &format!("：行政规范性文件应标注有效期（未标注时按 {max} 年计）"),
            "\"2027-06-30\"，或为实施法律法规的文件写 no_expiry: true",
        );
    }
    if let (Some(e), Some(x)) = (effective, expires) {
        let limit = add_years(e, max);
        if x > limit {
            ctx.push(
                "P09",
                "expires",
                format!(
                    "有效期至 {x} 超过施行日期 {e} 起 {max} 年（{}的上限）",
                    if provisional {
                        "暂行、试行文件"
                    } else {
                        "行政规范性文件"
                    }
                ),
                format!("有效期至最晚为 {limit}"),
            );
        }
    }
}

/// `d` plus `years`, clamped to the last day of February when needed.
pub fn add_years(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(years * 12))
        .unwrap_or(d)
}

fn assign_index_numbers(
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
            doc.index_no = IndexNo::new(&n).expect("ledger numbers are non-empty");
            continue;
        }
        let Some(date) = doc.sort_date() else {
            v.diagnostics.push(
                Diagnostic::new(
                    "E010",
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
        doc.index_no = n;
    }
    // A document without a number has no URL: it cannot be published.
    if !unnumbered.is_empty() {
        let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(docs)
            .into_iter()
            .partition(|(d, _)| unnumbered.contains(&d.path.to_string_lossy().into_owned()));
        *docs = kept;
        for (d, _) in gone {
            v.withheld.push(WithheldRef {
                path: d.path.clone(),
                index_no: None,
                doc_no: d.doc_no.clone(),
                reason: "无法编号".into(),
            });
        }
    }
}

/// P07: 索引号 unique site-wide (published and withheld), page paths distinct, 文号 unique per
/// issuer. A duplicate is withheld, so two documents never share one URL.
#[allow(clippy::type_complexity)]
fn uniqueness(
    docs: &[(std::sync::Arc<Document>, SharedSource)],
    withheld: &[WithheldRef],
) -> (Vec<(usize, Diagnostic, &'static str)>, Vec<Diagnostic>) {
    // Borrowed keys and indices only: this runs on every `serve` rebuild over every document.
    let mut first: HashMap<&str, &Path> = HashMap::with_capacity(docs.len() + withheld.len());
    for w in withheld {
        if let Some(n) = &w.index_no {
            first.entry(n.as_str()).or_insert(w.path.as_path());
        }
    }
    let pages: Vec<&str> = docs.iter().map(|(d, _)| d.page_path()).collect();
    let mut seen_pages: HashMap<&str, &Path> = HashMap::with_capacity(docs.len());
    let mut doc_nos: HashMap<(&str, &str), &Path> = HashMap::new();
    let mut dropped: Vec<(usize, Diagnostic, &'static str)> = Vec::new();
    let mut found = Vec::new();
    for (i, (doc, src)) in docs.iter().enumerate() {
        let line = src.fields.get("index_no").map(|f| f.line).unwrap_or(2);
        let key = doc.index_no.as_str();
        if let Some(other) = first.get(key) {
            let d = Diagnostic::new(
                "P07",
                doc.path.clone(),
                format!("索引号 “{key}” 与 {} 重复", other.display()),
            )
            .at(line)
            .field("index_no")
            .help("索引号全站唯一且一经分配不再变更：改正其中一个文件的索引号");
            dropped.push((i, d, "索引号重复"));
            continue;
        }
        first.insert(key, doc.path.as_path());
        if let Some(other) = seen_pages.get(pages[i]) {
            let d = Diagnostic::new(
                "P07",
                doc.path.clone(),
                format!(
                    "索引号 “{key}” 与 {} 的索引号生成同一网址 {}",
                    other.display(),
                    pages[i]
                ),
            )
            .at(line)
            .field("index_no")
            .help("两个索引号只差标点或空格时会生成同一网址，请改正其一");
            dropped.push((i, d, "网址冲突"));
            continue;
        }
        seen_pages.insert(pages[i], doc.path.as_path());
        if let (Some(n), Some(issuer)) = (&doc.doc_no, doc.issuers.first()) {
            if let Some(other) = doc_nos.get(&(issuer.as_str(), n.as_str())) {
                let l = src.fields.get("doc_no").map(|f| f.line).unwrap_or(2);
                found.push(
                    Diagnostic::new(
                        "P07",
                        doc.path.clone(),
                        format!("{issuer} 的文件编号 “{n}” 与 {} 重复", other.display()),
                    )
                    .at(l)
                    .field("doc_no")
                    .help("同一机关的文件编号不能重复；核对文号或确认是否重复录入"),
                );
            } else {
                doc_nos.insert((issuer.as_str(), n.as_str()), doc.path.as_path());
            }
        }
    }
    (dropped, found)
}

/// Withholds the documents `uniqueness` found to duplicate another's number or URL.
fn drop_duplicates(
    docs: &mut Vec<(std::sync::Arc<Document>, SharedSource)>,
    withheld: &mut Vec<WithheldRef>,
    dropped: &[(usize, Diagnostic, &'static str)],
) {
    if dropped.is_empty() {
        return;
    }
    let mut gone = vec![false; docs.len()];
    for (i, _, reason) in dropped {
        gone[*i] = true;
        withheld.push(WithheldRef {
            path: docs[*i].0.path.clone(),
            index_no: None,
            doc_no: None,
            reason: (*reason).into(),
        });
    }
    let mut i = 0;
    docs.retain(|_| {
        i += 1;
        !gone[i - 1]
    });
}

struct LinkCtx<'a> {
    config: &'a Config,
    by_path: &'a BTreeMap<PathBuf, String>,
    withheld_paths: &'a BTreeMap<PathBuf, String>,
    withheld_urls: &'a BTreeSet<String>,
    existing_assets: &'a BTreeMap<PathBuf, u64>,
}

/// Renders a body; checks its links (E007/E008) and images (P19); returns assets it uses.
fn render_body(src: &Source, lc: &LinkCtx) -> BodyOut {
    let dir = src.path.parent().unwrap_or(Path::new(""));
    let base = &lc.config.base_path;
    let resolve = |dest: &str| -> Option<String> {
        let target = local_target(dir, dest)?;
        if let Some(url) = lc.by_path.get(&target) {
            return Some(format!("{base}{url}{}", fragment(dest)));
        }
        if lc.existing_assets.contains_key(&target) {
            let rel = target
                .strip_prefix(crate::load::CONTENT_DIR)
                .unwrap_or(&target);
            // A URL: `/` between folders on every platform (Windows paths use `\`).
            return Some(format!(
                "{base}{}",
                rel.to_string_lossy().replace('\\', "/")
            ));
        }
        None
    };
    let body = markdown::render(&src.body, &resolve);
    let mut diags = Vec::new();
    let mut assets = Vec::new();
    for link in &body.links {
        let line = src.body_line + link.line - 1;
        if link.is_image && link.text.trim().is_empty() {
            diags.push(
                Diagnostic::new(
                    "P19",
                    src.path.clone(),
                    format!("图片 {} 没有替代文字", link.dest),
                )
                .at(line)
                .help("写成 ![说明图片内容的文字](图片路径)，屏幕阅读器会读出这段文字"),
            );
        }
        if let Some(target) = local_target(dir, &link.dest) {
            if let Some(reason) = lc.withheld_paths.get(&target) {
                diags.push(
                    Diagnostic::new(
                        "E007",
                        src.path.clone(),
                        format!("链接指向不发布的文件 {}（{reason}）", target.display()),
                    )
                    .at(line)
                    .help("删除这个链接；不予公开、依申请公开和草稿文件不能从公开页面链接"),
                );
            } else if lc.by_path.contains_key(&target) {
            } else if lc.existing_assets.contains_key(&target) {
                assets.push(target);
            } else {
                diags.push(
                    Diagnostic::new(
                        "E008",
                        src.path.clone(),
                        format!("链接指向不存在的文件 {}", target.display()),
                    )
                    .at(line)
                    .help("检查路径（相对于本文件所在目录）和文件名"),
                );
            }
        } else {
            let path = link
                .dest
                .strip_prefix(base.as_str())
                .or_else(|| link.dest.strip_prefix(&lc.config.base_url))
                .unwrap_or("");
            let path = path.split(['#', '?']).next().unwrap_or("");
            if lc.withheld_urls.contains(path) {
                diags.push(
                    Diagnostic::new(
                        "E007",
                        src.path.clone(),
                        format!("链接 {} 指向不发布的文件", link.dest),
                    )
                    .at(line)
                    .help("删除这个链接；不予公开、依申请公开和草稿文件不能从公开页面链接"),
                );
            }
        }
    }
    for l in &body.tables_without_headers {
        diags.push(
            Diagnostic::new("P19", src.path.clone(), "表格没有表头单元格（<th>）")
                .at(src.body_line + l - 1)
                .help("把第一行的 <td> 改为 <th scope=\"col\">，或改用 Markdown 表格"),
        );
    }
    (std::sync::Arc::new(body), diags, assets)
}

fn fragment(dest: &str) -> &str {
    dest.find('#').map(|i| &dest[i..]).unwrap_or("")
}

/// The root-relative path a relative link points at, if it is a local file link.
fn local_target(dir: &Path, dest: &str) -> Option<PathBuf> {
    let d = dest.split(['#', '?']).next()?;
    if d.is_empty()
        || d.starts_with('/')
        || d.contains("://")
        || d.starts_with("mailto:")
        || d.starts_with("tel:")
        || markdown::is_dangerous_url(d)
    {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(d).decode_utf8().ok()?;
    normalize(&dir.join(decoded.as_ref()))
}

/// Resolves `.` and `..` without touching the disk; `None` if it climbs out of the root.
fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// P18: attachments exist, are non-empty and have link text.
fn attachments(
    doc: &mut Document,
    src: &Source,
    existing: &BTreeMap<PathBuf, u64>,
) -> (Vec<Diagnostic>, Vec<PathBuf>) {
    let mut diags = Vec::new();
    let mut assets = Vec::new();
    let Some(f) = src.fields.get("attachments") else {
        return (diags, assets);
    };
    let line = f.line;
    let items: Vec<(String, String)> = match &f.value {
        Value::Sequence(seq) => seq
            .iter()
            .filter_map(|it| match it {
                Value::String(s) => Some((s.clone(), String::new())),
                Value::Mapping(m) => Some((
                    m.get("path")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    m.get("title")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                )),
                _ => None,
            })
            .collect(),
        Value::String(s) => vec![(s.clone(), String::new())],
        _ => Vec::new(),
    };
    let dir = src.path.parent().unwrap_or(Path::new(""));
    for (p, title) in items {
        let target = local_target(dir, &p);
        let Some((target, size)) = target.and_then(|t| existing.get(&t).map(|s| (t, *s))) else {
            diags.push(
                Diagnostic::new("P18", src.path.clone(), format!("附件 “{p}” 不存在"))
                    .at(line)
                    .field("attachments")
                    .help("把附件放在 content/ 下（路径相对于本文件），或改正路径"),
            );
            continue;
        };
        if size == 0 {
            diags.push(
                Diagnostic::new("P18", src.path.clone(), format!("附件 “{p}” 是空文件"))
                    .at(line)
                    .field("attachments")
                    .help("放入完整的附件文件"),
            );
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let title = if title.trim().is_empty() {
            name.clone()
        } else {
            title
        };
        if ["点击这里", "点击下载", "这里", "下载", "附件"].contains(&title.trim()) {
            diags.push(
                Diagnostic::new(
                    "P18",
                    src.path.clone(),
                    format!("附件 “{p}” 的链接文字 “{title}” 没有说明内容"),
                )
                .at(line)
                .field("attachments")
                .help("写成 {path: \"…\", title: \"2022年预算表\"}，让链接文字单独读也能看懂"),
            );
        }
        let rel = target
            .strip_prefix(crate::load::CONTENT_DIR)
            .unwrap_or(&target)
            .to_string_lossy()
            .replace('\\', "/");
        assets.push(target.clone());
        doc.attachments.push(Attachment {
            path: target,
            title,
            url: rel,
            size,
        });
    }
    (diags, assets)
}

/// E007/E008/P12: references by 索引号 or 文号 (interprets, replaces, replaced_by, interpretation).
fn check_references(
    docs: &[(std::sync::Arc<Document>, SharedSource)],
    withheld_docs: &[WithheldRef],
) -> Vec<Diagnostic> {
    let mut known: BTreeSet<&str> = BTreeSet::new();
    for (d, _) in docs {
        known.insert(d.index_no.as_str());
        if let Some(n) = &d.doc_no {
            known.insert(n);
        }
    }
    let mut withheld: BTreeMap<&str, &str> = BTreeMap::new();
    for w in withheld_docs {
        for id in w.index_no.iter().chain(w.doc_no.iter()) {
            withheld.insert(id, &w.reason);
        }
    }
    let mut out = Vec::new();
    for (d, src) in docs {
        let refs = d
            .interprets
            .iter()
            .map(|r| ("interprets", r))
            .chain(d.replaces.iter().map(|r| ("replaces", r)))
            .chain(d.replaced_by.iter().map(|r| ("replaced_by", r)))
            .chain(d.interpretation.iter().map(|r| ("interpretation", r)));
        for (key, r) in refs {
            let line = src.fields.get(key).map(|f| f.line).unwrap_or(2);
            if let Some(reason) = withheld
                .get(r.as_str())
                .filter(|_| !known.contains(r.as_str()))
            {
                out.push(
                    Diagnostic::new(
                        "E007",
                        d.path.clone(),
                        format!("{key} 指向不发布的文件 “{r}”（{reason}）"),
                    )
                    .at(line)
                    .field(key)
                    .help("公开文件不能引用不公开的文件；删除这个引用"),
                );
            } else if !known.contains(r.as_str()) {
                let rule = if key == "interprets" { "P12" } else { "E008" };
                out.push(
                    Diagnostic::new(
                        rule,
                        d.path.clone(),
                        format!("{key} 指向的 “{r}” 不是本站已发布文件的索引号或文件编号"),
                    )
                    .at(line)
                    .field(key)
                    .help("写被引用文件的索引号（如 13502/2022-26273）或文件编号"),
                );
            } else if (key == "replaces" || key == "replaced_by")
                && (r == d.index_no.as_str() || d.doc_no.as_deref() == Some(r.as_str()))
            {
                out.push(
                    Diagnostic::new("E008", d.path.clone(), format!("{key} 指向文件自身"))
                        .at(line)
                        .field(key)
                        .help("写被替代/替代它的另一个文件"),
                );
            }
        }
    }
    out
}
