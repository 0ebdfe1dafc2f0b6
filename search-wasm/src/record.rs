//! What the writer asks of the reader (feature `writer`): the byte ranges the hotcache must
//! hold, and where each long posting list lies, read through the very engine the browser runs.

use crate::directory::MissPolicy;
use crate::engine::{Engine, Step, FACETS};
use crate::error::Error;
use crate::schema::names;

/// Byte ranges of index files: `(manifest file index, range)`.
pub type FileRanges = Vec<(usize, std::ops::Range<usize>)>;

impl Engine {
    /// Reads every byte range the hotcache should hold, and nothing more: what opening the index
    /// reads (footers, the docstore's skip index, the fast-field directory), the term
    /// dictionary's index, and where each facet column lies. The columns themselves and the
    /// fieldnorms are fetched by the queries that read them (phase 2), so a query with no hit
    /// never downloads them. Used by the writer with a read log switched on; `Ok(Some(names))`:
    /// chunks to add first.
    pub fn touch_hot_data(&mut self) -> Result<Option<Vec<String>>, Error> {
        self.store.set_policy(MissPolicy::Fail);
        if let Some(Step::Need(names)) = self.open()? {
            return Ok(Some(names));
        }
        let opened = self.opened.as_ref().expect("opened above");
        let attempt = || -> tantivy::Result<()> {
            for segment in opened.searcher.segment_readers() {
                segment.inverted_index(opened.fields.text)?;
                let fast = segment.fast_fields();
                for name in FACETS.iter().chain([&names::PUBLISHED_DAY]) {
                    fast.dynamic_column_handles(name)?;
                }
            }
            Ok(())
        };
        match attempt() {
            Ok(()) => Ok(None),
            Err(e) => match self.need_or(e)? {
                Step::Need(names) => Ok(Some(names)),
                Step::Done(_) => unreachable!("need_or never answers"),
            },
        }
    }

    /// For the writer: the byte ranges, in the postings and positions files, of every term
    /// whose postings (positions) take at least `min_postings` (`min_positions`) bytes, as
    /// `(manifest file index, range)`; or the chunks to add first. These are exactly the reads a
    /// query makes of those terms (tantivy reads a term's postings, and its positions, whole).
    pub fn long_term_ranges(
        &mut self,
        min_postings: usize,
        min_positions: usize,
    ) -> Result<Result<FileRanges, Vec<String>>, Error> {
        self.store.set_policy(MissPolicy::Fail);
        if let Some(Step::Need(names)) = self.open()? {
            return Ok(Err(names));
        }
        let file_of = |ext: &str| {
            self.manifest
                .files
                .iter()
                .position(|f| f.path.ends_with(ext))
        };
        let (Some(idx_file), Some(pos_file)) = (file_of(".idx"), file_of(".pos")) else {
            // An empty index has no segment.
            return Ok(Ok(Vec::new()));
        };
        let opened = self.opened.as_ref().expect("opened above");
        let attempt = || -> Result<Vec<(usize, std::ops::Range<usize>)>, Error> {
            let mut out = Vec::new();
            for segment in opened.searcher.segment_readers() {
                let inv = segment.inverted_index(opened.fields.text)?;
                let mut infos = Vec::new();
                let mut stream = inv.terms().stream()?;
                while stream.advance() {
                    infos.push(stream.value().clone());
                }
                // Where the field's postings and positions start inside their files: read the
                // first term's and compare with its ranges.
                let Some(first) = infos.first() else { continue };
                self.store.start_read_log();
                let read = inv.read_postings_from_terminfo(
                    first,
                    tantivy::schema::IndexRecordOption::WithFreqsAndPositions,
                );
                let log = self.store.take_read_log();
                read?;
                let base = |file: usize, len: usize| {
                    log.iter()
                        .find(|(f, r)| *f == file && r.len() == len)
                        .map(|(_, r)| r.start)
                };
                let idx_base = base(idx_file, first.postings_range.len())
                    .map(|s| s - first.postings_range.start);
                let pos_base = base(pos_file, first.positions_range.len())
                    .map(|s| s - first.positions_range.start);
                for info in &infos {
                    if let Some(b) = idx_base.filter(|_| info.postings_range.len() >= min_postings)
                    {
                        let r = &info.postings_range;
                        out.push((idx_file, b + r.start..b + r.end));
                    }
                    if let Some(b) =
                        pos_base.filter(|_| info.positions_range.len() >= min_positions)
                    {
                        let r = &info.positions_range;
                        out.push((pos_file, b + r.start..b + r.end));
                    }
                }
            }
            Ok(out)
        };
        match attempt() {
            Ok(ranges) => Ok(Ok(ranges)),
            Err(e) if self.store.has_missing() => {
                drop(e);
                Ok(Err(self.store.take_missing()))
            }
            Err(e) => Err(e),
        }
    }
}

