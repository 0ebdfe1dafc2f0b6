//! `gongkai import`: Word 公文 generated in the GB/T 9704 layout from real corpus documents are
//! imported, and every field and the body are checked against the source; bad files are refused
//! with a message naming them, and nothing half-written is left in `content/`.

use std::path::{Path, PathBuf};

use gongkai::import::{self, batch, header::Choices};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::gongwen_cases::{self, Case};
use crate::gongwen_docx::{Gongwen, Layout, Part};
use crate::harness::{self, Site};

/// The Markdown body as top-level blocks: paragraphs and headings as plain text, headings with
/// their level, tables as rows of cells.
#[derive(Default, Debug)]
struct Blocks {
    texts: Vec<String>,
    headings: Vec<(usize, String)>,
    tables: Vec<Vec<Vec<String>>>,
}

fn blocks(md: &str) -> Blocks {
    let mut b = Blocks::default();
    let mut cur = String::new();
    let mut row: Vec<String> = vec![];
    let mut table: Vec<Vec<String>> = vec![];
    let mut in_table = false;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Start(Tag::Paragraph) | Event::Start(Tag::Heading { .. }) => cur.clear(),
            Event::End(TagEnd::Paragraph) if !in_table => b.texts.push(std::mem::take(&mut cur)),
            Event::End(TagEnd::Heading(l)) => {
                let t = std::mem::take(&mut cur);
                b.headings.push((l as usize, t.clone()));
                b.texts.push(t);
            }
            Event::Start(Tag::Table(_)) => {
                in_table = true;
                table.clear();
            }
            Event::End(TagEnd::Table) => {
                in_table = false;
                b.tables.push(std::mem::take(&mut table));
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                table.push(std::mem::take(&mut row))
            }
            Event::Start(Tag::TableCell) => cur.clear(),
            Event::End(TagEnd::TableCell) => row.push(std::mem::take(&mut cur)),
            Event::Text(t) | Event::Code(t) => cur.push_str(&t),
            Event::InlineHtml(h) if h.as_ref() == "<br>" => cur.push('\n'),
            _ => {}
        }
    }
    b
}

/// Writes a case's .docx and the files beside it into `dir`; returns the .docx path.
fn write_case(dir: &Path, name: &str, g: &Gongwen, beside: &[(String, Vec<u8>)]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for (n, bytes) in beside {
        std::fs::write(dir.join(n), bytes).unwrap();
    }
    let p = dir.join(format!("{name}.docx"));
    std::fs::write(&p, g.to_docx()).unwrap();
    p
}

const FIELDS: [&str; 11] = [
    "标题",
    "文号",
    "发文机关",
    "成文日期",
    "主送",
    "正文",
    "标题层级",
    "表格",
    "粗体",
    "附件",
    "版记",
];

/// Compares one import with its expectation; returns, per field, `None` when it does not apply
/// and `Some(error)` when it is wrong.
fn compare(case: &Case, imp: &import::Imported) -> Vec<(usize, bool, String)> {
    let e = &case.expect;
    let g = &imp.gongwen;
    let b = blocks(&imp.body);
    let mut out = vec![];
    let mut check = |k: usize, applies: bool, ok: bool, detail: String| {
        out.push((k, applies, if ok { String::new() } else { detail }));
    };
    check(
        0,
        true,
        g.title.as_deref() == Some(e.title.as_str()),
        format!("{:?} ≠ {:?}", g.title, e.title),
    );
    check(
        1,
        true,
        g.doc_no == e.doc_no,
        format!("{:?} ≠ {:?}", g.doc_no, e.doc_no),
    );
    check(
        2,
        true,
        g.issuers == e.issuers,
        format!("{:?} ≠ {:?}", g.issuers, e.issuers),
    );
    check(
        3,
        true,
        g.written == e.written,
        format!("{:?} ≠ {:?}", g.written, e.written),
    );
    check(
        4,
        true,
        g.recipients == e.recipients,
        format!("{:?} ≠ {:?}", g.recipients, e.recipients),
    );
    let want: Vec<String> = e.body.iter().map(|t| t.trim().to_string()).collect();
    let body_ok = b.texts == want;
    let first_diff = b
        .texts
        .iter()
        .zip(&want)
        .position(|(a, w)| a != w)
        .map(|k| format!("#{k}: {:?} ≠ {:?}", b.texts[k], want[k]))
        .unwrap_or_else(|| format!("{} paragraphs ≠ {}", b.texts.len(), want.len()));
    check(5, true, body_ok, first_diff);
    check(
        6,
        !e.headings.is_empty(),
        b.headings == e.headings,
        format!("{:?} ≠ {:?}", b.headings, e.headings),
    );
    check(
        7,
        !e.tables.is_empty(),
        b.tables == e.tables,
        format!("{:?} ≠ {:?}", b.tables, e.tables),
    );
    let html = gongkai::markdown::render(&imp.body, &|_| None).html;
    let bold_ok = e
        .bold
        .iter()
        .all(|t| html.contains(&format!("<strong>{t}</strong>")));
    check(
        8,
        !e.bold.is_empty(),
        bold_ok,
        format!(
            "{:?} not bold in {}",
            e.bold,
            imp.body.chars().take(300).collect::<String>()
        ),
    );
    let atts: Vec<(String, String)> = imp
        .attachments
        .iter()
        .map(|(p, t)| (p.rsplit('/').next().unwrap().to_string(), t.clone()))
        .collect();
    check(
        9,
        !e.attachments.is_empty() || !e.missing.is_empty(),
        atts == e.attachments && imp.missing == e.missing,
        format!(
            "{atts:?}/{:?} ≠ {:?}/{:?}",
            imp.missing, e.attachments, e.missing
        ),
    );
    let imprint_ok =
        g.printed == e.printed && !e.imprint.iter().any(|t| imp.body.contains(t.as_str()));
    check(
        10,
        e.printed.is_some(),
        imprint_ok,
        format!("{:?} ≠ {:?}", g.printed, e.printed),
    );
    out
}

