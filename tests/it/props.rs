//! Property tests (issue 11, "Also"): random input to the parsers, the Markdown renderer and
//! sanitiser, and whole random sites. Nothing may panic, and where a round trip or an invariant
//! exists it must hold. Case counts are small so the suite stays well under a minute in CI;
//! `PROPTEST_CASES=N` raises every one of them locally. A failure is shrunk to a minimal input
//! and recorded under `proptest-regressions/`, which is committed and replayed first.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;

use gongkai::load::parse_source;
use gongkai::meta::{date::parse_pub_date, doc_no, parse_date, IndexNo, IndexNoTemplate};

use crate::harness::{self, doc, Site};

/// `PROPTEST_CASES`, or `default` (the CI budget of that property).
fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases: n,
        // Beside this file (tests run in the crate's folder), committed.
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(
                "tests/it/props.proptest-regressions",
            ),
        )),
        ..ProptestConfig::default()
    }
}

/// Any text, weighted towards what front-matter, Markdown and HTML are made of.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "\\PC{0,12}",
        2 => "[\\-:#'\"\\[\\]{}<>|&*!%@`,?=/\\\\ \t\n]{1,4}",
        1 => Just("---\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\u{feff}".to_string()),
        1 => Just("\u{fffe}\u{ffff}\u{0}\u{1b}".to_string()),
        1 => "[索引号标题发布机构主题分类附件：“”〔〕]{1,6}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

// ---- front-matter ----

/// A YAML double-quoted scalar holding exactly `s` (escapes for what YAML may not carry raw).
fn yaml_quoted(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            ' '..='~'
            | '\u{a0}'..='\u{d7ff}'
            | '\u{e000}'..='\u{fefe}'
            | '\u{ff00}'..='\u{fffd}' => o.push(c),
            c if (c as u32) > 0xffff => o.push_str(&format!("\\U{:08X}", c as u32)),
            c => o.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    o.push('"');
    o
}

/// Keys as an editor may write them: canonical English or a Chinese label.
const KEYS: &[(&str, &str)] = &[
    ("title", "title"),
    ("名称", "title"),
    ("index_no", "index_no"),
    ("索引号", "index_no"),
    ("summary", "summary"),
    ("内容概述", "summary"),
    ("doc_no", "doc_no"),
    ("文件编号", "doc_no"),
    ("issuer", "issuer"),
    ("发布机构", "issuer"),
];

proptest! {
    #![proptest_config(cases(400))]

    /// Any bytes: a source or findings, never a panic; findings name the file and a line, and a
    /// source's lines point inside its front-matter.
    #[test]
    fn front_matter_parsing_never_panics(t in text(), raw in prop::collection::vec(any::<u8>(), 0..64)) {
        for bytes in [t.as_bytes().to_vec(), [b"---\n".as_slice(), &raw, b"\n---\n"].concat()] {
            let path = Path::new("content/p.md");
            let mut soft = Vec::new();
            match parse_source(path, &bytes, &mut soft) {
                Ok(src) => {
                    prop_assert!(src.body_line >= 3);
                    for (k, f) in &src.fields {
                        prop_assert!(f.line >= 2 && f.line < src.body_line, "{k} at {}", f.line);
                    }
                }
                Err(d) => {
                    prop_assert!(!d.is_empty());
                    for x in &d {
                        prop_assert_eq!(&x.file, path);
                        prop_assert!(x.line.is_some_and(|l| l >= 1), "{:?}", x);
                        prop_assert!(!x.message.is_empty());
                    }
                }
            }
            for x in &soft {
                prop_assert_eq!(&x.file, path);
                prop_assert!(x.line.is_some());
            }
        }
    }

    /// Values written as YAML double-quoted scalars, under English keys or Chinese labels, come
    /// back exactly, with the line they stand on.
    #[test]
    fn front_matter_round_trips(
        entries in prop::collection::btree_map(0..KEYS.len(), "\\PC{1,40}", 1..6),
        body in "\\PC{0,80}",
        crlf in any::<bool>(),
    ) {
        // One key per canonical field (an alias written twice is E006, tested elsewhere).
        let mut seen = BTreeMap::new();
        for (k, v) in &entries {
            seen.entry(KEYS[*k].1).or_insert((KEYS[*k].0, v.clone()));
        }
        let mut text = String::from("---\n");
        let mut want = Vec::new();
        for (line, (canonical, (written, value))) in seen.iter().enumerate() {
            text.push_str(&format!("{written}: {}\n", yaml_quoted(value)));
            if !value.trim().is_empty() {
                want.push((*canonical, value.clone(), line + 2));
            }
        }
        text.push_str("---\n");
        text.push_str(&body);
        let text = if crlf { text.replace('\n', "\r\n") } else { text };
        let src = parse_source(Path::new("content/p.md"), text.as_bytes(), &mut Vec::new())
            .map_err(|d| TestCaseError::fail(format!("{d:?}\n{text}")))?;
        prop_assert_eq!(src.fields.len(), want.len());
        for (key, value, line) in want {
            let f = &src.fields[&key];
            prop_assert_eq!(f.value.as_str(), Some(value.as_str()), "{}", key);
            prop_assert_eq!(f.line, line, "{}", key);
        }
        let body = body.replace("\r\n", "\n").replace('\r', "\n");
        prop_assert_eq!(&*src.body, body.as_str());
    }
}

