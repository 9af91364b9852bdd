//! The one HTTP client cbkit sends with, as a vendor's sender does: `replay`, `probe` and `demo`
//! deliver callbacks through it, and `listen --forward-to` relays requests to the user's app
//! through it. Both sides want the same things from it (no redirects followed, a per-request
//! deadline, byte-for-byte bodies, errors a user can act on), so they are kept in one place.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::http::{HttpReply, HttpRequest};

/// A client that behaves like a vendor's sender: no redirects followed (a redirecting receiver
/// must be seen as one), no proxy, `insecure` accepts self-signed certificates, and connections
/// kept alive between deliveries as an HTTP/1.1 client keeps them (tests/keepalive.rs).
pub fn sender(insecure: bool) -> reqwest::Result<reqwest::blocking::Client> {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .danger_accept_invalid_certs(insecure)
        .user_agent(concat!("cbkit/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// The client `listen --forward-to` relays with: no redirects followed (vendors follow none),
/// and otherwise transparent: the relayed request keeps its sender's own headers.
pub fn relay() -> reqwest::Result<reqwest::blocking::Client> {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// Check a URL cbkit is about to send to, before anything is sent: it must parse, name a host,
/// and use http or https. A URL that fails here would fail every attempt the same way, so it is
/// an input error (exit 2) with a suggestion, never a delivery to retry. `field` names the
/// input in the error (`url`, `forward-to`).
pub fn check_url(field: &str, input: &str) -> Result<()> {
    let url = input.trim();
    if url.is_empty() {
        return Err(Error::missing(field, ""));
    }
    let bad = |detail: String| Err(Error::malformed(field, detail));
    match url::Url::parse(url) {
        Ok(u) if u.scheme() == "http" || u.scheme() == "https" => {
            if u.host_str().is_none_or(str::is_empty) {
                return bad(format!("{url} names no host"));
            }
            Ok(())
        }
        Ok(u) => {
            let scheme = u.scheme();
            let rest = &url[scheme.len() + 1..];
            match rest.strip_prefix("//") {
                // `localhost:5001/wemeet`: a host and port read as a scheme.
                None if port_first(rest) => bad(missing_scheme(url)),
                Some(after) => bad(format!(
                    "unsupported scheme {scheme}: cbkit sends over http or https; did you mean {}://{after}?",
                    if scheme.ends_with('s') {
                        "https"
                    } else {
                        "http"
                    }
                )),
                None => bad(format!(
                    "unsupported scheme {scheme}: cbkit sends over http or https; did you mean http://{url}?"
                )),
            }
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => bad(missing_scheme(url)),
        Err(e) => bad(format!("{url} is not a valid URL: {e}")),
    }
}

/// Does `rest` (what follows `word:`) start with a port number, as in `localhost:5001/x`?
fn port_first(rest: &str) -> bool {
    let port = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !port.is_empty() && port.parse::<u16>().is_ok()
}

/// The error for a URL without a scheme, suggesting the same URL over http.
fn missing_scheme(url: &str) -> String {
    // `http//host` and `//host` lost part of the scheme; anything else lost all of it.
    let tail = ["http//", "https//", "//"]
        .iter()
        .find_map(|p| url.strip_prefix(p).map(|t| (p.starts_with("https"), t)));
    let suggestion = match tail {
        Some((true, t)) => format!("https://{t}"),
        Some((false, t)) => format!("http://{t}"),
        None => format!("http://{url}"),
    };
    format!("{url} has no scheme: did you mean {suggestion}?")
}

/// One extra header, as curl and xh spell it: `Name: value` adds the header or replaces every
/// header of that name, `Name:` removes it, `Name;` sends it with an empty value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderEdit {
    pub name: String,
    /// `None`: remove the header.
    pub value: Option<String>,
}

impl HeaderEdit {
    /// Parse `Name: value`, `Name:` or `Name;`; `field` names the input in the error.
    pub fn parse(field: &str, input: &str) -> Result<HeaderEdit> {
        let bad = |detail: String| Err(Error::malformed(field, detail));
        let (name, value) = match input.find([':', ';']) {
            Some(i) if input[i..].starts_with(';') && input[i + 1..].trim().is_empty() => {
                (&input[..i], Some(String::new()))
            }
            Some(i) if input[i..].starts_with(':') => {
                let value = input[i + 1..].trim();
                (&input[..i], (!value.is_empty()).then(|| value.to_string()))
            }
            _ => {
                return bad(format!(
                    "`{input}` is not `Name: value` (`Name:` removes a header, `Name;` sends it empty)"
                ));
            }
        };
        let name = name.trim();
        if name.is_empty() {
            return bad(format!("`{input}` has no header name before the colon"));
        }
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return bad(format!("`{name}` is not a valid header name"));
        }
        if let Some(v) = &value
            && reqwest::header::HeaderValue::from_str(v).is_err()
        {
            return bad(format!("the value of `{name}` is not a valid header value"));
        }
        Ok(HeaderEdit {
            name: name.to_string(),
            value,
        })
    }
}

/// `req` with `edits` applied in order: a set header takes the place of the first header of
/// that name (any letter case) and the others go; a new one goes last; a removed one is gone.
pub fn with_headers<'r>(
    req: &'r HttpRequest,
    edits: &[HeaderEdit],
) -> std::borrow::Cow<'r, HttpRequest> {
    if edits.is_empty() {
        return std::borrow::Cow::Borrowed(req);
    }
    let mut out = req.clone();
    for edit in edits {
        let mut placed = false;
        let mut headers = Vec::with_capacity(out.headers.len() + 1);
        for (k, v) in out.headers.drain(..) {
            if !k.eq_ignore_ascii_case(&edit.name) {
                headers.push((k, v));
            } else if let (Some(value), false) = (&edit.value, placed) {
                headers.push((edit.name.clone(), value.clone()));
                placed = true;
            }
        }
        if let (Some(value), false) = (&edit.value, placed) {
            headers.push((edit.name.clone(), value.clone()));
        }
        out.headers = headers;
    }
    std::borrow::Cow::Owned(out)
}

/// How a request is put on the wire and its answer taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The sender's delivery: every header as built, a body when there is one (or for POST),
    /// every header of the answer kept.
    Exact,
    /// A relayed request: the headers that describe the previous hop are dropped (the client
    /// sets its own), the body is always sent, and only the answer's Content-Type is kept (the
    /// listener relays that one).
    Relay,
}

