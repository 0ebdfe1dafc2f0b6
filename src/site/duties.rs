//! P29: 法定主动公开内容 items with no document (issue 16 item 13). Every item of 第二十条 is a
//! duty; an empty one is either forgotten or does not apply to this office, and only a person
//! can tell which. The build says so once, listing them; an item whose page explains why it is
//! empty (`[items."20.10"] empty = "…"`) or that is marked `required = false` is left out.

use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::meta::Item;

/// The finding for the items in `empty` (with no document), if any needs one.
pub fn empty_items(empty: &[Item], config: &Config) -> Option<Diagnostic> {
    let unexplained: Vec<Item> = empty
        .iter()
        .copied()
        .filter(|&i| {
            let s = config.items.get(i);
            s.required && !s.explained
        })
        .collect();
    let first = *unexplained.first()?;
    let names: Vec<String> = unexplained
        .iter()
        .map(|i| format!("{}（{}）", i.label(), i.article_ref()))
        .collect();
    Some(
        Diagnostic::new(
            Code::P29,
            crate::config::FILE_NAME,
            format!(
                "{} 个法定主动公开事项还没有任何文件，页面显示“本栏目暂无信息”：{} (statutory items with no document)",
                names.len(),
                names.join("、")
            ),
        )
        .help(format!(
            "发布这些事项的文件（item: \"{code}\"）；本机关不涉及的事项，在 gongkai.toml 中写明原因，例如 [items.\"{code}\"] empty = \"本机关不涉及此类信息。\"，或写 required = false",
            code = first.code()
        )),
    )
}
