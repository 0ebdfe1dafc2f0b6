//! `gongkai build`: compile the site and, if nothing blocks, replace `public/`.

use crate::cli::BuildArgs;
use crate::diag;
use crate::pipeline::{self, BuildOptions};

/// Runs the command; returns the exit code.
pub fn run(args: BuildArgs) -> anyhow::Result<i32> {
    let mut opts = BuildOptions::new(&args.site.root);
    opts.output = args.output;
    opts.base_url = args.base_url;
    opts.precompress = !args.no_precompress;
    opts.today = super::parse_today(&args.site.today)?;
    if args.production {
        opts.production = Some(true);
    }
    if !args.site.quiet {
        use std::io::IsTerminal;
        opts.progress = if std::io::stderr().is_terminal() {
            crate::progress::Reporter(std::sync::Arc::new(crate::progress::Bar::new()))
        } else if args.verbose {
            crate::progress::Reporter(std::sync::Arc::new(crate::progress::Lines))
        } else {
            Default::default()
        };
    }
    let report = pipeline::build(&opts)?;
    opts.progress = Default::default();
    let c = &report.compiled;
    super::print_diagnostics(&c.diagnostics, args.site.quiet);
    let summary = diag::summary_line(&c.diagnostics, c.documents);
    if !report.written {
        eprintln!("\n构建失败 build failed: {summary}");
        eprintln!("{} 未改动 (left unchanged)", report.output.display());
        return Ok(super::EXIT_FINDINGS);
    }
    if !args.site.quiet {
        let published = c.site.as_ref().map(|s| s.docs.len()).unwrap_or(0);
        let stages: Vec<String> = c
            .timings
            .iter()
            .map(|(n, d)| format!("{n} {:.0} ms", d.as_secs_f64() * 1000.0))
            .collect();
        eprintln!(
            "\n已发布 {published} 份文件（{} 份不公开或草稿未发布），共 {} 个文件写入 {}\n{summary}\n{}",
            c.withheld,
            diag::thousands(c.files.len()),
            report.output.display(),
            stages.join(" · ")
        );
        if let Some((p, _)) = &c.ledger_update {
            eprintln!(
                "索引号台账已更新: {}（请提交到版本库）",
                pipeline::display_rel(&opts.root, p)
            );
        }
    }
    Ok(super::EXIT_OK)
}
