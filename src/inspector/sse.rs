//! The live list: one server-sent-events stream per open page. Each stream runs on its own
//! connection's thread (never a `--workers` permit or a CPU slot), waits on the store without
//! polling, and writes every new request's summary as one event, all that arrived at once in
//! one write. At most `MAX_STREAMS` are open at once, and each ends when its page goes away (the
//! next write fails; a comment is written every 15 s of quiet to find out) or the inspector
//! closes.

use std::io::Write;
use std::time::{Duration, Instant};

use super::{Inspector, api};

/// How long a stream waits before it looks whether the inspector closed.
const WAIT: Duration = Duration::from_secs(1);

/// How long a stream stays quiet before it writes a comment, to find out the page left.
const PING_EVERY: Duration = Duration::from_secs(15);

/// Serve `rq` as an event stream of the requests after `after` (default: from now on).
pub fn stream(inspector: &Inspector, rq: tiny_http::Request, after: Option<u64>) {
    let store = inspector.store();
    let _subscribed = store.subscribe();
    let mut last = after.unwrap_or_else(|| store.last_id());
    // The stream owns the connection until it ends: nothing after it is read.
    rq.close_connection();
    let mut w = rq.into_writer();
    let mut head = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nConnection: close\r\n",
    );
    for (k, v) in super::page::security_headers() {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\nretry: 1000\n\n");
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    let mut quiet_since = Instant::now();
    while !store.is_closed() {
        let new = store.wait_after(last, WAIT);
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
        if w.write_all(chunk.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
        quiet_since = Instant::now();
    }
}

/// One `request` event: its id (the page resumes from it) and the summary on one data line.
fn event(id: u64, summary: &serde_json::Value) -> String {
    format!("id: {id}\nevent: request\ndata: {summary}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_one_data_line_even_for_a_multiline_body() {
        let e = event(7, &serde_json::json!({"path": "/a\nb"}));
        assert_eq!(e, "id: 7\nevent: request\ndata: {\"path\":\"/a\\nb\"}\n\n");
    }
}
