//! ISO 20275 Entity Legal Forms → the legal forms the company-name rules strip at the end of a
//! name: the derivation `build.rs` runs on `data/elf_code_list.tsv` (GLEIF's code list, refreshed
//! by `scripts/update-legal-forms`), and which the tests run again to hold the embedded table to
//! that file.
//!
//! Every local and transliterated name and abbreviation of every row (active and inactive: names
//! outlive the forms they were registered under) is a candidate. A candidate is kept unless one
//! of the [`Exclusion`] rules applies; those keep out what ends ordinary names rather than
//! states a legal form: a single character, a number, a two-letter country code (`Acme UK` is a
//! region of Acme), a Roman numeral (`Acme II`), a word of the stop list in `data/legal_forms.txt`
//! (`Trust`, `Foundation`, `Bank`, `Group`, `Son`… in every language the list has), a name ending
//! in such a word (`Savings Bank`, `Credit Union`) unless it also says `limited`, and CJK names
//! that do not end in a word for company (`企业`, `基金会`: enterprise, foundation). The forms
//! kept are stripped only at the end of a name; the hand-tuned table (`data/legal_forms.txt`)
//! stays on top of them, with its spellings and its start-of-name forms.
//!
//! Shared with `build.rs` (through `#[path]`), so it uses `std` only; the folding it needs is
//! passed in ([`fold_words`]'s `decompose` and `is_mark`).

use std::collections::HashSet;

/// The column of the code list a candidate comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Entity Legal Form name, local.
    LocalName,
    /// Entity Legal Form name, transliterated.
    TransliteratedName,
    /// Abbreviation, local language.
    LocalAbbreviation,
    /// Abbreviation, transliterated.
    TransliteratedAbbreviation,
}

impl Field {
    fn is_name(self) -> bool {
        matches!(self, Field::LocalName | Field::TransliteratedName)
    }
}

/// One name or abbreviation of one row of the code list.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    /// The ELF code.
    pub code: &'a str,
    /// ISO 3166-1 alpha-2 country of the jurisdiction.
    pub country: &'a str,
    /// ISO 3166-2 subdivision, when the jurisdiction is one.
    pub subdivision: &'a str,
    /// Where it comes from.
    pub field: Field,
    /// The form as the list writes it.
    pub form: &'a str,
}

/// Why a candidate is not a form the name rules strip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Exclusion {
    /// Folds to nothing (punctuation only).
    Empty,
    /// One character (`S`, `K`): ends names as an initial.
    SingleCharacter,
    /// Digits only.
    Numeric,
    /// An abbreviation that is a two-letter country code (`UK`, `CN`, `NA`…): in a name it means
    /// a region (`Acme UK`); the customary ones (`AG`, `SA`, `AS`…) are in the hand-tuned table.
    CountryCode,
    /// A Roman numeral (`II`, `VI`): `Acme II` is another fund or company than `Acme`.
    RomanNumeral,
    /// More than [`MAX_WORDS`] words: a description, not something people append to a name.
    TooManyWords,
    /// On the stop list: a word that ends ordinary names (`Trust`, `Bank`, `Group`…).
    StopWord,
    /// A name whose last word is on the stop list (`Savings Bank`, `Credit Union`), without
    /// `limited` or `liability` in it, or one word ending in a stop word of four letters or more
    /// (`Privatstiftung`, `Sparbank`).
    EndsInStopWord,
    /// A stop word followed by a form (`Bankaktiebolag`, `Bank Corporation`, `Trust Company`):
    /// since forms match with the spaces removed, it would strip `Bank` from `Acme Bank AB`.
    StopWordAndForm,
    /// A CJK name that does not end in a word for company (`企业`, `基金会`, `財團法人`).
    CjkNotACompany,
}

impl Exclusion {
    /// Every exclusion, in declaration order.
    pub const ALL: [Exclusion; 10] = [
        Exclusion::Empty,
        Exclusion::SingleCharacter,
        Exclusion::Numeric,
        Exclusion::CountryCode,
        Exclusion::RomanNumeral,
        Exclusion::TooManyWords,
        Exclusion::StopWord,
        Exclusion::EndsInStopWord,
        Exclusion::StopWordAndForm,
        Exclusion::CjkNotACompany,
    ];
}

/// Most words in a derived form.
pub const MAX_WORDS: usize = 6;

/// Words that, before a stop word, still make a name a legal form (`Limited Partnership`).
const LIABILITY: &[&str] = &["limited", "ltd", "liability", "unlimited", "incorporated"];

