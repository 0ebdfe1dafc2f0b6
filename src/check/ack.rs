//! `review_ok`: an editor acknowledges a review finding for one document, with a reason.
//!
//! ```yaml
//! review_ok:
//!   P17: "第九条规定的是执勤规范用语，其中的 XX 是格式，不是遗漏"
//! ```
//!
//! (or a list: `review_ok: ["P17：规范用语中的 XX 是格式"]`). An acknowledged finding is not
//! dropped: `check` and `build` still show it, marked 已确认 with the reason, and count it in
//! the summary, so nothing is hidden. Only review rules a person may judge can be
//! acknowledged ([`crate::diag::acknowledgeable`]); never the format rules (`E…`), never a
//! 密级 or personal data (P14, P15), never the publication decision (P01, P02). An entry
//! without a reason, for a rule that cannot be acknowledged, or that acknowledges nothing in
//! the document, is itself reported, so a stale or careless entry does not linger.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rustc_hash::FxHashMap;
use serde_yaml::Value;

use crate::diag::{self, Code, Diagnostic, Severity};
use crate::load::Source;

/// Acknowledged rules of one document: rule code → reason.
pub type Acks = BTreeMap<String, String>;

/// Reads a source's `review_ok`; problems with the entries go to `diags`.
pub fn parse(src: &Source, diags: &mut Vec<Diagnostic>) -> Acks {
    let mut out = Acks::new();
    let Some(f) = src.fields.get("review_ok") else {
        return out;
    };
    let bad = |msg: String| {
        Diagnostic::new(Code::E005, src.path.clone(), msg)
            .at(f.line)
            .field("review_ok")
            .help("写成 review_ok: {P17: \"理由\"}，每条写明为什么这项提示在本文件中不是问题")
    };
    let mut entries: Vec<(String, String)> = Vec::new();
    match &f.value {
        Value::Mapping(m) => {
            for (k, v) in m {
                let code = scalar(k);
                entries.push((code, scalar(v)));
            }
        }
        Value::Sequence(items) => {
            for it in items {
                entries.push(split_entry(&scalar(it)));
            }
        }
        other => entries.push(split_entry(&scalar(other))),
    }
    for (code, reason) in entries {
        let code = code.trim().to_ascii_uppercase();
        if diag::rule_by_code(&code).is_none() {
            diags.push(bad(format!(
                "review_ok 中的 “{code}” 不是规则代码（如 P17）"
            )));
        } else if !diag::acknowledgeable(&code) {
            diags.push(bad(format!(
                "{code} 不能用 review_ok 确认：{}",
                if code.starts_with('E') {
                    "格式错误必须改正"
                } else {
                    "这类问题（公开属性、密级、个人信息、附件、无障碍、年报、页脚、有效期）必须改正，不能只确认"
                }
            )));
        } else if reason.trim().is_empty() {
            diags.push(bad(format!(
                "review_ok 中的 {code} 没有写理由：确认一项提示要说明为什么它在本文件中不是问题"
            )));
        } else {
            out.insert(code, reason.trim().to_string());
        }
    }
    out
}

/// `"P17：理由"`, `"P17: 理由"`, `"P17 理由"` → (code, reason).
fn split_entry(s: &str) -> (String, String) {
    let s = s.trim();
    let end = s
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map_or(s.len(), |(i, _)| i);
    let reason = s[end..].trim_start_matches([':', '：', ' ', '\u{3000}', ',', '，', '、']);
    (s[..end].to_string(), reason.to_string())
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// Marks the findings that the documents' `review_ok` acknowledge, and reports entries that
/// acknowledge nothing. `acks` is keyed by source path.
pub fn apply(diags: &mut Vec<Diagnostic>, acks: &FxHashMap<PathBuf, (usize, Acks)>) {
    if acks.is_empty() {
        return;
    }
    let mut used: rustc_hash::FxHashSet<(PathBuf, &str)> = Default::default();
    for d in diags.iter_mut() {
        let Some((_, a)) = acks.get(&d.file) else {
            continue;
        };
        if let Some((code, reason)) = a.get_key_value(d.rule.as_str()) {
            if d.can_be_acknowledged() {
                d.acknowledged = Some(reason.clone());
                used.insert((d.file.clone(), code.as_str()));
            }
        }
    }
    for (path, (line, a)) in acks {
        for code in a.keys() {
            if !used.contains(&(path.clone(), code.as_str())) {
                diags.push(
                    Diagnostic::new(
                        Code::E005,
                        path.clone(),
                        format!("review_ok 确认了 {code}，但本文件没有 {code} 的提示"),
                    )
                    .at(*line)
                    .field("review_ok")
                    .help(format!("问题已改正时，删除 review_ok 中的 {code}"))
                    .at_most(Severity::Warn),
                );
            }
        }
    }
}
