//! Every URL a command sends to is checked before anything is sent: a URL without a scheme is
//! an input error (exit 2) at once, with the URL meant, never a delivery retried for minutes.

mod common;

use std::time::{Duration, Instant};

use cbkit::http::HttpReply;
use cbkit::protocol::VendorId;
use common::{TestServer, cbkit, secret_args};

#[test]
fn a_url_without_a_scheme_exits_2_at_once_and_sends_nothing() {
    let server =
        TestServer::start(|_, _| (HttpReply::new(200, "text/plain", "ok"), Duration::ZERO));
    let bare = server.url.trim_start_matches("http://").to_string();
    let started = Instant::now();
    let out = cbkit()
        .args(["replay", "wemeet/meeting.created", "--url", &bare])
        .args(secret_args(VendorId::Wemeet))
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("has no scheme: did you mean http://{bare}?")),
        "{err}"
    );
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn every_command_checks_its_url() {
    for args in [
        &["probe", "wemeet", "--url", "ftp://127.0.0.1:9/cb"][..],
        &["listen", "--forward-to", "localhost:3000/callback"][..],
        &["replay", "wemeet/meeting.created", "--url", "http://[::1"][..],
    ] {
        let out = cbkit()
            .args(args)
            .args(secret_args(VendorId::Wemeet))
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
}
