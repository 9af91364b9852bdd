//! Ports for tests that need a connection to be refused.

/// A port on 127.0.0.1 that refuses connections for as long as the returned socket lives.
///
/// The socket is bound but never listens, so a connection to the port finds no listener and
/// is refused (a listener that never accepts would complete the handshake instead). The race
/// of binding a port, releasing it and connecting later cannot happen: the port stays bound.
/// The socket sets neither SO_REUSEADDR nor SO_REUSEPORT, so Linux lets no other socket bind
/// the port (to 127.0.0.1 or the wildcard) and listen on it, and never gives an explicitly
/// bound port to an outgoing connection, so the client under test cannot connect to itself
/// either. Keep the socket alive until the last connection attempt is over.
pub fn refusing_port() -> (socket2::Socket, u16) {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let any_port = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    socket.bind(&any_port.into()).unwrap();
    let port = socket.local_addr().unwrap().as_socket().unwrap().port();
    (socket, port)
}

// Every test binary that includes `common` runs this once; it takes a few milliseconds.
#[test]
fn the_refusing_port_refuses_and_cannot_be_taken_while_held() {
    use std::io::ErrorKind;
    let (held, port) = refusing_port();
    for _ in 0..3 {
        let e = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused, "{e}");
    }
    // std's listeners set SO_REUSEADDR; the held socket does not, so neither bind succeeds.
    for host in ["127.0.0.1", "0.0.0.0"] {
        let taken = std::net::TcpListener::bind((host, port));
        assert!(taken.is_err(), "{host}:{port} could be bound: {taken:?}");
    }
    drop(held);
}
