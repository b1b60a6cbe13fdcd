//! The wasm-bindgen facade: converts types and errors between JavaScript and the core, nothing
//! else. Whole files and whole messages cross the boundary as byte buffers, never one call per row.
//!
//! Every error reaches JavaScript as an `Error` whose `name` is `OverlapError` and whose `code`
//! is a stable string (`ingest`, `message`, `secret`, `options`, …); messages never quote a value
//! from the user's data.

use std::fmt::Display;

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use overlap::ingest::{self, Field};
use overlap::normalize;
use overlap::protocol::{self, group, quick, ProtocolError, Sharing};
use overlap::report;

fn error(code: &str, message: impl Display) -> JsValue {
    let e = js_sys::Error::new(&message.to_string());
    e.set_name("OverlapError");
    let _ = Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

/// A protocol error; faults about one element (invalid point, duplicate) also carry its `index`.
fn protocol_error(e: ProtocolError) -> JsValue {
    let index = match &e {
        ProtocolError::Message(
            protocol::MessageError::InvalidPoint { index } | protocol::MessageError::DuplicateElement { index },
        ) => Some(*index),
        _ => None,
    };
    let js = error(&e.code(), e);
    if let Some(i) = index {
        let _ = Reflect::set(&js, &"index".into(), &(i as f64).into());
    }
    js
}

fn set(obj: &js_sys::Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &key.into(), &value.into());
}

fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    if !obj.is_object() {
        return None;
    }
    Reflect::get(obj, &key.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn js_strings(v: &JsValue, what: &str) -> Result<Vec<String>, JsValue> {
    if let Some(one) = v.as_string() {
        return Ok(vec![one]);
    }
    let arr: Array = v.clone().dyn_into().map_err(|_| error("options", format!("{what} must be a string or an array of strings")))?;
    arr.iter()
        .map(|x| x.as_string().ok_or_else(|| error("options", format!("{what} must be a string or an array of strings"))))
        .collect()
}

/// Reading options from a plain object:
/// `{ delimiter, encoding, header, columns: { website: 'Website URL', email: ['E1', 'E2'] },
///    populations: [{ name, column, values } | { name, all: true } | { name, rest: true }],
///    nameKeys: 'always'|'fallback'|'never', maxRows, maxBytes, sizeHint }`.
fn parse_options(options: &JsValue) -> Result<ingest::Options, JsValue> {
    let mut o = ingest::Options::new();
    if let Some(d) = get(options, "delimiter") {
        let d = d.as_string().unwrap_or_default();
        let byte = match d.as_str() {
            "," | "comma" => b',',
            ";" | "semicolon" => b';',
            "\t" | "tab" => b'\t',
            "|" | "pipe" => b'|',
            _ => return Err(error("options", "delimiter must be one of , ; tab |")),
        };
        o.delimiter(Some(byte));
    }
    if let Some(e) = get(options, "encoding") {
        let label = e.as_string().unwrap_or_default();
        let enc = label.parse::<ingest::Encoding>().map_err(|_| {
            error("options", "encoding must be utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252")
        })?;
        o.encoding(Some(enc));
    }
    if let Some(h) = get(options, "header") {
        o.header(h.as_bool());
    }
    if let Some(cols) = get(options, "columns") {
        for k in js_sys::Object::keys(&cols.clone().into()).iter() {
            let name = k.as_string().unwrap_or_default();
            let field: Field = name.parse().map_err(|_| {
                error("options", format!("columns: unknown field \"{name}\" (website, domain, email, name, country, duns, linkedin, population)"))
            })?;
            let v = get(&cols, &name).unwrap_or(JsValue::from_str(""));
            for header in js_strings(&v, &format!("columns.{name}"))? {
                o.column(field, header);
            }
        }
    }
    if let Some(rules) = get(options, "populations") {
        let arr: Array = rules.dyn_into().map_err(|_| error("options", "populations must be an array of rules"))?;
        let mut out = Vec::new();
        for (i, r) in arr.iter().enumerate() {
            let name = get(&r, "name")
                .and_then(|n| n.as_string())
                .ok_or_else(|| error("options", format!("populations[{i}] needs a name")))?;
            let rule = if get(&r, "all").and_then(|v| v.as_bool()) == Some(true) {
                ingest::PopulationRule::all(name)
            } else if get(&r, "rest").and_then(|v| v.as_bool()) == Some(true) {
                ingest::PopulationRule::rest(name)
            } else {
                let column = get(&r, "column")
                    .and_then(|c| c.as_string())
                    .ok_or_else(|| error("options", format!("populations[{i}] needs a column (or all/rest)")))?;
                let values = js_strings(&get(&r, "values").unwrap_or(Array::new().into()), &format!("populations[{i}].values"))?;
                ingest::PopulationRule::values(name, column, values)
            };
            out.push(rule);
        }
        o.populations(Some(out));
    }
    if let Some(p) = get(options, "nameKeys") {
        let policy = p
            .as_string()
            .and_then(|s| s.parse::<ingest::NamePolicy>().ok())
            .ok_or_else(|| error("options", "nameKeys must be always, fallback or never"))?;
        o.name_keys(policy);
    }
    let num = |key: &str| -> Result<Option<f64>, JsValue> {
        match get(options, key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(Some)
                .ok_or_else(|| error("options", format!("{key} must be a non-negative number"))),
        }
    };
    if let Some(n) = num("maxRows")? {
        o.max_rows(n as u64);
    }
    if let Some(n) = num("maxBytes")? {
        o.max_bytes(n as u64);
    }
    if let Some(n) = num("sizeHint")? {
        o.size_hint(Some(n as u64));
    }
    Ok(o)
}

fn mapping_js(m: &ingest::Mapping) -> Array {
    m.choices
        .iter()
        .map(|c| {
            let o = js_sys::Object::new();
            set(&o, "field", c.field.as_str());
            set(&o, "column", c.column as u32);
            set(&o, "header", c.header.as_str());
            set(&o, "confidence", c.confidence as f64);
            set(&o, "basis", c.basis.as_str());
            JsValue::from(o)
        })
        .collect()
}

fn column_values_js(v: &ingest::ColumnValues) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "column", v.column as u32);
    set(&o, "header", v.header.as_str());
    let values: Array = v
        .values
        .iter()
        .map(|(value, n)| {
            let x = js_sys::Object::new();
            set(&x, "value", value.as_str());
            set(&x, "rows", *n as f64);
            JsValue::from(x)
        })
        .collect();
    set(&o, "values", values);
    set(&o, "more", v.more as f64);
    o.into()
}

