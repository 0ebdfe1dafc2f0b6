//! Reading one source's front-matter fields as text, lists, flags and dates, with each
//! problem reported on the field's own line.

use chrono::NaiveDate;
use serde_yaml::Value;

use crate::diag::{Code, Diagnostic};
use crate::labels;
use crate::load::{RawField, Source};
use crate::meta::parse_date;

/// Reads fields of one source and records diagnostics with its file and lines.
pub(super) struct FieldCtx<'a> {
    pub(super) src: &'a Source,
    pub(super) diags: &'a mut Vec<Diagnostic>,
}

impl FieldCtx<'_> {
    pub(super) fn field(&self, key: &str) -> Option<&RawField> {
        self.src.fields.get(key)
    }
    pub(super) fn line(&self, key: &str) -> usize {
        self.field(key).map(|f| f.line).unwrap_or(2)
    }
    pub(super) fn push(&mut self, rule: Code, key: &str, message: String, help: impl Into<String>) {
        let d = Diagnostic::new(rule, self.src.path.clone(), message)
            .at(self.line(key))
            .field(key)
            .help(help);
        self.diags.push(d);
    }
    /// A required field is missing, or written but empty: then it is reported on its own line.
    pub(super) fn missing(&mut self, rule: Code, key: &str, why: &str, example: &str) {
        let label = labels::field_label(key).unwrap_or(key);
        let d = match self.src.empty.get(key) {
            Some(&line) => Diagnostic::new(
                rule,
                self.src.path.clone(),
                format!("必填字段 {key}（{label}）是空的{why}"),
            )
            .at(line)
            .help(format!("在这一行冒号后面填写，如 {key}: {example}")),
            None => Diagnostic::new(
                rule,
                self.src.path.clone(),
                format!("缺少必填字段 {key}（{label}）{why}"),
            )
            .at(2)
            .help(format!("在 front-matter 中加入一行 {key}: {example}")),
        };
        self.diags.push(d.field(key));
    }
    /// A scalar as text. Numbers keep their written form (`20.10`).
    pub(super) fn text(&mut self, key: &str) -> Option<String> {
        let f = self.field(key)?;
        match &f.value {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(_) => Some(
                f.raw_text
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string(),
            ),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                let label = labels::field_label(key).unwrap_or(key);
                self.push(
                    Code::E005,
                    key,
                    format!("字段 {key}（{label}）应是一个文字值，这里写成了列表或映射"),
                    format!("写成 {key}: \"…\""),
                );
                None
            }
        }
    }
    /// A scalar or a list, as a list of texts (`item: "20.1"` or `item: ["20.1", "20.7"]`).
    pub(super) fn list(&mut self, key: &str) -> Vec<String> {
        let Some(f) = self.field(key) else {
            return Vec::new();
        };
        match f.value.clone() {
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for it in items {
                    match it {
                        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Value::Number(n) => out.push(n.to_string()),
                        Value::Null => {}
                        _ => {
                            self.push(
                                Code::E005,
                                key,
                                format!("列表 {key} 中有一项不是文字"),
                                format!("写成 {key}: [\"…\", \"…\"]"),
                            );
                        }
                    }
                }
                out
            }
            _ => self.text(key).into_iter().collect(),
        }
    }
    pub(super) fn flag(&mut self, key: &str) -> bool {
        match self.field(key).map(|f| f.value.clone()) {
            None => false,
            Some(Value::Bool(b)) => b,
            Some(Value::String(s)) if matches!(s.as_str(), "true" | "是") => true,
            Some(Value::String(s)) if matches!(s.as_str(), "false" | "否") => false,
            Some(_) => {
                self.push(
                    Code::E005,
                    key,
                    format!("字段 {key} 应为 true 或 false"),
                    format!("写成 {key}: true"),
                );
                false
            }
        }
    }
    pub(super) fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let t = self.text(key)?;
        match parse_date(&t) {
            Ok(d) => Some(d),
            Err(e) => {
                self.push(Code::P04, key, e, "日期一律写成 YYYY-MM-DD");
                None
            }
        }
    }
}
