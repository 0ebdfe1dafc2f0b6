//! The parts of a 公文 (GB/T 9704-2012), found in the blocks of a Word document by their place
//! and layout: 版头 (份号, 密级, 发文机关标志, 发文字号, the red rule), 主体 (标题, 主送机关, 正文,
//! 附件说明, 署名, 成文日期, 附注, 附件) and 版记 (抄送, 印发机关和印发日期).
//!
//! Three layouts are told apart: the 文件格式 (red 版头, 文号 centered under it), the 命令（令）
//! 格式 (`…令` and `第5号`; the 规章's own title follows the 公布 text and signature), and the
//! 函 or plain document without 版头 (文号, if any, at the top right; the issuer from the
//! 署名). Pure functions over [`Block`]s: no I/O, so every rule is unit-tested here.

use chrono::NaiveDate;

use super::docx::{Align, Block, Para};
use super::patterns::{self, compact};

/// One line of the 附件说明 (`附件：1．某某名单`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentNote {
    /// Its number, when the 附件说明 numbers them.
    pub number: Option<u32>,
    /// The attachment's name as written (no number, no final punctuation).
    pub title: String,
    /// The attachment's text follows in the document itself (after `附件1`).
    pub inside: bool,
}

/// Where the 发布机构 came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerSource {
    /// The 发文机关标志 of the 版头.
    Masthead,
    /// The 署名 above the 成文日期.
    Signature,
}

/// Everything found, and which blocks make the body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gongwen {
    /// 标题, its lines joined.
    pub title: Option<String>,
    /// 发文字号 (or 令 number with the 令's name: `河北省人民政府令〔2016〕第5号`).
    pub doc_no: Option<String>,
    /// 发文机关, joint issuers in their order.
    pub issuers: Vec<String>,
    /// Where [`Gongwen::issuers`] came from.
    pub issuer_source: Option<IssuerSource>,
    /// 成文日期.
    pub written: Option<NaiveDate>,
    /// 成文日期 as written.
    pub written_text: Option<String>,
    /// 主送机关 (kept in the body as its first paragraph too).
    pub recipients: Option<String>,
    /// 附件说明.
    pub attachments: Vec<AttachmentNote>,
    /// 印发机关 of the 版记.
    pub printer: Option<String>,
    /// 印发日期 of the 版记.
    pub printed: Option<NaiveDate>,
    /// 抄送 of the 版记 (left out of the body).
    pub copied_to: Option<String>,
    /// The 附注's disclosure statement: `（此件公开发布）` → 主动公开.
    pub disclosure: Option<&'static str>,
    /// 密级 mark (the document must not be published; kept in the body so the review blocks it).
    pub classification: Option<String>,
    /// The 命令（令）格式.
    pub order: bool,
    /// Indices of the blocks that form the body, in order.
    pub body: Vec<usize>,
    /// Blocks (indices) that are the 署名 and 成文日期 (kept in the body as plain paragraphs).
    pub closing: Vec<usize>,
    /// The block that holds the 版记 start (everything from it on is left out).
    pub imprint_start: Option<usize>,
}

fn para(blocks: &[Block], i: usize) -> Option<&Para> {
    match blocks.get(i) {
        Some(Block::Para(p)) => Some(p),
        _ => None,
    }
}

fn is_blank(blocks: &[Block], i: usize) -> bool {
    match blocks.get(i) {
        Some(Block::Para(p)) => p.is_empty(),
        Some(Block::Table(t)) => t.text().trim().is_empty(),
        None => false,
    }
}

fn skip_blank(blocks: &[Block], mut i: usize) -> usize {
    while i < blocks.len() && is_blank(blocks, i) {
        i += 1;
    }
    i
}

fn block_text(b: &Block) -> String {
    match b {
        Block::Para(p) => p.text(),
        Block::Table(t) => t.text(),
    }
}

