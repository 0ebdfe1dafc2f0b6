//! The printers of findings, side by side (ripgrep's `printer` crate): the human form on
//! stderr and the JSON report of `check --format json` (schema version 1, in the README).
//! Every command and `serve` print through these, so a finding reads the same everywhere.

use std::fmt::Write as _;

use serde::Serialize;

use super::{count, thousands, Diagnostic, Severity};

/// Formats one diagnostic for a person: `file:line:col: 错误[P03] 字段 published（发布日期）: …`.
pub fn render_human(d: &Diagnostic, color: bool) -> String {
    let (word, code) = match d.severity {
        Severity::Error => ("错误 error", "\x1b[1;31m"),
        Severity::Warn => ("警告 warning", "\x1b[1;33m"),
        Severity::Allow => ("", ""),
    };
    let mut s = String::new();
    let loc = match (d.line, d.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", d.file.display()),
        (Some(l), None) => format!("{}:{l}", d.file.display()),
        _ => d.file.display().to_string(),
    };
    if color {
        let _ = write!(s, "{code}{word}[{}]\x1b[0m \x1b[1m{loc}\x1b[0m", d.rule);
    } else {
        let _ = write!(s, "{word}[{}] {loc}", d.rule);
    }
    if let Some(f) = &d.field {
        let label = crate::labels::field_label(f).unwrap_or("");
        if label.is_empty() {
            let _ = write!(s, " 字段 {f}");
        } else {
            let _ = write!(s, " 字段 {f}（{label}）");
        }
    }
    let _ = write!(s, "\n  {}", d.message);
    if let Some(h) = &d.help {
        let _ = write!(s, "\n  修改办法: {h}");
    }
    s
}

/// The one-line summary that ends a run: `3 个错误, 12 个警告 (3 errors, 12 warnings) in 1,369 documents`.
pub fn summary_line(diags: &[Diagnostic], documents: usize) -> String {
    let (e, w) = count(diags);
    format!(
        "{e} 个错误, {w} 个警告 ({e} error{}, {w} warning{} in {} document{})",
        if e == 1 { "" } else { "s" },
        if w == 1 { "" } else { "s" },
        thousands(documents),
        if documents == 1 { "" } else { "s" }
    )
}

/// Prints findings grouped by file, human-readable, to stderr (colours on a terminal only);
/// with `quiet`, errors only.
pub fn print_human(diags: &[Diagnostic], quiet: bool) {
    use std::io::IsTerminal;
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut last_file = None;
    for d in diags
        .iter()
        .filter(|d| !quiet || d.severity == Severity::Error)
    {
        if last_file != Some(&d.file) {
            if last_file.is_some() {
                eprintln!();
            }
            last_file = Some(&d.file);
        }
        eprintln!("{}", render_human(d, color));
    }
}

/// The JSON report (schema version 1, documented in the README).
#[derive(Serialize)]
pub struct JsonReport<'a, E: Serialize> {
    version: u32,
    documents: usize,
    errors: usize,
    warnings: usize,
    findings: Vec<JsonFinding<'a>>,
    fixed: &'a [E],
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    field: Option<&'a str>,
    message: &'a str,
    fix: Option<&'a str>,
}

impl<'a, E: Serialize> JsonReport<'a, E> {
    /// The report of `findings` over `documents` documents, with the `--fix` edits made.
    pub fn new(findings: &[&'a Diagnostic], documents: usize, fixed: &'a [E]) -> Self {
        let (errors, warnings) = count(findings.iter().copied());
        JsonReport {
            version: 1,
            documents,
            errors,
            warnings,
            findings: findings
                .iter()
                .map(|d| JsonFinding {
                    rule: d.rule,
                    severity: d.severity,
                    file: d.file.to_string_lossy().replace('\\', "/"),
                    line: d.line,
                    column: d.column,
                    field: d.field.as_deref(),
                    message: &d.message,
                    fix: d.help.as_deref(),
                })
                .collect(),
            fixed,
        }
    }

    /// The pretty-printed JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data serialises")
    }
}
