//! `cbkit replay`: deliver fixtures like the vendor — timeline, JSON, JUnit, load mode.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use colored::Colorize;
use serde_json::json;

use cbkit::delivery::{Delivered, Delivery};
use cbkit::event_filter::EventFilter;
use cbkit::fixture::{self, EnvLookup, Vars};
use cbkit::load::{self, LoadPlan};
use cbkit::protocol::{Kind, Secrets, Variant, VendorId};
use cbkit::replay::{self, Outcome, RealClock, Schedule, Sender, fmt_duration};

use super::{Ctx, input};
use crate::cli::ReplayCmd;

/// `{{env.NAME}}` in fixtures reads the process environment.
const PROCESS_ENV: EnvLookup = |name| std::env::var(name).ok();

pub fn run(ctx: &Ctx, cmd: &ReplayCmd) -> Result<i32> {
    let secrets = input::secrets(&cmd.secrets);
    let variant = chosen_variant(cmd);
    let deliveries = deliveries(ctx, cmd, &variant)?;
    let url = input::url(&cmd.url)?;
    let client = replay::client(cmd.insecure)?;
    if let Some(count) = cmd.count {
        // Load mode sends one vendor's deliveries: that vendor's secrets.
        let secrets = deliveries
            .first()
            .map_or(secrets, |d| ctx.secrets_for(d.vendor, &cmd.secrets));
        let sender = Sender {
            client: &client,
            url,
            secrets: &secrets,
            // Load mode sends thousands: no per-request trace.
            trace: None,
            variant: &variant,
            headers: &cmd.headers,
        };
        return load(ctx, cmd, &sender, &deliveries, count);
    }
    let stop = stop_on_signals()?;
    let mut results = Vec::new();
    for d in &deliveries {
        results.push(if stop.load(Ordering::SeqCst) {
            Delivered::not_started(d)
        } else {
            let secrets = ctx.secrets_for(d.vendor, &cmd.secrets);
            deliver(ctx, cmd, url, &client, &secrets, d, &stop)
        });
    }
    let accepted = results.iter().filter(|r| r.accepted).count();
    let rejected = results.iter().filter(|r| r.rejected()).count();
    let interrupted = results.iter().filter(|r| r.interrupted).count();
    if let Some(path) = &cmd.report {
        std::fs::write(path, cbkit::junit::report(&results)?).map_err(|e| {
            cbkit::Error::malformed("report", format!("cannot write {}: {e}", path.display()))
        })?;
    }
    if ctx.json {
        let items: Vec<_> = results
            .iter()
            .map(|r| json!({"fixture": r.name, "vendor": r.vendor.name(), "url": url, "accepted": r.accepted, "interrupted": r.interrupted, "attempts": r.attempts}))
            .collect();
        // time_scale: how the real-time fields (scheduled_at_ms, sent_at_ms) relate to the
        // vendor-time scheduled_offset_ms.
        ctx.print_json(
            &json!({"deliveries": items, "accepted": accepted, "rejected": rejected,
            "interrupted": interrupted, "time_scale": cmd.time_scale}),
        );
    } else if !ctx.quiet || rejected > 0 || interrupted > 0 {
        let mut line = format!("{accepted} accepted, {rejected} rejected");
        if interrupted > 0 {
            line.push_str(&format!(", {interrupted} interrupted"));
        }
        println!(
            "{}",
            if rejected + interrupted == 0 {
                line.green()
            } else {
                line.red()
            }
        );
    }
    Ok(if interrupted > 0 {
        EXIT_INTERRUPTED
    } else if rejected == 0 {
        0
    } else {
        1
    })
}

/// The mode and format named on the command line (WeChat's).
fn chosen_variant(cmd: &ReplayCmd) -> Variant {
    Variant {
        mode: cmd.mode.clone(),
        format: cmd.format.clone(),
    }
}

/// The exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: i32 = 130;

/// Ctrl-C and SIGTERM raise the returned flag: the run stops waiting, reports what it has and
/// exits 130. A second signal while it stops ends the process at once.
fn stop_on_signals() -> Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [SIGINT, SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, EXIT_INTERRUPTED, stop.clone())?;
        signal_hook::flag::register(sig, stop.clone())?;
    }
    Ok(stop)
}

