//! `cbkit listen` under hostile clients, on 127.0.0.1 only: malformed request lines and headers,
//! invalid UTF-8, a huge header, a 100 MiB body, byte-a-second clients, 1,000 simultaneous
//! connections, disconnects mid-body, sustained load with SIGTERM mid-run, duplicate deliveries
//! and stale timestamps. The listener must stay up, keep answering others, and record every
//! request that reaches it, with its verdict; no answered request may be lost from the record.

mod common;
use common::{Listen, now_ms, wemeet_delivery};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cbkit::capture::Capture;

/// `cbkit listen --vendor wemeet ARGS`, which binds loopback by default.
fn listen(args: &[&str]) -> Listen {
    let l = Listen::start(&[&["--vendor", "wemeet"], args].concat());
    assert!(
        l.url.starts_with("http://127.0.0.1:"),
        "binds loopback by default: {}",
        l.url
    );
    l
}

impl Listen {
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }

    fn sigterm(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// A well-formed delivery is still answered 200, promptly.
    fn still_serves(&self, nonce: &str) {
        let start = Instant::now();
        let got = exchange(self.port, &delivery(nonce));
        assert_eq!(
            got,
            Some(200),
            "listener stopped serving ({got:?}); stderr:\n{}",
            self.stderr()
        );
        assert!(start.elapsed() < Duration::from_secs(3));
    }
}

/// A Tencent Meeting event delivery (unsigned: no token configured), identified by `nonce`,
/// which is also the event's unique_sequence.
fn delivery(nonce: &str) -> Vec<u8> {
    delivery_at(nonce, &now_ms().to_string())
}

fn delivery_at(nonce: &str, timestamp: &str) -> Vec<u8> {
    wemeet_delivery(nonce, timestamp, true)
}

const STRICT_TOKEN: &str = "hostileTestToken42";

/// [`delivery`] signed with [`STRICT_TOKEN`] (Tencent Meeting: sorted sha1 over the data).
fn signed_delivery(nonce: &str) -> Vec<u8> {
    let raw = String::from_utf8(delivery(nonce)).unwrap();
    let ts = raw
        .lines()
        .find_map(|l| l.strip_prefix("timestamp: "))
        .unwrap()
        .to_string();
    let data = raw
        .split("\"data\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let sig = cbkit::crypto::sorted_sha1(&[STRICT_TOKEN, &ts, nonce, data]);
    raw.replace("signature: 0\r\n", &format!("signature: {sig}\r\n"))
        .into_bytes()
}

/// Send raw bytes; the answer's status, or None when the connection closed without one.
fn exchange(port: u16, raw: &[u8]) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(raw).ok()?;
    read_status(&mut s)
}

fn read_status(s: &mut TcpStream) -> Option<u16> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(2).any(|w| w == b"\r\n") {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The record file's lines; every one must be a whole capture line.
fn records(path: &std::path::Path) -> Vec<Capture> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "torn last line in the record"
    );
    text.lines()
        .map(|l| cbkit::capture::parse_line(l).unwrap_or_else(|e| panic!("torn line {l:?}: {e}")))
        .collect()
}

fn nonce_of(c: &Capture) -> Option<String> {
    c.request.header("nonce").map(str::to_string)
}

#[test]
fn malformed_request_lines_headers_and_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    let l = listen(&["--record", rec.to_str().unwrap()]);
    // Rejected by the HTTP layer (400 or a closed connection): they never reach cbkit.
    let transport: Vec<&[u8]> = vec![
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"\r\n\r\n\r\n",
        b"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n",
        b"GET / HTTP/1.1\r\nX-Bad: \xff\xfe\xfd\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\n\r\n",
        b"\x00\x01\x02\x03\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", // a TLS ClientHello on plain HTTP
    ];
    for raw in &transport {
        if let Some(status) = exchange(l.port, raw) {
            assert!(
                (400..600).contains(&status),
                "{:?} answered {status}",
                String::from_utf8_lossy(raw)
            );
        }
    }
    // Reach cbkit and are answered (and recorded) with what is wrong with them.
    let bodies: Vec<&[u8]> = vec![
        b"\xff\xfe\x00 not utf-8",
        b"{\"data\":\"\xff\xfe\"}",
        b"{\"data\":\"!!!not base64!!!\"}",
        b"{\"data\":123}",
        b"{\"data\":\"",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        b"",
    ];
    for (i, body) in bodies.iter().enumerate() {
        let mut raw = format!(
            "POST /wemeet?x=%ff%fe HTTP/1.1\r\nHost: x\r\ntimestamp: 1\r\nnonce: bad{i}\r\nsignature: s\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        raw.extend_from_slice(body);
        let status = exchange(l.port, &raw).expect("cbkit answers a bad body");
        assert_eq!(status, 400, "{:?}", String::from_utf8_lossy(body));
    }
    l.still_serves("after-malformed");
    // Every request that reached cbkit has one whole line with its verdict and reason (some of
    // the transport-level ones above do reach it, e.g. a negative Content-Length as no body).
    let caps = records(&rec);
    for c in &caps {
        assert!(
            c.status.is_some() && c.verdict.contains_key("accepted"),
            "{c:?}"
        );
    }
    for (i, body) in bodies.iter().enumerate() {
        let nonce = format!("bad{i}");
        let mine: Vec<&Capture> = caps
            .iter()
            .filter(|c| nonce_of(c).as_deref() == Some(nonce.as_str()))
            .collect();
        assert_eq!(mine.len(), 1, "{nonce}");
        assert_eq!(mine[0].verdict["accepted"], false, "{:?}", mine[0]);
        assert_eq!(mine[0].status, Some(400));
        assert!(!mine[0].errors.is_empty(), "the reason is recorded");
        // Kept byte for byte (base64 in the capture when not UTF-8).
        assert_eq!(mine[0].request.body, *body);
    }
}

