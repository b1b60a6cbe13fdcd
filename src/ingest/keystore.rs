//! Distinct keys while reading: one arena of bytes and an open-addressing table of ids.
//!
//! A 2-million-row export yields millions of key occurrences, most of them repeats (the website's
//! domain and the contact's email domain agree; duplicated accounts). Each distinct key is stored
//! once, as bytes in one buffer, and rows refer to it by a `u32` id: no allocation per key, about
//! 5 bytes of overhead per distinct key plus the table (8 bytes per slot, at most half full: the
//! id and 32 bits of the hash, so a probe compares key bytes only when the hashes agree).
//! [`KeyStore::into_sorted`] turns it into the sorted `Vec<Key>` the protocol uses.

use crate::keys::{Key, KeyKind};

/// The store is full: more than 4 GiB of distinct key bytes or 4 billion keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Full;

#[derive(Debug, Default)]
pub(crate) struct KeyStore {
    bytes: Vec<u8>,
    /// Key `i` is `bytes[ends[i - 1]..ends[i]]`.
    ends: Vec<u32>,
    kinds: Vec<KeyKind>,
    /// `(hash >> 32) << 32 | (id + 1)`, 0 = empty slot; length a power of two.
    table: Vec<u64>,
}

fn hash(kind: KeyKind, value: &[u8]) -> u64 {
    // FxHash-style: fast, and the table only needs spread, not resistance to chosen inputs (the
    // keys are the user's own rows).
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = u64::from(kind.tag()).wrapping_mul(K);
    let mut chunks = value.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let mut w = [0u8; 8];
    let rem = chunks.remainder();
    w[..rem.len()].copy_from_slice(rem);
    h = (h.rotate_left(5) ^ u64::from_le_bytes(w) ^ (value.len() as u64) << 56).wrapping_mul(K);
    // Fold the high bits in: the table index takes the low ones.
    h ^ (h >> 29)
}

impl KeyStore {
    fn value(&self, id: usize) -> &[u8] {
        let start = if id == 0 { 0 } else { self.ends[id - 1] as usize };
        &self.bytes[start..self.ends[id] as usize]
    }

    /// A store whose table holds `keys` keys before it first grows (growing rehashes every key:
    /// a cache miss each).
    pub(crate) fn with_capacity(keys: usize) -> KeyStore {
        let slots = keys.saturating_mul(2).clamp(1024, 1 << 26).next_power_of_two();
        KeyStore { table: vec![0; slots], ..KeyStore::default() }
    }

    /// The id of `(kind, value)`, added if new.
    pub(crate) fn intern(&mut self, kind: KeyKind, value: &str) -> Result<u32, Full> {
        if self.table.len() < 2 * (self.kinds.len() + 1) {
            self.grow()?;
        }
        let v = value.as_bytes();
        let mask = self.table.len() - 1;
        let h = hash(kind, v);
        let tag = h >> 32 << 32;
        let mut i = h as usize & mask;
        loop {
            let slot = self.table[i];
            if slot == 0 {
                break;
            }
            if slot >> 32 << 32 == tag {
                let id = (slot as u32 - 1) as usize;
                if self.kinds[id] == kind && self.value(id) == v {
                    return Ok(id as u32);
                }
            }
            i = (i + 1) & mask;
        }
        let id = u32::try_from(self.kinds.len()).map_err(|_| Full)?;
        if id == u32::MAX {
            return Err(Full);
        }
        let end = u32::try_from(self.bytes.len() + v.len()).map_err(|_| Full)?;
        self.bytes.extend_from_slice(v);
        self.ends.push(end);
        self.kinds.push(kind);
        self.table[i] = tag | u64::from(id + 1);
        Ok(id)
    }

