//! `sha256(timestamp + nonce + encrypt_key + raw body)`: Feishu. The raw body bytes exactly as
//! received are signed, with the Encrypt Key (not the Verification Token).

use super::{
    Mistake, MistakeId, Scheme, SchemeFacts, Step, len, reproduces, secret_and_stamp, secret_len,
    short,
};
use crate::crypto;
use crate::protocol::{Callback, Secrets};

pub struct BodySha256;

static FACTS: SchemeFacts = SchemeFacts {
    algorithm: "sha256(timestamp + nonce + encrypt_key + raw body), lower-case hex",
    digest: "sha256",
};

/// The signature: lower-case hex SHA-256 of timestamp, nonce, key and body concatenated.
pub fn sign(timestamp: &str, nonce: &str, key: &str, body: &[u8]) -> String {
    crypto::sha256_hex(&[timestamp.as_bytes(), nonce.as_bytes(), key.as_bytes(), body])
}

impl Scheme for BodySha256 {
    fn facts(&self) -> &'static SchemeFacts {
        &FACTS
    }

    fn signed_len(&self, cb: &Callback, secrets: &Secrets) -> usize {
        len(cb.timestamp.as_deref())
            + len(cb.nonce.as_deref())
            + secret_len(&secrets.aes_key)
            + cb.body.len()
    }

    fn steps(&self, cb: &Callback, secrets: &Secrets, hide: &dyn Fn(&str) -> String) -> Vec<Step> {
        let Some((key, ts, nonce)) = secret_and_stamp(&secrets.aes_key, cb) else {
            return Vec::new();
        };
        vec![
            Step::info(
                "inputs",
                format!(
                    "timestamp {ts} · nonce {nonce} · encrypt_key {} · body {} bytes (sha256 {})",
                    hide(key),
                    cb.body.len(),
                    &crypto::sha256_hex(&[&cb.body])[..16]
                ),
            ),
            Step::info(
                "concatenated",
                format!(
                    "{ts}{nonce}{}{}",
                    hide(key),
                    short(&String::from_utf8_lossy(&cb.body), 40)
                ),
            ),
            Step::info("sha256", sign(ts, nonce, key, &cb.body)),
        ]
    }

    /// A re-serialised body, timestamp and nonce swapped, the token for the key, no key.
    fn near_miss(&self, cb: &Callback, secrets: &Secrets, got: &str) -> Option<Mistake> {
        let (key, ts, nonce) = secret_and_stamp(&secrets.aes_key, cb)?;
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&cb.body) {
            let compact = serde_json::to_vec(&value).unwrap_or_default();
            let pretty = serde_json::to_vec_pretty(&value).unwrap_or_default();
            let sorted = serde_json::to_vec(&sort_keys(&value)).unwrap_or_default();
            for (body, how) in [
                (compact, "compact"),
                (pretty, "pretty-printed"),
                (sorted, "with keys sorted"),
            ] {
                if body != cb.body && reproduces(&sign(ts, nonce, key, &body), got) {
                    return Some(Mistake::new(
                        MistakeId::FeishuReserialised,
                        format!("the body was re-serialised ({how}) before signing"),
                        "sign the raw body bytes exactly as received, before any JSON parsing",
                    ));
                }
            }
        }
        if reproduces(&sign(nonce, ts, key, &cb.body), got) {
            return Some(Mistake::new(
                MistakeId::TimestampNonceSwapped,
                "timestamp and nonce were swapped",
                "concatenate timestamp + nonce + encrypt_key + body in that order",
            ));
        }
        if let Some(token) = secrets.token.as_ref()
            && reproduces(&sign(ts, nonce, token.expose(), &cb.body), got)
        {
            return Some(Mistake::new(
                MistakeId::FeishuTokenForKey,
                "the Verification Token was used instead of the Encrypt Key",
                "X-Lark-Signature uses the Encrypt Key",
            ));
        }
        if reproduces(&sign(ts, nonce, "", &cb.body), got) {
            return Some(Mistake::new(
                MistakeId::FeishuNoKey,
                "the Encrypt Key was left out of the signature",
                "concatenate timestamp + nonce + encrypt_key + body",
            ));
        }
        None
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_keys_reaches_nested_objects() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{"b":{"d":1,"c":2},"a":[{"f":1,"e":2}]}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&sort_keys(&v)).unwrap(),
            r#"{"a":[{"e":2,"f":1}],"b":{"c":2,"d":1}}"#
        );
    }

    // Pins found by mutation testing (scripts/mutants.sh).

    fn inputs(body: &str) -> (Callback, Secrets) {
        let cb = Callback {
            timestamp: Some("1700000000".into()),
            nonce: Some("nonce".into()),
            body: body.as_bytes().to_vec(),
            ..Callback::default()
        };
        let secrets = Secrets::new("vtoken", Some("encryptkey"));
        (cb, secrets)
    }

    #[test]
    fn names_sizes_and_steps() {
        let (cb, s) = inputs(r#"{"a":1}"#);
        assert!(
            BodySha256
                .algorithm()
                .starts_with("sha256(timestamp + nonce")
        );
        assert_eq!(BodySha256.digest(), "sha256");
        assert_eq!(BodySha256.signed_len(&cb, &s), 10 + 5 + 10 + 7);
        let steps = BodySha256.steps(&cb, &s, &|_| "***".to_string());
        assert_eq!(steps.len(), 3);
        assert_eq!(steps[1].detail, r#"1700000000nonce***{"a":1}"#);
        assert_eq!(
            steps[2].detail,
            sign("1700000000", "nonce", "encryptkey", br#"{"a":1}"#)
        );
    }

    #[test]
    fn each_near_miss_is_named() {
        let pretty = "{\n  \"a\": 1\n}";
        let (cb, s) = inputs(pretty);
        let (ts, nonce, key) = ("1700000000", "nonce", "encryptkey");
        let body = pretty.as_bytes();
        for (got, id) in [
            (
                sign(ts, nonce, key, br#"{"a":1}"#),
                MistakeId::FeishuReserialised,
            ),
            (sign(nonce, ts, key, body), MistakeId::TimestampNonceSwapped),
            (
                sign(ts, nonce, "vtoken", body),
                MistakeId::FeishuTokenForKey,
            ),
            (sign(ts, nonce, "", body), MistakeId::FeishuNoKey),
        ] {
            assert_eq!(BodySha256.near_miss(&cb, &s, &got).unwrap().id, id);
        }
        assert!(BodySha256.near_miss(&cb, &s, "0000").is_none());
    }
}
