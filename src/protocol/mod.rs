//! Protocol knowledge, one module per vendor behind the [`Vendor`] trait. Functions over bytes:
//! no sockets, no clock reads (time comes in as arguments), no environment, no printing. The one
//! impurity is randomness: building a request or a reply draws fresh nonces and AES prefixes,
//! as the vendors' own senders do.
//!
//! The pivot is [`Callback`]: the vendor-neutral fields of one callback request (timestamp,
//! nonce, signature, the signed payload string exactly as received, the raw body). A vendor
//! parses an HTTP request into it, signs and verifies it, opens its body, builds the reply a
//! correct receiver gives, builds the request the vendor itself would send, and judges whether
//! a receiver's reply is one the vendor accepts.
//!
//! Adding a vendor:
//! 1. `src/protocol/<vendor>.rs`: a unit struct implementing [`Vendor`]. Its constant facts
//!    (scheme, probe fixtures, demo secrets, deadlines, retry schedule, freshness window, how
//!    a reply is sealed) are one `static FACTS: VendorFacts` that `facts()` returns; the trait
//!    reads `id()`, `deadline()`, `retry_schedule()`, `sealed_reply()`… from it. The code is
//!    the rest: `parse`, `sign`, `placement`, `open`, `stamp`, `seal_outgoing` (an
//!    [`Outgoing`]), `answer` (an [`Answering`]) and `judge` (a [`Judgement`]). Reuse what
//!    exists: [`wxcrypt`] for the WXBizMsgCrypt envelope, a [`scheme`] for the signature (a new
//!    algorithm is a new `scheme/<name>.rs`, with its facts, explanation steps and near
//!    misses), [`signed_request`] and [`Stamp::callback`] for the request a sender writes,
//!    [`Callback::received`], [`Payload::new`] and [`Opened::plain`] for what every parse and
//!    open keeps. Every fact gets a comment naming its source (vendor page or SDK file).
//! 2. One variant of [`VendorId`] and one row in `id.rs` (name, aliases, title, implementation):
//!    help lists, completions, value parsing and listen's `/<vendor>` routes follow from it.
//! 3. `fixtures/<vendor>/*.json`: the handshake(s) and a few events from the vendor's docs; the
//!    first ones named by `probe_plan`.
//! 4. Tests: the vendor's published vectors (`tests/vectors.rs`), round trips and tampering
//!    (`tests/roundtrip.rs` runs every bundled fixture of every vendor), one explain test per new
//!    mistake id (`tests/explain.rs` fails without it), and `cbkit demo` passing. Unit tests
//!    beside the code use `test_support` (requests, rejections, the vendor's stated facts).
//! 5. README (vendor list, protocol readings) and `scripts/regen.sh` for completions and man.

mod check;
pub mod dingtalk;
mod facts;
pub mod feishu;
pub mod id;
pub mod inspect;
mod json_at;
pub mod probe_input;
mod rejection;
pub mod scheme;
mod secrets_by_vendor;
mod sending;
pub mod summary;
pub mod tencent_im;
#[cfg(test)]
pub(crate) mod test_support;
pub mod wechat;
pub mod wecom;
pub mod wemeet;
pub mod wxcrypt;

use std::time::Duration;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::http::{HttpReply, HttpRequest};
use crate::secret::Secret;

pub use check::{Check, CheckId};
pub use facts::{Deadlines, DemoSecrets, ReplySeal, RetrySchedule, VendorFacts};
pub use id::VendorId;
pub use inspect::{Inspection, Role, inspect};
pub use probe_input::{Forged, ProbeInput};
pub use rejection::{Judgement, Rejection, Warning, json_reply, plain_reply_mismatch, require_200};
pub use secrets_by_vendor::SecretsByVendor;
pub use sending::{Outgoing, Placement, Stamp, signed_request};

