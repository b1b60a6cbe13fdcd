//! Raw bytes → UTF-8 text, incrementally, whatever the spreadsheet saved.
//!
//! The encoding is decided once, from the first bytes:
//!
//! 1. A byte-order mark wins: `EF BB BF` is UTF-8, `FF FE` UTF-16LE (Excel's "Unicode Text"),
//!    `FE FF` UTF-16BE. The mark is not part of the text.
//! 2. Without one, NUL bytes on every other position mean UTF-16 without a mark.
//! 3. Otherwise the bytes are UTF-8 when they are valid UTF-8, and Windows-1252 (the superset of
//!    Latin-1 that Excel on Windows writes) when their non-ASCII bytes are mostly not.
//!
//! A file that is pure ASCII in its first bytes stays "UTF-8 until proven otherwise": the first
//! invalid sequence later on switches to Windows-1252 without loss, since everything before it
//! was ASCII, which both encodings read alike. Invalid sequences in a file already seen to hold
//! real UTF-8 are replaced by U+FFFD and their positions kept, so the rows holding them get a
//! warning.
//!
//! A chunk may end anywhere, even inside a character: the incomplete tail waits for the next chunk.
//!
//! The conversions are `encoding_rs::mem`'s UTF-16 and Latin-1 converters (SIMD where available),
//! plus the 32-entry Windows-1252 table for `80`–`9F`. `encoding_rs`'s general `Decoder` is not
//! used: it dispatches over every encoding, which would link its CJK tables into the wasm build.

use std::fmt;
use std::str::FromStr;

use encoding_rs::mem;

use super::magic::{self, Foreign};

/// A text encoding the reader understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16, little-endian (Excel's "Unicode Text", with a mark).
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Windows-1252, the superset of ISO-8859-1 (Latin-1) written by Excel on Windows.
    Windows1252,
}

impl Encoding {
    /// The encoding's usual label, e.g. `UTF-8`, `UTF-16LE`, `windows-1252`.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The label is not one of the encodings the reader knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEncoding;

impl fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown encoding: expected utf-8, utf-16le, utf-16be or windows-1252")
    }
}

impl std::error::Error for UnknownEncoding {}

impl FromStr for Encoding {
    type Err = UnknownEncoding;
    /// Accepts `utf-8`, `utf8`, `utf-8-bom`, `utf-16le`, `utf-16`, `unicode`, `utf-16be`,
    /// `windows-1252`, `cp1252`, `latin1`, `iso-8859-1` (any case). A deliberately short list:
    /// looking labels up in `encoding_rs` would link every encoding's tables.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let l: String = s.trim().chars().filter(|c| !matches!(c, '-' | '_' | ' ')).collect::<String>().to_ascii_lowercase();
        Ok(match l.as_str() {
            "utf8" => Encoding::Utf8,
            "utf8bom" | "utf8sig" => Encoding::Utf8Bom,
            "utf16le" | "utf16" | "unicode" | "ucs2" => Encoding::Utf16Le,
            "utf16be" => Encoding::Utf16Be,
            "windows1252" | "cp1252" | "latin1" | "iso88591" | "l1" | "ansi" => Encoding::Windows1252,
            _ => return Err(UnknownEncoding),
        })
    }
}

/// Why the bytes are not a text file at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotText {
    /// A file recognised by its first bytes: a spreadsheet, an image, a PDF, an archive.
    Foreign(Foreign),
    /// NUL bytes where text has none.
    Binary,
}

impl NotText {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            NotText::Foreign(f) => f.describe(),
            NotText::Binary => "this is binary data, not a text file",
        }
    }
}

/// What the first bytes say: the encoding and how many bytes of byte-order mark to skip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Detected {
    pub encoding: Encoding,
    pub bom_len: usize,
    /// UTF-8 that was pure ASCII so far: may still turn out to be Windows-1252.
    pub tentative: bool,
}

