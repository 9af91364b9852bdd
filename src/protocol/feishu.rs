//! Feishu / Lark event subscriptions.
//!
//! POST JSON with headers `X-Lark-Request-Timestamp`, `X-Lark-Request-Nonce`, `X-Lark-Signature`
//! where `signature = lower_hex(sha256(timestamp + nonce + encrypt_key + raw_body))` over the raw
//! body bytes. With an Encrypt Key the body is `{"encrypt":"<base64(iv16 ‖ AES-256-CBC)>"}`,
//! key = sha256(encrypt_key), PKCS#7/16, no receiver id. The Verification Token travels inside
//! the plaintext (`header.token` in schema 2.0, `token` in 1.0). `url_verification` must be
//! answered `{"challenge":"<same>"}` within 1 s; events need 200 within 3 s, else retries after
//! 15 s, 5 min, 1 h and 6 h.

use std::time::Duration;

use super::{
    Answering, Callback, Check, CheckId, Deadlines, DemoSecrets, Judgement, Kind, Now, Opened,
    Outgoing, Payload, Placement, Rejection, ReplySeal, RetrySchedule, Secrets, Stamp, Vendor,
    VendorFacts, VendorId, Warning, require_200,
};
use crate::crypto::{self, Plaintext, aes_cbc};
use crate::error::{Error, Result};
use crate::http::{HttpReply, HttpRequest};

pub struct Feishu;

pub const H_TIMESTAMP: &str = "X-Lark-Request-Timestamp";
pub const H_NONCE: &str = "X-Lark-Request-Nonce";
pub const H_SIGNATURE: &str = "X-Lark-Signature";

/// Why an unsigned challenge is answered: Feishu sends `url_verification` without any
/// `X-Lark-*` header, Encrypt Key or not (a capture in larksuite/oapi-sdk-python issue 79; a
/// tcpdump in openclaw/openclaw issue 58905), and both official SDKs answer it before checking
/// a signature. What still proves it is Feishu's: the Encrypt Key decrypts it and the
/// Verification Token inside matches.
pub const UNSIGNED_CHALLENGE: &str = "Feishu sends the url_verification challenge without X-Lark-* headers; answered, as its SDKs do, on the Encrypt Key and Verification Token alone";

/// The request headers Feishu's sender adds, as captured on a challenge (larksuite/oapi-sdk-python
/// issue 79): Go's default client and a request id lark-oapi logs (`X-Request-Id`). The capture
/// writes the Content-Type without the space; receivers read either.
const CONTENT_TYPE: &str = "application/json; charset=utf-8";
const USER_AGENT: &str = "Go-http-client/1.1";
const H_REQUEST_ID: &str = "X-Request-Id";

