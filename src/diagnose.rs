//! Why a verification failed: the vendor's algorithm as steps with their intermediate values,
//! then the known mistakes tried one by one until one reproduces the received signature.
//!
//! Each mistake is a small change to the inputs (or the algorithm) that people really make —
//! signing the URL-encoded check_str, a form decoder's `+` → space, concatenating without
//! sorting, HMAC instead of plain SHA-256, a re-serialised Feishu body — and a one-line fix.
//! What is particular to a signature scheme (its steps, its algorithm mistakes) lives with the
//! scheme in `protocol::scheme`; this module asks it, and names the mistakes any scheme shares.

use std::time::Duration;

use serde::Serialize;

use crate::crypto;
use crate::error::{Cause, Error};
use crate::http::{pct_decode, pct_encode};
use crate::protocol::{
    Callback, Check, CheckId, Inspection, Now, Role, Secrets, VendorId, inspect,
};
use crate::secret::mask;

pub use crate::protocol::scheme::{Mistake, MistakeId, Step};

/// The full explanation of one verification.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub algorithm: &'static str,
    pub steps: Vec<Step>,
    pub valid: bool,
    pub mistake: Option<Mistake>,
    /// What is left when no known mistake fits (or a summary when one does).
    pub conclusion: String,
    /// The signature the user's own code computed, compared with the correct one.
    pub computed: Option<Computed>,
}

/// The signature a receiver computed for the request, against the one it should have computed.
#[derive(Debug, Clone, Serialize)]
pub struct Computed {
    /// What the receiver computed.
    pub signature: String,
    /// The correct signature for the request.
    pub expected: String,
    pub matches: bool,
    /// The known mistake that reproduces the receiver's signature.
    pub mistake: Option<Mistake>,
}

/// Said when the request verifies and nothing tells what the user's code computed.
pub const VENDOR_SIGNATURE_CORRECT: &str = "the vendor's signature is correct; pass --computed <what your code computed> to find your code's mistake";

/// Explain the verification of `cb`. `window` is the timestamp freshness window in force
/// (`--max-skew`, else the vendor's); `show_secrets` prints the token/key instead of masking.
pub fn diagnose(
    vendor: VendorId,
    cb: &Callback,
    secrets: &Secrets,
    now: Now,
    window: Option<Duration>,
    show_secrets: bool,
) -> Diagnosis {
    let v = vendor.vendor();
    let inspection = inspect(v, cb, secrets, now, window, Role::Checker);
    explain_computed(vendor, cb, secrets, now, &inspection, show_secrets, None)
}

/// Explain an inspection already made of `cb` (what `verify` does with its own verdict) and, given `computed` — the signature the user's receiver
/// computed for it — show the correct signature beside it and name the mistake that reproduces
/// the user's. The request itself may then carry no signature.
pub fn explain_computed(
    vendor: VendorId,
    cb: &Callback,
    secrets: &Secrets,
    now: Now,
    inspection: &Inspection,
    show_secrets: bool,
    computed: Option<&str>,
) -> Diagnosis {
    let scheme = vendor.vendor().scheme();
    let hide = |s: &str| if show_secrets { s.to_string() } else { mask(s) };
    let algorithm = scheme.algorithm();
    let mut steps = Vec::new();

    // 1. The signature, step by step.
    let only_signature_missing =
        |e: &Error| computed.is_some() && e.is_missing() && e.field() == "signature";
    if let Some(e) = inspection
        .unverified
        .as_ref()
        .filter(|e| !only_signature_missing(e))
    {
        steps.push(Step::new("inputs", Some(false), e.to_string()));
        return Diagnosis {
            algorithm,
            steps,
            valid: false,
            mistake: cause_mistake(e),
            conclusion: format!("cannot verify: {e}"),
            computed: None,
        };
    }
    steps.extend(scheme.steps(cb, secrets, &hide));
    steps.extend(inspection.request.iter().map(check_step));
    if inspection.check(CheckId::Timestamp).is_none() {
        steps.extend(age_step(cb, now));
    }

    // 2. The body: key, decryption, layout, receiver id / token.
    if cb.payload.is_some() || !cb.body.is_empty() {
        steps.extend(scheme.key_step(secrets));
        match &inspection.opened {
            Ok(opened) => {
                steps.push(opened_step(opened));
                let note = vendor.vendor().plaintext_note(&opened.plaintext);
                steps.extend(note.map(|n| Step::info("plaintext", n)));
                steps.extend(inspection.body.iter().map(check_step));
            }
            Err(e) if e.is_missing() => {}
            Err(e) => steps.push(Step::new("decrypt", Some(false), e.to_string())),
        }
    }

    let failed_check = inspection.request.iter().find(|c| !c.ok);
    let body_failure = inspection.body.iter().find(|c| !c.ok);
    let valid = failed_check.is_none() && body_failure.is_none();
    let vendor_sig = inspection.check(CheckId::Signature).map(|c| c.ok);
    let mut d = if valid {
        Diagnosis {
            algorithm,
            steps,
            valid,
            mistake: None,
            conclusion: if vendor_sig == Some(true) {
                VENDOR_SIGNATURE_CORRECT.into()
            } else {
                "valid: every step checks out. If your receiver rejects this request, compare its intermediate values with the ones above.".into()
            },
            computed: None,
        }
    } else {
        let (mistake, conclusion) = name_request_mistake(
            vendor,
            cb,
            secrets,
            inspection,
            failed_check.or(body_failure),
        );
        Diagnosis {
            algorithm,
            steps,
            valid,
            mistake,
            conclusion,
            computed: None,
        }
    };
    if let Some(got) = computed {
        compare_computed(&mut d, vendor, cb, secrets, got);
    }
    d
}

