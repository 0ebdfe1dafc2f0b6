//! `gongkai check`: the pre-publication review. Load, validate and review every document; write
//! nothing (except `--fix` edits). Exit 0 when nothing blocks, 1 on errors (or warnings with
//! `--deny-warnings`), 2 when the check could not run.

use std::path::{Path, PathBuf};

use crate::check::fix::{self, Edit};
use crate::cli::{CheckArgs, Format};
use crate::diag::{self, Code, Diagnostic};
use crate::pipeline::{self, BuildOptions};

/// Runs the command; returns the exit code.
pub fn run(args: CheckArgs) -> anyhow::Result<i32> {
    let root = args.site.root.clone();
    if !root.is_dir() {
        let d = Diagnostic::new(
            Code::E001,
            root.clone(),
            format!(
                "站点目录 {} 不存在 (the site folder does not exist)",
                root.display()
            ),
        )
        .help("用 --root 指定含 gongkai.toml 的站点目录");
        return could_not_run(&[d], &args);
    }
    let filters: Vec<PathBuf> = args
        .paths
        .iter()
        .map(|p| relative_to_root(&root, p))
        .collect();
    // Whatever stops the check, a tool reading `--format json` still gets JSON.
    let today = match super::parse_today(&args.site.today) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::new(Code::E005, "--today", format!("{e:#}"))
                .help("写成 --today YYYY-MM-DD，如 --today 2024-01-05");
            return could_not_run(&[d], &args);
        }
    };
    let mut edits = Vec::new();
    if args.fix {
        let files = markdown_files(&root, &filters);
        edits = match fix::fix_files(&root, &files) {
            Ok(e) => e,
            Err((file, e)) => {
                let d = Diagnostic::new(
                    Code::E001,
                    file,
                    format!("无法写回修正：{}", diag::io_message(&e)),
                )
                .help("检查文件和目录的写权限、磁盘空间");
                return could_not_run(&[d], &args);
            }
        };
    }
    let mut opts = BuildOptions::new(&root);
    opts.today = today;
    if args.production {
        opts.production = Some(true);
    }
    let (diagnostics, documents) = match pipeline::prepare(&opts) {
        Ok(p) => {
            let d = p.site.config.rules.apply(p.diagnostics);
            (d, p.documents)
        }
        Err(d) => {
            if d.iter().any(|x| {
                x.rule == crate::diag::Code::E001 && x.file == Path::new(crate::config::FILE_NAME)
            }) {
                return could_not_run(&d, &args);
            }
            (d, 0)
        }
    };
    let shown: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| filters.is_empty() || filters.iter().any(|f| d.file.starts_with(f)))
        .collect();
    let (errors, warnings) = diag::count(shown.iter().copied());
    match args.format {
        Format::Json => {
            println!(
                "{}",
                diag::JsonReport::new(&shown, documents, &edits).to_json()
            );
        }
        Format::Human => {
            for e in &edits {
                eprintln!(
                    "已修正 fixed {}:{} 文件编号 “{}” → “{}”",
                    e.file.display(),
                    e.line,
                    e.old,
                    e.new
                );
            }
            let owned: Vec<Diagnostic> = shown.iter().map(|d| (*d).clone()).collect();
            crate::diag::print_human(&owned, args.site.quiet);
            if !owned.is_empty() {
                eprintln!();
            }
            eprintln!("{}", diag::summary_line(&owned, documents));
        }
    }
    let blocked = errors > 0 || (args.deny_warnings && warnings > 0);
    Ok(if blocked {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_OK
    })
}

/// The check could not run (no site folder, no configuration): the findings say why, in the
/// format asked for, so a tool reading the JSON always gets JSON. Exit code 2.
fn could_not_run(d: &[Diagnostic], args: &CheckArgs) -> anyhow::Result<i32> {
    match args.format {
        Format::Json => {
            let shown: Vec<&Diagnostic> = d.iter().collect();
            println!(
                "{}",
                diag::JsonReport::<Edit>::new(&shown, 0, &[]).to_json()
            );
        }
        Format::Human => diag::print_human(d, false),
    }
    Ok(super::EXIT_TROUBLE)
}

/// A path given on the command line, relative to the site root.
fn relative_to_root(root: &Path, p: &Path) -> PathBuf {
    let abs_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let abs = p.canonicalize().unwrap_or_else(|_| root.join(p));
    abs.strip_prefix(&abs_root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

/// The `.md` files under `content/` (or under the given filters), relative to the root.
fn markdown_files(root: &Path, filters: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root.join(crate::load::CONTENT_DIR))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap_or(e.path())
                .to_path_buf();
            if filters.is_empty() || filters.iter().any(|f| rel.starts_with(f)) {
                out.push(rel);
            }
        }
    }
    out
}
