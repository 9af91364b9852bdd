//! What the listener writes down: the capture line of each request (`capture`, also read back
//! by `verify`, `decode` and `replay --from-capture`) and the record file those lines are
//! appended to (`--record`). Kept together so the format and the writer change together.

pub mod capture;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;

use capture::Capture;

/// The record file: one capture line per request, written whole and flushed under a lock so
/// concurrent workers never interleave and a crash never loses an answered request.
///
/// A line is on disk whole or not at all: a write that fails part-way (the disk is full) is
/// cut back off, so the next line does not continue a fragment.
pub(crate) struct Recorder {
    path: PathBuf,
    file: Mutex<Appender<File>>,
}

/// What can be appended to and cut back: the record file (a test double in unit tests).
pub(crate) trait Log: Write {
    fn len(&self) -> std::io::Result<u64>;
    fn truncate(&mut self, len: u64) -> std::io::Result<()>;
}

impl Log for File {
    fn len(&self) -> std::io::Result<u64> {
        Ok(self.metadata()?.len())
    }

    fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        self.set_len(len)
    }
}

/// Appends whole lines to a [`Log`].
pub(crate) struct Appender<L> {
    log: L,
    /// After a failed write that could not be cut back either: how many bytes at the end of
    /// the log are a fragment, cut off before anything more is written.
    torn_tail: u64,
}

impl<L: Log> Appender<L> {
    pub(crate) fn new(log: L) -> Appender<L> {
        Appender { log, torn_tail: 0 }
    }

    /// Append `line` whole, or leave the log as it was and fail.
    ///
    /// The log's length is asked only when a write fails (then the fragment is the bytes this
    /// call wrote), not before every line: one system call less per recorded request.
    pub(crate) fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        if self.torn_tail > 0 {
            self.cut_tail()?;
        }
        let mut written = 0;
        let result =
            write_counted(&mut self.log, line, &mut written).and_then(|()| self.log.flush());
        if result.is_err() && written > 0 {
            self.torn_tail = written;
            // When it cannot be cut now, the next append tries again before writing.
            let _ = self.cut_tail();
        }
        result
    }

    /// Cut the fragment a failed write left at the end of the log.
    fn cut_tail(&mut self) -> std::io::Result<()> {
        let end = self.log.len()?;
        self.log.truncate(end.saturating_sub(self.torn_tail))?;
        self.torn_tail = 0;
        Ok(())
    }
}

