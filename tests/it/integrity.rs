//! Publishing integrity (issue 11): whatever happened to `public/` before — a killed build, a
//! hand edit, leftovers — a build writes exactly what a clean build writes, the site is never
//! missing, and nothing but a folder gongkai wrote is ever replaced.

use std::path::Path;
use std::process::Command;

use crate::harness::{self, errors, fixture, fixtures_dir, tree, Site};

/// Three documents, one with an attachment.
fn small_site() -> Site {
    fixture("small")
}

/// The tree a clean build of `s` writes (into a folder of its own).
fn clean_tree(s: &Site) -> Vec<(String, Vec<u8>)> {
    let mut o = s.options();
    let out = s.root().join("clean-build");
    let _ = std::fs::remove_dir_all(&out);
    o.output = Some(out.clone());
    assert!(gongkai::pipeline::build(&o).unwrap().written);
    let t = tree(&out);
    std::fs::remove_dir_all(&out).unwrap();
    t
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect()
}

/// Pages edited, truncated, deleted or added by hand in `public/`, and a dead build's staging
/// folder: the next build repairs all of it (item 4) and removes the leftover (item 6).
#[test]
fn a_build_after_tampering_and_a_killed_build_writes_what_a_clean_build_writes() {
    let s = small_site();
    assert!(s.build().written);
    let p = s.public();
    // Hand edits, in place (same inode, as an editor's "fix on the server" would be).
    std::fs::write(p.join("xxgk/13502/2024-00001.html"), "<p>手工改过</p>").unwrap();
    let idx = std::fs::OpenOptions::new()
        .write(true)
        .open(p.join("index.html"))
        .unwrap();
    idx.set_len(10).unwrap();
    drop(idx);
    std::fs::remove_file(p.join("fj.csv")).unwrap();
    std::fs::write(p.join("stray.html"), "不该存在").unwrap();
    // Same size, other bytes: a check by size alone is not enough.
    let feed = p.join("atom.xml");
    let mut bytes = std::fs::read(&feed).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    std::fs::write(&feed, bytes).unwrap();
    // A killed build's staging folder (its process is gone) and an old-format manifest.
    let dead = s.root().join(".public.staging-4194305");
    std::fs::create_dir_all(dead.join("xxgk")).unwrap();
    std::fs::write(dead.join("xxgk/x.html"), "半截").unwrap();
    std::fs::write(s.root().join(".public.manifest"), "0\tindex.html\n").unwrap();

    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    assert_eq!(tree(&p), clean_tree(&s), "public/ equals a clean build");
    assert_eq!(leftovers(s.root()), Vec::<String>::new());
}

/// A staging folder whose build is still running is left alone.
#[test]
fn a_running_builds_staging_folder_is_left_alone() {
    let s = small_site();
    // PID 1 always exists.
    let live = s.root().join(".public.staging-1");
    std::fs::create_dir_all(&live).unwrap();
    assert!(s.build().written);
    assert!(live.is_dir());
}

