//! `gongkai check`: every rule fires on a fixture and stays silent on a near-miss; `--fix`
//! round-trips; the JSON schema and exit codes; known real defects of the corpus.

use std::path::Path;
use std::process::Command;

use gongkai::diag::{Diagnostic, Severity};
use gongkai::pipeline;

use crate::harness::{self, doc, fixture, Site};

/// Runs every rule over the site; returns findings with severities applied.
fn check(s: &Site) -> Vec<Diagnostic> {
    let p = pipeline::prepare(&s.options()).unwrap_or_else(|d| panic!("{d:#?}"));
    p.site.config.rules.apply(p.diagnostics)
}

fn fires(s: &Site, rule: &str, file: &str) -> bool {
    check(s)
        .iter()
        .any(|d| d.rule.as_str() == rule && d.file == Path::new("content").join(file))
}

fn one(file: &str, text: &str) -> Site {
    let s = Site::new();
    s.file(file, text);
    s
}

const POLICY: &str = "kind: \"行政规范性文件\"\nitem: \"20.1\"\ndoc_no: \"承市政规〔2024〕1号\"\nvalidity: \"有效\"\neffective: \"2024-02-01\"\nexpires: \"2029-01-31\"\n";

fn policy(extra: &str) -> String {
    doc(
        "13502/2024-00001",
        "管理办法",
        &format!("{POLICY}{extra}"),
        "正文",
    )
    .replace("kind: \"其他文件\"\nitem: \"20.15\"\n", "")
}

#[test]
fn each_rule_fires_and_its_near_miss_does_not() {
    // (rule, triggering document, near-miss document)
    let cases: Vec<(&str, String, String)> = vec![
        ("P01", doc("13502/2024-00001", "文件", "", "正文").replace("主动公开", "公开"), doc("13502/2024-00001", "文件", "", "正文")),
        (
            "P02",
            doc("13502/2024-00001", "文件", "", "正文").replace("主动公开", "依申请公开"),
            doc("13502/2024-00001", "文件", "exempt_basis: \"third_party\"\n", "正文").replace("主动公开", "依申请公开"),
        ),
        ("P03", doc("13502/2024-00001", "文件", "", "正文").replace("issuer: \"市政府办公室\"\n", ""), doc("13502/2024-00001", "文件", "", "正文")),
        ("P04", doc("13502/2024-00001", "文件", "", "正文").replace("2024-01-02", "2024-01-06"), doc("13502/2024-00001", "文件", "", "正文").replace("2024-01-02", "2024-01-05")),
        // 2024-01-02 → 01-30 is exactly 20 working days; 01-31 is 21.
        ("P05", doc("13502/2024-00001", "文件", "", "正文").replace("2024-01-05", "2024-01-31"), doc("13502/2024-00001", "文件", "", "正文").replace("2024-01-05", "2024-01-30")),
        ("P06", doc("13502/2024-00001", "文件", "doc_no: \"承市政办字[2024]44号\"\n", "正文"), doc("13502/2024-00001", "文件", "doc_no: \"承市政办字〔2024〕44号\"\n", "正文")),
        ("P06", doc("13502/2024-00001", "文件", "doc_no: \"承市政办字〔2024〕044号\"\n", "正文"), doc("13502/2024-00001", "文件", "doc_no: \"承市政办字〔2024〕44号\"\n", "正文")),
        ("P08", doc("13502/2024-00001", "文件", "", "正文").replace("综合政务", "综合正务"), doc("13502/2024-00001", "文件", "", "正文")),
        ("P09", policy("").replace("expires: \"2029-01-31\"", "expires: \"2030-02-01\""), policy("")),
        ("P09", policy("").replace("effective: \"2024-02-01\"\n", ""), policy("")),
        ("P11", doc("13502/2024-00001", "文件", "validity: \"废止\"\n", "正文"), doc("13502/2024-00001", "文件", "validity: \"废止\"\nrepealed: \"2025-01-01\"\n", "正文")),
        ("P14", doc("13502/2024-00001", "文件", "", "机密★1年\n\n正文"), doc("13502/2024-00001", "文件", "", "工作人员应当保守国家秘密，机密文件不得外传。")),
        ("P15", doc("13502/2024-00001", "文件", "", "申请人身份证号 11010519491231002X。"), doc("13502/2024-00001", "文件", "", "申请人身份证号 110105194912310021。")),
        ("P15", doc("13502/2024-00001", "文件", "", "联系人手机 13912345678。"), doc("13502/2024-00001", "文件", "", "咨询电话 0314-2151234，政务服务热线 12345。")),
        ("P16", doc("13502/2024-00001", "管理办法（征求意见稿）", "", "正文"), doc("13502/2024-00001", "管理办法", "", "起草组形成了征求意见稿，并公开征求意见。")),
        ("P17", doc("13502/2024-00001", "关于开展检查的通知。", "", "正文"), doc("13502/2024-00001", "关于开展检查的通知", "", "正文")),
        ("P17", doc("13502/2024-00001", "通知", "", "拨付资金XX万元。"), doc("13502/2024-00001", "通知", "", "拨付资金20万元。")),
        ("P18", doc("13502/2024-00001", "文件", "attachments: [\"missing.pdf\"]\n", "正文"), doc("13502/2024-00001", "文件", "", "正文")),
        ("P19", doc("13502/2024-00001", "文件", "", "![](a.png)"), doc("13502/2024-00001", "文件", "", "![办公楼](a.png)")),
        ("P22", doc("13502/2024-00001", "文件", "", "正文").replace("issuer: \"市政府办公室\"", "issuer: \"市政府办\""), doc("13502/2024-00001", "文件", "", "正文")),
        ("P23", doc("13502/2024-00001", "文件", "", &"为进一步规范政府信息公开工作，提高工作质量和效率，结合本地实际，现就有关事项通知如下。".repeat(3).repeat(2)), doc("13502/2024-00001", "文件", "", &"为进一步规范政府信息公开工作，提高工作质量和效率，结合本地实际，现就有关事项通知如下。".repeat(3))),
    ];
    for (rule, bad, good) in cases {
        let s = one("a.md", &bad);
        s.bytes("a.png", b"png");
        assert!(
            fires(&s, rule, "a.md"),
            "{rule} should fire on:\n{bad}\n{:#?}",
            check(&s)
        );
        let s = one("a.md", &good);
        s.bytes("a.png", b"png");
        assert!(
            !fires(&s, rule, "a.md"),
            "{rule} should not fire on:\n{good}\n{:#?}",
            check(&s)
        );
    }
}

