//! 公开时限: the time limit column of a 标准目录 row, parsed into a rule where it has one of the
//! standard forms, kept as text otherwise.
//!
//! The forms found in county 标准目录 (国办发〔2019〕54号 and the 26 领域 guidelines):
//! "信息形成或变更之日起20个工作日内", "自批准之日起7个工作日内", "3个工作日内", "实时公开",
//! "即时", "每年3月底前", "每年6月30日前", "长期公开", "常态化公开". Anything else ("按有关规定",
//! "项目实施期间") is a [`Deadline::Text`]: shown as written, never checked.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::calendar::WorkCalendar;

/// A parsed 公开时限.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Deadline {
    /// Within `days` working days (工作日) of the information being formed or changed.
    WorkingDays {
        /// Working days allowed.
        days: u32,
    },
    /// Within `days` calendar days (日/天).
    Days {
        /// Calendar days allowed.
        days: u32,
    },
    /// 实时 / 即时: at once. Checked as the same or the next working day.
    Realtime,
    /// Every year by the given day (每年X月底前, 每年X月Y日前).
    Yearly {
        /// Month (1–12).
        month: u32,
        /// Day of the month; `None` for the month's end (底/末).
        day: Option<u32>,
    },
    /// 长期公开 / 常态化公开: kept public; no time limit to check.
    Permanent,
    /// Any other wording, kept as written.
    Text,
}

impl Deadline {
    /// Parses the column's text (full-width digits and spaces tolerated).
    pub fn parse(text: &str) -> Deadline {
        let t: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                c => c,
            })
            .collect();
        if let Some(d) = yearly(&t) {
            return d;
        }
        if let Some(n) = number_before(&t, "个工作日") {
            return Deadline::WorkingDays { days: n };
        }
        if let Some(n) = number_before(&t, "工作日") {
            return Deadline::WorkingDays { days: n };
        }
        for unit in ["日内", "天内", "日以内", "天以内"] {
            if let Some(n) = number_before(&t, unit) {
                return Deadline::Days { days: n };
            }
        }
        if t.contains("实时") || t.contains("即时") {
            return Deadline::Realtime;
        }
        if t.contains("长期") || t.contains("常态化") {
            return Deadline::Permanent;
        }
        Deadline::Text
    }

    /// True when the rule can be checked against a document's dates.
    pub fn is_checkable(&self) -> bool {
        !matches!(self, Deadline::Permanent | Deadline::Text)
    }

    /// The last day a document formed (成文) on `formed` may be published, or `None` when the
    /// rule sets no such day.
    pub fn last_day(&self, formed: NaiveDate, calendar: &WorkCalendar) -> Option<NaiveDate> {
        match *self {
            Deadline::WorkingDays { days } => calendar.add_working_days(formed, days),
            Deadline::Realtime => calendar.add_working_days(formed, 1),
            Deadline::Days { days } => formed.checked_add_days(chrono::Days::new(days.into())),
            // The first such day on or after the day the information was formed: a 决算
            // approved in December is due by the next year's date, not already late.
            Deadline::Yearly { month, day } => {
                let this = yearly_date(formed.year(), month, day)?;
                if this >= formed {
                    Some(this)
                } else {
                    yearly_date(formed.year() + 1, month, day)
                }
            }
            Deadline::Permanent | Deadline::Text => None,
        }
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deadline::WorkingDays { days } => write!(f, "{days} 个工作日内"),
            Deadline::Days { days } => write!(f, "{days} 日内"),
            Deadline::Realtime => f.write_str("实时（次一个工作日内）"),
            Deadline::Yearly { month, day: None } => write!(f, "每年 {month} 月底前"),
            Deadline::Yearly {
                month,
                day: Some(d),
            } => write!(f, "每年 {month} 月 {d} 日前"),
            Deadline::Permanent => f.write_str("长期公开"),
            Deadline::Text => f.write_str("（未能识别为固定时限）"),
        }
    }
}

