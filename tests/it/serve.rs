//! `gongkai serve`, `new` and `init`: functional tests over real HTTP on loopback. They wait
//! with generous timeouts and never assert speed (speed lives in `cargo bench --bench serve`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use gongkai::serve::{self, ServeOptions};

use crate::harness::{self, doc, fixture, Site};

/// A raw GET (no client-side normalisation of `..`): (status, body).
fn get(url: &str, path: &str) -> (u16, String) {
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn wait_for(what: &str, f: impl FnMut() -> bool) {
    wait_up_to(30, what, f)
}

fn wait_up_to(seconds: u64, what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(seconds),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn start(s: &Site) -> serve::Server {
    let mut build = s.options();
    build.root = s.root().canonicalize().unwrap();
    serve::start(ServeOptions {
        build,
        bind: "127.0.0.1".into(),
        port: 0,
        verbose: false,
        quiet: true,
    })
    .expect("serve starts")
}

#[test]
fn edits_appear_over_http_with_a_reload_event() {
    let s = fixture("small");
    let server = start(&s);
    let (code, page) = get(&server.url, "/xxgk/13502/2024-00001.html");
    assert_eq!(code, 200);
    assert!(page.contains("正文甲"));
    assert!(
        page.contains("EventSource"),
        "serve injects the reload script"
    );
    // Listen for the reload event before editing.
    let addr = host(&server);
    let mut events = TcpStream::connect(&addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        events,
        "GET /__gongkai/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(events);
    let mut line = String::new();
    while !line.starts_with(": connected") {
        line.clear();
        reader.read_line(&mut line).unwrap();
    }
    std::thread::sleep(Duration::from_millis(300));
    s.edit("content/a.md", "甲文件", "第二版标题")
        .edit("content/a.md", "正文甲", "第二版正文");
    wait_for("the new body", || {
        get(&server.url, "/xxgk/13502/2024-00001.html")
            .1
            .contains("第二版正文")
    });
    assert!(
        get(&server.url, "/ml/").1.contains("第二版标题"),
        "catalogue updated"
    );
    let mut got_reload = false;
    for _ in 0..20 {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if line.starts_with("data: reload") {
            got_reload = true;
            break;
        }
    }
    assert!(got_reload, "a reload event was sent");
}

#[test]
/// `tests/fixtures/search`: four documents mention 政务公开; b.md is deleted.
fn deleted_documents_leave_catalogues_and_search() {
    let s = fixture("search");
    let server = start(&s);
    let deleted = "市财政局2023年部门预算";
    assert!(get(&server.url, "/ml/").1.contains(deleted));
    let hits = |server: &serve::Server| -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let site = server.shared.site.read().unwrap().clone();
        for (p, bytes) in site.iter().filter(|(p, _)| p.starts_with("search/")) {
            let f = dir.path().join(p.trim_start_matches("search/"));
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, bytes.as_slice()).unwrap();
        }
        let r =
            gongkai_search::search_dir(dir.path(), &gongkai_search::SearchQuery::new("政务公开"))
                .unwrap();
        let mut urls: Vec<String> = r.hits.into_iter().map(|h| h.url).collect();
        urls.sort();
        urls
    };
    let url = |n: &str| format!("/xxgk/13502/{n}.html");
    let before = vec![
        url("2022-00003"),
        url("2023-00002"),
        url("2024-00001"),
        url("2024-00004"),
    ];
    assert_eq!(hits(&server), before);
    s.remove("content/b.md");
    wait_for("the catalogue without b", || {
        !get(&server.url, "/ml/").1.contains(deleted)
    });
    assert_eq!(get(&server.url, &url("2023-00002")).0, 404);
    wait_for("the search index without b", || {
        hits(&server) == vec![url("2022-00003"), url("2024-00001"), url("2024-00004")]
    });
}

#[test]
fn refuses_traversal_and_reports_a_taken_port() {
    let s = fixture("small");
    std::fs::write(s.root().join("secret.txt"), "SECRET-OUTSIDE").unwrap();
    let server = start(&s);
    for p in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/xxgk/../../gongkai.toml",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..\\secret.txt",
    ] {
        let (code, body) = get(&server.url, p);
        assert!(code == 400 || code == 404, "{p} → {code}");
        assert!(
            !body.contains("SECRET-OUTSIDE") && !body.contains("root:"),
            "{p}"
        );
    }
    assert_eq!(get(&server.url, "/gongkai.toml").0, 404);
    assert_eq!(get(&server.url, "/ml").0, 301);
    let port = server
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let mut build = s.options();
    build.root = s.root().to_path_buf();
    let e = serve::start(ServeOptions {
        build,
        bind: "127.0.0.1".into(),
        port,
        verbose: false,
        quiet: true,
    })
    .err()
    .expect("port taken");
    assert!(format!("{e:#}").contains("端口"), "{e:#}");
}

