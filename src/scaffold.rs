//! `init` writes a new site; `new` writes a new document with the next 索引号.
//!
//! `new` reserves the number in the ledger under a lock file, so two editors creating documents
//! at the same time on one machine never get the same number (and on two machines, the ledger
//! lines conflict in version control instead of silently colliding).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use chrono::NaiveDate;

use crate::config::Config;
use crate::ledger::{self, Ledger};

/// The commented `gongkai.toml` that `init` writes.
pub fn config_template(site_name: &str) -> String {
    format!(
        r#"# gongkai site configuration. Every setting is listed; the README explains each one.

# Site name (SiteName meta tag, page titles).
site_name = "{site_name}"
# The address the site is published at. Links carry its path (here /xxgk/).
base_url = "https://www.example.gov.cn/xxgk/"
# Theme folder under themes/ (the default theme is built in; themes/default here overrides it).
theme = "default"
# Rows per catalogue page.
page_size = 20
# 发布机构 used on this site; other spellings are flagged (P22). Empty: no check.
issuers = ["市政府办公室"]
# Extra 文种 values beyond the built-in list.
kinds = []
# Your own 主题分类 table (default: the gov.cn taxonomy in themes/default/data/taxonomy.toml).
# taxonomy = "data/taxonomy.toml"
# Timezone of the dates in documents, as an offset from UTC (+08:00: China Standard Time, the
# default). The build date ("today") is taken in this zone, whatever the server's own clock zone.
timezone = "+08:00"

[organisation]
# 发布机构 of the site.
name = "市政府办公室"
# Unit code at the start of every 索引号.
code = "00000"
# Template for new 索引号: {{org_code}} {{year}} {{month}} {{seq:05}}.
index_no_template = "{{org_code}}/{{year}}-{{seq:05}}"
# Loose pattern every 索引号 should match (E011).
index_no_pattern = '^[0-9A-Za-z-]{{5,20}}/\d{{4}}(\d{{2}})?-\d{{4,6}}$'
# "government" (年报 due 31 March) or "department" (31 January).
level = "government"

[footer]
# Required (P21): host, phone, site_id_code, icp, police. Empty ones are warned about in every
# build and are errors in production builds.
host = ""             # 网站主办单位
organizer = ""        # 承办单位
address = ""          # 地址
phone = ""            # 联系电话
email = ""            # 电子邮箱
site_id_code = ""     # 政府网站标识码
icp = ""              # ICP备案编号, e.g. 冀ICP备05000000号
police = ""           # 公安机关备案号, e.g. 冀公网安备 13080202000001号
site_domain = ""      # default: the host of base_url

[branding]
# The logo beside the site name (国徽 or the office's emblem) and the footer badges. Local image
# files only (a page never loads anything from another server); paths relative to this folder.
logo = ""             # e.g. "static/guohui.png"
logo_alt = ""         # read aloud by screen readers; empty: the site name beside it says it
gov_badge = ""        # 党政机关网站标识, e.g. "static/dzjg.png"
gov_badge_link = ""   # where the badge links (the verification page you were given), optional
police_badge = ""     # 公安备案 icon, e.g. "static/gaba.png"

[urls]
# Folder of the document pages: default "xxgk", or "" (directly under the column) when base_url
# already ends in /xxgk/, so addresses never read /xxgk/xxgk/.
# documents = "xxgk"
legacy_redirects = false   # a new site has no addresses of earlier gongkai versions to redirect
redirect_pages = true      # pages at the old addresses of redirects.csv that lie inside the site

[urls.codes]
# Short ASCII codes in catalogue addresses (/ml/fbjg/szfbgs/); default: pinyin initials.
# "市政府办公室" = "szfbgs"

# A 条例 item that does not apply to this office: say so on its page (and no P29 warning).
# [items."20.10"]
# empty = "本机关不承担重大建设项目审批和实施职能，无此类信息。"
# required = false

[build]
production = false          # true: footer identifiers required
sitemap_max_urls = 30000    # above this, sitemap.xml becomes an index
feed_size = 20              # entries per Atom feed
ledger = "gongkai-ledger.tsv"

[validity]
normative_years = 5         # 行政规范性文件 有效期 (SPEC §3.6)
provisional_years = 2       # 暂行/试行

[review]
allow_numbers = []          # published service numbers exempt from P15, e.g. ["12345"]
calendar = {{}}               # extra holidays/调休: {{ "2027-10-01" = "holiday" }}
interpretation_since = "2013-01-01"   # P13: 规章/规范性文件 written before need no 解读
placeholder_exempt_kinds = ["行政法规", "规章"]   # P17: their XX prescribe a format

[workbench]
# The workbench of gongkai serve (http://127.0.0.1:1111/_gongkai/): largest upload in MB.
max_upload_mb = 100

[rules]
# Per-rule severity: "error", "warn" or "allow", e.g.
# P05 = "warn"
"#
    )
}

