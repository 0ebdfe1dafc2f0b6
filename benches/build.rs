//! Build benchmark: `cargo bench --bench build -- [N …]` (default 1000 10000).
//!
//! Generates N synthetic documents shaped like the corpus (real corpus paragraphs, varied
//! metadata), then times a full `gongkai build` in this process and prints documents per second,
//! the time of each stage and peak memory (VmHWM, reset before the build). If Debian's `hugo` is
//! installed, it builds the same Markdown with a minimal Hugo layout for comparison. With two or
//! more sizes it prints how the full build grows from one to the next (time ratio, memory per
//! 10,000 documents); `BENCH_ROUNDS=N` builds each size N times and compares the medians. The site is generated and built under `TMPDIR` (`TMPDIR=/dev/shm` keeps a
//! disk's noise out of the times).

use std::path::Path;
use std::time::Instant;

use gongkai::pipeline::{self, BuildOptions};

fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn hugo_time(site: &Path, n: usize) -> Option<f64> {
    let which = std::process::Command::new("hugo")
        .arg("version")
        .output()
        .ok()?;
    if !which.status.success() {
        return None;
    }
    let h = site.with_extension("hugo");
    let _ = std::fs::remove_dir_all(&h);
    std::fs::create_dir_all(h.join("layouts/_default")).ok()?;
    std::fs::write(h.join("hugo.toml"), "baseURL = 'https://www.example.gov.cn/'\nlanguageCode = 'zh-CN'\ndisableKinds = ['taxonomy', 'term']\n[pagination]\npagerSize = 20\n").ok()?;
    std::fs::write(h.join("layouts/_default/baseof.html"), "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>").ok()?;
    std::fs::write(h.join("layouts/_default/single.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1><dl><dt>索引号</dt><dd>{{ .Params.index_no }}</dd><dt>发布机构</dt><dd>{{ .Params.issuer }}</dd></dl>{{ .Content }}{{ end }}").ok()?;
    std::fs::write(h.join("layouts/_default/list.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1><table>{{ range (.Paginate .RegularPagesRecursive).Pages }}<tr><td>{{ .Params.index_no }}</td><td><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></td><td>{{ .Date }}</td></tr>{{ end }}</table>{{ end }}").ok()?;
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(site.join("content"))
        .arg(&h)
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    let t = Instant::now();
    let out = std::process::Command::new("hugo")
        .arg("--quiet")
        .arg("-s")
        .arg(&h)
        .output()
        .ok()?;
    let secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        eprintln!(
            "hugo failed on {n} docs: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    Some(secs)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if args.is_empty() {
        vec![1000, 10_000]
    } else {
        args
    };
    let paragraphs =
        gongkai::synth::corpus_paragraphs(&gongkai::synth::default_corpus_dir(), 20_000)
            .expect("corpus paragraphs");
    println!(
        "gongkai build benchmark ({} corpus paragraphs, {} cores)",
        paragraphs.len(),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    // (documents, median full build seconds, highest peak MiB) of each size, for the growth
    // printed at the end.
    let mut full: Vec<(usize, f64, u64)> = Vec::new();
    for n in sizes {
        let tmp = tempfile::tempdir().expect("temp dir");
        let site = tmp.path().join("site");
        gongkai::synth::generate(&site, n, &paragraphs, 42).expect("generate");
        // The full build `BENCH_ROUNDS` times (default 1): the growth uses the median.
        let (mut times, mut peaks) = (Vec::new(), Vec::new());
        let runs = std::iter::once(("html+catalogues", true)).chain(std::iter::repeat_n(
            ("full (with search index)", false),
            rounds,
        ));
        for (label, skip_search) in runs {
            let mut opts = BuildOptions::new(&site);
            opts.today = Some("2026-01-01".parse().unwrap());
            opts.skip_search = skip_search;
            reset_peak();
            let t = Instant::now();
            let report = pipeline::build(&opts).expect("build");
            let secs = t.elapsed().as_secs_f64();
            let c = &report.compiled;
            assert!(
                report.written,
                "build failed: {:?}",
                c.diagnostics
                    .iter()
                    .filter(|d| d.severity == gongkai::diag::Severity::Error)
                    .take(3)
                    .collect::<Vec<_>>()
            );
            let peak = peak_rss_kib().unwrap_or(0) / 1024;
            if !skip_search {
                times.push(secs);
                peaks.push(peak);
            }
            let stages: Vec<String> = c
                .timings
                .iter()
                .map(|(s, d)| format!("{s} {:.0} ms", d.as_secs_f64() * 1000.0))
                .collect();
            let bytes: u64 = walkdir::WalkDir::new(&report.output)
                .into_iter()
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum();
            println!(
                "{n:>6} docs  {label:<24} {secs:>6.2} s  {:>7.0} docs/s  peak {:>5} MiB  {} files {:.1} MiB  [{}]",
                n as f64 / secs,
                peak,
                report.files,
                bytes as f64 / 1048576.0,
                stages.join(", ")
            );
        }
        times.sort_by(f64::total_cmp);
        full.push((
            n,
            times[times.len() / 2],
            peaks.into_iter().max().unwrap_or(0),
        ));
        match hugo_time(&site, n) {
            Some(s) => println!(
                "{n:>6} docs  hugo (same markdown)     {s:>6.2} s  {:>7.0} docs/s",
                n as f64 / s
            ),
            None => println!("{n:>6} docs  hugo: not installed (apt-get install hugo) — skipped"),
        }
    }
    // Linear growth is a ratio of times equal to the ratio of sizes, and a constant memory cost
    // per document.
    for pair in full.windows(2) {
        let ((n0, t0, m0), (n1, t1, m1)) = (pair[0], pair[1]);
        println!(
            "{n0:>6} → {n1} docs  full build (median of {rounds}): {:.2}× the time for {:.1}× the documents; peak {:+.0} MiB per 10,000 documents",
            t1 / t0,
            n1 as f64 / n0 as f64,
            (m1 as f64 - m0 as f64) * 10_000.0 / (n1 as f64 - n0 as f64)
        );
    }
}
