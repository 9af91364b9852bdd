//! Fixture files and their templates: parse a fixture, fill `{{...}}`, apply `--set`.
#![no_main]
use cbkit::fixture::{Fixture, Vars, apply_set, fill_text};
use cbkit::protocol::{Now, Secrets};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let vars = Vars {
        now: Now { unix_ms: 1_609_239_040_864 },
        secrets: Secrets::default(),
        // One variable set, so `{{env.NAME}}` reaches both its found and its missing path.
        env: |name| (name == "X").then(|| "x".to_string()),
    };
    let _ = fill_text(text, &vars);
    // `--set path=value` against a small document.
    let mut doc = serde_json::json!({"a": {"b": [1, 2, {"c": "x"}]}});
    let _ = apply_set(&mut doc, text);
    if let Ok(f) = Fixture::parse("fuzz", text) {
        let _ = f.render(&vars, &["a.b=1".to_string()]);
        let _ = f.render(&vars, &[text.to_string()]);
    }
});