const GUIDE: &str = r#"---
title: "政府信息公开指南"
updated: "{today}"
---

为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》第十二条，编制本指南。

## 一、主动公开

（填写：公开的范围、分类与编排体系、获取方式。）

## 二、依申请公开

公民、法人或者其他组织申请获取本机关主动公开以外的政府信息，可以向本机关提出申请（《条例》第二十七条）。申请须知和申请表见本栏目“依申请公开”页面。

### （一）申请方式

1. 在线申请：（填写：在线申请系统的网址；没有开通的，写“本机关暂未开通在线申请”）
2. 当面申请：到下面的受理机构填写《政府信息公开申请表》。
3. 信函申请：填写申请表后邮寄至受理机构，信封左下角注明“政府信息公开申请”。
4. 传真申请：填写申请表后传真至（填写：传真号码）。

申请表可在“依申请公开”页面打印，也可到受理机构领取。申请人自行书写的申请，写明《条例》第二十九条规定的内容即可。

### （二）受理机构

| 项目 | 内容 |
| --- | --- |
| 名称 | （填写） |
| 地址 | （填写） |
| 邮政编码 | （填写） |
| 办公时间 | （填写） |
| 联系电话 | （填写） |

### （三）答复期限

能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起 20 个工作日内予以答复；需要延长答复期限的，经负责人同意并告知申请人，延长的期限最长不超过 20 个工作日（《条例》第三十三条）。

### （四）收费

依申请提供政府信息，不收取费用。申请公开政府信息的数量、频次明显超过合理范围的，可以收取信息处理费（《条例》第四十二条）。

## 三、政府信息公开工作机构

| 项目 | 内容 |
| --- | --- |
| 名称 | （填写） |
| 办公地址 | （填写） |
| 办公时间 | （填写） |
| 联系电话 | （填写） |
| 传真号码 | （填写） |
| 互联网联系方式 | （填写） |

## 四、监督和救济

（填写：投诉、举报、行政复议和行政诉讼的途径。）
"#;

/// The 依申请公开 page (`content/ysqgk/_index.md`): how to apply, and a form to print.
const APPLY: &str = r#"---
title: "依申请公开"
updated: "{today}"
---

公民、法人或者其他组织可以向本机关申请获取主动公开以外的政府信息（《中华人民共和国政府信息公开条例》第二十七条）。

## 一、申请方式

| 方式 | 办法 |
| --- | --- |
| 在线申请 | （填写：在线申请系统的网址；没有开通的，写“本机关暂未开通在线申请”） |
| 当面申请 | 到受理机构填写下面的申请表 |
| 信函申请 | 填写申请表后邮寄至受理机构，信封左下角注明“政府信息公开申请” |
| 传真申请 | 填写申请表后传真至（填写：传真号码） |

## 二、受理机构

| 项目 | 内容 |
| --- | --- |
| 名称 | （填写） |
| 地址 | （填写） |
| 邮政编码 | （填写） |
| 办公时间 | （填写） |
| 联系电话 | （填写） |

## 三、申请应当包括的内容（《条例》第二十九条）

1. 申请人的姓名或者名称、身份证明、联系方式；
2. 申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；
3. 申请公开的政府信息的形式要求，包括获取信息的方式、途径。

## 四、答复期限和收费

能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起 20 个工作日内予以答复；需要延长的，延长的期限最长不超过 20 个工作日（《条例》第三十三条）。依申请提供政府信息不收取费用；数量、频次明显超过合理范围的，可以收取信息处理费（《条例》第四十二条）。

## 五、政府信息公开申请表

用浏览器的“打印”功能打印本页，填写下表后提交。

| 申请人信息 | 填写内容 |
| --- | --- |
| 姓名或者名称 | |
| 证件名称及号码（法人或者其他组织填统一社会信用代码） | |
| 联系人（法人或者其他组织填写） | |
| 联系电话 | |
| 通信地址及邮政编码 | |
| 电子邮箱 | |

