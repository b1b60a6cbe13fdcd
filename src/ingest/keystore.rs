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
    // Mix all the bits into all the others (the finalizer of MurmurHash3): the table index takes
    // the low bits and the tag the high ones, and a multiply only carries bits upwards.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
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
    #[cfg(test)]
    pub(crate) fn intern(&mut self, kind: KeyKind, value: &str) -> Result<u32, Full> {
        self.intern_hashed(kind, value, hash(kind, value.as_bytes()))
    }

    /// The hash [`KeyStore::intern_hashed`] wants.
    pub(crate) fn hash(kind: KeyKind, value: &str) -> u64 {
        hash(kind, value.as_bytes())
    }

    /// Reads the table slot where the key of hash `h` is looked for first: interning several
    /// keys, touching all their slots first lets the cache misses (the table is megabytes) overlap
    /// instead of coming one after the other. Only a hint: returns what it read.
    pub(crate) fn touch(&self, h: u64) -> u64 {
        self.table.get(h as usize & self.table.len().wrapping_sub(1)).copied().unwrap_or(0)
    }

    /// [`KeyStore::intern`] with the value's hash ([`KeyStore::hash`]) already computed.
    pub(crate) fn intern_hashed(&mut self, kind: KeyKind, value: &str, h: u64) -> Result<u32, Full> {
        if self.table.len() < 2 * (self.kinds.len() + 1) {
            self.grow()?;
        }
        let v = value.as_bytes();
        let mask = self.table.len() - 1;
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
    /// The ids are sorted by 20-byte chunks of the keys (kind tag and the first 19 value bytes,
    /// then, within each run of keys that agree on those, the next 19 bytes, and so on): keys share
    /// long prefixes (`cyberdyne analytics 12|US`, `acmesystems47.com`), and comparing them whole
    /// inside one sort reads the arena at random for every comparison. Then the keys are made in
    /// their order, so that they are allocated, and later freed, front to back (freeing hundreds
    /// of thousands of strings in an order unrelated to their allocation costs as much as sorting
    /// them). Memory: the arena and the sort's 24 bytes per key, then the arena, 8 bytes per key
    /// and the keys.
    pub(crate) fn into_sorted(self) -> (Vec<Key>, Vec<u32>) {
        let KeyStore { bytes, ends, kinds, table } = self;
        drop(table);
        let n = kinds.len();
        // Interned from `&str`s: the arena is valid UTF-8, and each key a whole string of it.
        let text = String::from_utf8(bytes).unwrap_or_default();
        let range = |id: usize| (if id == 0 { 0 } else { ends[id - 1] as usize })..ends[id] as usize;
        let value = |id: usize| text.get(range(id)).unwrap_or_default();
        let mut order: Vec<Entry> = (0..n).map(|id| (chunk(kinds[id].tag(), value(id).as_bytes(), 0), id as u32)).collect();
        sort_chunks(&mut order, 0, &|id, from| chunk(0, value(id as usize).as_bytes(), from), &|a, b| {
            value(a as usize).cmp(value(b as usize))
        });
        let sorted: Vec<u32> = order.iter().map(|&(_, id)| id).collect();
        drop(order);
        let mut rank = vec![0u32; n];
        let mut keys = Vec::with_capacity(n);
        for (b, batch) in sorted.chunks(16).enumerate() {
            // The values are spread over the arena: read the first byte of each of the batch
            // first, so the memory loads overlap instead of waiting one by one.
            let mut touched = 0u8;
            for &id in batch {
                touched ^= text.as_bytes().get(range(id as usize).start).copied().unwrap_or(0);
            }
            std::hint::black_box(touched);
            for (i, &id) in batch.iter().enumerate() {
                let id = id as usize;
                rank[id] = (b * 16 + i) as u32;
                keys.push(Key { kind: kinds[id], value: value(id).to_string() });
            }
        }
        (keys, rank)
    }
}

