//! Bad input: every case gives a diagnostic naming file, line and field, all at once, no panic.
//! The cases are the minimal broken sites under `tests/fixtures/broken/`, one defect each.

use std::path::Path;

use crate::harness::{self, doc, errors, fixture, Site};

/// What a broken fixture site reports.
struct Defect {
    /// `tests/fixtures/<site>`.
    site: &'static str,
    rule: &'static str,
    file: &'static str,
    line: Option<usize>,
    field: Option<&'static str>,
    /// A piece of the message: what was expected, or the suggestion.
    says: &'static str,
}

const fn defect(
    site: &'static str,
    rule: &'static str,
    file: &'static str,
    line: Option<usize>,
    field: Option<&'static str>,
    says: &'static str,
) -> Defect {
    Defect {
        site,
        rule,
        file,
        line,
        field,
        says,
    }
}

#[rustfmt::skip]
const DEFECTS: &[Defect] = &[
    defect("broken/bad-yaml", "E003", "content/bad-yaml.md", Some(2), None, "没有结束的引号"),
    defect("broken/unknown-key", "E004", "content/unknown-key.md", Some(11), Some("publshed"), "是不是想写 “published”"),
    defect("broken/bad-date", "P04", "content/month13.md", Some(6), Some("written"), "月份 01–12"),
    defect("broken/date-with-slashes", "P04", "content/slashes.md", Some(7), Some("published"), "应写作 \"2022-06-09\""),
    defect("broken/bad-disclosure", "P01", "content/disclosure.md", Some(8), Some("disclosure"), "主动公开、依申请公开 或 不予公开"),
    defect("broken/bad-category", "P08", "content/category.md", Some(4), Some("category"), "是不是想写 “综合政务”"),
    defect("broken/bad-validity", "E005", "content/validity.md", Some(11), Some("validity"), "有效、失效、废止"),
    defect("broken/bad-item", "E005", "content/item.md", Some(10), Some("item"), "“20.16” 不是条例事项"),
    defect("broken/duplicate-index-no", "P07", "content/zz-dup.md", Some(3), Some("index_no"), "content/first.md"),
    defect("broken/empty-file", "E002", "content/empty.md", Some(1), None, "空"),
    defect("broken/no-closing-line", "E002", "content/noclose.md", Some(1), None, "没有结束的 --- 行"),
    defect("broken/gbk", "E001", "content/gbk.md", Some(2), None, "GBK"),
    defect("broken/no-disclosure", "P01", "content/no-disclosure.md", Some(2), Some("disclosure"), "不会发布"),
    defect("broken/repealed-before-effective", "P04", "content/a.md", Some(13), Some("repealed"), "废止日期 2022-01-15 早于施行日期 2022-02-01"),
    defect("broken/link-to-withheld", "E007", "content/linker.md", Some(13), None, "content/bygk.md（不予公开）"),
    defect("broken/report-without-data", "P20", "annual/2023.toml", None, None, "content/nb.md"),
    defect("broken/annual", "P20", "annual/2023.toml", Some(2), None, "年报数据文件格式错误"),
    defect("broken/template", "E009", "templates/404.html", None, None, "模板错误"),
    defect("broken/config-key", "E004", "gongkai.toml", Some(11), Some("adress"), "是不是想写 “address”"),
];

fn assert_reported(d: &[&gongkai::diag::Diagnostic], x: &Defect) {
    let found = d
        .iter()
        .find(|f| f.file == Path::new(x.file) && f.rule.as_str() == x.rule)
        .unwrap_or_else(|| panic!("{}: no {} for {} in {d:#?}", x.site, x.rule, x.file));
    assert_eq!(
        (found.line, found.field.as_deref()),
        (x.line, x.field),
        "{}: line and field of {found:#?}",
        x.site
    );
    assert!(
        found.message.contains(x.says),
        "{}: the message says {:?}: {}",
        x.site,
        x.says,
        found.message
    );
    assert!(found.help.is_some(), "{}: says how to fix it", x.site);
}

/// Each broken site alone: the build is refused with exactly its one error, and nothing is
/// written.
#[test]
fn each_broken_fixture_reports_its_one_defect() {
    for x in DEFECTS {
        let s = fixture(x.site);
        let r = s.build();
        assert!(!r.written, "{}: built", x.site);
        assert!(!s.public().exists(), "{}: wrote public/", x.site);
        let e = errors(&r);
        assert_eq!(e.len(), 1, "{}: one error: {e:#?}", x.site);
        assert_reported(&e, x);
    }
}

/// The documents of every broken site in one site, with a BOM and CRLF line ends on two
/// good ones: one build reports every defect at once, each as it does alone.
#[test]
fn reports_every_defect_of_a_build_at_once() {
    let s = Site::new();
    let together: Vec<&Defect> = DEFECTS
        .iter()
        .filter(|x| x.file.starts_with("content/"))
        .collect();
    for x in &together {
        s.merge(x.site);
    }
    // Byte-level variations that are fine, inline because the bytes are the point.
    s.file(
        "bom.md",
        &format!("\u{feff}{}", doc("13502/2024-00007", "带BOM", "", "正文")),
    );
    s.file(
        "crlf.md",
        &doc("13502/2024-00008", "Windows换行", "", "正文").replace('\n', "\r\n"),
    );
    let r = s.build();
    assert!(!r.written);
    let d: Vec<_> = r.compiled.diagnostics.iter().collect();
    for x in &together {
        assert_reported(&d, x);
    }
    assert!(
        !d.iter()
            .any(|x| x.file.ends_with("bom.md") || x.file.ends_with("crlf.md")),
        "BOM and CRLF are fine"
    );
    for x in &d {
        // The site-wide warnings (P21 empty footer, P25 empty items) are about what the
        // configuration lacks: gongkai.toml, no line.
        if x.file != std::path::Path::new("gongkai.toml") {
            assert!(x.line.is_some(), "every finding here has a line: {x:?}");
        }
        assert!(x.help.is_some(), "every finding says how to fix it: {x:?}");
    }
    assert_eq!(errors(&r).len(), together.len());
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
    let p21: Vec<_> = errors(&r)
        .into_iter()
        .filter(|d| d.rule == gongkai::diag::Code::P21)
        .collect();
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
    assert_eq!(errors(&r)[0].rule, gongkai::diag::Code::P04);
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
    assert_eq!((e[0].rule, e[0].line), (gongkai::diag::Code::P19, Some(15)));
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
