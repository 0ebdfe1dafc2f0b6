//! Phases 1 and 2 of a query (see [`crate::engine`]): the plan from the term dictionary, and
//! the one round that fetches everything the matching reads.

use std::collections::BTreeMap;

use tantivy::Term;

use crate::directory::MissPolicy;
use crate::engine::{reads_column, run_now, Engine, Step, FACETS};
use crate::error::Error;
use crate::query::{ParsedQuery, Part, SearchQuery};
use crate::schema::names;

impl Engine {
    /// Phase 1, the plan: looks every term up in the dictionary (all misses in one round), then
    /// drops what cannot match. An alternative with a term the index does not hold matches
    /// nothing, so its other terms' postings are never fetched: a query with no hit downloads
    /// dictionary blocks only, never the postings of 政府, 信息 or 公开. An excluded part with an
    /// absent term excludes nothing and is dropped too. `Ok(Err(step))`: chunks to fetch first.
    pub(crate) fn plan(&self, parsed: &ParsedQuery) -> Result<Result<ParsedQuery, Step>, Error> {
        let opened = self.opened.as_ref().expect("opened before planning");
        let field = opened.fields.text;
        let mut present: BTreeMap<&str, bool> = BTreeMap::new();
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
                        Ok(info) => found |= info.is_some(),
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
        Ok(Ok(ParsedQuery {
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
        }))
    }

    /// Phase 2: everything phase 3 reads, fetched in one round: the postings (and, for phrases,
    /// positions) of the planned terms, the `text` fieldnorms when words are scored, the date
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
