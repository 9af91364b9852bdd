//! WeCom (企业微信) callbacks: the WXBizMsgCrypt scheme.
//!
//! GET handshake `?msg_signature=&timestamp=&nonce=&echostr=<url-encoded base64>`: sign the
//! URL-decoded echostr, decrypt, answer the plaintext raw. POST events carry the same query
//! params (no echostr) and an XML body whose `<Encrypt>` is signed and decrypted (a JSON variant
//! `{"tousername","encrypt","agentid"}` exists). Envelope as DingTalk; receiver id = corpid or
//! suite_id. Acknowledge with 200 and `success` (or empty) within 5 s.

use std::time::Duration;

use super::{
    Answering, Callback, Check, Deadlines, DemoSecrets, Forged, Judgement, Kind, Now, Opened,
    Outgoing, Payload, Placement, Rejection, ReplySeal, RetrySchedule, Secrets, Stamp, Vendor,
    VendorFacts, VendorId, plain_reply_mismatch, probe_input, require_200, wxcrypt,
};
use crate::error::{Error, Result};
use crate::http::{HttpReply, HttpRequest};

pub struct Wecom;

/// Where WeCom carries the signed payload.
const HINT: &str = "echostr in a GET handshake's query, or the Encrypt element of an XML/JSON body";

impl Vendor for Wecom {
    fn facts(&self) -> &'static VendorFacts {
        &FACTS
    }

    /// The message text in Chinese with emoji.
    fn probe_text(&self, plaintext: &[u8], kind: Kind) -> Vec<u8> {
        std::str::from_utf8(plaintext)
            .ok()
            .filter(|_| kind == Kind::Event)
            .and_then(|t| with_xml_text(t, "Content", probe_input::PROBE_TEXT))
            .map_or_else(|| plaintext.to_vec(), String::into_bytes)
    }

    fn forged_ids(&self, secrets: &Secrets) -> Vec<(Forged, Secrets)> {
        probe_input::another_receiver_id(secrets)
    }

    /// `event.<Event>` for event messages, else the message type (`text`, `image`...).
    fn event_type(&self, plaintext: &[u8]) -> Option<String> {
        let text = std::str::from_utf8(plaintext).ok()?;
        if !text.trim_start().starts_with("<xml") {
            return None;
        }
        wxcrypt::event_type(xml_field(text, "MsgType"), xml_field(text, "Event"))
    }

    fn recognise(&self, req: &HttpRequest) -> u8 {
        if req.query_param("echostr").is_some() || req.body.starts_with(b"<xml") {
            return 70;
        }
        // WeCom's JSON variant carries tousername/agentid beside `encrypt`; DingTalk's is the bare map.
        let signed =
            req.query_param("msg_signature").is_some() || req.query_param("signature").is_some();
        let body = String::from_utf8_lossy(&req.body);
        if signed && (body.contains("\"tousername\"") || body.contains("\"agentid\"")) {
            60
        } else {
            0
        }
    }

    fn parse(&self, req: &HttpRequest) -> Result<Callback> {
        let mut cb = Callback {
            signature: req.query_param("msg_signature"),
            timestamp: req.query_param("timestamp"),
            nonce: req.query_param("nonce"),
            ..Callback::received(req)
        };
        if let Some(echostr) = req.query_param("echostr") {
            cb.payload = Some(Payload::new("echostr", echostr));
            cb.is_get = true;
        } else if !req.body.is_empty() {
            cb.payload = Some(Payload::new("encrypt", encrypt_of_body(&req.body)?));
            // A passive reply carries its own signature, timestamp and nonce in the XML.
            let text = String::from_utf8_lossy(&req.body);
            let fill = |slot: &mut Option<String>, name| {
                if slot.is_none() {
                    *slot = xml_field(&text, name);
                }
            };
            fill(&mut cb.signature, "MsgSignature");
            fill(&mut cb.timestamp, "TimeStamp");
            fill(&mut cb.nonce, "Nonce");
        }
        Ok(cb)
    }

    fn sign(&self, cb: &Callback, secrets: &Secrets) -> Result<String> {
        wxcrypt::sign(cb, secrets, HINT)
    }

    fn placement(&self, cb: &Callback, signature: &str) -> Placement {
        let mut query = vec![
            ("msg_signature".into(), signature.into()),
            ("timestamp".into(), cb.timestamp.clone().unwrap_or_default()),
            ("nonce".into(), cb.nonce.clone().unwrap_or_default()),
        ];
        if let Some(Payload {
            field: "echostr",
            value,
        }) = &cb.payload
        {
            query.push(("echostr".into(), value.clone()));
        }
        Placement {
            query,
            headers: Vec::new(),
        }
    }

    fn open(&self, cb: &Callback, secrets: &Secrets) -> Result<Opened> {
        wxcrypt::open(cb, secrets, HINT)
    }

    fn check_opened(&self, opened: &Opened, secrets: &Secrets) -> Vec<Check> {
        wxcrypt::receiver_check(opened, secrets, &[], "WeCom error -40005")
    }

    fn stamp(&self, now: Now) -> Stamp {
        wxcrypt::stamp(now)
    }

    fn event_id(&self, plaintext: &[u8]) -> Option<String> {
        xml_field(std::str::from_utf8(plaintext).ok()?, "MsgId")
    }

    fn seal_outgoing(&self, out: &Outgoing) -> Result<HttpRequest> {
        let corp = out.secrets.receiver_id()?;
        let encrypt = wxcrypt::seal(out.plaintext, out.secrets)?;
        let handshake = out.kind == Kind::Handshake;
        let field = if handshake { "echostr" } else { "encrypt" };
        let cb = out.stamp.callback(field, encrypt.clone(), handshake);
        let mut req = super::signed_request(self, &cb, out.secrets)?;
        if out.kind == Kind::Event {
            let agent = std::str::from_utf8(out.plaintext)
                .ok()
                .and_then(|t| xml_field(t, "AgentID"))
                .unwrap_or_default();
            req.headers.push(("Content-Type".into(), "text/xml".into()));
            req.body = format!(
                "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[{agent}]]></AgentID></xml>"
            )
            .into_bytes();
        }
        Ok(req)
    }

    fn answer(&self, to: &Answering) -> Result<HttpReply> {
        Ok(wxcrypt::plain_answer(to.cb, to.opened))
    }

    fn judge(&self, kind: Kind, sent: &[u8], reply: &HttpReply, secrets: &Secrets) -> Judgement {
        require_200(reply)?;
        if kind == Kind::Handshake {
            return match plain_reply_mismatch(sent, &reply.body) {
                None => Ok(()),
                Some(r) => Err(echostr_still_encrypted(sent, &reply.body, secrets)
                    .unwrap_or(r)
                    .and("answer the decrypted echostr as plain text")),
            };
        }
        let body = &reply.body;
        if body.is_empty() || body == b"success" {
            return Ok(());
        }
        let text = String::from_utf8_lossy(body);
        if text.trim_start().starts_with("<xml") {
            return wxcrypt::check_passive_reply(&Wecom, &text, secrets, HINT, &PASSIVE_REPLY);
        }
        Err(Rejection::new(
            format!(
                "body `{}` is neither empty, `success`, nor an encrypted XML reply",
                crate::render::escape_bytes(body, 60)
            ),
            "return an empty body or the bare text `success` (or an encrypted passive reply)",
        ))
    }
}

