//! Receivers written the way hurried developers write them (a Flask route, a Node `http`
//! handler, Python's `http.server`), one mistake each, on real HTTP at 127.0.0.1:0. They parse
//! the raw query and body by hand; cbkit's crypto functions stand in for the SHA-1, base64 and
//! WXBizMsgCrypt libraries such code imports.
#![allow(dead_code)]

use std::time::Duration;

use cbkit::crypto;
use cbkit::http::{HttpReply, HttpRequest, pct_decode};
use cbkit::protocol::{Now, Secrets, VendorId};

use crate::common::TestServer;

/// The one thing a Tencent Meeting receiver gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wemeet {
    /// None: percent-decode check_str, sign it, base64-decode it, answer.
    Correct,
    /// Signs check_str as it appears in the raw query (`%2B`, `%2F`, `%3D` still there), and
    /// percent-decodes it only afterwards, to decode it.
    SignsUrlEncoded,
    /// Base64-decodes first and signs the decoded text instead of the base64 string.
    SignsDecoded,
    /// Never compares the signature.
    NoSignatureCheck,
    /// Flask `jsonify(text)` / Express `res.json(text)`: `"text"` and a newline, JSON.
    Jsonify,
    /// Echoes check_str back as received, base64 and all.
    EchoesCheckStr,
    /// `@app.get` only: POST gets 405.
    GetOnly,
    /// `@app.post` only: GET gets 405.
    PostOnly,
    /// Python's `base64.b64decode`: unpadded `data` raises, the framework answers 500.
    StrictBase64,
    /// Does the work before answering: answers after `delay`.
    Slow(Duration),
}

pub fn wemeet(token: &str, mistake: Wemeet) -> TestServer {
    let token = token.to_string();
    let delay = match mistake {
        Wemeet::Slow(d) => d,
        _ => Duration::ZERO,
    };
    TestServer::start(move |_, req| (wemeet_handle(&token, mistake, req), delay))
}

fn wemeet_handle(token: &str, m: Wemeet, req: &HttpRequest) -> HttpReply {
    let h = |name: &str| req.header(name).unwrap_or_default().to_string();
    let (timestamp, nonce, signature) = (h("timestamp"), h("nonce"), h("signature"));
    let (payload, answer_of) = match req.method.as_str() {
        "GET" if m == Wemeet::PostOnly => return text(405, "Method Not Allowed"),
        "POST" if m == Wemeet::GetOnly => return text(405, "Method Not Allowed"),
        "GET" => {
            let raw = raw_param(&req.query, "check_str").unwrap_or_default();
            let as_signed = if m == Wemeet::SignsUrlEncoded {
                raw.clone()
            } else {
                pct_decode(&raw)
            };
            (as_signed, None)
        }
        "POST" => {
            let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
            let data = body["data"].as_str().unwrap_or_default().to_string();
            (data, Some("successfully received callback"))
        }
        _ => return text(405, "Method Not Allowed"),
    };
    let decode = |s: &str| -> Result<Vec<u8>, String> {
        if m == Wemeet::StrictBase64 && !s.len().is_multiple_of(4) {
            return Err("binascii.Error: Incorrect padding".into());
        }
        crypto::b64_decode("data", s).map_err(|e| e.to_string())
    };
    let signed = if m == Wemeet::SignsDecoded {
        String::from_utf8_lossy(&decode(&payload).unwrap_or_default()).into_owned()
    } else {
        payload.clone()
    };
    if m != Wemeet::NoSignatureCheck
        && crypto::sorted_sha1(&[token, &timestamp, &nonce, &signed]) != signature
    {
        return text(403, "invalid signature");
    }
    // The URL-encoded signer decodes only now, to read the text.
    let payload = pct_decode(&payload);
    if m == Wemeet::EchoesCheckStr && answer_of.is_none() {
        return text(200, &payload);
    }
    let plain = match decode(&payload) {
        Ok(p) => p,
        Err(e) => return text(500, &format!("Internal Server Error: {e}")),
    };
    let answer = answer_of.map_or(plain, |a| a.as_bytes().to_vec());
    if m == Wemeet::Jsonify {
        let s = serde_json::to_string(&String::from_utf8_lossy(&answer)).unwrap();
        return HttpReply::new(200, "application/json", format!("{s}\n"));
    }
    HttpReply::new(200, "text/html; charset=utf-8", answer)
}

/// The one thing a DingTalk, WeCom or Tencent IM receiver gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Careless {
    Correct,
    NoSignatureCheck,
    /// Decrypts but never compares the receiver id (DingTalk, WeCom) or SdkAppid (Tencent IM).
    NoIdCheck,
    /// DingTalk: answers the bare word `success` instead of the encrypted map.
    PlainSuccess,
    /// WeCom: answers the handshake with echostr exactly as it came in the query.
    EchoesEchostr,
}

/// A receiver for any vendor that verifies with the vendor's official library (cbkit's
/// functions stand in for it), answering 401 with a reason when a check fails, except what
/// `m` skips.
pub fn careless(vendor: VendorId, secrets: Secrets, m: Careless) -> TestServer {
    TestServer::start(move |_, req| (careless_handle(vendor, &secrets, m, req), Duration::ZERO))
}

/// A careful receiver: every check, the right answer.
pub fn careful(vendor: VendorId) -> TestServer {
    careless(vendor, vendor.vendor().demo_secrets(), Careless::Correct)
}

fn careless_handle(
    vendor: VendorId,
    secrets: &Secrets,
    m: Careless,
    req: &HttpRequest,
) -> HttpReply {
    if m == Careless::PlainSuccess {
        return text(200, "success");
    }
    if m == Careless::EchoesEchostr
        && let Some(raw) = raw_param(&req.query, "echostr")
    {
        return text(200, &raw);
    }
    let v = vendor.vendor();
    let Ok(cb) = v.parse(req) else {
        return text(400, "bad request");
    };
    let now = Now::system();
    let checks = match v.verify(&cb, secrets, now) {
        Ok(c) => c,
        // Feishu's challenge comes unsigned: its SDKs answer it on the token alone.
        Err(e) if e.is_missing() && cb.signature.is_none() => Vec::new(),
        Err(e) => return text(401, &e.to_string()),
    };
    let skipped = |name: &str| match m {
        Careless::NoSignatureCheck => name == "signature",
        Careless::NoIdCheck => name == "sdk_app_id" || name == "receiver_id",
        _ => false,
    };
    if let Some(c) = checks.iter().find(|c| !c.ok && !skipped(c.name.as_str())) {
        return text(401, &format!("{} check failed", c.name.as_str()));
    }
    let Ok(opened) = v.open(&cb, secrets) else {
        return text(400, "cannot decrypt");
    };
    let opened_checks = v.check_opened(&opened, secrets);
    if let Some(c) = opened_checks
        .iter()
        .find(|c| !c.ok && !skipped(c.name.as_str()))
    {
        return text(401, &format!("{} check failed", c.name.as_str()));
    }
    v.reply(&cb, &opened, secrets, &v.stamp(now))
        .unwrap_or_else(|e| text(500, &e.to_string()))
}

fn text(status: u16, body: &str) -> HttpReply {
    HttpReply::new(status, "text/plain", body)
}

/// A query parameter as it appears in the URL, not percent-decoded.
pub fn raw_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}
