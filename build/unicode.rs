//! Build step: the Unicode normalization data this crate needs, derived from the
//! `unicode-normalization` crate (a build dependency: the maintained source of truth) and
//! written in the compact form that src/normalize/unicode.rs decodes (the format is described
//! there). tests/unicode.rs checks the result against the crate itself.
use unicode_normalization::char as un;

fn varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// `to - from` as a zigzag number: 2d for d >= 0, 2|d| + 1 below.
fn zigzag(to: char, from: char) -> u32 {
    let d = i64::from(to as u32) - i64::from(from as u32);
    if d >= 0 {
        (d as u32) << 1
    } else {
        ((-d) as u32) << 1 | 1
    }
}

fn is_hangul_syllable(c: u32) -> bool {
    (0xAC00..0xAC00 + 11172).contains(&c)
}

fn all_chars() -> impl Iterator<Item = char> {
    (0..=0x10FFFFu32).filter_map(char::from_u32)
}

/// Ranges `[start, end)` of consecutive code points where `f` gives the same non-zero value.
fn ranges(f: impl Fn(char) -> u8) -> Vec<(u32, u32, u8)> {
    let mut out: Vec<(u32, u32, u8)> = Vec::new();
    for c in all_chars() {
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

/// Appends one column: its length in bytes, then the bytes.
fn column(out: &mut Vec<u8>, col: &[u8]) {
    varint(out, col.len() as u32);
    out.extend_from_slice(col);
}

fn put_ranges(out: &mut Vec<u8>, rs: &[(u32, u32, u8)], with_value: bool) {
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
    if with_value {
        column(out, &values);
    }
}

pub fn encode() -> Vec<u8> {
    let mut out = Vec::new();

    // Decompositions: every code point whose full canonical or compatibility decomposition is
    // not itself (Hangul syllables excluded: they decompose by arithmetic).
    let mut entries = Vec::new();
    for c in all_chars().filter(|&c| !is_hangul_syllable(c as u32)) {
        let mut canon = Vec::new();
        un::decompose_canonical(c, |d| canon.push(d));
        let mut compat = Vec::new();
        un::decompose_compatible(c, |d| compat.push(d));
        let canon = if canon == [c] { None } else { Some(canon) };
        let compat = if compat == [c] { None } else { Some(compat) };
        if canon.is_some() || compat.is_some() {
            entries.push((c, canon, compat));
        }
    }
    let (mut cps, mut tags, mut lens, mut chars) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    varint(&mut cps, entries.len() as u32);
    let mut prev = 0;
    for (c, canon, compat) in &entries {
        varint(&mut cps, *c as u32 - prev);
        prev = *c as u32;
        let seqs: Vec<&Vec<char>> = match (canon, compat) {
            (Some(a), Some(b)) if a == b => {
                tags.push(1);
                vec![a]
            }
            (None, Some(b)) => {
                tags.push(2);
                vec![b]
            }
            (Some(a), Some(b)) => {
                tags.push(3);
                vec![a, b]
            }
            // A canonical decomposition is also the start of the compatibility one.
            (Some(_), None) | (None, None) => unreachable!("{c:?}"),
        };
        for seq in seqs {
            assert!(seq.len() < 32, "{c:?}: decompositions are stored with 5-bit lengths");
            varint(&mut lens, seq.len() as u32);
            for &d in seq {
                varint(&mut chars, d as u32);
            }
        }
    }
    for col in [&cps, &tags, &lens, &chars] {
        column(&mut out, col);
    }

    // Canonical combining classes, and the combining marks (General_Category M*).
    put_ranges(&mut out, &ranges(un::canonical_combining_class), true);
    put_ranges(&mut out, &ranges(|c| u8::from(un::is_combining_mark(c))), false);

    // Primary composites: the pairs `compose` joins. Either side of a pair is a character of
    // some canonical decomposition or a character that has one (a composite of composites).
    // Hangul composes by arithmetic.
    let mut firsts = std::collections::BTreeSet::new();
    let mut seconds = std::collections::BTreeSet::new();
    for (c, canon, _) in &entries {
        if let Some(d) = canon {
            firsts.insert(*c);
            seconds.insert(*c);
            firsts.insert(d[0]);
            seconds.extend(d[1..].iter().copied());
        }
    }
    let mut pairs = Vec::new();
    for &a in &firsts {
        for &b in &seconds {
            if let Some(r) = un::compose(a, b) {
                pairs.push((a, b, r));
            }
        }
    }
    // By composite: each first character is then close to its composite.
    pairs.sort_by_key(|p| p.2);
    let (mut composites, mut firsts_col, mut seconds_col) = (Vec::new(), Vec::new(), Vec::new());
    varint(&mut composites, pairs.len() as u32);
    let mut prev = 0;
    for (a, b, r) in pairs {
        varint(&mut composites, r as u32 - prev);
        prev = r as u32;
        varint(&mut firsts_col, zigzag(a, r));
        varint(&mut seconds_col, b as u32);
    }
    for col in [&composites, &firsts_col, &seconds_col] {
        column(&mut out, col);
    }

    // Lower case (Rust's `char::to_lowercase`, of the compiler building this): per code point
    // that changes, the difference to its lower case (zigzag), or 0 and the sequence when that is
    // more than one character (U+0130 alone today).
    let (mut cps, mut deltas, mut extra) = (Vec::new(), Vec::new(), Vec::new());
    let lowered: Vec<(char, Vec<char>)> =
        all_chars().map(|c| (c, c.to_lowercase().collect::<Vec<_>>())).filter(|(c, l)| l != &[*c]).collect();
    varint(&mut cps, lowered.len() as u32);
    let mut prev = 0;
    for (c, l) in &lowered {
        varint(&mut cps, *c as u32 - prev);
        prev = *c as u32;
        if let [one] = l[..] {
            varint(&mut deltas, zigzag(one, *c));
        } else {
            assert!(l.len() <= 2, "{c:?}: lower case stored in at most two characters");
            varint(&mut deltas, 0);
            varint(&mut extra, l.len() as u32);
            for &x in l {
                varint(&mut extra, x as u32);
            }
        }
    }
    for col in [&cps, &deltas, &extra] {
        column(&mut out, col);
    }
    out
}
