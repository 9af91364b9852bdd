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
