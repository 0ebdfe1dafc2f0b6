//! The textual patterns of a 公文 (GB/T 9704-2012): dates written in Arabic, full-width or
//! Chinese numerals, 发文字号, 令 numbers, heading numbers (一、 （一） 1. （1）), 密级 marks.
//! Pure functions over strings; the layout rules that use them are in `gongwen`.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// Text without any white space (also U+3000 and no-break spaces): 公文 spread titles and
/// names with spaces for layout only.
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Full-width digits (０-９) as ASCII; typists use both.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([0-9〇○零Ｏ一二三四五六七八九]{4})年([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十]{1,3})日",
    )
    .expect("static regex")
});

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '〇' | '○' | '零' | 'Ｏ' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// A month or day: `6`, `12`, `六`, `十`, `十二`, `二十`, `三十一`.
fn small_number(s: &str) -> Option<u32> {
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

fn date_of(c: &regex::Captures) -> Option<NaiveDate> {
    let year = c[1]
        .chars()
        .try_fold(0u32, |acc, ch| Some(acc * 10 + digit(ch)?))?;
    NaiveDate::from_ymd_opt(year as i32, small_number(&c[2])?, small_number(&c[3])?)
}

/// The date, if the whole text is one: `2022年6月9日`, `２０２２年６月９日`,
/// `二〇二二年六月九日` (spaces anywhere ignored).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = ascii_digits(&compact(s));
    let c = DATE.captures(&t)?;
    let m = c.get(0)?;
    (m.start() == 0 && m.end() == t.len()).then(|| date_of(&c))?
}

/// The first date in a text, with the text before it (both with spaces removed).
pub fn find_date(s: &str) -> Option<(NaiveDate, String, String)> {
    let t = ascii_digits(&compact(s));
    let c = DATE.captures(&t)?;
    let m = c.get(0)?;
    Some((
        date_of(&c)?,
        t[..m.start()].to_string(),
        t[m.end()..].to_string(),
    ))
}

static DOC_NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[\p{Han}A-Za-z]{1,30}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号",
    )
    .expect("static regex")
});

/// A 发文字号 anywhere in the text (`承市政办字〔2022〕44号`; also with the wrong brackets, which
/// `check --fix` corrects), spaces removed and full-width digits made ASCII.
pub fn find_doc_no(s: &str) -> Option<String> {
    let t = ascii_digits(s);
    DOC_NO.find(&t).map(|m| compact(m.as_str()))
}

static ORDER_NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[〔\[［(（【](?:19|20)\d{2}[〕\]］)）】]|(?:19|20)\d{2}年)?第\d{1,4}号$")
        .expect("static regex")
});

/// The number line under a 令's 版头 (`第5号`, `〔2016〕第5号`), if the whole text is one.
pub fn order_number(s: &str) -> Option<String> {
    let t = ascii_digits(&compact(s));
    ORDER_NO.is_match(&t).then_some(t)
}

/// Heading numbers of a 公文's 正文 (GB/T 9704 §7.3.3: 一、 （一） 1. （1）) and of a 规章's
/// chapters and sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// 第一章
    Chapter,
    /// 第一节
    Section,
    /// 一、
    First,
    /// （一）
    Second,
    /// 1.
    Third,
    /// （1）
    Fourth,
}

impl Marker {
    /// The Markdown heading level the importer gives it (README, "Importing Word files"):
    /// 一、 and 第一章 `##`, （一） and 第一节 `###`, 1. `####`, （1） `#####`.
    pub fn level(self) -> usize {
        match self {
            Marker::Chapter | Marker::First => 2,
            Marker::Section | Marker::Second => 3,
            Marker::Third => 4,
            Marker::Fourth => 5,
        }
    }
}

