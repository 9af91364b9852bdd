//! The listener facing the internet: connection exhaustion, stalled clients, ambiguous framing,
//! truncated bodies and a full disk. Each test runs a real `cbkit listen` on 127.0.0.1 with
//! short limits, so the whole file stays well under a minute.

mod common;
use common::{Listen, cbkit_process, drain, now_ms, wemeet_delivery};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use cbkit::capture::Capture;

/// `cbkit listen --port 0 --vendor wemeet ARGS`, with the open-file limit (soft and hard) set to
/// `nofile` in the child when given.
fn listen(args: &[&str], nofile: Option<u64>) -> Listen {
    let mut cmd = cbkit_process();
    cmd.args(["listen", "--port", "0", "--vendor", "wemeet", "--quiet"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(n) = nofile {
        // SAFETY: setrlimit is async-signal-safe and touches only the child being started.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: n as libc::rlim_t,
                    rlim_max: n as libc::rlim_t,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let mut child = cmd.spawn().expect("cbkit starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let url = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line is not the ready line: {first:?}"))
        .trim()
        .to_string();
    let port = url.rsplit(':').next().unwrap().parse().unwrap();
    Listen {
        stdout: drain(out),
        stderr: drain(child.stderr.take().unwrap()),
        child,
        url,
        port,
    }
}

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

/// The status line's code of the next answer on `s` (`None`: closed or no answer in time).
fn read_status(s: &mut TcpStream) -> Option<u16> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n") {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Everything until the peer closes (or 5 s pass): the whole answer of a closing connection.
fn read_all(s: &mut TcpStream) -> String {
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    String::from_utf8_lossy(&all).into_owned()
}

/// Send one delivery on a fresh connection; its answer's status.
fn deliver(port: u16, nonce: &str) -> Option<u16> {
    let mut s = connect(port);
    s.write_all(&wemeet_delivery(nonce, &now_ms().to_string(), true))
        .ok()?;
    read_status(&mut s)
}

/// Whether the peer closed `s` (EOF or reset) within `limit`, any answer read on the way.
fn closed_within(s: &mut TcpStream, limit: Duration) -> (bool, String) {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (true, String::from_utf8_lossy(&got).into_owned()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return (true, String::from_utf8_lossy(&got).into_owned());
            }
            Err(_) => return (false, String::from_utf8_lossy(&got).into_owned()),
        }
    }
}

/// The record file's lines, each of which must be a whole capture line.
fn records(path: &Path) -> Vec<Capture> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "torn last line in the record"
    );
    text.lines()
        .map(|l| cbkit::capture::parse_line(l).unwrap_or_else(|e| panic!("torn line {l:?}: {e}")))
        .collect()
}

/// A fresh directory, removed when dropped.
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("cbkit-hardening-{name}-"))
        .tempdir()
        .unwrap()
}

fn assert_running(l: &mut Listen) {
    assert!(
        l.child.try_wait().unwrap().is_none(),
        "the listener exited: {}",
        l.stderr()
    );
}

/// Under an open-file limit of 64 the default cap is 10 connections: idle connections past it
/// are answered 503 and closed at once, a delivery is refused cleanly (503, never a hang), and
/// once the idle ones close, deliveries are served again.
#[test]
fn idle_connections_past_the_cap_are_refused_and_the_listener_recovers() {
    let dir = temp_dir("cap");
    let record = dir.path().join("record.jsonl");
    let mut l = listen(&["--record", record.to_str().unwrap()], Some(64));
    let idle: Vec<TcpStream> = (0..60).map(|_| connect(l.port)).collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let during = deliver(l.port, "during");
    assert!(
        matches!(during, Some(503) | Some(200) | None),
        "unexpected answer {during:?}"
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "refusal hung");
    assert_running(&mut l);
    let refused = idle
        .iter()
        .filter(|s| {
            let mut s = *s;
            s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
            let mut buf = [0u8; 64];
            matches!(s.read(&mut buf), Ok(n) if buf[..n].starts_with(b"HTTP/1.1 503"))
        })
        .count();
    eprintln!(
        "cap: ulimit -n 64, 60 idle connections, {refused} answered 503; a delivery meanwhile: {during:?} in {took:?}"
    );
    drop(idle);
    std::thread::sleep(Duration::from_millis(300));
    for i in 0..20 {
        assert_eq!(deliver(l.port, &format!("after-{i}")), Some(200));
    }
    assert_running(&mut l);
    assert!(l.stderr().contains("--max-connections"), "{}", l.stderr());
    let after = records(&record)
        .iter()
        .filter(|c| c.status == Some(200))
        .count();
    assert!(after >= 20);
}

