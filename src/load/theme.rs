//! The theme in force: the embedded default theme ([`crate::theme`]) with the site's own
//! templates and static files read over it.

use std::collections::BTreeMap;
use std::path::Path;

/// Templates and static files of a site, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Theme {
    /// Template name → (file it came from, relative to the root; text).
    pub templates: BTreeMap<String, (String, String)>,
    /// Path under the output root → bytes (the theme's `static/`, the search engine's files).
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// Reads the theme `name` of the site at `root`.
pub fn read(root: &Path, name: &str) -> std::io::Result<Theme> {
    Ok(Theme {
        templates: templates(root, name)?,
        statics: static_files(root, name)?,
    })
}

/// All templates in force for a site: embedded, then the site's theme, then `ROOT/templates`.
fn templates(root: &Path, theme: &str) -> std::io::Result<BTreeMap<String, (String, String)>> {
    let mut out: BTreeMap<String, (String, String)> = crate::theme::TEMPLATES
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
fn static_files(root: &Path, theme: &str) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
    let mut out: BTreeMap<String, Vec<u8>> = crate::theme::STATIC
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
        if !e.file_type().is_file() || super::is_editor_junk(&name) {
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
