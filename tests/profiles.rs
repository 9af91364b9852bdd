//! Per-vendor secrets in config profiles (`[profile.NAME.VENDOR]` tables): one listener serving
//! two vendors with different secrets, replay/probe/offline commands taking each vendor's own,
//! `config show` per vendor, the listener's ready output per vendor; and Tencent Meeting's
//! plain-versus-AES messages.

mod common;
use common::*;
use predicates::prelude::*;

const DING_KEY: &str = "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7";
const DING_ID: &str = "ding6ccabc44d2c8d38b";
const DING_TOKEN: &str = "mryue";
const WEMEET_TOKEN: &str = "wemeet-profile-token";

/// A profile with Tencent Meeting plain (a token only) and DingTalk AES (token, key, id).
fn two_vendor_profile(dir: &std::path::Path) -> String {
    let path = dir.join("c.toml");
    std::fs::write(
        &path,
        format!(
            "[profile.dev.wemeet]\ntoken = \"{WEMEET_TOKEN}\"\n\n\
             [profile.dev.dingtalk]\ntoken = \"{DING_TOKEN}\"\naes_key = \"{DING_KEY}\"\n\
             receiver_id = \"{DING_ID}\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path.to_str().unwrap().to_string()
}

/// `cbkit --config FILE --profile dev ARGS`.
fn with_profile(cfg: &str, args: &[&str]) -> assert_cmd::Command {
    let mut c = cbkit();
    c.args(["--config", cfg, "--profile", "dev"]).args(args);
    c
}

fn capture_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v.get("verdict").is_some())
        .collect()
}

#[test]
fn one_listener_verifies_each_vendor_with_its_own_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = two_vendor_profile(dir.path());
    let l = Listen::start_with(
        &["--vendor", "auto", "--strict", "--json"],
        &[("CBKIT_CONFIG", &cfg), ("CBKIT_PROFILE", "dev")],
    );
    // One replay of two vendors' fixtures to the same URL: each signed with its own secrets,
    // each recognised by shape and verified with its own.
    with_profile(
        &cfg,
        &[
            "replay",
            "wemeet/meeting.created",
            "dingtalk/check_url",
            "dingtalk/user_add_org",
            "--url",
            &l.url,
            "--no-retry",
        ],
    )
    .assert()
    .success()
    .stdout(predicate::str::contains("3 accepted, 0 rejected"));
    // Signed with the other vendor's token: refused.
    cbkit()
        .args(["replay", "wemeet/meeting.created", "--url", &l.url])
        .args(["--token", DING_TOKEN, "--no-retry"])
        .assert()
        .code(1);
    cbkit()
        .args(["replay", "dingtalk/user_add_org", "--url", &l.url])
        .args(["--token", WEMEET_TOKEN, "--aes-key", DING_KEY])
        .args(["--receiver-id", DING_ID, "--no-retry"])
        .assert()
        .code(1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while capture_lines(&l.stdout()).len() < 5 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Each connection's line is printed after its answer is written, so two requests answered
    // one after the other may still print in either order: compare them sorted.
    let mut verdicts: Vec<(String, bool, bool)> = capture_lines(&l.stdout())
        .iter()
        .map(|c| {
            (
                c["vendor"].as_str().unwrap_or_default().to_string(),
                c["verdict"]["accepted"].as_bool().unwrap(),
                c["verdict"]["signature"].as_bool().unwrap(),
            )
        })
        .collect();
    verdicts.sort();
    assert_eq!(
        verdicts,
        [
            ("dingtalk", false, false),
            ("dingtalk", true, true),
            ("dingtalk", true, true),
            ("wemeet", false, false),
            ("wemeet", true, true),
        ]
        .map(|(v, a, s)| (v.to_string(), a, s)),
        "{}",
        l.stdout()
    );
    // Probe, with the profile, passes against the same listener for each vendor.
    for vendor in ["wemeet", "dingtalk"] {
        with_profile(
            &cfg,
            &["probe", vendor, "--url", &format!("{}/{vendor}", l.url)],
        )
        .assert()
        .success();
    }
    let all = l.stdout();
    for secret in [DING_KEY, WEMEET_TOKEN] {
        assert!(!all.contains(secret), "a secret in the listener's output");
    }
}