/// Decides the encoding from the first bytes of a file (`whole` when they are the whole file).
pub(crate) fn detect(prefix: &[u8], forced: Option<Encoding>, whole: bool) -> Result<Detected, NotText> {
    if let Some(f) = magic::recognise(prefix) {
        return Err(NotText::Foreign(f));
    }
    let bom = if prefix.starts_with(b"\xEF\xBB\xBF") {
        Some((Encoding::Utf8Bom, 3))
    } else if prefix.starts_with(b"\xFF\xFE") {
        Some((Encoding::Utf16Le, 2))
    } else if prefix.starts_with(b"\xFE\xFF") {
        Some((Encoding::Utf16Be, 2))
    } else {
        None
    };
    if let Some(forced) = forced {
        // A mark that agrees with the forced encoding is still skipped.
        let bom_len = match (bom, forced) {
            (Some((Encoding::Utf8Bom, n)), Encoding::Utf8 | Encoding::Utf8Bom) => n,
            (Some((e, n)), f) if e == f => n,
            _ => 0,
        };
        let encoding = if forced == Encoding::Utf8 && bom_len == 3 { Encoding::Utf8Bom } else { forced };
        return Ok(Detected { encoding, bom_len, tentative: false });
    }
    if let Some((encoding, bom_len)) = bom {
        return Ok(Detected { encoding, bom_len, tentative: false });
    }
    let head = &prefix[..prefix.len().min(4096)];
    let pairs = head.len() / 2;
    if pairs >= 2 {
        let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        if odd * 10 >= pairs * 3 && even * 20 <= pairs {
            return Ok(Detected { encoding: Encoding::Utf16Le, bom_len: 0, tentative: false });
        }
        if even * 10 >= pairs * 3 && odd * 20 <= pairs {
            return Ok(Detected { encoding: Encoding::Utf16Be, bom_len: 0, tentative: false });
        }
        if (even + odd) * 10 > head.len() {
            return Err(NotText::Binary);
        }
    }
    let (valid, invalid) = utf8_census(prefix, whole);
    if invalid == 0 {
        return Ok(Detected { encoding: Encoding::Utf8, bom_len: 0, tentative: valid == 0 });
    }
    if valid >= invalid * 2 {
        // Real UTF-8 with a few damaged bytes: keep UTF-8, replace the damage.
        return Ok(Detected { encoding: Encoding::Utf8, bom_len: 0, tentative: false });
    }
    Ok(Detected { encoding: Encoding::Windows1252, bom_len: 0, tentative: false })
}

/// Counts valid multi-byte UTF-8 characters and invalid sequences.
fn utf8_census(mut bytes: &[u8], whole: bool) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                valid += s.chars().filter(|c| !c.is_ascii()).count();
                return (valid, invalid);
            }
            Err(e) => {
                let good = &bytes[..e.valid_up_to()];
                valid += std::str::from_utf8(good).map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                match e.error_len() {
                    Some(n) => {
                        invalid += 1;
                        bytes = &bytes[e.valid_up_to() + n..];
                    }
                    None => {
                        if whole {
                            invalid += 1;
                        }
                        return (valid, invalid);
                    }
                }
            }
        }
    }
}

/// Windows-1252 `80`–`9F` (WHATWG Encoding Standard; the five unassigned bytes map to the C1
/// controls of the same value, as browsers do). `A0`–`FF` are Latin-1.
const W1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02C6}', '\u{2030}',
    '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}',
    '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}',
    '\u{017E}', '\u{0178}',
];

/// At most this many replacement positions are remembered (the count goes on).
const MAX_REPLACED: usize = 10_000;

/// Decodes chunk after chunk into one UTF-8 `String`.
#[derive(Debug)]
pub(crate) struct Decoder {
    encoding: Encoding,
    /// Pure-ASCII UTF-8 so far: an invalid sequence switches to Windows-1252.
    tentative: bool,
    /// Bytes of an incomplete character (or code unit) waiting for the next chunk.
    carry: Vec<u8>,
    /// Scratch for the converters (kept valid UTF-8: the converters need a `&mut str`).
    scratch: String,
    units: Vec<u16>,
    /// Byte offsets in the text where U+FFFD replaced undecodable input.
    replaced: Vec<usize>,
    replaced_count: u64,
}

