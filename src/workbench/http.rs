//! Plain requests and responses for the workbench, the security checks every request passes,
//! and the adapter from `serve`'s HTTP server.
//!
//! The workbench answers only a browser on this computer: the peer must be a loopback address
//! and the `Host` header must name the server by a loopback name and its port (a page on another
//! site that rebinds its DNS name to 127.0.0.1 sends its own name, and is refused). A request
//! that changes anything must also come from the workbench's own origin (`Origin`, and
//! `Sec-Fetch-Site` where the browser sends it) and carry the secret token of this run, which
//! only the workbench's own pages hold: a page the editor visits elsewhere can neither read it
//! nor guess it (CSRF).

use std::io::Read;
use std::net::SocketAddr;

/// An HTTP method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// HEAD.
    Head,
    /// POST.
    Post,
    /// Anything else (refused).
    Other(String),
}

/// A request, as plain data; the body is read by the handler, with a limit.
pub struct Request<'a> {
    /// Method.
    pub method: Method,
    /// Path and query, as received.
    pub url: String,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The peer's address.
    pub peer: Option<SocketAddr>,
    /// The declared body length.
    pub length: Option<u64>,
    /// The body.
    pub body: &'a mut dyn Read,
}

impl Request<'_> {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// The path without the query, percent-decoded (`None` when it is not UTF-8).
    pub fn path(&self) -> Option<String> {
        let p = self.url.split(['?', '#']).next().unwrap_or("");
        percent_encoding::percent_decode_str(p)
            .decode_utf8()
            .ok()
            .map(|s| s.into_owned())
    }
    /// The query's parameters.
    pub fn query(&self) -> super::form::Submitted {
        let q = self.url.split_once('?').map(|(_, q)| q).unwrap_or("");
        let q = q.split('#').next().unwrap_or("");
        super::form::Submitted::parse(q.as_bytes())
    }
    /// Reads the whole body, refusing more than `limit` bytes.
    pub fn read_body(&mut self, limit: u64) -> Result<Vec<u8>, Response> {
        if self.length.is_some_and(|n| n > limit) {
            return Err(too_large(limit));
        }
        let mut out = Vec::new();
        self.body
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| {
                Response::text(
                    400,
                    &format!("无法读取请求内容 (cannot read the request): {e}"),
                )
            })?;
        if out.len() as u64 > limit {
            return Err(too_large(limit));
        }
        Ok(out)
    }
}

/// `413` for a body over `limit` bytes.
pub fn too_large(limit: u64) -> Response {
    Response::text(
        413,
        &format!(
            "文件太大：超过上限 {}。上限在 gongkai.toml 的 [workbench] max_upload_mb 中设置 (the upload is larger than the limit)",
            size(limit)
        ),
    )
}

/// A size in MB or KB, for messages.
pub fn size(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / (1u64 << 20) as f64)
    } else {
        format!("{:.1} KB", n as f64 / 1024.0)
    }
}

/// A response, as plain data.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a content type.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }
    /// An HTML page.
    pub fn html(status: u16, body: String) -> Response {
        Response::new(status, "text/html; charset=utf-8", body.into_bytes())
    }
    /// Plain text (messages, Chinese first).
    pub fn text(status: u16, body: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            format!("{body}\n").into_bytes(),
        )
    }
    /// JSON.
    pub fn json(status: u16, v: &serde_json::Value) -> Response {
        Response::new(status, "application/json", v.to_string().into_bytes())
    }
    /// A `303 See Other` to `to`.
    pub fn redirect(to: &str) -> Response {
        let mut r = Response::new(303, "text/plain; charset=utf-8", Vec::new());
        r.headers.push(("Location".into(), to.into()));
        r
    }
    /// Adds a header.
    pub fn with(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Who may use the workbench, and the secret of this run.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The port the server listens on.
    pub port: u16,
    /// The per-run secret.
    pub token: String,
}

const LOOPBACK_NAMES: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

impl Guard {
    /// A guard with a fresh random token.
    pub fn new(port: u16) -> Result<Guard, String> {
        let mut bytes = [0u8; 24];
        getrandom::fill(&mut bytes)
            .map_err(|e| format!("无法取得随机数 (no random numbers): {e}"))?;
        Ok(Guard {
            port,
            token: bytes.iter().map(|b| format!("{b:02x}")).collect(),
        })
    }

