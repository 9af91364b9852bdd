//! Lines in, JSON lines out: on the calling thread, or read by one thread, decoded by workers
//! in chunks and written back in input order, with a bounded number of chunks in flight.

use std::io::{BufRead, Read, Write};

use super::{BatchDecoder, Totals, content};

/// Bytes of whole lines read at once into a chunk (a longer line makes a longer chunk): enough
/// to make the hand-over and the read calls cheap, few enough that the chunks in flight stay
/// small (a few MB at most). Small in tests, so that lines cross block ends.
#[cfg(not(test))]
const CHUNK_BYTES: usize = 512 * 1024;
#[cfg(test)]
const CHUNK_BYTES: usize = 2 * 1024;

/// Lines read but not yet written, counted in chunks, per worker.
const CHUNKS_IN_FLIGHT_PER_WORKER: usize = 4;

/// Whole lines read in blocks straight into a chunk's buffer, so no line is copied on its
/// way to the decoder; only the unfinished line at a block's end is carried to the next.
struct LineBlocks<R> {
    input: R,
    /// The start of a line whose end has not been read yet.
    carry: Vec<u8>,
    eof: bool,
}

impl<R: Read> LineBlocks<R> {
    fn new(input: R) -> Self {
        LineBlocks {
            input,
            carry: Vec::new(),
            eof: false,
        }
    }

