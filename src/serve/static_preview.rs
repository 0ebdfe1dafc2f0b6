//! `gongkai serve --public [DIR]`: serves an already built `public/` as the portal will, so a
//! publisher can check exactly what they ship: under the site's base path (`/xxgk/` for
//! `https://www.example.gov.cn/xxgk/`), `index.html` for folders, the site's `404.html`, the
//! `.wasm` type, and the precompressed `.br`/`.gz` copies for browsers that accept them (as
//! nginx's `gzip_static`/`brotli_static` do). Nothing is built, watched or injected: no reload
//! script, the bytes on disk as they are.
//!
//! Only GET and HEAD (405 otherwise). Paths are resolved by [`super::http::lookup`] (no `..` in
//! any spelling) and a file must still lie inside the folder once symlinks are followed.

use std::path::{Path, PathBuf};

use super::http::{self, Lookup};

/// A running preview.
pub struct Preview {
    /// Where the site is (`http://127.0.0.1:1111/xxgk/`).
    pub url: String,
    /// The folder served.
    pub dir: PathBuf,
}

/// The base path a built site was made for, from the `Sitemap:` line `build` writes into its
/// `robots.txt` (which `--base-url` also sets); `None` when there is no such line.
pub fn base_path_of_built(dir: &Path) -> Option<String> {
    let robots = std::fs::read_to_string(dir.join("robots.txt")).ok()?;
    let url = robots
        .lines()
        .find_map(|l| l.strip_prefix("Sitemap:"))?
        .trim();
    let site = url.strip_suffix("sitemap.xml")?;
    crate::config::parse_base_url(site)
        .ok()
        .map(|(_, path)| path)
}

/// Starts serving `dir` at `base_path` on `bind:port`, on a few threads; returns once listening.
pub fn start(dir: &Path, base_path: &str, bind: &str, port: u16) -> anyhow::Result<Preview> {
    let dir = dir.canonicalize().map_err(|e| {
        anyhow::anyhow!(
            "找不到要预览的站点目录 {}: {e}。请先运行 gongkai build (cannot open the built site)",
            dir.display()
        )
    })?;
    if !dir.join(crate::write::MARKER).is_file() || !dir.join("index.html").is_file() {
        anyhow::bail!(
            "{} 不是 gongkai 构建出的站点目录（没有 index.html 或 {} 标记）。请先运行 gongkai build \
             (not a site built by gongkai)",
            dir.display(),
            crate::write::MARKER
        );
    }
    let server = tiny_http::Server::http((bind, port)).map_err(|e| {
        anyhow::anyhow!(
            "无法在 {bind}:{port} 上启动服务（端口可能已被占用；用 --port 指定其他端口）: {e}"
        )
    })?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(port);
    let url = format!("http://{bind}:{port}{base_path}");
    let server = std::sync::Arc::new(server);
    for _ in 0..4 {
        let server = server.clone();
        let dir = dir.clone();
        let base = base_path.to_string();
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                let res = respond(&dir, &base, &req);
                let _ = req.respond(res);
            }
        });
    }
    Ok(Preview { url, dir })
}

type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values here are ASCII")
}

fn text(status: u16, body: &str) -> Response {
    tiny_http::Response::from_data(body.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// The answer to one request.
fn respond(dir: &Path, base: &str, req: &tiny_http::Request) -> Response {
    use tiny_http::Method;
    if !matches!(req.method(), Method::Get | Method::Head) {
        return text(405, "405 Method Not Allowed").with_header(header("Allow", "GET, HEAD"));
    }
    let url = req.url();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == "/" && base != "/" {
        // The portal's root is not this site's; take the visitor to the column.
        return text(302, "").with_header(header("Location", base));
    }
    // The site's files, seen from the server's root: `xxgk/ml/index.html` → `ml/index.html`.
    let rel_base = base.trim_start_matches('/');
    let file_of = |key: &str| -> Option<PathBuf> {
        let inner = key.strip_prefix(rel_base)?;
        let p = dir.join(inner);
        // Symlinks must not lead out of the folder.
        let real = p.canonicalize().ok()?;
        (real.starts_with(dir) && real.is_file()).then_some(real)
    };
    match http::lookup(url, &|key| file_of(key).is_some()) {
        Lookup::File(key) => match file_of(&key) {
            Some(file) => send(&file, http::content_type(&key), 200, req),
            None => not_found(dir, req),
        },
        Lookup::Redirect(to) => text(301, "").with_header(header("Location", &to)),
        Lookup::BadRequest => text(400, "400 Bad Request"),
        Lookup::NotFound => not_found(dir, req),
    }
}

fn not_found(dir: &Path, req: &tiny_http::Request) -> Response {
    let page = dir.join("404.html");
    if page.is_file() {
        send(&page, "text/html; charset=utf-8", 404, req)
    } else {
        text(404, "404 Not Found")
    }
}

/// Sends `file`, or its `.br`/`.gz` copy when the browser accepts that encoding.
fn send(file: &Path, content_type: &str, status: u16, req: &tiny_http::Request) -> Response {
    let accepted = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Accept-Encoding"))
        .map(|h| h.value.as_str().to_string())
        .unwrap_or_default();
    let copy = [("br", "br"), ("gzip", "gz")]
        .into_iter()
        .filter(|(coding, _)| accepts(&accepted, coding))
        .map(|(coding, ext)| {
            let mut p = file.as_os_str().to_owned();
            p.push(format!(".{ext}"));
            (coding, PathBuf::from(p))
        })
        .find(|(_, p)| p.is_file());
    let (coding, path) = match &copy {
        Some((coding, p)) => (Some(*coding), p.as_path()),
        None => (None, file),
    };
    let Ok(bytes) = std::fs::read(path) else {
        return text(500, "500 无法读取文件 (cannot read the file)");
    };
    let mut res = tiny_http::Response::from_data(bytes)
        // A Content-Length, as a web server sends for a file, rather than chunks.
        .with_chunked_threshold(usize::MAX)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-cache"))
        .with_header(header("Vary", "Accept-Encoding"));
    if let Some(c) = coding {
        res = res.with_header(header("Content-Encoding", c));
    }
    res
}

/// True when an `Accept-Encoding` value accepts `coding` (listed, and not with `q=0`).
pub fn accepts(header: &str, coding: &str) -> bool {
    header.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        (name.eq_ignore_ascii_case(coding) || name == "*") && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn reads_accept_encoding() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip, deflate, br, zstd", "gzip"));
        assert!(!accepts("gzip, deflate", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(accepts("br;q=0.5", "br"));
        assert!(!accepts("", "gzip"));
    }
}
