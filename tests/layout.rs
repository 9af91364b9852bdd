//! The binary's start-up code is laid out first (build.rs hands the linker `startup.ld`): the
//! section it makes is there and holds code. It fails when the script stops reaching the linker
//! or every name in it has gone stale (the patterns then match nothing, and the linker leaves the
//! empty section out).

#![cfg(all(target_os = "linux", target_env = "gnu"))]

/// (name, size) of every section of the ELF64 little-endian file `elf`.
fn sections(elf: &[u8]) -> Vec<(String, u64)> {
    let u16_at = |at: usize| u16::from_le_bytes(elf[at..at + 2].try_into().unwrap()) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(elf[at..at + 4].try_into().unwrap()) as usize;
    let u64_at = |at: usize| u64::from_le_bytes(elf[at..at + 8].try_into().unwrap());
    assert_eq!(&elf[..5], b"\x7fELF\x02", "an ELF64 file");
    let (table, entry, count, names) = (
        u64_at(0x28) as usize,
        u16_at(0x3a),
        u16_at(0x3c),
        u16_at(0x3e),
    );
    let header = |i: usize| table + i * entry;
    let strings = u64_at(header(names) + 0x18) as usize;
    (0..count)
        .map(|i| {
            let name = strings + u32_at(header(i));
            let end = name + elf[name..].iter().position(|&b| b == 0).unwrap();
            let size = u64_at(header(i) + 0x20);
            (String::from_utf8_lossy(&elf[name..end]).into_owned(), size)
        })
        .collect()
}

#[test]
fn start_up_code_is_laid_out_first() {
    if std::env::var("CBKIT_STARTUP_ORDER").as_deref() == Ok("0") {
        return;
    }
    let elf = std::fs::read(env!("CARGO_BIN_EXE_cbkit")).unwrap();
    let sections = sections(&elf);
    let text = |name: &str| sections.iter().position(|(n, _)| n == name);
    let startup = text(".text.cbkit_startup").expect("a .text.cbkit_startup section");
    assert!(sections[startup].1 > 0, "{sections:?}");
    assert!(
        startup < text(".text").expect("a .text section"),
        "{sections:?}"
    );
}