impl Vendor for Feishu {
    fn facts(&self) -> &'static VendorFacts {
        &FACTS
    }

    /// The message text in Chinese with emoji (the body is signed byte for byte, so a receiver
    /// that re-encodes it shows itself).
    fn probe_text(&self, plaintext: &[u8], _kind: Kind) -> Vec<u8> {
        let content =
            serde_json::json!({ "text": format!("@_user_1 {}", super::probe_input::PROBE_TEXT) });
        super::probe_input::with_json_text(
            plaintext,
            "/event/message/content",
            &content.to_string(),
        )
    }

    /// Schema 2.0 names it in the header; 1.0 inside `event`; the challenge by its `type`.
    fn event_type(&self, plaintext: &[u8]) -> Option<String> {
        super::event_type_at(plaintext, &["/header/event_type", "/event/type", "/type"])
    }

    fn recognise(&self, req: &HttpRequest) -> u8 {
        if req.header("X-Lark-Request-Timestamp").is_some()
            || req.header("X-Lark-Signature").is_some()
        {
            return 100;
        }
        // A challenge may come without X-Lark headers; a bare `encrypt` body is the weakest hint
        // (DingTalk's encrypt map travels with msg_signature in the query, which outranks this).
        let body = String::from_utf8_lossy(&req.body);
        if body.contains("\"schema\"")
            || body.contains("url_verification")
            || body.contains("\"challenge\"")
        {
            30
        } else if body.contains("\"encrypt\"") {
            10
        } else {
            0
        }
    }

    fn parse(&self, req: &HttpRequest) -> Result<Callback> {
        let mut cb = Callback {
            timestamp: req.header(H_TIMESTAMP).map(str::to_string),
            nonce: req.header(H_NONCE).map(str::to_string),
            signature: req.header(H_SIGNATURE).map(str::to_string),
            ..Callback::received(req)
        };
        cb.payload = encrypt_of(&req.body)?.map(|value| Payload::new("encrypt", value));
        Ok(cb)
    }

    fn sign(&self, cb: &Callback, secrets: &Secrets) -> Result<String> {
        let key = secrets
            .aes_key
            .as_ref()
            .ok_or_else(|| Error::missing("aes-key", "Feishu signs with the Encrypt Key"))?;
        Ok(super::scheme::body_sha256::sign(
            cb.timestamp()?,
            cb.nonce()?,
            key.expose(),
            &cb.body,
        ))
    }

    fn placement(&self, cb: &Callback, signature: &str) -> Placement {
        let mut headers = vec![
            (
                H_TIMESTAMP.to_string(),
                cb.timestamp.clone().unwrap_or_default(),
            ),
            (H_NONCE.to_string(), cb.nonce.clone().unwrap_or_default()),
        ];
        if !signature.is_empty() {
            headers.push((H_SIGNATURE.to_string(), signature.to_string()));
        }
        Placement {
            query: Vec::new(),
            headers,
        }
    }

    fn verify(&self, cb: &Callback, secrets: &Secrets, _now: Now) -> Result<Vec<Check>> {
        if secrets.aes_key.is_none() && cb.signature.is_none() {
            // Without an Encrypt Key Feishu's only proof is the token inside the body.
            return Ok(Vec::new());
        }
        let Some(got) = cb.signature.as_deref() else {
            if self.is_challenge(cb, secrets) {
                return Err(Error::missing(H_SIGNATURE, UNSIGNED_CHALLENGE));
            }
            return Ok(vec![Check::fail(
                CheckId::Signature,
                "X-Lark-Signature header",
                "",
                "no X-Lark-Signature header although an Encrypt Key is configured",
            )]);
        };
        Ok(vec![Check::signature(self.sign(cb, secrets)?, got)])
    }

    fn open(&self, cb: &Callback, secrets: &Secrets) -> Result<Opened> {
        match &cb.payload {
            None => Opened::json_body(cb, "Feishu posts a JSON body"),
            Some(p) => {
                let key = secrets.aes_key().map_err(|_| {
                    Error::missing("aes-key", "the body is encrypted with the Encrypt Key")
                })?;
                Ok(Opened {
                    plaintext: decrypt(key, &p.value)?,
                    receiver_id: None,
                    decrypted: true,
                })
            }
        }
    }

    fn check_opened(&self, opened: &Opened, secrets: &Secrets) -> Vec<Check> {
        let Some(own) = &secrets.token else {
            return Vec::new();
        };
        let v: serde_json::Value = serde_json::from_slice(&opened.plaintext).unwrap_or_default();
        let found = v
            .pointer("/header/token")
            .or_else(|| v.get("token"))
            .and_then(|t| t.as_str())
            .unwrap_or_default();
        let masked = crate::secret::mask(found);
        if crypto::ct_eq(found.as_bytes(), own.expose().as_bytes()) {
            vec![Check::pass(CheckId::Token, own.masked(), masked)]
        } else if found.is_empty() {
            vec![Check::fail(
                CheckId::Token,
                own.masked(),
                "",
                "no Verification Token in the body (header.token or token)",
            )]
        } else {
            vec![Check::fail(
                CheckId::Token,
                own.masked(),
                masked,
                "Verification Token differs: another app's event?",
            )]
        }
    }

    fn stamp(&self, now: Now) -> Stamp {
        Stamp::alnum(now.secs(), 16)
    }

    fn event_id(&self, plaintext: &[u8]) -> Option<String> {
        super::json_field(plaintext, &["/header/event_id", "/uuid"])
    }

    fn kind(&self, _is_get: bool, plaintext: &[u8]) -> Kind {
        if challenge_of(plaintext).is_some() {
            Kind::Handshake
        } else {
            Kind::Event
        }
    }

    fn seal_outgoing(&self, out: &Outgoing) -> Result<HttpRequest> {
        let body = match &out.secrets.aes_key {
            Some(key) => serde_json::to_vec(
                &serde_json::json!({ "encrypt": encrypt(key.expose(), out.plaintext) }),
            )
            .expect("string map"),
            None => out.plaintext.to_vec(),
        };
        let cb = Callback {
            timestamp: Some(out.stamp.timestamp.clone()),
            nonce: Some(out.stamp.nonce.clone()),
            body: body.clone(),
            ..Callback::default()
        };
        let signature = if out.secrets.aes_key.is_some() {
            self.sign(&cb, out.secrets)?
        } else {
            String::new()
        };
        let mut headers = vec![
            ("Content-Type".to_string(), CONTENT_TYPE.to_string()),
            ("User-Agent".to_string(), USER_AGENT.to_string()),
            (H_REQUEST_ID.to_string(), crate::fixture::uuid_v4()),
        ];
        // The challenge travels unsigned, as Feishu sends it (see UNSIGNED_CHALLENGE).
        if out.kind == Kind::Event {
            headers.extend(self.placement(&cb, &signature).headers);
        }
        Ok(HttpRequest {
            method: "POST".into(),
            path: "/".into(),
            query: String::new(),
            headers,
            body,
        })
    }

    fn answer(&self, to: &Answering) -> Result<HttpReply> {
        match challenge_of(&to.opened.plaintext) {
            Some(c) => Ok(HttpReply::new(
                200,
                "application/json",
                serde_json::to_vec(&serde_json::json!({ "challenge": c })).expect("string map"),
            )),
            None => Ok(HttpReply::new(200, "application/json", "{}")),
        }
    }

    fn judge(&self, kind: Kind, sent: &[u8], reply: &HttpReply, _secrets: &Secrets) -> Judgement {
        const FIX: &str = "decrypt the request if needed and return {\"challenge\":\"<same value>\"} as application/json";
        require_200(reply)?;
        if kind == Kind::Event {
            return Ok(());
        }
        let expected = challenge_of(sent).unwrap_or_default();
        let not_json = |body| {
            format!(
                "challenge reply is not JSON (`{body}`): answer {{\"challenge\":\"{expected}\"}}"
            )
        };
        let v = super::json_reply(reply, not_json, FIX)?;
        match v.get("challenge").and_then(|c| c.as_str()) {
            Some(c) if c == expected => {}
            Some(c) => {
                return Err(Rejection::new(
                    format!("challenge is `{c}`, expected `{expected}`"),
                    FIX,
                ));
            }
            None => {
                return Err(Rejection::new(
                    format!(
                        "reply JSON has no \"challenge\": answer {{\"challenge\":\"{expected}\"}} (decrypt the request first when it is encrypted)"
                    ),
                    FIX,
                ));
            }
        }
        Ok(())
    }

    /// Feishu asks for the challenge "in JSON format" and names no header; lark node-sdk's
    /// documented node:http adapter (`adaptDefault`) answers with none. So a missing or
    /// non-JSON Content-Type on a correct challenge is a warning (interop/FINDINGS.md (a)).
    fn reply_warnings(&self, kind: Kind, _sent: &[u8], reply: &HttpReply) -> Vec<Warning> {
        match (kind, reply.header("Content-Type")) {
            (Kind::Event, _) => Vec::new(),
            (_, Some(ct)) if ct.to_ascii_lowercase().contains("json") => Vec::new(),
            (_, other) => vec![Warning::new(
                format!(
                    "Content-Type is `{}`; Feishu reads the JSON body, but its SDKs answer application/json",
                    other.unwrap_or("(none)")
                ),
                "send Content-Type: application/json",
            )],
        }
    }
}

