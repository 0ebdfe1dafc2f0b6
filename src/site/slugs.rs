//! URL codes: the short ASCII path segment of each 条例 item column, register, catalogue facet
//! and facet value (issue 16 item 4), as government columns write them: `fdzdgknr/fgwj/`,
//! `ml/ztfl/zhzw/`, `ml/fbjg/szfbgs/`.
//!
//! A code is the one configured in `[urls.codes]`, else a built-in one for the fixed labels
//! (items, registers, facets, 有效性), else the pinyin initials of the name (the `pinyin`
//! crate, most common reading of each character; polyphones such as 行 or 调 can be configured).
//! Codes depend only on the name and on the order of the names before it, so a build gives
//! every page the same address as the build before. When two names of one list share their
//! initials, the later one (in catalogue order: configured 发布机构, taxonomy and 文种 order
//! first) takes its full pinyin, then a number, and E015 suggests configuring a code.

use std::collections::BTreeMap;

use pinyin::ToPinyin;

use crate::config::urls::check_code;
use crate::config::FILE_NAME;
use crate::diag::{Code, Diagnostic};

/// Built-in codes of the fixed labels: 条例 items (by code), the register pages, the facet
/// names and the 有效性 values. Chosen, not computed: `行政…` is `xz` whatever the pinyin data
/// says, and these addresses must never change.
const BUILT_IN: &[(&str, &str)] = &[
    ("20.1", "fgwj"),
    ("20.2", "jgzn"),
    ("20.3", "ghxx"),
    ("20.4", "tjxx"),
    ("20.5", "xzxk"),
    ("20.6", "xzcfqz"),
    ("20.7", "czyjs"),
    ("20.8", "xzsyxsf"),
    ("20.9", "zfjzcg"),
    ("20.10", "zdjsxm"),
    ("20.11", "msbz"),
    ("20.12", "yjgl"),
    ("20.13", "jdjc"),
    ("20.14", "gwyzk"),
    ("20.15", "qtfdgkxx"),
    ("21", "desyt"),
    ("现行有效", "xxyx"),
    ("已废止失效", "yfzsx"),
    ("主题分类", "ztfl"),
    ("发布机构", "fbjg"),
    ("年份", "nf"),
    ("文种", "wz"),
    ("有效性", "yxx"),
    ("有效", "yx"),
    ("失效", "sx"),
    ("废止", "fz"),
    ("已修改", "yxg"),
    ("尚未生效", "swsx"),
    ("行政法规", "xzfg"),
    ("行政规范性文件", "xzgfxwj"),
    ("行政许可", "xzxk"),
    ("行政处罚", "xzcf"),
    ("行政强制", "xzqz"),
    ("重大建设项目", "zdjsxm"),
];

/// The built-in code of a fixed label or 条例 item code.
pub fn built_in(name: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// Full-width ASCII (`２０２２`, `ＡＢ`) as half-width.
fn half_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Letters and digits kept, Chinese characters as their pinyin (initial only, or whole),
/// everything else (punctuation, 、（）) dropped; at most 40 characters.
fn romanise(name: &str, whole: bool) -> String {
    let mut out = String::new();
    for c in name.chars().map(half_width) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            out.push_str(if whole { p.plain() } else { p.first_letter() });
        }
    }
    out.truncate(40);
    out
}

/// The pinyin initials of `name` (`市政府办公室` → `szfbgs`).
pub fn initials(name: &str) -> String {
    romanise(name, false)
}

/// A code for a name with no letter, digit or Chinese character: `v` and a hash of it.
fn hashed(name: &str) -> String {
    // FNV-1a: the same number on every platform and Rust version.
    let h = name.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("v{h:08x}")
}

