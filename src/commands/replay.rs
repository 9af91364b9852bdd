//! `cbkit replay`: deliver fixtures like the vendor — timeline, JSON, JUnit, load mode.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use colored::Colorize;
use serde_json::json;

use cbkit::fixture::{self, Fixture, Vars};
use cbkit::http::HttpRequest;
use cbkit::protocol::{Kind, Secrets, VendorId};
use cbkit::replay::{self, Attempt, Outcome, RealClock, Schedule, Sender, fmt_duration};

use super::{Ctx, input};
use crate::cli::ReplayCmd;

/// One thing to deliver.
struct Delivery {
    name: String,
    vendor: VendorId,
    kind: Kind,
    plaintext: Vec<u8>,
    /// A captured request sent exactly as it was, instead of sealing the plaintext afresh.
    exact: Option<HttpRequest>,
    fixture: Option<Fixture>,
}

impl Delivery {
    /// One attempt: a captured request goes out exactly as captured; a fixture is sealed afresh.
    fn send(
        &self,
        sender: &Sender,
        plaintext: &[u8],
        deadline: Duration,
        now: cbkit::protocol::Now,
    ) -> Outcome {
        match &self.exact {
            Some(req) => sender.send_and_judge(self.vendor, req, plaintext, self.kind, deadline),
            None => sender.attempt(self.vendor, plaintext, self.kind, deadline, now),
        }
    }
}

/// The result of one delivery.
struct Delivered {
    name: String,
    vendor: VendorId,
    accepted: bool,
    attempts: Vec<Attempt>,
}

pub fn run(ctx: &Ctx, cmd: &ReplayCmd) -> Result<i32> {
    let secrets = input::secrets(&cmd.secrets);
    let deliveries = deliveries(ctx, cmd, &secrets)?;
    let url = input::url(&cmd.url)?;
    let client = replay::client(cmd.insecure)?;
    if let Some(count) = cmd.count {
        return load(ctx, cmd, url, &client, &secrets, &deliveries, count);
    }
    let mut results = Vec::new();
    for d in &deliveries {
        results.push(deliver(ctx, cmd, url, &client, &secrets, d));
    }
    let accepted = results.iter().filter(|r| r.accepted).count();
    let rejected = results.len() - accepted;
    if let Some(path) = &cmd.report {
        std::fs::write(path, junit(&results)).map_err(|e| {
            cbkit::Error::malformed("report", format!("cannot write {}: {e}", path.display()))
        })?;
    }
    if ctx.json {
        let items: Vec<_> = results
            .iter()
            .map(|r| json!({"fixture": r.name, "vendor": r.vendor.name(), "url": url, "accepted": r.accepted, "attempts": r.attempts}))
            .collect();
        ctx.print_json(&json!({"deliveries": items, "accepted": accepted, "rejected": rejected}));
    } else if !ctx.quiet || rejected > 0 {
        let line = format!("{accepted} accepted, {rejected} rejected");
        println!(
            "{}",
            if rejected == 0 {
                line.green()
            } else {
                line.red()
            }
        );
    }
    Ok(if rejected == 0 { 0 } else { 1 })
}