fn rules_js(rules: &[ingest::PopulationRule]) -> Array {
    rules
        .iter()
        .map(|r| {
            let o = js_sys::Object::new();
            set(&o, "name", r.name.as_str());
            match &r.select {
                ingest::populations::Select::All => set(&o, "all", true),
                ingest::populations::Select::Rest => set(&o, "rest", true),
                ingest::populations::Select::Values { column, values } => {
                    set(&o, "column", column.as_str());
                    set(&o, "values", values.iter().map(|v| JsValue::from_str(v)).collect::<Array>());
                }
            }
            JsValue::from(o)
        })
        .collect()
}

fn preview_js(p: &ingest::Preview) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "encoding", p.encoding.label());
    set(&o, "delimiter", ingest::delimiter_name(p.delimiter));
    set(&o, "hasHeader", p.has_header);
    set(&o, "headers", p.headers.iter().map(|h| JsValue::from_str(h)).collect::<Array>());
    set(
        &o,
        "rows",
        p.rows.iter().map(|r| r.iter().map(|c| JsValue::from_str(c)).collect::<Array>()).collect::<Array>(),
    );
    set(&o, "mapping", mapping_js(&p.mapping));
    set(&o, "notes", p.mapping.notes.iter().map(|n| JsValue::from_str(n)).collect::<Array>());
    set(&o, "populationColumns", p.population_columns.iter().map(column_values_js).collect::<Array>());
    set(&o, "rules", rules_js(&p.rules));
    o.into()
}

/// A CSV flavour by name: `excel` (also when absent) or `crm`.
fn csv_flavour(name: Option<String>) -> Result<overlap::csv_out::Flavour, JsValue> {
    name.map_or(Ok(overlap::csv_out::Flavour::Excel), |n| {
        n.parse().map_err(|_| error("options", "the CSV flavour must be excel or crm"))
    })
}

fn ingest_error(e: ingest::IngestError) -> JsValue {
    error("ingest", e)
}

