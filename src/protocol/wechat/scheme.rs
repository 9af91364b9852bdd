//! WeChat's two signatures. `signature` (handshake and every POST) is the sha1 of the sorted
//! token, timestamp and nonce — three strings, no payload. `msg_signature` (safe and compatible
//! modes) adds the Encrypt string, exactly the WXBizMsgCrypt signature of
//! [`SortedSha1`](crate::protocol::scheme::SortedSha1), which it delegates to.

use crate::crypto;
use crate::protocol::scheme::{
    Mistake, MistakeId, Scheme, SchemeFacts, SortedSha1, Step, len, reproduces, secret_and_stamp,
    secret_len, short, sorted_steps,
};
use crate::protocol::{Callback, Secrets};

/// The field name of the signed ciphertext; a callback carrying it is checked by `msg_signature`.
pub const ENCRYPT: &str = "Encrypt";

pub struct WechatSha1;

static FACTS: SchemeFacts = SchemeFacts {
    algorithm: "signature: sha1 of sort(token, timestamp, nonce); msg_signature: sha1 of sort(token, timestamp, nonce, Encrypt); concatenated, lower-case hex",
    digest: "sha1",
};

/// Whether a payload field is the ciphertext (`--encrypt` names it in lower case).
pub fn is_encrypt(field: &str) -> bool {
    field.eq_ignore_ascii_case(ENCRYPT)
}

/// Whether the callback's signature covers a payload (`msg_signature` over Encrypt).
pub fn covers_payload(cb: &Callback) -> bool {
    cb.payload.as_ref().is_some_and(|p| is_encrypt(p.field))
}

/// `signature`: sha1 of the sorted token, timestamp and nonce.
pub fn sign3(token: &str, timestamp: &str, nonce: &str) -> String {
    crypto::sorted_sha1(&[token, timestamp, nonce])
}

