//! LinkedIn company page → company slug.
//!
//! `https://www.linkedin.com/company/acme-inc/about/`, `linkedin.com/company/ACME-Inc`,
//! `uk.linkedin.com/company/acme-inc?trk=x` are one page; the key is its slug, `acme-inc`: the
//! path segment after `/company/` (or `/showcase/`… no: showcase pages are products, refused),
//! percent-decoded, lower-cased (LinkedIn slugs are case-insensitive), NFC. A bare slug (what
//! some CRMs store) is accepted as it is. Personal profiles (`/in/…`), schools, groups and other
//! sites are refused.

use super::unicode;

use super::{idna, psl, text, Refusal};

/// Longest input looked at, in bytes.
pub const MAX_INPUT: usize = 2048;

/// The company slug of a LinkedIn company page URL.
///
/// ```
/// use overlap::normalize::{linkedin, Refusal};
/// assert_eq!(linkedin("https://www.linkedin.com/company/Acme-Inc/about/").unwrap(), "acme-inc");
/// assert_eq!(linkedin("linkedin.com/in/jane-doe"), Err(Refusal::NotALinkedinCompany));
/// ```
///
/// # Errors
/// [`Refusal::NotALinkedinCompany`] for anything else.
pub fn linkedin(raw: &str) -> Result<String, Refusal> {
    let s = text::identifier_cell(raw, MAX_INPUT)?;
    let rest = match s.find("://") {
        Some(i) => &s[i + 3..],
        None => s,
    };
    let (host, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if !host.contains('.') && path.is_empty() {
        return slug(host); // a bare slug
    }
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("").trim_end_matches('.');
    let ascii = idna::host_to_ascii(host).map_err(|_| Refusal::NotALinkedinCompany)?;
    if psl::registrable_domain(&ascii) != Some("linkedin.com") {
        return Err(Refusal::NotALinkedinCompany);
    }
    let mut segments = path.split(['?', '#']).next().unwrap_or("").split('/').filter(|p| !p.is_empty());
    match segments.next() {
        Some(p) if p.eq_ignore_ascii_case("company") => {}
        _ => return Err(Refusal::NotALinkedinCompany),
    }
    slug(segments.next().unwrap_or(""))
}

fn slug(raw: &str) -> Result<String, Refusal> {
    let decoded = percent_decode(raw);
    let s: String = unicode::nfc(&decoded).chars().flat_map(unicode::to_lowercase).collect();
    if s.is_empty() || s.len() > 200 {
        return Err(Refusal::NotALinkedinCompany);
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\' | '@' | '<' | '>' | '"')) {
        return Err(Refusal::NotALinkedinCompany);
    }
    Ok(s)
}

/// `%XX` sequences decoded when they form UTF-8; the text unchanged otherwise.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_slugs() {
        assert_eq!(linkedin("https://www.linkedin.com/company/acme-inc").unwrap(), "acme-inc");
        assert_eq!(linkedin("http://linkedin.com/company/ACME-Inc/about/?trk=x").unwrap(), "acme-inc");
        assert_eq!(linkedin("uk.linkedin.com/company/acme-inc").unwrap(), "acme-inc");
        assert_eq!(linkedin("linkedin.com/company/1234567/").unwrap(), "1234567");
        assert_eq!(linkedin("www.linkedin.com/company/soci%C3%A9t%C3%A9-g%C3%A9n%C3%A9rale").unwrap(), "société-générale");
        assert_eq!(linkedin("acme-inc").unwrap(), "acme-inc");
    }

    #[test]
    fn refusals() {
        assert_eq!(linkedin("https://www.linkedin.com/in/jane-doe"), Err(Refusal::NotALinkedinCompany));
        assert_eq!(linkedin("https://www.linkedin.com/school/mit/"), Err(Refusal::NotALinkedinCompany));
        assert_eq!(linkedin("https://www.linkedin.com/company/"), Err(Refusal::NotALinkedinCompany));
        assert_eq!(linkedin("https://notlinkedin.com/company/acme"), Err(Refusal::NotALinkedinCompany));
        assert_eq!(linkedin("https://linkedin.com.evil.io/company/acme"), Err(Refusal::NotALinkedinCompany));
        assert_eq!(linkedin("acme inc"), Err(Refusal::NotALinkedinCompany));
        assert_eq!(linkedin(""), Err(Refusal::Empty));
        assert_eq!(linkedin("n/a"), Err(Refusal::Placeholder));
    }
}
