//! The header editor: changes front-matter fields in a document's text line by line, so that a
//! save from the workbench changes only the lines of the fields that changed. Unknown keys,
//! comments, blank lines, the order of keys, their spelling (`索引号` or `index_no`), the quoting
//! of untouched values, a byte-order mark and CRLF line ends all stay as they were.
//!
//! A field is a *block*: its key line and the lines that continue it (indented lines, `- item`
//! lines of a list, blank lines inside them). A changed field's block is replaced by the new
//! value in the format `gongkai new` writes (strings double-quoted, short lists on one line,
//! attachments and `review_ok` as indented blocks); a new field goes after the field that comes
//! before it in [`labels::FIELDS`], spelled in the language most of the header's keys use.
//!
//! No YAML crate edits text and keeps its formatting, so the result is proved instead: both
//! texts are parsed by the loader, and every field not edited must read exactly as before (value
//! and spelling), every edited one as asked, and the body must be unchanged. Anything else is
//! refused before a byte is written, so an edit can never lose data.

use std::path::Path;

use serde_yaml::Value;

use crate::labels;
use crate::load::{self, Source};

/// What to do with one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Write this value (an empty string writes `key: ""`, as `gongkai new` does).
    Set(Value),
    /// Delete the field's lines, and the comment right above them that names the field (the
    /// `# 草稿：…` above `draft: true`).
    Remove,
}

/// Why a header could not be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// The file has no front-matter between two `---` lines.
    #[error(
        "文件没有以 --- 开始和结束的 front-matter，无法按字段修改 (the file has no front-matter)"
    )]
    NoFrontMatter,
    /// The file as it is does not load; its first finding says why.
    #[error("文件现在无法读取，请先改正：{0} (the file does not load)")]
    Unreadable(String),
    /// The edited text would not read back as intended (a value this editor cannot place).
    #[error("无法在不改动其他内容的情况下修改字段 {key}（{label}），文件没有改动。请在文本编辑器中修改这个字段 (field {key} cannot be changed without touching other lines; nothing was written)")]
    NotPreserved {
        /// The field.
        key: String,
        /// Its Chinese label.
        label: String,
    },
}

/// One field of the header: its key line and the lines that continue it.
#[derive(Debug, Clone)]
struct Block {
    /// Canonical key (`None` for a key gongkai does not know: kept, never edited).
    key: Option<&'static str>,
    /// First line (index into the front-matter lines).
    start: usize,
    /// One past the last line.
    end: usize,
    /// The key as written, through its colon (`索引号:`, `"title":`).
    prefix: String,
    /// True when the key is written in Chinese.
    chinese: bool,
}

