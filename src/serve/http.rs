//! HTTP for `serve`: answers from the in-memory site only (there is no file-system access, so no
//! request can reach a file outside the output), injects the live-reload script into HTML, and
//! shows the last build error as an overlay.

use std::sync::Arc;

/// The path of the server-sent-events endpoint.
pub const EVENTS: &str = "/__gongkai/events";

/// How a request path resolves.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Serve this key of the site map.
    File(String),
    /// Redirect to the same path with a trailing slash.
    Redirect(String),
    /// A malformed or traversing path.
    BadRequest,
    /// Not in the site.
    NotFound,
}

/// Resolves a request URL (path and query) against the set of site paths.
pub fn lookup(url: &str, has: &dyn Fn(&str) -> bool) -> Lookup {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return Lookup::BadRequest;
    };
    if !decoded.starts_with('/') || decoded.contains('\0') || decoded.contains('\\') {
        return Lookup::BadRequest;
    }
    let rel = decoded.trim_start_matches('/');
    if rel.split('/').any(|seg| seg == ".." || seg == ".") {
        return Lookup::BadRequest;
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if !crate::write::is_safe_relative(&key) {
        return Lookup::BadRequest;
    }
    if has(&key) {
        return Lookup::File(key);
    }
    if has(&format!("{key}/index.html")) {
        return Lookup::Redirect(format!("{path}/"));
    }
    Lookup::NotFound
}

/// True for the methods a static site answers: GET and HEAD. Anything else (POST, PUT, DELETE,
/// OPTIONS …) would change something or means nothing here, and answering it with a page tells a
/// client, or a scanner, that it worked.
pub fn is_read_method(method: &tiny_http::Method) -> bool {
    matches!(method, tiny_http::Method::Get | tiny_http::Method::Head)
}

/// `405 Method Not Allowed` with the `Allow` header RFC 9110 §15.5.6 requires.
pub fn method_not_allowed() -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let header = |k: &str, v: &str| {
        tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("ASCII header")
    };
    tiny_http::Response::from_data(b"405 Method Not Allowed: only GET and HEAD\n".to_vec())
        .with_status_code(405)
        .with_header(header("Allow", "GET, HEAD"))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// Content type by extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// The script `serve` adds to every HTML page (never to `build` output).
pub const RELOAD_SCRIPT: &str = concat!(
    "<script>(function(){var s=new EventSource('",
    "/__gongkai/events",
    "');s.onmessage=function(e){if(e.data==='reload'){location.reload();}};})();</script>"
);

/// Adds the reload script, and the error overlay when the last build failed.
pub fn inject(html: &[u8], overlay: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut extra = String::from(RELOAD_SCRIPT);
    if let Some(o) = overlay {
        extra.push_str(o);
    }
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

/// The overlay that shows build errors over the last good page.
pub fn overlay(errors: &[String]) -> String {
    let items: String = errors
        .iter()
        .take(50)
        .map(|e| format!("<li><pre>{}</pre></li>", crate::render::escape_html(e)))
        .collect();
    format!(
        "<div id=\"gongkai-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff3f3;color:#5a0000;border-top:4px solid #a8151b;padding:1rem;font:14px/1.5 monospace;z-index:99999\"><strong>构建失败，仍显示上一次成功的页面 (build failed; showing the last good site)</strong><ul>{items}</ul></div>"
    )
}

/// The site being served: path → bytes.
pub type SiteFiles = rustc_hash::FxHashMap<String, Arc<Vec<u8>>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn has(p: &str) -> bool {
        [
            "index.html",
            "ml/index.html",
            "xxgk/1/2.html",
            "ml/主题分类/index.html",
        ]
        .contains(&p)
    }

    #[test]
    fn resolves_folders_and_files() {
        assert_eq!(lookup("/", &has), Lookup::File("index.html".into()));
        assert_eq!(
            lookup("/ml/?page=2", &has),
            Lookup::File("ml/index.html".into())
        );
        assert_eq!(lookup("/ml", &has), Lookup::Redirect("/ml/".into()));
        assert_eq!(
            lookup("/xxgk/1/2.html", &has),
            Lookup::File("xxgk/1/2.html".into())
        );
        assert_eq!(
            lookup("/ml/%E4%B8%BB%E9%A2%98%E5%88%86%E7%B1%BB/", &has),
            Lookup::File("ml/主题分类/index.html".into())
        );
        assert_eq!(lookup("/nope.html", &has), Lookup::NotFound);
    }

    #[test]
    fn refuses_traversal_in_every_spelling() {
        for u in [
            "/../etc/passwd",
            "/ml/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2fgongkai.toml",
            "/a\\..\\b",
            "/%00",
            "/%ff%fe",
            "relative",
        ] {
            assert_eq!(lookup(u, &|_| true), Lookup::BadRequest, "{u}");
        }
    }

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", None)).unwrap();
        assert!(out.contains("EventSource"));
        assert!(out.ends_with("</script></body></html>"));
    }
}