/// What the reader would do with a file, from its first bytes (`SNIFF_BYTES` are enough):
/// encoding, delimiter, headers, first rows, the column mapping with confidences, candidate
/// population columns with their values, and the population rules.
#[wasm_bindgen]
pub fn preview(first_bytes: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    let o = parse_options(&options)?;
    ingest::sniff(first_bytes, &o).map(|p| preview_js(&p)).map_err(ingest_error)
}

/// How many first bytes `preview` looks at.
#[wasm_bindgen(js_name = previewBytes)]
pub fn preview_bytes() -> usize {
    ingest::SNIFF_BYTES
}

/// A streaming read: `feed` chunks (e.g. from `File.stream()`), then `finish` for the dataset.
#[wasm_bindgen]
pub struct Ingest {
    inner: Option<ingest::Ingest>,
}

fn progress_js(p: ingest::Progress) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "bytes", p.bytes as f64);
    set(&o, "rows", p.rows as f64);
    o.into()
}

#[wasm_bindgen]
impl Ingest {
    /// Starts a read with the given options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Ingest, JsValue> {
        Ok(Ingest { inner: Some(ingest::Ingest::new(parse_options(&options)?)) })
    }
    fn live(&mut self) -> Result<&mut ingest::Ingest, JsValue> {
        self.inner.as_mut().ok_or_else(|| error("state", "this read is finished"))
    }
    /// Takes the next chunk of bytes; returns `{bytes, rows}` so far.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<JsValue, JsValue> {
        let r = self.live()?.feed(chunk);
        match r {
            Ok(p) => Ok(progress_js(p)),
            Err(e) => {
                self.inner = None;
                Err(ingest_error(e))
            }
        }
    }
    /// The preview, once enough bytes were fed.
    pub fn preview(&mut self) -> Result<JsValue, JsValue> {
        Ok(self.live()?.preview().map(preview_js).unwrap_or(JsValue::UNDEFINED))
    }
    /// Ends the read and returns the dataset.
    pub fn finish(&mut self) -> Result<Dataset, JsValue> {
        let i = self.inner.take().ok_or_else(|| error("state", "this read is finished"))?;
        i.finish().map(|inner| Dataset { inner }).map_err(ingest_error)
    }
}

fn parse_settings(options: &JsValue) -> Result<protocol::Settings, JsValue> {
    let mut s = protocol::Settings::default();
    if let Some(v) = get(options, "sharing") {
        let name = v.as_string().unwrap_or_default();
        s.sharing = Sharing::parse(&name)
            .ok_or_else(|| error("options", format!("sharing must be counts, overlaps or fields, not \"{name}\"")))?;
    }
    if let Some(v) = get(options, "fields") {
        let arr: Array = v.dyn_into().map_err(|_| error("options", "fields must be an array of column names"))?;
        s.fields = arr
            .iter()
            .map(|f| f.as_string().ok_or_else(|| error("options", "fields must be an array of column names")))
            .collect::<Result<_, _>>()?;
    }
    let num = |key: &str| -> Result<Option<f64>, JsValue> {
        match get(options, key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(Some)
                .ok_or_else(|| error("options", format!("{key} must be a non-negative number"))),
        }
    };
    if let Some(n) = num("maxPartnerSet")? {
        s.max_partner_set = n as usize;
    }
    if let Some(n) = num("minPopulation")? {
        s.min_population = n as u32;
    }
    if let Some(n) = num("maxPopulations")? {
        s.max_populations = n as usize;
    }
    Ok(s)
}

/// Normalizes one value of `kind` (`domain|email|name|country|duns|linkedin`).
///
/// Throws an error whose `code` is the refusal code (e.g. `placeholder`), or `unknown_kind`.
#[wasm_bindgen]
pub fn normalize(kind: &str, value: &str) -> Result<String, JsValue> {
    normalize::normalize(kind, value).map_err(|e| error(e.code(), e))
}

/// Normalizes many values of one kind in one call: one result per input, `""` when refused.
#[wasm_bindgen(js_name = normalizeBatch)]
pub fn normalize_batch(kind: &str, values: Vec<String>) -> Result<Vec<String>, JsValue> {
    let k: normalize::Kind = kind.parse().map_err(|e: normalize::NormalizeError| error(e.code(), e))?;
    Ok(values.iter().map(|v| k.apply(v).unwrap_or_default()).collect())
}

