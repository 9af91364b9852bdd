//! `cbkit demo`: an in-process receiver per vendor on 127.0.0.1 with the bundled default
//! secrets, every bundled fixture sent through the real HTTP path (handshakes included), and a
//! table of results. Exit 0 when the receiver verified every request and the sender accepted
//! every answer.

use std::sync::Mutex;

use anyhow::Result;
use colored::Colorize;
use serde_json::json;

use cbkit::demo_secrets;
use cbkit::fixture::{self, Vars};
use cbkit::listen::{Handled, ListenConfig, Listener};
use cbkit::protocol::VendorId;
use cbkit::replay::{self, Sender};

use super::Ctx;
use crate::cli::DemoCmd;

/// One row of the table.
struct Row {
    fixture: String,
    kind: &'static str,
    status: Option<u16>,
    latency_ms: f64,
    receiver_ok: bool,
    sender_ok: bool,
    reason: String,
}

pub fn run(ctx: &Ctx, cmd: &DemoCmd) -> Result<i32> {
    let vendors: Vec<VendorId> = match cmd.vendor {
        Some(v) => vec![v],
        None => VendorId::ALL.to_vec(),
    };
    let client = replay::client(false)?;
    let mut rows = Vec::new();
    for v in vendors {
        let secrets = demo_secrets::for_vendor(v);
        let listener = Listener::bind(ListenConfig {
            vendor: Some(v),
            secrets: secrets.clone(),
            now: ctx.pinned_now(),
            ..ListenConfig::default()
        })?;
        let url = format!("{}/{}", listener.url(), v.name());
        let stop = listener.stop_handle();
        let seen: std::sync::Arc<Mutex<Vec<Handled>>> = std::sync::Arc::default();
        std::thread::scope(|scope| -> Result<()> {
            let reported = std::sync::Arc::clone(&seen);
            scope.spawn(move || {
                listener.run(std::sync::Arc::new(move |h: &Handled| {
                    reported.lock().expect("not poisoned").push(h.clone())
                }))
            });
            let seen = &*seen;
            let sender = Sender {
                client: &client,
                url: &url,
                secrets: &secrets,
            };
            let result = (|| -> Result<()> {
                for f in fixture::resolve(v.name())? {
                    let plaintext = f.render(
                        &Vars {
                            now: ctx.now(),
                            secrets: secrets.clone(),
                        },
                        &[],
                    )?;
                    let kind = f.kind(&plaintext);
                    let deadline = v.vendor().deadline(kind, &plaintext);
                    let before = seen.lock().expect("not poisoned").len();
                    let o = sender.attempt(v, &plaintext, kind, deadline, ctx.now());
                    // The listener reports a request after answering it: wait for the report.
                    let waited = std::time::Instant::now();
                    let handled = loop {
                        let h = seen.lock().expect("not poisoned").get(before).cloned();
                        if h.is_some() || waited.elapsed() > std::time::Duration::from_secs(2) {
                            break h;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    };
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
                    rows.push(Row {
                        fixture: f.name.clone(),
                        kind: match kind {
                            cbkit::protocol::Kind::Handshake => "handshake",
                            cbkit::protocol::Kind::Event => "event",
                        },
                        status: o.status,
                        latency_ms: o.latency.as_secs_f64() * 1000.0,
                        receiver_ok,
                        sender_ok: o.accepted,
                        reason,
                    });
                }
                Ok(())
            })();
            stop.stop();
            result
        })?;
    }
    let passed = rows.iter().filter(|r| r.receiver_ok && r.sender_ok).count();
    let failed = rows.len() - passed;
    if ctx.json {
        let items: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({"fixture": r.fixture, "kind": r.kind, "status": r.status, "latency_ms": r.latency_ms,
                       "verified_by_receiver": r.receiver_ok, "accepted_by_vendor_rule": r.sender_ok, "reason": r.reason})
            })
            .collect();
        ctx.print_json(&json!({"deliveries": items, "passed": passed, "failed": failed}));
    } else {
        println!(
            "cbkit demo: each vendor's receiver on 127.0.0.1, bundled default secrets, every bundled fixture over real HTTP\n"
        );
        let w = rows
            .iter()
            .map(|r| r.fixture.len())
            .max()
            .unwrap_or(7)
            .max(7);
        println!(
            "{:<w$}  {:<9}  {:>6}  {:>8}  {:<8}  {:<8}",
            "FIXTURE", "KIND", "STATUS", "LATENCY", "RECEIVER", "VENDOR"
        );
        for r in &rows {
            let mark = |ok: bool| {
                if ok {
                    "✓ ok    ".green()
                } else {
                    "✗ fail  ".red()
                }
            };
            println!(
                "{:<w$}  {:<9}  {:>6}  {:>6.1}ms  {}  {}",
                r.fixture,
                r.kind,
                r.status.map_or("---".into(), |s| s.to_string()),
                r.latency_ms,
                mark(r.receiver_ok),
                mark(r.sender_ok)
            );
            if !(r.receiver_ok && r.sender_ok) {
                println!(
                    "    {}",
                    cbkit::render::escape_bytes(r.reason.as_bytes(), 300)
                );
            }
        }
        let line = format!(
            "\n{passed} of {} deliveries verified by the receiver and accepted by the vendor's rule",
            rows.len()
        );
        println!(
            "{}",
            if failed == 0 {
                line.green()
            } else {
                line.red()
            }
        );
        if !ctx.quiet {
            println!(
                "next: `cbkit listen --vendor auto` for your own tests, `cbkit replay <fixture> --url <your URL>` against your server"
            );
        }
    }
    Ok(if failed == 0 { 0 } else { 1 })
}
