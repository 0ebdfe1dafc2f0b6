//! Issue 18: the 政务公开事项标准目录. A county site (`tests/fixtures/standard/`: two 领域 in
//! the layout of the county tables, documents linked to items, a withheld and a draft one, a
//! 失效 规范性文件 cited as 公开依据) is built; the tests check the rendered ten-column table, its
//! marks and links, the counts, the open data, each review rule (a 20-working-day limit across
//! 国庆 2024 included), the report, the import of .xlsx and .docx tables, and errors with lines.

use std::path::{Path, PathBuf};

use gongkai::catalogue::parse::parse_all;
use gongkai::diag::Diagnostic;
use gongkai::pipeline::{self, BuildOptions};

use crate::harness::{self, TODAY};

fn fixture() -> PathBuf {
    harness::fixtures_dir().join("standard")
}

/// A fresh copy of the county site.
fn county() -> harness::Site {
    harness::fixture("standard")
}

fn options(root: &Path) -> BuildOptions {
    let mut o = BuildOptions::new(root);
    o.today = Some(TODAY.parse().unwrap());
    o.skip_search = true;
    o
}

fn build(root: &Path) -> Vec<Diagnostic> {
    let r = pipeline::build(&options(root)).expect("build runs");
    let errors = harness::errors(&r);
    assert!(errors.is_empty(), "errors: {errors:#?}");
    assert!(r.written);
    r.compiled.diagnostics
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join("public").join(rel))
        .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
}

/// The catalogue files of the fixture, parsed by the library (what the assertions count from).
fn catalogue() -> gongkai::catalogue::Catalogue {
    let files = gongkai::load::read_catalogue(&fixture());
    let (c, d) = parse_all(&files);
    assert!(d.is_empty(), "{d:#?}");
    c
}

fn findings<'a>(diags: &'a [Diagnostic], rule: &str) -> Vec<&'a Diagnostic> {
    diags.iter().filter(|d| d.rule.as_str() == rule).collect()
}

/// The finding among `found` whose message contains `text`, or a failure that lists them.
fn saying<'a>(found: &[&'a Diagnostic], text: &str) -> &'a Diagnostic {
    found
        .iter()
        .find(|d| d.message.contains(text))
        .copied()
        .unwrap_or_else(|| panic!("no finding says “{text}”: {found:#?}"))
}

#[test]
fn renders_the_ten_column_table_with_marks_and_links() {
    let site = county();
    build(site.root());
    let cat = catalogue();
    let area = cat.areas.iter().find(|a| a.name == "重大建设项目").unwrap();
    assert_eq!(area.slug, "zdjsxm");
    let html = read(site.root(), "bzml/zdjsxm/index.html");
    for head in [
        "序号",
        "公开事项",
        "一级事项",
        "二级事项",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "全社会",
        "特定群体",
        "公开方式",
        "主动",
        "依申请",
        "公开层级",
        "县级",
        "乡、村级",
    ] {
        assert!(
            html.contains(&format!(">{head}</th>")),
            "column head {head}"
        );
    }
    // One √ per ticked value, one ■ per channel, as the file says.
    let ticks: usize = area
        .entries
        .iter()
        .map(|e| e.audience.len() + e.modes.len() + e.levels.len())
        .sum();
    let channels: usize = area.entries.iter().map(|e| e.channels.len()).sum();
    assert_eq!(html.matches(">√</span>").count(), ticks);
    assert_eq!(html.matches(">■</span>").count(), channels);
    // The printed checklist keeps the ticked (■) channels only.
    assert_eq!(
        area.entries[0].channels,
        ["政府网站", "两微一端", "公开查阅点", "政务服务中心"]
    );
    assert!(!html.contains("政府公报"));
    // Every 二级事项 links to its page, which exists; 一级事项 spans its rows.
    for e in &area.entries {
        let href = format!("href=\"/xxgk/bzml/zdjsxm/{}/\"", e.id);
        assert!(html.contains(&href), "{href}");
        assert!(site
            .root()
            .join(format!("public/bzml/zdjsxm/{}/index.html", e.id))
            .is_file());
    }
    assert!(html.contains("<th scope=\"rowgroup\" rowspan=\"2\" class=\"first\">批准服务信息</th>"));
    // The 依申请 item and the items without documents say so.
    assert_eq!(html.matches("<span class=\"none\">尚无</span>").count(), 2);
}