// ---- 文号, 索引号, dates ----

fn date() -> impl Strategy<Value = chrono::NaiveDate> {
    (1900i32..2100, 1u32..=12, 1u32..=31).prop_filter_map("a real day", |(y, m, d)| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
    })
}

proptest! {
    #![proptest_config(cases(600))]

    /// Any text: a date or a message, never a panic; a date is exactly what was written, and a
    /// suggested rewrite (`应写作 "…"`) is itself accepted.
    #[test]
    fn dates_parse_strictly_and_suggest_fixes_that_work(s in prop_oneof![
        text(),
        (1900i32..2100, 1u32..=13, 0u32..=32, "[-/.年月日 ]{1,2}")
            .prop_map(|(y, m, d, sep)| format!("{y}{sep}{m}{sep}{d}")),
    ]) {
        match parse_date(&s) {
            Ok(d) => prop_assert_eq!(d.format("%Y-%m-%d").to_string(), s.trim()),
            Err(e) => {
                prop_assert!(e.contains('“'), "{}", e);
                if let Some(fix) = e.split("应写作 \"").nth(1).and_then(|r| r.split('"').next()) {
                    prop_assert!(parse_date(fix).is_ok(), "suggested {} for {}", fix, s);
                }
            }
        }
        let _ = parse_pub_date(&s);
    }

    /// Every real date (and time of day) round-trips through its written form.
    #[test]
    fn dates_round_trip(d in date(), h in 0u32..24, m in 0u32..60) {
        prop_assert_eq!(parse_date(&d.to_string()), Ok(d));
        let p = parse_pub_date(&format!("{d} {h:02}:{m:02}")).unwrap();
        prop_assert_eq!((p.date, p.time.map(|t| t.format("%H:%M").to_string())),
            (d, Some(format!("{h:02}:{m:02}"))));
    }

    /// Any 索引号 becomes a page path under `xxgk/` that cannot climb out or hide: only
    /// `[0-9A-Za-z._-]` in each part, no empty, `.` or `..` part, no part starting with a dot.
    #[test]
    fn index_numbers_make_safe_page_paths(s in text()) {
        match IndexNo::new(&s) {
            None => prop_assert!(s.trim().is_empty()),
            Some(n) => {
                let p = n.page_path();
                let inner = p.strip_prefix("xxgk/").and_then(|r| r.strip_suffix(".html"));
                prop_assert!(inner.is_some(), "{}", p);
                for part in inner.unwrap().split('/') {
                    prop_assert!(!part.is_empty() && !part.starts_with('.'), "{}", p);
                    prop_assert!(part.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)), "{}", p);
                }
                prop_assert_eq!(n.as_str(), s.trim());
            }
        }
    }

    /// Numbers made by a template read back as the same sequence number.
    #[test]
    fn index_number_templates_round_trip(
        org in "[0-9A-Za-z]{1,12}",
        form in 0usize..3,
        width in 1usize..8,
        year in 1990i32..2100,
        month in 1u32..=12,
        seq in 0u64..10_000_000,
    ) {
        let tpl = [
            format!("{{org_code}}/{{year}}-{{seq:0{width}}}"),
            format!("{{org_code}}-{{year}}{{month}}-{{seq:0{width}}}"),
            "X{year}/{org_code}/{seq}".to_string(),
        ][form].clone();
        let t = IndexNoTemplate::parse(&tpl).unwrap();
        let no = t.format(&org, year, month, seq);
        let back = t.parse_seq(no.as_str(), &org);
        prop_assert_eq!(back.map(|(_, s)| s), Some(seq), "{} from {}", no, tpl);
    }

    /// Any text as a 文号: a verdict and a Chinese message with a fix, never a panic. The
    /// automatic fix (`check --fix`) mends the brackets for good: its result has no bracket
    /// problem left and needs no second fix (other problems are reported next, one at a time).
    #[test]
    fn doc_numbers_never_panic_and_fixes_are_accepted(s in prop_oneof![
        text(),
        ("[\\p{Han}A-Za-z]{1,6}", "[\\[(（【〔﹝]", "[0-9０-９]{2,4}", "[\\])）】〕﹞]", 0u32..100_000, "号?")
            .prop_map(|(c, o, y, cl, n, h)| format!("{c}{o}{y}{cl}{n}{h}")),
    ], is_order in any::<bool>()) {
        match doc_no::DocNo::parse(&s, is_order) {
            Ok(n) => prop_assert_eq!(n.as_str(), s.as_str()),
            Err(e) => {
                prop_assert!(!e.to_string().is_empty() && !e.help().is_empty());
                if let Some(fixed) = e.fixed() {
                    prop_assert_eq!(doc_no::fix_brackets(&fixed), None, "{} needs a second fix", fixed);
                    if let Err(again) = doc_no::DocNo::parse(&fixed, is_order) {
                        prop_assert!(
                            !matches!(again.kind, doc_no::DocNoErrorKind::WrongBrackets { .. }),
                            "fix {} of {} still has wrong brackets", fixed, s
                        );
                    }
                }
            }
        }
        if let Some(f) = doc_no::fix_brackets(&s) {
            prop_assert!(f.contains('〔') && f.contains('〕'));
        }
    }

    /// Valid ordinary numbers parse into their parts.
    #[test]
    fn doc_numbers_round_trip(code in "[\\p{Han}A-Za-z]{1,20}", year in 1900i32..2100, seq in 1u32..100_000) {
        let s = format!("{code}〔{year}〕{seq}号");
        let n = doc_no::DocNo::parse(&s, false).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!((n.issuer_code(), n.year(), n.number()), (code.as_str(), Some(year), seq));
    }
}

