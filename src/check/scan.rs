//! Text scanners for the 公开前审查 rules that read a title or a body (SPEC §6):
//! P14 密级标志, P15 个人信息, P16 过程性/内部信息标记, P17 标题格式与占位符.
//!
//! Each scanner takes the text and returns plain [`Finding`]s with **byte offsets** into
//! that text; the caller (`check/`) turns offsets into lines and columns and findings into
//! diagnostics with a file and a severity. Nothing here reads files or knows about
//! documents, so every rule can be tested on a string.
//!
//! Every scanner runs in time linear in its input and never panics on any UTF-8 text: the
//! patterns use the `regex` crate (finite automata, no backtracking), the extra checks
//! look only at the characters next to a match, and nothing allocates per character.
//! Where the SPEC's patterns would fire on ordinary published text, the scanners are
//! narrower, and each narrowing is documented on the function that makes it.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::diag::Code;

mod personal;
mod title_form;
pub use personal::scan_personal_data;
pub use title_form::scan_title_form;

/// One hit of a review rule in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule code: `P14`, `P15`, `P16` or `P17`.
    pub rule: Code,
    /// Byte offset of the first byte of the hit (a char boundary).
    pub start: usize,
    /// Byte offset just past the hit (a char boundary).
    pub end: usize,
    /// The text of the hit, `&text[start..end]`.
    pub matched: String,
    /// What was found, in plain Chinese (personal numbers are masked).
    pub message: String,
    /// What to do about it, in plain Chinese.
    pub help: String,
    /// True when the text itself says it is not to be published (此件不公开): the 公开属性
    /// is wrong, and the finding is an error whatever P16's level.
    pub public_attribute: bool,
    /// True for a weaker signal (a 15-digit number that may be an old 身份证号): reported as a
    /// warning at most, whatever the rule's level.
    pub weak: bool,
}

impl Finding {
    fn new(rule: Code, text: &str, start: usize, end: usize, message: String, help: &str) -> Self {
        Finding {
            rule,
            start,
            end,
            matched: text[start..end].to_owned(),
            message,
            help: help.to_owned(),
            public_attribute: false,
            weak: false,
        }
    }
}

/// Which part of a document a text is; P16 treats the two differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// 标题.
    Title,
    /// 正文.
    Body,
}

/// All scanners that apply to a title: P14, P15, P16 (title rules), P17 (form and
/// placeholders), sorted by offset.
pub fn scan_title(title: &str, allow: &[String]) -> Vec<Finding> {
    let mut out = scan_classification_marks(title);
    out.extend(scan_personal_data(title, allow));
    out.extend(scan_process_markers(title, Field::Title));
    out.extend(scan_title_form(title));
    out.extend(scan_placeholders(title));
    out.sort_by_key(|f| (f.start, f.end, f.rule));
    out
}

/// All scanners that apply to a body: P14, P15, P16 (label lines), P17 (placeholders),
/// sorted by offset.
pub fn scan_body(body: &str, allow: &[String]) -> Vec<Finding> {
    let mut out = scan_classification_marks(body);
    out.extend(scan_header_classification(body));
    out.extend(scan_personal_data(body, allow));
    out.extend(scan_process_markers(body, Field::Body));
    out.extend(scan_placeholders(body));
    out.sort_by_key(|f| (f.start, f.end, f.rule));
    out
}

// ---------------------------------------------------------------------------------------
// P14 密级标志 (条例第十四条: 国家秘密不予公开)

/// Horizontal space only: a ★ at the start of the next line is a bullet, not a marking.
macro_rules! hs {
    () => {
        r"[ \t\u{3000}\u{A0}]*"
    };
}

/// GB/T 9704 §7.2.2 密级和保密期限: `秘密★1年`, `机密★6个月`, `绝密★长期`, `绝密★启用前`.
static SECRET_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        "(?:绝",
        hs!(),
        "密|机",
        hs!(),
        "密|秘",
        hs!(),
        "密)",
        hs!(),
        "[★☆]",
        "(?:",
        hs!(),
        "(?:[0-9０-９]{1,2}",
        hs!(),
        "(?:年|个月)|长期))?",
        "|[★☆]",
        hs!(),
        "(?:[0-9０-９]{1,2}",
        hs!(),
        "(?:年|个月)|长期)",
    ))
    .expect("the 密级 pattern is a valid regex")
});

