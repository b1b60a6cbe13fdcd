//! The wasm-bindgen facade: the core's types and functions for JavaScript, nothing else. Whole
//! files and whole messages cross the boundary as byte buffers, never one call per row.
//!
//! - this file: the exported types (`Ingest`, `Dataset`, `Party`, `PendingStep`, `Report`) and
//!   functions (`preview`, `normalize`, `startParty`, …);
//! - `pieces`: a step's curve work in pieces, for the package's worker pool (`runPiece`);
//! - `quick`: quick mode and the secret's checks;
//! - `interop`: every conversion — option objects in (their words parsed by the core's
//!   `FromStr`), plain objects out, core errors as JavaScript errors.
//!
//! Every error reaches JavaScript as an `Error` whose `name` is `OverlapError` and whose `code`
//! is a stable string (`ingest`, `message/…`, `secret/…`, `options`, …); messages never quote a
//! value from the user's data. Nothing here panics: a panic would abort the instance.
//!
//! The exports are what the package (`js/`) uses, no more: each one costs the page bytes.

mod interop;
mod pieces;
mod plan;
mod quick;

use js_sys::Array;
use wasm_bindgen::prelude::*;

use overlap::ingest;
use overlap::normalize;
use overlap::protocol::{self, ProtocolError};
use overlap::report;

use interop::{error, hex, ingest_error, protocol_error};
pub use pieces::run_piece;
use pieces::Cut;
pub use plan::{plan_warnings, shape_rules};
pub use quick::{check_secret, quick_answer, quick_finish, quick_start, suggest_secret};

// ---- reading an export ----

/// What the reader would do with a file, from its first bytes (`SNIFF_BYTES` are enough):
/// encoding, delimiter, headers, first rows, the column mapping with confidences, candidate
/// population columns with their values, and the population rules.
#[wasm_bindgen]
pub fn preview(first_bytes: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    let o = interop::reading_options(&options)?;
    ingest::sniff(first_bytes, &o).map(|p| interop::preview(&p)).map_err(ingest_error)
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

#[wasm_bindgen]
impl Ingest {
    /// Starts a read with the given options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Ingest, JsValue> {
        Ok(Ingest { inner: Some(ingest::Ingest::new(interop::reading_options(&options)?)) })
    }
    fn live(&mut self) -> Result<&mut ingest::Ingest, JsValue> {
        self.inner.as_mut().ok_or_else(|| error("state", "this read is finished"))
    }
    /// Takes the next chunk of bytes; returns `{bytes, rows}` so far.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<JsValue, JsValue> {
        match self.live()?.feed(chunk) {
            Ok(p) => Ok(interop::progress(p)),
            Err(e) => {
                self.inner = None;
                Err(ingest_error(e))
            }
        }
    }
    /// Ends the read and returns the dataset.
    pub fn finish(&mut self) -> Result<Dataset, JsValue> {
        let i = self.inner.take().ok_or_else(|| error("state", "this read is finished"))?;
        i.finish().map(|inner| Dataset { inner }).map_err(ingest_error)
    }
}

/// A CRM export, read: rows, their keys and populations. Nothing of it leaves the instance.
#[wasm_bindgen]
pub struct Dataset {
    pub(crate) inner: ingest::Dataset,
}

impl Dataset {
    /// Reads a whole export from its bytes (for Rust callers and tests; JavaScript reads through
    /// `Ingest`, whatever the size, so there is one way in).
    pub fn new(csv: &[u8], options: JsValue) -> Result<Dataset, JsValue> {
        let options = interop::reading_options(&options)?;
        ingest::read(csv, &options).map(|inner| Dataset { inner }).map_err(ingest_error)
    }
}

