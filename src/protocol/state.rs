//! A party's state between messages, as bytes the page keeps in IndexedDB and the CLI writes to
//! a file.
//!
//! While the session runs the state holds its secrets: the scalar, the nonce (A) or A's
//! commitment (B), and the PRF outputs of B's listed or A's matched elements. Once the session is
//! finished it holds none of them: only the result (element indices and population bits), the
//! partner's announcement and shared values, the notes and the session code. It never holds a
//! raw value from the CSV: it is bound to the dataset by a SHA-256 fingerprint of the file's text
//! ([`Dataset::fingerprint`](crate::ingest::Dataset::fingerprint)) and a digest of its keys, and
//! the dataset is read again to continue.
//!
//! ```text
//! "OVLS" · version u8 (2) · role u8 · step u8 · session [16] · transcript [32]
//! fingerprint [32] · digest [32]
//! settings: sharing u8 · u8 n × str16 fields · u32 max_partner_set · u32 min_population · u8 max_populations
//! order: u32 n × u32
//! partner: u8 present · (announcement as in messages · u32 set size)
//! secrets: u8 present · (scalar [32] · nonce [32] · u32 n × output [32])
//! matched: u32 n × (u32 position, u32 element)
//! outcome: u8 (0 none, 1 keys, 2 pairs) · u32 n × (u32, u16) | (u16, u16)
//! partner values: u8 n × str16 names · u32 m × (u32 element, u16 rows, rows × n × str16)
//! notes: u8 n × str16 · code: str8 (empty: none yet)
//! SHA-256 of all the above
//! ```

use super::group::SecretScalar;
use super::messages::{Announcement, NAME_KEY_POLICIES};
use super::party::{Binding, Outcome, Partner, Party, Role, Secrets, Settings, Step};
use super::wire::{self, Reader, RecordError, Writer};
use super::{MessageError, ProtocolError};
use crate::model::{FieldRows, Population, PopulationRole, SharedValues, Sharing};

const MAGIC: [u8; 4] = *b"OVLS";
const VERSION: u8 = 2;