fn deliveries(ctx: &Ctx, cmd: &ReplayCmd, secrets: &Secrets) -> Result<Vec<Delivery>> {
    let mut out = Vec::new();
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
        out.push(Delivery {
            name: format!("capture {spec}"),
            vendor,
            kind,
            plaintext,
            exact: Some(cap.request),
            fixture: None,
        });
    }
    let own_body = match &cmd.body {
        Some(p) => Some(input::read_path(p, "body")?),
        None => None,
    };
    for spec in &cmd.fixtures {
        for f in fixture::resolve(spec)? {
            let plaintext = match &own_body {
                Some(b) => b.clone(),
                None => f.render(
                    &Vars {
                        now: ctx.now(),
                        secrets: secrets.clone(),
                    },
                    &cmd.sets,
                )?,
            };
            out.push(Delivery {
                name: f.name.clone(),
                vendor: f.vendor,
                kind: f.kind(&plaintext),
                plaintext,
                exact: None,
                fixture: Some(f),
            });
        }
    }
    if out.is_empty() {
        return Err(cbkit::Error::missing(
            "fixture",
            "name at least one fixture (see `cbkit fixtures list`)",
        )
        .into());
    }
    // A missing or malformed secret is the user's input error: say so before sending anything.
    for d in out.iter().filter(|d| d.exact.is_none()) {
        let v = d.vendor.vendor();
        v.seal(&d.plaintext, d.kind, secrets, &v.stamp(ctx.now()))
            .map_err(|e| {
                anyhow::Error::new(e).context(format!(
                    "{} needs {} secrets",
                    d.name,
                    d.vendor.title()
                ))
            })?;
    }
    Ok(out)
}