/// Why a request got no answer.
#[derive(Debug)]
pub enum SendError {
    /// The request's method is not an HTTP method.
    BadMethod(String),
    Transport(reqwest::Error),
}

impl SendError {
    /// Whether another attempt could get an answer. A request that cannot be built (a bad
    /// method, an invalid header value, a URL the client refuses) fails the same way every
    /// time, so no retry schedule applies to it; a refused or timed-out connection may heal.
    pub fn retryable(&self) -> bool {
        match self {
            SendError::BadMethod(_) => false,
            SendError::Transport(e) => !e.is_builder(),
        }
    }
}

/// Send `req` to `url` (already complete: see [`target_url`], [`forward_url`]) within
/// `deadline`.
pub fn send(
    client: &reqwest::blocking::Client,
    url: &str,
    req: &HttpRequest,
    deadline: Duration,
    mode: Mode,
) -> Result<HttpReply, SendError> {
    let method = reqwest::Method::from_bytes(req.method.as_bytes())
        .map_err(|_| SendError::BadMethod(req.method.clone()))?;
    let mut rb = client.request(method, url).timeout(deadline);
    for (k, v) in &req.headers {
        if mode == Mode::Relay && is_hop_header(k) {
            continue;
        }
        rb = rb.header(k.as_str(), v.as_str());
    }
    if mode == Mode::Relay || !req.body.is_empty() || req.method == "POST" {
        rb = rb.body(req.body.clone());
    }
    let resp = rb.send().map_err(SendError::Transport)?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .filter(|(k, _)| mode == Mode::Exact || k.as_str().eq_ignore_ascii_case("content-type"))
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = resp.bytes().map_err(SendError::Transport)?.to_vec();
    Ok(HttpReply {
        status,
        headers,
        body,
    })
}

