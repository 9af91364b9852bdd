//! The one verification pipeline: check a callback's signature (and the vendor's extras) and
//! its freshness, open its body, check what is inside. `verify`, `decode`, `--explain` and the
//! listener all read their verdicts from an [`Inspection`].

use std::time::Duration;

use super::{Callback, Check, CheckId, Freshness, Now, Opened, Secrets, Vendor};
use crate::error::{Error, Result};

/// Who is looking at the callback, which decides how a body that does not open counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A receiver answering it (the listener): it cannot answer without the plaintext, so a
    /// body that does not open is a failed `decrypted` check whatever the reason (a key not
    /// configured included), and a decryption that worked is a passed one.
    Receiver,
    /// Someone checking a callback they were given (`verify`, `decode`, `--explain`): what
    /// cannot be opened for want of a key or a field is left unopened, not failed.
    Checker,
}

/// What was found, in the order it was checked.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// Checks on the request: the signature and the vendor's extras (Tencent IM's SdkAppid and
    /// RequestTime), then the timestamp's freshness within the window.
    pub request: Vec<Check>,
    /// Why the signature was not checked. A missing secret or field (see
    /// [`Error::is_missing`]) means "not configured": the freshness check is made anyway. Any
    /// other error is an input that cannot be verified.
    pub unverified: Option<Error>,
    /// The decoded (and decrypted) body, or why it could not be opened.
    pub opened: Result<Opened>,
    /// Checks on the body: whether it opened (as [`Role`] says), then the receiver id
    /// (DingTalk, WeCom) or Verification Token (Feishu) inside it.
    pub body: Vec<Check>,
}

impl Inspection {
    /// Every check, request first, then body.
    pub fn checks(&self) -> impl Iterator<Item = &Check> {
        self.request.iter().chain(&self.body)
    }

    /// Whether at least one check was made and every check passed.
    pub fn valid(&self) -> bool {
        self.checks().next().is_some() && self.checks().all(|c| c.ok)
    }

    /// The check of this id, if it was made.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks().find(|c| c.name == id)
    }
}

