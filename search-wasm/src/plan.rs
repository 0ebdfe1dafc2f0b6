//! Phases 1 and 2 of a query (see [`crate::engine`]): the plan from the term dictionary, and
//! the one round that fetches everything the matching reads.

use std::collections::BTreeMap;

use tantivy::postings::Postings;
use tantivy::{DocSet, Term};

use crate::directory::MissPolicy;
use crate::engine::{reads_column, run_now, Engine, Step, FACETS, POSITIONS_BUDGET};
use crate::error::Error;
use crate::query::{ParsedQuery, Part, SearchQuery};
use crate::schema::names;

/// How much further than its share of a word's positions a bounded query expects to read
/// ([`Engine::predicted_limit`]). On the 100,000-document synthetic site the documents read
/// end at 82–99 % of the share; a margin that misses costs one more round, never a wrong answer.
const PREDICTION_MARGIN: f64 = 1.25;

impl Engine {
    /// Phase 1, the plan: looks every term up in the dictionary (all misses in one round), then
    /// drops what cannot match. An alternative with a term the index does not hold matches
    /// nothing, so its other terms' postings are never fetched: a query with no hit downloads
    /// dictionary blocks only, never the postings of 政府, 信息 or 公开. An excluded part with an
    /// absent term excludes nothing and is dropped too. `Ok(Err(step))`: chunks to fetch first.
    /// Also returns the length of each present term's positions (the longest over segments).
    #[allow(clippy::type_complexity)]
    pub(crate) fn plan(
        &self,
        parsed: &ParsedQuery,
    ) -> Result<Result<(ParsedQuery, BTreeMap<String, usize>), Step>, Error> {
        let opened = self.opened.as_ref().expect("opened before planning");
        let field = opened.fields.text;
        let mut present: BTreeMap<&str, bool> = BTreeMap::new();
        let mut positions: BTreeMap<String, usize> = BTreeMap::new();
        let mut first_error: Option<Error> = None;
        for part in parsed.all_terms() {
            for (_, text) in &part.terms {
                if present.contains_key(text.as_str()) {
                    continue;
                }
                let mut found = false;
                for segment in opened.searcher.segment_readers() {
                    let lookup =
                        segment
                            .inverted_index(field)
                            .map_err(Error::from)
                            .and_then(|inv| {
                                inv.get_term_info(&Term::from_field_text(field, text))
                                    .map_err(Error::from)
                            });
                    match lookup {
                        Ok(Some(info)) => {
                            found = true;
                            let len = positions.entry(text.clone()).or_default();
                            *len = (*len).max(info.positions_range.len());
                        }
                        Ok(None) => {}
                        Err(e) => {
                            first_error.get_or_insert(e);
                        }
                    }
                }
                present.insert(text, found);
            }
        }
        if let Some(e) = first_error {
            return match self.need_or(e)? {
                step @ Step::Need(_) => Ok(Err(step)),
                Step::Done(_) => unreachable!("need_or never answers"),
            };
        }
        let holds = |part: &Part| part.terms.iter().all(|(_, t)| present[t.as_str()]);
        Ok(Ok((
            ParsedQuery {
                alternatives: parsed
                    .alternatives
                    .iter()
                    .filter(|parts| parts.iter().all(holds))
                    .cloned()
                    .collect(),
                excluded: parsed
                    .excluded
                    .iter()
                    .filter(|p| holds(p))
                    .cloned()
                    .collect(),
                ..parsed.clone()
            },
            positions,
        )))
    }

