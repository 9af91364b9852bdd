//! AES-256-CBC with PKCS#7 padding handled by hand, because the vendors disagree on the block
//! size of the padding: DingTalk and WeCom pad to 32 bytes, Feishu and Tencent Meeting to 16,
//! and some official samples of the 32-byte family pad to 16. Decoders therefore accept any
//! pad of 1..=32 whose bytes check out; encoders pad to the size their vendor uses.

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};

use crate::error::{Cause, Error, Result};

type Enc = cbc::Encryptor<aes::Aes256>;
type Dec = cbc::Decryptor<aes::Aes256>;

/// The largest PKCS#7 pad any vendor uses.
pub const MAX_PAD: usize = 32;

/// Pad `plain` with PKCS#7 to a multiple of `block` (16 or 32) and encrypt it.
pub fn encrypt(key: &[u8; 32], iv: &[u8; 16], plain: &[u8], block: usize) -> Vec<u8> {
    debug_assert!(block == 16 || block == 32);
    let pad = block - plain.len() % block;
    let mut buf = Vec::with_capacity(plain.len() + pad);
    buf.extend_from_slice(plain);
    buf.resize(plain.len() + pad, pad as u8);
    let len = buf.len();
    Enc::new(key.into(), iv.into())
        .encrypt_padded::<NoPadding>(&mut buf, len)
        .expect("buffer is a whole number of blocks");
    buf
}

/// Decrypt `cipher` and strip a PKCS#7 pad of 1..=32 bytes. `field` names the input in errors.
pub fn decrypt(field: &str, key: &[u8; 32], iv: &[u8; 16], cipher: &[u8]) -> Result<Vec<u8>> {
    let mut buf = cipher.to_vec();
    decrypt_in_place(field, key, iv, &mut buf)?;
    Ok(buf)
}

/// Decrypt `buf` in place and truncate it to the plaintext (pad stripped). Performance: the
/// receivers' hot path decodes base64 into a fresh buffer and decrypts there, so a 64 KiB body
/// is not copied again just to be decrypted.
pub fn decrypt_in_place(
    field: &str,
    key: &[u8; 32],
    iv: &[u8; 16],
    buf: &mut Vec<u8>,
) -> Result<()> {
    let n = decrypt_slice(field, key, iv, buf)?;
    buf.truncate(n);
    Ok(())
}

/// Decrypt `buf` in place and return the length of the plaintext at its start (pad excluded).
pub fn decrypt_slice(field: &str, key: &[u8; 32], iv: &[u8; 16], buf: &mut [u8]) -> Result<usize> {
    if buf.is_empty() {
        return Err(Error::malformed(field, "ciphertext is empty").because(Cause::CipherLength));
    }
    if !buf.len().is_multiple_of(16) {
        return Err(Error::malformed(
            field,
            format!(
                "ciphertext is {} bytes, not a multiple of the 16-byte AES block (truncated?)",
                buf.len()
            ),
        )
        .because(Cause::CipherLength));
    }
    Dec::new(key.into(), iv.into())
        .decrypt_padded::<NoPadding>(buf)
        .expect("buffer is a whole number of blocks");
    strip_pkcs7(buf).ok_or_else(|| {
        Error::malformed(
            field,
            "decryption gave invalid padding: the AES key is wrong (another app's key?) or the ciphertext was altered",
        )
        .because(Cause::BadPadding)
    })
}

