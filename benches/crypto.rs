//! Crypto and signing benchmarks (issue #9, part 1). Run by `bench/run.sh`; not a test.
//!
//! Every figure goes through the public library API, the same code path the commands and the
//! listener use:
//! - `sign/<vendor>/<size>`: the vendor's signature over a request whose payload is `size` bytes
//!   of plaintext (sealed first, so the signed string is the base64 ciphertext where the vendor
//!   encrypts).
//! - `verify/<vendor>/<size>`: recompute and compare the signature (`Vendor::verify`).
//! - `decrypt/<vendor>/<size>`: what a receiver does with a parsed request: verify the signature
//!   and open (base64-decode, AES-256-CBC decrypt, unframe) the body.
//! - `encrypt/<vendor>/<size>`: build the signed request the vendor sends (`Vendor::seal`).
//! - `prim/...`: the bare primitives (SHA-1 over base64 text, AES-256-CBC decrypt/encrypt of the
//!   same number of bytes) for the "within 1.3x of the limit" comparison.

use std::hint::black_box;

use cbkit::protocol::{Callback, Kind, Now, Secrets, VendorId};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SIZES: [(usize, &str); 4] = [
    (64, "64B"),
    (1024, "1KiB"),
    (65536, "64KiB"),
    (1 << 20, "1MiB"),
];

/// A JSON event of exactly `size` bytes (size >= 64); Tencent IM needs its CallbackCommand.
fn plaintext(size: usize) -> Vec<u8> {
    let head = br#"{"CallbackCommand":"State.StateChange","data":""#;
    let tail = br#""}"#;
    let mut v = head.to_vec();
    v.resize(size - tail.len(), b'x');
    v.extend_from_slice(tail);
    assert_eq!(v.len(), size);
    v
}

fn secrets(v: VendorId) -> Secrets {
    let mut s = v.vendor().demo_secrets();
    if v == VendorId::Wemeet {
        // Tencent Meeting's AES mode, so "decrypt" means AES as for the other vendors.
        s.aes_key = Some(cbkit::secret::Secret::new(
            "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7",
        ));
    }
    s
}

/// A request as the vendor sends it, parsed the way a receiver parses it.
fn received(v: VendorId, plain: &[u8], s: &Secrets) -> Callback {
    let vendor = v.vendor();
    let stamp = vendor.stamp(Now::system());
    let req = vendor
        .seal(plain, Kind::Event, s, &stamp)
        .expect("seal bench request");
    let cb = vendor.parse(&req).expect("parse bench request");
    let checks = vendor.verify(&cb, s, Now::system()).expect("verify");
    assert!(checks.iter().all(|c| c.ok), "{v}: {checks:?}");
    cb
}

fn sign_verify(c: &mut Criterion) {
    for (op, vendors) in [("sign", VendorId::ALL), ("verify", VendorId::ALL)] {
        let mut g = c.benchmark_group(op);
        for v in vendors {
            let s = secrets(v);
            let vendor = v.vendor();
            for (size, label) in SIZES {
                let cb = received(v, &plaintext(size), &s);
                g.throughput(Throughput::Bytes(size as u64));
                g.bench_with_input(BenchmarkId::new(v.name(), label), &cb, |b, cb| {
                    if op == "sign" {
                        b.iter(|| vendor.sign(black_box(cb), &s).unwrap())
                    } else {
                        let now = Now::system();
                        b.iter(|| vendor.verify(black_box(cb), &s, now).unwrap())
                    }
                });
            }
        }
        g.finish();
    }
}

const AES_VENDORS: [VendorId; 5] = [
    VendorId::Dingtalk,
    VendorId::Wecom,
    VendorId::Feishu,
    VendorId::Wemeet,
    VendorId::Wechat,
];

fn decrypt_encrypt(c: &mut Criterion) {
    let mut g = c.benchmark_group("decrypt");
    for v in AES_VENDORS {
        let s = secrets(v);
        let vendor = v.vendor();
        for (size, label) in SIZES {
            let plain = plaintext(size);
            let cb = received(v, &plain, &s);
            assert_eq!(vendor.open(&cb, &s).unwrap().plaintext, plain);
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_with_input(BenchmarkId::new(v.name(), label), &cb, |b, cb| {
                let now = Now::system();
                b.iter(|| {
                    let checks = vendor.verify(black_box(cb), &s, now).unwrap();
                    let opened = vendor.open(cb, &s).unwrap();
                    (checks, opened)
                })
            });
        }
    }
    g.finish();

    let mut g = c.benchmark_group("encrypt");
    for v in AES_VENDORS {
        let s = secrets(v);
        let vendor = v.vendor();
        let stamp = vendor.stamp(Now::system());
        for (size, label) in SIZES {
            let plain = plaintext(size);
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_with_input(BenchmarkId::new(v.name(), label), &plain, |b, plain| {
                b.iter(|| {
                    vendor
                        .seal(black_box(plain), Kind::Event, &s, &stamp)
                        .unwrap()
                })
            });
        }
    }
    g.finish();
}

/// The limit: SHA-1 over the base64 text a receiver verifies, and AES-256-CBC over the bytes it
/// decrypts, with nothing else around them.
fn primitives(c: &mut Criterion) {
    use aes::cipher::block_padding::NoPadding;
    use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
    use sha1::{Digest, Sha1};
    type Dec = cbc::Decryptor<aes::Aes256>;
    type Enc = cbc::Encryptor<aes::Aes256>;
    let key = [7u8; 32];
    let iv = [9u8; 16];

    let mut g = c.benchmark_group("prim");
    for (size, label) in SIZES {
        let data = vec![0x5au8; size];
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_with_input(BenchmarkId::new("sha1", label), &data, |b, d| {
            b.iter(|| Sha1::digest(black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("sha256", label), &data, |b, d| {
            b.iter(|| sha2::Sha256::digest(black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("aes256cbc-dec", label), &data, |b, d| {
            let mut buf = d.clone();
            b.iter(|| {
                Dec::new(&key.into(), &iv.into())
                    .decrypt_padded::<NoPadding>(black_box(&mut buf))
                    .unwrap()
                    .len()
            })
        });
        g.bench_with_input(BenchmarkId::new("aes256cbc-enc", label), &data, |b, d| {
            let mut buf = d.clone();
            let n = buf.len();
            b.iter(|| {
                Enc::new(&key.into(), &iv.into())
                    .encrypt_padded::<NoPadding>(black_box(&mut buf), n)
                    .unwrap()
                    .len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, sign_verify, decrypt_encrypt, primitives);
criterion_main!(benches);
