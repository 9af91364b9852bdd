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
