//! Stage 5, the search index: `&Site` → `public/search/` files.
//!
//! The one function that decides what enters the index (Zola's `collect_index_items`). It reads
//! only `Site`, which holds only published documents, and hands plain records to the
//! `gongkai-search` crate, which owns the analyzer, schema and file format shared with the
//! browser reader.

use gongkai_search::IndexDoc;

use crate::site::Site;
use crate::write::OutputFile;

/// The records to index, one per published document.
pub fn collect_index_docs(site: &Site) -> Vec<IndexDoc> {
    let base = &site.config.base_path;
    site.docs
        .iter()
        .zip(&site.lifecycles)
        .map(|(d, l)| IndexDoc {
            url: format!("{base}{}", d.page_path()),
            title: d.title.clone(),
            body: d.body.text.clone(),
            doc_no: d.doc_no_text().unwrap_or_default().to_owned(),
            index_no: d.index_no().to_string(),
            issuer: d.issuers.clone(),
            category: d.category.clone().unwrap_or_default(),
            kind: d.kind.clone(),
            validity: l.validity.map(|v| v.to_string()).unwrap_or_default(),
            published: d.published.map(|p| p.date.to_string()).unwrap_or_default(),
            summary: d.summary.clone().unwrap_or_default(),
        })
        .collect()
}

/// Builds the index files under `search/`.
pub fn index(site: &Site) -> anyhow::Result<Vec<OutputFile>> {
    index_with(site, &mut || {})
}

/// [`index`], calling `indexed` when the rest of the work runs on one thread (see
/// [`gongkai_search::write_index_with`]).
pub fn index_with(site: &Site, indexed: &mut dyn FnMut()) -> anyhow::Result<Vec<OutputFile>> {
    let docs = collect_index_docs(site);
    let files = gongkai_search::write_index_with(docs, indexed)
        .map_err(|e| anyhow::anyhow!("无法生成检索索引: {e}"))?;
    Ok(files
        .into_iter()
        .map(|(p, bytes)| OutputFile {
            path: format!("search/{p}"),
            bytes,
        })
        .collect())
}
