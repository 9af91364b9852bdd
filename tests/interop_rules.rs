//! The protocol rules the interop suite (interop/FINDINGS.md) settled, from the built binary
//! against small receivers written the way users write them.

mod common;
use common::*;

use std::time::Duration;

use cbkit::http::{HttpReply, HttpRequest};
use cbkit::protocol::{Callback, Kind, Now, Payload, VendorId};

const DING_ARGS: [&str; 6] = [
    "--token",
    "mryue",
    "--aes-key",
    "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7",
    "--receiver-id",
    "ding6ccabc44d2c8d38b",
];

/// A receiver written from DingTalk's "verify callback" page: it reads `signature`, `timestamp`
/// and `nonce` from the URL (no `msg_signature`), and answers the encrypted `success` map.
fn seed_page_receiver(req: &HttpRequest) -> HttpReply {
    let v = VendorId::Dingtalk.vendor();
    let secrets = v.demo_secrets();
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
    let cb = Callback {
        signature: req.query_param("signature"),
        timestamp: req.query_param("timestamp"),
        nonce: req.query_param("nonce"),
        payload: body["encrypt"].as_str().map(|e| Payload {
            field: "encrypt",
            value: e.to_string(),
        }),
        ..Callback::default()
    };
    let ok = cb.signature.is_some()
        && v.verify(&cb, &secrets, Now::system())
            .is_ok_and(|c| c.iter().all(|c| c.ok));
    if !ok {
        return HttpReply::new(500, "application/json", r#"{"error":"900006"}"#);
    }
    let opened = v.open(&cb, &secrets).unwrap();
    v.reply(&cb, &opened, &secrets, &v.stamp(Now::system()))
        .unwrap()
}

#[test]
fn a_dingtalk_receiver_reading_only_signature_accepts_replay() {
    let server = TestServer::start(|_, req| (seed_page_receiver(req), Duration::ZERO));
    for fixture in ["dingtalk/check_url", "dingtalk/user_add_org"] {
        cbkit()
            .args(["replay", fixture, "--url", &server.url, "--no-retry"])
            .args(DING_ARGS)
            .assert()
            .success();
    }
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_eq!(
            s.req.query_param("signature"),
            s.req.query_param("msg_signature")
        );
    }
}

#[test]
fn check_create_suite_url_carries_random_and_the_placeholder_id() {
    let out = json_out(cbkit().args([
        "fixtures",
        "show",
        "dingtalk/check_create_suite_url",
        "--json",
    ]));
    let plain: serde_json::Value =
        serde_json::from_str(out["plaintext"].as_str().unwrap()).unwrap();
    assert_eq!(plain["EventType"], "check_create_suite_url");
    assert!(plain["Random"].as_str().is_some_and(|r| !r.is_empty()));
    let dir = tempfile::tempdir().unwrap();
    let req = dir.path().join("req.http");
    std::fs::write(&req, out["request"].as_str().unwrap()).unwrap();
    let decoded = json_out(
        cbkit()
            .args([
                "decode",
                "dingtalk",
                "--request",
                req.to_str().unwrap(),
                "--json",
            ])
            .args(DING_ARGS),
    );
    assert_eq!(decoded["receiver_id"], "suite4xxxxxxxxxxxxxxx");
    assert_eq!(decoded["valid"], true);
}

