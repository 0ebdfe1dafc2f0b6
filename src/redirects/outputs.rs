//! The redirect list → what the web server needs, in the built site:
//!
//! - `gongkai-redirects/nginx.conf`: two `map` blocks for nginx's `http { }`. Rows without a
//!   query are keyed by `$uri` (decoded and normalised, so `%E7%BB%BC` and `综` match alike, and
//!   the `?from=singlemessage` WeChat adds to shared links does not matter); rows with a query
//!   by `$request_uri` as the old CMS wrote them. `deploy/nginx-xxgk.conf` answers 301.
//! - `gongkai-redirects/apache.map`: the same as an Apache `RewriteMap` text file
//!   (`deploy/apache-xxgk.conf`).
//! - a small page at each old address inside the site (`[urls] redirect_pages`), which sends a
//!   browser on where the server has neither.
//!
//! Rows are checked against the finished site: an old address that is a page of the site
//! would hide it, and a new address inside the site must exist (E016).

use std::collections::BTreeSet;

use percent_encoding::{utf8_percent_encode, CONTROLS};

use super::{Origin, Redirect, FILE};
use crate::diag::{Code, Diagnostic, Severity};
use crate::site::Site;
use crate::write::OutputFile;

/// The folder of the server files, which the deploy configurations keep private.
pub const FOLDER: &str = "gongkai-redirects";
/// The nginx include.
pub const NGINX_CONF: &str = "gongkai-redirects/nginx.conf";
/// The Apache `RewriteMap`.
pub const APACHE_MAP: &str = "gongkai-redirects/apache.map";

/// The file a server sends for `rel` (a path under the site root): `a/` → `a/index.html`.
fn file_of(rel: &str) -> String {
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// The server files and redirect pages for `site.redirects`; `existing` holds every other output
/// path of the site.
pub fn outputs(site: &Site, existing: &BTreeSet<&str>) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let config = &site.config;
    let base = config.base_path.as_str();
    let site_host = crate::config::host_of(&config.base_url).to_ascii_lowercase();
    let mut diags = Vec::new();
    let here = |r: &Redirect| -> Option<String> {
        if r.host.as_deref().is_some_and(|h| h != site_host) {
            return None;
        }
        r.path.strip_prefix(base).map(str::to_string)
    };
    let exists = |rel: &str| {
        let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
        existing.contains(file_of(&rel).as_str())
            || existing.contains(format!("{rel}/index.html").as_str())
            || rel.starts_with("search/")
    };
    let mut good: Vec<&Redirect> = Vec::new();
    for r in &site.redirects {
        let Origin::Csv(line) = r.origin else {
            good.push(r);
            continue;
        };
        if let Some(rel) = here(r).filter(|_| r.query.is_none()) {
            if existing.contains(file_of(&rel).as_str())
                || existing.contains(format!("{rel}/index.html").as_str())
            {
                diags.push(
                    Diagnostic::new(
                        Code::E016,
                        FILE,
                        format!("第 {line} 行的旧网址 {} 是本站现有的页面，跳转会让这个页面再也打不开 (the old address is a page of the site)", r.path),
                    )
                    .at(line)
                    .help("删除这一行；旧网址只写已经不存在的地址"),
                );
                continue;
            }
        }
        if let Some(rel) = super::inside_site(&r.to, config) {
            if !exists(rel) {
                diags.push(
                    Diagnostic::new(
                        Code::E016,
                        FILE,
                        format!("第 {line} 行的新网址 {} 在本站不存在 (the new address is not a page of the site)", r.to),
                    )
                    .at(line)
                    .help("改正新网址（文件页面的网址见文件的索引号），或删除这一行"),
                );
                continue;
            }
        }
        good.push(r);
    }

    let mut files = vec![
        OutputFile {
            path: NGINX_CONF.into(),
            bytes: nginx(&good).into_bytes(),
        },
        OutputFile {
            path: APACHE_MAP.into(),
            bytes: apache(&good, &mut diags).into_bytes(),
        },
    ];
    if config.urls.redirect_pages {
        let mut made = BTreeSet::new();
        for r in &good {
            let Some(rel) = here(r).filter(|_| r.query.is_none()) else {
                continue;
            };
            let file = file_of(&rel);
            let is_page = rel.is_empty()
                || rel.ends_with('/')
                || [".html", ".htm", ".shtml"]
                    .iter()
                    .any(|e| rel.to_ascii_lowercase().ends_with(e));
            let writable = file.len() < 4000 && file.split('/').all(|s| s.len() <= 255);
            if is_page && writable && !existing.contains(file.as_str()) && made.insert(file.clone())
            {
                // Inside the site, a root-relative address: it works on any host the site is
                // previewed on (`gongkai serve`).
                let to = match super::inside_site(&r.to, config) {
                    Some(rel) if r.to.contains("://") => format!("{base}{rel}"),
                    _ => r.to.clone(),
                };
                files.push(OutputFile {
                    path: file,
                    bytes: page(&location(&to), &config.site_name).into_bytes(),
                });
            }
        }
    }
    (files, diags)
}

/// A target as a `Location`: non-ASCII characters percent-encoded.
fn location(to: &str) -> String {
    utf8_percent_encode(to, CONTROLS).to_string()
}

