//! The group: ristretto255, through `curve25519-dalek`.
//!
//! Ristretto255 is a prime-order group (order ℓ = 2²⁵² + 27742317777372353535851937790883648493)
//! built over Curve25519: every 32-byte encoding names at most one element, and there is no
//! cofactor to trip over. Both facts matter here: a blinded key `H(k)^a` is a canonical 32-byte
//! string we can sort, compare and deduplicate, and exponentiating by a secret scalar is a
//! permutation of the group, so `(H(k)^a)^b = (H(k)^b)^a` lets two parties intersect blinded sets.
//!
//! - [`hash_to_group`] maps a key to a point: `RistrettoPoint::from_hash(SHA-512(DST ‖ 0 ‖ kind ‖
//!   value))`, i.e. ristretto255's hash-to-group (two Elligator maps, summed), with the domain
//!   separation tag [`DST`] naming the protocol version and the key kind tag separating kinds.
//! - [`SecretScalar`] is a party's blinding exponent: uniform in ℤ/ℓ (64 random bytes reduced),
//!   drawn fresh per session, zeroized on drop, never printed.
//! - Scalar multiplication is dalek's constant-time variable-base multiplication.
//! - Encoding is batched: compressing a point costs an inverse square root, as much as a tenth of
//!   a scalar multiplication. We multiply by `s/2` instead and let
//!   `RistrettoPoint::double_and_compress_batch` encode `2·(s/2)·P = s·P` for a whole batch with
//!   one shared field inversion (Montgomery's trick) and no square root.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use sha2::{Digest, Sha512};
use zeroize::Zeroize;

/// Domain separation tag of the hash to the group: protocol and its version.
pub const DST: &[u8] = b"overlap/psi/v2";

/// A party's secret exponent. No `Debug`, no `PartialEq`; wiped when dropped.
pub struct SecretScalar(Scalar);

impl SecretScalar {
    /// A fresh uniform scalar from the platform's randomness (getrandom).
    ///
    /// # Errors
    /// When the platform has no randomness source.
    pub fn random() -> Result<SecretScalar, getrandom::Error> {
        let mut wide = [0u8; 64];
        getrandom::fill(&mut wide)?;
        let s = Scalar::from_bytes_mod_order_wide(&wide);
        wide.zeroize();
        Ok(SecretScalar(s))
    }

    /// A scalar from its canonical 32-byte little-endian encoding (party state, test vectors).
    /// `None` when not canonical or zero.
    pub fn from_bytes(bytes: &[u8; 32]) -> Option<SecretScalar> {
        let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(*bytes))?;
        (s != Scalar::ZERO).then_some(SecretScalar(s))
    }

    /// The canonical encoding, for the party state only.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// `1/s mod ℓ`: the starter unblinds the responder's answers `H(x)^(r·k)` with `1/r`.
    ///
    /// Computed as `s^(ℓ−2)` (Fermat) by square-and-multiply over the bits of the public exponent,
    /// so the sequence of operations does not depend on `s`; once per session, with the scalar
    /// multiplication already linked (dalek's `Scalar::invert` would add 10 KB of wasm).
    pub fn invert(&self) -> SecretScalar {
        // ℓ − 2, little-endian.
        const L_MINUS_2: [u8; 32] = [
            0xeb, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, //
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
        ];
        let mut acc = Scalar::ONE;
        for byte in L_MINUS_2.iter().rev() {
            for bit in (0..8).rev() {
                acc = acc * acc;
                if byte >> bit & 1 == 1 {
                    acc *= self.0;
                }
            }
        }
        SecretScalar(acc)
    }
}

impl Clone for SecretScalar {
    fn clone(&self) -> Self {
        SecretScalar(self.0)
    }
}

