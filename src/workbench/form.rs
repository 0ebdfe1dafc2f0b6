//! The form model: which control each front-matter field gets, what the form shows for a
//! document, and which header edits a submitted form asks for.
//!
//! Fields come from [`labels::FIELDS`], so a field added there appears in the form with no change
//! here (as a text box under 更多字段); this module only knows the fields that need a better
//! control (a date, a choice from the configuration) or belong to a 文种. A submitted field is
//! compared with what the form showed for the file as it is now, in the form's own terms, so a
//! save writes only the fields the editor changed: `published: 2022-06-10` stays unquoted, and
//! `item: 20.10` stays `20.10`, until someone changes them.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::header::Edit;
use crate::config::Config;
use crate::labels;
use crate::load::Source;

/// The control a field gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// One line of text.
    Text,
    /// Several lines (内容概述).
    LongText,
    /// A web address.
    Url,
    /// `YYYY-MM-DD`, as a date picker.
    Date,
    /// 发布日期: a date, and an optional time (`HH:MM`).
    DateTime,
    /// One of a list from the configuration or the law.
    Choice(Options),
    /// Free text with suggestions (发布机构: joint issuers are written 甲、乙).
    Suggest(Options),
    /// 条例事项: one or more items, as check boxes.
    Items,
    /// 事项 of the 政务公开事项标准目录: one or more entries of `catalogue/`, as check boxes
    /// grouped by 领域 (a text list when the site keeps no catalogue).
    Matters,
    /// Yes or no.
    Flag,
    /// A list of short texts, separated by 、 or commas.
    List,
    /// A whole number.
    Number,
    /// Shown, never edited (索引号: reserved in the ledger).
    ReadOnly,
    /// 附件: path and link text of each file.
    Attachments,
    /// `review_ok`: one `规则: 理由` per line.
    Pairs,
}

/// Where a choice's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Options {
    /// 主题分类 (the taxonomy).
    Categories,
    /// 二级分类 under each 主题分类.
    CategorySubs,
    /// 发布机构 (`issuers` in `gongkai.toml`).
    Issuers,
    /// 文种 (built in, plus `kinds`).
    Kinds,
    /// 公开属性.
    Disclosures,
    /// 不予公开依据 (SPEC §1.1).
    ExemptBases,
    /// 有效性 as written.
    Validities,
    /// 解读形式.
    InterpretationForms,
}

/// One field of the form.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Canonical key.
    pub key: &'static str,
    /// Chinese label.
    pub label: &'static str,
    /// Its control.
    pub control: Control,
    /// A short hint under the control.
    pub hint: &'static str,
    /// The 文种 it belongs to (empty: every document).
    pub kinds: &'static [&'static str],
    /// True for the fields every document shows; the rest are under 更多字段.
    pub basic: bool,
}

const NORMATIVE: &[&str] = &["规章", "行政规范性文件", "行政法规"];

/// Every field of a document's form, in the order of the table of fields. `draft` is not a
/// field: it is the document's state, changed by 发布 and 撤回为草稿.
pub fn specs() -> Vec<Spec> {
    labels::FIELDS
        .iter()
        .filter(|f| f.key != "draft")
        .map(|f| {
            let (control, hint, kinds, basic) = describe(f.key);
            Spec {
                key: f.key,
                label: f.label,
                control,
                hint,
                kinds,
                basic,
            }
        })
        .collect()
}

