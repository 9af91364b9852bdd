//! The receiver behind `cbkit listen` (and `cbkit demo`): a tiny_http server that serves each
//! request on its connection's thread, a bounded number at once, routes it to a vendor, verifies and opens it with the vendor module,
//! answers what a correct receiver answers (or forwards to the user's app and judges its answer),
//! and records one capture line per request.
//!
//! Transport only: the protocol decisions (signatures, decryption, reply bodies, whether a reply
//! is acceptable) all come from [`crate::protocol`]. Nothing here prints except the one loud error
//! when the record file cannot be written, which must never pass silently.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;

use crate::capture::Capture;
use crate::error::Error;
use crate::http::{HttpReply, HttpRequest};
use crate::protocol::{Check, Now, Opened, Secrets, SkewWindow, Vendor, VendorId};
use crate::replay_guard::{ReplayGuard, ReplayKey};

/// How often the supervisor looks at the stop flag and the idle timeout.
const POLL: Duration = Duration::from_millis(50);

/// Everything the listener is configured with.
#[derive(Debug, Clone)]
pub struct ListenConfig {
    /// The vendor to serve; `None` serves all of them (`/<vendor>` paths, or by shape at `/`).
    pub vendor: Option<VendorId>,
    pub host: String,
    pub port: u16,
    pub secrets: Secrets,
    /// Answer 401 (signature) / 403 (ids, token) when a check fails instead of answering anyway.
    pub strict: bool,
    /// Append one capture line per request, flushed before the reply is sent.
    pub record: Option<PathBuf>,
    /// Forward each request to this URL, relay and judge the app's answer.
    pub forward_to: Option<String>,
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
    /// How long a client may take to send its body before it is answered 408.
    pub read_timeout: Duration,
    /// PEM certificate and private key: serve HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Timestamp freshness window (`--max-skew`); by default the vendor's documented one.
    pub max_skew: SkewWindow,
}

impl Default for ListenConfig {
    fn default() -> Self {
        ListenConfig {
            vendor: None,
            host: "127.0.0.1".into(),
            port: 0,
            secrets: Secrets::default(),
            strict: false,
            record: None,
            forward_to: None,
            fail_first: 0,
            status: None,
            delay: None,
            reply: None,
            exit_after: None,
            idle_timeout: None,
            max_body: 1024 * 1024,
            workers: 8,
            read_timeout: Duration::from_secs(10),
            tls: None,
            max_skew: SkewWindow::VendorDefault,
        }
    }
}

/// What the listener made of one request (passed to `run`'s callback).
#[derive(Debug, Clone)]
pub struct Handled {
    /// The capture line as recorded (request, verdict, errors, plaintext, status).
    pub capture: Capture,
    pub vendor: Option<VendorId>,
    pub checks: Vec<Check>,
    /// With `forward_to`: whether the vendor would accept the app's answer (Err says why).
    pub forward: Option<Result<(), String>>,
    /// A remark that is not a failure: a secret that is not configured, a simulated fault.
    pub note: Option<String>,
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
}

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
        let addr = (cfg.host.as_str(), cfg.port);
        let server = match &cfg.tls {
            None => tiny_http::Server::http(addr),
            Some((cert, key)) => tiny_http::Server::https(addr, ssl_config(cert, key)?),
        }
        .map_err(|e| anyhow::anyhow!("cannot listen on {}:{}: {e}", cfg.host, cfg.port))?;
        let addr = server
            .server_addr()
            .to_ip()
            .context("the listener has no IP address")?;
        let record = match &cfg.record {
            Some(path) => Some(Recorder::open(path)?),
            None => None,
        };
        let client = match &cfg.forward_to {
            Some(_) => Some(forward_client()?),
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
    /// Performance: each request is read, processed, recorded and answered on the thread that
    /// reads its connection (tiny_http's handler hook, third_party/tiny_http patch 5), with the
    /// body read under a socket read deadline. It used to pass from the connection thread to a
    /// worker through tiny_http's queue, and from the worker to a body-reader thread and back:
    /// three threads per request, and most of the listener's time went to those hand-offs.
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
    /// When the last request started or finished, in ms since `started` (for --idle-timeout).
    started: Instant,
    last_activity_ms: AtomicU64,
    /// Requests admitted and not finished. Admission counts itself in before it reads the stop
    /// flag and `run` reads this after setting it (all SeqCst), so once `run` has seen it at 0
    /// after the stop nothing more is handled.
    ///
    /// Performance (issue #9, listener p99): this bookkeeping, the counts and the activity time
    /// were each a Mutex taken once or twice per request by every connection's thread; with
    /// more threads than cores, a thread preempted while holding one made all the others wait.
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

/// How often a stopping listener looks whether the requests in flight have finished.
const DRAIN_POLL: Duration = Duration::from_millis(2);

/// How many requests do their CPU-bound work at once: one less than the CPUs, at least one.
///
/// Performance (issue #9, wrk -c16 on 2 cores): with every connection's thread verifying,
/// decrypting and recording at once, the listener's threads outnumbered the cores and the
/// scheduler queued whichever thread woke next behind them: p99 21-31 ms at `--workers` 2 or 8
/// against 4.5-6.3 ms with one such thread, for 0.85x and 0.7x of the bare tiny_http
/// throughput. A free core keeps reading requests, the kernel's TCP work and the senders (on a
/// vendor's side, or a load generator on the same machine) moving. Waiting for the user's app
/// (`--forward`) or a simulated `--delay` does not hold a slot, so `--workers` still decides
/// how many of those run at once.
fn cpu_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1)
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
    free: Mutex<usize>,
    freed: Condvar,
}

