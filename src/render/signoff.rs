//! 落款: the 署名 and 成文日期 closing a 公文 are right-aligned, as printed (GB/T 9704).
//! Editors type them as plain paragraphs (a date alone on its line); this finds them in the
//! rendered body and gives them a class, so no editor has to write HTML.

use std::sync::LazyLock;

use regex::Regex;

/// A 成文日期 as typed at the end of a 公文: `2022年6月9日` or `二〇二二年六月九日`.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9〇零一二三四五六七八九]{4}年[0-9〇零一二三四五六七八九十]{1,3}月[0-9〇零一二三四五六七八九十]{1,3}日$")
        .expect("valid regex")
});

/// The longest 署名 line worth aligning (an office's name, not a sentence).
const MAX_SIGNER_CHARS: usize = 30;

/// `html` with each 成文日期 paragraph (a paragraph that is only a date), and the signer
/// paragraph(s) right before it, marked `<p class="signoff">`. A 印发 notice carries its 落款
/// in the middle of the body, before the attached text, so every such date counts.
pub fn mark(html: &str) -> String {
    // (start, end, text) of every top-level-looking `<p>…</p>` without markup inside.
    let mut paras = Vec::new();
    let mut from = 0;
    while let Some(open) = html[from..].find("<p>").map(|i| from + i) {
        let Some(close) = html[open..].find("</p>").map(|i| open + i) else {
            break;
        };
        let text = &html[open + 3..close];
        if !text.contains('<') {
            paras.push((open, close + 4, text.trim()));
        }
        from = close + 4;
    }
    let mut marked = vec![false; paras.len()];
    for (k, &(_, _, text)) in paras.iter().enumerate() {
        if !DATE.is_match(text) {
            continue;
        }
        marked[k] = true;
        // Up to two signer lines (a joint 公文 has two offices) right before the date.
        let mut j = k;
        while j > 0 && k - j < 2 {
            let (_, prev_end, prev) = paras[j - 1];
            let adjacent = html[prev_end..paras[j].0].trim().is_empty();
            let signer = !prev.is_empty()
                && prev.chars().count() <= MAX_SIGNER_CHARS
                && !prev.contains(['。', '，', ',', '：', ':', '；']);
            if !(adjacent && signer) {
                break;
            }
            j -= 1;
            marked[j] = true;
        }
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut at = 0;
    for (&(start, _, _), _) in paras.iter().zip(&marked).filter(|(_, &m)| m) {
        out.push_str(&html[at..start]);
        out.push_str("<p class=\"signoff\">");
        at = start + 3;
    }
    out.push_str(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::mark;

    #[test]
    fn signer_and_date_are_marked() {
        let html = "<p>正文。</p>\n<p>承德市人民政府办公室</p>\n<p>2022年6月9日</p>\n";
        assert_eq!(
            mark(html),
            "<p>正文。</p>\n<p class=\"signoff\">承德市人民政府办公室</p>\n<p class=\"signoff\">2022年6月9日</p>\n"
        );
        let cn = "<p>正文。</p><p>二〇二二年六月九日</p>";
        assert_eq!(
            mark(cn),
            "<p>正文。</p><p class=\"signoff\">二〇二二年六月九日</p>"
        );
    }

    #[test]
    fn a_signoff_in_the_middle_is_marked() {
        let html = "<p>现印发给你们。</p>\n<p>承德市人民政府办公室</p>\n<p>2022年6月9日</p>\n<h2>要点</h2><p>正文。</p>";
        assert_eq!(
            mark(html),
            "<p>现印发给你们。</p>\n<p class=\"signoff\">承德市人民政府办公室</p>\n<p class=\"signoff\">2022年6月9日</p>\n<h2>要点</h2><p>正文。</p>"
        );
    }

    #[test]
    fn a_body_without_a_closing_date_is_unchanged() {
        for html in [
            "<p>正文。</p>\n",
            "<p>2022年6月9日召开会议，部署工作。</p>",
            "<table><tr><td>2022年6月9日</td></tr></table>",
            "",
        ] {
            assert_eq!(mark(html), html);
        }
        // A sentence before the date is not a 署名.
        assert_eq!(
            mark("<p>特此通知。</p><p>2022年6月9日</p>"),
            "<p>特此通知。</p><p class=\"signoff\">2022年6月9日</p>"
        );
    }
}
