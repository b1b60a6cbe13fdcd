//! UTS #46: Unicode's conformance cases (tests/idna/IdnaTestV2.txt, provenance in
//! tests/idna/SOURCE, refreshed by scripts/update-idna-tests) against
//! `normalize::idna::to_ascii`, and a comparison with the `idna` crate, the maintained
//! implementation (servo's, over ICU4X: the data build/idna.rs derives from).
//!
//! `cargo test --test idna -- --nocapture` prints the counts. Every case the conformance test
//! does not hold us to is in [`EXCLUDED`] or counted under a rule below, with its reason.

use overlap::normalize::idna::{host_to_ascii, status, to_ascii, Status};
use overlap::normalize::unicode::UNICODE_VERSION;

const TESTS: &str = include_str!("idna/IdnaTestV2.txt");

/// `\uXXXX` and `\x{XXXX}` escapes; `None` for an escaped surrogate (no Rust string holds one).
fn unescape(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let r = &rest[i..];
        let (hex, len) = if let Some(h) = r.strip_prefix("\\u") {
            (&h[..4], 6)
        } else if let Some(h) = r.strip_prefix("\\x{") {
            let end = h.find('}').unwrap();
            (&h[..end], 4 + end)
        } else {
            out.push('\\');
            rest = &r[1..];
            continue;
        };
        out.push(char::from_u32(u32::from_str_radix(hex, 16).unwrap())?);
        rest = &r[len..];
    }
    out.push_str(rest);
    Some(out)
}

/// One line: source, and the expected `toAsciiN`: the value, or `Err(status codes)`.
struct Case {
    line: usize,
    source: String,
    expect: Result<String, String>,
}

/// The cases of the file; the count of lines skipped for holding a surrogate.
fn cases() -> (Vec<Case>, usize) {
    let mut out = Vec::new();
    let mut surrogates = 0;
    for (i, raw) in TESTS.lines().enumerate() {
        let line = raw.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(';').map(str::trim).collect();
        assert!(f.len() >= 5, "line {}: {} fields", i + 1, f.len());
        let value = |s: &str| if s == "\"\"" { Some(String::new()) } else { unescape(s) };
        let Some(source) = value(f[0]) else {
            surrogates += 1;
            continue;
        };
        let Some(to_unicode) = (if f[1].is_empty() { Some(source.clone()) } else { value(f[1]) }) else {
            surrogates += 1;
            continue;
        };
        let unicode_status = if f[2].is_empty() { "[]" } else { f[2] };
        let ascii = if f[3].is_empty() { Some(to_unicode) } else { value(f[3]) };
        let ascii_status = if f[4].is_empty() { unicode_status } else { f[4] };
        let expect = if ascii_status == "[]" { Ok(ascii.expect("a value")) } else { Err(ascii_status.to_string()) };
        out.push(Case { line: i + 1, source, expect });
    }
    (out, surrogates)
}

/// Cases not held to the file, each with its reason (line numbers of tests/idna/IdnaTestV2.txt).
///
/// The file is Unicode 16.0.0's (the newest any registry ships: the `idna` crate's copy; the PyPI
/// `idna` sdist no longer has it), the tables are Unicode 18.0.0's. These five cases hold a code
/// point that was unassigned in 16.0 (so disallowed, `V7`) and is an assigned, valid letter since:
/// U+3F8CD and U+3E8AC are Small Seal ideographs (CJK Extension J, Unicode 18.0), U+32B9A is a
/// CJK Extension J ideograph (Unicode 17.0). `uts46_exclusions_are_the_newer_unicode` checks that
/// the `idna` crate, on the same Unicode 18.0 data, gives what we give on each.
const EXCLUDED: &[(usize, &str)] = &[
    (3386, "U+3F8CD: unassigned in Unicode 16.0, valid since 18.0"),
    (4405, "U+32B9A: unassigned in Unicode 16.0, valid since 17.0"),
    (5858, "U+3E8AC: unassigned in Unicode 16.0, valid since 18.0"),
    (5859, "U+3E8AC: unassigned in Unicode 16.0, valid since 18.0"),
    (5860, "U+3E8AC (as xn--t92s): unassigned in Unicode 16.0, valid since 18.0"),
];

