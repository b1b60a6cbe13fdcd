//! A protocol step's curve work in pieces, for the package's pool: the core cuts the job
//! ([`protocol::Job::pieces`]), gives each piece's input, runs a piece ([`run_piece`], in a
//! worker or on the calling thread) and puts the outputs together ([`protocol::Job::assemble`]).
//! JavaScript only moves the bytes and counts the operations for progress.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use overlap::protocol::{self, group::SecretScalar, MessageError, Piece, ProtocolError};

use crate::interop::{self, error, protocol_error};

/// The core encodes keys in batches of this many (`group.rs`): pieces are multiples of it.
const BATCH: usize = 256;
/// The largest piece: a cancel or a progress report waits for at most one piece per worker.
const MAX_PIECE: usize = 4096;

/// Operations per piece for `workers` when the caller does not say: about four pieces per worker
/// (no worker idles at the end of a step), a multiple of [`BATCH`], at most [`MAX_PIECE`].
fn piece_size(total: usize, workers: usize) -> usize {
    (total.div_ceil(workers.max(1) * 4).div_ceil(BATCH) * BATCH).clamp(BATCH, MAX_PIECE)
}

/// A job cut into pieces, in the core's order (keys first, then points).
#[derive(Default)]
pub(crate) struct Cut(Vec<Piece>);

impl Cut {
    /// Cuts `job` into pieces of `size` operations (`0`: chosen for `workers`); returns the cut
    /// and each piece's size.
    pub(crate) fn new(job: &protocol::Job, workers: usize, size: usize) -> (Cut, Vec<u32>) {
        let size = if size == 0 { piece_size(job.size(), workers) } else { size };
        let pieces = job.pieces(size);
        let sizes = pieces.iter().map(|p| p.len() as u32).collect();
        (Cut(pieces), sizes)
    }

    /// Piece `i`'s input: `{ input, offsets, first }`.
    pub(crate) fn input(&self, job: &protocol::Job, i: usize) -> Result<JsValue, JsValue> {
        let piece = *self.0.get(i).ok_or_else(|| error("range", format!("piece {i} is out of range")))?;
        Ok(interop::piece_input(job, piece))
    }

    /// The job's output from its pieces' outputs, in piece order.
    pub(crate) fn assemble(&self, job: &protocol::Job, outputs: &Array) -> Result<protocol::JobOutput, JsValue> {
        Ok(job.assemble(&self.0, interop::piece_outputs(&self.0, outputs)?))
    }
}

/// Whether `offsets` may index `bytes` (non-decreasing, within it): the core slices by them.
fn offsets_fit(offsets: &[u32], bytes: &[u8]) -> bool {
    offsets.windows(2).all(|w| w[0] <= w[1]) && offsets.last().is_none_or(|&e| e as usize <= bytes.len())
}

fn scalar_from(bytes: &[u8]) -> Result<SecretScalar, JsValue> {
    let arr: [u8; 32] = bytes.try_into().map_err(|_| error("internal", "a scalar is 32 bytes"))?;
    SecretScalar::from_bytes(&arr).ok_or_else(|| error("internal", "not a valid scalar"))
}

/// Runs one piece (what `pieceInput` gave) under the step's scalar: `H(k)^s` per key when it
/// has key offsets, else `P^s` per 32-byte point; 32 bytes per operation. An invalid point is
/// a `message/invalid_point` error whose `index` counts from the whole job's first point.
#[wasm_bindgen(js_name = runPiece)]
pub fn run_piece(scalar: &[u8], input: Vec<u8>, offsets: Vec<u32>, first: usize) -> Result<Vec<u8>, JsValue> {
    let s = scalar_from(scalar)?;
    let (job, piece) = if offsets.is_empty() {
        if input.len() % 32 != 0 {
            return Err(error("internal", "points are 32 bytes each"));
        }
        let n = input.len() / 32;
        (protocol::Job { points: input, ..Default::default() }, Piece::Points(0, n))
    } else {
        if !offsets_fit(&offsets, &input) {
            return Err(error("internal", "key offsets do not fit the keys"));
        }
        let n = offsets.len() - 1;
        (protocol::Job { keys: input, key_offsets: offsets, points: Vec::new() }, Piece::Keys(0, n))
    };
    job.run_piece(&s, piece).map_err(|e| match e {
        MessageError::InvalidPoint { index } => protocol_error(ProtocolError::Message(MessageError::InvalidPoint { index: first + index })),
        e => protocol_error(ProtocolError::Message(e)),
    })
}

/// Curve work given as bytes (`keys` with `n + 1` `keyOffsets`, 32-byte `points`), cut into
/// pieces like a step's: what the pool's public `runJob` runs.
#[wasm_bindgen]
pub struct Job {
    inner: protocol::Job,
    cut: Cut,
}

#[wasm_bindgen]
impl Job {
    /// The work: encoded keys, their offsets, points.
    #[wasm_bindgen(constructor)]
    pub fn new(keys: Vec<u8>, key_offsets: Vec<u32>, points: Vec<u8>) -> Result<Job, JsValue> {
        if !offsets_fit(&key_offsets, &keys) || points.len() % 32 != 0 {
            return Err(error("internal", "the job's offsets or points do not fit"));
        }
        Ok(Job { inner: protocol::Job { keys, key_offsets, points }, cut: Cut::default() })
    }
    /// Cuts the work into pieces of `size` operations (`0`: about four per worker for
    /// `workers`); returns each piece's size.
    pub fn pieces(&mut self, workers: usize, size: usize) -> Vec<u32> {
        let (cut, sizes) = Cut::new(&self.inner, workers, size);
        self.cut = cut;
        sizes
    }
    /// Piece `i`'s input for `runPiece`: `{ input, offsets, first }`.
    #[wasm_bindgen(js_name = pieceInput)]
    pub fn piece_input(&self, i: usize) -> Result<JsValue, JsValue> {
        self.cut.input(&self.inner, i)
    }
    /// `[hashed, blinded]` from the pieces' outputs, in piece order.
    pub fn assemble(&self, outputs: Array) -> Result<Array, JsValue> {
        let out = self.cut.assemble(&self.inner, &outputs)?;
        Ok([interop::bytes(&out.hashed), interop::bytes(&out.blinded)].into_iter().collect())
    }
}