/// CJK endings meaning "company": a CJK name is kept only with one of them.
const CJK_COMPANY: &[&str] = &["公司", "会社", "會社", "회사"];

/// The candidates of the code list (`data/elf_code_list.tsv`), in its order.
pub fn candidates(tsv: &str) -> Vec<Candidate<'_>> {
    let mut out = Vec::new();
    for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.starts_with("code\t") && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let col = |i: usize| cols.get(i).copied().unwrap_or("").trim();
        let (code, country, subdivision) = (col(0), col(1), col(2));
        for (i, field) in [(3, Field::LocalName), (5, Field::TransliteratedName)] {
            if !col(i).is_empty() {
                out.push(Candidate { code, country, subdivision, field, form: col(i) });
            }
        }
        for (i, field) in [(6, Field::LocalAbbreviation), (7, Field::TransliteratedAbbreviation)] {
            for form in col(i).split(';').map(str::trim).filter(|f| !f.is_empty()) {
                out.push(Candidate { code, country, subdivision, field, form });
            }
        }
    }
    out
}

/// The words of `form` folded for the rules here: compatibility decomposition (`decompose`),
/// combining marks dropped (`is_mark`), lower case, `&` as `and`, apostrophes dropped, anything
/// else that is not a letter or digit a word break.
pub fn fold_words(form: &str, decompose: impl Fn(char, &mut dyn FnMut(char)), is_mark: impl Fn(char) -> bool) -> Vec<String> {
    let mut s = String::new();
    for c in form.chars() {
        decompose(c, &mut |d| {
            if is_mark(d) || matches!(d, '\'' | '\u{2019}' | '`') {
                return;
            }
            if d == '&' {
                s.push_str(" and ");
            } else if d.is_alphanumeric() {
                s.extend(d.to_lowercase());
            } else {
                s.push(' ');
            }
        });
    }
    s.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// The stop list: the folded words of the `! word; word; …` lines of `data/legal_forms.txt`.
pub fn stop_words(legal_forms: &str, fold: impl Fn(&str) -> Vec<String>) -> HashSet<String> {
    legal_forms
        .lines()
        .filter_map(|l| l.strip_prefix('!'))
        .flat_map(|l| l.split(';'))
        .map(|w| fold(w).concat())
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3040}'..='\u{30FF}' | '\u{3130}'..='\u{318F}' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}')
}

/// Whether the candidate, folded into `words`, is a form to strip; `is_country` says whether an
/// upper-case two-letter code is an ISO 3166-1 country.
pub fn verdict(
    c: &Candidate<'_>,
    words: &[String],
    stop: &HashSet<String>,
    is_country: impl Fn(&str) -> bool,
) -> Result<(), Exclusion> {
    let joined: String = words.concat();
    if joined.is_empty() {
        return Err(Exclusion::Empty);
    }
    if joined.chars().count() == 1 {
        return Err(Exclusion::SingleCharacter);
    }
    if joined.chars().all(|c| c.is_ascii_digit()) {
        return Err(Exclusion::Numeric);
    }
    if words.len() > MAX_WORDS {
        return Err(Exclusion::TooManyWords);
    }
    if !c.field.is_name()
        && joined.len() == 2
        && joined.bytes().all(|b| b.is_ascii_lowercase())
        && is_country(&joined.to_ascii_uppercase())
    {
        return Err(Exclusion::CountryCode);
    }
    if matches!(joined.as_str(), "ii" | "iii" | "iv" | "vi" | "vii" | "viii" | "ix" | "xi" | "xii") {
        return Err(Exclusion::RomanNumeral);
    }
    if stop.contains(&joined) {
        return Err(Exclusion::StopWord);
    }
    let last = words.last().map(String::as_str).unwrap_or("");
    if words.len() > 1 && stop.contains(last) && !words.iter().any(|w| LIABILITY.contains(&w.as_str())) {
        return Err(Exclusion::EndsInStopWord);
    }
    if words.len() == 1 && stop.iter().any(|w| w.len() >= 4 && joined.len() > w.len() && joined.ends_with(w.as_str())) {
        return Err(Exclusion::EndsInStopWord);
    }
    // On the form as written: folding decomposes Hangul syllables.
    let written = c.form.trim_end_matches(|ch: char| !ch.is_alphanumeric());
    if joined.chars().any(is_cjk) && !CJK_COMPANY.iter().any(|e| written.ends_with(e)) {
        return Err(Exclusion::CjkNotACompany);
    }
    Ok(())
}

