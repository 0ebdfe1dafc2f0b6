//! `gongkai build` on the sample site and on small fixtures: golden header values, catalogue
//! counts, URL stability, determinism, atomic failure, sanitising, outputs.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::{self, doc, errors, fixture, tree, Site};

/// Copies the repository's sample site (config, content, annual report data, ledger) into a
/// temp dir.
fn sample_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    harness::copy_sample_site(dir.path());
    dir
}

fn build_at(root: &Path) -> gongkai::pipeline::BuildReport {
    let mut o = gongkai::pipeline::BuildOptions::new(root);
    o.today = Some(harness::TODAY.parse().unwrap());
    gongkai::pipeline::build(&o).unwrap()
}

#[test]
fn sample_site_builds_and_seed_page_has_the_exact_header() {
    let site = sample_site();
    let r = build_at(site.path());
    assert!(r.written, "{:#?}", errors(&r));
    let page = std::fs::read_to_string(site.path().join("public/13502/2022-26273.html")).unwrap();
    for (label, value) in [
        ("索 引 号", "13502/2022-26273"),
        ("主题分类", "综合政务"),
        ("发布机构", "市政府办公室"),
        ("文件编号", "承市政办字〔2022〕44号"),
        ("有 效 性", "有效"),
        ("成文日期", "2022-06-09"),
        ("发布日期", "2022-06-10"),
    ] {
        let needle = format!("<dt>{label}</dt><dd>{value}");
        assert!(page.contains(&needle), "missing {needle}");
    }
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("<meta name=\"ArticleTitle\" content=\"承德市人民政府办公室关于印发承德市2022年政务公开工作要点的通知\">"));
    assert!(page.contains("<meta name=\"PubDate\" content=\"2022-06-10 16:54\">"));
    assert!(page.contains("<meta name=\"SiteIDCode\" content=\"1308000001\">"));
    assert!(page.contains("全面规范政务信息管理"), "body rendered");
    // Links carry the base path of base_url (https://www.chengde.gov.cn/xxgk/).
    assert!(page.contains("href=\"/xxgk/css/site.css\""));
}

/// Counts the rows of every catalogue column and compares them with counts computed here from
/// the front-matter text, independently of gongkai's loader.
#[test]
fn catalogue_counts_per_column_match_the_front_matter() {
    let site = sample_site();
    let r = build_at(site.path());
    assert!(r.written);
    let mut by_item: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut published = 0;
    for e in walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".md") || name == "_index.md" {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let fm = text.split("\n---\n").next().unwrap();
        let get = |k: &str| {
            fm.lines().find_map(|l| {
                l.strip_prefix(&format!("{k}: "))
                    .map(|v| v.trim_matches('"').to_string())
            })
        };
        let public = get("disclosure").or(get("公开属性")).as_deref() == Some("主动公开")
            && get("draft").is_none();
        if !public {
            continue;
        }
        published += 1;
        let kind = get("kind").or(get("文种")).unwrap();
        *by_kind.entry(kind.clone()).or_default() += 1;
        let item = get("item").unwrap_or_else(|| {
            if ["规章", "行政规范性文件", "行政法规"].contains(&kind.as_str()) {
                "20.1".into()
            } else {
                String::new()
            }
        });
        if !item.is_empty() {
            *by_item.entry(item).or_default() += 1;
        }
    }
    let rows = |rel: &str| {
        let html =
            std::fs::read_to_string(site.path().join("public").join(rel)).unwrap_or_default();
        html.matches("<th scope=\"row\"").count()
    };
    // Each 条例 item's column has a short ASCII address (issue 16).
    let label = |code: &str| gongkai::site::slugs::built_in(code).unwrap();
    for (item, n) in &by_item {
        assert_eq!(
            rows(&format!("public/fdzdgknr/{}/index.html", label(item)).replace("public/", "")),
            *n,
            "item {item}"
        );
    }
    assert_eq!(rows("zcjd/index.html"), by_kind["政策解读"]);
    assert_eq!(rows("zfxxgkzd/index.html"), by_kind["制度"]);
    assert_eq!(rows("zfxxgknb/index.html"), by_kind["政府信息公开年报"]);
    assert!(published <= 20, "fits one page");
    assert_eq!(rows("ml/index.html"), published);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.path().join("public/catalogue.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["count"].as_u64().unwrap() as usize, published);
}

