//! Diagnostics: what an editor must fix, and where.
//!
//! Every stage returns its output *and* a list of [`Diagnostic`]s instead of stopping at the
//! first problem, so one build reports every defect at once (ripgrep's `messages.rs` habit).
//! A diagnostic names the file (relative to the site root), the line, the front-matter field,
//! what was found, what was expected and how to fix it. Severities come from the rule table
//! below and can be changed per rule in `gongkai.toml` (`[rules] P05 = "allow"`).

mod print;

pub use print::{print_human, render_human, severity_word, summary_line, JsonReport};

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported nowhere.
    Allow,
    /// Reported; does not stop the build.
    Warn,
    /// Blocks the build: nothing is written.
    Error,
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "allow" => Ok(Severity::Allow),
            "warn" | "warning" => Ok(Severity::Warn),
            "error" | "deny" => Ok(Severity::Error),
            other => Err(format!(
                "“{other}” 不是规则级别：应写 \"error\"（错误，阻止发布）、\"warn\"（警告）或 \"allow\"（不提示）(not a severity: write \"error\", \"warn\" or \"allow\")"
            )),
        }
    }
}

/// A rule: a stable code, its default severity, whether config may lower it, and a title.
pub struct Rule {
    /// Stable code: `E…` for the content format, `P01`–`P22` for the review rules of SPEC §6.
    pub code: &'static str,
    /// Severity unless `gongkai.toml` says otherwise.
    pub default: Severity,
    /// False for rules whose relaxation could publish something that must never be published.
    pub configurable: bool,
    /// One line in Chinese for `--help` and the README.
    pub title: &'static str,
}