#[test]
fn huge_header_and_header_flood() {
    let l = listen(&[]);
    // One 1 MiB header value.
    let mut raw = b"GET /wemeet HTTP/1.1\r\nHost: x\r\nX-Huge: ".to_vec();
    raw.extend(std::iter::repeat_n(b'a', 1 << 20));
    raw.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
    let status = exchange(l.port, &raw);
    assert!(status.is_none_or(|s| (400..500).contains(&s)), "{status:?}");
    // Ten thousand small headers.
    let mut raw = b"GET /wemeet HTTP/1.1\r\nHost: x\r\n".to_vec();
    for i in 0..10_000 {
        raw.extend_from_slice(format!("X-H{i}: v\r\n").as_bytes());
    }
    raw.extend_from_slice(b"Connection: close\r\n\r\n");
    let status = exchange(l.port, &raw);
    assert!(status.is_none_or(|s| (400..500).contains(&s)), "{status:?}");
    l.still_serves("after-huge-header");
}

/// The longest request or header line the listener reads, `\r` included (tiny_http patch 3).
const MAX_LINE: usize = 64 * 1024;

#[test]
fn lines_cut_anywhere_and_at_the_length_limit() {
    let l = listen(&["--strict", "--token", STRICT_TOKEN]);
    // Every line's `\r` and `\n` in separate packets, and the request line cut mid-word: the
    // header block is read a buffer at a time, and a line's end may straddle two of them.
    let raw = signed_delivery("cut-anywhere");
    let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    s.set_nodelay(true).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut cuts: Vec<usize> = (0..raw.len())
        .filter(|&i| raw[i] == b'\r')
        .map(|i| i + 1)
        .collect();
    cuts.insert(0, 3);
    let mut from = 0;
    for to in cuts.into_iter().chain([raw.len()]) {
        s.write_all(&raw[from..to]).unwrap();
        s.flush().unwrap();
        std::thread::sleep(Duration::from_millis(15));
        from = to;
    }
    assert_eq!(read_status(&mut s), Some(200), "{}", l.stderr());
    // A header line of exactly MAX_LINE bytes before its `\n` is read; one byte more is not.
    let padded = |len: usize| {
        let raw = String::from_utf8(signed_delivery(&format!("pad{len}"))).unwrap();
        let pad = format!("X-Pad: {}\r\n", "p".repeat(len - "X-Pad: \r".len()));
        raw.replacen("\r\n", &format!("\r\n{pad}"), 1).into_bytes()
    };
    assert_eq!(
        exchange(l.port, &padded(MAX_LINE)),
        Some(200),
        "{}",
        l.stderr()
    );
    let over = exchange(l.port, &padded(MAX_LINE + 1));
    assert!(over.is_none_or(|s| (400..500).contains(&s)), "{over:?}");
    // A lone `\n` does not end a line: it stays in the header's value, which is then refused
    // (were it a line end, this would be two good headers and a 200).
    let bare = String::from_utf8(signed_delivery("bare-lf"))
        .unwrap()
        .replacen("\r\n", "\r\nX-Odd: a\nX-Even: b\r\n", 1);
    let status = exchange(l.port, bare.as_bytes());
    assert_eq!(status, Some(400), "a bare LF ended a header line");
    let after = exchange(l.port, &signed_delivery("after-cuts"));
    assert_eq!(after, Some(200), "{}", l.stderr());
}