/// Applies `edits` to the document `text` (the whole file); `path` names it in findings. The
/// result is verified as the module doc says.
pub fn edit(
    path: &Path,
    text: &str,
    edits: &[(&'static str, Edit)],
) -> Result<String, HeaderError> {
    let before = parse(path, text)?;
    let bom = text.starts_with('\u{feff}');
    let crlf = text.contains("\r\n");
    let plain = text.strip_prefix('\u{feff}').unwrap_or(text);
    let plain = if plain.contains('\r') {
        plain.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        plain.to_string()
    };
    let lines: Vec<&str> = plain.split_inclusive('\n').collect();
    let close = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map(|i| i + 1)
        .ok_or(HeaderError::NoFrontMatter)?;
    let fm = &lines[1..close];
    let blocks = blocks(fm);
    // New keys are spelled as most keys are; on a tie, as the key they are placed next to.
    let zh = blocks
        .iter()
        .filter(|b| b.key.is_some() && b.chinese)
        .count();
    let en = blocks
        .iter()
        .filter(|b| b.key.is_some() && !b.chinese)
        .count();

    // Planned changes, by front-matter line: (first line, lines replaced, new lines).
    let mut plan: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut ordered: Vec<&(&'static str, Edit)> = edits.iter().collect();
    ordered.sort_by_key(|(k, _)| order(k));
    for (key, e) in ordered {
        match (blocks.iter().find(|b| b.key == Some(*key)), e) {
            (Some(b), Edit::Set(v)) => {
                let comment = (b.end - b.start == 1)
                    .then(|| trailing_comment(&fm[b.start][b.prefix.len()..]))
                    .flatten()
                    .unwrap_or_default();
                plan.push((
                    b.start,
                    b.end - b.start,
                    field_lines(&b.prefix, v, &comment),
                ));
            }
            (Some(b), Edit::Remove) => {
                let mut start = b.start;
                let label = labels::field_label(key).unwrap_or(key);
                while start > 0 && names_field(fm[start - 1], key, label) {
                    start -= 1;
                }
                plan.push((start, b.end - start, Vec::new()));
            }
            (None, Edit::Remove) => {}
            (None, Edit::Set(v)) => {
                let (at, neighbour) = insertion_point(fm, &blocks, key);
                let chinese = match zh.cmp(&en) {
                    std::cmp::Ordering::Greater => true,
                    std::cmp::Ordering::Less => false,
                    std::cmp::Ordering::Equal => neighbour.is_some_and(|b| b.chinese),
                };
                let spelled = if chinese {
                    labels::field_label(key).unwrap_or(key)
                } else {
                    key
                };
                plan.push((at, 0, field_lines(&format!("{spelled}:"), v, "")));
            }
        }
    }
    plan.sort_by_key(|(at, n, _)| (*at, *n));
    let mut out = String::with_capacity(plain.len() + 64);
    out.push_str(lines[0]);
    let mut i = 0;
    for (at, n, new) in plan {
        while i < at {
            out.push_str(fm[i]);
            i += 1;
        }
        for l in new {
            out.push_str(&l);
            out.push('\n');
        }
        i = i.max(at + n);
    }
    while i < fm.len() {
        out.push_str(fm[i]);
        i += 1;
    }
    for l in &lines[close..] {
        out.push_str(l);
    }
    let after = parse(path, &out)?;
    if before.unknown != after.unknown {
        return Err(HeaderError::NotPreserved {
            key: "（未知字段 unknown keys）".into(),
            label: String::new(),
        });
    }
    verify(&before.source, &after.source, edits)?;
    let mut result = String::new();
    if bom {
        result.push('\u{feff}');
    }
    result.push_str(&if crlf { out.replace('\n', "\r\n") } else { out });
    Ok(result)
}

/// A document as the loader reads it, with its unknown keys (as written) and their values.
struct Parsed {
    source: Source,
    unknown: Vec<(String, Value)>,
}

/// `text` with its body replaced by `body` (written with the file's line ends); the header is
/// kept byte for byte. A body equal to the present one (line ends aside) changes nothing.
pub fn with_body(text: &str, body: &str) -> Result<String, HeaderError> {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_start_matches('\u{feff}').trim_end() != "---" {
        return Err(HeaderError::NoFrontMatter);
    }
    let mut end = first.len();
    let mut closed = false;
    for l in lines {
        end += l.len();
        if l.trim_end() == "---" {
            closed = true;
            break;
        }
    }
    if !closed {
        return Err(HeaderError::NoFrontMatter);
    }
    let now = &text[end..];
    if now.replace("\r\n", "\n") == body {
        return Ok(text.to_string());
    }
    let body = if text.contains("\r\n") {
        body.replace('\n', "\r\n")
    } else {
        body
    };
    Ok(format!("{}{body}", &text[..end]))
}

fn parse(path: &Path, text: &str) -> Result<Parsed, HeaderError> {
    let mut soft = Vec::new();
    let source = load::parse_source(path, text.as_bytes(), &mut soft).map_err(|d| {
        if d.iter().any(|d| d.rule == crate::diag::Code::E002) {
            HeaderError::NoFrontMatter
        } else {
            HeaderError::Unreadable(
                d.first()
                    .map(|d| crate::diag::render_human(d, false))
                    .unwrap_or_default(),
            )
        }
    })?;
    Ok(Parsed {
        unknown: unknown_keys(text),
        source,
    })
}

/// The top-level keys the loader does not know, with their values: an edit must keep them.
fn unknown_keys(text: &str) -> Vec<(String, Value)> {
    let plain = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let Some(rest) = plain.strip_prefix("---\n") else {
        return Vec::new();
    };
    let fm = rest
        .split_inclusive('\n')
        .take_while(|l| l.trim_end() != "---")
        .collect::<String>();
    match serde_yaml::from_str::<Value>(&fm) {
        Ok(Value::Mapping(m)) => m
            .into_iter()
            .filter_map(|(k, v)| {
                let k = k.as_str()?.to_string();
                labels::canonical_key(&k).is_none().then_some((k, v))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The position of `key` in the table of fields (unknown keys last).
fn order(key: &str) -> usize {
    labels::FIELDS
        .iter()
        .position(|f| f.key == key)
        .unwrap_or(usize::MAX)
}

fn blocks(fm: &[&str]) -> Vec<Block> {
    let mut out = Vec::new();
    for (i, l) in fm.iter().enumerate() {
        let l = l.trim_end_matches('\n');
        if l.starts_with([' ', '\t', '#', '-']) || l.trim().is_empty() {
            continue;
        }
        let Some(colon) = load::find_key_colon(l) else {
            continue;
        };
        let written = l[..colon].trim().trim_matches(|c| c == '"' || c == '\'');
        let mut end = i + 1;
        for (j, next) in fm.iter().enumerate().skip(i + 1) {
            if next.trim().is_empty() {
                continue;
            }
            if next.starts_with([' ', '\t', '-']) {
                end = j + 1;
            } else {
                break;
            }
        }
        out.push(Block {
            key: labels::canonical_key(written),
            start: i,
            end,
            prefix: l[..=colon].to_string(),
            chinese: !written.is_ascii(),
        });
    }
    out
}

/// Where a new field goes: after the block of the nearest field before it in the table of
/// fields, else before the comments above the first field after it, else at the end; with the
/// field it is placed next to.
fn insertion_point<'b>(fm: &[&str], blocks: &'b [Block], key: &str) -> (usize, Option<&'b Block>) {
    let rank = order(key);
    let known = |b: &&Block| b.key.is_some();
    if let Some(b) = blocks
        .iter()
        .filter(known)
        .filter(|b| order(b.key.unwrap_or_default()) < rank)
        .max_by_key(|b| order(b.key.unwrap_or_default()))
    {
        return (b.end, Some(b));
    }
    if let Some(b) = blocks
        .iter()
        .filter(known)
        .min_by_key(|b| order(b.key.unwrap_or_default()))
    {
        let mut at = b.start;
        while at > 0 && fm[at - 1].starts_with('#') {
            at -= 1;
        }
        return (at, Some(b));
    }
    (fm.len(), None)
}

/// True for a comment line that names the field (`# 草稿：写完并审查后删除这一行`).
fn names_field(line: &str, key: &str, label: &str) -> bool {
    let Some(c) = line.strip_prefix('#') else {
        return false;
    };
    let c = c.trim_start();
    c.starts_with(label) || c.starts_with(key)
}

/// The comment after a one-line value (`市政府办公室  # 发文机关` → `  # 发文机关`), with the
/// space before it; quotes are skipped, so a `#` inside a quoted value is not a comment.
fn trailing_comment(raw: &str) -> Option<String> {
    let v = raw.trim_end_matches(['\n', '\r']).trim_start();
    let after_value = match v.chars().next() {
        Some('"') => {
            let mut escaped = false;
            let end = v[1..].char_indices().find(|&(_, c)| {
                let close = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                close
            })?;
            1 + end.0 + 1
        }
        Some('\'') => {
            let b = v.as_bytes();
            let mut i = 1;
            loop {
                match b.get(i) {
                    None => return None,
                    Some(b'\'') if b.get(i + 1) == Some(&b'\'') => i += 2,
                    Some(b'\'') => break i + 1,
                    Some(_) => i += 1,
                }
            }
        }
        _ => 0,
    };
    let rest = &v[after_value..];
    let hash = [rest.find(" #"), rest.find("\t#")]
        .into_iter()
        .flatten()
        .min()?;
    let start = rest[..hash].trim_end_matches([' ', '\t']).len();
    Some(rest[start..].to_string())
}

/// The lines of a field: `prefix value`, or `prefix` then indented lines for a block value.
fn field_lines(prefix: &str, v: &Value, comment: &str) -> Vec<String> {
    match render(v) {
        Rendered::Inline(s) => vec![format!("{prefix} {s}{comment}")],
        Rendered::Block(mut lines) => {
            lines.insert(0, prefix.to_string());
            lines
        }
    }
}

/// A value as the CLI writes it.
enum Rendered {
    Inline(String),
    Block(Vec<String>),
}

/// A scalar as YAML (strings as JSON strings, which YAML reads as double-quoted scalars).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(serde_json::to_string(s).expect("a string serialises")),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => Some("\"\"".into()),
        _ => None,
    }
}

/// A mapping key as YAML: plain when it is a simple word, quoted otherwise.
fn map_key(k: &Value) -> String {
    match k {
        Value::String(s)
            if !s.is_empty()
                && s.chars().all(|c| c.is_alphanumeric() || c == '_')
                && !matches!(s.as_str(), "true" | "false" | "null" | "yes" | "no") =>
        {
            s.clone()
        }
        other => scalar(other).unwrap_or_else(|| "\"\"".into()),
    }
}

fn render(v: &Value) -> Rendered {
    if let Some(s) = scalar(v) {
        return Rendered::Inline(s);
    }
    let flow = || Rendered::Inline(serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into()));
    match v {
        Value::Sequence(items) if items.iter().all(|i| scalar(i).is_some()) => {
            Rendered::Inline(format!(
                "[{}]",
                items
                    .iter()
                    .filter_map(scalar)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
        Value::Sequence(items) => {
            let mut lines = Vec::new();
            for it in items {
                match it {
                    Value::Mapping(m) if m.values().all(|x| scalar(x).is_some()) => {
                        for (n, (k, x)) in m.iter().enumerate() {
                            let lead = if n == 0 { "  - " } else { "    " };
                            lines.push(format!(
                                "{lead}{}: {}",
                                map_key(k),
                                scalar(x).unwrap_or_default()
                            ));
                        }
                    }
                    other => match scalar(other) {
                        Some(s) => lines.push(format!("  - {s}")),
                        None => return flow(),
                    },
                }
            }
            Rendered::Block(lines)
        }
        Value::Mapping(m) if m.values().all(|x| scalar(x).is_some()) => Rendered::Block(
            m.iter()
                .map(|(k, x)| format!("  {}: {}", map_key(k), scalar(x).unwrap_or_default()))
                .collect(),
        ),
        _ => flow(),
    }
}

fn verify(
    before: &Source,
    after: &Source,
    edits: &[(&'static str, Edit)],
) -> Result<(), HeaderError> {
    let fail = |key: &str| HeaderError::NotPreserved {
        key: key.to_string(),
        label: labels::field_label(key).unwrap_or("").to_string(),
    };
    if before.body != after.body {
        return Err(fail("body"));
    }
    let keys: std::collections::BTreeSet<&str> = before
        .fields
        .keys()
        .chain(after.fields.keys())
        .chain(before.empty.keys())
        .chain(after.empty.keys())
        .copied()
        .collect();
    for key in keys {
        let read = |s: &Source| {
            (
                s.fields
                    .get(key)
                    .map(|f| (f.value.clone(), f.written_key.clone())),
                s.empty.contains_key(key),
            )
        };
        match edits.iter().find(|(k, _)| *k == key).map(|(_, e)| e) {
            None => {
                if read(before) != read(after) {
                    return Err(fail(key));
                }
            }
            Some(Edit::Remove) => {
                if after.fields.contains_key(key) || after.empty.contains_key(key) {
                    return Err(fail(key));
                }
            }
            Some(Edit::Set(v)) if load::is_empty(v) => {
                if after.fields.contains_key(key) || !after.empty.contains_key(key) {
                    return Err(fail(key));
                }
            }
            Some(Edit::Set(v)) => {
                if after.fields.get(key).map(|f| &f.value) != Some(v) {
                    return Err(fail(key));
                }
            }
        }
    }
    for (key, e) in edits {
        if let Edit::Set(v) = e {
            if !load::is_empty(v) && !after.fields.contains_key(key) {
                return Err(fail(key));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
