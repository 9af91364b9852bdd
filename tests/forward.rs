//! `listen --forward-to`: the app's answer is part of the verdict. An app that answers 403 (the
//! way a receiver with a wrong token does) makes the capture, the live line, the summary and
//! the exit code all say rejected.

mod common;

use std::time::{Duration, Instant};

use cbkit::http::HttpReply;
use cbkit::protocol::{Kind, Now, Secrets, VendorId};
use common::{Listen, TestServer, secret_args};

fn send(base: &str, req: &cbkit::http::HttpRequest) -> u16 {
    let mut url = format!("{base}/wemeet");
    if !req.query.is_empty() {
        url = format!("{url}?{}", req.query);
    }
    let client = reqwest::blocking::Client::new();
    let mut rb = client.request(req.method.parse().unwrap(), url);
    for (k, v) in &req.headers {
        rb = rb.header(k.as_str(), v.as_str());
    }
    rb.body(req.body.clone()).send().unwrap().status().as_u16()
}

/// A listener for Tencent Meeting with the demo secrets, forwarding to `app` and recording to a
/// file of its own; `args` are what else the test passes (how it stops).
struct Forwarding {
    l: Listen,
    record: std::path::PathBuf,
    _app: TestServer,
    _dir: tempfile::TempDir,
}

impl Forwarding {
    fn start(app: TestServer, args: &[&str]) -> Forwarding {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("cap.jsonl");
        let mut all: Vec<String> = ["--vendor", "wemeet", "--forward-to", &app.url]
            .into_iter()
            .chain(args.iter().copied())
            .map(String::from)
            .collect();
        all.extend(["--record".to_string(), record.display().to_string()]);
        all.extend(secret_args(VendorId::Wemeet));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        Forwarding {
            l: Listen::start(&all),
            record,
            _app: app,
            _dir: dir,
        }
    }

    /// Deliver `plaintext` as an event sealed with the demo secrets; the listener's answer.
    fn deliver(&self, plaintext: &[u8]) -> u16 {
        let v = VendorId::Wemeet.vendor();
        let req = v
            .seal(
                plaintext,
                Kind::Event,
                &demo_secrets(),
                &v.stamp(Now::system()),
            )
            .unwrap();
        send(&self.l.url, &req)
    }

    /// The one recorded capture.
    fn capture(&self) -> serde_json::Value {
        let line = std::fs::read_to_string(&self.record).unwrap();
        serde_json::from_str(line.trim()).unwrap()
    }
}

fn demo_secrets() -> Secrets {
    VendorId::Wemeet.vendor().demo_secrets()
}

#[test]
fn an_app_answering_403_is_a_rejection_everywhere() {
    let app = TestServer::start(|_, _| {
        (
            HttpReply::new(403, "text/plain", "forbidden: bad signature"),
            Duration::ZERO,
        )
    });
    let mut f = Forwarding::start(app, &["--once"]);
    let plaintext =
        r#"{"event":"meeting.started","payload":[{"meeting_info":{"subject":"周会 🎉"}}]}"#;
    assert_eq!(
        f.deliver(plaintext.as_bytes()),
        403,
        "the app's answer is relayed"
    );
    let code = f.l.wait(Duration::from_secs(10));
    assert_eq!(
        code, 1,
        "--once exits 1 when the app's answer would be rejected"
    );

    let cap = f.capture();
    assert_eq!(
        cap["verdict"]["signature"], true,
        "the request itself was genuine"
    );
    assert_eq!(cap["verdict"]["accepted"], false, "{cap}");
    let fwd = &cap["forward"];
    assert_eq!(fwd["status"], 403, "{cap}");
    assert_eq!(fwd["body"], "forbidden: bad signature");
    assert_eq!(fwd["accepted"], false);
    assert!(
        fwd["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{cap}"
    );
    assert!(fwd["latency_ms"].as_f64().is_some(), "{cap}");

    let out = f.l.stdout();
    assert!(
        out.contains("✗ your app's answer would be rejected"),
        "{out}"
    );
    let err = f.l.stderr();
    assert!(
        err.contains("1 requests, 0 verified, 1 failed (1 answer from your app would be rejected)"),
        "{err}"
    );
}

#[test]
fn an_app_answering_right_passes_and_its_answer_is_recorded() {
    let secrets = demo_secrets();
    let app = TestServer::start(move |_, req| {
        (
            common::correct_reply(VendorId::Wemeet, &secrets, req),
            Duration::ZERO,
        )
    });
    let mut f = Forwarding::start(app, &["--exit-after", "1"]);
    let started = Instant::now();
    assert_eq!(f.deliver(br#"{"event":"meeting.started"}"#), 200);
    assert_eq!(f.l.wait(Duration::from_secs(10)), 0);
    assert!(started.elapsed() < Duration::from_secs(10));
    let cap = f.capture();
    assert_eq!(cap["verdict"]["accepted"], true, "{cap}");
    assert_eq!(cap["forward"]["accepted"], true);
    assert_eq!(cap["forward"]["status"], 200);
    assert!(cap["forward"]["reason"].is_null());
}
