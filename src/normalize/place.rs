//! Places: the city, state or region and postal code of an account, as CRMs hold them.
//!
//! Two companies that share a name and a country are often two companies in two cities. A name
//! key carries the row's **city** ([`city()`]), and a name match needs the cities to agree when
//! both rows hold one (docs/PROTOCOL.md, "Paired name keys"). The city is the part of an address
//! both CRMs of a partnership reliably hold; states and postal codes are recognised and normalized
//! too ([`region()`], [`postal()`]) — so that their columns are not taken for something else, and
//! for the reports — but a name key does not use them: a postal code cannot be compared with a
//! city, and requiring every part where one CRM leaves some blank would lose matches.
//!
//! [`city()`]: folded as company names are (case, accents, spacing, punctuation:
//! `SAINT-ÉTIENNE` → `saint etienne`, `Zürich` → `zurich`), with the abbreviations CRMs type
//! spelled out when they begin the name: `St.`/`St` → `saint`, `Ste` → `sainte`, `Mt` →
//! `mount`, `Ft` → `fort` (`St. Louis` and `Saint Louis` are one city). Anything else written in
//! the cell stays part of the city: `Springfield, IL` and `Springfield` differ, and two such rows
//! do not match on their names (keep the state in its own column).

use super::fold::fold_words;
use super::text;
use super::Refusal;

/// Longest place cell looked at, in bytes.
pub const MAX_INPUT: usize = 256;

/// Abbreviations of the first word of a city name, spelled out.
const CITY_ABBREVIATIONS: &[(&str, &str)] = &[("st", "saint"), ("ste", "sainte"), ("mt", "mount"), ("ft", "fort")];

/// The canonical form of a city name.
///
/// ```
/// use overlap::normalize::place::city;
/// assert_eq!(city("  SAINT-ÉTIENNE ").unwrap(), "saint etienne");
/// assert_eq!(city("St. Louis").unwrap(), city("Saint Louis").unwrap());
/// assert_eq!(city("Zürich").unwrap(), "zurich");
/// assert!(city("n/a").is_err());
/// ```
///
/// # Errors
/// [`Refusal::Empty`] when no letter or digit is left, [`Refusal::Placeholder`], [`Refusal::TooLong`].
pub fn city(raw: &str) -> Result<String, Refusal> {
    let s = text::cell(raw, MAX_INPUT)?;
    let folded = fold_words(s);
    if folded.is_empty() {
        return Err(Refusal::Empty);
    }
    let (first, rest) = folded.split_once(' ').map_or((folded.as_str(), ""), |(a, b)| (a, b));
    match CITY_ABBREVIATIONS.iter().find(|(short, _)| *short == first) {
        Some((_, long)) if !rest.is_empty() => Ok(format!("{long} {rest}")),
        _ => Ok(folded),
    }
}

/// US states (and DC) and Canadian provinces and territories: folded name → code.
const REGIONS: &[(&str, &str)] = &[
    ("alabama", "AL"),
    ("alaska", "AK"),
    ("arizona", "AZ"),
    ("arkansas", "AR"),
    ("california", "CA"),
    ("colorado", "CO"),
    ("connecticut", "CT"),
    ("delaware", "DE"),
    ("district of columbia", "DC"),
    ("florida", "FL"),
    ("georgia", "GA"),
    ("hawaii", "HI"),
    ("idaho", "ID"),
    ("illinois", "IL"),
    ("indiana", "IN"),
    ("iowa", "IA"),
    ("kansas", "KS"),
    ("kentucky", "KY"),
    ("louisiana", "LA"),
    ("maine", "ME"),
    ("maryland", "MD"),
    ("massachusetts", "MA"),
    ("michigan", "MI"),
    ("minnesota", "MN"),
    ("mississippi", "MS"),
    ("missouri", "MO"),
    ("montana", "MT"),
    ("nebraska", "NE"),
    ("nevada", "NV"),
    ("new hampshire", "NH"),
    ("new jersey", "NJ"),
    ("new mexico", "NM"),
    ("new york", "NY"),
    ("north carolina", "NC"),
    ("north dakota", "ND"),
    ("ohio", "OH"),
    ("oklahoma", "OK"),
    ("oregon", "OR"),
    ("pennsylvania", "PA"),
    ("rhode island", "RI"),
    ("south carolina", "SC"),
    ("south dakota", "SD"),
    ("tennessee", "TN"),
    ("texas", "TX"),
    ("utah", "UT"),
    ("vermont", "VT"),
    ("virginia", "VA"),
    ("washington", "WA"),
    ("west virginia", "WV"),
    ("wisconsin", "WI"),
    ("wyoming", "WY"),
    ("alberta", "AB"),
    ("british columbia", "BC"),
    ("manitoba", "MB"),
    ("new brunswick", "NB"),
    ("newfoundland and labrador", "NL"),
    ("nova scotia", "NS"),
    ("ontario", "ON"),
    ("prince edward island", "PE"),
    ("quebec", "QC"),
    ("saskatchewan", "SK"),
    ("northwest territories", "NT"),
    ("nunavut", "NU"),
    ("yukon", "YT"),
];

