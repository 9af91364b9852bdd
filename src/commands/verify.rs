//! `cbkit verify <vendor>`: check a received callback; exit 1 with what differed.

use anyhow::Result;
use serde_json::json;

use cbkit::protocol::{Callback, Check, CheckId, Role, Secrets, inspect};

use super::{Ctx, check_line, checks_json, input};
use crate::cli::VerifyCmd;

pub fn run(ctx: &Ctx, verify: &VerifyCmd) -> Result<i32> {
    let cmd = &verify.msg;
    let vendor = cmd.vendor.vendor();
    let secrets = input::secrets(&cmd.secrets);
    let (cb, reading) = input::read_callback(vendor, &cmd.message)?;
    if let Some(note) = reading.note().filter(|_| !ctx.quiet && !ctx.json) {
        eprintln!("{note}");
    }
    let window = verify.max_skew.unwrap_or_default().for_vendor(vendor);
    let now = ctx.now();
    let inspection = inspect(vendor, &cb, &secrets, now, window, Role::Checker);
    let computed = verify.computed.as_deref();
    if let Some(e) = inspection.unverified.clone() {
        // With --computed, a request without the vendor's signature can still be explained.
        if computed.is_none() || e.field() != "signature" {
            return Err(e.into());
        }
        // What the user's signature is compared with needs every other input.
        vendor.sign(&cb, &secrets)?;
    }
    let checks: Vec<Check> = inspection.checks().cloned().collect();
    if checks.is_empty() && computed.is_none() {
        return Err(cbkit::Error::missing(
            "token",
            "nothing to verify: give the token/key this vendor signs with (--token, --aes-key)",
        )
        .into());
    }
    let sig = inspection.check(CheckId::Signature);
    let explain = verify.explain
        || computed.is_some()
        || (!inspection.valid() && ctx.tty && !ctx.json && !verify.no_explain);
    let diagnosis = explain.then(|| {
        cbkit::diagnose::explain_computed(
            cmd.vendor,
            &cb,
            &secrets,
            now,
            &inspection,
            ctx.show_secrets,
            computed,
        )
    });
    let computed_result = diagnosis.as_ref().and_then(|d| d.computed.as_ref());
    let computed_wrong = computed_result.is_some_and(|c| !c.matches);
    // `valid` is the request's verdict; a wrong computed signature fails the command too.
    let valid = inspection.valid();

    if ctx.json {
        let mut out = json!({
            "vendor": cmd.vendor.name(),
            "valid": valid,
            "checks": checks_json(&checks),
        });
        if let Some(s) = sig {
            out["expected"] = s.expected.clone().into();
            out["got"] = s.got.clone().into();
        }
        out["inputs"] = inputs(&cb, &secrets, ctx);
        if !reading.url_decoded.is_empty() {
            out["url_decoded"] = reading.url_decoded.clone().into();
        }
        if let Some(c) = computed_result {
            out["computed"] = serde_json::to_value(c).unwrap_or_default();
        }
        if let Some(d) = &diagnosis {
            out["explain"] = serde_json::to_value(d).unwrap_or_default();
        }
        ctx.print_json(&out);
    } else if let Some(d) = &diagnosis {
        print_diagnosis(cmd.vendor.title(), d);
        println!(
            "{}",
            match (valid, computed_wrong) {
                (true, true) => "the request is valid; your code's signature is not",
                (true, false) => "valid",
                (false, _) => "invalid",
            }
        );
    } else {
        if !ctx.quiet || !valid {
            for c in &checks {
                println!("{}", check_line(c));
            }
        }
        if !valid && !ctx.quiet {
            println!("inputs:");
            for (k, v) in inputs(&cb, &secrets, ctx).as_object().into_iter().flatten() {
                println!(
                    "    {k:<12}{}",
                    cbkit::render::escape_bytes(v.as_str().unwrap_or_default().as_bytes(), 100)
                );
            }
        }
        println!("{}", if valid { "valid" } else { "invalid" });
    }
    Ok(if valid && !computed_wrong { 0 } else { 1 })
}

fn print_diagnosis(title: &str, d: &cbkit::diagnose::Diagnosis) {
    use colored::Colorize;
    println!("{title}: {}", d.algorithm);
    for s in &d.steps {
        let mark = match s.ok {
            Some(true) => "✓".green().to_string(),
            Some(false) => "✗".red().to_string(),
            None => "·".dimmed().to_string(),
        };
        println!(
            "  {mark} {:<13}{}",
            s.name,
            cbkit::render::escape_bytes(s.detail.as_bytes(), 240)
        );
    }
    // The user's own signature, when given, is what they asked about.
    let headline = d
        .computed
        .as_ref()
        .filter(|c| !c.matches && d.valid)
        .and_then(|c| c.mistake.as_ref())
        .or(d.mistake.as_ref());
    if let Some(m) = headline {
        println!("{} {}", "diagnosis:".bold(), m.what);
        println!("{} {}", "fix:".bold(), m.fix);
    } else {
        println!("{} {}", "diagnosis:".bold(), d.conclusion);
    }
}

/// What went into the signature, secrets masked: what to compare with your own code.
fn inputs(cb: &Callback, secrets: &Secrets, ctx: &Ctx) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    if let Some(t) = &secrets.token {
        m.insert("token".into(), ctx.secret(t.expose()).into());
    }
    for (k, v) in [
        ("timestamp", &cb.timestamp),
        ("nonce", &cb.nonce),
        ("request_time", &cb.request_time),
        ("sdk_app_id", &cb.sdk_app_id),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), v.clone().into());
        }
    }
    if let Some(p) = &cb.payload {
        m.insert(p.field.into(), p.value.clone().into());
    }
    m.into()
}
