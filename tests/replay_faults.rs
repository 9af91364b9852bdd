//! `cbkit replay` against receivers that fail the way real ones do: nothing listening, a reset
//! in the middle of the reply, a name that does not resolve, a self-signed certificate, a
//! receiver that never answers, a redirect. Each attempt is counted as the vendor counts it (a
//! failure), retried on the schedule, reported with its reason, and the whole run ends within
//! deadline × attempts plus the schedule. Everything stays on 127.0.0.1 (`.invalid` names never
//! resolve).

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use cbkit::http::HttpReply;
use common::ports::refusing_port;
use common::*;

const TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
/// Deadline per attempt and the retry schedule used by every case: 3 attempts.
const TIMEOUT_MS: u64 = 400;
const SCHEDULE: &str = "100ms,200ms";

/// Replay one Tencent Meeting event at `url` with 3 attempts; the JSON report and wall time.
fn replay_at(url: &str, extra: &[&str]) -> (serde_json::Value, i32, Duration) {
    let start = Instant::now();
    let out = cbkit()
        .args(["replay", "wemeet/meeting.created", "--url", url])
        .args(["--token", TOKEN, "--json"])
        .args(["--timeout", &format!("{TIMEOUT_MS}ms")])
        .args(["--retry-schedule", SCHEDULE])
        .args(extra)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let took = start.elapsed();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap_or(-1), took)
}

/// Three failed attempts, each with a reason containing `why`, exit 1, within the bound.
fn assert_failed_three_times(v: &serde_json::Value, code: i32, took: Duration, why: &str) {
    let attempts = v["deliveries"][0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3, "{v:#}");
    for a in attempts {
        assert_eq!(a["accepted"], false);
        let reason = a["reason"].as_str().unwrap();
        assert!(
            reason.to_lowercase().contains(why),
            "reason {reason:?} lacks {why:?}"
        );
    }
    assert_eq!(v["rejected"], 1);
    assert_eq!(code, 1, "not accepted after retries is exit 1");
    // deadline × attempts + schedule (300 ms) + process start-up slack.
    let bound = Duration::from_millis(TIMEOUT_MS * 3 + 300 + 2500);
    assert!(took < bound, "took {took:?}, bound {bound:?}");
}

#[test]
fn connection_refused_is_retried_and_named() {
    let (_held, port) = refusing_port();
    let (v, code, took) = replay_at(&format!("http://127.0.0.1:{port}/"), &[]);
    assert_failed_three_times(&v, code, took, "connection refused");
}

/// A raw server: for each connection run `f` on the accepted socket.
fn raw_server(f: impl Fn(std::net::TcpStream) + Send + Sync + 'static) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let f = std::sync::Arc::new(f);
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let f = f.clone();
            std::thread::spawn(move || f(s));
        }
    });
    format!("http://127.0.0.1:{port}/")
}

fn read_request(s: &mut std::net::TcpStream) {
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let _ = s.read(&mut buf);
}

#[test]
fn reset_in_the_middle_of_the_reply() {
    let url = raw_server(|mut s| {
        read_request(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\nsuccessfully rec");
        let _ = s.flush();
        // Close with 184 promised bytes unsent: the client sees the reply end mid-body.
        std::thread::sleep(Duration::from_millis(20));
        drop(s);
    });
    let (v, code, took) = replay_at(&url, &[]);
    // Cut after 16 of 200 promised bytes: an incomplete reply is a failed delivery.
    assert_failed_three_times(&v, code, took, "error");
}

#[test]
fn dns_failure_is_retried_and_named() {
    let (v, code, took) = replay_at("http://cbkit-fault-test.invalid/", &[]);
    assert_failed_three_times(&v, code, took, "dns");
}

#[test]
fn receiver_that_hangs_hits_the_deadline_each_time() {
    let url = raw_server(|mut s| {
        read_request(&mut s);
        std::thread::sleep(Duration::from_secs(20));
    });
    let (v, code, took) = replay_at(&url, &[]);
    assert_failed_three_times(&v, code, took, "deadline");
    assert!(took >= Duration::from_millis(TIMEOUT_MS * 3));
}

#[test]
fn redirect_is_not_followed_and_is_a_failure() {
    let target = TestServer::start(|_, _| {
        (
            HttpReply::new(200, "text/plain", "successfully received callback"),
            Duration::ZERO,
        )
    });
    let location = target.url.clone();
    let redirecting = TestServer::start(move |_, _| {
        let mut r = HttpReply::new(302, "text/plain", "");
        r.headers.push(("Location".into(), location.clone()));
        (r, Duration::ZERO)
    });
    let (v, code, took) = replay_at(&redirecting.url, &[]);
    assert_failed_three_times(&v, code, took, "302");
    assert!(target.requests().is_empty(), "the redirect was followed");
}

#[test]
fn self_signed_certificate_fails_unless_insecure() {
    let dir = tempfile::tempdir().unwrap();
    let subject = [
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
    ];
    let Some((cert, key)) = common::tls::self_signed(dir.path(), &subject) else {
        eprintln!("openssl not available: skipped");
        return;
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cbkit"))
        .args([
            "listen", "--port", "0", "--vendor", "wemeet", "--token", TOKEN,
        ])
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut out, &mut first).unwrap();
    // Keep reading: a listener whose stdout is closed cannot print its blocks.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let (v, code, took) = replay_at(&url, &[]);
    assert_failed_three_times(&v, code, took, "tls");
    assert!(
        v["deliveries"][0]["attempts"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("--insecure")
    );
    let (v, code, _) = replay_at(&url, &["--insecure"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["accepted"], 1);
    let _ = child.kill();
    let _ = child.wait();
}
