//! The 年报 as HTML: the body of a 年报 document whose tables are computed (the `report.html`
//! fragment: six sections, accessible tables, after the document's own Markdown, plus links to
//! earlier reports), and `gongkai report --format html`.
//!
//! The view is a generic table model (header cells with `scope`, `rowspan`, `colspan`), so the
//! template renders the official form's merged cells accessibly without knowing its layout.

use serde::Serialize;

use crate::diag::{Code, Diagnostic};
use crate::labels::{
    REPORT_SECTIONS, TABLE3_COLUMNS, TABLE3_NOTE, TABLE3_RESULTS, TABLE3_ROWS, TABLE4_COLUMNS,
    TABLE4_GROUPS,
};
use crate::report::format::{amount, overview, preface};
use crate::report::AnnualReport;
use crate::site::DocId;

use super::views::LinkView;
use super::{tera_chain, Renderer};

/// Renders the report of document `i` into HTML for its page body.
pub(super) fn report_body(
    r: &Renderer,
    i: DocId,
    report: &AnnualReport,
) -> Result<String, Diagnostic> {
    let site = r.site;
    let d = &site.docs[i];
    let base = &site.config.base_path;
    let earlier: Vec<LinkView> = site
        .docs
        .enumerate()
        .filter(|(j, o)| {
            *j != i
                && o.kind == d.kind
                && match (o.report_year, o.sort_date(), d.sort_date()) {
                    (Some(y), _, _) => y < report.year,
                    (None, Some(a), Some(b)) => a < b,
                    _ => false,
                }
        })
        .map(|(_, o)| LinkView {
            title: o.title.clone(),
            url: format!("{base}{}", o.page_path()),
            note: o.published.map(|p| p.date.to_string()).unwrap_or_default(),
        })
        .collect();
    fragment(r.tera, report, &d.body.rendered()?.html, &earlier).map_err(|e| {
        Diagnostic::new(
            Code::E009,
            "templates/report.html",
            format!(
                "渲染 {} 的年报时模板出错: {}",
                d.page_path(),
                tera_chain(&e)
            ),
        )
        .help("检查模板中使用的变量名")
    })
}

/// A table cell for templates.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    /// Text.
    pub text: String,
    /// True for `<th>`.
    pub header: bool,
    /// `scope` of a header cell: `col`, `row`, `colgroup`, `rowgroup`; empty for data.
    pub scope: &'static str,
    /// `rowspan` (1 = none).
    pub rowspan: usize,
    /// `colspan` (1 = none).
    pub colspan: usize,
}

fn th(text: &str, scope: &'static str, rowspan: usize, colspan: usize) -> CellView {
    CellView {
        text: text.to_string(),
        header: true,
        scope,
        rowspan,
        colspan,
    }
}

fn td(text: impl ToString, colspan: usize) -> CellView {
    CellView {
        text: text.to_string(),
        header: false,
        scope: "",
        rowspan: 1,
        colspan,
    }
}

/// A table for templates: a caption, head rows, and body groups (one `<tbody>` each).
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    /// `<caption>`.
    pub caption: String,
    /// `<thead>` rows.
    pub head: Vec<Vec<CellView>>,
    /// `<tbody>` groups of rows.
    pub body: Vec<Vec<Vec<CellView>>>,
}

/// One of the six sections.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Anchor id (`nb-1` … `nb-6`).
    pub id: String,
    /// The exact heading (SPEC §4.1).
    pub heading: &'static str,
    /// Narrative, as sanitised HTML (may be empty).
    pub html: String,
    /// The section's table, if any.
    pub table: Option<TableView>,
}

/// The report as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// Report year.
    pub year: i32,
    /// Reporting body.
    pub issuer: String,
    /// Opening paragraph.
    pub preface: String,
    /// The six sections, in order.
    pub sections: Vec<SectionView>,
}

fn md_html(text: &str) -> String {
    crate::markdown::render(text, &|_| None).html
}

/// Table 2 in the official layout: four blocks, each with its 条例 item and column heads.
pub fn table2(r: &AnnualReport) -> TableView {
    let g = &r.regulations;
    let dec = &r.data.decisions;
    let block = |item: &str, head: &str, rows: Vec<(&str, String)>| {
        let mut out = vec![
            vec![th(item, "colgroup", 1, 4)],
            vec![th("信息内容", "col", 1, 1), th(head, "col", 1, 3)],
        ];
        out.extend(
            rows.into_iter()
                .map(|(l, v)| vec![th(l, "row", 1, 1), td(v, 3)]),
        );
        out
    };
    let kinds = |label: &str, k: &crate::report::KindCounts| {
        vec![
            th(label, "row", 1, 1),
            td(k.issued, 1),
            td(k.repealed, 1),
            td(k.in_force, 1),
        ]
    };
    TableView {
        caption: "主动公开政府信息情况".into(),
        head: vec![],
        body: vec![
            vec![
                vec![th("第二十条第（一）项", "colgroup", 1, 4)],
                vec![
                    th("信息内容", "col", 1, 1),
                    th("本年制发件数", "col", 1, 1),
                    th("本年废止件数", "col", 1, 1),
                    th("现行有效件数", "col", 1, 1),
                ],
                kinds("规章", &g.rules),
                kinds("行政规范性文件", &g.normative),
            ],
            block(
                "第二十条第（五）项",
                "本年处理决定数量",
                vec![("行政许可", dec.licensing.to_string())],
            ),
            block(
                "第二十条第（六）项",
                "本年处理决定数量",
                vec![
                    ("行政处罚", dec.penalty.to_string()),
                    ("行政强制", dec.coercion.to_string()),
                ],
            ),
            block(
                "第二十条第（八）项",
                "本年收费金额（单位：万元）",
                vec![("行政事业性收费", amount(dec.fees))],
            ),
        ],
    }
}