fn yearly_date(year: i32, month: u32, day: Option<u32>) -> Option<NaiveDate> {
    match day {
        Some(d) => NaiveDate::from_ymd_opt(year, month, d),
        None => {
            let (y, m) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
        }
    }
}

/// `每年3月底前`, `每年三月末前`, `每年6月30日前`, `每年一季度`-style wording is left as text.
fn yearly(t: &str) -> Option<Deadline> {
    let rest = &t[t.find("每年")? + "每年".len()..];
    let (month_text, after) = rest.split_once('月')?;
    let month = small_number(month_text).filter(|m| (1..=12).contains(m))?;
    if after.starts_with('底') || after.starts_with('末') {
        return Some(Deadline::Yearly { month, day: None });
    }
    let (day_text, _) = after.split_once(['日', '号'])?;
    let day = small_number(day_text)?;
    NaiveDate::from_ymd_opt(2024, month, day)?;
    Some(Deadline::Yearly {
        month,
        day: Some(day),
    })
}

/// The number written just before `unit` (Arabic or Chinese numerals).
fn number_before(t: &str, unit: &str) -> Option<u32> {
    let at = t.find(unit)?;
    let head = &t[..at];
    let digits: String = head
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || "零一二两三四五六七八九十百".contains(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    small_number(&digits).filter(|n| *n > 0)
}

/// `20`, `二十`, `十五`, `三` → the number (up to 999).
fn small_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().filter(|n| *n < 1000);
    }
    let digit = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let mut total = 0;
    let mut current = 0;
    for c in s.chars() {
        match c {
            '两' => current = 2,
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            c => current = digit(c)?,
        }
    }
    Some(total + current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_the_standard_forms() {
        use Deadline::*;
        for (text, want) in [
            ("信息形成或变更之日起20个工作日内", WorkingDays { days: 20 }),
            (
                "自信息形成或者变更之日起２０个工作日内",
                WorkingDays { days: 20 },
            ),
            ("3个工作日内", WorkingDays { days: 3 }),
            ("自批准之日起七个工作日内", WorkingDays { days: 7 }),
            ("收到申请之日起十五日内", Days { days: 15 }),
            ("实时", Realtime),
            ("即时公开", Realtime),
            (
                "每年3月底前",
                Yearly {
                    month: 3,
                    day: None,
                },
            ),
            (
                "每年十二月底前",
                Yearly {
                    month: 12,
                    day: None,
                },
            ),
            (
                "每年6月30日前",
                Yearly {
                    month: 6,
                    day: Some(30),
                },
            ),
            ("长期公开", Permanent),
            ("常态化公开", Permanent),
            ("按有关规定时限公开", Text),
            ("每年2月30日前", Text),
            ("", Text),
        ] {
            assert_eq!(Deadline::parse(text), want, "{text}");
        }
    }

    #[test]
    fn twenty_working_days_skip_the_national_day_week() {
        let cal = WorkCalendar::new();
        // 2024: 国庆 1–7 October off, 29 September (Sunday) and 12 October (Saturday) worked.
        let last = Deadline::WorkingDays { days: 20 }
            .last_day(d("2024-09-20"), &cal)
            .unwrap();
        assert_eq!(last, d("2024-10-23"));
    }

    #[test]
    fn yearly_rolls_to_next_year_after_the_day() {
        let cal = WorkCalendar::new();
        let r = Deadline::Yearly {
            month: 3,
            day: None,
        };
        assert_eq!(r.last_day(d("2024-02-01"), &cal), Some(d("2024-03-31")));
        assert_eq!(r.last_day(d("2024-12-20"), &cal), Some(d("2025-03-31")));
        let feb = Deadline::Yearly {
            month: 2,
            day: None,
        };
        assert_eq!(feb.last_day(d("2024-01-10"), &cal), Some(d("2024-02-29")));
        assert_eq!(Deadline::Permanent.last_day(d("2024-01-10"), &cal), None);
    }
}