/// Assigns codes to `names` (one list: the items, or the values of one facet), in order.
/// `keys(i)` are the names `[urls.codes]` may use for the i-th entry, `default(i)` its
/// automatic code before pinyin. `what` names the list in messages (`发布机构`). A clash is
/// reported (E015) only between names `known` accepts: a misspelt 发布机构 already has its own
/// finding (P22, P08), and its page goes once it is corrected.
pub fn assign(
    names: &[&str],
    keys: &dyn Fn(usize) -> Vec<String>,
    default: &dyn Fn(usize) -> Option<String>,
    configured: &BTreeMap<String, String>,
    (what, known): (&str, &dyn Fn(&str) -> bool),
) -> (Vec<String>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut codes: Vec<Option<String>> = vec![None; names.len()];
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    // Configured codes first: they never move.
    for i in 0..names.len() {
        let Some((key, code)) = keys(i)
            .into_iter()
            .find_map(|k| configured.get(&k).map(|c| (k, c.clone())))
        else {
            continue;
        };
        if check_code(&code).is_err() {
            continue; // reported by the config stage
        }
        match taken.get(&code) {
            Some(&j) => diags.push(
                Diagnostic::new(
                    Code::E005,
                    FILE_NAME,
                    format!(
                        "[urls.codes] 给{what}“{}”和“{}”配置了同一个网址代码 “{code}”，两个页面的网址会相同",
                        names[j], names[i]
                    ),
                )
                .field(&key)
                .help("为其中一个改用别的代码"),
            ),
            None => {
                taken.insert(code.clone(), i);
                codes[i] = Some(code);
            }
        }
    }
    for i in 0..names.len() {
        if codes[i].is_some() {
            continue;
        }
        let first = default(i)
            .unwrap_or_else(|| initials(names[i]))
            .chars()
            .take(40)
            .collect::<String>();
        let first = if first.is_empty() || check_code(&first).is_err() {
            hashed(names[i])
        } else {
            first
        };
        let code = if !taken.contains_key(&first) {
            first
        } else {
            let whole = romanise(names[i], true);
            let mut code = if whole.is_empty() || check_code(&whole).is_err() {
                hashed(names[i])
            } else {
                whole
            };
            let stem = code.clone();
            let mut n = 2;
            while taken.contains_key(&code) {
                code = format!("{stem}-{n}");
                n += 1;
            }
            let other = names[taken[&first]];
            if known(names[i]) && known(other) {
                diags.push(
                Diagnostic::new(
                    Code::E015,
                    FILE_NAME,
                    format!(
                        "{what}“{}”和“{other}”的拼音首字母相同（{first}），“{}”的网址改用 “{code}”",
                        names[i], names[i]
                    ),
                )
                .field("codes")
                .help(format!(
                    "在 gongkai.toml 的 [urls.codes] 中为它们指定代码，网址就不会随以后新增的名称变化，例如 \"{}\" = \"{code}\"",
                    names[i]
                )),
            );
            }
            code
        };
        taken.insert(code.clone(), i);
        codes[i] = Some(code);
    }
    (
        codes.into_iter().map(|c| c.unwrap_or_default()).collect(),
        diags,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(names: &[&str], configured: &[(&str, &str)]) -> (Vec<String>, Vec<Diagnostic>) {
        let configured = configured
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assign(
            names,
            &|i| vec![names[i].to_string()],
            &|i| built_in(names[i]).map(str::to_string),
            &configured,
            ("发布机构", &|n: &str| !n.starts_with('?')),
        )
    }

    #[test]
    fn initials_of_real_names() {
        assert_eq!(initials("市政府办公室"), "szfbgs");
        assert_eq!(initials("综合政务"), "zhzw");
        assert_eq!(initials("国民经济管理、国有资产监管"), "gmjjglgyzcjg");
        assert_eq!(initials("市发展改革委"), "sfzggw");
        assert_eq!(initials("2023"), "2023");
        assert_eq!(initials("２０２３年"), "2023n");
        assert_eq!(initials("X市GDP统计"), "xsgdptj");
    }

    #[test]
    fn a_later_name_with_the_same_initials_takes_its_full_pinyin() {
        let (c, d) = codes(&["市水务局", "市商务局", "市审计局"], &[]);
        assert_eq!(c, ["sswj", "shishangwuju", "ssjj"]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule, crate::diag::Code::E015);
        assert!(
            d[0].message.contains("“市商务局”的网址改用 “shishangwuju”"),
            "{}",
            d[0].message
        );
        // Adding a name later never moves an earlier one.
        let (c2, _) = codes(&["市水务局", "市商务局", "市审计局", "市社工委"], &[]);
        assert_eq!(c2[..3], c[..]);
    }

    #[test]
    fn configured_codes_win_and_are_checked_for_clashes() {
        let (c, d) = codes(&["市水务局", "市商务局"], &[("市商务局", "sswj")]);
        assert_eq!(c, ["shishuiwuju", "sswj"]);
        assert_eq!(d[0].rule, crate::diag::Code::E015);
        let (_, d) = codes(&["甲局", "乙局"], &[("甲局", "ju"), ("乙局", "ju")]);
        assert_eq!(d[0].rule, crate::diag::Code::E005);
    }

    #[test]
    fn the_default_taxonomy_and_kinds_have_distinct_codes() {
        let tax = crate::config::parse_taxonomy(crate::theme::DEFAULT_TAXONOMY).unwrap();
        let classes: Vec<&str> = tax.iter().map(|(c, _)| c.as_str()).collect();
        for names in [classes, crate::labels::DEFAULT_KINDS.to_vec()] {
            let (c, d) = codes(&names, &[]);
            assert!(d.is_empty(), "{d:?}");
            let unique: std::collections::BTreeSet<_> = c.iter().collect();
            assert_eq!(unique.len(), c.len());
            assert!(c.iter().all(|c| check_code(c).is_ok()), "{c:?}");
        }
        let items: Vec<&str> = crate::labels::ITEMS.iter().map(|i| i.0).collect();
        let (c, d) = codes(&items, &[]);
        assert!(d.is_empty());
        assert_eq!(c[0], "fgwj");
    }

    #[test]
    fn names_without_letters_get_a_stable_hash() {
        let (c, _) = codes(&["（）", "——"], &[]);
        assert_ne!(c[0], c[1]);
        assert!(c[0].starts_with('v') && c[0].len() == 9, "{}", c[0]);
        assert_eq!(codes(&["（）"], &[]).0[0], c[0]);
    }
}
