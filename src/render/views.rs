//! What templates can read. Templates never see the model, only these view structs (Zola's
//! `ser.rs` habit): this file is the one place that decides what a theme can show.

use serde::Serialize;

use crate::config::Footer;
use crate::document::Document;
use crate::site::{Lifecycle, Site};

/// Site-wide values on every page.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// Site name.
    pub name: &'a str,
    /// Link prefix ending in `/`.
    pub base_path: &'a str,
    /// Absolute base URL.
    pub base_url: &'a str,
    /// 发布机构 of the site.
    pub org_name: &'a str,
    /// Footer identifiers.
    pub footer: &'a Footer,
    /// First-level columns for the navigation.
    pub nav: Vec<LinkView>,
    /// ICP record number's link (SPEC §5.1).
    pub icp_url: &'static str,
    /// 公安备案 link, with the record number's digits.
    pub police_url: String,
    /// The logo beside the site name (`[branding] logo`).
    pub logo: Option<ImageView>,
    /// 党政机关网站标识 (`[branding] gov_badge`).
    pub gov_badge: Option<ImageView>,
    /// The 公安备案 icon before the record number (`[branding] police_badge`).
    pub police_badge: Option<ImageView>,
}

/// A local image of the site's identity.
#[derive(Serialize)]
pub struct ImageView {
    /// Root-relative URL.
    pub url: String,
    /// Text alternative (empty for an image whose neighbouring text says it all).
    pub alt: String,
    /// Where the image links, if anywhere.
    pub link: String,
}

/// A link.
#[derive(Serialize, Clone, Hash)]
pub struct LinkView {
    /// Link text.
    pub title: String,
    /// Root-relative URL (with the base path).
    pub url: String,
    /// An extra line (a count, a date).
    pub note: String,
}

/// One row of a 目录 (SPEC §2: 索引号, 名称, 发布机构, 成文日期, 发布日期, 文号, 有效性).
#[derive(Serialize, Hash)]
pub struct DocRow {
    /// Page URL.
    pub url: String,
    /// 索引号.
    pub index_no: String,
    /// 名称.
    pub title: String,
    /// 发布机构.
    pub issuer: String,
    /// 成文日期.
    pub written: String,
    /// 发布日期.
    pub published: String,
    /// 文件编号.
    pub doc_no: String,
    /// 有效性 on the build date.
    pub validity: String,
    /// 文种.
    pub kind: String,
    /// 内容概述.
    pub summary: String,
    /// For a 政策解读: the policy it explains (filled in by the renderer, which knows the links).
    pub interprets: Option<LinkView>,
    /// For a 政策解读: its form (文字, 图解, 视频 …).
    pub interpretation_form: String,
}

impl DocRow {
    /// The row for a document.
    pub fn new(d: &Document, l: &Lifecycle, base: &str) -> DocRow {
        DocRow {
            url: format!("{base}{}", d.page_path()),
            index_no: d.index_no().to_string(),
            title: d.title.clone(),
            issuer: d.issuer_text(),
            written: d.written.map(|x| x.to_string()).unwrap_or_default(),
            published: d.published.map(|p| p.date.to_string()).unwrap_or_default(),
            doc_no: d.doc_no_text().unwrap_or_default().to_owned(),
            validity: l.validity.map(|v| v.to_string()).unwrap_or_default(),
            kind: d.kind.clone(),
            summary: d.summary.clone().unwrap_or_default(),
            interprets: None,
            interpretation_form: d.interpretation_form.clone().unwrap_or_default(),
        }
    }

    /// A hash of everything a row shows: what [`DocRow::new`] reads, plus the document it
    /// interprets (`Renderer::rows` adds that link). Computed without building the row, as
    /// `serve` does this for every document on every edit; keep the two in step.
    pub fn fingerprint(
        d: &Document,
        l: &Lifecycle,
        base: &str,
        interprets: Option<&Document>,
    ) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            base,
            d.page_path(),
            d.index_no().as_str(),
            &d.title,
            &d.issuers,
            d.written,
            d.published.map(|p| p.date),
            &d.doc_no,
            l.validity,
            &d.kind,
            &d.summary,
            &d.interpretation_form,
        )
            .hash(&mut h);
        interprets
            .map(|p| (&p.title, p.page_path(), &p.doc_no))
            .hash(&mut h);
        h.finish()
    }
}

