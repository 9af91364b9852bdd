//! The JSON the page reads. Nothing here runs on the listener's hot path: a summary is rendered
//! when the list or the event stream sends it, and the detail of one request (the verification
//! steps, re-made with `verify --explain`'s code) only when the page opens it.

use serde_json::{Value, json};

use super::{Entry, Inspector, Source, command, page};
use crate::diagnose::diagnose;
use crate::http::HttpRequest;
use crate::protocol::Secrets;
use crate::render::pretty;

/// `GET /_cbkit/api/requests`: what the page needs to start: every remembered request's
/// summary and what it may offer.
pub fn list(inspector: &Inspector) -> Value {
    let mut entries = inspector.store().after(0);
    inspector.reopen(&mut entries);
    json!({
        "requests": entries.iter().map(summary).collect::<Vec<_>>(),
        "last_id": inspector.store().last_id(),
        "keep": inspector.store().keep(),
        "show_secrets": inspector.show_secrets(),
    })
}

/// One row of the list: time, vendor, method, path, event, verdict, status, latency and the
/// app's answer.
pub fn summary(e: &Entry) -> Value {
    let c = &e.capture;
    let verdict = |name: &str| c.verdict.get(name).and_then(Value::as_bool);
    json!({
        "id": e.id,
        "received_at": c.received_at,
        "vendor": e.vendor.map(|v| v.name()),
        "vendor_title": e.vendor.map(|v| v.title()),
        "method": c.request.method,
        "path": c.request.path,
        "target": c.request.target(),
        "event_type": c.event_type,
        "kind": e.vendor.map(|v| {
            let plain = c.plaintext.as_deref().unwrap_or_default().as_bytes();
            match v.vendor().kind(c.request.method.eq_ignore_ascii_case("GET"), plain) {
                crate::protocol::Kind::Handshake => "handshake",
                crate::protocol::Kind::Event => "event",
            }
        }),
        "verdict": c.verdict,
        "accepted": verdict("accepted").unwrap_or(false),
        "verified": verdict("signature"),
        "decrypted": verdict("decrypted"),
        "ids": verdict("receiver_id").or(verdict("sdk_app_id")).or(verdict("token")),
        "fresh": verdict("timestamp"),
        "replay_attack": verdict("replay") == Some(false),
        "unverified": e.unverified.is_some(),
        "status": c.status,
        "latency_ms": e.latency_ms,
        "forward": c.forward.as_ref().map(|f| json!({
            "status": f.status,
            "accepted": f.accepted,
            "reason": f.reason,
            "latency_ms": f.latency_ms,
        })),
        "errors": c.errors.len(),
    })
}

/// `GET /_cbkit/api/requests/N`: the raw request, the verification steps, the plaintext, the
/// answer, and the commands to paste. Secrets masked unless the inspector shows them.
pub fn detail(inspector: &Inspector, e: &Entry) -> Value {
    let source = inspector.source(e.source);
    let secrets = source.secrets.for_vendor(e.vendor);
    let show = inspector.show_secrets();
    let hide = |text: &str| secrets.redact_unless(show, text).into_owned();
    let c = &e.capture;
    let base = source
        .url
        .clone()
        .unwrap_or_else(|| "http://127.0.0.1:8787".into());
    let mut out = summary(e);
    out["request"] = request_json(&c.request, &hide);
    out["checks"] = e
        .checks
        .iter()
        .map(|k| {
            json!({"name": k.name.as_str(), "ok": k.ok, "expected": hide(&k.expected),
                   "got": hide(&k.got), "note": hide(&k.note)})
        })
        .collect();
    out["explain"] = explain(e, &source, show);
    out["plaintext"] = c.plaintext.as_deref().map(|p| pretty_text(&hide(p))).into();
    out["error_list"] = c.errors.iter().map(|x| hide(x)).collect();
    out["note"] = e.note.as_deref().map(&hide).into();
    out["unverified_reason"] = e.unverified.as_ref().map(|u| hide(&u.to_string())).into();
    out["answer"] = json!({
        "status": c.status,
        "headers": e.reply.as_ref().map(|r| {
            r.headers.iter().map(|(k, v)| [k.clone(), hide(v)]).collect::<Vec<_>>()
        }),
        "body": e.reply.as_ref().map(|r| hide(&String::from_utf8_lossy(&r.body))),
        "body_pretty": e.reply.as_ref().map(|r| pretty_text(&hide(&String::from_utf8_lossy(&r.body)))),
        "forward": c.forward.as_ref().map(|f| json!({
            "status": f.status,
            "body": f.body.as_deref().map(&hide),
            "accepted": f.accepted,
            "reason": f.reason,
            "latency_ms": f.latency_ms,
        })),
    });
    out["curl"] = hide(&crate::curl::command(&base, &c.request)).into();
    out["verify_command"] = e
        .vendor
        .map(|v| hide(&command::verify(v, &base, &c.request)))
        .into();
    out["replay"] = json!({
        "listener": source.url.is_some() && e.vendor.is_some(),
        "forward": source.forward_to.is_some() && e.vendor.is_some(),
    });
    if !show {
        // Whatever a step or a note quotes: no configured secret leaves in any field.
        redact_all(&mut out, secrets);
    }
    out
}

