//! Normalization: every way a CRM writes the same identifier becomes one key.
//!
//! Matching is exact on keys, so this module decides whether two partners' rows for the same
//! company meet. One module per identifier; each function takes the raw cell text and returns the
//! normalized value or a typed [`Refusal`] saying why the cell gives no key:
//!
//! | kind | function | example |
//! | --- | --- | --- |
//! | website or domain | [`domain()`] | `HTTPS://WWW.ACME.CO.UK:443/` → `acme.co.uk` |
//! | contact email | [`email()`] | `Jane@Shop.Acme.com` → `acme.com`; `x@gmail.com` refused |
//! | company name | [`name()`], [`name_key`] | `The Acme Tools, L.L.C.` → `acme tools` |
//! | country | [`country()`] | `Deutschland` → `DE` |
//! | DUNS | [`duns()`] | `08-146-6849` → `081466849` |
//! | LinkedIn page | [`linkedin()`] | `linkedin.com/company/acme-inc/about` → `acme-inc` |
//! | city, region, postal code | [`place::city`], [`place::region`], [`place::postal`] | `St. Louis` → `saint louis` |
//!
//! The rules are specified in docs/NORMALIZATION.md and pinned by
//! tests/vectors/normalization.json, which native, wasm and JS tests all read. [`VERSION`] is
//! stamped into every protocol message, so partners on different rules get a clear error instead
//! of a silently smaller overlap.
//!
//! Data the rules use, each with its source and update command in docs/NORMALIZATION.md:
//! the Public Suffix List ([`psl`]), free-mail providers ([`mod@email`]), legal forms ([`mod@legal_forms`]) and
//! country names ([`mod@country`]). Each is embedded text parsed once, on first use.
//!
//! No function here panics, whatever the input; over-long inputs are refused with
//! [`Refusal::TooLong`] before any work proportional to their length beyond one scan. Refusals
//! never quote the value.

pub mod country;
pub mod domain;
pub mod duns;
pub mod email;
pub mod fold;
mod freemail_set;
pub mod idna;
pub mod legal_forms;
pub mod legal_forms_elf;
pub mod linkedin;
pub mod name;
#[cfg(test)]
mod name_reference;
pub mod place;
pub mod psl;
pub mod psl_compact;
mod text;
pub mod unicode;

pub use self::country::country;
pub use self::domain::domain;
pub use self::duns::duns;
pub use self::email::email;
pub use self::linkedin::linkedin;
pub use self::name::{name, name_key};

use std::fmt;
use std::str::FromStr;

/// The version of the normalization rules (and of the data they embed). Changing any rule's
/// output changes this string; two partners on different versions refuse to match.
pub const VERSION: &str = "overlap-norm/2";

/// Why a value gives no key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// Nothing but whitespace, quotes or punctuation.
    Empty,
    /// A placeholder such as `n/a`, `none`, `-`, `tbd`, or a documentation name (`example.com`).
    Placeholder,
    /// Characters that cannot be in a value of this kind (control characters, `_` in a host…).
    InvalidCharacter,
    /// An IP address rather than a name.
    IpAddress,
    /// `localhost` or another local-only name (`.local`, `.internal`, `.lan`…).
    Localhost,
    /// A name with a single label (`acme`).
    SingleLabel,
    /// A bare public suffix (`co.uk`, `github.io`).
    PublicSuffix,
    /// A top-level domain that is not in the Public Suffix List (`acme.con`).
    UnknownTld,
    /// Not a well-formed host name: an empty label, a label over 63 bytes or starting or ending
    /// with `-`, a host over 253 bytes, an invalid `xn--` label.
    MalformedHost,
    /// Longer than any real value of the kind.
    TooLong,
    /// No `@` followed by a host: not an email address.
    NotAnEmail,
    /// A free-mail, ISP or disposable provider: says nothing about the company.
    FreeMail,
    /// Not a country this version knows.
    UnknownCountry,
    /// Not a 9-digit DUNS number.
    NotADuns,
    /// A DUNS+4 number (13 digits): names a site or branch, not the company.
    DunsPlusFour,
    /// Not a LinkedIn company page.
    NotALinkedinCompany,
}

