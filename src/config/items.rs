//! `[items."20.2"]` in `gongkai.toml`: per 条例 item, whether the build warns when it has no
//! document, and the sentence its empty page shows (issue 16 item 13).
//!
//! Every item of 第二十条 is a duty, so by default an empty one is warned about (P29) and its page
//! says "本栏目暂无信息。". An office for which an item does not apply says so on the page
//! (`empty = "本机关不涉及……"`) or turns the warning off (`required = false`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::meta::Item;

/// What an empty item's page says unless configured.
pub const DEFAULT_EMPTY_TEXT: &str = "本栏目暂无信息。";

/// One `[items."…"]` table as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    #[serde(default)]
    required: Option<bool>,
    #[serde(default)]
    empty: Option<String>,
}

/// The settings of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSettings {
    /// Warn (P29) when the item has no document.
    pub required: bool,
    /// The sentence shown on its page while it has none.
    pub empty_text: String,
    /// True when the office wrote its own sentence (then an empty item is explained, not
    /// forgotten, and P29 is not raised).
    pub explained: bool,
}

impl Default for ItemSettings {
    fn default() -> Self {
        ItemSettings {
            required: true,
            empty_text: DEFAULT_EMPTY_TEXT.into(),
            explained: false,
        }
    }
}

/// Settings per item; items not configured have the defaults.
#[derive(Debug, Clone, Default)]
pub struct ItemsSettings(BTreeMap<Item, ItemSettings>);

impl ItemsSettings {
    /// The settings of `item`.
    pub fn get(&self, item: Item) -> ItemSettings {
        self.0.get(&item).cloned().unwrap_or_default()
    }
}

/// Reads `[items]`. Keys are item codes (`"20.2"`) or their column labels (`"机构职能"`).
/// Errors are (key, message).
pub(super) fn parse(raw: BTreeMap<String, RawItem>) -> (ItemsSettings, Vec<(String, String)>) {
    let mut errors = Vec::new();
    let mut out = BTreeMap::new();
    for (key, r) in raw {
        match key.parse::<Item>() {
            Ok(item) => {
                let text = r.empty.as_deref().map(str::trim).unwrap_or("");
                out.insert(
                    item,
                    ItemSettings {
                        required: r.required.unwrap_or(true),
                        empty_text: if text.is_empty() {
                            DEFAULT_EMPTY_TEXT.into()
                        } else {
                            text.to_string()
                        },
                        explained: !text.is_empty(),
                    },
                );
            }
            Err(e) => errors.push((key.clone(), format!("[items] 中的 “{key}”：{e}"))),
        }
    }
    (ItemsSettings(out), errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_named_by_code_or_label() {
        let mut raw = BTreeMap::new();
        raw.insert(
            "机构职能".to_string(),
            RawItem {
                required: None,
                empty: Some("机构职能见本机关门户网站“机构概况”栏目。".into()),
            },
        );
        raw.insert(
            "20.10".to_string(),
            RawItem {
                required: Some(false),
                empty: None,
            },
        );
        raw.insert("20.16".to_string(), RawItem::default());
        let (s, e) = parse(raw);
        assert_eq!(e.len(), 1);
        assert!(e[0].1.starts_with("[items] 中的 “20.16”"), "{}", e[0].1);
        let jg = s.get("20.2".parse().unwrap());
        assert!(jg.required && jg.explained);
        let zd = s.get("20.10".parse().unwrap());
        assert!(!zd.required && !zd.explained);
        assert_eq!(zd.empty_text, DEFAULT_EMPTY_TEXT);
        assert_eq!(s.get("20.4".parse().unwrap()), ItemSettings::default());
    }
}
