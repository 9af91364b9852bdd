//! No secret leaks: every command runs with distinctive tokens and keys, and neither stdout,
//! stderr (errors included), `--json` output nor the listener's capture file contains them, or
//! any 12-character piece of them. `--show-secrets` is the one opt-in, and is checked to work
//! (so the scan is known to see a leak when there is one).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;

const TOKEN: &str = "TOKENsecretQ7W3E9R1T5Y2U8";
const AES_KEY: &str = "U0VDUkVUQUVTS0VZeFNFQ1JFVEFFU0tFWXhTRUNSRVR";
const FEISHU_KEY: &str = "feishuENCRYPTkeyP9O8I7U6";
const FEISHU_TOKEN: &str = "feishuVERIFYtokenL5K4J3H2";
const SECRETS: [&str; 4] = [TOKEN, AES_KEY, FEISHU_KEY, FEISHU_TOKEN];

/// Any 12-character window of any secret.
fn leaks(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for s in SECRETS {
        for i in 0..=s.len() - 12 {
            let piece = &s[i..i + 12];
            if text.contains(piece) {
                found.push(piece.to_string());
                break;
            }
        }
    }
    found
}

fn assert_clean(what: &str, text: &str) {
    let found = leaks(text);
    assert!(found.is_empty(), "{what} leaks {found:?}:\n{text}");
}

/// Run cbkit with `args`; assert neither stream leaks; return stdout.
fn run_clean(args: &[&str]) -> String {
    let out = cbkit().args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_clean(&format!("stdout of {args:?}"), &stdout);
    assert_clean(&format!("stderr of {args:?}"), &stderr);
    stdout
}

fn wemeet_secrets() -> Vec<&'static str> {
    vec!["--token", TOKEN, "--aes-key", AES_KEY]
}

