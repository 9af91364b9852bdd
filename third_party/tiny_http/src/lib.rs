//! # Simple usage
//!
//! ## Creating the server
//!
//! The easiest way to create a server is to call `Server::http()`.
//!
//! The `http()` function returns an `IoResult<Server>` which will return an error
//! in the case where the server creation fails (for example if the listening port is already
//! occupied).
//!
//! ```no_run
//! let server = tiny_http::Server::http("0.0.0.0:0").unwrap();
//! ```
//!
//! A newly-created `Server` will immediately start listening for incoming connections and HTTP
//! requests.
//!
//! ## Receiving requests
//!
//! Calling `server.recv()` will block until the next request is available.
//! This function returns an `IoResult<Request>`, so you need to handle the possible errors.
//!
//! ```no_run
//! # let server = tiny_http::Server::http("0.0.0.0:0").unwrap();
//!
//! loop {
//!     // blocks until the next request is received
//!     let request = match server.recv() {
//!         Ok(rq) => rq,
//!         Err(e) => { println!("error: {}", e); break }
//!     };
//!
//!     // do something with the request
//!     // ...
//! }
//! ```
//!
//! In a real-case scenario, you will probably want to spawn multiple worker tasks and call
//! `server.recv()` on all of them. Like this:
//!
//! ```no_run
//! # use std::sync::{Arc, OnceLock};
//! # use std::thread;
//! # let server = tiny_http::Server::http("0.0.0.0:0").unwrap();
//! let server = Arc::new(server);
//! let mut guards = Vec::with_capacity(4);
//!
//! for _ in (0 .. 4) {
//!     let server = server.clone();
//!
//!     let guard = thread::spawn(move || {
//!         loop {
//!             let rq = server.recv().unwrap();
//!
//!             // ...
//!         }
//!     });
//!
//!     guards.push(guard);
//! }
//! ```
//!
//! If you don't want to block, you can call `server.try_recv()` instead.
//!
//! ## Handling requests
//!
//! The `Request` object returned by `server.recv()` contains informations about the client's request.
//! The most useful methods are probably `request.method()` and `request.url()` which return
//! the requested method (`GET`, `POST`, etc.) and url.
//!
//! To handle a request, you need to create a `Response` object. See the docs of this object for
//! more infos. Here is an example of creating a `Response` from a file:
//!
//! ```no_run
//! # use std::fs::File;
//! # use std::path::Path;
//! let response = tiny_http::Response::from_file(File::open(&Path::new("image.png")).unwrap());
//! ```
//!
//! All that remains to do is call `request.respond()`:
//!
//! ```no_run
//! # use std::fs::File;
//! # use std::path::Path;
//! # let server = tiny_http::Server::http("0.0.0.0:0").unwrap();
//! # let request = server.recv().unwrap();
//! # let response = tiny_http::Response::from_file(File::open(&Path::new("image.png")).unwrap());
//! let _ = request.respond(response);
//! ```
#![allow(warnings, clippy::all)] // cbkit: vendored code, linted upstream
#![forbid(unsafe_code)]
#![deny(rust_2018_idioms)]
#![allow(clippy::match_like_matches_macro)]

#[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
use zeroize::Zeroizing;

use std::error::Error;
use std::io::Error as IoError;
use std::io::ErrorKind as IoErrorKind;
use std::io::Result as IoResult;
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::Duration;

use client::ClientConnection;
use connection::Connection;
use util::MessagesQueue;

pub use common::{HTTPVersion, Header, HeaderField, Method, StatusCode};
pub use connection::{ConfigListenAddr, ListenAddr, Listener};
pub use request::{ReadWrite, Request};
pub use response::{Response, ResponseBox};
pub use test::TestRequest;

mod client;
mod common;
mod connection;
mod request;
mod response;
mod ssl;
mod test;
mod util;

/// The main class of this library.
///
/// Destroying this object will immediately close the listening socket and the reading
///  part of all the client's connections. Requests that have already been returned by
///  the `recv()` function will not close and the responses will be transferred to the client.
pub struct Server {
    // should be false as long as the server exists
    // when set to true, all the subtasks will close within a few hundreds ms
    close: Arc<AtomicBool>,

