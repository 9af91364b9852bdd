//! The sender: deliver a callback the way its vendor does — fresh timestamp, nonce and
//! signature, the vendor's deadline, its acceptance rule, and its retry schedule.
//!
//! Time is injected ([`Clock`]) so the schedule logic is tested exactly without sleeping, and
//! scaled (`time_scale`) so CI can run Tencent Meeting's 1/3/6-minute schedule in seconds.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::http::{HttpReply, HttpRequest};
use crate::protocol::{Kind, Now, Secrets, Variant, VendorId};

/// Where time comes from. `elapsed` is real time since the delivery started.
pub trait Clock {
    fn elapsed(&self) -> Duration;
    /// Sleep until `at`, or until the run is interrupted.
    fn sleep_until(&self, at: Duration);
    /// Whether the run was asked to stop (Ctrl-C, SIGTERM): no further attempt is made.
    fn interrupted(&self) -> bool {
        false
    }
}

/// The wall clock, optionally stopped early by a flag a signal handler raises.
pub struct RealClock {
    start: Instant,
    stop: Option<Arc<AtomicBool>>,
}

impl RealClock {
    pub fn new() -> Self {
        RealClock {
            start: Instant::now(),
            stop: None,
        }
    }

    /// A clock whose waits end as soon as `stop` is raised.
    pub fn stopped_by(stop: Arc<AtomicBool>) -> Self {
        RealClock {
            start: Instant::now(),
            stop: Some(stop),
        }
    }
}

impl Default for RealClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for RealClock {
    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    fn sleep_until(&self, at: Duration) {
        // Sleep most of the way, then spin the last stretch: retry timing is a feature
        // (every attempt within a few ms of its schedule), and OS sleeps overshoot.
        // With a stop flag, sleep in short steps so an interruption ends the wait at once.
        let step = if self.stop.is_some() {
            Duration::from_millis(20)
        } else {
            Duration::MAX
        };
        loop {
            let now = self.start.elapsed();
            if now >= at || self.interrupted() {
                return;
            }
            let left = at - now;
            if left > Duration::from_millis(3) {
                std::thread::sleep((left - Duration::from_millis(2)).min(step));
            } else {
                std::thread::yield_now();
            }
        }
    }

    fn interrupted(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst))
    }
}

/// Run `work` on a thread of its own and wait for its result, unless `stop` is raised first:
/// then the result is abandoned (the thread ends with its request's deadline, or with the
/// process) and `None` returned, so an interrupted run does not wait out an answer.
pub fn unless_stopped<T: Send + 'static>(
    stop: &AtomicBool,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(v) => return Some(v),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return None,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if stop.load(Ordering::SeqCst) => {
                return None;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
}

/// A retry schedule: offsets (in vendor time) after the first failure, and the time scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub offsets: Vec<Duration>,
    /// Real seconds per vendor second (0.01 turns 1 minute into 0.6 s).
    pub time_scale: f64,
}

impl Schedule {
    fn scaled(&self, d: Duration) -> Duration {
        d.mul_f64(self.time_scale)
    }
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Option<u16>,
    pub latency: Duration,
    pub accepted: bool,
    pub reason: String,
    /// Whether the vendor's schedule applies: false for a request that cannot be built, which
    /// fails the same way on every attempt.
    pub retryable: bool,
}

impl Outcome {
    /// A failure no retry can fix.
    pub fn fatal(reason: String) -> Outcome {
        Outcome {
            status: None,
            latency: Duration::ZERO,
            accepted: false,
            reason,
            retryable: false,
        }
    }
}

/// One attempt on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    pub attempt: u32,
    /// The vendor's offset for this attempt, counted from the first failure (0 for the first).
    pub scheduled_offset_ms: u64,
    /// When it was due and when it went out, in real ms since the delivery started.
    pub scheduled_at_ms: f64,
    pub sent_at_ms: f64,
    pub latency_ms: f64,
    pub status: Option<u16>,
    pub accepted: bool,
    pub reason: String,
}

