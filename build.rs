//! Embeds every file under fixtures/ in the binary, so `cargo install` users have them.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a target/ dir copied from another
    // checkout must not embed that checkout's fixtures.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("fixtures");
    println!("cargo:rerun-if-changed=fixtures");
    let mut entries = Vec::new();
    if let Ok(vendors) = std::fs::read_dir(&root) {
        for vendor in vendors.flatten() {
            println!("cargo:rerun-if-changed={}", vendor.path().display());
            let Ok(files) = std::fs::read_dir(vendor.path()) else {
                continue;
            };
            for file in files.flatten() {
                let path = file.path();
                if path.extension().is_some_and(|e| e == "json") {
                    let name = format!(
                        "{}/{}",
                        vendor.file_name().to_string_lossy(),
                        path.file_stem().unwrap_or_default().to_string_lossy()
                    );
                    entries.push((name, path));
                }
            }
        }
    }
    entries.sort();
    let mut out = String::from(
        "/// (name, JSON text) of every bundled fixture, sorted by name.\npub static BUNDLED: &[(&str, &str)] = &[\n",
    );
    for (name, path) in entries {
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("fixtures.rs");
    std::fs::write(dest, out).unwrap();
}
