//! DUNS number → 9 digits.

use super::Refusal;

/// A DUNS number as 9 digits (dashes and spaces removed, leading zeros kept).
///
/// # Errors
/// [`Refusal::NotADuns`] for anything else.
pub fn duns(raw: &str) -> Result<String, Refusal> {
    let d: String = raw.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if d.is_empty() {
        return Err(Refusal::Empty);
    }
    if d.len() == 9 && d.bytes().all(|b| b.is_ascii_digit()) {
        Ok(d)
    } else {
        Err(Refusal::NotADuns)
    }
}
