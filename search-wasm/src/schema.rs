//! The index schema, shared by the writer and the reader: field names, options and the docstore
//! settings. Both sides build it from this one function, and the reader checks that an index it
//! opens has these fields, so a stale or foreign index is an error, not garbage.
//!
//! tantivy stores nothing: what a hit shows (标题, URL, 正文 for the snippet, the metadata) is in
//! one record file per document ([`crate::stored`]), named from the document's id. tantivy's
//! docstore would need a skip index with one entry per document (to fetch one hit's block
//! alone), read whole when the index is opened: 284 KiB of every first query at 100,000
//! documents.
//!
//! Fields (the Chinese labels are the 政府信息公开 metadata they carry):
//!
//! | field | from | how |
//! |---|---|---|
//! | `text` | 标题 ×[`TITLE_WEIGHT`], 文号, 索引号, 主题分类 (both levels), 发布机构, 摘要, 正文 | `cjk_unibi` with positions: the one field queries match and rank on |
//! | `category`, `category_sub`, `issuer`, `kind`, `validity` | 主题分类, 二级主题分类 (`一级\二级`), 发布机构, 文种, 有效性 | fast (raw): filters and counts |
//! | `year` | year of 发布日期 | fast (raw): filter and counts |
//! | `published_day` | 发布日期 as days since 1900-01-01, plus one (0 = unknown) | fast u64: sort by date |
//! | `ord` | position in the index order | fast u64: lets the writer merge segments in order and check that document ids are that order (records are named by id) |

use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::store::Compressor;
use tantivy::IndexSettings;

use crate::analyzer::ANALYZER_NAME;

/// Field names (also the JSON keys of facets and filters where they coincide).
pub mod names {
    /// Everything searchable: title, numbers, issuers, category, body.
    pub const TEXT: &str = "text";
    /// 发布日期 as days since 1900-01-01 plus one, 0 when unknown (fewer bits than `YYYYMMDD`).
    pub const PUBLISHED_DAY: &str = "published_day";
    /// 主题分类.
    pub const CATEGORY: &str = "category";
    /// Second-level 主题分类, `一级\二级` (see [`crate::category_path`]).
    pub const CATEGORY_SUB: &str = "category_sub";
    /// 发布机构 (several per document).
    pub const ISSUER: &str = "issuer";
    /// 文种 / 文件类型.
    pub const KIND: &str = "kind";
    /// 有效性.
    pub const VALIDITY: &str = "validity";
    /// Year of 发布日期.
    pub const YEAR: &str = "year";
    /// Input order.
    pub const ORD: &str = "ord";
}

/// How many times the title is indexed in `text`: a match in the title then counts that many
/// times in BM25, which ranks documents about the query (by their title) first.
pub const TITLE_WEIGHT: usize = 3;

/// Size of one docstore block before compression. The docstore holds empty documents (nothing
/// is stored, see the module doc), so large blocks keep its skip index to a few checkpoints.
pub const DOCSTORE_BLOCK_SIZE: usize = 1 << 20;

/// The fields of the schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// See [`names::TEXT`].
    pub text: Field,
    /// See [`names::PUBLISHED_DAY`].
    pub published_day: Field,
    /// See [`names::CATEGORY`].
    pub category: Field,
    /// See [`names::CATEGORY_SUB`].
    pub category_sub: Field,
    /// See [`names::ISSUER`].
    pub issuer: Field,
    /// See [`names::KIND`].
    pub kind: Field,
    /// See [`names::VALIDITY`].
    pub validity: Field,
    /// See [`names::YEAR`].
    pub year: Field,
    /// See [`names::ORD`].
    pub ord: Field,
}

impl Fields {
    /// Resolves every field by name; `Err(name)` names the first one missing.
    pub fn resolve(schema: &Schema) -> Result<Fields, String> {
        let get = |name: &str| schema.get_field(name).map_err(|_| name.to_string());
        Ok(Fields {
            text: get(names::TEXT)?,
            published_day: get(names::PUBLISHED_DAY)?,
            category: get(names::CATEGORY)?,
            category_sub: get(names::CATEGORY_SUB)?,
            issuer: get(names::ISSUER)?,
            kind: get(names::KIND)?,
            validity: get(names::VALIDITY)?,
            year: get(names::YEAR)?,
            ord: get(names::ORD)?,
        })
    }

    /// The full-text fields a query part is looked up in.
    pub fn searched(&self) -> [Field; 1] {
        [self.text]
    }
}

/// Builds the schema (the only place that does).
pub fn build_schema() -> Schema {
    let analyzed = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER_NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let mut b = Schema::builder();
    b.add_text_field(
        names::TEXT,
        TextOptions::default().set_indexing_options(analyzed),
    );
    b.add_u64_field(names::PUBLISHED_DAY, FAST);
    let facet = TextOptions::default().set_fast("raw");
    b.add_text_field(names::CATEGORY, facet.clone());
    b.add_text_field(names::CATEGORY_SUB, facet.clone());
    b.add_text_field(names::ISSUER, facet.clone());
    b.add_text_field(names::KIND, facet.clone());
    b.add_text_field(names::VALIDITY, facet);
    b.add_text_field(names::YEAR, TextOptions::default().set_fast("raw"));
    b.add_u64_field(names::ORD, FAST);
    b.build()
}

/// Index settings: lz4 docstore (no C compiler needed for wasm), compressed on the writing thread
/// (one thread, deterministic output).
pub fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Lz4,
        docstore_compress_dedicated_thread: false,
        docstore_blocksize: DOCSTORE_BLOCK_SIZE,
        ..IndexSettings::default()
    }
}

/// Registers the analyzer on an index (writer and reader alike).
pub fn register_analyzer(index: &tantivy::Index) {
    index.tokenizers().register(
        ANALYZER_NAME,
        tantivy::tokenizer::TextAnalyzer::builder(crate::analyzer::CjkUnibiTokenizer).build(),
    );
}
