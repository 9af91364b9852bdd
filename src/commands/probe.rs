//! `cbkit probe <vendor> --url URL`: the vendor's handshake against a live endpoint.

use anyhow::Result;
use colored::Colorize;
use serde_json::json;

use cbkit::fixture::{self, Fixture, select};
use cbkit::probe::{Options, ProbeStep};
use cbkit::protocol::Secrets;
use cbkit::replay::{self, Sender};

use super::{Ctx, input};
use crate::cli::ProbeCmd;

pub fn run(ctx: &Ctx, cmd: &ProbeCmd) -> Result<i32> {
    let secrets = input::secrets(&cmd.secrets);
    let plan = plan(ctx, cmd, &secrets)?;
    let url = input::url(&cmd.url)?;
    let client = replay::client(cmd.insecure)?;
    // `-v`: each exchange as it happens, on stderr like curl's, so stdout stays the result.
    let trace = |x: &cbkit::exchange::Exchange| {
        eprintln!("{}", exchange_text(ctx, &secrets, x));
    };
    let sender = Sender {
        client: &client,
        url,
        secrets: &secrets,
        trace: (ctx.verbose > 0).then_some(&trace as _),
        variant: &cbkit::protocol::Variant::DEFAULT,
        headers: &cmd.headers,
    };
    let opts = Options {
        timeout: cmd.timeout,
        no_negative: cmd.no_negative,
    };
    let warnings: Vec<String> = cmd.vendor.vendor().url_warning(url).into_iter().collect();
    if !ctx.json {
        for w in &warnings {
            eprintln!("{} {w}", "warning:".yellow().bold());
        }
    }
    if !ctx.json && !ctx.quiet {
        println!("{} probe of {}", cmd.vendor.title(), url);
    }
    let steps =
        cbkit::probe::run_plan(&sender, cmd.vendor, &plan, PROCESS_ENV, opts, || ctx.now())?;
    let passed = steps.iter().all(|s| s.ok);
    if ctx.json {
        ctx.print_json(&json!({
            "vendor": cmd.vendor.name(),
            "url": url,
            "passed": passed,
            "checks": steps,
            "negative": !cmd.no_negative,
            "warnings": warnings,
        }));
        return Ok(if passed { 0 } else { 1 });
    }
    if !ctx.quiet {
        for s in &steps {
            print_step(s);
        }
    }
    let line = if passed {
        "passed: the vendor would accept these answers".green()
    } else {
        "failed".red()
    };
    println!("{line}");
    Ok(if passed { 0 } else { 1 })
}

/// `{{env.NAME}}` in the user's fixtures reads the process environment.
const PROCESS_ENV: fixture::EnvLookup = |name| std::env::var(name).ok();

/// The fixtures to probe with: the vendor's plan, or its URL verification then the fixtures
/// named, each once (a pattern picks among the vendor's own); less `--exclude`.
fn plan(ctx: &Ctx, cmd: &ProbeCmd, secrets: &Secrets) -> Result<Vec<Fixture>> {
    let plan = if cmd.fixtures.is_empty() {
        cbkit::probe::plan(cmd.vendor, secrets)?
    } else {
        let own: Vec<Fixture> = fixture::bundled()
            .into_iter()
            .filter(|f| f.vendor == cmd.vendor)
            .collect();
        let mut chosen = Vec::new();
        for spec in &cmd.fixtures {
            for f in select::pick(spec, || &own)? {
                if f.vendor != cmd.vendor {
                    return Err(cbkit::Error::malformed(
                        "fixture",
                        format!(
                            "`{}` is a {} fixture; `cbkit probe {}` sends {} fixtures only",
                            f.name,
                            f.vendor.title(),
                            cmd.vendor.name(),
                            cmd.vendor.title()
                        ),
                    )
                    .into());
                }
                chosen.push(f);
            }
        }
        let chosen = select::unique(chosen);
        cbkit::probe::plan_with(cmd.vendor, secrets, chosen, ctx.now())?
    };
    Ok(select::exclude(plan, &cmd.exclude)?)
}

fn print_step(s: &ProbeStep) {
    let mark = if s.ok { "✓".green() } else { "✗".red() };
    let status = s.status.map_or("---".to_string(), |c| c.to_string());
    let label = match s.forged {
        Some(f) => format!("{} [{}]", s.fixture, f.label()),
        None => s.fixture.clone(),
    };
    println!(
        "  {mark} {label:<38} {:<4} {status}  {:>7.1}ms / {}ms",
        s.method, s.latency_ms, s.deadline_ms
    );
    // A step that passed with a warning (e.g. Feishu's challenge without a JSON Content-Type)
    // still shows its reason and fix.
    if s.ok && s.fix.is_empty() {
        return;
    }
    println!(
        "      {}",
        cbkit::render::escape_bytes(s.reason.as_bytes(), 300)
    );
    if let Some(body) = &s.reply_body {
        let shown = if body.is_empty() {
            "(empty)".to_string()
        } else {
            format!("`{}`", cbkit::render::escape_bytes(body.as_bytes(), 1024))
        };
        println!("      {} {shown}", "answer:".bold());
    }
    println!("      {} {}", "fix:".bold(), s.fix);
    if s.forged.is_some() {
        println!(
            "      (a receiver that answers everything on purpose, like `cbkit listen` without --strict: --no-negative skips these checks)"
        );
    }
}

/// One exchange as `-v` shows it (probe and replay): like `curl -v`, secrets masked unless
/// `--show-secrets`.
pub fn exchange_text(
    ctx: &Ctx,
    secrets: &cbkit::protocol::Secrets,
    x: &cbkit::exchange::Exchange,
) -> String {
    x.render(&|t: &str| secrets.redact_unless(ctx.show_secrets, t).into_owned())
}
