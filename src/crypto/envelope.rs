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

    /// Encrypt `frame` as it is (no header added), padded to 32 as `seal` pads.
    fn seal_frame(key: &AesKey, frame: &[u8]) -> String {
        b64_encode(&aes_cbc::encrypt(&key.0, &key.iv(), frame, 32))
    }

    /// A frame with a length field of `len` followed by `body`.
    fn frame_with_len(len: u32, body: &[u8]) -> Vec<u8> {
        let mut f = vec![7u8; 16];
        f.extend_from_slice(&len.to_be_bytes());
        f.extend_from_slice(body);
        f
    }

    #[test]
    fn frames_shorter_than_the_header_are_errors() {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        for n in 0..20 {
            let e = open("encrypt", &key, &seal_frame(&key, &vec![0u8; n])).unwrap_err();
            assert_eq!(e.field(), "encrypt");
            assert!(
                e.to_string().contains(&format!(
                    "frame is {n} bytes, shorter than the 20-byte header"
                )),
                "{n}: {e}"
            );
        }
    }

    #[test]
    fn a_length_field_past_the_frame_is_an_error() {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        for body in [&b""[..], b"hello", b"helloCORP"] {
            for over in 1..=40u32 {
                let len = body.len() as u32 + over;
                let sealed = seal_frame(&key, &frame_with_len(len, body));
                let e = open("encrypt", &key, &sealed).unwrap_err();
                assert_eq!(e.field(), "encrypt");
                let want = format!("says {len} bytes but only {} follow", body.len());
                assert!(e.to_string().contains(&want), "{e}");
            }
        }
        let sealed = seal_frame(&key, &frame_with_len(u32::MAX, b"x"));
        assert!(open("encrypt", &key, &sealed).is_err());
    }

    #[test]
    fn the_length_field_splits_message_and_receiver_id() {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        for (len, msg, id) in [
            (9, "helloCORP", ""),
            (5, "hello", "CORP"),
            (0, "", "helloCORP"),
        ] {
            let o = open(
                "encrypt",
                &key,
                &seal_frame(&key, &frame_with_len(len, b"helloCORP")),
            )
            .unwrap();
            assert_eq!(o.msg, msg.as_bytes());
            assert_eq!(o.receiver_id, id);
            assert_eq!(o.random, [7; 16]);
        }
    }

    #[test]
    fn an_empty_receiver_id_round_trips() {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        for msg in [&b""[..], b"x", b"{\"EventType\":\"check_url\"}"] {
            let o = open("encrypt", &key, &seal(&key, &[1; 16], msg, "")).unwrap();
            assert_eq!(o.msg, msg);
            assert_eq!(o.receiver_id, "");
        }
    }

    #[test]
    fn a_receiver_id_that_is_not_utf8_is_an_error() {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        let sealed = seal_frame(&key, &frame_with_len(2, b"hi\xff"));
        let e = open("encrypt", &key, &sealed).unwrap_err();
        assert!(e.to_string().contains("not UTF-8"), "{e}");
    }

    /// The prefix is random per envelope: sealing the same message twice gives two ciphertexts,
    /// and both open to it.
    #[test]
    fn fresh_prefixes_make_each_envelope_differ() {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        let (r1, r2) = (super::super::random_bytes(), super::super::random_bytes());
        let a = seal(&key, &r1, b"same", "corp1");
        let b = seal(&key, &r2, b"same", "corp1");
        assert_ne!(a, b);
        assert_eq!(open("encrypt", &key, &a).unwrap().msg, b"same");
        assert_eq!(open("encrypt", &key, &b).unwrap().msg, b"same");
    }

    /// DingTalk's published vector (open-dingtalk/DingTalk-Callback-Crypto,
    /// DingCallbackCrypto3.py; tests/vectors/official.json). The prefix sits in the first AES
    /// block, the only one the IV changes, so it pins the IV as well as the key.
    #[test]
    fn the_published_dingtalk_vector_opens_to_its_known_prefix() {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        assert_eq!(key.iv(), key.0[..16]);
        let o = open(
            "encrypt",
            &key,
            "0vJiX6vliEpwG3U45CtXqi+m8PXbQRARJ8p8BbDuD1EMTDf0jKpQ79QS93qEk7XHpP6u+oTTrd15NRPvNvmBKyDCYxxOK+HZeKju4yhELOFchzNukR+t8SB/qk4ROMu3",
        )
        .unwrap();
        assert_eq!(&o.random, b"l7Y3EcX2CU5w8av3");
        assert_eq!(o.msg, br#"{"EventType":"check_url"}"#);
        assert_eq!(o.receiver_id, "ding6ccabc44d2c8d38b");
    }

    #[test]
    fn debug_shows_that_a_key_is_there_but_not_the_key() {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        assert_eq!(format!("{key:?}"), "AesKey(redacted)");
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