pub(super) static FACTS: VendorFacts = VendorFacts {
    id: VendorId::Wecom,
    scheme: &super::scheme::SortedSha1,
    probe_fixtures: &["wecom/echostr", "wecom/text-message"],
    // The token, key and corpid of WeCom's published WXBizMsgCrypt example.
    demo: DemoSecrets::new(
        "QDG6eK",
        Some("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"),
    )
    .with_receiver_id("wx5823bf96d3bd56c7"),
    deadlines: Deadlines::every(Duration::from_secs(5)),
    retries: RetrySchedule {
        offsets: &[Duration::ZERO; 3],
        source: "WeCom: 5 s deadline, then 3 retries straight away (WeChat-family rule)",
    },
    max_skew: None,
    reply_seal: ReplySeal::PassiveXml(["encrypt", "msg_signature", "timestamp", "nonce"]),
};

/// How this vendor's console names what an encrypted passive reply needs.
const PASSIVE_REPLY: wxcrypt::PassiveReplyWords = wxcrypt::PassiveReplyWords {
    secrets: "token, EncodingAESKey and corpid",
    token: "token",
    key_and_id: "the app's EncodingAESKey and receiver id",
    receiver_id_fix: "encrypt with the receiver id configured in WeCom (corpid, or suite_id for a suite)",
};

