//! Malformed input: one clear line naming the field, exit 2 (1 for a failed check), never a panic.

mod common;
use common::*;
use predicates::prelude::*;

const DT_KEY: &str = "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7";

fn fails(args: &[&str], code: i32, needle: &str) {
    let out = cbkit().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(code),
        "args {args:?}\nstderr: {stderr}"
    );
    assert!(
        stderr.contains(needle),
        "args {args:?}: stderr lacks `{needle}`:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
}

#[test]
fn bad_base64_names_the_field() {
    fails(
        &["decode", "wemeet", "--data", "ab$d"],
        2,
        "data: not valid base64",
    );
    fails(
        &[
            "decode",
            "dingtalk",
            "--aes-key",
            DT_KEY,
            "--encrypt",
            "abc!",
        ],
        2,
        "encrypt: not valid base64",
    );
}

#[test]
fn wrong_key_length_and_stray_equals() {
    fails(
        &[
            "decode",
            "dingtalk",
            "--aes-key",
            "short",
            "--encrypt",
            "AAAA",
        ],
        2,
        "aes-key: EncodingAESKey must be 43 characters, got 5",
    );
    fails(
        &[
            "decode",
            "dingtalk",
            "--aes-key",
            &format!("{DT_KEY}="),
            "--encrypt",
            "AAAA",
        ],
        2,
        "without the '='",
    );
}

