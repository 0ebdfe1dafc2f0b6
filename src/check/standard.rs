//! The review rules on the 政务公开事项标准目录 (issue 18), run on the site model in `build`,
//! `check` and `serve` alike:
//!
//! - P24 事项无信息: a 主动公开 item that no published document fulfils ("本事项尚无公开信息").
//! - P25 超过事项时限: a document published later than its item's 公开时限 allows, counted in
//!   working days on the holiday calendar (P05's rule, generalised to every item's own limit).
//!   Where it fires, P05 on the same document is dropped: one late document, one finding.
//! - P26 依据已失效: an item whose 公开依据 cites a document this site marks 失效 or 废止 (by
//!   its 文号, or by its 《title》 when no document in force has that title).
//! - P27 依申请事项: a published document linked to an item whose 公开方式 is 依申请 only.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::catalogue::{Catalogue, Deadline};
use crate::diag::{Code, Diagnostic};
use crate::site::{DocId, Site};

/// Parses the loaded catalogue files, attaches the catalogue to the site and runs the rules.
pub fn attach_and_review(
    site: &mut Site,
    files: &BTreeMap<PathBuf, Result<String, String>>,
) -> Vec<Diagnostic> {
    let (catalogue, mut diags) = crate::catalogue::parse::parse_all(files);
    diags.extend(crate::site::standard::attach(site, catalogue));
    diags.extend(review(site));
    diags
}

/// P24–P27 over the site's catalogue.
pub fn review(site: &Site) -> Vec<Diagnostic> {
    let std = &site.standard;
    let cat = &std.catalogue;
    let mut out = Vec::new();
    for ((a, e), entry) in cat.entries() {
        let area = &cat.areas[a];
        if entry.is_proactive() && std.links((a, e)).docs.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::P24,
                    &area.file,
                    format!(
                        "本事项尚无公开信息：{}（编号 {}，公开方式为主动公开）",
                        cat.path_of((a, e)),
                        entry.id
                    ),
                )
                .at(entry.line)
                .field("二级事项")
                .help(format!(
                    "发布该事项的信息，并在文件头写 事项: [\"{}\"]；已经公开的信息，在它的文件头补上这一行",
                    entry.id
                )),
            );
        }
        out.extend(cited_but_ended(site, cat, (a, e)));
    }
    for (i, ats) in std.by_doc.enumerate() {
        let d = &site.docs[i];
        for &at in ats {
            let entry = &cat.areas[at.0].entries[at.1];
            if entry.is_on_request_only() {
                let mut diag = Diagnostic::new(
                    Code::P27,
                    d.path.clone(),
                    format!(
                        "文件关联的事项 “{}” 在标准目录中的公开方式为依申请公开，而本文件已主动公开",
                        cat.path_of(at)
                    ),
                )
                .field("matters")
                .help("请核对本文件的公开属性：确应主动公开的，建议同时修订标准目录中该事项的公开方式；不应主动公开的，把公开属性改为依申请公开");
                if let Some(l) = d.matters_line {
                    diag = diag.at(l);
                }
                out.push(diag);
            }
            out.extend(late(site, i, cat, at));
        }
    }
    out
}

/// The last day document `i` could be published within the 公开时限 of the item at `at`,
/// when it was published later: its 成文日期 is the day the information was formed (信息形成
/// 之日), counted on the holiday calendar. `None` when it was on time or cannot be judged (no
/// 成文日期 or 发布日期, a 公开时限 with no fixed day, or a re-post, whose 成文日期 is another
/// body's, as for P05).
pub fn due_date_missed(
    site: &Site,
    i: DocId,
    at: crate::catalogue::EntryAt,
) -> Option<chrono::NaiveDate> {
    let d = &site.docs[i];
    if d.repost {
        return None;
    }
    let entry = &site.standard.catalogue.areas[at.0].entries[at.1];
    let (formed, published) = (d.written?, d.published?.date);
    let last = entry.deadline.last_day(formed, &site.config.calendar)?;
    (published > last).then_some(last)
}

