//! `redirects.csv` (old address → new page) and the nginx `map` made from it, so no link the
//! public already has breaks.

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
    write(path, &bytes)?;
    write(&path.with_file_name(NGINX_MAP), nginx_map(&map).as_bytes())
}

/// The nginx `map` beside `redirects.csv`, for the server that answers the old addresses.
pub const NGINX_MAP: &str = "redirects.map";

/// `redirects.csv` as the body of an nginx `map $request_uri $gongkai_redirect { … }`: the old
/// address's path and query → the new address. Quoted, so spaces and `;` are safe.
pub fn nginx_map(map: &BTreeMap<String, String>) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = String::from(
        "# gongkai import: old address → new page. In nginx:\n#   map $request_uri $gongkai_redirect { include redirects.map; }\n#   if ($gongkai_redirect) { return 301 $gongkai_redirect; }\n",
    );
    for (old, new) in map {
        let path = match old.split_once("://") {
            Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
            None => old.as_str(),
        };
        out.push_str(&format!("{} {};\n", quote(path), quote(new)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn the_nginx_map_keys_old_paths() {
        let mut m = BTreeMap::new();
        m.insert(
            "http://old.gov.cn/xxgk/t1.html?id=3".to_string(),
            "https://www.gov.cn/xxgk/13502/2022-00001.html".to_string(),
        );
        m.insert(
            "http://old.gov.cn/a b\"c.html".to_string(),
            "https://n/x.html".to_string(),
        );
        let t = nginx_map(&m);
        assert!(
            t.contains(
                "\"/xxgk/t1.html?id=3\" \"https://www.gov.cn/xxgk/13502/2022-00001.html\";\n"
            ),
            "{t}"
        );
        assert!(
            t.contains("\"/a b\\\"c.html\" \"https://n/x.html\";"),
            "{t}"
        );
    }
}