#[test]
fn offline_commands_take_the_named_vendors_table_and_flags_still_win() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = two_vendor_profile(dir.path());
    let v = vector("dingtalk", "decrypt");
    let out = json_out(&mut with_profile(
        &cfg,
        &[
            "decode",
            "dingtalk",
            "--json",
            "--encrypt",
            &s(&v, "encrypt"),
        ],
    ));
    assert_eq!(out["plaintext"], v["plaintext"]);
    let sign = |extra: &[&str]| {
        let mut c = with_profile(
            &cfg,
            &[
                "sign",
                "wemeet",
                "--json",
                "--timestamp",
                "1",
                "--nonce",
                "2",
            ],
        );
        c.args(["--data", "eyJhIjoxfQ"]).args(extra);
        json_out(&mut c)["signature"].clone()
    };
    let by_flag = |token: &str| {
        json_out(
            cbkit()
                .args([
                    "sign",
                    "wemeet",
                    "--json",
                    "--timestamp",
                    "1",
                    "--nonce",
                    "2",
                ])
                .args(["--data", "eyJhIjoxfQ", "--token", token]),
        )["signature"]
            .clone()
    };
    assert_eq!(sign(&[]), by_flag(WEMEET_TOKEN), "the wemeet table's token");
    assert_eq!(sign(&["--token", "flag"]), by_flag("flag"), "a flag wins");
    let mut env = with_profile(
        &cfg,
        &[
            "sign",
            "wemeet",
            "--json",
            "--timestamp",
            "1",
            "--nonce",
            "2",
        ],
    );
    env.args(["--data", "eyJhIjoxfQ"]).env("CBKIT_TOKEN", "env");
    assert_eq!(json_out(&mut env)["signature"], by_flag("env"), "env wins");
}

#[test]
fn config_show_lists_each_vendors_settings_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = two_vendor_profile(dir.path());
    let v = json_out(&mut with_profile(&cfg, &["config", "show", "--json"]));
    // The old fields stay; the profile has no flat values.
    assert!(v["settings"]["token"]["value"].is_null());
    let wemeet = &v["vendors"]["wemeet"];
    assert_eq!(
        wemeet["token"]["source"],
        format!("profile dev.wemeet ({cfg})")
    );
    assert_eq!(wemeet["token"]["value"], "we****************en");
    assert!(wemeet["aes_key"]["value"].is_null());
    let ding = &v["vendors"]["dingtalk"];
    assert_eq!(ding["receiver_id"]["value"], DING_ID);
    assert!(!v.to_string().contains(DING_KEY), "masked");
    // A flag wins for every vendor.
    let v = json_out(&mut with_profile(
        &cfg,
        &[
            "config",
            "show",
            "--json",
            "--token",
            "flag-token",
            "--show-secrets",
        ],
    ));
    for vendor in ["wemeet", "dingtalk"] {
        assert_eq!(v["vendors"][vendor]["token"]["value"], "flag-token");
        assert_eq!(v["vendors"][vendor]["token"]["source"], "--token");
    }
    assert_eq!(v["vendors"]["dingtalk"]["aes_key"]["value"], DING_KEY);
    with_profile(&cfg, &["config", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("per vendor"))
        .stdout(predicate::str::contains(format!(
            "    token        we****************en  (from profile dev.wemeet ({cfg}))"
        )));
}

#[test]
fn ready_output_names_which_vendor_has_which_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = two_vendor_profile(dir.path());
    let listen = [
        "listen",
        "--vendor",
        "auto",
        "--port",
        "0",
        "--idle-timeout",
        "10ms",
    ];
    let out = with_profile(&cfg, &listen).arg("--json").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let ready: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert!(ready["listening"].as_str().unwrap().starts_with("http://"));
    let secrets = &ready["secrets"];
    assert_eq!(
        secrets["wemeet"],
        serde_json::json!({"set": ["token"], "missing": []})
    );
    assert_eq!(
        secrets["dingtalk"],
        serde_json::json!({"set": ["token", "aes-key", "receiver-id"], "missing": []})
    );
    assert_eq!(
        secrets["wecom"]["missing"],
        serde_json::json!(["token", "aes-key", "receiver-id"])
    );
    let out = with_profile(&cfg, &listen).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("listening on http://"), "{text}");
    assert!(
        text.contains("    Tencent Meeting       has token\n"),
        "{text}"
    );
    assert!(
        text.contains("    DingTalk              has token, aes-key, receiver-id\n"),
        "{text}"
    );
    assert!(
        text.contains("    Feishu                missing token, aes-key\n"),
        "{text}"
    );
    // The shared lines no longer call a secret missing for a vendor whose table has it.
    let token_line = text.lines().find(|l| l.starts_with("  token ")).unwrap();
    assert!(!token_line.contains("DingTalk"), "{token_line}");
    assert!(token_line.contains("WeCom"), "{token_line}");
    for secret in [DING_KEY, WEMEET_TOKEN, DING_TOKEN] {
        assert!(!text.contains(secret) && !stdout.contains(secret));
    }
}

