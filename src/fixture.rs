//! Fixtures: real vendor event bodies with metadata, bundled in the binary or read from the
//! user's files, rendered through a small template language for values that must be fresh.
//!
//! Templates: `{{now}}` (Unix s), `{{now_ms}}`, `{{uuid}}`, `{{nonce}}`, `{{token}}`,
//! `{{receiver_id}}`, `{{sdk_app_id}}`, `{{env.NAME}}`. A JSON string that is exactly `{{now}}`
//! or `{{now_ms}}` becomes a number. `--set path=value` then overrides a field of the body.

use std::path::Path;

use serde::Deserialize;

use crate::crypto;
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::protocol::{Kind, Now, Secrets, Variant, VendorId};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
}

#[path = "fixture_select.rs"]
pub mod select;

#[path = "fixture_set.rs"]
mod set;
pub use set::{apply_set, with_set_json};

/// One fixture: a vendor event and how it is delivered.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixture {
    /// `vendor/event` for bundled fixtures, the file path for the user's.
    pub name: String,
    pub vendor: VendorId,
    pub event: String,
    /// GET for URL-verification handshakes that travel in the query (check_str, echostr).
    pub method: String,
    pub description: String,
    pub source: String,
    pub body: Body,
    /// How the vendor sends it, when it has a choice (WeChat's `mode` and `format` fields).
    pub variant: Variant,
    /// A request to send byte for byte instead of sealing the body afresh (a fixture saved
    /// from a capture with `--exact`); the body is then only what the reply is judged against.
    pub exact: Option<HttpRequest>,
}

/// A fixture's plaintext: a JSON document, or text (WeCom XML, handshake strings).
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Json(serde_json::Value),
    Text(String),
}

#[derive(Deserialize)]
struct FixtureFile {
    vendor: String,
    event: String,
    #[serde(default = "post")]
    method: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    source: String,
    body: Option<serde_json::Value>,
    body_text: Option<String>,
    mode: Option<String>,
    format: Option<String>,
    request: Option<HttpRequest>,
}

fn post() -> String {
    "POST".into()
}

impl Fixture {
    /// Parse a fixture file's text.
    pub fn parse(name: &str, text: &str) -> Result<Fixture> {
        let f: FixtureFile = serde_json::from_str(text)
            .map_err(|e| Error::malformed("fixture", format!("{name}: not a fixture file: {e}")))?;
        let vendor: VendorId = f
            .vendor
            .parse()
            .map_err(|e: String| Error::malformed("fixture", format!("{name}: {e}")))?;
        let body = match (f.body, f.body_text) {
            (Some(v), None) => Body::Json(v),
            (None, Some(t)) => Body::Text(t),
            _ => {
                return Err(Error::malformed(
                    "fixture",
                    format!("{name}: needs exactly one of \"body\" (JSON) or \"body_text\""),
                ));
            }
        };
        let variant = Variant {
            mode: f.mode,
            format: f.format,
        };
        vendor
            .vendor()
            .check_variant(&variant)
            .map_err(|e| match e {
                Error::Malformed { field, detail, .. } => {
                    Error::malformed(field, format!("{name}: {detail}"))
                }
                other => other,
            })?;
        let method = f.method.to_ascii_uppercase();
        if method != "GET" && method != "POST" {
            return Err(Error::malformed(
                "fixture",
                format!("{name}: method must be GET or POST"),
            ));
        }
        Ok(Fixture {
            name: name.to_string(),
            vendor,
            event: f.event,
            method,
            description: f.description,
            source: f.source,
            body,
            variant,
            exact: f.request,
        })
    }

    /// Handshake or event, as the vendor module classifies this fixture's plaintext.
    pub fn kind(&self, plaintext: &[u8]) -> Kind {
        self.vendor.vendor().kind(self.method == "GET", plaintext)
    }

    /// Render the plaintext: templates filled, `sets` applied (`path=value`, JSON path with
    /// `.` or `/` separators; the value is JSON when it parses, else a string).
    pub fn render(&self, vars: &Vars, sets: &[String]) -> Result<Vec<u8>> {
        match &self.body {
            Body::Json(v) => {
                let mut v = v.clone();
                fill_json(&mut v, vars)?;
                for set in sets {
                    apply_set(&mut v, set)?;
                }
                Ok(serde_json::to_vec(&v).expect("JSON value serialises"))
            }
            Body::Text(t) => {
                if !sets.is_empty() {
                    return Err(Error::malformed(
                        "set",
                        format!("{}: --set works on JSON bodies only", self.name),
                    ));
                }
                Ok(fill_text(t, vars)?.into_bytes())
            }
        }
    }
}

