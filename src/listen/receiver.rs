//! One request → what the listener answers, with no sockets, threads or files: routing to a
//! vendor, verification, the correct answer, `--strict` statuses, repeats of answered requests
//! and the simulated faults. The server asks it what to do ([`receive`]), does any waiting
//! (the user's app, `--delay`) itself, and lets it finish the answer ([`settle`]); keeping the
//! decisions here makes each of them testable without a listener.

use std::time::Duration;

use crate::http::{HttpReply, HttpRequest};
use crate::protocol::{Check, CheckId, Now, Opened, Role, Secrets, Vendor, VendorId, inspect};

use super::ListenConfig;
use super::recording::capture::{self, Capture, Forwarded};
use super::recording::rfc3339;
use super::replay_guard::{ReplayGuard, ReplayKey};

/// What processing one request decided.
pub(super) struct Outcome {
    pub(super) vendor: Option<VendorId>,
    pub(super) checks: Vec<Check>,
    pub(super) errors: Vec<String>,
    pub(super) notes: Vec<String>,
    /// The secret that is not configured, so the signature was not checked.
    pub(super) unverified: Option<crate::Error>,
    pub(super) opened: Option<Opened>,
    pub(super) reply: HttpReply,
    /// With `--forward-to`: whether the vendor would accept the app's answer (Err says why).
    pub(super) forward: Option<Result<(), String>>,
    /// With `--forward-to`: the app's answer as the capture line records it.
    pub(super) forwarded: Option<Forwarded>,
    /// What identifies this request and its event for replay detection.
    pub(super) replay_keys: Vec<ReplayKey>,
}

impl Outcome {
    /// Nothing decided yet for `vendor` (the reply is replaced once there is one).
    fn new(vendor: Option<VendorId>) -> Outcome {
        Outcome {
            vendor,
            checks: Vec::new(),
            errors: Vec::new(),
            notes: Vec::new(),
            unverified: None,
            opened: None,
            reply: plain(500, "cbkit listen: no reply was built\n"),
            forward: None,
            forwarded: None,
            replay_keys: Vec::new(),
        }
    }

    /// Answered `status` before processing, for `why`.
    pub(super) fn rejected(status: u16, why: String) -> Outcome {
        reject_with(Outcome::new(None), status, why)
    }

    /// Answered `status` because something outside the protocol went wrong (the app is
    /// unreachable, the record file cannot be written), for `why`.
    pub(super) fn fail(&mut self, status: u16, why: String) {
        self.reply = plain(status, &format!("cbkit listen: {why}\n"));
        self.errors.push(why);
    }

    /// Every check passed, nothing went wrong, and the vendor would accept the app's answer.
    pub(super) fn accepted(&self) -> bool {
        self.errors.is_empty()
            && self.checks.iter().all(|c| c.ok)
            && self.forward.as_ref().is_none_or(Result::is_ok)
    }

    /// The capture line for `request`, received at `received_at`.
    pub(super) fn capture(
        &self,
        request: HttpRequest,
        received_at: String,
        secrets: &Secrets,
    ) -> Capture {
        let mut verdict = serde_json::Map::new();
        for c in &self.checks {
            verdict.insert(c.name.into(), c.ok.into());
        }
        verdict.insert("accepted".into(), self.accepted().into());
        // Why verification failed: each failed check, then anything else that went wrong.
        let errors = self
            .checks
            .iter()
            .filter(|c| !c.ok)
            .map(check_error)
            .chain(self.errors.iter().cloned())
            .collect();
        Capture {
            received_at,
            vendor: self.vendor.map(|v| v.name().to_string()),
            request,
            verdict,
            errors,
            event_type: self
                .vendor
                .zip(self.opened.as_ref())
                .and_then(|(v, o)| v.vendor().event_type(&o.plaintext)),
            plaintext: self
                .opened
                .as_ref()
                .map(|o| capture::recorded_plaintext(&o.plaintext, secrets)),
            status: Some(self.reply.status),
            forward: self.forwarded.clone(),
        }
    }
}

/// What the receiver made of a request before the user's app is asked.
pub(super) struct Received {
    pub(super) outcome: Outcome,
    /// With `--forward-to`: relay the request to the app as this vendor's (the app's answer
    /// replaces the outcome's reply). `None` when the answer is already decided.
    pub(super) forward: Option<VendorId>,
}

