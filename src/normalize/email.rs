//! Contact email → company domain.
//!
//! `Jane.Doe@EU.Acme.co.uk` says the contact works at `acme.co.uk`: the domain part, normalized
//! exactly as a website ([`super::domain()`]), is the key. Unless it is a free-mail, ISP or
//! disposable provider (`gmail.com`, `yahoo.co.jp`, `web.de`, `mailinator.com`, …): those say
//! nothing about the company, and two partners with contacts at `gmail.com` would otherwise
//! "share" an account.
//!
//! The provider set is the union of HubSpot's free email domains and the two maintained
//! disposable-address lists (`data/free_mail/`, refreshed by `scripts/update-free-mail`) and the
//! hand-maintained `data/free_mail.txt` (sources and versions in their headers and in
//! docs/NORMALIZATION.md). A
//! host is a provider when it, or any of its parent domains down to its registrable domain, is
//! listed, or when its registrable domain is a listed brand under any public suffix (`yahoo.*`).

use std::sync::OnceLock;

use super::freemail_set;
use super::text;
use super::{domain, idna, psl, Refusal};

/// Longest input looked at, in bytes (RFC 5321 allows 254 for an address; cells hold more).
pub const MAX_INPUT: usize = 1024;

/// The provider domains, as the compact hash set `build.rs` makes of the union of its sources.
pub(crate) const EMBEDDED_DOMAINS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/free_mail.bin"));
/// The brand patterns of `data/free_mail.txt` (`yahoo` for `yahoo.*`), one per line.
const BRANDS: &str = include_str!(concat!(env!("OUT_DIR"), "/free_mail_brands.txt"));

struct Providers {
    /// Sorted hashes of the listed domains.
    domains: Vec<u32>,
    /// Where the hashes with each value of their top [`BUCKET_BITS`] bits start in `domains`
    /// (and, last, its length): a lookup searches a few neighbours instead of all of them.
    buckets: Vec<u32>,
    brands: Vec<&'static str>,
}

/// Bits of a hash that choose its bucket.
const BUCKET_BITS: u32 = 12;

impl Providers {
    fn has_domain(&self, host: &str) -> bool {
        let h = freemail_set::hash(host);
        let b = (h >> (32 - BUCKET_BITS)) as usize;
        let (lo, hi) = (self.buckets[b] as usize, self.buckets[b + 1] as usize);
        self.domains[lo..hi].binary_search(&h).is_ok()
    }
}

fn providers() -> &'static Providers {
    static P: OnceLock<Providers> = OnceLock::new();
    P.get_or_init(|| {
        // Made by build.rs from the same code: it decodes.
        let domains = freemail_set::decode(EMBEDDED_DOMAINS).unwrap_or_default();
        let buckets = (0..=1u32 << BUCKET_BITS)
            .map(|b| domains.partition_point(|&h| u64::from(h) >> (32 - BUCKET_BITS) < u64::from(b)) as u32)
            .collect();
        Providers { domains, buckets, brands: BRANDS.lines().collect() }
    })
}

/// Whether a canonical host (lower-case ASCII) belongs to a free-mail, ISP or disposable
/// provider.
///
/// ```
/// use overlap::normalize::email::is_free_mail;
/// assert!(is_free_mail("gmail.com"));
/// assert!(is_free_mail("mail.yahoo.co.jp"));
/// assert!(!is_free_mail("acme.com"));
/// ```
pub fn is_free_mail(host: &str) -> bool {
    is_free_mail_split(host, psl::split(host))
}

fn is_free_mail_split(host: &str, split: psl::Split) -> bool {
    let p = providers();
    let Some(reg_start) = split.registrable_start else {
        return p.has_domain(host);
    };
    // The host and each parent down to the registrable domain.
    let mut h = host;
    loop {
        if p.has_domain(h) {
            return true;
        }
        match h.find('.') {
            Some(i) if host.len() - h.len() + i < reg_start => h = &h[i + 1..],
            _ => break,
        }
    }
    let brand = &host[reg_start..split.suffix_start.saturating_sub(1).max(reg_start)];
    p.brands.contains(&brand)
}

