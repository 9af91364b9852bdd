//! What `replay` delivers and what came of it: a fixture sealed afresh for every attempt, or a
//! captured request sent byte for byte as it was captured.

use std::time::Duration;

use crate::fixture::{Fixture, Vars};
use crate::http::HttpRequest;
use crate::protocol::{Kind, Now, Variant, VendorId};
use crate::replay::{Attempt, Outcome, Sender};

/// One thing to deliver.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub name: String,
    pub vendor: VendorId,
    pub kind: Kind,
    pub plaintext: Vec<u8>,
    /// A captured request sent exactly as it was, instead of sealing the plaintext afresh.
    pub exact: Option<HttpRequest>,
    /// The fixture to render again for every load-mode delivery (fresh ids); None when the
    /// plaintext is fixed (a capture, or the user's own body).
    pub fixture: Option<Fixture>,
    /// The fixture's own choice of mode and format; the sender's choice wins over it.
    pub variant: Variant,
}

impl Delivery {
    /// One attempt: a captured request goes out exactly as captured; a fixture is sealed afresh.
    pub fn send(&self, sender: &Sender, plaintext: &[u8], deadline: Duration, now: Now) -> Outcome {
        match &self.exact {
            Some(req) => sender.send_and_judge(self.vendor, req, plaintext, self.kind, deadline),
            None => {
                let variant = sender.variant.or(&self.variant);
                let sender = Sender {
                    variant: &variant,
                    ..*sender
                };
                sender.attempt(self.vendor, plaintext, self.kind, deadline, now)
            }
        }
    }

    /// The plaintext for one more delivery: the fixture rendered again when there is one (a
    /// rendering error keeps the first rendering), else the fixed plaintext.
    pub fn fresh_plaintext(&self, vars: &Vars, sets: &[String]) -> Vec<u8> {
        match &self.fixture {
            Some(f) => f
                .render(vars, sets)
                .unwrap_or_else(|_| self.plaintext.clone()),
            None => self.plaintext.clone(),
        }
    }
}

/// The result of one delivery: its attempts on the vendor's retry schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivered {
    pub name: String,
    pub vendor: VendorId,
    pub accepted: bool,
    pub attempts: Vec<Attempt>,
    /// The run was stopped (Ctrl-C, SIGTERM) before this delivery finished.
    pub interrupted: bool,
}

impl Delivered {
    /// A delivery the run was stopped before it started.
    pub fn not_started(d: &Delivery) -> Delivered {
        Delivered {
            name: d.name.clone(),
            vendor: d.vendor,
            accepted: false,
            attempts: Vec::new(),
            interrupted: true,
        }
    }

    /// Neither accepted nor interrupted: the receiver's answers were rejected, or none came.
    pub fn rejected(&self) -> bool {
        !self.accepted && !self.interrupted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::no_env;
    use crate::protocol::Secrets;

    fn vars(unix_ms: u64) -> Vars {
        Vars {
            now: Now { unix_ms },
            secrets: Secrets::default(),
            env: no_env,
        }
    }

    fn delivery(fixture: Option<Fixture>) -> Delivery {
        Delivery {
            name: "t".into(),
            vendor: VendorId::Wemeet,
            kind: Kind::Event,
            plaintext: b"first".to_vec(),
            exact: None,
            fixture,
            variant: Variant::default(),
        }
    }

    fn stamped() -> Fixture {
        let text = r#"{"vendor": "wemeet", "event": "e", "body": {"at": "{{now_ms}}"}}"#;
        Fixture::parse("stamped", text).unwrap()
    }

    #[test]
    fn a_fixture_is_rendered_again_for_each_delivery() {
        let d = delivery(Some(stamped()));
        assert_eq!(d.fresh_plaintext(&vars(7), &[]), br#"{"at":7}"#);
        assert_eq!(d.fresh_plaintext(&vars(8), &[]), br#"{"at":8}"#);
    }

    #[test]
    fn a_fixed_plaintext_or_a_failed_rendering_keeps_the_first() {
        assert_eq!(delivery(None).fresh_plaintext(&vars(7), &[]), b"first");
        let bad_set = ["no equals sign".to_string()];
        let d = delivery(Some(stamped()));
        assert_eq!(d.fresh_plaintext(&vars(7), &bad_set), b"first");
    }

    #[test]
    fn rejected_means_neither_accepted_nor_interrupted() {
        let mut d = Delivered::not_started(&delivery(None));
        assert!(d.interrupted && !d.accepted);
        for (accepted, interrupted, rejected) in [
            (false, false, true),
            (true, false, false),
            (false, true, false),
            (true, true, false),
        ] {
            (d.accepted, d.interrupted) = (accepted, interrupted);
            assert_eq!(
                d.rejected(),
                rejected,
                "accepted {accepted}, interrupted {interrupted}"
            );
        }
    }
}
