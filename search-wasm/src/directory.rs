//! A read-only tantivy [`Directory`] over chunk files that arrive *after* the index is opened.
//!
//! The browser cannot block on the network inside wasm, so the reader never fetches anything: it
//! serves reads from the hotcache and from the chunks loaded so far, and when a read needs a chunk
//! it does not have, it **records the miss** and fails (or, while warming postings, returns zeros
//! that nobody looks at). The caller ([`crate::engine`]) then reports the missing chunk names, the
//! JavaScript worker (or the native [`crate::native`] loader) fetches exactly those, adds them, and
//! runs the query again. Nothing here needs threads, SharedArrayBuffer or HTTP Range.
//!
//! It also implements the odd parts of `Directory` for a read-only index: no-op locks (the reader
//! takes `META_LOCK`), an empty watch handle, and errors for every write. With a read log switched
//! on, it records every byte range read; the writer uses that to build the hotcache.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::HasLen;

use crate::manifest::{Hotcache, Manifest, ManifestFile};

/// What a read of bytes that are not loaded does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissPolicy {
    /// Record the miss and return an I/O error (normal reads).
    Fail,
    /// Record the miss and return zeros: only while warming postings, whose bytes are discarded.
    Zeros,
}

impl MissPolicy {
    /// The answer to a read that missed bytes (already recorded): `filled`, the bytes read
    /// with the missing ones filled in, or the error.
    fn answer(self, filled: Vec<u8>) -> io::Result<OwnedBytes> {
        match self {
            MissPolicy::Zeros => Ok(OwnedBytes::new(filled)),
            MissPolicy::Fail => Err(io::Error::other(MISSING_CHUNK)),
        }
    }
}

/// Error message of a read that hit a chunk not loaded yet.
pub const MISSING_CHUNK: &str = "index chunk not loaded yet";

struct FileState {
    meta: ManifestFile,
    chunks: Vec<Option<OwnedBytes>>,
    /// Hotcache ranges: `(start, bytes)`, sorted by start, non-overlapping.
    hot: Vec<(usize, OwnedBytes)>,
    /// Unit files loaded, by start (see [`ManifestFile::unit_from`]).
    units: HashMap<usize, OwnedBytes>,
}

struct State {
    files: Vec<FileState>,
    by_path: HashMap<PathBuf, usize>,
    by_chunk_name: HashMap<String, Vec<(usize, usize)>>,
    missing: BTreeSet<(usize, usize)>,
    /// Unit files missed: `(file, start, len)`.
    missing_units: BTreeSet<(usize, usize, usize)>,
    /// Record files loaded, by document id (see [`crate::stored`]), and their names' stem.
    records: HashMap<u32, OwnedBytes>,
    records_stem: String,
    /// Record files missed, by document id.
    missing_records: BTreeSet<u32>,
    /// Pieced reads a bounded query reads a prefix of: `(file, read length)` → prefix bytes.
    bounded: HashMap<(usize, usize), usize>,
    /// Bytes a bounded query needs of each unit with prefix files (the fieldnorms: one byte
    /// per document, so the number of documents it scores); `None`: every byte.
    prefix_need: Option<usize>,
    policy: MissPolicy,
    read_log: Option<Vec<(usize, Range<usize>)>>,
    loaded_bytes: u64,
}

/// The chunks of one index, shared by the [`ChunkDirectory`] handed to tantivy and the engine that
/// adds chunks to it.
#[derive(Clone)]
pub struct ChunkStore {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for ChunkStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChunkStore")
    }
}

