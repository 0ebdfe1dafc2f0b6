//! Command-line arguments: one struct per subcommand, shared flags defined once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// What `gongkai --version` prints after the name: the version, the commit it was built from,
/// the tantivy version (the search index format the engine reads) and the platform (build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("GONGKAI_COMMIT"),
    ", tantivy ",
    env!("GONGKAI_TANTIVY"),
    ", ",
    env!("GONGKAI_TARGET"),
    ")"
);

/// gongkai（公开）: builds a government information disclosure column (政府信息公开专栏) from
/// Markdown documents.
#[derive(Parser, Debug)]
#[command(name = "gongkai", version = VERSION, about, long_about = None, propagate_version = true)]
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
    /// Review the site before publication (公开前审查): run every rule, write nothing.
    Check(CheckArgs),
    /// Build in memory and serve on 127.0.0.1 with live reload; rebuild on every change
    /// (`--public`: serve an already built public/ as the portal will).
    Serve(ServeArgs),
    /// Start a new document with the complete header for its kind and the next 索引号.
    New(NewArgs),
    /// Import Word 公文 (.docx) as documents with their header filled in, or a whole existing
    /// column from the old CMS's catalogue (--catalogue LIST --pages DIR).
    Import(ImportArgs),
    /// Create a new site: gongkai.toml (every setting, commented), the columns, the theme.
    Init(InitArgs),
    /// Compute the 政府信息公开工作年度报告 for YEAR (table 2 from the documents, the rest from annual/YEAR.toml).
    Report(ReportArgs),
    /// Search the built site's index (public/search/) from the command line, with the same
    /// engine, hits and order as the site's search page.
    Search(SearchArgs),
    /// Export the search records as NDJSON (one line per record of the site's search index)
    /// for a shared search engine, or print that engine's index definition (--mapping).
    Export(ExportArgs),
    /// Write a synthetic site of N documents shaped like the corpus (for benchmarks).
    #[command(hide = true)]
    Synth(SynthArgs),
}

/// `gongkai export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    /// Site flags.
    pub site: SiteArgs,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The address the site is published at (overrides base_url in gongkai.toml); every
    /// record's id is its page's address under it.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print the index definition for this engine instead of the records.
    #[arg(long, value_enum)]
    pub mapping: Option<ExportMapping>,
}

/// Engines `gongkai export --mapping` knows.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportMapping {
    /// OpenSearch or Elasticsearch: settings and mappings (`PUT /INDEX` body).
    Opensearch,
    /// Quickwit: the index configuration (YAML).
    Quickwit,
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
    /// Print each stage as it finishes (a progress bar is shown on a terminal anyway).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Do not write the .gz/.br copies web servers send to browsers that accept them
    /// (nginx gzip_static; see the README's deployment section).
    #[arg(long)]
    pub no_precompress: bool,
}

/// Output format of `check`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Grouped by file, for people.
    Human,
    /// One JSON object (schema in the README), for CI and editors.
    Json,
}

/// `gongkai check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    /// Site flags.
    pub site: SiteArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Rewrite what can be fixed mechanically (文件编号 brackets [2022] → 〔2022〕) in place.
    #[arg(long)]
    pub fix: bool,
    /// Production mode: the footer identifiers are required (P21).
    #[arg(long)]
    pub production: bool,
    /// Only report findings in these files or folders (the whole site is still read, so
    /// cross-document rules work).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `gongkai report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// What to report: a year (e.g. 2023: the annual report, table 2 computed as of 31
    /// December of that year), or `catalogue` (the 政务公开事项标准目录 self-inspection: per 领域,
    /// items with documents, without, and late).
    #[arg(value_name = "YEAR|catalogue", value_parser = parse_report_target)]
    pub target: ReportTarget,
    #[command(flatten)]
    /// Site flags.
    pub site: SiteArgs,
    /// The reporting body whose 规章 and 行政规范性文件 are counted (default: `issuer` in
    /// annual/YEAR.toml, else organisation.name in gongkai.toml).
    #[arg(long, value_name = "BODY")]
    pub issuer: Option<String>,
    /// Count a joint document for every joint issuer, not only the first one.
    #[arg(long)]
    pub all_joint_issuers: bool,
    /// Output format, printed to stdout.
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
}

/// What `gongkai report` reports on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportTarget {
    /// The annual report of this year.
    Year(i32),
    /// The 政务公开事项标准目录 self-inspection report.
    Catalogue,
}

fn parse_report_target(s: &str) -> Result<ReportTarget, String> {
    match s.trim() {
        "catalogue" | "标准目录" => Ok(ReportTarget::Catalogue),
        t => t.parse().map(ReportTarget::Year).map_err(|_| {
            format!("“{t}” 既不是年份也不是 catalogue：写 gongkai report 2023（年报）或 gongkai report catalogue（标准目录自查） (expected a year or `catalogue`)")
        }),
    }
}

/// Output formats of `gongkai report`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// Markdown, with the six headings and plain tables.
    Md,
    /// A standalone HTML page with accessible tables.
    Html,
    /// JSON, every number with its labels.
    Json,
}

