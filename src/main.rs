//! The `cbkit` binary: parse arguments, run one command, map the outcome to an exit code.

mod cli;
mod commands;

use clap::Parser;

use cli::{Cli, Command};
use commands::Ctx;

fn main() {
    let mut cli = Cli::parse();
    panic_hook(cli.global.show_secrets);
    let mut ctx = match Ctx::new(&cli.global) {
        Ok(ctx) => ctx,
        Err(e) => std::process::exit(report(&e)),
    };
    ctx.apply_profile(&mut cli.command);
    let code = match run(&ctx, &cli.command) {
        Ok(code) => code,
        Err(e) => report(&commands::cli_error(e)),
    };
    std::process::exit(code);
}

fn run(ctx: &Ctx, command: &Command) -> anyhow::Result<i32> {
    match command {
        Command::Sign(c) => commands::sign::run(ctx, c),
        Command::Verify(c) => commands::verify::run(ctx, c),
        Command::Decode(c) => commands::decode::run(ctx, c),
        Command::Encrypt(c) => commands::encrypt::run(ctx, c),
        Command::Probe(c) => commands::probe::run(ctx, c),
        Command::Demo(c) => commands::demo::run(ctx, c),
        Command::Config(c) => commands::config::run(ctx, c),
        Command::Completions { shell } => {
            commands::generate::completions(*shell, &mut std::io::stdout());
            Ok(0)
        }
        Command::Man => {
            commands::generate::man(&mut std::io::stdout())?;
            Ok(0)
        }
        Command::Replay(c) => commands::replay::run(ctx, c),
        Command::Fixtures(c) => commands::fixtures::run(ctx, c),
        Command::Listen(c) => commands::listen::run(ctx, c),
    }
}

/// A panic prints one short line: where, and (only with --show-secrets) the message, which may
/// quote a token, a key or a decrypted body.
fn panic_hook(show_secrets: bool) {
    std::panic::set_hook(Box::new(move |info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let detail = if show_secrets {
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            format!(": {}", cbkit::render::escape_bytes(msg.as_bytes(), 500))
        } else {
            " (message hidden: it may hold a secret; rerun with --show-secrets to see it)".into()
        };
        eprintln!("error: internal error{at}{detail}; this is a bug in cbkit, please report it");
    }));
}

/// Print an error as one `error:` line (plus its causes) and choose the exit code: the
/// protocol error's own code, else 2 (usage or input).
fn report(e: &anyhow::Error) -> i32 {
    let mut msg = format!("error: {e}");
    for cause in e.chain().skip(1) {
        msg.push_str(&format!(": {cause}"));
    }
    eprintln!("{}", cbkit::render::escape_bytes(msg.as_bytes(), 2000));
    e.downcast_ref::<cbkit::Error>()
        .map_or(2, cbkit::Error::exit_code)
}