| 所需信息情况 | 填写内容 |
| --- | --- |
| 所需政府信息的名称、文号或者其他特征性描述 | |
| 获取信息的方式（纸质、电子邮件、光盘、当面查阅等） | |
| 申请人签名或者盖章、申请日期 | |
"#;

/// Creates a new site in `dir`.
pub fn init(dir: &Path, name: &str, today: NaiveDate) -> anyhow::Result<Vec<PathBuf>> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!("{} 已存在且不是空目录；请指定一个新目录", dir.display());
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        ("gongkai.toml".into(), config_template(name).into_bytes()),
        (".gitignore".into(), b"/public\n/.public.*\n/gongkai-ledger.tsv.lock\n/gongkai-ledger.tsv.tmp\n".to_vec()),
        ("content/_index.md".into(), "---\ntitle: \"政府信息公开\"\n---\n\n本栏目集中发布本机关主动公开的政府信息。\n".into()),
        ("content/zfxxgkzn/_index.md".into(), GUIDE.replace("{today}", &today.to_string()).into_bytes()),
        ("content/ysqgk/_index.md".into(), APPLY.replace("{today}", &today.to_string()).into_bytes()),
        ("content/zfxxgkzd/_index.md".into(), "---\ntitle: \"政府信息公开制度\"\n---\n\n本栏目发布本机关政府信息公开工作制度（kind: 制度）。\n".into()),
        ("content/zfxxgknb/_index.md".into(), "---\ntitle: \"政府信息公开年报\"\n---\n\n本栏目发布本机关政府信息公开工作年度报告。\n".into()),
        ("themes/default/data/taxonomy.toml".into(), crate::theme::DEFAULT_TAXONOMY.as_bytes().to_vec()),
    ];
    for (n, t) in crate::theme::TEMPLATES {
        files.push((
            PathBuf::from("themes/default/templates").join(n),
            t.as_bytes().to_vec(),
        ));
    }
    for (n, b) in crate::theme::STATIC {
        files.push((PathBuf::from("themes/default/static").join(n), b.to_vec()));
    }
    for (rel, bytes) in &files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("relative paths have a parent"))
            .with_context(|| format!("无法创建 {}", p.display()))?;
        std::fs::write(&p, bytes).with_context(|| format!("无法写入 {}", p.display()))?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The 索引号 written in the site's documents, with the file of each.
pub fn written_index_numbers(root: &Path) -> Vec<(String, PathBuf)> {
    crate::load::load(root)
        .loaded()
        .sources
        .iter()
        .filter_map(|s| {
            s.fields
                .get("index_no")
                .and_then(|f| f.value.as_str())
                .map(|n| (n.trim().to_string(), s.path.clone()))
        })
        .collect()
}

/// Reserves the next 索引号 for a document at `rel` published in `today`'s year.
pub fn reserve_index_no(
    root: &Path,
    config: &Config,
    rel: &Path,
    title: &str,
    today: NaiveDate,
) -> anyhow::Result<String> {
    let mut nos = reserve_index_nos(
        root,
        config,
        &[(rel.to_path_buf(), title.to_string(), today)],
    )?;
    Ok(nos.pop().expect("one number per document"))
}

/// Reserves 索引号 for several documents (`gongkai import`) under one lock, reading the site and
/// the ledger once, so importing a thousand files costs one read, not a thousand. Each number
/// takes the year of its document's date (its 发布日期, or today), which the ledger records.
pub fn reserve_index_nos(
    root: &Path,
    config: &Config,
    docs: &[(PathBuf, String, NaiveDate)],
) -> anyhow::Result<Vec<String>> {
    reserve_and(root, config, docs, &|_| Ok(()))
}

