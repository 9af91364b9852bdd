//! Why a verification failed: the vendor's algorithm as steps with their intermediate values,
//! then the known mistakes tried one by one until one reproduces the received signature.
//!
//! Each mistake is a small change to the inputs (or the algorithm) that people really make —
//! signing the URL-encoded check_str, a form decoder's `+` → space, concatenating without
//! sorting, HMAC instead of plain SHA-256, a re-serialised Feishu body — and a one-line fix.

use std::time::Duration;

use serde::Serialize;

use crate::crypto::{self, envelope::AesKey};
use crate::error::Error;
use crate::http::{pct_decode, pct_encode};
use crate::protocol::{Callback, Check, Now, Scheme, Secrets, VendorId};
use crate::secret::mask;

/// One step of the algorithm: its name, a verdict when it has one, and what it computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub name: String,
    pub ok: Option<bool>,
    pub detail: String,
}

/// A named mistake that explains the failure, and its fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mistake {
    pub id: &'static str,
    pub what: String,
    pub fix: String,
}

/// The full explanation of one verification.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub algorithm: &'static str,
    pub steps: Vec<Step>,
    pub valid: bool,
    pub mistake: Option<Mistake>,
    /// What is left when no known mistake fits (or a summary when one does).
    pub conclusion: String,
}

fn step(name: &str, ok: Option<bool>, detail: impl Into<String>) -> Step {
    Step {
        name: name.into(),
        ok,
        detail: detail.into(),
    }
}

fn short(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= n {
        s.to_string()
    } else {
        format!(
            "{}…({} chars)",
            chars[..n].iter().collect::<String>(),
            chars.len()
        )
    }
}

/// Explain the verification of `cb`. `window` is the timestamp freshness window in force
/// (`--max-skew`, else the vendor's); `show_secrets` prints the token/key instead of masking.
pub fn diagnose(
    vendor: VendorId,
    cb: &Callback,
    secrets: &Secrets,
    now: Now,
    window: Option<Duration>,
    show_secrets: bool,
) -> Diagnosis {
    let v = vendor.vendor();
    let hide = |s: &str| if show_secrets { s.to_string() } else { mask(s) };
    let mut steps = Vec::new();
    let algorithm = match v.scheme() {
        Scheme::SortedSha1 => {
            "sha1 of sort(token, timestamp, nonce, payload) concatenated, lower-case hex"
        }
        Scheme::TokenTimeSha256 => {
            "sha256(token + RequestTime), lower-case hex (plain SHA-256, not HMAC)"
        }
        Scheme::BodySha256 => "sha256(timestamp + nonce + encrypt_key + raw body), lower-case hex",
    };

    // 1. The signature, step by step.
    let received = cb.signature.clone();
    let checks = match v.verify_within(cb, secrets, now, window) {
        Ok(c) => c,
        Err(e) => {
            steps.push(step("inputs", Some(false), e.to_string()));
            return Diagnosis {
                algorithm,
                steps,
                valid: false,
                mistake: input_mistake(&e),
                conclusion: format!("cannot verify: {e}"),
            };
        }
    };
    signature_steps(v.scheme(), cb, secrets, &hide, &mut steps);
    for c in &checks {
        steps.push(check_step(c));
    }
    if !checks.iter().any(|c| c.name == "timestamp") {
        freshness_step(cb, now, &mut steps);
    }

    // 2. The body: key, decryption, layout, receiver id / token.
    let mut body_failure = None;
    if cb.payload.is_some() || !cb.body.is_empty() {
        if let Some(key) = &secrets.aes_key
            && v.scheme() == Scheme::SortedSha1
        {
            match AesKey::from_encoding_aes_key("aes-key", key.expose()) {
                Ok(_) => steps.push(step(
                    "aes key",
                    Some(true),
                    format!(
                        "{} chars → 32-byte AES-256 key, IV = key[0..16]",
                        key.expose().chars().count()
                    ),
                )),
                Err(e) => steps.push(step("aes key", Some(false), e.to_string())),
            }
        }
        match v.open(cb, secrets) {
            Ok(opened) => {
                if opened.decrypted {
                    let layout = match &opened.receiver_id {
                        Some(id) => format!(
                            "random 16 B ‖ length {} ‖ message {} B ‖ receiver id `{id}`",
                            opened.plaintext.len(),
                            opened.plaintext.len()
                        ),
                        None => format!(
                            "{} B of plaintext after PKCS#7 unpadding",
                            opened.plaintext.len()
                        ),
                    };
                    steps.push(step("decrypt", Some(true), layout));
                } else {
                    steps.push(step(
                        "decode",
                        Some(true),
                        format!("{} B of plaintext", opened.plaintext.len()),
                    ));
                }
                for c in v.check_opened(&opened, secrets) {
                    if !c.ok {
                        body_failure = Some(c.clone());
                    }
                    steps.push(check_step(&c));
                }
            }
            Err(Error::Missing { .. }) => {}
            Err(e) => {
                steps.push(step("decrypt", Some(false), e.to_string()));
                body_failure = Some(Check::fail("decrypt", "", "", e.to_string()));
            }
        }
    }

    let failed_check = checks.iter().find(|c| !c.ok).cloned();
    let valid = failed_check.is_none() && body_failure.is_none();
    if valid {
        return Diagnosis {
            algorithm,
            steps,
            valid,
            mistake: None,
            conclusion: "valid: every step checks out. If your receiver rejects this request, compare its intermediate values with the ones above.".into(),
        };
    }

    // 3. Name the mistake.
    // A wrong signature is the headline: name its cause first, then any other failed check.
    let sig_failed = checks.iter().any(|c| c.name == "signature" && !c.ok);
    let signature_mistake = if sig_failed {
        received
            .as_deref()
            .and_then(|got| find_signature_mistake(vendor, cb, secrets, got))
    } else {
        None
    };
    let other = checks
        .iter()
        .filter(|c| !c.ok && c.name != "signature")
        .chain(body_failure.iter())
        .find_map(check_mistake);
    let mistake = signature_mistake.or(if sig_failed { None } else { other });
    let conclusion = match (&mistake, sig_failed) {
        (Some(m), _) => format!("{} — fix: {}", m.what, m.fix),
        (None, true) => "no known mistake reproduces this signature: the token (or Encrypt Key) is not the one the sender used — copy it again from the vendor console for this app — or the signed bytes changed in transit (a proxy or framework re-encoding the query or body)".into(),
        (None, false) => failed_check
            .or(body_failure)
            .map(|c| c.note)
            .unwrap_or_default(),
    };
    Diagnosis {
        algorithm,
        steps,
        valid,
        mistake,
        conclusion,
    }
}

