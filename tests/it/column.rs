//! A column that tells the truth, and the site's identity (issue 16 items 7, 12–14): placeholders
//! left by `init` and empty footer identifiers are warned about in every build and are errors in
//! production; empty 条例 items are listed once and their pages say so; `init` writes how to
//! apply for 依申请公开; the logo and badges are local files, checked where the config is read.

use gongkai::diag::Severity;
use gongkai::pipeline::{self, BuildOptions};

use crate::harness::{self, doc, errors, Site};

fn init_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    gongkai::scaffold::init(
        &root,
        "测试单位 政府信息公开",
        harness::TODAY.parse().unwrap(),
    )
    .unwrap();
    (dir, root)
}

fn build(root: &std::path::Path, production: bool) -> pipeline::BuildReport {
    let mut o = BuildOptions::new(root);
    o.today = Some(harness::TODAY.parse().unwrap());
    o.production = Some(production);
    pipeline::build(&o).unwrap()
}

#[test]
fn an_init_site_builds_but_says_what_is_left_to_fill_in_and_production_refuses_it() {
    let (_dir, root) = init_site();
    let apply = std::fs::read_to_string(root.join("content/ysqgk/_index.md")).unwrap();
    for part in [
        "申请方式",
        "在线申请",
        "受理机构",
        "地址",
        "政府信息公开申请表",
        "第二十九条",
    ] {
        assert!(apply.contains(part), "{part}");
    }
    let guide = std::fs::read_to_string(root.join("content/zfxxgkzn/_index.md")).unwrap();
    assert!(guide.contains("### （一）申请方式") && guide.contains("信函申请"));

    let r = build(&root, false);
    assert!(r.written, "{:#?}", errors(&r));
    let warn = |rule: &str| -> Vec<&gongkai::diag::Diagnostic> {
        r.compiled
            .diagnostics
            .iter()
            .filter(|d| d.rule.as_str() == rule && d.severity == Severity::Warn)
            .collect()
    };
    let p24: Vec<_> = warn("P28").iter().map(|d| d.file.clone()).collect();
    assert_eq!(
        p24,
        [
            std::path::PathBuf::from("content/ysqgk/_index.md"),
            "content/zfxxgkzn/_index.md".into()
        ]
    );
    assert!(
        warn("P28")[1].message.contains("（填写"),
        "{}",
        warn("P28")[1].message
    );
    // init writes every footer key, empty: each finding is on its line.
    let p21: Vec<_> = warn("P21")
        .iter()
        .map(|d| (d.field.clone().unwrap(), d.line.unwrap()))
        .collect();
    let toml = std::fs::read_to_string(root.join("gongkai.toml")).unwrap();
    for (key, line) in &p21 {
        let text = toml.lines().nth(line - 1).unwrap();
        assert!(
            text.starts_with(&format!("{key} = \"\"")),
            "{key}: line {line} is {text}"
        );
    }
    assert_eq!(p21.len(), 5);
    let p25 = warn("P29");
    assert_eq!(p25.len(), 1, "one finding lists the empty items");
    assert!(
        p25[0]
            .message
            .starts_with("16 个法定主动公开事项还没有任何文件"),
        "{}",
        p25[0].message
    );
    let page = std::fs::read_to_string(root.join("public/ysqgk/index.html")).unwrap();
    assert!(
        page.contains("<h1>依申请公开</h1>") || page.contains(">依申请公开</h1>"),
        "{page}"
    );

    let r = build(&root, true);
    assert!(!r.written);
    let e: Vec<_> = errors(&r).iter().map(|d| d.rule).collect();
    assert!(
        e.contains(&gongkai::diag::Code::P28) && e.contains(&gongkai::diag::Code::P21),
        "{e:?}"
    );
}

#[test]
fn an_empty_item_says_so_and_an_explained_one_is_not_warned_about() {
    let s = Site::with_config(&format!(
        "{}\n[items.\"20.2\"]\nempty = \"机构职能见本机关门户网站“机构概况”栏目。\"\n[items.\"21\"]\nrequired = false\n",
        harness::CONFIG
    ));
    s.file("a.md", &doc("13502/2024-00001", "甲", "", "正文"));
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    let p25 = r
        .compiled
        .diagnostics
        .iter()
        .find(|d| d.rule == gongkai::diag::Code::P29)
        .unwrap();
    assert!(
        p25.message.starts_with("13 个法定主动公开事项"),
        "{}",
        p25.message
    );
    assert!(!p25.message.contains("机构职能") && !p25.message.contains("第二十一条"));
    assert!(
        !p25.message.contains("其他法定公开信息"),
        "20.15 has a document"
    );
    assert!(s
        .read("fdzdgknr/jgzn/index.html")
        .contains("<p class=\"empty\">机构职能见本机关门户网站“机构概况”栏目。</p>"));
    assert!(s
        .read("fdzdgknr/tjxx/index.html")
        .contains("<p class=\"empty\">本栏目暂无信息。</p>"));
    assert!(s.read("fdzdgknr/index.html").contains("暂无信息"));
}

#[test]
fn the_logo_and_badges_are_local_files_and_a_missing_one_is_named_on_its_line() {
    let s = Site::with_config(&format!(
        "{}\n[branding]\nlogo = \"img/国徽.png\"\ngov_badge = \"img/dzjg.png\"\ngov_badge_link = \"https://bszs.conac.cn/sitename?method=show&id=1\"\npolice_badge = \"img/gaba.png\"\n[footer]\npolice = \"冀公网安备 13080202000001号\"\n",
        harness::CONFIG
    ));
    std::fs::create_dir_all(s.root().join("img")).unwrap();
    for f in ["国徽.png", "dzjg.png", "gaba.png"] {
        std::fs::write(s.root().join("img").join(f), b"\x89PNG\r\n\x1a\n").unwrap();
    }
    s.file("a.md", &doc("13502/2024-00001", "甲", "", "正文"));
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    assert!(s.public().join("branding/logo.png").is_file());
    let home = s.read("index.html");
    assert!(
        home.contains("<img class=\"logo\" src=\"/branding/logo.png\" alt=\"\">"),
        "{home}"
    );
    assert!(home.contains("<a class=\"gov-badge\" href=\"https://bszs.conac.cn/sitename?method=show&amp;id=1\" rel=\"noopener\"><img src=\"/branding/gov-badge.png\" alt=\"党政机关网站标识\"></a>"), "{home}");
    assert!(
        home.contains("<img class=\"police-badge\" src=\"/branding/police-badge.png\" alt=\"\">冀公网安备 13080202000001号</a>"),
        "the icon sits in the 公安备案 link, read as the number: {home}"
    );

    std::fs::remove_file(s.root().join("img/dzjg.png")).unwrap();
    let r = s.build();
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(
        (e[0].rule, e[0].line, e[0].field.as_deref()),
        (gongkai::diag::Code::E005, Some(12), Some("gov_badge"))
    );
    assert!(
        e[0].message
            .starts_with("[branding] gov_badge 指定的图片 “img/dzjg.png” 不存在"),
        "{}",
        e[0].message
    );

    let remote = Site::with_config(&format!(
        "{}\n[branding]\nlogo = \"https://www.gov.cn/images/gh.png\"\n",
        harness::CONFIG
    ));
    let e = errors(&remote.build())
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(
        (e[0].rule, e[0].line),
        (gongkai::diag::Code::E005, Some(11))
    );
    assert!(
        e[0].message.contains("不能引用其他网站的地址"),
        "{}",
        e[0].message
    );
}