/// 3. Name the mistake behind a request that does not verify, and the conclusion to print.
fn name_request_mistake(
    vendor: VendorId,
    cb: &Callback,
    secrets: &Secrets,
    inspection: &Inspection,
    first_failure: Option<&Check>,
) -> (Option<Mistake>, String) {
    // A wrong signature is the headline: name its cause first, then any other failed check.
    let sig_failed = inspection.check(CheckId::Signature).is_some_and(|c| !c.ok);
    let mistake = if sig_failed {
        cb.signature
            .as_deref()
            .and_then(|got| find_signature_mistake(vendor, cb, secrets, got))
    } else {
        let open_error = inspection.opened.as_ref().err();
        let body_failure = inspection.body.iter().find(|c| !c.ok);
        inspection
            .request
            .iter()
            .filter(|c| !c.ok)
            .chain(body_failure)
            .find_map(|c| check_mistake(c, open_error))
    };
    let conclusion = match (&mistake, sig_failed) {
        (Some(m), _) => format!("{} — fix: {}", m.what, m.fix),
        (None, true) => "no known mistake reproduces this signature: the token (or Encrypt Key) is not the one the sender used — copy it again from the vendor console for this app — or the signed bytes changed in transit (a proxy or framework re-encoding the query or body)".into(),
        (None, false) => first_failure.map(|c| c.note.clone()).unwrap_or_default(),
    };
    (mistake, conclusion)
}

/// Set the user's `got` beside the correct signature; when the request itself verifies, the
/// user's mistake becomes the headline (else the request's own failure stays first).
fn compare_computed(
    d: &mut Diagnosis,
    vendor: VendorId,
    cb: &Callback,
    secrets: &Secrets,
    got: &str,
) {
    let Ok(expected) = vendor.vendor().sign(cb, secrets) else {
        return;
    };
    let matches = crypto::ct_eq(expected.as_bytes(), got.as_bytes());
    let mistake = (!matches)
        .then(|| find_signature_mistake(vendor, cb, secrets, got))
        .flatten();
    d.steps.push(Step::info("correct", expected.clone()));
    d.steps.push(Step::new(
        "computed",
        Some(matches),
        format!("{got} (your code)"),
    ));
    if d.valid {
        d.conclusion = match (&mistake, matches) {
            (_, true) => "your code computes the correct signature: if it still rejects the request, look at how it reads the received signature and compares the two".into(),
            (Some(m), false) => format!("your code: {} — fix: {}", m.what, m.fix),
            (None, false) => "no known mistake reproduces your code's signature: compare its inputs with the steps above (the token's length, the exact payload bytes, the order)".into(),
        };
        if d.mistake.is_none() {
            d.mistake = mistake.clone();
        }
    }
    d.computed = Some(Computed {
        signature: got.to_string(),
        expected,
        matches,
        mistake,
    });
}

fn check_step(c: &Check) -> Step {
    let detail = if c.ok {
        if c.note.is_empty() {
            c.got.clone()
        } else {
            format!("{} ({})", c.got, c.note)
        }
    } else {
        format!(
            "{}: expected {}, got {}",
            c.note,
            c.expected,
            if c.got.is_empty() {
                "(nothing)"
            } else {
                &c.got
            }
        )
    };
    Step::new(c.name.as_str(), Some(c.ok), detail)
}

