//! Output conventions across commands: colour rules, `--json` validity everywhere, and the help
//! examples that need nothing but the binary actually run.

mod common;
use common::*;

use std::time::Duration;

use cbkit::protocol::VendorId;

const ESC: &str = "\u{1b}[";

fn failing_verify() -> assert_cmd::Command {
    let mut c = cbkit();
    c.args([
        "verify",
        "wemeet",
        "--token",
        "t",
        "--timestamp",
        "1",
        "--nonce",
        "2",
        "--data",
        "eA",
        "--signature",
        "00",
    ]);
    c
}

#[test]
fn colour_follows_no_color_clicolor_force_and_the_flag() {
    let out = failing_verify().output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(ESC),
        "NO_COLOR and not a terminal: no colour"
    );
    let out = failing_verify()
        .arg("--color")
        .arg("always")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(ESC));
    let out = failing_verify()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(ESC));
    let out = failing_verify()
        .env("CLICOLOR_FORCE", "1")
        .arg("--color")
        .arg("never")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(ESC));
}

fn is_json(args: &[&str]) -> serde_json::Value {
    let out = cbkit().args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not one JSON document ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn every_command_speaks_json() {
    let v = vector("wemeet", "signature");
    let (t, ts, n, d) = (
        s(&v, "token"),
        s(&v, "timestamp"),
        s(&v, "nonce"),
        s(&v, "data"),
    );
    is_json(&[
        "sign",
        "wemeet",
        "--json",
        "--token",
        &t,
        "--timestamp",
        &ts,
        "--nonce",
        &n,
        "--data",
        &d,
    ]);
    is_json(&[
        "verify",
        "wemeet",
        "--json",
        "--token",
        &t,
        "--timestamp",
        &ts,
        "--nonce",
        &n,
        "--data",
        &d,
        "--signature",
        "00",
    ]);
    is_json(&["decode", "wemeet", "--json", "--data", &d]);
    is_json(&[
        "encrypt",
        "wecom",
        "--json",
        "--token",
        "t",
        "--aes-key",
        "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        "--receiver-id",
        "c",
        "--plaintext",
        "x",
    ]);
    is_json(&[
        "encrypt",
        "wecom",
        "--json",
        "--reply",
        "--token",
        "t",
        "--aes-key",
        "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        "--receiver-id",
        "c",
    ]);
    is_json(&["fixtures", "list", "--json"]);
    is_json(&["fixtures", "show", "wecom/echostr", "--json"]);
    is_json(&["demo", "--vendor", "wecom", "--json"]);
    is_json(&["config", "show", "--json"]);
    let secrets = VendorId::Wecom.vendor().demo_secrets();
    let server = TestServer::start(move |_, req| {
        (
            correct_reply(VendorId::Wecom, &secrets, req),
            Duration::ZERO,
        )
    });
    let wecom = [
        "--token",
        "QDG6eK",
        "--aes-key",
        "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        "--receiver-id",
        "wx5823bf96d3bd56c7",
    ];
    let replayed = is_json(
        &[
            &["replay", "wecom/echostr", "--json", "--url", &server.url][..],
            &["--time-scale", "0.5"][..],
            &wecom,
        ]
        .concat(),
    );
    // Self-describing: the scale that relates real-time fields to vendor time.
    assert_eq!(replayed["time_scale"], 0.5, "{replayed}");
    is_json(
        &[
            &[
                "replay",
                "wecom/echostr",
                "--json",
                "--count",
                "3",
                "--url",
                &server.url,
            ][..],
            &wecom,
        ]
        .concat(),
    );
    is_json(
        &[
            &["probe", "wecom", "--json", "--url", &server.url][..],
            &wecom,
        ]
        .concat(),
    );
    // Errors stay off stdout: a JSON consumer sees nothing rather than half a document.
    let out = cbkit()
        .args(["decode", "wemeet", "--json", "--data", "$$"])
        .output()
        .unwrap();
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));
}

/// Help examples as printed, continuation lines (ending in `\`) joined into one command.
fn examples_of(sub: &[&str]) -> Vec<String> {
    let out = cbkit().args(sub).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let Some((_, ex)) = text.split_once("Examples:") else {
        return Vec::new();
    };
    let mut lines: Vec<String> = Vec::new();
    let mut continued = false;
    for l in ex.lines() {
        let part = l.trim().trim_end_matches('\\').trim_end();
        if continued {
            let last = lines.last_mut().unwrap();
            last.push(' ');
            last.push_str(part);
        } else if l.trim_start().starts_with("cbkit ") {
            lines.push(part.to_string());
        } else if !l.starts_with("  ") && !l.trim().is_empty() {
            break;
        }
        continued = l.trim_end().ends_with('\\');
    }
    lines
}

/// The files the examples name (body.json, event.json, captured.http), shared with the
/// README's examples.
fn example_inputs(dir: &std::path::Path) {
    let inputs = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cmd/readme.in");
    for entry in std::fs::read_dir(inputs).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
}

