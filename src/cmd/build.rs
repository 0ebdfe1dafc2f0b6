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
    let report = pipeline::build(&opts).map_err(|e| explain(e, &opts.output_dir()))?;
    opts.progress = Default::default();
    let c = &report.compiled;
    crate::diag::print_human(&c.diagnostics, args.site.quiet);
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
            diag::thousands(report.files),
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

/// Puts what to do in front of a write failure a publisher can fix: a full disk, a read-only or
/// forbidden folder. The previous site is untouched in every case (`write` swaps it last).
fn explain(e: anyhow::Error, output: &std::path::Path) -> anyhow::Error {
    use std::io::ErrorKind::*;
    let kind = e
        .chain()
        .find_map(|c| c.downcast_ref::<std::io::Error>())
        .map(|io| io.kind());
    let what = match kind {
        Some(StorageFull | QuotaExceeded | FileTooLarge) => format!(
            "磁盘空间不足，新站点没能写完；{} 保持原样。请清理磁盘或用 --output 换一个位置后重试 \
             (the disk is full; the previous site was left as it was)",
            output.display()
        ),
        Some(ReadOnlyFilesystem | PermissionDenied) => format!(
            "没有写入权限（只读或无权限的目录），新站点没能写入；{} 保持原样。请换一个可写的位置 \
             (--output)，或请管理员开放写权限 (the folder is read-only; the previous site was left \
             as it was)",
            output.display()
        ),
        _ => return e,
    };
    e.context(what)
}