/// The value of a `name:` key: canonical company name and ISO country code.
#[wasm_bindgen(js_name = nameKey)]
pub fn name_key(name: &str, country: Option<String>) -> Result<String, JsValue> {
    normalize::name_key(name, country.as_deref()).map_err(|r| error(r.code(), r))
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

    /// Notices about rows (not used, duplicates folded, warnings), as `{line, row, kind, reason}`.
    #[wasm_bindgen(getter)]
    pub fn issues(&self) -> Array {
        self.inner
            .issues()
            .iter()
            .map(|i| {
                let o = js_sys::Object::new();
                set(&o, "line", i.line as f64);
                set(&o, "row", i.row);
                set(&o, "kind", i.kind.code());
                set(&o, "reason", i.reason());
                JsValue::from(o)
            })
            .collect()
    }

    /// The notices as CSV bytes (`line,kind,reason`; never a cell value), for `flavour`
    /// (`excel`, the default, or `crm`).
    #[wasm_bindgen(js_name = issuesCsv)]
    pub fn issues_csv(&self, flavour: Option<String>) -> Result<Vec<u8>, JsValue> {
        Ok(self.inner.issues_csv_for(csv_flavour(flavour)?))
    }

    /// What happened to the file, in numbers: rows, usable and bad rows, duplicates folded,
    /// elements (by kind), encoding, delimiter, the columns used, populations with their counts.
    #[wasm_bindgen(getter)]
    pub fn summary(&self) -> JsValue {
        let s = self.inner.summary();
        let o = js_sys::Object::new();
        set(&o, "rows", s.rows as f64);
        set(&o, "usableRows", s.usable_rows as f64);
        set(&o, "badRows", s.bad_rows as f64);
        set(&o, "outsidePopulations", s.outside_populations as f64);
        set(&o, "duplicatesFolded", s.duplicates_folded as f64);
        set(&o, "warnings", s.warnings as f64);
        set(&o, "elements", s.elements as f64);
        let by_kind = js_sys::Object::new();
        for (k, n) in overlap::keys::KeyKind::ALL.iter().zip(s.elements_by_kind) {
            set(&by_kind, k.as_str(), n as f64);
        }
        set(&o, "elementsByKind", by_kind);
        set(&o, "encoding", s.encoding.label());
        set(&o, "delimiter", ingest::delimiter_name(s.delimiter));
        set(&o, "replacedCharacters", s.replaced_characters as f64);
        set(&o, "mapping", mapping_js(&s.mapping));
        set(&o, "notes", s.mapping.notes.iter().map(|n| JsValue::from_str(n)).collect::<Array>());
        set(&o, "nameKeys", s.name_keys.as_str());
        let pops: Array = s
            .populations
            .iter()
            .map(|p| {
                let x = js_sys::Object::new();
                set(&x, "name", p.name.as_str());
                set(&x, "rows", p.rows as f64);
                set(&x, "elements", p.elements as f64);
                JsValue::from(x)
            })
            .collect();
        set(&o, "populations", pops);
        o.into()
    }

    /// The distinct values of column `column` (0-based) with their row counts, most frequent
    /// first (capped), to map values to populations.
    #[wasm_bindgen(js_name = columnValues)]
    pub fn column_values(&self, column: usize) -> Result<JsValue, JsValue> {
        if column >= self.inner.headers().len() {
            return Err(error("range", format!("column {column} is out of range")));
        }
        Ok(column_values_js(&self.inner.column_values(column)))
    }

    /// Population names, in bit order.
    #[wasm_bindgen(getter)]
    pub fn populations(&self) -> Array {
        self.inner.populations().iter().map(|p| JsValue::from_str(p)).collect()
    }

    /// The original cells of row `i`.
    pub fn row(&self, i: usize) -> Result<Array, JsValue> {
        if i >= self.inner.row_count() {
            return Err(error("range", format!("row {i} is out of range")));
        }
        Ok(self.inner.row_fields(i).iter().map(|c| JsValue::from_str(c)).collect())
    }

    /// The 1-based line where row `i` starts.
    #[wasm_bindgen(js_name = rowLine)]
    pub fn row_line(&self, i: usize) -> Result<f64, JsValue> {
        if i >= self.inner.row_count() {
            return Err(error("range", format!("row {i} is out of range")));
        }
        Ok(self.inner.row_line(i) as f64)
    }
}

// ---- quick mode ----