impl ChunkStore {
    /// An empty store for the files of `manifest`.
    pub fn new(manifest: &Manifest) -> ChunkStore {
        let mut by_path = HashMap::new();
        let mut by_chunk_name: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut files = Vec::new();
        for (i, f) in manifest.files.iter().enumerate() {
            by_path.insert(PathBuf::from(&f.path), i);
            for n in 0..f.chunk_count() {
                by_chunk_name
                    .entry(f.chunk_name(n))
                    .or_default()
                    .push((i, n));
            }
            files.push(FileState {
                meta: f.clone(),
                chunks: vec![None; f.chunk_count()],
                hot: Vec::new(),
                units: HashMap::new(),
            });
        }
        let state = State {
            files,
            by_path,
            by_chunk_name,
            missing: BTreeSet::new(),
            missing_units: BTreeSet::new(),
            records: HashMap::new(),
            records_stem: manifest.records.clone(),
            missing_records: BTreeSet::new(),
            bounded: HashMap::new(),
            prefix_need: None,
            policy: MissPolicy::Fail,
            read_log: None,
            loaded_bytes: 0,
        };
        ChunkStore {
            state: Arc::new(Mutex::new(state)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a panic elsewhere; the data (immutable bytes) is still sound.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds the ranges of a decoded hotcache.
    pub fn add_hotcache(&self, hotcache: Hotcache) {
        let mut st = self.lock();
        for (file, start, bytes) in hotcache.entries {
            st.loaded_bytes += bytes.len() as u64;
            let f = &mut st.files[file as usize];
            f.hot.push((start as usize, OwnedBytes::new(bytes)));
            f.hot.sort_by_key(|(s, _)| *s);
        }
    }

    /// Adds one chunk file. Its length must be the one the manifest announces.
    pub fn add_chunk(&self, name: &str, bytes: Vec<u8>) -> Result<(), String> {
        let mut st = self.lock();
        if let Some(doc) = crate::stored::parse_record_name(&st.records_stem, name) {
            if !st.records.contains_key(&doc) {
                st.loaded_bytes += bytes.len() as u64;
                st.records.insert(doc, OwnedBytes::new(bytes));
            }
            st.missing_records.remove(&doc);
            return Ok(());
        }
        let Some(places) = st.by_chunk_name.get(name).cloned() else {
            let unit = st
                .files
                .iter()
                .enumerate()
                .find_map(|(i, f)| f.meta.parse_unit_name(name).map(|u| (i, u)));
            let Some((file, (start, len))) = unit else {
                return Err(format!("unknown chunk {name:?}"));
            };
            if bytes.len() != len {
                return Err(format!(
                    "unit {name:?} has {} bytes, expected {len}",
                    bytes.len()
                ));
            }
            // A unit and its prefix files share their start: keep the longest.
            if st.files[file]
                .units
                .get(&start)
                .is_none_or(|u| u.len() < len)
            {
                st.loaded_bytes += len as u64;
                st.files[file].units.insert(start, OwnedBytes::new(bytes));
            }
            st.missing_units.remove(&(file, start, len));
            return Ok(());
        };
        let bytes = OwnedBytes::new(bytes);
        for (file, n) in places {
            let expected = st.files[file].meta.chunk_range(n).len();
            if bytes.len() != expected {
                return Err(format!(
                    "chunk {name:?} has {} bytes, expected {expected}",
                    bytes.len()
                ));
            }
            if st.files[file].chunks[n].is_none() {
                st.loaded_bytes += bytes.len() as u64;
                st.files[file].chunks[n] = Some(bytes.clone());
            }
            st.missing.remove(&(file, n));
        }
        Ok(())
    }

    /// Names of the chunks reads have missed since the last call (sorted, deduplicated).
    pub fn take_missing(&self) -> Vec<String> {
        let mut st = self.lock();
        let missing = std::mem::take(&mut st.missing);
        let units = std::mem::take(&mut st.missing_units);
        let records = std::mem::take(&mut st.missing_records);
        let names: BTreeSet<String> = missing
            .into_iter()
            .map(|(f, n)| st.files[f].meta.chunk_name(n))
            .chain(
                units
                    .into_iter()
                    .map(|(f, s, l)| st.files[f].meta.unit_name(s, l)),
            )
            .chain(
                records
                    .into_iter()
                    .map(|d| crate::stored::record_name(&st.records_stem, d)),
            )
            .collect();
        names.into_iter().collect()
    }

    /// Whether any read has missed since the last [`ChunkStore::take_missing`].
    pub fn has_missing(&self) -> bool {
        let st = self.lock();
        !st.missing.is_empty() || !st.missing_units.is_empty() || !st.missing_records.is_empty()
    }

    /// The record file of document `doc`, or `None` after noting it as missing.
    pub fn record(&self, doc: u32) -> Option<OwnedBytes> {
        let mut st = self.lock();
        let found = st.records.get(&doc).cloned();
        if found.is_none() {
            st.missing_records.insert(doc);
        }
        found
    }

    /// Bounds the pieced reads of `file` (see [`ManifestFile::pieces_from`]) of each length in
    /// `prefixes` to that many bytes: the pieces beyond are never fetched (until the next call).
    /// A read is known by its length, which is that of one term's positions: two terms with
    /// positions of the same length get the same prefix, which the planner would give them.
    pub fn set_bounded(&self, file: usize, prefixes: HashMap<usize, usize>) {
        let mut st = self.lock();
        st.bounded = prefixes
            .into_iter()
            .map(|(len, p)| ((file, len), p))
            .collect();
    }

    /// Bounds the reads of units with prefix files (see [`ManifestFile::prefixes`]) to their
    /// first `need` bytes (`None`: whole): the bytes past those read as zeros when only a prefix
    /// is loaded, and a miss fetches the shortest prefix file holding them.
    pub fn set_prefix_need(&self, need: Option<usize>) {
        self.lock().prefix_need = need;
    }

    /// Reads `range` of `file` as tantivy would (pieces past a bounded prefix as filler), or
    /// `None` when part of it is not loaded.
    pub fn read_loaded(&self, file: usize, range: Range<usize>) -> Option<OwnedBytes> {
        let policy = {
            let mut st = self.lock();
            std::mem::replace(&mut st.policy, MissPolicy::Fail)
        };
        let out = self.read(file, range).ok();
        let mut st = self.lock();
        st.policy = policy;
        if out.is_none() {
            st.missing.clear();
            st.missing_units.clear();
        }
        out
    }

    /// Sets what a read of a missing chunk does.
    pub fn set_policy(&self, policy: MissPolicy) {
        self.lock().policy = policy;
    }

    /// Starts recording every byte range read.
    pub fn start_read_log(&self) {
        self.lock().read_log = Some(Vec::new());
    }

    /// Stops recording and returns the ranges read, as `(file index, range)`.
    pub fn take_read_log(&self) -> Vec<(usize, Range<usize>)> {
        self.lock().read_log.take().unwrap_or_default()
    }

    /// Bytes held per file: `(path, hotcache bytes, chunk bytes)`; the record files as `records`.
    pub fn loaded_bytes_by_file(&self) -> Vec<(String, u64, u64)> {
        let st = self.lock();
        let records = st.records.values().map(|b| b.len() as u64).sum();
        st.files
            .iter()
            .map(|f| {
                let hot = f.hot.iter().map(|(_, b)| b.len() as u64).sum();
                let chunks = f
                    .chunks
                    .iter()
                    .flatten()
                    .map(|b| b.len() as u64)
                    .sum::<u64>()
                    + f.units.values().map(|b| b.len() as u64).sum::<u64>();
                (f.meta.path.clone(), hot, chunks)
            })
            .chain([("records".to_string(), 0, records)])
            .collect()
    }

    /// Bytes held (hotcache + chunks).
    pub fn loaded_bytes(&self) -> u64 {
        self.lock().loaded_bytes
    }

    /// The tantivy directory view of this store.
    pub fn directory(&self) -> ChunkDirectory {
        ChunkDirectory {
            store: self.clone(),
        }
    }

    fn read(&self, file: usize, range: Range<usize>) -> io::Result<OwnedBytes> {
        let mut st = self.lock();
        if let Some(log) = st.read_log.as_mut() {
            log.push((file, range.clone()));
        }
        let f = &st.files[file];
        if range.end > f.meta.len as usize || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "read past the end of an index file",
            ));
        }
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        // Fast paths: one hotcache range or one chunk covers the whole read.
        if let Some(bytes) = hot_slice(&f.hot, &range) {
            return Ok(bytes);
        }
        // A read inside a listed unit (a fast-field column, the fieldnorms): that unit's file.
        // A bounded query needs only the first bytes of a unit with prefix files (the
        // fieldnorms of the newest documents); the rest, never read for a document it scores,
        // reads as zeros.
        if let Some((start, len)) = f.meta.unit_holding(&range) {
            let need_end = match st.prefix_need {
                Some(need) if f.meta.has_prefixes(start) => {
                    (start + need).clamp(range.start, range.end)
                }
                _ => range.end,
            };
            if let Some(unit) = f.units.get(&start).filter(|u| start + u.len() >= need_end) {
                let held = start + unit.len();
                if held >= range.end {
                    return Ok(unit.slice(range.start - start..range.end - start));
                }
                let mut out = unit.as_slice()[(range.start - start).min(unit.len())..].to_vec();
                out.resize(range.len(), 0);
                return Ok(OwnedBytes::new(out));
            }
            let want = if need_end < range.end || range.end < start + len {
                f.meta
                    .prefix_holding(start, need_end - start)
                    .unwrap_or(len)
            } else {
                len
            };
            st.missing_units.insert((file, start, want));
            return st.policy.answer(vec![0u8; range.len()]);
        }
        // A read across several listed units lying end to end (the whole term dictionary, when
        // it is one block read as such): assembled from them.
        if let Some(parts) = f.meta.units_covering(&range).filter(|p| p.len() > 1) {
            let mut out = Vec::with_capacity(range.len());
            let mut missing = Vec::new();
            for (start, len) in parts {
                let (from, to) = (range.start.max(start), range.end.min(start + len));
                match f.units.get(&start).filter(|u| u.len() >= len) {
                    Some(unit) => out.extend_from_slice(&unit.as_slice()[from - start..to - start]),
                    None => {
                        missing.push((file, start, len));
                        out.resize(out.len() + (to - from), 0);
                    }
                }
            }
            if missing.is_empty() {
                return Ok(OwnedBytes::new(out));
            }
            st.missing_units.extend(missing);
            return st.policy.answer(out);
        }
        // A long read cut into pieces: assembled from those loaded. Pieces past the prefix a
        // bounded query reads (see `ChunkStore::set_bounded`) are neither fetched nor decoded
        // for any document the query keeps; they read as 0x80 bytes (a 0 in tantivy's VInt
        // code, so that no decoder of those bytes can run off their end).
        if f.meta.unit_from > 0
            && f.meta.pieces_from > 0
            && range.len() as u64 >= f.meta.unit_from
            && range.len() as u64 > f.meta.pieces_from
        {
            let limit = st
                .bounded
                .get(&(file, range.len()))
                .copied()
                .unwrap_or(usize::MAX);
            let mut out = Vec::with_capacity(range.len());
            let mut missing = Vec::new();
            let head = f.meta.head as usize;
            for p in crate::manifest::pieces(range.len(), f.meta.pieces_from as usize) {
                let start = range.start + p.start;
                match f.units.get(&start).filter(|u| u.len() >= p.len()) {
                    Some(unit) => out.extend_from_slice(&unit.as_slice()[..p.len()]),
                    None if p.start >= limit => out.resize(out.len() + p.len(), 0x80),
                    // The prefix ends inside the first piece: the copy of its head holds it.
                    None if p.start == 0 && head > 0 && limit <= head => {
                        match f.units.get(&start).filter(|u| u.len() >= head) {
                            Some(unit) => {
                                out.extend_from_slice(&unit.as_slice()[..head]);
                                out.resize(out.len() + p.len() - head, 0x80);
                            }
                            None => {
                                missing.push((file, start, head));
                                out.resize(out.len() + p.len(), 0);
                            }
                        }
                    }
                    None => {
                        missing.push((file, start, p.len()));
                        out.resize(out.len() + p.len(), 0);
                    }
                }
            }
            if missing.is_empty() {
                return Ok(OwnedBytes::new(out));
            }
            st.missing_units.extend(missing);
            return st.policy.answer(out);
        }
        // A long read is one term's postings or positions: served by its unit file.
        if f.meta.unit_from > 0 && range.len() as u64 >= f.meta.unit_from {
            if let Some(unit) = f.units.get(&range.start).filter(|u| u.len() >= range.len()) {
                return Ok(unit.slice(0..range.len()));
            }
            st.missing_units.insert((file, range.start, range.len()));
            return st.policy.answer(vec![0u8; range.len()]);
        }
        let chunk_size = f.meta.chunk_size as usize;
        let (first, last) = (range.start / chunk_size, (range.end - 1) / chunk_size);
        if first == last {
            if let Some(chunk) = &f.chunks[first] {
                let base = first * chunk_size;
                return Ok(chunk.slice(range.start - base..range.end - base));
            }
        }
        // General case: assemble from hotcache ranges and chunks, noting every missing chunk.
        let mut out = Vec::with_capacity(range.len());
        let mut missing = Vec::new();
        let mut pos = range.start;
        while pos < range.end {
            if let Some((start, bytes)) = f.hot.iter().find(|(s, b)| *s <= pos && pos < s + b.len())
            {
                let end = (start + bytes.len()).min(range.end);
                out.extend_from_slice(&bytes.as_slice()[pos - start..end - start]);
                pos = end;
                continue;
            }
            let n = pos / chunk_size;
            let end = ((n + 1) * chunk_size).min(range.end);
            match &f.chunks[n] {
                Some(chunk) => out.extend_from_slice(
                    &chunk.as_slice()[pos - n * chunk_size..end - n * chunk_size],
                ),
                None => {
                    missing.push(n);
                    out.resize(out.len() + (end - pos), 0);
                }
            }
            pos = end;
        }
        if missing.is_empty() {
            return Ok(OwnedBytes::new(out));
        }
        let policy = st.policy;
        for n in missing {
            st.missing.insert((file, n));
        }
        policy.answer(out)
    }

