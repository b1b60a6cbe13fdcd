//! The private protocol's four messages: one type each, with its documented layout.
//!
//! Every message is framed by [`super::wire`] (magic, version, kind, session id, transcript hash,
//! normalization version … checksum). Bodies, all integers big-endian:
//!
//! ```text
//! offer    A→B  announcement · commitment[32] · Q
//! reply    B→A  announcement · nonce[32] · R · T
//! confirm  A→B  nonce[32] · result · sealed
//! fields   B→A  sealed
//!
//! announcement  u8 sharing (0 counts, 1 overlaps, 2 fields)
//!               u8 n ≤ 16, n × str16 column names (non-empty exactly when sharing = fields)
//!               u8 p ≤ 16, p × (str8 name, u32 elements, u8 role)
//!               str8 name-key policy (paired, always, fallback, never)
//!               u8 minimum combination size the sender's labels were coarsened to
//! Q             u32 n, n × (point[32], u16 labels), strictly increasing by point
//! R             u8 order, u32 n, then
//!                 order 0 (in order): n × point[32]; R[i] answers Q[i]
//!                 order 1 (shuffled): n × (point[32], u16 the asker's labels), strictly increasing
//! T             u32 m, m × (tag[12], u16 labels), strictly increasing by tag
//! result        u8 kind, then
//!                 kind 0 (counts):  u32 p, p × (u16 receiver's labels, u16 sender's labels),
//!                                   non-decreasing
//!                 kind 1 (matches): bitmap[⌈m/8⌉] over the receiver's T (bit q: byte q/8, bit
//!                                   7 − q%8), then per set bit: proof[8], u16 sender's labels
//! sealed        u8 f, f × str16 column names, u32 e, e × (u32 position in T, u32 len, len bytes),
//!               positions strictly increasing
//! ```
//! Sorting lists by their pseudorandom points or tags is the shuffle: the order is independent of
//! the keys, canonical, and a duplicate is an element not greater than its predecessor.
//!
//! Decoding is bounded: the header (session, transcript, normalization version) is checked before
//! any list is read, every count is checked against the bytes present and against what the
//! receiver knows of the session before anything is allocated, and nothing decoded costs more
//! memory than a small multiple of the bytes that carry it.

use super::oprf::{PROOF, SEAL_OVERHEAD, TAG};
use super::wire::{self, Header, Kind, Reader, Writer};
use super::MessageError;
use crate::model::{Population, PopulationRole, Sharing, MAX_FIELDS, MAX_POPULATIONS, MAX_SHARED_ROWS, MAX_SHARED_VALUE};
use crate::normalize;

/// How a party made its name keys; the only values a message may carry.
pub const NAME_KEY_POLICIES: [&str; 4] = ["paired", "always", "fallback", "never"];

/// A blinded element (a query `H(x)^r`, or an answer) and its owner's population bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element {
    /// Compressed ristretto255 point.
    pub point: [u8; 32],
    /// Population bits of the party that owns the underlying key.
    pub label: u16,
}

/// A responder's tag for one of its elements, with its population bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tagged {
    /// The first bytes of a hash of the PRF output (see [`super::oprf`]).
    pub tag: [u8; TAG],
    /// Population bits.
    pub label: u16,
}

/// The responder's answers to the starter's queries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answers {
    /// `R[i] = Q[i]^k`, in the starter's order: it learns which of its elements match.
    InOrder(Vec<[u8; 32]>),
    /// Sorted by point, each with the starter's own labels: it can only count.
    Shuffled(Vec<Element>),
}

impl Answers {
    /// Number of answers.
    pub fn len(&self) -> usize {
        match self {
            Answers::InOrder(v) => v.len(),
            Answers::Shuffled(v) => v.len(),
        }
    }
    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One claimed match: the receiver's position, the proof that the sender holds that element,
/// the sender's population bits for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim {
    /// Position in the receiver's T.
    pub position: u32,
    /// See [`super::oprf::proof`].
    pub proof: [u8; PROOF],
    /// The sender's population bits.
    pub label: u16,
}

