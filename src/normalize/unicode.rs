//! Unicode normalization forms (UAX #15: NFD, NFKD, NFC, NFKC) and the combining-mark property,
//! over compact tables.
//!
//! The data comes from the `unicode-normalization` crate, the maintained implementation: it is
//! a *build* dependency, and build.rs (`build/unicode.rs`) asks it, for every code point, for
//! its full canonical and compatibility decompositions, its canonical combining class, whether
//! it is a combining mark, and which pairs compose. What ships is that answer in 42 KB raw
//! (15 KB gzipped), where the crate's own lookup tables cost ~60 KB gzipped of wasm. The
//! algorithms here are the standard ones (UAX #15 §3 and §9: decompose, put each run of
//! non-starters in canonical order, then compose pairs that are not blocked; Hangul by
//! arithmetic), and `tests/unicode.rs` checks them against the crate: every code point alone,
//! and random strings built from the characters where normalization does something.
//!
//! ## Format of the embedded data
//! A sequence of columns, each its length in bytes then its bytes; numbers are LEB128. Values
//! of one kind sit together in a column because that is what gzip compresses best.
//! 1. Decompositions, of every code point whose full canonical or compatibility decomposition
//!    is not itself (Hangul syllables aside): the count then each code point as the difference
//!    from the previous one; a tag byte each (1: canonical, the same as the compatibility one;
//!    2: compatibility only; 3: both, canonical first); the length of each sequence; their
//!    characters.
//! 2. Canonical combining classes, as ranges `[start, end)` of one non-zero class: the count
//!    then each start as the difference from the previous end; the lengths; the classes (bytes).
//! 3. Combining marks: the same ranges without the classes.
//! 4. Composition pairs, by composite: the count then each composite as a difference; each
//!    first character as a signed difference from its composite (zigzag); the second characters.
//! 5. Lower case, of every code point that has another: the count then each code point as a
//!    difference; its lower case as a signed difference (zigzag), or 0 when that is more than one
//!    character; those sequences (length, characters).

use std::sync::OnceLock;

const DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/unicode.bin"));

/// The version of Unicode the tables follow (that of `unicode-normalization`).
pub const UNICODE_VERSION: &str = env!("OVERLAP_UNICODE_VERSION");

struct Tables {
    /// Code points with a decomposition, ascending.
    keys: Vec<u32>,
    /// Per key: (canonical, compatibility) as `start << 5 | len` into `chars`; len 0: none.
    vals: Vec<(u32, u32)>,
    chars: Vec<char>,
    /// `[start, end)` ranges of one non-zero canonical combining class.
    ccc: Vec<(u32, u32, u8)>,
    /// `[start, end)` ranges of combining marks.
    marks: Vec<(u32, u32)>,
    /// `(first << 32 | second, composite)`, ascending.
    pairs: Vec<(u64, char)>,
    /// Code points with another lower case, ascending, and that lower case.
    lower_keys: Vec<u32>,
    lower: Vec<[char; 2]>,
}

/// Reads LEB128 numbers from one column.
struct Column<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Column<'a> {
    fn num(&mut self) -> u32 {
        let mut v = 0u32;
        let mut shift = 0;
        while let Some(&b) = self.data.get(self.at) {
            self.at += 1;
            v |= u32::from(b & 0x7f) << shift;
            if b < 0x80 {
                break;
            }
            shift += 7;
        }
        v
    }

    fn char(&mut self) -> char {
        char::from_u32(self.num()).unwrap_or('\u{FFFD}')
    }

    /// The next column of `self`, which holds the whole data.
    fn next_column(&mut self) -> Column<'a> {
        let len = self.num() as usize;
        let start = self.at.min(self.data.len());
        self.at = (start + len).min(self.data.len());
        Column { data: &self.data[start..self.at], at: 0 }
    }
}