#[test]
fn wrong_key_is_a_padding_error_and_key_not_printed() {
    let v = vector("dingtalk", "decrypt");
    let other = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    let out = cbkit()
        .args([
            "decode",
            "dingtalk",
            "--aes-key",
            other,
            "--encrypt",
            &s(&v, "encrypt"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("padding"), "{stderr}");
    assert!(!stderr.contains(other), "key leaked: {stderr}");
}

#[test]
fn truncated_ciphertext() {
    let v = vector("dingtalk", "decrypt");
    let enc = s(&v, "encrypt");
    fails(
        &[
            "decode",
            "dingtalk",
            "--aes-key",
            DT_KEY,
            "--encrypt",
            &enc[..enc.len() - 8],
        ],
        2,
        "encrypt:",
    );
}

#[test]
fn missing_inputs_are_named() {
    fails(
        &[
            "sign",
            "wemeet",
            "--timestamp",
            "1",
            "--nonce",
            "2",
            "--data",
            "x",
        ],
        2,
        "token: missing",
    );
    fails(
        &["decode", "dingtalk", "--encrypt", "AAAA"],
        2,
        "aes-key: missing",
    );
}

#[test]
fn malformed_body_and_missing_field() {
    cbkit()
        .args(["decode", "wemeet", "--body", "-"])
        .write_stdin("{not json")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("body: not JSON"));
    cbkit()
        .args(["decode", "wemeet", "--body", "-"])
        .write_stdin("{\"x\":1}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("data: missing"));
    cbkit()
        .args(["decode", "dingtalk", "--aes-key", DT_KEY, "--body", "-"])
        .write_stdin("{\"x\":1}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("encrypt: missing"));
}

#[test]
fn unreadable_file_and_truncated_request() {
    fails(
        &["decode", "wemeet", "--body", "/nonexistent/body.json"],
        2,
        "body: cannot read",
    );
    // A file a copied curl command names: the field once, not `curl: curl: …`.
    let out = cbkit()
        .args(["verify", "wemeet", "--token", "t", "--curl"])
        .arg("curl http://h/ -d @/nonexistent/body.json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: curl: cannot read /nonexistent/body.json"),
        "{stderr}"
    );
    cbkit()
        .args(["verify", "wemeet", "--token", "t", "--request", "-"])
        .write_stdin("POST / HTTP/1.1\r\nContent-Length: 50\r\n\r\n{\"data\":\"x\"}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("truncated"));
}

#[test]
fn non_utf8_plaintext() {
    // base64 of 0xff 0xfe
    fails(
        &["decode", "wemeet", "--data", "//4"],
        2,
        "plaintext: decoded bytes are not UTF-8",
    );
}

#[test]
fn receiver_id_mismatch_is_a_failed_check_naming_the_found_id() {
    let v = vector("dingtalk", "decrypt");
    let out = cbkit()
        .args([
            "decode",
            "dingtalk",
            "--aes-key",
            DT_KEY,
            "--receiver-id",
            "dingOTHER",
            "--encrypt",
            &s(&v, "encrypt"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ding6ccabc44d2c8d38b"));
}

#[test]
fn bad_signature_exit_1_with_expected_and_got() {
    let v = vector("wemeet", "signature");
    let out = json_out(cbkit().args([
        "verify",
        "wemeet",
        "--json",
        "--token",
        "wrongtoken",
        "--timestamp",
        &s(&v, "timestamp"),
        "--nonce",
        &s(&v, "nonce"),
        "--data",
        &s(&v, "data"),
        "--signature",
        &s(&v, "signature"),
    ]));
    assert_eq!(out["valid"], false);
    assert_eq!(out["got"], v["signature"]);
    assert_ne!(out["expected"], v["signature"]);
    assert_eq!(out["inputs"]["token"], "wr******en", "token must be masked");
    cbkit()
        .args([
            "verify",
            "wemeet",
            "--token",
            "wrongtoken",
            "--timestamp",
            "1",
            "--nonce",
            "2",
            "--data",
            "x",
            "--signature",
            "ab",
        ])
        .assert()
        .code(1);
}

#[test]
fn unknown_vendor_is_usage_error() {
    cbkit()
        .args(["sign", "slack"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'slack'"));
}

/// The library says what is missing; the command line says which flag or variable supplies it.
#[test]
fn a_missing_input_names_its_flag_and_variable() {
    let sign = ["sign", "wemeet", "--timestamp", "1", "--nonce", "2"];
    fails(
        &[&sign[..], &["--data", "x"]].concat(),
        2,
        "error: token: missing (pass --token or set CBKIT_TOKEN)",
    );
    fails(
        &["decode", "dingtalk", "--encrypt", "AAAA"],
        2,
        "error: aes-key: missing (pass --aes-key or set CBKIT_AES_KEY)",
    );
    fails(
        &["sign", "feishu", "--timestamp", "1", "--nonce", "2"],
        2,
        "error: aes-key: missing (Feishu signs with the Encrypt Key: pass --aes-key or set CBKIT_AES_KEY)",
    );
    fails(
        &[
            "verify",
            "wemeet",
            "--token",
            "t",
            "--nonce",
            "2",
            "--data",
            "x",
            "--signature",
            "00",
        ],
        2,
        "error: timestamp: missing (pass --timestamp or give a request that carries it)",
    );
    fails(
        &[
            "encrypt",
            "tencent-im",
            "--plaintext",
            "{\"CallbackCommand\":\"X.Y\"}",
        ],
        2,
        "error: sdk-app-id: missing (pass --sdk-app-id or set CBKIT_SDK_APP_ID)",
    );
    // A hint that is not about a flag stays as the library wrote it.
    cbkit()
        .args(["decode", "wemeet", "--body", "-"])
        .write_stdin("{\"x\":1}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "data: missing (the body has no \"data\" field)",
        ));
}

/// The DingTalk vector's encrypt, as a query string or a form-encoded log carries it.
fn dingtalk_encrypt_url_encoded() -> (serde_json::Value, String) {
    let v = vector("dingtalk", "decrypt");
    let enc = s(&v, "encrypt")
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    assert!(enc.contains("%2B") && enc.contains("%2F"));
    (v, enc)
}

#[test]
fn a_url_encoded_encrypt_is_decoded_and_said() {
    let (v, enc) = dingtalk_encrypt_url_encoded();
    let secrets = ["--aes-key", DT_KEY, "--receiver-id", "ding6ccabc44d2c8d38b"];
    let note = "note: encrypt arrived URL-encoded (%2B, %2F, %3D); it was percent-decoded";
    cbkit()
        .arg("decode")
        .arg("dingtalk")
        .args(secrets)
        .args(["--encrypt", &enc])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("check_url"))
        .stderr(predicate::str::contains(note));
    let verify = |stdin: Option<&str>| {
        let mut cmd = cbkit();
        cmd.args(["verify", "dingtalk", "--token", "mryue"])
            .args(secrets)
            .args([
                "--timestamp",
                &s(&v, "timestamp"),
                "--nonce",
                &s(&v, "nonce"),
            ])
            .args(["--signature", &s(&v, "signature")]);
        match stdin {
            Some(body) => cmd.write_stdin(body.to_string()),
            None => cmd.args(["--encrypt", &enc]),
        };
        cmd
    };
    verify(None)
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with("valid\n"))
        .stderr(predicate::str::contains(note));
    // A bare encrypt on stdin, encoded or not, and JSON says which field was decoded.
    verify(Some(&format!("{enc}\n")))
        .assert()
        .code(0)
        .stderr(predicate::str::contains(note));
    verify(Some(&s(&v, "encrypt"))).assert().code(0).stderr("");
    let json = json_out(verify(Some(&enc)).arg("--json"));
    assert_eq!(json["valid"], true, "{json}");
    assert_eq!(json["url_decoded"], serde_json::json!(["encrypt"]));
    let json = json_out(
        cbkit()
            .args(["decode", "dingtalk", "--json"])
            .args(secrets)
            .write_stdin(enc.clone()),
    );
    assert_eq!(json["plaintext"], s(&v, "plaintext"), "{json}");
    assert_eq!(json["url_decoded"], serde_json::json!(["encrypt"]));
    // Inside a JSON body too.
    cbkit()
        .args(["decode", "dingtalk"])
        .args(secrets)
        .write_stdin(format!("{{\"encrypt\":\"{enc}\"}}"))
        .assert()
        .code(0)
        .stderr(predicate::str::contains(note));
}
