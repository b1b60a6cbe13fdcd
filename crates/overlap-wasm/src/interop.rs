//! Every conversion between JavaScript values and the core's: option objects in (their words
//! parsed by the core's `FromStr`), plain objects and arrays out, and core errors as JavaScript
//! `OverlapError`s with a stable `code`. The exported API (`lib.rs`, `quick.rs`, `pieces.rs`)
//! calls these and holds no conversion of its own.

use std::fmt::Display;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use overlap::ingest::{self, populations::Select, Field, PopulationRule};
use overlap::keys::KeyKind;
use overlap::protocol::{self, passphrase, quick, MessageError, ProtocolError};
use overlap::report::{self, Population};

// ---- errors ----

/// An `Error` named `OverlapError` with `code`; `message` never quotes a value from the data.
pub(crate) fn error(code: &str, message: impl Display) -> JsValue {
    js_error(code, &message)
}

/// [`error`]'s one body (not one copy per message type).
fn js_error(code: &str, message: &dyn Display) -> JsValue {
    let e = js_sys::Error::new(&message.to_string());
    e.set_name("OverlapError");
    set(&e, "code", code);
    e.into()
}

/// An error about one element of a list (an invalid point, a duplicate) also carries its `index`.
fn with_index(js: JsValue, index: Option<usize>) -> JsValue {
    if let Some(i) = index {
        set(&js, "index", i as f64);
    }
    js
}

/// A protocol error, with the element's `index` for faults about one element.
pub(crate) fn protocol_error(e: ProtocolError) -> JsValue {
    let index = match &e {
        ProtocolError::Message(MessageError::InvalidPoint { index } | MessageError::DuplicateElement { index }) => Some(*index),
        _ => None,
    };
    let code = e.code();
    with_index(error(&code, e), index)
}

/// A quick-mode error, with the element's `index` for a duplicate.
pub(crate) fn quick_error(e: quick::QuickError) -> JsValue {
    let index = match &e {
        quick::QuickError::Message(MessageError::DuplicateElement { index }) => Some(*index),
        _ => None,
    };
    let code = e.code();
    with_index(error(&code, e), index)
}

/// A refused secret: `secret/<fault>`, with the `weaknesses` found when it is weak.
pub(crate) fn secret_error(e: passphrase::SecretError) -> JsValue {
    let js = error(&format!("secret/{}", e.code()), &e);
    if let passphrase::SecretError::Weak { weaknesses, .. } = &e {
        set(&js, "weaknesses", weaknesses.iter().map(|w| JsValue::from_str(w.code())).collect::<Array>());
    }
    js
}

pub(crate) fn ingest_error(e: ingest::IngestError) -> JsValue {
    error("ingest", e)
}

/// An option that is not one of the accepted words: the core's explanation, code `options`.
fn options_error(e: impl Display) -> JsValue {
    error("options", e)
}

// ---- plain objects ----

pub(crate) fn set(obj: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &key.into(), &value.into());
}