struct Permit<'a>(&'a Permits);

impl Permits {
    fn new(n: usize) -> Permits {
        Permits {
            free: Mutex::new(n),
            freed: Condvar::new(),
        }
    }

    fn acquire(&self) -> Permit<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

/// The supervisor: serve requests tiny_http queued before the handler was set, stop on idle
/// timeout or when the accept loop dies; return once stopped.
fn supervise(server: &tiny_http::Server, shared: &Shared) {
    while !shared.stop.is_stopped() {
        match server.recv_timeout(POLL) {
            Ok(Some(rq)) => serve(rq, shared),
            Ok(None) => {}
            // The accept loop died (the socket is gone): nothing more will arrive.
            Err(_) => shared.stop.stop(),
        }
        if let Some(idle) = shared.cfg.idle_timeout
            && shared.in_flight() == 0
            && shared.idle_for() >= idle
        {
            shared.stop.stop();
        }
    }
}

/// Serve one request on the calling thread (its connection's): admit, handle, count, report.
fn serve(rq: tiny_http::Request, shared: &Shared) {
    let Some(_in_flight) = shared.admit() else {
        let _ = rq.respond(response(&plain(503, "cbkit listen is shutting down\n")));
        return;
    };
    let seq = shared.received.fetch_add(1, Ordering::SeqCst) + 1;
    if shared.cfg.exit_after.is_some_and(|n| seq > n) {
        // Arrived after the last request we were asked to serve.
        let _ = rq.respond(response(&plain(503, "cbkit listen is shutting down\n")));
        return;
    }
    shared.touch();
    let handled = handle(rq, seq, shared);
    shared.count(&handled);
    (shared.on_request)(&handled);
    shared.touch();
}

/// Handle one request end to end: read, process, record, answer.
fn handle(mut rq: tiny_http::Request, seq: u64, shared: &Shared) -> Handled {
    let received = SystemTime::now();
    let received_at = rfc3339(received);
    let mut req = request_head(&rq);
    let cfg = &shared.cfg;
    // The body is read before taking a worker permit: a slow client holds only its own
    // connection's thread, for at most --read-timeout.
    let body = if rq.body_length().is_some_and(|n| n > cfg.max_body) {
        // Content-Length alone says it is too big: never read it into memory.
        BodyRead::TooLarge
    } else {
        read_body(&mut rq, cfg.max_body, cfg.read_timeout)
    };
    let permit = shared.permits.acquire();
    // One CPU slot from here to the record; given up while waiting for the app or a --delay.
    let mut cpu = CpuSlot::take(&shared.cpu);
    let mut outcome = match body {
        BodyRead::Body(body) => {
            req.body = body;
            let mut out = process(cfg, &req, shared.client.as_ref(), seq, &mut cpu);
            flag_repeats(
                &shared.replays.lock().unwrap_or_else(|e| e.into_inner()),
                &mut out,
                cfg.strict,
            );
            simulate_faults(cfg, seq, &mut out);
            out
        }
        BodyRead::TooLarge => Outcome::rejected(
            413,
            format!("body larger than --max-body ({} bytes)", cfg.max_body),
        ),
        BodyRead::Failed(e) => Outcome::rejected(400, format!("cannot read the body: {e}")),
        BodyRead::TimedOut => Outcome::rejected(
            408,
            format!("client did not send its body within {:?}", cfg.read_timeout),
        ),
    };
    if outcome.vendor.is_none() {
        // Rejected before processing (too large, unreadable): still say whose it looked like.
        outcome.vendor = route(cfg.vendor, &req);
    }
    if let Some(d) = cfg.delay {
        cpu.while_waiting(|| std::thread::sleep(d));
    }
    // Record first: a capture line is handed to the kernel before the sender sees the answer.
    // The line is built on the CPU slot and written without it, as waiting for the app is: a
    // write stalled on a slow disk must not keep the other requests from being processed.
    let capture = outcome.capture(req, received_at, &cfg.secrets);
    let line = shared.record.as_ref().map(|_| Recorder::line(&capture));
    drop(cpu);
    let handled = outcome.finish(capture, line, received, shared);
    drop(permit);
    let _ = rq.respond(response(&outcome.reply));
    handled
}

/// What processing one request decided.
struct Outcome {
    vendor: Option<VendorId>,
    checks: Vec<Check>,
    errors: Vec<String>,
    notes: Vec<String>,
    opened: Option<Opened>,
    reply: HttpReply,
    forward: Option<Result<(), String>>,
    /// What identifies this request and its event for replay detection.
    replay_keys: Vec<ReplayKey>,
}

impl Outcome {
    /// Nothing decided yet for `vendor` (the reply is replaced once there is one).
    fn new(vendor: Option<VendorId>) -> Outcome {
        Outcome {
            vendor,
            checks: Vec::new(),
            errors: Vec::new(),
            notes: Vec::new(),
            opened: None,
            reply: plain(500, "cbkit listen: no reply was built\n"),
            forward: None,
            replay_keys: Vec::new(),
        }
    }