fn check_step(c: &Check) -> Step {
    let detail = if c.ok {
        if c.note.is_empty() {
            c.got.clone()
        } else {
            format!("{} ({})", c.got, c.note)
        }
    } else {
        format!(
            "{}: expected {}, got {}",
            c.note,
            c.expected,
            if c.got.is_empty() {
                "(nothing)"
            } else {
                &c.got
            }
        )
    };
    step(c.name, Some(c.ok), detail)
}

/// The intermediate values of the signature computation, secrets hidden.
fn signature_steps(
    scheme: Scheme,
    cb: &Callback,
    secrets: &Secrets,
    hide: &dyn Fn(&str) -> String,
    steps: &mut Vec<Step>,
) {
    match scheme {
        Scheme::SortedSha1 => {
            let (Some(token), Some(ts), Some(nonce), Some(p)) = (
                secrets.token.as_ref().map(|t| t.expose()),
                cb.timestamp.as_deref(),
                cb.nonce.as_deref(),
                cb.payload.as_ref(),
            ) else {
                return;
            };
            steps.push(step(
                "inputs",
                None,
                format!(
                    "token {} ({} chars) · timestamp {ts} · nonce {nonce} · {} {}",
                    hide(token),
                    token.chars().count(),
                    p.field,
                    short(&p.value, 24)
                ),
            ));
            let mut parts = [
                ("token", token),
                ("timestamp", ts),
                ("nonce", nonce),
                (p.field, p.value.as_str()),
            ];
            parts.sort_by(|a, b| a.1.cmp(b.1));
            steps.push(step(
                "sorted",
                None,
                parts
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(" < "),
            ));
            let joined: String = parts
                .iter()
                .map(|(n, v)| {
                    if *n == "token" {
                        hide(v)
                    } else {
                        v.to_string()
                    }
                })
                .collect();
            steps.push(step("concatenated", None, short(&joined, 64)));
            let digest = crypto::sorted_sha1(&[token, ts, nonce, &p.value]);
            steps.push(step("sha1", None, digest));
        }
        Scheme::TokenTimeSha256 => {
            let (Some(token), Some(rt)) = (
                secrets.token.as_ref().map(|t| t.expose()),
                cb.request_time.as_deref(),
            ) else {
                return;
            };
            steps.push(step(
                "inputs",
                None,
                format!("token {} · RequestTime {rt}", hide(token)),
            ));
            steps.push(step("concatenated", None, format!("{}{rt}", hide(token))));
            steps.push(step(
                "sha256",
                None,
                crypto::sha256_hex(&[token.as_bytes(), rt.as_bytes()]),
            ));
        }
        Scheme::BodySha256 => {
            let (Some(key), Some(ts), Some(nonce)) = (
                secrets.aes_key.as_ref().map(|t| t.expose()),
                cb.timestamp.as_deref(),
                cb.nonce.as_deref(),
            ) else {
                return;
            };
            steps.push(step(
                "inputs",
                None,
                format!(
                    "timestamp {ts} · nonce {nonce} · encrypt_key {} · body {} bytes (sha256 {})",
                    hide(key),
                    cb.body.len(),
                    &crypto::sha256_hex(&[&cb.body])[..16]
                ),
            ));
            steps.push(step(
                "concatenated",
                None,
                format!(
                    "{ts}{nonce}{}{}",
                    hide(key),
                    short(&String::from_utf8_lossy(&cb.body), 40)
                ),
            ));
            steps.push(step(
                "sha256",
                None,
                crypto::sha256_hex(&[ts.as_bytes(), nonce.as_bytes(), key.as_bytes(), &cb.body]),
            ));
        }
    }
}