/// The rejection of a handshake answered with echostr itself (still encrypted, perhaps still
/// URL-encoded) instead of the message it decrypts to.
fn echostr_still_encrypted(sent: &[u8], body: &[u8], secrets: &Secrets) -> Option<Rejection> {
    let body = std::str::from_utf8(body).ok()?.trim();
    let cb = Callback {
        payload: Some(Payload::new("echostr", crate::http::pct_decode(body))),
        ..Callback::default()
    };
    let opened = wxcrypt::open(&cb, secrets, HINT).ok()?;
    (opened.plaintext == sent).then(|| {
        Rejection::new(
            "the answer is echostr itself, still encrypted, not the message it decrypts to",
            "percent-decode echostr, decrypt it with your EncodingAESKey (base64, AES-256-CBC, then drop the 16 random bytes, the length and your corpid) and answer the message inside",
        )
    })
}

/// `xml` with the text of the first `<name>` element replaced by `text` (as CDATA); None when
/// there is no such element.
pub fn with_xml_text(xml: &str, name: &str, text: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    Some(format!(
        "{}<![CDATA[{text}]]>{}",
        &xml[..start],
        &xml[end..]
    ))
}

/// The receiver's encrypted passive reply XML for `plaintext`.
pub fn passive_reply_xml(
    plaintext: &[u8],
    secrets: &Secrets,
    stamp: &Stamp,
) -> Result<(String, String)> {
    let (encrypt, sig) = wxcrypt::seal_signed(plaintext, secrets, stamp)?;
    Ok((passive_xml(&encrypt, &sig, stamp), encrypt))
}

fn passive_xml(encrypt: &str, sig: &str, stamp: &Stamp) -> String {
    format!(
        "<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt><MsgSignature><![CDATA[{sig}]]></MsgSignature><TimeStamp>{}</TimeStamp><Nonce><![CDATA[{}]]></Nonce></xml>",
        stamp.timestamp, stamp.nonce
    )
}

/// The encrypted passive reply (WeCom, WeChat) and its four fields, under the names `keys`
/// gives them (encrypt, signature, timestamp, nonce: each vendor spells them its own way).
pub fn sealed_passive_reply(
    plaintext: &[u8],
    secrets: &Secrets,
    stamp: &Stamp,
    keys: [&str; 4],
) -> Result<super::SealedReply> {
    let (encrypt, sig) = wxcrypt::seal_signed(plaintext, secrets, stamp)?;
    let xml = passive_xml(&encrypt, &sig, stamp);
    let values = [encrypt, sig, stamp.timestamp.clone(), stamp.nonce.clone()];
    let fields = keys
        .iter()
        .zip(values)
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
        .collect();
    Ok(super::SealedReply {
        reply: HttpReply::new(200, "text/xml", xml),
        fields,
    })
}

/// The Encrypt field of an XML body, or of the JSON variant.
pub fn encrypt_of_body(body: &[u8]) -> Result<String> {
    let text = std::str::from_utf8(body).map_err(|_| Error::malformed("body", "not UTF-8"))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return super::dingtalk::encrypt_field(body);
    }
    if !trimmed.starts_with('<') {
        return Err(Error::malformed(
            "body",
            "neither XML nor JSON (WeCom error -40002)",
        ));
    }
    xml_field(text, "Encrypt").ok_or_else(|| {
        Error::missing(
            "Encrypt",
            "the XML body has no <Encrypt> element (WeCom error -40002)",
        )
    })
}