    fn rejected(status: u16, why: String) -> Outcome {
        reject_with(Outcome::new(None), status, why)
    }

    fn accepted(&self) -> bool {
        self.errors.is_empty() && self.checks.iter().all(|c| c.ok)
    }

    /// Record the capture's `line` (503 when that fails), and package what happened.
    fn finish(
        &mut self,
        mut capture: Capture,
        line: Option<std::io::Result<Vec<u8>>>,
        received: SystemTime,
        shared: &Shared,
    ) -> Handled {
        if let (Some(rec), Some(line)) = (&shared.record, line)
            && let Err(e) = line.and_then(|l| rec.write(&l))
        {
            let why = format!("cannot write the record file {}: {e}", rec.path.display());
            eprintln!("error: {why}; answering 503");
            self.reply = plain(503, &format!("cbkit listen: {why}\n"));
            self.errors.push(why);
            capture.status = Some(503);
            capture
                .errors
                .push(self.errors.last().cloned().unwrap_or_default());
            capture.verdict.insert("accepted".into(), false.into());
        }
        // Only what passed its checks is remembered: a forged request must not make the genuine
        // one look like a replay.
        if self.accepted() {
            let mut guard = shared.replays.lock().unwrap_or_else(|e| e.into_inner());
            for key in &self.replay_keys {
                guard.remember(key, self.reply.status, received);
            }
        }
        Handled {
            capture,
            vendor: self.vendor,
            checks: self.checks.clone(),
            forward: self.forward.clone(),
            note: (!self.notes.is_empty()).then(|| self.notes.join("; ")),
        }
    }

