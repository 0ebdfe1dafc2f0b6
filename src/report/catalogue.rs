//! `gongkai report catalogue`: the 政务公开事项标准目录 self-inspection (自查) report.
//!
//! Per 领域: the items, those with published information, the 主动公开 ones without, and the
//! late ones (a document published after its item's 公开时限, as rule P25 counts it), with the
//! names an office needs to act on them, and one sentence for the annual report's narrative.
//! Computed from the site model, so it counts exactly what the pages show: published
//! documents only.

use serde::Serialize;

use crate::site::Site;

/// The numbers of one 领域, or of all.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Items (二级事项).
    pub items: usize,
    /// Items whose 公开方式 includes 主动.
    pub proactive: usize,
    /// Items with at least one published document.
    pub with_documents: usize,
    /// 主动公开 items with none (rule P24).
    pub without_documents: usize,
    /// Items with at least one document published after the 公开时限 (rule P25).
    pub late_items: usize,
    /// Documents linked to the 领域's items (each counted once).
    pub documents: usize,
    /// Of which published after the 公开时限 of one of their items.
    pub late_documents: usize,
}

/// A document published after its item's 公开时限.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LateDocument {
    /// 名称.
    pub title: String,
    /// Source file.
    pub file: String,
    /// 成文日期.
    pub written: String,
    /// 发布日期.
    pub published: String,
    /// The last day allowed.
    pub due: String,
}

/// One item.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ItemReport {
    /// 编号.
    pub id: String,
    /// 一级事项.
    pub first: String,
    /// 二级事项.
    pub second: String,
    /// 公开方式 (主动, 依申请).
    pub modes: Vec<&'static str>,
    /// 公开时限 as written.
    pub deadline: String,
    /// Published documents.
    pub documents: usize,
    /// 发布日期 of the newest.
    pub latest: String,
    /// Documents published late.
    pub late: Vec<LateDocument>,
}

/// One 领域.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AreaReport {
    /// 领域.
    pub name: String,
    /// Its file.
    pub file: String,
    /// Its numbers.
    pub counts: Counts,
    /// Its items, in table order.
    pub items: Vec<ItemReport>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CatalogueReport {
    /// Site name.
    pub site: String,
    /// The build date the report is as of.
    pub as_of: String,
    /// All 领域 together.
    pub totals: Counts,
    /// Per 领域.
    pub areas: Vec<AreaReport>,
}

/// Computes the report from the site model.
pub fn compute(site: &Site) -> CatalogueReport {
    let std = &site.standard;
    let cat = &std.catalogue;
    let mut areas = Vec::new();
    let mut all_docs = std::collections::BTreeSet::new();
    let mut all_late = std::collections::BTreeSet::new();
    let mut totals = Counts::default();
    for (a, area) in cat.areas.iter().enumerate() {
        let mut counts = Counts::default();
        let mut docs = std::collections::BTreeSet::new();
        let mut late_docs = std::collections::BTreeSet::new();
        let mut items = Vec::new();
        for (e, entry) in area.entries.iter().enumerate() {
            let links = std.links((a, e));
            let late: Vec<LateDocument> = links
                .docs
                .iter()
                .filter_map(|&i| {
                    let due = crate::check::standard::due_date_missed(site, i, (a, e))?;
                    late_docs.insert(i);
                    let d = &site.docs[i];
                    Some(LateDocument {
                        title: d.title.clone(),
                        file: d.path.display().to_string(),
                        written: d.written.map(|x| x.to_string()).unwrap_or_default(),
                        published: d.published.map(|p| p.date.to_string()).unwrap_or_default(),
                        due: due.to_string(),
                    })
                })
                .collect();
            docs.extend(links.docs.iter().copied());
            counts.items += 1;
            counts.proactive += usize::from(entry.is_proactive());
            counts.with_documents += usize::from(!links.docs.is_empty());
            counts.without_documents += usize::from(entry.is_proactive() && links.docs.is_empty());
            counts.late_items += usize::from(!late.is_empty());
            items.push(ItemReport {
                id: entry.id.clone(),
                first: entry.first.clone(),
                second: entry.second.clone(),
                modes: entry.modes.iter().map(|m| m.label()).collect(),
                deadline: entry.deadline_text.clone(),
                documents: links.docs.len(),
                latest: links.latest.map(|d| d.to_string()).unwrap_or_default(),
                late,
            });
        }
        counts.documents = docs.len();
        counts.late_documents = late_docs.len();
        totals.items += counts.items;
        totals.proactive += counts.proactive;
        totals.with_documents += counts.with_documents;
        totals.without_documents += counts.without_documents;
        totals.late_items += counts.late_items;
        all_docs.extend(docs);
        all_late.extend(late_docs);
        areas.push(AreaReport {
            name: area.name.clone(),
            file: area.file.display().to_string(),
            counts,
            items,
        });
    }
    totals.documents = all_docs.len();
    totals.late_documents = all_late.len();
    CatalogueReport {
        site: site.config.site_name.clone(),
        as_of: site.today.to_string(),
        totals,
        areas,
    }
}

