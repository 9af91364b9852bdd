//! The process's file-descriptor limit, which bounds how many connections the listener can
//! hold: raised to its hard limit at start, and the default `--max-connections` derived from it.

/// Descriptors kept free for everything but client connections: stdio, the listening socket,
/// the record file, connections to `--forward-to`, the signal pipe.
const RESERVED: u64 = 32;

/// Descriptors one client connection holds (its socket, and the clone its reader owns), with
/// one to spare.
const PER_CONNECTION: u64 = 3;

/// The default cap, whatever the limit: every connection also holds a thread.
const MOST_BY_DEFAULT: u64 = 4096;

/// Raise the soft limit on open files to the hard limit; the soft limit in force afterwards
/// (`None` where it cannot be read).
pub(super) fn raise() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit/setrlimit only read and write the struct passed by pointer.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
            return None;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            // SAFETY: as above.
            if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
                lim.rlim_cur = lim.rlim_max;
            }
        }
        // rlim_t is u64 on Linux but not everywhere.
        #[allow(clippy::unnecessary_cast)]
        Some(lim.rlim_cur as u64)
    }
    #[cfg(not(unix))]
    None
}

/// The default connection cap for a descriptor limit of `fds` (unknown: the plain default).
pub(super) fn default_max_connections(fds: Option<u64>) -> usize {
    let by_fds = match fds {
        Some(n) => n.saturating_sub(RESERVED) / PER_CONNECTION,
        None => MOST_BY_DEFAULT,
    };
    by_fds.clamp(1, MOST_BY_DEFAULT) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_for_the_listener_itself() {
        assert_eq!(default_max_connections(Some(1024)), 330);
        assert_eq!(default_max_connections(Some(64)), 10);
        assert_eq!(default_max_connections(Some(10)), 1);
        assert_eq!(default_max_connections(Some(1 << 20)), 4096);
        assert_eq!(default_max_connections(None), 4096);
    }

    #[test]
    fn raising_keeps_a_usable_limit() {
        let n = raise().expect("the limit can be read");
        assert!(n >= 3);
        // Idempotent: a second call finds it already raised.
        assert_eq!(raise(), Some(n));
    }
}