    fn capture(&self, request: HttpRequest, received_at: String, secrets: &Secrets) -> Capture {
        let mut verdict = serde_json::Map::new();
        for c in &self.checks {
            verdict.insert(c.name.into(), c.ok.into());
        }
        verdict.insert("accepted".into(), self.accepted().into());
        // Why verification failed: each failed check, then anything else that went wrong.
        let errors = self
            .checks
            .iter()
            .filter(|c| !c.ok)
            .map(check_error)
            .chain(self.errors.iter().cloned())
            .collect();
        Capture {
            received_at,
            vendor: self.vendor.map(|v| v.name().to_string()),
            request,
            verdict,
            errors,
            event_type: self.opened.as_ref().and_then(Opened::event_type),
            plaintext: self
                .opened
                .as_ref()
                .map(|o| redact(&String::from_utf8_lossy(&o.plaintext), secrets)),
            status: Some(self.reply.status),
        }
    }
}

/// Route, verify, open, reply; then strict mode and forwarding.
fn process(
    cfg: &ListenConfig,
    req: &HttpRequest,
    client: Option<&reqwest::blocking::Client>,
    seq: u64,
    cpu: &mut CpuSlot<'_>,
) -> Outcome {
    let Some(vendor) = route(cfg.vendor, req) else {
        return Outcome::rejected(
            404,
            format!(
                "cannot tell which vendor sent this: use {}",
                VendorId::path_list()
            ),
        );
    };
    let window = cfg.max_skew.for_vendor(vendor.vendor());
    let mut out = answer(vendor.vendor(), req, &cfg.secrets, now(), window);
    if cfg.strict
        && let Some(status) = strict_status(&out.checks)
    {
        out.reply = plain(status, "cbkit listen --strict: verification failed\n");
        return out;
    }
    // A simulated failure answers for the app: the app only sees the deliveries that get through.
    let simulated_failure = seq <= u64::from(cfg.fail_first);
    if let (Some(url), Some(client), false) = (&cfg.forward_to, client, simulated_failure) {
        cpu.while_waiting(|| forward(vendor.vendor(), client, url, req, &cfg.secrets, &mut out));
    }
    out
}

/// The vendor for a request: the configured one, else `/<vendor>` in the path, else its shape.
pub fn route(configured: Option<VendorId>, req: &HttpRequest) -> Option<VendorId> {
    if configured.is_some() {
        return configured;
    }
    let first = req.path.trim_start_matches('/').split('/').next()?;
    VendorId::lookup(first).or_else(|| VendorId::recognise(req))
}

/// The time verification uses: `CBKIT_NOW_MS` pins it, as for the other commands.
fn now() -> Now {
    std::env::var("CBKIT_NOW_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or_else(Now::system, |unix_ms| Now { unix_ms })
}

/// Run the vendor's receiver logic over one request and build its correct answer.
fn answer(
    vendor: &dyn Vendor,
    req: &HttpRequest,
    secrets: &Secrets,
    now: Now,
    window: Option<Duration>,
) -> Outcome {
    let mut out = Outcome::new(Some(vendor.id()));
    let cb = match vendor.parse(req) {
        Ok(cb) => cb,
        Err(e) => return reject_with(out, 400, format!("malformed request: {e}")),
    };
    out.replay_keys.extend(ReplayKey::request(vendor.id(), &cb));
    match vendor.verify_within(&cb, secrets, now, window) {
        Ok(checks) => out.checks = checks,
        Err(e @ Error::Missing { .. }) => {
            out.notes.push(format!("not verified: {e}"));
            out.checks.extend(vendor.freshness_check(&cb, now, window));
        }
        Err(e) => out.errors.push(format!("cannot verify: {e}")),
    }
    let opened = match vendor.open(&cb, secrets) {
        Ok(o) => o,
        Err(e) => {
            // Nothing to answer without the plaintext: a 400 with the reason in one line. The
            // failed check carries the reason into the verdict and the capture's errors.
            out.reply = plain(400, &format!("cbkit listen: cannot decode the body: {e}\n"));
            out.checks.push(Check::fail(
                "decrypted",
                "the body decodes",
                "",
                e.to_string(),
            ));
            return out;
        }
    };
    if opened.decrypted {
        out.checks
            .push(Check::pass("decrypted", "AES-256-CBC", "AES-256-CBC"));
    }
    out.checks.extend(vendor.check_opened(&opened, secrets));
    if let Some(id) = vendor.event_id(&opened.plaintext) {
        out.replay_keys.push(ReplayKey::Event(vendor.id(), id));
    }
    out.reply = match vendor.reply(&cb, &opened, secrets, &vendor.stamp(now)) {
        Ok(r) => r,
        Err(e) => {
            out.opened = Some(opened);
            return reject_with(out, 500, format!("cannot build the reply: {e}"));
        }
    };
    out.opened = Some(opened);
    out
}

/// Hide configured secrets in text derived from a request (Feishu's plaintext carries the
/// Verification Token), so neither the record file nor the terminal shows them. The raw body is
/// kept as received: it is what `verify --from-capture` checks.
fn redact(text: &str, secrets: &Secrets) -> String {
    let values: Vec<&crate::secret::Secret> = [&secrets.token, &secrets.aes_key]
        .into_iter()
        .flatten()
        .collect();
    crate::secret::redact(text, &values)
}

/// A failed check as one error line: `signature: signature mismatch`.
pub fn check_error(c: &Check) -> String {
    format!("{}: {}", c.name, c.note)
}

fn reject_with(mut out: Outcome, status: u16, why: String) -> Outcome {
    out.reply = plain(status, &format!("cbkit listen: {why}\n"));
    out.errors.push(why);
    out
}

/// How many requests and events replay detection remembers at least (oldest forgotten first).
const REPLAY_MEMORY: usize = 100_000;

/// Add a failed `replay` check (and, with --strict, answer 409) for a repeat of a delivered
/// request or event; a note for a retry of a failed one.
fn flag_repeats(guard: &ReplayGuard, out: &mut Outcome, strict: bool) {
    for key in &out.replay_keys {
        let Some(seen) = guard.seen(key) else {
            continue;
        };
        let what = key.describe();
        let (status, at) = (seen.status, rfc3339(seen.at));
        if seen.delivered() {
            out.checks.push(Check::fail(
                "replay",
                "a request not delivered before",
                what.clone(),
                format!("possible replay attack: {what} was already answered {status} at {at}"),
            ));
            if strict {
                out.reply = plain(
                    409,
                    "cbkit listen --strict: possible replay attack: already delivered\n",
                );
            }
            return;
        }
        out.notes
            .push(format!("a retry: {what} was answered {status} at {at}"));
        return;
    }
}

/// `--strict`: 401 for a bad signature, 403 for a wrong app id, receiver id or token.
fn strict_status(checks: &[Check]) -> Option<u16> {
    let failed: Vec<&Check> = checks.iter().filter(|c| !c.ok).collect();
    if failed.iter().any(|c| c.name == "signature") {
        Some(401)
    } else if failed.is_empty() || failed.iter().any(|c| c.name == "decrypted") {
        // Nothing failed, or the body did not open and the answer is already a 400.
        None
    } else {
        Some(403)
    }
}

/// `--fail-first N` / `--status` / `--reply`: override the answer to make a sender retry.
fn simulate_faults(cfg: &ListenConfig, seq: u64, out: &mut Outcome) {
    if seq <= u64::from(cfg.fail_first) {
        let status = cfg.status.unwrap_or(500);
        out.reply = plain(
            status,
            &format!(
                "cbkit listen: simulated failure {seq} of {} (--fail-first)\n",
                cfg.fail_first
            ),
        );
        out.notes.push(format!(
            "simulated failure {seq} of {} (--fail-first): answered {status}",
            cfg.fail_first
        ));
        return;
    }
    if let Some(text) = &cfg.reply {
        out.reply.body = text.clone().into_bytes();
        out.reply.headers = vec![("Content-Type".into(), "text/plain; charset=utf-8".into())];
        out.notes.push("answered the --reply text".into());
    }
    if let (0, Some(status)) = (cfg.fail_first, cfg.status) {
        out.reply.status = status;
    }
}

/// Send the original request to the app, relay its answer and judge it as the vendor would.
fn forward(
    vendor: &dyn Vendor,
    client: &reqwest::blocking::Client,
    url: &str,
    req: &HttpRequest,
    secrets: &Secrets,
    out: &mut Outcome,
) {
    let sent: &[u8] = out.opened.as_ref().map_or(&[], |o| &o.plaintext);
    let is_get = req.method.eq_ignore_ascii_case("GET");
    let kind = vendor.kind(is_get, sent);
    match send(
        client,
        &forward_url(url, req),
        req,
        vendor.deadline(kind, sent),
    ) {
        Ok(reply) => {
            out.forward = Some(vendor.judge(kind, sent, &reply, secrets));
            out.reply = reply;
        }
        Err(e) => {
            let why = format!("cannot reach your app at {url}: {e}");
            out.reply = plain(502, &format!("cbkit listen: {why}\n"));
            out.forward = Some(Err(why.clone()));
            out.errors.push(why);
        }
    }
}

/// Where a forwarded request goes: the app's URL, plus the original path when the URL has none,
/// plus the original query.
pub fn forward_url(base: &str, req: &HttpRequest) -> String {
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    let path = after_scheme
        .find(['/', '?'])
        .map_or("", |i| &after_scheme[i..]);
    let mut url = if !path.is_empty() && path != "/" {
        base.to_string()
    } else {
        format!("{}{}", base.trim_end_matches('/'), req.path)
    };
    if !req.query.is_empty() {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&req.query);
    }
    url
}

fn send(
    client: &reqwest::blocking::Client,
    url: &str,
    req: &HttpRequest,
    deadline: Duration,
) -> Result<HttpReply, String> {
    let method = reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|e| e.to_string())?;
    let mut rb = client.request(method, url).timeout(deadline);
    for (k, v) in &req.headers {
        if is_hop_header(k) {
            continue;
        }
        rb = rb.header(k.as_str(), v.as_str());
    }
    let resp = rb.body(req.body.clone()).send().map_err(|e| {
        if e.is_timeout() {
            format!("no answer within the vendor's deadline of {deadline:?}")
        } else {
            error_chain(&e)
        }
    })?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .filter(|(k, _)| k.as_str().eq_ignore_ascii_case("content-type"))
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = resp.bytes().map_err(|e| error_chain(&e))?.to_vec();
    Ok(HttpReply {
        status,
        headers,
        body,
    })
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!(": {c}"));
        cur = c.source();
    }
    s
}