/// Mask every configured secret in every string of `v`.
fn redact_all(v: &mut Value, secrets: &Secrets) {
    match v {
        Value::String(s) => {
            let masked = secrets.redact(s);
            if masked != *s {
                *s = masked;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| redact_all(x, secrets)),
        Value::Object(map) => map.values_mut().for_each(|x| redact_all(x, secrets)),
        _ => {}
    }
}

/// The request line, headers, query and body (text, or base64 when not UTF-8), with a pretty
/// form of the body when it is JSON or XML.
fn request_json(req: &HttpRequest, hide: &dyn Fn(&str) -> String) -> Value {
    let (body, base64) = match std::str::from_utf8(&req.body) {
        Ok(t) => (hide(t), false),
        Err(_) => (crate::crypto::b64_encode(&req.body), true),
    };
    let pretty_body = (!base64).then(|| pretty_text(&body)).filter(|p| *p != body);
    json!({
        "line": hide(&format!("{} {} HTTP/1.1", req.method, req.target())),
        "method": req.method,
        "path": req.path,
        "query": hide(&req.query),
        "query_pairs": req.query_pairs().iter().map(|(k, v)| [k.clone(), hide(v)]).collect::<Vec<_>>(),
        "headers": req.headers.iter().map(|(k, v)| [k.clone(), hide(v)]).collect::<Vec<_>>(),
        "body": body,
        "body_base64": base64,
        "body_pretty": pretty_body,
    })
}

/// `GET /_cbkit/api/requests/N/fixture`: the request as a fixture file (what `cbkit fixtures
/// save --from-capture` writes), to download: the body decrypted with the listener's secrets for
/// its vendor, which the file names as `{{token}}`-style templates, never as values.
pub fn fixture(inspector: &Inspector, e: &Entry) -> page::Response {
    let source = inspector.source(e.source);
    let secrets = source.secrets.for_vendor(e.vendor);
    match crate::fixture_save::fixture_from_capture(&e.capture, secrets, false) {
        Ok(saved) => page::download(&saved.text, &saved.suggested_path.replace('/', "-")),
        Err(err) => {
            let err = err.to_string();
            let why = secrets.redact_unless(inspector.show_secrets(), &err);
            page::text(
                422,
                &format!("cannot save this request as a fixture: {why}\n"),
            )
        }
    }
}

/// `verify --explain`'s steps for the request, at the time it was verified.
fn explain(e: &Entry, source: &Source, show_secrets: bool) -> Value {
    let Some(vendor) = e.vendor else {
        return json!({"error": "the vendor is not known: nothing to explain"});
    };
    let secrets = source.secrets.for_vendor(Some(vendor));
    let v = vendor.vendor();
    let cb = match v.parse(&e.capture.request) {
        Ok(cb) => cb,
        Err(err) => {
            let err = err.to_string();
            let why = secrets.redact_unless(show_secrets, &err);
            return json!({"error": format!("malformed request: {why}")});
        }
    };
    let window = source.max_skew.for_vendor(v);
    let d = diagnose(vendor, &cb, secrets, e.now, window, show_secrets);
    serde_json::to_value(&d).unwrap_or_else(|_| json!({"error": "cannot render the steps"}))
}

/// JSON pretty-printed, XML indented, anything else as it is.
pub fn pretty_text(text: &str) -> String {
    let t = text.trim_start();
    if t.starts_with('<') {
        pretty_xml(text)
    } else {
        pretty(text)
    }
}

/// Indent XML one element a line, two spaces a level; text and CDATA kept as they are. Only a
/// display aid: what is not well-formed is indented as far as it goes.
pub fn pretty_xml(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut rest = text.trim();
    // Whether the last thing written was an opening tag whose text follows on the same line.
    let mut open_inline = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").map_or(after.len(), |i| i + 3);
            out.push_str(&rest[..9 + end]);
            rest = &after[end..];
            continue;
        }
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = &rest[..end];
            rest = &rest[end..];
            let closing = tag.starts_with("</");
            let standalone = tag.ends_with("/>") || tag.starts_with("<?") || tag.starts_with("<!");
            if closing {
                depth = depth.saturating_sub(1);
                if !open_inline {
                    newline(&mut out, depth);
                }
                out.push_str(tag);
                open_inline = false;
            } else {
                newline(&mut out, depth);
                out.push_str(tag);
                open_inline = !standalone;
                if !standalone {
                    depth += 1;
                }
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = rest[..end].trim();
            if !text.is_empty() {
                if !open_inline {
                    newline(&mut out, depth);
                }
                out.push_str(text);
            }
            rest = &rest[end..];
            if !rest.starts_with("</") && !rest.starts_with("<![CDATA[") {
                open_inline = false;
            }
        }
    }
    out.trim_start_matches('\n').to_string()
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    out.push_str(&"  ".repeat(depth));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listen::capture::Capture;
    use crate::protocol::{Kind, Now, VendorId};

    /// A DingTalk event sealed with the demo secrets, remembered as a capture line.
    fn remembered(show_secrets: bool) -> (std::sync::Arc<Inspector>, Entry) {
        let v = VendorId::lookup("dingtalk").unwrap();
        let secrets = v.vendor().demo_secrets();
        let now = Now {
            unix_ms: 1_767_323_045_678,
        };
        let mut request = v
            .vendor()
            .seal(
                br#"{"EventType":"chat_add_member"}"#,
                Kind::Event,
                &secrets,
                &v.vendor().stamp(now),
            )
            .unwrap();
        request.path = "/dingtalk".into();
        let i = Inspector::new(10, show_secrets, "127.0.0.1");
        let source = i.add_source(Source {
            url: Some("http://127.0.0.1:8787".into()),
            secrets: secrets.into(),
            ..Source::default()
        });
        let capture = Capture {
            received_at: crate::listen::rfc3339(
                std::time::UNIX_EPOCH + std::time::Duration::from_millis(now.unix_ms),
            ),
            vendor: Some("dingtalk".into()),
            request,
            verdict: serde_json::Map::from_iter([("accepted".to_string(), true.into())]),
            errors: vec![],
            event_type: Some("chat_add_member".into()),
            plaintext: Some(r#"{"EventType":"chat_add_member"}"#.into()),
            status: Some(200),
            forward: None,
        };
        let id = i.store().push(Entry::captured(capture, source));
        let e = i.store().get(id).unwrap();
        (i, e)
    }

    #[test]
    fn the_detail_holds_the_steps_the_plaintext_and_the_commands_with_secrets_masked() {
        let (i, e) = remembered(false);
        let d = detail(&i, &e);
        assert_eq!(d["explain"]["valid"], true, "{}", d["explain"]);
        let steps = d["explain"]["steps"].as_array().unwrap();
        assert!(steps.iter().any(|s| s["name"] == "sha1"));
        assert_eq!(d["plaintext"], "{\n  \"EventType\": \"chat_add_member\"\n}");
        assert!(
            d["curl"]
                .as_str()
                .unwrap()
                .contains("'http://127.0.0.1:8787/dingtalk?")
        );
        assert_eq!(d["replay"]["listener"], true);
        assert_eq!(d["replay"]["forward"], false);
        let text = d.to_string();
        assert!(!text.contains("mryue"), "the token is masked: {text}");
        let (i, e) = remembered(true);
        assert!(
            detail(&i, &e).to_string().contains("mryue"),
            "--show-secrets"
        );
    }

    #[test]
    fn a_summary_names_the_verdict_at_a_glance() {
        let (_, e) = remembered(false);
        let s = summary(&e);
        assert_eq!(s["vendor_title"], "DingTalk");
        assert_eq!(s["accepted"], true);
        assert_eq!(s["replay_attack"], false);
        assert_eq!(s["event_type"], "chat_add_member");
        assert_eq!(s["kind"], "event");
        assert!(s["latency_ms"].is_null(), "a capture line has no latency");
    }

    #[test]
    fn xml_is_indented_with_text_beside_its_tag() {
        let x =
            "<xml><ToUserName><![CDATA[to]]></ToUserName><Count>2</Count><List><i/></List></xml>";
        assert_eq!(
            pretty_xml(x),
            "<xml>\n  <ToUserName><![CDATA[to]]></ToUserName>\n  <Count>2</Count>\n  <List>\n    <i/>\n  </List>\n</xml>"
        );
        assert_eq!(pretty_text(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_text("plain"), "plain");
        assert_eq!(pretty_xml("<a><b"), "<a>\n  <b");
    }
}
