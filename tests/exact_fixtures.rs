//! A fixture saved with `fixtures save --from-capture --exact` is shown as it was captured: a
//! captured Host (or Content-Length) header is the request's own, not doubled by the one
//! `fixtures show` puts in for requests that have none.

mod common;
use common::*;

use cbkit::capture::Capture;
use cbkit::protocol::{Kind, Now, VendorId};

/// A DingTalk URL check sealed with the demo secrets, captured with the headers a proxy or
/// another recorder keeps: a Host (in its own spelling) and a Content-Length.
fn capture_line() -> String {
    let v = VendorId::Dingtalk.vendor();
    let mut request = v
        .seal(
            br#"{"EventType":"check_url"}"#,
            Kind::Event,
            &v.demo_secrets(),
            &v.stamp(Now::system()),
        )
        .unwrap();
    let length = request.body.len().to_string();
    request
        .headers
        .push(("host".into(), "callback.example.com:8443".into()));
    request.headers.push(("Content-Length".into(), length));
    serde_json::to_string(&Capture {
        vendor: Some("dingtalk".into()),
        ..Capture::answered("2026-12-01T00:00:00.000Z", request)
    })
    .unwrap()
}

fn lines_named<'a>(text: &'a str, header: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| {
            l.split_once(':')
                .is_some_and(|(k, _)| k.eq_ignore_ascii_case(header))
        })
        .collect()
}

#[test]
fn fixtures_show_of_an_exact_capture_prints_its_own_host_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cap.jsonl"), capture_line() + "\n").unwrap();
    let saved = json_out(
        cbkit()
            .current_dir(dir.path())
            .args(["fixtures", "save", "--from-capture", "cap.jsonl", "--exact"])
            .args(["--name", "team/check", "--dir", "fx", "--json"])
            .args(secret_args(VendorId::Dingtalk)),
    );
    assert_eq!(saved["exact"], true, "{saved}");
    assert_eq!(saved["verified"], true, "{saved}");

    let out = cbkit()
        .current_dir(dir.path())
        .args(["fixtures", "show", "fx/team/check.json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        lines_named(&text, "host"),
        ["host: callback.example.com:8443"],
        "{text}"
    );
    assert_eq!(lines_named(&text, "content-length").len(), 1, "{text}");

    let shown = json_out(cbkit().current_dir(dir.path()).args([
        "fixtures",
        "show",
        "fx/team/check.json",
        "--json",
    ]));
    let raw = shown["request"].as_str().unwrap();
    assert_eq!(
        lines_named(raw, "host"),
        ["host: callback.example.com:8443"],
        "{raw}"
    );
    // What is shown reads back as a request (`--request`), with the captured body.
    let again = cbkit::http::HttpRequest::parse_raw(raw.as_bytes()).unwrap();
    assert!(again.body.starts_with(b"{\"encrypt\":"), "{raw}");
}
