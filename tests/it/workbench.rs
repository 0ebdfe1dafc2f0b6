//! The workbench of `gongkai serve` (issue 14): the header editor on every corpus document, and
//! the security, save and publish rules over real HTTP on loopback. The browser side (the form,
//! keyboard use, axe) is `tests/browser/workbench.mjs`, run by `workbench_in_a_real_browser`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gongkai::serve::{self, ServeOptions};
use gongkai::workbench::header::{self, Edit};
use serde_yaml::Value;

use crate::harness::{self, doc, Site};

// ---- the header editor on the corpus ----

fn parse(path: &Path, text: &str) -> gongkai::load::Source {
    gongkai::load::parse_source(path, text.as_bytes(), &mut Vec::new()).expect("loads")
}

/// The lines of `after` that are not in `before`, and those of `before` not in `after`, around
/// the common start and end: what a line diff shows.
fn diff<'a>(before: &'a str, after: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let a: Vec<&str> = before.split_inclusive('\n').collect();
    let b: Vec<&str> = after.split_inclusive('\n').collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (
        a[head..a.len() - tail].to_vec(),
        b[head..b.len() - tail].to_vec(),
    )
}

/// Lines only in `before`, and lines only in `after` (counted, in order).
fn lines_changed<'a>(before: &'a str, after: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let only = |a: &'a str, b: &'a str| {
        let mut rest: Vec<&str> = b.lines().collect();
        a.lines()
            .filter(|l| match rest.iter().position(|r| r == l) {
                Some(i) => {
                    rest.remove(i);
                    false
                }
                None => true,
            })
            .collect::<Vec<_>>()
    };
    (only(before, after), only(after, before))
}

/// Every field of `s` but `except`, as (value, key as written), and the body.
fn others(s: &gongkai::load::Source, except: &str) -> (Vec<(String, Value, String)>, String) {
    let fields = s
        .fields
        .iter()
        .filter(|(k, _)| **k != except)
        .map(|(k, f)| (k.to_string(), f.value.clone(), f.written_key.to_string()))
        .collect();
    (fields, s.body.to_string())
}

#[test]
fn header_edits_change_only_their_field_on_every_corpus_document() {
    let dir = harness::corpus_docs();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let expected = harness::manifest().len();
    assert_eq!(
        files.len(),
        expected,
        "every document of MANIFEST.tsv is in docs/"
    );
    let (mut changed, mut added, mut removed) = (0, 0, 0);
    for path in &files {
        let rel = Path::new("content").join(path.file_name().unwrap());
        let text = std::fs::read_to_string(path).unwrap();
        let before = parse(&rel, &text);

        // An existing field: exactly its line changes, and it reads back as set.
        let title = Value::String(format!(
            "{}（修订）",
            before.fields[&"title"].value.as_str().unwrap()
        ));
        let out = header::edit(&rel, &text, &[("title", Edit::Set(title.clone()))])
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (old, new) = diff(&text, &out);
        assert_eq!(
            (old.len(), new.len()),
            (1, 1),
            "{}: {old:?} → {new:?}",
            path.display()
        );
        assert!(
            old[0].starts_with(&*before.fields[&"title"].written_key),
            "{}",
            path.display()
        );
        let after = parse(&rel, &out);
        assert_eq!(after.fields[&"title"].value, title);
        assert_eq!(
            others(&after, "title"),
            others(&before, "title"),
            "{}",
            path.display()
        );
        changed += 1;

        // A field the document lacks: one line is added, nothing else moves.
        let key = ["summary", "keywords", "expires"]
            .into_iter()
            .find(|k| !before.fields.contains_key(k) && !before.empty.contains_key(k))
            .expect("one of them is missing");
        let value = Value::String("工作台测试".into());
        let out = header::edit(&rel, &text, &[(key, Edit::Set(value.clone()))]).unwrap();
        let (old, new) = diff(&text, &out);
        assert_eq!(
            (old.len(), new.len()),
            (0, 1),
            "{}: {new:?}",
            path.display()
        );
        let after = parse(&rel, &out);
        assert_eq!(after.fields.get(key).expect("the field").value, value);
        assert_eq!(others(&after, key), others(&before, key));
        added += 1;

        // A field removed: only its lines go.
        if let Some(f) = before.fields.get("source_url") {
            let out = header::edit(&rel, &text, &[("source_url", Edit::Remove)]).unwrap();
            let (old, new) = diff(&text, &out);
            assert!(
                new.is_empty() && old.len() == 1 && old[0].starts_with(&*f.written_key),
                "{}: {old:?}",
                path.display()
            );
            let after = parse(&rel, &out);
            assert!(!after.fields.contains_key("source_url"));
            assert_eq!(others(&after, "source_url"), others(&before, "source_url"));
            removed += 1;
        }
    }
    println!("{changed} documents: a field changed in each, {added} added, {removed} removed");
    assert_eq!(changed, expected);
    assert!(removed > 0, "the corpus has source_url fields to remove");
}

