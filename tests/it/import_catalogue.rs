//! `gongkai import --catalogue`: an old column's catalogue (.xlsx, GBK .csv) and its saved
//! pages (CMS .html pages made from corpus documents, and a Word file) become documents that
//! keep their 索引号, with redirects from the old addresses; bad rows are named by row number.

use std::io::Write as _;
use std::path::Path;

use gongkai::import::catalogue::{self, Pages};
use gongkai::import::header::Choices;

use crate::gongwen_cases;
use crate::harness::{self, Site};

/// A cell of the generated spreadsheet.
pub(crate) enum Cell<'a> {
    Text(&'a str),
    /// An Excel date (a number shown with the date format 14).
    Date(chrono::NaiveDate),
}

/// A minimal .xlsx (one sheet, inline strings, one date style), as Excel or WPS export it.
pub(crate) fn xlsx(rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            match cell {
                Cell::Text(t) => sheet.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    t.replace('&', "&amp;").replace('<', "&lt;")
                )),
                Cell::Date(d) => {
                    let serial =
                        (*d - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
                    sheet.push_str(&format!("<c r=\"{at}\" s=\"1\"><v>{serial}</v></c>"));
                }
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    let files: [(&str, String); 6] = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#.into()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="信息公开目录" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.into()),
        ("xl/styles.xml", r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#.into()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    for (name, text) in files {
        z.start_file(name, o).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// A corpus document as the old CMS page showed it: navigation, the 信息索引 box, then the text
/// in `#zoom` (title centered, 署名 and date right-aligned), a footer.
fn cms_page(name: &str) -> (String, gongwen_cases::CorpusDoc, Vec<String>) {
    let doc =
        gongwen_cases::read_corpus(&harness::corpus_docs().join(format!("{name}.md"))).unwrap();
    let paras: Vec<String> = doc.paras.iter().take(12).cloned().collect();
    let mut html = format!(
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title>{}</title><script>document.write('<p>统计代码</p>')</script></head><body>\
         <div class=\"top\"><a href=\"/\">首页</a> &gt; <a href=\"/xxgk/\">政府信息公开</a></div>\
         <table class=\"xxgk_table\"><tr><td>索引号：</td><td>{}</td><td>发布机构：</td><td>{}</td></tr></table>\
         <div class=\"article\"><div id=\"zoom\" class=\"TRS_Editor\"><p style=\"text-align:center\">{}</p>",
        doc.title, doc.doc_no.clone().unwrap_or_default(), doc.issuer, doc.title
    );
    for p in &paras {
        html.push_str(&format!(
            "<p style=\"text-indent:2em\">{}</p>\n",
            p.replace('<', "&lt;")
        ));
    }
    html.push_str(&format!(
        "<p style=\"text-align:right\">{}</p><p style=\"text-align:right\">{}</p></div></div><div class=\"footer\">主办单位：某某局 网站标识码 1308000001</div></body></html>",
        doc.issuer,
        doc.written.map(|d| format!("{}年{}月{}日", chrono::Datelike::year(&d), chrono::Datelike::month(&d), chrono::Datelike::day(&d))).unwrap_or_default()
    ));
    (html, doc, paras)
}

fn today() -> chrono::NaiveDate {
    harness::TODAY.parse().unwrap()
}

#[test]
fn an_xlsx_catalogue_keeps_numbers_writes_redirects_and_names_bad_rows() {
    let site = Site::new();
    site.file(
        "2020/old.md",
        &harness::doc("13502/2020-00077", "已有文件", "", "正文。"),
    );
    let pages = tempfile::tempdir().unwrap();
    let (html_a, doc_a, paras_a) = cms_page("govcn-0003");
    std::fs::create_dir_all(pages.path().join("xxgk/2019")).unwrap();
    std::fs::write(
        pages.path().join("xxgk/2019/t20190213_5365341.html"),
        html_a,
    )
    .unwrap();
    let c = gongwen_cases::case(
        &gongwen_cases::read_corpus(&harness::corpus_docs().join("hebei-kjt-0001.md")).unwrap(),
        3,
    )
    .unwrap();
    std::fs::write(
        pages.path().join("冀科平规〔2024〕1号.docx"),
        c.gongwen.to_docx(),
    )
    .unwrap();
    let d = |y, m, day| Cell::Date(chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap());
    let book = xlsx(&[
        vec![Cell::Text("某某局政府信息公开目录（导出）")],
        vec![
            Cell::Text("序号"),
            Cell::Text("索引号"),
            Cell::Text("名称"),
            Cell::Text("发布机构"),
            Cell::Text("文号"),
            Cell::Text("成文日期"),
            Cell::Text("发布日期"),
            Cell::Text("主题分类"),
            Cell::Text("链接"),
            Cell::Text("页面文件"),
        ],
        vec![
            Cell::Text("1"),
            Cell::Text("000014349/2019-00005"),
            Cell::Text(&doc_a.title),
            Cell::Text("国务院"),
            Cell::Text("国发〔2019〕4号"),
            d(2019, 1, 24),
            d(2019, 2, 13),
            Cell::Text("科技、教育\\教育"),
            Cell::Text("http://old.example.gov.cn/xxgk/2019/t20190213_5365341.html"),
            Cell::Text(""),
        ],
        vec![
            Cell::Text("2"),
            Cell::Text(""),
            Cell::Text("河北省科学技术厅关于印发《河北省实验室建设工作指引》的通知"),
            Cell::Text("河北省科学技术厅"),
            Cell::Text(""),
            Cell::Text(""),
            Cell::Text("2024/8/23"),
            Cell::Text("科技、教育"),
            Cell::Text("http://old.example.gov.cn/xxgk/2024/t20240823_1.html"),
            Cell::Text("冀科平规〔2024〕1号.docx"),
        ],
        vec![
            Cell::Text("3"),
            Cell::Text("000014349/2019-00005"),
            Cell::Text("重复的一行"),
            Cell::Text("国务院"),
            Cell::Text(""),
            Cell::Text(""),
            Cell::Text("2019-02-14"),
            Cell::Text(""),
            Cell::Text("http://old.example.gov.cn/xxgk/2019/t2.html"),
            Cell::Text(""),
        ],
        vec![
            Cell::Text("4"),
            Cell::Text("000014349/2019-00009"),
            Cell::Text("页面丢失的文件"),
            Cell::Text("国务院"),
            Cell::Text(""),
            Cell::Text(""),
            Cell::Text("2019-02-15"),
            Cell::Text(""),
            Cell::Text("http://old.example.gov.cn/xxgk/2019/gone.html"),
            Cell::Text(""),
        ],
        vec![
            Cell::Text("5"),
            Cell::Text("13502/2020-00077"),
            Cell::Text("已占用索引号的文件"),
            Cell::Text("国务院"),
            Cell::Text(""),
            Cell::Text(""),
            Cell::Text("2020-03-01"),
            Cell::Text(""),
            Cell::Text("http://old.example.gov.cn/xxgk/2020/t3.html"),
            Cell::Text(""),
        ],
    ]);
    let list = pages.path().join("目录.xlsx");
    std::fs::write(&list, book).unwrap();

    let sheet = catalogue::read_sheet(&list).unwrap();
    let (header, cols) = catalogue::detect_columns(&sheet, None).unwrap();
    assert_eq!(sheet.rows[header].0, 2, "the header is on row 2");
    let (entries, mut problems) = catalogue::entries(&sheet, header, &cols);
    let (rows, more) = catalogue::plan(
        site.root(),
        &entries,
        &Pages::scan(pages.path()),
        None,
        &Choices::default(),
        today(),
    );
    problems.extend(more);
    let mut bad: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| {
            (
                p.row,
                if p.message.contains("重复") {
                    "dup"
                } else if p.message.contains("找不到") {
                    "missing"
                } else if p.message.contains("已被") {
                    "taken"
                } else {
                    "other"
                },
            )
        })
        .collect();
    bad.sort();
    assert_eq!(
        bad,
        [(5, "dup"), (6, "missing"), (7, "taken")],
        "{problems:#?}"
    );
    assert!(
        problems[0].message.contains("与第 3 行重复"),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p.message.contains("gone.html")),
        "{problems:#?}"
    );

    let cfg = gongkai::load::config(site.root()).unwrap();
    let out = catalogue::write(site.root(), &cfg, rows).unwrap();
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(out.written.len(), 2);
    let (_, rel_a, no_a) = &out.written[0];
    assert_eq!(no_a, "000014349/2019-00005");
    assert_eq!(rel_a, Path::new("content/2019/000014349-2019-00005.md"));
    let text_a = std::fs::read_to_string(site.root().join(rel_a)).unwrap();
    for want in [
        "index_no: \"000014349/2019-00005\"",
        "category: \"科技、教育\"",
        "category_sub: \"教育\"",
        "written: \"2019-01-24\"",
        "published: \"2019-02-13\"",
        "doc_no: \"国发〔2019〕4号\"",
        "source_url: \"http://old.example.gov.cn/xxgk/2019/t20190213_5365341.html\"",
    ] {
        assert!(text_a.contains(want), "{want} not in {text_a}");
    }
    assert!(!text_a.contains("draft: true"));
    // The page's text, not its navigation, 信息索引 box, scripts or footer.
    let body_a = text_a.split("\n---\n").nth(1).unwrap();
    for p in &paras_a {
        let plain = gongkai::markdown::render(body_a, &|_| None).text;
        assert!(plain.contains(p.as_str()), "{p} not in {plain}");
    }
    for junk in ["首页", "索引号：", "统计代码", "网站标识码"] {
        assert!(!body_a.contains(junk), "{junk} in {body_a}");
    }
    assert!(
        !body_a.starts_with(&format!("{}\n", doc_a.title)),
        "the title is repeated in the body"
    );

    // The row without a number got a fresh one; its Word page gave the 文号 and 成文日期.
    let (_, rel_b, no_b) = &out.written[1];
    assert!(no_b.starts_with("13502/2024-"), "{no_b}");
    let text_b = std::fs::read_to_string(site.root().join(rel_b)).unwrap();
    assert!(
        text_b.contains("doc_no: \"冀科平规〔2024〕1号\"")
            && text_b.contains("written: \"2024-08-21\""),
        "{text_b}"
    );
    assert!(text_b.contains("published: \"2024-08-23\""), "{text_b}");

    // The kept number is in the ledger; the old addresses redirect to the new pages.
    let ledger = std::fs::read_to_string(site.root().join("gongkai-ledger.tsv")).unwrap();
    assert!(
        ledger.contains("000014349/2019-00005\tcontent/2019/000014349-2019-00005.md"),
        "{ledger}"
    );
    assert!(ledger.contains(&format!("{no_b}\t")), "{ledger}");
    let redirects = std::fs::read_to_string(site.root().join("redirects.csv")).unwrap();
    assert!(redirects.starts_with("old_url,new_url\n"), "{redirects}");
    assert!(redirects.contains("http://old.example.gov.cn/xxgk/2019/t20190213_5365341.html,https://www.example.gov.cn/xxgk/000014349/2019-00005.html"), "{redirects}");

    // The site builds with them, at the old numbers' pages, and tells nginx where the old
    // addresses now lead (issue 13 item 2).
    let r = site.build();
    assert!(harness::errors(&r).is_empty(), "{:#?}", harness::errors(&r));
    assert!(site
        .public()
        .join("xxgk/000014349/2019-00005.html")
        .is_file());
    let map = site.read("gongkai-redirects/nginx.conf");
    assert!(map.contains("\"/xxgk/2019/t20190213_5365341.html\" \"https://www.example.gov.cn/xxgk/000014349/2019-00005.html\";"), "{map}");
}

