//! The browser search engine and its page scripts, embedded in the binary so a site needs nothing
//! else: the wasm engine built from `search-wasm/` by `build.rs`, and the files of
//! `themes/default/static/search/`. `gongkai build` writes them to `public/search/`, next to the
//! index files from `gongkai_search::write_index` (under `public/search/index/`).
//!
//! The engine and the index writer come from the same source in the same build, so the shipped
//! engine can always read the shipped index.

/// The search engine (`gongkai-search.wasm`), built by `build.rs`.
pub const ENGINE_WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gongkai-search.wasm"));

/// The page and worker scripts: (file name under `search/`, bytes).
pub const SCRIPTS: &[(&str, &[u8])] = &[
    (
        "engine.js",
        include_bytes!("../themes/default/static/search/engine.js"),
    ),
    (
        "worker.js",
        include_bytes!("../themes/default/static/search/worker.js"),
    ),
    (
        "search.js",
        include_bytes!("../themes/default/static/search/search.js"),
    ),
    (
        "search.css",
        include_bytes!("../themes/default/static/search/search.css"),
    ),
];

/// Static files for `public/search/`: (path under the output root, bytes).
pub fn static_files() -> Vec<(String, Vec<u8>)> {
    let mut files = vec![(
        "search/gongkai-search.wasm".to_string(),
        ENGINE_WASM.to_vec(),
    )];
    files.extend(
        SCRIPTS
            .iter()
            .map(|(name, bytes)| (format!("search/{name}"), bytes.to_vec())),
    );
    files
}
