//! The files under `content/`, `annual/` and `catalogue/`: the walk, one file's state (which `serve` keeps
//! between rebuilds), and where `new` may write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

use super::{parse_source, Loaded, SharedSource, Source, CONTENT_DIR};

/// True for editors' swap, backup and lock files, which are never content.
pub fn is_editor_junk(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || (name.starts_with('#') && name.ends_with('#'))
}

/// The annual-report data files under `root/annual/`, by year (`2023.toml` → 2023). Other
/// names are left alone: they are not data a report can use.
fn read_annual(root: &Path) -> BTreeMap<i32, Result<String, String>> {
    let Ok(entries) = std::fs::read_dir(root.join("annual")) else {
        return BTreeMap::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let year: i32 = name.strip_suffix(".toml")?.parse().ok()?;
            let text = std::fs::read_to_string(e.path())
                .map_err(|e| format!("{}（{e}）", crate::diag::io_reason(&e)));
            Some((year, text))
        })
        .collect()
}

/// The 标准目录 files: every `catalogue/*.toml` (not in sub-folders, not editors' junk), in
/// name order. `gongkai new` reads them alone, to offer the items.
pub fn read_catalogue(root: &Path) -> BTreeMap<PathBuf, Result<String, String>> {
    let Ok(entries) = std::fs::read_dir(root.join(crate::catalogue::DIR)) else {
        return BTreeMap::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if is_editor_junk(&name) || !name.ends_with(".toml") || !e.path().is_file() {
                return None;
            }
            let text = std::fs::read_to_string(e.path())
                .map_err(|e| format!("{}（{e}）", crate::diag::io_reason(&e)));
            Some((Path::new(crate::catalogue::DIR).join(name), text))
        })
        .collect()
}

/// Calls `f` with the bytes of the file at `abs`, read into a buffer each thread reuses: a
/// buffer per file, freed after its parse, would leave a hole beside each source that later
/// stages fill, so that the sources, once freed, could not be returned to the system.
fn read_reusing<T>(abs: &Path, f: impl FnOnce(&[u8]) -> T) -> std::io::Result<T> {
    use std::io::Read;
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.clear();
        std::fs::File::open(abs)?.read_to_end(&mut buf)?;
        let out = f(&buf);
        // One very large file does not keep its buffer for the rest of the run.
        buf.truncate(0);
        buf.shrink_to(1 << 20);
        Ok(out)
    })
}

/// Reads the files under `root/content`, the annual-report data and the 标准目录.
pub fn walk(root: &Path) -> Loaded {
    let mut loaded = Loaded {
        annual: read_annual(root),
        catalogue: read_catalogue(root),
        ..Loaded::default()
    };
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        loaded.diagnostics.push(
            Diagnostic::new(
                Code::E001,
                CONTENT_DIR,
                format!("找不到内容目录 {}", dir.display()),
            )
            .help("在站点根目录建立 content/ 并放入 .md 文件，或用 --root 指定站点目录"),
        );
        return loaded;
    }
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_editor_junk(&e.file_name().to_string_lossy()));
    let mut md_files = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), crate::diag::io_message);
                loaded.diagnostics.push(
                    Diagnostic::new(Code::E001, p, format!("无法读取：{why}"))
                        .help("检查文件权限，或是否存在循环的符号链接"),
                );
                continue;
            }
        };
        if entry.file_type().is_symlink() {
            let relp = rel(root, entry.path());
            loaded.diagnostics.push(symlink_ignored(&relp));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let relp = rel(root, entry.path());
        if entry.path().extension().is_some_and(|e| e == "md") {
            md_files.push((relp, entry.path().to_path_buf()));
        } else {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            if super::image::may_carry_position(&relp) {
                if let Some(p) = super::image::position(entry.path()) {
                    loaded.positions.insert(relp.clone(), p);
                }
            }
            loaded.assets.push((relp, size));
        }
    }
    use rayon::prelude::*;
    type Parsed = (PathBuf, Result<Source, Vec<Diagnostic>>, Vec<Diagnostic>);
    let results: Vec<Parsed> = md_files
        .par_iter()
        .map(|(relp, abs)| {
            let mut warnings = Vec::new();
            let r = read_reusing(abs, |bytes| parse_source(relp, bytes, &mut warnings))
                .unwrap_or_else(|e| {
                    Err(vec![Diagnostic::new(
                        Code::E001,
                        relp.clone(),
                        format!("无法读取文件：{}", crate::diag::io_message(&e)),
                    )])
                });
            (relp.clone(), r, warnings)
        })
        .collect();
    for (path, r, warnings) in results {
        loaded.diagnostics.extend(warnings);
        match r {
            Ok(s) => loaded.sources.push(std::sync::Arc::new(s)),
            Err(d) => {
                loaded.unreadable.push(path);
                loaded.diagnostics.extend(d);
            }
        }
    }
    loaded
}

