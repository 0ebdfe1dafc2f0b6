//! The redirect list (issue 13 item 2, issue 16 item 4): `redirects.csv` and the addresses
//! earlier versions gave pages become the build's nginx map, Apache map and redirect pages;
//! bad rows are errors naming the file and line; nothing leads to a withheld document.
//! `tests/it/nginx.rs` answers the same list with the real nginx.

use gongkai::diag::Severity;

use crate::harness::{self, doc, errors, Site};

/// A site at `/xxgk/` (as the sample's) with a public document, a 依申请公开 one with an
/// attachment, and `redirects.csv` = `rows`.
fn site(rows: &str) -> Site {
    let s = Site::with_config(&harness::CONFIG.replace(
        "https://www.example.gov.cn/",
        "https://www.example.gov.cn/xxgk/",
    ));
    s.file("a.md", &doc("13502/2024-00001", "公开的通知", "", "正文"));
    s.file(
        "secret/b.md",
        &doc(
            "13502/2024-00002",
            "依申请公开的答复",
            "attachments: [\"b-fj.pdf\"]\nexempt_basis: \"third_party\"\n",
            "正文",
        )
        .replace("disclosure: \"主动公开\"", "disclosure: \"依申请公开\""),
    );
    s.bytes("secret/b-fj.pdf", b"%PDF-1.4 withheld");
    std::fs::write(s.root().join("redirects.csv"), rows).unwrap();
    s
}

#[test]
fn old_addresses_become_the_nginx_and_apache_maps_and_redirect_pages() {
    let s = site(
        "old_url,new_url\n\
         http://www.example.gov.cn/xxgk/2019/t20190213_1.html,https://www.example.gov.cn/xxgk/13502/2024-00001.html\n\
         http://old.example.gov.cn/art/info.jsp?id=5,/xxgk/zfxxgkzn/\n\
         /xxgk/lm/jg/,/xxgk/2019/t20190213_1.html\n",
    );
    let r = s.build();
    assert!(errors(&r).is_empty(), "{:#?}", errors(&r));
    // Documents of a column at /xxgk/ are not under /xxgk/xxgk/.
    assert!(s.public().join("13502/2024-00001.html").is_file());
    let nginx = s.read("gongkai-redirects/nginx.conf");
    for line in [
        "    \"/xxgk/2019/t20190213_1.html\" \"https://www.example.gov.cn/xxgk/13502/2024-00001.html\";",
        "    \"/art/info.jsp?id=5\" \"/xxgk/zfxxgkzn/\";",
        // A chain is followed: one redirect per visit.
        "    \"/xxgk/lm/jg/\" \"https://www.example.gov.cn/xxgk/13502/2024-00001.html\";",
        // Earlier versions' addresses: the Chinese catalogue and /xxgk/xxgk/.
        "    \"/xxgk/ml/主题分类/综合政务/\" \"https://www.example.gov.cn/xxgk/ml/ztfl/zhzw/\";",
        "    \"/xxgk/fdzdgknr/其他法定公开信息/\" \"https://www.example.gov.cn/xxgk/fdzdgknr/qtfdgkxx/\";",
        "    \"/xxgk/xxgk/13502/2024-00001.html\" \"https://www.example.gov.cn/xxgk/13502/2024-00001.html\";",
    ] {
        assert!(nginx.contains(line), "{line}\n{nginx}");
    }
    let apache = s.read("gongkai-redirects/apache.map");
    assert!(
        apache.contains("\n/art/info.jsp?id=5 /xxgk/zfxxgkzn/\n"),
        "{apache}"
    );
    assert!(
        apache.contains(
            "\n/xxgk/ml/主题分类/综合政务/ https://www.example.gov.cn/xxgk/ml/ztfl/zhzw/\n"
        ),
        "{apache}"
    );
    // Pages at old addresses inside the site, for servers without the map; none for another
    // host's address or one with a query.
    let page = s.read("2019/t20190213_1.html");
    assert!(
        page.contains("content=\"0; url=/xxgk/13502/2024-00001.html\""),
        "{page}"
    );
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(s
        .read("ml/主题分类/综合政务/index.html")
        .contains("url=/xxgk/ml/ztfl/zhzw/"));
    assert!(s
        .read("xxgk/13502/2024-00001.html")
        .contains("url=/xxgk/13502/2024-00001.html"));
    assert!(!s.public().join("art").exists());
    // Nothing of the withheld document: no page, no redirect, no file.
    for (rel, bytes) in harness::tree(&s.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("2024-00002"), "{rel}");
        assert!(!text.contains("b-fj.pdf"), "{rel}");
    }
}

