//! A remembered request as one flat buffer: what the store keeps for each of its entries.
//!
//! An [`Entry`] is some forty allocations (the request's headers, body, plaintext, verdict,
//! checks, answer). Keeping a thousand of them alive, made on the listener's connection threads
//! and freed a thousand requests later, cost the listener about a tenth of its throughput in
//! allocator work; one buffer per request costs one allocation and a few copies (no escaping,
//! unlike a capture line). The page is what pays to unpack: only when it asks.
//!
//! The layout is private to this module and never leaves the process: lengths as little-endian
//! `u32`, strings as bytes, `Option`s behind a 0/1 byte. Unpacking reads only what packing
//! wrote; a short buffer unpacks to empty fields rather than panicking.

use super::store::Entry;
use crate::http::{HttpReply, HttpRequest};
use crate::listen::capture::{Capture, Forwarded};
use crate::protocol::{Check, CheckId, Now, VendorId};

/// One entry, packed.
#[derive(Debug)]
pub struct Packed {
    pub id: u64,
    pub source: usize,
    bytes: Vec<u8>,
}

impl Packed {
    /// `entry` as one buffer (its id kept beside it, for the ring's lookups).
    #[cfg(test)]
    pub fn pack(entry: &Entry) -> Packed {
        Packed::pack_into(entry, Vec::new())
    }

    /// `entry` packed into `buffer` (emptied first): a forgotten entry's buffer, reused, saves
    /// the allocator a large allocation and a free from another thread per request.
    pub fn pack_into(entry: &Entry, mut buffer: Vec<u8>) -> Packed {
        buffer.clear();
        buffer.reserve_exact(size_hint(entry));
        let mut w = Writer(buffer);
        w.u64(entry.now.unix_ms);
        w.opt(entry.latency_ms, |w, ms| w.u64(ms.to_bits()));
        w.opt(entry.vendor, |w, v| w.str(v.name()));
        w.capture(&entry.capture, entry.reopen_plaintext);
        w.u32(entry.checks.len());
        for c in &entry.checks {
            w.str(c.name.as_str());
            w.0.push(u8::from(c.ok));
            w.str(&c.expected);
            w.str(&c.got);
            w.str(&c.note);
        }
        w.opt(entry.note.as_deref(), Writer::str);
        w.opt(entry.unverified.as_deref(), Writer::str);
        w.opt(entry.reply.as_ref(), |w, r| {
            w.u32(usize::from(r.status));
            w.pairs(&r.headers);
            w.bytes(&r.body);
        });
        Packed {
            id: entry.id,
            source: entry.source,
            bytes: w.0,
        }
    }

    /// The buffer, to pack another entry into.
    pub fn into_buffer(self) -> Vec<u8> {
        self.bytes
    }

    /// The entry as it was packed.
    pub fn unpack(&self) -> Entry {
        let mut r = Reader(&self.bytes);
        let now = Now { unix_ms: r.u64() };
        let latency_ms = r.opt(|r| f64::from_bits(r.u64()));
        let vendor = r.opt(Reader::string).and_then(|n| VendorId::lookup(&n));
        let (capture, reopen_plaintext) = r.capture();
        let checks = (0..r.count())
            .map(|_| {
                let name = r.string();
                let ok = r.u8() == 1;
                let (expected, got, note) = (r.string(), r.string(), r.string());
                // Every name written is a CheckId's own; anything else is not one of ours.
                let name = CheckId::from_name(&name).unwrap_or(CheckId::Signature);
                Check {
                    name,
                    ok,
                    expected,
                    got,
                    note,
                }
            })
            .collect();
        let note = r.opt(Reader::string);
        let unverified = r.opt(Reader::string);
        let reply = r.opt(|r| HttpReply {
            status: u16::try_from(r.u32()).unwrap_or_default(),
            headers: r.pairs(),
            body: r.bytes().to_vec(),
        });
        Entry {
            id: self.id,
            source: self.source,
            now,
            latency_ms,
            capture,
            vendor,
            checks,
            note,
            unverified,
            reply,
            reopen_plaintext,
        }
    }
}

