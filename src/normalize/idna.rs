//! Internationalized host names → one canonical ASCII form (A-labels, RFC 5890), by UTS #46.
//!
//! Two partners may hold the same company as `bücher.de`, `BÜCHER.de`, `ｂüｃｈｅｒ．de` or
//! `xn--bcher-kva.de`; all four must give one key. The canonical form is what a browser puts on
//! the wire: UTS #46 ToASCII with *nontransitional* processing (`ß`, `ς`, ZWJ and ZWNJ are kept,
//! as Chrome, Firefox and Safari keep them), then Punycode (RFC 3492) for each label that is not
//! plain ASCII.
//!
//! ## Processing ([`to_ascii`]), as UTS #46 §4 with every check on
//!
//! 1. **Map** each code point by the IDNA Mapping Table: valid ones stay, mapped ones are
//!    replaced (`Ｂ` → `b`, `ℌ` → `h`, `。` and `．` → `.`), ignored ones are dropped (soft
//!    hyphen, U+2064, variation selectors U+FE00–FE0F and U+E0100–E01EF, U+115F…), a disallowed
//!    one refuses the host (`invalid_character`). Then NFC.
//! 2. **Break** into labels at `.`.
//! 3. **Convert/validate** each label. One starting `xn--` must be ASCII, decode as Punycode to a
//!    label that is not all ASCII, and that label must pass the checks below *without* mapping
//!    (it must already be in mapped, NFC form). Every label: not empty; no `-` at the start or end
//!    nor in both the third and fourth positions (CheckHyphens); not starting with a combining
//!    mark; every code point valid, ASCII ones only `a-z`, `0-9`, `-` (UseSTD3ASCIIRules);
//!    ZWNJ/ZWJ only where RFC 5892's CONTEXTJ rules allow them (after a virama, or ZWNJ between
//!    joining letters: CheckJoiners); the CONTEXTO rules of RFC 5892 Appendix A (Catalan middle
//!    dot `l·l`, Greek keraia before Greek, Hebrew geresh and gershayim after Hebrew, Katakana
//!    middle dot with Japanese, Arabic-Indic and extended Arabic-Indic digits not mixed): UTS #46
//!    leaves these optional, registries apply them, so no registered name breaks them.
//! 4. **Bidi** (CheckBidi): when any label holds a right-to-left character, every label must meet
//!    RFC 5893 §2's six rules.
//! 5. **ToASCII**: each non-ASCII label becomes `xn--` + Punycode; each label 1–63 bytes, the
//!    whole at most 253 (VerifyDnsLength).
//!
//! [`host_to_ascii`] is the same on a host whose root label (trailing dots, ASCII or full-width
//! or ideographic) is dropped after mapping, with an ASCII fast path.
//!
//! The data (mapping, Bidi classes, joining types, the scripts of the CONTEXTO rules) is derived
//! at build time from ICU4X (`build/idna.rs`), of the Unicode version of [`super::unicode`];
//! tests/idna.rs runs Unicode's conformance file (IdnaTestV2.txt) and compares with the `idna`
//! crate.
//!
//! ## Format of the embedded data
//! Columns as in [`super::unicode`] (each its length then its bytes; numbers LEB128):
//! 1. status runs over all code points: the count then each start as the distance from the last
//!    end; the lengths; a kind byte each (0 valid, 1 ignored, 2 disallowed, 3 mapped to one
//!    character at the run's distance, 4 mapped each to its own sequence); the distances of the
//!    kind-3 runs (zigzag); the lengths of the kind-4 sequences, one per code point in order;
//!    their characters.
//! 2. Bidi classes other than L, as ranges (starts, lengths, classes: 1 R, 2 AL, 3 AN, 4 EN,
//!    5 ES, 6 CS, 7 ET, 8 ON, 9 BN, 10 NSM, 11 others).
//! 3. Joining types other than U, as ranges (1 C, 2 D, 3 L, 4 R, 5 T).
//! 4. Scripts of the CONTEXTO rules, as ranges (1 Greek, 2 Hebrew, 3 Hiragana, 4 Katakana,
//!    5 Han).

