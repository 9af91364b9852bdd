//! Choosing and shaping deliveries from the built binary: fixture patterns and `--exclude`
//! (`fixtures list`, `replay`, `probe`), `--events` (`replay`, and `listen`'s output and record
//! against real HTTP on 127.0.0.1), and `--set` / `--set-json` paths.

mod common;
use common::*;
use predicates::prelude::*;

use std::time::Duration;

use cbkit::protocol::VendorId;

fn names(cmd: &mut assert_cmd::Command) -> Vec<String> {
    let out = cmd.arg("-q").assert().success();
    String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn fixtures_list_selects_by_pattern_and_excludes() {
    let got = names(cbkit().args(["fixtures", "list", "wemeet/meeting.*"]));
    assert!(got.len() >= 5, "{got:?}");
    assert!(
        got.iter().all(|n| n.starts_with("wemeet/meeting.")),
        "{got:?}"
    );
    let got = names(cbkit().args(["fixtures", "list", "*/url?verification"]));
    assert_eq!(got, ["feishu/url_verification", "wemeet/url-verification"]);
    let got = names(cbkit().args([
        "fixtures",
        "list",
        "wemeet",
        "--exclude",
        "*/url-verification",
        "--exclude",
        "wemeet/meeting.*",
    ]));
    assert_eq!(got, ["wemeet/recording.completed"]);
    // Names, vendors and `all` as before; without selectors, everything.
    let all = names(cbkit().args(["fixtures", "list"]));
    assert_eq!(names(cbkit().args(["fixtures", "list", "all"])), all);
    let got = names(cbkit().args(["fixtures", "list", "dingtalk/check_url", "lark"]));
    assert!(got.contains(&"dingtalk/check_url".to_string()));
    assert!(
        got.iter().skip(1).all(|n| n.starts_with("feishu/")),
        "{got:?}"
    );
}

#[test]
fn a_pattern_that_matches_nothing_is_an_input_error_with_the_closest_names() {
    for args in [
        &["fixtures", "list", "wemeet/meting.*"][..],
        &["replay", "wemeet/meting.*", "--url", "http://127.0.0.1:9/"][..],
    ] {
        cbkit()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "error: fixture: no fixture matches `wemeet/meting.*` (closest: ",
            ))
            .stderr(predicate::str::contains("`wemeet/meeting.created`"));
    }
    cbkit()
        .args([
            "fixtures",
            "list",
            "dingtalk",
            "--exclude",
            "*/url-verfication",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: exclude: no selected fixture matches `*/url-verfication`",
        ));
    cbkit()
        .args([
            "fixtures",
            "list",
            "wemeet/meeting.end",
            "--exclude",
            "wemeet",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("excludes every selected fixture"));
    // Nothing was sent for a selection that failed.
    let server = TestServer::start(|_, _| {
        (
            cbkit::http::HttpReply::new(200, "text/plain", "ok"),
            Duration::ZERO,
        )
    });
    cbkit()
        .args(["replay", "wemeet/meeting.created", "wemeet/zzz*", "--url"])
        .arg(&server.url)
        .args(secret_args(VendorId::Wemeet))
        .assert()
        .code(2);
    assert!(server.requests().is_empty());
}

/// A test receiver that answers every wemeet delivery correctly.
fn wemeet_receiver() -> TestServer {
    let v = VendorId::Wemeet;
    let secrets = v.vendor().demo_secrets();
    TestServer::start(move |_, req| (correct_reply(v, &secrets, req), Duration::ZERO))
}

fn replay_json(url: &str, args: &[&str]) -> serde_json::Value {
    json_out(
        cbkit()
            .arg("replay")
            .args(args)
            .args(["--url", url, "--no-retry"])
            .args(secret_args(VendorId::Wemeet)),
    )
}