fn secret_error(e: protocol::passphrase::SecretError) -> JsValue {
    let js = error(&format!("secret/{}", e.code()), &e);
    if let protocol::passphrase::SecretError::Weak { weaknesses, .. } = &e {
        let list: Array = weaknesses.iter().map(|w| JsValue::from_str(w.code())).collect();
        let _ = Reflect::set(&js, &"weaknesses".into(), &list);
    }
    js
}

fn quick_error(e: quick::QuickError) -> JsValue {
    let index = match &e {
        quick::QuickError::Message(protocol::MessageError::DuplicateElement { index }) => Some(*index),
        _ => None,
    };
    let js = error(&e.code(), &e);
    if let Some(i) = index {
        let _ = Reflect::set(&js, &"index".into(), &(i as f64).into());
    }
    js
}

fn quick_secret(secret: &str) -> Result<quick::Secret, JsValue> {
    quick::Secret::new(secret).map_err(secret_error)
}

fn session_hex(s: &quick::SessionId) -> String {
    s.iter().map(|b| format!("{b:02x}")).collect()
}

fn session_from_hex(s: &str) -> Result<quick::SessionId, JsValue> {
    let bad = || error("options", "session must be the 32 hexadecimal characters quickStart returned");
    let b = s.as_bytes();
    if b.len() != 32 {
        return Err(bad());
    }
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        let d = |c: u8| (c as char).to_digit(16).ok_or_else(bad);
        *o = (d(b[2 * i])? * 16 + d(b[2 * i + 1])?) as u8;
    }
    Ok(out)
}

/// How strong a typed secret is: `{ ok, bits, minBits, weaknesses, code?, message? }` (never
/// quoting it), for the page to say why before anything is derived.
#[wasm_bindgen(js_name = checkSecret)]
pub fn check_secret(secret: &str) -> JsValue {
    let o = js_sys::Object::new();
    let e = protocol::passphrase::estimate(secret);
    let result = protocol::passphrase::check(secret);
    set(&o, "ok", result.is_ok());
    set(&o, "bits", e.bits.max(0.0).floor());
    set(&o, "minBits", protocol::passphrase::MIN_BITS);
    set(&o, "minLength", protocol::passphrase::MIN_CHARS as u32);
    let list: Array = e.weaknesses.iter().map(|w| JsValue::from_str(w.code())).collect();
    set(&o, "weaknesses", list);
    if let Err(err) = result {
        set(&o, "code", format!("secret/{}", err.code()));
        set(&o, "message", err.to_string());
    }
    o.into()
}

/// A strong secret to read to the partner: six short words from the platform's CSPRNG.
#[wasm_bindgen(js_name = suggestSecret)]
pub fn suggest_secret() -> Result<String, JsValue> {
    protocol::passphrase::suggest().map_err(|_| error("randomness", "this platform gave no secure randomness"))
}

/// Quick mode, first partner: a fresh session and my list for it, `{ message, session }`
/// (`session`: 32 hex characters to keep until the answer comes; not secret).
#[wasm_bindgen(js_name = quickStart)]
pub fn quick_start(dataset: &Dataset, secret: &str) -> Result<JsValue, JsValue> {
    let s = quick_secret(secret)?;
    let started = quick::start(&dataset.inner, &s).map_err(quick_error)?;
    let o = js_sys::Object::new();
    set(&o, "message", js_sys::Uint8Array::from(&started.message[..]));
    set(&o, "session", session_hex(&started.session));
    Ok(o.into())
}

/// Quick mode, second partner: checks the first partner's list, makes mine for its session and
/// matches, `{ message, report }`.
#[wasm_bindgen(js_name = quickAnswer)]
pub fn quick_answer(dataset: &Dataset, secret: &str, first: &[u8]) -> Result<JsValue, JsValue> {
    let s = quick_secret(secret)?;
    let a = quick::answer(&dataset.inner, &s, first, quick::DEFAULT_MAX_PARTNER_SET).map_err(quick_error)?;
    let o = js_sys::Object::new();
    set(&o, "message", js_sys::Uint8Array::from(&a.message[..]));
    set(&o, "report", JsValue::from(Report { inner: a.report }));
    Ok(o.into())
}

