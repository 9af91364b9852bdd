//! What the vendors' unit tests share: building a request as received, asking why a reply is
//! rejected, and the facts every vendor states (its stamp, its bundled probe fixtures).

use super::{Kind, Now, Secrets, Vendor};
use crate::http::{HttpReply, HttpRequest};

/// A request as received: `method` to `/` with `query`, `headers` and `body`.
pub fn request(method: &str, query: &str, headers: &[(&str, &str)], body: &str) -> HttpRequest {
    HttpRequest {
        method: method.into(),
        path: "/".into(),
        query: query.into(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

/// Why `v` rejects `reply` to a delivery of `sent`; panics when `v` accepts it.
pub fn rejection(
    v: &(impl Vendor + ?Sized),
    kind: Kind,
    sent: &[u8],
    reply: &HttpReply,
    secrets: &Secrets,
) -> String {
    v.judge(kind, sent, reply, secrets)
        .expect_err("the reply should be rejected")
        .reason
}

/// `v` rejects each reply of `cases` to an event delivery of nothing, with a reason holding the
/// case's text and a fix.
pub fn assert_rejected_events(
    v: &(impl Vendor + ?Sized),
    cases: impl IntoIterator<Item = (HttpReply, &'static str)>,
    secrets: &Secrets,
) {
    for (reply, reason) in cases {
        let r = v.judge(Kind::Event, b"", &reply, secrets).unwrap_err();
        assert!(r.reason.contains(reason), "{reason}: {}", r.reason);
        assert!(!r.fix.is_empty(), "{reason}");
    }
}

/// `plaintext` sealed by `v` with `secrets`, stamped at `unix_ms`.
pub fn sealed_at(
    v: &(impl Vendor + ?Sized),
    plaintext: &[u8],
    kind: Kind,
    secrets: &Secrets,
    unix_ms: u64,
) -> HttpRequest {
    v.seal(plaintext, kind, secrets, &v.stamp(Now { unix_ms }))
        .unwrap()
}

/// `v` accepts `reply` to a delivery of `sent`; the rejection's reason otherwise.
pub fn assert_accepted(
    v: &(impl Vendor + ?Sized),
    kind: Kind,
    sent: &[u8],
    reply: &HttpReply,
    secrets: &Secrets,
) {
    if let Err(r) = v.judge(kind, sent, reply, secrets) {
        panic!("rejected: {}", r.reason);
    }
}

/// `v`'s stamp for `unix_ms`: `timestamp` in the vendor's unit and a nonce of `nonce_len`
/// characters.
pub fn assert_stamp(v: &dyn Vendor, unix_ms: u64, timestamp: &str, nonce_len: usize) {
    let stamp = v.stamp(Now { unix_ms });
    assert_eq!(stamp.timestamp, timestamp);
    assert_eq!(stamp.nonce.len(), nonce_len);
}

/// `v` names at least `at_least` probe fixtures, each bundled under `v`'s name.
pub fn assert_probe_fixtures_bundled(v: &dyn Vendor, at_least: usize) {
    let bundled = crate::fixture::bundled();
    assert!(v.probe_fixtures().len() >= at_least);
    for name in v.probe_fixtures() {
        let found = bundled
            .iter()
            .any(|f| f.name == *name && f.vendor == v.id());
        assert!(found, "{name}");
    }
}
