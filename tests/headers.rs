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

/// The headers without which a vendor's receiver cannot verify or open a delivery, found by
/// running the vendor's own pipeline: each header of the requests `probe` sends is removed in
/// turn and the request inspected as a receiver would.
fn headers_a_receiver_needs(vendor: cbkit::protocol::VendorId) -> Vec<String> {
    use cbkit::protocol::{Now, Role, inspect};
    let v = vendor.vendor();
    let secrets = v.demo_secrets();
    let now = Now::system();
    let vars = cbkit::fixture::Vars {
        now,
        secrets: secrets.clone(),
        env: cbkit::fixture::no_env,
    };
    let mut needed: Vec<String> = Vec::new();
    let mut checked = 0;
    for name in v.probe_fixtures() {
        for f in cbkit::fixture::resolve(name).unwrap() {
            let plain = f.render(&vars, &[]).unwrap();
            let req = v
                .seal(&plain, f.kind(&plain), &secrets, &v.stamp(now))
                .unwrap();
            let whole = |r: &HttpRequest| {
                v.parse(r).ok().is_some_and(|cb| {
                    let i = inspect(v, &cb, &secrets, now, None, Role::Receiver);
                    i.unverified.is_none() && i.opened.is_ok() && i.valid()
                })
            };
            // Feishu's URL-verification challenge is not signed: nothing to take away.
            if !whole(&req) {
                continue;
            }
            checked += 1;
            for (h, _) in &req.headers {
                let mut less = req.clone();
                less.headers.retain(|(k, _)| k != h);
                if !whole(&less) && !needed.iter().any(|n| n.eq_ignore_ascii_case(h)) {
                    needed.push(h.clone());
                }
            }
        }
    }
    assert!(checked > 0, "no request of {} verifies", vendor.title());
    needed
}

#[test]
fn readme_names_the_headers_each_vendors_receiver_needs() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("**Extra headers.**")
        .nth(1)
        .expect("README has the extra headers section");
    for vendor in cbkit::protocol::VendorId::ALL {
        let needed = headers_a_receiver_needs(vendor);
        let line = section
            .lines()
            .find(|l| l.starts_with(&format!("- {}:", vendor.title())))
            .unwrap_or_else(|| panic!("no README line for {}", vendor.title()));
        let listed = if needed.is_empty() {
            "none".to_string()
        } else {
            needed
                .iter()
                .map(|h| format!("`{h}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        assert_eq!(
            line,
            format!("- {}: {listed}", vendor.title()),
            "README line for {}",
            vendor.title()
        );
    }
}
