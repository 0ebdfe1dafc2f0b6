//! Stage 1, load: `content/` on disk → `Vec<Source>`.
//!
//! Walks `content/` in sorted order, splits each Markdown file into front-matter and body, parses
//! the front-matter as YAML and maps every key (English or Chinese label) to its canonical name
//! with the line it stands on. It decides nothing about publication: that is `validate`'s job.
//! Files that cannot be read become diagnostics and the walk goes on, so one build reports all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diag::{Code, Diagnostic};
use crate::labels;

mod yaml;

/// The content folder's name under the site root.
pub const CONTENT_DIR: &str = "content";

/// One front-matter value as written.
#[derive(Debug, Clone)]
pub struct RawField {
    /// The parsed YAML value (never `Null`: null and empty values are dropped at load).
    pub value: Value,
    /// 1-based line of the key in the file.
    pub line: usize,
    /// The key as the editor wrote it (`索引号` or `index_no`).
    pub written_key: String,
    /// The scalar's text as written after the colon (keeps `20.10` from becoming `20.1`).
    pub raw_text: String,
}

/// Whether a file is a document or a column page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A public document (any `.md` except `_index.md`).
    Document,
    /// A column's own page (`_index.md`): 指南 text, column introductions.
    Section,
}

/// One Markdown file, split and with its front-matter mapped.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root (`content/zcwj/44.md`), with `/` separators.
    pub path: PathBuf,
    /// Document or column page.
    pub kind: SourceKind,
    /// Front-matter fields by canonical key.
    pub fields: BTreeMap<&'static str, RawField>,
    /// Fields written but left empty (`发布机构: ""`), by canonical key, with their line: a
    /// required one is reported there, not at the top of the header.
    pub empty: BTreeMap<&'static str, usize>,
    /// Markdown body.
    pub body: String,
    /// 1-based line where the body starts.
    pub body_line: usize,
    /// Hash of the file's bytes: work derived from this source alone can be reused while it
    /// is unchanged (`serve`).
    pub hash: u64,
    /// True if the body may link to other files (its rendering then depends on their URLs).
    pub links: bool,
}

/// Sources are shared, not copied, between stages and rebuilds.
pub type SharedSource = std::sync::Arc<Source>;

/// What `load` returns.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Sources that parsed.
    pub sources: Vec<SharedSource>,
    /// Paths of files that did not parse (never published, whatever they say).
    pub unreadable: Vec<PathBuf>,
    /// Non-Markdown files under `content/` (attachments, images), relative to the root, with
    /// their sizes.
    pub assets: Vec<(PathBuf, u64)>,
    /// The annual-report data files, `annual/YEAR.toml` by year: their text, or why they could
    /// not be read.
    pub annual: BTreeMap<i32, Result<String, String>>,
    /// The 政务公开事项标准目录 files, `catalogue/<领域>.toml` by path (relative to the root):
    /// their text, or why they could not be read.
    pub catalogue: BTreeMap<PathBuf, Result<String, String>>,
    /// Findings.
    pub diagnostics: Vec<Diagnostic>,
}

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

