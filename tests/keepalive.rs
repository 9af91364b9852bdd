//! Keep-alive clients against `cbkit listen` (the real binary, 127.0.0.1 only). A vendor's
//! sender may keep its connections open; every request on every connection must then be
//! answered within its deadline, however many connections arrive at once.
//!
//! Regression test for tiny_http's connection pool (third_party/tiny_http, patch 4): it queued a
//! new connection behind a pool thread that had already been handed another one, so when a burst
//! of connections arrived the last ones were not read until some earlier connection closed, and
//! their requests missed the sender's deadline although the listener later answered and
//! recorded them.

mod common;
use cbkit::protocol::VendorId;
use common::{Listen, json_out, now_ms, secret_args, wemeet_delivery};

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// `cbkit listen --vendor wemeet -q --record RECORD ARGS` (no token: answered, not verified).
fn listen(record: &std::path::Path, args: &[String]) -> Listen {
    let record = record.to_str().unwrap();
    let mut all = vec!["--vendor", "wemeet", "-q", "--record", record];
    all.extend(args.iter().map(String::as_str));
    Listen::start(&all)
}

/// One keep-alive delivery (no `Connection: close`).
fn delivery(nonce: &str) -> Vec<u8> {
    wemeet_delivery(nonce, &now_ms().to_string(), false)
}

/// Read one whole response (head and Content-Length body) by `deadline`; its status, or why not.
fn read_response(s: &mut TcpStream, deadline: Instant) -> Result<u16, String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut fill = |s: &mut TcpStream, buf: &mut Vec<u8>| -> Result<(), String> {
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or("no answer within the deadline")?;
        s.set_read_timeout(Some(left)).unwrap();
        match s.read(&mut chunk) {
            Ok(0) => Err("connection closed without an answer".into()),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                Ok(())
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Err("no answer within the deadline".into())
            }
            Err(e) => Err(e.to_string()),
        }
    };
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        fill(s, &mut buf)?;
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not a response: {head:?}"))?;
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .ok_or_else(|| format!("no Content-Length: {head:?}"))?;
    while buf.len() < head_end + len {
        fill(s, &mut buf)?;
    }
    assert_eq!(buf.len(), head_end + len, "nothing sent ahead of a request");
    Ok(status)
}

/// `conns` connections opened at once, `per_conn` deliveries on each, every one answered within
/// `deadline`; all connections stay open until every client is done, so a connection left
/// unread is not rescued by another one closing. Returns the failures.
fn burst(
    port: u16,
    round: usize,
    conns: usize,
    per_conn: usize,
    deadline: Duration,
) -> Vec<String> {
    let streams: Vec<TcpStream> = (0..conns)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    let start = Arc::new(Barrier::new(conns));
    let done = Arc::new(Barrier::new(conns));
    let clients: Vec<_> = streams
        .into_iter()
        .enumerate()
        .map(|(c, mut s)| {
            let (start, done) = (start.clone(), done.clone());
            std::thread::spawn(move || {
                start.wait();
                let mut failures = Vec::new();
                for i in 0..per_conn {
                    let nonce = format!("r{round}c{c}n{i}");
                    let sent = Instant::now();
                    let res = s
                        .write_all(&delivery(&nonce))
                        .map_err(|e| e.to_string())
                        .and_then(|()| read_response(&mut s, sent + deadline));
                    match res {
                        Ok(200) => {}
                        Ok(status) => failures.push(format!("{nonce}: answered {status}")),
                        Err(why) => {
                            failures.push(format!("{nonce}: {why}"));
                            break;
                        }
                    }
                }
                done.wait();
                drop(s);
                failures
            })
        })
        .collect();
    clients
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect()
}

#[test]
fn bursts_of_keep_alive_connections_are_all_answered_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    let l = listen(&rec, &[]);
    let (per_conn, deadline) = (4, Duration::from_millis(1500));
    let mut failures = Vec::new();
    let mut sent = 0;
    // Each burst is larger than the connection threads left idle by the one before.
    for (round, conns) in [24, 48, 96].into_iter().enumerate() {
        failures.extend(burst(l.port, round, conns, per_conn, deadline));
        sent += conns * per_conn;
    }
    assert!(
        failures.is_empty(),
        "{} of {sent} keep-alive deliveries failed: {:?}\nstderr: {}",
        failures.len(),
        &failures[..failures.len().min(10)],
        l.stderr()
    );
    // Every answered delivery was recorded before it was answered.
    let lines = std::fs::read_to_string(&rec).unwrap().lines().count();
    assert_eq!(lines, sent);
}

/// `cbkit replay` keeps its connections alive: at concurrency, against `cbkit listen`, every
/// delivery is answered in time and recorded once.
#[test]
fn replay_at_concurrency_loses_no_reply() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    let secrets = secret_args(VendorId::Wemeet);
    let l = listen(&rec, &secrets);
    let url = format!("http://127.0.0.1:{}/", l.port);
    let count = 600;
    let out = json_out(
        common::cbkit()
            .args(["replay", "wemeet/meeting.created", "--url", &url, "--json"])
            .args(["--count", &count.to_string(), "--concurrency", "48"])
            .args(&secrets),
    );
    assert_eq!(out["accepted"], count, "{out}");
    assert_eq!(out["rejected"], 0, "{out}");
    let lines = std::fs::read_to_string(&rec).unwrap().lines().count();
    assert_eq!(lines, count);
}