    fn file_index(&self, path: &Path) -> Option<(usize, usize)> {
        let st = self.lock();
        st.by_path
            .get(path)
            .map(|&i| (i, st.files[i].meta.len as usize))
    }
}

fn hot_slice(hot: &[(usize, OwnedBytes)], range: &Range<usize>) -> Option<OwnedBytes> {
    let i = hot
        .partition_point(|(s, _)| *s <= range.start)
        .checked_sub(1)?;
    let (start, bytes) = &hot[i];
    (range.end <= start + bytes.len()).then(|| bytes.slice(range.start - start..range.end - start))
}

/// One file of a [`ChunkStore`], as tantivy sees it.
#[derive(Debug)]
struct ChunkFileHandle {
    store: ChunkStore,
    file: usize,
    len: usize,
}

impl HasLen for ChunkFileHandle {
    fn len(&self) -> usize {
        self.len
    }
}

#[async_trait::async_trait]
impl FileHandle for ChunkFileHandle {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        self.store.read(self.file, range)
    }

    async fn read_bytes_async(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        self.store.read(self.file, range)
    }
}

/// The read-only [`Directory`] over a [`ChunkStore`].
#[derive(Clone, Debug)]
pub struct ChunkDirectory {
    store: ChunkStore,
}

fn read_only(path: &Path) -> Arc<io::Error> {
    Arc::new(io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("the search index is read-only: {path:?}"),
    ))
}

impl Directory for ChunkDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let (file, len) = self
            .store
            .file_index(path)
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))?;
        Ok(Arc::new(ChunkFileHandle {
            store: self.store.clone(),
            file,
            len,
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: read_only(path),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.store.file_index(path).is_some())
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: read_only(path),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let (file, len) = self
            .store
            .file_index(path)
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))?;
        self.store
            .read(file, 0..len)
            .map(|b| b.as_slice().to_vec())
            .map_err(|e| OpenReadError::IoError {
                io_error: Arc::new(e),
                filepath: path.to_path_buf(),
            })
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("the search index is read-only: {path:?}"),
        ))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        // Nobody writes this index, so there is nothing to exclude.
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}
