//! One thin file per verb: resolve inputs, call the library, render.

pub mod config;
mod countdown;
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

use crate::cli::{ColorChoice, Command, GlobalArgs, SecretArgs};
use cbkit::protocol::Secrets;

/// Each secret's key (as profiles spell it), flag and environment variable.
pub const SECRET_FLAGS: [(&str, &str, &str); 4] = [
    ("token", "--token", "CBKIT_TOKEN"),
    ("aes_key", "--aes-key", "CBKIT_AES_KEY"),
    ("receiver_id", "--receiver-id", "CBKIT_RECEIVER_ID"),
    ("sdk_app_id", "--sdk-app-id", "CBKIT_SDK_APP_ID"),
];

/// The field of `args` that holds secret `key`.
fn secret_slot<'a>(args: &'a mut SecretArgs, key: &str) -> Option<&'a mut Option<String>> {
    match key {
        "token" => Some(&mut args.token),
        "aes_key" => Some(&mut args.aes_key),
        "receiver_id" => Some(&mut args.receiver_id),
        "sdk_app_id" => Some(&mut args.sdk_app_id),
        _ => None,
    }
}

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
    /// A command for one vendor takes that vendor's table first, then the flat values; a
    /// command for several (`listen --vendor auto`, `replay all`) takes the flat values here
    /// and each vendor's table through [`Ctx::secrets_for`].
    pub fn apply_profile(&mut self, cmd: &mut Command) {
        let Some(resolved) = self.profile.clone() else {
            return;
        };
        let name = resolved.name.clone().unwrap_or_default();
        let named = cmd.vendor_named();
        // A profile for one vendor is not applied to a command for another: its secrets
        // would only make every signature fail. That vendor's own table still is.
        let flat = named.is_none_or(|v| resolved.flat_applies_to(v));
        if let (false, Some(ours), Some(theirs)) = (
            flat,
            named,
            resolved
                .profile
                .vendor
                .as_deref()
                .and_then(|v| v.parse::<cbkit::protocol::VendorId>().ok()),
        ) && self.verbose > 0
        {
            let table = if resolved.profile.vendors.contains_key(ours.name()) {
                format!(" (only its {} table is)", ours.name())
            } else {
                String::new()
            };
            eprintln!(
                "note: profile {name} is for {}; not applied to this {} command{table}",
                theirs.title(),
                ours.title()
            );
        }
        let mut fill = |key: &'static str, slot: Option<&mut Option<String>>, found| {
            if let (Some(slot), Some(cbkit::config::Sourced { value, source })) = (slot, found)
                && slot.is_none()
            {
                *slot = Some(value);
                self.from_profile.insert(key, source);
            }
        };
        let lookup = |key: &str| match named {
            Some(v) => resolved.secret_for(v, key),
            None => resolved.flat(key),
        };
        if let Some(s) = cmd.secrets_mut() {
            for (key, _, _) in SECRET_FLAGS {
                fill(key, secret_slot(s, key), lookup(key));
            }
        }
        if flat {
            fill("url", cmd.url_mut(), resolved.flat("url"));
            fill("vendor", cmd.listen_vendor_mut(), resolved.flat("vendor"));
        }
    }

    /// Each secret for `vendor`, with where it came from: a flag or environment variable
    /// (for every vendor), else the vendor's table in the profile, else the profile's flat
    /// value that filled `args`.
    pub fn sourced_secrets(
        &self,
        vendor: cbkit::protocol::VendorId,
        args: &SecretArgs,
    ) -> Vec<(&'static str, Option<cbkit::config::Sourced>)> {
        let mut args = args.clone();
        SECRET_FLAGS
            .iter()
            .map(|&(key, flag, env)| {
                let given = secret_slot(&mut args, key)
                    .and_then(|s| s.clone())
                    .filter(|v| !v.is_empty());
                let from_profile = self.from_profile.contains_key(key);
                let table = self.profile.as_ref().and_then(|r| {
                    r.profile
                        .vendors
                        .get(vendor.name())
                        .and_then(|t| t.get(key))
                        .and(r.secret_for(vendor, key))
                });
                let found = match (given, table) {
                    (Some(value), _) if !from_profile => Some(cbkit::config::Sourced {
                        source: self
                            .source_of(key, flag, env, Some(&value))
                            .unwrap_or_default(),
                        value,
                    }),
                    (_, Some(t)) => Some(t),
                    (Some(value), None) => Some(cbkit::config::Sourced {
                        source: self.from_profile.get(key).cloned().unwrap_or_default(),
                        value,
                    }),
                    (None, None) => None,
                };
                (key, found)
            })
            .collect()
    }

    /// The secrets to use for `vendor` in a command that serves several vendors.
    pub fn secrets_for(&self, vendor: cbkit::protocol::VendorId, args: &SecretArgs) -> Secrets {
        let mut out = SecretArgs::default();
        for (key, found) in self.sourced_secrets(vendor, args) {
            if let Some(slot) = secret_slot(&mut out, key) {
                *slot = found.map(|f| f.value);
            }
        }
        input::secrets(&out)
    }

    /// The secrets of a command that serves several vendors: each vendor's own (its profile
    /// table over the flat values, flags and variables over both), and the flat ones for a
    /// request of no known vendor.
    pub fn secrets_by_vendor(&self, args: &SecretArgs) -> cbkit::protocol::SecretsByVendor {
        cbkit::protocol::SecretsByVendor::each(input::secrets(args), |v| self.secrets_for(v, args))
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
        line.push_str(&cbkit::render::escape_bytes(
            flag_words(&c.note).as_bytes(),
            200,
        ));
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
        cbkit::Error::Malformed {
            field,
            detail,
            cause,
        } => cbkit::Error::Malformed {
            detail: flag_words(&detail),
            field,
            cause,
        },
        other => other,
    }
}