/// Imports a sample of corpus documents laid out as 公文 and prints the per-field accuracy.
/// `GONGKAI_IMPORT_SAMPLE=N` changes the sample size (default 200).
#[test]
fn corpus_documents_as_word_files_import_with_every_field_right() {
    let n: usize = std::env::var("GONGKAI_IMPORT_SAMPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let cases = gongwen_cases::sample(n);
    assert!(cases.len() >= n.min(150), "only {} cases", cases.len());
    let dir = tempfile::tempdir().unwrap();
    let mut right = [0usize; FIELDS.len()];
    let mut total = [0usize; FIELDS.len()];
    let mut failures = vec![];
    for (k, c) in cases.iter().enumerate() {
        let docx = write_case(
            &dir.path().join(k.to_string()),
            &c.name,
            &c.gongwen,
            &c.beside,
        );
        let imp = import::read(&docx, &c.name).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        for (f, applies, err) in compare(c, &imp) {
            if !applies {
                continue;
            }
            total[f] += 1;
            if err.is_empty() {
                right[f] += 1;
            } else {
                let err: String = err.chars().take(400).collect();
                failures.push(format!("{} ({:?}) {}: {err}", c.name, c.layout, FIELDS[f]));
            }
        }
    }
    let count = |l: Layout| cases.iter().filter(|c| c.layout == l).count();
    println!(
        "import accuracy over {} corpus documents (文件 {}, 令 {}, 函 {}, 无版头 {}):",
        cases.len(),
        count(Layout::File),
        count(Layout::Order),
        count(Layout::Letter),
        count(Layout::Plain)
    );
    for (f, name) in FIELDS.iter().enumerate() {
        println!(
            "  {name:<6} {:>4}/{:<4} {:>6.1}%",
            right[f],
            total[f],
            100.0 * right[f] as f64 / total[f].max(1) as f64
        );
    }
    assert!(
        failures.is_empty(),
        "{} wrong fields:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The sample holds every layout and variant the issue names.
    for l in [Layout::File, Layout::Order, Layout::Letter, Layout::Plain] {
        assert!(count(l) > 0, "no {l:?} case in the sample");
    }
    let has = |p: &dyn Fn(&Case) -> bool| cases.iter().any(p);
    assert!(has(&|c| c.expect.issuers.len() > 1), "no joint issuers");
    assert!(
        has(&|c| c.gongwen.date.contains('〇')),
        "no Chinese-numeral date"
    );
    assert!(
        has(&|c| c.gongwen.date.contains('２')),
        "no full-width date"
    );
    assert!(
        has(&|c| c.gongwen.title.len() > 1),
        "no title over several lines"
    );
    assert!(has(&|c| !c.expect.tables.is_empty()), "no table");
    assert!(
        has(&|c| c
            .gongwen
            .body
            .iter()
            .any(|p| matches!(p, Part::Para { number: true, .. }))),
        "no Word numbering"
    );
    assert!(total[9] > 0 && total[10] > 0 && total[8] > 0);
}

fn choices() -> Choices {
    Choices::default()
}

fn today() -> chrono::NaiveDate {
    harness::TODAY.parse().unwrap()
}

/// A realistic case from the corpus (the gov.cn 国发〔2019〕4号, whose 通知 印发s a 方案).
fn govcn_case(i: usize) -> Case {
    let doc = gongwen_cases::read_corpus(&harness::corpus_docs().join("govcn-0003.md")).unwrap();
    gongwen_cases::case(&doc, i).unwrap()
}

#[test]
fn an_import_is_a_draft_with_a_reserved_number_that_publishes_once_completed() {
    let site = Site::new();
    let c = govcn_case(0);
    let src = tempfile::tempdir().unwrap();
    let docx = write_case(src.path(), "国发〔2019〕4号", &c.gongwen, &c.beside);
    let req = [batch::Request {
        docx: docx.clone(),
        rel: None,
    }];
    let (placed, errors) = batch::place(site.root(), None, &req, today());
    assert!(errors.is_empty(), "{errors:?}");
    let cfg = gongkai::load::config(site.root()).unwrap();
    let (written, errors) =
        batch::write_all(site.root(), &cfg, placed, &choices(), today()).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let w = &written[0];
    assert_eq!(w.rel, Path::new("content/2019/国发〔2019〕4号.md"));
    let text = std::fs::read_to_string(site.root().join(&w.rel)).unwrap();
    assert!(text.contains("draft: true"), "{text}");
    assert!(
        text.contains(&format!("index_no: \"{}\"", w.index_no)),
        "{text}"
    );
    assert!(
        text.contains("title: \"国务院关于印发国家职业教育改革实施方案的通知\""),
        "{text}"
    );
    assert!(text.contains("doc_no: \"国发〔2019〕4号\""), "{text}");
    assert!(text.contains("written: \"2019-01-24\""), "{text}");
    assert!(text.contains("disclosure: \"主动公开\""), "{text}");
    assert!(
        text.contains("category: \"\"\n") && text.contains("没有找到"),
        "{text}"
    );
    // The attachment beside the .docx was copied; the missing one is named.
    assert_eq!(
        std::fs::read(site.root().join("content/2019/国发〔2019〕4号/附件1.pdf")).unwrap(),
        c.beside[0].1
    );
    assert!(text.contains("附件2：国务院联系人名单”没有找到"), "{text}");
    // The number is in the ledger.
    let ledger = std::fs::read_to_string(site.root().join("gongkai-ledger.tsv")).unwrap();
    assert!(
        ledger.contains(&format!("{}\tcontent/2019/国发〔2019〕4号.md", w.index_no)),
        "{ledger}"
    );
    // The review (as if draft: true were gone) asks for what the 公文 could not give.
    let diags = batch::review(site.root(), std::slice::from_ref(&w.rel), today()).unwrap();
    let fields: Vec<&str> = diags.iter().filter_map(|d| d.field.as_deref()).collect();
    assert!(
        fields.contains(&"category") && fields.contains(&"published"),
        "{diags:#?}"
    );
    // The draft is not published.
    let r = site.build();
    assert!(r.written);
    assert!(!harness::tree(&site.public())
        .iter()
        .any(|(_, b)| String::from_utf8_lossy(b).contains("国家职业教育改革实施方案的通知")));
    // Completed by the editor, it builds: headings, the table with header cells, the attachment.
    let done = text
        .replace("category: \"\"", "category: \"科技、教育\"")
        .replace("published: \"\"", "published: \"2019-02-13\"")
        .replace("draft: true\n", "")
        .replace("附件2：国务院联系人名单", "");
    std::fs::write(site.root().join(&w.rel), done).unwrap();
    let r = site.build();
    assert!(harness::errors(&r).is_empty(), "{:#?}", harness::errors(&r));
    let page = site.read(&format!("xxgk/{}.html", w.index_no));
    assert!(
        page.contains("<h2") && page.contains("一、完善国家职业教育制度体系"),
        "no heading"
    );
    assert!(page.contains("<th"), "no table header");
    assert!(page.contains("附件1：工作任务分工表"), "no attachment link");
    assert!(
        !page.contains("印发</p>") && !page.contains("抄送"),
        "版记 in the page"
    );
}

#[test]
fn a_dry_run_prints_the_header_and_writes_nothing() {
    let site = Site::new();
    let c = govcn_case(1);
    let src = tempfile::tempdir().unwrap();
    let docx = write_case(src.path(), "通知", &c.gongwen, &c.beside);
    let before = harness::tree(site.root());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["import", "--dry-run", "--today", harness::TODAY, "--root"])
        .arg(site.root())
        .arg(&docx)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("title: \"国务院关于印发国家职业教育改革实施方案的通知\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("正文 ") && stdout.contains("个标题") && stdout.contains("版记已略去"),
        "{stdout}"
    );
    assert!(stdout.contains("试运行"), "{stdout}");
    assert_eq!(harness::tree(site.root()), before, "a dry run wrote files");
}

#[test]
fn new_from_a_word_file_writes_the_given_path() {
    let site = Site::new();
    let c = govcn_case(2);
    let src = tempfile::tempdir().unwrap();
    let docx = write_case(src.path(), "x", &c.gongwen, &c.beside);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["new", "--today", harness::TODAY, "--root"])
        .arg(site.root())
        .arg("--from")
        .arg(&docx)
        .arg("zcwj/职教方案.md")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(site.root().join("content/zcwj/职教方案.md")).unwrap();
    assert!(
        text.contains("国发〔2019〕4号") && text.contains("draft: true"),
        "{text}"
    );
    assert!(
        text.contains("2026-"),
        "the 索引号 takes --today's year: {text}"
    );
}