fn deliveries(ctx: &Ctx, cmd: &ReplayCmd, variant: &Variant) -> Result<Vec<Delivery>> {
    let mut out = Vec::new();
    // The event type names of each delivery, for --events.
    let mut types: Vec<Vec<String>> = Vec::new();
    if let Some(spec) = &cmd.from_capture {
        let cap = input::read_capture(spec)?;
        let vendor: VendorId = cap
            .vendor
            .as_deref()
            .and_then(|v| v.parse().ok())
            .or_else(|| VendorId::recognise(&cap.request))
            .ok_or_else(|| {
                cbkit::Error::malformed(
                    "capture",
                    "the capture does not say which vendor it is for",
                )
            })?;
        let plaintext = cap.plaintext.clone().unwrap_or_default().into_bytes();
        let kind = vendor
            .vendor()
            .kind(cap.request.method == "GET", &plaintext);
        types.push(
            cap.event_type
                .clone()
                .or_else(|| vendor.vendor().event_type(&plaintext))
                .into_iter()
                .collect(),
        );
        out.push(Delivery {
            name: format!("capture {spec}"),
            vendor,
            kind,
            plaintext,
            exact: Some(cap.request),
            fixture: None,
            variant: Variant::default(),
        });
    }
    let own_body = match &cmd.body {
        Some(p) => Some(input::read_path(p, "body")?),
        None => None,
    };
    let sets = fixture::with_set_json(&cmd.sets, &cmd.set_json)?;
    for f in fixture::select::select(&cmd.fixtures, &cmd.exclude)? {
        let plaintext = match &own_body {
            Some(b) => b.clone(),
            None => f.render(
                &Vars {
                    now: ctx.now(),
                    secrets: ctx.secrets_for(f.vendor, &cmd.secrets),
                    env: PROCESS_ENV,
                },
                &sets,
            )?,
        };
        // The vendor's event field, and the fixture's event name (a handshake has no field).
        types.push(
            f.vendor
                .vendor()
                .event_type(&plaintext)
                .into_iter()
                .chain([f.event.clone()])
                .collect(),
        );
        out.push(Delivery {
            name: f.name.clone(),
            vendor: f.vendor,
            kind: f.kind(&plaintext),
            plaintext,
            // A fixture saved from a capture with --exact goes out as captured.
            exact: f.exact.clone(),
            // The user's own body is sent as given, even in load mode.
            variant: f.variant.clone(),
            fixture: own_body.is_none().then_some(f),
        });
    }
    let out = by_event(&cmd.events, out, &types)?;
    if out.is_empty() {
        return Err(cbkit::Error::missing(
            "fixture",
            "name at least one fixture (see `cbkit fixtures list`)",
        )
        .into());
    }
    // A missing or malformed secret, or a mode the vendor does not have, is the user's input
    // error: say so before sending anything.
    for d in out.iter().filter(|d| d.exact.is_none()) {
        let v = d.vendor.vendor();
        let variant = variant.or(&d.variant);
        v.check_variant(&variant)?;
        let secrets = &ctx.secrets_for(d.vendor, &cmd.secrets);
        v.seal_variant(&d.plaintext, d.kind, secrets, &v.stamp(ctx.now()), &variant)
            .map_err(|e| {
                let why = if e.field() == "format" {
                    d.name.clone()
                } else {
                    format!("{} needs {} secrets", d.name, d.vendor.title())
                };
                anyhow::Error::new(e).context(why)
            })?;
    }
    Ok(out)
}