/// A delivery's attempts, and whether the run was interrupted before the delivery finished.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub attempts: Vec<Attempt>,
    pub interrupted: bool,
}

/// Run attempts until one is accepted, one fails in a way no retry can fix, the schedule is
/// used up, or the clock is interrupted. `before_wait(n, wait)` is called before sleeping for
/// attempt `n` (for a countdown).
pub fn run_schedule(
    clock: &dyn Clock,
    schedule: &Schedule,
    before_wait: &mut dyn FnMut(u32, Duration),
    attempt: &mut dyn FnMut(u32) -> Outcome,
) -> Timeline {
    let mut out = Vec::new();
    let mut first_failure: Option<Duration> = None;
    for n in 1..=(schedule.offsets.len() as u32 + 1) {
        let (offset, due) = match first_failure {
            None => (Duration::ZERO, clock.elapsed()),
            Some(f) => {
                let offset = schedule.offsets[n as usize - 2];
                (offset, f + schedule.scaled(offset))
            }
        };
        let now = clock.elapsed();
        if due > now && !clock.interrupted() {
            before_wait(n, due - now);
            clock.sleep_until(due);
        }
        if clock.interrupted() {
            return Timeline {
                attempts: out,
                interrupted: true,
            };
        }
        let sent = clock.elapsed();
        let o = attempt(n);
        out.push(Attempt {
            attempt: n,
            scheduled_offset_ms: offset.as_millis() as u64,
            scheduled_at_ms: ms(due),
            sent_at_ms: ms(sent),
            latency_ms: ms(o.latency),
            status: o.status,
            accepted: o.accepted,
            reason: o.reason,
        });
        if o.accepted || !o.retryable {
            break;
        }
        // The vendor counts from the moment the first attempt failed (its deadline passed or
        // a wrong answer arrived).
        first_failure.get_or_insert_with(|| clock.elapsed());
    }
    // An attempt cut short by the interruption leaves the delivery unfinished.
    let interrupted = clock.interrupted() && !out.last().is_some_and(|a| a.accepted);
    Timeline {
        attempts: out,
        interrupted,
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
}

/// The sender's HTTP client (see [`crate::client::sender`]).
pub use crate::client::sender as client;
pub use crate::client::{fmt_duration, target_url};

/// Send one request, byte for byte, within `deadline`.
pub fn send(
    client: &reqwest::blocking::Client,
    base_url: &str,
    req: &HttpRequest,
    deadline: Duration,
) -> Result<HttpReply, String> {
    send_classified(client, base_url, req, deadline).map_err(|(why, _)| why)
}

/// [`send`], also telling whether a failure is one a retry could fix.
fn send_classified(
    client: &reqwest::blocking::Client,
    base_url: &str,
    req: &HttpRequest,
    deadline: Duration,
) -> Result<HttpReply, (String, bool)> {
    crate::client::send(
        client,
        &target_url(base_url, req),
        req,
        deadline,
        crate::client::Mode::Exact,
    )
    .map_err(|e| (crate::client::describe(&e, deadline), e.retryable()))
}

/// Where and how deliveries go: the client, the receiver's URL and the secrets to sign with.
pub struct Sender<'a> {
    pub client: &'a reqwest::blocking::Client,
    pub url: &'a str,
    pub secrets: &'a Secrets,
    /// Sees every request sent and what came back (`-v`).
    pub trace: Option<&'a (dyn Fn(&crate::exchange::Exchange) + Sync)>,
    /// How fixtures are sealed (WeChat's mode and format); [`Variant::DEFAULT`] for the vendor's way.
    pub variant: &'a Variant,
    /// Headers added, replaced or removed on every request (`-H`).
    pub headers: &'a [crate::client::HeaderEdit],
}

