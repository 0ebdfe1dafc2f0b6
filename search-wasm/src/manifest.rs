//! The published form of an index: how tantivy's files are cut into static chunk files, the
//! manifest that lists them, and the hotcache that saves the first round trips.
//!
//! Under `public/search/index/` the writer puts:
//!
//! * `manifest.json` ([`Manifest`]): for each tantivy file its path, length, chunk size and a
//!   content hash; the name of the hotcache; the engine version. The only file without a hash in
//!   its name: the browser revalidates it, everything else can be cached for ever.
//! * `<hash>-<n>.bin`: chunk `n` of the file whose content hash is `<hash>` (fixed-size pieces; the
//!   last one may be shorter). Plain GETs, no HTTP Range, any static host.
//! * `hot-<hash>.bin` ([`Hotcache`]): the exact byte ranges tantivy reads to open the index and to
//!   count facets (footers, dictionary indexes, fieldnorms, fast fields), so a cold query only
//!   fetches the chunks its own terms and hits need.
//!
//! This module is pure data: encoding and decoding, no I/O.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Version of this layout; bumped whenever the reader could misread an older one.
pub const FORMAT: u32 = 4;

/// Directory under `public/search/` that holds the index.
pub const INDEX_DIR: &str = "index";

/// File name of the manifest inside [`INDEX_DIR`].
pub const MANIFEST_NAME: &str = "manifest.json";

/// Identifies the engine that wrote an index: a reader only opens indexes of its own engine.
pub fn engine_id() -> String {
    format!(
        "gongkai-search/{} tantivy/0.27.0 cjk_unibi",
        env!("CARGO_PKG_VERSION")
    )
}

/// The manifest: every tantivy file of the index and how it is chunked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Layout version, [`FORMAT`].
    pub format: u32,
    /// [`engine_id`] of the writer.
    pub engine: String,
    /// Number of documents in the index.
    pub doc_count: u64,
    /// File name of the hotcache, relative to the manifest.
    pub hotcache: String,
    /// Content hash of every document's record: the stem of the record files' names
    /// ([`crate::stored::record_name`]).
    pub records: String,
    /// The tantivy files, in a fixed order (the hotcache refers to them by index).
    pub files: Vec<ManifestFile>,
}

/// One tantivy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Path inside the tantivy directory (`meta.json`, `<segment>.idx` …).
    pub path: String,
    /// Length in bytes.
    pub len: u64,
    /// Size of every chunk but the last.
    pub chunk_size: u64,
    /// Content hash (hex), the stem of the chunk file names.
    pub hash: String,
    /// Reads of at least this many bytes (0: none) are served by *unit files* holding exactly
    /// the bytes read ([`ManifestFile::unit_name`]) instead of fixed chunks. Set on the
    /// postings and positions files, where such reads are always one term's whole postings or
    /// positions: a common term costs one request instead of dozens of neighbouring chunks.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unit_from: u64,
    /// Byte ranges `[start, len]` (sorted, disjoint) each served whole by its unit file: any
    /// read inside one fetches that one file. Set on the fast-field file (one per column, which
    /// a query reads whole) and the fieldnorms, so that a column costs one request of exactly its
    /// bytes instead of the 32 KiB chunks around it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<[u64; 2]>,
    /// Unit reads (see [`ManifestFile::unit_from`]) longer than this (0: none) are cut into
    /// *pieces* of `P, P, 2P, 4P, 8P …` bytes (`P` this value), each its own unit file
    /// ([`pieces`]): the positions of a common term can then be read newest documents first, a
    /// prefix at a time, and read whole in a few requests.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pieces_from: u64,
    /// A read cut into pieces also has a copy of its first `head` bytes (0: none, else less
    /// than [`ManifestFile::pieces_from`]) as a unit file: a query bounded to a share of a
    /// word's positions smaller than the first piece (a phrase of four common words) reads
    /// that copy instead, while a list read whole takes no more requests.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub head: u64,
    /// Shorter copies of the start of listed units ([`ManifestFile::units`]), `[start, len]`:
    /// the first `len` bytes of the unit at `start`, each its own unit file. Set on the
    /// fieldnorms (one byte per document, newest first): a query that scores only the newest
    /// documents reads the smallest prefix holding them instead of the whole unit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefixes: Vec<[u64; 2]>,
}

