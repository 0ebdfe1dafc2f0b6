//! Bad input: every case gives a diagnostic naming file, line and field, all at once, no panic.

use std::path::Path;

use crate::harness::{self, doc, errors, Site};

#[test]
fn reports_every_defect_of_a_build_at_once() {
    let s = Site::new();
    s.file(
        "bad-yaml.md",
        "---\ntitle: \"未闭合\npublished: 2024-01-01\n---\n正文\n",
    );
    s.file(
        "unknown-key.md",
        &doc(
            "13502/2024-00001",
            "未知键",
            "publshed: \"2024-01-01\"\n",
            "正文",
        ),
    );
    s.file(
        "month13.md",
        &doc("13502/2024-00002", "月份错误", "", "正文").replace("2024-01-02", "2022-13-01"),
    );
    s.file(
        "slashes.md",
        &doc("13502/2024-00003", "斜杠日期", "", "正文").replace("2024-01-05", "2022/6/9"),
    );
    s.file(
        "disclosure.md",
        &doc("13502/2024-00004", "公开属性错误", "", "正文").replace("主动公开", "公开"),
    );
    s.file(
        "category.md",
        &doc("13502/2024-00005", "分类错误", "", "正文").replace("综合政务", "综合正务"),
    );
    s.file(
        "validity.md",
        &doc(
            "13502/2024-00006",
            "有效性错误",
            "validity: \"有校\"\n",
            "正文",
        ),
    );
    s.file(
        "zz-dup.md",
        &doc("13502/2024-00001", "重复索引号", "", "正文"),
    );
    s.file("empty.md", "");
    s.bytes("gbk.md", b"---\ntitle: \"\xb9\xab\xbf\xaa\"\n---\n");
    s.file(
        "bom.md",
        &format!("\u{feff}{}", doc("13502/2024-00007", "带BOM", "", "正文")),
    );
    s.file(
        "crlf.md",
        &doc("13502/2024-00008", "Windows换行", "", "正文").replace('\n', "\r\n"),
    );
    s.file("noclose.md", "---\ntitle: \"没有结束行\"\n正文\n");
    s.file(
        "item.md",
        &doc("13502/2024-00009", "事项错误", "", "正文").replace("\"20.15\"", "\"20.16\""),
    );
    let r = s.build();
    assert!(!r.written);
    let d = &r.compiled.diagnostics;
    let find = |file: &str, rule: &str| {
        d.iter()
            .find(|x| x.file == Path::new("content").join(file) && x.rule == rule)
            .unwrap_or_else(|| panic!("no {rule} for {file} in {d:#?}"))
    };
    assert_eq!(find("bad-yaml.md", "E003").line.map(|l| l >= 2), Some(true));
    let unknown = find("unknown-key.md", "E004");
    assert_eq!(unknown.line, Some(11));
    assert!(unknown.message.contains("published"), "{}", unknown.message);
    let m13 = find("month13.md", "P04");
    assert_eq!((m13.line, m13.field.as_deref()), (Some(6), Some("written")));
    let slash = find("slashes.md", "P04");
    assert!(
        slash.message.contains("\"2022-06-09\""),
        "{}",
        slash.message
    );
    assert_eq!(slash.field.as_deref(), Some("published"));
    assert_eq!(
        find("disclosure.md", "P01").field.as_deref(),
        Some("disclosure")
    );
    let cat = find("category.md", "P08");
    assert!(
        cat.message.contains("综合政务"),
        "suggests: {}",
        cat.message
    );
    assert_eq!(
        find("validity.md", "E005").field.as_deref(),
        Some("validity")
    );
    assert_eq!(find("zz-dup.md", "P07").field.as_deref(), Some("index_no"));
    find("empty.md", "E002");
    assert_eq!(find("gbk.md", "E001").line, Some(2));
    find("noclose.md", "E002");
    assert_eq!(find("item.md", "E005").field.as_deref(), Some("item"));
    assert!(
        !d.iter()
            .any(|x| x.file.ends_with("bom.md") || x.file.ends_with("crlf.md")),
        "BOM and CRLF are fine"
    );
    for x in d {
        // The site-wide warnings (P21 empty footer, P25 empty items) are about what the
        // configuration lacks: gongkai.toml, no line.
        if x.file != std::path::Path::new("gongkai.toml") {
            assert!(x.line.is_some(), "every finding here has a line: {x:?}");
        }
        assert!(x.help.is_some(), "every finding says how to fix it: {x:?}");
    }
    assert!(errors(&r).len() >= 12);
}

#[test]
fn config_errors_name_the_key_and_suggest() {
    let s = Site::with_config(&format!("{}\n[footer]\nicp_no = \"x\"\n", harness::CONFIG));
    let r = s.build();
    assert!(!r.written);
    let e = errors(&r);
    assert_eq!(e[0].rule, "E004");
    assert_eq!(e[0].file, Path::new("gongkai.toml"));
    assert!(e[0].message.contains("icp"), "{}", e[0].message);
    assert_eq!(e[0].line, Some(11));
}

#[test]
fn missing_config_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = gongkai::pipeline::BuildOptions::new(dir.path());
    o.today = Some(harness::TODAY.parse().unwrap());
    let r = gongkai::pipeline::build(&o).unwrap();
    assert!(!r.written);
    assert!(errors(&r)[0].message.contains("gongkai.toml"));
}

#[test]
fn production_build_requires_footer_identifiers() {
    let s = Site::new();
    s.file("a.md", &doc("13502/2024-00001", "文件", "", "正文"));
    let mut o = s.options();
    o.production = Some(true);
    let r = gongkai::pipeline::build(&o).unwrap();
    assert!(!r.written);
    let p21: Vec<_> = errors(&r).into_iter().filter(|d| d.rule == "P21").collect();
    assert_eq!(p21.len(), 5);
}

#[test]
fn future_documents_wait_for_their_date() {
    let s = Site::new();
    s.file(
        "a.md",
        &doc(
            "13502/2027-00001",
            "明年的文件 FUTURE-MARK",
            "",
            "FUTURE-MARK",
        )
        .replace("2024-01-05", "2027-01-05"),
    );
    let mut o = s.options();
    let r = gongkai::pipeline::build(&o).unwrap();
    assert!(!r.written);
    assert_eq!(errors(&r)[0].rule, "P04");
    o.today = Some("2027-01-05".parse().unwrap());
    assert!(gongkai::pipeline::build(&o).unwrap().written);
}

#[test]
fn images_need_alt_text() {
    let s = Site::new();
    s.bytes("a.png", &[0x89, b'P', b'N', b'G']);
    s.file(
        "a.md",
        &doc("13502/2024-00001", "图片", "", "正文\n\n![](a.png)"),
    );
    let r = s.build();
    assert!(!r.written);
    let e = errors(&r);
    assert_eq!((e[0].rule, e[0].line), ("P19", Some(15)));
    s.file(
        "a.md",
        &doc(
            "13502/2024-00001",
            "图片",
            "",
            "正文\n\n![办公楼外景](a.png)",
        ),
    );
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    assert!(s.public().join("a.png").exists(), "referenced image copied");
}
