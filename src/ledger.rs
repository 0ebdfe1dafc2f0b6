//! The 索引号 ledger: numbers assigned by gongkai, committed with the site (SPEC §3.4).
//!
//! A document without 索引号 gets the next number of its unit and year from the template, and the
//! ledger records it so rebuilds give the same number (and so the same URL). A number is never
//! re-used or renumbered: entries are never deleted, and the next sequence number is one more
//! than any number ever seen. Renames keep their number: an entry whose file is gone is matched
//! to a new file with the same title and 发布日期.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One assignment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// The number.
    pub index_no: String,
    /// Source file, relative to the root.
    pub path: String,
    /// Title when assigned (finds the file again after a rename).
    pub title: String,
    /// 发布日期 when assigned.
    pub published: String,
}

/// The ledger file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Entries in assignment order.
    pub entries: Vec<Entry>,
}

/// Why the ledger could not be read.
#[derive(Debug)]
pub enum LedgerError {
    /// The file exists but cannot be read.
    Io(std::io::Error),
    /// A line is not an entry.
    Format {
        /// 1-based line.
        line: usize,
        /// What is wrong (Chinese).
        message: String,
    },
}

impl std::fmt::Display for LedgerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LedgerError::Io(e) => {
                write!(f, "无法读取索引号台账：{} ({e})", crate::diag::io_reason(e))
            }
            LedgerError::Format { line, message } => {
                write!(f, "索引号台账第 {line} 行格式错误：{message}")
            }
        }
    }
}

const COMMENT: &str = "# gongkai 索引号 ledger: numbers assigned to documents that had none. Commit this file; never edit or delete lines.\n";
const COLUMNS: [&str; 4] = ["index_no", "path", "title", "published"];

impl Ledger {
    /// Parses the tab-separated text (the `csv` crate: a field holding a tab, a newline or a
    /// quote is quoted, so titles keep every character). Malformed lines are reported by number.
    pub fn parse(text: &str) -> Result<Ledger, LedgerError> {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .comment(Some(b'#'))
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut entries = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| LedgerError::Format {
                line: e.position().map(|p| p.line() as usize).unwrap_or(0),
                message: format!("无法解析（{e}）"),
            })?;
            let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
            if rec.iter().eq(COLUMNS) || rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            if rec.len() != 4 || rec[0].is_empty() {
                return Err(LedgerError::Format {
                    line,
                    message: format!(
                        "应为 4 列（index_no, path, title, published，用制表符分隔），实际 {} 列",
                        rec.len()
                    ),
                });
            }
            entries.push(Entry {
                index_no: rec[0].into(),
                path: rec[1].into(),
                title: rec[2].into(),
                published: rec[3].into(),
            });
        }
        Ok(Ledger { entries })
    }

    /// Reads the ledger at `path` (missing file = empty ledger).
    pub fn read(path: &Path) -> Result<Ledger, LedgerError> {
        match std::fs::read_to_string(path) {
            Ok(t) => Ledger::parse(&t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ledger::default()),
            Err(e) => Err(LedgerError::Io(e)),
        }
    }

    /// The file text.
    pub fn to_text(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b'\t')
            .has_headers(false)
            .from_writer(Vec::new());
        let mut row = |r: [&str; 4]| w.write_record(r).expect("writing to memory");
        row(COLUMNS);
        for e in &self.entries {
            row([&e.index_no, &e.path, &e.title, &e.published]);
        }
        let body = w.into_inner().expect("writing to memory");
        format!(
            "{COMMENT}{}",
            String::from_utf8(body).expect("UTF-8 in, UTF-8 out")
        )
    }

    /// Writes the ledger atomically (see [`write_text`]). Call with the [`LedgerLock`] held.
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        write_text(path, &self.to_text())
    }

    /// Finds the number for a document: by path, else by (title, published) among entries whose
    /// file no longer exists (a rename). Updates the entry's path after a rename.
    pub fn lookup(
        &mut self,
        path: &str,
        title: &str,
        published: &str,
        existing: &dyn Fn(&str) -> bool,
    ) -> Option<String> {
        if let Some(e) = self.entries.iter().find(|e| e.path == path) {
            return Some(e.index_no.clone());
        }
        let e = self
            .entries
            .iter_mut()
            .find(|e| e.title == title && e.published == published && !existing(&e.path))?;
        e.path = path.to_string();
        Some(e.index_no.clone())
    }

    /// Records a new assignment.
    pub fn record(&mut self, index_no: &str, path: &str, title: &str, published: &str) {
        self.entries.push(Entry {
            index_no: index_no.into(),
            path: path.into(),
            title: title.into(),
            published: published.into(),
        });
    }
}

/// Highest sequence per template key, over every number seen (ledger and front-matter).
pub fn max_sequences<'a>(
    numbers: impl Iterator<Item = &'a str>,
    template: &crate::meta::IndexNoTemplate,
    org_code: &str,
) -> BTreeMap<String, u64> {
    let mut max: BTreeMap<String, u64> = BTreeMap::new();
    for n in numbers {
        if let Some((key, seq)) = template.parse_seq(n, org_code) {
            let m = max.entry(key).or_insert(0);
            *m = (*m).max(seq);
        }
    }
    max
}

