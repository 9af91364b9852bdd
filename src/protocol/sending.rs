//! What a sender builds around a payload: the stamp, where the signature travels, and the
//! signed request line.

use serde::Serialize;

use super::{Callback, Kind, Payload, Secrets, Variant, Vendor};
use crate::error::Result;
use crate::http::HttpRequest;

/// Timestamp and nonce for a message cbkit builds (a vendor's request or a receiver's reply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub timestamp: String,
    pub nonce: String,
}

impl Stamp {
    /// `timestamp` with a fresh nonce of `nonce_len` letters and digits.
    pub fn alnum(timestamp: u64, nonce_len: usize) -> Stamp {
        Stamp {
            timestamp: timestamp.to_string(),
            nonce: crate::crypto::random_alnum(nonce_len),
        }
    }

    /// The callback a sender signs: this stamp and the payload `value` in `field`, sent with a
    /// GET when `is_get`.
    pub fn callback(&self, field: &'static str, value: String, is_get: bool) -> Callback {
        Callback {
            timestamp: Some(self.timestamp.clone()),
            nonce: Some(self.nonce.clone()),
            payload: Some(Payload { field, value }),
            is_get,
            ..Callback::default()
        }
    }
}

/// What one request a sender seals is made of: the plaintext, whether it is the handshake, the
/// secrets it is sealed with, its timestamp and nonce, and the way of delivering it the sender
/// chose ([`Variant::DEFAULT`] but for WeChat's message modes and formats).
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    pub plaintext: &'a [u8],
    pub kind: Kind,
    pub secrets: &'a Secrets,
    pub stamp: &'a Stamp,
    pub variant: &'a Variant,
}

/// Where a signature travels: the query parameters and headers a signed request carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
}

impl Placement {
    /// The query parameters as a percent-encoded query string.
    pub fn query_string(&self) -> String {
        let pairs: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        crate::http::build_query(&pairs)
    }
}

/// `cb` signed and placed as `v` sends it: GET (when `cb.is_get`) or POST to `/` with the
/// placement's query and headers; the body is the caller's to add.
pub fn signed_request(
    v: &(impl Vendor + ?Sized),
    cb: &Callback,
    secrets: &Secrets,
) -> Result<HttpRequest> {
    let placement = v.placement(cb, &v.sign(cb, secrets)?);
    Ok(HttpRequest {
        method: if cb.is_get { "GET" } else { "POST" }.into(),
        path: "/".into(),
        query: placement.query_string(),
        headers: placement.headers,
        body: Vec::new(),
    })
}
