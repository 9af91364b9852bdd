//! DingTalk (钉钉) HTTP event push.
//!
//! `POST <url>?msg_signature=&signature=&timestamp=&nonce=` (both signature names, same value, as a
//! captured push shows; receivers read either, some spell the time `timeStamp`) with `{"encrypt":"<base64>"}`. `msg_signature = sorted_sha1(token, timestamp,
//! nonce, encrypt)`; the envelope is the WXBizMsgCrypt one with the receiver id (corpId, appKey or
//! suiteKey) at the end. Every event, the `check_url` handshake included, must be answered within
//! 1500 ms by `{"msg_signature","timeStamp","nonce","encrypt"}` — the encryption of `success`.

use std::sync::LazyLock;
use std::time::Duration;

use memchr::memmem::Finder;

use super::{
    Answering, Callback, Check, Deadlines, DemoSecrets, Forged, Judgement, Kind, Now, Opened,
    Outgoing, Payload, Placement, Rejection, ReplySeal, RetrySchedule, SealedReply, Secrets, Stamp,
    Vendor, VendorFacts, VendorId, probe_input, require_200, wxcrypt, wxcrypt::SealedFault,
};
use crate::error::{Error, Result};
use crate::http::{HttpReply, HttpRequest};

pub struct Dingtalk;

/// The plaintext every reply must encrypt.
pub const SUCCESS: &str = "success";

/// The suite key DingTalk uses before an ISV's real suite key exists (check_create_suite_url).
pub const CREATE_SUITE_KEY: &str = "suite4xxxxxxxxxxxxxxx";

/// Where DingTalk carries the signed payload.
const HINT: &str = "the encrypt field of the body {\"encrypt\":...}";

const FIX_ENCRYPTED_MAP: &str = "return the encrypted map: encrypt `success` with your token, EncodingAESKey and receiver id (cbkit encrypt dingtalk --reply)";