/// The next 索引号 for a document dated `date`, one past the highest sequence in `max` for its
/// template key; records it in `max` so the following call gets the one after.
pub fn next_number(
    template: &crate::meta::IndexNoTemplate,
    org_code: &str,
    date: chrono::NaiveDate,
    max: &mut BTreeMap<String, u64>,
) -> crate::meta::IndexNo {
    use chrono::Datelike;
    let probe = template.format(org_code, date.year(), date.month(), 0);
    let key = template
        .parse_seq(probe.as_str(), org_code)
        .map(|(k, _)| k)
        .unwrap_or_default();
    let next = max.get(&key).copied().unwrap_or(0) + 1;
    max.insert(key, next);
    template.format(org_code, date.year(), date.month(), next)
}

/// Where the ledger lives.
pub fn path(root: &Path, rel: &Path) -> PathBuf {
    root.join(rel)
}

/// Writes ledger text atomically: a temporary file beside it, flushed, then renamed over it, so
/// a reader (or a crash) never sees half a ledger. Call with the [`LedgerLock`] held.
pub fn write_text(path: &Path, text: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    let tmp = path.with_extension("tsv.tmp");
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("无法写入索引号台账 {}", path.display()))
}

/// The ledger's lock: every process that reads the ledger to assign numbers and then writes
/// it (`new`, `build`, each `serve` rebuild) holds it from the read to the write, so no number
/// is given twice and no reservation is lost. An OS file lock (`File::lock`): released when the
/// process ends, however it ends, so a killed process never leaves a stale lock.
pub struct LedgerLock {
    _file: std::fs::File,
}

impl LedgerLock {
    /// Waits for the lock of the ledger at `ledger` (the lock file sits beside it), telling the
    /// user once when another process holds it.
    pub fn acquire(ledger: &Path) -> anyhow::Result<LedgerLock> {
        use anyhow::Context as _;
        let path = lock_path(ledger);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("无法创建 {}", dir.display()))?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("无法创建索引号台账的锁文件 {}", path.display()))?;
        let start = Instant::now();
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(LedgerLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) => {
                    if !told && start.elapsed() > Duration::from_secs(1) {
                        eprintln!("等待其他 gongkai 进程（new、build 或 serve）释放索引号台账… (waiting for the ledger lock)");
                        told = true;
                    }
                    if start.elapsed() > Duration::from_secs(600) {
                        anyhow::bail!("索引号台账被其他 gongkai 进程占用超过 10 分钟（锁文件 {}）；确认没有卡住的构建后重试 (the ledger has been locked for 10 minutes)", path.display());
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("无法锁定索引号台账 {}", path.display()))
                }
            }
        }
    }
}

/// The lock file of a ledger: `gongkai-ledger.tsv.lock`.
pub fn lock_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    ledger.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_text() {
        let mut l = Ledger::default();
        l.record("13502/2022-00001", "content/a.md", "标题", "2022-06-10");
        assert_eq!(Ledger::parse(&l.to_text()).unwrap(), l);
    }

    #[test]
    fn keeps_tabs_quotes_and_newlines_in_titles() {
        let mut l = Ledger::default();
        l.record(
            "13502/2022-00001",
            "content/a b.md",
            "标题\t带制表符 \"引号\"\n换行",
            "2022-06-10",
        );
        l.record("13502/2022-00002", "content/b.md", "普通标题", "2022-06-11");
        let text = l.to_text();
        assert_eq!(Ledger::parse(&text).unwrap(), l);
        // Plain rows stay plain (the committed file's diff shows only new lines).
        assert!(
            text.ends_with("13502/2022-00002\tcontent/b.md\t普通标题\t2022-06-11\n"),
            "{text}"
        );
    }

    #[test]
    fn reads_the_earlier_plain_format_and_reports_bad_lines() {
        let text = "# comment\nindex_no\tpath\ttitle\tpublished\n13502/2022-00001\tcontent/a.md\t标题\t2022-06-10\nbroken line\n";
        match Ledger::parse(text) {
            Err(LedgerError::Format { line, message }) => {
                assert_eq!(line, 4);
                assert!(message.contains("4 列"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let ok = Ledger::parse(&text.replace("broken line\n", "")).unwrap();
        assert_eq!(ok.entries.len(), 1);
    }

    #[test]
    fn an_unreadable_ledger_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should be.
        std::fs::create_dir(dir.path().join("gongkai-ledger.tsv")).unwrap();
        let e = Ledger::read(&dir.path().join("gongkai-ledger.tsv")).unwrap_err();
        assert!(matches!(e, LedgerError::Io(_)), "{e:?}");
        assert!(e.to_string().starts_with("无法读取索引号台账"), "{e}");
    }

    #[test]
    fn finds_renamed_file_by_title_and_date() {
        let mut l = Ledger::default();
        l.record("13502/2022-00001", "content/old.md", "标题", "2022-06-10");
        let n = l.lookup("content/new.md", "标题", "2022-06-10", &|p| {
            p == "content/new.md"
        });
        assert_eq!(n.as_deref(), Some("13502/2022-00001"));
        assert_eq!(l.entries[0].path, "content/new.md");
    }

    #[test]
    fn does_not_steal_a_number_whose_file_exists() {
        let mut l = Ledger::default();
        l.record("13502/2022-00001", "content/a.md", "标题", "2022-06-10");
        assert_eq!(
            l.lookup("content/copy.md", "标题", "2022-06-10", &|_| true),
            None
        );
    }
}