impl Party {
    /// The state as bytes. While the session runs they hold its secrets: keep them private; a
    /// finished session's bytes hold only its result.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::record(&MAGIC, VERSION);
        w.u8(match self.role {
            Role::Starter => 1,
            Role::Responder => 2,
        });
        w.u8(self.step.byte());
        w.bytes(&self.session);
        w.bytes(&self.transcript);
        w.bytes(&self.binding.fingerprint);
        w.bytes(&self.binding.digest);
        let s = &self.settings;
        w.u8(s.sharing.byte());
        write_strings(&mut w, &s.fields);
        w.u32(s.max_partner_set.min(u32::MAX as usize) as u32);
        w.u32(s.min_population);
        w.u8(s.max_populations.min(255) as u8);
        let outputs = self.secrets.as_ref().map_or(0, |x| x.outputs.len());
        w.reserve(self.order.len() * 4 + outputs * 32 + self.matched.len() * 8 + 64);
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
                    w.u8(pop.role.byte());
                }
                w.str8(&p.from.name_keys);
                w.u8(p.from.min_combination);
                w.u32(p.set_size as u32);
            }
        }
        match &self.secrets {
            None => w.u8(0),
            Some(x) => {
                w.u8(1);
                w.bytes(&x.scalar.to_bytes());
                w.bytes(&x.nonce);
                w.u32(x.outputs.len() as u32);
                for o in &x.outputs {
                    w.bytes(o);
                }
            }
        }
        w.u32(self.matched.len() as u32);
        for &(q, el) in &self.matched {
            w.u32(q);
            w.u32(el);
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
            for r in 0..rows.len() {
                for c in 0..rows.width() {
                    w.str16(rows.value(r, c));
                }
            }
        }
        write_strings(&mut w, &self.notes);
        w.str8(self.code.as_deref().unwrap_or(""));
        w.finish()
    }

    /// Reads a state written by [`Party::to_bytes`].
    ///
    /// # Errors
    /// [`ProtocolError::State`] naming what is wrong: not a state file, another version, damaged.
    pub fn from_bytes(bytes: &[u8]) -> Result<Party, ProtocolError> {
        let mut r = wire::open_record(bytes, &MAGIC, VERSION).map_err(|e| match e {
            RecordError::NotARecord => ProtocolError::State("this is not an overlap session state".into()),
            RecordError::Version(v) => ProtocolError::State(format!(
                "it was saved by another version of overlap (state version {v}): start the session again"
            )),
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

/// `n` items of at least `width` bytes each must fit in what is left.
fn fits(r: &Reader<'_>, n: usize, width: usize, what: &'static str) -> Result<(), MessageError> {
    if r.remaining() / width < n {
        return Err(MessageError::Truncated { what });
    }
    Ok(())
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
    fits(r, n, 4, "order")?;
    let order = (0..n).map(|_| r.u32("order")).collect::<Result<Vec<_>, _>>()?;
    let partner = match r.u8("partner")? {
        0 => None,
        1 => {
            let sharing = Sharing::from_byte(r.u8("partner sharing")?).ok_or(bad("partner sharing"))?;
            let fields = read_strings(r, "partner fields")?;
            let np = r.u8("partner populations")? as usize;
            let mut populations = Vec::with_capacity(np);
            for _ in 0..np {
                let name = r.str8("population")?;
                let size = r.u32("population size")?;
                let role = PopulationRole::from_byte(r.u8("population role")?).ok_or(bad("population role"))?;
                populations.push(Population { name, size, role });
            }
            let name_keys = r.str8("partner name keys")?;
            if !NAME_KEY_POLICIES.contains(&name_keys.as_str()) {
                return Err(bad("partner name keys"));
            }
            let min_combination = r.u8("partner minimum")?;
            let set_size = r.u32("partner set size")? as usize;
            Some(Partner { from: Announcement { sharing, fields, populations, name_keys, min_combination }, set_size })
        }
        _ => return Err(bad("partner")),
    };
    let secrets = match r.u8("secrets")? {
        0 => None,
        1 => {
            let scalar = SecretScalar::from_bytes(&r.array::<32>("scalar")?).ok_or(bad("scalar"))?;
            let nonce = r.array::<32>("nonce")?;
            let n = r.u32("outputs")? as usize;
            fits(r, n, 32, "outputs")?;
            let outputs = (0..n).map(|_| r.array::<32>("output")).collect::<Result<Vec<_>, _>>()?;
            Some(Secrets { scalar, nonce, outputs })
        }
        _ => return Err(bad("secrets")),
    };
    let n = r.u32("matched")? as usize;
    fits(r, n, 8, "matched")?;
    let matched = (0..n).map(|_| Ok((r.u32("matched")?, r.u32("matched")?))).collect::<Result<Vec<_>, MessageError>>()?;
    let outcome = match r.u8("outcome")? {
        0 => None,
        1 => {
            let n = r.u32("outcome")? as usize;
            fits(r, n, 6, "outcome")?;
            Some(Outcome::Keys((0..n).map(|_| Ok((r.u32("outcome")?, r.u16("outcome")?))).collect::<Result<_, MessageError>>()?))
        }
        2 => {
            let n = r.u32("outcome")? as usize;
            fits(r, n, 4, "outcome")?;
            Some(Outcome::Pairs((0..n).map(|_| Ok((r.u16("outcome")?, r.u16("outcome")?))).collect::<Result<_, MessageError>>()?))
        }
        _ => return Err(bad("outcome")),
    };
    let names = read_strings(r, "partner field names")?;
    let m = r.u32("partner field entries")? as usize;
    fits(r, m, 6, "partner field entries")?;
    let mut entries = Vec::with_capacity(m);
    for _ in 0..m {
        let el = r.u32("partner field entry")?;
        let rows = r.u16("partner field rows")? as usize;
        fits(r, rows * names.len(), 2, "partner field values")?;
        let mut values = FieldRows::new(names.len());
        for _ in 0..rows {
            let row = (0..names.len()).map(|_| r.str16("partner field value")).collect::<Result<Vec<_>, _>>()?;
            values.push(row.iter().map(String::as_str));
        }
        entries.push((el, values));
    }
    let notes = read_strings(r, "notes")?;
    let code = r.str8("session code")?;
    r.end()?;
    let party_step_ok = match step {
        Step::Done => secrets.is_none(),
        _ => secrets.is_some(),
    };
    if !party_step_ok {
        return Err(bad("secrets"));
    }
    Ok(Party {
        role,
        step,
        session,
        transcript,
        settings,
        binding,
        order,
        partner,
        secrets,
        matched,
        outcome,
        partner_fields: SharedValues { names, entries },
        notes,
        code: (!code.is_empty()).then_some(code),
    })
}
