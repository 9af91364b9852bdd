//! `cbkit probe`: a corpus of broken receivers on 127.0.0.1, each named correctly, and the
//! correct receiver passing for every vendor.

mod common;
use common::*;

use std::time::Duration;

use cbkit::http::HttpReply;
use cbkit::protocol::{Now, VendorId};

fn probe(v: VendorId, url: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let out = cbkit()
        .args(["probe", v.name(), "--url", url, "--json"])
        .args(secret_args(v))
        .args(extra)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
}

#[test]
fn correct_receivers_pass_for_every_vendor() {
    for v in VendorId::ALL {
        let s = v.vendor().demo_secrets();
        let server = TestServer::start(move |_, req| (correct_reply(v, &s, req), Duration::ZERO));
        let (code, json) = probe(v, &server.url, &[]);
        assert_eq!(code, 0, "{v}: {json}");
        assert_eq!(json["passed"], true);
        assert!(!json["checks"].as_array().unwrap().is_empty());
    }
}

/// A Tencent Meeting receiver that answers the handshake with `body(plaintext)`.
fn wemeet_handshake_server(
    body: impl Fn(&[u8]) -> HttpReply + Send + Sync + 'static,
    delay: Duration,
) -> TestServer {
    let s = VendorId::Wemeet.vendor().demo_secrets();
    TestServer::start(move |_, req| {
        let v = VendorId::Wemeet.vendor();
        let cb = v.parse(req).unwrap();
        let plain = v.open(&cb, &s).unwrap().plaintext;
        (body(&plain), delay)
    })
}

fn first_failure(json: &serde_json::Value) -> (String, String) {
    let c = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ok"] == false)
        .expect("a failed check");
    (
        c["reason"].as_str().unwrap().to_string(),
        c["fix"].as_str().unwrap().to_string(),
    )
}

#[test]
fn broken_wemeet_receivers_are_named() {
    type Reply = fn(&[u8]) -> HttpReply;
    let cases: Vec<(Reply, &str, &str)> = vec![
        (
            |p| HttpReply::new(200, "text/plain", [p, b"\n"].concat()),
            "trailing newline",
            "without a newline",
        ),
        (
            |p| HttpReply::new(200, "text/plain", [b"\"", p, b"\""].concat()),
            "quotes",
            "not JSON-encoded",
        ),
        (
            |p| {
                HttpReply::new(
                    200,
                    "application/json",
                    format!("{{\"check_str\":\"{}\"}}", String::from_utf8_lossy(p)),
                )
            },
            "wrapped in JSON",
            "bare text",
        ),
        (
            |p| HttpReply::new(200, "text/plain", ["\u{feff}".as_bytes(), p].concat()),
            "BOM",
            "without a BOM",
        ),
        (
            |p| HttpReply {
                status: 302,
                headers: vec![("Location".into(), "/other".into())],
                body: p.to_vec(),
            },
            "redirect",
            "trailing slash",
        ),
        (
            |p| HttpReply::new(500, "text/plain", p.to_vec()),
            "HTTP 500",
            "handler failed",
        ),
    ];
    for (reply, reason, fix) in cases {
        let server = wemeet_handshake_server(reply, Duration::ZERO);
        let (code, json) = probe(VendorId::Wemeet, &server.url, &[]);
        assert_eq!(code, 1);
        let (r, f) = first_failure(&json);
        assert!(r.contains(reason), "{reason}: {r}");
        assert!(f.contains(fix), "{fix}: {f}");
    }
}

#[test]
fn too_slow_receiver_misses_the_deadline() {
    let server = wemeet_handshake_server(
        |p| HttpReply::new(200, "text/plain", p.to_vec()),
        Duration::from_millis(700),
    );
    let (code, json) = probe(VendorId::Wemeet, &server.url, &["--timeout", "300ms"]);
    assert_eq!(code, 1);
    let (r, f) = first_failure(&json);
    assert!(r.contains("deadline"), "{r}");
    assert!(f.contains("asynchronously"), "{f}");
}

#[test]
fn broken_dingtalk_receivers_are_named() {
    let server =
        TestServer::start(|_, _| (HttpReply::new(200, "text/plain", "success"), Duration::ZERO));
    let (code, json) = probe(VendorId::Dingtalk, &server.url, &[]);
    assert_eq!(code, 1);
    assert!(first_failure(&json).0.contains("71009"));
    let good = VendorId::Dingtalk.vendor().demo_secrets();
    let mut other = good.clone();
    other.token = Some(cbkit::secret::Secret::new("othertoken"));
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
    let (code, json) = probe(VendorId::Dingtalk, &server.url, &[]);
    assert_eq!(code, 1);
    let (r, f) = first_failure(&json);
    assert!(r.contains("msg_signature does not verify"), "{r}");
    assert!(f.contains("sorted(token"), "{f}");
}

#[test]
fn suite_key_adds_the_suite_handshake_and_refused_connection_fails() {
    let mut s = VendorId::Dingtalk.vendor().demo_secrets();
    s.receiver_id = Some("suiteABC".into());
    let s2 = s.clone();
    let server = TestServer::start(move |_, req| {
        (correct_reply(VendorId::Dingtalk, &s2, req), Duration::ZERO)
    });
    let out = cbkit()
        .args([
            "probe",
            "dingtalk",
            "--url",
            &server.url,
            "--json",
            "--token",
            "mryue",
            "--aes-key",
            "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7",
            "--receiver-id",
            "suiteABC",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["fixture"] == "dingtalk/check_create_suite_url"),
        "{json}"
    );
    assert_eq!(out.status.code(), Some(0), "{json}");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, json) = probe(VendorId::Wecom, &format!("http://127.0.0.1:{port}/"), &[]);
    assert_eq!(code, 1);
    assert!(first_failure(&json).1.contains("start the receiver"));
}

/// A WeCom receiver that verifies the URL correctly and answers events with `event(req)`.
fn wecom_event_server(
    event: impl Fn(&cbkit::http::HttpRequest) -> HttpReply + Send + Sync + 'static,
) -> TestServer {
    let s = VendorId::Wecom.vendor().demo_secrets();
    TestServer::start(move |_, req| {
        let reply = if req.method == "GET" {
            correct_reply(VendorId::Wecom, &s, req)
        } else {
            event(req)
        };
        (reply, Duration::ZERO)
    })
}

#[test]
fn broken_wecom_receivers_get_the_judges_fix() {
    // A passive reply signed with another token: the reason and its fix come from the judge.
    let mut other = VendorId::Wecom.vendor().demo_secrets();
    other.token = Some(cbkit::secret::Secret::new("othertoken"));
    let server = wecom_event_server(move |_| {
        let v = VendorId::Wecom.vendor();
        v.sealed_reply(b"<xml/>", &other, &v.stamp(Now::system()))
            .unwrap()
            .reply
    });
    let (code, json) = probe(VendorId::Wecom, &server.url, &[]);
    assert_eq!(code, 1);
    let (r, f) = first_failure(&json);
    assert!(r.contains("MsgSignature does not verify"), "{r}");
    assert!(f.contains("sorted(token"), "{f}");

    // A body that quotes other mistakes' words does not borrow their fixes.
    let server = wecom_event_server(|_| HttpReply::new(200, "text/plain", "trailing newline"));
    let (code, json) = probe(VendorId::Wecom, &server.url, &[]);
    assert_eq!(code, 1);
    let (r, f) = first_failure(&json);
    assert!(r.contains("neither empty"), "{r}");
    assert!(f.contains("`success`"), "{f}");
}
