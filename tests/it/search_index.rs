//! What enters the search index and how the engine reads it, on built fixture sites: column
//! pages (`_index.md`) are found, a draft or withheld column page never is, the second-level
//! 主题分类 filters and is searchable, and a listing without a query is exact and newest first
//! (issue 16 items 8 and 9). The planner's "read little" rules are tested in
//! `search-wasm/tests/plan.rs`.

use gongkai_search::{LocalIndex, SearchQuery, SearchResults, Sort};

use crate::harness::{doc, errors, fixture, tree, Site};

fn search(s: &Site, query: &SearchQuery) -> SearchResults {
    gongkai_search::search_dir(&s.public().join("search"), query).expect("search")
}

fn built(s: &Site) -> gongkai::pipeline::BuildReport {
    let r = s.build();
    assert!(r.written, "{:#?}", errors(&r));
    r
}

/// The address of the column that shows `content/<dir>/_index.md`.
fn column_url(r: &gongkai::pipeline::BuildReport, dir: &str) -> String {
    let site = r.compiled.site.as_ref().expect("site");
    let column = site
        .columns
        .iter()
        .find(|c| c.section_dir == dir)
        .unwrap_or_else(|| panic!("no column shows {dir}"));
    format!("{}{}", site.config.base_path, column.path)
}

#[test]
fn column_pages_are_searchable_under_their_column() {
    let s = fixture("site");
    let guide = s.root().join("content/zfxxgkzn/_index.md");
    let mut text = std::fs::read_to_string(&guide).unwrap();
    text.push_str("\n## 四、办公时间\n\n办公时间：工作日上午 9:00—12:00，下午 13:30—17:30。\n");
    std::fs::write(&guide, text).unwrap();
    let r = built(&s);
    let url = column_url(&r, "zfxxgkzn");
    for q in ["办公时间", "依申请", "政府信息公开指南"] {
        let got = search(&s, &SearchQuery::new(q));
        let hit = got
            .hits
            .iter()
            .find(|h| h.url == url)
            .unwrap_or_else(|| panic!("{q}: the 指南 at {url} is not among {:#?}", got.hits));
        assert_eq!(hit.kind, gongkai::search::COLUMN_PAGE_KIND, "{q}");
        assert!(hit.title.contains("指南"), "{q}: {}", hit.title);
    }
    // 办公时间 is only in the 指南: exactly one hit, highlighted in the snippet.
    let got = search(&s, &SearchQuery::new("办公时间"));
    assert_eq!(got.total, 1, "{:#?}", got.hits);
    assert!(got.hits[0].snippet_html.contains("<mark>办公时间</mark>"));
    // A filter on a document field never lists column pages.
    let in_force = search(
        &s,
        &SearchQuery {
            validity: Some("有效".into()),
            ..SearchQuery::new("依申请")
        },
    );
    assert!(in_force.hits.iter().all(|h| h.url != url));
    // A listing without words lists documents only, unless it asks for column pages.
    let bare = search(
        &s,
        &SearchQuery {
            limit: 100,
            ..SearchQuery::default()
        },
    );
    let documents = r.compiled.site.as_ref().unwrap().docs.len() as u64;
    assert_eq!(bare.total, documents);
    assert!(bare.hits.iter().all(|h| h.url != url));
    let pages = search(
        &s,
        &SearchQuery {
            kind: Some(gongkai::search::COLUMN_PAGE_KIND.into()),
            ..SearchQuery::default()
        },
    );
    assert!(pages.hits.iter().any(|h| h.url == url), "{:#?}", pages.hits);
}

#[test]
fn draft_and_withheld_column_pages_never_reach_the_index() {
    let s = fixture("site");
    let markers = [
        ("zfxxgkzd/_index.md", "draft: true", "caogaolanmu"),
        (
            "ysqgk/_index.md",
            "disclosure: \"依申请公开\"",
            "yishenqinglanmu",
        ),
    ];
    for (path, flag, marker) in markers {
        std::fs::write(
            s.root().join("content").join(path),
            format!("---\ntitle: \"栏目 {marker}\"\n{flag}\n---\n\n内部说明 {marker} 不得公开。\n"),
        )
        .unwrap();
    }
    built(&s);
    let mut index = LocalIndex::open(&s.public().join("search")).unwrap();
    let stored = index.stored_documents().unwrap().join("\n");
    for (_, _, marker) in markers {
        assert_eq!(search(&s, &SearchQuery::new(marker)).total, 0, "{marker}");
        assert!(!stored.contains(marker), "{marker} is in the docstore");
        for (path, bytes) in tree(&s.public()) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(marker),
                "{marker} leaked into {path}"
            );
        }
    }
    // The same page published is found: the test can see a leak.
    std::fs::write(
        s.root().join("content/zfxxgkzd/_index.md"),
        "---\ntitle: \"政府信息公开制度\"\n---\n\n制度说明 caogaolanmu 公开。\n",
    )
    .unwrap();
    built(&s);
    assert_eq!(search(&s, &SearchQuery::new("caogaolanmu")).total, 1);
}

