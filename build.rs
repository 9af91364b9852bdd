//! Embeds every file under fixtures/ in the binary, so `cargo install` users have them, and lays
//! out the code the short commands start with first in the binary (`startup.ld`).

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a target/ dir copied from another
    // checkout must not embed that checkout's fixtures.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    order_startup_code(Path::new(&manifest));
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

/// Hand the linker `startup.ld` (made by bench/startup-order.sh): the functions `cbkit sign`,
/// `decode` and `--version` run, placed together before the rest of the code, so a start touches
/// a few hundred KB of code rather than pages spread over 5 MB (bench/NOTES.md, round 7).
/// GNU ld and LLD, Rust's default linker on x86-64 Linux, read the script; gold and mold do not,
/// so it is left out when the flags or the configured linker name one of them, and
/// `CBKIT_STARTUP_ORDER=0` leaves it out for any other linker that refuses it.
fn order_startup_code(manifest: &Path) {
    println!("cargo:rerun-if-changed=startup.ld");
    println!("cargo:rerun-if-env-changed=CBKIT_STARTUP_ORDER");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let linux_gnu = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    let linker = format!("{} {}", var("CARGO_ENCODED_RUSTFLAGS"), var("RUSTC_LINKER"));
    let other_linker = ["gold", "mold"].iter().any(|l| linker.contains(l));
    let script = manifest.join("startup.ld");
    let path = script.to_string_lossy();
    if linux_gnu && !other_linker && var("CBKIT_STARTUP_ORDER") != "0" && !path.contains(',') {
        println!("cargo:rustc-link-arg-bin=cbkit=-Wl,-T,{path}");
    }
}
