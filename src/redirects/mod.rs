//! The redirect list: old addresses the public already has → the pages that replace them, so no
//! shared link breaks (issue 13 item 2, issue 16 item 4).
//!
//! Two sources: `redirects.csv` at the site root (written by `gongkai import --catalogue`, or
//! by hand: `old_url,new_url`), and the addresses earlier versions of gongkai gave pages
//! (Chinese catalogue segments, documents under `/xxgk/xxgk/`) when `[urls] legacy_redirects`
//! is on. [`read`] checks every row against the site: a row that cannot work is an error naming
//! the file and line, and no row may lead to, or name the page of, a withheld document (E007).
//! [`outputs`](outputs::outputs) then writes what web servers need: an nginx `map`, an Apache
//! `RewriteMap`, and small pages at old addresses inside the site for servers without either.

mod outputs;
mod parse;

pub use outputs::{outputs, APACHE_MAP, FOLDER, NGINX_CONF};

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::site::Site;
use crate::validate::WithheldRef;

/// The redirect list at the site root.
pub const FILE: &str = "redirects.csv";

/// Where a redirect comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A line of `redirects.csv` (1-based).
    Csv(usize),
    /// An address an earlier version of gongkai gave a page of this site.
    Legacy,
}

/// One old address and where it now leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old path as a server sees it after decoding (`/xxgk/ml/主题分类/综合政务/`).
    pub path: String,
    /// The old query string as sent (`id=5`), for CMS addresses that name a page by it.
    pub query: Option<String>,
    /// The old address's host, when the row gave one.
    pub host: Option<String>,
    /// The new address: absolute (`https://…/xxgk/ml/ztfl/zhzw/`), or a path on the same server.
    pub to: String,
    /// Where the row comes from.
    pub origin: Origin,
}

/// What a redirect may never lead to: the pages and files of withheld documents, as paths
/// relative to the site root.
#[derive(Debug, Default)]
pub struct Withheld {
    paths: BTreeSet<String>,
}

impl Withheld {
    /// The page addresses (today's and earlier versions') and files of `refs`.
    pub fn new(refs: &[WithheldRef], config: &Config) -> Withheld {
        let mut paths = BTreeSet::new();
        for w in refs {
            if let Some(no) = w.index_no.as_deref().and_then(crate::meta::IndexNo::new) {
                paths.insert(config.urls.page_path(&no));
                paths.insert(no.page_path().to_string());
            }
            for f in &w.files {
                let rel = f.strip_prefix(crate::load::CONTENT_DIR).unwrap_or(f);
                paths.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        Withheld { paths }
    }
    fn contains(&self, rel: &str) -> bool {
        self.paths.contains(rel)
    }
}

/// The redirect list of the site: `redirects.csv` (`file`: its bytes as `load` read them, if
/// any) and, when configured, the site's own earlier addresses. Findings name `redirects.csv`
/// and the line.
pub fn read(
    file: Option<&Result<Vec<u8>, String>>,
    site: &Site,
    withheld: &Withheld,
) -> (Vec<Redirect>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let legacy = if site.config.urls.legacy_redirects {
        legacy(site)
    } else {
        Vec::new()
    };
    // Targets that are an earlier address of this site lead on to today's (one hop, not two).
    let legacy_map: BTreeMap<String, String> = legacy
        .iter()
        .map(|(old, new)| (old.clone(), new.clone()))
        .collect();
    let mut list = match file {
        Some(Ok(bytes)) => {
            let (rows, d) = parse::rows(bytes);
            diags.extend(d);
            check_rows(rows, site, withheld, &legacy_map, &mut diags)
        }
        None => Vec::new(),
        Some(Err(e)) => {
            diags.push(
                Diagnostic::new(Code::E016, FILE, format!("无法读取跳转列表：{e}"))
                    .help("检查文件的权限；不需要跳转时可以删除这个文件"),
            );
            Vec::new()
        }
    };
    let taken: BTreeSet<String> = list.iter().map(|r| r.path.to_lowercase()).collect();
    let base = &site.config.base_path;
    for (old, new) in legacy {
        let path = format!("{base}{old}");
        if !taken.contains(&path.to_lowercase()) {
            list.push(Redirect {
                path,
                query: None,
                host: None,
                to: format!("{}{new}", site.config.base_url),
                origin: Origin::Legacy,
            });
        }
    }
    (list, diags)
}

/// The site's pages at the addresses earlier versions gave them: (old, new), relative to the
/// site root. Every page of a paginated list, so a shared "page 7" link still works.
fn legacy(site: &Site) -> Vec<(String, String)> {
    let size = site.config.page_size.max(1);
    let mut out = Vec::new();
    let mut list = |old: &str, new: &str, rows: Option<usize>| {
        out.push((old.to_string(), new.to_string()));
        let Some(rows) = rows else { return };
        let total = rows.div_ceil(size).max(1);
        if total > 1 {
            out.push((format!("{old}page/"), format!("{new}page/")));
        }
        for n in 2..=total {
            out.push((format!("{old}page/{n}/"), format!("{new}page/{n}/")));
        }
    };
    for c in &site.columns {
        if let Some(old) = &c.legacy_path {
            let rows = (c.kind == crate::site::ColumnKind::List).then_some(c.docs.len());
            list(old, &c.path, rows);
        }
    }
    for f in &site.facets {
        list(&f.legacy_path, &f.path, None);
        for v in &f.values {
            list(&v.legacy_path, &v.path, Some(v.docs.len()));
        }
    }
    for d in &site.docs {
        if let Some(old) = site.config.urls.legacy_page_path(d.index_no()) {
            out.push((old.to_string(), d.page_path().to_string()));
        }
    }
    out.retain(|(old, new)| old != new);
    out
}

/// The row's target relative to the site root, when it lies inside the site.
fn inside_site<'a>(to: &'a str, config: &Config) -> Option<&'a str> {
    let path = match to.split_once("://") {
        Some(_) => to.strip_prefix(config.base_url.as_str())?,
        None => to.strip_prefix(config.base_path.as_str())?,
    };
    Some(path.split(['?', '#']).next().unwrap_or(""))
}

