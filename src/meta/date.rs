//! Dates as editors write them: `YYYY-MM-DD`, and for 发布日期 optionally `YYYY-MM-DD HH:MM`.
//!
//! Other spellings (`2022/6/9`, `2022年6月9日`, `2022-6-9`) are rejected with the exact
//! rewrite in the message, because a date silently misread would misplace a document in the
//! annual report.

use chrono::{NaiveDate, NaiveTime};

/// A 发布日期: a date and an optional time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PubDate {
    /// The day.
    pub date: NaiveDate,
    /// `HH:MM`, when given (SPEC §5.1 `PubDate` meta tag wants it).
    pub time: Option<NaiveTime>,
}

/// Parses `YYYY-MM-DD`; on failure says what was expected and, when it can, the fix.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    if let Some(d) = strict(t) {
        return Ok(d);
    }
    Err(match loose(t) {
        Some(d) if d.format("%Y-%m-%d").to_string() != t => format!(
            "“{t}” 不是 YYYY-MM-DD 格式的日期；应写作 \"{}\"",
            d.format("%Y-%m-%d")
        ),
        _ => format!(
            "“{t}” 不是有效日期；应为 YYYY-MM-DD，例如 \"2022-06-09\"（月份 01–12，日期须存在）"
        ),
    })
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`.
pub fn parse_pub_date(s: &str) -> Result<PubDate, String> {
    let t = s.trim();
    if let Some((d, tm)) = t.split_once([' ', 'T']) {
        let date = parse_date(d)?;
        let time = NaiveTime::parse_from_str(tm.trim(), "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(tm.trim(), "%H:%M:%S"))
            .map_err(|_| format!("“{t}” 的时间部分应为 HH:MM，例如 \"2022-06-10 16:54\""))?;
        return Ok(PubDate {
            date,
            time: Some(time),
        });
    }
    Ok(PubDate {
        date: parse_date(t)?,
        time: None,
    })
}

fn strict(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    // Digits only around the dashes: chrono alone would also take `2022- 6- 9` or `+202-01-01`.
    let digits = b
        .iter()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits {
        return None;
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// Reads the common wrong spellings so the error can propose the right one.
fn loose(t: &str) -> Option<NaiveDate> {
    let norm: String = t
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            '日' => ' ',
            c => c,
        })
        .collect();
    let parts: Vec<&str> = norm.trim().split('-').collect();
    if parts.len() != 3 {
        return None;
    }
    let y: i32 = parts[0].trim().parse().ok()?;
    let m: u32 = parts[1].trim().parse().ok()?;
    let d: u32 = parts[2].trim().parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `d` plus `years`, clamped to the last day of February when needed.
pub fn add_years(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(years * 12))
        .unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_iso_dates() {
        assert_eq!(
            parse_date("2022-06-09").unwrap(),
            NaiveDate::from_ymd_opt(2022, 6, 9).unwrap()
        );
    }

    #[test]
    fn rejects_slashes_with_the_rewrite() {
        let e = parse_date("2022/6/9").unwrap_err();
        assert!(e.contains("\"2022-06-09\""), "{e}");
    }

    #[test]
    fn rejects_blank_padded_and_signed_dates() {
        // Found by the property test: chrono reads both, but they are not YYYY-MM-DD.
        let e = parse_date("1900- 1- 1").unwrap_err();
        assert!(e.contains("\"1900-01-01\""), "{e}");
        assert!(parse_date("+202-01-01").is_err());
    }

    #[test]
    fn rejects_month_13() {
        let e = parse_date("2022-13-01").unwrap_err();
        assert!(e.contains("不是有效日期"), "{e}");
    }

    #[test]
    fn accepts_time_of_day() {
        let p = parse_pub_date("2022-06-10 16:54").unwrap();
        assert_eq!(p.time.unwrap().format("%H:%M").to_string(), "16:54");
        assert!(parse_pub_date("2022-06-10 25:00").is_err());
    }
}