#[test]
fn fixtures_show_prints_a_request_that_reads_back() {
    let out = cbkit()
        .args(["fixtures", "show", "dingtalk/check_url"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("\\r"), "a literal \\r: {text}");
    let (_, request) = text.split_once("## request").unwrap();
    let request = request.split_once('\n').unwrap().1;
    assert!(request.starts_with("POST /?msg_signature="), "{request}");
    assert!(request.contains("\r\n\r\n"), "{request:?}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("req.http");
    std::fs::write(&path, request).unwrap();
    cbkit()
        .args(["verify", "dingtalk", "--request", path.to_str().unwrap()])
        .args(DING_ARGS)
        .assert()
        .success()
        .stdout(predicates::str::contains("valid"));
}

#[test]
fn reply_envelopes_are_verified() {
    let dir = tempfile::tempdir().unwrap();
    let wecom = VendorId::Wecom.vendor().demo_secrets();
    let wecom_args = secret_args(VendorId::Wecom);
    let ding_args: Vec<String> = DING_ARGS.iter().map(|s| s.to_string()).collect();
    let stamp = |v: VendorId| v.vendor().stamp(Now::system());
    let ding_reply = cbkit::protocol::dingtalk::reply_map(
        b"success",
        &VendorId::Dingtalk.vendor().demo_secrets(),
        &stamp(VendorId::Dingtalk),
    )
    .unwrap();
    let wecom_reply = VendorId::Wecom
        .vendor()
        .sealed_reply(b"<xml><A>1</A></xml>", &wecom, &stamp(VendorId::Wecom))
        .unwrap()
        .reply
        .body;
    for (vendor, args, body) in [
        (
            "dingtalk",
            &ding_args,
            serde_json::to_vec(&ding_reply).unwrap(),
        ),
        ("wecom", &wecom_args, wecom_reply),
    ] {
        let path = dir.path().join(vendor);
        std::fs::write(&path, &body).unwrap();
        let p = path.to_str().unwrap();
        let out = json_out(
            cbkit()
                .args(["decode", vendor, "--body", p, "--json"])
                .args(args),
        );
        assert_eq!(out["valid"], true, "{vendor}: {out}");
        cbkit()
            .args(["verify", vendor, "--body", p])
            .args(args)
            .assert()
            .success();
        // A reply altered after signing does not verify.
        let text = String::from_utf8(body).unwrap();
        let nonce = ["\"nonce\":\"", "<Nonce><![CDATA["]
            .iter()
            .find_map(|open| {
                let start = text.find(open)? + open.len();
                Some(text[start..start + 4].to_string())
            })
            .unwrap();
        std::fs::write(&path, text.replacen(&nonce, "0000", 1)).unwrap();
        cbkit()
            .args(["verify", vendor, "--body", p])
            .args(args)
            .assert()
            .code(1);
    }
}

#[test]
fn a_percent_encoded_plaintext_is_named_as_the_senders() {
    let sent = "%7B%22EventType%22:%22check_url%22,%22Text%22:%22%E4%BD%A0%E5%A5%BD%22%7D";
    let out = json_out(
        cbkit()
            .args(["encrypt", "dingtalk", "--plaintext", sent, "--json"])
            .args(DING_ARGS),
    );
    let s = |k: &str| out[k].as_str().unwrap().to_string();
    let fields = [
        "--encrypt".to_string(),
        s("encrypt"),
        "--timestamp".into(),
        s("timestamp"),
        "--nonce".into(),
        s("nonce"),
        "--signature".into(),
        s("signature"),
    ];
    let decoded = json_out(
        cbkit()
            .args(["decode", "dingtalk", "--json"])
            .args(&fields)
            .args(DING_ARGS),
    );
    assert_eq!(decoded["plaintext"], sent);
    let note = decoded["plaintext_note"].as_str().unwrap();
    assert!(note.contains("dingtalk-encrypt npm library"), "{note}");
    assert!(
        note.contains(r#"{"EventType":"check_url","Text":"你好"}"#),
        "{note}"
    );
    cbkit()
        .args(["verify", "dingtalk", "--explain"])
        .args(&fields)
        .args(DING_ARGS)
        .assert()
        .success()
        .stdout(predicates::str::contains("percent-encoded the plaintext"));
    // listen says so too.
    let l = Listen::start(&[&["--vendor", "dingtalk"][..], &DING_ARGS[..]].concat());
    let req = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        query: s("query"),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: s("body").into_bytes(),
    };
    let status = reqwest::blocking::Client::new()
        .post(format!("{}/?{}", l.url, req.query))
        .body(req.body.clone())
        .send()
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 200);
    wait_for(&l, "percent-encoded the plaintext");
}

/// Wait (up to 10 s) for `needle` in the listener's stdout.
fn wait_for(l: &Listen, needle: &str) -> String {
    for _ in 0..500 {
        let out = l.stdout();
        if out.contains(needle) {
            return out;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no `{needle}` in:\n{}", l.stdout());
}

#[test]
fn feishus_unsigned_challenge_is_answered_with_a_note_by_a_strict_listener() {
    let args = secret_args(VendorId::Feishu);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let l = Listen::start(&[&["--vendor", "feishu", "--strict"][..], &args[..]].concat());
    let v = VendorId::Feishu.vendor();
    let s = v.demo_secrets();
    let plain =
        br#"{"challenge":"c-42","token":"demoVerificationToken","type":"url_verification"}"#;
    let req = v
        .seal(plain, Kind::Handshake, &s, &v.stamp(Now::system()))
        .unwrap();
    assert!(req.header("X-Lark-Signature").is_none());
    let mut rb = reqwest::blocking::Client::new().post(format!("{}/", l.url));
    for (k, val) in &req.headers {
        rb = rb.header(k.as_str(), val.as_str());
    }
    let resp = rb.body(req.body.clone()).send().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.text().unwrap(), r#"{"challenge":"c-42"}"#);
    let out = wait_for(&l, "url_verification");
    assert!(out.contains("without X-Lark-* headers"), "{out}");
    assert!(!out.contains("FAILED"), "{out}");
}

#[test]
fn a_feishu_challenge_answered_without_content_type_is_a_warning() {
    // node:http the way lark node-sdk's adaptDefault answers: the JSON body, no header.
    let server = TestServer::start(|_, req| {
        let mut reply = correct_reply(
            VendorId::Feishu,
            &VendorId::Feishu.vendor().demo_secrets(),
            req,
        );
        reply
            .headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case("Content-Type"));
        (reply, Duration::ZERO)
    });
    cbkit()
        .args([
            "replay",
            "feishu/url_verification",
            "--url",
            &server.url,
            "--no-retry",
        ])
        .args(secret_args(VendorId::Feishu))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "warning: Content-Type is `(none)`",
        ));
    let out = json_out(
        cbkit()
            .args(["probe", "feishu", "--url", &server.url, "--json"])
            .args(secret_args(VendorId::Feishu)),
    );
    assert_eq!(out["passed"], true, "{out}");
    let step = &out["checks"][0];
    assert!(
        step["reason"].as_str().unwrap().contains("warning"),
        "{step}"
    );
    assert!(
        step["fix"].as_str().unwrap().contains("application/json"),
        "{step}"
    );
}

#[test]
fn forward_to_warns_about_a_challenge_answered_without_content_type() {
    let app = TestServer::start(|_, req| {
        let secrets = VendorId::Feishu.vendor().demo_secrets();
        let mut reply = correct_reply(VendorId::Feishu, &secrets, req);
        reply
            .headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case("Content-Type"));
        (reply, Duration::ZERO)
    });
    let args = secret_args(VendorId::Feishu);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let l = Listen::start(
        &[
            &["--vendor", "feishu", "--forward-to", &app.url][..],
            &args[..],
        ]
        .concat(),
    );
    let v = VendorId::Feishu.vendor();
    let s = v.demo_secrets();
    let plain = br#"{"challenge":"c-7","token":"demoVerificationToken","type":"url_verification"}"#;
    let req = v
        .seal(plain, Kind::Handshake, &s, &v.stamp(Now::system()))
        .unwrap();
    let mut rb = reqwest::blocking::Client::new().post(format!("{}/", l.url));
    for (k, val) in &req.headers {
        rb = rb.header(k.as_str(), val.as_str());
    }
    let resp = rb.body(req.body.clone()).send().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let out = wait_for(&l, "your app's answer is one");
    assert!(out.contains("Content-Type is `(none)`"), "{out}");
}
