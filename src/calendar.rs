//! Working-day calendar (工作日历) for the time limits of the review rules.
//!
//! Two rules count **working days** (工作日), not calendar days:
//!
//! * P05: 《政府信息公开条例》第二十六条 — a document must be published within 20 working days
//!   of being made (`published − written ≤ 20` working days);
//! * P12: a 政策解读 is published at most 3 working days after the policy it interprets.
//!
//! A working day in China is not simply Monday–Friday: the State Council's yearly holiday
//! notice (国务院办公厅关于某年部分节假日安排的通知) turns some weekdays into holidays
//! (放假) and some weekend days into working days (调休上班, e.g. Sunday 2024-02-04).
//! [`WorkCalendar`] takes those facts from the `chinese_holiday` crate, which holds every
//! notice from 2004 to 2026, and lets the site configuration add or correct days
//! ([`WorkCalendar::with_overrides`]) for a year the crate does not know yet.
//!
//! Outside the known range the calendar falls back to "Monday–Friday are working days".
//! It never panics: the crate itself asserts on dates outside 2004-01-01..=2026-12-25, so
//! this module only asks it about dates inside that range. Callers that must not give an
//! approximate answer silently ask [`WorkCalendar::knows_year`] or
//! [`WorkCalendar::unknown_years`] and say so in their diagnostic.
//!
//! This module does no I/O and knows nothing of documents or diagnostics.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// Whether a day is a working day (工作日) or a day off (休息日/节假日).
///
/// This is the value of a configuration override; in `gongkai.toml`:
///
/// ```toml
/// [calendar.overrides]
/// "2027-01-01" = "holiday"   # 元旦放假
/// "2027-02-07" = "workday"   # 春节调休上班 (a Sunday)
/// ```
///
/// The Chinese words `工作日`/`上班`/`补班` and `休息日`/`节假日`/`放假` are accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DayKind {
    /// 工作日: a normal weekday, or a weekend day made a working day (调休上班).
    #[serde(alias = "工作日", alias = "上班", alias = "补班")]
    Workday,
    /// 休息日 or 法定节假日: a weekend day, or a weekday given as holiday (放假).
    #[serde(alias = "休息日", alias = "节假日", alias = "放假")]
    Holiday,
}

/// First day the `chinese_holiday` crate answers for (its own assertion).
const CRATE_FIRST: (i32, u32, u32) = (2004, 1, 1);
/// Last day the `chinese_holiday` crate answers for (its own assertion: the next
/// year's 元旦 arrangement can move the last days of December).
const CRATE_LAST: (i32, u32, u32) = (2026, 12, 25);

/// The working-day calendar: the State Council holiday notices (from `chinese_holiday`),
/// then the site's overrides, then "Monday–Friday" for everything else.
///
/// Invariant: `exceptions` holds exactly the days whose kind differs from the
/// Monday–Friday rule, so counting is arithmetic plus one ordered-map range walk.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    /// Days that differ from the Monday–Friday rule: `true` = working day.
    exceptions: BTreeMap<NaiveDate, bool>,
    /// The configured overrides, kept to answer [`WorkCalendar::knows_year`].
    overrides: BTreeMap<NaiveDate, DayKind>,
    /// Number of exceptions that are days off (bounds the search in `add_working_days`).
    holiday_exceptions: u64,
}

impl Default for WorkCalendar {
    fn default() -> Self {
        Self::with_overrides(BTreeMap::new())
    }
}