fn describe(key: &str) -> (Control, &'static str, &'static [&'static str], bool) {
    use Control::*;
    match key {
        "title" => (Text, "文件的完整标题，末尾不加句号", &[], true),
        "index_no" => (ReadOnly, "已在索引号台账中预留，不能修改", &[], true),
        "kind" => (Choice(Options::Kinds), "", &[], true),
        "item" => (Items, "本文件属于条例第二十条的哪一项（可多选）", &[], true),
        "category" => (Choice(Options::Categories), "", &[], true),
        "category_sub" => (Choice(Options::CategorySubs), "可选", &[], true),
        "issuer" => (
            Suggest(Options::Issuers),
            "联合发文写 甲、乙（编文号的机关在前）",
            &[],
            true,
        ),
        "doc_no" => (
            Text,
            "如 承市政办字〔2024〕1号；规章写令号；没有文号可不填",
            &[],
            true,
        ),
        "written" => (Date, "", &[], true),
        "published" => (DateTime, "时间可不填", &[], true),
        "disclosure" => (
            Choice(Options::Disclosures),
            "公开属性在起草时认定",
            &[],
            true,
        ),
        "exempt_basis" => (
            Choice(Options::ExemptBases),
            "依申请公开、不予公开的文件必须填写",
            &[],
            true,
        ),
        "validity" => (Choice(Options::Validities), "", &[], true),
        "summary" => (LongText, "显示在目录中", &[], true),
        "keywords" => (List, "多个主题词用 、 分开", &[], true),
        "attachments" => (Attachments, "", &[], true),
        "effective" => (Date, "", NORMATIVE, true),
        "expires" => (
            Date,
            "一般不超过 5 年；暂行、试行不超过 2 年",
            NORMATIVE,
            true,
        ),
        "no_expiry" => (
            Flag,
            "为实施法律、法规而制定、不设有效期的文件",
            NORMATIVE,
            true,
        ),
        "repealed" => (Date, "有效性为失效、废止时必须填写", NORMATIVE, true),
        "replaces" | "replaced_by" => (List, "索引号或文件编号，多个用 、 分开", NORMATIVE, true),
        "interprets" => (Text, "被解读文件的索引号或文件编号", &["政策解读"], true),
        "interpretation_form" => (
            Choice(Options::InterpretationForms),
            "",
            &["政策解读"],
            true,
        ),
        "report_year" => (
            Number,
            "年报所报告的年份，如 2024",
            &["政府信息公开年报"],
            true,
        ),
        "interpretation" => (List, "相关解读的索引号，多个用 、 分开", &[], false),
        "updated" => (Date, "", &[], false),
        "source_url" => (Url, "", &[], false),
        "repost" => (Text, "转发、转载的文件填 true 或原发文机关名称", &[], false),
        "review_ok" => (Pairs, "每行一项，写成 P17: 理由", &[], false),
        "weight" => (Number, "", &[], false),
        "matters" => (
            Matters,
            "本文件落实政务公开事项标准目录中的哪些事项（可多选）",
            &[],
            false,
        ),
        _ => (Text, "", &[], false),
    }
}

/// The values of a choice for this site (`value`, `shown text`).
pub fn options(o: Options, config: &Config) -> Vec<(String, String)> {
    let same = |v: &str| (v.to_string(), v.to_string());
    match o {
        Options::Categories => config.taxonomy.iter().map(|(c, _)| same(c)).collect(),
        Options::CategorySubs => config
            .taxonomy
            .iter()
            .flat_map(|(c, subs)| subs.iter().map(move |s| (s.clone(), c.clone())))
            .collect(),
        Options::Issuers => config.issuers.iter().map(|i| same(i)).collect(),
        Options::Kinds => config.kinds.iter().map(|k| same(k)).collect(),
        Options::Disclosures => ["主动公开", "依申请公开", "不予公开"].map(same).to_vec(),
        Options::ExemptBases => labels::EXEMPT_BASES
            .iter()
            .map(|(code, text)| (code.to_string(), format!("{text}（{code}）")))
            .collect(),
        Options::Validities => ["有效", "失效", "废止", "已修改"].map(same).to_vec(),
        Options::InterpretationForms => labels::INTERPRETATION_FORMS
            .iter()
            .map(|f| same(f))
            .collect(),
    }
}

/// What the form shows for a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Text (also a date, a choice, a number).
    Text(String),
    /// 发布日期 split into date and time (`None` when the value is not a date: then it is shown
    /// as text, so nothing is lost).
    DateTime(String, String),
    /// Several values (条例事项, a list).
    Many(Vec<String>),
    /// Yes or no.
    Flag(bool),
    /// Attachments: path and link text.
    Files(Vec<(String, String)>),
    /// `规则: 理由` pairs.
    Pairs(Vec<(String, String)>),
    /// A value the form cannot edit (a nested list, a mapping): shown as written, kept.
    Kept(String),
}

/// A scalar as the editor wrote it (`20.10` stays `20.10`).
fn scalar_text(v: &Value, raw: &str) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => {
            let raw = raw.trim().trim_matches(|c| c == '"' || c == '\'');
            Some(if raw.is_empty() {
                n.to_string()
            } else {
                raw.to_string()
            })
        }
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

fn scalars(v: &Value, raw: &str) -> Option<Vec<String>> {
    match v {
        Value::Sequence(items) => items.iter().map(|i| scalar_text(i, "")).collect(),
        other => scalar_text(other, raw).map(|s| if s.is_empty() { vec![] } else { vec![s] }),
    }
}

/// The control a field really gets for this document: a text field holding a list is edited
/// as a list, and a date that is not a date is shown as text.
pub fn effective(spec: &Spec, src: &Source) -> Control {
    let Some(f) = src.fields.get(spec.key) else {
        return spec.control;
    };
    match spec.control {
        Control::Text if matches!(f.value, Value::Sequence(_)) => Control::List,
        Control::Date | Control::DateTime
            if split_date(&scalar_text(&f.value, &f.raw_text).unwrap_or_default()).is_none() =>
        {
            Control::Text
        }
        c => c,
    }
}