/// The text of the first `<name>` element, CDATA unwrapped. A deliberately small reader: WeCom
/// bodies are flat, and this one cannot be made to fetch entities or recurse.
pub fn xml_field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    let inner = xml[start..end].trim();
    let inner = inner
        .strip_prefix("<![CDATA[")
        .and_then(|s| s.strip_suffix("]]>"))
        .unwrap_or(inner);
    Some(inner.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_support::*;

    #[test]
    fn official_echostr_vector_from_the_url() {
        let req = HttpRequest {
            method: "GET".into(),
            path: "/".into(),
            query: "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D".into(),
            headers: vec![],
            body: vec![],
        };
        let s = Wecom.demo_secrets();
        let cb = Wecom.parse(&req).unwrap();
        assert!(Wecom.verify(&cb, &s, Now { unix_ms: 0 }).unwrap()[0].ok);
        let opened = Wecom.open(&cb, &s).unwrap();
        assert_eq!(opened.plaintext, b"1616140317555161061");
        let reply = Wecom
            .reply(&cb, &opened, &s, &Wecom.stamp(Now { unix_ms: 0 }))
            .unwrap();
        assert_eq!(reply.body, b"1616140317555161061");
    }

    #[test]
    fn echostr_echoed_still_encrypted_is_named() {
        let s = Wecom.demo_secrets();
        let stamp = Wecom.stamp(Now { unix_ms: 1 });
        let input = Wecom
            .probe_input(b"1616140317555161061", Kind::Handshake, &s, &stamp)
            .unwrap();
        let raw = input
            .request
            .query
            .split('&')
            .find_map(|p| p.strip_prefix("echostr="))
            .unwrap()
            .to_string();
        assert!(raw.contains("%2B") && raw.contains("%2F"), "{raw}");
        for body in [raw.clone(), crate::http::pct_decode(&raw)] {
            let reply = HttpReply::new(200, "text/plain", body);
            let r = Wecom
                .judge(Kind::Handshake, &input.plaintext, &reply, &s)
                .unwrap_err();
            assert!(
                r.reason.contains("echostr itself, still encrypted"),
                "{}",
                r.reason
            );
            assert!(r.fix.contains("decrypt it"), "{}", r.fix);
        }
    }

    #[test]
    fn probe_event_text_is_chinese_with_emoji() {
        let x = "<xml><Content><![CDATA[hi]]></Content></xml>";
        assert_eq!(
            with_xml_text(x, "Content", "周会 🚀").unwrap(),
            "<xml><Content><![CDATA[周会 🚀]]></Content></xml>"
        );
        assert_eq!(with_xml_text(x, "Nope", "t"), None);
    }

    #[test]
    fn xml_reader() {
        let x = "<xml><ToUserName><![CDATA[wx]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt><AgentID>218</AgentID></xml>";
        assert_eq!(xml_field(x, "Encrypt").as_deref(), Some("abc="));
        assert_eq!(xml_field(x, "AgentID").as_deref(), Some("218"));
        assert_eq!(xml_field(x, "Nope"), None);
        assert_eq!(xml_field("<Encrypt>", "Encrypt"), None);
    }

    #[test]
    fn event_and_passive_reply_round_trip() {
        let s = Wecom.demo_secrets();
        let stamp = Wecom.stamp(Now {
            unix_ms: 1_409_659_813_000,
        });
        let plain = b"<xml><MsgType><![CDATA[text]]></MsgType><AgentID>218</AgentID></xml>";
        let req = Wecom.seal(plain, Kind::Event, &s, &stamp).unwrap();
        let cb = Wecom.parse(&req).unwrap();
        assert!(Wecom.verify(&cb, &s, Now { unix_ms: 0 }).unwrap()[0].ok);
        assert_eq!(Wecom.open(&cb, &s).unwrap().plaintext, plain);
        let (xml, _) = passive_reply_xml(b"<xml>hi</xml>", &s, &stamp).unwrap();
        assert_accepted(
            &Wecom,
            Kind::Event,
            plain,
            &HttpReply::new(200, "text/xml", xml),
            &s,
        );
        assert!(
            Wecom
                .judge(
                    Kind::Event,
                    plain,
                    &HttpReply::new(200, "text/plain", "ok"),
                    &s
                )
                .is_err()
        );
    }

    #[test]
    fn every_rejection_states_a_fix() {
        let s = Wecom.demo_secrets();
        let stamp = Wecom.stamp(Now { unix_ms: 1 });
        let xml = |x: String| HttpReply::new(200, "text/xml", x);
        let (good, encrypt) = passive_reply_xml(b"<xml>hi</xml>", &s, &stamp).unwrap();
        let forged = good.replace(&stamp.nonce, "0");
        let garbage =
            crate::crypto::sorted_sha1(&["QDG6eK", &stamp.timestamp, &stamp.nonce, "AAAA"]);
        let undecryptable = good
            .replace(&encrypt, "AAAA")
            .replace(&xml_field(&good, "MsgSignature").unwrap(), &garbage);
        let mut other = s.clone();
        other.receiver_id = Some("wwOTHER".into());
        let (foreign, _) = passive_reply_xml(b"<xml>hi</xml>", &other, &stamp).unwrap();
        let event_cases = [
            (xml("<xml><Encrypt>x</Encrypt></xml>".into()), "lacks"),
            (xml(forged), "MsgSignature does not verify"),
            (xml(undecryptable), "does not decrypt"),
            (xml(foreign), "-40005"),
            (HttpReply::new(200, "text/plain", "ok"), "neither empty"),
            (HttpReply::new(404, "text/plain", ""), "HTTP 404"),
        ];
        assert_accepted(&Wecom, Kind::Event, b"", &xml(good), &s);
        assert_rejected_events(&Wecom, event_cases, &s);
        let r = Wecom
            .judge(
                Kind::Handshake,
                b"1616140317555161061",
                &HttpReply::new(200, "text/plain", "1616140317555161061\n"),
                &s,
            )
            .unwrap_err();
        assert!(
            r.reason
                .ends_with("answer the decrypted echostr as plain text")
        );
        assert!(r.fix.contains("without a newline"), "{}", r.fix);
    }

    // Pins found by mutation testing (scripts/mutants.sh): each test below fails when the named
    // part of the vendor's behaviour is changed.

    fn request(method: &str, query: &str, body: &str) -> HttpRequest {
        HttpRequest {
            method: method.into(),
            path: "/".into(),
            query: query.into(),
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn vendor_facts() {
        assert_eq!(Wecom.id(), VendorId::Wecom);
        assert_eq!(Wecom.deadline(Kind::Event, b""), Duration::from_secs(5));
        assert_probe_fixtures_bundled(&Wecom, 2);
        // The demo secrets are those of the published echostr vector.
        let demo = Wecom.demo_secrets();
        assert_eq!(demo.token().unwrap(), "QDG6eK");
        assert_eq!(demo.receiver_id().unwrap(), "wx5823bf96d3bd56c7");
        let req = sealed_at(&Wecom, b"x", Kind::Handshake, &demo, 0);
        let cb = Wecom.parse(&req).unwrap();
        assert!(Wecom.check_opened(&Wecom.open(&cb, &Wecom.demo_secrets()).unwrap(), &demo)[0].ok);
    }

    #[test]
    fn nonces_are_ten_digits_and_fresh() {
        let stamp = Wecom.stamp(Now {
            unix_ms: 1_409_659_813_000,
        });
        assert_eq!(stamp.timestamp, "1409659813");
        let nonces: std::collections::HashSet<String> = (0..8)
            .map(|_| Wecom.stamp(Now { unix_ms: 0 }).nonce)
            .collect();
        // Eight draws from a billion values: a repeat means the nonce is not random.
        assert_eq!(nonces.len(), 8, "{nonces:?}");
        for n in &nonces {
            let v: u64 = n.parse().unwrap();
            assert!((1_000_000_000..2_000_000_000).contains(&v), "{n}");
        }
    }

    #[test]
    fn event_type_and_id_from_the_xml() {
        let ev =
            b"<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>";
        assert_eq!(Wecom.event_type(ev).as_deref(), Some("event.subscribe"));
        let text = b"<xml><MsgType>text</MsgType><Event>stray</Event><MsgId>1234</MsgId></xml>";
        assert_eq!(Wecom.event_type(text).as_deref(), Some("text"));
        assert_eq!(
            Wecom.event_type(b"<xml><Event>e</Event></xml>").as_deref(),
            Some("e")
        );
        assert_eq!(Wecom.event_type(b"{\"MsgType\":\"text\"}"), None);
        assert_eq!(Wecom.event_id(text).as_deref(), Some("1234"));
        assert_eq!(Wecom.event_id(ev), None);
    }

    #[test]
    fn recognised_by_echostr_xml_or_the_json_variant() {
        assert_eq!(Wecom.recognise(&request("GET", "echostr=abc", "")), 70);
        assert_eq!(Wecom.recognise(&request("POST", "", "<xml></xml>")), 70);
        let tousername = r#"{"tousername":"ww","encrypt":"e"}"#;
        let agentid = r#"{"encrypt":"e","agentid":"1"}"#;
        assert_eq!(
            Wecom.recognise(&request("POST", "signature=a", tousername)),
            60
        );
        assert_eq!(
            Wecom.recognise(&request("POST", "msg_signature=a", agentid)),
            60
        );
        assert_eq!(Wecom.recognise(&request("POST", "", agentid)), 0);
        // DingTalk's bare map is not WeCom's.
        let bare = r#"{"encrypt":"e"}"#;
        assert_eq!(
            Wecom.recognise(&request("POST", "msg_signature=a", bare)),
            0
        );
    }

    #[test]
    fn seal_puts_handshakes_in_the_query_and_events_in_the_body() {
        let s = Wecom.demo_secrets();
        let stamp = Wecom.stamp(Now { unix_ms: 0 });
        let get = Wecom.seal(b"1234", Kind::Handshake, &s, &stamp).unwrap();
        assert_eq!(get.method, "GET");
        assert!(get.query.contains("echostr="), "{}", get.query);
        assert!(get.body.is_empty());
        let cb = Wecom.parse(&get).unwrap();
        assert!(cb.is_get);
        assert!(Wecom.verify(&cb, &s, Now { unix_ms: 0 }).unwrap()[0].ok);

        let post = Wecom
            .seal(b"<xml><AgentID>7</AgentID></xml>", Kind::Event, &s, &stamp)
            .unwrap();
        assert_eq!(post.method, "POST");
        assert!(!post.query.contains("echostr"), "{}", post.query);
        assert!(String::from_utf8_lossy(&post.body).contains("<AgentID><![CDATA[7]]></AgentID>"));
        let cb = Wecom.parse(&post).unwrap();
        assert!(!cb.is_get);
        assert_eq!(cb.body, post.body);
        assert_eq!(cb.payload.as_ref().unwrap().field, "encrypt");
        let opened = Wecom.open(&cb, &s).unwrap();
        let reply = Wecom.reply(&cb, &opened, &s, &stamp).unwrap();
        assert_eq!(reply.body, b"success");
    }

    #[test]
    fn an_empty_or_success_event_reply_is_accepted() {
        let s = Wecom.demo_secrets();
        for body in ["", "success"] {
            let reply = HttpReply::new(200, "text/plain", body);
            assert!(
                Wecom.judge(Kind::Event, b"", &reply, &s).is_ok(),
                "{body:?}"
            );
        }
    }

    #[test]
    fn a_get_without_echostr_is_still_a_get() {
        let cb = Wecom.parse(&request("GET", "msg_signature=a", "")).unwrap();
        assert!(cb.is_get);
        assert_eq!(cb.payload, None);
    }
}
