//! `cbkit decode <vendor>`: base64/AES-decode a body, check_str, echostr or challenge.

use anyhow::Result;
use colored::Colorize;
use serde_json::json;

use super::{Ctx, check_line, input};
use crate::cli::MessageCmd;

pub fn run(ctx: &Ctx, cmd: &MessageCmd) -> Result<i32> {
    let vendor = cmd.vendor.vendor();
    let secrets = input::secrets(&cmd.secrets);
    let cb = input::callback(vendor, &cmd.message)?;
    let opened = vendor.open(&cb, &secrets)?;
    // The plaintext can quote a configured secret (Feishu's Verification Token): hidden unless
    // --show-secrets.
    let text = if ctx.show_secrets {
        opened.text()?.to_string()
    } else {
        let values: Vec<&cbkit::secret::Secret> = [&secrets.token, &secrets.aes_key]
            .into_iter()
            .flatten()
            .collect();
        cbkit::secret::redact(opened.text()?, &values)
    };
    let text = text.as_str();
    let id_checks = vendor.check_opened(&opened, &secrets);
    // The signature is checked when one was given and the secret to check it is at hand.
    let valid = match (&cb.signature, vendor.verify(&cb, &secrets, ctx.now())) {
        (Some(_), Ok(checks)) => Some(checks),
        (Some(_), Err(e)) => {
            if !ctx.quiet {
                eprintln!("note: signature not checked: {e}");
            }
            None
        }
        (None, _) => None,
    };
    let failed: Vec<_> = id_checks
        .iter()
        .chain(valid.iter().flatten())
        .filter(|c| !c.ok)
        .cloned()
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
        if let Some(checks) = &valid {
            out["valid"] = checks.iter().all(|c| c.ok).into();
        }
        if !failed.is_empty() {
            out["errors"] = failed
                .iter()
                .map(|c| format!("{}: {}", c.name, c.note))
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
            for c in valid.iter().flatten().chain(&id_checks) {
                eprintln!("{}", check_line(c));
            }
        }
    }
    if let Some(c) = failed.first() {
        if !ctx.json {
            eprintln!("error: {}: {}", c.name, c.note);
        }
        return Ok(1);
    }
    Ok(0)
}
