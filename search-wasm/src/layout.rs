//! How the writer cuts tantivy's files into the published files (feature `writer`): chunk sizes,
//! unit files, the pieces and head of long positions lists, the prefixes of the fieldnorms
//! (see [`crate::manifest::ManifestFile`]), and the options that change them.

/// Reads of postings or positions from this many bytes on are served by unit files (one term's
/// postings, or positions, in one file: one request).
pub(crate) const UNIT_FROM: u64 = 2 * 1024;

/// First piece of a long positions list (see `ManifestFile::pieces_from`): a query bounded to
/// its budget reads the first pieces of each common word's positions (32 KiB, then 64 KiB …);
/// a whole list of 876 KiB is 6 requests.
const POSITIONS_PIECE: u64 = 32 * 1024;

/// Copy of the head of a long positions list (see `ManifestFile::head`): a phrase of four
/// common words reads 16 KiB of each word's positions instead of a 32 KiB piece.
const POSITIONS_HEAD: u64 = 16 * 1024;

/// Shortest prefix file of the fieldnorms (see `ManifestFile::prefixes`): 4 KiB, the
/// fieldnorms of the newest 4,096 documents; then 6, 8, 12, 16, 24 KiB … up to the whole.
const NORMS_PREFIX_FROM: u64 = 4 * 1024;

/// The prefix lengths of a unit of `len` bytes: `from`, `1.5 × from`, `2 × from`, `3 × from`,
/// `4 × from` … below `len`. Each step at most 1.5×, so a query reads at most about 1.5 times
/// the fieldnorms it needs; all of them together take about three times the unit.
pub(crate) fn prefix_lengths(len: u64, from: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut base = from.max(1);
    while base < len {
        out.push(base);
        if base + base / 2 < len && base / 2 > 0 {
            out.push(base + base / 2);
        }
        base *= 2;
    }
    out
}

/// Chunk size by tantivy file extension: small where reads are small and random (dictionary
/// blocks, one document's postings), larger where a query reads whole columns (fast fields,
/// fieldnorms) or whole compressed docstore blocks.
pub fn chunk_size_for(path: &str) -> u64 {
    match path.rsplit('.').next() {
        Some("term") => 4 * 1024,
        Some("store") => 4 * 1024,
        Some("idx") => 4 * 1024,
        Some("pos") => 4 * 1024,
        _ => 32 * 1024,
    }
}

/// Writer memory budget per indexing thread: this bounds the writer's memory whatever the number
/// of documents.
pub const WRITER_MEMORY: usize = 64 << 20;

/// How the writer cuts the index; the default is what `gongkai build` publishes.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// First piece of a long positions list (see `ManifestFile::pieces_from`). Smaller pieces
    /// let a small index show how a query reads common words newest first (tests).
    pub positions_piece: u64,
    /// Copy of the head of a long positions list (see `ManifestFile::head`); 0: none.
    pub positions_head: u64,
    /// Shortest prefix file of the fieldnorms (see `ManifestFile::prefixes`). Smaller lets a
    /// small index show how a bounded query reads the newest documents' fieldnorms (tests).
    pub norms_prefix_from: u64,
    /// Memory budget of each writer thread (bytes, at least 15 MB): when it is full, tantivy
    /// writes a segment and starts another; all are merged at the end. Smaller makes a small
    /// index go through the same many-segment merge as a large site (tests).
    pub writer_memory: usize,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            positions_piece: POSITIONS_PIECE,
            positions_head: POSITIONS_HEAD,
            norms_prefix_from: NORMS_PREFIX_FROM,
            writer_memory: WRITER_MEMORY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::prefix_lengths;

    #[test]
    fn fieldnorm_prefixes_grow_by_at_most_half() {
        assert_eq!(prefix_lengths(4096, 4096), Vec::<u64>::new());
        assert_eq!(
            prefix_lengths(100_001, 4096),
            [4096, 6144, 8192, 12288, 16384, 24576, 32768, 49152, 65536, 98304]
        );
        let p = prefix_lengths(1_000_000, 4096);
        assert!(p.windows(2).all(|w| w[1] > w[0] && w[1] * 2 <= w[0] * 3));
        assert!(p.iter().sum::<u64>() < 4 * 1_000_000);
    }
}
