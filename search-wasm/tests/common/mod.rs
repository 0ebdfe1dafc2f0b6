//! Test helpers: the real corpus (read by path, never copied), and writing an index to a temp dir.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use gongkai_search::analyzer::normalize;
use gongkai_search::IndexDoc;

/// The corpus `docs/` directory: `$GONGKAI_CORPUS` (the corpus root or its `docs/`), else
/// `shared/corpus/docs` beside the workspace (`../../shared` from this crate).
pub fn corpus_dir() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = std::env::var_os("GONGKAI_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| here.join("../../shared/corpus"));
    let docs = if root.join("docs").is_dir() {
        root.join("docs")
    } else {
        root
    };
    assert!(
        docs.is_dir(),
        "corpus not found at {}; set GONGKAI_CORPUS to the corpus directory",
        docs.display()
    );
    docs
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    if v == "null" {
        return String::new();
    }
    let inner = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v);
    // YAML double-quoted scalars here only use \" and \\ escapes.
    inner.replace("\\\"", "\"").replace("\\\\", "\\")
}

/// Parses one corpus file (front matter of `key: "value"` / `key: null` lines, then the body).
pub fn parse_doc(stem: &str, text: &str) -> IndexDoc {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let (front, body) = rest.split_once("\n---\n").expect("end of front matter");
    let mut d = IndexDoc {
        url: format!("/docs/{stem}/"),
        body: body.trim().to_string(),
        ..IndexDoc::default()
    };
    for line in front.lines() {
        let Some((k, v)) = line.split_once(": ") else {
            continue;
        };
        let v = unquote(v);
        match k {
            "title" => d.title = v,
            "index_no" => d.index_no = v,
            "category" => d.category = v,
            "issuer" => d.issuer = vec![v],
            "doc_no" => d.doc_no = v,
            "published" => d.published = v,
            "validity" => d.validity = v,
            "kind" => d.kind = v,
            _ => {}
        }
    }
    d
}

/// Every corpus document, sorted by file name.
pub fn corpus() -> Vec<IndexDoc> {
    let dir = corpus_dir();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading corpus at {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| {
            parse_doc(
                &p.file_stem().unwrap().to_string_lossy(),
                &std::fs::read_to_string(p).expect("read corpus file"),
            )
        })
        .collect()
}

/// Every `step`-th corpus document (a varied sample: the files are grouped by source).
pub fn sample(step: usize) -> Vec<IndexDoc> {
    corpus().into_iter().step_by(step).collect()
}

/// The searchable text of a document, as the writer builds the `text` field, normalised.
pub fn searchable_text(d: &IndexDoc) -> String {
    let mut t = String::new();
    for v in [&d.title, &d.doc_no, &d.index_no, &d.category]
        .into_iter()
        .chain(d.issuer.iter())
        .chain([&d.summary, &d.body])
    {
        t.push_str(v);
        t.push('\n');
    }
    normalize(&t)
}

/// Writes `files` (relative paths) under `dir`.
pub fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Indexes `docs` into a fresh temp dir (the `public/search/` equivalent).
pub fn build(docs: &[IndexDoc]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = gongkai_search::write_index(docs).expect("write_index");
    write_files(dir.path(), &files);
    dir
}

/// Indexes `docs` with small position pieces (4 KiB, heads of 2 KiB) and fieldnorm prefixes
/// from 64 documents, so that the phrases of common words of a small sample are bounded.
pub fn build_small_pieces(docs: &[IndexDoc]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let options = gongkai_search::WriteOptions {
        positions_piece: 4096,
        positions_head: 2048,
        norms_prefix_from: 64,
        ..Default::default()
    };
    write_files(
        dir.path(),
        &gongkai_search::write_index_with(docs, &options).unwrap(),
    );
    dir
}
