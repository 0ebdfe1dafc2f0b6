//! `redirects.csv` → rows: `old_url,new_url`, one per line, a header line optional. UTF-8 (with
//! or without BOM) or GBK, as Excel saves it on a Chinese Windows. Each bad row is an error
//! naming its line, in Chinese first; the other rows are kept.

use percent_encoding::percent_decode_str;

use super::FILE;
use crate::diag::{Code, Diagnostic};

/// One good row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    /// 1-based line.
    pub line: usize,
    /// Old path, decoded, slashes merged (as nginx's `$uri` and Apache's `REQUEST_URI`).
    pub path: String,
    /// Old query string, as written.
    pub query: Option<String>,
    /// Old host, when the row gave a full address.
    pub host: Option<String>,
    /// New address as written (trimmed).
    pub to: String,
}

const HEADERS: &[&str] = &["old_url", "old", "旧网址", "原网址", "旧地址"];

/// Parses the file's bytes.
pub(super) fn rows(bytes: &[u8]) -> (Vec<Row>, Vec<Diagnostic>) {
    let (text, _) = crate::import::catalogue::decode_csv(bytes);
    let mut out = Vec::new();
    let mut diags = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (i, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                let mut d =
                    Diagnostic::new(Code::E016, FILE, format!("第 {line} 行不是正确的 CSV：{e}"))
                        .help(
                        "每行写“旧网址,新网址”；网址中有英文逗号或引号时，用英文双引号把它括起来",
                    );
                if line > 0 {
                    d = d.at(line);
                }
                diags.push(d);
                continue;
            }
        };
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(i + 1);
        let cells: Vec<&str> = rec.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) || cells[0].starts_with('#') {
            continue;
        }
        if i == 0 && HEADERS.contains(&cells[0].to_ascii_lowercase().as_str()) {
            continue;
        }
        match row(&cells, line) {
            Ok(r) => out.push(r),
            Err((msg, help)) => {
                diags.push(Diagnostic::new(Code::E016, FILE, msg).at(line).help(help))
            }
        }
    }
    (out, diags)
}

type RowError = (String, String);

fn row(cells: &[&str], line: usize) -> Result<Row, RowError> {
    let filled: Vec<&str> = cells.iter().copied().filter(|c| !c.is_empty()).collect();
    if filled.len() != 2 || cells[0].is_empty() || cells[1].is_empty() {
        return Err((
            format!(
                "第 {line} 行应有两栏：旧网址和新网址，这一行有 {} 栏有内容 (expected old_url,new_url)",
                filled.len()
            ),
            "写成 http://旧网站/xxgk/t1.html,https://新网站/xxgk/13502/2022-00001.html".into(),
        ));
    }
    let (old, to) = (cells[0], cells[1]);
    let (host, path, query) = split_old(old).ok_or_else(|| {
        (
            format!("第 {line} 行的旧网址 “{old}” 不是以 http://、https:// 或 / 开头的网址 (the old address must be a URL or a path)"),
            "写出完整的旧网址（如 http://www.example.gov.cn/art/2019/1.html），或以 / 开头的路径".to_string(),
        )
    })?;
    let path = decode_path(&path).ok_or_else(|| {
        (
            format!("第 {line} 行的旧网址 “{old}” 含有无法解码的 %xx 序列，或含有 /./、/../ (the old path cannot be decoded)"),
            "按浏览器地址栏里显示的网址原样填写".to_string(),
        )
    })?;
    check_target(to).map_err(|why| {
        (
            format!("第 {line} 行的新网址 “{to}” {why}"),
            "写出完整的新网址（https://…），或以 / 开头的本站路径".to_string(),
        )
    })?;
    Ok(Row {
        line,
        path,
        query,
        host,
        to: to.to_string(),
    })
}

