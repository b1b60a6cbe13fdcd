//! Company name → canonical name, and the `name:` key (canonical name + country).
//!
//! `The ACME Tools, L.L.C.`, `Acme Tools LLC` and `acme tools` are one company to a person; the
//! canonical name `acme tools` makes them one to the matcher. The steps, each pinned by
//! tests/vectors/normalization.json:
//!
//! 1. **Fold** ([`fold`]): Unicode NFKC, diacritics removed (NFKD, drop U+0300–U+036F, recompose:
//!    `Müller` → `muller`, while Japanese `ガ` keeps its voicing mark), letters without a
//!    decomposition folded by a small table (`ß` → `ss`, `ø` → `o`, `æ` → `ae`, `ł` → `l`, …),
//!    lower case, apostrophes removed (`McDonald's` → `mcdonalds`), `&` → ` and `, every other
//!    character that is not a letter, digit or combining mark → space.
//! 2. **Words**: split on white space.
//! 3. **Trim** until nothing changes: a leading `the`; a legal form at the end (`inc`, `gmbh`,
//!    `co ltd`, `s p a`, `sp z o o`, `株式会社`…, see `data/legal_forms.txt`), then a connector
//!    left dangling by it (`Smith & Co.` → `smith`); a legal form at the start where that is
//!    customary (`Aktiebolaget Volvo`, `株式会社トヨタ`). A form matches the last (first) words with the
//!    spaces between them removed, so `S.p.A.`, `SpA` and `S P A` are one form. The last word
//!    is never removed: a name is never stripped to nothing.
//! 4. **Initials**: runs of single letters or digits join (`J. P. Morgan` → `jp morgan`,
//!    `A.P. Møller` → `ap moller`), so dotted and undotted initials agree.
//! 5. Words joined with one space.
//!
//! Legal forms are removed only at the ends: `van Arkel NV Labs` keeps its inner `nv`.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::text::{self, FxHasher};
use super::Refusal;

/// Longest input looked at, in bytes.
pub const MAX_INPUT: usize = 1024;

/// The embedded legal-form table (ISO 20275 ELF abbreviations, hand-curated).
pub const LEGAL_FORMS: &str = include_str!("data/legal_forms.txt");

/// Words a legal form can leave dangling at the end (`Smith & Co.` → `smith and` → `smith`).
const CONNECTORS: &[&str] = &["and", "und", "et", "y", "e", "en", "och", "og", "i"];

type Set = HashSet<String, BuildHasherDefault<FxHasher>>;

struct Forms {
    /// Folded forms with spaces removed (`coltd`, `spzoo`).
    suffix: Set,
    /// Forms also removed at the start of a name.
    prefix: Set,
    /// CJK forms, also matched inside the last (first) word.
    cjk_suffix: Vec<String>,
    cjk_prefix: Vec<String>,
    /// Most words in one form.
    max_words: usize,
}

fn forms() -> &'static Forms {
    static F: OnceLock<Forms> = OnceLock::new();
    F.get_or_init(|| {
        let mut f = Forms {
            suffix: Set::default(),
            prefix: Set::default(),
            cjk_suffix: Vec::new(),
            cjk_prefix: Vec::new(),
            max_words: 1,
        };
        for line in LEGAL_FORMS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let Some(list) = line.splitn(3, '|').nth(2) else { continue };
            for form in list.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let (at_start, form) = match form.strip_prefix('^') {
                    Some(f) => (true, f),
                    None => (false, form),
                };
                let folded = fold(form);
                let words = folded.split(' ').filter(|w| !w.is_empty()).count();
                let joined: String = folded.split(' ').collect();
                if joined.is_empty() {
                    continue;
                }
                f.max_words = f.max_words.max(words);
                // In-word matching only for forms of two or more characters: a single 株 or 有
                // is a form only as a word of its own ("(株)").
                if joined.chars().all(is_cjk) && joined.chars().count() >= 2 {
                    f.cjk_suffix.push(joined.clone());
                    if at_start {
                        f.cjk_prefix.push(joined.clone());
                    }
                }
                if at_start {
                    f.prefix.insert(joined.clone());
                }
                f.suffix.insert(joined);
            }
        }
        // Longest first, so 股份有限公司 wins over 有限公司.
        f.cjk_suffix.sort_by_key(|s| std::cmp::Reverse(s.len()));
        f.cjk_prefix.sort_by_key(|s| std::cmp::Reverse(s.len()));
        f
    })
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Step 1 of the module doc: the folded text, words separated by spaces (not yet collapsed).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    if s.is_ascii() {
        for b in s.bytes() {
            push_folded(b as char, &mut out);
        }
        return out;
    }
    for c in s.nfkd() {
        if ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        push_folded(c, &mut out);
    }
    if out.is_ascii() {
        out
    } else {
        out.nfc().collect()
    }
}

