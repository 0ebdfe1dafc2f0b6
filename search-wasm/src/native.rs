//! The native reader for `gongkai search` and tests: the same [`Engine`] as the browser, fed from
//! the chunk files on disk instead of `fetch`, so it returns the same hits in the same order.

use std::path::{Path, PathBuf};

use crate::engine::{Engine, SearchResults, Step};
use crate::error::Error;
use crate::manifest::{INDEX_DIR, MANIFEST_NAME};
use crate::query::SearchQuery;

/// Most fetch-and-retry rounds for one query; more means the index is inconsistent.
pub const MAX_ROUNDS: usize = 32;

/// A published index on disk (`public/search/`), opened once for many queries.
pub struct LocalIndex {
    index_dir: PathBuf,
    engine: Engine,
    /// Bytes of chunk files read from disk so far (the browser's "transferred" figure).
    bytes_loaded: u64,
    /// Every file read so far (manifest and hotcache first), with its length: the browser's
    /// requests.
    files_read: Vec<(String, u64)>,
    /// Fetch-and-retry rounds of the last query.
    rounds: usize,
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

impl LocalIndex {
    /// Opens the index under `search_dir` (the directory holding `index/manifest.json`).
    pub fn open(search_dir: &Path) -> Result<LocalIndex, Error> {
        let index_dir = search_dir.join(INDEX_DIR);
        let manifest = read(&index_dir.join(MANIFEST_NAME))?;
        let parsed = crate::manifest::Manifest::parse(&manifest).map_err(Error::Corrupt)?;
        let hot = read(&index_dir.join(&parsed.hotcache))?;
        let bytes_loaded = (manifest.len() + hot.len()) as u64;
        let files_read = vec![
            (MANIFEST_NAME.to_string(), manifest.len() as u64),
            (parsed.hotcache.clone(), hot.len() as u64),
        ];
        let engine = Engine::new(&manifest, &hot)?;
        Ok(LocalIndex {
            index_dir,
            engine,
            bytes_loaded,
            files_read,
            rounds: 0,
        })
    }

    /// Reads the chunk files the engine asked for from disk.
    fn add_chunks(&mut self, names: Vec<String>) -> Result<(), Error> {
        for name in names {
            let bytes = read(&self.index_dir.join(&name))?;
            self.bytes_loaded += bytes.len() as u64;
            self.files_read.push((name.clone(), bytes.len() as u64));
            self.engine.add_chunk(&name, bytes)?;
        }
        Ok(())
    }

    /// Runs a query, loading chunk files as the engine asks for them.
    pub fn search(&mut self, query: &SearchQuery) -> Result<SearchResults, Error> {
        for round in 0..MAX_ROUNDS {
            self.rounds = round;
            match self.engine.search(query)? {
                Step::Done(results) => return Ok(results),
                Step::Need(names) => self.add_chunks(names)?,
            }
        }
        Err(Error::Corrupt(format!(
            "query still missing chunks after {MAX_ROUNDS} rounds"
        )))
    }

    /// Every stored document, as JSON (see [`Engine::stored_documents`]).
    pub fn stored_documents(&mut self) -> Result<Vec<String>, Error> {
        for _ in 0..MAX_ROUNDS {
            match self.engine.stored_documents()? {
                Ok(docs) => return Ok(docs),
                Err(names) => self.add_chunks(names)?,
            }
        }
        Err(Error::Corrupt(format!(
            "stored documents still missing chunks after {MAX_ROUNDS} rounds"
        )))
    }

    /// Bytes read from disk so far (manifest, hotcache and chunks).
    pub fn bytes_loaded(&self) -> u64 {
        self.bytes_loaded
    }

    /// Every file read so far (manifest, hotcache, chunks) with its length, in order: what a
    /// browser would have requested.
    pub fn files_read(&self) -> &[(String, u64)] {
        &self.files_read
    }

    /// Fetch-and-retry rounds the last query needed (0: everything was loaded).
    pub fn rounds(&self) -> usize {
        self.rounds
    }

    /// Bytes held per tantivy file: `(path, hotcache bytes, chunk bytes)`.
    pub fn loaded_bytes_by_file(&self) -> Vec<(String, u64, u64)> {
        self.engine.store().loaded_bytes_by_file()
    }

    /// Number of documents in the index.
    pub fn doc_count(&self) -> u64 {
        self.engine.manifest().doc_count
    }
}

/// Runs one query against the index published under `search_dir` (e.g. `public/search`).
pub fn search_dir(search_dir: &Path, query: &SearchQuery) -> Result<SearchResults, Error> {
    LocalIndex::open(search_dir)?.search(query)
}
