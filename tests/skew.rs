//! `verify --max-skew`: the timestamp freshness window, the vendor's default, `off`, and a bad
//! value as a usage error. Time is pinned with CBKIT_NOW_MS.

mod common;
use common::*;
use predicates::prelude::*;

fn wemeet_verify(now_ms: u64, extra: &[&str]) -> assert_cmd::assert::Assert {
    let v = vector("wemeet", "signature");
    cbkit()
        .env("CBKIT_NOW_MS", now_ms.to_string())
        .args(["verify", "wemeet", "--no-explain"])
        .args([
            "--token",
            &s(&v, "token"),
            "--timestamp",
            &s(&v, "timestamp"),
        ])
        .args(["--nonce", &s(&v, "nonce"), "--data", &s(&v, "data")])
        .args(["--signature", &s(&v, "signature")])
        .args(extra)
        .assert()
}

const SIGNED_AT_MS: u64 = 1_609_239_040_864;

#[test]
fn wemeet_has_no_default_window_and_honours_max_skew() {
    let days_later = SIGNED_AT_MS + 3 * 86_400_000;
    wemeet_verify(days_later, &[]).success();
    wemeet_verify(days_later, &["--max-skew", "5m"])
        .code(1)
        .stdout(predicates::str::contains("stale or replayed"));
    wemeet_verify(SIGNED_AT_MS + 30_000, &["--max-skew", "60s"])
        .success()
        .stdout(predicates::str::contains("timestamp"));
    // In the future counts too.
    wemeet_verify(SIGNED_AT_MS - 120_000, &["--max-skew", "60s"])
        .code(1)
        .stdout(predicates::str::contains("in the future"));
}

fn tim_verify(now_secs: u64, extra: &[&str]) -> assert_cmd::assert::Assert {
    let v = vector("tencent-im", "sign");
    cbkit()
        .env("CBKIT_NOW_MS", (now_secs * 1000).to_string())
        .args(["verify", "tencent-im", "--no-explain"])
        .args([
            "--token",
            &s(&v, "token"),
            "--request-time",
            &s(&v, "request_time"),
        ])
        .args(["--signature", &s(&v, "signature")])
        .args(extra)
        .assert()
}

#[test]
fn tencent_im_defaults_to_60s_and_can_widen_or_turn_it_off() {
    let v = vector("tencent-im", "sign");
    let t: u64 = s(&v, "request_time").parse().unwrap();
    tim_verify(t + 30, &[]).success();
    tim_verify(t + 300, &[])
        .code(1)
        .stdout(predicates::str::contains("stale or replayed"));
    tim_verify(t + 300, &["--max-skew", "10m"]).success();
    tim_verify(t + 86_400, &["--max-skew", "off"])
        .success()
        .stdout(predicates::str::contains("request_time").not());
}

#[test]
fn bad_max_skew_is_a_usage_error() {
    cbkit()
        .args(["verify", "wemeet", "--max-skew", "soon"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("max-skew"));
    cbkit()
        .args(["listen", "--max-skew", "-1s"])
        .assert()
        .code(2);
}