/// `write_all`, counting into `written` the bytes that reached `log` even when it fails.
fn write_counted(log: &mut impl Write, line: &[u8], written: &mut u64) -> std::io::Result<()> {
    let mut rest = line;
    while !rest.is_empty() {
        match log.write(rest) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                *written += n as u64;
                rest = &rest[n..];
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

impl Recorder {
    pub(crate) fn open(path: &Path) -> anyhow::Result<Recorder> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open the record file {}", path.display()))?;
        Ok(Recorder {
            path: path.to_path_buf(),
            file: Mutex::new(Appender::new(file)),
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// A capture as its record line, newline included.
    pub(crate) fn line(capture: &Capture) -> std::io::Result<Vec<u8>> {
        let mut line = serde_json::to_vec(capture).map_err(std::io::Error::other)?;
        line.push(b'\n');
        Ok(line)
    }

    /// Append one whole line (or nothing, and fail).
    pub(crate) fn write(&self, line: &[u8]) -> std::io::Result<()> {
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        f.append(line)
    }

    pub(crate) fn flush(&self) {
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let _ = f.log.flush();
        let _ = f.log.sync_data();
    }
}

/// RFC 3339 UTC with milliseconds, e.g. `2026-01-02T03:04:05.678Z` (a capture's `received_at`).
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (y, m, day) = civil_from_days((secs / 86_400) as i64);
    let rem = (secs % 86_400) as u32;
    let (hh, mm, ss, ms) = (rem / 3600, rem % 3600 / 60, rem % 60, d.subsec_millis());
    let Ok(year @ 0..=9999) = u32::try_from(y) else {
        return format!("{y:04}-{m:02}-{day:02}T{hh:02}:{mm:02}:{ss:02}.{ms:03}Z");
    };
    // Digit by digit: the listener stamps every request, and `format!` is 3 k instructions of
    // a request's 130 k (callgrind).
    let mut out = String::with_capacity(24);
    let mut digits = |n: u32, width: u32, after: char| {
        for i in (0..width).rev() {
            out.push(char::from(b'0' + (n / 10u32.pow(i) % 10) as u8));
        }
        out.push(after);
    };
    digits(year, 4, '-');
    digits(m, 2, '-');
    digits(day, 2, 'T');
    digits(hh, 2, ':');
    digits(mm, 2, ':');
    digits(ss, 2, '.');
    digits(ms, 3, 'Z');
    out
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rfc3339_formats_known_instants() {
        let t = UNIX_EPOCH + Duration::from_millis(1_609_239_040_864);
        assert_eq!(rfc3339(t), "2020-12-29T10:50:40.864Z");
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00.000Z");
        let late = UNIX_EPOCH + Duration::from_millis(253_402_300_799_999);
        assert_eq!(rfc3339(late), "9999-12-31T23:59:59.999Z");
        let later = UNIX_EPOCH + Duration::from_millis(253_402_300_800_001);
        assert_eq!(rfc3339(later), "10000-01-01T00:00:00.001Z");
    }

    /// A log that accepts `room` more bytes, then fails as a full disk does: part of the write
    /// lands, the rest fails with ENOSPC; cutting back can be made to fail too.
    struct FullDisk {
        data: Vec<u8>,
        room: usize,
        truncate_fails: bool,
        len_asked: std::cell::Cell<usize>,
    }

    impl Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                return Err(std::io::Error::from_raw_os_error(28));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.data.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Log for FullDisk {
        fn len(&self) -> std::io::Result<u64> {
            self.len_asked.set(self.len_asked.get() + 1);
            Ok(self.data.len() as u64)
        }

        fn truncate(&mut self, len: u64) -> std::io::Result<()> {
            if self.truncate_fails {
                return Err(std::io::Error::other("cannot truncate"));
            }
            self.room += self.data.len() - len as usize;
            self.data.truncate(len as usize);
            Ok(())
        }
    }

    #[test]
    fn a_line_that_does_not_fit_leaves_no_fragment() {
        let mut a = Appender::new(FullDisk {
            data: Vec::new(),
            room: 10,
            truncate_fails: false,
            len_asked: Default::default(),
        });
        a.append(b"one\n").unwrap();
        assert!(a.append(b"a longer line\n").is_err());
        assert_eq!(a.log.data, b"one\n");
        a.log.room += 100; // space freed
        a.append(b"two\n").unwrap();
        assert_eq!(a.log.data, b"one\ntwo\n");
    }

    #[test]
    fn a_fragment_that_cannot_be_cut_blocks_further_lines_until_it_can() {
        let mut a = Appender::new(FullDisk {
            data: Vec::new(),
            room: 6,
            truncate_fails: true,
            len_asked: Default::default(),
        });
        a.append(b"one\n").unwrap();
        assert!(a.append(b"a longer line\n").is_err());
        a.log.room += 100;
        // The fragment is still there and cannot be cut: nothing is appended after it.
        assert!(a.append(b"two\n").is_err());
        assert_eq!(a.log.data, b"one\na ");
        a.log.truncate_fails = false;
        a.append(b"two\n").unwrap();
        assert_eq!(a.log.data, b"one\ntwo\n");
    }

    #[test]
    fn whole_lines_are_appended_without_asking_the_length() {
        let mut a = Appender::new(FullDisk {
            data: Vec::new(),
            room: 100,
            truncate_fails: false,
            len_asked: Default::default(),
        });
        a.append(b"one\n").unwrap();
        a.append(b"two\n").unwrap();
        assert_eq!(a.log.data, b"one\ntwo\n");
        assert_eq!(a.log.len_asked.get(), 0);
    }

    #[test]
    fn a_record_line_is_one_json_line_that_parses_back() {
        let c = Capture {
            received_at: rfc3339(UNIX_EPOCH),
            vendor: Some("wecom".into()),
            request: crate::http::HttpRequest::default(),
            verdict: serde_json::Map::new(),
            errors: vec!["a\nb".into()],
            event_type: None,
            plaintext: None,
            status: Some(200),
            forward: None,
        };
        let line = Recorder::line(&c).unwrap();
        assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
        assert!(line.ends_with(b"\n"));
        let text = std::str::from_utf8(&line).unwrap();
        assert_eq!(capture::parse_line(text.trim_end()).unwrap(), c);
    }
}
