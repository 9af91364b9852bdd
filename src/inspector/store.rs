//! The inspector's memory: the last `--inspect-keep N` requests in a ring, numbered from 1, and
//! a wake-up for the event streams waiting on new ones.
//!
//! Pushing is the only part on the listener's hot path: the entry packed into one buffer, a
//! lock, a move into the ring and, only while a page is subscribed, a wake-up. Nothing is
//! formatted here; the API unpacks and renders an entry when it is asked for it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::packed::Packed;
use crate::listen::Handled;
use crate::listen::capture::Capture;
use crate::protocol::{Check, Now, VendorId};

/// One request as the inspector remembers it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// 1, 2, 3… in arrival order; never reused while the process runs.
    pub id: u64,
    /// Which listener (or capture file) it came from: its secrets and URL (see `Source`).
    pub source: usize,
    /// The time the request was verified at (the explanation is made at the same time).
    pub now: Now,
    /// From the request's first byte read to its answer written, when the listener saw it.
    pub latency_ms: Option<f64>,
    pub capture: Capture,
    pub vendor: Option<VendorId>,
    /// The checks with their expected and received values (empty for a loaded capture line).
    pub checks: Vec<Check>,
    pub note: Option<String>,
    /// Why the signature was not checked (a secret not configured).
    pub unverified: Option<String>,
    /// The answer sent (none for a loaded capture line, which records only its status).
    pub reply: Option<crate::http::HttpReply>,
    /// The capture's plaintext is not remembered but opened again from the request when the
    /// page asks ([`super::Inspector::reopen`]): a listener's entry, whose source holds the
    /// secrets it was opened with. It would be a third of the entry, and every byte kept costs
    /// the listener time on each request (bench/NOTES.md, rounds 5 and 6).
    pub reopen_plaintext: bool,
}

impl Entry {
    /// What the listener made of a request, as an entry of `source` (id given by the store).
    pub fn handled(h: Handled, source: usize, now: Now, latency: Option<Duration>) -> Entry {
        Entry {
            id: 0,
            source,
            now,
            latency_ms: latency.map(millis),
            vendor: h.vendor,
            checks: h.checks,
            note: h.note,
            unverified: h.unverified.map(|e| e.to_string()),
            reply: h.reply,
            reopen_plaintext: h.capture.plaintext.is_some(),
            capture: h.capture,
        }
    }

    /// A line of a capture file, as an entry of `source`.
    pub fn captured(capture: Capture, source: usize) -> Entry {
        let vendor = capture
            .vendor
            .as_deref()
            .and_then(VendorId::lookup)
            .or_else(|| VendorId::recognise(&capture.request));
        Entry {
            id: 0,
            source,
            now: received_at_ms(&capture.received_at)
                .map_or_else(Now::system, |ms| Now { unix_ms: ms }),
            latency_ms: None,
            vendor,
            checks: Vec::new(),
            note: None,
            unverified: None,
            reply: None,
            reopen_plaintext: false,
            capture,
        }
    }
}

/// A latency in milliseconds, to the microsecond: what the list shows.
fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