impl Refusal {
    /// A stable machine-readable code, e.g. `placeholder`.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::Placeholder => "placeholder",
            Refusal::InvalidCharacter => "invalid_character",
            Refusal::IpAddress => "ip_address",
            Refusal::Localhost => "localhost",
            Refusal::SingleLabel => "single_label",
            Refusal::PublicSuffix => "public_suffix",
            Refusal::UnknownTld => "unknown_tld",
            Refusal::MalformedHost => "malformed_host",
            Refusal::TooLong => "too_long",
            Refusal::NotAnEmail => "not_an_email",
            Refusal::FreeMail => "free_mail",
            Refusal::UnknownCountry => "unknown_country",
            Refusal::NotADuns => "not_a_duns",
            Refusal::DunsPlusFour => "duns_plus_four",
            Refusal::NotALinkedinCompany => "not_a_linkedin_company",
        }
    }

    /// Every refusal, in declaration order (for documentation and tests).
    pub const ALL: [Refusal; 16] = [
        Refusal::Empty,
        Refusal::Placeholder,
        Refusal::InvalidCharacter,
        Refusal::IpAddress,
        Refusal::Localhost,
        Refusal::SingleLabel,
        Refusal::PublicSuffix,
        Refusal::UnknownTld,
        Refusal::MalformedHost,
        Refusal::TooLong,
        Refusal::NotAnEmail,
        Refusal::FreeMail,
        Refusal::UnknownCountry,
        Refusal::NotADuns,
        Refusal::DunsPlusFour,
        Refusal::NotALinkedinCompany,
    ];
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::Empty => "empty",
            Refusal::Placeholder => "a placeholder, not a value",
            Refusal::InvalidCharacter => "has characters this kind of value cannot have",
            Refusal::IpAddress => "an IP address, not a domain",
            Refusal::Localhost => "a local host name",
            Refusal::SingleLabel => "a single label, not a registrable domain",
            Refusal::PublicSuffix => "a public suffix, not a registrable domain",
            Refusal::UnknownTld => "not under a known top-level domain",
            Refusal::MalformedHost => "not a well-formed host name",
            Refusal::TooLong => "too long",
            Refusal::NotAnEmail => "not an email address",
            Refusal::FreeMail => "a free-mail provider, not a company domain",
            Refusal::UnknownCountry => "not a known country",
            Refusal::NotADuns => "not a 9-digit DUNS number",
            Refusal::DunsPlusFour => "a DUNS+4 number (a site), not a 9-digit DUNS",
            Refusal::NotALinkedinCompany => "not a LinkedIn company page",
        })
    }
}

impl std::error::Error for Refusal {}

/// A kind of value that [`normalize()`] knows, by its lower-case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A website or domain cell: [`domain()`].
    Domain,
    /// A contact email: [`email()`].
    Email,
    /// A company name: [`name()`].
    Name,
    /// A country: [`country()`].
    Country,
    /// A DUNS number: [`duns()`].
    Duns,
    /// A LinkedIn company page: [`linkedin()`].
    Linkedin,
    /// A city: [`place::city`].
    City,
    /// A state, province or region: [`place::region`].
    Region,
    /// A postal code: [`place::postal`].
    Postal,
}

impl Kind {
    /// All kinds.
    pub const ALL: [Kind; 9] = [
        Kind::Domain,
        Kind::Email,
        Kind::Name,
        Kind::Country,
        Kind::Duns,
        Kind::Linkedin,
        Kind::City,
        Kind::Region,
        Kind::Postal,
    ];