#[test]
fn offline_commands_never_print_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("p.json");
    std::fs::write(
        &plain,
        format!(r#"{{"event":"meeting.created","unique_sequence":"u1","note":"{TOKEN}"}}"#),
    )
    .unwrap();
    let p = plain.to_str().unwrap();
    let s = wemeet_secrets();
    let enc: serde_json::Value = serde_json::from_str(&run_clean(
        &[
            &["encrypt", "wemeet", "--body", p, "--json"][..],
            &s,
            &["--timestamp", "1609239040864", "--nonce", "123"],
        ]
        .concat(),
    ))
    .unwrap();
    let data = enc["encrypt"].as_str().unwrap();
    let sig = enc["signature"].as_str().unwrap();
    let msg = [
        "--timestamp",
        "1609239040864",
        "--nonce",
        "123",
        "--data",
        data,
    ];
    for extra in [&[][..], &["--json"][..]] {
        run_clean(&[&["sign", "wemeet"][..], &s, &msg, extra].concat());
        run_clean(
            &[
                &["verify", "wemeet"][..],
                &s,
                &msg,
                &["--signature", sig],
                extra,
            ]
            .concat(),
        );
        // A wrong signature: the explanation shows the inputs, masked.
        run_clean(
            &[
                &["verify", "wemeet", "--explain"][..],
                &s,
                &msg,
                &["--signature", "00"],
                extra,
            ]
            .concat(),
        );
        run_clean(
            &[
                &["verify", "wemeet", "--max-skew", "60s"][..],
                &s,
                &msg,
                &["--signature", sig],
                extra,
            ]
            .concat(),
        );
        run_clean(&[&["decode", "wemeet"][..], &s, &msg, extra].concat());
        run_clean(
            &[
                &["fixtures", "show", "wemeet/meeting.created"][..],
                &s,
                extra,
            ]
            .concat(),
        );
        run_clean(
            &[
                &["fixtures", "show", "feishu/url_verification"][..],
                &["--token", FEISHU_TOKEN, "--aes-key", FEISHU_KEY],
                extra,
            ]
            .concat(),
        );
    }
    // Errors: a key with a stray '=', a key of the wrong length, a token with no data.
    let bad_key = format!("{AES_KEY}=");
    run_clean(&["decode", "wemeet", "--aes-key", &bad_key, "--data", data]);
    run_clean(&[
        "decode",
        "wemeet",
        "--aes-key",
        &AES_KEY[..40],
        "--data",
        data,
    ]);
    run_clean(&["verify", "wemeet", "--token", TOKEN]);
    run_clean(&[
        "decode",
        "dingtalk",
        "--aes-key",
        AES_KEY,
        "--token",
        TOKEN,
        "--encrypt",
        "!!",
    ]);

    // The opt-in works, so the scan above would have seen a leak.
    let shown = cbkit()
        .args(["verify", "wemeet", "--explain", "--show-secrets"])
        .args(&s)
        .args(msg)
        .args(["--signature", "00"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains(TOKEN));
}

#[test]
fn listener_and_replay_never_record_or_print_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("cap.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cbkit"))
        .args(["listen", "--port", "0", "--vendor", "auto", "--record"])
        .arg(&rec)
        .args(["--token", FEISHU_TOKEN, "--aes-key", FEISHU_KEY, "--json"])
        .env("NO_COLOR", "1")
        .env_remove("CBKIT_TOKEN")
        .env_remove("CBKIT_AES_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    // With --json the ready line is {"listening":"URL"}.
    let ready: serde_json::Value = serde_json::from_str(&first).unwrap();
    let url = ready["listening"].as_str().unwrap().to_string();
    let stdout = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let mut err = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    // Feishu's url_verification carries the Verification Token inside the (encrypted) body.
    for fixture in ["feishu/url_verification", "feishu/im.message.receive_v1"] {
        run_clean(&[
            "replay",
            fixture,
            "--url",
            &format!("{url}/feishu"),
            "--token",
            FEISHU_TOKEN,
            "--aes-key",
            FEISHU_KEY,
            "--no-retry",
        ]);
        run_clean(&[
            "replay",
            fixture,
            "--url",
            &format!("{url}/feishu"),
            "--token",
            FEISHU_TOKEN,
            "--aes-key",
            FEISHU_KEY,
            "--no-retry",
            "--json",
        ]);
    }
    // With the wrong key the listener explains the failure: still no secret.
    run_clean(&[
        "replay",
        "feishu/im.message.receive_v1",
        "--url",
        &format!("{url}/feishu"),
        "--token",
        TOKEN,
        "--aes-key",
        AES_KEY,
        "--no-retry",
    ]);
    // probe runs the handshake and a sample event against the same listener.
    for extra in [&[][..], &["--json"][..]] {
        run_clean(
            &[
                &["probe", "feishu", "--url", &format!("{url}/feishu")][..],
                &["--token", FEISHU_TOKEN, "--aes-key", FEISHU_KEY],
                extra,
            ]
            .concat(),
        );
    }
    std::thread::sleep(Duration::from_millis(300));
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    assert!(stdout.lines().count() >= 5, "{stdout}");
    assert_clean("listener stdout", &stdout);
    assert_clean("listener stderr", &stderr);
    let capture = std::fs::read_to_string(&rec).unwrap();
    assert!(capture.lines().count() >= 7, "{capture}");
    assert_clean("capture file", &capture);
    // The decoded url_verification is recorded with its token redacted.
    assert!(capture.contains("(redacted)"), "{capture}");
}

/// A Feishu plaintext can carry the Verification Token written with JSON escapes, fully or in
/// part: decoding it (text, pretty-printed JSON, `--json`) must not print it in clear.
#[test]
fn secrets_written_with_json_escapes_stay_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let full: String = FEISHU_TOKEN
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let (head, tail) = FEISHU_TOKEN.split_at(9);
    let partly = format!("{head}\\u{:04x}{}", tail.as_bytes()[0], &tail[1..]);
    for escaped in [full, partly] {
        let plain = dir.path().join("p.json");
        std::fs::write(
            &plain,
            format!(r#"{{"schema":"2.0","header":{{"event_type":"x","token":"{escaped}"}}}}"#),
        )
        .unwrap();
        let sealed = run_clean(&[
            "encrypt",
            "feishu",
            "--aes-key",
            FEISHU_KEY,
            "--body",
            plain.to_str().unwrap(),
            "--json",
        ]);
        let body: serde_json::Value = serde_json::from_str(&sealed).unwrap();
        let body_file = dir.path().join("body.json");
        std::fs::write(&body_file, body["body"].as_str().unwrap()).unwrap();
        for json in [false, true] {
            let mut args = vec![
                "decode",
                "feishu",
                "--token",
                FEISHU_TOKEN,
                "--aes-key",
                FEISHU_KEY,
                "--body",
                body_file.to_str().unwrap(),
            ];
            if json {
                args.push("--json");
            }
            let out = run_clean(&args);
            assert!(out.contains("(redacted)"), "{out}");
        }
    }
}
