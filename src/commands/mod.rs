//! One thin file per verb: resolve inputs, call the library, render.

pub mod config;
pub mod decode;
pub mod demo;
pub mod encrypt;
pub mod fixtures;
pub mod generate;
pub mod input;
pub mod inspect;
pub mod listen;
pub mod probe;
pub mod replay;
pub mod sign;
pub mod verify;

use std::io::{IsTerminal, Write};

use cbkit::protocol::{Check, Now};
use colored::Colorize;

use crate::cli::{ColorChoice, Command, GlobalArgs};

/// What every command needs besides its own arguments.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub show_secrets: bool,
    /// stdout is a terminal.
    pub tty: bool,
    /// The config profile in force, if any.
    pub profile: Option<cbkit::config::Resolved>,
    /// Settings filled from the profile: key → "profile NAME (FILE)".
    pub from_profile: std::collections::BTreeMap<&'static str, String>,
}

impl Ctx {
    pub fn new(g: &GlobalArgs) -> anyhow::Result<Self> {
        let tty = std::io::stdout().is_terminal();
        let color = match g.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let force =
                    std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
                force || (tty && !no_color)
            }
        };
        colored::control::set_override(color);
        Ok(Ctx {
            json: g.json,
            quiet: g.quiet,
            verbose: g.verbose,
            show_secrets: g.show_secrets,
            tty,
            profile: load_profile(g)?,
            from_profile: Default::default(),
        })
    }

    /// Fill what the flags and environment left empty from the profile (flag > env > profile).
    pub fn apply_profile(&mut self, cmd: &mut Command) {
        let Some(resolved) = self.profile.clone() else {
            return;
        };
        let name = resolved.name.clone().unwrap_or_default();
        // A profile for one vendor is not applied to a command for another: its secrets
        // would only make every signature fail.
        let for_vendor = resolved.profile.vendor.as_deref();
        if let (Some(theirs), Some(ours)) = (
            for_vendor.and_then(|v| v.parse::<cbkit::protocol::VendorId>().ok()),
            cmd.vendor_named(),
        ) && theirs != ours
        {
            if self.verbose > 0 {
                eprintln!(
                    "note: profile {name} is for {}; not applied to this {} command",
                    theirs.title(),
                    ours.title()
                );
            }
            return;
        }
        let mut fill =
            |key: &'static str, slot: Option<&mut Option<String>>, value: &Option<String>| {
                if let (Some(slot), Some(v)) = (slot, value)
                    && slot.is_none()
                {
                    *slot = Some(v.clone());
                    let file = resolved
                        .sources
                        .get(key)
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    self.from_profile
                        .insert(key, format!("profile {name} ({file})"));
                }
            };
        let p = &resolved.profile;
        if let Some(s) = cmd.secrets_mut() {
            fill("token", Some(&mut s.token), &p.token);
            fill("aes_key", Some(&mut s.aes_key), &p.aes_key);
            fill("receiver_id", Some(&mut s.receiver_id), &p.receiver_id);
            fill("sdk_app_id", Some(&mut s.sdk_app_id), &p.sdk_app_id);
        }
        fill("url", cmd.url_mut(), &p.url);
        fill("vendor", cmd.listen_vendor_mut(), &p.vendor);
    }

    /// Where a setting's value came from: `--flag`, `CBKIT_X` or `profile NAME (FILE)`.
    pub fn source_of(
        &self,
        key: &str,
        flag: &str,
        env: &str,
        value: Option<&str>,
    ) -> Option<String> {
        let value = value.filter(|v| !v.is_empty())?;
        if let Some(p) = self.from_profile.get(key) {
            return Some(p.clone());
        }
        if std::env::var(env).is_ok_and(|e| e == value) {
            return Some(env.to_string());
        }
        Some(flag.to_string())
    }

    /// The current time; `CBKIT_NOW_MS` pins it (for reproducible examples and tests).
    pub fn now(&self) -> Now {
        self.pinned_now().unwrap_or_else(Now::system)
    }

    /// The time `CBKIT_NOW_MS` pins, if it is set (a listener reads the clock per request).
    pub fn pinned_now(&self) -> Option<Now> {
        std::env::var("CBKIT_NOW_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map(|unix_ms| Now { unix_ms })
    }

    /// Live progress (countdowns) only on a terminal, and not with --quiet or --json.
    pub fn tty_progress(&self) -> bool {
        self.tty && !self.quiet && !self.json
    }

    /// Print one JSON document on stdout.
    pub fn print_json(&self, value: &serde_json::Value) {
        let mut out = std::io::stdout().lock();
        let _ = serde_json::to_writer_pretty(&mut out, value);
        let _ = writeln!(out);
    }

    /// Mask a secret unless `--show-secrets`.
    pub fn secret(&self, value: &str) -> String {
        if self.show_secrets {
            value.to_string()
        } else {
            cbkit::secret::mask(value)
        }
    }
}

