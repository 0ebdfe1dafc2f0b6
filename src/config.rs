//! Site configuration: `gongkai.toml` and the controlled vocabularies.
//!
//! `parse` takes text (so tests need no files); `load` reads the file and the taxonomy. Unknown
//! keys are errors with a "did you mean" suggestion, because a misspelt key silently ignored is a
//! setting the editor believes is in force.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, RuleLevels, Severity};
use crate::meta::IndexNoTemplate;

pub mod branding;
pub mod items;
mod sections;
pub mod urls;

pub use branding::Branding;
pub use items::ItemsSettings;
pub use sections::{Footer, OrgLevel, Review, ValiditySettings, WorkbenchSettings};
pub use urls::UrlSettings;

/// The config file's name at the site root.
pub const FILE_NAME: &str = "gongkai.toml";

/// `gongkai.toml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    site_name: String,
    base_url: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_page_size")]
    page_size: usize,
    organisation: RawOrganisation,
    #[serde(default)]
    issuers: Vec<String>,
    #[serde(default)]
    taxonomy: Option<String>,
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    footer: Footer,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    review: Review,
    #[serde(default)]
    validity: ValiditySettings,
    #[serde(default)]
    timezone: Option<String>,
    #[serde(default)]
    workbench: WorkbenchSettings,
    #[serde(default)]
    urls: urls::RawUrls,
    #[serde(default)]
    branding: branding::RawBranding,
    #[serde(default)]
    items: BTreeMap<String, items::RawItem>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganisation {
    name: String,
    code: String,
    #[serde(default = "default_template")]
    index_no_template: String,
    #[serde(default = "default_pattern")]
    index_no_pattern: String,
    #[serde(default = "default_level")]
    level: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    #[serde(default)]
    production: bool,
    #[serde(default)]
    sitemap_max_urls: Option<usize>,
    #[serde(default)]
    feed_size: Option<usize>,
    #[serde(default)]
    ledger: Option<String>,
}

/// The theme used when `gongkai.toml` names none.
pub fn default_theme() -> String {
    "default".into()
}
fn default_page_size() -> usize {
    20
}
fn default_template() -> String {
    "{org_code}/{year}-{seq:05}".into()
}
fn default_pattern() -> String {
    r"^[0-9A-Za-z-]{5,20}/\d{4}(\d{2})?-\d{4,6}$".into()
}
fn default_level() -> String {
    "government".into()
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site name (SiteName meta tag, page titles).
    pub site_name: String,
    /// Absolute base URL ending in `/`.
    pub base_url: String,
    /// Path part of the base URL, ending in `/` (`/` or `/xxgk/`): the prefix of every link.
    pub base_path: String,
    /// Theme folder name.
    pub theme: String,
    /// Rows per catalogue page.
    pub page_size: usize,
    /// 发布机构 of the site.
    pub org_name: String,
    /// Unit code used in 索引号.
    pub org_code: String,
    /// Template for new 索引号.
    pub index_no_template: IndexNoTemplate,
    /// Loose pattern 索引号 should match (E011).
    pub index_no_pattern: regex::Regex,
    /// Government or department.
    pub org_level: OrgLevel,
    /// Known issuing bodies (P22).
    pub issuers: Vec<String>,
    /// 主题分类: top-level class → second-level classes, in order.
    pub taxonomy: Vec<(String, Vec<String>)>,
    /// Allowed kinds (文种).
    pub kinds: Vec<String>,
    /// Footer identifiers.
    pub footer: Footer,
    /// Where each footer key is written in `gongkai.toml` (else the `[footer]` line), for P21.
    pub footer_lines: BTreeMap<&'static str, usize>,
    /// Rule severities.
    pub rules: RuleLevels,
    /// Production mode: missing footer identifiers are errors (P21).
    pub production: bool,
    /// Above this many URLs the sitemap is split.
    pub sitemap_max_urls: usize,
    /// Entries per Atom feed.
    pub feed_size: usize,
    /// Ledger of assigned 索引号, relative to the root.
    pub ledger: PathBuf,
    /// Review settings.
    pub review: Review,
    /// Validity periods.
    pub validity: ValiditySettings,
    /// Working-day calendar (holidays and 调休, with `[review] calendar` overrides).
    pub calendar: crate::calendar::WorkCalendar,
    /// The zone the documents' dates are written in; the build date is "today" there
    /// (`timezone`, default China Standard Time; see [`crate::clock`]).
    pub timezone: chrono::FixedOffset,
    /// The workbench's settings.
    pub workbench: WorkbenchSettings,
    /// Document folder, URL codes and redirects (`[urls]`).
    pub urls: UrlSettings,
    /// Logo and footer badges (`[branding]`).
    pub branding: Branding,
    /// Per 条例 item: warn when empty, and the empty page's sentence (`[items]`).
    pub items: ItemsSettings,
}

