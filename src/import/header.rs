//! The front-matter of an imported document: the same keys and order as `gongkai new`, filled
//! from the 公文, each with a comment that says where its value came from, or that it was not
//! found and must be filled in. Values are written as JSON strings, which YAML reads as
//! double-quoted scalars, so any title is safe.

use chrono::NaiveDate;

use super::gongwen::IssuerSource;
use super::Imported;
use crate::config::Config;

/// What the editor chose on the command line.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// `--kind` (else guessed: a 令 is a 规章, or a 行政法规 for the State Council).
    pub kind: Option<String>,
    /// `--item`.
    pub item: Option<String>,
    /// `--use-print-date`: the 版记's 印发日期 becomes 发布日期.
    pub use_print_date: bool,
}

/// The 文种 for a document: the editor's choice, else what its layout says.
pub fn kind(imp: &Imported, choices: &Choices) -> String {
    if let Some(k) = &choices.kind {
        return k.clone();
    }
    let g = &imp.gongwen;
    if g.order {
        if g.doc_no.as_deref().is_some_and(|d| d.starts_with("国令")) {
            "行政法规".into()
        } else {
            "规章".into()
        }
    } else {
        "其他文件".into()
    }
}

/// The 条例 item a 文种 goes to when none is given (as `gongkai new` does): 20.1 for 行政法规,
/// 规章 and 行政规范性文件; none for 政策解读, 制度 and 年报 (their own columns); else 20.15.
pub fn default_item(kind: &str) -> Option<&'static str> {
    match kind {
        "行政法规" | "规章" | "行政规范性文件" => Some("20.1"),
        "政策解读" | "制度" | "政府信息公开年报" => None,
        _ => Some("20.15"),
    }
}

fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

fn line(s: &mut String, comment: &str, key: &str, value: String) {
    s.push_str(&format!("# {comment}\n{key}: {value}\n"));
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| q(&d.to_string())).unwrap_or_else(|| q(""))
}

