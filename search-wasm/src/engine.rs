//! The search engine proper, the same code in the browser (wasm) and natively (`gongkai search`):
//! open the published index from a [`ChunkStore`], run a [`SearchQuery`], and either answer or say
//! which chunk files it still needs.
//!
//! A query runs in phases, each of which collects *all* its missing chunks before giving up, so a
//! cold query costs about three round trips whatever its number of terms:
//!
//! 1. term dictionary: look up every term of every part in `text`;
//! 2. postings and positions of those terms (warmed with tantivy's `warm_postings`, misses read as
//!    zeros and discarded);
//! 3. matching, BM25 scoring, filters and facet counts (fieldnorms and fast fields come from the
//!    hotcache);
//! 4. the records of the hits on the requested page ([`crate::stored`]).
//!
//! Ordering is fully determined by the index: score (rounded, so that the last bit of `ln` in a
//! platform's libm cannot reorder results), then date, then document order. Facet counts are
//! *disjunctive*: the counts of one facet ignore that facet's own filter, so a citizen can see the
//! other categories while one is selected.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use serde::{Deserialize, Serialize};
use tantivy::columnar::StrColumn;
use tantivy::directory::OwnedBytes;
use tantivy::query::EnableScoring;
use tantivy::DocSet;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use crate::directory::{ChunkStore, MissPolicy};
use crate::error::Error;
use crate::manifest::{Hotcache, Manifest};
use crate::query::{self, ParsedQuery, Part, SearchQuery, Sort, MAX_LIMIT};
use crate::schema::{self, names, Fields};
use crate::snippet;
use crate::stored::StoredDoc;

/// One hit, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Page URL, as given to the writer.
    pub url: String,
    /// 标题.
    pub title: String,
    /// 标题, HTML-escaped, matches in `<mark>`.
    pub title_html: String,
    /// A window of the body, HTML-escaped, matches in `<mark>`.
    pub snippet_html: String,
    /// 发布日期 `YYYY-MM-DD`, or empty.
    pub published: String,
    /// 发布机构.
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
    /// BM25 score (0 when there are no words to score).
    pub score: f32,
}

/// `(value, number of matching documents)`, most frequent first (years: newest first).
pub type FacetCounts = Vec<(String, u64)>;

/// Counts per filter value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// 主题分类.
    pub category: FacetCounts,
    /// Second-level 主题分类, values `一级\二级` (filter: `category_sub`).
    pub category_sub: FacetCounts,
    /// 发布机构.
    pub issuer: FacetCounts,
    /// Year of 发布日期.
    pub year: FacetCounts,
    /// 文种.
    pub kind: FacetCounts,
    /// 有效性.
    pub validity: FacetCounts,
}

/// Something the citizen should be told about their query, in plain Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Stable code: `no_words`, `truncated`, `too_many_words`, `dropped_symbols`.
    pub code: String,
    /// The message shown to the citizen.
    pub message: String,
}

impl Notice {
    fn new(code: &str, message: &str) -> Notice {
        Notice {
            code: code.to_string(),
            message: message.to_string(),
        }
    }
}

/// The answer to a [`SearchQuery`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Number of matching documents (after filters).
    pub total: u64,
    /// The hits on the requested page.
    pub hits: Vec<Hit>,
    /// Counts per filter value (see the module doc); empty unless the query asked for them
    /// ([`SearchQuery::facets`]).
    pub facets: Facets,
    /// Messages about the query itself.
    pub notices: Vec<Notice>,
    /// False when nothing was searched (words without anything searchable, and no filter). An
    /// empty query searches: it lists every document, newest first.
    pub searched: bool,
    /// `total` is an estimate: a phrase of common words read the positions of the newest
    /// documents only (see [`POSITIONS_BUDGET`]). `hits` and `listed` are exact for the
    /// documents read; ask again with [`SearchQuery::exact`] for an exact count.
    #[serde(default)]
    pub estimated: bool,
    /// The matching documents that can be listed (paged through): `total`, or, when estimated,
    /// those among the documents read.
    #[serde(default)]
    pub listed: u64,
    /// When estimated: every matching document published after this day (`YYYY-MM-DD`) is
    /// among the hits; older ones are counted in the estimate only.
    #[serde(default)]
    pub complete_after: String,
}

