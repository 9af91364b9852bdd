//! Config files (`.cbkit.toml`, `--config`): parsing and profile resolution never panic, and
//! every profile a file defines can be selected.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(f) = cbkit::config::parse(std::path::Path::new("c.toml"), text) {
        let names: Vec<String> = f.profiles.keys().cloned().collect();
        let files = [f];
        let _ = cbkit::config::resolve(&files, None);
        for n in &names {
            assert!(cbkit::config::resolve(&files, Some(n)).is_ok());
        }
    }
});