/// Page numbers: 首页/上一页, a window of the current page ±2 with gaps, 尾页/下一页, and the
/// folder of the list of all pages (the "跳到第 N 页" form's target without JavaScript: a static
/// host cannot resolve `?n=N`, so that folder lists every page number as a link).
#[derive(Serialize)]
pub struct Pagination {
    /// Current page, from 1.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Rows in the whole list.
    pub rows: usize,
    /// First page URL (absent on the first page).
    pub first: Option<String>,
    /// Last page URL (absent on the last page).
    pub last: Option<String>,
    /// Previous page URL.
    pub prev: Option<String>,
    /// Next page URL.
    pub next: Option<String>,
    /// The window around the current page.
    pub pages: Vec<PageLink>,
    /// Pages hidden between 首页 and the window.
    pub gap_before: bool,
    /// Pages hidden between the window and 尾页.
    pub gap_after: bool,
    /// The list's first page (`page_url(…, 1)`): the jump form builds `page/N/` from it.
    pub home: String,
    /// The folder listing every page number (`…/page/`).
    pub index: String,
}

/// A link to one page of a list.
#[derive(Serialize)]
pub struct PageLink {
    /// Page number.
    pub n: usize,
    /// URL.
    pub url: String,
    /// True for the current page.
    pub current: bool,
}

/// The URL of page `n` of a list at `path`.
pub fn page_url(base: &str, path: &str, n: usize) -> String {
    if n <= 1 {
        format!("{base}{path}")
    } else {
        format!("{base}{path}page/{n}/")
    }
}

/// Every page of a list at `path`, for its page index (`page/index.html`).
pub fn all_pages(base: &str, path: &str, total: usize) -> Vec<PageLink> {
    (1..=total)
        .map(|n| PageLink {
            n,
            url: page_url(base, path, n),
            current: false,
        })
        .collect()
}

/// Builds the pagination block.
pub fn pagination(base: &str, path: &str, current: usize, total: usize, rows: usize) -> Pagination {
    let lo = current.saturating_sub(2).max(1);
    let hi = (current + 2).min(total);
    let pages = (lo..=hi)
        .map(|n| PageLink {
            n,
            url: page_url(base, path, n),
            current: n == current,
        })
        .collect();
    Pagination {
        current,
        total,
        rows,
        first: (current > 1).then(|| page_url(base, path, 1)),
        last: (current < total).then(|| page_url(base, path, total)),
        prev: (current > 1).then(|| page_url(base, path, current - 1)),
        next: (current < total).then(|| page_url(base, path, current + 1)),
        pages,
        gap_before: lo > 1,
        gap_after: hi < total,
        home: page_url(base, path, 1),
        index: format!("{base}{path}page/"),
    }
}

/// The site view for `site`.
pub fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    let base = c.base_path.as_str();
    let nav = site.columns[crate::site::ColumnId::HOME]
        .children
        .iter()
        .map(|&i| LinkView {
            title: site.columns[i].title.clone(),
            url: format!("{base}{}", site.columns[i].path),
            note: String::new(),
        })
        .collect();
    let b = &c.branding;
    let image = |i: &Option<crate::config::branding::Image>, alt: &str, link: &str| {
        i.as_ref().map(|i| ImageView {
            url: format!("{base}{}", i.output),
            alt: alt.to_string(),
            link: link.to_string(),
        })
    };
    let digits: String = c
        .footer
        .police
        .chars()
        .filter(|ch| ch.is_ascii_digit())
        .collect();
    SiteView {
        name: &c.site_name,
        base_path: base,
        base_url: &c.base_url,
        org_name: &c.org_name,
        footer: &c.footer,
        nav,
        icp_url: "https://beian.miit.gov.cn/",
        police_url: format!("https://beian.mps.gov.cn/#/query/webSearch?code={digits}"),
        logo: image(&b.logo, &b.logo_alt, ""),
        gov_badge: image(&b.gov_badge, &b.gov_badge_alt, &b.gov_badge_link),
        police_badge: image(&b.police_badge, "", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_of_a_long_list_shows_ends_and_a_window() {
        let p = pagination("/", "ml/", 250, 500, 9990);
        let ns: Vec<usize> = p.pages.iter().map(|l| l.n).collect();
        assert_eq!(ns, [248, 249, 250, 251, 252]);
        assert!(p.pages[2].current);
        assert!(p.gap_before && p.gap_after);
        assert_eq!(p.first.as_deref(), Some("/ml/"));
        assert_eq!(p.last.as_deref(), Some("/ml/page/500/"));
        assert_eq!(p.prev.as_deref(), Some("/ml/page/249/"));
        assert_eq!(p.next.as_deref(), Some("/ml/page/251/"));
        assert_eq!(p.index, "/ml/page/");

        let first = pagination("/", "ml/", 1, 500, 9990);
        assert!(first.first.is_none() && first.prev.is_none() && !first.gap_before);
        assert_eq!(first.pages.len(), 3);
        let last = pagination("/", "ml/", 3, 3, 50);
        assert!(last.last.is_none() && last.next.is_none());
        assert!(!last.gap_before && !last.gap_after, "pages 1–3 all shown");
    }
}
