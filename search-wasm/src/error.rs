//! The crate's one error type. A missing chunk is *not* an error (see [`crate::engine::Step`]);
//! these are the failures a caller must report.

use std::fmt;

/// What went wrong while writing or reading a search index.
#[derive(Debug)]
pub enum Error {
    /// The published index is damaged, incomplete or from another engine version: a file is
    /// missing or has the wrong length, the manifest or hotcache does not parse.
    Corrupt(String),
    /// tantivy failed (while writing, or on data it could not read).
    Tantivy(tantivy::TantivyError),
    /// Reading or writing a file failed; the path says which.
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An invariant of this crate did not hold (a bug).
    Internal(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Corrupt(msg) => write!(f, "the search index is damaged or incomplete: {msg}"),
            Error::Tantivy(e) => write!(f, "search engine error: {e}"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Internal(msg) => write!(f, "internal error in the search engine: {msg}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Tantivy(e) => Some(e),
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Tantivy(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Tantivy(tantivy::TantivyError::from(e))
    }
}
