//! The review rules that look at whole documents (SPEC §6): they run after `validate` has read
//! every field, in `build` and in `check` alike, so a build can never publish what `check`
//! would block.
//!
//! - P05 发布时限: `published` at most 20 working days after `written` (条例 第二十六条).
//! - P12 解读时效: a 政策解读 appears within 3 working days of its policy.
//! - P13 解读缺失: 规章 and 行政规范性文件 without any 政策解读.
//! - P14–P17: title and body scans (`scan`), reported at the exact line and column.
//! - P23 正文重复: a body that repeats itself, or equals another document's body (crawl and
//!   copy-paste accidents seen in real columns; a gongkai extension of SPEC §6).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::calendar::WorkCalendar;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::document::Document;
use crate::load::{SharedSource, Source};

/// Working days allowed between 成文 and 发布 (条例 第二十六条).
pub const PUBLISH_WITHIN_WORKING_DAYS: i64 = 20;
/// Working days allowed between a policy and its 解读 (the seed document's rule).
pub const INTERPRET_WITHIN_WORKING_DAYS: u32 = 3;

/// Per-document scan results kept between `serve` rebuilds: source hash, findings, and the
/// fingerprint of the body text (for P23).
pub type ScanCache = rustc_hash::FxHashMap<u64, ScanEntry>;

/// One document's entry in a [`ScanCache`], by source hash.
pub type ScanEntry = (Vec<Diagnostic>, u64);

/// Runs the document rules over published documents with their sources.
pub fn review(
    docs: &[(Arc<Document>, SharedSource)],
    config: &Config,
    calendar: &WorkCalendar,
) -> Vec<Diagnostic> {
    review_cached(&mut ScanCache::default(), docs, config, calendar)
}

/// [`review`], reusing per-document findings from `cache` when a document's source is
/// unchanged, and recording new ones there (for `serve`, which clears the cache when the
/// config changes).
pub fn review_cached(
    cache: &mut ScanCache,
    docs: &[(Arc<Document>, SharedSource)],
    config: &Config,
    calendar: &WorkCalendar,
) -> Vec<Diagnostic> {
    // Title, body, dates and their lines all come from the source file: its hash is the key.
    let scans: Vec<(Option<ScanEntry>, u64)> = docs
        .par_iter()
        .map(|(d, src)| {
            if let Some((_, body)) = cache.get(&src.hash) {
                return (None, *body);
            }
            let mut v = scan_document(d, src, config);
            v.extend(super::output::findings(d, src));
            v.extend(self_repeat(d, src));
            v.extend(publish_deadline(d, src, calendar));
            let body = body_fingerprint(d);
            (Some((v, body)), body)
        })
        .collect();
    let fingerprints: Vec<u64> = scans.iter().map(|(_, b)| *b).collect();
    for ((_, src), (fresh, _)) in docs.iter().zip(scans) {
        if let Some(entry) = fresh {
            cache.insert(src.hash, entry);
        }
    }
    if cache.len() != docs.len() {
        let live: rustc_hash::FxHashSet<u64> = docs.iter().map(|(_, s)| s.hash).collect();
        cache.retain(|k, _| live.contains(k));
    }
    let mut out: Vec<Diagnostic> = docs
        .iter()
        .flat_map(|(_, src)| cache[&src.hash].0.iter().cloned())
        .collect();
    out.extend(interpretations(docs, calendar));
    out.extend(identical_bodies(docs, &fingerprints));
    out
}

/// P14–P17 over title and body, at file line and column.
fn scan_document(d: &Document, src: &Source, config: &Config) -> Vec<Diagnostic> {
    let allow = &config.review.allow_numbers;
    let mut out = Vec::new();
    let title_line = src.fields.get("title").map(|f| f.line).unwrap_or(2);
    for f in super::scan::scan_title(&d.title, allow) {
        out.push(
            Diagnostic::new(f.rule, src.path.clone(), format!("标题{}", f.message))
                .at(title_line)
                .field("title")
                .help(f.help),
        );
    }
    for f in super::scan::scan_body(&src.body, allow) {
        let (l, c) = crate::diag::line_col(&src.body, f.start);
        out.push(
            Diagnostic::new(f.rule, src.path.clone(), format!("正文{}", f.message))
                .at_col(src.body_line + l - 1, c)
                .help(f.help),
        );
    }
    out
}

/// P05: 条例 第二十六条, 20 working days from 成文 to 发布.
fn publish_deadline(d: &Document, src: &Source, calendar: &WorkCalendar) -> Option<Diagnostic> {
    let (written, published) = (d.written?, d.published?.date);
    if published <= written {
        return None;
    }
    let days = calendar.working_days_between(written, published);
    if days <= PUBLISH_WITHIN_WORKING_DAYS {
        return None;
    }
    let unknown = calendar.unknown_years(written, published);
    let note = if unknown.is_empty() {
        String::new()
    } else {
        format!("（{} 年的节假日未知，按周一至周五计算；可在 gongkai.toml 的 [review] calendar 中补充）", unknown.iter().map(|y| y.to_string()).collect::<Vec<_>>().join("、"))
    };
    let line = src.fields.get("published").map(|f| f.line).unwrap_or(2);
    Some(
        Diagnostic::new(
            "P05",
            src.path.clone(),
            format!("发布日期 {published} 距成文日期 {written} 已 {days} 个工作日，超过条例第二十六条规定的 {PUBLISH_WITHIN_WORKING_DAYS} 个工作日{note}"),
        )
        .at(line)
        .field("published")
        .help("主动公开的政府信息应自形成之日起 20 个工作日内公开；核对两个日期，或在发布说明中记录延迟原因"),
    )
}

