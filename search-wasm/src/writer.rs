//! The index writer (native only, feature `writer`): the documents the site publishes → the files
//! of `public/search/index/`.
//!
//! It indexes exactly the documents it is given, in the given order, into memory (a large site in
//! two fixed halves on two threads, see [`TWO_PARTS_FROM_DOCS`]); merges to one segment; renames the segment to a fixed id (tantivy names segments with
//! random UUIDs) so that the same documents give byte-identical files; cuts every file into chunks
//! named by content hash; records the hotcache by opening the result through the same reader the
//! browser uses; and finally checks that the reader finds every document. Any failure is an error:
//! it never returns a partial index.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use tantivy::directory::{Directory, RamDirectory};
use tantivy::index::SegmentId;
use tantivy::schema::Value;
use tantivy::{Index, IndexWriter, TantivyDocument};

use crate::engine::Engine;
use crate::error::Error;
use crate::manifest::{
    engine_id, Hotcache, Manifest, ManifestFile, FORMAT, INDEX_DIR, MANIFEST_NAME,
};
use crate::schema::{self, Fields, TITLE_WEIGHT};
use crate::IndexDoc;

/// Writer memory budget. The arena grows only as needed; a large budget keeps even big sites in
/// one segment, so no merge is needed in the common case.
const WRITER_MEMORY_BYTES: usize = 1 << 30;

/// The files a segment can have (no `.del`: nothing is ever deleted).
const SEGMENT_FILE_EXTENSIONS: [&str; 6] = ["idx", "pos", "term", "store", "fast", "fieldnorm"];

/// The fixed segment id every published index uses (hyphenated and plain forms).
const FIXED_SEGMENT_ID: &str = "00000000000000000000000000000001";

/// Chunk size by tantivy file extension: small where reads are small and random (dictionary,
/// docstore), larger where they are long and sequential (positions of frequent terms).
pub fn chunk_size_for(path: &str) -> u64 {
    match path.rsplit('.').next() {
        Some("term") => 2 * 1024,
        Some("store") => 2 * 1024,
        Some("idx") => 4 * 1024,
        Some("pos") => 4 * 1024,
        _ => 16 * 1024,
    }
}

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
    d.add_text(f.title, &doc.title);
    // Separate values with a line break: a position gap, so phrases never span two values.
    let mut text = String::with_capacity(doc.title.len() * TITLE_WEIGHT + doc.body.len() + 200);
    for v in std::iter::repeat_n(&doc.title, TITLE_WEIGHT)
        .chain([&doc.doc_no, &doc.index_no, &doc.category])
        .chain(doc.issuer.iter())
        .chain([&doc.summary, &doc.body])
    {
        text.push_str(v);
        text.push('\n');
    }
    d.add_text(f.text, &text);
    let source = if doc.body.trim().is_empty() {
        &doc.summary
    } else {
        &doc.body
    };
    d.add_text(f.snippet, source.trim());
    d.add_text(f.url, &doc.url);
    d.add_text(f.doc_no, &doc.doc_no);
    d.add_text(f.index_no, &doc.index_no);
    d.add_text(f.published, &doc.published);
    if let Some(day) = parse_day(&doc.published) {
        d.add_u64(f.published_day, day);
        d.add_text(f.year, &doc.published[..4]);
    }
    for (field, value) in [
        (f.category, &doc.category),
        (f.kind, &doc.kind),
        (f.validity, &doc.validity),
    ] {
        if !value.trim().is_empty() {
            d.add_text(field, value.trim());
        }
    }
    for issuer in &doc.issuer {
        if !issuer.trim().is_empty() {
            d.add_text(f.issuer, issuer.trim());
        }
    }
    d.add_u64(f.ord, ord);
    d
}

/// Documents from which the writer indexes in two parts on two threads (below, one part: the
/// merge would cost more than the second thread saves).
pub const TWO_PARTS_FROM_DOCS: usize = 2000;

/// Indexes `docs` (whose first has input position `ord_base`) with one writer thread into `ram`,
/// and leaves exactly one segment there, documents in input order.
fn index_part(docs: &[IndexDoc], ord_base: u64, ram: &RamDirectory) -> Result<Index, Error> {
    let index = Index::create(
        ram.clone(),
        schema::build_schema(),
        schema::index_settings(),
    )?;
    schema::register_analyzer(&index);
    let fields = Fields::resolve(&index.schema()).map_err(Error::Internal)?;
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
    for (i, doc) in docs.iter().enumerate() {
        writer.add_document(to_document(doc, ord_base + i as u64, &fields))?;
    }
    writer.commit()?;
    let metas = index.searchable_segment_metas()?;
    if metas.len() > 1 {
        // Merge in input order (segment ids are random; order them by their first document).
        let reader = index.reader()?;
        let searcher = reader.searcher();
        let mut by_first: Vec<(u64, SegmentId)> = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let first: TantivyDocument = searcher.doc(tantivy::DocAddress::new(ord as u32, 0))?;
            let n = first
                .get_first(fields.ord)
                .and_then(|v| v.as_u64())
                .unwrap_or(u64::MAX);
            by_first.push((n, segment.segment_id()));
        }
        by_first.sort();
        let ids: Vec<SegmentId> = by_first.into_iter().map(|(_, id)| id).collect();
        writer.merge(&ids).wait()?;
    }
    writer.wait_merging_threads()?;
    Ok(Index::open(ram.clone())?)
}

