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
use crate::diag::{Code, Diagnostic};
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
            // The body's text without whitespace, for both P23 checks (one rendering).
            let text = match d.body.rendered() {
                Ok(r) => squeeze(&r.text),
                Err(e) => {
                    v.push(e);
                    String::new()
                }
            };
            v.extend(self_repeat(&text, src));
            v.extend(publish_deadline(d, src, calendar));
            let body = body_fingerprint(&text);
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
    out.extend(interpretations(
        docs,
        calendar,
        config.review.interpretation_since(),
    ));
    out.extend(identical_bodies(docs, &fingerprints));
    out
}

/// P14–P17 over title and body, at file line and column. Placeholders (P17) are reported
/// once per document, with their count and the first one's line, and not at all in the 文种
/// that prescribe forms (`[review] placeholder_exempt_kinds`, 行政法规 and 规章 by default).
fn scan_document(d: &Document, src: &Source, config: &Config) -> Vec<Diagnostic> {
    use super::scan;
    let allow = &config.review.allow_numbers;
    let mut out = Vec::new();
    let title_line = src.fields.get("title").map(|f| f.line).unwrap_or(2);
    let mut title = scan::scan_classification_marks(&d.title);
    title.extend(scan::scan_personal_data(&d.title, allow));
    title.extend(scan::scan_process_markers(&d.title, scan::Field::Title));
    title.extend(scan::scan_title_form(&d.title));
    title.sort_by_key(|f| (f.start, f.end, f.rule));
    for f in title {
        out.push(
            Diagnostic::new(f.rule, src.path.clone(), in_title(&f.message))
                .at(title_line)
                .field("title")
                .help(f.help),
        );
    }
    let mut body = scan::scan_classification_marks(&src.body);
    body.extend(scan::scan_header_classification(&src.body));
    body.extend(scan::scan_personal_data(&src.body, allow));
    body.extend(scan::scan_process_markers(&src.body, scan::Field::Body));
    body.sort_by_key(|f| (f.start, f.end, f.rule));
    for f in body {
        let (l, c) = crate::diag::line_col(&src.body, f.start);
        let mut diag = Diagnostic::new(f.rule, src.path.clone(), in_body(&f.message))
            .at_col(src.body_line + l - 1, c)
            .help(f.help);
        if f.public_attribute {
            diag = diag.at_least(crate::diag::Severity::Error);
        }
        if f.weak {
            diag = diag.at_most(crate::diag::Severity::Warn);
        }
        out.push(diag);
    }
    if !config
        .review
        .placeholder_exempt_kinds()
        .contains(&d.kind.as_str())
    {
        out.extend(placeholders(d, src));
    }
    out
}

/// "标题" + a scanner's message, unless it already says so ("标题中的“《”…").
fn in_title(message: &str) -> String {
    if message.starts_with("标题") {
        message.to_string()
    } else {
        format!("标题{message}")
    }
}

/// "正文" + a scanner's message, unless it already says so.
fn in_body(message: &str) -> String {
    if message.starts_with("正文") {
        message.to_string()
    } else {
        format!("正文{message}")
    }
}

/// P17 placeholders in title and body, as one finding: how many, and where the first is.
fn placeholders(d: &Document, src: &Source) -> Option<Diagnostic> {
    use super::scan::scan_placeholders;
    let title_line = src.fields.get("title").map(|f| f.line).unwrap_or(2);
    let in_title = scan_placeholders(&d.title);
    let in_body = scan_placeholders(&src.body);
    let n = in_title.len() + in_body.len();
    let (first, line, col, field) = match (in_title.first(), in_body.first()) {
        (Some(f), _) => (f, title_line, None, Some("title")),
        (None, Some(f)) => {
            let (l, c) = crate::diag::line_col(&src.body, f.start);
            (f, src.body_line + l - 1, Some(c), None)
        }
        (None, None) => return None,
    };
    let place = if field.is_some() { "标题" } else { "正文" };
    let message = if n == 1 {
        format!("{place}有未替换的占位符“{}”", first.matched)
    } else {
        format!(
            "有 {n} 处未替换的占位符（XX、×× 等），第一处是{place}第 {line} 行的“{}”",
            first.matched
        )
    };
    let mut diag = Diagnostic::new(Code::P17, src.path.clone(), message)
        .at(line)
        .help(format!(
        "{}；如果是有意隐去的信息（如“张××”）或原文如此，可在文件头写 review_ok: {{P17: \"理由\"}}",
        first
            .help
            .split('；')
            .next()
            .unwrap_or("把占位符换成实际内容")
    ));
    if let Some(c) = col {
        diag = diag.at_col(line, c);
    }
    if let Some(f) = field {
        diag = diag.field(f);
    }
    Some(diag)
}

/// The day the 条例 took effect (国务院令第492号): the 20-working-day rule binds documents
/// written from then on.
pub fn regulation_in_force() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2008, 5, 1).expect("a valid date")
}

/// P05: 条例 第二十六条, 20 working days from 成文 to 发布. Not for documents written before
/// the 条例 took effect (2008-05-01: an old document uploaded later was not late), nor for a
/// re-post of another body's document (`repost`): its 成文日期 is the other body's.
fn publish_deadline(d: &Document, src: &Source, calendar: &WorkCalendar) -> Option<Diagnostic> {
    let (written, published) = (d.written?, d.published?.date);
    if published <= written || written < regulation_in_force() || is_repost(src) {
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
        Diagnostic::new(Code::P05,
            src.path.clone(),
            format!("发布日期 {published} 距成文日期 {written} 已 {days} 个工作日，超过条例第二十六条规定的 {PUBLISH_WITHIN_WORKING_DAYS} 个工作日{note}"),
        )
        .at(line)
        .field("published")
        .help("主动公开的政府信息应自形成之日起 20 个工作日内公开；核对两个日期，或在发布说明中记录延迟原因"),
    )
}