/// What opening the body gave: the decrypted frame's layout, or the decoded length.
fn opened_step(opened: &crate::protocol::Opened) -> Step {
    let n = opened.plaintext.len();
    if !opened.decrypted {
        return Step::new("decode", Some(true), format!("{n} B of plaintext"));
    }
    let layout = match &opened.receiver_id {
        Some(id) => {
            format!("random 16 B ‖ length {n} ‖ message {n} B ‖ receiver id `{id}`")
        }
        None => format!("{n} B of plaintext after PKCS#7 unpadding"),
    };
    Step::new("decrypt", Some(true), layout)
}

/// The timestamp's age, for information when no freshness window is checked.
fn age_step(cb: &Callback, now: Now) -> Option<Step> {
    let ts = cb.request_time.as_deref().or(cb.timestamp.as_deref())?;
    let Ok(n) = ts.parse::<u64>() else {
        return Some(Step::new(
            "timestamp",
            Some(false),
            format!("`{ts}` is not a number"),
        ));
    };
    let ms = if n > 100_000_000_000 { n } else { n * 1000 };
    let unit = if n > 100_000_000_000 { "ms" } else { "s" };
    cb.request_time.is_none().then(|| {
        Step::info(
            "timestamp",
            format!(
                "{ts} ({unit}), {} (no freshness window checked)",
                relative(ms, now.unix_ms)
            ),
        )
    })
}

/// When `at_ms` is, seen from `now_ms`: "16 s ago", "in 60 s", or "now".
pub fn relative(at_ms: u64, now_ms: u64) -> String {
    let secs = at_ms.abs_diff(now_ms) / 1000;
    match (secs, at_ms < now_ms) {
        (0, _) => "now".into(),
        (s, true) => format!("{s} s ago"),
        (s, false) => format!("in {s} s"),
    }
}

/// The mistake behind a key or a body that cannot be used.
fn cause_mistake(e: &Error) -> Option<Mistake> {
    match e.cause()? {
        Cause::KeyStrayEquals => Some(Mistake::new(
            MistakeId::AesKeyStrayEquals,
            "the EncodingAESKey has a stray '=' (44 characters)",
            "use the 43 characters from the console; the '=' is added by the decoder",
        )),
        Cause::KeyLength => Some(Mistake::new(
            MistakeId::AesKeyLength,
            format!("the EncodingAESKey has the wrong length: {e}"),
            "copy the whole 43-character EncodingAESKey from the console",
        )),
        Cause::BadPadding => Some(Mistake::new(
            MistakeId::AesKeyOtherApp,
            "the AES key does not decrypt this body (the padding check fails): it is another app's EncodingAESKey, or the ciphertext was altered",
            "copy the EncodingAESKey of the app that sends this callback",
        )),
        Cause::KeyEncoding | Cause::Base64 | Cause::CipherLength | Cause::BadFrame => None,
    }
}

/// A mistake named by a failed non-signature check; `open_error` is why the body did not open.
fn check_mistake(c: &Check, open_error: Option<&Error>) -> Option<Mistake> {
    match c.name {
        CheckId::ReceiverId => Some(Mistake::new(
            MistakeId::WrongReceiverId,
            format!(
                "wrong receiver id: the ciphertext is for `{}`, you configured `{}`",
                c.got, c.expected
            ),
            format!(
                "configure `{}` (DingTalk: corpId for the old API, appKey for event subscriptions, suiteKey for ISV suites; WeCom: corpid or suite_id — never the agent id)",
                c.got
            ),
        )),
        CheckId::Decrypted => open_error.and_then(cause_mistake),
        CheckId::Timestamp => Some(Mistake::new(
            MistakeId::StaleTimestamp,
            c.note.clone(),
            "check the sender's clock and the timestamp's unit, or widen --max-skew",
        )),
        CheckId::RequestTime => Some(Mistake::new(
            MistakeId::StaleRequestTime,
            c.note.clone(),
            "Tencent IM's RequestTime is Unix seconds and must be within 60 s of now: check the sender's clock and unit",
        )),
        CheckId::SdkAppId => Some(Mistake::new(
            MistakeId::WrongSdkAppId,
            format!("SdkAppid {} is not yours ({})", c.got, c.expected),
            "check --sdk-app-id, or the callback URL configured in that app's console",
        )),
        CheckId::Token => Some(Mistake::new(
            MistakeId::WrongVerificationToken,
            "the Verification Token in the body differs from yours",
            "copy the Verification Token of the app that sends this event",
        )),
        CheckId::Signature | CheckId::Replay => None,
    }
}

