// cbkit patch: what the reader of one connection and its requests share: the instant by which
// the current read must be done, and whether the connection closes after the current answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

#[derive(Debug, Default)]
pub struct ConnState {
    deadline: Mutex<Option<Instant>>,
    closing: AtomicBool,
}

impl ConnState {
    /// Reads on the connection fail with `TimedOut` from `deadline` on (`None`: no limit).
    pub fn set_deadline(&self, deadline: Option<Instant>) {
        *self.deadline.lock().unwrap_or_else(|e| e.into_inner()) = deadline;
    }

    pub fn deadline(&self) -> Option<Instant> {
        *self.deadline.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// No further request is read: the connection closes after the current answer.
    pub fn close(&self) {
        self.closing.store(true, Ordering::SeqCst);
    }

    pub fn closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }
}