#[test]
fn item_pages_list_documents_newest_first_with_the_latest_date() {
    let site = county();
    build(site.root());
    let page = read(site.root(), "bzml/zdjsxm/zdjsxm-02/index.html");
    let late = page
        .find("可行性研究报告的批复")
        .expect("the late 批复 is listed");
    let on_time = page
        .find("初步设计的批复")
        .expect("the on-time 批复 is listed");
    assert!(late < on_time, "newest (2024-10-24) first");
    assert!(page.contains("最近发布于 <time datetime=\"2024-10-24\">"));
    // The table shows the count and the latest date too.
    let table = read(site.root(), "bzml/zdjsxm/index.html");
    assert!(table.contains("2 条</a><span class=\"latest\">最近 <time datetime=\"2024-10-24\">"));
    // A document page names the items it fulfils.
    // The county's column is at /xxgk/: its documents are directly under it (issue 16).
    let doc = read(site.root(), "13082/2024-00002.html");
    assert!(doc.contains("标准目录事项：<a href=\"/xxgk/bzml/zdjsxm/zdjsxm-02/\">重大建设项目 › 批准服务信息 › 批准结果</a>"));
}

#[test]
fn index_counts_items_and_documents_per_area() {
    let site = county();
    build(site.root());
    let html = read(site.root(), "bzml/index.html");
    // 重大建设项目: 5 items, 4 主动; documents on 01, 02 (two), 04 → 3 items, 4 documents;
    // 03 has only a withheld and a draft document, so it has none.
    // The text of the first five cells of a 领域's row.
    let cells = |name: &str| -> Vec<String> {
        let at = html.find(&format!(">{name}</a></th>")).unwrap();
        let end = at + html[at..].find("</tr>").unwrap();
        html[at..end]
            .split("<td")
            .skip(1)
            .take(5)
            .map(|c| {
                c.split('>')
                    .nth(1)
                    .unwrap()
                    .split('<')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(cells("重大建设项目"), ["5", "4", "3", "2", "4 条"]);
    assert_eq!(cells("义务教育"), ["2", "2", "2", "0", "2 条"]);
    // The column is outside the four statutory ones and in the navigation.
    let home = read(site.root(), "index.html");
    assert!(home.contains("href=\"/xxgk/bzml/\""));
    let nav = |rel: &str| home.find(&format!("href=\"/xxgk/{rel}\"")).unwrap();
    assert!(
        nav("zfxxgknb/") < nav("bzml/"),
        "after the four statutory columns"
    );
}

#[test]
fn withheld_and_draft_documents_never_reach_the_pages_or_the_open_data() {
    let site = county();
    build(site.root());
    for (rel, bytes) in harness::tree(&site.root().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for marker in [
            "LEAK-STANDARD-YSQ",
            "LEAK-STANDARD-DRAFT",
            "某标段中标结果",
            "13082/2024-0009",
        ] {
            assert!(!text.contains(marker), "{marker} in public/{rel}");
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&read(site.root(), "bzml/standard-catalogue.json")).unwrap();
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "zdjsxm-03")
        .unwrap();
    assert_eq!(item["documents"].as_array().unwrap().len(), 0);
}

#[test]
fn open_data_lists_every_item_and_is_formula_safe() {
    let site = county();
    build(site.root());
    let cat = catalogue();
    let json: serde_json::Value =
        serde_json::from_str(&read(site.root(), "bzml/standard-catalogue.json")).unwrap();
    assert_eq!(json["count"], cat.entries().count());
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "zdjsxm-02")
        .unwrap();
    assert_eq!(item["deadline_rule"]["rule"], "working_days");
    assert_eq!(item["deadline_rule"]["days"], 20);
    assert_eq!(item["latest"], "2024-10-24");
    assert_eq!(
        item["documents"][0],
        "https://www.luanping.gov.cn/xxgk/13082/2024-00002.html"
    );
    let csv = read(site.root(), "bzml/standard-catalogue.csv");
    assert!(csv.starts_with('\u{feff}'));
    let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let n = rows.records().count();
    assert_eq!(n, cat.entries().count());
    // The JSON keeps the value; the spreadsheet copy cannot run it.
    let yw = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "ywjy-01")
        .unwrap();
    assert!(yw["channels"][2]
        .as_str()
        .unwrap()
        .starts_with("=HYPERLINK"));
    assert!(csv.contains("ywjy-01"));
    for line in csv.lines() {
        for cell in line.split(',') {
            assert!(
                !cell.trim_start_matches('"').starts_with('='),
                "formula cell: {cell}"
            );
        }
    }
    assert!(!csv.contains(",=HYPERLINK"));
}

#[test]
fn review_rules_on_the_catalogue() {
    let site = county();
    let diags = build(site.root());
    // P24: 主动 items without published documents (zdjsxm-03 has only a withheld and a draft one).
    let p24: Vec<String> = findings(&diags, "P24")
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(p24.len(), 2, "{p24:#?}");
    assert!(p24
        .iter()
        .any(|m| m.contains("zdjsxm-03") && m.starts_with("本事项尚无公开信息")));
    assert!(p24.iter().any(|m| m.contains("zdjsxm-05")));
    let p24_03 = findings(&diags, "P24")
        .into_iter()
        .find(|d| d.message.contains("zdjsxm-03"))
        .unwrap();
    assert_eq!(p24_03.file, Path::new("catalogue/重大建设项目.toml"));
    assert_eq!(p24_03.line, Some(33), "the line of its [[事项]]");

    // P25: 20 working days from 2024-09-20 end on 2024-10-23 (国庆 1–7 October off, 29
    // September and 12 October worked): published on the 24th is late, on the 23rd is not.
    let p25 = findings(&diags, "P25");
    assert_eq!(p25.len(), 1, "{p25:#?}");
    assert_eq!(p25[0].file, Path::new("content/2024/pifu-guoqing-late.md"));
    assert!(
        p25[0].message.contains("最迟应于 2024-10-23 发布"),
        "{}",
        p25[0].message
    );
    assert!(
        p25[0].message.contains("相隔 21 个工作日"),
        "{}",
        p25[0].message
    );
    assert_eq!(p25[0].line, Some(11), "the 事项 line");
    // The item's limit replaces P05 on that document: one late document, one finding.
    assert!(findings(&diags, "P05")
        .iter()
        .all(|d| d.file != p25[0].file));

    // P26: zdjsxm-05 cites the 暂行办法 this site marks 失效.
    let p26 = findings(&diags, "P26");
    assert_eq!(p26.len(), 1, "{p26:#?}");
    assert!(
        p26[0].message.contains("滦平县政府投资项目管理暂行办法")
            && p26[0].message.contains("失效")
    );
    assert_eq!(p26[0].line, Some(65), "the 公开依据 line");

    // P27: a published document on an 依申请 item.
    let p27 = findings(&diags, "P27");
    assert_eq!(p27.len(), 1);
    assert_eq!(p27[0].file, Path::new("content/2024/zhengdi-mingxi.md"));
}

#[test]
fn a_yearly_limit_and_a_realtime_limit_are_checked() {
    let site = county();
    // 每年3月底前: formed in January, published in April → late (due 03-31).
    std::fs::write(
        site.root().join("content/2024/faren.md"),
        "---\ntitle: \"滦平县2024年政府投资项目法人单位公示\"\nindex_no: \"13082/2024-00010\"\ncategory: \"国民经济管理、国有资产监管\"\nissuer: \"县发展和改革局\"\nwritten: \"2024-01-15\"\npublished: \"2024-04-02\"\ndisclosure: \"主动公开\"\nkind: \"重大建设项目\"\nitem: \"20.10\"\n事项: [\"zdjsxm-05\"]\n---\n\n公示。\n",
    )
    .unwrap();
    // 实时: formed on Friday 2024-04-26, published Tuesday 04-30 (Sunday 04-28 was worked) → late.
    let path = site.root().join("content/2024/zhaosheng-zhengce.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("written: \"2024-04-01\"", "written: \"2024-04-26\"")
            .replace("published: \"2024-04-02\"", "published: \"2024-04-30\""),
    )
    .unwrap();
    let diags = build(site.root());
    let p25 = findings(&diags, "P25");
    let yearly = saying(&p25, "最迟应于 2024-03-31 发布");
    assert!(yearly.file.ends_with("faren.md"), "每年3月底前: {yearly:?}");
    let realtime = saying(&p25, "最迟应于 2024-04-28 发布");
    assert!(
        realtime.file.ends_with("zhaosheng-zhengce.md"),
        "实时: {realtime:?}"
    );
    // zdjsxm-05 now has a document.
    assert!(findings(&diags, "P24")
        .iter()
        .all(|d| !d.message.contains("zdjsxm-05")));
}

