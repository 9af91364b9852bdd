//! Tencent Meeting (腾讯会议) event subscriptions.
//!
//! GET handshake: `?check_str=<url-encoded base64>`, headers `timestamp`, `nonce`, `signature`;
//! answer the decoded check_str within 3 s. POST events: `{"data":"<base64>"}`; answer exactly
//! `successfully received callback` within 5 s, else retries 1, 3 and 6 minutes later.
//! Signature: `sorted_sha1(token, timestamp, nonce, check_str_decoded | data)` over the string as
//! received. With an EncodingAESKey the base64 decodes to AES-256-CBC ciphertext
//! (key = b64(EncodingAESKey + "="), IV = key[0..16], PKCS#7) of the bare event JSON.

use std::time::Duration;

use super::{
    Answering, Callback, Check, CheckId, Deadlines, DemoSecrets, Judgement, Kind, Now, Opened,
    Outgoing, Payload, Placement, ProbeInput, Rejection, ReplySeal, RetrySchedule, Secrets, Stamp,
    Vendor, VendorFacts, VendorId, plain_reply_mismatch, probe_input, require_200,
};
use crate::crypto::envelope::AesKey;
use crate::crypto::{self, aes_cbc};
use crate::error::{Error, Result};
use crate::http::{self, HttpReply, HttpRequest};

pub struct Wemeet;

/// The only POST reply Tencent Meeting accepts.
pub const EVENT_ACK: &str = "successfully received callback";

/// Where Tencent Meeting carries the signed payload.
const HINT: &str = "the data field of a POST body, or check_str in a GET handshake's query";

