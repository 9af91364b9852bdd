//! `replay --report`: the JUnit file conforms to the Jenkins junit-10.xsd (tests/data/), and says
//! what happened in words, with rejected answers as failures and missing answers as errors.

mod common;
mod junit_xsd;

use std::time::Duration;

use cbkit::http::HttpReply;
use cbkit::protocol::VendorId;
use common::{TestServer, cbkit, correct_reply, secret_args};
use junit_xsd::Schema;

/// `replay FIXTURES --url URL` with Tencent Meeting's demo secrets and a compressed schedule;
/// the JUnit report it wrote.
fn report(url: &str, fixtures: &[&str], extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junit.xml");
    cbkit()
        .arg("replay")
        .args(fixtures)
        .args(["--url", url, "--time-scale", "0.001", "--report"])
        .arg(&path)
        .args(secret_args(VendorId::Wemeet))
        .args(extra)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    std::fs::read_to_string(&path).expect("the report was written")
}

fn conforms(xml: &str) {
    let v = Schema::junit10().violations(xml);
    assert!(v.is_empty(), "{v:#?}\n{xml}");
    for debug in ["Some(", "None", "attempts: ["] {
        assert!(!xml.contains(debug), "Rust debug formatting in:\n{xml}");
    }
}

#[test]
fn the_checker_catches_what_the_schema_forbids() {
    let v = Schema::junit10().violations(
        r#"<testsuites skipped="0"><testsuite tests="1"><testcase><flakyFailure/></testcase></testsuite><bogus/></testsuites>"#,
    );
    let text = v.join("\n");
    assert!(
        text.contains("/testsuites: attribute skipped not declared"),
        "{text}"
    );
    assert!(
        text.contains("testcase: required attribute name missing"),
        "{text}"
    );
    assert!(text.contains("flakyFailure not allowed here"), "{text}");
    assert!(text.contains("bogus not allowed here"), "{text}");
}

#[test]
fn a_delivery_accepted_after_a_retry_keeps_its_timeline() {
    let secrets = VendorId::Wemeet.vendor().demo_secrets();
    let server = TestServer::start(move |n, req| {
        let reply = if n == 1 {
            HttpReply::new(500, "text/plain", "db not ready")
        } else {
            correct_reply(VendorId::Wemeet, &secrets, req)
        };
        (reply, Duration::ZERO)
    });
    let xml = report(
        &server.url,
        &["wemeet/meeting.created", "wemeet/meeting.started"],
        &[],
    );
    conforms(&xml);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 2);
    assert!(cases.iter().all(|c| c.attribute("time").is_some()));
    let out = cases[0]
        .children()
        .find(|n| n.has_tag_name("system-out"))
        .and_then(|n| n.text())
        .expect("the retried delivery's timeline");
    assert!(out.starts_with("#1 at +0.000s: HTTP 500 in "), "{out}");
    assert!(out.contains("\n#2 at +"), "{out}");
    assert!(out.ends_with(", accepted"), "{out}");
    assert_eq!(cases[1].children().filter(|n| n.is_element()).count(), 0);
}

#[test]
fn rejected_answers_are_failures_and_no_answer_is_an_error() {
    let server = TestServer::start(|_, _| {
        (
            HttpReply::new(403, "text/plain", "forbidden"),
            Duration::ZERO,
        )
    });
    let xml = report(&server.url, &["wemeet/meeting.created"], &["--no-retry"]);
    conforms(&xml);
    assert!(
        xml.contains("<failure message=\"not accepted after 1 attempt: "),
        "{xml}"
    );
    assert!(xml.contains("type=\"rejected\""), "{xml}");

    let (_held, port) = common::ports::refusing_port();
    let url = format!("http://127.0.0.1:{port}/cb");
    let xml = report(
        &url,
        &["wemeet/meeting.created"],
        &["--retry-schedule", "1s"],
    );
    conforms(&xml);
    assert!(
        xml.contains("<error message=\"no answer after 2 attempts: connection refused"),
        "{xml}"
    );
}
