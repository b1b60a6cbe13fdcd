//! Internationalized host names → one canonical ASCII form (A-labels, RFC 5890).
//!
//! Two partners may hold the same company as `bücher.de`, `BÜCHER.de`, `ｂüｃｈｅｒ.de` or
//! `xn--bcher-kva.de`; all four must give one key. The canonical form is ASCII: every label that
//! is not plain `[a-z0-9-]` becomes `xn--` followed by its Punycode (RFC 3492).
//!
//! ## Mapping (UTS #46-like, documented in docs/NORMALIZATION.md)
//!
//! 1. Unicode NFKC (full-width letters and digits become ASCII, ligatures split, …).
//! 2. Ideographic full stops `。` (U+3002), `．` (U+FF0E), `｡` (U+FF61) become `.`.
//! 3. Default-ignorable characters are dropped: soft hyphen, zero-width space/joiners, word
//!    joiner, BOM, variation selectors.
//! 4. Unicode default lower-casing, then NFC again.
//!
//! This is UTS #46 *non-transitional* processing in spirit (`ß`, `ς`, ZWJ-free labels stay as
//! they are, as browsers do today) without its full mapping table: the few code points where
//! UTS #46 maps differently from NFKC + lower-case (mostly symbols that IDNA disallows anyway,
//! which we refuse as invalid characters) never occur in company domains. The payoff is size:
//! the `idna` crate brings ICU4X normalizer data (or its own tables) that would duplicate the
//! Unicode tables we already need for company names ([`super::unicode`]); this file is ~250
//! lines and no data. The RFC 3492 sample strings pin the Punycode coder in the tests below.
//!
//! ## Validation
//!
//! After mapping, a label may hold ASCII letters, digits and `-`, and non-ASCII letters, digits
//! and combining marks; it may not start or end with `-`, and must be 1 to 63 bytes once
//! encoded; the whole host at most 253. An ASCII label starting `xn--` must decode, must not be
//! all ASCII, and is re-encoded from its mapped Unicode form, so `xn--` input converges on the
//! same key as the Unicode spelling.

use std::borrow::Cow;

use super::unicode::{self, is_combining_mark};

use super::Refusal;

/// Longest label in bytes (RFC 1035).
pub const MAX_LABEL: usize = 63;
/// Longest host in bytes, without a trailing dot (RFC 1035).
pub const MAX_HOST: usize = 253;

/// The canonical ASCII form of a host name (no scheme, port or path; a trailing dot removed by
/// the caller). ASCII input is lower-cased; non-ASCII input is mapped as the module doc says and
/// its labels Punycode-encoded.
///
/// ```
/// use overlap::normalize::idna::host_to_ascii;
/// assert_eq!(host_to_ascii("Bücher.DE").unwrap(), "xn--bcher-kva.de");
/// assert_eq!(host_to_ascii("xn--BCHER-kva.de").unwrap(), "xn--bcher-kva.de");
/// assert_eq!(host_to_ascii("食狮.公司.cn").unwrap(), "xn--85x722f.xn--55qx5d.cn");
/// ```
///
/// # Errors
/// [`Refusal::InvalidCharacter`] for a character no host name may hold, [`Refusal::MalformedHost`]
/// for an empty or over-long label, a label starting or ending with `-`, an invalid `xn--` label
/// or a host over 253 bytes.
pub fn host_to_ascii(host: &str) -> Result<String, Refusal> {
    let mapped: Cow<'_, str> = if host.is_ascii() { Cow::Borrowed(host) } else { Cow::Owned(map(host)) };
    let mut out = String::with_capacity(mapped.len() + 8);
    for (i, label) in mapped.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        label_to_ascii(label, &mut out)?;
    }
    if out.len() > MAX_HOST {
        return Err(Refusal::MalformedHost);
    }
    Ok(out)
}

/// The UTS #46-like mapping of the module doc.
pub fn map(s: &str) -> String {
    let folded: String = unicode::nfkc(s)
        .chars()
        .filter(|&c| !is_ignorable(c))
        .map(|c| if matches!(c, '\u{3002}' | '\u{FF0E}' | '\u{FF61}') { '.' } else { c })
        .flat_map(unicode::to_lowercase)
        .collect();
    unicode::nfc(&folded)
}

fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200D}' | '\u{2060}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

fn label_to_ascii(label: &str, out: &mut String) -> Result<(), Refusal> {
    if label.is_empty() {
        return Err(Refusal::MalformedHost);
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Err(Refusal::MalformedHost);
    }
    let start = out.len();
    if label.is_ascii() {
        let bytes = label.as_bytes();
        if bytes.len() >= 4 && bytes[..4].eq_ignore_ascii_case(b"xn--") {
            // An A-label: decode, map, re-encode, so it converges with the Unicode spelling.
            let decoded = decode(&label[4..]).ok_or(Refusal::MalformedHost)?;
            if decoded.is_ascii() {
                return Err(Refusal::MalformedHost);
            }
            let unicode = map(&decoded);
            if unicode.contains('.') || unicode.is_empty() {
                return Err(Refusal::MalformedHost);
            }
            return unicode_label(&unicode, out);
        }
        if !bytes.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(Refusal::InvalidCharacter);
        }
        out.push_str(label);
        out[start..].make_ascii_lowercase();
    } else {
        unicode_label(label, out)?;
    }
    if out.len() - start > MAX_LABEL {
        return Err(Refusal::MalformedHost);
    }
    Ok(())
}

/// Validates a mapped non-ASCII label and appends its A-label.
fn unicode_label(label: &str, out: &mut String) -> Result<(), Refusal> {
    if label.starts_with('-') || label.ends_with('-') {
        return Err(Refusal::MalformedHost);
    }
    for c in label.chars() {
        let ok = if c.is_ascii() {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
        } else {
            c.is_alphanumeric() || is_combining_mark(c)
        };
        if !ok {
            return Err(Refusal::InvalidCharacter);
        }
    }
    if label.chars().next().is_some_and(is_combining_mark) {
        return Err(Refusal::MalformedHost);
    }
    let start = out.len();
    if label.is_ascii() {
        out.push_str(label);
    } else {
        out.push_str("xn--");
        encode(label, out).ok_or(Refusal::MalformedHost)?;
    }
    if out.len() - start > MAX_LABEL {
        return Err(Refusal::MalformedHost);
    }
    Ok(())
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
        assert_eq!(host_to_ascii("a☃b.com"), Err(Refusal::InvalidCharacter));
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
