//! Website or domain cell → host key.
//!
//! First rules (foundation): trim, lower-case, strip scheme, user info, `www.`, path, query,
//! fragment and port. The registrable-domain rules under the Public Suffix List come with the
//! normalization engine.

use super::Refusal;

const PLACEHOLDERS: &[&str] = &["n/a", "na", "none", "-", "--", "tbd", "unknown", "null", "test", "nil"];

/// Normalizes a website or domain cell.
///
/// # Errors
/// A [`Refusal`] when the cell holds no usable domain.
pub fn domain(raw: &str) -> Result<String, Refusal> {
    let s = raw.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if s.is_empty() {
        return Err(Refusal::Empty);
    }
    if s.len() > 2048 {
        return Err(Refusal::TooLong);
    }
    let lower = s.to_ascii_lowercase();
    if PLACEHOLDERS.contains(&lower.as_str()) {
        return Err(Refusal::Placeholder);
    }
    let mut host = lower.as_str();
    if let Some(i) = host.find("://") {
        host = &host[i + 3..];
    }
    host = host.split(['/', '?', '#']).next().unwrap_or("");
    if let Some(i) = host.rfind('@') {
        host = &host[i + 1..];
    }
    host = host.split(':').next().unwrap_or("");
    host = host.trim_end_matches('.');
    host = host.strip_prefix("www.").unwrap_or(host);
    if host.is_empty() {
        return Err(Refusal::Empty);
    }
    if !host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
        return Err(Refusal::InvalidCharacter);
    }
    if host == "localhost" {
        return Err(Refusal::Localhost);
    }
    if host.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit())) {
        return Err(Refusal::IpAddress);
    }
    if !host.contains('.') {
        return Err(Refusal::SingleLabel);
    }
    Ok(host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_what_crms_add() {
        assert_eq!(domain("HTTPS://WWW.ACME.COM:443/about?x=1#y").unwrap(), "acme.com");
        assert_eq!(domain("  acme.com.  ").unwrap(), "acme.com");
        assert_eq!(domain("http://user@acme.io").unwrap(), "acme.io");
    }

    #[test]
    fn refuses_non_domains() {
        assert_eq!(domain("n/a"), Err(Refusal::Placeholder));
        assert_eq!(domain(""), Err(Refusal::Empty));
        assert_eq!(domain("10.0.0.1"), Err(Refusal::IpAddress));
        assert_eq!(domain("localhost"), Err(Refusal::Localhost));
        assert_eq!(domain("acme"), Err(Refusal::SingleLabel));
        assert_eq!(domain("ac me.com"), Err(Refusal::InvalidCharacter));
    }
}
