//! What DingTalk, WeCom and WeChat share on top of the envelope (the WXBizMsgCrypt family):
//! sealing a message for the receiver id, the signature over the ciphertext, checking an
//! encrypted reply (verify-sealed), and the receiver-id check after decryption; WeCom and
//! WeChat also share their senders' stamp, their receivers' plain answer and how a message
//! names its event.

use super::{Callback, Check, Now, Opened, Secrets, Stamp};
use crate::crypto::{self, envelope};
use crate::error::{Error, Result};
use crate::http::HttpReply;

/// Seconds and a ten-digit numeric nonce, as WeCom's and WeChat's servers stamp a message.
pub fn stamp(now: Now) -> Stamp {
    Stamp {
        timestamp: now.secs().to_string(),
        nonce: (1_000_000_000 + u32::from_be_bytes(crypto::random_bytes::<4>()) % 1_000_000_000)
            .to_string(),
    }
}

/// A receiver's answer: the decrypted echostr as plain text for the GET handshake, `success`
/// for a message.
pub fn plain_answer(cb: &Callback, opened: &Opened) -> HttpReply {
    let body: Vec<u8> = if cb.is_get {
        opened.plaintext.to_vec()
    } else {
        b"success".to_vec()
    };
    HttpReply::new(200, "text/plain; charset=utf-8", body)
}

/// A message's event name from its `MsgType` and `Event` fields: `event.<Event>` for events,
/// else the message type (`text`, `image`...).
pub fn event_type(msg_type: Option<String>, event: Option<String>) -> Option<String> {
    match (msg_type, event) {
        (Some(m), Some(e)) if m == "event" => Some(format!("event.{e}")),
        (Some(m), _) => Some(m),
        (None, e) => e,
    }
}

/// `sorted_sha1(token, timestamp, nonce, encrypted)`.
pub fn sign(cb: &Callback, secrets: &Secrets, hint: &str) -> Result<String> {
    let payload = cb.payload(hint)?;
    Ok(crypto::sorted_sha1(&[
        secrets.token()?,
        cb.timestamp()?,
        cb.nonce()?,
        &payload.value,
    ]))
}

/// Encrypt `plaintext` for the configured receiver id with a fresh random prefix.
pub fn seal(plaintext: &[u8], secrets: &Secrets) -> Result<String> {
    let key = envelope::AesKey::from_encoding_aes_key("aes-key", secrets.aes_key()?)?;
    Ok(envelope::seal(
        &key,
        &crypto::random_bytes::<16>(),
        plaintext,
        secrets.receiver_id()?,
    ))
}

/// An encrypted message and its signature under `stamp`: `(encrypt, msg_signature)`, the
/// fields of a receiver's encrypted reply.
pub fn seal_signed(plaintext: &[u8], secrets: &Secrets, stamp: &Stamp) -> Result<(String, String)> {
    let encrypt = seal(plaintext, secrets)?;
    let signature =
        crypto::sorted_sha1(&[secrets.token()?, &stamp.timestamp, &stamp.nonce, &encrypt]);
    Ok((encrypt, signature))
}

/// Why an encrypted reply does not check out.
#[derive(Debug)]
pub enum SealedFault {
    /// The signature cannot be computed: a secret or a field is missing.
    Unchecked(Error),
    /// The signature was not made over these fields with the configured token.
    Signature,
    /// The ciphertext does not decrypt with the configured key.
    Decrypt(Error),
}

/// Verify-sealed: check an encrypted reply's signature (`cb.signature` over its timestamp,
/// nonce and payload), then decrypt it. The receiver id inside is left to the vendor's
/// `check_opened`, which knows the ids it also accepts.
pub fn verify_sealed(
    cb: &Callback,
    secrets: &Secrets,
    hint: &str,
) -> std::result::Result<Opened, SealedFault> {
    let expected = sign(cb, secrets, hint).map_err(SealedFault::Unchecked)?;
    let got = cb.signature.as_deref().unwrap_or_default();
    if !crypto::ct_eq(expected.as_bytes(), got.as_bytes()) {
        return Err(SealedFault::Signature);
    }
    open(cb, secrets, hint).map_err(SealedFault::Decrypt)
}