    // queue for messages received by child threads
    messages: Arc<MessagesQueue<Message>>,

    // result of TcpListener::local_addr()
    listening_addr: ListenAddr,

    // cbkit patch: when set, connection threads hand their requests to it (see `set_handler`)
    handler: Arc<OnceLock<Handler>>,

    // cbkit patch: what the accept loop has been through (see `health`)
    health: Arc<Health>,
}

/// cbkit patch: limits on what one client can hold. `None` leaves that resource unbounded, as
/// upstream does.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    /// Connections served at once; one more is answered 503 and closed without being read.
    pub max_connections: Option<usize>,
    /// How long a connection may wait for the first byte of its next request (for its first
    /// request too): then it is closed.
    pub keep_alive: Option<Duration>,
    /// How long a request may take to arrive, headers and body, from its first byte: then it is
    /// answered 408 (by the server while headers arrive; the body's reader fails with `TimedOut`).
    pub read_timeout: Option<Duration>,
    /// How long a TLS handshake may take: then the connection is closed.
    pub tls_handshake: Option<Duration>,
}

/// cbkit patch: counts the accept loop keeps, for the application to watch and report.
#[derive(Debug, Default)]
pub struct Health {
    /// Connections open now.
    pub open: std::sync::atomic::AtomicUsize,
    /// Connections answered 503 because `max_connections` were open.
    pub refused: std::sync::atomic::AtomicU64,
    /// Failed `accept()` calls (each retried after a pause), and the last error.
    pub accept_errors: std::sync::atomic::AtomicU64,
    pub last_accept_error: std::sync::Mutex<Option<String>>,
}

/// cbkit patch: one open connection, counted in `Health::open` until dropped.
struct OpenSlot(Arc<Health>);

impl Drop for OpenSlot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// cbkit patch: the pause after a failed `accept()`, doubled on each failure in a row.
const ACCEPT_BACKOFF_FIRST: Duration = Duration::from_millis(5);
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_millis(500);

/// cbkit patch: answer a connection over `max_connections` without reading it, and close it.
/// The write goes into the empty send buffer of a fresh socket, so it does not block the
/// accept loop; what the client already sent is read (without waiting) so that closing does
/// not reset the connection before the client reads the answer.
fn refuse(sock: Connection) {
    use std::io::{Read, Write};
    let mut sock = sock;
    let _ = sock.set_nonblocking(true);
    let _ = sock.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n",
    );
    let _ = sock.shutdown(Shutdown::Write);
    let mut sink = [0u8; 4096];
    for _ in 0..16 {
        match sock.read(&mut sink) {
            Ok(n) if n > 0 => continue,
            _ => break,
        }
    }
}

/// cbkit patch: a function that serves a request on the connection's own thread.
pub type Handler = Box<dyn Fn(Request) + Send + Sync + 'static>;

enum Message {
    Error(IoError),
    NewRequest(Request),
}

impl From<IoError> for Message {
    fn from(e: IoError) -> Message {
        Message::Error(e)
    }
}

impl From<Request> for Message {
    fn from(rq: Request) -> Message {
        Message::NewRequest(rq)
    }
}

// this trait is to make sure that Server implements Share and Send
#[doc(hidden)]
trait MustBeShareDummy: Sync + Send {}
#[doc(hidden)]
impl MustBeShareDummy for Server {}

pub struct IncomingRequests<'a> {
    server: &'a Server,
}

/// Represents the parameters required to create a server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The addresses to try to listen to.
    pub addr: ConfigListenAddr,

    /// If `Some`, then the server will use SSL to encode the communications.
    pub ssl: Option<SslConfig>,
}

/// Configuration of the server for SSL.
#[derive(Debug, Clone)]
pub struct SslConfig {
    /// Contains the public certificate to send to clients.
    pub certificate: Vec<u8>,
    /// Contains the ultra-secret private key used to decode communications.
    pub private_key: Vec<u8>,
}

impl Server {
    /// Shortcut for a simple server on a specific address.
    #[inline]
    pub fn http<A>(addr: A) -> Result<Server, Box<dyn Error + Send + Sync + 'static>>
    where
        A: ToSocketAddrs,
    {
        Server::new(ServerConfig {
            addr: ConfigListenAddr::from_socket_addrs(addr)?,
            ssl: None,
        })
    }

