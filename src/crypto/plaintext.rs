//! Decoded bytes that keep the buffer they were decrypted in.
//!
//! Performance: the receivers decode base64 into one buffer and decrypt it in place; the
//! message then starts after a header (20 bytes in the DingTalk/WeCom frame, 16 bytes of IV
//! for Feishu). Shifting it to the front would copy the whole body again (figures in
//! bench/NOTES.md); holding the offset instead costs nothing. Everything else reads it as `&[u8]`.

use std::ops::{Deref, Range};

#[derive(Clone, Default)]
pub struct Plaintext {
    buf: Vec<u8>,
    /// The part of `buf` that is the plaintext.
    range: Range<usize>,
}

impl Plaintext {
    /// The bytes `buf[range]`, without copying them. Panics on a range outside `buf`.
    pub fn within(buf: Vec<u8>, range: Range<usize>) -> Plaintext {
        assert!(range.start <= range.end && range.end <= buf.len());
        Plaintext { buf, range }
    }

    /// The bytes as a vector of their own (copies only when they do not start the buffer).
    pub fn into_vec(mut self) -> Vec<u8> {
        self.buf.truncate(self.range.end);
        self.buf.drain(..self.range.start);
        self.buf
    }

    pub fn as_slice(&self) -> &[u8] {
        &self.buf[self.range.clone()]
    }
}

impl From<Vec<u8>> for Plaintext {
    fn from(buf: Vec<u8>) -> Plaintext {
        let range = 0..buf.len();
        Plaintext { buf, range }
    }
}

impl From<Plaintext> for Vec<u8> {
    fn from(p: Plaintext) -> Vec<u8> {
        p.into_vec()
    }
}

impl Deref for Plaintext {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl std::fmt::Debug for Plaintext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl PartialEq for Plaintext {
    fn eq(&self, other: &Plaintext) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl Eq for Plaintext {}

impl PartialEq<[u8]> for Plaintext {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_slice() == other
    }
}
impl PartialEq<Vec<u8>> for Plaintext {
    fn eq(&self, other: &Vec<u8>) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl PartialEq<&[u8]> for Plaintext {
    fn eq(&self, other: &&[u8]) -> bool {
        self.as_slice() == *other
    }
}
impl<const N: usize> PartialEq<[u8; N]> for Plaintext {
    fn eq(&self, other: &[u8; N]) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl<const N: usize> PartialEq<&[u8; N]> for Plaintext {
    fn eq(&self, other: &&[u8; N]) -> bool {
        self.as_slice() == other.as_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_reads_as_its_bytes() {
        let p = Plaintext::within(b"headerMESSAGEtrailer".to_vec(), 6..13);
        assert_eq!(&*p, b"MESSAGE");
        assert_eq!(p.len(), 7);
        assert_eq!(p, b"MESSAGE");
        assert_eq!(p.clone().into_vec(), b"MESSAGE".to_vec());
        assert_eq!(p, Plaintext::from(b"MESSAGE".to_vec()));
        assert_eq!(format!("{p:?}"), format!("{:?}", b"MESSAGE".as_slice()));
    }

    /// Every comparison answers both ways, whatever the other side's type.
    #[test]
    // Each right-hand side picks a different `PartialEq` impl on purpose.
    #[allow(clippy::op_ref, clippy::cmp_owned)]
    fn comparisons_see_only_the_range() {
        let p = Plaintext::within(b"xxMSGyy".to_vec(), 2..5);
        let (same, other) = (b"MSG", b"MSX");
        assert!(p == *same && p != *other);
        assert!(p == same && p != other);
        assert!(p == same[..] && p != other[..]);
        assert!(p == &same[..] && p != &other[..]);
        assert!(p == same.to_vec() && p != other.to_vec());
        assert!(p == Plaintext::from(same.to_vec()) && p != Plaintext::from(other.to_vec()));
        assert!(p != Plaintext::within(b"xxMSGyy".to_vec(), 1..5));
    }

    #[test]
    fn into_vec_gives_the_range_wherever_it_starts() {
        for (range, want) in [
            (0..3, &b"MSG"[..]),
            (2..5, b"Gyy"),
            (1..1, b""),
            (0..5, b"MSGyy"),
        ] {
            let p = Plaintext::within(b"MSGyy".to_vec(), range.clone());
            assert_eq!(p.clone().into_vec(), want, "{range:?}");
            assert_eq!(Vec::from(p), want, "{range:?}");
        }
        assert_eq!(Vec::from(Plaintext::from(b"all".to_vec())), b"all");
        assert_eq!(Plaintext::from(b"all".to_vec()).as_slice(), b"all");
    }

    #[test]
    #[should_panic]
    fn a_range_past_the_end_is_a_bug() {
        let _ = Plaintext::within(vec![1, 2, 3], 2..4);
    }
}
