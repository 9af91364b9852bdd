//! Signature schemes, one module each: how a scheme signs, how its computation reads step by
//! step, and the near misses — the wrong ways of computing it that people really use — that
//! `--explain` tries when a signature does not verify. A vendor names its scheme
//! ([`super::Vendor::scheme`]); the explanation itself (`crate::diagnose`) is the same for all.

pub mod body_sha256;
pub mod sorted_sha1;
pub mod token_time_sha256;

use serde::Serialize;

use super::{Callback, Secrets};
use crate::secret::Secret;

pub use body_sha256::BodySha256;
pub use sorted_sha1::SortedSha1;
pub use token_time_sha256::TokenTimeSha256;

/// One signature algorithm family.
pub trait Scheme: Sync {
    /// The scheme's constant facts; the methods of the same names read them.
    fn facts(&self) -> &'static SchemeFacts;

    /// The algorithm in one line.
    fn algorithm(&self) -> &'static str {
        self.facts().algorithm
    }

    /// The hash function's name (`sha1`, `sha256`).
    fn digest(&self) -> &'static str {
        self.facts().digest
    }

    /// How many bytes are hashed to sign `cb` (for cost figures).
    fn signed_len(&self, cb: &Callback, secrets: &Secrets) -> usize;

    /// The intermediate values of the computation for `cb`, secrets shown through `hide`;
    /// nothing when an input is missing.
    fn steps(&self, cb: &Callback, secrets: &Secrets, hide: &dyn Fn(&str) -> String) -> Vec<Step>;

    /// The check of the decryption key's format, when the scheme's vendors use a key with one.
    fn key_step(&self, secrets: &Secrets) -> Option<Step> {
        let _ = secrets;
        None
    }

    /// The first algorithm mistake of this family that reproduces the received `got`.
    fn near_miss(&self, cb: &Callback, secrets: &Secrets, got: &str) -> Option<Mistake>;
}

/// What a scheme states once: its algorithm in one line and its hash function's name (`sha1`,
/// `sha256`).
pub struct SchemeFacts {
    pub algorithm: &'static str,
    pub digest: &'static str,
}

/// One step of the algorithm: its name, a verdict when it has one, and what it computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub name: String,
    pub ok: Option<bool>,
    pub detail: String,
}

impl Step {
    pub fn new(name: &str, ok: Option<bool>, detail: impl Into<String>) -> Step {
        Step {
            name: name.into(),
            ok,
            detail: detail.into(),
        }
    }

    /// A step that only shows a value.
    pub fn info(name: &str, detail: impl Into<String>) -> Step {
        Step::new(name, None, detail)
    }
}

/// The known mistakes, serialised as the ids `--explain --json` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MistakeId {
    // The key.
    AesKeyStrayEquals,
    AesKeyLength,
    AesKeyOtherApp,
    // The other checks.
    WrongReceiverId,
    StaleTimestamp,
    StaleRequestTime,
    WrongSdkAppId,
    WrongVerificationToken,
    // The signed payload and timestamp, any scheme.
    UppercaseHex,
    SignedUrlEncoded,
    SignedUrlDecoded,
    PlusBecameSpace,
    SpaceShouldBePlus,
    PaddingAdded,
    PaddingStripped,
    SignedDecodedPlaintext,
    TimestampUnit,
    // The secret signed with.
    EmptyToken,
    AesKeyForToken,
    // Per scheme.
    FixedOrder,
    ImWrongAlgorithm,
    FeishuReserialised,
    TimestampNonceSwapped,
    FeishuTokenForKey,
    FeishuNoKey,
    SignedEchostr,
}

impl MistakeId {
    pub const ALL: [MistakeId; 26] = [
        MistakeId::AesKeyStrayEquals,
        MistakeId::AesKeyLength,
        MistakeId::AesKeyOtherApp,
        MistakeId::WrongReceiverId,
        MistakeId::StaleTimestamp,
        MistakeId::StaleRequestTime,
        MistakeId::WrongSdkAppId,
        MistakeId::WrongVerificationToken,
        MistakeId::UppercaseHex,
        MistakeId::SignedUrlEncoded,
        MistakeId::SignedUrlDecoded,
        MistakeId::PlusBecameSpace,
        MistakeId::SpaceShouldBePlus,
        MistakeId::PaddingAdded,
        MistakeId::PaddingStripped,
        MistakeId::SignedDecodedPlaintext,
        MistakeId::TimestampUnit,
        MistakeId::EmptyToken,
        MistakeId::AesKeyForToken,
        MistakeId::FixedOrder,
        MistakeId::ImWrongAlgorithm,
        MistakeId::FeishuReserialised,
        MistakeId::TimestampNonceSwapped,
        MistakeId::FeishuTokenForKey,
        MistakeId::FeishuNoKey,
        MistakeId::SignedEchostr,
    ];

