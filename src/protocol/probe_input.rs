//! What `probe` sends: the vendor's real inputs (payloads whose base64 carries `+`, `/` and `=`,
//! bodies with Chinese text and emoji), and the forged requests a careful reviewer tries.
//!
//! A receiver that signs `check_str` still URL-encoded, or decodes base64 strictly, passes every
//! input that happens to be plain letters; so the inputs are chosen to hold the characters that
//! expose those mistakes.

use serde::Serialize;

use super::{Kind, Secrets, Stamp, Vendor};
use crate::error::Result;
use crate::http::HttpRequest;

/// Non-ASCII text for event bodies: CJK, a full-width colon and emoji (4-byte UTF-8), as real
/// users type them.
pub const PROBE_TEXT: &str = "周会：发布计划 🚀✅";

/// The characters a URL-encoded base64 payload must show, so a receiver that does not
/// percent-decode it signs the wrong string.
pub const BASE64_SPECIALS: [char; 2] = ['+', '/'];

/// How many times a random seal is tried before the last one is kept.
const TRIES: usize = 4096;

/// One request `probe` sends: the plaintext the receiver should find inside it, and the request.
#[derive(Debug, Clone)]
pub struct ProbeInput {
    pub plaintext: Vec<u8>,
    pub request: HttpRequest,
}

/// What a negative check forges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Forged {
    Signature,
    ReceiverId,
    SdkAppId,
}

impl Forged {
    /// What a receiver that accepts this forgery does not check.
    pub fn what(self) -> &'static str {
        match self {
            Forged::Signature => "the signature",
            Forged::ReceiverId => "the receiver id",
            Forged::SdkAppId => "the SdkAppid",
        }
    }

    /// The step's label.
    pub fn label(self) -> &'static str {
        match self {
            Forged::Signature => "forged signature",
            Forged::ReceiverId => "another receiver id",
            Forged::SdkAppId => "another SdkAppid",
        }
    }

    /// What a receiver that accepts this forgery should change.
    pub fn fix(self) -> &'static str {
        match self {
            Forged::Signature => {
                "compute the signature from the request and refuse it (HTTP 401 or 403) when it differs from the one sent, before decoding or answering"
            }
            Forged::ReceiverId => {
                "after decrypting, compare the receiver id at the end of the message with your own (corpid, appKey or suite key) and refuse another one"
            }
            Forged::SdkAppId => {
                "compare the SdkAppid query parameter with your own SDKAppID and refuse another one"
            }
        }
    }
}

/// `secrets` naming another receiver id (DingTalk and WeCom seal it inside the ciphertext);
/// none when no receiver id is configured.
pub fn another_receiver_id(secrets: &Secrets) -> Vec<(Forged, Secrets)> {
    let Some(own) = secrets.receiver_id.as_deref() else {
        return Vec::new();
    };
    let mut other = secrets.clone();
    other.receiver_id = Some(format!("{own}forged"));
    vec![(Forged::ReceiverId, other)]
}

/// Seal `plaintext` until the signed payload's value satisfies `want` (sealing is random:
/// nonce, IV or random prefix), at most [`TRIES`] times; the last seal when none does.
pub fn reseal_until(
    v: &(impl Vendor + ?Sized),
    plaintext: &[u8],
    kind: Kind,
    secrets: &Secrets,
    stamp: &Stamp,
    want: impl Fn(&str) -> bool,
) -> Result<ProbeInput> {
    let mut last = None;
    for _ in 0..TRIES {
        let request = v.seal(plaintext, kind, secrets, stamp)?;
        let value = v
            .parse(&request)
            .ok()
            .and_then(|cb| cb.payload.map(|p| p.value));
        let done = value.as_deref().is_none_or(&want);
        let prev = last.replace(request);
        // A vendor whose seal is not random returns the same request every time.
        if done || prev.as_ref() == last.as_ref() {
            break;
        }
    }
    Ok(ProbeInput {
        plaintext: plaintext.to_vec(),
        request: last.expect("at least one try"),
    })
}