/// Defines [`Code`] and [`RULES`] from one list, so the two cannot drift apart.
macro_rules! rules {
    ($($code:ident: $default:ident, $configurable:expr, $title:expr;)*) => {
        /// A rule's code. Findings are made with one (`Diagnostic::new(Code::P05, …)`) and
        /// carry it ([`Diagnostic::rule`]), so a typo in a rule id does not compile. Variants
        /// are listed in code order, so the derived order is the order of the codes as text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(missing_docs)]
        pub enum Code {
            $($code),*
        }

        impl Code {
            /// The code as written in messages, JSON and `[rules]`: `P05`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code)),*
                }
            }

            /// The rule written as `code` (`"P05"`: in `[rules]` or `review_ok`), if there is one.
            pub fn parse(code: &str) -> Option<Code> {
                match code {
                    $(stringify!($code) => Some(Code::$code),)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for Code {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Serialized as written (`"P05"`), for the JSON report.
        impl Serialize for Code {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        /// Every rule gongkai knows. The README's rule table is written from this list.
        pub const RULES: &[Rule] = &[
            $(Rule {
                code: stringify!($code),
                default: $default,
                configurable: $configurable,
                title: $title,
            }),*
        ];
    };
}

use Severity::{Error as E, Warn as W};

rules! {
    E001: E, false, "文件无法读取或不是 UTF-8 编码";
    E002: E, false, "缺少 front-matter（开头和结尾的 --- 行）";
    E003: E, false, "front-matter 不是合法的 YAML";
    E004: E, true, "未知的字段名";
    E005: E, true, "字段值的类型或取值不对";
    E006: E, false, "同一字段写了两次（含中英文别名）";
    E007: E, false, "公开页面链接到不公开或草稿文件";
    E008: E, true, "站内链接或引用指向不存在的文件";
    E009: E, false, "模板或主题错误";
    E010: E, true, "无法按模板生成索引号（该文件不发布）";
    E011: W, true, "索引号不符合站点配置的格式";
    E012: E, false, "由字段生成的文件名或路径过长，文件系统无法保存";
    E013: W, true, "含有 XML 不允许的不可见字符（订阅源中已删去）";
    E014: E, true, "政务公开事项标准目录文件有误（未知的列、缺列、取值不对、编号重复）";
    E015: W, true, "两个名称的拼音首字母相同，后一个的网址代码改用全拼";
    E016: E, false, "redirects.csv 中的跳转无法使用";
    P01: E, false, "公开属性缺失或不是 主动公开/依申请公开/不予公开";
    P02: E, true, "非主动公开文件缺少不予公开依据（exempt_basis）";
    P03: E, true, "缺少该文种的必填字段";
    P04: E, true, "日期无效或先后矛盾";
    P05: W, true, "发布日期晚于成文日期 20 个工作日以上（条例第二十六条）";
    P06: E, true, "文件编号格式不符合 GB/T 9704";
    P07: E, true, "索引号或文件编号重复";
    P08: E, true, "主题分类不在分类表中";
    P09: E, true, "行政规范性文件缺少施行日期或有效期，或有效期过长";
    P10: W, true, "标注有效但有效期已届满";
    P11: E, true, "失效或废止文件缺少废止日期";
    P12: W, true, "政策解读未指向已公开文件或发布过晚";
    P13: W, true, "规章或行政规范性文件没有政策解读";
    P14: E, true, "正文或标题含密级标志";
    P15: E, true, "正文或标题含个人信息（身份证号、手机号、银行卡号）";
    P16: W, true, "含过程性或内部信息标记";
    P17: W, true, "标题格式问题或残留占位符";
    P18: E, true, "附件不存在、为空或缺少链接文字";
    P19: E, true, "图片缺少替代文字或表格缺少表头";
    P20: E, true, "年报表格勾稽关系不符或发布超期";
    P21: E, true, "网站页脚标识不完整（生产模式下为错误，否则为警告）";
    P22: W, true, "发布机构不在配置的机构列表中";
    P23: W, true, "正文重复（粘贴两次，或与另一文件相同）";
    P24: W, true, "标准目录中主动公开的事项尚无公开信息";
    P25: W, true, "文件发布晚于所属标准目录事项的公开时限（工作日）";
    P26: W, true, "标准目录事项的公开依据引用了本站已失效或废止的文件";
    P27: W, true, "文件关联的标准目录事项为依申请公开，请核对公开属性";
    P28: W, true, "栏目页面还有待填写的占位内容（生产模式下为错误）";
    P29: W, true, "法定主动公开事项没有任何文件，也没有说明";
    P30: W, true, "图片含拍摄位置（GPS 坐标）";
}

/// Review rules a document's `review_ok` can never acknowledge: the publication decision
/// (P01, P02), what must never be published (P14 密级, P15 个人信息), what a person cannot
/// make right by judgement (P18 missing attachments, P19 accessibility, P20 annual report
/// sums), the site's own footer (P21), and P10, whose page shows 失效 whatever the header says.
/// `E…` format rules are never acknowledged either.
pub const NOT_ACKNOWLEDGEABLE: &[Code] = &[
    Code::P01,
    Code::P02,
    Code::P10,
    Code::P14,
    Code::P15,
    Code::P18,
    Code::P19,
    Code::P20,
    Code::P21,
];

impl Code {
    /// True for the review rules a document's `review_ok` may acknowledge (every `P` rule but
    /// [`NOT_ACKNOWLEDGEABLE`]).
    pub fn acknowledgeable(self) -> bool {
        self.as_str().starts_with('P') && !NOT_ACKNOWLEDGEABLE.contains(&self)
    }
}

/// [`Code::acknowledgeable`] for a code as written (`review_ok`); false for no rule at all.
pub fn acknowledgeable(code: &str) -> bool {
    Code::parse(code).is_some_and(Code::acknowledgeable)
}

/// Looks a rule up by code.
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// One finding about the site's content or configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Rule code, e.g. `P03`. A rule is named by its [`Code`], so a mistyped one does not
    /// compile, whether made or compared:
    ///
    /// ```compile_fail,E0599
    /// let _ = gongkai::diag::Code::P99;
    /// ```
    /// ```compile_fail,E0308
    /// fn is_p07(d: &gongkai::diag::Diagnostic) -> bool {
    ///     d.rule == "P07"
    /// }
    /// ```
    pub rule: Code,
    /// Severity after `gongkai.toml` was applied.
    pub severity: Severity,
    /// Path relative to the site root (`content/zcwj/2022-44.md`, `gongkai.toml`).
    pub file: PathBuf,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// Front-matter key in its canonical English form, when the finding is about one field.
    pub field: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The highest severity this finding may have, whatever its rule's level (SPEC P20 is an
    /// error for broken sums but only a warning for a late report).
    #[serde(skip)]
    pub cap: Severity,
    /// The lowest severity this finding may have, whatever `gongkai.toml` says: a document
    /// whose own text says it is not public (此件不公开) is an error even when P16 is relaxed.
    /// A finding with a floor cannot be acknowledged.
    #[serde(skip)]
    pub floor: Severity,
    /// The editor's reason, when the document's `review_ok` acknowledges this finding: it is
    /// then shown as acknowledged (severity `allow`), never dropped.
    pub acknowledged: Option<String>,
    /// The source line the finding is on, to show with a caret under `column` (YAML errors).
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Width of the fault in characters, for the caret (at least 1).
    #[serde(skip)]
    pub width: usize,
}

impl Diagnostic {
    /// A finding for `rule` in `file`, with the rule's default severity.
    pub fn new(rule: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        let severity = rule_by_code(rule.as_str())
            .map(|r| r.default)
            .unwrap_or(Severity::Error);
        Diagnostic {
            rule,
            severity,
            file: file.into(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            help: None,
            cap: Severity::Error,
            floor: Severity::Allow,
            acknowledged: None,
            source_line: None,
            width: 1,
        }
    }
    /// Sets a floor (see [`Diagnostic::floor`]).
    pub fn at_least(mut self, floor: Severity) -> Self {
        self.floor = floor;
        self
    }
    /// Shows `line` (the text of the finding's line) with a caret of `width` characters under
    /// the column.
    pub fn snippet(mut self, line: &str, width: usize) -> Self {
        self.source_line = Some(line.to_string());
        self.width = width.max(1);
        self
    }
    /// True when a document's `review_ok` may acknowledge this finding ([`acknowledgeable`]).
    pub fn can_be_acknowledged(&self) -> bool {
        self.floor == Severity::Allow && self.rule.acknowledgeable()
    }
    /// Caps the severity (see [`Diagnostic::cap`]).
    pub fn at_most(mut self, cap: Severity) -> Self {
        self.cap = cap;
        self
    }
    /// Sets the line.
    pub fn at(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
    /// Sets line and column.
    pub fn at_col(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
    /// Names the field.
    pub fn field(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }
    /// Says how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Per-rule severity overrides from `gongkai.toml`.
#[derive(Debug, Clone, Default)]
pub struct RuleLevels(pub BTreeMap<String, Severity>);

impl RuleLevels {
    /// The severity in force for `code`.
    pub fn level(&self, code: &str) -> Severity {
        let default = rule_by_code(code)
            .map(|r| r.default)
            .unwrap_or(Severity::Error);
        match (rule_by_code(code), self.0.get(code)) {
            (Some(r), Some(&s)) if r.configurable => s,
            _ => default,
        }
    }

    /// Applies the levels to a list of findings, dropping `allow`ed ones, and sorts them by
    /// file, line and rule so that output is stable. An acknowledged finding (`review_ok`) is
    /// kept with severity `allow`, so it is shown as acknowledged and counted, never lost.
    pub fn apply(&self, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = diags
            .into_iter()
            .filter_map(|mut d| {
                d.severity = self.level(d.rule.as_str()).min(d.cap).max(d.floor);
                if d.severity == Severity::Allow {
                    return None;
                }
                if d.acknowledged.is_some() {
                    if d.can_be_acknowledged() {
                        d.severity = Severity::Allow;
                    } else {
                        d.acknowledged = None;
                    }
                }
                Some(d)
            })
            .collect();
        out.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.rule, &a.field, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.rule, &b.field, &b.message))
        });
        out.dedup();
        out
    }
}

/// Counts errors and warnings.
pub fn count<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) -> (usize, usize) {
    diags
        .into_iter()
        .fold((0, 0), |(e, w), d| match d.severity {
            Severity::Error => (e + 1, w),
            Severity::Warn => (e, w + 1),
            Severity::Allow => (e, w),
        })
}

/// Counts the findings a document's `review_ok` acknowledged.
pub fn count_acknowledged<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) -> usize {
    diags
        .into_iter()
        .filter(|d| d.acknowledged.is_some() && d.severity == Severity::Allow)
        .count()
}

