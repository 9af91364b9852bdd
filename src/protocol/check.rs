//! What verifying a callback checks, one [`Check`] per fact, each named by a [`CheckId`].

use std::fmt;

use serde::Serialize;

/// What a check is about. Serialised (and displayed) as the names the `--json` output, the
/// capture's verdict and the terminal show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    /// The request's signature.
    Signature,
    /// Tencent IM: the SdkAppid is the receiver's own.
    SdkAppId,
    /// Tencent IM: RequestTime is seconds and fresh.
    RequestTime,
    /// The timestamp is within the freshness window.
    Timestamp,
    /// The body decodes (and decrypts).
    Decrypted,
    /// DingTalk/WeCom: the receiver id inside the ciphertext is the configured one.
    ReceiverId,
    /// Feishu: the Verification Token inside the body is the configured one.
    Token,
    /// The listener: the request or event was not delivered before.
    Replay,
}

impl CheckId {
    pub const ALL: [CheckId; 8] = [
        CheckId::Signature,
        CheckId::SdkAppId,
        CheckId::RequestTime,
        CheckId::Timestamp,
        CheckId::Decrypted,
        CheckId::ReceiverId,
        CheckId::Token,
        CheckId::Replay,
    ];

    /// The name as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::Signature => "signature",
            CheckId::SdkAppId => "sdk_app_id",
            CheckId::RequestTime => "request_time",
            CheckId::Timestamp => "timestamp",
            CheckId::Decrypted => "decrypted",
            CheckId::ReceiverId => "receiver_id",
            CheckId::Token => "token",
            CheckId::Replay => "replay",
        }
    }

    /// The id serialised as `name`.
    pub fn from_name(name: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|id| id.as_str() == name)
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, so that `{:<12}` aligns check names in the terminal.
        f.pad(self.as_str())
    }
}

impl From<CheckId> for String {
    fn from(id: CheckId) -> String {
        id.as_str().to_string()
    }
}

impl PartialEq<&str> for CheckId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A check named by a literal, for code that still spells ids as strings (the listener, the
/// envelope's receiver check). An unknown name is a programming error: debug builds stop on it,
/// release builds file the check under `signature`, the strictest verdict.
impl From<&'static str> for CheckId {
    fn from(name: &'static str) -> CheckId {
        let id = CheckId::from_name(name);
        debug_assert!(id.is_some(), "unknown check id `{name}`");
        id.unwrap_or(CheckId::Signature)
    }
}

/// One check made while verifying a callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: CheckId,
    pub ok: bool,
    pub expected: String,
    pub got: String,
    /// Why it failed, or a remark on how it passed.
    pub note: String,
}

impl Check {
    pub fn pass(
        name: impl Into<CheckId>,
        expected: impl Into<String>,
        got: impl Into<String>,
    ) -> Self {
        // A failed check's fields, without a failure.
        Check {
            ok: true,
            ..Check::fail(name, expected, got, String::new())
        }
    }

    pub fn fail(
        name: impl Into<CheckId>,
        expected: impl Into<String>,
        got: impl Into<String>,
        note: impl Into<String>,
    ) -> Self {
        Check {
            name: name.into(),
            ok: false,
            expected: expected.into(),
            got: got.into(),
            note: note.into(),
        }
    }

    /// Compare a computed signature with a received one in constant time.
    pub fn signature(expected: String, got: &str) -> Self {
        if crate::crypto::ct_eq(expected.as_bytes(), got.as_bytes()) {
            Check::pass(CheckId::Signature, expected, got)
        } else {
            let note = if expected.eq_ignore_ascii_case(got) {
                "differs only in letter case: the vendor sends lower-case hex"
            } else {
                "signature mismatch"
            };
            Check::fail(CheckId::Signature, expected, got, note)
        }
    }

    /// The failed check as one error line: `signature: signature mismatch`.
    pub fn error_line(&self) -> String {
        format!("{}: {}", self.name, self.note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_their_names() {
        for id in CheckId::ALL {
            assert_eq!(
                serde_json::to_value(id).unwrap(),
                serde_json::Value::from(id.as_str())
            );
            assert_eq!(CheckId::from_name(id.as_str()), Some(id));
            assert_eq!(CheckId::from(id.as_str()), id);
        }
        assert_eq!(format!("{:<12}|", CheckId::Token), "token       |");
    }

    // Pins found by mutation testing (scripts/mutants.sh).

    #[test]
    fn ids_compare_with_and_convert_to_their_names() {
        assert!(CheckId::Token == "token");
        assert!(CheckId::Token != "signature");
        assert_eq!(String::from(CheckId::ReceiverId), "receiver_id");
        let c = Check::fail(CheckId::Signature, "a", "b", "signature mismatch");
        assert_eq!(c.error_line(), "signature: signature mismatch");
    }
}
