//! `--forward-to`: relay a request to the user's app, hand its answer back to the sender, and
//! judge that answer as the vendor would. The server calls this without holding a CPU slot:
//! it is a wait on another process.

use std::time::Instant;

use crate::client::{self, Mode, SendError};
use crate::http::HttpRequest;
use crate::protocol::{Secrets, VendorId};

use super::ListenConfig;
use super::receiver::Outcome;
use super::recording::capture::{FORWARD_BODY_CAP, Forwarded};

/// Send the original request (with the configured header edits) to the app at `url`, relay
/// its answer and judge it as `vendor` would (an answer the vendor would reject fails the request's verdict); an app that cannot
/// be reached is answered 502.
pub(super) fn relay(
    vendor: VendorId,
    http: &reqwest::blocking::Client,
    url: &str,
    req: &HttpRequest,
    cfg: &ListenConfig,
    out: &mut Outcome,
) {
    let secrets = cfg.secrets.for_vendor(Some(vendor));
    let vendor = vendor.vendor();
    let sent: &[u8] = out.opened.as_ref().map_or(&[], |o| &o.plaintext);
    let is_get = req.method.eq_ignore_ascii_case("GET");
    let kind = vendor.kind(is_get, sent);
    let deadline = vendor.deadline(kind, sent);
    let started = Instant::now();
    let result = client::send(
        http,
        &client::forward_url(url, req),
        &client::with_headers(req, &cfg.forward_headers),
        deadline,
        Mode::Relay,
    );
    let latency_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1e3;
    match result {
        Ok(reply) => {
            let judged = vendor.judge_warned(kind, sent, &reply, secrets);
            if let Ok(warnings) = &judged {
                out.notes.extend(
                    warnings
                        .iter()
                        .map(|w| format!("your app's answer: {w} (fix: {})", w.fix)),
                );
            }
            let verdict = judged.map(drop).map_err(|r| r.reason);
            out.forwarded = Some(Forwarded {
                status: Some(reply.status),
                body: Some(capped(&reply.body, secrets)),
                latency_ms,
                accepted: verdict.is_ok(),
                reason: verdict.clone().err(),
            });
            out.forward = Some(verdict);
            out.reply = reply;
        }
        Err(e) => {
            let e = match e {
                SendError::BadMethod(_) => client::describe(&e, deadline),
                SendError::Transport(e) if e.is_timeout() => {
                    format!("no answer within the vendor's deadline of {deadline:?}")
                }
                SendError::Transport(e) => client::error_chain(&e),
            };
            let why = format!("cannot reach your app at {url}: {e}");
            out.forwarded = Some(Forwarded {
                status: None,
                body: None,
                latency_ms,
                accepted: false,
                reason: Some(why.clone()),
            });
            out.forward = Some(Err(why.clone()));
            out.fail(502, why);
        }
    }
}

/// The app's answer as text for the capture: at most [`FORWARD_BODY_CAP`] bytes (cut on a
/// character boundary), configured secrets masked.
fn capped(body: &[u8], secrets: &Secrets) -> String {
    // Masked before cutting, so a secret across the cut cannot leave a visible half.
    let text = secrets.redact(&String::from_utf8_lossy(body));
    let mut end = text.len().min(FORWARD_BODY_CAP);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = text[..end].to_string();
    if end < text.len() {
        out.push_str(&format!("… ({} bytes in all)", body.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn the_answer_is_capped_and_its_secrets_masked() {
        let secrets = Secrets {
            token: Some(Secret::new("tok-123456")),
            ..Secrets::default()
        };
        let shown = capped(b"bad token tok-123456", &secrets);
        assert!(!shown.contains("tok-123456"), "{shown}");
        let long = "界".repeat(1000);
        let shown = capped(long.as_bytes(), &secrets);
        assert!(shown.len() < FORWARD_BODY_CAP + 40, "{}", shown.len());
        assert!(shown.ends_with("(3000 bytes in all)"), "{shown}");
    }
}
