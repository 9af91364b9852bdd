//! WeChat Official Account (公众号) and Mini Program (小程序) message push.
//!
//! Handshake: `GET ?signature&timestamp&nonce&echostr`, `signature = sha1(sort(token,
//! timestamp, nonce))`; answer echostr exactly as received, in every mode. Messages: a POST with
//! `?signature&timestamp&nonce&openid`; plain mode posts the message itself, safe mode adds
//! `encrypt_type=aes&msg_signature` and posts only ToUserName and Encrypt (the WXBizMsgCrypt
//! envelope, receiver id = AppID), compatible mode posts both. Mini Programs choose XML or JSON.
//! Acknowledge with `success` or an empty body (or a passive reply XML) within 5 s.

pub mod body;
pub mod scheme;

use self::body::{Format, Mode};
use super::wecom::xml_field;
use super::{
    Answering, Callback, Check, DemoSecrets, Judgement, Kind, Now, Opened, Outgoing, Payload,
    Placement, Rejection, ReplySeal, RetrySchedule, Secrets, Stamp, Variant, Vendor, VendorFacts,
    VendorId, plain_reply_mismatch, require_200, wxcrypt,
};
use crate::error::Result;
use crate::http::{HttpReply, HttpRequest, build_query};

pub struct Wechat;

/// Where WeChat carries the signed ciphertext.
const HINT: &str =
    "the Encrypt element (XML) or \"Encrypt\" key (JSON) of a safe- or compatible-mode body";

/// What a receiver that refuses a correctly signed handshake most likely got wrong.
const SIGNATURE_FIX: &str = "verify signature = sha1 of the sorted Token, timestamp and nonce only (echostr is not signed), with the Token (令牌), not the EncodingAESKey; then answer echostr as plain text";

