//! `cbkit demo`: an in-process receiver per vendor on 127.0.0.1 with the bundled default
//! secrets, every bundled fixture sent through the real HTTP path (handshakes included), and a
//! table of results. Exit 0 when the receiver verified every request and the sender accepted
//! every answer.

use anyhow::Result;
use colored::Colorize;
use serde_json::json;

use cbkit::demo::{self, DemoRow};
use cbkit::protocol::{Kind, VendorId};

use super::Ctx;
use crate::cli::DemoCmd;

pub fn run(ctx: &Ctx, cmd: &DemoCmd) -> Result<i32> {
    let vendors: Vec<VendorId> = match cmd.vendor {
        Some(v) => vec![v],
        None => VendorId::ALL.to_vec(),
    };
    let inspect = cmd.inspect.inspect || cmd.inspect.inspect_port.is_some();
    // The page and the receivers stay up until Ctrl-C: caught from the start.
    let signals = if inspect {
        Some(super::listen::signals()?)
    } else {
        None
    };
    let inspector = inspect.then(|| {
        cbkit::inspector::Inspector::new(cmd.inspect.inspect_keep, ctx.show_secrets, "127.0.0.1")
    });
    let (rows, receivers) = demo::run_with(
        &vendors,
        &|| ctx.now(),
        ctx.pinned_now(),
        |name| std::env::var(name).ok(),
        inspector.as_ref(),
    )?;
    let page = match &inspector {
        Some(i) => Some(cbkit::inspector::OwnPort::bind(
            std::sync::Arc::clone(i),
            "127.0.0.1",
            cmd.inspect.inspect_port.unwrap_or(0),
        )?),
        None => None,
    };
    let page_url = page.as_ref().map(|p| cbkit::inspector::page_url(p.url()));
    let passed = rows.iter().filter(|r| r.passed()).count();
    let failed = rows.len() - passed;
    if ctx.json {
        let items: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({"fixture": r.fixture, "kind": kind_label(r.kind), "status": r.status, "latency_ms": r.latency_ms,
                       "verified_by_receiver": r.receiver_ok, "accepted_by_vendor_rule": r.sender_ok, "reason": r.reason})
            })
            .collect();
        let mut doc = json!({"deliveries": items, "passed": passed, "failed": failed});
        if let Some(url) = &page_url {
            doc["inspect"] = url.clone().into();
        }
        ctx.print_json(&doc);
    } else {
        print_table(&rows);
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
        if let Some(url) = &page_url {
            println!("{}", super::inspect::ready_text(url));
        } else if !ctx.quiet {
            println!(
                "next: `cbkit listen --vendor auto` for your own tests, `cbkit replay <fixture> --url <your URL>` against your server"
            );
        }
    }
    if let (Some(mut signals), Some(page), Some(inspector)) = (signals, page, inspector) {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if !ctx.quiet {
            eprintln!("the receivers and the page stay up until Ctrl-C");
        }
        let _ = signals.forever().next();
        inspector.close();
        page.shutdown();
        for r in receivers {
            r.stop();
        }
    }
    Ok(if failed == 0 { 0 } else { 1 })
}

fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Handshake => "handshake",
        Kind::Event => "event",
    }
}

fn print_table(rows: &[DemoRow]) {
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
    for r in rows {
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
            kind_label(r.kind),
            r.status.map_or("---".into(), |s| s.to_string()),
            r.latency_ms,
            mark(r.receiver_ok),
            mark(r.sender_ok)
        );
        if !r.passed() {
            println!(
                "    {}",
                cbkit::render::escape_bytes(r.reason.as_bytes(), 300)
            );
        }
    }
}
