//! A real web server (issue 12): Debian's nginx serves the sample site with the documented
//! configuration, `deploy/nginx-xxgk.conf`, included unchanged (so the README and this test
//! cannot drift apart), built for `http://127.0.0.1:PORT/xxgk/` as a publisher builds for the
//! portal. nginx runs in the foreground as this user (`master_process off`), on a free loopback
//! port, with its prefix, pid file, logs and temp folders in a temp dir.
//!
//! Checked over HTTP: types (the engine as `application/wasm`), the precompressed copies, the
//! caching headers, the 404 page, folder redirects, and the redirect map `gongkai build` writes
//! (issue 13 item 2, issue 16 item 4): an old CMS address from `redirects.csv` (by path, and by
//! path and query), an old Chinese catalogue address and a document under `/xxgk/xxgk/` all
//! answer 301 with the new address, and the map itself is not served. In headless chromium
//! (`tests/browser/portal.mjs`): the home page has its CSS, a document page opens, the search
//! for 政务公开 lists the seed document first, and the first search of a fresh browser transfers
//! at most 600 KB for the engine and the index data. Both with precompression (the default of
//! `gongkai build`) and without (nginx compressing on the fly), printing the transferred KB.
//!
//! Needs `nginx`, its brotli module (`libnginx-mod-http-brotli-static`), `node`, `chromium` and
//! `npm ci` in tests/browser (`.ci/run` installs them). Without them it prints a skip notice,
//! unless `CI` is set: then it fails.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use gongkai::pipeline::{self, BuildOptions};

use crate::deploy::{header, http, WebServer};
use crate::harness::TODAY;

/// The documented configuration.
const SNIPPET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/nginx-xxgk.conf");
/// Debian's brotli module, which the snippet's `brotli_static` needs.
const BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";
/// The seed document, the first hit for 政务公开, under the base path: not under `/xxgk/xxgk/`
/// (issue 16).
const SEED: &str = "/xxgk/13502/2022-26273.html";
/// Its address before issue 16.
const SEED_OLD: &str = "/xxgk/xxgk/13502/2022-26273.html";

/// nginx's path, or why the test cannot run.
fn nginx() -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|d| d.join("nginx"))
        .find(|p| p.is_file())
        .ok_or("`nginx` is not installed (apt-get install nginx)")?;
    if !Path::new(BROTLI_MODULE).is_file() {
        return Err(format!(
            "{BROTLI_MODULE} is missing (apt-get install libnginx-mod-http-brotli-static)"
        ));
    }
    Ok(found)
}