impl Engine {
    /// For the writer: the byte ranges of every fast-field column a query can read (the
    /// facets and the date) and of the `text` fieldnorms, as `(manifest file index, range)`; or
    /// the chunks to add first. Each is read whole by the queries that read it.
    pub fn column_ranges(&mut self) -> Result<Result<FileRanges, Vec<String>>, Error> {
        self.store.set_policy(MissPolicy::Fail);
        if let Some(Step::Need(names)) = self.open()? {
            return Ok(Err(names));
        }
        let opened = self.opened.as_ref().expect("opened above");
        self.store.set_policy(MissPolicy::Zeros);
        self.store.start_read_log();
        let attempt = || -> Result<(), Error> {
            for segment in opened.searcher.segment_readers() {
                let fast = segment.fast_fields();
                for name in FACETS.iter().chain([&names::PUBLISHED_DAY]) {
                    for h in fast.dynamic_column_handles(name)? {
                        h.file_slice()
                            .read_bytes()
                            .map_err(|e| Error::from(tantivy::TantivyError::from(e)))?;
                    }
                }
                segment.get_fieldnorms_reader(opened.fields.text)?;
            }
            Ok(())
        };
        let result = attempt();
        let log = self.store.take_read_log();
        self.store.set_policy(MissPolicy::Fail);
        self.store.take_missing();
        result?;
        let wanted = |i: usize| {
            let p = &self.manifest.files[i].path;
            p.ends_with(".fast") || p.ends_with(".fieldnorm")
        };
        let mut out: FileRanges = log
            .into_iter()
            .filter(|(f, r)| wanted(*f) && !r.is_empty())
            .collect();
        out.sort_by_key(|(f, r)| (*f, r.start, r.end));
        out.dedup();
        Ok(Ok(out))
    }
}

impl Engine {
    /// For the writer: the byte range of every block of the `text` term dictionary, as
    /// `(manifest file index, range)`; or the chunks to add first. A term lookup reads exactly
    /// one block (tantivy's sstable: 4,000 bytes of keys plus their term infos, 10–16 KiB), so
    /// each block published as one unit file costs one request instead of the three to five
    /// 4 KiB chunks it spans.
    ///
    /// The blocks lie end to end from the start of the dictionary's data, each a `u32` (LE)
    /// length of what follows, then that many bytes; a length of 0 ends them.
    pub fn term_block_ranges(&mut self) -> Result<Result<FileRanges, Vec<String>>, Error> {
        self.store.set_policy(MissPolicy::Fail);
        if let Some(Step::Need(names)) = self.open()? {
            return Ok(Err(names));
        }
        let opened = self.opened.as_ref().expect("opened above");
        let mut out = FileRanges::new();
        for segment in opened.searcher.segment_readers() {
            let inv = match segment.inverted_index(opened.fields.text) {
                Ok(inv) => inv,
                Err(_) if self.store.has_missing() => return Ok(Err(self.store.take_missing())),
                Err(e) => return Err(e.into()),
            };
            self.store.start_read_log();
            let data = inv.terms().file_slice_for_range(.., None).read_bytes();
            let log = self.store.take_read_log();
            let data = match data {
                Ok(data) => data,
                Err(_) if self.store.has_missing() => return Ok(Err(self.store.take_missing())),
                Err(e) => return Err(tantivy::TantivyError::from(e).into()),
            };
            let Some((file, base)) = log
                .iter()
                .find(|(_, r)| r.len() == data.len())
                .map(|(f, r)| (*f, r.start))
            else {
                continue; // an empty dictionary: nothing read
            };
            let bytes = data.as_slice();
            let mut at = 0usize;
            while let Some(len) = bytes.get(at..at + 4) {
                let len = u32::from_le_bytes(len.try_into().expect("4 bytes")) as usize;
                if len == 0 || at + 4 + len > bytes.len() {
                    break;
                }
                out.push((file, base + at..base + at + 4 + len));
                at += 4 + len;
            }
            // The last block's unit also holds the end marker (a `u32` 0): a dictionary of one
            // block has no index, and its lookups read the block and the marker together.
            if let Some((_, last)) = out.last_mut().filter(|_| at + 4 <= bytes.len()) {
                last.end += 4;
            }
        }
        Ok(Ok(out))
    }
}
