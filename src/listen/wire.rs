//! The tiny_http adapter: a request's head and body as an [`HttpRequest`], an [`HttpReply`] as
//! a tiny_http response, and the TLS configuration. Everything that knows tiny_http's types
//! except the server loop is here, so the receiver never sees a socket.

use std::io::Read;
use std::path::Path;

use anyhow::Context;

use crate::http::{HttpReply, HttpRequest};

/// The request line and headers, as received (Host and Content-Length left out, as a raw
/// capture parsed by `HttpRequest::parse_raw` leaves them out).
pub(super) fn request_head(rq: &tiny_http::Request) -> HttpRequest {
    let (path, query) = match rq.url().split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (rq.url().to_string(), String::new()),
    };
    let headers = rq
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_string(),
                h.value.as_str().to_string(),
            )
        })
        .filter(|(k, _)| {
            !k.eq_ignore_ascii_case("host") && !k.eq_ignore_ascii_case("content-length")
        })
        .collect();
    HttpRequest {
        method: rq.method().as_str().to_ascii_uppercase(),
        path: if path.is_empty() { "/".into() } else { path },
        query,
        headers,
        body: Vec::new(),
    }
}

/// How reading a body ended.
pub(super) enum BodyRead {
    Body(Vec<u8>),
    /// The client closed its side before sending the whole Content-Length: what arrived, and
    /// the length declared.
    Short(Vec<u8>, usize),
    TooLarge,
    Failed(std::io::Error),
    TimedOut,
}

/// Read the body of at most `max` bytes. A Content-Length over `max` is refused without
/// reading anything into memory. The whole request must have arrived within `--read-timeout`
/// of its first byte: tiny_http's reader enforces that deadline (`tiny_http::Limits`), so a
/// body read here fails with `TimedOut` once it has passed.
///
/// Whatever ends the read early (too large, too slow, unreadable) also ends the connection:
/// the rest of the stream is not read, so it cannot be taken for a request of its own.
pub(super) fn body(rq: &mut tiny_http::Request, max: usize) -> BodyRead {
    let end = if rq.body_length().is_some_and(|n| n > max) {
        BodyRead::TooLarge
    } else {
        read_body(rq, max)
    };
    if !matches!(end, BodyRead::Body(_)) {
        rq.close_connection();
    }
    end
}

/// Read at most `max + 1` bytes of the body, straight into the buffer it is returned in (its
/// capacity is the declared length, so a body that arrives whole is neither copied nor regrown).
fn read_body(rq: &mut tiny_http::Request, max: usize) -> BodyRead {
    let limit = max.saturating_add(1);
    let mut body = Vec::with_capacity(rq.body_length().unwrap_or(0).min(limit));
    // `read_to_end` retries interrupted reads and, when a read fails, keeps what arrived.
    match rq.as_reader().take(limit as u64).read_to_end(&mut body) {
        Ok(_) if body.len() > max => BodyRead::TooLarge,
        Ok(_) => match rq.body_length() {
            Some(declared) if body.len() < declared => BodyRead::Short(body, declared),
            _ => BodyRead::Body(body),
        },
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            BodyRead::TimedOut
        }
        Err(e) => BodyRead::Failed(e),
    }
}

type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

/// Answer `rq` with `reply`; a client that went away is not an error worth reporting. When
/// the connection closes after this answer, tiny_http adds `Connection: close`.
pub(super) fn respond(rq: tiny_http::Request, reply: &HttpReply) {
    let _ = rq.respond(response(reply));
}

fn response(reply: &HttpReply) -> Response {
    let mut r = tiny_http::Response::from_data(reply.body.clone()).with_status_code(reply.status);
    for (k, v) in &reply.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            r.add_header(h);
        }
    }
    r
}

/// The certificate and key files for HTTPS.
pub(super) fn ssl_config(cert: &Path, key: &Path) -> anyhow::Result<tiny_http::SslConfig> {
    Ok(tiny_http::SslConfig {
        certificate: std::fs::read(cert)
            .with_context(|| format!("cannot read --tls-cert {}", cert.display()))?,
        private_key: std::fs::read(key)
            .with_context(|| format!("cannot read --tls-key {}", key.display()))?,
    })
}
