//! Stage 5, the search index: `&Site` → `public/search/` files.
//!
//! The one function that decides what enters the index (Zola's `collect_index_items`). It reads
//! only `Site`, which holds only published documents and published column pages, and hands
//! plain records to the `gongkai-search` crate, which owns the analyzer, schema and file format
//! shared with the browser reader.
//!
//! What is indexed: every published document, and every column page (`_index.md`: the 指南, the
//! 制度 overviews, the 申请 page …) that a column of the site shows, under that column's address,
//! so that 依申请 or 办公时间 finds the 指南. Column pages carry the 文种 [`COLUMN_PAGE_KIND`] and
//! no other metadata, so a filter on a document field (有效性, 发布机构, a year) never lists them,
//! and a listing without words leaves them out unless it asks for that 文种.
//! A draft or withheld `_index.md` never reaches `Site`, so it cannot reach the index.

use gongkai_search::{DocSource, IndexDoc};

use crate::render::PageSink;
use crate::site::{ColumnId, Site};
use crate::write::OutputFile;

/// 文种 of a column page in the index (a facet value, so a citizen can narrow to them).
pub use gongkai_search::COLUMN_PAGE_KIND;

/// The published documents and column pages of a site, one record at a time (the writer never
/// holds a copy of every body).
struct SiteDocs<'a> {
    site: &'a Site,
    /// Column pages to index: `(column, section folder)`, in column order.
    columns: Vec<(ColumnId, &'a str)>,
    /// The first body that could not be read again (the index is then refused).
    unreadable: std::sync::Mutex<Option<crate::diag::Diagnostic>>,
}

/// A body that could not be read again while indexing: the index is not made, and the
/// finding names the file ([`crate::markdown::Body::rendered`]).
#[derive(Debug)]
pub struct Unreadable(pub crate::diag::Diagnostic);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.file.display(), self.0.message)
    }
}

impl std::error::Error for Unreadable {}

impl<'a> SiteDocs<'a> {
    fn new(site: &'a Site) -> SiteDocs<'a> {
        let mut seen = std::collections::BTreeSet::new();
        let columns = site
            .columns
            .enumerate()
            .filter(|(_, c)| site.sections.contains_key(&c.section_dir))
            // A column page shown by two columns is indexed once, at the first.
            .filter(|(_, c)| seen.insert(c.section_dir.as_str()))
            .map(|(i, c)| (i, c.section_dir.as_str()))
            .collect();
        SiteDocs {
            site,
            columns,
            unreadable: Default::default(),
        }
    }
}

impl DocSource for SiteDocs<'_> {
    fn len(&self) -> usize {
        self.site.docs.len() + self.columns.len()
    }

    fn published(&self, i: usize) -> String {
        match self.site.docs.as_slice().get(i) {
            Some(d) => d.published.map(|p| p.date.to_string()).unwrap_or_default(),
            None => String::new(),
        }
    }

    fn doc(&self, i: usize) -> IndexDoc {
        let site = self.site;
        let base = &site.config.base_path;
        let Some(d) = site.docs.as_slice().get(i) else {
            let (column, dir) = self.columns[i - site.docs.len()];
            let section = &site.sections[dir];
            return IndexDoc {
                url: format!("{base}{}", site.columns[column].path),
                title: section.title.clone(),
                body: section.body.text.clone(),
                kind: COLUMN_PAGE_KIND.to_string(),
                ..IndexDoc::default()
            };
        };
        let l = &site.lifecycles.as_slice()[i];
        IndexDoc {
            url: format!("{base}{}", d.page_path()),
            title: d.title.clone(),
            body: match d.body.rendered() {
                Ok(r) => std::sync::Arc::unwrap_or_clone(r).text,
                Err(e) => {
                    let mut first = self.unreadable.lock().unwrap_or_else(|p| p.into_inner());
                    first.get_or_insert(e);
                    String::new()
                }
            },
            doc_no: d.doc_no_text().unwrap_or_default().to_owned(),
            index_no: d.index_no().to_string(),
            issuer: d.issuers.clone(),
            category: d.category.clone().unwrap_or_default(),
            category_sub: match (&d.category, &d.category_sub) {
                (Some(c), Some(s)) if !s.trim().is_empty() => {
                    gongkai_search::category_path(c, s.trim())
                }
                _ => String::new(),
            },
            kind: d.kind.clone(),
            validity: l.validity.map(|v| v.to_string()).unwrap_or_default(),
            published: d.published.map(|p| p.date.to_string()).unwrap_or_default(),
            summary: d.summary.clone().unwrap_or_default(),
        }
    }
}

/// One record per published document, in the site's order (newest first), as the index
/// holds them; column pages are not included (see [`collect_index_records`]).
pub fn collect_index_docs(site: &Site) -> Vec<IndexDoc> {
    let docs = SiteDocs::new(site);
    (0..site.docs.len()).map(|i| docs.doc(i)).collect()
}

/// Every record of the index: the published documents, then the column pages.
pub fn collect_index_records(site: &Site) -> Vec<IndexDoc> {
    let mut out = Vec::new();
    for_each_index_record(site, &mut |d| {
        out.push(d);
        Ok(())
    })
    .expect("collecting does not fail");
    out
}

/// Hands every record of the index to `f`, one at a time, in index order (the export writes
/// them as they come, never holding every body).
pub fn for_each_index_record(
    site: &Site,
    f: &mut dyn FnMut(IndexDoc) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let docs = SiteDocs::new(site);
    (0..docs.len()).try_for_each(|i| f(docs.doc(i)))
}

/// Builds the index files under `search/`.
pub fn index(site: &Site) -> anyhow::Result<Vec<OutputFile>> {
    Ok(index_into(site, &mut || {}, None)?.0)
}

/// [`index`], calling `indexed` when the rest of the work runs on one thread (see
/// [`gongkai_search::write_index_to`]). With a `sink`, each index file goes to it as soon as it
/// is cut (`build` streams them to disk, so the index is never held in memory) and only their
/// paths are returned; else the files are returned.
pub fn index_into(
    site: &Site,
    indexed: &mut dyn FnMut(),
    sink: Option<PageSink<'_>>,
) -> anyhow::Result<(Vec<OutputFile>, Vec<String>)> {
    let docs = SiteDocs::new(site);
    let mut files = Vec::new();
    let mut streamed = Vec::new();
    gongkai_search::write_index_to(&docs, indexed, &mut |p, bytes| {
        let f = OutputFile {
            path: format!("search/{p}"),
            bytes,
        };
        match sink {
            Some(sink) => {
                streamed.push(f.path.clone());
                sink(f);
            }
            None => files.push(f),
        }
        Ok(())
    })
    .map_err(|e| anyhow::anyhow!("无法生成检索索引: {e}"))?;
    let unreadable = docs
        .unreadable
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(d) = unreadable {
        return Err(Unreadable(d).into());
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, streamed))
}
