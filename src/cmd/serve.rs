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
    warn_if_not_loopback(&args.bind);
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
    eprintln!(
        "工作台 workbench: {}{} （编辑、导入和审查文件；只接受本机访问）",
        server.url.trim_end_matches('/'),
        crate::workbench::PREFIX
    );
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
    warn_if_not_loopback(&args.bind);
    let p = serve::static_preview::start(&dir, &base, &args.bind, args.port)?;
    eprintln!(
        "正在按门户的方式预览已构建的站点 {}：{} （不会重新构建；Ctrl+C 退出）\n\
         serving the built site as the portal will (no rebuilds)",
        p.dir.display(),
        p.url
    );
    open_and_wait(args, &p.url)
}

/// `--bind` to anything but loopback shows the preview to the whole network: said, not silent.
fn warn_if_not_loopback(bind: &str) {
    let loopback = bind == "localhost"
        || bind
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        eprintln!(
            "警告：--bind {bind} 不是本机回环地址，同一网络中的其他电脑也能打开预览。工作台只接受本机访问；不需要他人访问时请去掉 --bind\n\
             warning: --bind {bind} is not a loopback address; other computers can open the preview (the workbench answers this computer only)"
        );
    }
}

fn open_and_wait(args: &ServeArgs, url: &str) -> anyhow::Result<i32> {
    if args.open {
        let _ = std::process::Command::new("xdg-open").arg(url).spawn();
    }
    loop {
        std::thread::park();
    }
}