/// Every candidate of the code list with its verdict, given the hand-tuned table `legal_forms`
/// (its forms and its stop list), the folding and the country codes.
pub fn judge<'a>(
    tsv: &'a str,
    legal_forms: &str,
    fold: impl Fn(&str) -> Vec<String>,
    is_country: impl Fn(&str) -> bool,
) -> Vec<(Candidate<'a>, Result<(), Exclusion>)> {
    let stop = stop_words(legal_forms, &fold);
    let judged: Vec<(Candidate<'a>, Vec<String>, Result<(), Exclusion>)> = candidates(tsv)
        .into_iter()
        .map(|c| {
            let words = fold(c.form);
            let v = verdict(&c, &words, &stop, &is_country);
            (c, words, v)
        })
        .collect();
    // Forms, hand-tuned and kept so far: a stop word followed by one of them is no form.
    let hand = legal_forms
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('!'))
        .filter_map(|l| l.splitn(3, '|').nth(2))
        .flat_map(|l| l.split(';'))
        .map(|f| fold(f.trim().trim_start_matches('^')).concat());
    let forms: HashSet<String> =
        judged.iter().filter(|(_, _, v)| v.is_ok()).map(|(_, w, _)| w.concat()).chain(hand).filter(|f| !f.is_empty()).collect();
    judged
        .into_iter()
        .map(|(c, words, v)| {
            let joined = words.concat();
            let compound = stop.iter().any(|s| joined.strip_prefix(s.as_str()).is_some_and(|rest| forms.contains(rest)));
            (c, if v.is_ok() && compound { Err(Exclusion::StopWordAndForm) } else { v })
        })
        .collect()
}