impl Vendor for Wemeet {
    fn facts(&self) -> &'static VendorFacts {
        &FACTS
    }

    fn event_type(&self, plaintext: &[u8]) -> Option<String> {
        super::event_type_at(plaintext, &["/event"])
    }

    fn recognise(&self, req: &HttpRequest) -> u8 {
        if req.query_param("check_str").is_some()
            || (req.header("signature").is_some() && req.header("nonce").is_some())
        {
            80
        } else {
            0
        }
    }

    fn parse(&self, req: &HttpRequest) -> Result<Callback> {
        let mut cb = Callback {
            timestamp: req.header("timestamp").map(str::to_string),
            nonce: req.header("nonce").map(str::to_string),
            signature: req.header("signature").map(str::to_string),
            ..Callback::received(req)
        };
        if let Some(check_str) = req.query_param("check_str") {
            cb.payload = Some(Payload::new("check_str", check_str));
            cb.is_get = true;
        } else if req.method != "GET" || !req.body.is_empty() {
            cb.payload = Some(Payload::new("data", data_field(&req.body)?));
        }
        Ok(cb)
    }

    fn sign(&self, cb: &Callback, secrets: &Secrets) -> Result<String> {
        let payload = cb.payload(HINT)?;
        Ok(super::scheme::sorted_sha1::sign(
            secrets.token()?,
            cb.timestamp()?,
            cb.nonce()?,
            &payload.value,
        ))
    }

    fn placement(&self, cb: &Callback, signature: &str) -> Placement {
        let mut p = Placement {
            query: Vec::new(),
            headers: vec![
                ("timestamp".into(), cb.timestamp.clone().unwrap_or_default()),
                ("nonce".into(), cb.nonce.clone().unwrap_or_default()),
                ("signature".into(), signature.into()),
            ],
        };
        if let Some(Payload {
            field: "check_str",
            value,
        }) = &cb.payload
        {
            p.query.push(("check_str".into(), value.clone()));
        }
        p
    }

    fn verify(&self, cb: &Callback, secrets: &Secrets, _now: Now) -> Result<Vec<Check>> {
        let got = cb.signature()?;
        let expected = self.sign(cb, secrets)?;
        let mut check = Check::signature(expected, got);
        // A sender that did not percent-encode check_str has its `+` arrive as a space.
        if !check.ok
            && let Some(p) = cb.payload.as_ref().filter(|p| p.value.contains(' '))
        {
            let mut fixed = cb.clone();
            fixed.payload = Some(Payload::new(p.field, p.value.replace(' ', "+")));
            let alt = self.sign(&fixed, secrets)?;
            if crypto::ct_eq(alt.as_bytes(), got.as_bytes()) {
                check = Check::pass(CheckId::Signature, alt, got);
                check.note = format!(
                    "valid after turning spaces back into '+' in {}: the sender did not percent-encode it",
                    p.field
                );
            }
        }
        Ok(vec![check])
    }

    fn open(&self, cb: &Callback, secrets: &Secrets) -> Result<Opened> {
        let payload = cb.payload(HINT)?;
        // Spaces are `+` that a form decoder mangled; base64 has no spaces.
        let text = if payload.value.contains(' ') {
            std::borrow::Cow::Owned(payload.value.replace(' ', "+"))
        } else {
            std::borrow::Cow::Borrowed(payload.value.as_str())
        };
        let mut raw = crypto::b64_decode(payload.field, &text)?;
        match &secrets.aes_key {
            None if looks_encrypted(&raw) => Err(Error::missing(
                "aes-key",
                format!(
                    "this callback is encrypted: its {} is {} bytes of AES ciphertext, not text; \
                     the Tencent Meeting app was given an EncodingAESKey",
                    payload.field,
                    raw.len()
                ),
            )),
            None => Ok(Opened::plain(raw)),
            Some(key) => {
                let key = AesKey::from_encoding_aes_key("aes-key", key.expose())?;
                let plain = looks_plain(&raw);
                aes_cbc::decrypt_in_place(payload.field, &key.0, &key.iv(), &mut raw).map_err(
                    |e| {
                        if plain {
                            Error::malformed("aes-key", NOT_ENCRYPTED)
                        } else {
                            e
                        }
                    },
                )?;
                Ok(Opened {
                    plaintext: raw.into(),
                    receiver_id: None,
                    decrypted: true,
                })
            }
        }
    }

    fn stamp(&self, now: Now) -> Stamp {
        // The official example's timestamp is in milliseconds.
        Stamp::alnum(now.unix_ms, 8)
    }

    fn event_id(&self, plaintext: &[u8]) -> Option<String> {
        super::json_field(plaintext, &["/unique_sequence"])
    }

    fn seal_outgoing(&self, out: &Outgoing) -> Result<HttpRequest> {
        self.seal_encoded(
            encode(out.plaintext, out.secrets)?,
            out.kind,
            out.secrets,
            out.stamp,
        )
    }

    /// The handshake: a short text whose base64 is standard and padded with `+`, `/` and `=`,
    /// as Tencent Meeting's check_str is (it travels URL-encoded: `%2B`, `%2F`, `%3D`). The
    /// event: Chinese text and emoji in the subject, its `data` unpadded as in the official
    /// example, of a length that needs padding, so a strict decoder shows itself.
    fn probe_outgoing(&self, out: &Outgoing) -> Result<ProbeInput> {
        let (plaintext, kind, secrets, stamp) = (out.plaintext, out.kind, out.secrets, out.stamp);
        let mut last = None;
        for n in 0..4096 {
            let (plain, encoded) = match kind {
                Kind::Handshake => {
                    let text = probe_input::random_probe_text(16).into_bytes();
                    let encoded = encode_padded(&text, secrets)?;
                    (text, encoded)
                }
                Kind::Event => {
                    // A short tag after the subject shifts the base64 until it holds what is wanted.
                    let subject = match n {
                        0 => probe_input::PROBE_TEXT.to_string(),
                        n => format!(
                            "{} #{}",
                            probe_input::PROBE_TEXT,
                            probe_input::random_probe_text(1 + n % 5)
                        ),
                    };
                    let text = probe_input::with_json_text(
                        plaintext,
                        "/payload/0/meeting_info/subject",
                        &subject,
                    );
                    let encoded = encode(&text, secrets)?;
                    (text, encoded)
                }
            };
            let wanted = match kind {
                Kind::Handshake => probe_input::holds_all(&encoded, &['+', '/', '=']),
                Kind::Event => {
                    probe_input::holds_all(&encoded, &probe_input::BASE64_SPECIALS)
                        && (secrets.aes_key.is_some() || encoded.len() % 4 != 0)
                }
            };
            last = Some((plain, encoded));
            if wanted {
                break;
            }
        }
        let (plaintext, encoded) = last.expect("at least one try");
        Ok(ProbeInput {
            request: self.seal_encoded(encoded, kind, secrets, stamp)?,
            plaintext,
        })
    }

    fn answer(&self, to: &Answering) -> Result<HttpReply> {
        let Answering { cb, opened, .. } = *to;
        if cb.is_get {
            Ok(HttpReply::new(
                200,
                "text/plain; charset=utf-8",
                opened.plaintext.clone(),
            ))
        } else {
            Ok(HttpReply::new(200, "text/plain; charset=utf-8", EVENT_ACK))
        }
    }

    fn judge(&self, kind: Kind, sent: &[u8], reply: &HttpReply, secrets: &Secrets) -> Judgement {
        require_200(reply)?;
        let expected: &[u8] = if kind == Kind::Handshake {
            sent
        } else {
            EVENT_ACK.as_bytes()
        };
        match plain_reply_mismatch(expected, &reply.body) {
            None => Ok(()),
            Some(r) if kind == Kind::Event => Err(r.and("Tencent Meeting will retry")),
            Some(r) => Err(still_encoded(sent, &reply.body, secrets)
                .unwrap_or(r)
                .and("Tencent Meeting fails the URL verification")),
        }
    }
}