    /// Shortcut for an HTTPS server on a specific address.
    #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
    #[inline]
    pub fn https<A>(
        addr: A,
        config: SslConfig,
    ) -> Result<Server, Box<dyn Error + Send + Sync + 'static>>
    where
        A: ToSocketAddrs,
    {
        Server::new(ServerConfig {
            addr: ConfigListenAddr::from_socket_addrs(addr)?,
            ssl: Some(config),
        })
    }

    #[cfg(unix)]
    #[inline]
    /// Shortcut for a UNIX socket server at a specific path
    pub fn http_unix(
        path: &std::path::Path,
    ) -> Result<Server, Box<dyn Error + Send + Sync + 'static>> {
        Server::new(ServerConfig {
            addr: ConfigListenAddr::unix_from_path(path),
            ssl: None,
        })
    }

    /// Builds a new server that listens on the specified address.
    pub fn new(config: ServerConfig) -> Result<Server, Box<dyn Error + Send + Sync + 'static>> {
        Self::with_limits(config, Limits::default())
    }

    /// cbkit patch: `new` with limits on connections and on how long a client may stall.
    pub fn with_limits(
        config: ServerConfig,
        limits: Limits,
    ) -> Result<Server, Box<dyn Error + Send + Sync + 'static>> {
        let listener = config.addr.bind()?;
        Self::from_listener_with_limits(listener, config.ssl, limits)
    }

    /// Builds a new server using the specified TCP listener.
    ///
    /// This is useful if you've constructed TcpListener using some less usual method
    /// such as from systemd. For other cases, you probably want the `new()` function.
    pub fn from_listener<L: Into<Listener>>(
        listener: L,
        ssl_config: Option<SslConfig>,
    ) -> Result<Server, Box<dyn Error + Send + Sync + 'static>> {
        Self::from_listener_with_limits(listener, ssl_config, Limits::default())
    }

    /// cbkit patch: `from_listener` with `limits`.
    pub fn from_listener_with_limits<L: Into<Listener>>(
        listener: L,
        ssl_config: Option<SslConfig>,
        limits: Limits,
    ) -> Result<Server, Box<dyn Error + Send + Sync + 'static>> {
        let listener = listener.into();
        // building the "close" variable
        let close_trigger = Arc::new(AtomicBool::new(false));

        // building the TcpListener
        let (server, local_addr) = {
            let local_addr = listener.local_addr()?;
            log::debug!("Server listening on {}", local_addr);
            (listener, local_addr)
        };

        // building the SSL capabilities
        #[cfg(all(feature = "ssl-openssl", feature = "ssl-rustls"))]
        compile_error!(
            "Features 'ssl-openssl' and 'ssl-rustls' must not be enabled at the same time"
        );
        #[cfg(not(any(feature = "ssl-openssl", feature = "ssl-rustls")))]
        type SslContext = ();
        #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
        type SslContext = crate::ssl::SslContextImpl;
        let ssl: Option<SslContext> = {
            match ssl_config {
                #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
                Some(config) => Some(SslContext::from_pem(
                    config.certificate,
                    Zeroizing::new(config.private_key),
                )?),
                #[cfg(not(any(feature = "ssl-openssl", feature = "ssl-rustls")))]
                Some(_) => return Err(
                    "Building a server with SSL requires enabling the `ssl` feature in tiny-http"
                        .into(),
                ),
                None => None,
            }
        };

        // creating a task where server.accept() is continuously called
        // and ClientConnection objects are pushed in the messages queue
        let messages = MessagesQueue::with_capacity(8);

        let inside_close_trigger = close_trigger.clone();
        let inside_messages = messages.clone();
        let handler: Arc<OnceLock<Handler>> = Arc::new(OnceLock::new());
        let inside_handler = handler.clone();
        let health = Arc::new(Health::default());
        let inside_health = health.clone();
        let ssl = Arc::new(ssl);
        // cbkit patch: a failure to start the accept thread is an error, not a panic.
        thread::Builder::new().spawn(move || {
            use std::sync::atomic::Ordering::SeqCst;
            // a tasks pool is used to dispatch the connections into threads
            let tasks_pool = util::TaskPool::new();
            let health = inside_health;
            let mut backoff = ACCEPT_BACKOFF_FIRST;

            log::debug!("Running accept thread");
            while !inside_close_trigger.load(Relaxed) {
                let sock = match server.accept() {
                    Ok((sock, _)) => {
                        backoff = ACCEPT_BACKOFF_FIRST;
                        sock
                    }
                    // cbkit patch: out of file descriptors (EMFILE, ENFILE), of memory, or a
                    // connection aborted before it was accepted: none of these ends the
                    // listener. Pause (so a full descriptor table does not spin the loop) and
                    // accept again; once connections close, accepting works again.
                    Err(e) => {
                        if inside_close_trigger.load(Relaxed) {
                            break;
                        }
                        log::error!("Error accepting new client: {}", e);
                        health.accept_errors.fetch_add(1, SeqCst);
                        *health
                            .last_accept_error
                            .lock()
                            .unwrap_or_else(|e| e.into_inner()) = Some(e.to_string());
                        thread::sleep(backoff);
                        backoff = (backoff * 2).min(ACCEPT_BACKOFF_MAX);
                        continue;
                    }
                };
                if inside_close_trigger.load(Relaxed) {
                    break;
                }

                // cbkit patch: a connection over the cap is answered 503 and closed, so idle
                // connections cannot use up the descriptors and threads the others need.
                if let Some(max) = limits.max_connections {
                    if health.open.load(SeqCst) >= max {
                        health.refused.fetch_add(1, SeqCst);
                        refuse(sock);
                        continue;
                    }
                }
                health.open.fetch_add(1, SeqCst);
                let slot = OpenSlot(health.clone());

                let messages = inside_messages.clone();
                let handler = inside_handler.clone();
                let ssl = ssl.clone();
                let limits = limits.clone();
                let mut job = Some((sock, slot));
                tasks_pool.spawn(Box::new(move || {
                    let (sock, slot) = match job.take() {
                        Some(job) => job,
                        None => return,
                    };
                    // cbkit patch: the TLS handshake and the socket clone happen here, on the
                    // connection's own thread: a client that stalls its handshake holds only
                    // its own connection, and a failed clone closes only this one.
                    use util::RefinedTcpStream;
                    let streams = match *ssl {
                        None => RefinedTcpStream::new(sock),
                        #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
                        Some(ref ssl) => {
                            // trying to apply SSL over the connection
                            // if an error occurs, we just close the socket
                            #[allow(unused_mut)]
                            let mut tls = match ssl.accept(sock) {
                                Ok(s) => s,
                                Err(_) => return,
                            };
                            #[cfg(feature = "ssl-rustls")]
                            if let Some(limit) = limits.tls_handshake {
                                if tls.handshake(std::time::Instant::now() + limit).is_err() {
                                    return;
                                }
                            }
                            RefinedTcpStream::new(tls)
                        }
                        #[cfg(not(any(feature = "ssl-openssl", feature = "ssl-rustls")))]
                        Some(ref _ssl) => unreachable!(),
                    };
                    let (mut read_closable, mut write_closable) = match streams {
                        Ok(pair) => pair,
                        // Out of file descriptors: answer 503 rather than drop it.
                        Err((e, stream)) => {
                            log::error!("cannot set up a connection: {}", e);
                            // Counted as a failed accept: the same shortage, for the
                            // application to report whichever step ran into it.
                            slot.0.accept_errors.fetch_add(1, SeqCst);
                            *slot
                                .0
                                .last_accept_error
                                .lock()
                                .unwrap_or_else(|e| e.into_inner()) = Some(e.to_string());
                            if let Some(conn) = stream.into_plain() {
                                refuse(conn);
                            }
                            return;
                        }
                    };
                    let state = Arc::new(util::ConnState::default());
                    read_closable.set_state(state.clone());
                    // cbkit patch: the write half follows the connection's write timeout.
                    write_closable.set_state(state.clone());
                    let client = ClientConnection::new(write_closable, read_closable)
                        .with_limits(state, limits.keep_alive, limits.read_timeout);
                    // Synchronization is needed for HTTPS requests to avoid a deadlock
                    let secure = client.secure();
                    let (sender, receiver) = mpsc::channel();
                    for rq in client {
                        // cbkit patch: with a handler, serve the request right here
                        // (it returns once answered): no hand-off to another thread.
                        if let Some(handler) = handler.get() {
                            handler(rq);
                        } else if secure {
                            messages.push(rq.with_notify_sender(sender.clone()).into());
                            let _ = receiver.recv();
                        } else {
                            messages.push(rq.into());
                        }
                    }
                }));
            }
            log::debug!("Terminating accept thread");
        })?;

        // result
        Ok(Server {
            messages,
            close: close_trigger,
            listening_addr: local_addr,
            handler,
            health,
        })
    }

    /// cbkit patch: serve every request from now on by calling `handler` on the thread that
    /// reads its connection, instead of queueing it for `recv`: the request is read, handled and
    /// answered without passing between threads, and the connection's next request is read once
    /// `handler` returns. `handler` must answer (or drop) the request before returning. Requests
    /// queued before the handler was set (and errors of the accept loop) still come from `recv`.
    /// Only the first handler set is used; returns false if one was already set.
    /// cbkit patch: the accept loop's counts (open and refused connections, accept errors).
    pub fn health(&self) -> &Health {
        &self.health
    }

    pub fn set_handler(&self, handler: Handler) -> bool {
        self.handler.set(handler).is_ok()
    }

    /// Returns an iterator for all the incoming requests.
    ///
    /// The iterator will return `None` if the server socket is shutdown.
    #[inline]
    pub fn incoming_requests(&self) -> IncomingRequests<'_> {
        IncomingRequests { server: self }
    }

    /// Returns the address the server is listening to.
    #[inline]
    pub fn server_addr(&self) -> ListenAddr {
        self.listening_addr.clone()
    }

    /// Returns the number of clients currently connected to the server.
    pub fn num_connections(&self) -> usize {
        unimplemented!()
        //self.requests_receiver.lock().len()
    }

    /// Blocks until an HTTP request has been submitted and returns it.
    pub fn recv(&self) -> IoResult<Request> {
        match self.messages.pop() {
            Some(Message::Error(err)) => Err(err),
            Some(Message::NewRequest(rq)) => Ok(rq),
            None => Err(IoError::new(IoErrorKind::Other, "thread unblocked")),
        }
    }

    /// Same as `recv()` but doesn't block longer than timeout
    pub fn recv_timeout(&self, timeout: Duration) -> IoResult<Option<Request>> {
        match self.messages.pop_timeout(timeout) {
            Some(Message::Error(err)) => Err(err),
            Some(Message::NewRequest(rq)) => Ok(Some(rq)),
            None => Ok(None),
        }
    }

    /// Same as `recv()` but doesn't block.
    pub fn try_recv(&self) -> IoResult<Option<Request>> {
        match self.messages.try_pop() {
            Some(Message::Error(err)) => Err(err),
            Some(Message::NewRequest(rq)) => Ok(Some(rq)),
            None => Ok(None),
        }
    }

    /// Unblock thread stuck in recv() or incoming_requests().
    /// If there are several such threads, only one is unblocked.
    /// This method allows graceful shutdown of server.
    pub fn unblock(&self) {
        self.messages.unblock();
    }
}

impl Iterator for IncomingRequests<'_> {
    type Item = Request;
    fn next(&mut self) -> Option<Request> {
        self.server.recv().ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.close.store(true, Relaxed);
        // Connect briefly to ourselves to unblock the accept thread
        let maybe_stream = match &self.listening_addr {
            ListenAddr::IP(addr) => TcpStream::connect(addr).map(Connection::from),
            #[cfg(unix)]
            ListenAddr::Unix(addr) => {
                // TODO: use connect_addr when its stabilized.
                let path = addr.as_pathname().unwrap();
                std::os::unix::net::UnixStream::connect(path).map(Connection::from)
            }
        };
        if let Ok(stream) = maybe_stream {
            let _ = stream.shutdown(Shutdown::Both);
        }

        #[cfg(unix)]
        if let ListenAddr::Unix(addr) = &self.listening_addr {
            if let Some(path) = addr.as_pathname() {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}
