use super::*;

fn s(v: &str) -> Value {
    Value::String(v.into())
}

fn ed(text: &str, edits: &[(&'static str, Edit)]) -> String {
    edit(Path::new("content/a.md"), text, edits).expect("edits")
}

const CHINESE: &str = "---\n# 名称\ntitle: \"通知\"\n索引号: \"13502/2022-26273\"\n主题分类: 综合政务  # 一级分类\n发布日期: 2022-06-10\nx_custom: 保留\nkeywords:\n  - 政务公开\n  - 要点\n\n# 草稿：写完后删除这一行\ndraft: true\n---\n\n正文 `title: x`\n";

#[test]
fn changes_only_the_line_of_the_field() {
    let out = ed(CHINESE, &[("published", Edit::Set(s("2022-06-11")))]);
    assert_eq!(
        out,
        CHINESE.replace("发布日期: 2022-06-10", "发布日期: \"2022-06-11\"")
    );
}

#[test]
fn keeps_a_comment_after_the_value() {
    let out = ed(CHINESE, &[("category", Edit::Set(s("财政、金融、审计")))]);
    assert!(
        out.contains("主题分类: \"财政、金融、审计\"  # 一级分类\n"),
        "{out}"
    );
}

#[test]
fn a_new_field_follows_its_neighbour_in_the_language_of_the_header() {
    let out = ed(CHINESE, &[("issuer", Edit::Set(s("市政府办公室")))]);
    assert!(
        out.contains("主题分类: 综合政务  # 一级分类\n发布机构: \"市政府办公室\"\n发布日期"),
        "{out}"
    );
    let english = "---\ntitle: \"a\"\npublished: \"2024-01-01\"\n---\nbody\n";
    let out = ed(
        english,
        &[("doc_no", Edit::Set(s("承市政办字〔2024〕1号")))],
    );
    assert_eq!(
        out,
        "---\ntitle: \"a\"\ndoc_no: \"承市政办字〔2024〕1号\"\npublished: \"2024-01-01\"\n---\nbody\n"
    );
    // Before every present field: above the comments of the first one.
    let out = ed(
        "---\n# 文种\nkind: \"规章\"\n---\n",
        &[("title", Edit::Set(s("t")))],
    );
    assert_eq!(out, "---\ntitle: \"t\"\n# 文种\nkind: \"规章\"\n---\n");
}

#[test]
fn publishing_removes_draft_and_its_comment() {
    let out = ed(CHINESE, &[("draft", Edit::Remove)]);
    assert_eq!(
        out,
        CHINESE.replace("# 草稿：写完后删除这一行\ndraft: true\n", "")
    );
}

#[test]
fn replaces_a_block_list_and_writes_attachments_as_the_importer_does() {
    let kw = Value::Sequence(vec![s("政务公开")]);
    let out = ed(CHINESE, &[("keywords", Edit::Set(kw))]);
    assert!(out.contains("keywords: [\"政务公开\"]\n\n# 草稿"), "{out}");
    let mut m = serde_yaml::Mapping::new();
    m.insert(s("path"), s("a/附件1.pdf"));
    m.insert(s("title"), s("附件1 预算表"));
    let out = ed(
        CHINESE,
        &[(
            "attachments",
            Edit::Set(Value::Sequence(vec![Value::Mapping(m)])),
        )],
    );
    assert!(
        out.contains("x_custom: 保留\nkeywords:\n  - 政务公开\n  - 要点\nattachments:\n  - path: \"a/附件1.pdf\"\n    title: \"附件1 预算表\"\n\n# 草稿")
            || out.contains("附件:\n  - path: \"a/附件1.pdf\"\n    title: \"附件1 预算表\"\n"),
        "{out}"
    );
}

#[test]
fn clearing_writes_an_empty_string_and_keeps_the_line() {
    let out = ed(CHINESE, &[("category", Edit::Set(s("")))]);
    assert!(out.contains("主题分类: \"\"  # 一级分类\n"), "{out}");
}

#[test]
fn keeps_bom_and_crlf() {
    let text = "\u{feff}---\r\ntitle: \"a\"\r\nkind: \"规章\"\r\n---\r\n正文\r\n";
    let out = ed(text, &[("title", Edit::Set(s("b")))]);
    assert_eq!(
        out,
        "\u{feff}---\r\ntitle: \"b\"\r\nkind: \"规章\"\r\n---\r\n正文\r\n"
    );
}

#[test]
fn hostile_values_stay_values() {
    for v in [
        "a: b",
        "# 不是注释",
        "\"引号\"",
        "line\nbreak",
        "---",
        "[x]",
        "{y}",
        "'",
        "\\",
    ] {
        let out = ed(CHINESE, &[("title", Edit::Set(s(v)))]);
        let src =
            crate::load::parse_source(Path::new("a.md"), out.as_bytes(), &mut vec![]).unwrap();
        assert_eq!(src.fields[&"title"].value, s(v), "{out}");
        assert_eq!(&*src.body, "\n正文 `title: x`\n");
    }
}

#[test]
fn unknown_keys_and_quoted_keys_survive() {
    let text =
        "---\n\"title\": \"a\"\nfoo: [1, 2]\nsummary: >\n  多行\n  概述\nkind: \"规章\"\n---\n";
    let out = ed(
        text,
        &[
            ("title", Edit::Set(s("b"))),
            ("summary", Edit::Set(s("新概述"))),
        ],
    );
    assert_eq!(
        out,
        "---\n\"title\": \"b\"\nfoo: [1, 2]\nsummary: \"新概述\"\nkind: \"规章\"\n---\n"
    );
}

#[test]
fn refuses_a_file_that_does_not_load() {
    let e = edit(
        Path::new("a.md"),
        "---\ntitle: \"a\n---\n",
        &[("title", Edit::Set(s("b")))],
    );
    assert!(matches!(e, Err(HeaderError::Unreadable(_))), "{e:?}");
    let e = edit(
        Path::new("a.md"),
        "no header",
        &[("title", Edit::Set(s("b")))],
    );
    assert_eq!(e, Err(HeaderError::NoFrontMatter));
}

#[test]
fn finds_comments_only_outside_quotes() {
    assert_eq!(trailing_comment(" \"a # b\"  # c"), Some("  # c".into()));
    assert_eq!(trailing_comment(" 'it''s' # c"), Some(" # c".into()));
    assert_eq!(trailing_comment(" plain#notcomment"), None);
    assert_eq!(trailing_comment(" \"a # b\""), None);
}

#[test]
fn every_label_reads_back_as_its_key() {
    for f in labels::FIELDS {
        assert_eq!(labels::canonical_key(f.label), Some(f.key), "{}", f.label);
    }
}
