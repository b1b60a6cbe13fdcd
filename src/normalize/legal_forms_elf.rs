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
    /// `limited` or `liability` in it.
    EndsInStopWord,
    /// A CJK name that does not end in a word for company (`企业`, `基金会`, `財團法人`).
    CjkNotACompany,
}

impl Exclusion {
    /// Every exclusion, in declaration order.
    pub const ALL: [Exclusion; 9] = [
        Exclusion::Empty,
        Exclusion::SingleCharacter,
        Exclusion::Numeric,
        Exclusion::CountryCode,
        Exclusion::RomanNumeral,
        Exclusion::TooManyWords,
        Exclusion::StopWord,
        Exclusion::EndsInStopWord,
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
pub fn verdict(c: &Candidate<'_>, words: &[String], stop: &HashSet<String>, is_country: impl Fn(&str) -> bool) -> Result<(), Exclusion> {
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
    if !c.field.is_name() && joined.len() == 2 && joined.bytes().all(|b| b.is_ascii_lowercase()) && is_country(&joined.to_ascii_uppercase()) {
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
    if joined.chars().any(is_cjk) && !CJK_COMPANY.iter().any(|e| joined.ends_with(e)) {
        return Err(Exclusion::CjkNotACompany);
    }
    Ok(())
}

/// The derived table: the forms kept, as the list writes them, one per folded spelling (the
/// first the list has), in the list's order.
pub fn derive(
    tsv: &str,
    legal_forms: &str,
    fold: impl Fn(&str) -> Vec<String>,
    is_country: impl Fn(&str) -> bool,
) -> Vec<String> {
    let stop = stop_words(legal_forms, &fold);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for c in candidates(tsv) {
        let words = fold(c.form);
        if verdict(&c, &words, &stop, &is_country).is_ok() && seen.insert(words.concat()) {
            out.push(c.form.to_string());
        }
    }
    out
}