/// A library text that tells to `drop the aes-key` (a secret the sender does not use), with the
/// flag named instead: `drop --aes-key`.
pub fn flag_words(text: &str) -> String {
    let mut out = text.to_string();
    for field in cbkit::protocol::Secrets::FIELDS {
        out = out.replace(&format!("drop the {field}"), &format!("drop --{field}"));
    }
    out
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
    use clap::Parser;

    /// A context with `profile` (TOML text) in force, and `args` parsed and filled from it.
    fn with_profile(profile: &str, args: &[&str]) -> (Ctx, Command) {
        let file = cbkit::config::parse(std::path::Path::new("c.toml"), profile).unwrap();
        let mut ctx = Ctx {
            json: false,
            quiet: false,
            verbose: 0,
            show_secrets: false,
            tty: false,
            profile: Some(cbkit::config::resolve(&[file], Some("dev")).unwrap()),
            from_profile: Default::default(),
        };
        let mut cli = crate::cli::Cli::try_parse_from(args).unwrap();
        ctx.apply_profile(&mut cli.command);
        (ctx, cli.command.0)
    }

    const PROFILE: &str = "[profile.dev]\ntoken = \"flat\"\naes_key = \"flat-key\"\n\
        [profile.dev.wemeet]\ntoken = \"wm\"\n";

    #[test]
    fn a_command_for_one_vendor_takes_its_table_first() {
        let (ctx, mut cmd) = with_profile(PROFILE, &["cbkit", "sign", "wemeet"]);
        let s = cmd.secrets_mut().unwrap().clone();
        assert_eq!(s.token.as_deref(), Some("wm"));
        assert_eq!(s.aes_key.as_deref(), Some("flat-key"));
        assert_eq!(ctx.from_profile["token"], "profile dev.wemeet (c.toml)");
        let (_, mut cmd) = with_profile(PROFILE, &["cbkit", "sign", "wemeet", "--token", "f"]);
        assert_eq!(cmd.secrets_mut().unwrap().token.as_deref(), Some("f"));
        // A profile for DingTalk lends a Tencent Meeting command only its wemeet table.
        let only = "[profile.dev]\nvendor = \"dingtalk\"\ntoken = \"flat\"\n\
            url = \"http://x\"\n[profile.dev.wemeet]\ntoken = \"wm\"\n";
        let (_, mut cmd) = with_profile(only, &["cbkit", "probe", "wemeet"]);
        assert_eq!(cmd.url_mut().unwrap().as_deref(), None);
        assert_eq!(cmd.secrets_mut().unwrap().token.as_deref(), Some("wm"));
    }

    #[test]
    fn a_command_for_several_vendors_gives_each_its_own() {
        let wemeet = cbkit::protocol::VendorId::lookup("wemeet").unwrap();
        let wecom = cbkit::protocol::VendorId::lookup("wecom").unwrap();
        let (ctx, mut cmd) = with_profile(PROFILE, &["cbkit", "listen", "--vendor", "auto"]);
        let args = cmd.secrets_mut().unwrap().clone();
        let token = |v| {
            ctx.secrets_for(v, &args)
                .token
                .map(|t| t.expose().to_string())
        };
        assert_eq!(token(wemeet).as_deref(), Some("wm"));
        assert_eq!(token(wecom).as_deref(), Some("flat"));
        let sourced = ctx.sourced_secrets(wemeet, &args);
        assert_eq!(
            sourced[1].1.as_ref().map(|s| s.source.as_str()),
            Some("profile dev (c.toml)"),
            "the flat key for a vendor whose table has none"
        );
        // A flag wins for every vendor.
        let (ctx, mut cmd) = with_profile(
            PROFILE,
            &["cbkit", "listen", "--vendor", "auto", "--token", "f"],
        );
        let args = cmd.secrets_mut().unwrap().clone();
        for v in [wemeet, wecom] {
            let t = ctx.secrets_for(v, &args).token.unwrap();
            assert_eq!(t.expose(), "f");
        }
        assert_eq!(
            ctx.sourced_secrets(wemeet, &args)[0]
                .1
                .as_ref()
                .unwrap()
                .source,
            "--token"
        );
    }

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
        assert_eq!(
            shown(cbkit::Error::malformed(
                "aes-key",
                "not encrypted; drop the aes-key for wemeet"
            )),
            "aes-key: not encrypted; drop --aes-key for wemeet"
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
