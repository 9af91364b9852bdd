//! The inspector: a local page that lists every callback a listener handled, live, and opens
//! one with its raw request, verification steps, plaintext and answer (`listen --inspect`,
//! `demo --inspect`, `cbkit inspect cap.jsonl`).
//!
//! - `store`: the last N requests in memory, and the wake-up for event streams;
//! - `api`: the JSON the page reads, rendered from an entry only when asked for;
//! - `sse`: the live stream of new requests (server-sent events);
//! - `replay`: sending a remembered request again, freshly signed or exactly;
//! - `command`: a request as a `cbkit verify` command (its cURL part from [`crate::curl`]);
//! - `page`: the embedded HTML, JS and CSS and the security headers they are served with.
//!
//! The listener hands each request here after answering it ([`Hook::record`]) and lets it
//! answer everything under `/_cbkit/` ([`Hook::claims`]); nothing else of the listener knows
//! about the page.

pub mod api;
pub mod command;
mod packed;
mod page;
pub mod replay;
pub mod sse;
pub mod store;

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::listen::Handled;
use crate::listen::capture::reopened_plaintext;
use crate::protocol::{Now, SecretsByVendor, SkewWindow};

pub use store::{Entry, Store};

/// Where the page lives on a listener: everything under it is the inspector's.
pub const PREFIX: &str = "/_cbkit/";

/// The default of `--inspect-keep`.
pub const DEFAULT_KEEP: usize = 1000;

/// Event streams served at once; more are answered 503 (each holds a connection and its thread
/// until its page leaves or stops reading: see `sse`).
const MAX_STREAMS: usize = 16;

/// Largest replay request body the API reads.
const MAX_API_BODY: u64 = 64 * 1024;

/// Where a group of entries came from: a listener (its URL and configuration) or a capture file.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The listener's base URL once bound; none for a capture file without `--to`.
    pub url: Option<String>,
    /// Each vendor's secrets, to open, sign again and redact its requests with.
    pub secrets: SecretsByVendor,
    /// The listener's `--forward-to`.
    pub forward_to: Option<String>,
    pub max_skew: SkewWindow,
}

/// The inspector of one process: its store, its sources and its replay token.
pub struct Inspector {
    store: Store,
    token: String,
    show_secrets: bool,
    sources: Mutex<Vec<Source>>,
    /// Host names the page may be reached by (a rebinding guard): loopback, and the address the
    /// listener was bound to; `None` for any (bound to every address, which the user asked for
    /// explicitly and was warned about).
    hosts: Option<Vec<String>>,
    /// Event streams open now (capped at `MAX_STREAMS`).
    streams: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for Inspector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inspector")
            .field("keep", &self.store.keep())
            .field("show_secrets", &self.show_secrets)
            .finish_non_exhaustive()
    }
}

