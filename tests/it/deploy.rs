//! From a built site to the portal (issue 12): what `gongkai --version` says, the checks on
//! `--base-url`, builds into a full or read-only place, precompressed files, and the preview of
//! an already-built `public/` (`gongkai serve --public`).

use std::process::Command;

use crate::harness::{self, errors, fixture, tree, TODAY};

/// `gongkai --version` names the version, the commit the binary was built from and the tantivy
/// version of the index format, so a publisher can say exactly what made a site.
#[test]
fn version_names_commit_and_tantivy() {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let tantivy = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"tantivy\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .unwrap()
        .trim_matches('"');
    assert!(
        text.starts_with(&format!("gongkai {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains(&format!("tantivy {tantivy}")), "{text}");
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success());
    match head {
        Some(h) => {
            let h = String::from_utf8(h.stdout).unwrap();
            assert!(
                text.contains(&format!("commit {}", h.trim())),
                "{text} vs HEAD {h}"
            );
        }
        None => assert!(text.contains("commit unknown"), "{text}"),
    }
}

/// A bad `--base-url` is refused before anything is written: the previous site stays, and the
/// message says what is wrong and gives an example, in Chinese first.
#[test]
fn a_bad_base_url_is_refused_and_explained() {
    let s = fixture("small");
    assert!(s.build().written);
    let before = tree(&s.public());
    for (url, says) in [
        (
            "www.example.gov.cn/xxgk/",
            "不是以 http:// 或 https:// 开头",
        ),
        (
            "https://www.example.gov.cn/xxgk/?from=portal",
            "带有查询参数",
        ),
        ("https://www.example.gov.cn/xxgk/#top", "带有锚点"),
        ("https:///xxgk/", "缺少域名"),
    ] {
        let mut o = s.options();
        o.base_url = Some(url.into());
        let r = gongkai::pipeline::build(&o).unwrap();
        assert!(!r.written, "{url} was accepted");
        let e = errors(&r);
        assert_eq!(e.len(), 1, "{url}: {e:#?}");
        assert_eq!(e[0].file, std::path::PathBuf::from("--base-url"));
        assert!(e[0].message.contains(says), "{url}: {}", e[0].message);
        assert!(
            e[0].message.contains("https://www.example.gov.cn/xxgk/"),
            "{url}: the message shows an example: {}",
            e[0].message
        );
        assert_eq!(tree(&s.public()), before, "{url} changed public/");
    }
    // The same rules hold for base_url in gongkai.toml.
    s.edit(
        "gongkai.toml",
        "https://www.example.gov.cn/",
        "https://www.example.gov.cn/xxgk/?a=1",
    );
    let r = s.build();
    assert!(!r.written);
    assert!(
        errors(&r)
            .iter()
            .any(|d| d.field.as_deref() == Some("base_url") && d.message.contains("带有查询参数")),
        "{:#?}",
        errors(&r)
    );
}

/// The sample site built with precompression twice: the same bytes both times; every `.gz` and
/// `.br` holds exactly its file; the engine and the index have them; images and attachments do
/// not; the engine's brotli copy is within the 600 KB budget.
#[test]
fn precompressed_copies_are_faithful_and_the_same_every_build() {
    use std::io::Read as _;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    harness::copy_sample_site(&root);
    let build = |out: &str| {
        let mut o = gongkai::pipeline::BuildOptions::new(&root);
        o.today = Some(TODAY.parse().unwrap());
        o.output = Some(dir.path().join(out));
        o.precompress = true;
        assert!(gongkai::pipeline::build(&o).unwrap().written);
        tree(&dir.path().join(out))
    };
    let first = build("one");
    assert_eq!(first, build("two"), "two builds differ");
    let files: std::collections::BTreeMap<&str, &[u8]> = first
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let (mut gz, mut br) = (0, 0);
    for (path, bytes) in &files {
        let (original, coding) = match (path.strip_suffix(".gz"), path.strip_suffix(".br")) {
            (Some(o), _) => (o, "gzip"),
            (_, Some(o)) => (o, "br"),
            _ => continue,
        };
        let original_bytes = files
            .get(original)
            .unwrap_or_else(|| panic!("{path} without {original}"));
        let mut back = Vec::new();
        if coding == "gzip" {
            gz += 1;
            flate2::read::GzDecoder::new(*bytes)
                .read_to_end(&mut back)
                .unwrap();
        } else {
            br += 1;
            brotli::Decompressor::new(*bytes, 4096)
                .read_to_end(&mut back)
                .unwrap();
        }
        assert!(
            back == *original_bytes,
            "{path} does not decompress to {original}"
        );
        assert!(bytes.len() < original_bytes.len(), "{path} is not smaller");
        assert!(
            gongkai::compress::worth_compressing(original),
            "{original} should not be compressed"
        );
    }
    assert!(gz > 20 && br >= 1, "{gz} .gz, {br} .br");
    assert!(
        !files.contains_key("index.html.gz"),
        "pages are compressed by the server"
    );
    for must in [
        "catalogue.json.gz",
        "css/site.css.gz",
        "search/gongkai-search.wasm.gz",
        "search/gongkai-search.wasm.br",
        "search/index/manifest.json.gz",
    ] {
        assert!(files.contains_key(must), "{must} missing");
    }
    let engine_br = files["search/gongkai-search.wasm.br"].len();
    println!(
        "engine: {} bytes, {} gzip, {engine_br} brotli",
        files["search/gongkai-search.wasm"].len(),
        files["search/gongkai-search.wasm.gz"].len()
    );
    assert!(engine_br <= 600_000, "engine brotli {engine_br} B > 600 KB");
}

/// A small tmpfs mounted on a temp folder, unmounted when dropped. Mounting needs root (CI runs
/// as root); elsewhere the tests that need one print a skip notice (and fail under CI).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(test: &str, size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir }),
            other => {
                let why = match other {
                    Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
                    Err(e) => e.to_string(),
                };
                if std::env::var_os("CI").is_some() {
                    panic!("deploy::{test} needs a tmpfs and cannot mount one on CI: {why}");
                }
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED deploy::{test}: cannot mount a tmpfs ({why}); run the tests as root"
                );
                None
            }
        }
    }

    fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    fn remount(&self, mode: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(self.path())
            .status()
            .unwrap()
            .success();
        assert!(ok, "remount {mode}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.path()).status();
    }
}

