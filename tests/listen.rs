//! `cbkit listen` end to end: the real binary on 127.0.0.1:0, requests built with the library
//! exactly as each vendor sends them, answers judged with the vendor's own rule.

mod common;
use common::Listen;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cbkit::capture::Capture;
use cbkit::http::{HttpReply, HttpRequest};
use cbkit::protocol::{Kind, Now, Secrets, VendorId};
use cbkit::secret::Secret;

const WEMEET_TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
const AES_KEY: &str = "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7";
const DING_ID: &str = "ding6ccabc44d2c8d38b";
const WECOM_TOKEN: &str = "QDG6eK";
const WECOM_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const WECOM_CORP: &str = "wx5823bf96d3bd56c7";
const SDK_APP_ID: &str = "1400000000";

impl Listen {
    /// Wait until stdout contains `needle` (the block is printed just after the answer).
    fn wait_stdout(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let out = self.stdout();
            if out.contains(needle) {
                return out;
            }
            assert!(
                Instant::now() < deadline,
                "stdout never showed {needle:?}:\n{out}\nstderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn secrets(token: &str, aes: Option<&str>, receiver: Option<&str>, sdk: Option<&str>) -> Secrets {
    Secrets {
        token: Some(Secret::new(token)),
        aes_key: aes.map(Secret::new),
        receiver_id: receiver.map(str::to_string),
        sdk_app_id: sdk.map(str::to_string),
    }
}

/// The request `vendor` sends for `plaintext`, built by the library.
fn seal(vendor: VendorId, plain: &[u8], kind: Kind, s: &Secrets) -> HttpRequest {
    let v = vendor.vendor();
    v.seal(plain, kind, s, &v.stamp(Now::system())).unwrap()
}

/// Send a request as-is (method, query, headers, body) to `base` + `path`.
fn send(base: &str, path: &str, req: &HttpRequest) -> HttpReply {
    let mut url = format!("{base}{path}");
    if !req.query.is_empty() {
        url = format!("{url}?{}", req.query);
    }
    let client = reqwest::blocking::Client::builder()
        .danger_accept_invalid_certs(true)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut rb = client.request(req.method.parse().unwrap(), url);
    for (k, v) in &req.headers {
        rb = rb.header(k.as_str(), v.as_str());
    }
    let resp = rb.body(req.body.clone()).send().unwrap();
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    HttpReply {
        status,
        headers,
        body: resp.bytes().unwrap().to_vec(),
    }
}

/// Seal, send, and check the listener's answer is one the vendor accepts.
fn round_trip(l: &Listen, path: &str, vendor: VendorId, plain: &[u8], kind: Kind, s: &Secrets) {
    let req = seal(vendor, plain, kind, s);
    let reply = send(&l.url, path, &req);
    let v = vendor.vendor();
    if let Err(why) = v.judge(kind, plain, &reply, s) {
        panic!(
            "{vendor} {kind:?}: reply rejected: {why}\nstdout:\n{}\nstderr:\n{}",
            l.stdout(),
            l.stderr()
        );
    }
}

fn captures(path: &std::path::Path) -> Vec<Capture> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| cbkit::capture::parse_line(l).unwrap())
        .collect()
}

#[test]
fn wemeet_round_trips_plain_and_encrypted() {
    let plain = secrets(WEMEET_TOKEN, None, None, None);
    let l = Listen::start(&["--vendor", "wemeet", "--token", WEMEET_TOKEN]);
    round_trip(
        &l,
        "/",
        VendorId::Wemeet,
        br#"{"event":"meeting.created"}"#,
        Kind::Event,
        &plain,
    );
    round_trip(
        &l,
        "/cb",
        VendorId::Wemeet,
        b"check me",
        Kind::Handshake,
        &plain,
    );
    let out = l.wait_stdout("check me");
    assert!(out.contains("✓ signature"), "{out}");
    assert!(out.contains("meeting.created"), "{out}");

    let enc = secrets(WEMEET_TOKEN, Some(AES_KEY), None, None);
    let l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        WEMEET_TOKEN,
        "--aes-key",
        AES_KEY,
    ]);
    round_trip(
        &l,
        "/",
        VendorId::Wemeet,
        br#"{"event":"meeting.created"}"#,
        Kind::Event,
        &enc,
    );
    round_trip(
        &l,
        "/",
        VendorId::Wemeet,
        b"encrypted check",
        Kind::Handshake,
        &enc,
    );
    let out = l.wait_stdout("encrypted check");
    assert!(out.contains("✓ decrypted"), "{out}");
}