/// The pieces of a unit read of `len` bytes cut from `piece` bytes on (see
/// [`ManifestFile::pieces_from`]), as ranges relative to its start; one piece when `len` is not
/// longer than `piece`.
pub fn pieces(len: usize, piece: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if piece == 0 || len <= piece {
        out.push(0..len);
        return out;
    }
    out.push(0..piece);
    let mut size = piece;
    while out.last().expect("one piece").end < len {
        let start = out.last().expect("one piece").end;
        out.push(start..(start + size).min(len));
        size *= 2;
    }
    out
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl ManifestFile {
    /// Number of chunk files.
    pub fn chunk_count(&self) -> usize {
        if self.chunk_size == 0 {
            return 0;
        }
        self.len.div_ceil(self.chunk_size) as usize
    }

    /// File name of chunk `n`, relative to the manifest.
    pub fn chunk_name(&self, n: usize) -> String {
        format!("{}-{}.bin", self.hash, n)
    }

    /// File name of the unit file holding bytes `start..start + len` (see
    /// [`ManifestFile::unit_from`]).
    pub fn unit_name(&self, start: usize, len: usize) -> String {
        format!("{}-r{start}-{len}.bin", self.hash)
    }

    /// `(start, len)` of a unit file name of this file.
    pub fn parse_unit_name(&self, name: &str) -> Option<(usize, usize)> {
        let rest = name.strip_prefix(self.hash.as_str())?.strip_prefix("-r")?;
        let (start, len) = rest.strip_suffix(".bin")?.split_once('-')?;
        let (start, len): (usize, usize) = (start.parse().ok()?, len.parse().ok()?);
        if self.units.contains(&[start as u64, len as u64])
            || self.prefixes.contains(&[start as u64, len as u64])
        {
            return Some((start, len));
        }
        (self.unit_from > 0
            && (len as u64 >= self.unit_from || (self.pieces_from > 0 && len > 0))
            && (start as u64).checked_add(len as u64)? <= self.len)
            .then_some((start, len))
    }

    /// The listed unit ([`ManifestFile::units`]) holding all of `range`, as `(start, len)`.
    pub fn unit_holding(&self, range: &Range<usize>) -> Option<(usize, usize)> {
        let i = self
            .units
            .partition_point(|[s, _]| *s <= range.start as u64)
            .checked_sub(1)?;
        let [start, len] = self.units[i];
        (range.end as u64 <= start + len).then_some((start as usize, len as usize))
    }

    /// Listed units lying end to end that together hold all of `range` (a read of several
    /// blocks of the dictionary at once), as `(start, len)`; `None` when there is a gap.
    pub fn units_covering(&self, range: &Range<usize>) -> Option<Vec<(usize, usize)>> {
        let mut i = self
            .units
            .partition_point(|[s, _]| *s <= range.start as u64)
            .checked_sub(1)?;
        let mut out = Vec::new();
        let mut end = self.units[i][0];
        while end < range.end as u64 {
            let [start, len] = *self.units.get(i)?;
            if start != end && !out.is_empty() {
                return None;
            }
            out.push((start as usize, len as usize));
            end = start + len;
            i += 1;
        }
        (out.first()?.0 + out.first()?.1 > range.start).then_some(out)
    }

    /// The shortest prefix file ([`ManifestFile::prefixes`]) of the unit at `start` holding its
    /// first `need` bytes, as its length: `None` when the unit has no prefix that short.
    pub fn prefix_holding(&self, start: usize, need: usize) -> Option<usize> {
        self.prefixes
            .iter()
            .filter(|[s, l]| *s == start as u64 && *l >= need as u64)
            .map(|[_, l]| *l as usize)
            .min()
    }

    /// Whether the unit at `start` has prefix files.
    pub fn has_prefixes(&self, start: usize) -> bool {
        self.prefixes.iter().any(|[s, _]| *s == start as u64)
    }

    /// Byte range of chunk `n` inside the file.
    pub fn chunk_range(&self, n: usize) -> Range<usize> {
        let start = n as u64 * self.chunk_size;
        let end = (start + self.chunk_size).min(self.len);
        start as usize..end as usize
    }
}

impl Manifest {
    /// The file a chunk file name (`<hash>-<n>.bin`) belongs to.
    pub fn file_of_chunk(&self, name: &str) -> Option<&ManifestFile> {
        let hash = name.split_once('-')?.0;
        self.files.iter().find(|f| f.hash == hash)
    }

    /// Parses and checks a manifest: right format and engine, sane chunking, unique paths.
    pub fn parse(json: &[u8]) -> Result<Manifest, String> {
        let m: Manifest =
            serde_json::from_slice(json).map_err(|e| format!("manifest is not valid JSON: {e}"))?;
        if m.format != FORMAT {
            return Err(format!(
                "manifest format {} (this engine reads {FORMAT})",
                m.format
            ));
        }
        if m.engine != engine_id() {
            return Err(format!(
                "index written by {:?}, this engine is {:?}",
                m.engine,
                engine_id()
            ));
        }
        let mut paths = std::collections::BTreeSet::new();
        for f in &m.files {
            if (f.len > 0 && f.chunk_size == 0) || !paths.insert(f.path.as_str()) {
                return Err(format!("manifest entry {:?} is invalid", f.path));
            }
            let safe = |s: &str| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
            };
            if !safe(&f.path) || !safe(&f.hash) {
                return Err(format!("manifest entry {:?} has an unsafe name", f.path));
            }
            let mut end = 0u64;
            for &[start, len] in &f.units {
                if start < end || len == 0 || start.checked_add(len).is_none_or(|e| e > f.len) {
                    return Err(format!("manifest entry {:?} has invalid units", f.path));
                }
                end = start + len;
            }
            if f.head > 0 && f.head >= f.pieces_from {
                return Err(format!("manifest entry {:?} has an invalid head", f.path));
            }
            for &[start, len] in &f.prefixes {
                let whole = f.units.iter().find(|[s, _]| *s == start);
                if len == 0 || whole.is_none_or(|[_, l]| len >= *l) {
                    return Err(format!("manifest entry {:?} has invalid prefixes", f.path));
                }
            }
        }
        if m.doc_count > 0
            && !(m.records.len() >= 8 && m.records.chars().all(|c| c.is_ascii_hexdigit()))
        {
            return Err(format!("manifest records {:?} is not a hash", m.records));
        }
        Ok(m)
    }
}