/// Try the known ways of computing a wrong signature; return the first that reproduces `got`:
/// the mistakes any scheme shares (letter case, the signed payload, the timestamp's unit), then
/// the scheme's own.
pub fn find_signature_mistake(
    vendor: VendorId,
    cb: &Callback,
    secrets: &Secrets,
    got: &str,
) -> Option<Mistake> {
    let v = vendor.vendor();
    let expected = v.sign(cb, secrets).ok()?;
    if expected.eq_ignore_ascii_case(got) && expected != got {
        return Some(Mistake::new(
            MistakeId::UppercaseHex,
            "the signature is upper-case hex",
            "the vendor sends lower-case hex: compare case-sensitively against lower-case, or lower-case your digest",
        ));
    }
    let matches =
        |sig: Option<String>| sig.is_some_and(|s| crypto::ct_eq(s.as_bytes(), got.as_bytes()));
    let with_payload = |value: String| -> Option<String> {
        let mut c = cb.clone();
        c.payload.as_mut()?.value = value;
        v.sign(&c, secrets).ok()
    };
    let with_ts = |ts: String| -> Option<String> {
        let mut c = cb.clone();
        if c.request_time.is_some() {
            c.request_time = Some(ts);
        } else {
            c.timestamp = Some(ts);
        }
        v.sign(&c, secrets).ok()
    };

    // Payload transformations (the string that is signed).
    if let Some(p) = &cb.payload {
        let field = p.field;
        let value = &p.value;
        let candidates: Vec<(Mistake, String)> = vec![
            (
                Mistake::new(
                    MistakeId::SignedUrlEncoded,
                    format!("{field} was signed URL-encoded instead of decoded"),
                    format!("percent-decode {field} before signing (`%2B` → `+`, `%3D` → `=`)"),
                ),
                pct_encode(value),
            ),
            (
                Mistake::new(
                    MistakeId::SignedUrlDecoded,
                    format!(
                        "{field} was signed decoded, but the signature covers the value as received"
                    ),
                    format!("sign {field} exactly as received, without decoding it"),
                ),
                pct_decode(value),
            ),
            (
                Mistake::new(
                    MistakeId::PlusBecameSpace,
                    format!("a `+` in {field} turned into a space (form decoding)"),
                    format!(
                        "read {field} from the raw query with percent-decoding only; or turn spaces back into `+`"
                    ),
                ),
                value.replace('+', " "),
            ),
            (
                Mistake::new(
                    MistakeId::SpaceShouldBePlus,
                    format!(
                        "{field} as received has spaces where the sender signed `+` (your framework form-decoded the query)"
                    ),
                    "read the raw query string and percent-decode it yourself (a literal `+` stays `+`)",
                ),
                value.replace(' ', "+"),
            ),
            (
                Mistake::new(
                    MistakeId::PaddingAdded,
                    format!("`=` padding was added to {field} before signing"),
                    format!(
                        "sign {field} byte for byte as received; decode with a padding-tolerant decoder instead"
                    ),
                ),
                pad_base64(value),
            ),
            (
                Mistake::new(
                    MistakeId::PaddingStripped,
                    format!("`=` padding was stripped from {field} before signing"),
                    format!("sign {field} byte for byte as received, padding included"),
                ),
                value.trim_end_matches('=').to_string(),
            ),
        ];
        for (m, candidate) in candidates {
            if &candidate != value && matches(with_payload(candidate)) {
                return Some(m);
            }
        }
        // The decoded (or decrypted) plaintext signed instead of the base64 string.
        if let Ok(opened) = v.open(cb, secrets)
            && let Ok(text) = opened.text()
            && matches(with_payload(text.to_string()))
        {
            return Some(Mistake::new(
                MistakeId::SignedDecodedPlaintext,
                format!("the decoded JSON was signed instead of the {field} string"),
                format!("sign the {field} string as received (base64), before decoding it"),
            ));
        }
    }

    // Timestamp unit.
    if let Some(ts) = cb.request_time.as_deref().or(cb.timestamp.as_deref())
        && let Ok(n) = ts.parse::<u64>()
    {
        let (alt, what) = if ts.len() >= 13 {
            (
                (n / 1000).to_string(),
                "the timestamp was signed in seconds, but the request carries milliseconds",
            )
        } else {
            (
                (n * 1000).to_string(),
                "the timestamp was signed in milliseconds, but the request carries seconds",
            )
        };
        if matches(with_ts(alt)) {
            return Some(Mistake::new(
                MistakeId::TimestampUnit,
                what,
                "sign the timestamp exactly as it travels in the request",
            ));
        }
    }

    // The scheme's own algorithm mistakes.
    v.scheme().near_miss(cb, secrets, got)
}