static FACTS: VendorFacts = VendorFacts {
    id: VendorId::Feishu,
    scheme: &super::scheme::BodySha256,
    probe_fixtures: &["feishu/url_verification", "feishu/im.message.receive_v1"],
    // A made-up Verification Token and the Encrypt Key of Feishu's published decryption example.
    demo: DemoSecrets::new("demoVerificationToken", Some("test key")),
    deadlines: Deadlines {
        handshake: Duration::from_secs(1),
        event: Duration::from_secs(3),
    },
    retries: RetrySchedule {
        offsets: &[
            Duration::from_secs(15),
            Duration::from_secs(300),
            Duration::from_secs(3600),
            Duration::from_secs(21600),
        ],
        source: "Feishu: retries after 15 s, 5 min, 1 h and 6 h",
    },
    max_skew: None,
    reply_seal: ReplySeal::Plain,
};

impl Feishu {
    /// Whether `cb`'s body opens (with the configured Encrypt Key, if encrypted) to a
    /// `url_verification` challenge.
    fn is_challenge(&self, cb: &Callback, secrets: &Secrets) -> bool {
        self.open(cb, secrets)
            .is_ok_and(|o| challenge_of(&o.plaintext).is_some())
    }
}

/// The challenge of a `url_verification` plaintext.
pub fn challenge_of(plaintext: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(plaintext).ok()?;
    if v.get("type").and_then(|t| t.as_str()) != Some("url_verification") {
        return None;
    }
    v.get("challenge")
        .and_then(|c| c.as_str())
        .map(str::to_string)
}

