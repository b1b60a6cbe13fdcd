//! The wasm-bindgen facade: converts types and errors between JavaScript and the core, nothing
//! else. Whole files and whole messages cross the boundary as byte buffers, never one call per row.
//!
//! Every error reaches JavaScript as an `Error` whose `name` is `OverlapError` and whose `code`
//! is a stable string (`ingest`, `message`, `secret`, `options`, …); messages never quote a value
//! from the user's data.

use std::fmt::Display;

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use crate::ingest::{self, Field};
use crate::normalize;
use crate::protocol::quick;
use crate::report;

fn error(code: &str, message: impl Display) -> JsValue {
    let e = js_sys::Error::new(&message.to_string());
    e.set_name("OverlapError");
    let _ = Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    if !obj.is_object() {
        return None;
    }
    Reflect::get(obj, &key.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn parse_options(options: &JsValue) -> Result<ingest::Options, JsValue> {
    let mut o = ingest::Options::default();
    if let Some(cols) = get(options, "columns") {
        let keys = js_sys::Object::keys(&cols.into());
        let cols_obj = get(options, "columns").unwrap_or(JsValue::NULL);
        for k in keys.iter() {
            let name = k.as_string().unwrap_or_default();
            let field = match name.as_str() {
                "website" => Field::Website,
                _ => return Err(error("options", format!("unknown column field \"{name}\""))),
            };
            let header = get(&cols_obj, &name)
                .and_then(|v| v.as_string())
                .ok_or_else(|| error("options", format!("columns.{name} must be a header name")))?;
            o.columns.push((field, header));
        }
    }
    Ok(o)
}

/// The version of the normalization rules this build applies.
#[wasm_bindgen(js_name = normalizationVersion)]
pub fn normalization_version() -> String {
    normalize::VERSION.to_string()
}

/// A CRM export, read: rows, their keys and populations. Nothing of it leaves the instance.
#[wasm_bindgen]
pub struct Dataset {
    inner: ingest::Dataset,
}

#[wasm_bindgen]
impl Dataset {
    /// Reads a whole export from its bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(csv: &[u8], options: JsValue) -> Result<Dataset, JsValue> {
        let options = parse_options(&options)?;
        ingest::read(csv, &options).map(|inner| Dataset { inner }).map_err(|e| error("ingest", e))
    }

    /// Data rows in the file.
    #[wasm_bindgen(getter, js_name = rowCount)]
    pub fn row_count(&self) -> usize {
        self.inner.row_count()
    }

    /// Distinct keys (elements) the file gives.
    #[wasm_bindgen(getter, js_name = keyCount)]
    pub fn key_count(&self) -> usize {
        self.inner.keys().len()
    }

    /// The header row.
    #[wasm_bindgen(getter)]
    pub fn headers(&self) -> Array {
        self.inner.headers().iter().map(|h| JsValue::from_str(h)).collect()
    }

    /// Rows that give no key, as `{line, reason}` objects.
    #[wasm_bindgen(getter)]
    pub fn issues(&self) -> Array {
        self.inner
            .issues()
            .iter()
            .map(|i| {
                let o = js_sys::Object::new();
                let _ = Reflect::set(&o, &"line".into(), &(i.line as f64).into());
                let _ = Reflect::set(&o, &"reason".into(), &i.reason.as_str().into());
                JsValue::from(o)
            })
            .collect()
    }

    /// The original cells of row `i`.
    pub fn row(&self, i: usize) -> Result<Array, JsValue> {
        if i >= self.inner.row_count() {
            return Err(error("range", format!("row {i} is out of range")));
        }
        Ok(self.inner.row_fields(i).iter().map(|c| JsValue::from_str(c)).collect())
    }
}

/// My list keyed under the shared secret (quick mode), as a message for the partner.
#[wasm_bindgen(js_name = quickList)]
pub fn quick_list(dataset: &Dataset, secret: &str) -> Result<Vec<u8>, JsValue> {
    let s = quick::Secret::new(secret.as_bytes()).map_err(|e| error("secret", e))?;
    Ok(quick::make_list(&dataset.inner, &s))
}

/// Matches my dataset against the partner's quick-mode list.
#[wasm_bindgen(js_name = quickMatch)]
pub fn quick_match(dataset: &Dataset, secret: &str, partner: &[u8]) -> Result<Report, JsValue> {
    let s = quick::Secret::new(secret.as_bytes()).map_err(|e| error("secret", e))?;
    quick::match_list(&dataset.inner, &s, partner, quick::DEFAULT_MAX_PARTNER_SET)
        .map(|inner| Report { inner })
        .map_err(|e| error("message", e))
}

/// One partner's result.
#[wasm_bindgen]
pub struct Report {
    inner: report::Report,
}

#[wasm_bindgen]
impl Report {
    /// My overlapping rows.
    #[wasm_bindgen(getter, js_name = matchCount)]
    pub fn match_count(&self) -> usize {
        self.inner.matches.len()
    }

    /// Distinct elements in the intersection.
    #[wasm_bindgen(getter, js_name = matchedElements)]
    pub fn matched_elements(&self) -> usize {
        self.inner.matched_elements
    }

    /// Rows in my file.
    #[wasm_bindgen(getter, js_name = myRows)]
    pub fn my_rows(&self) -> usize {
        self.inner.my_rows
    }

    /// Distinct elements the partner sent.
    #[wasm_bindgen(getter, js_name = partnerSetSize)]
    pub fn partner_set_size(&self) -> usize {
        self.inner.partner_set_size
    }

    /// Row indices of my overlapping rows.
    #[wasm_bindgen(getter, js_name = matchRows)]
    pub fn match_rows(&self) -> Vec<u32> {
        self.inner.matches.iter().map(|m| m.row).collect()
    }

    /// Warnings for the user.
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Array {
        self.inner.warnings.iter().map(|w| JsValue::from_str(w)).collect()
    }

    /// My overlapping rows as CSV bytes (formula cells escaped).
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self, dataset: &Dataset) -> Vec<u8> {
        self.inner.to_csv(&dataset.inner)
    }
}
