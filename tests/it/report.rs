//! Issue 6: validity over time, the register of 法规文件, 政策解读 links and the annual report.
//! Table 2 is checked against hand-counted fixtures; the corpus register against MANIFEST.tsv.

use std::path::Path;

use gongkai::diag::{Diagnostic, Severity};
use gongkai::report::{self, JointRule, KindCounts, ReportOptions};

use crate::harness::{self, corpus_docs, errors, Site};

fn today() -> chrono::NaiveDate {
    harness::TODAY.parse().unwrap()
}

/// A 规章 or 行政规范性文件 with the dates given in `extra`, for the documents a test adds to a
/// fixture (the fixtures' own are files made the same way).
fn rule(
    index_no: &str,
    title: &str,
    kind: &str,
    issuer: &str,
    written: &str,
    extra: &str,
) -> String {
    let number = index_no[index_no.len() - 2..].trim_start_matches('0');
    let doc_no = if kind == "规章" {
        format!("某市人民政府令〔{}〕第{number}号", &written[..4])
    } else {
        format!("某政规〔{}〕{number}号", &written[..4])
    };
    format!(
        "---\ntitle: \"{title}\"\nindex_no: \"{index_no}\"\ncategory: \"综合政务\"\nissuer: \"{issuer}\"\ndoc_no: \"{doc_no}\"\nwritten: \"{written}\"\npublished: \"{written}\"\ndisclosure: \"主动公开\"\nkind: \"{kind}\"\n{extra}---\n\n正文。\n"
    )
}

/// `tests/fixtures/register`: every case of SPEC §4.2 for body 市政府办公室 in 2023 (listed in
/// its `gongkai.toml`), counted by hand below; a 解读, this year's and last year's 年报.
fn fixture() -> Site {
    harness::fixture("register")
}

fn generate(
    s: &Site,
    year: i32,
    opts: &ReportOptions,
) -> (Option<report::AnnualReport>, Vec<Diagnostic>) {
    gongkai::pipeline::annual_report(
        &gongkai::load::load(s.root()),
        s.root(),
        year,
        today(),
        opts,
    )
}

fn errs(d: &[Diagnostic]) -> Vec<&Diagnostic> {
    d.iter().filter(|x| x.severity == Severity::Error).collect()
}

fn kc(issued: u64, repealed: u64, in_force: u64) -> KindCounts {
    KindCounts {
        issued,
        repealed,
        in_force,
    }
}

#[test]
fn table2_matches_the_hand_count() {
    let s = fixture();
    let (r, d) = generate(&s, 2023, &ReportOptions::default());
    let r = r.unwrap_or_else(|| panic!("{:#?}", errs(&d)));
    assert_eq!(r.issuer, "市政府办公室");
    // 规章: issued R1; repealed R2; in force R1, R3.
    assert_eq!(r.regulations.rules, kc(1, 1, 2));
    // 规范性文件: issued N3, N4; repealed N1 (有效期), N2 (暂行 2 years); in force N3, N5, N6.
    assert_eq!(r.regulations.normative, kc(2, 2, 3));
    // The other figures come from the data file.
    assert_eq!(r.data.table3[0], [10, 1, 0, 0, 1, 0, 12]);
}

#[test]
fn later_years_move_the_boundary_documents() {
    let s = fixture();
    let (r, d) = generate(&s, 2024, &ReportOptions::default());
    // No annual/2024.toml: an error naming the file, no table.
    assert!(r.is_none());
    assert!(
        errs(&d)
            .iter()
            .any(|x| x.file == Path::new("annual/2024.toml")),
        "{d:#?}"
    );
    std::fs::copy(
        s.root().join("annual/2023.toml"),
        s.root().join("annual/2024.toml"),
    )
    .unwrap();
    s.file(
        "y24.md",
        &s.text("content/x1.md")
            .replace("13502/2023-00031", "13502/2024-00041")
            .replace("工作要点", "2024年文件"),
    );
    let (r, d) = generate(&s, 2024, &ReportOptions::default());
    let r = r.unwrap_or_else(|| panic!("{:#?}", errs(&d)));
    // 规章: R1, R3 in force (R3 ends 2025).
    assert_eq!(r.regulations.rules, kc(0, 0, 2));
    // 规范性文件: N5 ended 2024-01-01; N4 took effect 2024: in force N3, N4, N6.
    assert_eq!(r.regulations.normative, kc(0, 1, 3));
}

