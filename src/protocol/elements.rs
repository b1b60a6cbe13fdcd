//! A dataset's protocol elements: one per key, except paired name keys, which become role tokens.
//!
//! ```text
//!                  row has another key    row has none
//! starter (A)      {1}                    {2, 3}
//! responder (B)    {2}                    {1, 3}
//! ```
//! Token `t` is hashed as the `name:` value ‖ `#` ‖ `t`. Two rows that both have other keys share
//! no token; every other pair shares exactly one (1: A's row has a domain, B's not; 2: the reverse;
//! 3: neither), so no pair is counted twice.

use super::job::Job;
use super::settings::Role;
use crate::ingest::Dataset;
use crate::model::Population;

/// The protocol's elements for a dataset and a role.
pub(crate) struct Elements {
    /// The key each element stands for.
    pub key: Vec<u32>,
    /// Encoded elements (`kind ‖ value`, with `#token` for paired names) and their offsets.
    pub job: Job,
    /// Population bits of each element (its key's).
    pub labels: Vec<u16>,
}

impl Elements {
    pub fn of(d: &Dataset, role: Role) -> Elements {
        let n = d.keys().len();
        let mut e = Elements {
            key: Vec::with_capacity(n),
            job: Job { key_offsets: Vec::with_capacity(n + 1), ..Job::default() },
            labels: Vec::with_capacity(n),
        };
        e.job.key_offsets.push(0);
        for (i, (k, &label)) in d.keys().iter().zip(d.key_populations()).enumerate() {
            match k.paired_name() {
                None => e.push(i, label, |out| k.encode(out)),
                Some((base, beside)) => {
                    let tokens: &[u8] = match (role, beside) {
                        (Role::Starter, true) => b"1",
                        (Role::Starter, false) => b"23",
                        (Role::Responder, true) => b"2",
                        (Role::Responder, false) => b"13",
                    };
                    for &t in tokens {
                        e.push(i, label, |out| {
                            out.push(k.kind.tag());
                            out.extend_from_slice(base.as_bytes());
                            out.extend_from_slice(&[b'#', t]);
                        });
                    }
                }
            }
        }
        e
    }

    fn push(&mut self, key: usize, label: u16, encode: impl FnOnce(&mut Vec<u8>)) {
        encode(&mut self.job.keys);
        self.job.key_offsets.push(self.job.keys.len() as u32);
        self.key.push(key as u32);
        self.labels.push(label);
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
