//! Pages outside the column tree: the 网站地图, 网站声明, 联系我们, 404 and the search page.

use serde::Serialize;
use tera::Context;

use super::context::Renderer;
use super::Page;
use crate::site::{ColumnId, Site};

/// The site-wide pages, in the order they are written.
pub(super) fn pages(r: &Renderer) -> Vec<Page> {
    let site = r.site;
    let mut out = Vec::new();
    let mut ctx = Context::new();
    let tree: Vec<TreeNode> = tree_nodes(site, ColumnId::HOME);
    ctx.insert("tree", &tree);
    ctx.insert("facets", &r.facet_links());
    out.push(r.page(
        "sitemap.html",
        "wzdt/index.html".into(),
        r.meta("网站地图", "wzdt/index.html", None),
        ctx,
    ));
    // 网站声明 and 联系我们 (SPEC §5.1 footer links).
    let mut wctx = Context::new();
    let statement = &site.config.footer.statement;
    wctx.insert(
        "statement_html",
        &if statement.trim().is_empty() {
            String::new()
        } else {
            crate::markdown::render(statement, &|_| None).html
        },
    );
    out.push(r.page(
        "statement.html",
        "wzsm/index.html".into(),
        r.meta("网站声明", "wzsm/index.html", None),
        wctx,
    ));
    out.push(r.page(
        "contact.html",
        "lxwm/index.html".into(),
        r.meta("联系我们", "lxwm/index.html", None),
        Context::new(),
    ));
    out.push(r.page(
        "404.html",
        "404.html".into(),
        r.meta("页面不存在", "404.html", None),
        Context::new(),
    ));
    let mut sctx = Context::new();
    sctx.insert("facets", &r.facet_links());
    out.push(r.page(
        "search.html",
        "search/index.html".into(),
        r.meta("信息检索", "search/index.html", None),
        sctx,
    ));
    out
}

/// The column tree for the 网站地图 page.
#[derive(Serialize)]
struct TreeNode {
    title: String,
    url: String,
    children: Vec<TreeNode>,
}

fn tree_nodes(site: &Site, i: ColumnId) -> Vec<TreeNode> {
    let base = &site.config.base_path;
    site.columns[i]
        .children
        .iter()
        .map(|&j| TreeNode {
            title: site.columns[j].title.clone(),
            url: format!("{base}{}", site.columns[j].path),
            children: tree_nodes(site, j),
        })
        .collect()
}
