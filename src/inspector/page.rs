//! The page itself: HTML, JS and CSS embedded in the binary (no CDN, no external fonts), and
//! the headers every inspector answer carries. Request data never reaches the HTML: the page
//! fetches it as JSON and puts it in with `textContent` only.

pub type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

const INDEX: &str = include_str!("../../assets/inspector/index.html");
const APP_JS: &str = include_str!("../../assets/inspector/app.js");
const APP_CSS: &str = include_str!("../../assets/inspector/app.css");

/// No inline script or style, nothing from elsewhere, no framing, no form posts.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Where the index page carries the replay token (a `<meta>` the script reads).
const TOKEN_SLOT: &str = "{{CBKIT_TOKEN}}";

/// The index page with the replay token filled in.
pub fn index(token: &str) -> Response {
    let html = INDEX.replace(TOKEN_SLOT, token);
    with_headers(html.into_bytes(), 200, "text/html; charset=utf-8")
}

/// One of the embedded assets by name (404 for anything else).
pub fn asset(name: &str) -> Response {
    match name {
        "app.js" => with_headers(APP_JS.into(), 200, "text/javascript; charset=utf-8"),
        "app.css" => with_headers(APP_CSS.into(), 200, "text/css; charset=utf-8"),
        _ => text(404, "no such asset\n"),
    }
}

pub fn json(status: u16, value: &serde_json::Value) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    with_headers(body, status, "application/json")
}

pub fn text(status: u16, text: &str) -> Response {
    with_headers(text.into(), status, "text/plain; charset=utf-8")
}

/// A file to save (`Content-Disposition: attachment`), never shown as a page.
pub fn download(text: &str, filename: &str) -> Response {
    let mut r = with_headers(text.into(), 200, "application/json; charset=utf-8");
    // The name is built from a vendor name and an event type; quotes and controls are dropped.
    let safe: String = filename
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\')
        .collect();
    add(
        &mut r,
        "Content-Disposition",
        &format!("attachment; filename=\"{safe}\""),
    );
    r
}

pub fn redirect(to: &str) -> Response {
    let mut r = text(308, "");
    add(&mut r, "Location", to);
    r
}

/// Answer `rq`; a page that went away is not worth reporting.
pub fn respond(rq: tiny_http::Request, response: Response) {
    let _ = rq.respond(response);
}

/// The security headers of every inspector answer.
pub fn security_headers() -> [(&'static str, &'static str); 5] {
    [
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
        ("X-Frame-Options", "DENY"),
    ]
}

fn with_headers(body: Vec<u8>, status: u16, content_type: &str) -> Response {
    let mut r = tiny_http::Response::from_data(body).with_status_code(status);
    add(&mut r, "Content-Type", content_type);
    for (k, v) in security_headers() {
        add(&mut r, k, v);
    }
    r
}

fn add(r: &mut Response, name: &str, value: &str) {
    if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        r.add_header(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_no_inline_script_or_style_and_one_token_slot() {
        assert_eq!(INDEX.matches(TOKEN_SLOT).count(), 1);
        let lower = INDEX.to_ascii_lowercase();
        assert!(!lower.contains("<script>"), "inline script");
        assert!(!lower.contains("style="), "inline style");
        assert!(!lower.contains("<style"), "inline style");
        assert!(!lower.contains("http://") && !lower.contains("https://"));
        assert!(lower.contains(r#"<script src="app.js""#));
    }

    #[test]
    fn the_script_never_writes_html() {
        for banned in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!APP_JS.contains(banned), "app.js uses {banned}");
        }
    }
}