/// A .docx with this document.xml body (and nothing else of note).
fn docx_with_body(xml_body: &str) -> Vec<u8> {
    let mut g = Gongwen::new(Layout::Plain);
    g.title = vec![];
    let bytes = g.to_docx();
    // Replace the generated body with the given one.
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        zout.start_file(&name, zip::write::SimpleFileOptions::default())
            .unwrap();
        if name == "word/document.xml" {
            let xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{xml_body}</w:body></w:document>");
            std::io::Write::write_all(&mut zout, xml.as_bytes()).unwrap();
        } else {
            std::io::copy(&mut f, &mut zout).unwrap();
        }
    }
    zout.finish().unwrap().into_inner()
}

fn ole2(stream: &str) -> Vec<u8> {
    let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    b.resize(1024, 0);
    b.extend(stream.encode_utf16().flat_map(|u| u.to_le_bytes()));
    b.resize(8192, 0);
    b
}

#[test]
fn bad_files_are_refused_with_a_message_naming_them_and_content_is_untouched() {
    let site = Site::new();
    let src = tempfile::tempdir().unwrap();
    let good = govcn_case(0).gongwen.to_docx();
    let mut truncated = good.clone();
    truncated.truncate(good.len() / 2);
    let not_word = {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut z, b"<workbook/>").unwrap();
        z.finish().unwrap().into_inner()
    };
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        (
            "旧版.doc",
            ole2("WordDocument"),
            &["Word 97-2003（.doc）", "另存为", ".docx"],
        ),
        (
            "旧版.wps",
            ole2("WordDocument"),
            &["WPS 文字（.wps）", "另存为"],
        ),
        ("加密.docx", ole2("EncryptedPackage"), &["密码", "另存为"]),
        ("截断.docx", truncated, &["不完整", "重新导出"]),
        ("表格.docx", not_word, &["不是 Word 文档"]),
        ("空.docx", vec![], &["空的"]),
        (
            "无文字.docx",
            docx_with_body("<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>"),
            &["没有任何文字"],
        ),
        (
            "坏XML.docx",
            docx_with_body("<w:p><w:r><w:t>未闭合</w:r></w:p>"),
            &["不是有效的 XML"],
        ),
        (
            "网页.doc",
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related".to_vec(),
            &["网页"],
        ),
    ];
    let before = harness::tree(&site.root().join("content"));
    let mut requests = vec![];
    for (name, bytes, _) in &cases {
        let p = src.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        requests.push(batch::Request { docx: p, rel: None });
    }
    let (placed, errors) = batch::place(site.root(), None, &requests, today());
    assert!(
        placed.is_empty(),
        "{:?}",
        placed.iter().map(|p| &p.rel).collect::<Vec<_>>()
    );
    assert_eq!(errors.len(), cases.len());
    for (name, _, words) in &cases {
        let e = errors
            .iter()
            .find(|e| e.file.ends_with(name))
            .unwrap_or_else(|| panic!("no error for {name}"));
        let msg = e.to_string();
        assert!(
            msg.starts_with(&src.path().join(name).display().to_string()),
            "{msg}"
        );
        for w in *words {
            assert!(msg.contains(w), "{name}: {msg}");
        }
        // Chinese first, English after.
        assert!(
            msg.contains('(')
                && msg.rfind('(') > msg.find(|c: char| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{msg}"
        );
    }
    assert_eq!(harness::tree(&site.root().join("content")), before);
    // Through the command: exit code 1, the message on stderr, nothing written.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["import", "--today", harness::TODAY, "--root"])
        .arg(site.root())
        .arg(src.path().join("旧版.doc"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("旧版.doc") && stderr.contains("Word 97-2003"),
        "{stderr}"
    );
    assert_eq!(harness::tree(&site.root().join("content")), before);
}

#[test]
fn a_huge_picture_becomes_an_attachment_copied_by_streaming() {
    let site = Site::new();
    let mut c = govcn_case(0);
    let big = 50 << 20;
    c.gongwen.body.insert(
        1,
        Part::Image {
            size: big,
            alt: "职业教育体系图".into(),
        },
    );
    c.gongwen.body.insert(
        2,
        Part::Image {
            size: 20_000,
            alt: String::new(),
        },
    );
    let src = tempfile::tempdir().unwrap();
    let docx = write_case(src.path(), "大图", &c.gongwen, &[]);
    let imp = import::read(&docx, "大图").unwrap();
    // The small picture stays in the body (without alt text it is named and reported); the
    // large one is an attachment.
    assert!(imp.body.contains("![图2](大图/图2.png)"), "{}", imp.body);
    assert!(!imp.body.contains("图1.png"), "{}", imp.body);
    assert_eq!(
        imp.attachments[0],
        (
            "大图/图1.png".to_string(),
            "职业教育体系图（原文图片）".to_string()
        )
    );
    assert!(
        imp.notes.iter().any(|n| n.contains("50.0 MB")),
        "{:?}",
        imp.notes
    );
    assert!(
        imp.notes.iter().any(|n| n.contains("没有替代文字")),
        "{:?}",
        imp.notes
    );
    let req = [batch::Request { docx, rel: None }];
    let (placed, _) = batch::place(site.root(), Some(Path::new("tu")), &req, today());
    let cfg = gongkai::load::config(site.root()).unwrap();
    let (written, errors) =
        batch::write_all(site.root(), &cfg, placed, &choices(), today()).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(written[0].rel, Path::new("content/tu/大图.md"));
    let copied = std::fs::metadata(site.root().join("content/tu/大图/图1.png")).unwrap();
    assert_eq!(copied.len(), big as u64);
}

#[test]
fn two_files_for_one_name_and_an_existing_document_are_refused() {
    let site = Site::new();
    site.file(
        "2019/通知.md",
        &harness::doc("13502/2019-00001", "已有", "", "正文。"),
    );
    let c = govcn_case(0);
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let d1 = write_case(a.path(), "通知", &c.gongwen, &[]);
    let d2 = write_case(b.path(), "新通知", &c.gongwen, &[]);
    let d3 = write_case(&b.path().join("x"), "新通知", &c.gongwen, &[]);
    let req: Vec<batch::Request> = [d1, d2, d3]
        .into_iter()
        .map(|docx| batch::Request { docx, rel: None })
        .collect();
    let (placed, errors) = batch::place(site.root(), None, &req, today());
    assert_eq!(placed.len(), 1);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().all(|e| e.message.contains("已存在")),
        "{errors:?}"
    );
}