/// What the starter tells the responder about the intersection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Sharing counts: `(receiver's labels, sender's labels)` per matched element, sorted.
    Pairs(Vec<(u16, u16)>),
    /// Sharing overlaps: which of the receiver's elements matched, each with its proof.
    Matches(Vec<Claim>),
}

/// Values sealed for matched accounts (fields level).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sealed {
    /// Column names, in value order.
    pub names: Vec<String>,
    /// `(position in the responder's T, sealed bytes)`, by increasing position.
    pub entries: Vec<(u32, Vec<u8>)>,
}

/// What a party says about itself in its first message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Announcement {
    /// What it lets the partner learn.
    pub sharing: Sharing,
    /// The columns it will share (fields level).
    pub fields: Vec<String>,
    /// Its populations, their sizes and roles.
    pub populations: Vec<Population>,
    /// How it made name keys (one of [`NAME_KEY_POLICIES`]): names match only when both chose
    /// the same.
    pub name_keys: String,
    /// Every combination of population bits in its lists is held by at least this many elements.
    pub min_combination: u8,
}

/// Message 1, A → B.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// Framing header.
    pub header: Header,
    /// A's sharing level, fields and populations.
    pub from: Announcement,
    /// `SHA-256("overlap/code-commit/v2" ‖ n_A)`: A's commitment to the nonce of the session code.
    pub commitment: [u8; 32],
    /// `Q = {H(x)^r}`, sorted.
    pub queries: Vec<Element>,
}

/// Message 2, B → A.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// Framing header.
    pub header: Header,
    /// B's sharing level, fields and populations.
    pub from: Announcement,
    /// B's nonce for the session code.
    pub nonce: [u8; 32],
    /// `R = Q^k`.
    pub answers: Answers,
    /// B's tags, sorted.
    pub tags: Vec<Tagged>,
}

/// Message 3, A → B.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    /// Framing header.
    pub header: Header,
    /// A's nonce, opening its commitment.
    pub nonce: [u8; 32],
    /// What B learns of the intersection.
    pub outcome: Outcome,
    /// A's values for matched accounts (fields level).
    pub sealed: Sealed,
}

/// Message 4 (optional), B → A.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldsMessage {
    /// Framing header.
    pub header: Header,
    /// B's values for the matched accounts A claimed and proved.
    pub sealed: Sealed,
}

/// What the receiver knows before reading a message: the header it expects and the bounds.
#[derive(Clone, Copy, Debug)]
pub struct Expect<'a> {
    /// The session id (`None` for an offer: it chooses the session).
    pub session: Option<&'a [u8; 16]>,
    /// The transcript hash the message must carry.
    pub transcript: &'a [u8; 32],
    /// Largest partner list accepted.
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
        w.u8(p.role.byte());
    }
    w.str8(&a.name_keys);
    w.u8(a.min_combination);
}

fn write_elements(w: &mut Writer, els: &[Element]) {
    w.reserve(4 + els.len() * 34);
    w.u32(els.len() as u32);
    for e in els {
        w.bytes(&e.point);
        w.u16(e.label);
    }
}

fn write_sealed(w: &mut Writer, s: &Sealed) {
    w.u8(s.names.len() as u8);
    for n in &s.names {
        w.str16(n);
    }
    w.u32(s.entries.len() as u32);
    for (position, bytes) in &s.entries {
        w.u32(*position);
        w.u32(bytes.len() as u32);
        w.bytes(bytes);
    }
}

impl Offer {
    /// The message bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(&self.header);
        write_announcement(&mut w, &self.from);
        w.bytes(&self.commitment);
        write_elements(&mut w, &self.queries);
        w.finish()
    }
}