#[test]
fn tencent_im_round_trip() {
    let s = secrets("xxxxyyyy", None, None, Some(SDK_APP_ID));
    let l = Listen::start(&[
        "--vendor",
        "tim",
        "--token",
        "xxxxyyyy",
        "--sdk-app-id",
        SDK_APP_ID,
    ]);
    let body = br#"{"CallbackCommand":"Group.CallbackAfterCreateTopic","GroupId":"@TGS#_x"}"#;
    round_trip(&l, "/", VendorId::TencentIm, body, Kind::Event, &s);
    let out = l.wait_stdout("Group.CallbackAfterCreateTopic");
    assert!(out.contains("✓ sdk_app_id"), "{out}");
}

#[test]
fn dingtalk_round_trip_and_check_url() {
    let s = secrets("mryue", Some(AES_KEY), Some(DING_ID), None);
    let l = Listen::start(&[
        "--vendor",
        "dingtalk",
        "--token",
        "mryue",
        "--aes-key",
        AES_KEY,
        "--receiver-id",
        DING_ID,
    ]);
    round_trip(
        &l,
        "/",
        VendorId::Dingtalk,
        br#"{"EventType":"check_url"}"#,
        Kind::Handshake,
        &s,
    );
    round_trip(
        &l,
        "/",
        VendorId::Dingtalk,
        br#"{"EventType":"user_add_org"}"#,
        Kind::Event,
        &s,
    );
    let out = l.wait_stdout("user_add_org");
    assert!(out.contains("✓ receiver_id"), "{out}");
}

#[test]
fn wecom_round_trip_and_echostr() {
    let s = secrets(WECOM_TOKEN, Some(WECOM_KEY), Some(WECOM_CORP), None);
    let l = Listen::start(&[
        "--vendor",
        "wecom",
        "--token",
        WECOM_TOKEN,
        "--aes-key",
        WECOM_KEY,
        "--corp-id",
        WECOM_CORP,
    ]);
    round_trip(
        &l,
        "/",
        VendorId::Wecom,
        b"1616140317555161061",
        Kind::Handshake,
        &s,
    );
    let xml =
        b"<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event></xml>";
    round_trip(&l, "/", VendorId::Wecom, xml, Kind::Event, &s);
    l.wait_stdout("event.change_contact");
}

#[test]
fn feishu_round_trip_with_encrypted_url_verification() {
    let s = secrets("vtoken", Some("test key"), None, None);
    let l = Listen::start(&[
        "--vendor",
        "lark",
        "--token",
        "vtoken",
        "--aes-key",
        "test key",
    ]);
    let challenge =
        br#"{"challenge":"ajls384kdjx98XX","token":"vtoken","type":"url_verification"}"#;
    round_trip(&l, "/", VendorId::Feishu, challenge, Kind::Handshake, &s);
    let event = br#"{"schema":"2.0","header":{"event_id":"e1","event_type":"im.message.receive_v1","token":"vtoken"},"event":{}}"#;
    round_trip(&l, "/", VendorId::Feishu, event, Kind::Event, &s);
    let out = l.wait_stdout("im.message.receive_v1");
    assert!(out.contains("✓ token"), "{out}");
    assert!(
        !out.contains("\"vtoken\""),
        "the Verification Token is shown: {out}"
    );
}

#[test]
fn auto_mode_routes_by_path_and_by_shape() {
    let l = Listen::start(&[
        "--vendor",
        "auto",
        "--token",
        WEMEET_TOKEN,
        "--aes-key",
        AES_KEY,
        "--receiver-id",
        DING_ID,
    ]);
    let s = secrets(WEMEET_TOKEN, Some(AES_KEY), Some(DING_ID), None);
    round_trip(
        &l,
        "/",
        VendorId::Wemeet,
        br#"{"event":"a.b"}"#,
        Kind::Event,
        &s,
    );
    round_trip(
        &l,
        "/dingtalk",
        VendorId::Dingtalk,
        br#"{"EventType":"check_url"}"#,
        Kind::Handshake,
        &s,
    );
    round_trip(
        &l,
        "/",
        VendorId::Dingtalk,
        br#"{"EventType":"x"}"#,
        Kind::Event,
        &s,
    );
    let out = l.wait_stdout("DingTalk  POST /?");
    assert!(out.contains("Tencent Meeting  POST /"), "{out}");
    assert!(out.contains("DingTalk  POST /dingtalk"), "{out}");
}

