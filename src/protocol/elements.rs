//! A dataset's protocol elements: one per key, except paired name keys, which become role tokens.
//!
//! ```text
//!                  row has another key    row has none
//! starter (A)      {1}                    {2, 3}
//! responder (B)    {2}                    {1, 3}
//! ```
//! Each of these is combined with a place token, so that two names match only where the rows'
//! cities agree — or where one of them has no city:
//!
//! ```text
//!                  row has a city c       row has none
//! starter (A)      {=c, y}                {z, w}
//! responder (B)    {=c, z}                {y, w}
//! ```
//! (`=c`: both have the same city; `y`: A has one, B not; `z`: the reverse; `w`: neither.) An
//! element is hashed as the `name:` value ‖ `#` ‖ role token ‖ place token. Two rows whose names
//! may match share exactly one element (one role token times one place token), two rows that both
//! have other keys, or both have cities that differ, share none: no pair is counted twice. An
//! element with the `=c` token is "name + city" evidence; the others are "name only".

use super::job::Job;
use super::settings::Role;
use crate::ingest::Dataset;
use crate::model::Population;

/// A place token of a paired name element.
enum Place<'a> {
    /// Both rows have this city.
    Same(&'a str),
    /// `y`, `z` or `w`: at most one of the rows has a city.
    Token(u8),
}

/// The protocol's elements for a dataset and a role.
///
/// Most elements stand for one key. A place token without a city (`y`, `z`, `w`) is the same for
/// every city of a name, so the keys of one name in several cities share it: such an element is
/// made once, carries the union of their population bits, and stands for all of them.
pub(crate) struct Elements {
    /// The (first) key each element stands for.
    pub key: Vec<u32>,
    /// The further keys of merged elements: (element, key), by element.
    pub more: Vec<(u32, u32)>,
    /// Encoded elements (`kind ‖ value`, with `#token` for paired names) and their offsets.
    pub job: Job,
    /// Population bits of each element (its key's).
    pub labels: Vec<u16>,
    /// Whether the element is a paired name with its city (a match on it is "name + city").
    pub place: Vec<bool>,
}

impl Elements {
    pub fn of(d: &Dataset, role: Role) -> Elements {
        let n = d.keys().len();
        // Elements without a city in their place token, by a hash of their encoding, to merge.
        let mut seen: std::collections::HashMap<u64, Vec<u32>> = std::collections::HashMap::new();
        let mut e = Elements {
            key: Vec::with_capacity(n),
            more: Vec::new(),
            job: Job { key_offsets: Vec::with_capacity(n + 1), ..Job::default() },
            labels: Vec::with_capacity(n),
            place: Vec::with_capacity(n),
        };
        e.job.key_offsets.push(0);
        for (i, (k, &label)) in d.keys().iter().zip(d.key_populations()).enumerate() {
            match k.paired_name_place() {
                None => e.push(i, label, false, None, |out| k.encode(out)),
                Some((base, city, beside)) => {
                    let roles: &[u8] = match (role, beside) {
                        (Role::Starter, true) => b"1",
                        (Role::Starter, false) => b"23",
                        (Role::Responder, true) => b"2",
                        (Role::Responder, false) => b"13",
                    };
                    let places: [Place; 2] = match (role, city) {
                        (Role::Starter, Some(c)) => [Place::Same(c), Place::Token(b'y')],
                        (Role::Starter, None) => [Place::Token(b'z'), Place::Token(b'w')],
                        (Role::Responder, Some(c)) => [Place::Same(c), Place::Token(b'z')],
                        (Role::Responder, None) => [Place::Token(b'y'), Place::Token(b'w')],
                    };
                    for &r in roles {
                        for p in &places {
                            let same = matches!(p, Place::Same(_));
                            e.push(i, label, same, (!same).then_some(&mut seen), |out| {
                                out.push(k.kind.tag());
                                out.extend_from_slice(base.as_bytes());
                                out.extend_from_slice(&[b'#', r]);
                                match p {
                                    Place::Same(c) => {
                                        out.push(b'=');
                                        out.extend_from_slice(c.as_bytes());
                                    }
                                    Place::Token(t) => out.push(*t),
                                }
                            });
                        }
                    }
                }
            }
        }
        crate::sort::by_key(&mut e.more, |&(el, k)| ((u128::from(el) << 32) | u128::from(k), 0));
        e
    }

    /// Adds the element `encode` writes for `key`; with `merge`, an element already made with the
    /// same encoding takes the key (and its bits) instead.
    fn push(
        &mut self,
        key: usize,
        label: u16,
        place: bool,
        merge: Option<&mut std::collections::HashMap<u64, Vec<u32>>>,
        encode: impl FnOnce(&mut Vec<u8>),
    ) {
        let start = self.job.keys.len();
        encode(&mut self.job.keys);
        if let Some(seen) = merge {
            let bytes = &self.job.keys[start..];
            let h = hash(bytes);
            let offsets = &self.job.key_offsets;
            let twin = seen.get(&h).and_then(|els| {
                els.iter()
                    .copied()
                    .find(|&el| &self.job.keys[offsets[el as usize] as usize..offsets[el as usize + 1] as usize] == bytes)
            });
            if let Some(el) = twin {
                self.job.keys.truncate(start);
                self.labels[el as usize] |= label;
                if self.key[el as usize] != key as u32 && !self.more.contains(&(el, key as u32)) {
                    self.more.push((el, key as u32));
                }
                return;
            }
            seen.entry(h).or_default().push(self.key.len() as u32);
        }
        self.job.key_offsets.push(self.job.keys.len() as u32);
        self.key.push(key as u32);
        self.labels.push(label);
        self.place.push(place);
    }

    /// Every key element `el` stands for.
    pub fn keys_of(&self, el: u32) -> impl Iterator<Item = u32> + '_ {
        let first = self.key.get(el as usize).copied();
        let start = self.more.partition_point(|&(e, _)| e < el);
        first.into_iter().chain(self.more[start..].iter().take_while(move |&&(e, _)| e == el).map(|&(_, k)| k))
    }

    pub fn len(&self) -> usize {
        self.key.len()
    }
}

/// FNV-1a over an encoding (only to find twins; equality is checked on the bytes).
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// My populations with their sizes in protocol elements (what the partner sees) and roles.
pub(crate) fn my_populations(d: &Dataset, role: Role) -> Vec<Population> {
    let labels = Elements::of(d, role).labels;
    d.populations()
        .iter()
        .enumerate()
        .map(|(i, name)| Population {
            name: name.clone(),
            size: labels.iter().filter(|&&m| m & (1 << i) != 0).count() as u32,
            role: d.population_roles().get(i).copied().unwrap_or_default(),
        })
        .collect()
}
