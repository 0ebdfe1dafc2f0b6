//! Stage 4, render: `&Site` + templates → `Vec<OutputFile>`.
//!
//! HTML pages go through Tera with autoescaping on; feeds, sitemap and open data are written
//! directly (feeds.rs, opendata.rs). Pages are rendered in parallel; the output is sorted by
//! path so two builds of the same input are byte-identical.

pub mod annual;
pub mod csv_file;
pub mod feeds;
pub mod opendata;
pub mod register;
mod signoff;
pub mod standard;
pub mod views;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diag::{Code, Diagnostic};
use crate::site::{ByDoc, Column, ColumnKind, DocId, Site};
use crate::write::OutputFile;
use views::{pagination, site_view, DocRow, LinkView};

/// Parses the templates in force (name → (file, text), as `load` read them). Syntax errors
/// become E009 diagnostics naming the template file.
pub fn templates(all: &BTreeMap<String, (String, String)>) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    // One load; a failure names the template in quotes, which we map back to its file.
    if let Err(e) = tera.add_raw_templates(
        all.iter()
            .map(|(n, (_, t))| (n.clone(), t.clone()))
            .collect::<Vec<_>>(),
    ) {
        let msg = tera_chain(&e);
        let file = msg
            .split('\'')
            .nth(1)
            .and_then(|n| all.get(n))
            .map(|(rel, _)| rel.clone())
            .unwrap_or_else(|| "templates".into());
        return Err(vec![Diagnostic::new(
            Code::E009,
            file,
            format!("模板错误: {msg}"),
        )
        .help("改正模板；Tera 语法见 https://keats.github.io/tera/docs/")]);
    }
    Ok(tera)
}

