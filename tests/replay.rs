//! `cbkit replay` against real test servers on 127.0.0.1.

mod common;
use common::ports::refusing_port;
use common::*;

use std::time::Duration;

use cbkit::http::HttpReply;
use cbkit::protocol::{Now, VendorId};

fn replay(fixture: &str, url: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let vendor: VendorId = fixture.split('/').next().unwrap().parse().unwrap();
    cbkit()
        .arg("replay")
        .arg(fixture)
        .args(["--url", url])
        .args(secret_args(vendor))
        .args(extra)
        .assert()
}

#[test]
fn every_vendor_request_is_received_field_by_field_and_accepted() {
    for (fixture, method, content_type) in [
        ("wemeet/meeting.created", "POST", Some("application/json")),
        ("wemeet/url-verification", "GET", None),
        (
            "tencent-im/Room.CallbackAfterCreateRoom",
            "POST",
            Some("application/json"),
        ),
        ("dingtalk/check_url", "POST", Some("application/json")),
        ("wecom/echostr", "GET", None),
        ("wecom/text-message", "POST", Some("text/xml")),
        ("wechat/echostr", "GET", None),
        ("wechat/text-message", "POST", Some("text/xml")),
        (
            "wechat/miniprogram.kf-text-json",
            "POST",
            Some("application/json"),
        ),
        (
            "feishu/url_verification",
            "POST",
            Some("application/json; charset=utf-8"),
        ),
        (
            "feishu/im.message.receive_v1",
            "POST",
            Some("application/json; charset=utf-8"),
        ),
    ] {
        let vendor: VendorId = fixture.split('/').next().unwrap().parse().unwrap();
        let secrets = vendor.vendor().demo_secrets();
        let s2 = secrets.clone();
        let server =
            TestServer::start(move |_, req| (correct_reply(vendor, &s2, req), Duration::ZERO));
        replay(fixture, &server.url, &["--no-retry"]).success();
        let seen = server.requests();
        assert_eq!(seen.len(), 1, "{fixture}");
        let req = &seen[0].req;
        assert_eq!(req.method, method, "{fixture}");
        assert_eq!(req.path, "/cb", "{fixture}");
        assert_eq!(req.header("Content-Type"), content_type, "{fixture}");
        // The signature verifies with the vendor algorithm and the plaintext is the fixture's event.
        let v = vendor.vendor();
        let cb = v.parse(req).unwrap();
        let unsigned_challenge = fixture == "feishu/url_verification";
        match v.verify(&cb, &secrets, Now::system()) {
            Ok(checks) => assert!(checks.iter().all(|c| c.ok), "{fixture}"),
            // Feishu sends its challenge without X-Lark-* headers (docs/protocols/feishu.md).
            Err(e) => assert!(unsigned_challenge && e.is_missing(), "{fixture}: {e}"),
        }
        let opened = v.open(&cb, &secrets).unwrap();
        let fx = &cbkit::fixture::resolve(fixture).unwrap()[0];
        if fx.method == "POST" && vendor != VendorId::Wecom && vendor != VendorId::Wechat {
            let got: serde_json::Value = serde_json::from_slice(&opened.plaintext).unwrap();
            let event = fx.event.as_str();
            let named = [
                &got["event"],
                &got["CallbackCommand"],
                &got["EventType"],
                &got["type"],
                &got["header"]["event_type"],
            ];
            assert!(
                named.iter().any(|n| n.as_str() == Some(event)),
                "{fixture}: {got}"
            );
        }
        match vendor {
            VendorId::Wemeet => {
                for h in ["timestamp", "nonce", "signature"] {
                    assert!(req.header(h).is_some(), "{fixture}: header {h}");
                }
            }
            VendorId::TencentIm => {
                for q in [
                    "SdkAppid",
                    "CallbackCommand",
                    "contenttype",
                    "ClientIP",
                    "OptPlatform",
                    "RequestTime",
                    "Sign",
                ] {
                    assert!(req.query_param(q).is_some(), "{fixture}: query {q}");
                }
                assert_eq!(
                    req.query_param("CallbackCommand").as_deref(),
                    Some("Room.CallbackAfterCreateRoom")
                );
                assert_eq!(req.query_param("contenttype").as_deref(), Some("json"));
            }
            VendorId::Dingtalk | VendorId::Wecom => {
                for q in ["msg_signature", "timestamp", "nonce"] {
                    assert!(req.query_param(q).is_some(), "{fixture}: query {q}");
                }
                if vendor == VendorId::Dingtalk {
                    // Both names, one value, as a captured DingTalk push carries them.
                    assert_eq!(
                        req.query_param("signature"),
                        req.query_param("msg_signature")
                    );
                }
            }
            VendorId::Wechat => {
                for q in ["signature", "timestamp", "nonce"] {
                    assert!(req.query_param(q).is_some(), "{fixture}: query {q}");
                }
                if req.method == "POST" {
                    for q in ["openid", "encrypt_type", "msg_signature"] {
                        assert!(req.query_param(q).is_some(), "{fixture}: query {q}");
                    }
                }
            }
            VendorId::Feishu => {
                for h in [
                    "X-Lark-Request-Timestamp",
                    "X-Lark-Request-Nonce",
                    "X-Lark-Signature",
                ] {
                    assert_eq!(
                        req.header(h).is_some(),
                        !unsigned_challenge,
                        "{fixture}: header {h}"
                    );
                }
                assert_eq!(req.header("User-Agent"), Some("Go-http-client/1.1"));
                assert!(req.header("X-Request-Id").is_some(), "{fixture}");
            }
        }
    }
}