impl Config {
    /// True if `class` is a configured top-level 主题分类.
    pub fn has_category(&self, class: &str) -> bool {
        self.taxonomy.iter().any(|(c, _)| c == class)
    }
    /// True if `sub` is a configured second-level class under `class`.
    pub fn has_category_sub(&self, class: &str, sub: &str) -> bool {
        self.taxonomy
            .iter()
            .any(|(c, subs)| c == class && subs.iter().any(|s| s == sub))
    }
}

/// Parses `gongkai.toml` text. `taxonomy` is the text of the taxonomy data file to use unless
/// the config names another (then `read_file` is asked for it, relative to the root).
pub fn parse(
    text: &str,
    default_taxonomy: &str,
    read_file: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Config, Vec<Diagnostic>> {
    let file = PathBuf::from(FILE_NAME);
    let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_error(&file, text, &e)])?;
    let mut diags = Vec::new();
    let cfg_err = |key: &str, message: String, help: &str| {
        let line = key_line(text, key);
        let mut d = Diagnostic::new(Code::E005, file.clone(), message)
            .field(key)
            .help(help.to_string());
        d.line = line;
        d
    };

    let (base_url, base_path) = match parse_base_url(&raw.base_url) {
        Ok(parsed) => parsed,
        Err(why) => {
            diags.push(cfg_err(
                "base_url",
                format!("base_url {why}"),
                "写成 base_url = \"https://www.example.gov.cn/zwgk/\"",
            ));
            (raw.base_url.clone(), "/".into())
        }
    };
    let template =
        IndexNoTemplate::parse(&raw.organisation.index_no_template).unwrap_or_else(|e| {
            diags.push(cfg_err(
                "index_no_template",
                e,
                "例如 index_no_template = \"{org_code}/{year}-{seq:05}\"",
            ));
            IndexNoTemplate::parse("{org_code}/{year}-{seq:05}")
                .expect("the default template is valid")
        });
    let pattern = regex::Regex::new(&raw.organisation.index_no_pattern).unwrap_or_else(|e| {
        diags.push(cfg_err(
            "index_no_pattern",
            format!("index_no_pattern 不是合法的正则表达式: {e}"),
            "检查括号和转义",
        ));
        regex::Regex::new(&default_pattern()).expect("the default pattern is valid")
    });
    let org_level = match raw.organisation.level.as_str() {
        "government" | "政府" => OrgLevel::Government,
        "department" | "部门" => OrgLevel::Department,
        other => {
            diags.push(cfg_err(
                "level",
                format!("organisation.level “{other}” 应为 \"government\"（政府）或 \"department\"（部门）"),
                "年报发布期限据此确定（条例第四十九条）",
            ));
            OrgLevel::Government
        }
    };
    if raw.page_size == 0 {
        diags.push(cfg_err(
            "page_size",
            "page_size 不能为 0".into(),
            "例如 page_size = 20",
        ));
    }
    let mut rules = RuleLevels::default();
    for (code, level) in &raw.rules {
        match (crate::diag::rule_by_code(code), level.parse::<Severity>()) {
            (None, _) => diags.push(cfg_err(
                code,
                format!(
                    "[rules] 中的 “{code}” 不是已知规则{}",
                    crate::diag::suggest(code, crate::diag::RULES.iter().map(|r| r.code))
                ),
                "规则编号见 README 的规则表（E001…E013, P01…P23）",
            )),
            (Some(_), Err(e)) => diags.push(cfg_err(code, e, "例如 P05 = \"warn\"")),
            (Some(r), Ok(s)) if !r.configurable && s < r.default => diags.push(cfg_err(
                code,
                format!(
                    "规则 {code}（{}）不能降级：放宽它可能让不应公开的内容上线",
                    r.title
                ),
                "删除这一行",
            )),
            (Some(_), Ok(s)) => {
                rules.0.insert(code.clone(), s);
            }
        }
    }
    let taxonomy_text = match &raw.taxonomy {
        Some(path) => read_file(path).map_err(|e| {
            vec![Diagnostic::new(
                Code::E005,
                file.clone(),
                format!("无法读取 taxonomy 文件 “{path}”: {e}"),
            )
            .field("taxonomy")
            .help("路径相对于站点根目录")]
        })?,
        None => default_taxonomy.to_string(),
    };
    let taxonomy = parse_taxonomy(&taxonomy_text).map_err(|e| {
        vec![Diagnostic::new(
            Code::E005,
            raw.taxonomy
                .clone()
                .map(PathBuf::from)
                .unwrap_or(file.clone()),
            e,
        )]
    })?;
    let mut kinds: Vec<String> = crate::labels::DEFAULT_KINDS
        .iter()
        .map(|s| s.to_string())
        .collect();
    for k in &raw.kinds {
        if !kinds.contains(k) {
            kinds.push(k.clone());
        }
    }
    let mut footer = raw.footer.clone();
    if footer.site_domain.is_empty() {
        footer.site_domain = host_of(&base_url).to_string();
    }
    let mut overrides = BTreeMap::new();
    for (day, kind) in &raw.review.calendar {
        match crate::meta::parse_date(day) {
            Ok(d) => {
                overrides.insert(d, *kind);
            }
            Err(e) => diags.push(cfg_err(
                day,
                format!("[review] calendar 中的日期有误: {e}"),
                "写成 \"2027-10-01\" = \"holiday\"",
            )),
        }
    }
    let timezone = match raw.timezone.as_deref() {
        None => crate::clock::china_standard_time(),
        Some(t) => crate::clock::parse_timezone(t).unwrap_or_else(|e| {
            diags.push(cfg_err(
                "timezone",
                e,
                "写成 timezone = \"+08:00\"（北京时间，默认值）；文件中的日期按这个时区理解，构建日期也按它计算",
            ));
            crate::clock::china_standard_time()
        }),
    };
    let (urls, url_errors) = urls::parse(raw.urls.clone(), &base_path);
    let (branding, branding_errors) = branding::parse(raw.branding.clone());
    let (items, item_errors) = items::parse(raw.items.clone());
    for (key, message) in url_errors
        .into_iter()
        .chain(branding_errors)
        .chain(item_errors)
    {
        diags.push(cfg_err(
            &key,
            message,
            "改正 gongkai.toml 中的这个设置（README 的配置说明列出了全部设置）",
        ));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let footer_header = text
        .lines()
        .position(|l| l.trim() == "[footer]")
        .map(|i| i + 1);
    let footer_lines = ["host", "phone", "site_id_code", "icp", "police"]
        .into_iter()
        .filter_map(|k| key_line(text, k).or(footer_header).map(|l| (k, l)))
        .collect();
    Ok(Config {
        footer_lines,
        urls,
        branding,
        items,
        timezone,
        calendar: crate::calendar::WorkCalendar::with_overrides(overrides),
        site_name: raw.site_name,
        base_url,
        base_path,
        theme: raw.theme,
        page_size: raw.page_size,
        org_name: raw.organisation.name,
        org_code: raw.organisation.code,
        index_no_template: template,
        index_no_pattern: pattern,
        org_level,
        issuers: raw.issuers,
        taxonomy,
        kinds,
        footer,
        rules,
        production: raw.build.production,
        sitemap_max_urls: raw.build.sitemap_max_urls.unwrap_or(30_000).max(1),
        feed_size: raw.build.feed_size.unwrap_or(20).max(1),
        ledger: PathBuf::from(
            raw.build
                .ledger
                .unwrap_or_else(|| "gongkai-ledger.tsv".into()),
        ),
        review: raw.review,
        validity: raw.validity,
        workbench: raw.workbench,
    })
}

