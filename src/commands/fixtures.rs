//! `cbkit fixtures list | show | save`: the bundled vendor events, and the user's own saved
//! from captures.

use anyhow::Result;
use serde_json::json;

use cbkit::fixture::{self, Vars};

use super::{Ctx, input};
use crate::cli::FixturesCmd;

pub fn run(ctx: &Ctx, cmd: &FixturesCmd) -> Result<i32> {
    match cmd {
        FixturesCmd::List {
            fixtures,
            exclude,
            dir,
        } => {
            let list = match dir {
                Some(d) => fixture::resolve(&d.display().to_string())?,
                None => fixture::bundled(),
            };
            let list = fixture::select::filter(list, fixtures, exclude)?;
            if ctx.json {
                let items: Vec<_> = list
                    .iter()
                    .map(|f| {
                        json!({"name": f.name, "vendor": f.vendor.name(), "event": f.event, "method": f.method,
                               "description": f.description, "source": f.source})
                    })
                    .collect();
                ctx.print_json(&json!({ "fixtures": items }));
            } else if ctx.quiet {
                // Names only, one a line: for `for f in $(cbkit fixtures list -q)`.
                for f in &list {
                    println!("{}", f.name);
                }
            } else {
                let width = list.iter().map(|f| f.name.len()).max().unwrap_or(4).max(4);
                println!("{:<width$}  {:<6}  DESCRIPTION", "NAME", "METHOD");
                for f in &list {
                    println!("{:<width$}  {:<6}  {}", f.name, f.method, f.description);
                }
            }
            Ok(0)
        }
        FixturesCmd::Show {
            name,
            secrets,
            sets,
            set_json,
        } => {
            let sets = fixture::with_set_json(sets, set_json)?;
            let f = fixture::resolve(name)?.into_iter().next().ok_or_else(|| {
                cbkit::Error::malformed("fixture", format!("`{name}` names no fixture"))
            })?;
            let mut secrets = input::secrets(secrets);
            let demo = secrets.token.is_none() && secrets.aes_key.is_none();
            if demo {
                secrets = f.vendor.vendor().demo_secrets();
            }
            let vendor = f.vendor.vendor();
            let now = ctx.now();
            let plaintext = f.render(
                &Vars {
                    now,
                    secrets: secrets.clone(),
                    env: |name| std::env::var(name).ok(),
                },
                &sets,
            )?;
            let kind = f.kind(&plaintext);
            // A fixture saved with --exact is sent as it was captured.
            let req = match &f.exact {
                Some(req) => req.clone(),
                None => vendor.seal(&plaintext, kind, &secrets, &vendor.stamp(now))?,
            };
            let raw = String::from_utf8_lossy(&req.to_raw("receiver.example")).into_owned();
            let text = String::from_utf8_lossy(&plaintext).into_owned();
            // Your secrets (not the public demo ones) are hidden where a template put them,
            // unless --show-secrets.
            let (raw, text) = if demo || ctx.show_secrets {
                (raw, text)
            } else {
                (secrets.redact(&raw), secrets.redact(&text))
            };
            if ctx.json {
                ctx.print_json(&json!({
                    "name": f.name, "vendor": f.vendor.name(), "event": f.event, "method": req.method,
                    "kind": kind, "description": f.description, "source": f.source,
                    "plaintext": text, "request": raw, "demo_secrets": demo,
                    "deadline_ms": vendor.deadline(kind, &plaintext).as_millis() as u64,
                }));
            } else {
                println!("# {} — {}", f.name, f.description);
                if !f.source.is_empty() {
                    println!("# source: {}", f.source);
                }
                println!(
                    "\n## plaintext\n{}",
                    cbkit::render::sanitize_multiline(&cbkit::render::pretty(&text))
                );
                let note = if f.exact.is_some() {
                    " (as captured: sent byte for byte)"
                } else if demo {
                    " (signed with the bundled demo secrets; pass --token/--aes-key for yours)"
                } else {
                    ""
                };
                println!("\n## request{note}\n{}", readable_request(&raw));
            }
            Ok(0)
        }
        FixturesCmd::Save {
            from_capture,
            name,
            dir,
            exact,
            force,
            secrets,
        } => save(
            ctx,
            from_capture,
            name.as_deref(),
            dir,
            *exact,
            *force,
            secrets,
        ),
    }
}

/// `fixtures save`: a captured request as a fixture file under `dir`. An existing file is kept
/// unless `force`: a fixture may have been edited by hand since it was saved.
fn save(
    ctx: &Ctx,
    spec: &str,
    name: Option<&str>,
    dir: &std::path::Path,
    exact: bool,
    force: bool,
    secrets: &crate::cli::SecretArgs,
) -> Result<i32> {
    let record = input::read_capture(spec)?;
    let secrets = input::secrets(secrets);
    let saved = cbkit::fixture_save::fixture_from_capture(&record, &secrets, exact)?;
    let relative = match name {
        Some(n) => cbkit::fixture_save::path_for_name(n)?,
        None => saved.suggested_path.clone(),
    };
    let path = dir.join(&relative);
    let cannot = |e: std::io::Error| {
        cbkit::Error::malformed("fixture", format!("cannot write {}: {e}", path.display()))
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(cannot)?;
    }
    let mut file = std::fs::OpenOptions::new();
    file.write(true);
    if force {
        file.create(true).truncate(true);
    } else {
        file.create_new(true);
    }
    let mut file = file.open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            cbkit::Error::malformed(
                "fixture",
                format!(
                    "{} exists: pass --force to replace it, or --name to save under another name",
                    path.display()
                ),
            )
        } else {
            cannot(e)
        }
    })?;
    std::io::Write::write_all(&mut file, saved.text.as_bytes()).map_err(cannot)?;
    let shown = path.display().to_string();
    if ctx.json {
        ctx.print_json(&json!({
            "path": shown, "vendor": saved.vendor.name(), "event": saved.event,
            "exact": exact, "verified": saved.verified,
        }));
    } else if !ctx.quiet {
        println!("wrote {shown} ({} {})", saved.vendor.title(), saved.event);
        if saved.verified == Some(false) {
            let then = if exact {
                "replayed as captured, it will fail verification again"
            } else {
                "replay signs it afresh"
            };
            eprintln!("note: the captured signature does not verify with these secrets; {then}");
        }
        eprintln!("replay it: cbkit replay {shown} --url URL");
    }
    Ok(0)
}

/// The raw request as `--request` reads it back: real CR LF line ends, everything else that
/// could fool a terminal escaped.
fn readable_request(raw: &str) -> String {
    raw.split("\r\n")
        .map(cbkit::render::sanitize_multiline)
        .collect::<Vec<_>>()
        .join("\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_keeps_real_crlf_and_escapes_the_rest() {
        let shown = readable_request("POST / HTTP/1.1\r\nX: a\u{202e}b\r\n\r\n{}");
        assert!(shown.starts_with("POST / HTTP/1.1\r\nX: a"));
        assert!(!shown.contains('\u{202e}'));
        assert!(shown.ends_with("\r\n\r\n{}"));
    }
}
