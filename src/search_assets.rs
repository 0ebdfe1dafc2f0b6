//! Browser search assets (placeholder until the search engine lands): none yet.

/// Static files for `public/search/`: (path under the output root, bytes).
pub fn static_files() -> Vec<(String, Vec<u8>)> {
    Vec::new()
}