/// Creates the document `rel` (which must not exist) with the text `text(索引号)` and reserves
/// its number, both under the ledger lock: two editors creating the same file at once get one
/// file and one number, never an overwritten file. Nothing is left behind on failure.
pub fn create_document(
    root: &Path,
    config: &Config,
    rel: &Path,
    title: &str,
    today: NaiveDate,
    text: &dyn Fn(&str) -> String,
) -> anyhow::Result<String> {
    use std::io::Write as _;
    let abs = root.join(rel);
    let created = std::cell::Cell::new(false);
    let doc = [(rel.to_path_buf(), title.to_string(), today)];
    let result = reserve_and(root, config, &doc, &|nos| {
        let no = &nos[0];
        if let Some(parent) = abs.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("无法创建 {}", parent.display()))?;
        }
        let mut f = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&abs)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                bail!(
                    "{} 已存在；gongkai new 不会覆盖已有文件 (the file exists)",
                    rel.display()
                )
            }
            Err(e) => return Err(e).with_context(|| format!("无法创建 {}", abs.display())),
        };
        created.set(true);
        f.write_all(text(no).as_bytes())
            .and_then(|()| f.sync_all())
            .with_context(|| format!("无法写入 {}", abs.display()))
    });
    // A failure after this call made the file (its write, or the ledger's): the number is not
    // reserved, so the file goes too. A file that was there before is never touched.
    if result.is_err() && created.get() {
        let _ = std::fs::remove_file(&abs);
    }
    Ok(result?.pop().expect("one number per document"))
}