/// Magic bytes at the start of a hotcache file.
const HOTCACHE_MAGIC: &[u8; 8] = b"GKHOT01\n";

/// Byte ranges of the index files, kept together in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hotcache {
    /// `(file index in the manifest, start offset, bytes)`, sorted, non-overlapping per file.
    pub entries: Vec<(u32, u64, Vec<u8>)>,
}

impl Hotcache {
    /// Encodes: magic, entry count (u32 LE), then per entry file (u32), start (u64), length (u64)
    /// and the bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(HOTCACHE_MAGIC);
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        for (file, start, bytes) in &self.entries {
            out.extend_from_slice(&file.to_le_bytes());
            out.extend_from_slice(&start.to_le_bytes());
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        out
    }

    /// Decodes and checks every entry against the manifest's file lengths.
    pub fn decode(data: &[u8], manifest: &Manifest) -> Result<Hotcache, String> {
        let mut rest = data
            .strip_prefix(HOTCACHE_MAGIC.as_slice())
            .ok_or("hotcache: wrong magic bytes")?;
        fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8], String> {
            if rest.len() < n {
                return Err("hotcache: truncated".to_string());
            }
            let (head, tail) = rest.split_at(n);
            *rest = tail;
            Ok(head)
        }
        let u32_of = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("took 4 bytes"));
        let u64_of = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("took 8 bytes"));
        let count = u32_of(take(&mut rest, 4)?);
        let mut entries = Vec::new();
        for _ in 0..count {
            let file = u32_of(take(&mut rest, 4)?);
            let start = u64_of(take(&mut rest, 8)?);
            let len = u64_of(take(&mut rest, 8)?);
            let f = manifest
                .files
                .get(file as usize)
                .ok_or("hotcache: unknown file")?;
            if start.checked_add(len).is_none_or(|end| end > f.len) || len > rest.len() as u64 {
                return Err("hotcache: entry out of range".to_string());
            }
            entries.push((file, start, take(&mut rest, len as usize)?.to_vec()));
        }
        if !rest.is_empty() {
            return Err("hotcache: trailing bytes".to_string());
        }
        Ok(Hotcache { entries })
    }
}

