//! gongkai's search engine (placeholder until the search issue lands).

/// One published document as the search index sees it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct IndexDoc {
    /// Root-relative URL of the document page.
    pub url: String,
    pub title: String,
    pub body: String,
    pub doc_no: String,
    pub index_no: String,
    pub issuer: Vec<String>,
    pub category: String,
    pub kind: String,
    pub validity: String,
    /// `YYYY-MM-DD`, or empty when unknown.
    pub published: String,
    pub summary: String,
}

/// Writes the index for `docs`; returns files relative to `public/search/`.
#[cfg(feature = "writer")]
pub fn write_index(_docs: &[IndexDoc]) -> Result<Vec<(String, Vec<u8>)>, String> {
    Ok(Vec::new())
}
