//! A real web server (issue 12): Debian's nginx serves the sample site with the documented
//! configuration, `deploy/nginx-xxgk.conf`, included unchanged (so the README and this test
//! cannot drift apart), built for `http://127.0.0.1:PORT/xxgk/` as a publisher builds for the
//! portal. nginx runs in the foreground as this user (`master_process off`), on a free loopback
//! port, with its prefix, pid file, logs and temp folders in a temp dir.
//!
//! Checked over HTTP: types (the engine as `application/wasm`), the precompressed copies, the
//! caching headers, the 404 page, folder redirects. In headless chromium
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
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gongkai::pipeline::{self, BuildOptions};

use crate::deploy::{header, http};
use crate::harness::TODAY;

/// The documented configuration.
const SNIPPET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/nginx-xxgk.conf");
/// Debian's brotli module, which the snippet's `brotli_static` needs.
const BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";
/// The seed document, the first hit for 政务公开, under the base path.
const SEED: &str = "/xxgk/xxgk/13502/2022-26273.html";

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

/// A foreground nginx; stopped (by its own pid) when dropped.
struct Nginx {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx on a free loopback port serving `www` (the portal's root) with the snippet.
    fn start(bin: &Path, www: &Path) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
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
        let child = Command::new(bin)
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(&conf_path)
            .stdin(Stdio::null())
            .spawn()
            .expect("start nginx");
        let mut n = Nginx { child, port, dir };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = n.child.try_wait() {
                panic!("nginx exited ({status}):\n{}", n.log());
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "nginx did not listen:\n{}",
                n.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        n
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
    let www = dir.path().join("www");
    std::fs::create_dir_all(&www).unwrap();
    let server = Nginx::start(&bin, &www);
    let base_url = format!("http://127.0.0.1:{}/xxgk/", server.port);
    let column = www.join("xxgk");
    let port = server.port;

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
