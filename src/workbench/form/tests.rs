use super::*;
use std::path::Path;

fn src(text: &str) -> Source {
    crate::load::parse_source(Path::new("content/a.md"), text.as_bytes(), &mut vec![]).unwrap()
}

/// The form as the page shows it for `s`, every field submitted unchanged.
fn as_shown(s: &Source) -> Submitted {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for spec in specs() {
        let shown = shown(&spec, s);
        if matches!(shown, Shown::Kept(_)) || effective(&spec, s) == Control::ReadOnly {
            continue;
        }
        m.entry("shown".into()).or_default().push(spec.key.into());
        let n = name(spec.key);
        match shown {
            Shown::Text(t) => m.entry(n).or_default().push(t),
            Shown::DateTime(d, t) => {
                m.entry(n.clone()).or_default().push(d);
                m.entry(format!("{n}.time")).or_default().push(t);
            }
            Shown::Many(v) if effective(&spec, s) == Control::Items => {
                m.entry(n).or_default().extend(v)
            }
            Shown::Many(v) => m.entry(n).or_default().push(v.join("、")),
            Shown::Flag(true) => m.entry(n).or_default().push("on".into()),
            Shown::Flag(false) => {}
            Shown::Files(f) => {
                for (p, t) in f {
                    m.entry(format!("{n}.path")).or_default().push(p);
                    m.entry(format!("{n}.title")).or_default().push(t);
                }
            }
            Shown::Pairs(p) => m
                .entry(n)
                .or_default()
                .push(p.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()),
            Shown::Kept(_) => {}
        }
    }
    Submitted(m)
}

const DOC: &str = "---\ntitle: 通知\n索引号: \"13502/2022-00001\"\nitem: 20.10\npublished: 2022-06-10 16:54\nwritten: 2022年6月9日\nkeywords: [\"政务公开\", \"要点\"]\nno_expiry: true\nattachments:\n  - path: \"a/表.xlsx\"\n    title: \"预算表\"\n  - \"a/说明.pdf\"\nreview_ok:\n  P17: 原文如此\nsource: {name: x}\n---\n正文\n";

#[test]
fn an_unchanged_form_changes_nothing() {
    let s = src(DOC);
    assert_eq!(edits(&s, &as_shown(&s)), vec![]);
    let empty = src("---\ntitle: \"\"\n---\n");
    assert_eq!(edits(&empty, &as_shown(&empty)), vec![]);
}

#[test]
fn shows_values_as_written() {
    let s = src(DOC);
    let spec = |k: &str| specs().into_iter().find(|s| s.key == k).unwrap();
    assert_eq!(shown(&spec("item"), &s), Shown::Many(vec!["20.10".into()]));
    assert_eq!(
        shown(&spec("published"), &s),
        Shown::DateTime("2022-06-10".into(), "16:54".into())
    );
    // Not a date: shown as text, so saving does not lose it.
    assert_eq!(effective(&spec("written"), &s), Control::Text);
    assert_eq!(
        shown(&spec("written"), &s),
        Shown::Text("2022年6月9日".into())
    );
    assert!(matches!(shown(&spec("source"), &s), Shown::Kept(_)));
}

#[test]
fn a_changed_field_becomes_one_edit() {
    let s = src(DOC);
    let mut f = as_shown(&s);
    f.0.insert("f.published.time".into(), vec![String::new()]);
    f.0.insert("f.keywords".into(), vec!["政务公开，要点、新词".into()]);
    f.0.insert("f.item".into(), vec!["20.10".into(), "20.1".into()]);
    f.0.remove("f.no_expiry");
    let e = edits(&s, &f);
    assert_eq!(
        e,
        vec![
            ("published", Edit::Set(Value::String("2022-06-10".into()))),
            (
                "item",
                Edit::Set(Value::Sequence(vec!["20.10".into(), "20.1".into()]))
            ),
            ("no_expiry", Edit::Remove),
            (
                "keywords",
                Edit::Set(Value::Sequence(vec![
                    "政务公开".into(),
                    "要点".into(),
                    "新词".into()
                ]))
            ),
        ]
    );
}

#[test]
fn fields_the_form_did_not_show_are_never_changed() {
    let s = src(DOC);
    let f = Submitted::parse(b"shown=title&f.title=%E6%96%B0");
    assert_eq!(
        edits(&s, &f),
        vec![("title", Edit::Set(Value::String("新".into())))]
    );
}

#[test]
fn every_field_of_the_table_has_a_control() {
    let keys: Vec<&str> = specs().iter().map(|s| s.key).collect();
    for f in labels::FIELDS.iter().filter(|f| f.key != "draft") {
        assert!(keys.contains(&f.key), "{}", f.key);
    }
}
