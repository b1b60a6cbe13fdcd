//! The private protocol's four messages: one type each, with its documented layout.
//!
//! Every message is framed by [`super::wire`] (magic, version, kind, session id, transcript hash,
//! normalization version … checksum). Bodies, all integers big-endian:
//!
//! ```text
//! offer    A→B  sharing u8 · fields · populations · X_A
//! reply    B→A  sharing u8 · fields · populations · Z_A · X_B
//! confirm  A→B  Z_B · shared
//! fields   B→A  shared
//!
//! fields       u8 n, n × str16           column names the sender will share (fields level)
//! populations  u8 n (≤ 16), n × (str8 name, u32 elements), then str8 name-key policy
//! X            u32 n, n × (32-byte point, u16 population bits), strictly increasing by point
//! Z            u8 order, u32 n, then
//!                order 0 (in order):  n × 32-byte point, position i answers the partner's X[i]
//!                order 1 (shuffled):  n × (32-byte point, u16 partner's population bits),
//!                                     strictly increasing by point
//! shared       u8 n, n × str16 names, u32 m, m × (u32 index, u16 r ≥ 1, r × n × str16 value),
//!              indices strictly increasing: index = position in the receiver's X
//! ```
//! Sorting lists by their (pseudorandom) points is the shuffle: it makes the order independent of
//! the keys, and it makes duplicate detection a comparison with the previous element.

use super::wire::{self, Header, Kind, Reader, Writer};
use super::MessageError;
use crate::report::Population;

/// At most this many populations per party (labels are 16-bit).
pub const MAX_POPULATIONS: usize = 16;
/// At most this many shared fields.
pub const MAX_FIELDS: usize = 16;

/// What a party lets the partner learn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sharing {
    /// Only the populations × populations matrix; no row can be linked.
    Counts,
    /// Which of the partner's rows overlap, with our populations for each.
    Overlaps,
    /// Overlaps, plus chosen columns of the overlapping accounts.
    Fields,
}

impl Sharing {
    /// Wire byte.
    pub fn byte(self) -> u8 {
        match self {
            Sharing::Counts => 0,
            Sharing::Overlaps => 1,
            Sharing::Fields => 2,
        }
    }
    /// From a wire byte.
    pub fn from_byte(b: u8) -> Option<Sharing> {
        [Sharing::Counts, Sharing::Overlaps, Sharing::Fields].into_iter().find(|s| s.byte() == b)
    }
    /// `counts`, `overlaps` or `fields`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sharing::Counts => "counts",
            Sharing::Overlaps => "overlaps",
            Sharing::Fields => "fields",
        }
    }
    /// Parses `counts`, `overlaps` or `fields`.
    pub fn parse(s: &str) -> Option<Sharing> {
        [Sharing::Counts, Sharing::Overlaps, Sharing::Fields].into_iter().find(|v| v.as_str() == s)
    }
    /// Whether the partner learns which of its rows overlap.
    pub fn reveals_rows(self) -> bool {
        self >= Sharing::Overlaps
    }
}

/// A blinded element and its owner's population bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element {
    /// Compressed ristretto255 point.
    pub point: [u8; 32],
    /// Population bits of the party that owns the underlying key.
    pub label: u16,
}

/// The doubly blinded list one party returns for the other's X.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZList {
    /// `Z[i] = X[i]^s`, in the partner's X order: the partner learns which of its elements match.
    InOrder(Vec<[u8; 32]>),
    /// Shuffled (sorted by point), each with the partner's own label: only counts can be learned.
    Shuffled(Vec<Element>),
}

impl ZList {
    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            ZList::InOrder(v) => v.len(),
            ZList::Shuffled(v) => v.len(),
        }
    }
    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Field values shared for overlapping elements.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedFields {
    /// Column names, in value order.
    pub names: Vec<String>,
    /// `(index in the receiver's X, one value list per sender row)`, by increasing index.
    pub entries: Vec<(u32, Vec<Vec<String>>)>,
}

/// What a party says about itself in its first message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Announcement {
    /// What it lets the partner learn.
    pub sharing: Sharing,
    /// The columns it will share (fields level).
    pub fields: Vec<String>,
    /// Its populations and their sizes.
    pub populations: Vec<Population>,
    /// How it made name keys (`paired`, `always`, `fallback`, `never`): names match only when
    /// both partners chose the same.
    pub name_keys: String,
}

/// Message 1, A → B.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// Framing header.
    pub header: Header,
    /// A's sharing level, fields and populations.
    pub from: Announcement,
    /// `X_A = {H(x)^a}`, sorted.
    pub elements: Vec<Element>,
}

/// Message 2, B → A.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// Framing header.
    pub header: Header,
    /// B's sharing level, fields and populations.
    pub from: Announcement,
    /// `Z_A = X_A^b`.
    pub z: ZList,
    /// `X_B = {H(y)^b}`, sorted.
    pub elements: Vec<Element>,
}

/// Message 3, A → B.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    /// Framing header.
    pub header: Header,
    /// `Z_B = X_B^a`.
    pub z: ZList,
    /// A's fields for the matched elements (fields level).
    pub shared: SharedFields,
}

