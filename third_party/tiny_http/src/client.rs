use ascii::AsciiString;

use std::io::Error as IoError;
use std::io::Result as IoResult;
use std::io::{BufRead, BufReader, BufWriter, ErrorKind, Read};

use std::net::SocketAddr;
use std::str::FromStr;

use crate::common::{HTTPVersion, Method};
use crate::util::{ConnState, RefinedTcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};
use crate::util::{SequentialReader, SequentialReaderBuilder, SequentialWriterBuilder};
use crate::Request;

/// cbkit patch: the longest request or header line read (64 KiB), and the most headers (256).
const MAX_LINE: usize = 64 * 1024;
const MAX_HEADERS: usize = 256;
/// cbkit patch: what a line's buffer starts with; a callback's request line, its query carrying
/// signatures and nonces, is 150–250 bytes.
const LINE_CAPACITY: usize = 256;

/// A ClientConnection is an object that will store a socket to a client
/// and return Request objects.
pub struct ClientConnection {
    // address of the client
    remote_addr: IoResult<Option<SocketAddr>>,

    // sequence of Readers to the stream, so that the data is not read in
    //  the wrong order
    source: SequentialReaderBuilder<BufReader<RefinedTcpStream>>,

    // sequence of Writers to the stream, to avoid writing response #2 before
    //  response #1
    sink: SequentialWriterBuilder<BufWriter<RefinedTcpStream>>,

    // Reader to read the next header from
    next_header_source: SequentialReader<BufReader<RefinedTcpStream>>,

    // set to true if we know that the previous request is the last one
    no_more_requests: bool,

    // true if the connection goes through SSL
    secure: bool,

    // cbkit patch: the read deadline and the close flag shared with the reading socket and
    // the requests, and the limits that set the deadline (see `Limits`).
    state: Option<Arc<ConnState>>,
    keep_alive: Option<Duration>,
    read_timeout: Option<Duration>,
}

/// Error that can happen when reading a request.
#[derive(Debug)]
enum ReadError {
    WrongRequestLine,
    WrongHeader(HTTPVersion),
    /// the client sent an unrecognized `Expect` header
    ExpectationFailed(HTTPVersion),
    ReadIoError(IoError),
    /// cbkit patch: no request began within the keep-alive timeout (closed without an answer).
    Idle,
}

impl ClientConnection {
    /// Creates a new `ClientConnection` that takes ownership of the `TcpStream`.
    pub fn new(
        write_socket: RefinedTcpStream,
        mut read_socket: RefinedTcpStream,
    ) -> ClientConnection {
        let remote_addr = read_socket.peer_addr();
        let secure = read_socket.secure();

        let mut source = SequentialReaderBuilder::new(BufReader::with_capacity(1024, read_socket));
        let first_header = source.next().unwrap();

        ClientConnection {
            source,
            sink: SequentialWriterBuilder::new(BufWriter::with_capacity(1024, write_socket)),
            remote_addr,
            next_header_source: first_header,
            no_more_requests: false,
            secure,
            state: None,
            keep_alive: None,
            read_timeout: None,
        }
    }

    /// cbkit patch: wait at most `keep_alive` for a request to begin, and at most
    /// `read_timeout` from its first byte for the whole request to arrive (headers here, the
    /// body through the request's reader); `state` is shared with the reading socket.
    pub fn with_limits(
        mut self,
        state: Arc<ConnState>,
        keep_alive: Option<Duration>,
        read_timeout: Option<Duration>,
    ) -> ClientConnection {
        self.state = Some(state);
        self.keep_alive = keep_alive;
        self.read_timeout = read_timeout;
        self
    }

    /// cbkit patch: an error was answered and the connection closes, lingering (see
    /// `RefinedTcpStream`); the answer is flushed first (`sink` is dropped before the reader).
    fn close(&self) {
        if let Some(state) = &self.state {
            state.close();
        }
    }

    fn set_deadline(&self, after: Option<Duration>) {
        if let Some(state) = &self.state {
            state.set_deadline(after.map(|d| Instant::now() + d));
        }
    }

    /// cbkit patch: the first byte of the next request, waited for under the keep-alive
    /// timeout; the request's own deadline starts once it has arrived.
    fn wait_for_request(&mut self) -> Result<u8, ReadError> {
        // Served from the queue (no handler), the previous request may still be reading its
        // body on another thread under its own deadline, and may close the connection.
        self.next_header_source.wait_turn();
        if self.state.as_ref().is_some_and(|s| s.closing()) {
            return Err(ReadError::Idle);
        }
        self.set_deadline(self.keep_alive);
        let mut first = [0u8; 1];
        loop {
            match self.next_header_source.read(&mut first) {
                Ok(0) => {
                    return Err(ReadError::ReadIoError(IoError::new(
                        ErrorKind::ConnectionAborted,
                        "Unexpected EOF",
                    )))
                }
                Ok(_) => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::TimedOut => return Err(ReadError::Idle),
                Err(e) => return Err(ReadError::ReadIoError(e)),
            }
        }
        self.set_deadline(self.read_timeout);
        Ok(first[0])
    }

