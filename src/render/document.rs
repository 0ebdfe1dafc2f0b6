//! Document pages: the metadata table, the body (or the computed annual report), relations,
//! history, attachments and the columns that list the document.

use serde::Serialize;
use tera::Context;

use super::context::Renderer;
use super::views::{DocRow, LinkView};
use super::{annual, fingerprint, register, signoff, standard, Page};
use crate::site::{ColumnId, ColumnKind, DocId};

impl Renderer<'_> {
    pub(super) fn document_page(&self, i: DocId) -> Page {
        let site = self.site;
        let d = &site.docs[i];
        if let Some(dirty) = &self.dirty {
            // A page whose document, and whose related documents, are unchanged is unchanged.
            let r = &site.relations[i];
            let related = r
                .interpretations
                .iter()
                .chain(r.interprets.iter())
                .chain(&r.replaces)
                .chain(&r.replaced_by);
            let path = d.page_path();
            let edited = |p: &std::path::Path| dirty.contains(p.as_os_str().as_encoded_bytes());
            if !edited(&d.path) && !related.clone().any(|&j| edited(&site.docs[j].path)) {
                if let Some(&fp) = self.prev.get(path) {
                    self.fps
                        .lock()
                        .expect("fingerprint lock")
                        .insert(path.to_string(), fp);
                    return Ok(None);
                }
            }
        }
        let l = &site.lifecycles[i];
        let r = &site.relations[i];
        let base = &site.config.base_path;
        let link = |j: DocId| LinkView {
            title: site.docs[j].title.clone(),
            url: format!("{base}{}", site.docs[j].page_path()),
            note: site.docs[j]
                .published
                .map(|p| p.date.to_string())
                .unwrap_or_default(),
        };
        let columns: Vec<ColumnId> = site
            .columns
            .enumerate()
            .filter(|(_, c)| {
                c.kind == ColumnKind::List
                    && !c.path.starts_with(crate::labels::CATALOGUE.0)
                    && c.docs.binary_search(&i).is_ok()
            })
            .map(|(k, _)| k)
            .collect();
        let home_column = columns.first().copied().or(site
            .columns
            .position(|c| c.path.starts_with(crate::labels::CATALOGUE.0)));
        let banner = match l.validity {
            Some(crate::meta::Validity::Expired) => Some(format!(
                "本文件已失效{}。",
                l.ended_on.map(|x| format!("（{x}起）")).unwrap_or_default()
            )),
            Some(crate::meta::Validity::Repealed) => Some(format!(
                "本文件已废止{}。",
                l.ended_on.map(|x| format!("（{x}起）")).unwrap_or_default()
            )),
            Some(crate::meta::Validity::Amended) => {
                Some("本文件已修改，以下不是现行文本。".to_string())
            }
            Some(crate::meta::Validity::NotYetEffective) => Some(format!(
                "本文件尚未生效，施行日期为 {}。",
                d.effective.map(|x| x.to_string()).unwrap_or_default()
            )),
            _ => None,
        };
        // Rendered once (see `markdown::Body`); a `serve` page whose fingerprint is unchanged
        // only clones the kept rendering.
        let rendered = d.body.rendered()?;
        let view = DocView {
            row: DocRow::new(d, l, base),
            category: d.category.clone().unwrap_or_default(),
            category_sub: d.category_sub.clone().unwrap_or_default(),
            // The ordinary body is fingerprinted by its hash and copied in only when rendered.
            body_html: match d.report_year.and_then(|y| site.reports.get(&y)) {
                Some(report) => annual::report_body(self, i, report)?,
                None => String::new(),
            },
            pub_datetime: d
                .published
                .map(|p| {
                    format!(
                        "{} {}",
                        p.date,
                        p.time
                            .map(|t| t.format("%H:%M").to_string())
                            .unwrap_or_else(|| "00:00".into())
                    )
                })
                .unwrap_or_default(),
            effective: d.effective.map(|x| x.to_string()).unwrap_or_default(),
            expires: l.expires.map(|x| x.to_string()).unwrap_or_default(),
            repealed: d.repealed.map(|x| x.to_string()).unwrap_or_default(),
            keywords: d.keywords.join("，"),
            source: d.source.clone().unwrap_or_default(),
            banner,
            attachments: d
                .attachments
                .iter()
                .map(|a| LinkView {
                    title: a.title.clone(),
                    url: format!("{base}{}", a.url),
                    note: human_size(a.size),
                })
                .collect(),
            interpretations: r
                .interpretations
                .iter()
                .map(|&j| LinkView {
                    note: site.docs[j].interpretation_form.clone().unwrap_or_default(),
                    ..link(j)
                })
                .collect(),
            interprets: r.interprets.map(link),
            replaces: r.replaces.iter().map(|&j| link(j)).collect(),
            replaced_by: r.replaced_by.iter().map(|&j| link(j)).collect(),
            history: register::history(site, i),
            matters: standard::document_links(site, i),
            columns: columns
                .iter()
                .map(|&k| LinkView {
                    title: site.columns[k].title.clone(),
                    url: format!("{base}{}", site.columns[k].path),
                    note: String::new(),
                })
                .collect(),
            description: d
                .summary
                .clone()
                .unwrap_or_else(|| crate::markdown::excerpt(&rendered.text, 120)),
        };
        let fp = fingerprint(&(&view, d.body.hash()));
        let path = d.page_path();
        let meta = || {
            let mut meta = self.meta(&d.title, path, home_column);
            meta.column_name.clear();
            meta.column_type.clear();
            meta.breadcrumbs.push(LinkView {
                title: d.title.clone(),
                url: format!("{base}{path}"),
                note: String::new(),
            });
            meta
        };
        let meta_key = fingerprint(&(&d.title, path, home_column));
        self.page_fp(
            "document.html",
            path.to_string(),
            meta_key,
            fp,
            meta,
            || {
                let mut view = view;
                if view.body_html.is_empty() {
                    view.body_html = signoff::mark(&rendered.html);
                }
                let mut ctx = Context::new();
                ctx.insert("doc", &view);
                ctx
            },
        )
    }
}

/// A document page for templates.
#[derive(Serialize, Hash)]
struct DocView {
    #[serde(flatten)]
    row: DocRow,
    category: String,
    category_sub: String,
    body_html: String,
    pub_datetime: String,
    effective: String,
    expires: String,
    repealed: String,
    keywords: String,
    source: String,
    banner: Option<String>,
    attachments: Vec<LinkView>,
    interpretations: Vec<LinkView>,
    interprets: Option<LinkView>,
    replaces: Vec<LinkView>,
    replaced_by: Vec<LinkView>,
    history: Vec<String>,
    /// 政务公开事项标准目录 items the document fulfils.
    matters: Vec<LinkView>,
    columns: Vec<LinkView>,
    description: String,
}

fn human_size(n: u64) -> String {
    match n {
        0..1024 => format!("{n} B"),
        1024..1_048_576 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}