static FACTS: VendorFacts = VendorFacts {
    id: VendorId::Wemeet,
    scheme: &super::scheme::SortedSha1,
    probe_fixtures: &["wemeet/url-verification", "wemeet/meeting.created"],
    // Tencent Meeting's documented token; plain base64 bodies as in its documented example.
    demo: DemoSecrets::new("bVPU6F8Htxl5XkAbp3jGV2xWp", None),
    deadlines: Deadlines {
        handshake: Duration::from_secs(3),
        event: Duration::from_secs(5),
    },
    retries: RetrySchedule {
        offsets: &[
            Duration::from_secs(60),
            Duration::from_secs(180),
            Duration::from_secs(360),
        ],
        source: "Tencent Meeting: 3 retries, 1, 3 and 6 minutes after the failed delivery",
    },
    max_skew: None,
    reply_seal: ReplySeal::Plain,
};

impl Wemeet {
    /// The request carrying `encoded` (check_str for the handshake, data for an event).
    fn seal_encoded(
        &self,
        encoded: String,
        kind: Kind,
        secrets: &Secrets,
        stamp: &Stamp,
    ) -> Result<HttpRequest> {
        // The handshake's check_str travels in the query (the placement puts it there).
        let handshake = kind == Kind::Handshake;
        let field = if handshake { "check_str" } else { "data" };
        let cb = stamp.callback(field, encoded.clone(), handshake);
        let mut req = super::signed_request(self, &cb, secrets)?;
        if !handshake {
            req.headers
                .insert(0, ("Content-Type".into(), "application/json".into()));
            req.body =
                serde_json::to_vec(&serde_json::json!({ "data": encoded })).expect("string map");
        }
        Ok(req)
    }
}

/// Base64 (after AES when a key is configured) as Tencent Meeting sends it. Plain mode strips
/// the `=` padding like the official example; AES mode keeps it.
/// Why a `data`/`check_str` that decodes to text cannot be opened with an EncodingAESKey. The
/// command layer turns `drop the aes-key` into the flag to drop.
const NOT_ENCRYPTED: &str = "this callback is not encrypted: the Tencent Meeting app sends plain \
     base64 (no EncodingAESKey); drop the aes-key for wemeet";