#[test]
fn header_edits_keep_comments_unknown_keys_and_the_body_of_the_sample_site() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for e in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let rel = e.path().strip_prefix(repo).unwrap();
        let text = std::fs::read_to_string(e.path()).unwrap();
        let before = parse(rel, &text);
        let out = header::edit(
            rel,
            &text,
            &[("weight", Edit::Set(Value::Number(7.into())))],
        )
        .unwrap();
        let (old, new) = diff(&text, &out);
        assert_eq!((old.len(), new.len()), (0, 1), "{}", rel.display());
        let after = parse(rel, &out);
        assert_eq!(others(&after, "weight"), others(&before, "weight"));
        // And back: removing what was added restores the file byte for byte.
        assert_eq!(
            header::edit(rel, &out, &[("weight", Edit::Remove)]).unwrap(),
            text,
            "{}",
            rel.display()
        );
    }
}

// ---- over HTTP ----

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// A raw request (nothing normalised by a client library).
fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (h, b) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Reply {
        status: h
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0),
        headers: h.to_string(),
        body: b.to_string(),
    }
}

/// `serve` on loopback, any free port, for the site at `root` with the tests' build date.
fn serve_site(root: &Path) -> serve::Server {
    let mut build = gongkai::pipeline::BuildOptions::new(root.canonicalize().unwrap());
    build.today = Some(harness::TODAY.parse().unwrap());
    serve::start(ServeOptions {
        build,
        bind: "127.0.0.1".into(),
        port: 0,
        verbose: false,
        quiet: true,
    })
    .expect("serve starts")
}

/// A served site and what a workbench page gives its browser.
struct Bench {
    _server: serve::Server,
    addr: String,
    origin: String,
    token: String,
    root: PathBuf,
}

impl Bench {
    fn start(site: &Site) -> Bench {
        let server = serve_site(site.root());
        let addr = server
            .url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let page = request(&addr, "GET", "/_gongkai/", &[], b"");
        assert_eq!(page.status, 200, "{}", page.body);
        let token = page
            .body
            .split("name=\"gongkai-token\" content=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the page holds the token")
            .to_string();
        Bench {
            origin: format!("http://{addr}"),
            _server: server,
            addr,
            token,
            root: site.root().canonicalize().unwrap(),
        }
    }

    /// A POST as the workbench's own page sends it.
    fn post(&self, path: &str, body: &[u8]) -> Reply {
        request(
            &self.addr,
            "POST",
            path,
            &[
                ("Origin", &self.origin),
                ("X-Gongkai-Token", &self.token),
                ("Accept", "application/json"),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Sec-Fetch-Site", "same-origin"),
            ],
            body,
        )
    }

    fn form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.post(path, body.as_bytes())
    }

    fn version(&self, rel: &str) -> String {
        gongkai::workbench::version(&std::fs::read(self.root.join(rel)).unwrap())
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }
}

