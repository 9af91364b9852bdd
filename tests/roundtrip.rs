//! Property tests over the library: every vendor's seal → parse → verify → open round trip on
//! random text (Chinese, empty, up to 64 KiB), and tampering any signed input breaks verify.

use cbkit::protocol::{Kind, Now, Secrets, Stamp, VendorId};
use cbkit::secret::Secret;
use proptest::prelude::*;

fn secrets(v: VendorId) -> Secrets {
    Secrets {
        token: Some(Secret::new("bVPU6F8Htxl5XkAbp3jGV2xWp")),
        aes_key: Some(Secret::new(if v == VendorId::Feishu {
            "feishu encrypt key"
        } else {
            "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7"
        })),
        receiver_id: Some("ding6ccabc44d2c8d38b".into()),
        sdk_app_id: Some("1400000000".into()),
    }
}

const NOW: Now = Now {
    unix_ms: 1_700_000_000_000,
};

fn stamp() -> Stamp {
    Stamp {
        timestamp: "1700000000".into(),
        nonce: "n0nce".into(),
    }
}

/// A plaintext each vendor can carry: Tencent IM needs JSON with a CallbackCommand.
fn carrier(v: VendorId, text: &str) -> Vec<u8> {
    match v {
        VendorId::TencentIm => {
            serde_json::to_vec(&serde_json::json!({"CallbackCommand": "X.Y", "text": text}))
                .unwrap()
        }
        VendorId::Feishu => serde_json::to_vec(
            &serde_json::json!({"token": "bVPU6F8Htxl5XkAbp3jGV2xWp", "text": text}),
        )
        .unwrap(),
        _ => text.as_bytes().to_vec(),
    }
}

fn round_trip(v: VendorId, text: &str, kind: Kind, aes: bool) {
    let vendor = v.vendor();
    let mut s = secrets(v);
    if !aes {
        s.aes_key = None;
    }
    let plain = carrier(v, text);
    let req = vendor.seal(&plain, kind, &s, &stamp()).unwrap();
    let cb = vendor.parse(&req).unwrap();
    let checks = vendor.verify(&cb, &s, NOW).unwrap();
    assert!(checks.iter().all(|c| c.ok), "{v}: {checks:?}");
    let opened = vendor.open(&cb, &s).unwrap();
    assert_eq!(opened.plaintext, plain, "{v}");
    assert!(vendor.check_opened(&opened, &s).iter().all(|c| c.ok));

    if checks.is_empty() {
        // Feishu without an Encrypt Key: nothing signed, the token inside is the proof.
        assert!(v == VendorId::Feishu && !aes);
        return;
    }
    // Tampering: another token, timestamp, nonce or payload must fail the signature. A field the
    // vendor signs must be there to tamper with: a missing one fails here instead of skipping
    // its check.
    let fails = |t: &cbkit::protocol::Callback, s: &Secrets, what: &str| {
        assert!(
            !vendor.verify(t, s, NOW).unwrap().iter().all(|c| c.ok),
            "{v}: {what} tamper passed"
        );
    };
    let mut t = cb.clone();
    // Tencent IM signs RequestTime; the others the timestamp.
    let time = if t.request_time.is_some() {
        t.request_time.as_mut()
    } else {
        t.timestamp.as_mut()
    };
    time.unwrap_or_else(|| panic!("{v}: no timestamp to tamper with"))
        .push('1');
    fails(&t, &s, "timestamp");

    let mut t = cb.clone();
    if signs_nonce_and_payload(v) {
        t.nonce
            .as_mut()
            .unwrap_or_else(|| panic!("{v}: no nonce to tamper with"))
            .push('x');
        fails(&t, &s, "nonce");
    } else {
        assert!(
            t.nonce.is_none(),
            "{v}: a nonce that no tamper check covers"
        );
    }

    let mut other = s.clone();
    if v == VendorId::Feishu {
        other.aes_key = Some(Secret::new("another key"));
    } else {
        other.token = Some(Secret::new("anotherToken"));
    }
    fails(&cb, &other, "secret");

    let mut t = cb.clone();
    if signs_nonce_and_payload(v) {
        let p = t
            .payload
            .as_mut()
            .unwrap_or_else(|| panic!("{v}: no payload to tamper with"));
        p.value = format!("A{}", p.value);
        t.body.push(b' '); // Feishu signs the raw body
        fails(&t, &s, "payload");
    } else {
        assert!(
            t.payload.is_none(),
            "{v}: a payload that no tamper check covers"
        );
    }
}

/// Whether the vendor's signature covers a nonce and the payload (Tencent IM's covers only the
/// token and RequestTime).
fn signs_nonce_and_payload(v: VendorId) -> bool {
    v != VendorId::TencentIm
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z0-9 +/=]{0,64}",
        "[\\u4e00-\\u9fa5]{1,40}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_vendor_round_trips(text in any_text()) {
        for v in VendorId::ALL {
            round_trip(v, &text, Kind::Event, true);
        }
        round_trip(VendorId::Wemeet, &text, Kind::Event, false);
        round_trip(VendorId::Wemeet, &text, Kind::Handshake, true);
        round_trip(VendorId::Wemeet, &text, Kind::Handshake, false);
        round_trip(VendorId::Wecom, &text, Kind::Handshake, true);
        round_trip(VendorId::Feishu, &text, Kind::Event, false);
    }
}

#[test]
fn large_messages_round_trip() {
    let text = "回调".repeat(64 * 1024 / 6) + &"x".repeat(17);
    assert!(text.len() >= 64 * 1024 - 16);
    for v in VendorId::ALL {
        round_trip(v, &text, Kind::Event, true);
    }
}

#[test]
fn empty_message_round_trips() {
    for v in VendorId::ALL {
        round_trip(v, "", Kind::Event, true);
    }
}
