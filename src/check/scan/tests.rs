use super::personal::luhn_ok;
use super::*;

fn matched(v: &[Finding]) -> Vec<&str> {
    v.iter().map(|f| f.matched.as_str()).collect()
}

fn no_allow() -> Vec<String> {
    Vec::new()
}

/// Builds a valid 18-digit ID from 17 digits by computing the check character.
fn with_check(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

// P14 ---------------------------------------------------------------------------

#[test]
fn accepts_secret_markings() {
    let text = "秘密★1年\n机密 ★\n绝密★启用前\n机密　★　6个月\n★10年\n秘 密★长期\n绝密☆";
    let hits = scan_classification_marks(text);
    assert_eq!(
        matched(&hits),
        [
            "秘密★1年",
            "机密 ★",
            "绝密★",
            "机密　★　6个月",
            "★10年",
            "秘 密★长期",
            "绝密☆"
        ]
    );
    assert!(hits
        .iter()
        .all(|f| f.rule == Code::P14 && text[f.start..f.end] == f.matched));
    assert_eq!(
        matched(&scan_classification_marks("秘密★１年")),
        ["秘密★１年"]
    );
}

#[test]
fn rejects_secret_words_without_star() {
    let text = "国家秘密的密级分为绝密、机密、秘密三级。保守秘密是公民的义务。绝密级国家秘密的保密期限，除另有规定外，不超过三十年。";
    assert!(scan_classification_marks(text).is_empty());
    // A star bullet on the next line, and a star before a four-digit year.
    assert!(scan_classification_marks("涉及国家秘密\n★ 第二条").is_empty());
    assert!(scan_classification_marks("★2024年重点工作").is_empty());
    assert!(scan_classification_marks("带“★”号的小学教师岗位").is_empty());
}

// P15 ---------------------------------------------------------------------------

#[test]
fn accepts_valid_id_numbers() {
    let id = with_check("11010519491231002");
    assert_eq!(id, "11010519491231002X");
    let text = format!(
        "身份证号：{id}，另一个 {}。",
        with_check("44030419900307123")
    );
    let hits = scan_personal_data(&text, &no_allow());
    assert_eq!(hits.len(), 2);
    assert!(hits
        .iter()
        .all(|f| f.rule == Code::P15 && f.message.contains("居民身份证号")));
    assert_eq!(hits[0].matched, id);
    assert_eq!(hits[0].message, "有居民身份证号“110***********002X”");
    // Lower-case x and full-width digits.
    let lower = id.replace('X', "x");
    assert_eq!(scan_personal_data(&lower, &no_allow()).len(), 1);
    let wide: String = with_check("44030419900307123")
        .chars()
        .map(|c| char::from_u32(u32::from(c) - u32::from('0') + u32::from('０')).unwrap_or(c))
        .collect();
    assert_eq!(scan_personal_data(&wide, &no_allow()).len(), 1);
}

#[test]
fn rejects_ids_failing_checks() {
    let good = with_check("44030419900307123");
    let last = good.as_bytes()[17];
    let wrong = if last == b'0' { '1' } else { '0' };
    let bad_check = format!("{}{wrong}", &good[..17]);
    let bad_date = with_check("44030419901307123"); // month 13
    let old = with_check("44030418990307123"); // born 1899
    let zero_region = with_check("04030419900307123");
    for s in [bad_check, bad_date, old, zero_region] {
        assert!(
            scan_personal_data(&s, &no_allow())
                .iter()
                .all(|f| !f.message.contains("身份证")),
            "{s}"
        );
    }
    // Embedded in a longer digit run: not an ID (the 19-digit run may still be
    // reported as a card when it passes Luhn; never as an ID).
    for s in [
        format!("9{good}"),
        format!("{good}7"),
        format!("12{good}"),
        format!("A{good}"),
    ] {
        assert!(
            scan_personal_data(&s, &no_allow())
                .iter()
                .all(|f| !f.message.contains("身份证")),
            "{s}"
        );
    }
}

#[test]
fn accepts_mobile_numbers() {
    let text = "联系人手机13812345678；备用 138-1234-5678 或 139 1234 5678，国际+8615912345678。";
    let hits = scan_personal_data(text, &no_allow());
    assert_eq!(
        matched(&hits),
        [
            "13812345678",
            "138-1234-5678",
            "139 1234 5678",
            "+8615912345678"
        ]
    );
    assert_eq!(hits[0].message, "有手机号码“138****5678”");
}

#[test]
fn rejects_mobile_lookalikes() {
    // Inside longer runs, a 12-digit number, landlines, hotlines, masked numbers.
    let text = "编号913812345678，流水1381234567812，电话0311-87654321，热线12345，12315，手机138****5678，10086。";
    assert!(
        scan_personal_data(text, &no_allow()).is_empty(),
        "{:?}",
        scan_personal_data(text, &no_allow())
    );
    // 2-digit second place outside 3–9.
    assert!(scan_personal_data("12812345678", &no_allow()).is_empty());
    // A landline written 0311-138-1234-5678 style is not a grouped mobile.
    assert!(scan_personal_data("0311-138-1234-5678", &no_allow()).is_empty());
}

#[test]
fn accepts_allow_listed_numbers_suppressed() {
    let allow = vec!["138-1234-5678".to_owned(), "6222020200112233445".to_owned()];
    let text = "办公手机13812345678，+86 13812345678，138 1234 5678；账户6222020200112233445。";
    let text2 = format!("{text}个人13912345678");
    // The card in `allow` must itself pass Luhn to be a candidate; check via digits.
    let hits = scan_personal_data(&text2, &allow);
    assert_eq!(matched(&hits), ["13912345678"]);
}

#[test]
fn accepts_luhn_valid_card_runs() {
    // 4111111111111111 is the classic Luhn-valid test number; 6222 grouped form.
    let card = "6222021234567890128";
    assert!(luhn_ok(card.as_bytes()), "test card must be Luhn-valid");
    let text = format!("卡号4111111111111111，工资卡{card}，6222 0212 3456 7890 128。");
    let hits = scan_personal_data(&text, &no_allow());
    assert_eq!(
        matched(&hits),
        ["4111111111111111", card, "6222 0212 3456 7890 128"]
    );
    assert!(hits.iter().all(|f| f.message.starts_with("有银行卡号")));
}

#[test]
fn rejects_card_lookalikes() {
    // Luhn-invalid, a date-like run starting with 2, a 20-digit run.
    let mut n = *b"4111111111111112";
    assert!(!luhn_ok(&n));
    let text = format!(
        "{}，20240101000000000008，41111111111111111111，",
        std::str::from_utf8(&n).unwrap_or("")
    );
    assert!(
        scan_personal_data(&text, &no_allow()).is_empty(),
        "{:?}",
        scan_personal_data(&text, &no_allow())
    );
    n[15] = b'1';
    assert!(luhn_ok(&n));
}

// P16 ---------------------------------------------------------------------------

#[test]
fn accepts_process_markers_in_title() {
    let hits = scan_process_markers("河北省某某管理办法（征求意见稿）", Field::Title);
    assert_eq!(matched(&hits), ["征求意见稿"]);
    let hits = scan_process_markers("关于申请专项资金的请示", Field::Title);
    assert_eq!(matched(&hits), ["请示"]);
    assert_eq!(hits[0].rule, Code::P16);
    let hits = scan_process_markers("关于设立开发区的请示（送审稿）", Field::Title);
    assert_eq!(matched(&hits), ["送审稿", "请示"]);
    assert_eq!(
        matched(&scan_process_markers(
            "工作要点 内部资料 注意保存",
            Field::Title
        )),
        ["内部资料", "注意保存"]
    );
}

#[test]
fn rejects_title_near_misses() {
    for t in [
        "国务院办公厅转发国家教委关于内地西藏班（校）扩大规模有关问题请示的通知",
        "国务院关于同意设立某某开发区请示的批复",
        "关于公开征求《河北省某某办法（征求意见稿）》意见的公告",
        "内部资料性出版物管理办法",
    ] {
        assert!(scan_process_markers(t, Field::Title).is_empty(), "{t}");
    }
}

#[test]
fn accepts_label_lines_in_body() {
    let body = "河北省某某办法\n（征求意见稿）\n\n第一条 为了……\n**内部资料 注意保存**\n";
    let hits = scan_process_markers(body, Field::Body);
    assert_eq!(matched(&hits), ["征求意见稿", "内部资料", "注意保存"]);
    for f in &hits {
        assert_eq!(&body[f.start..f.end], f.matched);
    }
}

#[test]
fn rejects_markers_in_body_prose() {
    let body = "经过多次讨论修改，于8月初形成了征求意见稿。\n起草单位直接将文件送审稿及有关材料报送审核。\n印刷企业接受委托印刷内部资料性出版物的，必须……\n请市民注意保存购物凭证。\n形成了《项目鉴定办法（征求意见稿）》。";
    assert!(scan_process_markers(body, Field::Body).is_empty());
    // The word 请示 in a body is not a P16 hit.
    assert!(scan_process_markers("关于申请专项资金的请示", Field::Body).is_empty());
}

// P17 ---------------------------------------------------------------------------

#[test]
fn accepts_balanced_titles() {
    for t in [
        "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见",
        "关于印发《河北省规范性文件管理办法（试行）》的通知",
        "国务院办公厅转发国家教委关于内地西藏班（校）扩大规模有关问题请示的通知",
        "关于2024年(第二批)项目的公示",
    ] {
        assert!(
            scan_title_form(t).is_empty(),
            "{t}: {:?}",
            scan_title_form(t)
        );
    }
}

#[test]
fn rejects_unbalanced_titles_and_trailing_full_stop() {
    let hits = scan_title_form("关于印发《河北省管理办法的通知");
    assert_eq!(matched(&hits), ["《"]);
    assert_eq!(hits[0].message, "标题中的“《”没有对应的“》”");
    assert_eq!(
        matched(&scan_title_form("关于“双随机、一公开的通知”》")),
        ["》"]
    );
    // Crossed nesting: the 》 closes nothing open on top, so it is stray and 《 stays open.
    assert_eq!(
        matched(&scan_title_form("关于《办法（试行》）的通知")),
        ["《", "》"]
    );
    assert_eq!(matched(&scan_title_form("关于(试行的通知")), ["("]);
    assert_eq!(matched(&scan_title_form("关于\"双随机的通知")), ["\""]);
    let hits = scan_title_form("关于做好某项工作的通知。 ");
    assert_eq!(matched(&hits), ["。"]);
    assert_eq!(hits[0].message, "标题末尾有句号");
}

#[test]
fn accepts_placeholders() {
    let text = "××市人民政府\nXX局：\n拨付XXX元\n○○同志\nxx县\nＸＸ区";
    let hits = scan_placeholders(text);
    assert_eq!(matched(&hits), ["××", "XX", "XXX", "○○", "xx", "ＸＸ"]);
    assert!(hits.iter().all(|f| f.rule == Code::P17));
    assert_eq!(matched(&scan_title("关于××的通知", &no_allow())), ["××"]);
}

#[test]
fn rejects_placeholder_near_misses() {
    let text = "二○○四年六月十六日；二〇〇〇年；XXL号；MAXX；第XXI届；0xx；http://example.gov.cn/hbgyhxxht/；138XXXX5678；138××××5678；3×4";
    assert!(
        scan_placeholders(text).is_empty(),
        "{:?}",
        scan_placeholders(text)
    );
}

// All ---------------------------------------------------------------------------

#[test]
fn accepts_combined_scans_sorted_with_exact_offsets() {
    let title = "关于××的请示。";
    let hits = scan_title(title, &no_allow());
    assert_eq!(matched(&hits), ["××", "请示", "。"]);
    let body = format!(
        "秘密★1年\n（讨论稿）\n联系电话13812345678，身份证{}。\nXX局",
        with_check("11010519491231002")
    );
    let hits = scan_body(&body, &no_allow());
    let rules: Vec<Code> = hits.iter().map(|f| f.rule).collect();
    assert_eq!(
        rules,
        [Code::P14, Code::P16, Code::P15, Code::P15, Code::P17]
    );
    assert!(hits.windows(2).all(|w| w[0].start <= w[1].start));
    for f in &hits {
        assert_eq!(&body[f.start..f.end], f.matched);
    }
}

#[test]
fn rejects_nothing_by_panicking_on_large_mixed_input() {
    // About 10 MB: normal lines, one very long line, long digit runs, runs of
    // placeholder and bracket characters, stars, stray surrogates-free odd chars.
    let id = with_check("11010519491231002");
    let unit = format!(
        "第一条 为了规范管理，根据《条例》制定本办法。联系人手机13812345678，身份证{id}。\n\
         （征求意见稿）\n秘密★1年 二○○四年 ××市 XXL ★2024年 6222 0212 3456 7890 128\n"
    );
    let mut text = String::with_capacity(10_500_000);
    while text.len() < 4_000_000 {
        text.push_str(&unit);
    }
    // One 3 MB line without a newline.
    while text.len() < 7_000_000 {
        text.push_str("很长的一行文字，没有换行《“（(【");
    }
    text.push('\n');
    text.push_str(&"1".repeat(1_000_000));
    text.push_str(&"X".repeat(500_000));
    text.push_str(&"○".repeat(200_000));
    text.push_str(&"★ ".repeat(200_000));
    text.push_str(&"\u{3000}秘\u{3000}".repeat(100_000));
    text.push_str("\u{0}\u{FEFF}\u{10FFFF}末尾");
    assert!(text.len() > 9_000_000);

    let allow = vec!["13812345678".to_owned()];
    let body = scan_body(&text, &allow);
    let title = scan_title(&text, &allow);
    let units = 4_000_000 / unit.len();
    assert!(
        body.iter().filter(|f| f.rule == Code::P15).count() >= units * 2,
        "ids and cards found"
    );
    assert!(
        body.iter().all(|f| f.matched != "13812345678"),
        "allow-list applies"
    );
    for f in body.iter().chain(&title) {
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        assert!(f.start < f.end);
    }
}
