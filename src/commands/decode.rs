//! `cbkit decode <vendor>`: base64/AES-decode a body, check_str, echostr or challenge.

use anyhow::Result;
use colored::Colorize;
use serde_json::json;

use cbkit::protocol::{Check, Role, SkewWindow, inspect};

use super::{Ctx, check_line, input};
use crate::cli::MessageCmd;

pub fn run(ctx: &Ctx, cmd: &MessageCmd) -> Result<i32> {
    let vendor = cmd.vendor.vendor();
    let secrets = input::secrets(&cmd.secrets);
    let (cb, reading) = input::read_callback(vendor, &cmd.message)?;
    if let Some(note) = reading.note().filter(|_| !ctx.quiet && !ctx.json) {
        eprintln!("{note}");
    }
    // The vendor's own window only: decoding does not judge freshness beyond what the
    // signature check itself covers (Tencent IM's RequestTime).
    let window = SkewWindow::VendorDefault.for_vendor(vendor);
    let inspection = inspect(vendor, &cb, &secrets, ctx.now(), window, Role::Checker);
    let opened = inspection.opened.clone()?;
    // The plaintext can quote a configured secret (Feishu's Verification Token): hidden unless
    // --show-secrets.
    let text = if ctx.show_secrets {
        opened.text()?.to_string()
    } else {
        secrets.redact(opened.text()?)
    };
    let text = text.as_str();
    let note = vendor.plaintext_note(&opened.plaintext).map(|n| {
        if ctx.show_secrets {
            n
        } else {
            secrets.redact(&n)
        }
    });
    let id_checks = &inspection.body;
    // The signature is checked when one was given and the secret to check it is at hand.
    let valid = match (&cb.signature, &inspection.unverified) {
        (Some(_), None) => Some(&inspection.request),
        (Some(_), Some(e)) => {
            if !ctx.quiet {
                eprintln!(
                    "note: signature not checked: {}",
                    super::with_flag_hint(e.clone())
                );
            }
            None
        }
        (None, _) => None,
    };
    let failed: Vec<&Check> = id_checks
        .iter()
        .chain(valid.into_iter().flatten())
        .filter(|c| !c.ok)
        .collect();

    if ctx.json {
        let mut out = json!({
            "vendor": cmd.vendor.name(),
            "plaintext": text,
            "decrypted": opened.decrypted,
        });
        if let Some(id) = &opened.receiver_id {
            out["receiver_id"] = id.clone().into();
        }
        if let Some(t) = vendor.event_type(&opened.plaintext) {
            out["event_type"] = t.into();
        }
        if !reading.url_decoded.is_empty() {
            out["url_decoded"] = reading.url_decoded.clone().into();
        }
        if let Some(n) = &note {
            out["plaintext_note"] = n.clone().into();
        }
        if let Some(checks) = &valid {
            out["valid"] = checks.iter().all(|c| c.ok).into();
        }
        if !failed.is_empty() {
            out["errors"] = failed
                .iter()
                .map(|c| c.error_line())
                .collect::<Vec<_>>()
                .into();
        }
        ctx.print_json(&out);
    } else {
        println!(
            "{}",
            cbkit::render::sanitize_multiline(&cbkit::render::pretty(text))
        );
        if !ctx.quiet {
            if let Some(id) = &opened.receiver_id {
                eprintln!("{} {id}", "receiver id:".dimmed());
            }
            if let Some(n) = &note {
                eprintln!("note: {}", cbkit::render::sanitize_multiline(n));
            }
            for c in valid.into_iter().flatten().chain(id_checks) {
                eprintln!("{}", check_line(c));
            }
        }
    }
    if let Some(c) = failed.first() {
        if !ctx.json {
            eprintln!("error: {}", c.error_line());
        }
        return Ok(1);
    }
    Ok(0)
}