/// The timestamp's age, for information when no freshness window is checked.
fn freshness_step(cb: &Callback, now: Now, steps: &mut Vec<Step>) {
    let Some(ts) = cb.request_time.as_deref().or(cb.timestamp.as_deref()) else {
        return;
    };
    let Ok(n) = ts.parse::<u64>() else {
        steps.push(step(
            "timestamp",
            Some(false),
            format!("`{ts}` is not a number"),
        ));
        return;
    };
    let ms = if n > 100_000_000_000 { n } else { n * 1000 };
    let age_s = now.unix_ms.abs_diff(ms) / 1000;
    let unit = if n > 100_000_000_000 { "ms" } else { "s" };
    if cb.request_time.is_none() {
        steps.push(step(
            "timestamp",
            None,
            format!("{ts} ({unit}), {age_s} s from now (no freshness window checked)"),
        ));
    }
}

fn input_mistake(e: &Error) -> Option<Mistake> {
    let msg = e.to_string();
    if msg.contains("without the '='") {
        return Some(Mistake {
            id: "aes_key_stray_equals",
            what: "the EncodingAESKey has a stray '=' (44 characters)".into(),
            fix: "use the 43 characters from the console; the '=' is added by the decoder".into(),
        });
    }
    if msg.contains("must be 43 characters") {
        return Some(Mistake {
            id: "aes_key_length",
            what: format!("the EncodingAESKey has the wrong length: {msg}"),
            fix: "copy the whole 43-character EncodingAESKey from the console".into(),
        });
    }
    None
}

/// A mistake named by a failed non-signature check.
fn check_mistake(c: &Check) -> Option<Mistake> {
    match c.name {
        "receiver_id" => Some(Mistake {
            id: "wrong_receiver_id",
            what: format!("wrong receiver id: the ciphertext is for `{}`, you configured `{}`", c.got, c.expected),
            fix: format!(
                "configure `{}` (DingTalk: corpId for the old API, appKey for event subscriptions, suiteKey for ISV suites; WeCom: corpid or suite_id — never the agent id)",
                c.got
            ),
        }),
        "decrypt" if c.note.contains("padding") => Some(Mistake {
            id: "aes_key_other_app",
            what: "the AES key does not decrypt this body (the padding check fails): it is another app's EncodingAESKey, or the ciphertext was altered".into(),
            fix: "copy the EncodingAESKey of the app that sends this callback".into(),
        }),
        "decrypt" => input_mistake(&Error::malformed("aes-key", c.note.clone())),
        "timestamp" => Some(Mistake {
            id: "stale_timestamp",
            what: c.note.clone(),
            fix: "check the sender's clock and the timestamp's unit, or widen --max-skew".into(),
        }),
        "request_time" => Some(Mistake {
            id: "stale_request_time",
            what: c.note.clone(),
            fix: "Tencent IM's RequestTime is Unix seconds and must be within 60 s of now: check the sender's clock and unit".into(),
        }),
        "sdk_app_id" => Some(Mistake {
            id: "wrong_sdk_app_id",
            what: format!("SdkAppid {} is not yours ({})", c.got, c.expected),
            fix: "check --sdk-app-id, or the callback URL configured in that app's console".into(),
        }),
        "token" => Some(Mistake {
            id: "wrong_verification_token",
            what: "the Verification Token in the body differs from yours".into(),
            fix: "copy the Verification Token of the app that sends this event".into(),
        }),
        _ => None,
    }
}