#[test]
fn joint_documents_count_for_every_issuer_when_configured() {
    let s = fixture();
    let all = ReportOptions {
        joint: Some(JointRule::All),
        ..Default::default()
    };
    let (r, _) = generate(&s, 2023, &all);
    let r = r.unwrap();
    assert_eq!(r.regulations.rules, kc(2, 1, 3), "R4 now counts");
    let (f, _) = generate(
        &s,
        2023,
        &ReportOptions {
            issuer: Some("市财政局".into()),
            ..Default::default()
        },
    );
    let f = f.unwrap();
    // 市财政局 first: R4 (规章) and F1; N3 lists it second.
    assert_eq!(f.regulations.rules, kc(1, 0, 1));
    assert_eq!(f.regulations.normative, kc(1, 0, 1));
}

#[test]
fn a_past_year_gives_the_same_numbers_after_later_documents_are_added() {
    let s = fixture();
    let before = generate(&s, 2023, &ReportOptions::default()).0.unwrap();
    // Later: a 2025 规章 replaces R1, which is repealed in 2025; new 2024–2025 documents.
    s.edit(
        "content/r1.md",
        "validity: \"有效\"\neffective: \"2023-04-01\"\n",
        "validity: \"废止\"\neffective: \"2023-04-01\"\nrepealed: \"2025-03-01\"\nreplaced_by: \"13502/2025-00051\"\n",
    );
    s.file(
        "r5.md",
        &rule(
            "13502/2025-00051",
            "甲办法（修订）",
            "规章",
            "市政府办公室",
            "2025-02-01",
            "validity: \"有效\"\neffective: \"2025-03-01\"\nreplaces: \"13502/2023-00001\"\n",
        ),
    );
    s.file(
        "n7.md",
        &rule(
            "13502/2024-00052",
            "庚规定",
            "行政规范性文件",
            "市政府办公室",
            "2024-04-01",
            "validity: \"有效\"\neffective: \"2024-05-01\"\nexpires: \"2029-04-30\"\n",
        ),
    );
    let after = generate(&s, 2023, &ReportOptions::default()).0.unwrap();
    assert_eq!(after.regulations, before.regulations);
    // …and the build date does not matter either.
    let later = gongkai::pipeline::annual_report(
        &gongkai::load::load(s.root()),
        s.root(),
        2023,
        "2030-01-01".parse().unwrap(),
        &ReportOptions::default(),
    )
    .0
    .unwrap();
    assert_eq!(later.regulations, before.regulations);
}

#[test]
fn a_broken_sum_is_an_error_naming_row_and_column_and_nothing_is_printed() {
    let s = fixture();
    s.edit(
        "annual/2023.toml",
        "partly_disclosed = [ 1, 0, 0, 0, 0, 0,  1]",
        "partly_disclosed = [ 1, 0, 2, 0, 0, 0,  1]",
    );
    let (r, d) = generate(&s, 2023, &ReportOptions::default());
    assert!(r.is_none());
    let e = errs(&d);
    let first = e.first().expect("an error");
    assert_eq!(first.rule, gongkai::diag::Code::P20);
    assert_eq!(first.file, Path::new("annual/2023.toml"));
    assert_eq!(first.field.as_deref(), Some("table3.partly_disclosed"));
    assert!(first.line.is_some());
    assert_eq!(
        first.message,
        "表三 “（二）部分公开（区分处理的，只计这一情形，不计其他情形）” 行，“总计”列为 1，但自然人与法人或其他组织各列之和为 3"
    );
    assert!(
        e.iter().any(|x| x
            .message
            .starts_with("表三 “（七）总计” 行，“科研机构”列为 0")),
        "{e:#?}"
    );
    // The binary prints nothing on stdout and exits 1.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["report", "2023", "--today", harness::TODAY, "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("table3.partly_disclosed"));
}

