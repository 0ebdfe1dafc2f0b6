//! The index writer (native only, feature `writer`): the documents the site publishes → the files
//! of `public/search/index/`.
//!
//! It indexes the documents it is given **newest first** (by 发布日期, then input order) into a
//! temporary folder on disk (a large site in two fixed halves on two threads, see
//! [`TWO_PARTS_FROM_DOCS`]); merges to one segment; renames the segment to a fixed id (tantivy
//! names segments with random UUIDs) so that the same documents give byte-identical files;
//! records the hotcache by opening the result through the same reader the browser uses, fed
//! chunk by chunk from the disk; hands every chunk file to the caller as it is cut; and finally
//! checks that the reader finds every document. Any failure is an error: it never returns a
//! partial index.
//!
//! Why newest first: the date column and the year column are then monotonic, which tantivy's
//! codecs store in a few bits per document instead of 13–16, so a query's facet and sort data
//! is a fraction of what it was; and a date-sorted listing reads neighbouring documents.
//!
//! Memory: the index is never held in memory. tantivy writes its segments to the temporary
//! folder (the merge reads them through mmap), chunks are read from the files one at a time, and
//! the hotcache is recorded by a reader that loads only the chunks it touches.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tantivy::directory::MmapDirectory;
use tantivy::index::SegmentId;
use tantivy::{Index, IndexWriter, TantivyDocument};

use std::fs::File;
use std::io::{Read, Write};

use crate::disk::{build_hotcache, file_hash, io_error, read_range, DiskChunks};
use crate::engine::Engine;
use crate::error::Error;
use crate::layout::{chunk_size_for, prefix_lengths, WriteOptions, UNIT_FROM};
use crate::manifest::{
    engine_id, Hotcache, Manifest, ManifestFile, FORMAT, INDEX_DIR, MANIFEST_NAME,
};
use crate::schema::{self, names, Fields, TITLE_WEIGHT};
use crate::stored::{record_name, StoredDoc};
use crate::IndexDoc;

/// The files a segment can have (no `.del`: nothing is ever deleted).
const SEGMENT_FILE_EXTENSIONS: [&str; 6] = ["idx", "pos", "term", "store", "fast", "fieldnorm"];

/// The fixed segment id every published index uses (hyphenated and plain forms).
const FIXED_SEGMENT_ID: &str = "00000000000000000000000000000001";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn content_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes)[..8])
}

/// `YYYY-MM-DD` (from 1900) → days since 1900-01-01 plus one (so 0 means "no date"); else `None`.
fn parse_day(date: &str) -> Option<u64> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (
        date[..4].parse().ok()?,
        date[5..7].parse().ok()?,
        date[8..].parse().ok()?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 1900 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm), proleptic Gregorian.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // `days` counts from 1970-01-01, which is 25,567 days after 1900-01-01.
    u64::try_from(days + 1 + 25_567).ok()
}

fn to_document(doc: &IndexDoc, ord: u64, f: &Fields) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    // Separate values with a line break: a position gap, so phrases never span two values.
    let mut text = String::with_capacity(doc.title.len() * TITLE_WEIGHT + doc.body.len() + 200);
    for v in std::iter::repeat_n(&doc.title, TITLE_WEIGHT)
        .chain([&doc.doc_no, &doc.index_no, &doc.category, &doc.category_sub])
        .chain(doc.issuer.iter())
        .chain([&doc.summary, &doc.body])
    {
        text.push_str(v);
        text.push('\n');
    }
    d.add_text(f.text, &text);
    // Every document gets a value in every column, "" (or day 0) for none: a column where some
    // documents have no value needs an index of those that do, which costs more than the values
    // (the engine never counts or filters on "").
    let day = parse_day(&doc.published);
    d.add_u64(f.published_day, day.unwrap_or(0));
    d.add_text(
        f.year,
        if day.is_some() {
            &doc.published[..4]
        } else {
            ""
        },
    );
    for (field, value) in [
        (f.category, &doc.category),
        (f.category_sub, &doc.category_sub),
        (f.kind, &doc.kind),
        (f.validity, &doc.validity),
    ] {
        d.add_text(field, value.trim());
    }
    let mut issuers = doc
        .issuer
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty());
    match issuers.next() {
        None => d.add_text(f.issuer, ""),
        Some(first) => {
            d.add_text(f.issuer, first);
            for issuer in issuers {
                d.add_text(f.issuer, issuer);
            }
        }
    }
    d.add_u64(f.ord, ord);
    d
}

