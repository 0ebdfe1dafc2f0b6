//! `gongkai serve`: start the preview server and wait.

use crate::cli::ServeArgs;
use crate::pipeline::BuildOptions;
use crate::serve::{self, ServeOptions};

/// Runs the command; returns only on error.
pub fn run(args: ServeArgs) -> anyhow::Result<i32> {
    let mut build = BuildOptions::new(&args.site.root);
    build.today = super::parse_today(&args.site.today)?;
    let server = serve::start(ServeOptions {
        build,
        bind: args.bind,
        port: args.port,
        verbose: args.verbose,
        quiet: args.site.quiet,
    })?;
    eprintln!("正在预览 serving {} （Ctrl+C 退出）", server.url);
    if args.open {
        let _ = std::process::Command::new("xdg-open")
            .arg(&server.url)
            .spawn();
    }
    loop {
        std::thread::park();
    }
}
