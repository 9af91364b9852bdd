//! curl commands pasted from a browser's "copy as cURL" or a vendor console.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = cbkit::curl::shell_words(text);
    let _ = cbkit::curl::parse(text, &|name| Ok(name.as_bytes().to_vec()));
});
