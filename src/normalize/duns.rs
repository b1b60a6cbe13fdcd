//! DUNS number → 9 digits.
//!
//! A D-U-N-S number (Dun & Bradstreet) is 9 digits, often written `08-146-6849` or `081 466 849`.
//! The key is the 9 digits with dashes, spaces and dots removed and leading zeros kept (a DUNS
//! that lost its leading zero in a spreadsheet has 8 digits and is refused, not guessed). A
//! `DUNS` or `D-U-N-S` label before the number is accepted. A DUNS+4 (13 digits: the 9-digit
//! number plus a 4-digit suffix for a site) is refused with its own reason: it names a branch,
//! and keeping only its first 9 digits would be a guess about what the CRM meant.

use super::{text, Refusal};

/// Longest input looked at, in bytes.
pub const MAX_INPUT: usize = 64;

/// A DUNS number as 9 digits.
///
/// ```
/// use overlap::normalize::{duns, Refusal};
/// assert_eq!(duns("08-146-6849").unwrap(), "081466849");
/// assert_eq!(duns("081466849-0001"), Err(Refusal::DunsPlusFour));
/// ```
///
/// # Errors
/// [`Refusal::NotADuns`] for anything but 9 digits, [`Refusal::DunsPlusFour`] for 13,
/// [`Refusal::Placeholder`] for `000000000` and the like.
pub fn duns(raw: &str) -> Result<String, Refusal> {
    let s = text::cell(raw, MAX_INPUT)?;
    let s = strip_label(s);
    let mut digits = String::with_capacity(9);
    for c in s.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '-' | ' ' | '.' | '\u{00A0}' | '\u{2010}'..='\u{2015}' => {}
            _ => return Err(Refusal::NotADuns),
        }
    }
    match digits.len() {
        0 => Err(Refusal::Empty),
        9 if digits.bytes().all(|b| b == digits.as_bytes()[0]) => Err(Refusal::Placeholder),
        9 => Ok(digits),
        13 => Err(Refusal::DunsPlusFour),
        _ => Err(Refusal::NotADuns),
    }
}

/// Drops a leading `DUNS`, `D-U-N-S`, `DUNS #`, `DUNS no.`, `DUNS:` label.
fn strip_label(s: &str) -> &str {
    let lower = s.to_ascii_lowercase();
    for label in ["d-u-n-s", "d.u.n.s.", "duns"] {
        if lower.starts_with(label) {
            let rest = &s[label.len()..];
            let rest = rest.trim_start_matches([' ', ':', '#', '®']);
            let rest = rest.strip_prefix("no.").or_else(|| rest.strip_prefix("No.")).unwrap_or(rest);
            return rest.trim_start_matches([' ', ':', '#']);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_digits() {
        assert_eq!(duns("081466849").unwrap(), "081466849");
        assert_eq!(duns("08-146-6849").unwrap(), "081466849");
        assert_eq!(duns(" 081 466 849 ").unwrap(), "081466849");
        assert_eq!(duns("DUNS: 08-146-6849").unwrap(), "081466849");
        assert_eq!(duns("D-U-N-S® 081466849").unwrap(), "081466849");
        assert_eq!(duns("\"001234567\"").unwrap(), "001234567");
    }

    #[test]
    fn refusals() {
        assert_eq!(duns(""), Err(Refusal::Empty));
        assert_eq!(duns("81466849"), Err(Refusal::NotADuns));
        assert_eq!(duns("0814668490"), Err(Refusal::NotADuns));
        assert_eq!(duns("08146684x"), Err(Refusal::NotADuns));
        assert_eq!(duns("081466849-0001"), Err(Refusal::DunsPlusFour));
        assert_eq!(duns("000000000"), Err(Refusal::Placeholder));
        assert_eq!(duns("n/a"), Err(Refusal::Placeholder));
        assert_eq!(duns("８１４６６８４９０"), Err(Refusal::NotADuns));
    }
}