#[test]
fn a_broken_save_keeps_the_last_good_site_and_shows_an_overlay() {
    let s = fixture("small");
    let good = s.text("content/a.md");
    let server = start(&s);
    // A save cut short: the truncation is the point, so it is written here.
    s.file("a.md", "---\ntitle: \"写了一半");
    wait_for("the overlay", || {
        get(&server.url, "/xxgk/13502/2024-00001.html")
            .1
            .contains("gongkai-error")
    });
    let page = get(&server.url, "/xxgk/13502/2024-00001.html").1;
    assert!(page.contains("正文甲"), "last good page still served");
    assert!(
        page.contains("E002") || page.contains("E003"),
        "the error is shown"
    );
    // Editor junk is ignored; a template syntax error is shown too; fixing both recovers.
    s.file(".a.md.swp", "garbage");
    s.file("a.md~", "garbage");
    s.file("a.md", &good.replace("正文甲", "修好的正文"));
    wait_for("recovery", || {
        let p = get(&server.url, "/xxgk/13502/2024-00001.html").1;
        p.contains("修好的正文") && !p.contains("gongkai-error")
    });
    s.copy_from("broken/template", "templates/404.html");
    wait_for("template overlay", || {
        get(&server.url, "/").1.contains("gongkai-error")
    });
    std::fs::remove_file(s.root().join("templates/404.html")).unwrap();
    wait_for("template recovery", || {
        !get(&server.url, "/").1.contains("gongkai-error")
    });
}

#[test]
fn the_served_site_equals_the_built_site() {
    let s = fixture("small");
    let server = start(&s);
    s.edit("content/b.md", "乙文件", "乙（改）")
        .edit("content/b.md", "正文乙", "正文乙改");
    wait_for("the edit", || {
        get(&server.url, "/ml/").1.contains("乙（改）")
    });
    assert_converges(&s, &server, 30);
}

/// Waits until the served site equals what `build` writes for the same content.
fn assert_converges(s: &Site, server: &serve::Server, seconds: u64) {
    let mut o = s.options();
    o.base_url = Some(server.url.clone());
    o.output = Some(s.root().join("built"));
    assert!(gongkai::pipeline::build(&o).unwrap().written);
    let built: Vec<(String, Vec<u8>)> = harness::tree(&s.root().join("built"))
        .into_iter()
        .filter(|(p, _)| p != ".gongkai-output")
        .collect();
    let served = || {
        let site = server.shared.site.read().unwrap().clone();
        let mut v: Vec<(String, Vec<u8>)> =
            site.iter().map(|(p, b)| (p.clone(), b.to_vec())).collect();
        v.sort();
        v
    };
    wait_up_to(seconds, "serve to converge to the built site", || {
        served() == built
    });
}

/// A symlink loop under `content/` and a thousand files written at once (as by a
/// `git checkout`): the server keeps running and converges to the built site.
#[test]
fn survives_a_symlink_loop_and_a_burst_of_a_thousand_files() {
    let s = fixture("small");
    std::os::unix::fs::symlink("..", s.root().join("content/loop")).unwrap();
    let server = start(&s);
    for k in 0..1000 {
        s.file(
            &format!("pi/{:02}/d{k:04}.md", k / 100),
            &doc(
                &format!("13502/2024-{:05}", 100 + k),
                &format!("批量文件{k}"),
                "",
                &format!("批量写入的第 {k} 个文件。"),
            ),
        );
    }
    wait_up_to(120, "the burst to be served", || {
        get(&server.url, "/xxgk/13502/2024-01099.html").0 == 200
    });
    assert_converges(&s, &server, 120);
    assert_eq!(get(&server.url, "/").0, 200, "the server still answers");
}