impl Vendor for Dingtalk {
    fn facts(&self) -> &'static VendorFacts {
        &FACTS
    }

    /// An ISV suite (receiver id `suite…`) is also sent the suite-creation handshake.
    fn probe_plan(&self, secrets: &Secrets) -> Vec<&'static str> {
        let mut names = self.probe_fixtures().to_vec();
        if secrets
            .receiver_id
            .as_deref()
            .is_some_and(|r| r.starts_with("suite"))
        {
            names.insert(1, "dingtalk/check_create_suite_url");
        }
        names
    }

    fn forged_ids(&self, secrets: &Secrets) -> Vec<(Forged, Secrets)> {
        probe_input::another_receiver_id(secrets)
    }

    fn event_type(&self, plaintext: &[u8]) -> Option<String> {
        super::event_type_at(plaintext, &["/EventType"])
    }

    fn recognise(&self, req: &HttpRequest) -> u8 {
        if req.query_param("msg_signature").is_some() || req.query_param("signature").is_some() {
            50
        } else {
            0
        }
    }

    fn parse(&self, req: &HttpRequest) -> Result<Callback> {
        let encrypt = if req.body.is_empty() {
            None
        } else {
            Some(encrypt_field(&req.body)?)
        };
        // A receiver's reply map carries its own signature, timestamp and nonce: read from the
        // body when the URL has none, so the reply is verified like a push.
        let in_body = |k: &str| map_field(&req.body, k);
        Ok(Callback {
            signature: req
                .query_param_any(&["msg_signature", "signature"])
                .map(|(_, v)| v)
                .or_else(|| in_body("msg_signature")),
            timestamp: req
                .query_param_any(&["timestamp", "timeStamp"])
                .map(|(_, v)| v)
                .or_else(|| in_body("timeStamp")),
            nonce: req.query_param("nonce").or_else(|| in_body("nonce")),
            payload: encrypt.map(|value| Payload::new("encrypt", value)),
            ..Callback::received(req)
        })
    }

    fn sign(&self, cb: &Callback, secrets: &Secrets) -> Result<String> {
        wxcrypt::sign(cb, secrets, HINT)
    }

    /// Both names carry the same signature: DingTalk's "verify callback" page names `signature`,
    /// its callback-crypto README reads `msg_signature` first, and a captured push carries both
    /// (docs/protocols/dingtalk.md). `msg_signature` stays first so existing URLs read the same.
    fn placement(&self, cb: &Callback, signature: &str) -> Placement {
        Placement {
            query: vec![
                ("msg_signature".into(), signature.into()),
                ("signature".into(), signature.into()),
                ("timestamp".into(), cb.timestamp.clone().unwrap_or_default()),
                ("nonce".into(), cb.nonce.clone().unwrap_or_default()),
            ],
            headers: Vec::new(),
        }
    }

    fn open(&self, cb: &Callback, secrets: &Secrets) -> Result<Opened> {
        wxcrypt::open(cb, secrets, HINT)
    }

    fn check_opened(&self, opened: &Opened, secrets: &Secrets) -> Vec<Check> {
        wxcrypt::receiver_check(
            opened,
            secrets,
            &self.extra_receiver_ids(&opened.plaintext),
            "DingTalk error 900010",
        )
    }

    fn extra_receiver_ids(&self, plaintext: &[u8]) -> Vec<&'static str> {
        // Every opened plaintext comes here: read its event type only when it can be this one
        // (spelt out, or written with escapes).
        static SPELT_OUT: LazyLock<Finder> =
            LazyLock::new(|| Finder::new("check_create_suite_url"));
        let may_be =
            SPELT_OUT.find(plaintext).is_some() || memchr::memchr(b'\\', plaintext).is_some();
        if may_be && self.event_type(plaintext).as_deref() == Some("check_create_suite_url") {
            vec![CREATE_SUITE_KEY]
        } else {
            Vec::new()
        }
    }

    fn stamp(&self, now: Now) -> Stamp {
        Stamp::alnum(now.unix_ms, 8)
    }

    fn kind(&self, _is_get: bool, plaintext: &[u8]) -> Kind {
        match self.event_type(plaintext).as_deref() {
            Some("check_url" | "check_create_suite_url" | "check_update_suite_url") => {
                Kind::Handshake
            }
            _ => Kind::Event,
        }
    }

    fn seal_outgoing(&self, out: &Outgoing) -> Result<HttpRequest> {
        let encrypt = wxcrypt::seal(
            out.plaintext,
            &self.sender_secrets(out.plaintext, out.secrets),
        )?;
        // Always a POST: DingTalk's check_url handshake is an event of its own.
        let cb = out.stamp.callback("encrypt", encrypt.clone(), false);
        let mut req = super::signed_request(self, &cb, out.secrets)?;
        req.headers
            .push(("Content-Type".into(), "application/json".into()));
        req.body =
            serde_json::to_vec(&serde_json::json!({ "encrypt": encrypt })).expect("string map");
        Ok(req)
    }

    fn answer(&self, to: &Answering) -> Result<HttpReply> {
        // Answer for the configured id, or for the id the message came with when none is set
        // or when it is the suite-creation placeholder (the seed's receiver answers the first
        // verification with an encryptor made for that placeholder).
        let placeholder = to.opened.receiver_id.as_deref() == Some(CREATE_SUITE_KEY)
            && self
                .extra_receiver_ids(&to.opened.plaintext)
                .contains(&CREATE_SUITE_KEY);
        let with_opened_id;
        let s = if to.secrets.receiver_id.is_none() || placeholder {
            with_opened_id = Secrets {
                receiver_id: to.opened.receiver_id.clone(),
                ..to.secrets.clone()
            };
            &with_opened_id
        } else {
            to.secrets
        };
        Ok(HttpReply::new(
            200,
            "application/json",
            with_reply_map(SUCCESS.as_bytes(), s, to.stamp, |m| {
                serde_json::to_vec(m).expect("string map")
            })?,
        ))
    }

    fn judge(&self, _kind: Kind, sent: &[u8], reply: &HttpReply, secrets: &Secrets) -> Judgement {
        require_200(reply)?;
        let body = String::from_utf8_lossy(&reply.body);
        if body.trim().trim_matches('"') == SUCCESS {
            return Err(Rejection::new(
                "replied plain `success`: DingTalk wants the encrypted map {msg_signature,timeStamp,nonce,encrypt} (error 71009)",
                FIX_ENCRYPTED_MAP,
            ));
        }
        let not_json = |body| {
            format!("reply is not JSON (`{body}`); DingTalk wants the encrypted success map")
        };
        let v = super::json_reply(
            reply,
            not_json,
            "return JSON with Content-Type application/json",
        )?;
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let missing: Vec<&str> = ["msg_signature", "timeStamp", "nonce", "encrypt"]
            .into_iter()
            .filter(|k| field(k).is_none())
            .collect();
        if !missing.is_empty() {
            let lacks = format!("reply map lacks {}", missing.join(", "));
            return Err(
                if missing.contains(&"timeStamp") && field("timestamp").is_some() {
                    Rejection::new(
                        format!("{lacks} (the key is `timeStamp`, camel-case)"),
                        "name the key `timeStamp`",
                    )
                } else {
                    Rejection::new(
                        lacks,
                        "return exactly {\"msg_signature\",\"timeStamp\",\"nonce\",\"encrypt\"}",
                    )
                },
            );
        }
        let cb = Callback {
            timestamp: field("timeStamp"),
            nonce: field("nonce"),
            signature: field("msg_signature"),
            payload: field("encrypt").map(|value| Payload::new("encrypt", value)),
            ..Callback::default()
        };
        let opened = wxcrypt::verify_sealed(&cb, secrets, HINT).map_err(|fault| match fault {
            SealedFault::Unchecked(e) => Rejection::new(
                e.to_string(),
                "give cbkit the token, EncodingAESKey and receiver id the receiver uses",
            ),
            SealedFault::Signature => Rejection::new(
                "reply msg_signature does not verify: sign sorted(token, timeStamp, nonce, encrypt) with your token",
                "sign sorted(token, timeStamp, nonce, encrypt) with the token configured in the console",
            ),
            SealedFault::Decrypt(e) => Rejection::new(
                format!("reply does not decrypt: {e}"),
                "encrypt with the app's EncodingAESKey and receiver id",
            ),
        })?;
        if opened.plaintext != SUCCESS.as_bytes() {
            return Err(Rejection::new(
                format!(
                    "reply decrypts to `{}`, not `success`",
                    crate::render::escape_bytes(&opened.plaintext, 60)
                ),
                "encrypt the word `success`",
            ));
        }
        // The reply to check_create_suite_url may be sealed for the placeholder it came with.
        let extra = self.extra_receiver_ids(sent);
        if let Some(c) = wxcrypt::receiver_check(&opened, secrets, &extra, "DingTalk error 900010")
            .into_iter()
            .find(|c| !c.ok)
        {
            return Err(Rejection::new(
                format!("reply {}", c.note),
                "encrypt with the receiver id configured in DingTalk (corpId, appKey or suiteKey)",
            ));
        }
        Ok(())
    }

    fn plaintext_note(&self, plaintext: &[u8]) -> Option<String> {
        sender_mangling(plaintext)
    }
}

