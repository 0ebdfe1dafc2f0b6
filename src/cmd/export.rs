//! `gongkai export`: the site's search records as an NDJSON bulk file for a shared search engine
//! (`docs/scale.md`), or that engine's index definition (`--mapping`). Reads and checks the site
//! like `build` (an error blocks the export, exit 1); writes only the export.

use std::io::Write as _;

use crate::cli::{ExportArgs, ExportMapping};
use crate::diag::{self, Severity};
use crate::pipeline::{self, BuildOptions};

/// Runs the command; returns the exit code.
pub fn run(args: ExportArgs) -> anyhow::Result<i32> {
    let mapping = match args.mapping {
        Some(ExportMapping::Opensearch) => Some(crate::search_export::OPENSEARCH_INDEX),
        Some(ExportMapping::Quickwit) => Some(crate::search_export::QUICKWIT_INDEX),
        None => None,
    };
    if let Some(text) = mapping {
        return emit(&args.output, |w| w.write_all(text.as_bytes()));
    }
    let mut opts = BuildOptions::new(&args.site.root);
    opts.today = super::parse_today(&args.site.today)?;
    opts.base_url = args.base_url.clone();
    let (site, diagnostics) = match pipeline::prepare(&opts) {
        Ok(p) => {
            let d = p.site.config.rules.apply(p.diagnostics);
            (Some(p.site), d)
        }
        Err(d) => (None, d),
    };
    diag::print_human(&diagnostics, args.site.quiet);
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let Some(site) = site.filter(|_| !failed) else {
        eprintln!(
            "\n未导出：请先改正上面的错误 (nothing exported: fix the errors above). {}",
            diag::summary_line(&diagnostics, 0)
        );
        return Ok(super::EXIT_FINDINGS);
    };
    emit(&args.output, |w| crate::search_export::write(&site, w))
}

/// Writes to standard output, or to FILE through a temporary file beside it renamed at the end,
/// so a reader never sees half an export.
fn emit(
    output: &Option<std::path::PathBuf>,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<i32> {
    match output {
        Some(path) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tmp = path.with_file_name(format!(".{name}.gongkai-tmp"));
            let result = std::fs::File::create(&tmp).and_then(|f| {
                let mut w = std::io::BufWriter::new(f);
                fill(&mut w)?;
                w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                std::fs::rename(&tmp, path)
            });
            if let Err(e) = result {
                let _ = std::fs::remove_file(&tmp);
                anyhow::bail!(
                    "无法写入 {}：{}。请检查文件夹是否存在、是否有写权限、磁盘是否已满 (cannot write the export: {e})",
                    path.display(),
                    diag::io_reason(&e)
                );
            }
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            fill(&mut w)?;
            w.flush()?;
        }
    }
    Ok(super::EXIT_OK)
}
