//! `gongkai serve`: start the preview server (or, with `--public`, the static preview of a built
//! site) and wait.

use crate::cli::ServeArgs;
use crate::pipeline::BuildOptions;
use crate::serve::{self, ServeOptions};

/// Runs the command; returns only on error.
pub fn run(args: ServeArgs) -> anyhow::Result<i32> {
    if let Some(dir) = &args.public {
        return preview(&args, dir.clone());
    }
    let mut build = BuildOptions::new(&args.site.root);
    build.today = super::parse_today(&args.site.today)?;
    let server = serve::start(ServeOptions {
        build,
        bind: args.bind.clone(),
        port: args.port,
        verbose: args.verbose,
        quiet: args.site.quiet,
    })?;
    eprintln!("正在预览 serving {} （Ctrl+C 退出）", server.url);
    open_and_wait(&args, &server.url)
}

/// `serve --public [DIR]`: the built site as the portal will serve it, at its base path (from
/// the site's own robots.txt, else gongkai.toml).
fn preview(args: &ServeArgs, dir: Option<std::path::PathBuf>) -> anyhow::Result<i32> {
    let dir = dir.unwrap_or_else(|| args.site.root.join("public"));
    let base = match serve::static_preview::base_path_of_built(&dir) {
        Some(b) => b,
        None => crate::load::config(&args.site.root)
            .map(|c| c.base_path)
            .unwrap_or_else(|_| "/".into()),
    };
    let p = serve::static_preview::start(&dir, &base, &args.bind, args.port)?;
    eprintln!(
        "正在按门户的方式预览已构建的站点 {}：{} （不会重新构建；Ctrl+C 退出）\n\
         serving the built site as the portal will (no rebuilds)",
        p.dir.display(),
        p.url
    );
    open_and_wait(args, &p.url)
}

fn open_and_wait(args: &ServeArgs, url: &str) -> anyhow::Result<i32> {
    if args.open {
        let _ = std::process::Command::new("xdg-open").arg(url).spawn();
    }
    loop {
        std::thread::park();
    }
}