impl Vendor for Wechat {
    fn facts(&self) -> &'static VendorFacts {
        &FACTS
    }

    /// `event.<Event>` for events, else the message type (`text`, `image`...), XML or JSON.
    fn event_type(&self, plaintext: &[u8]) -> Option<String> {
        wxcrypt::event_type(
            body::field(plaintext, "MsgType"),
            body::field(plaintext, "Event"),
        )
    }

    /// The handshake carries `signature` and `echostr` but not WeCom's `msg_signature`; a
    /// message carries `signature` with the sender's `openid`.
    fn recognise(&self, req: &HttpRequest) -> u8 {
        let has = |n: &str| req.query_param(n).is_some();
        if !has("signature") {
            return 0;
        }
        let to_user = String::from_utf8_lossy(&req.body).contains("ToUserName");
        if (has("echostr") && !has("msg_signature")) || has("openid") {
            90
        } else if has("encrypt_type") && has("msg_signature") {
            85
        } else if to_user && !has("msg_signature") {
            // A Mini Program plain-mode push may come without openid; WeCom signs with
            // msg_signature and DingTalk's body has no ToUserName.
            80
        } else {
            0
        }
    }

    fn parse(&self, req: &HttpRequest) -> Result<Callback> {
        let msg_signature = req.query_param("msg_signature");
        let mut cb = Callback {
            timestamp: req.query_param("timestamp"),
            nonce: req.query_param("nonce"),
            ..Callback::received(req)
        };
        if let Some(echostr) = req.query_param("echostr") {
            cb.signature = req.query_param("signature");
            cb.payload = Some(Payload::new("echostr", echostr));
            cb.is_get = true;
        } else if msg_signature.is_some() && !req.body.is_empty() {
            cb.signature = msg_signature;
            cb.payload = Some(Payload::new(scheme::ENCRYPT, body::encrypt_of(&req.body)?));
        } else if let Ok(encrypt) = body::encrypt_of(&req.body) {
            // A safe- or compatible-mode body given without its query (`decode --body`): the
            // Encrypt is what is signed, by a msg_signature given separately.
            cb.payload = Some(Payload::new(scheme::ENCRYPT, encrypt));
        } else {
            cb.signature = req.query_param("signature");
        }
        Ok(cb)
    }

    fn sign(&self, cb: &Callback, secrets: &Secrets) -> Result<String> {
        if scheme::covers_payload(cb) {
            return wxcrypt::sign(cb, secrets, HINT);
        }
        Ok(scheme::sign3(
            secrets.token()?,
            cb.timestamp()?,
            cb.nonce()?,
        ))
    }

    fn placement(&self, cb: &Callback, signature: &str) -> Placement {
        let ts = cb.timestamp.clone().unwrap_or_default();
        let nonce = cb.nonce.clone().unwrap_or_default();
        let query = match &cb.payload {
            Some(p) if scheme::is_encrypt(p.field) => vec![
                ("timestamp".into(), ts),
                ("nonce".into(), nonce),
                ("encrypt_type".into(), "aes".into()),
                ("msg_signature".into(), signature.into()),
            ],
            Some(Payload {
                field: "echostr",
                value,
            }) => vec![
                ("signature".into(), signature.into()),
                ("timestamp".into(), ts),
                ("nonce".into(), nonce),
                ("echostr".into(), value.clone()),
            ],
            _ => vec![
                ("signature".into(), signature.into()),
                ("timestamp".into(), ts),
                ("nonce".into(), nonce),
            ],
        };
        Placement {
            query,
            headers: Vec::new(),
        }
    }

    fn open(&self, cb: &Callback, secrets: &Secrets) -> Result<Opened> {
        match &cb.payload {
            Some(p) if scheme::is_encrypt(p.field) => wxcrypt::open(cb, secrets, HINT),
            Some(p) => Ok(Opened::plain(p.value.as_bytes().to_vec())),
            None => Ok(Opened::plain(cb.body.clone())),
        }
    }

    fn check_opened(&self, opened: &Opened, secrets: &Secrets) -> Vec<Check> {
        wxcrypt::receiver_check(opened, secrets, &[], "WeChat error -40005")
    }

    fn stamp(&self, now: Now) -> Stamp {
        wxcrypt::stamp(now)
    }

    /// MsgId for messages; FromUserName + CreateTime for events, as the docs advise for dedup,
    /// with the event's name so two different events of one second stay apart.
    fn event_id(&self, plaintext: &[u8]) -> Option<String> {
        body::field(plaintext, "MsgId").or_else(|| {
            Some(format!(
                "{}:{}:{}",
                body::field(plaintext, "FromUserName")?,
                body::field(plaintext, "CreateTime")?,
                body::field(plaintext, "Event").unwrap_or_default()
            ))
        })
    }

    /// `plain`, `safe` or `compat`, and `xml` or `json` (the message's own format).
    fn check_variant(&self, variant: &Variant) -> Result<()> {
        body::chosen(variant).map(|_| ())
    }

    /// By default, safe mode when an EncodingAESKey is configured, plain otherwise, and the
    /// format the plaintext is written in (JSON or XML); a chosen variant changes either. The
    /// handshake is the same in every mode and format.
    fn seal_outgoing(&self, out: &Outgoing) -> Result<HttpRequest> {
        let (mode, format) = body::chosen(out.variant)?;
        let mode = mode.unwrap_or(Mode::default_for(out.secrets.aes_key.is_some()));
        let format = match out.kind {
            Kind::Handshake => Format::of(out.plaintext),
            Kind::Event => body::format_for(out.plaintext, format)?,
        };
        seal_as(
            out.plaintext,
            out.kind,
            out.secrets,
            out.stamp,
            mode,
            format,
        )
    }

    fn answer(&self, to: &Answering) -> Result<HttpReply> {
        // The plain-mode echostr travels as is: the plaintext is the value received.
        Ok(wxcrypt::plain_answer(to.cb, to.opened))
    }

    fn judge(&self, kind: Kind, sent: &[u8], reply: &HttpReply, secrets: &Secrets) -> Judgement {
        if reply.status == 405 {
            let (method, why) = match kind {
                Kind::Handshake => ("GET", "WeChat checks the URL with a GET before any message"),
                Kind::Event => ("POST", "WeChat delivers every message with a POST"),
            };
            return Err(Rejection::new(
                format!("HTTP 405: the handler does not serve {method}; {why}"),
                "serve both GET (the echostr handshake) and POST (messages) on the callback URL",
            ));
        }
        if kind == Kind::Handshake {
            if matches!(reply.status, 401 | 403) {
                return Err(Rejection::new(
                    format!(
                        "HTTP {}: the receiver refused a correctly signed handshake; the console shows 「Token验证失败」",
                        reply.status
                    ),
                    SIGNATURE_FIX,
                ));
            }
            require_200(reply)?;
            return match plain_reply_mismatch(sent, &reply.body) {
                None => Ok(()),
                Some(r) if !contains(&reply.body, sent) => Err(Rejection::new(
                    format!("{}; the console shows 「Token验证失败」", r.reason),
                    SIGNATURE_FIX,
                )),
                Some(r) => Err(r.and("the console shows 「Token验证失败」")),
            };
        }
        require_200(reply)?;
        let body = &reply.body;
        if body.is_empty() || body == b"success" {
            return Ok(());
        }
        let text = String::from_utf8_lossy(body);
        if text.trim_start().starts_with("<xml") {
            if xml_field(&text, "Encrypt").is_some() {
                return wxcrypt::check_passive_reply(&Wechat, &text, secrets, HINT, &PASSIVE_REPLY);
            }
            if xml_field(&text, "MsgType").is_some() && xml_field(&text, "ToUserName").is_some() {
                return Ok(());
            }
        }
        Err(Rejection::new(
            format!(
                "body `{}` is neither empty, `success`, nor a passive reply XML; WeChat shows the user 「该公众号暂时无法提供服务，请稍后再试」",
                crate::render::escape_bytes(body, 60)
            ),
            "return an empty body or the bare text `success` (or a passive reply XML, encrypted in safe mode)",
        ))
    }

    /// Safe and compatible modes carry `msg_signature` beside `signature`.
    fn signatures_in(&self, req: &HttpRequest) -> Vec<String> {
        ["signature", "msg_signature"]
            .into_iter()
            .filter_map(|n| req.query_param(n))
            .collect()
    }

    fn url_warning(&self, url: &str) -> Option<String> {
        port_warning(url)
    }
}

