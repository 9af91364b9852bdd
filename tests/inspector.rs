//! The inspector page (`listen --inspect`, `demo --inspect`, `cbkit inspect`) from the built
//! binary on 127.0.0.1:0: the page and its assets with their security headers, the live stream,
//! one request's JSON, the replay endpoint's guards, hostile bodies, and capture files.

mod common;
use common::{Listen, secret_args};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cbkit::http::HttpRequest;
use cbkit::protocol::{Kind, Now, VendorId};
use serde_json::Value;

fn dingtalk() -> VendorId {
    VendorId::lookup("dingtalk").unwrap()
}

/// `cbkit listen --port 0 --vendor auto ARGS` with DingTalk's demo secrets.
fn listen(args: &[&str]) -> Listen {
    let secrets = secret_args(dingtalk());
    let mut all: Vec<&str> = args.to_vec();
    all.extend(secrets.iter().map(String::as_str));
    Listen::start(&all)
}

/// The `inspect on URL` line that follows the ready line.
fn page_of(l: &Listen) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(line) = l.stdout().lines().find(|x| x.starts_with("inspect on ")) {
            return line["inspect on ".len()..].trim().to_string();
        }
        assert!(Instant::now() < deadline, "no inspect line: {}", l.stdout());
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn get_json(url: &str) -> Value {
    let r = http().get(url).send().unwrap();
    assert_eq!(r.status(), 200, "{url}");
    r.text()
        .map(|t| serde_json::from_str::<Value>(&t).unwrap())
        .unwrap()
}

