//! What a first query downloads from built sites:
//! `cargo run --release -p gongkai-search --example cold -- PUBLIC_DIR… [-q QUERY]…`.
//!
//! For each site (`public/`) and each benchmark query (or the `-q` ones), a fresh reader answers
//! the query as a new browser would; prints hits, KiB, requests and rounds (see
//! `gongkai_search::bench::measure_published`). `cargo bench --bench search` does the same and
//! can also synthesise and build the sites.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut sites = Vec::new();
    let mut queries: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "-q" {
            queries.extend(args.get(i + 1).cloned());
            i += 2;
            continue;
        }
        sites.push(std::path::PathBuf::from(&args[i]));
        i += 1;
    }
    let queries: Vec<&str> = if queries.is_empty() {
        gongkai_search::bench::BENCH_QUERIES.to_vec()
    } else {
        queries.iter().map(String::as_str).collect()
    };
    for site in sites {
        let rows = gongkai_search::bench::measure_published(&site.join("search"), &queries)
            .unwrap_or_else(|e| panic!("{}: {e}", site.display()));
        gongkai_search::bench::print_cold_queries(&site.display().to_string(), &rows);
    }
}