#[test]
fn cross_document_rules_fire_and_near_misses_do_not() {
    // P07: duplicate 索引号.
    let s = fixture("broken/duplicate-index-no");
    assert!(fires(&s, "P07", "zz-dup.md"));
    s.edit("content/zz-dup.md", "13502/2024-00010", "13502/2024-00012");
    assert!(!fires(&s, "P07", "zz-dup.md"));
    // P12: a 解读 5 working days after its policy (published 2022-08-05, a Friday) is late; 3
    // is not. `tests/fixtures/site` publishes it the next working day.
    let (policy, jd) = (
        "2022/guifanxing-wenjian-guanli.md",
        "2022/guifanxing-wenjian-guanli-jiedu.md",
    );
    let s = fixture("site");
    assert!(!fires(&s, "P12", jd));
    let published = |date: &str| {
        let text = s.text(&format!("content/{jd}"));
        let line = text.lines().find(|l| l.starts_with("published: ")).unwrap();
        s.edit(
            &format!("content/{jd}"),
            line,
            &format!("published: \"{date}\""),
        );
    };
    published("2022-08-12");
    assert!(fires(&s, "P12", jd));
    published("2022-08-10");
    assert!(!fires(&s, "P12", jd));
    // P13: the policy has a 解读 now; without it, a warning.
    assert!(!fires(&s, "P13", policy));
    s.remove(&format!("content/{jd}"));
    assert!(fires(&s, "P13", policy));
    // P10: marked 有效 but the period ended before the build date.
    let s = fixture("site");
    assert!(!fires(&s, "P10", policy));
    s.edit(&format!("content/{policy}"), "2027-08-31", "2025-08-31");
    assert!(check(&s).iter().any(|d| d.rule == gongkai::diag::Code::P10
        && d.severity == Severity::Warn
        && d.file.ends_with(policy)));
}

#[test]
fn findings_point_at_line_and_column() {
    let s = one(
        "a.md",
        &doc(
            "13502/2024-00001",
            "文件",
            "",
            "第一段。\n\n联系人：张三，手机 13912345678。",
        ),
    );
    let d = check(&s)
        .into_iter()
        .find(|d| d.rule == gongkai::diag::Code::P15)
        .unwrap();
    assert_eq!((d.line, d.column), (Some(15), Some(11)));
    assert!(
        d.message.contains("139****5678"),
        "numbers are masked in messages: {}",
        d.message
    );
}