    /// The words whose positions a query reads only a prefix of, with that prefix in bytes:
    /// none when the query asks for exact counts or facet counts, when the index has several
    /// segments, or when all the positions its phrases read fit [`POSITIONS_BUDGET`]. Else each
    /// word of a phrase gets an equal share of the budget; one whose positions exceed its share
    /// is read up to the pieces that fit it (at least the copy of its head, see
    /// [`crate::manifest::ManifestFile::head`], else its first piece). Documents are indexed
    /// newest first, so a prefix of positions is the newest documents' positions.
    pub(crate) fn bounds(
        &self,
        parsed: &ParsedQuery,
        positions: &BTreeMap<String, usize>,
        query: &SearchQuery,
    ) -> BTreeMap<String, usize> {
        let opened = self.opened.as_ref().expect("opened before planning");
        let (piece, head) = self
            .manifest
            .files
            .iter()
            .find(|f| f.path.ends_with(".pos"))
            .map_or((0, 0), |f| (f.pieces_from as usize, f.head as usize));
        if query.exact || query.facets || piece == 0 || opened.searcher.segment_readers().len() != 1
        {
            return BTreeMap::new();
        }
        let phrase_terms: std::collections::BTreeSet<&str> = parsed
            .positive_parts()
            .filter(|p| p.terms.len() > 1)
            .flat_map(|p| p.terms.iter().map(|(_, t)| t.as_str()))
            .collect();
        let budget = query.budget.unwrap_or(POSITIONS_BUDGET);
        let total: usize = phrase_terms
            .iter()
            .map(|t| positions.get(*t).copied().unwrap_or(0))
            .sum();
        if total <= budget {
            return BTreeMap::new();
        }
        // The least a bounded word reads: the copy of its head, else its first piece.
        let least = if head > 0 { head } else { piece };
        let share = (budget / phrase_terms.len().max(1)).max(least);
        let mut out = BTreeMap::new();
        for t in phrase_terms {
            let len = positions.get(t).copied().unwrap_or(0);
            // A list of one piece is read whole: bounding it would save nothing.
            if len <= share || len <= piece {
                continue;
            }
            let prefix = std::iter::once(least)
                .chain(
                    crate::manifest::pieces(len, piece)
                        .into_iter()
                        .map(|p| p.end),
                )
                .take_while(|&end| end <= share)
                .last()
                .unwrap_or(least);
            if prefix < len {
                out.insert(t.to_string(), prefix);
            }
        }
        out
    }

    /// Before the positions arrive: about how many of the newest documents a bounded query
    /// will score, so that the round that fetches the positions also fetches those documents'
    /// fieldnorms (a prefix file, see [`crate::manifest::ManifestFile::prefixes`]) instead of
    /// every document's. A bounded word's prefix holds about its share of the word's
    /// positions, so about that share of the documents (they are spread over time); the least
    /// share over the bounded words, with a margin. Should the documents read reach further
    /// ([`Engine::read_limit`]), the scoring round asks for a longer prefix.
    pub(crate) fn predicted_limit(
        &self,
        bounds: &BTreeMap<String, usize>,
        positions: &BTreeMap<String, usize>,
    ) -> Option<usize> {
        let opened = self.opened.as_ref().expect("opened before planning");
        let max_doc = opened.searcher.segment_readers().first()?.max_doc() as f64;
        let share = bounds
            .iter()
            .filter_map(|(t, &prefix)| {
                let len = *positions.get(t)?;
                (len > 0).then(|| prefix as f64 / len as f64)
            })
            .min_by(f64::total_cmp)?;
        Some(((share * max_doc * PREDICTION_MARGIN).ceil() as usize + 128).min(max_doc as usize))
    }

