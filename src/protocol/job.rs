//! The curve work of a protocol step, cut into pieces anyone holding the step's scalar can run.
//!
//! A step ([`super::Pending`]) needs keys hashed to the group and blinded, and points blinded,
//! all under one scalar. [`Job::pieces`] cuts that work into pieces of a given size; each piece
//! runs on its own ([`Job::run_piece`]) — on this thread ([`run_job`]), on every core of the
//! machine ([`run_threads`], the CLI), or in web workers (the npm package's pool, which asks the
//! facade for the same pieces) — and the outputs, concatenated in piece order, are the job's.

use super::group::{self, SecretScalar};
use super::MessageError;

/// Curve work a step needs: hash-and-blind `keys`, blind `points`, with the step's scalar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Job {
    /// Encoded keys, concatenated; key `i` is `keys[key_offsets[i]..key_offsets[i + 1]]`.
    pub keys: Vec<u8>,
    /// `n + 1` offsets into `keys`.
    pub key_offsets: Vec<u32>,
    /// 32-byte points to blind, concatenated.
    pub points: Vec<u8>,
}

/// The results of a [`Job`]: 32 bytes per key (`hashed`) and per point (`blinded`), in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobOutput {
    /// `H(k)^s` per key.
    pub hashed: Vec<u8>,
    /// `P^s` per point.
    pub blinded: Vec<u8>,
}

/// A piece of a job: keys `from..to`, or points `from..to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Keys to hash and blind.
    Keys(usize, usize),
    /// Points to blind.
    Points(usize, usize),
}

impl Piece {
    /// Curve operations in the piece.
    pub fn len(self) -> usize {
        match self {
            Piece::Keys(a, b) | Piece::Points(a, b) => b - a,
        }
    }
    /// Whether the piece is empty.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

impl Job {
    /// Number of keys to hash and blind.
    pub fn key_count(&self) -> usize {
        self.key_offsets.len().saturating_sub(1)
    }
    /// Number of points to blind.
    pub fn point_count(&self) -> usize {
        self.points.len() / 32
    }
    /// Curve operations in all.
    pub fn size(&self) -> usize {
        self.key_count() + self.point_count()
    }

    /// The job cut into pieces of at most `size` operations: keys first, then points.
    pub fn pieces(&self, size: usize) -> Vec<Piece> {
        let size = size.max(1);
        let keys = (0..self.key_count()).step_by(size).map(|a| Piece::Keys(a, (a + size).min(self.key_count())));
        let points = (0..self.point_count()).step_by(size).map(|a| Piece::Points(a, (a + size).min(self.point_count())));
        keys.chain(points).collect()
    }

    /// A piece's input: for keys, the encoded keys and their offsets counted from the piece's
    /// first key; for points, the points (and no offsets).
    pub fn piece_input(&self, piece: Piece) -> (&[u8], Vec<u32>) {
        match piece {
            Piece::Keys(a, b) => {
                let offsets = &self.key_offsets[a..=b];
                let first = offsets[0];
                (&self.keys[first as usize..offsets[b - a] as usize], offsets.iter().map(|o| o - first).collect())
            }
            Piece::Points(a, b) => (&self.points[a * 32..b * 32], Vec::new()),
        }
    }

    /// Runs one piece; 32 bytes per operation.
    ///
    /// # Errors
    /// [`MessageError::InvalidPoint`] naming the job-wide index of a point that is not a group
    /// element.
    pub fn run_piece(&self, scalar: &SecretScalar, piece: Piece) -> Result<Vec<u8>, MessageError> {
        let (input, offsets) = self.piece_input(piece);
        let mut out = Vec::with_capacity(piece.len() * 32);
        match piece {
            Piece::Keys(..) => group::hash_and_blind(scalar, input, &offsets, &mut out),
            Piece::Points(a, _) => {
                group::blind(scalar, input, a, &mut out).map_err(|index| MessageError::InvalidPoint { index })?
            }
        }
        Ok(out)
    }

