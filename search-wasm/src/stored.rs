//! What a hit shows, one record file per document: `<records>-d<id>.bin` next to the chunks,
//! where `<records>` is the content hash of every record ([`crate::manifest::Manifest::records`])
//! and `<id>` the document's id in the index.
//!
//! Why not tantivy's docstore: to fetch one hit alone, every docstore block must hold one
//! document, and tantivy then keeps one skip-index checkpoint per document, which it reads whole
//! when the index is opened (284 KiB of every first query at 100,000 documents). A record named
//! by the document's id costs nothing to find: opening the index reads nothing per document, and
//! a hit is one request of exactly its record.
//!
//! A record is the JSON of [`StoredDoc`], lz4-compressed (as tantivy's docstore was), with its
//! decompressed length in front.

use serde::{Deserialize, Serialize};

/// Largest decompressed record accepted (a record is one document's text and metadata).
const MAX_RECORD_BYTES: usize = 64 << 20;

/// The stored fields of one document: what a hit shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDoc {
    /// Page URL.
    pub url: String,
    /// 标题.
    pub title: String,
    /// 正文 (or 摘要 when there is no 正文): the source of the snippet.
    pub snippet: String,
    /// 发布日期 `YYYY-MM-DD`, or empty.
    pub published: String,
    /// 发布机构 (empty values left out).
    pub issuer: Vec<String>,
    /// 主题分类.
    pub category: String,
    /// Second-level 主题分类, `一级\二级`, or empty.
    pub category_sub: String,
    /// 文种.
    pub kind: String,
    /// 有效性.
    pub validity: String,
    /// 文号.
    pub doc_no: String,
    /// 索引号.
    pub index_no: String,
}

impl StoredDoc {
    /// The bytes of its record file.
    pub fn encode(&self) -> Vec<u8> {
        let json = serde_json::to_vec(self).expect("a record serialises");
        let mut out = vec![0u8; 4 + lz4_flex::block::get_maximum_output_size(json.len())];
        out[..4].copy_from_slice(&(json.len() as u32).to_le_bytes());
        let n = lz4_flex::block::compress_into(&json, &mut out[4..])
            .expect("the buffer has the maximum compressed size");
        out.truncate(4 + n);
        out
    }

    /// Reads a record file.
    pub fn decode(bytes: &[u8]) -> Result<StoredDoc, String> {
        let size = bytes
            .get(..4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
            .ok_or("record: truncated")?;
        if size > MAX_RECORD_BYTES {
            return Err(format!("record: announces {size} bytes"));
        }
        let mut json = vec![0u8; size];
        let n = lz4_flex::block::decompress_into(&bytes[4..], &mut json)
            .map_err(|e| format!("record: not lz4: {e}"))?;
        if n != size {
            return Err(format!("record: {n} bytes, announced {size}"));
        }
        serde_json::from_slice(&json).map_err(|e| format!("record: not a record: {e}"))
    }
}

/// File name of the record of document `doc` when the records' hash is `records`.
pub fn record_name(records: &str, doc: u32) -> String {
    format!("{records}-d{doc}.bin")
}

/// The document id of a record file name, if it is one of `records`.
pub fn parse_record_name(records: &str, name: &str) -> Option<u32> {
    let rest = name.strip_prefix(records)?.strip_prefix("-d")?;
    let id = rest.strip_suffix(".bin")?;
    // Canonical digits only, so one document has one name.
    if id.is_empty() || (id.len() > 1 && id.starts_with('0')) {
        return None;
    }
    id.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_names_are_canonical() {
        let doc = StoredDoc {
            url: "/a/".into(),
            title: "关于推进政务公开的意见".into(),
            snippet: "正文".repeat(100),
            issuer: vec!["国务院办公厅".into()],
            ..StoredDoc::default()
        };
        assert_eq!(StoredDoc::decode(&doc.encode()).unwrap(), doc);
        assert!(StoredDoc::decode(b"\x01").is_err());
        assert!(StoredDoc::decode(&[0xff, 0xff, 0xff, 0x7f, 0]).is_err());
        assert_eq!(record_name("ab12", 7), "ab12-d7.bin");
        assert_eq!(parse_record_name("ab12", "ab12-d7.bin"), Some(7));
        for bad in [
            "ab12-d07.bin",
            "ab12-d.bin",
            "ab12-d7",
            "cd34-d7.bin",
            "ab12-d-1.bin",
        ] {
            assert_eq!(parse_record_name("ab12", bad), None, "{bad}");
        }
    }
}
