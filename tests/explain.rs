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

#[test]
fn space_where_the_sender_signed_plus_is_named() {
    // WeCom does not forgive a form-decoded echostr: the spaces must be named.
    let v = explain(&[
        "wecom",
        "--token",
        TOKEN,
        "--timestamp",
        "1609239040",
        "--nonce",
        NONCE,
        "--echostr",
        "YWJj ZA==",
        "--signature",
        &sorted_sha1(&[TOKEN, "1609239040", NONCE, "YWJj+ZA=="]),
    ]);
    assert_eq!(v["explain"]["mistake"]["id"], "space_should_be_plus", "{v}");
}

#[test]
fn another_apps_sdk_app_id_is_named() {
    let rt = "1669872112";
    let dir = tempfile::tempdir().unwrap();
    let req = dir.path().join("request.http");
    let body = r#"{"CallbackCommand":"Group.CallbackAfterCreateTopic"}"#;
    std::fs::write(
        &req,
        format!(
            "POST /?SdkAppid=1400000001&CallbackCommand=Group.CallbackAfterCreateTopic&RequestTime={rt}&Sign={} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            sha256_hex(&[b"xxxxyyyy", rt.as_bytes()]),
            body.len()
        ),
    )
    .unwrap();
    let out = cbkit()
        .args([
            "verify",
            "tencent-im",
            "--token",
            "xxxxyyyy",
            "--sdk-app-id",
            "1400000000",
            "--request",
            req.to_str().unwrap(),
            "--explain",
            "--json",
        ])
        .env("CBKIT_NOW_MS", "1669872112000")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["explain"]["mistake"]["id"], "wrong_sdk_app_id", "{v}");
    assert!(
        v["explain"]["mistake"]["what"]
            .as_str()
            .unwrap()
            .contains("1400000001"),
        "{v}"
    );
}

/// Feishu: a body file holding `raw`, and `verify feishu` over it with extra arguments.
fn feishu(raw: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(&body, raw).unwrap();
    mistake(&[&["feishu", "--body", body.to_str().unwrap()][..], args].concat())
}

#[test]
fn another_apps_verification_token_is_named() {
    let raw = r#"{"schema":"2.0","header":{"event_type":"x","token":"their-token"},"event":{}}"#;
    assert_eq!(
        feishu(raw, &["--token", "our-token"]),
        "wrong_verification_token"
    );
}

#[test]
fn feishu_signed_with_the_token_or_without_a_key_is_named() {
    let raw = r#"{"schema":"2.0","header":{"event_type":"x","token":"tok"},"event":{}}"#;
    let (ts, nonce, key, token) = ("1700000000", "abc", "test key", "tok");
    let run = |sig: &str| {
        feishu(
            raw,
            &[
                "--aes-key",
                key,
                "--token",
                token,
                "--timestamp",
                ts,
                "--nonce",
                nonce,
                "--signature",
                sig,
            ],
        )
    };
    let with = |secret: &str| {
        sha256_hex(&[
            ts.as_bytes(),
            nonce.as_bytes(),
            secret.as_bytes(),
            raw.as_bytes(),
        ])
    };
    assert_eq!(run(&with(token)), "feishu_token_for_key");
    assert_eq!(run(&with("")), "feishu_no_key");
}

/// A Tencent Meeting URL verification as "Copy as cURL" gives it: its check_str has `+`, `/`
/// and `=`, URL-encoded, and the vendor's signature in it is correct.
const CHECK_STR: &str = "aGVsbG8+d29ybGQ/IQ==";
const CHECK_STR_IN_URL: &str = "aGVsbG8%2Bd29ybGQ%2FIQ%3D%3D";

fn captured_handshake() -> String {
    format!(
        "curl 'http://127.0.0.1:5001/wemeet?check_str={CHECK_STR_IN_URL}' -H 'timestamp: {TS}' -H 'nonce: {NONCE}' -H 'signature: {}'",
        sorted_sha1(&[TOKEN, TS, NONCE, CHECK_STR])
    )
}

