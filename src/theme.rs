//! The default theme, embedded in the binary, and the override chain.
//!
//! `themes/default/` in this repository is compiled in (Zola's habit), so a site needs no theme
//! folder at all. A site overrides any file by placing one with the same name in
//! `ROOT/themes/<theme>/templates|static/` or, for templates, `ROOT/templates/`, and adds static
//! files in `ROOT/static/`. Later sources win. `load::theme` reads the site's files over these.

/// The default taxonomy data file (SPEC §3.3).
pub const DEFAULT_TAXONOMY: &str = include_str!("../themes/default/data/taxonomy.toml");

macro_rules! embed {
    ($($name:literal),* $(,)?) => { &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*] };
}

/// Default templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "macros.html",
    "home.html",
    "list.html",
    "pages.html",
    "hub.html",
    "page.html",
    "document.html",
    "facet.html",
    "404.html",
    "sitemap.html",
    "search.html",
    "register.html",
    "report.html",
    "interpretations.html",
    "statement.html",
    "contact.html",
    "standard_index.html",
    "standard_area.html",
    "standard_entry.html",
);

/// Default static files: (path under `static/`, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    (
        "css/site.css",
        include_bytes!("../themes/default/static/css/site.css"),
    ),
    (
        "js/care.js",
        include_bytes!("../themes/default/static/js/care.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
    (
        "js/page.js",
        include_bytes!("../themes/default/static/js/page.js"),
    ),
];