/// `2022-06-10` or `2022-06-10 16:54` as (date, time).
fn split_date(t: &str) -> Option<(String, String)> {
    let t = t.trim();
    let (d, time) = match t.split_once([' ', 'T']) {
        Some((d, time)) => (d, time.trim()),
        None => (t, ""),
    };
    let ok_date = d.len() == 10 && chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok();
    let ok_time = time.is_empty() || chrono::NaiveTime::parse_from_str(time, "%H:%M").is_ok();
    (ok_date && ok_time).then(|| (d.to_string(), time.to_string()))
}

/// What the form shows for `spec` in `src`.
pub fn shown(spec: &Spec, src: &Source) -> Shown {
    let f = src.fields.get(spec.key);
    let (value, raw) = match f {
        Some(f) => (f.value.clone(), &*f.raw_text),
        None => (Value::Null, ""),
    };
    let kept = || {
        Shown::Kept(
            serde_yaml::to_string(&value)
                .unwrap_or_default()
                .trim_end()
                .to_string(),
        )
    };
    match effective(spec, src) {
        Control::DateTime => {
            let t = scalar_text(&value, raw).unwrap_or_default();
            match split_date(&t) {
                Some((d, time)) => Shown::DateTime(d, time),
                None => Shown::DateTime(String::new(), String::new()),
            }
        }
        Control::Items | Control::Matters | Control::List => {
            scalars(&value, raw).map_or_else(kept, Shown::Many)
        }
        Control::Flag => match &value {
            Value::Bool(b) => Shown::Flag(*b),
            Value::Null => Shown::Flag(false),
            Value::String(s) if matches!(s.as_str(), "true" | "是") => Shown::Flag(true),
            Value::String(s) if matches!(s.as_str(), "false" | "否") => Shown::Flag(false),
            _ => kept(),
        },
        Control::Attachments => attachments(&value).map_or_else(kept, Shown::Files),
        Control::Pairs => match &value {
            Value::Null => Shown::Pairs(vec![]),
            Value::Mapping(m) => m
                .iter()
                .map(|(k, v)| Some((scalar_text(k, "")?, scalar_text(v, "")?)))
                .collect::<Option<Vec<_>>>()
                .map_or_else(kept, Shown::Pairs),
            _ => kept(),
        },
        _ => scalar_text(&value, raw).map_or_else(kept, Shown::Text),
    }
}

/// The `attachments:` entries as (path, link text); `None` for a shape the form cannot edit.
pub fn attachments(v: &Value) -> Option<Vec<(String, String)>> {
    let item = |it: &Value| match it {
        Value::String(s) => Some((s.clone(), String::new())),
        Value::Mapping(m)
            if m.keys()
                .all(|k| k.as_str().is_some_and(|k| k == "path" || k == "title")) =>
        {
            Some((
                m.get("path")?.as_str()?.to_string(),
                m.get("title")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            ))
        }
        _ => None,
    };
    match v {
        Value::Null => Some(vec![]),
        Value::Sequence(items) => items.iter().map(item).collect(),
        other => item(other).map(|i| vec![i]),
    }
}

/// The `attachments:` value for entries (an entry without link text is a plain path).
pub fn attachments_value(files: &[(String, String)]) -> Value {
    Value::Sequence(
        files
            .iter()
            .map(|(p, t)| {
                if t.trim().is_empty() {
                    Value::String(p.clone())
                } else {
                    let mut m = serde_yaml::Mapping::new();
                    m.insert("path".into(), Value::String(p.clone()));
                    m.insert("title".into(), Value::String(t.trim().to_string()));
                    Value::Mapping(m)
                }
            })
            .collect(),
    )
}

/// A submitted form: every value of every name, in order.
#[derive(Debug, Clone, Default)]
pub struct Submitted(pub BTreeMap<String, Vec<String>>);

impl Submitted {
    /// Parses `application/x-www-form-urlencoded` text.
    pub fn parse(body: &[u8]) -> Submitted {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in form_urlencoded::parse(body) {
            m.entry(k.into_owned()).or_default().push(v.into_owned());
        }
        Submitted(m)
    }
    /// The first value of `name`.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.first()).map(String::as_str)
    }
    /// Every value of `name`.
    pub fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The name of a field's control in the form.
pub fn name(key: &str) -> String {
    format!("f.{key}")
}

