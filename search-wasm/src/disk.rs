//! The written index on disk, read back by the writer (feature `writer`): files hashed and read
//! in pieces, chunks fed to the recording reader, and the hotcache cut from the reads the reader
//! logged.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::engine::Engine;
use crate::error::Error;
use crate::manifest::{Hotcache, Manifest};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Content hash of a file on disk, read in pieces.
pub(crate) fn file_hash(path: &Path) -> Result<String, Error> {
    let mut file = File::open(path).map_err(io_error(path))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(io_error(path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()[..8]))
}

/// Reads `range` of the file at `path`.
pub(crate) fn read_range(path: &Path, range: std::ops::Range<usize>) -> Result<Vec<u8>, Error> {
    let mut file = File::open(path).map_err(io_error(path))?;
    file.seek(SeekFrom::Start(range.start as u64))
        .map_err(io_error(path))?;
    let mut buf = vec![0u8; range.len()];
    file.read_exact(&mut buf).map_err(io_error(path))?;
    Ok(buf)
}

/// The index files on disk, by chunk name: the reader of the writer loads only what it touches.
pub(crate) struct DiskChunks<'a> {
    manifest: Manifest,
    disk: &'a [(String, PathBuf)],
    by_name: HashMap<String, (usize, usize)>,
}

impl<'a> DiskChunks<'a> {
    pub(crate) fn new(manifest: Manifest, disk: &'a [(String, PathBuf)]) -> DiskChunks<'a> {
        let mut by_name = HashMap::new();
        for (i, f) in manifest.files.iter().enumerate() {
            for n in 0..f.chunk_count() {
                by_name.entry(f.chunk_name(n)).or_insert((i, n));
            }
        }
        DiskChunks {
            manifest,
            disk,
            by_name,
        }
    }

    fn chunk(&self, name: &str) -> Result<Vec<u8>, Error> {
        for (i, f) in self.manifest.files.iter().enumerate() {
            if let Some((start, len)) = f.parse_unit_name(name) {
                return read_range(&self.disk[i].1, start..start + len);
            }
        }
        let &(file, n) = self.by_name.get(name).ok_or_else(|| {
            Error::Internal(format!("the reader asked for an unknown chunk {name}"))
        })?;
        read_range(&self.disk[file].1, self.manifest.files[file].chunk_range(n))
    }

    /// Loads into `engine` the chunks it asked for.
    pub(crate) fn feed(&self, engine: &Engine, names: Vec<String>) -> Result<(), Error> {
        for name in names {
            engine.add_chunk(&name, self.chunk(&name)?)?;
        }
        Ok(())
    }
}

/// Merges the logged reads into hotcache entries (whole `meta.json` included).
pub(crate) fn build_hotcache(
    manifest: &Manifest,
    disk: &[(String, PathBuf)],
    log: Vec<(usize, std::ops::Range<usize>)>,
) -> Result<Hotcache, Error> {
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
        .map(|(f, s, e)| Ok((f as u32, s as u64, read_range(&disk[f].1, s..e)?)))
        .collect::<Result<_, Error>>()?;
    Ok(Hotcache { entries })
}
