//! Test bodies shared by the wasm test crates (`wasm_node.rs` runs them in Node,
//! `wasm_browser.rs` in headless Chromium). They go through the facade, as JavaScript would.

use overlap::normalize::{name_key, Kind};
use overlap_wasm::{check_secret, quick_answer, quick_finish, quick_start, suggest_secret, Dataset};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

fn dataset(csv: &str) -> Dataset {
    Dataset::new(csv.as_bytes(), JsValue::UNDEFINED).unwrap_or_else(|_| panic!("dataset"))
}

fn code(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"code".into()).ok().and_then(|c| c.as_string()).unwrap_or_default()
}

fn message(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into()).ok().and_then(|c| c.as_string()).unwrap_or_default()
}

const SECRET: &str = "tulip-smog-crisp-oxide-ruby-gauze";

fn field(o: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(o, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn bytes(v: JsValue) -> Vec<u8> {
    js_sys::Uint8Array::new(&v).to_vec()
}

#[wasm_bindgen_test]
fn quick_match_through_the_facade() {
    let a = dataset("Name,Website\nAcme,acme.com\nBeta,beta.io\nGamma,https://gamma.org/x\n");
    let b = dataset("Company,Domain\nACME,www.acme.com\nGamma,gamma.org\nDelta,delta.de\n");
    let started = quick_start(&a, SECRET).unwrap_or_else(|_| panic!("start"));
    let session = field(&started, "session").as_string().unwrap();
    assert_eq!(session.len(), 32);
    let first = bytes(field(&started, "message"));
    let answered = quick_answer(&b, SECRET, &first).unwrap_or_else(|_| panic!("answer"));
    let second = bytes(field(&answered, "message"));
    let report = quick_finish(&a, SECRET, &session, &second).unwrap_or_else(|_| panic!("finish"));
    // Rows come whole, in one call: the core's population names, kinds and confidence.
    let rows = report.rows(&a).unwrap_or_else(|_| panic!("rows"));
    let row = |i: u32, key: &str| field(&rows.get(i), key);
    assert_eq!(rows.length(), 2);
    assert_eq!([row(0, "row"), row(1, "row")], [JsValue::from(0), JsValue::from(2)]);
    assert_eq!(js_sys::Array::from(&row(1, "cells")).to_vec(), [JsValue::from("Gamma"), JsValue::from("https://gamma.org/x")]);
    assert_eq!(js_sys::Array::from(&row(1, "partnerPopulations")).to_vec(), [JsValue::from("All accounts")]);
    assert_eq!(js_sys::Array::from(&row(1, "matchedOn")).to_vec(), [JsValue::from("domain")]);
    assert_eq!(row(1, "confidence"), "high");
    assert_eq!(report.cell_rows(0, 0).unwrap_or_else(|_| panic!("cell")), vec![0, 2]);
    assert!(report.cell_rows(1, 0).is_err());
    // The partner's set is counted in protocol elements, as in the private protocol: three domains
    // and, for each city-less name, its two place tokens (docs/PROTOCOL.md §3).
    assert_eq!(field(&report.summary(), "partnerSetSize"), JsValue::from(9));
    let csv = String::from_utf8(report.to_csv(&a, None).unwrap_or_else(|_| panic!("csv"))).unwrap();
    assert!(csv.starts_with("\u{feff}Name,Website,overlap_partner_populations"), "{csv}");
    let crm = report.to_csv(&a, Some("crm".into())).unwrap_or_else(|_| panic!("csv"));
    assert_eq!(crm, csv.as_bytes()[3..], "crm: the same without the BOM");
    assert!(report.matrix_csv(Some("json".into())).is_err());
    assert!(csv.contains("Gamma,https://gamma.org/x,All accounts,domain,high"), "{csv}");
    assert!(field(&answered, "report").is_object());
}

#[wasm_bindgen_test]
fn errors_carry_codes_and_no_values() {
    let err = Dataset::new(b"Phone,Notes\n555-0100,SecretCorp rocks\n", JsValue::UNDEFINED).err().unwrap();
    assert_eq!(code(&err), "ingest");
    assert!(!message(&err).contains("SecretCorp"));

    let a = dataset("Website\nacme.com\n");
    let started = quick_start(&a, SECRET).unwrap_or_else(|_| panic!("start"));
    let first = bytes(field(&started, "message"));
    let err = quick_answer(&a, "plaza-venom-ninth-gravy-ounce-lapel", &first).err().unwrap();
    assert_eq!(code(&err), "message/wrong_secret");
    assert!(message(&err).contains("different shared secret"));

    let session = field(&started, "session").as_string().unwrap();
    let err = quick_finish(&a, SECRET, &session, &first).err().unwrap();
    assert_eq!(code(&err), "message/wrong_role");
    let err = quick_finish(&a, SECRET, &session, b"not a message").err().unwrap();
    assert!(message(&err).contains("not an overlap message"), "{}", message(&err));
    let err = quick_finish(&a, SECRET, "not hex", &first).err().unwrap();
    assert_eq!(code(&err), "options");

    let err = quick_start(&a, "short").err().unwrap();
    assert_eq!(code(&err), "secret/too_short");
    let err = quick_start(&a, "Password2024!").err().unwrap();
    assert_eq!(code(&err), "secret/weak");
    assert!(!message(&err).contains("Password2024"));
    let check = check_secret("Password2024!");
    assert_eq!(field(&check, "ok"), JsValue::FALSE);
    let suggested = suggest_secret().unwrap_or_else(|_| panic!("suggest"));
    assert_eq!(field(&check_secret(&suggested), "ok"), JsValue::TRUE);
}

/// The normalization vectors (tests/vectors/normalization.json) give the same keys in wasm as natively.
const VECTORS: &str = include_str!("../../../../tests/vectors/normalization.json");

#[wasm_bindgen_test]
fn vectors_in_wasm() {
    let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(v["version"], overlap::normalize::VERSION);
    let cases = v["cases"].as_array().unwrap();
    let mut failures = 0;
    for c in cases {
        let (kind, input) = (c["kind"].as_str().unwrap(), c["input"].as_str().unwrap());
        let got =
            if kind == "name_key" { name_key(input, c["country"].as_str()) } else { kind.parse::<Kind>().unwrap().apply(input) }
                .map_err(|r| r.code().to_string());
        let want = match c.get("expect") {
            Some(e) => Ok(e.as_str().unwrap().to_string()),
            None => Err(c["refusal"].as_str().unwrap().to_string()),
        };
        if got != want {
            failures += 1;
            console_log!("[{}] {kind}: got {got:?}, want {want:?}", c["rule"]);
        }
    }
    assert_eq!(failures, 0, "{failures} of {} vectors fail in wasm", cases.len());
}

/// The curve work with random-looking scalars gives the native build's bytes
/// (tests/vectors/ristretto.json, made by tests/ristretto.rs). In wasm the vendored dalek forms
/// field products with SIMD (vendor/curve25519-dalek/OVERLAP.md): this is where it is checked
/// against upstream's code, in each engine.
#[wasm_bindgen_test]
fn scalar_multiplications_agree_with_the_native_build() {
    use overlap::protocol::group::{blind, hash_and_blind, SecretScalar};
    // Without SIMD the vendored dalek compiles upstream's multiplication: nothing new to check.
    assert!(cfg!(target_feature = "simd128"), "the wasm tests must be built with +simd128 (scripts/wasm-cargo)");
    let vectors: serde_json::Value = serde_json::from_str(include_str!("../../../../tests/vectors/ristretto.json")).unwrap();
    let unhex = |v: &serde_json::Value| -> Vec<u8> {
        let s = v.as_str().unwrap();
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    };
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 48);
    for (i, c) in cases.iter().enumerate() {
        let scalar: [u8; 32] = unhex(&c["scalar"]).try_into().unwrap();
        let s = SecretScalar::from_bytes(&scalar).unwrap();
        let key = unhex(&c["key"]);
        let mut hashed = Vec::new();
        hash_and_blind(&s, &key, &[0, key.len() as u32], &mut hashed);
        assert_eq!(hashed, unhex(&c["hashed"]), "case {i}: H(key)^scalar");
        let mut blinded = Vec::new();
        blind(&s, &unhex(&c["point"]), 0, &mut blinded).unwrap();
        assert_eq!(blinded, unhex(&c["blinded"]), "case {i}: point^scalar");
    }
    console_log!("{} scalar multiplications agree with the native build", cases.len() * 2);
}