/// Checks parsed rows against the site and each other; keeps the good ones.
fn check_rows(
    rows: Vec<parse::Row>,
    site: &Site,
    withheld: &Withheld,
    legacy: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Redirect> {
    let config = &site.config;
    let err = |line: usize, msg: String, help: &str| {
        Diagnostic::new(Code::E016, FILE, msg)
            .at(line)
            .help(help.to_string())
    };
    // By old address, case folded: nginx compares map keys without regard to case.
    let mut seen: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
    let mut out: Vec<Redirect> = Vec::new();
    for row in rows {
        let line = row.line;
        // An old address that is a withheld document's would-be page: a redirect page there
        // would say the address once meant something.
        if row
            .host
            .as_deref()
            .is_none_or(|h| h == crate::config::host_of(&config.base_url))
        {
            if let Some(rel) = row.path.strip_prefix(config.base_path.as_str()) {
                if withheld.contains(rel) {
                    diags.push(
                        Diagnostic::new(
                            Code::E007,
                            FILE,
                            format!(
                                "第 {line} 行的旧网址 {} 是不公开文件的页面地址，不能用于跳转",
                                row.path
                            ),
                        )
                        .at(line)
                        .help("删除这一行 (an old address may not be a withheld document's page)"),
                    );
                    continue;
                }
            }
        }
        let mut to = row.to.clone();
        if let Some(rel) = inside_site(&to, config) {
            let rel = percent_encoding::percent_decode_str(rel)
                .decode_utf8_lossy()
                .into_owned();
            let rel = rel.as_str();
            if withheld.contains(rel) || withheld.contains(&format!("{rel}index.html")) {
                diags.push(
                    Diagnostic::new(
                        Code::E007,
                        FILE,
                        format!(
                            "第 {line} 行的新网址 {to} 是不公开（依申请公开、不予公开或草稿）文件的页面或附件，不能跳转过去"
                        ),
                    )
                    .at(line)
                    .help("删除这一行：不公开的文件没有公开网址，旧网址应当显示“页面不存在” (a redirect may not lead to a withheld document)"),
                );
                continue;
            }
            if let Some(new) = legacy.get(rel) {
                to = format!("{}{new}", config.base_url);
            }
        }
        let key = (row.path.to_lowercase(), row.query.clone());
        if let Some(&first) = seen.get(&key) {
            let earlier = out.iter().find(|r| r.origin == Origin::Csv(first));
            if earlier.is_some_and(|r| r.to == to) {
                continue;
            }
            diags.push(err(
                line,
                format!("第 {line} 行的旧网址与第 {first} 行相同（不区分大小写），但新网址不同 (the same old address twice)"),
                "一个旧网址只能跳转到一个新网址：删除其中一行",
            ));
            continue;
        }
        let same_place = inside_site(&to, config).is_some_and(|rel| {
            format!("{}{rel}", config.base_path) == row.path && row.query.is_none()
        }) || (to == row.path && row.query.is_none());
        if same_place {
            diags.push(err(
                line,
                format!("第 {line} 行的旧网址和新网址相同，浏览器会不停地跳转 (the row redirects to itself)"),
                "删除这一行",
            ));
            continue;
        }
        seen.insert(key, line);
        out.push(Redirect {
            path: row.path,
            query: row.query,
            host: row.host,
            to,
            origin: Origin::Csv(line),
        });
    }
    // A target that is another row's old address: follow it, so each visit is one redirect.
    let by_old: BTreeMap<String, String> = out
        .iter()
        .filter(|r| r.query.is_none())
        .map(|r| (r.path.to_lowercase(), r.to.clone()))
        .collect();
    let mut looping = Vec::new();
    for r in &mut out {
        let mut hops = 0;
        while let Some(next) =
            target_path(&r.to, config).and_then(|p| by_old.get(&p.to_lowercase()))
        {
            hops += 1;
            if hops > 10 || next == &r.to {
                looping.push(r.origin.clone());
                break;
            }
            r.to = next.clone();
        }
    }
    for o in &looping {
        if let Origin::Csv(line) = o {
            diags.push(err(
                *line,
                format!("第 {line} 行的新网址又是另一行的旧网址，形成循环，浏览器会不停地跳转 (a redirect loop)"),
                "检查这几行的新网址，让每个旧网址最终指向一个实际存在的页面",
            ));
        }
    }
    out.retain(|r| !looping.contains(&r.origin));
    out
}

/// The path a target names on this server (for chains): `https://host/a/` → `/a/` when the
/// host is the site's, `/a/` as it is.
fn target_path(to: &str, config: &Config) -> Option<String> {
    match to.split_once("://") {
        Some((_, rest)) => {
            let path = rest.strip_prefix(crate::config::host_of(&config.base_url))?;
            Some(path.split(['?', '#']).next().unwrap_or("").to_string())
        }
        None => Some(to.split(['?', '#']).next().unwrap_or("").to_string()),
    }
}
