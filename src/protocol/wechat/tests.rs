use std::time::Duration;

use super::*;
use crate::protocol::test_support::*;
use crate::secret::Secret;

/// The Official Account WXBizMsgCrypt sample (Sample.py): a compatible-mode text message.
const SAMPLE_ENCRYPT: &str = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";

fn secrets() -> Secrets {
    Wechat.demo_secrets()
}

fn get(query: &str) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        path: "/".into(),
        query: query.into(),
        headers: vec![],
        body: vec![],
    }
}

const NOW: Now = Now {
    unix_ms: 1_714_036_504_000,
};

#[test]
fn mini_program_handshake_example() {
    let s = Secrets::new("AAAAA", None);
    let req = get(
        "signature=f464b24fc39322e44b38aa78f5edd27bd1441696&echostr=4375120948345356249&timestamp=1714036504&nonce=1514711492",
    );
    assert_eq!(VendorId::recognise(&req), Some(VendorId::Wechat));
    let cb = Wechat.parse(&req).unwrap();
    assert!(Wechat.verify(&cb, &s, NOW).unwrap()[0].ok);
    let opened = Wechat.open(&cb, &s).unwrap();
    let reply = Wechat.reply(&cb, &opened, &s, &Wechat.stamp(NOW)).unwrap();
    assert_eq!(reply.body, b"4375120948345356249");
    assert_accepted(&Wechat, Kind::Handshake, b"4375120948345356249", &reply, &s);
}

#[test]
fn plain_mode_json_example() {
    let s = Secrets::new("AAAAA", None);
    let req = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        query: "signature=899cf89e464efb63f54ddac96b0a0a235f53aa78&timestamp=1714037059&nonce=486452656".into(),
        headers: vec![],
        body: br#"{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714037059,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}"#.to_vec(),
    };
    assert_eq!(VendorId::recognise(&req), Some(VendorId::Wechat));
    let cb = Wechat.parse(&req).unwrap();
    assert!(Wechat.verify(&cb, &s, NOW).unwrap()[0].ok);
    let opened = Wechat.open(&cb, &s).unwrap();
    assert!(!opened.decrypted);
    assert_eq!(
        Wechat.event_type(&opened.plaintext).as_deref(),
        Some("event.debug_demo")
    );
    assert_eq!(
        Wechat.event_id(&opened.plaintext).as_deref(),
        Some("o9AgO5Kd5ggOC-bXrbNODIiE3bGY:1714037059:debug_demo")
    );
}

#[test]
fn official_account_sample_compat_message() {
    let s = Secrets {
        token: Some(Secret::new("spamtest")),
        ..secrets()
    };
    let body = format!(
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728</MsgId><Encrypt><![CDATA[{SAMPLE_ENCRYPT}]]></Encrypt></xml>"
    );
    let req = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        query: "signature=16120ec1b8dbb870f510d87ce6bc2463eae6ca1a&timestamp=1409735669&nonce=1320562132&openid=oyORnuP8q7ou2gfYjqLzSIWZf0rs&encrypt_type=aes&msg_signature=5d197aaffba7e9b25a30732f161a50dee96bd5fa".into(),
        headers: vec![],
        body: body.into_bytes(),
    };
    assert_eq!(VendorId::recognise(&req), Some(VendorId::Wechat));
    let cb = Wechat.parse(&req).unwrap();
    assert!(Wechat.verify(&cb, &s, NOW).unwrap()[0].ok);
    let opened = Wechat.open(&cb, &s).unwrap();
    assert_eq!(opened.receiver_id.as_deref(), Some("wx2c2769f8efd9abc2"));
    assert!(
        opened
            .text()
            .unwrap()
            .contains("<Content><![CDATA[abcdteT]]></Content>")
    );
    assert!(Wechat.check_opened(&opened, &s).iter().all(|c| c.ok));
    assert_eq!(
        Wechat.event_id(&opened.plaintext).as_deref(),
        Some("6054768590064713728")
    );
}

