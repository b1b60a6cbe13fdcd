//! Build step: the UTS #46 data src/normalize/idna.rs needs, derived from ICU4X (build
//! dependencies `icu_normalizer` and `icu_properties`, compiled data of the same Unicode version
//! as the `unicode-normalization` crate the other tables come from), written in the compact form
//! src/normalize/idna.rs decodes (the format is described there). tests/idna.rs holds the result
//! to Unicode's conformance file and to the `idna` crate (which runs on the same ICU4X data).
use icu_normalizer::uts46::Uts46MapperBorrowed;
use icu_properties::props::{BidiClass, JoiningType, Script};
use icu_properties::CodePointMapData;

fn varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(d: i64) -> u32 {
    if d >= 0 {
        (d as u32) << 1
    } else {
        ((-d) as u32) << 1 | 1
    }
}

fn column(out: &mut Vec<u8>, col: &[u8]) {
    varint(out, col.len() as u32);
    out.extend_from_slice(col);
}

/// Status of one code point under UTS #46 nontransitional processing.
#[derive(Clone, PartialEq, Eq)]
enum Status {
    Valid,
    Ignored,
    Disallowed,
    Mapped(Vec<char>),
}

fn status(mapper: &Uts46MapperBorrowed<'_>, c: char) -> Status {
    if c == '\u{FFFD}' {
        return Status::Disallowed;
    }
    let m: Vec<char> = mapper.map_normalize(std::iter::once(c)).collect();
    if m.is_empty() {
        Status::Ignored
    } else if m.contains(&'\u{FFFD}') {
        Status::Disallowed
    } else if m == [c] {
        Status::Valid
    } else {
        Status::Mapped(m)
    }
}

/// Ranges `[start, end)` of consecutive code points where `f` gives the same non-zero value.
fn ranges(f: impl Fn(char) -> u8) -> Vec<(u32, u32, u8)> {
    let mut out: Vec<(u32, u32, u8)> = Vec::new();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let v = f(c);
        if v == 0 {
            continue;
        }
        let u = c as u32;
        match out.last_mut() {
            Some(last) if last.1 == u && last.2 == v => last.1 = u + 1,
            _ => out.push((u, u + 1, v)),
        }
    }
    out
}

fn put_ranges(out: &mut Vec<u8>, rs: &[(u32, u32, u8)]) {
    let (mut starts, mut lens, mut values) = (Vec::new(), Vec::new(), Vec::new());
    varint(&mut starts, rs.len() as u32);
    let mut prev = 0;
    for &(s, e, v) in rs {
        varint(&mut starts, s - prev);
        varint(&mut lens, e - s);
        values.push(v);
        prev = e;
    }
    column(out, &starts);
    column(out, &lens);
    column(out, &values);
}

pub fn encode() -> Vec<u8> {
    let mapper = Uts46MapperBorrowed::new();
    let mut out = Vec::new();

    // 1. Status runs. Kind 0 valid, 1 ignored, 2 disallowed, 3 mapped to one character at a
    //    constant distance (the run's delta), 4 mapped each to its own sequence. Surrogates are
    //    no `char`: they fall in a disallowed run, as UTS #46 has them.
    let mut runs: Vec<(u32, u32, u8, i64)> = Vec::new();
    let mut seqs: Vec<Vec<char>> = Vec::new();
    for u in 0..=0x10FFFFu32 {
        let st = char::from_u32(u).map_or(Status::Disallowed, |c| status(&mapper, c));
        let (kind, delta) = match &st {
            Status::Valid => (0, 0),
            Status::Ignored => (1, 0),
            Status::Disallowed => (2, 0),
            Status::Mapped(m) if m.len() == 1 => (3, i64::from(m[0] as u32) - i64::from(u)),
            Status::Mapped(_) => (4, 0),
        };
        if let Status::Mapped(m) = st {
            if kind == 4 {
                seqs.push(m);
            }
        }
        match runs.last_mut() {
            Some(last) if last.1 == u && last.2 == kind && last.3 == delta => last.1 = u + 1,
            _ => runs.push((u, u + 1, kind, delta)),
        }
    }
    let (mut starts, mut lens, mut kinds, mut deltas) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    varint(&mut starts, runs.len() as u32);
    let mut prev = 0;
    for &(s, e, k, d) in &runs {
        varint(&mut starts, s - prev);
        varint(&mut lens, e - s);
        kinds.push(k);
        if k == 3 {
            varint(&mut deltas, zigzag(d));
        }
        prev = e;
    }
    let (mut seq_lens, mut seq_chars) = (Vec::new(), Vec::new());
    for s in &seqs {
        varint(&mut seq_lens, s.len() as u32);
        for &c in s {
            varint(&mut seq_chars, c as u32);
        }
    }
    for col in [&starts, &lens, &kinds, &deltas, &seq_lens, &seq_chars] {
        column(&mut out, col);
    }

    // 2. Bidi classes other than L (1 R, 2 AL, 3 AN, 4 EN, 5 ES, 6 CS, 7 ET, 8 ON, 9 BN,
    //    10 NSM, 11 any other); 3. joining types other than U (1 C, 2 D, 3 L, 4 R, 5 T); 4. the
    //    scripts the CONTEXTO rules name (1 Greek, 2 Hebrew, 3 Hiragana, 4 Katakana, 5 Han).
    let bidi = CodePointMapData::<BidiClass>::new();
    put_ranges(
        &mut out,
        &ranges(|c| match bidi.get(c) {
            BidiClass::LeftToRight => 0,
            BidiClass::RightToLeft => 1,
            BidiClass::ArabicLetter => 2,
            BidiClass::ArabicNumber => 3,
            BidiClass::EuropeanNumber => 4,
            BidiClass::EuropeanSeparator => 5,
            BidiClass::CommonSeparator => 6,
            BidiClass::EuropeanTerminator => 7,
            BidiClass::OtherNeutral => 8,
            BidiClass::BoundaryNeutral => 9,
            BidiClass::NonspacingMark => 10,
            _ => 11,
        }),
    );
    let jt = CodePointMapData::<JoiningType>::new();
    put_ranges(
        &mut out,
        &ranges(|c| match jt.get(c) {
            JoiningType::JoinCausing => 1,
            JoiningType::DualJoining => 2,
            JoiningType::LeftJoining => 3,
            JoiningType::RightJoining => 4,
            JoiningType::Transparent => 5,
            _ => 0,
        }),
    );
    let script = CodePointMapData::<Script>::new();
    put_ranges(
        &mut out,
        &ranges(|c| match script.get(c) {
            Script::Greek => 1,
            Script::Hebrew => 2,
            Script::Hiragana => 3,
            Script::Katakana => 4,
            Script::Han => 5,
            _ => 0,
        }),
    );
    out
}