/// Taxonomy data file: `[[class]] name = "综合政务" sub = ["政务公开", …]`.
pub fn parse_taxonomy(text: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Tax {
        class: Vec<Class>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Class {
        name: String,
        #[serde(default)]
        sub: Vec<String>,
    }
    let t: Tax =
        toml::from_str(text).map_err(|e| format!("主题分类表格式错误: {}", e.message()))?;
    Ok(t.class.into_iter().map(|c| (c.name, c.sub)).collect())
}

/// The host of an address (`https://www.example.gov.cn/xxgk/` → `www.example.gov.cn`).
pub fn host_of(url: &str) -> &str {
    url.split("//")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("")
}

/// Checks a site address (`base_url`, `--base-url`): `http://` or `https://`, a host, then the
/// column's path. Every link of the site starts with it, so a query string or a fragment would
/// break them all. Returns the address with a final `/` and its path (`/xxgk/`), or what is
/// wrong, Chinese first.
pub fn parse_base_url(raw: &str) -> Result<(String, String), String> {
    let Some((scheme, rest)) = ["https://", "http://"]
        .into_iter()
        .find_map(|s| raw.strip_prefix(s).map(|rest| (s, rest)))
    else {
        return Err(format!(
            "“{raw}” 不是以 http:// 或 https:// 开头的完整网址，请写出协议和域名，例如 \
             https://www.example.gov.cn/xxgk/ (the address must start with http:// or https://)"
        ));
    };
    let problem = if raw.contains('?') {
        Some(("带有查询参数（“?” 及其后的部分）", "a query string"))
    } else if raw.contains('#') {
        Some(("带有锚点（“#” 及其后的部分）", "a fragment"))
    } else if raw.chars().any(char::is_whitespace) {
        Some(("含有空格", "spaces"))
    } else {
        None
    };
    if let Some((zh, en)) = problem {
        return Err(format!(
            "“{raw}” {zh}，请只写到栏目路径为止，例如 https://www.example.gov.cn/xxgk/ \
             (the address must not have {en})"
        ));
    }
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.is_empty() {
        return Err(format!(
            "“{raw}” 缺少域名，例如 https://www.example.gov.cn/xxgk/ (no host name)"
        ));
    }
    let path = format!("{}/", path.trim_end_matches('/'));
    Ok((format!("{scheme}{host}{path}"), path))
}

/// The line of `key = …` (also `"key" = …`, or a table header `[items."key"]`).
fn key_line(text: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            let assigns = |k: &str| {
                t.strip_prefix(k)
                    .is_some_and(|r| r.trim_start().starts_with('='))
            };
            assigns(key)
                || assigns(&quoted)
                || (t.starts_with('[')
                    && (t.contains(&format!("{quoted}]")) || t.contains(&format!(".{key}]"))))
        })
        .map(|i| i + 1)
}

