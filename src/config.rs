//! Config profiles: `[profile.NAME]` sections in TOML holding a vendor, its secrets and a URL,
//! so secrets stay out of shell history and the process list.
//!
//! Files, highest priority first: `--config FILE` / `CBKIT_CONFIG` (only that file), else a
//! project-local `.cbkit.toml` found from the current directory upward, then the user's
//! `$XDG_CONFIG_HOME/cbkit/config.toml` (`~/.config/cbkit/config.toml`). The profile is
//! `--profile NAME` / `CBKIT_PROFILE`, else the file's `default_profile`, else one named
//! `default`. Precedence of a value: flag > environment > profile > built-in default.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// One profile's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub vendor: Option<String>,
    pub token: Option<String>,
    pub aes_key: Option<String>,
    pub receiver_id: Option<String>,
    pub sdk_app_id: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileModel {
    default_profile: Option<String>,
    #[serde(default)]
    profile: BTreeMap<String, Profile>,
}

/// A parsed config file.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub default_profile: Option<String>,
    pub profiles: BTreeMap<String, Profile>,
    /// Set when the file is readable by group or others (it may hold secrets).
    pub too_open: bool,
}

/// Parse a config file's text.
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile> {
    let model: FileModel = toml::from_str(text).map_err(|e| {
        // toml's message spans several lines with a caret; keep the first line and the location.
        let msg = e.message().to_string();
        let at = e
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(" (line {line})")
            })
            .unwrap_or_default();
        Error::malformed("config", format!("{}: {msg}{at}", path.display()))
    })?;
    if let Some(v) = model.profile.values().find_map(|p| {
        p.vendor
            .as_ref()
            .filter(|v| v.parse::<crate::protocol::VendorId>().is_err())
    }) {
        return Err(Error::malformed(
            "config",
            format!(
                "{}: unknown vendor `{v}`{}",
                path.display(),
                crate::suggest::did_you_mean(
                    v,
                    crate::protocol::VendorId::ALL.iter().map(|v| v.name())
                )
            ),
        ));
    }
    Ok(ConfigFile {
        path: path.to_path_buf(),
        default_profile: model.default_profile,
        profiles: model.profile,
        too_open: false,
    })
}

/// Read and parse a file, noting loose permissions.
pub fn load(path: &Path) -> Result<ConfigFile> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::malformed("config", format!("cannot read {}: {e}", path.display())))?;
    let mut file = parse(path, &text)?;
    file.too_open = too_open(path);
    Ok(file)
}

