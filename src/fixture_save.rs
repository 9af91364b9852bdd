//! A captured request as a fixture file: how a project builds its own regression fixtures from
//! real traffic. Pure: it returns the file's text and suggested path; the caller writes it.
//!
//! The body is decrypted with the receiver's secrets and stored as plaintext, so `replay` seals
//! it afresh (new timestamp, nonce, signature and AES prefix) with whatever secrets it is given.
//! The configured token and ids become templates (`{{token}}`, `{{receiver_id}}`,
//! `{{sdk_app_id}}`) wherever the plaintext quotes them, so the file holds no secret and still
//! replays correctly (Feishu's plaintext carries the Verification Token); the AES key, which no
//! template names, is masked. With `exact`, the captured request itself is kept too and replayed
//! byte for byte.

use serde_json::{Map, Value};

use crate::capture::Capture;
use crate::error::{Error, Result};
use crate::fixture::{Body, Fixture, Vars};
use crate::protocol::{Kind, Now, Role, Secrets, VendorId, inspect};

/// A fixture made from a capture.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedFixture {
    /// Where it belongs under a fixtures directory: `<vendor>/<event>.json`.
    pub suggested_path: String,
    /// The fixture file's text (pretty JSON, final newline).
    pub text: String,
    pub vendor: VendorId,
    pub event: String,
    /// Whether the captured signature verified with the secrets given (None: not checked, for
    /// want of a token or a signature).
    pub verified: Option<bool>,
}

/// The event name used when the plaintext names none.
const HANDSHAKE_EVENT: &str = "url-verification";
const UNNAMED_EVENT: &str = "event";

/// Turn one captured request into a fixture file. `secrets` open the body (the same ones
/// `decode` takes); `exact` also keeps the captured request to be replayed as it was.
pub fn fixture_from_capture(
    record: &Capture,
    secrets: &Secrets,
    exact: bool,
) -> Result<SavedFixture> {
    let vendor_id = capture_vendor(record)?;
    let vendor = vendor_id.vendor();
    let method = record.request.method.to_ascii_uppercase();
    if method != "GET" && method != "POST" {
        return Err(Error::malformed(
            "capture",
            format!("a {method} request cannot be a fixture (GET or POST only)"),
        ));
    }
    let cb = vendor.parse(&record.request)?;
    // No freshness window: a capture is old by nature.
    let inspection = inspect(
        vendor,
        &cb,
        secrets,
        Now { unix_ms: 0 },
        None,
        Role::Checker,
    );
    let opened = inspection.opened.clone()?;
    let plaintext = opened.text()?;
    let verified = inspection
        .unverified
        .is_none()
        .then(|| inspection.request.iter().all(|c| c.ok));
    let kind = vendor.kind(method == "GET", plaintext.as_bytes());
    let event = vendor
        .event_type(plaintext.as_bytes())
        .unwrap_or_else(|| match kind {
            Kind::Handshake => HANDSHAKE_EVENT.to_string(),
            Kind::Event => UNNAMED_EVENT.to_string(),
        });
    let body = templated_body(plaintext, secrets);
    check_round_trip(vendor_id, &event, &method, &body, plaintext, secrets)?;

    let mut doc = Map::new();
    doc.insert("vendor".into(), vendor_id.name().into());
    doc.insert("event".into(), event.clone().into());
    doc.insert("method".into(), method.into());
    let how = if exact {
        "replayed byte for byte as captured"
    } else {
        "replayed freshly signed"
    };
    doc.insert(
        "description".into(),
        format!("Captured by cbkit listen at {}; {how}.", record.received_at).into(),
    );
    doc.insert("source".into(), "cbkit fixtures save --from-capture".into());
    match body {
        Body::Json(v) => doc.insert("body".into(), v),
        Body::Text(t) => doc.insert("body_text".into(), t.into()),
    };
    if exact {
        let request = serde_json::to_value(&record.request)
            .map_err(|e| Error::malformed("capture", e.to_string()))?;
        doc.insert("request".into(), request);
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(doc))
        .map_err(|e| Error::malformed("fixture", e.to_string()))?;
    text.push('\n');
    Ok(SavedFixture {
        suggested_path: format!("{}/{}.json", vendor_id.name(), file_stem(&event)),
        text,
        vendor: vendor_id,
        event,
        verified,
    })
}

/// The path a `--name dir/event` stands for under a fixtures directory (`.json` added).
pub fn path_for_name(name: &str) -> Result<String> {
    let name = name.trim().trim_start_matches("./");
    if name.is_empty() || name.ends_with('/') {
        return Err(Error::malformed(
            "name",
            format!("`{name}` names no file (e.g. dingtalk/user_add_org)"),
        ));
    }
    Ok(if name.ends_with(".json") {
        name.to_string()
    } else {
        format!("{name}.json")
    })
}

