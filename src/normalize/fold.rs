//! Folding: step 1 of company-name normalization (Unicode NFKC, diacritics and case removed,
//! punctuation to spaces; see [`mod@super::name`]'s module doc), and joining folded words with
//! initials collapsed (steps 4–5). Shared by company names and country names, so neither module
//! depends on the other.

use std::sync::OnceLock;

use super::unicode::{self, is_combining_mark};

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Step 1 of the module doc: the folded text, words separated by spaces (not yet collapsed).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    fold_into(s, &mut out);
    out
}

/// [`fold`], appended to `out`.
pub(crate) fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        fold_ascii(s, out);
    } else if !fold_latin(s, out) {
        fold_general(s, out);
    }
}

/// First character of the [`LATIN`] table.
pub(crate) const LATIN_FIRST: u32 = 0xA0;

/// [`fold_general`] of each character from U+00A0 to U+024F alone (Latin-1 and Latin
/// Extended-A and B: `é`, `ü`, `ø`, `ł`, `ß`, `ō`…), where that is ASCII and the character's
/// decomposition starts with a starter; `None` for the others.
///
/// Text of ASCII and such characters folds one character at a time: the decomposition of each
/// starts with a starter (canonical reordering never moves marks across it), every character is
/// folded on its own, and the result is ASCII (no composition either). So [`fold_general`] of
/// the text is the characters' folds one after the other.
pub(crate) static LATIN: OnceLock<Vec<Option<Box<str>>>> = OnceLock::new();

pub(crate) fn latin() -> &'static [Option<Box<str>>] {
    LATIN.get_or_init(|| {
        (LATIN_FIRST..=0x24F)
            .map(|u| {
                let c = char::from_u32(u)?;
                let first = unicode::nfkd(c.encode_utf8(&mut [0; 4])).chars().next()?;
                if unicode::canonical_combining_class(first) != 0 {
                    return None;
                }
                let mut out = String::new();
                fold_general(c.encode_utf8(&mut [0; 4]), &mut out);
                out.is_ascii().then(|| out.into_boxed_str())
            })
            .collect()
    })
}

/// [`fold`] of text whose characters are all ASCII or in [`LATIN`], appended to `out`; `false`
/// (and `out` as it was) for other text.
pub(crate) fn fold_latin(s: &str, out: &mut String) -> bool {
    let table = latin();
    let start = out.len();
    let mut bytes = std::mem::take(out).into_bytes();
    for c in s.chars() {
        if c.is_ascii() {
            match ASCII_FOLD[c as usize] {
                DROP => {}
                AND => bytes.extend_from_slice(b" and "),
                b => bytes.push(b),
            }
            continue;
        }
        match (c as u32).checked_sub(LATIN_FIRST).and_then(|i| table.get(i as usize)) {
            Some(Some(folded)) => bytes.extend_from_slice(folded.as_bytes()),
            _ => {
                bytes.truncate(start);
                *out = String::from_utf8(bytes).unwrap_or_default();
                return false;
            }
        }
    }
    // Only ASCII was added to valid UTF-8: always valid.
    *out = String::from_utf8(bytes).unwrap_or_default();
    true
}

/// What [`fold_ascii`] makes of each ASCII byte: itself lower-cased (letters, digits), nothing
/// (`DROP`: apostrophes), ` and ` (`AND`: `&`) or a space.
pub(crate) const ASCII_FOLD: [u8; 128] = {
    let mut t = [b' '; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' | b'0'..=b'9' => c,
            b'A'..=b'Z' => c.to_ascii_lowercase(),
            b'&' => AND,
            b'\'' | b'`' => DROP,
            _ => b' ',
        };
        b += 1;
    }
    t
};
pub(crate) const DROP: u8 = 0;
pub(crate) const AND: u8 = 1;

/// [`fold`] of ASCII text: what [`fold_general`] gives for it (NFKD and NFC leave ASCII as it is,
/// and no ASCII character is a combining mark), one byte at a time.
pub(crate) fn fold_ascii(s: &str, out: &mut String) {
    let mut bytes = std::mem::take(out).into_bytes();
    bytes.reserve(s.len());
    for b in s.bytes() {
        match ASCII_FOLD[usize::from(b & 0x7f)] {
            DROP => {}
            AND => bytes.extend_from_slice(b" and "),
            c => bytes.push(c),
        }
    }
    // Only ASCII was added to valid UTF-8: always valid.
    *out = String::from_utf8(bytes).unwrap_or_default();
}

/// [`fold`] of any text: NFKD, combining diacritics dropped, [`push_folded`], NFC.
pub(crate) fn fold_general(s: &str, out: &mut String) {
    let start = out.len();
    for c in unicode::nfkd(s).chars() {
        if ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        push_folded(c, out);
    }
    if !out[start..].is_ascii() {
        let composed = unicode::nfc(&out[start..]);
        out.truncate(start);
        out.push_str(&composed);
    }
}

pub(crate) fn push_folded(c: char, out: &mut String) {
    match c {
        '&' | '\u{FF06}' => out.push_str(" and "),
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' | '\u{00B7}' => {}
        _ if c.is_ascii() => {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(' ');
            }
        }
        _ => {
            for l in unicode::to_lowercase(c) {
                match l {
                    'ß' => out.push_str("ss"),
                    'ø' => out.push('o'),
                    'æ' => out.push_str("ae"),
                    'œ' => out.push_str("oe"),
                    'ł' => out.push('l'),
                    'đ' | 'ð' => out.push('d'),
                    'þ' => out.push_str("th"),
                    'ı' => out.push('i'),
                    'ħ' => out.push('h'),
                    'ŧ' => out.push('t'),
                    'ƒ' => out.push('f'),
                    'ĸ' => out.push('k'),
                    'ς' => out.push('σ'),
                    _ if l.is_alphanumeric() || is_combining_mark(l) => out.push(l),
                    _ => out.push(' '),
                }
            }
        }
    }
}

/// Folded words joined with initials collapsed, without legal-form trimming: the lookup form
/// of country names.
pub(crate) fn fold_words(s: &str) -> String {
    let folded = fold(s);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = String::with_capacity(folded.len());
    join_collapsing_initials(&words, &mut out);
    out
}

/// Step 4 and 5 of the module doc, appended to `out`.
pub(crate) fn join_collapsing_initials(words: &[&str], out: &mut String) {
    out.reserve(words.iter().map(|w| w.len() + 1).sum());
    let initial = |w: &str| w.len() == 1 && w.as_bytes()[0].is_ascii_alphanumeric();
    for (i, w) in words.iter().enumerate() {
        let joins = i > 0 && initial(w) && initial(words[i - 1]);
        if i > 0 && !joins {
            out.push(' ');
        }
        out.push_str(w);
    }
}
