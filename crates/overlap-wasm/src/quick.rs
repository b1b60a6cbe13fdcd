//! Quick mode (keyed hashes under a shared secret, docs/PROTOCOL.md §6) and the secret's checks.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use overlap::protocol::{passphrase, quick};

use crate::interop::{bytes, error, from_hex16, hex, quick_error, secret_error, set};
use crate::{Dataset, Report};

fn shared_secret(s: &str) -> Result<quick::Secret, JsValue> {
    quick::Secret::new(s).map_err(secret_error)
}

/// How strong a typed secret is: `{ ok, bits, minBits, minLength, weaknesses, code?, message? }`
/// (never quoting it), for the page to say why before anything is derived.
#[wasm_bindgen(js_name = checkSecret)]
pub fn check_secret(secret: &str) -> JsValue {
    let o = Object::new();
    let e = passphrase::estimate(secret);
    let result = passphrase::check(secret);
    set(&o, "ok", result.is_ok());
    set(&o, "bits", e.bits.max(0.0).floor());
    set(&o, "minBits", passphrase::MIN_BITS);
    set(&o, "minLength", passphrase::MIN_CHARS as u32);
    set(&o, "weaknesses", e.weaknesses.iter().map(|w| JsValue::from_str(w.code())).collect::<js_sys::Array>());
    if let Err(err) = result {
        set(&o, "code", format!("secret/{}", err.code()));
        set(&o, "message", err.to_string());
    }
    o.into()
}

/// A strong secret to read to the partner: six short words from the platform's CSPRNG.
#[wasm_bindgen(js_name = suggestSecret)]
pub fn suggest_secret() -> Result<String, JsValue> {
    passphrase::suggest().map_err(|_| error("randomness", "this platform gave no secure randomness"))
}

/// Quick mode, first partner: a fresh session and my list for it, `{ message, session }`
/// (`session`: 32 hex characters to keep until the answer comes; not secret).
#[wasm_bindgen(js_name = quickStart)]
pub fn quick_start(dataset: &Dataset, secret: &str) -> Result<JsValue, JsValue> {
    let started = quick::start(&dataset.inner, &shared_secret(secret)?).map_err(quick_error)?;
    let o = Object::new();
    set(&o, "message", bytes(&started.message));
    set(&o, "session", hex(&started.session));
    Ok(o.into())
}

/// Quick mode, second partner: checks the first partner's list, makes mine for its session and
/// matches, `{ message, report }`.
#[wasm_bindgen(js_name = quickAnswer)]
pub fn quick_answer(dataset: &Dataset, secret: &str, first: &[u8]) -> Result<JsValue, JsValue> {
    let a = quick::answer(&dataset.inner, &shared_secret(secret)?, first, quick::DEFAULT_MAX_PARTNER_SET).map_err(quick_error)?;
    let o = Object::new();
    set(&o, "message", bytes(&a.message));
    set(&o, "report", Report { inner: a.report });
    Ok(o.into())
}

/// Quick mode, first partner: matches the answer to the session I started.
#[wasm_bindgen(js_name = quickFinish)]
pub fn quick_finish(dataset: &Dataset, secret: &str, session: &str, second: &[u8]) -> Result<Report, JsValue> {
    let session = from_hex16(session)
        .ok_or_else(|| error("options", "session must be the 32 hexadecimal characters quickStart returned"))?;
    quick::finish(&dataset.inner, &shared_secret(secret)?, &session, second, quick::DEFAULT_MAX_PARTNER_SET)
        .map(|inner| Report { inner })
        .map_err(quick_error)
}
