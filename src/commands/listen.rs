//! `cbkit listen`: a throwaway local receiver. Turns the flags into a `ListenConfig`, prints the
//! ready line and a banner, renders one block (or one JSON line) per request, and stops on
//! Ctrl-C / SIGTERM with a summary. The transport lives in `cbkit::listen`.

use std::io::Write;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use anyhow::Result;
use colored::Colorize;

use cbkit::listen::{Handled, ListenConfig, Listener, StopHandle, Summary, check_error};
use cbkit::protocol::VendorId;
use cbkit::render::{escape_bytes, pretty, sanitize_multiline};

use super::{Ctx, check_line, input};
use crate::cli::{ListenCmd, SecretArgs};

pub fn run(ctx: &Ctx, cmd: &ListenCmd) -> Result<i32> {
    let mut cfg = config(ctx, cmd)?;
    let inspect = super::inspect::plan(
        ctx,
        &cmd.inspect,
        &cfg.host,
        is_loopback(&cfg.host),
        cbkit::inspector::Source {
            url: None,
            secrets: cfg.secrets.clone(),
            forward_to: cfg.forward_to.clone(),
            max_skew: cfg.max_skew,
        },
    );
    cfg.inspector = inspect.as_ref().map(|p| p.hook.clone());
    if !is_loopback(&cfg.host) {
        eprintln!(
            "warning: listening on {} exposes the listener beyond this machine; it answers anyone who connects",
            escape_bytes(cfg.host.as_bytes(), 100)
        );
    }
    let vendor = cfg.vendor;
    // Before binding: once bound, connections take descriptors, and the signal pipe must not
    // have to compete with them.
    let signals = signals()?;
    let listener = Listener::bind(cfg)?;
    // Serving every vendor, each with its own secrets: which has which, and which lack some.
    let per_vendor = vendor
        .is_none()
        .then(|| per_vendor_secrets(ctx, &cmd.secrets));
    let inspect = match inspect {
        Some(plan) => Some(plan.serve(&listener.url())?),
        None => None,
    };
    ready_line(
        &listener.url(),
        inspect.as_ref().map(|s| s.page.as_str()),
        ctx.json,
        per_vendor.as_deref(),
    );
    if !ctx.quiet {
        banner(
            ctx,
            vendor,
            &listener.url(),
            &cmd.secrets,
            per_vendor.as_deref(),
        );
    }
    let interrupted = on_signals(signals, listener.stop_handle());
    let ctx_for_requests = ctx.clone();
    let app_rejected = Arc::new(AtomicU64::new(0));
    let app_rejected_in = app_rejected.clone();
    let summary = listener.run(std::sync::Arc::new(move |h: &Handled| {
        if matches!(h.forward, Some(Err(_))) {
            app_rejected_in.fetch_add(1, Ordering::SeqCst);
        }
        // --events: the answer and the summary count every request; only the output is filtered.
        if h.shown {
            print_request(&ctx_for_requests, h)
        }
    }));
    if let Some(served) = inspect {
        served.close();
    }
    let mut line = summary_line(&summary);
    match app_rejected.load(Ordering::SeqCst) {
        0 => {}
        1 => line.push_str(" (1 answer from your app would be rejected)"),
        n => line.push_str(&format!(" ({n} answers from your app would be rejected)")),
    }
    eprintln!("{line}");
    if summary.accept_failed {
        // Stopped without being asked to: never a clean exit.
        return Ok(1);
    }
    // Stopped by a signal: the user asked for it, so it is a clean exit. Stopped by
    // --once/--exit-after/--idle-timeout (CI): exit 1 when a request failed verification.
    Ok(
        if interrupted.load(Ordering::SeqCst) || summary.failed == 0 {
            0
        } else {
            1
        },
    )
}

