//! `gongkai init DIR`: a new site that builds at once.

use crate::cli::InitArgs;

/// Runs the command.
pub fn run(args: InitArgs) -> anyhow::Result<i32> {
    let name = args.name.clone().unwrap_or_else(|| "政府信息公开".into());
    // The new site's gongkai.toml says China Standard Time, so its first date does too.
    let today = crate::clock::today(crate::clock::china_standard_time(), None);
    let files = crate::scaffold::init(&args.dir, &name, today)?;
    eprintln!(
        "已创建站点 {}（{} 个文件）",
        args.dir.display(),
        files.len()
    );
    eprintln!(
        "下一步：编辑 gongkai.toml 和 content/zfxxgkzn/_index.md，然后运行 gongkai serve --root {}",
        args.dir.display()
    );
    Ok(super::EXIT_OK)
}
