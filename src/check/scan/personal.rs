//! P15 个人信息 (条例第十五条): mobile numbers, resident identity numbers and bank cards in a
//! text, recognised by their check digits and context, with the editor's allow-list.

use std::sync::LazyLock;

use regex::Regex;

use super::*;

/// Maximal runs of ASCII or full-width digits, with an optional check character X.
static DIGIT_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9０-９]+[XxＸｘ]?").expect("the digit-run pattern is a valid regex")
});

/// Mobile numbers written in 3-4-4 groups: `138-1234-5678`, `138 1234 5678`.
static GROUPED_MOBILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"1[3-9][0-9][- ][0-9]{4}[- ][0-9]{4}")
        .expect("the grouped mobile pattern is a valid regex")
});

/// Card numbers written in groups of four: `6222 0212 3456 7890 123`.
static GROUPED_CARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]{4}(?:[- ][0-9]{4}){3}(?:[- ][0-9]{1,3})?")
        .expect("the grouped card pattern is a valid regex")
});

/// 身份证号 written in groups: `130821 19650722 0312`, `130821-1965-0722-0312`.
static GROUPED_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]{6}[- ](?:[0-9]{8}|[0-9]{4}[- ][0-9]{4})[- ][0-9]{3}[0-9Xx]")
        .expect("the grouped ID pattern is a valid regex")
});

/// Longest digit run that can be personal data (a 19-digit card).
const MAX_RUN: usize = 19;

/// The personal numbers P15 knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Personal {
    IdCard,
    /// A 15-digit 身份证号 of the first generation (before 1999): reported as a warning, as its
    /// check is weaker (no check digit).
    OldIdCard,
    Mobile,
    BankCard,
}

/// P15: 居民身份证号, 手机号码 and 银行卡号 in a text, except numbers on the allow-list
/// (`allow`: published service numbers such as a hotline or an office mobile; separators,
/// spaces and a `+86` prefix are ignored when comparing).
///
/// * 身份证号: exactly 18 characters (17 digits and a digit or X), not part of a longer
///   digit run; the first digit 1–9; digits 7–14 a real date from 1900 to 2099; and the
///   GB 11643-1999 check character (ISO 7064 MOD 11-2) right. A number with a wrong check
///   character is not reported. Numbers split by spaces (`110101 19900307 4514`) are not
///   recognised.
/// * 手机号码: `1[3-9]` + 9 digits as a whole digit run, optionally after `+86`, or in
///   3-4-4 groups joined by `-` or a space (`138-1234-5678`). Landlines are not personal
///   data and are not reported.
/// * 银行卡号: a 16–19 digit run, or groups of four joined by `-`/space, starting with 3,
///   4, 5, 6 or 9 (UnionPay 62, Visa 4, Mastercard 5, JCB/Amex 3, old domestic 9 cards),
///   passing the Luhn check. Dates and serial numbers starting with 1, 2, 7 or 8 are
///   not reported.
///
/// Full-width digits count as digits. Masked numbers (`138****5678`) and numbers that
/// touch an ASCII letter or digit (part of a longer code such as `A13812345678`) are not
/// reported.
pub fn scan_personal_data(text: &str, allow: &[String]) -> Vec<Finding> {
    let allowed: Vec<Normalized> = allow
        .iter()
        .map(|a| Normalized::from_str_lossy(a))
        .collect();
    let is_allowed = |n: &Normalized| allowed.iter().any(|a| a.as_bytes() == n.as_bytes());
    let mut out = Vec::new();

    for m in DIGIT_RUN.find_iter(text) {
        let s = m.as_str();
        // Cheap length gate before any work: a run of more than 19 digits (plus X) is
        // never personal data, and its characters are at most 3 bytes each.
        if s.len() > 3 * (MAX_RUN + 1) {
            continue;
        }
        // Part of a longer letter-digit code (`A138…`, `…123X7`): not a personal number.
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if before.is_some_and(|c| c.is_ascii_alphanumeric())
            || after.is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        let n = Normalized::from_str_lossy(s);
        let digits = n.as_bytes();
        let has_x = digits.last() == Some(&b'X');
        let plus = text[..m.start()].ends_with('+');
        let kind = if digits.len() == 18 && is_valid_id(digits) {
            Some(Personal::IdCard)
        } else if digits.len() == 15 && is_valid_old_id(digits) {
            Some(Personal::OldIdCard)
        } else if has_x {
            None
        } else if is_mobile(digits)
            || (plus && digits.starts_with(b"86") && is_mobile(&digits[2..]))
        {
            Some(Personal::Mobile)
        } else if (16..=MAX_RUN).contains(&digits.len()) && is_card(digits) {
            Some(Personal::BankCard)
        } else {
            None
        };
        let Some(kind) = kind else { continue };
        let start = if plus { m.start() - 1 } else { m.start() };
        if is_allowed(&n) || (kind == Personal::Mobile && is_allowed(&n.strip_86())) {
            continue;
        }
        out.push(personal_finding(text, start, m.end(), kind, digits));
    }

    for (re, kind) in [
        (&*GROUPED_ID, Personal::IdCard),
        (&*GROUPED_MOBILE, Personal::Mobile),
        (&*GROUPED_CARD, Personal::BankCard),
    ] {
        for m in re.find_iter(text) {
            if !standalone_digits(text, m.start(), m.end()) {
                continue;
            }
            let n = Normalized::from_str_lossy(m.as_str());
            let digits = n.as_bytes();
            if kind == Personal::BankCard && !is_card(digits)
                || kind == Personal::IdCard && !is_valid_id(digits)
            {
                continue;
            }
            if is_allowed(&n) {
                continue;
            }
            out.push(personal_finding(text, m.start(), m.end(), kind, digits));
        }
    }
    out.sort_by_key(|f| (f.start, f.end));
    out
}