/// `verify wemeet --curl <captured handshake> --computed <sig>` (plus `extra`): exit code and
/// stdout.
fn computed_run(sig: &str, extra: &[&str]) -> (Option<i32>, String) {
    let out = cbkit()
        .args(["verify", "wemeet", "--token", TOKEN, "--curl"])
        .arg(captured_handshake())
        .args(["--computed", sig])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn computed_json(sig: &str) -> serde_json::Value {
    let (code, stdout) = computed_run(sig, &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["valid"], true, "the capture itself is valid: {v}");
    let matches = v["computed"]["matches"].as_bool().unwrap();
    assert_eq!(code, Some(if matches { 0 } else { 1 }), "{v}");
    v
}

#[test]
fn computed_names_the_users_url_encoded_signing() {
    let correct = sorted_sha1(&[TOKEN, TS, NONCE, CHECK_STR]);
    let users = sorted_sha1(&[TOKEN, TS, NONCE, CHECK_STR_IN_URL]);
    let v = computed_json(&users);
    assert_eq!(v["computed"]["signature"], users.as_str());
    assert_eq!(v["computed"]["expected"], correct.as_str());
    assert_eq!(v["computed"]["mistake"]["id"], "signed_url_encoded", "{v}");
    assert_eq!(v["explain"]["mistake"]["id"], "signed_url_encoded", "{v}");
    // The old fields keep their meaning: the vendor's signature, checked.
    assert_eq!(v["got"], correct.as_str());
    assert_eq!(v["checks"][0]["ok"], true);

    // On the console: both signatures, then the mistake; --computed implies --explain.
    let (code, out) = computed_run(&users, &[]);
    assert_eq!(code, Some(1));
    assert!(out.contains(&format!("correct      {correct}")), "{out}");
    assert!(
        out.contains(&format!("computed     {users} (your code)")),
        "{out}"
    );
    assert!(
        out.contains("diagnosis: check_str was signed URL-encoded instead of decoded"),
        "{out}"
    );
    assert!(
        out.ends_with("the request is valid; your code's signature is not\n"),
        "{out}"
    );
    assert!(!out.contains(TOKEN), "token leaked: {out}");
}

#[test]
fn computed_with_an_empty_token_is_named() {
    let v = computed_json(&sorted_sha1(&["", TS, NONCE, CHECK_STR]));
    assert_eq!(v["computed"]["mistake"]["id"], "empty_token", "{v}");
    assert!(
        v["computed"]["mistake"]["what"]
            .as_str()
            .unwrap()
            .contains("unset environment variable"),
        "{v}"
    );
    // The same mistake in the vendor's signature slot (a sender with an empty token).
    let data = "eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCJ9";
    assert_eq!(
        wemeet("--data", data, &sorted_sha1(&["", TS, NONCE, data])),
        "empty_token"
    );
    // Tencent IM: sha256 of RequestTime alone.
    let rt = "1669872112";
    let out = cbkit()
        .args([
            "verify",
            "tencent-im",
            "--token",
            "xxxxyyyy",
            "--request-time",
            rt,
            "--signature",
            &sha256_hex(&[b"xxxxyyyy", rt.as_bytes()]),
            "--computed",
            &sha256_hex(&[rt.as_bytes()]),
            "--json",
        ])
        .env("CBKIT_NOW_MS", "1669872112000")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["computed"]["mistake"]["id"], "empty_token", "{v}");
}

