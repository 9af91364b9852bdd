//! `sha256(token + RequestTime)`: Tencent Cloud IM and Room. Plain SHA-256 (not HMAC) of the
//! callback token followed by RequestTime (Unix seconds); the body is not covered.

use super::{
    Mistake, MistakeId, Scheme, SchemeFacts, Step, empty_token, len, reproduces, secret_len,
};
use crate::crypto;
use crate::protocol::{Callback, Secrets};

pub struct TokenTimeSha256;

static FACTS: SchemeFacts = SchemeFacts {
    algorithm: "sha256(token + RequestTime), lower-case hex (plain SHA-256, not HMAC)",
    digest: "sha256",
};

/// The signature: lower-case hex SHA-256 of the token followed by RequestTime.
pub fn sign(token: &str, request_time: &str) -> String {
    crypto::sha256_hex(&[token.as_bytes(), request_time.as_bytes()])
}

/// The two signed parts: token and RequestTime; None when one is missing.
fn signed_inputs<'a>(cb: &'a Callback, secrets: &'a Secrets) -> Option<(&'a str, &'a str)> {
    Some((
        secrets.token.as_ref()?.expose(),
        cb.request_time.as_deref()?,
    ))
}

impl Scheme for TokenTimeSha256 {
    fn facts(&self) -> &'static SchemeFacts {
        &FACTS
    }

    fn signed_len(&self, cb: &Callback, secrets: &Secrets) -> usize {
        secret_len(&secrets.token) + len(cb.request_time.as_deref())
    }

    fn steps(&self, cb: &Callback, secrets: &Secrets, hide: &dyn Fn(&str) -> String) -> Vec<Step> {
        let Some((token, rt)) = signed_inputs(cb, secrets) else {
            return Vec::new();
        };
        vec![
            Step::info(
                "inputs",
                format!("token {} · RequestTime {rt}", hide(token)),
            ),
            Step::info("concatenated", format!("{}{rt}", hide(token))),
            Step::info("sha256", sign(token, rt)),
        ]
    }

    /// An empty token, HMAC instead of a plain hash, the parts reversed, the body signed, SHA-1.
    fn near_miss(&self, cb: &Callback, secrets: &Secrets, got: &str) -> Option<Mistake> {
        let (token, rt) = signed_inputs(cb, secrets)?;
        if reproduces(&sign("", rt), got) {
            return Some(empty_token());
        }
        let tries = [
            (
                crypto::hex(&hmac_sha256(token.as_bytes(), rt.as_bytes())),
                "Sign was computed with HMAC-SHA256(token, RequestTime)",
                "use plain sha256(token + RequestTime), not HMAC",
            ),
            (
                sign(rt, token),
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
        tries
            .into_iter()
            .find(|(sig, _, _)| reproduces(sig, got))
            .map(|(_, what, fix)| Mistake::new(MistakeId::ImWrongAlgorithm, what, fix))
    }
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    use hmac::Mac;
    let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_token_then_time() {
        assert_eq!(
            sign("xxxxyyyy", "1669872112"),
            crypto::sha256_hex(&[b"xxxxyyyy1669872112"])
        );
    }

    // Pins found by mutation testing (scripts/mutants.sh).

    fn inputs() -> (Callback, Secrets) {
        let cb = Callback {
            request_time: Some("1669872112".into()),
            body: b"{}".to_vec(),
            ..Callback::default()
        };
        let secrets = Secrets::new("xxxxyyyy", None);
        (cb, secrets)
    }

    #[test]
    fn names_sizes_and_steps() {
        let (cb, s) = inputs();
        assert!(
            TokenTimeSha256
                .algorithm()
                .starts_with("sha256(token + RequestTime)")
        );
        assert_eq!(TokenTimeSha256.digest(), "sha256");
        assert_eq!(TokenTimeSha256.signed_len(&cb, &s), 8 + 10);
        let steps = TokenTimeSha256.steps(&cb, &s, &|_| "***".to_string());
        let details: Vec<&str> = steps.iter().map(|s| s.detail.as_str()).collect();
        assert_eq!(
            details,
            [
                "token *** · RequestTime 1669872112",
                "***1669872112",
                &sign("xxxxyyyy", "1669872112"),
            ]
        );
    }

    #[test]
    fn hmac_matches_the_published_vector() {
        assert_eq!(
            crypto::hex(&hmac_sha256(
                b"key",
                b"The quick brown fox jumps over the lazy dog"
            )),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn each_wrong_algorithm_is_named() {
        let (cb, s) = inputs();
        let (token, rt) = ("xxxxyyyy", "1669872112");
        for (got, what) in [
            (
                crypto::hex(&hmac_sha256(token.as_bytes(), rt.as_bytes())),
                "HMAC",
            ),
            (sign(rt, token), "reversed"),
            (crypto::sha256_hex(&[token.as_bytes(), b"{}"]), "body"),
            (crypto::sha1_concat(&[token, rt]), "SHA-1"),
        ] {
            let m = TokenTimeSha256.near_miss(&cb, &s, &got).unwrap();
            assert_eq!(m.id, MistakeId::ImWrongAlgorithm);
            assert!(m.what.contains(what), "{what}: {}", m.what);
        }
        assert!(TokenTimeSha256.near_miss(&cb, &s, "0000").is_none());
    }
}