#[test]
fn hundred_mib_body_is_413_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    let l = listen(&["--record", rec.to_str().unwrap()]);
    let before = l.rss_kib();
    // Declared with Content-Length: answered from the header alone.
    let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"POST /wemeet HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n")
        .unwrap();
    s.write_all(&vec![b'x'; 64 * 1024]).unwrap();
    assert_eq!(read_status(&mut s), Some(413));
    drop(s);
    // Chunked, no length: read up to --max-body, then 413, while the client keeps sending.
    let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"POST /wemeet HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        .unwrap();
    let writer = {
        let mut s = s.try_clone().unwrap();
        std::thread::spawn(move || {
            let chunk = vec![b'y'; 1 << 20];
            let mut sent = 0usize;
            // Up to 100 MiB, stopping when the listener closes the connection.
            while sent < 100 << 20 {
                let head = format!("{:x}\r\n", chunk.len());
                if s.write_all(head.as_bytes()).is_err()
                    || s.write_all(&chunk).is_err()
                    || s.write_all(b"\r\n").is_err()
                {
                    break;
                }
                sent += chunk.len();
            }
            sent
        })
    };
    assert_eq!(read_status(&mut s), Some(413));
    let _ = s.shutdown(Shutdown::Both);
    let sent = writer.join().unwrap();
    let grew = l.rss_kib().saturating_sub(before);
    assert!(
        grew < 40 * 1024,
        "listener memory grew by {grew} KiB after {sent} bytes sent"
    );
    l.still_serves("after-100mib");
    let caps = records(&rec);
    assert_eq!(caps.iter().filter(|c| c.status == Some(413)).count(), 2);
    assert!(caps.iter().all(|c| c.request.body.len() <= 1 << 20));
}

#[test]
fn byte_a_second_clients_do_not_stop_others() {
    let l = listen(&["--read-timeout", "30s"]);
    let stop = Arc::new(AtomicBool::new(false));
    let mut tricklers = Vec::new();
    for i in 0..16 {
        let stop = stop.clone();
        let port = l.port;
        tricklers.push(std::thread::spawn(move || {
            let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
                return;
            };
            // Half trickle the head, half the body: one byte a second, never finishing here.
            let raw = if i % 2 == 0 {
                delivery(&format!("slow{i}"))
            } else {
                b"POST /wemeet HTTP/1.1\r\nContent-Length: 100\r\n\r\n{{{{{{{{{{{{{{".to_vec()
            };
            for b in raw {
                if stop.load(Ordering::SeqCst) || s.write_all(&[b]).is_err() {
                    return;
                }
                let t = Instant::now();
                while t.elapsed() < Duration::from_secs(1) && !stop.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }));
    }
    std::thread::sleep(Duration::from_millis(300));
    for i in 0..30 {
        l.still_serves(&format!("fast{i}"));
    }
    stop.store(true, Ordering::SeqCst);
    for t in tricklers {
        t.join().unwrap();
    }
}

#[test]
fn thousand_simultaneous_connections() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    let l = listen(&["--record", rec.to_str().unwrap(), "--workers", "8"]);
    // Open all 1,000 first, then send on each, then read every answer.
    let mut conns: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(("127.0.0.1", l.port)).expect("connect"))
        .collect();
    l.still_serves("while-1000-open");
    for (i, c) in conns.iter_mut().enumerate() {
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        c.write_all(&delivery(&format!("c{i}"))).unwrap();
    }
    let ok = conns
        .iter_mut()
        .map(read_status)
        .filter(|s| *s == Some(200))
        .count();
    assert_eq!(ok, 1000, "stderr:\n{}", l.stderr());
    let caps = records(&rec);
    assert_eq!(caps.len(), 1001);
}

