//! Realistic 公文 built from real corpus documents, with what an import must find in them.
//!
//! Each corpus document gives its title, issuer(s), 文号, 成文日期 and body paragraphs. Where its
//! body starts with the 公文's own header (title lines, 文号, 主送, 署名 and date, as the gov.cn and
//! Hebei pages keep it), that header supplies the 主送 and the 正文 ends at the 署名; the rest
//! (the 附注 and the document a 通知 印发s) follows the date, as on paper. The layout is chosen by
//! the 文号: a 令 number gives the 令 layout, a 函 number the 函 without 版头, another number the
//! 文件 layout, no number a plain document. The index of the case varies the rest: date written
//! in Arabic, full-width or Chinese numerals; title split over lines or in one paragraph with
//! breaks or centered by style; joint issuers as a table or as lines; Word automatic numbering
//! of 一、; a table; bold run-in headings; hard line breaks; 附件说明 with one file present and
//! one missing; 版记.
//!
//! Used by `tests/it/import.rs` and `benches/import.rs` (which includes this file by path).

#![allow(dead_code)]

use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;

use crate::gongwen_docx::{date_text, DateStyle, Gongwen, Layout, Part, Run};

/// What the import must find.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub title: String,
    pub doc_no: Option<String>,
    pub issuers: Vec<String>,
    pub written: Option<NaiveDate>,
    pub recipients: Option<String>,
    /// Body paragraphs and headings in order, as plain text (tables not included).
    pub body: Vec<String>,
    /// Heading lines: (Markdown level, text).
    pub headings: Vec<(usize, String)>,
    /// Tables, header row first.
    pub tables: Vec<Vec<Vec<String>>>,
    /// Text that must be bold.
    pub bold: Vec<String>,
    /// `attachments:` entries: (file name, link text).
    pub attachments: Vec<(String, String)>,
    /// 附件说明 entries with no file.
    pub missing: Vec<String>,
    /// 印发日期 of the 版记.
    pub printed: Option<NaiveDate>,
    /// Text of the 版记, which must not be in the body.
    pub imprint: Vec<String>,
}

/// A case: the 公文, the files beside it, and the expectation.
pub struct Case {
    pub name: String,
    pub layout: Layout,
    pub gongwen: Gongwen,
    /// Files to put beside the .docx: (name, bytes).
    pub beside: Vec<(String, Vec<u8>)>,
    pub expect: Expect,
}

/// Full-width digits as ASCII.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
            _ => c,
        })
        .collect()
}

/// Text without white space.
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

static DATE_ONLY: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^[0-9〇○零一二三四五六七八九]{4}年[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日$").unwrap()
});

fn is_date_only(s: &str) -> bool {
    DATE_ONLY.is_match(&compact(s))
}

static HEADINGS: LazyLock<Vec<(regex::Regex, usize)>> = LazyLock::new(|| {
    [
        (r"^第[一二三四五六七八九十百零〇]+章", 2),
        (r"^第[一二三四五六七八九十百零〇]+节", 3),
        (r"^[一二三四五六七八九十]{1,3}[、．.]", 2),
        (r"^[（(][一二三四五六七八九十]{1,3}[）)]", 3),
        (r"^[0-9０-９]{1,2}[.．、]([^0-9０-９]|$)", 4),
        (r"^[（(][0-9０-９]{1,2}[）)]", 5),
    ]
    .into_iter()
    .map(|(r, l)| (regex::Regex::new(r).unwrap(), l))
    .collect()
});

/// The heading level a paragraph must get (README, "Importing Word files"): a heading number,
/// at most 40 characters, no sentence end before the last character.
pub fn heading_level(t: &str) -> Option<usize> {
    let t = t.trim();
    // `附件` or `附件1` alone opens an attachment printed in the document.
    if let Some(n) = compact(t).strip_prefix("附件") {
        if n.chars().all(|c| c.is_ascii_digit()) {
            return Some(2);
        }
    }
    let level = HEADINGS.iter().find(|(r, _)| r.is_match(t))?.1;
    let chars: Vec<char> = t.chars().collect();
    if chars.len() > 40
        || chars[..chars.len() - 1]
            .iter()
            .any(|c| "。；！？;".contains(*c))
    {
        return None;
    }
    Some(level)
}

static ORDER_NO: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^(.+?)令((?:〔\d{4}〕|\d{4}年)?第\d+号)$").unwrap());
static DOC_NO: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[\p{Han}A-Za-z]+〔\d{4}〕\d+号$").unwrap());
static LIST_NO: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[0-9０-９]{1,2}[.．、]").unwrap());
static RUN_IN: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^([（(][一二三四五六七八九十]{1,3}[）)][^。]{1,30}。)(.+)$").unwrap()
});

