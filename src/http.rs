//! Plain-data HTTP messages shared by the sender, the receiver and the offline commands, and
//! the parser for raw captured requests. No sockets here.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// An HTTP request as bytes and strings, exactly as sent or received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    pub method: String,
    /// Path without the query, e.g. `/callback`.
    pub path: String,
    /// The query string exactly as on the wire, without `?` (still percent-encoded).
    pub query: String,
    pub headers: Vec<(String, String)>,
    #[serde(with = "body_serde")]
    pub body: Vec<u8>,
}

/// An HTTP response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpReply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        HttpReply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

impl HttpRequest {
    /// A header value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Query parameters, percent-decoded only: a literal `+` stays `+` (vendors sign the
    /// percent-decoded value, and form decoding's `+` → space breaks base64).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        parse_query(&self.query)
    }

    /// A query parameter by case-insensitive name (Tencent IM spells `SdkAppid` two ways).
    /// Only the value found is decoded (this runs for every line of a batch).
    pub fn query_param(&self, name: &str) -> Option<String> {
        raw_query_pairs(&self.query)
            .find(|(k, _)| key_is(k, |k| k.eq_ignore_ascii_case(name)))
            .map(|(_, v)| pct_decode(v))
    }

    /// The first of several accepted spellings that is present.
    pub fn query_param_any(&self, names: &[&str]) -> Option<(String, String)> {
        names.iter().find_map(|n| {
            raw_query_pairs(&self.query)
                .find(|(k, _)| key_is(k, |k| k == *n))
                .map(|(k, v)| (pct_decode(k), pct_decode(v)))
        })
    }

    /// `path?query` as it goes in the request line.
    pub fn target(&self) -> String {
        join_target(&self.path, &self.query)
    }

    /// The request as raw HTTP/1.1 text (what `fixtures show` prints and `--request` reads).
    /// `Host: {host}` and the Content-Length go in only when the request has no such header
    /// (any case) of its own: a captured request may carry them, and a second Host line
    /// makes a request servers reject.
    pub fn to_raw(&self, host: &str) -> Vec<u8> {
        let mut out = format!("{} {} HTTP/1.1\r\n", self.method, self.target());
        if self.header("host").is_none() {
            out.push_str(&format!("Host: {host}\r\n"));
        }
        for (k, v) in &self.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        if self.header("content-length").is_none()
            && (!self.body.is_empty() || self.method == "POST")
        {
            out.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }

    /// Parse a raw captured HTTP request: request line, headers, blank line, body. Accepts
    /// CRLF or bare LF line ends (copies from a terminal lose the CR). A Content-Length header
    /// shorter than what follows cuts the body; a longer one is reported as truncation.
    pub fn parse_raw(raw: &[u8]) -> Result<Self> {
        let field = "request";
        let (head, body) = split_head(raw).ok_or_else(|| {
            Error::malformed(
                field,
                "no blank line between headers and body (is this a raw HTTP request?)",
            )
        })?;
        let head = std::str::from_utf8(head)
            .map_err(|_| Error::malformed(field, "request line or headers are not UTF-8"))?;
        let mut lines = head.lines().map(|l| l.trim_end_matches('\r'));
        let request_line = lines
            .by_ref()
            .find(|l| !l.trim().is_empty())
            .ok_or_else(|| Error::malformed(field, "empty request"))?;
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_ascii_uppercase();
        let target = parts.next().ok_or_else(|| {
            Error::malformed(
                field,
                format!("request line `{request_line}` has no target"),
            )
        })?;
        if !method.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(Error::malformed(
                field,
                format!("request line `{request_line}` has no method"),
            ));
        }
        // A full URL in the request line (as copied from a proxy log) keeps only path+query.
        let target = match split_url(target) {
            (Some(_), _, after_host) => after_host,
            (None, ..) => target,
        };
        let (path, query) = split_target(target);
        let mut headers = Vec::new();
        for line in lines {
            if line.is_empty() {
                continue;
            }
            let (k, v) = line.split_once(':').ok_or_else(|| {
                Error::malformed(field, format!("header line `{line}` has no ':'"))
            })?;
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        let mut body = body.to_vec();
        if let Some(len) = find_header(&headers, "content-length") {
            let len: usize = len.parse().map_err(|_| {
                Error::malformed("Content-Length", format!("`{len}` is not a number"))
            })?;
            if len > body.len() {
                return Err(Error::malformed(
                    "body",
                    format!(
                        "Content-Length says {len} bytes but only {} follow (truncated capture?)",
                        body.len()
                    ),
                ));
            }
            body.truncate(len);
        }
        headers.retain(|(k, _)| {
            !k.eq_ignore_ascii_case("content-length") && !k.eq_ignore_ascii_case("host")
        });
        Ok(HttpRequest {
            method,
            path,
            query,
            headers,
            body,
        })
    }
}