/// The index files as tantivy wrote them: `(path, bytes)`, sorted by path.
///
/// Speed without losing determinism: a large site is cut into two fixed halves (by document
/// count, never by the number of cores), each indexed by its own single-threaded writer on its own
/// thread, and the two segments are merged in input order. The same documents therefore always
/// give the same files, on any machine; the merge's log line (random segment ids) is dropped
/// from `meta.json`.
fn build_tantivy_files(
    docs: Vec<IndexDoc>,
    indexed: &mut dyn FnMut(),
) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let ram = RamDirectory::create();
    if docs.len() < TWO_PARTS_FROM_DOCS {
        index_part(&docs, 0, &ram)?;
        drop(docs);
        indexed();
    } else {
        let half = docs.len() / 2;
        let (first, second) = docs.split_at(half);
        let (ram_a, ram_b) = (RamDirectory::create(), RamDirectory::create());
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| index_part(first, 0, &ram_a));
            let b = index_part(second, half as u64, &ram_b);
            let a = a
                .join()
                .unwrap_or_else(|_| Err(Error::Internal("indexing thread panicked".into())));
            (a, b)
        });
        // The records are indexed: free their text before the merge needs memory.
        drop(docs);
        indexed();
        tantivy::indexer::merge_indices(&[a?, b?], ram.clone())?;
    }
    let index = Index::open(ram.clone())?;
    let metas = index.searchable_segment_metas()?;
    if metas.len() > 1 {
        return Err(Error::Internal(format!(
            "expected one segment after merging, found {}",
            metas.len()
        )));
    }
    let mut files = BTreeMap::new();
    let meta_json = String::from_utf8(
        ram.atomic_read(std::path::Path::new("meta.json"))
            .map_err(|e| Error::Internal(e.to_string()))?,
    )
    .map_err(|e| Error::Internal(e.to_string()))?;
    // The merge records the random ids of the merged segments as a free-form payload.
    let mut meta_value: serde_json::Value =
        serde_json::from_str(&meta_json).map_err(|e| Error::Internal(e.to_string()))?;
    if let Some(obj) = meta_value.as_object_mut() {
        obj.insert("payload".into(), serde_json::Value::Null);
    }
    let mut meta_json =
        serde_json::to_string_pretty(&meta_value).map_err(|e| Error::Internal(e.to_string()))?;
    for meta in &metas {
        let id = meta.id();
        meta_json = meta_json.replace(&id.uuid_string(), FIXED_SEGMENT_ID);
        meta_json = meta_json.replace(
            &hyphenated(&id.uuid_string()),
            &hyphenated(FIXED_SEGMENT_ID),
        );
        for ext in SEGMENT_FILE_EXTENSIONS {
            let path = std::path::PathBuf::from(format!("{}.{ext}", id.uuid_string()));
            if !ram
                .exists(&path)
                .map_err(|e| Error::Internal(e.to_string()))?
            {
                continue;
            }
            let bytes = ram
                .open_read(&path)
                .map_err(|e| Error::Internal(e.to_string()))?
                .read_bytes()
                .map_err(|e| Error::Internal(format!("reading {path:?} back from memory: {e}")))?;
            files.insert(
                format!("{FIXED_SEGMENT_ID}.{ext}"),
                bytes.as_slice().to_vec(),
            );
        }
    }
    files.insert("meta.json".to_string(), meta_json.into_bytes());
    Ok(files)
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
    write_index_with(docs.to_vec(), &mut || {})
}