    /// Read the next whole lines, about `CHUNK_BYTES` of them, into the start of `data`; how
    /// many bytes they take, 0 once the input is used up (the last line of the input need not
    /// end in a newline). `data` keeps its length, so a buffer used again is not cleared.
    fn next_block(&mut self, data: &mut Vec<u8>) -> std::io::Result<usize> {
        let mut filled = self.carry.len();
        let size = CHUNK_BYTES.max(filled * 2);
        if data.len() < size {
            data.resize(size, 0);
        }
        data[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        // Where the newline search of a full buffer starts: the carried line has none.
        let mut unsearched = filled;
        while !self.eof {
            if filled == data.len() {
                match memchr::memrchr(b'\n', &data[unsearched..filled]) {
                    Some(at) => {
                        let end = unsearched + at + 1;
                        self.carry.extend_from_slice(&data[end..filled]);
                        return Ok(end);
                    }
                    // One line longer than the buffer.
                    None => {
                        unsearched = filled;
                        data.resize(filled * 2, 0);
                    }
                }
            }
            match self.input.read(&mut data[filled..]) {
                Ok(0) => self.eof = true,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(filled)
    }
}

/// The content of each line of a block (blank lines skipped), in order.
fn block_lines(data: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    memchr::memchr_iter(b'\n', data)
        .map(|nl| nl + 1)
        .chain((data.last() != Some(&b'\n')).then_some(data.len()))
        .filter_map(move |end| {
            let line = start..end;
            start = end;
            content(&data[line.clone()]).map(|r| line.start + r.start..line.start + r.end)
        })
}

/// Lines read by the reader, non-blank, with their line numbers implied: `first`, `first+1`, …
struct Chunk {
    seq: u64,
    first: u64,
    data: Vec<u8>,
    lines: Vec<std::ops::Range<usize>>,
    /// Where to write the chunk's JSON lines (a buffer handed back from an earlier chunk).
    out: Vec<u8>,
}

/// A chunk's JSON lines, and its input buffer to use again.
struct Decoded {
    seq: u64,
    out: Vec<u8>,
    data: Vec<u8>,
    lines: u64,
    failed: u64,
}

/// A chunk's buffers, handed back once its output is written: the right to read another.
#[derive(Default)]
struct Ticket {
    data: Vec<u8>,
    out: Vec<u8>,
}

impl BatchDecoder {
    /// Decode every line of `input` and write one JSON object per line to `out`, in input
    /// order. Only a failure to read or write ends the run early (a closed pipe: `| head`).
    ///
    /// With more than one thread, a reader hands chunks of lines to workers and the calling
    /// thread writes their output in order; at most a few chunks per worker are in flight, so
    /// memory stays flat.
    pub fn run(&self, input: impl BufRead + Send, mut out: impl Write) -> std::io::Result<Totals> {
        let threads = match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let totals = if threads <= 1 {
            self.run_here(input, &mut out)?
        } else {
            self.run_threads(input, &mut out, threads)?
        };
        out.flush()?;
        Ok(totals)
    }

    fn run_here(&self, input: impl BufRead, out: &mut impl Write) -> std::io::Result<Totals> {
        let mut totals = Totals::default();
        let mut blocks = LineBlocks::new(input);
        let mut data = Vec::new();
        let mut json = Vec::with_capacity(64 * 1024);
        loop {
            let end = blocks.next_block(&mut data)?;
            if end == 0 {
                break;
            }
            for range in block_lines(&data[..end]) {
                totals.lines += 1;
                if self.decode_into(totals.lines, &data[range], &mut json) {
                    totals.failed += 1;
                }
                if json.len() >= 48 * 1024 {
                    out.write_all(&json)?;
                    json.clear();
                }
            }
        }
        out.write_all(&json)?;
        Ok(totals)
    }

    fn run_threads(
        &self,
        input: impl BufRead + Send,
        out: &mut impl Write,
        workers: usize,
    ) -> std::io::Result<Totals> {
        use std::sync::mpsc::{channel, sync_channel};
        use std::sync::{Arc, Mutex};

        let in_flight = workers * CHUNKS_IN_FLIGHT_PER_WORKER;
        // A chunk is read only with a ticket, and a ticket comes back once its chunk is
        // written: this bounds what is held, however far ahead the reader or a worker gets.
        let (ticket_tx, ticket_rx) = sync_channel::<Ticket>(in_flight);
        for _ in 0..in_flight {
            let _ = ticket_tx.send(Ticket::default());
        }
        let (job_tx, job_rx) = sync_channel::<Chunk>(in_flight);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (done_tx, done_rx) = channel::<Decoded>();
        std::thread::scope(|scope| {
            let reader = scope.spawn(move || -> std::io::Result<()> {
                let (mut seq, mut next_line) = (0u64, 1u64);
                let mut blocks = LineBlocks::new(input);
                loop {
                    let Ok(Ticket { mut data, out }) = ticket_rx.recv() else {
                        return Ok(()); // the writer stopped
                    };
                    // A block of blank lines only is no chunk: its buffer reads the next.
                    let lines = loop {
                        let end = blocks.next_block(&mut data)?;
                        if end == 0 {
                            return Ok(());
                        }
                        let lines: Vec<_> = block_lines(&data[..end]).collect();
                        if !lines.is_empty() {
                            break lines;
                        }
                    };
                    let chunk = Chunk {
                        seq,
                        first: next_line,
                        data,
                        lines,
                        out,
                    };
                    next_line += chunk.lines.len() as u64;
                    seq += 1;
                    if job_tx.send(chunk).is_err() {
                        return Ok(()); // the workers stopped
                    }
                }
            });
            for _ in 0..workers {
                let (job_rx, done_tx) = (job_rx.clone(), done_tx.clone());
                scope.spawn(move || {
                    loop {
                        let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok(mut chunk) = job else { return };
                        chunk.out.clear();
                        let mut d = Decoded {
                            seq: chunk.seq,
                            out: chunk.out,
                            data: Vec::new(),
                            lines: chunk.lines.len() as u64,
                            failed: 0,
                        };
                        for (i, range) in chunk.lines.iter().enumerate() {
                            let n = chunk.first + i as u64;
                            if self.decode_into(n, &chunk.data[range.clone()], &mut d.out) {
                                d.failed += 1;
                            }
                        }
                        d.data = chunk.data;
                        if done_tx.send(d).is_err() {
                            return;
                        }
                    }
                });
            }
            // Only the workers hold these now: when they stop, the reader's sends fail.
            drop(job_rx);
            drop(done_tx);
            // Write in input order; chunks that finish early wait here (at most `in_flight`).
            let mut totals = Totals::default();
            let mut waiting = std::collections::BTreeMap::new();
            let mut next = 0u64;
            let written = (|| -> std::io::Result<()> {
                for d in &done_rx {
                    waiting.insert(d.seq, d);
                    while let Some(d) = waiting.remove(&next) {
                        out.write_all(&d.out)?;
                        totals.lines += d.lines;
                        totals.failed += d.failed;
                        next += 1;
                        let _ = ticket_tx.send(Ticket {
                            data: d.data,
                            out: d.out,
                        });
                    }
                }
                Ok(())
            })();
            // On a write error, stop the reader (its ticket wait fails) and the workers (their
            // sends fail) before the scope joins them.
            drop(ticket_tx);
            drop(done_rx);
            let read = reader.join().unwrap_or(Ok(()));
            written?;
            read?;
            Ok(totals)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{capture_line, decoder, dingtalk};
    use super::*;
    use crate::batch_decode::LineFormat;

    #[test]
    fn threads_write_the_same_lines_in_the_same_order() {
        let (v, s) = dingtalk();
        let good = capture_line(v, &s, r#"{"EventType":"a"}"#);
        let mut input = String::new();
        // More chunks than are ever in flight, blank and bad lines among them.
        let lines = CHUNK_BYTES * CHUNKS_IN_FLIGHT_PER_WORKER * 3 / good.len() + 7;
        for i in 0..lines {
            match i % 97 {
                5 => input.push('\n'),
                11 => input.push_str("{\"bad\":1}\n"),
                _ => {
                    input.push_str(&good);
                    input.push('\n');
                }
            }
        }
        let one = decoder(&s, LineFormat::Capture);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let ta = one.run(input.as_bytes(), &mut a).unwrap();
        let three = BatchDecoder { threads: 3, ..one };
        let tb = three.run(input.as_bytes(), &mut b).unwrap();
        assert_eq!(ta, tb);
        assert!(ta.failed > 0 && ta.lines > ta.failed);
        assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 128, failure_persistence: None, ..Default::default()
        })]

        /// Blocks hold the same non-blank lines as reading line by line, whatever the lengths
        /// (across block ends, longer than a block, blank, the last without a newline).
        #[test]
        fn blocks_hold_the_lines_read_one_by_one(
            lines in proptest::collection::vec((0usize..3 * CHUNK_BYTES, 0u8..4), 0..12),
            last_newline in proptest::prelude::any::<bool>(),
        ) {
            let mut input = Vec::new();
            for (i, (len, kind)) in lines.iter().enumerate() {
                let fill = [b'x', b' ', b'y', b'\r'][*kind as usize];
                input.extend(std::iter::repeat_n(fill, *len));
                if i % 3 != 0 {
                    input.push(b'0' + (i % 10) as u8);
                }
                input.extend_from_slice(if kind % 2 == 0 { b"\r\n" } else { b"\n" });
            }
            if !last_newline && !input.is_empty() {
                input.pop();
            }
            let mut want = Vec::new();
            let mut reader = &input[..];
            let mut line = Vec::new();
            while { line.clear(); reader.read_until(b'\n', &mut line).unwrap() > 0 } {
                if let Some(r) = content(&line) {
                    want.push(line[r].to_vec());
                }
            }
            let mut got = Vec::new();
            let mut blocks = LineBlocks::new(&input[..]);
            let mut data = Vec::new();
            loop {
                let end = blocks.next_block(&mut data).unwrap();
                if end == 0 {
                    break;
                }
                got.extend(block_lines(&data[..end]).map(|r| data[r].to_vec()));
            }
            proptest::prop_assert_eq!(got, want);
        }
    }

    /// Output whose reader went away (`| head`).
    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_output_stops_every_thread() {
        let (v, s) = dingtalk();
        let line = capture_line(v, &s, "{}") + "\n";
        let input = line.repeat(CHUNK_BYTES * 20 / line.len() + 1);
        let d = BatchDecoder {
            threads: 2,
            ..decoder(&s, LineFormat::Capture)
        };
        let e = d.run(input.as_bytes(), Closed).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn a_closed_output_ends_the_run_with_its_error() {
        let (v, s) = dingtalk();
        let line = capture_line(v, &s, "{}");
        let e = decoder(&s, LineFormat::Capture)
            .run(line.as_bytes(), Closed)
            .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
    }
}