#[test]
fn urls_survive_a_rename_including_ledger_assigned_numbers() {
    let s = fixture("small");
    s.edit("content/b.md", "index_no: \"13502/2024-00002\"\n", "");
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    let before = tree(&s.public());
    let ledger = std::fs::read_to_string(s.root().join("gongkai-ledger.tsv")).unwrap();
    assert!(
        ledger.contains("13502/2024-00004\tcontent/b.md"),
        "{ledger}"
    );
    std::fs::rename(
        s.root().join("content/a.md"),
        s.root().join("content/renamed-a.md"),
    )
    .unwrap();
    std::fs::create_dir_all(s.root().join("content/moved")).unwrap();
    std::fs::rename(
        s.root().join("content/b.md"),
        s.root().join("content/moved/b2.md"),
    )
    .unwrap();
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    assert_eq!(
        tree(&s.public()),
        before,
        "renames must not change any output"
    );
    let ledger = std::fs::read_to_string(s.root().join("gongkai-ledger.tsv")).unwrap();
    assert!(
        ledger.contains("13502/2024-00004\tcontent/moved/b2.md"),
        "{ledger}"
    );
    // A new document never re-uses a number.
    s.file(
        "d.md",
        &s.text("content/renamed-a.md")
            .replace("index_no: \"13502/2024-00001\"\n", "")
            .replace("甲文件", "第四个文件"),
    );
    assert!(s.build().written);
    let ledger = std::fs::read_to_string(s.root().join("gongkai-ledger.tsv")).unwrap();
    assert!(
        ledger.contains("13502/2024-00005\tcontent/d.md"),
        "{ledger}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = sample_site();
    let r = build_at(site.path());
    assert!(r.written);
    let first = tree(&site.path().join("public"));
    let r = build_at(site.path());
    assert!(r.written);
    assert_eq!(first, tree(&site.path().join("public")));
}

#[test]
fn failed_build_leaves_previous_public_untouched() {
    let s = fixture("small");
    assert!(s.build().written);
    let before = tree(&s.public());
    s.merge("broken/no-closing-line");
    let r = s.build();
    assert!(!r.written);
    assert_eq!(errors(&r)[0].rule, gongkai::diag::Code::E002);
    assert_eq!(tree(&s.public()), before);
    let leftovers: Vec<_> = std::fs::read_dir(s.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let s = fixture("small");
    std::fs::create_dir_all(s.public()).unwrap();
    std::fs::write(s.public().join("important.txt"), "keep me").unwrap();
    let e = gongkai::pipeline::build(&s.options())
        .err()
        .expect("refused");
    assert!(format!("{e:#}").contains(".gongkai-output"), "{e:#}");
    assert_eq!(
        std::fs::read_to_string(s.public().join("important.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn raw_html_is_sanitised() {
    let s = fixture("small");
    let body = "正文<script>alert('x')</script>\n\n<p onclick=\"steal()\">段落</p>\n\n<a href=\"javascript:alert(1)\">链接</a>\n\n[md链接](javascript:alert(2))\n\n<iframe src=\"https://evil.example\"></iframe>";
    s.edit("content/a.md", "正文甲", body);
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    let page = s.read("xxgk/13502/2024-00001.html");
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    for bad in ["<script", "onclick", "javascript:", "<iframe", "alert("] {
        assert!(!main.contains(bad), "{bad} survived: {main}");
    }
    assert!(main.contains("段落"));
}

#[test]
fn outputs_feeds_sitemap_robots_and_open_data() {
    let s = Site::with_config(&format!(
        "{}\n[build]\nsitemap_max_urls = 10\n",
        harness::CONFIG
    ));
    for i in 1..=12 {
        s.file(
            &format!("d{i}.md"),
            &doc(
                &format!("13502/2024-{i:05}"),
                &format!("文件{i}"),
                "",
                "正文",
            ),
        );
    }
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    let index = s.read("sitemap.xml");
    assert!(index.contains("<sitemapindex"), "split above the limit");
    let parts: Vec<String> = (1..)
        .map(|n| format!("sitemap-{n}.xml"))
        .take_while(|p| s.public().join(p).exists())
        .collect();
    assert!(parts.len() >= 2);
    let urls: usize = parts
        .iter()
        .map(|p| s.read(p).matches("<url>").count())
        .sum();
    assert!(urls > 10);
    let all: String = parts.iter().map(|p| s.read(p)).collect();
    assert!(all.contains("<loc>https://www.example.gov.cn/xxgk/13502/2024-00001.html</loc><lastmod>2024-01-05</lastmod>"));
    assert!(
        all.contains("<loc>https://www.example.gov.cn/fdzdgknr/qtfdgkxx/</loc>"),
        "the 条例 item's short ASCII address"
    );
    assert!(
        !all.contains("%E"),
        "no Chinese address, and none of the pages left at old addresses, is in the sitemap"
    );
    assert!(s
        .read("robots.txt")
        .contains("Sitemap: https://www.example.gov.cn/sitemap.xml"));
    let feed = s.read("fdzdgknr/qtfdgkxx/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 12);
    let csv = s.read("catalogue.csv");
    assert!(csv.starts_with("\u{feff}索引号,名称"));
    assert_eq!(csv.lines().count(), 13);
    assert!(s.public().join("404.html").exists());
    // Pagination: 12 rows with page_size 20 → one page; make it 5.
}

#[test]
fn catalogues_paginate_newest_first() {
    let s = Site::with_config(&harness::CONFIG.replace("issuers", "page_size = 5\nissuers"));
    for i in 1..=12 {
        s.file(
            &format!("d{i}.md"),
            &doc(
                &format!("13502/2024-{i:05}"),
                &format!("文件{i}"),
                "",
                "正文",
            )
            .replace("2024-01-05", &format!("2024-02-{i:02}")),
        );
    }
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    let p1 = s.read("ml/index.html");
    let p3 = s.read("ml/page/3/index.html");
    assert!(p1.find("文件12").unwrap() < p1.find("文件11").unwrap());
    assert_eq!(p3.matches("<th scope=\"row\"").count(), 2);
    assert!(p1.contains("共 12 条，第 1 / 3 页"));
}

#[test]
fn site_templates_override_the_theme() {
    let s = fixture("small");
    std::fs::create_dir_all(s.root().join("templates")).unwrap();
    std::fs::write(
        s.root().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<p>自定义404</p>{% endblock main %}",
    )
    .unwrap();
    assert!(s.build().written);
    assert!(s.read("404.html").contains("自定义404"));
}

#[test]
fn template_syntax_error_names_the_file_and_keeps_public() {
    let s = fixture("small");
    assert!(s.build().written);
    let before = tree(&s.public());
    s.copy_from("broken/template", "templates/404.html");
    let r = s.build();
    assert!(!r.written);
    let e = errors(&r);
    assert_eq!(e[0].rule, gongkai::diag::Code::E009);
    assert_eq!(e[0].file, Path::new("templates/404.html"));
    assert_eq!(tree(&s.public()), before);
}

/// `tests/fixtures/site`: a repealed 规章 and the one that replaced it (by 索引号), a policy that
/// replaced an expired one (by 文号) and its 解读.
#[test]
fn validity_banner_and_links_both_ways() {
    let s = fixture("site");
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    // The fixture's column is at /xxgk/: its documents are not under /xxgk/xxgk/ (issue 16).
    let old = s.read("13502/2019-00021.html");
    assert!(old.contains("本文件已废止（2023-07-01起）"), "{old}");
    assert!(old.contains("href=\"/xxgk/13502/2023-00040.html\""));
    let new = s.read("13502/2023-00040.html");
    assert!(new.contains("本文件替代：<a href=\"/xxgk/13502/2019-00021.html\">"));
    let expired = s.read("13502/2017-00045.html");
    assert!(
        expired.contains("本文件已失效（2019-05-01起）"),
        "{expired}"
    );
    assert!(expired.contains("本文件已被替代：<a href=\"/xxgk/13502/2022-00112.html\">"));
    let policy = s.read("13502/2022-00112.html");
    assert!(policy.contains("<dt>相关解读</dt>"));
    assert!(policy
        .contains("href=\"/xxgk/13502/2022-26274.html\">《承德市行政规范性文件管理办法》政策解读"));
    assert!(policy.contains("本文件替代"));
    let jd = s.read("13502/2022-26274.html");
    assert!(jd.contains(
        "<dt>解读对象</dt><dd><a href=\"/xxgk/13502/2022-00112.html\">承德市行政规范性文件管理办法</a>"
    ));
}

#[test]
fn a_late_annual_report_is_a_warning_not_an_error() {
    let site = sample_site();
    let report = site.path().join("content/2024/nianbao-2023.md");
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("2024-03-28"), "the sample report is on time");
    let r = build_at(site.path());
    assert!(
        !r.compiled
            .diagnostics
            .iter()
            .any(|d| d.rule == gongkai::diag::Code::P20),
        "{:#?}",
        r.compiled.diagnostics
    );
    std::fs::write(&report, text.replace("2024-03-28", "2024-04-10")).unwrap();
    let r = build_at(site.path());
    assert!(r.written, "{:#?}", errors(&r));
    let late = r
        .compiled
        .diagnostics
        .iter()
        .find(|d| d.rule == gongkai::diag::Code::P20)
        .expect("a P20 finding");
    assert_eq!(late.severity, gongkai::diag::Severity::Warn);
    assert!(
        late.message.contains("2024 年3 月 31 日"),
        "{}",
        late.message
    );
}