impl Reply {
    /// The message bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(&self.header);
        write_announcement(&mut w, &self.from);
        w.bytes(&self.nonce);
        match &self.answers {
            Answers::InOrder(v) => {
                w.u8(0);
                w.reserve(4 + v.len() * 32);
                w.u32(v.len() as u32);
                for p in v {
                    w.bytes(p);
                }
            }
            Answers::Shuffled(v) => {
                w.u8(1);
                write_elements(&mut w, v);
            }
        }
        w.reserve(4 + self.tags.len() * (TAG + 2));
        w.u32(self.tags.len() as u32);
        for t in &self.tags {
            w.bytes(&t.tag);
            w.u16(t.label);
        }
        w.finish()
    }
}

/// Bytes of a bitmap over `m` positions.
pub fn bitmap_len(m: usize) -> usize {
    m.div_ceil(8)
}

impl Confirm {
    /// The message bytes; `responder_set` is the size of the responder's T (the bitmap's length).
    pub fn encode(&self, responder_set: usize) -> Vec<u8> {
        let mut w = Writer::new(&self.header);
        w.bytes(&self.nonce);
        match &self.outcome {
            Outcome::Pairs(pairs) => {
                w.u8(0);
                w.u32(pairs.len() as u32);
                for &(mine, theirs) in pairs {
                    w.u16(mine);
                    w.u16(theirs);
                }
            }
            Outcome::Matches(claims) => {
                w.u8(1);
                let mut bitmap = vec![0u8; bitmap_len(responder_set)];
                for c in claims {
                    if let Some(b) = bitmap.get_mut(c.position as usize / 8) {
                        *b |= 0x80 >> (c.position % 8);
                    }
                }
                w.bytes(&bitmap);
                w.reserve(claims.len() * (PROOF + 2));
                for c in claims {
                    w.bytes(&c.proof);
                    w.u16(c.label);
                }
            }
        }
        write_sealed(&mut w, &self.sealed);
        w.finish()
    }
}

impl FieldsMessage {
    /// The message bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(&self.header);
        write_sealed(&mut w, &self.sealed);
        w.finish()
    }
}

/// One account's values, as sealed: `u16 rows (1..=64)`, then `rows × width × str16`.
pub fn encode_values(rows: &crate::model::FieldRows) -> Vec<u8> {
    let mut out = Vec::new();
    let n = rows.len().min(MAX_SHARED_ROWS);
    out.extend_from_slice(&(n as u16).to_be_bytes());
    for r in 0..n {
        for c in 0..rows.width() {
            let v = cut(rows.value(r, c), MAX_SHARED_VALUE);
            out.extend_from_slice(&(v.len() as u16).to_be_bytes());
            out.extend_from_slice(v.as_bytes());
        }
    }
    out
}

/// `s` cut to at most `max` bytes at a character boundary.
pub fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Decodes one account's opened values for `width` columns.
///
/// # Errors
/// [`MessageError::Malformed`] for a row count outside `1..=64`, a value above 1,024 bytes, bytes
/// that are not UTF-8, or bytes left over.
pub fn decode_values(plain: &[u8], width: usize) -> Result<crate::model::FieldRows, MessageError> {
    let bad = MessageError::Malformed { what: "shared values" };
    let n = u16::from_be_bytes([*plain.first().ok_or(bad.clone())?, *plain.get(1).ok_or(bad.clone())?]) as usize;
    // Every value costs at least its two length bytes: a count the bytes cannot pay for is refused
    // before anything is built.
    if n == 0 || n > MAX_SHARED_ROWS || width == 0 || n * width * 2 > plain.len() - 2 {
        return Err(bad);
    }
    let mut rows = crate::model::FieldRows::with_capacity(width, n, plain.len() - 2 - n * width * 2);
    let mut pos = 2;
    let mut row: Vec<&str> = Vec::with_capacity(width);
    for _ in 0..n {
        row.clear();
        for _ in 0..width {
            let len = plain.get(pos..pos + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as usize).ok_or(bad.clone())?;
            if len > MAX_SHARED_VALUE {
                return Err(bad);
            }
            let v = plain.get(pos + 2..pos + 2 + len).ok_or(bad.clone())?;
            row.push(std::str::from_utf8(v).map_err(|_| bad.clone())?);
            pos += 2 + len;
        }
        rows.push(row.iter().copied());
    }
    if pos != plain.len() {
        return Err(bad);
    }
    Ok(rows)
}