/// Message 4 (optional), B → A.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldsMessage {
    /// Framing header.
    pub header: Header,
    /// B's fields for the matched elements.
    pub shared: SharedFields,
}

/// Bounds applied while parsing a partner's message.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest partner set accepted.
    pub max_set: usize,
}

// ---- writing ----

fn write_announcement(w: &mut Writer, a: &Announcement) {
    w.u8(a.sharing.byte());
    w.u8(a.fields.len() as u8);
    for f in &a.fields {
        w.str16(f);
    }
    w.u8(a.populations.len() as u8);
    for p in &a.populations {
        w.str8(&p.name);
        w.u32(p.size);
    }
    w.str8(&a.name_keys);
}

fn write_elements(w: &mut Writer, els: &[Element]) {
    w.reserve(4 + els.len() * 34);
    w.u32(els.len() as u32);
    for e in els {
        w.bytes(&e.point);
        w.u16(e.label);
    }
}

fn write_z(w: &mut Writer, z: &ZList) {
    match z {
        ZList::InOrder(v) => {
            w.u8(0);
            w.reserve(4 + v.len() * 32);
            w.u32(v.len() as u32);
            for p in v {
                w.bytes(p);
            }
        }
        ZList::Shuffled(v) => {
            w.u8(1);
            write_elements(w, v);
        }
    }
}

fn write_shared(w: &mut Writer, s: &SharedFields) {
    w.u8(s.names.len() as u8);
    for n in &s.names {
        w.str16(n);
    }
    w.u32(s.entries.len() as u32);
    for (index, rows) in &s.entries {
        w.u32(*index);
        w.u16(rows.len() as u16);
        for row in rows {
            for v in row {
                w.str16(v);
            }
        }
    }
}

impl Offer {
    /// The message bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(&self.header);
        write_announcement(&mut w, &self.from);
        write_elements(&mut w, &self.elements);
        w.finish()
    }
}

impl Reply {
    /// The message bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(&self.header);
        write_announcement(&mut w, &self.from);
        write_z(&mut w, &self.z);
        write_elements(&mut w, &self.elements);
        w.finish()
    }
}

impl Confirm {
    /// The message bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(&self.header);
        write_z(&mut w, &self.z);
        write_shared(&mut w, &self.shared);
        w.finish()
    }
}

impl FieldsMessage {
    /// The message bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(&self.header);
        write_shared(&mut w, &self.shared);
        w.finish()
    }
}

// ---- reading ----

/// Opens a message and checks it is of `kind`.
///
/// # Errors
/// Framing errors, or [`MessageError::OutOfOrder`] for another kind.
pub fn open_as(msg: &[u8], kind: Kind) -> Result<(Header, Reader<'_>), MessageError> {
    let (h, r) = wire::open(msg)?;
    if h.kind != kind {
        return Err(MessageError::OutOfOrder { expected: kind.name(), found: h.kind.name() });
    }
    Ok((h, r))
}

fn read_announcement(r: &mut Reader<'_>) -> Result<Announcement, MessageError> {
    let sharing = Sharing::from_byte(r.u8("sharing level")?).ok_or(MessageError::Malformed { what: "sharing level" })?;
    let nf = r.u8("field count")? as usize;
    if nf > MAX_FIELDS {
        return Err(MessageError::Oversize { what: "number of shared fields", limit: MAX_FIELDS, found: nf });
    }
    let mut fields = Vec::with_capacity(nf);
    for _ in 0..nf {
        fields.push(r.str16("field name")?);
    }
    if (sharing == Sharing::Fields) == fields.is_empty() {
        return Err(MessageError::Malformed { what: "shared field list" });
    }
    let np = r.u8("population count")? as usize;
    if np > MAX_POPULATIONS {
        return Err(MessageError::Oversize { what: "number of populations", limit: MAX_POPULATIONS, found: np });
    }
    let mut populations = Vec::with_capacity(np);
    for _ in 0..np {
        let name = r.str8("population name")?;
        let size = r.u32("population size")?;
        populations.push(Population { name, size });
    }
    let name_keys = r.str8("name-key policy")?;
    Ok(Announcement { sharing, fields, populations, name_keys })
}

fn check_count(r: &Reader<'_>, n: usize, width: usize, what: &'static str) -> Result<(), MessageError> {
    // A count larger than the bytes left would make us allocate for nothing: say so first.
    if r.remaining() / width < n {
        return Err(MessageError::CountMismatch { what, expected: n, found: r.remaining() / width });
    }
    Ok(())
}

fn read_elements(r: &mut Reader<'_>, pops: usize, limits: Limits, what: &'static str) -> Result<Vec<Element>, MessageError> {
    let n = r.u32("element count")? as usize;
    if n > limits.max_set {
        return Err(MessageError::Oversize { what: "set size", limit: limits.max_set, found: n });
    }
    check_count(r, n, 34, what)?;
    read_element_list(r, n, pops)
}