/// A URL as written, in three parts: its scheme (before `://`, when it has one), its authority
/// (`host[:port]`, up to the first `/`, `?` or `#`) and what follows, the target (`""` when the
/// URL has none). Nothing is decoded or normalised: a signature covers the bytes as sent.
pub fn split_url(url: &str) -> (Option<&str>, &str, &str) {
    let (scheme, rest) = match url.split_once("://") {
        // RFC 3986's scheme characters: `h/cb?u=http://x` is a URL without a scheme.
        Some((scheme, rest))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            (Some(scheme), rest)
        }
        _ => (None, url),
    };
    let (authority, target) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    (scheme, authority, target)
}

/// `path?query`, or the path alone when the query is empty: a request line's target.
pub fn join_target(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// A request target (`/path?query`, `?query`, `""`) as the path and the query a client sends:
/// the path `/` when it is empty, and no fragment (clients never send one).
pub fn split_target(target: &str) -> (String, String) {
    let target = target.split('#').next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = if path.is_empty() { "/" } else { path };
    (path.to_string(), query.to_string())
}

fn split_head(raw: &[u8]) -> Option<(&[u8], &[u8])> {
    let crlf = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4));
    let lf = raw.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    let (i, n) = match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 <= b.0 {
                a
            } else {
                b
            }
        }
        (a, b) => a.or(b)?,
    };
    Some((&raw[..i], &raw[i + n..]))
}

/// Split a query string into percent-decoded pairs (no `+` → space).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    raw_query_pairs(query)
        .map(|(k, v)| (pct_decode(k), pct_decode(v)))
        .collect()
}

/// The query's `key=value` pairs, still percent-encoded; empty pieces (`a=1&&b=2`) skipped.
fn raw_query_pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
}

/// Whether a still-encoded key, decoded, is what `wanted` looks for (decoded only when it
/// holds a `%`).
fn key_is(raw: &str, wanted: impl Fn(&str) -> bool) -> bool {
    if raw.contains('%') {
        wanted(&pct_decode(raw))
    } else {
        wanted(raw)
    }
}

