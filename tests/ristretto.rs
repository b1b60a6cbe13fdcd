//! Known answers for the curve work, with random-looking scalars: `H(k)^s` and `P^s` as the
//! native build computes them (curve25519-dalek's u64 or AVX2 backend, upstream code). The wasm
//! tests (tests/wasm_common) compute the same in Node and in headless Chromium, where the vendored
//! dalek multiplies field elements with SIMD (vendor/curve25519-dalek/OVERLAP.md), and must agree
//! byte for byte. Regenerate with `OVERLAP_UPDATE_VECTORS=1 cargo test --test ristretto` only
//! after a deliberate change.
use curve25519_dalek::Scalar;
use overlap::protocol::group::{blind, hash_and_blind, hash_to_group, SecretScalar};
use sha2::{Digest, Sha512};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn computed() -> serde_json::Value {
    let mut cases = Vec::new();
    for i in 0u32..48 {
        let wide: [u8; 64] = Sha512::digest(format!("overlap ristretto vector {i}")).into();
        let scalar = Scalar::from_bytes_mod_order_wide(&wide).to_bytes();
        let s = SecretScalar::from_bytes(&scalar).expect("a non-zero scalar");
        let key = format!("\u{1}company{i}.example").into_bytes();
        let mut hashed = Vec::new();
        hash_and_blind(&s, &key, &[0, key.len() as u32], &mut hashed);
        let point = hash_to_group(format!("point {i}").as_bytes()).compress().to_bytes();
        let mut blinded = Vec::new();
        blind(&s, &point, 0, &mut blinded).expect("a valid point");
        cases.push(serde_json::json!({
            "scalar": hex(&scalar),
            "key": hex(&key),
            "hashed": hex(&hashed),
            "point": hex(&point),
            "blinded": hex(&blinded),
        }));
    }
    serde_json::json!({
        "about": "Scalar multiplications with random-looking scalars, computed natively: hashed = H(key)^scalar, blinded = point^scalar (ristretto255 encodings, scalars little-endian). The wasm tests must give the same bytes. Regenerate with OVERLAP_UPDATE_VECTORS=1 cargo test --test ristretto after a deliberate change.",
        "cases": cases,
    })
}

#[test]
fn known_answers() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/ristretto.json");
    let computed = computed();
    if std::env::var_os("OVERLAP_UPDATE_VECTORS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&computed).unwrap() + "\n").unwrap();
    }
    let stored: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(stored, computed, "tests/vectors/ristretto.json disagrees with the native computation");
}
