//! Strings from a partner (population and column names, its name-key policy, its normalization
//! version) made safe to print on a terminal or in a log line.
//!
//! A partner chooses those strings. Printed as they are, `\x1b[2J` would clear the user's screen,
//! other escape sequences recolour, move the cursor or set the window title, a newline would
//! forge a line of output ("warning: …"), and a right-to-left override (U+202E) would make
//! `Customers\u{202E}sremotsuC` read differently from what it is. [`printable`] escapes them.

use std::borrow::Cow;
use std::fmt::Write;

/// At most this many characters of a string are printed; longer ones end with `…`.
pub const MAX_PRINTABLE: usize = 200;

/// `s` for a terminal: control characters (C0 with tab, CR and LF, DEL, C1), bidirectional
/// overrides, embeddings, isolates and marks (U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069) and the line and paragraph separators (U+2028, U+2029) are written as
/// `\u{…}` escapes, and the string is cut after [`MAX_PRINTABLE`] characters (with `…`).
/// Borrowed when there is nothing to change.
///
/// ```
/// use overlap::text::printable;
/// assert_eq!(printable("Customers"), "Customers");
/// assert_eq!(printable("Evil\x1b[2J\u{202E}x\n"), "Evil\\u{1b}[2J\\u{202e}x\\u{a}");
/// ```
pub fn printable(s: &str) -> Cow<'_, str> {
    let long = s.chars().nth(MAX_PRINTABLE).is_some();
    if !long && !s.chars().any(unsafe_to_print) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(4 * MAX_PRINTABLE) + 8);
    for c in s.chars().take(MAX_PRINTABLE) {
        if unsafe_to_print(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    if long {
        out.push('…');
    }
    Cow::Owned(out)
}

/// Characters a terminal acts on, or that reorder or break the line around them.
fn unsafe_to_print(c: char) -> bool {
    c.is_control() // C0, DEL, C1 (general category Cc)
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped() {
        let hostile = "Customers\x1b[2J\x1b]0;pwned\x07\u{202E}sremotsuC\u{2066}x\u{2069}\r\n\t\x7f\u{85}\u{9b}31m\0";
        let p = printable(hostile);
        assert!(!p.chars().any(unsafe_to_print), "{p:?}");
        assert_eq!(
            p,
            "Customers\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{202e}sremotsuC\\u{2066}x\\u{2069}\\u{d}\\u{a}\\u{9}\\u{7f}\\u{85}\\u{9b}31m\\u{0}"
        );
        for c in [
            '\u{0}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
            '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ] {
            assert!(unsafe_to_print(c), "{c:?}");
        }
    }

    #[test]
    fn plain_text_is_borrowed() {
        for s in ["", "Customers", "Open Opportunities", "Débora", "日本語", "=1+2", "a\\u{1b}"] {
            assert!(matches!(printable(s), Cow::Borrowed(_)), "{s:?}");
        }
    }

    #[test]
    fn long_strings_are_cut() {
        let long = "é".repeat(MAX_PRINTABLE + 50);
        let p = printable(&long);
        assert_eq!(p.chars().count(), MAX_PRINTABLE + 1);
        assert!(p.ends_with("é…"));
        let exact = "a".repeat(MAX_PRINTABLE);
        assert_eq!(printable(&exact), exact);
    }
}
