//! `verify --explain`: a corpus of wrongly signed requests, one per known mistake; each must
//! be named, and a wrong token must be reported as "no known mistake".

mod common;
use common::*;

use cbkit::crypto::{sha1_concat, sha256_hex, sorted_sha1};

const TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
const TS: &str = "1609239040864";
const NONCE: &str = "14964161";
const DT_KEY: &str = "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7";

fn explain(args: &[&str]) -> serde_json::Value {
    let out = cbkit()
        .arg("verify")
        .args(args)
        .args(["--explain", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {} / {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(
        out.status.code(),
        Some(if v["valid"] == true { 0 } else { 1 })
    );
    v
}

fn mistake(args: &[&str]) -> String {
    let v = explain(args);
    assert_eq!(v["valid"], false, "{v}");
    v["explain"]["mistake"]["id"]
        .as_str()
        .unwrap_or("none")
        .to_string()
}

fn wemeet(field: &str, value: &str, sig: &str) -> String {
    mistake(&[
        "wemeet",
        "--token",
        TOKEN,
        "--timestamp",
        TS,
        "--nonce",
        NONCE,
        field,
        value,
        "--signature",
        sig,
    ])
}

#[test]
fn wemeet_mistakes_are_named() {
    let b64 = "YWJj+ZA=="; // has a '+' and padding
    let enc = "YWJj%2BZA%3D%3D";
    assert_eq!(
        wemeet("--check-str", enc, &sorted_sha1(&[TOKEN, TS, NONCE, enc])),
        "signed_url_encoded"
    );
    assert_eq!(
        wemeet(
            "--check-str",
            enc,
            &sorted_sha1(&[TOKEN, TS, NONCE, "YWJj ZA=="])
        ),
        "plus_became_space"
    );
    assert_eq!(
        wemeet(
            "--data",
            "YWJj%2BZA",
            &sorted_sha1(&[TOKEN, TS, NONCE, "YWJj+ZA"])
        ),
        "signed_url_decoded"
    );
    let json = "{\"event\":\"meeting.created\"}";
    let data = "eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCJ9";
    assert_eq!(
        wemeet("--data", data, &sorted_sha1(&[TOKEN, TS, NONCE, json])),
        "signed_decoded_plaintext"
    );
    let unpadded = "eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCJ";
    assert_eq!(
        wemeet(
            "--data",
            unpadded,
            &sorted_sha1(&[TOKEN, TS, NONCE, &format!("{unpadded}=")])
        ),
        "padding_added"
    );
    assert_eq!(
        wemeet(
            "--check-str",
            b64,
            &sorted_sha1(&[TOKEN, TS, NONCE, "YWJj+ZA"])
        ),
        "padding_stripped"
    );
    assert_eq!(
        wemeet("--data", data, &sha1_concat(&[TOKEN, TS, NONCE, data])),
        "fixed_order"
    );
    let v = explain(&[
        "wemeet",
        "--token",
        TOKEN,
        "--timestamp",
        TS,
        "--nonce",
        NONCE,
        "--data",
        data,
        "--signature",
        &sha1_concat(&[TOKEN, NONCE, TS, data]),
    ]);
    assert!(
        v["explain"]["mistake"]["what"]
            .as_str()
            .unwrap()
            .contains("timestamp and nonce swapped"),
        "{v}"
    );
    assert_eq!(
        wemeet(
            "--data",
            data,
            &sorted_sha1(&[TOKEN, TS, NONCE, data]).to_uppercase()
        ),
        "uppercase_hex"
    );
    assert_eq!(
        wemeet(
            "--data",
            data,
            &sorted_sha1(&[TOKEN, "1609239040", NONCE, data])
        ),
        "timestamp_unit"
    );
}

#[test]
fn plus_arriving_as_space_is_tolerated_and_said() {
    let v = explain(&[
        "wemeet",
        "--token",
        TOKEN,
        "--timestamp",
        TS,
        "--nonce",
        NONCE,
        "--check-str",
        "Pz4 YWJj",
        "--signature",
        &sorted_sha1(&[TOKEN, TS, NONCE, "Pz4+YWJj"]),
    ]);
    assert_eq!(v["valid"], true);
    assert!(
        v["checks"][0]["note"].as_str().unwrap().contains("'+'"),
        "{v}"
    );
}

#[test]
fn wrong_token_is_no_known_mistake() {
    let data = "eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCJ9";
    let v = explain(&[
        "wemeet",
        "--token",
        TOKEN,
        "--timestamp",
        TS,
        "--nonce",
        NONCE,
        "--data",
        data,
        "--signature",
        &sorted_sha1(&["another", TS, NONCE, data]),
    ]);
    assert!(v["explain"]["mistake"].is_null());
    assert!(
        v["explain"]["conclusion"]
            .as_str()
            .unwrap()
            .contains("no known mistake reproduces this signature")
    );
    // The token is masked in every step.
    assert!(!v.to_string().contains(TOKEN));
}

#[test]
fn envelope_mistakes_are_named() {
    let vec = vector("dingtalk", "decrypt");
    let base = [
        "dingtalk",
        "--token",
        "mryue",
        "--timestamp",
        "1608001896814",
        "--nonce",
        "WL4PK6yA",
        "--signature",
        "03044561471240d4a14bb09372dfcfd4fd0e40cb",
    ];
    let enc = s(&vec, "encrypt");
    let run = |key: &str, rid: &str| {
        mistake(
            &[
                &base[..],
                &["--encrypt", &enc, "--aes-key", key, "--receiver-id", rid],
            ]
            .concat(),
        )
    };
    assert_eq!(run(DT_KEY, "dingOTHER"), "wrong_receiver_id");
    let v = explain(
        &[
            &base[..],
            &[
                "--encrypt",
                &enc,
                "--aes-key",
                DT_KEY,
                "--receiver-id",
                "dingOTHER",
            ],
        ]
        .concat(),
    );
    assert!(
        v["explain"]["mistake"]["what"]
            .as_str()
            .unwrap()
            .contains("ding6ccabc44d2c8d38b")
    );
    assert_eq!(
        run(&format!("{DT_KEY}="), "ding6ccabc44d2c8d38b"),
        "aes_key_stray_equals"
    );
    assert_eq!(run(&DT_KEY[..40], "ding6ccabc44d2c8d38b"), "aes_key_length");
    assert_eq!(
        run(
            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            "ding6ccabc44d2c8d38b"
        ),
        "aes_key_other_app"
    );
}

#[test]
fn tencent_im_mistakes_are_named() {
    use hmac::Mac;
    let rt = "1669872112";
    let now = "1669872112000";
    let run = |sig: &str, now: &str| {
        let out = cbkit()
            .args([
                "verify",
                "tencent-im",
                "--token",
                "xxxxyyyy",
                "--request-time",
                rt,
                "--signature",
                sig,
                "--explain",
                "--json",
            ])
            .env("CBKIT_NOW_MS", now)
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"xxxxyyyy").unwrap();
    m.update(rt.as_bytes());
    let hmac_hex = cbkit::crypto::hex(&m.finalize().into_bytes());
    let v = run(&hmac_hex, now);
    assert_eq!(v["explain"]["mistake"]["id"], "im_wrong_algorithm");
    assert!(
        v["explain"]["mistake"]["what"]
            .as_str()
            .unwrap()
            .contains("HMAC")
    );
    let v = run(&sha256_hex(&[rt.as_bytes(), b"xxxxyyyy"]), now);
    assert!(
        v["explain"]["mistake"]["what"]
            .as_str()
            .unwrap()
            .contains("reversed")
    );
    let v = run(&sha256_hex(&[b"xxxxyyyy", b"1669872112000"]), now);
    assert_eq!(v["explain"]["mistake"]["id"], "timestamp_unit");
    // A correct Sign, 10 minutes late.
    let v = run(
        "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061",
        "1669872712000",
    );
    assert_eq!(v["valid"], false);
    assert_eq!(v["explain"]["mistake"]["id"], "stale_request_time");
}

#[test]
fn feishu_reserialised_body_and_swapped_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    let raw = r#"{"schema":"2.0","header":{"event_type":"x","token":"t"},"event":{"b":1,"a":2}}"#;
    std::fs::write(&body, raw).unwrap();
    let key = "test key";
    let pretty =
        serde_json::to_vec_pretty(&serde_json::from_str::<serde_json::Value>(raw).unwrap())
            .unwrap();
    let run = |sig: &str| {
        mistake(&[
            "feishu",
            "--aes-key",
            key,
            "--timestamp",
            "1700000000",
            "--nonce",
            "abc",
            "--body",
            body.to_str().unwrap(),
            "--signature",
            sig,
        ])
    };
    assert_eq!(
        run(&sha256_hex(&[
            b"1700000000",
            b"abc",
            key.as_bytes(),
            &pretty
        ])),
        "feishu_reserialised"
    );
    assert_eq!(
        run(&sha256_hex(&[
            b"abc",
            b"1700000000",
            key.as_bytes(),
            raw.as_bytes()
        ])),
        "timestamp_nonce_swapped"
    );
}

#[test]
fn explain_reads_a_curl_command_and_a_capture_line() {
    let v = vector("wecom", "echostr");
    let curl = format!(
        "curl 'https://cb.example/wecom?msg_signature={}&timestamp={}&nonce={}&echostr={}' -H 'User-Agent: x' --compressed",
        s(&v, "signature"),
        s(&v, "timestamp"),
        s(&v, "nonce"),
        s(&v, "echostr_in_url")
    );
    let out = explain(&[
        "wecom",
        "--token",
        &s(&v, "token"),
        "--aes-key",
        &s(&v, "aes_key"),
        "--receiver-id",
        &s(&v, "receiver_id"),
        "--curl",
        &curl,
    ]);
    assert_eq!(out["valid"], true, "{out}");
    let out = explain(&["wecom", "--token", "wrong", "--curl", &curl]);
    assert_eq!(out["valid"], false);
    // A capture line (what `listen --record` writes) works as input too.
    let dir = tempfile::tempdir().unwrap();
    let cap = dir.path().join("cap.jsonl");
    let line = serde_json::json!({
        "received_at": "2026-01-01T00:00:00Z", "vendor": "wecom", "method": "GET", "path": "/wecom",
        "query": format!("msg_signature={}&timestamp={}&nonce={}&echostr={}", s(&v, "signature"), s(&v, "timestamp"), s(&v, "nonce"), s(&v, "echostr_in_url")),
        "headers": [], "body": ""
    });
    std::fs::write(&cap, format!("{line}\n")).unwrap();
    let out = explain(&[
        "wecom",
        "--token",
        &s(&v, "token"),
        "--from-capture",
        &format!("{}:1", cap.display()),
    ]);
    assert_eq!(out["valid"], true, "{out}");
}

#[test]
fn explain_uses_the_max_skew_window() {
    let v = vector("wemeet", "signature");
    let args = |skew: &str| {
        let out = cbkit()
            .args([
                "verify",
                "wemeet",
                "--explain",
                "--json",
                "--max-skew",
                skew,
                "--token",
                &s(&v, "token"),
                "--timestamp",
                &s(&v, "timestamp"),
                "--nonce",
                &s(&v, "nonce"),
                "--data",
                &s(&v, "data"),
                "--signature",
                &s(&v, "signature"),
            ])
            .env("CBKIT_NOW_MS", "1609239340864") // five minutes after the vector's timestamp
            .output()
            .unwrap();
        (
            out.status.code(),
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        )
    };
    let (code, json) = args("60s");
    assert_eq!(code, Some(1));
    assert_eq!(
        json["explain"]["mistake"]["id"], "stale_timestamp",
        "{json}"
    );
    let (code, json) = args("10m");
    assert_eq!(code, Some(0), "{json}");
}