/// Headers that describe one hop, not the request: the client sets its own.
fn is_hop_header(name: &str) -> bool {
    ["host", "content-length", "transfer-encoding", "connection"]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
}

/// The URL a delivery goes to: the user's URL with the vendor's query appended.
pub fn target_url(base: &str, req: &HttpRequest) -> String {
    if req.query.is_empty() {
        base.to_string()
    } else if base.contains('?') {
        format!("{base}&{}", req.query)
    } else {
        format!("{base}?{}", req.query)
    }
}

/// Where a forwarded request goes: the app's URL, plus the original path when the URL has none,
/// plus the original query.
pub fn forward_url(base: &str, req: &HttpRequest) -> String {
    let (_, _, path) = crate::http::split_url(base);
    let mut url = if !path.is_empty() && path != "/" {
        base.to_string()
    } else {
        format!("{}{}", base.trim_end_matches('/'), req.path)
    };
    if !req.query.is_empty() {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&req.query);
    }
    url
}

/// An error and its causes, `outer: inner: innermost`.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!(": {c}"));
        cur = c.source();
    }
    s
}

/// Name a delivery's failure the way a user can act on it.
pub fn describe(e: &SendError, deadline: Duration) -> String {
    let e = match e {
        SendError::BadMethod(m) => return format!("bad method {m}"),
        SendError::Transport(e) => e,
    };
    let chain = error_chain(e);
    let lower = chain.to_lowercase();
    if e.is_builder() {
        format!("cannot build the HTTP request: {chain} (not retried: no retry can fix it)")
    } else if e.is_timeout() {
        format!("no answer within the {} deadline", fmt_duration(deadline))
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        format!("TLS error: {chain} (use --insecure to accept a self-signed certificate)")
    } else if lower.contains("connection refused") {
        "connection refused: nothing listens at that address".into()
    } else if lower.contains("dns") || lower.contains("resolve") || lower.contains("lookup") {
        format!("DNS failure: {chain}")
    } else if e.is_connect() {
        format!("cannot connect: {chain}")
    } else {
        format!("transport error: {chain}")
    }
}

