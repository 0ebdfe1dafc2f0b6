//! The publication decision, directly: which documents become public.
use super::*;
use crate::diag::Diagnostic;
use std::path::{Path, PathBuf};

fn decide(front: &str) -> (Decision, Vec<Diagnostic>) {
    decide_numbered("index_no: \"13502/2024-00001\"\n", front)
}

/// [`decide`] with `index` (the `index_no` line, or nothing) in place of the usual number.
fn decide_numbered(index: &str, front: &str) -> (Decision, Vec<Diagnostic>) {
    let cfg = crate::config::parse(
        "site_name = \"测试\"\nbase_url = \"https://www.example.gov.cn/\"\n[organisation]\nname = \"市政府办公室\"\ncode = \"13502\"\n",
        crate::theme::DEFAULT_TAXONOMY,
        &|_| Err("none".into()),
    )
    .unwrap();
    let text = format!(
        "---\ntitle: \"关于开展检查的通知\"\n{index}category: \"综合政务\"\nissuer: \"市政府办公室\"\nwritten: \"2024-01-02\"\npublished: \"2024-01-05\"\nkind: \"其他文件\"\nitem: \"20.15\"\n{front}---\n\n正文\n"
    );
    let mut soft = Vec::new();
    let src =
        crate::load::parse_source(Path::new("content/a.md"), text.as_bytes(), &mut soft).unwrap();
    let mut diags = Vec::new();
    let mut ctx = FieldCtx {
        src: &src,
        diags: &mut diags,
    };
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let d = document_meta(&mut ctx, &cfg, today);
    (d, diags)
}

fn withheld_reason(front: &str) -> Option<String> {
    match decide(front).0 {
        Decision::Publish(_) => None,
        Decision::Withhold(w) => Some(w.reason),
    }
}

#[test]
fn only_proactive_non_drafts_are_published() {
    assert_eq!(withheld_reason("disclosure: \"主动公开\"\n"), None);
    assert_eq!(
        withheld_reason("disclosure: \"主动公开\"\ndraft: true\n").as_deref(),
        Some("草稿")
    );
    assert_eq!(
        withheld_reason("disclosure: \"依申请公开\"\nexempt_basis: \"third_party\"\n").as_deref(),
        Some("依申请公开")
    );
    assert_eq!(
        withheld_reason("disclosure: \"不予公开\"\nexempt_basis: \"secret\"\n").as_deref(),
        Some("不予公开")
    );
    // A draft flag spelt in Chinese, or as a string, still withholds.
    assert!(withheld_reason("disclosure: \"主动公开\"\n草稿: true\n").is_some());
}

#[test]
fn an_unknown_or_missing_disclosure_is_withheld_with_a_finding() {
    let (d, diags) = decide("");
    assert!(matches!(d, Decision::Withhold(_)));
    assert!(
        diags.iter().any(|d| d.rule == crate::diag::Code::P01),
        "{diags:?}"
    );
    let (d, diags) = decide("disclosure: \"公开\"\n");
    assert!(matches!(d, Decision::Withhold(_)));
    assert!(
        diags.iter().any(|d| d.rule == crate::diag::Code::P01),
        "{diags:?}"
    );
}

#[test]
fn a_withheld_document_owns_its_attachments_and_embedded_files() {
    let (d, _) = decide(
        "disclosure: \"依申请公开\"\nexempt_basis: \"third_party\"\nattachments: [\"../fj/a.pdf\", {path: \"b.xlsx\", title: \"表\"}]\n",
    );
    let Decision::Withhold(w) = d else {
        panic!("withheld")
    };
    assert_eq!(
        w.files,
        vec![PathBuf::from("content/b.xlsx"), PathBuf::from("fj/a.pdf")]
    );
}

fn published(index: &str, front: &str) -> std::sync::Arc<Document<PendingIndexNo>> {
    match decide_numbered(index, front).0 {
        Decision::Publish(d) => d,
        Decision::Withhold(w) => panic!("withheld: {}", w.reason),
    }
}

#[test]
fn a_written_number_is_kept_and_a_missing_one_is_left_to_the_ledger() {
    let d = published(
        "index_no: \" 13502/2024-00001 \"\n",
        "disclosure: \"主动公开\"\n",
    );
    assert_eq!(
        d.number,
        PendingIndexNo::Written(IndexNo::new("13502/2024-00001").unwrap())
    );
    let d = published("", "disclosure: \"主动公开\"\n");
    assert_eq!(d.number, PendingIndexNo::ToAssign);
}

#[test]
fn the_doc_no_is_kept_parsed_or_as_written_with_p06() {
    let (d, diags) = decide("disclosure: \"主动公开\"\ndoc_no: \"承市政办字〔2022〕44号\"\n");
    let Decision::Publish(d) = d else {
        panic!("withheld")
    };
    let no = d.doc_no.as_ref().and_then(|n| n.valid()).expect("parsed");
    assert_eq!(
        (no.issuer_code(), no.year(), no.number()),
        ("承市政办字", Some(2022), 44)
    );
    assert!(diags.iter().all(|d| d.rule != crate::diag::Code::P06));

    // An irregular number is reported, and kept exactly as written for the page.
    let (d, diags) = decide("disclosure: \"主动公开\"\ndoc_no: \"承市政办字[2022]44号\"\n");
    let Decision::Publish(d) = d else {
        panic!("withheld")
    };
    assert_eq!(
        d.doc_no,
        Some(DocNumber::Irregular("承市政办字[2022]44号".into()))
    );
    assert_eq!(d.doc_no_text(), Some("承市政办字[2022]44号"));
    assert!(diags.iter().any(|d| d.rule == crate::diag::Code::P06));
}
