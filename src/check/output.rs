//! Can the output carry what a published document says? Findings that would otherwise surface
//! as a failed write or a broken file, reported at `check` time with the file, line and field:
//!
//! - E012 名称过长: a value that becomes a file or folder name (the 索引号 of the page, the
//!   主题分类, 发布机构 and 文种 of the catalogue pages) longer than [`MAX_NAME_BYTES`]. File
//!   systems hold at most 255 bytes per name (a Chinese character takes 3), and a build would
//!   otherwise die with "File name too long" naming no source. [`unwritable_outputs`] is the last
//!   check before writing, for names no document field explains.
//! - E013 XML 非法字符: text XML cannot carry (U+FFFF, U+FFFE, control characters; see
//!   [`is_xml_char`]). The feeds drop it, so they stay well-formed; the editor is told, because
//!   such characters are never meant (they come from copying out of other systems).
//! - E005 (as a warning) for an `attachments` value that is not a list of files: the page would
//!   silently lack its attachments.

use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diag::{Code, Diagnostic, Severity};
use crate::document::Document;
use crate::labels;
use crate::load::Source;
use crate::render::feeds::is_xml_char;

/// Longest file or folder name made from a document's fields, in bytes (UTF-8). File systems
/// allow 255; the margin leaves room for what servers and tools add to a name (`.gz` and `.br`
/// copies for compressed serving, backup and synchronisation suffixes such as rsync's
/// `.name.XXXXXX`) and for file systems with shorter limits.
pub const MAX_NAME_BYTES: usize = 200;

/// Longest page path made from a 索引号 (all its `/`-separated parts), in bytes. Linux refuses
/// paths over 4,096 bytes, and the output folder's own path comes in front.
pub const MAX_PATH_BYTES: usize = 1000;

/// The file-system limit itself, for [`unwritable_outputs`].
const NAME_MAX: usize = 255;
/// The longest output path [`unwritable_outputs`] lets through.
const PATH_MAX: usize = 3000;

/// Every finding of this module about one published document and its source.
pub fn findings(doc: &Document, src: &Source) -> Vec<Diagnostic> {
    let mut out = long_names(doc, src);
    out.extend(xml_characters(src));
    out.extend(ignored_attachments(src));
    out
}

/// Shortens a long value for a message: its first characters and the total length.
fn shorten(s: &str) -> String {
    if s.chars().count() <= 24 {
        return s.to_string();
    }
    let head: String = s.chars().take(20).collect();
    format!("{head}…（共 {} 个字符）", s.chars().count())
}

/// E012: the names this document's fields become.
fn long_names(doc: &Document, src: &Source) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let line = |key: &str| src.fields.get(key).map(|f| f.line).unwrap_or(2);
    let page = doc.page_path();
    let longest = page.split('/').map(str::len).max().unwrap_or(0);
    let what = if longest > MAX_NAME_BYTES {
        Some(format!(
            "页面的文件名有 {longest} 字节，超过 {MAX_NAME_BYTES} 字节的上限（文件系统每个文件名最多 255 字节）"
        ))
    } else if page.len() > MAX_PATH_BYTES {
        Some(format!(
            "页面的路径有 {} 字节，超过 {MAX_PATH_BYTES} 字节的上限",
            page.len()
        ))
    } else {
        None
    };
    if let Some(what) = what {
        let help = if doc.index_no_origin() == crate::document::IndexNoOrigin::Ledger {
            "这个索引号按 gongkai.toml 的 organisation.index_no_template 和 code 生成：缩短它们"
        } else {
            "改正索引号：通常不超过 30 个字符（如 13502/2022-26273）"
        };
        out.push(
            Diagnostic::new(Code::E012,
                src.path.clone(),
                format!(
                    "索引号 “{}” 决定页面的网址，{what}，这个页面无法写出 (the page name made from index_no is too long)",
                    shorten(doc.index_no().as_str())
                ),
            )
            .at(line("index_no"))
            .field("index_no")
            .help(help),
        );
    }
    out
}

/// E013: characters XML cannot carry, per front-matter field and per body line.
fn xml_characters(src: &Source) -> Vec<Diagnostic> {
    fn bad_in(v: &Value, found: &mut Vec<char>) {
        match v {
            Value::String(s) => found.extend(s.chars().filter(|c| !is_xml_char(*c))),
            Value::Sequence(items) => items.iter().for_each(|i| bad_in(i, found)),
            Value::Mapping(m) => m.values().for_each(|i| bad_in(i, found)),
            Value::Tagged(t) => bad_in(&t.value, found),
            _ => {}
        }
    }
    let describe = |found: &[char]| {
        let mut codes: Vec<String> = found
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        codes.dedup();
        codes.truncate(3);
        format!("{} 个不可见的非法字符（{}）", found.len(), codes.join("、"))
    };
    const HELP: &str = "删除这些字符（常见于从其他系统复制的文字）；Atom 订阅源中已将它们删去";
    let mut out = Vec::new();
    for (key, f) in &src.fields {
        let mut found = Vec::new();
        bad_in(&f.value, &mut found);
        if !found.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::E013,
                    src.path.clone(),
                    format!(
                        "字段 {key}（{}）含有 {}，XML 不允许这些字符 (characters XML cannot carry)",
                        labels::field_label(key).unwrap_or(key),
                        describe(&found)
                    ),
                )
                .at(f.line)
                .field(key)
                .help(HELP),
            );
        }
    }
    // One finding per line, for the first few lines: a pasted binary blob is one problem.
    for (i, line) in src
        .body
        .lines()
        .enumerate()
        .filter(|(_, l)| l.chars().any(|c| !is_xml_char(c)))
        .take(5)
    {
        let found: Vec<char> = line.chars().filter(|c| !is_xml_char(*c)).collect();
        out.push(
            Diagnostic::new(
                Code::E013,
                src.path.clone(),
                format!(
                    "正文这一行含有 {}，XML 不允许这些字符 (characters XML cannot carry)",
                    describe(&found)
                ),
            )
            .at(src.body_line + i)
            .help(HELP),
        );
    }
    out
}

