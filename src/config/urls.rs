//! `[urls]` in `gongkai.toml`: where document pages live and the short ASCII codes of the
//! catalogue's URLs (issue 16 item 4).
//!
//! Chinese path segments (`/ml/主题分类/综合政务/`) turn into long `%E4…` strings when a link is
//! pasted into WeChat or a document, so every catalogue segment is an ASCII code: a configured
//! one, or a built-in default (`site::slugs`). This module only reads and checks the settings;
//! the site model assigns the codes.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::meta::IndexNo;

/// The folder document pages used before issue 16, and still the default.
pub const LEGACY_DOCUMENTS: &str = "xxgk";

/// `[urls]` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUrls {
    #[serde(default)]
    documents: Option<String>,
    #[serde(default)]
    legacy_redirects: Option<bool>,
    #[serde(default)]
    redirect_pages: Option<bool>,
    #[serde(default)]
    codes: BTreeMap<String, String>,
}

/// URL settings in force.
#[derive(Debug, Clone)]
pub struct UrlSettings {
    /// Folder of document pages under the column, without slashes (`xxgk`), or empty: pages
    /// directly under the column. Default `xxgk`, or empty when the column itself is at
    /// `…/xxgk/`, so that addresses never read `/xxgk/xxgk/…`.
    pub documents: String,
    /// Redirect the addresses earlier versions of gongkai gave catalogue pages (Chinese
    /// segments) and documents (`xxgk/` under a column at `/xxgk/`) to the current ones.
    pub legacy_redirects: bool,
    /// Write a small page at each old address inside the site that sends the browser on to the
    /// new one (for web servers without the redirect map).
    pub redirect_pages: bool,
    /// Configured URL codes: a column title, a facet name or a facet value → its code.
    pub codes: BTreeMap<String, String>,
    /// True when `documents` was written in `gongkai.toml` (else it follows the base path).
    documents_configured: bool,
}

impl Default for UrlSettings {
    fn default() -> Self {
        UrlSettings {
            documents: LEGACY_DOCUMENTS.into(),
            legacy_redirects: true,
            redirect_pages: true,
            codes: BTreeMap::new(),
            documents_configured: false,
        }
    }
}

impl UrlSettings {
    /// Follows a new base path (`--base-url`): the default document folder depends on it.
    pub fn rebase(&mut self, base_path: &str) {
        if !self.documents_configured {
            self.documents = default_documents(base_path);
        }
    }
    /// The page of the document numbered `no`, relative to the site root:
    /// `13502/2022-26273` → `xxgk/13502/2022-26273.html` (or `13502/2022-26273.html`).
    pub fn page_path(&self, no: &IndexNo) -> String {
        relocate(no.page_path(), &self.documents)
    }
    /// The page path an earlier version gave the document, when it differs from today's.
    pub fn legacy_page_path<'a>(&self, no: &'a IndexNo) -> Option<&'a str> {
        (self.documents != LEGACY_DOCUMENTS).then(|| no.page_path())
    }
}

/// Moves a page path under [`LEGACY_DOCUMENTS`] into the folder `dir`.
fn relocate(legacy: &str, dir: &str) -> String {
    let rest = legacy
        .strip_prefix(LEGACY_DOCUMENTS)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(legacy);
    if dir.is_empty() {
        rest.to_string()
    } else {
        format!("{dir}/{rest}")
    }
}

/// `xxgk`, or nothing when the column itself is at `…/xxgk/`.
fn default_documents(base_path: &str) -> String {
    let last_segment = base_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    if last_segment == LEGACY_DOCUMENTS {
        String::new()
    } else {
        LEGACY_DOCUMENTS.into()
    }
}

