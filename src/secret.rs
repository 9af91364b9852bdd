//! A wrapper for tokens and keys whose `Debug` and `Display` never show the value, so a secret
//! cannot leak through a log line, an error or a panic message by accident.

use std::fmt;
use std::sync::OnceLock;

use memchr::memmem::Finder;

#[derive(Clone, Default)]
pub struct Secret {
    value: String,
    /// A searcher for the value, made on the first search and kept: a listener looks for its
    /// secrets in every request's text, and making the searcher costs more than the search.
    finder: OnceLock<Finder<'static>>,
}

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret {
            value: value.into(),
            finder: OnceLock::new(),
        }
    }

    /// The value itself. Call sites that print it must be explicit about it.
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// A masked form for output: first two and last two characters, the rest as `*`.
    /// Short values are masked completely.
    pub fn masked(&self) -> String {
        mask(&self.value)
    }

    /// Whether `text` quotes the value.
    fn is_in(&self, text: &str) -> bool {
        self.finder
            .get_or_init(|| Finder::new(self.value.as_bytes()).into_owned())
            .find(text.as_bytes())
            .is_some()
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Secret) -> bool {
        self.value == other.value
    }
}

impl Eq for Secret {}

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
pub fn redact<'s>(text: &str, secrets: impl SecretList<'s>) -> String {
    redact_cow(text, secrets).into_owned()
}

/// The secrets to hide, each at most once (a listener passes its token and key on every request).
pub trait SecretList<'s>: IntoIterator<Item = &'s Secret, IntoIter: Clone> {}
impl<'s, T: IntoIterator<Item = &'s Secret, IntoIter: Clone>> SecretList<'s> for T {}

/// [`redact`], copying `text` only when it may hold a secret: one of the values, or a JSON
/// escape that could spell one. Most texts hold neither (a listener redacts every capture).
pub fn redact_cow<'t, 's>(
    text: &'t str,
    secrets: impl SecretList<'s>,
) -> std::borrow::Cow<'t, str> {
    let hideable = secrets.into_iter().filter(|s| s.value.len() >= 4);
    if !hideable.clone().any(|s| s.is_in(text)) && !text.contains('\\') {
        return std::borrow::Cow::Borrowed(text);
    }
    let secrets: Vec<&str> = hideable.map(Secret::expose).collect();
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
            redact_cow(plain, [&token]),
            std::borrow::Cow::Borrowed(_)
        ));
        let quoted = r#"{"token":"Verif1cationToken"}"#;
        assert_eq!(redact_cow(quoted, [&token]), r#"{"token":"(redacted)"}"#);
        let escaped = r#"{"token":"\u0056erif1cationToken"}"#;
        assert_eq!(redact_cow(escaped, [&token]), r#"{"token":"(redacted)"}"#);
        // A short value is never hidden, so it does not make a copy either.
        let short = Secret::new("abc");
        assert!(matches!(
            redact_cow("abc", [&short]),
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
        let out = redact(&full, [&token]);
        assert_eq!(out, r#"{"token":"(redacted)","n":1}"#);
        // Partly escaped, inside a longer value, beside other escapes.
        let partly = r#"{"a":"x\n","token":"pre Ver\u0069f1cationToken post"}"#;
        let out = redact(partly, [&token]);
        assert_eq!(out, r#"{"a":"x\n","token":"pre (redacted) post"}"#);
        assert!(!out.contains("f1cation"));
        // Unterminated or odd text is left as it is, without a panic.
        assert_eq!(redact(r#""abc\"#, [&token]), r#""abc\"#);
        assert_eq!(redact("\\\"", [&token]), "\\\"");
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
