//! The review on real documents (issue 15): per-rule counts over the whole corpus with the
//! false alarms gone and the real defects still found, and defects planted in copies of
//! corpus documents, each with near misses that must stay silent. Both print their figures.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use gongkai::diag::{Diagnostic, Severity};
use gongkai::pipeline;

use crate::harness::{self, Site};

/// The corpus as one site with the default rule levels (what an editor would see).
const CORPUS_CONFIG: &str = "site_name = \"语料\"\nbase_url = \"https://c.example.gov.cn/\"\n[organisation]\nname = \"测试\"\ncode = \"CORPUS\"\n";

/// Every finding of `check` over the corpus, severities applied.
fn corpus_findings() -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gongkai.toml"), CORPUS_CONFIG).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(harness::corpus_docs(), dir.path().join("content")).unwrap();
    let mut o = pipeline::BuildOptions::new(dir.path());
    o.today = Some(harness::TODAY.parse().unwrap());
    let p = pipeline::prepare(&o).unwrap_or_else(|d| panic!("{d:#?}"));
    p.site.config.rules.apply(p.diagnostics)
}

/// The text of a corpus document.
fn corpus(name: &str) -> String {
    std::fs::read_to_string(harness::corpus_docs().join(name)).unwrap()
}

/// Prints, per rule, the findings and the documents they are on (the figures of the README's
/// rule table), and checks what issue 15 changed on the real documents: the false alarms it
/// names are gone, the real defects are still found.
#[test]
fn corpus_rule_counts_and_the_false_alarms_of_issue_15() {
    let d = corpus_findings();
    let mut by_rule: BTreeMap<&str, (usize, usize, BTreeSet<&Path>)> = BTreeMap::new();
    for x in &d {
        let e = by_rule.entry(x.rule.as_str()).or_default();
        if x.severity == Severity::Error {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
        e.2.insert(x.file.as_path());
    }
    eprintln!("rule\terrors\twarnings\tdocuments");
    for (rule, (e, w, files)) in &by_rule {
        eprintln!("{rule}\t{e}\t{w}\t{}", files.len());
    }
    let m = harness::manifest();
    let row = |file: &Path| {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        m.iter().find(|r| r["file"] == stem).unwrap().clone()
    };
    let on = |rule: &str, file: &str| -> Vec<&Diagnostic> {
        d.iter()
            .filter(|x| x.rule.as_str() == rule && x.file == Path::new("content").join(file))
            .collect()
    };
    // Item 1: at most one placeholder finding per document; none in 行政法规 or 规章, none
    // in a list of form files; the elided sums of a 复函 remain, once, with their count.
    let placeholders: Vec<_> = d
        .iter()
        .filter(|x| x.rule == gongkai::diag::Code::P17 && x.message.contains("占位符"))
        .collect();
    assert_eq!(placeholders.len(), 1, "{placeholders:#?}");
    assert_eq!(
        placeholders[0].message,
        "有 4 处未替换的占位符（XX、×× 等），第一处是正文第 29 行的“XXX”"
    );
    assert_eq!(placeholders[0].file, Path::new("content/govcn-0042.md"));
    assert!(on("P17", "lawref-bmgz-0004.md").is_empty());
    assert!(on("P17", "hebei-kjt-0012.md").is_empty());
    // Item 9: every title cut short by its source's list is reported, once, and nothing else
    // about its brackets.
    let cut: Vec<_> = m
        .iter()
        .filter(|r| r["title"].ends_with("...") || r["title"].ends_with('…'))
        .collect();
    assert_eq!(cut.len(), 16);
    for r in &cut {
        let f = on("P17", &format!("{}.md", r["file"]));
        assert_eq!(f.len(), 1, "{}: {f:#?}", r["file"]);
        assert!(f[0].message.contains("可能被截断了"), "{}", f[0].message);
    }
    // Item 2: P05 only for documents written after the 条例 took effect.
    let p05: Vec<_> = d
        .iter()
        .filter(|x| x.rule == gongkai::diag::Code::P05)
        .collect();
    assert!(!p05.is_empty());
    for x in &p05 {
        assert!(row(&x.file)["written"].as_str() >= "2008-05-01", "{x:?}");
    }
    assert!(on("P05", "govcn-0040.md").is_empty(), "written 1981");
    // Item 3: the amended versions of one 行政法规 are not duplicates; two sources' copies
    // of one text and a body entered twice are; a 文号 of an amending decision is a warning.
    for f in [
        "lawref-xzfg-0004.md",
        "lawref-xzfg-0005.md",
        "lawref-xzfg-0638.md",
    ] {
        assert!(on("P07", f).is_empty(), "{f}");
    }
    let p07_errors: BTreeSet<_> = d
        .iter()
        .filter(|x| x.rule == gongkai::diag::Code::P07 && x.severity == Severity::Error)
        .map(|x| x.file.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        p07_errors,
        BTreeSet::from(
            [
                "content/hebei-kjt-0067.md",
                "content/lawref-xzfg-0003.md",
                "content/lawref-xzfg-0010.md"
            ]
            .map(String::from)
        )
    );
    let amending = on("P07", "hebei-zfgz-0065.md");
    assert_eq!(amending.len(), 1);
    assert_eq!(amending[0].severity, Severity::Warn);
    assert!(
        amending[0].message.contains(
            "正文第 16 行（“根据2002年9月24日河北省人民政府令〔2002〕第16号第一次修正”）"
        ),
        "{}",
        amending[0].message
    );
    // Item 4: no 解读 asked of 规章 from before 2013.
    for x in d.iter().filter(|x| x.rule == gongkai::diag::Code::P13) {
        let r = row(&x.file);
        let date = if r["written"].is_empty() {
            &r["published"]
        } else {
            &r["written"]
        };
        assert!(date.as_str() >= "2013-01-01", "{x:?}");
    }
    // Items 5–7: the new scans raise no alarm on the real corpus; the three real personal
    // numbers are still found.
    assert_eq!(by_rule.get("P14").map_or(0, |r| r.2.len()), 0);
    assert_eq!(by_rule.get("P16").map_or(0, |r| r.2.len()), 0);
    assert_eq!(
        d.iter()
            .filter(|x| x.rule == gongkai::diag::Code::P15)
            .count(),
        3
    );
    // Item 8: a copied body is reported on both files.
    assert!(on("P23", "hebei-kjt-0024.md")
        .iter()
        .any(|x| x.message.contains("hebei-kjt-0067.md")));
    assert!(on("P23", "hebei-kjt-0067.md")
        .iter()
        .any(|x| x.message.contains("hebei-kjt-0024.md")));
    // Item 10: a second-level class named as such, not "国防".
    let p08 = on("P08", "hebei-szfbgt-0078.md");
    assert_eq!(
        p08[0].message,
        "主题分类 “公路” 是 “工业、交通” 下的二级分类，不是一级分类：写成 主题分类: \"工业、交通\\公路\""
    );
    // An empty (null) field is reported on its own line.
    let empty = on("P03", "hebei-szfbgt-0078.md")
        .into_iter()
        .find(|x| x.field.as_deref() == Some("written"))
        .unwrap();
    assert_eq!(empty.line, Some(7));
    assert!(empty
        .message
        .starts_with("必填字段 written（成文日期）是空的"));
}

// ---------------------------------------------------------------------------------------
// The planted set

/// Findings of `check` on a site, severities applied.
fn check(s: &Site) -> Vec<Diagnostic> {
    let p = pipeline::prepare(&s.options()).unwrap_or_else(|d| panic!("{d:#?}"));
    p.site.config.rules.apply(p.diagnostics)
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("“{needle}” not in the text"))
        + 1
}