static FACTS: VendorFacts = VendorFacts {
    id: VendorId::Wechat,
    scheme: &scheme::WechatSha1,
    probe_fixtures: &["wechat/echostr", "wechat/text-message"],
    // The token, key and AppID of the Official Account WXBizMsgCrypt sample.
    demo: DemoSecrets::new(
        "spamtest",
        Some("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
    )
    .with_receiver_id("wx2c2769f8efd9abc2"),
    retries: RetrySchedule {
        source: "WeChat: no answer within 5 s, the connection is dropped and the push retried, three tries in all (被动回复用户消息)",
        ..super::wecom::FACTS.retries
    },
    reply_seal: ReplySeal::PassiveXml(["Encrypt", "MsgSignature", "TimeStamp", "Nonce"]),
    // The WeChat family's delivery rule, as WeCom states it: a 5 s deadline, three retries
    // straight away, no freshness window.
    ..super::wecom::FACTS
};

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The request WeChat sends for `plaintext` in `mode` and `format`. The handshake is the same
/// in every mode: echostr travels in the clear and only token, timestamp and nonce are signed.
pub fn seal_as(
    plaintext: &[u8],
    kind: Kind,
    secrets: &Secrets,
    stamp: &Stamp,
    mode: Mode,
    format: Format,
) -> Result<HttpRequest> {
    let signature = scheme::sign3(secrets.token()?, &stamp.timestamp, &stamp.nonce);
    let mut query: Vec<(&str, String)> = vec![
        ("signature", signature),
        ("timestamp", stamp.timestamp.clone()),
        ("nonce", stamp.nonce.clone()),
    ];
    if kind == Kind::Handshake {
        let echostr = std::str::from_utf8(plaintext)
            .map_err(|_| crate::error::Error::malformed("echostr", "not UTF-8"))?;
        query.push(("echostr", echostr.to_string()));
        return Ok(request("GET", &query, None, Vec::new()));
    }
    query.push((
        "openid",
        body::field(plaintext, "FromUserName").unwrap_or_default(),
    ));
    let encrypt = if mode == Mode::Plain {
        String::new()
    } else {
        let (encrypt, msg_signature) = wxcrypt::seal_signed(plaintext, secrets, stamp)?;
        query.push(("encrypt_type", "aes".into()));
        query.push(("msg_signature", msg_signature));
        encrypt
    };
    let body = body::build(plaintext, mode, format, &encrypt)?;
    Ok(request("POST", &query, Some(format), body))
}

fn request(
    method: &str,
    query: &[(&str, String)],
    format: Option<Format>,
    body: Vec<u8>,
) -> HttpRequest {
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    HttpRequest {
        method: method.into(),
        path: "/".into(),
        query: build_query(&pairs),
        headers: format
            .map(|f| vec![("Content-Type".into(), f.content_type().into())])
            .unwrap_or_default(),
        body,
    }
}

/// How this vendor's console names what an encrypted passive reply needs.
const PASSIVE_REPLY: wxcrypt::PassiveReplyWords = wxcrypt::PassiveReplyWords {
    secrets: "Token, EncodingAESKey and AppID",
    token: "Token",
    key_and_id: "the account's EncodingAESKey and AppID",
    receiver_id_fix: "encrypt with the AppID of this Official Account or Mini Program",
};

/// Whether the URL's port is one the console accepts (80 or 443; none written means the
/// scheme's default).
pub fn port_warning(url: &str) -> Option<String> {
    let (Some(_), authority, _) = crate::http::split_url(url) else {
        return None;
    };
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let port = match host_port.strip_prefix('[') {
        Some(v6) => v6.split_once("]:")?.1,
        None => host_port.rsplit_once(':')?.1,
    };
    let port: u16 = port.parse().ok()?;
    (port != 80 && port != 443).then(|| {
        format!(
            "port {port}: the WeChat console accepts only URLs on port 80 (http) or 443 (https); put this receiver behind one of them before saving the URL"
        )
    })
}

#[cfg(test)]
mod tests;