static MARKERS: LazyLock<Vec<(Marker, Regex)>> = LazyLock::new(|| {
    let n = "[一二三四五六七八九十百零〇]+";
    vec![
        (Marker::Chapter, format!(r"^第{n}章")),
        (Marker::Section, format!(r"^第{n}节")),
        (
            Marker::First,
            r"^[一二三四五六七八九十]{1,3}[、．.]".to_string(),
        ),
        (
            Marker::Second,
            r"^[（(][一二三四五六七八九十]{1,3}[）)]".to_string(),
        ),
        (
            Marker::Third,
            r"^[0-9０-９]{1,2}[.．、]([^0-9０-９]|$)".to_string(),
        ),
        (Marker::Fourth, r"^[（(][0-9０-９]{1,2}[）)]".to_string()),
    ]
    .into_iter()
    .map(|(m, r)| (m, Regex::new(&r).expect("static regex")))
    .collect()
});

/// The heading number the text starts with (leading spaces ignored).
pub fn marker(s: &str) -> Option<Marker> {
    let t = s.trim_start_matches(|c: char| c.is_whitespace());
    MARKERS.iter().find(|(_, r)| r.is_match(t)).map(|(m, _)| *m)
}

/// Longest text (in characters) still taken as a heading line; longer numbered paragraphs are
/// run-in headings (`1.加强研究。组建……`) and stay paragraphs.
pub const HEADING_MAX_CHARS: usize = 40;

/// The heading level of a paragraph's text, if it is a heading line: it starts with a heading
/// number, is short, and has no sentence end before its last character.
pub fn heading_level(s: &str) -> Option<usize> {
    let t = s.trim();
    let m = marker(t)?;
    let chars: Vec<char> = t.chars().collect();
    if chars.len() > HEADING_MAX_CHARS || t.contains('\n') {
        return None;
    }
    let inner = &chars[..chars.len().saturating_sub(1)];
    if inner
        .iter()
        .any(|c| matches!(c, '。' | '；' | '！' | '？' | ';'))
    {
        return None;
    }
    Some(m.level())
}

static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9０-９]{1,2}[.．、]").expect("static regex"));

/// A numbered line such as the second line of a 附件说明 (`2．2025年考试大纲`), even when the
/// text after the number starts with a digit (which a heading number does not).
pub fn is_list_item(s: &str) -> bool {
    LIST_ITEM.is_match(s.trim_start())
}

static CLASSIFIED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(绝密|机密|秘密)(★.*)?$").expect("static regex"));

/// A 密级 mark (`机密★1年`) on its own line at the top of a 公文.
pub fn is_classification(s: &str) -> bool {
    CLASSIFIED.is_match(&compact(s))
}

/// 份号 (six digits) or 紧急程度 (特急, 加急) lines at the top of a 公文.
pub fn is_copy_or_urgency(s: &str) -> bool {
    let t = ascii_digits(&compact(s));
    (t.len() == 6 && t.chars().all(|c| c.is_ascii_digit()))
        || matches!(t.as_str(), "特急" | "加急" | "特提" | "平急" | "急件")
}