    fn host_ok(&self, host: &str) -> bool {
        LOOPBACK_NAMES
            .iter()
            .any(|n| host.eq_ignore_ascii_case(&format!("{n}:{}", self.port)))
    }

    /// Checks that any request comes from this computer and names it. `Err` is the refusal.
    pub fn visitor(&self, req: &Request) -> Result<(), Response> {
        if !req.peer.is_some_and(|p| p.ip().is_loopback()) {
            return Err(Response::text(
                403,
                "工作台只接受本机浏览器访问：请在运行 gongkai serve 的电脑上打开 http://127.0.0.1:端口/_gongkai/ (the workbench answers this computer only)",
            ));
        }
        if !req.header("host").is_some_and(|h| self.host_ok(h)) {
            return Err(Response::text(
                403,
                &format!(
                    "请用 http://127.0.0.1:{}/_gongkai/ 打开工作台（请求的主机名不是本机）(the Host header must be this computer)",
                    self.port
                ),
            ));
        }
        match req.method {
            Method::Get | Method::Head | Method::Post => Ok(()),
            Method::Other(_) => {
                Err(Response::text(405, "405 Method Not Allowed").with("Allow", "GET, HEAD, POST"))
            }
        }
    }

    /// Checks a request that changes something: own origin and the token (from the
    /// `X-Gongkai-Token` header, or the `token` field of a form posted without JavaScript).
    pub fn change(&self, req: &Request, form_token: Option<&str>) -> Result<(), Response> {
        let refuse = |why: &str| {
            Err(Response::text(
                403,
                &format!("{why}。请从工作台页面操作；如果页面是在 gongkai serve 重新启动之前打开的，请刷新页面 (refused: {why_en})", why_en = "cross-site request or missing token"),
            ))
        };
        let own = |o: &str| {
            LOOPBACK_NAMES
                .iter()
                .any(|n| o.eq_ignore_ascii_case(&format!("http://{n}:{}", self.port)))
        };
        match req.header("origin") {
            Some(o) if own(o) => {}
            Some(_) => return refuse("请求来自其他网站，已拒绝"),
            None => return refuse("请求没有来源（Origin），已拒绝"),
        }
        if req
            .header("sec-fetch-site")
            .is_some_and(|s| s != "same-origin")
        {
            return refuse("请求来自其他网站，已拒绝");
        }
        let given = req.header("x-gongkai-token").or(form_token).unwrap_or("");
        if !same(given.as_bytes(), self.token.as_bytes()) {
            return refuse("请求没有带上工作台的口令，已拒绝");
        }
        Ok(())
    }
}

/// Compares in time independent of where the texts differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Headers every workbench response carries: never cached, never framed by another site, no
/// script but its own, no referrer that would carry a path elsewhere (`same-origin`, not
/// `no-referrer`: under `no-referrer` a browser sends `Origin: null` on its own POSTs).
pub fn secure(mut r: Response) -> Response {
    for (k, v) in [
        ("Cache-Control", "no-store"),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        (
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    ] {
        r.headers.push((k.into(), v.into()));
    }
    r
}

/// Answers a request of `serve`'s server through `handle`.
pub fn serve_tiny(mut req: tiny_http::Request, handle: &dyn Fn(&mut Request) -> Response) {
    let method = match req.method() {
        tiny_http::Method::Get => Method::Get,
        tiny_http::Method::Head => Method::Head,
        tiny_http::Method::Post => Method::Post,
        m => Method::Other(m.as_str().to_string()),
    };
    let headers = req
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_ascii_lowercase(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let url = req.url().to_string();
    let peer = req.remote_addr().copied();
    let length = req.body_length().map(|n| n as u64);
    let head = method == Method::Head;
    let res = {
        let mut plain = Request {
            method,
            url,
            headers,
            peer,
            length,
            body: req.as_reader(),
        };
        handle(&mut plain)
    };
    let mut out = tiny_http::Response::from_data(if head { Vec::new() } else { res.body })
        .with_status_code(res.status);
    for (k, v) in &res.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            out.add_header(h);
        }
    }
    let _ = req.respond(out);
}
