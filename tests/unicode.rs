//! The compact Unicode tables (src/normalize/unicode.rs) against the crate they are derived
//! from, `unicode-normalization`: every code point alone, then random strings built from the
//! characters where normalization does something (decomposable characters, combining marks in
//! every class, Hangul jamo and syllables, characters that compose), in all four forms.
use overlap::normalize::unicode;
use proptest::prelude::*;
use unicode_normalization::char as un;
use unicode_normalization::UnicodeNormalization;

fn all_chars() -> impl Iterator<Item = char> {
    (0..=0x10FFFFu32).filter_map(char::from_u32)
}

fn check(s: &str) {
    assert_eq!(unicode::nfd(s), s.nfd().collect::<String>(), "NFD of {:?}", s.escape_unicode().to_string());
    assert_eq!(unicode::nfkd(s), s.nfkd().collect::<String>(), "NFKD of {:?}", s.escape_unicode().to_string());
    assert_eq!(unicode::nfc(s), s.nfc().collect::<String>(), "NFC of {:?}", s.escape_unicode().to_string());
    assert_eq!(unicode::nfkc(s), s.nfkc().collect::<String>(), "NFKC of {:?}", s.escape_unicode().to_string());
}

#[test]
fn every_code_point_alone() {
    let mut buf = [0; 4];
    for c in all_chars() {
        assert_eq!(unicode::canonical_combining_class(c), un::canonical_combining_class(c), "class of {c:?}");
        assert_eq!(unicode::is_combining_mark(c), un::is_combining_mark(c), "mark {c:?}");
        check(c.encode_utf8(&mut buf));
        assert!(unicode::to_lowercase(c).eq(c.to_lowercase()), "lower case of {c:?}");
    }
    assert_eq!(unicode::lowercase_str("ÀİΣX"), "ài\u{307}σx");
}

/// The interesting characters: those that decompose, those that are part of a decomposition,
/// every non-starter, Hangul jamo and a sample of syllables, and some plain letters; as (starters,
/// marks, all).
fn pools() -> &'static (Vec<char>, Vec<char>, Vec<char>) {
    static POOLS: std::sync::OnceLock<(Vec<char>, Vec<char>, Vec<char>)> = std::sync::OnceLock::new();
    POOLS.get_or_init(|| {
        let mut pool: Vec<char> = Vec::new();
        for c in all_chars() {
            let mut d = Vec::new();
            un::decompose_compatible(c, |x| d.push(x));
            let interesting = d != [c] || un::canonical_combining_class(c) != 0 || un::is_combining_mark(c);
            if interesting && !(0xAC00..0xD7A4).contains(&(c as u32)) {
                pool.push(c);
                pool.extend(d);
            }
        }
        pool.extend((0x1100..0x1200).filter_map(char::from_u32));
        pool.extend((0xAC00..0xD7A4).step_by(97).filter_map(char::from_u32));
        pool.extend("aeiouAEIOU ".chars());
        pool.sort_unstable();
        pool.dedup();
        let starters = pool.iter().copied().filter(|&c| un::canonical_combining_class(c) == 0).collect();
        let marks = pool.iter().copied().filter(|&c| un::canonical_combining_class(c) != 0).collect();
        (starters, marks, pool)
    })
}

/// Mostly a starter followed by marks, which is where ordering and composition act.
fn interesting_char() -> impl Strategy<Value = char> {
    let (starters, marks, pool) = pools();
    prop_oneof![prop::sample::select(starters.clone()), prop::sample::select(marks.clone()), prop::sample::select(pool.clone())]
}

proptest! {
    // 10,000 cases of 20 strings: 200,000 strings (a failure shrinks to one short string).
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn random_strings_in_every_form(strings in prop::collection::vec(prop::collection::vec(interesting_char(), 1..=8), 1..=20)) {
        for chars in strings {
            check(&chars.into_iter().collect::<String>());
        }
    }
}

#[test]
fn unicode_version_is_the_crates() {
    let (a, b, c) = unicode_normalization::UNICODE_VERSION;
    assert_eq!(unicode::UNICODE_VERSION, format!("{a}.{b}.{c}"));
}
