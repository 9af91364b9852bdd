//! `cbkit demo`: every bundled fixture through a real in-process receiver, all green.

mod common;
use common::*;

#[test]
fn demo_passes_every_bundled_fixture_over_real_http() {
    let out = json_out(cbkit().args(["demo", "--json"]));
    let rows = out["deliveries"].as_array().unwrap();
    assert_eq!(rows.len(), cbkit::fixture::bundled().len());
    assert_eq!(out["failed"], 0, "{out}");
    assert!(rows.iter().any(|r| r["kind"] == "handshake"));
    for r in rows {
        assert_eq!(r["verified_by_receiver"], true, "{r}");
        assert_eq!(r["accepted_by_vendor_rule"], true, "{r}");
    }
}

#[test]
fn demo_for_one_vendor_prints_a_table() {
    cbkit()
        .args(["demo", "--vendor", "dingtalk"])
        .assert()
        .success()
        .stdout(predicates::str::contains("dingtalk/check_url"))
        .stdout(predicates::str::contains("7 of 7 deliveries"));
}