/// Bodies over 1 KiB are read by cbkit and the cut is recorded (400/408). tiny_http reads
/// bodies of 1 KiB or less itself before handing the request over, and drops the connection
/// when such a body is cut: those never reach cbkit, were never answered, and are not recorded.
#[test]
fn abrupt_disconnects_mid_body_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    let l = listen(&["--record", rec.to_str().unwrap(), "--read-timeout", "2s"]);
    for i in 0..20 {
        let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
        let _ = s.write_all(
            format!(
                "POST /wemeet HTTP/1.1\r\nHost: x\r\nnonce: cut{i}\r\nContent-Length: 100000\r\n\r\n{{\"data\":\"eyJ"
            )
            .as_bytes(),
        );
        if i % 2 == 0 {
            // Reset instead of a clean close.
            let _ = socket_linger_zero(&s);
        }
        drop(s);
    }
    for i in 0..5 {
        let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
        let _ = s.write_all(
            b"POST /wemeet HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"data\":\"eyJ",
        );
        if i % 2 == 0 {
            let _ = socket_linger_zero(&s);
        }
    }
    l.still_serves("after-cuts");
    // Resets used to panic tiny_http's connection threads and starve its pool (patched).
    assert!(!l.stderr().contains("internal error"), "{}", l.stderr());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let caps = records(&rec);
        let cut: Vec<&Capture> = caps
            .iter()
            .filter(|c| nonce_of(c).is_some_and(|n| n.starts_with("cut")))
            .collect();
        if cut.len() == 20 {
            for c in cut {
                assert_eq!(c.verdict["accepted"], false);
                assert!(matches!(c.status, Some(400 | 408)), "{c:?}");
                assert!(c.errors[0].contains("body"), "{:?}", c.errors);
            }
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} of 20 cut requests recorded",
            cut.len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SO_LINGER 0: closing sends RST, as a crashed client's kernel does.