/// A re-post (转发) of another body's document carries that body's 成文日期: its own delay is not
/// measured from it, for P25 as for P05, and the catalogue does not count it as late.
#[test]
fn a_repost_is_not_late_for_its_item() {
    let site = county();
    let late = site.root().join("content/2024/pifu-guoqing-late.md");
    let diags = build(site.root());
    let before = findings(&diags, "P25");
    assert!(
        before
            .iter()
            .any(|d| d.file.ends_with("pifu-guoqing-late.md")),
        "the fixture is late: {before:?}"
    );
    let text = std::fs::read_to_string(&late).unwrap();
    std::fs::write(
        &late,
        text.replace(
            "item: \"20.10\"\n",
            "item: \"20.10\"\nrepost: \"承德市发展和改革委员会\"\n",
        ),
    )
    .unwrap();
    let diags = build(site.root());
    let after = findings(&diags, "P25");
    assert!(
        after
            .iter()
            .all(|d| !d.file.ends_with("pifu-guoqing-late.md")),
        "{after:?}"
    );
    assert_eq!(
        after.len(),
        before.len() - 1,
        "only the re-post changed: {after:?}"
    );
}

#[test]
fn unknown_keys_and_missing_columns_are_errors_with_file_and_line() {
    let site = county();
    let path = site.root().join("catalogue/义务教育.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replacen("公开时限 = \"实时\"", "公开时间 = \"实时\"", 1)
        .replacen("公开依据 = \"《中华人民共和国义务教育法》\"\n", "", 1);
    std::fs::write(&path, text).unwrap();
    let r = pipeline::build(&options(site.root())).unwrap();
    assert!(!r.written, "a broken catalogue blocks the build");
    let e: Vec<&Diagnostic> = harness::errors(&r);
    let unknown = saying(&e, "未知的列 “公开时间”");
    assert_eq!(unknown.file, Path::new("catalogue/义务教育.toml"));
    assert_eq!(unknown.line, Some(11));
    assert!(
        unknown.message.contains("是不是想写 “公开时限”"),
        "{}",
        unknown.message
    );
    let missing = saying(&e, "缺少列");
    assert_eq!(missing.line, Some(5));
    assert!(missing.message.contains("公开依据") && missing.message.contains("公开时限"));
    assert!(missing.message.starts_with("事项 “招生入学/招生入学政策”"));
    // The document that named the broken row is told the item is not there.
    assert!(e
        .iter()
        .any(|d| d.rule == gongkai::diag::Code::E008 && d.file.ends_with("zhaosheng-zhengce.md")));
}