/// P14: 密级标志 such as `秘密★1年`, `机密 ★`, `绝密★启用前`, or a bare 保密期限 `★10年`.
///
/// Fires on a 密级 word followed by ★ (or ☆), with any horizontal space between (also
/// between the two characters: `秘 密★`), and on ★ followed by a period of one or two
/// digits and 年/个月, or by 长期. It does **not** fire on 绝密、机密、秘密 without a star
/// (the 保守国家秘密法 text names them), on a ★ at the start of the next line, or on a
/// bullet before a four-digit year (`★2024年重点工作`).
pub fn scan_classification_marks(text: &str) -> Vec<Finding> {
    SECRET_MARK
        .find_iter(text)
        .map(|m| {
            Finding::new(Code::P14,
                text,
                m.start(),
                m.end(),
                format!("有密级标志“{}”", m.as_str()),
                "涉及国家秘密的信息不得公开（条例第十四条）。请确认文件已依法解密并删去密级标志，否则不要发布",
            )
        })
        .collect()
}

/// A line of the 版头 that holds only a 密级 (GB/T 9704 §7.2.2: without a 保密期限 the 密级
/// stands alone, with no ★), optionally after a 份号 and before a 紧急程度.
static HEADER_SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^[\s*_#>]*(?:[0-9０-９]{1,6}[\s\u{3000}]*)?",
        r"(绝[\s\u{3000}]*密|机[\s\u{3000}]*密|秘[\s\u{3000}]*密)",
        r"(?:[\s\u{3000}]*(?:特急|加急|平急))?[\s\u{3000}*_]*$",
    ))
    .expect("the 版头 密级 pattern is a valid regex")
});

/// Lines read as the 版头: the first lines of a body, up to the first line of prose.
const HEADER_LINES: usize = 8;
/// A longer line is prose, and ends the 版头.
const HEADER_LINE_CHARS: usize = 40;