// ---- Markdown and the sanitiser ----

/// Hostile HTML and Markdown: scripts, handlers and code-running URLs in many spellings.
fn hostile() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just("javascript:"),
        Just("JaVaScRiPt:"),
        Just(" javascript:"),
        Just("java\tscript:"),
        Just("java&#x09;script:"),
        Just("&#106;avascript:"),
        Just("&#x6A;avascript&#x3A;"),
        Just("vbscript:"),
        Just("data:text/html;base64,PHNjcmlwdD4="),
        Just("jav&#x0A;ascript:"),
    ];
    let tag = prop_oneof![
        Just("script"),
        Just("SCRIPT"),
        Just("style"),
        Just("iframe"),
        Just("object"),
        Just("embed"),
        Just("svg"),
        Just("math"),
        Just("template"),
        Just("form"),
        Just("img"),
        Just("a"),
        Just("base"),
        Just("meta"),
        Just("link"),
        Just("details"),
        Just("body"),
    ];
    let attr = prop_oneof![
        Just("onload"),
        Just("onerror"),
        Just("ONCLICK"),
        Just("onmouseover"),
        Just("onfocus"),
        Just("href"),
        Just("src"),
        Just("action"),
        Just("formaction"),
        Just("xlink:href"),
        Just("srcset"),
        Just("style"),
        Just("data"),
        Just("poster"),
    ];
    let piece =
        (tag, attr, scheme, "[a-z0-9()]{0,8}", 0usize..9).prop_map(|(t, a, s, x, k)| match k {
            0 => format!("<{t} {a}=\"{s}alert({x})\">{x}</{t}>"),
            1 => format!("<{t} {a}={s}alert(1)>"),
            2 => format!("[链接]({s}alert({x}))"),
            3 => format!("![图]({s}alert(1))"),
            4 => format!("<{s}alert(1)>"),
            5 => format!("[r]: {s}alert(1)\n\n[r]"),
            6 => format!("<{t}/{a}=x {a}='{s}x'>"),
            7 => format!("<script>{x}</script><{t} {a}=\"x\" "),
            _ => format!("<!--<{t} {a}=\"{s}\">-->"),
        });
    let part = prop_oneof![3 => piece, 1 => text(), 1 => Just("\n\n".to_string())];
    prop::collection::vec(part, 1..8).prop_map(|v| v.concat())
}