/// Percent-decode only.
pub fn pct_decode(s: &str) -> String {
    // Nothing to decode (signatures, timestamps, nonces): the text is already valid UTF-8.
    if !s.contains('%') {
        return s.to_string();
    }
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Characters left as they are in query values: RFC 3986 unreserved.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encode a query value (so `+`, `/` and `=` of base64 survive any decoder).
pub fn pct_encode(s: &str) -> String {
    pct_encode_bytes(s.as_bytes())
}

/// [`pct_encode`] for bytes that need not be UTF-8 (a file's contents).
pub fn pct_encode_bytes(b: &[u8]) -> String {
    percent_encoding::percent_encode(b, QUERY_VALUE).to_string()
}

/// Build a query string from pairs, encoding each value.
pub fn build_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", pct_encode(k), pct_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Bodies serialise as UTF-8 text when they are, else as `{"base64": "..."}`.
pub mod body_serde {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Text(String),
        Bytes { base64: String },
    }

    pub fn serialize<S: Serializer>(body: &[u8], s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(body) {
            Ok(t) => Repr::Text(t.to_string()).serialize(s),
            Err(_) => Repr::Bytes {
                base64: crate::crypto::b64_encode(body),
            }
            .serialize(s),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        match Repr::deserialize(d)? {
            Repr::Text(t) => Ok(t.into_bytes()),
            Repr::Bytes { base64 } => {
                crate::crypto::b64_decode("body", &base64).map_err(serde::de::Error::custom)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_at_the_scheme_and_the_authority_as_written() {
        let cases = [
            ("http://h:1/cb?a=%2B", Some("http"), "h:1", "/cb?a=%2B"),
            ("https://h?a=1", Some("https"), "h", "?a=1"),
            ("http://[::1]:8443#f", Some("http"), "[::1]:8443", "#f"),
            ("svn+ssh://h/x", Some("svn+ssh"), "h", "/x"),
            ("http://h", Some("http"), "h", ""),
            // Not schemes: a `://` in the query, a scheme that does not start with a letter.
            ("h/cb?u=http://x/y", None, "h", "/cb?u=http://x/y"),
            ("1a://h/x", None, "1a:", "//h/x"),
            ("/cb?a=1", None, "", "/cb?a=1"),
            ("*", None, "*", ""),
        ];
        for (url, scheme, authority, target) in cases {
            assert_eq!(split_url(url), (scheme, authority, target), "{url}");
        }
    }

    #[test]
    fn targets_split_into_what_a_client_sends() {
        let split = |t: &str| split_target(t);
        assert_eq!(split("/cb?a=1&b"), ("/cb".into(), "a=1&b".into()));
        assert_eq!(split("?a=1"), ("/".into(), "a=1".into()));
        assert_eq!(split(""), ("/".into(), String::new()));
        assert_eq!(split("/cb#frag?x"), ("/cb".into(), String::new()));
        assert_eq!(split("/cb?a=1#f"), ("/cb".into(), "a=1".into()));
    }

    #[test]
    fn a_request_line_with_a_full_url_keeps_its_path_and_query() {
        for (line, path, query) in [
            ("GET http://h:1/cb?a=1 HTTP/1.1", "/cb", "a=1"),
            ("GET https://h HTTP/1.1", "/", ""),
            ("GET /cb?u=http://x/y HTTP/1.1", "/cb", "u=http://x/y"),
            ("OPTIONS * HTTP/1.1", "*", ""),
        ] {
            let r = HttpRequest::parse_raw(format!("{line}\r\n\r\n").as_bytes()).unwrap();
            assert_eq!((r.path.as_str(), r.query.as_str()), (path, query), "{line}");
        }
    }

    #[test]
    fn query_keeps_plus() {
        let q = parse_query("check_str=a%2Bb+c%3D&x=1");
        assert_eq!(q[0], ("check_str".into(), "a+b+c=".into()));
    }

    /// Looking a parameter up without decoding the whole query finds what the decoded pairs
    /// hold: encoded keys, `+`, repeated and empty pieces, a key without `=`, bad escapes.
    #[test]
    fn lookups_agree_with_the_decoded_pairs() {
        let queries = [
            "",
            "a=1&&B=2&",
            "nonce&nonce=2",
            "%6Eonce=a%2Bb+c&nonce=x",
            "NONCE=%E4%BD%A0&timeStamp=1&timestamp=2",
            "sig%6=1&signature=%zz&msg_signature=%FF",
            "=v&signature==x=",
        ];
        for q in queries {
            let r = HttpRequest {
                query: q.into(),
                ..HttpRequest::default()
            };
            let pairs = parse_query(q);
            for name in ["nonce", "NONCE", "signature", "sig%6", "", "B"] {
                let want = pairs
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.clone());
                assert_eq!(r.query_param(name), want, "{q} {name}");
            }
            for names in [
                &["msg_signature", "signature"][..],
                &["timestamp", "timeStamp"],
                &["b", "B", "nonce"],
                &[""],
            ] {
                let want = names
                    .iter()
                    .find_map(|n| pairs.iter().find(|(k, _)| k == n).cloned());
                assert_eq!(r.query_param_any(names), want, "{q} {names:?}");
            }
        }
    }

    #[test]
    fn parse_raw_request_crlf_and_lf() {
        let raw = b"POST /cb?timestamp=1&nonce=2 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        let r = HttpRequest::parse_raw(raw).unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/cb");
        assert_eq!(r.query_param("nonce").as_deref(), Some("2"));
        assert_eq!(r.body, b"{}");
        let raw = b"GET /?check_str=abc HTTP/1.1\ntimestamp: 5\n\n";
        let r = HttpRequest::parse_raw(raw).unwrap();
        assert_eq!(r.header("TIMESTAMP"), Some("5"));
    }

    #[test]
    fn parse_raw_reports_truncation() {
        let raw = b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}";
        let e = HttpRequest::parse_raw(raw).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
    }

    #[test]
    fn to_raw_adds_host_and_length_only_when_the_request_has_none() {
        let text = |r: &HttpRequest| String::from_utf8(r.to_raw("receiver.example")).unwrap();
        let mut r = HttpRequest {
            method: "POST".into(),
            path: "/cb".into(),
            headers: vec![("nonce".into(), "5".into())],
            body: b"{}".to_vec(),
            ..Default::default()
        };
        assert_eq!(
            text(&r),
            "POST /cb HTTP/1.1\r\nHost: receiver.example\r\nnonce: 5\r\nContent-Length: 2\r\n\r\n{}"
        );
        // Captured ones stay where they were, in their own spelling.
        r.headers = vec![
            ("nonce".into(), "5".into()),
            ("HOST".into(), "callback.example.com".into()),
            ("content-length".into(), "2".into()),
        ];
        assert_eq!(
            text(&r),
            "POST /cb HTTP/1.1\r\nnonce: 5\r\nHOST: callback.example.com\r\ncontent-length: 2\r\n\r\n{}"
        );
        // A GET without a body has no Content-Length.
        let get = HttpRequest {
            method: "GET".into(),
            path: "/".into(),
            query: "check_str=a".into(),
            ..Default::default()
        };
        assert_eq!(
            text(&get),
            "GET /?check_str=a HTTP/1.1\r\nHost: receiver.example\r\n\r\n"
        );
    }

    #[test]
    fn raw_round_trip() {
        let r = HttpRequest {
            method: "POST".into(),
            path: "/a".into(),
            query: "x=1".into(),
            headers: vec![("nonce".into(), "5".into())],
            body: b"{\"data\":\"x\"}".to_vec(),
        };
        assert_eq!(HttpRequest::parse_raw(&r.to_raw("h")).unwrap(), r);
    }
}
