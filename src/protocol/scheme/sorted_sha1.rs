//! `sha1(sort(token, timestamp, nonce, payload))`: Tencent Meeting, DingTalk and WeCom. The four
//! strings are sorted by byte order and concatenated without a separator; the payload is the
//! base64 string as received (check_str, data, encrypt, echostr). These vendors' bodies are
//! AES-encrypted with a 43-character EncodingAESKey.

use super::{
    Mistake, MistakeId, Scheme, SchemeFacts, Step, empty_token, len, reproduces, secret_and_stamp,
    secret_len, short, sorted_steps,
};
use crate::crypto::{self, envelope::AesKey};
use crate::protocol::{Callback, Payload, Secrets};

pub struct SortedSha1;

static FACTS: SchemeFacts = SchemeFacts {
    algorithm: "sha1 of sort(token, timestamp, nonce, payload) concatenated, lower-case hex",
    digest: "sha1",
};

/// The signature: lower-case hex SHA-1 of the four parts sorted and concatenated.
pub fn sign(token: &str, timestamp: &str, nonce: &str, payload: &str) -> String {
    crypto::sorted_sha1(&[token, timestamp, nonce, payload])
}

/// The four signed parts: token, timestamp, nonce and payload; None when one is missing.
fn signed_inputs<'a>(
    cb: &'a Callback,
    secrets: &'a Secrets,
) -> Option<(&'a str, &'a str, &'a str, &'a Payload)> {
    let (token, ts, nonce) = secret_and_stamp(&secrets.token, cb)?;
    Some((token, ts, nonce, cb.payload.as_ref()?))
}

impl Scheme for SortedSha1 {
    fn facts(&self) -> &'static SchemeFacts {
        &FACTS
    }

    fn signed_len(&self, cb: &Callback, secrets: &Secrets) -> usize {
        secret_len(&secrets.token)
            + len(cb.timestamp.as_deref())
            + len(cb.nonce.as_deref())
            + cb.payload.as_ref().map_or(0, |p| p.value.len())
    }

    fn steps(&self, cb: &Callback, secrets: &Secrets, hide: &dyn Fn(&str) -> String) -> Vec<Step> {
        let Some((token, ts, nonce, p)) = signed_inputs(cb, secrets) else {
            return Vec::new();
        };
        let mut parts = [
            ("token", token),
            ("timestamp", ts),
            ("nonce", nonce),
            (p.field, p.value.as_str()),
        ];
        let [sorted, concatenated] = sorted_steps(&mut parts, hide);
        vec![
            Step::info(
                "inputs",
                format!(
                    "token {} ({} chars) · timestamp {ts} · nonce {nonce} · {} {}",
                    hide(token),
                    token.chars().count(),
                    p.field,
                    short(&p.value, 24)
                ),
            ),
            sorted,
            concatenated,
            Step::info("sha1", sign(token, ts, nonce, &p.value)),
        ]
    }

    fn key_step(&self, secrets: &Secrets) -> Option<Step> {
        let key = secrets.aes_key.as_ref()?;
        Some(
            match AesKey::from_encoding_aes_key("aes-key", key.expose()) {
                Ok(_) => Step::new(
                    "aes key",
                    Some(true),
                    format!(
                        "{} chars → 32-byte AES-256 key, IV = key[0..16]",
                        key.expose().chars().count()
                    ),
                ),
                Err(e) => Step::new("aes key", Some(false), e.to_string()),
            },
        )
    }

    /// The wrong secret signed with, or the four parts concatenated in a fixed order instead
    /// of sorted.
    fn near_miss(&self, cb: &Callback, secrets: &Secrets, got: &str) -> Option<Mistake> {
        let (token, ts, nonce, p) = signed_inputs(cb, secrets)?;
        if let Some(m) = wrong_secret(secrets, ts, nonce, &p.value, got) {
            return Some(m);
        }
        let parts = [
            ("token", token),
            ("timestamp", ts),
            ("nonce", nonce),
            (p.field, p.value.as_str()),
        ];
        let order = permutations4().into_iter().find(|order| {
            let seq: Vec<&str> = order.iter().map(|&i| parts[i].1).collect();
            reproduces(&crypto::sha1_concat(&seq), got)
        })?;
        let names: Vec<&str> = order.iter().map(|&i| parts[i].0).collect();
        let swapped =
            names.iter().position(|n| *n == "nonce") < names.iter().position(|n| *n == "timestamp");
        let what = format!(
            "the parts were concatenated in a fixed order ({}) instead of sorted{}",
            names.join(" + "),
            if swapped {
                ", with timestamp and nonce swapped"
            } else {
                ""
            }
        );
        Some(Mistake::new(
            MistakeId::FixedOrder,
            what,
            "sort the four strings by byte order, then concatenate and sha1",
        ))
    }
}