fn push_folded(c: char, out: &mut String) {
    match c {
        '&' | '\u{FF06}' => out.push_str(" and "),
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' | '\u{00B7}' => {}
        _ if c.is_ascii() => {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(' ');
            }
        }
        _ => {
            for l in c.to_lowercase() {
                match l {
                    'ß' => out.push_str("ss"),
                    'ø' => out.push('o'),
                    'æ' => out.push_str("ae"),
                    'œ' => out.push_str("oe"),
                    'ł' => out.push('l'),
                    'đ' | 'ð' => out.push('d'),
                    'þ' => out.push_str("th"),
                    'ı' => out.push('i'),
                    'ħ' => out.push('h'),
                    'ŧ' => out.push('t'),
                    'ƒ' => out.push('f'),
                    'ĸ' => out.push('k'),
                    'ς' => out.push('σ'),
                    _ if l.is_alphanumeric() || is_combining_mark(l) => out.push(l),
                    _ => out.push(' '),
                }
            }
        }
    }
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
    if raw.len() > MAX_INPUT {
        return Err(Refusal::TooLong);
    }
    let s = text::trim_cell(raw);
    if s.is_empty() {
        return Err(Refusal::Empty);
    }
    if text::is_placeholder(s) {
        return Err(Refusal::Placeholder);
    }
    let folded = fold(s);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Err(Refusal::Empty);
    }
    trim(&mut words);
    Ok(join_collapsing_initials(&words))
}

/// Step 3 of the module doc.
fn trim(words: &mut Vec<&str>) {
    let f = forms();
    let mut buf = String::new();
    loop {
        let mut changed = false;
        if words.len() > 1 && words[0] == "the" {
            words.remove(0);
            changed = true;
        }
        // A legal form at the end: the longest that matches.
        let max = f.max_words.min(words.len() - 1);
        for k in (1..=max).rev() {
            buf.clear();
            words[words.len() - k..].iter().for_each(|w| buf.push_str(w));
            if f.suffix.contains(buf.as_str()) {
                words.truncate(words.len() - k);
                if words.len() > 1 && CONNECTORS.contains(&words[words.len() - 1]) {
                    words.pop();
                }
                changed = true;
                break;
            }
        }
        // A legal form at the start, where customary.
        let max = f.max_words.min(words.len() - 1);
        for k in (1..=max).rev() {
            buf.clear();
            words[..k].iter().for_each(|w| buf.push_str(w));
            if f.prefix.contains(buf.as_str()) {
                words.drain(..k);
                changed = true;
                break;
            }
        }
        // CJK forms inside the last or first word.
        if let Some(last) = words.last_mut() {
            if let Some(form) = f.cjk_suffix.iter().find(|p| last.len() > p.len() && last.ends_with(p.as_str())) {
                *last = &last[..last.len() - form.len()];
                changed = true;
            }
        }
        if let Some(first) = words.first_mut() {
            if let Some(form) = f.cjk_prefix.iter().find(|p| first.len() > p.len() && first.starts_with(p.as_str())) {
                *first = &first[form.len()..];
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// Folded words joined with initials collapsed, without legal-form trimming: the lookup form
/// of country names.
pub(crate) fn fold_words(s: &str) -> String {
    let folded = fold(s);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    join_collapsing_initials(&words)
}

/// Step 4 and 5 of the module doc.
fn join_collapsing_initials(words: &[&str]) -> String {
    let mut out = String::with_capacity(words.iter().map(|w| w.len() + 1).sum());
    let initial = |w: &str| w.len() == 1 && w.as_bytes()[0].is_ascii_alphanumeric();
    for (i, w) in words.iter().enumerate() {
        let joins = i > 0 && initial(w) && initial(words[i - 1]);
        if i > 0 && !joins {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
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
    let n = self::name(name)?;
    let c = country.and_then(|c| super::country(c).ok()).unwrap_or("");
    Ok(format!("{n}|{c}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        name(s).unwrap()
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
