//! The leak rule: nothing 依申请公开, 不予公开 or draft reaches `public/` in any form.

use crate::harness::{doc, errors, Site};

const MARKERS: [&str; 3] = [
    "LEAK-ON-REQUEST-5b1e",
    "LEAK-WITHHELD-77aa",
    "LEAK-DRAFT-0c0c",
];

fn site_with_withheld_documents() -> Site {
    let s = Site::new();
    s.file(
        "public.md",
        &doc("13502/2024-00001", "公开文件", "", "公开正文"),
    );
    s.file(
        "ysq.md",
        &doc(
            "13502/2024-00002",
            &format!("依申请 {}", MARKERS[0]),
            "exempt_basis: \"third_party\"\nattachments: [\"secret-att.txt\"]\n",
            MARKERS[0],
        )
        .replace("主动公开", "依申请公开"),
    );
    s.file("secret-att.txt", &format!("attachment {}", MARKERS[0]));
    s.file(
        "bygk.md",
        &doc(
            "13502/2024-00003",
            &format!("不予公开 {}", MARKERS[1]),
            "exempt_basis: \"internal_affairs\"\n",
            MARKERS[1],
        )
        .replace("主动公开", "不予公开"),
    );
    s.file(
        "draft.md",
        &doc(
            "13502/2024-00004",
            &format!("草稿 {}", MARKERS[2]),
            "draft: true\n",
            MARKERS[2],
        ),
    );
    s
}

#[test]
fn withheld_documents_appear_in_no_output_file() {
    let s = site_with_withheld_documents();
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    assert_eq!(r.compiled.site.as_ref().unwrap().docs.len(), 1);
    let files = crate::harness::tree(&s.public());
    assert!(files.len() > 20);
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for m in MARKERS {
            assert!(!text.contains(m), "{m} leaked into {path}");
        }
        for n in [
            "13502/2024-00002",
            "13502/2024-00003",
            "13502/2024-00004",
            "2024-00002.html",
        ] {
            assert!(!text.contains(n), "identifier {n} leaked into {path}");
        }
    }
    assert!(!s.public().join("secret-att.txt").exists());
}

#[test]
fn a_published_link_to_a_withheld_document_fails_the_build() {
    let s = site_with_withheld_documents();
    s.file(
        "linker.md",
        &doc(
            "13502/2024-00010",
            "引用文件",
            "",
            "详见[内部请示](bygk.md)。",
        ),
    );
    let r = s.build();
    assert!(!r.written);
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].rule, "E007");
    assert_eq!(e[0].file, std::path::Path::new("content/linker.md"));
    assert_eq!(e[0].line, Some(13));
}

#[test]
fn a_reference_by_index_number_to_a_withheld_document_fails_the_build() {
    let s = site_with_withheld_documents();
    s.file(
        "jd.md",
        &crate::harness::interpretation_doc("13502/2024-00011", "解读", "13502/2024-00003", "解读"),
    );
    let r = s.build();
    assert!(!r.written);
    assert_eq!(errors(&r)[0].rule, "E007");
}

#[test]
fn a_document_without_disclosure_is_never_published() {
    let s = Site::new();
    s.file(
        "a.md",
        &doc(
            "13502/2024-00001",
            "没写公开属性 LEAK-NODISC-1",
            "",
            "LEAK-NODISC-1",
        )
        .replace("disclosure: \"主动公开\"\n", ""),
    );
    let r = s.build();
    assert!(!r.written);
    assert_eq!(errors(&r)[0].rule, "P01");
    assert!(!s.public().exists());
}

