//! Test bodies shared by the wasm test crates (`wasm_node.rs` runs them in Node,
//! `wasm_browser.rs` in headless Chromium). They go through the facade, as JavaScript would.

use overlap::wasm::{quick_list, quick_match, Dataset};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn dataset(csv: &str) -> Dataset {
    Dataset::new(csv.as_bytes(), JsValue::UNDEFINED).unwrap_or_else(|_| panic!("dataset"))
}

fn code(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"code".into()).ok().and_then(|c| c.as_string()).unwrap_or_default()
}

fn message(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into()).ok().and_then(|c| c.as_string()).unwrap_or_default()
}

#[wasm_bindgen_test]
fn quick_match_through_the_facade() {
    let a = dataset("Name,Website\nAcme,acme.com\nBeta,beta.io\nGamma,https://gamma.org/x\n");
    let b = dataset("Company,Domain\nACME,www.acme.com\nGamma,gamma.org\nDelta,delta.de\n");
    let msg = quick_list(&b, "shared secret").unwrap_or_else(|_| panic!("list"));
    let report = quick_match(&a, "shared secret", &msg).unwrap_or_else(|_| panic!("match"));
    assert_eq!(report.match_rows(), vec![0, 2]);
    assert_eq!(report.partner_set_size(), 3);
    let csv = String::from_utf8(report.to_csv(&a)).unwrap();
    assert!(csv.starts_with("Name,Website,overlap_partner_populations"), "{csv}");
    assert!(csv.contains("Gamma,https://gamma.org/x,All accounts,domain,high"), "{csv}");
}

#[wasm_bindgen_test]
fn errors_carry_codes_and_no_values() {
    let err = Dataset::new(b"Name,Phone\nSecretCorp,555\n", JsValue::UNDEFINED).err().unwrap();
    assert_eq!(code(&err), "ingest");
    assert!(!message(&err).contains("SecretCorp"));

    let a = dataset("Website\nacme.com\n");
    let msg = quick_list(&a, "secret one").unwrap_or_else(|_| panic!("list"));
    let err = quick_match(&a, "secret two", &msg).err().unwrap();
    assert_eq!(code(&err), "message");
    assert!(message(&err).contains("different shared secret"));

    let err = quick_match(&a, "secret one", b"not a message").err().unwrap();
    assert!(message(&err).contains("not an overlap message"), "{}", message(&err));

    let err = quick_list(&a, "short").err().unwrap();
    assert_eq!(code(&err), "secret");
}
