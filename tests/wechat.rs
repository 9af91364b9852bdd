//! WeChat end to end: replay → listen in every message mode and data format, probe against
//! receivers written the way users write them (the correct one and the console traps), and the
//! passive reply from `encrypt --reply`.

mod common;
use common::*;

use std::time::Duration;

use cbkit::crypto::sorted_sha1;
use cbkit::http::{HttpReply, HttpRequest};
use cbkit::protocol::wechat::body::{Format, Mode};
use cbkit::protocol::wechat::{Wechat, seal_as};
use cbkit::protocol::{Kind, Now, Vendor, VendorId};

const TOKEN: &str = "spamtest";
const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APPID: &str = "wx2c2769f8efd9abc2";

fn send(base: &str, req: &HttpRequest) -> HttpReply {
    let url = format!("{base}/?{}", req.query);
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut rb = client.request(req.method.parse().unwrap(), url);
    for (k, v) in &req.headers {
        rb = rb.header(k.as_str(), v.as_str());
    }
    let resp = rb.body(req.body.clone()).send().unwrap();
    let status = resp.status().as_u16();
    HttpReply::new(status, "text/plain", resp.bytes().unwrap().to_vec())
}

/// `listen --vendor auto` tells WeChat by shape in all three modes and both formats, verifies
/// and answers each one the way WeChat accepts.
#[test]
fn listen_recognises_every_mode_and_format() {
    let l = Listen::start(&[
        "--strict",
        "--vendor",
        "auto",
        "--token",
        TOKEN,
        "--aes-key",
        KEY,
        "--receiver-id",
        APPID,
    ]);
    let s = Wechat.demo_secrets();
    let xml = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>{id}</MsgId></xml>";
    let json = r#"{"ToUserName":"gh_1","FromUserName":"o_user","CreateTime":1,"MsgType":"text","Content":"你好","MsgId":{id}}"#;
    let mut n = 0;
    for mode in [Mode::Plain, Mode::Safe, Mode::Compat] {
        for (template, format) in [(xml, Format::Xml), (json, Format::Json)] {
            n += 1;
            let plain = template.replace("{id}", &format!("{}{n}", now_ms()));
            let stamp = Wechat.stamp(Now::system());
            let req = seal_as(plain.as_bytes(), Kind::Event, &s, &stamp, mode, format).unwrap();
            let reply = send(&l.url, &req);
            assert_eq!(reply.status, 200, "{mode} {format:?}: {}", l.stderr());
            assert_eq!(reply.body, b"success", "{mode} {format:?}");
            assert!(
                Wechat
                    .judge(Kind::Event, plain.as_bytes(), &reply, &s)
                    .is_ok()
            );
        }
    }
    let stamp = Wechat.stamp(Now::system());
    let hs = seal_as(
        b"8231",
        Kind::Handshake,
        &s,
        &stamp,
        Mode::Safe,
        Format::Xml,
    )
    .unwrap();
    assert_eq!(send(&l.url, &hs).body, b"8231");
    // A wrong signature is refused (--strict), not answered.
    let mut forged = Wechat
        .seal(
            b"<xml><ToUserName>a</ToUserName></xml>",
            Kind::Event,
            &s,
            &stamp,
        )
        .unwrap();
    forged.query = forged.query.replace("msg_signature=", "msg_signature=0");
    assert_eq!(send(&l.url, &forged).status, 401);
}

/// `cbkit replay` of the bundled fixtures into `cbkit listen`: plain mode with a token only,
/// safe mode when the EncodingAESKey is given; XML and JSON fixtures alike.
#[test]
fn replay_into_listen_plain_and_safe() {
    for with_key in [false, true] {
        let mut secrets = vec!["--token", TOKEN];
        if with_key {
            secrets.extend(["--aes-key", KEY, "--receiver-id", APPID]);
        }
        let mut args = vec!["--vendor", "wechat"];
        args.extend(&secrets);
        let l = Listen::start(&args);
        let out = cbkit()
            .args(["replay", "wechat", "--url", &l.url, "--no-retry", "--json"])
            .args(&secrets)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "key={with_key}: {}\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            l.stderr()
        );
    }
}

