//! `cbkit decode <vendor>`: base64/AES-decode a body, check_str, echostr or challenge; with
//! `--from-capture FILE --all` or `--lines`, every line of a file or of stdin.

use std::io::BufRead;

use anyhow::Result;
use colored::Colorize;
use serde_json::json;

use cbkit::batch_decode::{BatchDecoder, LineFormat};
use cbkit::protocol::{Check, Role, SkewWindow, VendorId, inspect};

use super::{Ctx, check_line, input};
use crate::cli::DecodeCmd;

pub fn run(ctx: &Ctx, cmd: &DecodeCmd) -> Result<i32> {
    if cmd.all || cmd.lines {
        return batch(ctx, cmd);
    }
    // clap requires the vendor unless --all.
    let vendor_id: VendorId = cmd
        .vendor
        .ok_or_else(|| cbkit::Error::missing("vendor", "name the vendor"))?;
    let vendor = vendor_id.vendor();
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
    let text = secrets.redact_unless(ctx.show_secrets, opened.text()?);
    let text = text.as_ref();
    let note = vendor
        .plaintext_note(&opened.plaintext)
        .map(|n| secrets.redact_unless(ctx.show_secrets, &n).into_owned());
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
            "vendor": vendor_id.name(),
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

/// Every line of a capture file (`--from-capture FILE --all`) or of stdin (`--lines`), one
/// JSON object out per line in; exit 1 when any line failed.
fn batch(ctx: &Ctx, cmd: &DecodeCmd) -> Result<i32> {
    // Lines of several vendors: each opened with its own vendor's profile table, if any.
    let decoder = BatchDecoder {
        format: if cmd.lines {
            LineFormat::Body
        } else {
            LineFormat::Capture
        },
        vendor: cmd.vendor,
        secrets: ctx.secrets_by_vendor(&cmd.secrets),
        show_secrets: ctx.show_secrets,
        explain: super::with_flag_hint,
        threads: 0,
    };
    // Large buffers both ways: one read and one write system call per many lines.
    const BUF: usize = 256 * 1024;
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::with_capacity(BUF, stdout.lock());
    let input: Box<dyn BufRead + Send> = match cmd.message.from_capture.as_deref() {
        Some(spec) if !cmd.lines => {
            let (path, line) = cbkit::capture::split_spec(spec);
            if let Some(n) = line {
                return Err(cbkit::Error::malformed(
                    "from-capture",
                    format!(
                        "--all decodes every line: drop `:{n}` (or drop --all for line {n} alone)"
                    ),
                )
                .into());
            }
            open(path)?
        }
        _ => Box::new(std::io::BufReader::with_capacity(BUF, std::io::stdin())),
    };
    let totals = decoder.run(input, out)?;
    if !ctx.quiet {
        eprintln!(
            "{} lines, {} decoded, {} failed",
            totals.lines,
            totals.lines - totals.failed,
            totals.failed
        );
    }
    Ok(if totals.failed == 0 { 0 } else { 1 })
}

/// A capture file to stream (`-` for stdin).
fn open(path: &str) -> Result<Box<dyn BufRead + Send>> {
    const BUF: usize = 256 * 1024;
    if path == "-" {
        return Ok(Box::new(std::io::BufReader::with_capacity(
            BUF,
            std::io::stdin(),
        )));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| cbkit::Error::malformed("capture", format!("cannot read {path}: {e}")))?;
    Ok(Box::new(std::io::BufReader::with_capacity(BUF, file)))
}
