//! Progress of a long build: a bar on a terminal, plain lines in logs, nothing with `--quiet`.
//!
//! The pipeline calls [`Progress`] at stage boundaries and per rendered or written file; it does
//! not know how (or whether) progress is shown.

use std::sync::Arc;
use std::time::Duration;

/// Receives progress events. Every method has a do-nothing default.
pub trait Progress: Send + Sync {
    /// A stage starts; `total` is the number of steps it will report (0: unknown).
    fn start(&self, _stage: &'static str, _total: u64) {}
    /// `n` steps of the current stage are done.
    fn advance(&self, _n: u64) {}
    /// The stage ended after `took`.
    fn finish(&self, _stage: &'static str, _took: Duration) {}
}

/// A shareable progress receiver (the default shows nothing).
#[derive(Clone)]
pub struct Reporter(pub Arc<dyn Progress>);

impl Default for Reporter {
    fn default() -> Self {
        Reporter(Arc::new(Silent))
    }
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reporter")
    }
}

/// Shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// The label of a stage, for people.
pub fn label(stage: &str) -> &'static str {
    match stage {
        "load" => "读取 load",
        "validate" => "校验与审查 validate",
        "site" => "栏目与目录 site",
        "render" => "生成页面 render",
        "search" => "检索索引 search index",
        "write" => "写入 write",
        _ => "",
    }
}

/// One line per finished stage (for logs and `--verbose` without a terminal).
pub struct Lines;

impl Progress for Lines {
    fn finish(&self, stage: &'static str, took: Duration) {
        eprintln!(
            "  {:<24} {:>7.0} ms{}",
            label(stage),
            took.as_secs_f64() * 1000.0,
            memory().map_or(String::new(), |(now, peak)| format!(
                "   内存 memory {now} MiB（峰值 peak {peak} MiB）"
            ))
        );
    }
}

/// The process's resident memory now and at its peak so far, in MiB (Linux only): where a
/// large site's memory goes, stage by stage (`-v`).
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse::<u64>()
            .ok()
    };
    Some((kib("VmRSS:")? / 1024, kib("VmHWM:")? / 1024))
}

/// A progress bar on the terminal.
pub struct Bar {
    bar: indicatif::ProgressBar,
}

impl Bar {
    /// A bar drawn on stderr.
    pub fn new() -> Bar {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg:<24} [{bar:30}] {pos}/{len} {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Bar { bar }
    }
}

impl Default for Bar {
    fn default() -> Self {
        Bar::new()
    }
}

impl Progress for Bar {
    fn start(&self, stage: &'static str, total: u64) {
        self.bar.reset();
        self.bar.set_length(total.max(1));
        self.bar.set_position(0);
        self.bar.set_message(label(stage));
        self.bar.enable_steady_tick(Duration::from_millis(120));
    }
    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
    fn finish(&self, stage: &'static str, took: Duration) {
        self.bar.set_position(self.bar.length().unwrap_or(0));
        self.bar.println(format!(
            "  {:<24} {:>7.0} ms",
            label(stage),
            took.as_secs_f64() * 1000.0
        ));
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