/// Quick mode, first partner: matches the answer to the session I started.
#[wasm_bindgen(js_name = quickFinish)]
pub fn quick_finish(dataset: &Dataset, secret: &str, session: &str, second: &[u8]) -> Result<Report, JsValue> {
    let session = session_from_hex(session)?;
    let s = quick_secret(secret)?;
    quick::finish(&dataset.inner, &s, &session, second, quick::DEFAULT_MAX_PARTNER_SET)
        .map(|inner| Report { inner })
        .map_err(quick_error)
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

    /// The summary as a plain object: populations (name, size), matrix, unit (`rows` or
    /// `elements`), sharing levels, partner fields, warnings.
    pub fn summary(&self) -> JsValue {
        let r = &self.inner;
        let o = js_sys::Object::new();
        let pops = |v: &[report::Population]| -> Array {
            v.iter()
                .map(|p| {
                    let x = js_sys::Object::new();
                    set(&x, "name", p.name.as_str());
                    set(&x, "size", p.size);
                    JsValue::from(x)
                })
                .collect()
        };
        set(&o, "myPopulations", pops(&r.my_populations));
        set(&o, "partnerPopulations", pops(&r.partner_populations));
        let matrix: Array = r.matrix.iter().map(|row| row.iter().map(|&c| JsValue::from(c as f64)).collect::<Array>()).collect();
        set(&o, "matrix", matrix);
        set(&o, "unit", match r.matrix_unit {
            report::MatrixUnit::Rows => "rows",
            report::MatrixUnit::Elements => "elements",
        });
        set(&o, "myRows", r.my_rows as f64);
        set(&o, "myElements", r.my_elements as f64);
        set(&o, "partnerSetSize", r.partner_set_size as f64);
        set(&o, "matchedElements", r.matched_elements as f64);
        set(&o, "matchedRows", r.matches.len() as f64);
        if let Some(s) = r.my_sharing {
            set(&o, "mySharing", s.as_str());
        }
        if let Some(s) = r.partner_sharing {
            set(&o, "partnerSharing", s.as_str());
        }
        if let Some(c) = &r.session_code {
            set(&o, "sessionCode", c.as_str());
        }
        set(&o, "partnerFields", r.partner_fields.iter().map(|f| JsValue::from_str(f)).collect::<Array>());
        set(&o, "warnings", r.warnings.iter().map(|w| JsValue::from_str(w)).collect::<Array>());
        o.into()
    }

    /// Partner population bits of each matched row (same order as `matchRows`).
    #[wasm_bindgen(getter, js_name = matchPopulations)]
    pub fn match_populations(&self) -> Vec<u16> {
        self.inner.matches.iter().map(|m| m.partner_populations).collect()
    }

    /// My own population bits of each matched row (same order as `matchRows`).
    #[wasm_bindgen(getter, js_name = matchMyPopulations)]
    pub fn match_my_populations(&self) -> Vec<u16> {
        self.inner.matches.iter().map(|m| m.my_populations).collect()
    }

    /// Key kinds each matched row matched on, as bits (1 domain, 2 duns, 4 linkedin, 8 name).
    #[wasm_bindgen(getter, js_name = matchKinds)]
    pub fn match_kinds(&self) -> Vec<u8> {
        self.inner.matches.iter().map(|m| m.matched_on.0).collect()
    }

    /// The partner's shared values for matched row number `i` (index into `matchRows`): one
    /// array of values per partner row.
    #[wasm_bindgen(js_name = partnerValues)]
    pub fn partner_values(&self, i: usize) -> Array {
        self.inner
            .matches
            .get(i)
            .map(|m| m.partner_values.iter().map(|row| row.iter().map(|v| JsValue::from_str(v)).collect::<Array>()).collect())
            .unwrap_or_default()
    }

    /// The matrix as CSV bytes: my populations as rows, the partner's as columns, for `flavour`
    /// (`excel`, the default, or `crm`).
    #[wasm_bindgen(js_name = matrixCsv)]
    pub fn matrix_csv(&self, flavour: Option<String>) -> Result<Vec<u8>, JsValue> {
        Ok(self.inner.matrix_csv_for(csv_flavour(flavour)?))
    }

    /// My overlapping rows as CSV bytes (formula cells guarded), for `flavour` (`excel`, the
    /// default, or `crm`).
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self, dataset: &Dataset, flavour: Option<String>) -> Result<Vec<u8>, JsValue> {
        Ok(self.inner.to_csv_for(&dataset.inner, csv_flavour(flavour)?))
    }
}

/// One party of the private protocol between messages. Persist it with `toBytes()` (it holds the
/// session's secret scalar, never a value from the data).
#[wasm_bindgen]
pub struct Party {
    inner: protocol::Party,
}