/// Flags → the library's runtime configuration.
fn config(ctx: &Ctx, cmd: &ListenCmd) -> Result<ListenConfig> {
    let vendor = match cmd
        .vendor
        .as_deref()
        .unwrap_or("auto")
        .to_ascii_lowercase()
        .as_str()
    {
        "auto" | "all" => None,
        name => Some(
            name.parse::<VendorId>()
                .map_err(|e| cbkit::Error::malformed("vendor", format!("{e}, or auto")))?,
        ),
    };
    if let Some(url) = &cmd.forward_to {
        cbkit::client::check_url("forward-to", url)?;
    }
    if let Some(code) = cmd.status.filter(|c| !(100..=599).contains(c)) {
        return Err(cbkit::Error::malformed(
            "status",
            format!("{code} is not an HTTP status code (100-599)"),
        )
        .into());
    }
    Ok(ListenConfig {
        vendor,
        host: cmd.host.clone(),
        port: cmd.port,
        // With every vendor served, each gets its own (a profile's vendor tables).
        secrets: match vendor {
            Some(_) => input::secrets(&cmd.secrets).into(),
            None => ctx.secrets_by_vendor(&cmd.secrets),
        },
        forward_headers: cmd.headers.clone(),
        strict: cmd.strict,
        record: cmd.record.clone(),
        events: cbkit::event_filter::EventFilter::new(&cmd.events)?,
        forward_to: cmd.forward_to.clone(),
        fail_first: cmd.fail_first,
        status: cmd.status,
        delay: cmd.delay,
        reply: cmd.reply.clone(),
        exit_after: if cmd.once { Some(1) } else { cmd.exit_after },
        idle_timeout: cmd.idle_timeout,
        max_body: cmd.max_body,
        workers: cmd.workers.max(1),
        read_timeout: cmd.read_timeout,
        keep_alive: cmd.keep_alive,
        tls_handshake_timeout: cmd.tls_handshake_timeout,
        max_connections: cmd.max_connections,
        tls: cmd.tls_cert.clone().zip(cmd.tls_key.clone()),
        max_skew: cmd.max_skew.unwrap_or_default(),
        now: ctx.pinned_now(),
        inspector: None,
    })
}

pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_matches(['[', ']'])
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The first stdout line, flushed: scripts wait for it. Text: exactly `listening on URL`;
/// with --json, `{"listening":"URL"}`, so every stdout line parses as JSON. Serving every
/// vendor, the JSON object also has `secrets` {vendor: {`set`, `missing`}} (names only). With
/// the inspector, `inspect on PAGE` follows in text, and the JSON object has an `inspect` field.
fn ready_line(url: &str, inspect: Option<&str>, json: bool, per_vendor: Option<&[VendorSecrets]>) {
    let text = match (inspect, json) {
        (Some(page), true) => {
            let mut ready = ready_json(url, per_vendor);
            ready["inspect"] = page.into();
            ready.to_string()
        }
        (Some(page), false) => format!(
            "{}\n{}",
            ready_text(url, false, per_vendor),
            super::inspect::ready_text(page)
        ),
        (None, _) => ready_text(url, json, per_vendor),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

fn ready_text(url: &str, json: bool, per_vendor: Option<&[VendorSecrets]>) -> String {
    if !json {
        return format!("listening on {url}");
    }
    ready_json(url, per_vendor).to_string()
}

fn ready_json(url: &str, per_vendor: Option<&[VendorSecrets]>) -> serde_json::Value {
    let mut ready = serde_json::json!({ "listening": url });
    if let Some(per_vendor) = per_vendor {
        ready["secrets"] = per_vendor
            .iter()
            .map(|v| {
                (
                    v.vendor.name().to_string(),
                    serde_json::json!({"set": v.set, "missing": v.missing}),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into();
    }
    ready
}

/// Which secrets one served vendor has (names only), and which of those its receiver needs
/// are not set.
struct VendorSecrets {
    vendor: VendorId,
    set: Vec<&'static str>,
    missing: Vec<&'static str>,
}

fn per_vendor_secrets(ctx: &Ctx, args: &SecretArgs) -> Vec<VendorSecrets> {
    VendorId::ALL
        .iter()
        .map(|&vendor| {
            let needed = cbkit::listen::needed_secrets(vendor);
            let mut out = VendorSecrets {
                vendor,
                set: Vec::new(),
                missing: Vec::new(),
            };
            for (key, found) in ctx.sourced_secrets(vendor, args) {
                let name = secret_name(key);
                if found.is_some() {
                    out.set.push(name);
                } else if needed.contains(&name) {
                    out.missing.push(name);
                }
            }
            out
        })
        .collect()
}

/// A secret's name as the listener and errors spell it (`aes_key` → `aes-key`).
fn secret_name(key: &str) -> &'static str {
    cbkit::protocol::Secrets::FIELDS
        .into_iter()
        .find(|f| f.replace('-', "_") == key)
        .unwrap_or("secret")
}

/// What is served where, and where each secret came from (never the values). Goes to stderr
/// with --json so stdout stays one JSON object per line after the ready line.
fn banner(
    ctx: &Ctx,
    vendor: Option<VendorId>,
    url: &str,
    secrets: &SecretArgs,
    per_vendor: Option<&[VendorSecrets]>,
) {
    let mut lines = Vec::new();
    match vendor {
        Some(v) => lines.push(format!("  {:<22}{url}/ (any path)", v.title())),
        None => {
            for v in VendorId::ALL {
                lines.push(format!("  {:<22}{url}/{}", v.title(), v.name()));
            }
            lines.push(format!(
                "  {:<22}{url}/ (vendor recognised by the request's shape)",
                "any"
            ));
        }
    }
    // Which secrets each served vendor's receiver cannot verify or open a request without.
    let served: Vec<(VendorId, Vec<&str>)> = vendor
        .map_or_else(|| VendorId::ALL.to_vec(), |v| vec![v])
        .into_iter()
        .map(|v| (v, cbkit::listen::needed_secrets(v)))
        .collect();
    for (name, flag, env, value, secret) in [
        ("token", "--token", "CBKIT_TOKEN", &secrets.token, true),
        (
            "aes-key",
            "--aes-key",
            "CBKIT_AES_KEY",
            &secrets.aes_key,
            true,
        ),
        (
            "receiver-id",
            "--receiver-id",
            "CBKIT_RECEIVER_ID",
            &secrets.receiver_id,
            false,
        ),
        (
            "sdk-app-id",
            "--sdk-app-id",
            "CBKIT_SDK_APP_ID",
            &secrets.sdk_app_id,
            false,
        ),
    ] {
        let mut line = secret_source(ctx, name, flag, env, value.as_deref(), secret);
        // Serving every vendor, a vendor whose own table gives the secret does not miss it.
        let needed_by: Vec<&str> = served
            .iter()
            .filter(|(v, needs)| {
                needs.contains(&name)
                    && per_vendor.is_none_or(|all| {
                        all.iter()
                            .any(|s| s.vendor == *v && s.missing.contains(&name))
                    })
            })
            .map(|(v, _)| v.title())
            .collect();
        if line.ends_with("not set") && !needed_by.is_empty() {
            line.push_str(&format!(
                ": missing for {} (pass {flag} or set {env}): its requests cannot be fully checked",
                needed_by.join(", ")
            ));
        }
        lines.push(line);
    }
    if let Some(per_vendor) = per_vendor {
        lines.push("  secrets per vendor (names only):".to_string());
        for s in per_vendor {
            let mut parts = Vec::new();
            if !s.set.is_empty() {
                parts.push(format!("has {}", s.set.join(", ")));
            }
            if !s.missing.is_empty() {
                parts.push(format!("missing {}", s.missing.join(", ")));
            }
            if parts.is_empty() {
                parts.push("needs none".to_string());
            }
            lines.push(format!("    {:<22}{}", s.vendor.title(), parts.join("; ")));
        }
    }
    let text = lines.join("\n");
    if ctx.json {
        eprintln!("{text}");
    } else {
        // Not println!: a closed stdout (a reader that went away) must not stop the listener.
        let _ = writeln!(std::io::stdout(), "{text}");
    }
}

/// `token        from CBKIT_TOKEN` — ids (not secret) are shown, secrets only by source.
fn secret_source(
    ctx: &Ctx,
    name: &str,
    flag: &str,
    env: &str,
    value: Option<&str>,
    secret: bool,
) -> String {
    let key = name.replace('-', "_");
    let (Some(value), Some(source)) = (
        value.filter(|v| !v.is_empty()),
        ctx.source_of(&key, flag, env, value),
    ) else {
        return format!("  {name:<12} not set");
    };
    if secret {
        format!("  {name:<12} from {source}")
    } else {
        format!(
            "  {name:<12} {} (from {source})",
            escape_bytes(value.as_bytes(), 80)
        )
    }
}

/// Ctrl-C and SIGTERM, caught from now on.
pub fn signals() -> Result<signal_hook::iterator::Signals> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    Ok(signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?)
}

/// Ctrl-C and SIGTERM stop the listener gracefully; returns whether one arrived.
fn on_signals(mut signals: signal_hook::iterator::Signals, stop: StopHandle) -> Arc<AtomicBool> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            flag.store(true, Ordering::SeqCst);
            stop.stop();
        }
    });
    interrupted
}

pub fn summary_line(s: &Summary) -> String {
    format!(
        "{} requests, {} verified, {} failed",
        s.requests, s.verified, s.failed
    )
}

