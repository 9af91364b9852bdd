//! The committed completions and man page match what the binary generates, and the clap model
//! is internally consistent.

mod common;
use common::*;

fn generated(args: &[&str]) -> String {
    let out = cbkit().args(args).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn committed_completions_are_current() {
    let root = env!("CARGO_MANIFEST_DIR");
    for (shell, file) in [
        ("bash", "cbkit.bash"),
        ("zsh", "_cbkit"),
        ("fish", "cbkit.fish"),
        ("powershell", "_cbkit.ps1"),
        ("elvish", "cbkit.elv"),
    ] {
        let committed =
            std::fs::read_to_string(format!("{root}/completions/{file}")).unwrap_or_default();
        assert!(
            committed == generated(&["completions", shell]),
            "completions/{file} is out of date: run `cargo run -- completions {shell} > completions/{file}` (or scripts/regen.sh)"
        );
    }
}

#[test]
fn completions_offer_vendors_and_fixtures() {
    let bash = generated(&["completions", "bash"]);
    assert!(bash.contains("dingtalk") && bash.contains("wemeet/meeting.created"));
}

#[test]
fn committed_man_page_is_current() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/man/cbkit.1"))
        .unwrap_or_default();
    assert!(
        committed == generated(&["man"]),
        "man/cbkit.1 is out of date: run scripts/regen.sh"
    );
}

#[test]
fn version_and_grouped_help() {
    cbkit()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicates::str::contains(env!("CARGO_PKG_VERSION")));
    cbkit()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicates::str::contains("Commands by task"));
}
