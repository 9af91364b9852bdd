//! What DingTalk and WeCom share on top of the envelope: the signature over the ciphertext and
//! the receiver-id check after decryption.

use super::{Callback, Check, Opened, Secrets};
use crate::crypto::{self, envelope};
use crate::error::Result;

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
