use super::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn kind(s: &str, is_order: bool) -> DocNoErrorKind {
    match DocNo::parse(s, is_order) {
        Ok(d) => panic!("{s} should be rejected, parsed as {d:?}"),
        Err(e) => e.kind,
    }
}

#[test]
fn accepts_spec_examples() {
    for s in [
        "国发〔2019〕5号",
        "国办发〔2017〕47号",
        "承市政办字〔2022〕44号",
        "冀科平规〔2024〕1号",
        "国办公开办函〔2019〕61号",
    ] {
        let d = DocNo::parse(s, false).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(d.form(), DocNoForm::Ordinary);
        assert_eq!(d.to_string(), s);
    }
    let d = DocNo::parse("承市政办字〔2022〕44号", false).expect("valid");
    assert_eq!(
        (d.issuer_code(), d.year(), d.number()),
        ("承市政办字", Some(2022), 44)
    );
    assert!(!d.looks_normative());
    assert!(DocNo::parse("冀科平规〔2024〕1号", false)
        .expect("valid")
        .looks_normative());
    assert!(DocNo::parse("冀政办规〔2020〕3号", false)
        .expect("valid")
        .looks_normative());
}

#[test]
fn accepts_order_numbers() {
    let cases = [
        ("国令第711号", "国", None, 711),
        (
            "河北省人民政府令〔2016〕第5号",
            "河北省人民政府",
            Some(2016),
            5,
        ),
        (
            "国家市场监督管理总局令第126号",
            "国家市场监督管理总局",
            None,
            126,
        ),
        ("交通运输部令2026年第8号", "交通运输部", Some(2026), 8),
        (
            "国务院、中华人民共和国中央军事委员会令第22号",
            "国务院、中华人民共和国中央军事委员会",
            None,
            22,
        ),
    ];
    for (s, issuer, year, n) in cases {
        let d = DocNo::parse(s, true).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(
            (d.issuer_code(), d.year(), d.number()),
            (issuer, year, n),
            "{s}"
        );
        assert_eq!(d.form(), DocNoForm::Order);
        assert!(!d.looks_normative());
        assert_eq!(s.parse::<DocNo>().expect("FromStr picks the 令 rules"), d);
    }
    assert!(check_doc_no("国令第711号", true).is_ok());
}

#[test]
fn rejects_wrong_brackets_with_fix() {
    let cases = [
        ("国发[2022]5号", '[', ']'),
        ("国发(2022)5号", '(', ')'),
        ("国发（2022）5号", '（', '）'),
        ("国发【2022】5号", '【', '】'),
        ("国发［2022］5号", '［', '］'),
        ("国发﹝2022﹞5号", '﹝', '﹞'),
        ("国发〔2022]5号", '〔', ']'),
        ("国发[2022〕5号", '[', '〕'),
    ];
    for (s, open, close) in cases {
        let e = DocNo::parse(s, false).expect_err(s);
        assert_eq!(e.kind, DocNoErrorKind::WrongBrackets { open, close }, "{s}");
        assert_eq!(fix_brackets(s).as_deref(), Some("国发〔2022〕5号"), "{s}");
        assert_eq!(e.fixed().as_deref(), Some("国发〔2022〕5号"));
    }
    assert_eq!(
        fix_brackets("河北省人民政府令[2016]第5号").as_deref(),
        Some("河北省人民政府令〔2016〕第5号")
    );
    assert_eq!(
        fix_brackets("国发（２０２２）5号").as_deref(),
        Some("国发〔2022〕5号")
    );
}

#[test]
fn rejects_fix_when_nothing_or_too_much_to_fix() {
    assert_eq!(fix_brackets("国发〔2019〕5号"), None);
    assert_eq!(fix_brackets("国发[22]5号"), None);
    assert_eq!(fix_brackets("国令第711号"), None);
    assert_eq!(fix_brackets(""), None);
    assert_eq!(fix_brackets("无"), None);
}

