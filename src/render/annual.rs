//! The body of a 年报 document whose tables are computed: the `report.html` fragment (six
//! sections, accessible tables) after the document's own Markdown, plus links to earlier reports.

use crate::diag::Diagnostic;
use crate::report::AnnualReport;

use super::views::LinkView;
use super::{tera_chain, Renderer};

/// Renders the report of document `i` into HTML for its page body.
pub(super) fn report_body(
    r: &Renderer,
    i: usize,
    report: &AnnualReport,
) -> Result<String, Diagnostic> {
    let site = r.site;
    let d = &site.docs[i];
    let base = &site.config.base_path;
    let earlier: Vec<LinkView> = site
        .docs
        .iter()
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
    crate::report::render::fragment(r.tera, report, &d.body.html, &earlier).map_err(|e| {
        Diagnostic::new(
            "E009",
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
