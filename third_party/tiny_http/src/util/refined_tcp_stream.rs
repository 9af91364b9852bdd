use std::io::Result as IoResult;
use std::io::{Error as IoError, ErrorKind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::util::ConnState;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr};

use crate::connection::Connection;
#[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
use crate::ssl::SslStream;

pub(crate) enum Stream {
    Http(Connection),
    #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
    Https(SslStream),
}

impl Stream {
    // cbkit patch: cloning the socket fails when file descriptors run out; that is an error to
    // return (the connection is dropped), not a panic in the accept thread.
    fn try_clone(&self) -> IoResult<Self> {
        match self {
            Stream::Http(tcp_stream) => tcp_stream.try_clone().map(Stream::Http),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => Ok(Stream::Https(ssl_stream.clone())),
        }
    }
}

impl From<Connection> for Stream {
    fn from(tcp_stream: Connection) -> Self {
        Stream::Http(tcp_stream)
    }
}

impl Stream {
    /// cbkit patch: the plain connection, to answer it without TLS (`None` under TLS).
    pub(crate) fn into_plain(self) -> Option<Connection> {
        match self {
            Stream::Http(conn) => Some(conn),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(_) => None,
        }
    }

    fn secure(&self) -> bool {
        match self {
            Stream::Http(_) => false,
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(_) => true,
        }
    }

    fn peer_addr(&mut self) -> IoResult<Option<SocketAddr>> {
        match self {
            Stream::Http(tcp_stream) => tcp_stream.peer_addr(),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => ssl_stream.peer_addr(),
        }
    }

    fn set_read_timeout(&mut self, t: Option<std::time::Duration>) -> IoResult<()> {
        match self {
            Stream::Http(tcp_stream) => tcp_stream.set_read_timeout(t),
            #[cfg(feature = "ssl-rustls")]
            Stream::Https(ssl_stream) => ssl_stream.set_read_timeout(t),
            #[cfg(feature = "ssl-openssl")]
            Stream::Https(_) => Ok(()),
        }
    }

    fn set_write_timeout(&mut self, t: Option<Duration>) -> IoResult<()> {
        match self {
            Stream::Http(tcp_stream) => tcp_stream.set_write_timeout(t),
            #[cfg(feature = "ssl-rustls")]
            Stream::Https(ssl_stream) => ssl_stream.set_write_timeout(t),
            #[cfg(feature = "ssl-openssl")]
            Stream::Https(_) => Ok(()),
        }
    }