/// With a cap above what the open-file limit allows, `accept` itself fails (EMFILE): the
/// listener pauses and retries instead of exiting, a delivery waiting meanwhile is served once
/// the idle connections close, and the process never exits.
#[test]
fn running_out_of_file_descriptors_is_survived() {
    let mut l = listen(&["--max-connections", "1000"], Some(64));
    let idle: Vec<TcpStream> = (0..80).map(|_| connect(l.port)).collect();
    std::thread::sleep(Duration::from_millis(500));
    assert_running(&mut l);
    // This one waits in the kernel's backlog until descriptors free up; it is served then, or
    // answered 503 if the descriptors ran out again just when it was accepted.
    let mut waiting = connect(l.port);
    waiting
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    waiting
        .write_all(&wemeet_delivery("waiting", &now_ms().to_string(), true))
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    drop(idle);
    let waited = read_status(&mut waiting);
    assert!(matches!(waited, Some(200) | Some(503)), "{waited:?}");
    std::thread::sleep(Duration::from_millis(300));
    for i in 0..10 {
        assert_eq!(deliver(l.port, &format!("again-{i}")), Some(200));
    }
    assert_running(&mut l);
    assert!(
        l.stderr().contains("could not be accepted"),
        "{}",
        l.stderr()
    );
    eprintln!(
        "EMFILE: delivery waiting meanwhile: {waited:?}; {}",
        l.stderr().trim()
    );
}

/// With `--read-timeout 1s --keep-alive 1s`: stalled headers and a stalled small body are
/// answered 408 and closed, an idle connection (before or after a request) is closed, each
/// within its timeout plus one second; the stalled body's 408 is recorded.
#[test]
fn stalled_and_idle_connections_are_closed_within_their_timeouts() {
    let dir = temp_dir("stalls");
    let record = dir.path().join("record.jsonl");
    let l = listen(
        &[
            "--read-timeout",
            "1s",
            "--keep-alive",
            "1s",
            "--record",
            record.to_str().unwrap(),
        ],
        None,
    );
    let limit = Duration::from_millis(2000);
    let mut cases = Vec::new();
    // Slowloris: headers begun, never finished.
    let mut headers = connect(l.port);
    headers
        .write_all(b"POST /wemeet HTTP/1.1\r\nHost: x\r\nnonce: 1\r\n")
        .unwrap();
    cases.push(("stalled headers", headers, true));
    // A small body (the size of a real DingTalk delivery), 10 of its 400 bytes sent.
    let mut body = connect(l.port);
    body.write_all(b"POST /wemeet HTTP/1.1\r\nHost: x\r\nnonce: stalled\r\nContent-Length: 400\r\n\r\n{\"data\":\"")
        .unwrap();
    cases.push(("stalled small body", body, true));
    // Connected, nothing sent.
    cases.push(("silent connection", connect(l.port), false));
    // One request answered, then idle on a keep-alive connection.
    let mut kept = connect(l.port);
    kept.write_all(&wemeet_delivery("kept", &now_ms().to_string(), false))
        .unwrap();
    assert_eq!(read_status(&mut kept), Some(200));
    cases.push(("idle keep-alive", kept, false));

    let started = Instant::now();
    let handles: Vec<_> = cases
        .into_iter()
        .map(|(what, mut s, answered)| {
            std::thread::spawn(move || {
                let (closed, got) = closed_within(&mut s, limit + Duration::from_millis(500));
                (what, closed, got, answered, started.elapsed())
            })
        })
        .collect();
    for h in handles {
        let (what, closed, got, answered, took) = h.join().unwrap();
        eprintln!("stall: {what} closed after {took:?}");
        assert!(closed, "{what}: not closed within {limit:?}");
        assert!(took <= limit, "{what}: closed after {took:?}");
        if answered {
            assert!(got.starts_with("HTTP/1.1 408"), "{what}: answered {got:?}");
        }
    }
    let stalled: Vec<_> = records(&record)
        .into_iter()
        .filter(|c| c.request.header("nonce") == Some("stalled"))
        .collect();
    assert_eq!(stalled.len(), 1);
    assert_eq!(stalled[0].status, Some(408));
    assert_eq!(stalled[0].verdict["accepted"], false);
}