#[test]
fn every_mode_and_format_round_trips() {
    let s = secrets();
    let stamp = Wechat.stamp(NOW);
    let xml = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>";
    let json = r#"{"ToUserName":"gh_1","FromUserName":"o_user","MsgType":"text","Content":"你好"}"#;
    for mode in [Mode::Plain, Mode::Safe, Mode::Compat] {
        for plain in [xml, json] {
            let format = Format::of(plain.as_bytes());
            let req = seal_as(plain.as_bytes(), Kind::Event, &s, &stamp, mode, format).unwrap();
            assert_eq!(req.query_param("openid").as_deref(), Some("o_user"));
            assert!(Wechat.recognise(&req) > 70, "{mode} {format:?}");
            assert_eq!(VendorId::recognise(&req), Some(VendorId::Wechat));
            let cb = Wechat.parse(&req).unwrap();
            assert!(Wechat.verify(&cb, &s, NOW).unwrap()[0].ok, "{mode}");
            let opened = Wechat.open(&cb, &s).unwrap();
            assert_eq!(opened.plaintext, plain.as_bytes(), "{mode}");
            assert_eq!(opened.decrypted, mode != Mode::Plain);
            let reply = Wechat.reply(&cb, &opened, &s, &stamp).unwrap();
            assert_accepted(&Wechat, Kind::Event, plain.as_bytes(), &reply, &s);
        }
    }
}

#[test]
fn default_mode_follows_the_key() {
    let stamp = Wechat.stamp(NOW);
    let msg = b"<xml><FromUserName>o</FromUserName></xml>";
    let safe = Wechat.seal(msg, Kind::Event, &secrets(), &stamp).unwrap();
    assert_eq!(safe.query_param("encrypt_type").as_deref(), Some("aes"));
    let plain_only = Secrets::new("t", None);
    let plain = Wechat.seal(msg, Kind::Event, &plain_only, &stamp).unwrap();
    assert_eq!(plain.query_param("encrypt_type"), None);
    assert_eq!(plain.body, msg);
    let hs = Wechat
        .seal(b"12345", Kind::Handshake, &plain_only, &stamp)
        .unwrap();
    assert_eq!(hs.method, "GET");
    assert_eq!(hs.query_param("echostr").as_deref(), Some("12345"));
}

#[test]
fn a_chosen_variant_overrides_the_default_mode() {
    let stamp = Wechat.stamp(NOW);
    let msg = b"<xml><ToUserName>gh</ToUserName><MsgType>text</MsgType></xml>";
    let variant = |m: &str| Variant {
        mode: Some(m.into()),
        format: None,
    };
    let plain = Wechat
        .seal_variant(msg, Kind::Event, &secrets(), &stamp, &variant("plain"))
        .unwrap();
    assert_eq!(plain.query_param("encrypt_type"), None);
    assert_eq!(plain.body, msg);
    let compat = Wechat
        .seal_variant(msg, Kind::Event, &secrets(), &stamp, &variant("compat"))
        .unwrap();
    assert_eq!(compat.query_param("encrypt_type").as_deref(), Some("aes"));
    assert_eq!(
        body::field(&compat.body, "MsgType").as_deref(),
        Some("text")
    );
    assert!(body::encrypt_of(&compat.body).is_ok());
    let bad = Wechat.seal_variant(msg, Kind::Event, &secrets(), &stamp, &variant("loud"));
    assert_eq!(bad.unwrap_err().field(), "mode");
    let json = Variant {
        mode: None,
        format: Some("json".into()),
    };
    let mismatch = Wechat.seal_variant(msg, Kind::Event, &secrets(), &stamp, &json);
    assert_eq!(mismatch.unwrap_err().field(), "format");
    // Only WeChat has modes to choose from.
    let wecom = super::super::wecom::Wecom;
    let e = wecom.check_variant(&variant("safe")).unwrap_err();
    assert_eq!(e.field(), "mode");
    assert!(e.to_string().contains("wechat only"), "{e}");
    assert!(wecom.check_variant(&Variant::DEFAULT).is_ok());
}

