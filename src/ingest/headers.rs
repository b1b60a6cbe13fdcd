//! A column named by the user (an override, a population rule): found in the header row the same
//! way everywhere.

use crate::normalize::unicode::lowercase_str;

/// Resolves a column reference: the header exactly, then ignoring case and spaces, then `#N`
/// (1-based position).
pub fn find_column(headers: &[String], want: &str) -> Option<usize> {
    if let Some(i) = headers.iter().position(|h| h == want) {
        return Some(i);
    }
    let w = lowercase_str(want.trim());
    if let Some(i) = headers.iter().position(|h| lowercase_str(h.trim()) == w) {
        return Some(i);
    }
    let n: usize = w.strip_prefix('#')?.parse().ok()?;
    (1..=headers.len()).contains(&n).then(|| n - 1)
}
