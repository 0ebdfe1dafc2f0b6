//! P28: a column page (`_index.md`: the 指南, a column's introduction) still holding the
//! placeholders `gongkai init` wrote ("（填写：…）") or the like. The 指南 is statutory (条例
//! 第十二条); a published "（填写）" tells citizens nothing. A warning in every build, an error
//! with `--production` (issue 16 item 12).

use std::sync::LazyLock;

use regex::Regex;

use crate::diag::{Code, Diagnostic, Severity};
use crate::load::Source;

/// "（填写）", "（填写：地址）", "(请填写…)", "【此处填写】", "待填写", "待补充".
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(【\[]\s*(请|此处)?填写|待填写|待补充").expect("a valid pattern")
});

/// The finding for `src`, a column page, if any placeholder is left: the count and the first
/// line, with its text.
pub fn in_section(src: &Source, production: bool) -> Option<Diagnostic> {
    let mut hits = src
        .body
        .lines()
        .enumerate()
        .filter(|(_, l)| PLACEHOLDER.is_match(l));
    let (first, text) = hits.next()?;
    let count = 1 + hits.count();
    let line = src.body_line + first;
    let shown: String = text.trim().chars().take(60).collect();
    let d = Diagnostic::new(
        Code::P28,
        src.path.clone(),
        format!(
            "栏目页面还有 {count} 处待填写的占位内容，第一处在第 {line} 行：“{shown}”（生产模式下为错误）(placeholders left in a column page)"
        ),
    )
    .at(line)
    .help("把“（填写…）”换成本机关的实际内容（名称、地址、电话、申请方式等），再发布");
    Some(if production {
        d.at_least(Severity::Error)
    } else {
        d
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(body: &str) -> Source {
        crate::load::parse_source(
            std::path::Path::new("content/zfxxgkzn/_index.md"),
            format!("---\ntitle: \"指南\"\n---\n{body}").as_bytes(),
            &mut Vec::new(),
        )
        .unwrap()
    }

    #[test]
    fn finds_init_placeholders_with_count_and_first_line() {
        let s = section("正文。\n\n| 名称 | （填写） |\n| 地址 | (请填写地址) |\n待补充\n");
        let d = in_section(&s, false).unwrap();
        assert_eq!(
            (d.rule, d.line, d.severity),
            (crate::diag::Code::P28, Some(6), Severity::Warn)
        );
        assert!(
            d.message.starts_with(
                "栏目页面还有 3 处待填写的占位内容，第一处在第 6 行：“| 名称 | （填写） |”"
            ),
            "{}",
            d.message
        );
        assert_eq!(in_section(&s, true).unwrap().floor, Severity::Error);
        assert!(in_section(&section("请填写申请表后邮寄。\n"), false).is_none());
    }
}