#[test]
fn rejects_each_error_with_precise_kind() {
    use DocNoErrorKind as K;
    assert_eq!(kind("", false), K::Empty);
    assert_eq!(kind("  ", true), K::Empty);
    assert_eq!(
        kind("国发〔22〕5号", false),
        K::ShortYear { year: "22".into() }
    );
    assert_eq!(
        kind("国发〔1899〕5号", false),
        K::ImplausibleYear {
            year: "1899".into()
        }
    );
    assert_eq!(
        kind("承市政办字〔2022〕044号", false),
        K::LeadingZero {
            number: "044".into()
        }
    );
    assert_eq!(
        kind("国令第0711号", true),
        K::LeadingZero {
            number: "0711".into()
        }
    );
    assert_eq!(
        kind("承市政办字〔2022〕第44号", false),
        K::OrdinalOutsideOrder
    );
    assert_eq!(kind("国令第711号", false), K::OrdinalOutsideOrder);
    assert_eq!(kind("冀政〔2020〕5号", true), K::ExpectedOrder);
    assert_eq!(kind("国令711号", true), K::MissingOrdinal);
    assert_eq!(kind("国发〔2019〕5", false), K::MissingHao);
    assert_eq!(kind("国令第711", true), K::MissingHao);
    assert_eq!(kind("国发〔2019〕号", false), K::MissingNumber);
    assert_eq!(kind("国发 〔2019〕5号", false), K::Whitespace);
    assert_eq!(kind("国发〔2019〕5号 ", false), K::Whitespace);
    assert_eq!(kind("国发〔2019〕5号\u{3000}", false), K::Whitespace);
    assert_eq!(kind("国发2019年5号", false), K::YearNotBracketed);
    assert_eq!(kind("国发5号", false), K::MissingYear);
    // Issue 15: the year beside empty brackets is not a missing year.
    let e = check_doc_no("冀政办2022〔〕5号", false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "文号“冀政办2022〔〕5号”的年份“2022”写在了括号外面，括号里是空的"
    );
    assert_eq!(e.help(), "把年份移进六角括号：写成“冀政办〔2022〕5号”");
    assert_eq!(
        kind("冀政办〔〕2022 5号", false),
        K::YearOutsideBrackets {
            year: "2022".into(),
            fixed: "冀政办〔2022〕5号".into()
        }
    );
    assert_eq!(
        kind("国发〔2019〕123456号", false),
        K::NumberTooLong {
            number: "123456".into()
        }
    );
    assert_eq!(
        kind("国令第12345号", true),
        K::NumberTooLong {
            number: "12345".into()
        }
    );
    assert_eq!(kind("公安部令第１４９号", true), K::FullwidthDigits);
    assert_eq!(
        kind("、中国人民银行、海关总署、国家外汇管理局令第7号", true),
        K::BadIssuerPart {
            part: "、中国人民银行、海关总署、国家外汇管理局".into()
        }
    );
    assert_eq!(
        kind("国-发〔2019〕5号", false),
        K::BadIssuerPart {
            part: "国-发".into()
        }
    );
    assert_eq!(
        kind("〔2019〕5号", false),
        K::BadIssuerPart { part: "".into() }
    );
    assert_eq!(kind("无", false), K::Unrecognised);
    assert_eq!(kind("见附件", true), K::Unrecognised);
}

#[test]
fn rejects_with_plain_chinese_message_and_help() {
    let e = DocNo::parse("国发[2022]5号", false).expect_err("brackets");
    assert_eq!(
        e.to_string(),
        "文号“国发[2022]5号”的年份用了“[]”括起来，公文格式要求用六角括号“〔〕”"
    );
    assert!(e.help().contains("〔〕"));
    let e = DocNo::parse("承市政办字〔2022〕044号", false).expect_err("zero");
    assert_eq!(
        e.to_string(),
        "文号“承市政办字〔2022〕044号”的顺序号“044”前面多了0，公文格式要求不编虚位"
    );
    assert_eq!(e.help(), "去掉顺序号前面的0，如“044号”改为“44号”");
    assert_eq!(e.fixed(), None);
}

#[test]
fn rejects_nothing_by_panicking_on_odd_input() {
    let odd = [
        "〔",
        "〕",
        "号",
        "第",
        "令",
        "令第",
        "〔〕号",
        "\u{0}",
        "令〔2016〕第5号",
        "、令第1号",
        "a〔2020〕1号\n",
        "〔〔2020〕〕1号",
        "国发〔２０２２〕５号",
    ];
    for s in odd {
        let _ = DocNo::parse(s, true);
        let _ = DocNo::parse(s, false);
        let _ = fix_brackets(s);
        let _ = s.parse::<DocNo>();
    }
    let long = "国".repeat(100_000) + "〔2020〕1号";
    assert!(DocNo::parse(&long, false).is_err());
}