/// The start tags of `html`, each with its attributes (name lowercased, value as written).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let tag = regex::Regex::new(r"<([A-Za-z][^\s/>]*)([^>]*)>").unwrap();
    let attr =
        regex::Regex::new(r#"([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?"#).unwrap();
    tag.captures_iter(html)
        .map(|c| {
            let attrs = attr
                .captures_iter(&c[2])
                .map(|a| {
                    let v = a.get(2).or(a.get(3)).or(a.get(4)).map(|m| m.as_str());
                    (a[1].to_ascii_lowercase(), v.unwrap_or("").to_string())
                })
                .collect();
            (c[1].to_ascii_lowercase(), attrs)
        })
        .collect()
}

/// An attribute value as a browser reads it: character references decoded, blanks dropped.
fn as_browser_reads(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e < 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let n = if let Some(h) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(h, 16).ok()
            } else if let Some(d) = name.strip_prefix('#') {
                d.parse().ok()
            } else {
                match name {
                    "colon" => Some(':' as u32),
                    "tab" => Some(9),
                    "newline" => Some(10),
                    "amp" => Some('&' as u32),
                    _ => None,
                }
            };
            n.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

proptest! {
    #![proptest_config(cases(400))]

    /// Whatever the body, the rendered page holds no script, no style sheet, no frame or
    /// object, no event handler and no URL that runs code; rendering is deterministic.
    #[test]
    fn rendered_bodies_never_carry_script(body in hostile()) {
        let r = gongkai::markdown::render(&body, &|_| None);
        let again = gongkai::markdown::render(&body, &|_| None);
        prop_assert_eq!(&r.html, &again.html);
        for (name, attrs) in tags(&r.html) {
            prop_assert!(
                !["script", "style", "iframe", "object", "embed", "form", "base", "meta", "link",
                  "svg", "math", "template", "frame", "frameset", "applet"].contains(&name.as_str()),
                "<{}> survived: {}", name, r.html
            );
            for (a, v) in attrs {
                prop_assert!(!a.starts_with("on"), "{} on <{}> survived: {}", a, name, r.html);
                prop_assert!(a != "style" && a != "formaction" && a != "srcdoc", "{} survived: {}", a, r.html);
                let v = as_browser_reads(&v);
                for bad in ["javascript:", "vbscript:", "data:"] {
                    prop_assert!(!v.contains(bad), "{}={} on <{}> survived: {}", a, v, name, r.html);
                }
            }
        }
        let sanitized = gongkai::markdown::sanitize(&body);
        prop_assert!(!sanitized.to_ascii_lowercase().contains("<script"), "{}", sanitized);
    }
}

// ---- whole sites ----

/// What happens to one random document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Public,
    OnRequest,
    Withheld,
    Draft,
    /// 主动公开, but dated after the build date: not published yet.
    NotYet,
}

#[derive(Debug, Clone)]
struct Spec {
    fate: Fate,
    summary: bool,
    keywords: bool,
    attachment: bool,
    /// A link in the body to another document or to its attachment, written one of four
    /// ways ([`link_text`]).
    link: Option<(usize, u8)>,
}