#[test]
fn uts46_conformance() {
    let version = TESTS.lines().find_map(|l| l.strip_prefix("# Version: ")).unwrap().trim();
    let (cases, surrogates) = cases();
    assert!(cases.len() > 6000, "{} cases", cases.len());
    let (mut pass, mut excluded) = (0, 0);
    let mut failures = Vec::new();
    for c in &cases {
        let got = to_ascii(&c.source);
        let ok = match (&got, &c.expect) {
            (Ok(g), Ok(e)) => g == e,
            (Err(_), Err(_)) => true,
            _ => false,
        };
        if EXCLUDED.iter().any(|&(l, _)| l == c.line) {
            excluded += 1;
            assert!(!ok, "line {} is excluded but passes", c.line);
            continue;
        }
        if ok {
            pass += 1;
        } else {
            failures.push(format!("line {} {:?}: got {:?}, want {:?}", c.line, c.source, got, c.expect));
        }
    }
    println!(
        "UTS #46 conformance (IdnaTestV2 {version}, tables Unicode {UNICODE_VERSION}): {pass}/{} pass, {excluded} excluded, {surrogates} lines with surrogates not run",
        cases.len() - excluded
    );
    for f in failures.iter().take(60) {
        println!("  FAIL {f}");
    }
    assert!(failures.is_empty(), "{} failures", failures.len());
}

/// The excluded cases: the reference implementation on Unicode 18.0 data gives what we give, and
/// each holds the code point its reason names.
#[test]
fn uts46_exclusions_are_the_newer_unicode() {
    let (cases, _) = cases();
    for &(line, reason) in EXCLUDED {
        let c = cases.iter().find(|c| c.line == line).expect("an excluded line is a case");
        let ours = to_ascii(&c.source);
        // The file (16.0) refuses it, we (18.0) accept it: the exclusion is needed…
        assert!(c.expect.is_err() && ours.is_ok(), "line {line}: the file says {:?}, we give {ours:?}", c.expect);
        // …and the reference on 18.0 data agrees with us.
        let reference = idna::domain_to_ascii_strict(&c.source).map_err(|_| ());
        assert_eq!(ours.ok(), reference.ok(), "line {line}");
        let cp = u32::from_str_radix(&reason[2..7], 16).unwrap();
        let unicode = idna::domain_to_unicode(&c.source).0;
        assert!(unicode.chars().any(|ch| ch as u32 == cp), "line {line}: {reason}");
    }
}

