//! A remembered request as a command to paste: cURL (what `verify --curl` and browsers' "Copy
//! as cURL" read back) and `cbkit verify … --explain --curl …`. Secrets never appear in them:
//! the request carries none, and `cbkit verify` takes its own from flags or CBKIT_* variables.

use crate::http::HttpRequest;
use crate::protocol::VendorId;

/// `curl -X POST 'URL' -H 'k: v' --data-raw 'body'`, each word quoted for a POSIX shell. A body
/// that is not UTF-8 cannot travel in an argument: it is left out and the command says so.
pub fn curl(base_url: &str, req: &HttpRequest) -> String {
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

/// `cbkit verify VENDOR --explain --curl '…'`: the same steps the page shows, in a terminal.
pub fn verify(vendor: VendorId, base_url: &str, req: &HttpRequest) -> String {
    format!(
        "cbkit verify {} --explain --curl {}",
        vendor.name(),
        quote(&curl(base_url, req))
    )
}

/// One shell word: single-quoted, a `'` inside written `'\''`.
pub fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_curl_command_reads_back_as_the_same_request() {
        let req = request(br#"{"encrypt":"a'b $HOME `x` \"q\"\n"}"#);
        let cmd = curl("http://127.0.0.1:8787/", &req);
        let back = crate::curl::parse(&cmd, &|_| panic!("no file")).unwrap();
        assert_eq!(back.method, "POST");
        assert_eq!(back.path, "/dingtalk");
        assert_eq!(back.query, req.query);
        assert_eq!(back.body, req.body);
        assert!(
            back.headers
                .iter()
                .any(|(k, v)| k == "Content-Type" && v == "application/json")
        );
    }

    #[test]
    fn the_verify_command_carries_the_curl_command_as_one_word() {
        let req = request(b"{}");
        let cmd = verify(VendorId::named("dingtalk"), "http://127.0.0.1:1", &req);
        let words = crate::curl::shell_words(&cmd).unwrap();
        assert_eq!(
            &words[..5],
            ["cbkit", "verify", "dingtalk", "--explain", "--curl"]
        );
        assert_eq!(words.len(), 6);
        assert_eq!(words[5], curl("http://127.0.0.1:1", &req));
    }

    #[test]
    fn a_binary_body_is_named_not_pasted() {
        let cmd = curl("http://h", &request(&[0xff, 0x00]));
        assert!(cmd.ends_with("--data-binary @FILE"), "{cmd}");
        assert!(!cmd.contains("--data-raw"));
    }
}