/// The YAML front-matter (between `---` lines), without the body. `index_no` is `None` in a
/// dry run (the number is reserved only when the file is written).
pub fn front_matter(
    config: &Config,
    imp: &Imported,
    choices: &Choices,
    index_no: Option<&str>,
) -> String {
    let g = &imp.gongwen;
    let kind = kind(imp, choices);
    let mut s = String::from("---\n");
    let not_found = "（公文中没有找到，请填写）";
    let source = imp
        .source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    line(
        &mut s,
        &match &g.title {
            Some(_) => "名称（取自公文标题）".to_string(),
            None => format!("名称{not_found}"),
        },
        "title",
        q(g.title.as_deref().unwrap_or("")),
    );
    match index_no {
        Some(n) => line(
            &mut s,
            "索引号（已在索引号台账中预留，请勿修改）",
            "index_no",
            q(n),
        ),
        None => {
            s.push_str("# 索引号：写入时从索引号台账分配 (assigned when the file is written)\n")
        }
    }
    line(
        &mut s,
        &format!("{}{not_found}", crate::scaffold::category_comment(config)),
        "category",
        q(""),
    );
    line(&mut s, "二级分类（可选）", "category_sub", q(""));
    line(
        &mut s,
        match g.issuer_source {
            Some(IssuerSource::Masthead) => "发布机构（取自版头的发文机关标志；联合发文按原顺序）",
            Some(IssuerSource::Signature) => "发布机构（取自落款署名；联合发文按原顺序）",
            None => "发布机构（公文中没有找到版头或署名，请填写；联合发文写 甲、乙）",
        },
        "issuer",
        q(&g.issuers.join("、")),
    );
    line(
        &mut s,
        &match (&g.doc_no, g.order) {
            (Some(_), true) => "文件编号（取自令号）".to_string(),
            (Some(_), false) => "文件编号（取自发文字号）".to_string(),
            (None, _) => format!("文件编号{not_found}；没有文号的公文可删除这一行"),
        },
        "doc_no",
        q(g.doc_no.as_deref().unwrap_or("")),
    );
    line(
        &mut s,
        &match &g.written_text {
            Some(t) => format!("成文日期（取自落款日期“{t}”）"),
            None => format!("成文日期 YYYY-MM-DD{not_found}"),
        },
        "written",
        date(g.written),
    );
    let use_print = choices.use_print_date && g.printed.is_some();
    line(
        &mut s,
        &match (g.printed, use_print) {
            (Some(_), true) => "发布日期（取自版记的印发日期，--use-print-date）".to_string(),
            (Some(p), false) => format!(
                "发布日期 YYYY-MM-DD：上网发布时填写（版记的印发日期是 {p}；确认就是发布日期时可用 --use-print-date 填入）"
            ),
            (None, _) => "发布日期 YYYY-MM-DD：上网发布时填写".to_string(),
        },
        "published",
        if use_print { date(g.printed) } else { q("") },
    );
    line(
        &mut s,
        &match g.disclosure {
            Some(d) => format!("公开属性（取自附注；原文注明“{d}”）"),
            None => {
                "公开属性：主动公开 | 依申请公开 | 不予公开（公文中没有注明，请按源头认定填写）"
                    .to_string()
            }
        },
        "disclosure",
        q(g.disclosure.unwrap_or("")),
    );
    let needs_no = matches!(kind.as_str(), "规章" | "行政规范性文件");
    if needs_no || kind == "其他文件" {
        line(
            &mut s,
            "有效性：有效 | 失效 | 废止 | 已修改",
            "validity",
            q("有效"),
        );
    }
    line(
        &mut s,
        &if choices.kind.is_some() {
            "文种（--kind）".to_string()
        } else if g.order {
            "文种（令的格式：规章；国务院令为行政法规，请核对）".to_string()
        } else {
            "文种（默认其他文件；规范性文件请改为 行政规范性文件）".to_string()
        },
        "kind",
        q(&kind),
    );
    if let Some(i) = choices.item.as_deref().or(default_item(&kind)) {
        line(
            &mut s,
            "条例事项：20.1 … 20.15 或 21（第二十条第几项）",
            "item",
            q(i),
        );
    }
    if needs_no {
        line(
            &mut s,
            &match imp.effective {
                Some(_) => "施行日期（取自正文“自……起施行”）".to_string(),
                None => format!("施行日期{not_found}"),
            },
            "effective",
            date(imp.effective),
        );
        line(
            &mut s,
            &format!(
                "有效期至（一般不超过 {} 年；暂行、试行不超过 {} 年）",
                config.validity.normative_years, config.validity.provisional_years
            ),
            "expires",
            q(""),
        );
    }
    line(&mut s, "内容概述（显示在目录中）", "summary", q(""));
    if let Some(r) = &g.recipients {
        s.push_str(&format!("# 主送机关：{r}（保留为正文第一段）\n"));
    }
    if !imp.attachments.is_empty() {
        s.push_str("# 附件（取自附件说明，文件已复制到本文件旁）\nattachments:\n");
        for (path, title) in &imp.attachments {
            s.push_str(&format!("  - path: {}\n    title: {}\n", q(path), q(title)));
        }
    }
    for m in &imp.missing {
        s.push_str(&format!(
            "# 附件说明中的“{m}”没有找到：请把文件放到本文件旁并写入 attachments\n"
        ));
    }
    if let Some(c) = &g.classification {
        s.push_str(&format!("# 注意：公文标有密级“{c}”，不得公开\n"));
    }
    s.push_str(&format!("# 导入自 {source}（gongkai import）\n"));
    s.push_str("# 草稿：核对上面的字段和正文、完成审查后删除这一行才会发布\ndraft: true\n---\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imported(printed: Option<NaiveDate>) -> Imported {
        Imported {
            source: "a.docx".into(),
            gongwen: super::super::gongwen::Gongwen {
                title: Some("关于“某事”的通知".into()),
                printed,
                ..Default::default()
            },
            body: String::new(),
            counts: Default::default(),
            effective: None,
            asset_dir: "a".into(),
            assets: vec![],
            attachments: vec![],
            missing: vec![],
            notes: vec![],
        }
    }

    fn config() -> Config {
        crate::config::parse(
            "site_name = \"t\"\nbase_url = \"https://x.gov.cn/\"\n[organisation]\nname = \"局\"\ncode = \"13502\"\n",
            crate::theme::DEFAULT_TAXONOMY,
            &|_| Err("none".into()),
        )
        .unwrap()
    }

    #[test]
    fn the_print_date_becomes_the_publication_date_only_when_asked() {
        let d = NaiveDate::from_ymd_opt(2022, 6, 10);
        let plain = front_matter(
            &config(),
            &imported(d),
            &Choices::default(),
            Some("13502/2026-00001"),
        );
        assert!(plain.contains("published: \"\"\n"), "{plain}");
        assert!(plain.contains("版记的印发日期是 2022-06-10"), "{plain}");
        let asked = Choices {
            use_print_date: true,
            ..Choices::default()
        };
        let used = front_matter(&config(), &imported(d), &asked, Some("13502/2026-00001"));
        assert!(used.contains("published: \"2022-06-10\"\n"), "{used}");
        // Unfound fields are empty with a comment; the title's quotes survive as YAML.
        assert!(
            plain.contains("written: \"\"\n")
                && plain.contains("成文日期 YYYY-MM-DD（公文中没有找到，请填写）"),
            "{plain}"
        );
        let mut soft = vec![];
        let src = crate::load::parse_source(
            std::path::Path::new("content/a.md"),
            format!("{plain}\n正文。\n").as_bytes(),
            &mut soft,
        )
        .unwrap();
        assert_eq!(
            src.fields[&"title"].value.as_str(),
            Some("关于“某事”的通知")
        );
        assert_eq!(src.fields[&"draft"].value.as_bool(), Some(true));
        assert!(soft.is_empty(), "{soft:?}");
    }
}