/// Every key the config accepts, for suggestions.
const KNOWN_KEYS: &[&str] = &[
    "site_name",
    "base_url",
    "theme",
    "page_size",
    "organisation",
    "issuers",
    "taxonomy",
    "kinds",
    "footer",
    "rules",
    "build",
    "review",
    "validity",
    "name",
    "code",
    "index_no_template",
    "index_no_pattern",
    "level",
    "production",
    "sitemap_max_urls",
    "feed_size",
    "ledger",
    "host",
    "organizer",
    "address",
    "phone",
    "email",
    "site_id_code",
    "icp",
    "police",
    "site_domain",
    "statement",
    "allow_numbers",
    "calendar",
    "interpretation_since",
    "placeholder_exempt_kinds",
    "normative_years",
    "provisional_years",
    "timezone",
    "urls",
    "documents",
    "legacy_redirects",
    "redirect_pages",
    "codes",
    "branding",
    "logo",
    "logo_alt",
    "gov_badge",
    "gov_badge_link",
    "gov_badge_alt",
    "police_badge",
    "items",
    "required",
    "empty",
];

fn toml_error(file: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    let msg = e.message().to_string();
    let mut d = if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        Diagnostic::new(
            Code::E004,
            file,
            format!(
                "gongkai.toml 中有未知设置 “{key}”{}",
                crate::diag::suggest(key, KNOWN_KEYS.iter().copied())
            ),
        )
        .field(key)
        .help("删除或改正这个键；所有设置见 gongkai init 生成的带注释的 gongkai.toml")
    } else if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or("");
        Diagnostic::new(
            Code::E005,
            file,
            format!("gongkai.toml 缺少必填设置 “{key}”"),
        )
        .field(key)
        .help(format!("加入 {key} = …（见 README 的配置说明）"))
    } else {
        Diagnostic::new(Code::E005, file, format!("gongkai.toml 格式错误: {msg}"))
            .help("检查这一行的引号、等号和括号")
    };
    if let Some(span) = e.span() {
        let (l, c) = crate::diag::line_col(text, span.start);
        d = d.at_col(l, c);
    }
    d
}

#[cfg(test)]
mod tests;