#[wasm_bindgen]
impl Dataset {
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
        interop::issues(self.inner.issues())
    }

    /// The notices as CSV bytes (`line,kind,reason`; never a cell value), for `flavour`
    /// (`excel`, the default, or `crm`).
    #[wasm_bindgen(js_name = issuesCsv)]
    pub fn issues_csv(&self, flavour: Option<String>) -> Result<Vec<u8>, JsValue> {
        Ok(self.inner.issues_csv_for(interop::csv_flavour(flavour)?))
    }

    /// What happened to the file, in numbers: rows, usable and bad rows, duplicates folded,
    /// elements (by kind), encoding, delimiter, the columns used, populations with their counts.
    #[wasm_bindgen(getter)]
    pub fn summary(&self) -> JsValue {
        interop::dataset_summary(self.inner.summary())
    }

    /// The distinct values of column `column` (0-based) with their row counts, most frequent
    /// first (capped), to map values to populations.
    #[wasm_bindgen(js_name = columnValues)]
    pub fn column_values(&self, column: usize) -> Result<JsValue, JsValue> {
        if column >= self.inner.headers().len() {
            return Err(error("range", format!("column {column} is out of range")));
        }
        Ok(interop::column_values(&self.inner.column_values(column)))
    }

    /// Population names, in bit order.
    #[wasm_bindgen(getter)]
    pub fn populations(&self) -> Array {
        self.inner.populations().iter().map(|p| JsValue::from_str(p)).collect()
    }

    /// The original cells of row `i`.
    pub fn row(&self, i: usize) -> Result<Array, JsValue> {
        self.check_row(i)?;
        Ok(self.inner.row_fields(i).iter().map(|c| JsValue::from_str(c)).collect())
    }

    /// The 1-based line where row `i` starts.
    #[wasm_bindgen(js_name = rowLine)]
    pub fn row_line(&self, i: usize) -> Result<f64, JsValue> {
        self.check_row(i)?;
        Ok(self.inner.row_line(i) as f64)
    }

    fn check_row(&self, i: usize) -> Result<(), JsValue> {
        if i >= self.inner.row_count() {
            return Err(error("range", format!("row {i} is out of range")));
        }
        Ok(())
    }
}

// ---- normalization ----

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

// ---- the private protocol ----

/// One party of the private protocol between messages. Persist it with `toBytes()` (it holds the
/// session's secret scalar, never a value from the data).
#[wasm_bindgen]
pub struct Party {
    inner: protocol::Party,
    /// The message the step that made this party has for the partner, until taken.
    message: Option<Vec<u8>>,
}

impl From<protocol::Advance> for Party {
    fn from(a: protocol::Advance) -> Party {
        Party { inner: a.party, message: a.message }
    }
}

/// A protocol step waiting for its curve work. Run it here with `run(dataset)`, or cut it into
/// `pieces`, run each piece's `pieceInput` with `runPiece` under `scalar()` (in workers), and
/// hand the outputs, in piece order, to `completePieces`.
#[wasm_bindgen]
pub struct PendingStep {
    inner: Option<protocol::Pending>,
    cut: Cut,
}

fn pending(p: Result<protocol::Pending, ProtocolError>) -> Result<PendingStep, JsValue> {
    p.map(|p| PendingStep { inner: Some(p), cut: Cut::default() }).map_err(protocol_error)
}

/// Starts a session as partner A.
#[wasm_bindgen(js_name = startParty)]
pub fn start_party(dataset: &Dataset, settings: JsValue) -> Result<PendingStep, JsValue> {
    pending(protocol::Party::start(&dataset.inner, interop::settings(&settings)?))
}

/// Answers partner A's offer as partner B.
#[wasm_bindgen(js_name = respondParty)]
pub fn respond_party(dataset: &Dataset, settings: JsValue, offer: &[u8]) -> Result<PendingStep, JsValue> {
    pending(protocol::Party::respond(&dataset.inner, interop::settings(&settings)?, offer))
}

fn completed() -> JsValue {
    error("state", "this step was already completed")
}

#[wasm_bindgen]
impl PendingStep {
    fn take(&mut self) -> Result<protocol::Pending, JsValue> {
        self.inner.take().ok_or_else(completed)
    }
    fn step(&self) -> Result<&protocol::Pending, JsValue> {
        self.inner.as_ref().ok_or_else(completed)
    }
    fn job(&self) -> Result<&protocol::Job, JsValue> {
        Ok(self.step()?.job())
    }

    /// Cuts the step's curve work into pieces of `size` operations (`0`: about four per worker for
    /// `workers`); returns each piece's size.
    pub fn pieces(&mut self, workers: usize, size: usize) -> Result<Vec<u32>, JsValue> {
        let (cut, sizes) = Cut::new(self.job()?, workers, size);
        self.cut = cut;
        Ok(sizes)
    }
    /// Piece `i`'s input for `runPiece`: `{ input, offsets, first }`.
    #[wasm_bindgen(js_name = pieceInput)]
    pub fn piece_input(&self, i: usize) -> Result<JsValue, JsValue> {
        self.cut.input(self.job()?, i)
    }
    /// Number of curve operations the step needs (for progress).
    #[wasm_bindgen(getter, js_name = jobSize)]
    pub fn job_size(&self) -> usize {
        self.job().map_or(0, protocol::Job::size)
    }
    /// The step's secret scalar, for workers only. Never store or send it.
    pub fn scalar(&self) -> Result<Vec<u8>, JsValue> {
        Ok(self.step()?.scalar().to_bytes().to_vec())
    }
    /// Runs the step's curve work on this thread and completes it: the party after the step.
    pub fn run(&mut self, dataset: &Dataset) -> Result<Party, JsValue> {
        self.take()?.run(&dataset.inner).map(Party::from).map_err(protocol_error)
    }
    /// Completes the step with its pieces' outputs, in piece order: the party after the step.
    #[wasm_bindgen(js_name = completePieces)]
    pub fn complete_pieces(&mut self, dataset: &Dataset, outputs: Array) -> Result<Party, JsValue> {
        let out = self.cut.assemble(self.job()?, &outputs)?;
        self.take()?.complete(&dataset.inner, out).map(Party::from).map_err(protocol_error)
    }
}

