//! Tencent Cloud IM and Room/TRTC third-party callbacks (they share one protocol).
//!
//! `POST <url>?SdkAppid=&CallbackCommand=&contenttype=json&ClientIP=&OptPlatform=` with a JSON
//! body repeating CallbackCommand. The receiver must check SdkAppid is its own. With a callback
//! token, two more params: `RequestTime` (Unix seconds) and
//! `Sign = lower_hex(sha256(token + RequestTime))` — plain SHA-256, not HMAC, not over the body;
//! stale when |now − RequestTime| > 60 s. Reply `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}`.

use std::time::Duration;

use super::{
    Answering, Callback, Check, CheckId, Deadlines, DemoSecrets, Forged, Freshness, Judgement,
    Kind, Now, Opened, Outgoing, Placement, Rejection, ReplySeal, RetrySchedule, Secrets, Stamp,
    Vendor, VendorFacts, VendorId, probe_input, require_200,
};
use crate::error::{Error, Result};
use crate::http::{HttpReply, HttpRequest};

pub struct TencentIm;

/// The acknowledgement every callback gets.
pub const ACK: &str = r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}"#;

/// How far RequestTime may be from now (documented for Room/Live callbacks).
pub const MAX_SKEW_SECS: u64 = 60;

/// Query parameters a sender adds besides the signature, with cbkit's defaults.
pub const DEFAULT_CLIENT_IP: &str = "127.0.0.1";
pub const DEFAULT_OPT_PLATFORM: &str = "RESTAPI";