/// A corpus document's fields and paragraphs.
pub struct CorpusDoc {
    pub name: String,
    pub title: String,
    pub issuer: String,
    pub doc_no: Option<String>,
    pub written: Option<NaiveDate>,
    pub paras: Vec<String>,
}

pub fn read_corpus(path: &Path) -> Option<CorpusDoc> {
    let bytes = std::fs::read(path).ok()?;
    let mut soft = vec![];
    let s = gongkai::load::parse_source(Path::new("x.md"), &bytes, &mut soft).ok()?;
    let field = |k: &str| {
        s.fields
            .get(k)
            .and_then(|f| f.value.as_str())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let paras: Vec<String> = s
        .body
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(|l| l.trim_start_matches('#').trim())
                .collect::<Vec<_>>()
                .concat()
        })
        .map(|p| p.trim_matches(|c: char| c.is_whitespace()).to_string())
        .filter(|p| !p.is_empty())
        .collect();
    Some(CorpusDoc {
        name: path.file_stem()?.to_string_lossy().into_owned(),
        title: field("title")?,
        issuer: field("issuer")?,
        doc_no: field("doc_no"),
        written: field("written").and_then(|w| w.parse().ok()),
        paras,
    })
}

/// Splits a title into 1-3 lines of similar length, never starting a line with a bracket.
fn title_lines(title: &str) -> Vec<String> {
    let chars: Vec<char> = title.chars().collect();
    let n = chars.len();
    let parts = if title.contains(char::is_whitespace) {
        1
    } else if n > 36 {
        3
    } else if n > 16 {
        2
    } else {
        1
    };
    let mut out = vec![];
    let mut start = 0;
    for k in 1..=parts {
        let mut end = if k == parts { n } else { n * k / parts };
        while end < n && end > start + 1 && "（(《〈“".contains(chars[end]) {
            end -= 1;
        }
        out.push(chars[start..end].iter().collect());
        start = end;
    }
    out.retain(|l: &String| !l.is_empty());
    out
}