/// `gongkai build` of the site at `root` into `out` (the binary, as a publisher runs it).
fn build_into(root: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "-q", "--today", TODAY, "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap()
}

/// The sample site, with its seed document's title changed (so a rebuild has new bytes to write).
fn edit_seed(root: &std::path::Path) {
    let p = root.join("content/2022/chengde-2022-zwgk-gongzuo-yaodian.md");
    let text = std::fs::read_to_string(&p).unwrap();
    let edited = text.replacen("工作要点的通知", "工作要点的通知（修订）", 1);
    assert_ne!(
        text, edited,
        "the seed document's title is where this test expects it"
    );
    std::fs::write(p, edited).unwrap();
}

/// Issue 12: the output folder is on a disk that fills up during the build. The build fails with
/// exit code 2 and says, in Chinese first, that the disk is full and the site was left as it was;
/// the previous public/ is byte for byte what it was, and no half-written folder is left behind.
#[test]
fn a_full_disk_leaves_the_previous_site_intact() {
    let Some(disk) = Tmpfs::mount("a_full_disk_leaves_the_previous_site_intact", "16m") else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    harness::copy_sample_site(site.path());
    let public = disk.path().join("public");
    let first = build_into(site.path(), &public);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = tree(&public);
    // Fill what is left of the disk.
    {
        use std::io::Write as _;
        let mut filler = std::fs::File::create(disk.path().join("filler")).unwrap();
        let block = vec![0u8; 64 * 1024];
        while filler.write_all(&block).is_ok() {}
    }
    edit_seed(site.path());
    let out = build_into(site.path(), &public);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("磁盘空间不足"), "{stderr}");
    assert!(stderr.contains("保持原样"), "{stderr}");
    assert!(stderr.contains("disk is full"), "{stderr}");
    assert!(tree(&public) == before, "public/ changed");
    let mut left: Vec<String> = std::fs::read_dir(disk.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["filler", "public"]);
}

/// Issue 12: the folder that holds public/ is read-only. The build fails with exit code 2 and
/// says so; public/ is unchanged.
#[test]
fn a_read_only_output_parent_leaves_the_previous_site_intact() {
    let Some(disk) = Tmpfs::mount(
        "a_read_only_output_parent_leaves_the_previous_site_intact",
        "16m",
    ) else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    harness::copy_sample_site(site.path());
    let public = disk.path().join("public");
    assert!(build_into(site.path(), &public).status.success());
    let before = tree(&public);
    disk.remount("ro");
    edit_seed(site.path());
    let out = build_into(site.path(), &public);
    let stderr = String::from_utf8_lossy(&out.stderr);
    disk.remount("rw");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("没有写入权限"), "{stderr}");
    assert!(stderr.contains("保持原样"), "{stderr}");
    assert!(tree(&public) == before, "public/ changed");
}

