//! `gongkai search QUERY`: the site's search from the command line, for editors checking what a
//! citizen will find and for scripts (`--json`).
//!
//! It is a thin shell over `gongkai_search::search_dir`: the very engine the browser runs (same
//! code, same chunk files, same hits in the same order), reading the index that `gongkai build`
//! wrote under `public/search/`. It never builds anything: a missing or damaged index is reported
//! with the advice to run `gongkai build`, and the exit code is 2. Zero hits is a successful
//! search (exit 0).

use std::fmt::Write as _;
use std::path::PathBuf;

use gongkai_search::{SearchQuery, SearchResults, Sort};

use crate::cli::{SearchArgs, SearchSort};

/// The query the arguments describe.
pub fn query_from(args: &SearchArgs) -> SearchQuery {
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    SearchQuery {
        q: args.query.join(" "),
        category: clean(&args.category),
        // `二级` alone is read under the --category given (the index holds `一级\二级`).
        category_sub: clean(&args.category_sub).map(|s| match clean(&args.category) {
            Some(c) if !s.contains('\\') => gongkai_search::category_path(&c, &s),
            _ => s,
        }),
        issuer: clean(&args.issuer),
        year: clean(&args.year),
        kind: clean(&args.kind),
        validity: clean(&args.validity),
        sort: match args.sort {
            SearchSort::Relevance => Sort::Relevance,
            SearchSort::Date => Sort::Date,
        },
        limit: args.limit.clamp(1, gongkai_search::query::MAX_LIMIT),
        offset: args.offset,
        // Locally the columns and positions cost nothing to fetch: exact counts, and `--json`
        // prints the counts per filter value.
        facets: true,
        exact: true,
        budget: None,
    }
}

/// The folder holding `index/manifest.json`: `DIR/search` with `--dir DIR`, else
/// `ROOT/public/search`.
pub fn search_dir(args: &SearchArgs) -> PathBuf {
    args.dir
        .clone()
        .unwrap_or_else(|| args.root.join("public"))
        .join("search")
}

/// Plain text of an HTML fragment made by the engine (tags dropped, entities decoded).
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    // `&amp;` last, so `&amp;lt;` stays `&lt;`.
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The human-readable answer: notices, the count, then one block per hit.
pub fn render_human(results: &SearchResults, query: &SearchQuery) -> String {
    let mut out = String::new();
    for n in &results.notices {
        let _ = writeln!(out, "{}", n.message);
    }
    if !results.searched {
        return out;
    }
    let shown = results.hits.len();
    if results.total == 0 {
        let _ = writeln!(out, "没有找到结果 (no results)");
        return out;
    }
    if shown == 0 {
        let _ = writeln!(
            out,
            "找到 {0} 条结果 ({0} results)，第 {1} 条之后没有更多结果",
            results.total, query.offset
        );
        return out;
    }
    let _ = writeln!(
        out,
        "找到 {0} 条结果 ({0} results)，显示第 {1}–{2} 条",
        results.total,
        query.offset + 1,
        query.offset + shown
    );
    for (i, hit) in results.hits.iter().enumerate() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{:>3}. {}", query.offset + i + 1, hit.title);
        let date = if hit.published.is_empty() {
            "—"
        } else {
            hit.published.as_str()
        };
        let issuer = if hit.issuer.is_empty() {
            "—".to_string()
        } else {
            hit.issuer.join("、")
        };
        let _ = writeln!(
            out,
            "     发布日期 {date} · 发布机构 {issuer} · {}",
            hit.url
        );
        let snippet = strip_html(&hit.snippet_html);
        if !snippet.is_empty() {
            let _ = writeln!(out, "     {snippet}");
        }
    }
    out
}

/// Runs the command; returns the exit code.
pub fn run(args: SearchArgs) -> anyhow::Result<i32> {
    let query = query_from(&args);
    let dir = search_dir(&args);
    let results = match gongkai_search::search_dir(&dir, &query) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "gongkai: 无法读取检索索引 {}，请先运行 `gongkai build` 生成网站。\n\
                 cannot read the search index in {}: run `gongkai build` first.\n({e})",
                dir.display(),
                dir.display()
            );
            return Ok(super::EXIT_TROUBLE);
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        print!("{}", render_human(&results, &query));
    }
    Ok(super::EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::strip_html;

    #[test]
    fn strips_tags_and_decodes_entities() {
        assert_eq!(
            strip_html("…推进<mark>政务公开</mark> &amp; &lt;b&gt; &#39;x&#39;"),
            "…推进政务公开 & <b> 'x'"
        );
        assert_eq!(strip_html("&amp;lt;"), "&lt;");
    }
}