/// Headers that describe one hop, not the request: the client sets its own.
fn is_hop_header(name: &str) -> bool {
    ["host", "content-length", "transfer-encoding", "connection"]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
}

fn forward_client() -> anyhow::Result<reqwest::blocking::Client> {
    reqwest::blocking::Client::builder()
        // Vendors never follow redirects: a redirecting app must be seen as one.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .context("cannot build the HTTP client for --forward-to")
}

/// The request line and headers, as received (Host and Content-Length left out, as a raw
/// capture parsed by `HttpRequest::parse_raw` leaves them out).
fn request_head(rq: &tiny_http::Request) -> HttpRequest {
    let (path, query) = match rq.url().split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (rq.url().to_string(), String::new()),
    };
    let headers = rq
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_string(),
                h.value.as_str().to_string(),
            )
        })
        .filter(|(k, _)| {
            !k.eq_ignore_ascii_case("host") && !k.eq_ignore_ascii_case("content-length")
        })
        .collect();
    HttpRequest {
        method: rq.method().as_str().to_ascii_uppercase(),
        path: if path.is_empty() { "/".into() } else { path },
        query,
        headers,
        body: Vec::new(),
    }
}

/// How reading a body ended.
enum BodyRead {
    Body(Vec<u8>),
    TooLarge,
    Failed(std::io::Error),
    TimedOut,
}

