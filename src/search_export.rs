//! The search records as an NDJSON bulk file, for a platform that runs search on a shared engine
//! (OpenSearch/Elasticsearch, Quickwit) instead of the static index: `gongkai export`. See
//! `docs/scale.md` for why and how.
//!
//! One line per record of the static index (each published document, then each column page
//! such as the 指南), made from exactly the records the static index is built from
//! ([`crate::search::for_each_index_record`]), so nothing a citizen cannot find on the site can
//! be found through the export: the site model holds only published documents and pages. Each line is a
//! JSON object with a stable `id` (the page's absolute URL), the site it belongs to, and the same
//! fields the static index searches and filters on. The mappings beside it ([`OPENSEARCH_INDEX`],
//! [`QUICKWIT_INDEX`]) give those fields the analyzer semantics of the static engine: CJK text as
//! characters with positions (unigrams and bigrams in OpenSearch), matched as phrases, so a
//! query finds exactly the documents that contain it.

use serde::Serialize;

use crate::search::{for_each_index_record, COLUMN_PAGE_KIND};
use crate::site::Site;

/// One line of the export.
#[derive(Debug, Serialize)]
pub struct ExportRecord<'a> {
    /// Absolute URL of the page: unique across every site that exports.
    pub id: String,
    /// `document`, or `page` for a column page (the 指南, a 制度 overview …).
    #[serde(rename = "type")]
    pub record_type: &'static str,
    /// The site's name (`site_name`).
    pub site: &'a str,
    /// The site's address (`base_url`).
    pub site_url: &'a str,
    /// Absolute URL of the page (same as `id`).
    pub url: String,
    /// 标题.
    pub title: String,
    /// 文号.
    pub doc_no: String,
    /// 索引号.
    pub index_no: String,
    /// 发布机构.
    pub issuer: Vec<String>,
    /// 主题分类.
    pub category: String,
    /// Second-level 主题分类 as `一级\二级` (empty when none).
    pub category_sub: String,
    /// 文种.
    pub kind: String,
    /// 有效性 on the build date.
    pub validity: String,
    /// 发布日期 `YYYY-MM-DD`, or null.
    pub published: Option<String>,
    /// Year of 发布日期, or null.
    pub year: Option<String>,
    /// 摘要.
    pub summary: String,
    /// 正文 as plain text.
    pub body: String,
}

/// The export of `site`: NDJSON, one record per line, each line ending in `\n`.
pub fn ndjson(site: &Site) -> String {
    let mut out = Vec::new();
    write(site, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Writes the export of `site` to `out`, one record at a time (a province's 500,000 documents
/// never sit in memory as one text).
pub fn write(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let cfg = &site.config;
    // `base_url` ends with the base path; page URLs start with it.
    let origin = cfg
        .base_url
        .strip_suffix(cfg.base_path.as_str())
        .unwrap_or(cfg.base_url.trim_end_matches('/'));
    for_each_index_record(site, &mut |d| {
        let url = format!("{origin}{}", d.url);
        let published = (!d.published.is_empty()).then(|| d.published.clone());
        let page = d.kind == COLUMN_PAGE_KIND;
        let record = ExportRecord {
            id: url.clone(),
            record_type: if page { "page" } else { "document" },
            site: &cfg.site_name,
            site_url: &cfg.base_url,
            url,
            year: published
                .as_ref()
                .and_then(|p| p.get(..4))
                .map(str::to_string),
            published,
            title: d.title,
            doc_no: d.doc_no,
            index_no: d.index_no,
            issuer: d.issuer,
            category: d.category,
            category_sub: d.category_sub,
            kind: d.kind,
            validity: d.validity,
            summary: d.summary,
            body: d.body,
        };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")
    })?;
    Ok(())
}

/// Index settings and mappings for OpenSearch/Elasticsearch (`PUT /gongkai` with this body):
/// full-width forms folded, lowercased, CJK text as unigrams and bigrams with positions
/// (`cjk_bigram` with `output_unigrams`), so `match_phrase` finds exactly the documents that
/// contain the query; the filters as keywords.
pub const OPENSEARCH_INDEX: &str = r#"{
  "settings": {
    "analysis": {
      "analyzer": {
        "gongkai_cjk": {
          "type": "custom",
          "tokenizer": "standard",
          "filter": ["cjk_width", "lowercase", "gongkai_bigram"]
        }
      },
      "filter": {
        "gongkai_bigram": { "type": "cjk_bigram", "output_unigrams": true }
      }
    }
  },
  "mappings": {
    "properties": {
      "id": { "type": "keyword" },
      "type": { "type": "keyword" },
      "site": { "type": "keyword" },
      "site_url": { "type": "keyword" },
      "url": { "type": "keyword", "index": false },
      "title": { "type": "text", "analyzer": "gongkai_cjk", "fields": { "raw": { "type": "keyword" } } },
      "doc_no": { "type": "text", "analyzer": "gongkai_cjk", "fields": { "raw": { "type": "keyword" } } },
      "index_no": { "type": "keyword", "fields": { "text": { "type": "text", "analyzer": "gongkai_cjk" } } },
      "issuer": { "type": "keyword", "fields": { "text": { "type": "text", "analyzer": "gongkai_cjk" } } },
      "category": { "type": "keyword", "fields": { "text": { "type": "text", "analyzer": "gongkai_cjk" } } },
      "category_sub": { "type": "keyword", "fields": { "text": { "type": "text", "analyzer": "gongkai_cjk" } } },
      "kind": { "type": "keyword" },
      "validity": { "type": "keyword" },
      "published": { "type": "date", "format": "yyyy-MM-dd" },
      "year": { "type": "keyword" },
      "summary": { "type": "text", "analyzer": "gongkai_cjk" },
      "body": { "type": "text", "analyzer": "gongkai_cjk" }
    }
  }
}
"#;

/// Index configuration for Quickwit (`quickwit index create --index-config`): CJK text split
/// into characters with positions (`chinese_compatible`), so phrase queries find exactly the
/// documents that contain them; the filters as raw, fast fields.
pub const QUICKWIT_INDEX: &str = r#"version: 0.8
index_id: gongkai
doc_mapping:
  mode: strict
  field_mappings:
    - { name: id, type: text, tokenizer: raw }
    - { name: type, type: text, tokenizer: raw, fast: true }
    - { name: site, type: text, tokenizer: raw, fast: true }
    - { name: site_url, type: text, tokenizer: raw }
    - { name: url, type: text, indexed: false }
    - { name: title, type: text, tokenizer: chinese_compatible, record: position }
    - { name: doc_no, type: text, tokenizer: chinese_compatible, record: position }
    - { name: index_no, type: text, tokenizer: chinese_compatible, record: position }
    - { name: issuer, type: array<text>, tokenizer: raw, fast: true }
    - { name: category, type: text, tokenizer: raw, fast: true }
    - { name: category_sub, type: text, tokenizer: raw, fast: true }
    - { name: kind, type: text, tokenizer: raw, fast: true }
    - { name: validity, type: text, tokenizer: raw, fast: true }
    - { name: published, type: datetime, input_formats: ["%Y-%m-%d"], fast: true }
    - { name: year, type: text, tokenizer: raw, fast: true }
    - { name: summary, type: text, tokenizer: chinese_compatible, record: position }
    - { name: body, type: text, tokenizer: chinese_compatible, record: position }
search_settings:
  default_search_fields: [title, doc_no, index_no, summary, body]
"#;
