//! Company name → canonical name, and the `name:` key (canonical name + country).
//!
//! `The ACME Tools, L.L.C.`, `Acme Tools LLC` and `acme tools` are one company to a person; the
//! canonical name `acme tools` makes them one to the matcher. The steps, each pinned by
//! tests/vectors/normalization.json:
//!
//! 1. **Fold** ([`super::fold::fold`]): Unicode NFKC, diacritics removed (NFKD, drop U+0300–U+036F, recompose:
//!    `Müller` → `muller`, while Japanese `ガ` keeps its voicing mark), letters without a
//!    decomposition folded by a small table (`ß` → `ss`, `ø` → `o`, `æ` → `ae`, `ł` → `l`, …),
//!    lower case, apostrophes removed (`McDonald's` → `mcdonalds`), `&` → ` and `, every other
//!    character that is not a letter, digit or combining mark → space.
//! 2. **Words**: split on white space.
//! 3. **Trim** until nothing changes: a leading `the`; a legal form at the end (`inc`, `gmbh`,
//!    `co ltd`, `s p a`, `sp z o o`, `株式会社`…: the hand-tuned `data/legal_forms.txt` and the
//!    forms derived from the whole ISO 20275 code list, [`super::legal_forms_elf`]), then a connector
//!    left dangling by it (`Smith & Co.` → `smith`); a legal form at the start where that is
//!    customary (`Aktiebolaget Volvo`, `株式会社トヨタ`). A form matches the last (first) words with the
//!    spaces between them removed, so `S.p.A.`, `SpA` and `S P A` are one form. The last word
//!    is never removed: a name is never stripped to nothing.
//! 4. **Initials**: runs of single letters or digits join (`J. P. Morgan` → `jp morgan`,
//!    `A.P. Møller` → `ap moller`), so dotted and undotted initials agree.
//! 5. Words joined with one space.
//!
//! Legal forms are removed only at the ends: `van Arkel NV Labs` keeps its inner `nv`.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::fold::{fold_into, join_collapsing_initials};
use super::legal_forms::{forms, Affixes, CONNECTORS};
use super::text::{self, FxHasher};
use super::Refusal;

/// Longest input looked at, in bytes.
pub const MAX_INPUT: usize = 1024;

/// Buffers reused from one name to the next (a reader normalizing millions of names keeps one).
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    folded: String,
    buf: String,
}

/// The canonical form of a company name.
///
/// ```
/// use overlap::normalize::name;
/// assert_eq!(name("The ACME Tools, L.L.C.").unwrap(), "acme tools");
/// assert_eq!(name("Müller & Söhne GmbH & Co. KG").unwrap(), "muller and sohne");
/// assert_eq!(name("Kimura Denki Co., Ltd.").unwrap(), "kimura denki");
/// assert_eq!(name("株式会社トヨタ").unwrap(), "トヨタ");
/// assert_eq!(name("GmbH").unwrap(), "gmbh"); // never stripped to nothing
/// ```
///
/// # Errors
/// [`Refusal::Empty`] when no letter or digit is left, [`Refusal::Placeholder`] for `n/a` and
/// the like, [`Refusal::TooLong`] over [`MAX_INPUT`] bytes.
pub fn name(raw: &str) -> Result<String, Refusal> {
    let mut out = String::new();
    name_into(raw, &mut Scratch::default(), &mut out)?;
    Ok(out)
}

/// [`name()`], appended to `out` (left as it was on a refusal).
pub(crate) fn name_into(raw: &str, scratch: &mut Scratch, out: &mut String) -> Result<(), Refusal> {
    let s = text::cell(raw, MAX_INPUT)?;
    let Scratch { folded, buf } = scratch;
    folded.clear();
    fold_into(s, folded);
    // Most names have a few words: kept on the stack up to 16.
    let mut inline = [""; 16];
    let mut heap = Vec::new();
    let mut n = 0;
    for w in split_spaces(folded) {
        if n < inline.len() {
            inline[n] = w;
        } else {
            if n == inline.len() {
                heap.extend_from_slice(&inline);
            }
            heap.push(w);
        }
        n += 1;
    }
    let words: &mut [&str] = if n <= inline.len() { &mut inline[..n] } else { &mut heap };
    if words.is_empty() {
        return Err(Refusal::Empty);
    }
    let (lo, hi) = trim(words, buf);
    join_collapsing_initials(&words[lo..hi], out);
    Ok(())
}