/// `from` moved by a zigzag difference (see the format).
fn unzigzag(from: u32, d: u32) -> u32 {
    if d & 1 == 0 {
        from.wrapping_add(d >> 1)
    } else {
        from.wrapping_sub(d >> 1)
    }
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut data = Column { data: DATA, at: 0 };
        let (mut cps, tags, mut lens, mut chars) =
            (data.next_column(), data.next_column(), data.next_column(), data.next_column());
        let n = cps.num() as usize;
        let mut t = Tables {
            keys: Vec::with_capacity(n),
            vals: Vec::with_capacity(n),
            chars: Vec::new(),
            ccc: Vec::new(),
            marks: Vec::new(),
            pairs: Vec::new(),
            lower_keys: Vec::new(),
            lower: Vec::new(),
        };
        let mut seq = |out: &mut Vec<char>| -> u32 {
            let len = lens.num();
            let start = out.len() as u32;
            out.extend((0..len).map(|_| chars.char()));
            start << 5 | len
        };
        let mut cp = 0;
        for i in 0..n {
            cp += cps.num();
            let (canon, compat) = match tags.data.get(i) {
                Some(1) => {
                    let s = seq(&mut t.chars);
                    (s, s)
                }
                Some(2) => (0, seq(&mut t.chars)),
                _ => {
                    let a = seq(&mut t.chars);
                    (a, seq(&mut t.chars))
                }
            };
            t.keys.push(cp);
            t.vals.push((canon, compat));
        }
        for with_class in [true, false] {
            let (mut starts, mut lens) = (data.next_column(), data.next_column());
            let classes = if with_class { data.next_column().data } else { &[] };
            let mut end = 0;
            for i in 0..starts.num() as usize {
                let start = end + starts.num();
                end = start + lens.num();
                if with_class {
                    t.ccc.push((start, end, classes.get(i).copied().unwrap_or(0)));
                } else {
                    t.marks.push((start, end));
                }
            }
        }
        let (mut composites, mut firsts, mut seconds) = (data.next_column(), data.next_column(), data.next_column());
        let mut composite = 0u32;
        for _ in 0..composites.num() {
            composite += composites.num();
            let first = unzigzag(composite, firsts.num());
            let key = (u64::from(first) << 32) | u64::from(seconds.num());
            t.pairs.push((key, char::from_u32(composite).unwrap_or('\u{FFFD}')));
        }
        crate::sort::by_key(&mut t.pairs, |p| (u128::from(p.0), 0));
        let (mut cps, mut deltas, mut extra) = (data.next_column(), data.next_column(), data.next_column());
        let mut cp = 0u32;
        for _ in 0..cps.num() {
            cp += cps.num();
            let d = deltas.num();
            let pair = match d {
                0 => {
                    let len = extra.num();
                    let first = extra.char();
                    [first, if len > 1 { extra.char() } else { '\0' }]
                }
                _ => {
                    let l = unzigzag(cp, d);
                    [char::from_u32(l).unwrap_or('\u{FFFD}'), '\0']
                }
            };
            t.lower_keys.push(cp);
            t.lower.push(pair);
        }
        debug_assert_eq!(data.at, DATA.len());
        t
    })
}

/// The lower case of a character: what `char::to_lowercase` gives (one or two characters).
#[derive(Debug, Clone)]
pub struct Lowercase {
    chars: [char; 2],
    at: u8,
}

impl Iterator for Lowercase {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let c = *self.chars.get(usize::from(self.at))?;
        self.at += 1;
        (c != '\0' || self.at == 1).then_some(c)
    }
}

/// The lower case of `c`, as Rust's `char::to_lowercase` has it (from the tables above, so that
/// the standard library's own case tables stay out of the wasm).
pub fn to_lowercase(c: char) -> Lowercase {
    let mut chars = [c, '\0'];
    if c.is_ascii() {
        chars[0] = c.to_ascii_lowercase();
    } else {
        let t = tables();
        if let Ok(i) = t.lower_keys.binary_search(&(c as u32)) {
            chars = t.lower[i];
        }
    }
    Lowercase { chars, at: 0 }
}

/// `s` in lower case, character by character (without `str::to_lowercase`'s final-sigma rule).
pub fn lowercase_str(s: &str) -> String {
    s.chars().flat_map(to_lowercase).collect()
}

// Hangul syllables (Unicode §3.12).
const S_BASE: u32 = 0xAC00;
const L_BASE: u32 = 0x1100;
const V_BASE: u32 = 0x1161;
const T_BASE: u32 = 0x11A7;
const L_COUNT: u32 = 19;
const V_COUNT: u32 = 21;
const T_COUNT: u32 = 28;
const N_COUNT: u32 = V_COUNT * T_COUNT;
const S_COUNT: u32 = L_COUNT * N_COUNT;

/// The canonical combining class of `c` (0 for starters).
pub fn canonical_combining_class(c: char) -> u8 {
    let u = c as u32;
    if u < 0x300 {
        return 0;
    }
    let t = &tables().ccc;
    let i = t.partition_point(|r| r.1 <= u);
    match t.get(i) {
        Some(&(s, _, class)) if s <= u => class,
        _ => 0,
    }
}

/// Whether `c` is a combining mark (General_Category Mn, Mc or Me).
pub fn is_combining_mark(c: char) -> bool {
    let u = c as u32;
    if u < 0x300 {
        return false;
    }
    let t = &tables().marks;
    let i = t.partition_point(|r| r.1 <= u);
    t.get(i).is_some_and(|&(s, _)| s <= u)
}

/// Appends the full decomposition of `c` (canonical, or compatibility when `compat`), not yet
/// in canonical order.
fn push_decomposed(c: char, compat: bool, out: &mut Vec<char>) {
    let u = c as u32;
    if u < 0xA0 {
        out.push(c);
        return;
    }
    if (S_BASE..S_BASE + S_COUNT).contains(&u) {
        let s = u - S_BASE;
        let l = L_BASE + s / N_COUNT;
        let v = V_BASE + (s % N_COUNT) / T_COUNT;
        let t = T_BASE + s % T_COUNT;
        out.extend([l, v].into_iter().filter_map(char::from_u32));
        if t != T_BASE {
            out.extend(char::from_u32(t));
        }
        return;
    }
    let t = tables();
    if let Ok(i) = t.keys.binary_search(&u) {
        let (canon, compat_seq) = t.vals[i];
        let v = if compat { compat_seq } else { canon };
        if v != 0 {
            let (start, len) = ((v >> 5) as usize, (v & 31) as usize);
            out.extend_from_slice(&t.chars[start..start + len]);
            return;
        }
    }
    out.push(c);
}