impl Sender<'_> {
    /// Send `req` within `deadline`, and show the exchange to the tracer.
    pub fn send(&self, req: &HttpRequest, deadline: Duration) -> Result<HttpReply, String> {
        self.send_classified(req, deadline).map_err(|(why, _)| why)
    }

    /// [`Sender::send`], also telling whether a failure is one a retry could fix.
    fn send_classified(
        &self,
        req: &HttpRequest,
        deadline: Duration,
    ) -> Result<HttpReply, (String, bool)> {
        let req = &crate::client::with_headers(req, self.headers);
        let result = send_classified(self.client, self.url, req, deadline);
        if let Some(trace) = self.trace {
            let reply = result.clone().map_err(|(why, _)| why);
            trace(&crate::exchange::Exchange {
                url: &target_url(self.url, req),
                request: req,
                reply: &reply,
            });
        }
        result
    }
}

impl Sender<'_> {
    /// Build, send and judge one attempt of a delivery: sealed fresh (timestamp, nonce,
    /// signature) around the same plaintext, so retries carry the same event ids as the
    /// vendor's do.
    pub fn attempt(
        &self,
        vendor: VendorId,
        plaintext: &[u8],
        kind: Kind,
        deadline: Duration,
        now: Now,
    ) -> Outcome {
        let v = vendor.vendor();
        match v.seal_variant(plaintext, kind, self.secrets, &v.stamp(now), self.variant) {
            Ok(req) => self.send_and_judge(vendor, &req, plaintext, kind, deadline),
            Err(e) => Outcome::fatal(format!("cannot build the request: {e}")),
        }
    }

    /// Send a built request and judge the reply by the vendor's rule.
    pub fn send_and_judge(
        &self,
        vendor: VendorId,
        req: &HttpRequest,
        plaintext: &[u8],
        kind: Kind,
        deadline: Duration,
    ) -> Outcome {
        let started = Instant::now();
        let result = self.send_classified(req, deadline);
        let latency = started.elapsed();
        match result {
            Err((reason, retryable)) => Outcome {
                status: None,
                latency,
                accepted: false,
                reason,
                retryable,
            },
            Ok(reply) => {
                let verdict = vendor
                    .vendor()
                    .judge_warned(kind, plaintext, &reply, self.secrets);
                Outcome {
                    status: Some(reply.status),
                    latency,
                    accepted: verdict.is_ok(),
                    reason: match verdict {
                        Ok(warnings) => accepted_with(&warnings),
                        Err(r) => r.reason,
                    },
                    // The vendor retries a rejected answer on its schedule.
                    retryable: true,
                }
            }
        }
    }
}

