//! The AES envelopes on attacker-chosen ciphertext: WXBizMsgCrypt (DingTalk, WeCom), Feishu's
//! IV-prefixed CBC, Tencent Meeting's bare CBC; and EncodingAESKey parsing itself.
#![no_main]
use cbkit::crypto::envelope::{self, AesKey};
use libfuzzer_sys::fuzz_target;

const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

fuzz_target!(|data: &[u8]| {
    let key = AesKey::from_encoding_aes_key("aes-key", KEY).expect("valid key");
    // Raw ciphertext, base64-encoded so the decoders reach the AES and framing steps.
    let b64 = cbkit::crypto::b64_encode(data);
    let _ = envelope::open("encrypt", &key, &b64);
    let _ = cbkit::protocol::feishu::decrypt("kudryavtsev", &b64);
    let _ = cbkit::crypto::aes_cbc::decrypt("data", &key.0, &key.iv(), data);
    let _ = cbkit::crypto::aes_cbc::strip_pkcs7(data);
    if let Ok(text) = std::str::from_utf8(data) {
        // Text as it arrives: not necessarily base64.
        let _ = envelope::open("encrypt", &key, text);
        let _ = cbkit::protocol::feishu::decrypt("kudryavtsev", text);
        let _ = AesKey::from_encoding_aes_key("aes-key", text);
        let _ = cbkit::crypto::b64_decode("data", text);
    }
});
