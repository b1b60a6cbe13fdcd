//! Typed matching keys.
//!
//! Every CRM row yields zero or more keys. A key is a kind plus a normalized value; two partners'
//! rows are the same account when they share a key. Keys never leave the party in this form: the
//! protocol blinds them (ECDH) or keys them (quick mode) first.

use std::fmt;

/// What a key identifies an account by.
///
/// The byte tag is part of the wire format and of hash-to-group domain separation: never renumber.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyKind {
    /// Registrable domain of a website, a domain column or a company email address.
    Domain,
    /// Dun & Bradstreet number, 9 digits.
    Duns,
    /// LinkedIn company slug.
    Linkedin,
    /// Canonical company name plus country: the weak fallback.
    Name,
}

impl KeyKind {
    /// All kinds, in tag order.
    pub const ALL: [KeyKind; 4] = [KeyKind::Domain, KeyKind::Duns, KeyKind::Linkedin, KeyKind::Name];

    /// The stable one-byte tag used on the wire and in domain separation.
    pub fn tag(self) -> u8 {
        match self {
            KeyKind::Domain => 1,
            KeyKind::Duns => 2,
            KeyKind::Linkedin => 3,
            KeyKind::Name => 4,
        }
    }

    /// The kind for a tag, if any.
    pub fn from_tag(tag: u8) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| k.tag() == tag)
    }

    /// The lower-case name used in key strings (`domain:acme.com`) and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Domain => "domain",
            KeyKind::Duns => "duns",
            KeyKind::Linkedin => "linkedin",
            KeyKind::Name => "name",
        }
    }

    /// A bit for sets of kinds ([`KindSet`]).
    pub fn bit(self) -> u8 {
        1 << (self.tag() - 1)
    }

    /// Whether a match on this kind is high confidence (identifiers and domains) or only
    /// "possible" (names).
    pub fn confidence(self) -> Confidence {
        match self {
            KeyKind::Name => Confidence::Possible,
            _ => Confidence::High,
        }
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure a match is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// Matched on a company name (plus country) only: one of the two rows has no city.
    Possible,
    /// Matched on a company name, country and city.
    Likely,
    /// Matched on a domain or an identifier.
    High,
}

impl Confidence {
    /// `high`, `likely` or `possible`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Likely => "likely",
            Confidence::Possible => "possible",
        }
    }

    /// What the tier rests on, in a partnership manager's words.
    pub fn evidence(self) -> &'static str {
        match self {
            Confidence::High => "domain or identifier",
            Confidence::Likely => "name + city",
            Confidence::Possible => "name only",
        }
    }
}

/// A set of [`KeyKind`]s as a bit mask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KindSet(pub u8);

impl KindSet {
    /// Adds a kind.
    pub fn insert(&mut self, kind: KeyKind) {
        self.0 |= kind.bit();
    }
    /// Whether the set holds `kind`.
    pub fn contains(self, kind: KeyKind) -> bool {
        self.0 & kind.bit() != 0
    }
    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The kinds in the set, in tag order.
    pub fn iter(self) -> impl Iterator<Item = KeyKind> {
        KeyKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
    /// The best confidence among the kinds, `None` when empty.
    pub fn confidence(self) -> Option<Confidence> {
        self.iter().map(KeyKind::confidence).max()
    }
    /// Kinds joined with `;`, e.g. `domain;name`.
    pub fn describe(self) -> String {
        self.iter().map(KeyKind::as_str).collect::<Vec<_>>().join(";")
    }
}

/// A typed, normalized key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// What kind of identifier.
    pub kind: KeyKind,
    /// The normalized value (see docs/NORMALIZATION.md).
    pub value: String,
}

/// Suffix of a paired `name:` key from a row that also has another key (a domain or identifier).
pub const NAME_BESIDE_OTHER_KEYS: &str = "|+";
/// Suffix of a paired `name:` key from a row with no other key.
pub const NAME_ALONE: &str = "|-";
/// In a paired `name:` key, what comes before the row's city (`acme|US@springfield|+`): folded
/// names and cities never hold it.
pub const NAME_PLACE: char = '@';

impl Key {
    /// For a paired `name:` key (see `ingest::NamePolicy::Paired`), the name value without its
    /// suffix and whether the row it came from also has another key.
    pub fn paired_name(&self) -> Option<(&str, bool)> {
        if self.kind != KeyKind::Name {
            return None;
        }
        if let Some(base) = self.value.strip_suffix(NAME_BESIDE_OTHER_KEYS) {
            Some((base, true))
        } else {
            self.value.strip_suffix(NAME_ALONE).map(|base| (base, false))
        }
    }

    /// For a paired `name:` key, the name value (`acme|US`), the row's city if it has one, and
    /// whether the row also has another key.
    pub fn paired_name_place(&self) -> Option<(&str, Option<&str>, bool)> {
        let (base, beside) = self.paired_name()?;
        Some(match base.split_once(NAME_PLACE) {
            Some((name, city)) => (name, Some(city), beside),
            None => (base, None, beside),
        })
    }

    /// A key of `kind` with an already normalized `value`.
    pub fn new(kind: KeyKind, value: impl Into<String>) -> Key {
        Key { kind, value: value.into() }
    }

    /// The bytes hashed or keyed by the protocol: the kind tag, then the value's UTF-8.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.kind.tag());
        out.extend_from_slice(self.value.as_bytes());
    }
}

impl fmt::Display for Key {
    /// `kind:value`, e.g. `domain:acme.com`. Only for local display and tests; never logged.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.value)
    }
}