/// The company domain of an email address: the registrable domain of its domain part, refused
/// for free-mail, ISP and disposable providers.
///
/// Accepts what CRMs hold: surrounding space and quotes, `mailto:`, a display name
/// (`Jane Doe <jane@acme.com>`), several addresses (the first is used), upper case,
/// internationalized domains.
///
/// ```
/// use overlap::normalize::{email, Refusal};
/// assert_eq!(email("Jane.Doe@EU.Acme.co.uk").unwrap(), "acme.co.uk");
/// assert_eq!(email("jane@gmail.com"), Err(Refusal::FreeMail));
/// assert_eq!(email("acme.com"), Err(Refusal::NotAnEmail));
/// ```
///
/// # Errors
/// A [`Refusal`] when the address gives no company domain: the domain refusals, plus
/// [`Refusal::NotAnEmail`] and [`Refusal::FreeMail`].
pub fn email(raw: &str) -> Result<String, Refusal> {
    let s = text::identifier_cell(raw, MAX_INPUT)?;
    // The first address of a list.
    let first = s.split([';', ',']).map(str::trim).find(|a| a.contains('@')).ok_or(Refusal::NotAnEmail)?;
    // Inside angle brackets when there is a display name.
    let addr = match first.rfind('<') {
        Some(i) => first[i + 1..].split('>').next().unwrap_or(""),
        None => first,
    };
    let addr = text::trim_cell(addr);
    let addr = strip_prefix_ignore_case(addr, "mailto:").unwrap_or(addr);
    let (local, host) = addr.rsplit_once('@').ok_or(Refusal::NotAnEmail)?;
    if local.trim().is_empty() || host.contains(['/', ':', '?', '#', '[']) {
        return Err(Refusal::NotAnEmail);
    }
    let host = text::trim_cell(host).trim_end_matches('.');
    if host.is_empty() {
        return Err(Refusal::NotAnEmail);
    }
    let ascii = idna::host_to_ascii(host)?;
    let split = domain::check_host(&ascii)?;
    if is_free_mail_split(&ascii, split) {
        return Err(Refusal::FreeMail);
    }
    domain::registrable(ascii, split)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_domains() {
        assert_eq!(email("jo@acme.com").unwrap(), "acme.com");
        assert_eq!(email(" \"JO@Sales.ACME.com\" ").unwrap(), "acme.com");
        assert_eq!(email("mailto:jo@acme.de").unwrap(), "acme.de");
        assert_eq!(email("Jo Smith <jo@acme.fr>").unwrap(), "acme.fr");
        assert_eq!(email("jo@acme.se; ann@beta.se").unwrap(), "acme.se");
        assert_eq!(email("jo@bücher.de").unwrap(), "xn--bcher-kva.de");
        assert_eq!(email("jo@shop.myshopify.com").unwrap(), "shop.myshopify.com");
    }

    #[test]
    fn free_mail_is_refused() {
        for a in [
            "x@gmail.com",
            "x@googlemail.com",
            "x@yahoo.com",
            "x@yahoo.co.uk",
            "x@yahoo.de",
            "x@ymail.com",
            "x@outlook.com",
            "x@outlook.de",
            "x@hotmail.fr",
            "x@live.co.uk",
            "x@icloud.com",
            "x@gmx.de",
            "x@gmx.net",
            "x@web.de",
            "x@mail.ru",
            "x@qq.com",
            "x@163.com",
            "x@mailinator.com",
            "x@t-online.de",
            "x@orange.fr",
            "x@libero.it",
            "x@proton.me",
            "x@GMAIL.COM",
        ] {
            assert_eq!(email(a), Err(Refusal::FreeMail), "{a}");
        }
    }

    #[test]
    fn not_emails() {
        assert_eq!(email("acme.com"), Err(Refusal::NotAnEmail));
        assert_eq!(email("@acme.com"), Err(Refusal::NotAnEmail));
        assert_eq!(email("jo@"), Err(Refusal::NotAnEmail));
        assert_eq!(email(""), Err(Refusal::Empty));
        assert_eq!(email("n/a"), Err(Refusal::Placeholder));
        assert_eq!(email("jo@localhost"), Err(Refusal::Localhost));
        assert_eq!(email("jo@10.0.0.1"), Err(Refusal::IpAddress));
        assert_eq!(email("jo@co.uk"), Err(Refusal::PublicSuffix));
    }
}
