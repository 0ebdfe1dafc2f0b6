//! `gongkai synth`: a synthetic site for benchmarks (hidden from `--help`).

use crate::cli::SynthArgs;

/// Runs the command.
pub fn run(args: SynthArgs) -> anyhow::Result<i32> {
    let paragraphs = crate::synth::corpus_paragraphs(&args.corpus, 20_000)?;
    crate::synth::generate(&args.dir, args.count, &paragraphs, args.seed)?;
    eprintln!("wrote {} documents to {}", args.count, args.dir.display());
    Ok(super::EXIT_OK)
}
