//! The wasm build's tests, run in Node by wasm-bindgen-test-runner (`make test-wasm`).
#![cfg(target_arch = "wasm32")]

mod wasm_common;
