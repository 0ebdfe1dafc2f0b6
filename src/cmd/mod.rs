//! Subcommands. Each wires library stages and prints; the work lives in the library.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod report;
pub mod search;
pub mod serve;
pub mod synth;

use crate::diag::{self, Diagnostic};

/// Exit codes (ripgrep's convention): 0 success, 1 findings that block, 2 could not run.
pub const EXIT_OK: i32 = 0;
/// Errors in the content or config.
pub const EXIT_FINDINGS: i32 = 1;
/// Internal error (I/O, bad arguments).
pub const EXIT_TROUBLE: i32 = 2;

/// True when stderr is a terminal (colours only then).
pub fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints findings grouped by file, human-readable, to stderr.
pub fn print_diagnostics(diags: &[Diagnostic], quiet: bool) {
    let color = stderr_is_terminal();
    let mut last_file = None;
    for d in diags
        .iter()
        .filter(|d| !quiet || d.severity == diag::Severity::Error)
    {
        if last_file != Some(&d.file) {
            if last_file.is_some() {
                eprintln!();
            }
            last_file = Some(&d.file);
        }
        eprintln!("{}", diag::render_human(d, color));
    }
}

/// Parses `--today`.
pub fn parse_today(s: &Option<String>) -> anyhow::Result<Option<chrono::NaiveDate>> {
    s.as_deref()
        .map(|t| crate::meta::parse_date(t).map_err(|e| anyhow::anyhow!("--today: {e}")))
        .transpose()
}
