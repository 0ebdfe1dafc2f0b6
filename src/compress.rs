//! Precompression (`gongkai build`, on unless `--no-precompress`): a `.gz` beside the files a web
//! server should send compressed, and a `.br` beside the large ones, so the portal's server sends
//! them as they are (nginx `gzip_static` / `brotli_static`, Apache rewrite rules; README,
//! "Deployment") instead of compressing on every request, or not at all.
//!
//! Pure: finished files in, extra files out; the write stage does not know about it. Same input,
//! same bytes on every machine: the gzip header carries no time and no file name, both encoders
//! are pure Rust (no system zlib), and brotli's cost model uses no platform maths
//! (`portable-float`).
//!
//! Which files: what a visitor's browser downloads besides the pages themselves: styles,
//! scripts, feeds, open data, the search engine (`.wasm`) and the search index (`search/index/`,
//! which the first search fetches). Not the HTML pages: on a 10,000-document site they are
//! 13,145 files and 137 MB, two thirds of the work and half of the extra files, while every
//! server configuration in `deploy/` compresses pages as it sends them, cheaply (pages are
//! small). Not images, PDFs and other attachments: compressed already. A copy is kept only when
//! it saves at least a tenth, so a server never sends a larger file.
//!
//! How hard: gzip level 6 (level 9 takes twice the time for 0.5–0.7 % fewer bytes on pages and
//! on the engine) and brotli quality 5, which here is as fast as gzip 6 and a fifth smaller (the
//! 2.1 MB engine: 626 KiB gzip, 499 KiB brotli, 0.2–0.4 s each; quality 11 would save 60 KiB
//! more and take 16 s). Only files of at least [`BROTLI_MIN`] get a `.br`, so the number of
//! files to write grows by one copy, not two: the engine, the large open-data files and feeds,
//! where the saving is felt. Browsers ask for brotli over HTTPS (and from localhost) only; over
//! plain HTTP they get the `.gz`.

use std::io::Write as _;

use rayon::prelude::*;

use crate::write::OutputFile;

/// Files at least this large also get a `.br`.
pub const BROTLI_MIN: usize = 64 * 1024;

/// Extensions of the files worth compressing (besides everything under `search/index/`).
const TEXT_LIKE: &[&str] = &[
    "css", "js", "mjs", "json", "xml", "txt", "csv", "svg", "wasm",
];

/// True for a file a browser downloads that compresses well (and is not a page).
pub fn worth_compressing(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    (TEXT_LIKE.contains(&ext) || path.starts_with("search/index/"))
        && !path.ends_with(".gz")
        && !path.ends_with(".br")
}

/// The `.gz` and `.br` files to write beside `files`, sorted by path. A copy whose name the site
/// already uses (a `static/` file called `x.css.gz`) is not made: the site's own file wins.
pub fn precompress(files: &[OutputFile]) -> Vec<OutputFile> {
    let taken: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut out: Vec<OutputFile> = files
        .par_iter()
        .flat_map_iter(copies)
        .filter(|copy| !taken.contains(copy.path.as_str()))
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The compressed copies of one file (none when it is not worth compressing). `build` makes
/// them as it writes each file, so they are never all held at once.
pub fn copies(f: &OutputFile) -> impl Iterator<Item = OutputFile> {
    let worth = worth_compressing(&f.path);
    let gz = worth
        .then(|| smaller(&f.bytes, gzip(&f.bytes)))
        .flatten()
        .map(|bytes| OutputFile {
            path: format!("{}.gz", f.path),
            bytes,
        });
    let br = (worth && f.bytes.len() >= BROTLI_MIN)
        .then(|| smaller(&f.bytes, brotli(&f.bytes)))
        .flatten()
        .map(|bytes| OutputFile {
            path: format!("{}.br", f.path),
            bytes,
        });
    gz.into_iter().chain(br)
}

/// `compressed`, if it saves at least a tenth of `original`.
fn smaller(original: &[u8], compressed: Vec<u8>) -> Option<Vec<u8>> {
    (compressed.len() * 10 <= original.len() * 9).then_some(compressed)
}

/// gzip (level 6), with an empty header (no time, no name: the same bytes every build).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::new(6));
    enc.write_all(bytes).expect("writing to memory cannot fail");
    enc.finish().expect("writing to memory cannot fail")
}

/// brotli (quality 5, 4 MiB window).
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 5,
        lgwin: 22,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .expect("compressing in memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes,
        }
    }

    #[test]
    fn chooses_text_the_engine_and_the_index() {
        for p in [
            "css/site.css",
            "search/gongkai-search.wasm",
            "search/index/0a1b-3.bin",
            "atom.xml",
            "catalogue.csv",
        ] {
            assert!(worth_compressing(p), "{p}");
        }
        for p in [
            "a/photo.jpg",
            "b/附件.pdf",
            "x.zip",
            "index.html.gz",
            ".gongkai-output",
        ] {
            assert!(!worth_compressing(p), "{p}");
        }
    }

    #[test]
    fn round_trips_and_keeps_only_real_savings() {
        use std::io::Read as _;
        let text = "政务公开 信息公开 ".repeat(10_000).into_bytes();
        // Incompressible bytes (xorshift64*), as in an already compressed file.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
            })
            .collect();
        let out = precompress(&[
            file("a.json", text.clone()),
            file("a.html", text.clone()),
            file("b.js", noise),
            file("c.png", text.clone()),
            file("d.css", text.clone()),
            file("d.css.gz", b"the site's own".to_vec()),
        ]);
        let paths: Vec<&str> = out.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a.json.br", "a.json.gz", "d.css.br"]);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&out[1].bytes[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let mut back = Vec::new();
        brotli::Decompressor::new(&out[0].bytes[..], 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
        // No time or name in the gzip header: bytes 4..8 (MTIME) are zero, FLG has no FNAME.
        assert_eq!(&out[1].bytes[4..8], &[0, 0, 0, 0]);
        assert_eq!(out[1].bytes[3] & 0x08, 0);
    }
}
