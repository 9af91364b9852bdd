//! The WXBizMsgCrypt-family envelope shared by DingTalk and WeCom:
//! `base64(AES-256-CBC(key, iv = key[0..16], pkcs7_32(random16 ‖ u32be(len) ‖ msg ‖ receiver_id)))`
//! with `key = base64_decode(EncodingAESKey + "=")`.

use base64::Engine;

use super::{LENIENT, Plaintext, aes_cbc, b64_decode, b64_encode};
use crate::error::{Cause, Error, Result};

/// The 32-byte AES key behind a 43-character EncodingAESKey.
#[derive(Clone)]
pub struct AesKey(pub [u8; 32]);

impl std::fmt::Debug for AesKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AesKey(redacted)")
    }
}

impl AesKey {
    /// Parse an EncodingAESKey. Errors say what is wrong with it without printing it.
    pub fn from_encoding_aes_key(field: &str, key: &str) -> Result<Self> {
        let len = if key.is_ascii() {
            key.len()
        } else {
            key.chars().count()
        };
        if len == 44 && key.ends_with('=') {
            return Err(Error::malformed(
                field,
                "EncodingAESKey has 44 characters ending in '=': copy the 43 characters the console shows, without the '='",
            )
            .because(Cause::KeyStrayEquals));
        }
        if len != 43 {
            return Err(Error::malformed(
                field,
                format!("EncodingAESKey must be 43 characters, got {len} (DingTalk error 900004)"),
            )
            .because(Cause::KeyLength));
        }
        // Decoded straight into the key, no padding appended, no allocation: parsed on every
        // request a receiver opens. Trailing bits are ignored, as `base64_decode(key + "=")` in
        // the vendors' SDKs ignores them.
        let mut buf = [0u8; 33];
        let n = LENIENT.decode_slice(key, &mut buf).map_err(|_| {
            Error::malformed(
                field,
                "EncodingAESKey is not valid base64 (DingTalk error 900004)",
            )
            .because(Cause::KeyEncoding)
        })?;
        let arr: [u8; 32] = buf[..n].try_into().map_err(|_| {
            Error::malformed(
                field,
                "EncodingAESKey does not decode to 32 bytes (DingTalk error 900004)",
            )
            .because(Cause::KeyEncoding)
        })?;
        Ok(AesKey(arr))
    }

    pub fn iv(&self) -> [u8; 16] {
        self.0[..16].try_into().expect("16 of 32 bytes")
    }
}

/// What an opened envelope holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub random: [u8; 16],
    pub msg: Plaintext,
    pub receiver_id: String,
}

/// Encrypt `msg` for `receiver_id` with the given 16 random prefix bytes; pads to 32.
pub fn seal(key: &AesKey, random: &[u8; 16], msg: &[u8], receiver_id: &str) -> String {
    let mut frame = Vec::with_capacity(20 + msg.len() + receiver_id.len());
    frame.extend_from_slice(random);
    frame.extend_from_slice(&(msg.len() as u32).to_be_bytes());
    frame.extend_from_slice(msg);
    frame.extend_from_slice(receiver_id.as_bytes());
    b64_encode(&aes_cbc::encrypt(&key.0, &key.iv(), &frame, 32))
}

/// Decrypt an envelope and split its frame. Does not check the receiver id: the caller knows
/// which id it expects and reports a mismatch with the id found.
pub fn open(field: &str, key: &AesKey, encrypted: &str) -> Result<Opened> {
    // Decoded, decrypted and unframed in one buffer: no copy of the message is made.
    let mut plain = b64_decode(field, encrypted)?;
    aes_cbc::decrypt_in_place(field, &key.0, &key.iv(), &mut plain)?;
    if plain.len() < 20 {
        return Err(Error::malformed(
            field,
            format!(
                "decrypted frame is {} bytes, shorter than the 20-byte header",
                plain.len()
            ),
        )
        .because(Cause::BadFrame));
    }
    let len = u32::from_be_bytes(plain[16..20].try_into().expect("4 bytes")) as usize;
    if len > plain.len() - 20 {
        return Err(Error::malformed(
            field,
            format!(
                "decrypted length field says {len} bytes but only {} follow (error 900009: wrong key or altered ciphertext)",
                plain.len() - 20
            ),
        )
        .because(Cause::BadFrame));
    }
    let receiver_id = std::str::from_utf8(&plain[20 + len..])
        .map_err(|_| {
            Error::malformed(
                field,
                "receiver id inside the ciphertext is not UTF-8 (wrong key?)",
            )
            .because(Cause::BadFrame)
        })?
        .to_string();
    let random = plain[..16].try_into().expect("16 bytes");
    Ok(Opened {
        random,
        msg: Plaintext::within(plain, 20..20 + len),
        receiver_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7";

    #[test]
    fn round_trip() {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        let enc = seal(&key, &[3; 16], "你好".as_bytes(), "corp1");
        let o = open("encrypt", &key, &enc).unwrap();
        assert_eq!(o.msg, "你好".as_bytes());
        assert_eq!(o.receiver_id, "corp1");
        assert_eq!(o.random, [3; 16]);
    }

    #[test]
    fn key_errors_are_specific() {
        let e = AesKey::from_encoding_aes_key("aes-key", &format!("{KEY}=")).unwrap_err();
        assert!(e.to_string().contains("without the '='"), "{e}");
        let e = AesKey::from_encoding_aes_key("aes-key", &KEY[..40]).unwrap_err();
        assert!(e.to_string().contains("got 40"), "{e}");
        assert!(!e.to_string().contains(&KEY[..10]), "key leaked: {e}");
        let e = AesKey::from_encoding_aes_key("aes-key", &format!("{}*", &KEY[..42])).unwrap_err();
        assert!(e.to_string().contains("not valid base64"), "{e}");
        let e = AesKey::from_encoding_aes_key("aes-key", &format!("{}=", &KEY[..42])).unwrap_err();
        assert!(e.to_string().contains("32 bytes"), "{e}");
    }

    #[test]
    fn keys_decode_as_the_sdks_decode_them() {
        for last in ["A", "B", "Q", "w", "7", "/"] {
            let k = format!("{}{last}", &KEY[..42]);
            let got = AesKey::from_encoding_aes_key("aes-key", &k).unwrap();
            let want = b64_decode("k", &format!("{k}=")).unwrap();
            assert_eq!(got.0.to_vec(), want, "{k}");
        }
    }

    #[test]
    fn key_is_the_base64_of_the_key_plus_padding() {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        assert_eq!(key.0.to_vec(), b64_decode("k", &format!("{KEY}=")).unwrap());
        // Non-zero trailing bits (the 43rd character's last two bits) are ignored, as the
        // vendors' SDKs ignore them.
        let odd = format!("{}f", &KEY[..42]);
        let k = AesKey::from_encoding_aes_key("aes-key", &odd).unwrap();
        assert_eq!(k.0[..31], key.0[..31]);
    }
}
