//! A protocol step's curve work in pieces, for the package's pool: the core cuts the job
//! ([`protocol::Job::pieces`]), gives each piece's input, runs a piece ([`run_piece`], in a
//! worker or on the calling thread) and puts the outputs together ([`protocol::Job::assemble`]).
//! The pieces are cut for a `PendingStep` (`lib.rs`).
//! JavaScript only moves the bytes and counts the operations for progress.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use overlap::protocol::{self, group::SecretScalar, MessageError, Piece, ProtocolError};

use crate::interop::{self, error, protocol_error};

/// The core encodes keys in batches of this many (`group.rs`): pieces are multiples of it.
const BATCH: usize = 256;
/// The largest piece: a cancel or a progress report waits for at most one piece per worker.
const MAX_PIECE: usize = 4096;

/// Operations per piece for `workers` when the caller does not say: about four pieces per worker
/// (no worker idles at the end of a step), a multiple of [`BATCH`], at most [`MAX_PIECE`].
fn piece_size(total: usize, workers: usize) -> usize {
    // Clamped so that no count of workers makes the divisor overflow (or zero).
    (total.div_ceil(workers.clamp(1, 1 << 16) * 4).div_ceil(BATCH) * BATCH).clamp(BATCH, MAX_PIECE)
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
        let piece = *self.0.get(i).ok_or_else(|| error("range", "no such piece"))?;
        Ok(interop::piece_input(job, piece))
    }

    /// The job's output from its pieces' outputs (an array of byte arrays, in piece order), each
    /// checked against its piece.
    pub(crate) fn assemble(&self, job: &protocol::Job, outputs: &Array) -> Result<protocol::JobOutput, JsValue> {
        let bad = || error("internal", "the pieces' outputs do not fit the pieces");
        if outputs.length() as usize != self.0.len() {
            return Err(bad());
        }
        let mut out = Vec::with_capacity(self.0.len());
        for (p, o) in self.0.iter().zip(outputs.iter()) {
            let b = o.dyn_into::<Uint8Array>().map_err(|_| bad())?.to_vec();
            if b.len() != p.len() * 32 {
                return Err(bad());
            }
            out.push(b);
        }
        Ok(job.assemble(&self.0, out))
    }
}

fn scalar_from(bytes: &[u8]) -> Option<SecretScalar> {
    SecretScalar::from_bytes(bytes.try_into().ok()?)
}

/// Runs one piece (what `pieceInput` gave) under the step's scalar: `H(k)^s` per key when it
/// has key offsets, else `P^s` per 32-byte point; 32 bytes per operation. An invalid point is
/// a `message/invalid_point` error whose `index` counts from the whole job's first point.
#[wasm_bindgen(js_name = runPiece)]
pub fn run_piece(scalar: &[u8], input: Vec<u8>, offsets: Vec<u32>, first: usize) -> Result<Vec<u8>, JsValue> {
    // The core slices by the offsets: they must not decrease nor pass the end.
    let fits = match offsets.last() {
        None => input.len() % 32 == 0,
        Some(&end) => offsets.windows(2).all(|w| w[0] <= w[1]) && end as usize <= input.len(),
    };
    let s = scalar_from(scalar).filter(|_| fits).ok_or_else(|| error("internal", "a malformed piece"))?;
    let (job, piece) = if offsets.is_empty() {
        let n = input.len() / 32;
        (protocol::Job { points: input, ..Default::default() }, Piece::Points(0, n))
    } else {
        let n = offsets.len() - 1;
        (protocol::Job { keys: input, key_offsets: offsets, points: Vec::new() }, Piece::Keys(0, n))
    };
    job.run_piece(&s, piece).map_err(|e| {
        protocol_error(ProtocolError::Message(match e {
            MessageError::InvalidPoint { index } => MessageError::InvalidPoint { index: first + index },
            e => e,
        }))
    })
}
