//! The README's CI recipes work as shown: the snippets are taken from README.md verbatim and
//! run with bash in an empty directory, with the built cbkit first on PATH; and
//! examples/ci-check.sh, the same self-check as a script.

mod common;

use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::process::{Command, Output};

const WECOM_TOKEN: &str = "QDG6eK";
const WECOM_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const WECOM_CORP: &str = "wx5823bf96d3bd56c7";

/// The ```sh blocks of the README's "Script callback checks in CI" section, in order.
fn readme_ci_snippets() -> Vec<String> {
    let readme = include_str!("../README.md");
    let section = readme
        .split_once("### Script callback checks in CI")
        .expect("README has the CI section")
        .1;
    let section = section.split("\n## ").next().unwrap();
    let mut snippets = Vec::new();
    let mut rest = section;
    while let Some((_, after)) = rest.split_once("```sh\n") {
        let (body, tail) = after.split_once("```").expect("closed block");
        snippets.push(body.to_string());
        rest = tail;
    }
    assert!(
        snippets.len() >= 2,
        "expected the self-check and the app snippet"
    );
    snippets
}

/// Run a snippet the way GitHub Actions runs a step (`bash -e`), in `dir`.
fn run_snippet(snippet: &str, dir: &Path, envs: &[(&str, &str)]) -> Output {
    let script = dir.join("step.sh");
    std::fs::write(&script, snippet).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cbkit")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg("-e")
        .arg(&script)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("CBKIT_TOKEN", WECOM_TOKEN)
        .env("CBKIT_AES_KEY", WECOM_KEY)
        .env("CBKIT_RECEIVER_ID", WECOM_CORP)
        .env("vendor", "wecom")
        .env_remove("CBKIT_CONFIG")
        .env_remove("CBKIT_PROFILE");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn show(out: &Output) -> String {
    format!(
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn junit_failures(dir: &Path) -> usize {
    let xml = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count()
}

#[test]
fn readme_self_check_snippet_passes_against_cbkits_own_listener() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_snippet(&readme_ci_snippets()[0], dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(junit_failures(dir.path()), 0);
    let lines = std::fs::read_to_string(dir.path().join("callbacks.jsonl")).unwrap();
    assert_eq!(
        lines.lines().count(),
        cbkit::fixture::resolve("wecom").unwrap().len()
    );
}

/// A receiver that answers every request with `status` and `body`, until the test ends.
fn fixed_receiver(status: u16, body: &'static str) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            std::thread::spawn(move || {
                let mut reader = std::io::BufReader::new(conn.try_clone().unwrap());
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':')
                        && k.eq_ignore_ascii_case("content-length")
                    {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body_in = vec![0; length];
                let _ = reader.read_exact(&mut body_in);
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    port
}

#[test]
fn readme_app_snippet_fails_against_an_app_answering_500() {
    let dir = tempfile::tempdir().unwrap();
    let port = fixed_receiver(500, "oops").to_string();
    let out = run_snippet(&readme_ci_snippets()[1], dir.path(), &[("APP_PORT", &port)]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(junit_failures(dir.path()) > 0);
}

#[test]
fn readme_app_snippet_passes_against_an_app_that_answers_right() {
    let dir = tempfile::tempdir().unwrap();
    // cbkit's own receiver stands in for a correct app.
    let app = common::Listen::start_with(
        &["--vendor", "wecom"],
        &[
            ("CBKIT_TOKEN", WECOM_TOKEN),
            ("CBKIT_AES_KEY", WECOM_KEY),
            ("CBKIT_RECEIVER_ID", WECOM_CORP),
        ],
    );
    let port = app.port.to_string();
    let out = run_snippet(&readme_ci_snippets()[1], dir.path(), &[("APP_PORT", &port)]);
    drop(app);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(junit_failures(dir.path()), 0);
}

#[test]
fn ci_recipe_script_runs_green_and_writes_junit() {
    let dir = tempfile::tempdir().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ci-check.sh");
    let out = Command::new("bash")
        .arg(script)
        .arg("wecom")
        .current_dir(dir.path())
        .env("CBKIT_BIN", env!("CARGO_BIN_EXE_cbkit"))
        .env("CBKIT_TOKEN", WECOM_TOKEN)
        .env("CBKIT_AES_KEY", WECOM_KEY)
        .env("CBKIT_RECEIVER_ID", WECOM_CORP)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", show(&out));
    assert!(stdout.contains("0 rejected"), "{stdout}");
    assert_eq!(junit_failures(dir.path()), 0);
    let lines = std::fs::read_to_string(dir.path().join("callbacks.jsonl")).unwrap();
    assert_eq!(
        lines.lines().count(),
        cbkit::fixture::resolve("wecom").unwrap().len()
    );
}
