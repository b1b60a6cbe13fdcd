//! Contact email → company domain (foundation rules; the full engine replaces them).

use super::Refusal;

const FREE_MAIL: &[&str] = &["gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "icloud.com"];

/// The company domain of an email address, refused for free-mail providers.
///
/// # Errors
/// A [`Refusal`] when the address gives no company domain.
pub fn email(raw: &str) -> Result<String, Refusal> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Refusal::Empty);
    }
    let (_, host) = s.rsplit_once('@').ok_or(Refusal::NotAnEmail)?;
    let d = super::domain(host)?;
    if FREE_MAIL.contains(&d.as_str()) {
        return Err(Refusal::FreeMail);
    }
    Ok(d)
}
