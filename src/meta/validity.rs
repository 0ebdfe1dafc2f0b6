//! 有效性 (SPEC §3.6): as stored, and as computed at the build date.

use std::fmt;
use std::str::FromStr;

/// 有效性 of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Validity {
    /// 有效: in force.
    InForce,
    /// 失效: expired (有效期届满, or superseded).
    Expired,
    /// 废止: expressly repealed.
    Repealed,
    /// 已修改: amended; the text shown is not the current one.
    Amended,
    /// 尚未生效: published, but `effective` is after the build date. Computed, never stored.
    NotYetEffective,
}

impl Validity {
    /// All values, in display order.
    pub const ALL: [Validity; 5] = [
        Validity::InForce,
        Validity::NotYetEffective,
        Validity::Amended,
        Validity::Expired,
        Validity::Repealed,
    ];

    /// True for 失效 and 废止: the document no longer binds anyone.
    pub fn is_ended(self) -> bool {
        matches!(self, Validity::Expired | Validity::Repealed)
    }
}

impl FromStr for Validity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "有效" | "现行有效" => Ok(Validity::InForce),
            "失效" => Ok(Validity::Expired),
            "废止" => Ok(Validity::Repealed),
            "已修改" | "已修正" => Ok(Validity::Amended),
            "尚未生效" => Err("“尚未生效” 由施行日期自动计算，不要手写；请填写 effective（施行日期）并把有效性写为 有效".into()),
            other => Err(format!("“{other}” 不是有效性；应为 有效、失效、废止 或 已修改")),
        }
    }
}

impl fmt::Display for Validity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Validity::InForce => "有效",
            Validity::Expired => "失效",
            Validity::Repealed => "废止",
            Validity::Amended => "已修改",
            Validity::NotYetEffective => "尚未生效",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for v in [
            Validity::InForce,
            Validity::Expired,
            Validity::Repealed,
            Validity::Amended,
        ] {
            assert_eq!(v.to_string().parse::<Validity>().unwrap(), v);
        }
        assert!("尚未生效".parse::<Validity>().is_err());
    }
}
