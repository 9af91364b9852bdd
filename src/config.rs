//! Config profiles: `[profile.NAME]` sections in TOML holding a vendor, its secrets and a URL,
//! so secrets stay out of shell history and the process list.
//!
//! Files, highest priority first: `--config FILE` / `CBKIT_CONFIG` (only that file), else a
//! project-local `.cbkit.toml` found from the current directory upward, then the user's
//! `$XDG_CONFIG_HOME/cbkit/config.toml` (`~/.config/cbkit/config.toml`). The profile is
//! `--profile NAME` / `CBKIT_PROFILE`, else the file's `default_profile`, else one named
//! `default`. Precedence of a value: flag > environment > profile > built-in default.
//!
//! A profile may also hold one table per vendor (`[profile.dev.wemeet]`, `[profile.dev.dingtalk]`)
//! with that vendor's secrets. For a vendor, its table's value wins over the profile's flat one;
//! the flat values apply to every vendor the profile serves (all of them, or only its `vendor`).
//! Flags and environment variables still win over both, for the vendor a command is about.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// One profile's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub vendor: Option<String>,
    pub token: Option<String>,
    pub aes_key: Option<String>,
    pub receiver_id: Option<String>,
    pub sdk_app_id: Option<String>,
    pub url: Option<String>,
    /// `[profile.NAME.VENDOR]` tables, by the vendor's canonical name.
    pub vendors: BTreeMap<String, VendorTable>,
}

/// One vendor's secrets inside a profile (`[profile.NAME.VENDOR]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorTable {
    pub token: Option<String>,
    pub aes_key: Option<String>,
    pub receiver_id: Option<String>,
    pub sdk_app_id: Option<String>,
}

/// The secret keys a vendor table holds, as the file spells them.
pub const SECRET_KEYS: [&str; 4] = ["token", "aes_key", "receiver_id", "sdk_app_id"];

impl VendorTable {
    /// The value of secret `key` (one of [`SECRET_KEYS`]).
    pub fn get(&self, key: &str) -> Option<&String> {
        match key {
            "token" => self.token.as_ref(),
            "aes_key" => self.aes_key.as_ref(),
            "receiver_id" => self.receiver_id.as_ref(),
            "sdk_app_id" => self.sdk_app_id.as_ref(),
            _ => None,
        }
        .filter(|v| !v.is_empty())
    }

    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        match key {
            "token" => Some(&mut self.token),
            "aes_key" => Some(&mut self.aes_key),
            "receiver_id" => Some(&mut self.receiver_id),
            "sdk_app_id" => Some(&mut self.sdk_app_id),
            _ => None,
        }
    }
}

impl Profile {
    /// The flat value of `key` (`vendor`, a secret, or `url`).
    pub fn get(&self, key: &str) -> Option<&String> {
        match key {
            "vendor" => self.vendor.as_ref(),
            "url" => self.url.as_ref(),
            "token" => self.token.as_ref(),
            "aes_key" => self.aes_key.as_ref(),
            "receiver_id" => self.receiver_id.as_ref(),
            "sdk_app_id" => self.sdk_app_id.as_ref(),
            _ => None,
        }
    }
}

/// The flat keys of a profile, as the file spells them.
const PROFILE_KEYS: [&str; 6] = [
    "vendor",
    "token",
    "aes_key",
    "receiver_id",
    "sdk_app_id",
    "url",
];

/// A key of a profile table: a flat setting, or a vendor's name as spelled.
enum ProfileKey {
    Flat(&'static str),
    Vendor(crate::protocol::VendorId, String),
}

// The key is judged while it is read, so an unknown one's error points at its own line.
impl<'de> Deserialize<'de> for ProfileKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let key = String::deserialize(d)?;
        if let Some(flat) = PROFILE_KEYS.iter().find(|k| **k == key) {
            return Ok(ProfileKey::Flat(flat));
        }
        match crate::protocol::VendorId::lookup(&key) {
            Some(v) => Ok(ProfileKey::Vendor(v, key)),
            None => Err(D::Error::custom(format!(
                "unknown field `{key}`, expected one of {}, or a vendor's table ({})",
                PROFILE_KEYS.map(|k| format!("`{k}`")).join(", "),
                crate::protocol::VendorId::ALL.map(|v| v.name()).join(", ")
            ))),
        }
    }
}