impl Drop for SecretScalar {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// `H(k)`: the point for an encoded key (`kind tag ‖ value`, see [`crate::keys::Key::encode`]).
pub fn hash_to_group(encoded_key: &[u8]) -> RistrettoPoint {
    let h = Sha512::new().chain_update(DST).chain_update([0u8]).chain_update(encoded_key);
    RistrettoPoint::from_hash(h)
}

/// Points per encoding batch: large enough to amortise the inversion, small enough to stay in
/// cache.
const BATCH: usize = 256;

/// 1/2 mod ℓ, i.e. (ℓ + 1)/2, little-endian (a constant, so no scalar inversion code is linked).
const INV2: [u8; 32] = [
    0xf7, 0xe9, 0x7a, 0x2e, 0x8d, 0x31, 0x09, 0x2c, 0x6b, 0xce, 0x7b, 0x51, 0xef, 0x7c, 0x6f, 0x0a, //
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
];

/// `s/2`: multiplying by it, then doubling while encoding, gives `s·P` (see the module docs).
fn half(s: &SecretScalar) -> Scalar {
    s.0 * Scalar::from_bytes_mod_order(INV2)
}

/// Appends the encodings of `2·P` for each point of `batch` to `out`, and empties `batch`.
fn flush(batch: &mut Vec<RistrettoPoint>, out: &mut Vec<u8>) {
    for c in RistrettoPoint::double_and_compress_batch(batch.iter()) {
        out.extend_from_slice(c.as_bytes());
    }
    batch.clear();
}

/// `H(k)^s` for each encoded key; `keys[offsets[i]..offsets[i+1]]` is key `i`. Appends 32 bytes
/// per key to `out`.
pub fn hash_and_blind(s: &SecretScalar, keys: &[u8], offsets: &[u32], out: &mut Vec<u8>) {
    out.reserve(offsets.len().saturating_sub(1) * 32);
    let mut h = half(s);
    let mut batch = Vec::with_capacity(BATCH);
    for w in offsets.windows(2) {
        let (a, b) = (w[0] as usize, w[1] as usize);
        batch.push(hash_to_group(keys.get(a..b).unwrap_or(&[])) * h);
        if batch.len() == BATCH {
            flush(&mut batch, out);
        }
    }
    flush(&mut batch, out);
    h.zeroize();
}

/// `P^s` for each 32-byte encoded point. Appends 32 bytes per point to `out`.
///
/// # Errors
/// The index (counted from `base_index`) of the first encoding that is not a valid ristretto255
/// point, or is the identity (which no honest party sends: `H(k)` is never the identity).
pub fn blind(s: &SecretScalar, points: &[u8], base_index: usize, out: &mut Vec<u8>) -> Result<(), usize> {
    out.reserve(points.len());
    let mut h = half(s);
    let mut batch = Vec::with_capacity(BATCH);
    let identity = RistrettoPoint::identity();
    for (i, chunk) in points.chunks_exact(32).enumerate() {
        let mut enc = [0u8; 32];
        enc.copy_from_slice(chunk);
        let p = CompressedRistretto(enc).decompress().filter(|p| *p != identity);
        let Some(p) = p else {
            h.zeroize();
            return Err(base_index + i);
        };
        batch.push(p * h);
        if batch.len() == BATCH {
            flush(&mut batch, out);
        }
    }
    flush(&mut batch, out);
    h.zeroize();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(n: u8) -> SecretScalar {
        let mut b = [0u8; 32];
        b[0] = n;
        SecretScalar::from_bytes(&b).unwrap()
    }

    #[test]
    fn blinding_commutes() {
        let (a, b) = (scalar(7), scalar(11));
        let keys = b"\x01acme.com\x01beta.io";
        let offs = [0u32, 9, 17];
        let mut xa = Vec::new();
        hash_and_blind(&a, keys, &offs, &mut xa);
        let mut xb = Vec::new();
        hash_and_blind(&b, keys, &offs, &mut xb);
        let (mut zab, mut zba) = (Vec::new(), Vec::new());
        blind(&b, &xa, 0, &mut zab).unwrap();
        blind(&a, &xb, 0, &mut zba).unwrap();
        assert_eq!(zab, zba);
        assert_ne!(&zab[..32], &zab[32..]);
    }

    #[test]
    fn invalid_points_are_named_by_index() {
        let a = scalar(3);
        let mut good = Vec::new();
        hash_and_blind(&a, b"\x01acme.com", &[0, 9], &mut good);
        let mut pts = good.clone();
        pts.extend_from_slice(&[0xffu8; 32]);
        assert_eq!(blind(&a, &pts, 10, &mut Vec::new()), Err(11));
        assert_eq!(blind(&a, &[0u8; 32], 0, &mut Vec::new()), Err(0), "identity refused");
    }

    #[test]
    fn unblinding_recovers_the_partners_prf() {
        let (r, k) = (scalar(7), scalar(11));
        let key = b"\x01acme.com";
        let (mut q, mut answer, mut unblinded, mut direct) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        hash_and_blind(&r, key, &[0, 9], &mut q);
        blind(&k, &q, 0, &mut answer).unwrap();
        blind(&r.invert(), &answer, 0, &mut unblinded).unwrap();
        hash_and_blind(&k, key, &[0, 9], &mut direct);
        assert_eq!(unblinded, direct);
        assert_ne!(q, direct);
    }

    #[test]
    fn inverse_is_the_inverse() {
        for n in [1u8, 2, 3, 7, 200] {
            let s = scalar(n);
            assert_eq!(s.invert().0 * s.0, Scalar::ONE);
            assert_eq!(s.invert().0, s.0.invert());
        }
        let r = SecretScalar::random().unwrap();
        assert_eq!(r.invert().0 * r.0, Scalar::ONE);
    }

    #[test]
    fn inv2_is_one_half() {
        assert_eq!(Scalar::from_bytes_mod_order(INV2) * Scalar::from(2u8), Scalar::ONE);
    }

    #[test]
    fn kinds_are_separated() {
        assert_ne!(hash_to_group(b"\x01acme.com").compress(), hash_to_group(b"\x04acme.com").compress());
    }

    #[test]
    fn zero_and_non_canonical_scalars_refused() {
        assert!(SecretScalar::from_bytes(&[0u8; 32]).is_none());
        assert!(SecretScalar::from_bytes(&[0xffu8; 32]).is_none());
    }
}