/// One sentence for the annual report's narrative (一、总体情况).
pub fn narrative(r: &CatalogueReport) -> String {
    let t = &r.totals;
    format!(
        "截至{}，本单位在{}个领域编制政务公开事项标准目录，共梳理公开事项{}项（其中主动公开{}项），已有{}项公开了相关信息，共{}条；尚无公开信息的主动公开事项{}项，发布晚于公开时限的信息{}条。",
        chinese_date(&r.as_of),
        r.areas.len(),
        t.items,
        t.proactive,
        t.with_documents,
        t.documents,
        t.without_documents,
        t.late_documents
    )
}

fn chinese_date(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    match p.as_slice() {
        [y, m, d] => format!(
            "{y}年{}月{}日",
            m.trim_start_matches('0'),
            d.trim_start_matches('0')
        ),
        _ => iso.to_string(),
    }
}

/// Markdown text of a table cell: `|` and line breaks would break the row.
fn cell(s: &str) -> String {
    s.replace('|', "｜").replace(['\n', '\r'], " ")
}

/// The report as Markdown: the summary table, then per 领域 the items to act on.
pub fn markdown(r: &CatalogueReport) -> String {
    let mut o = format!(
        "# 政务公开事项标准目录自查报告\n\n{}  \n统计截至 {}。\n\n{}\n\n",
        cell(&r.site),
        r.as_of,
        narrative(r)
    );
    o.push_str("| 领域 | 事项 | 主动公开事项 | 已有公开信息 | 尚无公开信息 | 超过时限的事项 | 公开信息 | 超过时限的信息 |\n");
    o.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    let row = |name: &str, c: &Counts| {
        format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            cell(name),
            c.items,
            c.proactive,
            c.with_documents,
            c.without_documents,
            c.late_items,
            c.documents,
            c.late_documents
        )
    };
    for a in &r.areas {
        o.push_str(&row(&a.name, &a.counts));
    }
    o.push_str(&row("合计", &r.totals));
    for a in &r.areas {
        o.push_str(&format!("\n## {}\n\n", cell(&a.name)));
        let without: Vec<&ItemReport> = a
            .items
            .iter()
            .filter(|i| i.documents == 0 && i.modes.contains(&"主动"))
            .collect();
        if without.is_empty() {
            o.push_str("主动公开事项均已有公开信息。\n");
        } else {
            o.push_str("尚无公开信息的主动公开事项：\n\n");
            for i in without {
                o.push_str(&format!(
                    "- {} / {}（编号 {}，公开时限：{}）\n",
                    cell(&i.first),
                    cell(&i.second),
                    i.id,
                    cell(&i.deadline)
                ));
            }
        }
        let late: Vec<&ItemReport> = a.items.iter().filter(|i| !i.late.is_empty()).collect();
        if !late.is_empty() {
            o.push_str("\n发布晚于公开时限的信息：\n\n| 事项 | 公开时限 | 信息 | 成文日期 | 发布日期 | 最迟应发布 |\n|---|---|---|---|---|---|\n");
            for i in late {
                for d in &i.late {
                    o.push_str(&format!(
                        "| {} / {} | {} | {} | {} | {} | {} |\n",
                        cell(&i.first),
                        cell(&i.second),
                        cell(&i.deadline),
                        cell(&d.title),
                        d.written,
                        d.published,
                        d.due
                    ));
                }
            }
        }
    }
    o
}
