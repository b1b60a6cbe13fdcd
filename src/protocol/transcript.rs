//! The transcript hash every message carries, and the session code both partners compare.
//!
//! `T₁ = SHA-256("overlap/transcript/v2" ‖ 0³² ‖ SHA-256(offer))`, `Tₙ₊₁ = SHA-256("overlap/
//! transcript/v2" ‖ Tₙ ‖ SHA-256(messageₙ₊₁))`: a message from another session, a replayed or an
//! altered one does not carry the hash the receiver expects.
//!
//! **The session code** detects a man in the middle: whoever hands the files over could play A to
//! B and B to A, and nothing in the messages says who made them. Each side derives an 8-digit code
//! from its transcript up to the reply and from a nonce of each side; the partners read it to each
//! other by phone. With someone in the middle, the two transcripts differ, and so do the codes
//! (but with probability 10⁻⁸). Hashing the transcript alone would not do: the one in the middle
//! could try replies until the codes agreed (10⁸ cheap hashes). So A commits to its nonce in the
//! offer (`SHA-256("overlap/code-commit/v2" ‖ n_A)`) and opens it only in the confirm, after B's
//! nonce is fixed in the reply: whoever sits in the middle must fix its reply to A before it
//! learns `n_A`, and its offer to B before it learns `n_B` — a guess either way. A can show the
//! code once it has the reply; B once it has the confirm.

use sha2::{Digest, Sha256};

/// The transcript hash after `msg`, following `prev`.
pub fn after(prev: &[u8; 32], msg: &[u8]) -> [u8; 32] {
    Sha256::new().chain_update(b"overlap/transcript/v2").chain_update(prev).chain_update(Sha256::digest(msg)).finalize().into()
}

/// A's commitment to its nonce.
pub fn commitment(nonce: &[u8; 32]) -> [u8; 32] {
    Sha256::new().chain_update(b"overlap/code-commit/v2").chain_update(nonce).finalize().into()
}

/// The session code: 8 digits, written `1234 5678`, from the transcript up to and including the
/// reply and A's nonce (B's is in the reply).
pub fn session_code(after_reply: &[u8; 32], starter_nonce: &[u8; 32]) -> String {
    let h =
        Sha256::new().chain_update(b"overlap/session-code/v2").chain_update(after_reply).chain_update(starter_nonce).finalize();
    let n = u64::from_be_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]) % 100_000_000;
    format!("{:04} {:04}", n / 10_000, n % 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_digits_and_depend_on_both_inputs() {
        let c = session_code(&[1; 32], &[2; 32]);
        assert_eq!(c.len(), 9);
        assert!(c.chars().enumerate().all(|(i, ch)| if i == 4 { ch == ' ' } else { ch.is_ascii_digit() }));
        assert_ne!(c, session_code(&[3; 32], &[2; 32]));
        assert_ne!(c, session_code(&[1; 32], &[4; 32]));
        assert_ne!(commitment(&[2; 32]), commitment(&[5; 32]));
    }
}