#[test]
fn self_contained_help_examples_run() {
    let mut ran = 0;
    for sub in [
        "sign",
        "verify",
        "decode",
        "encrypt",
        "fixtures",
        "demo",
        "completions",
        "man",
        "config",
    ] {
        for raw in examples_of(&[sub]) {
            let line = raw
                .split(['#', '|', '>'])
                .next()
                .unwrap()
                .trim()
                .to_string();
            let dir = tempfile::tempdir().unwrap();
            example_inputs(dir.path());
            let exists = |w: &str| dir.path().join(w).is_file();
            // Placeholders, the user's own files and remote URLs need the user's material.
            let needs_more = line.contains("...")
                || line.contains("http")
                || line.contains(" KEY")
                || line.contains("--profile")
                || line.split_whitespace().any(|w| {
                    [".json", ".http", ".jsonl", ".xml", ".toml"]
                        .iter()
                        .any(|e| (w.ends_with(e) && !exists(w)) || w.contains(&format!("{e}:")))
                });
            if needs_more {
                continue;
            }
            let words = cbkit::curl::shell_words(&line).unwrap();
            let mut cmd = cbkit();
            // "secrets from CBKIT_*": the DingTalk secrets the example files were made with.
            if raw.contains("CBKIT_") && line.contains("dingtalk") {
                cmd.env("CBKIT_TOKEN", "mryue")
                    .env(
                        "CBKIT_AES_KEY",
                        "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7",
                    )
                    .env("CBKIT_RECEIVER_ID", "ding6ccabc44d2c8d38b");
            }
            let out = cmd
                .args(&words[1..])
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "help example failed: {line}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 20, "only {ran} examples ran");
}

/// `cbkit man | head -1` and friends: the reader closing the pipe early is a normal end.
#[test]
fn closed_stdout_pipe_exits_0_without_a_word() {
    for args in [
        &["man"][..],
        &["fixtures", "list"][..],
        &["completions", "bash"][..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cbkit"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, as `head -1` does, then close the pipe.
        let mut first = String::new();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        std::io::BufRead::read_line(&mut out, &mut first).unwrap();
        drop(out);
        let done = child.wait_with_output().unwrap();
        assert!(!first.is_empty(), "{args:?} printed nothing");
        assert_eq!(done.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&done.stderr), "", "{args:?}");
    }
}

/// With --json every stdout line of the listener is one JSON object, the ready line first.
#[test]
fn listen_json_stdout_is_one_object_per_line() {
    use std::io::{BufRead, Read, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cbkit"))
        .args(["listen", "--json", "--port", "0", "--exit-after", "1"])
        .env("NO_COLOR", "1")
        .env_remove("CBKIT_CONFIG")
        .env_remove("CBKIT_PROFILE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut ready = String::new();
    out.read_line(&mut ready).unwrap();
    let v: serde_json::Value = serde_json::from_str(&ready).expect("ready line is JSON");
    let url = v["listening"].as_str().expect("listening URL").to_string();
    let addr = url.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "GET /wemeet?check_str=aGVsbG8 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = conn.read_to_string(&mut answer);
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    child.wait().unwrap();
    let lines: Vec<&str> = rest.lines().collect();
    assert!(!lines.is_empty(), "no capture line after the ready line");
    for line in lines {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
}

/// Every name a user types gets a suggestion when it is a near miss.
#[test]
fn near_miss_names_get_a_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("cbkit.toml");
    std::fs::write(&config, "[profile.ding]\nvendor = \"dingtalk\"\n").unwrap();
    let config = config.to_str().unwrap();
    for (args, want) in [
        (&["sgn"][..], "'sign'"),
        (&["verify", "wemet"][..], "'wemeet'"),
        (
            &["listen", "--vendor", "dingtak", "--port", "0"][..],
            "did you mean `dingtalk`?",
        ),
        (
            &["fixtures", "show", "wemeet/meeting.creatd"][..],
            "did you mean `wemeet/meeting.created`?",
        ),
        (
            &["--config", config, "--profile", "dingg", "config", "show"][..],
            "did you mean `ding`?",
        ),
    ] {
        let out = cbkit().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
}

#[test]
fn fixtures_list_quiet_prints_names_only() {
    let out = cbkit().args(["fixtures", "list", "-q"]).output().unwrap();
    let names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let bundled: Vec<String> = cbkit::fixture::bundled()
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, bundled);
}

/// A profile whose vendor is DingTalk is not used for a Tencent Meeting command: its token
/// would make the signature fail. `-v` and `config show` say so.
#[test]
fn a_profile_for_another_vendor_is_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("cbkit.toml");
    std::fs::write(
        &config,
        "default_profile = \"ding\"\n[profile.ding]\nvendor = \"dingtalk\"\ntoken = \"mryue\"\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    // No token from anywhere: sign wemeet fails for want of one instead of signing with
    // DingTalk's token.
    let out = cbkit()
        .args(["--config", config, "-v", "sign", "wemeet", "--data", "eA"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "note: profile ding is for DingTalk; not applied to this Tencent Meeting command"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("token"), "{stderr}");
    // The profile's own vendor still gets it.
    let out = cbkit()
        .args([
            "--config",
            config,
            "sign",
            "dingtalk",
            "--encrypt",
            "x",
            "--timestamp",
            "1",
            "--nonce",
            "n",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = cbkit()
        .args(["--config", config, "config", "show"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&shown.stdout).contains(
            "note: profile ding is for DingTalk: commands for another vendor do not use it"
        ),
        "{}",
        String::from_utf8_lossy(&shown.stdout)
    );
}

/// What users read (fixture descriptions and sources) speaks of the vendors' documents, not of
/// how cbkit was made.
#[test]
fn fixture_texts_use_no_internal_words() {
    for f in cbkit::fixture::bundled() {
        for text in [&f.description, &f.source] {
            let lower = text.to_lowercase();
            for word in ["seed", "issue #", "issue"] {
                assert!(!lower.contains(word), "{}: `{word}` in {text}", f.name);
            }
        }
    }
}

/// A mistyped vendor gets clap's error with a tip naming the close one, in every command.
#[test]
fn a_mistyped_vendor_gets_a_tip() {
    for args in [
        &["verify", "dingtlak"][..],
        &["probe", "dingtlak", "--url", "http://127.0.0.1:9/"][..],
    ] {
        let out = cbkit().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("a similar value exists: 'dingtalk'"),
            "{stderr}"
        );
    }
}
