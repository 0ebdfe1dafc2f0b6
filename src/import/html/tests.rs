use super::*;

fn texts(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Para(p) => p.text().trim().to_string(),
            Block::Table(t) => format!("[table {}]", t.text().replace('\n', "|")),
        })
        .collect()
}

const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于印发某某办法的通知_政府信息公开</title>
<style>p{margin:0}</style><script>var a = "<p>不是正文</p>";</script></head>
<body><div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a></div>
<table class="xxgk-index"><tr><td>索引号：</td><td>13502/2022-00001</td></tr></table>
<div id="zoom" class="TRS_Editor">
<p align="center">某某局关于印发<br>某某办法的通知</p>
<p>各科室：</p>
<p style="text-indent:2em">现将《某某办法》印发给你们，请<b>认真贯彻</b>执行。</p>
<p>一、总体要求<p>正文第二段，见<a href="../2021/t1.html">附表</a>。
<table><tr><th>序号</th><th>事项</th></tr><tr><td>1</td><td>公开</td></tr></table>
<p style="TEXT-ALIGN: right">某某局</p><p style="text-align:right">2022年6月9日</p>
<img src="img/a.png" alt="流程图">
</div><div class="footer">版权所有</div></body></html>"#;

#[test]
fn finds_the_main_text_of_a_cms_page() {
    let (blocks, images) = main_text(PAGE, Some("http://old.example.gov.cn/xxgk/2022/t2.html"));
    assert_eq!(
        texts(&blocks),
        [
            "某某局关于印发\n某某办法的通知",
            "各科室：",
            "现将《某某办法》印发给你们，请认真贯彻执行。",
            "一、总体要求",
            "正文第二段，见附表。",
            "[table 序号|事项|1|公开]",
            "某某局",
            "2022年6月9日",
            "",
        ]
    );
    let Block::Para(img) = &blocks[8] else {
        panic!()
    };
    assert_eq!(img.images().collect::<Vec<_>>(), [0]);
    let Block::Para(title) = &blocks[0] else {
        panic!()
    };
    assert_eq!(title.align, Align::Center);
    let Block::Para(date) = &blocks[7] else {
        panic!()
    };
    assert_eq!(date.align, Align::Right);
    let Block::Para(p) = &blocks[4] else { panic!() };
    assert!(p.inlines.iter().any(|i| matches!(i, Inline::Text { link: Some(l), .. } if l == "http://old.example.gov.cn/xxgk/2021/t1.html")));
    assert_eq!(
        images,
        [(
            "http://old.example.gov.cn/xxgk/2022/img/a.png".to_string(),
            "流程图".to_string()
        )]
    );
    assert_eq!(
        page_title(PAGE).as_deref(),
        Some("关于印发某某办法的通知_政府信息公开")
    );
}

#[test]
fn deeply_nested_pages_do_not_exhaust_the_stack() {
    let html = format!(
        "{}<p>正文</p>{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let (blocks, _) = main_text(&html, None);
    assert_eq!(texts(&blocks), ["正文"]);
}

#[test]
fn decodes_gbk_pages_by_their_charset() {
    let (gbk, _, _) = encoding_rs::GBK.encode("<meta charset=\"gb2312\"><p>政务公开</p>");
    assert!(decode(&gbk).contains("政务公开"));
    assert!(decode("<p>政务公开</p>".as_bytes()).contains("政务公开"));
}

#[test]
fn makes_addresses_absolute() {
    let b = Some("http://a.gov.cn/x/y/z.html");
    assert_eq!(absolute(b, "/f.pdf"), "http://a.gov.cn/f.pdf");
    assert_eq!(absolute(b, "f.pdf"), "http://a.gov.cn/x/y/f.pdf");
    assert_eq!(absolute(b, "../f.pdf"), "http://a.gov.cn/x/f.pdf");
    assert_eq!(absolute(b, "https://b.cn/g"), "https://b.cn/g");
    assert_eq!(absolute(None, "f.pdf"), "f.pdf");
}

#[test]
fn what_a_browser_does_not_show_is_not_imported() {
    let html = r#"<div id="zoom">
<p>第一段正文。</p>
<p style="display: none">编辑备注：待分管领导审定后再公开</p>
<div hidden><p>隐藏的旧版本</p></div>
<p style="color:red; VISIBILITY:Hidden !important">不可见的文字</p>
<p>第二段正文，<span style="display:none">夹在中间的隐藏字</span>继续。</p>
<table><tr><td>事项</td><td style="display:none">隐藏列</td></tr>
<tr style="display:none"><td>隐藏行</td></tr><tr><td>公开</td></tr></table>
<p style="display:block">可见的块。</p>
<p>面积120m<sup>2</sup>，CO<sub>2</sub>，见注<sup>[1]</sup>。</p>
</div>
<div style="display:none"><p>一大段隐藏的文字一大段隐藏的文字一大段隐藏的文字一大段隐藏的文字一大段隐藏的文字一大段隐藏的文字一大段隐藏的文字</p></div>"#;
    let (blocks, _) = main_text(html, None);
    assert_eq!(
        texts(&blocks),
        [
            "第一段正文。",
            "第二段正文，继续。",
            "[table 事项|公开]",
            "可见的块。",
            "面积120m²，CO₂，见注[1]。"
        ]
    );
    assert!(hides("display:none") && hides("DISPLAY : NONE !important"));
    assert!(!hides("display:block") && !hides("color:none") && !hides(""));
}
