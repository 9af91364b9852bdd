//! A self-signed certificate for the HTTPS tests, made with the `openssl` command.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A certificate and its key written to `dir` as `cert.pem` and `key.pem`, for the subject
/// `subject` (openssl arguments, e.g. `["-subj", "/CN=localhost"]`); `None` when openssl is
/// not installed or fails (the caller skips its test and says why).
pub fn self_signed(dir: &Path, subject: &[&str]) -> Option<(PathBuf, PathBuf)> {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(subject)
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    made.is_ok_and(|s| s.success()).then_some((cert, key))
}