/// About what packing `entry` writes, so that the buffer is allocated once.
fn size_hint(e: &Entry) -> usize {
    let c = &e.capture;
    let pairs =
        |h: &[(String, String)]| h.iter().map(|(k, v)| k.len() + v.len() + 8).sum::<usize>();
    let checks: usize = e
        .checks
        .iter()
        .map(|k| k.expected.len() + k.got.len() + k.note.len() + 32)
        .sum();
    let reply = e
        .reply
        .as_ref()
        .map_or(0, |r| pairs(&r.headers) + r.body.len() + 16);
    let text = |s: &Option<String>| s.as_ref().map_or(1, |s| s.len() + 5);
    256 + c.received_at.len()
        + c.request.method.len()
        + c.request.path.len()
        + c.request.query.len()
        + pairs(&c.request.headers)
        + c.request.body.len()
        + 24 * c.verdict.len()
        + c.errors.iter().map(|x| x.len() + 4).sum::<usize>()
        + text(&c.event_type)
        + if e.reopen_plaintext {
            1
        } else {
            text(&c.plaintext)
        }
        + checks
        + text(&e.note)
        + text(&e.unverified)
        + reply
}

/// The tag of a plaintext left out, beside an `Option`'s 0 and 1.
const REOPEN: u8 = 2;

