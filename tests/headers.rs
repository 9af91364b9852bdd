//! `-H/--header 'Name: value'` on replay, probe and `listen --forward-to`: the header arrives at
//! a receiver, `Name:` removes one (and a removed vendor header makes verification fail), bad
//! syntax is an input error naming the flag.

mod common;
mod receivers;
use common::*;
use predicates::prelude::*;

use cbkit::http::{HttpReply, HttpRequest};
use std::time::Duration;

const TOKEN: &str = "header-test-token";

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn replay_adds_replaces_and_removes_headers() {
    let app = receivers::wemeet(TOKEN, receivers::Wemeet::Correct);
    cbkit()
        .args(["replay", "wemeet/meeting.created", "--url", &app.url])
        .args(["--token", TOKEN, "--no-retry"])
        .args(["-H", "X-Trace: abc 1", "--header", "User-Agent: my-agent"])
        .assert()
        .success();
    let seen = app.requests();
    let req = &seen.last().unwrap().req;
    assert_eq!(header(req, "x-trace"), Some("abc 1"));
    assert_eq!(header(req, "user-agent"), Some("my-agent"));
    // Without the signature header the receiver cannot verify the delivery: it refuses it.
    cbkit()
        .args(["replay", "wemeet/meeting.created", "--url", &app.url])
        .args(["--token", TOKEN, "--no-retry", "-H", "signature:"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("403"));
    let seen = app.requests();
    assert_eq!(header(&seen.last().unwrap().req, "signature"), None);
    // A replaced vendor header too.
    cbkit()
        .args(["replay", "wemeet/meeting.created", "--url", &app.url])
        .args(["--token", TOKEN, "--no-retry", "-H", "Signature: 00"])
        .assert()
        .code(1);
    let seen = app.requests();
    assert_eq!(header(&seen.last().unwrap().req, "signature"), Some("00"));
}

#[test]
fn probe_sends_the_headers_on_every_request() {
    let app = receivers::wemeet(TOKEN, receivers::Wemeet::Correct);
    cbkit()
        .args(["probe", "wemeet", "--url", &app.url, "--token", TOKEN])
        .args(["-H", "X-Probe: yes"])
        .assert()
        .success();
    let seen = app.requests();
    assert!(seen.len() >= 2, "{}", seen.len());
    for s in &seen {
        assert_eq!(header(&s.req, "x-probe"), Some("yes"));
    }
}

#[test]
fn listen_forwards_with_the_headers_edited() {
    // The app answers what a correct receiver answers, without checking anything.
    let app = TestServer::start(|_, _| {
        (
            HttpReply::new(200, "text/plain", "successfully received callback"),
            Duration::ZERO,
        )
    });
    let mut l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        TOKEN,
        "--forward-to",
        &app.url,
        "--once",
        "-H",
        "X-Forwarded-By: cbkit",
        "-H",
        "nonce:",
    ]);
    cbkit()
        .args(["replay", "wemeet/meeting.created", "--url", &l.url])
        .args(["--token", TOKEN, "--no-retry"])
        .assert()
        .success();
    assert_eq!(l.wait(Duration::from_secs(10)), 0, "{}", l.stdout());
    let seen = app.requests();
    let req = &seen.last().unwrap().req;
    assert_eq!(header(req, "x-forwarded-by"), Some("cbkit"));
    assert_eq!(header(req, "nonce"), None);
    assert!(header(req, "signature").is_some());
}

#[test]
fn bad_header_syntax_is_an_input_error_naming_the_flag() {
    for bad in ["NoColon", "Bad Name: x", ": x"] {
        cbkit()
            .args([
                "replay",
                "wemeet/meeting.created",
                "--url",
                "http://127.0.0.1:9/",
            ])
            .args(["--token", TOKEN, "-H", bad])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--header"));
    }
    cbkit()
        .args(["probe", "wemeet", "--url", "http://127.0.0.1:9/", "-H", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--header"));
    // On listen, -H shapes forwarded requests: it needs --forward-to.
    cbkit()
        .args(["listen", "--port", "0", "-H", "X-A: b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--forward-to"));
}