/// Route, verify, open and build the correct answer; `--strict` statuses; whether to forward.
/// `seq` numbers the request from 1 (for `--fail-first`).
pub(super) fn receive(cfg: &ListenConfig, req: &HttpRequest, seq: u64, now: Now) -> Received {
    let Some(vendor) = route(cfg.vendor, req) else {
        let outcome = Outcome::rejected(
            404,
            format!(
                "cannot tell which vendor sent this: use {}",
                VendorId::path_list()
            ),
        );
        return Received {
            outcome,
            forward: None,
        };
    };
    let window = cfg.max_skew.for_vendor(vendor.vendor());
    let secrets = cfg.secrets.for_vendor(Some(vendor));
    let mut outcome = answer(vendor.vendor(), req, secrets, now, window);
    // --strict refuses what it cannot verify: a secret this vendor needs is not configured.
    if cfg.strict
        && let Some(e) = outcome
            .unverified
            .clone()
            .filter(Secrets::is_missing_secret)
    {
        outcome.reply = plain(400, &format!("cbkit listen --strict: not verified: {e}\n"));
        outcome.errors.push(format!("not verified: {e}"));
        return Received {
            outcome,
            forward: None,
        };
    }
    if cfg.strict
        && let Some(status) = strict_status(&outcome.checks)
    {
        outcome.reply = plain(status, "cbkit listen --strict: verification failed\n");
        return Received {
            outcome,
            forward: None,
        };
    }
    // A simulated failure answers for the app: the app only sees the deliveries that get through.
    let simulated_failure = seq <= u64::from(cfg.fail_first);
    let forward = (cfg.forward_to.is_some() && !simulated_failure).then_some(vendor);
    Received { outcome, forward }
}

/// Finish the answer once the app (if any) has answered: flag repeats of requests and events
/// already answered (`guard`), then apply the simulated faults.
pub(super) fn settle(cfg: &ListenConfig, seq: u64, guard: &ReplayGuard, out: &mut Outcome) {
    flag_repeats(guard, out, cfg.strict);
    simulate_faults(cfg, seq, out);
}

/// The vendor for a request: the configured one, else `/<vendor>` in the path, else its shape.
pub fn route(configured: Option<VendorId>, req: &HttpRequest) -> Option<VendorId> {
    if configured.is_some() {
        return configured;
    }
    let first = req.path.trim_start_matches('/').split('/').next()?;
    VendorId::lookup(first).or_else(|| VendorId::recognise(req))
}

/// Run the vendor's receiver logic over one request and build its correct answer.
fn answer(
    vendor: &dyn Vendor,
    req: &HttpRequest,
    secrets: &Secrets,
    now: Now,
    window: Option<Duration>,
) -> Outcome {
    let mut out = Outcome::new(Some(vendor.id()));
    let cb = match vendor.parse(req) {
        Ok(cb) => cb,
        Err(e) => return reject_with(out, 400, format!("malformed request: {e}")),
    };
    out.replay_keys.extend(ReplayKey::request(vendor.id(), &cb));
    let inspection = inspect(vendor, &cb, secrets, now, window, Role::Receiver);
    match &inspection.unverified {
        Some(e) if e.is_missing() => out.unverified = Some(e.clone()),
        Some(e) => out.errors.push(format!("cannot verify: {e}")),
        None => {}
    }
    out.checks = inspection.checks().cloned().collect();
    let opened = match inspection.opened {
        Ok(o) => o,
        Err(e) => {
            // Nothing to answer without the plaintext: a 400 with the reason in one line. The
            // failed `decrypted` check carries the reason into the verdict and the capture's
            // errors.
            out.reply = plain(400, &format!("cbkit listen: cannot decode the body: {e}\n"));
            return out;
        }
    };
    let note = vendor.plaintext_note(&opened.plaintext);
    out.notes.extend(note.map(|n| secrets.redact(&n)));
    if let Some(id) = vendor.event_id(&opened.plaintext) {
        out.replay_keys.push(ReplayKey::Event(vendor.id(), id));
    }
    out.reply = match vendor.reply(&cb, &opened, secrets, &vendor.stamp(now)) {
        Ok(r) => r,
        Err(e) => {
            out.opened = Some(opened);
            return reject_with(out, 500, format!("cannot build the reply: {e}"));
        }
    };
    out.opened = Some(opened);
    out
}

/// A failed check as one error line: `signature: signature mismatch`.
pub fn check_error(c: &Check) -> String {
    c.error_line()
}

fn reject_with(mut out: Outcome, status: u16, why: String) -> Outcome {
    out.fail(status, why);
    out
}

/// A plain-text answer from the listener itself.
pub(super) fn plain(status: u16, text: &str) -> HttpReply {
    HttpReply::new(status, "text/plain; charset=utf-8", text)
}

/// Add a failed `replay` check (and, with --strict, answer 409) for a repeat of a delivered
/// request or event; a note for a retry of a failed one.
fn flag_repeats(guard: &ReplayGuard, out: &mut Outcome, strict: bool) {
    for key in &out.replay_keys {
        let Some(seen) = guard.seen(key) else {
            continue;
        };
        let what = key.describe();
        let (status, at) = (seen.status, rfc3339(seen.at));
        if seen.delivered() {
            out.checks.push(Check::fail(
                CheckId::Replay,
                "a request not delivered before",
                what.clone(),
                format!("possible replay attack: {what} was already answered {status} at {at}"),
            ));
            if strict {
                out.reply = plain(
                    409,
                    "cbkit listen --strict: possible replay attack: already delivered\n",
                );
            }
            return;
        }
        out.notes
            .push(format!("a retry: {what} was answered {status} at {at}"));
        return;
    }
}

