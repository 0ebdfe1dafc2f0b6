//! What the page kinds share: the [`Renderer`] of one run, the page meta (title, canonical
//! address, breadcrumbs), fingerprinted rendering, and paginated lists of documents.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::views::{self, pagination, DocRow, LinkView};
use super::{fingerprint, tera_chain, Fingerprints, Page};
use crate::diag::{Code, Diagnostic};
use crate::site::{ByDoc, Column, ColumnId, ColumnKind, DocId, Site};
use crate::write::OutputFile;
use std::sync::Mutex;

/// Per-page values shared by all templates.
#[derive(Serialize, Hash)]
pub(super) struct PageMeta {
    /// `<title>` text.
    pub(super) title: String,
    /// Canonical absolute URL.
    pub(super) canonical: String,
    /// ColumnName / ColumnType meta for column pages.
    pub(super) column_name: String,
    pub(super) column_type: String,
    /// Breadcrumbs from the home.
    pub(super) breadcrumbs: Vec<LinkView>,
    /// URL of the active first-level column (for `aria-current`).
    pub(super) section_url: String,
    /// Atom feed of the page's column.
    pub(super) feed_url: String,
}

/// What every page of one render shares: the site, the templates, the context every page
/// starts from, and the fingerprints of this render and the previous one.
pub(super) struct Renderer<'a> {
    pub(super) site: &'a Site,
    pub(super) tera: &'a Tera,
    pub(super) base_ctx: Context,
    /// Fingerprints of the previous render (`serve`): a page whose inputs hash the same is
    /// not rendered again.
    pub(super) prev: &'a Fingerprints,
    /// Fingerprints of this render, for the next one.
    pub(super) fps: Mutex<Fingerprints>,
    /// Fingerprint of each document's catalogue row.
    pub(super) row_fps: ByDoc<u64>,
    /// When only these source files changed (`serve`, pure edits), document pages of other
    /// documents are known to be unchanged without computing their fingerprints.
    /// Source paths (as bytes: hashed fast) of the documents edited, when `serve` knows them.
    pub(super) dirty: Option<rustc_hash::FxHashSet<&'a [u8]>>,
}