fn schedule(cmd: &ReplayCmd, vendor: VendorId) -> (Schedule, String) {
    let (offsets, source) = if cmd.no_retry {
        (Vec::new(), "no retries (--no-retry)".to_string())
    } else if let Some(list) = &cmd.retry_schedule {
        (list.clone(), "--retry-schedule".to_string())
    } else {
        let s = vendor.vendor().retry_schedule();
        (s.offsets, s.source.to_string())
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
    let clock = RealClock::new();
    let progress = ctx.tty_progress();
    let mut before_wait = |n: u32, wait: Duration| {
        if progress {
            countdown(n, wait, cmd.time_scale);
        }
    };
    let mut attempt = |n: u32| -> Outcome {
        let sender = Sender {
            client,
            url,
            secrets,
        };
        let o = d.send(&sender, &d.plaintext, deadline, ctx.now());
        if text {
            print_attempt(n, &o, &clock, cmd.time_scale);
        }
        o
    };
    let attempts = replay::run_schedule(&clock, &schedule, &mut before_wait, &mut attempt);
    let accepted = attempts.last().is_some_and(|a| a.accepted);
    if text {
        let n = attempts.len();
        let verdict = if accepted {
            format!(
                "  accepted after {n} attempt{}",
                if n == 1 { "" } else { "s" }
            )
            .green()
        } else {
            format!(
                "  not accepted after {n} attempt{}",
                if n == 1 { "" } else { "s" }
            )
            .red()
        };
        println!("{verdict}\n");
    }
    Delivered {
        name: d.name.clone(),
        vendor: d.vendor,
        accepted,
        attempts,
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
fn fmt_offset(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1}s")
    } else {
        format!("{}m{:04.1}s", (s / 60.0) as u64, s % 60.0)
    }
}

/// A live countdown to the next attempt (terminal only).
fn countdown(n: u32, wait: Duration, scale: f64) {
    let bar = indicatif::ProgressBar::new(wait.as_millis() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("  {spinner} attempt #{msg} {wide_bar} ")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let start = Instant::now();
    // Leave the last few ms to the clock's precise sleep.
    while start.elapsed() + Duration::from_millis(20) < wait {
        let left = (wait - start.elapsed()).div_f64(scale);
        bar.set_message(format!("{n} in {} (vendor time)", fmt_offset(left)));
        bar.set_position(start.elapsed().as_millis() as u64);
        std::thread::sleep(
            Duration::from_millis(50)
                .min(wait.saturating_sub(start.elapsed() + Duration::from_millis(15))),
        );
    }
    bar.finish_and_clear();
}

/// Load mode: N deliveries of each fixture, C at a time, no retries.
fn load(
    ctx: &Ctx,
    cmd: &ReplayCmd,
    url: &str,
    client: &reqwest::blocking::Client,
    secrets: &Secrets,
    ds: &[Delivery],
    count: u64,
) -> Result<i32> {
    let total = count * ds.len() as u64;
    let next = AtomicU64::new(0);
    let latencies = Mutex::new(Vec::with_capacity(total as usize));
    let rejections: Mutex<std::collections::BTreeMap<String, u64>> = Mutex::default();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..cmd.concurrency.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let d = &ds[(i % ds.len() as u64) as usize];
                    // Fresh ids for every delivery: render the fixture again.
                    let plaintext = match (&d.fixture, &cmd.body) {
                        (Some(f), None) => f
                            .render(
                                &Vars {
                                    now: ctx.now(),
                                    secrets: secrets.clone(),
                                },
                                &cmd.sets,
                            )
                            .unwrap_or_else(|_| d.plaintext.clone()),
                        _ => d.plaintext.clone(),
                    };
                    let deadline = cmd
                        .timeout
                        .unwrap_or_else(|| d.vendor.vendor().deadline(d.kind, &plaintext));
                    let sender = Sender {
                        client,
                        url,
                        secrets,
                    };
                    let o = d.send(&sender, &plaintext, deadline, ctx.now());
                    if o.accepted {
                        latencies
                            .lock()
                            .expect("no panics while held")
                            .push(o.latency);
                    } else {
                        *rejections
                            .lock()
                            .expect("no panics while held")
                            .entry(o.reason)
                            .or_default() += 1;
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let mut lat = latencies.into_inner().expect("threads joined");
    lat.sort();
    let accepted = lat.len() as u64;
    let rejected = total - accepted;
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        (lat[i].as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
    };
    let rate = accepted as f64 / elapsed.as_secs_f64().max(1e-9);
    let reasons = rejections.into_inner().expect("threads joined");
    if ctx.json {
        ctx.print_json(&json!({
            "sent": total, "accepted": accepted, "rejected": rejected,
            "concurrency": cmd.concurrency, "elapsed_ms": elapsed.as_secs_f64() * 1000.0,
            "accepted_per_sec": rate,
            "latency_ms": {"p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99)},
            "rejections": reasons,
        }));
    } else {
        println!(
            "{total} sent in {:.2}s at concurrency {}: {accepted} accepted ({rate:.0}/s), {rejected} rejected",
            elapsed.as_secs_f64(),
            cmd.concurrency
        );
        println!(
            "latency ms: p50 {:.2}  p95 {:.2}  p99 {:.2}",
            pct(0.5),
            pct(0.95),
            pct(0.99)
        );
        for (reason, n) in reasons.iter().take(5) {
            println!(
                "  {n} × {}",
                cbkit::render::escape_bytes(reason.as_bytes(), 200)
            );
        }
    }
    Ok(if rejected == 0 { 0 } else { 1 })
}

/// JUnit XML: one test case per delivery, failed when not accepted.
fn junit(results: &[Delivered]) -> String {
    let failures = results.iter().filter(|r| !r.accepted).count();
    let total_ms: f64 = results
        .iter()
        .flat_map(|r| &r.attempts)
        .map(|a| a.latency_ms)
        .sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"{}\" failures=\"{failures}\">\n  <testsuite name=\"cbkit replay\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{:.3}\">\n",
        results.len(),
        results.len(),
        total_ms / 1000.0
    );
    for r in results {
        let time: f64 = r.attempts.iter().map(|a| a.latency_ms).sum::<f64>() / 1000.0;
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{time:.3}\">\n",
            xml_escape(r.vendor.name()),
            xml_escape(&r.name)
        ));
        if !r.accepted {
            let last = r
                .attempts
                .last()
                .map(|a| a.reason.clone())
                .unwrap_or_default();
            out.push_str(&format!(
                "      <failure message=\"{}\">{}</failure>\n",
                xml_escape(&format!(
                    "not accepted after {} attempts: {last}",
                    r.attempts.len()
                )),
                xml_escape(
                    &r.attempts
                        .iter()
                        .map(|a| format!("#{} status {:?}: {}", a.attempt, a.status, a.reason))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn xml_escape(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}