/// How document `i` links document `j` (`way` 0–3): a Markdown link to its source, a raw HTML
/// link to it, a Markdown image of its attachment, a raw HTML link to its attachment (the
/// attachment ways fall back to the document when it has none).
fn link_text(specs: &[Spec], j: usize, way: u8, nonce: u32) -> String {
    let attachment = format!("../d{j}/{}.txt", marker(j, 'a', nonce));
    match way {
        2 if specs[j].attachment => format!("![附图](<{attachment}>)"),
        3 if specs[j].attachment => format!("<a href=\"{attachment}\">附件</a>"),
        1 | 3 => format!("<a href=\"../d{j}/doc.md\">另一文件</a>"),
        _ => format!("[另一文件](../d{j}/doc.md)"),
    }
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop_oneof![
            3 => Just(Fate::Public),
            1 => Just(Fate::OnRequest),
            1 => Just(Fate::Withheld),
            1 => Just(Fate::Draft),
            1 => Just(Fate::NotYet),
        ],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::option::weighted(0.3, (0usize..6, 0u8..4)),
    )
        .prop_map(|(fate, summary, keywords, attachment, link)| Spec {
            fate,
            summary,
            keywords,
            attachment,
            link,
        })
}

/// A marker no other text contains: one word to the search analyzer.
fn marker(doc: usize, field: char, nonce: u32) -> String {
    format!("zq{doc:02}{field}x{nonce:08x}")
}

/// Writes the site; returns the markers of published and of withheld documents, and the
/// 索引号 of the withheld ones.
fn write_site(s: &Site, specs: &[Spec], nonce: u32) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut shown, mut hidden, mut hidden_numbers) = (Vec::new(), Vec::new(), Vec::new());
    for (i, sp) in specs.iter().enumerate() {
        let m = |f| marker(i, f, nonce);
        let mut extra = String::new();
        let mut mine = vec![m('t'), m('b')];
        if sp.summary {
            extra.push_str(&format!("summary: \"内容概述 {}\"\n", m('s')));
            mine.push(m('s'));
        }
        if sp.keywords {
            extra.push_str(&format!("keywords: [\"{}\", \"政务公开\"]\n", m('k')));
            mine.push(m('k'));
        }
        if sp.attachment {
            let name = format!("{}.txt", m('a'));
            s.file(&format!("d{i}/{name}"), &format!("附件内容 {}", m('c')));
            extra.push_str(&format!(
                "attachments: [{{path: \"{name}\", title: \"附件{}\"}}]\n",
                m('n')
            ));
            mine.extend([m('a'), m('c'), m('n')]);
        }
        match sp.fate {
            Fate::OnRequest => extra.push_str("exempt_basis: \"third_party\"\n"),
            Fate::Withheld => extra.push_str("exempt_basis: \"internal_affairs\"\n"),
            Fate::Draft => extra.push_str("draft: true\n"),
            Fate::Public | Fate::NotYet => {}
        }
        let mut body = format!("正文 {} 第一段。\n\n第二段。", m('b'));
        if let Some((j, way)) = sp.link.filter(|(j, _)| *j < specs.len() && *j != i) {
            body.push_str(&format!("\n\n参见{}。", link_text(specs, j, way, nonce)));
        }
        let no = format!("13502/2024-{:05}", i + 1);
        let mut text = doc(&no, &format!("文件 {}", m('t')), &extra, &body);
        text = match sp.fate {
            Fate::OnRequest => text.replace("主动公开", "依申请公开"),
            Fate::Withheld => text.replace("主动公开", "不予公开"),
            Fate::NotYet => text.replace("published: \"2024-01-05\"", "published: \"2030-01-05\""),
            Fate::Public | Fate::Draft => text,
        };
        s.file(&format!("d{i}/doc.md"), &text);
        if sp.fate == Fate::Public {
            shown.extend(mine);
        } else {
            hidden.extend(mine);
            hidden_numbers.push(no);
        }
    }
    (shown, hidden, hidden_numbers)
}