/// The secrets and ids a receiver is configured with.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    /// Token (Tencent Meeting, Tencent IM callback key, DingTalk, WeCom) or Feishu Verification Token.
    pub token: Option<Secret>,
    /// EncodingAESKey (Tencent Meeting, DingTalk, WeCom) or Feishu Encrypt Key.
    pub aes_key: Option<Secret>,
    /// DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id.
    pub receiver_id: Option<String>,
    /// Tencent IM/Room SDKAppID.
    pub sdk_app_id: Option<String>,
}

impl Secrets {
    /// A token and, for a vendor that encrypts, its key; no ids.
    pub fn new(token: &str, aes_key: Option<&str>) -> Secrets {
        Secrets {
            token: Some(Secret::new(token)),
            aes_key: aes_key.map(Secret::new),
            ..Secrets::default()
        }
    }

    /// These secrets with the receiver id (DingTalk corpId, WeCom corpid, WeChat AppID).
    pub fn with_receiver_id(self, id: &str) -> Secrets {
        Secrets {
            receiver_id: Some(id.into()),
            ..self
        }
    }

    /// These secrets with Tencent IM's SDKAppID.
    pub fn with_sdk_app_id(self, id: &str) -> Secrets {
        Secrets {
            sdk_app_id: Some(id.into()),
            ..self
        }
    }

    /// The names a missing secret's error carries, as the command line spells them.
    pub const FIELDS: [&'static str; 4] = ["token", "aes-key", "receiver-id", "sdk-app-id"];

    /// Whether `e` says a secret is not configured (not a field missing from a request).
    pub fn is_missing_secret(e: &Error) -> bool {
        e.is_missing() && Secrets::FIELDS.contains(&e.field())
    }
    pub fn token(&self) -> Result<&str> {
        self.token
            .as_ref()
            .map(Secret::expose)
            .ok_or_else(|| Error::missing(Secrets::FIELDS[0], ""))
    }

    pub fn aes_key(&self) -> Result<&str> {
        self.aes_key
            .as_ref()
            .map(Secret::expose)
            .ok_or_else(|| Error::missing(Secrets::FIELDS[1], ""))
    }

    pub fn receiver_id(&self) -> Result<&str> {
        self.receiver_id
            .as_deref()
            .ok_or_else(|| Error::missing(Secrets::FIELDS[2], ""))
    }

    pub fn sdk_app_id(&self) -> Result<&str> {
        self.sdk_app_id
            .as_deref()
            .ok_or_else(|| Error::missing(Secrets::FIELDS[3], ""))
    }

    /// `text` with the token's and the key's values hidden: text derived from a request or a
    /// template can quote them (Feishu's plaintext carries the Verification Token).
    pub fn redact(&self, text: &str) -> String {
        self.redact_cow(text).into_owned()
    }

    /// `text` as it is when the user asked to see secrets (`--show-secrets`), else redacted.
    pub fn redact_unless<'t>(&self, show: bool, text: &'t str) -> std::borrow::Cow<'t, str> {
        if show {
            std::borrow::Cow::Borrowed(text)
        } else {
            self.redact_cow(text)
        }
    }

    /// [`Secrets::redact`], borrowing `text` when it holds nothing to hide.
    pub fn redact_cow<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        crate::secret::redact_cow(text, [&self.token, &self.aes_key].into_iter().flatten())
    }
}

/// The signed payload of a callback: its field name and its value exactly as received
/// (after percent-decoding when it travelled in the query string).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payload {
    pub field: &'static str,
    pub value: String,
}

impl Payload {
    pub fn new(field: &'static str, value: String) -> Payload {
        Payload { field, value }
    }
}

/// Whether a request is a URL-verification handshake or an event delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Handshake,
    Event,
}

/// The vendor-neutral fields of one callback request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Callback {
    pub timestamp: Option<String>,
    pub nonce: Option<String>,
    pub signature: Option<String>,
    pub payload: Option<Payload>,
    /// The raw body (Feishu signs it; Tencent IM's body is the plaintext).
    pub body: Vec<u8>,
    /// Tencent IM: RequestTime, SdkAppid, CallbackCommand.
    pub request_time: Option<String>,
    pub sdk_app_id: Option<String>,
    pub command: Option<String>,
    /// True for GET handshakes (Tencent Meeting check_str, WeCom echostr).
    pub is_get: bool,
}