/// Send raw bytes and return the status code of the answer.
fn raw_status(port: u16, raw: &[u8]) -> u16 {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(raw).unwrap();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).unwrap();
    let head = String::from_utf8_lossy(&buf[..n]);
    head.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn failures_are_answered_and_recorded_with_their_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("cap.jsonl");
    let l = Listen::start(&[
        "--vendor",
        "auto",
        "--token",
        WEMEET_TOKEN,
        "--aes-key",
        AES_KEY,
        "--receiver-id",
        DING_ID,
        "--sdk-app-id",
        SDK_APP_ID,
        "--max-body",
        "200",
        "--exit-after",
        "5",
        "--record",
        rec.to_str().unwrap(),
    ]);
    let s = secrets(WEMEET_TOKEN, Some(AES_KEY), Some(DING_ID), Some(SDK_APP_ID));
    // 1. bad signature: still answered correctly by default.
    let mut req = seal(VendorId::Wemeet, br#"{"event":"x"}"#, Kind::Event, &s);
    for h in &mut req.headers {
        if h.0 == "signature" {
            h.1 = "0".repeat(40);
        }
    }
    assert_eq!(send(&l.url, "/wemeet", &req).status, 200);
    // 2. another app's SdkAppid.
    let mut other = s.clone();
    other.sdk_app_id = Some("1400000001".into());
    let req = seal(
        VendorId::TencentIm,
        br#"{"CallbackCommand":"C.x"}"#,
        Kind::Event,
        &other,
    );
    assert_eq!(send(&l.url, "/tencent-im", &req).status, 200);
    // 3. ciphertext for another receiver id.
    other.receiver_id = Some("dingOTHER".into());
    let req = seal(
        VendorId::Dingtalk,
        br#"{"EventType":"x"}"#,
        Kind::Event,
        &other,
    );
    assert_eq!(send(&l.url, "/dingtalk", &req).status, 200);
    // 4. malformed body.
    let bad = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        headers: vec![
            ("signature".into(), "x".into()),
            ("nonce".into(), "1".into()),
        ],
        body: b"not json".to_vec(),
        ..HttpRequest::default()
    };
    let reply = send(&l.url, "/wemeet", &bad);
    assert_eq!(reply.status, 400);
    assert!(String::from_utf8_lossy(&reply.body).contains("malformed"));
    // 5. oversize: refused from Content-Length alone, the body never sent.
    let raw = b"POST /wemeet HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n";
    assert_eq!(raw_status(l.port, raw), 413);

    let mut l = l;
    assert_eq!(
        l.wait(Duration::from_secs(10)),
        1,
        "failures make --exit-after exit 1"
    );
    let caps = captures(&rec);
    assert_eq!(caps.len(), 5);
    let find = |path: &str| caps.iter().find(|c| c.request.path == path).unwrap();
    let v = |c: &Capture, k: &str| c.verdict.get(k).and_then(|b| b.as_bool());
    let wemeet = caps
        .iter()
        .find(|c| c.request.path == "/wemeet" && c.status == Some(200))
        .unwrap();
    assert_eq!(v(wemeet, "signature"), Some(false));
    assert!(
        wemeet.errors[0].contains("signature mismatch"),
        "{:?}",
        wemeet.errors
    );
    assert_eq!(v(find("/tencent-im"), "sdk_app_id"), Some(false));
    assert_eq!(v(find("/dingtalk"), "receiver_id"), Some(false));
    assert_eq!(v(find("/dingtalk"), "signature"), Some(true));
    let rejected: Vec<_> = caps.iter().filter(|c| c.status == Some(413)).collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(v(rejected[0], "accepted"), Some(false));
    assert!(caps.iter().any(|c| c.status == Some(400)));
    assert!(caps.iter().all(|c| v(c, "accepted") == Some(false)));
    assert!(
        l.stderr().contains("5 requests, 0 verified, 5 failed"),
        "{}",
        l.stderr()
    );
    let text = std::fs::read_to_string(&rec).unwrap();
    assert!(
        !text.contains(WEMEET_TOKEN) && !text.contains(AES_KEY),
        "secrets recorded"
    );
}

