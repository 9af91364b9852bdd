//! Listener capture lines read back with `--from-capture FILE.jsonl[:N]`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (_, n) = cbkit::capture::split_spec(text);
    let _ = cbkit::capture::pick(text, n);
    if let Ok(c) = cbkit::capture::parse_line(text) {
        // A capture that parses must serialise and parse back to itself.
        let line = serde_json::to_string(&c).expect("serialises");
        assert_eq!(cbkit::capture::parse_line(&line).expect("parses back"), c);
    }
});
