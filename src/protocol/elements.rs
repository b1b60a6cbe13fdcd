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
pub(crate) struct Elements {
    /// The key each element stands for.
    pub key: Vec<u32>,
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
        let mut e = Elements {
            key: Vec::with_capacity(n),
            job: Job { key_offsets: Vec::with_capacity(n + 1), ..Job::default() },
            labels: Vec::with_capacity(n),
            place: Vec::with_capacity(n),
        };
        e.job.key_offsets.push(0);
        for (i, (k, &label)) in d.keys().iter().zip(d.key_populations()).enumerate() {
            match k.paired_name_place() {
                None => e.push(i, label, false, |out| k.encode(out)),
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
                            e.push(i, label, matches!(p, Place::Same(_)), |out| {
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
        e
    }

    fn push(&mut self, key: usize, label: u16, place: bool, encode: impl FnOnce(&mut Vec<u8>)) {
        encode(&mut self.job.keys);
        self.job.key_offsets.push(self.job.keys.len() as u32);
        self.key.push(key as u32);
        self.labels.push(label);
        self.place.push(place);
    }

    pub fn len(&self) -> usize {
        self.key.len()
    }
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