/// Damaged Word files (cut short anywhere, bytes of the XML changed) are refused or read, never
/// a crash: no mutation may reach the "internal error" that a caught panic becomes.
#[test]
fn damaged_word_files_never_crash_the_reader() {
    let good = govcn_case(1).gongwen.to_docx();
    // The same document stored uncompressed, so that changed bytes land in the XML itself.
    let stored = {
        let mut zin = zip::ZipArchive::new(std::io::Cursor::new(good.clone())).unwrap();
        let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).unwrap();
            zout.start_file(f.name().unwrap().to_string(), o).unwrap();
            std::io::copy(&mut f, &mut zout).unwrap();
        }
        zout.finish().unwrap().into_inner()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut state = 0x9E3779B9u32;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize
    };
    let mut outcomes = [0usize; 2];
    for k in 0..240 {
        let mut bytes = if k % 2 == 0 {
            good.clone()
        } else {
            stored.clone()
        };
        if k % 3 == 0 {
            bytes.truncate(next() % bytes.len());
        } else {
            for _ in 0..1 + k % 7 {
                let at = next() % bytes.len();
                bytes[at] = b"<>&\"'/=x\0\xff"[next() % 10];
            }
        }
        let p = dir.path().join(format!("m{k}.docx"));
        std::fs::write(&p, &bytes).unwrap();
        match import::read(&p, "m") {
            Ok(_) => outcomes[0] += 1,
            Err(e) => {
                assert!(!e.message.contains("内部错误"), "mutation {k}: {e}");
                assert!(e.to_string().starts_with(&p.display().to_string()), "{e}");
                outcomes[1] += 1;
            }
        }
    }
    println!(
        "240 damaged files: {} read, {} refused",
        outcomes[0], outcomes[1]
    );
    assert!(outcomes[1] > 0);
}

