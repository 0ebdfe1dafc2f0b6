//! Stage 4, render: `&Site` + templates → `Vec<OutputFile>`.
//!
//! HTML pages go through Tera with autoescaping on; feeds, sitemap and open data are written
//! directly (feeds.rs, opendata.rs). Pages are rendered in parallel; the output is sorted by
//! path so two builds of the same input are byte-identical.
//!
//! One module per page kind, each adding its methods to the [`Renderer`] of a run
//! (`context.rs`: page meta, breadcrumbs, fingerprints, paginated lists): `columns.rs` (home,
//! 指南, hubs, lists), `facets.rs` (the 目录's facets), `document.rs`, `register.rs`,
//! `standard.rs` (标准目录), `annual.rs` (年报 tables) and `standalone.rs` (网站地图, 声明, 404,
//! search). This file wires them: which pages a run renders, in what order, and what it returns.

pub mod annual;
mod columns;
mod context;
pub mod csv_file;
mod document;
mod facets;
pub mod feeds;
pub mod opendata;
pub mod register;
mod signoff;
mod standalone;
pub mod standard;
pub mod views;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diag::{Code, Diagnostic};
use crate::site::{ByDoc, ColumnId, DocId, Site};
use crate::write::OutputFile;
use context::{ColumnView, Renderer};
use views::{site_view, DocRow};

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

/// One page's outcome: rendered, unchanged since the previous render (`Ok(None)`), or failed.
type Page = Result<Option<OutputFile>, Diagnostic>;

/// Page fingerprints by output path.
pub type Fingerprints = rustc_hash::FxHashMap<String, u64>;

/// A stable hash of a page's inputs.
fn fingerprint<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
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
    let mut out = Collected::new(sink);
    // The column tree's pages, then the 目录's facet pages, a few lists at a time: with a sink
    // they are written as they come, so a 100,000-document site never holds its ~50,000 list
    // pages at once. Each batch renders in parallel and is taken in order, so the first page
    // at a path wins exactly as when everything is collected.
    let facets = r.facet_shared();
    let jobs: Vec<ListJob> =
        site.columns
            .ids()
            .map(ListJob::Column)
            .chain(std::iter::once(ListJob::FacetIndexes))
            .chain(site.facets.iter().enumerate().flat_map(|(f, facet)| {
                (0..facet.values.len()).map(move |v| ListJob::FacetValue(f, v))
            }))
            .collect();
    // Without a sink (`serve`, in memory) nothing is gained by batches: one parallel pass.
    let batch = if sink.is_some() {
        LIST_BATCH
    } else {
        jobs.len().max(1)
    };
    for batch in jobs.chunks(batch) {
        let pages: Vec<Vec<Page>> = batch
            .par_iter()
            .map(|job| match *job {
                ListJob::Column(i) => r.column_pages(i, &site.columns[i]),
                ListJob::FacetIndexes => r.facet_index_pages(&facets),
                ListJob::FacetValue(f, v) => r.facet_value_pages(&facets, f, v),
            })
            .collect();
        pages.into_iter().flatten().for_each(|p| out.take(p));
    }
    // A document page at the path of a page of the column tree is not made: the column's page
    // wins, as it does when nothing is streamed.
    let streamed = Mutex::new(Vec::new());
    let taken = &out.seen;
    let docs: Vec<Page> = site
        .docs
        .par_ids()
        .filter_map(|i| {
            let p = r.document_page(i);
            advance(1);
            match (sink, p) {
                (Some(_), Ok(Some(f))) if taken.contains(&f.path) => None,
                (Some(sink), Ok(Some(f))) => {
                    streamed.lock().expect("streamed lock").push(f.path.clone());
                    sink(f);
                    None
                }
                (_, p) => Some(p),
            }
        })
        .collect();
    docs.into_iter().for_each(|p| out.take(p));
    // Pages outside the column tree.
    standalone::pages(&r).into_iter().for_each(|p| out.take(p));

    let mut fingerprints = r.fps.into_inner().expect("fingerprint lock");
    let mut streamed_paths = streamed.into_inner().expect("streamed lock");
    streamed_paths.extend(out.streamed);
    streamed_paths.sort_unstable();
    for p in streamed_paths
        .iter()
        .chain(out.files.iter().map(|f| &f.path))
    {
        fingerprints.entry(p.clone()).or_insert(0);
    }
    RenderOutput {
        files: out.files,
        streamed: streamed_paths,
        fingerprints,
        diagnostics: out.diags,
    }
}

/// Column and facet lists rendered together before their pages are taken in order.
const LIST_BATCH: usize = 16;

/// A unit of list rendering: one column's pages, the facets' own pages, or one facet value's.
#[derive(Clone, Copy)]
enum ListJob {
    Column(ColumnId),
    FacetIndexes,
    FacetValue(usize, usize),
}

/// Pages taken in order: the first page at a path wins; with a sink, pages go to it at once.
struct Collected<'a> {
    sink: Option<PageSink<'a>>,
    seen: rustc_hash::FxHashSet<String>,
    files: Vec<OutputFile>,
    streamed: Vec<String>,
    diags: Vec<Diagnostic>,
}

impl<'a> Collected<'a> {
    fn new(sink: Option<PageSink<'a>>) -> Self {
        Collected {
            sink,
            seen: Default::default(),
            files: Vec::new(),
            streamed: Vec::new(),
            diags: Vec::new(),
        }
    }

    fn take(&mut self, page: Page) {
        match page {
            Ok(None) => {}
            Ok(Some(f)) => {
                if !self.seen.insert(f.path.clone()) {
                    return;
                }
                match self.sink {
                    Some(sink) => {
                        self.streamed.push(f.path.clone());
                        sink(f);
                    }
                    None => self.files.push(f),
                }
            }
            Err(d) => {
                if !self.diags.contains(&d) {
                    self.diags.push(d);
                }
            }
        }
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
