//! What a first query downloads from built sites:
//! `cargo run --release -p gongkai-search --example cold -- PUBLIC_DIR… [-q QUERY]… [-f KEY=VALUE]… [--facets] [--exact]`.
//!
//! `--facets` asks every query for its facet counts (as the search page does while its filter
//! panel is open); `--exact` for exact counts (the page's "统计精确数量" link). `-f` adds a filter (`validity=有效`, `issuer=市财政局`, `year=2023`, `kind=…`, `category=…`,
//! `category_sub=一级\二级`) to one extra query without words: a listing, newest first.
//!
//! For each site (`public/`) and each benchmark query (or the `-q` ones), a fresh reader answers
//! the query as a new browser would; prints hits, KiB, requests and rounds (see
//! `gongkai_search::bench::measure_published`). `cargo bench --bench search` does the same and
//! can also synthesise and build the sites.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut sites = Vec::new();
    let mut queries: Vec<String> = Vec::new();
    let mut listing = gongkai_search::SearchQuery::default();
    let mut filtered = false;
    let mut facets = false;
    let mut exact = false;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--facets" {
            facets = true;
            i += 1;
            continue;
        }
        if args[i] == "--exact" {
            exact = true;
            i += 1;
            continue;
        }
        if args[i] == "-f" {
            let (k, v) = args[i + 1].split_once('=').expect("-f KEY=VALUE");
            let v = Some(v.to_string());
            match k {
                "category" => listing.category = v,
                "category_sub" => listing.category_sub = v,
                "issuer" => listing.issuer = v,
                "year" => listing.year = v,
                "kind" => listing.kind = v,
                "validity" => listing.validity = v,
                _ => panic!("unknown filter {k}"),
            }
            filtered = true;
            i += 2;
            continue;
        }
        if args[i] == "-q" {
            queries.extend(args.get(i + 1).cloned());
            i += 2;
            continue;
        }
        sites.push(std::path::PathBuf::from(&args[i]));
        i += 1;
    }
    let mut queries: Vec<gongkai_search::SearchQuery> = if queries.is_empty() && !filtered {
        gongkai_search::bench::BENCH_QUERIES
            .iter()
            .map(|q| gongkai_search::SearchQuery::new(*q))
            .collect()
    } else {
        queries
            .iter()
            .map(gongkai_search::SearchQuery::new)
            .collect()
    };
    if filtered {
        listing.sort = gongkai_search::Sort::Date;
        queries.push(listing);
    }
    for q in &mut queries {
        q.facets = facets;
        q.exact = exact;
    }
    for site in sites {
        let rows = gongkai_search::bench::measure_queries(&site.join("search"), &queries)
            .unwrap_or_else(|e| panic!("{}: {e}", site.display()));
        gongkai_search::bench::print_cold_queries(&site.display().to_string(), &rows);
    }
}