#[test]
fn strict_answers_401_and_403() {
    let l = Listen::start(&[
        "--strict",
        "--token",
        WEMEET_TOKEN,
        "--aes-key",
        AES_KEY,
        "--receiver-id",
        "dingOTHER",
        "--sdk-app-id",
        "1400000001",
    ]);
    let s = secrets(WEMEET_TOKEN, Some(AES_KEY), Some(DING_ID), Some(SDK_APP_ID));
    let mut req = seal(VendorId::Wemeet, br#"{"event":"x"}"#, Kind::Event, &s);
    req.headers.retain(|h| h.0 != "signature");
    req.headers.push(("signature".into(), "f".repeat(40)));
    assert_eq!(send(&l.url, "/wemeet", &req).status, 401);
    let req = seal(
        VendorId::TencentIm,
        br#"{"CallbackCommand":"C.x"}"#,
        Kind::Event,
        &s,
    );
    assert_eq!(send(&l.url, "/tim", &req).status, 403);
    let req = seal(VendorId::Dingtalk, br#"{"EventType":"x"}"#, Kind::Event, &s);
    assert_eq!(send(&l.url, "/dingtalk", &req).status, 403);
}

#[test]
fn record_500_concurrent_requests_and_verify_a_capture() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("cap.jsonl");
    let mut l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        WEMEET_TOKEN,
        "-q",
        "--exit-after",
        "500",
        "--record",
        rec.to_str().unwrap(),
    ]);
    let s = secrets(WEMEET_TOKEN, None, None, None);
    let url = l.url.clone();
    std::thread::scope(|scope| {
        for t in 0..32 {
            let (url, s) = (&url, &s);
            scope.spawn(move || {
                for i in (t..500).step_by(32) {
                    let plain = format!(r#"{{"event":"meeting.created","n":{i}}}"#);
                    let req = seal(VendorId::Wemeet, plain.as_bytes(), Kind::Event, s);
                    assert_eq!(send(url, "/", &req).body, b"successfully received callback");
                }
            });
        }
    });
    assert_eq!(l.wait(Duration::from_secs(10)), 0);
    let text = std::fs::read_to_string(&rec).unwrap();
    assert_eq!(text.lines().count(), 500);
    for line in text.lines() {
        let c = cbkit::capture::parse_line(line).unwrap();
        assert_eq!(c.verdict["accepted"], true);
    }
    assert!(
        l.stderr().contains("500 requests, 500 verified, 0 failed"),
        "{}",
        l.stderr()
    );
    assert!(
        !l.stdout().contains("meeting.created"),
        "-q prints only failures"
    );
    let spec = format!("{}:17", rec.display());
    common::cbkit()
        .args([
            "verify",
            "wemeet",
            "--token",
            WEMEET_TOKEN,
            "--from-capture",
            &spec,
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("valid"));
    common::cbkit()
        .args(["decode", "wemeet", "--from-capture", &spec])
        .assert()
        .success()
        .stdout(predicates::str::contains("meeting.created"));
}

/// A tiny_http app on 127.0.0.1:0 answering every request with `body`; the requests it got.
fn app(body: &'static str) -> (String, Arc<Mutex<Vec<HttpRequest>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.server_addr().to_ip().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let got = seen.clone();
    std::thread::spawn(move || {
        for mut rq in server.incoming_requests() {
            let mut b = Vec::new();
            rq.as_reader().read_to_end(&mut b).unwrap();
            let (path, query) = rq.url().split_once('?').unwrap_or((rq.url(), ""));
            got.lock().unwrap().push(HttpRequest {
                method: rq.method().to_string(),
                path: path.into(),
                query: query.into(),
                headers: rq
                    .headers()
                    .iter()
                    .map(|h| (h.field.to_string(), h.value.to_string()))
                    .collect(),
                body: b,
            });
            let _ = rq.respond(tiny_http::Response::from_string(body));
        }
    });
    (url, seen)
}

#[test]
fn forward_relays_and_flags_a_wrong_app_answer() {
    let (app_url, seen) = app("successfully received callback\n");
    let l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        WEMEET_TOKEN,
        "--forward-to",
        &format!("{app_url}/callback"),
    ]);
    let s = secrets(WEMEET_TOKEN, None, None, None);
    let req = seal(
        VendorId::Wemeet,
        br#"{"event":"meeting.started"}"#,
        Kind::Event,
        &s,
    );
    let reply = send(&l.url, "/", &req);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body, b"successfully received callback\n",
        "app's answer relayed"
    );
    let out = l.wait_stdout("your app");
    assert!(
        out.contains("trailing newline; Tencent Meeting will retry"),
        "{out}"
    );
    let got = seen.lock().unwrap();
    assert_eq!(got.len(), 1, "the app was called once");
    assert_eq!(got[0].path, "/callback");
    assert_eq!(got[0].body, req.body, "body forwarded byte for byte");
    let sig = req.header("signature").unwrap();
    assert_eq!(got[0].header("signature"), Some(sig));
}