/// Where `gongkai new PATH` may write: `content/PATH` (or `PATH` itself when it starts with
/// `content/`), root-relative, with `.md` added. Refused, with a message in Chinese first: a path
/// that leaves `content/` once `.` and `..` are folded (`../../x.md`), an absolute path outside
/// it, a symbolic link on the way (`load` never follows one, so the document would not be read,
/// and its target may lie outside `content/`), and names `load` skips (`.hidden`, `x~`).
pub fn new_document_path(root: &Path, path: &Path) -> Result<PathBuf, String> {
    let shown = path.display();
    let outside = || {
        format!(
            "路径 “{shown}” 不在 content/ 目录之内；gongkai new 只在站点的 content/ 下新建文件，请写成相对于 content/ 的路径，例如 2024/yusuan.md (PATH must be inside content/)"
        )
    };
    let base = if root.is_absolute() {
        root.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("无法确定当前目录: {e} (cannot read the current directory)"))?
            .join(root)
    };
    let content = fold(&base.join(CONTENT_DIR));
    let wanted = if path.is_absolute() {
        path.to_path_buf()
    } else if path.starts_with(CONTENT_DIR) {
        base.join(path)
    } else {
        base.join(CONTENT_DIR).join(path)
    };
    let wanted = fold(&wanted);
    let inside = wanted.strip_prefix(&content).map_err(|_| outside())?;
    if inside.as_os_str().is_empty() {
        return Err(format!(
            "路径 “{shown}” 是 content/ 目录本身；请给出文件名，例如 2024/yusuan.md (PATH names no file)"
        ));
    }
    let inside = if inside.extension().is_some_and(|e| e == "md") {
        inside.to_path_buf()
    } else {
        inside.with_extension("md")
    };
    let mut on_disk = content.clone();
    for part in inside.components() {
        let name = part.as_os_str().to_string_lossy();
        if is_editor_junk(&name) {
            return Err(format!(
                "路径 “{shown}” 中的 “{name}” 是隐藏或临时文件名（以 . 开头或以 ~、.bak、.tmp 结尾），构建时不会读取；请换一个名字 (gongkai skips such names)"
            ));
        }
        on_disk.push(part);
        match std::fs::symlink_metadata(&on_disk) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(format!(
                    "路径 “{shown}” 经过符号链接 {}；gongkai 不读取符号链接，它也可能指向 content/ 之外。请在 content/ 下的真实目录中新建 (PATH goes through a symbolic link)",
                    rel(root, &on_disk).display()
                ))
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(Path::new(CONTENT_DIR).join(inside))
}

