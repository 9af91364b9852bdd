//! `probe`: run a vendor's URL-verification handshake, then one sample event, against a live
//! endpoint, judge each answer by the vendor's rules, and say how to fix what fails.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::fixture::{self, Vars};
use crate::http::{HttpReply, HttpRequest};
use crate::protocol::{Forged, Kind, Now, ProbeInput, Rejection, Secrets, Vendor, VendorId};
use crate::replay::{Sender, fmt_duration};

/// How long past its deadline a request is still waited for, to tell a late answer from none.
const LATE_GRACE: Duration = Duration::from_secs(2);

/// How much of a failing answer's body a step keeps.
const SHOWN_BODY: usize = 1024;

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
    /// What a negative check forged; None for the vendor's own requests.
    pub forged: Option<Forged>,
    /// The body of a failing answer (at most 1 KiB, secrets masked); None when the step passed
    /// or nothing came back.
    pub reply_body: Option<String>,
    /// The signed payload's field and value as sent, for comparing steps.
    #[serde(skip)]
    payload: Option<(&'static str, String)>,
}

/// How to probe.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Per-request deadline instead of the vendor's.
    pub timeout: Option<Duration>,
    /// Skip the forged requests (for a receiver that answers everything on purpose).
    pub no_negative: bool,
}

/// Run the probe: the vendor's plan, then (unless `no_negative`) the forged requests a careful
/// reviewer tries. The sender's tracer sees every exchange as it happens (`-v`).
pub fn run(
    sender: &Sender,
    vendor: VendorId,
    opts: Options,
    now: impl Fn() -> Now,
) -> crate::Result<Vec<ProbeStep>> {
    let plan = plan(vendor, sender.secrets)?;
    run_plan(sender, vendor, &plan, fixture::no_env, opts, now)
}

/// The vendor's own plan: its URL verification, then a sample event.
pub fn plan(vendor: VendorId, secrets: &Secrets) -> crate::Result<Vec<fixture::Fixture>> {
    let mut plan = Vec::new();
    for name in vendor.vendor().probe_plan(secrets) {
        plan.extend(fixture::resolve(name)?.into_iter().take(1));
    }
    Ok(plan)
}

/// The vendor's plan with `events` in place of its sample event: the plan's URL-verification
/// handshakes first, then `events` (one the plan already sends is not sent twice).
pub fn plan_with(
    vendor: VendorId,
    secrets: &Secrets,
    events: Vec<fixture::Fixture>,
    now: Now,
) -> crate::Result<Vec<fixture::Fixture>> {
    let vars = Vars {
        now,
        secrets: secrets.clone(),
        env: fixture::no_env,
    };
    let mut out = Vec::new();
    for f in plan(vendor, secrets)? {
        // A plan's fixture that does not render is left to `run_plan` to report.
        let handshake = f
            .render(&vars, &[])
            .map_or(true, |p| f.kind(&p) == Kind::Handshake);
        if handshake {
            out.push(f);
        }
    }
    for f in events {
        if !out.iter().any(|o| o.name == f.name) {
            out.push(f);
        }
    }
    Ok(out)
}

