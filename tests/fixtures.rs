//! `cbkit fixtures list | show` from the built binary.

mod common;
use common::*;
use predicates::prelude::*;

#[test]
fn list_as_table_and_json() {
    cbkit()
        .args(["fixtures", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("wemeet/meeting.created"))
        .stdout(predicate::str::contains("DESCRIPTION"));
    let out = json_out(cbkit().args(["fixtures", "list", "--json"]));
    let items = out["fixtures"].as_array().unwrap();
    assert!(items.len() >= 24);
    for seed in [
        "wemeet/meeting.created",
        "wemeet/url-verification",
        "tencent-im/Room.CallbackAfterCreateRoom",
        "tencent-im/Group.CallbackAfterCreateTopic",
        "dingtalk/check_url",
        "dingtalk/check_create_suite_url",
        "wecom/echostr",
        "feishu/url_verification",
    ] {
        assert!(
            items.iter().any(|i| i["name"] == seed),
            "missing seed fixture {seed}"
        );
    }
    for i in items {
        for k in ["name", "vendor", "event", "method", "description"] {
            assert!(i[k].is_string(), "{i}: {k}");
        }
    }
}

#[test]
fn show_renders_plaintext_and_the_exact_request() {
    let out = json_out(
        cbkit()
            .args(["fixtures", "show", "wemeet/url-verification", "--json"])
            .env("CBKIT_NOW_MS", "1700000000000"),
    );
    assert_eq!(out["method"], "GET");
    assert_eq!(out["kind"], "handshake");
    assert_eq!(out["deadline_ms"], 3000);
    let raw = out["request"].as_str().unwrap();
    assert!(raw.starts_with("GET /?check_str="), "{raw}");
    assert!(raw.contains("timestamp: 1700000000000"), "{raw}");
    let out = json_out(cbkit().args(["fixtures", "show", "dingtalk/check_url", "--json"]));
    assert_eq!(out["plaintext"], "{\"EventType\":\"check_url\"}");
    assert!(out["request"].as_str().unwrap().contains("msg_signature="));
    cbkit()
        .args(["fixtures", "show", "wecom/text-message"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## request"));
}

#[test]
fn user_fixture_files_and_dirs() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("mine.json");
    std::fs::write(&f, r#"{"vendor":"lark","event":"custom","body":{"schema":"2.0","header":{"event_type":"custom","token":"{{token}}"},"event":{"x":"{{env.CBKIT_TEST_VALUE}}"}}}"#).unwrap();
    let out = json_out(
        cbkit()
            .args(["fixtures", "show", f.to_str().unwrap(), "--json"])
            .env("CBKIT_TEST_VALUE", "hello"),
    );
    assert_eq!(out["vendor"], "feishu");
    assert!(
        out["plaintext"]
            .as_str()
            .unwrap()
            .contains("\"x\":\"hello\"")
    );
    let out = json_out(cbkit().args([
        "fixtures",
        "list",
        "--json",
        "--dir",
        dir.path().to_str().unwrap(),
    ]));
    assert_eq!(out["fixtures"].as_array().unwrap().len(), 1);
    cbkit()
        .args(["fixtures", "show", f.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("set CBKIT_TEST_VALUE"));
    std::fs::write(&f, "{\"vendor\":\"wemeet\"}").unwrap();
    cbkit()
        .args(["fixtures", "show", f.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a fixture file"));
}
