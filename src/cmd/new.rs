//! `gongkai new`: a new document with the complete header for its kind.

use anyhow::bail;

use crate::cli::NewArgs;

/// Runs the command.
pub fn run(args: NewArgs) -> anyhow::Result<i32> {
    let cfg = match crate::load::config(&args.root) {
        Ok(c) => c,
        Err(d) => {
            crate::diag::print_human(&d, false);
            return Ok(super::EXIT_TROUBLE);
        }
    };
    super::import::check_choices(&cfg, args.kind.as_deref(), args.item.as_deref())?;
    // The 标准目录 items offered, and those chosen, checked before a number is reserved.
    let (catalogue, _) =
        crate::catalogue::parse::parse_all(&crate::load::read_catalogue(&args.root));
    let mut chosen = Vec::new();
    for m in &args.matters {
        match catalogue.resolve(m) {
            Some(at) => chosen.push(catalogue.areas[at.0].entries[at.1].id.clone()),
            None => bail!(
                "--matter “{m}” 不在政务公开事项标准目录中{}；写事项编号或 领域/一级事项/二级事项 (no such item)",
                catalogue.suggestion(m)
            ),
        }
    }
    // Checked before a number is reserved: a refused path must not use one up.
    let rel = crate::load::new_document_path(&args.root, &args.path).map_err(anyhow::Error::msg)?;
    let today =
        super::parse_today(&args.today)?.unwrap_or_else(|| crate::clock::today(cfg.timezone, None));
    if let Some(docx) = &args.from {
        if args.root.join(&rel).exists() {
            bail!("{} 已存在；gongkai new 不会覆盖已有文件", rel.display());
        }
        let request = crate::import::batch::Request {
            docx: docx.clone(),
            rel: Some(rel),
        };
        let choices = crate::import::header::Choices {
            kind: args.kind.clone(),
            item: args.item.clone(),
            use_print_date: false,
        };
        return super::import::import_docx(
            &args.root,
            &cfg,
            &[request],
            None,
            &choices,
            today,
            false,
            args.title.clone(),
        );
    }
    let kind = args.kind.as_deref().unwrap_or("其他文件");
    let title = args.title.clone().unwrap_or_else(|| "（标题）".into());
    let no = crate::scaffold::create_document(&args.root, &cfg, &rel, &title, today, &|no| {
        let header =
            crate::scaffold::document_template(&cfg, kind, args.item.as_deref(), &title, no, today);
        crate::scaffold::with_matters(header, &catalogue, &chosen)
    })?;
    println!("{}", rel.display());
    eprintln!(
        "已创建 {}（索引号 {no}，草稿）；写完后删除 draft: true 这一行",
        rel.display()
    );
    Ok(super::EXIT_OK)
}