    /// `domain`, `email`, `name`, `country`, `duns` or `linkedin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Domain => "domain",
            Kind::Email => "email",
            Kind::Name => "name",
            Kind::Country => "country",
            Kind::Duns => "duns",
            Kind::Linkedin => "linkedin",
            Kind::City => "city",
            Kind::Region => "region",
            Kind::Postal => "postal",
        }
    }

    /// Normalizes one value of this kind.
    ///
    /// # Errors
    /// The kind's [`Refusal`].
    pub fn apply(self, value: &str) -> Result<String, Refusal> {
        match self {
            Kind::Domain => domain(value),
            Kind::Email => email(value),
            Kind::Name => name(value),
            Kind::Country => country(value).map(str::to_string),
            Kind::Duns => duns(value),
            Kind::Linkedin => linkedin(value),
            Kind::City => place::city(value),
            Kind::Region => place::region(value),
            Kind::Postal => place::postal(value),
        }
    }

    /// Normalizes one value per line of `input` and appends one line per input line to `out`:
    /// the normalized value, or an empty line when refused. `\n` and `\r\n` both end a line; a
    /// final line without a terminator counts, an empty input gives no line.
    ///
    /// This is the batch form behind the CLI (`overlap normalize KIND`) and the wasm facade.
    pub fn apply_lines(self, input: &str, out: &mut String) {
        for line in input.lines() {
            if let Ok(v) = self.apply(line) {
                out.push_str(&v);
            }
            out.push('\n');
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = NormalizeError;

    fn from_str(s: &str) -> Result<Kind, NormalizeError> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or(NormalizeError::UnknownKind)
    }
}

/// What [`normalize()`] can answer besides a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NormalizeError {
    /// The kind name is none of `domain|email|name|country|duns|linkedin`.
    UnknownKind,
    /// The value gives no key, for this reason.
    Refused(Refusal),
}

impl NormalizeError {
    /// A stable machine-readable code: `unknown_kind`, or the refusal's [`Refusal::code`].
    pub fn code(self) -> &'static str {
        match self {
            NormalizeError::UnknownKind => "unknown_kind",
            NormalizeError::Refused(r) => r.code(),
        }
    }
}

impl From<Refusal> for NormalizeError {
    fn from(r: Refusal) -> NormalizeError {
        NormalizeError::Refused(r)
    }
}

impl fmt::Display for NormalizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NormalizeError::UnknownKind => {
                f.write_str("unknown kind: expected one of domain, email, name, country, duns, linkedin")
            }
            NormalizeError::Refused(r) => fmt::Display::fmt(r, f),
        }
    }
}

impl std::error::Error for NormalizeError {}

/// Normalizes `value` as the kind named `kind` (`domain|email|name|country|duns|linkedin`).
///
/// ```
/// use overlap::normalize::{normalize, NormalizeError, Refusal};
/// assert_eq!(normalize("domain", "HTTPS://WWW.ACME.COM:443/").unwrap(), "acme.com");
/// assert_eq!(normalize("email", "jo@gmail.com"), Err(NormalizeError::Refused(Refusal::FreeMail)));
/// assert_eq!(normalize("colour", "red"), Err(NormalizeError::UnknownKind));
/// ```
///
/// # Errors
/// [`NormalizeError::UnknownKind`] for an unknown kind name, [`NormalizeError::Refused`] when the
/// value gives no key.
pub fn normalize(kind: &str, value: &str) -> Result<String, NormalizeError> {
    let kind: Kind = kind.parse()?;
    Ok(kind.apply(value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case() {
        let mut codes: Vec<&str> = Refusal::ALL.iter().map(|r| r.code()).collect();
        assert!(codes.iter().all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Refusal::ALL.len());
    }

    #[test]
    fn dispatches_by_kind_name() {
        assert_eq!(normalize("duns", "08-146-6849").unwrap(), "081466849");
        assert_eq!(normalize("country", "Deutschland").unwrap(), "DE");
        assert_eq!(normalize("Domain", "acme.com"), Err(NormalizeError::UnknownKind));
        assert_eq!(normalize("domain", "n/a"), Err(NormalizeError::Refused(Refusal::Placeholder)));
    }

    #[test]
    fn batch_gives_one_line_per_input() {
        let mut out = String::new();
        Kind::Domain.apply_lines("www.acme.com\r\nn/a\n\nshop.beta.co.uk", &mut out);
        assert_eq!(out, "acme.com\n\n\nbeta.co.uk\n");
    }
}
