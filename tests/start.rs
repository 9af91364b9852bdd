//! What std's start did before `main`, and cbkit's own start (src/start.rs, on glibc Linux)
//! must still do: closed standard fds opened on /dev/null, SIGPIPE ignored.

mod common;

use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Started with stdout closed (`cbkit listen … >&-`), fd 1 is /dev/null from the start. Left
/// closed, it would be taken by the first file or socket cbkit opens (here the listening
/// socket), and whatever cbkit printed would go there.
#[test]
fn a_closed_stdout_is_opened_on_dev_null() {
    let mut cmd = common::cbkit_process();
    cmd.args(["listen", "--port", "0", "--vendor", "wemeet"])
        .stderr(Stdio::null());
    // SAFETY: close is async-signal-safe and touches only the child being started.
    unsafe {
        cmd.pre_exec(|| {
            libc::close(1);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let fd1 = format!("/proc/{}/fd/1", child.id());
    let deadline = Instant::now() + Duration::from_secs(10);
    let target = loop {
        match std::fs::read_link(&fd1) {
            Ok(target) => break Some(target),
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(target, Some("/dev/null".into()));
}

/// A reader gone before cbkit writes (`cbkit man | true`): the write fails with EPIPE, which
/// cbkit takes as the reader having had all it wanted. With SIGPIPE not ignored the signal
/// would end the process instead, with no exit code.
#[test]
fn a_reader_gone_ends_cbkit_normally() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = common::cbkit_process()
        .arg("man")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{:?}: {stderr}", out.status);
    assert_eq!(stderr, "");
}
