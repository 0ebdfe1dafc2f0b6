//! 条例 item (SPEC §1.2): which paragraph of 第二十条 (or 第二十一条) a document discloses under.
//! It decides the 法定主动公开内容 sub-column.

use std::fmt;
use std::str::FromStr;

use crate::labels::ITEMS;

/// One of `20.1` … `20.15` or `21`; an index into [`ITEMS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Item(usize);

impl Item {
    /// Code as written: `20.1`.
    pub fn code(self) -> &'static str {
        ITEMS[self.0].0
    }
    /// Column label: `法规文件`.
    pub fn label(self) -> &'static str {
        ITEMS[self.0].1
    }
    /// Verbatim heading of the 条例 item.
    pub fn heading(self) -> &'static str {
        ITEMS[self.0].2
    }
    /// Every item, in legal order.
    pub fn all() -> impl Iterator<Item = Item> {
        (0..ITEMS.len()).map(Item)
    }
    /// `第二十条第（一）项` style reference.
    pub fn article_ref(self) -> String {
        const NUM: [&str; 15] = [
            "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
            "十四", "十五",
        ];
        match self.code().strip_prefix("20.") {
            Some(n) => format!(
                "第二十条第（{}）项",
                NUM[n.parse::<usize>().unwrap_or(1) - 1]
            ),
            None => "第二十一条".to_string(),
        }
    }
}

impl FromStr for Item {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().trim_start_matches("第").trim();
        ITEMS.iter().position(|(code, label, _)| *code == t || *label == t).map(Item).ok_or_else(|| {
            format!(
                "“{s}” 不是条例事项；应为 \"20.1\" 到 \"20.15\" 或 \"21\"（例如 \"20.1\" 表示第二十条第（一）项 行政法规、规章和规范性文件）"
            )
        })
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_codes_and_labels() {
        assert_eq!("20.1".parse::<Item>().unwrap().label(), "法规文件");
        assert_eq!("财政预决算".parse::<Item>().unwrap().code(), "20.7");
        assert_eq!("21".parse::<Item>().unwrap().article_ref(), "第二十一条");
        assert_eq!(
            "20.7".parse::<Item>().unwrap().article_ref(),
            "第二十条第（七）项"
        );
    }

    #[test]
    fn rejects_unknown_items() {
        assert!("20.16".parse::<Item>().is_err());
        assert!("20".parse::<Item>().is_err());
    }
}