use std::sync::OnceLock;

use super::unicode::{self, is_combining_mark};

use super::Refusal;

/// Longest label in bytes (RFC 1035).
pub const MAX_LABEL: usize = 63;
/// Longest host in bytes, without a trailing dot (RFC 1035).
pub const MAX_HOST: usize = 253;

const DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/idna.bin"));

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
            v |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b < 0x80 {
                break;
            }
            shift += 7;
        }
        v
    }

    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn next_column(&mut self) -> Column<'a> {
        let len = self.num() as usize;
        let start = self.at.min(self.data.len());
        self.at = (start + len).min(self.data.len());
        Column { data: &self.data[start..self.at], at: 0 }
    }
}

/// Ranges `[start, end)` with a value, ascending.
struct Ranges(Vec<(u32, u32, u8)>);

impl Ranges {
    fn read(data: &mut Column<'_>) -> Ranges {
        let (mut starts, mut lens, mut values) = (data.next_column(), data.next_column(), data.next_column());
        let n = starts.num() as usize;
        let mut v = Vec::with_capacity(n);
        let mut prev = 0u32;
        for _ in 0..n {
            let s = prev.wrapping_add(starts.num());
            let e = s.wrapping_add(lens.num());
            v.push((s, e, values.byte()));
            prev = e;
        }
        Ranges(v)
    }

    /// The value of `c`, 0 outside every range.
    fn get(&self, c: char) -> u8 {
        let u = c as u32;
        let i = self.0.partition_point(|r| r.1 <= u);
        match self.0.get(i) {
            Some(&(s, _, v)) if s <= u => v,
            _ => 0,
        }
    }
}

struct Tables {
    /// Start of each status run, ascending (the first is 0).
    starts: Vec<u32>,
    /// Per run: kind (see the format) and its datum (kind 3: the distance, zigzag; kind 4: the
    /// index of the run's first sequence in `seqs`).
    runs: Vec<(u8, u32)>,
    /// Kind-4 sequences: start and length in `chars`.
    seqs: Vec<(u32, u32)>,
    chars: Vec<char>,
    bidi: Ranges,
    joining: Ranges,
    scripts: Ranges,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut data = Column { data: DATA, at: 0 };
        let (mut starts, mut lens, mut kinds, mut deltas, mut seq_lens, mut seq_chars) = (
            data.next_column(),
            data.next_column(),
            data.next_column(),
            data.next_column(),
            data.next_column(),
            data.next_column(),
        );
        let n = starts.num() as usize;
        let mut t = Tables {
            starts: Vec::with_capacity(n),
            runs: Vec::with_capacity(n),
            seqs: Vec::new(),
            chars: Vec::new(),
            bidi: Ranges(Vec::new()),
            joining: Ranges(Vec::new()),
            scripts: Ranges(Vec::new()),
        };
        let mut prev = 0u32;
        for _ in 0..n {
            let s = prev.wrapping_add(starts.num());
            let len = lens.num();
            let kind = kinds.byte();
            let datum = match kind {
                3 => deltas.num(),
                4 => {
                    let first = t.seqs.len() as u32;
                    for _ in 0..len {
                        let l = seq_lens.num();
                        let at = t.chars.len() as u32;
                        t.chars.extend((0..l).map(|_| char::from_u32(seq_chars.num()).unwrap_or('\u{FFFD}')));
                        t.seqs.push((at, l));
                    }
                    first
                }
                _ => 0,
            };
            t.starts.push(s);
            t.runs.push((kind, datum));
            prev = s.wrapping_add(len);
        }
        t.bidi = Ranges::read(&mut data);
        t.joining = Ranges::read(&mut data);
        t.scripts = Ranges::read(&mut data);
        t
    })
}

