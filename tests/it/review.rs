//! The review on real documents (issue 15): per-rule counts over the whole corpus, and
//! defects planted in copies of corpus documents, each with near misses that must stay silent.

use std::collections::BTreeMap;
use std::path::Path;

use gongkai::diag::Diagnostic;
use gongkai::pipeline;

use crate::harness;

/// The corpus as one site with the default rule levels (what an editor would see).
const CORPUS_CONFIG: &str = "site_name = \"语料\"\nbase_url = \"https://c.example.gov.cn/\"\n[organisation]\nname = \"测试\"\ncode = \"CORPUS\"\n";

/// Every finding of `check` over the corpus, severities applied.
fn corpus_findings() -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gongkai.toml"), CORPUS_CONFIG).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(harness::corpus_docs(), dir.path().join("content")).unwrap();
    let mut o = pipeline::BuildOptions::new(dir.path());
    o.today = Some(harness::TODAY.parse().unwrap());
    let p = pipeline::prepare(&o).unwrap_or_else(|d| panic!("{d:#?}"));
    p.site.config.rules.apply(p.diagnostics)
}

/// Prints, per rule, the findings and the documents they are on (the figures of the README's
/// rule table).
#[test]
fn corpus_rule_counts() {
    let d = corpus_findings();
    let mut by_rule: BTreeMap<&str, (usize, std::collections::BTreeSet<&Path>)> = BTreeMap::new();
    for x in &d {
        let e = by_rule.entry(x.rule).or_default();
        e.0 += 1;
        e.1.insert(x.file.as_path());
    }
    eprintln!("rule\tfindings\tdocuments");
    for (rule, (n, files)) in &by_rule {
        eprintln!("{rule}\t{n}\t{}", files.len());
    }
    assert!(!d.is_empty());
}
