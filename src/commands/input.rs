//! Turning flags, files and stdin into library inputs: secrets and a vendor `Callback`.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result};

use cbkit::http::{self, HttpRequest};
use cbkit::protocol::{Callback, Payload, Secrets, Vendor};
use cbkit::secret::Secret;

use crate::cli::{MessageArgs, SecretArgs};

/// Secrets from flags and environment (clap already merged the two).
pub fn secrets(args: &SecretArgs) -> Secrets {
    let nonempty = |s: &Option<String>| s.clone().filter(|v| !v.is_empty());
    Secrets {
        token: nonempty(&args.token).map(Secret::new),
        aes_key: nonempty(&args.aes_key).map(Secret::new),
        receiver_id: nonempty(&args.receiver_id),
        sdk_app_id: nonempty(&args.sdk_app_id),
    }
}

/// The target URL from `--url` or the profile, checked before anything is sent.
pub fn url(u: &Option<String>) -> Result<&str> {
    let url = u
        .as_deref()
        .filter(|u| !u.is_empty())
        .ok_or_else(|| cbkit::Error::missing("url", "pass --url or set url in a config profile"))?;
    cbkit::client::check_url("url", url)?;
    Ok(url)
}

/// Read a file, or stdin for `-`.
pub fn read_path(path: &Path, what: &str) -> Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .with_context(|| format!("{what}: cannot read stdin"))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| {
        anyhow::Error::new(cbkit::Error::malformed(
            what,
            format!("cannot read {}: {e}", path.display()),
        ))
    })
}

/// Does this look like a raw HTTP request rather than a body?
pub fn looks_like_raw_request(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(16)];
    ["GET ", "POST ", "PUT ", "HEAD "]
        .iter()
        .any(|m| head.starts_with(m.as_bytes()))
}

/// What reading the input changed, for the command to say.
#[derive(Debug, Default)]
pub struct Reading {
    /// The payload fields that arrived URL-encoded and were percent-decoded.
    pub url_decoded: Vec<&'static str>,
}

impl Reading {
    /// The note to print on stderr, if anything was changed.
    pub fn note(&self) -> Option<String> {
        let field = self.url_decoded.first()?;
        Some(format!(
            "note: {field} arrived URL-encoded (%2B, %2F, %3D); it was percent-decoded before checking"
        ))
    }
}

/// Build the callback described by the flags (see [`read_callback`]).
pub fn callback(vendor: &dyn Vendor, m: &MessageArgs) -> Result<Callback> {
    read_callback(vendor, m).map(|(cb, _)| cb)
}