/// `http://host/a/b.html?id=3#x` → (Some(host), `/a/b.html`, Some(`id=3`)); `/a/` → (None, …).
fn split_old(old: &str) -> Option<(Option<String>, String, Option<String>)> {
    if old.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (host, rest) = if let Some(r) = old
        .strip_prefix("http://")
        .or_else(|| old.strip_prefix("https://"))
    {
        let cut = r.find(['/', '?', '#']).unwrap_or(r.len());
        let (h, rest) = r.split_at(cut);
        if h.is_empty() {
            return None;
        }
        let rest = if rest.starts_with('/') {
            rest.to_string()
        } else {
            format!("/{rest}")
        };
        (Some(h.to_ascii_lowercase()), rest)
    } else if old.starts_with('/') && !old.starts_with("//") {
        (None, old.to_string())
    } else {
        return None;
    };
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) if !q.is_empty() => (p.to_string(), Some(q.to_string())),
        Some((p, _)) => (p.to_string(), None),
        None => (rest.to_string(), None),
    };
    Some((host, path, query))
}

/// Percent-decodes a path as servers do before matching, merging repeated slashes; refuses
/// bytes that are not UTF-8 and dot segments (a server resolves them first, so the row could
/// never match).
fn decode_path(path: &str) -> Option<String> {
    let decoded = percent_decode_str(path).decode_utf8().ok()?.into_owned();
    let mut merged = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        if c == '/' && merged.ends_with('/') {
            continue;
        }
        if c.is_control() {
            return None;
        }
        merged.push(c);
    }
    let dots = merged.split('/').any(|s| s == "." || s == "..");
    (!dots).then_some(merged)
}

/// A new address is `http(s)://host/…` or a path starting with `/`, without characters a
/// `Location` header or the server configuration cannot carry.
fn check_target(to: &str) -> Result<(), String> {
    let ok_start = to
        .strip_prefix("https://")
        .or_else(|| to.strip_prefix("http://"))
        .map(|r| !r.is_empty() && !r.starts_with('/'))
        .unwrap_or(to.starts_with('/') && !to.starts_with("//"));
    if !ok_start {
        return Err("不是以 http://、https:// 或 / 开头的网址 (the new address must be an http(s) URL or a path)".into());
    }
    if let Some(c) = to
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\\' | '$' | '<' | '>'))
    {
        return Err(format!(
            "含有网址中不能出现的字符 “{}”（空格、引号、反斜杠、$ 等）(a character a redirect cannot carry)",
            c.escape_default()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_with_a_header_in_utf8_or_gbk() {
        let text = "old_url,new_url\nhttp://old.gov.cn/xxgk/t1.html?id=3#top,https://www.gov.cn/xxgk/13502/2022-00001.html\n/xxgk/ml/%E7%BB%BC%E5%90%88//a/,/xxgk/ml/ztfl/zhzw/\n";
        let (rows, d) = rows(text.as_bytes());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].path, "/xxgk/t1.html");
        assert_eq!(rows[0].query.as_deref(), Some("id=3"));
        assert_eq!(rows[0].host.as_deref(), Some("old.gov.cn"));
        assert_eq!(rows[1].path, "/xxgk/ml/综合/a/");
        let (gbk, _, _) = encoding_rs::GBK.encode("旧网址,新网址\n/旧/页面.html,/xxgk/\n");
        let (rows, d) = super::rows(&gbk);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(rows[0].path, "/旧/页面.html");
    }

    #[test]
    fn names_the_line_of_each_bad_row() {
        let text = "old_url,new_url\n/a.html\nftp://x/a,/b/\n/c.html,javascript:alert(1)\n/d.html,/e f/\n/%FF.html,/g/\n/ok.html,/xxgk/\n";
        let (rows, d) = rows(text.as_bytes());
        assert_eq!(rows.len(), 1);
        let lines: Vec<_> = d.iter().map(|d| d.line.unwrap()).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6]);
        assert!(d.iter().all(|d| d.rule == crate::diag::Code::E016));
        assert!(
            d[0].message.starts_with("第 2 行应有两栏"),
            "{}",
            d[0].message
        );
        assert!(
            d[2].message.contains("javascript:alert(1)"),
            "{}",
            d[2].message
        );
    }
}