/// Code points whose labels our CONTEXTO rules (RFC 5892 A.3–A.9) can refuse, where UTS #46 and
/// the `idna` crate do not look.
fn contexto(c: char) -> bool {
    matches!(c, '\u{00B7}' | '\u{0375}' | '\u{05F3}' | '\u{05F4}' | '\u{30FB}' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

/// Our ToASCII and the `idna` crate's strict one (STD3 rules, CheckHyphens, VerifyDnsLength;
/// both always check Bidi and joiners), on `input`: `None` when they agree, else the difference,
/// which must be a CONTEXTO refusal of ours.
fn compare(input: &str) -> Option<String> {
    let ours = to_ascii(input).ok();
    let reference = idna::domain_to_ascii_strict(input).ok();
    if ours == reference {
        return None;
    }
    let contexto_refusal = ours.is_none() && reference.is_some() && idna::domain_to_unicode(input).0.chars().any(contexto);
    (!contexto_refusal).then(|| format!("{input:?}: ours {ours:?}, idna crate {reference:?}"))
}

/// xorshift64*.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Host-like strings from the pieces UTS #46 treats specially.
fn generated(count: usize) -> Vec<String> {
    let pieces = [
        "a",
        "Z",
        "0",
        "7",
        "-",
        "--",
        ".",
        "xn--",
        "xn--a",
        "xn--ab-j1t",
        "xn--bcher-kva",
        "com",
        "shop",
        "ß",
        "ς",
        "Σ",
        "İ",
        "ı",
        "\u{200C}",
        "\u{200D}",
        "\u{00AD}",
        "\u{2064}",
        "\u{FE0F}",
        "\u{E0100}",
        "\u{115F}",
        "\u{034F}",
        "\u{200B}",
        "。",
        "．",
        "｡",
        "\u{FF21}",
        "ｂ",
        "ü",
        "u\u{308}",
        "\u{301}",
        "\u{94D}",
        "क",
        "ष",
        "\u{0644}",
        "\u{0627}",
        "\u{0628}",
        "\u{05D0}",
        "\u{05D1}",
        "\u{05F3}",
        "\u{05F4}",
        "·",
        "l",
        "l·l",
        "\u{0375}",
        "α",
        "β",
        "\u{30FB}",
        "カ",
        "ひ",
        "漢",
        "\u{0661}",
        "\u{06F1}",
        "1",
        "٣",
        "\u{0E01}",
        "\u{0E3A}",
        "☃",
        "\u{1F600}",
        "⑴",
        "⒈",
        "ℌ",
        "ﬁ",
        "㍿",
        "_",
        " ",
        "@",
        "\u{FFFD}",
        "\u{10FFFD}",
        "\u{E000}",
        "\u{0378}",
        "\u{1E900}",
        "\u{0DCA}",
        "\u{0DBA}",
    ];
    let mut rng = Rng(0x5EED_1D4A_2026);
    (0..count)
        .map(|_| {
            let mut s = String::new();
            for _ in 0..1 + rng.below(8) {
                if rng.below(6) == 0 {
                    // Any code point at all.
                    if let Some(c) = char::from_u32(rng.below(0x110000) as u32) {
                        s.push(c);
                    }
                } else {
                    s.push_str(pieces[rng.below(pieces.len())]);
                }
            }
            s
        })
        .collect()
}

#[test]
fn agrees_with_the_idna_crate() {
    let (cases, _) = cases();
    let mut inputs: Vec<String> = cases.iter().map(|c| c.source.clone()).collect();
    inputs.extend(generated(200_000));
    let mut differences = Vec::new();
    let mut contexto_refusals = 0;
    let mut accepted = 0;
    for input in &inputs {
        match compare(input) {
            Some(d) => differences.push(d),
            None => {
                if to_ascii(input).is_ok() {
                    accepted += 1;
                } else if idna::domain_to_ascii_strict(input).is_ok() {
                    contexto_refusals += 1;
                }
            }
        }
    }
    println!(
        "idna crate: {} inputs, {} agree ({accepted} accepted by both), {contexto_refusals} refused by our CONTEXTO rules only",
        inputs.len(),
        inputs.len() - differences.len()
    );
    for d in differences.iter().take(40) {
        println!("  DIFF {d}");
    }
    assert!(accepted > 20_000, "only {accepted} accepted inputs: the generator tests too little");
    assert!(differences.is_empty(), "{} differences", differences.len());
}

/// `host_to_ascii` is `to_ascii` of the host without its root label, however the dot is written
/// (and whatever ignored characters follow it).
#[test]
fn host_to_ascii_is_to_ascii_without_the_root() {
    for input in generated(100_000) {
        let trimmed = input.trim_end_matches(|c| matches!(c, '.' | '。' | '．' | '｡') || status(c) == Status::Ignored);
        let want = if trimmed.is_empty() { None } else { to_ascii(trimmed).ok() };
        assert_eq!(host_to_ascii(&input).ok(), want, "{input:?}");
    }
    for (host, want) in [
        ("acme.com", "acme.com"),
        ("ACME.com.", "acme.com"),
        ("acme。com。", "acme.com"),
        ("ａｃｍｅ．ｃｏｍ．", "acme.com"),
        ("bücher\u{2064}.de", "xn--bcher-kva.de"),
        ("bücher\u{FE0F}\u{E0100}.de", "xn--bcher-kva.de"),
        ("a\u{115F}b.de", "ab.de"),
        ("col·legi.cat", "xn--collegi-xma.cat"),
        ("\u{05D0}\u{05F3}\u{05D1}.co.il", "xn--4dbc5h.co.il"),
        ("\u{0915}\u{094D}\u{200D}\u{0937}.in", "xn--11b2ezcw70k.in"),
        ("\u{0628}\u{200C}\u{0627}.ir", "xn--mgbb899q.ir"),
    ] {
        assert_eq!(host_to_ascii(host).as_deref(), Ok(want), "{host:?}");
    }
    // Refused: a middle dot outside `l·l`, a geresh after a Latin letter, a ZWJ without virama,
    // a ZWNJ between non-joining letters, a Bidi violation, hyphens in the third and fourth
    // positions, an A-label that is not in mapped form.
    for host in
        ["a·b.cat", "a\u{05F3}.co.il", "a\u{200D}b.com", "a\u{200C}b.com", "0a.\u{05D0}.com", "ab--cd.com", "xn--rma-bo3s.de"]
    {
        assert!(host_to_ascii(host).is_err(), "{host:?}");
    }
}