#[test]
fn computed_with_the_aes_key_as_token_is_named() {
    let vec = vector("dingtalk", "decrypt");
    let (ts, nonce, enc) = (s(&vec, "timestamp"), s(&vec, "nonce"), s(&vec, "encrypt"));
    let out = cbkit()
        .args([
            "verify",
            "dingtalk",
            "--token",
            "mryue",
            "--aes-key",
            DT_KEY,
            "--receiver-id",
            "ding6ccabc44d2c8d38b",
            "--timestamp",
            &ts,
            "--nonce",
            &nonce,
            "--encrypt",
            &enc,
            "--signature",
            &s(&vec, "signature"),
            "--computed",
            &sorted_sha1(&[DT_KEY, &ts, &nonce, &enc]),
            "--json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["computed"]["mistake"]["id"], "aes_key_for_token", "{v}");
    assert!(!v.to_string().contains(DT_KEY), "key leaked: {v}");
}

#[test]
fn a_correct_vendor_signature_asks_for_the_computed_one() {
    let out = cbkit()
        .args(["verify", "wemeet", "--token", TOKEN, "--explain", "--curl"])
        .arg(captured_handshake())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "the vendor's signature is correct; pass --computed <what your code computed> to find your code's mistake"
        ),
        "{stdout}"
    );
    // The same code that computes the right signature passes.
    let v = computed_json(&sorted_sha1(&[TOKEN, TS, NONCE, CHECK_STR]));
    assert_eq!(v["computed"]["matches"], true, "{v}");
    assert!(v["computed"]["mistake"].is_null());
}

