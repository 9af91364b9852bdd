//! Lines in, JSON lines out: on the calling thread, or read by one thread, decoded by workers
//! in chunks and written back in input order, with a bounded number of chunks in flight.

use std::io::{BufRead, Write};

use super::{BatchDecoder, SecretsFor, Totals, content};

/// Lines handed to a worker at once: enough to make the hand-over cheap, few enough that the
/// chunks in flight stay small (a few MB at most).
const CHUNK_LINES: usize = 256;

/// Lines read but not yet written, counted in chunks, per worker.
const CHUNKS_IN_FLIGHT_PER_WORKER: usize = 4;

/// Lines read by the reader, non-blank, with their line numbers implied: `first`, `first+1`, …
struct Chunk {
    seq: u64,
    first: u64,
    data: Vec<u8>,
    lines: Vec<std::ops::Range<usize>>,
}

/// A chunk's JSON lines.
struct Decoded {
    seq: u64,
    out: Vec<u8>,
    lines: u64,
    failed: u64,
}

impl<S: SecretsFor + ?Sized> BatchDecoder<'_, S> {
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

    fn run_here(&self, mut input: impl BufRead, out: &mut impl Write) -> std::io::Result<Totals> {
        let mut totals = Totals::default();
        let mut line = Vec::with_capacity(8 * 1024);
        let mut json = Vec::with_capacity(64 * 1024);
        loop {
            line.clear();
            if input.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            let Some(range) = content(&line) else {
                continue;
            };
            totals.lines += 1;
            if self.decode_into(totals.lines, &line[range], &mut json) {
                totals.failed += 1;
            }
            if json.len() >= 48 * 1024 {
                out.write_all(&json)?;
                json.clear();
            }
        }
        out.write_all(&json)?;
        Ok(totals)
    }

    fn run_threads(
        &self,
        mut input: impl BufRead + Send,
        out: &mut impl Write,
        workers: usize,
    ) -> std::io::Result<Totals> {
        use std::sync::mpsc::{channel, sync_channel};
        use std::sync::{Arc, Mutex};

        let in_flight = workers * CHUNKS_IN_FLIGHT_PER_WORKER;
        // A chunk is read only with a ticket, and a ticket comes back once its chunk is
        // written: this bounds what is held, however far ahead the reader or a worker gets.
        let (ticket_tx, ticket_rx) = sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            let _ = ticket_tx.send(());
        }
        let (job_tx, job_rx) = sync_channel::<Chunk>(in_flight);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (done_tx, done_rx) = channel::<Decoded>();
        std::thread::scope(|scope| {
            let reader = scope.spawn(move || -> std::io::Result<()> {
                let (mut seq, mut next_line) = (0u64, 1u64);
                let mut line = Vec::with_capacity(8 * 1024);
                loop {
                    if ticket_rx.recv().is_err() {
                        return Ok(()); // the writer stopped
                    }
                    let mut chunk = Chunk {
                        seq,
                        first: next_line,
                        data: Vec::with_capacity(CHUNK_LINES * 4 * 1024),
                        lines: Vec::with_capacity(CHUNK_LINES),
                    };
                    let mut eof = false;
                    while chunk.lines.len() < CHUNK_LINES {
                        line.clear();
                        if input.read_until(b'\n', &mut line)? == 0 {
                            eof = true;
                            break;
                        }
                        if let Some(range) = content(&line) {
                            let at = chunk.data.len();
                            chunk.data.extend_from_slice(&line[range]);
                            chunk.lines.push(at..chunk.data.len());
                        }
                    }
                    if !chunk.lines.is_empty() {
                        next_line += chunk.lines.len() as u64;
                        seq += 1;
                        if job_tx.send(chunk).is_err() {
                            return Ok(()); // the workers stopped
                        }
                    }
                    if eof {
                        return Ok(());
                    }
                }
            });
            for _ in 0..workers {
                let (job_rx, done_tx) = (job_rx.clone(), done_tx.clone());
                scope.spawn(move || {
                    loop {
                        let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok(chunk) = job else { return };
                        let mut d = Decoded {
                            seq: chunk.seq,
                            out: Vec::with_capacity(chunk.data.len()),
                            lines: chunk.lines.len() as u64,
                            failed: 0,
                        };
                        for (i, range) in chunk.lines.iter().enumerate() {
                            let n = chunk.first + i as u64;
                            if self.decode_into(n, &chunk.data[range.clone()], &mut d.out) {
                                d.failed += 1;
                            }
                        }
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
                        let _ = ticket_tx.send(());
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
        for i in 0..(CHUNK_LINES * CHUNKS_IN_FLIGHT_PER_WORKER * 3 + 7) {
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
        let input = line.repeat(CHUNK_LINES * 20);
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