fn personal_finding(
    text: &str,
    start: usize,
    end: usize,
    kind: Personal,
    digits: &[u8],
) -> Finding {
    let (what, help) = match kind {
        Personal::OldIdCard => (
            "疑似旧式 15 位居民身份证号",
            "公开会侵犯个人隐私（条例第十五条）。若是身份证号，请删除或隐去中间数字；若是其他编号，可忽略此提示",
        ),
        Personal::IdCard => (
            "居民身份证号",
            "公开会侵犯个人隐私（条例第十五条）。请删除或隐去中间数字（如“110101********4514”）",
        ),
        Personal::Mobile => (
            "手机号码",
            "公开会侵犯个人隐私（条例第十五条）。请删除或隐去中间四位（如“138****5678”）；若是公开的服务电话，请把它加入配置的允许名单",
        ),
        Personal::BankCard => (
            "银行卡号",
            "公开会泄露个人信息（条例第十五条）。请删除或隐去中间数字；若是公开的对公收款账号，请把它加入配置的允许名单",
        ),
    };
    // `+8615912345678`: the country code stays readable, the number is masked as usual.
    let shown = match digits.strip_prefix(b"86") {
        Some(rest) if kind == Personal::Mobile && text[start..].starts_with('+') => {
            format!("+86 {}", mask(rest))
        }
        _ => mask(digits),
    };
    let mut f = Finding::new(
        Code::P15,
        text,
        start,
        end,
        format!("有{what}“{shown}”"),
        help,
    );
    f.weak = kind == Personal::OldIdCard;
    f
}

/// The province codes that begin a 身份证号 (GB/T 2260 first two digits).
const PROVINCES: &[&[u8; 2]] = &[
    b"11", b"12", b"13", b"14", b"15", b"21", b"22", b"23", b"31", b"32", b"33", b"34", b"35",
    b"36", b"37", b"41", b"42", b"43", b"44", b"45", b"46", b"50", b"51", b"52", b"53", b"54",
    b"61", b"62", b"63", b"64", b"65", b"71", b"81", b"82",
];