/// Runs `gongkai build` on `site` and asserts it succeeds.
fn build_ok(site: &std::path::Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--today", harness::TODAY, "--root"])
        .arg(site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn new_reserves_distinct_numbers_and_init_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let bin = env!("CARGO_BIN_EXE_gongkai");
    let ok = std::process::Command::new(bin)
        .args(["init"])
        .arg(&site)
        .status()
        .unwrap();
    assert!(ok.success());
    build_ok(&site);
    let mut numbers = Vec::new();
    for (name, kind) in [("a", "行政规范性文件"), ("b", "政策解读")] {
        let out = std::process::Command::new(bin)
            .args([
                "new",
                "--today",
                harness::TODAY,
                "--kind",
                kind,
                "--title",
                "新文件",
                "--root",
            ])
            .arg(&site)
            .arg(format!("2026/{name}.md"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(site.join(format!("content/2026/{name}.md"))).unwrap();
        let no = text
            .lines()
            .find_map(|l| l.strip_prefix("index_no: "))
            .unwrap()
            .trim_matches('"')
            .to_string();
        assert!(text.contains("# 索引号"), "labels as comments");
        assert!(text.contains("draft: true"));
        numbers.push(no);
    }
    assert_eq!(
        numbers,
        vec![
            "00000/2026-00001".to_string(),
            "00000/2026-00002".to_string()
        ]
    );
    let ledger = std::fs::read_to_string(site.join("gongkai-ledger.tsv")).unwrap();
    assert!(ledger.contains("00000/2026-00002\tcontent/2026/b.md"));
    // A new document is a draft: the site still builds, and it is not published.
    build_ok(&site);
    assert!(!site.join("public/xxgk/00000/2026-00001.html").exists());
    // Refuses to overwrite.
    let out = std::process::Command::new(bin)
        .args(["new", "--root"])
        .arg(&site)
        .arg("2026/a.md")
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// The incremental path (`Engine::content`) against a full `build` after every kind of edit an
/// editor makes: body, title, a duplicate number (the build fails, then recovers), a removed
/// relation, a policy's title (shown on other pages), a document withheld, a new link, a deletion, an addition with a ledger number, and
/// a changed attachment. After each, the engine's site must equal the built site byte for byte.
#[test]
fn incremental_rebuilds_equal_full_builds_after_every_kind_of_edit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    harness::copy_sample_site(&root);
    let root = root.canonicalize().unwrap();
    let mut opts = gongkai::pipeline::BuildOptions::new(&root);
    opts.today = Some(harness::TODAY.parse().unwrap());
    opts.base_url = Some("http://127.0.0.1:1111/".into());
    let mut engine = serve::Engine::new(opts.clone());
    assert!(engine.full().published);
    engine.finish();

    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap();
    let seed = "content/2022/chengde-2022-zwgk-gongzuo-yaodian.md";
    let rule = "content/2023/guizhang-yangchen.md";
    let budget = "content/2024/yusuan-2024.md";
    let jiedu = "content/2022/guifanxing-wenjian-guanli-jiedu.md";
    let project = "content/2023/zhongda-xiangmu.md";
    let policy = "content/2022/guifanxing-wenjian-guanli.md";
    let (seed0, rule0, budget0, jiedu0) = (read(seed), read(rule), read(budget), read(jiedu));
    type Edit = Box<dyn Fn(&std::path::Path)>;
    let write = |rel: &'static str, text: String| -> (&'static str, Edit) {
        (
            rel,
            Box::new(move |root: &std::path::Path| std::fs::write(root.join(rel), &text).unwrap()),
        )
    };
    let steps: Vec<(&str, Edit)> = vec![
        write(seed, format!("{seed0}\n增量构建测试段落。\n")),
        write(rule, rule0.replace("承德市扬尘污染防治办法", "承德市扬尘污染防治办法（修订）")),
        write(
            budget,
            budget0.replace("13502/2024-00007", "13502/2022-26273"),
        ),
        write(budget, budget0.clone()),
        // A policy's title shows on its 解读's rows and in the register of normative documents.
        write(policy, read(policy).replace("管理办法", "管理规定")),
        write(jiedu, jiedu0.replace("interprets: \"13502/2022-00112\"\n", "")),
        write(jiedu, jiedu0.clone()),
        write(
            project,
            read(project).replace(
                "disclosure: \"主动公开\"",
                "disclosure: \"依申请公开\"\nexempt_basis: \"third_party\"",
            ),
        ),
        write(
            seed,
            format!("{seed0}\n参见[扬尘污染防治办法](../2023/guizhang-yangchen.md)。\n"),
        ),
        (
            "content/2024/tongji-gongbao-2023.md",
            Box::new(|root: &std::path::Path| {
                std::fs::remove_file(root.join("content/2024/tongji-gongbao-2023.md")).unwrap()
            }),
        ),
        write(
            "content/2025/xin-wenjian.md",
            "---\ntitle: \"关于新增测试文件的通知\"\ncategory: \"综合政务\"\nissuer: \"市政府办公室\"\n\
             written: \"2025-03-03\"\npublished: \"2025-03-04\"\ndisclosure: \"主动公开\"\n\
             kind: \"其他文件\"\nitem: \"20.15\"\n---\n\n新增文件的正文。\n"
                .into(),
        ),
        (
            "content/2024/yusuan-2024-biao.csv",
            Box::new(|root: &std::path::Path| {
                std::fs::write(root.join("content/2024/yusuan-2024-biao.csv"), "科目,金额\n税收,1\n")
                    .unwrap()
            }),
        ),
        // Fields the site model sorts and groups by: 主题分类, 有效性 (the register), 发布日期.
        write(
            seed,
            seed0
                .replace("主题分类: \"综合政务\"", "主题分类: \"城乡建设、环境保护\"")
                .replace(
                    "category_sub: \"政务公开\"",
                    "category_sub: \"环境监测、保护与治理\"",
                ),
        ),
        write(
            rule,
            rule0.replace(
                "validity: \"有效\"",
                "validity: \"失效\"\nrepealed: \"2024-01-01\"",
            ),
        ),
        write(
            budget,
            budget0.replace("published: \"2024-02-06\"", "published: \"2024-02-20\""),
        ),
    ];
    // Applies `changed` to the engine and to a full build; both must agree, byte for byte.
    // Returns whether the build succeeded.
    let mut check = |k: usize, changed: &[&str]| -> bool {
        let what = changed.join(" + ");
        let paths: Vec<std::path::PathBuf> = changed.iter().map(std::path::PathBuf::from).collect();
        let outcome = engine.content(&paths);
        let mut o = opts.clone();
        o.output = Some(dir.path().join(format!("built-{k}")));
        let report = gongkai::pipeline::build(&o).unwrap();
        assert_eq!(
            outcome.published, report.written,
            "step {k} ({what}): serve published {} but build wrote {}",
            outcome.published, report.written
        );
        if !report.written {
            return false;
        }
        engine.finish();
        let built: Vec<(String, Vec<u8>)> = harness::tree(o.output.as_ref().unwrap())
            .into_iter()
            .filter(|(p, _)| p != ".gongkai-output")
            .collect();
        let mut served: Vec<(String, Vec<u8>)> = engine
            .site
            .iter()
            .map(|(p, b)| (p.clone(), b.to_vec()))
            .collect();
        served.sort();
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&served),
            names(&built),
            "step {k} ({what}): file lists differ"
        );
        for ((p, a), (_, b)) in served.iter().zip(&built) {
            assert!(a == b, "step {k} ({what}): {p} differs from the built file");
        }
        true
    };
    let mut failed = Vec::new();
    for (k, (rel, edit)) in steps.iter().enumerate() {
        edit(&root);
        if !check(k, &[rel]) {
            failed.push(k);
        }
    }
    // Only the duplicate number and the 解读 without its policy are errors: every other step
    // was compared.
    assert_eq!(failed, vec![2, 5], "steps whose build failed");
    // A failed rebuild renders nothing: an edit saved together with a broken file must still
    // reach its page once the broken file is repaired (and only that file changes then).
    let k = steps.len();
    std::fs::write(
        root.join(seed),
        format!("{seed0}\n与错误同时保存的段落。\n"),
    )
    .unwrap();
    std::fs::write(
        root.join(budget),
        budget0.replace("13502/2024-00007", "13502/2022-26273"),
    )
    .unwrap();
    assert!(
        !check(k, &[seed, budget]),
        "a duplicate number fails the build"
    );
    std::fs::write(root.join(budget), &budget0).unwrap();
    assert!(check(k + 1, &[budget]), "the repaired site builds");
}

