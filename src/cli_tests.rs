//! The clap model's own checks: consistency, and the help examples (they parse, they fit
//! on a line, and long ones continue with `\` instead of wrapping).

use super::*;
use clap::{CommandFactory, Parser};

/// Help examples as written, continuation lines (`\` at the end) joined into one.
fn example_commands(help: &str) -> Vec<String> {
    let Some((_, examples)) = help.split_once("Examples:") else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let mut continued = false;
    for line in examples.lines().map(str::trim) {
        if continued {
            let last = out.last_mut().unwrap();
            last.push(' ');
            last.push_str(line.trim_end_matches('\\').trim_end());
        } else if line.contains("cbkit ") {
            out.push(line.trim_end_matches('\\').trim_end().to_string());
        }
        continued = line.ends_with('\\');
    }
    out
}

/// Every `cbkit ...` example in the subcommands' help, without comments, pipes or
/// redirections, and without what comes before `cbkit` (`VAR=value`, `pbpaste |`).
fn help_examples() -> Vec<String> {
    fn walk(cmd: &clap::Command, out: &mut Vec<String>) {
        if let Some(help) = cmd.get_after_help() {
            for line in example_commands(&help.to_string()) {
                let line = &line[line.find("cbkit ").unwrap()..];
                let end = line.find(['#', '|', '>']).unwrap_or(line.len());
                out.push(line[..end].trim().to_string());
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &mut out);
    out
}

/// No example line is wider than this, so clap (which wraps help at 100 columns, or the
/// terminal's width) never breaks one inside a command on a terminal 80 wide.
const EXAMPLE_WIDTH: usize = 80;

#[test]
fn help_example_lines_fit_and_continue_with_backslashes() {
    fn walk(cmd: &clap::Command) {
        if let Some(help) = cmd.get_after_help() {
            let help = help.to_string();
            let examples = help.split_once("Examples:").map_or("", |e| e.1).lines();
            // Examples are indented; prose after them is wrapped by clap like any text.
            for line in examples.filter(|l| l.starts_with("  ")) {
                assert!(
                    line.chars().count() <= EXAMPLE_WIDTH,
                    "{}: example line wider than {EXAMPLE_WIDTH}: {line}",
                    cmd.get_name()
                );
            }
        }
        cmd.get_subcommands().for_each(walk);
    }
    walk(&Cli::command());
    assert_eq!(
        example_commands("Examples:\n  cbkit a \\\n      --b c\n  cbkit d"),
        ["cbkit a --b c", "cbkit d"]
    );
}

#[test]
fn clap_model_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn every_help_example_parses() {
    let examples = help_examples();
    assert!(examples.len() >= 30, "only {} examples", examples.len());
    for line in examples {
        let words = cbkit::curl::shell_words(&line).unwrap();
        if let Err(e) = Cli::try_parse_from(&words) {
            panic!("help example does not parse: {line}\n{e}");
        }
    }
}

#[test]
fn every_subcommand_has_two_to_four_examples() {
    for sub in Cli::command().get_subcommands() {
        let help = sub
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        let n = example_commands(&help).len();
        let min = if sub.get_name() == "man" { 1 } else { 2 };
        assert!(
            (min..=4).contains(&n),
            "{} has {n} examples",
            sub.get_name()
        );
    }
}