/// Decoded bytes that are text (JSON, a check_str): what an app without an EncodingAESKey sends.
/// AES ciphertext is text only by a chance far below one in a million.
fn looks_plain(raw: &[u8]) -> bool {
    std::str::from_utf8(raw).is_ok_and(|t| {
        !t.trim().is_empty()
            && t.chars()
                .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
    })
}

/// Decoded bytes that are whole AES blocks and not text: what an app with an EncodingAESKey sends.
fn looks_encrypted(raw: &[u8]) -> bool {
    !raw.is_empty() && raw.len().is_multiple_of(16) && !looks_plain(raw)
}

pub fn encode(plaintext: &[u8], secrets: &Secrets) -> Result<String> {
    match &secrets.aes_key {
        None => Ok(crypto::b64_encode(plaintext)
            .trim_end_matches('=')
            .to_string()),
        Some(key) => {
            let key = AesKey::from_encoding_aes_key("aes-key", key.expose())?;
            Ok(crypto::b64_encode(&aes_cbc::encrypt(
                &key.0,
                &key.iv(),
                plaintext,
                16,
            )))
        }
    }
}

/// Base64 with its `=` padding kept (after AES when a key is configured): check_str as
/// Tencent Meeting sends it.
pub fn encode_padded(plaintext: &[u8], secrets: &Secrets) -> Result<String> {
    match &secrets.aes_key {
        None => Ok(crypto::b64_encode(plaintext)),
        Some(_) => encode(plaintext, secrets),
    }
}

/// The rejection of a handshake answered with check_str itself, still base64 (or still
/// URL-encoded too), instead of the text it decodes to.
fn still_encoded(sent: &[u8], body: &[u8], secrets: &Secrets) -> Option<Rejection> {
    let encoded = encode(sent, secrets).ok()?;
    let body = std::str::from_utf8(body).ok()?.trim();
    let decoded = http::pct_decode(body);
    let bare = |s: &str| s.trim_end_matches('=').to_string();
    if bare(&decoded) != bare(&encoded) {
        return None;
    }
    let how = if decoded != body {
        "still URL-encoded and base64-encoded"
    } else {
        "still base64-encoded"
    };
    Some(Rejection::new(
        format!("the answer is check_str itself, {how}, not the text it decodes to"),
        "percent-decode check_str, base64-decode it (then AES-decrypt it when an EncodingAESKey is set) and answer the plaintext",
    ))
}