fn delivered(out: &serde_json::Value) -> Vec<String> {
    out["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["fixture"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn replay_sends_what_the_patterns_select_less_the_exclusions() {
    let server = wemeet_receiver();
    let out = replay_json(
        &server.url,
        &[
            "wemeet/meeting.*",
            "--exclude",
            "wemeet/meeting.[cu]*",
            "--json",
        ],
    );
    assert_eq!(
        delivered(&out),
        [
            "wemeet/meeting.end",
            "wemeet/meeting.participant-joined",
            "wemeet/meeting.started"
        ]
    );
    assert_eq!(out["accepted"], 3);
    assert_eq!(server.requests().len(), 3);
}

/// A test receiver that answers every delivery of `v` correctly.
fn receiver(v: VendorId) -> TestServer {
    let secrets = v.vendor().demo_secrets();
    TestServer::start(move |_, req| (correct_reply(v, &secrets, req), Duration::ZERO))
}

#[test]
fn overlapping_selectors_list_and_send_each_fixture_once_in_first_seen_order() {
    let wemeet = names(cbkit().args(["fixtures", "list", "wemeet"]));
    for specs in [&["wemeet", "wemeet"][..], &["wemeet", "wemeet/*"]] {
        assert_eq!(
            names(cbkit().args(["fixtures", "list"]).args(specs)),
            wemeet
        );
    }

    let server = wemeet_receiver();
    let out = replay_json(&server.url, &["wemeet", "wemeet", "--json"]);
    assert_eq!(delivered(&out), wemeet);
    assert_eq!(server.requests().len(), wemeet.len());
    // A fixture named before its vendor's pattern goes first, and once.
    let out = replay_json(
        &server.url,
        &[
            "wemeet/meeting.end",
            "wemeet/*",
            "tencent-meeting",
            "--json",
        ],
    );
    let got = delivered(&out);
    assert_eq!(got[0], "wemeet/meeting.end");
    assert_eq!(got.len(), wemeet.len(), "{got:?}");
    assert_eq!(server.requests().len(), 2 * wemeet.len());

    let ding = names(cbkit().args(["fixtures", "list", "dingtalk"]));
    let server = receiver(VendorId::Dingtalk);
    let out = json_out(
        cbkit()
            .args(["replay", "dingtalk", "dingtalk/*", "--json", "--no-retry"])
            .args(["--url", &server.url])
            .args(secret_args(VendorId::Dingtalk)),
    );
    assert_eq!(delivered(&out), ding);
    assert_eq!(server.requests().len(), ding.len());
}

#[test]
fn a_fixture_file_named_twice_is_sent_once_but_a_lookalike_of_a_bundled_one_is_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"{"vendor":"wemeet","event":"meeting.created","body":{"event":"meeting.created","payload":[]}}"#;
    std::fs::write(dir.path().join("a.json"), body).unwrap();
    std::fs::write(dir.path().join("b.json"), body.replace("created", "end")).unwrap();
    std::fs::create_dir(dir.path().join("wemeet")).unwrap();
    std::fs::write(dir.path().join("wemeet/meeting.created"), body).unwrap();
    let server = wemeet_receiver();
    let send = |specs: &[&str]| {
        json_out(
            cbkit()
                .current_dir(dir.path())
                .arg("replay")
                .args(specs)
                .args(["--url", &server.url, "--no-retry", "--json"])
                .args(secret_args(VendorId::Wemeet)),
        )
    };
    // The directory, then a file in it by another spelling of its path.
    let whole = dir.path().display().to_string();
    let out = send(&[&whole, "./a.json", "a.json"]);
    let got = delivered(&out);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].ends_with("/a.json"), "{got:?}");
    assert!(got[1].ends_with("/b.json"), "{got:?}");
    assert_eq!(server.requests().len(), 2);
    // A file at a bundled fixture's name is sent, and so is the bundled fixture.
    let out = send(&["wemeet/meeting.created", "wemeet/meeting.c*"]);
    assert_eq!(
        delivered(&out),
        [
            "wemeet/meeting.created",
            "wemeet/meeting.canceled",
            "wemeet/meeting.created"
        ]
    );
}