/// Decrypt the payload of a callback.
pub fn open(cb: &Callback, secrets: &Secrets, hint: &str) -> Result<Opened> {
    let payload = cb.payload(hint)?;
    let key = envelope::AesKey::from_encoding_aes_key("aes-key", secrets.aes_key()?)?;
    let o = envelope::open(payload.field, &key, &payload.value)?;
    Ok(Opened {
        plaintext: o.msg,
        receiver_id: Some(o.receiver_id),
        decrypted: true,
    })
}

/// Compare the receiver id found inside the ciphertext with the configured one. `also_ok` are
/// ids the vendor legitimately uses instead (DingTalk's default suite key during suite creation).
pub fn receiver_check(
    opened: &Opened,
    secrets: &Secrets,
    also_ok: &[&str],
    error_code: &str,
) -> Vec<Check> {
    let (Some(own), Some(found)) = (&secrets.receiver_id, &opened.receiver_id) else {
        return Vec::new();
    };
    if found == own {
        return vec![Check::pass("receiver_id", own.clone(), found.clone())];
    }
    if also_ok.contains(&found.as_str()) {
        let mut c = Check::pass("receiver_id", own.clone(), found.clone());
        c.note = format!("`{found}` is the vendor's placeholder id for this handshake");
        return vec![c];
    }
    vec![Check::fail(
        "receiver_id",
        own.clone(),
        found.clone(),
        format!(
            "receiver id mismatch ({error_code}): the ciphertext is for `{found}`, configured `{own}`"
        ),
    )]
}

/// How a vendor names the secrets an encrypted passive reply needs, for the fixes it states.
pub struct PassiveReplyWords {
    /// The three secrets, as the console names them ("token, EncodingAESKey and corpid").
    pub secrets: &'static str,
    /// The token, as the console names it.
    pub token: &'static str,
    /// What encrypts the reply ("the app's EncodingAESKey and receiver id").
    pub key_and_id: &'static str,
    /// The fix for a reply sealed for another receiver id.
    pub receiver_id_fix: &'static str,
}

/// Judge an encrypted passive reply `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`
/// (WeCom, WeChat): every field present, the signature verifies, it decrypts, and the receiver
/// id inside is one `vendor` accepts.
pub fn check_passive_reply(
    vendor: &dyn super::Vendor,
    xml: &str,
    secrets: &Secrets,
    hint: &str,
    words: &PassiveReplyWords,
) -> std::result::Result<(), super::Rejection> {
    use super::{Payload, Rejection};
    let get = |n: &str| {
        super::wecom::xml_field(xml, n).ok_or_else(|| {
            Rejection::new(
                format!("encrypted reply XML lacks <{n}>"),
                "return all four of <Encrypt>, <MsgSignature>, <TimeStamp> and <Nonce> (or just `success`)",
            )
        })
    };
    let cb = Callback {
        timestamp: Some(get("TimeStamp")?),
        nonce: Some(get("Nonce")?),
        signature: Some(get("MsgSignature")?),
        payload: Some(Payload::new("Encrypt", get("Encrypt")?)),
        ..Callback::default()
    };
    let opened = verify_sealed(&cb, secrets, hint).map_err(|fault| match fault {
        SealedFault::Unchecked(e) => Rejection::new(
            e.to_string(),
            format!("give cbkit the {} the receiver uses", words.secrets),
        ),
        SealedFault::Signature => Rejection::new(
            "encrypted reply's MsgSignature does not verify",
            format!(
                "sign sorted({}, TimeStamp, Nonce, Encrypt) with the {} configured in the console",
                words.token, words.token
            ),
        ),
        SealedFault::Decrypt(e) => Rejection::new(
            format!("encrypted reply does not decrypt: {e}"),
            format!("encrypt with {}", words.key_and_id),
        ),
    })?;
    match vendor
        .check_opened(&opened, secrets)
        .into_iter()
        .find(|c| !c.ok)
    {
        Some(c) => Err(Rejection::new(
            format!("encrypted reply: {}", c.note),
            words.receiver_id_fix,
        )),
        None => Ok(()),
    }
}