    /// true if the connection is HTTPS
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// Reads the next line from self.next_header_source.
    ///
    /// Reads until `CRLF` is reached. The next read will start
    ///  at the first byte of the new line.
    fn read_next_line(&mut self, first: Option<u8>) -> IoResult<AsciiString> {
        // cbkit patch: room for a typical request or header line at once (an empty Vec grew
        // through six sizes for a callback's request line).
        let mut buf = Vec::with_capacity(LINE_CAPACITY);
        buf.extend(first);
        // cbkit patch: where a `\r` may start the line's end (the byte given is not looked at).
        let start = buf.len();

        // cbkit patch: a buffered slice at a time up to the next `\n`, not a `read` call for each
        // byte (a fifth of the listener's instructions per request went to those calls).
        loop {
            let available = match self.next_header_source.fill_buf() {
                Ok([]) => return Err(IoError::new(ErrorKind::ConnectionAborted, "Unexpected EOF")),
                Ok(bytes) => bytes,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let (taken, newline) = match memchr::memchr(b'\n', available) {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            buf.extend_from_slice(&available[..taken]);
            self.next_header_source.consume(taken);

            let n = buf.len();
            let ends = newline && n - start >= 2 && buf[n - 2] == b'\r';

            // cbkit patch: bound one request or header line (its bytes before the final `\n`),
            // so a client cannot grow memory without limit by never sending a line end.
            if n - usize::from(ends) > MAX_LINE {
                return Err(IoError::new(
                    ErrorKind::InvalidInput,
                    "request or header line too long",
                ));
            }
            if ends {
                buf.truncate(n - 2); // removing the '\r\n'
                return AsciiString::from_ascii(buf)
                    .map_err(|_| IoError::new(ErrorKind::InvalidInput, "Header is not in ASCII"));
            }
        }
    }

    /// Reads a request from the stream.
    /// Blocks until the header has been read.
    fn read(&mut self) -> Result<Request, ReadError> {
        let (method, path, version, headers) = {
            // reading the request line
            let (method, path, version) = {
                let first = self.wait_for_request()?;
                let line = self
                    .read_next_line(Some(first))
                    .map_err(ReadError::ReadIoError)?;

                parse_request_line(
                    line.as_str().trim(), // TODO: remove this conversion
                )?
            };

            // getting all headers
            let headers = {
                let mut headers = Vec::new();
                loop {
                    let line = self.read_next_line(None).map_err(ReadError::ReadIoError)?;

                    if line.is_empty() {
                        break;
                    };
                    // cbkit patch: a line folded onto the previous one (obs-fold), or
                    // whitespace before the first header, must be refused (RFC 9112 §5.2, §2.2):
                    // trimmed, it would pass for a header of its own. So must control
                    // characters in a field.
                    let raw = line.as_bytes();
                    if raw[0] == b' '
                        || raw[0] == b'\t'
                        || raw.iter().any(|b| b.is_ascii_control() && *b != b'\t')
                    {
                        return Err(ReadError::WrongHeader(version));
                    }
                    // cbkit patch: bound the number of headers.
                    if headers.len() >= MAX_HEADERS {
                        return Err(ReadError::WrongHeader(version));
                    }
                    headers.push(match FromStr::from_str(line.as_str().trim()) {
                        // TODO: remove this conversion
                        Ok(h) => h,
                        _ => return Err(ReadError::WrongHeader(version)),
                    });
                }

                headers
            };

            (method, path, version, headers)
        };

        // building the writer for the request
        let writer = self.sink.next().unwrap();

        // follow-up for next potential request
        let mut data_source = self.source.next().unwrap();
        std::mem::swap(&mut self.next_header_source, &mut data_source);

        // building the next reader
        let request = crate::request::new_request(
            self.secure,
            method,
            path,
            version.clone(),
            headers,
            // cbkit patch: a client that reset before accept() has no peer address; that is
            // not worth a panic (which also used to starve the thread pool).
            self.remote_addr.as_ref().ok().copied().flatten(),
            data_source,
            writer,
            self.state.clone(),
        )
        .map_err(|e| {
            use crate::request;
            match e {
                request::RequestCreationError::CreationIoError(e) => ReadError::ReadIoError(e),
                request::RequestCreationError::ExpectationFailed => {
                    ReadError::ExpectationFailed(version)
                }
                request::RequestCreationError::BadFraming(_) => ReadError::WrongHeader(version),
            }
        })?;

        // return the request
        Ok(request)
    }
}

impl Iterator for ClientConnection {
    type Item = Request;

    /// Blocks until the next Request is available.
    /// Returns None when no new Requests will come from the client.
    fn next(&mut self) -> Option<Request> {
        use crate::{Response, StatusCode};

        // the client sent a "connection: close" header in this previous request
        //  or is using HTTP 1.0, meaning that no new request will come
        if self.no_more_requests {
            return None;
        }
        // cbkit patch: the last answer closed the connection (see `Request::close_connection`).
        if self.state.as_ref().is_some_and(|s| s.closing()) {
            return None;
        }

        loop {
            let rq = match self.read() {
                Err(ReadError::WrongRequestLine) => {
                    let writer = self.sink.next().unwrap();
                    let response = Response::new_empty(StatusCode(400));
                    response
                        .raw_print(writer, HTTPVersion(1, 1), &[], false, None)
                        .ok();
                    self.close();
                    return None; // we don't know where the next request would start,
                                 // se we have to close
                }

                Err(ReadError::WrongHeader(ver)) => {
                    let writer = self.sink.next().unwrap();
                    let response = Response::new_empty(StatusCode(400));
                    response.raw_print(writer, ver, &[], false, None).ok();
                    self.close();
                    return None; // we don't know where the next request would start,
                                 // se we have to close
                }

                Err(ReadError::ReadIoError(ref err)) if err.kind() == ErrorKind::TimedOut => {
                    // request timeout
                    let writer = self.sink.next().unwrap();
                    let response = Response::new_empty(StatusCode(408));
                    response
                        .raw_print(writer, HTTPVersion(1, 1), &[], false, None)
                        .ok();
                    self.close();
                    return None; // closing the connection
                }

                Err(ReadError::ExpectationFailed(ver)) => {
                    let writer = self.sink.next().unwrap();
                    let response = Response::new_empty(StatusCode(417));
                    response.raw_print(writer, ver, &[], true, None).ok();
                    return None; // TODO: should be recoverable, but needs handling in case of body
                }

                Err(ReadError::ReadIoError(_)) | Err(ReadError::Idle) => return None,

                Ok(rq) => rq,
            };

            // checking HTTP version
            if *rq.http_version() > (1, 1) {
                let writer = self.sink.next().unwrap();
                let response = Response::from_string(
                    "This server only supports HTTP versions 1.0 and 1.1".to_owned(),
                )
                .with_status_code(StatusCode(505));
                response
                    .raw_print(writer, HTTPVersion(1, 1), &[], false, None)
                    .ok();
                continue;
            }

            // updating the status of the connection
            let connection_header = rq
                .headers()
                .iter()
                .find(|h| h.field.equiv("Connection"))
                .map(|h| h.value.as_str());

            let lowercase = connection_header.map(|h| h.to_ascii_lowercase());

            match lowercase {
                Some(ref val) if val.contains("close") => self.no_more_requests = true,
                Some(ref val) if val.contains("upgrade") => self.no_more_requests = true,
                Some(ref val)
                    if !val.contains("keep-alive") && *rq.http_version() == HTTPVersion(1, 0) =>
                {
                    self.no_more_requests = true
                }
                None if *rq.http_version() == HTTPVersion(1, 0) => self.no_more_requests = true,
                _ => (),
            };

            // returning the request
            return Some(rq);
        }
    }
}

/// Parses a "HTTP/1.1" string.
fn parse_http_version(version: &str) -> Result<HTTPVersion, ReadError> {
    let (major, minor) = match version {
        "HTTP/0.9" => (0, 9),
        "HTTP/1.0" => (1, 0),
        "HTTP/1.1" => (1, 1),
        "HTTP/2.0" => (2, 0),
        "HTTP/3.0" => (3, 0),
        _ => return Err(ReadError::WrongRequestLine),
    };

    Ok(HTTPVersion(major, minor))
}

/// Parses the request line of the request.
/// eg. GET / HTTP/1.1
fn parse_request_line(line: &str) -> Result<(Method, String, HTTPVersion), ReadError> {
    let mut parts = line.split(' ');

    let method = parts.next().and_then(|w| w.parse().ok());
    let path = parts.next().map(ToOwned::to_owned);
    let version = parts.next().and_then(|w| parse_http_version(w).ok());

    method
        .and_then(|method| Some((method, path?, version?)))
        .ok_or(ReadError::WrongRequestLine)
}

#[cfg(test)]
mod test {
    #[test]
    fn test_parse_request_line() {
        let (method, path, ver) = super::parse_request_line("GET /hello HTTP/1.1").unwrap();

        assert!(method == crate::Method::Get);
        assert!(path == "/hello");
        assert!(ver == crate::common::HTTPVersion(1, 1));

        assert!(super::parse_request_line("GET /hello").is_err());
        assert!(super::parse_request_line("qsd qsd qsd").is_err());
    }
}