#[cfg(unix)]
fn too_open(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn too_open(_: &Path) -> bool {
    false
}

/// Where config files are looked for, highest priority first.
pub fn locate(
    explicit: Option<&Path>,
    cwd: &Path,
    xdg_config_home: Option<&Path>,
    home: Option<&Path>,
) -> Vec<PathBuf> {
    if let Some(p) = explicit {
        return vec![p.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut dir = Some(cwd);
    while let Some(d) = dir {
        let candidate = d.join(".cbkit.toml");
        if candidate.is_file() {
            out.push(candidate);
            break;
        }
        dir = d.parent();
    }
    let user = xdg_config_home
        .map(|x| x.join("cbkit/config.toml"))
        .or_else(|| home.map(|h| h.join(".config/cbkit/config.toml")));
    if let Some(u) = user.filter(|u| u.is_file()) {
        out.push(u);
    }
    out
}

/// The chosen profile with, for each field, the file it came from.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub name: Option<String>,
    pub profile: Profile,
    /// field name → file it came from
    pub sources: BTreeMap<&'static str, PathBuf>,
    pub files: Vec<PathBuf>,
}

/// Pick and merge the profile across files (earlier files win, field by field).
pub fn resolve(files: &[ConfigFile], requested: Option<&str>) -> Result<Resolved> {
    let name = match requested {
        Some(n) => Some(n.to_string()),
        None => files
            .iter()
            .find_map(|f| f.default_profile.clone())
            .or_else(|| {
                files
                    .iter()
                    .any(|f| f.profiles.contains_key("default"))
                    .then(|| "default".to_string())
            }),
    };
    let mut out = Resolved {
        name: name.clone(),
        files: files.iter().map(|f| f.path.clone()).collect(),
        ..Resolved::default()
    };
    let Some(name) = name else { return Ok(out) };
    let mut found = false;
    for f in files {
        let Some(p) = f.profiles.get(&name) else {
            continue;
        };
        found = true;
        let fields: [(&'static str, &Option<String>, &mut Option<String>); 6] = [
            ("vendor", &p.vendor, &mut out.profile.vendor),
            ("token", &p.token, &mut out.profile.token),
            ("aes_key", &p.aes_key, &mut out.profile.aes_key),
            ("receiver_id", &p.receiver_id, &mut out.profile.receiver_id),
            ("sdk_app_id", &p.sdk_app_id, &mut out.profile.sdk_app_id),
            ("url", &p.url, &mut out.profile.url),
        ];
        for (key, value, slot) in fields {
            if slot.is_none()
                && let Some(v) = value
            {
                *slot = Some(v.clone());
                out.sources.insert(key, f.path.clone());
            }
        }
    }
    if !found && requested.is_some() {
        let mut names: Vec<&String> = files.iter().flat_map(|f| f.profiles.keys()).collect();
        names.sort();
        names.dedup();
        let hint = if files.is_empty() {
            "no config file found (.cbkit.toml, $XDG_CONFIG_HOME/cbkit/config.toml, or --config)"
                .to_string()
        } else if names.is_empty() {
            "the config files define no [profile.NAME] sections".to_string()
        } else {
            format!(
                "{}known profiles: {}",
                crate::suggest::closest(&name, names.iter().map(|s| s.as_str()))
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default(),
                names
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(Error::malformed(
            "profile",
            format!("no profile `{name}`: {hint}"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> ConfigFile {
        parse(Path::new(path), text).unwrap()
    }

    #[test]
    fn profiles_merge_field_by_field_and_pick_default() {
        let local = file(
            "local",
            "default_profile = \"ding\"\n[profile.ding]\ntoken = \"t-local\"\n",
        );
        let user = file(
            "user",
            "[profile.ding]\ntoken = \"t-user\"\naes_key = \"k-user\"\nvendor = \"dingtalk\"\n",
        );
        let r = resolve(&[local, user], None).unwrap();
        assert_eq!(r.name.as_deref(), Some("ding"));
        assert_eq!(r.profile.token.as_deref(), Some("t-local"));
        assert_eq!(r.profile.aes_key.as_deref(), Some("k-user"));
        assert_eq!(r.sources["token"], PathBuf::from("local"));
        assert_eq!(r.sources["aes_key"], PathBuf::from("user"));
    }

    #[test]
    fn errors_name_the_problem() {
        let e = parse(Path::new("c.toml"), "[profile.x]\ntokn = \"a\"\n").unwrap_err();
        assert!(e.to_string().contains("tokn"), "{e}");
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = parse(Path::new("c.toml"), "[profile.x]\nvendor = \"slack\"\n").unwrap_err();
        assert!(e.to_string().contains("unknown vendor"), "{e}");
        let f = file("c.toml", "[profile.a]\ntoken = \"x\"\n");
        let e = resolve(&[f], Some("b")).unwrap_err();
        assert!(e.to_string().contains("known profiles: a"), "{e}");
    }

    #[test]
    fn locate_walks_upward_then_user() {
        let dir = tempfile_dir();
        let nested = dir.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.join(".cbkit.toml"), "").unwrap();
        let found = locate(None, &nested, None, None);
        assert_eq!(found, vec![dir.join(".cbkit.toml")]);
        assert_eq!(
            locate(Some(Path::new("/x.toml")), &nested, None, None),
            vec![PathBuf::from("/x.toml")]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempfile_dir() -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("cbkit-config-test-{}", crate::fixture::uuid_v4()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