/// The list once it holds `n` requests: the listener remembers a request just after answering.
fn rows(page: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let list = get_json(&format!("{page}api/requests"));
        let rows = list["requests"].as_array().unwrap().clone();
        if rows.len() >= n || Instant::now() > deadline {
            return rows;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A DingTalk event sealed with the demo secrets, sent to `base`/dingtalk; the answer's status.
fn send_dingtalk(base: &str, plaintext: &str) -> u16 {
    send_sealed(base, dingtalk(), Kind::Event, plaintext)
}

/// `plaintext` sealed as `vendor`'s with its demo secrets, sent to `base`/VENDOR; the status.
fn send_sealed(base: &str, vendor: VendorId, kind: Kind, plaintext: &str) -> u16 {
    let v = vendor.vendor();
    let stamp = v.stamp(Now::system());
    let req = v
        .seal(plaintext.as_bytes(), kind, &v.demo_secrets(), &stamp)
        .unwrap();
    send(base, &format!("/{}", vendor.name()), &req)
}

fn send(base: &str, path: &str, req: &HttpRequest) -> u16 {
    let url = format!("{base}{path}?{}", req.query);
    let mut rb = http().post(url);
    for (k, v) in &req.headers {
        rb = rb.header(k, v);
    }
    rb.body(req.body.clone()).send().unwrap().status().as_u16()
}

/// The replay token the page carries.
fn token_of(page: &str) -> String {
    let html = http().get(page).send().unwrap().text().unwrap();
    let at = html
        .find(r#"name="cbkit-token" content=""#)
        .expect("token meta")
        + 28;
    html[at..at + 32].to_string()
}

const EVENT: &str = r#"{"EventType":"chat_add_member","ChatId":"chat-1","Operator":"u1"}"#;

#[test]
fn the_page_and_its_assets_are_served_with_a_strict_csp() {
    let l = listen(&["--inspect"]);
    let page = page_of(&l);
    assert_eq!(page, format!("{}/_cbkit/", l.url));
    for (path, kind) in [
        ("", "text/html"),
        ("app.js", "text/javascript"),
        ("app.css", "text/css"),
    ] {
        let r = http().get(format!("{page}{path}")).send().unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(
            h["content-type"].to_str().unwrap().starts_with(kind),
            "{path}"
        );
    }
    let html = http().get(&page).send().unwrap().text().unwrap();
    assert!(html.contains(r#"<script src="app.js""#));
    assert_eq!(
        http().get(format!("{page}nope")).send().unwrap().status(),
        404
    );
    // /_cbkit (no slash) leads to the page; it never reaches a vendor.
    let r = http().get(format!("{}/_cbkit", l.url)).send().unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(r.headers()["location"], "/_cbkit/");
    // The page is not counted as a callback.
    assert!(!l.stdout().contains("FAILED"), "{}", l.stdout());
}

#[test]
fn a_page_reached_by_another_host_name_is_refused() {
    let l = listen(&["--inspect"]);
    let out = raw_get(l.port, "rebound.example:80", "/_cbkit/api/requests");
    assert!(out.starts_with("HTTP/1.1 403"), "{out}");
    let out = raw_get(
        l.port,
        &format!("localhost:{}", l.port),
        "/_cbkit/api/requests",
    );
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
}

/// `GET path` on 127.0.0.1:`port` with this `Host` header: the whole answer.
fn raw_get(port: u16, host: &str, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn the_ready_object_names_the_page_with_json() {
    let (child, first) = start_until(
        &[
            "listen",
            "--json",
            "--port",
            "0",
            "--inspect",
            "--exit-after",
            "1",
        ],
        |_| true,
    );
    let _child = child;
    let v: Value = serde_json::from_str(&first).unwrap();
    let url = v["listening"].as_str().unwrap();
    assert_eq!(v["inspect"], format!("{url}/_cbkit/"));
}

/// Read an event stream on its own thread: each `event:` block with the time it arrived.
fn subscribe(base: &str, port: u16) -> mpsc::Receiver<(Instant, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(
        format!("GET /_cbkit/api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let _ = base;
    let (tx, rx) = mpsc::channel();
    let mut r = BufReader::new(s);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/event-stream"),
        "{head}"
    );
    std::thread::spawn(move || {
        let mut block = String::new();
        loop {
            let mut line = String::new();
            match r.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\n" {
                if block.contains("event: request")
                    && tx.send((Instant::now(), block.clone())).is_err()
                {
                    return;
                }
                block.clear();
            } else {
                block.push_str(&line);
            }
        }
    });
    rx
}

#[test]
fn the_stream_delivers_a_requests_summary_within_100ms_of_its_answer() {
    let l = listen(&["--inspect"]);
    let events = subscribe(&l.url, l.port);
    let mut delays = Vec::new();
    for i in 0..5 {
        let status = send_dingtalk(&l.url, &EVENT.replace("chat-1", &format!("chat-{i}")));
        let answered = Instant::now();
        assert_eq!(status, 200);
        let (at, block) = events
            .recv_timeout(Duration::from_secs(5))
            .expect("an event");
        let data: Value = serde_json::from_str(
            block
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(data["vendor"], "dingtalk");
        assert_eq!(data["event_type"], "chat_add_member");
        assert_eq!(data["accepted"], true);
        assert_eq!(data["status"], 200);
        assert!(data["latency_ms"].as_f64().is_some());
        assert!(block.contains(&format!("id: {}", i + 1)), "{block}");
        delays.push(at.saturating_duration_since(answered));
    }
    delays.sort();
    // The median: one stall of a shared CI machine is not the stream's delay.
    let median = delays[delays.len() / 2];
    assert!(
        median < Duration::from_millis(100),
        "event after the answer: {delays:?}"
    );
}

#[test]
fn one_requests_json_holds_the_steps_and_the_plaintext_with_secrets_masked() {
    let l = listen(&["--inspect"]);
    let page = page_of(&l);
    assert_eq!(send_dingtalk(&l.url, EVENT), 200);
    assert_eq!(rows(&page, 1).len(), 1);
    let d = get_json(&format!("{page}api/requests/1"));
    assert_eq!(d["vendor"], "dingtalk");
    assert!(
        d["plaintext"]
            .as_str()
            .unwrap()
            .contains("\"ChatId\": \"chat-1\""),
        "pretty-printed: {}",
        d["plaintext"]
    );
    let steps = d["explain"]["steps"].as_array().unwrap();
    let step = |name: &str| steps.iter().find(|s| s["name"] == name);
    assert_eq!(step("signature").unwrap()["ok"], true, "{steps:?}");
    assert_eq!(step("decrypt").unwrap()["ok"], true, "{steps:?}");
    assert!(step("sorted").is_some(), "{steps:?}");
    assert_eq!(d["explain"]["valid"], true);
    assert!(
        d["request"]["line"]
            .as_str()
            .unwrap()
            .starts_with("POST /dingtalk?")
    );
    assert!(d["curl"].as_str().unwrap().starts_with("curl -X 'POST'"));
    let verify = d["verify_command"].as_str().unwrap();
    assert!(
        verify.starts_with("cbkit verify dingtalk --explain --curl '"),
        "{verify}"
    );
    // The verify command, run with the secrets from the environment, checks the same request.
    let words = cbkit::curl::shell_words(verify).unwrap();
    let secrets = dingtalk().vendor().demo_secrets();
    let out = common::cbkit()
        .args(&words[1..])
        .env("CBKIT_TOKEN", secrets.token.as_ref().unwrap().expose())
        .env("CBKIT_AES_KEY", secrets.aes_key.as_ref().unwrap().expose())
        .env("CBKIT_RECEIVER_ID", secrets.receiver_id.as_ref().unwrap())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("valid"), "{text}");
    // No secret anywhere in what the page reads.
    let raw = http()
        .get(format!("{page}api/requests/1"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        !raw.contains(secrets.token.as_ref().unwrap().expose()),
        "{raw}"
    );
    assert!(!raw.contains(secrets.aes_key.as_ref().unwrap().expose()));
    assert_eq!(
        http()
            .get(format!("{page}api/requests/99"))
            .send()
            .unwrap()
            .status(),
        404
    );
}

#[test]
fn replay_needs_the_token_and_the_same_origin() {
    let l = listen(&["--inspect"]);
    let page = page_of(&l);
    assert_eq!(send_dingtalk(&l.url, EVENT), 200);
    assert_eq!(rows(&page, 1).len(), 1);
    let token = token_of(&page);
    let replay = format!("{page}api/replay");
    let ask = r#"{"id":1,"mode":"fresh"}"#;
    let r = http().post(&replay).body(ask).send().unwrap();
    assert_eq!(r.status(), 403, "no token");
    let r = http()
        .post(&replay)
        .header("X-Cbkit-Token", "0".repeat(32))
        .body(ask)
        .send()
        .unwrap();
    assert_eq!(r.status(), 403, "wrong token");
    let r = http()
        .post(&replay)
        .header("X-Cbkit-Token", &token)
        .header("Origin", "http://evil.example")
        .body(ask)
        .send()
        .unwrap();
    assert_eq!(r.status(), 403, "another site");
    assert_eq!(
        http().get(&replay).send().unwrap().status(),
        405,
        "POST only"
    );
    let r = http()
        .post(&replay)
        .header("X-Cbkit-Token", &token)
        .header("Origin", &l.url)
        .body(ask)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r
        .text()
        .map(|t| serde_json::from_str::<Value>(&t).unwrap())
        .unwrap();
    assert_eq!(v["status"], 200, "{v}");
    assert_eq!(v["accepted"], true, "{v}");
    assert_eq!(v["was"]["status"], 200, "{v}");
    assert_eq!(v["new_id"], 2, "{v}");
    let second = get_json(&format!("{page}api/requests/2"));
    assert_eq!(second["accepted"], true, "freshly signed: {second}");
    // Exactly as captured: the listener sees the same request again.
    let r = http()
        .post(&replay)
        .header("X-Cbkit-Token", &token)
        .body(r#"{"id":1,"mode":"exact"}"#)
        .send()
        .unwrap();
    let v: Value = r
        .text()
        .map(|t| serde_json::from_str::<Value>(&t).unwrap())
        .unwrap();
    assert_eq!(v["new_id"], 3, "{v}");
    let first = get_json(&format!("{page}api/requests/1"));
    let third = get_json(&format!("{page}api/requests/3"));
    assert_eq!(first["request"]["query"], third["request"]["query"]);
    assert_eq!(first["request"]["body"], third["request"]["body"]);
}

#[test]
fn a_script_body_stays_inert_text() {
    let l = listen(&["--inspect"]);
    let page = page_of(&l);
    let body = "<script>window.pwned=1</script><img src=x onerror=alert(1)>";
    let r = http()
        .post(format!("{}/dingtalk?x=<b>", l.url))
        .body(body)
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(rows(&page, 1).len(), 1);
    let r = http().get(format!("{page}api/requests/1")).send().unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let d: Value = r
        .text()
        .map(|t| serde_json::from_str::<Value>(&t).unwrap())
        .unwrap();
    assert_eq!(d["request"]["body"], body, "kept as text, byte for byte");
    // Nothing of the request ever reaches the HTML.
    let html = http().get(&page).send().unwrap().text().unwrap();
    assert!(!html.contains("pwned") && !html.contains("onerror"));
}

#[test]
fn a_page_on_its_own_port_leaves_the_listeners_paths_to_the_vendors() {
    let l = listen(&["--inspect-port", "0"]);
    let page = page_of(&l);
    assert!(!page.starts_with(&l.url), "{page} vs {}", l.url);
    assert_eq!(http().get(&page).send().unwrap().status(), 200);
    // On the listener, /_cbkit/ is an ordinary (unroutable) request now.
    assert_eq!(
        http()
            .get(format!("{}/_cbkit/", l.url))
            .send()
            .unwrap()
            .status(),
        404
    );
    assert_eq!(send_dingtalk(&l.url, EVENT), 200);
    assert_eq!(rows(&page, 2).len(), 2);
}

#[test]
fn beyond_loopback_only_an_explicit_inspect_turns_it_on_and_warns() {
    let l = listen(&["--host", "0.0.0.0", "--inspect-port", "0"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!l.stdout().contains("inspect on"), "{}", l.stdout());
    assert!(
        l.stderr().contains("the inspector stays off"),
        "{}",
        l.stderr()
    );
    let l = listen(&["--host", "0.0.0.0", "--inspect"]);
    let _ = page_of(&l);
    // Bound to every address on purpose: reached by whatever name the machine has.
    let answer = raw_get(l.port, "192.0.2.7:8787", "/_cbkit/api/requests");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        l.stderr()
            .contains("warning: the inspector shows every request"),
        "{}",
        l.stderr()
    );
}

#[test]
fn the_keep_limit_forgets_the_oldest() {
    let l = listen(&["--inspect", "--inspect-keep", "2"]);
    let page = page_of(&l);
    for i in 0..3 {
        send_dingtalk(&l.url, &EVENT.replace("chat-1", &format!("c{i}")));
    }
    // Wait for the third (the list never holds more than two).
    let deadline = Instant::now() + Duration::from_secs(5);
    while rows(&page, 2).last().map(|r| r["id"].as_u64().unwrap()) != Some(3) {
        assert!(Instant::now() < deadline);
    }
    let ids: Vec<u64> = rows(&page, 2)
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [2, 3]);
}

/// Start a command that prints `inspect on URL` (inspect, demo --inspect); the child and URL.
fn start_inspecting(args: &[&str]) -> (Killed, String) {
    let (child, line) = start_until(args, |l| l.starts_with("inspect on "));
    (child, line["inspect on ".len()..].to_string())
}

/// Start cbkit with `args` and read its stdout up to the first line `wanted` takes (trimmed);
/// the rest of its output is read and dropped.
fn start_until(args: &[&str], wanted: impl Fn(&str) -> bool) -> (Killed, String) {
    let mut child = Killed(
        std::process::Command::new(env!("CARGO_BIN_EXE_cbkit"))
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("CBKIT_TOKEN")
            .env_remove("CBKIT_AES_KEY")
            .env_remove("CBKIT_RECEIVER_ID")
            .env(
                "XDG_CONFIG_HOME",
                concat!(env!("CARGO_MANIFEST_DIR"), "/target/no-such-config-dir"),
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut out = BufReader::new(child.0.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "no such line");
        if wanted(line.trim()) {
            std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
            return (child, line.trim().to_string());
        }
    }
}

struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn inspect_serves_a_capture_file_without_a_listener() {
    let dir = tempfile::tempdir().unwrap();
    let cap = dir.path().join("cap.jsonl");
    let cap_s = cap.to_str().unwrap();
    {
        let l = listen(&["--record", cap_s]);
        assert_eq!(send_dingtalk(&l.url, EVENT), 200);
        assert_eq!(send_dingtalk(&l.url, &EVENT.replace("u1", "u2")), 200);
        let deadline = Instant::now() + Duration::from_secs(5);
        while std::fs::read_to_string(&cap)
            .unwrap_or_default()
            .lines()
            .count()
            < 2
        {
            assert!(Instant::now() < deadline);
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let secrets = secret_args(dingtalk());
    let mut args = vec!["inspect", cap_s, "--port", "0"];
    args.extend(secrets.iter().map(String::as_str));
    let (child, page) = start_inspecting(&args);
    let _child = child;
    let list = get_json(&format!("{page}api/requests"));
    assert_eq!(list["requests"].as_array().unwrap().len(), 2);
    let d = get_json(&format!("{page}api/requests/2"));
    assert!(d["plaintext"].as_str().unwrap().contains("u2"));
    assert_eq!(d["explain"]["valid"], true, "{}", d["explain"]);
    assert_eq!(d["replay"]["listener"], false, "no --to: nowhere to replay");
    // An empty file is an input error.
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let out = common::cbkit()
        .args(["inspect", empty.to_str().unwrap(), "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));
}

/// The inspector opens a listener's requests again for their plaintext rather than keep it:
/// what the page shows is what the record holds, configured secrets masked alike (a Feishu
/// challenge carries the Verification Token), and the summary's kind comes from it.
#[test]
fn a_listeners_plaintext_on_the_page_is_the_recorded_one() {
    let feishu = VendorId::lookup("feishu").unwrap();
    let secrets = feishu.vendor().demo_secrets();
    let token = secrets.token.as_ref().unwrap().expose().to_string();
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("cap.jsonl");
    let mut args = vec!["--vendor", "feishu", "--inspect", "--record"];
    args.push(record.to_str().unwrap());
    let flags = secret_args(feishu);
    args.extend(flags.iter().map(String::as_str));
    let l = Listen::start(&args);
    let page = page_of(&l);
    let challenge = format!(r#"{{"challenge":"c-1","token":"{token}","type":"url_verification"}}"#);
    assert_eq!(
        send_sealed(&l.url, feishu, Kind::Handshake, &challenge),
        200
    );
    let row = &rows(&page, 1)[0];
    assert_eq!(row["kind"], "handshake", "{row}");
    let d = get_json(&format!("{page}api/requests/1"));
    let shown = d["plaintext"].as_str().expect("a plaintext");
    assert!(!shown.contains(&token), "masked: {shown}");
    let line = std::fs::read_to_string(&record).unwrap();
    let recorded: Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    let recorded = recorded["plaintext"].as_str().unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(shown).unwrap(),
        serde_json::from_str::<Value>(recorded).unwrap(),
        "the page shows the recorded plaintext"
    );
    assert!(recorded.contains("c-1"));
}

#[test]
fn demo_inspect_keeps_every_fixture_on_the_page_and_replays_them() {
    let (_child, page) = start_inspecting(&["demo", "--vendor", "dingtalk", "--inspect"]);
    let fixtures = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/dingtalk"))
        .unwrap()
        .count();
    let list = rows(&page, fixtures);
    assert_eq!(list.len(), fixtures, "{list:?}");
    assert!(list.iter().all(|r| r["accepted"] == true), "{list:?}");
    let token = token_of(&page);
    for id in 1..=fixtures {
        let d = get_json(&format!("{page}api/requests/{id}"));
        assert!(d["plaintext"].is_string(), "{d}");
        let v: Value = http()
            .post(format!("{page}api/replay"))
            .header("X-Cbkit-Token", &token)
            .body(format!(r#"{{"id":{id}}}"#))
            .send()
            .unwrap()
            .text()
            .map(|t| serde_json::from_str::<Value>(&t).unwrap())
            .unwrap();
        assert_eq!(v["accepted"], true, "{v}");
    }
}

#[test]
fn open_streams_hold_no_worker_and_are_capped() {
    let l = listen(&["--inspect", "--workers", "1", "--max-connections", "64"]);
    let page = page_of(&l);
    // Sixteen pages open: each holds its connection, none a worker.
    let streams: Vec<_> = (0..16).map(|_| subscribe(&l.url, l.port)).collect();
    for i in 0..3 {
        let started = Instant::now();
        assert_eq!(
            send_dingtalk(&l.url, &EVENT.replace("u1", &format!("w{i}"))),
            200
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }
    for s in &streams {
        s.recv_timeout(Duration::from_secs(5))
            .expect("every page hears of it");
    }
    // One more is refused rather than held.
    let r = http().get(format!("{page}api/events")).send().unwrap();
    assert_eq!(r.status(), 503);
    drop(streams);
}

#[test]
fn with_forward_to_the_row_shows_the_apps_answer_and_replay_can_go_to_the_app() {
    let app = common::TestServer::start(|_, _| {
        (
            cbkit::http::HttpReply::new(403, "text/plain", "nope"),
            Duration::ZERO,
        )
    });
    let l = listen(&["--inspect", "--forward-to", &app.url]);
    let page = page_of(&l);
    assert_eq!(send_dingtalk(&l.url, EVENT), 403);
    let row = &rows(&page, 1)[0];
    assert_eq!(row["forward"]["status"], 403, "{row}");
    assert_eq!(row["forward"]["accepted"], false, "{row}");
    assert!(row["forward"]["reason"].is_string());
    let d = get_json(&format!("{page}api/requests/1"));
    assert_eq!(d["answer"]["forward"]["body"], "nope");
    assert_eq!(d["replay"]["forward"], true);
    let v: Value = http()
        .post(format!("{page}api/replay"))
        .header("X-Cbkit-Token", token_of(&page))
        .body(r#"{"id":1,"to":"forward"}"#)
        .send()
        .unwrap()
        .text()
        .map(|t| serde_json::from_str::<Value>(&t).unwrap())
        .unwrap();
    assert_eq!(v["to"], "forward", "{v}");
    assert_eq!(v["status"], 403, "{v}");
    assert_eq!(v["accepted"], false, "{v}");
    assert_eq!(app.requests().len(), 2, "forwarded once, replayed once");
}

#[test]
fn over_https_the_page_and_replay_to_the_listener_work() {
    let dir = tempfile::tempdir().unwrap();
    let Some((cert, key)) = common::tls::self_signed(dir.path(), &["-subj", "/CN=localhost"])
    else {
        eprintln!("openssl not available: skipping the HTTPS inspector test");
        return;
    };
    let (c, k) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let l = listen(&["--inspect", "--tls-cert", c, "--tls-key", k]);
    let page = page_of(&l);
    assert!(page.starts_with("https://"), "{page}");
    let tls = reqwest::blocking::Client::builder()
        .danger_accept_invalid_certs(true)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let v = dingtalk().vendor();
    let req = v
        .seal(
            EVENT.as_bytes(),
            Kind::Event,
            &v.demo_secrets(),
            &v.stamp(Now::system()),
        )
        .unwrap();
    let mut rb = tls.post(format!("{}/dingtalk?{}", l.url, req.query));
    for (k, v) in &req.headers {
        rb = rb.header(k, v);
    }
    assert_eq!(rb.body(req.body.clone()).send().unwrap().status(), 200);
    let html = tls.get(&page).send().unwrap().text().unwrap();
    let at = html.find(r#"name="cbkit-token" content=""#).unwrap() + 28;
    let token = &html[at..at + 32];
    let deadline = Instant::now() + Duration::from_secs(5);
    let answer = loop {
        let r = tls
            .post(format!("{page}api/replay"))
            .header("X-Cbkit-Token", token)
            .body(r#"{"id":1}"#)
            .send()
            .unwrap();
        if r.status() != 404 || Instant::now() > deadline {
            break r.text().unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let v: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(v["status"], 200, "{v}");
    assert_eq!(v["accepted"], true, "{v}");
}

#[test]
fn save_as_fixture_downloads_a_fixture_that_replays_verified() {
    let l = listen(&["--inspect"]);
    let page = page_of(&l);
    assert_eq!(send_dingtalk(&l.url, EVENT), 200);
    assert_eq!(rows(&page, 1).len(), 1);
    let r = http()
        .get(format!("{page}api/requests/1/fixture"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let disposition = r.headers()["content-disposition"].to_str().unwrap();
    assert_eq!(
        disposition,
        r#"attachment; filename="dingtalk-chat_add_member.json""#
    );
    let text = r.text().unwrap();
    let fixture: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(fixture["vendor"], "dingtalk");
    assert_eq!(fixture["body"]["ChatId"], "chat-1");
    let secrets = dingtalk().vendor().demo_secrets();
    let key = secrets.aes_key.as_ref().unwrap().expose().to_string();
    let token = secrets.token.as_ref().unwrap().expose().to_string();
    for value in [key, token] {
        assert!(
            !text.contains(&value),
            "a secret in the fixture file: {text}"
        );
    }
    // The saved file goes out again freshly sealed, and the same listener verifies it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("saved.json");
    std::fs::write(&file, &text).unwrap();
    common::cbkit()
        .arg("replay")
        .arg(&file)
        .args(["--url", &format!("{}/dingtalk", l.url), "--no-retry"])
        .args(secret_args(dingtalk()))
        .assert()
        .success();
    assert_eq!(rows(&page, 2)[1]["verified"], true);
    let missing = http()
        .get(format!("{page}api/requests/99/fixture"))
        .send()
        .unwrap();
    assert_eq!(missing.status(), 404);
}

/// `GET /_cbkit/api/events` on a new connection; the connection once the head has arrived
/// (never read again), or the status line if the stream was refused.
fn open_stream(port: u16) -> Result<TcpStream, String> {
    let mut s = connect_with_small_receive_buffer(port);
    s.write_all(
        format!("GET /_cbkit/api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    )
    .unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // Byte by byte, so nothing after the head is taken from the socket.
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    if head.starts_with("HTTP/1.1 200") {
        Ok(s)
    } else {
        Err(head.lines().next().unwrap_or_default().to_string())
    }
}

/// A connection to 127.0.0.1:`port` whose receive buffer is a few KiB and does not grow (an
/// explicit size, set before connecting so the window offered is small from the start), so a
/// connection that reads nothing fills up after little data.
fn connect_with_small_receive_buffer(port: u16) -> TcpStream {
    use std::os::fd::FromRawFd;
    let size: libc::c_int = 4096;
    let addr = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: port.to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(std::net::Ipv4Addr::LOCALHOST).to_be(),
        },
        sin_zero: [0; 8],
    };
    // SAFETY: plain socket calls on a descriptor this function owns; each pointer is to a local
    // of the length given. The descriptor is handed to the TcpStream, which closes it.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
        assert!(fd >= 0, "{}", std::io::Error::last_os_error());
        let s = TcpStream::from_raw_fd(fd);
        let rc = libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            (&size as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
        assert_eq!(rc, 0, "{}", std::io::Error::last_os_error());
        let rc = libc::connect(
            fd,
            (&addr as *const libc::sockaddr_in).cast(),
            std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
        );
        assert_eq!(rc, 0, "{}", std::io::Error::last_os_error());
        s
    }
}

#[test]
fn pages_that_stop_reading_give_their_stream_back() {
    let l = listen(&["--inspect", "--max-connections", "64"]);
    let _page = page_of(&l);
    // Sixteen pages that take their stream and then read nothing more (a frozen tab).
    let stalled: Vec<TcpStream> = (0..16)
        .map(|i| open_stream(l.port).unwrap_or_else(|e| panic!("stream {i}: {e}")))
        .collect();
    assert_eq!(
        open_stream(l.port).err().as_deref(),
        Some("HTTP/1.1 503 Service Unavailable")
    );
    // Requests with a long target, each one large event for every stream, until the kernel's
    // buffers of the stalled pages are full and their writes wait: sent until a stream is free
    // again, whatever the buffers' sizes.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sender = {
        let (stop, port) = (stop.clone(), l.port);
        std::thread::spawn(move || {
            let target = format!("/padding?p={}", "x".repeat(60_000));
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.write_all(
                    format!("POST {target} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .as_bytes(),
                )
                .unwrap();
                let _ = s.read_to_end(&mut Vec::new());
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    // A stalled write gives up after a couple of seconds; a generous bound for a loaded machine.
    let started = Instant::now();
    let fresh = loop {
        match open_stream(l.port) {
            Ok(s) => break s,
            Err(e) => {
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "no stream given back: {e}"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    };
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    sender.join().unwrap();
    // The new page hears of the requests that follow.
    let mut r = BufReader::new(fresh);
    let mut line = String::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    send_dingtalk(&l.url, EVENT);
    while !line.starts_with("event: request") {
        line.clear();
        assert!(r.read_line(&mut line).unwrap() > 0, "stream ended");
        assert!(Instant::now() < deadline, "no event on the new stream");
    }
    drop(stalled);
}