/// A free loopback port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts nginx on `port` serving `www` (the portal's root) with the snippet, and in
/// `http { }` the redirect map of the column built into `www/xxgk/`, as the README says.
fn start_nginx(bin: &Path, www: &Path, port: u16) -> WebServer {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    let conf = format!(
        "load_module {BROTLI_MODULE};\n\
             daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n\
               include /etc/nginx/mime.types;\n\
               default_type application/octet-stream;\n\
               access_log {d}/access.log;\n\
               client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;\n\
               fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n\
               include {www}/xxgk/gongkai-redirects/nginx.conf;\n\
               server {{\n\
                 listen 127.0.0.1:{port};\n\
                 server_name 127.0.0.1;\n\
                 root {www};\n\
                 include {SNIPPET};\n\
               }}\n\
             }}\n",
        www = www.display()
    );
    let conf_path = dir.path().join("nginx.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let mut cmd = Command::new(bin);
    cmd.arg("-p")
        .arg(dir.path())
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .arg("-c")
        .arg(&conf_path);
    WebServer::start("nginx", cmd, dir, port)
}

/// Builds the sample site for `base_url` into `out`.
fn build(root: &Path, base_url: &str, out: &Path, precompress: bool) {
    let mut o = BuildOptions::new(root);
    o.base_url = Some(base_url.into());
    o.output = Some(out.to_path_buf());
    o.today = Some(TODAY.parse().unwrap());
    o.precompress = precompress;
    let r = pipeline::build(&o).expect("build runs");
    let errors = crate::harness::errors(&r);
    assert!(errors.is_empty(), "sample site has errors: {errors:#?}");
    assert!(r.written);
}

/// The `# transfer {...}` line of portal.mjs, as (engine KB, index KB, wasm encoding).
fn transfer(stdout: &str) -> (f64, f64, String) {
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("# transfer "))
        .expect("portal.mjs prints the transfer");
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    (
        v["engine_kb"].as_f64().unwrap(),
        v["index_kb"].as_f64().unwrap(),
        v["wasm_encoding"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn the_documented_nginx_config_serves_the_column() {
    let name = "nginx::the_documented_nginx_config_serves_the_column";
    let bin = match nginx() {
        Ok(b) => b,
        Err(why) => {
            if std::env::var_os("CI").is_some() {
                panic!("the nginx test cannot run on CI: {why}");
            }
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {name}: {why}. Install it to run this test (see .ci/run)."
            );
            return;
        }
    };
    let Some(chromium) = crate::browser::chromium_or_skip(name) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    crate::harness::copy_sample_site(&root);
    // The old CMS's addresses, as `gongkai import --catalogue` records them (the second by its
    // query string), and a row a test below proves is refused.
    std::fs::write(
        root.join("redirects.csv"),
        "old_url,new_url\n\
         http://www.chengde.gov.cn/art/2022/6/10/art_1234_5678.html,/xxgk/13502/2022-26273.html\n\
         http://www.chengde.gov.cn/jsp/info.jsp?id=42,/xxgk/zfxxgkzn/\n",
    )
    .unwrap();
    let www = dir.path().join("www");
    std::fs::create_dir_all(&www).unwrap();
    let port = free_port();
    let base_url = format!("http://127.0.0.1:{port}/xxgk/");
    let column = www.join("xxgk");
    // nginx reads the map when it starts: build first.
    build(&root, &base_url, &column, true);
    let server = start_nginx(&bin, &www, port);

    let mut figures = Vec::new();
    for precompress in [true, false] {
        build(&root, &base_url, &column, precompress);
        let read = |rel: &str| std::fs::read(column.join(rel)).unwrap();

        // Plain HTTP: what nginx sends for the documented configuration.
        let (status, h, body) = http(port, "GET", "/xxgk/", &[]);
        assert_eq!(status, 200, "{}", server.log());
        assert!(header(&h, "content-type").unwrap().starts_with("text/html"));
        assert_eq!(header(&h, "cache-control"), Some("no-cache"));
        assert!(body == read("index.html"));
        let wasm = "/xxgk/search/gongkai-search.wasm";
        let (status, h, body) = http(port, "GET", wasm, &[("Accept-Encoding", "br, gzip")]);
        assert_eq!(status, 200);
        assert_eq!(header(&h, "content-type"), Some("application/wasm"));
        if precompress {
            assert_eq!(header(&h, "content-encoding"), Some("br"));
            assert!(body == read("search/gongkai-search.wasm.br"));
            let (_, h, body) = http(port, "GET", wasm, &[("Accept-Encoding", "gzip")]);
            assert_eq!(header(&h, "content-encoding"), Some("gzip"));
            assert!(body == read("search/gongkai-search.wasm.gz"));
        }
        let (_, h, body) = http(port, "GET", wasm, &[]);
        assert_eq!(header(&h, "content-encoding"), None);
        assert!(body == read("search/gongkai-search.wasm"));
        let chunk = std::fs::read_dir(column.join("search/index"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| n.ends_with(".bin"))
            .unwrap();
        let (status, h, _) = http(port, "GET", &format!("/xxgk/search/index/{chunk}"), &[]);
        assert_eq!(status, 200);
        assert_eq!(
            header(&h, "cache-control"),
            Some("public, max-age=31536000, immutable"),
            "index chunks are named by their content"
        );
        let (status, _, body) = http(port, "GET", "/xxgk/no/such/page.html", &[]);
        assert_eq!(status, 404);
        assert!(body == read("404.html"), "the column's own 404 page");
        let (status, h, _) = http(port, "GET", "/xxgk/ml", &[]);
        assert_eq!(status, 301);
        assert!(header(&h, "location").unwrap().ends_with("/xxgk/ml/"));

        // Old addresses answer 301 with the new one; the new one is the page.
        let new = |p: &str| format!("http://127.0.0.1:{port}{p}");
        let catalogue_old =
            "/xxgk/ml/%E4%B8%BB%E9%A2%98%E5%88%86%E7%B1%BB/%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1/";
        for (old, to) in [
            (SEED_OLD.to_string(), new(SEED)),
            ("/art/2022/6/10/art_1234_5678.html".into(), new(SEED)),
            ("/jsp/info.jsp?id=42".into(), new("/xxgk/zfxxgkzn/")),
            (catalogue_old.into(), new("/xxgk/ml/ztfl/zhzw/")),
            // WeChat adds a query string to every shared link.
            (
                format!("{catalogue_old}?from=singlemessage&isappinstalled=0"),
                new("/xxgk/ml/ztfl/zhzw/"),
            ),
            (
                "/xxgk/fdzdgknr/%E6%B3%95%E8%A7%84%E6%96%87%E4%BB%B6/%E7%8E%B0%E8%A1%8C%E6%9C%89%E6%95%88/".into(),
                new("/xxgk/fdzdgknr/fgwj/xxyx/"),
            ),
        ] {
            let (status, h, _) = http(port, "GET", &old, &[]);
            assert_eq!(
                (status, header(&h, "location")),
                (301, Some(to.as_str())),
                "{old}\n{}",
                server.log()
            );
            let path = to.trim_start_matches(&new(""));
            let (status, _, _) = http(port, "GET", path, &[]);
            assert_eq!(status, 200, "{path}");
        }
        let (status, _, _) = http(port, "GET", "/jsp/info.jsp?id=43", &[]);
        assert_eq!(status, 404, "another query string is another page");
        let (status, _, _) = http(port, "GET", "/xxgk/gongkai-redirects/nginx.conf", &[]);
        assert_eq!(status, 404, "the map is for the server, not for the public");

        // A fresh browser.
        let mut args: Vec<String> = [
            "--url",
            &base_url,
            "--doc",
            SEED,
            "--query",
            "政务公开",
            "--expect-first",
            SEED,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if precompress {
            args.extend(["--max-kb".into(), "600".into()]);
        }
        let out = crate::browser::run_node(&chromium, "tests/browser/portal.mjs", &args);
        let (engine, index, coding) = transfer(&out);
        figures.push(format!(
            "{}: engine {engine} KB ({coding}) + index {index} KB = {:.1} KB",
            if precompress {
                "precompressed"
            } else {
                "without precompression (nginx gzip on the fly)"
            },
            engine + index
        ));
    }
    let _ = writeln!(
        std::io::stderr(),
        "nginx, first search of a fresh browser: {}",
        figures.join("; ")
    );
}
