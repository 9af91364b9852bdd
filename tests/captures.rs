//! Real traffic as test material: a captured request saved as a fixture and replayed to a
//! listener that verifies it (freshly signed, or byte for byte with --exact), and batch decoding
//! of capture files and body lines, bad lines included.

mod common;
use common::*;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use cbkit::capture::Capture;
use cbkit::protocol::{Kind, Now, Secrets, VendorId};

const TOKEN: &str = "mryue";
const AES_KEY: &str = "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7";
const RECEIVER_ID: &str = "ding6ccabc44d2c8d38b";
const SECRETS: [(&str, &str); 3] = [
    ("CBKIT_TOKEN", TOKEN),
    ("CBKIT_AES_KEY", AES_KEY),
    ("CBKIT_RECEIVER_ID", RECEIVER_ID),
];

fn dingtalk() -> VendorId {
    "dingtalk".parse().unwrap()
}

/// The capture lines of a record file.
fn records(path: &Path) -> Vec<Capture> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| cbkit::capture::parse_line(l).unwrap())
        .collect()
}

/// Start a DingTalk listener that records one request to `record`, send it `fixture` with
/// `cbkit replay`, and return the capture line.
fn replay_to_listener(fixture: &str, record: &Path) -> Capture {
    let mut l = Listen::start_with(
        &[
            "--vendor",
            "dingtalk",
            "--strict",
            "--exit-after",
            "1",
            "--record",
            record.to_str().unwrap(),
        ],
        &SECRETS,
    );
    let out = cbkit()
        .envs(SECRETS)
        .args(["replay", fixture, "--no-retry", "--url", &l.url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "replay of {fixture} was not accepted:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(l.wait(Duration::from_secs(10)), 0, "{}", l.stderr());
    records(record).pop().unwrap()
}

fn verified(c: &Capture) -> bool {
    c.verdict["signature"] == true && c.verdict["accepted"] == true && c.errors.is_empty()
}

#[test]
fn a_capture_becomes_a_fixture_that_replays_verified_freshly_signed() {
    let dir = tempfile::tempdir().unwrap();
    let first = replay_to_listener("dingtalk/user_add_org", &dir.path().join("cap.jsonl"));
    assert!(verified(&first));
    let fixtures = dir.path().join("fixtures");

    let save = |extra: &[&str]| {
        cbkit()
            .envs(SECRETS)
            .current_dir(dir.path())
            .args(["fixtures", "save", "--from-capture", "cap.jsonl:1"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = save(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "wrote fixtures/dingtalk/user_add_org.json (DingTalk user_add_org)\n"
    );
    let saved = fixtures.join("dingtalk/user_add_org.json");
    let text = std::fs::read_to_string(&saved).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["vendor"], "dingtalk");
    assert_eq!(doc["event"], "user_add_org");
    assert_eq!(doc["method"], "POST");
    assert_eq!(doc["body"]["EventType"], "user_add_org");
    assert!(doc.get("request").is_none());
    for secret in [TOKEN, AES_KEY] {
        assert!(!text.contains(secret), "a secret in the fixture:\n{text}");
    }

    // A second save refuses to replace it; --force does.
    let again = save(&[]);
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.starts_with("error: fixture: ") && err.contains("--force"),
        "{err}"
    );
    assert!(save(&["--force"]).status.success());

    let second = replay_to_listener(saved.to_str().unwrap(), &dir.path().join("cap2.jsonl"));
    assert!(verified(&second), "{:?}", second.errors);
    assert_eq!(second.event_type.as_deref(), Some("user_add_org"));
    assert_eq!(second.plaintext, first.plaintext, "the same event again");
    assert_ne!(
        second.request.query, first.request.query,
        "signed afresh: a new timestamp, nonce and signature"
    );
}

#[test]
fn an_exact_fixture_replays_the_captured_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let first = replay_to_listener("dingtalk/check_url", &dir.path().join("cap.jsonl"));
    let out = cbkit()
        .envs(SECRETS)
        .current_dir(dir.path())
        .args(["fixtures", "save", "--from-capture", "cap.jsonl", "--exact"])
        .args(["--name", "team/handshake", "--dir", "fx", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["path"], "fx/team/handshake.json");
    assert_eq!(shown["exact"], true);
    assert_eq!(shown["verified"], true);
    let saved = dir.path().join("fx/team/handshake.json");
    let second = replay_to_listener(saved.to_str().unwrap(), &dir.path().join("cap2.jsonl"));
    assert!(verified(&second), "{:?}", second.errors);
    assert_eq!(second.request.query, first.request.query);
    assert_eq!(second.request.body, first.request.body);
}

#[test]
fn saving_needs_the_key_of_an_encrypted_capture() {
    let dir = tempfile::tempdir().unwrap();
    let cap = dir.path().join("cap.jsonl");
    std::fs::write(&cap, lines(1, &[])).unwrap();
    let out = cbkit()
        .current_dir(dir.path())
        .args(["fixtures", "save", "--from-capture", "cap.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: aes-key: missing (pass --aes-key or set CBKIT_AES_KEY)\n"
    );
    assert!(!dir.path().join("fixtures").exists());
}

/// Ways a capture line goes bad.
#[derive(Clone, Copy)]
enum Bad {
    NotJson,
    Truncated,
    WrongSignature,
    AlteredCiphertext,
}

/// `n` DingTalk capture lines with 1 KiB plaintexts; line i (1-based) spoilt as `bad` says.
fn lines(n: usize, bad: &[(usize, Bad)]) -> String {
    let vendor = dingtalk();
    let v = vendor.vendor();
    let secrets: Secrets = v.demo_secrets();
    let mut out = String::new();
    for i in 1..=n {
        let plain = format!(
            r#"{{"EventType":"user_add_org","n":{i},"pad":"{}"}}"#,
            "x".repeat(1000)
        );
        let mut stamp = v.stamp(Now::system());
        stamp.nonce = format!("n{i}");
        let mut request = v
            .seal(plain.as_bytes(), Kind::Event, &secrets, &stamp)
            .unwrap();
        let spoilt = bad.iter().find(|(at, _)| *at == i).map(|(_, b)| *b);
        match spoilt {
            Some(Bad::WrongSignature) => {
                request.query = request.query.replace("nonce=n", "nonce=m")
            }
            Some(Bad::AlteredCiphertext) => {
                // Another valid base64 ciphertext of the same length: the signature over it
                // fails and so does the decryption.
                let body = String::from_utf8(request.body).unwrap();
                request.body = body
                    .replacen("\"encrypt\":\"", "\"encrypt\":\"AAAA", 1)
                    .into_bytes();
                let body = String::from_utf8(request.body).unwrap();
                let cut = body.rfind('"').unwrap();
                request.body = format!("{}\"}}", &body[..cut - 4]).into_bytes();
            }
            _ => {}
        }
        let line = serde_json::to_string(&Capture {
            vendor: Some(vendor.name().into()),
            ..Capture::answered("2026-11-30T00:00:00.000Z", request)
        })
        .unwrap();
        match spoilt {
            Some(Bad::NotJson) => out.push_str("GET / HTTP/1.1"),
            Some(Bad::Truncated) => out.push_str(&line[..line.len() / 2]),
            _ => out.push_str(&line),
        }
        out.push('\n');
    }
    out
}

fn decoded(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn batch_decode_reports_every_line_and_goes_on_past_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let cap = dir.path().join("cap.jsonl");
    let bad = [
        (3, Bad::NotJson),
        (10, Bad::Truncated),
        (17, Bad::WrongSignature),
        (40, Bad::AlteredCiphertext),
    ];
    std::fs::write(&cap, lines(50, &bad)).unwrap();
    let out = cbkit()
        .envs(SECRETS)
        .args(["decode", "--from-capture", cap.to_str().unwrap(), "--all"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a line failed");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "50 lines, 46 decoded, 4 failed\n"
    );
    let got = decoded(&out.stdout);
    assert_eq!(got.len(), 50, "one object per line");
    for (i, line) in got.iter().enumerate() {
        let n = i + 1;
        assert_eq!(line["line"], n);
        let errors: Vec<&str> = line["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap())
            .collect();
        let joined = errors.join(" | ");
        match bad.iter().find(|(at, _)| *at == n).map(|(_, b)| *b) {
            None => {
                assert!(errors.is_empty(), "line {n}: {joined}");
                assert_eq!(line["valid"], true);
                assert_eq!(line["vendor"], "dingtalk");
                assert_eq!(line["event_type"], "user_add_org");
                assert_eq!(line["receiver_id"], RECEIVER_ID);
                let plain: serde_json::Value =
                    serde_json::from_str(line["plaintext"].as_str().unwrap()).unwrap();
                assert_eq!(plain["n"], n);
            }
            Some(Bad::NotJson | Bad::Truncated) => {
                assert_eq!(line["valid"], false);
                assert_eq!(line["vendor"], serde_json::Value::Null);
                assert!(
                    joined.starts_with("capture: not a cbkit capture line"),
                    "{joined}"
                );
            }
            Some(Bad::WrongSignature) => {
                assert_eq!(line["valid"], false);
                assert!(joined.contains("signature"), "{joined}");
                assert!(line["plaintext"].is_string(), "the body still opens");
            }
            Some(Bad::AlteredCiphertext) => {
                assert_eq!(line["valid"], false);
                assert!(errors.len() >= 2, "signature and decryption: {joined}");
                assert_eq!(line["plaintext"], serde_json::Value::Null);
            }
        }
    }

    // Only good lines: exit 0.
    std::fs::write(&cap, lines(5, &[])).unwrap();
    let out = cbkit()
        .envs(SECRETS)
        .args([
            "decode",
            "--from-capture",
            cap.to_str().unwrap(),
            "--all",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    assert_eq!(decoded(&out.stdout).len(), 5);
}

#[test]
fn batch_decode_reads_body_lines_from_stdin() {
    let v = dingtalk().vendor();
    let secrets = v.demo_secrets();
    let mut input = String::new();
    for i in 0..3 {
        let req = v
            .seal(
                format!(r#"{{"EventType":"e{i}"}}"#).as_bytes(),
                Kind::Event,
                &secrets,
                &v.stamp(Now::system()),
            )
            .unwrap();
        input.push_str(&String::from_utf8(req.body).unwrap());
        input.push('\n');
    }
    input.push_str("{\"encrypt\":\"not base64!\"}\n");
    let out = cbkit()
        .envs(SECRETS)
        .args(["decode", "dingtalk", "--lines"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let got = decoded(&out.stdout);
    assert_eq!(got.len(), 4);
    assert_eq!(got[2]["event_type"], "e2");
    assert_eq!(got[2]["plaintext"], r#"{"EventType":"e2"}"#);
    assert_eq!(
        got[0]["valid"],
        serde_json::Value::Null,
        "a body alone carries no signature"
    );
    assert_eq!(got[3]["valid"], false);
    assert!(got[3]["errors"][0].as_str().unwrap().contains("base64"));

    // Without a vendor: a usage error (a body does not say who sent it).
    let out = cbkit()
        .args(["decode", "--lines"])
        .write_stdin("{}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `cbkit decode … --all | head -1`: the reader leaving early ends the run quietly.
#[test]
fn batch_decode_into_a_closed_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let cap = dir.path().join("cap.jsonl");
    std::fs::write(&cap, lines(300, &[])).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cbkit"))
        .args(["decode", "--from-capture", cap.to_str().unwrap(), "--all"])
        .envs(SECRETS)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut first).unwrap();
    drop(out);
    let done = child.wait_with_output().unwrap();
    assert!(first.starts_with("{\"line\":1,"), "{first}");
    assert_eq!(done.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&done.stderr), "");
}