/// All bundled fixtures, sorted by name.
pub fn bundled() -> Vec<Fixture> {
    bundled::BUNDLED
        .iter()
        .map(|(name, text)| {
            Fixture::parse(name, text).expect("bundled fixtures are valid (tested)")
        })
        .collect()
}

/// Resolve what the user named: a bundled fixture (`wemeet/meeting.created`), a vendor (all of
/// its fixtures), `all`, a fixture file, or a directory of fixture files.
pub fn resolve(spec: &str) -> Result<Vec<Fixture>> {
    let path = Path::new(spec);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::malformed("fixture", format!("cannot read {spec}: {e}")))?;
        return Ok(vec![Fixture::parse(spec, &text)?]);
    }
    if path.is_dir() {
        let mut files: Vec<_> = walk_json(path);
        files.sort();
        if files.is_empty() {
            return Err(Error::malformed(
                "fixture",
                format!("{spec}: no .json fixture files in this directory"),
            ));
        }
        return files
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(f).map_err(|e| {
                    Error::malformed("fixture", format!("cannot read {}: {e}", f.display()))
                })?;
                Fixture::parse(&f.display().to_string(), &text)
            })
            .collect();
    }
    let all = bundled();
    if spec == "all" {
        return Ok(all);
    }
    if let Ok(v) = spec.parse::<VendorId>()
        && !spec.contains('/')
    {
        return Ok(all.into_iter().filter(|f| f.vendor == v).collect());
    }
    // Accept a vendor alias in the name (`lark/url_verification`).
    let normalised = match spec.split_once('/') {
        Some((v, e)) => match v.parse::<VendorId>() {
            Ok(v) => format!("{}/{e}", v.name()),
            Err(_) => spec.to_string(),
        },
        None => spec.to_string(),
    };
    if let Some(f) = all.iter().find(|f| f.name == normalised) {
        return Ok(vec![f.clone()]);
    }
    let close: Vec<&str> = all
        .iter()
        .map(|f| f.name.as_str())
        .filter(|n| n.contains(spec.rsplit('/').next().unwrap_or(spec)))
        .take(5)
        .collect();
    let typo = crate::suggest::closest(&normalised, all.iter().map(|f| f.name.as_str()));
    let hint = if let Some(name) = typo.filter(|_| close.is_empty()) {
        format!("did you mean `{name}`? (see `cbkit fixtures list`)")
    } else if close.is_empty() {
        "see `cbkit fixtures list`".to_string()
    } else {
        format!("did you mean {}?", close.join(", "))
    };
    Err(Error::malformed(
        "fixture",
        format!("no fixture or file named `{spec}`: {hint}"),
    ))
}

fn walk_json(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk_json(&p));
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out
}

/// Looks up a variable for `{{env.NAME}}`. The library reads no environment itself: the command
/// layer passes one that reads the process environment, tests pass a fixed one.
pub type EnvLookup = fn(&str) -> Option<String>;

/// An environment without variables, for callers whose fixtures use no `{{env.NAME}}`.
pub fn no_env(_: &str) -> Option<String> {
    None
}

/// Values the templates draw on.
#[derive(Debug, Clone)]
pub struct Vars {
    pub now: Now,
    pub secrets: Secrets,
    /// Where `{{env.NAME}}` gets its value.
    pub env: EnvLookup,
}

impl Vars {
    fn lookup(&self, name: &str) -> Result<String> {
        Ok(match name {
            "now" => self.now.secs().to_string(),
            "now_ms" => self.now.unix_ms.to_string(),
            "uuid" => uuid_v4(),
            "nonce" => crypto::random_alnum(16),
            "token" => self
                .secrets
                .token
                .as_ref()
                .map(|t| t.expose().to_string())
                .unwrap_or_default(),
            "receiver_id" => self.secrets.receiver_id.clone().unwrap_or_default(),
            "sdk_app_id" => self.secrets.sdk_app_id.clone().unwrap_or_default(),
            _ => match name.strip_prefix("env.") {
                Some(var) => (self.env)(var).ok_or_else(|| {
                    Error::missing(
                        format!("env.{var}"),
                        format!("the fixture uses {{{{env.{var}}}}}: set {var}"),
                    )
                })?,
                None => {
                    return Err(Error::malformed(
                        "template",
                        format!(
                            "unknown placeholder {{{{{name}}}}} (known: now, now_ms, uuid, nonce, token, receiver_id, sdk_app_id, env.NAME)"
                        ),
                    ));
                }
            },
        })
    }
}