#[test]
fn bad_report_inputs_are_clear_errors() {
    let s = fixture();
    // A year with no documents at all.
    std::fs::copy(
        s.root().join("annual/2023.toml"),
        s.root().join("annual/2010.toml"),
    )
    .unwrap();
    let (r, d) = generate(&s, 2010, &ReportOptions::default());
    assert!(r.is_none());
    assert!(
        errs(&d)
            .iter()
            .any(|x| x.message == "站点中没有任何成文或发布于 2010 年的文件，无法生成该年度的年报"),
        "{d:#?}"
    );
    // A year that has not ended.
    let (r, d) = generate(&s, 2026, &ReportOptions::default());
    assert!(r.is_none());
    assert!(!errs(&d).is_empty());
    // An issuer nobody uses.
    let (r, d) = generate(
        &s,
        2023,
        &ReportOptions {
            issuer: Some("市政府办".into()),
            ..Default::default()
        },
    );
    assert!(r.is_none());
    assert!(
        errs(&d)
            .iter()
            .any(|x| x.message.starts_with("没有任何文件的发布机构是 “市政府办”")),
        "{d:#?}"
    );
    // Missing rows and negative numbers.
    s.edit(
        "annual/2023.toml",
        "query              = [0, 0, 0, 0, 0, 0, 0]   # 8.属于行政查询事项\n",
        "",
    )
    .edit("annual/2023.toml", "coercion = 0 ", "coercion = -1 ");
    let (r, d) = generate(&s, 2023, &ReportOptions::default());
    assert!(r.is_none());
    let msgs: Vec<&str> = errs(&d).iter().map(|x| x.message.as_str()).collect();
    assert!(
        msgs.contains(&"缺少表三 “（三）不予公开8.属于行政查询事项” 行（table3.withheld.query）"),
        "{msgs:#?}"
    );
    assert!(
        msgs.contains(&"表二 行政强制 本年处理决定数量 为负数 -1"),
        "{msgs:#?}"
    );
}

/// `tests/fixtures/broken/replacement-cycle` (`repealed-before-effective` is in the table of
/// `invalid.rs`).
#[test]
fn replacement_cycles_and_dangling_replacements_block_the_build() {
    let s = harness::fixture("broken/replacement-cycle");
    let r = s.build();
    assert!(!r.written);
    let e = errors(&r);
    let cycle: Vec<_> = e
        .iter()
        .filter(|d| d.message.starts_with("替代关系形成循环"))
        .collect();
    assert_eq!(cycle.len(), 1, "{e:#?}");
    assert_eq!(cycle[0].file, Path::new("content/a.md"));
    assert!(e.iter().any(|d| d.file == Path::new("content/c.md") && d.message == "replaced_by 指向文件自身"), "{e:#?}");
    assert!(
        e.iter()
            .any(|d| d.file == Path::new("content/d.md")
                && d.field.as_deref() == Some("replaced_by")),
        "{e:#?}"
    );
    assert_eq!(e.len(), 3, "{e:#?}");
}

