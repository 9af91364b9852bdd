//! Why a vendor refuses a receiver's reply, and what the receiver should change: the answer of
//! [`Vendor::judge`](super::Vendor::judge), and the checks every vendor's judge shares.

use std::fmt;

use crate::http::HttpReply;

/// A reply the vendor does not accept. The judge that finds the fault states its fix, so no
/// reader has to guess the fix back from the wording of the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// What is wrong with the reply, as the vendor sees it.
    pub reason: String,
    /// What to change in the receiver.
    pub fix: String,
}

impl Rejection {
    pub fn new(reason: impl Into<String>, fix: impl Into<String>) -> Self {
        Rejection {
            reason: reason.into(),
            fix: fix.into(),
        }
    }

    /// The same rejection with `more` added to its reason (what the vendor does next).
    pub fn and(mut self, more: &str) -> Self {
        self.reason.push_str("; ");
        self.reason.push_str(more);
        self
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// Something in a reply the vendor accepts that a receiver should still change: the vendor's
/// documents or its own SDKs do it another way, and a stricter proxy or a future check may not
/// let it pass. Judges report it beside an accepting verdict ([`Vendor::judge_warned`](super::Vendor::judge_warned)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What is unusual about the reply.
    pub reason: String,
    /// What to change in the receiver.
    pub fix: String,
}

impl Warning {
    pub fn new(reason: impl Into<String>, fix: impl Into<String>) -> Self {
        Warning {
            reason: reason.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// The fix for a plain-text reply that is not the exact text the vendor wants.
const FIX_EXACT_TEXT: &str = "return exactly the expected text, nothing around it";

/// The fix for a string a framework serialised as JSON (Flask `jsonify`, Express `res.json`).
const FIX_JSON_ENCODED: &str =
    "your framework JSON-encoded the string; send it as text/plain (not JSON-encoded)";

/// Compare a plain-text reply body with the exact text a vendor requires and name the usual
/// mistakes: trailing newline, quotes (a framework JSON-encoding a string), a BOM, JSON
/// wrapping, surrounding whitespace.
pub fn plain_reply_mismatch(expected: &[u8], got: &[u8]) -> Option<Rejection> {
    if got == expected {
        return None;
    }
    let shown = crate::render::escape_bytes(got, 80);
    let exp = crate::render::escape_bytes(expected, 80);
    let json_string = serde_json::from_slice::<String>(got).ok();
    let (mistake, fix) = if got.trim_ascii_start().starts_with(b"\"")
        && json_string.as_deref().map(str::as_bytes) == Some(expected)
    {
        ("a JSON-encoded string (quotes around it)", FIX_JSON_ENCODED)
    } else if got
        .strip_suffix(b"\n")
        .or_else(|| got.strip_suffix(b"\r\n"))
        == Some(expected)
    {
        (
            "trailing newline",
            "write the body without a newline (Go: w.Write([]byte(s)) not fmt.Fprintln; Python: return s, not print)",
        )
    } else if got.strip_prefix("\u{feff}".as_bytes()) == Some(expected) {
        (
            "UTF-8 byte-order mark (BOM) before the text",
            "write UTF-8 without a BOM",
        )
    } else if got.len() == expected.len() + 2
        && got.starts_with(b"\"")
        && got.ends_with(b"\"")
        && &got[1..got.len() - 1] == expected
    {
        ("wrapped in quotes", FIX_JSON_ENCODED)
    } else if got.trim_ascii() == expected {
        (
            "extra whitespace around the text",
            "trim the text you return",
        )
    } else if got.trim_ascii().starts_with(b"{")
        && String::from_utf8_lossy(got).contains(&*String::from_utf8_lossy(expected))
    {
        (
            "wrapped in JSON: the vendor wants the bare text",
            "return the bare text, not an object holding it",
        )
    } else if got.eq_ignore_ascii_case(expected) {
        ("differs in letter case", FIX_EXACT_TEXT)
    } else if got.is_empty() {
        ("empty body", FIX_EXACT_TEXT)
    } else {
        ("different text", FIX_EXACT_TEXT)
    };
    Some(Rejection::new(
        format!("body must be exactly `{exp}`, got `{shown}`: {mistake}"),
        fix,
    ))
}

/// `reply`'s body as JSON; otherwise the rejection whose reason `reason` words around the body
/// (quoted, at most 60 characters), with `fix`.
pub fn json_reply(
    reply: &HttpReply,
    reason: impl FnOnce(String) -> String,
    fix: &str,
) -> Result<serde_json::Value, Rejection> {
    serde_json::from_slice(&reply.body)
        .map_err(|_| Rejection::new(reason(crate::render::escape_bytes(&reply.body, 60)), fix))
}

/// A vendor's judgement of a receiver's reply: accepted, or why not and what fixes it.
pub type Judgement = Result<(), Rejection>;

/// The status-code part of judging a reply: vendors accept only 200, and never follow redirects.
pub fn require_200(reply: &HttpReply) -> Judgement {
    match reply.status {
        200 => Ok(()),
        300..=399 => Err(Rejection::new(
            format!(
                "HTTP {} redirect{}: vendors do not follow redirects; serve the callback URL directly",
                reply.status,
                reply
                    .header("Location")
                    .map(|l| format!(" to {l}"))
                    .unwrap_or_default()
            ),
            "serve the callback URL itself: check the trailing slash and http→https redirects",
        )),
        s @ 400..=499 => Err(Rejection::new(
            format!("HTTP {s}: the vendor accepts only 200"),
            "your handler rejected the request: check that it verifies with the same token and key as this probe",
        )),
        s @ 500..=599 => Err(Rejection::new(
            format!("HTTP {s}: the vendor accepts only 200"),
            "your handler failed on this request (the answer body shows its error); `-v` shows the exact request it could not handle",
        )),
        s => Err(Rejection::new(
            format!("HTTP {s}: the vendor accepts only 200"),
            "answer with status 200: the vendor treats every other status as a failed delivery",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_mistakes_are_named() {
        let exp = b"successfully received callback";
        assert!(plain_reply_mismatch(exp, exp).is_none());
        let m = |got: &[u8]| plain_reply_mismatch(exp, got).unwrap();
        assert!(
            m(b"successfully received callback\n")
                .reason
                .contains("trailing newline")
        );
        assert!(
            m(b"\"successfully received callback\"")
                .reason
                .contains("quotes")
        );
        assert!(
            m("\u{feff}successfully received callback".as_bytes())
                .reason
                .contains("BOM")
        );
        assert!(
            m(b"{\"msg\":\"successfully received callback\"}")
                .reason
                .contains("JSON")
        );
        assert!(m(b"ok").reason.contains("different"));
    }

    #[test]
    fn each_reply_mistake_has_its_own_fix() {
        let exp = b"successfully received callback";
        let fix = |got: &[u8]| plain_reply_mismatch(exp, got).unwrap().fix;
        for (got, wanted) in [
            (
                &b"successfully received callback\n"[..],
                "without a newline",
            ),
            (b"\"successfully received callback\"", "not JSON-encoded"),
            ("\u{feff}successfully received callback".as_bytes(), "BOM"),
            (b" successfully received callback ", "trim"),
            (b"{\"msg\":\"successfully received callback\"}", "bare text"),
        ] {
            assert!(fix(got).contains(wanted), "{wanted}");
        }
        // Flask's jsonify and Express's res.json: quotes and a newline.
        let r = plain_reply_mismatch(exp, b"\"successfully received callback\"\n").unwrap();
        assert!(r.reason.contains("JSON-encoded string"), "{}", r.reason);
        assert_eq!(r.fix, FIX_JSON_ENCODED);
        for got in [&b""[..], b"ok", b"SUCCESSFULLY RECEIVED CALLBACK"] {
            assert_eq!(fix(got), FIX_EXACT_TEXT);
        }
    }

    #[test]
    fn a_reply_that_is_not_json_is_quoted_in_the_reason() {
        let text = HttpReply::new(200, "text/plain", "ok");
        let r = json_reply(&text, |body| format!("got `{body}`"), "send JSON").unwrap_err();
        assert_eq!(
            (r.reason.as_str(), r.fix.as_str()),
            ("got `ok`", "send JSON")
        );
        let json = HttpReply::new(200, "application/json", "{\"a\":1}");
        assert_eq!(json_reply(&json, |b| b, "").unwrap()["a"], 1);
    }

    #[test]
    fn a_quoted_body_does_not_change_the_fix() {
        // The body's own words ("trailing newline", "redirect") are quoted in the reason; the
        // fix follows the mistake found, not the words.
        let r = plain_reply_mismatch(b"abc", b"a redirect with a trailing newline").unwrap();
        assert_eq!(r.fix, FIX_EXACT_TEXT);
    }

    #[test]
    fn every_status_but_200_is_refused_with_a_fix() {
        assert!(require_200(&HttpReply::new(200, "text/plain", "")).is_ok());
        for (status, fix) in [
            (204, "status 200"),
            (301, "trailing slash"),
            (302, "trailing slash"),
            (404, "rejected the request"),
            (500, "handler failed"),
            (503, "handler failed"),
        ] {
            let r = require_200(&HttpReply::new(status, "text/plain", "")).unwrap_err();
            assert!(
                r.reason.starts_with(&format!("HTTP {status}")),
                "{}",
                r.reason
            );
            assert!(r.fix.contains(fix), "{status}: {}", r.fix);
        }
    }

    // Pins found by mutation testing (scripts/mutants.sh).

    #[test]
    fn a_rejection_displays_as_its_reason() {
        let r = Rejection::new("body is wrong", "fix it").and("the vendor retries");
        assert_eq!(r.to_string(), "body is wrong; the vendor retries");
    }

    #[test]
    fn near_misses_that_are_not_the_named_mistakes() {
        let exp = b"success";
        let mistake = |got: &[u8]| plain_reply_mismatch(exp, got).unwrap().reason;
        // Same length as a quoted body, but only the closing quote: not "wrapped in quotes".
        assert!(mistake(b"Xsuccess\"").ends_with("different text"));
        // An object without the text, or the text inside other words: not "wrapped in JSON".
        assert!(mistake(b"{}").ends_with("different text"));
        assert!(mistake(b"was success").ends_with("different text"));
    }
}