/// `obj[key]`, or `None` when `obj` is not an object or the value is `undefined` or `null`.
pub(crate) fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    if !obj.is_object() {
        return None;
    }
    Reflect::get(obj, &key.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// `obj[key]` as a string, when present; anything else is an `options` error naming `key`.
pub(crate) fn get_string(obj: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    get(obj, key).map(|v| v.as_string().ok_or_else(|| error("options", format!("{key} must be a string")))).transpose()
}

/// `obj[key]` as a non-negative number, when present.
pub(crate) fn get_count(obj: &JsValue, key: &str) -> Result<Option<f64>, JsValue> {
    get(obj, key)
        .map(|v| {
            v.as_f64()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .ok_or_else(|| error("options", format!("{key} must be a non-negative number")))
        })
        .transpose()
}

/// A string or an array of strings.
pub(crate) fn strings(v: &JsValue, what: &str) -> Result<Vec<String>, JsValue> {
    let bad = || error("options", format!("{what} must be a string or an array of strings"));
    if let Some(one) = v.as_string() {
        return Ok(vec![one]);
    }
    let mut out = Vec::new();
    for x in v.clone().dyn_into::<Array>().map_err(|_| bad())?.iter() {
        out.push(x.as_string().ok_or_else(bad)?);
    }
    Ok(out)
}

/// Strings as a JavaScript array.
pub(crate) fn texts(items: &[String]) -> Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

pub(crate) fn bytes(b: &[u8]) -> Uint8Array {
    Uint8Array::from(b)
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 hexadecimal characters as 16 bytes.
pub(crate) fn from_hex16(s: &str) -> Option<[u8; 16]> {
    let b = s.as_bytes();
    if b.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        let d = |c: u8| (c as char).to_digit(16);
        *o = (d(b[2 * i])? * 16 + d(b[2 * i + 1])?) as u8;
    }
    Some(out)
}

// ---- options in ----

/// Reading options from a plain object:
/// `{ delimiter, encoding, header, columns: { website: 'Website URL', email: ['E1', 'E2'] },
///    populations: [{ name, column, values } | { name, all: true } | { name, rest: true }],
///    nameKeys, maxRows, maxBytes, sizeHint }`.
pub(crate) fn reading_options(options: &JsValue) -> Result<ingest::Options, JsValue> {
    let mut o = ingest::Options::new();
    if let Some(d) = get_string(options, "delimiter")? {
        o.delimiter(Some(ingest::parse_delimiter(&d).map_err(options_error)?));
    }
    if let Some(e) = get_string(options, "encoding")? {
        o.encoding(Some(e.parse().map_err(options_error)?));
    }
    if let Some(h) = get(options, "header") {
        o.header(h.as_bool());
    }
    if let Some(cols) = get(options, "columns") {
        for k in Object::keys(&cols.clone().into()).iter() {
            let name = k.as_string().unwrap_or_default();
            let field: Field = name.parse().map_err(options_error)?;
            let v = get(&cols, &name).unwrap_or(JsValue::from_str(""));
            for header in strings(&v, &format!("columns.{name}"))? {
                o.column(field, header);
            }
        }
    }
    if let Some(rules) = get(options, "populations") {
        let arr: Array = rules.dyn_into().map_err(|_| error("options", "populations must be an array of rules"))?;
        let mut list = Vec::new();
        for (i, r) in arr.iter().enumerate() {
            list.push(population_rule(&r, i)?);
        }
        o.populations(Some(list));
    }
    if let Some(p) = get_string(options, "nameKeys")? {
        o.name_keys(p.parse().map_err(|e| error("options", format!("nameKeys: {e}")))?);
    }
    if let Some(n) = get_count(options, "maxRows")? {
        o.max_rows(n as u64);
    }
    if let Some(n) = get_count(options, "maxBytes")? {
        o.max_bytes(n as u64);
    }
    if let Some(n) = get_count(options, "sizeHint")? {
        o.size_hint(Some(n as u64));
    }
    Ok(o)
}

/// `populations[i]`: `{ name, column, values }`, `{ name, column, open: true }`, `{ name, all: true }`
/// or `{ name, rest: true }`, each with an optional `role` (customer, opportunity, prospect, other;
/// guessed from the name without one).
fn population_rule(r: &JsValue, i: usize) -> Result<PopulationRule, JsValue> {
    let name = get_string(r, "name")?.ok_or_else(|| error("options", format!("populations[{i}] needs a name")))?;
    let flag = |k: &str| get(r, k).and_then(|v| v.as_bool()) == Some(true);
    let mut rule = if flag("all") {
        PopulationRule::all(name)
    } else if flag("rest") {
        PopulationRule::rest(name)
    } else {
        let column =
            get_string(r, "column")?.ok_or_else(|| error("options", format!("populations[{i}] needs a column (or all/rest)")))?;
        if flag("open") {
            PopulationRule::open(name, column)
        } else {
            let values = strings(&get(r, "values").unwrap_or(Array::new().into()), &format!("populations[{i}].values"))?;
            PopulationRule::values(name, column, values)
        }
    };
    if let Some(role) = get_string(r, "role")? {
        let role = role.parse().map_err(|e| error("options", format!("populations[{i}].role: {e}")))?;
        rule = rule.with_role(role);
    }
    Ok(rule)
}

/// Protocol settings from a plain object: `{ sharing, fields, maxPartnerSet, minPopulation,
/// maxPopulations }`.
pub(crate) fn settings(options: &JsValue) -> Result<protocol::Settings, JsValue> {
    let mut s = protocol::Settings::default();
    if let Some(v) = get_string(options, "sharing")? {
        s.sharing = v.parse().map_err(options_error)?;
    }
    if let Some(v) = get(options, "fields") {
        let bad = || error("options", "fields must be an array of column names");
        for f in v.dyn_into::<Array>().map_err(|_| bad())?.iter() {
            s.fields.push(f.as_string().ok_or_else(bad)?);
        }
    }
    if let Some(n) = get_count(options, "maxPartnerSet")? {
        s.max_partner_set = n as usize;
    }
    if let Some(n) = get_count(options, "minPopulation")? {
        s.min_population = n as u32;
    }
    if let Some(n) = get_count(options, "maxPopulations")? {
        s.max_populations = n as usize;
    }
    Ok(s)
}

/// A CSV flavour by name: `excel` (also when absent) or `crm`.
pub(crate) fn csv_flavour(name: Option<String>) -> Result<overlap::csv_out::Flavour, JsValue> {
    name.map_or(Ok(overlap::csv_out::Flavour::Excel), |n| {
        n.parse().map_err(|e| error("options", format!("the CSV flavour: {e}")))
    })
}

// ---- reading: values out ----

fn mapping(m: &ingest::Mapping) -> Array {
    m.choices
        .iter()
        .map(|c| {
            let o = Object::new();
            set(&o, "field", c.field.as_str());
            set(&o, "column", c.column as u32);
            set(&o, "header", c.header.as_str());
            set(&o, "confidence", c.confidence as f64);
            set(&o, "basis", c.basis.as_str());
            JsValue::from(o)
        })
        .collect()
}

pub(crate) fn column_values(v: &ingest::ColumnValues) -> JsValue {
    let o = Object::new();
    set(&o, "column", v.column as u32);
    set(&o, "header", v.header.as_str());
    let values: Array = v
        .values
        .iter()
        .map(|(value, n)| {
            let x = Object::new();
            set(&x, "value", value.as_str());
            set(&x, "rows", *n as f64);
            JsValue::from(x)
        })
        .collect();
    set(&o, "values", values);
    set(&o, "more", v.more as f64);
    o.into()
}

fn rules(rules: &[PopulationRule]) -> Array {
    rules
        .iter()
        .map(|r| {
            let o = Object::new();
            set(&o, "name", r.name.as_str());
            match &r.select {
                Select::All => set(&o, "all", true),
                Select::Rest => set(&o, "rest", true),
                Select::Values { column, values } => {
                    set(&o, "column", column.as_str());
                    set(&o, "values", texts(values));
                }
                Select::Open { column } => {
                    set(&o, "column", column.as_str());
                    set(&o, "open", true);
                }
            }
            set(&o, "role", r.effective_role().as_str());
            JsValue::from(o)
        })
        .collect()
}

pub(crate) fn preview(p: &ingest::Preview) -> JsValue {
    let o = Object::new();
    set(&o, "encoding", p.encoding.label());
    set(&o, "delimiter", ingest::delimiter_name(p.delimiter));
    set(&o, "hasHeader", p.has_header);
    set(&o, "headers", texts(&p.headers));
    set(&o, "rows", p.rows.iter().map(|r| JsValue::from(texts(r))).collect::<Array>());
    set(&o, "mapping", mapping(&p.mapping));
    set(&o, "notes", texts(&p.mapping.notes));
    set(&o, "populationColumns", p.population_columns.iter().map(column_values).collect::<Array>());
    set(&o, "rules", rules(&p.rules));
    o.into()
}

pub(crate) fn progress(p: ingest::Progress) -> JsValue {
    let o = Object::new();
    set(&o, "bytes", p.bytes as f64);
    set(&o, "rows", p.rows as f64);
    o.into()
}

pub(crate) fn issues(list: &[ingest::RowIssue]) -> Array {
    list.iter()
        .map(|i| {
            let o = Object::new();
            set(&o, "line", i.line as f64);
            set(&o, "row", i.row);
            set(&o, "kind", i.kind.code());
            set(&o, "reason", i.reason());
            JsValue::from(o)
        })
        .collect()
}

pub(crate) fn dataset_summary(s: &ingest::Summary) -> JsValue {
    let o = Object::new();
    set(&o, "rows", s.rows as f64);
    set(&o, "usableRows", s.usable_rows as f64);
    set(&o, "badRows", s.bad_rows as f64);
    set(&o, "outsidePopulations", s.outside_populations as f64);
    set(&o, "duplicatesFolded", s.duplicates_folded as f64);
    set(&o, "warnings", s.warnings as f64);
    set(&o, "elements", s.elements as f64);
    let by_kind = Object::new();
    for (k, n) in KeyKind::ALL.iter().zip(s.elements_by_kind) {
        set(&by_kind, k.as_str(), n as f64);
    }
    set(&o, "elementsByKind", by_kind);
    set(&o, "encoding", s.encoding.label());
    set(&o, "delimiter", ingest::delimiter_name(s.delimiter));
    set(&o, "replacedCharacters", s.replaced_characters as f64);
    set(&o, "mapping", mapping(&s.mapping));
    set(&o, "notes", texts(&s.mapping.notes));
    set(&o, "nameKeys", s.name_keys.as_str());
    let pops: Array = s
        .populations
        .iter()
        .map(|p| {
            let x = Object::new();
            set(&x, "name", p.name.as_str());
            set(&x, "role", p.role.as_str());
            set(&x, "rows", p.rows as f64);
            set(&x, "elements", p.elements as f64);
            JsValue::from(x)
        })
        .collect();
    set(&o, "populations", pops);
    o.into()
}

// ---- the report out ----

fn populations(v: &[Population]) -> Array {
    v.iter()
        .map(|p| {
            let x = Object::new();
            set(&x, "name", p.name.as_str());
            set(&x, "size", p.size);
            set(&x, "role", p.role.as_str());
            JsValue::from(x)
        })
        .collect()
}

/// The report's figures: populations (name, size, role), matrix, unit, counts, sharing levels,
/// the partner's fields, warnings, the session code.
pub(crate) fn report_summary(r: &report::Report) -> JsValue {
    let o = Object::new();
    set(&o, "myPopulations", populations(&r.my_populations));
    set(&o, "partnerPopulations", populations(&r.partner_populations));
    let matrix: Array =
        r.matrix.iter().map(|row| JsValue::from(row.iter().map(|&c| JsValue::from(c as f64)).collect::<Array>())).collect();
    set(&o, "matrix", matrix);
    set(
        &o,
        "unit",
        match r.matrix_unit {
            report::MatrixUnit::Rows => "rows",
            report::MatrixUnit::Elements => "elements",
        },
    );
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
    set(&o, "partnerFields", texts(&r.partner_fields));
    set(&o, "warnings", texts(&r.warnings));
    o.into()
}
/// My overlapping rows, each `{ row, cells, myPopulations, partnerPopulations, matchedOn,
/// confidence, partnerValues, partnerCells }`: names, kinds and confidence as the core gives them.
pub(crate) fn report_rows(r: &report::Report, dataset: &ingest::Dataset) -> Result<Array, JsValue> {
    if r.matches.iter().any(|m| m.row as usize >= dataset.row_count()) {
        return Err(error("dataset", "this report was not made from this dataset"));
    }
    let names =
        |pops: &[Population], mask: u16| -> Array { report::in_mask(pops, mask).map(|p| JsValue::from_str(&p.name)).collect() };
    Ok(r.matches
        .iter()
        .map(|m| {
            let o = Object::new();
            set(&o, "row", m.row);
            set(&o, "cells", texts(&dataset.row_fields(m.row as usize)));
            set(&o, "myPopulations", names(&r.my_populations, m.my_populations));
            set(&o, "partnerPopulations", names(&r.partner_populations, m.partner_populations));
            set(&o, "matchedOn", m.matched_on_words().map(JsValue::from_str).collect::<Array>());
            set(&o, "confidence", m.confidence().as_str());
            set(&o, "partnerValues", m.partner_values.iter().map(|v| JsValue::from(texts(v))).collect::<Array>());
            set(&o, "partnerCells", (0..r.partner_fields.len()).map(|i| JsValue::from(m.partner_cell(i))).collect::<Array>());
            JsValue::from(o)
        })
        .collect())
}

// ---- pieces of a step's curve work ----

/// A piece's input for a worker: `{ input, offsets, first }` (offsets empty for points; `first`
/// the job-wide index of its first element).
pub(crate) fn piece_input(job: &protocol::Job, piece: protocol::Piece) -> JsValue {
    let (input, offsets) = job.piece_input(piece);
    let first = match piece {
        protocol::Piece::Keys(a, _) | protocol::Piece::Points(a, _) => a,
    };
    let o = Object::new();
    set(&o, "input", bytes(input));
    set(&o, "offsets", js_sys::Uint32Array::from(&offsets[..]));
    set(&o, "first", first as f64);
    o.into()
}
