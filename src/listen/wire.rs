//! The tiny_http adapter: a request's head and body as an [`HttpRequest`], an [`HttpReply`] as
//! a tiny_http response, and the TLS configuration. Everything that knows tiny_http's types
//! except the server loop is here, so the receiver never sees a socket.

use std::path::Path;
use std::time::{Duration, Instant};

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
    TooLarge,
    Failed(std::io::Error),
    TimedOut,
}

/// Read the body of at most `max` bytes within `timeout`. A Content-Length over `max` is
/// refused without reading anything into memory.
pub(super) fn body(rq: &mut tiny_http::Request, max: usize, timeout: Duration) -> BodyRead {
    if rq.body_length().is_some_and(|n| n > max) {
        return BodyRead::TooLarge;
    }
    read_body(rq, max, timeout)
}

/// Read at most `max + 1` bytes of the body within `timeout` in all, on the calling thread:
/// each read waits at most for what is left of the time (a socket read timeout). After a
/// timeout the socket keeps a short one, so the rest of the body is not waited for and the
/// connection closes after the 408; otherwise the timeout is cleared again (an idle keep-alive
/// connection is not closed under its client).
fn read_body(rq: &mut tiny_http::Request, max: usize, timeout: Duration) -> BodyRead {
    // tiny_http has already read a body of at most 1 KiB (without Expect: 100-continue).
    let buffered = rq.body_length().is_some_and(|n| n <= 1024)
        && !rq.headers().iter().any(|h| h.field.equiv("Expect"));
    let limit = max.saturating_add(1);
    let mut body = Vec::with_capacity(rq.body_length().unwrap_or(0).min(limit));
    let mut chunk = vec![0u8; 16 * 1024];
    let deadline = Instant::now() + timeout;
    let mut timed = false;
    let end = loop {
        if !buffered {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break BodyRead::TimedOut;
            }
            // Unsupported only for Unix sockets (never served here): read without a deadline.
            timed = rq.set_read_timeout(Some(left)).is_ok();
        }
        let want = (limit - body.len()).min(chunk.len());
        match rq.as_reader().read(&mut chunk[..want]) {
            Ok(0) => break BodyRead::Body(std::mem::take(&mut body)),
            Ok(n) => {
                body.extend_from_slice(&chunk[..n]);
                if body.len() > max {
                    break BodyRead::TooLarge;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break BodyRead::TimedOut;
            }
            Err(e) => break BodyRead::Failed(e),
        }
    };
    if timed {
        let after = match end {
            BodyRead::TimedOut => Some(Duration::from_millis(1)),
            _ => None,
        };
        let _ = rq.set_read_timeout(after);
    }
    end
}

type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

/// Answer `rq` with `reply`; a client that went away is not an error worth reporting.
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
