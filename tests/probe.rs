//! `cbkit probe`: a corpus of broken receivers on 127.0.0.1, each named correctly, and the
//! correct receiver passing for every vendor.

mod common;
mod receivers;
use common::ports::refusing_port;
use common::*;
use receivers::{Careless, Wemeet};

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
fn correct_receivers_pass_for_every_vendor_forged_requests_included() {
    for v in VendorId::ALL {
        let server = receivers::careful(v);
        let (code, json) = probe(v, &server.url, &[]);
        assert_eq!(code, 0, "{v}: {json}");
        assert_eq!(json["passed"], true);
        assert_eq!(json["negative"], true);
        let checks = json["checks"].as_array().unwrap();
        let forged: Vec<&str> = checks.iter().filter_map(|c| c["forged"].as_str()).collect();
        assert!(forged.contains(&"signature"), "{v}: {json}");
        for c in checks.iter().filter(|c| !c["forged"].is_null()) {
            assert!(c["reason"].as_str().unwrap().starts_with("refused"), "{c}");
        }
    }
}

/// The failed step of a probe, and the probe's exit code, against `server`.
fn failing(v: VendorId, server: &TestServer, extra: &[&str]) -> serde_json::Value {
    let (code, json) = probe(v, &server.url, extra);
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["passed"], false);
    json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ok"] == false)
        .expect("a failed check")
        .clone()
}

const WEMEET_TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";

#[test]
fn the_hurried_tencent_meeting_receivers_are_each_named_with_their_own_fix() {
    // (mistake, method of the failing step, words of the reason, words of the fix)
    let cases = [
        (
            Wemeet::SignsUrlEncoded,
            "GET",
            "the POST signed with the same token passed",
            "your GET handler checks check_str still URL-encoded: percent-decode it first",
        ),
        (
            Wemeet::SignsDecoded,
            "GET",
            "HTTP 403",
            "refuses Tencent Meeting's signature on every request",
        ),
        (
            Wemeet::NoSignatureCheck,
            "POST",
            "your receiver accepts forged callbacks: it does not check the signature",
            "refuse it (HTTP 401 or 403)",
        ),
        (
            Wemeet::Jsonify,
            "GET",
            "JSON-encoded string",
            "your framework JSON-encoded the string; send it as text/plain",
        ),
        (
            Wemeet::EchoesCheckStr,
            "GET",
            "check_str itself, still base64-encoded",
            "base64-decode it",
        ),
        (
            Wemeet::GetOnly,
            "POST",
            "HTTP 405",
            "your handler only serves GET",
        ),
        (
            Wemeet::PostOnly,
            "GET",
            "HTTP 405",
            "your handler only serves POST",
        ),
        (
            Wemeet::StrictBase64,
            "POST",
            "its data has no `=` padding, and the request with a padded check_str passed",
            "pad before decoding",
        ),
    ];
    let mut fixes = std::collections::BTreeSet::new();
    for (mistake, method, reason, fix) in cases {
        let server = receivers::wemeet(WEMEET_TOKEN, mistake);
        let c = failing(VendorId::Wemeet, &server, &[]);
        let (r, f) = (c["reason"].as_str().unwrap(), c["fix"].as_str().unwrap());
        assert_eq!(c["method"], method, "{mistake:?}: {c}");
        assert!(r.contains(reason), "{mistake:?}: {r}");
        assert!(f.contains(fix), "{mistake:?}: {f}");
        for generic in [
            "see the reason above",
            "check its logs",
            "return exactly the expected text",
        ] {
            assert!(!f.contains(generic), "{mistake:?}: {f}");
        }
        assert!(
            fixes.insert(f.to_string()),
            "{mistake:?} shares its fix: {f}"
        );
    }
    let server = receivers::wemeet(WEMEET_TOKEN, Wemeet::Correct);
    let (code, json) = probe(VendorId::Wemeet, &server.url, &[]);
    assert_eq!(code, 0, "{json}");
}

/// The words of a probe's text output, with the URL and the latencies (which vary) masked.
fn probe_words(text: &str, url: &str) -> Vec<String> {
    text.replace(url, "URL")
        .split_whitespace()
        .map(|w| {
            let is_latency = w
                .strip_suffix("ms")
                .is_some_and(|n| n.contains('.') && n.parse::<f64>().is_ok());
            if is_latency {
                "LATENCY".into()
            } else {
                w.to_string()
            }
        })
        .collect()
}

