//! Paths that come from the browser, resolved inside `content/` only.
//!
//! A path is refused, with a message that says why (Chinese first), when it is absolute, has a
//! `..` or `.` part, an empty part, a backslash, a control character, a hidden or editor-temporary
//! name (the loader skips those), or when a symbolic link lies on its way (the loader never
//! follows one, and it may lead out of `content/`). Nothing here trusts the browser's spelling
//! of a path: each part is checked, and the folders that exist are checked on disk.

use std::path::{Path, PathBuf};

use crate::load::{is_editor_junk, CONTENT_DIR};

/// The longest file name accepted (in characters; most file systems allow 255 bytes).
const MAX_NAME: usize = 80;

/// A document path from the browser (`content/2024/a.md`), relative to the root, after every
/// check of the module doc. The file need not exist.
pub fn document(root: &Path, given: &str) -> Result<PathBuf, String> {
    let rel = inside_content(root, given)?;
    if rel.extension().is_none_or(|e| e != "md") {
        return Err(format!(
            "“{given}” 不是 Markdown 文件（.md）(not a document)"
        ));
    }
    Ok(rel)
}

/// A folder under `content/` from the browser (`content/2024`), relative to the root.
pub fn folder(root: &Path, given: &str) -> Result<PathBuf, String> {
    let given = given.trim().trim_end_matches('/');
    if given == CONTENT_DIR {
        return Ok(PathBuf::from(CONTENT_DIR));
    }
    inside_content(root, given)
}