/// Puts each run of non-starters in `chars` in canonical order (a stable sort by combining
/// class).
fn reorder(chars: &mut [char]) {
    let mut i = 0;
    while i < chars.len() {
        if canonical_combining_class(chars[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && canonical_combining_class(chars[i]) != 0 {
            i += 1;
        }
        // Runs are short: an insertion sort (stable) by class.
        for j in start + 1..i {
            let c = chars[j];
            let class = canonical_combining_class(c);
            let mut k = j;
            while k > start && canonical_combining_class(chars[k - 1]) > class {
                chars[k] = chars[k - 1];
                k -= 1;
            }
            chars[k] = c;
        }
    }
}

/// Appends the decomposition (NFD, or NFKD when `compat`) of `s` to `out`.
pub fn decompose(s: &str, compat: bool, out: &mut Vec<char>) {
    let start = out.len();
    for c in s.chars() {
        push_decomposed(c, compat, out);
    }
    reorder(&mut out[start..]);
}

/// The primary composite of `a` and `b`, if they have one.
fn compose_pair(a: char, b: char) -> Option<char> {
    let (a, b) = (a as u32, b as u32);
    if (L_BASE..L_BASE + L_COUNT).contains(&a) && (V_BASE..V_BASE + V_COUNT).contains(&b) {
        return char::from_u32(S_BASE + ((a - L_BASE) * V_COUNT + (b - V_BASE)) * T_COUNT);
    }
    if (S_BASE..S_BASE + S_COUNT).contains(&a) && (a - S_BASE) % T_COUNT == 0 && (T_BASE + 1..T_BASE + T_COUNT).contains(&b) {
        return char::from_u32(a + (b - T_BASE));
    }
    let key = (u64::from(a) << 32) | u64::from(b);
    let t = &tables().pairs;
    t.binary_search_by_key(&key, |p| p.0).ok().map(|i| t[i].1)
}

/// Canonical composition of decomposed, canonically ordered text, appended to `out`.
fn compose_into(chars: &[char], out: &mut String) {
    let mut buf: Vec<char> = Vec::with_capacity(chars.len());
    // The last starter in `buf`, and the class of the last character after it (0: none).
    let mut starter: Option<usize> = None;
    let mut last_class = 0u8;
    for &c in chars {
        let class = canonical_combining_class(c);
        if let Some(si) = starter {
            // Not blocked: adjacent to the starter, or every character between has a lower
            // non-zero class (the run is in canonical order, so the last one is the highest).
            let unblocked = last_class == 0 && buf.len() == si + 1 || last_class != 0 && last_class < class;
            if unblocked {
                if let Some(r) = compose_pair(buf[si], c) {
                    buf[si] = r;
                    continue;
                }
            }
        }
        if class == 0 {
            starter = Some(buf.len());
            last_class = 0;
        } else {
            last_class = class;
        }
        buf.push(c);
    }
    out.extend(buf);
}

/// Unicode NFD of `s`.
pub fn nfd(s: &str) -> String {
    let mut d = Vec::with_capacity(s.len());
    decompose(s, false, &mut d);
    d.into_iter().collect()
}

/// Unicode NFKD of `s`.
pub fn nfkd(s: &str) -> String {
    let mut d = Vec::with_capacity(s.len());
    decompose(s, true, &mut d);
    d.into_iter().collect()
}

/// Unicode NFC of `s`.
pub fn nfc(s: &str) -> String {
    normalize_composed(s, false)
}

/// Unicode NFKC of `s`.
pub fn nfkc(s: &str) -> String {
    normalize_composed(s, true)
}

fn normalize_composed(s: &str, compat: bool) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        out.push_str(s);
        return out;
    }
    let mut d = Vec::with_capacity(s.len());
    decompose(s, compat, &mut d);
    compose_into(&d, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        assert_eq!(nfd("é"), "e\u{301}");
        assert_eq!(nfc("e\u{301}"), "é");
        assert_eq!(nfkc("ﬁ①Ｂ"), "fi1B");
        assert_eq!(nfkd("ǖ"), "u\u{308}\u{304}");
        assert_eq!(nfc("u\u{308}\u{304}"), "ǖ");
        assert_eq!(nfc("u\u{304}\u{308}"), "ṻ"); // the other order: another character
        assert_eq!(nfc("\u{1100}\u{1161}\u{11A8}"), "각");
        assert_eq!(nfd("각"), "\u{1100}\u{1161}\u{11A8}");
        assert_eq!(nfc("a\u{323}\u{302}"), "ậ");
        assert_eq!(nfc("a\u{302}\u{323}"), "ậ"); // reordered first
        assert!(is_combining_mark('\u{301}'));
        assert!(!is_combining_mark('a'));
        assert_eq!(canonical_combining_class('\u{301}'), 230);
        assert_eq!(canonical_combining_class('\u{323}'), 220);
    }
}
