//! Front-matter mistakes in the editor's words (E003).
//!
//! The YAML parser reports "could not find expected ':'" on the line *after* a full-width
//! colon, and "found character that cannot start any token" for a tab. The mistakes editors
//! make most are looked for first, line by line, and reported where they are, in Chinese,
//! with the line and a caret under the fault: a full-width colon `：` (or no space) after a
//! field name, a tab before a key, a value whose quote is never closed. Anything else the
//! parser finds is reported with its message translated where it is a common one, the
//! parser's own words after it.

use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::labels;

/// The first common mistake in the front-matter `fm`, whose first line is line `first` of
/// the file.
pub(super) fn common_mistake(path: &Path, fm: &str, first: usize) -> Option<Diagnostic> {
    let lines: Vec<&str> = fm.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        let line = first + i;
        let d = |col: usize, width: usize, msg: String, help: &str| {
            Diagnostic::new(Code::E003, path, msg)
                .at_col(line, col)
                .snippet(l, width)
                .help(help)
        };
        if l.starts_with('\t') {
            return Some(d(
                1,
                l.chars().take_while(|c| *c == '\t').count(),
                format!("第 {line} 行开头是制表符（Tab）：YAML 不能用 Tab 缩进"),
                "删去行首的 Tab：字段名要顶格写；列表或多行文字的缩进用空格",
            ));
        }
        if l.starts_with([' ', '#', '-']) || l.trim().is_empty() {
            continue;
        }
        if super::find_key_colon(l).is_none() {
            if let Some(d) = colon_mistake(l, line, path) {
                return Some(d);
            }
            continue;
        }
        let next_indented = lines.get(i + 1).is_some_and(|n| n.starts_with([' ', '\t']));
        if let Some((col, quote)) = unclosed_quote(l) {
            if !next_indented {
                return Some(d(
                    col,
                    1,
                    format!("第 {line} 行的值以引号 {quote} 开始，但这一行没有结束的引号 {quote}"),
                    "在值的末尾补上引号；值里面要用引号时，改用中文引号“”",
                ));
            }
        }
    }
    None
}

/// `发布机构："市政府"` or `发布机构:"市政府"`: a known field name, then a full-width colon
/// or a colon with no space after it.
fn colon_mistake(l: &str, line: usize, path: &Path) -> Option<Diagnostic> {
    let (at, colon) = l.char_indices().find(|(_, c)| *c == '：' || *c == ':')?;
    let key = l[..at].trim().trim_matches(|c| c == '"' || c == '\'');
    let canonical = labels::canonical_key(key)?;
    let col = l[..at].chars().count() + 1;
    let (msg, help) = if colon == '：' {
        (
            format!("第 {line} 行字段名“{key}”后面用了全角冒号“：”，应使用英文冒号“:”"),
            format!("把“：”改成英文冒号和一个空格，写成 {key}: \"…\"（{canonical}）"),
        )
    } else {
        (
            format!("第 {line} 行字段名“{key}”的冒号后面缺少空格"),
            format!("在冒号后面加一个空格，写成 {key}: \"…\""),
        )
    };
    Some(
        Diagnostic::new(Code::E003, path, msg)
            .at_col(line, col)
            .snippet(l, 1)
            .field(canonical)
            .help(help),
    )
}

/// The column (1-based, in characters) and the quote of a value that opens a quote and does
/// not close it on its line.
fn unclosed_quote(l: &str) -> Option<(usize, char)> {
    let colon = super::find_key_colon(l)?;
    let value = &l[colon + 1..];
    let lead = value.len() - value.trim_start().len();
    let v = value.trim();
    let quote = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &v[1..];
    let closed = if quote == '"' {
        let mut escaped = false;
        rest.chars().any(|c| {
            let end = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            end
        })
    } else {
        // `''` inside single quotes is an escaped quote: an odd count closes.
        rest.matches('\'').count() % 2 == 1
    };
    if closed {
        return None;
    }
    let col = l[..colon + 1 + lead].chars().count() + 1;
    Some((col, quote))
}

