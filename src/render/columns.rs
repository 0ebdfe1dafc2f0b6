//! Column pages: the home, single pages (指南), hubs, lists of documents, and the dispatch to
//! the register and standard-catalogue pages.

use tera::Context;

use super::context::{ColumnView, Renderer};
use super::views::LinkView;
use super::{fingerprint, register, standard, Page};
use crate::site::{Column, ColumnId, ColumnKind, DocId};

impl Renderer<'_> {
    pub(super) fn column_pages(&self, i: ColumnId, c: &Column) -> Vec<Page> {
        let base = &self.site.config.base_path;
        let mut ctx = Context::new();
        ctx.insert("column", &ColumnView::new(c, base));
        let children: Vec<LinkView> = c
            .children
            .iter()
            .map(|&j| {
                let ch = &self.site.columns[j];
                LinkView {
                    title: ch.title.clone(),
                    url: format!("{base}{}", ch.path),
                    note: if matches!(ch.kind, ColumnKind::List | ColumnKind::Register) {
                        if ch.docs.is_empty() && !ch.empty_text.is_empty() {
                            "暂无信息".to_string()
                        } else {
                            format!("{} 条", ch.docs.len())
                        }
                    } else {
                        String::new()
                    },
                }
            })
            .collect();
        ctx.insert("children", &children);
        let intro = self.section_html(&c.section_dir);
        ctx.insert(
            "intro_html",
            &intro.as_ref().map(|s| s.1.clone()).unwrap_or_default(),
        );
        ctx.insert(
            "updated",
            &intro.as_ref().map(|s| s.2.clone()).unwrap_or_default(),
        );
        ctx.insert(
            "show_validity",
            &(c.path.contains("法规文件")
                || c.docs.iter().any(|&d| self.site.docs[d].validity.is_some())),
        );
        match c.kind {
            ColumnKind::Home => {
                let latest: Vec<DocId> = c.docs.iter().copied().take(10).collect();
                ctx.insert("rows", &self.rows(&latest));
                ctx.insert("total", &self.site.docs.len());
                ctx.insert("facets", &self.facet_links());
                vec![self.page(
                    "home.html",
                    "index.html".into(),
                    self.meta(&self.site.config.site_name, "index.html", Some(i)),
                    ctx,
                )]
            }
            ColumnKind::Page => {
                let file = format!("{}index.html", c.path);
                let title = intro
                    .as_ref()
                    .map(|s| s.0.clone())
                    .unwrap_or_else(|| c.title.clone());
                vec![self.page(
                    "page.html",
                    file.clone(),
                    self.meta(&title, &file, Some(i)),
                    ctx,
                )]
            }
            ColumnKind::Hub => {
                let file = format!("{}index.html", c.path);
                vec![self.page(
                    "hub.html",
                    file.clone(),
                    self.meta(&c.title, &file, Some(i)),
                    ctx,
                )]
            }
            ColumnKind::List => {
                if c.path == format!("{}/", crate::labels::CATALOGUE.0) {
                    ctx.insert("facets", &self.facet_links());
                }
                let template = if c.path == format!("{}/", crate::labels::INTERPRETATIONS.0) {
                    "interpretations.html"
                } else {
                    "list.html"
                };
                let extra_fp = fingerprint(&ctx.clone().into_json().to_string());
                self.list_pages(
                    template,
                    &c.title,
                    &c.path,
                    (Some(i), &[]),
                    &c.docs,
                    (&ctx, extra_fp),
                )
            }
            ColumnKind::Register => vec![register::page(self, i, c)],
            ColumnKind::Standard => standard::pages(self, i, c),
        }
    }
}