    /// The first document whose positions a bounded query has not read (`None`: every
    /// document's): for each bounded word, the first document some of whose positions lie past
    /// the whole blocks its prefix holds (positions are addressed by the running sum of the
    /// word's frequencies, in blocks of 128 whose bit widths open the list).
    pub(crate) fn read_limit(
        &self,
        bounds: &BTreeMap<String, usize>,
    ) -> Result<Option<tantivy::DocId>, Error> {
        if bounds.is_empty() {
            return Ok(None);
        }
        let opened = self.opened.as_ref().expect("opened before collecting");
        let field = opened.fields.text;
        let pos_file = self
            .manifest
            .files
            .iter()
            .position(|f| f.path.ends_with(".pos"))
            .ok_or_else(|| Error::Internal("bounded query without positions".into()))?;
        let segment = &opened.searcher.segment_readers()[0];
        let inv = segment.inverted_index(field)?;
        let mut limit = segment.max_doc();
        for (text, &prefix) in bounds {
            let Some(info) = inv.get_term_info(&Term::from_field_text(field, text))? else {
                continue;
            };
            self.store.start_read_log();
            let postings = inv.read_postings_from_terminfo(
                &info,
                tantivy::schema::IndexRecordOption::WithFreqsAndPositions,
            );
            let log = self.store.take_read_log();
            let mut postings = postings?;
            let head = log
                .iter()
                .find(|(f, r)| *f == pos_file && r.len() == info.positions_range.len())
                .and_then(|(_, r)| {
                    // The whole read, as tantivy sees it (the pieces past the prefix as filler).
                    let all = self.store.read_loaded(pos_file, r.clone())?;
                    Some(all.slice(0..prefix.min(r.len())))
                })
                .ok_or_else(|| Error::Internal(format!("positions of {text:?} not loaded")))?;
            let head = head.as_slice();
            // VInt: the number of bit-packed blocks, then one bit width per block.
            let (mut blocks, mut at, mut shift) = (0usize, 0usize, 0u32);
            loop {
                let b = *head
                    .get(at)
                    .ok_or_else(|| Error::Corrupt("positions".into()))?;
                at += 1;
                blocks |= usize::from(b & 0x7f) << shift;
                if b & 0x80 != 0 {
                    break;
                }
                shift += 7;
                if shift > 28 {
                    return Err(Error::Corrupt("positions".into()));
                }
            }
            let widths = head
                .get(at..at + blocks)
                .ok_or_else(|| Error::Corrupt("positions".into()))?;
            let (mut bytes, mut whole) = (at + blocks, 0u64);
            for &w in widths {
                bytes += usize::from(w) * 16;
                if bytes > prefix {
                    break;
                }
                whole += 1;
            }
            // tantivy packs positions in blocks of 128.
            let readable = whole * 128;
            let (mut seen, mut doc) = (0u64, postings.doc());
            while doc != tantivy::TERMINATED {
                seen += u64::from(postings.term_freq());
                if seen > readable {
                    limit = limit.min(doc);
                    break;
                }
                doc = postings.advance();
            }
        }
        // Every document's positions lie in whole blocks of the prefixes: nothing is bounded.
        Ok((limit < segment.max_doc()).then_some(limit))
    }

    /// Phase 2: everything phase 3 reads, fetched in one round: the postings (and, for phrases,
    /// positions) of the planned terms, the `text` fieldnorms when words are scored (a bounded
    /// query: those of the newest documents only, see [`Engine::predicted_limit`]), the date
    /// column and the facet columns the query reads ([`reads_column`]). Missing bytes read as zeros here and are
    /// thrown away; none of them is parsed.
    pub(crate) fn warm(
        &self,
        parsed: &ParsedQuery,
        query: &SearchQuery,
    ) -> Result<Option<Step>, Error> {
        let opened = self.opened.as_ref().expect("opened before warming");
        let field = opened.fields.text;
        // term text → needs positions
        let mut terms: BTreeMap<&str, bool> = BTreeMap::new();
        for part in parsed.all_terms() {
            let phrase = part.terms.len() > 1;
            for (_, t) in &part.terms {
                *terms.entry(t.as_str()).or_default() |= phrase;
            }
        }
        self.store.set_policy(MissPolicy::Zeros);
        let mut failed = None;
        for segment in opened.searcher.segment_readers() {
            for (text, positions) in &terms {
                let result = segment
                    .inverted_index(field)
                    .map_err(Error::from)
                    .and_then(|inv| {
                        let term = Term::from_field_text(field, text);
                        match run_now(inv.warm_postings(&term, *positions)) {
                            Some(r) => r.map(|_| ()).map_err(Error::from),
                            None => {
                                Err(Error::Internal("warming postings did not complete".into()))
                            }
                        }
                    });
                if let Err(e) = result {
                    failed.get_or_insert(e);
                }
            }
            if !parsed.is_empty() {
                if let Err(e) = segment.get_fieldnorms_reader(field) {
                    failed.get_or_insert(e.into());
                }
            }
            let fast = segment.fast_fields();
            let read = FACETS
                .iter()
                .filter(|f| reads_column(query, parsed, f))
                .chain([&names::PUBLISHED_DAY]);
            for name in read {
                match fast.dynamic_column_handles(name) {
                    Ok(handles) => {
                        for h in handles {
                            if let Err(e) = h.file_slice().read_bytes() {
                                failed.get_or_insert(Error::from(tantivy::TantivyError::from(e)));
                            }
                        }
                    }
                    Err(e) => {
                        failed.get_or_insert(e.into());
                    }
                }
            }
        }
        self.store.set_policy(MissPolicy::Fail);
        if self.store.has_missing() {
            return Ok(Some(Step::Need(self.store.take_missing())));
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(None),
        }
    }
}
