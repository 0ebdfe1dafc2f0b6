//! Unit tests of the 公文 parts, on hand-made blocks.

use super::super::docx::{Inline, Style};
use super::*;

fn p(text: &str) -> Block {
    Block::Para(Para {
        inlines: vec![Inline::Text {
            text: text.into(),
            style: Style::default(),
            link: None,
        }],
        align: Align::Justify,
        indent_first: true,
        ..Para::default()
    })
}
fn aligned(text: &str, align: Align) -> Block {
    match p(text) {
        Block::Para(mut x) => {
            x.align = align;
            x.indent_first = false;
            Block::Para(x)
        }
        b => b,
    }
}
fn red(text: &str) -> Block {
    match aligned(text, Align::Center) {
        Block::Para(mut x) => {
            if let Some(Inline::Text { style, .. }) = x.inlines.first_mut() {
                style.red = true;
            }
            Block::Para(x)
        }
        b => b,
    }
}
fn empty() -> Block {
    Block::Para(Para::default())
}

fn texts(blocks: &[Block], idx: &[usize]) -> Vec<String> {
    idx.iter().map(|&i| block_text(&blocks[i])).collect()
}

#[test]
fn reads_a_document_in_the_file_layout() {
    let b = vec![
        red("承德市人民政府办公室文件"),
        empty(),
        aligned("承市政办字〔2022〕44号", Align::Center),
        empty(),
        aligned("承德市人民政府办公室", Align::Center),
        aligned("关于印发承德市2022年政务公开工作要点的通知", Align::Center),
        empty(),
        aligned("各县（市、区）人民政府，市政府各部门：", Align::Left),
        p("现将《承德市2022年政务公开工作要点》印发给你们，请认真贯彻落实。"),
        p("一、总体要求"),
        p("附件：1．承德市2022年政务公开工作要点"),
        aligned("2．任务分工表", Align::Left),
        empty(),
        aligned("承德市人民政府办公室", Align::Right),
        aligned("二〇二二年六月九日", Align::Right),
        p("（此件公开发布）"),
        p("抄送：市委办公室。"),
        aligned("承德市人民政府办公室　　　　2022年6月10日印发", Align::Left),
    ];
    let g = extract(&b);
    assert_eq!(
        g.title.as_deref(),
        Some("承德市人民政府办公室关于印发承德市2022年政务公开工作要点的通知")
    );
    assert_eq!(g.doc_no.as_deref(), Some("承市政办字〔2022〕44号"));
    assert_eq!(g.issuers, ["承德市人民政府办公室"]);
    assert_eq!(g.issuer_source, Some(IssuerSource::Masthead));
    assert_eq!(g.written, NaiveDate::from_ymd_opt(2022, 6, 9));
    assert_eq!(
        g.recipients.as_deref(),
        Some("各县（市、区）人民政府，市政府各部门：")
    );
    assert_eq!(
        g.attachments
            .iter()
            .map(|a| (a.number, a.title.as_str()))
            .collect::<Vec<_>>(),
        [
            (Some(1), "承德市2022年政务公开工作要点"),
            (Some(2), "任务分工表")
        ]
    );
    assert_eq!(g.printed, NaiveDate::from_ymd_opt(2022, 6, 10));
    assert_eq!(g.printer.as_deref(), Some("承德市人民政府办公室"));
    assert_eq!(g.copied_to.as_deref(), Some("市委办公室"));
    assert_eq!(g.disclosure, Some("主动公开"));
    assert_eq!(
        texts(&b, &g.body),
        [
            "各县（市、区）人民政府，市政府各部门：",
            "现将《承德市2022年政务公开工作要点》印发给你们，请认真贯彻落实。",
            "一、总体要求",
            "承德市人民政府办公室",
            "二〇二二年六月九日",
            "（此件公开发布）",
        ]
    );
}