/// Imports these bytes saved as `NAME.docx` (pictures and attachments would go to `NAME/`).
fn import_bytes(name: &str, bytes: &[u8]) -> import::Imported {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.docx"));
    std::fs::write(&path, bytes).unwrap();
    import::read(&path, name).unwrap()
}

/// A .docx with this body, extra parts (name, XML) and relationships of the main part
/// (id, short type, target).
fn docx_with_parts(xml_body: &str, parts: &[(&str, &str)], rels: &[(&str, &str, &str)]) -> Vec<u8> {
    let base = docx_with_body(xml_body);
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(base)).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        zout.start_file(&name, opts).unwrap();
        if name == "word/_rels/document.xml.rels" {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut f, &mut xml).unwrap();
            let extra: String = rels
                .iter()
                .map(|(id, t, target)| {
                    // Links to files or addresses outside the package are external.
                    let mode = if target.contains(':') { " TargetMode=\"External\"" } else { "" };
                    format!("<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{t}\" Target=\"{target}\"{mode}/>")
                })
                .collect();
            let xml = xml.replace("</Relationships>", &format!("{extra}</Relationships>"));
            std::io::Write::write_all(&mut zout, xml.as_bytes()).unwrap();
        } else {
            std::io::copy(&mut f, &mut zout).unwrap();
        }
    }
    for (name, xml) in parts {
        zout.start_file(*name, opts).unwrap();
        let xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{xml}");
        std::io::Write::write_all(&mut zout, xml.as_bytes()).unwrap();
    }
    zout.finish().unwrap().into_inner()
}