/// P25 for document `i` and the item at `at`.
fn late(
    site: &Site,
    i: DocId,
    cat: &Catalogue,
    at: crate::catalogue::EntryAt,
) -> Option<Diagnostic> {
    let d = &site.docs[i];
    let entry = &cat.areas[at.0].entries[at.1];
    let last = due_date_missed(site, i, at)?;
    let (formed, published) = (d.written?, d.published?.date);
    let calendar = &site.config.calendar;
    let days = calendar.working_days_between(formed, published);
    let took = match entry.deadline {
        Deadline::Days { .. } | Deadline::Yearly { .. } => {
            format!("（相隔 {} 天）", (published - formed).num_days())
        }
        _ => format!("（相隔 {days} 个工作日）"),
    };
    let unknown = calendar.unknown_years(formed, published);
    let note = if unknown.is_empty() {
        String::new()
    } else {
        format!(
            "；{} 年的节假日未知，按周一至周五计算，可在 gongkai.toml 的 [review] calendar 中补充",
            unknown
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join("、")
        )
    };
    let mut diag = Diagnostic::new(
        Code::P25,
        d.path.clone(),
        format!(
            "发布日期 {published} 晚于标准目录事项 “{}” 的公开时限“{}”：成文日期 {formed}，最迟应于 {last} 发布{took}{note}",
            cat.path_of(at),
            entry.deadline_text
        ),
    )
    .field("published")
    .help("核对成文日期和发布日期；确属延迟的，在工作台账中记录原因，今后按事项的公开时限及时发布");
    if let Some(l) = d.matters_line {
        diag = diag.at(l);
    }
    Some(diag)
}

/// P26: the item's 公开依据 cites, by 文号 or by 《title》, a document of this site that has
/// ended (失效/废止). A title also borne by a document in force (a revised text) is not reported.
fn cited_but_ended(site: &Site, cat: &Catalogue, at: crate::catalogue::EntryAt) -> Vec<Diagnostic> {
    let entry = &cat.areas[at.0].entries[at.1];
    let basis = &entry.basis;
    let ended = |i: DocId| site.lifecycles[i].validity.is_some_and(|v| v.is_ended());
    let mut hits: Vec<(String, DocId)> = Vec::new();
    for (i, d) in site.docs.enumerate() {
        if let Some(no) = d.doc_no_text().filter(|n| basis.contains(*n)) {
            if ended(i) {
                hits.push((no.to_string(), i));
            }
        }
    }
    for title in cited_titles(basis) {
        let same: Vec<DocId> = site
            .docs
            .enumerate()
            .filter(|(_, d)| names_title(&d.title, &title))
            .map(|(i, _)| i)
            .collect();
        if !same.is_empty() && same.iter().all(|&i| ended(i)) {
            hits.extend(same.into_iter().map(|i| (format!("《{title}》"), i)));
        }
    }
    hits.sort_by_key(|h| h.1);
    hits.dedup_by_key(|h| h.1);
    hits.into_iter()
        .map(|(cited, i)| {
            let d = &site.docs[i];
            let l = &site.lifecycles[i];
            let status = l.validity.map(|v| v.to_string()).unwrap_or_default();
            let since = l.ended_on.map(|x| format!("（{x}起）")).unwrap_or_default();
            Diagnostic::new(
                Code::P26,
                &cat.areas[at.0].file,
                format!(
                    "事项 “{}” 的公开依据引用的 {cited} 在本站已{status}{since}：{}（{}）",
                    cat.path_of(at),
                    d.title,
                    d.path.display()
                ),
            )
            .at(entry.line_of("basis"))
            .field("公开依据")
            .help("按现行有效的文件修订公开依据；依据已被替代的，写替代它的文件")
        })
        .collect()
}

/// The titles a text cites in 《》 (nested quotes kept whole: 《关于印发〈…〉的通知》).
fn cited_titles(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '《' => {
                if depth > 0 {
                    cur.push(c);
                }
                depth += 1;
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let t = crate::catalogue::squeeze(&cur);
                    if !t.is_empty() {
                        out.push(t);
                    }
                    cur.clear();
                } else {
                    cur.push(c);
                }
            }
            c if depth > 0 => cur.push(c),
            _ => {}
        }
    }
    out
}

/// True when a document titled `title` is the one cited as 《cited》: the same title, or a
/// 印发/转发 notice of it (`关于印发《cited》的通知`).
fn names_title(title: &str, cited: &str) -> bool {
    let t = crate::catalogue::squeeze(title);
    t == cited || t.contains(&format!("《{cited}》"))
}

/// Drops P05 findings on documents that have a P25 finding: the item's own limit says the
/// same thing with more precision.
pub fn supersede_p05(diags: &mut Vec<Diagnostic>) {
    let late: std::collections::BTreeSet<PathBuf> = diags
        .iter()
        .filter(|d| d.rule == Code::P25)
        .map(|d| d.file.clone())
        .collect();
    if !late.is_empty() {
        diags.retain(|d| !(d.rule == Code::P05 && late.contains(&d.file)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cited_titles() {
        assert_eq!(
            cited_titles("《中华人民共和国政府信息公开条例》《关于印发〈某办法〉的通知》等"),
            ["中华人民共和国政府信息公开条例", "关于印发〈某办法〉的通知"]
        );
        assert!(names_title(
            "县政府关于印发《某某管理办法》的通知",
            "某某管理办法"
        ));
        assert!(!names_title("某某管理办法实施细则", "某某管理办法"));
    }
}
