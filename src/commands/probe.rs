//! `cbkit probe <vendor> --url URL`: the vendor's handshake against a live endpoint.

use anyhow::Result;
use colored::Colorize;
use serde_json::json;

use cbkit::replay::{self, Sender};

use super::{Ctx, input};
use crate::cli::ProbeCmd;

pub fn run(ctx: &Ctx, cmd: &ProbeCmd) -> Result<i32> {
    let secrets = input::secrets(&cmd.secrets);
    let url = input::url(&cmd.url)?;
    let client = replay::client(cmd.insecure)?;
    let sender = Sender {
        client: &client,
        url,
        secrets: &secrets,
    };
    let warnings: Vec<String> = cmd.vendor.vendor().url_warning(url).into_iter().collect();
    let steps = cbkit::probe::run(&sender, cmd.vendor, cmd.timeout, || ctx.now())?;
    let passed = steps.iter().all(|s| s.ok);
    if ctx.json {
        ctx.print_json(
            &json!({"vendor": cmd.vendor.name(), "url": url, "passed": passed, "checks": steps, "warnings": warnings}),
        );
    } else {
        for w in &warnings {
            eprintln!("{} {w}", "warning:".yellow().bold());
        }
        println!("{} probe of {}", cmd.vendor.title(), url);
        for s in &steps {
            let mark = if s.ok { "✓".green() } else { "✗".red() };
            let status = s.status.map_or("---".to_string(), |c| c.to_string());
            println!(
                "  {mark} {:<38} {:<4} {status}  {:>7.1}ms / {}ms",
                s.fixture, s.method, s.latency_ms, s.deadline_ms
            );
            if !s.ok || !s.fix.is_empty() {
                println!(
                    "      {}",
                    cbkit::render::escape_bytes(s.reason.as_bytes(), 300)
                );
                println!("      {} {}", "fix:".bold(), s.fix);
            }
        }
        let line = if passed {
            "passed: the vendor would accept these answers".green()
        } else {
            "failed".red()
        };
        println!("{line}");
    }
    Ok(if passed { 0 } else { 1 })
}