/// A body sent a byte now and then cannot stretch the request past `--read-timeout`.
#[test]
fn a_trickled_request_is_cut_at_the_read_timeout() {
    let l = listen(&["--read-timeout", "1s"], None);
    let mut s = connect(l.port);
    let raw = wemeet_delivery("trickle", &now_ms().to_string(), true);
    let started = Instant::now();
    let mut cut = false;
    for b in raw {
        if s.write_all(&[b]).is_err() {
            cut = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        if started.elapsed() > Duration::from_secs(3) {
            break;
        }
    }
    let (closed, got) = closed_within(&mut s, Duration::from_secs(2));
    assert!(cut || closed, "the trickled request was not cut");
    assert!(
        got.is_empty() || got.starts_with("HTTP/1.1 408"),
        "answered {got:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(4));
}

/// Headers trickled a byte every 100 ms are answered 408 when `--read-timeout` has passed since
/// their first byte: not before, and not much after (the socket's read timeout is kept from
/// one read to the next while it is close to what is left of the deadline, never far beyond).
#[test]
fn trickled_headers_are_answered_when_their_read_timeout_ends() {
    let l = listen(&["--read-timeout", "1s"], None);
    let mut s = connect(l.port);
    let mut w = s.try_clone().unwrap();
    let started = Instant::now();
    let trickle = std::thread::spawn(move || {
        let head = b"POST /wemeet HTTP/1.1\r\nHost: x\r\nx-pad: ";
        for &b in head.iter().chain(std::iter::repeat(&b'a')) {
            if w.write_all(&[b]).is_err() || started.elapsed() > Duration::from_secs(5) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while !got.ends_with(b"\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(n) if n > 0 => got.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    let took = started.elapsed();
    let got = String::from_utf8_lossy(&got);
    assert!(got.starts_with("HTTP/1.1 408"), "answered {got:?}");
    assert!(took >= Duration::from_secs(1), "cut early, after {took:?}");
    assert!(took < Duration::from_secs(2), "cut late, after {took:?}");
    drop(s);
    trickle.join().unwrap();
}

/// A request whose parts arrive further apart than `--keep-alive` (the wait for its first byte)
/// but within `--read-timeout` is served: a read timeout left from the keep-alive wait may end
/// a read early, and the read then waits for the rest of the request's own deadline.
#[test]
fn a_request_paused_longer_than_the_keep_alive_is_still_served() {
    let l = listen(&["--keep-alive", "300ms", "--read-timeout", "5s"], None);
    let raw = wemeet_delivery("paused", &now_ms().to_string(), true);
    let mut s = connect(l.port);
    for part in raw.chunks(raw.len() / 3 + 1) {
        s.write_all(part).unwrap();
        std::thread::sleep(Duration::from_millis(700));
    }
    assert_eq!(read_status(&mut s), Some(200));
}

/// A client that opens a TLS connection and stalls its handshake is closed at
/// `--tls-handshake-timeout`; the listener keeps serving HTTPS meanwhile.
#[test]
fn a_stalled_tls_handshake_is_closed() {
    let dir = temp_dir("tls");
    let Some((cert, key)) = common::tls::self_signed(dir.path(), &["-subj", "/CN=localhost"])
    else {
        eprintln!("openssl not available: skipping the TLS handshake test");
        return;
    };
    let l = listen(
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
            "--tls-handshake-timeout",
            "1s",
        ],
        None,
    );
    let started = Instant::now();
    // Nothing at all, and half a ClientHello (a record header promising 512 bytes, 5 sent).
    let silent = connect(l.port);
    let mut half = connect(l.port);
    half.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03])
        .unwrap();
    for (what, mut s) in [("silent", silent), ("half hello", half)] {
        let (closed, _) = closed_within(&mut s, Duration::from_millis(2500));
        assert!(closed, "{what}: not closed");
        assert!(
            started.elapsed() <= Duration::from_millis(2000),
            "{what}: closed after {:?}",
            started.elapsed()
        );
    }
}

/// A tmpfs of `size` mounted on a fresh directory, unmounted when dropped; `None` when this
/// test run cannot mount one (not root, no mount(8), in a container that forbids it).
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(name: &str, size: &str) -> Option<Tmpfs> {
        let dir = temp_dir(name);
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

/// On a full disk a delivery whose line cannot be written is answered 503 and leaves nothing
/// in the record; once space is freed every line of the record parses, and every delivery
/// answered 200 has its line.
#[test]
fn a_full_disk_never_tears_the_record() {
    let Some(fs) = Tmpfs::mount("full-disk", "64k") else {
        eprintln!("cannot mount a tmpfs here: skipping the full-disk test");
        return;
    };
    let record = fs.0.path().join("record.jsonl");
    let filler = fs.0.path().join("filler");
    // Leave room for a few lines only.
    std::fs::write(&filler, vec![b'x'; 60 * 1024]).unwrap();
    let l = listen(&["--record", record.to_str().unwrap()], None);
    let mut answered = Vec::new();
    let mut refused = 0;
    for i in 0..40 {
        let nonce = format!("full-{i}");
        match deliver(l.port, &nonce) {
            Some(200) => answered.push(nonce),
            Some(503) => refused += 1,
            other => panic!("{nonce}: answered {other:?}"),
        }
    }
    assert!(refused > 0, "the disk never filled up");
    std::fs::remove_file(&filler).unwrap();
    for i in 0..10 {
        let nonce = format!("freed-{i}");
        assert_eq!(deliver(l.port, &nonce), Some(200));
        answered.push(nonce);
    }
    let lines = records(&record);
    for nonce in &answered {
        assert!(
            lines
                .iter()
                .any(|c| c.request.header("nonce") == Some(nonce) && c.status == Some(200)),
            "{nonce} was answered 200 without its line"
        );
    }
    assert_eq!(
        lines.len(),
        answered.len(),
        "a refused delivery left a line"
    );
    eprintln!(
        "full disk: {} answered 200 and recorded, {refused} answered 503 and not recorded",
        answered.len()
    );
}

/// A delivery's head (without Content-Length and the blank line) and its body.
fn head_and_body(raw: &[u8]) -> (String, Vec<u8>) {
    let text = String::from_utf8(raw.to_vec()).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let head: Vec<&str> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("content-length"))
        .collect();
    (head.join("\r\n"), body.as_bytes().to_vec())
}

/// Each ambiguous framing (RFC 9112 §6) is answered 400 and the connection closed; the request
/// hidden in its body is neither answered nor recorded.
#[test]
fn ambiguous_framing_is_refused_and_nothing_is_smuggled() {
    let dir = temp_dir("framing");
    let record = dir.path().join("record.jsonl");
    let l = listen(&["--record", record.to_str().unwrap()], None);
    let smuggled = wemeet_delivery("smuggled", &now_ms().to_string(), false);
    let n = smuggled.len();
    let head = "POST /wemeet HTTP/1.1\r\nHost: x\r\nnonce: outer\r\n";
    let cases: Vec<(&str, String)> = vec![
        (
            "Content-Length with Transfer-Encoding",
            format!("{head}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ),
        (
            "two different Content-Lengths",
            format!("{head}Content-Length: 0\r\nContent-Length: {n}\r\n\r\n"),
        ),
        ("N,N Content-Length", format!("{head}Content-Length: 0,0\r\n\r\n")),
        ("0xN Content-Length", format!("{head}Content-Length: 0x0\r\n\r\n")),
        ("xchunked", format!("{head}Transfer-Encoding: xchunked\r\n\r\n")),
        (
            "chunked, identity",
            format!("{head}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
        ),
        (
            "\\tchunked with Content-Length",
            format!("{head}Content-Length: 0\r\nTransfer-Encoding:\tchunked\r\n\r\n"),
        ),
        (
            "folded Transfer-Encoding",
            format!("{head}Content-Length: 0\r\nX-A: b\r\n Transfer-Encoding: chunked\r\n\r\n"),
        ),
        (
            "Transfer-Encoding in HTTP/1.0",
            "POST /wemeet HTTP/1.0\r\nHost: x\r\nnonce: outer\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                .to_string(),
        ),
    ];
    for (what, raw) in cases {
        let mut s = connect(l.port);
        let mut bytes = raw.into_bytes();
        bytes.extend_from_slice(&smuggled);
        s.write_all(&bytes).unwrap();
        let (closed, got) = closed_within(&mut s, Duration::from_secs(3));
        assert!(closed, "{what}: the connection stayed open");
        assert!(
            got.starts_with("HTTP/1.") && got.split_whitespace().nth(1) == Some("400"),
            "{what}: answered {got:?}"
        );
        assert_eq!(got.matches("HTTP/1.").count(), 1, "{what}: {got:?}");
    }
    assert_eq!(deliver(l.port, "last"), Some(200));
    let lines = records(&record);
    assert_eq!(lines.len(), 1, "only the last delivery is recorded");
    assert_eq!(lines[0].request.header("nonce"), Some("last"));
}

/// A valid chunked body with chunk extensions and a trailer is served, and the request after it
/// on the same connection too.
#[test]
fn chunked_bodies_with_extensions_and_trailers_are_served() {
    let dir = temp_dir("chunked");
    let record = dir.path().join("record.jsonl");
    let l = listen(&["--record", record.to_str().unwrap()], None);
    let (head, body) = head_and_body(&wemeet_delivery("chunked", &now_ms().to_string(), false));
    let (first, second) = body.split_at(body.len() / 2);
    let mut raw = format!("{head}\r\nTransfer-Encoding: chunked\r\n\r\n").into_bytes();
    raw.extend_from_slice(format!("{:x};ext=1\r\n", first.len()).as_bytes());
    raw.extend_from_slice(first);
    raw.extend_from_slice(format!("\r\n{:X} ; a=\"b\"\r\n", second.len()).as_bytes());
    raw.extend_from_slice(second);
    raw.extend_from_slice(b"\r\n0\r\nX-Checksum: 1\r\n\r\n");
    raw.extend_from_slice(&wemeet_delivery("next", &now_ms().to_string(), true));
    let mut s = connect(l.port);
    s.write_all(&raw).unwrap();
    let got = read_all(&mut s);
    assert_eq!(got.matches("HTTP/1.1 200").count(), 2, "{got:?}");
    let lines = records(&record);
    let chunked = lines
        .iter()
        .find(|c| c.request.header("nonce") == Some("chunked"))
        .expect("the chunked delivery is recorded");
    assert_eq!(chunked.request.body, body);
    assert_eq!(chunked.status, Some(200));
    assert!(
        lines
            .iter()
            .any(|c| c.request.header("nonce") == Some("next"))
    );
}

/// A body cut short of its Content-Length (the client closes its side) is answered 400 and
/// recorded as rejected with what arrived, never verified.
#[test]
fn a_truncated_body_is_refused_and_recorded_as_such() {
    let dir = temp_dir("truncated");
    let record = dir.path().join("record.jsonl");
    let l = listen(&["--record", record.to_str().unwrap()], None);
    let (head, body) = head_and_body(&wemeet_delivery("cut", &now_ms().to_string(), false));
    for (nonce, declared) in [("cut", body.len() + 50), ("cut-large", body.len() + 5000)] {
        let head = head.replace("nonce: cut", &format!("nonce: {nonce}"));
        let mut s = connect(l.port);
        s.write_all(format!("{head}\r\nContent-Length: {declared}\r\n\r\n").as_bytes())
            .unwrap();
        s.write_all(&body).unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        let got = read_all(&mut s);
        assert!(got.starts_with("HTTP/1.1 400"), "{nonce}: answered {got:?}");
        assert!(got.contains("Connection: close"), "{got:?}");
        assert!(got.contains("body shorter than Content-Length"), "{got:?}");
    }
    let lines = records(&record);
    assert_eq!(lines.len(), 2);
    for c in lines {
        assert_eq!(c.status, Some(400));
        assert_eq!(c.verdict["accepted"], false);
        assert!(
            c.errors
                .iter()
                .any(|e| e.contains("body shorter than Content-Length")),
            "{:?}",
            c.errors
        );
        assert_eq!(c.request.body, body);
    }
}

/// Requests that arrive while the listener stops (after SIGTERM, or past `--exit-after`) are
/// answered 503 and recorded as not processed.
#[test]
fn shutdown_answers_are_recorded() {
    for stop in ["sigterm", "exit-after"] {
        let dir = temp_dir(stop);
        let record = dir.path().join("record.jsonl");
        let mut args = vec!["--record", record.to_str().unwrap(), "--delay", "1s"];
        if stop == "exit-after" {
            args.extend(["--exit-after", "1"]);
        }
        let mut l = listen(&args, None);
        let port = l.port;
        let first = std::thread::spawn(move || deliver(port, "first"));
        std::thread::sleep(Duration::from_millis(300));
        if stop == "sigterm" {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(l.child.id() as libc::pid_t, libc::SIGTERM) };
            std::thread::sleep(Duration::from_millis(100));
        }
        assert_eq!(deliver(port, "late"), Some(503), "{stop}");
        assert_eq!(first.join().unwrap(), Some(200), "{stop}");
        assert_eq!(l.wait(Duration::from_secs(10)), 0, "{stop}: {}", l.stderr());
        let lines = records(&record);
        let late = lines
            .iter()
            .find(|c| c.request.header("nonce") == Some("late"))
            .unwrap_or_else(|| panic!("{stop}: the 503 was not recorded"));
        assert_eq!(late.status, Some(503));
        assert_eq!(late.verdict["accepted"], false);
        assert_eq!(
            late.errors,
            vec!["not processed: shutting down".to_string()]
        );
        assert!(!late.request.body.is_empty());
    }
}
