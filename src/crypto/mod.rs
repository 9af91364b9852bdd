//! Shared cryptographic primitives. Every vendor module builds on these; none of them knows
//! about a particular vendor.

pub mod aes_cbc;
pub mod envelope;
pub mod plaintext;

pub use plaintext::Plaintext;

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use sha1::{Digest, Sha1};
use sha2::Sha256;

use crate::error::{Cause, Error, Result};

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize]);
        out.push(DIGITS[(b & 0xf) as usize]);
    }
    String::from_utf8(out).expect("hex digits are ASCII")
}

/// `sorted_sha1(a, b, c, d)`: lower-case hex SHA-1 of the parts sorted by plain byte order and
/// concatenated with no separator. The signature of Tencent Meeting, DingTalk and WeCom.
pub fn sorted_sha1(parts: &[&str]) -> String {
    let mut sorted: Vec<&str> = parts.to_vec();
    sorted.sort_unstable();
    sha1_concat(&sorted)
}

/// SHA-1 of parts concatenated in the order given (no sorting); used by diagnosis to test the
/// "fixed order" mistake.
pub fn sha1_concat(parts: &[&str]) -> String {
    let mut h = Sha1::new();
    for p in parts {
        h.update(p.as_bytes());
    }
    hex(&h.finalize())
}

/// Lower-case hex SHA-256 of the parts concatenated in order.
pub fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    hex(&h.finalize())
}

/// Raw SHA-256 digest.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Compare two signatures in constant time (for equal lengths; the length itself is public).
///
/// The differences are OR-ed together without a branch and only the result goes through
/// `subtle`'s optimisation barrier: `subtle`'s slice comparison puts every byte through it,
/// which costs a measurable share of every verification (figures in bench/NOTES.md).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y));
    bool::from(diff.ct_eq(&0))
}

/// A standard-alphabet decoder that accepts both padded and unpadded input. Tencent Meeting's
/// own `data` has its `=` padding stripped, while other vendors pad.
pub(crate) const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decode standard base64, padded or not. `field` names the input in the error message.
///
/// Performance: the common case (canonical input: padded to a multiple of 4, or unpadded) goes
/// through `base64-simd` (AVX2/SSE4.1/NEON, detected at run time), several times faster than the
/// scalar `base64` engine on large bodies (figures in bench/NOTES.md). Anything that strict
/// decoder refuses (odd padding, non-zero trailing bits, bad bytes) is decoded again by the
/// lenient scalar engine below, so what is accepted and every error message are the lenient
/// engine's.
pub fn b64_decode(field: &str, text: &str) -> Result<Vec<u8>> {
    let text = text.trim();
    let fast = if text.len().is_multiple_of(4) {
        base64_simd::STANDARD.decode_to_vec(text)
    } else {
        base64_simd::STANDARD_NO_PAD.decode_to_vec(text)
    };
    if let Ok(bytes) = fast {
        return Ok(bytes);
    }
    LENIENT.decode(text).map_err(|e| {
        let detail = match e {
            base64::DecodeError::InvalidByte(pos, byte) => {
                let shown = if byte.is_ascii_graphic() {
                    format!("'{}'", byte as char)
                } else if byte == b' ' {
                    "a space (a '+' turned into a space by form decoding?)".to_string()
                } else {
                    format!("byte 0x{byte:02x}")
                };
                format!("not valid base64: {shown} at offset {pos}")
            }
            base64::DecodeError::InvalidLength(n) => {
                format!("not valid base64: length {n} is impossible (truncated?)")
            }
            base64::DecodeError::InvalidLastSymbol(pos, _) => {
                format!("not valid base64: bad final symbol at offset {pos} (truncated?)")
            }
            base64::DecodeError::InvalidPadding => "not valid base64: bad '=' padding".to_string(),
        };
        Error::malformed(field, detail).because(Cause::Base64)
    })
}

/// Encode standard base64 with padding (`base64-simd`: same output as `base64`'s STANDARD,
/// several times faster on large bodies).
pub fn b64_encode(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

/// Fresh random bytes from rand's thread-local CSPRNG (ChaCha12, seeded and periodically
/// reseeded from the OS generator): as unpredictable as asking the OS each time, without a
/// system call per sealed reply.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut out = [0u8; N];
    rand::thread_rng().fill_bytes(&mut out);
    out
}