/// The UTS #46 status of one code point (nontransitional: deviations are valid).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Kept as it is.
    Valid,
    /// Dropped.
    Ignored,
    /// Refuses the name.
    Disallowed,
    /// Replaced by one character.
    MappedTo(char),
    /// Replaced by a sequence.
    MappedToSeq(&'static [char]),
}

/// The UTS #46 status of `c`.
pub fn status(c: char) -> Status {
    let t = tables();
    let u = c as u32;
    let i = t.starts.partition_point(|&s| s <= u).saturating_sub(1);
    let (Some(&start), Some(&(kind, datum))) = (t.starts.get(i), t.runs.get(i)) else {
        return Status::Disallowed;
    };
    match kind {
        0 => Status::Valid,
        1 => Status::Ignored,
        3 => {
            let d = datum >> 1;
            let to = if datum & 1 == 0 { u.wrapping_add(d) } else { u.wrapping_sub(d) };
            char::from_u32(to).map_or(Status::Disallowed, Status::MappedTo)
        }
        4 => match t.seqs.get((datum + (u - start)) as usize) {
            Some(&(at, len)) => Status::MappedToSeq(&t.chars[at as usize..(at + len) as usize]),
            None => Status::Disallowed,
        },
        _ => Status::Disallowed,
    }
}

// Bidi classes as build/idna.rs numbers them.
const L: u8 = 0;
const R: u8 = 1;
const AL: u8 = 2;
const AN: u8 = 3;
const EN: u8 = 4;
const ES: u8 = 5;
const CS: u8 = 6;
const ET: u8 = 7;
const ON: u8 = 8;
const BN: u8 = 9;
const NSM: u8 = 10;

fn bidi_class(c: char) -> u8 {
    match c {
        'a'..='z' | 'A'..='Z' => L,
        '0'..='9' => EN,
        '-' => ES,
        _ => tables().bidi.get(c),
    }
}

/// Steps 1 and 2 of the module doc: the mapped, NFC text of the whole name.
fn map(s: &str) -> Result<String, Refusal> {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match status(c) {
            Status::Valid => out.push(c),
            Status::Ignored => {}
            Status::Disallowed => return Err(Refusal::InvalidCharacter),
            Status::MappedTo(m) => out.push(m),
            Status::MappedToSeq(seq) => out.extend(seq),
        }
    }
    Ok(if out.is_ascii() { out } else { unicode::nfc(&out) })
}

/// UTS #46 ToASCII of a domain name, nontransitional, with CheckHyphens, CheckBidi,
/// CheckJoiners, UseSTD3ASCIIRules and VerifyDnsLength on, plus the CONTEXTO rules: what
/// Unicode's conformance file (IdnaTestV2.txt) tests as `toAsciiN`.
///
/// ```
/// use overlap::normalize::idna::to_ascii;
/// assert_eq!(to_ascii("Bücher.DE").unwrap(), "xn--bcher-kva.de");
/// assert_eq!(to_ascii("faß.de").unwrap(), "xn--fa-hia.de");
/// assert!(to_ascii("acme.com.").is_err()); // the root label is empty
/// ```
///
/// # Errors
/// [`Refusal::InvalidCharacter`] for a disallowed code point, or one its context does not allow;
/// [`Refusal::MalformedHost`] for a label that breaks the other rules, or lengths.
pub fn to_ascii(domain: &str) -> Result<String, Refusal> {
    let mapped = map(domain)?;
    labels_to_ascii(&mapped)
}

/// The canonical ASCII form of a host name (no scheme, port or path): [`to_ascii`] of the host
/// with its root label dropped, so a trailing dot, ASCII (`acme.com.`), full-width or ideographic
/// (`acme。com。`), changes nothing. ASCII input takes a fast path with the same result.
///
/// ```
/// use overlap::normalize::idna::host_to_ascii;
/// assert_eq!(host_to_ascii("Bücher.DE").unwrap(), "xn--bcher-kva.de");
/// assert_eq!(host_to_ascii("xn--BCHER-kva.de").unwrap(), "xn--bcher-kva.de");
/// assert_eq!(host_to_ascii("食狮.公司.cn").unwrap(), "xn--85x722f.xn--55qx5d.cn");
/// assert_eq!(host_to_ascii("acme．com。").unwrap(), "acme.com");
/// ```
///
/// # Errors
/// As [`to_ascii`].
pub fn host_to_ascii(host: &str) -> Result<String, Refusal> {
    if host.is_ascii() {
        if let Some(ascii) = ascii_host(host.trim_end_matches('.'))? {
            return Ok(ascii);
        }
    }
    let mapped = map(host)?;
    labels_to_ascii(mapped.trim_end_matches('.'))
}

