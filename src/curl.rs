//! Read a request copied as cURL (browser devtools "Copy as cURL", logs) into an HttpRequest.
//! Only what a request carries is kept: method, URL, headers, body. Options that change how
//! curl behaves (-s, -k, -L, --compressed, ...) are ignored.

use crate::error::{Error, Result};
use crate::http::HttpRequest;

/// Split a command line like a POSIX shell would: single and double quotes, backslash escapes,
/// `$'...'` ANSI-C strings (Chrome's bash copy), and backslash-newline continuations.
pub fn shell_words(line: &str) -> Result<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') => {
                    chars.next_if_eq(&'\n');
                }
                Some(n) => {
                    cur.push(n);
                    in_word = true;
                }
                None => {
                    return Err(Error::malformed(
                        "curl",
                        "the command ends with a lone backslash",
                    ));
                }
            },
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err(Error::malformed("curl", "unclosed single quote")),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some('\\') => match chars.next() {
                            Some('n') => cur.push('\n'),
                            Some('r') => cur.push('\r'),
                            Some('t') => cur.push('\t'),
                            Some(x) => cur.push(x),
                            None => return Err(Error::malformed("curl", "unclosed $'...' string")),
                        },
                        Some(x) => cur.push(x),
                        None => return Err(Error::malformed("curl", "unclosed $'...' string")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => cur.push(x),
                            Some('\n') => {}
                            Some(x) => {
                                cur.push('\\');
                                cur.push(x);
                            }
                            None => return Err(Error::malformed("curl", "unclosed double quote")),
                        },
                        Some(x) => cur.push(x),
                        None => return Err(Error::malformed("curl", "unclosed double quote")),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Parse a curl command into a request. `read_file` resolves `-d @file` bodies.
pub fn parse(command: &str, read_file: &dyn Fn(&str) -> Result<Vec<u8>>) -> Result<HttpRequest> {
    let words = shell_words(command)?;
    let mut it = words.into_iter().peekable();
    if it.peek().map(String::as_str) == Some("curl") {
        it.next();
    }
    let mut url = None;
    let mut method = None;
    let mut headers = Vec::new();
    let mut body: Option<Vec<u8>> = None;
    let mut get = false;
    while let Some(w) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| Error::malformed("curl", format!("{name} needs a value")))
        };
        match w.as_str() {
            "-X" | "--request" => method = Some(value(&w)?.to_ascii_uppercase()),
            "-H" | "--header" => {
                let h = value(&w)?;
                let (k, v) = h
                    .split_once(':')
                    .ok_or_else(|| Error::malformed("curl", format!("header `{h}` has no ':'")))?;
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii" | "--json" => {
                let d = value(&w)?;
                let bytes = match d.strip_prefix('@') {
                    Some(path) if w != "--data-raw" => read_file(path)?,
                    _ => d.into_bytes(),
                };
                if w == "--json" {
                    headers.push(("Content-Type".into(), "application/json".into()));
                }
                body = Some(match body {
                    Some(mut b) => {
                        b.push(b'&');
                        b.extend(bytes);
                        b
                    }
                    None => bytes,
                });
            }
            "-G" | "--get" => get = true,
            "--url" => url = Some(value(&w)?),
            // Options with a value that does not change the request's content.
            "-u" | "--user" | "-b" | "--cookie" | "-A" | "--user-agent" | "-e" | "--referer"
            | "-o" | "--output" | "-m" | "--max-time" | "--connect-timeout" | "-x" | "--proxy"
            | "-w" | "--write-out" => {
                value(&w)?;
            }
            s if s.starts_with('-') && s.len() > 1 => {}
            _ => {
                if url.is_none() {
                    url = Some(w);
                }
            }
        }
    }
    let url = url.ok_or_else(|| Error::missing("curl", "no URL in the curl command"))?;
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(&url);
    let target = rest.find(['/', '?']).map_or("/", |i| &rest[i..]);
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (
            if p.is_empty() { "/" } else { p }.to_string(),
            q.to_string(),
        ),
        None => (target.to_string(), String::new()),
    };
    let method = method.unwrap_or_else(|| {
        if body.is_some() && !get {
            "POST"
        } else {
            "GET"
        }
        .to_string()
    });
    headers.retain(|(k, _)| {
        !k.eq_ignore_ascii_case("content-length") && !k.eq_ignore_ascii_case("host")
    });
    Ok(HttpRequest {
        method,
        path,
        query,
        headers,
        body: body.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_files(_: &str) -> Result<Vec<u8>> {
        Err(Error::malformed("curl", "no files in tests"))
    }

    #[test]
    fn devtools_copy() {
        let cmd = "curl 'https://example.com/cb?msg_signature=abc&timestamp=1&nonce=2' \\\n  -H 'Content-Type: application/json' \\\n  --data-raw '{\"encrypt\":\"x+y=\"}' \\\n  --compressed";
        let r = parse(cmd, &no_files).unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/cb");
        assert_eq!(r.query_param("nonce").as_deref(), Some("2"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.body, br#"{"encrypt":"x+y="}"#);
    }

    #[test]
    fn headers_get_and_ansi_strings() {
        let r = parse(
            r#"curl -X GET "http://h/?check_str=a%2Bb" -H "timestamp: 5" -H $'nonce: 7\t'"#,
            &no_files,
        )
        .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.header("nonce"), Some("7"));
        assert_eq!(r.query_param("check_str").as_deref(), Some("a+b"));
    }

    #[test]
    fn errors() {
        assert!(parse("curl -H", &no_files).is_err());
        assert!(parse("curl 'unclosed", &no_files).is_err());
        assert!(
            parse("curl -s", &no_files)
                .unwrap_err()
                .to_string()
                .contains("no URL")
        );
    }
}
