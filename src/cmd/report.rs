//! `gongkai report YEAR`: compute the annual report and print it as Markdown, HTML or JSON.
//! Findings go to stderr; if any is an error, nothing is printed and the exit code is 1, so a
//! wrong table never reaches an editor silently.

use crate::cli::{ReportArgs, ReportFormat, ReportTarget};
use crate::diag::Severity;
use crate::report::{self, JointRule, ReportOptions};

/// Runs the command; returns the exit code.
pub fn run(args: ReportArgs) -> anyhow::Result<i32> {
    // Today in the site's timezone; an unreadable config is reported by `generate` below.
    let snapshot = crate::load::load(&args.site.root);
    let today = super::parse_today(&args.site.today)?.unwrap_or_else(|| {
        let zone = (snapshot.config.as_ref())
            .map(|c| c.timezone)
            .unwrap_or_else(|_| crate::clock::china_standard_time());
        crate::clock::today(zone, None)
    });
    let year = match args.target {
        ReportTarget::Year(y) => y,
        ReportTarget::Catalogue => return catalogue(&args, &snapshot, today),
    };
    let opts = ReportOptions {
        issuer: args.issuer.clone(),
        joint: args.all_joint_issuers.then_some(JointRule::All),
    };
    let (report, diags) =
        crate::pipeline::annual_report(&snapshot, &args.site.root, year, today, &opts);
    crate::diag::print_human(&diags, args.site.quiet);
    let failed = diags.iter().any(|d| d.severity == Severity::Error);
    let Some(report) = report.filter(|_| !failed) else {
        eprintln!(
            "\n年报未生成 report not produced: {}",
            crate::diag::summary_line(&diags, 0)
                .split(" (")
                .next()
                .unwrap_or("")
        );
        return Ok(super::EXIT_FINDINGS);
    };
    let out = match args.format {
        ReportFormat::Md => report::format::markdown(&report),
        ReportFormat::Json => serde_json::to_string_pretty(&report::format::json(&report))? + "\n",
        ReportFormat::Html => {
            let theme = (snapshot.theme.as_ref()).map_err(|d| anyhow::anyhow!("{}", d.message))?;
            let tera = crate::render::templates(&theme.templates).map_err(|d| {
                anyhow::anyhow!(
                    "{}",
                    d.first().map(|x| x.message.clone()).unwrap_or_default()
                )
            })?;
            let body = crate::render::annual::fragment(&tera, &report, "", &[])
                .map_err(|e| anyhow::anyhow!("{}", crate::render::tera_chain(&e)))?;
            let title = format!("{}{}年政府信息公开工作年度报告", report.issuer, report.year);
            crate::render::annual::standalone_html(&title, &body)
        }
    };
    print!("{out}");
    Ok(super::EXIT_OK)
}

/// `gongkai report catalogue`: the 标准目录 self-inspection. Findings on the catalogue files and
/// on documents' `事项` go to stderr; a catalogue with errors prints nothing and exits 1.
fn catalogue(
    args: &ReportArgs,
    snapshot: &crate::load::Snapshot,
    today: chrono::NaiveDate,
) -> anyhow::Result<i32> {
    let (report, diags) = crate::pipeline::catalogue_report(snapshot, &args.site.root, today);
    crate::diag::print_human(&diags, args.site.quiet);
    let failed = diags.iter().any(|d| d.severity == Severity::Error);
    let Some(report) = report.filter(|_| !failed) else {
        eprintln!(
            "\n自查报告未生成 report not produced: {}",
            crate::diag::summary_line(&diags, 0)
                .split(" (")
                .next()
                .unwrap_or("")
        );
        return Ok(super::EXIT_FINDINGS);
    };
    let md = report::catalogue::markdown(&report);
    let out = match args.format {
        ReportFormat::Md => md,
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ReportFormat::Html => crate::render::standard::report_html(&md),
    };
    print!("{out}");
    Ok(super::EXIT_OK)
}