/// Run the probe over `plan` (see [`run`]); `env` gives the fixtures' `{{env.NAME}}`.
pub fn run_plan(
    sender: &Sender,
    vendor: VendorId,
    plan: &[fixture::Fixture],
    env: fixture::EnvLookup,
    opts: Options,
    now: impl Fn() -> Now,
) -> crate::Result<Vec<ProbeStep>> {
    let v = vendor.vendor();
    let render = |f: &fixture::Fixture| {
        f.render(
            &Vars {
                now: now(),
                secrets: sender.secrets.clone(),
                env,
            },
            &[],
        )
    };
    let mut steps = Vec::new();
    let mut sent = Vec::new();
    for f in plan {
        let f = f.clone();
        let rendered = render(&f)?;
        let kind = f.kind(&rendered);
        // Built before sending, so a missing secret is an input error, not a failed probe.
        let input = v.probe_input(&rendered, kind, sender.secrets, &v.stamp(now()))?;
        let deadline = opts
            .timeout
            .unwrap_or_else(|| v.deadline(kind, &input.plaintext));
        let step = send_step(sender, v, &f.name, kind, &input, deadline, None);
        sent.push((f, kind));
        steps.push(step);
    }
    compare(v, &mut steps);
    // A receiver that answered nothing cannot be said to refuse forged requests.
    let answered = steps.iter().any(|s| s.status.is_some());
    if !opts.no_negative && answered {
        // The event (a handshake for vendors that only have one) is what gets forged.
        let target = sent
            .iter()
            .find(|(_, kind)| *kind == Kind::Event)
            .or(sent.first());
        if let Some((f, kind)) = target {
            // Each forgery a fresh rendering (fresh event ids), so a receiver that drops
            // duplicates before checking anything is not mistaken for one that refuses.
            let fresh = || render(f);
            for (forged, input) in forgeries(v, *kind, &fresh, sender.secrets, &now)? {
                let deadline = opts
                    .timeout
                    .unwrap_or_else(|| v.deadline(*kind, &input.plaintext));
                steps.push(send_step(
                    sender,
                    v,
                    &f.name,
                    *kind,
                    &input,
                    deadline,
                    Some(forged),
                ));
            }
        }
    }
    Ok(steps)
}

/// Send one probe request and judge what came back: by the vendor's rule for its own requests,
/// by whether the vendor would take the answer as acceptance for a forged one.
#[allow(clippy::too_many_arguments)]
fn send_step(
    sender: &Sender,
    v: &dyn Vendor,
    fixture: &str,
    kind: Kind,
    input: &ProbeInput,
    deadline: Duration,
    forged: Option<Forged>,
) -> ProbeStep {
    // Waiting a little past the deadline tells a late answer from none at all.
    let grace = deadline.min(LATE_GRACE);
    let started = Instant::now();
    let mut reply = sender.send(&input.request, deadline + grace);
    let latency = started.elapsed();
    if reply
        .as_ref()
        .is_err_and(|e| e.starts_with("no answer within"))
    {
        reply = Err(format!(
            "no answer within the {} deadline (none {} after it either)",
            fmt_duration(deadline),
            fmt_duration(grace)
        ));
    }
    let body = reply
        .as_ref()
        .ok()
        .map(|r| shown_body(&r.body, sender.secrets));
    let Verdict {
        status,
        ok,
        reason,
        fix,
    } = match forged {
        None if latency > deadline && reply.is_ok() => late(v, &reply, latency, deadline),
        None => verdict(v, kind, &input.plaintext, sender.secrets, reply),
        Some(what) => forged_verdict(v, kind, &input.plaintext, sender.secrets, reply, what),
    };
    ProbeStep {
        fixture: fixture.to_string(),
        kind,
        method: input.request.method.clone(),
        ok,
        status,
        latency_ms: (latency.as_secs_f64() * 1e6).round() / 1e3,
        deadline_ms: deadline.as_millis() as u64,
        reason,
        fix,
        forged,
        reply_body: if ok { None } else { body },
        payload: v
            .parse(&input.request)
            .ok()
            .and_then(|cb| cb.payload)
            .map(|p| (p.field, p.value)),
    }
}

/// An answer that came after the vendor had given up: a failed delivery, whatever it says.
fn late(
    v: &dyn Vendor,
    reply: &Result<HttpReply, String>,
    latency: Duration,
    deadline: Duration,
) -> Verdict {
    Verdict {
        status: reply.as_ref().ok().map(|r| r.status),
        ok: false,
        reason: format!(
            "answered after {} ms, past the {} deadline: {} had already given up",
            latency.as_millis(),
            fmt_duration(deadline),
            v.short_title()
        ),
        fix: transport_fix("no answer within").to_string(),
    }
}

/// At most [`SHOWN_BODY`] bytes of `body` as text, secrets masked.
fn shown_body(body: &[u8], secrets: &Secrets) -> String {
    // Masked before it is cut, so no part of a secret survives at the cut.
    let text = secrets.redact(&String::from_utf8_lossy(body));
    let mut cut = String::new();
    for c in text.chars() {
        if cut.len() + c.len_utf8() > SHOWN_BODY {
            cut.push('…');
            break;
        }
        cut.push(c);
    }
    cut
}

