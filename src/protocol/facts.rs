//! What a vendor states once and never computes: its row in the id table, its signature scheme,
//! the fixtures `probe` sends, the secrets of its published examples, how long it waits for an
//! answer, when it retries and how stale a timestamp may be. Each vendor module holds one
//! `static` [`VendorFacts`]; the [`Vendor`](super::Vendor) trait's methods of the same names
//! read it, so these facts are data in one place rather than a method each.

use std::time::Duration;

use super::scheme::Scheme;
use super::{Kind, SealedReply, Secrets, Stamp, VendorId};
use crate::error::Result;
use crate::secret::Secret;

/// One vendor's constant facts.
pub struct VendorFacts {
    pub id: VendorId,
    /// The signature algorithm family: signing, its steps and its near misses.
    pub scheme: &'static dyn Scheme,
    /// The fixtures `probe` sends: the URL-verification handshake(s), then one sample event.
    pub probe_fixtures: &'static [&'static str],
    /// Secrets from the vendor's own published examples, so a demo needs no real ones.
    pub demo: DemoSecrets,
    /// How long the vendor waits for the reply.
    pub deadlines: Deadlines,
    /// The vendor's retry schedule after a failed delivery.
    pub retries: RetrySchedule,
    /// How far a timestamp may be from now before the vendor's own SDKs (or cbkit) call it
    /// stale; None when the vendor documents no window.
    pub max_skew: Option<Duration>,
    /// How a receiver seals an answer that carries a message back.
    pub reply_seal: ReplySeal,
}

/// How a vendor's receiver seals an answer that carries a message back, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplySeal {
    /// Replies are not encrypted.
    Plain,
    /// DingTalk's JSON map `{msg_signature, timeStamp, nonce, encrypt}`.
    JsonMap,
    /// The WeChat family's passive-reply XML; its fields' names as the vendor spells them
    /// (ciphertext, signature, timestamp, nonce).
    PassiveXml([&'static str; 4]),
}

impl ReplySeal {
    /// The sealed answer carrying `plaintext`; None when replies are not encrypted.
    pub fn seal(
        self,
        plaintext: &[u8],
        secrets: &Secrets,
        stamp: &Stamp,
    ) -> Option<Result<SealedReply>> {
        match self {
            ReplySeal::Plain => None,
            ReplySeal::JsonMap => Some(super::dingtalk::sealed_map(plaintext, secrets, stamp)),
            ReplySeal::PassiveXml(keys) => Some(super::wecom::sealed_passive_reply(
                plaintext, secrets, stamp, keys,
            )),
        }
    }
}

/// The secrets of a vendor's published example, as constants.
#[derive(Debug, Clone, Copy)]
pub struct DemoSecrets {
    token: &'static str,
    aes_key: Option<&'static str>,
    receiver_id: Option<&'static str>,
    sdk_app_id: Option<&'static str>,
}

impl DemoSecrets {
    /// A token and, for a vendor that encrypts, its key; no ids (as [`Secrets::new`]).
    pub const fn new(token: &'static str, aes_key: Option<&'static str>) -> DemoSecrets {
        DemoSecrets {
            token,
            aes_key,
            receiver_id: None,
            sdk_app_id: None,
        }
    }

    /// With the receiver id (DingTalk corpId, WeCom corpid, WeChat AppID).
    pub const fn with_receiver_id(self, id: &'static str) -> DemoSecrets {
        DemoSecrets {
            receiver_id: Some(id),
            ..self
        }
    }

    /// With Tencent IM's SDKAppID.
    pub const fn with_sdk_app_id(self, id: &'static str) -> DemoSecrets {
        DemoSecrets {
            sdk_app_id: Some(id),
            ..self
        }
    }

    pub fn secrets(&self) -> Secrets {
        Secrets {
            token: Some(Secret::new(self.token)),
            aes_key: self.aes_key.map(Secret::new),
            receiver_id: self.receiver_id.map(str::to_string),
            sdk_app_id: self.sdk_app_id.map(str::to_string),
        }
    }
}

/// How long a vendor waits for the answer to a handshake and to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub handshake: Duration,
    pub event: Duration,
}

impl Deadlines {
    /// One deadline for every callback.
    pub const fn every(d: Duration) -> Deadlines {
        Deadlines {
            handshake: d,
            event: d,
        }
    }

    pub fn of(&self, kind: Kind) -> Duration {
        match kind {
            Kind::Handshake => self.handshake,
            Kind::Event => self.event,
        }
    }
}

/// When a vendor retries a failed delivery. cbkit reads every vendor's schedule the same way:
/// each offset counts from the moment the *first* attempt failed (Tencent Meeting: "1, 3 and 6
/// minutes later" → retries at +1 min, +3 min, +6 min after the first failure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetrySchedule {
    pub offsets: &'static [Duration],
    /// Where the schedule comes from, for the timeline and `--help`.
    pub source: &'static str,
}

impl RetrySchedule {
    /// A vendor that documents no retry (cbkit does not retry); `source` says so.
    pub const fn none(source: &'static str) -> RetrySchedule {
        RetrySchedule {
            offsets: &[],
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_secrets_become_secrets() {
        let s = DemoSecrets::new("t", Some("k"))
            .with_receiver_id("r")
            .with_sdk_app_id("1")
            .secrets();
        assert_eq!(s.token().unwrap(), "t");
        assert_eq!(s.aes_key().unwrap(), "k");
        assert_eq!(s.receiver_id().unwrap(), "r");
        assert_eq!(s.sdk_app_id().unwrap(), "1");
        let bare = DemoSecrets::new("t", None).secrets();
        assert!(bare.aes_key.is_none() && bare.receiver_id.is_none() && bare.sdk_app_id.is_none());
    }

    #[test]
    fn deadlines_by_kind() {
        let d = Deadlines {
            handshake: Duration::from_secs(1),
            event: Duration::from_secs(3),
        };
        assert_eq!(d.of(Kind::Handshake), Duration::from_secs(1));
        assert_eq!(d.of(Kind::Event), Duration::from_secs(3));
        assert_eq!(
            Deadlines::every(Duration::ZERO).of(Kind::Event),
            Duration::ZERO
        );
    }
}