/// `text` with `new` inserted as a paragraph after the first line containing `after`.
fn after_line(text: &str, after: &str, new: &str) -> String {
    let n = line_of(text, after);
    let mut lines: Vec<&str> = text.lines().collect();
    let para = format!("\n{new}\n");
    lines.insert(n, &para);
    lines.join("\n") + "\n"
}

/// `text` with its first `old` replaced.
fn replace(text: &str, old: &str, new: &str) -> String {
    assert!(text.contains(old), "“{old}” not in the text");
    text.replacen(old, new, 1)
}

/// What a planted case expects of its rule on its file.
enum Expect {
    /// The rule fires, on this line (if given), with a message containing this text.
    Fires(Option<usize>, &'static str),
    /// The rule fires, acknowledged by the document's `review_ok`.
    Acknowledged,
    /// The rule stays silent: a near miss.
    Silent,
}

struct Case {
    item: u8,
    what: &'static str,
    rule: &'static str,
    text: String,
    expect: Expect,
}

fn case(item: u8, what: &'static str, rule: &'static str, text: String, expect: Expect) -> Case {
    Case {
        item,
        what,
        rule,
        text,
        expect,
    }
}

/// A valid 18-digit 身份证号 from its first 17 digits (GB 11643 check character).
fn with_check(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// One defect planted in a copy of a real document per case, and near misses that must stay
/// silent; prints the recall and the near misses kept silent.
#[test]
fn planted_defects_are_found_and_near_misses_stay_silent() {
    let kind_other = |t: &str| t.replace("kind: \"规章\"", "kind: \"其他文件\"");
    let g1 = corpus("govcn-0001.md");
    let g45 = corpus("govcn-0045.md");
    let id = with_check("13082119650722031");
    let grouped_id = format!("{} {} {}", &id[..6], &id[6..14], &id[14..]);
    let mut wrong_check = id.clone();
    wrong_check.replace_range(17.., if id.ends_with('0') { "1" } else { "0" });
    let wrong_grouped = format!(
        "{} {} {}",
        &wrong_check[..6],
        &wrong_check[6..14],
        &wrong_check[14..]
    );
    let short_reply = "武警总部：\n\n同意武警总部后勤部机关及部分直属单位迁址新建，所需建设资金由你们自筹解决，其他有关具体事宜请商北京市政府和有关部门办理。\n\n国务院　中央军委\n\n一九九六年十一月五日\n";
    // The header of a short 批复, up to and with its closing `---` and a blank line.
    let g45_head = &g45[..g45[4..].find("\n---\n").unwrap() + 4 + "\n---\n\n".len()];
    let cases = vec![
        // Item 1: P17 placeholders, one finding per document.
        case(
            1,
            "three placeholders left in a 意见",
            "P17",
            replace(
                &replace(
                    &g1,
                    "各省、自治区、直辖市人民政府",
                    "XX省、自治区、直辖市人民政府",
                ),
                "是党中央、国务院作出的重大决策部署",
                "是XX作出的××决策部署",
            ),
            Expect::Fires(
                Some(line_of(&g1, "各省、自治区、直辖市人民政府")),
                "有 3 处未替换的占位符（XX、×× 等），第一处是正文第",
            ),
        ),
        case(
            1,
            "a placeholder in a quoted template",
            "P17",
            after_line(
                &g1,
                "各省、自治区、直辖市人民政府",
                "公示牌统一标注“××市场监管局双随机抽查公示”字样。",
            ),
            Expect::Silent,
        ),
        case(
            1,
            "a placeholder where a 格式 is prescribed",
            "P17",
            after_line(
                &g1,
                "各省、自治区、直辖市人民政府",
                "抽查结果编号的格式为：XX〔年份〕XX号。",
            ),
            Expect::Silent,
        ),
        case(
            1,
            "a 规章 prescribing standard wording (real)",
            "P17",
            corpus("lawref-bmgz-0004.md"),
            Expect::Silent,
        ),
        case(
            1,
            // Filed as 其他文件, the placeholders in the sentences of 规范用语 stay silent;
            // the one in the sentence after them is reported.
            "the same text filed as 其他文件",
            "P17",
            kind_other(&corpus("lawref-bmgz-0004.md")),
            Expect::Fires(
                Some(line_of(&corpus("lawref-bmgz-0004.md"), "请到XXX银行")),
                "正文有未替换的占位符“XXX”",
            ),
        ),
        case(
            1,
            "a list of form files (real)",
            "P17",
            corpus("hebei-kjt-0012.md"),
            Expect::Silent,
        ),
        case(
            1,
            "acknowledged in the header with a reason",
            "P17",
            replace(
                &corpus("govcn-0042.md"),
                "kind: \"其他文件\"\n",
                "kind: \"其他文件\"\nreview_ok:\n  P17: \"原件即以 XXX 隐去金额\"\n",
            ),
            Expect::Acknowledged,
        ),
        // Item 2: P05.
        case(
            2,
            "published 2 months after 成文",
            "P05",
            replace(
                &g1,
                "published: \"2019-02-15\"",
                "published: \"2019-04-15\"",
            ),
            Expect::Fires(Some(9), "超过条例第二十六条规定的 20 个工作日"),
        ),
        case(
            2,
            "published within 20 working days (real)",
            "P05",
            g1.clone(),
            Expect::Silent,
        ),
        case(
            2,
            "written 1996, uploaded 2018 (real)",
            "P05",
            corpus("govcn-0019.md"),
            Expect::Silent,
        ),
        case(
            2,
            "a re-post of another body's document",
            "P05",
            replace(
                &g1,
                "published: \"2019-02-15\"",
                "published: \"2019-04-15\"\nrepost: \"国务院\"",
            ),
            Expect::Silent,
        ),
        // Item 4: P13.
        case(
            4,
            "a 规章 of 2022 without 解读",
            "P13",
            corpus("lawref-bmgz-0003.md"),
            Expect::Fires(Some(11), "规章没有政策解读"),
        ),
        case(
            4,
            "a 规章 of 2002 (real)",
            "P13",
            corpus("hebei-zfgz-0065.md"),
            Expect::Silent,
        ),
        // Item 5: P14.
        case(
            5,
            "a bare 密级 line in the 版头",
            "P14",
            replace(
                &g1,
                "\n国务院关于在市场监管领域全面推行\n",
                "\n000123　机密\n\n国务院关于在市场监管领域全面推行\n",
            ),
            Expect::Fires(Some(17), "版头有密级“机密”"),
        ),
        case(
            5,
            "秘 密 spaced out, with 特急",
            "P14",
            replace(
                &g1,
                "\n国务院关于在市场监管领域全面推行\n",
                "\n秘　密　特急\n\n国务院关于在市场监管领域全面推行\n",
            ),
            Expect::Fires(Some(17), "版头有密级“秘　密”"),
        ),
        case(
            5,
            "保守国家秘密 in prose (real)",
            "P14",
            corpus("hebei-zfgz-0068.md"),
            Expect::Silent,
        ),
        case(
            5,
            "a 密级 word alone deep in the body",
            "P14",
            after_line(&g1, "四、保障措施", "秘密"),
            Expect::Silent,
        ),
        // Item 6: P15.
        case(
            6,
            "an ID written in groups",
            "P15",
            after_line(
                &g1,
                "各省、自治区、直辖市人民政府",
                &format!("联系人身份证号：{grouped_id}。"),
            ),
            Expect::Fires(
                Some(line_of(&g1, "各省、自治区、直辖市人民政府") + 2),
                "有居民身份证号“130***********",
            ),
        ),
        case(
            6,
            "a grouped number with a wrong check digit",
            "P15",
            after_line(
                &g1,
                "各省、自治区、直辖市人民政府",
                &format!("档案编号：{wrong_grouped}。"),
            ),
            Expect::Silent,
        ),
        case(
            6,
            "a 15-digit old ID",
            "P15",
            after_line(
                &g1,
                "各省、自治区、直辖市人民政府",
                "原身份证号130821650722031。",
            ),
            Expect::Fires(None, "疑似旧式 15 位居民身份证号"),
        ),
        case(
            6,
            "a 15-digit registration number",
            "P15",
            after_line(
                &g1,
                "各省、自治区、直辖市人民政府",
                "注册号130000000012345。",
            ),
            Expect::Silent,
        ),
        case(
            6,
            "a +86 mobile number",
            "P15",
            after_line(
                &g1,
                "各省、自治区、直辖市人民政府",
                "联系电话+8613912345678。",
            ),
            Expect::Fires(None, "有手机号码“+86 139****5678”"),
        ),
        // Item 7: P16.
        case(
            7,
            "内部资料 as a marking inside prose",
            "P16",
            after_line(
                &g1,
                "各省、自治区、直辖市人民政府",
                "本意见为内部资料，请勿外传。",
            ),
            Expect::Fires(None, "内部资料"),
        ),
        case(
            7,
            "此件不公开 at the end",
            "P16",
            after_line(&g1, "四、保障措施", "（此件不公开）"),
            Expect::Fires(None, "写明“此件不公开”，与公开属性“主动公开”矛盾"),
        ),
        case(
            7,
            "此件公开发布 (real)",
            "P16",
            corpus("govcn-0059.md"),
            Expect::Silent,
        ),
        case(
            7,
            "内部资料性出版物 and 印刷内部资料 (real)",
            "P16",
            corpus("hebei-szfbgt-0079.md"),
            Expect::Silent,
        ),
        case(
            7,
            "注意保存 as advice",
            "P16",
            after_line(
                &g1,
                "各省、自治区、直辖市人民政府",
                "请企业注意保存抽查告知书。",
            ),
            Expect::Silent,
        ),
        // Item 8: P23, a short 复函 pasted twice.
        case(
            8,
            "a short reply pasted twice",
            "P23",
            format!("{g45_head}{short_reply}\n{short_reply}"),
            Expect::Fires(
                Some(g45_head.lines().count() + short_reply.lines().count() + 2),
                "重复了一遍开头的内容",
            ),
        ),
        case(
            8,
            "the same short reply once",
            "P23",
            format!("{g45_head}{short_reply}"),
            Expect::Silent,
        ),
        // Item 9: truncated titles.
        case(
            9,
            "a title cut by a list (real)",
            "P17",
            corpus("hebei-kjt-0193.md"),
            Expect::Fires(Some(2), "标题以“...”结尾，可能被截断了"),
        ),
        case(
            9,
            "a title cut with …",
            "P17",
            replace(&g1, "“双随机、一公开”监管的意见\"", "“双随机、一…\""),
            Expect::Fires(Some(2), "标题以“…”结尾，可能被截断了"),
        ),
        // Item 10: messages.
        case(
            10,
            "an unbalanced title says 标题 once",
            "P17",
            replace(
                &g1,
                "“双随机、一公开”监管的意见\"",
                "《双随机、一公开监管的意见\"",
            ),
            Expect::Fires(Some(2), "标题中的“《”没有对应的“》”"),
        ),
        case(
            10,
            "the year outside empty brackets",
            "P06",
            replace(&g1, "国发〔2019〕5号\"", "国发2019〔〕5号\""),
            Expect::Fires(
                Some(7),
                "文号“国发2019〔〕5号”的年份“2019”写在了括号外面，括号里是空的",
            ),
        ),
        case(
            10,
            "a 公文 文种 as the 文种",
            "E005",
            replace(&g1, "kind: \"其他文件\"", "kind: \"通知\""),
            Expect::Fires(Some(12), "“通知” 是公文的文种"),
        ),
        case(
            10,
            "an empty 发布机构 on its own line",
            "P03",
            replace(&g1, "issuer: \"国务院\"", "issuer: \"\""),
            Expect::Fires(Some(6), "必填字段 issuer（发布机构）是空的"),
        ),
        // Item 11: YAML mistakes on their line.
        case(
            11,
            "a full-width colon",
            "E003",
            replace(&g1, "issuer: \"国务院\"", "发布机构：\"国务院\""),
            Expect::Fires(
                Some(6),
                "第 6 行字段名“发布机构”后面用了全角冒号“：”，应使用英文冒号“:”",
            ),
        ),
        case(
            11,
            "a tab before a key",
            "E003",
            replace(&g1, "issuer: \"国务院\"", "\tissuer: \"国务院\""),
            Expect::Fires(Some(6), "第 6 行开头是制表符（Tab）：YAML 不能用 Tab 缩进"),
        ),
        case(
            11,
            "an unclosed quote",
            "E003",
            replace(&g1, "issuer: \"国务院\"", "issuer: \"国务院"),
            Expect::Fires(
                Some(6),
                "第 6 行的值以引号 \" 开始，但这一行没有结束的引号 \"",
            ),
        ),
    ];
    let (mut planted, mut found, mut near, mut silent) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for c in &cases {
        let s = Site::new();
        s.file("doc.md", &c.text);
        let d = check(&s);
        let hits: Vec<&Diagnostic> = d
            .iter()
            .filter(|x| x.rule.as_str() == c.rule && x.file == Path::new("content/doc.md"))
            .collect();
        let ok = match &c.expect {
            Expect::Fires(line, text) => {
                planted += 1;
                // P17 and P23 report once per document; other rules may also report other
                // (real) defects of the copied document.
                let once = !matches!(c.rule, "P17" | "P23") || hits.len() == 1;
                let mine: Vec<_> = hits.iter().filter(|h| h.message.contains(text)).collect();
                let ok = once
                    && mine.len() == 1
                    && mine[0].severity != Severity::Allow
                    && !mine[0].message.contains("标题标题")
                    && line.is_none_or(|l| mine[0].line == Some(l));
                found += usize::from(ok);
                ok
            }
            Expect::Acknowledged => {
                planted += 1;
                let ok = hits.len() == 1
                    && hits[0].severity == Severity::Allow
                    && hits[0].acknowledged.as_deref() == Some("原件即以 XXX 隐去金额");
                found += usize::from(ok);
                ok
            }
            Expect::Silent => {
                near += 1;
                silent += usize::from(hits.is_empty());
                hits.is_empty()
            }
        };
        if !ok {
            failures.push(format!(
                "item {} {} ({}): {hits:#?}",
                c.item, c.what, c.rule
            ));
        }
    }
    eprintln!(
        "planted defects found: {found} of {planted} (recall {:.0} %); near misses silent: {silent} of {near}",
        100.0 * found as f64 / planted as f64
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The harness configuration with the rules real documents cannot meet relaxed, so that a
/// site of corpus documents builds.
fn relaxed() -> String {
    format!(
        "{}\n[rules]\nE010 = \"warn\"\nP03 = \"warn\"\nP08 = \"warn\"\nP09 = \"warn\"\nP11 = \"warn\"\n",
        harness::CONFIG
    )
}

/// Item 3: the amended versions of one 行政法规 share its 令 number. They build (no P07
/// error), and each page's 文件沿革 links the other version with its date.
#[test]
fn versions_of_one_regulation_build_and_link_each_other() {
    let s = Site::with_config(&relaxed());
    s.file("v2010.md", &corpus("lawref-xzfg-0004.md"));
    s.file("v2023.md", &corpus("lawref-xzfg-0005.md"));
    // A different document with the same 文号 is still a duplicate.
    let other = replace(
        &corpus("lawref-xzfg-0024.md"),
        "doc_no: \"民政部令第14号\"",
        "doc_no: \"国令第306号\"",
    )
    .replace("issuer: \"民政部\"", "issuer: \"国务院\"");
    s.file("z-other.md", &other);
    let d = check(&s);
    let p07: Vec<_> = d
        .iter()
        .filter(|x| x.rule == gongkai::diag::Code::P07)
        .collect();
    assert_eq!(p07.len(), 1, "{p07:#?}");
    assert_eq!(p07[0].file, Path::new("content/z-other.md"));
    assert_eq!(p07[0].severity, Severity::Error);
    std::fs::remove_file(s.root().join("content/z-other.md")).unwrap();
    let r = s.build();
    assert!(
        !r.compiled
            .diagnostics
            .iter()
            .any(|x| x.rule == gongkai::diag::Code::P07 || x.rule == gongkai::diag::Code::E008),
        "{:#?}",
        r.compiled.diagnostics
    );
    let site = r.compiled.site.as_ref().unwrap();
    let page = |title_date: &str| {
        let d = site
            .docs
            .iter()
            .find(|d| d.written.map(|w| w.to_string()).as_deref() == Some(title_date))
            .unwrap();
        s.read(d.page_path())
    };
    let new = page("2023-12-11");
    assert!(
        new.contains("本文件替代：<a") && new.contains("（2010-01-09 发布）"),
        "{new}"
    );
    let old = page("2010-01-09");
    assert!(
        old.contains("本文件已被替代：<a") && old.contains("（2023-12-11 发布）"),
        "{old}"
    );
    // Versions linked by the editor (by 索引号) need not share a title.
    let s = Site::new();
    s.file(
        "v2010.md",
        &replace(
            &corpus("lawref-xzfg-0004.md"),
            "index_no: null",
            "index_no: \"13502/2010-00001\"",
        ),
    );
    s.file(
        "v2023.md",
        &replace(
            &replace(
                &corpus("lawref-xzfg-0005.md"),
                "title: \"中华人民共和国专利法实施细则\"",
                "title: \"专利法实施细则（2023年修订）\"",
            ),
            "index_no: null",
            "index_no: \"13502/2023-00001\"\nreplaces: \"13502/2010-00001\"",
        ),
    );
    assert!(!check(&s).iter().any(|x| x.rule == gongkai::diag::Code::P07));
}

/// Item 1: `review_ok` acknowledges per document, shown in `check` as acknowledged with its
/// reason and counted; it cannot acknowledge personal data, and a stale entry is reported.
#[test]
fn acknowledged_findings_are_shown_counted_and_limited() {
    let s = Site::new();
    s.file(
        "ack.md",
        &replace(
            &corpus("govcn-0042.md"),
            "kind: \"其他文件\"\n",
            "kind: \"其他文件\"\nreview_ok: [\"P17：原件即以 XXX 隐去金额\", \"P15: 是服务电话\"]\n",
        ),
    );
    s.file(
        "stale.md",
        &replace(
            &corpus("govcn-0001.md"),
            "kind: \"其他文件\"\n",
            "kind: \"其他文件\"\nreview_ok: {P23: \"两份通知正文相同\"}\n",
        ),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--today", harness::TODAY, "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("已确认 acknowledged[P17] content/ack.md:30:63"),
        "{text}"
    );
    assert!(
        text.contains("确认理由 (review_ok): 原件即以 XXX 隐去金额"),
        "{text}"
    );
    assert!(
        text.contains("P15 不能用 review_ok 确认"),
        "personal data cannot be acknowledged: {text}"
    );
    assert!(
        text.contains("review_ok 确认了 P23，但本文件没有 P23 的提示"),
        "{text}"
    );
    assert!(text.contains(", 1 个已确认 ("), "{text}");
    let json = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args([
            "check",
            "--today",
            harness::TODAY,
            "--format",
            "json",
            "--root",
        ])
        .arg(s.root())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["acknowledged"], 1);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "P17")
        .unwrap();
    assert_eq!(f["severity"], "allow");
    assert_eq!(f["acknowledged"], "原件即以 XXX 隐去金额");
}

/// Item 7: 此件不公开 is an error even when P16 is relaxed to "allow".
#[test]
fn a_text_that_says_it_is_not_public_is_an_error_whatever_the_config() {
    let s = Site::with_config(&format!("{}\n[rules]\nP16 = \"allow\"\n", harness::CONFIG));
    s.file(
        "doc.md",
        &after_line(
            &corpus("govcn-0001.md"),
            "四、保障措施",
            "（此件依申请公开）",
        ),
    );
    let d = check(&s);
    let f = d
        .iter()
        .find(|x| x.rule == gongkai::diag::Code::P16)
        .expect("reported");
    assert_eq!(f.severity, Severity::Error);
    assert!(!s.build().written);
}

/// Item 4: the P13 cut-off date is a setting.
#[test]
fn the_p13_cut_off_date_is_configurable() {
    let s = Site::with_config(&format!(
        "{}\n[review]\ninterpretation_since = \"2023-01-01\"\n",
        harness::CONFIG
    ));
    s.file("doc.md", &corpus("lawref-bmgz-0003.md"));
    assert!(!check(&s).iter().any(|x| x.rule == gongkai::diag::Code::P13));
}

/// Item 11: the YAML mistake in human output (caret under the colon) and in JSON (line and
/// column kept).
#[test]
fn yaml_mistakes_show_the_line_with_a_caret_and_keep_line_and_column_in_json() {
    let s = Site::new();
    s.file(
        "doc.md",
        &replace(
            &corpus("govcn-0001.md"),
            "issuer: \"国务院\"",
            "发布机构：\"国务院\"",
        ),
    );
    let run = |format: &str| {
        Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args([
                "check",
                "--today",
                harness::TODAY,
                "--format",
                format,
                "--root",
            ])
            .arg(s.root())
            .output()
            .unwrap()
    };
    let human = String::from_utf8_lossy(&run("human").stderr).into_owned();
    assert!(
        human.contains("错误 error[E003] content/doc.md:6:5"),
        "{human}"
    );
    assert!(human.contains("6 | 发布机构：\"国务院\""), "{human}");
    assert!(human.contains("  |         ^^"), "{human}");
    let v: serde_json::Value = serde_json::from_slice(&run("json").stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "E003")
        .unwrap();
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(6), Some(5))
    );
    assert_eq!(f["field"], "issuer");
}

/// Item 12: JSON, with an error finding, whatever stops the check.
#[test]
fn json_whatever_stops_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let no_content = dir.path().join("no-content");
    std::fs::create_dir_all(&no_content).unwrap();
    std::fs::write(no_content.join("gongkai.toml"), harness::CONFIG).unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--root".into(), no_content.display().to_string()],
            "E001",
        ),
        (
            vec![
                "--root".into(),
                no_content.display().to_string(),
                "--today".into(),
                "2024-13-01".into(),
            ],
            "E005",
        ),
        (
            vec![
                "--root".into(),
                dir.path().join("missing").display().to_string(),
            ],
            "E001",
        ),
    ];
    for (args, rule) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["check", "--format", "json"])
            .args(&args)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {:?}", out.stdout));
        assert!(v["errors"].as_u64() >= Some(1), "{v}");
        assert_eq!(v["findings"][0]["rule"], rule, "{args:?}: {v}");
        assert_ne!(out.status.code(), Some(0));
    }
}

/// Item 10: an OS error reaches the editor in Chinese first.
#[test]
fn os_errors_are_named_in_chinese_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("无法读取站点配置")
            && text.contains("：文件或目录不存在 (No such file or directory"),
        "{text}"
    );
}