/// Value bytes in a chunk.
const CHUNK: usize = 19;

/// A chunk of a key as numbers, and the key's id: 24 bytes.
type Entry = ((u64, u64, u32), u32);

/// The 20 bytes `first`, `v[from..from + CHUNK]` (zero-padded), big-endian: compared as
/// numbers, in the order of the bytes, up to ties between values that differ only later or in
/// trailing zero bytes (zero-padding puts a value that ends before another that goes on after it).
fn chunk(first: u8, v: &[u8], from: usize) -> (u64, u64, u32) {
    let mut p = [0u8; CHUNK + 1];
    p[0] = first;
    let rest = v.get(from..).unwrap_or_default();
    let m = rest.len().min(CHUNK);
    p[1..1 + m].copy_from_slice(&rest[..m]);
    let (a, rest) = p.split_at(8);
    let (b, c) = rest.split_at(8);
    (
        u64::from_be_bytes(a.try_into().unwrap_or_default()),
        u64::from_be_bytes(b.try_into().unwrap_or_default()),
        u32::from_be_bytes(c.try_into().unwrap_or_default()),
    )
}

/// Sorts `order` (entries: a chunk of the value of an id whose value bytes start at `from`, and
/// the id) by the chunks, then each run of entries with equal chunks by the next chunk
/// (`next(id, from + CHUNK)`), and so on while any value in the run goes on. A run whose values
/// all end there agree but for trailing zero bytes: `cmp` orders it (never met: no key holds a
/// zero byte).
fn sort_chunks(
    order: &mut [Entry],
    from: usize,
    next: &dyn Fn(u32, usize) -> (u64, u64, u32),
    cmp: &dyn Fn(u32, u32) -> std::cmp::Ordering,
) {
    order.sort_unstable_by_key(|&(c, _)| c);
    let mut i = 0;
    while i < order.len() {
        let key = order[i].0;
        let mut j = i + 1;
        while j < order.len() && order[j].0 == key {
            j += 1;
        }
        if j - i > 1 {
            let from = from + CHUNK;
            let run = &mut order[i..j];
            let mut more = false;
            for e in run.iter_mut() {
                let c = next(e.1, from);
                more |= c != (0, 0, 0);
                e.0 = c;
            }
            if more {
                sort_chunks(run, from, next, cmp);
            } else {
                run.sort_unstable_by(|a, b| cmp(a.1, b.1));
            }
        }
        i = j;
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

    #[test]
    fn sorts_like_the_key_order_with_long_shared_prefixes() {
        // Keys agreeing on 15, 19, 38… bytes, of every length around the chunk edges, with
        // non-ASCII and (never met in practice) zero bytes, in every kind.
        let mut s = KeyStore::default();
        let mut all = Vec::new();
        let stems = [
            "",
            "cyberdyne analytics ",
            "acmesystems.com",
            "abcdefghijklmnopqrs",
            "münchen straße gmbh & co kg ltd ",
            "a\0",
            "a\0\0",
        ];
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for i in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let stem = stems[i % stems.len()];
            let mut v = stem.repeat(1 + (x as usize >> 8) % 3);
            let digits = format!("{}", x % 100_000);
            v.push_str(&digits[..(x as usize >> 20) % (digits.len() + 1)]);
            if x % 7 == 0 {
                v.push('\0');
            }
            let kind = KeyKind::ALL[(x >> 40) as usize % KeyKind::ALL.len()];
            s.intern(kind, &v).unwrap();
            all.push(Key { kind, value: v });
        }
        all.sort();
        all.dedup();
        let ids: Vec<Key> = {
            let mut by_id = all.clone();
            by_id.sort_by_key(|k| s.intern(k.kind, &k.value).unwrap());
            by_id
        };
        let (keys, rank) = s.into_sorted();
        assert_eq!(keys, all);
        for (id, k) in ids.iter().enumerate() {
            assert_eq!(&keys[rank[id] as usize], k);
        }
    }
}