proptest! {
    #![proptest_config(cases(8))]

    /// Random sites of published, 依申请公开, 不予公开, draft and not-yet-due documents, with
    /// markers in titles, bodies, summaries, keywords and attachment names and contents, and
    /// links (Markdown or raw HTML) to other documents and their attachments: no
    /// withheld marker or 索引号 reaches any output byte, nor the search index (its stored
    /// documents decoded, and every marker searched); published markers are all there; two
    /// builds are byte-identical.
    #[test]
    fn random_sites_leak_nothing_and_build_identically(
        specs in prop::collection::vec(spec(), 1..6),
        nonce in any::<u32>(),
    ) {
        // A document not yet due is an error (P04) by default; as a warning it is withheld
        // and the build goes on, which is the case to watch for leaks.
        let s = Site::with_config(&format!("{}\n[rules]\nP04 = \"warn\"\n", harness::CONFIG));
        let (shown, hidden, hidden_numbers) = write_site(&s, &specs, nonce);
        let r = s.build();
        let links_to_hidden = specs.iter().enumerate().any(|(i, sp)| {
            sp.fate == Fate::Public
                && sp.link.is_some_and(|(j, _)| j < specs.len() && j != i && specs[j].fate != Fate::Public)
        });
        if links_to_hidden {
            // E007: a published page may not link to a withheld document; nothing is written.
            prop_assert!(!r.written);
            prop_assert!(harness::errors(&r).iter().any(|d| d.rule == gongkai::diag::Code::E007));
            prop_assert!(!s.public().exists());
            return Ok(());
        }
        prop_assert!(r.written, "{:#?}", harness::errors(&r));
        let files = harness::tree(&s.public());
        for (path, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            for m in hidden.iter().chain(&hidden_numbers) {
                prop_assert!(!text.contains(m.as_str()) && !path.contains(m.as_str()), "{} leaked into {}", m, path);
            }
        }
        let everything: String = files
            .iter()
            .map(|(p, b)| format!("{p}\n{}", String::from_utf8_lossy(b)))
            .collect();
        for m in &shown {
            prop_assert!(everything.contains(m.as_str()), "published marker {} is missing", m);
        }

        let mut index = gongkai_search::LocalIndex::open(&s.public().join("search"))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let stored = index.stored_documents().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let published = specs.iter().filter(|sp| sp.fate == Fate::Public).count();
        // The index also holds the column pages a column shows (`_index.md`), by their 文种.
        let column_page = serde_json::json!(gongkai::search::COLUMN_PAGE_KIND);
        let stored_docs = stored
            .iter()
            .filter(|d| serde_json::from_str::<serde_json::Value>(d).map(|v| v["kind"] != column_page).unwrap_or(true))
            .count();
        prop_assert_eq!(stored_docs, published);
        for d in &stored {
            for m in hidden.iter().chain(&hidden_numbers) {
                prop_assert!(!d.contains(m.as_str()), "{} is stored in the index: {}", m, d);
            }
        }
        for m in &hidden {
            let found = index
                .search(&gongkai_search::SearchQuery::new(m.as_str()))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(found.total, 0, "{} is searchable", m);
        }
        for (i, _) in specs.iter().enumerate().filter(|(_, sp)| sp.fate == Fate::Public) {
            let found = index
                .search(&gongkai_search::SearchQuery::new(marker(i, 't', nonce)))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(found.total, 1, "published title of d{} not found", i);
        }

        let mut again = s.options();
        again.output = Some(s.root().join("again"));
        let r2 = gongkai::pipeline::build(&again).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(r2.written);
        let second = harness::tree(&s.root().join("again"));
        prop_assert_eq!(files.len(), second.len());
        for ((p, a), (q, b)) in files.iter().zip(&second) {
            prop_assert_eq!(p, q);
            prop_assert!(a == b, "{} differs between two builds", p);
        }
    }
}

/// A picture's head as `load` reads it: a JPEG start, an EXIF segment that claims any length,
/// and whatever bytes follow (offsets, counts and types of the TIFF structure at random).
fn picture_head() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<u16>(),
        prop::bool::ANY,
        prop::collection::vec(any::<u8>(), 0..600),
    )
        .prop_map(|(len, little, rest)| {
            let mut b = vec![0xFF, 0xD8, 0xFF, 0xE1];
            b.extend(len.to_be_bytes());
            b.extend(b"Exif\0\0");
            b.extend(if little { b"II\x2a\x00" } else { b"MM\x00\x2a" });
            b.extend(rest);
            b
        })
}

/// A valid picture with a position, with some of its bytes replaced.
fn damaged_picture() -> impl Strategy<Value = Vec<u8>> {
    let good = harness::jpeg_with_gps([(40, 1), (1, 1), (30, 1)], [(116, 1), (27, 1), (0, 1)]);
    let n = good.len();
    prop::collection::vec((0..n, any::<u8>()), 1..8).prop_map(move |edits| {
        let mut b = good.clone();
        for (at, byte) in edits {
            b[at] = byte;
        }
        b
    })
}

