//! Pins found by mutation testing (scripts/mutants.sh): the shared helpers and the `Vendor`
//! trait's default methods.

use super::*;

fn tencent_meeting() -> &'static dyn Vendor {
    VendorId::Wemeet.vendor()
}

#[test]
fn redact_hides_the_token_and_the_key() {
    let s = Secrets::new("tokenvalue", Some("keyvalue"));
    assert_eq!(
        s.redact("a tokenvalue and a keyvalue"),
        "a (redacted) and a (redacted)"
    );
}

#[test]
fn skew_windows() {
    let im = VendorId::TencentIm.vendor();
    let d = Duration::from_secs(5);
    assert_eq!(
        SkewWindow::VendorDefault.for_vendor(im),
        Some(Duration::from_secs(60))
    );
    assert_eq!(
        SkewWindow::VendorDefault.for_vendor(tencent_meeting()),
        None
    );
    assert_eq!(SkewWindow::Off.for_vendor(im), None);
    assert_eq!(SkewWindow::Within(d).for_vendor(im), Some(d));
}

#[test]
fn freshness_is_inclusive_and_names_the_direction() {
    let now = Now { unix_ms: 100_000 };
    let w = Duration::from_secs(60);
    let at = |ms| freshness(CheckId::Timestamp, "raw", ms, now, w);
    assert!(at(40_000).ok);
    assert!(at(160_000).ok);
    assert_eq!(at(40_000).expected, "within 60 s of now");
    let old = at(39_999);
    assert!(!old.ok);
    assert!(old.note.contains("is 60.001 s old"), "{}", old.note);
    let future = at(160_001);
    assert!(!future.ok);
    assert!(future.note.contains("in the future"), "{}", future.note);
}

#[test]
fn json_fields_are_non_empty_strings_or_numbers() {
    let v = br#"{"s":"x","e":"","n":12}"#;
    assert_eq!(json_field(v, &["/s"]).as_deref(), Some("x"));
    assert_eq!(json_field(v, &["/n"]).as_deref(), Some("12"));
    assert_eq!(json_field(v, &["/e"]), None);
    assert_eq!(json_field(v, &["/e", "/s"]).as_deref(), Some("x"));
}

#[test]
fn the_system_clock_is_read() {
    assert!(Now::system().unix_ms > 1_600_000_000_000);
}

#[test]
fn timestamps_in_seconds_or_milliseconds() {
    let v = tencent_meeting();
    let ms = |t: &str| {
        v.timestamp_ms(&Callback {
            timestamp: Some(t.into()),
            ..Callback::default()
        })
    };
    assert_eq!(ms("1700000000"), Some(1_700_000_000_000));
    assert_eq!(ms(" 1700000000123 "), Some(1_700_000_000_123));
    assert_eq!(ms("100000000000"), Some(100_000_000_000_000));
    assert_eq!(ms("soon"), None);
    assert_eq!(v.timestamp_ms(&Callback::default()), None);
}

#[test]
fn trait_defaults() {
    let v = VendorId::TencentIm.vendor();
    let s = Secrets::default();
    assert_eq!(v.probe_plan(&s), v.probe_fixtures());
    assert!(v.extra_receiver_ids(b"{}").is_empty());
    assert_eq!(
        VendorId::Dingtalk.vendor().event_id(b"{\"MsgId\":\"1\"}"),
        None
    );
    // Tencent Meeting's stamp: the time in milliseconds, a fresh 8-character nonce.
    let now = Now { unix_ms: 1 };
    let mut cb = Callback {
        nonce: Some("kept".into()),
        ..Callback::default()
    };
    tencent_meeting().fill_defaults(&mut cb, &s, now);
    assert_eq!(cb.timestamp.as_deref(), Some("1"));
    assert_eq!(cb.nonce.as_deref(), Some("kept"));
    let mut cb = Callback {
        timestamp: Some("kept".into()),
        ..Callback::default()
    };
    tencent_meeting().fill_defaults(&mut cb, &s, now);
    assert_eq!(cb.timestamp.as_deref(), Some("kept"));
    assert_eq!(cb.nonce.as_ref().map(String::len), Some(8));
}

#[test]
fn secrets_take_a_receiver_id_and_an_sdk_app_id() {
    let s = Secrets::default()
        .with_receiver_id("ding1")
        .with_sdk_app_id("1400000000");
    assert_eq!(s.receiver_id.as_deref(), Some("ding1"));
    assert_eq!(s.sdk_app_id.as_deref(), Some("1400000000"));
}
