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
/// words, and no real token is that short. A secret written with JSON escapes inside a string
/// literal (`"\u0074oken…"`) is found too: each literal is read as JSON decodes it, and one that
/// holds a secret is written back re-encoded with the secret hidden.
pub fn redact(text: &str, secrets: &[&Secret]) -> String {
    redact_cow(text, secrets).into_owned()
}

/// [`redact`], copying `text` only when it may hold a secret: one of the values, or a JSON
/// escape that could spell one. Most texts hold neither (a listener redacts every capture).
pub fn redact_cow<'t>(text: &'t str, secrets: &[&Secret]) -> std::borrow::Cow<'t, str> {
    let secrets: Vec<&str> = secrets
        .iter()
        .map(|s| s.expose())
        .filter(|s| s.len() >= 4)
        .collect();
    let quotes_one = secrets
        .iter()
        .any(|s| memchr::memmem::find(text.as_bytes(), s.as_bytes()).is_some());
    if !quotes_one && !text.contains('\\') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for secret in &secrets {
        out = out.replace(secret, "(redacted)");
    }
    if out.contains('\\') {
        out = redact_escaped_literals(&out, &secrets);
    }
    std::borrow::Cow::Owned(out)
}

/// Rewrite each `"…"` literal whose JSON-decoded value contains a secret.
fn redact_escaped_literals(text: &str, secrets: &[&str]) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        let end = (i + 1).min(bytes.len());
        i = end;
        let literal = &text[start..end];
        if !literal.contains('\\') {
            continue;
        }
        let Ok(decoded) = serde_json::from_str::<String>(literal) else {
            continue;
        };
        if secrets.iter().any(|s| decoded.contains(s)) {
            let mut clean = decoded;
            for s in secrets {
                clean = clean.replace(s, "(redacted)");
            }
            out.push_str(&text[copied..start]);
            out.push_str(&serde_json::to_string(&clean).expect("a string serialises"));
            copied = end;
        }
    }
    out.push_str(&text[copied..]);
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
    fn a_text_without_a_secret_or_an_escape_is_borrowed_and_one_with_either_is_checked() {
        let token = Secret::new("Verif1cationToken");
        let plain = r#"{"event":"x"}"#;
        assert!(matches!(
            redact_cow(plain, &[&token]),
            std::borrow::Cow::Borrowed(_)
        ));
        let quoted = r#"{"token":"Verif1cationToken"}"#;
        assert_eq!(redact_cow(quoted, &[&token]), r#"{"token":"(redacted)"}"#);
        let escaped = r#"{"token":"\u0056erif1cationToken"}"#;
        assert_eq!(redact_cow(escaped, &[&token]), r#"{"token":"(redacted)"}"#);
        // A short value is never hidden, so it does not make a copy either.
        let short = Secret::new("abc");
        assert!(matches!(
            redact_cow("abc", &[&short]),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn redacts_secrets_written_with_json_escapes() {
        let token = Secret::new("Verif1cationToken");
        let escaped: String = "Verif1cationToken"
            .chars()
            .map(|c| format!("\\u{:04x}", c as u32))
            .collect();
        let full = format!(r#"{{"token":"{escaped}","n":1}}"#);
        let out = redact(&full, &[&token]);
        assert_eq!(out, r#"{"token":"(redacted)","n":1}"#);
        // Partly escaped, inside a longer value, beside other escapes.
        let partly = r#"{"a":"x\n","token":"pre Ver\u0069f1cationToken post"}"#;
        let out = redact(partly, &[&token]);
        assert_eq!(out, r#"{"a":"x\n","token":"pre (redacted) post"}"#);
        assert!(!out.contains("f1cation"));
        // Unterminated or odd text is left as it is, without a panic.
        assert_eq!(redact(r#""abc\"#, &[&token]), r#""abc\"#);
        assert_eq!(redact("\\\"", &[&token]), "\\\"");
    }

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