/// A withheld document's file must not be published whoever links it, however (issue 11,
/// leak 1; raw HTML: leak 2). Each way gets its own site: every one must fail on its own.
#[test]
fn a_withheld_documents_attachment_is_never_published_whoever_links_it() {
    let ways: [(&str, &str); 6] = [
        ("Markdown link", "详见[附件](secret-att.txt)。"),
        ("own attachments list", ""),
        ("image", "![附图](secret-att.txt)"),
        ("raw HTML link", "详见<a href=\"secret-att.txt\">附件</a>。"),
        (
            "raw HTML image",
            "<p><img src=\"./secret-att.txt\" alt=\"图\"></p>",
        ),
        ("a draft's embedded image", "![图](draft-img.png)"),
    ];
    for (way, body) in ways {
        let s = site_with_withheld_documents();
        s.file(
            "draft-with-img.md",
            &doc(
                "13502/2024-00005",
                "草稿配图",
                "draft: true\n",
                "![图](draft-img.png)",
            ),
        );
        s.bytes("draft-img.png", b"\x89PNG LEAK-DRAFT-IMG");
        let extra = if way == "own attachments list" {
            "attachments: [{path: \"secret-att.txt\", title: \"2024年预算表\"}]\n"
        } else {
            ""
        };
        s.file(
            "linker.md",
            &doc("13502/2024-00010", "引用文件", extra, body),
        );
        let r = s.build();
        assert!(!r.written, "{way}: the build must be refused");
        assert!(!s.public().exists(), "{way}: nothing written");
        let e = errors(&r);
        assert_eq!(e.len(), 1, "{way}: {e:#?}");
        assert_eq!(e[0].rule, "E007", "{way}");
        assert_eq!(
            e[0].file,
            std::path::Path::new("content/linker.md"),
            "{way}"
        );
        let owner = if way.starts_with("a draft") {
            "content/draft-with-img.md"
        } else {
            "content/ysq.md"
        };
        assert!(
            e[0].message.contains(owner),
            "{way}: names the withheld owner: {}",
            e[0].message
        );
        assert!(e[0].line.is_some(), "{way}: has a line");
    }
}

/// Links in raw HTML are checked exactly as Markdown links: to a withheld document's source
/// or to its would-be URL (issue 11, leak 2).
#[test]
fn raw_html_links_to_a_withheld_document_fail_the_build() {
    for body in [
        "见<a href=\"bygk.md\">内部请示</a>。",
        "见<a href=\"/xxgk/13502/2024-00003.html\">内部请示</a>。",
        "<div>\n<p>见\n<a href=\"https://www.example.gov.cn/xxgk/13502/2024-00002.html\">申请</a></p>\n</div>",
    ] {
        let s = site_with_withheld_documents();
        s.file("linker.md", &doc("13502/2024-00010", "引用文件", "", body));
        let r = s.build();
        assert!(!r.written, "{body}");
        let e = errors(&r);
        assert_eq!(e.len(), 1, "{body}: {e:#?}");
        assert_eq!(e[0].rule, "E007", "{body}");
        assert!(e[0].line.unwrap_or(0) >= 13, "{body}: line {:?}", e[0].line);
    }
}

/// A raw link to a published document or attachment resolves to its published URL.
#[test]
fn raw_html_links_to_published_files_resolve() {
    let s = site_with_withheld_documents();
    s.bytes("table.csv", "年度,金额\n2024,1\n".as_bytes());
    s.file(
        "linker.md",
        &doc(
            "13502/2024-00010",
            "引用文件",
            "",
            "见<a href=\"public.md\">公开文件</a>和<a href=\"table.csv\">表</a>。",
        ),
    );
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    let page = s.read("xxgk/13502/2024-00010.html");
    assert!(
        page.contains("href=\"/xxgk/13502/2024-00001.html\""),
        "{page}"
    );
    assert!(page.contains("href=\"/table.csv\""), "{page}");
    assert!(s.public().join("table.csv").exists());
}

/// Text the sanitiser removes never reaches the meta description, the catalogue summaries or
/// the search index (issue 11, item 3): only what the page shows is described and indexed.
#[test]
fn text_the_sanitiser_removes_is_neither_described_nor_indexed() {
    let s = Site::new();
    s.file(
        "a.md",
        &doc(
            "13502/2024-00001",
            "含脚本的文件",
            "",
            "正文<script>隐藏脚本甲乙丙</script>开始<style>隐藏样式丁戊己</style>\n\n<template>隐藏模板庚辛壬</template>\n\n<div>可见区块癸子丑</div>",
        ),
    );
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    for (path, bytes) in crate::harness::tree(&s.public()) {
        let text = String::from_utf8_lossy(&bytes);
        for m in ["隐藏脚本", "隐藏样式", "隐藏模板"] {
            assert!(!text.contains(m), "{m} in {path}");
        }
    }
    let search = s.public().join("search");
    for (q, expected) in [
        ("隐藏脚本甲乙丙", 0),
        ("隐藏样式丁戊己", 0),
        ("隐藏模板庚辛壬", 0),
        ("可见区块癸子丑", 1),
    ] {
        let got = gongkai_search::search_dir(&search, &gongkai_search::SearchQuery::new(q))
            .unwrap()
            .total;
        assert_eq!(got, expected, "search for {q}");
    }
}