#[test]
fn a_near_miss_reference_is_an_error_with_a_suggestion() {
    let site = county();
    let path = site.root().join("content/2024/zhaosheng-jihua.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"ywjy-02\"", "\"义务教育/招生计画\"")).unwrap();
    let r = pipeline::build(&options(site.root())).unwrap();
    let e = harness::errors(&r);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].rule, gongkai::diag::Code::E008);
    assert_eq!(e[0].line, Some(11));
    assert_eq!(e[0].field.as_deref(), Some("matters"));
    assert!(
        e[0].message.contains("是不是想写 “义务教育/招生计划”"),
        "{}",
        e[0].message
    );
}

fn gongkai(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `gongkai import --root ROOT --standard TABLE EXTRA…`.
fn import_standard(root: &str, table: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "import",
        "--root",
        root,
        "--standard",
        table.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    gongkai(&args)
}

/// `gongkai report catalogue --root ROOT --today TODAY --format FORMAT`.
fn report_catalogue(root: &str, format: &str) -> (i32, String, String) {
    gongkai(&[
        "report",
        "catalogue",
        "--root",
        root,
        "--today",
        TODAY,
        "--format",
        format,
    ])
}

#[test]
fn report_catalogue_counts_what_the_pages_show() {
    let site = county();
    let root = site.root().to_str().unwrap();
    let (code, out, err) = report_catalogue(root, "json");
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let zd = r["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "重大建设项目")
        .unwrap();
    assert_eq!(zd["counts"]["items"], 5);
    assert_eq!(zd["counts"]["with_documents"], 3);
    assert_eq!(zd["counts"]["without_documents"], 2);
    assert_eq!(zd["counts"]["late_items"], 1);
    assert_eq!(zd["counts"]["documents"], 4);
    assert_eq!(zd["counts"]["late_documents"], 1);
    let late = zd["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "zdjsxm-02")
        .unwrap();
    assert_eq!(late["late"][0]["due"], "2024-10-23");
    assert_eq!(r["totals"]["items"], 7);
    // The findings go to stderr with their files.
    assert!(
        err.contains("P24") && err.contains("catalogue/重大建设项目.toml"),
        "{err}"
    );

    let (code, md, _) = report_catalogue(root, "md");
    assert_eq!(code, 0);
    assert!(md.starts_with("# 政务公开事项标准目录自查报告"));
    assert!(
        md.contains("| 重大建设项目 | 5 | 4 | 3 | 2 | 1 | 4 | 1 |"),
        "{md}"
    );
    assert!(md.contains("- 招标投标信息 / 中标结果（编号 zdjsxm-03"));
    assert!(md.contains("| 批准服务信息 / 批准结果 | 信息形成或变更之日起20个工作日内 | 关于滦平县城区供水管网改造工程可行性研究报告的批复 | 2024-09-20 | 2024-10-24 | 2024-10-23 |"));
    assert!(md.contains("共梳理公开事项7项"));

    let (code, html, _) = report_catalogue(root, "html");
    assert_eq!(code, 0);
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("<table>"));
    assert_eq!(html.matches("<h1>").count(), 1);

    let (code, _, err) = gongkai(&["report", "catalog", "--root", root]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("既不是年份也不是 catalogue"), "{err}");
}

/// The rows of a county table as an office receives it: a title, a two-row head, √ marks and a
/// 一级事项 merged over two rows (empty below).
fn table_rows() -> Vec<Vec<&'static str>> {
    vec![
        vec!["滦平县就业领域基层政务公开标准目录"],
        vec![
            "序号",
            "公开事项",
            "",
            "公开内容（要素）",
            "公开依据",
            "公开时限",
            "公开主体",
            "公开渠道和载体",
            "公开对象",
            "",
            "公开方式",
            "",
            "公开层级",
            "",
        ],
        vec![
            "",
            "一级事项",
            "二级事项",
            "",
            "",
            "",
            "",
            "",
            "全社会",
            "特定群体",
            "主动",
            "依申请",
            "县级",
            "乡、村级",
        ],
        vec![
            "1",
            "就业政策法规",
            "就业创业政策",
            "政策文件",
            "《中华人民共和国就业促进法》",
            "信息形成或变更之日起20个工作日内",
            "县人力资源和社会保障局",
            "■政府网站 □政府公报 ■两微一端",
            "√",
            "",
            "√",
            "",
            "√",
            "√",
        ],
        vec![
            "2",
            "",
            "就业创业补贴申领",
            "申领条件、材料",
            "《就业补助资金管理办法》",
            "实时",
            "县人力资源和社会保障局",
            "■政务服务中心",
            "",
            "√",
            "√",
            "",
            "√",
            "",
        ],
    ]
}

fn check_imported(root: &Path) {
    let text = std::fs::read_to_string(root.join("catalogue/就业.toml")).unwrap();
    let (area, d) = gongkai::catalogue::parse::parse_area(Path::new("catalogue/就业.toml"), &text);
    assert!(d.is_empty(), "{d:#?}\n{text}");
    let area = area.unwrap();
    assert_eq!(area.slug, "jy");
    assert_eq!(area.entries.len(), 2);
    assert_eq!(
        area.entries[1].first, "就业政策法规",
        "merged cell filled down"
    );
    assert_eq!(area.entries[0].channels, ["政府网站", "两微一端"]);
    assert_eq!(
        area.entries[1].audience,
        [gongkai::catalogue::Audience::Group]
    );
    assert_eq!(
        area.entries[1].deadline,
        gongkai::catalogue::Deadline::Realtime
    );
    // The new 领域 is built at once.
    let diags = build(root);
    assert!(root.join("public/bzml/jy/jy-02/index.html").is_file());
    assert!(findings(&diags, "P24")
        .iter()
        .any(|d| d.message.contains("jy-01")));
}

#[test]
fn imports_an_xlsx_table() {
    let site = county();
    let rows: Vec<Vec<crate::import_catalogue::Cell>> = table_rows()
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(crate::import_catalogue::Cell::Text)
                .collect()
        })
        .collect();
    let xlsx = site.root().join("就业标准目录.xlsx");
    std::fs::write(&xlsx, crate::import_catalogue::xlsx(&rows)).unwrap();
    let root = site.root().to_str().unwrap();
    let (code, out, err) = import_standard(root, &xlsx, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("就业：2 个事项，已写入 catalogue/就业.toml"),
        "{out}"
    );
    check_imported(site.root());
    // Never over an existing file.
    let (code, _, err) = import_standard(root, &xlsx, &[]);
    assert_eq!(code, 1);
    assert!(err.contains("已存在"), "{err}");
}