impl Vendor for TencentIm {
    fn facts(&self) -> &'static VendorFacts {
        &FACTS
    }

    fn short_title(&self) -> &'static str {
        "Tencent IM"
    }

    /// The topic's name in Chinese with emoji, as users name them (the body is plain: sealed
    /// once, as is).
    fn probe_text(&self, plaintext: &[u8], _kind: Kind) -> Vec<u8> {
        probe_input::with_json_text(plaintext, "/Name", probe_input::PROBE_TEXT)
    }

    /// Another app's SdkAppid (the signature does not cover it: only the receiver's own check
    /// refuses it).
    fn forged_ids(&self, secrets: &Secrets) -> Vec<(Forged, Secrets)> {
        let Some(own) = secrets.sdk_app_id.as_deref() else {
            return Vec::new();
        };
        let mut other = secrets.clone();
        other.sdk_app_id = Some(if own == "1400000001" {
            "1400000002".into()
        } else {
            "1400000001".into()
        });
        vec![(Forged::SdkAppId, other)]
    }

    fn event_type(&self, plaintext: &[u8]) -> Option<String> {
        super::event_type_at(plaintext, &["/CallbackCommand"])
    }

    fn recognise(&self, req: &HttpRequest) -> u8 {
        if req.query_param("SdkAppid").is_some() && req.query_param("CallbackCommand").is_some() {
            90
        } else {
            0
        }
    }

    fn parse(&self, req: &HttpRequest) -> Result<Callback> {
        Ok(Callback {
            signature: req.query_param("Sign"),
            request_time: req.query_param("RequestTime"),
            sdk_app_id: req.query_param("SdkAppid"),
            command: req.query_param("CallbackCommand"),
            timestamp: req.query_param("RequestTime"),
            ..Callback::received(req)
        })
    }

    fn sign(&self, cb: &Callback, secrets: &Secrets) -> Result<String> {
        let rt = cb
            .request_time
            .as_deref()
            .ok_or_else(|| Error::missing("request-time", ""))?;
        Ok(super::scheme::token_time_sha256::sign(secrets.token()?, rt))
    }

    fn placement(&self, cb: &Callback, signature: &str) -> Placement {
        let mut query = vec![
            (
                "SdkAppid".to_string(),
                cb.sdk_app_id.clone().unwrap_or_default(),
            ),
            (
                "CallbackCommand".to_string(),
                cb.command.clone().unwrap_or_default(),
            ),
            ("contenttype".to_string(), "json".to_string()),
            ("ClientIP".to_string(), DEFAULT_CLIENT_IP.to_string()),
            ("OptPlatform".to_string(), DEFAULT_OPT_PLATFORM.to_string()),
        ];
        if !signature.is_empty() {
            query.push((
                "RequestTime".into(),
                cb.request_time.clone().unwrap_or_default(),
            ));
            query.push(("Sign".into(), signature.into()));
        }
        Placement {
            query,
            headers: Vec::new(),
        }
    }

    fn fill_defaults(&self, cb: &mut Callback, secrets: &Secrets, now: Now) {
        cb.request_time
            .get_or_insert_with(|| self.stamp(now).timestamp);
        if cb.sdk_app_id.is_none() {
            cb.sdk_app_id = secrets.sdk_app_id.clone();
        }
    }

    fn verify(&self, cb: &Callback, secrets: &Secrets, now: Now) -> Result<Vec<Check>> {
        let window = self.max_skew();
        self.verify_within(cb, secrets, Freshness { now, window })
    }

    /// RequestTime is checked inside `verify_within`, next to the `Sign` that covers it.
    fn freshness_check(&self, _cb: &Callback, _at: Freshness) -> Option<Check> {
        None
    }

    /// RequestTime's freshness is part of the signed check here (it is all `Sign` covers), so
    /// the window replaces the documented 60 s rather than adding a second check.
    fn verify_within(&self, cb: &Callback, secrets: &Secrets, at: Freshness) -> Result<Vec<Check>> {
        let mut checks = Vec::new();
        if let Some(own) = &secrets.sdk_app_id {
            let got = cb.sdk_app_id.clone().unwrap_or_default();
            checks.push(if &got == own {
                Check::pass(CheckId::SdkAppId, own.clone(), got)
            } else if got.is_empty() {
                Check::fail(
                    CheckId::SdkAppId,
                    own.clone(),
                    got,
                    "SdkAppid missing from the query string",
                )
            } else {
                Check::fail(
                    CheckId::SdkAppId,
                    own.clone(),
                    got,
                    "SdkAppid is not yours: this callback is for another app",
                )
            });
        }
        if secrets.token.is_some() {
            let Some(sign) = cb.signature.as_deref() else {
                checks.push(Check::fail(
                    CheckId::Signature,
                    "Sign=<sha256(token+RequestTime)>",
                    "",
                    "Sign missing from the query string, but a callback token is configured",
                ));
                return Ok(checks);
            };
            checks.push(Check::signature(self.sign(cb, secrets)?, sign));
            let rt = cb.request_time.as_deref().unwrap_or_default();
            let secs: u64 = rt.parse().map_err(|_| {
                Error::malformed("RequestTime", format!("`{rt}` is not Unix seconds"))
            })?;
            if secs > 100_000_000_000 {
                checks.push(Check::fail(
                    CheckId::RequestTime,
                    "Unix seconds",
                    rt,
                    "RequestTime looks like milliseconds; Tencent IM uses seconds",
                ));
            } else if let Some(w) = at.window {
                checks.push(super::freshness(
                    CheckId::RequestTime,
                    rt,
                    secs.saturating_mul(1000),
                    at.now,
                    w,
                ));
            }
        }
        Ok(checks)
    }

    fn open(&self, cb: &Callback, _secrets: &Secrets) -> Result<Opened> {
        Opened::json_body(cb, "Tencent IM posts a JSON body")
    }

    fn stamp(&self, now: Now) -> Stamp {
        Stamp::alnum(now.secs(), 8)
    }

    fn kind(&self, _is_get: bool, _plaintext: &[u8]) -> Kind {
        Kind::Event
    }

    fn seal_outgoing(&self, out: &Outgoing) -> Result<HttpRequest> {
        let command = serde_json::from_slice::<serde_json::Value>(out.plaintext)
            .ok()
            .and_then(|v| {
                v.get("CallbackCommand")
                    .and_then(|c| c.as_str())
                    .map(str::to_string)
            })
            .ok_or_else(|| {
                Error::missing(
                    "CallbackCommand",
                    "the JSON body must name its CallbackCommand",
                )
            })?;
        let cb = Callback {
            request_time: Some(out.stamp.timestamp.clone()),
            sdk_app_id: Some(out.secrets.sdk_app_id()?.to_string()),
            command: Some(command),
            ..Callback::default()
        };
        let signature = if out.secrets.token.is_some() {
            self.sign(&cb, out.secrets)?
        } else {
            String::new()
        };
        let placement = self.placement(&cb, &signature);
        Ok(HttpRequest {
            method: "POST".into(),
            path: "/".into(),
            query: placement.query_string(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: out.plaintext.to_vec(),
        })
    }

    fn answer(&self, _to: &Answering) -> Result<HttpReply> {
        Ok(HttpReply::new(200, "application/json", ACK))
    }

    fn judge(&self, _kind: Kind, _sent: &[u8], reply: &HttpReply, _secrets: &Secrets) -> Judgement {
        const FIX: &str = "return {\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";
        require_200(reply)?;
        let v = super::json_reply(
            reply,
            |body| format!("body is not JSON (`{body}`); reply {ACK}"),
            FIX,
        )?;
        let status = v.get("ActionStatus").and_then(|s| s.as_str());
        let code = v.get("ErrorCode").and_then(|c| c.as_i64());
        let reason = match (status, code) {
            (Some("OK"), Some(0)) => return Ok(()),
            (None, _) => "reply has no ActionStatus".to_string(),
            (_, None) => "reply has no numeric ErrorCode".to_string(),
            (Some(s), Some(c)) => format!("ActionStatus {s} / ErrorCode {c}: expected OK / 0"),
        };
        Err(Rejection::new(reason, FIX))
    }
}

