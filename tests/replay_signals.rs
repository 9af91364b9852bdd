//! `replay` stopped by Ctrl-C (SIGINT) or SIGTERM while it waits for a retry: it stops at once,
//! marks the unfinished deliveries interrupted, writes the JUnit report and the JSON document
//! it has so far, and exits 130.

mod common;
mod junit_xsd;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cbkit::http::HttpReply;
use cbkit::protocol::VendorId;
use common::{TestServer, drain, secret_args};

/// Start `cbkit replay` against a receiver that always fails, wait for its first attempt, send
/// `signal` during the wait for the second, and return (exit code, stdout, report, seconds from
/// the signal to the exit).
fn interrupted_run(signal: &str) -> (i32, String, String, Duration) {
    let server = TestServer::start(|_, _| {
        (
            HttpReply::new(500, "text/plain", "db not ready"),
            Duration::ZERO,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("junit.xml");
    // Tencent Meeting retries after 1, 3 and 6 minutes: scaled by 0.05 the first wait is 3 s.
    let mut child = Command::new(env!("CARGO_BIN_EXE_cbkit"))
        .env("NO_COLOR", "1")
        .env_remove("CBKIT_TOKEN")
        .env(
            "XDG_CONFIG_HOME",
            concat!(env!("CARGO_MANIFEST_DIR"), "/target/no-such-config-dir"),
        )
        .args([
            "--json",
            "replay",
            "wemeet/meeting.created",
            "wemeet/meeting.started",
        ])
        .args(["--url", &server.url, "--time-scale", "0.05", "--report"])
        .arg(&report)
        .args(secret_args(VendorId::Wemeet))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = drain(child.stdout.take().unwrap());
    let _stderr = drain(child.stderr.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.requests().is_empty() {
        assert!(Instant::now() < deadline, "the first attempt never came");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let signalled = Instant::now();
    let kill = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code().unwrap_or(-1);
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "replay did not stop"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = signalled.elapsed();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(server.requests().len(), 1, "no attempt after the signal");
    let xml = std::fs::read_to_string(&report).unwrap_or_default();
    let out = stdout.lock().unwrap().clone();
    (code, out, xml, took)
}

#[test]
fn sigint_during_a_retry_wait_reports_and_exits_130() {
    let (code, stdout, xml, took) = interrupted_run("-INT");
    assert_eq!(code, 130, "{stdout}");
    assert!(took < Duration::from_secs(1), "stopped after {took:?}");
    let v = junit_xsd::Schema::junit10().violations(&xml);
    assert!(v.is_empty(), "{v:#?}\n{xml}");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let errors: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert_eq!(errors.len(), 2, "{xml}");
    assert!(
        errors
            .iter()
            .all(|e| e.attribute("type") == Some("interrupted"))
    );
    let first = errors[0].attribute("message").unwrap_or_default();
    assert!(
        first.starts_with("interrupted after 1 attempt: "),
        "{first}"
    );
    assert!(
        errors[1].attribute("message") == Some("interrupted before the first attempt"),
        "{xml}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    assert_eq!(json["interrupted"], 2);
    assert_eq!(json["rejected"], 0);
    assert_eq!(json["deliveries"][0]["interrupted"], true);
    assert_eq!(
        json["deliveries"][0]["attempts"].as_array().unwrap().len(),
        1
    );
    assert_eq!(
        json["deliveries"][1]["attempts"].as_array().unwrap().len(),
        0
    );
}

#[test]
fn sigterm_stops_the_same_way() {
    let (code, _, xml, took) = interrupted_run("-TERM");
    assert_eq!(code, 130);
    assert!(took < Duration::from_secs(1), "stopped after {took:?}");
    assert!(
        junit_xsd::Schema::junit10().violations(&xml).is_empty(),
        "{xml}"
    );
}
