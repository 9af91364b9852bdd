//! One thin file per verb: resolve inputs, call the library, render.

pub mod decode;
pub mod demo;
pub mod encrypt;
pub mod fixtures;
pub mod generate;
pub mod input;
pub mod listen;
pub mod probe;
pub mod replay;
pub mod sign;
pub mod verify;

use std::io::{IsTerminal, Write};

use cbkit::vendor::{Check, Now};
use colored::Colorize;

use crate::cli::{ColorChoice, GlobalArgs};

/// What every command needs besides its own arguments.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub show_secrets: bool,
    /// stdout is a terminal.
    pub tty: bool,
}

impl Ctx {
    pub fn new(g: &GlobalArgs) -> Self {
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
        Ctx {
            json: g.json,
            quiet: g.quiet,
            verbose: g.verbose,
            show_secrets: g.show_secrets,
            tty,
        }
    }

    /// The current time; `CBKIT_NOW_MS` pins it (for reproducible examples and tests).
    pub fn now(&self) -> Now {
        match std::env::var("CBKIT_NOW_MS")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            Some(unix_ms) => Now { unix_ms },
            None => Now::system(),
        }
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