/// `path` with `.` dropped and `..` applied to the part before it (no file-system access).
fn fold(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A symbolic link under `content/` is never followed: its target may lie outside `content/`
/// (another site's withheld files, a system file), and a link loop would never end. Said, not
/// silent, so an editor who linked a document in does not wonder why it is missing.
fn symlink_ignored(relp: &Path) -> Diagnostic {
    Diagnostic::new(Code::E001,
        relp,
        "这是符号链接，gongkai 不读取符号链接（它可能指向 content/ 之外）：它指向的文件或目录不会发布 (symbolic links are not followed)",
    )
    .help("把文件本身（而不是链接）放进 content/；如果这个链接不是有意放的，删除它")
    .at_most(crate::diag::Severity::Warn)
}

fn rel(root: &Path, p: &Path) -> PathBuf {
    let r = p.strip_prefix(root).unwrap_or(p);
    PathBuf::from(r.to_string_lossy().replace('\\', "/"))
}

/// One file under `content/` as `serve` keeps it between rebuilds.
#[derive(Debug, Clone)]
pub enum FileState {
    /// A Markdown file that parsed, with its soft findings.
    Source(SharedSource, Vec<Diagnostic>),
    /// A Markdown file that did not parse.
    Unreadable(Vec<Diagnostic>),
    /// Any other file (attachment, image), with its size and the position it records (a
    /// photo's GPS data, see [`super::image`]).
    Asset(u64, Option<String>),
    /// An annual-report data file (`annual/YEAR.toml`): its text, or why it could not be read.
    Annual(i32, Result<String, String>),
    /// A 标准目录 file (`catalogue/<领域>.toml`): its text, or why it could not be read.
    Catalogue(Result<String, String>),
    /// Not read (a symbolic link), with the finding that says so.
    Ignored(Vec<Diagnostic>),
}

/// Reads one file (relative to the root); `None` if it is gone, a folder, editor junk or under
/// a symbolic link; [`FileState::Ignored`] if it is a symbolic link itself. `load` walks the
/// same way, so `serve` sees exactly the files a build reads.
pub fn load_file(root: &Path, rel: &Path) -> Option<FileState> {
    let abs = root.join(rel);
    let name = rel.file_name()?.to_string_lossy().into_owned();
    if is_editor_junk(&name) {
        return None;
    }
    // Folders between content/ and the file: a link among them is not walked into.
    let mut on_the_way = root.join(CONTENT_DIR);
    let inside = rel
        .strip_prefix(CONTENT_DIR)
        .ok()
        .filter(|i| !i.as_os_str().is_empty())?;
    for part in inside.parent().into_iter().flat_map(Path::components) {
        on_the_way.push(part);
        if std::fs::symlink_metadata(&on_the_way).is_ok_and(|m| m.file_type().is_symlink()) {
            return None;
        }
    }
    if std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_symlink()) {
        return Some(FileState::Ignored(vec![symlink_ignored(rel)]));
    }
    if !abs.is_file() {
        return None;
    }
    if abs.extension().is_none_or(|e| e != "md") {
        return Some(FileState::Asset(
            abs.metadata().map(|m| m.len()).unwrap_or(0),
            super::image::may_carry_position(rel)
                .then(|| super::image::position(&abs))
                .flatten(),
        ));
    }
    let mut soft = Vec::new();
    Some(match std::fs::read(&abs) {
        Err(e) => FileState::Unreadable(vec![Diagnostic::new(
            Code::E001,
            rel,
            format!("无法读取文件：{}", crate::diag::io_message(&e)),
        )]),
        Ok(bytes) => match parse_source(rel, &bytes, &mut soft) {
            Ok(s) => FileState::Source(std::sync::Arc::new(s), soft),
            Err(d) => FileState::Unreadable(d),
        },
    })
}

impl Loaded {
    /// The files of a whole walk, keyed by path (for `serve`).
    pub fn into_files(self) -> BTreeMap<PathBuf, FileState> {
        let mut soft: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for d in self.diagnostics {
            soft.entry(d.file.clone()).or_default().push(d);
        }
        let mut out = BTreeMap::new();
        for s in self.sources {
            let d = soft.remove(&s.path).unwrap_or_default();
            out.insert(s.path.clone(), FileState::Source(s, d));
        }
        for p in self.unreadable {
            let d = soft.remove(&p).unwrap_or_default();
            out.insert(p, FileState::Unreadable(d));
        }
        let mut positions = self.positions;
        for (p, size) in self.assets {
            let position = positions.remove(&p);
            out.insert(p, FileState::Asset(size, position));
        }
        for (year, text) in self.annual {
            out.insert(
                crate::report::annual::file_for(year),
                FileState::Annual(year, text),
            );
        }
        for (path, text) in self.catalogue {
            out.insert(path, FileState::Catalogue(text));
        }
        // What remains is about files that are not read (symbolic links, unreadable folders).
        for (p, d) in soft {
            out.insert(p, FileState::Ignored(d));
        }
        out
    }

    /// Reassembles a walk from per-file states, in path order.
    pub fn from_files(files: &BTreeMap<PathBuf, FileState>) -> Loaded {
        let mut l = Loaded::default();
        for (p, f) in files {
            match f {
                FileState::Source(s, d) => {
                    l.sources.push(s.clone());
                    l.diagnostics.extend(d.iter().cloned());
                }
                FileState::Unreadable(d) => {
                    l.unreadable.push(p.clone());
                    l.diagnostics.extend(d.iter().cloned());
                }
                FileState::Asset(size, position) => {
                    l.assets.push((p.clone(), *size));
                    if let Some(pos) = position {
                        l.positions.insert(p.clone(), pos.clone());
                    }
                }
                FileState::Annual(year, text) => {
                    l.annual.insert(*year, text.clone());
                }
                FileState::Catalogue(text) => {
                    l.catalogue.insert(p.clone(), text.clone());
                }
                FileState::Ignored(d) => l.diagnostics.extend(d.iter().cloned()),
            }
        }
        l
    }
}