impl Callback {
    /// What every vendor keeps of a request as received: the raw body and whether it is a GET.
    /// A vendor's [`parse`](Vendor::parse) adds the fields it carries.
    pub fn received(req: &HttpRequest) -> Callback {
        Callback {
            body: req.body.clone(),
            is_get: req.method == "GET",
            ..Callback::default()
        }
    }

    pub fn timestamp(&self) -> Result<&str> {
        self.timestamp
            .as_deref()
            .ok_or_else(|| Error::missing("timestamp", ""))
    }

    pub fn nonce(&self) -> Result<&str> {
        self.nonce
            .as_deref()
            .ok_or_else(|| Error::missing("nonce", ""))
    }

    pub fn signature(&self) -> Result<&str> {
        self.signature
            .as_deref()
            .ok_or_else(|| Error::missing("signature", ""))
    }

    /// The signed payload; `hint` says where the vendor carries it.
    pub fn payload(&self, hint: &str) -> Result<&Payload> {
        self.payload
            .as_ref()
            .ok_or_else(|| Error::missing("payload", hint))
    }
}

/// A decoded (and, where the vendor encrypts, decrypted) callback body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// Where decryption left it (no copy); reads as `&[u8]`.
    pub plaintext: crate::crypto::Plaintext,
    /// DingTalk/WeCom: the receiver id found inside the ciphertext.
    pub receiver_id: Option<String>,
    /// Whether AES decryption was involved (for display).
    pub decrypted: bool,
}

impl Opened {
    /// A body that travelled unencrypted.
    pub fn plain(plaintext: impl Into<crate::crypto::Plaintext>) -> Opened {
        Opened {
            plaintext: plaintext.into(),
            receiver_id: None,
            decrypted: false,
        }
    }

    /// `cb`'s unencrypted body, which must be JSON; `missing` says who posts it.
    pub fn json_body(cb: &Callback, missing: &str) -> Result<Opened> {
        if cb.body.is_empty() {
            return Err(Error::missing("body", missing));
        }
        serde_json::from_slice::<serde_json::Value>(&cb.body)
            .map_err(|e| Error::malformed("body", format!("not JSON: {e}")))?;
        Ok(Opened::plain(cb.body.clone()))
    }

    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.plaintext).map_err(|e| {
            Error::malformed(
                "plaintext",
                format!("decoded bytes are not UTF-8 (invalid at byte {}); wrong key or not this vendor's format?", e.valid_up_to()),
            )
        })
    }
}

/// What a receiver answers from: the callback's fields, its opened body, the receiver's
/// secrets and a fresh stamp (for a vendor whose answer is sealed).
#[derive(Debug, Clone, Copy)]
pub struct Answering<'a> {
    pub cb: &'a Callback,
    pub opened: &'a Opened,
    pub secrets: &'a Secrets,
    pub stamp: &'a Stamp,
}

/// The first of `pointers` that holds a string in a JSON plaintext: where a vendor names its
/// event.
pub fn event_type_at(plain: &[u8], pointers: &[&str]) -> Option<String> {
    pointers.iter().find_map(|p| json_at::string_at(plain, p))
}

/// A freshness window setting (`--max-skew`): the vendor's documented window, none, or a
/// chosen one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SkewWindow {
    #[default]
    VendorDefault,
    Off,
    Within(Duration),
}

impl SkewWindow {
    /// The window to check `vendor`'s timestamps against, if any.
    pub fn for_vendor(self, vendor: &dyn Vendor) -> Option<Duration> {
        match self {
            SkewWindow::VendorDefault => vendor.max_skew(),
            SkewWindow::Off => None,
            SkewWindow::Within(d) => Some(d),
        }
    }
}

