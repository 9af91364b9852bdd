//! Every ```console block in README.md and docs/*.md runs against the built binary and its
//! output must match (trycmd; `[..]` matches the rest of a line, `...` any lines).
//!
//! Conventions for the blocks: `$ ` starts a command, `> ` continues it (a trailing `\` is
//! dropped, so the lines paste into a shell as they are), `? 1` on the next line expects that
//! exit code, and stdout and stderr are compared together. Environment variables go in front
//! of the command (`$ CBKIT_TOKEN=... cbkit verify ...`). The commands run in a fresh copy of
//! tests/cmd/readme.in/, which holds the files the examples name (body.json, captured.http, ...),
//! with the clock pinned (`CBKIT_NOW_MS`) and no user configuration. Examples that need a
//! server are ```sh blocks in the README, pointing at the integration test that runs them.
//!
//! After changing the binary's output on purpose: `TRYCMD=overwrite cargo test --test readme`
//! rewrites the copies in the temporary directory only; copy the new text into the README.

use std::path::{Path, PathBuf};

/// The clock every example sees: 2026-11-30T00:00:00Z.
const NOW_MS: &str = "1795996800000";

fn documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![root.join("README.md")];
    if let Ok(entries) = std::fs::read_dir(root.join("docs")) {
        let mut more: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        more.sort();
        docs.extend(more);
    }
    docs
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Stage a document as `<dir>/<name>.md` with `<name>.in/` beside it: trycmd runs a markdown
/// case in its `.in` directory, and neither belongs in the repository's root.
fn stage(doc: &Path, dir: &Path) -> PathBuf {
    let stem = doc.file_stem().unwrap().to_string_lossy().to_lowercase();
    let case = dir.join(format!("{stem}.md"));
    let text = std::fs::read_to_string(doc).unwrap();
    std::fs::write(&case, with_final_newlines(&text)).unwrap();
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/readme.in");
    copy_dir(&inputs, &dir.join(format!("{stem}.in")));
    case
}

/// trycmd drops the last newline of each command's expected output (so that output without
/// one can be written down), while cbkit's output ends with one: in the staged copy, not in the
/// README, every command's output gets a blank last line.
fn with_final_newlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut in_console = false;
    let mut seen_command = false;
    for line in text.split_inclusive('\n') {
        if in_console && line.starts_with("```") {
            if seen_command {
                out.push('\n');
            }
            in_console = false;
        } else if in_console && line.starts_with("$ ") {
            if seen_command {
                out.push('\n');
            }
            seen_command = true;
        } else if line.trim_end() == "```console" {
            in_console = true;
            seen_command = false;
        }
        out.push_str(line);
    }
    out
}

#[test]
fn readme_console_examples_match_the_binary() {
    // The examples name their own secrets; a developer's CBKIT_* settings must not leak in.
    // trycmd can add variables but not remove them, so they leave this process's environment.
    for var in [
        "CBKIT_TOKEN",
        "CBKIT_AES_KEY",
        "CBKIT_RECEIVER_ID",
        "CBKIT_SDK_APP_ID",
        "CBKIT_PROFILE",
        "CBKIT_CONFIG",
        "CLICOLOR_FORCE",
    ] {
        // SAFETY: the only test in this binary, before trycmd starts its threads; the test
        // harness does not read the environment meanwhile.
        unsafe { std::env::remove_var(var) };
    }
    let dir = tempfile::tempdir().unwrap();
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("cbkit", trycmd::cargo::cargo_bin!("cbkit"))
        .env("CBKIT_NOW_MS", NOW_MS)
        .env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", dir.path().to_string_lossy())
        .env("HOME", dir.path().to_string_lossy())
        .timeout(std::time::Duration::from_secs(60));
    for doc in documents() {
        cases.case(stage(&doc, dir.path()));
    }
    cases.run();
}
