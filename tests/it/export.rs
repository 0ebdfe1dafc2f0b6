//! `gongkai export`: the NDJSON bulk file for a shared search engine (issue 19 item 4, see
//! `docs/scale.md`): valid NDJSON, one line per published document, nothing withheld, the fields
//! the engine definitions declare.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

use crate::harness::{self, errors, fixture};

fn export(root: &std::path::Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("export")
        .arg("--root")
        .arg(root)
        .arg("--today")
        .arg(harness::TODAY)
        .args(extra)
        .output()
        .expect("run gongkai")
}

/// Every line a JSON object (no blank line, a newline at the end).
fn lines(text: &str) -> Vec<serde_json::Map<String, Value>> {
    assert!(text.ends_with('\n'), "NDJSON ends with a newline");
    text.lines()
        .map(|l| match serde_json::from_str(l) {
            Ok(Value::Object(o)) => o,
            other => panic!("not a JSON object per line: {l:?} ({other:?})"),
        })
        .collect()
}

/// The field names the OpenSearch and Quickwit definitions declare.
fn mapped_fields(root: &std::path::Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let os = export(root, &["--mapping", "opensearch"]);
    assert!(os.status.success());
    let os: Value = serde_json::from_slice(&os.stdout).expect("the OpenSearch body is JSON");
    let os_fields = os["mappings"]["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        os["settings"]["analysis"]["filter"]["gongkai_bigram"]["type"],
        "cjk_bigram"
    );
    let qw = export(root, &["--mapping", "quickwit"]);
    assert!(qw.status.success());
    let qw: serde_yaml::Value =
        serde_yaml::from_slice(&qw.stdout).expect("the Quickwit config is YAML");
    let qw_fields = qw["doc_mapping"]["field_mappings"]
        .as_sequence()
        .expect("field_mappings")
        .iter()
        .map(|f| f["name"].as_str().expect("a name").to_string())
        .collect();
    (os_fields, qw_fields)
}

#[test]
fn exports_every_published_document_and_nothing_withheld() {
    let s = fixture("site");
    let report = s.build();
    assert!(report.written, "{:#?}", errors(&report));
    let site = report.compiled.site.as_ref().unwrap();
    let out = export(s.root(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let all = lines(&text);
    let records: Vec<_> = all.iter().filter(|r| r["type"] == "document").collect();
    let pages: Vec<_> = all.iter().filter(|r| r["type"] == "page").collect();
    assert_eq!(
        records.len() + pages.len(),
        all.len(),
        "every line is a document or a page"
    );
    // The column pages the static index holds, the 指南 among them.
    assert!(
        pages
            .iter()
            .any(|r| r["title"].as_str().unwrap().contains("指南")),
        "{pages:?}"
    );
    // Counted from the files: every document but the three withheld ones.
    let sources = harness::tree(&s.root().join("content"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".md") && !p.ends_with("_index.md"))
        .count();
    assert_eq!(
        records.len(),
        sources - 3,
        "one line per published document"
    );
    let published: BTreeSet<String> = site.docs.iter().map(|d| d.index_no().to_string()).collect();
    let exported: BTreeSet<String> = records
        .iter()
        .map(|r| r["index_no"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(exported, published);
    // Ids are unique, absolute, and the pages exist in the built site.
    let ids: BTreeSet<&str> = all.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), all.len());
    let origin = site
        .config
        .base_url
        .strip_suffix(site.config.base_path.as_str())
        .unwrap();
    for r in &all {
        let id = r["id"].as_str().unwrap();
        let path = id.strip_prefix(origin).expect("absolute, on the site");
        let path = path.strip_prefix(site.config.base_path.as_str()).unwrap();
        let file = if path.is_empty() || path.ends_with('/') {
            s.public().join(path).join("index.html")
        } else {
            s.public().join(path)
        };
        assert!(file.is_file(), "{id} is a page of the site");
        assert!(!r["body"].as_str().unwrap().is_empty(), "{id} has its text");
    }
    // Nothing of the withheld documents: their markers, numbers, attachment names.
    for m in crate::leak::SITE_MARKERS
        .iter()
        .chain(&crate::leak::SITE_IDENTIFIERS)
    {
        assert!(!text.contains(m), "{m} is in the export");
    }
    // Every field of a record is declared in both engine definitions, and the other way round.
    let (os_fields, qw_fields) = mapped_fields(s.root());
    for r in &all {
        let record_fields: BTreeSet<String> = r.keys().cloned().collect();
        assert_eq!(record_fields, os_fields);
        assert_eq!(record_fields, qw_fields);
    }
    // Same site, same bytes; to a file as well, with nothing left beside it.
    let file = s.root().join("bulk.ndjson");
    let again = export(s.root(), &["--output", file.to_str().unwrap()]);
    assert!(again.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    let beside: Vec<_> = std::fs::read_dir(s.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gongkai-tmp"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    // --base-url sets the addresses.
    let portal = export(
        s.root(),
        &["--base-url", "https://www.example.gov.cn/zwgk/"],
    );
    let portal = String::from_utf8(portal.stdout).unwrap();
    assert!(lines(&portal).iter().all(|r| r["id"]
        .as_str()
        .unwrap()
        .starts_with("https://www.example.gov.cn/")));
}

#[test]
fn a_site_with_errors_exports_nothing() {
    let s = fixture("site");
    s.file(
        "2024/bad.md",
        "---\ntitle: \"没有索引号和日期\"\ndisclosure: \"主动公开\"\n---\n正文\n",
    );
    let file = s.root().join("bulk.ndjson");
    std::fs::write(&file, "previous export\n").unwrap();
    let out = export(s.root(), &["--output", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("未导出") && stderr.contains("bad.md"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous export\n");
}

#[test]
fn the_corpus_exports_its_published_documents_with_their_metadata() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gongkai.toml"), crate::corpus::CONFIG).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(harness::corpus_docs(), dir.path().join("content")).unwrap();
    let mut o = gongkai::pipeline::BuildOptions::new(dir.path());
    o.today = Some(harness::TODAY.parse().unwrap());
    let p = gongkai::pipeline::prepare(&o).unwrap_or_else(|d| panic!("{d:#?}"));
    let text = gongkai::search_export::ndjson(&p.site);
    let all = lines(&text);
    let records: Vec<_> = all.iter().filter(|r| r["type"] == "document").collect();
    assert_eq!(records.len(), p.site.docs.len());
    assert!(records.len() > 1300, "{}", records.len());
    // The metadata as MANIFEST.tsv gives it, for every record whose title is unique there
    // (most corpus documents get their 索引号 from the build).
    let m = harness::manifest();
    let mut checked = 0;
    for r in &records {
        let no = r["title"].as_str().unwrap();
        let rows: Vec<_> = m.iter().filter(|row| row["title"] == no).collect();
        let [row] = rows.as_slice() else { continue };
        if !row["index_no"].is_empty() {
            assert_eq!(r["index_no"], row["index_no"].as_str(), "{no}");
        }
        assert_eq!(r["category"], row["category"].as_str(), "{no}");
        assert_eq!(r["kind"], row["kind"].as_str(), "{no}");
        if !row["published"].is_empty() {
            assert_eq!(r["published"], row["published"].as_str(), "{no}");
            assert_eq!(r["year"], &row["published"][..4], "{no}");
        }
        checked += 1;
    }
    assert!(
        checked > 1000,
        "{checked} records compared with the manifest"
    );
}