    fn shutdown(&mut self, how: Shutdown) -> IoResult<()> {
        match self {
            Stream::Http(tcp_stream) => tcp_stream.shutdown(how),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => ssl_stream.shutdown(how),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> IoResult<usize> {
        match self {
            Stream::Http(tcp_stream) => tcp_stream.read(buf),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => ssl_stream.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> IoResult<usize> {
        match self {
            Stream::Http(tcp_stream) => tcp_stream.write(buf),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => ssl_stream.write(buf),
        }
    }

    fn flush(&mut self) -> IoResult<()> {
        match self {
            Stream::Http(tcp_stream) => tcp_stream.flush(),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => ssl_stream.flush(),
        }
    }
}

pub struct RefinedTcpStream {
    stream: Stream,
    close_read: bool,
    close_write: bool,
    // cbkit patch: the connection's deadline, and the read and write timeouts the socket has
    // now.
    state: Option<Arc<ConnState>>,
    read_armed: Option<Duration>,
    write_armed: Option<Duration>,
}

impl RefinedTcpStream {
    /// cbkit patch: on failure, the error and the stream given (to be answered and closed).
    pub(crate) fn new<S>(
        stream: S,
    ) -> Result<(RefinedTcpStream, RefinedTcpStream), (std::io::Error, Stream)>
    where
        S: Into<Stream>,
    {
        let stream: Stream = stream.into();

        let read = match stream.try_clone() {
            Ok(read) => read,
            Err(e) => return Err((e, stream)),
        };
        let (read, write) = (read, stream);

        let read = RefinedTcpStream {
            stream: read,
            close_read: true,
            close_write: false,
            state: None,
            read_armed: None,
            write_armed: None,
        };

        let write = RefinedTcpStream {
            stream: write,
            close_read: false,
            close_write: true,
            state: None,
            read_armed: None,
            write_armed: None,
        };

        Ok((read, write))
    }

    /// Returns true if this struct wraps around a secure connection.
    #[inline]
    pub(crate) fn secure(&self) -> bool {
        self.stream.secure()
    }

    pub(crate) fn peer_addr(&mut self) -> IoResult<Option<SocketAddr>> {
        self.stream.peer_addr()
    }

    /// cbkit patch: reads fail with `TimedOut` once `state`'s deadline has passed, and writes
    /// once one could send nothing for `state`'s write timeout.
    pub(crate) fn set_state(&mut self, state: Arc<ConnState>) {
        self.state = Some(state);
    }
}

/// cbkit patch: how long, and how much, a closing connection is read before it is closed.
const LINGER: std::time::Duration = std::time::Duration::from_secs(1);
const LINGER_BYTES: usize = 1 << 20;

impl Stream {
    /// cbkit patch: a lingering close (RFC 9112 §9.6). Closing a socket with unread data
    /// resets the connection, and the reset can destroy the answer (a 400, 408 or 413) before
    /// the client reads it. So when the client has sent more than was read, what it sends is
    /// read and discarded for a short while before closing. Only the read timeout is used:
    /// the socket's blocking mode is shared with the write half, which may still be sending.
    fn linger(&mut self) {
        let conn = match self {
            Stream::Http(conn) => conn,
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(_) => return,
        };
        let mut buf = [0u8; 4096];
        let until = Instant::now() + LINGER;
        let mut drained = 0;
        while drained < LINGER_BYTES {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() || conn.set_read_timeout(Some(left)).is_err() {
                break;
            }
            match conn.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    }
}

impl Drop for RefinedTcpStream {
    fn drop(&mut self) {
        if self.close_read && self.state.as_ref().is_some_and(|s| s.closing()) {
            self.stream.linger();
        }
        if self.close_read {
            self.stream.shutdown(Shutdown::Read).ok();
        }

        if self.close_write {
            self.stream.shutdown(Shutdown::Write).ok();
        }
    }
}

/// cbkit patch: how far past its deadline a read may end. The read timeout is a socket option;
/// setting it to exactly what is left of the deadline before every read cost a system call per
/// request. Within this slack the timeout already set is kept.
const REARM_SLACK: Duration = Duration::from_millis(50);

/// cbkit patch: the read timeout to give the socket before a read with `left` of its deadline,
/// when it has `armed`; `None`: keep `armed`. A timeout longer than `left` by more than the
/// slack would let the read end too late; a shorter one is kept, since a read that times out
/// before the deadline is retried with the time then left.
fn rearm(armed: Option<Duration>, left: Duration) -> Option<Duration> {
    match armed {
        Some(armed) if armed <= left + REARM_SLACK => None,
        _ => Some(left),
    }
}

impl RefinedTcpStream {
    /// cbkit patch: what is left of the connection's deadline (`Ok(None)`: there is none), or
    /// `TimedOut` once it has passed.
    fn left(&self) -> IoResult<Option<Duration>> {
        match self.state.as_ref().and_then(|s| s.deadline()) {
            None => Ok(None),
            Some(d) => match d.saturating_duration_since(Instant::now()) {
                left if left.is_zero() => {
                    Err(IoError::new(ErrorKind::TimedOut, "read deadline passed"))
                }
                left => Ok(Some(left)),
            },
        }
    }

    fn arm_read(&mut self, t: Option<Duration>) -> IoResult<()> {
        self.stream.set_read_timeout(t)?;
        self.read_armed = t;
        Ok(())
    }
}

impl Read for RefinedTcpStream {
    // cbkit patch: under a deadline each read waits at most for what is left of it, give or
    // take `REARM_SLACK` (a socket read timeout), so a client sending a byte now and then cannot
    // stretch a request beyond it.
    fn read(&mut self, buf: &mut [u8]) -> IoResult<usize> {
        match self.left()? {
            Some(left) => {
                if let Some(t) = rearm(self.read_armed, left) {
                    self.arm_read(Some(t))?;
                }
            }
            None if self.read_armed.is_some() => self.arm_read(None)?,
            None => {}
        }
        loop {
            match self.stream.read(buf) {
                // The timeout kept may be shorter than the deadline: wait for the rest of it.
                Err(e) if e.kind() == ErrorKind::WouldBlock && self.read_armed.is_some() => {
                    match self.left()? {
                        Some(left) => self.arm_read(Some(left))?,
                        None => self.arm_read(None)?,
                    }
                }
                other => return other,
            }
        }
    }
}

impl RefinedTcpStream {
    /// cbkit patch: give the socket the write timeout the connection asks for, when it changed
    /// (a socket option, so it is set once, not before each write).
    fn arm_write(&mut self) -> IoResult<()> {
        let wanted = self.state.as_ref().and_then(|s| s.write_timeout());
        if wanted != self.write_armed {
            self.stream.set_write_timeout(wanted)?;
            self.write_armed = wanted;
        }
        Ok(())
    }

    /// cbkit patch: a write that timed out says so (the socket reports `WouldBlock`).
    fn write_timed_out<T>(&self, r: IoResult<T>) -> IoResult<T> {
        match r {
            Err(e) if e.kind() == ErrorKind::WouldBlock && self.write_armed.is_some() => Err(
                IoError::new(ErrorKind::TimedOut, "write timed out: the peer reads nothing"),
            ),
            other => other,
        }
    }
}

impl Write for RefinedTcpStream {
    // cbkit patch: under a write timeout a peer that stops reading fails the write once the
    // socket's buffers are full, instead of holding the writing thread for ever.
    fn write(&mut self, buf: &[u8]) -> IoResult<usize> {
        self.arm_write()?;
        let r = self.stream.write(buf);
        self.write_timed_out(r)
    }

    fn flush(&mut self) -> IoResult<()> {
        self.arm_write()?;
        let r = self.stream.flush();
        self.write_timed_out(r)
    }
}

#[cfg(test)]
mod rearm_tests {
    use super::{rearm, REARM_SLACK};
    use std::time::Duration;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn an_unarmed_socket_is_armed_with_what_is_left() {
        assert_eq!(rearm(None, 900 * MS), Some(900 * MS));
    }

    #[test]
    fn a_timeout_within_the_slack_of_what_is_left_is_kept() {
        assert_eq!(rearm(Some(1000 * MS), 1000 * MS), None);
        assert_eq!(rearm(Some(1000 * MS), 1000 * MS - REARM_SLACK), None);
    }

    #[test]
    fn a_timeout_that_would_overrun_the_deadline_is_shortened() {
        assert_eq!(rearm(Some(1000 * MS), 900 * MS), Some(900 * MS));
        assert_eq!(
            rearm(Some(1000 * MS), 1000 * MS - REARM_SLACK - MS),
            Some(1000 * MS - REARM_SLACK - MS)
        );
    }

    #[test]
    fn a_shorter_timeout_is_kept_and_its_early_end_retried() {
        assert_eq!(rearm(Some(300 * MS), 5000 * MS), None);
    }
}
