//! The Public Suffix List: where registrable domains begin.
//!
//! `shop.acme.co.uk` and `acme.co.uk` are one company because `co.uk` is a *public suffix*
//! (anyone can register directly under it) and `acme.co.uk` is the *registrable domain* (the
//! public suffix plus one label). The private section counts too: `acme.github.io` and
//! `beta.github.io` are two companies, as are two `*.myshopify.com` shops.
//!
//! The list is embedded as text (`data/public_suffix_list.dat`: the upstream rules without their
//! comments, about 44 KB gzipped) and parsed once, on first use, into a hash map from each rule's
//! suffix to what is known about it. That is far smaller in wasm than the `psl` crate's generated
//! matcher (~240 KB gzipped). docs/NORMALIZATION.md says which list version is embedded and how
//! `scripts/update-psl` refreshes it.
//!
//! ## The algorithm (publicsuffix.org/list, "Formal algorithm")
//!
//! Walk the host's suffixes from the top-level label leftwards (`uk`, `co.uk`, `acme.co.uk`, …).
//! A suffix matches an exact rule (`co.uk`), or a wildcard rule through its parent (`*.ck`
//! matches `foo.ck`), or an exception rule (`!www.ck`). The prevailing rule is the exception if
//! any (the public suffix is then the exception minus its first label), else the matching rule
//! with most labels, else the implicit `*` (the top-level label). The walk stops at the first
//! suffix that no rule ends with, since no longer rule can match beyond it: every proper suffix
//! of a rule is stored as an *interior* entry for exactly that purpose.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::text::FxHasher;

/// The embedded list: rules only, with a header naming its source and upstream version.
pub const LIST: &str = include_str!("data/public_suffix_list.dat");

const EXACT: u8 = 1;
const WILDCARD: u8 = 2;
const EXCEPTION: u8 = 4;
const PRIVATE: u8 = 8;

/// Parsed rules: suffix → flags (0 for an interior entry).
struct Rules {
    map: HashMap<Cow<'static, str>, u8, BuildHasherDefault<FxHasher>>,
}

/// The upstream version line of the embedded list (`2026-10-22_08-36-41_UTC`).
pub fn list_version() -> &'static str {
    header_field("VERSION")
}

/// The upstream commit of the embedded list.
pub fn list_commit() -> &'static str {
    header_field("COMMIT")
}

fn header_field(name: &str) -> &'static str {
    LIST.lines()
        .take_while(|l| l.starts_with("//"))
        .find_map(|l| l.strip_prefix("// ")?.strip_prefix(name)?.strip_prefix(": "))
        .unwrap_or("unknown")
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| parse(LIST))
}

fn parse(list: &'static str) -> Rules {
    let mut map: HashMap<Cow<'static, str>, u8, BuildHasherDefault<FxHasher>> =
        HashMap::with_capacity_and_hasher(16_384, Default::default());
    let mut private = 0;
    for line in list.lines() {
        if line.starts_with("// ===BEGIN PRIVATE") {
            private = PRIVATE;
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let rule = line.split_whitespace().next().unwrap_or("");
        let (flag, body) = if let Some(b) = rule.strip_prefix("*.") {
            (WILDCARD, b)
        } else if let Some(b) = rule.strip_prefix('!') {
            (EXCEPTION, b)
        } else {
            (EXACT, rule)
        };
        let key: Cow<'static, str> = if body.is_ascii() {
            if body.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(body.to_ascii_lowercase())
            } else {
                Cow::Borrowed(body) // zero-copy: a slice of the embedded text
            }
        } else {
            // IDN rules (`公司.cn`) are stored as A-labels, the form hosts are looked up in.
            match super::idna::host_to_ascii(body) {
                Ok(a) => Cow::Owned(a),
                Err(_) => continue,
            }
        };
        // Interior entries for every proper suffix, so lookups can stop early.
        let mut rest: &str = &key;
        while let Some(i) = rest.find('.') {
            rest = &rest[i + 1..];
            map.entry(Cow::Owned(rest.to_string())).or_insert(0);
        }
        *map.entry(key).or_insert(0) |= flag | private;
    }
    Rules { map }
}

/// What the list says about a host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    /// Byte offset in the host where its public suffix starts.
    pub suffix_start: usize,
    /// Byte offset where the registrable domain starts, `None` when the host is itself a public
    /// suffix (or shorter than one, as `c.mm` under `*.mm`).
    pub registrable_start: Option<usize>,
    /// Whether the top-level label is in the list (`com`, `uk`; not `example` or `local`).
    pub known_tld: bool,
    /// Whether the prevailing rule is in the list's private section (`github.io`).
    pub private: bool,
}

