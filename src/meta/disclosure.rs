//! 公开属性 (SPEC §1.1): the one field that decides whether a document may be published at all.

use std::fmt;
use std::str::FromStr;

/// 公开属性. Only [`Disclosure::Proactive`] documents are ever rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    /// 主动公开: rendered, listed and indexed.
    Proactive,
    /// 依申请公开: released on request only; never rendered.
    OnRequest,
    /// 不予公开: withheld; never rendered, and a published link to it fails the build.
    Withheld,
}

impl FromStr for Disclosure {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "主动公开" => Ok(Disclosure::Proactive),
            "依申请公开" => Ok(Disclosure::OnRequest),
            "不予公开" => Ok(Disclosure::Withheld),
            other => Err(format!(
                "“{other}” 不是公开属性；应为 主动公开、依申请公开 或 不予公开"
            )),
        }
    }
}

impl fmt::Display for Disclosure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Disclosure::Proactive => "主动公开",
            Disclosure::OnRequest => "依申请公开",
            Disclosure::Withheld => "不予公开",
        })
    }
}

/// 不予公开依据 (SPEC §1.1 codes; they match the annual-report rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExemptBasis(pub String);

impl FromStr for ExemptBasis {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        match crate::labels::EXEMPT_BASES
            .iter()
            .find(|(code, text)| *code == s || *text == s)
        {
            Some((code, _)) => Ok(ExemptBasis((*code).to_string())),
            None => Err(format!(
                "“{s}” 不是不予公开依据；应为 {}",
                crate::labels::EXEMPT_BASES
                    .iter()
                    .map(|(c, t)| format!("{c}（{t}）"))
                    .collect::<Vec<_>>()
                    .join("、")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_values() {
        assert_eq!(
            "主动公开".parse::<Disclosure>().unwrap(),
            Disclosure::Proactive
        );
        assert_eq!(
            "依申请公开".parse::<Disclosure>().unwrap(),
            Disclosure::OnRequest
        );
        assert_eq!(
            "不予公开".parse::<Disclosure>().unwrap(),
            Disclosure::Withheld
        );
        assert!("公开".parse::<Disclosure>().is_err());
    }

    #[test]
    fn exempt_basis_accepts_code_or_row_text() {
        assert_eq!(
            "third_party".parse::<ExemptBasis>().unwrap().0,
            "third_party"
        );
        assert_eq!("属于国家秘密".parse::<ExemptBasis>().unwrap().0, "secret");
        assert!("保密".parse::<ExemptBasis>().is_err());
    }
}
