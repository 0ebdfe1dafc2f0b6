//! 政务公开事项标准目录: the standard catalogue of disclosure items (国办发〔2019〕54号), as data.
//!
//! Every county and city department publishes, per 领域 (重大建设项目, 财政预决算 …), a table
//! whose rows are 公开事项 and whose ten columns are fixed: 序号, 公开事项 (一级, 二级), 公开内容
//! （要素）, 公开依据, 公开时限, 公开主体, 公开渠道和载体, 公开对象, 公开方式, 公开层级. A site keeps
//! one file per 领域, `catalogue/<领域>.toml`, one `[[事项]]` per 二级事项 ([`parse`]); `gongkai
//! import --standard` writes such a file from the .xlsx/.docx table an office receives.
//!
//! This module is the model and its parsing: plain data, no I/O (`load` reads the files). Which
//! documents fulfil an item is resolved against the published documents by the site model
//! (`site::standard`); the review rules on it live in `check::standard`.

pub mod deadline;
pub mod parse;

use std::path::PathBuf;

pub use deadline::Deadline;

/// The folder of the catalogue files under the site root.
pub const DIR: &str = "catalogue";

/// 公开对象.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Audience {
    /// 全社会.
    Public,
    /// 特定群体.
    Group,
}

/// 公开方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Mode {
    /// 主动公开.
    Proactive,
    /// 依申请公开.
    OnRequest,
}

/// 公开层级 (the official columns are 县级 and 乡、村级; a city's tables add 市级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Level {
    /// 省级.
    Province,
    /// 市级.
    City,
    /// 县级.
    County,
    /// 乡、村级.
    TownVillage,
}

impl Audience {
    /// Every value, in the official column order.
    pub const ALL: [Audience; 2] = [Audience::Public, Audience::Group];
    /// The column heading.
    pub fn label(self) -> &'static str {
        match self {
            Audience::Public => "全社会",
            Audience::Group => "特定群体",
        }
    }
    fn parse(s: &str) -> Option<Audience> {
        match s {
            "全社会" | "社会公众" | "公众" => Some(Audience::Public),
            "特定群体" | "特定对象" => Some(Audience::Group),
            _ => None,
        }
    }
}

impl Mode {
    /// Every value, in the official column order.
    pub const ALL: [Mode; 2] = [Mode::Proactive, Mode::OnRequest];
    /// The column heading.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Proactive => "主动",
            Mode::OnRequest => "依申请",
        }
    }
    fn parse(s: &str) -> Option<Mode> {
        match s {
            "主动" | "主动公开" => Some(Mode::Proactive),
            "依申请" | "依申请公开" => Some(Mode::OnRequest),
            _ => None,
        }
    }
}

impl Level {
    /// Every value, highest first.
    pub const ALL: [Level; 4] = [
        Level::Province,
        Level::City,
        Level::County,
        Level::TownVillage,
    ];
    /// The column heading.
    pub fn label(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::City => "市级",
            Level::County => "县级",
            Level::TownVillage => "乡、村级",
        }
    }
    fn parse(s: &str) -> Option<Level> {
        match s {
            "省级" | "省" => Some(Level::Province),
            "市级" | "市" | "设区的市级" => Some(Level::City),
            "县级" | "县" | "县（市、区）级" | "县(市、区)级" => Some(Level::County),
            "乡、村级" | "乡村级" | "乡级" | "村级" | "乡镇级" | "乡（镇）级" | "乡镇" | "村" => {
                Some(Level::TownVillage)
            }
            _ => None,
        }
    }
}

/// One 公开事项 (a 二级事项 row of the table).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    /// Stable id (`zdjsxm-01`): what documents and URLs refer to; never renumbered.
    pub id: String,
    /// 序号 as printed in the table (its position when the file gives none).
    pub seq: String,
    /// 一级事项.
    pub first: String,
    /// 二级事项.
    pub second: String,
    /// 公开内容（要素）.
    pub content: String,
    /// 公开依据.
    pub basis: String,
    /// 公开时限, as written.
    pub deadline_text: String,
    /// 公开时限, parsed.
    pub deadline: Deadline,
    /// 公开主体.
    pub subject: String,
    /// 公开渠道和载体: the channels ticked (■).
    pub channels: Vec<String>,
    /// 公开对象 ticked (√).
    pub audience: Vec<Audience>,
    /// 公开方式 ticked (√).
    pub modes: Vec<Mode>,
    /// 公开层级 ticked (√).
    pub levels: Vec<Level>,
    /// Line of the entry's `[[事项]]` header in its file.
    pub line: usize,
    /// Line of each key, for findings about one column (`basis` → 12).
    pub key_lines: Vec<(&'static str, usize)>,
}

impl Entry {
    /// True for a 主动公开 item (the review expects documents for it).
    pub fn is_proactive(&self) -> bool {
        self.modes.contains(&Mode::Proactive)
    }
    /// True for an item published only on request.
    pub fn is_on_request_only(&self) -> bool {
        !self.is_proactive() && self.modes.contains(&Mode::OnRequest)
    }
    /// The line of column `key` in the file, else the entry's header line.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(self.line, |(_, l)| *l)
    }
}

/// One 领域's table: one catalogue file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Area {
    /// The file, relative to the site root (`catalogue/重大建设项目.toml`).
    pub file: PathBuf,
    /// 领域 name.
    pub name: String,
    /// ASCII URL segment (`zdjsxm`).
    pub slug: String,
    /// Text shown above the table (说明), Markdown-free.
    pub description: String,
    /// Rows in table order.
    pub entries: Vec<Entry>,
}