impl Scheme for WechatSha1 {
    fn facts(&self) -> &'static SchemeFacts {
        &FACTS
    }

    fn signed_len(&self, cb: &Callback, secrets: &Secrets) -> usize {
        if covers_payload(cb) {
            return SortedSha1.signed_len(cb, secrets);
        }
        secret_len(&secrets.token) + len(cb.timestamp.as_deref()) + len(cb.nonce.as_deref())
    }

    fn steps(&self, cb: &Callback, secrets: &Secrets, hide: &dyn Fn(&str) -> String) -> Vec<Step> {
        if covers_payload(cb) {
            return SortedSha1.steps(cb, secrets, hide);
        }
        let Some((token, ts, nonce)) = secret_and_stamp(&secrets.token, cb) else {
            return Vec::new();
        };
        let mut parts = [("token", token), ("timestamp", ts), ("nonce", nonce)];
        let [sorted, concatenated] = sorted_steps(&mut parts, hide);
        let unsigned = match &cb.payload {
            Some(p) => format!(" · {} {} (not signed)", p.field, short(&p.value, 24)),
            None => String::new(),
        };
        vec![
            Step::info(
                "inputs",
                format!(
                    "token {} ({} chars) · timestamp {ts} · nonce {nonce}{unsigned}",
                    hide(token),
                    token.chars().count()
                ),
            ),
            sorted,
            concatenated,
            Step::info("sha1", sign3(token, ts, nonce)),
        ]
    }

    fn key_step(&self, secrets: &Secrets) -> Option<Step> {
        SortedSha1.key_step(secrets)
    }

    /// The echostr (or Encrypt) signed too; the EncodingAESKey used as the token; the parts in
    /// a fixed order.
    fn near_miss(&self, cb: &Callback, secrets: &Secrets, got: &str) -> Option<Mistake> {
        let (ts, nonce) = (cb.timestamp.as_deref()?, cb.nonce.as_deref()?);
        let token = secrets.token.as_ref().map(|t| t.expose());
        let key = secrets.aes_key.as_ref().map(|k| k.expose());
        let payload = cb.payload.as_ref();
        if !covers_payload(cb)
            && let (Some(t), Some(p)) = (token, payload)
            && reproduces(&crypto::sorted_sha1(&[t, ts, nonce, &p.value]), got)
        {
            return Some(Mistake::new(
                MistakeId::SignedEchostr,
                format!(
                    "the {} was signed too: WeChat's `signature` covers only token, timestamp and nonce",
                    p.field
                ),
                "sort and sha1 the three strings token, timestamp, nonce; leave echostr out (it is what you answer)",
            ));
        }
        if let Some(k) = key {
            let with_key = match payload.filter(|_| covers_payload(cb)) {
                Some(p) => crypto::sorted_sha1(&[k, ts, nonce, &p.value]),
                None => sign3(k, ts, nonce),
            };
            if reproduces(&with_key, got) {
                return Some(Mistake::new(
                    MistakeId::AesKeyForToken,
                    "the signature was computed with the EncodingAESKey in place of the Token",
                    "sign with the Token from the console's server configuration (令牌), not the EncodingAESKey (消息加解密密钥)",
                ));
            }
        }
        if covers_payload(cb) {
            return SortedSha1.near_miss(cb, secrets, got);
        }
        let t = token?;
        let parts = [("token", t), ("timestamp", ts), ("nonce", nonce)];
        const ORDERS: [[usize; 3]; 6] = [
            [0, 1, 2],
            [0, 2, 1],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [2, 1, 0],
        ];
        let order = ORDERS.iter().find(|o| {
            let seq: Vec<&str> = o.iter().map(|&i| parts[i].1).collect();
            reproduces(&crypto::sha1_concat(&seq), got)
        })?;
        let names: Vec<&str> = order.iter().map(|&i| parts[i].0).collect();
        Some(Mistake::new(
            MistakeId::FixedOrder,
            format!(
                "the parts were concatenated in a fixed order ({}) instead of sorted",
                names.join(" + ")
            ),
            "sort the three strings by byte order, then concatenate and sha1",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Payload;

    fn handshake() -> (Callback, Secrets) {
        let cb = Callback {
            timestamp: Some("1714036504".into()),
            nonce: Some("1514711492".into()),
            payload: Some(Payload {
                field: "echostr",
                value: "4375120948345356249".into(),
            }),
            is_get: true,
            ..Callback::default()
        };
        let s = Secrets::new("AAAAA", Some("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"));
        (cb, s)
    }

    #[test]
    fn three_part_signature_is_the_mini_program_example() {
        assert_eq!(
            sign3("AAAAA", "1714036504", "1514711492"),
            "f464b24fc39322e44b38aa78f5edd27bd1441696"
        );
    }

    #[test]
    fn near_misses_are_named() {
        let (cb, s) = handshake();
        let got =
            crypto::sorted_sha1(&["AAAAA", "1714036504", "1514711492", "4375120948345356249"]);
        let m = WechatSha1.near_miss(&cb, &s, &got).unwrap();
        assert_eq!(m.id, MistakeId::SignedEchostr);
        let got = sign3(
            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            "1714036504",
            "1514711492",
        );
        assert_eq!(
            WechatSha1.near_miss(&cb, &s, &got).unwrap().id,
            MistakeId::AesKeyForToken
        );
        let got = crypto::sha1_concat(&["AAAAA", "1714036504", "1514711492"]);
        let m = WechatSha1.near_miss(&cb, &s, &got).unwrap();
        assert_eq!(m.id, MistakeId::FixedOrder);
        assert!(m.what.contains("token + timestamp + nonce"), "{}", m.what);
        assert!(WechatSha1.near_miss(&cb, &s, "0").is_none());
    }

    #[test]
    fn steps_say_the_echostr_is_not_signed() {
        let (cb, s) = handshake();
        let steps = WechatSha1.steps(&cb, &s, &|_| "***".into());
        assert!(steps[0].detail.contains("(not signed)"));
        assert_eq!(
            steps.last().unwrap().detail,
            "f464b24fc39322e44b38aa78f5edd27bd1441696"
        );
        assert_eq!(WechatSha1.signed_len(&cb, &s), 5 + 10 + 10);
    }
}