impl Renderer<'_> {
    pub(super) fn render(
        &self,
        template: &str,
        path: String,
        meta: PageMeta,
        extra: Context,
    ) -> Result<OutputFile, Diagnostic> {
        let mut ctx = self.base_ctx.clone();
        ctx.insert("page", &meta);
        ctx.extend(extra);
        let html = self.tera.render(template, &ctx).map_err(|e| {
            Diagnostic::new(
                Code::E009,
                format!("templates/{template}"),
                format!("渲染 {path} 时模板出错: {}", tera_chain(&e)),
            )
            .help("检查模板中使用的变量名")
        })?;
        Ok(OutputFile {
            path,
            bytes: html.into_bytes(),
        })
    }

    /// Renders a page that has no fingerprint (always rendered).
    pub(super) fn page(
        &self,
        template: &str,
        path: String,
        meta: PageMeta,
        extra: Context,
    ) -> Page {
        self.render(template, path, meta, extra).map(Some)
    }

    /// Renders a page unless its inputs (`fp`, plus `meta_key`, what its meta is made from)
    /// are what they were last time. The meta also reads the config and the column tree;
    /// fingerprints never outlive them (`serve` clears its fingerprints on a config change).
    pub(super) fn page_fp(
        &self,
        template: &str,
        path: String,
        meta_key: u64,
        fp: u64,
        meta: impl FnOnce() -> PageMeta,
        extra: impl FnOnce() -> Context,
    ) -> Page {
        let fp = fingerprint(&(template, fp, meta_key));
        self.fps
            .lock()
            .expect("fingerprint lock")
            .insert(path.clone(), fp);
        if self.prev.get(&path) == Some(&fp) {
            return Ok(None);
        }
        self.render(template, path, meta(), extra()).map(Some)
    }

    pub(super) fn crumbs(&self, column: ColumnId) -> Vec<LinkView> {
        let base = &self.site.config.base_path;
        let mut chain = vec![column];
        let mut cur = column;
        while let Some(p) = self.site.columns.position(|c| c.children.contains(&cur)) {
            chain.push(p);
            cur = p;
        }
        chain
            .iter()
            .rev()
            .map(|&i| LinkView {
                title: self.site.columns[i].title.clone(),
                url: format!("{base}{}", self.site.columns[i].path),
                note: String::new(),
            })
            .collect()
    }

    pub(super) fn top_of(&self, column: ColumnId) -> String {
        let base = &self.site.config.base_path;
        let mut cur = column;
        while let Some(p) = self.site.columns.position(|c| c.children.contains(&cur)) {
            if p == ColumnId::HOME {
                return format!("{base}{}", self.site.columns[cur].path);
            }
            cur = p;
        }
        format!("{base}{}", self.site.columns[cur].path)
    }

    pub(super) fn meta(&self, title: &str, path: &str, column: Option<ColumnId>) -> PageMeta {
        let c = column.map(|i| &self.site.columns[i]);
        PageMeta {
            title: if title == self.site.config.site_name {
                title.to_string()
            } else {
                format!("{title} - {}", self.site.config.site_name)
            },
            canonical: format!(
                "{}{}",
                self.site.config.base_url,
                path.trim_end_matches("index.html")
            ),
            column_name: c.map(|c| c.title.clone()).unwrap_or_default(),
            column_type: c.map(|c| c.column_type.to_string()).unwrap_or_default(),
            breadcrumbs: column.map(|i| self.crumbs(i)).unwrap_or_default(),
            section_url: column.map(|i| self.top_of(i)).unwrap_or_default(),
            feed_url: c
                .filter(|c| c.has_feed || c.kind == ColumnKind::Home)
                .map(|c| format!("{}{}atom.xml", self.site.config.base_path, c.path))
                .unwrap_or_default(),
        }
    }

    /// [`meta`](Self::meta) for a page below its column that has no column of its own (a
    /// 主题分类/发布机构… page of the 目录): `tail` continues the breadcrumbs.
    pub(super) fn meta_below(
        &self,
        title: &str,
        path: &str,
        column: Option<ColumnId>,
        tail: &[LinkView],
    ) -> PageMeta {
        let mut meta = self.meta(title, path, column);
        meta.breadcrumbs.extend(tail.iter().cloned());
        meta
    }

    pub(super) fn rows(&self, ids: &[DocId]) -> Vec<DocRow> {
        let base = &self.site.config.base_path;
        ids.iter()
            .map(|&i| {
                let mut row = DocRow::new(&self.site.docs[i], &self.site.lifecycles[i], base);
                row.interprets = self.site.relations[i].interprets.map(|p| LinkView {
                    title: self.site.docs[p].title.clone(),
                    url: format!("{base}{}", self.site.docs[p].page_path()),
                    note: self.site.docs[p]
                        .doc_no_text()
                        .unwrap_or_default()
                        .to_owned(),
                });
                row
            })
            .collect()
    }

    pub(super) fn section_html(&self, dir: &str) -> Option<(String, String, String)> {
        self.site.sections.get(dir).map(|s| {
            (
                s.title.clone(),
                s.body.html.clone(),
                s.updated.map(|d| d.to_string()).unwrap_or_default(),
            )
        })
    }

    /// A paginated list of documents at `path`, in `column`, with `tail` continuing the
    /// breadcrumbs. `extra` is the rest of each page's context, with a fingerprint of it (the
    /// caller knows what it is made of). Lists of more than one page get a page index.
    pub(super) fn list_pages(
        &self,
        template: &str,
        title: &str,
        path: &str,
        (column, tail): (Option<ColumnId>, &[LinkView]),
        ids: &[DocId],
        (extra, extra_fp): (&Context, u64),
    ) -> Vec<Page> {
        let size = self.site.config.page_size.max(1);
        let total = ids.len().div_ceil(size).max(1);
        let mut pages: Vec<Page> = (1..=total)
            .into_par_iter()
            .map(|n| {
                let chunk = &ids[((n - 1) * size).min(ids.len())..(n * size).min(ids.len())];
                let rows_fp: Vec<u64> = chunk.iter().map(|&i| self.row_fps[i]).collect();
                let fp = fingerprint(&(extra_fp, n, total, ids.len(), rows_fp));
                let build_ctx = || {
                    let mut ctx = extra.clone();
                    ctx.insert("rows", &self.rows(chunk));
                    ctx.insert(
                        "pagination",
                        &pagination(&self.site.config.base_path, path, n, total, ids.len()),
                    );
                    ctx
                };
                let file = if n == 1 {
                    format!("{path}index.html")
                } else {
                    format!("{path}page/{n}/index.html")
                };
                let t = if n == 1 {
                    title.to_string()
                } else {
                    format!("{title}（第{n}页）")
                };
                self.page_fp(
                    template,
                    file.clone(),
                    fingerprint(&(&t, &file, column, tail)),
                    fp,
                    || self.meta_below(&t, &file, column, tail),
                    build_ctx,
                )
            })
            .collect();
        if total > 1 {
            // `…/page/index.html`: every page number as a link. It is where the pager's
            // "跳到第 N 页" form lands without JavaScript (a static host cannot turn `?n=N`
            // into `page/N/`), so the jump still works in two clicks.
            let base = &self.site.config.base_path;
            let file = format!("{path}page/index.html");
            let t = format!("{title}（全部页码）");
            let mut ctx = Context::new();
            ctx.insert("list_title", title);
            ctx.insert("list_url", &views::page_url(base, path, 1));
            ctx.insert("pages", &views::all_pages(base, path, total));
            pages.push(self.page_fp(
                "pages.html",
                file.clone(),
                fingerprint(&(&t, &file, column, tail)),
                fingerprint(&total),
                || self.meta_below(&t, &file, column, tail),
                || ctx,
            ));
        }
        pages
    }
}

/// A column for templates.
#[derive(Serialize, Hash)]
pub(super) struct ColumnView {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) description: String,
    pub(super) feed_url: String,
    /// What an empty list says instead of rows (`[items]`).
    pub(super) empty_text: String,
}

impl ColumnView {
    pub(super) fn new(c: &Column, base: &str) -> ColumnView {
        ColumnView {
            title: c.title.clone(),
            url: format!("{base}{}", c.path),
            description: c.description.clone(),
            empty_text: c.empty_text.clone(),
            feed_url: if c.has_feed || c.kind == ColumnKind::Home {
                format!("{base}{}atom.xml", c.path)
            } else {
                String::new()
            },
        }
    }
}

#[derive(Serialize, Hash)]
pub(super) struct FacetView {
    pub(super) name: String,
    pub(super) url: String,
    pub(super) values: Vec<LinkView>,
}
