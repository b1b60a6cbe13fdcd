//! What a party checks of the partner's list before answering it while it shares counts only,
//! and what it warns about in any case.
//!
//! Sharing counts, a party answers the partner's list shuffled, each answer with the partner's
//! own population bits, so the partner can count pairs of populations but not tell which of its
//! elements matched. Population bits could undo that: an element alone in its combination of
//! bits is singled out by the matrix. So before answering, the giver refuses a partner that
//! announces no population, more than `max_populations`, or a combination of bits held by fewer
//! than `min_population` of its elements; elements without any bit are not answered at all (they
//! could otherwise be counted in the total). An honest sender never trips this: it coarsens its
//! own labels first ([`crate::model::coarsen`]).
//!
//! This protects against a partner that follows the protocol and looks at what it receives
//! (honest but curious). A partner set on testing a few guessed accounts can still pad a
//! population with made-up keys so that a cell counts only its guess: every guess costs it a
//! population of `min_population` elements and a session. The warnings below make the usual
//! shapes of that visible: a tiny set, tiny populations, and sizes that disagree with the ones
//! announced.

use std::collections::HashMap;

use super::messages::Announcement;
use super::settings::Settings;
use super::ProtocolError;
use crate::model::Sharing;

/// Refuses a partner structure that could single out rows when we only share counts.
///
/// # Errors
/// [`ProtocolError::Unsafe`] saying which rule the partner's list breaks (numbers only).
pub fn check_counts(settings: &Settings, partner: &Announcement, labels: impl Iterator<Item = u16>) -> Result<(), ProtocolError> {
    if settings.sharing != Sharing::Counts {
        return Ok(());
    }
    let np = partner.populations.len();
    if np == 0 {
        return Err(ProtocolError::Unsafe(
            "the partner announces no population; when sharing counts every element must be in one".into(),
        ));
    }
    if np > settings.max_populations {
        return Err(ProtocolError::Unsafe(format!(
            "the partner defines {np} populations; when sharing counts at most {} are accepted (many small populations can single out accounts)",
            settings.max_populations
        )));
    }
    let mut combos: HashMap<u16, u32> = HashMap::new();
    for l in labels.filter(|&l| l != 0) {
        *combos.entry(l).or_insert(0) += 1;
    }
    if let Some(&smallest) = combos.values().min() {
        if smallest < settings.min_population {
            return Err(ProtocolError::Unsafe(format!(
                "one combination of the partner's populations holds only {smallest} elements; when sharing counts each must hold at least {} (a tiny group can single out accounts; an honest partner whose minimum is lower than yours trips this too: agree on the same minimum)",
                settings.min_population
            )));
        }
    } else {
        return Err(ProtocolError::Unsafe("none of the partner's elements is in a population".into()));
    }
    Ok(())
}

/// Warnings about the partner's list: a tiny set, tiny populations, populations whose announced
/// size disagrees with the list.
pub fn structure_warnings(settings: &Settings, partner: &Announcement, labels: &[u16]) -> Vec<String> {
    let mut out = Vec::new();
    let tiny_set = (settings.min_population as usize * 10).max(50);
    if labels.len() < tiny_set {
        out.push(format!(
            "the partner's list holds only {} accounts: with so few, what you share says a lot about each of them",
            labels.len()
        ));
    }
    for (i, p) in partner.populations.iter().enumerate() {
        let counted = labels.iter().filter(|&&l| l >> i & 1 == 1).count() as u64;
        let announced = u64::from(p.size);
        let tiny = u64::from(settings.min_population) * 4;
        if counted > 0 && counted < tiny {
            out.push(format!(
                "partner population {} holds only {counted} accounts: a cell of the matrix can tell about single accounts of yours",
                i + 1
            ));
        }
        let slack = (announced / 10).max(u64::from(settings.min_population));
        if counted.abs_diff(announced) > slack {
            out.push(format!(
                "partner population {} was announced with {announced} accounts but its list holds {counted}: the partner's list may be padded or altered",
                i + 1
            ));
        }
    }
    out
}