/// One request: a JSON line with --json, else a readable block; -q keeps only failures.
fn print_request(ctx: &Ctx, h: &Handled) {
    let failed = !h.accepted() || h.forward.as_ref().is_some_and(|f| f.is_err());
    if ctx.quiet && !failed {
        return;
    }
    let text = if ctx.json {
        serde_json::to_string(&h.capture).unwrap_or_default()
    } else {
        block(h)
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// The readable block: a title line, the checks, notes and errors, the app's verdict, the
/// plaintext. Everything that came from the network is escaped.
pub fn block(h: &Handled) -> String {
    let c = &h.capture;
    let mut lines = vec![title(h)];
    for check in &h.checks {
        lines.push(indent(&check_line(check), 2));
    }
    let unverified = h
        .unverified
        .clone()
        .map(|e| format!("not verified: {}", super::with_flag_hint(e)));
    let note = match (unverified, &h.note) {
        (Some(u), Some(n)) => Some(format!("{u}; {n}")),
        (u, n) => u.or_else(|| n.clone()),
    };
    if let Some(note) = &note {
        lines.push(format!(
            "  {} {}",
            "!".yellow(),
            escape_bytes(note.as_bytes(), 300)
        ));
    }
    // Failed checks are already shown above with their details.
    let from_checks: Vec<String> = h.checks.iter().filter(|c| !c.ok).map(check_error).collect();
    for e in c.errors.iter().filter(|e| !from_checks.contains(e)) {
        lines.push(format!(
            "  {} {}",
            "✗".red(),
            escape_bytes(e.as_bytes(), 300)
        ));
    }
    match &h.forward {
        Some(Ok(())) => lines.push(format!(
            "  {} your app's answer is one {} accepts",
            "✓".green(),
            h.vendor.map_or("the vendor", VendorId::title)
        )),
        Some(Err(why)) => lines.push(format!(
            "  {} your app's answer: {}",
            "✗".red(),
            escape_bytes(why.as_bytes(), 300)
        )),
        None => {}
    }
    if let Some(plain) = &c.plaintext {
        lines.push(indent(&sanitize_multiline(&pretty(plain)), 4));
    }
    lines.join("\n")
}

fn title(h: &Handled) -> String {
    let c = &h.capture;
    let time = c
        .received_at
        .split_once('T')
        .map_or(c.received_at.as_str(), |(_, t)| t.trim_end_matches('Z'));
    let vendor = h.vendor.map_or("unknown vendor", VendorId::title);
    let target = escape_bytes(c.request.target().as_bytes(), 80);
    let event = c
        .event_type
        .as_deref()
        .map(|e| format!("  {}", escape_bytes(e.as_bytes(), 80)))
        .unwrap_or_default();
    let status = c.status.unwrap_or_default();
    let verdict = if h.accepted() {
        "ok".green().to_string()
    } else if matches!(h.forward, Some(Err(_))) {
        format!(
            "{} {}",
            "✗".red(),
            "your app's answer would be rejected".red().bold()
        )
    } else {
        "FAILED".red().bold().to_string()
    };
    format!(
        "{time}  {}  {} {target}{event}  → {status}  {verdict}",
        vendor.bold(),
        escape_bytes(c.request.method.as_bytes(), 10)
    )
}

fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::{VendorId, VendorSecrets, ready_text};

    #[test]
    fn ready_line_is_text_or_one_json_object() {
        let url = "http://127.0.0.1:8787";
        assert_eq!(
            ready_text(url, false, None),
            "listening on http://127.0.0.1:8787"
        );
        let v: serde_json::Value = serde_json::from_str(&ready_text(url, true, None)).unwrap();
        assert_eq!(v, serde_json::json!({ "listening": url }));
        let wemeet = VendorSecrets {
            vendor: VendorId::lookup("wemeet").unwrap(),
            set: vec!["token"],
            missing: vec![],
        };
        let ding = VendorSecrets {
            vendor: VendorId::lookup("dingtalk").unwrap(),
            set: vec!["token"],
            missing: vec!["aes-key", "receiver-id"],
        };
        assert_eq!(
            ready_text(url, false, Some(&[wemeet])),
            "listening on http://127.0.0.1:8787",
            "the text ready line stays one line"
        );
        let v: serde_json::Value =
            serde_json::from_str(&ready_text(url, true, Some(&[ding]))).unwrap();
        assert_eq!(
            v,
            serde_json::json!({ "listening": url, "secrets": {"dingtalk": {"set": ["token"], "missing": ["aes-key", "receiver-id"]}} })
        );
    }
}