/// `1369` → `1,369`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// "，是不是想写 “x”？" when a candidate is close: at most a third of its characters (two
/// for short words) differ, and not all of them (`公路` is not a misspelt `国防`).
pub fn suggest_close<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let len = word.chars().count();
    let best = candidates
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| {
            let n = c.chars().count();
            *d <= 2.max(n / 3) && *d < len && *d < n
        })
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, c)) => format!("，是不是想写 “{c}”？(did you mean `{c}`?)"),
        None => String::new(),
    }
}

/// Converts a byte offset in `text` into a 1-based (line, column in characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An I/O error for an editor: the cause in Chinese, then the system's own words in
/// "，是不是想写 “x”？" when a close candidate exists.
pub fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let best = candidates
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, c)) => format!("，是不是想写 “{c}”？(did you mean `{c}`?)"),
        None => String::new(),
    }
}

/// brackets (`文件或目录不存在 (No such file or directory (os error 2))`).
pub fn io_message(e: &std::io::Error) -> String {
    format!("{} ({e})", io_reason(e))
}

/// An I/O error's cause in Chinese, for messages that then give the system's own words.
pub fn io_reason(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已存在",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中有一段不是目录",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "文件系统是只读的",
        K::InvalidFilename => "文件名无效或太长",
        K::InvalidData => "内容不是有效的 UTF-8 文本",
        K::Interrupted | K::TimedOut => "操作被中断",
        _ => "系统错误",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(1369), "1,369");
        assert_eq!(thousands(10000), "10,000");
        assert_eq!(thousands(12), "12");
    }

    #[test]
    fn non_configurable_rules_keep_their_level() {
        let mut levels = RuleLevels::default();
        levels.0.insert("P01".into(), Severity::Allow);
        levels.0.insert("P05".into(), Severity::Allow);
        assert_eq!(levels.level("P01"), Severity::Error);
        assert_eq!(levels.level("P05"), Severity::Allow);
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\n中文x";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 9), (2, 3));
    }

    #[test]
    fn every_rule_code_reads_back_and_only_review_rules_can_be_acknowledged() {
        for r in RULES {
            let code = Code::parse(r.code).expect("each rule's code parses");
            assert_eq!(code.as_str(), r.code);
            assert_eq!(
                acknowledgeable(r.code),
                r.code.starts_with('P') && !NOT_ACKNOWLEDGEABLE.contains(&code)
            );
        }
        assert_eq!(Code::parse("P99"), None);
        assert_eq!(Code::parse("p05"), None);
        assert!(!acknowledgeable("P01") && !acknowledgeable("E004") && !acknowledgeable("X"));
        assert!(acknowledgeable("P05"));
        // The derived order is the codes' order as text (findings sort by it).
        let mut by_text: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        by_text.sort_unstable();
        let mut by_code: Vec<Code> = RULES.iter().filter_map(|r| Code::parse(r.code)).collect();
        by_code.sort_unstable();
        assert_eq!(
            by_code.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            by_text
        );
    }
}