/// Superscript (`up`) or subscript text as Unicode characters where they all exist (`m²`,
/// `CO₂`, `10⁻³`), so the meaning survives in plain text; else unchanged.
pub fn raised(text: &str, up: bool) -> String {
    const FROM: &str = "0123456789+-−=()n";
    const SUP: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ";
    const SUB: &str = "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₙ";
    let to = if up { SUP } else { SUB };
    let map = |c: char| {
        FROM.chars()
            .position(|f| f == c)
            .and_then(|i| to.chars().nth(i))
    };
    match text.chars().map(map).collect::<Option<String>>() {
        Some(mapped) if !text.is_empty() => mapped,
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn raised_and_lowered_text() {
        assert_eq!(raised("2", true), "²");
        assert_eq!(raised("-3", true), "⁻³");
        assert_eq!(raised("2", false), "₂");
        assert_eq!(raised("n+1", true), "ⁿ⁺¹");
        // Not every character has a raised form: left as written.
        assert_eq!(raised("th", true), "th");
        assert_eq!(raised("注1", true), "注1");
        assert_eq!(raised("", true), "");
    }

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn reads_dates_in_every_numeral_system() {
        assert_eq!(parse_date("2022年6月9日"), d(2022, 6, 9));
        assert_eq!(parse_date("２０２２年６月９日"), d(2022, 6, 9));
        assert_eq!(parse_date("二〇二二年六月九日"), d(2022, 6, 9));
        assert_eq!(parse_date("二○二二年十二月三十一日"), d(2022, 12, 31));
        assert_eq!(parse_date("二零一九年十月二十日"), d(2019, 10, 20));
        assert_eq!(parse_date("2022 年 6 月 19 日"), d(2022, 6, 19));
        assert_eq!(parse_date("　　2022年10月1日　"), d(2022, 10, 1));
    }

    #[test]
    fn rejects_what_is_not_exactly_a_date() {
        assert_eq!(parse_date("2022年6月31日"), None);
        assert_eq!(parse_date("于2022年6月9日印发"), None);
        assert_eq!(parse_date("二〇二二年十三月一日"), None);
        assert_eq!(parse_date("承德市人民政府"), None);
    }

    #[test]
    fn finds_a_date_inside_the_print_line() {
        let (date, before, after) =
            find_date("承德市人民政府办公室　　　　2022年6月10日印发").unwrap();
        assert_eq!(date, d(2022, 6, 10).unwrap());
        assert_eq!(before, "承德市人民政府办公室");
        assert_eq!(after, "印发");
    }

    #[test]
    fn finds_doc_numbers_in_their_written_forms() {
        assert_eq!(
            find_doc_no("承市政办字〔2022〕44号").as_deref(),
            Some("承市政办字〔2022〕44号")
        );
        assert_eq!(
            find_doc_no("冀科平规〔２０２４〕１号").as_deref(),
            Some("冀科平规〔2024〕1号")
        );
        assert_eq!(
            find_doc_no("承市政字[2022]5号　　　　签发人：张三").as_deref(),
            Some("承市政字[2022]5号")
        );
        assert_eq!(find_doc_no("现将有关事项通知如下"), None);
    }

    #[test]
    fn order_numbers_stand_alone() {
        assert_eq!(order_number("第711号").as_deref(), Some("第711号"));
        assert_eq!(
            order_number("〔2016〕第５号").as_deref(),
            Some("〔2016〕第5号")
        );
        assert_eq!(order_number("2026年第8号").as_deref(), Some("2026年第8号"));
        assert_eq!(order_number("依照第5号令"), None);
    }

    #[test]
    fn heading_lines_get_their_levels_and_run_in_paragraphs_do_not() {
        assert_eq!(heading_level("一、总体要求"), Some(2));
        assert_eq!(heading_level("（一）健全国家职业教育制度框架。"), Some(3));
        assert_eq!(heading_level("(二)提高质量"), Some(3));
        assert_eq!(heading_level("1.加强精神研究阐释"), Some(4));
        assert_eq!(heading_level("１．加强精神研究阐释"), Some(4));
        assert_eq!(heading_level("（1）产业规模"), Some(5));
        assert_eq!(heading_level("第一章　总则"), Some(2));
        assert_eq!(heading_level("第二节 监督"), Some(3));
        assert_eq!(
            heading_level("1.加强精神研究阐释。组建生态文明领域专家智库。"),
            None
        );
        assert_eq!(heading_level("1.5亿元用于建设"), None);
        assert_eq!(heading_level("第一条 为了规范"), None);
        assert_eq!(heading_level("各县（市、区）人民政府："), None);
    }

    #[test]
    fn top_marks_are_recognised() {
        assert!(is_classification("机密★1年"));
        assert!(is_classification("秘　密"));
        assert!(!is_classification("秘密文件的管理"));
        assert!(is_copy_or_urgency("000123"));
        assert!(is_copy_or_urgency("特 急"));
        assert!(!is_copy_or_urgency("2022"));
    }
}