/// Length of `buf` without its PKCS#7 pad, or None when the pad is not 1..=32 equal bytes.
pub fn strip_pkcs7(buf: &[u8]) -> Option<usize> {
    let &last = buf.last()?;
    let pad = last as usize;
    if pad == 0 || pad > MAX_PAD || pad > buf.len() {
        return None;
    }
    if buf[buf.len() - pad..].iter().all(|&b| b == last) {
        Some(buf.len() - pad)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_both_block_sizes() {
        let key = [7u8; 32];
        let iv = [9u8; 16];
        for block in [16, 32] {
            for len in [0, 1, 15, 16, 31, 32, 33, 100] {
                let plain: Vec<u8> = (0..len as u8).collect();
                let c = encrypt(&key, &iv, &plain, block);
                assert_eq!(c.len() % block, 0);
                assert_eq!(decrypt("x", &key, &iv, &c).unwrap(), plain);
            }
        }
    }

    /// A known answer from `openssl enc -aes-256-cbc -nopad` over 65 blocks: long enough for the
    /// parallel (AES-NI 8-block, VAES 30-block) decryption paths the CPU may pick, so a backend
    /// picked at run time is checked against openssl, not only against our own encryption.
    #[test]
    fn agrees_with_openssl_over_many_blocks() {
        let key: [u8; 32] = std::array::from_fn(|i| i as u8);
        let iv: [u8; 16] = std::array::from_fn(|i| i as u8);
        let plain: Vec<u8> = (0..1024u32).map(|i| (i * 7 % 251) as u8).collect();
        let c = encrypt(&key, &iv, &plain, 16);
        assert_eq!(
            crate::crypto::hex(&crate::crypto::sha256(&c)),
            "73edae90724dd32774853e84700f9009a47af24eccd7d8d29d4bea55b8192c43"
        );
        for len in [c.len(), 16 * 31, 16 * 30, 16 * 9, 16 * 8, 16] {
            // A prefix has no valid pad, so this may be Err; the buffer is decrypted either way.
            let mut part = c[..len].to_vec();
            let _ = decrypt_slice("x", &key, &iv, &mut part);
            let n = len.min(plain.len());
            assert_eq!(part[..n], plain[..n], "{len} bytes");
        }
    }

    #[test]
    fn wrong_key_is_a_padding_error() {
        let c = encrypt(&[1; 32], &[0; 16], b"hello world", 32);
        let e = decrypt("encrypt", &[2; 32], &[0; 16], &c).unwrap_err();
        assert_eq!(e.field(), "encrypt");
        assert!(e.to_string().contains("padding"));
    }

    /// Encrypt whole blocks as they are, with no pad added, so a test can choose the last byte
    /// the decryption sees.
    fn encrypt_raw(key: &[u8; 32], iv: &[u8; 16], blocks: &[u8]) -> Vec<u8> {
        assert!(blocks.len().is_multiple_of(16));
        let mut buf = blocks.to_vec();
        let len = buf.len();
        Enc::new(key.into(), iv.into())
            .encrypt_padded::<NoPadding>(&mut buf, len)
            .unwrap();
        buf
    }

    /// A pad byte of 0 would strip nothing and accept any plaintext ending in 0x00; 33 is past
    /// the largest pad any vendor uses. Both are the wrong-key answer, naming the field.
    #[test]
    fn pad_bytes_0_and_33_are_rejected_naming_the_field() {
        let (key, iv) = ([5u8; 32], [6u8; 16]);
        let mut zero_last = vec![b'a'; 32];
        zero_last[31] = 0;
        for plain in [zero_last, vec![0u8; 16], vec![33u8; 48], vec![33u8; 64]] {
            let c = encrypt_raw(&key, &iv, &plain);
            let e = decrypt("encrypt", &key, &iv, &c).unwrap_err();
            assert_eq!(e.field(), "encrypt", "{plain:?}");
            assert!(e.to_string().contains("invalid padding"), "{e}");
        }
    }

    #[test]
    fn strip_pkcs7_bounds() {
        assert_eq!(strip_pkcs7(&[]), None);
        assert_eq!(strip_pkcs7(&[0]), None);
        assert_eq!(strip_pkcs7(&[b'x', 0]), None);
        assert_eq!(strip_pkcs7(&[1]), Some(0));
        assert_eq!(strip_pkcs7(&[b'x', 1]), Some(1));
        // A pad longer than the buffer is refused, not sliced past the start.
        assert_eq!(strip_pkcs7(&[2]), None);
        assert_eq!(strip_pkcs7(&[17; 16]), None);
        assert_eq!(strip_pkcs7(&[16; 16]), Some(0));
        // 32 is the largest pad; 33 is refused even when the buffer holds 33 such bytes.
        assert_eq!(strip_pkcs7(&[32; 32]), Some(0));
        assert_eq!(strip_pkcs7(&[33; 33]), None);
        assert_eq!(strip_pkcs7(&[33; 48]), None);
        // Every pad byte must match, not only the last.
        assert_eq!(strip_pkcs7(&[b'x', 2, 3, 3, 3]), Some(2));
        assert_eq!(strip_pkcs7(&[b'x', 2, 3, 4, 3]), None);
        assert_eq!(strip_pkcs7(&[4, 3, 3, 3]), Some(1));
    }

    #[test]
    fn decrypt_in_place_leaves_only_the_plaintext() {
        let (key, iv) = ([1u8; 32], [2u8; 16]);
        for block in [16, 32] {
            let mut buf = encrypt(&key, &iv, b"hello world", block);
            decrypt_in_place("x", &key, &iv, &mut buf).unwrap();
            assert_eq!(buf, b"hello world");
            let mut buf = encrypt(&key, &iv, b"hello world", block);
            assert_eq!(decrypt_slice("x", &key, &iv, &mut buf).unwrap(), 11);
        }
    }

    #[test]
    fn empty_ciphertext_is_named() {
        let e = decrypt("encrypt", &[1; 32], &[0; 16], &[]).unwrap_err();
        assert_eq!(e.field(), "encrypt");
        assert!(e.to_string().contains("empty"), "{e}");
    }

    #[test]
    fn truncated_ciphertext_is_named() {
        let e = decrypt("encrypt", &[1; 32], &[0; 16], &[0u8; 17]).unwrap_err();
        assert!(e.to_string().contains("multiple of the 16-byte"));
    }
}
