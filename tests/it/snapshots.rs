//! Snapshots of exact output: the `<main>` element of representative pages of the fixture site
//! `tests/fixtures/site`, byte for byte against `tests/fixtures/site/expected/<page>`. Only
//! `<main>…</main>` is compared, so a change to the theme's header or footer does not touch them.
//!
//! After an intended change of the pages:
//!
//! ```text
//! SNAPSHOTS=update cargo test --test it snapshots::
//! ```
//!
//! rewrites the expected files, names those that changed, and removes those of pages no longer
//! listed; review them with `git diff tests/fixtures`. The build date and base URL are fixed, so
//! the pages are the same on any machine; the last test builds with the `gongkai` binary under
//! two timezones and compares every byte.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use gongkai::pipeline;

use crate::harness::{self, fixture, fixtures_dir, tree};

/// The fixture site of the snapshots.
const SITE: &str = "site";

/// The base URL of the snapshot builds (with a base path, so links show it).
const BASE_URL: &str = "https://www.example.gov.cn/xxgk/";

/// The pages whose `<main>` is kept, with what each shows.
const PAGES: &[(&str, &str)] = &[
    ("index.html", "home: the columns and the latest documents"),
    ("ml/index.html", "the catalogue of every published document"),
    (
        "xxgk/13502/2022-00112.html",
        "a policy: 信息索引 box, its 解读, the version it replaced",
    ),
    (
        "xxgk/13502/2017-00045.html",
        "a 失效 document: banner, dates, the one that replaced it",
    ),
    (
        "xxgk/13502/2024-00007.html",
        "a document with an attachment",
    ),
    (
        "fdzdgknr/法规文件/现行有效/index.html",
        "the register of 法规文件 in force",
    ),
    (
        "fdzdgknr/法规文件/已废止失效/index.html",
        "the register of 法规文件 no longer in force",
    ),
    ("404.html", "the page for a missing address"),
    (
        "xxgk/13502/2024-00030.html",
        "the annual report: tables from annual/2023.toml and the documents",
    ),
];

/// The `<main>…</main>` element of a page.
fn main_of<'a>(page: &'a str, path: &str) -> &'a str {
    let starts: Vec<usize> = page.match_indices("<main").map(|(i, _)| i).collect();
    let ends: Vec<usize> = page.match_indices("</main>").map(|(i, _)| i).collect();
    assert!(
        starts.len() == 1 && ends.len() == 1 && starts[0] < ends[0],
        "{path}: not exactly one <main>…</main>"
    );
    &page[starts[0]..ends[0] + "</main>".len()]
}

fn update_mode() -> bool {
    std::env::var("SNAPSHOTS").is_ok_and(|v| v == "update")
}

/// Says `line` even when the test harness captures output (libtest captures only `print!`
/// and `eprint!`), so `SNAPSHOTS=update` always names what it rewrote.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Where the expected `<main>` of `page` is kept.
fn expected_path(page: &str) -> PathBuf {
    fixtures_dir().join(SITE).join("expected").join(page)
}

/// The first differing lines of `expected` and `actual`: the lines between their common
/// beginning and common end, with line numbers and three lines of context before.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = (0..e.len().max(a.len()))
        .find(|&i| e.get(i) != a.get(i))
        .unwrap_or(e.len().min(a.len()));
    let (mut e_end, mut a_end) = (e.len(), a.len());
    while e_end > first && a_end > first && e[e_end - 1] == a[a_end - 1] {
        e_end -= 1;
        a_end -= 1;
    }
    const MAX: usize = 20;
    let mut out = String::new();
    for (i, line) in e
        .iter()
        .enumerate()
        .take(first)
        .skip(first.saturating_sub(3))
    {
        out.push_str(&format!("  {:>4}   {line}\n", i + 1));
    }
    for (sign, lines, end) in [("-", &e, e_end), ("+", &a, a_end)] {
        for (i, line) in lines.iter().enumerate().take(end).skip(first).take(MAX) {
            out.push_str(&format!("{sign} {:>4}   {line}\n", i + 1));
        }
        if end - first > MAX {
            out.push_str(&format!(
                "{sign}        … {} more lines\n",
                end - first - MAX
            ));
        }
    }
    if e_end == first && a_end == first {
        out.push_str("  (the texts differ only in line ends or a final newline)\n");
    }
    out
}

