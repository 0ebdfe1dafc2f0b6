//! `redirects.csv` (old address → new page), so no link the public already has breaks. `gongkai
//! build` reads it and writes what the web server needs ([`crate::redirects`]).

use std::collections::BTreeMap;
use std::path::Path;

/// The file that maps old addresses to new ones, at the site root.
pub const REDIRECTS: &str = "redirects.csv";

/// Adds old → new pairs to `redirects.csv` (kept sorted, one row per old URL; a later import
/// of the same old URL replaces its target), written atomically.
pub fn merge_redirects(path: &Path, new: &[(String, String)]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    if new.is_empty() {
        return Ok(());
    }
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    if let Ok(text) = std::fs::read_to_string(path) {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        for rec in rdr.records().flatten() {
            if rec.len() >= 2 {
                map.insert(rec[0].to_string(), rec[1].to_string());
            }
        }
    }
    for (o, n) in new {
        map.insert(o.clone(), n.clone());
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["old_url", "new_url"])?;
    for (o, n) in &map {
        w.write_record([o, n])?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    let write = |p: &Path, bytes: &[u8]| -> anyhow::Result<()> {
        let tmp = p.with_extension("tmp");
        std::fs::write(&tmp, bytes).with_context(|| format!("无法写入 {}", tmp.display()))?;
        std::fs::rename(&tmp, p).with_context(|| format!("无法写入 {}", p.display()))
    };
    write(path, &bytes)
}