#[test]
fn accepts_fix_in_place_changing_only_the_value() {
    let file = "---\ntitle: \"关于〔2019〕的通知\"\ndoc_no: \"国发[2019]5号\"\nkind: \"其他文件\"\n---\n正文[2019]\n";
    let start = file.find("\"国发").expect("present");
    let end = start + "\"国发[2019]5号\"".len();
    let (text, old, new) = fix_in_place(file, start..end).expect("fixable");
    assert_eq!(
        (old.as_str(), new.as_str()),
        ("国发[2019]5号", "国发〔2019〕5号")
    );
    assert_eq!(text, file.replacen("国发[2019]5号", "国发〔2019〕5号", 1));
    assert_eq!(&text[..start], &file[..start]);
    assert_eq!(&text[text.len() - (file.len() - end)..], &file[end..]);
    // Unquoted range works too.
    let (text2, _, _) = fix_in_place(file, start + 1..end - 1).expect("fixable");
    assert_eq!(text2, text);
}

#[test]
fn rejects_fix_in_place_on_bad_range_or_valid_value() {
    let file = "doc_no: \"国发〔2019〕5号\"\n";
    assert_eq!(fix_in_place(file, 8..file.len() - 1), None);
    assert_eq!(fix_in_place(file, 9..10), None); // inside a multi-byte char
    assert_eq!(fix_in_place(file, 5..1000), None);
    #[allow(clippy::reversed_empty_ranges)]
    let reversed = 9..3;
    assert_eq!(fix_in_place(file, reversed), None);
}

/// Where the corpus lives: `$GONGKAI_CORPUS` (the corpus root or its `docs/`), else
/// `../shared/corpus/docs` next to the crate.
fn corpus_docs() -> PathBuf {
    let root = std::env::var_os("GONGKAI_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if root.join("docs").is_dir() {
        root.join("docs")
    } else {
        root
    }
}

/// `(file name, kind, doc_no)` for every corpus file whose front matter has a doc_no.
fn corpus_doc_nos(dir: &Path) -> Vec<(String, String, String)> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
        panic!(
            "corpus not found at {} ({e}); set GONGKAI_CORPUS to the corpus directory",
            dir.display()
        )
    });
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    let unquote = |v: &str| {
        v.trim()
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .map(str::to_owned)
    };
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let (mut doc_no, mut kind) = (None, None);
        for line in text.lines().skip(1).take_while(|l| *l != "---") {
            if let Some(v) = line.strip_prefix("doc_no:") {
                doc_no = unquote(v);
            } else if let Some(v) = line.strip_prefix("kind:") {
                kind = unquote(v);
            }
        }
        if let Some(d) = doc_no {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((name, kind.unwrap_or_default(), d));
        }
    }
    out
}

#[test]
fn accepts_or_explains_every_corpus_doc_no() {
    let dir = corpus_docs();
    let values = corpus_doc_nos(&dir);
    assert!(
        !values.is_empty(),
        "no doc_no values found under {}",
        dir.display()
    );
    let mut rejected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut accepted, mut normative) = (0, 0);
    for (file, kind, value) in &values {
        let is_order = kind == "规章" || kind == "行政法规";
        match DocNo::parse(value, is_order) {
            Ok(d) => {
                accepted += 1;
                assert_eq!(d.as_str(), value);
                assert_eq!(
                    fix_brackets(value),
                    None,
                    "{file}: nothing to fix in a valid number"
                );
                if d.looks_normative() {
                    normative += 1;
                    assert_eq!(kind, "行政规范性文件", "{file}: …规〔〕 on another kind");
                }
            }
            Err(e) => {
                assert_ne!(
                    e.kind,
                    DocNoErrorKind::Unrecognised,
                    "{file}: {value} rejected without a reason"
                );
                let reason = format!("{:?}", e.kind)
                    .split([' ', '{'])
                    .next()
                    .unwrap_or("")
                    .to_owned();
                rejected
                    .entry(reason)
                    .or_default()
                    .push(format!("{file} {value}"));
            }
        }
    }
    eprintln!(
        "corpus {}: {} doc_no values, {accepted} accepted ({normative} look normative)",
        dir.display(),
        values.len()
    );
    for (reason, examples) in &rejected {
        eprintln!(
            "  {reason}: {}  e.g. {}",
            examples.len(),
            examples
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
}
