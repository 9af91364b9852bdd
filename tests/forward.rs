//! `listen --forward-to`: the app's answer is part of the verdict. An app that answers 403 (the
//! way a receiver with a wrong token does) makes the capture, the live line, the summary and
//! the exit code all say rejected.

mod common;

use std::time::{Duration, Instant};

use cbkit::http::HttpReply;
use cbkit::protocol::{Kind, Now, VendorId};
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

#[test]
fn an_app_answering_403_is_a_rejection_everywhere() {
    let app = TestServer::start(|_, _| {
        (
            HttpReply::new(403, "text/plain", "forbidden: bad signature"),
            Duration::ZERO,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("cap.jsonl");
    let secrets = VendorId::Wemeet.vendor().demo_secrets();
    let mut args = vec![
        "--vendor".to_string(),
        "wemeet".into(),
        "--forward-to".into(),
        app.url.clone(),
        "--once".into(),
        "--record".into(),
        record.display().to_string(),
    ];
    args.extend(secret_args(VendorId::Wemeet));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut l = Listen::start(&args);
    let v = VendorId::Wemeet.vendor();
    let req = v
        .seal(
            r#"{"event":"meeting.started","payload":[{"meeting_info":{"subject":"周会 🎉"}}]}"#
                .as_bytes(),
            Kind::Event,
            &secrets,
            &v.stamp(Now::system()),
        )
        .unwrap();
    assert_eq!(send(&l.url, &req), 403, "the app's answer is relayed");
    let code = l.wait(Duration::from_secs(10));
    assert_eq!(
        code, 1,
        "--once exits 1 when the app's answer would be rejected"
    );

    let line = std::fs::read_to_string(&record).unwrap();
    let cap: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
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

    let out = l.stdout();
    assert!(
        out.contains("✗ your app's answer would be rejected"),
        "{out}"
    );
    let err = l.stderr();
    assert!(
        err.contains("1 requests, 0 verified, 1 failed (1 answer from your app would be rejected)"),
        "{err}"
    );
}

#[test]
fn an_app_answering_right_passes_and_its_answer_is_recorded() {
    let secrets = VendorId::Wemeet.vendor().demo_secrets();
    let s2 = secrets.clone();
    let app = TestServer::start(move |_, req| {
        (
            common::correct_reply(VendorId::Wemeet, &s2, req),
            Duration::ZERO,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("cap.jsonl");
    let mut args = vec![
        "--vendor".to_string(),
        "wemeet".into(),
        "--forward-to".into(),
        app.url.clone(),
        "--exit-after".into(),
        "1".into(),
        "--record".into(),
        record.display().to_string(),
    ];
    args.extend(secret_args(VendorId::Wemeet));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut l = Listen::start(&args);
    let v = VendorId::Wemeet.vendor();
    let req = v
        .seal(
            br#"{"event":"meeting.started"}"#,
            Kind::Event,
            &secrets,
            &v.stamp(Now::system()),
        )
        .unwrap();
    let started = Instant::now();
    assert_eq!(send(&l.url, &req), 200);
    assert_eq!(l.wait(Duration::from_secs(10)), 0);
    assert!(started.elapsed() < Duration::from_secs(10));
    let cap: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&record).unwrap().trim()).unwrap();
    assert_eq!(cap["verdict"]["accepted"], true, "{cap}");
    assert_eq!(cap["forward"]["accepted"], true);
    assert_eq!(cap["forward"]["status"], 200);
    assert!(cap["forward"]["reason"].is_null());
}