/// The words of folded text: the runs between spaces (a space byte is always a whole character,
/// so the byte positions are character boundaries). As `split(' ')` without the empty pieces.
pub(crate) fn split_spaces(s: &str) -> impl Iterator<Item = &str> {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if i == b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && b[i] != b' ' {
            i += 1;
        }
        s.get(start..i)
    })
}

/// Step 3 of the module doc, on `words`: the words kept are `words[lo..hi]` (the first and last
/// of them possibly shortened by a CJK form).
pub(crate) fn trim(words: &mut [&str], buf: &mut String) -> (usize, usize) {
    let f = forms();
    let (mut lo, mut hi) = (0, words.len());
    loop {
        let mut changed = false;
        if hi - lo > 1 && words[lo] == "the" {
            lo += 1;
            changed = true;
        }
        // A legal form at the end: the longest that matches.
        let max = f.max_words.min(hi - lo - 1);
        let w = &*words;
        if let Some(k) = f.suffix.longest(max, Affixes::suffix_edge(w[hi - 1]), buf, |k| &w[hi - k..hi]) {
            hi -= k;
            if hi - lo > 1 && CONNECTORS.contains(&words[hi - 1]) {
                hi -= 1;
            }
            changed = true;
        }
        // A legal form at the start, where customary.
        let max = f.max_words.min(hi - lo - 1);
        let w = &*words;
        if let Some(k) = f.prefix.longest(max, Affixes::prefix_edge(w[lo]), buf, |k| &w[lo..lo + k]) {
            lo += k;
            changed = true;
        }
        // CJK forms inside the last or first word (only a word ending, or starting, with a
        // character outside ASCII can hold one).
        let last = &mut words[hi - 1];
        if last.as_bytes().last().is_some_and(|&b| b >= 0x80) {
            if let Some(form) = f.cjk_suffix.iter().find(|p| last.len() > p.len() && last.ends_with(p.as_str())) {
                *last = &last[..last.len() - form.len()];
                changed = true;
            }
        }
        let first = &mut words[lo];
        if first.as_bytes().first().is_some_and(|&b| b >= 0x80) {
            if let Some(form) = f.cjk_prefix.iter().find(|p| first.len() > p.len() && first.starts_with(p.as_str())) {
                *first = &first[form.len()..];
                changed = true;
            }
        }
        if !changed {
            return (lo, hi);
        }
    }
}

/// The value of a `name:` key: the canonical name, `|`, and the ISO 3166-1 alpha-2 code of the
/// country (`acme tools|US`).
///
/// A missing or unrecognised country gives an empty code (`acme tools|`): such a key matches only
/// another row whose country is also unknown, never a row with a known country. A name key is the
/// weak fallback ("possible" confidence); keeping the country in it is what stops two different
/// `Meyer GmbH`s in Germany and Switzerland from merging, and an unknown country must not become
/// a wildcard that merges with every country.
///
/// ```
/// use overlap::normalize::name_key;
/// assert_eq!(name_key("Acme Tools, Inc.", Some("United States")).unwrap(), "acme tools|US");
/// assert_eq!(name_key("Acme Tools", None).unwrap(), "acme tools|");
/// ```
///
/// # Errors
/// The refusals of [`name()`].
pub fn name_key(name: &str, country: Option<&str>) -> Result<String, Refusal> {
    let mut out = String::new();
    name_into(name, &mut Scratch::default(), &mut out)?;
    out.push('|');
    out.push_str(country.and_then(|c| super::country(c).ok()).unwrap_or(""));
    Ok(out)
}