static FACTS: VendorFacts = VendorFacts {
    id: VendorId::Dingtalk,
    scheme: &super::scheme::SortedSha1,
    probe_fixtures: &["dingtalk/check_url", "dingtalk/user_add_org"],
    // The token, key and corpId of DingTalk's published encryption example.
    demo: DemoSecrets::new("mryue", Some("Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7"))
        .with_receiver_id("ding6ccabc44d2c8d38b"),
    deadlines: Deadlines::every(Duration::from_millis(1500)),
    retries: RetrySchedule::none(
        "DingTalk: failed pushes are kept for later retrieval, no retry schedule is documented; cbkit does not retry",
    ),
    max_skew: None,
    reply_seal: ReplySeal::JsonMap,
};

impl Dingtalk {
    /// The secrets DingTalk seals `plaintext` with: for check_create_suite_url, the suite key
    /// placeholder, since the ISV's real suite key does not exist yet (seed "验证回调有效性": the
    /// first verification's encryptor is made with `Env.CREATE_SUITE_KEY`).
    fn sender_secrets(&self, plaintext: &[u8], secrets: &Secrets) -> Secrets {
        let mut s = secrets.clone();
        if let Some(id) = self.extra_receiver_ids(plaintext).first() {
            s.receiver_id = Some((*id).to_string());
        }
        s
    }
}

/// The sealed answer carrying `plaintext`: the reply map, as JSON.
pub fn sealed_map(plaintext: &[u8], secrets: &Secrets, stamp: &Stamp) -> Result<SealedReply> {
    let map = reply_map(plaintext, secrets, stamp)?;
    Ok(SealedReply {
        reply: HttpReply::new(
            200,
            "application/json",
            serde_json::to_vec(&map).expect("string map"),
        ),
        fields: map.as_object().cloned().unwrap_or_default(),
    })
}