/// A first-generation 15-digit 身份证号: a province code, then 4 digits of 地址码, a real
/// date 19YYMMDD written as YYMMDD, and a 3-digit 顺序码. There is no check digit, so a run
/// of 15 digits is reported only when both the province and the date are real.
fn is_valid_old_id(d: &[u8]) -> bool {
    if d.len() != 15 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !PROVINCES.iter().any(|p| d.starts_with(&p[..])) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        d[r].iter()
            .fold(0_u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    NaiveDate::from_ymd_opt(1900 + num(6..8) as i32, num(8..10), num(10..12)).is_some()
}

/// Digits only (full-width made ASCII, X upper-case, everything else dropped), at most
/// 24 bytes: enough for any number P15 compares. Longer inputs never compare equal to a
/// candidate, which is at most 19 digits.
#[derive(Clone, Copy)]
struct Normalized {
    buf: [u8; 24],
    len: usize,
}

impl Normalized {
    fn from_str_lossy(s: &str) -> Self {
        let mut n = Normalized {
            buf: [0; 24],
            len: 0,
        };
        for c in s.chars() {
            let b = match c {
                '0'..='9' => c as u8,
                '０'..='９' => b'0' + (u32::from(c) - u32::from('０')) as u8,
                'X' | 'x' | 'Ｘ' | 'ｘ' => b'X',
                _ => continue,
            };
            if n.len == n.buf.len() {
                // Too long to be a number P15 reports: make it unequal to any candidate.
                n.buf[0] = b'#';
                n.len = 1;
                return n;
            }
            n.buf[n.len] = b;
            n.len += 1;
        }
        n
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Without a leading country code 86, when the rest is 11 digits.
    fn strip_86(mut self) -> Self {
        if self.len == 13 && self.buf.starts_with(b"86") {
            self.buf.copy_within(2..13, 0);
            self.len = 11;
        }
        self
    }
}

/// No digit (nor a further separator-digit group) touches the match on either side.
fn standalone_digits(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let is_digitish =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    let is_sep = |c: Option<char>| matches!(c, Some('-' | ' '));
    if is_digitish(before) || is_digitish(after) {
        return false;
    }
    // `0311-138-1234-5678`: a group before or after joined by a separator.
    let before2 = text[..start].chars().rev().nth(1);
    let after2 = text[end..].chars().nth(1);
    !(is_sep(before) && is_digitish(before2) || is_sep(after) && is_digitish(after2))
}

/// `1[3-9]` + 9 digits.
fn is_mobile(d: &[u8]) -> bool {
    d.len() == 11
        && d[0] == b'1'
        && (b'3'..=b'9').contains(&d[1])
        && d.iter().all(u8::is_ascii_digit)
}

/// 16–19 digits, a card-network first digit, Luhn-valid.
fn is_card(d: &[u8]) -> bool {
    (16..=MAX_RUN).contains(&d.len())
        && d.iter().all(u8::is_ascii_digit)
        && matches!(d[0], b'3' | b'4' | b'5' | b'6' | b'9')
        && luhn_ok(d)
}

/// The Luhn (mod 10) check used by payment cards.
pub(super) fn luhn_ok(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            if i % 2 == 1 {
                let v2 = v * 2;
                if v2 > 9 {
                    v2 - 9
                } else {
                    v2
                }
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// GB 11643-1999 公民身份号码: 6-digit 地址码 (first digit 1–9), 8-digit 出生日期码
/// (a real date, 1900–2099), 3-digit 顺序码, check character by ISO 7064 MOD 11-2.
fn is_valid_id(d: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [u8; 11] = *b"10X98765432";
    if d.len() != 18 || !d[..17].iter().all(u8::is_ascii_digit) || !(b'1'..=b'9').contains(&d[0]) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        d[r].iter()
            .fold(0_u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    let (y, m, day) = (num(6..10), num(10..12), num(12..14));
    if !(1900..=2099).contains(&y) || NaiveDate::from_ymd_opt(y as i32, m, day).is_none() {
        return false;
    }
    let sum: u32 = d[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == d[17]
}

/// First three and last four characters, the rest as `*`: the message never repeats a
/// whole personal number.
fn mask(d: &[u8]) -> String {
    d.iter()
        .enumerate()
        .map(|(i, &b)| {
            if i < 3 || i + 4 >= d.len() {
                char::from(b)
            } else {
                '*'
            }
        })
        .collect()
}
