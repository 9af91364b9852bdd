//! cbkit's entry point on glibc Linux, in place of std's.
//!
//! Before `main`, std's start installs a handler that turns a stack overflow into a message. To
//! tell an overflow from other faults it reads /proc/self/maps to find the main thread's stack,
//! maps an alternate signal stack and sets four signal actions: net of what is done here
//! instead, about 90 k instructions and 17 system calls. On the machine cbkit is benchmarked on
//! that was 3–7 % of a whole `cbkit sign` (bench/NOTES.md, round 8). Without it an overflow
//! still stops at the kernel's guard gap, as a plain SIGSEGV instead of a message, and only a
//! bug in cbkit can overflow.
//!
//! What else std's start does, and cbkit relies on, is done here. Arguments need nothing: on
//! glibc std reads them before `main`, through `.init_array`.

use std::ffi::{c_char, c_int};

/// What the C runtime calls.
#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    open_standard_fds();
    // SAFETY: sets one signal's disposition, before any thread starts. Ignored, a write to a
    // closed pipe or socket is an EPIPE error cbkit handles instead of the end of the process.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    // A panic has been reported by the hook by the time it gets here; 101 is std's code for it.
    let code = std::panic::catch_unwind(super::cbkit_main).unwrap_or(101);
    // Flushes stdout on the way out, as returning from std's `main` does.
    std::process::exit(code)
}

/// Each of fds 0, 1 and 2 that is closed is opened on /dev/null, as std's start does, so that
/// no file cbkit opens (a record, a capture) becomes its stdout or stderr.
fn open_standard_fds() {
    for fd in 0..3 {
        // SAFETY: F_GETFD only reads the descriptor's flags; -1 (EBADF) means it is closed.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            // SAFETY: a NUL-terminated path. The lowest closed fd is taken, which is `fd`:
            // the ones below it were checked or opened first.
            unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
        }
    }
}
