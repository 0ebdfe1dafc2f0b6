//! One integration binary, one module per feature (ripgrep's layout).

mod harness;

// The 公文 .docx generator and its corpus cases (also used by benches/import.rs).
mod gongwen_cases;
mod gongwen_docx;

/// The corpus `docs/` folder.
pub fn corpus_dir() -> std::path::PathBuf {
    harness::corpus_docs()
}

mod apache;
mod browser;
mod build;
mod check;
mod column;
mod corpus;
mod deploy;
mod export;
mod hardening;
mod import;
mod import_catalogue;
mod integrity;
mod invalid;
mod leak;
mod nginx;
mod props;
mod redirects;
mod report;
mod review;
mod search;
mod search_index;
mod serve;
mod snapshots;
mod standard;
mod workbench;
