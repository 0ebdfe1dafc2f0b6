//! What a burst of file-system events means for the site (pure, so it is tested without a
//! watcher): a content change re-renders what depends on the changed documents; a template,
//! static, config or theme change rebuilds everything; editors' swap and backup files are ignored.

use std::path::{Path, PathBuf};

/// The kind of rebuild a set of changed paths needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Nothing that matters (swap files, output folder, `.git`).
    Ignore,
    /// Only these files under `content/` changed (paths relative to the root).
    Content(Vec<PathBuf>),
    /// Config, templates, themes, static files, annual data or the 标准目录: rebuild everything.
    Full,
}

/// Classifies changed paths (absolute or relative to `root`).
pub fn classify(root: &Path, paths: &[PathBuf]) -> ChangeKind {
    let mut content = Vec::new();
    let mut full = false;
    for p in paths {
        let rel = p.strip_prefix(root).unwrap_or(p);
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if crate::load::is_editor_junk(&name)
            || rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        match first.as_str() {
            "content" => content.push(rel.to_path_buf()),
            "templates" | "themes" | "static" | "annual" | "data" | "catalogue" => full = true,
            _ if rel == Path::new(crate::config::FILE_NAME) => full = true,
            _ => {}
        }
    }
    if full {
        ChangeKind::Full
    } else if content.is_empty() {
        ChangeKind::Ignore
    } else {
        content.sort();
        content.dedup();
        ChangeKind::Content(content)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: &[&str]) -> Vec<PathBuf> {
        v.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn content_edits_are_incremental() {
        let root = Path::new("/site");
        assert_eq!(
            classify(root, &p(&["/site/content/a.md", "/site/content/a.md"])),
            ChangeKind::Content(p(&["content/a.md"]))
        );
    }

    #[test]
    fn templates_and_config_rebuild_everything() {
        let root = Path::new("/site");
        assert_eq!(
            classify(
                root,
                &p(&["/site/content/a.md", "/site/templates/base.html"])
            ),
            ChangeKind::Full
        );
        assert_eq!(
            classify(root, &p(&["/site/gongkai.toml"])),
            ChangeKind::Full
        );
        assert_eq!(
            classify(root, &p(&["/site/catalogue/重大建设项目.toml"])),
            ChangeKind::Full
        );
        assert_eq!(
            classify(root, &p(&["/site/themes/default/static/css/site.css"])),
            ChangeKind::Full
        );
    }

    #[test]
    fn junk_and_output_are_ignored() {
        let root = Path::new("/site");
        let junk = p(&[
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/.#a.md",
            "/site/public/index.html",
            "/site/.git/index",
            "/site/content/4913",
        ]);
        assert_eq!(classify(root, &junk[..5]), ChangeKind::Ignore);
        assert_eq!(
            classify(root, &junk[5..]),
            ChangeKind::Content(p(&["content/4913"]))
        );
    }
}