// ---- reading ----

/// Opens a message, checks it is of `kind` and that its header belongs where the receiver is —
/// all before any of its lists is read.
///
/// # Errors
/// Framing errors; [`MessageError::OutOfOrder`] for another kind; then the normalization version,
/// the session and the transcript, each its own error.
pub fn open_as<'a>(msg: &'a [u8], kind: Kind, expect: &Expect<'_>) -> Result<(Header, Reader<'a>), MessageError> {
    let (h, r) = wire::open(msg)?;
    if h.kind != kind {
        return Err(MessageError::OutOfOrder { expected: kind.name(), found: h.kind.name() });
    }
    if h.normalization != normalize::VERSION {
        return Err(MessageError::NormalizationMismatch { mine: normalize::VERSION.into(), theirs: h.normalization.clone() });
    }
    if let Some(s) = expect.session {
        if &h.session != s {
            return Err(MessageError::OtherSession);
        }
    }
    if &h.transcript != expect.transcript {
        return Err(if expect.session.is_none() {
            MessageError::Malformed { what: "transcript hash of a first message" }
        } else {
            MessageError::TranscriptMismatch
        });
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
        let role =
            PopulationRole::from_byte(r.u8("population role")?).ok_or(MessageError::Malformed { what: "population role" })?;
        populations.push(Population { name, size, role });
    }
    let name_keys = r.str8("name-key policy")?;
    if !NAME_KEY_POLICIES.contains(&name_keys.as_str()) {
        return Err(MessageError::Malformed { what: "name-key policy" });
    }
    let min_combination = r.u8("minimum combination size")?;
    Ok(Announcement { sharing, fields, populations, name_keys, min_combination })
}

/// Refuses a count the bytes left cannot hold (`width` bytes each), before allocating for it.
fn check_count(r: &Reader<'_>, n: usize, width: usize, what: &'static str) -> Result<(), MessageError> {
    if r.remaining() / width < n {
        return Err(MessageError::CountMismatch { what, expected: n, found: r.remaining() / width });
    }
    Ok(())
}

fn check_labels(label: u16, pops: usize) -> Result<(), MessageError> {
    // Bits above the announced populations: `pops` is at most 16, so shift in u32.
    if u32::from(label) >> pops != 0 {
        return Err(MessageError::Malformed { what: "element population bits" });
    }
    Ok(())
}

fn read_element_list(r: &mut Reader<'_>, n: usize, pops: usize) -> Result<Vec<Element>, MessageError> {
    check_count(r, n, 34, "elements")?;
    let mut v: Vec<Element> = Vec::with_capacity(n);
    for i in 0..n {
        let point = r.array::<32>("element")?;
        let label = r.u16("element label")?;
        check_labels(label, pops)?;
        if v.last().is_some_and(|p| p.point >= point) {
            return Err(MessageError::DuplicateElement { index: i });
        }
        v.push(Element { point, label });
    }
    Ok(v)
}