#[cfg(test)]
mod tests {
    use super::{engine_id, Manifest, ManifestFile, FORMAT};

    fn manifest(file: ManifestFile) -> Vec<u8> {
        serde_json::to_vec(&Manifest {
            format: FORMAT,
            engine: engine_id(),
            doc_count: 0,
            hotcache: "hot-0.bin".into(),
            records: String::new(),
            files: vec![file],
        })
        .unwrap()
    }

    fn norms(units: Vec<[u64; 2]>, prefixes: Vec<[u64; 2]>) -> ManifestFile {
        ManifestFile {
            path: "x.fieldnorm".into(),
            len: 1000,
            chunk_size: 512,
            hash: "abcd".into(),
            unit_from: 0,
            units,
            pieces_from: 0,
            head: 0,
            prefixes,
        }
    }

    #[test]
    fn prefix_files_are_named_and_chosen_by_the_bytes_needed() {
        let json = manifest(norms(vec![[0, 900]], vec![[0, 100], [0, 300]]));
        let m = Manifest::parse(&json).unwrap();
        let f = &m.files[0];
        assert_eq!(f.parse_unit_name("abcd-r0-300.bin"), Some((0, 300)));
        assert_eq!(f.parse_unit_name("abcd-r0-200.bin"), None);
        assert_eq!(f.prefix_holding(0, 50), Some(100));
        assert_eq!(f.prefix_holding(0, 101), Some(300));
        assert_eq!(f.prefix_holding(0, 301), None);
    }

    #[test]
    fn a_read_across_units_end_to_end_is_held_by_them() {
        let f = norms(vec![[0, 100], [100, 50], [200, 10]], Vec::new());
        assert_eq!(
            f.units_covering(&(10..120)),
            Some(vec![(0, 100), (100, 50)])
        );
        assert_eq!(f.units_covering(&(100..150)), Some(vec![(100, 50)]));
        assert_eq!(f.units_covering(&(120..205)), None, "a gap");
        assert_eq!(f.units_covering(&(150..160)), None, "outside every unit");
        assert_eq!(f.units_covering(&(190..220)), None, "past the last unit");
    }

    #[test]
    fn a_prefix_must_be_shorter_than_its_unit() {
        for prefixes in [vec![[0, 900]], vec![[5, 10]], vec![[0, 0]]] {
            let json = manifest(norms(vec![[0, 900]], prefixes.clone()));
            assert!(Manifest::parse(&json).is_err(), "{prefixes:?}");
        }
        let mut pos = norms(Vec::new(), Vec::new());
        (pos.pieces_from, pos.head) = (64, 64);
        assert!(Manifest::parse(&manifest(pos)).is_err());
    }
}