/// The parser's error, at its line, in Chinese where the message is a common one, with the
/// parser's words after.
pub(super) fn parser_error(
    path: &Path,
    fm: &str,
    first: usize,
    e: &serde_yaml::Error,
) -> Diagnostic {
    let full = e.to_string();
    let english = full.split(" at line ").next().unwrap_or(&full).to_string();
    let why = [
        (
            "could not find expected ':'",
            "这一行或上一行缺少“字段名: 值”中的英文冒号",
        ),
        (
            "found character that cannot start any token",
            "有 YAML 不允许出现在这里的字符（如 Tab、@ 或 `）；含这些字符的值要整个加双引号",
        ),
        (
            "mapping values are not allowed",
            "值里有“: ”（冒号加空格）；这样的值要整个加双引号",
        ),
        (
            "did not find expected key",
            "缩进不对，或上一行的引号、括号没有成对",
        ),
        (
            "found unexpected end of stream",
            "front-matter 结束前有引号或括号没有成对",
        ),
        ("duplicate entry", "同一字段写了两次"),
        (
            "did not find expected node content",
            "这里缺少值，或列表、括号没有写完",
        ),
    ]
    .iter()
    .find(|(en, _)| english.contains(en))
    .map_or("格式不对", |(_, zh)| zh);
    let mut d = Diagnostic::new(
        Code::E003,
        path,
        format!("front-matter 不是合法的 YAML：{why} (YAML: {english})"),
    )
    .help(
        "每行写成 字段名: \"值\"（英文冒号加一个空格）；含冒号、# 或以引号开头的值要整个加双引号",
    );
    if let Some(loc) = e.location() {
        // The parser counts lines of the front-matter from 1; the file's line is `first` on.
        let line = first + loc.line().saturating_sub(1);
        let col = loc.column().max(1);
        d = d.at_col(line, col);
        if let Some(text) = fm.lines().nth(loc.line().saturating_sub(1)) {
            d = d.snippet(text, 1);
        }
    } else {
        d = d.at(first);
    }
    d
}

#[cfg(test)]
mod tests {
    use crate::diag::{render_human, Diagnostic};
    use std::path::Path;

    fn err(front: &str) -> Diagnostic {
        let text = format!("---\ntitle: \"关于开展检查的通知\"\n{front}---\n\n正文\n");
        let mut e =
            crate::load::parse_source(Path::new("content/a.md"), text.as_bytes(), &mut Vec::new())
                .expect_err("an error");
        assert_eq!(e.len(), 1);
        e.remove(0)
    }

    #[test]
    fn a_full_width_colon_is_named_on_its_line_with_a_caret() {
        let d = err("发布机构：\"市政府办公室\"\n");
        assert_eq!(d.rule, crate::diag::Code::E003);
        assert_eq!((d.line, d.column), (Some(3), Some(5)));
        assert_eq!(
            d.message,
            "第 3 行字段名“发布机构”后面用了全角冒号“：”，应使用英文冒号“:”"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("把“：”改成英文冒号和一个空格，写成 发布机构: \"…\"（issuer）")
        );
        let shown = render_human(&d, false);
        assert!(shown.contains("3 | 发布机构：\"市政府办公室\""), "{shown}");
        assert!(shown.contains("|         ^^"), "{shown}");
        // After an unquoted value the same line would parse, glued to the title: still found.
        let text = "---\ntitle: 关于开展检查的通知\n发布机构：市政府办公室\n---\n";
        let e = crate::load::parse_source(Path::new("a.md"), text.as_bytes(), &mut Vec::new())
            .expect_err("not glued to the title");
        assert_eq!(e[0].line, Some(3));
    }

    #[test]
    fn a_missing_space_after_the_colon_is_named() {
        let d = err("发布日期:\"2024-01-05\"\n");
        assert_eq!(d.message, "第 3 行字段名“发布日期”的冒号后面缺少空格");
        assert_eq!((d.line, d.column), (Some(3), Some(5)));
    }

    #[test]
    fn a_tab_before_a_key_is_named() {
        let d = err("\tissuer: \"市政府办公室\"\n");
        assert_eq!(
            d.message,
            "第 3 行开头是制表符（Tab）：YAML 不能用 Tab 缩进"
        );
        assert_eq!((d.line, d.column), (Some(3), Some(1)));
    }

    #[test]
    fn an_unclosed_quote_is_named_on_its_own_line() {
        let d = err("issuer: \"市政府办公室\npublished: \"2024-01-05\"\n");
        assert_eq!(
            d.message,
            "第 3 行的值以引号 \" 开始，但这一行没有结束的引号 \""
        );
        assert_eq!((d.line, d.column), (Some(3), Some(9)));
        let d = err("issuer: '市政府''办公室\n");
        assert_eq!((d.line, d.column), (Some(3), Some(9)));
    }

    #[test]
    fn near_misses_parse() {
        for front in [
            "summary: \"含：全角冒号的值\"\n",
            "summary: 时间：上午九点\n",
            "issuer: '市政府''办公室'\n",
            "summary: \"a \\\" b\"\n",
            "keywords:\n  - 政务公开\n",
            "# 注释：全角冒号\n",
        ] {
            let text = format!("---\ntitle: \"通知\"\n{front}---\n");
            assert!(
                crate::load::parse_source(Path::new("a.md"), text.as_bytes(), &mut Vec::new())
                    .is_ok(),
                "{front}"
            );
        }
    }

    #[test]
    fn other_parser_errors_are_translated_with_the_parser_words() {
        let d = err("summary: a: b\n");
        assert_eq!(
            d.message,
            "front-matter 不是合法的 YAML：值里有“: ”（冒号加空格）；这样的值要整个加双引号 (YAML: mapping values are not allowed in this context)"
        );
        assert_eq!(d.line, Some(3));
        assert!(d.column.is_some());
    }
}
