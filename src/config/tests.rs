use super::*;

const MIN: &str = r#"
site_name = "测试"
base_url = "https://www.example.gov.cn/zwgk"
[organisation]
name = "市政府办公室"
code = "13502"
"#;

fn no_file(_: &str) -> Result<String, String> {
    Err("none".into())
}

#[test]
fn accepts_minimal_config() {
    let c = parse(MIN, crate::theme::DEFAULT_TAXONOMY, &no_file).unwrap();
    assert_eq!(c.base_path, "/zwgk/");
    assert_eq!(c.base_url, "https://www.example.gov.cn/zwgk/");
    assert_eq!(c.footer.site_domain, "www.example.gov.cn");
    assert_eq!(c.taxonomy.len(), 22);
    assert!(c.has_category_sub("综合政务", "政务公开"));
}

#[test]
fn rejects_unknown_key_with_suggestion() {
    let text = format!("{MIN}\n[build]\nproducton = true\n");
    let d = parse(&text, crate::theme::DEFAULT_TAXONOMY, &no_file).unwrap_err();
    assert_eq!(d[0].rule, crate::diag::Code::E004);
    assert!(d[0].message.contains("production"), "{}", d[0].message);
    assert_eq!(d[0].line, Some(9));
}

#[test]
fn timezone_defaults_to_china_standard_time_and_names_the_line_when_wrong() {
    let c = parse(MIN, crate::theme::DEFAULT_TAXONOMY, &no_file).unwrap();
    assert_eq!(c.timezone.local_minus_utc(), 8 * 3600);
    let c = parse(
        &format!("timezone = \"-05:00\"\n{MIN}"),
        crate::theme::DEFAULT_TAXONOMY,
        &no_file,
    )
    .unwrap();
    assert_eq!(c.timezone.local_minus_utc(), -5 * 3600);
    let d = parse(
        &format!("timezone = \"Asia/Shanghai\"\n{MIN}"),
        crate::theme::DEFAULT_TAXONOMY,
        &no_file,
    )
    .unwrap_err();
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].rule, d[0].line), (crate::diag::Code::E005, Some(1)));
    assert_eq!(d[0].field.as_deref(), Some("timezone"));
    assert!(
        d[0].message.starts_with("时区 “Asia/Shanghai”"),
        "{}",
        d[0].message
    );
    assert!(d[0].help.as_deref().unwrap().contains("+08:00"));
}

#[test]
fn refuses_to_relax_the_disclosure_rule() {
    let text = format!("{MIN}\n[rules]\nP01 = \"allow\"\nP05 = \"allow\"\n");
    let d = parse(&text, crate::theme::DEFAULT_TAXONOMY, &no_file).unwrap_err();
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("P01"));
}
