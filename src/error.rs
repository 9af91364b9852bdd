//! Typed errors for protocol work. Each carries the field it is about, so the CLI can print one
//! line that names it, and each maps to one exit code: 1 when a check failed (the input was
//! well-formed but wrong), 2 when the input itself is unusable.

use std::fmt;

/// Why a protocol operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A required input was not given (a flag, a header, a JSON field).
    Missing { field: String, hint: String },
    /// An input was present but malformed: bad base64, bad JSON, wrong key length, bad padding...
    Malformed { field: String, detail: String },
    /// A well-formed input failed a check: signature, receiver id, app id, freshness.
    CheckFailed { field: String, detail: String },
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
        }
    }

    pub fn check(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::CheckFailed {
            field: field.into(),
            detail: detail.into(),
        }
    }

    /// The process exit code this error stands for (see the README's exit-code table).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::CheckFailed { .. } => 1,
            Error::Missing { .. } | Error::Malformed { .. } => 2,
        }
    }

    /// The name of the input the error is about.
    pub fn field(&self) -> &str {
        match self {
            Error::Missing { field, .. }
            | Error::Malformed { field, .. }
            | Error::CheckFailed { field, .. } => field,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Missing { field, hint } if hint.is_empty() => write!(f, "{field}: missing"),
            Error::Missing { field, hint } => write!(f, "{field}: missing ({hint})"),
            Error::Malformed { field, detail } => write!(f, "{field}: {detail}"),
            Error::CheckFailed { field, detail } => write!(f, "{field}: {detail}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
