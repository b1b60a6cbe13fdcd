//! The wasm build's tests, run in headless Chromium through chromedriver (`make test-wasm`).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod wasm_common;