/// `name:` key values for many rows: [`name_key`] with the buffers reused and each country
/// spelling looked up once (an export has a few dozen of them, repeated on every row).
#[derive(Debug, Default)]
pub(crate) struct NameKeys {
    scratch: Scratch,
    countries: HashMap<String, &'static str, BuildHasherDefault<FxHasher>>,
}

impl NameKeys {
    /// Country spellings remembered, at most.
    const COUNTRIES: usize = 1024;

    /// [`name_key`], appended to `out` (left as it was on a refusal).
    pub(crate) fn key_into(&mut self, name: &str, country: Option<&str>, out: &mut String) -> Result<(), Refusal> {
        name_into(name, &mut self.scratch, out)?;
        out.push('|');
        if let Some(c) = country {
            let code = match self.countries.get(c) {
                Some(&code) => code,
                None => {
                    let code = super::country(c).unwrap_or("");
                    if self.countries.len() < Self::COUNTRIES {
                        self.countries.insert(c.to_string(), code);
                    }
                    code
                }
            };
            out.push_str(code);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fold::{fold_ascii, fold_general, fold_latin};
    use super::super::legal_forms::LEGAL_FORMS;
    use super::*;

    fn n(s: &str) -> String {
        name(s).unwrap()
    }

    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    /// Every legal form of the hand-tuned table, as written.
    fn table_forms() -> Vec<String> {
        let mut forms: Vec<String> = Vec::new();
        for line in LEGAL_FORMS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            if let Some(list) = line.splitn(3, '|').nth(2) {
                forms.extend(list.split(';').map(|f| f.trim().trim_start_matches('^').to_string()).filter(|f| !f.is_empty()));
            }
        }
        forms
    }

    const WORDS: &[&str] = &[
        "Acme",
        "the",
        "The",
        "THE",
        "and",
        "&",
        "und",
        "et",
        "y",
        "Co",
        "Co.",
        "Ltd",
        "Inc.",
        "S.p.A.",
        "S P A",
        "s",
        "p",
        "a",
        "sp",
        "z",
        "o.o.",
        "K.K.",
        "AB",
        "Aktiebolaget",
        "Kabushiki",
        "Kaisha",
        "株式会社",
        "(株)",
        "株",
        "トヨタ",
        "有限公司",
        "股份有限公司",
        "阿里巴巴",
        "集团",
        "Müller",
        "Mu\u{308}ller",
        "Straße",
        "Ørsted",
        "Ｆｕｌｌ",
        "McDonald's",
        "J.",
        "P.",
        "A",
        "1",
        "42",
        "x",
        "N/A",
        "n/a",
        "-",
        "é",
        "e\u{301}",
        "\u{FB01}",
        "\u{1C5}",
        "İ",
        "ς",
        "σ",
        "ガ",
        "カ\u{3099}",
        "'",
        "`",
        "\u{2019}",
        "·",
        "Œuvre",
        "Þór",
        "Łódź",
        "Ōta",
        "Σίσυφος",
        "Москва",
        "Ąž",
        "ﾄﾖﾀ",
        "①",
        "x\u{0}y",
        "\u{200B}",
        "\u{A0}",
        "\"",
        "<",
        ">",
        "1234",
        "Systems",
        "Labs",
        "GMBH",
        "gmbh",
        "kg",
        "AG",
        "&Co",
    ];
    const SEPS: &[&str] = &[" ", " ", " ", ", ", ".", "-", "  ", "\t", "&", "/", "(", ")", "", "\u{3000}", "_"];

    /// Company-name-like inputs: words, legal forms (every one in the table, as written),
    /// initials, CJK, diacritics (composed and not), compatibility characters, punctuation,
    /// placeholders — sometimes reduced to ASCII, the fast path's inputs; plus random ASCII bytes
    /// (controls included) and random characters from a few blocks.
    fn company_name() -> impl Strategy<Value = String> {
        let word = prop_oneof![2 => prop::sample::select(WORDS.to_vec()).prop_map(String::from), 1 => prop::sample::select(table_forms())];
        let words = prop::collection::vec((prop::sample::select(SEPS), word), 1..=6).prop_map(|ws| {
            ws.into_iter().enumerate().fold(String::new(), |mut s, (k, (sep, w))| {
                if k > 0 {
                    s.push_str(sep);
                }
                s.push_str(&w);
                s
            })
        });
        let blocks =
            prop_oneof![0x20u32..0x7F, 0xA0u32..0x24F, 0x300u32..0x36F, 0x3040u32..0x30FF, 0x4E00u32..0x4E80, 0xFF00u32..0xFFEF];
        prop_oneof![
            1 => prop::collection::vec(0u8..128, 0..24).prop_map(|b| b.into_iter().map(char::from).collect()),
            1 => prop::collection::vec(blocks.prop_filter_map("a character", char::from_u32), 0..16).prop_map(|c| c.into_iter().collect()),
            5 => words.clone(),
            3 => words.prop_map(|mut s| {
                s.retain(|c| c.is_ascii());
                s
            }),
        ]
    }

    /// A fixed sample of `count` names (the same on every run), for checks over a whole sample.
    fn sample(count: usize) -> Vec<String> {
        use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
        let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
        let names = prop::collection::vec(company_name(), count);
        names.new_tree(&mut runner).expect("a sample").current()
    }

    fn agrees_with_the_reference(s: &str, scratch: &mut Scratch) -> Result<(), TestCaseError> {
        let want = super::super::name_reference::name(s);
        prop_assert_eq!(name(s), want.clone(), "{:?}", s);
        // With buffers reused from the last name, appending after other text.
        let mut out = String::from("x");
        let got = name_into(s, scratch, &mut out).map(|()| out[1..].to_string());
        prop_assert_eq!(got, want, "{:?}", s);
        if s.is_ascii() {
            let mut fast = String::new();
            fold_ascii(s, &mut fast);
            prop_assert_eq!(fast, super::super::name_reference::fold(s), "{:?}", s);
        }
        Ok(())
    }

    proptest! {
        // 4,000 cases of up to 30 names (about 60,000): a failure shrinks to one short name.
        #![proptest_config(ProptestConfig { cases: 4_000, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn fast_paths_agree_with_the_reference(names in prop::collection::vec(company_name(), 1..=30)) {
            let mut scratch = Scratch::default();
            for s in &names {
                agrees_with_the_reference(s, &mut scratch)?;
            }
        }
    }

