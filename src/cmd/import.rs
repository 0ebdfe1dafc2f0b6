//! `gongkai import`: Word 公文 → documents (and `gongkai new --from`), or a whole existing
//! column from the old CMS's catalogue. Prints what was found, what is missing and the review.

use std::path::{Path, PathBuf};

use anyhow::bail;
use chrono::NaiveDate;

use crate::cli::ImportArgs;
use crate::config::Config;
use crate::import::batch::{self, Request};
use crate::import::header::Choices;
use crate::import::{ImportError, Imported};

/// Runs the command.
pub fn run(args: ImportArgs) -> anyhow::Result<i32> {
    let cfg = match crate::load::config(&args.root) {
        Ok(c) => c,
        Err(d) => {
            crate::diag::print_human(&d, false);
            return Ok(super::EXIT_TROUBLE);
        }
    };
    let today =
        super::parse_today(&args.today)?.unwrap_or_else(|| chrono::Local::now().date_naive());
    check_choices(&cfg, args.kind.as_deref(), args.item.as_deref())?;
    let choices = Choices {
        kind: args.kind.clone(),
        item: args.item.clone(),
        use_print_date: args.use_print_date,
    };
    if let Some(table) = &args.standard {
        return import_standard(&args, table);
    }
    if let Some(list) = &args.catalogue {
        let pages = args.pages.clone().unwrap_or_else(|| PathBuf::from("."));
        return import_catalogue(
            &args.root,
            &cfg,
            list,
            &pages,
            args.columns.as_deref(),
            args.to.as_deref(),
            &choices,
            today,
            args.dry_run,
        );
    }
    if args.files.is_empty() {
        bail!("请给出要导入的 .docx 文件，例如 gongkai import 通知.docx（或用 --catalogue 目录.xlsx --pages 页面目录 导入旧栏目）(no files given)");
    }
    let requests: Vec<Request> = args
        .files
        .iter()
        .map(|f| Request {
            docx: f.clone(),
            rel: None,
        })
        .collect();
    import_docx(
        &args.root,
        &cfg,
        &requests,
        args.to.as_deref(),
        &choices,
        today,
        args.dry_run,
        None,
    )
}

/// Refuses a 文种 or 条例 item the site does not know, before any file is read.
pub fn check_choices(cfg: &Config, kind: Option<&str>, item: Option<&str>) -> anyhow::Result<()> {
    if let Some(k) = kind {
        if !cfg.kinds.iter().any(|x| x == k) {
            bail!(
                "“{k}” 不是已配置的文种{}",
                crate::diag::suggest(k, cfg.kinds.iter().map(String::as_str))
            );
        }
    }
    if let Some(i) = item {
        i.parse::<crate::meta::Item>().map_err(anyhow::Error::msg)?;
    }
    Ok(())
}

/// Imports `.docx` files; prints each result, then the review of what was written.
#[allow(clippy::too_many_arguments)]
pub fn import_docx(
    root: &Path,
    cfg: &Config,
    requests: &[Request],
    to: Option<&Path>,
    choices: &Choices,
    today: NaiveDate,
    dry_run: bool,
    title: Option<String>,
) -> anyhow::Result<i32> {
    let (mut placed, mut errors) = batch::place(root, to, requests, today);
    if let Some(t) = title {
        for p in &mut placed {
            p.imported.gongwen.title = Some(t.clone());
        }
    }
    if dry_run {
        for p in &placed {
            println!(
                "=== {} → {}（试运行，未写入 dry run）",
                p.imported.source.display(),
                p.rel.display()
            );
            print!(
                "{}",
                crate::import::header::front_matter(cfg, &p.imported, choices, None)
            );
            println!("{}", summary(&p.imported));
            for n in notes(&p.imported) {
                println!("  {n}");
            }
            println!();
        }
        print_errors(&errors);
        return Ok(exit(&errors));
    }
    let (written, write_errors) = batch::write_all(root, cfg, placed, choices, today)?;
    errors.extend(write_errors);
    for w in &written {
        println!("{}", w.rel.display());
        eprintln!(
            "已导入 {} → {}（索引号 {}，草稿 draft）",
            w.imported.source.display(),
            w.rel.display(),
            w.index_no
        );
        eprintln!("  {}", summary(&w.imported));
        for n in notes(&w.imported) {
            eprintln!("  {n}");
        }
    }
    print_errors(&errors);
    if !written.is_empty() {
        let rels: Vec<PathBuf> = written.iter().map(|w| w.rel.clone()).collect();
        match batch::review(root, &rels, today) {
            Ok(diags) => {
                eprintln!();
                eprintln!("审查（按删除 draft: true 之后的状态；review as if published）：");
                crate::diag::print_human(&diags, false);
                eprintln!("{}", crate::diag::summary_line(&diags, written.len()));
            }
            Err(d) => crate::diag::print_human(&d, false),
        }
        eprintln!(
            "已导入 {} 个文件{}。核对字段和正文、处理上面的审查意见后，删除 draft: true 这一行即可发布",
            written.len(),
            if errors.is_empty() {
                String::new()
            } else {
                format!("，{} 个文件未导入", errors.len())
            }
        );
    }
    Ok(exit(&errors))
}