/// `1m`, `3m`, `1.5s`, `300ms`, `1h`.
pub fn fmt_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms == 0 {
        "0s".into()
    } else if ms.is_multiple_of(3_600_000) {
        format!("{}h", ms / 3_600_000)
    } else if ms.is_multiple_of(60_000) {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else if ms >= 1000 {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        format!("{ms}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(path: &str, query: &str) -> HttpRequest {
        HttpRequest {
            method: "GET".into(),
            path: path.into(),
            query: query.into(),
            ..HttpRequest::default()
        }
    }

    #[test]
    fn forward_url_keeps_path_and_query() {
        let req = req("/wemeet", "check_str=a%2B");
        assert_eq!(
            forward_url("http://h:1", &req),
            "http://h:1/wemeet?check_str=a%2B"
        );
        assert_eq!(
            forward_url("http://h:1/cb", &req),
            "http://h:1/cb?check_str=a%2B"
        );
        assert_eq!(
            forward_url("http://h:1/cb?x=1", &req),
            "http://h:1/cb?x=1&check_str=a%2B"
        );
    }

    #[test]
    fn target_url_appends_the_query() {
        assert_eq!(target_url("http://h/cb", &req("/", "")), "http://h/cb");
        assert_eq!(
            target_url("http://h/cb", &req("/", "a=1")),
            "http://h/cb?a=1"
        );
        assert_eq!(
            target_url("http://h/cb?k=v", &req("/", "a=1")),
            "http://h/cb?k=v&a=1"
        );
    }

    #[test]
    fn hop_headers_are_recognised_in_any_case() {
        assert!(is_hop_header("Host"));
        assert!(is_hop_header("TRANSFER-ENCODING"));
        assert!(!is_hop_header("Content-Type"));
    }

    #[test]
    fn urls_without_a_usable_scheme_are_refused_with_a_suggestion() {
        let err = |u: &str| check_url("url", u).unwrap_err().to_string();
        assert!(check_url("url", "http://127.0.0.1:5001/wemeet").is_ok());
        assert!(check_url("url", "https://example.com").is_ok());
        assert_eq!(
            err("127.0.0.1:5001/wemeet"),
            "url: 127.0.0.1:5001/wemeet has no scheme: did you mean http://127.0.0.1:5001/wemeet?"
        );
        assert!(
            err("localhost:5001/wemeet").ends_with("did you mean http://localhost:5001/wemeet?")
        );
        assert!(err("http//h:1/x").ends_with("did you mean http://h:1/x?"));
        assert!(err("https//h/x").ends_with("did you mean https://h/x?"));
        assert!(err("ftp://h/x").starts_with("url: unsupported scheme ftp"));
        assert!(err("wss://h/x").ends_with("did you mean https://h/x?"));
        assert!(err("http://[::1").contains("is not a valid URL"));
        assert!(err("http://h:99999/").contains("is not a valid URL"));
        assert!(matches!(
            check_url("forward-to", " "),
            Err(Error::Missing { .. })
        ));
    }

    #[test]
    fn header_edits_parse_as_curl_spells_them() {
        let edit = |s: &str| HeaderEdit::parse("header", s);
        assert_eq!(
            edit("X-Trace:  abc ").unwrap(),
            HeaderEdit {
                name: "X-Trace".into(),
                value: Some("abc".into())
            }
        );
        assert_eq!(edit("X-Trace:").unwrap().value, None);
        assert_eq!(edit("X-Trace;").unwrap().value, Some(String::new()));
        assert_eq!(
            edit("X-Url: http://a:1/b").unwrap().value.as_deref(),
            Some("http://a:1/b")
        );
        for bad in ["X-Trace", ": v", "X Trace: v", "X-A: a\nb", "X-A; v"] {
            let e = edit(bad).unwrap_err().to_string();
            assert!(e.starts_with("header: "), "{bad}: {e}");
        }
    }

    #[test]
    fn header_edits_add_replace_and_remove() {
        let mut r = req("/", "");
        r.headers = vec![
            ("Signature".into(), "a".into()),
            ("X-Other".into(), "o".into()),
            ("signature".into(), "b".into()),
        ];
        assert!(matches!(
            with_headers(&r, &[]),
            std::borrow::Cow::Borrowed(_)
        ));
        let set = |name: &str, value: Option<&str>| HeaderEdit {
            name: name.into(),
            value: value.map(str::to_string),
        };
        let out = with_headers(
            &r,
            &[
                set("SIGNATURE", Some("c")),
                set("X-New", Some("n")),
                set("x-other", None),
            ],
        );
        assert_eq!(
            out.headers,
            vec![
                ("SIGNATURE".to_string(), "c".to_string()),
                ("X-New".to_string(), "n".to_string())
            ]
        );
    }

    #[test]
    fn a_bad_method_is_named() {
        let e = SendError::BadMethod("GE T".into());
        assert_eq!(describe(&e, Duration::from_secs(1)), "bad method GE T");
    }

    #[test]
    fn durations_format() {
        assert_eq!(fmt_duration(Duration::from_secs(60)), "1m");
        assert_eq!(fmt_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(fmt_duration(Duration::from_secs(5)), "5s");
        assert_eq!(fmt_duration(Duration::from_secs(3600)), "1h");
    }
}