// By hand rather than derived: a key is either one of the flat settings or a vendor's name
// (any alias, from the id table) holding that vendor's table, and anything else is refused
// with the key named, as `deny_unknown_fields` would.
impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Profile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a [profile.NAME] table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Profile, A::Error> {
                use serde::de::Error as _;
                let mut p = Profile::default();
                while let Some(key) = map.next_key::<ProfileKey>()? {
                    match key {
                        ProfileKey::Flat(name) => {
                            let slot = match name {
                                "vendor" => &mut p.vendor,
                                "token" => &mut p.token,
                                "aes_key" => &mut p.aes_key,
                                "receiver_id" => &mut p.receiver_id,
                                "sdk_app_id" => &mut p.sdk_app_id,
                                _ => &mut p.url,
                            };
                            if slot.is_some() {
                                return Err(A::Error::duplicate_field(name));
                            }
                            *slot = Some(map.next_value()?);
                        }
                        ProfileKey::Vendor(vendor, spelled) => {
                            let table: VendorTable = map.next_value()?;
                            if p.vendors.insert(vendor.name().to_string(), table).is_some() {
                                return Err(A::Error::custom(format!(
                                    "two tables for {} (`{spelled}` names it too)",
                                    vendor.name()
                                )));
                            }
                        }
                    }
                }
                Ok(p)
            }
        }
        d.deserialize_map(Visit)
    }
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
    /// vendor name → secret key → file its table's value came from
    pub vendor_sources: BTreeMap<String, BTreeMap<&'static str, PathBuf>>,
    pub files: Vec<PathBuf>,
}

/// A profile value for one vendor and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced {
    pub value: String,
    /// `profile dev.wemeet (FILE)` for a vendor table's value, `profile dev (FILE)` for a flat one.
    pub source: String,
}

impl Resolved {
    /// Whether the profile's flat values apply to `vendor`: a profile that names a vendor
    /// serves only that one.
    pub fn flat_applies_to(&self, vendor: crate::protocol::VendorId) -> bool {
        match self.profile.vendor.as_deref() {
            None => true,
            Some(v) => v.parse::<crate::protocol::VendorId>().ok() == Some(vendor),
        }
    }

    /// Secret `key` (one of [`SECRET_KEYS`]) for `vendor`: its table's value, else the flat
    /// one when the profile serves that vendor.
    pub fn secret_for(&self, vendor: crate::protocol::VendorId, key: &str) -> Option<Sourced> {
        let name = self.name.as_deref().unwrap_or_default();
        if let Some(value) = self
            .profile
            .vendors
            .get(vendor.name())
            .and_then(|t| t.get(key))
        {
            let file = self
                .vendor_sources
                .get(vendor.name())
                .and_then(|s| s.get(key));
            return Some(Sourced {
                value: value.clone(),
                source: label(&format!("{name}.{}", vendor.name()), file),
            });
        }
        if !self.flat_applies_to(vendor) {
            return None;
        }
        self.flat(key)
    }

    /// The flat value of `key` and where it came from.
    pub fn flat(&self, key: &str) -> Option<Sourced> {
        let value = self.profile.get(key).filter(|v| !v.is_empty())?;
        Some(Sourced {
            value: value.clone(),
            source: label(
                self.name.as_deref().unwrap_or_default(),
                self.sources.get(key),
            ),
        })
    }
}

