//! A wrapper for tokens and keys whose `Debug` and `Display` never show the value, so a secret
//! cannot leak through a log line, an error or a panic message by accident.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself. Call sites that print it must be explicit about it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A masked form for output: first two and last two characters, the rest as `*`.
    /// Short values are masked completely.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Mask a secret-bearing string for display: keeps its length visible (a wrong length is a
/// common mistake) but not its content.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 4))
}

/// Hide each secret's value in `text` (a decoded body can carry one: Feishu's plaintext holds the
/// Verification Token). Values under 4 characters are left alone: they would redact ordinary
/// words, and no real token is that short.
pub fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut out = text.to_string();
    for secret in secrets {
        if secret.expose().len() >= 4 {
            out = out.replace(secret.expose(), "(redacted)");
        }
    }
    out
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("bVPU6F8Htxl5XkAbp3jGV2xWp");
        assert!(!format!("{s:?}").contains("bVPU"));
        assert!(!format!("{s}").contains("bVPU"));
        assert_eq!(s.expose(), "bVPU6F8Htxl5XkAbp3jGV2xWp");
    }

    #[test]
    fn mask_keeps_length_only() {
        assert_eq!(mask("abc"), "***");
        assert_eq!(mask("0123456789"), "01******89");
    }
}
