//! One Markdown file's bytes → a [`Source`]: front-matter split from the body, YAML parsed,
//! every key (English or Chinese label) mapped to its canonical name with the line it stands on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diag::{Code, Diagnostic};
use crate::labels;

/// One front-matter value as written.
#[derive(Debug, Clone)]
pub struct RawField {
    /// The parsed YAML value (never `Null`: null and empty values are dropped at load).
    pub value: Value,
    /// 1-based line of the key in the file.
    pub line: usize,
    /// The key as the editor wrote it (`索引号` or `index_no`): the label's own text, not a
    /// copy, when it is written exactly as listed (100,000 files hold a dozen each).
    pub written_key: std::borrow::Cow<'static, str>,
    /// A number's text as written after the colon (keeps `20.10` from becoming `20.1`);
    /// empty for every other value, whose parsed form is the text.
    pub raw_text: Box<str>,
}

/// A file's front-matter fields by canonical key, in key order. A sorted vector, not a
/// `BTreeMap`: a dozen fields per file, 100,000 files held at once, and a B-tree's nodes
/// cost a document ~5 KiB against ~2 KiB here.
pub type Fields = litemap::LiteMap<&'static str, RawField>;

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
    pub fields: Fields,
    /// Fields written but left empty (`发布机构: ""`), by canonical key, with their line: a
    /// required one is reported there, not at the top of the header.
    pub empty: BTreeMap<&'static str, usize>,
    /// Markdown body.
    pub body: std::sync::Arc<str>,
    /// Byte offset of the body in the file's text (after the BOM is removed and line ends
    /// are made `\n`): where [`super::body_again`] finds it.
    pub body_at: usize,
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

/// The content as validate takes it: assembled from a [`super::Snapshot`]'s files.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Sources that parsed.
    pub sources: Vec<SharedSource>,
    /// Paths of files that did not parse (never published, whatever they say).
    pub unreadable: Vec<PathBuf>,
    /// Non-Markdown files under `content/` (attachments, images), relative to the root, with
    /// their sizes.
    pub assets: Vec<(PathBuf, u64)>,
    /// The assets that record where they were taken (a photo's GPS position), with that
    /// position as the review shows it (P30).
    pub positions: BTreeMap<PathBuf, String>,
    /// The annual-report data files, `annual/YEAR.toml` by year: their text, or why they could
    /// not be read.
    pub annual: BTreeMap<i32, Result<String, String>>,
    /// The 政务公开事项标准目录 files, `catalogue/<领域>.toml` by path (relative to the root):
    /// their text, or why they could not be read.
    pub catalogue: BTreeMap<PathBuf, Result<String, String>>,
    /// Findings.
    pub diagnostics: Vec<Diagnostic>,
    /// The site folder the sources can be read again from ([`super::Snapshot::root`]).
    pub root: Option<std::sync::Arc<Path>>,
}

/// Identifies a file's bytes at its path ([`Source::hash`]).
pub(super) fn source_hash(path: &Path, bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (path, bytes).hash(&mut h);
    h.finish()
}

/// A file's text as it is parsed: without a byte-order mark, every line end `\n`.
pub(super) fn normalized(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    }
}

/// Parses one file's bytes. Hard failures (no front-matter, bad YAML) are `Err`; soft ones
/// (unknown keys) go to `soft` and the source still loads.
pub fn parse_source(
    path: &Path,
    bytes: &[u8],
    soft: &mut Vec<Diagnostic>,
) -> Result<Source, Vec<Diagnostic>> {
    let hash = source_hash(path, bytes);
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
    let text = normalized(text);
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
    let mut fields = Fields::new();
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
                raw_text: match v {
                    Value::Number(_) => raw_text.into(),
                    _ => Box::default(),
                },
                value: v,
                line,
                written_key: labels::written_label(key, written),
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
        body: body.into(),
        body_at: body_start,
        body_line: close_line + 1,
        hash,
    })
}

/// True for a value the loader drops as empty (`""`, `[]`, null): the field counts as absent.
pub(crate) fn is_empty(v: &Value) -> bool {
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

/// Where the `key:` colon of a YAML line is (a colon followed by a space or the line end).
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
        assert_eq!(s.fields[&"index_no"].line, 3);
        assert_eq!(s.fields[&"index_no"].written_key, "索引号");
        assert_eq!(&*s.body, "正文\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let s = parse("\u{feff}---\r\ntitle: 标题\r\n---\r\n正文\r\n").unwrap();
        assert_eq!(s.fields[&"title"].value.as_str(), Some("标题"));
        assert_eq!(&*s.body, "正文\n");
    }

    #[test]
    fn a_body_is_read_again_as_it_was_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let root: std::sync::Arc<Path> = std::sync::Arc::from(dir.path());
        for text in [
            "\u{feff}---\r\ntitle: 标题\r\n---\r\n正文第一段\r\n\r\n第二段\r\n",
            "---\ntitle: 标题\n---\n\n正文\n",
            "---\ntitle: 标题\n---\n",
        ] {
            std::fs::create_dir_all(dir.path().join("content")).unwrap();
            std::fs::write(dir.path().join("content/a.md"), text).unwrap();
            let s = parse(text).unwrap();
            let f = crate::load::BodyFile::new(&root, &s);
            assert_eq!(crate::load::body_again(&f).unwrap(), s.body);
            // One byte changed: refused, naming the file.
            std::fs::write(
                dir.path().join("content/a.md"),
                text.replace("标题", "标 题"),
            )
            .unwrap();
            let e = crate::load::body_again(&f).unwrap_err();
            assert_eq!(e.rule, Code::E001);
            assert_eq!(e.file, Path::new("content/a.md"));
        }
    }

    #[test]
    fn rejects_missing_closing_fence() {
        let e = parse("---\ntitle: 标题\n正文\n").unwrap_err();
        assert_eq!(e[0].rule, crate::diag::Code::E002);
        assert!(e[0].message.contains("结束"));
    }

    #[test]
    fn rejects_non_utf8_with_line() {
        let mut bytes = b"---\ntitle: x\n---\n".to_vec();
        bytes.extend_from_slice(&[0xd5, 0xfe, 0xb8]);
        let e = parse_source(Path::new("content/a.md"), &bytes, &mut Vec::new()).unwrap_err();
        assert_eq!(e[0].rule, crate::diag::Code::E001);
        assert_eq!(e[0].line, Some(4));
    }

    #[test]
    fn reports_yaml_errors_with_file_line() {
        let e = parse("---\ntitle: \"a\npublished: 2022-01-01\n---\n").unwrap_err();
        assert_eq!(e[0].rule, crate::diag::Code::E003);
        assert!(e[0].line.unwrap() >= 2);
    }

    #[test]
    fn keeps_raw_text_of_numbers() {
        let s = parse("---\nitem: 20.10\n---\n").unwrap();
        assert_eq!(&*s.fields[&"item"].raw_text, "20.10");
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
        assert_eq!(soft[0].rule, crate::diag::Code::E004);
        assert!(soft[0].message.contains("title"), "{}", soft[0].message);
    }

    #[test]
    fn rejects_alias_duplicates() {
        let e = parse("---\ntitle: a\n名称: b\n---\n").unwrap_err();
        assert_eq!(e[0].rule, crate::diag::Code::E006);
    }
}