/// The fixtures `probe --json` sent, in order.
fn probed(out: &serde_json::Value) -> Vec<&str> {
    out["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["fixture"].as_str().unwrap())
        .collect()
}

#[test]
fn probe_sends_each_selected_fixture_once() {
    let listen = Listen::start(&["--vendor", "wemeet", "--token", "T"]);
    let out = json_out(cbkit().args([
        "probe",
        "wemeet",
        "wemeet/meeting.end",
        "wemeet/meeting.e*",
        "wemeet",
        "--url",
        &listen.url,
        "--token",
        "T",
        "--no-negative",
        "--json",
    ]));
    let steps = probed(&out);
    let wemeet = names(cbkit().args(["fixtures", "list", "wemeet"]));
    assert_eq!(steps.len(), wemeet.len(), "{steps:?}");
    assert_eq!(
        &steps[..2],
        ["wemeet/url-verification", "wemeet/meeting.end"]
    );
    for name in &wemeet {
        assert!(steps.contains(&name.as_str()), "{name}: {steps:?}");
    }
}

#[test]
fn replay_events_keeps_only_deliveries_of_those_types() {
    let server = wemeet_receiver();
    // The vendor's event field, a pattern, and a handshake by its fixture's event name.
    let out = replay_json(
        &server.url,
        &[
            "wemeet",
            "--events",
            "meeting.created,recording.*",
            "--events",
            "url-verification",
            "--json",
        ],
    );
    assert_eq!(
        delivered(&out),
        [
            "wemeet/meeting.created",
            "wemeet/recording.completed",
            "wemeet/url-verification"
        ]
    );
    assert_eq!(server.requests().len(), 3);
    // A type none of the selected deliveries has is a typo, not an empty run.
    cbkit()
        .args(["replay", "wemeet", "--events", "meeting.creatd", "--url"])
        .arg(&server.url)
        .args(secret_args(VendorId::Wemeet))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: events: no selected delivery is of type `meeting.creatd` (closest: meeting.created",
        ));
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn listen_events_filters_output_and_record_but_answers_every_request() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("cap.jsonl");
    let all = names(cbkit().args(["fixtures", "list", "wemeet"]));
    let n = all.len().to_string();
    let mut listen = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        "T",
        "--json",
        "--events",
        "meeting.created,recording.*",
        "--record",
        record.to_str().unwrap(),
        "--exit-after",
        &n,
    ]);
    let out = json_out(cbkit().args([
        "replay",
        "wemeet",
        "--url",
        &listen.url,
        "--token",
        "T",
        "--no-retry",
        "--json",
    ]));
    // Every request answered as without the filter.
    assert_eq!(out["accepted"].as_u64().unwrap() as usize, all.len());
    assert_eq!(listen.wait(Duration::from_secs(10)), 0);
    let shown: Vec<serde_json::Value> = listen
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let recorded: Vec<serde_json::Value> = std::fs::read_to_string(&record)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for lines in [&shown, &recorded] {
        let mut types: Vec<serde_json::Value> =
            lines.iter().map(|l| l["event_type"].clone()).collect();
        types.sort_by_key(|t| t.as_str().map(str::to_string));
        // The handshake carries no event type: it is kept, not hidden.
        assert_eq!(
            types,
            [
                serde_json::Value::Null,
                "meeting.created".into(),
                "recording.completed".into()
            ]
        );
    }
    // The summary still counts every request.
    assert!(
        listen
            .stderr()
            .contains(&format!("{n} requests, {n} verified, 0 failed")),
        "{}",
        listen.stderr()
    );
}

