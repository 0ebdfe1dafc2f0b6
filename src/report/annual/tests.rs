//! Tests of `annual/YEAR.toml` parsing, against the sample site's own file.

use super::*;

const SAMPLE: &str = include_str!("../../../annual/2023.toml");

fn parse_text(text: &str) -> Result<AnnualData, Vec<Diagnostic>> {
    parse(2023, Path::new("annual/2023.toml"), text)
}

fn messages(r: Result<AnnualData, Vec<Diagnostic>>) -> Vec<Diagnostic> {
    r.expect_err("the file is rejected")
}

#[test]
fn accepts_the_sample_file() {
    let d = parse_text(SAMPLE).unwrap();
    assert_eq!(d.issuer.as_deref(), Some("承德市人民政府"));
    assert_eq!(d.joint, JointRule::First);
    assert_eq!(d.table3.len(), 25);
    assert_eq!(d.table3[0], [10, 1, 0, 0, 1, 0, 12]);
    assert_eq!(d.table4[0], [1, 0, 0, 0, 1]);
    assert!(d.text.other.contains("信息处理费"));
}

#[test]
fn rejects_one_wrong_cell_naming_row_column_and_line() {
    // 三（一）予以公开, 自然人: 6 → 7 breaks three sums: its row's 总计, the （七）总计 of the
    // 自然人 column, and nothing else (一 + 二 = 三 + 四 still holds with the written 总计).
    let text = SAMPLE.replace(
        "disclosed        = [ 6, 1, 0, 0, 0, 0,  7]",
        "disclosed        = [ 7, 1, 0, 0, 0, 0,  7]",
    );
    let d = messages(parse_text(&text));
    assert_eq!(d.len(), 2, "{d:#?}");
    assert!(d.iter().all(|x| x.rule == crate::diag::Code::P20));
    assert_eq!(
        d[0].message,
        "表三 “（一）予以公开” 行，“总计”列为 7，但自然人与法人或其他组织各列之和为 8"
    );
    assert_eq!(d[0].field.as_deref(), Some("table3.disclosed"));
    let line = SAMPLE
        .lines()
        .position(|l| l.starts_with("disclosed "))
        .unwrap()
        + 1;
    assert_eq!(d[0].line, Some(line));
    assert_eq!(
        d[1].message,
        "表三 “（七）总计” 行，“自然人”列为 10，但（一）至（六）各项之和为 11"
    );
}

#[test]
fn rejects_a_broken_balance_between_received_and_handled() {
    let text = SAMPLE.replace(
        "carried_forward  = [ 1, 0, 0, 0, 0, 0,  1]",
        "carried_forward  = [ 0, 0, 0, 0, 0, 0,  0]",
    );
    let d = messages(parse_text(&text));
    assert_eq!(d.len(), 2, "{d:#?}");
    assert!(
        d[0].message
            .starts_with("表三 “自然人”列：第一项加第二项之和为 11"),
        "{}",
        d[0].message
    );
    assert!(
        d[1].message.starts_with("表三 “总计”列"),
        "{}",
        d[1].message
    );
}

#[test]
fn rejects_a_table4_total() {
    let text = SAMPLE.replace(
        "review                  = [1, 0, 0, 0, 1]",
        "review = [1, 1, 0, 0, 1]",
    );
    let d = messages(parse_text(&text));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        d[0].message,
        "表四 “行政复议” 的“总计”为 1，但结果维持、结果纠正、其他结果、尚未审结之和为 2"
    );
}

#[test]
fn rejects_missing_rows_and_negative_numbers() {
    let text = SAMPLE
        .replace(
            "secret             = [0, 0, 0, 0, 0, 0, 0]   # 1.属于国家秘密\n",
            "",
        )
        .replace("penalty = 0 ", "penalty = -3 ");
    let d = messages(parse_text(&text));
    let msgs: Vec<&str> = d.iter().map(|x| x.message.as_str()).collect();
    assert!(
        msgs.contains(&"表二 行政处罚 本年处理决定数量 为负数 -3"),
        "{msgs:#?}"
    );
    assert!(
        msgs.contains(&"缺少表三 “（三）不予公开1.属于国家秘密” 行（table3.withheld.secret）"),
        "{msgs:#?}"
    );
    // Sums are only checked once every number is there.
    assert_eq!(d.len(), 2, "{msgs:#?}");
}

#[test]
fn rejects_unknown_keys_wrong_lengths_and_missing_text() {
    let text = SAMPLE
        .replace("licensing = 0", "licencing = 0")
        .replace(
            "new              = [10, 1, 0, 0, 1, 0, 12]",
            "new = [10, 1, 0, 0, 1, 12]",
        )
        .replace("other = \"本年度未收取信息处理费。\"", "");
    let d = messages(parse_text(&text));
    let msgs: Vec<&str> = d.iter().map(|x| x.message.as_str()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("年报数据中有未知的键 “table2.licencing”")),
        "{msgs:#?}"
    );
    assert!(
        msgs.contains(&"缺少 表二 行政许可 本年处理决定数量（table2.licensing）"),
        "{msgs:#?}"
    );
    assert!(
        msgs.contains(&"表三 “一、本年新收政府信息公开申请数量” 行应有 7 个数，这里有 6 个"),
        "{msgs:#?}"
    );
    assert!(
        msgs.contains(&"缺少 text.other（年报正文的必填部分）"),
        "{msgs:#?}"
    );
}

#[test]
fn rejects_bad_toml_with_a_line() {
    let d = messages(parse_text("[table2\nlicensing = 0\n"));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].line, Some(1));
}

#[test]
fn key_lines_follow_headers() {
    let l = key_lines("a = 1\n[t]\nb = \"\"\"\nc = 2\n\"\"\"\nd = 3\n[t.s]\ne = [1]\n");
    assert_eq!(l.get("a"), Some(&1));
    assert_eq!(l.get("t.b"), Some(&3));
    assert_eq!(l.get("t.c"), None);
    assert_eq!(l.get("t.d"), Some(&6));
    assert_eq!(l.get("t.s.e"), Some(&8));
}
