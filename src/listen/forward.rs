//! `--forward-to`: relay a request to the user's app, hand its answer back to the sender, and
//! judge that answer as the vendor would. The server calls this without holding a CPU slot:
//! it is a wait on another process.

use crate::client::{self, Mode, SendError};
use crate::http::HttpRequest;
use crate::protocol::{Secrets, VendorId};

use super::receiver::Outcome;

/// Send the original request to the app at `url`, relay its answer and judge it as `vendor`
/// would; an app that cannot be reached is answered 502.
pub(super) fn relay(
    vendor: VendorId,
    http: &reqwest::blocking::Client,
    url: &str,
    req: &HttpRequest,
    secrets: &Secrets,
    out: &mut Outcome,
) {
    let vendor = vendor.vendor();
    let sent: &[u8] = out.opened.as_ref().map_or(&[], |o| &o.plaintext);
    let is_get = req.method.eq_ignore_ascii_case("GET");
    let kind = vendor.kind(is_get, sent);
    let deadline = vendor.deadline(kind, sent);
    match client::send(
        http,
        &client::forward_url(url, req),
        req,
        deadline,
        Mode::Relay,
    ) {
        Ok(reply) => {
            let judged = vendor.judge_warned(kind, sent, &reply, secrets);
            if let Ok(warnings) = &judged {
                out.notes.extend(
                    warnings
                        .iter()
                        .map(|w| format!("your app's answer: {w} (fix: {})", w.fix)),
                );
            }
            out.forward = Some(judged.map(drop).map_err(|r| r.reason));
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
            out.forward = Some(Err(why.clone()));
            out.fail(502, why);
        }
    }
}