/// Imports an old column from its catalogue; prints the column mapping, the rows' problems by
/// row number, and the review of what was written.
#[allow(clippy::too_many_arguments)]
fn import_catalogue(
    root: &Path,
    cfg: &Config,
    list: &Path,
    pages: &Path,
    columns: Option<&Path>,
    to: Option<&Path>,
    choices: &Choices,
    today: NaiveDate,
    dry_run: bool,
) -> anyhow::Result<i32> {
    use crate::import::catalogue::{self, Column};
    let fail = |file: &Path, m: &str| {
        eprintln!("错误 error[导入 import] {}：{m}", file.display());
        Ok(super::EXIT_FINDINGS)
    };
    let sheet = match catalogue::read_sheet(list) {
        Ok(s) => s,
        Err(m) => return fail(list, &m),
    };
    let mapping = match columns.map(catalogue::read_mapping).transpose() {
        Ok(m) => m,
        Err(m) => return fail(columns.unwrap_or(list), &m),
    };
    let (header, cols) = match catalogue::detect_columns(&sheet, mapping.as_ref()) {
        Ok(x) => x,
        Err(m) => return fail(list, &m),
    };
    if !pages.is_dir() {
        return fail(pages, "页面目录不存在；--pages 应指向保存旧栏目网页（或 .docx）的文件夹 (the pages folder does not exist)");
    }
    let names: Vec<String> = sheet.rows[header]
        .1
        .iter()
        .zip(&cols)
        .filter_map(|(h, c)| {
            c.map(|c| match c {
                Column::Field(k) => format!("{h} → {k}"),
                Column::Url => format!("{h} → 链接"),
                Column::Page => format!("{h} → 页面文件"),
            })
        })
        .collect();
    eprintln!(
        "{}（{}第 {} 行是列名）：{}",
        list.display(),
        if sheet.encoding.is_empty() {
            String::new()
        } else {
            format!("{} 编码，", sheet.encoding)
        },
        sheet.rows[header].0,
        names.join("，")
    );
    let (entries, mut problems) = catalogue::entries(&sheet, header, &cols);
    let found = catalogue::Pages::scan(pages);
    let (rows, more) = catalogue::plan(root, &entries, &found, to, choices, today);
    problems.extend(more);
    let report = |problems: &mut Vec<catalogue::Problem>| {
        problems.sort_by_key(|p| p.row);
        for p in problems.iter() {
            eprintln!(
                "错误 error[导入 import] {} 第 {} 行：{}",
                list.display(),
                p.row,
                p.message
            );
        }
    };
    if dry_run {
        for r in &rows {
            println!(
                "第 {} 行 → {}（索引号 {}）",
                r.row,
                r.rel.display(),
                r.index_no.as_deref().unwrap_or("新分配")
            );
        }
        report(&mut problems);
        eprintln!(
            "试运行（未写入 dry run）：{} 行可导入，{} 行有问题",
            rows.len(),
            problems.len()
        );
        return Ok(if problems.is_empty() {
            super::EXIT_OK
        } else {
            super::EXIT_FINDINGS
        });
    }
    let outcome = catalogue::write(root, cfg, rows)?;
    problems.extend(outcome.problems);
    for (_, rel, _) in &outcome.written {
        println!("{}", rel.display());
    }
    report(&mut problems);
    if !outcome.written.is_empty() {
        let rels: Vec<PathBuf> = outcome.written.iter().map(|w| w.1.clone()).collect();
        if let Ok(diags) = batch::review(root, &rels, today) {
            eprintln!();
            eprintln!("审查 review：");
            crate::diag::print_human(&diags, false);
            eprintln!("{}", crate::diag::summary_line(&diags, rels.len()));
        }
    }
    eprintln!(
        "已导入 {} 行{}；{} 个旧网址写入 {}",
        outcome.written.len(),
        if problems.is_empty() {
            String::new()
        } else {
            format!("，{} 行未导入（见上）", problems.len())
        },
        outcome.redirects.len(),
        catalogue::REDIRECTS
    );
    Ok(if problems.is_empty() {
        super::EXIT_OK
    } else {
        super::EXIT_FINDINGS
    })
}