#[test]
fn the_probe_example_in_the_readme() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let shown_url = "http://127.0.0.1:5077/wemeet";
    let after = readme
        .split_once(&format!(
            "cbkit probe wemeet --url {shown_url} --token {WEMEET_TOKEN}"
        ))
        .expect("the example's command")
        .1;
    let block = after
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("the example's output")
        .0;
    let server = receivers::wemeet(WEMEET_TOKEN, Wemeet::SignsUrlEncoded);
    let out = cbkit()
        .args([
            "probe",
            "wemeet",
            "--url",
            &server.url,
            "--token",
            WEMEET_TOKEN,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        probe_words(&text, &server.url),
        probe_words(block, shown_url),
        "{text}"
    );
    let c = failing(VendorId::Wemeet, &server, &[]);
    assert_eq!(c["reply_body"], "invalid signature");
}

#[test]
fn tencent_meeting_inputs_are_what_the_vendor_sends() {
    let server = receivers::wemeet(WEMEET_TOKEN, Wemeet::Correct);
    let (code, _) = probe(VendorId::Wemeet, &server.url, &["--no-negative"]);
    assert_eq!(code, 0);
    let seen = server.requests();
    let get = &seen.iter().find(|s| s.req.method == "GET").unwrap().req;
    let raw = receivers::raw_param(&get.query, "check_str").unwrap();
    for escaped in ["%2B", "%2F", "%3D"] {
        assert!(raw.contains(escaped), "{raw}");
    }
    let post = &seen.iter().find(|s| s.req.method == "POST").unwrap().req;
    let body: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
    let data = body["data"].as_str().unwrap();
    assert!(
        !data.contains('=') && !data.len().is_multiple_of(4),
        "{data}"
    );
    let event = cbkit::crypto::b64_decode("data", data).unwrap();
    let event = String::from_utf8(event).unwrap();
    assert!(event.contains("周会") && event.contains('🚀'), "{event}");
}

#[test]
fn the_url_encoded_signer_passed_before_and_fails_now() {
    // Before, check_str was base64 of letters and digits, unpadded: no `%` to trip over.
    let server = receivers::wemeet(WEMEET_TOKEN, Wemeet::SignsUrlEncoded);
    let (code, json) = probe(VendorId::Wemeet, &server.url, &["--no-negative"]);
    assert_eq!(code, 1, "{json}");
}

