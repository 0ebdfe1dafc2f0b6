//! The default theme, embedded in the binary, and the override chain.
//!
//! `themes/default/` in this repository is compiled in (Zola's habit), so a site needs no theme
//! folder at all. A site overrides any file by placing one with the same name in
//! `ROOT/themes/<theme>/templates|static/` or, for templates, `ROOT/templates/`, and adds static
//! files in `ROOT/static/`. Later sources win.

use std::collections::BTreeMap;
use std::path::Path;

/// The default taxonomy data file (SPEC §3.3).
pub const DEFAULT_TAXONOMY: &str = include_str!("../themes/default/data/taxonomy.toml");

macro_rules! embed {
    ($($name:literal),* $(,)?) => { &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*] };
}

/// Default templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "macros.html",
    "home.html",
    "list.html",
    "pages.html",
    "hub.html",
    "page.html",
    "document.html",
    "facet.html",
    "404.html",
    "sitemap.html",
    "search.html",
    "register.html",
    "report.html",
    "interpretations.html",
    "statement.html",
    "contact.html",
    "standard_index.html",
    "standard_area.html",
    "standard_entry.html",
);

/// Default static files: (path under `static/`, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    (
        "css/site.css",
        include_bytes!("../themes/default/static/css/site.css"),
    ),
    (
        "js/care.js",
        include_bytes!("../themes/default/static/js/care.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
    (
        "js/page.js",
        include_bytes!("../themes/default/static/js/page.js"),
    ),
];

/// All templates in force for a site: embedded, then the site's theme, then `ROOT/templates`.
pub fn templates(root: &Path, theme: &str) -> std::io::Result<BTreeMap<String, (String, String)>> {
    let mut out: BTreeMap<String, (String, String)> = TEMPLATES
        .iter()
        .map(|(n, t)| {
            (
                n.to_string(),
                (format!("themes/default/templates/{n}"), t.to_string()),
            )
        })
        .collect();
    for dir in [
        root.join("themes").join(theme).join("templates"),
        root.join("templates"),
    ] {
        for (name, rel, text) in read_tree(root, &dir)? {
            if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt") {
                out.insert(name, (rel, String::from_utf8_lossy(&text).into_owned()));
            }
        }
    }
    Ok(out)
}

/// All static files in force: embedded, then the site's theme `static/`, then `ROOT/static/`.
pub fn static_files(root: &Path, theme: &str) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
    let mut out: BTreeMap<String, Vec<u8>> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    for (n, b) in crate::search_assets::static_files() {
        out.insert(n, b);
    }
    for dir in [
        root.join("themes").join(theme).join("static"),
        root.join("static"),
    ] {
        for (name, _, bytes) in read_tree(root, &dir)? {
            out.insert(name, bytes);
        }
    }
    Ok(out)
}

fn read_tree(root: &Path, dir: &Path) -> std::io::Result<Vec<(String, String, Vec<u8>)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.map_err(std::io::Error::other)?;
        let name = e.file_name().to_string_lossy();
        if !e.file_type().is_file() || crate::load::is_editor_junk(&name) {
            continue;
        }
        let rel_name = e
            .path()
            .strip_prefix(dir)
            .unwrap_or(e.path())
            .to_string_lossy()
            .replace('\\', "/");
        let rel_root = e
            .path()
            .strip_prefix(root)
            .unwrap_or(e.path())
            .to_string_lossy()
            .replace('\\', "/");
        out.push((rel_name, rel_root, std::fs::read(e.path())?));
    }
    Ok(out)
}