#[test]
fn tampering_fails_the_signature() {
    let s = secrets();
    let stamp = Wechat.stamp(NOW);
    let req = Wechat
        .seal(b"<xml><Content>x</Content></xml>", Kind::Event, &s, &stamp)
        .unwrap();
    let mut cb = Wechat.parse(&req).unwrap();
    cb.payload.as_mut().unwrap().value.insert(0, 'A');
    assert!(!Wechat.verify(&cb, &s, NOW).unwrap()[0].ok);
    let mut cb = Wechat.parse(&req).unwrap();
    cb.nonce = Some("1".into());
    assert!(!Wechat.verify(&cb, &s, NOW).unwrap()[0].ok);
}

#[test]
fn recognition_leaves_the_other_vendors_alone() {
    // WeCom's handshake: msg_signature and echostr, no signature.
    let wecom = get("msg_signature=5c45&timestamp=1&nonce=2&echostr=abc");
    assert_eq!(Wechat.recognise(&wecom), 0);
    // DingTalk's old API: signature, no openid, no echostr.
    let ding = HttpRequest {
        method: "POST".into(),
        body: b"{\"encrypt\":\"x\"}".to_vec(),
        ..get("signature=1&timestamp=2&nonce=3")
    };
    assert_eq!(Wechat.recognise(&ding), 0);
}

#[test]
fn judge_names_the_console_traps() {
    let s = secrets();
    let reply = |status, body: &str| HttpReply::new(status, "text/plain", body.to_string());
    let hs = |r: HttpReply| Wechat.judge(Kind::Handshake, b"123", &r, &s).unwrap_err();
    assert!(hs(reply(200, "\"123\"")).reason.contains("quotes"));
    assert!(hs(reply(200, "123\n")).reason.contains("newline"));
    let refused = hs(reply(200, "invalid signature"));
    assert!(refused.reason.contains("Token验证失败"));
    assert!(
        refused.fix.contains("echostr is not signed"),
        "{}",
        refused.fix
    );
    assert!(hs(reply(403, "")).fix.contains("not the EncodingAESKey"));
    assert!(hs(reply(405, "")).reason.contains("does not serve GET"));
    let ev = |r: HttpReply| Wechat.judge(Kind::Event, b"<xml/>", &r, &s);
    assert!(ev(reply(200, "")).is_ok());
    assert!(ev(reply(200, "success")).is_ok());
    assert!(
        ev(reply(
            200,
            "<xml><ToUserName>u</ToUserName><MsgType>text</MsgType></xml>"
        ))
        .is_ok()
    );
    let json = ev(reply(200, "{\"ok\":true}")).unwrap_err();
    assert!(json.reason.contains("暂时无法提供服务"));
    assert!(!json.fix.is_empty());
}

#[test]
fn encrypted_passive_reply_is_judged() {
    let s = secrets();
    let stamp = Wechat.stamp(NOW);
    let sealed = Wechat.sealed_reply(b"<xml>hi</xml>", &s, &stamp).unwrap();
    assert!(sealed.fields.contains_key("MsgSignature"));
    assert_accepted(&Wechat, Kind::Event, b"", &sealed.reply, &s);
    let text = String::from_utf8(sealed.reply.body.clone()).unwrap();
    let forged = HttpReply::new(200, "text/xml", text.replace(&stamp.nonce, "0"));
    let r = Wechat.judge(Kind::Event, b"", &forged, &s).unwrap_err();
    assert!(r.reason.contains("MsgSignature"));
    let mut other = s.clone();
    other.receiver_id = Some("wxOTHER".into());
    let foreign = Wechat
        .sealed_reply(b"<xml>hi</xml>", &other, &stamp)
        .unwrap();
    let r = Wechat
        .judge(Kind::Event, b"", &foreign.reply, &s)
        .unwrap_err();
    assert!(r.reason.contains("-40005"), "{}", r.reason);
    let lacking = HttpReply::new(200, "text/xml", "<xml><Encrypt>x</Encrypt></xml>");
    assert!(rejection(&Wechat, Kind::Event, b"", &lacking, &s).contains("lacks"));
}

