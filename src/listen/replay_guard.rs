//! What `cbkit listen` remembers of the requests and events it has answered, for replay
//! detection: a repeat of one answered 2xx is a possible replay attack (vendors resend only
//! failed deliveries), a repeat of a failed one is a retry.
//!
//! A key is remembered by a 64-bit fingerprint in two generations of fixed capacity, allocated
//! once: nothing is rehashed or freed under the lock every request takes (a growing map stalled
//! the whole listener while it rehashed; bench/NOTES.md). A full generation becomes the previous
//! one and the older one is cleared.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::time::SystemTime;

use crate::protocol::{Callback, VendorId};

/// What identifies a request (its timestamp, nonce and signature) or its event (the vendor's
/// event id) for replay detection.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReplayKey {
    Request(VendorId, Option<String>, String, String),
    Event(VendorId, String),
}

impl ReplayKey {
    /// A request identifies itself by a signed nonce. Tencent IM has none: its Sign covers only
    /// the token and the second, so two different callbacks in one second share it (its
    /// defence is the RequestTime window).
    pub fn request(vendor: VendorId, cb: &Callback) -> Option<ReplayKey> {
        let sig = cb.signature.clone().filter(|s| !s.is_empty())?;
        let nonce = cb.nonce.clone().filter(|n| !n.is_empty())?;
        Some(ReplayKey::Request(vendor, cb.timestamp.clone(), nonce, sig))
    }

    /// What the key stands for, in a message.
    pub fn describe(&self) -> String {
        match self {
            ReplayKey::Request(..) => {
                "a request with this timestamp, nonce and signature".to_string()
            }
            ReplayKey::Event(_, id) => format!("event {id}"),
        }
    }
}

/// How a remembered request or event was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub status: u16,
    /// When the request was received.
    pub at: SystemTime,
}

impl Seen {
    pub fn delivered(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The last `memory` to `2 * memory` keys seen, oldest forgotten first.
pub struct ReplayGuard {
    fingerprint: RandomState,
    current: HashMap<u64, Seen>,
    previous: HashMap<u64, Seen>,
    /// How many keys a generation holds.
    memory: usize,
}

impl ReplayGuard {
    /// A guard that remembers at least the last `memory` keys (at most twice as many).
    pub fn new(memory: usize) -> ReplayGuard {
        let memory = memory.max(1);
        ReplayGuard {
            fingerprint: RandomState::new(),
            current: HashMap::with_capacity(memory),
            previous: HashMap::with_capacity(memory),
            memory,
        }
    }

    /// How `key` was answered, if it was seen before.
    pub fn seen(&self, key: &ReplayKey) -> Option<Seen> {
        let f = self.fingerprint_of(key);
        self.current
            .get(&f)
            .or_else(|| self.previous.get(&f))
            .copied()
    }

    /// Remember that `key` was answered `status`. Once delivered (2xx), a key stays delivered.
    pub fn remember(&mut self, key: &ReplayKey, status: u16, at: SystemTime) {
        let f = self.fingerprint_of(key);
        let now = Seen { status, at };
        let kept = match self.current.get(&f).or_else(|| self.previous.get(&f)) {
            Some(before) if before.delivered() => *before,
            _ => now,
        };
        if let Some(slot) = self.current.get_mut(&f) {
            *slot = kept;
            return;
        }
        if self.current.len() == self.memory {
            // The older generation is forgotten; its allocation is kept for the next one.
            self.previous.clear();
            std::mem::swap(&mut self.current, &mut self.previous);
        }
        self.current.insert(f, kept);
    }

    /// The slots allocated for both generations (constant: nothing grows while serving).
    pub fn capacity(&self) -> usize {
        self.current.capacity() + self.previous.capacity()
    }

    fn fingerprint_of(&self, key: &ReplayKey) -> u64 {
        let mut h = self.fingerprint.build_hasher();
        key.hash(&mut h);
        std::hash::Hasher::finish(&h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn key(n: u64) -> ReplayKey {
        ReplayKey::Request(
            VendorId::named("dingtalk"),
            Some("1700000000".into()),
            format!("nonce{n}"),
            "sig".into(),
        )
    }

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    #[test]
    fn a_delivered_key_stays_delivered_and_a_failed_one_is_updated() {
        let mut g = ReplayGuard::new(10);
        assert_eq!(g.seen(&key(1)), None);
        g.remember(&key(1), 500, at(1));
        assert_eq!(g.seen(&key(1)).unwrap().status, 500);
        let delivered = Some(Seen {
            status: 200,
            at: at(2),
        });
        g.remember(&key(1), 200, at(2));
        assert_eq!(g.seen(&key(1)), delivered);
        g.remember(&key(1), 500, at(3));
        assert_eq!(g.seen(&key(1)), delivered);
        let event = ReplayKey::Event(VendorId::named("wecom"), "42".into());
        assert_eq!(
            g.seen(&event),
            None,
            "a request and an event are different keys"
        );
        assert_eq!(event.describe(), "event 42");
    }

    #[test]
    fn remembers_the_last_memory_keys_and_forgets_older_ones() {
        let mut g = ReplayGuard::new(100);
        for n in 0..1000 {
            g.remember(&key(n), 200, at(n));
        }
        for n in 900..1000 {
            assert_eq!(g.seen(&key(n)).unwrap().at, at(n), "key {n} forgotten");
        }
        assert_eq!(
            g.seen(&key(0)),
            None,
            "nothing older than two generations is kept"
        );
        // A key seen again in the previous generation keeps its first delivery.
        g.remember(&key(905), 500, at(5000));
        assert_eq!(g.seen(&key(905)).unwrap().at, at(905));
    }

    #[test]
    fn nothing_is_reallocated_while_serving() {
        let mut g = ReplayGuard::new(1000);
        let allocated = g.capacity();
        for n in 0..10_000 {
            g.remember(&key(n), 200, at(n));
        }
        assert_eq!(
            g.capacity(),
            allocated,
            "a generation grew (a rehash under the lock)"
        );
    }
}