/// Read at most `max + 1` bytes of the body within `timeout` in all, on the calling thread:
/// each read waits at most for what is left of the time (a socket read timeout). After a
/// timeout the socket keeps a short one, so the rest of the body is not waited for and the
/// connection closes after the 408; otherwise the timeout is cleared again (an idle keep-alive
/// connection is not closed under its client).
fn read_body(rq: &mut tiny_http::Request, max: usize, timeout: Duration) -> BodyRead {
    // tiny_http has already read a body of at most 1 KiB (without Expect: 100-continue).
    let buffered = rq.body_length().is_some_and(|n| n <= 1024)
        && !rq.headers().iter().any(|h| h.field.equiv("Expect"));
    let limit = max.saturating_add(1);
    let mut body = Vec::with_capacity(rq.body_length().unwrap_or(0).min(limit));
    let mut chunk = vec![0u8; 16 * 1024];
    let deadline = Instant::now() + timeout;
    let mut timed = false;
    let end = loop {
        if !buffered {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break BodyRead::TimedOut;
            }
            // Unsupported only for Unix sockets (never served here): read without a deadline.
            timed = rq.set_read_timeout(Some(left)).is_ok();
        }
        let want = (limit - body.len()).min(chunk.len());
        match rq.as_reader().read(&mut chunk[..want]) {
            Ok(0) => break BodyRead::Body(std::mem::take(&mut body)),
            Ok(n) => {
                body.extend_from_slice(&chunk[..n]);
                if body.len() > max {
                    break BodyRead::TooLarge;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break BodyRead::TimedOut;
            }
            Err(e) => break BodyRead::Failed(e),
        }
    };
    if timed {
        let after = match end {
            BodyRead::TimedOut => Some(Duration::from_millis(1)),
            _ => None,
        };
        let _ = rq.set_read_timeout(after);
    }
    end
}

