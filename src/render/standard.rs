//! The 政务公开事项标准目录 as pages and open data (issue 18).
//!
//! - `bzml/`: the index of 领域, with each one's items, items with and without published
//!   information, and documents;
//! - `bzml/<编码>/`: one 领域's official table (序号, 一级/二级事项, 公开内容（要素）, 公开依据, 公开时限,
//!   公开主体, 公开渠道和载体 with ■, 公开对象/公开方式/公开层级 with √), each 二级事项 linked to its
//!   documents, with their count and the latest 发布日期;
//! - `bzml/<编码>/<编号>/`: the documents of one item, newest first (paginated like every list);
//! - `bzml/standard-catalogue.json` and `.csv`: every item with its documents' URLs.
//!
//! The model is [`crate::site::standard`]; `Site` holds only published documents, so nothing
//! withheld or draft can appear or be counted here.

use serde::Serialize;
use tera::Context;

use crate::catalogue::{Area, Audience, Entry, EntryAt, Level, Mode};
use crate::labels::STANDARD;
use crate::render::feeds::absolute;
use crate::site::standard::EntryLinks;
use crate::site::{Column, ColumnId, DocId, Site};
use crate::write::OutputFile;

use super::views::LinkView;
use super::{fingerprint, ColumnView, Page, Renderer};

/// The open-data files, relative to the site root.
pub const JSON_FILE: &str = "bzml/standard-catalogue.json";
/// The CSV copy.
pub const CSV_FILE: &str = "bzml/standard-catalogue.csv";

/// A 领域 on the index page.
#[derive(Serialize, Hash)]
struct AreaCard {
    name: String,
    url: String,
    entries: usize,
    proactive: usize,
    with_docs: usize,
    without_docs: usize,
    documents: usize,
    latest: String,
}

/// One row of a 领域's table.
#[derive(Serialize, Hash)]
struct Row {
    seq: String,
    second: String,
    url: String,
    content: String,
    basis: String,
    deadline: String,
    subject: String,
    channels: Vec<String>,
    audience: Vec<bool>,
    modes: Vec<bool>,
    levels: Vec<bool>,
    count: usize,
    latest: String,
}

/// Rows under one 一级事项 (its cell spans them, as in the printed table).
#[derive(Serialize, Hash)]
struct Group {
    first: String,
    rows: Vec<Row>,
}

fn card(site: &Site, a: usize, area: &Area) -> AreaCard {
    let links = &site.standard.areas[a];
    let mut docs: Vec<DocId> = links.entries.iter().flat_map(|e| e.docs.clone()).collect();
    docs.sort_unstable();
    docs.dedup();
    let with = links.entries.iter().filter(|e| !e.docs.is_empty()).count();
    // As rule P24 counts: 主动公开 items that no published document fulfils.
    let without = area
        .entries
        .iter()
        .zip(&links.entries)
        .filter(|(e, l)| e.is_proactive() && l.docs.is_empty())
        .count();
    AreaCard {
        name: area.name.clone(),
        url: format!(
            "{}{}",
            site.config.base_path, site.columns[links.column].path
        ),
        entries: area.entries.len(),
        proactive: area.entries.iter().filter(|e| e.is_proactive()).count(),
        with_docs: with,
        without_docs: without,
        documents: docs.len(),
        latest: docs
            .first()
            .and_then(|&i| site.docs[i].sort_date())
            .map(|d| d.to_string())
            .unwrap_or_default(),
    }
}

fn latest(l: &EntryLinks) -> String {
    l.latest.map(|d| d.to_string()).unwrap_or_default()
}

/// The level columns of a 领域's table: the official 县级 and 乡、村级, plus any higher level
/// its rows use.
fn level_columns(area: &Area) -> Vec<Level> {
    Level::ALL
        .into_iter()
        .filter(|l| {
            matches!(l, Level::County | Level::TownVillage)
                || area.entries.iter().any(|e| e.levels.contains(l))
        })
        .collect()
}

fn row(site: &Site, entry: &Entry, links: &EntryLinks, levels: &[Level]) -> Row {
    Row {
        seq: entry.seq.clone(),
        second: entry.second.clone(),
        url: format!(
            "{}{}",
            site.config.base_path, site.columns[links.column].path
        ),
        content: entry.content.clone(),
        basis: entry.basis.clone(),
        deadline: entry.deadline_text.clone(),
        subject: entry.subject.clone(),
        channels: entry.channels.clone(),
        audience: Audience::ALL
            .iter()
            .map(|x| entry.audience.contains(x))
            .collect(),
        modes: Mode::ALL.iter().map(|x| entry.modes.contains(x)).collect(),
        levels: levels.iter().map(|x| entry.levels.contains(x)).collect(),
        count: links.docs.len(),
        latest: latest(links),
    }
}

