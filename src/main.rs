//! The `cbkit` binary: parse arguments, run one command, map the outcome to an exit code.

// On glibc Linux cbkit starts from its own C `main` (`start.rs`), not std's; `cargo test` keeps
// std's, for the test harness's own `main`.
#![cfg_attr(all(not(test), target_os = "linux", target_env = "gnu"), no_main)]

mod cli;
mod commands;
#[cfg(all(not(test), target_os = "linux", target_env = "gnu"))]
mod start;

use clap::{CommandFactory, FromArgMatches};

use cli::{Cli, Command};
use commands::Ctx;

/// Elsewhere, std's start as usual.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn main() {
    std::process::exit(cbkit_main());
}

/// Parse, run, report: the exit code.
#[cfg_attr(test, allow(dead_code))]
fn cbkit_main() -> i32 {
    let mut cli = parse();
    panic_hook(cli.global.show_secrets);
    let mut ctx = match Ctx::new(&cli.global) {
        Ok(ctx) => ctx,
        Err(e) => return report(&e),
    };
    ctx.apply_profile(&mut cli.command);
    let code = match run(&ctx, &cli.command) {
        Ok(code) => code,
        Err(e) => report(&commands::cli_error(e)),
    };
    // The process ends next: nothing to free, as with the clap model (`parse`).
    std::mem::forget((cli, ctx));
    code
}

/// `Cli::parse()`, except that the clap model is not dropped afterwards: freeing its thousands
/// of small allocations cost as much as a short command's own work, and the process ends soon
/// (a listener keeps the one model it parsed with). Errors print and exit as `parse` does.
fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut model = std::mem::ManuallyDrop::new(cli::command_for(&args));
    let parsed = model
        .try_get_matches_from_mut(args)
        .and_then(|mut matches| {
            Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut Cli::command()))
        });
    parsed.unwrap_or_else(|e| e.exit())
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
            let mut text = Vec::new();
            commands::generate::completions(*shell, &mut text);
            write_stdout(&text)?;
            Ok(0)
        }
        Command::Man => {
            let mut text = Vec::new();
            commands::generate::man(&mut text)?;
            write_stdout(&text)?;
            Ok(0)
        }
        Command::Replay(c) => commands::replay::run(ctx, c),
        Command::Fixtures(c) => commands::fixtures::run(ctx, c),
        Command::Listen(c) => commands::listen::run(ctx, c),
        Command::Inspect(c) => commands::inspect::run(ctx, c),
    }
}

/// A panic prints one short line: where, and (only with --show-secrets) the message, which may
/// quote a token, a key or a decrypted body.
fn panic_hook(show_secrets: bool) {
    std::panic::set_hook(Box::new(move |info| {
        if is_closed_stdout(info) {
            std::process::exit(0);
        }
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

/// Generated text (completions, man page) in one write, so a closed pipe is an error we see
/// rather than a panic inside the generator.
fn write_stdout(text: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text)?;
    out.flush()
}

/// `print!` panics when stdout is a pipe the reader closed (`cbkit man | head`). The reader
/// has all it wanted, so that is a normal end, not a bug: exit 0 without a word.
fn is_closed_stdout(info: &std::panic::PanicHookInfo<'_>) -> bool {
    let msg = info
        .payload()
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| info.payload().downcast_ref::<&str>().copied())
        .unwrap_or_default();
    msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe")
}

/// A write to a closed stdout, anywhere in an error's chain.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Print an error as one `error:` line (plus its causes) and choose the exit code: the
/// protocol error's own code, else 2 (usage or input). A closed stdout is a normal end (0).
fn report(e: &anyhow::Error) -> i32 {
    if is_broken_pipe(e) {
        return 0;
    }
    let mut msg = format!("error: {e}");
    for cause in e.chain().skip(1) {
        msg.push_str(&format!(": {cause}"));
    }
    eprintln!("{}", cbkit::render::escape_bytes(msg.as_bytes(), 2000));
    e.downcast_ref::<cbkit::Error>()
        .map_or(2, cbkit::Error::exit_code)
}