#[test]
fn imports_a_docx_table_and_names_missing_columns() {
    let site = county();
    let docx = site.root().join("就业.docx");
    std::fs::write(&docx, docx_table(&table_rows())).unwrap();
    let root = site.root().to_str().unwrap();
    let (code, out, err) = import_standard(root, &docx, &[]);
    assert_eq!(code, 0, "{out}{err}");
    check_imported(site.root());

    let mut bad = table_rows();
    for r in &mut bad {
        r.truncate(6);
    }
    std::fs::write(&docx, docx_table(&bad)).unwrap();
    let (code, _, err) = import_standard(root, &docx, &["--dry-run"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("表头缺少列") && err.contains("公开渠道和载体") && err.contains("就业.docx"),
        "{err}"
    );
}

/// A Word document holding one table: the first row's cells span the width (a title), the
/// head's group cells span two columns (`w:gridSpan`), and an empty 一级事项 under a filled
/// one continues it (`w:vMerge`), as Word saves a merged cell.
fn docx_table(rows: &[Vec<&str>]) -> Vec<u8> {
    use std::io::Write as _;
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut body = String::from("<w:tbl>");
    for (r, row) in rows.iter().enumerate() {
        body.push_str("<w:tr>");
        let mut c = 0;
        while c < row.len() {
            let text = row[c];
            let mut span = 1;
            // A head cell followed by empty cells in a head row spans them (公开事项, 公开对象 …).
            if r == 1 && !text.is_empty() {
                while c + span < row.len()
                    && row[c + span].is_empty()
                    && !rows[2][c + span].is_empty()
                {
                    span += 1;
                }
            }
            let merge = if r >= 4 && c == 1 && text.is_empty() {
                "<w:vMerge/>"
            } else {
                ""
            };
            let grid = if span > 1 {
                format!("<w:gridSpan w:val=\"{span}\"/>")
            } else {
                String::new()
            };
            body.push_str(&format!(
                "<w:tc><w:tcPr>{grid}{merge}</w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
                esc(text)
            ));
            c += span;
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    for (name, text) in [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string()),
        ("word/document.xml", document),
    ] {
        z.start_file(name, o).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn serve_rebuilds_when_a_catalogue_file_changes() {
    use gongkai::serve::change::{classify, ChangeKind};
    let site = county();
    let changed = site.root().join("catalogue/义务教育.toml");
    assert_eq!(
        classify(site.root(), std::slice::from_ref(&changed)),
        ChangeKind::Full
    );
    let mut engine = gongkai::serve::Engine::new(options(site.root()));
    assert!(engine.full().published);
    let text = std::fs::read_to_string(&changed).unwrap();
    std::fs::write(
        &changed,
        text.replace("二级事项 = \"招生计划\"", "二级事项 = \"学校招生计划\""),
    )
    .unwrap();
    assert!(engine.full().published);
    let page = String::from_utf8_lossy(&engine.site["bzml/ywjy/index.html"]).into_owned();
    assert!(page.contains(">学校招生计划</a>"));
}
