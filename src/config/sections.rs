//! The settings types of `gongkai.toml`'s smaller sections: `[footer]`, `[review]`,
//! `[workbench]`, `[validity]`, and the organisation's level.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Footer identifiers (SPEC §5.1). All are required in production mode (P21).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// 网站主办单位.
    #[serde(default)]
    pub host: String,
    /// 承办单位 (optional).
    #[serde(default)]
    pub organizer: String,
    /// 地址.
    #[serde(default)]
    pub address: String,
    /// 联系电话.
    #[serde(default)]
    pub phone: String,
    /// 电子邮箱 (optional).
    #[serde(default)]
    pub email: String,
    /// 政府网站标识码.
    #[serde(default)]
    pub site_id_code: String,
    /// ICP备案编号, e.g. `冀ICP备05000000号`.
    #[serde(default)]
    pub icp: String,
    /// 公安机关备案号, e.g. `冀公网安备 13080202000123号`.
    #[serde(default)]
    pub police: String,
    /// Site domain for the `SiteDomain` meta tag; defaults to the host of `base_url`.
    #[serde(default)]
    pub site_domain: String,
    /// 网站声明 text (Markdown) for the `wzsm/` page; empty: the theme's standard 版权声明 and
    /// 隐私声明. The page's 无障碍说明 section is always the theme's.
    #[serde(default)]
    pub statement: String,
}

/// Settings of the automatic review (SPEC §6).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Numbers that may appear in bodies (published service numbers), exempt from P15.
    #[serde(default)]
    pub allow_numbers: Vec<String>,
    /// Extra holidays (`"2027-10-01" = "holiday"`) or 调休 workdays (`= "workday"`) for years
    /// the built-in calendar does not know yet.
    #[serde(default)]
    pub calendar: BTreeMap<String, crate::calendar::DayKind>,
    /// P13: 规章 and 行政规范性文件 written before this date need no 政策解读 (解读 were not
    /// required then). Default 2013-01-01; see [`Review::interpretation_since`].
    #[serde(default)]
    pub interpretation_since: Option<chrono::NaiveDate>,
    /// P17: 文种 whose texts prescribe forms and wording (`XX` there is a format, not a
    /// leftover). Default 行政法规 and 规章; see [`Review::placeholder_exempt_kinds`].
    #[serde(default)]
    pub placeholder_exempt_kinds: Option<Vec<String>>,
}

impl Review {
    /// The P13 cut-off date in force.
    pub fn interpretation_since(&self) -> chrono::NaiveDate {
        self.interpretation_since
            .unwrap_or(chrono::NaiveDate::from_ymd_opt(2013, 1, 1).expect("a valid date"))
    }
    /// The 文种 exempt from the P17 placeholder scan.
    pub fn placeholder_exempt_kinds(&self) -> Vec<&str> {
        match &self.placeholder_exempt_kinds {
            Some(k) => k.iter().map(String::as_str).collect(),
            None => vec!["行政法规", "规章"],
        }
    }
}

/// `[workbench]`: the editors' workbench of `gongkai serve` (`/_gongkai/`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkbenchSettings {
    /// Largest file an editor may upload there (an attachment, a Word file), in MB.
    #[serde(default = "default_upload_mb")]
    pub max_upload_mb: u64,
}

impl Default for WorkbenchSettings {
    fn default() -> Self {
        WorkbenchSettings {
            max_upload_mb: default_upload_mb(),
        }
    }
}

fn default_upload_mb() -> u64 {
    100
}

/// Validity periods (SPEC §3.6; Hebei rules are the default, [R] elsewhere).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValiditySettings {
    /// Default and maximum 有效期 of a 行政规范性文件, in years.
    #[serde(default = "five")]
    pub normative_years: u32,
    /// Default and maximum 有效期 when the title contains 暂行 or 试行.
    #[serde(default = "two")]
    pub provisional_years: u32,
}

impl Default for ValiditySettings {
    fn default() -> Self {
        ValiditySettings {
            normative_years: 5,
            provisional_years: 2,
        }
    }
}

fn five() -> u32 {
    5
}
fn two() -> u32 {
    2
}

/// Whether the publishing body is a government or a department (条例 第四十九条 deadlines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgLevel {
    /// 县级以上地方人民政府 (report due 31 March).
    Government,
    /// 政府部门 (report due 31 January).
    Department,
}