proptest! {
    #![proptest_config(cases(600))]

    /// A damaged picture: no panic; a position, if any is still read, is a real one.
    #[test]
    fn damaged_picture_positions_never_panic(bytes in damaged_picture()) {
        if let Some(p) = gongkai::load::image::position_in(&bytes) {
            prop_assert!(p.contains('°') && p.contains("纬"), "{}", p);
        }
    }

    /// Whatever a picture's EXIF data says, reading its position never panics, and a position
    /// it reports is a real one.
    #[test]
    fn picture_positions_never_panic(head in picture_head()) {
        if let Some(p) = gongkai::load::image::position_in(&head) {
            prop_assert!(p.contains('°') && p.contains("纬"), "{}", p);
        }
    }
}

/// Escapes text for an XML text node.
fn xml_text(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// WordprocessingML at random: runs, fields opened and closed in any order, symbols of any
/// code, note references (to notes that exist and to some that do not), hidden and raised
/// text, tracked changes, links, phonetic guides, tables with grid offsets and equations, nested.
fn wordml() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "\\PC{0,8}".prop_map(|t| format!("<w:r><w:t>{}</w:t></w:r>", xml_text(&t))),
        prop_oneof![Just("begin"), Just("separate"), Just("end"), Just("")]
            .prop_map(|k| format!("<w:r><w:fldChar w:fldCharType=\"{k}\"/></w:r>")),
        "(HYPERLINK )?\\PC{0,16}"
            .prop_map(|t| format!("<w:r><w:instrText>{}</w:instrText></w:r>", xml_text(&t))),
        (
            prop_oneof![
                Just("Symbol"),
                Just("Wingdings"),
                Just("Wingdings 2"),
                Just("宋体")
            ],
            any::<u32>()
        )
            .prop_map(|(f, c)| format!("<w:r><w:sym w:font=\"{f}\" w:char=\"{c:X}\"/></w:r>")),
        prop_oneof![Just("footnote"), Just("endnote")]
            .prop_flat_map(|k| (Just(k), 0u8..4))
            .prop_map(|(k, id)| format!("<w:r><w:{k}Reference w:id=\"{id}\"/></w:r>")),
        Just("<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>".to_string()),
        prop_oneof![Just("superscript"), Just("subscript"), Just("baseline")].prop_map(|v| {
            format!("<w:r><w:rPr><w:vertAlign w:val=\"{v}\"/></w:rPr><w:t>2</w:t></w:r>")
        }),
        "\\PC{0,6}".prop_map(|t| format!("<m:r><m:t>{}</m:t></m:r>", xml_text(&t))),
    ];
    leaf.prop_recursive(5, 80, 5, |inner| {
        let kids = prop::collection::vec(inner, 0..5).prop_map(|v| v.concat());
        prop_oneof![
            kids.clone().prop_map(|k| format!("<w:p>{k}</w:p>")),
            kids.clone().prop_map(|k| format!("<w:ins>{k}</w:ins>")),
            kids.clone().prop_map(|k| format!("<w:del>{k}</w:del>")),
            kids.clone()
                .prop_map(|k| format!("<w:hyperlink r:id=\"rId9\">{k}</w:hyperlink>")),
            kids.clone().prop_map(|k| format!(
                "<w:ruby><w:rt>{k}</w:rt><w:rubyBase>{k}</w:rubyBase></w:ruby>"
            )),
            (kids.clone(), 0u32..200, 0u32..3).prop_map(|(k, before, after)| format!(
                "<w:tbl><w:tr><w:trPr><w:gridBefore w:val=\"{before}\"/><w:gridAfter w:val=\"{after}\"/></w:trPr><w:tc>{k}</w:tc></w:tr></w:tbl>"
            )),
            kids.clone().prop_map(|k| format!("<m:oMath>{k}</m:oMath>")),
            kids.clone()
                .prop_map(|k| format!("<m:f><m:num>{k}</m:num><m:den>{k}</m:den></m:f>")),
            kids.clone().prop_map(|k| format!("<m:sSup><m:e>{k}</m:e><m:sup>{k}</m:sup></m:sSup>")),
            kids.clone().prop_map(|k| format!(
                "<m:d><m:dPr><m:begChr m:val=\"\"/></m:dPr><m:e>{k}</m:e><m:e>{k}</m:e></m:d>"
            )),
            kids.prop_map(|k| format!("<m:nary><m:sub>{k}</m:sub><m:e>{k}</m:e></m:nary>")),
        ]
    })
}

