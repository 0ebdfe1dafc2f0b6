//! The document list: every file under `content/`, its state and its findings, filterable.

use super::{edit_url, layout, Nav, PREFIX};
use crate::render::escape_html as esc;
use crate::workbench::form::Submitted;
use crate::workbench::review::Row;

/// The list's filters, from the query string.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Text in the title, 索引号 or path.
    pub text: String,
    /// 栏目.
    pub column: String,
    /// 主题分类.
    pub category: String,
    /// Year of 发布日期.
    pub year: String,
    /// `draft`, `published`, `withheld`, `unreadable` or empty.
    pub state: String,
    /// `errors`, `any` (errors or warnings), `none` or empty.
    pub findings: String,
}

impl Filters {
    /// Reads the filters from the query.
    pub fn from_query(q: &Submitted) -> Filters {
        let get = |k: &str| q.one(k).unwrap_or("").trim().to_string();
        Filters {
            text: get("q"),
            column: get("column"),
            category: get("category"),
            year: get("year"),
            state: get("state"),
            findings: get("findings"),
        }
    }

    fn keeps(&self, r: &Row) -> bool {
        let text = self.text.is_empty()
            || r.title.contains(&self.text)
            || r.index_no.contains(&self.text)
            || r.path.to_string_lossy().contains(&self.text);
        let state = match self.state.as_str() {
            "draft" => r.draft,
            "published" => r.page.is_some(),
            "withheld" => !r.draft && !r.unreadable && r.page.is_none(),
            "unreadable" => r.unreadable,
            _ => true,
        };
        let findings = match self.findings.as_str() {
            "errors" => r.errors > 0,
            "any" => r.errors + r.warnings > 0,
            "none" => r.errors + r.warnings == 0,
            _ => true,
        };
        text && state
            && findings
            && (self.column.is_empty() || r.column == self.column)
            && (self.category.is_empty() || r.category == self.category)
            && (self.year.is_empty() || r.published.starts_with(&self.year))
    }
}

/// The state of a row in words.
fn state(r: &Row) -> &'static str {
    if r.unreadable {
        "无法读取"
    } else if r.draft {
        "草稿"
    } else if r.page.is_some() {
        "已发布"
    } else if r.kind == "栏目页" {
        "栏目页"
    } else {
        "不发布"
    }
}

/// A `<select>` with its label: `(value, text)` options, the chosen one selected.
fn select(id: &str, label: &str, options: &[(String, String)], chosen: &str) -> String {
    let options: String = options
        .iter()
        .map(|(v, t)| {
            format!(
                "<option value=\"{}\"{}>{}</option>",
                esc(v),
                if v == chosen { " selected" } else { "" },
                esc(t)
            )
        })
        .collect();
    format!("<div class=\"field\"><label for=\"{id}\">{label}</label><select id=\"{id}\" name=\"{id}\">{options}</select></div>")
}

/// The options of a filter by value: “all”, then each value found.
fn all_and(all: &str, values: Vec<String>) -> Vec<(String, String)> {
    std::iter::once((String::new(), all.to_string()))
        .chain(values.into_iter().map(|v| (v.clone(), v)))
        .collect()
}

/// Fixed options.
fn fixed(values: &[(&str, &str)]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|(v, t)| (v.to_string(), t.to_string()))
        .collect()
}

fn distinct(rows: &[Row], f: impl Fn(&Row) -> String) -> Vec<String> {
    let mut v: Vec<String> = rows.iter().map(f).filter(|s| !s.is_empty()).collect();
    v.sort();
    v.dedup();
    v
}