/// P14: a 密级 standing alone on a line of the 版头 (`机密`, `000123 秘密`, `绝  密 特急`): a
/// 密级 without ★ because no 保密期限 is given. Only the first [`HEADER_LINES`] non-empty
/// lines are read, and only until a line of prose; a line that says more than the marking
/// (`保守国家秘密`, `机密文件不得外传`) never fires.
pub fn scan_header_classification(body: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut seen = 0;
    for line in body.split('\n') {
        let start = offset;
        offset += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        seen += 1;
        if seen > HEADER_LINES || line.chars().count() > HEADER_LINE_CHARS {
            break;
        }
        if let Some(m) = HEADER_SECRET.captures(line).and_then(|c| c.get(1)) {
            out.push(Finding::new(Code::P14,
                body,
                start + m.start(),
                start + m.end(),
                format!("版头有密级“{}”（未标保密期限的密级单独成行，不带★）", m.as_str()),
                "涉及国家秘密的信息不得公开（条例第十四条）。请确认文件已依法解密并删去密级标志，否则不要发布",
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// P16 过程性信息和内部事务信息 (条例第十六条)

/// The process and internal markers of SPEC §6 P16.
static PROCESS_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("征求意见稿|送审稿|讨论稿|内部资料|注意保存")
        .expect("the P16 marker pattern is a valid regex")
});

/// Longest line, in bytes, that can be a label line (`（征求意见稿）`, `内部资料 注意保存`).
const MAX_LABEL_LINE: usize = 120;

/// P16: 过程性/内部信息 markers `征求意见稿`, `送审稿`, `讨论稿`, `内部资料`, `注意保存`,
/// and in a title a 请示.
///
/// These words occur in ordinary published text (a 解读 says "形成了征求意见稿", the 规章
/// 制定程序条例 speaks of "规章送审稿", a 规章 regulates "内部资料性出版物"), so:
///
/// * in a **title**, a marker fires unless it is inside 《》 (a notice that publishes
///   《…办法（征求意见稿）》 for comment is itself public) or is `内部资料性…`; `请示` fires
///   when the title ends with it (the document *is* a 请示), not in "…请示的批复" or
///   "转发…请示的通知";
/// * in a **body**, a marker fires on a label line: a short line holding nothing but
///   markers, brackets, punctuation and Markdown emphasis (`（征求意见稿）`,
///   `**内部资料 注意保存**`); 内部资料 and 注意保存 also fire inside prose when they stand as
///   a marking ([`standalone_internal_marker`]);
/// * anywhere in a body, `此件不公开`, `此件不予公开`, `此件依申请公开` (the opposite of
///   `此件公开发布`) fire as a sign that the 公开属性 is wrong: an error, whatever P16's level.
pub fn scan_process_markers(text: &str, field: Field) -> Vec<Finding> {
    match field {
        Field::Title => title_markers(text),
        Field::Body => body_label_markers(text),
    }
}

const P16_HELP: &str = "过程性信息、内部事务信息可以不予公开（条例第十六条）。请确认这是定稿并删去该标记；若是依法公开征求意见，可忽略此提示";

fn marker_finding(text: &str, start: usize, end: usize) -> Finding {
    Finding::new(
        Code::P16,
        text,
        start,
        end,
        format!("有过程性或内部信息标记“{}”", &text[start..end]),
        P16_HELP,
    )
}

fn title_markers(title: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let hits = PROCESS_MARKER.find_iter(title);
    // One pass over the title tracks the 《》 depth at each hit.
    let mut depth: usize = 0;
    let mut chars = title.char_indices().peekable();
    for hit in hits {
        while let Some(&(i, c)) = chars.peek() {
            if i >= hit.start() {
                break;
            }
            match c {
                '《' => depth += 1,
                '》' => depth = depth.saturating_sub(1),
                _ => {}
            }
            chars.next();
        }
        let adjective = hit.as_str() == "内部资料" && title[hit.end()..].starts_with('性');
        if depth == 0 && !adjective {
            out.push(marker_finding(title, hit.start(), hit.end()));
        }
    }
    if let Some(start) = trailing_qingshi(title) {
        out.push(Finding::new(
            Code::P16,
            title,
            start,
            start + "请示".len(),
            "标题表明这是一份请示".to_owned(),
            "请示是报上级机关的过程性文件，一般不主动公开（条例第十六条）。请确认是否应当发布",
        ));
    }
    out
}

/// The offset of `请示` when the title ends with it, ignoring trailing spaces and
/// bracketed notes such as `（征求意见稿）`.
fn trailing_qingshi(title: &str) -> Option<usize> {
    let mut t = title.trim_end().trim_end_matches(['。', '.']).trim_end();
    // Peel at most a few trailing bracketed notes; each peel is O(length of the note).
    for _ in 0..4 {
        let Some(close) = t.chars().next_back() else {
            break;
        };
        let open = match close {
            '）' => '（',
            ')' => '(',
            '】' => '【',
            _ => break,
        };
        match t.rfind(open) {
            Some(i) => t = t[..i].trim_end(),
            None => break,
        }
    }
    t.strip_suffix("请示").map(|rest| rest.len())
}

/// The text saying that the document itself is not public: the opposite of the
/// `（此件公开发布）` that gov.cn documents carry.
static NOT_PUBLIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("(?:此件|本件|此文|本文件)(?:不公开|不予公开|不宜公开|依申请公开)(?:发布)?")
        .expect("the 此件不公开 pattern is a valid regex")
});

fn body_label_markers(body: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in body.split('\n') {
        let offset = line_start;
        line_start += line.len() + 1;
        if !PROCESS_MARKER.is_match(line) {
            continue;
        }
        let mut rest_ok = line.len() <= MAX_LABEL_LINE;
        let mut last = 0;
        let mut hits = Vec::new();
        for m in PROCESS_MARKER.find_iter(line) {
            rest_ok &= line[last..m.start()].chars().all(is_label_filler);
            last = m.end();
            hits.push((m.start(), m.end()));
        }
        rest_ok &= line[last..].chars().all(is_label_filler);
        for (s, e) in hits {
            if rest_ok || standalone_internal_marker(line, s, e) {
                out.push(marker_finding(body, offset + s, offset + e));
            }
        }
    }
    for m in NOT_PUBLIC.find_iter(body) {
        let mut f = Finding::new(Code::P16,
            body,
            m.start(),
            m.end(),
            format!("写明“{}”，与公开属性“主动公开”矛盾", m.as_str()),
            "文件自己标明不公开或依申请公开：核对原件的公开属性（源头认定），不应主动公开的改为 依申请公开/不予公开 并写 exempt_basis；确应主动公开的，删去这句标注",
        );
        f.public_attribute = true;
        out.push(f);
    }
    out
}

/// 内部资料 and 注意保存 as markings inside a line of prose: `（内部资料，注意保存）`,
/// `本材料为内部资料，请勿外传`. Not the noun phrase `内部资料性出版物` nor the object of a
/// verb (`印刷内部资料`), and not advice such as `注意保存购物凭证`.
fn standalone_internal_marker(line: &str, start: usize, end: usize) -> bool {
    let before = line[..start].chars().next_back();
    let after = line[end..].chars().next();
    match &line[start..end] {
        "内部资料" => {
            after != Some('性') && before.is_none_or(|c| !is_han(c) || "为属系是".contains(c))
        }
        "注意保存" => after.is_none_or(|c| !is_han(c)),
        _ => false,
    }
}

/// Characters that may surround a marker on a label line.
fn is_label_filler(c: char) -> bool {
    c.is_whitespace() || "（）()【】〔〕[]<>〈〉「」『』，,、·.。:：;；!！*_#>-—★".contains(c)
}

// ---------------------------------------------------------------------------------------
// P17 标题格式和占位符

/// Runs of placeholder characters left from a template.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("X{2,}|x{2,}|Ｘ{2,}|ｘ{2,}|×{2,}|[○〇]{2,}")
        .expect("the placeholder pattern is a valid regex")
});

