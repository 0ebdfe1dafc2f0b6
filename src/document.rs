//! The validated document: what `validate` makes of a [`Source`](crate::load::Source).
//!
//! [`Public`] can only be constructed by `validate`, and only for a 主动公开 document that is not
//! a draft. Every later stage takes `Public<Document>`, so none of them can even see a withheld
//! document: the leak rule is enforced by the type system, not by care in each template.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::markdown::Rendered;
use crate::meta::doc_no::DocNumber;
use crate::meta::{IndexNo, Item, PubDate, Validity};

pub use crate::validate::Public;

/// A downloadable file attached to a document (条例 第二十四条: 下载).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Path relative to the site root.
    pub path: PathBuf,
    /// Link text shown to citizens.
    pub title: String,
    /// URL path relative to the site root.
    pub url: String,
    /// Size in bytes.
    pub size: u64,
}

/// Where a published document's 索引号 came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexNoOrigin {
    /// Written in the front-matter (`index_no`).
    Written,
    /// Taken from the ledger, or newly assigned and recorded there (SPEC §3.4).
    Ledger,
}

/// A document's 索引号 and the page address made from it by the site's `[urls]` settings.
/// Every document that leaves `validate` has one: a document that cannot be numbered is
/// withheld (E010), so no page, link or feed can meet a document without an address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Numbered {
    index_no: IndexNo,
    page: String,
    origin: IndexNoOrigin,
}

impl Numbered {
    /// The number `index_no` from `origin`, with its page path.
    pub fn new(
        index_no: IndexNo,
        origin: IndexNoOrigin,
        urls: &crate::config::UrlSettings,
    ) -> Numbered {
        Numbered {
            page: urls.page_path(&index_no),
            index_no,
            origin,
        }
    }
}

/// The 索引号 of a document whose fields `validate` has read but which it has not yet numbered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PendingIndexNo {
    /// Written in the front-matter; checked against the site's pattern (E011).
    Written(IndexNo),
    /// Not written: the ledger gives one (SPEC §3.4), or the document is withheld (E010).
    ToAssign,
}

/// A document's metadata and body (SPEC §3.1): everything but its 索引号.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// Source file, relative to the site root.
    pub path: PathBuf,
    /// 名称.
    pub title: String,
    /// 主题分类 (top level).
    pub category: Option<String>,
    /// Second-level 主题分类.
    pub category_sub: Option<String>,
    /// 发布机构; joint issuers in order (the numbering body first).
    pub issuers: Vec<String>,
    /// 文件编号: parsed when it follows SPEC §3.5, else as written (P06).
    pub doc_no: Option<DocNumber>,
    /// 成文日期.
    pub written: Option<NaiveDate>,
    /// 发布日期.
    pub published: Option<PubDate>,
    /// 有效性 as written.
    pub validity: Option<Validity>,
    /// 文种.
    pub kind: String,
    /// 条例 items (explicit, or the default for the kind).
    pub items: Vec<Item>,
    /// 施行日期.
    pub effective: Option<NaiveDate>,
    /// 有效期至.
    pub expires: Option<NaiveDate>,
    /// The document implements a law and has no 有效期 (SPEC §3.6).
    pub no_expiry: bool,
    /// 废止/失效日期.
    pub repealed: Option<NaiveDate>,
    /// Documents this one replaces (索引号 or 文号).
    pub replaces: Vec<String>,
    /// Documents that replaced this one.
    pub replaced_by: Vec<String>,
    /// For a 政策解读: the policy it explains (索引号 or 文号).
    pub interprets: Option<String>,
    /// 相关解读 given explicitly (the reverse links are computed too).
    pub interpretation: Vec<String>,
    /// For a 政策解读: its form (解读形式: 文字, 图解, 视频 …), shown beside the link.
    pub interpretation_form: Option<String>,
    /// For a 政府信息公开年报: the year it reports on. Its tables are computed from the
    /// documents and `annual/YEAR.toml` (SPEC §4).
    pub report_year: Option<i32>,
    /// 内容概述.
    pub summary: Option<String>,
    /// 主题词.
    pub keywords: Vec<String>,
    /// 附件.
    pub attachments: Vec<Attachment>,
    /// 信息来源.
    pub source: Option<String>,
    /// Where the text came from.
    pub source_url: Option<String>,
    /// A re-post (转发/转载) of another body's document: its 成文日期 is the other body's, so
    /// deadlines counted from it (P05, P25) do not apply.
    pub repost: bool,
    /// 事项: the 政务公开事项标准目录 items this document fulfils, as written (an item's id, or
    /// `领域/一级事项/二级事项`); resolved by the site model against `catalogue/`.
    pub matters: Vec<String>,
    /// Line of the `事项` field, for findings about it.
    pub matters_line: Option<usize>,
    /// The body (rendered again when a stage needs it, see [`crate::markdown::Body`]).
    pub body: crate::markdown::Body,
}