/// The list page.
pub fn list_page(
    rows: &[Row],
    filters: &Filters,
    site_name: &str,
    token: &str,
    note: Option<&str>,
) -> String {
    let shown: Vec<&Row> = rows.iter().filter(|r| filters.keeps(r)).collect();
    let with_errors = rows.iter().filter(|r| r.errors > 0).count();
    let drafts = rows.iter().filter(|r| r.draft).count();
    let mut years = distinct(rows, |r| r.published.chars().take(4).collect());
    years.reverse();
    let form = format!(
        r#"<form method="get" action="{PREFIX}" class="filters" role="search" aria-label="筛选文件">
<div class="field"><label for="q">标题、索引号或路径包含</label><input id="q" name="q" type="search" value="{text}"></div>
{column}{category}{year}{state}{findings}
<p class="buttons"><button type="submit">筛选</button> <a href="{PREFIX}">清除筛选</a></p>
</form>"#,
        text = esc(&filters.text),
        column = select(
            "column",
            "栏目",
            &all_and("全部栏目", distinct(rows, |r| r.column.clone())),
            &filters.column
        ),
        category = select(
            "category",
            "主题分类",
            &all_and("全部分类", distinct(rows, |r| r.category.clone())),
            &filters.category
        ),
        year = select(
            "year",
            "发布年份",
            &all_and("全部年份", years),
            &filters.year
        ),
        state = select(
            "state",
            "状态",
            &fixed(&[
                ("", "全部"),
                ("draft", "草稿"),
                ("published", "已发布"),
                ("withheld", "不发布（依申请公开、不予公开等）"),
                ("unreadable", "无法读取")
            ]),
            &filters.state
        ),
        findings = select(
            "findings",
            "审查",
            &fixed(&[
                ("", "全部"),
                ("errors", "有错误"),
                ("any", "有错误或警告"),
                ("none", "没有问题")
            ]),
            &filters.findings
        ),
    );
    let body: String = shown
        .iter()
        .map(|r| {
            let title = if r.title.is_empty() {
                r.path.to_string_lossy().into_owned()
            } else {
                r.title.clone()
            };
            let review = match (r.errors, r.warnings) {
                (0, 0) => "<span class=\"ok\">无</span>".to_string(),
                (e, w) => format!(
                    "{}{}",
                    if e > 0 { format!("<span class=\"sev-error\">{e} 个错误</span> ") } else { String::new() },
                    if w > 0 { format!("<span class=\"sev-warn\">{w} 个警告</span>") } else { String::new() }
                ),
            };
            let page = r
                .page
                .as_ref()
                .map(|p| format!("<a href=\"/{}\">查看页面<span class=\"visually-hidden\">：{}</span></a>", esc(p), esc(&title)))
                .unwrap_or_default();
            format!(
                "<tr><th scope=\"row\"><a href=\"{}\">{}</a><span class=\"path\">{}</span></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&edit_url(&r.path)),
                esc(&title),
                esc(&r.path.to_string_lossy()),
                esc(&r.index_no),
                esc(&r.published),
                esc(&r.disclosure),
                esc(&r.column),
                state(r),
                review,
                page
            )
        })
        .collect();
    let table = if shown.is_empty() {
        "<p>没有符合条件的文件。</p>".to_string()
    } else {
        format!(
            r#"<div class="table-wrap" tabindex="0" role="region" aria-labelledby="list-caption">
<table class="list">
<caption id="list-caption">显示 {n} 个文件（共 {total} 个，按路径排列）</caption>
<thead><tr><th scope="col">标题</th><th scope="col">索引号</th><th scope="col">发布日期</th><th scope="col">公开属性</th><th scope="col">栏目</th><th scope="col">状态</th><th scope="col">审查</th><th scope="col">预览</th></tr></thead>
<tbody>
{body}</tbody>
</table>
</div>"#,
            n = shown.len(),
            total = rows.len()
        )
    };
    let note = note
        .map(|n| format!("<p class=\"alert\" role=\"alert\">{}</p>", esc(n)))
        .unwrap_or_default();
    let main = format!(
        "<h1>文件列表</h1>\n{note}<p>共 {total} 个文件：{with_errors} 个有错误，{drafts} 个草稿。草稿按删除草稿标记（发布）后的状态审查。<a href=\"{PREFIX}new\">新建文件或导入 Word 公文</a></p>\n{form}\n{table}",
        total = rows.len()
    );
    layout("文件列表", Nav::List, site_name, token, &main)
}
