//! Raw captured HTTP requests (`--request FILE`): parse, then read every field back.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(req) = cbkit::http::HttpRequest::parse_raw(data) {
        let _ = req.query_pairs();
        let _ = req.query_param("SdkAppid");
        let _ = req.header("content-type");
        let _ = cbkit::listen::route(None, &req);
        // What parses must print back and parse again.
        let again = cbkit::http::HttpRequest::parse_raw(&req.to_raw("h"));
        assert!(again.is_ok(), "to_raw output does not parse: {again:?}");
    }
});