impl WorkCalendar {
    /// The calendar of the State Council notices known to `chinese_holiday`, no overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// The calendar with the site's overrides applied on top of the crate's data.
    ///
    /// An override wins over the crate, so a wrong or missing day can be corrected in
    /// configuration without waiting for a new crate release.
    pub fn with_overrides(overrides: BTreeMap<NaiveDate, DayKind>) -> Self {
        let mut exceptions = BTreeMap::new();
        if let (Some(first), Some(last)) = (crate_first(), crate_last()) {
            for d in first.iter_days().take_while(|d| *d <= last) {
                let work = crate_is_workday(d).unwrap_or_else(|| is_weekday(d));
                if work != is_weekday(d) {
                    exceptions.insert(d, work);
                }
            }
        }
        for (&d, &kind) in &overrides {
            let work = kind == DayKind::Workday;
            if work == is_weekday(d) {
                exceptions.remove(&d);
            } else {
                exceptions.insert(d, work);
            }
        }
        let holiday_exceptions = exceptions.values().filter(|w| !**w).count() as u64;
        WorkCalendar {
            exceptions,
            overrides,
            holiday_exceptions,
        }
    }

    /// Whether the calendar has the holiday arrangement of year `year`: the crate covers
    /// 2004–2026, and any year with at least one configured override counts as known
    /// (the site has entered that year's notice).
    ///
    /// For 2026 the crate stops at 12-25; 12-26..=12-31 follow the Monday–Friday rule
    /// unless overridden (they depend on the 2027 元旦 arrangement).
    pub fn knows_year(&self, year: i32) -> bool {
        (CRATE_FIRST.0..=CRATE_LAST.0).contains(&year) || self.has_override_in(year)
    }

    /// The years between `a` and `b` (inclusive, either order) that the calendar does not
    /// know, in ascending order. A count over such a year is approximate (Monday–Friday).
    pub fn unknown_years(&self, a: NaiveDate, b: NaiveDate) -> Vec<i32> {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        (lo.year()..=hi.year())
            .filter(|y| !self.knows_year(*y))
            .collect()
    }

    /// Whether `d` is a working day (工作日), 调休 included.
    pub fn is_workday(&self, d: NaiveDate) -> bool {
        self.exceptions
            .get(&d)
            .copied()
            .unwrap_or_else(|| is_weekday(d))
    }

    /// The number of working days `d` with `a < d ≤ b`: the day a document was made does
    /// not count, the day it was published does. So a document written on a Friday and
    /// published on the next Monday took 1 working day; written and published on the
    /// same day took 0.
    ///
    /// The count is antisymmetric: when `b < a` the result is minus the count from `b`
    /// to `a` (a negative gap means the dates are in the wrong order, which P04 reports).
    ///
    /// P05 (第二十六条) passes when `working_days_between(written, published) <= 20`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return -self.working_days_between(b, a);
        }
        if a == b {
            return 0;
        }
        let mut count = weekday_prefix(b) - weekday_prefix(a);
        // Range (a, b]: excluded start, included end.
        for (d, &work) in self.exceptions.range(a..=b) {
            if *d == a {
                continue;
            }
            // The exception flips the Monday–Friday answer for that day.
            count += if work { 1 } else { -1 };
        }
        count
    }

    /// The day on which `n` working days after `d` are complete: the smallest date `t`
    /// with `working_days_between(d, t) == n`. For `n == 0` that is `d` itself.
    ///
    /// P12 uses it for the last allowed day of a 解读: `add_working_days(policy, 3)`.
    /// Returns `None` only when the answer lies beyond the last date `chrono` can hold.
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n == 0 {
            return Some(d);
        }
        let n = i64::from(n);
        // Any 7 consecutive days hold 5 Monday–Friday days, and each day-off exception
        // removes at most one, so the answer is within 7·⌈(n+H)/5⌉ ≤ 2(n+H)+7 days.
        let span = 2 * (n + self.holiday_exceptions as i64) + 7;
        let mut hi = d
            .checked_add_days(chrono::Days::new(span as u64))
            .unwrap_or(NaiveDate::MAX);
        if self.working_days_between(d, hi) < n {
            return None;
        }
        let mut lo = d; // count(lo) < n ≤ count(hi)
        while lo.succ_opt() != Some(hi) {
            let gap = hi.signed_duration_since(lo).num_days();
            let mid = lo.checked_add_days(chrono::Days::new((gap / 2) as u64))?;
            if self.working_days_between(d, mid) >= n {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(hi)
    }

    fn has_override_in(&self, year: i32) -> bool {
        match (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) {
            (Some(first), Some(last)) => self.overrides.range(first..=last).next().is_some(),
            _ => false,
        }
    }
}