/// A public document (SPEC §3.1): its 索引号 in the state `N`, and its [`Metadata`], whose
/// fields read as the document's own (`doc.title`: `Document` dereferences to them).
///
/// `N` is [`Numbered`] (the default) for every document after `validate`; [`PendingIndexNo`]
/// only inside `validate`, between reading the fields and numbering ([`Document::numbered`]).
/// A document not yet numbered has no page address:
///
/// ```compile_fail,E0599
/// use gongkai::document::{Document, PendingIndexNo};
/// fn address(d: &Document<PendingIndexNo>) -> &str {
///     d.page_path()
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Document<N = Numbered> {
    /// 索引号 and the page address made from it (see `N`).
    pub number: N,
    /// Everything else.
    pub meta: Metadata,
}

impl<N> std::ops::Deref for Document<N> {
    type Target = Metadata;
    fn deref(&self) -> &Metadata {
        &self.meta
    }
}

impl<N> std::ops::DerefMut for Document<N> {
    fn deref_mut(&mut self) -> &mut Metadata {
        &mut self.meta
    }
}

impl Document {
    /// 索引号.
    pub fn index_no(&self) -> &IndexNo {
        &self.number.index_no
    }
    /// Where the 索引号 came from.
    pub fn index_no_origin(&self) -> IndexNoOrigin {
        self.number.origin
    }
    /// URL path of the page, relative to the site root (`xxgk/13502/2022-26273.html`, or
    /// `13502/2022-26273.html` for a column at `/xxgk/`).
    pub fn page_path(&self) -> &str {
        &self.number.page
    }
}

impl Document<PendingIndexNo> {
    /// The document with its 索引号 (from the front-matter or the ledger).
    pub fn numbered(self, number: Numbered) -> Document {
        Document {
            number,
            meta: self.meta,
        }
    }
}

impl Metadata {
    /// The date a catalogue sorts by: 发布日期, else 成文日期.
    pub fn sort_date(&self) -> Option<NaiveDate> {
        self.published.map(|p| p.date).or(self.written)
    }
    /// 文件编号 as written, if any.
    pub fn doc_no_text(&self) -> Option<&str> {
        self.doc_no.as_ref().map(DocNumber::as_str)
    }
    /// 发布机构 joined as written (`河北省教育厅、河北省财政厅`).
    pub fn issuer_text(&self) -> String {
        self.issuers.join("、")
    }
}

/// A column's own page (`_index.md`): the 指南, column introductions.
#[derive(Debug, Clone)]
pub struct Section {
    /// Source file.
    pub path: PathBuf,
    /// Folder under `content/` (`""` for the home, `zfxxgkzn` for the 指南).
    pub dir: String,
    /// Title.
    pub title: String,
    /// Date the page was last updated (第十二条: 指南 shows it).
    pub updated: Option<NaiveDate>,
    /// Rendered body.
    pub body: std::sync::Arc<Rendered>,
}