fn draft_site() -> Site {
    let s = Site::new();
    s.file(
        "2024/a.md",
        &doc("13502/2024-00001", "已发布的通知", "", "正文"),
    );
    s.file(
        "2024/b.md",
        "---\ntitle: \"草稿\"\nindex_no: \"13502/2024-00002\"\nissuer: \"市政府办公室\"\nwritten: \"2024-01-02\"\npublished: \"2024-01-05\"\ndisclosure: \"主动公开\"\nkind: \"其他文件\"\nitem: \"20.15\"\ndraft: true\n---\n\n草稿正文\n",
    );
    s
}

#[test]
fn changes_need_the_token_and_the_workbench_origin() {
    let site = draft_site();
    let b = Bench::start(&site);
    let rel = "content/2024/b.md";
    let before = b.read(rel);
    let v = b.version(rel);
    let fields = format!("path={rel}&version={v}&shown=title&f.title=x");
    let tries: [(&str, Vec<(&str, &str)>); 6] = [
        ("no token", vec![("Origin", &b.origin)]),
        (
            "a wrong token",
            vec![("Origin", &b.origin), ("X-Gongkai-Token", "0000")],
        ),
        (
            "another site's origin",
            vec![
                ("Origin", "http://evil.example"),
                ("X-Gongkai-Token", &b.token),
            ],
        ),
        ("no origin", vec![("X-Gongkai-Token", &b.token)]),
        (
            "a cross-site fetch",
            vec![
                ("Origin", &b.origin),
                ("X-Gongkai-Token", &b.token),
                ("Sec-Fetch-Site", "cross-site"),
            ],
        ),
        (
            "a rebound host name",
            vec![
                ("Origin", "http://evil.example:1"),
                ("Host", "evil.example:1"),
                ("X-Gongkai-Token", &b.token),
            ],
        ),
    ];
    for (what, headers) in tries {
        for path in [
            "/_gongkai/save",
            "/_gongkai/new",
            "/_gongkai/attachments/remove",
        ] {
            let r = request(&b.addr, "POST", path, &headers, fields.as_bytes());
            assert_eq!(r.status, 403, "{what} on {path}: {}", r.body);
            assert!(
                r.body.contains("拒绝") || r.body.contains("本机"),
                "{what}: {}",
                r.body
            );
        }
    }
    // The token in the form body (a form posted without JavaScript) is as good as the header.
    let r = request(
        &b.addr,
        "POST",
        "/_gongkai/save",
        &[("Origin", &b.origin)],
        format!("token={}&{fields}", b.token).as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(b.read(rel).contains("title: \"x\""));
    // Reading is refused to another host name too (DNS rebinding), and framing elsewhere.
    let r = request(
        &b.addr,
        "GET",
        "/_gongkai/",
        &[("Host", "attacker.example")],
        b"",
    );
    assert_eq!(r.status, 403);
    let r = request(&b.addr, "GET", "/_gongkai/", &[], b"");
    assert!(r.headers.contains("X-Frame-Options: DENY"), "{}", r.headers);
    assert!(
        r.headers.contains("frame-ancestors 'none'"),
        "{}",
        r.headers
    );
    assert_ne!(before, b.read(rel));
    // The site itself still answers GET only.
    assert_eq!(
        request(&b.addr, "POST", "/index.html", &[], b"").status,
        405
    );
}

#[test]
fn paths_from_the_browser_stay_inside_content() {
    let site = draft_site();
    std::fs::write(site.root().join("secret.md"), "---\ntitle: x\n---\n").unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("o.md"), "---\ntitle: \"外面\"\n---\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/link")).unwrap();
    let b = Bench::start(&site);
    for p in [
        "../secret.md",
        "content/../secret.md",
        "content/%2e%2e/secret.md",
        "/etc/passwd",
        "content/link/o.md",
        "content/2024/../../secret.md",
        "content\\..\\secret.md",
    ] {
        let q: String = form_urlencoded::byte_serialize(p.as_bytes()).collect();
        let r = request(
            &b.addr,
            "GET",
            &format!("/_gongkai/edit?path={q}"),
            &[],
            b"",
        );
        assert!(r.status == 400 || r.status == 404, "{p}: {}", r.status);
        assert!(!r.body.contains("外面"), "{p}");
        let r = b.form(
            "/_gongkai/save",
            &[
                ("path", p),
                ("version", "x"),
                ("shown", "title"),
                ("f.title", "y"),
            ],
        );
        assert!(
            r.status == 400 || r.status == 404,
            "{p}: {} {}",
            r.status,
            r.body
        );
        let r = request(
            &b.addr,
            "GET",
            &format!("/_gongkai/file?path={q}"),
            &[],
            b"",
        );
        assert!(r.status == 400 || r.status == 404, "{p}: {}", r.status);
    }
    // Uploads: a name with a folder in it, or a hidden one, is refused and nothing is written.
    let rel = "content/2024/a.md";
    for name in [
        "../evil.pdf",
        "..%2F..%2Fevil.pdf",
        "%2E%2E%5Cevil.pdf",
        ".htaccess",
        "a.md",
        "%2Fetc%2Fx",
    ] {
        let url = format!(
            "/_gongkai/attachments/upload?path={rel}&name={name}&version={}",
            b.version(rel)
        );
        let r = b.post(&url, b"%PDF-1.4 x");
        assert_eq!(r.status, 400, "{name}: {}", r.body);
        assert!(r.body.contains("不能使用"), "{}", r.body);
    }
    let names: Vec<String> = harness::tree(&b.root).into_iter().map(|(p, _)| p).collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("evil") || n.contains("htaccess")),
        "{names:?}"
    );
    assert!(!outside.path().join("evil.pdf").exists());
}