/// The vendor a capture is for: the one the listener took it for, else the request's shape.
pub fn capture_vendor(record: &Capture) -> Result<VendorId> {
    record
        .vendor
        .as_deref()
        .and_then(|v| v.parse().ok())
        .or_else(|| VendorId::recognise(&record.request))
        .ok_or_else(|| {
            Error::malformed("capture", "the capture does not say which vendor it is for")
        })
}

/// An event name as a file name: anything but letters, digits, `.`, `-` and `_` becomes `_`.
fn file_stem(event: &str) -> String {
    let stem: String = event
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    match stem.trim_matches('.') {
        "" => UNNAMED_EVENT.to_string(),
        s => s.to_string(),
    }
}

/// The plaintext as a fixture body: a JSON object or array stays JSON (editable, `--set`
/// works on it), anything else is text. Configured values become templates, the key is masked.
fn templated_body(plaintext: &str, secrets: &Secrets) -> Body {
    let subs = substitutions(secrets);
    match serde_json::from_str::<Value>(plaintext) {
        Ok(mut v @ (Value::Object(_) | Value::Array(_))) => {
            template_json(&mut v, &subs, secrets);
            Body::Json(v)
        }
        _ => Body::Text(template_text(plaintext, &subs, secrets)),
    }
}

/// (value, placeholder) for each configured value a fixture template can name.
fn substitutions(secrets: &Secrets) -> Vec<(&str, &'static str)> {
    let mut subs = Vec::new();
    if let Some(t) = &secrets.token {
        subs.push((t.expose(), "{{token}}"));
    }
    if let Some(id) = &secrets.receiver_id {
        subs.push((id.as_str(), "{{receiver_id}}"));
    }
    if let Some(id) = &secrets.sdk_app_id {
        subs.push((id.as_str(), "{{sdk_app_id}}"));
    }
    subs.retain(|(v, _)| !v.is_empty());
    subs
}

/// Values under this length are replaced only where they are the whole string: inside longer
/// text they would match ordinary words.
const MIN_INNER: usize = 4;