/// Compares every listed page's `<main>` (from `page_text`) with its expected file. In update
/// mode, rewrites what differs and removes expected files of pages no longer listed; otherwise
/// returns a readable report of every difference.
fn compare(what: &str, page_text: &dyn Fn(&str) -> Option<String>) -> Result<(), String> {
    let update = update_mode();
    let mut failures = Vec::new();
    for (page, shows) in PAGES {
        let text = page_text(page).unwrap_or_else(|| panic!("{what}: no page {page}"));
        let actual = format!("{}\n", main_of(&text, page));
        let path = expected_path(page);
        let expected = std::fs::read_to_string(&path).ok();
        if expected.as_deref() == Some(actual.as_str()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &actual).unwrap();
            let how = if expected.is_some() {
                "updated"
            } else {
                "created"
            };
            say(&format!("snapshot {how}: {}", path.display()));
            continue;
        }
        failures.push(match expected {
            None => format!(
                "{what}: {page} ({shows}): no expected file {}",
                path.display()
            ),
            Some(expected) => format!(
                "{what}: {page} ({shows}) differs from {}\n  (- expected, + actual)\n{}",
                path.display(),
                diff(&expected, &actual)
            ),
        });
    }
    let root = fixtures_dir().join(SITE).join("expected");
    for (rel, _) in tree(&root) {
        if PAGES.iter().any(|(p, _)| *p == rel) {
            continue;
        }
        if update {
            std::fs::remove_file(root.join(&rel)).unwrap();
            say(&format!("snapshot removed: {}", root.join(&rel).display()));
        } else {
            failures.push(format!(
                "{}: an expected file for a page no longer listed in PAGES",
                root.join(&rel).display()
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n\nIf the change is intended: SNAPSHOTS=update cargo test --test it snapshots::",
            failures.join("\n\n")
        ))
    }
}

/// The snapshot build: fixed build date and base URL, in memory.
fn compiled() -> pipeline::Compiled {
    let s = fixture(SITE);
    let mut o = s.options();
    o.base_url = Some(BASE_URL.into());
    let c = pipeline::compile(&o);
    let errs: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == gongkai::diag::Severity::Error)
        .collect();
    assert!(errs.is_empty(), "{errs:#?}");
    c
}

#[test]
fn pages_main_matches_the_expected_files() {
    let c = compiled();
    let page = |p: &str| {
        c.files
            .iter()
            .find(|f| f.path == p)
            .map(|f| String::from_utf8(f.bytes.clone()).unwrap())
    };
    if let Err(report) = compare("library build", &page) {
        panic!("{report}");
    }
}

/// The comparison itself can fail: a changed line is reported with its number and both texts.
#[test]
fn a_changed_line_is_shown_with_its_number() {
    let expected = "<main>\n<h1>标题</h1>\n<p>甲</p>\n<p>乙</p>\n</main>\n";
    let actual = expected.replace("<p>乙</p>", "<p>丙</p>");
    let d = diff(expected, &actual);
    assert_eq!(
        d,
        "     1   <main>\n     2   <h1>标题</h1>\n     3   <p>甲</p>\n-    4   <p>乙</p>\n+    4   <p>丙</p>\n"
    );
    let d = diff("<main>\n</main>\n", "<main>\n<p>新</p>\n</main>\n");
    assert!(d.contains("+    2   <p>新</p>"), "{d}");
    assert!(diff("a\n", "a").contains("final newline"));
}

/// The `gongkai` binary builds the fixture site under two machine timezones: every output byte
/// is the same, and the pages are the snapshots.
#[test]
fn builds_under_two_timezones_are_byte_identical_and_match_the_snapshots() {
    let s = fixture(SITE);
    let build = |tz: &str| -> Vec<(String, Vec<u8>)> {
        let out = s.root().join(format!("out-{}", tz.replace('/', "-")));
        let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .env("TZ", tz)
            .args([
                "build",
                "-q",
                "--today",
                harness::TODAY,
                "--base-url",
                BASE_URL,
            ])
            .arg("--root")
            .arg(s.root())
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "TZ={tz}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        tree(&out)
    };
    for tz in ["Asia/Shanghai", "America/Los_Angeles"] {
        assert!(
            Path::new("/usr/share/zoneinfo").join(tz).is_file(),
            "the timezone database (tzdata) has no {tz}"
        );
    }
    let shanghai = build("Asia/Shanghai");
    let los_angeles = build("America/Los_Angeles");
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&shanghai), names(&los_angeles));
    let differ: Vec<&String> = shanghai
        .iter()
        .zip(&los_angeles)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| &a.0)
        .collect();
    assert!(differ.is_empty(), "differ between timezones: {differ:?}");
    assert!(
        shanghai.len() > 50,
        "a whole site: {} files",
        shanghai.len()
    );
    // The binary's pages are the library's: the snapshots (never rewritten from here).
    if !update_mode() {
        let page = |p: &str| {
            shanghai
                .iter()
                .find(|(path, _)| path == p)
                .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        };
        if let Err(report) = compare("gongkai build (TZ=Asia/Shanghai)", &page) {
            panic!("{report}");
        }
    }
}
