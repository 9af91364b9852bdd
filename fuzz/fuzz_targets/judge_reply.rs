//! Every vendor's judge of a receiver's reply (the sender side: would the vendor accept this
//! answer?), for both kinds of delivery, with and without an AES key. The reply is untrusted:
//! any status, headers and body must come back as a verdict, never a panic.
//!
//! Input layout: 2 bytes status (big-endian), then three parts split at the first two 0x00
//! bytes: header lines (`name: value`, one per line), the plaintext that was sent, the body.
#![no_main]
use cbkit::http::HttpReply;
use cbkit::protocol::{Kind, Secrets, VendorId};
use cbkit::secret::Secret;
use libfuzzer_sys::fuzz_target;

fn secrets(aes: Option<&str>) -> Secrets {
    Secrets {
        token: Some(Secret::new("QDG6eK")),
        aes_key: aes.map(Secret::new),
        receiver_id: Some("wx5823bf96d3bd56c7".into()),
        sdk_app_id: Some("1400000000".into()),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((status, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let mut parts = rest.splitn(3, |&b| b == 0);
    let head = parts.next().unwrap_or_default();
    let sent = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let headers = String::from_utf8_lossy(head)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let reply = HttpReply {
        status: u16::from_be_bytes(*status),
        headers,
        body: body.to_vec(),
    };
    for aes in [None, Some("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C")] {
        let s = secrets(aes);
        for id in VendorId::ALL {
            for kind in [Kind::Handshake, Kind::Event] {
                // Written so it compiles whatever judge's error type is.
                let _ = id.vendor().judge(kind, sent, &reply, &s);
            }
        }
    }
});
