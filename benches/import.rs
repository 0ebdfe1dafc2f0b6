//! Import benchmark: `cargo bench --bench import -- [N]` (default 1000).
//!
//! Generates N Word 公文 (.docx) in the GB/T 9704 layout from real corpus documents (the
//! generator of the import tests, `tests/it/gongwen_docx.rs`), then times `gongkai import` of
//! all of them into a new site through the library: reading and extracting, reserving the 索引号
//! and writing, and the review. Prints documents per second and peak memory. Then imports one
//! .docx holding a 50 MB picture and prints the memory it took (the picture is streamed, never
//! held). Target (issue 13): 1,000 files in under 10 s.

#[path = "../tests/it/gongwen_docx.rs"]
mod gongwen_docx;

#[path = "../tests/it/gongwen_cases.rs"]
mod gongwen_cases;

use std::path::{Path, PathBuf};
use std::time::Instant;

use gongkai::import::batch::{self, Request};
use gongkai::import::header::Choices;

/// The corpus `docs/` folder (`GONGKAI_CORPUS` or `../shared/corpus`).
pub fn corpus_dir() -> PathBuf {
    let p = std::env::var_os("GONGKAI_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    if p.join("docs").is_dir() {
        p.join("docs")
    } else {
        p
    }
}

fn status_kib(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn site(dir: &Path) {
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(
        dir.join("gongkai.toml"),
        "site_name = \"导入基准\"\nbase_url = \"https://www.example.gov.cn/\"\n\n[organisation]\nname = \"市政府办公室\"\ncode = \"13502\"\n",
    )
    .unwrap();
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    if !corpus_dir().is_dir() {
        eprintln!(
            "corpus not found at {} (set GONGKAI_CORPUS)",
            corpus_dir().display()
        );
        std::process::exit(2);
    }
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("docx");
    let t = Instant::now();
    let cases = gongwen_cases::sample(usize::MAX);
    let mut requests = Vec::with_capacity(n);
    let mut bytes_total = 0u64;
    for k in 0..n {
        let c = &cases[k % cases.len()];
        let dir = src.join(format!("{k:04}"));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, b) in &c.beside {
            std::fs::write(dir.join(name), b).unwrap();
        }
        let docx = dir.join(format!("{}-{k:04}.docx", c.name));
        let b = c.gongwen.to_docx();
        bytes_total += b.len() as u64;
        std::fs::write(&docx, b).unwrap();
        requests.push(Request { docx, rel: None });
    }
    println!(
        "generated {n} .docx from {} corpus cases ({:.1} MB) in {:.2} s",
        cases.len(),
        bytes_total as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    drop(cases);

    let root = work.path().join("site");
    site(&root);
    let cfg = gongkai::load::config(&root).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    reset_peak();
    let rss0 = status_kib("VmRSS:").unwrap_or(0);
    let t = Instant::now();
    let (placed, errors) = batch::place(&root, Some(Path::new("导入")), &requests, today);
    let read = t.elapsed();
    assert!(errors.is_empty(), "{errors:?}");
    let t1 = Instant::now();
    let (written, errors) =
        batch::write_all(&root, &cfg, placed, &Choices::default(), today).unwrap();
    let write = t1.elapsed();
    assert!(errors.is_empty(), "{errors:?}");
    let t2 = Instant::now();
    let rels: Vec<PathBuf> = written.iter().map(|w| w.rel.clone()).collect();
    let diags = batch::review(&root, &rels, today).unwrap();
    let review = t2.elapsed();
    let total = t.elapsed();
    println!(
        "import of {} files: {:.2} s ({:.0} files/s) — read and extract {:.2} s, reserve 索引号 and write {:.2} s, review {:.2} s ({} findings); peak memory {:.0} MiB (RSS before {:.0} MiB)",
        written.len(),
        total.as_secs_f64(),
        written.len() as f64 / total.as_secs_f64(),
        read.as_secs_f64(),
        write.as_secs_f64(),
        review.as_secs_f64(),
        diags.len(),
        status_kib("VmHWM:").unwrap_or(0) as f64 / 1024.0,
        rss0 as f64 / 1024.0,
    );

    // One document with a 50 MB picture: memory stays flat.
    let doc = gongwen_cases::read_corpus(&corpus_dir().join("govcn-0003.md")).unwrap();
    let mut c = gongwen_cases::case(&doc, 0).unwrap();
    c.gongwen.body.insert(
        1,
        gongwen_docx::Part::Image {
            size: 50 << 20,
            alt: "大图".into(),
        },
    );
    let big = work.path().join("big");
    std::fs::create_dir_all(&big).unwrap();
    let docx = big.join("大图.docx");
    std::fs::write(&docx, c.gongwen.to_docx()).unwrap();
    reset_peak();
    let rss0 = status_kib("VmRSS:").unwrap_or(0);
    let t = Instant::now();
    let req = [Request { docx, rel: None }];
    let (placed, errors) = batch::place(&root, Some(Path::new("大图")), &req, today);
    assert!(errors.is_empty(), "{errors:?}");
    let (written, _) = batch::write_all(&root, &cfg, placed, &Choices::default(), today).unwrap();
    let peak = status_kib("VmHWM:").unwrap_or(0);
    println!(
        "import of a .docx with a 50 MB picture: {:.2} s, peak memory {:.0} MiB (RSS before {:.0} MiB, +{:.1} MiB); picture copied as {}",
        t.elapsed().as_secs_f64(),
        peak as f64 / 1024.0,
        rss0 as f64 / 1024.0,
        peak.saturating_sub(rss0) as f64 / 1024.0,
        written[0].imported.attachments[0].0
    );
}