/// Table 3 with the official merged header and row groups.
pub fn table3(r: &AnnualReport) -> TableView {
    let head = vec![
        vec![
            td(TABLE3_NOTE, 3).with_rowspan(3),
            th("申请人情况", "colgroup", 1, 7),
        ],
        vec![
            th(TABLE3_COLUMNS[0], "col", 2, 1),
            th("法人或其他组织", "colgroup", 1, 5),
            th(TABLE3_COLUMNS[6], "col", 2, 1),
        ],
        TABLE3_COLUMNS[1..6]
            .iter()
            .map(|c| th(c, "col", 1, 1))
            .collect(),
    ];
    // Rows of 三、本年度办理结果: every row but 一, 二 and 四.
    let results = TABLE3_ROWS.len() - 3;
    let mut rows = Vec::new();
    for (i, (_, group, label)) in TABLE3_ROWS.iter().enumerate() {
        let values = r.data.table3.get(i).copied().unwrap_or_default();
        let mut row = Vec::new();
        let in_results = (2..TABLE3_ROWS.len() - 1).contains(&i);
        if !in_results {
            row.push(th(label, "row", 1, 3));
        } else {
            if i == 2 {
                row.push(th(TABLE3_RESULTS, "rowgroup", results, 1));
            }
            if group.is_empty() {
                row.push(th(label, "row", 1, 2));
            } else {
                let first_of_group = TABLE3_ROWS[i - 1].1 != *group;
                if first_of_group {
                    let n = TABLE3_ROWS.iter().filter(|x| x.1 == *group).count();
                    row.push(th(group, "rowgroup", n, 1));
                }
                row.push(th(label, "row", 1, 1));
            }
        }
        row.extend(values.iter().map(|v| td(v, 1)));
        rows.push(row);
    }
    TableView {
        caption: "收到和处理政府信息公开申请情况".into(),
        head,
        body: vec![rows],
    }
}

impl CellView {
    fn with_rowspan(mut self, n: usize) -> CellView {
        self.rowspan = n;
        self
    }
}

/// Table 4: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉), five numbers each.
pub fn table4(r: &AnnualReport) -> TableView {
    let mut third: Vec<CellView> = Vec::new();
    for _ in 0..2 {
        third.extend(TABLE4_COLUMNS.iter().map(|c| th(c, "col", 1, 1)));
    }
    let mut second: Vec<CellView> = TABLE4_COLUMNS.iter().map(|c| th(c, "col", 2, 1)).collect();
    second.push(th(TABLE4_GROUPS[1].1, "colgroup", 1, 5));
    second.push(th(TABLE4_GROUPS[2].1, "colgroup", 1, 5));
    let values: Vec<CellView> = r
        .data
        .table4
        .iter()
        .flat_map(|g| g.iter().map(|v| td(v, 1)))
        .collect();
    TableView {
        caption: "政府信息公开行政复议、行政诉讼情况".into(),
        head: vec![
            vec![
                th(TABLE4_GROUPS[0].1, "colgroup", 1, 5),
                th("行政诉讼", "colgroup", 1, 10),
            ],
            second,
            third,
        ],
        body: vec![vec![values]],
    }
}

/// The view for the `report.html` template.
pub fn view(r: &AnnualReport) -> ReportView {
    let text = &r.data.text;
    let sections = REPORT_SECTIONS
        .iter()
        .enumerate()
        .map(|(i, heading)| {
            let (html, table) = match i {
                0 => (md_html(&overview(r)), None),
                1 => (String::new(), Some(table2(r))),
                2 => (String::new(), Some(table3(r))),
                3 => (String::new(), Some(table4(r))),
                4 => (md_html(&text.problems), None),
                _ => (md_html(&text.other), None),
            };
            SectionView {
                id: format!("nb-{}", i + 1),
                heading,
                html,
                table,
            }
        })
        .collect();
    ReportView {
        year: r.year,
        issuer: r.issuer.clone(),
        preface: preface(r.year),
        sections,
    }
}

/// The report as Markdown (for `gongkai report --format md`): the six headings and
/// A standalone HTML document around the report fragment (for `--format html`).
pub fn standalone_html(title: &str, fragment: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>table{{border-collapse:collapse;margin:1em 0}}th,td{{border:1px solid #888;padding:.3em .5em}}td{{text-align:right}}caption{{font-weight:bold}}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n{fragment}\n</main>\n</body>\n</html>\n",
        super::escape_html(title),
        super::escape_html(title)
    )
}

/// Renders the `report.html` fragment: `intro_html` (the 年报 document's own text, if any),
/// the six sections, and links to earlier reports.
pub fn fragment(
    tera: &tera::Tera,
    report: &AnnualReport,
    intro_html: &str,
    earlier: &[LinkView],
) -> Result<String, tera::Error> {
    let mut ctx = tera::Context::new();
    ctx.insert("report", &view(report));
    ctx.insert("intro_html", intro_html);
    ctx.insert("earlier", earlier);
    tera.render("report.html", &ctx)
}