fn read_element_list(r: &mut Reader<'_>, n: usize, pops: usize) -> Result<Vec<Element>, MessageError> {
    let mut v: Vec<Element> = Vec::with_capacity(n);
    for i in 0..n {
        let point = r.array::<32>("element")?;
        let label = r.u16("element label")?;
        if pops < 16 && label >> pops != 0 {
            return Err(MessageError::Malformed { what: "element population bits" });
        }
        if v.last().is_some_and(|p| p.point >= point) {
            return Err(MessageError::DuplicateElement { index: i });
        }
        v.push(Element { point, label });
    }
    Ok(v)
}

/// Reads a Z list answering a list of `expected` elements whose owner has `pops` populations.
fn read_z(r: &mut Reader<'_>, expected: usize, pops: usize) -> Result<ZList, MessageError> {
    let order = r.u8("answer order")?;
    let n = r.u32("answer count")? as usize;
    if n != expected {
        return Err(MessageError::CountMismatch { what: "answers to our elements", expected, found: n });
    }
    match order {
        0 => {
            check_count(r, n, 32, "answers")?;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push(r.array::<32>("answer")?);
            }
            Ok(ZList::InOrder(v))
        }
        1 => {
            check_count(r, n, 34, "answers")?;
            Ok(ZList::Shuffled(read_element_list(r, n, pops)?))
        }
        _ => Err(MessageError::Malformed { what: "answer order" }),
    }
}

fn read_shared(r: &mut Reader<'_>, receiver_set: usize) -> Result<SharedFields, MessageError> {
    let nf = r.u8("shared field count")? as usize;
    if nf > MAX_FIELDS {
        return Err(MessageError::Oversize { what: "number of shared fields", limit: MAX_FIELDS, found: nf });
    }
    let mut names = Vec::with_capacity(nf);
    for _ in 0..nf {
        names.push(r.str16("shared field name")?);
    }
    let m = r.u32("shared entry count")? as usize;
    if m > receiver_set {
        return Err(MessageError::CountMismatch { what: "shared entries (at most our set size)", expected: receiver_set, found: m });
    }
    let mut entries: Vec<(u32, Vec<Vec<String>>)> = Vec::with_capacity(m.min(r.remaining() / 6 + 1));
    for _ in 0..m {
        let index = r.u32("shared entry index")?;
        if index as usize >= receiver_set || entries.last().is_some_and(|(p, _)| *p >= index) {
            return Err(MessageError::Malformed { what: "shared entry index" });
        }
        let rows = r.u16("shared row count")? as usize;
        if rows == 0 {
            return Err(MessageError::Malformed { what: "shared row count" });
        }
        let mut vals = Vec::with_capacity(rows.min(r.remaining() / 2 + 1));
        for _ in 0..rows {
            let mut row = Vec::with_capacity(nf);
            for _ in 0..nf {
                row.push(r.str16("shared value")?);
            }
            vals.push(row);
        }
        entries.push((index, vals));
    }
    Ok(SharedFields { names, entries })
}

impl Offer {
    /// Parses an offer.
    ///
    /// # Errors
    /// Any [`MessageError`]: framing, kind, counts, order, sizes above `limits`.
    pub fn decode(msg: &[u8], limits: Limits) -> Result<Offer, MessageError> {
        let (header, mut r) = open_as(msg, Kind::Offer)?;
        if header.transcript != [0; 32] {
            return Err(MessageError::Malformed { what: "transcript hash of a first message" });
        }
        let from = read_announcement(&mut r)?;
        let elements = read_elements(&mut r, from.populations.len(), limits, "elements")?;
        r.end()?;
        Ok(Offer { header, from, elements })
    }
}

impl Reply {
    /// Parses a reply to an offer of `offered` elements by a party with `my_pops` populations.
    ///
    /// # Errors
    /// Any [`MessageError`].
    pub fn decode(msg: &[u8], offered: usize, my_pops: usize, limits: Limits) -> Result<Reply, MessageError> {
        let (header, mut r) = open_as(msg, Kind::Reply)?;
        let from = read_announcement(&mut r)?;
        let z = read_z(&mut r, offered, my_pops)?;
        let elements = read_elements(&mut r, from.populations.len(), limits, "elements")?;
        r.end()?;
        Ok(Reply { header, from, z, elements })
    }
}

impl Confirm {
    /// Parses a confirm answering `sent` elements by a party with `my_pops` populations.
    ///
    /// # Errors
    /// Any [`MessageError`].
    pub fn decode(msg: &[u8], sent: usize, my_pops: usize) -> Result<Confirm, MessageError> {
        let (header, mut r) = open_as(msg, Kind::Confirm)?;
        let z = read_z(&mut r, sent, my_pops)?;
        let shared = read_shared(&mut r, sent)?;
        r.end()?;
        Ok(Confirm { header, z, shared })
    }
}

impl FieldsMessage {
    /// Parses a fields message for a party that sent `sent` elements.
    ///
    /// # Errors
    /// Any [`MessageError`].
    pub fn decode(msg: &[u8], sent: usize) -> Result<FieldsMessage, MessageError> {
        let (header, mut r) = open_as(msg, Kind::Fields)?;
        let shared = read_shared(&mut r, sent)?;
        r.end()?;
        Ok(FieldsMessage { header, shared })
    }
}
