//! `gongkai new`: a new document with the complete header for its kind.

use anyhow::bail;

use crate::cli::NewArgs;

/// Runs the command.
pub fn run(args: NewArgs) -> anyhow::Result<i32> {
    let cfg = match crate::config::load(&args.root) {
        Ok(c) => c,
        Err(d) => {
            crate::diag::print_human(&d, false);
            return Ok(super::EXIT_TROUBLE);
        }
    };
    if !cfg.kinds.contains(&args.kind) {
        bail!(
            "“{}” 不是已配置的文种{}",
            args.kind,
            crate::diag::suggest(&args.kind, cfg.kinds.iter().map(String::as_str))
        );
    }
    if let Some(i) = &args.item {
        i.parse::<crate::meta::Item>().map_err(anyhow::Error::msg)?;
    }
    // Checked before a number is reserved: a refused path must not use one up.
    let rel = crate::load::new_document_path(&args.root, &args.path).map_err(anyhow::Error::msg)?;
    let today =
        super::parse_today(&args.today)?.unwrap_or_else(|| crate::clock::today(cfg.timezone, None));
    let title = args.title.clone().unwrap_or_else(|| "（标题）".into());
    let no = crate::scaffold::create_document(&args.root, &cfg, &rel, &title, today, &|no| {
        crate::scaffold::document_template(
            &cfg,
            &args.kind,
            args.item.as_deref(),
            &title,
            no,
            today,
        )
    })?;
    println!("{}", rel.display());
    eprintln!(
        "已创建 {}（索引号 {no}，草稿）；写完后删除 draft: true 这一行",
        rel.display()
    );
    Ok(super::EXIT_OK)
}