/// The 令 layout's 版头 for a 令 number's issuer (`国` → 中华人民共和国国务院令).
fn order_masthead(prefix: &str) -> String {
    if prefix == "国" {
        "中华人民共和国国务院".into()
    } else if prefix.ends_with('部') || prefix.ends_with("总署") {
        format!("中华人民共和国{prefix}")
    } else {
        prefix.into()
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Builds the case for corpus document `doc`; `i` varies the layout details. `None` for
/// documents that cannot make a 公文: no 成文日期, a one-paragraph body, a joint 令 whose number
/// the corpus spells differently from its issuers, issuer data damaged.
pub fn case(doc: &CorpusDoc, i: usize) -> Option<Case> {
    let written = doc.written?;
    if doc.issuer.starts_with('、') || doc.paras.len() < 2 || doc.title.chars().count() < 4 {
        return None;
    }
    if doc.paras.iter().any(|p| p.chars().count() > 3000) {
        return None;
    }
    let issuers: Vec<String> = doc.issuer.split('、').map(str::to_string).collect();
    let order_re = &*ORDER_NO;
    let doc_no_re = &*DOC_NO;
    let (layout, number_line, masthead) = match &doc.doc_no {
        Some(no) => {
            if let Some(c) = order_re.captures(no) {
                let prefix = c[1].to_string();
                if prefix.contains('、') {
                    return None;
                }
                if !(prefix == "国" && doc.issuer == "国务院") && prefix != doc.issuer {
                    return None;
                }
                (
                    Layout::Order,
                    Some(c[2].to_string()),
                    vec![format!("{}", order_masthead(&prefix))],
                )
            } else if doc_no_re.is_match(no) {
                if no.contains('函') {
                    (Layout::Letter, Some(no.clone()), vec![])
                } else {
                    (Layout::File, Some(no.clone()), issuers.clone())
                }
            } else {
                return None;
            }
        }
        None => (Layout::Plain, None, vec![]),
    };
    let date_style = [DateStyle::Arabic, DateStyle::FullWidth, DateStyle::Chinese][i % 3];
    let mut g = Gongwen::new(layout);
    let mut e = Expect {
        title: doc.title.clone(),
        // 文号 digits are Arabic (GB/T 9704 §7.2.5): full-width ones are read as ASCII.
        doc_no: doc.doc_no.as_deref().map(ascii_digits),
        issuers: issuers.clone(),
        written: Some(written),
        ..Expect::default()
    };
    g.masthead = masthead;
    g.masthead_table = layout == Layout::File && issuers.len() > 1 && i.is_multiple_of(2);
    g.doc_no = number_line;
    g.date = date_text(written, date_style);

    // The corpus body: its own header (title, 文号, 主送 … 署名, date), then the rest.
    let paras = &doc.paras;
    // The corpus's own 署名 and date (at the top for gov.cn pages that repeat the 公文's first
    // page, at the end for others).
    let sig = (1..paras.len()).find(|&d| {
        is_date_only(&paras[d]) && {
            let s = compact(&paras[d - 1]);
            issuers.iter().all(|n| s.contains(n.as_str())) && s.chars().count() <= 40
        }
    });
    let (main, rest): (Vec<String>, Vec<String>) = match sig {
        Some(d) => {
            let pre = &paras[..d - 1];
            let rec = pre
                .iter()
                .take(6)
                .position(|p| (p.ends_with('：') || p.ends_with(':')) && p.chars().count() <= 300);
            let main: Vec<String> = match rec {
                Some(r) => {
                    let p = &pre[r];
                    let after_title = p
                        .find(doc.title.as_str())
                        .map(|k| p[k + doc.title.len()..].to_string())
                        .unwrap_or_else(|| p.clone());
                    let after_no = match &doc.doc_no {
                        Some(no) => after_title
                            .strip_prefix(no.as_str())
                            .unwrap_or(&after_title)
                            .to_string(),
                        None => after_title,
                    };
                    let after_no = after_no.trim().to_string();
                    if !after_no.is_empty() && layout != Layout::Order {
                        e.recipients = Some(after_no.clone());
                        g.recipients = Some(after_no);
                    }
                    pre[r + 1..].to_vec()
                }
                None => pre
                    .iter()
                    .enumerate()
                    .filter(|(k, p)| {
                        *k >= 4
                            || (!compact(&doc.title).contains(&compact(p))
                                && Some(p.as_str()) != doc.doc_no.as_deref())
                    })
                    .map(|(_, p)| p.clone())
                    .collect(),
            };
            // The corpus page's own 版记 ends the 公文; what follows it is page furniture.
            let mut rest = paras[d + 1..].to_vec();
            if let Some(k) = rest
                .iter()
                .position(|p| p.starts_with("抄送") || p.ends_with("印发"))
            {
                rest.truncate(k);
            }
            (main, rest)
        }
        None => {
            // No header: a first paragraph ending in a colon is the 主送.
            let first = &paras[0];
            if (first.ends_with('：') || first.ends_with(':'))
                && first.chars().count() <= 300
                && layout != Layout::Order
                && heading_level(first).is_none()
            {
                e.recipients = Some(first.clone());
                g.recipients = Some(first.clone());
                (paras[1..].to_vec(), vec![])
            } else {
                (paras.clone(), vec![])
            }
        }
    };
    // The corpus's own 附件说明 (before the 署名) becomes the 公文's; no file is beside it.
    let mut main = main;
    let mut corpus_attachments: Vec<String> = vec![];
    if let Some(a) = main
        .iter()
        .position(|p| p.starts_with("附件：") || p.starts_with("附件:"))
    {
        for (k, line) in main[a..].iter().enumerate() {
            // After the 附件说明 only its numbered lines may follow; anything else means the
            // corpus page lost its layout (an attachment's text run into the 正文).
            if k > 0 && !LIST_NO.is_match(line) {
                return None;
            }
            let t = if k == 0 {
                &line["附件：".len()..]
            } else {
                line.as_str()
            };
            let t = t.trim();
            let stripped = LIST_NO.replace(t, "").to_string();
            corpus_attachments.push(stripped.trim_end_matches(['；', '。']).to_string());
        }
        main.truncate(a);
    }
    if main.is_empty() {
        return None;
    }
    let (note, rest) = match rest.first() {
        Some(n) if (n.starts_with('（') && n.ends_with('）')) && n.chars().count() < 40 => {
            (Some(n.clone()), rest[1..].to_vec())
        }
        _ => (
            (i.is_multiple_of(2) && layout != Layout::Order)
                .then(|| "（此件公开发布）".to_string()),
            rest,
        ),
    };

    // The 正文 (for a 令: the 公布 text; the corpus text follows the 规章's title).
    let body_paras: Vec<String> = if layout == Layout::Order {
        let who = if doc.issuer == "国务院" {
            "国务院"
        } else {
            doc.issuer.as_str()
        };
        vec![format!(
            "《{}》已经{who}常务会议通过，现予公布，自公布之日起施行。",
            doc.title
        )]
    } else {
        main.clone()
    };
    let numbered = layout == Layout::File && i % 5 == 1 && {
        let firsts: Vec<&String> = body_paras
            .iter()
            .filter(|p| heading_level(p) == Some(2) && !p.starts_with('第'))
            .collect();
        !firsts.is_empty()
            && firsts
                .iter()
                .enumerate()
                .all(|(k, p)| p.starts_with(&format!("{}、", chinese(k as u32 + 1))))
    };
    let mut first_headings = vec![];
    for (k, t) in body_paras.iter().enumerate() {
        let level = heading_level(t);
        let mut part = Part::text(t);
        if let Part::Para {
            runs,
            heading,
            break_at,
            number,
            ..
        } = &mut part
        {
            *heading = level.map(|l| match l {
                2 => 1,
                3 => 2,
                4 => 3,
                _ => 4,
            });
            if level == Some(2) && !t.starts_with('第') {
                first_headings.push(t.clone());
                if numbered {
                    let stripped = t.split_once('、').map(|(_, r)| r).unwrap_or(t);
                    runs[0].text = stripped.to_string();
                    *number = true;
                }
            }
            let chars: Vec<char> = t.chars().collect();
            if level.is_none() && i % 2 == 1 {
                // A run-in heading in bold: `（二）产业规模。省实验室……`.
                if let Some(c) = RUN_IN.captures(t) {
                    e.bold.push(c[1].to_string());
                    *runs = vec![
                        Run {
                            text: c[1].to_string(),
                            bold: true,
                        },
                        Run::plain(&c[2]),
                    ];
                }
            }
            if level.is_none()
                && chars.len() > 60
                && (k + i).is_multiple_of(3)
                && is_cjk(chars[29])
                && is_cjk(chars[30])
            {
                *break_at = Some(30);
            }
        }
        g.body.push(part);
        if k == 0 && layout == Layout::File && i.is_multiple_of(4) {
            // A table after the first paragraph.
            let mut rows = vec![vec![
                "序号".to_string(),
                "工作任务".to_string(),
                "责任单位".to_string(),
            ]];
            for (n, p) in main
                .iter()
                .filter(|p| heading_level(p).is_some())
                .take(4)
                .enumerate()
            {
                rows.push(vec![(n + 1).to_string(), p.clone(), issuers[0].clone()]);
            }
            if rows.len() == 1 {
                rows.push(vec!["1".into(), doc.title.clone(), issuers[0].clone()]);
            }
            e.tables.push(rows.clone());
            g.body.push(Part::Table(rows));
        }
    }
    for t in &body_paras {
        if let Some(l) = heading_level(t) {
            e.headings.push((l, t.clone()));
        }
    }
    let _ = first_headings;

    // Title, 署名, date.
    let lines = title_lines(&doc.title);
    if layout == Layout::Order {
        g.rule_title = lines;
        g.signature = vec![match doc.issuer.as_str() {
            "国务院" => "总理　李明".to_string(),
            s if s.contains("省人民政府") => "省长　王强".to_string(),
            _ => "部长　张华".to_string(),
        }];
    } else {
        g.title = lines;
        g.title_one_paragraph = i % 4 == 1;
        g.title_by_style = i % 4 == 2;
        g.signature = if issuers.len() > 1 && i % 2 == 1 {
            vec![issuers.join("\u{3000}\u{3000}\u{3000}\u{3000}")]
        } else {
            issuers.clone()
        };
    }
    g.note = note.clone();

    // 附件说明: the first present beside the .docx, the second missing.
    let mut beside = vec![];
    if !corpus_attachments.is_empty() {
        let many = corpus_attachments.len() > 1;
        for (k, a) in corpus_attachments.iter().enumerate() {
            // An attachment printed after the 附注 (`附件1` on its own line) is not missing.
            let heading = if many {
                format!("附件{}", k + 1)
            } else {
                "附件".to_string()
            };
            if rest.iter().any(|p| compact(p) == heading) {
                continue;
            }
            e.missing.push(if many {
                format!("附件{}：{a}", k + 1)
            } else {
                a.clone()
            });
        }
        g.attachments = corpus_attachments;
    } else if layout == Layout::File && i.is_multiple_of(3) {
        g.attachments = vec![
            "工作任务分工表".to_string(),
            format!("{}联系人名单", issuers[0]),
        ];
        beside.push((
            "附件1.pdf".to_string(),
            b"%PDF-1.4 fixture attachment".to_vec(),
        ));
        e.attachments
            .push(("附件1.pdf".into(), "附件1：工作任务分工表".into()));
        e.missing.push(format!("附件2：{}联系人名单", issuers[0]));
    }

    // After the 附注: the document a 通知 印发s (its title centered), or the 规章's text.
    let mut after = rest.clone();
    if layout == Layout::Order {
        after = main.clone();
        if let Some(first) = after.first() {
            if (first.starts_with('（') || first.starts_with('('))
                && (first.ends_with('）') || first.ends_with(')'))
            {
                g.rule_note = Some(first.clone());
            }
        }
    }
    for (k, t) in after.iter().enumerate() {
        if k == 0 && g.rule_note.as_deref() == Some(t.as_str()) {
            continue;
        }
        let level = heading_level(t);
        let centered = k == 0
            && layout != Layout::Order
            && level.is_none()
            && t.chars().count() <= 30
            && !t.contains(['。', '，', '：']);
        g.after.push(Part::Para {
            runs: vec![Run::plain(t)],
            heading: level.map(|l| if l == 2 { 1 } else { 2 }),
            break_at: None,
            number: false,
            centered,
        });
        if let Some(l) = level {
            e.headings.push((l, t.clone()));
        }
    }

    // 版记.
    if matches!(layout, Layout::File | Layout::Plain) {
        let printed = written + chrono::Duration::days(2 + (i % 3) as i64);
        let cc = (i.is_multiple_of(2)).then(|| "省委办公厅，省人大常委会办公厅".to_string());
        let date = date_text(printed, DateStyle::Arabic);
        e.imprint = vec![format!("{date}印发")];
        if let Some(c) = &cc {
            e.imprint.push(format!("抄送：{c}"));
        }
        g.imprint = Some((cc, format!("{}办公室", issuers[0]), date));
        e.printed = Some(printed);
    }

    // The body as the import must give it.
    if let Some(r) = &e.recipients {
        e.body.push(r.clone());
    }
    for t in &body_paras {
        e.body.push(t.clone());
    }
    e.body.extend(g.signature.iter().cloned());
    e.body.push(g.date.clone());
    if let Some(n) = &note {
        e.body.push(n.clone());
    }
    if let Some(n) = &g.rule_note {
        e.body.push(n.clone());
    }
    for (k, t) in after.iter().enumerate() {
        if k == 0 && g.rule_note.as_deref() == Some(t.as_str()) {
            continue;
        }
        e.body.push(t.clone());
    }
    Some(Case {
        name: doc.name.clone(),
        layout,
        gongwen: g,
        beside,
        expect: e,
    })
}

fn chinese(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n as usize].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n as usize - 10]),
        _ => format!(
            "{}十{}",
            D[n as usize / 10],
            if !n.is_multiple_of(10) {
                D[n as usize % 10]
            } else {
                ""
            }
        ),
    }
}

