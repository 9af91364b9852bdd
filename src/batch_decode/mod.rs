//! Batch decode: every line of a capture file (or of request bodies) through the one
//! verification pipeline ([`inspect`]), one JSON object written per line read. Streamed in
//! chunks (`stream.rs`), so memory stays flat for any file size.
//!
//! Each object has the same keys, `null` where there is nothing: `line` (numbered as
//! `--from-capture FILE:N` counts, blank lines skipped), `vendor`, `event_type`, `valid`,
//! `plaintext` (configured secrets masked unless asked), `receiver_id`, `errors`. A line that
//! cannot be read, opened or verified gets its errors and the run goes on.
//!
//! Freshness is not judged: a capture holds old requests by nature.

mod stream;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::protocol::{Callback, Now, Role, Secrets, SecretsByVendor, VendorId, inspect};

/// What each input line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFormat {
    /// A capture line, as `listen --record` writes it.
    Capture,
    /// A request body (`{"encrypt":"…"}`, WeCom's XML on one line, …), as if POSTed to `/`.
    Body,
}

/// How to decode a stream of lines.
pub struct BatchDecoder {
    pub format: LineFormat,
    /// Decode every line as this vendor. None: a capture line's own vendor (the one the
    /// listener took it for, else recognised from the request); a body line then has none.
    pub vendor: Option<VendorId>,
    /// The secrets to open a line with: its vendor's own, else the default set.
    pub secrets: SecretsByVendor,
    /// Show secrets quoted in plaintexts instead of masking them.
    pub show_secrets: bool,
    /// Rewrites an error for the reader (the command line adds which flag supplies a secret).
    pub explain: fn(Error) -> Error,
    /// Threads decoding lines; 0 for one per CPU. With one, everything runs on the calling
    /// thread.
    pub threads: usize,
}

/// Counts of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Lines decoded (blank lines are not counted).
    pub lines: u64,
    /// Lines with at least one error.
    pub failed: u64,
}

/// One output object.
#[derive(Debug, Serialize, PartialEq)]
pub struct LineReport<'a> {
    pub line: u64,
    pub vendor: Option<&'static str>,
    pub event_type: Option<String>,
    /// True when the signature was checked and every check passed, false when anything
    /// failed, null when there was nothing to check it with (no token, or no signature).
    pub valid: Option<bool>,
    pub plaintext: Option<Cow<'a, str>>,
    pub receiver_id: Option<Cow<'a, str>>,
    pub errors: Vec<String>,
}

impl LineReport<'_> {
    fn failed(line: u64, vendor: Option<VendorId>, e: Error) -> LineReport<'static> {
        LineReport {
            line,
            vendor: vendor.map(VendorId::name),
            event_type: None,
            valid: Some(false),
            plaintext: None,
            receiver_id: None,
            errors: vec![e.to_string()],
        }
    }
}

/// The fields of a capture line that decoding needs; the rest (verdict, plaintext, forward)
/// is skipped without being kept.
#[derive(Deserialize)]
struct CaptureLine {
    #[serde(default)]
    vendor: Option<String>,
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Body,
}