/// Try the known ways of computing a wrong signature; return the first that reproduces `got`.
pub fn find_signature_mistake(
    vendor: VendorId,
    cb: &Callback,
    secrets: &Secrets,
    got: &str,
) -> Option<Mistake> {
    let v = vendor.vendor();
    let expected = v.sign(cb, secrets).ok()?;
    if expected.eq_ignore_ascii_case(got) && expected != got {
        return Some(Mistake {
            id: "uppercase_hex",
            what: "the signature is upper-case hex".into(),
            fix: "the vendor sends lower-case hex: compare case-sensitively against lower-case, or lower-case your digest".into(),
        });
    }
    let matches =
        |sig: Option<String>| sig.is_some_and(|s| crypto::ct_eq(s.as_bytes(), got.as_bytes()));
    let with_payload = |value: String| -> Option<String> {
        let mut c = cb.clone();
        c.payload.as_mut()?.value = value;
        v.sign(&c, secrets).ok()
    };
    let with_ts = |ts: String| -> Option<String> {
        let mut c = cb.clone();
        if c.request_time.is_some() {
            c.request_time = Some(ts);
        } else {
            c.timestamp = Some(ts);
        }
        v.sign(&c, secrets).ok()
    };
    let mk = |id: &'static str, what: &str, fix: &str| Mistake {
        id,
        what: what.into(),
        fix: fix.into(),
    };

    // Payload transformations (the string that is signed).
    if let Some(p) = &cb.payload {
        let field = p.field;
        let value = &p.value;
        let candidates: Vec<(Mistake, String)> = vec![
            (
                mk(
                    "signed_url_encoded",
                    &format!("{field} was signed URL-encoded instead of decoded"),
                    &format!("percent-decode {field} before signing (`%2B` → `+`, `%3D` → `=`)"),
                ),
                pct_encode(value),
            ),
            (
                mk(
                    "signed_url_decoded",
                    &format!(
                        "{field} was signed decoded, but the signature covers the value as received"
                    ),
                    &format!("sign {field} exactly as received, without decoding it"),
                ),
                pct_decode(value),
            ),
            (
                mk(
                    "plus_became_space",
                    &format!("a `+` in {field} turned into a space (form decoding)"),
                    &format!(
                        "read {field} from the raw query with percent-decoding only; or turn spaces back into `+`"
                    ),
                ),
                value.replace('+', " "),
            ),
            (
                mk(
                    "space_should_be_plus",
                    &format!(
                        "{field} as received has spaces where the sender signed `+` (your framework form-decoded the query)"
                    ),
                    "read the raw query string and percent-decode it yourself (a literal `+` stays `+`)",
                ),
                value.replace(' ', "+"),
            ),
            (
                mk(
                    "padding_added",
                    &format!("`=` padding was added to {field} before signing"),
                    &format!(
                        "sign {field} byte for byte as received; decode with a padding-tolerant decoder instead"
                    ),
                ),
                pad_base64(value),
            ),
            (
                mk(
                    "padding_stripped",
                    &format!("`=` padding was stripped from {field} before signing"),
                    &format!("sign {field} byte for byte as received, padding included"),
                ),
                value.trim_end_matches('=').to_string(),
            ),
        ];
        for (m, candidate) in candidates {
            if &candidate != value && matches(with_payload(candidate)) {
                return Some(m);
            }
        }
        // The decoded (or decrypted) plaintext signed instead of the base64 string.
        if let Ok(opened) = v.open(cb, secrets)
            && let Ok(text) = opened.text()
            && matches(with_payload(text.to_string()))
        {
            return Some(mk(
                "signed_decoded_plaintext",
                &format!("the decoded JSON was signed instead of the {field} string"),
                &format!("sign the {field} string as received (base64), before decoding it"),
            ));
        }
    }

    // Timestamp unit.
    if let Some(ts) = cb.request_time.as_deref().or(cb.timestamp.as_deref())
        && let Ok(n) = ts.parse::<u64>()
    {
        let (alt, what) = if ts.len() >= 13 {
            (
                (n / 1000).to_string(),
                "the timestamp was signed in seconds, but the request carries milliseconds",
            )
        } else {
            (
                (n * 1000).to_string(),
                "the timestamp was signed in milliseconds, but the request carries seconds",
            )
        };
        if matches(with_ts(alt)) {
            return Some(mk(
                "timestamp_unit",
                what,
                "sign the timestamp exactly as it travels in the request",
            ));
        }
    }

    // Algorithm mistakes, per family.
    match v.scheme() {
        Scheme::SortedSha1 => {
            let (token, ts, nonce, p) = (
                secrets.token.as_ref()?.expose(),
                cb.timestamp.as_deref()?,
                cb.nonce.as_deref()?,
                cb.payload.as_ref()?,
            );
            let parts = [
                ("token", token),
                ("timestamp", ts),
                ("nonce", nonce),
                (p.field, p.value.as_str()),
            ];
            for order in permutations4() {
                let seq: Vec<&str> = order.iter().map(|&i| parts[i].1).collect();
                if crypto::ct_eq(crypto::sha1_concat(&seq).as_bytes(), got.as_bytes()) {
                    let names: Vec<&str> = order.iter().map(|&i| parts[i].0).collect();
                    let swapped = names.iter().position(|n| *n == "nonce")
                        < names.iter().position(|n| *n == "timestamp");
                    let what = format!(
                        "the parts were concatenated in a fixed order ({}) instead of sorted{}",
                        names.join(" + "),
                        if swapped {
                            ", with timestamp and nonce swapped"
                        } else {
                            ""
                        }
                    );
                    return Some(Mistake {
                        id: "fixed_order",
                        what,
                        fix: "sort the four strings by byte order, then concatenate and sha1"
                            .into(),
                    });
                }
            }
        }
        Scheme::TokenTimeSha256 => {
            let (token, rt) = (
                secrets.token.as_ref()?.expose(),
                cb.request_time.as_deref()?,
            );
            let hmac_hex = crypto::hex(&hmac_sha256(token.as_bytes(), rt.as_bytes()));
            let tries = [
                (
                    hmac_hex,
                    "Sign was computed with HMAC-SHA256(token, RequestTime)",
                    "use plain sha256(token + RequestTime), not HMAC",
                ),
                (
                    crypto::sha256_hex(&[rt.as_bytes(), token.as_bytes()]),
                    "Sign was computed over RequestTime + token (reversed)",
                    "concatenate token first: sha256(token + RequestTime)",
                ),
                (
                    crypto::sha256_hex(&[token.as_bytes(), &cb.body]),
                    "Sign was computed over the body instead of RequestTime",
                    "Sign covers only token + RequestTime, never the body",
                ),
                (
                    crypto::sha1_concat(&[token, rt]),
                    "Sign was computed with SHA-1",
                    "use SHA-256: sha256(token + RequestTime)",
                ),
            ];
            for (sig, what, fix) in tries {
                if crypto::ct_eq(sig.as_bytes(), got.as_bytes()) {
                    return Some(mk("im_wrong_algorithm", what, fix));
                }
            }
        }
        Scheme::BodySha256 => {
            let (key, ts, nonce) = (
                secrets.aes_key.as_ref()?.expose(),
                cb.timestamp.as_deref()?,
                cb.nonce.as_deref()?,
            );
            let sig = |a: &str, b: &str, k: &str, body: &[u8]| {
                crypto::sha256_hex(&[a.as_bytes(), b.as_bytes(), k.as_bytes(), body])
            };
            if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&cb.body) {
                let compact = serde_json::to_vec(&value).unwrap_or_default();
                let pretty = serde_json::to_vec_pretty(&value).unwrap_or_default();
                let sorted = serde_json::to_vec(&sort_keys(&value)).unwrap_or_default();
                for (body, how) in [
                    (compact, "compact"),
                    (pretty, "pretty-printed"),
                    (sorted, "with keys sorted"),
                ] {
                    if body != cb.body
                        && crypto::ct_eq(sig(ts, nonce, key, &body).as_bytes(), got.as_bytes())
                    {
                        return Some(mk(
                            "feishu_reserialised",
                            &format!("the body was re-serialised ({how}) before signing"),
                            "sign the raw body bytes exactly as received, before any JSON parsing",
                        ));
                    }
                }
            }
            if crypto::ct_eq(sig(nonce, ts, key, &cb.body).as_bytes(), got.as_bytes()) {
                return Some(mk(
                    "timestamp_nonce_swapped",
                    "timestamp and nonce were swapped",
                    "concatenate timestamp + nonce + encrypt_key + body in that order",
                ));
            }
            if let Some(token) = secrets.token.as_ref()
                && crypto::ct_eq(
                    sig(ts, nonce, token.expose(), &cb.body).as_bytes(),
                    got.as_bytes(),
                )
            {
                return Some(mk(
                    "feishu_token_for_key",
                    "the Verification Token was used instead of the Encrypt Key",
                    "X-Lark-Signature uses the Encrypt Key",
                ));
            }
            if crypto::ct_eq(sig(ts, nonce, "", &cb.body).as_bytes(), got.as_bytes()) {
                return Some(mk(
                    "feishu_no_key",
                    "the Encrypt Key was left out of the signature",
                    "concatenate timestamp + nonce + encrypt_key + body",
                ));
            }
        }
    }
    None
}