/// The fast path: an ASCII host without `xn--` labels (which need decoding, and may make it a
/// Bidi name): lower-cased and checked label by label. `None` when a label starts `xn--`.
fn ascii_host(host: &str) -> Result<Option<String>, Refusal> {
    let mut out = String::with_capacity(host.len());
    for (i, label) in host.split('.').enumerate() {
        let b = label.as_bytes();
        if b.len() >= 4 && b[..4].eq_ignore_ascii_case(b"xn--") {
            return Ok(None);
        }
        if i > 0 {
            out.push('.');
        }
        if !b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-') {
            return Err(Refusal::InvalidCharacter);
        }
        check_hyphens_and_length(label)?;
        let start = out.len();
        out.push_str(label);
        out[start..].make_ascii_lowercase();
    }
    if out.len() > MAX_HOST {
        return Err(Refusal::MalformedHost);
    }
    Ok(Some(out))
}

/// Empty labels, `-` at either end or in the third and fourth positions, over 63 bytes.
fn check_hyphens_and_length(label: &str) -> Result<(), Refusal> {
    let b = label.as_bytes();
    if b.is_empty() || b.len() > MAX_LABEL || b[0] == b'-' || b[b.len() - 1] == b'-' || b.get(2..4) == Some(b"--") {
        return Err(Refusal::MalformedHost);
    }
    Ok(())
}

/// Steps 2 to 5 on mapped text.
fn labels_to_ascii(mapped: &str) -> Result<String, Refusal> {
    let mut labels: Vec<std::borrow::Cow<'_, str>> = Vec::new();
    for label in mapped.split('.') {
        if let Some(puny) = label.strip_prefix("xn--") {
            if !label.is_ascii() {
                return Err(Refusal::MalformedHost);
            }
            let decoded = decode(puny).ok_or(Refusal::MalformedHost)?;
            if decoded.is_empty() || decoded.is_ascii() || unicode::nfc(&decoded) != decoded {
                return Err(Refusal::MalformedHost);
            }
            validate(&decoded)?;
            labels.push(decoded.into());
        } else {
            validate(label)?;
            labels.push(label.into());
        }
    }
    if labels.iter().any(|l| l.chars().any(|c| matches!(bidi_class(c), R | AL | AN))) && !labels.iter().all(|l| bidi_ok(l)) {
        return Err(Refusal::MalformedHost);
    }
    let mut out = String::with_capacity(mapped.len() + 8);
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        let start = out.len();
        if label.is_ascii() {
            out.push_str(label);
        } else {
            out.push_str("xn--");
            encode(label, &mut out).ok_or(Refusal::MalformedHost)?;
        }
        if out.len() - start > MAX_LABEL {
            return Err(Refusal::MalformedHost);
        }
    }
    if out.len() > MAX_HOST {
        return Err(Refusal::MalformedHost);
    }
    Ok(out)
}

