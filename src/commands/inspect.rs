//! The inspector page from the command line: `cbkit inspect FILE` (a capture file, no
//! listener), and the part `listen --inspect` and `demo --inspect` share: which flags turn it
//! on, where it is served, the ready line. The page itself is `cbkit::inspector`.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;

use cbkit::inspector::{self, Entry, Hook, Inspector, OwnPort, Source};

use super::{Ctx, input};
use crate::cli::{InspectArgs, InspectCmd};

/// Where the inspector of a listener will be served, decided before the listener binds.
pub struct Plan {
    pub hook: Hook,
    own_port: Option<u16>,
    host: String,
}

/// The inspector being served: its page's URL; closed when the process stops.
pub struct Served {
    pub page: String,
    inspector: Arc<Inspector>,
    own: Option<OwnPort>,
}

impl Served {
    pub fn close(self) {
        self.inspector.close();
        if let Some(own) = self.own {
            own.shutdown();
        }
    }
}

/// The inspector `args` ask for on a listener at `host` with `source`'s secrets, or none. On
/// a host other than loopback only an explicit `--inspect` turns it on, and it is warned about.
pub fn plan(
    ctx: &Ctx,
    args: &InspectArgs,
    host: &str,
    loopback: bool,
    source: Source,
) -> Option<Plan> {
    if !args.inspect && args.inspect_port.is_none() {
        return None;
    }
    if !loopback && !args.inspect {
        eprintln!(
            "warning: the inspector stays off on a --host other than loopback unless --inspect is given"
        );
        return None;
    }
    if !loopback {
        eprintln!(
            "warning: the inspector shows every request, plaintext included, to anyone who can reach {}",
            cbkit::render::escape_bytes(host.as_bytes(), 100)
        );
    }
    let inspector = Inspector::new(args.inspect_keep, ctx.show_secrets, host);
    let source = inspector.add_source(source);
    Some(Plan {
        hook: Hook {
            inspector,
            source,
            serve_here: args.inspect_port.is_none(),
        },
        own_port: args.inspect_port,
        host: host.to_string(),
    })
}

impl Plan {
    /// Serve the page once the listener is bound at `listener_url`: under `/_cbkit/` there, or
    /// on a port of its own.
    pub fn serve(self, listener_url: &str) -> Result<Served> {
        let inspector = Arc::clone(&self.hook.inspector);
        inspector.set_url(self.hook.source, listener_url);
        let (page, own) = match self.own_port {
            None => (inspector::page_url(listener_url), None),
            Some(port) => {
                let own = OwnPort::bind(Arc::clone(&inspector), &self.host, port)?;
                (inspector::page_url(own.url()), Some(own))
            }
        };
        Ok(Served {
            page,
            inspector,
            own,
        })
    }
}

/// The ready output's inspector line.
pub fn ready_text(page: &str) -> String {
    format!("inspect on {page}")
}

/// `cbkit inspect FILE`: every line of a capture file on the page, until Ctrl-C.
pub fn run(ctx: &Ctx, cmd: &InspectCmd) -> Result<i32> {
    let text = input::read_path(&cmd.file, "capture")?;
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut captures = Vec::new();
    let mut unreadable = 0usize;
    for line in &lines {
        match cbkit::capture::parse_line(line) {
            Ok(c) => captures.push(c),
            Err(_) => unreadable += 1,
        }
    }
    if captures.is_empty() {
        return Err(cbkit::Error::malformed(
            "capture",
            format!(
                "{} holds no capture line (write one with `cbkit listen --record FILE`)",
                cmd.file.display()
            ),
        )
        .into());
    }
    if let Some(url) = &cmd.to {
        cbkit::client::check_url("to", url)?;
    }
    if !super::listen::is_loopback(&cmd.host) {
        eprintln!(
            "warning: the inspector shows every request, plaintext included, to anyone who can reach {}",
            cbkit::render::escape_bytes(cmd.host.as_bytes(), 100)
        );
    }
    let signals = super::listen::signals()?;
    let inspector = Inspector::new(captures.len(), ctx.show_secrets, &cmd.host);
    let source = inspector.add_source(Source {
        url: cmd.to.clone(),
        secrets: input::secrets(&cmd.secrets).into(),
        forward_to: None,
        max_skew: cmd.max_skew.unwrap_or_default(),
    });
    let count = captures.len();
    for c in captures {
        inspector.store().push(Entry::captured(c, source));
    }
    let own = OwnPort::bind(Arc::clone(&inspector), &cmd.host, cmd.port)?;
    let page = inspector::page_url(own.url());
    {
        let mut out = std::io::stdout().lock();
        let line = if ctx.json {
            serde_json::json!({"inspect": page, "requests": count, "unreadable": unreadable})
                .to_string()
        } else {
            ready_text(&page)
        };
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
    if !ctx.quiet {
        let skipped = match unreadable {
            0 => String::new(),
            n => format!(" ({n} unreadable line(s) skipped)"),
        };
        eprintln!(
            "{count} request(s) from {}{skipped}; Ctrl-C to stop",
            cmd.file.display()
        );
    }
    let mut signals = signals;
    let _ = signals.forever().next();
    inspector.close();
    own.shutdown();
    Ok(0)
}
