//! P17 title form: balanced brackets and quotes, no trailing 。, no title cut short.

use super::Finding;
use crate::diag::Code;

/// The bracket pairs a title must balance: SPEC §3.1 names 《》 “” （）; ASCII () and
/// 【】 〈〉 follow the same logic.
const PAIRS: [(char, char); 6] = [
    ('《', '》'),
    ('“', '”'),
    ('（', '）'),
    ('(', ')'),
    ('【', '】'),
    ('〈', '〉'),
];

/// P17 title form: balanced 《》 “” （） () 【】 〈〉 (properly nested), an even number of
/// ASCII `"`, and no trailing `。`.
///
/// Each unmatched closing mark is reported where it is, each unclosed opening mark where
/// it opens. A title that ends in `...` or `…` was cut short (by a crawled list, or a
/// copy from one): that is reported once, and the marks it left open are not reported again.
pub fn scan_title_form(title: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let trimmed = title.trim_end();
    let cut = ["......", "...", "……", "…", "。。。"]
        .iter()
        .find(|e| trimmed.ends_with(**e))
        .map(|e| trimmed.len() - e.len());
    if let Some(i) = cut {
        out.push(Finding::new(
            Code::P17,
            title,
            i,
            trimmed.len(),
            format!("标题以“{}”结尾，可能被截断了", &trimmed[i..]),
            "从原文件补全标题（信息公开目录和网页标题都会显示它）",
        ));
    }
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut last_ascii_quote = None;
    let mut ascii_quotes = 0_usize;
    for (i, c) in title.char_indices() {
        if c == '"' {
            ascii_quotes += 1;
            last_ascii_quote = Some(i);
        } else if PAIRS.iter().any(|&(o, _)| o == c) {
            open.push((i, c));
        } else if let Some(&(o, _)) = PAIRS.iter().find(|&&(_, cl)| cl == c) {
            if open.last().is_some_and(|&(_, top)| top == o) {
                open.pop();
            } else {
                out.push(Finding::new(
                    Code::P17,
                    title,
                    i,
                    i + c.len_utf8(),
                    format!("标题中的“{c}”没有对应的“{o}”"),
                    "检查标题里的书名号、引号和括号是否成对、是否交叉嵌套",
                ));
            }
        }
    }
    for (i, c) in open.into_iter().filter(|_| cut.is_none()) {
        let close = PAIRS
            .iter()
            .find(|&&(o, _)| o == c)
            .map_or(c, |&(_, cl)| cl);
        out.push(Finding::new(
            Code::P17,
            title,
            i,
            i + c.len_utf8(),
            format!("标题中的“{c}”没有对应的“{close}”"),
            "检查标题里的书名号、引号和括号是否成对、是否交叉嵌套",
        ));
    }
    if ascii_quotes % 2 == 1 {
        if let Some(i) = last_ascii_quote {
            out.push(Finding::new(
                Code::P17,
                title,
                i,
                i + 1,
                "标题中的英文双引号“\"”不成对".to_owned(),
                "标题里的引号应使用成对的中文引号“”",
            ));
        }
    }
    let trimmed = title.trim_end();
    if trimmed.ends_with('。') {
        let i = trimmed.len() - '。'.len_utf8();
        out.push(Finding::new(
            Code::P17,
            title,
            i,
            trimmed.len(),
            "标题末尾有句号".to_owned(),
            "删去标题末尾的“。”",
        ));
    }
    out.sort_by_key(|f| f.start);
    out
}
