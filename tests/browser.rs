//! The inspector page in a real browser: headless Chromium driven by chromedriver through the
//! W3C WebDriver protocol (a few JSON calls over HTTP, with the HTTP client cbkit already has).
//! It opens the page, sends a DingTalk callback with `cbkit replay`, sees the row appear live,
//! opens it, reads the plaintext and the verification steps, clicks Replay and sees the second
//! row, checks a hostile body stays text, and takes a screenshot (target/inspector-browser.png).
//!
//! Without chromedriver (Debian's `chromium` and `chromium-driver`) the test says it is skipped;
//! with CBKIT_REQUIRE_BROWSER=1 (set by .ci/run, which installs them) it fails instead.
//! `CHROMEDRIVER` and `CHROMIUM` name other binaries (then only those are tried).

mod common;
use common::{Listen, secret_args};

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `CHROMEDRIVER` when set (only that one), else `chromedriver` on PATH or where Debian puts it.
fn find_chromedriver() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMEDRIVER") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([
            PathBuf::from("/usr/bin"),
            PathBuf::from("/usr/lib/chromium"),
        ])
        .map(|d| d.join("chromedriver"))
        .find(|p| p.is_file())
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    [
        "/usr/bin/chromium",
        "/usr/lib/chromium/chromium",
        "/usr/bin/chromium-browser",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

/// A running chromedriver; killed when dropped.
struct Driver {
    child: Child,
    url: String,
    http: reqwest::blocking::Client,
    session: Option<String>,
    profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(s) = self.session.take() {
            let _ = self.http.delete(format!("{}/session/{s}", self.url)).send();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(driver: &PathBuf) -> Driver {
        // With --port=0 chromedriver binds a free port itself and names it: no port is freed
        // here and handed over for another process to take in between.
        let mut child = Command::new(driver)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let port = match announced_port(child.stdout.take().unwrap()) {
            Ok(port) => port,
            Err(why) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{why}");
            }
        };
        let d = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            http: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            session: None,
            profile: tempfile::tempdir().unwrap(),
        };
        wait_until("chromedriver to be ready", Duration::from_secs(20), || {
            let r = d.http.get(format!("{}/status", d.url)).send().ok()?;
            let v: Value = serde_json::from_str(&r.text().ok()?).ok()?;
            v["value"]["ready"].as_bool().filter(|r| *r)
        });
        d
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.url);
        let rb = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self
                .http
                .post(url)
                .header("Content-Type", "application/json")
                .body(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let text = rb.send().expect("webdriver answers").text().unwrap();
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
        assert!(
            v["value"]["error"].is_null(),
            "webdriver {method} {path}: {}",
            v["value"]
        );
        v["value"].clone()
    }

    fn open_session(&mut self, chromium: &PathBuf) {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,800", "--no-first-run", "--no-default-browser-check",
                    format!("--user-data-dir={}", self.profile.path().display()),
                ],
            },
        }}});
        let v = self.call("POST", "/session", Some(caps));
        self.session = Some(v["sessionId"].as_str().expect("a session").to_string());
    }

    fn s(&self, path: &str) -> String {
        format!("/session/{}{path}", self.session.as_ref().unwrap())
    }

    fn goto(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({ "url": url })));
    }

    fn js(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": script, "args": []})),
        )
    }

    fn click(&self, css: &str) {
        let e = self.call(
            "POST",
            &self.s("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        let id = e[ELEMENT].as_str().expect("element found").to_string();
        self.call("POST", &self.s(&format!("/element/{id}/click")), None);
    }

    fn screenshot(&self) -> Vec<u8> {
        let b64 = self.call("GET", &self.s("/screenshot"), None);
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap()
    }
}

/// The port chromedriver names once it listens ("ChromeDriver was started successfully on port
/// N."). Its later output is read to the end so it never blocks on a full pipe.
fn announced_port(stdout: ChildStdout) -> Result<u16, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = BufReader::new(stdout);
        let mut said = String::new();
        loop {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                let _ = tx.send(Err(format!(
                    "chromedriver stopped without naming its port:\n{said}"
                )));
                return;
            }
            let port = line
                .trim_end()
                .strip_suffix('.')
                .and_then(|l| l.split_once("started successfully on port "))
                .and_then(|(_, port)| port.parse::<u16>().ok());
            if let Some(port) = port {
                let _ = tx.send(Ok(port));
                break;
            }
            said.push_str(&line);
        }
        let _ = std::io::copy(&mut out, &mut std::io::sink());
    });
    rx.recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| Err("chromedriver named no port within 20 s".to_string()))
}

fn wait_until<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn text_of(d: &Driver, id: &str) -> String {
    d.js(&format!(
        "const e = document.getElementById('{id}'); return e ? e.textContent : '';"
    ))
    .as_str()
    .unwrap_or_default()
    .to_string()
}

fn rows(d: &Driver) -> u64 {
    d.js("return document.querySelectorAll('#rows tr.row').length;")
        .as_u64()
        .unwrap()
}