#[test]
fn bad_rows_are_errors_naming_the_file_and_line_and_nothing_is_written() {
    let s = site(
        "old_url,new_url\n\
         /xxgk/t1.html\n\
         /xxgk/t2.html,javascript:alert(1)\n\
         /xxgk/t3.html,/xxgk/13502/2024-00002.html\n\
         /xxgk/t4.html,https://www.example.gov.cn/xxgk/xxgk/13502/2024-00002.html\n\
         /xxgk/t5.html,/xxgk/secret/b-fj.pdf\n\
         /xxgk/13502/2024-00001.html,/xxgk/zfxxgkzn/\n\
         /xxgk/t7.html,/xxgk/no/such/page.html\n\
         /xxgk/t8.html,/xxgk/t9.html\n\
         /xxgk/t9.html,/xxgk/t8.html\n\
         /xxgk/T10.html,/xxgk/zfxxgkzn/\n\
         /xxgk/t10.html,/xxgk/ml/\n\
         /xxgk/13502/2024-00002.html,/xxgk/ml/\n",
    );
    let r = s.build();
    assert!(!r.written);
    assert!(!s.public().exists(), "a failed build writes nothing");
    let found: Vec<(&str, usize)> = r
        .compiled
        .diagnostics
        .iter()
        .filter(|d| d.file.ends_with("redirects.csv") && d.severity == Severity::Error)
        .map(|d| (d.rule.as_str(), d.line.unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("E016", 2),
            ("E016", 3),
            ("E007", 4),
            ("E007", 5),
            ("E007", 6),
            ("E016", 7),
            ("E016", 8),
            ("E016", 9),
            ("E016", 10),
            ("E016", 12),
            ("E007", 13),
        ],
        "{:#?}",
        r.compiled.diagnostics
    );
    let msg = |line: usize| {
        r.compiled
            .diagnostics
            .iter()
            .find(|d| d.line == Some(line) && d.file.ends_with("redirects.csv"))
            .unwrap()
    };
    assert!(
        msg(2).message.starts_with("第 2 行应有两栏"),
        "{}",
        msg(2).message
    );
    assert!(msg(4).message.contains("不公开"), "{}", msg(4).message);
    assert!(
        msg(7).message.contains("是本站现有的页面"),
        "{}",
        msg(7).message
    );
    assert!(
        msg(8).message.contains("在本站不存在"),
        "{}",
        msg(8).message
    );
    assert!(
        msg(12).message.contains("与第 11 行相同"),
        "{}",
        msg(12).message
    );
    assert!(r.compiled.diagnostics.iter().all(|d| d.help.is_some()));
}

#[test]
fn catalogue_codes_are_configurable_and_clashes_are_reported() {
    let s = Site::with_config(&format!(
        "{}\n[urls]\ndocuments = \"wj\"\n[urls.codes]\n\"市财政局\" = \"czj\"\n\"法规文件\" = \"zcwj\"\n",
        harness::CONFIG.replace(
            "issuers = [\"市政府办公室\", \"市财政局\"]",
            "issuers = [\"市政府办公室\", \"市财政局\", \"市水务局\", \"市商务局\"]"
        )
    ));
    s.file(
        "a.md",
        &doc("13502/2024-00001", "甲", "", "正文").replace("市政府办公室", "市财政局"),
    );
    s.file(
        "b.md",
        &doc("13502/2024-00002", "乙", "", "正文").replace("市政府办公室", "市水务局"),
    );
    s.file(
        "c.md",
        &doc("13502/2024-00003", "丙", "", "正文").replace("市政府办公室", "市商务局"),
    );
    s.file(
        "d.md",
        &doc("13502/2024-00004", "丁", "", "正文")
            .replace("kind: \"其他文件\"\nitem: \"20.15\"", "kind: \"规章\"\ndoc_no: \"河北省人民政府令〔2024〕第1号\"\nvalidity: \"有效\"\neffective: \"2024-02-01\""),
    );
    let r = s.build();
    assert!(errors(&r).is_empty(), "{:#?}", errors(&r));
    assert!(s.public().join("wj/13502/2024-00001.html").is_file());
    assert!(s.read("ml/fbjg/czj/index.html").contains(">甲</a>"));
    assert!(s.read("ml/fbjg/sswj/index.html").contains(">乙</a>"));
    assert!(s
        .read("ml/fbjg/shishangwuju/index.html")
        .contains(">丙</a>"));
    assert!(s.read("fdzdgknr/zcwj/index.html").contains(">丁</a>"));
    assert!(s.public().join("fdzdgknr/zcwj/xxyx/index.html").is_file());
    let clash: Vec<_> = r
        .compiled
        .diagnostics
        .iter()
        .filter(|d| d.rule == gongkai::diag::Code::E015)
        .collect();
    assert_eq!(clash.len(), 1, "{clash:#?}");
    assert!(clash[0]
        .message
        .contains("“市商务局”的网址改用 “shishangwuju”"));
    // Breadcrumbs, facet links and the sitemap use the codes.
    let page = s.read("ml/fbjg/czj/index.html");
    assert!(page.contains("href=\"/ml/fbjg/\">发布机构</a>"), "{page}");
    assert!(s
        .read("sitemap.xml")
        .contains("<loc>https://www.example.gov.cn/ml/fbjg/czj/</loc>"));
    // A bad code is an error on its line of gongkai.toml.
    let bad = Site::with_config(&format!(
        "{}\n[urls.codes]\n\"市财政局\" = \"财政\"\n",
        harness::CONFIG
    ));
    let r = bad.build();
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(
        (e[0].rule, e[0].line),
        (gongkai::diag::Code::E005, Some(11))
    );
    assert!(
        e[0].message
            .starts_with("[urls.codes] “市财政局”：网址代码 “财政” 只能由小写"),
        "{}",
        e[0].message
    );
}