/// The outcome of one attempt.
// One per query: boxing the answer would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// The answer.
    Done(SearchResults),
    /// Chunk files to add (by name, relative to the manifest) before trying again.
    Need(Vec<String>),
}

/// Runs a future that never waits (our directory answers at once) to completion.
pub(crate) fn run_now<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

/// An opened index, plus the chunks loaded so far.
pub struct Engine {
    pub(crate) store: ChunkStore,
    pub(crate) manifest: Manifest,
    pub(crate) opened: Option<Opened>,
}

pub(crate) struct Opened {
    pub(crate) searcher: Searcher,
    pub(crate) fields: Fields,
    // Keeps the searcher's index alive.
    _reader: IndexReader,
}

/// Bytes of positions a query reads before it reads its common words newest documents first.
///
/// At 100,000 documents a first query reads 160–330 KiB besides positions (dictionary blocks,
/// the fieldnorms of the documents it scores, the date column, the postings, ten records): 96
/// KiB of positions (at least the 16 KiB copy of the head of each word of a phrase, else its
/// first 32 KiB piece) keeps the nine benchmark queries within 400 KiB. At 10,000 documents
/// every benchmark phrase fits (87 KiB at most): counts there are exact.
pub const POSITIONS_BUDGET: usize = 96 * 1024;

/// The filterable facets, in display order.
pub(crate) const FACETS: [&str; 6] = [
    names::CATEGORY,
    names::CATEGORY_SUB,
    names::ISSUER,
    names::YEAR,
    names::KIND,
    names::VALIDITY,
];

/// Whether a query reads the column of facet `facet`: to count (when asked for counts), to
/// filter, or, for 文种, to leave column pages out of a listing without words.
pub(crate) fn reads_column(query: &SearchQuery, parsed: &ParsedQuery, facet: &str) -> bool {
    query.facets
        || filter_value(query, facet).is_some()
        || (facet == names::KIND && parsed.is_empty())
}

pub(crate) fn filter_value<'q>(query: &'q SearchQuery, facet: &str) -> Option<&'q str> {
    let v = match facet {
        names::CATEGORY => &query.category,
        names::CATEGORY_SUB => &query.category_sub,
        names::ISSUER => &query.issuer,
        names::YEAR => &query.year,
        names::KIND => &query.kind,
        names::VALIDITY => &query.validity,
        _ => &None,
    };
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// What phase 3 found.
struct Collected {
    candidates: Vec<Candidate>,
    facets: Facets,
    /// For a bounded query: the estimated total and the day of the first document not read.
    estimate: Option<(u64, u64)>,
}