/// The `encrypt` field of a JSON body, if the body is the encrypted form.
fn encrypt_of(body: &[u8]) -> Result<Option<String>> {
    if body.is_empty() {
        return Ok(None);
    }
    let v: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| Error::malformed("body", format!("not JSON: {e}")))?;
    match v.get("encrypt") {
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::malformed("encrypt", "must be a string")),
        None => Ok(None),
    }
}

/// `base64(iv ‖ AES-256-CBC(sha256(encrypt_key), iv, pkcs7_16(plaintext)))` with a fresh IV.
pub fn encrypt(encrypt_key: &str, plaintext: &[u8]) -> String {
    let key = crypto::sha256(encrypt_key.as_bytes());
    let iv = crypto::random_bytes::<16>();
    let mut out = iv.to_vec();
    out.extend(aes_cbc::encrypt(&key, &iv, plaintext, 16));
    crypto::b64_encode(&out)
}

/// Decrypt a Feishu `encrypt` string.
pub fn decrypt(encrypt_key: &str, encrypted: &str) -> Result<Plaintext> {
    let mut raw = crypto::b64_decode("encrypt", encrypted)?;
    if raw.len() < 32 {
        return Err(Error::malformed(
            "encrypt",
            format!(
                "{} bytes after base64: too short for a 16-byte IV and one AES block (truncated?)",
                raw.len()
            ),
        ));
    }
    let key = crypto::sha256(encrypt_key.as_bytes());
    let iv: [u8; 16] = raw[..16].try_into().expect("16 bytes");
    // Decrypted where it was decoded, behind the IV.
    let n = aes_cbc::decrypt_slice("encrypt", &key, &iv, &mut raw[16..])?;
    Ok(Plaintext::within(raw, 16..16 + n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_support::*;
    use crate::secret::Secret;

    #[test]
    fn official_decrypt_vector() {
        assert_eq!(
            decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=").unwrap(),
            b"hello world"
        );
    }

    #[test]
    fn encrypted_challenge_round_trip() {
        let s = Secrets::new("vtoken", Some("test key"));
        let plain =
            br#"{"challenge":"ajls384kdjx98XX","token":"vtoken","type":"url_verification"}"#;
        let stamp = Feishu.stamp(Now {
            unix_ms: 1_700_000_000_000,
        });
        let req = Feishu.seal(plain, Kind::Handshake, &s, &stamp).unwrap();
        let cb = Feishu.parse(&req).unwrap();
        // Unsigned, as Feishu sends it: not verified, for want of a signature, rather than failed.
        let e = Feishu.verify(&cb, &s, Now { unix_ms: 0 }).unwrap_err();
        assert!(e.is_missing() && e.to_string().contains("X-Lark"), "{e}");
        let opened = Feishu.open(&cb, &s).unwrap();
        assert_eq!(opened.plaintext, plain);
        assert!(Feishu.check_opened(&opened, &s)[0].ok);
        let reply = Feishu.reply(&cb, &opened, &s, &stamp).unwrap();
        assert_eq!(reply.body, br#"{"challenge":"ajls384kdjx98XX"}"#);
        assert_accepted(&Feishu, Kind::Handshake, plain, &reply, &s);
        let wrong = HttpReply::new(200, "text/plain", "ajls384kdjx98XX");
        assert!(rejection(&Feishu, Kind::Handshake, plain, &wrong, &s).contains("not JSON"));
    }

    #[test]
    fn reserialised_body_breaks_the_signature() {
        let s = Secrets {
            aes_key: Some(Secret::new("k")),
            ..Secrets::default()
        };
        let stamp = Feishu.stamp(Now { unix_ms: 1 });
        let req = Feishu.seal(b"{\"a\":1}", Kind::Event, &s, &stamp).unwrap();
        let mut cb = Feishu.parse(&req).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&cb.body).unwrap();
        cb.body = serde_json::to_vec_pretty(&v).unwrap();
        assert!(!Feishu.verify(&cb, &s, Now { unix_ms: 0 }).unwrap()[0].ok);
    }

    #[test]
    fn every_rejection_states_a_fix() {
        let s = Secrets::default();
        let sent = br#"{"challenge":"c1","type":"url_verification"}"#;
        for (ct, body, reason) in [
            ("text/plain", "c1", "not JSON"),
            ("application/json", r#"{"challenge":"c2"}"#, "expected `c1`"),
            ("application/json", "{}", "no \"challenge\""),
        ] {
            let reply = HttpReply::new(200, ct, body);
            let r = Feishu.judge(Kind::Handshake, sent, &reply, &s).unwrap_err();
            assert!(r.reason.contains(reason), "{reason}: {}", r.reason);
            assert!(!r.fix.is_empty(), "{reason}");
        }
    }

    #[test]
    fn event_type_by_schema() {
        let v2 = br#"{"schema":"2.0","header":{"event_type":"im.message.receive_v1"}}"#;
        let v1 = br#"{"type":"event_callback","event":{"type":"approval_instance"}}"#;
        let challenge = br#"{"challenge":"c","type":"url_verification"}"#;
        assert_eq!(
            Feishu.event_type(v2).as_deref(),
            Some("im.message.receive_v1")
        );
        assert_eq!(Feishu.event_type(v1).as_deref(), Some("approval_instance"));
        assert_eq!(
            Feishu.event_type(challenge).as_deref(),
            Some("url_verification")
        );
    }

    #[test]
    fn a_challenge_without_a_json_content_type_is_a_warning() {
        let s = Secrets::default();
        let sent = br#"{"challenge":"c1","type":"url_verification"}"#;
        let body = r#"{"challenge":"c1"}"#;
        let mut bare = HttpReply::new(200, "text/plain", body);
        bare.headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case("Content-Type"));
        for reply in [bare, HttpReply::new(200, "text/plain", body)] {
            let w = Feishu
                .judge_warned(Kind::Handshake, sent, &reply, &s)
                .unwrap();
            assert_eq!(w.len(), 1);
            assert!(w[0].reason.contains("Content-Type is `"), "{}", w[0].reason);
            assert!(w[0].fix.contains("application/json"));
        }
        let json = HttpReply::new(200, "application/json; charset=utf-8", body);
        assert!(
            Feishu
                .judge_warned(Kind::Handshake, sent, &json, &s)
                .unwrap()
                .is_empty()
        );
        // Events answer anything with 200: no warning about their Content-Type.
        let event = HttpReply::new(200, "text/plain", "");
        assert!(
            Feishu
                .judge_warned(Kind::Event, b"{}", &event, &s)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn the_challenge_is_sent_unsigned_with_feishus_own_headers() {
        let s = Feishu.demo_secrets();
        let stamp = Feishu.stamp(Now { unix_ms: 1 });
        let plain =
            br#"{"challenge":"c","token":"demoVerificationToken","type":"url_verification"}"#;
        let req = Feishu.seal(plain, Kind::Handshake, &s, &stamp).unwrap();
        assert!(req.headers.iter().all(|(k, _)| !k.starts_with("X-Lark")));
        assert_eq!(req.header("User-Agent"), Some(USER_AGENT));
        assert_eq!(req.header("Content-Type"), Some(CONTENT_TYPE));
        assert_eq!(req.header(H_REQUEST_ID).map(str::len), Some(36));
        let event = Feishu.seal(b"{}", Kind::Event, &s, &stamp).unwrap();
        for h in [H_TIMESTAMP, H_NONCE, H_SIGNATURE, H_REQUEST_ID] {
            assert!(event.header(h).is_some(), "{h}");
        }
    }

    #[test]
    fn only_a_challenge_may_come_unsigned() {
        let s = Feishu.demo_secrets();
        let stamp = Feishu.stamp(Now { unix_ms: 1 });
        let mut req = Feishu.seal(b"{\"a\":1}", Kind::Event, &s, &stamp).unwrap();
        req.headers.retain(|(k, _)| !k.starts_with("X-Lark"));
        let checks = Feishu.verify(&Feishu.parse(&req).unwrap(), &s, Now { unix_ms: 0 });
        let checks = checks.unwrap();
        assert!(!checks[0].ok && checks[0].note.contains("no X-Lark-Signature"));
    }

    // Pins found by mutation testing (scripts/mutants.sh): each test below fails when the named
    // part of the vendor's behaviour is changed.

    /// A POST as Feishu sends it: no query.
    fn post(headers: &[(&str, &str)], body: &str) -> HttpRequest {
        request("POST", "", headers, body)
    }

    #[test]
    fn vendor_facts() {
        assert_eq!(Feishu.id(), VendorId::Feishu);
        assert_eq!(
            Feishu.deadline(Kind::Handshake, b""),
            Duration::from_secs(1)
        );
        assert_eq!(Feishu.deadline(Kind::Event, b""), Duration::from_secs(3));
        assert_stamp(&Feishu, 1_700_000_000_999, "1700000000", 16);
        assert_probe_fixtures_bundled(&Feishu, 2);
        // The demo Encrypt Key is the one of the published decryption example.
        let demo = Feishu.demo_secrets();
        assert_eq!(
            decrypt(
                demo.aes_key().unwrap(),
                "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="
            )
            .unwrap(),
            b"hello world"
        );
        let plain = format!(r#"{{"token":"{}"}}"#, demo.token().unwrap());
        let opened = Opened::plain(plain.into_bytes());
        assert!(Feishu.check_opened(&opened, &demo)[0].ok);
    }

    #[test]
    fn event_ids_by_schema() {
        let v2 = br#"{"schema":"2.0","header":{"event_id":"e-2"}}"#;
        let v1 = br#"{"uuid":"u-1","event":{"type":"x"}}"#;
        assert_eq!(Feishu.event_id(v2).as_deref(), Some("e-2"));
        assert_eq!(Feishu.event_id(v1).as_deref(), Some("u-1"));
        assert_eq!(Feishu.event_id(b"{}"), None);
    }

    #[test]
    fn recognised_by_headers_then_body_shape() {
        assert_eq!(Feishu.recognise(&post(&[(H_SIGNATURE, "s")], "{}")), 100);
        assert_eq!(Feishu.recognise(&post(&[(H_TIMESTAMP, "1")], "{}")), 100);
        let challenge = r#"{"challenge":"c"}"#;
        let verification = r#"{"type":"url_verification"}"#;
        let schema = r#"{"schema":"2.0"}"#;
        for body in [challenge, verification, schema] {
            assert_eq!(Feishu.recognise(&post(&[], body)), 30, "{body}");
        }
        assert_eq!(Feishu.recognise(&post(&[], r#"{"encrypt":"e"}"#)), 10);
        assert_eq!(Feishu.recognise(&post(&[], "{}")), 0);
    }

    #[test]
    fn parse_notes_a_get() {
        let mut req = post(&[], "");
        assert!(!Feishu.parse(&req).unwrap().is_get);
        req.method = "GET".into();
        assert!(Feishu.parse(&req).unwrap().is_get);
    }

    #[test]
    fn a_missing_signature_fails_when_a_key_is_configured() {
        let s = Secrets {
            aes_key: Some(Secret::new("k")),
            ..Secrets::default()
        };
        let cb = Feishu.parse(&post(&[], "{}")).unwrap();
        let checks = Feishu.verify(&cb, &s, Now { unix_ms: 0 }).unwrap();
        assert_eq!(checks.len(), 1);
        assert!(!checks[0].ok);
        assert!(checks[0].note.contains("no X-Lark-Signature"));
        // Without a key and without a signature there is nothing to check.
        let checks = Feishu
            .verify(&cb, &Secrets::default(), Now { unix_ms: 0 })
            .unwrap();
        assert!(checks.is_empty());
        // A signature but no key to check it with: an error naming the key.
        let signed = Feishu.parse(&post(&[(H_SIGNATURE, "s")], "{}")).unwrap();
        assert!(
            Feishu
                .verify(&signed, &Secrets::default(), Now { unix_ms: 0 })
                .is_err()
        );
    }

    #[test]
    fn ciphertexts_shorter_than_iv_and_one_block_are_errors() {
        for len in [0, 16, 31] {
            let short = crypto::b64_encode(&vec![7u8; len]);
            let e = decrypt("test key", &short).unwrap_err().to_string();
            assert!(e.contains("too short"), "{len}: {e}");
        }
    }
}
