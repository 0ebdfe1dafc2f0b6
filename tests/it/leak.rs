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