impl Inspector {
    /// An inspector keeping `keep` requests, served to pages that reach it as `bind_host` (or by
    /// a loopback name); secrets masked unless `show_secrets`.
    pub fn new(keep: usize, show_secrets: bool, bind_host: &str) -> Arc<Inspector> {
        let mut hosts: Vec<String> = ["127.0.0.1", "localhost", "[::1]"]
            .map(String::from)
            .to_vec();
        let bind = bind_host.trim().to_ascii_lowercase();
        let bind = if bind.contains(':') && !bind.starts_with('[') {
            format!("[{bind}]")
        } else {
            bind
        };
        let everywhere = bind == "0.0.0.0" || bind == "[::]";
        if !bind.is_empty() && !hosts.contains(&bind) {
            hosts.push(bind);
        }
        let hosts = (!everywhere).then_some(hosts);
        Arc::new(Inspector {
            store: Store::new(keep),
            token: token(),
            show_secrets,
            sources: Mutex::new(Vec::new()),
            hosts,
            streams: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The per-process token the page sends with a replay.
    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn show_secrets(&self) -> bool {
        self.show_secrets
    }

    /// Register where entries come from; its number for [`Hook`] and [`Entry`].
    pub fn add_source(&self, source: Source) -> usize {
        let mut s = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        s.push(source);
        s.len() - 1
    }

    /// Set a source's URL once its listener is bound.
    pub fn set_url(&self, source: usize, url: &str) {
        let mut s = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = s.get_mut(source) {
            s.url = Some(url.to_string());
        }
    }

    pub fn source(&self, source: usize) -> Source {
        let s = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        s.get(source).cloned().unwrap_or_default()
    }

    /// Entry `id` as the page shows it, while it is remembered.
    pub fn entry(&self, id: u64) -> Option<Entry> {
        let mut e = self.store.get(id)?;
        self.reopen(std::slice::from_mut(&mut e));
        Some(e)
    }

    /// Fill in the plaintexts the store left out ([`Entry::reopen_plaintext`]): each request
    /// opened again with its source's secrets, as its listener recorded it.
    pub fn reopen(&self, entries: &mut [Entry]) {
        let mut left_out = entries.iter_mut().filter(|e| e.reopen_plaintext).peekable();
        if left_out.peek().is_none() {
            return;
        }
        let sources = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        for e in left_out {
            let (Some(vendor), Some(source)) = (e.vendor, sources.get(e.source)) else {
                continue;
            };
            let secrets = source.secrets.for_vendor(Some(vendor));
            e.capture.plaintext = reopened_plaintext(vendor, &e.capture.request, secrets);
        }
    }

    /// End the event streams (the process is stopping).
    pub fn close(&self) {
        self.store.close();
    }

    /// Answer one request for the page or its API (`rq`'s path starts with [`PREFIX`]).
    pub fn serve(&self, rq: tiny_http::Request) {
        if !self.host_allowed(&rq) {
            return page::respond(rq, page::text(403, "cbkit inspector: unexpected Host\n"));
        }
        let url = rq.url().to_string();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let rest = path.strip_prefix("/_cbkit").unwrap_or(path);
        let method = rq.method().as_str().to_ascii_uppercase();
        match (method.as_str(), rest) {
            ("GET" | "HEAD", "") => page::respond(rq, page::redirect(PREFIX)),
            ("GET" | "HEAD", "/") => page::respond(rq, page::index(&self.token)),
            ("GET" | "HEAD", "/app.js") => page::respond(rq, page::asset("app.js")),
            ("GET" | "HEAD", "/app.css") => page::respond(rq, page::asset("app.css")),
            ("GET", "/api/requests") => page::respond(rq, page::json(200, &api::list(self))),
            ("GET", "/api/events") => {
                use std::sync::atomic::Ordering::SeqCst;
                if self.streams.fetch_add(1, SeqCst) >= MAX_STREAMS {
                    self.streams.fetch_sub(1, SeqCst);
                    return page::respond(rq, page::text(503, "too many open inspector pages\n"));
                }
                let after = last_event_id(&rq, query);
                sse::stream(self, rq, after);
                self.streams.fetch_sub(1, SeqCst);
            }
            ("POST", "/api/replay") => self.replay(rq),
            ("GET", p) if p.starts_with("/api/requests/") && p.ends_with("/fixture") => {
                let id = p["/api/requests/".len()..p.len() - "/fixture".len()].parse::<u64>();
                match id.ok().and_then(|id| self.store.get(id)) {
                    Some(e) => page::respond(rq, api::fixture(self, &e)),
                    None => page::respond(rq, page::text(404, "no such request\n")),
                }
            }
            ("GET", p) if p.starts_with("/api/requests/") => {
                let id = p["/api/requests/".len()..].parse::<u64>().ok();
                match id.and_then(|id| self.entry(id)) {
                    Some(e) => page::respond(rq, page::json(200, &api::detail(self, &e))),
                    None => page::respond(
                        rq,
                        page::json(
                            404,
                            &serde_json::json!({"error": "no such request (forgotten, or never seen)"}),
                        ),
                    ),
                }
            }
            (_, "/api/replay") => page::respond(rq, page::text(405, "POST only\n")),
            _ => page::respond(rq, page::text(404, "cbkit inspector: no such page\n")),
        }
    }

    /// `POST /_cbkit/api/replay`: the token and a same-origin `Origin` are required.
    fn replay(&self, mut rq: tiny_http::Request) {
        let token_ok = header(&rq, "X-Cbkit-Token").is_some_and(|t| {
            subtle::ConstantTimeEq::ct_eq(t.as_bytes(), self.token.as_bytes()).into()
        });
        let host = header(&rq, "Host").unwrap_or_default();
        let origin_ok = header(&rq, "Origin").is_none_or(|o| {
            o.strip_prefix("http://")
                .or_else(|| o.strip_prefix("https://"))
                .is_some_and(|h| h.eq_ignore_ascii_case(&host))
        });
        if !token_ok || !origin_ok {
            let why = if token_ok {
                "cross-origin request refused"
            } else {
                "missing or wrong X-Cbkit-Token"
            };
            return page::respond(rq, page::json(403, &serde_json::json!({ "error": why })));
        }
        let mut body = Vec::new();
        let read = rq
            .as_reader()
            .take(MAX_API_BODY)
            .read_to_end(&mut body)
            .map_err(|e| e.to_string());
        let answer = read
            .and_then(|_| serde_json::from_slice::<replay::Ask>(&body).map_err(|e| e.to_string()))
            .map_err(|e| (400, format!("bad replay request: {e}")))
            .and_then(|ask| replay::run(self, &ask));
        match answer {
            Ok(v) => page::respond(rq, page::json(200, &v)),
            Err((status, why)) => {
                page::respond(rq, page::json(status, &serde_json::json!({ "error": why })))
            }
        }
    }

    fn host_allowed(&self, rq: &tiny_http::Request) -> bool {
        let Some(host) = header(rq, "Host") else {
            return false;
        };
        let Some(hosts) = &self.hosts else {
            return true;
        };
        let host = host.to_ascii_lowercase();
        let name = match host.rsplit_once(':') {
            Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
            _ => host.as_str(),
        };
        hosts.iter().any(|h| h == name)
    }
}

/// The listener's side: which source its requests belong to, and whether `/_cbkit/` is served
/// on its own address.
#[derive(Clone)]
pub struct Hook {
    pub inspector: Arc<Inspector>,
    pub source: usize,
    /// Serve the page under `/_cbkit/` on the listener's address (not with `--inspect-port`).
    pub serve_here: bool,
}

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hook")
            .field("source", &self.source)
            .field("serve_here", &self.serve_here)
            .finish_non_exhaustive()
    }
}

impl Hook {
    /// Whether a request for `url` is the inspector's rather than a vendor's.
    pub fn claims(&self, url: &str) -> bool {
        self.serve_here
            && url
                .strip_prefix("/_cbkit")
                .is_some_and(|r| r.is_empty() || r.starts_with(['/', '?']))
    }