#[test]
fn body_goes_on_the_wire_byte_for_byte_with_overrides() {
    let secrets = VendorId::TencentIm.vendor().demo_secrets();
    let s2 = secrets.clone();
    let server = TestServer::start(move |_, req| {
        (correct_reply(VendorId::TencentIm, &s2, req), Duration::ZERO)
    });
    replay(
        "tencent-im/Group.CallbackAfterCreateTopic",
        &server.url,
        &[
            "--no-retry",
            "--set",
            "Name=你好 topic",
            "--set",
            "UserDefinedDataList.0.Value=x",
        ],
    )
    .success();
    let body = server.requests()[0].req.body.clone();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["Name"], "你好 topic");
    assert_eq!(v["UserDefinedDataList"][0]["Value"], "x");
    // Compact serialisation, keys in the fixture's order, exactly as signed and sent.
    assert!(
        body.starts_with(br#"{"CallbackCommand":"Group.CallbackAfterCreateTopic","GroupId""#),
        "{}",
        String::from_utf8_lossy(&body)
    );
}

fn rejecting(reply: HttpReply, delay: Duration) -> TestServer {
    TestServer::start(move |_, _| (reply.clone(), delay))
}

#[test]
fn acceptance_rules_name_the_reason() {
    let ack = "successfully received callback";
    for (reply, needle) in [
        (
            HttpReply::new(200, "text/plain", format!("{ack}\n")),
            "trailing newline",
        ),
        (
            HttpReply::new(200, "text/plain", format!("\"{ack}\"")),
            "quotes",
        ),
        (HttpReply::new(500, "text/plain", ack), "HTTP 500"),
        (HttpReply::new(302, "text/plain", ack), "redirect"),
    ] {
        let server = rejecting(reply, Duration::ZERO);
        replay("wemeet/meeting.created", &server.url, &["--no-retry"])
            .code(1)
            .stdout(predicates::str::contains(needle));
    }
    let server = rejecting(
        HttpReply::new(200, "text/plain", ack),
        Duration::from_millis(800),
    );
    replay(
        "wemeet/meeting.created",
        &server.url,
        &["--no-retry", "--timeout", "200ms"],
    )
    .code(1)
    .stdout(predicates::str::contains(
        "no answer within the 200ms deadline",
    ));
}

#[test]
fn dingtalk_reply_must_be_the_signed_encrypted_map() {
    let server = rejecting(HttpReply::new(200, "text/plain", "success"), Duration::ZERO);
    replay("dingtalk/check_url", &server.url, &[])
        .code(1)
        .stdout(predicates::str::contains("71009"));
    // A map signed with another token.
    let mut other = VendorId::Dingtalk.vendor().demo_secrets();
    let good = other.clone();
    other.token = Some(cbkit::secret::Secret::new("notmytoken"));
    let server = TestServer::start(move |_, req| {
        let v = VendorId::Dingtalk.vendor();
        let cb = v.parse(req).unwrap();
        let opened = v.open(&cb, &good).unwrap();
        (
            v.reply(&cb, &opened, &other, &v.stamp(Now::system()))
                .unwrap(),
            Duration::ZERO,
        )
    });
    replay("dingtalk/check_url", &server.url, &[])
        .code(1)
        .stdout(predicates::str::contains("msg_signature does not verify"));
}

#[test]
fn connection_refused_is_a_failure() {
    let (_held, port) = refusing_port();
    replay(
        "wemeet/meeting.created",
        &format!("http://127.0.0.1:{port}/"),
        &["--no-retry"],
    )
    .code(1)
    .stdout(predicates::str::contains("connection refused"));
}

fn offsets_ms(seen: &[Seen]) -> Vec<f64> {
    seen.iter()
        .map(|s| (s.at - seen[0].at).as_secs_f64() * 1000.0)
        .collect()
}