/// What a hit shows of `doc` (see [`crate::stored`]).
fn to_record(doc: &IndexDoc) -> StoredDoc {
    let source = if doc.body.trim().is_empty() {
        &doc.summary
    } else {
        &doc.body
    };
    StoredDoc {
        url: doc.url.clone(),
        title: doc.title.clone(),
        snippet: source.trim().to_string(),
        published: doc.published.clone(),
        issuer: doc
            .issuer
            .iter()
            .map(|i| i.trim())
            .filter(|i| !i.is_empty())
            .map(str::to_string)
            .collect(),
        category: doc.category.trim().to_string(),
        category_sub: doc.category_sub.trim().to_string(),
        kind: doc.kind.trim().to_string(),
        validity: doc.validity.trim().to_string(),
        doc_no: doc.doc_no.clone(),
        index_no: doc.index_no.clone(),
    }
}

/// The records of one part, in index order, in a file of `(length u32 LE, record)` entries,
/// and the hash of those bytes.
struct PartRecords {
    path: PathBuf,
    hash: [u8; 32],
}

/// Where the writer's documents come from. A site hands out one record at a time, so the
/// writer never holds a copy of every body.
pub trait DocSource: Sync {
    /// Number of documents.
    fn len(&self) -> usize;
    /// Whether there is none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// 发布日期 of document `i` (`YYYY-MM-DD` or anything else for "unknown"): the index order.
    fn published(&self, i: usize) -> String;
    /// The record of document `i`.
    fn doc(&self, i: usize) -> IndexDoc;
}

impl DocSource for &[IndexDoc] {
    fn len(&self) -> usize {
        <[IndexDoc]>::len(self)
    }
    fn published(&self, i: usize) -> String {
        self[i].published.clone()
    }
    fn doc(&self, i: usize) -> IndexDoc {
        self[i].clone()
    }
}