/// True when the header marks the document as a re-post (转发/转载) of another body's
/// document: `repost: true`, or the original body's name.
pub fn is_repost(src: &Source) -> bool {
    use serde_yaml::Value;
    match src.fields.get("repost").map(|f| &f.value) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !matches!(s.trim(), "false" | "否" | ""),
        _ => false,
    }
}

/// P12 (timing) and P13 (missing 解读).
fn interpretations(
    docs: &[(Arc<Document>, SharedSource)],
    calendar: &WorkCalendar,
    since: chrono::NaiveDate,
) -> Vec<Diagnostic> {
    let mut by_id: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for (i, (d, _)) in docs.iter().enumerate() {
        by_id.entry(d.index_no().as_str()).or_insert(i);
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
                Diagnostic::new(Code::P12,
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
        // 解读 were required from `since` on (`[review] interpretation_since`): an older
        // document is judged by its 成文日期, else its 发布日期.
        let dated = d.written.or(d.published.map(|p| p.date));
        if (d.kind == "规章" || d.kind == "行政规范性文件")
            && !explained[i]
            && !d.validity.is_some_and(|v| v.is_ended())
            && dated.is_none_or(|w| w >= since)
        {
            out.push(
                Diagnostic::new(Code::P13, src.path.clone(), format!("{}没有政策解读", d.kind))
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

/// Shortest copy P23 reports when a body repeats itself (characters without whitespace).
const MIN_COPY: usize = 20;

/// P23: the body's text appears twice in a row (a page that showed its text twice, a 复函
/// pasted twice). The first `h` characters (100, or half a shorter body) must reappear, and
/// from there the text must run on as the beginning did for at least `h` characters (300 at
/// most are compared), so a short body counts only when it is all repeated. Reported at the
/// line where the repeat starts.
fn self_repeat(text: &str, src: &Source) -> Option<Diagnostic> {
    let chars: Vec<char> = text.chars().collect();
    let h = (chars.len() / 2).min(100);
    if h < MIN_COPY {
        return None;
    }
    let head: String = chars[..h].iter().collect();
    let rest: String = chars[h..].iter().collect();
    let pos = rest.find(&head)?;
    let p = h + rest[..pos].chars().count();
    let k = (chars.len() - p).min(300);
    if k < h || chars[p..p + k] != chars[..k] {
        return None;
    }
    let line = repeat_line(&src.body, &chars[..h.min(12)], p)
        .map_or(src.body_line, |l| src.body_line + l - 1);
    Some(
        Diagnostic::new(
            Code::P23,
            src.path.clone(),
            format!(
                "正文从第 {} 个字起（第 {line} 行）重复了一遍开头的内容（全文可能被粘贴了两次）",
                p + 1
            ),
        )
        .at(line)
        .help("删除重复的部分，只保留一份正文"),
    )
}

/// The line of `body` (1-based) where the text `needle` (whitespace-free) appears again, at
/// the occurrence nearest to `near` characters into the whitespace-free text.
fn repeat_line(body: &str, needle: &[char], near: usize) -> Option<usize> {
    let chars: Vec<(usize, char)> = body
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .collect();
    let hits: Vec<usize> = (0..chars.len().saturating_sub(needle.len() - 1))
        .filter(|&i| chars[i].1 == needle[0])
        .filter(|&i| {
            chars[i..i + needle.len()]
                .iter()
                .map(|(_, c)| *c)
                .eq(needle.iter().copied())
        })
        .skip(1)
        .collect();
    let best = hits.into_iter().min_by_key(|&i| i.abs_diff(near))?;
    Some(crate::diag::line_col(body, chars[best].0).0)
}

/// A hash of a body's whitespace-free text (0 for bodies too short to compare).
fn body_fingerprint(text: &str) -> u64 {
    if text.chars().count() < 100 {
        return 0;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// P23: documents with the same body (equal fingerprints, confirmed on the text), reported
/// on every one of them, each naming the others.
fn identical_bodies(
    docs: &[(Arc<Document>, SharedSource)],
    fingerprints: &[u64],
) -> Vec<Diagnostic> {
    // Documents by fingerprint; only a fingerprint shared by several is confirmed on the
    // text (this runs on every `serve` rebuild), and a collision starts a group of its own.
    let mut by_fp: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, &fp) in fingerprints.iter().enumerate() {
        if fp != 0 {
            by_fp.entry(fp).or_default().push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for same in by_fp.into_values().filter(|v| v.len() > 1) {
        let mut these: Vec<(String, Vec<usize>)> = Vec::new();
        for i in same {
            // A body that cannot be read again was reported by the scan above.
            let text = docs[i]
                .0
                .body
                .rendered()
                .map(|r| squeeze(&r.text))
                .unwrap_or_default();
            match these.iter_mut().find(|(t, _)| *t == text) {
                Some((_, g)) => g.push(i),
                None => these.push((text, vec![i])),
            }
        }
        groups.extend(these.into_iter().map(|(_, g)| g));
    }
    groups.sort();
    let mut out = Vec::new();
    for g in groups.iter().filter(|g| g.len() > 1) {
        for &i in g {
            let others: Vec<String> = g
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| format!("{}（{}）", docs[j].1.path.display(), docs[j].0.title))
                .collect();
            let src = &docs[i].1;
            out.push(
                Diagnostic::new(
                    Code::P23,
                    src.path.clone(),
                    format!("正文与 {}完全相同", others.join("、")),
                )
                .at(src.body_line)
                .help("确认是否重复录入，或正文是否贴错了文件"),
            );
        }
    }
    out
}