/// Signed with an empty token, or with the EncodingAESKey where the token belongs (both are
/// configuration values that sit side by side in the vendor console and in `.env` files).
fn wrong_secret(
    secrets: &Secrets,
    ts: &str,
    nonce: &str,
    payload: &str,
    got: &str,
) -> Option<Mistake> {
    if reproduces(&sign("", ts, nonce, payload), got) {
        return Some(empty_token());
    }
    let key = secrets.aes_key.as_ref()?.expose();
    reproduces(&sign(key, ts, nonce, payload), got).then(|| {
        Mistake::new(
            MistakeId::AesKeyForToken,
            "the signature was computed with the EncodingAESKey instead of the token",
            "sign with the Token (the shorter value beside the EncodingAESKey in the console); the EncodingAESKey only decrypts",
        )
    })
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

    #[test]
    fn every_order_of_four_once() {
        let all = permutations4();
        assert_eq!(all.len(), 24);
        let unique: std::collections::HashSet<_> = all.iter().collect();
        assert_eq!(unique.len(), 24);
    }

    #[test]
    fn signs_the_sorted_parts() {
        assert_eq!(
            sign("c", "a", "b", ""),
            crypto::sha1_concat(&["a", "b", "c"])
        );
    }

    // Pins found by mutation testing (scripts/mutants.sh).

    use crate::protocol::Payload;
    use crate::secret::Secret;

    fn inputs() -> (Callback, Secrets) {
        let cb = Callback {
            timestamp: Some("1609239040".into()),
            nonce: Some("nonce".into()),
            payload: Some(Payload {
                field: "encrypt",
                value: "payload".into(),
            }),
            ..Callback::default()
        };
        let secrets = Secrets::new("tok", Some("Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7"));
        (cb, secrets)
    }

    #[test]
    fn names_and_sizes() {
        let (cb, s) = inputs();
        assert!(SortedSha1.algorithm().starts_with("sha1 of sort("));
        assert_eq!(SortedSha1.digest(), "sha1");
        assert_eq!(SortedSha1.signed_len(&cb, &s), 3 + 10 + 5 + 7);
    }

    #[test]
    fn steps_show_the_sorted_concatenation_with_only_the_token_hidden() {
        let (cb, s) = inputs();
        let steps = SortedSha1.steps(&cb, &s, &|_| "***".to_string());
        let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["inputs", "sorted", "concatenated", "sha1"]);
        assert_eq!(steps[1].detail, "timestamp < nonce < encrypt < token");
        assert_eq!(steps[2].detail, "1609239040noncepayload***");
        assert_eq!(
            steps[3].detail,
            sign("tok", "1609239040", "nonce", "payload")
        );
    }

    #[test]
    fn the_key_step_says_whether_the_key_is_usable() {
        let (_, mut s) = inputs();
        assert_eq!(SortedSha1.key_step(&s).unwrap().ok, Some(true));
        s.aes_key = Some(Secret::new("short"));
        assert_eq!(SortedSha1.key_step(&s).unwrap().ok, Some(false));
        s.aes_key = None;
        assert!(SortedSha1.key_step(&s).is_none());
    }

    #[test]
    fn a_fixed_order_is_named_and_says_when_timestamp_and_nonce_swapped() {
        let (cb, s) = inputs();
        let fixed = crypto::sha1_concat(&["tok", "1609239040", "nonce", "payload"]);
        let m = SortedSha1.near_miss(&cb, &s, &fixed).unwrap();
        assert_eq!(m.id, MistakeId::FixedOrder);
        assert!(
            m.what.contains("token + timestamp + nonce + encrypt"),
            "{}",
            m.what
        );
        assert!(!m.what.contains("swapped"), "{}", m.what);
        let swapped = crypto::sha1_concat(&["tok", "nonce", "1609239040", "payload"]);
        let m = SortedSha1.near_miss(&cb, &s, &swapped).unwrap();
        assert!(
            m.what.ends_with("with timestamp and nonce swapped"),
            "{}",
            m.what
        );
        assert!(SortedSha1.near_miss(&cb, &s, "0000").is_none());
    }
}
