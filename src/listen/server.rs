//! The listener's server layer: binding, serving each request on its connection's thread,
//! the limits (`--workers` permits and the CPU slots), stopping (`--exit-after`,
//! `--idle-timeout`, a [`StopHandle`]), recording each request and the closing summary. The
//! decisions about a request are the receiver's; this layer decides when and on which thread
//! they run, and holds a CPU slot only while they do.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;

use super::receiver::{self, Outcome, plain};
use super::recording::capture::Capture;
use super::recording::{Recorder, rfc3339};
use super::replay_guard::ReplayGuard;
use super::wire::{self, BodyRead};
use super::{Handled, ListenConfig, Summary};
use super::{fd_limit, forward};

/// How often the supervisor looks at the stop flag and the idle timeout.
const POLL: Duration = Duration::from_millis(50);

/// How often a stopping listener looks whether the requests in flight have finished.
const DRAIN_POLL: Duration = Duration::from_millis(2);

/// How many requests and events replay detection remembers at least (oldest forgotten first).
const REPLAY_MEMORY: usize = 100_000;

/// Stops a running listener from another thread (a signal handler, a test, `demo`).
#[derive(Debug, Clone)]
pub struct StopHandle(Arc<AtomicBool>);

impl StopHandle {
    /// Stop accepting; requests in flight are finished before `run` returns.
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// A bound listener, ready to `run`.
pub struct Listener {
    server: Arc<tiny_http::Server>,
    cfg: ListenConfig,
    addr: std::net::SocketAddr,
    stop: StopHandle,
    record: Option<Recorder>,
    client: Option<reqwest::blocking::Client>,
}

impl Listener {
    /// Bind the socket (and open the record file) so that `port()` is known before serving.
    pub fn bind(cfg: ListenConfig) -> anyhow::Result<Listener> {
        let fds = fd_limit::raise();
        let limits = tiny_http::Limits {
            max_connections: Some(
                cfg.max_connections
                    .unwrap_or_else(|| fd_limit::default_max_connections(fds))
                    .max(1),
            ),
            keep_alive: Some(cfg.keep_alive),
            read_timeout: Some(cfg.read_timeout),
            tls_handshake: Some(cfg.tls_handshake_timeout),
        };
        let cannot = |e: &dyn std::fmt::Display| {
            anyhow::anyhow!("cannot listen on {}:{}: {e}", cfg.host, cfg.port)
        };
        let server_config = tiny_http::ServerConfig {
            addr: tiny_http::ConfigListenAddr::from_socket_addrs((cfg.host.as_str(), cfg.port))
                .map_err(|e| cannot(&e))?,
            ssl: match &cfg.tls {
                None => None,
                Some((cert, key)) => Some(wire::ssl_config(cert, key)?),
            },
        };
        let server =
            tiny_http::Server::with_limits(server_config, limits).map_err(|e| cannot(&e))?;
        let addr = server
            .server_addr()
            .to_ip()
            .context("the listener has no IP address")?;
        let record = match &cfg.record {
            Some(path) => Some(Recorder::open(path)?),
            None => None,
        };
        let client = match &cfg.forward_to {
            Some(_) => Some(
                crate::client::relay().context("cannot build the HTTP client for --forward-to")?,
            ),
            None => None,
        };
        Ok(Listener {
            server: Arc::new(server),
            cfg,
            addr,
            stop: StopHandle(Arc::new(AtomicBool::new(false))),
            record,
            client,
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:PORT` (https with TLS).
    pub fn url(&self) -> String {
        let scheme = if self.cfg.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }

    /// Serve until stopped, `exit_after` requests, or `idle_timeout`; calls `on_request` for
    /// each handled request (from the connection threads). Requests in flight finish before it
    /// returns; requests that arrive after the stop are answered 503 and not counted.
    ///
    /// Each request is read, processed, recorded and answered on the thread that reads its
    /// connection (tiny_http's handler hook, third_party/tiny_http patch 5): handing requests
    /// between threads cost more than the work itself (bench/NOTES.md).
    pub fn run(self, on_request: Arc<dyn Fn(&Handled) + Send + Sync>) -> Summary {
        let Listener {
            server,
            cfg,
            stop,
            record,
            client,
            ..
        } = self;
        let workers = cfg.workers.max(1);
        let shared = Arc::new(Shared {
            cfg,
            record,
            client,
            stop,
            on_request,
            received: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            verified: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            accept_failed: AtomicBool::new(false),
            started: Instant::now(),
            last_activity_ms: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            permits: Permits::new(workers),
            cpu: Permits::new(cpu_slots()),
            replays: Mutex::new(ReplayGuard::new(REPLAY_MEMORY)),
        });
        let handler_state = Arc::clone(&shared);
        server.set_handler(Box::new(move |rq| serve(rq, &handler_state)));
        supervise(&server, &shared);
        // Stopped: no request is admitted any more; wait for those in flight.
        while shared.in_flight.load(Ordering::SeqCst) > 0 {
            std::thread::sleep(DRAIN_POLL);
        }
        if let Some(r) = &shared.record {
            r.flush();
        }
        shared.summary()
    }
}

/// State shared by the threads serving one `run`.
struct Shared {
    cfg: ListenConfig,
    record: Option<Recorder>,
    client: Option<reqwest::blocking::Client>,
    stop: StopHandle,
    on_request: Arc<dyn Fn(&Handled) + Send + Sync>,
    /// Requests admitted (numbers them for --fail-first and --exit-after).
    received: AtomicU64,
    /// The closing summary's counts.
    requests: AtomicU64,
    verified: AtomicU64,
    failed: AtomicU64,
    /// The accept loop died: stopped without being asked to.
    accept_failed: AtomicBool,
    /// When the last request started or finished, in ms since `started` (for --idle-timeout).
    started: Instant,
    last_activity_ms: AtomicU64,
    /// Requests admitted and not finished. Admission counts itself in before it reads the stop
    /// flag and `run` reads this after setting it (all SeqCst), so once `run` has seen it at 0
    /// after the stop nothing more is handled.
    ///
    /// This bookkeeping and the counts are atomics, not locks: every connection's thread
    /// touches them, and a thread preempted while holding a lock would stall all the others.
    in_flight: AtomicU64,
    /// `--workers`: how many requests are processed at once.
    permits: Permits,
    /// How many of those run their CPU-bound part (verify, decrypt, seal the reply, build and
    /// record the capture) at once: see `cpu_slots`.
    cpu: Permits,
    /// Requests and events already seen, for replay detection.
    replays: Mutex<ReplayGuard>,
}

impl Shared {
    fn summary(&self) -> Summary {
        Summary {
            requests: self.requests.load(Ordering::SeqCst),
            verified: self.verified.load(Ordering::SeqCst),
            failed: self.failed.load(Ordering::SeqCst),
            accept_failed: self.accept_failed.load(Ordering::SeqCst),
        }
    }

    fn touch(&self) {
        let ms = self.started.elapsed().as_millis() as u64;
        self.last_activity_ms.fetch_max(ms, Ordering::Relaxed);
    }

    fn idle_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_activity_ms.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }

    fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// Count a request in flight unless the listener has stopped.
    fn admit(&self) -> Option<InFlight<'_>> {
        let admitted = InFlight::new(self);
        if self.stop.is_stopped() {
            return None;
        }
        Some(admitted)
    }

    fn count(&self, handled: &Handled) {
        if handled.accepted() && !handled.checks.is_empty() {
            self.verified.fetch_add(1, Ordering::SeqCst);
        }
        if !handled.accepted() {
            self.failed.fetch_add(1, Ordering::SeqCst);
        }
        let requests = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        if self.cfg.exit_after.is_some_and(|n| requests >= n) {
            self.stop.stop();
        }
    }

    fn replays(&self) -> std::sync::MutexGuard<'_, ReplayGuard> {
        self.replays.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One admitted request; finished when dropped (also if handling it panicked).
struct InFlight<'a>(&'a Shared);

impl<'a> InFlight<'a> {
    fn new(shared: &'a Shared) -> InFlight<'a> {
        shared.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(shared)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How many requests do their CPU-bound work at once: one per CPU.
///
/// More threads verifying at once than there are cores only queue behind each other and behind
/// the threads reading requests, so the rest wait for a slot; one less than the CPUs left a core
/// idle and served 10–15 % fewer requests on 2 cores (bench/NOTES.md, round 5). Waiting for the
/// user's app (`--forward-to`) or a simulated `--delay` does not hold a slot, so `--workers`
/// still decides how many of those run at once.
fn cpu_slots() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// A held CPU slot (see `cpu_slots`), given back while the request waits on something else.
struct CpuSlot<'a> {
    slots: &'a Permits,
    held: Option<Permit<'a>>,
}

impl<'a> CpuSlot<'a> {
    fn take(slots: &'a Permits) -> CpuSlot<'a> {
        CpuSlot {
            slots,
            held: Some(slots.acquire()),
        }
    }

    /// Run `wait` (I/O or a sleep) without holding the slot, then take one again.
    fn while_waiting<T>(&mut self, wait: impl FnOnce() -> T) -> T {
        self.held = None;
        let result = wait();
        self.held = Some(self.slots.acquire());
        result
    }
}

/// A counting semaphore: `--workers` requests processed at once.
struct Permits {
    state: Mutex<PermitCount>,
    freed: Condvar,
}

struct PermitCount {
    free: usize,
    /// Threads waiting in `acquire`: a permit given back wakes one only when there is one (a
    /// condition variable's notify is a system call even when nobody waits).
    waiting: usize,
}

struct Permit<'a>(&'a Permits);

impl Permits {
    fn new(n: usize) -> Permits {
        Permits {
            state: Mutex::new(PermitCount {
                free: n,
                waiting: 0,
            }),
            freed: Condvar::new(),
        }
    }

    fn acquire(&self) -> Permit<'_> {
        let mut count = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while count.free == 0 {
            count.waiting += 1;
            count = self.freed.wait(count).unwrap_or_else(|e| e.into_inner());
            count.waiting -= 1;
        }
        count.free -= 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let waiting = {
            let mut count = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
            count.free += 1;
            count.waiting
        };
        // After unlocking: a thread woken while the lock is still held only blocks on it again.
        // A waiter counted above is already inside `wait`, so the notification reaches it.
        if waiting > 0 {
            self.0.freed.notify_one();
        }
    }
}

/// How often at most the listener warns that it refuses connections or cannot accept them.
const WARN_EVERY: Duration = Duration::from_secs(5);

/// The supervisor: serve requests tiny_http queued before the handler was set, warn when
/// connections are refused or cannot be accepted, stop on idle timeout or when the accept loop
/// dies; return once stopped.
fn supervise(server: &tiny_http::Server, shared: &Shared) {
    let mut warned = Warned::default();
    while !shared.stop.is_stopped() {
        match server.recv_timeout(POLL) {
            Ok(Some(rq)) => serve(rq, shared),
            Ok(None) => {}
            // The accept loop died (the socket is gone): nothing more will arrive.
            Err(e) => {
                eprintln!("error: cbkit listen cannot accept connections any more: {e}");
                shared.accept_failed.store(true, Ordering::SeqCst);
                shared.stop.stop();
            }
        }
        warned.check(server.health());
        if let Some(idle) = shared.cfg.idle_timeout
            && shared.in_flight() == 0
            && shared.idle_for() >= idle
        {
            shared.stop.stop();
        }
    }
}

/// What the listener last warned about: connections refused over `--max-connections`, and
/// failed accepts (out of file descriptors), each retried by the accept loop.
#[derive(Default)]
struct Warned {
    at: Option<Instant>,
    refused: u64,
    accept_errors: u64,
}

impl Warned {
    fn check(&mut self, health: &tiny_http::Health) {
        if self.at.is_some_and(|at| at.elapsed() < WARN_EVERY) {
            return;
        }
        let refused = health.refused.load(Ordering::SeqCst);
        let errors = health.accept_errors.load(Ordering::SeqCst);
        if refused > self.refused {
            eprintln!(
                "warning: {} connection(s) answered 503: --max-connections ({} open) reached",
                refused - self.refused,
                health.open.load(Ordering::SeqCst)
            );
        }
        if errors > self.accept_errors {
            let last = health
                .last_accept_error
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone()
                .unwrap_or_default();
            eprintln!(
                "warning: {} connection(s) could not be accepted ({last}); retrying",
                errors - self.accept_errors
            );
        }
        if refused > self.refused || errors > self.accept_errors {
            self.at = Some(Instant::now());
        }
        self.refused = refused;
        self.accept_errors = errors;
    }
}

/// Serve one request on the calling thread (its connection's): admit, handle, count, report.
fn serve(rq: tiny_http::Request, shared: &Shared) {
    if let Some(page) = shared.cfg.inspector.as_ref().filter(|i| i.claims(rq.url())) {
        return page.serve(rq);
    }
    let Some(_in_flight) = shared.admit() else {
        // Counted in flight while it is recorded, so that stopping waits for its line.
        let _recording = InFlight::new(shared);
        shutting_down(rq, shared);
        return;
    };
    let seq = shared.received.fetch_add(1, Ordering::SeqCst) + 1;
    if shared.cfg.exit_after.is_some_and(|n| seq > n) {
        // Arrived after the last request we were asked to serve.
        shutting_down(rq, shared);
        return;
    }
    shared.touch();
    let started = shared.cfg.inspector.as_ref().map(|_| Instant::now());
    let handled = handle(rq, seq, shared);
    shared.count(&handled);
    (shared.on_request)(&handled);
    if let (Some(inspector), Some(started)) = (&shared.cfg.inspector, started) {
        inspector.record(handled, shared.cfg.now(), started.elapsed());
    }
    shared.touch();
}

/// Answer a request that arrived while the listener stops 503, unprocessed, and record it as
/// such (its body read as any other's): every request that reaches cbkit has its line. It is
/// not counted in the summary, which counts the requests processed.
fn shutting_down(mut rq: tiny_http::Request, shared: &Shared) {
    let cfg = &shared.cfg;
    let received_at = rfc3339(SystemTime::now());
    let mut req = wire::request_head(&rq);
    if let BodyRead::Body(body) | BodyRead::Short(body, _) = wire::body(&mut rq, cfg.max_body) {
        req.body = body;
    }
    let mut out = Outcome::rejected(503, "not processed: shutting down".into());
    out.reply = plain(503, "cbkit listen is shutting down\n");
    out.vendor = receiver::route(cfg.vendor, &req);
    if let Some(rec) = &shared.record {
        let capture = out.capture(req, received_at, cfg.secrets.for_vendor(out.vendor));
        if let Err(e) = Recorder::line(&capture).and_then(|l| rec.write(&l)) {
            eprintln!(
                "error: cannot write the record file {}: {e}",
                rec.path().display()
            );
        }
    }
    rq.close_connection();
    wire::respond(rq, &out.reply);
}

/// Handle one request end to end: read, process, record, answer.
fn handle(mut rq: tiny_http::Request, seq: u64, shared: &Shared) -> Handled {
    let received = SystemTime::now();
    let received_at = rfc3339(received);
    let mut req = wire::request_head(&rq);
    let cfg = &shared.cfg;
    // The body is read before taking a worker permit: a slow client holds only its own
    // connection's thread, for at most --read-timeout.
    let body = wire::body(&mut rq, cfg.max_body);
    let permit = shared.permits.acquire();
    // One CPU slot from here to the record; given up while waiting for the app or a --delay.
    let mut cpu = CpuSlot::take(&shared.cpu);
    let mut outcome = match body {
        BodyRead::Body(body) => {
            req.body = body;
            let received = receiver::receive(cfg, &req, seq, cfg.now());
            let mut out = received.outcome;
            if let (Some(vendor), Some(url), Some(client)) =
                (received.forward, &cfg.forward_to, &shared.client)
            {
                cpu.while_waiting(|| forward::relay(vendor, client, url, &req, cfg, &mut out));
            }
            receiver::settle(cfg, seq, &shared.replays(), &mut out);
            out
        }
        BodyRead::Short(partial, declared) => {
            let why = format!(
                "body shorter than Content-Length ({} of {declared} bytes arrived)",
                partial.len()
            );
            // Recorded with what arrived, as a rejected request, never as a delivery.
            req.body = partial;
            Outcome::rejected(400, why)
        }
        BodyRead::TooLarge => Outcome::rejected(
            413,
            format!("body larger than --max-body ({} bytes)", cfg.max_body),
        ),
        BodyRead::Failed(e) => Outcome::rejected(400, format!("cannot read the body: {e}")),
        BodyRead::TimedOut => Outcome::rejected(
            408,
            format!(
                "client did not send its request within {:?}",
                cfg.read_timeout
            ),
        ),
    };
    if outcome.vendor.is_none() {
        // Rejected before processing (too large, unreadable): still say whose it looked like.
        outcome.vendor = receiver::route(cfg.vendor, &req);
    }
    if let Some(d) = cfg.delay {
        cpu.while_waiting(|| std::thread::sleep(d));
    }
    // Record first: a capture line is handed to the kernel before the sender sees the answer.
    // The line is built on the CPU slot and written without it, as waiting for the app is: a
    // write stalled on a slow disk must not keep the other requests from being processed.
    let capture = outcome.capture(req, received_at, cfg.secrets.for_vendor(outcome.vendor));
    let shown = cfg
        .events
        .as_ref()
        .is_none_or(|f| f.admits_type(capture.event_type.as_deref()));
    let line = shared
        .record
        .as_ref()
        .filter(|_| shown)
        .map(|_| Recorder::line(&capture));
    drop(cpu);
    let mut handled = finish(&mut outcome, capture, line, shown, received, shared);
    drop(permit);
    wire::respond(rq, &outcome.reply);
    if shared.cfg.inspector.is_some() {
        // Moved once the answer is sent, rather than copied before.
        handled.reply = Some(std::mem::take(&mut outcome.reply));
    }
    handled
}

/// Record the capture's `line` (503 when that fails), remember what was delivered for replay
/// detection, and package what happened.
fn finish(
    out: &mut Outcome,
    mut capture: Capture,
    line: Option<std::io::Result<Vec<u8>>>,
    shown: bool,
    received: SystemTime,
    shared: &Shared,
) -> Handled {
    if let (Some(rec), Some(line)) = (&shared.record, line)
        && let Err(e) = line.and_then(|l| rec.write(&l))
    {
        let why = format!("cannot write the record file {}: {e}", rec.path().display());
        // The one thing the listener prints itself: a lost record must never pass silently.
        eprintln!("error: {why}; answering 503");
        out.fail(503, why);
        capture.status = Some(503);
        capture
            .errors
            .push(out.errors.last().cloned().unwrap_or_default());
        capture.verdict.insert("accepted".into(), false.into());
    }
    // Only what passed its checks is remembered: a forged request must not make the genuine
    // one look like a replay.
    if out.accepted() {
        let mut guard = shared.replays();
        for key in &out.replay_keys {
            guard.remember(key, out.reply.status, received);
        }
    }
    Handled {
        capture,
        vendor: out.vendor,
        checks: out.checks.clone(),
        forward: out.forward.clone(),
        note: (!out.notes.is_empty()).then(|| out.notes.join("; ")),
        unverified: out.unverified.clone(),
        reply: None,
        shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permit_given_back_wakes_a_waiting_thread() {
        let permits = Permits::new(1);
        let held = permits.acquire();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| drop(permits.acquire()));
            // The permit is held, so the waiter blocks: wait until it has.
            while permits.state.lock().unwrap().waiting == 0 {
                std::thread::yield_now();
            }
            drop(held);
            waiter.join().unwrap();
        });
        let count = permits.state.lock().unwrap();
        assert_eq!((count.free, count.waiting), (1, 0));
    }
}