/// Verify `cb` as `vendor` with `secrets` at `now`; `window` is the freshness window in force
/// (`SkewWindow::for_vendor`), None for no freshness check.
pub fn inspect(
    vendor: &dyn Vendor,
    cb: &Callback,
    secrets: &Secrets,
    now: Now,
    window: Option<Duration>,
    role: Role,
) -> Inspection {
    let at = Freshness { now, window };
    let (request, unverified) = match vendor.verify_within(cb, secrets, at) {
        Ok(checks) => (checks, None),
        Err(e) if e.is_missing() => (
            vendor.freshness_check(cb, at).into_iter().collect(),
            Some(e),
        ),
        Err(e) => (Vec::new(), Some(e)),
    };
    let opened = vendor.open(cb, secrets);
    let mut body = Vec::new();
    match (&opened, role) {
        (Ok(o), Role::Receiver) if o.decrypted => {
            body.push(Check::pass(
                CheckId::Decrypted,
                "AES-256-CBC",
                "AES-256-CBC",
            ));
        }
        (Ok(_), _) => {}
        (Err(e), Role::Receiver) => body.push(Check::fail(
            CheckId::Decrypted,
            "the body decodes",
            "",
            e.to_string(),
        )),
        (Err(e), Role::Checker) if e.is_missing() => {}
        (Err(e), Role::Checker) => body.push(Check::fail(
            CheckId::Decrypted,
            "the body decrypts",
            "",
            e.to_string(),
        )),
    }
    if let Ok(o) = &opened {
        body.extend(vendor.check_opened(o, secrets));
    }
    Inspection {
        request,
        unverified,
        opened,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::VendorId;
    use crate::secret::Secret;

    const KEY: &str = "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7";

    /// DingTalk, a callback it sealed with the test secrets, and the secrets.
    fn dingtalk_sealed() -> (&'static dyn Vendor, Callback, Secrets) {
        let s = secrets();
        (VendorId::Dingtalk.vendor(), sealed(&s), s)
    }

    fn sealed(secrets: &Secrets) -> Callback {
        let v = VendorId::Dingtalk.vendor();
        let stamp = v.stamp(Now { unix_ms: 1_000_000 });
        let req = v
            .seal(
                b"{\"EventType\":\"x\"}",
                super::super::Kind::Event,
                secrets,
                &stamp,
            )
            .unwrap();
        v.parse(&req).unwrap()
    }

    fn secrets() -> Secrets {
        Secrets::new("token", Some(KEY)).with_receiver_id("corp")
    }

    #[test]
    fn checks_come_in_order_and_the_receiver_sees_the_decryption() {
        let (v, cb, s) = dingtalk_sealed();
        let now = Now { unix_ms: 1_000_000 };
        let names = |i: &Inspection| i.checks().map(|c| c.name).collect::<Vec<_>>();
        let checker = inspect(v, &cb, &s, now, None, Role::Checker);
        assert!(checker.valid());
        assert_eq!(names(&checker), [CheckId::Signature, CheckId::ReceiverId]);
        let receiver = inspect(v, &cb, &s, now, None, Role::Receiver);
        assert_eq!(
            names(&receiver),
            [CheckId::Signature, CheckId::Decrypted, CheckId::ReceiverId]
        );
    }

    #[test]
    fn a_missing_key_fails_only_a_receiver() {
        let (v, cb, s) = dingtalk_sealed();
        let mut no_key = s.clone();
        no_key.aes_key = None;
        let now = Now { unix_ms: 1_000_000 };
        let checker = inspect(v, &cb, &no_key, now, None, Role::Checker);
        assert!(checker.valid());
        assert!(checker.opened.as_ref().is_err_and(Error::is_missing));
        let receiver = inspect(v, &cb, &no_key, now, None, Role::Receiver);
        assert!(!receiver.valid());
        assert_eq!(receiver.body[0].name, CheckId::Decrypted);
    }

    #[test]
    fn without_a_token_the_freshness_is_still_checked() {
        let (v, cb, s) = dingtalk_sealed();
        let mut no_token = s.clone();
        no_token.token = None;
        let late = Now {
            unix_ms: 1_000_000 + 3_600_000,
        };
        let i = inspect(
            v,
            &cb,
            &no_token,
            late,
            Some(Duration::from_secs(60)),
            Role::Receiver,
        );
        assert!(i.unverified.as_ref().is_some_and(Error::is_missing));
        assert_eq!(i.request.len(), 1);
        assert_eq!(i.request[0].name, CheckId::Timestamp);
        assert!(!i.request[0].ok);
        assert!(i.opened.is_ok());
    }

    #[test]
    fn a_wrong_key_is_a_failed_check_for_both() {
        let (v, cb, s) = dingtalk_sealed();
        let mut other = s.clone();
        other.aes_key = Some(Secret::new("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"));
        for role in [Role::Checker, Role::Receiver] {
            let i = inspect(v, &cb, &other, Now { unix_ms: 0 }, None, role);
            assert!(!i.valid());
            assert_eq!(i.body.last().unwrap().name, CheckId::Decrypted);
        }
    }

    // Pins found by mutation testing (scripts/mutants.sh).

    #[test]
    fn a_check_is_found_by_its_id() {
        let (v, cb, s) = dingtalk_sealed();
        let i = inspect(v, &cb, &s, Now { unix_ms: 0 }, None, Role::Checker);
        let c = i.check(CheckId::ReceiverId).unwrap();
        assert_eq!(c.name, CheckId::ReceiverId);
        assert_eq!(
            i.check(CheckId::Signature).unwrap().name,
            CheckId::Signature
        );
        assert!(i.check(CheckId::Token).is_none());
    }

    #[test]
    fn a_receiver_of_a_plain_body_gets_no_decryption_check() {
        let v = VendorId::Wemeet.vendor();
        let s = Secrets::new("token", None);
        let stamp = v.stamp(Now { unix_ms: 0 });
        let req = v
            .seal(b"{}", super::super::Kind::Event, &s, &stamp)
            .unwrap();
        let cb = v.parse(&req).unwrap();
        let i = inspect(v, &cb, &s, Now { unix_ms: 0 }, None, Role::Receiver);
        assert!(i.valid());
        assert!(i.check(CheckId::Decrypted).is_none());
        assert_eq!(i.checks().count(), 1);
    }
}
