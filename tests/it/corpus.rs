//! The whole real corpus (1,369 documents) as one site, with the rules real data cannot meet
//! relaxed to warnings. Expectations are computed from MANIFEST.tsv, never hard-coded.

use std::collections::BTreeMap;

use gongkai::diag::Severity;

use crate::harness::{self, corpus_docs, tree};

pub(crate) const CONFIG: &str = r#"
site_name = "语料测试站点"
base_url = "https://corpus.example.gov.cn/"

[organisation]
name = "测试机关"
code = "CORPUS"
index_no_pattern = '^[0-9A-Z-]{5,20}/\d{4}-\d{4,6}$'

# Real data lacks these; report them, publish the rest.
[rules]
E010 = "warn"
P03 = "warn"
P04 = "warn"
P08 = "warn"
P06 = "warn"
P07 = "warn"
P09 = "warn"
P11 = "warn"
P12 = "warn"
# Real personal data in three published bodies: reported, but this test site publishes them.
P15 = "warn"
"#;

struct Corpus {
    dir: tempfile::TempDir,
}

fn corpus_site() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gongkai.toml"), CONFIG).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(corpus_docs(), dir.path().join("content")).unwrap();
    Corpus { dir }
}

#[test]
fn the_whole_corpus_builds_reports_defects_and_publishes_the_rest() {
    let c = corpus_site();
    let mut o = gongkai::pipeline::BuildOptions::new(c.dir.path());
    o.today = Some(harness::TODAY.parse().unwrap());
    let r = gongkai::pipeline::build(&o).unwrap();
    let errs: Vec<_> = r
        .compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(r.written, "errors: {errs:#?}");
    let m = crate::harness::manifest();
    assert_eq!(m.len(), 1369);
    let site = r.compiled.site.as_ref().unwrap();
    // Every corpus document is 主动公开 and loads; those with no date at all cannot be numbered
    // (E010) and are withheld; everything else is published.
    let dated: Vec<_> = m
        .iter()
        .filter(|r| {
            !(r["index_no"].is_empty() && r["written"].is_empty() && r["published"].is_empty())
        })
        .collect();
    assert_eq!(site.docs.len(), dated.len());
    let e010 = r
        .compiled
        .diagnostics
        .iter()
        .filter(|d| d.rule == gongkai::diag::Code::E010)
        .count();
    assert_eq!(e010, m.len() - dated.len());
    let mut want: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &dated {
        *want.entry(row["kind"].as_str()).or_default() += 1;
    }
    let mut got: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &site.docs {
        *got.entry(d.kind.as_str()).or_default() += 1;
    }
    assert_eq!(got, want);
    // gov.cn documents keep their real 索引号 and so their URLs.
    for row in m.iter().filter(|r| !r["index_no"].is_empty()) {
        let page = site
            .config
            .urls
            .page_path(&gongkai::meta::IndexNo::new(&row["index_no"]).unwrap());
        assert!(c.dir.path().join("public").join(&page).exists(), "{page}");
    }
    // Every finding names a file; every field finding a line.
    for d in &r.compiled.diagnostics {
        assert!(!d.file.as_os_str().is_empty());
        if d.field.is_some() {
            assert!(d.line.is_some(), "{d:?}");
        }
    }
    // Missing 成文日期 in the manifest ⇒ a P03 warning for 公文 kinds.
    let missing_written = m
        .iter()
        .filter(|r| {
            r["written"].is_empty()
                && ["行政法规", "规章", "行政规范性文件", "其他文件"].contains(&r["kind"].as_str())
        })
        .count();
    let reported = r
        .compiled
        .diagnostics
        .iter()
        .filter(|d| d.rule == gongkai::diag::Code::P03 && d.field.as_deref() == Some("written"))
        .count();
    assert_eq!(reported, missing_written);
    // Validity 失效 in the manifest ⇒ shown as 失效.
    let expired = dated.iter().filter(|r| r["validity"] == "失效").count();
    let shown = site
        .lifecycles
        .iter()
        .filter(|l| l.validity == Some(gongkai::meta::Validity::Expired))
        .count();
    assert!(shown >= expired, "{shown} < {expired}");
}

#[test]
fn corpus_builds_are_byte_identical() {
    let c = corpus_site();
    let mut o = gongkai::pipeline::BuildOptions::new(c.dir.path());
    o.today = Some(harness::TODAY.parse().unwrap());
    o.output = Some(c.dir.path().join("out1"));
    assert!(gongkai::pipeline::build(&o).unwrap().written);
    o.output = Some(c.dir.path().join("out2"));
    assert!(gongkai::pipeline::build(&o).unwrap().written);
    let a = tree(&c.dir.path().join("out1"));
    let b = tree(&c.dir.path().join("out2"));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!(x == y, "{} differs", x.0);
    }
}
