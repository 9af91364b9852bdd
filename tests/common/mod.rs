//! Helpers shared by the integration tests.
#![allow(dead_code)]

use assert_cmd::Command;

/// The built `cbkit` binary with a clean environment: no secrets leak in from the developer's
/// shell, no colour.
pub fn cbkit() -> Command {
    let mut cmd = Command::cargo_bin("cbkit").expect("binary builds");
    for var in [
        "CBKIT_TOKEN",
        "CBKIT_AES_KEY",
        "CBKIT_RECEIVER_ID",
        "CBKIT_SDK_APP_ID",
        "CBKIT_NOW_MS",
        "CBKIT_PROFILE",
        "CBKIT_CONFIG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The official vectors, copied from the shared material into the project.
pub fn vectors() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/official.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["vectors"].as_array().unwrap().clone()
}

pub fn vector(vendor: &str, kind: &str) -> serde_json::Value {
    vectors()
        .into_iter()
        .find(|v| v["vendor"] == vendor && v["kind"] == kind)
        .unwrap_or_else(|| panic!("no vector {vendor}/{kind}"))
}

pub fn s(v: &serde_json::Value, k: &str) -> String {
    v[k].as_str()
        .unwrap_or_else(|| panic!("vector field {k}"))
        .to_string()
}

/// Run and parse stdout as JSON.
pub fn json_out(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}