fn socket_linger_zero(s: &TcpStream) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    #[repr(C)]
    struct Linger {
        l_onoff: i32,
        l_linger: i32,
    }
    unsafe extern "C" {
        fn setsockopt(fd: i32, level: i32, name: i32, val: *const Linger, len: u32) -> i32;
    }
    const SOL_SOCKET: i32 = 1;
    const SO_LINGER: i32 = 13;
    let l = Linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket fd and a correctly sized, live struct.
    let rc = unsafe {
        setsockopt(
            s.as_raw_fd(),
            SOL_SOCKET,
            SO_LINGER,
            &l,
            std::mem::size_of::<Linger>() as u32,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// `total` deliveries over `conns` connections, SIGTERM after `term_after` answers: every
/// delivery answered 2xx has exactly one record line, and no line is torn.
fn load_then_sigterm(total: usize, conns: usize, term_after: usize) {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    let mut l = listen(&["--record", rec.to_str().unwrap(), "--workers", "8", "-q"]);
    let next = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let ok: Arc<Mutex<Vec<String>>> = Arc::default();
    let port = l.port;
    let clients: Vec<_> = (0..conns)
        .map(|_| {
            let (next, answered, ok) = (next.clone(), answered.clone(), ok.clone());
            std::thread::spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= total {
                        return;
                    }
                    let nonce = format!("load{i}");
                    match exchange(port, &delivery(&nonce)) {
                        Some(s) if (200..300).contains(&s) => {
                            ok.lock().unwrap().push(nonce);
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        Some(_) => {}
                        // Refused or closed: the listener is gone after SIGTERM.
                        None => {}
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while answered.load(Ordering::SeqCst) < term_after {
        assert!(Instant::now() < deadline, "load too slow");
        std::thread::sleep(Duration::from_millis(5));
    }
    l.sigterm();
    for c in clients {
        c.join().unwrap();
    }
    assert_eq!(l.wait(Duration::from_secs(20)), 0, "{}", l.stderr());
    let ok = ok.lock().unwrap().clone();
    let caps = records(&rec);
    let mut lines = std::collections::HashMap::<String, usize>::new();
    for c in &caps {
        *lines.entry(nonce_of(c).unwrap()).or_default() += 1;
    }
    let lost: Vec<&String> = ok.iter().filter(|n| !lines.contains_key(*n)).collect();
    let doubled: Vec<(&String, &usize)> = lines.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        lost.is_empty(),
        "{} answered 2xx but not recorded",
        lost.len()
    );
    assert!(doubled.is_empty(), "recorded twice: {doubled:?}");
    assert!(ok.len() >= term_after, "{} answered", ok.len());
    eprintln!(
        "load: {} sent, {} answered 2xx, {} recorded, 0 lost, SIGTERM after {term_after}",
        total,
        ok.len(),
        caps.len()
    );
    assert!(l.stderr().contains("requests,"), "summary: {}", l.stderr());
    let _ = l.stdout();
}

#[test]
fn load_with_sigterm_mid_run_loses_nothing() {
    load_then_sigterm(3_000, 32, 1_500);
}

/// The full-size run: `cargo test --release --test hostile -- --ignored full_load`.
#[test]
#[ignore = "full-size load (20,000 requests at 64 connections); run with --ignored"]
fn full_load_20000_at_64_with_sigterm_loses_nothing() {
    load_then_sigterm(20_000, 64, 15_000);
}

#[test]
fn duplicate_deliveries_are_flagged_as_possible_replays() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    let l = listen(&["--record", rec.to_str().unwrap()]);
    assert_eq!(exchange(l.port, &delivery("dup1")), Some(200));
    // The same request again: answered (not --strict), flagged.
    assert_eq!(exchange(l.port, &delivery("dup1")), Some(200));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !l.stdout().contains("possible replay attack") {
        assert!(Instant::now() < deadline, "no warning:\n{}", l.stdout());
        std::thread::sleep(Duration::from_millis(20));
    }
    let caps = records(&rec);
    assert_eq!(caps[0].verdict["accepted"], true);
    assert_eq!(caps[1].verdict["replay"], false);
    assert!(
        caps[1].errors[0].contains("possible replay attack"),
        "{:?}",
        caps[1].errors
    );
    drop(l);

    // --strict rejects the replay with 409; a retry of a failed delivery is only a note.
    // (--strict refuses unsigned requests, so these carry the token's signature.)
    let l = listen(&["--strict", "--fail-first", "1", "--token", STRICT_TOKEN]);
    let signed = signed_delivery("dup2");
    assert_eq!(exchange(l.port, &signed), Some(500));
    assert_eq!(exchange(l.port, &signed), Some(200));
    assert_eq!(exchange(l.port, &signed), Some(409));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !(l.stdout().contains("a retry") && l.stdout().contains("→ 409")) {
        assert!(Instant::now() < deadline, "{}", l.stdout());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn stale_timestamps_fail_the_max_skew_window() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    let l = listen(&["--record", rec.to_str().unwrap(), "--max-skew", "60s"]);
    assert_eq!(
        exchange(l.port, &delivery_at("old", "1609239040864")),
        Some(200)
    );
    assert_eq!(exchange(l.port, &delivery("fresh")), Some(200));
    let caps = records(&rec);
    assert_eq!(caps[0].verdict["timestamp"], false);
    assert!(
        caps[0].errors[0].contains("stale or replayed"),
        "{:?}",
        caps[0].errors
    );
    assert_eq!(caps[1].verdict["timestamp"], true);
    drop(l);
    // Default for Tencent Meeting: no window, so an old capture still verifies.
    let l = listen(&["--record", rec.to_str().unwrap()]);
    assert_eq!(
        exchange(l.port, &delivery_at("old2", "1609239040864")),
        Some(200)
    );
    let caps = records(&rec);
    assert!(caps[2].verdict.get("timestamp").is_none());
}

/// A reader that goes away (`cbkit listen | head -1`) must not stop the listener: the banner and
/// blocks are written without panicking on a closed stdout.
#[test]
fn closed_stdout_does_not_stop_the_listener() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cbkit"))
        .args(["listen", "--port", "0", "--vendor", "wemeet"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    {
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut first).unwrap();
    } // stdout closed here
    let port: u16 = first.trim().rsplit(':').next().unwrap().parse().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    for i in 0..3 {
        assert_eq!(exchange(port, &delivery(&format!("closed{i}"))), Some(200));
    }
    assert!(child.try_wait().unwrap().is_none(), "the listener exited");
    let _ = child.kill();
    let _ = child.wait();
}

/// A forged request (bad signature) carrying an event id does not make the genuine delivery of
/// that event look like a replay.
#[test]
fn forged_requests_do_not_poison_replay_detection() {
    use cbkit::protocol::{Kind, Now, Secrets, VendorId};
    const TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    let l = listen(&["--record", rec.to_str().unwrap(), "--token", TOKEN]);
    let plain = br#"{"event":"meeting.created","unique_sequence":"evt-forged"}"#;
    let secrets = Secrets {
        token: Some(cbkit::secret::Secret::new(TOKEN)),
        ..Secrets::default()
    };
    let v = VendorId::Wemeet.vendor();
    let genuine = v
        .seal(plain, Kind::Event, &secrets, &v.stamp(Now::system()))
        .unwrap();
    let mut forged = genuine.clone();
    for (k, val) in &mut forged.headers {
        if k.eq_ignore_ascii_case("signature") {
            *val = "0".repeat(40);
        }
    }
    assert_eq!(exchange(l.port, &forged.to_raw("x")), Some(200));
    assert_eq!(exchange(l.port, &genuine.to_raw("x")), Some(200));
    let caps = records(&rec);
    assert_eq!(caps[0].verdict["signature"], false);
    assert_eq!(caps[1].verdict["accepted"], true, "{:?}", caps[1]);
    // The genuine one again is the replay.
    assert_eq!(exchange(l.port, &genuine.to_raw("x")), Some(200));
    assert_eq!(records(&rec)[2].verdict["replay"], false);
}