/// Find and read the config files and pick the profile; a broken file or an unknown profile
/// is an input error. Loose permissions are warned about, once.
fn load_profile(g: &GlobalArgs) -> anyhow::Result<Option<cbkit::config::Resolved>> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from);
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let paths = cbkit::config::locate(g.config.as_deref(), &cwd, xdg.as_deref(), home.as_deref());
    let mut files = Vec::new();
    for p in &paths {
        let f = cbkit::config::load(p)?;
        if f.too_open && !f.profiles.is_empty() {
            eprintln!(
                "warning: {} is readable by group or others and may hold secrets: chmod 600 {}",
                p.display(),
                p.display()
            );
        }
        files.push(f);
    }
    if files.is_empty() && g.profile.is_none() {
        return Ok(None);
    }
    Ok(Some(cbkit::config::resolve(&files, g.profile.as_deref())?))
}

/// A check as one line: `✓ signature  ...` / `✗ receiver_id  ...`.
pub fn check_line(c: &Check) -> String {
    let mark = if c.ok {
        "✓".green().to_string()
    } else {
        "✗".red().to_string()
    };
    let mut line = format!("{mark} {:<12}", c.name);
    if c.ok {
        line.push_str(&cbkit::render::escape_bytes(c.got.as_bytes(), 80));
    } else {
        line.push_str(&cbkit::render::escape_bytes(c.note.as_bytes(), 200));
        line.push_str(&format!(
            "\n    expected  {}\n    got       {}",
            cbkit::render::escape_bytes(c.expected.as_bytes(), 120),
            if c.got.is_empty() {
                "(nothing)".to_string()
            } else {
                cbkit::render::escape_bytes(c.got.as_bytes(), 120)
            }
        ));
    }
    if c.ok && !c.note.is_empty() {
        line.push_str(&format!("  ({})", c.note));
    }
    line
}

pub fn checks_json(checks: &[Check]) -> serde_json::Value {
    serde_json::to_value(checks).unwrap_or_default()
}

/// How the command line supplies an input the library reports missing, by the input's name.
fn flag_hint(field: &str) -> Option<&'static str> {
    Some(match field {
        "token" => "pass --token or set CBKIT_TOKEN",
        "aes-key" => "pass --aes-key or set CBKIT_AES_KEY",
        "receiver-id" => "pass --receiver-id or set CBKIT_RECEIVER_ID",
        "sdk-app-id" => "pass --sdk-app-id or set CBKIT_SDK_APP_ID",
        "timestamp" => "pass --timestamp or give a request that carries it",
        "nonce" => "pass --nonce or give a request that carries it",
        "signature" => "pass --signature or give a request that carries it",
        "request-time" => "pass --request-time or a request with RequestTime",
        "payload" => "pass --data, --check-str, --encrypt or --echostr, a body, or --request",
        "body" => "pass --body FILE or --request",
        _ => return None,
    })
}

/// A library error as the command line shows it: a missing input also says which flag or
/// environment variable supplies it (`token: missing (pass --token or set CBKIT_TOKEN)`). A
/// hint that names a flag already was written here in the command layer and is left alone.
pub fn with_flag_hint(e: cbkit::Error) -> cbkit::Error {
    match e {
        cbkit::Error::Missing { field, hint } if !hint.contains("--") => {
            let hint = match (flag_hint(&field), hint.is_empty()) {
                (Some(flags), true) => flags.to_string(),
                (Some(flags), false) => format!("{hint}: {flags}"),
                (None, _) => hint,
            };
            cbkit::Error::Missing { field, hint }
        }
        other => other,
    }
}

/// [`with_flag_hint`] for the error a command returns (left alone when it is not a library
/// error, or when context was added to it).
pub fn cli_error(e: anyhow::Error) -> anyhow::Error {
    if e.chain().count() > 1 {
        return e;
    }
    match e.downcast::<cbkit::Error>() {
        Ok(lib) => with_flag_hint(lib).into(),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_inputs_name_their_flag() {
        let shown = |e: cbkit::Error| with_flag_hint(e).to_string();
        assert_eq!(
            shown(cbkit::Error::missing("token", "")),
            "token: missing (pass --token or set CBKIT_TOKEN)"
        );
        assert_eq!(
            shown(cbkit::Error::missing(
                "aes-key",
                "Feishu signs with the Encrypt Key"
            )),
            "aes-key: missing (Feishu signs with the Encrypt Key: pass --aes-key or set CBKIT_AES_KEY)"
        );
        assert_eq!(
            shown(cbkit::Error::missing(
                "data",
                "the body has no \"data\" field"
            )),
            "data: missing (the body has no \"data\" field)"
        );
        assert_eq!(
            shown(cbkit::Error::missing(
                "token",
                "nothing to verify: give --token"
            )),
            "token: missing (nothing to verify: give --token)"
        );
        assert_eq!(
            shown(cbkit::Error::malformed("token", "x")),
            "token: x",
            "only a missing input gets a hint"
        );
        let wrapped = cli_error(anyhow::Error::new(cbkit::Error::missing("nonce", "")));
        assert_eq!(
            wrapped.to_string(),
            "nonce: missing (pass --nonce or give a request that carries it)"
        );
        assert_eq!(
            wrapped
                .downcast_ref::<cbkit::Error>()
                .map(cbkit::Error::exit_code),
            Some(2)
        );
    }
}
