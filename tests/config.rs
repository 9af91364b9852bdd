//! Config profiles: precedence flags > environment > profile > defaults, file discovery,
//! permission warning, errors.

mod common;
use common::*;
use predicates::prelude::*;

const PROFILE: &str = r#"default_profile = "ding"
[profile.ding]
vendor = "dingtalk"
token = "profile-token"
aes_key = "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7"
receiver_id = "ding6ccabc44d2c8d38b"
url = "http://127.0.0.1:9/from-profile"

[profile.other]
token = "other-token"
"#;

fn write_config(dir: &std::path::Path, name: &str, mode: u32) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, PROFILE).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    path
}

fn show(cmd: &mut assert_cmd::Command) -> serde_json::Value {
    json_out(cmd.args(["config", "show", "--json", "--show-secrets"]))
}

#[test]
fn precedence_is_flag_then_env_then_profile() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), "c.toml", 0o600);
    let c = cfg.to_str().unwrap();
    let v = show(cbkit().args(["--config", c]));
    assert_eq!(v["profile"], "ding");
    assert_eq!(v["settings"]["token"]["value"], "profile-token");
    assert!(
        v["settings"]["token"]["source"]
            .as_str()
            .unwrap()
            .starts_with("profile ding")
    );
    assert_eq!(
        v["settings"]["url"]["value"],
        "http://127.0.0.1:9/from-profile"
    );
    let v = show(
        cbkit()
            .args(["--config", c])
            .env("CBKIT_TOKEN", "env-token"),
    );
    assert_eq!(v["settings"]["token"]["value"], "env-token");
    assert_eq!(v["settings"]["token"]["source"], "CBKIT_TOKEN");
    let v = json_out(
        cbkit()
            .args([
                "--config",
                c,
                "config",
                "show",
                "--json",
                "--show-secrets",
                "--token",
                "flag-token",
            ])
            .env("CBKIT_TOKEN", "env-token"),
    );
    assert_eq!(v["settings"]["token"]["value"], "flag-token");
    assert_eq!(v["settings"]["token"]["source"], "--token");
    let v = show(cbkit().args(["--config", c, "--profile", "other"]));
    assert_eq!(v["settings"]["token"]["value"], "other-token");
    assert!(v["settings"]["aes_key"]["value"].is_null());
    // Secrets are masked unless asked.
    let masked = json_out(cbkit().args(["--config", c, "config", "show", "--json"]));
    assert!(!masked.to_string().contains("profile-token"));
}

#[test]
fn profile_secrets_are_used_by_commands() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), "c.toml", 0o600);
    let v = vector("dingtalk", "decrypt");
    let out = json_out(
        cbkit()
            .args([
                "decode",
                "dingtalk",
                "--json",
                "--encrypt",
                &s(&v, "encrypt"),
            ])
            .env("CBKIT_CONFIG", cfg.to_str().unwrap()),
    );
    assert_eq!(out["plaintext"], v["plaintext"]);
    // The profile's url is where replay goes (nothing listens there: connection refused).
    cbkit()
        .args(["replay", "dingtalk/check_url", "--no-retry"])
        .env("CBKIT_CONFIG", cfg.to_str().unwrap())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("from-profile"));
}

#[test]
fn local_file_is_found_upward_and_loose_permissions_are_warned() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), ".cbkit.toml", 0o644);
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    let out = cbkit()
        .current_dir(&nested)
        .args(["config", "show", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["profile"], "ding");
    assert!(String::from_utf8_lossy(&out.stderr).contains("readable by group or others"));
    // XDG user config, when there is no local file.
    let xdg = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(xdg.path().join("cbkit")).unwrap();
    write_config(&xdg.path().join("cbkit"), "config.toml", 0o600);
    let elsewhere = tempfile::tempdir().unwrap();
    let out = cbkit()
        .current_dir(elsewhere.path())
        .env("XDG_CONFIG_HOME", xdg.path())
        .args(["config", "show", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["profile"], "ding");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn config_errors_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), "c.toml", 0o600);
    cbkit()
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "--profile",
            "nope",
            "config",
            "show",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("known profiles: ding, other"));
    std::fs::write(&cfg, "[profile.x]\ntokn = 1\n").unwrap();
    cbkit()
        .args(["--config", cfg.to_str().unwrap(), "config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tokn"));
    cbkit()
        .args(["--config", "/nonexistent/c.toml", "config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}