/// The index order: newest 发布日期 first, undated last, input order among equals.
fn index_order(docs: &dyn DocSource) -> Vec<usize> {
    let mut keyed: Vec<(std::cmp::Reverse<u64>, usize)> = (0..docs.len())
        .map(|i| {
            (
                std::cmp::Reverse(parse_day(&docs.published(i)).unwrap_or(0)),
                i,
            )
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Documents from which the writer indexes in two parts on two threads (below, one part: the
/// merge would cost more than the second thread saves).
pub const TWO_PARTS_FROM_DOCS: usize = 2000;

fn open_dir(path: &Path) -> Result<MmapDirectory, Error> {
    std::fs::create_dir_all(path).map_err(io_error(path))?;
    MmapDirectory::open(path).map_err(|e| Error::Internal(format!("{}: {e}", path.display())))
}

/// Indexes `order` (the documents at index positions `ord_base..`) with one writer thread into
/// the folder `dir`; their records go to the file `records`. tantivy cuts a new segment each time
/// the writer's memory budget is full; the segments are merged later, all at once (see
/// [`segments_in_order`]).
fn index_part(
    docs: &dyn DocSource,
    writer_memory: usize,
    order: &[usize],
    ord_base: u64,
    dir: &Path,
    records: &Path,
) -> Result<(Index, PartRecords), Error> {
    let index = Index::create(
        open_dir(dir)?,
        schema::build_schema(),
        schema::index_settings(),
    )?;
    schema::register_analyzer(&index);
    let fields = Fields::resolve(&index.schema()).map_err(Error::Internal)?;
    let mut writer: IndexWriter = index.writer_with_num_threads(1, writer_memory)?;
    // No merge while indexing: a background merge would join segments in any order (and at any
    // time), and the documents must stay in the writer's order; all are merged once, at the end.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut out = std::io::BufWriter::new(File::create(records).map_err(io_error(records))?);
    let mut hasher = Sha256::new();
    for (i, &d) in order.iter().enumerate() {
        let doc = docs.doc(d);
        let record = to_record(&doc).encode();
        let len = (record.len() as u32).to_le_bytes();
        hasher.update(len);
        hasher.update(&record);
        out.write_all(&len)
            .and_then(|()| out.write_all(&record))
            .map_err(io_error(records))?;
        writer.add_document(to_document(&doc, ord_base + i as u64, &fields))?;
    }
    out.flush().map_err(io_error(records))?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    let part = PartRecords {
        path: records.to_path_buf(),
        hash: hasher.finalize().into(),
    };
    Ok((Index::open(open_dir(dir)?)?, part))
}

/// The segments of `index` in index order (segment ids are random; order them by their first
/// document), so that merging them keeps the documents in the writer's order.
fn segments_in_order(index: &Index) -> Result<Vec<tantivy::Segment>, Error> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut first_ord: Vec<(u64, SegmentId)> = Vec::new();
    for segment in searcher.segment_readers() {
        let n = segment
            .fast_fields()
            .u64(names::ORD)?
            .first(0)
            .unwrap_or(u64::MAX);
        first_ord.push((n, segment.segment_id()));
    }
    first_ord.sort();
    let mut segments = index.searchable_segments()?;
    segments.sort_by_key(|s| {
        first_ord
            .iter()
            .position(|(_, id)| *id == s.id())
            .unwrap_or(usize::MAX)
    });
    Ok(segments)
}

/// Merges the segments of `parts`, in order, into one segment in the folder `out`: a single
/// merge, however many segments the writers cut, so every posting is rewritten once.
fn merge_in_order(parts: &[Index], out: &Path) -> Result<(), Error> {
    let mut segments = Vec::new();
    for part in parts {
        segments.extend(segments_in_order(part)?);
    }
    let alive = segments.iter().map(|_| None).collect();
    tantivy::indexer::merge_filtered_segments(
        &segments,
        schema::index_settings(),
        alive,
        open_dir(out)?,
    )?;
    Ok(())
}

/// The document id of each index position (`ord`), read from the written index: record files
/// are named by document id, so this must be exactly the writer's order or a permutation of it.
fn doc_of_ord(index: &Index, doc_count: usize) -> Result<Vec<u32>, Error> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut out = vec![u32::MAX; doc_count];
    let mut base = 0u32;
    for segment in searcher.segment_readers() {
        let ords = segment.fast_fields().u64(names::ORD)?;
        for doc in 0..segment.max_doc() {
            let ord = ords.first(doc).unwrap_or(u64::MAX) as usize;
            match out.get_mut(ord) {
                Some(slot) if *slot == u32::MAX => *slot = base + doc,
                _ => {
                    return Err(Error::Internal(format!(
                        "document {doc} of the index has position {ord}, which is not unique"
                    )))
                }
            }
        }
        base += segment.max_doc();
    }
    if out.contains(&u32::MAX) {
        return Err(Error::Internal(
            "a document is missing from the index".into(),
        ));
    }
    Ok(out)
}

/// The index files on disk (`(published path, file)`, sorted), `meta.json`'s published text,
/// the records' files (in index order) and hash, and the document id of each index position.
struct TantivyFiles {
    files: Vec<(String, PathBuf)>,
    meta_json: Vec<u8>,
    records: Vec<PathBuf>,
    records_hash: String,
    doc_of_ord: Vec<u32>,
}

/// The index as tantivy wrote it, in `work/out`: `(published path, file on disk)` sorted by
/// path, and `meta.json`'s published text.
///
/// Speed without losing determinism: a large site is cut into two fixed halves (by document
/// count, never by the number of cores), each indexed by its own single-threaded writer on its own
/// thread, and the two segments are merged in index order. The same documents therefore always
/// give the same files, on any machine; the merge's log line (random segment ids) is dropped
/// from `meta.json`.
fn build_tantivy_files(
    docs: &dyn DocSource,
    writer_memory: usize,
    work: &Path,
    indexed: &mut dyn FnMut(),
) -> Result<TantivyFiles, Error> {
    let order = index_order(docs);
    let out = work.join("out");
    let (dir_a, dir_b) = (work.join("a"), work.join("b"));
    let (rec_a, rec_b) = (work.join("records-a"), work.join("records-b"));
    let (indexes, parts) = if docs.len() < TWO_PARTS_FROM_DOCS {
        let (a, part) = index_part(docs, writer_memory, &order, 0, &dir_a, &rec_a)?;
        (vec![a], vec![part])
    } else {
        let half = order.len() / 2;
        let (first, second) = order.split_at(half);
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| index_part(docs, writer_memory, first, 0, &dir_a, &rec_a));
            let b = index_part(docs, writer_memory, second, half as u64, &dir_b, &rec_b);
            let a = a
                .join()
                .unwrap_or_else(|_| Err(Error::Internal("indexing thread panicked".into())));
            (a, b)
        });
        let ((a, part_a), (b, part_b)) = (a?, b?);
        (vec![a, b], vec![part_a, part_b])
    };
    indexed();
    let segments: usize = indexes
        .iter()
        .map(|i| i.searchable_segment_metas().map(|m| m.len()))
        .sum::<Result<_, _>>()?;
    if segments <= 1 && indexes.len() == 1 {
        // One segment (or none, for no document) is already the result.
        drop(indexes);
        std::fs::rename(&dir_a, &out).map_err(io_error(&out))?;
    } else {
        merge_in_order(&indexes, &out)?;
        drop(indexes);
        for dir in [dir_a, dir_b] {
            if dir.exists() {
                std::fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
            }
        }
    }
    let mut hasher = Sha256::new();
    for part in &parts {
        hasher.update(part.hash);
    }
    let records_hash = hex(&hasher.finalize()[..8]);
    let index = Index::open(open_dir(&out)?)?;
    let metas = index.searchable_segment_metas()?;
    if metas.len() > 1 {
        return Err(Error::Internal(format!(
            "expected one segment after merging, found {}",
            metas.len()
        )));
    }
    schema::register_analyzer(&index);
    let doc_of_ord = doc_of_ord(&index, docs.len())?;
    // Results tie-break on document order, which must be the writer's order (newest first).
    if let Some(ord) = (0..doc_of_ord.len()).find(|&ord| doc_of_ord[ord] != ord as u32) {
        return Err(Error::Internal(format!(
            "index position {ord} is document {} after the merge, not {ord}",
            doc_of_ord[ord]
        )));
    }
    drop(index);
    let meta_path = out.join("meta.json");
    let meta_json = std::fs::read_to_string(&meta_path).map_err(io_error(&meta_path))?;
    // The merge records the random ids of the merged segments as a free-form payload.
    let mut meta_value: serde_json::Value =
        serde_json::from_str(&meta_json).map_err(|e| Error::Internal(e.to_string()))?;
    if let Some(obj) = meta_value.as_object_mut() {
        obj.insert("payload".into(), serde_json::Value::Null);
    }
    let mut meta_json =
        serde_json::to_string_pretty(&meta_value).map_err(|e| Error::Internal(e.to_string()))?;
    let mut files = Vec::new();
    // No segment at all when there is no document.
    for meta in &metas {
        let id = meta.id().uuid_string();
        meta_json = meta_json.replace(&id, FIXED_SEGMENT_ID);
        meta_json = meta_json.replace(&hyphenated(&id), &hyphenated(FIXED_SEGMENT_ID));
        for ext in SEGMENT_FILE_EXTENSIONS {
            let path = out.join(format!("{id}.{ext}"));
            if path.exists() {
                files.push((format!("{FIXED_SEGMENT_ID}.{ext}"), path));
            }
        }
    }
    let meta_disk = work.join("meta.json");
    std::fs::write(&meta_disk, meta_json.as_bytes()).map_err(io_error(&meta_disk))?;
    files.push(("meta.json".to_string(), meta_disk));
    files.sort();
    Ok(TantivyFiles {
        files,
        meta_json: meta_json.into_bytes(),
        records: parts.into_iter().map(|p| p.path).collect(),
        records_hash,
        doc_of_ord,
    })
}