/// `--strict`: 401 for a bad signature, 403 for a wrong app id, receiver id or token.
fn strict_status(checks: &[Check]) -> Option<u16> {
    let failed: Vec<&Check> = checks.iter().filter(|c| !c.ok).collect();
    if failed.iter().any(|c| c.name == CheckId::Signature) {
        Some(401)
    } else if failed.is_empty() || failed.iter().any(|c| c.name == CheckId::Decrypted) {
        // Nothing failed, or the body did not open and the answer is already a 400.
        None
    } else {
        Some(403)
    }
}

/// `--fail-first N` / `--status` / `--reply`: override the answer to make a sender retry.
fn simulate_faults(cfg: &ListenConfig, seq: u64, out: &mut Outcome) {
    if seq <= u64::from(cfg.fail_first) {
        let status = cfg.status.unwrap_or(500);
        out.reply = plain(
            status,
            &format!(
                "cbkit listen: simulated failure {seq} of {} (--fail-first)\n",
                cfg.fail_first
            ),
        );
        out.notes.push(format!(
            "simulated failure {seq} of {} (--fail-first): answered {status}",
            cfg.fail_first
        ));
        return;
    }
    if let Some(text) = &cfg.reply {
        out.reply.body = text.clone().into_bytes();
        out.reply.headers = vec![("Content-Type".into(), "text/plain; charset=utf-8".into())];
        out.notes.push("answered the --reply text".into());
    }
    if let (0, Some(status)) = (cfg.fail_first, cfg.status) {
        out.reply.status = status;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Kind;

    const NOW: Now = Now {
        unix_ms: 1_700_000_000_000,
    };

    fn req(path: &str) -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            path: path.into(),
            ..HttpRequest::default()
        }
    }

    /// A Tencent Meeting event sealed with the demo secrets, and a listener configured for it.
    fn sealed(plaintext: &[u8]) -> (ListenConfig, HttpRequest) {
        let v = VendorId::named("wemeet");
        let secrets = v.vendor().demo_secrets();
        let vendor = v.vendor();
        let mut request = vendor
            .seal(plaintext, Kind::Event, &secrets, &vendor.stamp(NOW))
            .unwrap();
        request.path = "/wemeet".into();
        let cfg = ListenConfig {
            secrets: secrets.into(),
            ..ListenConfig::default()
        };
        (cfg, request)
    }

    #[test]
    fn routes_by_path_then_shape() {
        assert_eq!(route(None, &req("/lark")), Some(VendorId::named("feishu")));
        assert_eq!(
            route(None, &req("/tim/x")),
            Some(VendorId::named("tencent-im"))
        );
        assert_eq!(
            route(None, &req("/ding")),
            Some(VendorId::named("dingtalk"))
        );
        assert_eq!(route(None, &req("/WeWork")), Some(VendorId::named("wecom")));
        assert_eq!(route(None, &req("/")), None);
        assert_eq!(
            route(Some(VendorId::named("wecom")), &req("/feishu")),
            Some(VendorId::named("wecom"))
        );
    }

    #[test]
    fn strict_statuses() {
        let sig = Check::fail(CheckId::Signature, "a", "b", "x");
        let rid = Check::fail(CheckId::ReceiverId, "a", "b", "x");
        assert_eq!(strict_status(&[sig, rid.clone()]), Some(401));
        assert_eq!(strict_status(&[rid]), Some(403));
        assert_eq!(strict_status(&[]), None);
    }

    #[test]
    fn an_unroutable_request_is_answered_404_and_not_forwarded() {
        let cfg = ListenConfig {
            forward_to: Some("http://127.0.0.1:9".into()),
            ..ListenConfig::default()
        };
        let r = receive(&cfg, &req("/"), 1, NOW);
        assert_eq!(r.outcome.reply.status, 404);
        assert!(r.forward.is_none());
        assert!(!r.outcome.accepted());
    }

    #[test]
    fn a_genuine_request_is_verified_answered_and_forwarded_when_asked() {
        let (mut cfg, request) = sealed(br#"{"event":"meeting.started"}"#);
        let r = receive(&cfg, &request, 1, NOW);
        assert!(r.outcome.accepted(), "{:?}", r.outcome.errors);
        assert_eq!(r.outcome.reply.status, 200);
        assert!(r.outcome.checks.iter().any(|c| c.name == "signature"));
        assert!(r.forward.is_none(), "no --forward-to");
        cfg.forward_to = Some("http://127.0.0.1:9".into());
        assert_eq!(
            receive(&cfg, &request, 1, NOW).forward,
            Some(VendorId::named("wemeet"))
        );
        cfg.fail_first = 1;
        assert!(
            receive(&cfg, &request, 1, NOW).forward.is_none(),
            "a simulated failure answers for the app"
        );
    }

    #[test]
    fn strict_answers_401_for_a_forged_signature_and_does_not_forward() {
        let (mut cfg, mut request) = sealed(br#"{"event":"meeting.started"}"#);
        for (k, v) in &mut request.headers {
            if k.eq_ignore_ascii_case("signature") {
                *v = "0".repeat(v.len());
            }
        }
        cfg.strict = true;
        cfg.forward_to = Some("http://127.0.0.1:9".into());
        let r = receive(&cfg, &request, 1, NOW);
        assert_eq!(r.outcome.reply.status, 401);
        assert!(r.forward.is_none());
    }

    #[test]
    fn a_missing_secret_is_a_note_and_under_strict_a_400() {
        let (mut cfg, request) = sealed(br#"{"event":"meeting.started"}"#);
        cfg.secrets.default.token = None;
        let r = receive(&cfg, &request, 1, NOW);
        assert_eq!(r.outcome.reply.status, 200);
        assert!(r.outcome.unverified.is_some());
        cfg.strict = true;
        let r = receive(&cfg, &request, 1, NOW);
        assert_eq!(r.outcome.reply.status, 400);
        let body = String::from_utf8_lossy(&r.outcome.reply.body);
        assert!(body.contains("not verified: token: missing"), "{body}");
    }

    #[test]
    fn feishus_unsigned_challenge_is_answered_with_a_note_even_when_strict() {
        let v = VendorId::named("feishu");
        let secrets = v.vendor().demo_secrets();
        let plain =
            br#"{"challenge":"c-1","token":"demoVerificationToken","type":"url_verification"}"#;
        let request = v
            .vendor()
            .seal(plain, Kind::Handshake, &secrets, &v.vendor().stamp(NOW))
            .unwrap();
        assert!(request.header("X-Lark-Signature").is_none());
        let cfg = ListenConfig {
            secrets: secrets.into(),
            vendor: Some(v),
            strict: true,
            ..ListenConfig::default()
        };
        let out = receive(&cfg, &request, 1, NOW).outcome;
        assert_eq!(out.reply.status, 200);
        assert_eq!(out.reply.body, br#"{"challenge":"c-1"}"#);
        assert!(out.accepted(), "{:?}", out.checks);
        let note = out.unverified.expect("noted as not verified").to_string();
        assert!(note.contains("without X-Lark-* headers"), "{note}");
        // The Verification Token inside still decides.
        assert!(out.checks.iter().any(|c| c.name == CheckId::Token && c.ok));
    }

    #[test]
    fn a_repeat_of_a_delivered_request_is_flagged_and_strict_answers_409() {
        let (mut cfg, request) = sealed(br#"{"event":"meeting.started"}"#);
        let mut guard = ReplayGuard::new(10);
        let first = receive(&cfg, &request, 1, NOW).outcome;
        for key in &first.replay_keys {
            guard.remember(key, 200, std::time::UNIX_EPOCH);
        }
        let mut again = receive(&cfg, &request, 2, NOW).outcome;
        settle(&cfg, 2, &guard, &mut again);
        assert!(
            again
                .checks
                .iter()
                .any(|c| c.name == CheckId::Replay && !c.ok)
        );
        assert!(!again.accepted());
        cfg.strict = true;
        let mut strict = receive(&cfg, &request, 2, NOW).outcome;
        settle(&cfg, 2, &guard, &mut strict);
        assert_eq!(strict.reply.status, 409);
    }

    #[test]
    fn simulated_faults_override_the_answer() {
        let (mut cfg, request) = sealed(br#"{"event":"meeting.started"}"#);
        let guard = ReplayGuard::new(10);
        cfg.fail_first = 2;
        cfg.status = Some(503);
        let mut out = receive(&cfg, &request, 2, NOW).outcome;
        settle(&cfg, 2, &guard, &mut out);
        assert_eq!(out.reply.status, 503);
        let mut out = receive(&cfg, &request, 3, NOW).outcome;
        settle(&cfg, 3, &guard, &mut out);
        assert_eq!(out.reply.status, 200, "only the first two fail");
        cfg.fail_first = 0;
        cfg.reply = Some("nope".into());
        let mut out = receive(&cfg, &request, 1, NOW).outcome;
        settle(&cfg, 1, &guard, &mut out);
        assert_eq!(
            (out.reply.status, out.reply.body.as_slice()),
            (503, &b"nope"[..])
        );
    }
}
