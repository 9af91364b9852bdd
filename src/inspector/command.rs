//! A remembered request as a `cbkit verify … --explain --curl …` command to paste, around the
//! cURL command [`crate::curl::command`] writes. Secrets never appear in it: the request carries
//! none, and `cbkit verify` takes its own from flags or CBKIT_* variables.

use crate::curl;
use crate::http::HttpRequest;
use crate::protocol::VendorId;

/// `cbkit verify VENDOR --explain --curl '…'`: the same steps the page shows, in a terminal.
pub fn verify(vendor: VendorId, base_url: &str, req: &HttpRequest) -> String {
    format!(
        "cbkit verify {} --explain --curl {}",
        vendor.name(),
        curl::quote(&curl::command(base_url, req))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verify_command_carries_the_curl_command_as_one_word() {
        let req = HttpRequest {
            method: "POST".into(),
            path: "/dingtalk".into(),
            query: "nonce=it's".into(),
            body: b"{}".to_vec(),
            ..HttpRequest::default()
        };
        let cmd = verify(VendorId::named("dingtalk"), "http://127.0.0.1:1", &req);
        let words = curl::shell_words(&cmd).unwrap();
        assert_eq!(
            &words[..5],
            ["cbkit", "verify", "dingtalk", "--explain", "--curl"]
        );
        assert_eq!(words.len(), 6);
        assert_eq!(words[5], curl::command("http://127.0.0.1:1", &req));
    }
}
