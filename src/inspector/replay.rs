//! The page's Replay button: send a remembered request again to the listener (or to the
//! listener's `--forward-to` app), freshly signed around the same plaintext or exactly as it
//! was captured, and judge the answer by the vendor's rule, so the page can show it beside the
//! first answer.

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

use super::Inspector;
use crate::client::{self, Mode};
use crate::http::HttpRequest;
use crate::protocol::Now;

/// How much of the new answer's body the page is shown.
const BODY_CAP: usize = 2048;

/// How long the listener's entry of a replayed request is waited for.
const NEW_ENTRY_WAIT: Duration = Duration::from_secs(1);

/// The deadline of an exact replay (a fresh one has the vendor's).
const EXACT_DEADLINE: Duration = Duration::from_secs(10);

/// What the page asks for.
#[derive(Debug, Deserialize)]
pub struct Ask {
    pub id: u64,
    #[serde(default)]
    pub mode: How,
    #[serde(default)]
    pub to: Target,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// New timestamp, nonce and signature around the same plaintext.
    #[default]
    Fresh,
    /// The captured bytes as they came.
    Exact,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    #[default]
    Listener,
    Forward,
}

/// Send the request again; the new answer, judged, beside the old one. Errors: an HTTP status
/// for the API and why.
pub fn run(inspector: &Inspector, ask: &Ask) -> Result<Value, (u16, String)> {
    let entry = inspector
        .store()
        .get(ask.id)
        .ok_or((404, format!("request {} is not remembered", ask.id)))?;
    let vendor = entry
        .vendor
        .ok_or((409, "the vendor of this request is not known".to_string()))?;
    let source = inspector.source(entry.source);
    let v = vendor.vendor();
    let captured = &entry.capture.request;
    let secrets = source.secrets.for_vendor(Some(vendor));
    let plaintext = crate::listen::capture::opened_plaintext(vendor, captured, secrets);
    let kind = v.kind(
        captured.method.eq_ignore_ascii_case("GET"),
        plaintext.as_deref().unwrap_or_default(),
    );
    let (req, deadline) = match ask.mode {
        How::Exact => (captured.clone(), EXACT_DEADLINE),
        How::Fresh => {
            let plain = plaintext.as_deref().ok_or((
                409,
                "the body cannot be opened with the listener's secrets: replay it exactly".into(),
            ))?;
            let mut req = v
                .seal(plain, kind, secrets, &v.stamp(Now::system()))
                .map_err(|e| (409, format!("cannot sign it again: {e}")))?;
            req.path.clone_from(&captured.path);
            (req, v.deadline(kind, plain))
        }
    };
    let url = match ask.to {
        Target::Listener => {
            let base = source
                .url
                .as_deref()
                .ok_or((409, "no listener to send it to".to_string()))?;
            client::target_url(&format!("{}{}", base.trim_end_matches('/'), req.path), &req)
        }
        Target::Forward => {
            let app = source
                .forward_to
                .as_deref()
                .ok_or((409, "the listener has no --forward-to".to_string()))?;
            client::forward_url(app, &req)
        }
    };
    // The listener's own certificate (--tls-cert) is usually self-signed: it is the listener
    // itself being sent to, so it is trusted; an app behind --forward-to is checked as usual.
    let own_tls = ask.to == Target::Listener && url.starts_with("https://");
    let http = client::sender(own_tls).map_err(|e| (500, format!("no HTTP client: {e}")))?;
    let before = inspector.store().last_id();
    let started = Instant::now();
    let result = client::send(&http, &url, &req, deadline, Mode::Exact);
    let latency_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1e3;
    let hide = |t: &str| {
        secrets
            .redact_unless(inspector.show_secrets(), t)
            .into_owned()
    };
    let was = json!({
        "status": entry.capture.status,
        "accepted": entry.capture.verdict.get("accepted"),
    });
    let mut out = json!({
        "id": ask.id,
        "mode": if ask.mode == How::Exact { "exact" } else { "fresh" },
        "to": if ask.to == Target::Forward { "forward" } else { "listener" },
        "was": was,
        "latency_ms": latency_ms,
    });
    match result {
        Err(e) => {
            out["status"] = Value::Null;
            out["accepted"] = false.into();
            out["reason"] = hide(&client::describe(&e, deadline)).into();
        }
        Ok(reply) => {
            let sent = plaintext.as_deref().unwrap_or_default();
            let verdict = v.judge(kind, sent, &reply, secrets);
            out["status"] = reply.status.into();
            out["accepted"] = verdict.is_ok().into();
            out["reason"] = match verdict {
                Ok(()) => "accepted".into(),
                Err(r) => hide(&r.reason).into(),
            };
            out["body"] = hide(&capped(&reply.body)).into();
        }
    }
    if ask.to == Target::Listener {
        out["new_id"] = new_entry(inspector, before, &req).into();
    }
    Ok(out)
}

/// The entry the listener made of the request just sent (the newest one with its body and
/// path). The listener remembers a request just after answering it: wait for it briefly.
fn new_entry(inspector: &Inspector, before: u64, sent: &HttpRequest) -> Option<u64> {
    let store = inspector.store();
    let waited = Instant::now();
    let mut seen = before;
    loop {
        let _subscribed = store.subscribe();
        let new = store.wait_after(seen, NEW_ENTRY_WAIT);
        if let Some(e) = new
            .iter()
            .rev()
            .find(|e| e.capture.request.body == sent.body && e.capture.request.path == sent.path)
        {
            return Some(e.id);
        }
        seen = new.last().map_or(seen, |e| e.id);
        if waited.elapsed() >= NEW_ENTRY_WAIT {
            return None;
        }
    }
}

fn capped(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(BODY_CAP)]).into_owned();
    if body.len() > BODY_CAP {
        text + "…"
    } else {
        text
    }
}
