//! gongkai（公开）: a static site generator for China's government information disclosure
//! columns (政府信息公开专栏).
//!
//! One document's path from `content/` to `public/`:
//!
//! 1. [`load`] reads `content/**/*.md`, splits front-matter from body, maps Chinese labels to keys.
//! 2. [`validate`] checks every field against SPEC §3 and decides publication: only 主动公开,
//!    non-draft documents become [`document::Public`]; the rest are kept as identifiers only.
//! 3. [`site`] arranges published documents into the column tree (SPEC §2) and catalogues.
//! 4. [`render`] turns the site into HTML pages, feeds, the sitemap and open data.
//! 5. [`search`] builds the Chinese full-text index for the browser.
//! 6. [`write`] replaces `public/` atomically ([`compress`] adds `.gz`/`.br` copies first).
//!
//! [`pipeline`] wires the stages; [`cmd`] holds the subcommands. [`report`] computes the annual
//! report (SPEC §4) from the documents' dates and `annual/YEAR.toml`.
#![warn(missing_docs)]
// `Diagnostic` is the error of every check (file, line, field, the source line, help): failures
// are rare, so their size on the error path costs nothing worth boxing.
#![allow(clippy::result_large_err)]

pub mod allocator;
pub mod calendar;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod compress;
pub mod config;
pub mod diag;
pub mod document;
pub mod import;
pub mod labels;
pub mod ledger;
pub mod load;
pub mod markdown;
pub mod meta;
pub mod pipeline;
pub mod progress;
pub mod redirects;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
mod search_assets;
pub mod search_export;
pub mod serve;
pub mod site;
pub mod synth;
pub mod theme;
pub mod validate;
pub mod workbench;
pub mod write;
