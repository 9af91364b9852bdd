//! The README's CI recipe (examples/ci-check.sh) works as shown: listener on a free port,
//! ready line, replay with a JUnit report.

mod common;

#[test]
fn ci_recipe_script_runs_green_and_writes_junit() {
    let dir = tempfile::tempdir().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ci-check.sh");
    let out = std::process::Command::new("bash")
        .arg(script)
        .arg("wecom")
        .current_dir(dir.path())
        .env("CBKIT_BIN", env!("CARGO_BIN_EXE_cbkit"))
        .env("CBKIT_TOKEN", "QDG6eK")
        .env(
            "CBKIT_AES_KEY",
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        )
        .env("CBKIT_RECEIVER_ID", "wx5823bf96d3bd56c7")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("0 rejected"), "{stdout}");
    let xml = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        0
    );
    let lines = std::fs::read_to_string(dir.path().join("callbacks.jsonl")).unwrap();
    assert_eq!(
        lines.lines().count(),
        cbkit::fixture::resolve("wecom").unwrap().len()
    );
}