/// `--output` naming a regular file is refused and the file kept (item 7).
#[test]
fn an_output_that_is_a_file_is_refused_and_kept() {
    let s = small_site();
    let file = s.root().join("notes.txt");
    std::fs::write(&file, "重要记录").unwrap();
    let mut o = s.options();
    o.output = Some(file.clone());
    let e = gongkai::pipeline::build(&o).err().expect("refused");
    let msg = format!("{e:#}");
    assert!(msg.contains("不是目录"), "{msg}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "重要记录");
}

/// A reader polling the site while it is rebuilt never finds it missing (item 5).
#[test]
fn the_site_is_never_missing_while_it_is_replaced() {
    let s = small_site();
    assert!(s.build().written);
    let p = s.public();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poller = {
        let (p, stop) = (p.clone(), stop.clone());
        std::thread::spawn(move || {
            let (mut looks, mut missing) = (0u64, 0u64);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                looks += 1;
                if !p.join("index.html").is_file() {
                    missing += 1;
                }
            }
            (looks, missing)
        })
    };
    let a = s.text("content/a.md");
    for i in 0..6 {
        s.file("a.md", &a.replace("正文甲", &format!("正文甲第{i}版")));
        assert!(s.build().written);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (looks, missing) = poller.join().unwrap();
    assert!(looks > 1000, "the poller ran ({looks} looks)");
    assert_eq!(
        missing, 0,
        "public/index.html was missing {missing} of {looks} times"
    );
}

/// `gongkai build` killed (SIGKILL) at many moments while the content changes: after every
/// kill `public/` is a whole site, and the next build equals a clean build.
#[test]
fn killing_builds_at_any_moment_leaves_a_whole_site_and_a_clean_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    harness::copy_sample_site(&root);
    let bin = env!("CARGO_BIN_EXE_gongkai");
    let build = || {
        Command::new(bin)
            .args(["build", "-q", "--today", harness::TODAY, "--root"])
            .arg(&root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    assert!(build().wait().unwrap().success());
    let seed = root.join("content/2022/chengde-2022-zwgk-gongzuo-yaodian.md");
    let original = std::fs::read_to_string(&seed).unwrap();
    // Measure one build, then kill at fractions of it.
    let t = std::time::Instant::now();
    assert!(build().wait().unwrap().success());
    let full = t.elapsed();
    for (i, frac) in [0.05, 0.2, 0.4, 0.6, 0.75, 0.85, 0.92, 0.97, 1.0]
        .iter()
        .enumerate()
    {
        std::fs::write(&seed, format!("{original}\n第{i}次修改的正文。\n")).unwrap();
        let mut child = build();
        std::thread::sleep(full.mul_f64(*frac));
        let _ = child.kill();
        let _ = child.wait();
        let p = root.join("public");
        assert!(
            p.join("index.html").is_file(),
            "kill {i}: a whole site is there"
        );
        assert!(p.join(gongkai::write::MARKER).is_file(), "kill {i}");
        assert!(p.join("search/index/manifest.json").is_file(), "kill {i}");
    }
    let out = Command::new(bin)
        .args(["build", "-q", "--today", harness::TODAY, "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let clean = root.join("clean");
    let out = Command::new(bin)
        .args(["build", "-q", "--today", harness::TODAY, "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&clean)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        tree(&root.join("public")) == tree(&clean),
        "the rebuilt site equals a clean build"
    );
}

/// Twenty `gongkai new` at once while `build` runs again and again and `serve` rebuilds, each
/// build numbering a new document: every reservation is kept, no number is given twice, and
/// the ledger stays readable (issue 11 item 8, issue 17 item 2).
#[test]
fn new_build_and_serve_at_once_give_distinct_numbers_and_an_intact_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    harness::copy_sample_site(&root);
    let root = root.canonicalize().unwrap();
    let bin = env!("CARGO_BIN_EXE_gongkai");
    // A document without 索引号: each build below assigns one and writes the ledger.
    let unnumbered = std::fs::read_to_string(fixtures_dir().join("small/content/a.md"))
        .unwrap()
        .replace("index_no: \"13502/2024-00001\"\n", "");
    assert!(!unnumbered.contains("index_no"));
    let mut opts = gongkai::pipeline::BuildOptions::new(&root);
    opts.today = Some(harness::TODAY.parse().unwrap());
    let server = gongkai::serve::start(gongkai::serve::ServeOptions {
        build: opts,
        bind: "127.0.0.1".into(),
        port: 0,
        verbose: false,
        quiet: true,
    })
    .expect("serve starts");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let builder = {
        let (root, stop) = (root.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut builds = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let doc = unnumbered.replace("甲文件", &format!("自动编号文件{builds}"));
                std::fs::write(root.join(format!("content/auto-{builds}.md")), doc).unwrap();
                let out = Command::new(bin)
                    .args(["build", "-q", "--today", harness::TODAY, "--root"])
                    .arg(&root)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                builds += 1;
            }
            builds
        })
    };
    let news: Vec<std::process::Child> = (0..20)
        .map(|i| {
            Command::new(bin)
                .args(["new", "--today", harness::TODAY, "--title"])
                .arg(format!("新文件{i}"))
                .arg("--root")
                .arg(&root)
                .arg(format!("new/n{i}.md"))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in news {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let builds = builder.join().unwrap();
    assert!(builds >= 1);
    drop(server);

    let ledger = gongkai::ledger::Ledger::read(&root.join("gongkai-ledger.tsv")).expect("intact");
    let mut numbers: Vec<&str> = ledger.entries.iter().map(|e| e.index_no.as_str()).collect();
    numbers.sort();
    let before = numbers.len();
    numbers.dedup();
    assert_eq!(numbers.len(), before, "no number twice: {numbers:?}");
    for i in 0..20 {
        let rel = format!("content/new/n{i}.md");
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        let entry = ledger
            .entries
            .iter()
            .find(|e| e.path == rel)
            .unwrap_or_else(|| panic!("the reservation of {rel} was lost"));
        assert!(
            text.contains(&format!("index_no: \"{}\"", entry.index_no)),
            "{rel} has its reserved number {}",
            entry.index_no
        );
    }
    for b in 0..builds {
        let rel = format!("content/auto-{b}.md");
        assert!(
            ledger.entries.iter().any(|e| e.path == rel),
            "{rel} numbered"
        );
    }
}

/// Ten `gongkai new` of the same path at once: one file, one number; the others are refused
/// and reserve nothing. An existing file is never overwritten.
#[test]
fn new_of_one_path_at_once_makes_one_file_and_one_number() {
    let s = small_site();
    let bin = env!("CARGO_BIN_EXE_gongkai");
    let run = |title: String| {
        Command::new(bin)
            .args([
                "new",
                "--today",
                harness::TODAY,
                "--title",
                &title,
                "--root",
            ])
            .arg(s.root())
            .arg("same.md")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let children: Vec<_> = (0..10).map(|i| run(format!("同名文件{i}"))).collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    assert_eq!(outs.iter().filter(|o| o.status.success()).count(), 1);
    for o in outs.iter().filter(|o| !o.status.success()) {
        assert!(String::from_utf8_lossy(&o.stderr).contains("已存在"));
    }
    let ledger = gongkai::ledger::Ledger::read(&s.root().join("gongkai-ledger.tsv")).unwrap();
    let mine: Vec<_> = ledger
        .entries
        .iter()
        .filter(|e| e.path == "content/same.md")
        .collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    let text = std::fs::read_to_string(s.root().join("content/same.md")).unwrap();
    assert!(text.contains(&format!("index_no: \"{}\"", mine[0].index_no)));
    assert!(text.contains(&format!("title: \"{}\"", mine[0].title)));
    // An existing file: refused, untouched, nothing reserved.
    std::fs::write(s.root().join("content/mine.md"), "我的草稿").unwrap();
    let out = Command::new(bin)
        .args(["new", "--root"])
        .arg(s.root())
        .arg("mine.md")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(
        std::fs::read_to_string(s.root().join("content/mine.md")).unwrap(),
        "我的草稿"
    );
    let after = gongkai::ledger::Ledger::read(&s.root().join("gongkai-ledger.tsv")).unwrap();
    assert_eq!(after.entries.len(), ledger.entries.len());
}

/// A build holds no body after its checks: pages and the search index read each body again.
/// A file saved between the checks and the page (an editor working while a build runs) fails
/// the build, naming the file, instead of publishing text the checks never saw.
#[test]
fn a_document_changed_after_its_checks_fails_the_build() {
    let s = small_site();
    let snapshot = gongkai::load::load(s.root());
    // Unchanged: the page is made from the file read again, with its text.
    let c = gongkai::pipeline::compile_snapshot(
        &s.options(),
        &snapshot,
        gongkai::pipeline::Mode::Whole(None),
    );
    assert!(
        !c.diagnostics
            .iter()
            .any(|d| d.severity == gongkai::diag::Severity::Error),
        "{:?}",
        c.diagnostics
    );
    let body = snapshot
        .loaded()
        .sources
        .iter()
        .find(|src| src.path.ends_with("a.md"))
        .map(|src| {
            src.body
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap()
                .to_owned()
        })
        .unwrap();
    let page = c
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .find(|f| String::from_utf8_lossy(&f.bytes).contains(&*body));
    assert!(page.is_some(), "no page shows the body line {body:?}");

    // Saved after load: refused at the file, in Chinese first.
    let text = s.text("content/a.md");
    s.file("a.md", &format!("{text}\n补充的一段话。\n"));
    let c = gongkai::pipeline::compile_snapshot(
        &s.options(),
        &snapshot,
        gongkai::pipeline::Mode::Whole(None),
    );
    let e: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == gongkai::diag::Severity::Error)
        .collect();
    assert!(
        !e.is_empty(),
        "a changed body was published: {:?}",
        c.diagnostics
            .iter()
            .map(|d| (d.rule, d.file.clone(), d.message.clone()))
            .collect::<Vec<_>>()
    );
    assert!(
        e.iter().all(|d| d.rule == gongkai::diag::Code::E001
            && d.file.ends_with("content/a.md")
            && d.message.starts_with("文件在生成网站的过程中被修改")),
        "{e:?}"
    );

    // Deleted after load: the same.
    std::fs::remove_file(s.root().join("content/a.md")).unwrap();
    let c = gongkai::pipeline::compile_snapshot(
        &s.options(),
        &snapshot,
        gongkai::pipeline::Mode::Whole(None),
    );
    assert!(c
        .diagnostics
        .iter()
        .any(|d| d.rule == gongkai::diag::Code::E001 && d.file.ends_with("content/a.md")));
}