fn template_text(text: &str, subs: &[(&str, &'static str)], secrets: &Secrets) -> String {
    if let Some((_, placeholder)) = subs.iter().find(|(v, _)| *v == text) {
        return placeholder.to_string();
    }
    let mut out = text.to_string();
    for (value, placeholder) in subs {
        if value.len() >= MIN_INNER {
            out = out.replace(value, placeholder);
        }
    }
    secrets.redact(&out)
}

fn template_json(v: &mut Value, subs: &[(&str, &'static str)], secrets: &Secrets) {
    match v {
        Value::String(s) => *s = template_text(s, subs, secrets),
        Value::Array(a) => a.iter_mut().for_each(|x| template_json(x, subs, secrets)),
        Value::Object(o) => o.values_mut().for_each(|x| template_json(x, subs, secrets)),
        _ => {}
    }
}

/// Render the fixture back with the same secrets: it must give the captured plaintext again
/// (JSON compared as values), or replay would send something else (a literal `{{` in the
/// plaintext, say, which the template language would read as a placeholder).
fn check_round_trip(
    vendor: VendorId,
    event: &str,
    method: &str,
    body: &Body,
    plaintext: &str,
    secrets: &Secrets,
) -> Result<()> {
    let fixture = Fixture {
        name: "capture".into(),
        vendor,
        event: event.into(),
        method: method.into(),
        description: String::new(),
        source: String::new(),
        body: body.clone(),
        variant: Default::default(),
        exact: None,
    };
    let vars = Vars {
        now: Now { unix_ms: 0 },
        secrets: secrets.clone(),
        env: crate::fixture::no_env,
    };
    // Templates give the token and ids back; the key stays masked.
    let key_only = Secrets {
        aes_key: secrets.aes_key.clone(),
        ..Secrets::default()
    };
    let masked = key_only.redact(plaintext);
    let same = match fixture.render(&vars, &[]) {
        Ok(rendered) => match body {
            Body::Json(_) => {
                let parse = |b: &[u8]| serde_json::from_slice::<Value>(b).ok();
                parse(&rendered).is_some() && parse(&rendered) == parse(masked.as_bytes())
            }
            Body::Text(_) => rendered == masked.as_bytes(),
        },
        Err(_) => false,
    };
    if same {
        Ok(())
    } else {
        Err(Error::malformed(
            "capture",
            "the plaintext does not survive as a fixture body (it contains `{{`, which fixtures read as a placeholder): replay the capture itself with `cbkit replay --from-capture`",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpRequest;
    use crate::protocol::Vendor;
    use crate::secret::Secret;

    fn dingtalk() -> (&'static dyn Vendor, Secrets) {
        let v = VendorId::named("dingtalk").vendor();
        (v, v.demo_secrets())
    }

    fn capture_of(vendor: VendorId, request: HttpRequest) -> Capture {
        Capture {
            received_at: "2026-11-30T00:00:00.000Z".into(),
            vendor: Some(vendor.name().into()),
            request,
            verdict: Map::new(),
            errors: Vec::new(),
            event_type: None,
            plaintext: None,
            status: Some(200),
            forward: None,
        }
    }

    fn sealed(v: &dyn Vendor, secrets: &Secrets, plain: &str, kind: Kind) -> HttpRequest {
        v.seal(
            plain.as_bytes(),
            kind,
            secrets,
            &v.stamp(Now { unix_ms: 1_000 }),
        )
        .unwrap()
    }

    #[test]
    fn an_encrypted_event_becomes_its_plaintext_with_the_ids_templated() {
        let (v, s) = dingtalk();
        let plain =
            r#"{"EventType":"user_add_org","CorpId":"ding6ccabc44d2c8d38b","userId":["1"]}"#;
        let cap = capture_of(v.id(), sealed(v, &s, plain, Kind::Event));
        let saved = fixture_from_capture(&cap, &s, false).unwrap();
        assert_eq!(saved.suggested_path, "dingtalk/user_add_org.json");
        assert_eq!(saved.verified, Some(true));
        let f = Fixture::parse("x", &saved.text).unwrap();
        assert_eq!(f.event, "user_add_org");
        assert_eq!(f.method, "POST");
        assert!(f.exact.is_none());
        let Body::Json(body) = &f.body else {
            panic!("a JSON body")
        };
        assert_eq!(body["CorpId"], "{{receiver_id}}");
        assert!(!saved.text.contains("request"));
        assert!(saved.text.ends_with("}\n"));
    }

    #[test]
    fn a_quoted_token_becomes_a_template_and_the_key_is_masked() {
        let v = VendorId::named("feishu").vendor();
        let s = Secrets {
            token: Some(Secret::new("verification-token-1")),
            aes_key: None,
            ..Secrets::default()
        };
        let plain =
            r#"{"type":"url_verification","token":"verification-token-1","challenge":"c1"}"#;
        let cap = capture_of(v.id(), sealed(v, &s, plain, Kind::Handshake));
        let saved = fixture_from_capture(&cap, &s, false).unwrap();
        assert!(
            !saved.text.contains("verification-token-1"),
            "{}",
            saved.text
        );
        assert!(saved.text.contains("{{token}}"));
        // A key quoted in a plaintext has no template: masked.
        let k = Secrets {
            aes_key: Some(Secret::new("the-key-itself")),
            ..Secrets::default()
        };
        assert_eq!(
            template_text("key the-key-itself", &substitutions(&k), &k),
            "key (redacted)"
        );
    }

    #[test]
    fn exact_keeps_the_captured_request() {
        let (v, s) = dingtalk();
        let req = sealed(v, &s, r#"{"EventType":"check_url"}"#, Kind::Event);
        let cap = capture_of(v.id(), req.clone());
        let saved = fixture_from_capture(&cap, &s, true).unwrap();
        let f = Fixture::parse("x", &saved.text).unwrap();
        assert_eq!(f.exact, Some(req));
        assert_eq!(saved.suggested_path, "dingtalk/check_url.json");
    }

    #[test]
    fn a_handshake_without_an_event_type_and_a_wrong_key() {
        let v = VendorId::named("wemeet").vendor();
        let s = Secrets::new("tok", None);
        let cap = capture_of(v.id(), sealed(v, &s, "abc123", Kind::Handshake));
        let saved = fixture_from_capture(&cap, &s, false).unwrap();
        assert_eq!(saved.suggested_path, "wemeet/url-verification.json");
        assert!(
            saved.text.contains("\"body_text\": \"abc123\""),
            "{}",
            saved.text
        );
        assert!(saved.text.contains("\"method\": \"GET\""));

        let (d, ds) = dingtalk();
        let cap = capture_of(d.id(), sealed(d, &ds, "{}", Kind::Event));
        let wrong = Secrets {
            aes_key: Some(Secret::new("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")),
            ..ds.clone()
        };
        assert!(fixture_from_capture(&cap, &wrong, false).is_err());
        let no_key = Secrets {
            aes_key: None,
            ..ds
        };
        let e = fixture_from_capture(&cap, &no_key, false).unwrap_err();
        assert!(e.is_missing(), "{e}");
    }

    #[test]
    fn a_plaintext_with_braces_needs_exact() {
        let (v, s) = dingtalk();
        let plain = r#"{"EventType":"x","text":"{{not a template}}"}"#;
        let cap = capture_of(v.id(), sealed(v, &s, plain, Kind::Event));
        let e = fixture_from_capture(&cap, &s, false).unwrap_err();
        assert!(e.to_string().contains("--from-capture"), "{e}");
        // An exact fixture's body is rendered too (replay judges the answer against it).
        assert!(fixture_from_capture(&cap, &s, true).is_err());
    }

    #[test]
    fn names_and_stems() {
        assert_eq!(path_for_name("team/joined").unwrap(), "team/joined.json");
        assert_eq!(path_for_name("a.json").unwrap(), "a.json");
        assert!(path_for_name("dir/").is_err());
        assert_eq!(
            file_stem("Group.Callback After/x"),
            "Group.Callback_After_x"
        );
        assert_eq!(file_stem(".."), "event");
    }
}