/// HTML escaping for templates: the five characters that matter, and nothing else (Tera's
/// default also escapes `/`, which makes every 索引号 unreadable in the page source).
pub fn escape_html(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A Tera error with its causes (Tera hides the useful part in `source()`).
pub fn tera_chain(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Per-page values shared by all templates.
#[derive(Serialize, Hash)]
struct PageMeta {
    /// `<title>` text.
    title: String,
    /// Canonical absolute URL.
    canonical: String,
    /// ColumnName / ColumnType meta for column pages.
    column_name: String,
    column_type: String,
    /// Breadcrumbs from the home.
    breadcrumbs: Vec<LinkView>,
    /// URL of the active first-level column (for `aria-current`).
    section_url: String,
    /// Atom feed of the page's column.
    feed_url: String,
}

struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    base_ctx: Context,
    /// Fingerprints of the previous render (`serve`): a page whose inputs hash the same is
    /// not rendered again.
    prev: &'a Fingerprints,
    /// Fingerprints of this render, for the next one.
    fps: Mutex<Fingerprints>,
    /// Fingerprint of each document's catalogue row.
    row_fps: ByDoc<u64>,
    /// When only these source files changed (`serve`, pure edits), document pages of other
    /// documents are known to be unchanged without computing their fingerprints.
    /// Source paths (as bytes: hashed fast) of the documents edited, when `serve` knows them.
    dirty: Option<rustc_hash::FxHashSet<&'a [u8]>>,
}

/// One page's outcome: rendered, unchanged since the previous render (`Ok(None)`), or failed.
type Page = Result<Option<OutputFile>, Diagnostic>;

/// A stable hash of a page's inputs.
/// Page fingerprints by output path.
pub type Fingerprints = rustc_hash::FxHashMap<String, u64>;

fn fingerprint<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

impl Renderer<'_> {
    fn render(
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
    fn page(&self, template: &str, path: String, meta: PageMeta, extra: Context) -> Page {
        self.render(template, path, meta, extra).map(Some)
    }

    /// Renders a page unless its inputs (`fp`, plus `meta_key`, what its meta is made from)
    /// are what they were last time. The meta also reads the config and the column tree;
    /// fingerprints never outlive them (`serve` clears its fingerprints on a config change).
    fn page_fp(
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

    fn crumbs(&self, column: usize) -> Vec<LinkView> {
        let base = &self.site.config.base_path;
        let mut chain = vec![column];
        let mut cur = column;
        while let Some(p) = self
            .site
            .columns
            .iter()
            .position(|c| c.children.contains(&cur))
        {
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

    fn top_of(&self, column: usize) -> String {
        let base = &self.site.config.base_path;
        let mut cur = column;
        while let Some(p) = self
            .site
            .columns
            .iter()
            .position(|c| c.children.contains(&cur))
        {
            if p == 0 {
                return format!("{base}{}", self.site.columns[cur].path);
            }
            cur = p;
        }
        format!("{base}{}", self.site.columns[cur].path)
    }

    fn meta(&self, title: &str, path: &str, column: Option<usize>) -> PageMeta {
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
    fn meta_below(
        &self,
        title: &str,
        path: &str,
        column: Option<usize>,
        tail: &[LinkView],
    ) -> PageMeta {
        let mut meta = self.meta(title, path, column);
        meta.breadcrumbs.extend(tail.iter().cloned());
        meta
    }

    fn rows(&self, ids: &[DocId]) -> Vec<DocRow> {
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

    fn section_html(&self, dir: &str) -> Option<(String, String, String)> {
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
    fn list_pages(
        &self,
        template: &str,
        title: &str,
        path: &str,
        (column, tail): (Option<usize>, &[LinkView]),
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

    fn column_pages(&self, i: usize, c: &Column) -> Vec<Page> {
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

    fn facet_links(&self) -> Vec<FacetView> {
        let base = &self.site.config.base_path;
        self.site
            .facets
            .iter()
            .map(|f| FacetView {
                name: f.name.to_string(),
                url: format!("{base}{}", f.path),
                values: f
                    .values
                    .iter()
                    .map(|v| LinkView {
                        title: v.value.clone(),
                        url: format!("{base}{}", v.path),
                        note: v.docs.len().to_string(),
                    })
                    .collect(),
            })
            .collect()
    }

    fn facet_pages(&self) -> Vec<Page> {
        let catalogue = self
            .site
            .columns
            .iter()
            .position(|c| c.path == format!("{}/", crate::labels::CATALOGUE.0));
        let facets = self.facet_links();
        let mut out = Vec::new();
        for (f, fv) in self.site.facets.iter().zip(&facets) {
            let path = &f.path;
            let mut ctx = Context::new();
            ctx.insert("facet", fv);
            ctx.insert("facets", &facets);
            let file = format!("{path}index.html");
            let crumb = [LinkView {
                title: f.name.to_string(),
                url: fv.url.clone(),
                note: String::new(),
            }];
            out.push(self.page(
                "facet.html",
                file.clone(),
                self.meta_below(&format!("按{}浏览", f.name), &file, catalogue, &crumb),
                ctx,
            ));
        }
        let jobs: Vec<(&crate::site::Facet, &crate::site::FacetValue)> = self
            .site
            .facets
            .iter()
            .flat_map(|f| f.values.iter().map(move |v| (f, v)))
            .collect();
        // Every value page holds the same facet links: hash them once, not as JSON per page.
        let facets_fp = fingerprint(&facets);
        out.par_extend(jobs.par_iter().flat_map_iter(|(f, v)| {
            let name = f.name;
            let mut ctx = Context::new();
            let column = ColumnView {
                title: format!("{name}：{}", v.value),
                url: format!("{}{}", self.site.config.base_path, v.path),
                description: String::new(),
                feed_url: String::new(),
                empty_text: String::new(),
            };
            ctx.insert("column", &column);
            ctx.insert("children", &Vec::<LinkView>::new());
            ctx.insert("intro_html", "");
            ctx.insert("updated", "");
            ctx.insert("facets", &facets);
            ctx.insert("show_validity", &true);
            // The rest of `ctx` is the same on every value page.
            let extra_fp = fingerprint(&(&column, facets_fp));
            let base = &self.site.config.base_path;
            let tail = [
                LinkView {
                    title: name.to_string(),
                    url: format!("{base}{}", f.path),
                    note: String::new(),
                },
                LinkView {
                    title: v.value.clone(),
                    url: column.url.clone(),
                    note: String::new(),
                },
            ];
            self.list_pages(
                "list.html",
                &column.title,
                &v.path,
                (catalogue, &tail),
                &v.docs,
                (&ctx, extra_fp),
            )
        }));
        out
    }

    fn document_page(&self, i: DocId) -> Page {
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
        let columns: Vec<usize> = site
            .columns
            .iter()
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
            .iter()
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
                .unwrap_or_else(|| crate::markdown::excerpt(&d.body.text, 120)),
        };
        let fp = fingerprint(&(&view, d.body.hash));
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
                    view.body_html = signoff::mark(&d.body.html);
                }
                let mut ctx = Context::new();
                ctx.insert("doc", &view);
                ctx
            },
        )
    }
}

/// A column for templates.
#[derive(Serialize, Hash)]
struct ColumnView {
    title: String,
    url: String,
    description: String,
    feed_url: String,
    /// What an empty list says instead of rows (`[items]`).
    empty_text: String,
}

impl ColumnView {
    fn new(c: &Column, base: &str) -> ColumnView {
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
struct FacetView {
    name: String,
    url: String,
    values: Vec<LinkView>,
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

/// Renders every HTML page of the site.
pub fn render_pages(site: &Site, tera: &Tera) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let out = render_pages_since(site, tera, &Fingerprints::default());
    (out.files, out.diagnostics)
}

/// Where [`render_pages_into`] hands each document page as soon as it is rendered.
pub type PageSink<'a> = &'a (dyn Fn(OutputFile) + Sync);

/// What an incremental render produced.
pub struct RenderOutput {
    /// Pages rendered this time (those not handed to a sink).
    pub files: Vec<OutputFile>,
    /// Paths of the pages handed to a sink, sorted.
    pub streamed: Vec<String>,
    /// Every page path of the site with its input fingerprint (rendered or unchanged).
    pub fingerprints: Fingerprints,
    /// Template errors.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders the pages whose inputs changed since the render that produced `prev` (all pages
/// when `prev` is empty). Pages without a fingerprint (a few site-wide ones) always render.
pub fn render_pages_since(site: &Site, tera: &Tera, prev: &Fingerprints) -> RenderOutput {
    render_pages_since_with(site, tera, prev, &|_| {})
}

/// [`render_pages_since`], calling `advance(1)` after each document page (progress bars).
pub fn render_pages_since_with(
    site: &Site,
    tera: &Tera,
    prev: &Fingerprints,
    advance: &(dyn Fn(u64) + Sync),
) -> RenderOutput {
    render_pages_inner(site, tera, prev, advance, None, None)
}

/// Renders every page; document pages go to `sink` as they are made instead of being kept
/// (`build` writes them at once, so a 100,000-document site never holds all its pages).
pub fn render_pages_into(
    site: &Site,
    tera: &Tera,
    sink: PageSink<'_>,
    advance: &(dyn Fn(u64) + Sync),
) -> RenderOutput {
    render_pages_inner(
        site,
        tera,
        &Fingerprints::default(),
        advance,
        None,
        Some(sink),
    )
}

/// [`render_pages_since`] when only the documents at `dirty` (source paths, plus the documents
/// they were related to before the change) were edited: no file was added or removed.
pub fn render_pages_dirty(
    site: &Site,
    tera: &Tera,
    prev: &Fingerprints,
    dirty: std::collections::HashSet<std::path::PathBuf>,
) -> RenderOutput {
    render_pages_inner(site, tera, prev, &|_| {}, Some(dirty), None)
}

fn render_pages_inner(
    site: &Site,
    tera: &Tera,
    prev: &Fingerprints,
    advance: &(dyn Fn(u64) + Sync),
    dirty: Option<std::collections::HashSet<std::path::PathBuf>>,
    sink: Option<PageSink<'_>>,
) -> RenderOutput {
    let r = renderer(site, tera, prev, dirty.as_ref());
    let mut results: Vec<Page> = Vec::new();
    results.par_extend(
        site.columns
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, c)| r.column_pages(i, c)),
    );
    results.extend(r.facet_pages());
    let streamed = Mutex::new(Vec::new());
    results.par_extend(site.docs.par_ids().filter_map(|i| {
        let p = r.document_page(i);
        advance(1);
        match (sink, p) {
            (Some(sink), Ok(Some(f))) => {
                streamed.lock().expect("streamed lock").push(f.path.clone());
                sink(f);
                None
            }
            (_, p) => Some(p),
        }
    }));
    // Pages outside the column tree.
    let mut ctx = Context::new();
    let tree: Vec<TreeNode> = tree_nodes(site, 0);
    ctx.insert("tree", &tree);
    ctx.insert("facets", &r.facet_links());
    results.push(r.page(
        "sitemap.html",
        "wzdt/index.html".into(),
        r.meta("网站地图", "wzdt/index.html", None),
        ctx,
    ));
    // 网站声明 and 联系我们 (SPEC §5.1 footer links).
    let mut wctx = Context::new();
    let statement = &site.config.footer.statement;
    wctx.insert(
        "statement_html",
        &if statement.trim().is_empty() {
            String::new()
        } else {
            crate::markdown::render(statement, &|_| None).html
        },
    );
    results.push(r.page(
        "statement.html",
        "wzsm/index.html".into(),
        r.meta("网站声明", "wzsm/index.html", None),
        wctx,
    ));
    results.push(r.page(
        "contact.html",
        "lxwm/index.html".into(),
        r.meta("联系我们", "lxwm/index.html", None),
        Context::new(),
    ));
    results.push(r.page(
        "404.html",
        "404.html".into(),
        r.meta("页面不存在", "404.html", None),
        Context::new(),
    ));
    let mut sctx = Context::new();
    sctx.insert("facets", &r.facet_links());
    results.push(r.page(
        "search.html",
        "search/index.html".into(),
        r.meta("信息检索", "search/index.html", None),
        sctx,
    ));

    let mut files = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    let mut seen: BTreeMap<String, ()> = BTreeMap::new();
    let mut fingerprints = r.fps.into_inner().expect("fingerprint lock");
    let mut streamed = streamed.into_inner().expect("streamed lock");
    streamed.sort_unstable();
    // A page of the column tree at the same path as a document page is put after it, so it
    // wins, as when nothing is streamed.
    for p in &streamed {
        fingerprints.entry(p.clone()).or_insert(0);
    }
    for res in results {
        match res {
            Ok(None) => {}
            Ok(Some(f)) => {
                fingerprints.entry(f.path.clone()).or_insert(0);
                if seen.insert(f.path.clone(), ()).is_none() {
                    files.push(f);
                }
            }
            Err(d) => {
                if !diags.contains(&d) {
                    diags.push(d);
                }
            }
        }
    }
    RenderOutput {
        files,
        streamed,
        fingerprints,
        diagnostics: diags,
    }
}

/// The renderer of one run over `site`.
fn renderer<'a>(
    site: &'a Site,
    tera: &'a Tera,
    prev: &'a Fingerprints,
    dirty: Option<&'a std::collections::HashSet<std::path::PathBuf>>,
) -> Renderer<'a> {
    let mut base_ctx = Context::new();
    base_ctx.insert("site", &site_view(site));
    base_ctx.insert("build_date", &site.today.to_string());
    base_ctx.insert("production", &site.config.production);
    let row_fps = ByDoc::new(
        site.docs
            .par_ids()
            .map(|i| {
                let interprets = site.relations[i].interprets.map(|p| &*site.docs[p]);
                DocRow::fingerprint(
                    &site.docs[i],
                    &site.lifecycles[i],
                    &site.config.base_path,
                    interprets,
                )
            })
            .collect(),
    );
    Renderer {
        site,
        tera,
        base_ctx,
        prev,
        fps: Mutex::new(Fingerprints::default()),
        row_fps,
        dirty: dirty.map(|d| d.iter().map(|p| p.as_os_str().as_encoded_bytes()).collect()),
    }
}

/// The page of `site.docs[i]` alone, exactly as the site renders it (the workbench's preview);
/// `Err` is the template error's message.
pub fn render_document_page(site: &Site, tera: &Tera, i: DocId) -> Result<OutputFile, String> {
    let prev = Fingerprints::default();
    let r = renderer(site, tera, &prev, None);
    match r.document_page(i) {
        Ok(page) => Ok(page.expect("a page with no previous fingerprint is rendered")),
        Err(d) => Err(d.message),
    }
}

/// The column tree for the 网站地图 page.
#[derive(Serialize)]
struct TreeNode {
    title: String,
    url: String,
    children: Vec<TreeNode>,
}

fn tree_nodes(site: &Site, i: usize) -> Vec<TreeNode> {
    let base = &site.config.base_path;
    site.columns[i]
        .children
        .iter()
        .map(|&j| TreeNode {
            title: site.columns[j].title.clone(),
            url: format!("{base}{}", site.columns[j].path),
            children: tree_nodes(site, j),
        })
        .collect()
}