/// Splits 发文机关标志 lines into issuers: `文件` and `令` dropped, letter-spaced names
/// (`承 德 市 人 民 政 府`) closed up, two names on one line split.
fn masthead_issuers(lines: &[String], order: bool) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        for l in line.split('\n') {
            let tokens: Vec<&str> = l.split_whitespace().collect();
            let names: Vec<String> = if tokens.iter().all(|t| t.chars().count() == 1) {
                vec![tokens.concat()]
            } else {
                tokens.iter().map(|t| t.to_string()).collect()
            };
            for mut n in names {
                for suffix in ["文件", "令"] {
                    if (suffix == "文件" || order) && n.ends_with(suffix) {
                        n.truncate(n.len() - suffix.len());
                    }
                }
                if let Some(rest) = n.strip_prefix("中华人民共和国") {
                    if !rest.is_empty() {
                        n = rest.to_string();
                    }
                }
                if !n.is_empty() {
                    out.push(n);
                }
            }
        }
    }
    out
}

/// `国务院` + `第711号` → `国令第711号` (gov.cn's form); others `…令` + number.
fn order_doc_no(issuers: &[String], number: &str) -> String {
    let prefix = if issuers == ["国务院"] {
        "国".to_string()
    } else {
        issuers.join("、")
    };
    format!("{prefix}令{number}")
}

/// A masthead line by its look: red, or (printed in black) centered and ending in 文件/令.
fn is_masthead(p: &Para) -> bool {
    let t = compact(&p.text());
    !t.is_empty()
        && patterns::find_doc_no(&t).is_none()
        && patterns::order_number(&t).is_none()
        && (p.is_red() || (p.align == Align::Center && (t.ends_with("文件") || t.ends_with('令'))))
}

/// A 署名 line: short, no sentence punctuation, not a numbered or 附件 line.
fn is_signature(p: &Para) -> bool {
    let t = compact(&p.text());
    let n = t.chars().count();
    n > 0
        && n <= 60
        && (!p.indent_first || p.align == Align::Right)
        && !t.starts_with("特此")
        && t != "此复"
        && !t.contains(['。', '，', '；', '：', ':', '、'])
        && !t.starts_with("附件")
        && patterns::marker(&t).is_none()
        && !patterns::is_list_item(&t)
        && patterns::parse_date(&t).is_none()
}

/// Right-aligned, or pushed right by a large indent or leading spaces (typists do both).
fn is_right_placed(p: &Para) -> bool {
    let lead = p.text().chars().take_while(|c| c.is_whitespace()).count();
    p.align == Align::Right || p.indent_left >= 2400 || lead >= 4
}

/// Names on a 署名 line: joint issuers side by side are separated by wide spaces or tabs.
fn signature_names(p: &Para) -> Vec<String> {
    let text = p.text().replace(['\t', '\u{3000}'], "  ");
    let mut out = Vec::new();
    for line in text.split('\n') {
        for part in line.split("  ") {
            let c = compact(part);
            if !c.is_empty() {
                out.push(c);
            }
        }
    }
    out
}

/// A 版记 line: 抄送, or `…某年某月某日印发`.
fn imprint_kind(b: &Block) -> Option<&'static str> {
    let t = compact(&block_text(b));
    if t.starts_with("抄送") || t.starts_with("抄报") || t.starts_with("分送") {
        return Some("cc");
    }
    match patterns::find_date(&t) {
        Some((_, _, after)) if after == "印发" || after == "印" => Some("print"),
        _ => None,
    }
}

/// Parses the 附件说明 text (`附件：1．甲名单` plus the following lines) into notes.
fn attachment_notes(lines: &[String]) -> Vec<AttachmentNote> {
    let mut out: Vec<AttachmentNote> = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let mut t = line.trim().trim_start_matches('\u{3000}').to_string();
        if k == 0 {
            t = t
                .trim_start_matches("附件")
                .trim_start_matches(['：', ':'])
                .trim()
                .to_string();
        }
        let t = patterns::ascii_digits(t.trim());
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        let rest = &t[digits.len()..];
        let (number, title) = if !digits.is_empty() && rest.starts_with(['.', '．', '、']) {
            let rest = rest.trim_start_matches(['.', '．', '、']);
            (digits.parse().ok(), rest.to_string())
        } else {
            (None, t.clone())
        };
        let title = title
            .trim()
            .trim_end_matches(['；', ';', '。', '，', ','])
            .trim()
            .to_string();
        if title.is_empty() {
            continue;
        }
        if number.is_none() && !out.is_empty() {
            // A wrapped line of the previous attachment's name.
            if let Some(last) = out.last_mut() {
                last.title.push_str(&title);
            }
            continue;
        }
        out.push(AttachmentNote {
            number,
            title,
            inside: false,
        });
    }
    out
}

