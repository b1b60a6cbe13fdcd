//! Website or domain cell → registrable domain.
//!
//! CRMs hold websites every way people type them: `HTTPS://WWW.ACME.COM:443/`, `acme.com/`,
//! `"www.acme.co.uk "`, `http://user@shop.acme.com/path?utm=x#top`, `acme.com.`, even an email
//! address typed into the website field. All of these are the same company, and the key is its
//! registrable domain under the Public Suffix List ([`super::psl`]): `acme.com`, `acme.co.uk`.
//!
//! The steps, each pinned by tests/vectors/normalization.json:
//!
//! 1. Refuse over-long input ([`MAX_INPUT`] bytes), control characters and placeholders
//!    (`n/a`, `none`, `-`, `tbd`, `unknown`, `null`, `test`, …).
//! 2. Trim white space, quotes and angle brackets; drop a scheme (`https://`, `mailto:`, a
//!    scheme-relative `//`), the path, query and fragment, user info or the local part of an
//!    email (everything up to the last `@`), the port, and trailing dots.
//! 3. Map to the canonical ASCII host ([`super::idna::host_to_ascii`]): lower case, Unicode
//!    names to A-labels (`bücher.de` → `xn--bcher-kva.de`).
//! 4. Refuse IP addresses, `localhost` and local-only names (`.local`, `.internal`, `.lan`,
//!    `.home`, `.corp`, `home.arpa`), documentation names (`example.com`, `.test`, `.example`,
//!    `.invalid`), single labels, unknown top-level domains and bare public suffixes.
//! 5. Keep the registrable domain: the public suffix plus one label.

use super::{idna, psl, text, Refusal};

/// Longest input looked at, in bytes: more is no website (a pasted page, a 1 MB cell).
pub const MAX_INPUT: usize = 4096;

/// Normalizes a website or domain cell to its registrable domain.
///
/// ```
/// use overlap::normalize::{domain, Refusal};
/// assert_eq!(domain("HTTPS://WWW.ACME.COM:443/").unwrap(), "acme.com");
/// assert_eq!(domain("shop.acme.co.uk/about").unwrap(), "acme.co.uk");
/// assert_eq!(domain("acme.github.io").unwrap(), "acme.github.io");
/// assert_eq!(domain("info@acme.de").unwrap(), "acme.de");
/// assert_eq!(domain("co.uk"), Err(Refusal::PublicSuffix));
/// assert_eq!(domain("n/a"), Err(Refusal::Placeholder));
/// ```
///
/// # Errors
/// A [`Refusal`] when the cell holds no usable domain.
pub fn domain(raw: &str) -> Result<String, Refusal> {
    let host = extract_host(raw)?;
    let ascii = idna::host_to_ascii(host)?;
    let split = check_host(&ascii)?;
    registrable(ascii, split)
}

/// The registrable domain of a bare host name under the Public Suffix List, without the CRM
/// leniency and policy of [`domain()`]: no scheme, port or path is expected; unknown top-level
/// domains follow the list's implicit `*` rule. This is the function the PSL's own test cases
/// (`checkPublicSuffix`) are run against.
///
/// ```
/// use overlap::normalize::domain::registrable_domain;
/// assert_eq!(registrable_domain("a.b.example.example").unwrap(), "example.example");
/// assert_eq!(registrable_domain("www.食狮.中国").unwrap(), "xn--85x722f.xn--fiqs8s");
/// ```
///
/// # Errors
/// [`Refusal::Empty`], the refusals of [`idna::host_to_ascii`], and [`Refusal::PublicSuffix`].
pub fn registrable_domain(host: &str) -> Result<String, Refusal> {
    if host.is_empty() {
        return Err(Refusal::Empty);
    }
    let ascii = idna::host_to_ascii(host)?;
    let split = psl::split(&ascii);
    registrable(ascii, split)
}

/// The registrable domain of a canonical host, in place.
pub(crate) fn registrable(mut ascii: String, split: psl::Split) -> Result<String, Refusal> {
    let start = split.registrable_start.ok_or(Refusal::PublicSuffix)?;
    ascii.replace_range(..start, "");
    Ok(ascii)
}

/// The host part of a website cell (step 2), not yet mapped or validated.
fn extract_host(raw: &str) -> Result<&str, Refusal> {
    let s = text::identifier_cell(raw, MAX_INPUT)?;
    let s = strip_scheme(s);
    let s = s.trim_start_matches(['/', '\\']);
    // Authority: up to the path, query or fragment.
    let authority = s.split(['/', '?', '#', '\\']).next().unwrap_or("");
    // User info, or the local part of an email typed into the website field.
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if hostport.starts_with('[') || hostport.bytes().filter(|&b| b == b':').count() > 1 {
        return Err(Refusal::IpAddress); // IPv6, bracketed or bare
    }
    let host = hostport.split(':').next().unwrap_or("");
    let host = text::trim_cell(host).trim_end_matches('.');
    if host.is_empty() {
        return Err(Refusal::Empty);
    }
    Ok(host)
}

/// Drops `scheme://`, `mailto:` and the common typos `http:/`, `https//`.
fn strip_scheme(s: &str) -> &str {
    if let Some(i) = s.find("://") {
        let scheme = &s[..i];
        let valid = scheme.len() <= 16
            && scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        if valid {
            return &s[i + 3..];
        }
    }
    for prefix in ["mailto:", "https:", "http:", "https//", "http//"] {
        if s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes()) {
            return &s[prefix.len()..];
        }
    }
    s
}