fn crate_first() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(CRATE_FIRST.0, CRATE_FIRST.1, CRATE_FIRST.2)
}

fn crate_last() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(CRATE_LAST.0, CRATE_LAST.1, CRATE_LAST.2)
}

/// The crate's answer, or `None` outside the range it accepts (where it would panic).
fn crate_is_workday(d: NaiveDate) -> Option<bool> {
    let (first, last) = (crate_first()?, crate_last()?);
    if d < first || d > last {
        return None;
    }
    let ymd = (
        u16::try_from(d.year()).ok()?,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    );
    Some(chinese_holiday::chinese_holiday(ymd).is_workday())
}

/// Monday–Friday.
fn is_weekday(d: NaiveDate) -> bool {
    d.weekday().num_days_from_monday() < 5
}

/// The number of Monday–Friday days from a fixed origin up to and including `d`.
///
/// Day 1 of the common era (0001-01-01, proleptic Gregorian) is a Monday, so day `k` is a
/// weekday exactly when `k mod 7 ∈ 1..=5`. Euclidean division keeps this right for days
/// before the era as well, and the difference of two prefixes counts a half-open range.
fn weekday_prefix(d: NaiveDate) -> i64 {
    let k = i64::from(d.num_days_from_ce());
    5 * k.div_euclid(7) + k.rem_euclid(7).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test dates are valid")
    }

    /// Day-by-day reference count of (a, b], used to check the arithmetic version.
    fn brute(cal: &WorkCalendar, a: NaiveDate, b: NaiveDate) -> i64 {
        a.iter_days()
            .skip(1)
            .take_while(|d| *d <= b)
            .filter(|d| cal.is_workday(*d))
            .count() as i64
    }

    #[test]
    fn accepts_tiaoxiu_sundays_as_workdays() {
        let cal = WorkCalendar::new();
        // 2024 春节: 2月4日（星期日）上班, 2月18日（星期日）上班.
        assert!(cal.is_workday(day(2024, 2, 4)));
        assert!(cal.is_workday(day(2024, 2, 18)));
        // 2024 国庆: 9月29日（星期日）、10月12日（星期六）上班.
        assert!(cal.is_workday(day(2024, 9, 29)));
        assert!(cal.is_workday(day(2024, 10, 12)));
        // 2025 春节: 1月26日（星期日）、2月8日（星期六）上班.
        assert!(cal.is_workday(day(2025, 1, 26)));
        assert!(cal.is_workday(day(2025, 2, 8)));
        // 2026 元旦: 1月4日（星期日）上班.
        assert!(cal.is_workday(day(2026, 1, 4)));
    }

    #[test]
    fn rejects_statutory_holidays_as_workdays() {
        let cal = WorkCalendar::new();
        for d in 1..=7 {
            assert!(!cal.is_workday(day(2024, 10, d)), "2024-10-0{d} 国庆放假");
        }
        for d in 10..=17 {
            assert!(!cal.is_workday(day(2024, 2, d)), "2024-02-{d} 春节放假");
        }
        // 2025 国庆中秋 10月1日至8日.
        assert!(!cal.is_workday(day(2025, 10, 8)));
        // 2020 春节 extended for COVID-19 to 2月2日 (国办发明电〔2020〕1号): 2月1日 is no
        // longer the originally planned 调休 working day.
        assert!(!cal.is_workday(day(2020, 1, 31)));
        assert!(!cal.is_workday(day(2020, 2, 1)));
        assert!(cal.is_workday(day(2020, 2, 3)));
        // Plain weekend and weekday.
        assert!(!cal.is_workday(day(2024, 3, 9)));
        assert!(cal.is_workday(day(2024, 3, 11)));
    }

    #[test]
    fn accepts_counts_across_national_day() {
        let cal = WorkCalendar::new();
        // Written Fri 2024-09-27; working days after it: 9-29 (Sun, 调休), 9-30,
        // then 10-08, 10-09, 10-10, 10-11, 10-12 (Sat, 调休).
        assert_eq!(
            cal.working_days_between(day(2024, 9, 27), day(2024, 9, 30)),
            2
        );
        assert_eq!(
            cal.working_days_between(day(2024, 9, 27), day(2024, 10, 7)),
            2
        );
        assert_eq!(
            cal.working_days_between(day(2024, 9, 27), day(2024, 10, 12)),
            7
        );
        assert_eq!(
            cal.add_working_days(day(2024, 9, 27), 3),
            Some(day(2024, 10, 8))
        );
        assert_eq!(
            cal.add_working_days(day(2024, 9, 30), 1),
            Some(day(2024, 10, 8))
        );
    }

    #[test]
    fn accepts_same_day_and_next_day_counts() {
        let cal = WorkCalendar::new();
        assert_eq!(
            cal.working_days_between(day(2024, 3, 8), day(2024, 3, 8)),
            0
        );
        // Friday → Monday: one working day.
        assert_eq!(
            cal.working_days_between(day(2024, 3, 8), day(2024, 3, 11)),
            1
        );
        assert_eq!(
            cal.add_working_days(day(2024, 3, 8), 0),
            Some(day(2024, 3, 8))
        );
        assert_eq!(
            cal.add_working_days(day(2024, 3, 8), 1),
            Some(day(2024, 3, 11))
        );
    }

    #[test]
    fn accepts_p05_twenty_working_days_over_spring_festival() {
        let cal = WorkCalendar::new();
        // Written Thu 2024-02-01. Working days after it: 2-02, 2-04 (Sun, 上班),
        // 2-05..=2-09, [2-10..=2-17 放假], 2-18 (Sun, 上班), 2-19..=2-23, 2-26..=3-01,
        // 3-04, 3-05: the 20th is 2024-03-05.
        let last = cal
            .add_working_days(day(2024, 2, 1), 20)
            .expect("within range");
        assert_eq!(last, day(2024, 3, 5));
        assert_eq!(cal.working_days_between(day(2024, 2, 1), last), 20);
        assert_eq!(brute(&cal, day(2024, 2, 1), last), 20);
        // Published 2024-03-06 is one working day late.
        assert_eq!(
            cal.working_days_between(day(2024, 2, 1), day(2024, 3, 6)),
            21
        );
    }

    #[test]
    fn accepts_arithmetic_matching_day_by_day_count() {
        let cal = WorkCalendar::new();
        let starts = [
            day(2003, 12, 20),
            day(2019, 12, 30),
            day(2024, 1, 1),
            day(2026, 12, 20),
        ];
        for a in starts {
            for len in [0_u64, 1, 2, 6, 7, 8, 30, 400] {
                let b = a + chrono::Days::new(len);
                assert_eq!(
                    cal.working_days_between(a, b),
                    brute(&cal, a, b),
                    "{a}..{b}"
                );
                assert_eq!(cal.working_days_between(b, a), -brute(&cal, a, b));
            }
        }
    }

    #[test]
    fn accepts_add_as_inverse_of_count() {
        let cal = WorkCalendar::new();
        for a in [
            day(2024, 2, 1),
            day(2024, 9, 27),
            day(1999, 5, 1),
            day(2030, 1, 1),
        ] {
            for n in [1_u32, 3, 20, 250] {
                let t = cal.add_working_days(a, n).expect("within range");
                assert_eq!(cal.working_days_between(a, t), i64::from(n));
                // Minimal: the day before does not complete n working days.
                let before = t.pred_opt().expect("valid");
                assert!(cal.working_days_between(a, before) < i64::from(n));
                assert!(cal.is_workday(t));
            }
        }
    }

    #[test]
    fn accepts_overrides_for_unknown_year() {
        let cal = WorkCalendar::new();
        assert!(cal.knows_year(2004));
        assert!(cal.knows_year(2026));
        assert!(!cal.knows_year(2027));
        assert!(!cal.knows_year(2003));
        // Without data, 2027-01-01 (a Friday) is a working day by the weekday rule.
        assert!(cal.is_workday(day(2027, 1, 1)));
        assert_eq!(
            cal.unknown_years(day(2025, 12, 1), day(2027, 2, 1)),
            vec![2027]
        );

        let mut o = BTreeMap::new();
        o.insert(day(2027, 1, 1), DayKind::Holiday);
        o.insert(day(2027, 1, 3), DayKind::Workday); // a Sunday made a working day
        let cal = WorkCalendar::with_overrides(o);
        assert!(cal.knows_year(2027));
        assert!(!cal.is_workday(day(2027, 1, 1)));
        assert!(cal.is_workday(day(2027, 1, 3)));
        assert_eq!(
            cal.working_days_between(day(2026, 12, 31), day(2027, 1, 4)),
            2
        );
        assert!(cal
            .unknown_years(day(2025, 12, 1), day(2027, 2, 1))
            .is_empty());
    }

    #[test]
    fn accepts_override_correcting_crate_day() {
        let mut o = BTreeMap::new();
        o.insert(day(2024, 10, 1), DayKind::Workday);
        o.insert(day(2024, 2, 4), DayKind::Holiday);
        // An override equal to the weekday rule removes the crate's exception.
        let cal = WorkCalendar::with_overrides(o);
        assert!(cal.is_workday(day(2024, 10, 1)));
        assert!(!cal.is_workday(day(2024, 2, 4)));
    }

    #[test]
    fn accepts_overrides_from_toml() {
        #[derive(Deserialize)]
        struct Cfg {
            overrides: BTreeMap<NaiveDate, DayKind>,
        }
        let cfg: Cfg = toml::from_str(
            "[overrides]\n\"2027-01-01\" = \"holiday\"\n\"2027-02-07\" = \"上班\"\n\"2027-02-08\" = \"放假\"\n",
        )
        .expect("valid toml");
        assert_eq!(cfg.overrides.get(&day(2027, 2, 7)), Some(&DayKind::Workday));
        assert_eq!(cfg.overrides.get(&day(2027, 2, 8)), Some(&DayKind::Holiday));
        let bad: Result<Cfg, _> = toml::from_str("[overrides]\n\"2027-01-01\" = \"maybe\"\n");
        assert!(bad.is_err());
    }

    #[test]
    fn rejects_nothing_at_calendar_extremes() {
        let cal = WorkCalendar::new();
        // No panic at the ends of chrono's range or around the crate's edges.
        for d in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            day(2003, 12, 31),
            day(2026, 12, 25),
            day(2026, 12, 26),
        ] {
            let _ = cal.is_workday(d);
        }
        let _ = cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
        assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), None);
        assert!(cal.add_working_days(NaiveDate::MIN, 1).is_some());
        // More working days than chrono's calendar holds.
        assert_eq!(cal.add_working_days(day(2024, 1, 1), u32::MAX), None);
    }

    #[test]
    fn accepts_weekday_prefix_against_brute_force() {
        let mut a = day(-3, 1, 1);
        let end = day(3, 1, 1);
        let mut expected = 0_i64;
        let base = weekday_prefix(a);
        while a < end {
            a = a.succ_opt().expect("valid");
            if is_weekday(a) {
                expected += 1;
            }
            assert_eq!(weekday_prefix(a) - base, expected, "{a}");
        }
    }
}
