//! Every published vector, byte for byte, through the built binary.

mod common;
use common::*;

#[test]
fn vectors_file_is_complete() {
    assert_eq!(
        vectors().len(),
        9,
        "a vector was added to official.json: test it here"
    );
}

#[test]
fn wemeet_signature_vector() {
    let v = vector("wemeet", "signature");
    let out = json_out(cbkit().args([
        "sign",
        "wemeet",
        "--json",
        "--token",
        &s(&v, "token"),
        "--timestamp",
        &s(&v, "timestamp"),
        "--nonce",
        &s(&v, "nonce"),
        "--data",
        &s(&v, "data"),
    ]));
    assert_eq!(out["signature"], v["signature"]);
    cbkit()
        .args([
            "verify",
            "wemeet",
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
        .assert()
        .success()
        .stdout(predicates::str::contains("valid"));
    let out = json_out(cbkit().args(["decode", "wemeet", "--json", "--data", &s(&v, "data")]));
    assert_eq!(out["plaintext"], v["plaintext"]);
}

#[test]
fn tencent_im_sign_vector() {
    let v = vector("tencent-im", "sign");
    let out = json_out(cbkit().args([
        "sign",
        "tencent-im",
        "--json",
        "--token",
        &s(&v, "token"),
        "--request-time",
        &s(&v, "request_time"),
    ]));
    assert_eq!(out["signature"], v["signature"]);
    assert!(
        out["query"]
            .as_str()
            .unwrap()
            .contains(&format!("Sign={}", s(&v, "signature")))
    );
}

#[test]
fn dingtalk_decrypt_vector() {
    let v = vector("dingtalk", "decrypt");
    let out = json_out(cbkit().args([
        "sign",
        "dingtalk",
        "--json",
        "--token",
        &s(&v, "token"),
        "--timestamp",
        &s(&v, "timestamp"),
        "--nonce",
        &s(&v, "nonce"),
        "--encrypt",
        &s(&v, "encrypt"),
    ]));
    assert_eq!(out["signature"], v["signature"]);
    let body = format!("{{\"encrypt\":\"{}\"}}", s(&v, "encrypt"));
    let out = json_out(
        cbkit()
            .args([
                "decode",
                "dingtalk",
                "--json",
                "--aes-key",
                &s(&v, "aes_key"),
                "--receiver-id",
                &s(&v, "receiver_id"),
                "--token",
                &s(&v, "token"),
                "--timestamp",
                &s(&v, "timestamp"),
                "--nonce",
                &s(&v, "nonce"),
                "--signature",
                &s(&v, "signature"),
                "--body",
                "-",
            ])
            .write_stdin(body),
    );
    assert_eq!(out["plaintext"], v["plaintext"]);
    assert_eq!(out["receiver_id"], v["receiver_id"]);
    assert_eq!(out["valid"], true);
}

#[test]
fn dingtalk_vector_as_captured_request_with_old_spellings() {
    let v = vector("dingtalk", "decrypt");
    let raw = format!(
        "POST /cb?signature={}&timeStamp={}&nonce={} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n{{\"encrypt\":\"{}\"}}",
        s(&v, "signature"),
        s(&v, "timestamp"),
        s(&v, "nonce"),
        s(&v, "encrypt")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("req.http");
    std::fs::write(&path, raw).unwrap();
    cbkit()
        .args(["verify", "dingtalk", "--request", path.to_str().unwrap()])
        .env("CBKIT_TOKEN", s(&v, "token"))
        .env("CBKIT_AES_KEY", s(&v, "aes_key"))
        .env("CBKIT_RECEIVER_ID", s(&v, "receiver_id"))
        .assert()
        .success();
}

#[test]
fn wecom_echostr_vector_url_encoded() {
    let v = vector("wecom", "echostr");
    let out = json_out(cbkit().args([
        "sign",
        "wecom",
        "--json",
        "--token",
        &s(&v, "token"),
        "--timestamp",
        &s(&v, "timestamp"),
        "--nonce",
        &s(&v, "nonce"),
        "--echostr",
        &s(&v, "echostr_in_url"),
    ]));
    assert_eq!(out["signature"], v["signature"]);
    let out = json_out(cbkit().args([
        "decode",
        "wecom",
        "--json",
        "--aes-key",
        &s(&v, "aes_key"),
        "--echostr",
        &s(&v, "echostr_in_url"),
    ]));
    assert_eq!(out["plaintext"], v["plaintext"]);
    assert_eq!(out["receiver_id"], v["receiver_id"]);
}

#[test]
fn wecom_decrypt_vector_from_xml_body() {
    let v = vector("wecom", "decrypt");
    let xml = format!(
        "<xml><ToUserName><![CDATA[{}]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
        s(&v, "receiver_id"),
        s(&v, "encrypt")
    );
    let out = json_out(
        cbkit()
            .args([
                "decode",
                "wecom",
                "--json",
                "--body",
                "-",
                "--aes-key",
                &s(&v, "aes_key"),
                "--receiver-id",
                &s(&v, "receiver_id"),
                "--token",
                &s(&v, "token"),
                "--timestamp",
                &s(&v, "timestamp"),
                "--nonce",
                &s(&v, "nonce"),
                "--signature",
                &s(&v, "signature"),
            ])
            .write_stdin(xml),
    );
    assert_eq!(out["plaintext"], v["plaintext"]);
    assert_eq!(out["valid"], true);
}

#[test]
fn feishu_decrypt_vector() {
    let v = vector("feishu", "decrypt");
    let out = json_out(cbkit().args([
        "decode",
        "feishu",
        "--json",
        "--aes-key",
        &s(&v, "aes_key"),
        "--encrypt",
        &s(&v, "encrypt"),
    ]));
    assert_eq!(out["plaintext"], v["plaintext"]);
}

#[test]
fn wechat_handshake_vector() {
    let v = vector("wechat", "handshake");
    let out = json_out(cbkit().args([
        "sign",
        "wechat",
        "--json",
        "--token",
        &s(&v, "token"),
        "--timestamp",
        &s(&v, "timestamp"),
        "--nonce",
        &s(&v, "nonce"),
        "--echostr",
        &s(&v, "echostr"),
    ]));
    assert_eq!(out["signature"], v["signature"]);
    let raw = format!(
        "GET /wx?signature={}&echostr={}&timestamp={}&nonce={} HTTP/1.1\r\nHost: x\r\n\r\n",
        s(&v, "signature"),
        s(&v, "echostr"),
        s(&v, "timestamp"),
        s(&v, "nonce")
    );
    let out = json_out(
        cbkit()
            .args(["verify", "wechat", "--json", "--request", "-", "--token"])
            .arg(s(&v, "token"))
            .write_stdin(raw),
    );
    assert_eq!(out["valid"], true, "{out}");
}

#[test]
fn wechat_plain_mode_vector() {
    let v = vector("wechat", "plain");
    let body = s(&v, "body");
    let raw = format!(
        "POST /wx?signature={}&timestamp={}&nonce={} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        s(&v, "signature"),
        s(&v, "timestamp"),
        s(&v, "nonce"),
        body.len()
    );
    let out = json_out(
        cbkit()
            .args(["verify", "wechat", "--json", "--request", "-", "--token"])
            .arg(s(&v, "token"))
            .write_stdin(raw),
    );
    assert_eq!(out["valid"], true, "{out}");
}

#[test]
fn wechat_decrypt_vector_compat_body() {
    let v = vector("wechat", "decrypt");
    let xml = format!(
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content><Encrypt><![CDATA[{}]]></Encrypt></xml>",
        s(&v, "encrypt")
    );
    let out = json_out(
        cbkit()
            .args([
                "decode",
                "wechat",
                "--json",
                "--body",
                "-",
                "--aes-key",
                &s(&v, "aes_key"),
                "--receiver-id",
                &s(&v, "receiver_id"),
                "--token",
                &s(&v, "token"),
                "--timestamp",
                &s(&v, "timestamp"),
                "--nonce",
                &s(&v, "nonce"),
                "--signature",
                &s(&v, "signature"),
            ])
            .write_stdin(xml),
    );
    assert_eq!(out["plaintext"], v["plaintext"], "{out}");
    assert_eq!(out["valid"], true);
}
