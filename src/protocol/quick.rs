//! Quick mode: keyed hashes under a secret both partners share.
//!
//! Each partner sends one list: for every distinct key, `HMAC-SHA256(secret, "overlap/quick/v1" ‖
//! 0 ‖ kind ‖ value)` with the key's population bits, sorted. Whoever holds both lists intersects
//! them. It is fast and needs no round trip, but it is **weaker** than the private protocol: the
//! partner knows the secret, so it can key any guessed domain and test it against our list. Use it
//! with partners you trust with the list itself; prefer the private protocol otherwise.
//!
//! A key-check value (the first 8 bytes of `HMAC(secret, "overlap/quick/v1/key-check")`) travels
//! in every list so that partners who typed different secrets get [`MessageError::WrongSecret`]
//! instead of a silent empty overlap.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::wire::{self, Header, Kind, Writer};
use super::MessageError;
use crate::ingest::Dataset;
use crate::normalize;
use crate::report::{Population, Report};

type HmacSha256 = Hmac<Sha256>;

const DOMAIN: &[u8] = b"overlap/quick/v1";
const MIN_SECRET: usize = 8;
/// At most this many populations per party.
pub const MAX_POPULATIONS: usize = 16;
/// Default maximum elements accepted from a partner.
pub const DEFAULT_MAX_PARTNER_SET: usize = 5_000_000;

/// A secret shared out of band. Never printed, compared in constant time by HMAC, wiped on drop.
pub struct Secret {
    mac: HmacSha256,
    key: Vec<u8>,
}

/// The secret is unusable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretTooShort {
    /// Minimum length in bytes.
    pub min: usize,
}

impl std::fmt::Display for SecretTooShort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the shared secret must be at least {} characters long", self.min)
    }
}

impl std::error::Error for SecretTooShort {}

impl Secret {
    /// A secret from what the partners agreed on.
    ///
    /// # Errors
    /// [`SecretTooShort`] below 8 bytes.
    pub fn new(secret: &[u8]) -> Result<Secret, SecretTooShort> {
        if secret.len() < MIN_SECRET {
            return Err(SecretTooShort { min: MIN_SECRET });
        }
        // HMAC accepts keys of any length.
        let mac = HmacSha256::new_from_slice(secret).map_err(|_| SecretTooShort { min: MIN_SECRET })?;
        Ok(Secret { mac, key: secret.to_vec() })
    }

    fn tag(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut m = self.mac.clone();
        for p in parts {
            m.update(p);
        }
        m.finalize().into_bytes().into()
    }

    fn key_check(&self) -> [u8; 8] {
        let t = self.tag(&[DOMAIN, b"/key-check"]);
        let mut k = [0u8; 8];
        k.copy_from_slice(&t[..8]);
        k
    }