#[test]
fn tencent_retries_at_scaled_1_3_6_minutes_until_accepted() {
    let secrets = VendorId::Wemeet.vendor().demo_secrets();
    let server = TestServer::start(move |n, req| {
        if n <= 2 {
            (HttpReply::new(500, "text/plain", "busy"), Duration::ZERO)
        } else {
            (
                correct_reply(VendorId::Wemeet, &secrets, req),
                Duration::ZERO,
            )
        }
    });
    let out = cbkit()
        .args([
            "replay",
            "wemeet/meeting.created",
            "--url",
            &server.url,
            "--time-scale",
            "0.01",
            "--json",
        ])
        .args(secret_args(VendorId::Wemeet))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    let got = offsets_ms(&seen);
    // Retries 1 and 3 minutes after the first failure, scaled by 0.01: +600 ms and +1800 ms.
    for (g, want) in got.iter().zip([0.0, 600.0, 1800.0]) {
        assert!((g - want).abs() < 120.0, "offsets {got:?}");
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let attempts = json["deliveries"][0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3);
    assert_eq!(attempts[1]["scheduled_offset_ms"], 60_000);
    assert_eq!(attempts[2]["scheduled_offset_ms"], 180_000);
    // Same event on every attempt: retries resend it, receivers dedupe on its id.
    let plain = |i: usize| {
        let v = VendorId::Wemeet.vendor();
        let cb = v.parse(&seen[i].req).unwrap();
        v.open(&cb, &VendorId::Wemeet.vendor().demo_secrets())
            .unwrap()
            .plaintext
    };
    assert_eq!(plain(0), plain(2));
}

#[test]
fn always_failing_receiver_sees_four_attempts_and_exit_1() {
    let server = rejecting(HttpReply::new(200, "text/plain", "ok"), Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("junit.xml");
    replay(
        "wemeet/meeting.created",
        &server.url,
        &["--time-scale", "0.01", "--report", report.to_str().unwrap()],
    )
    .code(1);
    let seen = server.requests();
    assert_eq!(seen.len(), 4);
    let got = offsets_ms(&seen);
    for (g, want) in got.iter().zip([0.0, 600.0, 1800.0, 3600.0]) {
        assert!((g - want).abs() < 120.0, "offsets {got:?}");
    }
    let xml = std::fs::read_to_string(&report).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("1"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        1
    );
}

#[test]
fn custom_schedule_and_junit_counts_match() {
    let secrets = VendorId::Dingtalk.vendor().demo_secrets();
    let server = TestServer::start(move |_, req| {
        (
            correct_reply(VendorId::Dingtalk, &secrets, req),
            Duration::ZERO,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("junit.xml");
    replay(
        "dingtalk",
        &server.url,
        &[
            "--retry-schedule",
            "1s,2s",
            "--time-scale",
            "0.01",
            "--report",
            report.to_str().unwrap(),
        ],
    )
    .success();
    let n = cbkit::fixture::resolve("dingtalk").unwrap().len();
    assert_eq!(server.requests().len(), n);
    let xml = std::fs::read_to_string(&report).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        n
    );
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        0
    );
}

#[test]
fn load_mode_sends_unique_events() {
    let secrets = VendorId::Wemeet.vendor().demo_secrets();
    let server = TestServer::start(move |_, req| {
        (
            correct_reply(VendorId::Wemeet, &secrets, req),
            Duration::ZERO,
        )
    });
    let out = json_out(
        cbkit()
            .args([
                "replay",
                "wemeet/meeting.created",
                "--url",
                &server.url,
                "--count",
                "60",
                "--concurrency",
                "8",
                "--json",
            ])
            .args(secret_args(VendorId::Wemeet)),
    );
    assert_eq!(
        out["accepted"],
        60,
        "{out} seen by server: {}",
        server.requests().len()
    );
    assert_eq!(out["rejected"], 0);
    let ids: std::collections::HashSet<String> = server
        .requests()
        .iter()
        .map(|s| {
            let v = VendorId::Wemeet.vendor();
            let p = v
                .open(
                    &v.parse(&s.req).unwrap(),
                    &VendorId::Wemeet.vendor().demo_secrets(),
                )
                .unwrap()
                .plaintext;
            serde_json::from_slice::<serde_json::Value>(&p).unwrap()["unique_sequence"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 60);
}

#[test]
fn unknown_fixture_and_missing_secret_are_input_errors() {
    cbkit()
        .args(["replay", "wemeet/nope", "--url", "http://127.0.0.1:9/"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no fixture"));
    let server = rejecting(HttpReply::new(200, "text/plain", "x"), Duration::ZERO);
    cbkit()
        .args([
            "replay",
            "wemeet/meeting.created",
            "--url",
            &server.url,
            "--no-retry",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("token: missing"));
    assert!(
        server.requests().is_empty(),
        "nothing is sent without a token"
    );
}