/// The tag of a verdict value that is not a boolean (0 and 1), JSON bytes following.
const VERDICT_JSON: u8 = 2;

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, n: usize) {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len());
        self.0.extend_from_slice(b);
    }

    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn opt<T>(&mut self, v: Option<T>, write: impl FnOnce(&mut Writer, T)) {
        match v {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                write(self, v);
            }
        }
    }

    fn pairs(&mut self, pairs: &[(String, String)]) {
        self.u32(pairs.len());
        for (k, v) in pairs {
            self.str(k);
            self.str(v);
        }
    }

    /// A verdict: each check's name and, for the booleans a listener writes, one byte; any
    /// other value (a capture file may hold anything) as JSON. The whole map as JSON would be a
    /// fifth of what packing a listener's entry costs (callgrind).
    fn verdict(&mut self, verdict: &serde_json::Map<String, serde_json::Value>) {
        self.u32(verdict.len());
        for (name, value) in verdict {
            self.str(name);
            match value {
                serde_json::Value::Bool(b) => self.0.push(u8::from(*b)),
                other => {
                    self.0.push(VERDICT_JSON);
                    self.bytes(&serde_json::to_vec(other).unwrap_or_default());
                }
            }
        }
    }

    /// `c`, its plaintext left out when `reopen_plaintext` (marked 2, for the reader).
    fn capture(&mut self, c: &Capture, reopen_plaintext: bool) {
        self.str(&c.received_at);
        self.opt(c.vendor.as_deref(), Writer::str);
        let rq = &c.request;
        self.str(&rq.method);
        self.str(&rq.path);
        self.str(&rq.query);
        self.pairs(&rq.headers);
        self.bytes(&rq.body);
        self.verdict(&c.verdict);
        self.u32(c.errors.len());
        for e in &c.errors {
            self.str(e);
        }
        self.opt(c.event_type.as_deref(), Writer::str);
        if reopen_plaintext {
            self.0.push(REOPEN);
        } else {
            self.opt(c.plaintext.as_deref(), Writer::str);
        }
        self.opt(c.status, |w, s| w.u32(usize::from(s)));
        // Only with --forward-to, which waits for the app anyway.
        self.opt(c.forward.as_ref(), |w, f| {
            w.bytes(&serde_json::to_vec(f).unwrap_or_default());
        });
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head
    }

    fn u8(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or_default()
    }

    fn u32(&mut self) -> usize {
        let b = self.take(4);
        b.try_into().map_or(0, |b| u32::from_le_bytes(b) as usize)
    }

    fn u64(&mut self) -> u64 {
        let b = self.take(8);
        b.try_into().map_or(0, u64::from_le_bytes)
    }

    /// A count of items that follow, each at least one byte: never more than the bytes left.
    fn count(&mut self) -> usize {
        self.u32().min(self.0.len())
    }

    fn bytes(&mut self) -> &'a [u8] {
        let n = self.u32();
        self.take(n)
    }

    fn string(&mut self) -> String {
        String::from_utf8_lossy(self.bytes()).into_owned()
    }

    fn opt<T>(&mut self, read: impl FnOnce(&mut Reader<'a>) -> T) -> Option<T> {
        (self.u8() == 1).then(|| read(self))
    }

    fn pairs(&mut self) -> Vec<(String, String)> {
        (0..self.count())
            .map(|_| (self.string(), self.string()))
            .collect()
    }

    fn verdict(&mut self) -> serde_json::Map<String, serde_json::Value> {
        (0..self.count())
            .map(|_| {
                let name = self.string();
                let value = match self.u8() {
                    VERDICT_JSON => serde_json::from_slice(self.bytes()).unwrap_or_default(),
                    b => serde_json::Value::Bool(b == 1),
                };
                (name, value)
            })
            .collect()
    }

    /// A capture, and whether its plaintext was left out to be opened again.
    fn capture(&mut self) -> (Capture, bool) {
        let received_at = self.string();
        let vendor = self.opt(Reader::string);
        let request = HttpRequest {
            method: self.string(),
            path: self.string(),
            query: self.string(),
            headers: self.pairs(),
            body: self.bytes().to_vec(),
        };
        let verdict = self.verdict();
        let errors = (0..self.count()).map(|_| self.string()).collect();
        let event_type = self.opt(Reader::string);
        let (plaintext, reopen) = match self.u8() {
            1 => (Some(self.string()), false),
            REOPEN => (None, true),
            _ => (None, false),
        };
        let status = self.opt(|r| u16::try_from(r.u32()).unwrap_or_default());
        let forward = self
            .opt(|r| serde_json::from_slice::<Forwarded>(r.bytes()).ok())
            .flatten();
        let capture = Capture {
            received_at,
            vendor,
            request,
            verdict,
            errors,
            event_type,
            plaintext,
            status,
            forward,
        };
        (capture, reopen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> Entry {
        let mut verdict = serde_json::Map::new();
        verdict.insert("signature".into(), true.into());
        verdict.insert("accepted".into(), false.into());
        // Not a listener's: a capture file's verdict may hold any JSON.
        verdict.insert("retries".into(), serde_json::json!([1, "x", null]));
        let capture = Capture {
            received_at: "2026-01-02T03:04:05.678Z".into(),
            vendor: Some("dingtalk".into()),
            request: HttpRequest {
                method: "POST".into(),
                path: "/cb".into(),
                query: "signature=a%2Bb&nonce=1".into(),
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: vec![0xff, 0, b'<', b'x'],
            },
            verdict,
            errors: vec!["signature does not match".into(), "late".into()],
            event_type: Some("user_add_org".into()),
            plaintext: Some("{\"EventType\":\"user_add_org\",\"名\":\"😀\"}".into()),
            status: Some(400),
            forward: Some(Forwarded {
                status: Some(403),
                body: Some("no".into()),
                latency_ms: 1.5,
                accepted: false,
                reason: Some("403".into()),
            }),
        };
        Entry {
            id: 7,
            source: 2,
            now: Now {
                unix_ms: 1_767_323_045_678,
            },
            latency_ms: Some(0.125),
            capture,
            vendor: VendorId::lookup("dingtalk"),
            checks: vec![
                Check {
                    name: CheckId::ReceiverId,
                    ok: false,
                    expected: "ding1".into(),
                    got: "ding2".into(),
                    note: "another app's".into(),
                },
                Check {
                    name: CheckId::Replay,
                    ok: true,
                    expected: String::new(),
                    got: String::new(),
                    note: String::new(),
                },
            ],
            note: Some("a note".into()),
            unverified: Some("no token".into()),
            reply: Some(HttpReply {
                status: 400,
                headers: vec![("Content-Type".into(), "text/plain".into())],
                body: b"bad\n".to_vec(),
            }),
            reopen_plaintext: false,
        }
    }

    fn assert_same(a: &Entry, b: &Entry) {
        assert_eq!(
            (a.id, a.source, a.now, a.latency_ms),
            (b.id, b.source, b.now, b.latency_ms)
        );
        assert_eq!(a.capture, b.capture);
        assert_eq!((a.vendor, &a.checks), (b.vendor, &b.checks));
        assert_eq!(
            (&a.note, &a.unverified, &a.reply, a.reopen_plaintext),
            (&b.note, &b.unverified, &b.reply, b.reopen_plaintext)
        );
    }

    #[test]
    fn every_field_comes_back_as_it_went_in() {
        let e = full();
        let p = Packed::pack(&e);
        assert_eq!((p.id, p.source), (7, 2));
        assert_same(&p.unpack(), &e);
    }

    #[test]
    fn an_entry_with_nothing_optional_comes_back_too() {
        let mut e = full();
        e.latency_ms = None;
        e.vendor = None;
        e.checks.clear();
        (e.note, e.unverified, e.reply) = (None, None, None);
        e.capture.vendor = None;
        e.capture.forward = None;
        e.capture.status = None;
        (e.capture.event_type, e.capture.plaintext) = (None, None);
        e.capture.errors.clear();
        e.capture.verdict.clear();
        assert_same(&Packed::pack(&e).unpack(), &e);
    }

    #[test]
    fn a_plaintext_to_reopen_is_left_out_and_marked() {
        let mut e = full();
        let whole = Packed::pack(&e).bytes.len();
        e.reopen_plaintext = true;
        let p = Packed::pack(&e);
        let plaintext = e.capture.plaintext.as_ref().unwrap().len();
        assert_eq!(
            p.bytes.len(),
            whole - plaintext - 4,
            "only the tag is written"
        );
        let back = p.unpack();
        assert!(back.reopen_plaintext);
        assert_eq!(
            back.capture.plaintext, None,
            "for the inspector to open again"
        );
        e.capture.plaintext = None;
        assert_same(&back, &e);
    }

    #[test]
    fn a_reused_buffer_holds_only_the_new_entry() {
        let mut small = full();
        small.checks.clear();
        small.capture.request.body = b"{}".to_vec();
        let used = Packed::pack(&full()).into_buffer();
        assert_same(&Packed::pack_into(&small, used).unpack(), &small);
    }

    #[test]
    fn the_buffer_given_back_is_the_entry_s_own() {
        let p = Packed::pack(&full());
        let (len, at) = (p.bytes.len(), p.bytes.as_ptr());
        let buffer = p.into_buffer();
        assert_eq!(
            buffer.as_ptr(),
            at,
            "the same allocation, for the next entry to reuse"
        );
        assert!(buffer.capacity() >= len);
    }

    #[test]
    fn the_buffer_is_allocated_once() {
        let e = full();
        let p = Packed::pack(&e);
        assert_eq!(p.bytes.capacity(), size_hint(&e), "never grown");
        assert!(p.bytes.len() <= p.bytes.capacity());
    }

    #[test]
    fn a_cut_buffer_unpacks_to_empty_fields_without_panicking() {
        let p = Packed::pack(&full());
        for n in 0..p.bytes.len() {
            let cut = Packed {
                id: 1,
                source: 0,
                bytes: p.bytes[..n].to_vec(),
            };
            let _ = cut.unpack();
        }
    }
}
