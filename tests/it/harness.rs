//! Test sites: a temp folder with `gongkai.toml` and content files, built through the library.

use std::path::{Path, PathBuf};

use gongkai::diag::{Diagnostic, Severity};
use gongkai::pipeline::{self, BuildOptions, BuildReport};

/// The fixed build date of every test (outputs must not depend on the real date).
pub const TODAY: &str = "2026-11-26";

/// A minimal valid configuration.
pub const CONFIG: &str = r#"
site_name = "测试站点"
base_url = "https://www.example.gov.cn/"
issuers = ["市政府办公室", "市财政局"]

[organisation]
name = "市政府办公室"
code = "13502"
"#;

/// A temp site.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// An empty site with `CONFIG`.
    pub fn new() -> Site {
        Site::with_config(CONFIG)
    }

    pub fn with_config(config: &str) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("gongkai.toml"), config).unwrap();
        std::fs::create_dir_all(dir.path().join("content/zfxxgkzn")).unwrap();
        std::fs::write(
            dir.path().join("content/zfxxgkzn/_index.md"),
            "---\ntitle: \"指南\"\n---\n\n指南正文。\n",
        )
        .unwrap();
        Site { dir }
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
        "catalogue",
    ] {
        for e in walkdir::WalkDir::new(repo.join(d))
            .into_iter()
            .filter_map(Result::ok)
        {
            let dest = to.join(e.path().strip_prefix(repo).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else if e.file_type().is_file() {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
    }
}