/// A random RFC 4122 version-4 UUID.
pub fn uuid_v4() -> String {
    let mut b = crypto::random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = crypto::hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// Replace every `{{name}}` in `text`.
pub fn fill_text(text: &str, vars: &Vars) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| Error::malformed("template", "`{{` without a closing `}}`"))?;
        out.push_str(&vars.lookup(after[..end].trim())?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn fill_json(v: &mut serde_json::Value, vars: &Vars) -> Result<()> {
    match v {
        serde_json::Value::String(s) => {
            match s.as_str() {
                "{{now}}" => *v = vars.now.secs().into(),
                "{{now_ms}}" => *v = vars.now.unix_ms.into(),
                _ if s.contains("{{") => *s = fill_text(s, vars)?,
                _ => {}
            }
            Ok(())
        }
        serde_json::Value::Array(a) => a.iter_mut().try_for_each(|x| fill_json(x, vars)),
        serde_json::Value::Object(o) => o.values_mut().try_for_each(|x| fill_json(x, vars)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        Vars {
            now: Now {
                unix_ms: 1_700_000_000_123,
            },
            secrets: Secrets::default(),
            env: no_env,
        }
    }

    #[test]
    fn bundled_fixtures_parse_and_render() {
        let all = bundled();
        assert!(all.len() >= 24, "only {} fixtures", all.len());
        for v in VendorId::ALL {
            assert!(all.iter().any(|f| f.vendor == v), "no fixture for {v}");
        }
        for f in &all {
            assert_eq!(
                f.name.split('/').next().unwrap(),
                f.vendor.name(),
                "{}",
                f.name
            );
            f.render(&vars(), &[])
                .unwrap_or_else(|e| panic!("{}: {e}", f.name));
        }
    }

    #[test]
    fn templates_fill_numbers_and_text() {
        let f = Fixture::parse(
            "t",
            r#"{"vendor":"wemeet","event":"e","body":{"a":"{{now}}","b":"{{now_ms}}","c":"id-{{now}}","d":"{{uuid}}"}}"#,
        )
        .unwrap();
        let out: serde_json::Value =
            serde_json::from_slice(&f.render(&vars(), &[]).unwrap()).unwrap();
        assert_eq!(out["a"], 1_700_000_000u64);
        assert_eq!(out["b"], 1_700_000_000_123u64);
        assert_eq!(out["c"], "id-1700000000");
        assert_eq!(out["d"].as_str().unwrap().len(), 36);
    }

    #[test]
    fn unknown_placeholder_and_missing_env_are_errors() {
        assert!(
            fill_text("{{nope}}", &vars())
                .unwrap_err()
                .to_string()
                .contains("unknown placeholder")
        );
        assert!(
            fill_text("{{env.CBKIT_SURELY_UNSET_VAR}}", &vars())
                .unwrap_err()
                .to_string()
                .contains("set CBKIT_SURELY_UNSET_VAR")
        );
        assert!(fill_text("{{now", &vars()).is_err());
    }

    #[test]
    fn env_placeholders_read_the_given_lookup_only() {
        let vars = Vars {
            env: |name| (name == "GREETING").then(|| "hello".to_string()),
            ..vars()
        };
        assert_eq!(
            fill_text("{{env.GREETING}}, {{ env.GREETING }}", &vars).unwrap(),
            "hello, hello"
        );
        // PATH is set in every test environment, but not in the lookup given.
        assert!(fill_text("{{env.PATH}}", &vars).is_err());
    }

    #[test]
    fn resolve_names() {
        assert_eq!(resolve("wemeet/meeting.created").unwrap().len(), 1);
        assert_eq!(
            resolve("lark/url_verification").unwrap()[0].vendor,
            VendorId::named("feishu")
        );
        assert!(resolve("wemeet").unwrap().len() >= 2);
        assert!(
            resolve("wemeet/meeting.creatd")
                .unwrap_err()
                .to_string()
                .contains("fixtures list")
        );
    }

    #[test]
    fn mode_and_format_fields_are_checked_against_the_vendor() {
        let f = Fixture::parse(
            "a.json",
            r#"{"vendor":"wechat","event":"x","mode":"compat","format":"xml","body_text":"<xml/>"}"#,
        )
        .unwrap();
        assert_eq!(f.variant.mode.as_deref(), Some("compat"));
        let bad = r#"{"vendor":"wechat","event":"x","mode":"loud","body_text":"<xml/>"}"#;
        let e = Fixture::parse("b.json", bad).unwrap_err();
        assert_eq!(e.field(), "mode");
        assert!(e.to_string().contains("b.json"), "{e}");
        let other = r#"{"vendor":"wecom","event":"x","format":"json","body_text":"<xml/>"}"#;
        assert_eq!(
            Fixture::parse("c.json", other).unwrap_err().field(),
            "format"
        );
    }
}
