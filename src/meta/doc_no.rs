//! 发文字号 / 文件编号 (`doc_no`): parsing, validation and the bracket auto-fix (SPEC §3.5, P06).
//!
//! GB/T 9704-2012 §7.2.5 fixes the shape of an ordinary 公文 number: 发文机关代字 +
//! 〔YYYY〕 + 发文顺序号 + 号, e.g. `国发〔2019〕5号`. The year is written in full inside
//! six-angle brackets 〔〕 (U+3014/U+3015); the sequence number has no leading zero and no
//! `第`. Orders (令) that promulgate 规章 and 行政法规 follow their own practice and do
//! use `第`: `国令第711号`, `河北省人民政府令〔2016〕第5号`, `交通运输部令2026年第8号`.
//! Joint orders name every issuer, joined by `、`
//! (`国务院、中华人民共和国中央军事委员会令第22号`); SPEC's regex does not allow the `、`,
//! but these are real, correct numbers (the corpus 行政法规 include 33 of them), so
//! this module accepts them.
//!
//! The module takes a string and the caller's knowledge of whether the document is
//! promulgated by an order (`kind` 规章 or 行政法规), and returns either a [`DocNo`] or a
//! [`DocNoError`] whose [`DocNoErrorKind`] says precisely what is wrong, in plain Chinese,
//! with a fix. A document keeps its number as a [`DocNumber`]: the parsed [`DocNo`], or the text
//! as written when it is irregular. [`fix_brackets`] and [`fix_in_place`] (`fix.rs`) implement
//! the only auto-fix the SPEC offers (wrong brackets → 〔YYYY〕). Locating the value in a file,
//! choosing the severity and printing diagnostics are left to the caller (`validate/fields.rs`,
//! `check/`).

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;

/// An ordinary 公文 number, SPEC §3.5, with capture groups.
static ORDINARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<code>[\p{Han}A-Za-z]{1,20})〔(?P<year>(?:19|20)[0-9]{2})〕(?P<seq>[1-9][0-9]{0,4})号$")
        .expect("the ordinary 文号 pattern is a valid regex")
});

/// An order (令) number, SPEC §3.5, widened to joint issuers joined by `、`.
static ORDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<issuer>\p{Han}+(?:、\p{Han}+)*)令(?:〔(?P<byear>(?:19|20)[0-9]{2})〕|(?P<nyear>(?:19|20)[0-9]{2})年)?第(?P<seq>[1-9][0-9]{0,3})号$",
    )
    .expect("the 令 number pattern is a valid regex")
});

/// A tolerant reading used only to explain a rejection and to fix brackets: any bracket
/// pair (or a `YYYY年`) around any digits, an optional `第`, digits and an optional `号`.
static LENIENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?s)(?P<head>.*?)\s*",
        r"(?:(?P<open>[〔\[\(（【［〖〘﹝｛\{《〈<＜「『])\s*(?P<byear>[0-9０-９]+)\s*(?P<close>[〕\]\)）】］〗〙﹞｝\}》〉>＞」』])",
        r"|(?P<nyear>[0-9０-９]+)\s*年)?",
        r"\s*(?P<di>第)?\s*(?P<seq>[0-9０-９]+)?\s*(?P<hao>号)?\s*$"
    ))
    .expect("the lenient 文号 pattern is a valid regex")
});

/// Issuer part of an order: one or more bodies joined by `、`.
/// A year written beside empty brackets: `冀政办2022〔〕5号`, `冀政办〔〕2022 5号`.
static YEAR_OUTSIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?P<before>(?:19|20)[0-9]{2})\s*[〔\[（(【]\s*[〕\]）)】]|[〔\[（(【]\s*[〕\]）)】]\s*(?P<after>(?:19|20)[0-9]{2}))")
        .expect("the year-outside-brackets pattern is a valid regex")
});

static ORDER_ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}+(?:、\p{Han}+)*$").expect("the 令 issuer pattern is a valid regex")
});

/// 发文机关代字 of an ordinary number.
static ORDINARY_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}A-Za-z]{1,20}$").expect("the 代字 pattern is a valid regex")
});

/// Longest issuer part of an order, in characters (SPEC §3.5: `{1,30}`).
const MAX_ORDER_ISSUER_CHARS: usize = 30;

