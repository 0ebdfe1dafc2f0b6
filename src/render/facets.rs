//! The 目录's facet pages: one index per facet (主题分类, 发布机构 …) and a paginated list
//! per value.

use tera::Context;

use super::context::{ColumnView, FacetView, Renderer};
use super::views::LinkView;
use super::{fingerprint, Page};

impl Renderer<'_> {
    pub(super) fn facet_links(&self) -> Vec<FacetView> {
        let base = &self.site.config.base_path;
        self.site
            .facets
            .iter()
            .map(|f| FacetView {
                name: f.name.to_string(),
                url: format!("{base}{}", f.path),
                values: f
                    .values
                    .iter()
                    .map(|v| LinkView {
                        title: v.value.clone(),
                        url: format!("{base}{}", v.path),
                        note: v.docs.len().to_string(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// What every facet page shares, computed once per run.
    pub(super) fn facet_shared(&self) -> FacetShared {
        let facets = self.facet_links();
        FacetShared {
            catalogue: self
                .site
                .columns
                .position(|c| c.path == format!("{}/", crate::labels::CATALOGUE.0)),
            // Every value page holds the same facet links: hash them once, not as JSON per page.
            fp: fingerprint(&facets),
            facets,
        }
    }

    /// Each facet's own page (the list of its values).
    pub(super) fn facet_index_pages(&self, shared: &FacetShared) -> Vec<Page> {
        let FacetShared {
            catalogue, facets, ..
        } = shared;
        let mut out = Vec::new();
        for (f, fv) in self.site.facets.iter().zip(facets) {
            let path = &f.path;
            let mut ctx = Context::new();
            ctx.insert("facet", fv);
            ctx.insert("facets", facets);
            let file = format!("{path}index.html");
            let crumb = [LinkView {
                title: f.name.to_string(),
                url: fv.url.clone(),
                note: String::new(),
            }];
            out.push(self.page(
                "facet.html",
                file.clone(),
                self.meta_below(&format!("按{}浏览", f.name), &file, *catalogue, &crumb),
                ctx,
            ));
        }
        out
    }

    /// The paginated list of one facet value (the `v`th value of the `f`th facet).
    pub(super) fn facet_value_pages(&self, shared: &FacetShared, f: usize, v: usize) -> Vec<Page> {
        let (f, v) = (&self.site.facets[f], &self.site.facets[f].values[v]);
        let name = f.name;
        let mut ctx = Context::new();
        let column = ColumnView {
            title: format!("{name}：{}", v.value),
            url: format!("{}{}", self.site.config.base_path, v.path),
            description: String::new(),
            feed_url: String::new(),
            empty_text: String::new(),
        };
        ctx.insert("column", &column);
        ctx.insert("children", &Vec::<LinkView>::new());
        ctx.insert("intro_html", "");
        ctx.insert("updated", "");
        ctx.insert("facets", &shared.facets);
        ctx.insert("show_validity", &true);
        // The rest of `ctx` is the same on every value page.
        let extra_fp = fingerprint(&(&column, shared.fp));
        let base = &self.site.config.base_path;
        let tail = [
            LinkView {
                title: name.to_string(),
                url: format!("{base}{}", f.path),
                note: String::new(),
            },
            LinkView {
                title: v.value.clone(),
                url: column.url.clone(),
                note: String::new(),
            },
        ];
        self.list_pages(
            "list.html",
            &column.title,
            &v.path,
            (shared.catalogue, &tail),
            &v.docs,
            (&ctx, extra_fp),
        )
    }
}

/// What every facet page of a run shares.
pub(super) struct FacetShared {
    catalogue: Option<crate::site::ColumnId>,
    facets: Vec<FacetView>,
    fp: u64,
}