impl Decoder {
    pub(crate) fn new(d: Detected) -> Decoder {
        Decoder {
            encoding: d.encoding,
            tentative: d.tentative,
            carry: Vec::new(),
            scratch: String::new(),
            units: Vec::new(),
            replaced: Vec::new(),
            replaced_count: 0,
        }
    }

    /// The encoding in use (it may change once, from tentative UTF-8 to Windows-1252).
    pub(crate) fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Positions in the text where undecodable bytes were replaced by U+FFFD.
    pub(crate) fn replaced(&self) -> &[usize] {
        &self.replaced
    }

    /// How many replacements in all.
    pub(crate) fn replaced_count(&self) -> u64 {
        self.replaced_count
    }

    /// Appends the text of `input` to `text`; `last` flushes an incomplete tail as U+FFFD.
    pub(crate) fn decode(&mut self, input: &[u8], last: bool, text: &mut String) {
        match self.encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => self.utf8(input, last, text),
            Encoding::Utf16Le => self.utf16(input, last, text, false),
            Encoding::Utf16Be => self.utf16(input, last, text, true),
            Encoding::Windows1252 => self.w1252(input, text),
        }
    }

    fn replace(&mut self, text: &mut String) {
        if self.replaced.len() < MAX_REPLACED {
            self.replaced.push(text.len());
        }
        self.replaced_count += 1;
        text.push('\u{FFFD}');
    }

    fn utf8(&mut self, mut input: &[u8], last: bool, text: &mut String) {
        if !self.carry.is_empty() {
            // Complete the character split by the previous chunk.
            let need = utf8_len(self.carry[0]).max(self.carry.len());
            let take = (need - self.carry.len()).min(input.len());
            self.carry.extend_from_slice(&input[..take]);
            input = &input[take..];
            if self.carry.len() < need && !last {
                return;
            }
            let piece = std::mem::take(&mut self.carry);
            match std::str::from_utf8(&piece) {
                Ok(s) => {
                    self.tentative = false;
                    text.push_str(s);
                }
                Err(_) => {
                    if self.tentative {
                        // Pure ASCII so far: this file is Windows-1252 after all.
                        self.encoding = Encoding::Windows1252;
                        self.tentative = false;
                        self.w1252(&piece, text);
                        self.w1252(input, text);
                        return;
                    }
                    // The piece may hold an invalid lead followed by good bytes: re-run them.
                    self.replace(text);
                    let rest = piece.get(1..).unwrap_or(&[]).to_vec();
                    self.utf8(&rest, false, text);
                }
            }
        }
        loop {
            match std::str::from_utf8(input) {
                Ok(s) => {
                    self.push_checked(s, text);
                    return;
                }
                Err(e) => {
                    let (good, bad) = input.split_at(e.valid_up_to());
                    if let Ok(s) = std::str::from_utf8(good) {
                        self.push_checked(s, text);
                    }
                    match e.error_len() {
                        None => {
                            if last {
                                if self.tentative {
                                    self.encoding = Encoding::Windows1252;
                                    self.tentative = false;
                                    self.w1252(bad, text);
                                } else {
                                    self.replace(text);
                                }
                            } else {
                                self.carry.extend_from_slice(bad);
                            }
                            return;
                        }
                        Some(n) => {
                            if self.tentative {
                                self.encoding = Encoding::Windows1252;
                                self.tentative = false;
                                self.w1252(bad, text);
                                return;
                            }
                            self.replace(text);
                            input = &bad[n..];
                        }
                    }
                }
            }
        }
    }

    fn push_checked(&mut self, s: &str, text: &mut String) {
        if self.tentative && !s.is_ascii() {
            self.tentative = false;
        }
        text.push_str(s);
    }

    fn w1252(&mut self, input: &[u8], text: &mut String) {
        let mut rest = input;
        while !rest.is_empty() {
            let run = rest.iter().position(|b| (0x80..0xA0).contains(b)).unwrap_or(rest.len());
            // In blocks, so the scratch stays small whatever the chunk size.
            for src in rest[..run].chunks(32 * 1024) {
                if self.scratch.len() < src.len() * 2 {
                    self.scratch = "\0".repeat(src.len() * 2);
                }
                let n = mem::convert_latin1_to_str(src, &mut self.scratch);
                text.push_str(self.scratch.get(..n).unwrap_or(""));
            }
            if let Some(&b) = rest.get(run) {
                text.push(W1252_HIGH[usize::from(b - 0x80) & 31]);
                rest = &rest[run + 1..];
            } else {
                rest = &[];
            }
        }
    }

    fn utf16(&mut self, input: &[u8], last: bool, text: &mut String, big_endian: bool) {
        const BLOCK: usize = 16 * 1024;
        // The carry (at most 3 bytes: an odd byte and/or a held high surrogate) comes first.
        let carried = std::mem::take(&mut self.carry);
        let total = carried.len() + input.len();
        let byte_at = |i: usize| if i < carried.len() { carried[i] } else { input[i - carried.len()] };
        self.units.clear();
        for k in 0..total / 2 {
            self.units.push(unit(byte_at(2 * k), byte_at(2 * k + 1), big_endian));
            if self.units.len() >= BLOCK {
                self.flush_units(text, false);
            }
        }
        let odd = (total % 2 == 1).then(|| byte_at(total - 1));
        if last {
            self.flush_units(text, true);
            if odd.is_some() {
                self.replace(text);
            }
        } else {
            // A trailing high surrogate stays in `units`: its pair may be in the next chunk.
            self.flush_units(text, false);
            for u in std::mem::take(&mut self.units) {
                let b = if big_endian { u.to_be_bytes() } else { u.to_le_bytes() };
                self.carry.extend_from_slice(&b);
            }
            if let Some(b) = odd {
                self.carry.push(b);
            }
        }
    }

    /// Converts the buffered code units; `all` = even a trailing high surrogate.
    fn flush_units(&mut self, text: &mut String, all: bool) {
        let mut held = None;
        if !all {
            if let Some(&u) = self.units.last() {
                if (0xD800..0xDC00).contains(&u) {
                    held = self.units.pop();
                }
            }
        }
        if !self.units.is_empty() {
            let need = self.units.len() * 3;
            if self.scratch.len() < need {
                self.scratch = "\0".repeat(need);
            }
            let n = mem::convert_utf16_to_str(&self.units, &mut self.scratch);
            let start = text.len();
            let s = self.scratch.get(..n).unwrap_or("");
            text.push_str(s);
            if s.contains('\u{FFFD}') && !self.units.contains(&0xFFFD) {
                for (i, _) in s.match_indices('\u{FFFD}') {
                    if self.replaced.len() < MAX_REPLACED {
                        self.replaced.push(start + i);
                    }
                    self.replaced_count += 1;
                }
            }
        }
        self.units.clear();
        if let Some(u) = held {
            self.units.push(u);
        }
    }
}