/// Hands every record file to `emit`, named by its document's id; returns how many.
fn emit_records(
    tantivy: &TantivyFiles,
    emit: &mut dyn FnMut(String, Vec<u8>) -> Result<(), Error>,
) -> Result<usize, Error> {
    let mut ord = 0usize;
    for path in &tantivy.records {
        let mut file = std::io::BufReader::new(File::open(path).map_err(io_error(path))?);
        let mut len = [0u8; 4];
        loop {
            match file.read_exact(&mut len) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                Err(e) => return Err(io_error(path)(e)),
            }
            let mut record = vec![0u8; u32::from_le_bytes(len) as usize];
            file.read_exact(&mut record).map_err(io_error(path))?;
            let doc = *tantivy.doc_of_ord.get(ord).ok_or_else(|| {
                Error::Internal("more records than documents in the index".into())
            })?;
            emit(
                format!("{INDEX_DIR}/{}", record_name(&tantivy.records_hash, doc)),
                record,
            )?;
            ord += 1;
        }
    }
    if ord != tantivy.doc_of_ord.len() {
        return Err(Error::Internal(format!(
            "{ord} records for {} documents",
            tantivy.doc_of_ord.len()
        )));
    }
    Ok(ord)
}

fn hyphenated(simple: &str) -> String {
    if simple.len() != 32 {
        return simple.to_string();
    }
    format!(
        "{}-{}-{}-{}-{}",
        &simple[0..8],
        &simple[8..12],
        &simple[12..16],
        &simple[16..20],
        &simple[20..32]
    )
}

