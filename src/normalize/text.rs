//! Small text helpers shared by the normalizers.

use super::Refusal;

/// Characters CRMs and spreadsheets leave around a value: Unicode white space, straight and
/// typographic quotes, angle brackets (`<https://acme.com>` pasted from an email).
fn is_wrapping(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\''
                | '`'
                | '<'
                | '>'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201A}'
                | '\u{201C}'
                | '\u{201D}'
                | '\u{201E}'
                | '\u{00AB}'
                | '\u{00BB}'
                | '\u{200B}'
                | '\u{FEFF}'
        )
}

/// The cell without the white space, quotes and angle brackets around it.
pub(crate) fn trim_cell(s: &str) -> &str {
    // Most cells start and end with a letter or digit: nothing to trim.
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(f), Some(l)) if f.is_ascii_alphanumeric() && l.is_ascii_alphanumeric() => s,
        _ => s.trim_matches(is_wrapping),
    }
}

/// Whether `s` has a control character (C0, DEL, C1), which no identifier contains.
pub(crate) fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Values that CRM users type to mean "no value", compared after ASCII lower-casing.
const PLACEHOLDERS: &[&str] = &[
    "-",
    "--",
    "---",
    ".",
    "..",
    "...",
    "?",
    "??",
    "???",
    "_",
    "0",
    "x",
    "xx",
    "xxx",
    "#",
    "*",
    "/",
    "n/a",
    "n.a.",
    "n.a",
    "na",
    "n/d",
    "nd",
    "none",
    "nil",
    "null",
    "nan",
    "nothing",
    "no",
    "tbd",
    "tba",
    "tbc",
    "unknown",
    "unkown",
    "not known",
    "test",
    "testing",
    "undefined",
    "empty",
    "blank",
    "missing",
    "not available",
    "not applicable",
    "no website",
    "no domain",
    "no email",
    "none provided",
    "not provided",
    "#n/a",
    "#value!",
    "#ref!",
    "#name?",
    "(none)",
    "(blank)",
    "(empty)",
    "<none>",
    "<blank>",
    "<empty>",
    "-none-",
    "--none--",
    "[none]",
    "dummy",
    "asdf",
    "placeholder",
];

/// The first step of every normalizer: refuse a cell over `max` bytes, trim what surrounds the
/// value ([`trim_cell`]), refuse it when nothing is left or it is a placeholder (`n/a`, `tbd`…).
pub(crate) fn cell(raw: &str, max: usize) -> Result<&str, Refusal> {
    if raw.len() > max {
        return Err(Refusal::TooLong);
    }
    let s = trim_cell(raw);
    if s.is_empty() {
        return Err(Refusal::Empty);
    }
    if is_placeholder(s) {
        return Err(Refusal::Placeholder);
    }
    Ok(s)
}

/// [`cell`] for identifiers (websites, emails, URLs), which also refuse control characters.
pub(crate) fn identifier_cell(raw: &str, max: usize) -> Result<&str, Refusal> {
    let s = cell(raw, max)?;
    if has_control(s) {
        return Err(Refusal::InvalidCharacter);
    }
    Ok(s)
}

/// For each first byte (ASCII lower case), the lengths of the placeholders starting with it, as
/// bits: most cells are ruled out without comparing.
const PLACEHOLDER_LENGTHS: [u32; 128] = {
    let mut t = [0u32; 128];
    let mut i = 0;
    while i < PLACEHOLDERS.len() {
        let p = PLACEHOLDERS[i].as_bytes();
        t[p[0].to_ascii_lowercase() as usize] |= 1 << p.len();
        i += 1;
    }
    t
};

/// Whether the (already trimmed) cell is a placeholder for "no value".
pub(crate) fn is_placeholder(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty()
        || b.len() > 20
        || b[0] >= 128
        || PLACEHOLDER_LENGTHS[usize::from(b[0].to_ascii_lowercase())] & (1 << b.len()) == 0
    {
        return false;
    }
    PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(s))
}

use std::hash::Hasher;

/// The Fx hash (rustc's): a multiply-rotate over 8-byte words, several times faster than SipHash
/// on short keys. The keys are public-list strings, so hash flooding is no concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_quotes_and_space() {
        assert_eq!(trim_cell("  \"'acme.com'\" "), "acme.com");
        assert_eq!(trim_cell("\u{201C}Acme\u{201D}\u{a0}"), "Acme");
        assert_eq!(trim_cell("<https://acme.com>"), "https://acme.com");
    }

    #[test]
    fn placeholder_filter_agrees_with_the_list() {
        // Every placeholder in any case, and near misses: the length/first-byte filter must
        // let every placeholder through.
        for p in PLACEHOLDERS {
            for s in [p.to_string(), p.to_ascii_uppercase(), format!("{p}x"), format!("x{p}"), p[1..].to_string()] {
                assert_eq!(is_placeholder(&s), PLACEHOLDERS.iter().any(|q| q.eq_ignore_ascii_case(&s)), "{s:?}");
            }
        }
        assert!(PLACEHOLDERS.iter().all(|p| !p.is_empty() && p.len() <= 20 && p.is_ascii()));
        assert!(!is_placeholder(""));
        assert!(!is_placeholder("é"));
    }

    #[test]
    fn trim_shortcut_agrees() {
        for b in 0u8..128 {
            let c = char::from(b);
            for s in [format!("{c}a{c}"), format!("a{c}"), format!("{c}a"), format!("a{c}b"), c.to_string()] {
                assert_eq!(trim_cell(&s), s.trim_matches(is_wrapping), "{s:?}");
            }
        }
        assert_eq!(trim_cell(""), "");
        assert_eq!(trim_cell("\u{a0}x\u{201D}"), "x");
    }

    #[test]
    fn placeholders() {
        for p in ["N/A", "none", "-", "TBD", "Unknown", "null", "test", "#N/A"] {
            assert!(is_placeholder(p), "{p}");
        }
        assert!(!is_placeholder("acme"));
    }
}