/// A protocol step waiting for its curve work. Run it here with `run(dataset)`, or spread the
/// job over workers (`jobKeys`/`jobKeyOffsets`/`jobPoints` with `hashAndBlind`/`blindPoints`
/// under `scalar()`) and hand the results to `complete`.
#[wasm_bindgen]
pub struct PendingStep {
    inner: Option<protocol::Pending>,
}

/// The outcome of a step: the party's new state and the message for the partner, if any.
#[wasm_bindgen]
pub struct StepResult {
    party: Option<protocol::Party>,
    message: Option<Vec<u8>>,
}

/// Starts a session as partner A.
#[wasm_bindgen(js_name = startParty)]
pub fn start_party(dataset: &Dataset, settings: JsValue) -> Result<PendingStep, JsValue> {
    let s = parse_settings(&settings)?;
    protocol::Party::start(&dataset.inner, s).map(|p| PendingStep { inner: Some(p) }).map_err(protocol_error)
}

/// Answers partner A's offer as partner B.
#[wasm_bindgen(js_name = respondParty)]
pub fn respond_party(dataset: &Dataset, settings: JsValue, offer: &[u8]) -> Result<PendingStep, JsValue> {
    let s = parse_settings(&settings)?;
    protocol::Party::respond(&dataset.inner, s, offer).map(|p| PendingStep { inner: Some(p) }).map_err(protocol_error)
}

/// `H(k)^s` for each encoded key (a worker's share of a job).
#[wasm_bindgen(js_name = hashAndBlind)]
pub fn hash_and_blind(scalar: &[u8], keys: &[u8], offsets: &[u32]) -> Result<Vec<u8>, JsValue> {
    let s = scalar_from(scalar)?;
    if offsets.windows(2).any(|w| w[0] > w[1]) || offsets.last().is_some_and(|&e| e as usize > keys.len()) {
        return Err(error("internal", "key offsets do not fit the keys"));
    }
    let mut out = Vec::new();
    group::hash_and_blind(&s, keys, offsets, &mut out);
    Ok(out)
}

/// `P^s` for each 32-byte point (a worker's share of a job); `baseIndex` numbers errors.
#[wasm_bindgen(js_name = blindPoints)]
pub fn blind_points(scalar: &[u8], points: &[u8], base_index: usize) -> Result<Vec<u8>, JsValue> {
    let s = scalar_from(scalar)?;
    let mut out = Vec::new();
    group::blind(&s, points, base_index, &mut out).map_err(|index| {
        protocol_error(ProtocolError::Message(protocol::MessageError::InvalidPoint { index }))
    })?;
    Ok(out)
}

fn scalar_from(bytes: &[u8]) -> Result<group::SecretScalar, JsValue> {
    let arr: [u8; 32] = bytes.try_into().map_err(|_| error("internal", "a scalar is 32 bytes"))?;
    group::SecretScalar::from_bytes(&arr).ok_or_else(|| error("internal", "not a valid scalar"))
}

#[wasm_bindgen]
impl PendingStep {
    fn take(&mut self) -> Result<protocol::Pending, JsValue> {
        self.inner.take().ok_or_else(|| error("state", "this step was already completed"))
    }
    fn get(&self) -> Result<&protocol::Pending, JsValue> {
        self.inner.as_ref().ok_or_else(|| error("state", "this step was already completed"))
    }

    /// Encoded keys to hash and blind, concatenated.
    #[wasm_bindgen(js_name = jobKeys)]
    pub fn job_keys(&self) -> Result<Vec<u8>, JsValue> {
        Ok(self.get()?.job().keys.clone())
    }
    /// Offsets of the keys (`n + 1`).
    #[wasm_bindgen(js_name = jobKeyOffsets)]
    pub fn job_key_offsets(&self) -> Result<Vec<u32>, JsValue> {
        Ok(self.get()?.job().key_offsets.clone())
    }
    /// 32-byte points to blind, concatenated.
    #[wasm_bindgen(js_name = jobPoints)]
    pub fn job_points(&self) -> Result<Vec<u8>, JsValue> {
        Ok(self.get()?.job().points.clone())
    }
    /// Number of curve operations the job needs (for progress).
    #[wasm_bindgen(getter, js_name = jobSize)]
    pub fn job_size(&self) -> usize {
        self.inner.as_ref().map_or(0, |p| p.job().key_count() + p.job().point_count())
    }
    /// The step's secret scalar, for workers only. Never store or send it.
    pub fn scalar(&self) -> Result<Vec<u8>, JsValue> {
        Ok(self.get()?.scalar().to_bytes().to_vec())
    }
    /// Runs the job on this thread and completes the step.
    pub fn run(&mut self, dataset: &Dataset) -> Result<StepResult, JsValue> {
        let p = self.take()?;
        let a = p.run(&dataset.inner).map_err(protocol_error)?;
        Ok(StepResult { party: Some(a.party), message: a.message })
    }
    /// Completes the step with the job's results (`hashed`: 32 bytes per key, `blinded`: 32 bytes
    /// per point, in job order).
    pub fn complete(&mut self, dataset: &Dataset, hashed: Vec<u8>, blinded: Vec<u8>) -> Result<StepResult, JsValue> {
        let p = self.take()?;
        let a = p.complete(&dataset.inner, protocol::JobOutput { hashed, blinded }).map_err(protocol_error)?;
        Ok(StepResult { party: Some(a.party), message: a.message })
    }
}

