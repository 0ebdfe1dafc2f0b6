//! The 索引号 ledger: numbers assigned by gongkai, committed with the site (SPEC §3.4).
//!
//! A document without 索引号 gets the next number of its unit and year from the template, and the
//! ledger records it so rebuilds give the same number (and so the same URL). A number is never
//! re-used or renumbered: entries are never deleted, and the next sequence number is one more
//! than any number ever seen. Renames keep their number: an entry whose file is gone is matched
//! to a new file with the same title and 发布日期.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
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

const HEADER: &str = "# gongkai 索引号 ledger: numbers assigned to documents that had none. Commit this file; never edit or delete lines.\nindex_no\tpath\ttitle\tpublished\n";

impl Ledger {
    /// Parses the TSV text; malformed lines are reported by number.
    pub fn parse(text: &str) -> Result<Ledger, (usize, String)> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() || line.starts_with("index_no\t") {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 4 || cols[0].is_empty() {
                return Err((
                    i + 1,
                    format!(
                        "应为 4 列（index_no, path, title, published，用制表符分隔），实际 {} 列",
                        cols.len()
                    ),
                ));
            }
            entries.push(Entry {
                index_no: cols[0].into(),
                path: cols[1].into(),
                title: cols[2].into(),
                published: cols[3].into(),
            });
        }
        Ok(Ledger { entries })
    }

    /// Reads the ledger at `path` (missing file = empty ledger).
    pub fn read(path: &Path) -> Result<Ledger, (usize, String)> {
        match std::fs::read_to_string(path) {
            Ok(t) => Ledger::parse(&t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ledger::default()),
            Err(e) => Err((0, e.to_string())),
        }
    }

    /// The file text.
    pub fn to_text(&self) -> String {
        let mut s = HEADER.to_string();
        for e in &self.entries {
            let clean = |v: &str| v.replace(['\t', '\n', '\r'], " ");
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                clean(&e.index_no),
                clean(&e.path),
                clean(&e.title),
                clean(&e.published)
            ));
        }
        s
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