fn pad_base64(s: &str) -> String {
    let t = s.trim_end_matches('=');
    let pad = (4 - t.len() % 4) % 4;
    format!("{t}{}", "=".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Payload;

    const TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
    const TS: &str = "1609239040864";
    const NONCE: &str = "14964161";

    /// A Tencent Meeting handshake carrying check_str `value`, and its secrets.
    fn wemeet_cb(value: &str) -> (Callback, Secrets) {
        let s = Secrets::new(TOKEN, None);
        let cb = Callback {
            timestamp: Some(TS.into()),
            nonce: Some(NONCE.into()),
            payload: Some(Payload {
                field: "check_str",
                value: value.into(),
            }),
            is_get: true,
            ..Callback::default()
        };
        (cb, s)
    }

    /// The handshake of check_str `YWJj`, signed by `hash` over `token`, timestamp, nonce and
    /// check_str in that order.
    fn signed_by(hash: fn(&[&str]) -> String, token: &str) -> (Callback, Secrets) {
        let (mut cb, s) = wemeet_cb("YWJj");
        cb.signature = Some(hash(&[token, TS, NONCE, "YWJj"]));
        (cb, s)
    }

    /// `diagnose` of a Tencent Meeting callback at `unix_ms`, secrets hidden.
    fn diagnosed(cb: &Callback, s: &Secrets, unix_ms: u64) -> Diagnosis {
        diagnose(
            VendorId::named("wemeet"),
            cb,
            s,
            Now { unix_ms },
            None,
            false,
        )
    }

    #[test]
    fn relative_times_read_ago_and_in() {
        assert_eq!(relative(1_000, 17_000), "16 s ago");
        assert_eq!(relative(61_000, 1_000), "in 60 s");
        assert_eq!(relative(5_400, 5_000), "now");
        assert_eq!(relative(0, 999), "now");
    }

    #[test]
    fn url_encoded_check_str_is_named() {
        let (mut cb, s) = wemeet_cb("YWJj+ZA==");
        let mut wrong = cb.clone();
        wrong.payload.as_mut().unwrap().value = pct_encode("YWJj+ZA==");
        cb.signature = Some(VendorId::named("wemeet").vendor().sign(&wrong, &s).unwrap());
        let d = diagnosed(&cb, &s, 1609239040864);
        assert!(!d.valid);
        assert_eq!(d.mistake.unwrap().id, "signed_url_encoded");
        assert!(!format!("{:?}", d.steps).contains(TOKEN), "token leaked");
    }

    #[test]
    fn fixed_order_is_named() {
        let (cb, s) = signed_by(crypto::sha1_concat, TOKEN);
        let m = diagnosed(&cb, &s, 0).mistake.unwrap();
        assert_eq!(m.id, "fixed_order");
        assert!(
            m.what.contains("token + timestamp + nonce + check_str"),
            "{}",
            m.what
        );
    }

    #[test]
    fn a_failing_request_stays_the_headline_beside_a_computed_signature() {
        let (cb, s) = signed_by(crypto::sorted_sha1, "other");
        let v = VendorId::named("wemeet").vendor();
        let now = Now { unix_ms: 0 };
        let inspection = inspect(v, &cb, &s, now, None, Role::Checker);
        let users = crypto::sorted_sha1(&["", TS, NONCE, "YWJj"]);
        let d = explain_computed(
            VendorId::named("wemeet"),
            &cb,
            &s,
            now,
            &inspection,
            false,
            Some(&users),
        );
        assert!(!d.valid);
        assert!(d.mistake.is_none());
        assert!(
            d.conclusion
                .contains("no known mistake reproduces this signature")
        );
        let c = d.computed.unwrap();
        assert!(!c.matches);
        assert_eq!(c.mistake.unwrap().id, "empty_token");
    }

    #[test]
    fn wrong_token_leaves_no_mistake() {
        let (cb, s) = signed_by(crypto::sorted_sha1, "other");
        let d = diagnosed(&cb, &s, 0);
        assert!(d.mistake.is_none());
        assert!(
            d.conclusion
                .contains("no known mistake reproduces this signature")
        );
    }
}