/// Which of the two numbering systems a [`DocNo`] follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocNoForm {
    /// 公文发文字号 (GB/T 9704): `国发〔2019〕5号`.
    Ordinary,
    /// 令 number of a 规章 or 行政法规: `国令第711号`, `河北省人民政府令〔2016〕第5号`.
    Order,
}

/// A valid 发文字号 / 文件编号 (SPEC §3.5).
///
/// Invariant: the text matches the ordinary pattern (form [`DocNoForm::Ordinary`]) or the
/// 令 pattern (form [`DocNoForm::Order`]) exactly; it is kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocNo {
    text: String,
    form: DocNoForm,
    issuer_len: usize,
    year: Option<i32>,
    number: u32,
}

impl DocNo {
    /// Parses `s` as the number of a document that is (`is_order`: kind 规章/行政法规) or is
    /// not promulgated by an order. The value must already be trimmed: surrounding spaces
    /// are an error, because the published page would show them.
    pub fn parse(s: &str, is_order: bool) -> Result<DocNo, DocNoError> {
        let parsed = if is_order {
            parse_order(s)
        } else {
            parse_ordinary(s)
        };
        parsed.ok_or_else(|| DocNoError {
            value: s.to_owned(),
            kind: diagnose(s, is_order),
        })
    }

    /// The number as written, e.g. `承市政办字〔2022〕44号`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Ordinary 公文 number or 令 number.
    pub fn form(&self) -> DocNoForm {
        self.form
    }

    /// 发文机关代字 (`承市政办字`), or for an order the issuing body (`河北省人民政府`,
    /// `国` in `国令第711号`; joint issuers keep their `、`).
    pub fn issuer_code(&self) -> &str {
        &self.text[..self.issuer_len]
    }

    /// The year in the number: always present for ordinary numbers, optional for orders
    /// (`国令第711号` has none). SPEC §3.5 warns when it differs from the `written` year.
    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// 发文顺序号 / 令 number: `44` in `承市政办字〔2022〕44号`.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Whether the number carries the dedicated 规范性文件 code `…规〔YYYY〕N号`
    /// (`冀政规`, `冀政办规`, `冀科平规`), the Hebei practice of SPEC §3.5.
    ///
    /// A *suggestion* for kind=行政规范性文件 only: never use it to decide the kind.
    pub fn looks_normative(&self) -> bool {
        self.form == DocNoForm::Ordinary && self.issuer_code().ends_with('规')
    }
}

impl fmt::Display for DocNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Parses either form, choosing the 令 rules when the text has `令` before a `第`.
/// Use [`DocNo::parse`] when the document's kind is known: it gives better errors.
impl FromStr for DocNo {
    type Err = DocNoError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let looks_order = s.find('令').is_some_and(|i| s[i..].contains('第'));
        DocNo::parse(s, looks_order)
    }
}

/// A document's 文件编号 as the site keeps it: parsed ([`DocNo`]) when it follows SPEC §3.5,
/// else the text as written. An irregular number is reported (P06); a site that relaxes P06
/// still publishes the document, and its pages show the number as the editor wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DocNumber {
    /// A number that follows the ordinary or the 令 pattern.
    Valid(DocNo),
    /// A number that does not (P06), kept as written.
    Irregular(String),
}

impl DocNumber {
    /// Reads `s` as the number of a document that is (`is_order`) or is not promulgated by an
    /// order; the error, if any, is what P06 reports.
    pub fn read(s: &str, is_order: bool) -> (DocNumber, Option<DocNoError>) {
        match DocNo::parse(s, is_order) {
            Ok(d) => (DocNumber::Valid(d), None),
            Err(e) => (DocNumber::Irregular(s.to_owned()), Some(e)),
        }
    }

    /// The number as written.
    pub fn as_str(&self) -> &str {
        match self {
            DocNumber::Valid(d) => d.as_str(),
            DocNumber::Irregular(s) => s,
        }
    }