/// An engine for `s` that has built and finished the site once.
fn built_engine(s: &Site) -> serve::Engine {
    let mut opts = s.options();
    opts.root = s.root().canonicalize().unwrap();
    opts.base_url = Some("http://127.0.0.1:1111/".into());
    let mut engine = serve::Engine::new(opts);
    assert!(engine.full().published);
    engine.finish();
    engine
}

/// The flaky-test race, made deterministic (issue 17): a full rebuild that fails (a broken
/// template) must not change what the last good rebuild's background job applies. It used to
/// clear the page fingerprints first, so the job's outputs were applied against none and every
/// page — `index.html`, `404.html`, the error overlay's host — vanished from the served site.
#[test]
fn a_failed_full_rebuild_survives_the_last_good_rebuilds_background_job() {
    let s = fixture("small");
    let mut engine = built_engine(&s);
    s.edit("content/a.md", "正文甲", "第二版正文");
    assert!(engine.content(&["content/a.md".into()]).published);
    // The background job of that good rebuild is still running …
    let job = engine.take_finish().expect("a job for the good rebuild");
    // … when a template breaks and the full rebuild fails.
    s.copy_from("broken/template", "templates/404.html");
    let failed = engine.full();
    assert!(!failed.published);
    assert!(failed
        .diagnostics
        .iter()
        .any(|d| d.rule == gongkai::diag::Code::E009));
    assert!(engine.apply_finish(serve::run_finish(job)).is_some());
    for page in ["index.html", "404.html", "xxgk/13502/2024-00001.html"] {
        assert!(engine.site.contains_key(page), "{page} still served");
    }
    let page = String::from_utf8_lossy(&engine.site["xxgk/13502/2024-00001.html"]).into_owned();
    assert!(page.contains("第二版正文"), "the last good page");
}

