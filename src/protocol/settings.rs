//! What a party is and decides for itself: its side of the exchange and its settings.

use crate::model::Sharing;

/// Which side of the exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Starts with the offer.
    Starter,
    /// Answers the offer.
    Responder,
}

/// What a party decides for itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// What the partner may learn. Default: [`Sharing::Counts`], the least.
    pub sharing: Sharing,
    /// Columns (header names) shared for overlapping accounts at [`Sharing::Fields`].
    pub fields: Vec<String>,
    /// Refuse a partner set larger than this. Default: 5,000,000.
    pub max_partner_set: usize,
    /// Every combination of population bits a partner may count must be held by at least this
    /// many elements: our own lists are coarsened to it, and sharing counts we refuse a partner
    /// list that is not. Default: 5 (announced as at most 255).
    pub min_population: u32,
    /// Sharing counts: refuse if the partner defines more populations than this. Default: 8.
    pub max_populations: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            sharing: Sharing::Counts,
            fields: Vec::new(),
            max_partner_set: 5_000_000,
            min_population: 5,
            max_populations: 8,
        }
    }
}