fn pad_base64(s: &str) -> String {
    let t = s.trim_end_matches('=');
    let pad = (4 - t.len() % 4) % 4;
    format!("{t}{}", "=".repeat(pad))
}

fn sort_keys(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            serde_json::Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sort_keys(&o[k])))
                    .collect(),
            )
        }
        serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    use hmac::Mac;
    let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

/// All orders of four items.
fn permutations4() -> Vec<[usize; 4]> {
    let mut out = Vec::new();
    for a in 0..4 {
        for b in 0..4 {
            for c in 0..4 {
                for d in 0..4 {
                    if a != b && a != c && a != d && b != c && b != d && c != d {
                        out.push([a, b, c, d]);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Payload;
    use crate::secret::Secret;

    fn wemeet_cb(value: &str) -> (Callback, Secrets) {
        let s = Secrets {
            token: Some(Secret::new("bVPU6F8Htxl5XkAbp3jGV2xWp")),
            ..Secrets::default()
        };
        let cb = Callback {
            timestamp: Some("1609239040864".into()),
            nonce: Some("14964161".into()),
            payload: Some(Payload {
                field: "check_str",
                value: value.into(),
            }),
            is_get: true,
            ..Callback::default()
        };
        (cb, s)
    }

    #[test]
    fn url_encoded_check_str_is_named() {
        let (mut cb, s) = wemeet_cb("YWJj+ZA==");
        let mut wrong = cb.clone();
        wrong.payload.as_mut().unwrap().value = pct_encode("YWJj+ZA==");
        cb.signature = Some(VendorId::Wemeet.vendor().sign(&wrong, &s).unwrap());
        let d = diagnose(
            VendorId::Wemeet,
            &cb,
            &s,
            Now {
                unix_ms: 1609239040864,
            },
            None,
            false,
        );
        assert!(!d.valid);
        assert_eq!(d.mistake.unwrap().id, "signed_url_encoded");
        assert!(
            !format!("{:?}", d.steps).contains("bVPU6F8Htxl5XkAbp3jGV2xWp"),
            "token leaked"
        );
    }

    #[test]
    fn fixed_order_is_named() {
        let (mut cb, s) = wemeet_cb("YWJj");
        cb.signature = Some(crypto::sha1_concat(&[
            "bVPU6F8Htxl5XkAbp3jGV2xWp",
            "1609239040864",
            "14964161",
            "YWJj",
        ]));
        let d = diagnose(VendorId::Wemeet, &cb, &s, Now { unix_ms: 0 }, None, false);
        let m = d.mistake.unwrap();
        assert_eq!(m.id, "fixed_order");
        assert!(
            m.what.contains("token + timestamp + nonce + check_str"),
            "{}",
            m.what
        );
    }

    #[test]
    fn wrong_token_leaves_no_mistake() {
        let (mut cb, s) = wemeet_cb("YWJj");
        cb.signature = Some(crypto::sorted_sha1(&[
            "other",
            "1609239040864",
            "14964161",
            "YWJj",
        ]));
        let d = diagnose(VendorId::Wemeet, &cb, &s, Now { unix_ms: 0 }, None, false);
        assert!(d.mistake.is_none());
        assert!(
            d.conclusion
                .contains("no known mistake reproduces this signature")
        );
    }
}