/// `profile NAME (FILE)`.
fn label(name: &str, file: Option<&PathBuf>) -> String {
    let file = file.map(|f| f.display().to_string()).unwrap_or_default();
    format!("profile {name} ({file})")
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
        for (vendor, table) in &p.vendors {
            let merged = out.profile.vendors.entry(vendor.clone()).or_default();
            let sources = out.vendor_sources.entry(vendor.clone()).or_default();
            for key in SECRET_KEYS {
                if let (Some(slot), Some(v)) = (merged.slot(key), table.get(key))
                    && slot.is_none()
                {
                    *slot = Some(v.clone());
                    sources.insert(key, f.path.clone());
                }
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

    const TWO_VENDORS: &str = "[profile.dev]\ntoken = \"flat\"\nurl = \"http://x\"\n\
        [profile.dev.wemeet]\ntoken = \"wm\"\n\
        [profile.dev.ding]\ntoken = \"dt\"\naes_key = \"k\"\nreceiver_id = \"r\"\n";

    #[test]
    fn vendor_tables_win_over_flat_values_for_their_vendor() {
        let r = resolve(&[file("c.toml", TWO_VENDORS)], Some("dev")).unwrap();
        let v = |n: &str| crate::protocol::VendorId::named(n);
        let get = |vendor: &str, key: &str| r.secret_for(v(vendor), key).map(|s| s.value);
        assert_eq!(get("wemeet", "token").as_deref(), Some("wm"));
        assert_eq!(
            get("dingtalk", "token").as_deref(),
            Some("dt"),
            "alias `ding`"
        );
        assert_eq!(get("dingtalk", "aes_key").as_deref(), Some("k"));
        assert_eq!(get("wecom", "token").as_deref(), Some("flat"));
        assert_eq!(get("wemeet", "aes_key"), None);
        assert_eq!(
            r.secret_for(v("wemeet"), "token").unwrap().source,
            "profile dev.wemeet (c.toml)"
        );
        assert_eq!(
            r.secret_for(v("wecom"), "token").unwrap().source,
            "profile dev (c.toml)"
        );
        // A profile that names a vendor serves only it with its flat values; tables still apply.
        let only = file(
            "c.toml",
            "[profile.d]\nvendor = \"dingtalk\"\ntoken = \"flat\"\n[profile.d.wemeet]\ntoken = \"wm\"\n",
        );
        let r = resolve(&[only], Some("d")).unwrap();
        assert_eq!(r.secret_for(v("wecom"), "token"), None);
        assert_eq!(r.secret_for(v("wemeet"), "token").unwrap().value, "wm");
        assert_eq!(r.secret_for(v("dingtalk"), "token").unwrap().value, "flat");
    }

    #[test]
    fn vendor_tables_merge_across_files_key_by_key() {
        let local = file("local", "[profile.dev.feishu]\ntoken = \"t-local\"\n");
        let user = file(
            "user",
            "[profile.dev.lark]\ntoken = \"t-user\"\naes_key = \"k-user\"\n",
        );
        let r = resolve(&[local, user], Some("dev")).unwrap();
        let feishu = crate::protocol::VendorId::named("feishu");
        let token = r.secret_for(feishu, "token").unwrap();
        assert_eq!(
            (token.value.as_str(), token.source.as_str()),
            ("t-local", "profile dev.feishu (local)")
        );
        let key = r.secret_for(feishu, "aes_key").unwrap();
        assert_eq!(
            (key.value.as_str(), key.source.as_str()),
            ("k-user", "profile dev.feishu (user)")
        );
    }

    #[test]
    fn bad_vendor_tables_are_named() {
        let err = |text: &str| parse(Path::new("c.toml"), text).unwrap_err().to_string();
        let e = err("[profile.x]\ntoken = \"a\"\n[profile.x.slack]\ntoken = \"b\"\n");
        assert!(
            e.contains("unknown field `slack`") && e.contains("wemeet"),
            "{e}"
        );
        let e = err("[profile.x.wemeet]\ntokn = \"b\"\n");
        assert!(e.contains("tokn") && e.contains("line 2"), "{e}");
        let e = err("[profile.x.wemeet]\nurl = \"http://x\"\n");
        assert!(e.contains("unknown field `url`"), "{e}");
        let e = err("[profile.x.feishu]\ntoken = \"a\"\n[profile.x.lark]\ntoken = \"b\"\n");
        assert!(e.contains("two tables for feishu"), "{e}");
        let e = err("[profile.x]\ntoken = 1\n");
        assert!(e.contains("line 2"), "{e}");
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
