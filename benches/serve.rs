//! Serve benchmark: `cargo bench --bench serve -- [N]` (default 10000).
//!
//! Generates N synthetic documents, starts `serve` on a free loopback port, then edits one
//! document at a time and measures the time from the save to the updated page being served
//! over HTTP, the way an open tab sees it: the reload event arrives, then the page is fetched.
//! Prints each edit and the median and maximum. `-- N --engine` times the rebuild alone.

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use gongkai::pipeline::BuildOptions;
use gongkai::serve::{self, ServeOptions};

fn get(addr: &str, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The server's reload events, read line by line.
fn reload_events(addr: &str) -> std::io::BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).expect("connect for events");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {} HTTP/1.1\r\nHost: {addr}\r\n\r\n",
        gongkai::serve::http::EVENTS
    )
    .unwrap();
    let mut r = std::io::BufReader::new(s);
    // Up to the first comment (`: connected`): the stream is open from here on.
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 || line.starts_with(": connected") {
            return r;
        }
    }
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let paragraphs =
        gongkai::synth::corpus_paragraphs(&gongkai::synth::default_corpus_dir(), 20_000)
            .expect("corpus paragraphs");
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    gongkai::synth::generate(&site, n, &paragraphs, 42).expect("generate");
    let mut build = BuildOptions::new(site.canonicalize().unwrap());
    build.today = Some("2026-01-01".parse().unwrap());
    if std::env::args().any(|a| a == "--engine") {
        return engine_only(build, &site);
    }
    let t = Instant::now();
    let server = serve::start(ServeOptions {
        build,
        bind: "127.0.0.1".into(),
        port: 0,
        verbose: false,
        quiet: true,
    })
    .expect("serve");
    println!(
        "serve benchmark: {n} documents, initial build and serve in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let addr = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    // Let the first build's search index and watcher settle.
    std::thread::sleep(Duration::from_secs(2));
    let mut all: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("doc-"))
        .map(|e| e.into_path())
        .collect();
    all.sort();
    let docs: Vec<PathBuf> = all.into_iter().step_by((n / 10).max(1)).take(10).collect();
    let mut times = Vec::new();
    for (k, path) in docs.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let index_no = text
            .lines()
            .find_map(|l| l.strip_prefix("index_no: "))
            .unwrap_or("")
            .trim_matches('"')
            .to_string();
        let url = format!("/xxgk/{index_no}.html");
        let marker = format!("BENCH-EDIT-{k}-{}", std::process::id());
        let edited = format!("{text}\n{marker}\n");
        // Like an open tab: wait for the reload event, then fetch the page (again on the
        // next event if it was not this edit's).
        let mut events = reload_events(&addr);
        let start = Instant::now();
        std::fs::write(path, edited).unwrap();
        loop {
            let mut line = String::new();
            match events.read_line(&mut line) {
                Ok(0) | Err(_) => panic!("edit {k}: the event stream closed"),
                Ok(_) => {}
            }
            if line.starts_with("data: reload") && get(&addr, &url).contains(&marker) {
                break;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("edit {k} not served after 30 s");
            }
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        println!("  edit {k:>2}: {url:<32} served after {ms:>6.1} ms");
        times.push(ms);
        // Let the background outputs (search index) of this edit finish before the next one.
        std::thread::sleep(Duration::from_millis(
            std::env::var("BENCH_GAP_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(6000),
        ));
    }
    print_summary("save → updated page served", &mut times);
}

/// `--engine`: the rebuild alone, without the watcher, HTTP or background outputs: edits
/// documents in turn and times `Engine::content` (for profiling the incremental path).
fn engine_only(build: BuildOptions, site: &std::path::Path) {
    let mut engine = serve::Engine::new(build);
    let t = Instant::now();
    let first = engine.full();
    assert!(first.published, "initial build failed");
    println!("engine: initial build {:.2} s", t.elapsed().as_secs_f64());
    let docs: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("doc-"))
        .map(|e| e.into_path().strip_prefix(site).unwrap().to_path_buf())
        .collect();
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let mut times = Vec::new();
    for k in 0..rounds {
        let rel = &docs[(k * 997) % docs.len()];
        let path = site.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\nENGINE-EDIT-{k}\n")).unwrap();
        let t = Instant::now();
        let out = engine.content(std::slice::from_ref(rel));
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert!(out.published && out.rendered > 0, "edit {k} not published");
        times.push(ms);
    }
    print_summary("engine rebuild after one edit", &mut times);
}

/// Prints the median and maximum of `times` (milliseconds).
fn print_summary(what: &str, times: &mut [f64]) {
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{what}: median {:.1} ms, max {:.1} ms over {} edits",
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );
}