fn open_data_links(base: &str) -> Vec<LinkView> {
    [(JSON_FILE, "JSON"), (CSV_FILE, "CSV")]
        .iter()
        .map(|(f, kind)| LinkView {
            title: f.rsplit('/').next().unwrap_or(f).to_string(),
            url: format!("{base}{f}"),
            note: kind.to_string(),
        })
        .collect()
}

/// The pages of a 标准目录 column: the index, a 领域's table, or an item's documents.
pub(super) fn pages(r: &Renderer, i: ColumnId, c: &Column) -> Vec<Page> {
    let site = r.site;
    let std = &site.standard;
    let base = &site.config.base_path;
    let file = format!("{}index.html", c.path);
    if std.column == Some(i) {
        let cards: Vec<AreaCard> = std
            .catalogue
            .areas
            .iter()
            .enumerate()
            .map(|(a, area)| card(site, a, area))
            .collect();
        let mut ctx = Context::new();
        ctx.insert("column", &ColumnView::new(c, base));
        ctx.insert("areas", &cards);
        ctx.insert("open_data", &open_data_links(base));
        let fp = fingerprint(&(&cards, &c.description));
        return vec![r.page_fp(
            "standard_index.html",
            file.clone(),
            fingerprint(&(&c.title, &file, i)),
            fp,
            || r.meta(&c.title, &file, Some(i)),
            || ctx,
        )];
    }
    if let Some(a) = std.areas.iter().position(|l| l.column == i) {
        let area = &std.catalogue.areas[a];
        let levels = level_columns(area);
        let mut groups: Vec<Group> = Vec::new();
        for (e, entry) in area.entries.iter().enumerate() {
            let row = row(site, entry, &std.areas[a].entries[e], &levels);
            match groups.last_mut() {
                Some(g) if g.first == entry.first => g.rows.push(row),
                _ => groups.push(Group {
                    first: entry.first.clone(),
                    rows: vec![row],
                }),
            }
        }
        let level_labels: Vec<&str> = levels.iter().map(|l| l.label()).collect();
        let summary = card(site, a, area);
        let mut ctx = Context::new();
        ctx.insert("column", &ColumnView::new(c, base));
        ctx.insert("area", &summary);
        ctx.insert("groups", &groups);
        ctx.insert("level_labels", &level_labels);
        ctx.insert("open_data", &open_data_links(base));
        let fp = fingerprint(&(&groups, &summary, &level_labels, &c.description));
        return vec![r.page_fp(
            "standard_area.html",
            file.clone(),
            fingerprint(&(&c.title, &file, i)),
            fp,
            || r.meta(&c.title, &file, Some(i)),
            || ctx,
        )];
    }
    let Some(at) = entry_of(site, i) else {
        return Vec::new();
    };
    let area = &std.catalogue.areas[at.0];
    let entry = &area.entries[at.1];
    let links = std.links(at);
    let view = row(site, entry, links, &Level::ALL);
    let marks = |on: &[bool], labels: Vec<&'static str>| -> String {
        labels
            .into_iter()
            .zip(on)
            .filter(|(_, on)| **on)
            .map(|(l, _)| l)
            .collect::<Vec<_>>()
            .join("、")
    };
    let facts = vec![
        ("一级事项", entry.first.clone()),
        ("二级事项", entry.second.clone()),
        ("公开内容（要素）", entry.content.clone()),
        ("公开依据", entry.basis.clone()),
        ("公开时限", entry.deadline_text.clone()),
        ("公开主体", entry.subject.clone()),
        ("公开渠道和载体", entry.channels.join("、")),
        (
            "公开对象",
            marks(
                &view.audience,
                Audience::ALL.iter().map(|x| x.label()).collect(),
            ),
        ),
        (
            "公开方式",
            marks(&view.modes, Mode::ALL.iter().map(|x| x.label()).collect()),
        ),
        (
            "公开层级",
            marks(&view.levels, Level::ALL.iter().map(|x| x.label()).collect()),
        ),
        ("事项编号", entry.id.clone()),
    ];
    let mut ctx = Context::new();
    ctx.insert("column", &ColumnView::new(c, base));
    ctx.insert("children", &Vec::<LinkView>::new());
    ctx.insert("intro_html", "");
    ctx.insert("updated", "");
    ctx.insert("show_validity", &true);
    ctx.insert("facts", &facts);
    ctx.insert("latest", &view.latest);
    ctx.insert(
        "area",
        &LinkView {
            title: area.name.clone(),
            url: format!("{base}{}", site.columns[std.areas[at.0].column].path),
            note: String::new(),
        },
    );
    let extra_fp = fingerprint(&(&facts, &view.latest, &c.title, &c.description));
    r.list_pages(
        "standard_entry.html",
        &c.title,
        &c.path,
        (Some(i), &[]),
        &c.docs,
        (&ctx, extra_fp),
    )
}