/// After a failed full rebuild, the next successful rebuild renders every page again, even
/// when it is only a content edit: the templates changed in between.
#[test]
fn a_content_fix_after_a_failed_full_rebuild_uses_the_new_templates() {
    let s = fixture("small");
    let b = s.text("content/b.md");
    let mut engine = built_engine(&s);
    // A template change and a broken document (a save cut short): the full rebuild fails.
    s.file("b.md", "---\ntitle: \"写了一半");
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    std::fs::create_dir_all(s.root().join("templates")).unwrap();
    std::fs::write(
        s.root().join("templates/base.html"),
        base.replace("</body>", "<p>新模板标记</p></body>"),
    )
    .unwrap();
    assert!(!engine.full().published);
    // Fixing the document is a content edit of b.md only; a.md's page must still change.
    s.file("b.md", &b);
    assert!(engine.content(&["content/b.md".into()]).published);
    let page = String::from_utf8_lossy(&engine.site["xxgk/13502/2024-00001.html"]).into_owned();
    assert!(
        page.contains("新模板标记"),
        "a.md's page rendered with the new template"
    );
}

/// The findings of a rebuild as comparable rows.
fn rows(d: &[gongkai::diag::Diagnostic]) -> Vec<String> {
    let mut v: Vec<String> = d
        .iter()
        .map(|d| {
            format!(
                "{} {:?} {} {:?} {:?} {}",
                d.rule,
                d.severity,
                d.file.display(),
                d.line,
                d.field,
                d.message
            )
        })
        .collect();
    v.sort();
    v
}