/// The forged requests: the same callback with a signature that does not verify, then sealed
/// for another receiver where the vendor names one.
fn forgeries(
    v: &dyn Vendor,
    kind: Kind,
    fresh: &dyn Fn() -> crate::Result<Vec<u8>>,
    secrets: &Secrets,
    now: &dyn Fn() -> Now,
) -> crate::Result<Vec<(Forged, ProbeInput)>> {
    let mut out = Vec::new();
    let input = v.probe_input(&fresh()?, kind, secrets, &v.stamp(now()))?;
    if let Some(request) = forge_signature(v, &input.request) {
        out.push((
            Forged::Signature,
            ProbeInput {
                plaintext: input.plaintext,
                request,
            },
        ));
    }
    for (what, other) in v.forged_ids(secrets) {
        let plaintext = fresh()?;
        if let Ok(request) = v.seal(&plaintext, kind, &other, &v.stamp(now())) {
            out.push((what, ProbeInput { plaintext, request }));
        }
    }
    Ok(out)
}

/// `req` with every signature it carries replaced by another of the same shape, wherever it
/// travels; None when the request carries no signature.
fn forge_signature(v: &dyn Vendor, req: &HttpRequest) -> Option<HttpRequest> {
    let mut out = req.clone();
    for sig in v.signatures_in(req).into_iter().filter(|s| !s.is_empty()) {
        let forged: String = sig
            .chars()
            .map(|c| match c {
                '0'..='8' | 'a'..='e' | 'A'..='E' => char::from(c as u8 + 1),
                '9' => '0',
                'f' => 'a',
                'F' => 'A',
                c => c,
            })
            .collect();
        out.query = out.query.replace(&sig, &forged);
        for (_, value) in &mut out.headers {
            if *value == sig {
                value.clone_from(&forged);
            }
        }
    }
    (out != *req).then_some(out)
}

/// A forged request is refused unless the vendor would take its answer as acceptance.
fn forged_verdict(
    v: &dyn Vendor,
    kind: Kind,
    plaintext: &[u8],
    secrets: &Secrets,
    reply: Result<HttpReply, String>,
    what: Forged,
) -> Verdict {
    match reply {
        Ok(r) if v.judge(kind, plaintext, &r, secrets).is_ok() => Verdict {
            status: Some(r.status),
            ok: false,
            reason: format!(
                "your receiver accepts forged callbacks: it does not check {}",
                what.what()
            ),
            fix: what.fix().to_string(),
        },
        Ok(r) => Verdict {
            status: Some(r.status),
            ok: true,
            reason: format!("refused (HTTP {})", r.status),
            fix: String::new(),
        },
        Err(reason) => Verdict {
            status: None,
            ok: true,
            reason: format!("refused: {reason}"),
            fix: String::new(),
        },
    }
}

