//! A party's state between messages, as bytes the page keeps in IndexedDB and the CLI writes to
//! a file.
//!
//! The state holds the secret scalar, the session id and transcript hash, the order in which our
//! elements were sent (indices, not keys), the doubly blinded answers a responder needs for its
//! last step, what the partner announced, and the result (element indices and population bits).
//! It holds **no raw value** from the CSV: it is bound to the dataset by a SHA-256 fingerprint of
//! the file's text ([`Dataset::fingerprint`](crate::ingest::Dataset::fingerprint)) and a digest of
//! its keys, and the dataset is read again to continue.
//!
//! ```text
//! "OVLS" · version u8 (1) · role u8 · step u8 · session [16] · transcript [32] · scalar [32]
//! fingerprint [32] · digest [32]
//! settings: sharing u8 · u8 n × str16 fields · u32 max_partner_set · u32 min_population · u8 max_populations
//! order: u32 n × u32
//! partner: u8 present · (sharing u8 · u8 n × str16 fields · u8 n × (str8 name, u32 size) · str8 name keys · u32 set size)
//! z_partner: u32 n × (32 point, u16 label)
//! outcome: u8 (0 none, 1 keys, 2 pairs) · u32 n × (u32, u16) | (u16, u16)
//! partner fields: u8 n × str16 names · u32 m × (u32 element, u16 r × n × str16)
//! notes: u8 n × str16
//! SHA-256 of all the above
//! ```

use super::group::SecretScalar;
use super::messages::{Announcement, Element, SharedFields, Sharing};
use super::party::{Binding, Outcome, Partner, Party, Role, Settings, Step};
use super::wire::{self, Reader, RecordError, Writer};
use super::{MessageError, ProtocolError};
use crate::report::Population;

const MAGIC: [u8; 4] = *b"OVLS";
const VERSION: u8 = 1;

impl Party {
    /// The state as bytes (holds the secret scalar: keep it private, delete it when done).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::record(&MAGIC, VERSION);
        w.u8(match self.role {
            Role::Starter => 1,
            Role::Responder => 2,
        });
        w.u8(self.step.byte());
        w.bytes(&self.session);
        w.bytes(&self.transcript);
        w.bytes(&self.scalar.to_bytes());
        w.bytes(&self.binding.fingerprint);
        w.bytes(&self.binding.digest);
        let s = &self.settings;
        w.u8(s.sharing.byte());
        write_strings(&mut w, &s.fields);
        w.u32(s.max_partner_set.min(u32::MAX as usize) as u32);
        w.u32(s.min_population);
        w.u8(s.max_populations.min(255) as u8);
        w.reserve(self.order.len() * 4 + self.z_partner.len() * 34 + 64);
        w.u32(self.order.len() as u32);
        for &o in &self.order {
            w.u32(o);
        }
        match &self.partner {
            None => w.u8(0),
            Some(p) => {
                w.u8(1);
                w.u8(p.from.sharing.byte());
                write_strings(&mut w, &p.from.fields);
                w.u8(p.from.populations.len() as u8);
                for pop in &p.from.populations {
                    w.str8(&pop.name);
                    w.u32(pop.size);
                }
                w.str8(&p.from.name_keys);
                w.u32(p.set_size as u32);
            }
        }
        w.u32(self.z_partner.len() as u32);
        for e in &self.z_partner {
            w.bytes(&e.point);
            w.u16(e.label);
        }
        match &self.outcome {
            None => w.u8(0),
            Some(Outcome::Keys(v)) => {
                w.u8(1);
                w.u32(v.len() as u32);
                for &(k, l) in v {
                    w.u32(k);
                    w.u16(l);
                }
            }
            Some(Outcome::Pairs(v)) => {
                w.u8(2);
                w.u32(v.len() as u32);
                for &(a, b) in v {
                    w.u16(a);
                    w.u16(b);
                }
            }
        }
        write_strings(&mut w, &self.partner_fields.names);
        w.u32(self.partner_fields.entries.len() as u32);
        for (el, rows) in &self.partner_fields.entries {
            w.u32(*el);
            w.u16(rows.len() as u16);
            for row in rows {
                for v in row {
                    w.str16(v);
                }
            }
        }
        write_strings(&mut w, &self.notes);
        w.finish()
    }

    /// Reads a state written by [`Party::to_bytes`].
    ///
    /// # Errors
    /// [`ProtocolError::State`] naming what is wrong: not a state file, another version, damaged.
    pub fn from_bytes(bytes: &[u8]) -> Result<Party, ProtocolError> {
        let mut r = wire::open_record(bytes, &MAGIC, VERSION).map_err(|e| match e {
            RecordError::NotARecord => ProtocolError::State("this is not an overlap session state".into()),
            RecordError::Version(v) => {
                ProtocolError::State(format!("it was saved by another version of overlap (state version {v})"))
            }
            RecordError::Damaged(m) => ProtocolError::State(format!("it is damaged ({m})")),
        })?;
        read(&mut r).map_err(|e| ProtocolError::State(format!("it is damaged ({e})")))
    }
}