#[test]
fn probe_sends_the_selected_events_after_the_url_verification() {
    let listen = Listen::start(&["--vendor", "wemeet", "--token", "T"]);
    let out = json_out(cbkit().args([
        "probe",
        "wemeet",
        "wemeet/meeting.c*",
        "--exclude",
        "wemeet/meeting.canceled",
        "--url",
        &listen.url,
        "--token",
        "T",
        "--no-negative",
        "--json",
    ]));
    let steps = probed(&out);
    assert_eq!(steps, ["wemeet/url-verification", "wemeet/meeting.created"]);
    assert_eq!(out["passed"], true);
    cbkit()
        .args([
            "probe",
            "wemeet",
            "dingtalk/check_url",
            "--url",
            &listen.url,
        ])
        .args(["--token", "T"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "`dingtalk/check_url` is a DingTalk fixture",
        ));
}

fn plaintext(args: &[&str]) -> serde_json::Value {
    let out = json_out(
        cbkit()
            .args(["fixtures", "show", "wemeet/meeting.created", "--json"])
            .env("CBKIT_NOW_MS", "1700000000000")
            .args(args),
    );
    serde_json::from_str(out["plaintext"].as_str().unwrap()).unwrap()
}

#[test]
fn set_on_a_missing_path_exits_2_naming_the_longest_existing_prefix() {
    cbkit()
        .args(["fixtures", "show", "wemeet/meeting.created"])
        .args(["--set", "payload[0].meeting_inf.subject=Hi"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: set: `payload[0].meeting_inf.subject` does not exist: the longest existing prefix is `payload[0]`",
        ));
    let server = wemeet_receiver();
    cbkit()
        .args(["replay", "wemeet/meeting.created", "--url", &server.url])
        .args(secret_args(VendorId::Wemeet))
        .args(["--set", "payload.meeting_info.subject=Hi"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the longest existing prefix is `payload`, an array of 1 item",
        ));
    assert!(server.requests().is_empty());
}

#[test]
fn bracket_and_dot_paths_set_the_same_field() {
    let dot = plaintext(&["--set", "payload.0.meeting_info.subject=Hi"]);
    let bracket = plaintext(&["--set", "payload[0].meeting_info.subject=Hi"]);
    assert_eq!(dot["payload"][0]["meeting_info"]["subject"], "Hi");
    // The same body, apart from the fresh ids each rendering draws (outside the payload).
    assert_eq!(dot["payload"], bracket["payload"]);
    assert_eq!(dot["payload"].as_array().unwrap().len(), 1);
    // A new key of an existing object is still fine.
    let v = plaintext(&["--set", "payload[0].meeting_info.location=Room 1"]);
    assert_eq!(v["payload"][0]["meeting_info"]["location"], "Room 1");
}

#[test]
fn set_json_sets_values_that_are_not_strings() {
    let v = plaintext(&[
        "--set-json",
        "payload[0].meeting_info.meeting_type=1",
        "--set-json",
        r#"payload[0].meeting_info.hosts=["a","b"]"#,
        "--set-json",
        "payload[0].meeting_info.subject=null",
    ]);
    let info = &v["payload"][0]["meeting_info"];
    assert_eq!(info["meeting_type"], 1);
    assert_eq!(info["hosts"], serde_json::json!(["a", "b"]));
    assert!(info["subject"].is_null());
    cbkit()
        .args(["fixtures", "show", "wemeet/meeting.created"])
        .args(["--set-json", "payload[0].meeting_info.subject=Hi there"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: set-json: `payload[0].meeting_info.subject=Hi there`: the value is not JSON",
        ));
    // Replayed: the number arrives as a number.
    let server = wemeet_receiver();
    cbkit()
        .args([
            "replay",
            "wemeet/meeting.created",
            "--url",
            &server.url,
            "--no-retry",
        ])
        .args(secret_args(VendorId::Wemeet))
        .args(["--set-json", "payload[0].meeting_info.meeting_type=1"])
        .assert()
        .success();
    let req = &server.requests()[0].req;
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    let data = cbkit::crypto::b64_decode("data", body["data"].as_str().unwrap()).unwrap();
    let event: serde_json::Value = serde_json::from_slice(&data).unwrap();
    assert_eq!(event["payload"][0]["meeting_info"]["meeting_type"], 1);
}