/// The validity criteria of step 3 on one label (mapped, NFC).
fn validate(label: &str) -> Result<(), Refusal> {
    let b = label.as_bytes();
    // Hyphens: at either end, or in the third and fourth positions (code points, not bytes).
    let mut third_fourth = label.chars().skip(2).take(2);
    if b.is_empty()
        || b[0] == b'-'
        || b[b.len() - 1] == b'-'
        || (third_fourth.next() == Some('-') && third_fourth.next() == Some('-'))
    {
        return Err(Refusal::MalformedHost);
    }
    if label.chars().next().is_some_and(is_combining_mark) {
        return Err(Refusal::MalformedHost);
    }
    let mut context = false;
    for c in label.chars() {
        let ok = if c.is_ascii() {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
        } else {
            context |= matches!(c, '\u{200C}' | '\u{200D}' | '\u{00B7}' | '\u{0375}' | '\u{05F3}' | '\u{05F4}' | '\u{30FB}' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}');
            status(c) == Status::Valid
        };
        if !ok {
            return Err(Refusal::InvalidCharacter);
        }
    }
    if context && !contexts_ok(label) {
        return Err(Refusal::InvalidCharacter);
    }
    Ok(())
}

// Joining types as build/idna.rs numbers them.
const JT_D: u8 = 2;
const JT_L: u8 = 3;
const JT_R: u8 = 4;
const JT_T: u8 = 5;

// Scripts as build/idna.rs numbers them.
const GREEK: u8 = 1;
const HEBREW: u8 = 2;
const HIRAGANA: u8 = 3;
const KATAKANA: u8 = 4;
const HAN: u8 = 5;