/// `replay --mode M --format F` → `listen --json`: every mode in both formats arrives in that
/// shape (plain mode even with a key configured, compatible mode with both bodies), and the
/// listener verifies, decrypts and accepts it.
#[test]
fn replay_into_listen_every_mode_and_format() {
    let secrets = ["--token", TOKEN, "--aes-key", KEY, "--receiver-id", APPID];
    let mut args = vec!["--vendor", "wechat", "--json"];
    args.extend(secrets);
    let l = Listen::start(&args);
    let mut sent = 0;
    for mode in ["plain", "safe", "compat"] {
        for format in ["xml", "json"] {
            let fixture = format!("wechat/miniprogram.kf-text-{format}");
            let out = cbkit()
                .args(["replay", &fixture, "--url", &l.url, "--no-retry", "-q"])
                .args(["--mode", mode, "--format", format])
                .args(secrets)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{mode} {format}: {}\n{}",
                String::from_utf8_lossy(&out.stderr),
                l.stderr()
            );
            sent += 1;
            let seen = wait_for_lines(&l, sent);
            let last: serde_json::Value = serde_json::from_str(&seen[sent - 1]).unwrap();
            let query = s(&last, "query");
            let body = s(&last, "body");
            assert_eq!(last["verdict"]["accepted"], true, "{mode} {format}: {last}");
            assert_eq!(
                query.contains("encrypt_type=aes"),
                mode != "plain",
                "{query}"
            );
            assert_eq!(body.contains("Encrypt"), mode != "plain", "{body}");
            assert_eq!(body.contains("Content"), mode != "safe", "{body}");
            assert_eq!(
                body.trim_start().starts_with('{'),
                format == "json",
                "{body}"
            );
            assert!(s(&last, "plaintext").contains("你好"), "{mode} {format}");
        }
    }
}