/// [`write_index`], taking the records (their text is freed as soon as it is indexed) and
/// calling `indexed` once the parallel part is over: what remains (merging, chunking, the
/// hotcache, the check) runs on one thread, so a caller can start other work.
pub fn write_index_with(
    docs: Vec<IndexDoc>,
    indexed: &mut dyn FnMut(),
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let doc_count = docs.len();
    let tantivy_files = build_tantivy_files(docs, indexed)?;
    let mut manifest = Manifest {
        format: FORMAT,
        engine: engine_id(),
        doc_count: doc_count as u64,
        hotcache: String::new(),
        files: Vec::new(),
    };
    for (path, bytes) in &tantivy_files {
        manifest.files.push(ManifestFile {
            path: path.clone(),
            len: bytes.len() as u64,
            chunk_size: chunk_size_for(path),
            hash: content_hash(bytes),
        });
    }

    // Record the hotcache: open the index through the browser's reader with every chunk loaded.
    let manifest_json =
        serde_json::to_vec(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
    let mut engine = Engine::new(&manifest_json, &Hotcache::default().encode())?;
    for (i, file) in manifest.files.iter().enumerate() {
        let bytes = &tantivy_files[&file.path];
        for n in 0..file.chunk_count() {
            engine.add_chunk(&file.chunk_name(n), bytes[file.chunk_range(n)].to_vec())?;
        }
        debug_assert_eq!(manifest.files[i].path, file.path);
    }
    engine.store().start_read_log();
    engine.touch_hot_data()?;
    let log = engine.store().take_read_log();
    drop(engine);
    let hotcache = build_hotcache(&manifest, &tantivy_files, log);
    // The chunks, each file freed once it is cut (at most one file is held twice).
    let mut out: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (file, (path, bytes)) in manifest.files.iter().zip(tantivy_files) {
        debug_assert_eq!(file.path, path);
        for n in 0..file.chunk_count() {
            out.insert(
                format!("{INDEX_DIR}/{}", file.chunk_name(n)),
                bytes[file.chunk_range(n)].to_vec(),
            );
        }
    }
    let hot_bytes = hotcache.encode();
    manifest.hotcache = format!("hot-{}.bin", content_hash(&hot_bytes));
    out.insert(format!("{INDEX_DIR}/{}", manifest.hotcache), hot_bytes);
    let mut manifest_json =
        serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
    manifest_json.push(b'\n');
    out.insert(format!("{INDEX_DIR}/{MANIFEST_NAME}"), manifest_json);

    verify(&out, doc_count)?;
    Ok(out.into_iter().collect())
}

/// Merges the logged reads into hotcache entries (whole `meta.json` included).
fn build_hotcache(
    manifest: &Manifest,
    files: &BTreeMap<String, Vec<u8>>,
    log: Vec<(usize, std::ops::Range<usize>)>,
) -> Hotcache {
    let mut ranges: Vec<(usize, usize, usize)> = log
        .into_iter()
        .filter(|(_, r)| !r.is_empty())
        .map(|(f, r)| (f, r.start, r.end))
        .collect();
    for (i, f) in manifest.files.iter().enumerate() {
        if f.path == "meta.json" {
            ranges.push((i, 0, f.len as usize));
        }
    }
    ranges.sort();
    let mut merged: Vec<(usize, usize, usize)> = Vec::new();
    for (f, s, e) in ranges {
        match merged.last_mut() {
            Some((lf, _, le)) if *lf == f && s <= *le => *le = (*le).max(e),
            _ => merged.push((f, s, e)),
        }
    }
    let entries = merged
        .into_iter()
        .map(|(f, s, e)| {
            (
                f as u32,
                s as u64,
                files[&manifest.files[f].path][s..e].to_vec(),
            )
        })
        .collect();
    Hotcache { entries }
}

/// Reads the written files back as the browser would: every chunk the manifest names exists with
/// the announced length, and the reader opens the index and counts every document.
fn verify(out: &BTreeMap<String, Vec<u8>>, expected_docs: usize) -> Result<(), Error> {
    let get = |name: &str| {
        out.get(&format!("{INDEX_DIR}/{name}"))
            .ok_or_else(|| Error::Internal(format!("written index lacks {name}")))
    };
    let manifest_json = get(MANIFEST_NAME)?;
    let manifest = Manifest::parse(manifest_json).map_err(Error::Internal)?;
    for file in &manifest.files {
        for n in 0..file.chunk_count() {
            if get(&file.chunk_name(n))?.len() != file.chunk_range(n).len() {
                return Err(Error::Internal(format!(
                    "chunk {n} of {} has the wrong length",
                    file.path
                )));
            }
        }
    }
    let mut engine = Engine::new(manifest_json, get(&manifest.hotcache)?)?;
    loop {
        match engine.num_docs()? {
            Err(names) => {
                for name in names {
                    engine.add_chunk(&name, get(&name)?.clone())?;
                }
            }
            Ok(n) if n == expected_docs as u64 && manifest.doc_count == n => return Ok(()),
            Ok(n) => {
                return Err(Error::Internal(format!(
                    "the written index holds {n} documents, expected {expected_docs}"
                )))
            }
        }
    }
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
