//! LinkedIn company URL → company slug (foundation rules; the full engine replaces them).

use super::Refusal;

/// The company slug of a LinkedIn company URL.
///
/// # Errors
/// [`Refusal::NotALinkedinCompany`] for anything else.
pub fn linkedin(raw: &str) -> Result<String, Refusal> {
    let s = raw.trim().to_lowercase();
    if s.is_empty() {
        return Err(Refusal::Empty);
    }
    let i = s.find("linkedin.com/company/").ok_or(Refusal::NotALinkedinCompany)?;
    let slug = s[i + "linkedin.com/company/".len()..].split(['/', '?', '#']).next().unwrap_or("");
    if slug.is_empty() {
        return Err(Refusal::NotALinkedinCompany);
    }
    Ok(slug.to_string())
}