/// E005, as a warning: an `attachments` value, or an item of it, that names no file.
fn ignored_attachments(src: &Source) -> Vec<Diagnostic> {
    let Some(f) = src.fields.get("attachments") else {
        return Vec::new();
    };
    let warn = |message: String| {
        Diagnostic::new(Code::E005, src.path.clone(), message)
            .at(f.line)
            .field("attachments")
            .help("写成 attachments: [\"附件1.pdf\", {path: \"附件2.xlsx\", title: \"2022年预算表\"}]，路径相对于本文件")
            .at_most(Severity::Warn)
    };
    let shown = |v: &Value| {
        serde_yaml::to_string(v)
            .unwrap_or_default()
            .trim()
            .replace('\n', " ")
    };
    match &f.value {
        Value::String(_) => Vec::new(),
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            // A mapping without a path is P18's (an attachment that does not exist).
            .filter(|(_, it)| !matches!(it, Value::String(_) | Value::Mapping(_)))
            .map(|(i, it)| {
                warn(format!(
                    "附件列表的第 {} 项 “{}” 不是文件路径，也不是 {{path, title}}，这一项被忽略，页面上不会有它 (attachment item ignored)",
                    i + 1,
                    shorten(&shown(it))
                ))
            })
            .collect(),
        other => vec![warn(format!(
            "attachments（附件）应是文件列表，这里写成了 “{}”，整个字段被忽略，页面上不会有附件 (attachments is not a list)",
            shorten(&shown(other))
        ))],
    }
}

/// E012, last line of defence: output names the file system would refuse, whatever made them.
/// `doc_pages` maps a document page's path to its source file, to name it when it is one.
pub fn unwritable_outputs(
    paths: &[&str],
    doc_pages: &dyn Fn(&str) -> Option<PathBuf>,
) -> Vec<Diagnostic> {
    paths
        .iter()
        .filter(|p| p.len() > PATH_MAX || p.split('/').any(|s| s.len() > NAME_MAX))
        .map(|path| {
            let source = doc_pages(path)
                .unwrap_or_else(|| Path::new("public").join(shorten(path)));
            Diagnostic::new(Code::E012,
                source,
                format!(
                    "输出文件 “{}” 的名称超出文件系统的限制（每个文件名最多 {NAME_MAX} 字节，整个路径最多 {PATH_MAX} 字节），无法写出 (output name too long)",
                    shorten(path)
                ),
            )
            .help("缩短产生这个名称的文件名、目录名或字段值")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        crate::load::parse_source(Path::new("content/a.md"), text.as_bytes(), &mut Vec::new())
            .unwrap()
    }

    #[test]
    fn xml_characters_name_the_field_and_the_body_line() {
        let src = source(
            "---\ntitle: \"标题\\uFFFF\"\nsummary: \"正常\"\nkeywords: [\"a\", \"b\\u0001\"]\n---\n\n第一行\n第二行\u{fffe}\n",
        );
        let d = xml_characters(&src);
        let got: Vec<(Option<&str>, Option<usize>)> =
            d.iter().map(|d| (d.field.as_deref(), d.line)).collect();
        assert_eq!(
            got,
            vec![
                (Some("keywords"), Some(4)),
                (Some("title"), Some(2)),
                (None, Some(8))
            ]
        );
        assert!(d[1].message.contains("U+FFFF"), "{}", d[1].message);
        assert!(d.iter().all(|d| d.rule == crate::diag::Code::E013));
    }

    #[test]
    fn attachments_that_name_no_file_are_warned_about() {
        for (value, n) in [
            ("5", 1),
            ("true", 1),
            ("{path: a.pdf}", 1),
            ("[a.pdf, 5, [c.pdf], {title: x}, {path: b.pdf}]", 2),
            ("[a.pdf]", 0),
            ("a.pdf", 0),
        ] {
            let src = source(&format!("---\ntitle: x\nattachments: {value}\n---\n"));
            let d = ignored_attachments(&src);
            assert_eq!(d.len(), n, "{value}: {d:?}");
            assert!(d.iter().all(|d| d.line == Some(3)
                && d.cap == Severity::Warn
                && d.rule == crate::diag::Code::E005));
        }
    }

    #[test]
    fn is_xml_char_follows_the_xml_char_production() {
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '中',
            '\u{FFFD}',
            '\u{10000}',
            '\u{E000}',
        ] {
            assert!(is_xml_char(c), "{c:?}");
        }
        for c in [
            '\0',
            '\u{1}',
            '\u{1F}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{FDD0}',
            '\u{1FFFF}',
            '\u{10FFFE}',
        ] {
            assert!(!is_xml_char(c), "{c:?}");
        }
    }
}