#[test]
fn computed_needs_no_vendor_signature() {
    // Fields from the user's own log, without the vendor's signature.
    let users = sorted_sha1(&[TOKEN, TS, NONCE, CHECK_STR_IN_URL]);
    let out = cbkit()
        .args([
            "verify",
            "wemeet",
            "--token",
            TOKEN,
            "--timestamp",
            TS,
            "--nonce",
            NONCE,
            "--check-str",
            CHECK_STR_IN_URL,
            "--computed",
            &users,
            "--json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{v}");
    assert_eq!(v["computed"]["mistake"]["id"], "signed_url_encoded", "{v}");
    // Without the token there is nothing to compare with: exit 2 naming it.
    let out = cbkit()
        .args([
            "verify",
            "wemeet",
            "--timestamp",
            TS,
            "--nonce",
            NONCE,
            "--check-str",
            CHECK_STR_IN_URL,
            "--computed",
            &users,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: token: missing"), "{stderr}");
}

#[test]
fn computed_reads_a_raw_request_and_a_capture_line() {
    let sig = sorted_sha1(&[TOKEN, TS, NONCE, CHECK_STR]);
    let users = sorted_sha1(&[TOKEN, TS, NONCE, CHECK_STR_IN_URL]);
    let dir = tempfile::tempdir().unwrap();
    let req = dir.path().join("captured.http");
    std::fs::write(
        &req,
        format!(
            "GET /wemeet?check_str={CHECK_STR_IN_URL} HTTP/1.1\r\nHost: x\r\ntimestamp: {TS}\r\nnonce: {NONCE}\r\nsignature: {sig}\r\n\r\n"
        ),
    )
    .unwrap();
    let cap = dir.path().join("cap.jsonl");
    let line = serde_json::json!({
        "received_at": "2026-01-01T00:00:00Z", "vendor": "wemeet", "method": "GET", "path": "/wemeet",
        "query": format!("check_str={CHECK_STR_IN_URL}"),
        "headers": [["timestamp", TS], ["nonce", NONCE], ["signature", sig]], "body": ""
    });
    std::fs::write(&cap, format!("{line}\n")).unwrap();
    for input in [
        ["--request", req.to_str().unwrap()],
        ["--from-capture", cap.to_str().unwrap()],
    ] {
        let out = cbkit()
            .args([
                "verify",
                "wemeet",
                "--token",
                TOKEN,
                "--json",
                "--computed",
                &users,
            ])
            .args(input)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(out.status.code(), Some(1), "{v}");
        assert_eq!(v["valid"], true, "{input:?}: {v}");
        assert_eq!(v["computed"]["mistake"]["id"], "signed_url_encoded", "{v}");
    }
}

/// WeChat's handshake signature covers token, timestamp and nonce only: signing the echostr
/// too, or signing with the EncodingAESKey, are the console's 「Token验证失败」 traps.
#[test]
fn wechat_handshake_mistakes_are_named() {
    const WX_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    let (token, ts, nonce, echostr) = ("AAAAA", "1714036504", "1514711492", "4375120948345356249");
    let run = |sig: &str| {
        mistake(&[
            "wechat",
            "--token",
            token,
            "--aes-key",
            WX_KEY,
            "--timestamp",
            ts,
            "--nonce",
            nonce,
            "--echostr",
            echostr,
            "--signature",
            sig,
        ])
    };
    assert_eq!(
        run(&sorted_sha1(&[token, ts, nonce, echostr])),
        "signed_echostr"
    );
    assert_eq!(run(&sorted_sha1(&[WX_KEY, ts, nonce])), "aes_key_for_token");
    assert_eq!(run(&sha1_concat(&[token, ts, nonce])), "fixed_order");
    assert_eq!(run(&sorted_sha1(&["other", ts, nonce])), "none");
    // The official example verifies, and its steps say the echostr is not signed.
    let v = explain(&[
        "mp",
        "--token",
        token,
        "--timestamp",
        ts,
        "--nonce",
        nonce,
        "--echostr",
        echostr,
        "--signature",
        "f464b24fc39322e44b38aa78f5edd27bd1441696",
    ]);
    assert_eq!(v["valid"], true, "{v}");
    assert!(v.to_string().contains("(not signed)"), "{v}");
}

/// In safe mode `msg_signature` covers Encrypt too; the EncodingAESKey in place of the token
/// is named there as well.
#[test]
fn wechat_msg_signature_with_the_key_is_named() {
    const WX_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    let (ts, nonce, enc) = ("1409735669", "1320562132", "hyzAe4Oz");
    let got = mistake(&[
        "weixin",
        "--token",
        "spamtest",
        "--aes-key",
        WX_KEY,
        "--timestamp",
        ts,
        "--nonce",
        nonce,
        "--encrypt",
        enc,
        "--signature",
        &sorted_sha1(&[WX_KEY, ts, nonce, enc]),
    ]);
    assert_eq!(got, "aes_key_for_token");
}

/// Every mistake `--explain` can name has a test in this file: a new one needs its own.
#[test]
fn every_mistake_id_has_a_test() {
    const TESTED: &[&str] = &[
        "aes_key_stray_equals",
        "aes_key_length",
        "aes_key_other_app",
        "wrong_receiver_id",
        "stale_timestamp",
        "stale_request_time",
        "wrong_sdk_app_id",
        "wrong_verification_token",
        "uppercase_hex",
        "signed_url_encoded",
        "signed_url_decoded",
        "plus_became_space",
        "space_should_be_plus",
        "padding_added",
        "padding_stripped",
        "signed_decoded_plaintext",
        "timestamp_unit",
        "empty_token",
        "aes_key_for_token",
        "fixed_order",
        "im_wrong_algorithm",
        "feishu_reserialised",
        "timestamp_nonce_swapped",
        "feishu_token_for_key",
        "feishu_no_key",
        "signed_echostr",
    ];
    let mut known: Vec<String> = cbkit::diagnose::MistakeId::ALL
        .iter()
        .map(|m| m.name())
        .collect();
    known.sort();
    let mut tested: Vec<String> = TESTED.iter().map(|s| s.to_string()).collect();
    tested.sort();
    assert_eq!(known, tested);
    // And each listed id is asserted somewhere above.
    let source = include_str!("explain.rs");
    let body = &source[..source.find("fn every_mistake_id_has_a_test").unwrap()];
    for id in TESTED {
        assert!(body.contains(&format!("\"{id}\"")), "no test names `{id}`");
    }
}
