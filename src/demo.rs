//! The demo: an in-process receiver per vendor on 127.0.0.1 with the bundled default secrets,
//! and every bundled fixture of that vendor sent to it through the real HTTP path (handshakes
//! included), each judged twice: by the receiver (did it verify the request?) and by the
//! vendor's rule (would the vendor accept the answer?).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::fixture::{self, EnvLookup, Vars};
use crate::inspector::{Hook, Inspector, Source};
use crate::listen::{Handled, ListenConfig, Listener, StopHandle, Summary};
use crate::protocol::{Kind, Now, VendorId};
use crate::replay::{self, Sender};

/// How long to wait for the receiver's report of a request it has answered.
const REPORT_WAIT: Duration = Duration::from_secs(2);

/// One delivery of the demo.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRow {
    pub fixture: String,
    pub kind: Kind,
    pub status: Option<u16>,
    pub latency_ms: f64,
    /// The receiver verified the request.
    pub receiver_ok: bool,
    /// The vendor's rule accepts the receiver's answer.
    pub sender_ok: bool,
    /// Why it failed, or "ok".
    pub reason: String,
}

impl DemoRow {
    /// Verified by the receiver and accepted by the vendor's rule.
    pub fn passed(&self) -> bool {
        self.receiver_ok && self.sender_ok
    }
}

/// Run the demo for `vendors`, one receiver at a time. `now` stamps each delivery; `pinned`
/// pins the receivers' clock (None: the system clock); `env` answers `{{env.NAME}}` in fixtures.
pub fn run(
    vendors: &[VendorId],
    now: &dyn Fn() -> Now,
    pinned: Option<Now>,
    env: EnvLookup,
) -> anyhow::Result<Vec<DemoRow>> {
    let (rows, _) = run_with(vendors, now, pinned, env, None)?;
    Ok(rows)
}

/// A demo receiver left running for the inspector (`demo --inspect`).
pub struct Running {
    pub vendor: VendorId,
    pub url: String,
    stop: StopHandle,
    thread: std::thread::JoinHandle<Summary>,
}

impl Running {
    /// Stop the receiver and wait for it.
    pub fn stop(self) {
        self.stop.stop();
        let _ = self.thread.join();
    }
}

/// [`run`], each receiver reporting to `inspector` when given: those receivers are then left
/// running (returned) so that the page can replay what they received.
pub fn run_with(
    vendors: &[VendorId],
    now: &dyn Fn() -> Now,
    pinned: Option<Now>,
    env: EnvLookup,
    inspector: Option<&std::sync::Arc<Inspector>>,
) -> anyhow::Result<(Vec<DemoRow>, Vec<Running>)> {
    let client = replay::client(false)?;
    let mut rows = Vec::new();
    let mut running = Vec::new();
    for &v in vendors {
        let (r, receiver) = run_vendor(&client, v, now, pinned, env, inspector)?;
        rows.extend(r);
        match receiver {
            Some(receiver) if inspector.is_some() => running.push(receiver),
            Some(receiver) => receiver.stop(),
            None => {}
        }
    }
    Ok((rows, running))
}

/// One vendor's receiver, and its fixtures sent to it.
fn run_vendor(
    client: &reqwest::blocking::Client,
    v: VendorId,
    now: &dyn Fn() -> Now,
    pinned: Option<Now>,
    env: EnvLookup,
    inspector: Option<&Arc<Inspector>>,
) -> anyhow::Result<(Vec<DemoRow>, Option<Running>)> {
    let secrets = v.vendor().demo_secrets();
    let hook = inspector.map(|i| Hook {
        inspector: Arc::clone(i),
        source: i.add_source(Source {
            secrets: secrets.clone().into(),
            ..Source::default()
        }),
        serve_here: false,
    });
    let listener = Listener::bind(ListenConfig {
        vendor: Some(v),
        secrets: secrets.clone().into(),
        now: pinned,
        inspector: hook.clone(),
        ..ListenConfig::default()
    })?;
    if let Some(hook) = &hook {
        hook.inspector.set_url(hook.source, &listener.url());
    }
    let url = format!("{}/{}", listener.url(), v.name());
    let stop = listener.stop_handle();
    let seen: Arc<Mutex<Vec<Handled>>> = Arc::default();
    let reported = Arc::clone(&seen);
    let thread = std::thread::spawn(move || {
        listener.run(Arc::new(move |h: &Handled| {
            reported.lock().expect("not poisoned").push(h.clone())
        }))
    });
    let receiver = Running {
        vendor: v,
        url: url.clone(),
        stop: stop.clone(),
        thread,
    };
    {
        let sender = Sender {
            client,
            url: &url,
            secrets: &secrets,
            trace: None,
            variant: &crate::protocol::Variant::DEFAULT,
            headers: &[],
        };
        let result = (|| -> anyhow::Result<Vec<DemoRow>> {
            let mut rows = Vec::new();
            for f in fixture::resolve(v.name())? {
                let plaintext = f.render(
                    &Vars {
                        now: now(),
                        secrets: secrets.clone(),
                        env,
                    },
                    &[],
                )?;
                let kind = f.kind(&plaintext);
                let deadline = v.vendor().deadline(kind, &plaintext);
                let before = seen.lock().expect("not poisoned").len();
                let o = sender.attempt(v, &plaintext, kind, deadline, now());
                let handled = wait_for_report(&seen, before);
                let receiver_ok = handled.as_ref().is_some_and(Handled::accepted);
                let reason = if !o.accepted {
                    o.reason.clone()
                } else if let Some(h) = handled.as_ref().filter(|h| !h.accepted()) {
                    format!("receiver: {}", h.capture.errors.join("; "))
                } else if handled.is_none() {
                    "receiver saw no request".into()
                } else {
                    "ok".into()
                };
                rows.push(DemoRow {
                    fixture: f.name.clone(),
                    kind,
                    status: o.status,
                    latency_ms: o.latency.as_secs_f64() * 1000.0,
                    receiver_ok,
                    sender_ok: o.accepted,
                    reason,
                });
            }
            Ok(rows)
        })();
        match result {
            Ok(rows) => Ok((rows, Some(receiver))),
            Err(e) => {
                receiver.stop();
                Err(e)
            }
        }
    }
}

/// The receiver reports a request after answering it: wait (briefly) for report number `index`.
fn wait_for_report(seen: &Mutex<Vec<Handled>>, index: usize) -> Option<Handled> {
    let waited = Instant::now();
    loop {
        let h = seen.lock().expect("not poisoned").get(index).cloned();
        if h.is_some() || waited.elapsed() > REPORT_WAIT {
            return h;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
