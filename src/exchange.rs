//! One request sent and what came back, shown like `curl -v` (`-v` on `probe` and `replay`).

use crate::http::{HttpReply, HttpRequest};

/// How much of a body `-v` shows.
const SHOWN_BODY: usize = 8 * 1024;

/// A request as it went out (to `url`, the receiver's URL with the vendor's query) and its
/// answer, or why none came.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    pub url: &'a str,
    pub request: &'a HttpRequest,
    pub reply: &'a Result<HttpReply, String>,
}

impl Exchange<'_> {
    /// `> ` request line, headers and body, then `< ` status, headers and body, as `curl -v`
    /// and `xh -v` print them; `redact` hides secret values (a Feishu plaintext body carries
    /// the Verification Token) and control characters are escaped.
    pub fn render(&self, redact: &dyn Fn(&str) -> String) -> String {
        let (host, target) = split_url(self.url);
        let mut out = format!(
            "> {} {target} HTTP/1.1\n> Host: {host}\n",
            self.request.method
        );
        for (k, v) in &self.request.headers {
            out.push_str(&format!("> {k}: {v}\n"));
        }
        out.push_str(">\n");
        push_body(&mut out, &self.request.body);
        match self.reply {
            Ok(reply) => {
                out.push_str(&format!("< HTTP/1.1 {}\n", reply.status));
                for (k, v) in &reply.headers {
                    out.push_str(&format!("< {k}: {v}\n"));
                }
                out.push_str("<\n");
                push_body(&mut out, &reply.body);
            }
            Err(reason) => out.push_str(&format!("* {reason}\n")),
        }
        crate::render::sanitize_multiline(&redact(&out))
    }
}

fn push_body(out: &mut String, body: &[u8]) {
    if body.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(body);
    let cut: String = text.chars().take(SHOWN_BODY).collect();
    out.push_str(&cut);
    if cut.len() < text.len() {
        out.push_str(&format!("… ({} bytes in all)", body.len()));
    }
    out.push('\n');
}

/// `host[:port]` and the request target (path and query), from a full URL: `/` when the URL
/// has no path, before its query too (`http://h?a=1` is requested as `/?a=1`).
fn split_url(url: &str) -> (&str, String) {
    let (_, host, target) = crate::http::split_url(url);
    let (path, query) = crate::http::split_target(target);
    (host, crate::http::join_target(&path, &query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_curl_verbose_with_secrets_hidden() {
        let req = HttpRequest {
            method: "POST".into(),
            path: "/".into(),
            query: String::new(),
            headers: vec![("nonce".into(), "abc".into())],
            body: b"{\"token\":\"sekret\"}".to_vec(),
        };
        let reply = Ok(HttpReply::new(403, "text/plain", "bad\u{1b}[31m"));
        let x = Exchange {
            url: "http://127.0.0.1:9/cb?a=1",
            request: &req,
            reply: &reply,
        };
        let text = x.render(&|t: &str| t.replace("sekret", "***"));
        assert!(text.starts_with("> POST /cb?a=1 HTTP/1.1\n> Host: 127.0.0.1:9\n> nonce: abc\n>\n{\"token\":\"***\"}\n< HTTP/1.1 403\n"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        let none = Err("connection refused: nothing listens".to_string());
        let x = Exchange {
            url: "http://h",
            request: &req,
            reply: &none,
        };
        assert!(
            x.render(&|t: &str| t.to_string())
                .contains("> POST / HTTP/1.1\n> Host: h\n")
        );
        assert!(
            x.render(&|t: &str| t.to_string())
                .contains("* connection refused")
        );
    }

    #[test]
    fn a_url_without_a_path_is_requested_at_the_root() {
        assert_eq!(split_url("http://h:1?a=1"), ("h:1", "/?a=1".to_string()));
        assert_eq!(split_url("https://h/p?a=1"), ("h", "/p?a=1".to_string()));
        assert_eq!(split_url("h"), ("h", "/".to_string()));
        assert_eq!(split_url("http://h/p#f"), ("h", "/p".to_string()));
        assert_eq!(split_url("http://h:1#f"), ("h:1", "/".to_string()));
    }

    #[test]
    fn a_long_body_is_cut_and_its_size_said() {
        let shown = |len: usize| {
            let mut out = String::new();
            push_body(&mut out, "x".repeat(len).as_bytes());
            out
        };
        assert_eq!(shown(2000), format!("{}\n", "x".repeat(2000)));
        assert_eq!(shown(SHOWN_BODY), format!("{}\n", "x".repeat(SHOWN_BODY)));
        assert_eq!(
            shown(SHOWN_BODY + 1),
            format!(
                "{}… ({} bytes in all)\n",
                "x".repeat(SHOWN_BODY),
                SHOWN_BODY + 1
            )
        );
        assert_eq!(shown(0), "");
    }
}