#[test]
fn port_warnings() {
    assert!(
        port_warning("http://example.com:8080/wx")
            .unwrap()
            .contains("port 8080")
    );
    assert!(port_warning("http://127.0.0.1:3000").is_some());
    assert!(port_warning("https://[::1]:8443/x").is_some());
    assert!(port_warning("https://example.com/wx").is_none());
    assert!(port_warning("http://example.com:80/wx").is_none());
    assert!(port_warning("https://example.com:443").is_none());
    assert!(port_warning("not a url").is_none());
}

#[test]
fn bad_bodies_are_errors_not_panics() {
    let req = HttpRequest {
        method: "POST".into(),
        body: b"garbage".to_vec(),
        ..get("signature=1&timestamp=2&nonce=3&openid=o&encrypt_type=aes&msg_signature=4")
    };
    assert!(Wechat.parse(&req).is_err());
    let missing = HttpRequest {
        method: "POST".into(),
        body: b"<xml></xml>".to_vec(),
        ..get("signature=1&timestamp=2&nonce=3&msg_signature=4")
    };
    assert!(Wechat.parse(&missing).unwrap_err().is_missing());
    let no_token = Secrets::default();
    let cb = Wechat
        .parse(&get("signature=1&timestamp=2&nonce=3&echostr=x"))
        .unwrap();
    assert!(Wechat.verify(&cb, &no_token, NOW).unwrap_err().is_missing());
    assert!(
        seal_as(
            b"<xml/>",
            Kind::Event,
            &Secrets::new("t", None),
            &Wechat.stamp(NOW),
            Mode::Safe,
            Format::Xml
        )
        .unwrap_err()
        .is_missing()
    );
}

// Pins found by mutation testing (scripts/mutants.sh over src/protocol/wechat): each test fails
// when the named part of the vendor's behaviour changes.

#[test]
fn vendor_facts_pinned() {
    assert_eq!(
        Wechat.probe_fixtures(),
        ["wechat/echostr", "wechat/text-message"]
    );
    assert_eq!(Wechat.deadline(Kind::Event, b""), Duration::from_secs(5));
    assert_eq!(Mode::Plain.name(), "plain");
    assert_eq!(Mode::Safe.name(), "safe");
    assert_eq!(format!("{}", Mode::Compat), "compat");
    assert_eq!(Format::Xml.name(), "xml");
    assert_eq!(Format::Json.name(), "json");
    assert_eq!(Format::Xml.content_type(), "text/xml");
    assert_eq!(Format::Json.content_type(), "application/json");
    assert!(
        super::super::scheme::Scheme::algorithm(&scheme::WechatSha1)
            .starts_with("signature: sha1 of sort(token, timestamp, nonce)")
    );
}

#[test]
fn event_type_is_event_dot_name_only_for_events() {
    assert_eq!(
        Wechat
            .event_type(b"<xml><MsgType>event</MsgType><Event>subscribe</Event></xml>")
            .as_deref(),
        Some("event.subscribe")
    );
    assert_eq!(
        Wechat
            .event_type(b"<xml><MsgType>text</MsgType><Event>CLICK</Event></xml>")
            .as_deref(),
        Some("text")
    );
}

#[test]
fn recognition_needs_the_wechat_shape() {
    assert_eq!(
        Wechat.recognise(&get("signature=a&echostr=b&msg_signature=c")),
        0
    );
    assert_eq!(Wechat.recognise(&get("signature=a&echostr=b")), 90);
    assert_eq!(Wechat.recognise(&get("signature=a&encrypt_type=aes")), 0);
    assert_eq!(
        Wechat.recognise(&get("signature=a&encrypt_type=aes&msg_signature=c")),
        85
    );
}

#[test]
fn a_get_without_echostr_is_a_get() {
    let cb = Wechat
        .parse(&get("signature=a&timestamp=1&nonce=2"))
        .unwrap();
    assert!(cb.is_get);
}

