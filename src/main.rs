//! The `gongkai` binary: parse arguments, run one subcommand, exit 0 (ok), 1 (findings) or 2
//! (could not run). All work is in the library.

use clap::Parser;
use gongkai::cli::{Cli, Command};
use gongkai::cmd;

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::New(a) => cmd::new::run(a),
        Command::Import(a) => cmd::import::run(a),
        Command::Init(a) => cmd::init::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Search(a) => cmd::search::run(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Synth(a) => cmd::synth::run(a),
    };
    let code = match result {
        Ok(code) => code,
        // Output piped into a reader that stopped (`gongkai export | head`): done, quietly.
        Err(e)
            if e.chain()
                .filter_map(|c| c.downcast_ref::<std::io::Error>())
                .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            cmd::EXIT_OK
        }
        Err(e) => {
            // An I/O failure is named in Chinese first, the system's words after.
            match e.chain().find_map(|c| c.downcast_ref::<std::io::Error>()) {
                Some(io) => eprintln!("gongkai: {}：{e:#}", gongkai::diag::io_reason(io)),
                None => eprintln!("gongkai: {e:#}"),
            }
            cmd::EXIT_TROUBLE
        }
    };
    std::process::exit(code);
}
