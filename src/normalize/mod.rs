//! Normalization: every way a CRM writes the same identifier becomes one key.
//!
//! One module per identifier. Each function takes the raw cell text and returns the normalized
//! value or a typed [`Refusal`] saying why the cell gives no key. The rules are specified in
//! docs/NORMALIZATION.md and pinned by tests/vectors/normalization.json; [`VERSION`] is stamped
//! into every protocol message so two partners on different rules refuse to match.

pub mod country;
pub mod domain;
pub mod duns;
pub mod email;
pub mod linkedin;
pub mod name;

pub use self::country::country;
pub use self::domain::domain;
pub use self::duns::duns;
pub use self::email::email;
pub use self::linkedin::linkedin;
pub use self::name::{name, name_key};

use std::fmt;

/// The version of the normalization rules. Changing any rule's output changes this string.
pub const VERSION: &str = "overlap-norm/0.1";

/// Why a value gives no key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// Nothing but whitespace.
    Empty,
    /// A placeholder such as `n/a`, `none`, `-`.
    Placeholder,
    /// Characters that cannot be in a host name.
    InvalidCharacter,
    /// An IP address rather than a name.
    IpAddress,
    /// `localhost` or another local-only name.
    Localhost,
    /// A name with a single label (`acme`).
    SingleLabel,
    /// A bare public suffix (`co.uk`).
    PublicSuffix,
    /// Longer than any real value of the kind.
    TooLong,
    /// No `@`: not an email address.
    NotAnEmail,
    /// A free-mail, ISP or disposable provider: says nothing about the company.
    FreeMail,
    /// Not a country this version knows.
    UnknownCountry,
    /// Not a 9-digit DUNS number.
    NotADuns,
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
            Refusal::TooLong => "too_long",
            Refusal::NotAnEmail => "not_an_email",
            Refusal::FreeMail => "free_mail",
            Refusal::UnknownCountry => "unknown_country",
            Refusal::NotADuns => "not_a_duns",
            Refusal::NotALinkedinCompany => "not_a_linkedin_company",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::Empty => "empty",
            Refusal::Placeholder => "a placeholder, not a value",
            Refusal::InvalidCharacter => "has characters a host name cannot have",
            Refusal::IpAddress => "an IP address, not a domain",
            Refusal::Localhost => "a local host name",
            Refusal::SingleLabel => "a single label, not a registrable domain",
            Refusal::PublicSuffix => "a public suffix, not a registrable domain",
            Refusal::TooLong => "too long",
            Refusal::NotAnEmail => "not an email address",
            Refusal::FreeMail => "a free-mail provider, not a company domain",
            Refusal::UnknownCountry => "not a known country",
            Refusal::NotADuns => "not a 9-digit DUNS number",
            Refusal::NotALinkedinCompany => "not a LinkedIn company page",
        })
    }
}