fn inside_content(root: &Path, given: &str) -> Result<PathBuf, String> {
    let refuse = |why: &str| {
        Err(format!(
            "路径 “{}” 不能使用：{why}。只能使用 content/ 目录之内的路径 (refused: the path must stay inside content/)",
            given.escape_debug()
        ))
    };
    if given.is_empty() {
        return refuse("路径是空的");
    }
    if given.chars().any(char::is_control) {
        return refuse("含有控制字符");
    }
    if given.contains('\\') {
        return refuse("含有反斜杠 \\");
    }
    if given.starts_with('/') || given.get(1..2) == Some(":") {
        return refuse("是绝对路径");
    }
    let parts: Vec<&str> = given.split('/').collect();
    if parts.first() != Some(&CONTENT_DIR) {
        return refuse("不以 content/ 开头");
    }
    for p in &parts {
        match *p {
            "" => return refuse("有空的路径段（//）"),
            "." | ".." => return refuse("含有 . 或 ..，不允许跳出目录"),
            name if is_editor_junk(name) => {
                return refuse("含有隐藏文件名或临时文件名（以 . 开头，或以 ~、.tmp、.bak 结尾）")
            }
            name if name.chars().count() > MAX_NAME => return refuse("文件名太长"),
            _ => {}
        }
    }
    if parts.len() < 2 {
        return refuse("没有给出 content/ 下的文件");
    }
    // Every part that exists must be a real folder or file, not a link, and stay inside.
    let mut on_disk = root.to_path_buf();
    for p in &parts {
        on_disk.push(p);
        match std::fs::symlink_metadata(&on_disk) {
            Ok(m) if m.file_type().is_symlink() => return refuse("经过符号链接"),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let content = root.join(CONTENT_DIR).canonicalize().map_err(|e| {
        format!(
            "找不到 content/ 目录：{} (content/ is missing)",
            crate::diag::io_message(&e)
        )
    })?;
    let mut existing = root.join(given);
    while !existing.exists() {
        if !existing.pop() {
            break;
        }
    }
    if let Ok(real) = existing.canonicalize() {
        if !real.starts_with(&content) {
            return refuse("实际位置在 content/ 之外");
        }
    }
    Ok(parts.iter().collect())
}

/// An uploaded file's name, kept as the editor named it when it is one plain file name.
pub fn file_name(given: &str) -> Result<String, String> {
    let refuse = |why: &str| {
        Err(format!(
            "文件名 “{}” 不能使用：{why} (refused file name)",
            given.escape_debug()
        ))
    };
    let name = given.trim();
    if name.is_empty() {
        return refuse("文件名是空的");
    }
    if name.contains(['/', '\\']) {
        return refuse("含有 / 或 \\，只能是一个文件名，不能带目录（如 ../）");
    }
    if name == "." || name == ".." || name.starts_with('.') {
        return refuse("以 . 开头的是隐藏文件，不会发布");
    }
    if name
        .chars()
        .any(|c| c.is_control() || "<>:\"|?*".contains(c))
    {
        return refuse("含有控制字符或 < > : \" | ? * 等 Windows 不允许的字符");
    }
    if is_editor_junk(name) || name.ends_with('.') {
        return refuse("是临时文件名（以 ~、.tmp、.bak 或 . 结尾）");
    }
    if name.chars().count() > MAX_NAME {
        return refuse("文件名太长（最多 80 个字）");
    }
    if Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
    {
        return refuse(".md 文件是文档，不能作为附件上传；请用“新建文件”或“导入”");
    }
    Ok(name.to_string())
}

/// The folder that holds a document's own pictures and attachments: beside the Markdown file,
/// named after it (`content/2024/a.md` → `content/2024/a/`), as `gongkai import` writes it.
pub fn asset_dir(doc: &Path) -> PathBuf {
    doc.with_extension("")
}

/// `path` with `.` dropped and `..` applied (no file-system access); `None` if it climbs above
/// its start.
pub fn fold(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("content/2024")).unwrap();
        std::fs::write(d.path().join("content/2024/a.md"), "---\n---\n").unwrap();
        d
    }

    #[test]
    fn accepts_documents_inside_content() {
        let d = site();
        assert_eq!(
            document(d.path(), "content/2024/a.md").unwrap(),
            PathBuf::from("content/2024/a.md")
        );
        assert!(document(d.path(), "content/2025/新文件.md").is_ok());
        assert_eq!(
            folder(d.path(), "content/").unwrap(),
            PathBuf::from("content")
        );
    }

    #[test]
    fn refuses_every_way_out() {
        let d = site();
        for p in [
            "../gongkai.toml",
            "content/../gongkai.md",
            "content/2024/../../x.md",
            "/etc/passwd.md",
            "C:/x.md",
            "content\\..\\x.md",
            "content//a.md",
            "content/./a.md",
            "content/.git/x.md",
            "content/a.md~",
            "gongkai.md",
            "content/a\u{0}.md",
            "content/2024/a.txt",
            "",
        ] {
            assert!(document(d.path(), p).is_err(), "{p:?}");
        }
        let e = document(d.path(), "content/../x.md").unwrap_err();
        assert!(
            e.starts_with("路径 “content/../x.md” 不能使用：含有 . 或 .."),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symbolic_links_on_the_way() {
        let d = site();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), d.path().join("content/out")).unwrap();
        let e = document(d.path(), "content/out/x.md").unwrap_err();
        assert!(e.contains("符号链接"), "{e}");
        std::os::unix::fs::symlink(
            d.path().join("content/2024/a.md"),
            d.path().join("content/link.md"),
        )
        .unwrap();
        assert!(document(d.path(), "content/link.md").is_err());
    }

    #[test]
    fn keeps_plain_names_and_refuses_paths() {
        assert_eq!(
            file_name("附件1 2024年预算表.pdf").unwrap(),
            "附件1 2024年预算表.pdf"
        );
        for n in [
            "../x.pdf",
            "..",
            "a/b.pdf",
            "a\\b.pdf",
            ".hidden",
            "x.md",
            "X.MD",
            "a\u{7}.pdf",
            "a:b.pdf",
            "",
            "备份.bak",
        ] {
            assert!(file_name(n).is_err(), "{n:?}");
        }
        assert!(file_name("../x.pdf").unwrap_err().contains("不能带目录"));
    }

    #[test]
    fn folds_relative_entries() {
        assert_eq!(
            fold(Path::new("content/2024/a/../b.pdf")),
            Some("content/2024/b.pdf".into())
        );
        assert_eq!(fold(Path::new("../x")), None);
    }
}