    fn grow(&mut self) -> Result<(), Full> {
        let n = self.table.len().checked_mul(2).ok_or(Full)?.max(1024);
        if n as u64 > 1u64 << 33 {
            return Err(Full);
        }
        let mut table = vec![0u64; n];
        let mask = n - 1;
        for id in 0..self.kinds.len() {
            let h = hash(self.kinds[id], self.value(id));
            let mut i = h as usize & mask;
            while table[i] != 0 {
                i = (i + 1) & mask;
            }
            table[i] = h >> 32 << 32 | (id as u64 + 1);
        }
        self.table = table;
        Ok(())
    }

    /// The keys sorted as [`Key`] orders them, and for each id its position in that order.
    ///
    /// Memory: the keys are made in id order (reading the arena front to back) and the arena is
    /// freed before sorting, so the peak is the keys plus 24 bytes per key for the sort, not the
    /// keys plus the arena plus the sort.
    pub(crate) fn into_sorted(self) -> (Vec<Key>, Vec<u32>) {
        let KeyStore { bytes, ends, kinds, table } = self;
        drop(table);
        let n = kinds.len();
        let mut keys = Vec::with_capacity(n);
        let mut start = 0usize;
        for (id, &end) in ends.iter().enumerate() {
            let v = &bytes[start..end as usize];
            start = end as usize;
            // Interned from `&str`: always valid UTF-8.
            keys.push(Key { kind: kinds[id], value: std::str::from_utf8(v).map(str::to_owned).unwrap_or_default() });
        }
        drop((bytes, ends, kinds));
        // Sort by a 16-byte prefix (kind tag, then the first 15 value bytes, zero-padded: the same
        // order as the full comparison, up to ties), falling back to the full comparison on ties:
        // keys close in the order share long prefixes (`acmesystems12.com`, `acmesystems47.com`).
        let mut order: Vec<(u64, u64, u32)> = keys
            .iter()
            .enumerate()
            .map(|(id, k)| {
                let v = k.value.as_bytes();
                let mut p = [0u8; 16];
                p[0] = k.kind.tag();
                let m = v.len().min(15);
                p[1..1 + m].copy_from_slice(&v[..m]);
                let (hi, lo) = p.split_at(8);
                (u64::from_be_bytes(hi.try_into().unwrap_or_default()), u64::from_be_bytes(lo.try_into().unwrap_or_default()), id as u32)
            })
            .collect();
        order.sort_unstable_by(|a, b| {
            (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| keys[a.2 as usize].value.cmp(&keys[b.2 as usize].value))
        });
        let mut rank = vec![0u32; n];
        for (pos, &(_, _, id)) in order.iter().enumerate() {
            rank[id as usize] = pos as u32;
        }
        drop(order);
        // Move each key to its rank, in place.
        let mut target = rank.clone();
        for i in 0..n {
            while target[i] as usize != i {
                let r = target[i] as usize;
                keys.swap(i, r);
                target.swap(i, r);
            }
        }
        (keys, rank)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_and_sorts() {
        let mut s = KeyStore::default();
        let words = ["b.com", "a.com", "b.com", "acme corporation|US", "a.com", "a", ""];
        let ids: Vec<u32> = words.iter().map(|w| s.intern(KeyKind::Domain, w).unwrap()).collect();
        assert_eq!(ids, vec![0, 1, 0, 2, 1, 3, 4]);
        assert_eq!(s.intern(KeyKind::Name, "a.com").unwrap(), 5);
        let (keys, rank) = s.into_sorted();
        let shown: Vec<String> = keys.iter().map(Key::to_string).collect();
        assert_eq!(shown, ["domain:", "domain:a", "domain:a.com", "domain:acme corporation|US", "domain:b.com", "name:a.com"]);
        assert_eq!(keys[rank[0] as usize].value, "b.com");
    }

    #[test]
    fn many_keys_survive_growth() {
        let mut s = KeyStore::default();
        for i in 0..50_000 {
            assert_eq!(s.intern(KeyKind::Domain, &format!("c{i}.com")).unwrap(), i);
        }
        for i in 0..50_000 {
            assert_eq!(s.intern(KeyKind::Domain, &format!("c{i}.com")).unwrap(), i);
        }
        let (keys, _) = s.into_sorted();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }
}