/// One HTTP/1.1 request to 127.0.0.1:`port` → (status, headers in lower case, body).
pub(crate) fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `gongkai serve --public`: the built sample site (base_url …/xxgk/) at /xxgk/, its files as
/// they are on disk (no reload script), the precompressed copy the browser accepts, the 404
/// page, folder redirects, and nothing but GET and HEAD, nothing outside the folder.
#[test]
fn the_static_preview_serves_the_built_site_as_a_portal_would() {
    use gongkai::serve::static_preview;
    let dir = tempfile::tempdir().unwrap();
    harness::copy_sample_site(dir.path());
    let public = dir.path().join("public");
    assert!(build_into(dir.path(), &public).status.success());
    let base = static_preview::base_path_of_built(&public).unwrap();
    assert_eq!(base, "/xxgk/");
    let preview = static_preview::start(&public, &base, "127.0.0.1", 0).unwrap();
    let port: u16 = preview
        .url
        .trim_end_matches("/xxgk/")
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let read = |rel: &str| std::fs::read(public.join(rel)).unwrap();

    let (status, h, body) = http(port, "GET", "/xxgk/", &[]);
    assert_eq!(status, 200);
    assert_eq!(header(&h, "content-type"), Some("text/html; charset=utf-8"));
    assert!(
        body == read("index.html"),
        "the home page is served as built"
    );
    assert!(!String::from_utf8_lossy(&body).contains("EventSource"));

    let wasm = "/xxgk/search/gongkai-search.wasm";
    for (accept, coding, file) in [
        (
            "gzip, deflate, br, zstd",
            Some("br"),
            "search/gongkai-search.wasm.br",
        ),
        (
            "gzip, deflate",
            Some("gzip"),
            "search/gongkai-search.wasm.gz",
        ),
        (
            "br;q=0, gzip",
            Some("gzip"),
            "search/gongkai-search.wasm.gz",
        ),
        ("identity", None, "search/gongkai-search.wasm"),
    ] {
        let (status, h, body) = http(port, "GET", wasm, &[("Accept-Encoding", accept)]);
        assert_eq!(status, 200, "{accept}");
        assert_eq!(header(&h, "content-type"), Some("application/wasm"));
        assert_eq!(header(&h, "content-encoding"), coding, "{accept}");
        assert_eq!(header(&h, "vary"), Some("Accept-Encoding"));
        assert!(body == read(file), "{accept}: not {file}");
    }
    let (status, h, body) = http(port, "HEAD", wasm, &[]);
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert_eq!(header(&h, "content-type"), Some("application/wasm"));

    let (status, h, _) = http(port, "GET", "/xxgk/ml", &[]);
    assert_eq!((status, header(&h, "location")), (301, Some("/xxgk/ml/")));
    let (status, h, _) = http(port, "GET", "/", &[]);
    assert_eq!((status, header(&h, "location")), (302, Some("/xxgk/")));

    let (status, _, body) = http(port, "GET", "/xxgk/no/such/page.html", &[]);
    assert_eq!(status, 404);
    assert!(body == read("404.html"));
    let (status, _, _) = http(port, "GET", "/elsewhere/index.html", &[]);
    assert_eq!(status, 404, "only the base path is the site");

    for method in ["POST", "PUT", "DELETE"] {
        let (status, h, _) = http(port, method, "/xxgk/", &[]);
        assert_eq!(status, 405, "{method}");
        assert_eq!(header(&h, "allow"), Some("GET, HEAD"));
    }
    // The site root's own gongkai.toml sits beside public/: out of reach in every spelling.
    for path in [
        "/xxgk/../gongkai.toml",
        "/xxgk/%2e%2e/gongkai.toml",
        "/xxgk/..%2fgongkai.toml",
    ] {
        let (status, _, body) = http(port, "GET", path, &[]);
        assert_eq!(status, 400, "{path}");
        assert!(!String::from_utf8_lossy(&body).contains("site_name"));
    }
}

/// A web server (nginx, Apache) run in the foreground for a test, its configuration and
/// `error.log` in `dir`; stopped when dropped.
pub(crate) struct WebServer {
    child: std::process::Child,
    dir: tempfile::TempDir,
}

impl WebServer {
    /// Spawns `cmd` and waits until it listens on `port` (panics with its log if it does not).
    pub(crate) fn start(
        what: &str,
        mut cmd: std::process::Command,
        dir: tempfile::TempDir,
        port: u16,
    ) -> WebServer {
        let child = cmd
            .stdin(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {what}: {e}"));
        let mut s = WebServer { child, dir };
        let log = s.dir.path().join("error.log");
        wait_listening(what, &mut s.child, port, &|| {
            std::fs::read_to_string(&log).unwrap_or_default()
        });
        s
    }

    /// Its `error.log` so far.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for WebServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until a server started as `child` listens on `port` (10 s at most); panics with its
/// log when it exits or never listens.
pub(crate) fn wait_listening(
    what: &str,
    child: &mut std::process::Child,
    port: u16,
    log: &dyn Fn() -> String,
) {
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited ({status}):\n{}", log());
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{what} did not listen:\n{}",
            log()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
