//! `probe`: run a vendor's URL-verification handshake, then one sample event, against a live
//! endpoint, judge each answer by the vendor's rules, and say how to fix what fails.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::fixture::{self, Vars};
use crate::http::HttpReply;
use crate::protocol::{Kind, Now, Rejection, Secrets, Vendor, VendorId};
use crate::replay::{self, Sender};

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
    /// What to change in the receiver; empty when the step passed without a warning.
    pub fix: String,
}

/// Run the probe.
pub fn run(
    sender: &Sender,
    vendor: VendorId,
    timeout: Option<Duration>,
    now: impl Fn() -> Now,
) -> crate::Result<Vec<ProbeStep>> {
    let v = vendor.vendor();
    let mut steps = Vec::new();
    for name in v.probe_plan(sender.secrets) {
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
        // Built before sending, so a missing secret is an input error, not a failed probe.
        let req = v.seal(&plaintext, kind, sender.secrets, &v.stamp(now()))?;
        let deadline = timeout.unwrap_or_else(|| v.deadline(kind, &plaintext));
        let started = Instant::now();
        let sent = replay::send(sender.client, sender.url, &req, deadline);
        let latency = started.elapsed();
        let Verdict {
            status,
            ok,
            reason,
            fix,
        } = verdict(v, kind, &plaintext, sender.secrets, sent);
        steps.push(ProbeStep {
            fixture: f.name.clone(),
            kind,
            method: f.method.clone(),
            ok,
            status,
            latency_ms: (latency.as_secs_f64() * 1e6).round() / 1e3,
            deadline_ms: deadline.as_millis() as u64,
            reason,
            fix,
        });
    }
    Ok(steps)
}

/// How one probe request went: the vendor's judgement of the reply, or the transport failure.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Verdict {
    status: Option<u16>,
    ok: bool,
    reason: String,
    fix: String,
}

/// Judge what came back for `plaintext` by the vendor's rule; the fix is the judge's own.
fn verdict(
    v: &dyn Vendor,
    kind: Kind,
    plaintext: &[u8],
    secrets: &Secrets,
    sent: Result<HttpReply, String>,
) -> Verdict {
    let (status, judged) = match sent {
        Err(reason) => {
            let fix = transport_fix(&reason);
            (None, Err(Rejection::new(reason, fix)))
        }
        Ok(reply) => (
            Some(reply.status),
            v.judge_warned(kind, plaintext, &reply, secrets),
        ),
    };
    match judged {
        Ok(warnings) => Verdict {
            status,
            ok: true,
            reason: crate::replay::accepted_with(&warnings),
            fix: warnings.first().map(|w| w.fix.clone()).unwrap_or_default(),
        },
        Err(r) => Verdict {
            status,
            ok: false,
            reason: r.reason,
            fix: r.fix,
        },
    }
}

/// The change that fixes a delivery that got no reply at all. `reason` is the sender's account
/// of the transport failure (`client::describe`), read by the words it opens with, so the
/// error text it quotes cannot pick another fix; replies the vendor refuses carry their own.
pub fn transport_fix(reason: &str) -> &'static str {
    let table: &[(&str, &str)] = &[
        (
            "no answer within",
            "answer first and process the event asynchronously; the vendor gives up at its deadline",
        ),
        (
            "connection refused",
            "start the receiver, or check the URL's host and port",
        ),
        ("DNS failure", "check the URL's host name"),
        (
            "TLS error",
            "use a certificate the vendor trusts (or --insecure to probe a self-signed one)",
        ),
    ];
    table
        .iter()
        .find(|(opening, _)| reason.starts_with(opening))
        .map(|(_, fix)| *fix)
        .unwrap_or("check the URL, and that the receiver is up and reachable from here")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::protocol::wecom::Wecom;

    fn wecom_event(sent: Result<HttpReply, String>) -> Verdict {
        verdict(&Wecom, Kind::Event, b"<xml/>", &Wecom.demo_secrets(), sent)
    }

    #[test]
    fn probe_shows_the_judges_fix() {
        let v = wecom_event(Ok(HttpReply::new(200, "text/plain", "success")));
        assert!(v.ok && v.fix.is_empty() && v.reason == "accepted");
        // A reply body quoting other mistakes' words: the judge's fix, not theirs.
        let body = "trailing newline, redirect, deadline, HTTP 500";
        let v = wecom_event(Ok(HttpReply::new(200, "text/plain", body)));
        assert!(!v.ok);
        assert_eq!(v.status, Some(200));
        assert!(v.reason.contains("trailing newline"), "{}", v.reason);
        assert!(v.fix.contains("`success`"), "{}", v.fix);
    }

    #[test]
    fn a_signature_that_does_not_verify_gets_its_fix() {
        let s = Wecom.demo_secrets();
        let stamp = Wecom.stamp(Now { unix_ms: 1 });
        let sealed = Wecom.sealed_reply(b"<xml/>", &s, &stamp).unwrap();
        let forged = String::from_utf8(sealed.reply.body)
            .unwrap()
            .replace(&stamp.nonce, "0");
        let v = verdict(
            &Wecom,
            Kind::Event,
            b"<xml/>",
            &s,
            Ok(HttpReply::new(200, "text/xml", forged)),
        );
        assert!(
            v.reason.contains("MsgSignature does not verify"),
            "{}",
            v.reason
        );
        assert!(v.fix.contains("sorted(token"), "{}", v.fix);
    }

    #[test]
    fn no_reply_gets_the_transport_fix() {
        let v = wecom_event(Err(
            "connection refused: nothing listens at that address".into()
        ));
        assert_eq!((v.ok, v.status), (false, None));
        assert!(v.fix.contains("start the receiver"));
    }

    #[test]
    fn transport_failures_get_a_fix() {
        assert!(transport_fix("no answer within the 3s deadline").contains("asynchronously"));
        assert!(
            transport_fix("connection refused: nothing listens at that address")
                .contains("start the receiver")
        );
        assert!(transport_fix("DNS failure: x").contains("host name"));
        assert!(transport_fix("TLS error: bad certificate").contains("--insecure"));
        assert!(transport_fix("transport error: reset").contains("reachable"));
        // What the failure quotes does not count: a host named dns-tls.example is not a DNS failure.
        assert!(transport_fix("cannot connect: dns-tls.example").contains("reachable"));
    }
}