/// Diagnoses that need two steps side by side, or the request besides the answer: they
/// replace the judge's generic reading of a status code with the mistake itself.
fn compare(v: &dyn Vendor, steps: &mut [ProbeStep]) {
    let passed = |method: &str, steps: &[ProbeStep]| {
        steps
            .iter()
            .any(|s| s.ok && s.forged.is_none() && s.method == method)
    };
    let padded_passed = steps.iter().find_map(|s| {
        let (field, value) = s.payload.as_ref()?;
        (s.ok && value.ends_with('=')).then_some(*field)
    });
    let post_passed = passed("POST", steps);
    let get_passed = passed("GET", steps);
    let vendor = v.short_title();
    // Every request of the vendor's refused as unauthorised: the signature itself is computed
    // differently, whatever the method.
    let all_refused = steps
        .iter()
        .filter(|s| s.forged.is_none())
        .all(|s| matches!(s.status, Some(401 | 403)));
    for s in steps.iter_mut().filter(|s| !s.ok && s.forged.is_none()) {
        let Some(status) = s.status else { continue };
        let field = s.payload.as_ref().map(|(f, _)| *f);
        if matches!(status, 404 | 405) {
            let (other, what) = if s.method == "GET" {
                ("POST", "verifies the URL")
            } else {
                ("GET", "delivers events")
            };
            let only = if (s.method == "GET" && post_passed) || (s.method == "POST" && get_passed) {
                format!("your handler only serves {other}")
            } else {
                format!("your handler does not serve {}", s.method)
            };
            s.fix = format!(
                "{only}: {vendor} {what} with a {} to the same URL; route {} to your handler too",
                s.method, s.method
            );
        } else if matches!(status, 401 | 403) && all_refused {
            let over = field.map_or(String::new(), |f| {
                format!(
                    " with {f} exactly as received (the base64 string, not the text it decodes to)"
                )
            });
            s.fix = format!(
                "your signature check refuses {vendor}'s signature on every request: compute {}{over}, with the token from the console; `cbkit verify --explain --computed <what your code computed>` names the difference",
                v.scheme().algorithm()
            );
        } else if matches!(status, 401 | 403) && s.method == "GET" && post_passed {
            let field = field.unwrap_or("the payload");
            s.reason
                .push_str("; the POST signed with the same token passed");
            s.fix = format!(
                "your GET handler checks {field} still URL-encoded: percent-decode it first (it arrives as %2B, %2F, %3D), then sign and decode it; the token is right"
            );
        } else if (500..600).contains(&status)
            && let Some((field, value)) = &s.payload
            && !value.ends_with('=')
            && !value.len().is_multiple_of(4)
        {
            s.reason
                .push_str(&format!("; its {field} has no `=` padding"));
            if let Some(other) = padded_passed {
                s.reason
                    .push_str(&format!(", and the request with a padded {other} passed"));
            }
            s.fix = format!(
                "pad before decoding: {vendor} sends {field} without `=` padding; append `=` until its length is a multiple of 4, or use a decoder that accepts unpadded base64"
            );
        }
    }
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
    fn chosen_events_follow_the_plans_url_verification_once_each() {
        let now = Now {
            unix_ms: 1_700_000_000_000,
        };
        let names = |plan: Vec<fixture::Fixture>| -> Vec<String> {
            plan.into_iter().map(|f| f.name).collect()
        };
        let wemeet = VendorId::named("wemeet");
        let s = wemeet.vendor().demo_secrets();
        let events = fixture::resolve("wemeet/meeting.end").unwrap();
        assert_eq!(
            names(plan_with(wemeet, &s, events, now).unwrap()),
            ["wemeet/url-verification", "wemeet/meeting.end"]
        );
        let ding = VendorId::named("dingtalk");
        let s = ding.vendor().demo_secrets();
        let mut events = fixture::resolve("dingtalk/check_url").unwrap();
        events.extend(fixture::resolve("dingtalk/user_add_org").unwrap());
        assert_eq!(
            names(plan_with(ding, &s, events, now).unwrap()),
            ["dingtalk/check_url", "dingtalk/user_add_org"]
        );
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

    fn step(
        method: &str,
        status: u16,
        ok: bool,
        payload: Option<(&'static str, &str)>,
    ) -> ProbeStep {
        ProbeStep {
            fixture: "f".into(),
            kind: Kind::Event,
            method: method.into(),
            ok,
            status: Some(status),
            latency_ms: 1.0,
            deadline_ms: 1000,
            reason: format!("HTTP {status}"),
            fix: "generic".into(),
            forged: None,
            reply_body: None,
            payload: payload.map(|(f, v)| (f, v.to_string())),
        }
    }

    fn compared(mut steps: Vec<ProbeStep>) -> Vec<ProbeStep> {
        compare(&Wemeet, &mut steps);
        steps
    }

    use crate::protocol::wemeet::Wemeet;

    #[test]
    fn a_get_refused_while_the_post_passed_points_at_url_decoding() {
        let s = compared(vec![
            step("GET", 403, false, Some(("check_str", "YWJj%2B"))),
            step("POST", 200, true, Some(("data", "YWJj"))),
        ]);
        assert!(
            s[0].fix.contains("checks check_str still URL-encoded"),
            "{}",
            s[0].fix
        );
        assert!(
            s[0].reason
                .ends_with("the POST signed with the same token passed")
        );
    }

    #[test]
    fn every_request_refused_points_at_the_signature() {
        let s = compared(vec![
            step("GET", 403, false, Some(("check_str", "YWJj"))),
            step("POST", 401, false, Some(("data", "YWJj"))),
        ]);
        for s in &s {
            assert!(s.fix.contains("on every request"), "{}", s.fix);
            assert!(
                s.fix.contains("sort(token, timestamp, nonce, payload)"),
                "{}",
                s.fix
            );
        }
    }

    #[test]
    fn a_missing_method_is_named() {
        // The fix of step `named` among steps of (method, status, passed).
        let fix = |steps: &[(&str, u16, bool)], named: usize| {
            let steps = steps.iter().map(|&(m, st, ok)| step(m, st, ok, None));
            compared(steps.collect())[named].fix.clone()
        };
        for (got, wanted) in [
            (
                fix(&[("GET", 405, false), ("POST", 200, true)], 0),
                "your handler only serves POST",
            ),
            (
                fix(&[("GET", 200, true), ("POST", 404, false)], 1),
                "your handler only serves GET",
            ),
            (
                fix(&[("POST", 405, false)], 0),
                "your handler does not serve POST",
            ),
        ] {
            assert!(got.starts_with(wanted), "{got}");
        }
    }

    #[test]
    fn a_server_error_on_unpadded_base64_says_pad_before_decoding() {
        let s = compared(vec![
            step("GET", 200, true, Some(("check_str", "YWJjZA=="))),
            step("POST", 500, false, Some(("data", "YWJjZA"))),
        ]);
        assert!(s[1].fix.starts_with("pad before decoding"), "{}", s[1].fix);
        assert!(
            s[1].reason.contains("a padded check_str passed"),
            "{}",
            s[1].reason
        );
        // Padded, or a length that needs none: the 500 is something else.
        for data in ["YWJjZA==", "YWJj"] {
            let s = compared(vec![step("POST", 500, false, Some(("data", data)))]);
            assert_eq!(s[0].fix, "generic");
        }
    }

    #[test]
    fn a_forged_signature_keeps_the_shape_and_travels_where_the_real_one_did() {
        let s = Wecom.demo_secrets();
        let req = Wecom
            .seal(b"<xml/>", Kind::Event, &s, &Wecom.stamp(Now { unix_ms: 1 }))
            .unwrap();
        let real = Wecom.parse(&req).unwrap().signature.unwrap();
        let forged = forge_signature(&Wecom, &req).unwrap();
        let sig = Wecom.parse(&forged).unwrap().signature.unwrap();
        assert_ne!(sig, real);
        assert_eq!(sig.len(), real.len());
        assert!(sig.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(forged.body, req.body);
        assert!(
            !Wecom
                .verify(&Wecom.parse(&forged).unwrap(), &s, Now { unix_ms: 1 })
                .unwrap()[0]
                .ok
        );
    }

    #[test]
    fn a_forged_request_is_refused_unless_the_vendor_would_accept_the_answer() {
        let s = Wecom.demo_secrets();
        let ok = HttpReply::new(200, "text/plain", "success");
        let v = forged_verdict(&Wecom, Kind::Event, b"", &s, Ok(ok), Forged::ReceiverId);
        assert!(!v.ok);
        assert_eq!(
            v.reason,
            "your receiver accepts forged callbacks: it does not check the receiver id"
        );
        let refused = HttpReply::new(403, "text/plain", "no");
        let v = forged_verdict(&Wecom, Kind::Event, b"", &s, Ok(refused), Forged::Signature);
        assert!(v.ok && v.reason == "refused (HTTP 403)");
    }

    #[test]
    fn a_failing_body_is_capped_and_masked() {
        let s = Wecom.demo_secrets();
        let body = format!("token QDG6eK {}", "é".repeat(2000));
        let shown = shown_body(body.as_bytes(), &s);
        assert!(!shown.contains("QDG6eK"), "{shown}");
        assert!(shown.len() <= SHOWN_BODY + 3 + 8, "{}", shown.len());
        assert!(shown.ends_with('…'));
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