fn unit(b0: u8, b1: u8, big_endian: bool) -> u16 {
    if big_endian {
        u16::from_be_bytes([b0, b1])
    } else {
        u16::from_le_bytes([b0, b1])
    }
}

/// The length of the UTF-8 sequence a lead byte announces (1 for a byte that cannot lead).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_chunks(bytes: &[u8], chunk: usize) -> (String, Encoding) {
        let d = detect(bytes, None, true).unwrap();
        let mut dec = Decoder::new(d);
        let mut text = String::new();
        let body = &bytes[d.bom_len..];
        let mut parts = body.chunks(chunk.max(1)).peekable();
        if parts.peek().is_none() {
            dec.decode(&[], true, &mut text);
        }
        while let Some(p) = parts.next() {
            dec.decode(p, parts.peek().is_none(), &mut text);
        }
        (text, dec.encoding())
    }

    const SAMPLE: &str = "Name,Website\nCafé Müller,cafe.de\n\"Åsa “Ö” €\",x.se\n𝄞 Music,music.io\n";

    #[test]
    fn every_encoding_in_every_chunk_size() {
        let utf16le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(SAMPLE.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(SAMPLE.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        let bom: Vec<u8> = b"\xEF\xBB\xBF".iter().copied().chain(SAMPLE.bytes()).collect();
        let w1252 = "Name,Website\nCafé Müller,cafe.de\n\"Åsa “Ö” €\",x.se\n";
        let (w1252_bytes, _, _) = encoding_rs::WINDOWS_1252.encode(w1252);
        for chunk in [1, 2, 3, 5, 7, 64, 1 << 20] {
            assert_eq!(decode_in_chunks(SAMPLE.as_bytes(), chunk), (SAMPLE.to_string(), Encoding::Utf8), "{chunk}");
            assert_eq!(decode_in_chunks(&bom, chunk), (SAMPLE.to_string(), Encoding::Utf8Bom), "{chunk}");
            assert_eq!(decode_in_chunks(&utf16le, chunk), (SAMPLE.to_string(), Encoding::Utf16Le), "{chunk}");
            assert_eq!(decode_in_chunks(&utf16be, chunk), (SAMPLE.to_string(), Encoding::Utf16Be), "{chunk}");
            assert_eq!(decode_in_chunks(&w1252_bytes, chunk), (w1252.to_string(), Encoding::Windows1252), "{chunk}");
        }
    }

    #[test]
    fn windows_1252_table_agrees_with_encoding_rs() {
        let all: Vec<u8> = (0u8..=255).collect();
        let mut dec = Decoder::new(Detected { encoding: Encoding::Windows1252, bom_len: 0, tentative: false });
        let mut text = String::new();
        dec.decode(&all, true, &mut text);
        let (expected, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&all);
        assert_eq!(text, expected);
    }

    #[test]
    fn ascii_prefix_then_latin1_switches_without_loss() {
        let mut bytes = b"Name,Website\n".repeat(100);
        bytes.extend_from_slice(b"Caf\xe9,cafe.fr\n");
        let d = detect(&bytes[..64], None, false).unwrap();
        assert!(d.tentative);
        let mut dec = Decoder::new(d);
        let mut text = String::new();
        for c in bytes.chunks(64) {
            dec.decode(c, false, &mut text);
        }
        dec.decode(&[], true, &mut text);
        assert_eq!(dec.encoding(), Encoding::Windows1252);
        assert!(text.ends_with("Café,cafe.fr\n"));
        assert!(dec.replaced().is_empty());
    }

    #[test]
    fn damaged_utf8_is_replaced_and_located() {
        let bytes = "Näme,W\nä,\u{e9}\n".bytes().chain(*b"x\xffy\n").collect::<Vec<u8>>();
        let (text, enc) = decode_in_chunks(&bytes, 3);
        assert_eq!(enc, Encoding::Utf8);
        assert!(text.ends_with("x\u{FFFD}y\n"), "{text:?}");
    }

    #[test]
    fn utf16_without_a_mark_is_recognised_by_its_nul_bytes() {
        let le: Vec<u8> = SAMPLE.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = SAMPLE.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_in_chunks(&le, 5), (SAMPLE.to_string(), Encoding::Utf16Le));
        assert_eq!(decode_in_chunks(&be, 5), (SAMPLE.to_string(), Encoding::Utf16Be));
    }

    #[test]
    fn office_files_are_named() {
        assert_eq!(detect(b"PK\x03\x04rest", None, true), Err(NotText::Foreign(Foreign::Zip)));
        assert_eq!(detect(b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR", None, true), Err(NotText::Foreign(Foreign::Png)));
        assert_eq!(detect(b"\0\0\0\0\x01\x02\0\0\0\0\0\0", None, true), Err(NotText::Binary));
    }

    #[test]
    fn labels() {
        assert_eq!("UTF-16LE".parse(), Ok(Encoding::Utf16Le));
        assert_eq!("latin1".parse(), Ok(Encoding::Windows1252));
        assert!("shift_jis".parse::<Encoding>().is_err());
    }
}