#[test]
fn the_inspector_page_in_headless_chromium() {
    let required = std::env::var("CBKIT_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let (Some(driver), Some(chromium)) = (find_chromedriver(), find_chromium()) else {
        assert!(
            !required,
            "CBKIT_REQUIRE_BROWSER=1 but chromedriver or chromium was not found (apt-get install chromium chromium-driver)"
        );
        println!("skipped: chromedriver not found (install chromium and chromium-driver)");
        return;
    };
    let secrets = secret_args(cbkit::protocol::VendorId::lookup("dingtalk").unwrap());
    let mut args = vec!["--inspect"];
    args.extend(secrets.iter().map(String::as_str));
    let l = Listen::start(&args);
    let page = format!("{}/_cbkit/", l.url);

    let mut d = Driver::start(&driver);
    d.open_session(&chromium);
    d.call(
        "POST",
        &d.s("/window/rect"),
        Some(json!({"width": 1280, "height": 800})),
    );
    d.goto(&page);
    wait_until("the live stream", Duration::from_secs(15), || {
        (text_of(&d, "live") == "live").then_some(())
    });
    assert_eq!(rows(&d), 0);

    // A DingTalk callback, sent the way a user would.
    let out = common::cbkit()
        .args(["replay", "dingtalk/chat_add_member", "--no-retry", "--url"])
        .arg(format!("{}/dingtalk", l.url))
        .args(&secrets)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    wait_until("the row to appear live", Duration::from_secs(10), || {
        (rows(&d) == 1).then_some(())
    });
    let row = d.js("return document.querySelector('#rows tr.row').textContent;");
    let row = row.as_str().unwrap();
    assert!(
        row.contains("DingTalk") && row.contains("chat_add_member"),
        "{row}"
    );

    d.click("#rows tr.row");
    let plaintext = wait_until("the plaintext", Duration::from_secs(10), || {
        Some(text_of(&d, "plaintext")).filter(|t| !t.is_empty())
    });
    assert!(
        plaintext.contains("\"EventType\": \"chat_add_member\""),
        "{plaintext}"
    );
    let steps = text_of(&d, "steps");
    for step in ["sorted", "sha1", "signature", "decrypt", "receiver_id"] {
        assert!(steps.contains(step), "step {step} missing: {steps}");
    }
    assert!(!steps.contains("mryue"), "the token is masked: {steps}");

    d.click("#replay");
    wait_until("the replay's row", Duration::from_secs(10), || {
        (rows(&d) == 2).then_some(())
    });
    let result = wait_until("the replay's result", Duration::from_secs(10), || {
        Some(text_of(&d, "replay-now")).filter(|t| !t.is_empty())
    });
    assert!(
        result.contains("200") && result.contains("accepted"),
        "{result}"
    );
    assert!(text_of(&d, "replay-result").contains("before (#1)"));

    let shot = d.screenshot();
    assert!(shot.starts_with(b"\x89PNG"), "a PNG");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::write(dir.join("inspector-browser.png"), &shot).unwrap();

    // A hostile body is shown as text: no element is made of it, no script of it runs.
    let hostile = r#"<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>"#;
    let r = reqwest::blocking::Client::new()
        .post(format!("{}/dingtalk", l.url))
        .body(hostile)
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    wait_until("the hostile row", Duration::from_secs(10), || {
        (rows(&d) == 3).then_some(())
    });
    d.click("#rows tr.row");
    wait_until("its body, pretty", Duration::from_secs(10), || {
        text_of(&d, "d-body").contains("<script>").then_some(())
    });
    // The raw/pretty toggle: raw is the body byte for byte.
    d.click("#pretty");
    wait_until("its raw body", Duration::from_secs(10), || {
        (text_of(&d, "d-body") == hostile).then_some(())
    });
    assert_eq!(d.js("return typeof window.pwned;"), "undefined");
    assert_eq!(
        d.js("return document.querySelectorAll('#detail img, #detail script').length;"),
        0
    );

    // A burst: every row arrives (drawn per animation frame) and the page keeps answering.
    let out = common::cbkit()
        .args([
            "replay",
            "dingtalk/chat_add_member",
            "--count",
            "300",
            "--concurrency",
            "8",
        ])
        .args(["--no-retry", "--url"])
        .arg(format!("{}/dingtalk", l.url))
        .args(&secrets)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait_until("the burst's rows", Duration::from_secs(20), || {
        (text_of(&d, "count") == "303 requests").then_some(())
    });
    assert_eq!(rows(&d), 303);
    d.js("window.scrollTo(0, 0);");
    d.click("#rows tr.row:nth-child(300)");
    wait_until("an older row opened", Duration::from_secs(10), || {
        text_of(&d, "d-title").starts_with("#4 ").then_some(())
    });

    // Keyboard: j moves down to the next (older) row, Enter opens it.
    d.js("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'j'})); document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}));");
    wait_until("the next row opened", Duration::from_secs(10), || {
        text_of(&d, "d-title").starts_with("#3 ").then_some(())
    });
}