    #[test]
    fn the_generated_names_exercise_both_paths_and_the_stripping() {
        let inputs = sample(30_000);
        let ascii = inputs.iter().filter(|s| s.is_ascii()).count();
        assert!(ascii > 5_000 && inputs.len() - ascii > 5_000, "{ascii} ASCII inputs");
        let stripped = inputs.iter().filter(|s| name(s).is_ok_and(|w| w.len() + 4 < s.len())).count();
        assert!(stripped > 3_000, "{stripped}");
    }

    #[test]
    fn name_keys_agree_with_name_key() {
        let names = sample(20_000);
        let countries = ["United States", "U.S.A.", "de", "Deutschland", "", " ", "n/a", "Atlantis", "日本", "België", "XX"];
        let mut keys = NameKeys::default();
        for (i, n) in names.iter().enumerate() {
            // Also more distinct country spellings than the cache keeps.
            let numbered = format!("Country {i}");
            let c = match i % 13 {
                11 => None,
                12 => Some(numbered.as_str()),
                k => Some(countries[k % countries.len()]),
            };
            let mut out = String::from("x");
            let got = keys.key_into(n, c, &mut out).map(|()| out[1..].to_string());
            assert_eq!(got, name_key(n, c), "{n:?} {c:?}");
        }
    }

