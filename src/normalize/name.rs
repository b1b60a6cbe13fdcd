//! Company name → canonical name (foundation rules; the full engine replaces them).

use super::Refusal;

/// The canonical form of a company name.
///
/// # Errors
/// A [`Refusal`] when nothing is left.
pub fn name(raw: &str) -> Result<String, Refusal> {
    let s: String = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if s.is_empty() {
        return Err(Refusal::Empty);
    }
    Ok(s)
}

/// The value of a `name:` key: canonical name and ISO country code joined by `|` (empty code
/// when the country is unknown).
///
/// # Errors
/// A [`Refusal`] when the name gives nothing.
pub fn name_key(name: &str, country: Option<&str>) -> Result<String, Refusal> {
    let n = self::name(name)?;
    let c = country.and_then(|c| super::country(c).ok()).unwrap_or("");
    Ok(format!("{n}|{c}"))
}
