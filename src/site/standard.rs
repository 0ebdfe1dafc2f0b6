//! The 政务公开事项标准目录 in the site model: which published documents fulfil which item.
//!
//! `(Catalogue, &mut Site) → Site` with one first-level column `bzml/` (after the statutory
//! columns, SPEC §2), one column per 领域 (`bzml/<编码>/`) and one per 二级事项
//! (`bzml/<编码>/<编号>/`), each holding the documents that name the item in their `事项` field,
//! newest first. Only published documents are in `Site`, so a withheld or draft document can
//! neither appear here nor count as fulfilling an item. A reference that names no item is an
//! E008 finding on the document's `事项` line, with the nearest item suggested.

use chrono::NaiveDate;

use super::{ByDoc, Column, ColumnId, ColumnKind, DocId, Site};
use crate::catalogue::{Catalogue, EntryAt};
use crate::diag::{Code, Diagnostic};
use crate::labels::STANDARD;

/// One 二级事项 in the site.
#[derive(Debug, Clone)]
pub struct EntryLinks {
    /// Its column (its list page).
    pub column: ColumnId,
    /// Documents that fulfil it, newest first.
    pub docs: Vec<DocId>,
    /// 发布日期 of the newest of them.
    pub latest: Option<NaiveDate>,
}

/// One 领域 in the site.
#[derive(Debug, Clone)]
pub struct AreaLinks {
    /// Its column (the table page).
    pub column: ColumnId,
    /// Its rows, in table order.
    pub entries: Vec<EntryLinks>,
}

/// The catalogue with its documents.
#[derive(Debug, Clone, Default)]
pub struct Standard {
    /// The catalogue as read from `catalogue/`.
    pub catalogue: Catalogue,
    /// Per 领域, parallel to `catalogue.areas`.
    pub areas: Vec<AreaLinks>,
    /// The index column (`bzml/`), when the site keeps a catalogue.
    pub column: Option<ColumnId>,
    /// Per document: the items it fulfils.
    pub by_doc: ByDoc<Vec<EntryAt>>,
}

impl Standard {
    /// The links of an entry.
    pub fn links(&self, (a, e): EntryAt) -> &EntryLinks {
        &self.areas[a].entries[e]
    }
}

/// Adds the catalogue to the site: resolves every document's `事项`, and adds the columns.
/// Returns the findings on references that name no item.
pub fn attach(site: &mut Site, catalogue: Catalogue) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut by_doc: ByDoc<Vec<EntryAt>> = site.docs.map(|_| Vec::new());
    for (i, d) in site.docs.enumerate() {
        for r in &d.matters {
            match catalogue.resolve(r) {
                Some(at) => {
                    if !by_doc[i].contains(&at) {
                        by_doc[i].push(at);
                    }
                }
                None => {
                    let why = if catalogue.is_empty() {
                        "，本站还没有标准目录（catalogue/ 下没有 .toml 文件）".to_string()
                    } else {
                        catalogue.suggestion(r)
                    };
                    let mut diag = Diagnostic::new(
                        Code::E008,
                        d.path.clone(),
                        format!("事项 “{r}” 不在政务公开事项标准目录中{why} (no such item)"),
                    )
                    .field("matters")
                    .help("写事项的编号（如 zdjsxm-01），或 领域/一级事项/二级事项；可用的事项见 catalogue/ 下的文件，或运行 gongkai report catalogue");
                    if let Some(l) = d.matters_line {
                        diag = diag.at(l);
                    }
                    diags.push(diag);
                }
            }
        }
    }
    // Each area's and entry's column is set when the columns are made, below (a catalogue with
    // areas always gets its columns); until then the home stands in.
    let unlinked = EntryLinks {
        column: ColumnId::HOME,
        docs: Vec::new(),
        latest: None,
    };
    let mut areas: Vec<AreaLinks> = catalogue
        .areas
        .iter()
        .map(|a| AreaLinks {
            column: ColumnId::HOME,
            entries: vec![unlinked.clone(); a.entries.len()],
        })
        .collect();
    // `site.docs` is newest first, so ascending ids are catalogue order.
    for (i, ats) in by_doc.enumerate() {
        for &(a, e) in ats {
            let links = &mut areas[a].entries[e];
            links.docs.push(i);
            if links.latest.is_none() {
                links.latest = site.docs[i].sort_date();
            }
        }
    }
    let mut column = None;
    if !catalogue.is_empty() {
        let mut all: Vec<DocId> = site.docs.ids().filter(|&i| !by_doc[i].is_empty()).collect();
        all.sort_unstable();
        let index = push(
            site,
            ColumnId::HOME,
            column_of(
                STANDARD.1,
                format!("{}/", STANDARD.0),
                all,
                "依据国办发〔2019〕54号《关于全面推进基层政务公开标准化规范化工作的指导意见》编制的各领域公开事项标准目录，每一事项链接到已公开的信息".into(),
            ),
        );
        column = Some(index);
        for (a, area) in catalogue.areas.iter().enumerate() {
            let mut docs: Vec<DocId> = areas[a]
                .entries
                .iter()
                .flat_map(|e| e.docs.iter().copied())
                .collect();
            docs.sort_unstable();
            docs.dedup();
            let area_path = format!("{}/{}/", STANDARD.0, area.slug);
            let area_col = push(
                site,
                index,
                column_of(
                    &format!("{}领域政务公开标准目录", area.name),
                    area_path.clone(),
                    docs,
                    area.description.clone(),
                ),
            );
            areas[a].column = area_col;
            for (e, entry) in area.entries.iter().enumerate() {
                let c = push(
                    site,
                    area_col,
                    column_of(
                        &entry.second,
                        format!("{area_path}{}/", entry.id),
                        areas[a].entries[e].docs.clone(),
                        format!("{} › {}", area.name, entry.first),
                    ),
                );
                areas[a].entries[e].column = c;
            }
        }
    }
    site.standard = Standard {
        catalogue,
        areas,
        column,
        by_doc,
    };
    diags
}

fn column_of(title: &str, path: String, docs: Vec<DocId>, description: String) -> Column {
    Column {
        title: title.to_string(),
        // Never an `_index.md` folder of content/: these pages have no introduction file.
        section_dir: format!("\u{0}{path}"),
        path,
        column_type: "信息公开目录",
        kind: ColumnKind::Standard,
        docs,
        children: Vec::new(),
        description,
        has_feed: false,
        legacy_path: None,
        empty_text: String::new(),
    }
}

fn push(site: &mut Site, parent: ColumnId, c: Column) -> ColumnId {
    let i = site.columns.push(c);
    site.columns[parent].children.push(i);
    i
}
