//! The build date: "today" in the site's timezone, never the machine's.
//!
//! Documents carry dates as the office writes them, in its own zone (China Standard Time for
//! every Chinese government site). A build on a server set to UTC, or to any other zone, must
//! publish the same documents and write the same files as one in Beijing, so the date is taken
//! from one instant (the system clock, or an injected one in tests) seen through the offset in
//! `gongkai.toml` (`timezone = "+08:00"` by default). `--today` overrides it for reproducible
//! builds. Fixed offsets only: China has no daylight saving time, and a fixed offset needs no
//! time-zone database on the server.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// The default timezone: China Standard Time (UTC+8), as written in `gongkai.toml`.
pub const DEFAULT_TIMEZONE: &str = "+08:00";

/// China Standard Time.
pub fn china_standard_time() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// Parses a timezone as written in `gongkai.toml`: `+08:00`, `+0800`, `+8`, `UTC+8`, `-05:30`,
/// `UTC` or `Z`. Offsets run from −12:00 to +14:00, the zones in civil use.
pub fn parse_timezone(s: &str) -> Result<FixedOffset, String> {
    let bad = || {
        format!(
            "时区 “{s}” 无法识别：应写成相对 UTC 的时差，例如 \"+08:00\"（北京时间）、\"-05:00\"，范围 -12:00 至 +14:00 (timezone must be a UTC offset such as \"+08:00\")"
        )
    };
    let t = s.trim();
    let t = t
        .strip_prefix("UTC")
        .or_else(|| t.strip_prefix("GMT"))
        .unwrap_or(t);
    if t.is_empty() || t == "Z" {
        return Ok(FixedOffset::east_opt(0).expect("zero is a valid offset"));
    }
    let (sign, rest) = match t.as_bytes()[0] {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let digits = |x: &str| !x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return Err(bad());
    }
    let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    let secs = sign * (h * 3600 + m * 60);
    if m >= 60 || !(-12 * 3600..=14 * 3600).contains(&secs) {
        return Err(bad());
    }
    FixedOffset::east_opt(secs).ok_or_else(bad)
}

/// The date at `now` (default: the system clock) in `zone`.
pub fn today(zone: FixedOffset, now: Option<DateTime<Utc>>) -> NaiveDate {
    now.unwrap_or_else(Utc::now)
        .with_timezone(&zone)
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_spellings() {
        for (s, secs) in [
            ("+08:00", 8 * 3600),
            ("+0800", 8 * 3600),
            ("+8", 8 * 3600),
            ("UTC+8", 8 * 3600),
            ("-05:30", -(5 * 3600 + 1800)),
            ("+14:00", 14 * 3600),
            ("-12:00", -12 * 3600),
            ("UTC", 0),
            ("Z", 0),
        ] {
            assert_eq!(parse_timezone(s).unwrap().local_minus_utc(), secs, "{s}");
        }
    }

    #[test]
    fn rejects_names_and_impossible_offsets_in_chinese_first() {
        for s in [
            "Asia/Shanghai",
            "+15:00",
            "-13",
            "+08:60",
            "8",
            "+08:00:00",
            "+",
            "北京",
        ] {
            let e = parse_timezone(s).unwrap_err();
            assert!(e.starts_with("时区"), "{s}: {e}");
            assert!(e.contains("+08:00"), "{s}: {e}");
        }
    }

    #[test]
    fn the_date_follows_the_zone_not_the_machine() {
        // 20:00 UTC on the 25th is already the 26th in Beijing.
        let now = "2026-11-25T20:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            today(china_standard_time(), Some(now)),
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
        );
        assert_eq!(
            today(parse_timezone("-05:00").unwrap(), Some(now)),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
    }
}