/// A quoted nginx string (the map's keys are not variables, its values are checked for `$`).
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn nginx(list: &[&Redirect]) -> String {
    let mut by_uri = String::new();
    let mut by_request = String::new();
    let mut seen = BTreeSet::new();
    let mut longest = 0;
    for r in list {
        // nginx lower-cases map keys; two keys equal but for case would stop it loading.
        let key = match &r.query {
            Some(q) => format!("{}?{q}", r.path),
            None => r.path.clone(),
        };
        if !seen.insert((r.query.is_some(), key.to_lowercase())) {
            continue;
        }
        let out = if r.query.is_some() {
            &mut by_request
        } else {
            &mut by_uri
        };
        longest = longest.max(key.len());
        out.push_str(&format!(
            "    {} {};\n",
            quote(&key),
            quote(&location(&r.to))
        ));
    }
    // nginx refuses to start when a key does not fit a hash bucket (Chinese paths are long) or
    // the table is larger than its default size: size both for this list.
    let bucket = (longest + 32).next_power_of_two().max(128);
    let max_size = (seen.len() * 2).next_power_of_two().max(2048);
    format!(
        "# 由 gongkai build 生成，请勿手工修改：旧网址 → 新网址（301）。来源：站点根目录的 redirects.csv，\n\
         # 以及早期版本的中文目录网址。用法见 README“旧网址跳转”：在 nginx.conf 的 http {{ }} 里\n\
         #     include /栏目所在目录/gongkai-redirects/nginx.conf;\n\
         # 门户的 server {{ }} 里 include deploy/nginx-xxgk.conf（其中的 if ($gongkai_redirect) 发出 301）。\n\
         # Generated by gongkai build: old addresses → new ones, for nginx's http {{ }} block.\n\
         # 下面两行按本表的大小设置；nginx.conf 里已有这两项设置时，删去那边的，以免重复。\n\
         map_hash_bucket_size {bucket};\nmap_hash_max_size {max_size};\n\
         map $request_uri $gongkai_redirect_query {{\n    default \"\";\n{by_request}}}\n\
         map $uri $gongkai_redirect {{\n    default $gongkai_redirect_query;\n{by_uri}}}\n"
    )
}

fn apache(list: &[&Redirect], diags: &mut Vec<Diagnostic>) -> String {
    let mut out = String::from(
        "# 由 gongkai build 生成，请勿手工修改：旧网址 → 新网址，供 deploy/apache-xxgk.conf 的 RewriteMap 使用。\n\
         # Generated by gongkai build: an Apache RewriteMap (txt) of old paths → new addresses.\n",
    );
    let mut seen = BTreeSet::new();
    for r in list {
        let key = match &r.query {
            Some(q) => format!("{}?{q}", r.path),
            None => r.path.clone(),
        };
        if key.chars().any(char::is_whitespace) {
            if let Origin::Csv(line) = r.origin {
                diags.push(
                    Diagnostic::new(
                        Code::E016,
                        FILE,
                        format!("第 {line} 行的旧网址含有空格，Apache 的 RewriteMap 无法匹配它（nginx 照常跳转）"),
                    )
                    .at(line)
                    .at_most(Severity::Warn)
                    .help("使用 Apache 时，这个旧网址需要单独写一条 RewriteRule"),
                );
            }
            continue;
        }
        if seen.insert(key.clone()) {
            out.push_str(&format!("{key} {}\n", location(&r.to)));
        }
    }
    out
}

/// The page left at an old address: a redirect for any browser, a link for any reader.
fn page(to: &str, site_name: &str) -> String {
    let to = crate::render::escape_html(to);
    let name = crate::render::escape_html(site_name);
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>页面已迁移 - {name}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n\
         </head>\n<body>\n<main>\n<h1>页面已迁移</h1>\n<p>本页的新网址是 <a href=\"{to}\">{to}</a>，正在为您跳转。</p>\n\
         </main>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(path: &str, query: Option<&str>, to: &str) -> Redirect {
        Redirect {
            path: path.into(),
            query: query.map(str::to_string),
            host: None,
            to: to.into(),
            origin: Origin::Legacy,
        }
    }

    #[test]
    fn nginx_keys_paths_by_uri_and_queries_by_request_uri() {
        let a = r(
            "/xxgk/ml/主题分类/综合政务/",
            None,
            "https://x/xxgk/ml/ztfl/zhzw/",
        );
        let b = r(
            "/art/info.jsp",
            Some("id=5"),
            "https://x/xxgk/13502/2022-00001.html",
        );
        let c = r("/XXGK/ML/主题分类/综合政务/", None, "https://x/other/");
        let d = r("/a\"b", None, "/新/");
        let t = nginx(&[&a, &b, &c, &d]);
        assert!(t.contains("map $request_uri $gongkai_redirect_query {\n    default \"\";\n    \"/art/info.jsp?id=5\" \"https://x/xxgk/13502/2022-00001.html\";\n}"), "{t}");
        assert!(
            t.contains("    \"/xxgk/ml/主题分类/综合政务/\" \"https://x/xxgk/ml/ztfl/zhzw/\";\n"),
            "{t}"
        );
        assert!(
            !t.contains("/XXGK/"),
            "keys differing only by case would stop nginx: {t}"
        );
        assert!(t.contains("\"/a\\\"b\" \"/%E6%96%B0/\";"), "{t}");
        let mut diags = Vec::new();
        let m = apache(&[&a, &b, &r("/a b.html", None, "/x/")], &mut diags);
        assert!(
            m.contains("\n/xxgk/ml/主题分类/综合政务/ https://x/xxgk/ml/ztfl/zhzw/\n"),
            "{m}"
        );
        assert!(
            m.contains("\n/art/info.jsp?id=5 https://x/xxgk/13502/2022-00001.html\n"),
            "{m}"
        );
        assert!(!m.contains("a b.html"));
    }

    #[test]
    fn the_redirect_page_escapes_the_address() {
        let p = page("/x/?a=1&b=\"2\"", "站");
        assert!(
            p.contains("content=\"0; url=/x/?a=1&amp;b=&quot;2&quot;\""),
            "{p}"
        );
        assert!(p.contains("<html lang=\"zh-CN\">"));
    }
}