    /// The parsed number, when it follows SPEC §3.5.
    pub fn valid(&self) -> Option<&DocNo> {
        match self {
            DocNumber::Valid(d) => Some(d),
            DocNumber::Irregular(_) => None,
        }
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Checks `s` as the number of a document that is (`is_order`) or is not promulgated by
/// an order (P06). The error says what is wrong and how to fix it.
pub fn check_doc_no(s: &str, is_order: bool) -> Result<(), DocNoError> {
    DocNo::parse(s, is_order).map(|_| ())
}

/// An invalid 文号 and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("文号“{value}”{}", kind.message())]
pub struct DocNoError {
    /// The value as written.
    pub value: String,
    /// What is wrong.
    pub kind: DocNoErrorKind,
}

impl DocNoError {
    /// How to fix it, in plain Chinese (the diagnostic's `help`).
    pub fn help(&self) -> String {
        self.kind.help()
    }

    /// The automatic fix, when one exists (only for [`DocNoErrorKind::WrongBrackets`]).
    pub fn fixed(&self) -> Option<String> {
        match self.kind {
            DocNoErrorKind::WrongBrackets { .. } => fix_brackets(&self.value),
            _ => None,
        }
    }
}

/// What is wrong with a 文号. The first problem found is reported, in the order below,
/// so that fixing it and checking again reveals the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocNoErrorKind {
    /// The value is empty or only spaces.
    Empty,
    /// The year is in brackets other than the 六角括号 〔〕: `[2022]`, `（2022）`, `【2022】`,
    /// `﹝2022﹞`, or a mixed pair `〔2022]`. Auto-fixable.
    WrongBrackets {
        /// The opening bracket found.
        open: char,
        /// The closing bracket found.
        close: char,
    },
    /// Full-width digits (`１４９`) instead of ASCII digits.
    FullwidthDigits,
    /// A two-digit year (`〔22〕`): GB/T 9704 requires the full year.
    ShortYear {
        /// The year as written.
        year: String,
    },
    /// A year that is not 19xx or 20xx.
    ImplausibleYear {
        /// The year as written.
        year: String,
    },
    /// No sequence number before `号`.
    MissingNumber,
    /// A sequence number with a leading zero (`044号`): GB/T 9704 "不编虚位".
    LeadingZero {
        /// The number as written.
        number: String,
    },
    /// `第` in an ordinary 公文 number (`第44号`), or an order number on a document whose
    /// kind is not 规章/行政法规.
    OrdinalOutsideOrder,
    /// kind is 规章/行政法规 but the number is not an order number (no `令`).
    ExpectedOrder,
    /// An order number without `第` (`国令711号`).
    MissingOrdinal,
    /// The number does not end with `号`.
    MissingHao,
    /// Spaces (ASCII, full-width or others) inside or around the number.
    Whitespace,
    /// An ordinary number with `2019年` instead of `〔2019〕`.
    YearNotBracketed,
    /// The year stands beside empty brackets (`冀政办2022〔〕5号`).
    YearOutsideBrackets {
        /// The year as written.
        year: String,
        /// The number with the year moved into `〔〕`.
        fixed: String,
    },
    /// An ordinary number without a year.
    MissingYear,
    /// A sequence number longer than the rule allows (5 digits; 4 for orders).
    NumberTooLong {
        /// The number as written.
        number: String,
    },
    /// The part before the year is not a plain 发文机关代字 or issuer name: other
    /// characters, a leading `、` (an issuer lost), or too long.
    BadIssuerPart {
        /// The part as written.
        part: String,
    },
    /// Nothing like a 文号 (`无`, `见附件`).
    Unrecognised,
}

impl DocNoErrorKind {
    /// What is wrong, in plain Chinese; follows the quoted value in the message.
    pub fn message(&self) -> String {
        match self {
            Self::Empty => "是空的".into(),
            Self::WrongBrackets { open, close } => {
                format!("的年份用了“{open}{close}”括起来，公文格式要求用六角括号“〔〕”")
            }
            Self::FullwidthDigits => "里有全角数字（如“１２３”），应使用半角阿拉伯数字".into(),
            Self::ShortYear { year } => {
                format!("的年份“{year}”只写了两位，年份应标全称（四位）")
            }
            Self::ImplausibleYear { year } => format!("的年份“{year}”不是有效的四位年份"),
            Self::MissingNumber => "缺少发文顺序号".into(),
            Self::LeadingZero { number } => {
                format!("的顺序号“{number}”前面多了0，公文格式要求不编虚位")
            }
            Self::OrdinalOutsideOrder => {
                "用了“第N号”，而“第”字只用于以令公布的规章、行政法规；普通公文的顺序号不加“第”字"
                    .into()
            }
            Self::ExpectedOrder => {
                "不是令的编号，而规章、行政法规以令公布，编号形如“国令第711号”".into()
            }
            Self::MissingOrdinal => "是令的编号，但顺序号前缺少“第”字".into(),
            Self::MissingHao => "末尾缺少“号”字".into(),
            Self::Whitespace => "里有空格".into(),
            Self::YearNotBracketed => {
                "的年份写成了“YYYY年”，公文的年份应用六角括号“〔〕”括入".into()
            }
            Self::YearOutsideBrackets { year, .. } => {
                format!("的年份“{year}”写在了括号外面，括号里是空的")
            }
            Self::MissingYear => "缺少年份".into(),
            Self::NumberTooLong { number } => format!("的顺序号“{number}”位数过多"),
            Self::BadIssuerPart { part } => {
                if part.starts_with('、') {
                    format!("的机关部分“{part}”以顿号开头，可能漏掉了第一个发文机关")
                } else if part.is_empty() {
                    "缺少发文机关代字".into()
                } else {
                    format!("的机关代字部分“{part}”不是规范的发文机关代字")
                }
            }
            Self::Unrecognised => "不像发文字号".into(),
        }
    }