/// Joins title lines: Chinese lines and split numbers close up; Latin words keep a space.
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim_matches(|c: char| c.is_whitespace());
        if l.is_empty() {
            continue;
        }
        if out.ends_with(|c: char| c.is_ascii_alphabetic())
            && l.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

/// The title lines from `i`: consecutive centered, non-empty paragraphs (at most four). A
/// paragraph's own line breaks join too.
fn title_from(blocks: &[Block], i: usize, skip_notes: bool) -> Option<(String, Vec<usize>)> {
    let mut idx = Vec::new();
    let mut j = i;
    while let Some(p) = para(blocks, j) {
        let t = compact(&p.text());
        if p.is_empty() || p.align != Align::Center || idx.len() == 4 {
            break;
        }
        if skip_notes && (t.starts_with('（') || t.starts_with('(')) {
            break;
        }
        if patterns::parse_date(&t).is_some()
            || patterns::find_doc_no(&t).is_some()
            || (!idx.is_empty() && patterns::heading_level(&t).is_some())
        {
            break;
        }
        idx.push(j);
        j += 1;
    }
    if idx.is_empty() {
        return None;
    }
    let lines: Vec<String> = idx
        .iter()
        .filter_map(|&k| para(blocks, k))
        .map(|p| p.text())
        .collect();
    let title = join_lines(lines.iter().flat_map(|l| l.split('\n')));
    Some((title, idx))
}