/// `YYYY-MM-DD` of a `published_day` value (days since 1900-01-01 plus one); empty for 0.
pub(crate) fn format_day(day: u64) -> String {
    if day == 0 {
        return String::new();
    }
    // Civil from days (Howard Hinnant's algorithm), from 1970-01-01.
    let z = day as i64 - 1 - 25_567 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A matching document before paging.
struct Candidate {
    /// Score rounded to 1/1024, for a platform-independent order.
    rank: i64,
    score: f32,
    day: u64,
    address: DocAddress,
}

impl Engine {
    /// An engine for the index described by `manifest_json`, with its hotcache.
    pub fn new(manifest_json: &[u8], hotcache: &[u8]) -> Result<Engine, Error> {
        let manifest = Manifest::parse(manifest_json).map_err(Error::Corrupt)?;
        let store = ChunkStore::new(&manifest);
        store.add_hotcache(Hotcache::decode(hotcache, &manifest).map_err(Error::Corrupt)?);
        Ok(Engine {
            store,
            manifest,
            opened: None,
        })
    }

    /// The manifest of the index.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The chunk store (for adding chunks and reading statistics).
    pub fn store(&self) -> &ChunkStore {
        &self.store
    }

    /// Adds a fetched chunk file.
    pub fn add_chunk(&self, name: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.store.add_chunk(name, bytes).map_err(Error::Corrupt)
    }

    /// Turns an error into [`Step::Need`] when reads missed chunks, else into an error.
    pub(crate) fn need_or<E: Into<Error>>(&self, err: E) -> Result<Step, Error> {
        if self.store.has_missing() {
            Ok(Step::Need(self.store.take_missing()))
        } else {
            Err(err.into())
        }
    }

    pub(crate) fn open(&mut self) -> Result<Option<Step>, Error> {
        if self.opened.is_some() {
            return Ok(None);
        }
        let attempt = || -> tantivy::Result<Opened> {
            let index = Index::open(self.store.directory())?;
            schema::register_analyzer(&index);
            let fields = Fields::resolve(&index.schema()).map_err(|name| {
                tantivy::TantivyError::SchemaError(format!("the index has no field {name:?}"))
            })?;
            let reader = index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()?;
            let searcher = reader.searcher();
            Ok(Opened {
                searcher,
                fields,
                _reader: reader,
            })
        };
        match attempt() {
            Ok(opened) => {
                self.opened = Some(opened);
                Ok(None)
            }
            Err(e) => self.need_or(e).map(Some),
        }
    }

    /// Number of documents the index really holds (opening it if needed), or the chunks needed
    /// to open it.
    pub fn num_docs(&mut self) -> Result<Result<u64, Vec<String>>, Error> {
        if let Some(Step::Need(names)) = self.open()? {
            return Ok(Err(names));
        }
        Ok(Ok(self
            .opened
            .as_ref()
            .expect("opened above")
            .searcher
            .num_docs()))
    }

    /// Every document's record (see [`crate::stored`]) as JSON, in document order; or the
    /// files still needed to read them all. For audits: the leak tests read what the index
    /// really holds instead of trusting what a query returns. tantivy's own docstore is read
    /// too, and must hold nothing.
    pub fn stored_documents(&mut self) -> Result<Result<Vec<String>, Vec<String>>, Error> {
        self.store.set_policy(MissPolicy::Fail);
        if let Some(Step::Need(names)) = self.open()? {
            return Ok(Err(names));
        }
        let opened = self.opened.as_ref().expect("opened above");
        let mut out = Vec::new();
        let mut first_error = None;
        for (ord, segment) in opened.searcher.segment_readers().iter().enumerate() {
            for id in segment.doc_ids_alive() {
                let address = DocAddress::new(ord as u32, id);
                match opened.searcher.doc::<TantivyDocument>(address) {
                    Ok(doc) if doc.field_values().next().is_some() => {
                        return Err(Error::Corrupt(format!(
                            "tantivy's docstore holds fields of document {id}"
                        )))
                    }
                    Ok(_) => {}
                    Err(e) => {
                        first_error.get_or_insert(Error::from(e));
                    }
                }
                if let Some(bytes) = self.store.record(record_id(opened, address)) {
                    let doc = StoredDoc::decode(&bytes).map_err(Error::Corrupt)?;
                    out.push(serde_json::to_string(&doc).expect("a record serialises"));
                }
            }
        }
        match first_error {
            _ if self.store.has_missing() => Ok(Err(self.store.take_missing())),
            None => Ok(Ok(out)),
            Some(e) => Err(e),
        }
    }

    /// Runs `query` once: the answer, or the chunks still needed.
    pub fn search(&mut self, query: &SearchQuery) -> Result<Step, Error> {
        self.store.set_policy(MissPolicy::Fail);
        self.store.set_prefix_need(None);
        let parsed = query::parse(&query.q);
        let mut notices = Vec::new();
        let has_filter = FACETS.iter().any(|f| filter_value(query, f).is_some());
        if parsed.truncated {
            notices.push(Notice::new("truncated", "检索词过长，只使用了前 64 个字。"));
        }
        if parsed.too_many_parts {
            notices.push(Notice::new(
                "too_many_words",
                "检索词太多，只使用了前 8 个词。",
            ));
        }
        // No words at all lists every document (newest first, with the facet counts): the search
        // page opened without a query is a browsable register. Words that hold nothing
        // searchable (punctuation only) are a mistake to point out instead.
        if parsed.is_empty() && !has_filter && !query.q.trim().is_empty() {
            notices.push(Notice::new(
                "no_words",
                "检索词中没有可以查找的文字或数字，请换一个检索词。",
            ));
            return Ok(Step::Done(SearchResults {
                notices,
                ..SearchResults::default()
            }));
        }
        if parsed.dropped_parts && !parsed.is_empty() {
            notices.push(Notice::new(
                "dropped_symbols",
                "检索词中的标点和符号已忽略。",
            ));
        }
        if let Some(step) = self.open()? {
            return Ok(step);
        }
        let (planned, positions) = match self.plan(&parsed)? {
            Ok(planned) => planned,
            Err(step) => return Ok(step),
        };
        let bounds = self.bounds(&planned, &positions, query);
        if let Some(pos) = self
            .manifest
            .files
            .iter()
            .position(|f| f.path.ends_with(".pos"))
        {
            self.store.set_bounded(
                pos,
                bounds.keys().map(|t| (positions[t], bounds[t])).collect(),
            );
        }
        if !parsed.is_empty() && planned.is_empty() {
            // Some word of every alternative is in no document: nothing matches.
            return Ok(Step::Done(SearchResults {
                notices,
                searched: true,
                ..SearchResults::default()
            }));
        }
        let parsed = planned;
        // The fieldnorms of the documents a bounded query will score, fetched with the
        // positions; once the positions tell where the documents read end, exactly those.
        self.store
            .set_prefix_need(self.predicted_limit(&bounds, &positions));
        if let Some(step) = self.warm(&parsed, query)? {
            return Ok(step);
        }
        let limit = match self.read_limit(&bounds) {
            Ok(limit) => limit,
            Err(e) => return self.need_or(e),
        };
        self.store.set_prefix_need(limit.map(|l| l as usize));
        let opened = self.opened.as_ref().expect("opened above");
        let collected = match self.collect(opened, &parsed, query, limit) {
            Ok(c) => c,
            Err(e) => return self.need_or(e),
        };
        let Collected {
            mut candidates,
            facets,
            estimate,
        } = collected;
        let sort = if parsed.is_empty() {
            Sort::Date
        } else {
            query.sort
        };
        match sort {
            Sort::Relevance => candidates.sort_by(|a, b| {
                b.rank
                    .cmp(&a.rank)
                    .then(b.day.cmp(&a.day))
                    .then(a.address.cmp(&b.address))
            }),
            Sort::Date => candidates.sort_by(|a, b| {
                b.day
                    .cmp(&a.day)
                    .then(b.rank.cmp(&a.rank))
                    .then(a.address.cmp(&b.address))
            }),
        }
        let listed = candidates.len() as u64;
        let (total, estimated, complete_after) = match estimate {
            Some((total, day)) => (total.max(listed), true, format_day(day)),
            None => (listed, false, String::new()),
        };
        if estimated {
            notices.push(Notice::new(
                "estimated",
                &format!(
                    "结果较多，为加快检索，只完整查找了{}以后发布的文件，总数“约 {total} 条”是估计数。",
                    if complete_after.is_empty() { "最新" } else { &complete_after }
                ),
            ));
        }
        let per_page = query.limit.clamp(1, MAX_LIMIT);
        let page: Vec<&Candidate> = candidates
            .iter()
            .skip(query.offset)
            .take(per_page)
            .collect();
        let parts: Vec<&Part> = parsed.positive_parts().collect();
        // Fetch the record of every hit on the page, noting all misses before giving up.
        let records: Vec<Option<OwnedBytes>> = page
            .iter()
            .map(|c| self.store.record(record_id(opened, c.address)))
            .collect();
        if self.store.has_missing() {
            return Ok(Step::Need(self.store.take_missing()));
        }
        let mut hits = Vec::with_capacity(page.len());
        for (c, bytes) in page.iter().zip(records.into_iter().flatten()) {
            let doc = StoredDoc::decode(&bytes).map_err(Error::Corrupt)?;
            hits.push(make_hit(doc, c.score, &parts));
        }
        Ok(Step::Done(SearchResults {
            total,
            hits,
            facets,
            notices,
            searched: true,
            estimated,
            listed,
            complete_after,
        }))
    }

    /// Phase 3: every matching document with its score, filtered, and the facet counts. With
    /// a read limit (a bounded query, see [`Engine::read_limit`]), only documents before it are
    /// matched, and the rest are estimated: the documents from the limit on that hold every
    /// word (filtered), times the share of such documents before the limit that matched.
    fn collect(
        &self,
        opened: &Opened,
        parsed: &ParsedQuery,
        query: &SearchQuery,
        limit: Option<tantivy::DocId>,
    ) -> Result<Collected, Error> {
        let tquery = query::build(parsed, &opened.fields);
        let scoring = if parsed.is_empty() {
            EnableScoring::disabled_from_searcher(&opened.searcher)
        } else {
            EnableScoring::enabled_from_searcher(&opened.searcher)
        };
        let weight = tquery.weight(scoring)?;
        let excluded = query::build_excluded(parsed, &opened.fields)
            .map(|q| q.weight(EnableScoring::disabled_from_searcher(&opened.searcher)))
            .transpose()?;
        let mut candidates = Vec::new();
        let mut relaxed_counts = [0u64; 2];
        let mut limit_day = 0u64;
        // Counts per facet per value, across segments.
        let mut counts: Vec<BTreeMap<String, u64>> = vec![BTreeMap::new(); FACETS.len()];
        for (segment_ord, segment) in opened.searcher.segment_readers().iter().enumerate() {
            let fast = segment.fast_fields();
            let mut columns: Vec<Option<StrColumn>> = Vec::with_capacity(FACETS.len());
            // Per facet: None = no filter; Some(None) = filter value absent here; Some(Some(ord)).
            let mut wanted: Vec<Option<Option<u64>>> = Vec::with_capacity(FACETS.len());
            for facet in FACETS {
                let column = if reads_column(query, parsed, facet) {
                    fast.str(facet)?
                } else {
                    None
                };
                wanted.push(match filter_value(query, facet) {
                    None => None,
                    Some(v) => Some(match &column {
                        Some(c) => c.dictionary().term_ord(v.as_bytes())?,
                        None => None,
                    }),
                });
                columns.push(column);
            }
            let days = fast.u64(names::PUBLISHED_DAY)?;
            // A listing without words lists documents: column pages only when asked for by 文种.
            let kind_i = FACETS.iter().position(|f| *f == names::KIND).expect("kind");
            let column_page = match (
                &columns[kind_i],
                parsed.is_empty() && wanted[kind_i].is_none(),
            ) {
                (Some(c), true) => c
                    .dictionary()
                    .term_ord(crate::COLUMN_PAGE_KIND.as_bytes())?,
                _ => None,
            };
            let mut seg_counts: Vec<Vec<u64>> = columns
                .iter()
                .map(|c| vec![0u64; c.as_ref().map_or(0, |c| c.num_terms())])
                .collect();
            let mut ords: Vec<Vec<u64>> = vec![Vec::new(); FACETS.len()];
            // Documents with an excluded part (see `query::build_excluded`).
            let mut left_out = vec![false; segment.max_doc() as usize];
            if let Some(w) = &excluded {
                w.for_each_no_score(segment, &mut |docs| {
                    for &d in docs {
                        left_out[d as usize] = true;
                    }
                })?;
            }
            let mut visit = |doc: tantivy::DocId, score: tantivy::Score| {
                if left_out[doc as usize] {
                    return;
                }
                if let (Some(o), Some(c)) = (column_page, &columns[kind_i]) {
                    if c.ords().values_for_doc(doc).any(|k| k == o) {
                        return;
                    }
                }
                // Which filters does this document pass?
                let mut failed = 0usize;
                let mut failed_facet = usize::MAX;
                for (i, column) in columns.iter().enumerate() {
                    ords[i].clear();
                    if let Some(c) = column {
                        ords[i].extend(c.ords().values_for_doc(doc));
                    }
                    if let Some(w) = wanted[i] {
                        let pass = w.is_some_and(|w| ords[i].contains(&w));
                        if !pass {
                            failed += 1;
                            failed_facet = i;
                        }
                    }
                }
                // Disjunctive counts: facet i counts documents passing every other filter.
                for i in (0..FACETS.len()).filter(|_| query.facets) {
                    if failed == 0 || (failed == 1 && failed_facet == i) {
                        for &o in &ords[i] {
                            seg_counts[i][o as usize] += 1;
                        }
                    }
                }
                if failed == 0 {
                    let score = if score.is_finite() { score } else { 0.0 };
                    candidates.push(Candidate {
                        rank: (score as f64 * 1024.0).round() as i64,
                        score,
                        day: days.first(doc).unwrap_or(0),
                        address: DocAddress::new(segment_ord as u32, doc),
                    });
                }
            };
            match limit {
                None => weight.for_each(segment, &mut visit)?,
                Some(limit) => {
                    let mut scorer = weight.scorer(segment, 1.0)?;
                    let mut doc = scorer.doc();
                    while doc != tantivy::TERMINATED && doc < limit {
                        visit(doc, scorer.score());
                        doc = scorer.advance();
                    }
                    // Documents holding every word (phrases relaxed), before and after it.
                    let relaxed = query::build_relaxed(parsed, &opened.fields)
                        .weight(EnableScoring::disabled_from_searcher(&opened.searcher))?;
                    let mut ords = Vec::new();
                    relaxed.for_each_no_score(segment, &mut |docs| {
                        for &doc in docs {
                            if left_out[doc as usize] {
                                continue;
                            }
                            let passes = columns.iter().zip(&wanted).all(|(c, w)| match (c, w) {
                                (_, None) => true,
                                (Some(c), Some(Some(w))) => {
                                    ords.clear();
                                    ords.extend(c.ords().values_for_doc(doc));
                                    ords.contains(w)
                                }
                                _ => false,
                            });
                            let page = match (column_page, &columns[kind_i]) {
                                (Some(o), Some(c)) => c.ords().values_for_doc(doc).any(|k| k == o),
                                _ => false,
                            };
                            if passes && !page {
                                relaxed_counts[usize::from(doc >= limit)] += 1;
                            }
                        }
                    })?;
                    limit_day = days.first(limit).unwrap_or(0);
                }
            }
            for (i, column) in columns.iter().enumerate() {
                let Some(c) = column else { continue };
                let mut value = String::new();
                for (o, &n) in seg_counts[i].iter().enumerate() {
                    if n > 0 && c.ord_to_str(o as u64, &mut value)? && !value.is_empty() {
                        *counts[i].entry(value.clone()).or_default() += n;
                    }
                }
            }
        }
        let mut lists: Vec<FacetCounts> = counts
            .into_iter()
            .map(|m| m.into_iter().collect())
            .collect();
        for (i, list) in lists.iter_mut().enumerate() {
            if FACETS[i] == names::YEAR {
                list.sort_by(|a, b| b.0.cmp(&a.0));
            } else {
                list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            }
        }
        let mut lists = lists.into_iter();
        let mut next = || lists.next().expect("one list per facet");
        let facets = Facets {
            category: next(),
            category_sub: next(),
            issuer: next(),
            year: next(),
            kind: next(),
            validity: next(),
        };
        let estimate = limit.map(|_| {
            let [before, after] = relaxed_counts;
            let matched = candidates.len() as u64;
            // The share that matched among the documents read (all of them when none held every
            // word: then the estimate is an upper bound).
            let rest = if before == 0 {
                after
            } else {
                ((after as f64) * (matched as f64) / (before as f64)).round() as u64
            };
            (matched + rest, limit_day)
        });
        Ok(Collected {
            candidates,
            facets,
            estimate,
        })
    }
}

/// The record id of a document: its position in the index (segments in order).
fn record_id(opened: &Opened, address: DocAddress) -> u32 {
    let before: u32 = opened.searcher.segment_readers()[..address.segment_ord as usize]
        .iter()
        .map(|s| s.max_doc())
        .sum();
    before + address.doc_id
}

fn make_hit(doc: StoredDoc, score: f32, parts: &[&Part]) -> Hit {
    Hit {
        url: doc.url,
        title_html: snippet::highlight_all(&doc.title, parts),
        title: doc.title,
        snippet_html: snippet::snippet(&doc.snippet, parts),
        published: doc.published,
        issuer: doc.issuer,
        category: doc.category,
        category_sub: doc.category_sub,
        kind: doc.kind,
        validity: doc.validity,
        doc_no: doc.doc_no,
        index_no: doc.index_no,
        score,
    }
}
