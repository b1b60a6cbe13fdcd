//! Country → ISO 3166-1 alpha-2 (foundation rules; the full engine replaces them).

use super::Refusal;

/// The ISO 3166-1 alpha-2 code of a country name or code.
///
/// # Errors
/// [`Refusal::UnknownCountry`] when not recognised.
pub fn country(raw: &str) -> Result<&'static str, Refusal> {
    match raw.trim().to_lowercase().as_str() {
        "" => Err(Refusal::Empty),
        "us" | "usa" | "united states" => Ok("US"),
        "gb" | "uk" | "united kingdom" => Ok("GB"),
        "de" | "germany" | "deutschland" => Ok("DE"),
        _ => Err(Refusal::UnknownCountry),
    }
}