/// Build the callback described by the flags: a captured request or a body first, then every
/// field given on the command line on top (so a flag can correct one field of a capture).
/// An `encrypt` that arrived URL-encoded (copied from a query string or a form-encoded log) is
/// decoded: base64 never contains '%', and the vendor signed the decoded string.
pub fn read_callback(vendor: &dyn Vendor, m: &MessageArgs) -> Result<(Callback, Reading)> {
    let payload_flag =
        m.data.is_some() || m.check_str.is_some() || m.encrypt.is_some() || m.echostr.is_some();
    let mut raw_request = None;
    let mut body = None;
    if let Some(p) = &m.request {
        raw_request = Some(read_path(p, "request")?);
    } else if let Some(p) = &m.body {
        let bytes = read_path(p, "body")?;
        if looks_like_raw_request(&bytes) {
            raw_request = Some(bytes);
        } else {
            body = Some(bytes);
        }
    } else if !payload_flag
        && m.from_capture.is_none()
        && m.curl.is_none()
        && !std::io::stdin().is_terminal()
    {
        // `pbpaste | cbkit decode dingtalk`: a body or a whole request on stdin.
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read stdin")?;
        if looks_like_raw_request(&bytes) {
            raw_request = Some(bytes);
        } else if !bytes.iter().all(u8::is_ascii_whitespace) {
            body = Some(bytes);
        }
    }

    let mut cb = if let Some(spec) = &m.from_capture {
        vendor.parse(&read_capture(spec)?.request)?
    } else if let Some(command) = &m.curl {
        // read_path's error for a file already names the field; stdin's (`-d @-`) is context
        // on an io::Error, made one here.
        let read = |p: &str| {
            read_path(Path::new(p), "curl").map_err(|e| {
                e.downcast::<cbkit::Error>().unwrap_or_else(|e| {
                    cbkit::Error::malformed(
                        "curl",
                        format!("cannot read stdin: {}", e.root_cause()),
                    )
                })
            })
        };
        vendor.parse(&cbkit::curl::parse(command, &read)?)?
    } else if let Some(raw) = raw_request {
        vendor.parse(&HttpRequest::parse_raw(&raw)?)?
    } else if let Some(bare) = body.as_deref().and_then(bare_base64) {
        // `pbpaste | cbkit decode dingtalk` with only the encrypt string copied.
        Callback {
            payload: Some(Payload {
                field: "encrypt",
                value: bare,
            }),
            ..Callback::default()
        }
    } else if let Some(body) = body {
        let body = trim_trailing_newline(body);
        vendor.parse(&HttpRequest {
            method: "POST".into(),
            path: "/".into(),
            body,
            ..HttpRequest::default()
        })?
    } else {
        Callback::default()
    };

    let set = |slot: &mut Option<String>, v: &Option<String>| {
        if let Some(v) = v {
            *slot = Some(v.clone());
        }
    };
    set(&mut cb.timestamp, &m.timestamp);
    set(&mut cb.nonce, &m.nonce);
    set(&mut cb.signature, &m.signature);
    set(&mut cb.request_time, &m.request_time);
    set(&mut cb.command, &m.command);
    if let Some(v) = &m.data {
        cb.payload = Some(Payload {
            field: "data",
            value: v.clone(),
        });
    }
    if let Some(v) = &m.encrypt {
        cb.payload = Some(Payload {
            field: "encrypt",
            value: v.clone(),
        });
    }
    // These travel in the URL: accept them encoded or decoded (base64 never contains '%').
    if let Some(v) = &m.check_str {
        cb.payload = Some(Payload {
            field: "check_str",
            value: http::pct_decode(v),
        });
        cb.is_get = true;
    }
    if let Some(v) = &m.echostr {
        cb.payload = Some(Payload {
            field: "echostr",
            value: http::pct_decode(v),
        });
        cb.is_get = true;
    }
    let mut reading = Reading::default();
    if let Some(p) = cb.payload.as_mut().filter(|p| p.field == "encrypt")
        && p.value.contains('%')
    {
        p.value = http::pct_decode(&p.value);
        reading.url_decoded.push(p.field);
    }
    Ok((cb, reading))
}

/// A body that is one bare base64 string (possibly URL-encoded), not a JSON or XML document.
fn bare_base64(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let base64ish = |b: u8| b.is_ascii_alphanumeric() || b"+/=%-_".contains(&b);
    (!text.is_empty() && text.bytes().all(base64ish)).then(|| text.to_string())
}

/// Read one capture line from `FILE.jsonl[:N]`.
pub fn read_capture(spec: &str) -> Result<cbkit::capture::Capture> {
    let (path, index) = cbkit::capture::split_spec(spec);
    let text = read_path(Path::new(path), "capture")?;
    Ok(cbkit::capture::pick(
        &String::from_utf8_lossy(&text),
        index,
    )?)
}

/// Editors end files with a newline that was never part of the captured body. A JSON body is
/// unaffected by it except for Feishu's signature over the raw bytes, where the newline would
/// be wrong; keep everything else byte for byte.
fn trim_trailing_newline(mut body: Vec<u8>) -> Vec<u8> {
    if body.ends_with(b"\r\n") {
        body.truncate(body.len() - 2);
    } else if body.ends_with(b"\n") {
        body.truncate(body.len() - 1);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_base64_string_is_told_from_a_document() {
        assert_eq!(
            bare_base64(b"YWJj%2BZA%3D%3D\n").as_deref(),
            Some("YWJj%2BZA%3D%3D")
        );
        assert_eq!(
            bare_base64(b"0vJi+m8/Xb==").as_deref(),
            Some("0vJi+m8/Xb==")
        );
        assert_eq!(bare_base64(b"{\"encrypt\":\"YWJj\"}"), None);
        assert_eq!(bare_base64(b"<xml><Encrypt>YWJj</Encrypt></xml>"), None);
        assert_eq!(bare_base64(b" \n"), None);
    }
}