/// Every 领域 of the site, in file-name order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Catalogue {
    /// The 领域.
    pub areas: Vec<Area>,
}

/// Where an entry is: (area index, entry index).
pub type EntryAt = (usize, usize);

impl Catalogue {
    /// True when the site keeps no catalogue.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// Every entry with its position.
    pub fn entries(&self) -> impl Iterator<Item = (EntryAt, &Entry)> {
        self.areas.iter().enumerate().flat_map(|(a, area)| {
            area.entries
                .iter()
                .enumerate()
                .map(move |(e, entry)| ((a, e), entry))
        })
    }

    /// The entry a document's `事项` value names: its id (`zdjsxm-01`), or its names as
    /// `领域/一级事项/二级事项` or `领域/二级事项` (`/`, `／` or `>` between them; spaces ignored).
    pub fn resolve(&self, reference: &str) -> Option<EntryAt> {
        let r = squeeze(reference);
        if let Some((at, _)) = self.entries().find(|(_, e)| e.id == r) {
            return Some(at);
        }
        let parts: Vec<&str> = r
            .split(['/', '／', '>', '＞', '›'])
            .filter(|p| !p.is_empty())
            .collect();
        let matches = |(a, e): &(EntryAt, &Entry)| {
            let area = &self.areas[a.0].name;
            match parts.as_slice() {
                [ar, first, second] => {
                    squeeze(area) == *ar
                        && squeeze(&e.first) == *first
                        && squeeze(&e.second) == *second
                }
                [ar, second] => squeeze(area) == *ar && squeeze(&e.second) == *second,
                _ => false,
            }
        };
        let mut found = self.entries().filter(matches);
        let first = found.next()?;
        // A `领域/二级事项` shared by two 一级事项 is ambiguous: the full path must be written.
        found.next().is_none().then_some(first.0)
    }

    /// The full name of an entry, as documents may write it (`重大建设项目/批准服务信息/申报要求`).
    pub fn path_of(&self, (a, e): EntryAt) -> String {
        let entry = &self.areas[a].entries[e];
        format!("{}/{}/{}", self.areas[a].name, entry.first, entry.second)
    }

    /// "，是不是想写 …" for a reference that resolves to nothing: the closest id or full name.
    pub fn suggestion(&self, reference: &str) -> String {
        let r = squeeze(reference);
        let names: Vec<String> = self
            .entries()
            .flat_map(|(at, e)| {
                [
                    e.id.clone(),
                    self.path_of(at),
                    format!("{}/{}", self.areas[at.0].name, e.second),
                ]
            })
            .collect();
        let close = crate::diag::suggest_close(&r, names.iter().map(String::as_str));
        if !close.is_empty() {
            return close;
        }
        // The 二级事项 alone, or with a mistyped 领域: name the entry whose last part matches.
        let last = r
            .rsplit(['/', '／', '>', '＞', '›'])
            .next()
            .unwrap_or(&r)
            .to_string();
        let hits: Vec<String> = self
            .entries()
            .filter(|(_, e)| squeeze(&e.second) == last)
            .map(|(at, _)| self.path_of(at))
            .collect();
        match hits.as_slice() {
            [one] => format!("，是不是想写 “{one}”？(did you mean `{one}`?)"),
            [] => String::new(),
            many => format!("，可能是：{}", many.join("、")),
        }
    }
}

/// Whitespace (also full-width) removed: names are compared as printed tables spell them.
pub(crate) fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

/// An ASCII URL segment for a 领域 name: the pinyin initials of its Chinese characters, with
/// ASCII letters and digits kept (`重大建设项目` → `zdjsxm`, `义务教育` → `ywjy`). Government
/// columns name their folders this way; the file may set its own (`编码 = "…"`).
pub fn slug_of(name: &str) -> String {
    use pinyin::ToPinyin;
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            out.push_str(p.first_letter());
        } else if c == '-' || c == '_' {
            out.push(c);
        }
    }
    if out.is_empty() {
        "ly".into()
    } else {
        out
    }
}

/// True for a usable item id (a URL segment): ASCII letters, digits, `-`, `_` and `.` (`1.2`),
/// at most 64, and no name the site's own files use there (`page/` of a paginated list, a
/// file name ending in `.html`, `.json` …).
pub fn is_ascii_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with('.')
        && s != "page"
        && ![".html", ".json", ".csv", ".xml", ".gz", ".br"]
            .iter()
            .any(|ext| s.to_ascii_lowercase().ends_with(ext))
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// True for a usable 领域 segment: as [`is_ascii_id`], without `.` (so it can never be the
/// name of the open-data files beside it).
pub fn is_ascii_slug(s: &str) -> bool {
    is_ascii_id(s) && !s.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_pinyin_initials() {
        assert_eq!(slug_of("重大建设项目"), "zdjsxm");
        assert_eq!(slug_of("义务教育"), "ywjy");
        assert_eq!(slug_of("财政预决算"), "czyjs");
        assert_eq!(slug_of("PPP项目"), "pppxm");
        assert_eq!(slug_of("（）"), "ly");
    }

    #[test]
    fn ids_are_ascii() {
        assert!(is_ascii_id("zdjsxm-01"));
        assert!(!is_ascii_id("重大-01"));
        assert!(!is_ascii_id("a/b"));
        assert!(!is_ascii_id(".."));
        assert!(!is_ascii_id(""));
        assert!(!is_ascii_id("index.html"));
        assert!(!is_ascii_id("page"));
        assert!(is_ascii_id("zdjsxm-1.2"));
        assert!(!is_ascii_slug("standard-catalogue.json"));
        assert!(is_ascii_slug("zdjsxm"));
    }
}
