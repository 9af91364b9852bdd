//! A request as a cURL command, both ways: [`parse`] reads one copied as cURL (browser devtools
//! "Copy as cURL", logs, `verify --curl`) into an HttpRequest, and [`command`] writes one (the
//! inspector's "copy as cURL"), which `parse` reads back as the same request.
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

/// `curl -X POST 'URL' -H 'k: v' --data-raw 'body'`, each word quoted for a POSIX shell. A body
/// that is not UTF-8 cannot travel in an argument: it is left out and the command says so.
pub fn command(base_url: &str, req: &HttpRequest) -> String {
    let url = format!("{}{}", base_url.trim_end_matches('/'), req.target());
    let mut words = vec![
        "curl".to_string(),
        "-X".into(),
        quote(&req.method),
        quote(&url),
    ];
    for (k, v) in &req.headers {
        words.push("-H".into());
        words.push(quote(&format!("{k}: {v}")));
    }
    let mut tail = String::new();
    if !req.body.is_empty() {
        match std::str::from_utf8(&req.body) {
            Ok(text) => {
                words.push("--data-raw".into());
                words.push(quote(text));
            }
            Err(_) => tail = "  # the body is not UTF-8: send it with --data-binary @FILE".into(),
        }
    }
    words.join(" ") + &tail
}

/// One shell word, as [`shell_words`] reads it back: single-quoted, a `'` inside written `'\''`.
pub fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
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

    fn request(body: &[u8]) -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            path: "/dingtalk".into(),
            query: "signature=a%2Bb&timestamp=1&nonce=it's".into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_vec(),
        }
    }

    #[test]
    fn a_written_command_reads_back_as_the_same_request() {
        let req = request(br#"{"encrypt":"a'b $HOME `x` \"q\"\n"}"#);
        let cmd = command("http://127.0.0.1:8787/", &req);
        assert!(
            cmd.starts_with("curl -X 'POST' 'http://127.0.0.1:8787/dingtalk?"),
            "{cmd}"
        );
        assert_eq!(parse(&cmd, &no_files).unwrap(), req);
    }

    #[test]
    fn a_binary_body_is_named_not_pasted() {
        let cmd = command("http://h", &request(&[0xff, 0x00]));
        assert!(cmd.ends_with("--data-binary @FILE"), "{cmd}");
        assert!(!cmd.contains("--data-raw"));
    }

    #[test]
    fn a_quoted_word_is_one_word() {
        for word in ["", "a b", "it's", "'", "\\", "$x `y` \"z\"", "line\nbreak"] {
            assert_eq!(shell_words(&quote(word)).unwrap(), [word]);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 128, failure_persistence: None, ..Default::default()
        })]

        /// Any request with a text body (headers as a request carries them: trimmed values,
        /// no Host or Content-Length, which `parse` leaves out) survives the trip.
        #[test]
        fn any_text_request_survives_the_round_trip(
            method in "[A-Z]{1,8}",
            path in "/[^?]{0,20}",
            query in ".{0,30}",
            headers in proptest::collection::vec(
                ("[A-Za-z][A-Za-z0-9-]{0,15}", "\\PC{0,20}"), 0..4
            ),
            body in ".{0,40}",
        ) {
            let dropped = |k: &str| ["host", "content-length"].contains(&&*k.to_ascii_lowercase());
            let req = HttpRequest {
                method,
                path,
                query,
                headers: headers
                    .into_iter()
                    .filter(|(k, _)| !dropped(k))
                    .map(|(k, v)| (k, v.trim().to_string()))
                    .collect(),
                body: body.into_bytes(),
            };
            let back = parse(&command("http://127.0.0.1:1", &req), &no_files).unwrap();
            proptest::prop_assert_eq!(back, req);
        }
    }
}
