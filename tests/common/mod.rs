//! Helpers shared by the integration tests.
#![allow(dead_code)]

use assert_cmd::Command;

pub mod ports;
pub mod tls;

/// The variables cbkit reads: none may leak in from the developer's shell.
pub const CBKIT_VARS: [&str; 7] = [
    "CBKIT_TOKEN",
    "CBKIT_AES_KEY",
    "CBKIT_RECEIVER_ID",
    "CBKIT_SDK_APP_ID",
    "CBKIT_NOW_MS",
    "CBKIT_PROFILE",
    "CBKIT_CONFIG",
];

/// No user config file may leak into a test.
const NO_CONFIG_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/target/no-such-config-dir");

/// The built `cbkit` binary with a clean environment: no secrets leak in from the developer's
/// shell, no colour.
pub fn cbkit() -> Command {
    let mut cmd = Command::cargo_bin("cbkit").expect("binary builds");
    for var in CBKIT_VARS {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", NO_CONFIG_DIR);
    cmd
}

/// [`cbkit`] as a `std::process::Command`, for a process the test keeps running.
pub fn cbkit_process() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cbkit"));
    for var in CBKIT_VARS {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", NO_CONFIG_DIR);
    cmd
}

/// The official vectors, copied from the shared material into the project.
pub fn vectors() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/official.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["vectors"].as_array().unwrap().clone()
}

pub fn vector(vendor: &str, kind: &str) -> serde_json::Value {
    vectors()
        .into_iter()
        .find(|v| v["vendor"] == vendor && v["kind"] == kind)
        .unwrap_or_else(|| panic!("no vector {vendor}/{kind}"))
}

pub fn s(v: &serde_json::Value, k: &str) -> String {
    v[k].as_str()
        .unwrap_or_else(|| panic!("vector field {k}"))
        .to_string()
}

/// Run and parse stdout as JSON.
pub fn json_out(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cbkit::http::{HttpReply, HttpRequest};

/// A request as the test server saw it, with its arrival time.
#[derive(Clone, Debug)]
pub struct Seen {
    pub at: Instant,
    pub req: HttpRequest,
}

/// A real HTTP server on 127.0.0.1:0 whose handler the test writes. Stops when dropped.
pub struct TestServer {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    pub fn start(
        handler: impl Fn(usize, &HttpRequest) -> (HttpReply, Duration) + Send + Sync + 'static,
    ) -> TestServer {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind loopback");
        let port = server.server_addr().to_ip().expect("ip listener").port();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                let Ok(Some(mut rq)) = server.recv_timeout(Duration::from_millis(50)) else {
                    continue;
                };
                let at = Instant::now();
                let mut body = Vec::new();
                let _ = std::io::Read::read_to_end(rq.as_reader(), &mut body);
                let url = rq.url().to_string();
                let (path, query) = url
                    .split_once('?')
                    .map_or((url.clone(), String::new()), |(p, q)| (p.into(), q.into()));
                let req = HttpRequest {
                    method: rq.method().as_str().to_string(),
                    path,
                    query,
                    headers: rq
                        .headers()
                        .iter()
                        .map(|h| {
                            (
                                h.field.as_str().as_str().to_string(),
                                h.value.as_str().to_string(),
                            )
                        })
                        .collect(),
                    body,
                };
                let n = {
                    let mut s = seen2.lock().unwrap();
                    s.push(Seen {
                        at,
                        req: req.clone(),
                    });
                    s.len()
                };
                let (reply, delay) = handler(n, &req);
                let build = |reply: HttpReply| {
                    let mut resp =
                        tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
                    for (k, v) in reply.headers {
                        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
                            resp.add_header(h);
                        }
                    }
                    resp
                };
                if delay.is_zero() {
                    let _ = rq.respond(build(reply));
                    continue;
                }
                let seen3 = stop2.clone();
                // Answer from a thread so a slow answer does not hold up the next request.
                std::thread::spawn(move || {
                    std::thread::sleep(delay);
                    if seen3.load(Ordering::Relaxed) {
                        return;
                    }
                    let mut resp =
                        tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
                    for (k, v) in reply.headers {
                        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
                            resp.add_header(h);
                        }
                    }
                    let _ = rq.respond(resp);
                });
            }
        });
        TestServer {
            url: format!("http://127.0.0.1:{port}/cb"),
            seen,
            stop,
            thread: Some(thread),
        }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What a correct receiver answers, built with the library; panics if verification fails so
