//! Debian's Apache httpd serves the sample site with `deploy/apache-xxgk.conf` included unchanged
//! in a `<VirtualHost>` (only `/var/www/portal` replaced by the test's folder, as the README
//! tells publishers), in the foreground (`-X`) on a free loopback port.
//!
//! Checked over HTTP: the redirect map `gongkai build` writes (issue 13 item 2, issue 16 item 4)
//! answers 301 for an old CMS address by path, by path and query, for an old Chinese catalogue
//! address (with WeChat's query string) and for a document under `/xxgk/xxgk/`; the new pages
//! answer 200, another query 404, and the map itself is not served.
//!
//! Needs `apache2` (`.ci/run` installs it). Without it the test prints a skip notice, unless `CI`
//! is set: then it fails.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use gongkai::pipeline::{self, BuildOptions};

use crate::deploy::{header, http, WebServer};
use crate::harness::TODAY;

const SNIPPET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/apache-xxgk.conf");
const MODULES: &str = "/usr/lib/apache2/modules";

/// Starts a foreground Apache on `port` serving `www` with the README's snippet.
fn start_apache(www: &Path, port: u16) -> WebServer {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    let snippet = std::fs::read_to_string(SNIPPET)
        .unwrap()
        .replace("/var/www/portal", &www.display().to_string());
    std::fs::write(dir.path().join("snippet.conf"), snippet).unwrap();
    let modules: String = [
        ("mpm_event", "mod_mpm_event"),
        ("authz_core", "mod_authz_core"),
        ("dir", "mod_dir"),
        ("mime", "mod_mime"),
        ("rewrite", "mod_rewrite"),
        ("headers", "mod_headers"),
    ]
    .iter()
    .map(|(name, file)| format!("LoadModule {name}_module {MODULES}/{file}.so\n"))
    .collect();
    // As root, Apache's children must run as another user, who must read the site.
    let user = if is_root() {
        "User nobody\nGroup nogroup\n"
    } else {
        ""
    };
    let conf = format!(
            "ServerRoot {d}\nPidFile {d}/httpd.pid\nErrorLog {d}/error.log\n{modules}\
             TypesConfig /etc/mime.types\n{user}Listen 127.0.0.1:{port}\nServerName 127.0.0.1\n\
             <VirtualHost 127.0.0.1:{port}>\nDocumentRoot {www}\nInclude {d}/snippet.conf\n</VirtualHost>\n",
            www = www.display()
        );
    let conf_path = dir.path().join("httpd.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let mut cmd = Command::new("apache2");
    cmd.arg("-f")
        .arg(&conf_path)
        .arg("-X")
        .stdout(Stdio::null());
    WebServer::start("apache2", cmd, dir, port)
}

/// Whether this process runs as root (then Apache needs `User`/`Group`).
fn is_root() -> bool {
    std::env::var("USER").map(|u| u == "root").unwrap_or(false)
        || std::fs::read_to_string("/proc/self/status")
            .map(|s| {
                s.lines()
                    .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
            })
            .unwrap_or(false)
}

fn apache_or_skip(name: &str) -> bool {
    let found = [PathBuf::from("/usr/sbin/apache2")]
        .iter()
        .any(|p| p.is_file())
        && Path::new(MODULES).join("mod_rewrite.so").is_file();
    if found {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "the Apache test cannot run on CI: apache2 is not installed (apt-get install apache2)"
        );
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {name}: apache2 is not installed (apt-get install apache2; see .ci/run)."
    );
    false
}

#[test]
fn the_documented_apache_config_redirects_old_addresses() {
    if !apache_or_skip("apache::the_documented_apache_config_redirects_old_addresses") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    crate::harness::copy_sample_site(&root);
    std::fs::write(
        root.join("redirects.csv"),
        "old_url,new_url\n\
         http://www.chengde.gov.cn/art/2022/6/10/art_1234_5678.html,/xxgk/13502/2022-26273.html\n\
         http://www.chengde.gov.cn/jsp/info.jsp?id=42,/xxgk/zfxxgkzn/\n",
    )
    .unwrap();
    let www = dir.path().join("www");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut o = BuildOptions::new(&root);
    o.base_url = Some(format!("http://127.0.0.1:{port}/xxgk/"));
    o.output = Some(www.join("xxgk"));
    o.today = Some(TODAY.parse().unwrap());
    o.precompress = true;
    let r = pipeline::build(&o).expect("build runs");
    assert!(crate::harness::errors(&r).is_empty());
    // Apache's children (user nobody) read the site.
    let _ = Command::new("chmod")
        .arg("-R")
        .arg("o+rX")
        .arg(dir.path())
        .status();
    let server = start_apache(&www, port);

    let new = |p: &str| format!("http://127.0.0.1:{port}{p}");
    let catalogue_old =
        "/xxgk/ml/%E4%B8%BB%E9%A2%98%E5%88%86%E7%B1%BB/%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1/";
    for (old, to) in [
        (
            "/xxgk/xxgk/13502/2022-26273.html".to_string(),
            "/xxgk/13502/2022-26273.html",
        ),
        (
            "/art/2022/6/10/art_1234_5678.html".into(),
            "/xxgk/13502/2022-26273.html",
        ),
        ("/jsp/info.jsp?id=42".into(), "/xxgk/zfxxgkzn/"),
        (catalogue_old.into(), "/xxgk/ml/ztfl/zhzw/"),
        (
            format!("{catalogue_old}?from=singlemessage"),
            "/xxgk/ml/ztfl/zhzw/",
        ),
    ] {
        let (status, h, _) = http(port, "GET", &old, &[]);
        assert_eq!(
            (status, header(&h, "location")),
            (301, Some(new(to).as_str())),
            "{old}\n{}",
            server.log()
        );
        let (status, _, _) = http(port, "GET", to, &[]);
        assert_eq!(status, 200, "{to}\n{}", server.log());
    }
    let (status, _, _) = http(port, "GET", "/jsp/info.jsp?id=43", &[]);
    assert_eq!(status, 404);
    let (status, _, _) = http(port, "GET", "/xxgk/gongkai-redirects/apache.map", &[]);
    assert_eq!(status, 403, "the map is for the server, not for the public");
}