static FACTS: VendorFacts = VendorFacts {
    id: VendorId::TencentIm,
    scheme: &super::scheme::TokenTimeSha256,
    probe_fixtures: &["tencent-im/Group.CallbackAfterCreateTopic"],
    // The callback key and SDKAppID of Tencent IM's published signing example.
    demo: DemoSecrets::new("xxxxyyyy", None).with_sdk_app_id("1400000000"),
    // Documented for before-callbacks; cbkit applies it to every callback.
    deadlines: Deadlines::every(Duration::from_secs(2)),
    retries: RetrySchedule::none(
        "Tencent IM/Room: no retry policy is documented for after-callbacks; cbkit does not retry",
    ),
    max_skew: Some(Duration::from_secs(MAX_SKEW_SECS)),
    reply_seal: ReplySeal::Plain,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_support::*;

    #[test]
    fn official_sign_vector() {
        let cb = Callback {
            request_time: Some("1669872112".into()),
            ..Callback::default()
        };
        assert_eq!(
            TencentIm.sign(&cb, &TencentIm.demo_secrets()).unwrap(),
            "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
        );
    }

    #[test]
    fn seal_parse_verify_round_trip() {
        let s = TencentIm.demo_secrets();
        let now = Now {
            unix_ms: 1_669_872_112_000,
        };
        let stamp = TencentIm.stamp(now);
        let body = br#"{"CallbackCommand":"Group.CallbackAfterCreateTopic","GroupId":"g"}"#;
        let req = TencentIm.seal(body, Kind::Event, &s, &stamp).unwrap();
        assert!(
            req.query
                .contains("CallbackCommand=Group.CallbackAfterCreateTopic")
        );
        assert!(req.query.contains("contenttype=json"));
        let cb = TencentIm.parse(&req).unwrap();
        let checks = TencentIm.verify(&cb, &s, now).unwrap();
        assert!(checks.iter().all(|c| c.ok), "{checks:?}");
        // Another app's id and a stale time both fail.
        let mut other = s.clone();
        other.sdk_app_id = Some("1400000001".into());
        assert!(!TencentIm.verify(&cb, &other, now).unwrap()[0].ok);
        let late = Now {
            unix_ms: now.unix_ms + 61_000,
        };
        let checks = TencentIm.verify(&cb, &s, late).unwrap();
        assert!(checks.iter().any(|c| c.name == "request_time" && !c.ok));
    }

    #[test]
    fn judge_reads_action_status() {
        let s = TencentIm.demo_secrets();
        assert_accepted(
            &TencentIm,
            Kind::Event,
            b"",
            &HttpReply::new(200, "application/json", ACK),
            &s,
        );
        let fail = HttpReply::new(
            200,
            "application/json",
            r#"{"ActionStatus":"FAIL","ErrorInfo":"x","ErrorCode":1}"#,
        );
        assert!(rejection(&TencentIm, Kind::Event, b"", &fail, &s).contains("FAIL"));
        let text = HttpReply::new(200, "text/plain", "ok");
        assert!(rejection(&TencentIm, Kind::Event, b"", &text, &s).contains("not JSON"));
    }

    #[test]
    fn every_rejection_states_a_fix() {
        let s = TencentIm.demo_secrets();
        for (body, reason) in [
            ("ok", "not JSON"),
            ("{}", "no ActionStatus"),
            (r#"{"ActionStatus":"OK"}"#, "no numeric ErrorCode"),
            (r#"{"ActionStatus":"FAIL","ErrorCode":1}"#, "FAIL"),
        ] {
            let reply = HttpReply::new(200, "application/json", body);
            let r = TencentIm.judge(Kind::Event, b"", &reply, &s).unwrap_err();
            assert!(r.reason.contains(reason), "{reason}: {}", r.reason);
            assert!(r.fix.contains("ActionStatus"), "{reason}: {}", r.fix);
        }
    }

    #[test]
    fn event_type_is_the_callback_command() {
        let plain = br#"{"CallbackCommand":"State.StateChange","EventType":"x"}"#;
        assert_eq!(
            TencentIm.event_type(plain).as_deref(),
            Some("State.StateChange")
        );
    }

    // Pins found by mutation testing (scripts/mutants.sh): each test below fails when the named
    // part of the vendor's behaviour is changed.

    #[test]
    fn vendor_facts() {
        assert_eq!(TencentIm.id(), VendorId::TencentIm);
        assert_eq!(TencentIm.short_title(), "Tencent IM");
        assert_eq!(TencentIm.max_skew(), Some(Duration::from_secs(60)));
        assert_eq!(TencentIm.deadline(Kind::Event, b""), Duration::from_secs(2));
        let stamp = TencentIm.stamp(Now {
            unix_ms: 1_669_872_112_999,
        });
        assert_eq!(stamp.timestamp, "1669872112");
        assert_probe_fixtures_bundled(&TencentIm, 1);
        // The demo secrets are those of the published signing example.
        let demo = TencentIm.demo_secrets();
        assert_eq!(demo.sdk_app_id().unwrap(), "1400000000");
        let cb = Callback {
            request_time: Some("1669872112".into()),
            ..Callback::default()
        };
        assert_eq!(
            TencentIm.sign(&cb, &demo).unwrap(),
            "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
        );
    }

    #[test]
    fn recognised_by_sdkappid_and_command_together() {
        let with = |query: &str| request("POST", query, &[], "");
        assert_eq!(
            TencentIm.recognise(&with("SdkAppid=1&CallbackCommand=c")),
            90
        );
        assert_eq!(TencentIm.recognise(&with("SdkAppid=1")), 0);
        assert_eq!(TencentIm.recognise(&with("CallbackCommand=c")), 0);
    }

    #[test]
    fn parse_fill_open_and_reply() {
        let s = TencentIm.demo_secrets();
        let body = br#"{"CallbackCommand":"State.StateChange"}"#;
        let now = Now {
            unix_ms: 1_669_872_112_000,
        };
        let stamp = TencentIm.stamp(now);
        let req = TencentIm.seal(body, Kind::Event, &s, &stamp).unwrap();
        let cb = TencentIm.parse(&req).unwrap();
        assert_eq!(cb.command.as_deref(), Some("State.StateChange"));
        assert_eq!(cb.timestamp.as_deref(), Some("1669872112"));
        assert_eq!(cb.body, body);
        assert!(!cb.is_get);
        let opened = TencentIm.open(&cb, &s).unwrap();
        assert_eq!(opened.plaintext, body);
        let reply = TencentIm.reply(&cb, &opened, &s, &stamp).unwrap();
        assert_eq!(reply.body, ACK.as_bytes());

        let mut empty = Callback::default();
        TencentIm.fill_defaults(&mut empty, &s, now);
        assert_eq!(empty.request_time.as_deref(), Some("1669872112"));
        assert_eq!(empty.sdk_app_id.as_deref(), Some("1400000000"));

        // Without a token nothing is signed.
        let unsigned = Secrets {
            token: None,
            ..TencentIm.demo_secrets()
        };
        let req = TencentIm
            .seal(body, Kind::Event, &unsigned, &stamp)
            .unwrap();
        assert!(!req.query.contains("Sign="), "{}", req.query);
        assert!(!req.query.contains("RequestTime="), "{}", req.query);
    }

    #[test]
    fn request_time_in_milliseconds_is_named_but_10_to_the_11_is_seconds() {
        let s = TencentIm.demo_secrets();
        let check_for = |rt: &str| {
            let cb = Callback {
                request_time: Some(rt.into()),
                sdk_app_id: Some("1400000000".into()),
                signature: Some(
                    TencentIm
                        .sign(
                            &Callback {
                                request_time: Some(rt.into()),
                                ..Callback::default()
                            },
                            &s,
                        )
                        .unwrap(),
                ),
                ..Callback::default()
            };
            let checks = TencentIm.verify(&cb, &s, Now { unix_ms: 0 }).unwrap();
            checks
                .into_iter()
                .find(|c| c.name == "request_time")
                .unwrap()
        };
        let ms = check_for("1669872112000");
        assert!(!ms.ok);
        assert!(ms.note.contains("milliseconds"), "{}", ms.note);
        let edge = check_for("100000000000");
        assert!(!edge.ok);
        assert!(!edge.note.contains("milliseconds"), "{}", edge.note);
    }

    #[test]
    fn parse_notes_a_get() {
        let get = HttpRequest {
            method: "GET".into(),
            path: "/".into(),
            query: "SdkAppid=1400000000".into(),
            ..HttpRequest::default()
        };
        assert!(TencentIm.parse(&get).unwrap().is_get);
    }
}