    /// The job's output from its pieces' outputs, in piece order.
    pub fn assemble(&self, pieces: &[Piece], outputs: Vec<Vec<u8>>) -> JobOutput {
        let mut out =
            JobOutput { hashed: Vec::with_capacity(self.key_count() * 32), blinded: Vec::with_capacity(self.points.len()) };
        for (p, o) in pieces.iter().zip(outputs) {
            match p {
                Piece::Keys(..) => out.hashed.extend(o),
                Piece::Points(..) => out.blinded.extend(o),
            }
        }
        out
    }
}

/// Runs a job on this thread.
///
/// # Errors
/// [`MessageError::InvalidPoint`] for a point that is not a group element.
pub fn run_job(scalar: &SecretScalar, job: &Job) -> Result<JobOutput, MessageError> {
    let pieces = job.pieces(usize::MAX);
    let outputs = pieces.iter().map(|&p| job.run_piece(scalar, p)).collect::<Result<Vec<_>, _>>()?;
    Ok(job.assemble(&pieces, outputs))
}

/// Runs a job on `threads` threads, pieces of `piece` operations taken in turn (no core idles at
/// the end of a step); `progress(done, total)` is called from the calling thread about four times a
/// second. Counts only: no key or point is ever shown.
///
/// # Errors
/// As [`run_job`].
#[cfg(not(target_arch = "wasm32"))]
pub fn run_threads(
    scalar: &SecretScalar,
    job: &Job,
    threads: usize,
    piece: usize,
    mut progress: impl FnMut(usize, usize),
) -> Result<JobOutput, MessageError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let pieces = job.pieces(piece);
    let total = job.size();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    // Each piece's output, or its error, by piece.
    type Slots = Vec<Option<Result<Vec<u8>, MessageError>>>;
    let results: Mutex<Slots> = Mutex::new(vec![None; pieces.len()]);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.clamp(1, pieces.len().max(1)))
            .map(|_| {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&p) = pieces.get(i) else { break };
                    let r = job.run_piece(scalar, p);
                    done.fetch_add(p.len(), Ordering::Relaxed);
                    if let Ok(mut g) = results.lock() {
                        g[i] = Some(r);
                    }
                })
            })
            .collect();
        while !workers.iter().all(|w| w.is_finished()) {
            std::thread::sleep(std::time::Duration::from_millis(250));
            progress(done.load(Ordering::Relaxed), total);
        }
    });
    let results = results.into_inner().unwrap_or_default();
    let outputs =
        results.into_iter().map(|r| r.unwrap_or(Err(MessageError::Malformed { what: "job" }))).collect::<Result<Vec<_>, _>>()?;
    Ok(job.assemble(&pieces, outputs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        let mut j = Job { key_offsets: vec![0], ..Job::default() };
        for i in 0..37u32 {
            j.keys.extend_from_slice(format!("\u{1}company{i}.com").as_bytes());
            j.key_offsets.push(j.keys.len() as u32);
        }
        let s = SecretScalar::from_bytes(&[9; 32].map(|b: u8| b & 0x0f)).unwrap();
        group::hash_and_blind(&s, &j.keys.clone(), &j.key_offsets.clone(), &mut j.points);
        j
    }

    #[test]
    fn pieces_on_threads_give_the_same_bytes_as_one_run() {
        let j = job();
        let s = SecretScalar::from_bytes(&[3; 32]).unwrap();
        let whole = run_job(&s, &j).unwrap();
        assert_eq!(whole.hashed.len(), 37 * 32);
        assert_eq!(whole.blinded.len(), 37 * 32);
        for (threads, piece) in [(1, 1), (2, 5), (3, 36), (2, 1000)] {
            let mut calls = 0;
            let out = run_threads(&s, &j, threads, piece, |d, t| {
                assert!(d <= t);
                calls += 1;
            })
            .unwrap();
            assert_eq!(out, whole, "{threads} threads, pieces of {piece}");
        }
        assert_eq!(j.pieces(10).len(), 8);
    }

    #[test]
    fn an_invalid_point_is_named_by_its_job_index() {
        let mut j = job();
        j.points[32 * 30..32 * 31].copy_from_slice(&[0xff; 32]);
        let s = SecretScalar::from_bytes(&[3; 32]).unwrap();
        assert_eq!(run_threads(&s, &j, 2, 7, |_, _| {}).unwrap_err(), MessageError::InvalidPoint { index: 30 });
        assert_eq!(run_job(&s, &j).unwrap_err(), MessageError::InvalidPoint { index: 30 });
    }
}
