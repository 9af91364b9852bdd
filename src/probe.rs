//! `probe`: run a vendor's URL-verification handshake, then one sample event, against a live
//! endpoint, judge each answer by the vendor's rules, and say how to fix what fails.

use std::time::Duration;

use serde::Serialize;

use crate::fixture::{self, Vars};
use crate::protocol::{Kind, Now, VendorId};
use crate::replay::Sender;

/// One request of the probe and its verdict.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeStep {
    pub fixture: String,
    pub kind: Kind,
    pub method: String,
    pub ok: bool,
    pub status: Option<u16>,
    pub latency_ms: f64,
    pub deadline_ms: u64,
    pub reason: String,
    /// What to change in the receiver; empty when the step passed.
    pub fix: String,
}

/// The fixtures to send: the vendor's probe list, plus DingTalk's suite-creation handshake
/// when the receiver id is an ISV suite key.
pub fn plan(vendor: VendorId, receiver_id: Option<&str>) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = vendor.vendor().probe_fixtures().to_vec();
    if vendor == VendorId::Dingtalk && receiver_id.is_some_and(|r| r.starts_with("suite")) {
        names.insert(1, "dingtalk/check_create_suite_url");
    }
    names
}

/// Run the probe.
pub fn run(
    sender: &Sender,
    vendor: VendorId,
    timeout: Option<Duration>,
    now: impl Fn() -> Now,
) -> crate::Result<Vec<ProbeStep>> {
    let mut steps = Vec::new();
    for name in plan(vendor, sender.secrets.receiver_id.as_deref()) {
        let f = fixture::resolve(name)?.remove(0);
        let plaintext = f.render(
            &Vars {
                now: now(),
                secrets: sender.secrets.clone(),
                // The probe sends bundled fixtures, and they use no `{{env.NAME}}`.
                env: fixture::no_env,
            },
            &[],
        )?;
        let kind = f.kind(&plaintext);
        let v = vendor.vendor();
        // Build once up front so a missing secret is an input error, not a failed probe.
        v.seal(&plaintext, kind, sender.secrets, &v.stamp(now()))?;
        let deadline = timeout.unwrap_or_else(|| v.deadline(kind, &plaintext));
        let o = sender.attempt(vendor, &plaintext, kind, deadline, now());
        steps.push(ProbeStep {
            fixture: f.name.clone(),
            kind,
            method: f.method.clone(),
            ok: o.accepted,
            status: o.status,
            latency_ms: (o.latency.as_secs_f64() * 1e6).round() / 1e3,
            deadline_ms: deadline.as_millis() as u64,
            fix: if o.accepted {
                String::new()
            } else {
                fix_for(&o.reason).to_string()
            },
            reason: o.reason,
        });
    }
    Ok(steps)
}

/// The change that fixes a rejected answer, from the rejection's reason.
pub fn fix_for(reason: &str) -> &'static str {
    let r = reason.to_ascii_lowercase();
    let table: &[(&str, &str)] = &[
        (
            "trailing newline",
            "write the body without a newline (Go: w.Write([]byte(s)) not fmt.Fprintln; Python: return s, not print)",
        ),
        (
            "quotes",
            "return the text as text/plain, not JSON-encoded (a framework serialised the string)",
        ),
        ("byte-order mark", "write UTF-8 without a BOM"),
        (
            "wrapped in json",
            "return the bare text, not an object holding it",
        ),
        ("whitespace", "trim the text you return"),
        (
            "redirect",
            "serve the callback URL itself: check the trailing slash and http→https redirects",
        ),
        (
            "71009",
            "return the encrypted map: encrypt `success` with your token, EncodingAESKey and receiver id (cbkit encrypt dingtalk --reply)",
        ),
        (
            "msg_signature does not verify",
            "sign sorted(token, timeStamp, nonce, encrypt) with the token configured in the console",
        ),
        ("timestamp`, camel-case", "name the key `timeStamp`"),
        (
            "reply map lacks",
            "return exactly {\"msg_signature\",\"timeStamp\",\"nonce\",\"encrypt\"}",
        ),
        (
            "does not decrypt",
            "encrypt with the app's EncodingAESKey and receiver id",
        ),
        ("decrypts to", "encrypt the word `success`"),
        (
            "challenge",
            "decrypt the request if needed and return {\"challenge\":\"<same value>\"} as application/json",
        ),
        ("content-type", "send Content-Type: application/json"),
        (
            "actionstatus",
            "return {\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}",
        ),
        (
            "errorcode",
            "return {\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}",
        ),
        ("not json", "return JSON with Content-Type application/json"),
        (
            "deadline",
            "answer first and process the event asynchronously; the vendor gives up at its deadline",
        ),
        (
            "connection refused",
            "start the receiver, or check the URL's host and port",
        ),
        ("dns", "check the URL's host name"),
        (
            "tls",
            "use a certificate the vendor trusts (or --insecure to probe a self-signed one)",
        ),
        (
            "http 5",
            "your handler failed: check its logs (cbkit listen --forward-to shows the request it got)",
        ),
        (
            "http 4",
            "your handler rejected the request: check that it verifies with the same token and key as this probe",
        ),
        (
            "body must be exactly",
            "return exactly the expected text, nothing around it",
        ),
        ("empty body", "return the expected text"),
    ];
    table
        .iter()
        .find(|(needle, _)| r.contains(needle))
        .map(|(_, fix)| *fix)
        .unwrap_or("see the reason above")
}