/// What Word does not show as text is never published, and the editor is told of it: hidden
/// text, deleted text of pending tracked changes and comments stay out; inserted text, footnotes
/// and endnotes come in (as Markdown footnotes, where the body refers to them), and so do the
/// check boxes of a symbol font and the links of `HYPERLINK` fields (never a link to a local file).
#[test]
fn hidden_text_revisions_comments_and_notes_of_a_word_file() {
    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let body = "\
<w:p><w:r><w:t>为规范政府信息公开工作</w:t></w:r>\
<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:footnoteReference w:id=\"1\"/></w:r>\
<w:r><w:t>，现通知如下。</w:t></w:r>\
<w:r><w:rPr><w:vanish/></w:rPr><w:t>内部意见：此段暂不对外</w:t></w:r></w:p>\
<w:p><w:r><w:t>各单位应当</w:t></w:r>\
<w:del w:id=\"7\" w:author=\"张三\"><w:r><w:delText>在三十日内</w:delText></w:r></w:del>\
<w:ins w:id=\"8\" w:author=\"张三\"><w:r><w:t>在十五个工作日内</w:t></w:r></w:ins>\
<w:r><w:t>答复申请人。</w:t></w:r><w:commentRangeStart w:id=\"0\"/>\
<w:r><w:commentReference w:id=\"0\"/></w:r></w:p>\
<w:del w:id=\"9\"><w:p><w:r><w:delText>整段删除的旧条款</w:delText></w:r></w:p></w:del>\
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>事项</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>时限</w:t></w:r></w:p></w:tc></w:tr>\
<w:tr><w:tc><w:p><w:r><w:t>依申请公开</w:t></w:r><w:r><w:endnoteReference w:id=\"2\"/></w:r></w:p></w:tc>\
<w:tc><w:p><w:r><w:t>15个工作日</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
<w:p><w:r><w:t>是否公开：</w:t></w:r><w:r><w:sym w:font=\"Wingdings 2\" w:char=\"F052\"/></w:r><w:r><w:t>是 </w:t></w:r>\
<w:r><w:sym w:font=\"Wingdings 2\" w:char=\"F0A3\"/></w:r><w:r><w:t>否</w:t></w:r><w:r><w:sym w:font=\"Wingdings\" w:char=\"F021\"/></w:r></w:p>\
<w:p><w:r><w:t>详见</w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
<w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"https://www.gov.cn/zhengce/\" \\o \"打开\" </w:instrText></w:r>\
<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>中国政府网</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
<w:r><w:t>和</w:t></w:r><w:hyperlink r:id=\"rIdL\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:r><w:t>内部底稿</w:t></w:r></w:hyperlink><w:r><w:t>。</w:t></w:r></w:p>\
<w:p><w:r><w:t>特此通知。</w:t></w:r></w:p>";
    let footnotes = format!(
        "<w:footnotes {W}>\
<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>\
<w:footnote w:id=\"1\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> 见《中华人民共和国政府信息公开条例》第二十条。</w:t></w:r>\
<w:r><w:rPr><w:vanish w:val=\"true\"/></w:rPr><w:t>脚注里的隐藏备注</w:t></w:r></w:p>\
<w:p><w:r><w:t>*第二段*说明。</w:t></w:r></w:p></w:footnote>\
<w:footnote w:id=\"5\"><w:p><w:r><w:t>没有被引用的脚注</w:t></w:r></w:p></w:footnote>\
</w:footnotes>"
    );
    let endnotes = format!(
        "<w:endnotes {W}><w:endnote w:id=\"2\"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t>含主动公开事项。</w:t></w:r></w:p></w:endnote></w:endnotes>"
    );
    let comments = format!(
        "<w:comments {W}><w:comment w:id=\"0\" w:author=\"李四\"><w:p><w:r><w:t>批注：这句请法规科把关</w:t></w:r></w:p></w:comment>\
<w:comment w:id=\"1\"><w:p><w:r><w:t>第二条批注</w:t></w:r></w:p></w:comment></w:comments>"
    );
    let bytes = docx_with_parts(
        body,
        &[
            ("word/footnotes.xml", &footnotes),
            ("word/endnotes.xml", &endnotes),
            ("word/comments.xml", &comments),
        ],
        &[
            ("rIdF", "footnotes", "footnotes.xml"),
            ("rIdE", "endnotes", "endnotes.xml"),
            ("rIdC", "comments", "comments.xml"),
            ("rIdL", "hyperlink", "file:///C:/办公室/内部底稿.docx"),
        ],
    );
    let imp = import_bytes("修订稿", &bytes);
    let md = &imp.body;
    for gone in [
        "内部意见",
        "暂不对外",
        "在三十日内",
        "整段删除",
        "批注",
        "法规科",
        "隐藏备注",
        "没有被引用",
    ] {
        assert!(!md.contains(gone), "{gone} in the body:\n{md}");
    }
    assert!(
        md.contains("各单位应当在十五个工作日内答复申请人。"),
        "{md}"
    );
    assert!(
        md.contains("为规范政府信息公开工作[^1]，现通知如下。"),
        "{md}"
    );
    assert!(
        md.contains(
            "[^1]: 见《中华人民共和国政府信息公开条例》第二十条。\n\n    \\*第二段\\*说明。"
        ),
        "{md}"
    );
    assert!(
        md.contains("依申请公开[^2]"),
        "endnote in a table cell:\n{md}"
    );
    assert!(md.contains("[^2]: 含主动公开事项。"), "{md}");
    assert_eq!(imp.counts.notes, 2);
    let notes = imp.notes.join("\n");
    // 内部意见：此段暂不对外 (11) and the hidden remark in the footnote (8).
    assert!(notes.contains("19 字隐藏文字"), "{notes}");
    assert!(notes.contains("3 处修订"), "{notes}");
    assert!(notes.contains("2 条批注"), "{notes}");
    // Check boxes from a symbol font come in as characters; one without an equivalent is named.
    assert!(md.contains("是否公开：☑是 □否"), "{md}");
    assert!(notes.contains("1 个用符号字体"), "{notes}");
    // A HYPERLINK field links its result; a link to a file on the office's computer is not kept.
    assert!(
        md.contains("详见[中国政府网](https://www.gov.cn/zhengce/)和内部底稿。"),
        "{md}"
    );
    assert!(!md.contains("file:") && !md.contains("办公室"), "{md}");
    // The page: footnote references link to their texts, in order.
    let page = gongkai::markdown::render(md, &|_| None);
    assert!(
        page.html.contains("footnote-reference") && page.html.contains("footnote-definition"),
        "{}",
        page.html
    );
    let first = page.html.find("第二十条").unwrap();
    let second = page.html.find("含主动公开事项").unwrap();
    assert!(first < second, "{}", page.html);
    assert!(!page.text.contains("内部意见"));
}