fn entry_of(site: &Site, column: ColumnId) -> Option<EntryAt> {
    site.standard.areas.iter().enumerate().find_map(|(a, l)| {
        l.entries
            .iter()
            .position(|e| e.column == column)
            .map(|e| (a, e))
    })
}

/// The items a document fulfils, as links for its page (`领域 › 二级事项`).
pub(super) fn document_links(site: &Site, i: DocId) -> Vec<LinkView> {
    let std = &site.standard;
    std.by_doc
        .get(i)
        .into_iter()
        .flatten()
        .map(|&at| {
            let area = &std.catalogue.areas[at.0];
            let entry = &area.entries[at.1];
            LinkView {
                title: format!("{} › {} › {}", area.name, entry.first, entry.second),
                url: format!(
                    "{}{}",
                    site.config.base_path,
                    site.columns[std.links(at).column].path
                ),
                note: entry.id.clone(),
            }
        })
        .collect()
}

/// One item in the open data (the schema is documented in the README).
#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    area: &'a str,
    seq: &'a str,
    first: &'a str,
    second: &'a str,
    content: &'a str,
    basis: &'a str,
    deadline: &'a str,
    deadline_rule: &'a crate::catalogue::Deadline,
    subject: &'a str,
    channels: &'a [String],
    audience: Vec<&'static str>,
    modes: Vec<&'static str>,
    levels: Vec<&'static str>,
    url: String,
    documents: Vec<String>,
    latest: String,
}

/// `bzml/standard-catalogue.json` and `.csv` (none when the site keeps no catalogue).
pub fn open_data(site: &Site) -> anyhow::Result<Vec<OutputFile>> {
    let std = &site.standard;
    if std.catalogue.is_empty() {
        return Ok(Vec::new());
    }
    let records: Vec<Record> = std
        .catalogue
        .entries()
        .map(|(at, e)| {
            let links = std.links(at);
            Record {
                id: &e.id,
                area: &std.catalogue.areas[at.0].name,
                seq: &e.seq,
                first: &e.first,
                second: &e.second,
                content: &e.content,
                basis: &e.basis,
                deadline: &e.deadline_text,
                deadline_rule: &e.deadline,
                subject: &e.subject,
                channels: &e.channels,
                audience: e.audience.iter().map(|x| x.label()).collect(),
                modes: e.modes.iter().map(|x| x.label()).collect(),
                levels: e.levels.iter().map(|x| x.label()).collect(),
                url: absolute(site, &site.columns[links.column].path),
                documents: links
                    .docs
                    .iter()
                    .map(|&i| absolute(site, site.docs[i].page_path()))
                    .collect(),
                latest: latest(links),
            }
        })
        .collect();
    #[derive(Serialize)]
    struct File<'a> {
        site: &'a str,
        title: &'static str,
        generated: String,
        count: usize,
        items: &'a [Record<'a>],
    }
    let json = serde_json::to_vec_pretty(&File {
        site: &site.config.site_name,
        title: STANDARD.1,
        generated: site.today.to_string(),
        count: records.len(),
        items: &records,
    })?;
    let joined: Vec<[String; 7]> = records
        .iter()
        .map(|r| {
            [
                r.channels.join("、"),
                r.audience.join("、"),
                r.modes.join("、"),
                r.levels.join("、"),
                r.documents.len().to_string(),
                r.documents.join(" "),
                r.seq.to_string(),
            ]
        })
        .collect();
    let csv = super::csv_file::csv_file(
        &[
            "编号",
            "领域",
            "序号",
            "一级事项",
            "二级事项",
            "公开内容（要素）",
            "公开依据",
            "公开时限",
            "公开主体",
            "公开渠道和载体",
            "公开对象",
            "公开方式",
            "公开层级",
            "网址",
            "已公开信息数",
            "最近发布日期",
            "已公开信息网址",
        ],
        records.iter().zip(&joined).map(|(r, j)| {
            [
                r.id, r.area, &j[6], r.first, r.second, r.content, r.basis, r.deadline, r.subject,
                &j[0], &j[1], &j[2], &j[3], &r.url, &j[4], &r.latest, &j[5],
            ]
        }),
    )?;
    Ok(vec![
        OutputFile {
            path: JSON_FILE.into(),
            bytes: json,
        },
        OutputFile {
            path: CSV_FILE.into(),
            bytes: csv,
        },
    ])
}

/// `gongkai report catalogue --format html`: the Markdown report as a standalone page.
pub fn report_html(md: &str) -> String {
    // The page's own <h1> carries the title.
    let md = md.split_once('\n').map_or(
        md,
        |(first, rest)| if first.starts_with("# ") { rest } else { md },
    );
    let body = crate::markdown::render(md, &|_| None).html;
    super::annual::standalone_html("政务公开事项标准目录自查报告", &body)
}