/// The deliveries `--events` lets through (`types`: each one's event type names). A type that
/// none of them is of is an input error naming the types there are.
fn by_event(events: &[String], out: Vec<Delivery>, types: &[Vec<String>]) -> Result<Vec<Delivery>> {
    let Some(filter) = EventFilter::new(events)? else {
        return Ok(out);
    };
    let all: Vec<&str> = types.iter().flatten().map(String::as_str).collect();
    for (t, used) in filter.used_by(&all) {
        if !used {
            let mut known: Vec<&str> = all.clone();
            known.sort_unstable();
            known.dedup();
            let close = cbkit::suggest::closest_n(t, known.iter().copied(), 3);
            let hint = if close.is_empty() {
                format!("the selected deliveries are of {}", known.join(", "))
            } else {
                format!("closest: {}", close.join(", "))
            };
            return Err(cbkit::Error::malformed(
                "events",
                format!("no selected delivery is of type `{t}` ({hint})"),
            )
            .into());
        }
    }
    Ok(out
        .into_iter()
        .zip(types)
        .filter(|(_, t)| filter.admits(&t.iter().map(String::as_str).collect::<Vec<_>>()))
        .map(|(d, _)| d)
        .collect())
}

fn schedule(cmd: &ReplayCmd, vendor: VendorId) -> (Schedule, String) {
    let (offsets, source) = if cmd.no_retry {
        (Vec::new(), "no retries (--no-retry)".to_string())
    } else if let Some(list) = &cmd.retry_schedule {
        (list.clone(), "--retry-schedule".to_string())
    } else {
        let s = vendor.vendor().retry_schedule();
        (s.offsets.to_vec(), s.source.to_string())
    };
    (
        Schedule {
            offsets,
            time_scale: cmd.time_scale,
        },
        source,
    )
}

fn deliver(
    ctx: &Ctx,
    cmd: &ReplayCmd,
    url: &str,
    client: &reqwest::blocking::Client,
    secrets: &Secrets,
    d: &Delivery,
    stop: &Arc<AtomicBool>,
) -> Delivered {
    let vendor = d.vendor.vendor();
    let deadline = cmd
        .timeout
        .unwrap_or_else(|| vendor.deadline(d.kind, &d.plaintext));
    let (schedule, source) = schedule(cmd, d.vendor);
    let text = !ctx.json && !ctx.quiet;
    if text {
        let retries = if schedule.offsets.is_empty() {
            "no retries".to_string()
        } else {
            let list: Vec<String> = schedule
                .offsets
                .iter()
                .map(|o| format!("+{}", fmt_duration(*o)))
                .collect();
            format!("retries {} after the first failure", list.join(" "))
        };
        let scale = if cmd.time_scale != 1.0 {
            format!(", time ×{}", cmd.time_scale)
        } else {
            String::new()
        };
        println!("{} → {}", d.name.bold(), url);
        println!(
            "  {} {}, deadline {}, {retries}{scale}",
            d.vendor.title(),
            kind_name(d.kind),
            fmt_duration(deadline)
        );
        if ctx.verbose > 0 {
            println!("  schedule: {source}");
        }
    }
    let clock = RealClock::stopped_by(stop.clone());
    let progress = ctx.tty_progress();
    let mut before_wait = |n: u32, wait: Duration| {
        if progress {
            super::countdown::wait_for_attempt(n, wait, cmd.time_scale, stop);
        }
    };
    let mut attempt = |n: u32| -> Outcome {
        // The attempt runs on a thread of its own so an interruption need not wait for its
        // answer.
        let (client, url, secrets, variant, d2, now, ctx2) = (
            client.clone(),
            url.to_string(),
            secrets.clone(),
            chosen_variant(cmd),
            d.clone(),
            ctx.now(),
            ctx.clone(),
        );
        let headers = cmd.headers.clone();
        let sent = Instant::now();
        let job = move || {
            // `-v`: each request and answer as it happens, on stderr like curl's.
            let trace = |x: &cbkit::exchange::Exchange| {
                eprintln!("{}", super::probe::exchange_text(&ctx2, &secrets, x));
            };
            let sender = Sender {
                client: &client,
                url: &url,
                secrets: &secrets,
                trace: (ctx2.verbose > 0).then_some(&trace as _),
                variant: &variant,
                headers: &headers,
            };
            d2.send(&sender, &d2.plaintext, deadline, now)
        };
        let o = replay::unless_stopped(stop, job).unwrap_or_else(|| Outcome {
            status: None,
            latency: sent.elapsed(),
            accepted: false,
            reason: "interrupted while waiting for the answer".into(),
            retryable: true,
        });
        if text {
            print_attempt(n, &o, &clock, cmd.time_scale);
        }
        o
    };
    let run = replay::run_schedule(&clock, &schedule, &mut before_wait, &mut attempt);
    let attempts = run.attempts;
    let accepted = attempts.last().is_some_and(|a| a.accepted);
    if text {
        let n = attempts.len();
        let tries = format!("{n} attempt{}", if n == 1 { "" } else { "s" });
        let verdict = if accepted {
            format!("  accepted after {tries}").green()
        } else if run.interrupted {
            format!("  interrupted after {tries}").yellow()
        } else {
            format!("  not accepted after {tries}").red()
        };
        println!("{verdict}\n");
    }
    Delivered {
        name: d.name.clone(),
        vendor: d.vendor,
        accepted,
        attempts,
        interrupted: run.interrupted,
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Handshake => "URL-verification handshake",
        Kind::Event => "event",
    }
}