/// `gongkai search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// The words to find (several words: every one must match; "…" for a phrase, -word to
    /// exclude, OR for alternatives).
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    /// The site folder; the index is read from ROOT/public/search/.
    #[arg(long, short = 'r', default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The built site to search instead of ROOT/public (the index is DIR/search/).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Only documents of this 主题分类.
    #[arg(long)]
    pub category: Option<String>,
    /// Only documents of this second-level 主题分类: `二级` alone, or `一级\二级`.
    #[arg(long, value_name = "CATEGORY_SUB")]
    pub category_sub: Option<String>,
    /// Only documents of this 发布机构.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Only documents published in this year (e.g. 2022).
    #[arg(long)]
    pub year: Option<String>,
    /// Only documents of this 文种.
    #[arg(long)]
    pub kind: Option<String>,
    /// Only documents with this 有效性 (有效, 失效, 废止, 已修改 …).
    #[arg(long)]
    pub validity: Option<String>,
    /// Order of the hits.
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SearchSort,
    /// Hits to show (at most 100).
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip (for the next page).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print the results as JSON (the same structure the search page receives).
    #[arg(long)]
    pub json: bool,
}

/// Orders of `gongkai search`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchSort {
    /// Best match first (title matches weigh more), newer first among equals.
    Relevance,
    /// Newest 发布日期 first.
    Date,
}

/// `gongkai serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    /// Site flags.
    pub site: SiteArgs,
    /// Port to listen on (0: any free port).
    #[arg(long, short = 'p', default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. Keep the default (loopback) unless others must see the preview.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Print every finding after each rebuild, not only errors.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Serve an already built site (default: ROOT/public) as the portal will, at its base path,
    /// with its precompressed files; no rebuilds, no reload.
    #[arg(long, value_name = "DIR")]
    pub public: Option<Option<PathBuf>>,
}

/// `gongkai new`.
#[derive(Args, Debug)]
pub struct NewArgs {
    /// The site folder.
    #[arg(long, short = 'r', default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// 文种 of the document (其他文件, 行政规范性文件, 规章, 政策解读 …; default 其他文件, or
    /// with --from what the 公文 says: a 令 is a 规章).
    #[arg(long)]
    pub kind: Option<String>,
    /// 条例 item, e.g. 20.7 (default: 20.1 for 规章/行政规范性文件, none for 政策解读 …).
    #[arg(long)]
    pub item: Option<String>,
    /// Title to put in the header.
    #[arg(long)]
    pub title: Option<String>,
    /// 政务公开事项标准目录 item the document fulfils: its 编号 (zdjsxm-01) or
    /// 领域/一级事项/二级事项; repeat for several. Without it, the header lists the items to
    /// choose from (when the site has catalogue/).
    #[arg(long = "matter", value_name = "事项")]
    pub matters: Vec<String>,
    /// The date to use as today (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Fill the header and body from this Word 公文 (.docx), as `gongkai import` does.
    #[arg(long, value_name = "FILE.docx")]
    pub from: Option<PathBuf>,
    /// Where to write the document, relative to the root (e.g. content/2024/yusuan.md).
    pub path: PathBuf,
}

/// `gongkai import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The site folder.
    #[arg(long, short = 'r', default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Word files (.docx) to import, one document each.
    #[arg(value_name = "FILE.docx")]
    pub files: Vec<PathBuf>,
    /// Folder under content/ to write to (default: content/YEAR/, the year of the 成文日期).
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
    /// 文种 of the documents (default: 其他文件; a 令 is a 规章).
    #[arg(long)]
    pub kind: Option<String>,
    /// 条例 item, e.g. 20.7.
    #[arg(long)]
    pub item: Option<String>,
    /// Print the header and a summary of what would be imported; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Use the 印发日期 of the 版记 as 发布日期 (only when it really is the day of publication).
    #[arg(long)]
    pub use_print_date: bool,
    /// The date to use as today (YYYY-MM-DD): the year of new 索引号.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// The old CMS's catalogue (.xlsx or .csv) of an existing column: import every row.
    #[arg(
        long,
        value_name = "LIST",
        requires = "pages",
        conflicts_with = "files"
    )]
    pub catalogue: Option<PathBuf>,
    /// The folder of the saved pages (.html) or Word files (.docx) the catalogue links to.
    #[arg(long, value_name = "DIR")]
    pub pages: Option<PathBuf>,
    /// A TOML file mapping the catalogue's column headers to fields (default: recognised from
    /// the Chinese headers).
    #[arg(long, value_name = "FILE.toml")]
    pub columns: Option<PathBuf>,
    /// A 政务公开事项标准目录 table (.xlsx, .csv or .docx): written to catalogue/<领域>.toml.
    #[arg(long, value_name = "TABLE", conflicts_with_all = ["files", "catalogue"])]
    pub standard: Option<PathBuf>,
    /// With --standard: the 领域 (default: the table's title, else the file name).
    #[arg(long, value_name = "NAME", requires = "standard")]
    pub area: Option<String>,
    /// With --standard: the 领域's ASCII URL segment (default: pinyin initials, 重大建设项目 →
    /// zdjsxm).
    #[arg(long, value_name = "SLUG", requires = "standard")]
    pub slug: Option<String>,
}

/// `gongkai init`.
#[derive(Args, Debug)]
pub struct InitArgs {
    /// Folder to create (must be empty or absent).
    pub dir: PathBuf,
    /// Site name.
    #[arg(long)]
    pub name: Option<String>,
}
