//! The index schema, shared by the writer and the reader: field names, options and the docstore
//! settings. Both sides build it from this one function, and the reader checks that an index it
//! opens has these fields, so a stale or foreign index is an error, not garbage.
//!
//! Fields (the Chinese labels are the 政府信息公开 metadata they carry):
//!
//! | field | from | how |
//! |---|---|---|
//! | `title` | 标题 | stored only (display) |
//! | `text` | 标题 ×[`TITLE_WEIGHT`], 文号, 索引号, 主题分类 (both levels), 发布机构, 摘要, 正文 | `cjk_unibi` with positions, not stored: the one field queries match and rank on |
//! | `snippet` | 正文 (or 摘要 when there is no 正文) | stored only: source of highlighted snippets, so a snippet can show a match anywhere in the text |
//! | `url`, `doc_no`, `index_no`, `published` | URL, 文号, 索引号, 发布日期 | stored only |
//! | `category`, `category_sub`, `issuer`, `kind`, `validity` | 主题分类, 二级主题分类 (`一级\二级`), 发布机构, 文种, 有效性 | stored + fast (raw): filters, counts, display |
//! | `year` | year of 发布日期 | fast (raw): filter and counts |
//! | `published_day` | 发布日期 as days since 1900-01-01, plus one (0 = unknown) | fast u64: sort by date |
//! | `ord` | position in the writer's input | stored u64: lets the writer merge segments in input order |

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};
use tantivy::store::Compressor;
use tantivy::IndexSettings;

use crate::analyzer::ANALYZER_NAME;

/// Field names (also the JSON keys of facets and filters where they coincide).
pub mod names {
    /// 标题.
    pub const TITLE: &str = "title";
    /// Everything searchable: title, numbers, issuers, category, body.
    pub const TEXT: &str = "text";
    /// Stored body for snippets.
    pub const SNIPPET: &str = "snippet";
    /// Page URL.
    pub const URL: &str = "url";
    /// 文号.
    pub const DOC_NO: &str = "doc_no";
    /// 索引号.
    pub const INDEX_NO: &str = "index_no";
    /// 发布日期, `YYYY-MM-DD` or empty.
    pub const PUBLISHED: &str = "published";
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

/// Size of one docstore block before compression. Small, so that showing one hit fetches little
/// more than that hit's stored fields (research note §4, conclusion 3).
pub const DOCSTORE_BLOCK_SIZE: usize = 2048;

/// The fields of the schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// See [`names::TITLE`].
    pub title: Field,
    /// See [`names::TEXT`].
    pub text: Field,
    /// See [`names::SNIPPET`].
    pub snippet: Field,
    /// See [`names::URL`].
    pub url: Field,
    /// See [`names::DOC_NO`].
    pub doc_no: Field,
    /// See [`names::INDEX_NO`].
    pub index_no: Field,
    /// See [`names::PUBLISHED`].
    pub published: Field,
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
            title: get(names::TITLE)?,
            text: get(names::TEXT)?,
            snippet: get(names::SNIPPET)?,
            url: get(names::URL)?,
            doc_no: get(names::DOC_NO)?,
            index_no: get(names::INDEX_NO)?,
            published: get(names::PUBLISHED)?,
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
    b.add_text_field(names::TITLE, STORED);
    b.add_text_field(
        names::TEXT,
        TextOptions::default().set_indexing_options(analyzed),
    );
    b.add_text_field(names::SNIPPET, STORED);
    b.add_text_field(names::URL, STORED);
    b.add_text_field(names::DOC_NO, STORED);
    b.add_text_field(names::INDEX_NO, STORED);
    b.add_text_field(names::PUBLISHED, STORED);
    b.add_u64_field(names::PUBLISHED_DAY, FAST);
    let facet = TextOptions::default().set_stored().set_fast("raw");
    b.add_text_field(names::CATEGORY, facet.clone());
    b.add_text_field(names::CATEGORY_SUB, facet.clone());
    b.add_text_field(names::ISSUER, facet.clone());
    b.add_text_field(names::KIND, facet.clone());
    b.add_text_field(names::VALIDITY, facet);
    b.add_text_field(names::YEAR, TextOptions::default().set_fast("raw"));
    b.add_u64_field(names::ORD, STORED);
    b.build()
}

/// Index settings: lz4 docstore (no C compiler needed for wasm) with small blocks, compressed on
/// the writing thread (one thread, deterministic output).
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
