//! Capture lines: what `listen --record FILE.jsonl` writes, one JSON object per request, and
//! what `verify`, `decode` and `replay` read back with `--from-capture FILE.jsonl[:N]`.
//! Captures hold the request exactly (the body as text, or base64 when it is not UTF-8) and
//! never a configured secret.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::protocol::{Secrets, VendorId};

/// One recorded request and what the listener made of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capture {
    /// RFC 3339 UTC time the request was received.
    pub received_at: String,
    /// The vendor the listener took it for, when known.
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(flatten)]
    pub request: HttpRequest,
    /// Per-check verdict: `{"signature": true, "receiver_id": false, ...}` plus `accepted`.
    #[serde(default)]
    pub verdict: serde_json::Map<String, serde_json::Value>,
    /// Why verification failed, when it did.
    #[serde(default)]
    pub errors: Vec<String>,
    #[serde(default)]
    pub event_type: Option<String>,
    /// The decoded plaintext, when it could be decoded.
    #[serde(default)]
    pub plaintext: Option<String>,
    /// The HTTP status the listener answered with.
    #[serde(default)]
    pub status: Option<u16>,
    /// With `--forward-to`: what the app answered, and whether the vendor would accept it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward: Option<Forwarded>,
}

impl Capture {
    /// `request`, received at `received_at` and answered 200, with nothing else known (a
    /// capture line written by hand, as tests and tools make them).
    pub fn answered(received_at: &str, request: HttpRequest) -> Capture {
        Capture {
            received_at: received_at.into(),
            vendor: None,
            request,
            verdict: serde_json::Map::new(),
            errors: vec![],
            event_type: None,
            plaintext: None,
            status: Some(200),
            forward: None,
        }
    }
}

/// The plaintext as a capture line records it: text (lossy where it is not UTF-8), configured
/// secrets masked (Feishu's plaintext carries the Verification Token). The request's raw body is
/// kept as received, for `verify --from-capture`.
pub fn recorded_plaintext(plain: &[u8], secrets: &Secrets) -> String {
    // `from_utf8` checks a word at a time where `from_utf8_lossy` walks byte by byte: on the
    // listener's path for every request, and plaintexts are almost always UTF-8.
    let text = std::str::from_utf8(plain).map_or_else(
        |_| String::from_utf8_lossy(plain),
        std::borrow::Cow::Borrowed,
    );
    secrets.redact(&text)
}

/// The plaintext of a captured `request`, opened again as `vendor`'s with `secrets`, unmasked
/// (none when it does not open): what was sent, where the capture's copy has secrets masked.
pub fn opened_plaintext(
    vendor: VendorId,
    request: &HttpRequest,
    secrets: &Secrets,
) -> Option<crate::crypto::Plaintext> {
    let v = vendor.vendor();
    let opened = v.parse(request).and_then(|cb| v.open(&cb, secrets)).ok()?;
    Some(opened.plaintext)
}

/// The plaintext a listener with `secrets` recorded for `request` as `vendor`'s: opened again
/// (none when it does not open).
pub fn reopened_plaintext(
    vendor: VendorId,
    request: &HttpRequest,
    secrets: &Secrets,
) -> Option<String> {
    opened_plaintext(vendor, request, secrets).map(|p| recorded_plaintext(&p, secrets))
}

/// The user's app's answer to a forwarded request, judged as the vendor would judge it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forwarded {
    /// The app's HTTP status; none when it could not be reached or did not answer in time.
    pub status: Option<u16>,
    /// The app's answer body as text, capped at [`FORWARD_BODY_CAP`] bytes, configured secrets
    /// masked; none without an answer.
    pub body: Option<String>,
    pub latency_ms: f64,
    /// Whether the vendor would accept this answer.
    pub accepted: bool,
    /// Why the vendor would reject it (or why there is none); none when accepted.
    pub reason: Option<String>,
}

/// How much of the app's answer a capture keeps.
pub const FORWARD_BODY_CAP: usize = 1024;

/// Parse one capture line.
pub fn parse_line(line: &str) -> Result<Capture> {
    serde_json::from_str(line)
        .map_err(|e| Error::malformed("capture", format!("not a cbkit capture line: {e}")))
}

/// Pick line N (1-based; default: the last) of a capture file's text.
pub fn pick(text: &str, index: Option<usize>) -> Result<Capture> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return Err(Error::malformed("capture", "the capture file is empty"));
    }
    let n = index.unwrap_or(lines.len());
    if n == 0 || n > lines.len() {
        return Err(Error::malformed(
            "capture",
            format!(
                "line {n} does not exist: the file has {} capture lines (count from 1)",
                lines.len()
            ),
        ));
    }
    parse_line(lines[n - 1])
}

/// Split `FILE.jsonl[:N]` into the path and the line number.
pub fn split_spec(spec: &str) -> (&str, Option<usize>) {
    if let Some((path, n)) = spec.rsplit_once(':')
        && let Ok(n) = n.parse()
    {
        return (path, Some(n));
    }
    (spec, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_plaintexts_are_text_with_secrets_masked() {
        let secrets = Secrets {
            token: Some(crate::secret::Secret::new("tok-123")),
            ..Secrets::default()
        };
        let masked = recorded_plaintext(b"{\"token\":\"tok-123\",\"n\":\"\xc3\xa9\"}", &secrets);
        assert!(
            !masked.contains("tok-123") && masked.contains("\"n\":\"\u{e9}\""),
            "{masked}"
        );
        // Bytes that are not UTF-8 are replaced, the rest kept and still masked.
        let lossy = recorded_plaintext(b"a\xffb tok-123", &secrets);
        assert!(
            lossy.starts_with("a\u{fffd}b ") && !lossy.contains("tok-123"),
            "{lossy}"
        );
    }

    #[test]
    fn capture_round_trips_binary_bodies() {
        let c = Capture {
            vendor: Some("wemeet".into()),
            ..Capture::answered(
                "2026-01-01T00:00:00Z",
                HttpRequest {
                    method: "POST".into(),
                    path: "/".into(),
                    query: "a=1".into(),
                    headers: vec![("nonce".into(), "1".into())],
                    body: vec![0xff, 0x00, 0x41],
                },
            )
        };
        let line = serde_json::to_string(&c).unwrap();
        assert!(
            !line.contains("forward"),
            "no forward field without --forward-to"
        );
        assert!(line.contains("\"base64\""));
        assert_eq!(parse_line(&line).unwrap(), c);
    }

    #[test]
    fn spec_and_pick() {
        assert_eq!(split_spec("cap.jsonl:3"), ("cap.jsonl", Some(3)));
        assert_eq!(split_spec("cap.jsonl"), ("cap.jsonl", None));
        let e = pick("", None).unwrap_err();
        assert!(e.to_string().contains("empty"));
    }
}