/// P12 (timing) and P13 (missing 解读).
fn interpretations(
    docs: &[(Arc<Document>, SharedSource)],
    calendar: &WorkCalendar,
) -> Vec<Diagnostic> {
    let mut by_id: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for (i, (d, _)) in docs.iter().enumerate() {
        by_id.entry(d.index_no.as_str()).or_insert(i);
        if let Some(n) = &d.doc_no {
            by_id.entry(n.as_str()).or_insert(i);
        }
    }
    let mut explained = vec![false; docs.len()];
    let mut out = Vec::new();
    for (d, src) in docs {
        for r in &d.interpretation {
            if let Some(&j) = by_id.get(r.as_str()) {
                explained[j] = true;
            }
        }
        let Some(&p) = d.interprets.as_deref().and_then(|r| by_id.get(r)) else {
            continue;
        };
        explained[p] = true;
        let policy = &docs[p].0;
        let (Some(pd), Some(jd)) = (policy.published, d.published) else {
            continue;
        };
        let Some(limit) = calendar.add_working_days(pd.date, INTERPRET_WITHIN_WORKING_DAYS) else {
            continue;
        };
        if jd.date > limit {
            let line = src.fields.get("published").map(|f| f.line).unwrap_or(2);
            out.push(
                Diagnostic::new(
                    "P12",
                    src.path.clone(),
                    format!(
                        "政策解读发布于 {}，晚于被解读文件（{}，{}）发布后 {INTERPRET_WITHIN_WORKING_DAYS} 个工作日（{limit}）",
                        jd.date, policy.title, pd.date
                    ),
                )
                .at(line)
                .field("published")
                .help("政策解读应与文件同步发布，最迟不超过 3 个工作日"),
            );
        }
    }
    for (i, (d, src)) in docs.iter().enumerate() {
        if (d.kind == "规章" || d.kind == "行政规范性文件")
            && !explained[i]
            && !d.validity.is_some_and(|v| v.is_ended())
        {
            out.push(
                Diagnostic::new("P13", src.path.clone(), format!("{}没有政策解读", d.kind))
                    .at(src.fields.get("kind").map(|f| f.line).unwrap_or(2))
                    .field("kind")
                    .help("发布政策解读（kind: 政策解读，interprets 写本文件的索引号或文件编号），做到同步起草、同步审签、同步发布"),
            );
        }
    }
    out
}

/// Whitespace-free text, for comparing bodies.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// P23: the body's text appears twice in a row (a page that showed its text twice).
fn self_repeat(d: &Document, src: &Source) -> Option<Diagnostic> {
    let t = squeeze(&d.body.text);
    let chars: Vec<char> = t.chars().collect();
    if chars.len() < 200 {
        return None;
    }
    let head: String = chars[..100].iter().collect();
    let rest: String = chars[100..].iter().collect();
    let pos = rest.find(&head)?;
    let p = 100 + rest[..pos].chars().count();
    let k = (chars.len() - p).min(300);
    (chars[p..p + k] == chars[..k]).then(|| {
        Diagnostic::new(
            "P23",
            src.path.clone(),
            format!(
                "正文从第 {} 个字起重复了一遍开头的内容（全文可能被粘贴了两次）",
                p + 1
            ),
        )
        .at(src.body_line)
        .help("删除重复的部分，只保留一份正文")
    })
}

/// A hash of a body's whitespace-free text (0 for bodies too short to compare).
fn body_fingerprint(d: &Document) -> u64 {
    let t = squeeze(&d.body.text);
    if t.chars().count() < 100 {
        return 0;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// P23: two documents with the same body (equal fingerprints, confirmed on the text).
fn identical_bodies(
    docs: &[(Arc<Document>, SharedSource)],
    fingerprints: &[u64],
) -> Vec<Diagnostic> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, ((d, src), &fp)) in docs.iter().zip(fingerprints).enumerate() {
        if fp == 0 {
            continue;
        }
        match seen.get(&fp) {
            Some(&j) if squeeze(&docs[j].0.body.text) == squeeze(&d.body.text) => out.push(
                Diagnostic::new(
                    "P23",
                    src.path.clone(),
                    format!(
                        "正文与 {}（{}）完全相同",
                        docs[j].1.path.display(),
                        docs[j].0.title
                    ),
                )
                .at(src.body_line)
                .help("确认是否重复录入，或正文是否贴错了文件"),
            ),
            Some(_) => {}
            None => {
                seen.insert(fp, i);
            }
        }
    }
    out
}