/// The canonical form of a state, province or region: the two-letter code for the US states and
/// Canadian provinces (`California`, `calif` aside, `CA`, `ca` → `CA`), the folded name otherwise.
///
/// ```
/// use overlap::normalize::place::region;
/// assert_eq!(region("California").unwrap(), "CA");
/// assert_eq!(region(" ny ").unwrap(), "NY");
/// assert_eq!(region("Québec").unwrap(), "QC");
/// assert_eq!(region("Bavaria").unwrap(), "bavaria");
/// ```
///
/// # Errors
/// As [`city()`].
pub fn region(raw: &str) -> Result<String, Refusal> {
    let s = text::cell(raw, MAX_INPUT)?;
    let folded = fold_words(s);
    if folded.is_empty() {
        return Err(Refusal::Empty);
    }
    if let Some((_, code)) = REGIONS.iter().find(|(name, code)| *name == folded || code.eq_ignore_ascii_case(&folded)) {
        return Ok((*code).to_string());
    }
    Ok(folded)
}

/// The canonical form of a postal code: letters and digits only, upper case; for a US ZIP code
/// (5 digits, or ZIP+4 with 9) the first 5 digits.
///
/// ```
/// use overlap::normalize::place::postal;
/// assert_eq!(postal("94105-1234").unwrap(), "94105");
/// assert_eq!(postal("sw1a 1aa").unwrap(), "SW1A1AA");
/// assert_eq!(postal("1012 AB").unwrap(), "1012AB");
/// assert!(postal("-").is_err());
/// ```
///
/// # Errors
/// As [`city()`], and [`Refusal::InvalidCharacter`] for a cell with no digit or over 10
/// characters once compacted (no postal code of any country is).
pub fn postal(raw: &str) -> Result<String, Refusal> {
    let s = text::cell(raw, MAX_INPUT)?;
    let compact: String = s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect();
    if compact.is_empty() {
        return Err(Refusal::Empty);
    }
    if compact.len() > 10 || !compact.bytes().any(|b| b.is_ascii_digit()) || s.chars().any(|c| c.is_alphabetic() && !c.is_ascii())
    {
        return Err(Refusal::InvalidCharacter);
    }
    let us = s.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    if us && (compact.len() == 5 || compact.len() == 9) {
        return Ok(compact[..5].to_string());
    }
    Ok(compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cities_as_crms_write_them() {
        for (a, b) in [
            ("St. Louis", "Saint Louis"),
            ("ST LOUIS", "saint-louis"),
            ("Mt. Vernon", "Mount Vernon"),
            ("Ft Worth", "Fort Worth"),
            ("Ste-Foy", "Sainte Foy"),
            ("São Paulo", "SAO PAULO"),
            ("Köln", "koln"),
            ("  New   York ", "new york"),
        ] {
            assert_eq!(city(a), city(b), "{a} / {b}");
        }
        assert_eq!(city("St").unwrap(), "st", "a lone abbreviation is left as it is");
        assert_ne!(city("Springfield"), city("Springfield, IL"));
        assert_eq!(city("東京").unwrap(), "東京");
        for bad in ["", "  ", "n/a", "-", "null"] {
            assert!(city(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn regions_and_postal_codes() {
        assert_eq!(region("new york").unwrap(), "NY");
        assert_eq!(region("Wa").unwrap(), "WA");
        assert_eq!(region("Nordrhein-Westfalen").unwrap(), "nordrhein westfalen");
        assert_eq!(postal("02134").unwrap(), "02134");
        assert_eq!(postal("021341234").unwrap(), "02134");
        assert_eq!(postal("K1A 0B1").unwrap(), "K1A0B1");
        assert_eq!(postal("75008").unwrap(), "75008");
        assert!(postal("London").is_err());
        assert!(postal("12345678901").is_err());
    }
}