/// The `data` string of a POST body `{"data": "..."}`.
pub fn data_field(body: &[u8]) -> Result<String> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        Error::malformed(
            "body",
            format!("not JSON ({e}); Tencent Meeting posts {{\"data\":\"<base64>\"}}"),
        )
    })?;
    match v.get("data") {
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(Error::malformed("data", "must be a string")),
        None => Err(Error::missing("data", "the body has no \"data\" field")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_support::*;
    use crate::secret::Secret;

    const TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
    const DATA: &str = "eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCIsInVuaXF1ZV9zZXF1ZW5jZSI6ImYyMDA5NmVlLThhYzgtNGRmMi1hN2RlLTA1NzQ2NDlmMjExYiIsInBheWxvYWQiOlt7Im9wZXJhdGVfdGltZSI6IjIwMjAtMTItMjkgMTc6NDE6MDYiLCJvcGVyYXRvciI6eyJ1c2VyaWQiOiJ0ZXN0ZXIwMDAwNmJhNWJhYjMzOTg1OGMxM2M5MzBjY2E5NTY4NCJ9LCJtZWV0aW5nX2luZm8iOnsibWVldGluZ19pZCI6IjYwNTg4OTAzODU0ODA5MjEwNTIiLCJtZWV0aW5nX2NvZGUiOiI1MzA4MTI0NTIiLCJzdWJqZWN0IjoibWVkaWEgdGVzdGVyIG1lZXRpbmciLCJjcmVhdG9yX2lkIjoidGVzdGVyMDAwMDZiYTViYWIzMzk4NThjMTNjOTMwY2NhOTU2ODQiLCJob3N0cyI6WyJ0ZXN0ZXIwMDAwNmJhNWJhYjMzOTg1OGMxM2M5MzBjY2E5NTY4NCJdLCJtZWV0aW5nX3R5cGUiOjAsInN0YXJ0X3RpbWUiOiIyMDIwLTEyLTI5IDE3OjQxOjA0IiwiZW5kX3RpbWUiOiIyMDIwLTEyLTI5IDE4OjAxOjA0In19XX0";

    /// A stamp whose values are easy to spot in a request.
    fn fixed_stamp() -> Stamp {
        Stamp {
            timestamp: "1".into(),
            nonce: "2".into(),
        }
    }

    fn secrets() -> Secrets {
        Secrets::new(TOKEN, None)
    }

    fn official() -> Callback {
        Callback {
            timestamp: Some("1609239040864".into()),
            nonce: Some("14964161".into()),
            signature: Some("b11e507817336a91d7df0c8536ee2aca18bbbae8".into()),
            payload: Some(Payload {
                field: "data",
                value: DATA.into(),
            }),
            ..Callback::default()
        }
    }

    #[test]
    fn official_vector_signs_and_decodes() {
        let cb = official();
        assert_eq!(
            Wemeet.sign(&cb, &secrets()).unwrap(),
            "b11e507817336a91d7df0c8536ee2aca18bbbae8"
        );
        assert!(Wemeet.verify(&cb, &secrets(), Now { unix_ms: 0 }).unwrap()[0].ok);
        let opened = Wemeet.open(&cb, &secrets()).unwrap();
        assert!(
            opened
                .text()
                .unwrap()
                .starts_with("{\"event\":\"meeting.created\"")
        );
    }

    #[test]
    fn padding_changes_the_signature() {
        let mut cb = official();
        cb.payload.as_mut().unwrap().value.push('=');
        assert!(!Wemeet.verify(&cb, &secrets(), Now { unix_ms: 0 }).unwrap()[0].ok);
    }

    #[test]
    fn aes_mode_round_trip_and_handshake() {
        let mut s = secrets();
        s.aes_key = Some(Secret::new("Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7"));
        let stamp = fixed_stamp();
        let req = Wemeet
            .seal(b"hello check", Kind::Handshake, &s, &stamp)
            .unwrap();
        assert_eq!(req.method, "GET");
        let cb = Wemeet.parse(&req).unwrap();
        assert!(Wemeet.verify(&cb, &s, Now { unix_ms: 0 }).unwrap()[0].ok);
        let opened = Wemeet.open(&cb, &s).unwrap();
        assert_eq!(opened.plaintext, b"hello check");
        let reply = Wemeet.reply(&cb, &opened, &s, &stamp).unwrap();
        assert_accepted(&Wemeet, Kind::Handshake, b"hello check", &reply, &s);
        // Ciphertext without a key, plain text with one: each says which side is configured wrong.
        let e = Wemeet.open(&cb, &secrets()).unwrap_err();
        assert!(
            e.is_missing() && e.to_string().contains("callback is encrypted"),
            "{e}"
        );
        let e = Wemeet.open(&official(), &s).unwrap_err().to_string();
        assert!(
            e.starts_with("aes-key: this callback is not encrypted"),
            "{e}"
        );
    }

    #[test]
    fn plus_turned_space_is_tolerated_and_said() {
        let s = secrets();
        let stamp = fixed_stamp();
        // "?>>" encodes to "Pz4+" which contains a '+'.
        let req = Wemeet.seal(b"?>>", Kind::Handshake, &s, &stamp).unwrap();
        let mut cb = Wemeet.parse(&req).unwrap();
        let v = cb.payload.as_mut().unwrap();
        assert!(v.value.contains('+'));
        v.value = v.value.replace('+', " ");
        let checks = Wemeet.verify(&cb, &s, Now { unix_ms: 0 }).unwrap();
        assert!(checks[0].ok);
        assert!(checks[0].note.contains("'+'"));
        assert_eq!(Wemeet.open(&cb, &s).unwrap().plaintext, b"?>>");
    }

    #[test]
    fn judge_rejects_newline_and_quotes() {
        let s = secrets();
        let ok = HttpReply::new(200, "text/plain", EVENT_ACK);
        assert_accepted(&Wemeet, Kind::Event, b"", &ok, &s);
        let nl = HttpReply::new(200, "text/plain", format!("{EVENT_ACK}\n"));
        assert!(rejection(&Wemeet, Kind::Event, b"", &nl, &s).contains("trailing newline"));
        let q = HttpReply::new(200, "text/plain", format!("\"{EVENT_ACK}\""));
        assert!(rejection(&Wemeet, Kind::Event, b"", &q, &s).contains("quotes"));
        let e = HttpReply::new(500, "text/plain", EVENT_ACK);
        assert!(rejection(&Wemeet, Kind::Event, b"", &e, &s).contains("500"));
    }

    #[test]
    fn every_rejection_states_a_fix() {
        let s = secrets();
        for (kind, body, reason) in [
            (
                Kind::Event,
                format!("{EVENT_ACK}\n"),
                "Tencent Meeting will retry",
            ),
            (Kind::Event, String::new(), "empty body"),
            (
                Kind::Handshake,
                "other".into(),
                "fails the URL verification",
            ),
        ] {
            let reply = HttpReply::new(200, "text/plain", body);
            let r = Wemeet.judge(kind, b"check", &reply, &s).unwrap_err();
            assert!(r.reason.contains(reason), "{reason}: {}", r.reason);
            assert!(!r.fix.is_empty(), "{reason}");
        }
    }

    #[test]
    fn probe_inputs_hold_what_tencent_meeting_sends() {
        let stamp = fixed_stamp();
        let mut aes = secrets();
        aes.aes_key = Some(Secret::new("Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7"));
        for s in [secrets(), aes] {
            let hs = Wemeet
                .probe_input(b"x", Kind::Handshake, &s, &stamp)
                .unwrap();
            for escaped in ["%2B", "%2F", "%3D"] {
                assert!(hs.request.query.contains(escaped), "{}", hs.request.query);
            }
            let cb = Wemeet.parse(&hs.request).unwrap();
            assert!(Wemeet.verify(&cb, &s, Now { unix_ms: 0 }).unwrap()[0].ok);
            assert_eq!(Wemeet.open(&cb, &s).unwrap().plaintext, hs.plaintext);
            let event = br#"{"payload":[{"meeting_info":{"subject":"x"}}]}"#;
            let ev = Wemeet.probe_input(event, Kind::Event, &s, &stamp).unwrap();
            let data = data_field(&ev.request.body).unwrap();
            assert!(data.contains('+') && data.contains('/'), "{data}");
            if s.aes_key.is_none() {
                assert!(
                    !data.contains('=') && !data.len().is_multiple_of(4),
                    "{data}"
                );
            }
            let cb = Wemeet.parse(&ev.request).unwrap();
            let text = String::from_utf8(Wemeet.open(&cb, &s).unwrap().plaintext.to_vec()).unwrap();
            assert!(text.contains(probe_input::PROBE_TEXT), "{text}");
        }
    }

    #[test]
    fn check_str_echoed_still_encoded_is_named() {
        let s = secrets();
        let sent = b"ab?>cd";
        let b64 = crypto::b64_encode(sent);
        for (body, how) in [
            (b64.clone(), "still base64-encoded"),
            (
                http::pct_encode(&b64),
                "still URL-encoded and base64-encoded",
            ),
        ] {
            let reply = HttpReply::new(200, "text/plain", body);
            let r = Wemeet.judge(Kind::Handshake, sent, &reply, &s).unwrap_err();
            assert!(r.reason.contains(how), "{}", r.reason);
            assert!(r.fix.contains("base64-decode it"), "{}", r.fix);
        }
        let other = HttpReply::new(200, "text/plain", "nope");
        let r = Wemeet.judge(Kind::Handshake, sent, &other, &s).unwrap_err();
        assert!(!r.reason.contains("check_str itself"), "{}", r.reason);
    }

    #[test]
    fn event_type_is_the_event_field() {
        assert_eq!(
            Wemeet
                .event_type(br#"{"event":"meeting.created","type":"x"}"#)
                .as_deref(),
            Some("meeting.created")
        );
        assert_eq!(Wemeet.event_type(b"check-str"), None);
    }

    // Pins found by mutation testing (scripts/mutants.sh): each test below fails when the named
    // part of the vendor's behaviour is changed.

    #[test]
    fn vendor_facts() {
        assert_eq!(Wemeet.id(), VendorId::Wemeet);
        assert_eq!(
            Wemeet.deadline(Kind::Handshake, b""),
            Duration::from_secs(3)
        );
        assert_eq!(Wemeet.deadline(Kind::Event, b""), Duration::from_secs(5));
        assert_stamp(&Wemeet, 1_609_239_040_864, "1609239040864", 8);
        assert_probe_fixtures_bundled(&Wemeet, 2);
        // The demo token is the one of the published vector.
        let demo = Wemeet.demo_secrets();
        assert!(
            Wemeet
                .verify(&official(), &demo, Now { unix_ms: 0 })
                .unwrap()[0]
                .ok
        );
        assert_eq!(
            Wemeet
                .event_id(br#"{"event":"meeting.created","unique_sequence":"u-1"}"#)
                .as_deref(),
            Some("u-1")
        );
        assert_eq!(Wemeet.event_id(br#"{"event":"meeting.created"}"#), None);
    }

    #[test]
    fn recognised_by_check_str_or_both_headers() {
        let both = [("signature", "s"), ("nonce", "n")];
        assert_eq!(
            Wemeet.recognise(&request("GET", "check_str=abc", &[], "")),
            80
        );
        assert_eq!(Wemeet.recognise(&request("POST", "", &both, "{}")), 80);
        assert_eq!(
            Wemeet.recognise(&request("POST", "", &[("signature", "s")], "{}")),
            0
        );
        assert_eq!(Wemeet.recognise(&request("POST", "", &[], "{}")), 0);
    }

    #[test]
    fn parse_takes_data_from_a_post_and_nothing_from_an_empty_get() {
        let s = secrets();
        let stamp = fixed_stamp();
        let post = Wemeet
            .seal(br#"{"event":"meeting.created"}"#, Kind::Event, &s, &stamp)
            .unwrap();
        assert!(post.query.is_empty(), "{}", post.query);
        let cb = Wemeet.parse(&post).unwrap();
        assert!(!cb.is_get);
        assert_eq!(cb.body, post.body);
        let payload = cb.payload.as_ref().unwrap();
        assert_eq!(payload.field, "data");
        assert_eq!(payload.value, data_field(&post.body).unwrap());
        assert!(Wemeet.verify(&cb, &s, Now { unix_ms: 0 }).unwrap()[0].ok);
        assert_eq!(
            Wemeet.open(&cb, &s).unwrap().plaintext,
            br#"{"event":"meeting.created"}"#
        );

        let get = Wemeet.seal(b"check", Kind::Handshake, &s, &stamp).unwrap();
        assert!(get.query.starts_with("check_str="), "{}", get.query);
        assert!(get.body.is_empty());
        assert!(Wemeet.parse(&get).unwrap().is_get);

        let empty_get = request("GET", "", &[], "");
        let cb = Wemeet.parse(&empty_get).unwrap();
        assert_eq!(cb.payload, None);
        assert!(cb.is_get);
        // A POST must carry {"data":...}.
        assert!(Wemeet.parse(&request("POST", "", &[], "")).is_err());
    }
}