/// When a callback is checked and how far from then its timestamp may be: the window in force
/// (`SkewWindow::for_vendor`), None for no freshness check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    pub now: Now,
    pub window: Option<Duration>,
}

/// The freshness check: `ms` (the callback's time) within `window` of `now`, either way.
pub fn freshness(name: CheckId, raw: &str, ms: u64, now: Now, window: Duration) -> Check {
    let skew_ms = now.unix_ms.abs_diff(ms);
    let expected = format!("within {} of now", human(window));
    if u128::from(skew_ms) > window.as_millis() {
        let dir = if ms < now.unix_ms {
            "old"
        } else {
            "in the future"
        };
        Check::fail(
            name,
            expected,
            raw,
            format!(
                "{} is {} {dir}: stale or replayed (or a clock is wrong; widen with --max-skew)",
                name,
                human(Duration::from_millis(skew_ms))
            ),
        )
    } else {
        Check::pass(name, expected, raw)
    }
}

fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.3} s", d.as_secs_f64())
    }
}

/// A string field of a JSON plaintext, by JSON pointer (the first that is present).
pub fn json_field(plaintext: &[u8], pointers: &[&str]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(plaintext).ok()?;
    pointers.iter().find_map(|p| match v.pointer(p)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// An encrypted reply and its fields, keys spelled as the vendor spells them.
#[derive(Debug, Clone)]
pub struct SealedReply {
    pub reply: HttpReply,
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// A sender's choice among the ways a vendor can deliver one message (WeChat: the message mode
/// and the data format chosen in its console), by name; None keeps the vendor's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Variant {
    pub mode: Option<String>,
    pub format: Option<String>,
}

impl Variant {
    /// No choice: every vendor's default.
    pub const DEFAULT: Variant = Variant {
        mode: None,
        format: None,
    };

    /// Each choice of `self`, else `other`'s (a command-line flag over a fixture's field).
    pub fn or(&self, other: &Variant) -> Variant {
        Variant {
            mode: self.mode.clone().or_else(|| other.mode.clone()),
            format: self.format.clone().or_else(|| other.format.clone()),
        }
    }
}

/// Unix time in seconds and milliseconds, passed into the pure functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    pub unix_ms: u64,
}

impl Now {
    pub fn system() -> Self {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Now {
            unix_ms: d.as_millis() as u64,
        }
    }

    pub fn secs(self) -> u64 {
        self.unix_ms / 1000
    }
}

/// One vendor's protocol.
pub trait Vendor: Sync {
    /// The vendor's constant facts; the methods of the same names read them.
    fn facts(&self) -> &'static VendorFacts;

    fn id(&self) -> VendorId {
        self.facts().id
    }

    /// The vendor's name in running text (help lines), where the full title is too long.
    fn short_title(&self) -> &'static str {
        self.id().title()
    }

    /// The signature algorithm family: signing, its steps and its near misses.
    fn scheme(&self) -> &'static dyn scheme::Scheme {
        self.facts().scheme
    }

    /// How far a timestamp may be from now before the vendor's own SDKs (or cbkit) call it
    /// stale; None when the vendor documents no window.
    fn max_skew(&self) -> Option<Duration> {
        self.facts().max_skew
    }

    /// How sure this vendor is that `req` is one of its callbacks, from the request's shape
    /// alone (0: not ours; the highest score wins in `listen --vendor auto` at `/`).
    fn recognise(&self, req: &HttpRequest) -> u8;

    /// The fixtures `probe` sends: the URL-verification handshake(s), then one sample event.
    fn probe_fixtures(&self) -> &'static [&'static str] {
        self.facts().probe_fixtures
    }

    /// The fixtures `probe` sends to a receiver configured with `secrets`: the probe fixtures,
    /// plus any handshake only some receivers get.
    fn probe_plan(&self, secrets: &Secrets) -> Vec<&'static str> {
        let _ = secrets;
        self.probe_fixtures().to_vec()
    }

    /// The plaintext `probe` sends in place of a fixture's: the text real users type (Chinese,
    /// emoji) where the vendor carries a message text.
    fn probe_text(&self, plaintext: &[u8], kind: Kind) -> Vec<u8> {
        let _ = kind;
        plaintext.to_vec()
    }

    /// The request `probe` sends for one step of its plan: [`probe_text`](Vendor::probe_text)
    /// sealed as the vendor seals it, resealed until its payload's base64 holds `+` and `/` (the
    /// inputs the vendor really sends that expose a receiver's mistakes).
    fn probe_input(
        &self,
        plaintext: &[u8],
        kind: Kind,
        secrets: &Secrets,
        stamp: &Stamp,
    ) -> Result<ProbeInput> {
        self.probe_outgoing(&Outgoing {
            plaintext,
            kind,
            secrets,
            stamp,
            variant: &Variant::DEFAULT,
        })
    }

    /// [`probe_input`](Vendor::probe_input) for `out`; a vendor whose inputs need more than
    /// [`probe_text`](Vendor::probe_text) and resealing builds them here.
    fn probe_outgoing(&self, out: &Outgoing) -> Result<ProbeInput> {
        let text = self.probe_text(out.plaintext, out.kind);
        probe_input::reseal_until(self, &text, out.kind, out.secrets, out.stamp, |p| {
            probe_input::holds_all(p, &probe_input::BASE64_SPECIALS)
        })
    }

    /// Every signature a request carries, as sent: what `probe` forges (a forged request must
    /// change them all, or a receiver checking another one would look fooled).
    fn signatures_in(&self, req: &HttpRequest) -> Vec<String> {
        self.parse(req)
            .ok()
            .and_then(|cb| cb.signature)
            .into_iter()
            .collect()
    }

    /// The ids `probe`'s negative checks forge: secrets like `secrets` but naming another
    /// receiver (AES vendors' receiver id, Tencent IM's SdkAppid). A careful receiver refuses a
    /// request sealed with them.
    fn forged_ids(&self, secrets: &Secrets) -> Vec<(Forged, Secrets)> {
        let _ = secrets;
        Vec::new()
    }

    /// Secrets from the vendor's own published examples, so a demo needs no real ones.
    fn demo_secrets(&self) -> Secrets {
        self.facts().demo.secrets()
    }

    /// The event's type named inside a plaintext, in the vendor's own field.
    fn event_type(&self, plaintext: &[u8]) -> Option<String>;

    /// Pull the fields of a callback out of an HTTP request as received.
    fn parse(&self, req: &HttpRequest) -> Result<Callback>;

    /// The signature the vendor computes for these fields.
    fn sign(&self, cb: &Callback, secrets: &Secrets) -> Result<String>;

    /// Where the signature and its inputs travel in a request.
    fn placement(&self, cb: &Callback, signature: &str) -> Placement;

    /// Fill what a sender chooses (timestamp, nonce; Tencent IM: RequestTime and SdkAppid)
    /// where the caller left it empty, from a stamp for `now`. The stamp is drawn only when a
    /// field is missing: its random nonce seeds the thread's generator (a system call and a CPU
    /// probe), work that `sign` given every field need not do.
    fn fill_defaults(&self, cb: &mut Callback, secrets: &Secrets, now: Now) {
        let _ = secrets;
        if cb.timestamp.is_none() || cb.nonce.is_none() {
            let stamp = self.stamp(now);
            cb.timestamp.get_or_insert(stamp.timestamp);
            cb.nonce.get_or_insert(stamp.nonce);
        }
    }

    /// The receiver's encrypted answer carrying `plaintext` (DingTalk's map, WeCom's passive
    /// XML). Vendors whose replies are plain say so.
    fn sealed_reply(
        &self,
        plaintext: &[u8],
        secrets: &Secrets,
        stamp: &Stamp,
    ) -> Result<SealedReply> {
        self.facts()
            .reply_seal
            .seal(plaintext, secrets, stamp)
            .unwrap_or_else(|| {
                Err(Error::malformed(
                    "reply",
                    format!(
                        "{} replies are not encrypted; nothing to build",
                        self.id().title()
                    ),
                ))
            })
    }

    /// The callback's timestamp as Unix milliseconds (vendors send seconds or milliseconds:
    /// a value past 10^11 is taken as milliseconds), when it carries one.
    fn timestamp_ms(&self, cb: &Callback) -> Option<u64> {
        let n: u64 = cb.timestamp.as_deref()?.trim().parse().ok()?;
        Some(if n > 100_000_000_000 {
            n
        } else {
            n.saturating_mul(1000)
        })
    }

    /// `verify` with a freshness window (`--max-skew`) instead of the vendor's default
    /// (`max_skew()`): adds a `timestamp` check when the window is set and the callback has a
    /// timestamp; a timestamp that is not a number fails it.
    fn verify_within(&self, cb: &Callback, secrets: &Secrets, at: Freshness) -> Result<Vec<Check>> {
        let mut checks = self.verify(cb, secrets, at.now)?;
        checks.extend(self.freshness_check(cb, at));
        Ok(checks)
    }

    /// The `timestamp` freshness check alone (made even when no token is configured to check
    /// the signature): None without a window or a timestamp; a timestamp that is not a number
    /// fails it.
    fn freshness_check(&self, cb: &Callback, at: Freshness) -> Option<Check> {
        let (w, raw) = (at.window?, cb.timestamp.as_deref()?);
        Some(match self.timestamp_ms(cb) {
            Some(ms) => freshness(CheckId::Timestamp, raw, ms, at.now, w),
            None => Check::fail(
                CheckId::Timestamp,
                "a Unix time",
                raw,
                "the timestamp is not a number",
            ),
        })
    }

    /// The id a vendor gives one event (retries of a delivery repeat it), for duplicate
    /// detection: Tencent Meeting `unique_sequence`, Feishu `header.event_id`/`uuid`, WeCom `MsgId`.
    fn event_id(&self, plaintext: &[u8]) -> Option<String> {
        let _ = plaintext;
        None
    }

    /// Checks made before opening the body: the signature, and vendor extras (Tencent IM's
    /// SdkAppid and RequestTime freshness). Errors only for missing or malformed inputs.
    fn verify(&self, cb: &Callback, secrets: &Secrets, now: Now) -> Result<Vec<Check>> {
        let _ = now;
        let expected = self.sign(cb, secrets)?;
        Ok(vec![Check::signature(expected, cb.signature()?)])
    }

    /// Decode (and decrypt) the body or handshake payload.
    fn open(&self, cb: &Callback, secrets: &Secrets) -> Result<Opened>;

    /// Checks made on the opened body: DingTalk/WeCom receiver id, Feishu token.
    fn check_opened(&self, opened: &Opened, secrets: &Secrets) -> Vec<Check> {
        let _ = (opened, secrets);
        Vec::new()
    }

    /// A fresh timestamp in the vendor's unit and a fresh nonce.
    fn stamp(&self, now: Now) -> Stamp;

    /// Handshake or event, from the method and the plaintext: by default a GET is the
    /// handshake (Tencent Meeting's check_str, the WeChat family's echostr).
    fn kind(&self, is_get: bool, plaintext: &[u8]) -> Kind {
        let _ = plaintext;
        if is_get { Kind::Handshake } else { Kind::Event }
    }

    /// The request the vendor sends to deliver `plaintext`, in its default variant.
    fn seal(
        &self,
        plaintext: &[u8],
        kind: Kind,
        secrets: &Secrets,
        stamp: &Stamp,
    ) -> Result<HttpRequest> {
        self.seal_outgoing(&Outgoing {
            plaintext,
            kind,
            secrets,
            stamp,
            variant: &Variant::DEFAULT,
        })
    }

    /// The request the vendor sends for `out`: what [`seal`](Vendor::seal) and
    /// [`seal_variant`](Vendor::seal_variant) build. A vendor with one way of delivering
    /// ignores `out.variant` (`seal_variant` has refused any other).
    fn seal_outgoing(&self, out: &Outgoing) -> Result<HttpRequest>;

    /// Whether the vendor can deliver in `variant`. A vendor with one way of delivering
    /// refuses any choice.
    fn check_variant(&self, variant: &Variant) -> Result<()> {
        let field = match (&variant.mode, &variant.format) {
            (Some(_), _) => "mode",
            (None, Some(_)) => "format",
            (None, None) => return Ok(()),
        };
        Err(Error::malformed(
            field,
            format!(
                "{} delivers in one way only; a message {field} applies to wechat only",
                self.id().title()
            ),
        ))
    }

    /// [`seal`](Vendor::seal) in the sender's chosen `variant`.
    fn seal_variant(
        &self,
        plaintext: &[u8],
        kind: Kind,
        secrets: &Secrets,
        stamp: &Stamp,
        variant: &Variant,
    ) -> Result<HttpRequest> {
        self.check_variant(variant)?;
        self.seal_outgoing(&Outgoing {
            plaintext,
            kind,
            secrets,
            stamp,
            variant,
        })
    }

    /// The answer a correct receiver gives to this callback.
    fn reply(
        &self,
        cb: &Callback,
        opened: &Opened,
        secrets: &Secrets,
        stamp: &Stamp,
    ) -> Result<HttpReply> {
        self.answer(&Answering {
            cb,
            opened,
            secrets,
            stamp,
        })
    }

    /// [`reply`](Vendor::reply) from its inputs in one: what each vendor implements.
    fn answer(&self, to: &Answering) -> Result<HttpReply>;

    /// Whether the vendor accepts `reply` to a delivery of `sent_plaintext`; the rejection
    /// names the reason and the change that makes the receiver's answer acceptable.
    fn judge(
        &self,
        kind: Kind,
        sent_plaintext: &[u8],
        reply: &HttpReply,
        secrets: &Secrets,
    ) -> Judgement;

    /// What the vendor accepts in `reply` but a receiver should still change; asked only of a
    /// reply [`judge`](Vendor::judge) accepted.
    fn reply_warnings(&self, kind: Kind, sent_plaintext: &[u8], reply: &HttpReply) -> Vec<Warning> {
        let _ = (kind, sent_plaintext, reply);
        Vec::new()
    }

    /// [`judge`](Vendor::judge), with the warnings on a reply it accepts.
    fn judge_warned(
        &self,
        kind: Kind,
        sent_plaintext: &[u8],
        reply: &HttpReply,
        secrets: &Secrets,
    ) -> std::result::Result<Vec<Warning>, Rejection> {
        self.judge(kind, sent_plaintext, reply, secrets)?;
        Ok(self.reply_warnings(kind, sent_plaintext, reply))
    }

    /// How long the vendor waits for the reply to a callback of `kind` carrying `plaintext`.
    fn deadline(&self, kind: Kind, plaintext: &[u8]) -> Duration {
        let _ = plaintext;
        self.facts().deadlines.of(kind)
    }

    /// The vendor's retry schedule after a failed delivery.
    fn retry_schedule(&self) -> RetrySchedule {
        self.facts().retries
    }

    /// What a decrypted plaintext shows about its sender's encoding mistakes, with the text the
    /// sender meant; None when it looks as the vendor sends it.
    fn plaintext_note(&self, plaintext: &[u8]) -> Option<String> {
        let _ = plaintext;
        None
    }

    /// A warning about the receiver's URL that the vendor's console would refuse (`probe`).
    fn url_warning(&self, url: &str) -> Option<String> {
        let _ = url;
        None
    }

    /// The receiver ids that are acceptable even when they differ from the configured one.
    fn extra_receiver_ids(&self, plaintext: &[u8]) -> Vec<&'static str> {
        let _ = plaintext;
        Vec::new()
    }
}

#[cfg(test)]
mod tests;
