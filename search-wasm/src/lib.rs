//! gongkai's search engine: the Chinese analyzer, the index schema, the writer (native, feature
//! `writer`) and the reader, which runs both natively (`gongkai search`) and in the browser
//! (wasm32-unknown-unknown, in a Web Worker).
//!
//! One crate for both sides because the two must agree exactly: the same tokenizer
//! ([`analyzer`]), the same schema ([`schema`]), and the same tantivy version and features (an
//! index written with other features is unreadable).
//!
//! ```no_run
//! # #[cfg(feature = "writer")] {
//! use gongkai_search::{write_index, search_dir, IndexDoc, SearchQuery};
//! let docs = vec![IndexDoc { url: "/a/".into(), title: "关于推进政务公开的意见".into(), ..Default::default() }];
//! for (path, bytes) in write_index(&docs).unwrap() {
//!     // write `bytes` to public/search/<path>
//! #   let _ = (path, bytes);
//! }
//! let results = search_dir("public/search".as_ref(), &SearchQuery::new("政务公开")).unwrap();
//! # let _ = results; }
//! ```
//!
//! How the browser avoids downloading the whole index: see [`manifest`] (chunk files and the
//! hotcache), [`directory`] (reads that record misses) and [`engine`] (the fetch-and-retry phases).
#![warn(missing_docs)]

pub mod analyzer;
pub mod directory;
pub mod engine;
pub mod error;
pub mod manifest;
mod plan;
pub mod query;
pub mod schema;
pub mod snippet;
pub mod stored;

#[cfg(feature = "writer")]
pub mod bench;
#[cfg(feature = "writer")]
mod disk;
#[cfg(feature = "writer")]
pub mod layout;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
#[cfg(feature = "writer")]
mod record;
#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(feature = "writer")]
pub mod writer;

#[cfg(all(feature = "writer", target_arch = "wasm32"))]
compile_error!("the `writer` feature is native only (tantivy's IndexWriter spawns threads)");

pub use engine::{Engine, Facets, Hit, Notice, SearchResults, Step};
pub use error::Error;
#[cfg(feature = "writer")]
pub use layout::WriteOptions;
#[cfg(not(target_arch = "wasm32"))]
pub use native::{search_dir, LocalIndex};
pub use query::{SearchQuery, Sort};
#[cfg(feature = "writer")]
pub use writer::{write_index, write_index_to, write_index_to_with, write_index_with, DocSource};

/// The value of the second-level 主题分类 facet: `一级\二级` (the form of the gov.cn 政策文件库's
/// `childtype`), so that 其他 under two first levels stays two values.
///
/// The browser page filters on it with the query field (and URL parameter) `category_sub`, and
/// the engine returns its counts as `facets.category_sub`.
pub fn category_path(category: &str, sub: &str) -> String {
    format!("{category}\\{sub}")
}

/// 文种 of a column page (`_index.md`: the 指南, a 制度 overview …) in the index. Words find
/// column pages like documents; a listing without words leaves them out unless its `kind`
/// filter asks for this value.
pub const COLUMN_PAGE_KIND: &str = "栏目页面";

/// One published document as the search index sees it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct IndexDoc {
    /// URL of the document page, used as the link of a hit as is (root-relative, base path
    /// included, e.g. `/xxgk/2019/abc/`).
    pub url: String,
    /// 标题.
    pub title: String,
    /// 正文 as plain text.
    pub body: String,
    /// 文号 (发文字号), e.g. `国发〔2019〕5号`.
    pub doc_no: String,
    /// 索引号.
    pub index_no: String,
    /// 发布机构 (one or more).
    pub issuer: Vec<String>,
    /// 主题分类.
    pub category: String,
    /// Second-level 主题分类 as `一级\二级` ([`category_path`]), or empty.
    pub category_sub: String,
    /// 文种 / 文件类型.
    pub kind: String,
    /// 有效性.
    pub validity: String,
    /// `YYYY-MM-DD`, or empty when unknown.
    pub published: String,
    /// 摘要 (searched; shown as the snippet when the body is empty).
    pub summary: String,
}