type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

/// A plain-text answer from the listener itself.
fn plain(status: u16, text: &str) -> HttpReply {
    HttpReply::new(status, "text/plain; charset=utf-8", text)
}

fn response(reply: &HttpReply) -> Response {
    let mut r = tiny_http::Response::from_data(reply.body.clone()).with_status_code(reply.status);
    for (k, v) in &reply.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            r.add_header(h);
        }
    }
    r
}

/// The record file: one capture line per request, written whole and flushed under a lock so
/// concurrent workers never interleave and a crash never loses an answered request.
struct Recorder {
    path: PathBuf,
    file: Mutex<File>,
}

impl Recorder {
    fn open(path: &std::path::Path) -> anyhow::Result<Recorder> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open the record file {}", path.display()))?;
        Ok(Recorder {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    /// A capture as its record line, newline included.
    fn line(capture: &Capture) -> std::io::Result<Vec<u8>> {
        let mut line = serde_json::to_vec(capture).map_err(std::io::Error::other)?;
        line.push(b'\n');
        Ok(line)
    }

    /// Append one whole line.
    fn write(&self, line: &[u8]) -> std::io::Result<()> {
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        f.write_all(line)?;
        f.flush()
    }

    fn flush(&self) {
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let _ = f.flush();
        let _ = f.sync_data();
    }
}

fn ssl_config(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> anyhow::Result<tiny_http::SslConfig> {
    Ok(tiny_http::SslConfig {
        certificate: std::fs::read(cert)
            .with_context(|| format!("cannot read --tls-cert {}", cert.display()))?,
        private_key: std::fs::read(key)
            .with_context(|| format!("cannot read --tls-key {}", key.display()))?,
    })
}

/// RFC 3339 UTC with milliseconds, e.g. `2026-01-02T03:04:05.678Z`.
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (y, m, day) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_known_instants() {
        let t = UNIX_EPOCH + Duration::from_millis(1_609_239_040_864);
        assert_eq!(rfc3339(t), "2020-12-29T10:50:40.864Z");
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn routes_by_path_then_shape() {
        let req = |path: &str| HttpRequest {
            method: "POST".into(),
            path: path.into(),
            ..HttpRequest::default()
        };
        assert_eq!(route(None, &req("/lark")), Some(VendorId::Feishu));
        assert_eq!(route(None, &req("/tim/x")), Some(VendorId::TencentIm));
        assert_eq!(route(None, &req("/ding")), Some(VendorId::Dingtalk));
        assert_eq!(route(None, &req("/WeWork")), Some(VendorId::Wecom));
        assert_eq!(route(None, &req("/")), None);
        assert_eq!(
            route(Some(VendorId::Wecom), &req("/feishu")),
            Some(VendorId::Wecom)
        );
    }

    #[test]
    fn forward_url_keeps_path_and_query() {
        let req = HttpRequest {
            method: "GET".into(),
            path: "/wemeet".into(),
            query: "check_str=a%2B".into(),
            ..HttpRequest::default()
        };
        assert_eq!(
            forward_url("http://h:1", &req),
            "http://h:1/wemeet?check_str=a%2B"
        );
        assert_eq!(
            forward_url("http://h:1/cb", &req),
            "http://h:1/cb?check_str=a%2B"
        );
    }

    #[test]
    fn strict_statuses() {
        let sig = Check::fail("signature", "a", "b", "x");
        let rid = Check::fail("receiver_id", "a", "b", "x");
        assert_eq!(strict_status(&[sig, rid.clone()]), Some(401));
        assert_eq!(strict_status(&[rid]), Some(403));
        assert_eq!(strict_status(&[]), None);
    }
}