#[test]
fn fix_rewrites_brackets_and_nothing_else() {
    let s = Site::new();
    let original = format!(
        "\u{feff}{}",
        doc(
            "13502/2024-00001",
            "文件",
            "doc_no: \"承市政办字（2024）44号\"\n",
            "正文里的（2024）不改"
        )
        .replace('\n', "\r\n")
    );
    s.file("a.md", &original);
    let out = gongkai_bin()
        .args(["check", "--fix", "--today", harness::TODAY, "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("“承市政办字（2024）44号” → “承市政办字〔2024〕44号”"),
        "{stderr}"
    );
    let after = std::fs::read_to_string(s.root().join("content/a.md")).unwrap();
    assert_eq!(
        after,
        original.replace("承市政办字（2024）44号", "承市政办字〔2024〕44号")
    );
    assert!(!fires(&s, "P06", "a.md"));
    // A second run changes nothing.
    let out = gongkai_bin()
        .args(["check", "--fix", "--today", harness::TODAY, "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("已修正"));
    assert_eq!(
        std::fs::read_to_string(s.root().join("content/a.md")).unwrap(),
        after
    );
}

fn gongkai_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

#[test]
fn json_output_and_exit_codes() {
    let s = fixture("small");
    let run = |extra: &[&str]| {
        let out = gongkai_bin()
            .args([
                "check",
                "--today",
                harness::TODAY,
                "--format",
                "json",
                "--root",
            ])
            .arg(s.root())
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default(),
        )
    };
    let (code, json) = run(&[]);
    assert_eq!(code, 0);
    assert_eq!(json["version"], 1);
    assert_eq!(json["errors"], 0);
    // A warning (P22) only blocks with --deny-warnings.
    s.edit(
        "content/b.md",
        "issuer: \"市政府办公室\"",
        "issuer: \"市政府办\"",
    );
    assert_eq!(run(&[]).0, 0);
    assert_eq!(run(&["--deny-warnings"]).0, 1);
    // An error.
    s.edit("content/c.md", "正文丙", "身份证 11010519491231002X");
    let (code, json) = run(&[]);
    assert_eq!(code, 1);
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "P15")
        .unwrap()
        .clone();
    for key in [
        "rule", "severity", "file", "line", "column", "field", "message", "fix",
    ] {
        assert!(f.get(key).is_some(), "{key} missing in {f}");
    }
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "content/c.md");
    // PATH filter: only that file's findings.
    let (_, json) = run(&["content/b.md"]);
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["file"] == "content/b.md"));
    // Could not run: no such root.
    let out = gongkai_bin()
        .args(["check", "--root", "/nonexistent/site"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn build_refuses_what_check_blocks() {
    let s = one(
        "a.md",
        &doc("13502/2024-00001", "文件", "", "机密★5年 正文"),
    );
    let r = s.build();
    assert!(!r.written);
    assert!(harness::errors(&r)
        .iter()
        .any(|d| d.rule == gongkai::diag::Code::P14));
}

#[test]
fn huge_files_and_long_lines_do_not_panic() {
    let mut body = String::new();
    while body.len() < 10 * 1024 * 1024 {
        body.push_str("这是很长的一行文字，没有换行，包含数字1234567890和符号★《（“");
    }
    body.push_str("\n\n");
    body.push_str(&"短行\n".repeat(20_000));
    let s = one("big.md", &doc("13502/2024-00001", "大文件", "", &body));
    let d = check(&s);
    // Findings about the file, and the site-wide ones (P21 footer, P25 empty items) on the config.
    assert!(d
        .iter()
        .all(|x| x.file.starts_with("content") || x.file == Path::new("gongkai.toml")));
}

#[test]
fn known_real_defects_of_the_corpus_are_found_exactly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gongkai.toml"), "site_name = \"语料\"\nbase_url = \"https://c.example.gov.cn/\"\n[organisation]\nname = \"测试\"\ncode = \"CORPUS\"\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(harness::corpus_docs(), dir.path().join("content")).unwrap();
    let mut o = pipeline::BuildOptions::new(dir.path());
    o.today = Some(harness::TODAY.parse().unwrap());
    let p = pipeline::prepare(&o).unwrap();
    let d = p.site.config.rules.apply(p.diagnostics);
    let at = |rule: &str, file: &str| -> Vec<(Option<usize>, Option<usize>)> {
        d.iter()
            .filter(|x| x.rule.as_str() == rule && x.file == Path::new("content").join(file))
            .map(|x| (x.line, x.column))
            .collect()
    };
    // Personal mobile numbers of named contacts, left in published bodies.
    assert_eq!(at("P15", "hebei-jyt-0009.md"), vec![(Some(64), Some(12))]);
    assert_eq!(
        at("P15", "hebei-kjt-0097.md"),
        vec![(Some(58), Some(7)), (Some(60), Some(4))]
    );
    assert_eq!(
        d.iter()
            .filter(|x| x.rule == gongkai::diag::Code::P15)
            .count(),
        3
    );
    // A 令 number with full-width digits; a joint order that lost its first issuers.
    assert_eq!(at("P06", "lawref-bmgz-0006.md").len(), 1);
    assert_eq!(at("P06", "lawref-xzfg-0121.md").len(), 1);
    // Two documents with the same body; bodies shown twice by the crawled site.
    let same = d
        .iter()
        .find(|x| {
            x.rule == gongkai::diag::Code::P23 && x.file == Path::new("content/hebei-kjt-0067.md")
        })
        .unwrap();
    assert!(
        same.message.contains("hebei-kjt-0024.md"),
        "{}",
        same.message
    );
    assert!(!at("P23", "hebei-szfbgt-0001.md").is_empty());
    // A placeholder left in a published 行政法规.
    assert!(d.iter().any(|x| x.rule == gongkai::diag::Code::P17
        && x.file == Path::new("content/govcn-0042.md")
        && x.message.contains("XXX")));
    // No 密级 markings anywhere in the real corpus.
    assert_eq!(
        d.iter()
            .filter(|x| x.rule == gongkai::diag::Code::P14)
            .count(),
        0
    );
}

/// `check --format json` prints JSON with an error finding even when the site cannot be
/// loaded, so a tool that parses it never gets nothing (issue 15 item 12); exit code 2.
#[test]
fn json_output_when_the_site_cannot_be_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let no_config = dir.path().join("empty");
    std::fs::create_dir_all(no_config.join("content")).unwrap();
    for root in [dir.path().join("missing"), no_config] {
        let out = gongkai_bin()
            .args(["check", "--format", "json", "--root"])
            .arg(&root)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", root.display());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {:?}", root.display(), out.stdout));
        assert_eq!(v["version"], 1);
        assert_eq!(v["errors"], 1, "{v}");
        assert_eq!(v["findings"][0]["severity"], "error", "{v}");
        assert_eq!(v["findings"][0]["rule"], "E001", "{v}");
    }
}

