//! The receiver behind `cbkit listen` (and `cbkit demo`): a tiny_http server that routes each
//! request to a vendor, verifies and opens it with the vendor module, answers what a correct
//! receiver answers (or forwards to the user's app and judges its answer), and records one
//! capture line per request.
//!
//! Transport only: the protocol decisions (signatures, decryption, reply bodies, whether a reply
//! is acceptable) all come from [`crate::protocol`]. The layers, outermost first:
//! - `server`: accepting, threads, limits (workers, CPU slots), stopping, the summary;
//! - `wire`: the tiny_http adapter (request head, body, response, TLS);
//! - `receiver`: one request → its outcome, with no sockets (unit-tested);
//! - `forward`: relaying to the user's app and judging its answer;
//! - `recording`: the record file and its capture lines;
//! - [`replay_guard`]: what was already answered, for replay-attack detection;
//! - `fd_limit`: the open-file limit, raised at start, and the default connection cap.

mod fd_limit;
mod forward;
mod receiver;
mod recording;
pub mod replay_guard;
mod server;
mod wire;

use std::path::PathBuf;
use std::time::Duration;

use crate::protocol::{
    Callback, Check, Now, Role, Secrets, SecretsByVendor, SkewWindow, VendorId, inspect,
};

pub use crate::client::forward_url;
pub use receiver::{check_error, route};
pub use recording::{capture, rfc3339};
pub use server::{Listener, StopHandle};

/// Everything the listener is configured with.
#[derive(Debug, Clone)]
pub struct ListenConfig {
    /// The vendor to serve; `None` serves all of them (`/<vendor>` paths, or by shape at `/`).
    pub vendor: Option<VendorId>,
    pub host: String,
    pub port: u16,
    /// The secrets each request is verified, opened, answered and redacted with: its vendor's
    /// own (a profile's `[profile.NAME.VENDOR]` table), else the default set.
    pub secrets: SecretsByVendor,
    /// Answer 401 (signature) / 403 (ids, token) when a check fails instead of answering anyway.
    pub strict: bool,
    /// Append one capture line per request, flushed before the reply is sent.
    pub record: Option<PathBuf>,
    /// Record only requests of these event types (`--events`); all are still answered.
    pub events: Option<crate::event_filter::EventFilter>,
    /// Forward each request to this URL, relay and judge the app's answer.
    pub forward_to: Option<String>,
    /// Headers added, replaced or removed on each forwarded request.
    pub forward_headers: Vec<crate::client::HeaderEdit>,
    /// Answer the first N requests with `status` (default 500).
    pub fail_first: u32,
    /// Status for failed answers; without `fail_first`, the status of every answer.
    pub status: Option<u16>,
    /// Sleep this long before answering.
    pub delay: Option<Duration>,
    /// Answer with this exact body instead of the correct reply.
    pub reply: Option<String>,
    /// Stop after this many requests.
    pub exit_after: Option<u64>,
    /// Stop when no request arrived for this long.
    pub idle_timeout: Option<Duration>,
    /// Largest body accepted; larger ones get 413 without being read.
    pub max_body: usize,
    /// Requests processed at once (bodies are read before, answers written after).
    pub workers: usize,
    /// How long a client may take to send a request, headers and body, from its first byte:
    /// then it is answered 408 and the connection closed.
    pub read_timeout: Duration,
    /// How long a connection may stay idle waiting for its next request: then it is closed.
    pub keep_alive: Duration,
    /// How long a TLS handshake may take: then the connection is closed.
    pub tls_handshake_timeout: Duration,
    /// Connections served at once (over it: answered 503 and closed); `None`: derived from the
    /// file-descriptor limit, which `bind` raises to its hard limit.
    pub max_connections: Option<usize>,
    /// PEM certificate and private key: serve HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Timestamp freshness window (`--max-skew`); by default the vendor's documented one.
    pub max_skew: SkewWindow,
    /// The time requests are verified at: pinned (reproducible examples and tests), or by
    /// default the system clock when each request arrives.
    pub now: Option<Now>,
    /// `--inspect`: the page under `/_cbkit/` and each handled request remembered for it.
    pub inspector: Option<crate::inspector::Hook>,
}

impl ListenConfig {
    /// The time to verify a request at.
    pub fn now(&self) -> Now {
        self.now.unwrap_or_else(Now::system)
    }
}