#[test]
fn wemeet_says_which_side_has_the_wrong_encryption_setting() {
    // Plain base64 opened with an EncodingAESKey.
    cbkit()
        .args([
            "decode",
            "wemeet",
            "--data",
            "eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCJ9",
        ])
        .args(["--aes-key", DING_KEY])
        .assert()
        .code(2)
        .stderr(predicate::str::diff(
            "error: aes-key: this callback is not encrypted: the Tencent Meeting app sends plain \
             base64 (no EncodingAESKey); drop --aes-key for wemeet\n",
        ));
    // Ciphertext read without one.
    let sealed = json_out(cbkit().args([
        "encrypt",
        "wemeet",
        "--json",
        "--token",
        "T",
        "--aes-key",
        DING_KEY,
        "--plaintext",
        r#"{"event":"meeting.created"}"#,
    ]));
    cbkit()
        .args(["decode", "wemeet", "--data", &s(&sealed, "encrypt")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: aes-key: missing (this callback is encrypted: its data is 32 bytes of AES \
             ciphertext, not text; the Tencent Meeting app was given an EncodingAESKey: pass \
             --aes-key or set CBKIT_AES_KEY)",
        ));
    // A listener with a key, and a plain delivery: the same words.
    let l = Listen::start(&["--vendor", "wemeet", "--token", "T", "--aes-key", DING_KEY]);
    cbkit()
        .args(["replay", "wemeet/meeting.created", "--url", &l.url])
        .args(["--token", "T", "--no-retry"])
        .assert()
        .code(1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !l.stdout().contains("FAILED") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        l.stdout()
            .contains("this callback is not encrypted: the Tencent Meeting app sends plain base64 (no EncodingAESKey); drop --aes-key for wemeet"),
        "{}",
        l.stdout()
    );
}

#[test]
fn the_readme_shows_the_profile_its_examples_run_with() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let file =
        std::fs::read_to_string(format!("{root}/tests/cmd/readme.in/profiles.toml")).unwrap();
    assert!(
        readme.contains(&format!("```toml\n{file}```")),
        "README's per-vendor profile differs from tests/cmd/readme.in/profiles.toml"
    );
}

#[test]
fn batch_decode_opens_each_vendors_lines_with_its_own_table() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = two_vendor_profile(dir.path());
    let cap = dir.path().join("cap.jsonl");
    let l = Listen::start_with(
        &["--vendor", "auto", "--record", cap.to_str().unwrap()],
        &[("CBKIT_CONFIG", &cfg), ("CBKIT_PROFILE", "dev")],
    );
    with_profile(
        &cfg,
        &[
            "replay",
            "wemeet/meeting.created",
            "dingtalk/user_add_org",
            "--url",
            &l.url,
            "--no-retry",
        ],
    )
    .assert()
    .success();
    drop(l);
    // One process, two vendors' lines: each opened and verified with its own table.
    let out = with_profile(
        &cfg,
        &["decode", "--from-capture", cap.to_str().unwrap(), "--all"],
    )
    .assert()
    .success()
    .get_output()
    .stdout
    .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(&str, bool)> = lines
        .iter()
        .map(|l| (l["vendor"].as_str().unwrap(), l["valid"] == true))
        .collect();
    assert_eq!(got, [("wemeet", true), ("dingtalk", true)], "{lines:?}");
    // Without the profile, DingTalk's line cannot be opened: the run says so and exits 1.
    cbkit()
        .args(["decode", "--from-capture", cap.to_str().unwrap(), "--all"])
        .args(["--token", WEMEET_TOKEN])
        .env_remove("CBKIT_CONFIG")
        .assert()
        .code(1);
}
