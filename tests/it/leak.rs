//! The leak rule: nothing 依申请公开, 不予公开 or draft reaches `public/` in any form.
//!
//! `tests/fixtures/site` holds withheld documents with files of their own among published
//! ones; `tests/fixtures/broken/link-to-withheld` links to one, and its other withheld
//! documents are the targets of the other ways to link.

use std::path::Path;

use crate::harness::{errors, fixture, interpretation_doc, tree};

/// The markers in the withheld documents of `tests/fixtures/site`, their files' names and
/// their identifiers: none may appear in any output file.
pub(crate) const SITE_MARKERS: [&str; 5] = [
    "LEAK-ON-REQUEST-5b1e",
    "LEAK-WITHHELD-77aa",
    "LEAK-DRAFT-0c0c",
    "LEAK-ATTACHMENT-3d9f",
    "LEAK-DRAFT-IMG-e1f0",
];
pub(crate) const SITE_IDENTIFIERS: [&str; 7] = [
    "13502/2024-00099",
    "13502/2024-00098",
    "13502/2025-00001",
    "2024-00099.html",
    "shenqing-cailiao",
    "caogao-tu",
    "caogao-tongzhi",
];

#[test]
fn withheld_documents_appear_in_no_output_file() {
    let s = fixture("site");
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    // Counted from the files, independently of gongkai: every document but the three withheld.
    let sources = tree(&s.root().join("content"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".md") && !p.ends_with("_index.md"))
        .count();
    let site = r.compiled.site.as_ref().unwrap();
    assert_eq!(site.docs.len(), sources - 3);
    let files = tree(&s.public());
    assert!(files.len() > 20);
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for m in SITE_MARKERS.iter().chain(&SITE_IDENTIFIERS) {
            assert!(!text.contains(m), "{m} leaked into {path}");
        }
        for m in SITE_IDENTIFIERS {
            assert!(!path.contains(m), "{m} leaked as the name {path}");
        }
    }
    // The markers are really there: the test would see a leak.
    let sources = tree(&s.root().join("content"));
    for m in SITE_MARKERS {
        assert!(
            sources
                .iter()
                .any(|(_, b)| String::from_utf8_lossy(b).contains(m)),
            "{m} is in the fixture"
        );
    }
}

#[test]
fn a_published_link_to_a_withheld_document_fails_the_build() {
    let s = fixture("broken/link-to-withheld");
    let r = s.build();
    assert!(!r.written);
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].rule, gongkai::diag::Code::E007);
    assert_eq!(e[0].file, Path::new("content/linker.md"));
    assert_eq!(e[0].line, Some(13));
    // Without the link, the site builds and the withheld documents stay out.
    s.edit("content/linker.md", "[内部请示](bygk.md)", "内部请示");
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    for (path, bytes) in tree(&s.public()) {
        let text = String::from_utf8_lossy(&bytes);
        for m in [
            "LEAK-",
            "13502/2023-00002",
            "13502/2023-00003",
            "13502/2023-00004",
            "13502/2023-00005",
            "secret-att",
            "draft-img",
        ] {
            assert!(!text.contains(m), "{m} leaked into {path}");
        }
    }
}

#[test]
fn a_reference_by_index_number_to_a_withheld_document_fails_the_build() {
    let s = fixture("broken/link-to-withheld");
    s.remove("content/linker.md");
    // The reference is the point of the test: inline.
    s.file(
        "jd.md",
        &interpretation_doc("13502/2023-00011", "解读", "13502/2023-00003", "解读"),
    );
    let r = s.build();
    assert!(!r.written);
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].rule, gongkai::diag::Code::E007);
    assert_eq!(e[0].file, Path::new("content/jd.md"));
}

#[test]
fn a_document_without_disclosure_is_never_published() {
    let s = fixture("broken/no-disclosure");
    let r = s.build();
    assert!(!r.written);
    assert_eq!(errors(&r)[0].rule, gongkai::diag::Code::P01);
    assert!(!s.public().exists());
}

/// The link of `broken/link-to-withheld`'s linker.md, replaced by each way below.
const LINK: &str = "详见[内部请示](bygk.md)。";

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
        let s = fixture("broken/link-to-withheld");
        s.edit("content/linker.md", LINK, body);
        if way == "own attachments list" {
            s.edit(
                "content/linker.md",
                "item: \"20.15\"\n",
                "item: \"20.15\"\nattachments: [{path: \"secret-att.txt\", title: \"2024年预算表\"}]\n",
            );
        }
        let r = s.build();
        assert!(!r.written, "{way}: the build must be refused");
        assert!(!s.public().exists(), "{way}: nothing written");
        let e = errors(&r);
        assert_eq!(e.len(), 1, "{way}: {e:#?}");
        assert_eq!(e[0].rule, gongkai::diag::Code::E007, "{way}");
        assert_eq!(e[0].file, Path::new("content/linker.md"), "{way}");
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
        "见<a href=\"/xxgk/13502/2023-00003.html\">内部请示</a>。",
        "<div>\n<p>见\n<a href=\"https://www.example.gov.cn/xxgk/13502/2023-00002.html\">申请</a></p>\n</div>",
    ] {
        let s = fixture("broken/link-to-withheld");
        s.edit("content/linker.md", LINK, body);
        let r = s.build();
        assert!(!r.written, "{body}");
        let e = errors(&r);
        assert_eq!(e.len(), 1, "{body}: {e:#?}");
        assert_eq!(e[0].rule, gongkai::diag::Code::E007, "{body}");
        assert!(e[0].line.unwrap_or(0) >= 13, "{body}: line {:?}", e[0].line);
    }
}

/// A raw link to a published document or attachment resolves to its published URL.
#[test]
fn raw_html_links_to_published_files_resolve() {
    let s = fixture("broken/link-to-withheld");
    s.bytes("table.csv", "年度,金额\n2024,1\n".as_bytes());
    s.edit(
        "content/linker.md",
        LINK,
        "见<a href=\"public.md\">公开文件</a>和<a href=\"table.csv\">表</a>。",
    );
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    let page = s.read("xxgk/13502/2023-00010.html");
    assert!(
        page.contains("href=\"/xxgk/13502/2023-00001.html\""),
        "{page}"
    );
    assert!(page.contains("href=\"/table.csv\""), "{page}");
    assert!(s.public().join("table.csv").exists());
}

/// Text the sanitiser removes never reaches the meta description, the catalogue summaries or
/// the search index (issue 11, item 3): only what the page shows is described and indexed.
#[test]
fn text_the_sanitiser_removes_is_neither_described_nor_indexed() {
    let s = fixture("small");
    s.edit(
        "content/a.md",
        "正文甲",
        "正文<script>隐藏脚本甲乙丙</script>开始<style>隐藏样式丁戊己</style>\n\n<template>隐藏模板庚辛壬</template>\n\n<div>可见区块癸子丑</div>",
    );
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    for (path, bytes) in tree(&s.public()) {
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