#[test]
fn placement_per_payload() {
    let cb = |field: &'static str| Callback {
        timestamp: Some("1".into()),
        nonce: Some("2".into()),
        payload: Some(Payload {
            field,
            value: "V".into(),
        }),
        ..Callback::default()
    };
    let q = |p: Placement| {
        p.query
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    };
    assert_eq!(
        q(Wechat.placement(&cb("echostr"), "S")),
        "signature=S&timestamp=1&nonce=2&echostr=V"
    );
    assert_eq!(
        q(Wechat.placement(&cb(scheme::ENCRYPT), "S")),
        "timestamp=1&nonce=2&encrypt_type=aes&msg_signature=S"
    );
    let plain = Callback {
        payload: None,
        ..cb("echostr")
    };
    assert_eq!(
        q(Wechat.placement(&plain, "S")),
        "signature=S&timestamp=1&nonce=2"
    );
}

#[test]
fn nonces_are_ten_digits_and_fresh() {
    let nonces: std::collections::HashSet<String> =
        (0..8).map(|_| Wechat.stamp(NOW).nonce).collect();
    assert_eq!(nonces.len(), 8);
    for n in &nonces {
        assert_eq!(n.len(), 10, "{n}");
        assert!(n.starts_with('1'), "{n}");
    }
}

#[test]
fn judge_tells_a_wrapped_echostr_from_a_wrong_one_and_wants_whole_passive_xml() {
    let s = secrets();
    let quoted = HttpReply::new(200, "text/plain", "\"12345\"");
    let r = Wechat
        .judge(Kind::Handshake, b"12345", &quoted, &s)
        .unwrap_err();
    assert_ne!(r.fix, SIGNATURE_FIX, "{r:?}");
    assert!(r.reason.contains("quotes"), "{r:?}");
    let wrong = HttpReply::new(200, "text/plain", "67890");
    let r = Wechat
        .judge(Kind::Handshake, b"12345", &wrong, &s)
        .unwrap_err();
    assert_eq!(r.fix, SIGNATURE_FIX);
    // A passive reply needs MsgType and ToUserName.
    let half = HttpReply::new(200, "text/xml", "<xml><MsgType>text</MsgType></xml>");
    assert!(Wechat.judge(Kind::Event, b"", &half, &s).is_err());
    let whole = HttpReply::new(
        200,
        "text/xml",
        "<xml><ToUserName>u</ToUserName><MsgType>text</MsgType></xml>",
    );
    assert_accepted(&Wechat, Kind::Event, b"", &whole, &s);
}

#[test]
fn every_signature_and_the_port_warning() {
    assert_eq!(
        Wechat.signatures_in(&get("signature=a&msg_signature=b&nonce=c")),
        ["a", "b"]
    );
    let w = Wechat.url_warning("http://127.0.0.1:8080/cb").unwrap();
    assert!(w.starts_with("port 8080:"), "{w}");
    assert_eq!(Wechat.url_warning("http://example.com/cb"), None);
    assert_eq!(Wechat.url_warning("https://example.com:443/cb"), None);
    assert!(contains(b"abc", b"b"));
    assert!(!contains(b"abc", b"d"));
    assert!(!contains(b"abc", b""));
}

#[test]
fn explain_steps_hide_the_token_and_check_the_key() {
    use super::super::scheme::Scheme;
    let s = secrets();
    let cb = Wechat
        .parse(&get("signature=a&timestamp=1&nonce=2&echostr=e"))
        .unwrap();
    let steps = scheme::WechatSha1.steps(&cb, &s, &|_| "HIDDEN".to_string());
    let concat = steps.iter().find(|st| st.name == "concatenated").unwrap();
    assert!(concat.detail.contains("HIDDEN"), "{concat:?}");
    assert!(!concat.detail.contains("spamtest"), "{concat:?}");
    let key = scheme::WechatSha1.key_step(&s).unwrap();
    assert_eq!(key.ok, Some(true));
    assert_eq!(scheme::WechatSha1.digest(), "sha1");
}