fn split_list(t: &str) -> Vec<String> {
    t.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn clean(t: &str) -> String {
    t.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

/// What the editor submitted for `spec`, in the form's terms; `None` when the form did not
/// show the field (then it is never changed).
fn submitted(spec: &Spec, control: Control, form: &Submitted) -> Option<Shown> {
    if !form.all("shown").iter().any(|k| k == spec.key) {
        return None;
    }
    let n = name(spec.key);
    let text = || clean(form.one(&n).unwrap_or(""));
    Some(match control {
        Control::ReadOnly => return None,
        Control::DateTime => {
            let time = clean(form.one(&format!("{n}.time")).unwrap_or(""));
            Shown::DateTime(text(), time)
        }
        Control::Items | Control::Matters => {
            let mut v: Vec<String> = form
                .all(&n)
                .iter()
                .map(|s| clean(s))
                .filter(|s| !s.is_empty())
                .collect();
            // 事项 not in the catalogue (or a site without one) are typed in a text box.
            v.extend(split_list(form.one(&format!("{n}.more")).unwrap_or("")));
            let mut seen = std::collections::BTreeSet::new();
            v.retain(|s| seen.insert(s.clone()));
            Shown::Many(v)
        }
        Control::List => Shown::Many(split_list(&text())),
        Control::Flag => Shown::Flag(form.all(&n).iter().any(|v| v == "on" || v == "true")),
        Control::Attachments => {
            let paths = form.all(&format!("{n}.path"));
            let titles = form.all(&format!("{n}.title"));
            Shown::Files(
                paths
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        (
                            clean(p),
                            clean(titles.get(i).map(String::as_str).unwrap_or("")),
                        )
                    })
                    .filter(|(p, _)| !p.is_empty())
                    .collect(),
            )
        }
        Control::Pairs => Shown::Pairs(
            text()
                .lines()
                .filter_map(|l| {
                    let (k, v) = l.split_once([':', '：'])?;
                    Some((k.trim().to_string(), v.trim().to_string()))
                })
                .filter(|(k, _)| !k.is_empty())
                .collect(),
        ),
        _ => Shown::Text(text()),
    })
}

/// The same value compared loosely: surrounding spaces and line ends do not count.
fn normal(s: &Shown) -> Shown {
    match s {
        Shown::Text(t) => Shown::Text(clean(t)),
        Shown::DateTime(d, t) if t.is_empty() => Shown::Text(clean(d)),
        Shown::DateTime(d, t) => Shown::Text(format!("{} {}", clean(d), clean(t))),
        Shown::Many(v) => {
            let mut v: Vec<String> = v
                .iter()
                .map(|s| clean(s))
                .filter(|s| !s.is_empty())
                .collect();
            v.sort();
            Shown::Many(v)
        }
        Shown::Files(f) => Shown::Files(f.iter().map(|(p, t)| (clean(p), clean(t))).collect()),
        other => other.clone(),
    }
}

/// The value to write for what the editor submitted.
fn value(spec: &Spec, s: &Shown) -> Edit {
    let text = |t: &str| Edit::Set(Value::String(t.to_string()));
    match s {
        Shown::Text(t) if spec.control == Control::Number => match t.parse::<i64>() {
            Ok(n) => Edit::Set(Value::Number(n.into())),
            Err(_) => text(t),
        },
        Shown::Text(t) => text(t),
        Shown::DateTime(d, t) if t.is_empty() || d.is_empty() => text(d),
        Shown::DateTime(d, t) => text(&format!("{d} {t}")),
        Shown::Many(v) if spec.control == Control::Items && v.len() == 1 => text(&v[0]),
        Shown::Many(v) if spec.control == Control::Matters && v.is_empty() => Edit::Remove,
        Shown::Many(v) => Edit::Set(Value::Sequence(
            v.iter().map(|s| Value::String(s.clone())).collect(),
        )),
        Shown::Flag(true) => Edit::Set(Value::Bool(true)),
        Shown::Flag(false) => Edit::Remove,
        Shown::Files(f) if f.is_empty() => Edit::Remove,
        Shown::Files(f) => Edit::Set(attachments_value(f)),
        Shown::Pairs(p) if p.is_empty() => Edit::Remove,
        Shown::Pairs(p) => Edit::Set(Value::Mapping(
            p.iter()
                .map(|(k, v)| (Value::String(k.clone()), Value::String(v.clone())))
                .collect(),
        )),
        Shown::Kept(_) => unreachable!("kept values are never submitted"),
    }
}

/// The header edits a submitted form asks for: one per field whose submitted value differs
/// from what the form shows for `src` now.
pub fn edits(src: &Source, form: &Submitted) -> Vec<(&'static str, Edit)> {
    let mut out = Vec::new();
    for spec in specs() {
        let now = shown(&spec, src);
        if matches!(now, Shown::Kept(_)) {
            continue;
        }
        let control = effective(&spec, src);
        let Some(new) = submitted(&spec, control, form) else {
            continue;
        };
        if normal(&new) != normal(&now) {
            out.push((spec.key, value(&spec, &new)));
        }
    }
    out
}

#[cfg(test)]
mod tests;