fn exit(errors: &[ImportError]) -> i32 {
    if errors.is_empty() {
        super::EXIT_OK
    } else {
        super::EXIT_FINDINGS
    }
}

fn print_errors(errors: &[ImportError]) {
    for e in errors {
        eprintln!("错误 error[导入 import] {e}");
    }
}

/// One line: what was found.
pub fn summary(imp: &Imported) -> String {
    let g = &imp.gongwen;
    let or_missing = |v: Option<String>| v.unwrap_or_else(|| "（未找到）".into());
    let found = imp.attachments.len();
    format!(
        "标题：{}；文号：{}；发文机关：{}；成文日期：{}；主送：{}；正文 {} 段、{} 个标题、{} 个表格、{} 张图片{}；附件 {} 个{}{}",
        or_missing(g.title.clone()),
        or_missing(g.doc_no.clone()),
        or_missing((!g.issuers.is_empty()).then(|| g.issuers.join("、"))),
        or_missing(g.written.map(|d| d.to_string())),
        or_missing(g.recipients.clone()),
        imp.counts.paragraphs,
        imp.counts.headings,
        imp.counts.tables,
        imp.counts.images,
        if imp.counts.notes > 0 {
            format!("、{} 条脚注或尾注", imp.counts.notes)
        } else {
            String::new()
        },
        found,
        if imp.missing.is_empty() {
            String::new()
        } else {
            format!("（缺少 {} 个）", imp.missing.len())
        },
        if g.imprint_start.is_some() {
            format!(
                "；版记已略去{}",
                g.printed
                    .map(|d| format!("（印发日期 {d}）"))
                    .unwrap_or_default()
            )
        } else {
            String::new()
        }
    )
}

fn notes(imp: &Imported) -> Vec<String> {
    let mut out: Vec<String> = imp.notes.clone();
    for m in &imp.missing {
        out.push(format!(
            "附件说明中的“{m}”在文件夹 {} 中没有找到：请把文件放进该文件夹后重新导入，或导入后手工加入 attachments",
            imp.source
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .display()
        ));
    }
    out
}

/// `gongkai import --standard TABLE`: writes `catalogue/<领域>.toml` (never over an existing
/// file), after parsing it back as the build will.
fn import_standard(args: &ImportArgs, table: &Path) -> anyhow::Result<i32> {
    if let Some(s) = args
        .slug
        .as_deref()
        .filter(|s| !crate::catalogue::is_ascii_slug(s))
    {
        bail!("--slug “{s}” 只能由英文字母、数字和 - _ 组成（它是网址的一部分）(ASCII letters, digits, - and _ only)");
    }
    let imported =
        match crate::import::standard::import(table, args.area.as_deref(), args.slug.as_deref()) {
            Ok(i) => i,
            Err(why) => {
                eprintln!("错误 error: {}：{why}", table.display());
                return Ok(super::EXIT_FINDINGS);
            }
        };
    let rel = Path::new(crate::catalogue::DIR).join(format!("{}.toml", imported.area));
    let (_, diags) = crate::catalogue::parse::parse_area(&rel, &imported.toml);
    for n in &imported.notes {
        eprintln!("注意 note: {n}");
    }
    if args.dry_run {
        print!("{}", imported.toml);
        eprintln!(
            "\n{}：{} 个事项，将写入 {}（--dry-run：未写入）",
            imported.area,
            imported.rows,
            rel.display()
        );
        crate::diag::print_human(&diags, false);
        return Ok(super::EXIT_OK);
    }
    let dest = args.root.join(&rel);
    if dest.exists() {
        eprintln!(
            "错误 error: {} 已存在，没有覆盖；要重新导入，先改名或删除原文件 (the file exists)",
            rel.display()
        );
        return Ok(super::EXIT_FINDINGS);
    }
    std::fs::create_dir_all(args.root.join(crate::catalogue::DIR))?;
    let tmp = args
        .root
        .join(crate::catalogue::DIR)
        .join(format!(".{}.tmp", imported.area));
    std::fs::write(&tmp, &imported.toml)?;
    // Hard-linked into place: an existing file (made meanwhile) is never replaced.
    let linked = std::fs::hard_link(&tmp, &dest);
    let _ = std::fs::remove_file(&tmp);
    linked.map_err(|e| {
        anyhow::anyhow!(
            "无法写入 {}：{}",
            rel.display(),
            crate::diag::io_message(&e)
        )
    })?;
    println!(
        "{}：{} 个事项，已写入 {}",
        imported.area,
        imported.rows,
        rel.display()
    );
    crate::diag::print_human(&diags, false);
    let failed = diags
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    Ok(if failed || !imported.notes.is_empty() {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_OK
    })
}