#[test]
fn second_level_category_filters_and_is_searchable() {
    let s = fixture("site");
    // A document whose text never says 信访: only its second-level 主题分类 does.
    s.file(
        "2024/xinfang-test.md",
        &doc(
            "13502/2024-00901",
            "关于做好群众来访接待工作的通知",
            "category_sub: \"信访\"\n",
            "各有关单位：请认真做好群众来访接待工作。",
        ),
    );
    let r = built(&s);
    let site = r.compiled.site.as_ref().unwrap();
    let value = gongkai_search::category_path("财政、金融、审计", "财政");
    let expected = site
        .docs
        .iter()
        .filter(|d| {
            d.category.as_deref() == Some("财政、金融、审计")
                && d.category_sub.as_deref() == Some("财政")
        })
        .count() as u64;
    assert!(expected >= 1, "the fixture has a document under 财政");
    // Filter alone (no words): exactly those documents, newest first.
    let listed = search(
        &s,
        &SearchQuery {
            category_sub: Some(value.clone()),
            limit: 100,
            ..SearchQuery::default()
        },
    );
    assert!(listed.searched);
    assert_eq!(listed.total, expected);
    assert!(listed.hits.iter().all(|h| h.category_sub == value));
    assert!(listed
        .hits
        .windows(2)
        .all(|w| w[0].published >= w[1].published));
    // Its count among the facets of every document.
    let all = search(
        &s,
        &SearchQuery {
            facets: true,
            ..SearchQuery::new("预算")
        },
    );
    let counted = all
        .facets
        .category_sub
        .iter()
        .find(|(v, _)| *v == value)
        .map(|(_, n)| *n);
    assert!(counted.is_some(), "{:?}", all.facets.category_sub);
    // The second-level name is searchable text.
    let found = search(&s, &SearchQuery::new("信访"));
    assert_eq!(found.total, 1, "{:#?}", found.hits);
    assert_eq!(found.hits[0].category_sub, "综合政务\\信访");
    // The CLI takes `二级` under --category.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["search", "--root"])
        .arg(s.root())
        .args([
            "--category",
            "财政、金融、审计",
            "--category-sub",
            "财政",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let cli: SearchResults = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(cli.total, expected);
}

#[test]
fn a_listing_without_a_query_is_exact_and_newest_first() {
    let s = fixture("site");
    let r = built(&s);
    let site = r.compiled.site.as_ref().unwrap();
    // Every (有效性, 发布机构, year) the fixture has: the engine's listing equals the site
    // model's, counted independently, in date order.
    let mut combos = std::collections::BTreeSet::new();
    for (d, l) in site.docs.iter().zip(&site.lifecycles) {
        if let (Some(v), Some(p), Some(i)) = (l.validity, d.published, d.issuers.first()) {
            combos.insert((v.to_string(), i.clone(), p.date.format("%Y").to_string()));
        }
    }
    assert!(combos.len() >= 3);
    for (validity, issuer, year) in combos {
        let mut expected: Vec<(String, String)> = site
            .docs
            .iter()
            .zip(&site.lifecycles)
            .filter(|(d, l)| {
                l.validity.map(|v| v.to_string()).as_deref() == Some(validity.as_str())
                    && d.issuers.contains(&issuer)
                    && d.published
                        .map(|p| p.date.format("%Y").to_string())
                        .as_deref()
                        == Some(year.as_str())
            })
            .map(|(d, _)| {
                (
                    d.published.unwrap().date.to_string(),
                    format!("{}{}", site.config.base_path, d.page_path()),
                )
            })
            .collect();
        expected.sort_by(|a, b| b.0.cmp(&a.0));
        let got = search(
            &s,
            &SearchQuery {
                validity: Some(validity.clone()),
                issuer: Some(issuer.clone()),
                year: Some(year.clone()),
                sort: Sort::Date,
                limit: 100,
                ..SearchQuery::default()
            },
        );
        let label = format!("{validity} {issuer} {year}");
        assert_eq!(got.total as usize, expected.len(), "{label}");
        let got_dates: Vec<&str> = got.hits.iter().map(|h| h.published.as_str()).collect();
        let want_dates: Vec<&str> = expected.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(got_dates, want_dates, "{label}");
        let mut got_urls: Vec<&str> = got.hits.iter().map(|h| h.url.as_str()).collect();
        let mut want_urls: Vec<&str> = expected.iter().map(|(_, u)| u.as_str()).collect();
        got_urls.sort_unstable();
        want_urls.sort_unstable();
        assert_eq!(got_urls, want_urls, "{label}");
    }
}