fn read_sealed(r: &mut Reader<'_>, at_most: usize, announced: &Announcement) -> Result<Sealed, MessageError> {
    let nf = r.u8("shared field count")? as usize;
    if nf > MAX_FIELDS {
        return Err(MessageError::Oversize { what: "number of shared fields", limit: MAX_FIELDS, found: nf });
    }
    let mut names = Vec::with_capacity(nf);
    for _ in 0..nf {
        names.push(r.str16("shared field name")?);
    }
    let e = r.u32("shared entry count")? as usize;
    if e > at_most {
        return Err(MessageError::CountMismatch {
            what: "shared entries (at most the matched accounts)",
            expected: at_most,
            found: e,
        });
    }
    // An entry is at least its position, its length and the AEAD tag.
    check_count(r, e, 8 + SEAL_OVERHEAD, "shared entries")?;
    if e > 0 && (announced.sharing != Sharing::Fields || names != announced.fields) {
        return Err(MessageError::Malformed { what: "shared fields (not the ones the partner announced)" });
    }
    let mut entries: Vec<(u32, Vec<u8>)> = Vec::with_capacity(e);
    for _ in 0..e {
        let position = r.u32("shared entry position")?;
        if entries.last().is_some_and(|(p, _)| *p >= position) {
            return Err(MessageError::Malformed { what: "shared entry position" });
        }
        let len = r.u32("shared entry length")? as usize;
        if len < SEAL_OVERHEAD + 2 || len > r.remaining() {
            return Err(MessageError::Malformed { what: "shared entry length" });
        }
        entries.push((position, r.bytes(len, "shared entry")?.to_vec()));
    }
    Ok(Sealed { names, entries })
}

impl Offer {
    /// Parses an offer.
    ///
    /// # Errors
    /// Any [`MessageError`]: framing, kind, normalization version, counts, order, a list above
    /// `max_set`.
    pub fn decode(msg: &[u8], max_set: usize) -> Result<Offer, MessageError> {
        let (header, mut r) = open_as(msg, Kind::Offer, &Expect { session: None, transcript: &[0; 32], max_set })?;
        let from = read_announcement(&mut r)?;
        let commitment = r.array::<32>("commitment")?;
        let n = r.u32("element count")? as usize;
        if n > max_set {
            return Err(MessageError::Oversize { what: "set size", limit: max_set, found: n });
        }
        let queries = read_element_list(&mut r, n, from.populations.len())?;
        r.end()?;
        Ok(Offer { header, from, commitment, queries })
    }
}

impl Reply {
    /// Parses a reply. `answers` is how many answers the starter expects: all its queries (in
    /// order), or its labelled ones (shuffled); `my_pops` its populations.
    ///
    /// # Errors
    /// Any [`MessageError`].
    pub fn decode(
        msg: &[u8],
        expect: &Expect<'_>,
        queries: usize,
        labelled: usize,
        my_pops: usize,
    ) -> Result<Reply, MessageError> {
        let (header, mut r) = open_as(msg, Kind::Reply, expect)?;
        let from = read_announcement(&mut r)?;
        let nonce = r.array::<32>("nonce")?;
        let order = r.u8("answer order")?;
        let n = r.u32("answer count")? as usize;
        let answers = match order {
            0 => {
                if n != queries {
                    return Err(MessageError::CountMismatch { what: "answers to our elements", expected: queries, found: n });
                }
                check_count(&r, n, 32, "answers")?;
                let mut v = Vec::with_capacity(n);
                for _ in 0..n {
                    v.push(r.array::<32>("answer")?);
                }
                Answers::InOrder(v)
            }
            1 => {
                if n != labelled {
                    return Err(MessageError::CountMismatch { what: "answers to our elements", expected: labelled, found: n });
                }
                Answers::Shuffled(read_element_list(&mut r, n, my_pops)?)
            }
            _ => return Err(MessageError::Malformed { what: "answer order" }),
        };
        let m = r.u32("tag count")? as usize;
        if m > expect.max_set {
            return Err(MessageError::Oversize { what: "set size", limit: expect.max_set, found: m });
        }
        check_count(&r, m, TAG + 2, "tags")?;
        let pops = from.populations.len();
        let mut tags: Vec<Tagged> = Vec::with_capacity(m);
        for i in 0..m {
            let tag = r.array::<TAG>("tag")?;
            let label = r.u16("tag label")?;
            check_labels(label, pops)?;
            if tags.last().is_some_and(|t| t.tag >= tag) {
                return Err(MessageError::DuplicateElement { index: i });
            }
            tags.push(Tagged { tag, label });
        }
        r.end()?;
        Ok(Reply { header, from, nonce, answers, tags })
    }
}