/// The derived table: the forms [`judge`] keeps, as the list writes them, one per folded
/// spelling (the first the list has), sorted.
pub fn derive(
    tsv: &str,
    legal_forms: &str,
    fold: impl Fn(&str) -> Vec<String>,
    is_country: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out: Vec<String> = judge(tsv, legal_forms, &fold, is_country)
        .into_iter()
        .filter(|(c, v)| v.is_ok() && seen.insert(fold(c.form).concat()))
        .map(|(c, _)| c.form.to_string())
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::legal_forms::{DERIVED_LEGAL_FORMS, LEGAL_FORMS};
    use crate::normalize::unicode;
    use std::collections::{BTreeMap, BTreeSet};

    const TSV: &str = include_str!("data/elf_code_list.tsv");

    /// The folding of this module, over the crate's own Unicode tables (which tests/unicode.rs
    /// holds to the unicode-normalization crate build.rs uses).
    fn fold(s: &str) -> Vec<String> {
        fold_words(s, |c, f| unicode::nfkd(c.encode_utf8(&mut [0; 4])).chars().for_each(f), unicode::is_combining_mark)
    }

    /// As build.rs reads countries.txt: a code or two-letter alias (`UK`) of a country.
    fn is_country(cc: &str) -> bool {
        crate::normalize::country(cc).is_ok()
    }

    #[test]
    fn the_code_list_is_whole() {
        let rows = TSV.lines().filter(|l| !l.starts_with('#') && !l.starts_with("code\t")).count();
        let header: usize = TSV.lines().find_map(|l| l.strip_prefix("# ROWS: ")).unwrap().parse().unwrap();
        assert_eq!(rows, header);
        let codes: BTreeSet<&str> = TSV.lines().skip(6).filter_map(|l| l.split('\t').next()).collect();
        assert!(codes.len() > 3400, "{} ELF codes", codes.len());
    }

    /// The embedded table is exactly what the rules above keep of the code list: every candidate
    /// is either embedded (one spelling per folded form) or excluded for a stated reason.
    #[test]
    fn embedded_table_is_derived_from_the_code_list() {
        let stop = stop_words(LEGAL_FORMS, fold);
        assert!(stop.contains("trust") && stop.contains("foundation") && stop.contains("bank"));
        let mut kept: BTreeSet<String> = BTreeSet::new();
        let mut excluded: BTreeMap<Exclusion, usize> = BTreeMap::new();
        let mut jurisdictions = BTreeSet::new();
        let mut codes = BTreeSet::new();
        let judged = judge(TSV, LEGAL_FORMS, fold, is_country);
        for (c, v) in &judged {
            match v {
                Ok(()) => {
                    kept.insert(fold(c.form).concat());
                    jurisdictions.insert((c.country, c.subdivision));
                    codes.insert(c.code);
                }
                Err(e) => *excluded.entry(*e).or_default() += 1,
            }
        }
        let embedded: Vec<&str> = DERIVED_LEGAL_FORMS.lines().filter(|l| !l.is_empty()).collect();
        let embedded_keys: BTreeSet<String> = embedded.iter().map(|f| fold(f).concat()).collect();
        assert_eq!(embedded.len(), embedded_keys.len(), "one embedded spelling per folded form");
        let missing: Vec<&String> = kept.difference(&embedded_keys).collect();
        let extra: Vec<&String> = embedded_keys.difference(&kept).collect();
        assert!(missing.is_empty() && extra.is_empty(), "missing {missing:?}, extra {extra:?}");
        // The rules that keep words out do act on the list, and the table is what the issue
        // asks of it.
        for e in [
            Exclusion::SingleCharacter,
            Exclusion::CountryCode,
            Exclusion::StopWord,
            Exclusion::EndsInStopWord,
            Exclusion::StopWordAndForm,
            Exclusion::CjkNotACompany,
        ] {
            assert!(excluded.contains_key(&e), "no candidate excluded as {e:?}");
        }
        assert!(kept.len() > 2500, "{} forms", kept.len());
        assert!(jurisdictions.len() > 180, "{} jurisdictions", jurisdictions.len());
        let scripts = scripts(embedded.iter().copied());
        for s in ["Latin", "Cyrillic", "Greek", "Han", "Hangul", "Arabic"] {
            assert!(scripts.contains_key(s), "no form in {s} script: {scripts:?}");
        }
        println!(
            "ELF: {} candidates; {} forms kept from {} codes in {} jurisdictions; scripts {scripts:?}; excluded {excluded:?}",
            judged.len(),
            kept.len(),
            codes.len(),
            jurisdictions.len()
        );
    }

    /// Forms by the script of their first letter.
    fn scripts<'a>(forms: impl Iterator<Item = &'a str>) -> BTreeMap<&'static str, usize> {
        let mut out = BTreeMap::new();
        for f in forms {
            let Some(c) = f.chars().find(|c| c.is_alphabetic()) else { continue };
            let s = match c as u32 {
                0..=0x24F | 0x1E00..=0x1EFF => "Latin",
                0x370..=0x3FF | 0x1F00..=0x1FFF => "Greek",
                0x400..=0x52F => "Cyrillic",
                0x530..=0x58F => "Armenian",
                0x590..=0x5FF => "Hebrew",
                0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => "Arabic",
                0xE00..=0xE7F => "Thai",
                0x10A0..=0x10FF => "Georgian",
                0x3040..=0x30FF => "Kana",
                0x1100..=0x11FF | 0xAC00..=0xD7AF => "Hangul",
                0x3400..=0x9FFF | 0xF900..=0xFAFF => "Han",
                0x900..=0x97F => "Devanagari",
                0x1000..=0x109F => "Myanmar",
                0x1780..=0x17FF => "Khmer",
                0x980..=0x9FF => "Bengali",
                _ => "other",
            };
            *out.entry(s).or_default() += 1;
        }
        out
    }

    #[test]
    fn exclusions() {
        let stop = stop_words(LEGAL_FORMS, fold);
        let v = |field, form: &str| {
            let c = Candidate { code: "TEST", country: "XX", subdivision: "", field, form };
            verdict(&c, &fold(form), &stop, is_country)
        };
        assert_eq!(v(Field::LocalAbbreviation, "GmbH"), Ok(()));
        assert_eq!(v(Field::LocalName, "Limited Partnership"), Ok(()));
        assert_eq!(v(Field::LocalAbbreviation, "ООО"), Ok(()));
        assert_eq!(v(Field::LocalName, "股份有限公司"), Ok(()));
        assert_eq!(v(Field::LocalAbbreviation, "."), Err(Exclusion::Empty));
        assert_eq!(v(Field::LocalAbbreviation, "S."), Err(Exclusion::SingleCharacter));
        assert_eq!(v(Field::LocalAbbreviation, "1"), Err(Exclusion::SingleCharacter));
        assert_eq!(v(Field::LocalAbbreviation, "42"), Err(Exclusion::Numeric));
        assert_eq!(v(Field::LocalAbbreviation, "U.K."), Err(Exclusion::CountryCode));
        assert_eq!(v(Field::LocalAbbreviation, "II"), Err(Exclusion::RomanNumeral));
        assert_eq!(v(Field::LocalName, "a b c d e f g"), Err(Exclusion::TooManyWords));
        assert_eq!(v(Field::LocalName, "Stiftung"), Err(Exclusion::StopWord));
        assert_eq!(v(Field::LocalName, "Savings Bank"), Err(Exclusion::EndsInStopWord));
        assert_eq!(v(Field::LocalName, "企业"), Err(Exclusion::CjkNotACompany));
    }
}