#[test]
fn a_gbk_csv_with_a_column_mapping_is_read() {
    let site = Site::new();
    let pages = tempfile::tempdir().unwrap();
    let (html, doc, _) = cms_page("govcn-0001");
    // A page saved by a browser in GBK, as Chinese Windows does.
    let html = html.replace("charset=utf-8", "charset=gbk");
    let (gbk_page, _, _) = encoding_rs::GBK.encode(&html);
    std::fs::write(pages.path().join("a1.htm"), &gbk_page).unwrap();
    let text = format!(
        "信息标题,访问地址,发布单位,上网日期\n{},http://old.example.gov.cn/a1.htm,国务院,2019年2月15日\n",
        doc.title
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let list = pages.path().join("list.csv");
    std::fs::write(&list, &gbk).unwrap();
    let map = pages.path().join("columns.toml");
    std::fs::write(&map, "[columns]\n\"信息标题\" = \"title\"\n\"访问地址\" = \"url\"\n\"发布单位\" = \"发布机构\"\n\"上网日期\" = \"published\"\n").unwrap();
    // Without the mapping the list has no title column.
    let sheet = catalogue::read_sheet(&list).unwrap();
    assert_eq!(sheet.encoding, "GBK");
    assert!(catalogue::detect_columns(&sheet, None).is_err());
    let before = harness::tree(&site.root().join("content"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["import", "--today", harness::TODAY, "--root"])
        .arg(site.root())
        .arg("--catalogue")
        .arg(&list)
        .arg("--pages")
        .arg(pages.path())
        .arg("--columns")
        .arg(&map)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("GBK 编码") && stderr.contains("信息标题 → title"),
        "{stderr}"
    );
    let written = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let text = std::fs::read_to_string(site.root().join(&written)).unwrap();
    assert!(
        text.contains(&format!("title: \"{}\"", doc.title)),
        "{text}"
    );
    assert!(
        text.contains("published: \"2019-02-15\"") && text.contains("issuer: \"国务院\""),
        "{text}"
    );
    assert!(
        text.contains(doc.paras[3].as_str()),
        "GBK page text lost: {text}"
    );
    assert_ne!(harness::tree(&site.root().join("content")), before);

    // A bad mapping names the file and the field.
    std::fs::write(&map, "[columns]\n\"信息标题\" = \"标头\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["import", "--root"])
        .arg(site.root())
        .arg("--catalogue")
        .arg(&list)
        .arg("--pages")
        .arg(pages.path())
        .arg("--columns")
        .arg(&map)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("columns.toml") && stderr.contains("“标头”"),
        "{stderr}"
    );
}
