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
                    Some(path) if w != "--data-raw" => {
                        let mut file = read_file(path)?;
                        // curl strips a -d file's line breaks; --data-binary and --json keep them.
                        if matches!(w.as_str(), "-d" | "--data" | "--data-ascii") {
                            file.retain(|b| !matches!(b, b'\r' | b'\n'));
                        }
                        file
                    }
                    _ => d.into_bytes(),
                };
                if w == "--json" {
                    headers.push(("Content-Type".into(), "application/json".into()));
                }
                append_data(&mut body, bytes);
            }
            "--data-urlencode" => {
                let d = value(&w)?;
                append_data(&mut body, url_encoded(&d, read_file)?.into_bytes());
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
    let (_, _, target) = crate::http::split_url(&url);
    let (path, mut query) = crate::http::split_target(target);
    // With -G curl sends the data in the query string, after any query the URL has.
    if get && let Some(data) = body.take() {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&String::from_utf8_lossy(&data));
    }
    let method = method.unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_string());
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

/// Several data options make one body, joined with `&` as curl joins them.
fn append_data(body: &mut Option<Vec<u8>>, bytes: Vec<u8>) {
    match body {
        Some(b) => {
            b.push(b'&');
            b.extend(bytes);
        }
        None => *body = Some(bytes),
    }
}

/// One `--data-urlencode` value as curl sends it: `content`, `=content`, `name=content`,
/// `@file` or `name@file`, the content (or the file's) percent-encoded and the name not. An
/// `=` anywhere decides; `@` counts only when there is none.
fn url_encoded(arg: &str, read_file: &dyn Fn(&str) -> Result<Vec<u8>>) -> Result<String> {
    let (name, content) = match arg.find('=').or_else(|| arg.find('@')) {
        Some(i) if arg.as_bytes()[i] == b'@' => (&arg[..i], read_file(&arg[i + 1..])?),
        Some(i) => (&arg[..i], arg.as_bytes()[i + 1..].to_vec()),
        None => ("", arg.as_bytes().to_vec()),
    };
    let encoded = crate::http::pct_encode_bytes(&content);
    Ok(if name.is_empty() {
        encoded
    } else {
        format!("{name}={encoded}")
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

    fn files(path: &str) -> Result<Vec<u8>> {
        match path {
            "body.json" => Ok(b"{\"a\": 1}".to_vec()),
            "lines.json" => Ok(b"{\"a\":\r\n 1}\n".to_vec()),
            "check.txt" => Ok(b"aGVsbG8+d29ybGQ/IQ==".to_vec()),
            _ => no_files(path),
        }
    }

    #[test]
    fn a_request_without_data_or_method_is_a_get() {
        let r = parse("curl http://h/cb", &no_files).unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/cb"));
        assert!(r.body.is_empty());
    }

    /// curl sends neither the URL's fragment nor its scheme and host; a URL without a scheme
    /// is a host, even with a URL in its query.
    #[test]
    fn the_target_is_what_curl_sends() {
        for (cmd, path, query) in [
            ("curl 'http://h/cb?a=1#frag'", "/cb", "a=1"),
            ("curl 'h:8080/cb?u=http://x/y'", "/cb", "u=http://x/y"),
            ("curl https://h", "/", ""),
            ("curl 'http://h?a=1'", "/", "a=1"),
        ] {
            let r = parse(cmd, &no_files).unwrap();
            assert_eq!((r.path.as_str(), r.query.as_str()), (path, query), "{cmd}");
        }
    }

    /// Tencent Meeting's URL verification is a GET: people write it with -G and
    /// --data-urlencode, which curl turns into the query string.
    #[test]
    fn get_puts_the_data_in_the_query() {
        let r = parse(
            "curl -G http://h/wemeet?x=1 --data-urlencode check_str=aGVsbG8+d29ybGQ/IQ== -d n=2",
            &no_files,
        )
        .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.query, "x=1&check_str=aGVsbG8%2Bd29ybGQ%2FIQ%3D%3D&n=2");
        assert_eq!(
            r.query_param("check_str").as_deref(),
            Some("aGVsbG8+d29ybGQ/IQ==")
        );
        assert!(r.body.is_empty());
        let r = parse("curl --get --url http://h/ -d a=b", &no_files).unwrap();
        assert_eq!((r.path.as_str(), r.query.as_str()), ("/", "a=b"));
    }

    #[test]
    fn data_urlencode_takes_curl_s_five_forms() {
        let body = |arg: &str| {
            let cmd = format!("curl http://h/ --data-urlencode {}", quote(arg));
            String::from_utf8(parse(&cmd, &files).unwrap().body).unwrap()
        };
        assert_eq!(body("a b&c"), "a%20b%26c");
        assert_eq!(body("=a=b"), "a%3Db");
        assert_eq!(body("k=a b"), "k=a%20b");
        assert_eq!(body("@check.txt"), "aGVsbG8%2Bd29ybGQ%2FIQ%3D%3D");
        assert_eq!(body("s@check.txt"), "s=aGVsbG8%2Bd29ybGQ%2FIQ%3D%3D");
        assert_eq!(body("k=a@b"), "k=a%40b", "an = decides before an @");
        assert!(parse("curl http://h/ --data-urlencode @missing", &files).is_err());
    }

    #[test]
    fn data_options_join_with_ampersands_and_read_files() {
        let r = parse(
            "curl http://h/ -d a=1 --data-binary @body.json --data-raw @body.json",
            &files,
        )
        .unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(
            r.body, b"a=1&{\"a\": 1}&@body.json",
            "--data-raw takes @ literally"
        );
    }

    /// A Feishu signature covers the raw body: a file's trailing newline decides it.
    #[test]
    fn a_data_file_loses_its_line_breaks_unless_binary() {
        let body = |opt: &str| {
            let cmd = format!("curl http://h/ {opt} @lines.json");
            parse(&cmd, &files).unwrap().body
        };
        for opt in ["-d", "--data", "--data-ascii"] {
            assert_eq!(body(opt), b"{\"a\": 1}", "{opt}");
        }
        for opt in ["--data-binary", "--json"] {
            assert_eq!(body(opt), b"{\"a\":\r\n 1}\n", "{opt}");
        }
    }

    #[test]
    fn options_with_values_do_not_take_the_url_s_place() {
        let r = parse(
            "curl -u user:pw -A agent -m 5 -o out.txt -x proxy:1 -w '%{http_code}' -e r -b c=1 --connect-timeout 3 --user-agent a --max-time 9 http://h/cb",
            &no_files,
        )
        .unwrap();
        assert_eq!(r.path, "/cb");
    }

    #[test]
    fn host_and_content_length_are_left_to_the_sender() {
        let r = parse(
            "curl http://h/ -H 'Host: h' -H 'Content-Length: 9' -H 'X-A: 1' -d x",
            &no_files,
        )
        .unwrap();
        assert_eq!(r.headers, [("X-A".to_string(), "1".to_string())]);
    }

    #[test]
    fn a_dollar_without_a_quote_is_a_dollar() {
        assert_eq!(shell_words("a $b $'c'").unwrap(), ["a", "$b", "c"]);
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
        /// no Host or Content-Length, which `parse` leaves out) survives the trip. No `#` in
        /// the target: curl sends none (it starts the URL's fragment), so `parse` drops it.
        #[test]
        fn any_text_request_survives_the_round_trip(
            method in "[A-Z]{1,8}",
            path in "/[^?#]{0,20}",
            query in "[^#]{0,30}",
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