impl Default for ListenConfig {
    fn default() -> Self {
        ListenConfig {
            vendor: None,
            host: "127.0.0.1".into(),
            port: 0,
            secrets: SecretsByVendor::default(),
            strict: false,
            record: None,
            events: None,
            forward_to: None,
            forward_headers: Vec::new(),
            fail_first: 0,
            status: None,
            delay: None,
            reply: None,
            exit_after: None,
            idle_timeout: None,
            max_body: 1024 * 1024,
            workers: 8,
            read_timeout: Duration::from_secs(10),
            keep_alive: Duration::from_secs(30),
            tls_handshake_timeout: Duration::from_secs(10),
            max_connections: None,
            tls: None,
            max_skew: SkewWindow::VendorDefault,
            now: None,
            inspector: None,
        }
    }
}

/// What the listener made of one request (passed to `run`'s callback).
#[derive(Debug, Clone)]
pub struct Handled {
    /// The capture line as recorded (request, verdict, errors, plaintext, status).
    pub capture: capture::Capture,
    pub vendor: Option<VendorId>,
    pub checks: Vec<Check>,
    /// With `forward_to`: whether the vendor would accept the app's answer (Err says why).
    pub forward: Option<Result<(), String>>,
    /// A remark that is not a failure: a secret that is not configured, a simulated fault.
    pub note: Option<String>,
    /// Why the signature was not checked: the secret that is not configured (the command layer
    /// says which flag or variable gives it).
    pub unverified: Option<crate::Error>,
    /// The answer sent, kept only for the inspector (`--inspect`): set once it is sent.
    pub reply: Option<crate::http::HttpReply>,
    /// Whether `--events` admits it: recorded, and to be printed. Every request is answered
    /// and counted either way.
    pub shown: bool,
}

impl Handled {
    /// Whether every check passed and nothing went wrong.
    pub fn accepted(&self) -> bool {
        self.capture
            .verdict
            .get("accepted")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }
}

/// Counts for the closing summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub requests: u64,
    /// Requests whose checks all passed (at least one check made).
    pub verified: u64,
    /// Requests with a failed check or an error.
    pub failed: u64,
    /// The listener stopped because it could no longer accept connections (not asked to).
    pub accept_failed: bool,
}

/// The secrets (`token`, `aes-key`, `receiver-id`, `sdk-app-id`) without which `vendor`'s
/// receiver leaves a request unverified or unopened, found by running the vendor's own
/// pipeline: the requests `probe` sends (its fixtures, sealed with the demo secrets) are
/// inspected once with each demo secret taken away, and a secret is needed when its absence
/// leaves a check undone or a body closed.
pub fn needed_secrets(vendor: VendorId) -> Vec<&'static str> {
    let v = vendor.vendor();
    let demo = v.demo_secrets();
    let now = Now {
        unix_ms: 1_700_000_000_000,
    };
    let vars = crate::fixture::Vars {
        now,
        secrets: demo.clone(),
        env: crate::fixture::no_env,
    };
    let samples: Vec<Callback> = v
        .probe_fixtures()
        .iter()
        .filter_map(|name| crate::fixture::resolve(name).ok())
        .flatten()
        .filter_map(|f| {
            let plaintext = f.render(&vars, &[]).ok()?;
            let req = v
                .seal(&plaintext, f.kind(&plaintext), &demo, &v.stamp(now))
                .ok()?;
            v.parse(&req).ok()
        })
        .collect();
    let outcome = |s: &Secrets| -> Vec<(bool, usize)> {
        samples
            .iter()
            .map(|cb| {
                let i = inspect(v, cb, s, now, None, Role::Receiver);
                let complete = i.unverified.is_none() && i.opened.is_ok();
                (complete, i.checks().filter(|c| c.ok).count())
            })
            .collect()
    };
    let all = outcome(&demo);
    let without = |name: &'static str| {
        let mut s = demo.clone();
        let was_set = match name {
            "token" => s.token.take().is_some(),
            "aes-key" => s.aes_key.take().is_some(),
            "receiver-id" => s.receiver_id.take().is_some(),
            _ => s.sdk_app_id.take().is_some(),
        };
        (was_set, s)
    };
    ["token", "aes-key", "receiver-id", "sdk-app-id"]
        .into_iter()
        .filter(|name| {
            let (was_set, less) = without(name);
            was_set && outcome(&less) != all
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_vendor_names_the_secrets_its_receiver_needs() {
        let needed = |v: VendorId| needed_secrets(v).join(" ");
        assert_eq!(needed(VendorId::named("wemeet")), "token");
        assert_eq!(needed(VendorId::named("tencent-im")), "token sdk-app-id");
        assert_eq!(
            needed(VendorId::named("dingtalk")),
            "token aes-key receiver-id"
        );
        assert_eq!(
            needed(VendorId::named("wecom")),
            "token aes-key receiver-id"
        );
        assert_eq!(needed(VendorId::named("feishu")), "token aes-key");
    }
}