/// A `.docx` with this body and these two notes (ids 1 and 2, footnote and endnote).
fn docx_of(body: &str, note: &str) -> Vec<u8> {
    const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:m=\"http://schemas.openxmlformats.org/officeDocument/2006/math\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let rel = |t: &str, target: &str, id: &str| {
        format!("<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{t}\" Target=\"{target}\"/>")
    };
    let parts = [
        (
            "word/document.xml".to_string(),
            format!("<w:document {NS}><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p>{body}</w:body></w:document>"),
        ),
        (
            "word/_rels/document.xml.rels".to_string(),
            format!(
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{}{}{}</Relationships>",
                rel("footnotes", "footnotes.xml", "rId1"),
                rel("endnotes", "endnotes.xml", "rId2"),
                "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"https://www.gov.cn/\" TargetMode=\"External\"/>"
            ),
        ),
        (
            "word/footnotes.xml".to_string(),
            format!("<w:footnotes {NS}><w:footnote w:id=\"1\"><w:p>{note}</w:p></w:footnote></w:footnotes>"),
        ),
        (
            "word/endnotes.xml".to_string(),
            format!("<w:endnotes {NS}><w:endnote w:id=\"2\">{note}</w:endnote></w:endnotes>"),
        ),
    ];
    for (name, xml) in parts {
        z.start_file(name, opts).unwrap();
        std::io::Write::write_all(&mut z, xml.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

proptest! {
    #![proptest_config(cases(150))]

    /// Whatever Word's XML holds, reading it never panics (an internal error would say
    /// 程序缺陷), and hidden text never reaches the body.
    #[test]
    fn word_files_never_panic_the_import(body in wordml(), note in wordml()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("随机.docx");
        std::fs::write(&path, docx_of(&body, &note)).unwrap();
        match gongkai::import::read(&path, "随机") {
            Ok(imp) => prop_assert!(!imp.body.contains("隐藏"), "{}", imp.body),
            Err(e) => prop_assert!(!e.message.contains("程序缺陷"), "{}", e.message),
        }
    }
}

/// A web page at random: nested elements of the kinds an old CMS writes, some hidden in the
/// ways a browser honours, whose text is the marker `隐藏`; visible text never has it.
fn web_page() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-z0-9一-龥，。 ]{0,12}".prop_map(|t| t.replace('<', "")),
        Just("<br>".to_string()),
        Just("<img src=\"a.png\" alt=\"图\">".to_string()),
    ];
    leaf.prop_recursive(5, 60, 5, |inner| {
        let kids = prop::collection::vec(inner, 0..5).prop_map(|v| v.concat());
        (
            prop_oneof![
                Just("p"),
                Just("div"),
                Just("span"),
                Just("td"),
                Just("tr"),
                Just("table"),
                Just("sup"),
                Just("sub"),
                Just("a"),
                Just("b"),
                Just("font"),
                Just("li")
            ],
            prop_oneof![
                4 => Just(""),
                1 => Just(" hidden"),
                1 => Just(" style=\"display:none\""),
                1 => Just(" style=\"COLOR:red; visibility : hidden !important\""),
            ],
            kids,
        )
            .prop_map(|(tag, hide, k)| {
                let k = if hide.is_empty() {
                    k
                } else {
                    format!("隐藏{k}")
                };
                format!("<{tag}{hide}>{k}</{tag}>")
            })
    })
}

proptest! {
    #![proptest_config(cases(200))]

    /// A saved page's main text never holds what the browser hides, and reading it never panics.
    #[test]
    fn hidden_web_page_text_is_never_imported(page in web_page()) {
        let html = format!("<html><body><div id=\"zoom\">{page}<p>正文</p></div></body></html>");
        let (blocks, _) = gongkai::import::html::main_text(&html, None);
        for b in &blocks {
            let text = match b {
                gongkai::import::docx::Block::Para(p) => p.text(),
                gongkai::import::docx::Block::Table(t) => t.text(),
            };
            prop_assert!(!text.contains("隐藏"), "{} → {}", page, text);
        }
    }
}