    #[test]
    fn fold_latin_is_fold_general() {
        // Every character of the table's range, alone, between letters, doubled, and followed
        // by combining marks (which take the text off the fast path).
        let mut fast_ones = 0;
        for u in 0x80..=0x2FF {
            let Some(c) = char::from_u32(u) else { continue };
            for s in [
                c.to_string(),
                format!("A{c}b"),
                format!("{c}{c}"),
                format!("x{c}\u{301}"),
                format!("{c}\u{3099}"),
                format!("{c}\u{323}\u{301}y"),
                format!("O{c}'S"),
            ] {
                let mut fast = String::from("k");
                let took = fold_latin(&s, &mut fast);
                fast_ones += usize::from(took);
                if !took {
                    assert_eq!(fast, "k", "{s:?}");
                    continue;
                }
                let mut general = String::from("k");
                fold_general(&s, &mut general);
                assert_eq!(fast, general, "{s:?}");
            }
        }
        assert!(fast_ones > 1000, "{fast_ones}");
    }

    #[test]
    fn fold_ascii_is_fold_general_on_every_byte() {
        for b in 0u8..128 {
            let s = format!("A{}b{}", char::from(b), char::from(b));
            let mut fast = String::new();
            fold_ascii(&s, &mut fast);
            let mut general = String::new();
            fold_general(&s, &mut general);
            assert_eq!(fast, general, "byte {b}");
        }
    }

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(n("  MÜLLER-Lüdenscheidt  "), "muller ludenscheidt");
        assert_eq!(n("Ørsted"), "orsted");
        assert_eq!(n("Straße"), "strasse");
        assert_eq!(n("McDonald's"), "mcdonalds");
        assert_eq!(n("Ｆｕｌｌ Ｗｉｄｔｈ"), "full width");
        assert_eq!(n("AT&T"), "at and t");
        assert_eq!(n("J.P. Morgan"), n("JP Morgan"));
        assert_eq!(n("グーグル"), "グーグル");
    }

    #[test]
    fn strips_legal_forms_at_the_ends() {
        assert_eq!(n("Acme Inc."), "acme");
        assert_eq!(n("Acme, Inc"), "acme");
        assert_eq!(n("ACME L.L.C."), "acme");
        assert_eq!(n("Acme GmbH & Co. KG"), "acme");
        assert_eq!(n("Acme S.p.A."), "acme");
        assert_eq!(n("Acme Sp. z o.o."), "acme");
        assert_eq!(n("Ota Kogyo Co., Ltd."), "ota kogyo");
        assert_eq!(n("Tanaka Denki, K.K."), "tanaka denki");
        assert_eq!(n("Kabushiki Kaisha Tanaka"), "tanaka");
        assert_eq!(n("Aktiebolaget Volvo"), "volvo");
        assert_eq!(n("AB Volvo"), "ab volvo");
        assert_eq!(n("Volvo AB (publ)"), "volvo");
        assert_eq!(n("Holst A/S"), "holst");
        assert_eq!(n("Smith & Co."), "smith");
        assert_eq!(n("トヨタ自動車株式会社"), "トヨタ自動車");
        assert_eq!(n("(株)トヨタ"), "トヨタ");
        assert_eq!(n("阿里巴巴集团控股有限公司"), "阿里巴巴集团控股");
        assert_eq!(n("The Bruce Foods"), "bruce foods");
        assert_eq!(n("van Arkel NV Labs B.V."), "van arkel nv labs");
    }

    #[test]
    fn never_strips_to_nothing() {
        assert_eq!(n("GmbH"), "gmbh");
        assert_eq!(n("The"), "the");
        assert_eq!(n("Limited Inc"), "limited");
        assert_eq!(n("株式会社"), "株式会社");
    }

    #[test]
    fn refusals() {
        assert_eq!(name(""), Err(Refusal::Empty));
        assert_eq!(name(" -- "), Err(Refusal::Placeholder));
        assert_eq!(name("!!!"), Err(Refusal::Empty));
        assert_eq!(name("n/a"), Err(Refusal::Placeholder));
        assert_eq!(name(&"a".repeat(MAX_INPUT + 1)), Err(Refusal::TooLong));
    }
}