#[test]
fn the_site_shows_validity_the_register_interpretations_and_the_report() {
    let s = fixture();
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));

    // The 年报: six exact headings in order, accessible tables with the computed numbers.
    let nb = s.read("xxgk/13502/2024-00071.html");
    let mut at = 0;
    for h in gongkai::labels::REPORT_SECTIONS {
        let tag = format!(">{h}</h2>");
        let i = nb[at..]
            .find(&tag)
            .unwrap_or_else(|| panic!("{h} missing or out of order"));
        at += i + tag.len();
    }
    assert!(nb.contains("<caption>主动公开政府信息情况</caption>"));
    assert!(nb.contains("<tr><th scope=\"row\">行政规范性文件</th><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">3</td></tr>"), "{nb}");
    assert!(!nb.contains("<th>"), "every header cell has a scope");
    assert!(nb.contains("往年年报") && nb.contains("市政府办公室2022年政府信息公开工作年度报告"));

    // Validity on the build date: N1 (有效期 2023-06-30) shows 失效 with the date.
    let n1 = s.read("xxgk/13502/2018-00011.html");
    assert!(n1.contains("本文件已失效（2023-07-01起）。"), "{n1}");
    assert!(n1.contains("<li>2023-07-01 起失效</li>"));

    // The register pages and open data.
    let current = s.read("fdzdgknr/fgwj/xxyx/index.html");
    let ended = s.read("fdzdgknr/fgwj/yfzsx/index.html");
    for (t, page) in [
        ("丙通知", &current),
        ("己实施办法", &current),
        ("甲规定", &ended),
        ("乙暂行办法", &ended),
        ("乙办法", &ended),
        ("丙办法", &ended),
    ] {
        assert!(page.contains(&format!(">{t}</a></th>")), "{t}");
    }
    assert!(
        current.contains("《丙通知》图解</a>（图解）"),
        "the register links 解读 with its form"
    );
    let json: serde_json::Value = serde_json::from_str(&s.read("register.json")).unwrap();
    let site = r.compiled.site.as_ref().unwrap();
    assert_eq!(
        json["current"].as_u64().unwrap() as usize,
        site.register.current.len()
    );
    assert_eq!(
        json["ended"].as_u64().unwrap() as usize,
        site.register.ended.len()
    );
    let csv = s.read("register.csv");
    assert_eq!(
        csv.lines().count(),
        1 + site.register.current.len() + site.register.ended.len()
    );

    // 政策解读: the column lists each with its policy; the policy page lists its 解读 with the form.
    let zcjd = s.read("zcjd/index.html");
    assert!(zcjd.contains("<td class=\"nowrap\">图解</td>"));
    assert!(zcjd.contains(">丙通知</a>"));
    let policy = s.read("xxgk/13502/2023-00013.html");
    assert!(policy.contains("《丙通知》图解</a>（图解）"), "{policy}");
}

#[test]
fn a_report_document_needs_its_data_file() {
    let s = harness::fixture("broken/report-without-data");
    // interpretation_form belongs to a 政策解读 only.
    s.edit(
        "content/nb.md",
        "report_year: 2023\n",
        "report_year: 2023\ninterpretation_form: \"视频\"\n",
    );
    let r = s.build();
    assert!(!r.written);
    let e = errors(&r);
    assert!(
        e.iter().any(|d| d.rule == gongkai::diag::Code::P20
            && d.file == Path::new("annual/2023.toml")
            && d.message.contains("content/nb.md")),
        "{e:#?}"
    );
    assert!(
        e.iter()
            .any(|d| d.field.as_deref() == Some("interpretation_form")),
        "{e:#?}"
    );
}

#[test]
fn the_corpus_register_matches_the_metadata() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gongkai.toml"),
        "site_name = \"语料\"\nbase_url = \"https://corpus.example.gov.cn/\"\n[organisation]\nname = \"测试机关\"\ncode = \"CORPUS\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(corpus_docs(), dir.path().join("content")).unwrap();
    let mut o = gongkai::pipeline::BuildOptions::new(dir.path());
    o.today = Some(today());
    let p = gongkai::pipeline::prepare(&o).unwrap_or_else(|d| panic!("{d:#?}"));
    let site = &p.site;

    // Expected from the manifest: published (dated) rows of the 法规文件 kinds. Stated 失效 ends a
    // document; a 行政规范性文件 with no stated status ends 5 years (2 for 暂行/试行) after its
    // 成文日期; stated 有效 is current unless its period ran out.
    let t = today();
    let mut want_current: Vec<(String, String)> = Vec::new();
    let mut want_ended: Vec<(String, String)> = Vec::new();
    let (mut normative, mut expired_regulations) = (0, 0);
    for r in crate::harness::manifest() {
        let kind = r["kind"].as_str();
        if !["行政法规", "规章", "行政规范性文件"].contains(&kind) {
            continue;
        }
        if r["index_no"].is_empty() && r["written"].is_empty() && r["published"].is_empty() {
            continue; // E010: not published
        }
        normative += (kind == "行政规范性文件") as usize;
        expired_regulations += (kind == "行政法规" && r["validity"] == "失效") as usize;
        let ended_by_period = kind == "行政规范性文件" && !r["written"].is_empty() && {
            let w: chrono::NaiveDate = r["written"].parse().unwrap();
            let years = if r["title"].contains("暂行") || r["title"].contains("试行") {
                2
            } else {
                5
            };
            w.checked_add_months(chrono::Months::new(years * 12))
                .unwrap()
                <= t
        };
        let key = (kind.to_string(), r["title"].clone());
        match r["validity"].as_str() {
            "失效" | "废止" => want_ended.push(key),
            _ if ended_by_period => want_ended.push(key),
            "有效" => want_current.push(key),
            _ => {}
        }
    }
    assert_eq!(normative, 67);
    assert_eq!(expired_regulations, 39);
    let got = |ids: &[gongkai::site::DocId]| {
        let mut v: Vec<(String, String)> = ids
            .iter()
            .map(|&i| (site.docs[i].kind.clone(), site.docs[i].title.clone()))
            .collect();
        v.sort();
        v
    };
    want_current.sort();
    want_ended.sort();
    assert_eq!(got(&site.register.current), want_current);
    assert_eq!(got(&site.register.ended), want_ended);
    assert_eq!(
        site.register
            .ended
            .iter()
            .filter(|&&i| site.docs[i].kind == "行政法规")
            .count(),
        expired_regulations
    );
    // The open data lists the same documents.
    let files = gongkai::render::register::open_data(site).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&files[0].bytes).unwrap();
    assert_eq!(
        json["current"].as_u64().unwrap() as usize,
        want_current.len()
    );
    assert_eq!(json["ended"].as_u64().unwrap() as usize, want_ended.len());
    assert_eq!(
        json["documents"].as_array().unwrap().len(),
        want_current.len() + want_ended.len()
    );
}