/// Finds the parts of a 公文 in `blocks`.
pub fn extract(blocks: &[Block]) -> Gongwen {
    let mut g = Gongwen::default();
    let n = blocks.len();
    let mut i = skip_blank(blocks, 0);
    let mut keep_top = Vec::new();

    // 份号, 密级 and 紧急程度, above the 版头.
    while let Some(p) = para(blocks, i) {
        let t = p.text();
        if patterns::is_classification(&t) {
            g.classification = Some(compact(&t));
            keep_top.push(i);
        } else if !patterns::is_copy_or_urgency(&t) {
            break;
        }
        i = skip_blank(blocks, i + 1);
    }

    // 发文机关标志: red lines (or a red table for joint issuers beside 文件).
    let mut masthead: Vec<String> = Vec::new();
    loop {
        match blocks.get(i) {
            Some(Block::Para(p)) if is_masthead(p) => masthead.push(p.text()),
            Some(Block::Table(t)) if t.is_red() => {
                for r in &t.rows {
                    for c in &r.cells {
                        let ct = c.text();
                        if !ct.trim().is_empty() {
                            masthead.push(ct);
                        }
                    }
                }
            }
            _ => break,
        }
        i = skip_blank(blocks, i + 1);
    }
    let joined = compact(&masthead.concat());
    g.order = joined.ends_with('令');

    // 发文字号: under the 版头 (centered), or at the top right of a 函; a 令's number line.
    let mut look = i;
    for _ in 0..3 {
        let Some(p) = para(blocks, look) else { break };
        let t = p.text();
        let ct = compact(&t);
        if g.order {
            if let Some(num) = patterns::order_number(&t) {
                g.doc_no = Some(num);
                i = look + 1;
                break;
            }
        } else if let Some(no) = patterns::find_doc_no(&t) {
            // Only the number, perhaps with 签发人; a sentence citing a number is body text.
            let rest = ct.replace(&no, "");
            if rest.chars().count() <= 16 && !p.indent_first {
                g.doc_no = Some(no);
                i = look + 1;
                break;
            }
        }
        if !masthead.is_empty() || p.align == Align::Center || p.indent_first {
            break;
        }
        look = skip_blank(blocks, look + 1);
    }
    // Rule lines and empty paragraphs between the 版头 and the title.
    i = skip_blank(blocks, i);

    g.issuers = masthead_issuers(&masthead, g.order);
    if !g.issuers.is_empty() {
        g.issuer_source = Some(IssuerSource::Masthead);
    }
    if g.order {
        if let Some(num) = g.doc_no.take() {
            g.doc_no = Some(order_doc_no(&g.issuers, &num));
        }
    }

    // 标题 (for a 令 it comes after the signature; see below).
    let mut title_idx = Vec::new();
    if !g.order {
        if let Some((t, idx)) = title_from(blocks, i, false) {
            g.title = Some(t);
            i = idx.last().map(|l| l + 1).unwrap_or(i);
            title_idx = idx;
        }
    }
    let mut body_start = skip_blank(blocks, i);

    // 主送机关: the first line after the title, ending in a colon, not indented.
    if let Some(p) = para(blocks, body_start) {
        let t = compact(&p.text());
        if (t.ends_with('：') || t.ends_with(':'))
            && t.chars().count() <= 300
            && patterns::marker(&t).is_none()
            && (!p.indent_first || t.chars().count() < 120)
            && !g.order
        {
            g.recipients = Some(join_lines(p.text().split('\n')));
        }
    }
    if g.title.is_none() && !g.order && g.recipients.is_none() {
        // No centered title: a short first line followed by the 主送 line.
        if let (Some(p), Some(next)) = (
            para(blocks, body_start),
            para(blocks, skip_blank(blocks, body_start + 1)),
        ) {
            let t = compact(&p.text());
            let nt = compact(&next.text());
            if t.chars().count() <= 60 && !t.ends_with('：') && nt.ends_with('：') {
                g.title = Some(join_lines(p.text().split('\n')));
                title_idx.push(body_start);
                body_start = skip_blank(blocks, body_start + 1);
                g.recipients = Some(join_lines(next.text().split('\n')));
            }
        }
    }

    // 版记: from the first 抄送 or 印发 line to the end.
    let end = (body_start..n)
        .find(|&k| imprint_kind(&blocks[k]).is_some())
        .unwrap_or(n);
    if end < n {
        g.imprint_start = Some(end);
        for b in &blocks[end..] {
            let lines: Vec<String> = match b {
                Block::Para(p) => vec![p.text()],
                Block::Table(t) => t
                    .rows
                    .iter()
                    .flat_map(|r| r.cells.iter().map(|c| c.text()))
                    .collect(),
            };
            for l in lines {
                let c = compact(&l);
                if let Some(rest) = ["抄送", "抄报", "分送"]
                    .iter()
                    .find_map(|p| c.strip_prefix(p))
                {
                    g.copied_to = Some(
                        rest.trim_start_matches(['：', ':'])
                            .trim_end_matches('。')
                            .to_string(),
                    );
                } else if let Some((date, before, after)) = patterns::find_date(&c) {
                    if after.starts_with('印') {
                        g.printed = Some(date);
                        if !before.is_empty() {
                            g.printer = Some(before);
                        }
                    }
                }
            }
        }
    }

    // 成文日期: a paragraph that is only a date, placed on the right under the 署名. Dates on a
    // line of their own also occur in the 正文 (under a regulation's title) and in attachments,
    // so the first right-placed one wins, then the first under a 署名, then the first at all.
    let dates: Vec<usize> = (body_start..end)
        .filter(|&k| para(blocks, k).is_some_and(|p| patterns::parse_date(&p.text()).is_some()))
        .collect();
    let under_signature = |k: usize| {
        (body_start..k)
            .rev()
            .find(|&j| !is_blank(blocks, j))
            .and_then(|j| para(blocks, j))
            .is_some_and(is_signature)
    };
    let date_idx = dates
        .iter()
        .copied()
        .find(|&k| para(blocks, k).is_some_and(is_right_placed))
        .or_else(|| dates.iter().copied().find(|&k| under_signature(k)))
        .or_else(|| dates.first().copied());
    let mut attach_end = end;
    let mut drop = Vec::new();
    if let Some(d) = date_idx {
        let p = para(blocks, d).expect("found as a paragraph");
        g.written = patterns::parse_date(&p.text());
        g.written_text = Some(compact(&p.text()));
        g.closing.push(d);
        // 署名: the short lines right above the date.
        let mut k = d;
        let mut names = Vec::new();
        while k > body_start {
            k -= 1;
            if is_blank(blocks, k) {
                continue;
            }
            match para(blocks, k) {
                Some(p) if is_signature(p) && g.closing.len() < 5 => {
                    g.closing.push(k);
                    let mut ns = signature_names(p);
                    ns.extend(names);
                    names = ns;
                }
                _ => break,
            }
        }
        attach_end = g.closing.iter().copied().min().unwrap_or(d);
        if g.issuers.is_empty() && !names.is_empty() && !g.order {
            g.issuers = names;
            g.issuer_source = Some(IssuerSource::Signature);
        }
        // 附注 right after the date: its disclosure statement.
        let after = skip_blank(blocks, d + 1);
        if let Some(p) = para(blocks, after).filter(|_| after < end) {
            let t = compact(&p.text());
            if t.starts_with(['（', '(']) && t.ends_with(['）', ')']) {
                g.disclosure = if t.contains("不予公开") {
                    Some("不予公开")
                } else if t.contains("依申请公开") {
                    Some("依申请公开")
                } else if t.contains("公开发布") || t.contains("主动公开") {
                    Some("主动公开")
                } else {
                    None
                };
            }
        }
        // A 令: the 规章's title follows the date.
        if g.order {
            let t0 = skip_blank(blocks, d + 1);
            if let Some((t, idx)) = title_from(blocks, t0, true) {
                g.title = Some(t);
                drop.extend(idx);
            }
        }
    }
    if g.order && g.title.is_none() {
        // The 公布 text names it: 《河北省……办法》已经……通过，现予公布。
        let first = para(blocks, body_start)
            .map(|p| p.text())
            .unwrap_or_default();
        if let (Some(a), Some(b)) = (first.find('《'), first.find('》')) {
            if a < b {
                g.title = Some(first[a + '《'.len_utf8()..b].to_string());
            }
        }
    }

    // 附件说明: from `附件：` to the 署名 (or, without a date, to the 版记).
    let search_end = attach_end;
    if let Some(a) = (body_start..search_end).find(|&k| {
        para(blocks, k).is_some_and(|p| {
            let t = compact(&p.text());
            t.starts_with("附件：") || t.starts_with("附件:")
        })
    }) {
        let lines: Vec<String> = (a..search_end)
            .filter(|&k| !is_blank(blocks, k))
            .filter_map(|k| para(blocks, k))
            .flat_map(|p| p.text().split('\n').map(str::to_string).collect::<Vec<_>>())
            .collect();
        g.attachments = attachment_notes(&lines);
        drop.extend(a..search_end);
    }
    // Attachments whose text follows in the document (`附件1` on a line of its own).
    let after_date = date_idx.map(|d| d + 1).unwrap_or(end);
    for k in after_date..end {
        let Some(p) = para(blocks, k) else { continue };
        let t = patterns::ascii_digits(&compact(&p.text()));
        if let Some(num) = t.strip_prefix("附件") {
            if num.chars().all(|c| c.is_ascii_digit()) {
                let number: Option<u32> = num.parse().ok();
                for a in &mut g.attachments {
                    if a.number == number || g_single(number, a.number) {
                        a.inside = true;
                    }
                }
            }
        }
    }

    // The body: 密级 line, then everything from the 主送 to the 版记, less the 附件说明, the
    // title lines found inside (令) and empty paragraphs.
    g.body = keep_top;
    for k in body_start..end {
        if drop.contains(&k) || title_idx.contains(&k) || is_blank(blocks, k) {
            continue;
        }
        g.body.push(k);
    }
    g.closing.sort_unstable();
    if g.title.as_deref().is_some_and(str::is_empty) {
        g.title = None;
    }
    g
}

/// `附件` alone matches a single unnumbered 附件说明.
fn g_single(found: Option<u32>, noted: Option<u32>) -> bool {
    found.is_none() && noted.is_none()
}

#[cfg(test)]
mod tests;
