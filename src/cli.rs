//! Command-line arguments: one struct per subcommand, shared flags defined once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// gongkai（公开）: builds a government information disclosure column (政府信息公开专栏) from
/// Markdown documents.
#[derive(Parser, Debug)]
#[command(name = "gongkai", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site from content/ into public/ (nothing is written if any error is found).
    Build(BuildArgs),
    /// Write a synthetic site of N documents shaped like the corpus (for benchmarks).
    #[command(hide = true)]
    Synth(SynthArgs),
}

/// `gongkai synth`.
#[derive(Args, Debug)]
pub struct SynthArgs {
    /// Number of documents.
    pub count: usize,
    /// Folder to create.
    pub dir: PathBuf,
    /// Corpus `docs/` folder to take paragraphs from.
    #[arg(long, default_value = "../shared/corpus/docs")]
    pub corpus: PathBuf,
    /// Seed of the generator.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// Flags every site command takes.
#[derive(Args, Debug, Clone)]
pub struct SiteArgs {
    /// The site folder (holds gongkai.toml and content/).
    #[arg(long, short = 'r', default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The build date, YYYY-MM-DD (default: today). Validity and "published ≤ today" use it.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Print only errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// `gongkai build`.
#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    /// Site flags.
    pub site: SiteArgs,
    /// Where to write the site (default: ROOT/public). The previous content is replaced only
    /// after the whole new site has been written.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The address the site will be published at, e.g. https://www.example.gov.cn/zwgk/
    /// (overrides base_url in gongkai.toml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Production build: the footer identifiers (网站标识码, ICP备案号, 公安备案号 …) are required.
    #[arg(long)]
    pub production: bool,
}