/// Writes the index for `docs`; returns files relative to `public/search/` (all under `index/`),
/// sorted by name. Same documents in the same order → byte-identical files.
pub fn write_index(docs: &[IndexDoc]) -> Result<Vec<(String, Vec<u8>)>, Error> {
    write_index_with(docs, &WriteOptions::default())
}

/// [`write_index`] with other [`WriteOptions`].
pub fn write_index_with(
    docs: &[IndexDoc],
    options: &WriteOptions,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut files = Vec::new();
    write_index_to_with(&docs, options, &mut || {}, &mut |path, bytes| {
        files.push((path, bytes));
        Ok(())
    })?;
    files.sort();
    Ok(files)
}

/// Asks `engine` with `ask` until it has every chunk the answer needs, feeding it the chunks it
/// names from disk (`what` names the answer in the error if that never ends).
fn until_loaded<T>(
    engine: &mut Engine,
    chunks: &DiskChunks,
    what: &str,
    mut ask: impl FnMut(&mut Engine) -> Result<Result<T, Vec<String>>, Error>,
) -> Result<T, Error> {
    for _ in 0..crate::native::MAX_ROUNDS * 4 {
        match ask(engine)? {
            Ok(answer) => return Ok(answer),
            Err(names) => chunks.feed(engine, names)?,
        }
    }
    Err(Error::Internal(format!("listing {what} did not converge")))
}

/// [`write_index`] for any [`DocSource`], handing each file to `emit` (path relative to
/// `public/search/`, bytes) as soon as it is made, so that the caller can write it and forget
/// it; and calling `indexed` once the parallel part is over: what remains (merging, chunking,
/// the hotcache, the check) runs on one thread, so a caller can start other work. Returns the
/// number of files emitted.
pub fn write_index_to(
    docs: &dyn DocSource,
    indexed: &mut dyn FnMut(),
    emit: &mut dyn FnMut(String, Vec<u8>) -> Result<(), Error>,
) -> Result<usize, Error> {
    write_index_to_with(docs, &WriteOptions::default(), indexed, emit)
}