fn limited_site(mb: u64) -> Site {
    let s = Site::with_config(&format!(
        "{}\n[workbench]\nmax_upload_mb = {mb}\n",
        harness::CONFIG
    ));
    s.file(
        "2024/a.md",
        &doc("13502/2024-00001", "已发布的通知", "", "正文"),
    );
    s
}

#[test]
fn attachments_are_uploaded_with_their_names_bounded_listed_and_removed() {
    let site = limited_site(1);
    let b = Bench::start(&site);
    let rel = "content/2024/a.md";
    let upload = |name: &str, bytes: &[u8]| {
        let q: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
        b.post(
            &format!(
                "/_gongkai/attachments/upload?path={rel}&name={q}&version={}",
                b.version(rel)
            ),
            bytes,
        )
    };
    let big = vec![b'x'; (1 << 20) + 1];
    let r = upload("大文件.pdf", &big);
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.body.contains("max_upload_mb"), "{}", r.body);
    assert!(!b.root.join("content/2024/a/大文件.pdf").exists());

    let r = upload("附件1 2024年预算表.pdf", b"%PDF-1.4 table");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        std::fs::read(b.root.join("content/2024/a/附件1 2024年预算表.pdf")).unwrap(),
        b"%PDF-1.4 table"
    );
    let text = b.read(rel);
    assert!(
        text.contains("attachments:\n  - path: \"a/附件1 2024年预算表.pdf\"\n    title: \"附件1 2024年预算表\"\n"),
        "{text}"
    );
    // The same name again is refused, not overwritten.
    let r = upload("附件1 2024年预算表.pdf", b"other");
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(
        std::fs::read(b.root.join("content/2024/a/附件1 2024年预算表.pdf")).unwrap(),
        b"%PDF-1.4 table"
    );
    // An empty file is refused.
    assert_eq!(upload("空.pdf", b"").status, 422);
    // The form lists it; the file can be opened from the workbench.
    let page = request(
        &b.addr,
        "GET",
        &format!("/_gongkai/edit?path={rel}"),
        &[],
        b"",
    );
    assert!(
        page.body.contains("value=\"a/附件1 2024年预算表.pdf\""),
        "{}",
        page.body
    );
    let q: String =
        form_urlencoded::byte_serialize("content/2024/a/附件1 2024年预算表.pdf".as_bytes())
            .collect();
    let f = request(
        &b.addr,
        "GET",
        &format!("/_gongkai/file?path={q}"),
        &[],
        b"",
    );
    assert_eq!((f.status, f.body.as_str()), (200, "%PDF-1.4 table"));
    // Removing takes the entry and the file away; the header is as it was.
    let r = b.form(
        "/_gongkai/attachments/remove",
        &[
            ("path", rel),
            ("version", &b.version(rel)),
            ("entry", "a/附件1 2024年预算表.pdf"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!b.root.join("content/2024/a").exists());
    assert_eq!(
        b.read(rel),
        doc("13502/2024-00001", "已发布的通知", "", "正文")
    );
}

#[test]
fn a_save_of_a_file_changed_since_it_was_opened_is_refused() {
    let site = draft_site();
    let b = Bench::start(&site);
    let rel = "content/2024/b.md";
    let opened = b.version(rel);
    // Someone else saves meanwhile (another window, a text editor).
    let theirs = b.read(rel).replace("草稿正文", "别人的修改");
    std::fs::write(b.root.join(rel), &theirs).unwrap();
    let r = b.form(
        "/_gongkai/save",
        &[
            ("path", rel),
            ("version", &opened),
            ("shown", "title"),
            ("f.title", "我的修改"),
        ],
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("在您打开之后已被修改"), "{}", r.body);
    assert_eq!(b.read(rel), theirs);
    // Two saves from one opened version: the first wins, the second is refused.
    let v = b.version(rel);
    let first = b.form(
        "/_gongkai/save",
        &[
            ("path", rel),
            ("version", &v),
            ("shown", "title"),
            ("f.title", "第一次"),
        ],
    );
    let second = b.form(
        "/_gongkai/save",
        &[
            ("path", rel),
            ("version", &v),
            ("shown", "title"),
            ("f.title", "第二次"),
        ],
    );
    assert_eq!((first.status, second.status), (200, 409));
    assert!(b.read(rel).contains("title: \"第一次\""));
}

/// The 事项 of the 标准目录 are offered as check boxes grouped by 领域 (issue 18 item 2): the
/// chosen one is checked under its written spelling, an unchanged save writes nothing, choosing
/// another changes only the `事项` line, and a value the catalogue does not know is kept.
#[test]
fn the_standard_catalogue_items_are_offered_as_choices() {
    let site = harness::fixture("standard");
    let b = Bench::start(&site);
    let rel = "content/2024/shenbao-yaoqiu.md";
    let before = b.read(rel);
    let page = request(
        &b.addr,
        "GET",
        &format!("/_gongkai/edit?path={}", rel.replace('/', "%2F")),
        &[],
        b"",
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let fieldset = page
        .body
        .split("<fieldset class=\"matters\"")
        .nth(1)
        .expect("a 事项 fieldset")
        .split("</fieldset>")
        .next()
        .unwrap();
    let boxes: Vec<&str> = fieldset.split("<input type=\"checkbox\"").skip(1).collect();
    let catalogue_entries: usize = std::fs::read_dir(b.root.join("catalogue"))
        .unwrap()
        .map(|f| {
            std::fs::read_to_string(f.unwrap().path())
                .unwrap()
                .lines()
                .filter(|l| l.starts_with("[[事项]]"))
                .count()
        })
        .sum();
    assert_eq!(boxes.len(), catalogue_entries, "one box per 二级事项");
    let checked: Vec<&&str> = boxes.iter().filter(|b| b.contains(" checked")).collect();
    assert_eq!(checked.len(), 1, "{fieldset}");
    assert!(checked[0].contains("value=\"zdjsxm-01\""), "{fieldset}");
    assert!(
        fieldset.contains("<summary>义务教育</summary>") && fieldset.contains("招生入学政策"),
        "grouped by 领域, named by 二级事项: {fieldset}"
    );
    let save = |values: &[&str], more: &str| {
        let version = b.version(rel);
        let mut fields = vec![
            ("path", rel),
            ("version", version.as_str()),
            ("shown", "matters"),
        ];
        fields.extend(values.iter().map(|v| ("f.matters", *v)));
        fields.push(("f.matters.more", more));
        b.form("/_gongkai/save", &fields)
    };
    let r = save(&["zdjsxm-01"], "");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(b.read(rel), before, "an unchanged form writes nothing");
    let r = save(&["zdjsxm-01", "ywjy-01"], "");
    assert_eq!(r.status, 200, "{}", r.body);
    let after = b.read(rel);
    let (gone, added) = lines_changed(&before, &after);
    assert_eq!(gone, vec!["事项: [\"zdjsxm-01\"]"], "{after}");
    assert_eq!(added.len(), 1, "{after}");
    assert!(
        added[0].starts_with("事项:")
            && added[0].contains("zdjsxm-01")
            && added[0].contains("ywjy-01"),
        "{after}"
    );
    // A reference the catalogue does not know: a published document is not saved with it …
    let saved = b.read(rel);
    let r = save(&["zdjsxm-01"], "义务教育/招生入学/不存在的事项");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("E008") && r.body.contains("不存在的事项"),
        "{}",
        r.body
    );
    assert_eq!(b.read(rel), saved);
    // … and one written in a text editor is kept in the text box, its finding beside it.
    std::fs::write(
        b.root.join(rel),
        before.replace(
            "事项: [\"zdjsxm-01\"]",
            "事项: [\"zdjsxm-01\", \"义务教育/不存在的事项\"]",
        ),
    )
    .unwrap();
    let page = request(
        &b.addr,
        "GET",
        &format!("/_gongkai/edit?path={}", rel.replace('/', "%2F")),
        &[],
        b"",
    );
    assert!(
        page.body
            .contains("name=\"f.matters.more\" value=\"义务教育/不存在的事项\""),
        "kept in the text box"
    );
    let findings = page.body.split("id=\"find-matters\">").nth(1).unwrap();
    let findings = findings.split("</ul>").next().unwrap();
    assert!(
        findings.contains("E008") && findings.contains("不存在的事项"),
        "{findings}"
    );
}

fn wait_for(seconds: u64, what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(seconds),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_new_document_is_published_only_once_its_errors_are_fixed() {
    let site = draft_site();
    let b = Bench::start(&site);
    let r = b.form(
        "/_gongkai/new",
        &[
            ("kind", "其他文件"),
            ("title", "关于工作台测试的通知"),
            ("folder", "content/2026"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r
        .headers
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap()
        .to_string();
    assert!(
        location.starts_with("/_gongkai/edit?path=content%2F2026%2F"),
        "{location}"
    );
    let rel = "content/2026/关于工作台测试的通知.md";
    let text = b.read(rel);
    assert!(
        text.contains("draft: true") && text.contains("index_no: \"13502/2026-"),
        "{text}"
    );
    let ledger = std::fs::read_to_string(b.root.join("gongkai-ledger.tsv")).unwrap();
    assert!(
        ledger.contains(rel),
        "the number is reserved in the ledger: {ledger}"
    );
    // The form shows the missing 主题分类 next to its field.
    let page = request(&b.addr, "GET", &location, &[], b"");
    let field = page
        .body
        .split("id=\"find-category\">")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    assert!(
        field.contains("P03") && field.contains("必填字段 category（主题分类）是空的"),
        "{field}"
    );
    // Publishing is refused while it is missing; the file stays a draft.
    let r = b.form(
        "/_gongkai/save",
        &[
            ("path", rel),
            ("version", &b.version(rel)),
            ("action", "publish"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("不能发布") && r.body.contains("P03"),
        "{}",
        r.body
    );
    assert_eq!(b.read(rel), text);
    // The live review of the corrected form has no error, and previews the page.
    let fix = [
        ("path", rel),
        ("shown", "category"),
        ("f.category", "综合政务"),
    ];
    let r = b.form("/_gongkai/review", &fix);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["errors"], 0, "{}", r.body);
    assert!(v["page"].as_str().unwrap().contains("关于工作台测试的通知"));
    let v = b.version(rel);
    let r = b.form(
        "/_gongkai/save",
        &[
            fix[0],
            fix[1],
            fix[2],
            ("version", &v),
            ("action", "publish"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let published = b.read(rel);
    assert!(
        !published.contains("draft") && !published.contains("草稿："),
        "{published}"
    );
    // Two changes: the field's line, and the draft line with its comment gone.
    let (old, new) = lines_changed(&text, &published);
    assert_eq!(new, vec!["category: \"综合政务\""]);
    assert_eq!(
        old,
        vec![
            "category: \"\"",
            "# 草稿：写完并审查后删除这一行才会发布",
            "draft: true"
        ]
    );
    // The rebuild follows the save: the page is served and listed in its catalogue.
    let no = text
        .split("index_no: \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let page_path = format!("/xxgk/{no}.html");
    wait_for(60, "the published page", || {
        request(&b.addr, "GET", &page_path, &[], b"").status == 200
    });
    // Withdrawing makes it a draft again, and the page goes.
    let r = b.form(
        "/_gongkai/save",
        &[
            ("path", rel),
            ("version", &b.version(rel)),
            ("action", "withdraw"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(b.read(rel).contains("draft: true"));
    wait_for(60, "the withdrawn page to go", || {
        request(&b.addr, "GET", &page_path, &[], b"").status == 404
    });
}

#[test]
fn the_workbench_is_not_in_builds_nor_in_the_static_preview() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    harness::copy_sample_site(&root);
    let mut opts = gongkai::pipeline::BuildOptions::new(&root);
    opts.today = Some(harness::TODAY.parse().unwrap());
    let report = gongkai::pipeline::build(&opts).unwrap();
    assert!(report.written);
    let files = harness::tree(&root.join("public"));
    assert!(!files
        .iter()
        .any(|(p, b)| p.contains("_gongkai") || String::from_utf8_lossy(b).contains("/_gongkai/")));
    let p = serve::static_preview::start(&root.join("public"), "/", "127.0.0.1", 0).unwrap();
    let addr = p
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    for path in [
        "/_gongkai/",
        "/_gongkai/new",
        "/_gongkai/edit?path=content/2025/caogao-tongzhi.md",
    ] {
        assert_eq!(request(&addr, "GET", path, &[], b"").status, 404, "{path}");
    }
    assert_eq!(
        request(&addr, "POST", "/_gongkai/save", &[], b"x").status,
        405
    );
}

/// Issue 14's browser test: `tests/browser/workbench.mjs` on `serve` over a copy of the sample
/// site (see that file for what it checks).
#[test]
fn workbench_in_a_real_browser() {
    let Some(chromium) = crate::browser::chromium_or_skip("workbench_in_a_real_browser") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    harness::copy_sample_site(&root);
    let site_root = root.canonicalize().unwrap();
    let server = serve_site(&site_root);
    // A Word 公文 from the corpus with an attachment beside it, and a file to attach.
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    let case = crate::gongwen_cases::sample(40)
        .into_iter()
        .find(|c| !c.beside.is_empty())
        .expect("a corpus case with an attachment beside it");
    let mut imports = vec![files.join("公文.docx")];
    std::fs::write(&imports[0], case.gongwen.to_docx()).unwrap();
    for (name, bytes) in &case.beside {
        std::fs::write(files.join(name), bytes).unwrap();
        imports.push(files.join(name));
    }
    let attachment = files.join("附件2 2026年预算明细表.xlsx");
    std::fs::write(&attachment, b"PK\x03\x04 not really a workbook").unwrap();
    // The 综合政务 page of the catalogue, at its short address (issue 16).
    let catalogue = "ml/ztfl/zhzw/".to_string();
    let mut args = vec![
        server.url.clone(),
        "--root".into(),
        site_root.to_string_lossy().into_owned(),
        "--attachment".into(),
        attachment.to_string_lossy().into_owned(),
        "--catalogue".into(),
        catalogue,
    ];
    for i in &imports {
        args.push("--import".into());
        args.push(i.to_string_lossy().into_owned());
    }
    crate::browser::run_node(&chromium, "tests/browser/workbench.mjs", &args);
    drop(server);
}