/// The listener's JSON lines once `n` requests have been reported (the ready line aside).
fn wait_for_lines(l: &Listen, n: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let lines: Vec<String> = l
            .stdout()
            .lines()
            .filter(|x| x.contains("\"received_at\""))
            .map(str::to_string)
            .collect();
        if lines.len() >= n || std::time::Instant::now() > deadline {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A fixture file's `mode` and `format` fields choose as the flags do; the flag wins.
#[test]
fn fixture_fields_choose_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("compat.json");
    std::fs::write(
        &path,
        r#"{"vendor":"wechat","event":"x","mode":"compat","format":"json",
            "body":{"ToUserName":"gh_1","FromUserName":"o_1","CreateTime":1,"MsgType":"text","Content":"hi","MsgId":7}}"#,
    )
    .unwrap();
    let mut args = vec!["--vendor", "wechat", "--json", "--token", TOKEN];
    args.extend(["--aes-key", KEY, "--receiver-id", APPID]);
    let l = Listen::start(&args);
    for flag in [None, Some("safe")] {
        let mut cmd = cbkit();
        cmd.args([
            "replay",
            path.to_str().unwrap(),
            "--url",
            &l.url,
            "--no-retry",
        ])
        .args([
            "--token",
            TOKEN,
            "--aes-key",
            KEY,
            "--receiver-id",
            APPID,
            "-q",
        ]);
        if let Some(m) = flag {
            cmd.args(["--mode", m]);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let seen = wait_for_lines(&l, 2);
    let bodies: Vec<String> = seen
        .iter()
        .map(|x| s(&serde_json::from_str(x).unwrap(), "body"))
        .collect();
    assert!(
        bodies[0].contains("Encrypt") && bodies[0].contains("Content"),
        "{bodies:?}"
    );
    assert!(
        bodies[1].contains("Encrypt") && !bodies[1].contains("Content"),
        "{bodies:?}"
    );
}

/// Bad choices are input errors (exit 2) naming the field, before anything is sent.
#[test]
fn mode_and_format_errors() {
    let url = "http://127.0.0.1:9/";
    let cases: [(&[&str], &str); 4] = [
        (&["wechat", "--mode", "loud"], "mode"),
        (&["wechat", "--format", "yaml"], "format"),
        (&["wecom", "--mode", "safe"], "wechat only"),
        (&["wechat/text-message", "--format", "json"], "format"),
    ];
    for (args, named) in cases {
        let out = cbkit()
            .arg("replay")
            .args(args)
            .args(["--url", url, "--token", TOKEN, "--aes-key", KEY])
            .args(["--receiver-id", APPID])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(named), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A receiver written the way users write it: `mistake` decides how it checks the signature
/// and answers the handshake.
#[derive(Clone, Copy)]
enum Receiver {
    Correct,
    QuotedEchostr,
    NewlineEchostr,
    SignsEchostrToo,
    KeyAsToken,
    PostOnly,
}

fn receiver(kind: Receiver) -> TestServer {
    TestServer::start(move |_, req| {
        let q = |n: &str| req.query_param(n).unwrap_or_default();
        let (sig, ts, nonce, echostr) = (q("signature"), q("timestamp"), q("nonce"), q("echostr"));
        if req.method == "GET" {
            let expected = match kind {
                Receiver::SignsEchostrToo => sorted_sha1(&[TOKEN, &ts, &nonce, &echostr]),
                Receiver::KeyAsToken => sorted_sha1(&[KEY, &ts, &nonce]),
                _ => sorted_sha1(&[TOKEN, &ts, &nonce]),
            };
            let body = match kind {
                Receiver::PostOnly => {
                    return (HttpReply::new(405, "text/plain", ""), Duration::ZERO);
                }
                _ if sig != expected => "invalid signature".to_string(),
                Receiver::QuotedEchostr => format!("\"{echostr}\""),
                Receiver::NewlineEchostr => format!("{echostr}\n"),
                _ => echostr,
            };
            return (HttpReply::new(200, "text/plain", body), Duration::ZERO);
        }
        // Every mode carries `signature` over token, timestamp and nonce: check it.
        if sig != sorted_sha1(&[TOKEN, &ts, &nonce]) {
            return (
                HttpReply::new(401, "text/plain", "invalid signature"),
                Duration::ZERO,
            );
        }
        (HttpReply::new(200, "text/plain", "success"), Duration::ZERO)
    })
}

fn probe(url: &str) -> (i32, serde_json::Value, String) {
    let out = cbkit()
        .args(["probe", "wechat", "--url", url, "--json"])
        .args(secret_args(VendorId::Wechat))
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (
        out.status.code().unwrap(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn handshake_verdict(json: &serde_json::Value) -> (bool, String, String) {
    let c = &json["checks"][0];
    assert_eq!(c["kind"], "handshake", "{json}");
    (
        c["ok"] == true,
        c["reason"].as_str().unwrap_or_default().to_string(),
        c["fix"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn probe_passes_the_correct_receiver_and_warns_on_the_port() {
    let server = receiver(Receiver::Correct);
    let (code, json, _) = probe(&server.url);
    assert_eq!(code, 0, "{json}");
    // 127.0.0.1:<random port> is never 80 or 443: the console would refuse the URL.
    let warnings = json["warnings"].as_array().unwrap();
    assert!(warnings[0].as_str().unwrap().contains("port 80"), "{json}");
    let out = cbkit()
        .args(["probe", "wechat", "--url", &server.url])
        .args(secret_args(VendorId::Wechat))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: port"));
    // Other vendors' consoles take any port.
    let (_, json, _) = {
        let s = VendorId::Wecom.vendor().demo_secrets();
        let server = TestServer::start(move |_, req| {
            (correct_reply(VendorId::Wecom, &s, req), Duration::ZERO)
        });
        let out = cbkit()
            .args(["probe", "wecom", "--url", &server.url, "--json"])
            .args(secret_args(VendorId::Wecom))
            .output()
            .unwrap();
        (
            0,
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
            (),
        )
    };
    assert_eq!(json["warnings"], serde_json::json!([]));
}

#[test]
fn probe_names_the_console_traps() {
    let cases = [
        (Receiver::QuotedEchostr, "quotes", "not JSON-encoded"),
        (
            Receiver::NewlineEchostr,
            "trailing newline",
            "without a newline",
        ),
        (
            Receiver::SignsEchostrToo,
            "Token验证失败",
            "echostr is not signed",
        ),
        (
            Receiver::KeyAsToken,
            "Token验证失败",
            "not the EncodingAESKey",
        ),
        (
            Receiver::PostOnly,
            "does not serve GET",
            "route GET to your handler",
        ),
    ];
    for (kind, reason, fix) in cases {
        let server = receiver(kind);
        let (code, json, _) = probe(&server.url);
        assert_eq!(code, 1, "{reason}: {json}");
        let (ok, got_reason, got_fix) = handshake_verdict(&json);
        assert!(!ok);
        assert!(got_reason.contains(reason), "{reason}: {got_reason}");
        assert!(got_fix.contains(fix), "{fix}: {got_fix}");
    }
}

#[test]
fn probe_flags_a_late_handshake_answer() {
    let server = TestServer::start(|_, req| {
        let body = req.query_param("echostr").unwrap_or_default();
        (
            HttpReply::new(200, "text/plain", body),
            Duration::from_millis(600),
        )
    });
    let out = cbkit()
        .args([
            "probe",
            "wechat",
            "--url",
            &server.url,
            "--json",
            "--timeout",
            "200ms",
        ])
        .args(secret_args(VendorId::Wechat))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["checks"][0]["ok"], false, "{json}");
}

#[test]
fn encrypt_reply_gives_the_passive_reply() {
    let out = cbkit()
        .args([
            "encrypt",
            "wechat",
            "--reply",
            "--token",
            TOKEN,
            "--aes-key",
            KEY,
            "--receiver-id",
            APPID,
            "--plaintext",
            "<xml><Content>你好</Content></xml>",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let xml = out.stdout.clone();
    let text = String::from_utf8(xml.clone()).unwrap();
    for field in ["<Encrypt>", "<MsgSignature>", "<TimeStamp>", "<Nonce>"] {
        assert!(text.contains(field), "{text}");
    }
    let reply = HttpReply::new(200, "text/xml", text.trim_end().as_bytes().to_vec());
    assert!(
        Wechat
            .judge(Kind::Event, b"", &reply, &Wechat.demo_secrets())
            .is_ok()
    );
}

#[test]
fn bad_input_is_one_error_line() {
    let out = cbkit()
        .args([
            "verify",
            "wechat",
            "--timestamp",
            "1",
            "--nonce",
            "2",
            "--signature",
            "x",
        ])
        .env_remove("CBKIT_TOKEN")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("token"));
}