/// P30: a published picture that records where it was taken is named with its position; one
/// without a position, one whose position is zeros (no fix), and a withheld document's picture
/// are not.
#[test]
fn published_photos_that_record_where_they_were_taken() {
    let s = Site::new();
    let here = harness::jpeg_with_gps([(40, 1), (1, 1), (30, 1)], [(116, 1), (27, 1), (0, 1)]);
    s.bytes("img/现场.jpg", &here);
    s.bytes("img/附件照片.JPG", &here);
    s.bytes(
        "img/无定位.jpg",
        &harness::jpeg_with_gps([(0, 1), (0, 1), (0, 1)], [(0, 1), (0, 1), (0, 1)]),
    );
    s.bytes("img/普通.jpg", &[0xFF, 0xD8, 0xFF, 0xD9]);
    s.bytes("img/内部.jpg", &here);
    s.bytes("img/未引用.jpg", &here);
    s.file(
        "a.md",
        &doc(
            "13502/2024-00001",
            "检查通知",
            "attachments:\n  - {path: \"img/附件照片.JPG\", title: \"检查现场照片\"}\n",
            "![检查现场](img/现场.jpg)\n\n![无定位](img/无定位.jpg)\n\n![普通](img/普通.jpg)",
        ),
    );
    s.file(
        "b.md",
        &doc(
            "13502/2024-00002",
            "内部材料",
            "exempt_basis: \"third_party\"\n",
            "![内部](img/内部.jpg)",
        )
        .replace("主动公开", "依申请公开"),
    );
    let found: Vec<_> = check(&s)
        .into_iter()
        .filter(|d| d.rule.as_str() == "P30")
        .collect();
    let files: Vec<String> = found
        .iter()
        .map(|d| d.file.to_string_lossy().replace('\\', "/"))
        .collect();
    assert_eq!(
        files,
        ["content/img/现场.jpg", "content/img/附件照片.JPG"],
        "{found:#?}"
    );
    assert!(
        found[0].message.contains("北纬 40.0250°，东经 116.4500°"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].severity, Severity::Warn);
    // It is a warning the site can turn off.
    let config = s.root().join("gongkai.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[rules]\nP30 = \"allow\"\n")).unwrap();
    assert!(!check(&s).iter().any(|d| d.rule.as_str() == "P30"));
}