/// RFC 5892 Appendix A: the CONTEXTJ rules (A.1, A.2) and the CONTEXTO rules (A.3–A.9).
fn contexts_ok(label: &str) -> bool {
    let t = tables();
    let cs: Vec<char> = label.chars().collect();
    let virama_before = |i: usize| i > 0 && unicode::canonical_combining_class(cs[i - 1]) == 9;
    for (i, &c) in cs.iter().enumerate() {
        let ok = match c {
            // ZERO WIDTH NON-JOINER: after a virama, or (L|D) T* ZWNJ T* (R|D).
            '\u{200C}' => {
                virama_before(i) || {
                    let before = cs[..i].iter().rev().map(|&x| t.joining.get(x)).find(|&j| j != JT_T);
                    let after = cs[i + 1..].iter().map(|&x| t.joining.get(x)).find(|&j| j != JT_T);
                    matches!(before, Some(JT_L | JT_D)) && matches!(after, Some(JT_R | JT_D))
                }
            }
            // ZERO WIDTH JOINER: after a virama.
            '\u{200D}' => virama_before(i),
            // MIDDLE DOT: between two `l` (Catalan `l·l`).
            '\u{00B7}' => i > 0 && cs[i - 1] == 'l' && cs.get(i + 1) == Some(&'l'),
            // GREEK LOWER NUMERAL SIGN (keraia): before a Greek character.
            '\u{0375}' => cs.get(i + 1).is_some_and(|&n| t.scripts.get(n) == GREEK),
            // HEBREW PUNCTUATION GERESH and GERSHAYIM: after a Hebrew character.
            '\u{05F3}' | '\u{05F4}' => i > 0 && t.scripts.get(cs[i - 1]) == HEBREW,
            // KATAKANA MIDDLE DOT: in a label with Hiragana, Katakana or Han.
            '\u{30FB}' => cs.iter().any(|&x| matches!(t.scripts.get(x), HIRAGANA | KATAKANA | HAN)),
            // ARABIC-INDIC DIGITS: not with extended Arabic-Indic digits, and the reverse.
            '\u{0660}'..='\u{0669}' => !cs.iter().any(|x| ('\u{06F0}'..='\u{06F9}').contains(x)),
            '\u{06F0}'..='\u{06F9}' => !cs.iter().any(|x| ('\u{0660}'..='\u{0669}').contains(x)),
            _ => true,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// RFC 5893 §2: the six rules for a label of a Bidi domain name.
fn bidi_ok(label: &str) -> bool {
    let mut classes = label.chars().map(bidi_class);
    let Some(first) = classes.next() else { return false };
    let rtl = match first {
        R | AL => true,
        L => false,
        _ => return false,
    };
    let (mut last, mut en, mut an) = (first, first == EN, first == AN);
    for c in classes {
        let allowed = if rtl {
            matches!(c, R | AL | AN | EN | ES | CS | ET | ON | BN | NSM)
        } else {
            matches!(c, L | EN | ES | CS | ET | ON | BN | NSM)
        };
        if !allowed {
            return false;
        }
        en |= c == EN;
        an |= c == AN;
        if c != NSM {
            last = c;
        }
    }
    if rtl {
        matches!(last, R | AL | EN | AN) && !(en && an)
    } else {
        matches!(last, L | EN)
    }
}

// RFC 3492 §5 parameters.
const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

// RFC 3492 §6.1.
fn adapt(mut delta: u32, num_points: u32, first_time: bool) -> u32 {
    delta /= if first_time { DAMP } else { 2 };
    delta += delta / num_points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (((BASE - T_MIN + 1) * delta) / (delta + SKEW))
}

fn digit_char(d: u32) -> char {
    // 0..25 → a..z, 26..35 → 0..9; callers pass d < 36.
    let b = if d < 26 { b'a' + d as u8 } else { b'0' + (d as u8 - 26) };
    b as char
}

fn char_digit(c: u8) -> Option<u32> {
    match c {
        b'a'..=b'z' => Some(u32::from(c - b'a')),
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 26),
        _ => None,
    }
}

fn threshold(k: u32, bias: u32) -> u32 {
    if k <= bias {
        T_MIN
    } else if k >= bias + T_MAX {
        T_MAX
    } else {
        k - bias
    }
}

/// RFC 3492 §6.3: appends the Punycode of `input` (without `xn--`). `None` on overflow, which
/// only absurdly long labels reach.
pub fn encode(input: &str, out: &mut String) -> Option<()> {
    let chars: Vec<u32> = input.chars().map(u32::from).collect();
    let basic = chars.iter().filter(|&&c| c < 0x80).count() as u32;
    out.extend(chars.iter().filter(|&&c| c < 0x80).map(|&c| c as u8 as char));
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut h) = (INITIAL_N, 0u32, INITIAL_BIAS, basic);
    let total = chars.len() as u32;
    while h < total {
        let m = chars.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(h + 1)?)?;
        n = m;
        for &c in &chars {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    out.push(digit_char(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit_char(q));
                bias = adapt(delta, h + 1, h == basic);
                delta = 0;
                h += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(())
}

/// RFC 3492 §6.2: the Unicode string whose Punycode is `input` (without `xn--`); `None` when it
/// is not valid Punycode.
pub fn decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let (basic, rest) = match bytes.iter().rposition(|&b| b == b'-') {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (&bytes[..0], bytes),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.iter().map(|&b| (b as char).to_ascii_lowercase()).collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut pos = 0;
    while pos < rest.len() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let digit = char_digit(*rest.get(pos)?)?;
            pos += 1;
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = output.len() as u32 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        let c = char::from_u32(n)?;
        if n < 0x80 {
            return None;
        }
        output.insert(i as usize, c);
        i += 1;
    }
    Some(output.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &str) -> String {
        let mut out = String::new();
        encode(s, &mut out).unwrap();
        out
    }

    /// RFC 3492 §7.1 sample strings (lower-cased: we only ever encode mapped labels).
    const SAMPLES: &[(&str, &str)] = &[
        // (A) Arabic (Egyptian)
        (
            "\u{0644}\u{064A}\u{0647}\u{0645}\u{0627}\u{0628}\u{062A}\u{0643}\u{0644}\u{0645}\u{0648}\u{0634}\u{0639}\u{0631}\u{0628}\u{064A}\u{061F}",
            "egbpdaj6bu4bxfgehfvwxn",
        ),
        // (B) Chinese (simplified)
        ("\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}", "ihqwcrb4cv8a8dqg056pqjye"),
        // (E) Hebrew
        (
            "\u{05DC}\u{05DE}\u{05D4}\u{05D4}\u{05DD}\u{05E4}\u{05E9}\u{05D5}\u{05D8}\u{05DC}\u{05D0}\u{05DE}\u{05D3}\u{05D1}\u{05E8}\u{05D9}\u{05DD}\u{05E2}\u{05D1}\u{05E8}\u{05D9}\u{05EA}",
            "4dbcagdahymbxekheh6e0a7fei0b",
        ),
        // (I) Russian (Cyrillic), lower case
        (
            "\u{043F}\u{043E}\u{0447}\u{0435}\u{043C}\u{0443}\u{0436}\u{0435}\u{043E}\u{043D}\u{0438}\u{043D}\u{0435}\u{0433}\u{043E}\u{0432}\u{043E}\u{0440}\u{044F}\u{0442}\u{043F}\u{043E}\u{0440}\u{0443}\u{0441}\u{0441}\u{043A}\u{0438}",
            "b1abfaaepdrnnbgefbadotcwatmq2g4l",
        ),
        // (J) Spanish, lower case
        (
            "porqu\u{00E9}nopuedensimplementehablarenespa\u{00F1}ol",
            "porqunopuedensimplementehablarenespaol-fmd56a",
        ),
        // (L) Japanese "3年B組金八先生", lower case
        ("3\u{5E74}b\u{7D44}\u{91D1}\u{516B}\u{5148}\u{751F}", "3b-ww4c5e180e575a65lsy2b"),
    ];

    #[test]
    fn rfc3492_samples_round_trip() {
        for (unicode, puny) in SAMPLES {
            assert_eq!(enc(unicode), *puny);
            assert_eq!(decode(puny).unwrap(), *unicode);
        }
    }

    #[test]
    fn maps_and_encodes_hosts() {
        assert_eq!(host_to_ascii("bücher.de").unwrap(), "xn--bcher-kva.de");
        assert_eq!(host_to_ascii("BÜCHER.de").unwrap(), "xn--bcher-kva.de");
        assert_eq!(host_to_ascii("ｂüｃｈｅｒ．de").unwrap(), "xn--bcher-kva.de");
        assert_eq!(host_to_ascii("xn--bcher-kva.de").unwrap(), "xn--bcher-kva.de");
        assert_eq!(host_to_ascii("bu\u{0308}cher.de").unwrap(), "xn--bcher-kva.de");
        assert_eq!(host_to_ascii("fa\u{00DF}.de").unwrap(), "xn--fa-hia.de");
        assert_eq!(host_to_ascii("münchen。de").unwrap(), "xn--mnchen-3ya.de");
        assert_eq!(host_to_ascii("shop\u{200B}.de").unwrap(), "shop.de");
    }

    #[test]
    fn refuses_bad_labels() {
        assert_eq!(host_to_ascii("a..b"), Err(Refusal::MalformedHost));
        assert_eq!(host_to_ascii("-a.com"), Err(Refusal::MalformedHost));
        assert_eq!(host_to_ascii("a_b.com"), Err(Refusal::InvalidCharacter));
        // Symbols are valid in UTS #46 (browsers resolve them); private use and unassigned code
        // points are not.
        assert_eq!(host_to_ascii("a☃b.com").unwrap(), "xn--ab-fsx.com");
        assert_eq!(host_to_ascii("a\u{E000}b.com"), Err(Refusal::InvalidCharacter));
        assert_eq!(host_to_ascii("a\u{0378}b.com"), Err(Refusal::InvalidCharacter));
        assert_eq!(host_to_ascii("xn--abc-.com"), Err(Refusal::MalformedHost));
        assert_eq!(host_to_ascii("xn--99999999999.com"), Err(Refusal::MalformedHost));
        assert_eq!(host_to_ascii(&"a".repeat(64)), Err(Refusal::MalformedHost));
        assert_eq!(host_to_ascii(&"ü".repeat(60)), Err(Refusal::MalformedHost));
    }

    #[test]
    fn decoder_never_panics_on_garbage() {
        for s in ["", "-", "--", "a-", "zzzzzzzzzzzzzzzzzzzzzzzzzzzz", "9", "99999999999999", "a-b-c", "ü", "-9z"] {
            let _ = decode(s);
        }
    }
}