impl Confirm {
    /// Parses a confirm for a responder that sent `sent` tags and has `my_pops` populations; the
    /// starter announced `partner`.
    ///
    /// # Errors
    /// Any [`MessageError`].
    pub fn decode(
        msg: &[u8],
        expect: &Expect<'_>,
        sent: usize,
        my_pops: usize,
        partner: &Announcement,
    ) -> Result<Confirm, MessageError> {
        let (header, mut r) = open_as(msg, Kind::Confirm, expect)?;
        let nonce = r.array::<32>("nonce")?;
        let theirs = partner.populations.len();
        let outcome = match r.u8("result kind")? {
            0 => {
                let p = r.u32("pair count")? as usize;
                if p > sent {
                    return Err(MessageError::CountMismatch {
                        what: "matched pairs (at most our set size)",
                        expected: sent,
                        found: p,
                    });
                }
                check_count(&r, p, 4, "matched pairs")?;
                let mut pairs = Vec::with_capacity(p);
                for _ in 0..p {
                    let (mine, other) = (r.u16("pair")?, r.u16("pair")?);
                    check_labels(mine, my_pops)?;
                    check_labels(other, theirs)?;
                    if pairs.last().is_some_and(|&last| last > (mine, other)) {
                        return Err(MessageError::Malformed { what: "matched pairs (not sorted)" });
                    }
                    pairs.push((mine, other));
                }
                Outcome::Pairs(pairs)
            }
            1 => {
                let bitmap = r.bytes(bitmap_len(sent), "match bitmap")?;
                let claimed: usize = bitmap.iter().map(|b| b.count_ones() as usize).sum();
                if sent % 8 != 0 && bitmap.last().is_some_and(|b| b & (0xffu8 >> (sent % 8)) != 0) {
                    return Err(MessageError::Malformed { what: "match bitmap (bits past the end)" });
                }
                check_count(&r, claimed, PROOF + 2, "claimed matches")?;
                let mut claims = Vec::with_capacity(claimed);
                for (byte, &bits) in bitmap.iter().enumerate() {
                    for bit in 0..8 {
                        if bits & (0x80 >> bit) != 0 {
                            let proof = r.array::<PROOF>("match proof")?;
                            let label = r.u16("match label")?;
                            check_labels(label, theirs)?;
                            claims.push(Claim { position: (byte * 8 + bit) as u32, proof, label });
                        }
                    }
                }
                Outcome::Matches(claims)
            }
            _ => return Err(MessageError::Malformed { what: "result kind" }),
        };
        let matched = match &outcome {
            Outcome::Matches(c) => c.len(),
            Outcome::Pairs(_) => 0,
        };
        let sealed = read_sealed(&mut r, matched, partner)?;
        if let Outcome::Matches(claims) = &outcome {
            // Sealed entries only for claimed positions.
            let mut i = 0;
            for (p, _) in &sealed.entries {
                while i < claims.len() && claims[i].position < *p {
                    i += 1;
                }
                if claims.get(i).map(|c| c.position) != Some(*p) {
                    return Err(MessageError::Malformed { what: "shared entry position (not a claimed match)" });
                }
            }
        }
        r.end()?;
        Ok(Confirm { header, nonce, outcome, sealed })
    }
}

impl FieldsMessage {
    /// Parses a fields message for a starter that matched the positions `matched` (sorted).
    ///
    /// # Errors
    /// Any [`MessageError`].
    pub fn decode(
        msg: &[u8],
        expect: &Expect<'_>,
        matched: &[u32],
        partner: &Announcement,
    ) -> Result<FieldsMessage, MessageError> {
        let (header, mut r) = open_as(msg, Kind::Fields, expect)?;
        let sealed = read_sealed(&mut r, matched.len(), partner)?;
        if sealed.entries.iter().any(|(p, _)| matched.binary_search(p).is_err()) {
            return Err(MessageError::Malformed { what: "shared entry position (not one of our matches)" });
        }
        r.end()?;
        Ok(FieldsMessage { header, sealed })
    }
}