/// A URL code is lower-case ASCII letters, digits and `-`, at most 40 characters, and not a
/// name the site uses itself (`page/` holds the pages of a list).
pub fn check_code(code: &str) -> Result<(), String> {
    let ok = !code.is_empty()
        && code.len() <= 40
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !code.starts_with('-');
    if !ok {
        return Err(format!(
            "网址代码 “{code}” 只能由小写英文字母、数字和“-”组成（不以“-”开头，最多 40 个字符），例如 \"szfbgs\" (a URL code is lower-case letters, digits and -)"
        ));
    }
    if code == "page" {
        return Err("网址代码不能是 “page”：它是目录翻页用的文件夹名 (\"page\" is reserved for the pages of a list)".into());
    }
    Ok(())
}

/// Reads `[urls]`. `base_path` is the column's path (`/xxgk/`). Errors are (key, message).
pub(super) fn parse(raw: RawUrls, base_path: &str) -> (UrlSettings, Vec<(String, String)>) {
    let mut errors = Vec::new();
    let documents_configured = raw.documents.is_some();
    let documents = match raw.documents {
        Some(d) => {
            let d = d.trim().trim_matches('/').to_string();
            let valid = d.split('/').all(|s| {
                !s.is_empty()
                    && s != "."
                    && s != ".."
                    && s.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                    })
            });
            if d.is_empty() || valid {
                d
            } else {
                errors.push((
                    "documents".to_string(),
                    format!("[urls] documents “{d}” 应为文件页面所在的文件夹名，只用小写英文字母、数字、“-”和“_”，例如 \"xxgk\"；写 \"\" 表示直接放在栏目下 (a folder name of lower-case ASCII letters, digits, - and _)"),
                ));
                LEGACY_DOCUMENTS.into()
            }
        }
        None => default_documents(base_path),
    };
    for (name, code) in &raw.codes {
        if let Err(e) = check_code(code) {
            errors.push((name.clone(), format!("[urls.codes] “{name}”：{e}")));
        }
    }
    let settings = UrlSettings {
        documents,
        legacy_redirects: raw.legacy_redirects.unwrap_or(true),
        redirect_pages: raw.redirect_pages.unwrap_or(true),
        codes: raw.codes,
        documents_configured,
    };
    (settings, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(documents: Option<&str>) -> RawUrls {
        RawUrls {
            documents: documents.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn a_column_at_xxgk_does_not_double_the_folder() {
        let no = IndexNo::new("13502/2022-26273").unwrap();
        let (u, e) = parse(raw(None), "/xxgk/");
        assert!(e.is_empty());
        assert_eq!(u.page_path(&no), "13502/2022-26273.html");
        assert_eq!(u.legacy_page_path(&no), Some("xxgk/13502/2022-26273.html"));
        let (mut u, _) = parse(raw(None), "/zwgk/");
        assert_eq!(u.page_path(&no), "xxgk/13502/2022-26273.html");
        assert_eq!(u.legacy_page_path(&no), None);
        u.rebase("/xxgk/");
        assert_eq!(u.page_path(&no), "13502/2022-26273.html");
        let (u, _) = parse(raw(Some("wj")), "/xxgk/");
        assert_eq!(u.page_path(&no), "wj/13502/2022-26273.html");
        let (u, _) = parse(raw(Some("")), "/");
        assert_eq!(u.page_path(&no), "13502/2022-26273.html");
    }

    #[test]
    fn rejects_bad_folders_and_codes() {
        let (_, e) = parse(raw(Some("文件")), "/");
        assert_eq!(e[0].0, "documents");
        assert!(e[0].1.starts_with("[urls] documents “文件”"), "{}", e[0].1);
        let mut r = raw(None);
        r.codes.insert("市政府办公室".into(), "Bgs".into());
        r.codes.insert("市财政局".into(), "page".into());
        r.codes.insert("市统计局".into(), "tjj".into());
        let (_, e) = parse(r, "/");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(check_code("szfbgs").is_ok());
        assert!(check_code("-a").is_err());
        assert!(check_code(&"a".repeat(41)).is_err());
    }
}
