//! What both parties derive from the responder's oblivious PRF, and the sealed fields.
//!
//! B's PRF is `F(e) = H(e)^k` for an encoded element `e` and B's session key `k`. B computes it
//! for its own elements; A obtains it for exactly the elements it queried, by blinding with its
//! own `r` and unblinding B's answer (`(H(x)^r)^k)^(1/r) = H(x)^k`). Everything below is derived
//! from the 32-byte output `o = SHA-256("overlap/oprf/v2" ‖ session ‖ F)`:
//!
//! | derived | from `o` | length | used for |
//! | --- | --- | --- | --- |
//! | tag | `SHA-256("overlap/tag/v2" ‖ o)` | 12 bytes | B lists one per element; A compares its outputs with them |
//! | proof | `SHA-256("overlap/proof/v2" ‖ o)` | 8 bytes | A's claim "your element at position q matched" carries it; B checks it |
//! | field key | `SHA-256("overlap/fields/v2" ‖ direction ‖ o)` | 32 bytes | ChaCha20-Poly1305 key of one account's shared values |
//!
//! Who can compute what: `o` for an element needs `F` of it, i.e. `k` (B) or one of A's queries
//! (A, for the elements of its own list). So a tag says nothing of an element A did not query,
//! a proof cannot be made for an element A does not hold, and a sealed value opens only for the
//! two parties holding that account — whatever any message claims.

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce, Tag};
use sha2::{Digest, Sha256};

/// Bytes of a tag: a false match between one of A's outputs and one of B's tags has probability
/// `|X|·|Y| / 2⁹⁶`, below 2⁻⁴⁸ even at five million elements on each side.
pub const TAG: usize = 12;
/// Bytes of a proof: a forged claim is accepted with probability 2⁻⁶⁴.
pub const PROOF: usize = 8;
/// Bytes the AEAD adds to a sealed entry.
pub const SEAL_OVERHEAD: usize = 16;

/// Which way sealed values travel: each direction has its own key per account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The starter's values for the responder (in the confirm).
    StarterToResponder,
    /// The responder's values for the starter (in the fields message).
    ResponderToStarter,
}

/// The PRF output of one element: `o = SHA-256("overlap/oprf/v2" ‖ session ‖ F)`.
pub fn output(session: &[u8; 16], f: &[u8; 32]) -> [u8; 32] {
    Sha256::new().chain_update(b"overlap/oprf/v2").chain_update(session).chain_update(f).finalize().into()
}

fn derive(label: &[u8], o: &[u8; 32]) -> [u8; 32] {
    Sha256::new().chain_update(label).chain_update(o).finalize().into()
}

/// The tag B lists for an element.
pub fn tag(o: &[u8; 32]) -> [u8; TAG] {
    let mut t = [0u8; TAG];
    t.copy_from_slice(&derive(b"overlap/tag/v2", o)[..TAG]);
    t
}

/// The proof A attaches to a claimed match.
pub fn proof(o: &[u8; 32]) -> [u8; PROOF] {
    let mut p = [0u8; PROOF];
    p.copy_from_slice(&derive(b"overlap/proof/v2", o)[..PROOF]);
    p
}

/// Whether a received proof is the one for `o`, compared in constant time.
pub fn proof_matches(o: &[u8; 32], received: &[u8; PROOF]) -> bool {
    let want = proof(o);
    want.iter().zip(received).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn cipher(direction: Direction, o: &[u8; 32]) -> ChaCha20Poly1305 {
    let label: &[u8] = match direction {
        Direction::StarterToResponder => b"overlap/fields/v2/starter",
        Direction::ResponderToStarter => b"overlap/fields/v2/responder",
    };
    let key = derive(label, o);
    ChaCha20Poly1305::new(Key::from_slice(&key))
}

/// Seals one account's encoded values. Each key seals one message only, so the nonce is fixed;
/// the position it travels at is authenticated with it.
pub fn seal(direction: Direction, o: &[u8; 32], position: u32, plain: &[u8]) -> Vec<u8> {
    let mut buf = plain.to_vec();
    let tag = cipher(direction, o)
        .encrypt_in_place_detached(Nonce::from_slice(&[0u8; 12]), &position.to_be_bytes(), &mut buf)
        .unwrap_or_default();
    buf.extend_from_slice(&tag);
    buf
}

/// Opens a sealed entry; `None` when it was not sealed for `o` at `position` (altered, or not an
/// account we hold).
pub fn open(direction: Direction, o: &[u8; 32], position: u32, sealed: &[u8]) -> Option<Vec<u8>> {
    let cut = sealed.len().checked_sub(SEAL_OVERHEAD)?;
    let (body, tag) = sealed.split_at(cut);
    let mut buf = body.to_vec();
    cipher(direction, o)
        .decrypt_in_place_detached(Nonce::from_slice(&[0u8; 12]), &position.to_be_bytes(), &mut buf, Tag::from_slice(tag))
        .ok()?;
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_output_direction_and_position() {
        let o = output(&[1; 16], &[2; 32]);
        let other = output(&[1; 16], &[3; 32]);
        let s = seal(Direction::StarterToResponder, &o, 7, b"Alice");
        assert_eq!(s.len(), 5 + SEAL_OVERHEAD);
        assert!(!s.windows(5).any(|w| w == b"Alice"));
        assert_eq!(open(Direction::StarterToResponder, &o, 7, &s).as_deref(), Some(&b"Alice"[..]));
        assert_eq!(open(Direction::StarterToResponder, &other, 7, &s), None);
        assert_eq!(open(Direction::ResponderToStarter, &o, 7, &s), None);
        assert_eq!(open(Direction::StarterToResponder, &o, 8, &s), None);
        let mut bad = s.clone();
        bad[0] ^= 1;
        assert_eq!(open(Direction::StarterToResponder, &o, 7, &bad), None);
        assert_eq!(open(Direction::StarterToResponder, &o, 7, &s[..10]), None);
    }

    #[test]
    fn tags_and_proofs_are_separate_derivations() {
        let o = output(&[0; 16], &[9; 32]);
        assert_ne!(&tag(&o)[..PROOF], &proof(&o)[..]);
        assert!(proof_matches(&o, &proof(&o)));
        let mut p = proof(&o);
        p[7] ^= 0x80;
        assert!(!proof_matches(&o, &p));
        assert_ne!(output(&[0; 16], &[9; 32]), output(&[1; 16], &[9; 32]), "bound to the session");
    }
}