/// Loads every input of the site: the files under `root/content`, the annual-report data and
/// the 标准目录.
pub fn load(root: &Path) -> Loaded {
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
            loaded.assets.push((relp, size));
        }
    }
    use rayon::prelude::*;
    let results: Vec<(PathBuf, Result<Source, Vec<Diagnostic>>, Vec<Diagnostic>)> = md_files
        .par_iter()
        .map(|(relp, abs)| {
            let mut warnings = Vec::new();
            let r = std::fs::read(abs)
                .map_err(|e| {
                    vec![Diagnostic::new(
                        Code::E001,
                        relp.clone(),
                        format!("无法读取文件：{}", crate::diag::io_message(&e)),
                    )]
                })
                .and_then(|bytes| parse_source(relp, &bytes, &mut warnings));
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

/// Parses one file's bytes. Hard failures (no front-matter, bad YAML) are `Err`; soft ones
/// (unknown keys) go to `soft` and the source still loads.
pub fn parse_source(
    path: &Path,
    bytes: &[u8],
    soft: &mut Vec<Diagnostic>,
) -> Result<Source, Vec<Diagnostic>> {
    let hash = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (path, bytes).hash(&mut h);
        h.finish()
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return Err(vec![Diagnostic::new(
                Code::E001,
                path,
                format!("文件不是 UTF-8 编码（第 {line} 行有无效字节，可能是 GBK/GB2312）"),
            )
            .at(line)
            .help("在编辑器中把文件另存为 UTF-8 编码（如 iconv -f GBK -t UTF-8）")]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    };
    let kind = if path.file_name().is_some_and(|n| n == "_index.md") {
        SourceKind::Section
    } else {
        SourceKind::Document
    };
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::new(Code::E002, path, "文件是空的")
            .at(1)
            .help(
                "删除这个文件，或写入以 --- 开始和结束的 front-matter 与正文（见 README 的示例）",
            )]);
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(vec![Diagnostic::new(
            Code::E002,
            path,
            "文件没有以 --- 开头的 front-matter",
        )
        .at(1)
        .help(
            "在第一行写 ---，接着写 title:、disclosure: 等字段，再用一行 --- 结束",
        )]);
    }
    let mut offset = first.len();
    let fm_start = offset;
    let mut close = None;
    for (i, l) in lines.enumerate() {
        if l.trim_end() == "---" {
            close = Some((offset, offset + l.len(), i + 2));
            break;
        }
        offset += l.len();
    }
    let Some((fm_end, body_start, close_line)) = close else {
        return Err(vec![Diagnostic::new(
            Code::E002,
            path,
            "front-matter 没有结束的 --- 行",
        )
        .at(1)
        .help("在最后一个字段之后加一行 ---，再写正文")]);
    };
    let fm = &text[fm_start..fm_end];
    // The mistakes editors make most are found first, at their own line, in plain words;
    // some of them (a full-width colon after an unquoted value) would even parse, silently
    // gluing two fields together.
    if let Some(d) = crate::load::yaml::common_mistake(path, fm, 2) {
        return Err(vec![d]);
    }
    let value: Value = if fm.trim().is_empty() {
        Value::Mapping(Default::default())
    } else {
        serde_yaml::from_str(fm)
            .map_err(|e| vec![crate::load::yaml::parser_error(path, fm, 2, &e)])?
    };
    let Value::Mapping(map) = value else {
        return Err(vec![Diagnostic::new(
            Code::E003,
            path,
            "front-matter 应是 键: 值 的列表",
        )
        .at(2)
        .help("每行写成 键: \"值\"，例如 title: \"关于……的通知\"")]);
    };
    let key_lines = top_level_key_lines(fm, 2);
    let mut fields: BTreeMap<&'static str, RawField> = BTreeMap::new();
    let mut empty: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    for (k, v) in map {
        let written = match &k {
            Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        };
        let (line, raw_text) = key_lines
            .get(&written)
            .cloned()
            .unwrap_or((2, String::new()));
        let Some(key) = labels::canonical_key(&written) else {
            let cands = labels::FIELDS
                .iter()
                .flat_map(|f| std::iter::once(f.key).chain(f.aliases.iter().copied()));
            soft.push(
                Diagnostic::new(
                    Code::E004,
                    path,
                    format!(
                        "未知字段 “{written}”{}",
                        crate::diag::suggest(&written, cands)
                    ),
                )
                .at(line)
                .field(&written)
                .help("改正字段名，或删除这一行；可用字段见 README 的“内容格式”"),
            );
            continue;
        };
        if let Some(prev) = fields.get(key) {
            errors.push(
                Diagnostic::new(
                    Code::E006,
                    path,
                    format!(
                        "字段 {key}（{}）写了两次：第 {} 行 “{}” 和第 {line} 行 “{written}”",
                        labels::field_label(key).unwrap_or(""),
                        prev.line,
                        prev.written_key
                    ),
                )
                .at(line)
                .field(key)
                .help("中文标签与英文键是同一个字段，只保留一个"),
            );
            continue;
        }
        if is_empty(&v) {
            empty.entry(key).or_insert(line);
            continue;
        }
        fields.insert(
            key,
            RawField {
                value: v,
                line,
                written_key: written,
                raw_text,
            },
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let body = &text[body_start..];
    Ok(Source {
        path: path.to_path_buf(),
        kind,
        fields,
        empty,
        links: body.contains("](") || body.contains("href") || body.contains("src="),
        body: body.to_string(),
        body_line: close_line + 1,
        hash,
    })
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Sequence(s) => s.is_empty(),
        _ => false,
    }
}