#[wasm_bindgen]
impl Party {
    /// Reads a party saved with `toBytes()`.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Party, JsValue> {
        protocol::Party::from_bytes(bytes).map(|inner| Party { inner, message: None }).map_err(protocol_error)
    }
    /// The message for the partner from the step that made this party (taken once), or
    /// `undefined` (after the last step, or for a party read with `fromBytes`).
    #[wasm_bindgen(js_name = takeMessage)]
    pub fn take_message(&mut self) -> Option<Vec<u8>> {
        self.message.take()
    }
    /// The state as bytes, to keep between messages (IndexedDB, a file).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.inner.to_bytes()
    }
    /// `awaitReply`, `awaitConfirm`, `awaitFields` or `done`.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> String {
        match self.inner.step() {
            protocol::Step::AwaitReply => "awaitReply",
            protocol::Step::AwaitConfirm => "awaitConfirm",
            protocol::Step::AwaitFields => "awaitFields",
            protocol::Step::Done => "done",
        }
        .into()
    }
    /// `starter` (A) or `responder` (B).
    #[wasm_bindgen(getter)]
    pub fn role(&self) -> String {
        match self.inner.role() {
            protocol::Role::Starter => "starter",
            protocol::Role::Responder => "responder",
        }
        .into()
    }
    /// The session id, hex.
    #[wasm_bindgen(getter)]
    pub fn session(&self) -> String {
        hex(&self.inner.session())
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
        pending(self.inner.receive(&dataset.inner, message))
    }
    /// The report once the party has its result, else `undefined`.
    pub fn report(&self, dataset: &Dataset) -> Result<Option<Report>, JsValue> {
        Ok(self.inner.report(&dataset.inner).map_err(protocol_error)?.map(|inner| Report { inner }))
    }
}

// ---- the report ----

/// One partner's result.
#[wasm_bindgen]
pub struct Report {
    pub(crate) inner: report::Report,
}

#[wasm_bindgen]
impl Report {
    /// The summary as a plain object: populations (name, size, role), matrix, unit (`rows` or
    /// `elements`), counts, sharing levels, partner fields, warnings, session code.
    pub fn summary(&self) -> JsValue {
        interop::report_summary(&self.inner)
    }

    /// My overlapping rows, all in one call: `{ row, cells, myPopulations, partnerPopulations,
    /// matchedOn, confidence, partnerValues, partnerCells }`, with population names, kinds and
    /// confidence as the core gives them.
    pub fn rows(&self, dataset: &Dataset) -> Result<Array, JsValue> {
        interop::report_rows(&self.inner, &dataset.inner)
    }

    /// The data rows (0-based, in my file) that cell `(mine, partner)` of the matrix counts: my
    /// population `mine` × the partner's population `partner` (none when the matrix counts
    /// elements).
    #[wasm_bindgen(js_name = cellRows)]
    pub fn cell_rows(&self, mine: usize, partner: usize) -> Result<Vec<u32>, JsValue> {
        let r = &self.inner;
        if mine >= r.my_populations.len() || partner >= r.partner_populations.len() {
            return Err(error("range", "the matrix has no such cell"));
        }
        Ok(r.rows_in_cell(mine, partner).map(|m| m.row).collect())
    }

    /// The matrix as CSV bytes: my populations as rows, the partner's as columns, for `flavour`
    /// (`excel`, the default, or `crm`).
    #[wasm_bindgen(js_name = matrixCsv)]
    pub fn matrix_csv(&self, flavour: Option<String>) -> Result<Vec<u8>, JsValue> {
        Ok(self.inner.matrix_csv_for(interop::csv_flavour(flavour)?))
    }

    /// My overlapping rows as CSV bytes (formula cells guarded), for `flavour` (`excel`, the
    /// default, or `crm`).
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self, dataset: &Dataset, flavour: Option<String>) -> Result<Vec<u8>, JsValue> {
        Ok(self.inner.to_csv_for(&dataset.inner, interop::csv_flavour(flavour)?))
    }
}