/// Splits a canonical host (lower-case ASCII with A-labels, no trailing dot, non-empty labels)
/// into public suffix and registrable domain.
///
/// ```
/// use overlap::normalize::psl::{split, registrable_domain};
/// assert_eq!(registrable_domain("www.acme.co.uk"), Some("acme.co.uk"));
/// assert_eq!(registrable_domain("acme.github.io"), Some("acme.github.io"));
/// assert_eq!(registrable_domain("co.uk"), None);
/// assert!(!split("acme.example").known_tld);
/// ```
pub fn split(host: &str) -> Split {
    let rules = rules();
    // Start offsets of the host's labels, right to left: host[starts[k]..] has k+1 labels.
    let mut best_labels = 1; // the implicit `*` rule
    let mut best_private = false;
    let mut exception_labels = None;
    let mut known_tld = false;
    let mut prev_flags: Option<u8> = None;
    let mut labels = 0;
    let mut end = host.len();
    let mut starts: [usize; 128] = [0; 128];
    loop {
        let start = host[..end].rfind('.').map_or(0, |i| i + 1);
        starts[labels.min(127)] = start;
        labels += 1;
        let suffix = &host[start..];
        let flags = rules.map.get(suffix).copied();
        if labels == 1 {
            known_tld = flags.is_some();
        }
        if let Some(f) = flags {
            if f & EXCEPTION != 0 {
                exception_labels = Some((labels - 1, f & PRIVATE != 0));
                break;
            }
            if f & EXACT != 0 {
                best_labels = labels;
                best_private = f & PRIVATE != 0;
            }
        }
        if let Some(p) = prev_flags {
            if p & WILDCARD != 0 {
                best_labels = labels;
                best_private = p & PRIVATE != 0;
            }
        }
        if flags.is_none() || start == 0 || labels >= 127 {
            break;
        }
        prev_flags = flags;
        end = start - 1;
    }
    let (ps_labels, private) = exception_labels.unwrap_or((best_labels, best_private));
    // Labels in the host: those walked, plus the rest when the walk stopped early.
    let total = if starts[(labels - 1).min(127)] == 0 {
        labels
    } else {
        labels + host[..starts[(labels - 1).min(127)] - 1].split('.').count()
    };
    let label_start = |k: usize| -> usize {
        // Start of the suffix with k labels (k >= 1).
        if k <= labels.min(127) {
            starts[k - 1]
        } else {
            nth_label_start_from_right(host, k)
        }
    };
    let suffix_start = label_start(ps_labels);
    let registrable_start = (total > ps_labels).then(|| label_start(ps_labels + 1));
    Split { suffix_start, registrable_start, known_tld, private }
}

fn nth_label_start_from_right(host: &str, k: usize) -> usize {
    let mut seen = 0;
    for (i, b) in host.bytes().enumerate().rev() {
        if b == b'.' {
            seen += 1;
            if seen == k {
                return i + 1;
            }
        }
    }
    0
}

/// The registrable domain of a canonical host, `None` when the host is a public suffix.
pub fn registrable_domain(host: &str) -> Option<&str> {
    split(host).registrable_start.map(|i| &host[i..])
}

/// The public suffix of a canonical host under the list (the implicit `*` rule for unknown
/// top-level domains).
pub fn public_suffix(host: &str) -> &str {
    &host[split(host).suffix_start..]
}

/// Number of rules in the embedded list (for documentation and tests).
pub fn rule_count() -> usize {
    rules().map.values().filter(|&&f| f & (EXACT | WILDCARD | EXCEPTION) != 0).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(h: &str) -> Option<&str> {
        registrable_domain(h)
    }

    #[test]
    fn icann_and_private_rules() {
        assert_eq!(reg("shop.acme.com"), Some("acme.com"));
        assert_eq!(reg("www.acme.co.uk"), Some("acme.co.uk"));
        assert_eq!(reg("acme.github.io"), Some("acme.github.io"));
        assert_eq!(reg("x.acme.github.io"), Some("acme.github.io"));
        assert_eq!(reg("shop.myshopify.com"), Some("shop.myshopify.com"));
        assert_eq!(reg("github.io"), None);
        assert_eq!(reg("co.uk"), None);
        assert_eq!(reg("com"), None);
        assert!(split("a.b.acme.github.io").private);
        assert!(!split("acme.co.uk").private);
    }

    #[test]
    fn wildcards_and_exceptions() {
        assert_eq!(reg("c.mm"), None);
        assert_eq!(reg("b.c.mm"), Some("b.c.mm"));
        assert_eq!(reg("a.b.c.mm"), Some("b.c.mm"));
        assert_eq!(reg("www.ck"), Some("www.ck"));
        assert_eq!(reg("www.www.ck"), Some("www.ck"));
        assert_eq!(reg("city.kobe.jp"), Some("city.kobe.jp"));
        assert_eq!(reg("a.b.c.kobe.jp"), Some("b.c.kobe.jp"));
    }

    #[test]
    fn unknown_tlds_use_the_implicit_rule() {
        let s = split("a.b.example");
        assert!(!s.known_tld);
        assert_eq!(reg("a.b.example"), Some("b.example"));
        assert_eq!(reg("example"), None);
    }

    #[test]
    fn header_names_the_version() {
        assert_ne!(list_version(), "unknown");
        assert_ne!(list_commit(), "unknown");
        assert!(rule_count() > 9_000);
    }

    #[test]
    fn deep_hosts_do_not_overflow() {
        let deep = "a.".repeat(200) + "com";
        assert_eq!(reg(&deep), Some("a.com"));
        let deep = "a.".repeat(200) + "b.c.mm";
        assert_eq!(reg(&deep), Some("b.c.mm"));
    }
}