/// P17 placeholders: `××`, `XX`/`XXX`, `xx`, `ＸＸ`, `○○` left in a title or body.
///
/// Not reported, to stay quiet on real text:
/// * a Latin run touching a letter or digit: `XXL`, `MAXX`, Roman `XXI`, `0xx`, URLs
///   (`hbgyhxxht`), masked numbers (`138XXXX5678`);
/// * `××` touching a digit (masked numbers `138××××5678`);
/// * `○○`/`〇〇` touching a Chinese numeral: the zeros of `二○○四年`, `二〇〇〇年`.
///
/// Nor where the text prescribes a format rather than leaves a gap ([`prescribes_format`]):
/// inside quotes (`名称应当为“××律师事务所驻××代表处”`), in a sentence about a 格式, 样式,
/// 式样, 字样, 模板, 范本, 示例, 编排方式 or 规范用语 (`规范用语是：……处以XX元的罚款`),
/// or on a line naming a form file (`4.XX企业与研发项目相关的总体资料.doc`).
///
/// Deliberate elisions (`拨付XXX元` in a published 复函, `张××` in a 处罚决定) are
/// reported; they are warnings and the help says so.
pub fn scan_placeholders(text: &str) -> Vec<Finding> {
    PLACEHOLDER
        .find_iter(text)
        .filter(|m| !prescribes_format(text, m.start(), m.end()))
        .filter(|m| {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let first = m.as_str().chars().next().unwrap_or(' ');
            let touching = |f: fn(char) -> bool| before.is_some_and(f) || after.is_some_and(f);
            match first {
                'X' | 'x' | 'Ｘ' | 'ｘ' => !touching(|c| c.is_alphanumeric() && !is_han(c)),
                '×' => !touching(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)),
                _ => !touching(is_chinese_numeral),
            }
        })
        .map(|m| {
            Finding::new(
                Code::P17,
                text,
                m.start(),
                m.end(),
                format!("有未替换的占位符“{}”", m.as_str()),
                "把占位符换成实际内容；如果是有意隐去的信息（如“张××”），可忽略此提示",
            )
        })
        .collect()
}

/// Words that make a sentence prescribe a format or a wording, where `XX` stands for what
/// each user fills in.
const FORMAT_WORDS: &[&str] = &[
    "格式",
    "样式",
    "式样",
    "字样",
    "模板",
    "范本",
    "示例",
    "范例",
    "编排方式",
    "规范用语",
    "填写",
];

/// How far (in bytes) the context of a placeholder is read on each side: enough for a
/// sentence, and bounded so that a long line full of placeholders stays linear.
const CONTEXT: usize = 600;

/// A form file named on the line: `附件4.XX企业总体资料.doc`.
static FORM_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\.(?:docx?|xlsx?|wps|et|pdf|ofd)(?:$|[^a-z0-9])")
        .expect("the form file pattern is a valid regex")
});

/// True when the placeholder at `start..end` is part of a prescribed format: inside quotes
/// on its line, in a sentence with one of [`FORMAT_WORDS`], or on a line naming a form file.
pub fn prescribes_format(text: &str, start: usize, end: usize) -> bool {
    let lo = floor_boundary(text, start.saturating_sub(CONTEXT));
    let hi = ceil_boundary(text, (end + CONTEXT).min(text.len()));
    let line_start = text[lo..start].rfind('\n').map_or(lo, |i| lo + i + 1);
    let line_end = text[end..hi].find('\n').map_or(hi, |i| end + i);
    let before = &text[line_start..start];
    let line = &text[line_start..line_end];
    let open = |o: char, c: char| before.matches(o).count() > before.matches(c).count();
    if open('“', '”')
        || open('「', '」')
        || open('『', '』')
        || before.matches('"').count() % 2 == 1
    {
        return true;
    }
    if FORM_FILE.is_match(line) {
        return true;
    }
    let is_stop = |c: char| matches!(c, '。' | '！' | '？' | '；' | '\n');
    let s_start = text[line_start..start]
        .rfind(is_stop)
        .map_or(line_start, |i| {
            line_start
                + i
                + text[line_start + i..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8)
        });
    let s_end = text[end..line_end]
        .find(is_stop)
        .map_or(line_end, |i| end + i);
    let sentence = &text[s_start..s_end];
    FORMAT_WORDS.iter().any(|w| sentence.contains(w))
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// CJK ideographs (the common blocks): placeholders next to Chinese text still count.
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Chinese numerals that surround the ○/〇 zero in written-out years and numbers.
fn is_chinese_numeral(c: char) -> bool {
    "零一二三四五六七八九十百千万".contains(c)
}

#[cfg(test)]
mod tests;