/// A capture's body, as `http::body_serde` writes it: text, or `{"base64": …}`. Read without
/// going through an untagged enum, which would buffer (and copy) the body first.
struct Body(Vec<u8>);

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Body;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the body as text, or {\"base64\": ...}")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Body, E> {
                Ok(Body(v.as_bytes().to_vec()))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<Body, E> {
                Ok(Body(v.into_bytes()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Body, A::Error> {
                let mut body = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if key == "base64" {
                        let text: Cow<'de, str> = map.next_value()?;
                        body = Some(
                            crate::crypto::b64_decode("body", &text)
                                .map_err(serde::de::Error::custom)?,
                        );
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                body.map(Body)
                    .ok_or_else(|| serde::de::Error::missing_field("base64"))
            }
        }
        d.deserialize_any(Visit)
    }
}

impl BatchDecoder {
    /// Decode one line (numbered `n`) and append its JSON object and a newline to `out`;
    /// whether the line failed.
    fn decode_into(&self, n: u64, line: &[u8], out: &mut Vec<u8>) -> bool {
        let (vendor, request) = match self.read_line(line) {
            Ok(read) => read,
            Err(e) => return write(out, &LineReport::failed(n, self.vendor, (self.explain)(e))),
        };
        let v = vendor.vendor();
        let cb: Callback = match v.parse(&request) {
            Ok(cb) => cb,
            Err(e) => {
                return write(out, &LineReport::failed(n, Some(vendor), (self.explain)(e)));
            }
        };
        drop(request);
        let secrets = self.secrets.for_vendor(Some(vendor));
        let inspection = inspect(v, &cb, secrets, Now { unix_ms: 0 }, None, Role::Checker);
        let mut errors: Vec<String> = inspection
            .checks()
            .filter(|c| !c.ok)
            .map(|c| c.error_line())
            .collect();
        if let Some(e) = &inspection.unverified
            && !e.is_missing()
        {
            errors.push(format!(
                "signature not checked: {}",
                (self.explain)(e.clone())
            ));
        }
        let (mut event_type, mut plaintext, mut receiver_id) = (None, None, None);
        match &inspection.opened {
            Ok(opened) => {
                event_type = v.event_type(&opened.plaintext);
                match opened.text() {
                    Ok(t) => plaintext = Some(self.masked(t, secrets)),
                    Err(e) => errors.push((self.explain)(e).to_string()),
                }
                receiver_id = opened.receiver_id.as_deref();
            }
            // A body that did not decrypt is a failed check already; one left unopened (no
            // key) is an error here: a batch is read for its plaintexts.
            Err(e) if e.is_missing() => errors.push((self.explain)(e.clone()).to_string()),
            Err(_) => {}
        }
        let checked = inspection.unverified.is_none() && !inspection.request.is_empty();
        let report = LineReport {
            line: n,
            vendor: Some(vendor.name()),
            event_type,
            valid: if !errors.is_empty() {
                Some(false)
            } else {
                checked.then_some(true)
            },
            plaintext,
            receiver_id: receiver_id.map(Cow::Borrowed),
            errors,
        };
        write(out, &report)
    }

    /// The line as a request, and the vendor to read it as.
    /// The line need not be UTF-8 as a whole: the JSON parser checks the strings it keeps, and a
    /// body is bytes.
    fn read_line(&self, line: &[u8]) -> Result<(VendorId, HttpRequest)> {
        match self.format {
            LineFormat::Capture => {
                let c: CaptureLine = serde_json::from_slice(line).map_err(|e| {
                    Error::malformed("capture", format!("not a cbkit capture line: {e}"))
                })?;
                let request = HttpRequest {
                    method: c.method,
                    path: c.path,
                    query: c.query,
                    headers: c.headers,
                    body: c.body.0,
                };
                let vendor = self
                    .vendor
                    .or_else(|| c.vendor.as_deref().and_then(|v| v.parse().ok()))
                    .or_else(|| VendorId::recognise(&request))
                    .ok_or_else(|| {
                        Error::malformed(
                            "vendor",
                            "the line does not say which vendor it is for: name the vendor (cbkit decode dingtalk …)",
                        )
                    })?;
                Ok((vendor, request))
            }
            LineFormat::Body => {
                let vendor = self.vendor.ok_or_else(|| {
                    Error::missing(
                        "vendor",
                        "a body alone does not say which vendor sent it: name the vendor",
                    )
                })?;
                Ok((
                    vendor,
                    HttpRequest {
                        method: "POST".into(),
                        path: "/".into(),
                        body: line.to_vec(),
                        ..HttpRequest::default()
                    },
                ))
            }
        }
    }

    /// The plaintext with configured secrets masked, unless asked to show them.
    fn masked<'t>(&self, text: &'t str, secrets: &Secrets) -> Cow<'t, str> {
        secrets.redact_unless(self.show_secrets, text)
    }
}

/// Append `report` as one JSON line; whether it reports a failure.
fn write(out: &mut Vec<u8>, report: &LineReport) -> bool {
    // Writing plain data to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, report);
    out.push(b'\n');
    !report.errors.is_empty()
}

