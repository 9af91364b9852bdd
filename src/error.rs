//! Typed errors for protocol work. Each carries the field it is about, so the CLI can print one
//! line that names it. An error means the input itself is unusable (exit code 2); a well-formed
//! input that fails a check is not an error but a failed [`crate::protocol::Check`] (exit 1).
//!
//! The library names what is missing or wrong in protocol terms only; the command layer adds
//! the flag or environment variable that supplies a missing input.

use std::fmt;

/// Why a protocol operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A required input was not given (a secret, a header, a JSON field). `hint` says where it
    /// comes from in the protocol, or is empty when the field's name says it all.
    Missing { field: String, hint: String },
    /// An input was present but malformed: bad base64, bad JSON, wrong key length, bad padding...
    /// `cause` classifies the failures that callers explain rather than print.
    Malformed {
        field: String,
        detail: String,
        cause: Option<Cause>,
    },
}

/// What exactly made a key, a ciphertext or a decoded body unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// An EncodingAESKey of 44 characters ending in `=` (the padding copied along).
    KeyStrayEquals,
    /// An EncodingAESKey that is not 43 characters long.
    KeyLength,
    /// An EncodingAESKey that is not base64 of 32 bytes.
    KeyEncoding,
    /// Text that is not base64.
    Base64,
    /// A ciphertext that is empty or not whole AES blocks.
    CipherLength,
    /// Decryption gave an invalid PKCS#7 pad: the wrong key, or an altered ciphertext.
    BadPadding,
    /// The decrypted frame is inconsistent (too short, a length past its end, a receiver id
    /// that is not text): the wrong key, or an altered ciphertext.
    BadFrame,
}

impl Error {
    pub fn missing(field: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Missing {
            field: field.into(),
            hint: hint.into(),
        }
    }

    pub fn malformed(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::Malformed {
            field: field.into(),
            detail: detail.into(),
            cause: None,
        }
    }

    /// The same error, classified by `cause` (meaningful on `Malformed` only).
    pub fn because(mut self, why: Cause) -> Self {
        if let Error::Malformed { cause, .. } = &mut self {
            *cause = Some(why);
        }
        self
    }

    /// What made the input unusable, when it was classified.
    pub fn cause(&self) -> Option<Cause> {
        match self {
            Error::Malformed { cause, .. } => *cause,
            _ => None,
        }
    }

    /// The process exit code this error stands for (see the README's exit-code table).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Missing { .. } | Error::Malformed { .. } => 2,
        }
    }

    /// The name of the input the error is about.
    pub fn field(&self) -> &str {
        match self {
            Error::Missing { field, .. } | Error::Malformed { field, .. } => field,
        }
    }

    /// Whether the error says an input was not given (a secret not configured, a field absent).
    pub fn is_missing(&self) -> bool {
        matches!(self, Error::Missing { .. })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Missing { field, hint } if hint.is_empty() => write!(f, "{field}: missing"),
            Error::Missing { field, hint } => write!(f, "{field}: missing ({hint})"),
            Error::Malformed { field, detail, .. } => write!(f, "{field}: {detail}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_classifies_without_changing_the_message() {
        let e = Error::malformed("encrypt", "bad pad");
        assert_eq!(e.cause(), None);
        let e = e.because(Cause::BadPadding);
        assert_eq!(e.cause(), Some(Cause::BadPadding));
        assert_eq!(e.to_string(), "encrypt: bad pad");
        assert_eq!(
            Error::missing("token", "").because(Cause::Base64).cause(),
            None
        );
    }
}