/// Corpus documents that make cases, at most `n`: an even spread over each layout (文件, 令,
/// 函, no 版头) with an equal share each (a layout with fewer cases gives its share to the
/// others), plus every case with joint issuers.
pub fn sample(n: usize) -> Vec<Case> {
    let dir = crate::corpus_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let all: Vec<Case> = files
        .iter()
        .enumerate()
        .filter_map(|(k, p)| read_corpus(p).and_then(|d| case(&d, k)))
        .collect();
    if all.len() <= n {
        return all;
    }
    let layouts = [Layout::File, Layout::Order, Layout::Letter, Layout::Plain];
    let mut groups: Vec<Vec<Case>> = layouts.iter().map(|_| vec![]).collect();
    let mut out = vec![];
    for c in all {
        if c.expect.issuers.len() > 1 {
            out.push(c);
        } else {
            let g = layouts.iter().position(|l| *l == c.layout).unwrap();
            groups[g].push(c);
        }
    }
    let mut left = n.saturating_sub(out.len());
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| groups[g].len());
    for (k, &g) in order.iter().enumerate() {
        let share = left / (order.len() - k);
        let group = std::mem::take(&mut groups[g]);
        let take = share.min(group.len());
        let step = group.len() as f64 / take.max(1) as f64;
        let mut slots: Vec<Option<Case>> = group.into_iter().map(Some).collect();
        for j in 0..take {
            if let Some(c) = slots[(j as f64 * step) as usize].take() {
                out.push(c);
            }
        }
        left -= take;
    }
    out
}