/// A random alphanumeric string, used for nonces.
pub fn random_alnum(len: usize) -> String {
    use rand::Rng;
    use rand::distributions::Alphanumeric;
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_sha1_sorts_by_bytes() {
        // sha1("abc") with parts given out of order
        assert_eq!(
            sorted_sha1(&["c", "a", "b"]),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }

    #[test]
    fn lenient_base64_accepts_both_paddings() {
        assert_eq!(b64_decode("x", "aGk=").unwrap(), b"hi");
        assert_eq!(b64_decode("x", "aGk").unwrap(), b"hi");
    }

    #[test]
    fn simd_fast_path_agrees_with_the_lenient_engine() {
        use base64::engine::general_purpose::STANDARD;
        // Canonical, unpadded, over-padded, non-zero trailing bits, bad bytes, empty.
        for t in [
            "",
            "aGk=",
            "aGk",
            "aGk==",
            "aGl=",
            "aGm",
            "aA==",
            "aA",
            "aB",
            "a===",
            "aGk=aGk=",
            "  aGVsbG8gd29ybGQ=  ",
            "a+b/",
            "a-b_",
            "abcde",
        ] {
            let slow = LENIENT.decode(t.trim()).ok();
            assert_eq!(b64_decode("x", t).ok(), slow, "{t:?}");
        }
        let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for n in [0, 1, 2, 3, 31, 32, 33, 1000] {
            assert_eq!(b64_encode(&bytes[..n]), STANDARD.encode(&bytes[..n]));
        }
    }

    #[test]
    fn base64_errors_name_the_field() {
        let e = b64_decode("data", "a b").unwrap_err();
        assert_eq!(e.field(), "data");
        assert!(e.to_string().contains("space"), "{e}");
        let e = b64_decode("encrypt", "abcde").unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
    }

    #[test]
    fn random_alnum_has_the_length_and_alphabet_asked_for() {
        assert_eq!(random_alnum(0), "");
        for len in [1, 8, 16, 64] {
            let a = random_alnum(len);
            assert_eq!(a.len(), len, "{a:?}");
            assert!(a.bytes().all(|b| b.is_ascii_alphanumeric()), "{a:?}");
        }
        // 62^16 possible nonces: two equal draws mean a constant, not bad luck.
        assert_ne!(random_alnum(16), random_alnum(16));
        // Over many draws every kind of character turns up (a stuck generator would not).
        let many = random_alnum(4096);
        assert!(many.bytes().any(|b| b.is_ascii_lowercase()));
        assert!(many.bytes().any(|b| b.is_ascii_uppercase()));
        assert!(many.bytes().any(|b| b.is_ascii_digit()));
    }

    #[test]
    fn random_bytes_are_not_zeros_and_differ() {
        let a = random_bytes::<32>();
        let b = random_bytes::<32>();
        // Each has a 2^-256 chance of being all zeros or equal to the other.
        assert_ne!(a, [0u8; 32]);
        assert_ne!(a, b);
    }

    #[test]
    fn hashes_match_known_answers() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
        // SHA-256("abc"), FIPS 180-2, hashed whole and in parts.
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256_hex(&[b"abc"]), abc);
        assert_eq!(sha256_hex(&[b"a", b"", b"bc"]), abc);
        assert_eq!(hex(&sha256(b"abc")), abc);
        // SHA-1("abc") in the order given, not sorted.
        assert_eq!(
            sha1_concat(&["a", "b", "c"]),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_ne!(sha1_concat(&["c", "a", "b"]), sha1_concat(&["a", "b", "c"]));
    }

    #[test]
    fn ct_eq_finds_differences_that_cancel_out() {
        // Differences in two bytes that XOR-ing (rather than OR-ing) would cancel.
        assert!(!ct_eq(&[1, 1], &[0, 0]));
        assert!(!ct_eq(&[0xff, 0x0f, 0xf0], &[0, 0, 0]));
    }

    #[test]
    fn ct_eq_works() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(ct_eq(b"", b""));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        // A difference in any position, of any bit, is found.
        let sig = b"3a5dcfb5a7fd7c7a7ba3e1a6c8e9db3b3e3d3c3a";
        for i in 0..sig.len() {
            for bit in 0..8 {
                let mut other = *sig;
                other[i] ^= 1 << bit;
                assert!(!ct_eq(sig, &other), "byte {i} bit {bit}");
            }
        }
    }
}