    /// How to fix it, in plain Chinese.
    pub fn help(&self) -> String {
        match self {
            Self::Empty => "文件没有文号时删除 doc_no 这一行；有文号时照原件填写，如“国发〔2019〕5号”".into(),
            Self::WrongBrackets { .. } => {
                "把年份两边的括号换成六角括号“〔〕”，如“国发〔2019〕5号”（gongkai check --fix 可自动修改）".into()
            }
            Self::FullwidthDigits => "把全角数字改成半角数字，如“１４９”改为“149”".into(),
            Self::ShortYear { .. } => "把年份写全，如“〔22〕”改为“〔2022〕”".into(),
            Self::ImplausibleYear { .. } => "照原件核对年份，写成四位，如“〔2022〕”".into(),
            Self::MissingNumber => "照原件补上顺序号，如“国发〔2019〕5号”".into(),
            Self::LeadingZero { .. } => "去掉顺序号前面的0，如“044号”改为“44号”".into(),
            Self::OrdinalOutsideOrder => {
                "去掉“第”字，如“国发〔2019〕第5号”改为“国发〔2019〕5号”；如果这份文件确实是以令公布的规章或行政法规，请把 kind 设为“规章”或“行政法规”".into()
            }
            Self::ExpectedOrder => {
                "填写公布该规章或行政法规的令号，如“河北省人民政府令〔2016〕第5号”；如果它不是以令公布的，请核对 kind".into()
            }
            Self::MissingOrdinal => "在顺序号前加“第”，如“国令711号”改为“国令第711号”".into(),
            Self::MissingHao => "在末尾加上“号”字".into(),
            Self::Whitespace => "删除文号里和两端的空格".into(),
            Self::YearNotBracketed => "改为“代字〔YYYY〕N号”，如“国发2019年5号”改为“国发〔2019〕5号”".into(),
            Self::YearOutsideBrackets { fixed, .. } => {
                format!("把年份移进六角括号：写成“{fixed}”")
            }
            Self::MissingYear => "补上用六角括号括入的年份，如“国发〔2019〕5号”".into(),
            Self::NumberTooLong { .. } => "照原件核对顺序号".into(),
            Self::BadIssuerPart { .. } => {
                "照原件填写发文机关代字（只含汉字或字母），联合令的各机关用“、”隔开，如“国务院、中央军事委员会令第22号”".into()
            }
            Self::Unrecognised => {
                "文件没有文号时删除 doc_no 这一行；有文号时照原件填写，如“国发〔2019〕5号”或“国令第711号”".into()
            }
        }
    }
}

fn parse_ordinary(s: &str) -> Option<DocNo> {
    let caps = ORDINARY.captures(s)?;
    let code = caps.name("code")?;
    Some(DocNo {
        text: s.to_owned(),
        form: DocNoForm::Ordinary,
        issuer_len: code.end(),
        year: caps.name("year")?.as_str().parse().ok(),
        number: caps.name("seq")?.as_str().parse().ok()?,
    })
}

fn parse_order(s: &str) -> Option<DocNo> {
    let caps = ORDER.captures(s)?;
    let issuer = caps.name("issuer")?;
    if issuer.as_str().chars().count() > MAX_ORDER_ISSUER_CHARS {
        return None;
    }
    let year = caps
        .name("byear")
        .or_else(|| caps.name("nyear"))
        .and_then(|m| m.as_str().parse().ok());
    Some(DocNo {
        text: s.to_owned(),
        form: DocNoForm::Order,
        issuer_len: issuer.end(),
        year,
        number: caps.name("seq")?.as_str().parse().ok()?,
    })
}

/// Explains why `s` failed the strict pattern. Called only after a failed parse.
fn diagnose(s: &str, is_order: bool) -> DocNoErrorKind {
    use DocNoErrorKind as K;
    if s.trim().is_empty() {
        return K::Empty;
    }
    if let Some(m) = YEAR_OUTSIDE.captures(s) {
        let year = m
            .name("before")
            .or_else(|| m.name("after"))
            .map_or("", |y| y.as_str());
        let whole = m.get(0).map_or(0..0, |w| w.range());
        let fixed = format!(
            "{}〔{year}〕{}",
            &s[..whole.start],
            s[whole.end..].trim_start()
        );
        return K::YearOutsideBrackets {
            year: year.to_owned(),
            fixed,
        };
    }
    let Some(caps) = LENIENT.captures(s) else {
        return K::Unrecognised;
    };
    let text = |name: &str| caps.name(name).map(|m| m.as_str());
    let (head, di, seq, hao) = (
        text("head").unwrap_or(""),
        text("di"),
        text("seq"),
        text("hao"),
    );
    let year = text("byear").or(text("nyear"));
    if year.is_none() && seq.is_none() && di.is_none() {
        return K::Unrecognised;
    }
    if let (Some(open), Some(close)) = (text("open"), text("close")) {
        if open != "〔" || close != "〕" {
            return K::WrongBrackets {
                open: open.chars().next().unwrap_or('?'),
                close: close.chars().next().unwrap_or('?'),
            };
        }
    }
    if s.chars().any(|c| ('０'..='９').contains(&c)) {
        return K::FullwidthDigits;
    }
    if let Some(y) = year {
        if y.len() == 2 {
            return K::ShortYear { year: y.to_owned() };
        }
        if !is_plausible_year(y) {
            return K::ImplausibleYear { year: y.to_owned() };
        }
    }
    let Some(seq) = seq else {
        return K::MissingNumber;
    };
    if seq.starts_with('0') {
        return K::LeadingZero {
            number: seq.to_owned(),
        };
    }
    let head_is_order = head.trim_end().ends_with('令');
    if !is_order && di.is_some() {
        return K::OrdinalOutsideOrder;
    }
    if is_order && !head_is_order {
        return K::ExpectedOrder;
    }
    if is_order && di.is_none() {
        return K::MissingOrdinal;
    }
    if hao.is_none() {
        return K::MissingHao;
    }
    if s.chars().any(char::is_whitespace) {
        return K::Whitespace;
    }
    if !is_order {
        if text("nyear").is_some() {
            return K::YearNotBracketed;
        }
        if year.is_none() {
            return K::MissingYear;
        }
    }
    let max_digits = if is_order { 4 } else { 5 };
    if seq.len() > max_digits {
        return K::NumberTooLong {
            number: seq.to_owned(),
        };
    }
    let issuer_ok = if is_order {
        let issuer = head.strip_suffix('令').unwrap_or(head);
        ORDER_ISSUER.is_match(issuer) && issuer.chars().count() <= MAX_ORDER_ISSUER_CHARS
    } else {
        ORDINARY_CODE.is_match(head)
    };
    if !issuer_ok {
        let part = if is_order {
            head.strip_suffix('令').unwrap_or(head)
        } else {
            head
        };
        return K::BadIssuerPart {
            part: part.to_owned(),
        };
    }
    K::Unrecognised
}

/// Four ASCII digits starting with 19 or 20.
fn is_plausible_year(y: &str) -> bool {
    y.len() == 4
        && y.bytes().all(|b| b.is_ascii_digit())
        && (y.starts_with("19") || y.starts_with("20"))
}

/// The ASCII digit for an ASCII or full-width digit.
fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
        _ => None,
    }
}

mod fix;
pub use fix::{fix_brackets, fix_in_place};

#[cfg(test)]
mod tests;
