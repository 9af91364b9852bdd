// cbkit patch: what the reader of one connection and its requests share: the instant by which
// the current read must be done, whether the connection closes after the current answer, and
// how long one write may wait for a peer that reads nothing.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
pub struct ConnState {
    deadline: Mutex<Option<Instant>>,
    closing: AtomicBool,
    // Milliseconds; 0: writes wait as long as the peer takes.
    write_timeout_ms: AtomicU64,
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

    /// From the next write on, a write that can send nothing for `t` fails (`None`: no limit).
    pub fn set_write_timeout(&self, t: Option<Duration>) {
        let ms = t.map_or(0, |t| (t.as_millis().min(u128::from(u64::MAX)) as u64).max(1));
        self.write_timeout_ms.store(ms, Ordering::SeqCst);
    }

    pub fn write_timeout(&self) -> Option<Duration> {
        match self.write_timeout_ms.load(Ordering::SeqCst) {
            0 => None,
            ms => Some(Duration::from_millis(ms)),
        }
    }
}
