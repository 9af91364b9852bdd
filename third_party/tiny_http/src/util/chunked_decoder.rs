// cbkit patch: a chunked body decoder that follows RFC 9112 §7.1 strictly enough that a body
// can never be mistaken for the next request: chunk extensions and trailer fields are accepted
// (and ignored), anything malformed or a stream that ends early is an error, never a short body.
// (chunked_transfer 1.5's decoder rejected trailers, so a valid body with a trailer
// desynchronised the connection, and it ended the body quietly at EOF.)

use std::io::{Error, ErrorKind, Read, Result};

/// The longest chunk-size line (size and extensions) and trailer line accepted.
const MAX_LINE: usize = 8 * 1024;
/// The most trailer fields accepted.
const MAX_TRAILERS: usize = 64;

enum State {
    /// Before a chunk-size line.
    Size,
    /// Inside a chunk, with this many bytes left.
    Data(u64),
    /// After a chunk's data: its CRLF.
    DataEnd,
    /// The body is over (last chunk and trailer section read).
    Done,
}

pub struct ChunkedDecoder<R> {
    source: R,
    state: State,
}

fn bad(what: &str) -> Error {
    Error::new(ErrorKind::InvalidData, format!("malformed chunked body: {}", what))
}

impl<R: Read> ChunkedDecoder<R> {
    pub fn new(source: R) -> ChunkedDecoder<R> {
        ChunkedDecoder {
            source,
            state: State::Size,
        }
    }

    fn byte(&mut self) -> Result<u8> {
        let mut b = [0u8; 1];
        loop {
            match self.source.read(&mut b) {
                Ok(0) => {
                    return Err(Error::new(
                        ErrorKind::UnexpectedEof,
                        "the chunked body ended before its last chunk",
                    ))
                }
                Ok(_) => return Ok(b[0]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// One line ended by CRLF, without it; a bare CR or LF is an error.
    fn line(&mut self) -> Result<Vec<u8>> {
        let mut line = Vec::new();
        loop {
            match self.byte()? {
                b'\r' => {
                    return if self.byte()? == b'\n' {
                        Ok(line)
                    } else {
                        Err(bad("bare CR"))
                    }
                }
                b'\n' => return Err(bad("bare LF")),
                b => {
                    if line.len() >= MAX_LINE {
                        return Err(bad("line too long"));
                    }
                    line.push(b);
                }
            }
        }
    }

    fn trailers(&mut self) -> Result<()> {
        for _ in 0..=MAX_TRAILERS {
            if self.line()?.is_empty() {
                return Ok(());
            }
        }
        Err(bad("too many trailer fields"))
    }
}

/// `chunk-size [ chunk-ext ]`: 1 to 16 hex digits, then nothing, or optional whitespace and
/// `;` extensions (ignored).
pub fn parse_size_line(line: &[u8]) -> Result<u64> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 16 {
        return Err(bad("chunk size"));
    }
    let size = u64::from_str_radix(std::str::from_utf8(&line[..digits]).unwrap_or(""), 16)
        .map_err(|_| bad("chunk size"))?;
    let rest = &line[digits..];
    let ext = rest
        .iter()
        .position(|b| *b != b' ' && *b != b'\t')
        .map(|i| &rest[i..])
        .unwrap_or(&[]);
    if !ext.is_empty() && ext[0] != b';' {
        return Err(bad("chunk size"));
    }
    if ext.iter().any(|b| b.is_ascii_control() && *b != b'\t') {
        return Err(bad("control character in a chunk extension"));
    }
    Ok(size)
}

impl<R: Read> Read for ChunkedDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        loop {
            match self.state {
                State::Done => return Ok(0),
                State::Size => {
                    let size = parse_size_line(&self.line()?)?;
                    if size == 0 {
                        self.trailers()?;
                        self.state = State::Done;
                    } else {
                        self.state = State::Data(size);
                    }
                }
                State::DataEnd => {
                    if !self.line()?.is_empty() {
                        return Err(bad("chunk data longer than its size"));
                    }
                    self.state = State::Size;
                }
                State::Data(left) => {
                    if buf.is_empty() {
                        return Ok(0);
                    }
                    let want = (buf.len() as u64).min(left) as usize;
                    let n = self.source.read(&mut buf[..want])?;
                    if n == 0 {
                        return Err(Error::new(
                            ErrorKind::UnexpectedEof,
                            "the chunked body ended inside a chunk",
                        ));
                    }
                    let left = left - n as u64;
                    self.state = if left == 0 {
                        State::DataEnd
                    } else {
                        State::Data(left)
                    };
                    return Ok(n);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(raw: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
        let mut source = raw;
        let mut out = Vec::new();
        ChunkedDecoder::new(&mut source).read_to_end(&mut out)?;
        Ok((out, source.to_vec()))
    }

    #[test]
    fn extensions_and_trailers_are_accepted_and_the_rest_left_unread() {
        let (body, rest) =
            decode(b"5;name=value\r\nhello\r\n1 ; a ; b=\"c\"\r\n!\r\n0\r\nX-Sum: 1\r\nY: 2\r\n\r\nNEXT")
                .unwrap();
        assert_eq!(body, b"hello!");
        assert_eq!(rest, b"NEXT");
    }

    #[test]
    fn malformed_or_cut_bodies_are_errors() {
        for raw in [
            &b"0x5\r\nhello\r\n0\r\n\r\n"[..],
            b"+5\r\nhello\r\n0\r\n\r\n",
            b" 5\r\nhello\r\n0\r\n\r\n",
            b"5\nhello\r\n0\r\n\r\n",
            b"5\r\nhello!\r\n0\r\n\r\n",
            b"5\r\nhel",
            b"5\r\nhello\r\n0\r\n",
            b"11111111111111111\r\n",
            b"",
        ] {
            assert!(decode(raw).is_err(), "{:?}", String::from_utf8_lossy(raw));
        }
    }
}
