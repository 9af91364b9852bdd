//! Every vendor's receiver path on a hostile request: parse → verify → open → check → reply.
//! Covers Tencent Meeting check_str/data decoding, Tencent IM's query, DingTalk/WeCom/Feishu
//! bodies, with and without an AES key configured.
#![no_main]
use cbkit::http::HttpRequest;
use cbkit::secret::Secret;
use cbkit::protocol::{Now, Secrets, VendorId};
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
    let req = match HttpRequest::parse_raw(data) {
        Ok(r) => r,
        // Not a request: use the bytes as a POST body with the usual query.
        Err(_) => HttpRequest {
            method: "POST".into(),
            path: "/".into(),
            query: "timestamp=1&nonce=2&msg_signature=3&SdkAppid=1400000000&RequestTime=1&Sign=x"
                .into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: data.to_vec(),
        },
    };
    let _ = VendorId::recognise(&req);
    let now = Now { unix_ms: 1_609_239_040_864 };
    for aes in [None, Some("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C")] {
        let s = secrets(aes);
        for id in VendorId::ALL {
            let v = id.vendor();
            let Ok(cb) = v.parse(&req) else { continue };
            let _ = v.verify(&cb, &s, now);
            let _ = v.sign(&cb, &s);
            if let Ok(opened) = v.open(&cb, &s) {
                let _ = v.check_opened(&opened, &s);
                let _ = v.event_type(&opened.plaintext);
                let _ = v.kind(cb.is_get, &opened.plaintext);
                let _ = v.reply(&cb, &opened, &s, &v.stamp(now));
            }
        }
    }
});