/// The receiver's reply map, keys exactly as DingTalk reads them (`timeStamp` camel-case).
pub fn reply_map(plaintext: &[u8], secrets: &Secrets, stamp: &Stamp) -> Result<serde_json::Value> {
    with_reply_map(plaintext, secrets, stamp, |m| {
        serde_json::to_value(m).expect("string map")
    })
}

/// The reply map's fields, in the order DingTalk's own receivers write them.
#[derive(serde::Serialize)]
struct ReplyMap<'a> {
    msg_signature: &'a str,
    #[serde(rename = "timeStamp")]
    timestamp: &'a str,
    nonce: &'a str,
    encrypt: &'a str,
}

/// `plaintext` sealed and signed under `stamp`, given to `f` as the reply map: a listener
/// serialises it straight to the answer's bytes, without building a `serde_json::Value`.
fn with_reply_map<T>(
    plaintext: &[u8],
    secrets: &Secrets,
    stamp: &Stamp,
    f: impl FnOnce(&ReplyMap) -> T,
) -> Result<T> {
    let (encrypt, signature) = wxcrypt::seal_signed(plaintext, secrets, stamp)?;
    Ok(f(&ReplyMap {
        msg_signature: &signature,
        timestamp: &stamp.timestamp,
        nonce: &stamp.nonce,
        encrypt: &encrypt,
    }))
}

/// The `encrypt` string of a body `{"encrypt": "..."}`.
/// What a sender did to a plaintext before encrypting it, when it shows, with the text it meant:
/// the `dingtalk-encrypt` npm library runs `encodeURI` on the plaintext before encrypting, and
/// reads bytes as Latin-1 (interop/FINDINGS.md (e)), so what it sends decrypts to `%7B%22…`,
/// and UTF-8 that went through it reads `ä½ å¥½`. DingTalk itself encrypts raw UTF-8.
pub fn sender_mangling(plaintext: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(plaintext).ok()?;
    if text.is_ascii() && !text.starts_with('%') {
        // What DingTalk sends, most of the time: nothing above ASCII, nothing percent-encoded.
        return None;
    }
    if text.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("%7B"))
        && let Ok(decoded) = percent_encoding::percent_decode_str(text).decode_utf8()
    {
        return Some(format!(
            "the sender percent-encoded the plaintext before encrypting (the dingtalk-encrypt npm library does); DingTalk sends raw UTF-8. Decoded: {decoded}"
        ));
    }
    // Every character a byte (U+0000..U+00FF), some above ASCII, and those bytes UTF-8.
    let bytes: Option<Vec<u8>> = text.chars().map(|c| u8::try_from(c).ok()).collect();
    let bytes = bytes?;
    if bytes.is_ascii() {
        return None;
    }
    let decoded = String::from_utf8(bytes).ok()?;
    Some(format!(
        "the plaintext is UTF-8 read as Latin-1: the sender mangled it before encrypting (the dingtalk-encrypt npm library does); DingTalk sends raw UTF-8. Decoded: {decoded}"
    ))
}

/// A string field of a JSON body map (DingTalk's reply map), if the body is one.
fn map_field(body: &[u8], key: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.get(key)?.as_str().map(str::to_string)
}

/// The value of a body that is `{"encrypt":"…"}` and nothing else, with no escape in it (what
/// DingTalk sends): read without building the document, as every line of a batch needs it. Any
/// other body is left to the JSON parser.
fn lone_encrypt(body: &[u8]) -> Option<&str> {
    let inner = trim_json_ws(trim_json_ws(body).strip_prefix(b"{")?.strip_suffix(b"}")?);
    let key_off = trim_json_ws(inner.strip_prefix(b"\"encrypt\"")?);
    let value = trim_json_ws(key_off.strip_prefix(b":")?);
    let text = value.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    // Whole blocks without an early exit, so that the compiler checks many bytes at a time.
    let special = |block: &[u8]| {
        block.iter().fold(false, |any, &b| {
            any | (b == b'"') | (b == b'\\') | (b < 0x20)
        })
    };
    if text.chunks(32).any(special) {
        return None;
    }
    std::str::from_utf8(text).ok()
}

/// Without the whitespace JSON allows around a token (not all ASCII whitespace).
fn trim_json_ws(mut s: &[u8]) -> &[u8] {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    while let [first, rest @ ..] = s
        && ws(first)
    {
        s = rest;
    }
    while let [rest @ .., last] = s
        && ws(last)
    {
        s = rest;
    }
    s
}