/// the test sees a bad request as a failure.
pub fn correct_reply(
    vendor: cbkit::protocol::VendorId,
    secrets: &cbkit::protocol::Secrets,
    req: &HttpRequest,
) -> HttpReply {
    let v = vendor.vendor();
    let cb = v.parse(req).expect("request parses");
    let now = cbkit::protocol::Now::system();
    let checks = match v.verify(&cb, secrets, now) {
        Ok(checks) => checks,
        // Feishu's challenge comes unsigned; receivers answer it on the key and token alone.
        Err(e) if e.is_missing() && e.field() == cbkit::protocol::feishu::H_SIGNATURE => Vec::new(),
        Err(e) => panic!("request verifies: {e}"),
    };
    assert!(checks.iter().all(|c| c.ok), "{checks:?}");
    let opened = v.open(&cb, secrets).expect("request opens");
    assert!(v.check_opened(&opened, secrets).iter().all(|c| c.ok));
    v.reply(&cb, &opened, secrets, &v.stamp(now))
        .expect("reply builds")
}

/// The bundled demo secrets of a vendor as command-line flags.
pub fn secret_args(v: cbkit::protocol::VendorId) -> Vec<String> {
    let s = v.vendor().demo_secrets();
    let mut a = Vec::new();
    for (flag, val) in [
        ("--token", s.token.as_ref().map(|t| t.expose().to_string())),
        (
            "--aes-key",
            s.aes_key.as_ref().map(|t| t.expose().to_string()),
        ),
        ("--receiver-id", s.receiver_id.clone()),
        ("--sdk-app-id", s.sdk_app_id.clone()),
    ] {
        if let Some(val) = val {
            a.extend([flag.to_string(), val]);
        }
    }
    a
}

/// Collect everything a child process writes to a pipe, from a background thread, so the child
/// never blocks on a full pipe and the test can read what arrived so far.
pub fn drain<R: std::io::Read + Send + 'static>(mut r: R) -> Arc<Mutex<String>> {
    let buf = Arc::new(Mutex::new(String::new()));
    let b = buf.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = r.read(&mut chunk) {
            if n == 0 {
                break;
            }
            b.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
    buf
}

/// A running `cbkit listen --port 0` child with a clean environment (as `cbkit()`), started
/// once its ready line names the URL; killed when dropped. The listener test suites add their
/// own probes in `impl Listen` blocks of their own.
pub struct Listen {
    pub child: std::process::Child,
    pub url: String,
    pub port: u16,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

impl Listen {
    /// `cbkit listen --port 0 ARGS`.
    pub fn start(args: &[&str]) -> Listen {
        Listen::start_with(args, &[])
    }

    /// `cbkit listen --port 0 ARGS` with extra environment variables.
    pub fn start_with(args: &[&str], envs: &[(&str, &str)]) -> Listen {
        use std::io::{BufRead, BufReader};
        use std::process::Stdio;
        let mut child = cbkit_process()
            .envs(envs.iter().copied())
            .args(["listen", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cbkit starts");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        // Text mode: `listening on URL`; with --json: `{"listening":"URL"}`.
        let url = first
            .strip_prefix("listening on ")
            .map(|u| u.trim().to_string())
            .or_else(|| {
                serde_json::from_str::<serde_json::Value>(&first).ok()?["listening"]
                    .as_str()
                    .map(str::to_string)
            })
            .unwrap_or_else(|| panic!("first line is not the ready line: {first:?}"));
        let port = url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in the ready line: {first:?}"));
        Listen {
            stdout: drain(out),
            stderr: drain(child.stderr.take().unwrap()),
            child,
            url,
            port,
        }
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Wait (at most `limit`) for the listener to exit by itself; its exit code.
    pub fn wait(&mut self, limit: Duration) -> i32 {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the drain threads take the last output.
                std::thread::sleep(Duration::from_millis(100));
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "listener did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Listen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Milliseconds since the Unix epoch (Tencent Meeting's timestamp unit).
pub fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

/// A raw Tencent Meeting event delivery to `/wemeet` (unsigned: for a listener with no token),
/// identified by `nonce`, which is also the event's unique_sequence. `close` adds
/// `Connection: close`; without it the connection stays open for the next request.
pub fn wemeet_delivery(nonce: &str, timestamp: &str, close: bool) -> Vec<u8> {
    let event = format!(r#"{{"event":"meeting.created","unique_sequence":"{nonce}"}}"#);
    let body = format!(
        r#"{{"data":"{}"}}"#,
        cbkit::crypto::b64_encode(event.as_bytes())
    );
    let connection = if close { "Connection: close\r\n" } else { "" };
    format!(
        "POST /wemeet HTTP/1.1\r\nHost: x\r\ntimestamp: {timestamp}\r\nnonce: {nonce}\r\nsignature: 0\r\n\
Content-Type: application/json\r\nContent-Length: {}\r\n{connection}\r\n{body}",
        body.len()
    )
    .into_bytes()
}