#[test]
fn reads_a_letter_without_masthead_with_joint_signatures() {
    let b = vec![
        aligned("国办函〔2019〕8号", Align::Right),
        aligned("国务院办公厅关于同意建立", Align::Center),
        aligned("某某部际联席会议制度的函", Align::Center),
        aligned("发展改革委：", Align::Left),
        p("你委关于建立某某部际联席会议制度的请示收悉。经国务院同意，现函复如下。"),
        aligned("国务院办公厅　　　　中央军委办公厅", Align::Right),
        aligned("2019年1月29日", Align::Right),
    ];
    let g = extract(&b);
    assert_eq!(g.doc_no.as_deref(), Some("国办函〔2019〕8号"));
    assert_eq!(
        g.title.as_deref(),
        Some("国务院办公厅关于同意建立某某部际联席会议制度的函")
    );
    assert_eq!(g.issuers, ["国务院办公厅", "中央军委办公厅"]);
    assert_eq!(g.issuer_source, Some(IssuerSource::Signature));
    assert_eq!(g.recipients.as_deref(), Some("发展改革委："));
    assert_eq!(g.written, NaiveDate::from_ymd_opt(2019, 1, 29));
}

#[test]
fn reads_an_order_and_finds_the_rules_title_after_the_signature() {
    let b = vec![
        red("河北省人民政府令"),
        aligned("〔2016〕第５号", Align::Center),
        p("《河北省行政规范性文件管理办法》已经2016年11月28日省政府第103次常务会议通过，现予公布，自2017年1月1日起施行。"),
        aligned("省长　张庆伟", Align::Right),
        aligned("2016年12月6日", Align::Right),
        empty(),
        aligned("河北省行政规范性文件", Align::Center),
        aligned("管理办法", Align::Center),
        aligned("（2016年12月6日河北省人民政府令〔2016〕第5号公布）", Align::Center),
        p("第一章　总则"),
    ];
    let g = extract(&b);
    assert!(g.order);
    assert_eq!(g.doc_no.as_deref(), Some("河北省人民政府令〔2016〕第5号"));
    assert_eq!(g.issuers, ["河北省人民政府"]);
    assert_eq!(g.title.as_deref(), Some("河北省行政规范性文件管理办法"));
    assert_eq!(g.written, NaiveDate::from_ymd_opt(2016, 12, 6));
    assert_eq!(g.body.len(), 5, "{:?}", texts(&b, &g.body));
    assert!(!texts(&b, &g.body).iter().any(|t| t == "管理办法"));
}

#[test]
fn state_council_orders_use_the_gov_cn_number() {
    let b = vec![
        red("中华人民共和国国务院令"),
        aligned("第711号", Align::Center),
        p("《国务院关于修改〈中华人民共和国政府信息公开条例〉的决定》已经2019年3月27日国务院第46次常务会议通过，现予公布。"),
        aligned("总理　　李克强", Align::Right),
        aligned("2019年4月3日", Align::Right),
    ];
    let g = extract(&b);
    assert_eq!(g.doc_no.as_deref(), Some("国令第711号"));
    assert_eq!(g.issuers, ["国务院"]);
    assert_eq!(
        g.title.as_deref(),
        Some("国务院关于修改〈中华人民共和国政府信息公开条例〉的决定")
    );
}

#[test]
fn joint_mastheads_keep_their_order() {
    let lines = vec![
        "中共承德市委办公室".to_string(),
        "承德市人民政府办公室文件".to_string(),
    ];
    assert_eq!(
        masthead_issuers(&lines, false),
        ["中共承德市委办公室", "承德市人民政府办公室"]
    );
    assert_eq!(
        masthead_issuers(&["承 德 市 人 民 政 府 文 件".into()], false),
        ["承德市人民政府"]
    );
    assert_eq!(
        masthead_issuers(
            &["河北省教育厅".into(), "文件".into(), "河北省财政厅".into()],
            false
        ),
        ["河北省教育厅", "河北省财政厅"]
    );
}

#[test]
fn a_body_sentence_citing_a_number_is_not_the_doc_no() {
    let b = vec![
        aligned("关于做好有关工作的通知", Align::Center),
        aligned("各区：", Align::Left),
        p("根据《某某通知》（国办发〔2019〕5号）要求，现通知如下。"),
    ];
    let g = extract(&b);
    assert_eq!(g.doc_no, None);
    assert_eq!(g.title.as_deref(), Some("关于做好有关工作的通知"));
    assert_eq!(g.written, None);
    assert!(g.issuers.is_empty());
}

#[test]
fn classified_documents_keep_the_mark_in_the_body() {
    let b = vec![
        aligned("机密★1年", Align::Left),
        red("某某局文件"),
        aligned("关于某事的通知", Align::Center),
        p("正文。"),
    ];
    let g = extract(&b);
    assert_eq!(g.classification.as_deref(), Some("机密★1年"));
    assert_eq!(g.body.first(), Some(&0));
    assert_eq!(g.issuers, ["某某局"]);
}