#[test]
fn no_negative_skips_the_forged_requests() {
    let server = receivers::wemeet(WEMEET_TOKEN, Wemeet::NoSignatureCheck);
    let (code, json) = probe(VendorId::Wemeet, &server.url, &["--no-negative"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["negative"], false);
    let out = cbkit()
        .args([
            "probe",
            "wemeet",
            "--url",
            &server.url,
            "--token",
            WEMEET_TOKEN,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[forged signature] POST 200"), "{text}");
    assert!(text.contains("--no-negative skips these checks"), "{text}");
    assert!(
        json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["forged"].is_null())
    );
}

#[test]
fn receivers_that_skip_a_check_accept_forged_callbacks() {
    let cases = [
        (
            VendorId::Dingtalk,
            Careless::NoSignatureCheck,
            "does not check the signature",
        ),
        (
            VendorId::Dingtalk,
            Careless::NoIdCheck,
            "does not check the receiver id",
        ),
        (
            VendorId::Wecom,
            Careless::NoSignatureCheck,
            "does not check the signature",
        ),
        (
            VendorId::Wecom,
            Careless::NoIdCheck,
            "does not check the receiver id",
        ),
        (
            VendorId::TencentIm,
            Careless::NoSignatureCheck,
            "does not check the signature",
        ),
        (
            VendorId::TencentIm,
            Careless::NoIdCheck,
            "does not check the SdkAppid",
        ),
        (
            VendorId::Feishu,
            Careless::NoSignatureCheck,
            "does not check the signature",
        ),
    ];
    for (v, m, words) in cases {
        let server = receivers::careless(v, v.vendor().demo_secrets(), m);
        let c = failing(v, &server, &[]);
        let r = c["reason"].as_str().unwrap();
        assert!(!c["forged"].is_null(), "{v} {m:?}: {c}");
        assert!(
            r == format!("your receiver accepts forged callbacks: it {words}"),
            "{v} {m:?}: {r}"
        );
        assert!(!c["fix"].as_str().unwrap().is_empty());
    }
}

#[test]
fn plain_success_for_dingtalk_and_unchanged_echostr_for_wecom_are_named() {
    let server = receivers::careless(
        VendorId::Dingtalk,
        VendorId::Dingtalk.vendor().demo_secrets(),
        Careless::PlainSuccess,
    );
    let c = failing(VendorId::Dingtalk, &server, &[]);
    assert!(
        c["reason"].as_str().unwrap().contains("plain `success`"),
        "{c}"
    );
    assert!(c["fix"].as_str().unwrap().contains("encrypted map"), "{c}");
    assert_eq!(c["reply_body"], "success");

    let server = receivers::careless(
        VendorId::Wecom,
        VendorId::Wecom.vendor().demo_secrets(),
        Careless::EchoesEchostr,
    );
    let c = failing(VendorId::Wecom, &server, &[]);
    assert!(
        c["reason"]
            .as_str()
            .unwrap()
            .contains("echostr itself, still encrypted"),
        "{c}"
    );
    assert!(c["fix"].as_str().unwrap().contains("decrypt it"), "{c}");
}

#[test]
fn encrypted_payloads_hold_plus_and_slash() {
    for v in [VendorId::Dingtalk, VendorId::Wecom, VendorId::Feishu] {
        let server = receivers::careful(v);
        let (code, _) = probe(v, &server.url, &["--no-negative"]);
        assert_eq!(code, 0);
        for seen in server.requests() {
            let cb = v.vendor().parse(&seen.req).unwrap();
            let p = cb.payload.unwrap().value;
            assert!(p.contains('+') && p.contains('/'), "{v}: {p}");
        }
    }
}

#[test]
fn quiet_prints_only_the_result_and_verbose_each_exchange() {
    let server = receivers::careful(VendorId::Feishu);
    let out = cbkit()
        .args(["probe", "feishu", "--url", &server.url, "-q"])
        .args(secret_args(VendorId::Feishu))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "passed: the vendor would accept these answers\n"
    );
    let out = cbkit()
        .args([
            "probe",
            "feishu",
            "--url",
            &server.url,
            "-v",
            "--no-negative",
        ])
        .args(secret_args(VendorId::Feishu))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("> POST /cb HTTP/1.1\n> Host: 127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("> X-Lark-Signature: "), "{err}");
    assert!(err.contains("< HTTP/1.1 200\n"), "{err}");
    assert!(err.contains("{\"challenge\":"), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("✓ feishu/url_verification"), "{stdout}");
    // No secret in the trace: Feishu's Encrypt Key never travels, the token only encrypted.
    for s in ["demoVerificationToken", "test key"] {
        assert!(!err.contains(s), "{err}");
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
fn a_late_answer_is_told_from_none() {
    let server = receivers::wemeet(WEMEET_TOKEN, Wemeet::Slow(Duration::from_millis(450)));
    let c = failing(VendorId::Wemeet, &server, &["--timeout", "300ms"]);
    let r = c["reason"].as_str().unwrap();
    assert!(r.starts_with("answered after "), "{r}");
    assert!(
        r.ends_with("past the 300ms deadline: Tencent Meeting had already given up"),
        "{r}"
    );
    assert!(c["fix"].as_str().unwrap().contains("asynchronously"));
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
    let server = receivers::careless(VendorId::Dingtalk, s.clone(), Careless::Correct);
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
    let (_held, port) = refusing_port();
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

#[test]
fn replay_verbose_prints_each_request_and_answer() {
    let server = receivers::wemeet(WEMEET_TOKEN, Wemeet::Correct);
    let out = cbkit()
        .args([
            "replay",
            "wemeet/meeting.created",
            "--url",
            &server.url,
            "--token",
            WEMEET_TOKEN,
            "--no-retry",
            "-v",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    for line in [
        "> POST /cb HTTP/1.1\n",
        "> Content-Type: application/json\n",
        "> signature: ",
        "{\"data\":\"",
        "< HTTP/1.1 200\n",
        "successfully received callback\n",
    ] {
        assert!(err.contains(line), "{line:?} in {err}");
    }
    assert!(!err.contains(WEMEET_TOKEN), "{err}");
    // Without -v, nothing of the exchange.
    let out = cbkit()
        .args([
            "replay",
            "wemeet/meeting.created",
            "--url",
            &server.url,
            "--token",
            WEMEET_TOKEN,
            "--no-retry",
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("> POST"));
}

/// What `common::ports::refusing_port` promises (here only: a test in tests/common would run in
/// every test binary).
#[test]
fn the_refusing_port_refuses_and_cannot_be_taken_while_held() {
    use std::io::ErrorKind;
    let (held, port) = refusing_port();
    for _ in 0..3 {
        let e = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused, "{e}");
    }
    // std's listeners set SO_REUSEADDR; the held socket does not, so neither bind succeeds.
    for host in ["127.0.0.1", "0.0.0.0"] {
        let taken = std::net::TcpListener::bind((host, port));
        assert!(taken.is_err(), "{host}:{port} could be bound: {taken:?}");
    }
    drop(held);
}
