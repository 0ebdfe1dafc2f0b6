//! Test sites: copies of the fixture folders under `tests/fixtures/` (Zola's `test_site/`,
//! mdBook's `tests/testsuite/`) in a temp dir, small edits on top, built through the library.
//!
//! `fixture("site")` is a realistic small column; `fixture("broken/<defect>")` are minimal sites
//! with one defect each; `Site::new()` is `fixture("minimal")`. An edit (`Site::edit`) must
//! match the fixture text, so a fixture change can never turn a test into one that no longer
//! tests anything.

use std::path::{Path, PathBuf};

use gongkai::diag::{Diagnostic, Severity};
use gongkai::pipeline::{self, BuildOptions, BuildReport};

/// The fixed build date of every test (outputs must not depend on the real date).
pub const TODAY: &str = "2026-11-26";

/// A minimal valid configuration (`tests/fixtures/minimal/gongkai.toml`).
pub const CONFIG: &str = include_str!("../fixtures/minimal/gongkai.toml");

/// The fixture folders.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A copy of `tests/fixtures/<name>` in a temp dir, without its `expected/` folder (the
/// snapshots are not part of the site).
pub fn fixture(name: &str) -> Site {
    let from = fixtures_dir().join(name);
    assert!(
        from.join("gongkai.toml").is_file(),
        "no fixture site at {}",
        from.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&from, dir.path(), &|rel| rel.starts_with("expected"));
    Site { dir }
}

/// Copies every file under `from` into `to`, except those `skip` names (relative paths).
fn copy_tree(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| !skip(e.path().strip_prefix(from).unwrap()))
    {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest)
                .unwrap_or_else(|err| panic!("{}: {err}", e.path().display()));
        }
    }
}

/// A temp site.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A site with `CONFIG`, the guide and no documents (`tests/fixtures/minimal`).
    pub fn new() -> Site {
        fixture("minimal")
    }

    /// The minimal site with another configuration.
    pub fn with_config(config: &str) -> Site {
        let s = fixture("minimal");
        std::fs::write(s.root().join("gongkai.toml"), config).unwrap();
        s
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `content/<rel>`.
    pub fn file(&self, rel: &str, text: &str) -> &Site {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Site {
        let p = self.root().join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// The text of `<rel>` (relative to the site root).
    pub fn text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Replaces every `from` by `to` in `<rel>` (relative to the site root). Panics unless
    /// `from` occurs: an edit that no longer matches its fixture must fail loudly.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Site {
        let text = self.text(rel);
        assert!(
            text.contains(from),
            "{rel} does not contain {from:?}: the fixture changed"
        );
        std::fs::write(self.root().join(rel), text.replace(from, to)).unwrap();
        self
    }

    /// Removes `<rel>` (relative to the site root).
    pub fn remove(&self, rel: &str) -> &Site {
        std::fs::remove_file(self.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        self
    }

    /// Copies every file under `content/` of fixture `name` into this site's `content/`, e.g.
    /// the broken sites' documents into one site that has all their defects.
    pub fn merge(&self, name: &str) -> &Site {
        let from = fixtures_dir().join(name).join("content");
        assert!(from.is_dir(), "no {}", from.display());
        copy_tree(&from, &self.root().join("content"), &|_| false);
        self
    }

    /// Copies `<rel>` of fixture `name` into this site at the same place, e.g. the broken
    /// template of `broken/template` into a site `serve` is watching.
    pub fn copy_from(&self, name: &str, rel: &str) -> &Site {
        let to = self.root().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixtures_dir().join(name).join(rel), to)
            .unwrap_or_else(|e| panic!("{name}/{rel}: {e}"));
        self
    }

    pub fn options(&self) -> BuildOptions {
        let mut o = BuildOptions::new(self.root());
        o.today = Some(TODAY.parse().unwrap());
        o
    }

    pub fn build(&self) -> BuildReport {
        pipeline::build(&self.options()).expect("build runs")
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.public().join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }
}

/// A complete, valid document's front-matter plus body.
pub fn doc(index_no: &str, title: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nindex_no: \"{index_no}\"\ncategory: \"综合政务\"\nissuer: \"市政府办公室\"\nwritten: \"2024-01-02\"\npublished: \"2024-01-05\"\ndisclosure: \"主动公开\"\nkind: \"其他文件\"\nitem: \"20.15\"\n{extra}---\n\n{body}\n"
    )
}

pub fn errors(r: &BuildReport) -> Vec<&Diagnostic> {
    r.compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// Every file under `dir`, as (relative path, bytes), sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The corpus folder (`../shared/corpus/docs`, or `GONGKAI_CORPUS`).
pub fn corpus_docs() -> PathBuf {
    let p = std::env::var_os("GONGKAI_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    let docs = if p.join("docs").is_dir() {
        p.join("docs")
    } else {
        p
    };
    assert!(
        docs.is_dir(),
        "corpus not found at {} (set GONGKAI_CORPUS)",
        docs.display()
    );
    docs
}

/// MANIFEST.tsv rows of the corpus, as maps from column name to value.
pub fn manifest() -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(corpus_docs().parent().unwrap().join("MANIFEST.tsv"))
        .expect("MANIFEST.tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// A 政策解读 document explaining `interprets` (a 索引号 or 文号).
pub fn interpretation_doc(index_no: &str, title: &str, interprets: &str, body: &str) -> String {
    doc(
        index_no,
        title,
        &format!("interprets: \"{interprets}\"\n"),
        body,
    )
    .replace(
        "kind: \"其他文件\"\nitem: \"20.15\"\n",
        "kind: \"政策解读\"\n",
    )
}

/// Copies the repository's sample site (config, ledger, content and the other site folders that
/// exist) into `to`. An allow-list, so nothing of the crate itself is copied.
pub fn copy_sample_site(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(to).unwrap();
    for f in ["gongkai.toml", "gongkai-ledger.tsv"] {
        std::fs::copy(repo.join(f), to.join(f)).unwrap();
    }
    for d in [
        "content",
        "annual",
        "templates",
        "static",
        "data",
        "branding",
        "catalogue",
    ] {
        if repo.join(d).is_dir() {
            copy_tree(&repo.join(d), &to.join(d), &|_| false);
        }
    }
}

/// A JPEG whose EXIF data records a GPS position (degrees, minutes, seconds as rationals).
pub fn jpeg_with_gps(lat: [(u32, u32); 3], lon: [(u32, u32); 3]) -> Vec<u8> {
    let mut t: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value);
    };
    // IFD0 at 8: one entry, the GPS IFD's offset (26).
    t.extend(1u16.to_le_bytes());
    entry(&mut t, 0x8825, 4, 1, 26u32.to_le_bytes());
    t.extend(0u32.to_le_bytes());
    // The GPS IFD at 26: references and positions; the rationals from 80.
    t.extend(4u16.to_le_bytes());
    entry(&mut t, 1, 2, 2, *b"N\0\0\0");
    entry(&mut t, 2, 5, 3, 80u32.to_le_bytes());
    entry(&mut t, 3, 2, 2, *b"E\0\0\0");
    entry(&mut t, 4, 5, 3, 104u32.to_le_bytes());
    t.extend(0u32.to_le_bytes());
    for (n, d) in lat.iter().chain(lon.iter()) {
        t.extend(n.to_le_bytes());
        t.extend(d.to_le_bytes());
    }
    let mut j = vec![0xFF, 0xD8, 0xFF, 0xE1];
    j.extend(((2 + 6 + t.len()) as u16).to_be_bytes());
    j.extend(b"Exif\0\0");
    j.extend(t);
    j.extend([0xFF, 0xD9]);
    j
}