#[test]
fn forward_to_a_dead_app_is_502() {
    let (_held, port) = common::ports::refusing_port();
    let l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        WEMEET_TOKEN,
        "--forward-to",
        &format!("http://127.0.0.1:{port}"),
    ]);
    let s = secrets(WEMEET_TOKEN, None, None, None);
    let req = seal(VendorId::Wemeet, br#"{"event":"x"}"#, Kind::Event, &s);
    assert_eq!(send(&l.url, "/", &req).status, 502);
    l.wait_stdout("cannot reach your app");
}

#[test]
fn fail_first_then_status_and_reply_overrides() {
    let l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        WEMEET_TOKEN,
        "--fail-first",
        "2",
    ]);
    let s = secrets(WEMEET_TOKEN, None, None, None);
    let req = seal(VendorId::Wemeet, br#"{"event":"x"}"#, Kind::Event, &s);
    let statuses: Vec<u16> = (0..3).map(|_| send(&l.url, "/", &req).status).collect();
    assert_eq!(statuses, [500, 500, 200]);

    let l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        WEMEET_TOKEN,
        "--status",
        "202",
        "--reply",
        "ok\n",
        "--delay",
        "50ms",
    ]);
    let reply = send(&l.url, "/", &req);
    assert_eq!((reply.status, reply.body.as_slice()), (202, &b"ok\n"[..]));
}

#[test]
fn once_exits_zero_after_one_request_with_json_lines() {
    let mut l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        WEMEET_TOKEN,
        "--once",
        "--json",
    ]);
    let s = secrets(WEMEET_TOKEN, None, None, None);
    let req = seal(VendorId::Wemeet, br#"{"event":"x.y"}"#, Kind::Event, &s);
    assert_eq!(send(&l.url, "/", &req).status, 200);
    assert_eq!(l.wait(Duration::from_secs(10)), 0);
    let out = l.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "only JSON lines after the ready line: {out}"
    );
    let c = cbkit::capture::parse_line(lines[0]).unwrap();
    assert_eq!(c.event_type.as_deref(), Some("x.y"));
    assert!(
        l.stderr().contains("from --token"),
        "banner on stderr with --json"
    );
    assert!(!l.stderr().contains(WEMEET_TOKEN), "secret printed");
}