/// [`write_index_to`] with other [`WriteOptions`].
pub fn write_index_to_with(
    docs: &dyn DocSource,
    options: &WriteOptions,
    indexed: &mut dyn FnMut(),
    emit: &mut dyn FnMut(String, Vec<u8>) -> Result<(), Error>,
) -> Result<usize, Error> {
    let work = tempfile::Builder::new()
        .prefix("gongkai-index-")
        .tempdir()
        .map_err(io_error(&std::env::temp_dir()))?;
    let doc_count = docs.len();
    let tantivy = build_tantivy_files(docs, options.writer_memory, work.path(), indexed)?;
    let (disk, meta_json) = (&tantivy.files, &tantivy.meta_json);
    let mut manifest = Manifest {
        format: FORMAT,
        engine: engine_id(),
        doc_count: doc_count as u64,
        hotcache: String::new(),
        records: tantivy.records_hash.clone(),
        files: Vec::new(),
    };
    for (path, on_disk) in disk {
        let len = std::fs::metadata(on_disk).map_err(io_error(on_disk))?.len();
        let hash = if path == "meta.json" {
            content_hash(meta_json)
        } else {
            file_hash(on_disk)?
        };
        manifest.files.push(ManifestFile {
            path: path.clone(),
            len,
            chunk_size: chunk_size_for(path),
            hash,
            unit_from: 0,
            units: Vec::new(),
            pieces_from: 0,
            head: 0,
            prefixes: Vec::new(),
        });
    }
    let chunks = DiskChunks::new(manifest.clone(), disk);

    // Record the hotcache: open the index through the browser's reader, loading from disk only
    // the chunks it asks for.
    let manifest_json =
        serde_json::to_vec(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
    let mut engine = Engine::new(&manifest_json, &Hotcache::default().encode())?;
    engine.store().start_read_log();
    for _ in 0..crate::native::MAX_ROUNDS * 4 {
        match engine.touch_hot_data()? {
            Some(names) => chunks.feed(&engine, names)?,
            None => break,
        }
    }
    if engine.touch_hot_data()?.is_some() {
        return Err(Error::Internal(
            "hotcache recording did not converge".into(),
        ));
    }
    let log = engine.store().take_read_log();
    let hotcache = build_hotcache(&manifest, disk, log)?;

    // The long postings and positions, one unit file each (see `ManifestFile::unit_from`). The
    // whole dictionary is walked, so load it at once.
    for (file, _) in manifest.files.iter().zip(disk) {
        if file.path.ends_with(".term") {
            let names = (0..file.chunk_count())
                .map(|n| file.chunk_name(n))
                .collect();
            chunks.feed(&engine, names)?;
        }
    }
    let units = until_loaded(&mut engine, &chunks, "long postings", |e| {
        e.long_term_ranges(UNIT_FROM as usize, UNIT_FROM as usize)
    })?;
    // Each fast-field column, the fieldnorms and each block of the term dictionary: one unit
    // file each, listed in the manifest.
    let mut columns = until_loaded(&mut engine, &chunks, "the columns", Engine::column_ranges)?;
    columns.extend(until_loaded(
        &mut engine,
        &chunks,
        "the dictionary",
        Engine::term_block_ranges,
    )?);
    drop(engine);
    columns.sort_by_key(|(f, r)| (*f, r.start, r.end));
    let mut listed: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for (f, r) in columns {
        match listed.last_mut() {
            Some((lf, last)) if *lf == f && r.start < last.end => last.end = last.end.max(r.end),
            _ => listed.push((f, r)),
        }
    }
    for (f, r) in &listed {
        let file = &mut manifest.files[*f];
        file.units.push([r.start as u64, r.len() as u64]);
        // The fieldnorms, newest documents first: a bounded query reads a prefix of them.
        if file.path.ends_with(".fieldnorm") {
            for len in prefix_lengths(r.len() as u64, options.norms_prefix_from) {
                file.prefixes.push([r.start as u64, len]);
            }
        }
    }
    for (i, file) in manifest.files.iter_mut().enumerate() {
        if units.iter().any(|(f, _)| *f == i) {
            file.unit_from = UNIT_FROM;
            if file.path.ends_with(".pos") {
                file.pieces_from = options.positions_piece.max(UNIT_FROM);
                if options.positions_head < file.pieces_from {
                    file.head = options.positions_head;
                }
            }
        }
    }
    // Long positions: in pieces, so that a query can read the newest documents' first, and
    // the copy of their head (written besides the pieces).
    let heads: Vec<(usize, std::ops::Range<usize>)> = units
        .iter()
        .filter_map(|(f, r)| {
            let file = &manifest.files[*f];
            (file.head > 0 && r.len() as u64 > file.pieces_from)
                .then(|| (*f, r.start..r.start + file.head as usize))
        })
        .collect();
    let units: Vec<(usize, std::ops::Range<usize>)> = units
        .into_iter()
        .flat_map(|(f, r)| {
            crate::manifest::pieces(r.len(), manifest.files[f].pieces_from as usize)
                .into_iter()
                .map(move |p| (f, r.start + p.start..r.start + p.end))
        })
        .collect();
    let mut units = units;
    units.extend(listed);
    units.sort_by_key(|(f, r)| (*f, r.start));

    // The records, then the unit files and the chunks, read from disk one at a time; a chunk
    // wholly inside unit files is never read, so it is not written.
    let mut emitted = emit_records(&tantivy, emit)?;
    let mut seen = std::collections::BTreeSet::new();
    for (i, (file, (_, on_disk))) in manifest.files.iter().zip(disk).enumerate() {
        let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
        for (_, r) in units.iter().filter(|(f, _)| *f == i) {
            emit(
                format!("{INDEX_DIR}/{}", file.unit_name(r.start, r.len())),
                read_range(on_disk, r.clone())?,
            )?;
            emitted += 1;
            match covered.last_mut() {
                Some(last) if last.end == r.start => last.end = r.end,
                _ => covered.push(r.clone()),
            }
        }
        let copies = heads
            .iter()
            .filter(|(f, _)| *f == i)
            .map(|(_, r)| r.clone());
        let prefixes = file
            .prefixes
            .iter()
            .map(|&[start, len]| start as usize..(start + len) as usize);
        for r in copies.chain(prefixes) {
            emit(
                format!("{INDEX_DIR}/{}", file.unit_name(r.start, r.len())),
                read_range(on_disk, r)?,
            )?;
            emitted += 1;
        }
        // `covered` is sorted by start; a chunk is inside one of them when the furthest end
        // among those starting at or before it reaches its end (a binary search, not a scan:
        // a large site has tens of thousands of chunks and of units per file).
        let reach: Vec<usize> = covered
            .iter()
            .scan(0, |end, c| {
                *end = c.end.max(*end);
                Some(*end)
            })
            .collect();
        for n in 0..file.chunk_count() {
            let name = file.chunk_name(n);
            let range = file.chunk_range(n);
            let before = covered.partition_point(|c| c.start <= range.start);
            let inside = before > 0 && range.end <= reach[before - 1];
            if inside || !seen.insert(name.clone()) {
                continue;
            }
            emit(format!("{INDEX_DIR}/{name}"), read_range(on_disk, range)?)?;
            emitted += 1;
        }
    }
    let hot_bytes = hotcache.encode();
    manifest.hotcache = format!("hot-{}.bin", content_hash(&hot_bytes));
    // Compact: every first query fetches it, and it lists every block of the dictionary.
    let mut manifest_json =
        serde_json::to_vec(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
    manifest_json.push(b'\n');
    verify(
        &manifest_json,
        &hot_bytes,
        &DiskChunks::new(manifest.clone(), disk),
        doc_count,
    )?;
    emit(format!("{INDEX_DIR}/{}", manifest.hotcache), hot_bytes)?;
    emit(format!("{INDEX_DIR}/{MANIFEST_NAME}"), manifest_json)?;
    Ok(emitted + 2)
}

/// Opens the written index as the browser would (manifest, hotcache, then only the chunks it
/// asks for) and checks that it counts every document.
fn verify(
    manifest_json: &[u8],
    hot: &[u8],
    chunks: &DiskChunks<'_>,
    expected_docs: usize,
) -> Result<(), Error> {
    let manifest = Manifest::parse(manifest_json).map_err(Error::Internal)?;
    let mut engine = Engine::new(manifest_json, hot)?;
    for _ in 0..crate::native::MAX_ROUNDS {
        match engine.num_docs()? {
            Err(names) => chunks.feed(&engine, names)?,
            Ok(n) if n == expected_docs as u64 && manifest.doc_count == n => return Ok(()),
            Ok(n) => {
                return Err(Error::Internal(format!(
                    "the written index holds {n} documents, expected {expected_docs}"
                )))
            }
        }
    }
    Err(Error::Internal("the written index never opened".into()))
}

#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn days_order_like_dates() {
        assert_eq!(parse_day("1900-01-01"), Some(1));
        assert_eq!(parse_day("1970-01-01"), Some(25_568));
        assert!(parse_day("2019-02-15") < parse_day("2019-03-01"));
        assert!(parse_day("2019-12-31") < parse_day("2020-01-01"));
        for bad in [
            "",
            "2019",
            "2019-13-01",
            "2019-1-01",
            "１９９９-01-01",
            "1899-12-31",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
