//! 索引号 (SPEC §3.4): the document's identity and the key of its URL.
//!
//! There is no national format, so the pattern and the template for new numbers are site
//! settings. The URL slug is derived from the number alone, so renaming a file never moves a page.

use std::fmt;

/// A 索引号 as written, trimmed, with the page path derived from it (computed once: every
/// catalogue, feed and link asks for it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndexNo(String, String);

impl IndexNo {
    /// Wraps a non-empty trimmed string.
    pub fn new(s: &str) -> Option<IndexNo> {
        let t = s.trim();
        (!t.is_empty()).then(|| IndexNo::from_string(t.to_string()))
    }
    fn from_string(s: String) -> IndexNo {
        let page = page_path_of(&s);
        IndexNo(s, page)
    }
    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The URL path of the document page, relative to the site root:
    /// `13502/2022-26273` → `xxgk/13502/2022-26273.html`. `/` stays a folder separator;
    /// anything outside `[0-9A-Za-z._-]` becomes `-` (collisions are checked by `validate`).
    pub fn page_path(&self) -> &str {
        &self.1
    }
}

fn page_path_of(no: &str) -> String {
    let slug: String = no
        .split('/')
        .map(|part| {
            let p: String = part
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            let p = p.trim_matches('.').to_string();
            if p.is_empty() {
                "-".to_string()
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    format!("xxgk/{slug}.html")
}

impl fmt::Display for IndexNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The template for new numbers, e.g. `{org_code}/{year}-{seq:05}`.
#[derive(Debug, Clone)]
pub struct IndexNoTemplate {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Lit(String),
    OrgCode,
    Year,
    Month,
    Seq(usize),
}

impl IndexNoTemplate {
    /// Parses a template; the placeholders are `{org_code}`, `{year}`, `{month}` and
    /// `{seq}` / `{seq:0N}`. `{seq}` is required, or numbers could not be unique.
    pub fn parse(s: &str) -> Result<IndexNoTemplate, String> {
        let mut parts = Vec::new();
        let mut rest = s;
        let mut has_seq = false;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Lit(rest[..open].to_string()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("模板 “{s}” 中的 {{ 没有配对的 }}"))?
                + open;
            let name = &rest[open + 1..close];
            parts.push(match name {
                "org_code" => Part::OrgCode,
                "year" => Part::Year,
                "month" => Part::Month,
                "seq" => {
                    has_seq = true;
                    Part::Seq(0)
                }
                n if n.starts_with("seq:0") => {
                    has_seq = true;
                    Part::Seq(n[5..].parse().map_err(|_| format!("模板 “{s}” 中的 {{{n}}} 应写作 {{seq:05}} 这样的形式"))?)
                }
                other => {
                    return Err(format!(
                        "模板 “{s}” 中有未知占位符 {{{other}}}；可用 {{org_code}}、{{year}}、{{month}}、{{seq:05}}"
                    ))
                }
            });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Lit(rest.to_string()));
        }
        if !has_seq {
            return Err(format!("模板 “{s}” 缺少 {{seq}}，生成的索引号无法保证唯一"));
        }
        Ok(IndexNoTemplate { parts })
    }

    /// Formats a number.
    pub fn format(&self, org_code: &str, year: i32, month: u32, seq: u64) -> IndexNo {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(l) => s.push_str(l),
                Part::OrgCode => s.push_str(org_code),
                Part::Year => s.push_str(&year.to_string()),
                Part::Month => s.push_str(&format!("{month:02}")),
                Part::Seq(w) => s.push_str(&format!("{seq:0w$}", w = *w)),
            }
        }
        IndexNo::from_string(s)
    }

    /// The key numbers share a sequence within (everything but `{seq}`), and the sequence
    /// number, if `no` was made by this template for this org.
    pub fn parse_seq(&self, no: &str, org_code: &str) -> Option<(String, u64)> {
        let mut rest = no;
        let mut key = String::new();
        let mut seq = None;
        for (i, p) in self.parts.iter().enumerate() {
            match p {
                Part::Lit(l) => {
                    rest = rest.strip_prefix(l.as_str())?;
                    key.push_str(l);
                }
                Part::OrgCode => {
                    rest = rest.strip_prefix(org_code)?;
                    key.push_str(org_code);
                }
                Part::Year | Part::Month | Part::Seq(_) => {
                    let n = rest.bytes().take_while(u8::is_ascii_digit).count();
                    let n = match (p, self.parts.get(i + 1)) {
                        (Part::Year, _) => n.min(4),
                        (Part::Month, _) => n.min(2),
                        _ => n,
                    };
                    if n == 0 {
                        return None;
                    }
                    let digits = &rest[..n];
                    if let Part::Seq(_) = p {
                        seq = Some(digits.parse().ok()?);
                        key.push('#');
                    } else {
                        key.push_str(digits);
                    }
                    rest = &rest[n..];
                }
            }
        }
        if !rest.is_empty() {
            return None;
        }
        seq.map(|s| (key, s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_path_keeps_the_number_readable() {
        assert_eq!(
            IndexNo::new("13502/2022-26273").unwrap().page_path(),
            "xxgk/13502/2022-26273.html"
        );
        assert_eq!(
            IndexNo::new("01527918X-2020-153077").unwrap().page_path(),
            "xxgk/01527918X-2020-153077.html"
        );
        assert_eq!(
            IndexNo::new("a/../b").unwrap().page_path(),
            "xxgk/a/-/b.html"
        );
        assert_eq!(
            IndexNo::new("局 1/2").unwrap().page_path(),
            "xxgk/--1/2.html"
        );
    }

    #[test]
    fn template_formats_and_parses_back() {
        let t = IndexNoTemplate::parse("{org_code}/{year}-{seq:05}").unwrap();
        let no = t.format("13502", 2022, 6, 44);
        assert_eq!(no.as_str(), "13502/2022-00044");
        assert_eq!(
            t.parse_seq("13502/2022-26273", "13502"),
            Some(("13502/2022-#".to_string(), 26273))
        );
        assert_eq!(t.parse_seq("000014349/2019-00007", "13502"), None);
    }

    #[test]
    fn rejects_template_without_seq() {
        assert!(IndexNoTemplate::parse("{org_code}/{year}").is_err());
        assert!(IndexNoTemplate::parse("{org}/{seq}").is_err());
    }
}