#[test]
fn sigterm_finishes_and_prints_the_summary() {
    let mut l = Listen::start(&["--vendor", "wemeet", "--token", WEMEET_TOKEN]);
    let s = secrets(WEMEET_TOKEN, None, None, None);
    let req = seal(VendorId::Wemeet, br#"{"event":"x"}"#, Kind::Event, &s);
    assert_eq!(send(&l.url, "/", &req).status, 200);
    let ok = Command::new("kill")
        .args(["-TERM", &l.child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    assert_eq!(l.wait(Duration::from_secs(10)), 0);
    assert!(
        l.stderr().contains("1 requests, 1 verified, 0 failed"),
        "{}",
        l.stderr()
    );
}

#[test]
fn idle_timeout_exits() {
    let mut l = Listen::start(&["--vendor", "wemeet", "--idle-timeout", "200ms"]);
    assert_eq!(l.wait(Duration::from_secs(10)), 0);
    assert!(l.stderr().contains("0 requests"), "{}", l.stderr());
}

#[test]
fn slow_client_does_not_hold_the_only_worker() {
    let l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        WEMEET_TOKEN,
        "--workers",
        "1",
        "--read-timeout",
        "300ms",
    ]);
    // Promises 4000 bytes, sends 10, then stalls.
    let mut slow = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    slow.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n{\"data\":\"")
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let s = secrets(WEMEET_TOKEN, None, None, None);
    let req = seal(VendorId::Wemeet, br#"{"event":"x"}"#, Kind::Event, &s);
    let start = Instant::now();
    assert_eq!(send(&l.url, "/", &req).status, 200);
    assert!(start.elapsed() < Duration::from_secs(3));
    l.wait_stdout("→ 408");
    drop(slow);
}

#[test]
fn unwritable_record_file_answers_503_loudly() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        WEMEET_TOKEN,
        "--record",
        "/dev/full",
    ]);
    let s = secrets(WEMEET_TOKEN, None, None, None);
    let req = seal(VendorId::Wemeet, br#"{"event":"x"}"#, Kind::Event, &s);
    assert_eq!(send(&l.url, "/", &req).status, 503);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !l.stderr().contains("cannot write the record file") {
        assert!(Instant::now() < deadline, "no loud error: {}", l.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn https_with_tls_cert_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let Some((cert, key)) = common::tls::self_signed(dir.path(), &["-subj", "/CN=localhost"])
    else {
        eprintln!("openssl not available: skipping the HTTPS test");
        return;
    };
    let l = Listen::start(&[
        "--vendor",
        "wemeet",
        "--token",
        WEMEET_TOKEN,
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    assert!(l.url.starts_with("https://"), "{}", l.url);
    let s = secrets(WEMEET_TOKEN, None, None, None);
    round_trip(
        &l,
        "/",
        VendorId::Wemeet,
        br#"{"event":"x"}"#,
        Kind::Event,
        &s,
    );
}

#[test]
fn missing_aes_key_is_said_and_answered_400() {
    let l = Listen::start(&["--vendor", "dingtalk", "--token", "mryue"]);
    let s = secrets("mryue", Some(AES_KEY), Some(DING_ID), None);
    let req = seal(VendorId::Dingtalk, br#"{"EventType":"x"}"#, Kind::Event, &s);
    let reply = send(&l.url, "/", &req);
    assert_eq!(reply.status, 400);
    let body = String::from_utf8_lossy(&reply.body);
    assert!(
        body.contains("aes-key") && body.lines().count() == 1,
        "{body}"
    );
    let out = l.wait_stdout("✗ decrypted");
    assert!(out.contains("✓ signature"), "{out}");
}

#[test]
fn banner_names_secret_sources_and_warns_on_a_public_host() {
    let l = Listen::start_with(
        &[
            "--vendor",
            "wemeet",
            "--host",
            "0.0.0.0",
            "--aes-key",
            AES_KEY,
        ],
        &[("CBKIT_TOKEN", WEMEET_TOKEN)],
    );
    let out = l.wait_stdout("sdk-app-id");
    assert!(out.contains("token        from CBKIT_TOKEN"), "{out}");
    assert!(out.contains("aes-key      from --aes-key"), "{out}");
    assert!(
        !out.contains(WEMEET_TOKEN) && !out.contains(AES_KEY),
        "{out}"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while !l.stderr().contains("warning: listening on 0.0.0.0") {
        assert!(Instant::now() < deadline, "no warning: {}", l.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The library API `cbkit demo` drives: bind, run on a thread, stop from outside.
#[test]
fn library_listener_runs_in_process_and_stops() {
    use cbkit::listen::{ListenConfig, Listener};
    fn send_sync<T: Send + Sync>(_: &T) {}
    let s = secrets(WEMEET_TOKEN, None, None, None);
    let listener = Listener::bind(ListenConfig {
        vendor: Some(VendorId::Wemeet),
        secrets: s.clone().into(),
        ..ListenConfig::default()
    })
    .unwrap();
    let url = listener.url();
    assert_eq!(url, format!("http://127.0.0.1:{}", listener.port()));
    let stop = listener.stop_handle();
    send_sync(&stop);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    let running = std::thread::spawn(move || {
        listener.run(Arc::new(move |h: &cbkit::listen::Handled| {
            seen2.lock().unwrap().push(h.capture.event_type.clone())
        }))
    });
    let req = seal(
        VendorId::Wemeet,
        br#"{"event":"in.process"}"#,
        Kind::Event,
        &s,
    );
    assert_eq!(send(&url, "/", &req).status, 200);
    stop.stop();
    let summary = running.join().unwrap();
    assert_eq!(
        (summary.requests, summary.verified, summary.failed),
        (1, 1, 0)
    );
    assert_eq!(*seen.lock().unwrap(), [Some("in.process".to_string())]);
}

#[test]
fn bad_flags_are_usage_errors() {
    common::cbkit()
        .args(["listen", "--vendor", "slack", "--port", "0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown vendor"));
    common::cbkit()
        .args(["listen", "--status", "42", "--port", "0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not an HTTP status code"));
}
