//! The normalization vectors and a throughput check, run in the wasm build (Node, by
//! wasm-bindgen-test-runner): the same rules must give the same keys in the browser as natively.
//!
//! ```sh
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   scripts/wasm-cargo test --release --test wasm_normalize
//! ```
#![cfg(target_arch = "wasm32")]

use overlap::normalize::{name_key, Kind};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

const VECTORS: &str = include_str!("vectors/normalization.json");

#[wasm_bindgen_test]
fn vectors_in_wasm() {
    let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(v["version"], overlap::normalize::VERSION);
    let cases = v["cases"].as_array().unwrap();
    let mut failures = 0;
    for c in cases {
        let (kind, input) = (c["kind"].as_str().unwrap(), c["input"].as_str().unwrap());
        let got = if kind == "name_key" {
            name_key(input, c["country"].as_str())
        } else {
            kind.parse::<Kind>().unwrap().apply(input)
        }
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

#[wasm_bindgen_test]
fn domain_throughput_in_wasm() {
    let suffixes = ["com", "co.uk", "de", "fr", "co.jp", "github.io", "com.au"];
    let inputs: Vec<String> = (0..100_000u32)
        .map(|i| {
            let w: String = (0..(4 + i % 8)).map(|j| (b'a' + ((i * 7 + j * 13) % 26) as u8) as char).collect();
            let pre = ["", "https://", "http://www.", "HTTPS://WWW."][(i % 4) as usize];
            let post = ["", "/", "/about?x=1", ":443/"][(i / 4 % 4) as usize];
            format!("{pre}{w}.{}{post}", suffixes[(i % 7) as usize])
        })
        .collect();
    let _ = Kind::Domain.apply(&inputs[0]); // lazy tables
    let start = js_sys::Date::now();
    let mut ok = 0;
    for s in &inputs {
        ok += Kind::Domain.apply(s).is_ok() as usize;
    }
    let ms = js_sys::Date::now() - start;
    let rate = inputs.len() as f64 / (ms / 1000.0);
    console_log!(
        "{{\"bench\":\"normalize-wasm\",\"kind\":\"domain\",\"values\":{},\"ms\":{ms},\"values_per_sec\":{rate:.0}}}",
        inputs.len()
    );
    assert_eq!(ok, inputs.len());
}