/// The reason of an accepted reply: `accepted`, with the judge's warnings after it.
pub fn accepted_with(warnings: &[crate::protocol::Warning]) -> String {
    let mut reason = String::from("accepted");
    for w in warnings {
        reason.push_str(&format!(" (warning: {w})"));
    }
    reason
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A clock that only moves when slept on, or when an attempt takes time.
    struct FakeClock {
        now: Cell<Duration>,
    }

    impl Clock for FakeClock {
        fn elapsed(&self) -> Duration {
            self.now.get()
        }
        fn sleep_until(&self, at: Duration) {
            if at > self.now.get() {
                self.now.set(at);
            }
        }
    }

    fn fail_first(clock: &FakeClock, k: u32, take: Duration) -> impl FnMut(u32) -> Outcome + '_ {
        move |n| {
            clock.now.set(clock.now.get() + take);
            Outcome {
                status: Some(if n <= k { 500 } else { 200 }),
                latency: take,
                accepted: n > k,
                reason: String::new(),
                retryable: true,
            }
        }
    }

    fn wemeet() -> Schedule {
        Schedule {
            offsets: vec![
                Duration::from_secs(60),
                Duration::from_secs(180),
                Duration::from_secs(360),
            ],
            time_scale: 1.0,
        }
    }

    #[test]
    fn tencent_schedule_counts_from_the_first_failure() {
        let clock = FakeClock {
            now: Cell::new(Duration::ZERO),
        };
        // The first attempt times out after its 5 s deadline.
        let attempts = run_schedule(
            &clock,
            &wemeet(),
            &mut |_, _| {},
            &mut fail_first(&clock, 2, Duration::from_secs(5)),
        )
        .attempts;
        assert_eq!(attempts.len(), 3);
        let due: Vec<f64> = attempts.iter().map(|a| a.scheduled_at_ms).collect();
        assert_eq!(due, vec![0.0, 65_000.0, 185_000.0]);
        assert_eq!(
            attempts
                .iter()
                .map(|a| a.scheduled_offset_ms)
                .collect::<Vec<_>>(),
            vec![0, 60_000, 180_000]
        );
        assert!(attempts[2].accepted);
    }

    #[test]
    fn always_failing_uses_every_retry_and_scale_compresses() {
        let clock = FakeClock {
            now: Cell::new(Duration::ZERO),
        };
        let mut s = wemeet();
        s.time_scale = 0.01;
        let mut waits = Vec::new();
        let attempts = run_schedule(
            &clock,
            &s,
            &mut |n, w| waits.push((n, w)),
            &mut fail_first(&clock, 99, Duration::ZERO),
        )
        .attempts;
        assert_eq!(attempts.len(), 4);
        assert!(attempts.iter().all(|a| !a.accepted));
        let due: Vec<f64> = attempts.iter().map(|a| a.scheduled_at_ms).collect();
        assert_eq!(due, vec![0.0, 600.0, 1800.0, 3600.0]);
        assert_eq!(waits.len(), 3);
        assert_eq!(waits[0], (2, Duration::from_millis(600)));
    }

    #[test]
    fn no_retry_means_one_attempt() {
        let clock = FakeClock {
            now: Cell::new(Duration::ZERO),
        };
        let s = Schedule {
            offsets: vec![],
            time_scale: 1.0,
        };
        assert_eq!(
            run_schedule(
                &clock,
                &s,
                &mut |_, _| {},
                &mut fail_first(&clock, 9, Duration::ZERO)
            )
            .attempts
            .len(),
            1
        );
    }

    /// A clock that is interrupted once it has slept `after` times.
    struct StoppingClock {
        inner: FakeClock,
        sleeps: Cell<u32>,
        after: u32,
    }

    impl Clock for StoppingClock {
        fn elapsed(&self) -> Duration {
            self.inner.elapsed()
        }
        fn sleep_until(&self, at: Duration) {
            self.sleeps.set(self.sleeps.get() + 1);
            self.inner.sleep_until(at);
        }
        fn interrupted(&self) -> bool {
            self.sleeps.get() >= self.after
        }
    }

    #[test]
    fn an_interruption_during_a_wait_ends_the_delivery_unfinished() {
        let clock = StoppingClock {
            inner: FakeClock {
                now: Cell::new(Duration::ZERO),
            },
            sleeps: Cell::new(0),
            after: 1,
        };
        let mut sent = 0;
        let run = run_schedule(&clock, &wemeet(), &mut |_, _| {}, &mut |_| {
            sent += 1;
            Outcome {
                status: Some(500),
                latency: Duration::ZERO,
                accepted: false,
                reason: "HTTP 500".into(),
                retryable: true,
            }
        });
        assert_eq!(sent, 1, "no attempt after the interruption");
        assert_eq!(run.attempts.len(), 1);
        assert!(run.interrupted);
    }

    #[test]
    fn a_failure_no_retry_can_fix_is_not_retried() {
        let clock = FakeClock {
            now: Cell::new(Duration::ZERO),
        };
        let run = run_schedule(&clock, &wemeet(), &mut |_, _| {}, &mut |_| {
            Outcome::fatal("cannot build the HTTP request".into())
        });
        assert_eq!(run.attempts.len(), 1);
        assert!(!run.interrupted);
    }

    #[test]
    fn unless_stopped_returns_the_result_or_gives_up_when_stopped() {
        let running = AtomicBool::new(false);
        assert_eq!(unless_stopped(&running, || 7), Some(7));
        let stopped = AtomicBool::new(true);
        let started = Instant::now();
        let r = unless_stopped(&stopped, || {
            std::thread::sleep(Duration::from_secs(5));
            1
        });
        assert_eq!(r, None);
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