    fn session(&self) -> [u8; 16] {
        let t = self.tag(&[DOMAIN, b"/session"]);
        let mut s = [0u8; 16];
        s.copy_from_slice(&t[..16]);
        s
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        for b in self.key.iter_mut() {
            // Volatile so the wipe is not optimised away.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

/// One keyed element: tag and population bits.
type Element = ([u8; 32], u16);

/// My keyed elements, one per key (`None` for keys quick mode does not send): a list is
/// symmetric, so paired name keys are sent only from rows with no other key, as plain names
/// (the `fallback` rule).
fn elements(dataset: &Dataset, secret: &Secret) -> Vec<Option<Element>> {
    let mut buf = Vec::with_capacity(64);
    dataset
        .keys()
        .iter()
        .zip(dataset.key_populations())
        .map(|(k, &pops)| {
            buf.clear();
            buf.push(0);
            match k.paired_name() {
                Some((_, true)) => return None,
                Some((base, false)) => {
                    buf.push(k.kind.tag());
                    buf.extend_from_slice(base.as_bytes());
                }
                None => k.encode(&mut buf),
            }
            Some((secret.tag(&[DOMAIN, &buf]), pops))
        })
        .collect()
}

/// My populations with their element counts.
pub fn populations(dataset: &Dataset) -> Vec<Population> {
    dataset
        .populations()
        .iter()
        .enumerate()
        .map(|(i, name)| Population {
            name: name.clone(),
            size: dataset.key_populations().iter().filter(|&&m| m & (1 << i) != 0).count() as u32,
            role: dataset.population_roles().get(i).copied().unwrap_or_default(),
        })
        .collect()
}

/// My keyed list, as a message for the partner.
pub fn make_list(dataset: &Dataset, secret: &Secret) -> Vec<u8> {
    let mut els: Vec<Element> = elements(dataset, secret).into_iter().flatten().collect();
    super::party::sort_by_point(&mut els, |e| &e.0);
    els.dedup_by(|a, b| a.0 == b.0);
    let header = Header {
        kind: Kind::QuickList,
        session: secret.session(),
        transcript: [0; 32],
        normalization: normalize::VERSION.to_string(),
    };
    let mut w = Writer::new(&header);
    w.bytes(&secret.key_check());
    let pops = populations(dataset);
    w.u8(pops.len() as u8);
    for p in &pops {
        w.str8(&p.name);
        w.u32(p.size);
    }
    w.reserve(els.len() * 34 + 36);
    w.u32(els.len() as u32);
    for (tag, label) in &els {
        w.bytes(tag);
        w.u16(*label);
    }
    w.finish()
}

/// A partner's list, parsed and checked.
struct PartnerList {
    populations: Vec<Population>,
    elements: Vec<Element>,
}

fn parse_list(msg: &[u8], secret: &Secret, max_set: usize) -> Result<PartnerList, MessageError> {
    let (header, mut r) = wire::open(msg)?;
    if header.kind != Kind::QuickList {
        return Err(MessageError::OutOfOrder { expected: Kind::QuickList.name(), found: header.kind.name() });
    }
    let kcv: [u8; 8] = r.array("key check")?;
    if kcv != secret.key_check() {
        return Err(MessageError::WrongSecret);
    }
    if header.normalization != normalize::VERSION {
        return Err(MessageError::NormalizationMismatch {
            mine: normalize::VERSION.to_string(),
            theirs: header.normalization,
        });
    }
    if header.session != secret.session() {
        return Err(MessageError::OtherSession);
    }
    let npops = r.u8("population count")? as usize;
    if npops > MAX_POPULATIONS {
        return Err(MessageError::Oversize { what: "population count", limit: MAX_POPULATIONS, found: npops });
    }
    let mut populations = Vec::with_capacity(npops);
    for _ in 0..npops {
        let name = r.str8("population name")?;
        let size = r.u32("population size")?;
        populations.push(Population { name, size, role: Default::default() });
    }
    let n = r.u32("element count")? as usize;
    if n > max_set {
        return Err(MessageError::Oversize { what: "set size", limit: max_set, found: n });
    }
    if r.remaining() != n * 34 {
        return Err(MessageError::CountMismatch { what: "elements", expected: n, found: r.remaining() / 34 });
    }
    let mut elements: Vec<Element> = Vec::with_capacity(n);
    for i in 0..n {
        let tag: [u8; 32] = r.array("element")?;
        let label = r.u16("element label")?;
        if label >> npops != 0 {
            return Err(MessageError::Malformed { what: "element label" });
        }
        if elements.last().is_some_and(|(prev, _)| *prev >= tag) {
            return Err(MessageError::DuplicateElement { index: i });
        }
        elements.push((tag, label));
    }
    r.end()?;
    Ok(PartnerList { populations, elements })
}

/// Matches my dataset against the partner's list.
///
/// # Errors
/// A [`MessageError`] when the partner's message is not a valid quick-mode list for this secret.
pub fn match_list(dataset: &Dataset, secret: &Secret, partner: &[u8], max_partner_set: usize) -> Result<Report, MessageError> {
    let theirs = parse_list(partner, secret, max_partner_set)?;
    let mine = elements(dataset, secret);
    let key_matches: Vec<Option<u16>> = mine
        .iter()
        .map(|e| {
            let (tag, _) = e.as_ref()?;
            theirs.elements.binary_search_by(|x| x.0.cmp(tag)).ok().map(|i| theirs.elements[i].1)
        })
        .collect();
    Ok(Report::from_key_matches(
        dataset,
        populations(dataset),
        theirs.populations,
        theirs.elements.len(),
        &key_matches,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read, Options};

    fn ds(csv: &str) -> Dataset {
        read(csv.as_bytes(), &Options::default()).unwrap()
    }

    #[test]
    fn two_lists_match() {
        let s = Secret::new(b"correct horse battery").unwrap();
        let a = ds("Name,Website\nAcme,acme.com\nBeta,https://beta.io\nGamma,gamma.org\n");
        let b = ds("Company,Domain\nACME,www.acme.com\nDelta,delta.com\nGamma Inc,gamma.org/about\n");
        let ra = match_list(&a, &s, &make_list(&b, &s), DEFAULT_MAX_PARTNER_SET).unwrap();
        let rb = match_list(&b, &s, &make_list(&a, &s), DEFAULT_MAX_PARTNER_SET).unwrap();
        assert_eq!(ra.matches.iter().map(|m| m.row).collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(rb.matches.iter().map(|m| m.row).collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(ra.partner_set_size, 3);
        assert_eq!(ra.matrix, vec![vec![2]]);
    }

    #[test]
    fn different_secret_is_named() {
        let a = ds("Website\nacme.com\n");
        let msg = make_list(&a, &Secret::new(b"secret one!").unwrap());
        let err = match_list(&a, &Secret::new(b"secret two!").unwrap(), &msg, 10).unwrap_err();
        assert_eq!(err, MessageError::WrongSecret);
    }

    #[test]
    fn garbage_is_not_a_message() {
        let a = ds("Website\nacme.com\n");
        let s = Secret::new(b"secret one!").unwrap();
        assert_eq!(match_list(&a, &s, b"Website\nacme.com\n", 10).unwrap_err(), MessageError::BadMagic);
        let mut msg = make_list(&a, &s);
        msg.truncate(msg.len() - 40);
        assert!(matches!(match_list(&a, &s, &msg, 10).unwrap_err(), MessageError::Corrupted | MessageError::Truncated { .. }));
        let msg = make_list(&a, &s);
        let mut bad = msg.clone();
        bad[60] ^= 1;
        assert_eq!(match_list(&a, &s, &bad, 10).unwrap_err(), MessageError::Corrupted);
    }

    #[test]
    fn too_short_secret() {
        assert!(Secret::new(b"short").is_err());
    }
}
