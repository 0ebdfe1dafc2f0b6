//! The printers of findings, side by side (ripgrep's `printer` crate): the human form on
//! stderr and the JSON report of `check --format json` (schema version 1, in the README).
//! Every command and `serve` print through these, so a finding reads the same everywhere.

use std::fmt::Write as _;

use serde::Serialize;

use super::{count, count_acknowledged, thousands, Diagnostic, Severity};

/// Formats one diagnostic for a person: `file:line:col: 错误[P03] 字段 published（发布日期）: …`,
/// then the message, the source line with a caret under the fault (when the finding carries
/// it), the editor's reason when acknowledged, and how to fix it.
pub fn render_human(d: &Diagnostic, color: bool) -> String {
    let word = severity_word(d);
    let code = match d.severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warn => "\x1b[1;33m",
        Severity::Allow if d.acknowledged.is_some() => "\x1b[1;32m",
        Severity::Allow => "",
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
    if let Some(snippet) = snippet(d, color) {
        for l in snippet.lines() {
            let _ = write!(s, "\n  {l}");
        }
    }
    if let Some(reason) = &d.acknowledged {
        let _ = write!(s, "\n  确认理由 (review_ok): {reason}");
    } else if let Some(h) = &d.help {
        let _ = write!(s, "\n  修改办法: {h}");
    }
    s
}

/// The word a finding is printed with (`错误 error`, `警告 warning`, `已确认 acknowledged`);
/// the workbench shows findings with the same words.
pub fn severity_word(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "错误 error",
        Severity::Warn => "警告 warning",
        Severity::Allow if d.acknowledged.is_some() => "已确认 acknowledged",
        Severity::Allow => "",
    }
}

/// The finding's source line with its line number and a caret under the fault, drawn by
/// `annotate-snippets` (which measures CJK characters as two columns wide, so the caret sits
/// under the right character).
fn snippet(d: &Diagnostic, color: bool) -> Option<String> {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let src = d.source_line.as_deref()?;
    let (line, col) = (d.line?, d.column?);
    let byte = |from: usize, n: usize| {
        src[from..]
            .char_indices()
            .nth(n)
            .map_or(src.len(), |(i, _)| from + i)
    };
    let start = byte(0, col.saturating_sub(1));
    let end = byte(start, d.width.max(1));
    let level = match d.severity {
        Severity::Warn => Level::WARNING,
        _ => Level::ERROR,
    };
    let group = Group::with_level(level).element(
        Snippet::source(src)
            .line_start(line)
            .annotation(AnnotationKind::Primary.span(start..end)),
    );
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    Some(renderer.render(&[group]).to_string())
}

/// The one-line summary that ends a run: `3 个错误, 12 个警告 (3 errors, 12 warnings) in 1,369 documents`.
/// With acknowledged findings: `0 个错误, 1 个警告, 2 个已确认 (…, 2 acknowledged in …)`.
pub fn summary_line(diags: &[Diagnostic], documents: usize) -> String {
    let (e, w) = count(diags);
    let a = count_acknowledged(diags);
    let (zh, en) = if a > 0 {
        (format!(", {a} 个已确认"), format!(", {a} acknowledged"))
    } else {
        (String::new(), String::new())
    };
    format!(
        "{e} 个错误, {w} 个警告{zh} ({e} error{}, {w} warning{}{en} in {} document{})",
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
    acknowledged: usize,
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
    acknowledged: Option<&'a str>,
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
            acknowledged: count_acknowledged(findings.iter().copied()),
            findings: findings
                .iter()
                .map(|d| JsonFinding {
                    rule: d.rule.as_str(),
                    severity: d.severity,
                    file: d.file.to_string_lossy().replace('\\', "/"),
                    line: d.line,
                    column: d.column,
                    field: d.field.as_deref(),
                    message: &d.message,
                    fix: d.help.as_deref(),
                    acknowledged: d.acknowledged.as_deref(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn a_caret_sits_under_the_fault_of_a_chinese_line() {
        let d = Diagnostic::new(Code::E003, "content/a.md", "字段名后面用了全角冒号“：”")
            .at_col(3, 5)
            .snippet("发布机构：\"市政府办公室\"", 1);
        let text = render_human(&d, false);
        eprintln!("{text}");
        let lines: Vec<&str> = text.lines().collect();
        let src = lines.iter().position(|l| l.contains("发布机构：")).unwrap();
        assert!(lines[src].contains("3 |"), "{text}");
        // Four CJK characters are eight columns wide: the caret is under the colon.
        let caret = lines[src + 1];
        let bar = lines[src].find('|').unwrap();
        let col = caret.find('^').unwrap();
        assert_eq!(caret[bar..col].chars().count(), 2 + 8, "{text}");
    }

    #[test]
    fn acknowledged_findings_are_shown_and_counted() {
        let mut d = Diagnostic::new(Code::P17, "content/a.md", "正文有 11 处占位符").at(46);
        d.acknowledged = Some("规范用语中的 XX 是格式".into());
        d.severity = Severity::Allow;
        let text = render_human(&d, false);
        assert!(
            text.starts_with("已确认 acknowledged[P17] content/a.md:46"),
            "{text}"
        );
        assert!(
            text.contains("确认理由 (review_ok): 规范用语中的 XX 是格式"),
            "{text}"
        );
        assert_eq!(
            summary_line(&[d], 1),
            "0 个错误, 0 个警告, 1 个已确认 (0 errors, 0 warnings, 1 acknowledged in 1 document)"
        );
    }
}