/// Whether `value` holds every character of `chars`.
pub fn holds_all(value: &str, chars: &[char]) -> bool {
    chars.iter().all(|c| value.contains(*c))
}

/// `plaintext` (JSON) with the string at `pointer` set to `text`; unchanged when it is not JSON
/// or has no string there.
pub fn with_json_text(plaintext: &[u8], pointer: &str, text: &str) -> Vec<u8> {
    let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(plaintext) else {
        return plaintext.to_vec();
    };
    match v.pointer_mut(pointer) {
        Some(slot @ serde_json::Value::String(_)) => {
            *slot = serde_json::Value::String(text.to_string());
            serde_json::to_vec(&v).unwrap_or_else(|_| plaintext.to_vec())
        }
        _ => plaintext.to_vec(),
    }
}

/// A random string of `len` characters from letters, digits, `?` and `>`: the two ASCII
/// characters whose base64 turns into `/` and `+`, so a short text can be ground until its
/// base64 holds them.
pub fn random_probe_text(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789?>";
    let bytes = crate::crypto::random_bytes::<64>();
    bytes
        .iter()
        .cycle()
        .take(len)
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text_is_set_only_where_a_string_is() {
        let p = br#"{"a":{"b":"x"},"n":1}"#;
        let out = with_json_text(p, "/a/b", PROBE_TEXT);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(r#"{{"a":{{"b":"{PROBE_TEXT}"}},"n":1}}"#)
        );
        assert_eq!(with_json_text(p, "/n", "t"), p);
        assert_eq!(with_json_text(p, "/missing", "t"), p);
        assert_eq!(with_json_text(b"<xml/>", "/a", "t"), b"<xml/>");
    }

    #[test]
    fn probe_text_grinds_to_base64_specials() {
        let found = (0..TRIES)
            .map(|_| random_probe_text(16))
            .any(|t| holds_all(&crate::crypto::b64_encode(t.as_bytes()), &BASE64_SPECIALS));
        assert!(found);
        assert_eq!(random_probe_text(100).len(), 100);
    }

    // Pins found by mutation testing (scripts/mutants.sh over probe_input.rs).

    #[test]
    fn forged_labels_and_fixes_are_distinct_and_said() {
        let all = [Forged::Signature, Forged::ReceiverId, Forged::SdkAppId];
        assert_eq!(Forged::Signature.label(), "forged signature");
        assert_eq!(Forged::ReceiverId.label(), "another receiver id");
        assert_eq!(Forged::SdkAppId.label(), "another SdkAppid");
        for f in all {
            assert!(f.fix().contains("refuse"), "{f:?}");
        }
        assert!(Forged::SdkAppId.fix().contains("SdkAppid"));
    }

    #[test]
    fn another_receiver_id_names_a_different_one() {
        let mut s = Secrets::default();
        assert!(another_receiver_id(&s).is_empty());
        s.receiver_id = Some("corp1".into());
        let forged = another_receiver_id(&s);
        assert_eq!(forged.len(), 1);
        assert_eq!(forged[0].0, Forged::ReceiverId);
        assert_ne!(forged[0].1.receiver_id.as_deref(), Some("corp1"));
    }

    #[test]
    fn reseal_until_keeps_sealing_until_the_payload_fits() {
        // A random seal (DingTalk's) whose encrypt starts with `A`: about 1 in 64 a try, so
        // one try rarely fits and the loop must go on.
        let v = crate::protocol::VendorId::named("dingtalk").vendor();
        let s = v.demo_secrets();
        let stamp = v.stamp(crate::protocol::Now { unix_ms: 1 });
        let want = |e: &str| e.starts_with('A');
        let got = reseal_until(v, b"{}", Kind::Event, &s, &stamp, want).unwrap();
        let cb = v.parse(&got.request).unwrap();
        assert!(cb.payload.unwrap().value.starts_with('A'));
    }
}