/// serve reports what build reports (issue 17, defect 1): a broken annual-report file and a
/// template error together, and a failure of the finishing step (an attachment that vanished
/// before it was copied) that `build` would refuse.
#[test]
fn serve_reports_the_same_findings_as_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    harness::copy_sample_site(&root);
    let root = root.canonicalize().unwrap();
    for (broken, rel) in [
        ("broken/annual", "annual/2023.toml"),
        ("broken/template", "templates/404.html"),
    ] {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(
            harness::fixtures_dir().join(broken).join(rel),
            root.join(rel),
        )
        .unwrap();
    }
    let mut opts = gongkai::pipeline::BuildOptions::new(&root);
    opts.today = Some(harness::TODAY.parse().unwrap());
    opts.base_url = Some("http://127.0.0.1:1111/".into());
    let built = gongkai::pipeline::compile(&opts);
    let rules: Vec<&str> = built.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    assert!(
        built
            .diagnostics
            .iter()
            .any(|d| d.file.starts_with("annual")),
        "build reports the annual file: {rules:?}"
    );
    assert!(
        rules.contains(&"E009"),
        "build reports the template: {rules:?}"
    );
    let mut engine = serve::Engine::new(opts.clone());
    let served = engine.full();
    assert!(!served.published);
    assert_eq!(rows(&served.diagnostics), rows(&built.diagnostics));

    // The finishing step: fixed site, then an attachment disappears before it is copied.
    std::fs::write(
        root.join("annual/2023.toml"),
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("annual/2023.toml"))
            .unwrap(),
    )
    .unwrap();
    std::fs::remove_file(root.join("templates/404.html")).unwrap();
    assert!(engine.full().published, "the repaired site rebuilds");
    let job = engine.take_finish().expect("a finishing job");
    let attachment = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x != "md"))
        .expect("the sample site has an attachment");
    std::fs::remove_file(attachment.path()).unwrap();
    let found = engine
        .apply_finish(serve::run_finish(job))
        .expect("applied");
    assert!(
        found
            .iter()
            .any(|d| d.rule == gongkai::diag::Code::E001
                && d.severity == gongkai::diag::Severity::Error),
        "{:?}",
        rows(&found)
    );
}

/// tiny_http 0.12.0 discarded an unread body by allocating its whole declared length, so this
/// request aborted the server (and, in-process, this test binary). The vendored copy drains it
/// through a small buffer (vendor/README.md).
#[test]
fn a_request_claiming_a_huge_body_does_not_stop_the_server() {
    let s = fixture("small");
    let server = start(&s);
    let addr = host(&server);
    for path in ["/index.html", "/_gongkai/save"] {
        let mut c = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            c,
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 900000000000\r\n\r\nabc"
        )
        .unwrap();
        c.shutdown(std::net::Shutdown::Write).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut answer = Vec::new();
        let _ = c.read_to_end(&mut answer);
        let head = String::from_utf8_lossy(&answer);
        assert!(
            head.starts_with("HTTP/1.1 4"),
            "{path}: {}",
            head.lines().next().unwrap_or("")
        );
    }
    assert_eq!(get(&server.url, "/").0, 200, "the server still answers");
}

/// A page with more files than a browser has free connections (a document preview with its
/// logo and badges): tiny_http 0.12.0 handed a new connection to a thread that had already been
/// woken for the one before, so it waited behind a kept-alive connection and never got an answer
/// (the workbench's preview never finished loading). The vendored copy starts a thread whenever
/// fewer threads are idle than connections wait (vendor/README.md).
#[test]
fn a_burst_of_kept_alive_connections_is_answered_in_full() {
    let s = fixture("small");
    let server = start(&s);
    let addr = host(&server);
    for round in 0..10 {
        // As a browser does: many connections at once, each kept open after its answer.
        let conns: Vec<std::net::TcpStream> = (0..16)
            .map(|_| {
                let mut c = std::net::TcpStream::connect(&addr).unwrap();
                write!(
                    c,
                    "GET /index.html HTTP/1.1\r\nHost: {addr}\r\nConnection: keep-alive\r\n\r\n"
                )
                .unwrap();
                c
            })
            .collect();
        for (i, mut c) in conns.iter().enumerate() {
            c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut first = [0u8; 12];
            let answered = c.read_exact(&mut first).is_ok();
            assert!(
                answered && first.starts_with(b"HTTP/1.1 200"),
                "round {round}: connection {i} of 16 got no answer in 10 s"
            );
        }
    }
}

/// `127.0.0.1:port` of a running server.
fn host(server: &gongkai::serve::Server) -> String {
    server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}