thread_local! {
    /// A forgotten entry's buffer, for the next entry this thread packs: in a full ring every
    /// push forgets one, so a listener's connection threads stop allocating for the inspector.
    static SPARE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The largest buffer kept for reuse: one large request does not stay in memory per thread.
const SPARE_MAX: usize = 64 * 1024;

/// The bounded ring of entries and the subscribers' wake-up.
pub struct Store {
    keep: usize,
    ring: Mutex<Ring>,
    added: Condvar,
    /// Event streams open now: without one, a push wakes nobody.
    subscribers: AtomicUsize,
    closed: AtomicBool,
}

struct Ring {
    entries: VecDeque<Arc<Packed>>,
    next_id: u64,
}

impl Store {
    /// A store that remembers the last `keep` entries (at least one).
    pub fn new(keep: usize) -> Store {
        Store {
            keep: keep.max(1),
            ring: Mutex::new(Ring {
                entries: VecDeque::new(),
                next_id: 1,
            }),
            added: Condvar::new(),
            subscribers: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
        }
    }

    pub fn keep(&self) -> usize {
        self.keep
    }

    fn ring(&self) -> MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Remember `entry` (forgetting the oldest past `keep`); its id.
    pub fn push(&self, entry: Entry) -> u64 {
        // Packed before the lock; the entry itself is freed here, on the thread that made it.
        let mut packed = Packed::pack_into(&entry, SPARE.take());
        drop(entry);
        let forgotten;
        let id;
        {
            let mut ring = self.ring();
            id = ring.next_id;
            ring.next_id += 1;
            packed.id = id;
            ring.entries.push_back(Arc::new(packed));
            forgotten = (ring.entries.len() > self.keep)
                .then(|| ring.entries.pop_front())
                .flatten();
        }
        // Freed outside the lock, its buffer kept for this thread's next entry.
        if let Some(buffer) = forgotten
            .and_then(Arc::into_inner)
            .map(Packed::into_buffer)
            .filter(|b| b.capacity() <= SPARE_MAX)
        {
            SPARE.set(buffer);
        }
        if self.subscribers.load(Ordering::SeqCst) > 0 {
            self.added.notify_all();
        }
        id
    }

    /// The entry `id`, while it is remembered.
    pub fn get(&self, id: u64) -> Option<Entry> {
        let packed = {
            let ring = self.ring();
            let first = ring.entries.front()?.id;
            let i = usize::try_from(id.checked_sub(first)?).ok()?;
            ring.entries.get(i).cloned()
        };
        packed.map(|p| p.unpack())
    }

    /// The remembered entries with an id above `after`, oldest first.
    pub fn after(&self, after: u64) -> Vec<Entry> {
        let packed = newer(&self.ring(), after);
        unpacked(&packed)
    }

    /// The newest entries with an id above `after`, waiting up to `wait` for one to arrive;
    /// empty when none came or the store was closed.
    pub fn wait_after(&self, after: u64, wait: Duration) -> Vec<Entry> {
        let packed = {
            let ring = self.ring();
            if ring.next_id - 1 > after || self.is_closed() {
                newer(&ring, after)
            } else {
                let (ring, _) = self
                    .added
                    .wait_timeout_while(ring, wait, |r| {
                        r.next_id - 1 <= after && !self.closed.load(Ordering::SeqCst)
                    })
                    .unwrap_or_else(|e| e.into_inner());
                newer(&ring, after)
            }
        };
        unpacked(&packed)
    }

    /// The newest id given so far (0 before the first entry).
    pub fn last_id(&self) -> u64 {
        self.ring().next_id - 1
    }

    /// Count an event stream in while the returned guard lives.
    pub fn subscribe(&self) -> Subscription<'_> {
        self.subscribers.fetch_add(1, Ordering::SeqCst);
        Subscription(self)
    }

    pub fn subscribers(&self) -> usize {
        self.subscribers.load(Ordering::SeqCst)
    }

    /// End every event stream (the listener stops).
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        let _ring = self.ring();
        self.added.notify_all();
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }
}

/// The packed entries above `after`, shared: unpacked once the lock is given back.
fn newer(ring: &Ring, after: u64) -> Vec<Arc<Packed>> {
    let skip = ring.entries.partition_point(|e| e.id <= after);
    ring.entries.iter().skip(skip).cloned().collect()
}

fn unpacked(packed: &[Arc<Packed>]) -> Vec<Entry> {
    packed.iter().map(|p| p.unpack()).collect()
}

/// An open event stream, counted until dropped.
pub struct Subscription<'a>(&'a Store);