    pub fn serve(&self, rq: tiny_http::Request) {
        self.inspector.serve(rq);
    }

    /// Remember a handled request (on the listener's hot path: a move into the ring).
    pub fn record(&self, handled: Handled, now: Now, latency: Duration) {
        let entry = Entry::handled(handled, self.source, now, Some(latency));
        self.inspector.store.push(entry);
    }
}

/// The inspector on a port of its own (`--inspect-port`, `demo --inspect`, `cbkit inspect`):
/// served while this lives.
pub struct OwnPort {
    server: Arc<tiny_http::Server>,
    url: String,
}

impl OwnPort {
    /// Bind `host:port` and serve `inspector` there, each connection on its own thread.
    pub fn bind(inspector: Arc<Inspector>, host: &str, port: u16) -> anyhow::Result<OwnPort> {
        let cannot = |e: &dyn std::fmt::Display| {
            anyhow::anyhow!("cannot serve the inspector on {host}:{port}: {e}")
        };
        let limits = tiny_http::Limits {
            max_connections: Some(64),
            keep_alive: Some(Duration::from_secs(30)),
            read_timeout: Some(Duration::from_secs(10)),
            tls_handshake: None,
        };
        let config = tiny_http::ServerConfig {
            addr: tiny_http::ConfigListenAddr::from_socket_addrs((host, port))
                .map_err(|e| cannot(&e))?,
            ssl: None,
        };
        let server = tiny_http::Server::with_limits(config, limits).map_err(|e| cannot(&e))?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| anyhow::anyhow!("the inspector has no IP address"))?;
        let server = Arc::new(server);
        server.set_handler(Box::new(move |rq| {
            if rq.url().starts_with("/_cbkit") {
                inspector.serve(rq);
            } else {
                page::respond(rq, page::redirect(PREFIX));
            }
        }));
        Ok(OwnPort {
            server,
            url: format!("http://{addr}"),
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Let the server go (its accept loop ends when the last reference does).
    pub fn shutdown(self) {
        self.server.unblock();
    }
}

/// The page's address on a listener at `base` (`http://127.0.0.1:PORT`).
pub fn page_url(base: &str) -> String {
    format!("{}{PREFIX}", base.trim_end_matches('/'))
}

/// A random per-process token, 128 bits as hex.
fn token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn header(rq: &tiny_http::Request, name: &str) -> Option<String> {
    rq.headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_string())
}

/// Where a reconnecting stream resumes: `Last-Event-ID`, else `?after=N`, else from now on.
fn last_event_id(rq: &tiny_http::Request, query: &str) -> Option<u64> {
    header(rq, "Last-Event-ID")
        .and_then(|v| v.trim().parse().ok())
        .or_else(|| {
            crate::http::parse_query(query)
                .into_iter()
                .find(|(k, _)| k == "after")
                .and_then(|(_, v)| v.parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_only_its_own_paths() {
        let hook = Hook {
            inspector: Inspector::new(10, false, "127.0.0.1"),
            source: 0,
            serve_here: true,
        };
        for url in ["/_cbkit", "/_cbkit/", "/_cbkit/api/requests", "/_cbkit?x"] {
            assert!(hook.claims(url), "{url}");
        }
        for url in ["/", "/dingtalk", "/_cbkitx", "/x/_cbkit/"] {
            assert!(!hook.claims(url), "{url}");
        }
        let elsewhere = Hook {
            serve_here: false,
            ..hook
        };
        assert!(!elsewhere.claims("/_cbkit/"));
    }

    #[test]
    fn tokens_differ_and_are_long() {
        let (a, b) = (token(), token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
    }
}
