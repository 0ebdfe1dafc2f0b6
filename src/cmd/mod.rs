//! Subcommands. Each wires library stages and prints; the work lives in the library.

pub mod build;
pub mod check;
pub mod export;
pub mod import;
pub mod init;
pub mod new;
pub mod report;
pub mod search;
pub mod serve;
pub mod synth;

/// Exit codes (ripgrep's convention): 0 success, 1 findings that block, 2 could not run.
pub const EXIT_OK: i32 = 0;
/// Errors in the content or config.
pub const EXIT_FINDINGS: i32 = 1;
/// Internal error (I/O, bad arguments).
pub const EXIT_TROUBLE: i32 = 2;

/// Parses `--today`.
pub fn parse_today(s: &Option<String>) -> anyhow::Result<Option<chrono::NaiveDate>> {
    s.as_deref()
        .map(|t| crate::meta::parse_date(t).map_err(|e| anyhow::anyhow!("--today: {e}")))
        .transpose()
}