fn write_strings(w: &mut Writer, v: &[String]) {
    w.u8(v.len().min(255) as u8);
    for s in v.iter().take(255) {
        w.str16(s);
    }
}

fn read_strings(r: &mut Reader<'_>, what: &'static str) -> Result<Vec<String>, MessageError> {
    let n = r.u8(what)? as usize;
    (0..n).map(|_| r.str16(what)).collect()
}

fn bad(what: &'static str) -> MessageError {
    MessageError::Malformed { what }
}

fn read(r: &mut Reader<'_>) -> Result<Party, MessageError> {
    let role = match r.u8("role")? {
        1 => Role::Starter,
        2 => Role::Responder,
        _ => return Err(bad("role")),
    };
    let step = Step::from_byte(r.u8("step")?).ok_or(bad("step"))?;
    let session = r.array::<16>("session")?;
    let transcript = r.array::<32>("transcript")?;
    let scalar = SecretScalar::from_bytes(&r.array::<32>("scalar")?).ok_or(bad("scalar"))?;
    let binding = Binding { fingerprint: r.array("fingerprint")?, digest: r.array("digest")? };
    let sharing = Sharing::from_byte(r.u8("sharing")?).ok_or(bad("sharing"))?;
    let fields = read_strings(r, "fields")?;
    let settings = Settings {
        sharing,
        fields,
        max_partner_set: r.u32("max partner set")? as usize,
        min_population: r.u32("min population")?,
        max_populations: r.u8("max populations")? as usize,
    };
    let n = r.u32("order")? as usize;
    if r.remaining() / 4 < n {
        return Err(MessageError::Truncated { what: "order" });
    }
    let order = (0..n).map(|_| r.u32("order")).collect::<Result<Vec<_>, _>>()?;
    let partner = match r.u8("partner")? {
        0 => None,
        1 => {
            let sharing = Sharing::from_byte(r.u8("partner sharing")?).ok_or(bad("partner sharing"))?;
            let fields = read_strings(r, "partner fields")?;
            let np = r.u8("partner populations")? as usize;
            let mut populations = Vec::with_capacity(np);
            for _ in 0..np {
                populations.push(Population { name: r.str8("population")?, size: r.u32("population size")? });
            }
            let name_keys = r.str8("partner name keys")?;
            let set_size = r.u32("partner set size")? as usize;
            Some(Partner { from: Announcement { sharing, fields, populations, name_keys }, set_size })
        }
        _ => return Err(bad("partner")),
    };
    let nz = r.u32("answers")? as usize;
    if r.remaining() / 34 < nz {
        return Err(MessageError::Truncated { what: "answers" });
    }
    let mut z_partner = Vec::with_capacity(nz);
    for _ in 0..nz {
        z_partner.push(Element { point: r.array("answer")?, label: r.u16("answer label")? });
    }
    let outcome = match r.u8("outcome")? {
        0 => None,
        1 => {
            let n = r.u32("outcome")? as usize;
            if r.remaining() / 6 < n {
                return Err(MessageError::Truncated { what: "outcome" });
            }
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                let k = r.u32("outcome")?;
                if k as usize >= order.len() {
                    return Err(bad("outcome"));
                }
                v.push((k, r.u16("outcome")?));
            }
            Some(Outcome::Keys(v))
        }
        2 => {
            let n = r.u32("outcome")? as usize;
            if r.remaining() / 4 < n {
                return Err(MessageError::Truncated { what: "outcome" });
            }
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push((r.u16("outcome")?, r.u16("outcome")?));
            }
            Some(Outcome::Pairs(v))
        }
        _ => return Err(bad("outcome")),
    };
    let names = read_strings(r, "partner field names")?;
    let m = r.u32("partner field entries")? as usize;
    let mut entries = Vec::with_capacity(m.min(r.remaining() / 6 + 1));
    for _ in 0..m {
        let el = r.u32("partner field entry")?;
        let rows = r.u16("partner field rows")? as usize;
        let mut vals = Vec::with_capacity(rows.min(r.remaining() / 2 + 1));
        for _ in 0..rows {
            vals.push((0..names.len()).map(|_| r.str16("partner field value")).collect::<Result<Vec<_>, _>>()?);
        }
        entries.push((el, vals));
    }
    let notes = read_strings(r, "notes")?;
    r.end()?;
    if order.iter().any(|&o| o as usize >= order.len()) {
        return Err(bad("order"));
    }
    Ok(Party {
        role,
        step,
        session,
        transcript,
        scalar,
        settings,
        binding,
        order,
        partner,
        z_partner,
        outcome,
        partner_fields: SharedFields { names, entries },
        notes,
    })
}