#[wasm_bindgen]
impl StepResult {
    /// The message for the partner, or `undefined` after the last step.
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> Option<Vec<u8>> {
        self.message.clone()
    }
    /// The party after the step (can be taken once).
    #[wasm_bindgen(js_name = takeParty)]
    pub fn take_party(&mut self) -> Result<Party, JsValue> {
        self.party.take().map(|inner| Party { inner }).ok_or_else(|| error("state", "the party was already taken"))
    }
}

fn step_name(s: protocol::Step) -> &'static str {
    match s {
        protocol::Step::AwaitReply => "awaitReply",
        protocol::Step::AwaitConfirm => "awaitConfirm",
        protocol::Step::AwaitFields => "awaitFields",
        protocol::Step::Done => "done",
    }
}

#[wasm_bindgen]
impl Party {
    /// Reads a party saved with `toBytes()`.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Party, JsValue> {
        protocol::Party::from_bytes(bytes).map(|inner| Party { inner }).map_err(protocol_error)
    }
    /// The state as bytes, to keep between messages (IndexedDB, a file).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.inner.to_bytes()
    }
    /// `awaitReply`, `awaitConfirm`, `awaitFields` or `done`.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> String {
        step_name(self.inner.step()).into()
    }
    /// `starter` (A) or `responder` (B).
    #[wasm_bindgen(getter)]
    pub fn role(&self) -> String {
        match self.inner.role() {
            protocol::Role::Starter => "starter".into(),
            protocol::Role::Responder => "responder".into(),
        }
    }
    /// The session id, hex.
    #[wasm_bindgen(getter)]
    pub fn session(&self) -> String {
        self.inner.session().iter().map(|b| format!("{b:02x}")).collect()
    }
    /// What this party shares.
    #[wasm_bindgen(getter)]
    pub fn sharing(&self) -> String {
        self.inner.settings().sharing.as_str().into()
    }
    /// The session code both partners compare by phone (`1234 5678`), once known: A's after the
    /// reply, B's after the confirm; `undefined` before.
    #[wasm_bindgen(getter, js_name = sessionCode)]
    pub fn session_code(&self) -> Option<String> {
        self.inner.session_code().map(str::to_string)
    }
    /// Notes about the exchange so far: warnings about the partner's list (tiny, padded), fields
    /// not sent. Numbers only, never a value.
    #[wasm_bindgen(getter)]
    pub fn notes(&self) -> Array {
        self.inner.notes().iter().map(|n| JsValue::from_str(n)).collect()
    }
    /// Whether the saved state still holds secrets (a finished session's does not).
    #[wasm_bindgen(getter, js_name = holdsSecrets)]
    pub fn holds_secrets(&self) -> bool {
        self.inner.holds_secrets()
    }
    /// Takes the partner's next message; the party itself is unchanged until the step completes.
    pub fn receive(&self, dataset: &Dataset, message: &[u8]) -> Result<PendingStep, JsValue> {
        self.inner.receive(&dataset.inner, message).map(|p| PendingStep { inner: Some(p) }).map_err(protocol_error)
    }
    /// The report once the party has its result, else `undefined`.
    pub fn report(&self, dataset: &Dataset) -> Result<Option<Report>, JsValue> {
        Ok(self.inner.report(&dataset.inner).map_err(protocol_error)?.map(|inner| Report { inner }))
    }
}
