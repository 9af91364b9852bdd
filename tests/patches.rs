//! The vendored crates in `third_party/` are the ones in the build. Cargo only warns when a
//! `[patch.crates-io]` entry goes unused (for example after an `aes` upgrade moves to another
//! cpufeatures line), and `clippy -D warnings` does not see that warning, so the VAES patch
//! could drop out without a failing build. These tests read the manifests and lock files that
//! `cargo test` has just resolved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_toml(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("{} is not TOML: {e}", path.display()))
}

/// `[patch.crates-io]` of a manifest: crate name → path, as written.
fn patches(manifest: &Path) -> BTreeMap<String, String> {
    let doc = read_toml(manifest);
    let table = doc
        .get("patch")
        .and_then(|p| p.get("crates-io"))
        .and_then(|p| p.as_table())
        .unwrap_or_else(|| panic!("{} has no [patch.crates-io]", manifest.display()));
    table
        .iter()
        .map(|(name, spec)| {
            let path = spec
                .get("path")
                .and_then(|p| p.as_str())
                .unwrap_or_else(|| panic!("{}: patch {name} is not a path", manifest.display()));
            (name.clone(), path.to_string())
        })
        .collect()
}

/// The vendored crates: directory name under third_party/ → (package name, version).
fn vendored() -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("third_party")).expect("third_party/ exists") {
        let dir = entry.expect("readable").path();
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let doc = read_toml(&manifest);
        let package = doc["package"].as_table().expect("[package]");
        let name = package["name"].as_str().expect("name").to_string();
        let version = package["version"].as_str().expect("version").to_string();
        let dir_name = dir.file_name().unwrap().to_string_lossy().into_owned();
        out.insert(dir_name, (name, version));
    }
    assert!(!out.is_empty(), "no vendored crates found in third_party/");
    out
}

/// Versions that Cargo treats as one compatible line: `0.3.1` → `0.3`, `1.2.0` → `1`.
fn semver_line(version: &str) -> String {
    let parts: Vec<&str> = version.split('.').collect();
    if parts[0] == "0" {
        format!("0.{}", parts.get(1).unwrap_or(&"0"))
    } else {
        parts[0].to_string()
    }
}

/// Check one lock file: each vendored crate resolves to the path copy at the vendored version,
/// and no registry copy of the same compatible line is left that dependents could use instead.
fn check_lock(lock: &Path) -> Vec<String> {
    let doc = read_toml(lock);
    let mut problems = Vec::new();
    if doc.get("patch").is_some() {
        problems.push(format!(
            "{} lists unused patches ([[patch.unused]]): {}",
            lock.display(),
            doc["patch"]
        ));
    }
    let packages = doc["package"].as_array().expect("[[package]]");
    for (name, version) in vendored().into_values() {
        let same_name: Vec<&toml::Value> = packages
            .iter()
            .filter(|p| p["name"].as_str() == Some(name.as_str()))
            .collect();
        let from_path = same_name
            .iter()
            .find(|p| p.get("source").is_none() && p["version"].as_str() == Some(version.as_str()));
        if from_path.is_none() {
            problems.push(format!(
                "{}: {name} {version} does not resolve to third_party/ (the [patch] is unused)",
                lock.display()
            ));
        }
        for p in &same_name {
            let v = p["version"].as_str().unwrap_or_default();
            if let Some(source) = p.get("source").and_then(|s| s.as_str())
                && semver_line(v) == semver_line(&version)
            {
                problems.push(format!(
                    "{}: {name} {v} comes from {source}, not from third_party/ ({version})",
                    lock.display()
                ));
            }
        }
    }
    problems
}

#[test]
fn every_vendored_crate_is_patched_in_both_workspaces() {
    let main = patches(&root().join("Cargo.toml"));
    let fuzz = patches(&root().join("fuzz/Cargo.toml"));
    for (dir, (name, _)) in vendored() {
        assert_eq!(
            main.get(&name).map(String::as_str),
            Some(format!("third_party/{dir}").as_str()),
            "Cargo.toml must patch {name} with third_party/{dir}"
        );
        assert_eq!(
            fuzz.get(&name).map(String::as_str),
            Some(format!("../third_party/{dir}").as_str()),
            "fuzz/Cargo.toml must patch {name} with ../third_party/{dir}, as cbkit does"
        );
    }
    assert_eq!(
        main.keys().collect::<Vec<_>>(),
        fuzz.keys().collect::<Vec<_>>(),
        "both workspaces patch the same crates"
    );
}

#[test]
fn the_build_uses_the_vendored_crates() {
    let problems = check_lock(&root().join("Cargo.lock"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_fuzz_build_uses_the_vendored_crates() {
    let problems = check_lock(&root().join("fuzz/Cargo.lock"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn patch_notes_name_the_upstream_version_of_every_entry() {
    for (dir, (name, version)) in vendored() {
        let path = root()
            .join("third_party")
            .join(&dir)
            .join("CBKIT-PATCHES.md");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let title = text.lines().next().unwrap_or_default();
        assert!(
            title.starts_with('#') && title.contains(&format!("{name} {version}")),
            "{}: the title must name {name} {version}, the vendored version",
            path.display()
        );
        // Numbered entries start a line with `N. `; each says what it applies to and its diff.
        let entries: Vec<&str> = text
            .split('\n')
            .filter(|l| {
                l.split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            })
            .collect();
        assert!(!entries.is_empty(), "{}: no entries", path.display());
        for e in entries {
            assert!(
                e.contains(&format!("Upstream {version}.")) && e.contains("Diff"),
                "{}: entry `{e}` must start `N. Upstream {version}. Diff ...`",
                path.display()
            );
        }
    }
}

#[test]
fn semver_lines() {
    assert_eq!(semver_line("0.3.1"), "0.3");
    assert_eq!(semver_line("0.2.17"), "0.2");
    assert_eq!(semver_line("0.12.0"), "0.12");
    assert_eq!(semver_line("1.4.0"), "1");
}
