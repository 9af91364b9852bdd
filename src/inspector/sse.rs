//! The live list: one server-sent-events stream per open page. Each stream runs on its own
//! connection's thread (never a `--workers` permit or a CPU slot), waits on the store without
//! polling, and writes every new request's summary as one event, all that arrived at once in
//! one write. At most `MAX_STREAMS` are open at once, and each ends when its page goes away (the
//! next write fails; a comment is written every 15 s of quiet to find out), when its page stops
//! reading (what is written must be taken within `STALLED_AFTER`, so a frozen tab or a client
//! that never reads gives its slot back), or when the inspector closes.

use std::io::Write;
use std::time::{Duration, Instant};

use super::{Inspector, api};

/// How long a stream waits before it looks whether the inspector closed.
const WAIT: Duration = Duration::from_secs(1);

/// How long one write may wait for a page that reads nothing before the stream ends. The
/// kernel's socket buffers (hundreds of KiB at least) absorb a page that is merely slow, so a
/// write waits only once they are full: the page is that far behind and does not catch up. It
/// bounds each socket write (a socket option) and each batch of events as a whole (`send`),
/// since a stalled peer's kernel still takes a little now and then.
const STALLED_AFTER: Duration = Duration::from_secs(2);

/// How long a stream stays quiet before it writes a comment, to find out the page left.
const PING_EVERY: Duration = Duration::from_secs(15);

/// Serve `rq` as an event stream of the requests after `after` (default: from now on).
pub fn stream(inspector: &Inspector, rq: tiny_http::Request, after: Option<u64>) {
    let store = inspector.store();
    let _subscribed = store.subscribe();
    let mut last = after.unwrap_or_else(|| store.last_id());
    // The stream owns the connection until it ends: nothing after it is read.
    rq.close_connection();
    rq.set_write_timeout(Some(STALLED_AFTER));
    let mut w = rq.into_writer();
    let mut head = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nConnection: close\r\n",
    );
    for (k, v) in super::page::security_headers() {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\nretry: 1000\n\n");
    if send(&mut w, head.as_bytes(), Instant::now() + STALLED_AFTER).is_err() {
        return;
    }
    let mut quiet_since = Instant::now();
    while !store.is_closed() {
        let mut new = store.wait_after(last, WAIT);
        inspector.reopen(&mut new);
        let mut chunk = String::new();
        for e in &new {
            chunk.push_str(&event(e.id, &api::summary(e)));
            last = e.id;
        }
        if chunk.is_empty() {
            if quiet_since.elapsed() < PING_EVERY {
                continue;
            }
            chunk.push_str(": still here\n\n");
        }
        if send(&mut w, chunk.as_bytes(), Instant::now() + STALLED_AFTER).is_err() {
            return;
        }
        quiet_since = Instant::now();
    }
}

/// Write all of `bytes` and flush, or fail once `deadline` has passed with some still unsent
/// (each write itself returns by the socket's write timeout).
fn send(w: &mut impl Write, mut bytes: &[u8], deadline: Instant) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    while !bytes.is_empty() {
        match w.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        if !bytes.is_empty() && Instant::now() >= deadline {
            return Err(Error::new(ErrorKind::TimedOut, "the page reads too little"));
        }
    }
    w.flush()
}

/// One `request` event: its id (the page resumes from it) and the summary on one data line.
fn event(id: u64, summary: &serde_json::Value) -> String {
    format!("id: {id}\nevent: request\ndata: {summary}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A peer that takes at most `per_write` bytes at a time.
    struct Trickle {
        taken: Vec<u8>,
        per_write: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.per_write);
            self.taken.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_batch_taken_in_pieces_before_the_deadline_is_sent_whole() {
        let mut w = Trickle {
            taken: Vec::new(),
            per_write: 3,
        };
        let later = Instant::now() + Duration::from_secs(60);
        send(&mut w, b"0123456789", later).unwrap();
        assert_eq!(w.taken, b"0123456789");
    }

    #[test]
    fn a_batch_still_unsent_at_the_deadline_ends_the_stream() {
        let mut w = Trickle {
            taken: Vec::new(),
            per_write: 3,
        };
        let e = send(&mut w, b"0123456789", Instant::now()).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::TimedOut);
        assert_eq!(w.taken, b"012");
        // One that fits in a single write is never cut, whatever the time.
        send(&mut w, b"abc", Instant::now()).unwrap();
    }

    #[test]
    fn an_event_is_one_data_line_even_for_a_multiline_body() {
        let e = event(7, &serde_json::json!({"path": "/a\nb"}));
        assert_eq!(e, "id: 7\nevent: request\ndata: {\"path\":\"/a\\nb\"}\n\n");
    }
}