/// Names that resolve only on a local network.
const LOCAL_TLDS: &[&str] = &["localhost", "local", "localdomain", "internal", "intranet", "lan", "home", "corp", "private"];
/// Names reserved for documentation and testing (RFC 2606, RFC 6761).
const DOC_TLDS: &[&str] = &["example", "invalid", "test"];
const DOC_DOMAINS: &[&str] = &["example.com", "example.net", "example.org", "example.edu"];

/// Step 4 on a canonical host; the host's split under the list when it passes.
pub(crate) fn check_host(host: &str) -> Result<psl::Split, Refusal> {
    let tld = host.rsplit('.').next().unwrap_or(host);
    if is_numeric_label(tld) {
        return Err(Refusal::IpAddress);
    }
    if LOCAL_TLDS.contains(&tld) || host == "home.arpa" || host.ends_with(".home.arpa") {
        return Err(Refusal::Localhost);
    }
    if !host.contains('.') {
        return Err(Refusal::SingleLabel);
    }
    let under = |d: &str| host.strip_suffix(d).is_some_and(|p| p.is_empty() || p.ends_with('.'));
    if DOC_TLDS.contains(&tld) || DOC_DOMAINS.iter().any(|d| under(d)) {
        return Err(Refusal::Placeholder);
    }
    let split = psl::split(host);
    if !split.known_tld {
        return Err(Refusal::UnknownTld);
    }
    Ok(split)
}

/// A label an IPv4 parser would read as a number (`1`, `0x7f`): no top-level domain is one.
fn is_numeric_label(l: &str) -> bool {
    let hex = l.strip_prefix("0x");
    match hex {
        Some(h) => h.bytes().all(|b| b.is_ascii_hexdigit()),
        None => !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_what_crms_add() {
        assert_eq!(domain("HTTPS://WWW.ACME.COM:443/").unwrap(), "acme.com");
        assert_eq!(domain("HTTPS://WWW.ACME.COM:443/about?x=1#y").unwrap(), "acme.com");
        assert_eq!(domain("  acme.com.  ").unwrap(), "acme.com");
        assert_eq!(domain("http://user:pw@acme.io").unwrap(), "acme.io");
        assert_eq!(domain("\"www.acme.co.uk\"").unwrap(), "acme.co.uk");
        assert_eq!(domain("mailto:jo@shop.acme.com").unwrap(), "acme.com");
        assert_eq!(domain("//acme.com/x").unwrap(), "acme.com");
        assert_eq!(domain("https//acme.com").unwrap(), "acme.com");
        assert_eq!(domain("Jo <jo@acme.com>").unwrap(), "acme.com");
        assert_eq!(domain("acme.com\\path").unwrap(), "acme.com");
    }

    #[test]
    fn keeps_private_suffix_companies_apart() {
        assert_eq!(domain("acme.github.io").unwrap(), "acme.github.io");
        assert_eq!(domain("https://shop.myshopify.com/x").unwrap(), "shop.myshopify.com");
        assert_eq!(domain("github.io"), Err(Refusal::PublicSuffix));
    }

    #[test]
    fn internationalized_names_become_a_labels() {
        assert_eq!(domain("https://www.Bücher.de/").unwrap(), "xn--bcher-kva.de");
        assert_eq!(domain("xn--bcher-kva.de").unwrap(), "xn--bcher-kva.de");
        assert_eq!(domain("www.núñez.es").unwrap(), "xn--nez-7ma8b.es");
    }

    #[test]
    fn refuses_non_domains() {
        assert_eq!(domain("n/a"), Err(Refusal::Placeholder));
        assert_eq!(domain(""), Err(Refusal::Empty));
        assert_eq!(domain("  \"\" "), Err(Refusal::Empty));
        assert_eq!(domain("https://"), Err(Refusal::Empty));
        assert_eq!(domain("10.0.0.1"), Err(Refusal::IpAddress));
        assert_eq!(domain("http://192.168.1.1:8080/"), Err(Refusal::IpAddress));
        assert_eq!(domain("[::1]"), Err(Refusal::IpAddress));
        assert_eq!(domain("2001:db8::1"), Err(Refusal::IpAddress));
        assert_eq!(domain("localhost"), Err(Refusal::Localhost));
        assert_eq!(domain("http://localhost:3000"), Err(Refusal::Localhost));
        assert_eq!(domain("intranet.acme.local"), Err(Refusal::Localhost));
        assert_eq!(domain("acme"), Err(Refusal::SingleLabel));
        assert_eq!(domain("ac me.com"), Err(Refusal::InvalidCharacter));
        assert_eq!(domain("acme.con"), Err(Refusal::UnknownTld));
        assert_eq!(domain("co.uk"), Err(Refusal::PublicSuffix));
        assert_eq!(domain("www.example.com"), Err(Refusal::Placeholder));
        assert_eq!(domain("a\u{0}b.com"), Err(Refusal::InvalidCharacter));
        assert_eq!(domain(".acme.com"), Err(Refusal::MalformedHost));
        assert_eq!(domain(&"a".repeat(MAX_INPUT + 1)), Err(Refusal::TooLong));
    }
}