impl Drop for Subscription<'_> {
    fn drop(&mut self) {
        self.0.subscribers.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `2026-01-02T03:04:05.678Z` → Unix milliseconds (None for anything else).
pub fn received_at_ms(text: &str) -> Option<u64> {
    let (date, time) = text.trim_end_matches('Z').split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.splitn(3, ':').map(|p| p.parse::<u64>().ok());
    let (h, min, s) = (t.next()??, t.next()??, t.next()??);
    let ms: u64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || min > 59 || s > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant), the inverse of the capture's own formatting.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = u64::try_from(era * 146_097 + doe - 719_468).ok()?;
    Some(((days * 86_400 + h * 3600 + min * 60 + s) * 1000) + ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listen::rfc3339;

    fn entry(path: &str) -> Entry {
        let request = crate::http::HttpRequest {
            path: path.into(),
            ..Default::default()
        };
        let mut e = Entry::captured(Capture::answered("2026-01-02T03:04:05.678Z", request), 0);
        e.latency_ms = Some(1.0);
        e
    }

    #[test]
    fn keeps_the_last_n_and_finds_them_by_id() {
        let s = Store::new(3);
        for i in 1..=5 {
            assert_eq!(s.push(entry(&format!("/{i}"))), i);
        }
        assert!(s.get(2).is_none(), "forgotten");
        assert_eq!(s.get(3).unwrap().capture.request.path, "/3");
        assert_eq!(s.get(5).unwrap().id, 5);
        assert!(s.get(6).is_none());
        let ids: Vec<u64> = s.after(0).iter().map(|e| e.id).collect();
        assert_eq!(ids, [3, 4, 5]);
        let ids: Vec<u64> = s.after(4).iter().map(|e| e.id).collect();
        assert_eq!(ids, [5]);
        assert_eq!(s.last_id(), 5);
    }

    #[test]
    fn a_waiting_stream_wakes_when_an_entry_arrives() {
        let s = Arc::new(Store::new(10));
        let s2 = Arc::clone(&s);
        let waiter = std::thread::spawn(move || {
            let _sub = s2.subscribe();
            s2.wait_after(0, Duration::from_secs(10))
        });
        while s.subscribers() == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        let started = std::time::Instant::now();
        s.push(entry("/a"));
        let got = waiter.join().unwrap();
        assert_eq!(got.len(), 1);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(s.subscribers(), 0);
    }

    #[test]
    fn closing_ends_the_wait() {
        let s = Arc::new(Store::new(10));
        let s2 = Arc::clone(&s);
        let waiter = std::thread::spawn(move || s2.wait_after(0, Duration::from_secs(30)));
        std::thread::sleep(Duration::from_millis(20));
        s.close();
        assert!(waiter.join().unwrap().is_empty());
    }

    #[test]
    fn keep_is_at_least_one() {
        assert_eq!(Store::new(7).keep(), 7);
        assert_eq!(Store::new(0).keep(), 1);
    }

    #[test]
    fn a_latency_is_kept_in_milliseconds_to_the_microsecond() {
        assert_eq!(millis(Duration::from_nanos(1_234_567)), 1.235);
        assert_eq!(millis(Duration::from_secs(2)), 2000.0);
        assert_eq!(millis(Duration::from_nanos(400)), 0.0);
    }

    /// In a full ring each push forgets an entry; its buffer is kept for this thread's next
    /// entry, unless it is too large to keep around.
    #[test]
    fn a_forgotten_buffer_is_kept_for_the_next_entry_unless_large() {
        let with_body = |path: &str, len: usize| {
            let mut e = entry(path);
            e.capture.request.body = vec![b'x'; len];
            e
        };
        let s = Store::new(1);
        // A request of a few KB, as most are: its buffer is kept.
        s.push(with_body("/a", 4096));
        SPARE.take();
        s.push(with_body("/b", 4096));
        assert!(
            SPARE.take().capacity() > 4096,
            "the forgotten entry's buffer"
        );

        s.push(with_body("/large", SPARE_MAX + 1));
        SPARE.take();
        s.push(entry("/c"));
        assert_eq!(
            SPARE.take().capacity(),
            0,
            "a buffer over SPARE_MAX is freed"
        );
    }

    #[test]
    fn a_stream_ahead_of_the_store_waits_for_the_whole_wait() {
        let s = Store::new(10);
        s.push(entry("/a"));
        let wait = Duration::from_millis(100);
        let started = std::time::Instant::now();
        assert!(s.wait_after(5, wait).is_empty());
        assert!(started.elapsed() >= wait);
        // Entries already there are returned at once.
        let started = std::time::Instant::now();
        assert_eq!(s.wait_after(0, Duration::from_secs(5)).len(), 1);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_closed_store_says_so() {
        let s = Store::new(1);
        assert!(!s.is_closed());
        s.close();
        assert!(s.is_closed());
    }

    #[test]
    fn received_at_takes_the_clock_s_limits() {
        let at = |t: &str| received_at_ms(&format!("2026-01-02T{t}Z"));
        assert!(at("23:59:59.999").is_some());
        assert!(at("23:59:60.000").is_some(), "a leap second");
        assert_eq!(at("24:00:00.000"), None);
        assert_eq!(at("00:60:00.000"), None);
        assert_eq!(at("00:00:61.000"), None);
        assert!(received_at_ms("2026-12-31T00:00:00Z").is_some());
        assert_eq!(received_at_ms("2026-12-32T00:00:00Z"), None);
        assert_eq!(received_at_ms("2026-12-00T00:00:00Z"), None);
        assert_eq!(received_at_ms("2026-00-01T00:00:00Z"), None);
    }

    #[test]
    fn received_at_parses_what_the_capture_writes() {
        for ms in [0u64, 1_609_239_040_864, 951_782_400_000, 1_767_323_045_678] {
            let t = std::time::UNIX_EPOCH + Duration::from_millis(ms);
            assert_eq!(received_at_ms(&rfc3339(t)), Some(ms), "{}", rfc3339(t));
        }
        assert_eq!(received_at_ms("yesterday"), None);
        assert_eq!(received_at_ms("2026-13-01T00:00:00.000Z"), None);
    }
}