    /// The id as serialised.
    pub fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => s,
            _ => String::new(),
        }
    }
}

impl PartialEq<&str> for MistakeId {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

/// A named mistake that explains the failure, and its fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mistake {
    pub id: MistakeId,
    pub what: String,
    pub fix: String,
}

impl Mistake {
    pub fn new(id: MistakeId, what: impl Into<String>, fix: impl Into<String>) -> Mistake {
        Mistake {
            id,
            what: what.into(),
            fix: fix.into(),
        }
    }
}

/// The token was empty when the signature was computed: the mistake of reading an environment
/// variable that is not set in the receiver's process.
fn empty_token() -> Mistake {
    Mistake::new(
        MistakeId::EmptyToken,
        "the signature was computed with an empty token (an unset environment variable or config value)",
        "check that your receiver really reads the token: print its length at start-up (never the token itself)",
    )
}

/// `s` cut to `n` characters, saying how long it was.
pub fn short(s: &str, n: usize) -> String {
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

/// `secret` with the callback's timestamp and nonce, the parts most schemes sign; None when
/// one is missing.
pub fn secret_and_stamp<'a>(
    secret: &'a Option<Secret>,
    cb: &'a Callback,
) -> Option<(&'a str, &'a str, &'a str)> {
    let secret = secret.as_ref()?.expose();
    Some((secret, cb.timestamp.as_deref()?, cb.nonce.as_deref()?))
}

/// The length of an optional secret's value.
pub(crate) fn secret_len(s: &Option<Secret>) -> usize {
    s.as_ref().map_or(0, |s| s.expose().len())
}

/// The length of an optional string.
pub(crate) fn len(s: Option<&str>) -> usize {
    s.map_or(0, str::len)
}

/// The `sorted` and `concatenated` steps of a sorted-SHA1 signature: `parts` (name, value) in
/// byte order, the token's value shown through `hide`.
pub(crate) fn sorted_steps(parts: &mut [(&str, &str)], hide: &dyn Fn(&str) -> String) -> [Step; 2] {
    parts.sort_by(|a, b| a.1.cmp(b.1));
    let order: Vec<&str> = parts.iter().map(|(n, _)| *n).collect();
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
    [
        Step::info("sorted", order.join(" < ")),
        Step::info("concatenated", short(&joined, 64)),
    ]
}

/// Whether a candidate signature is the received one (constant time).
pub(crate) fn reproduces(candidate: &str, got: &str) -> bool {
    crate::crypto::ct_eq(candidate.as_bytes(), got.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistake_ids_serialise_in_snake_case() {
        let names: Vec<String> = MistakeId::ALL.iter().map(|m| m.name()).collect();
        assert!(names.contains(&"wrong_sdk_app_id".to_string()));
        assert!(names.contains(&"aes_key_stray_equals".to_string()));
        assert!(names.contains(&"im_wrong_algorithm".to_string()));
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), MistakeId::ALL.len());
        assert!(names.iter().all(|n| !n.is_empty()));
    }

    #[test]
    fn no_scheme_shows_steps_for_a_callback_without_inputs() {
        let s = crate::protocol::Secrets::new("token", Some("key"));
        let schemes: [&dyn Scheme; 4] = [
            &SortedSha1,
            &BodySha256,
            &TokenTimeSha256,
            &crate::protocol::wechat::scheme::WechatSha1,
        ];
        for scheme in schemes {
            let steps = scheme.steps(&Callback::default(), &s, &|v| v.to_string());
            assert!(steps.is_empty(), "{}", scheme.algorithm());
        }
    }

    // Pins found by mutation testing (scripts/mutants.sh).

    #[test]
    fn a_mistake_id_equals_its_serialised_name() {
        assert!(MistakeId::FixedOrder == "fixed_order");
        assert!(MistakeId::FixedOrder != "padding_added");
    }

    #[test]
    fn short_cuts_long_strings_and_says_how_long() {
        assert_eq!(short("abc", 3), "abc");
        assert_eq!(short("abcdef", 3), "abc…(6 chars)");
    }
}