/// Under the ledger lock: computes the next numbers, runs `then(numbers)`, and records them in
/// the ledger only if `then` succeeded.
fn reserve_and(
    root: &Path,
    config: &Config,
    docs: &[(PathBuf, String, NaiveDate)],
    then: &dyn Fn(&[String]) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<String>> {
    let ledger_path = root.join(&config.ledger);
    let _lock = ledger::LedgerLock::acquire(&ledger_path)?;
    let mut ledger = Ledger::read(&ledger_path)
        .map_err(|e| anyhow::anyhow!("{}: {e}", ledger_path.display()))?;
    let written: Vec<String> = written_index_numbers(root)
        .into_iter()
        .map(|(n, _)| n)
        .chain(ledger.entries.iter().map(|e| e.index_no.clone()))
        .collect();
    let mut max = ledger::max_sequences(
        written.iter().map(String::as_str),
        &config.index_no_template,
        &config.org_code,
    );
    let mut out = Vec::with_capacity(docs.len());
    let mut entries = Vec::with_capacity(docs.len());
    for (rel, title, date) in docs {
        let no = ledger::next_number(&config.index_no_template, &config.org_code, *date, &mut max);
        entries.push((no.to_string(), rel, title, date));
        out.push(no.to_string());
    }
    then(&out)?;
    for (no, rel, title, date) in entries {
        ledger.record(&no, &rel.to_string_lossy(), title, &date.to_string());
    }
    ledger.write(&ledger_path)?;
    Ok(out)
}

/// The comment above `category` in a new document: the first classes and how many there are.
pub fn category_comment(config: &Config) -> String {
    format!(
        "主题分类：{} 等 {} 个一级分类之一",
        config
            .taxonomy
            .iter()
            .take(3)
            .map(|(c, _)| c.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        config.taxonomy.len()
    )
}

/// A string as YAML reads it back whatever it holds (a JSON string is a double-quoted scalar).
fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

/// The front-matter and body of a new document of `kind`.
pub fn document_template(
    config: &Config,
    kind: &str,
    item: Option<&str>,
    title: &str,
    index_no: &str,
    today: NaiveDate,
) -> String {
    let mut s = String::from("---\n");
    let mut line = |comment: &str, key: &str, value: &str| {
        s.push_str(&format!("# {comment}\n{key}: {value}\n"));
    };
    line("名称", "title", &json_string(title));
    line(
        "索引号（已在索引号台账中预留，请勿修改）",
        "index_no",
        &format!("\"{index_no}\""),
    );
    line(&category_comment(config), "category", "\"\"");
    line("二级分类（可选）", "category_sub", "\"\"");
    line(
        "发布机构；联合发文写 甲、乙（编文号的机关在前）",
        "issuer",
        &format!(
            "\"{}\"",
            config
                .issuers
                .first()
                .cloned()
                .unwrap_or_else(|| config.org_name.clone())
        ),
    );
    let needs_no = matches!(kind, "规章" | "行政规范性文件");
    line(
        if needs_no {
            "文件编号（必填），如 承市政规〔2026〕1号；规章写令号"
        } else {
            "文件编号（有文号时填写），如 承市政办字〔2026〕1号"
        },
        "doc_no",
        "\"\"",
    );
    line("成文日期 YYYY-MM-DD", "written", &format!("\"{today}\""));
    line(
        "发布日期 YYYY-MM-DD（可加 HH:MM）",
        "published",
        &format!("\"{today}\""),
    );
    line(
        "公开属性：主动公开 | 依申请公开 | 不予公开（后两者须填 exempt_basis）",
        "disclosure",
        "\"主动公开\"",
    );
    if needs_no || kind == "其他文件" {
        line(
            "有效性：有效 | 失效 | 废止 | 已修改",
            "validity",
            "\"有效\"",
        );
    }
    line("文种", "kind", &format!("\"{kind}\""));
    let default_item = match kind {
        "行政法规" | "规章" | "行政规范性文件" => Some("20.1"),
        "政策解读" | "制度" | "政府信息公开年报" => None,
        _ => Some("20.15"),
    };
    if let Some(i) = item.or(default_item) {
        line(
            "条例事项：20.1 … 20.15 或 21（第二十条第几项）",
            "item",
            &format!("\"{i}\""),
        );
    }
    if needs_no {
        line("施行日期", "effective", &format!("\"{today}\""));
        let years = config.validity.normative_years;
        let exp = crate::meta::date::add_years(today, years)
            .pred_opt()
            .unwrap_or(today);
        line(
            &format!(
                "有效期至（一般不超过 {years} 年；暂行、试行不超过 {} 年）",
                config.validity.provisional_years
            ),
            "expires",
            &format!("\"{exp}\""),
        );
    }
    if kind == "政策解读" {
        line(
            "解读对象：被解读文件的索引号或文件编号",
            "interprets",
            "\"\"",
        );
    }
    line("内容概述（显示在目录中）", "summary", "\"\"");
    line("草稿：写完并审查后删除这一行才会发布", "draft", "true");
    s.push_str("---\n\n正文从这里开始。\n");
    s
}

/// Items listed in a new document's header when none was chosen (the rest are in `gongkai
/// report catalogue`).
const MATTERS_OFFERED: usize = 40;

/// A document header with its 标准目录 items: the `事项` line for the chosen ones, or, when the
/// site has a catalogue and none was chosen, the items to choose from as comments.
pub fn with_matters(
    header: String,
    catalogue: &crate::catalogue::Catalogue,
    chosen: &[String],
) -> String {
    let lines = if !chosen.is_empty() {
        let ids: Vec<String> = chosen.iter().map(|c| format!("\"{c}\"")).collect();
        format!(
            "# 事项：本文件属于政务公开事项标准目录中的哪些事项（编号，或 领域/一级事项/二级事项）\n事项: [{}]\n",
            ids.join(", ")
        )
    } else if catalogue.is_empty() {
        return header;
    } else {
        let mut s = String::from(
            "# 事项：本文件属于政务公开事项标准目录中的哪个事项？删去最后一行开头的“# ”，写上编号。可选：\n",
        );
        let total = catalogue.entries().count();
        for (at, e) in catalogue.entries().take(MATTERS_OFFERED) {
            s.push_str(&format!("#   {}  {}\n", e.id, catalogue.path_of(at)));
        }
        if total > MATTERS_OFFERED {
            s.push_str(&format!(
                "#   ……共 {total} 项，完整列表：gongkai report catalogue\n"
            ));
        }
        s.push_str("# 事项: [\"\"]\n");
        s
    };
    match header.find("# 内容概述") {
        Some(at) => format!("{}{lines}{}", &header[..at], &header[at..]),
        None => header,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_with_quotes_reads_back_as_written() {
        let text = config_template("测试");
        let c = crate::config::parse(&text, crate::theme::DEFAULT_TAXONOMY, &|_| {
            Err("none".into())
        })
        .unwrap();
        assert_eq!(c.workbench.max_upload_mb, 100);
        let title = "关于“某事”的 \"通知\" \\ # 不是注释";
        let today = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let doc = document_template(&c, "其他文件", None, title, "00000/2026-00001", today);
        let src = crate::load::parse_source(Path::new("content/a.md"), doc.as_bytes(), &mut vec![])
            .unwrap();
        assert_eq!(src.fields[&"title"].value.as_str(), Some(title));
    }

    #[test]
    fn init_config_parses() {
        let text = config_template("测试");
        let c = crate::config::parse(&text, crate::theme::DEFAULT_TAXONOMY, &|_| {
            Err("none".into())
        })
        .unwrap();
        assert_eq!(c.site_name, "测试");
        assert_eq!(
            c.index_no_template.format("00000", 2026, 1, 7).as_str(),
            "00000/2026-00007"
        );
    }
}