/// The part of a read line that holds content (without its line end), or None for a blank
/// line, which is skipped and not counted.
fn content(line: &[u8]) -> Option<std::ops::Range<usize>> {
    let trimmed = trim_line_end(line);
    (!trimmed.iter().all(u8::is_ascii_whitespace)).then_some(0..trimmed.len())
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::Capture;
    use crate::protocol::test_support::sealed_at;
    use crate::protocol::{Kind, Vendor};
    use crate::secret::Secret;

    pub(super) fn dingtalk() -> (&'static dyn Vendor, Secrets) {
        let v = VendorId::named("dingtalk").vendor();
        (v, v.demo_secrets())
    }

    pub(super) fn capture_line(v: &dyn Vendor, s: &Secrets, plain: &str) -> String {
        let request = sealed_at(v, plain.as_bytes(), Kind::Event, s, 5);
        serde_json::to_string(&Capture {
            received_at: "2026-11-30T00:00:00.000Z".into(),
            vendor: Some(v.id().name().into()),
            request,
            verdict: Default::default(),
            errors: Vec::new(),
            event_type: None,
            plaintext: Some(plain.into()),
            status: Some(200),
            forward: None,
        })
        .unwrap()
    }

    pub(super) fn decoder(s: &Secrets, format: LineFormat) -> BatchDecoder {
        BatchDecoder {
            format,
            vendor: None,
            secrets: s.clone().into(),
            show_secrets: false,
            explain: |e| e,
            threads: 1,
        }
    }

    pub(super) fn run(d: &BatchDecoder, input: &str) -> (Totals, Vec<serde_json::Value>) {
        let mut out = Vec::new();
        let totals = d.run(input.as_bytes(), &mut out).unwrap();
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (totals, lines)
    }

    #[test]
    fn good_and_bad_lines_each_get_one_object() {
        let (v, s) = dingtalk();
        let good = capture_line(v, &s, r#"{"EventType":"user_add_org"}"#);
        let input = format!(
            "{good}\nnot json\n\n{}\n{good}\r\n",
            &good[..good.len() / 2]
        );
        let (totals, out) = run(&decoder(&s, LineFormat::Capture), &input);
        assert_eq!(
            totals,
            Totals {
                lines: 4,
                failed: 2
            }
        );
        assert_eq!(out.len(), 4);
        assert_eq!(out[0]["line"], 1);
        assert_eq!(out[0]["vendor"], "dingtalk");
        assert_eq!(out[0]["event_type"], "user_add_org");
        assert_eq!(out[0]["valid"], true);
        assert_eq!(out[0]["plaintext"], r#"{"EventType":"user_add_org"}"#);
        assert_eq!(out[0]["receiver_id"], "ding6ccabc44d2c8d38b");
        assert_eq!(out[0]["errors"], serde_json::json!([]));
        assert_eq!(out[1]["valid"], false);
        assert!(
            out[1]["errors"][0]
                .as_str()
                .unwrap()
                .contains("not a cbkit capture line")
        );
        assert_eq!(out[2]["line"], 3, "blank lines are not counted");
        assert_eq!(out[3]["line"], 4);
        assert_eq!(out[3]["valid"], true);
        let keys: Vec<&String> = out[1].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "line",
                "vendor",
                "event_type",
                "valid",
                "plaintext",
                "receiver_id",
                "errors"
            ]
        );
    }

    #[test]
    fn a_capture_body_in_base64_is_read_too() {
        let (v, s) = dingtalk();
        let line = capture_line(v, &s, r#"{"EventType":"b"}"#);
        let mut doc: serde_json::Value = serde_json::from_str(&line).unwrap();
        let body = doc["body"].as_str().unwrap().to_string();
        doc["body"] = serde_json::json!({"base64": crate::crypto::b64_encode(body.as_bytes())});
        let (t, out) = run(&decoder(&s, LineFormat::Capture), &doc.to_string());
        assert_eq!(t.failed, 0, "{out:?}");
        assert_eq!(out[0]["event_type"], "b");
        doc["body"] = serde_json::json!({"other": 1});
        let (t, _) = run(&decoder(&s, LineFormat::Capture), &doc.to_string());
        assert_eq!(t.failed, 1);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256, failure_persistence: None, ..Default::default()
        })]

        /// Any bytes, and any cut or byte flip of a real capture line, give exactly one
        /// object per line and never a panic.
        #[test]
        fn any_line_gives_one_object(
            junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            cut in 0usize..4000,
            flip in 0usize..4000,
            byte in proptest::prelude::any::<u8>(),
        ) {
            let (v, s) = dingtalk();
            let mut line = capture_line(v, &s, r#"{"EventType":"p"}"#).into_bytes();
            let at = flip % line.len();
            line[at] = byte;
            line.truncate(cut.max(1));
            for input in [junk.clone(), line] {
                let input: Vec<u8> = input.into_iter().filter(|b| *b != b'\n').collect();
                let mut out = Vec::new();
                let t = decoder(&s, LineFormat::Capture).run(&input[..], &mut out).unwrap();
                proptest::prop_assert_eq!(out.iter().filter(|b| **b == b'\n').count() as u64, t.lines);
                let mut out = Vec::new();
                let body = BatchDecoder { vendor: Some(v.id()), ..decoder(&s, LineFormat::Body) };
                let t = body.run(&input[..], &mut out).unwrap();
                proptest::prop_assert_eq!(out.iter().filter(|b| **b == b'\n').count() as u64, t.lines);
            }
        }
    }

    #[test]
    fn a_wrong_token_or_key_fails_the_line_with_the_check() {
        let (v, s) = dingtalk();
        let line = capture_line(v, &s, "{}");
        let other_token = Secrets {
            token: Some(Secret::new("another")),
            ..s.clone()
        };
        let (t, out) = run(&decoder(&other_token, LineFormat::Capture), &line);
        assert_eq!(t.failed, 1);
        assert_eq!(out[0]["valid"], false);
        assert!(out[0]["errors"][0].as_str().unwrap().contains("signature"));
        assert_eq!(out[0]["plaintext"], "{}", "still opened with the right key");
        let no_key = Secrets {
            aes_key: None,
            ..s.clone()
        };
        let (t, out) = run(&decoder(&no_key, LineFormat::Capture), &line);
        assert_eq!(t.failed, 1);
        assert!(out[0]["errors"][0].as_str().unwrap().contains("aes-key"));
        assert_eq!(out[0]["plaintext"], serde_json::Value::Null);
    }

    #[test]
    fn body_lines_need_a_vendor_and_are_not_verified_without_a_signature() {
        let (v, s) = dingtalk();
        let req = sealed_at(v, b"{\"EventType\":\"x\"}", Kind::Event, &s, 5);
        let body = String::from_utf8(req.body).unwrap();
        let (t, out) = run(&decoder(&s, LineFormat::Body), &body);
        assert_eq!(t.failed, 1);
        assert!(out[0]["errors"][0].as_str().unwrap().contains("vendor"));
        let d = BatchDecoder {
            vendor: Some(v.id()),
            ..decoder(&s, LineFormat::Body)
        };
        let (t, out) = run(&d, &format!("{body}\n{body}\n"));
        assert_eq!(
            t,
            Totals {
                lines: 2,
                failed: 0
            }
        );
        assert_eq!(out[1]["event_type"], "x");
        assert_eq!(out[1]["valid"], serde_json::Value::Null);
    }

    #[test]
    fn quoted_secrets_are_masked_unless_shown() {
        let v = VendorId::named("feishu").vendor();
        let s = Secrets::new("verification-token-1", None);
        let plain = r#"{"type":"url_verification","token":"verification-token-1"}"#;
        let request = sealed_at(v, plain.as_bytes(), Kind::Handshake, &s, 5);
        let line = String::from_utf8(request.body).unwrap();
        let d = BatchDecoder {
            vendor: Some(v.id()),
            ..decoder(&s, LineFormat::Body)
        };
        let (_, out) = run(&d, &line);
        assert!(
            !out[0]["plaintext"]
                .as_str()
                .unwrap()
                .contains("verification-token-1")
        );
        let shown = BatchDecoder {
            show_secrets: true,
            ..d
        };
        let (_, out) = run(&shown, &line);
        assert_eq!(out[0]["plaintext"], plain);
    }

    #[test]
    fn invalid_utf8_is_an_error_line() {
        let s = Secrets::default();
        let (t, out) = run(&decoder(&s, LineFormat::Capture), "");
        assert_eq!(t, Totals::default());
        assert!(out.is_empty());
        let mut out = Vec::new();
        let t = decoder(&s, LineFormat::Capture)
            .run(&b"\xff\xfe\n"[..], &mut out)
            .unwrap();
        assert_eq!(t.failed, 1);
        assert!(
            String::from_utf8(out)
                .unwrap()
                .contains("not a cbkit capture line")
        );
    }
}