/// A damaged footnotes or comments part does not stop the import of a whole body: the body
/// comes in, and the editor is told what was left out.
#[test]
fn a_damaged_footnotes_part_leaves_the_body_whole() {
    let body = "<w:p><w:r><w:t>正文第一段</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r><w:r><w:t>。</w:t></w:r></w:p>";
    let bytes = docx_with_parts(
        body,
        &[
            (
                "word/footnotes.xml",
                "<w:footnotes><w:footnote w:id=\"1\">未闭合",
            ),
            ("word/comments.xml", "<w:comments"),
        ],
        &[
            ("rIdF", "footnotes", "footnotes.xml"),
            ("rIdC", "comments", "comments.xml"),
        ],
    );
    let imp = import_bytes("坏脚注", &bytes);
    assert!(imp.body.contains("正文第一段。"), "{}", imp.body);
    assert!(!imp.body.contains("[^"), "{}", imp.body);
    let notes = imp.notes.join("\n");
    assert!(
        notes.contains("word/footnotes.xml（脚注、尾注或批注）已损坏")
            && notes.contains("word/comments.xml（脚注、尾注或批注）已损坏"),
        "{notes}"
    );
}

/// An equation comes in as a line of text (the editor is told to check it), raised and lowered
/// digits as Unicode (m², CO₂), a phonetic guide keeps its base text, and a table row that starts or ends with empty grid columns keeps its
/// cells under their headers.
#[test]
fn equations_phonetic_guides_and_offset_table_rows() {
    const M: &str = "xmlns:m=\"http://schemas.openxmlformats.org/officeDocument/2006/math\"";
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let body = format!(
        "<w:p><w:r><w:t>增长率按</w:t></w:r><m:oMath {M}><m:r><m:t>r=</m:t></m:r>\
<m:f><m:num><m:r><m:t>本期−上期</m:t></m:r></m:num><m:den><m:r><m:t>上期</m:t></m:r></m:den></m:f>\
<m:r><m:t>×100%</m:t></m:r></m:oMath><w:r><w:t>计算。</w:t></w:r></w:p>\
<w:p><w:r><w:t>面积120m</w:t></w:r><w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:t>2</w:t></w:r>\
<w:r><w:t>，CO</w:t></w:r><w:r><w:rPr><w:vertAlign w:val=\"subscript\"/></w:rPr><w:t>2</w:t></w:r><w:r><w:t>排放。</w:t></w:r></w:p>\
<w:p><w:r><w:t>地名</w:t></w:r><w:ruby><w:rt><w:r><w:t>bèng</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>蚌</w:t></w:r></w:rubyBase></w:ruby><w:r><w:t>埠。</w:t></w:r></w:p>\
<w:tbl><w:tr>{}{}{}</w:tr>\
<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}{}</w:tr>\
<w:tr><w:trPr><w:gridAfter w:val=\"2\"/></w:trPr>{}</w:tr></w:tbl>",
        cell("地区"),
        cell("2023年"),
        cell("2024年"),
        cell("100"),
        cell("120"),
        cell("合计")
    );
    let imp = import_bytes("公式", &docx_with_body(&body));
    let md = &imp.body;
    assert!(
        md.contains("增长率按r=(本期−上期)/(上期)×100%计算。"),
        "{md}"
    );
    assert!(md.contains("地名蚌埠。") && !md.contains("bèng"), "{md}");
    assert!(md.contains("面积120m²，CO₂排放。"), "{md}");
    assert!(
        md.contains(
            "| 地区 | 2023年 | 2024年 |\n| --- | --- | --- |\n|  | 100 | 120 |\n| 合计 |  |  |"
        ),
        "{md}"
    );
    assert!(imp.notes.join("\n").contains("1 个公式"), "{:?}", imp.notes);
}
