//! Text helpers for showing untrusted bytes on a terminal and for output modes.

/// Show bytes as text with control characters, quotes-relevant whitespace and bidi controls
/// escaped, cut to `max` characters. Network payloads are untrusted: a raw escape sequence must
/// never reach the user's terminal.
pub fn escape_bytes(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n >= max {
            out.push('…');
            break;
        }
        out.push_str(&escape_char(c));
    }
    out
}

/// Escape one character for terminal display.
pub fn escape_char(c: char) -> String {
    match c {
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        '\u{feff}' => "\\u{feff}".into(),
        c if c.is_control() || is_bidi(c) => c.escape_unicode().to_string(),
        c => c.to_string(),
    }
}

/// Escape control characters in multi-line text, keeping newlines and tabs as they are.
pub fn sanitize_multiline(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c => escape_char(c),
        })
        .collect()
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
    fn escapes_controls() {
        assert_eq!(escape_bytes(b"a\nb\x1b[31m", 80), "a\\nb\\u{1b}[31m");
        assert_eq!(escape_bytes("x\u{202e}y".as_bytes(), 80), "x\\u{202e}y");
        assert_eq!(escape_bytes(b"abcdef", 3), "abc…");
    }
}