/// Maps each top-level key as written to its line and the raw text after the colon.
fn top_level_key_lines(fm: &str, first_line: usize) -> BTreeMap<String, (usize, String)> {
    let mut out = BTreeMap::new();
    for (i, l) in fm.lines().enumerate() {
        if l.starts_with([' ', '\t', '#', '-']) || l.trim().is_empty() {
            continue;
        }
        let Some(colon) = find_key_colon(l) else {
            continue;
        };
        let key = l[..colon]
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string();
        let raw = l[colon + 1..].trim();
        let raw = match raw.find(" #") {
            Some(h) if !raw.starts_with(['"', '\'']) => raw[..h].trim(),
            _ => raw,
        };
        out.entry(key).or_insert((first_line + i, raw.to_string()));
    }
    out
}

pub(crate) fn find_key_colon(l: &str) -> Option<usize> {
    if let Some(q) = l.strip_prefix('"') {
        let end = q.find('"')? + 1;
        return l[end + 1..].find(':').map(|c| c + end + 1);
    }
    l.char_indices()
        .find(|&(i, c)| {
            c == ':'
                && l[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|n| n == ' ' || n == '\t')
        })
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Source, Vec<Diagnostic>> {
        parse_source(Path::new("content/a.md"), text.as_bytes(), &mut Vec::new())
    }

    #[test]
    fn maps_chinese_labels_and_lines() {
        let s = parse("---\ntitle: \"标题\"\n索引号: \"13502/2022-26273\"\n---\n正文\n").unwrap();
        assert_eq!(s.fields["index_no"].line, 3);
        assert_eq!(s.fields["index_no"].written_key, "索引号");
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let s = parse("\u{feff}---\r\ntitle: 标题\r\n---\r\n正文\r\n").unwrap();
        assert_eq!(s.fields["title"].value.as_str(), Some("标题"));
        assert_eq!(s.body, "正文\n");
    }

    #[test]
    fn rejects_missing_closing_fence() {
        let e = parse("---\ntitle: 标题\n正文\n").unwrap_err();
        assert_eq!(e[0].rule, "E002");
        assert!(e[0].message.contains("结束"));
    }

    #[test]
    fn rejects_non_utf8_with_line() {
        let mut bytes = b"---\ntitle: x\n---\n".to_vec();
        bytes.extend_from_slice(&[0xd5, 0xfe, 0xb8]);
        let e = parse_source(Path::new("content/a.md"), &bytes, &mut Vec::new()).unwrap_err();
        assert_eq!(e[0].rule, "E001");
        assert_eq!(e[0].line, Some(4));
    }

    #[test]
    fn reports_yaml_errors_with_file_line() {
        let e = parse("---\ntitle: \"a\npublished: 2022-01-01\n---\n").unwrap_err();
        assert_eq!(e[0].rule, "E003");
        assert!(e[0].line.unwrap() >= 2);
    }

    #[test]
    fn keeps_raw_text_of_numbers() {
        let s = parse("---\nitem: 20.10\n---\n").unwrap();
        assert_eq!(s.fields["item"].raw_text, "20.10");
    }

    #[test]
    fn unknown_key_is_soft_with_suggestion() {
        let mut soft = Vec::new();
        let s = parse_source(
            Path::new("content/a.md"),
            "---\ntitel: x\n---\n".as_bytes(),
            &mut soft,
        )
        .unwrap();
        assert!(s.fields.is_empty());
        assert_eq!(soft[0].rule, "E004");
        assert!(soft[0].message.contains("title"), "{}", soft[0].message);
    }

    #[test]
    fn rejects_alias_duplicates() {
        let e = parse("---\ntitle: a\n名称: b\n---\n").unwrap_err();
        assert_eq!(e[0].rule, "E006");
    }
}

/// One file under `content/` as `serve` keeps it between rebuilds.
#[derive(Debug, Clone)]
pub enum FileState {
    /// A Markdown file that parsed, with its soft findings.
    Source(SharedSource, Vec<Diagnostic>),
    /// A Markdown file that did not parse.
    Unreadable(Vec<Diagnostic>),
    /// Any other file (attachment, image), with its size.
    Asset(u64),
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
        for (p, size) in self.assets {
            out.insert(p, FileState::Asset(size));
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
                FileState::Asset(size) => l.assets.push((p.clone(), *size)),
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
