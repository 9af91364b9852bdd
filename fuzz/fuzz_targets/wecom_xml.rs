//! WeCom XML bodies: the small field reader and the Encrypt extraction.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cbkit::protocol::wecom::encrypt_of_body(data);
    if let Ok(text) = std::str::from_utf8(data) {
        for name in ["Encrypt", "ToUserName", "AgentID", ""] {
            let _ = cbkit::protocol::wecom::xml_field(text, name);
        }
    }
});