pub fn encrypt_field(body: &[u8]) -> Result<String> {
    match lone_encrypt(body) {
        Some(encrypt) => Ok(encrypt.to_string()),
        None => parsed_encrypt_field(body),
    }
}

fn parsed_encrypt_field(body: &[u8]) -> Result<String> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        Error::malformed(
            "body",
            format!("not JSON ({e}); expected {{\"encrypt\":\"<base64>\"}}"),
        )
    })?;
    match v.get("encrypt").or_else(|| v.get("Encrypt")) {
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(Error::malformed("encrypt", "must be a string")),
        None => Err(Error::missing(
            "encrypt",
            "the body has no \"encrypt\" field",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_support::*;

    fn official() -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            path: "/".into(),
            query: "signature=03044561471240d4a14bb09372dfcfd4fd0e40cb&timeStamp=1608001896814&nonce=WL4PK6yA".into(),
            headers: vec![],
            body: br#"{"encrypt":"0vJiX6vliEpwG3U45CtXqi+m8PXbQRARJ8p8BbDuD1EMTDf0jKpQ79QS93qEk7XHpP6u+oTTrd15NRPvNvmBKyDCYxxOK+HZeKju4yhELOFchzNukR+t8SB/qk4ROMu3"}"#.to_vec(),
        }
    }

    #[test]
    fn the_suite_key_is_accepted_for_its_event_however_spelt() {
        for plain in [
            r#"{"EventType":"check_create_suite_url"}"#,
            r#"{"EventType":"check\u005fcreate_suite_url"}"#,
        ] {
            assert_eq!(
                Dingtalk.extra_receiver_ids(plain.as_bytes()),
                [CREATE_SUITE_KEY]
            );
        }
        for plain in [r#"{"EventType":"check_url"}"#, r#"{"a":"\n"}"#, "{"] {
            assert!(Dingtalk.extra_receiver_ids(plain.as_bytes()).is_empty());
        }
    }

    /// The shortcut reads only bodies the parser reads the same, and the usual one.
    #[test]
    fn a_lone_encrypt_reads_as_the_parser_does() {
        let cases: [(&[u8], bool); 14] = [
            (br#"{"encrypt":"ab+/="}"#, true),
            (b" \r\n{ \"encrypt\" :\t\"x\" }\n", true),
            (br#"{"encrypt":""}"#, true),
            ("{\"encrypt\":\"\u{e9}\"}".as_bytes(), true),
            (br#"{"encrypt":"a\"b"}"#, false),
            (br#"{"encrypt":"a\u0041"}"#, false),
            (b"{\"encrypt\":\"a\tb\"}", false),
            (b"{\"encrypt\":\"\xff\"}", false),
            (b"\x0c{\"encrypt\":\"a\"}", false),
            (br#"{"encrypt":"a","b":1}"#, false),
            (br#"{"Encrypt":"a"}"#, false),
            (br#"{"encrypt":"a"}}"#, false),
            (br#"{"encrypt":1}"#, false),
            (br#"{"encrypt":"a""#, false),
        ];
        for (body, lone) in cases {
            let text = String::from_utf8_lossy(body);
            assert_eq!(lone_encrypt(body).is_some(), lone, "{text}");
            let parsed = parsed_encrypt_field(body).map_err(|e| e.to_string());
            match lone_encrypt(body) {
                Some(v) => assert_eq!(parsed, Ok(v.to_string()), "{text}"),
                None => assert_eq!(encrypt_field(body).map_err(|e| e.to_string()), parsed),
            }
        }
    }

    #[test]
    fn official_vector_with_old_spellings() {
        let s = Dingtalk.demo_secrets();
        let cb = Dingtalk.parse(&official()).unwrap();
        assert!(Dingtalk.verify(&cb, &s, Now { unix_ms: 0 }).unwrap()[0].ok);
        let opened = Dingtalk.open(&cb, &s).unwrap();
        assert_eq!(opened.plaintext, br#"{"EventType":"check_url"}"#);
        assert_eq!(opened.receiver_id.as_deref(), Some("ding6ccabc44d2c8d38b"));
        assert!(Dingtalk.check_opened(&opened, &s)[0].ok);
        assert_eq!(Dingtalk.kind(false, &opened.plaintext), Kind::Handshake);
    }

    #[test]
    fn a_push_names_its_signature_both_ways() {
        let s = Dingtalk.demo_secrets();
        let stamp = Dingtalk.stamp(Now { unix_ms: 1 });
        let req = Dingtalk.seal(b"{}", Kind::Event, &s, &stamp).unwrap();
        let sig = req.query_param("msg_signature").unwrap();
        assert_eq!(req.query_param("signature").as_deref(), Some(sig.as_str()));
        // A receiver that reads only `signature` (the seed page's name) verifies it.
        let mut only = req.clone();
        only.query = format!(
            "signature={sig}&timestamp={}&nonce={}",
            stamp.timestamp, stamp.nonce
        );
        let cb = Dingtalk.parse(&only).unwrap();
        assert!(Dingtalk.verify(&cb, &s, Now { unix_ms: 0 }).unwrap()[0].ok);
    }

    #[test]
    fn check_create_suite_url_is_sealed_for_the_placeholder_and_answered_so() {
        let mut s = Dingtalk.demo_secrets();
        s.receiver_id = Some("suiteRealKey".into());
        let plain = br#"{"EventType":"check_create_suite_url","Random":"brdkKLMW"}"#;
        let stamp = Dingtalk.stamp(Now { unix_ms: 1 });
        let req = Dingtalk.seal(plain, Kind::Handshake, &s, &stamp).unwrap();
        let cb = Dingtalk.parse(&req).unwrap();
        let opened = Dingtalk.open(&cb, &s).unwrap();
        assert_eq!(opened.receiver_id.as_deref(), Some(CREATE_SUITE_KEY));
        assert!(Dingtalk.check_opened(&opened, &s)[0].ok);
        // A receiver created with the placeholder only (the seed's first verification) opens it.
        let mut first = s.clone();
        first.receiver_id = Some(CREATE_SUITE_KEY.into());
        assert!(Dingtalk.check_opened(&opened, &first)[0].ok);
        // The answer is the encrypted `success`, for the placeholder, and DingTalk accepts it.
        let reply = Dingtalk.reply(&cb, &opened, &s, &stamp).unwrap();
        assert_accepted(&Dingtalk, Kind::Handshake, plain, &reply, &s);
        let answered = Dingtalk.reply(&cb, &opened, &first, &stamp).unwrap();
        assert_accepted(&Dingtalk, Kind::Handshake, plain, &answered, &s);
        // Other events keep the configured id.
        let ev = Dingtalk
            .seal(b"{\"EventType\":\"x\"}", Kind::Event, &s, &stamp)
            .unwrap();
        let opened = Dingtalk.open(&Dingtalk.parse(&ev).unwrap(), &s).unwrap();
        assert_eq!(opened.receiver_id.as_deref(), Some("suiteRealKey"));
    }

    #[test]
    fn wrong_receiver_names_the_found_id() {
        let mut s = Dingtalk.demo_secrets();
        s.receiver_id = Some("dingOTHER".into());
        let cb = Dingtalk.parse(&official()).unwrap();
        let opened = Dingtalk.open(&cb, &s).unwrap();
        let c = &Dingtalk.check_opened(&opened, &s)[0];
        assert!(!c.ok);
        assert!(c.note.contains("ding6ccabc44d2c8d38b"), "{}", c.note);
    }

    #[test]
    fn reply_is_judged_acceptable_and_plain_success_is_not() {
        let s = Dingtalk.demo_secrets();
        let cb = Dingtalk.parse(&official()).unwrap();
        let opened = Dingtalk.open(&cb, &s).unwrap();
        let stamp = Dingtalk.stamp(Now { unix_ms: 1 });
        let reply = Dingtalk.reply(&cb, &opened, &s, &stamp).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["msg_signature", "timeStamp", "nonce", "encrypt"]);
        assert_accepted(&Dingtalk, Kind::Handshake, b"", &reply, &s);
        let plain = HttpReply::new(200, "text/plain", "success");
        assert!(rejection(&Dingtalk, Kind::Handshake, b"", &plain, &s).contains("71009"));
        let mut tampered = v.clone();
        tampered["nonce"] = "zzz".into();
        let bad = HttpReply::new(
            200,
            "application/json",
            serde_json::to_vec(&tampered).unwrap(),
        );
        assert!(rejection(&Dingtalk, Kind::Handshake, b"", &bad, &s).contains("msg_signature"));
    }

    #[test]
    fn suite_creation_placeholder_id_is_accepted() {
        let mut s = Dingtalk.demo_secrets();
        s.receiver_id = Some(CREATE_SUITE_KEY.into());
        let plain = br#"{"EventType":"check_create_suite_url","Random":"brdkKLMW"}"#;
        let req = Dingtalk
            .seal(
                plain,
                Kind::Handshake,
                &s,
                &Dingtalk.stamp(Now { unix_ms: 5 }),
            )
            .unwrap();
        s.receiver_id = Some("suiteREAL".into());
        let cb = Dingtalk.parse(&req).unwrap();
        let opened = Dingtalk.open(&cb, &s).unwrap();
        assert!(Dingtalk.check_opened(&opened, &s)[0].ok);
    }

    #[test]
    fn every_rejection_states_a_fix() {
        let s = Dingtalk.demo_secrets();
        let stamp = Dingtalk.stamp(Now { unix_ms: 1 });
        let json = |v: serde_json::Value| {
            HttpReply::new(200, "application/json", serde_json::to_vec(&v).unwrap())
        };
        let good = reply_map(SUCCESS.as_bytes(), &s, &stamp).unwrap();
        let mut camel = good.clone();
        camel["timestamp"] = camel["timeStamp"].take();
        camel.as_object_mut().unwrap().remove("timeStamp");
        let mut forged = good.clone();
        forged["nonce"] = "zzz".into();
        let garbage =
            crate::crypto::sorted_sha1(&["mryue", &stamp.timestamp, &stamp.nonce, "AAAA"]);
        let mut other = s.clone();
        other.receiver_id = Some("dingOTHER".into());
        let cases = [
            (HttpReply::new(200, "text/plain", "success"), "71009"),
            (HttpReply::new(200, "text/plain", "ok"), "not JSON"),
            (json(camel), "camel-case"),
            (json(serde_json::json!({})), "lacks"),
            (json(forged), "msg_signature does not verify"),
            (
                json(
                    serde_json::json!({"msg_signature": garbage, "timeStamp": stamp.timestamp,
                    "nonce": stamp.nonce, "encrypt": "AAAA"}),
                ),
                "does not decrypt",
            ),
            (json(reply_map(b"fail", &s, &stamp).unwrap()), "decrypts to"),
            (
                json(reply_map(SUCCESS.as_bytes(), &other, &stamp).unwrap()),
                "900010",
            ),
            (HttpReply::new(302, "text/plain", ""), "redirect"),
            (HttpReply::new(500, "text/plain", ""), "HTTP 500"),
        ];
        assert_accepted(&Dingtalk, Kind::Event, b"", &json(good), &s);
        assert_rejected_events(&Dingtalk, cases, &s);
    }

    #[test]
    fn a_suite_is_also_probed_with_suite_creation() {
        let mut s = Dingtalk.demo_secrets();
        assert_eq!(Dingtalk.probe_plan(&s), Dingtalk.probe_fixtures());
        s.receiver_id = Some("suiteABC".into());
        assert_eq!(
            Dingtalk.probe_plan(&s),
            [
                "dingtalk/check_url",
                "dingtalk/check_create_suite_url",
                "dingtalk/user_add_org"
            ]
        );
    }

    #[test]
    fn a_percent_encoded_or_latin1_plaintext_is_named_with_its_text() {
        let note =
            sender_mangling(b"%7B%22EventType%22:%22check_url%22,%22T%22:%22%E4%BD%A0%22%7D")
                .unwrap();
        assert!(note.contains("percent-encoded"), "{note}");
        assert!(note.contains("dingtalk-encrypt npm library"), "{note}");
        assert!(
            note.ends_with(r#"Decoded: {"EventType":"check_url","T":"你"}"#),
            "{note}"
        );
        let note =
            sender_mangling("{\"Text\":\"\u{e4}\u{bd}\u{a0}\u{e5}\u{a5}\u{bd}\"}".as_bytes())
                .unwrap();
        assert!(note.contains("Latin-1"), "{note}");
        assert!(note.ends_with(r#"Decoded: {"Text":"你好"}"#), "{note}");
        // What DingTalk sends, and text that only looks alike, pass without a note.
        for fine in [
            &br#"{"EventType":"check_url"}"#[..],
            "{\"T\":\"你好 café\"}".as_bytes(),
            "{\"T\":\"é\"}".as_bytes(),
            b"100% done %41",
            b"%7B%FF%FE",
            b"",
            b"\xff",
        ] {
            assert_eq!(
                sender_mangling(fine),
                None,
                "{}",
                String::from_utf8_lossy(fine)
            );
        }
    }

    // Pins found by mutation testing (scripts/mutants.sh): each test below fails when the named
    // part of the vendor's behaviour is changed.

    #[test]
    fn vendor_facts() {
        assert_eq!(Dingtalk.id(), VendorId::Dingtalk);
        assert_eq!(
            Dingtalk.deadline(Kind::Event, b""),
            Duration::from_millis(1500)
        );
        assert!(Dingtalk.retry_schedule().offsets.is_empty());
        assert_stamp(&Dingtalk, 1_608_001_896_814, "1608001896814", 8);
        // The demo secrets are those of the published vector.
        let demo = Dingtalk.demo_secrets();
        let cb = Dingtalk.parse(&official()).unwrap();
        assert!(Dingtalk.verify(&cb, &demo, Now { unix_ms: 0 }).unwrap()[0].ok);
        assert!(Dingtalk.check_opened(&Dingtalk.open(&cb, &demo).unwrap(), &demo)[0].ok);
    }

    #[test]
    fn recognised_by_either_signature_spelling() {
        let with = |query: &str| request("POST", query, &[], "");
        assert_eq!(Dingtalk.recognise(&with("msg_signature=a&timestamp=1")), 50);
        assert_eq!(Dingtalk.recognise(&with("signature=a&timeStamp=1")), 50);
        assert_eq!(Dingtalk.recognise(&with("timestamp=1&nonce=2")), 0);
    }

    #[test]
    fn parse_keeps_the_raw_body_and_the_method() {
        let req = official();
        let cb = Dingtalk.parse(&req).unwrap();
        assert_eq!(cb.body, req.body);
        assert!(!cb.is_get);
        let get = HttpRequest {
            method: "GET".into(),
            body: Vec::new(),
            ..official()
        };
        let cb = Dingtalk.parse(&get).unwrap();
        assert!(cb.is_get);
        assert_eq!(cb.payload, None);
    }

    #[test]
    fn a_sealed_request_verifies_and_opens() {
        let s = Dingtalk.demo_secrets();
        let stamp = Dingtalk.stamp(Now { unix_ms: 7 });
        let req = Dingtalk
            .seal(br#"{"EventType":"user_add_org"}"#, Kind::Event, &s, &stamp)
            .unwrap();
        assert!(req.query.contains("msg_signature="), "{}", req.query);
        let cb = Dingtalk.parse(&req).unwrap();
        assert!(Dingtalk.verify(&cb, &s, Now { unix_ms: 0 }).unwrap()[0].ok);
        assert_eq!(
            Dingtalk.open(&cb, &s).unwrap().plaintext,
            br#"{"EventType":"user_add_org"}"#
        );
    }

    #[test]
    fn sealed_reply_is_the_reply_map() {
        let s = Dingtalk.demo_secrets();
        let stamp = Dingtalk.stamp(Now { unix_ms: 1 });
        let sealed = Dingtalk.sealed_reply(b"success", &s, &stamp).unwrap();
        assert_eq!(sealed.fields["timeStamp"], "1");
        assert_accepted(&Dingtalk, Kind::Event, b"", &sealed.reply, &s);
    }

    #[test]
    fn only_a_lowercase_timestamp_key_earns_the_camel_case_hint() {
        let s = Dingtalk.demo_secrets();
        let json = |v: serde_json::Value| {
            HttpReply::new(200, "application/json", serde_json::to_vec(&v).unwrap())
        };
        // No timeStamp and no timestamp either: the plain "lacks" rejection.
        let r = Dingtalk
            .judge(Kind::Event, b"", &json(serde_json::json!({})), &s)
            .unwrap_err();
        assert!(!r.reason.contains("camel-case"), "{}", r.reason);
        assert!(r.fix.starts_with("return exactly"), "{}", r.fix);
        // timeStamp present, nonce missing, a stray lowercase timestamp: still not a camel-case case.
        let r = Dingtalk
            .judge(
                Kind::Event,
                b"",
                &json(serde_json::json!({"msg_signature": "a", "timeStamp": "1",
                    "timestamp": "1", "encrypt": "e"})),
                &s,
            )
            .unwrap_err();
        assert_eq!(r.reason, "reply map lacks nonce");
    }
}