fn print_attempt(n: u32, o: &Outcome, clock: &RealClock, scale: f64) {
    use cbkit::replay::Clock;
    let sent = clock.elapsed().saturating_sub(o.latency);
    let vendor_time = sent.div_f64(scale);
    let mark = if o.accepted {
        "✓".green()
    } else {
        "✗".red()
    };
    let status = o.status.map_or("---".to_string(), |s| s.to_string());
    let real = if scale != 1.0 {
        format!(" (real +{:.3}s)", sent.as_secs_f64())
    } else {
        String::new()
    };
    println!(
        "  #{n}  at +{:<7}{real}  {:>6.1}ms  {status}  {mark} {}",
        fmt_offset(vendor_time),
        o.latency.as_secs_f64() * 1000.0,
        cbkit::render::escape_bytes(o.reason.as_bytes(), 300)
    );
    let _ = std::io::stdout().flush();
}

/// `+1m00s`-style offset in vendor time.
pub(super) fn fmt_offset(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1}s")
    } else {
        format!("{}m{:04.1}s", (s / 60.0) as u64, s % 60.0)
    }
}

/// Load mode: N deliveries of each fixture, C at a time, no retries.
fn load(
    ctx: &Ctx,
    cmd: &ReplayCmd,
    sender: &Sender,
    deliveries: &[Delivery],
    count: u64,
) -> Result<i32> {
    let sets = fixture::with_set_json(&cmd.sets, &cmd.set_json)?;
    let plan = LoadPlan {
        deliveries,
        count,
        concurrency: cmd.concurrency,
        timeout: cmd.timeout,
        sets: &sets,
        env: PROCESS_ENV,
    };
    let r = load::run(&plan, sender, &|| ctx.now());
    let (p50, p95, p99) = (r.latency_ms(0.50), r.latency_ms(0.95), r.latency_ms(0.99));
    let rate = r.accepted_per_sec();
    if ctx.json {
        ctx.print_json(&json!({
            "sent": r.sent, "accepted": r.accepted, "rejected": r.rejected,
            "concurrency": cmd.concurrency, "elapsed_ms": r.elapsed.as_secs_f64() * 1000.0,
            "accepted_per_sec": rate,
            "latency_ms": {"p50": p50, "p95": p95, "p99": p99},
            "rejections": r.rejections,
        }));
    } else {
        println!(
            "{} sent in {:.2}s at concurrency {}: {} accepted ({rate:.0}/s), {} rejected",
            r.sent,
            r.elapsed.as_secs_f64(),
            cmd.concurrency,
            r.accepted,
            r.rejected
        );
        println!("latency ms: p50 {p50:.2}  p95 {p95:.2}  p99 {p99:.2}");
        for (reason, n) in r.rejections.iter().take(5) {
            println!(
                "  {n} × {}",
                cbkit::render::escape_bytes(reason.as_bytes(), 200)
            );
        }
    }
    Ok(if r.rejected == 0 { 0 } else { 1 })
}
