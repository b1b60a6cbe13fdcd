//! Quick mode: keyed hashes under a secret both partners typed.
//!
//! Two lists, in order. The **first** partner starts a session: a fresh random 16-byte session
//! id, and its list keyed for that session ([`start`]). The **second** partner reads the session
//! id from that list, derives the same keys, checks the list and answers with its own list for
//! the same session, getting its report at once ([`answer`]). The first partner then matches
//! the answer ([`finish`]), which must belong to the session it started: it keeps the session id
//! (and only that) in between.
//!
//! Keys (docs/PROTOCOL.md §6): `master = Argon2id(typed secret, "overlap/quick/v2" ‖ session id)`
//! with [`KDF_MEMORY_KIB`], [`KDF_PASSES`], one lane; then three subkeys, each
//! `HKDF-Expand(master, "overlap/quick/v2 <label>", 32)` = `HMAC-SHA256(master, info ‖ 0x01)`:
//! `element` keys every element (`HMAC(element, kind ‖ value)`), `mac` authenticates the whole
//! list (HMAC-SHA256 over every byte before the code), and `key-check`'s first 16 bytes travel in
//! the list so that a partner who typed another secret gets [`MessageError::WrongSecret`]
//! instead of a silent empty overlap — checked before anything else is decoded.
//!
//! It is fast once the key is derived (one HMAC per key) but **weaker** than the private
//! protocol: the partner knows the secret, so it can key any guessed domain and test it against
//! our list. The memory-hard derivation only makes guessing the *secret* from a list expensive.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::elements::Elements;
use super::passphrase::{self, SecretError};
use super::wire::{self, Header, Kind, Writer};
use super::MessageError;
use crate::ingest::Dataset;
use crate::normalize;
use crate::report::{Population, Report};

type HmacSha256 = Hmac<Sha256>;

/// Domain separation of everything quick mode derives.
const DOMAIN: &[u8] = b"overlap/quick/v2";
/// Argon2id memory, in KiB (128 MiB): about half a second in a browser (docs/PROTOCOL.md §6).
pub const KDF_MEMORY_KIB: u32 = 128 * 1024;
/// Argon2id passes over the memory.
pub const KDF_PASSES: u32 = 3;
/// Argon2id lanes (the wasm build has one thread per call).
pub const KDF_LANES: u32 = 1;
/// At most this many populations per party.
pub const MAX_POPULATIONS: usize = 16;
/// Default maximum elements accepted from a partner.
pub const DEFAULT_MAX_PARTNER_SET: usize = 5_000_000;
/// Bytes of one element on the wire: tag and population bits.
const ELEMENT: usize = 32 + 2;
/// Bytes of the authentication code.
const MAC_LEN: usize = 32;
/// Bytes of the key-check value.
const CHECK_LEN: usize = 16;

/// A session id: 16 random bytes chosen by the first partner, the salt of the key derivation.
pub type SessionId = [u8; 16];

/// Which partner made a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Started the session.
    First,
    /// Answered the first partner's list.
    Second,
}

impl Role {
    fn byte(self) -> u8 {
        match self {
            Role::First => 1,
            Role::Second => 2,
        }
    }
    fn from_byte(b: u8) -> Option<Role> {
        match b {
            1 => Some(Role::First),
            2 => Some(Role::Second),
            _ => None,
        }
    }
    /// `first` or `second`, as errors and the CLI say it.
    pub fn name(self) -> &'static str {
        match self {
            Role::First => "first",
            Role::Second => "second",
        }
    }
}

/// The typed secret, checked for strength. Never printed; zeroized on drop.
pub struct Secret {
    typed: Zeroizing<Vec<u8>>,
}

impl Secret {
    /// A secret from what the partners agreed on.
    ///
    /// # Errors
    /// A [`SecretError`] when it is shorter than 12 characters or estimated too weak
    /// ([`passphrase::check`]).
    pub fn new(typed: &str) -> Result<Secret, SecretError> {
        passphrase::check(typed)?;
        Ok(Secret { typed: Zeroizing::new(typed.as_bytes().to_vec()) })
    }

    /// A secret from bytes (a secret file), which must be UTF-8.
    ///
    /// # Errors
    /// [`SecretError::NotText`], or as [`Secret::new`].
    pub fn from_bytes(typed: &[u8]) -> Result<Secret, SecretError> {
        Secret::new(std::str::from_utf8(typed).map_err(|_| SecretError::NotText)?)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Why a quick-mode step cannot go on. Never quotes a value from either party's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuickError {
    /// The partner's list is invalid for this step.
    Message(MessageError),
    /// The key derivation's memory could not be had.
    Memory,
    /// The platform gave no randomness.
    Randomness,
}

impl QuickError {
    /// A stable machine-readable code: `message/<fault>`, `memory`, `randomness`.
    pub fn code(&self) -> String {
        match self {
            QuickError::Message(m) => format!("message/{}", m.code()),
            QuickError::Memory => "memory".into(),
            QuickError::Randomness => "randomness".into(),
        }
    }
}

impl std::fmt::Display for QuickError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QuickError::Message(m) => m.fmt(f),
            QuickError::Memory => {
                write!(f, "the key derivation needs {} MiB of memory, which this platform refused", KDF_MEMORY_KIB / 1024)
            }
            QuickError::Randomness => f.write_str("this platform gave no secure randomness"),
        }
    }
}

impl std::error::Error for QuickError {}

impl From<MessageError> for QuickError {
    fn from(e: MessageError) -> Self {
        QuickError::Message(e)
    }
}

/// Argon2id with our parameters, into `out`; its working memory is zeroized after use.
fn argon2id(password: &[u8], salt: &[u8], memory_kib: u32, passes: u32, out: &mut [u8]) -> Result<(), QuickError> {
    use argon2::{Algorithm, Argon2, Block, Params, Version};
    let params = Params::new(memory_kib, passes, KDF_LANES, Some(out.len())).map_err(|_| QuickError::Memory)?;
    let mut blocks: Zeroizing<Vec<Block>> = Zeroizing::new(Vec::new());
    blocks.try_reserve_exact(params.block_count()).map_err(|_| QuickError::Memory)?;
    blocks.resize(params.block_count(), Block::default());
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into_with_memory(password, salt, out, &mut blocks[..])
        // Only reachable with parameters or lengths out of Argon2's ranges, which ours are not.
        .map_err(|_| QuickError::Memory)
}

/// The keys of one session, derived from the typed secret and the session id. Zeroized on drop.
pub struct Keys {
    session: SessionId,
    element: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
    check: [u8; CHECK_LEN],
}

impl Keys {
    /// Derives a session's keys: one Argon2id (about half a second in a browser), then HKDF.
    ///
    /// # Errors
    /// [`QuickError::Memory`] when the memory ([`KDF_MEMORY_KIB`]) cannot be had.
    pub fn derive(secret: &Secret, session: &SessionId) -> Result<Keys, QuickError> {
        let mut salt = [0u8; 32];
        salt[..16].copy_from_slice(DOMAIN);
        salt[16..].copy_from_slice(session);
        let mut master = Zeroizing::new([0u8; 32]);
        argon2id(&secret.typed, &salt, KDF_MEMORY_KIB, KDF_PASSES, &mut master[..])?;
        let expand = |label: &str| -> Zeroizing<[u8; 32]> {
            // HKDF-Expand (RFC 5869) for one block: T(1) = HMAC(PRK, info ‖ 0x01).
            let mut m = <HmacSha256 as Mac>::new_from_slice(&master[..]).expect("HMAC takes any key length");
            m.update(DOMAIN);
            m.update(b" ");
            m.update(label.as_bytes());
            m.update(&[1]);
            Zeroizing::new(m.finalize().into_bytes().into())
        };
        let check_key = expand("key-check");
        let mut check = [0u8; CHECK_LEN];
        check.copy_from_slice(&check_key[..CHECK_LEN]);
        Ok(Keys { session: *session, element: expand("element"), mac: expand("mac"), check })
    }

    /// The session these keys belong to.
    pub fn session(&self) -> &SessionId {
        &self.session
    }

    fn mac(&self) -> HmacSha256 {
        <HmacSha256 as Mac>::new_from_slice(&self.mac[..]).expect("HMAC takes any key length")
    }
}

/// A strong secret to suggest (six short words from the platform's CSPRNG; see
/// [`passphrase::suggest`]).
///
/// # Errors
/// [`QuickError::Randomness`].
pub fn suggest_secret() -> Result<String, QuickError> {
    passphrase::suggest().map_err(|_| QuickError::Randomness)
}

/// A fresh random session id.
///
/// # Errors
/// [`QuickError::Randomness`].
pub fn new_session() -> Result<SessionId, QuickError> {
    let mut s = [0u8; 16];
    getrandom::fill(&mut s).map_err(|_| QuickError::Randomness)?;
    Ok(s)
}

/// One keyed element: tag and population bits.
type Element = ([u8; 32], u16);

/// My elements for my role in the session — the private protocol's elements
/// ([`super::elements::Elements`]: one per key, paired names as role and place tokens, so that
/// names match exactly where they would in the private protocol) — each keyed:
/// `HMAC(k_element, encoding)`.
fn elements(dataset: &Dataset, keys: &Keys, mine: Role) -> (Elements, Vec<Element>) {
    let mac = <HmacSha256 as Mac>::new_from_slice(&keys.element[..]).expect("HMAC takes any key length");
    let side = match mine {
        Role::First => super::settings::Role::Starter,
        Role::Second => super::settings::Role::Responder,
    };
    let e = Elements::of(dataset, side);
    let tagged = (0..e.len())
        .map(|i| {
            let mut m = mac.clone();
            let (a, b) = (e.job.key_offsets[i] as usize, e.job.key_offsets[i + 1] as usize);
            m.update(&e.job.keys[a..b]);
            (m.finalize().into_bytes().into(), e.labels[i])
        })
        .collect();
    (e, tagged)
}

/// The sorted, distinct elements I send (equal tags, which only equal encodings give, merged).
fn sent(mine: &[Element]) -> Vec<Element> {
    let mut els: Vec<Element> = mine.to_vec();
    crate::sort::by_key(&mut els, |e| crate::sort::bytes32(&e.0));
    els.dedup_by(|next, kept| {
        if next.0 == kept.0 {
            kept.1 |= next.1;
            true
        } else {
            false
        }
    });
    els
}

/// Population names and roles with the number of sent elements in each.
fn population_sizes(dataset: &Dataset, els: &[Element]) -> Vec<Population> {
    dataset
        .populations()
        .iter()
        .enumerate()
        .map(|(i, name)| Population {
            name: name.clone(),
            size: els.iter().filter(|e| e.1 & (1 << i) != 0).count() as u32,
            role: dataset.population_roles().get(i).copied().unwrap_or_default(),
        })
        .collect()
}

/// My keyed list for `keys`' session, as a message for the partner.
///
/// Layout after the common header (docs/PROTOCOL.md §6): role, key-check value, populations,
/// elements, then the MAC over every byte before it (and the framing's checksum).
pub fn make_list(dataset: &Dataset, keys: &Keys, role: Role) -> Vec<u8> {
    let els = sent(&elements(dataset, keys, role).1);
    let header = Header {
        kind: Kind::QuickList,
        session: keys.session,
        transcript: [0; 32],
        normalization: normalize::VERSION.to_string(),
    };
    let mut w = Writer::new(&header);
    w.u8(role.byte());
    w.bytes(&keys.check);
    let pops = population_sizes(dataset, &els);
    w.u8(pops.len().min(MAX_POPULATIONS) as u8);
    for p in pops.iter().take(MAX_POPULATIONS) {
        w.str8(&p.name);
        w.u32(p.size);
        w.u8(p.role.byte());
    }
    w.reserve(els.len() * ELEMENT + 4 + MAC_LEN + wire::CHECKSUM);
    w.u32(els.len() as u32);
    for (tag, label) in &els {
        w.bytes(tag);
        w.u16(*label);
    }
    w.seal(|content| {
        let mut m = keys.mac();
        m.update(content);
        m.finalize().into_bytes().into()
    })
}

/// Re-authenticates a list after editing it: recomputes its MAC and checksum under `keys`. What
/// any holder of the secret (the partner) can do, so it gives nothing away; the tests and the
/// fuzzer use it to reach the checks behind the MAC. Lists too short to hold a MAC are left as
/// they are.
pub fn reauthenticate(msg: &mut [u8], keys: &Keys) {
    let Some(end) = msg.len().checked_sub(MAC_LEN + wire::CHECKSUM) else { return };
    let mut m = keys.mac();
    m.update(&msg[..end]);
    let code: [u8; 32] = m.finalize().into_bytes().into();
    msg[end..end + MAC_LEN].copy_from_slice(&code);
    let sum = <Sha256 as sha2::Digest>::digest(&msg[..end + MAC_LEN]);
    msg[end + MAC_LEN..].copy_from_slice(&sum);
}

/// What a list's header says, read without any key: enough to derive the keys or refuse the
/// list before the expensive derivation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListHeader {
    /// The session it belongs to.
    pub session: SessionId,
    /// Who made it.
    pub role: Role,
    /// Elements it announces (not yet checked).
    pub elements: u32,
}

/// Reads a list's framing and header (checksum included) without any key.
///
/// # Errors
/// A [`MessageError`] for anything that is not a quick-mode list.
pub fn peek(msg: &[u8]) -> Result<ListHeader, MessageError> {
    let (header, mut r) = wire::open(msg)?;
    if header.kind != Kind::QuickList {
        return Err(MessageError::OutOfOrder { expected: Kind::QuickList.name(), found: header.kind.name() });
    }
    let role = Role::from_byte(r.u8("role")?).ok_or(MessageError::Malformed { what: "role" })?;
    r.bytes(CHECK_LEN, "key check")?;
    let npops = r.u8("population count")? as usize;
    for _ in 0..npops.min(MAX_POPULATIONS + 1) {
        r.str8("population name")?;
        r.u32("population size")?;
        r.u8("population role")?;
    }
    let elements = if npops <= MAX_POPULATIONS { r.u32("element count")? } else { 0 };
    Ok(ListHeader { session: header.session, role, elements })
}

/// A partner's list, authenticated, parsed and checked.
struct PartnerList {
    populations: Vec<Population>,
    elements: Vec<Element>,
}

/// Constant-time equality of two byte strings of equal length.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Opens a partner's list for `keys`' session, made by `expect`. Checks, in order: framing and
/// checksum, kind, session, role, key-check value (another secret), the MAC over the whole list
/// (altered), transcript field, normalization version, then the body strictly; sizes are bounded
/// by the bytes present before anything is allocated.
fn open_list(msg: &[u8], keys: &Keys, expect: Role, max_set: usize) -> Result<PartnerList, MessageError> {
    let (header, mut r) = wire::open(msg)?;
    if header.kind != Kind::QuickList {
        return Err(MessageError::OutOfOrder { expected: Kind::QuickList.name(), found: header.kind.name() });
    }
    if header.session != keys.session {
        return Err(MessageError::OtherSession);
    }
    let role = Role::from_byte(r.u8("role")?).ok_or(MessageError::Malformed { what: "role" })?;
    if role != expect {
        return Err(MessageError::WrongRole { expected: expect.name(), found: role.name() });
    }
    let kcv = r.bytes(CHECK_LEN, "key check")?;
    if !same(kcv, &keys.check) {
        return Err(MessageError::WrongSecret);
    }
    // The MAC: the last 32 bytes before the checksum, over every byte before them.
    let content = &msg[..msg.len() - wire::CHECKSUM];
    if r.remaining() < MAC_LEN {
        return Err(MessageError::Truncated { what: "authentication code" });
    }
    let (signed, code) = content.split_at(content.len() - MAC_LEN);
    let mut m = keys.mac();
    m.update(signed);
    if m.verify_slice(code).is_err() {
        return Err(MessageError::Altered);
    }
    if header.transcript != [0; 32] {
        return Err(MessageError::Malformed { what: "transcript hash" });
    }
    if header.normalization != normalize::VERSION {
        return Err(MessageError::NormalizationMismatch { mine: normalize::VERSION.to_string(), theirs: header.normalization });
    }
    let npops = r.u8("population count")? as usize;
    if npops > MAX_POPULATIONS {
        return Err(MessageError::Oversize { what: "population count", limit: MAX_POPULATIONS, found: npops });
    }
    let mut populations = Vec::with_capacity(npops);
    for _ in 0..npops {
        let name = r.str8("population name")?;
        let size = r.u32("population size")?;
        let role = crate::model::PopulationRole::from_byte(r.u8("population role")?)
            .ok_or(MessageError::Malformed { what: "population role" })?;
        populations.push(Population { name, size, role });
    }
    let n = r.u32("element count")? as usize;
    if n > max_set {
        return Err(MessageError::Oversize { what: "set size", limit: max_set, found: n });
    }
    // Bound the count by the bytes present before allocating for it. (Strings read above may have
    // run into the MAC's place: then fewer than its 32 bytes are left.)
    let body = r.remaining().checked_sub(MAC_LEN).ok_or(MessageError::Truncated { what: "authentication code" })?;
    if n.checked_mul(ELEMENT) != Some(body) {
        return Err(MessageError::CountMismatch { what: "elements", expected: n, found: body / ELEMENT });
    }
    let mut elements: Vec<Element> = Vec::with_capacity(n);
    let mut counts = [0u32; MAX_POPULATIONS];
    for i in 0..n {
        let tag: [u8; 32] = r.array("element")?;
        let label = r.u16("element label")?;
        // Bits above the announced populations (none to check with all 16).
        if npops < MAX_POPULATIONS && label >> npops != 0 {
            return Err(MessageError::Malformed { what: "element population bits" });
        }
        if elements.last().is_some_and(|(prev, _)| *prev >= tag) {
            return Err(MessageError::DuplicateElement { index: i });
        }
        for (b, c) in counts.iter_mut().enumerate().take(npops) {
            *c += u32::from(label >> b & 1);
        }
        elements.push((tag, label));
    }
    for (p, &c) in populations.iter().zip(&counts) {
        if p.size != c {
            return Err(MessageError::CountMismatch {
                what: "elements in a population",
                expected: p.size as usize,
                found: c as usize,
            });
        }
    }
    r.bytes(MAC_LEN, "authentication code")?;
    r.end()?;
    Ok(PartnerList { populations, elements })
}

/// Matches my dataset against a partner's list made by `expect` for `keys`' session.
///
/// # Errors
/// A [`MessageError`] when the list is not a valid quick-mode list of that role, session and
/// secret.
pub fn match_list(
    dataset: &Dataset,
    keys: &Keys,
    expect: Role,
    partner: &[u8],
    max_partner_set: usize,
) -> Result<Report, MessageError> {
    let theirs = open_list(partner, keys, expect, max_partner_set)?;
    let me = match expect {
        Role::First => Role::Second,
        Role::Second => Role::First,
    };
    let (e, mine) = elements(dataset, keys, me);
    let mut key_matches: Vec<Option<u16>> = vec![None; dataset.keys().len()];
    let mut place = vec![false; dataset.keys().len()];
    let mut matched = 0;
    for (el, (tag, _)) in mine.iter().enumerate() {
        if let Ok(i) = theirs.elements.binary_search_by(|x| x.0.cmp(tag)) {
            matched += 1;
            for k in e.keys_of(el as u32) {
                let slot = &mut key_matches[k as usize];
                *slot = Some(slot.unwrap_or(0) | theirs.elements[i].1);
                place[k as usize] |= e.place[el];
            }
        }
    }
    let my_populations = population_sizes(dataset, &sent(&mine));
    let mut report = Report::from_key_matches(dataset, my_populations, theirs.populations, theirs.elements.len(), &key_matches)
        .with_matched_elements(matched);
    report.mark_place_evidence(dataset, &place);
    Ok(report)
}

/// The first partner's list and the session to remember until the answer comes.
pub struct Started {
    /// The list, for the partner.
    pub message: Vec<u8>,
    /// The session id: keep it (it is not secret) to finish; nothing else is needed.
    pub session: SessionId,
}

/// The first partner starts a session: a fresh session id and my list for it.
///
/// # Errors
/// [`QuickError::Randomness`] or [`QuickError::Memory`].
pub fn start(dataset: &Dataset, secret: &Secret) -> Result<Started, QuickError> {
    start_with(dataset, secret, new_session()?)
}

/// [`start`] with a given session id (tests and known-answer vectors).
///
/// # Errors
/// [`QuickError::Memory`].
pub fn start_with(dataset: &Dataset, secret: &Secret, session: SessionId) -> Result<Started, QuickError> {
    let keys = Keys::derive(secret, &session)?;
    Ok(Started { message: make_list(dataset, &keys, Role::First), session })
}

/// The second partner's list and report.
pub struct Answered {
    /// My list, for the first partner.
    pub message: Vec<u8>,
    /// My result.
    pub report: Report,
}

/// The second partner answers the first partner's list: checks it (another secret is named
/// before anything else is decoded), makes my list for the same session and matches.
///
/// # Errors
/// A [`QuickError`]; [`MessageError::WrongRole`] for a list that is itself an answer.
pub fn answer(dataset: &Dataset, secret: &Secret, first: &[u8], max_partner_set: usize) -> Result<Answered, QuickError> {
    let head = peek(first)?;
    if head.role != Role::First {
        return Err(MessageError::WrongRole { expected: Role::First.name(), found: head.role.name() }.into());
    }
    let keys = Keys::derive(secret, &head.session)?;
    let report = match_list(dataset, &keys, Role::First, first, max_partner_set)?;
    Ok(Answered { message: make_list(dataset, &keys, Role::Second), report })
}

/// The first partner matches the answer to the session it started.
///
/// # Errors
/// A [`QuickError`]: [`MessageError::OtherSession`] for an answer to another session (an old
/// list), [`MessageError::WrongRole`] for a first list (my own sent back), checked before the
/// key derivation.
pub fn finish(
    dataset: &Dataset,
    secret: &Secret,
    session: &SessionId,
    second: &[u8],
    max_partner_set: usize,
) -> Result<Report, QuickError> {
    let head = peek(second)?;
    if head.session != *session {
        return Err(MessageError::OtherSession.into());
    }
    if head.role != Role::Second {
        return Err(MessageError::WrongRole { expected: Role::Second.name(), found: head.role.name() }.into());
    }
    let keys = Keys::derive(secret, session)?;
    Ok(match_list(dataset, &keys, Role::Second, second, max_partner_set)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read, Options, PopulationRule};

    const SECRET: &str = "acid-acorn-acre-acts-afar-affix";

    fn ds(csv: &str) -> Dataset {
        read(csv.as_bytes(), &Options::default()).unwrap()
    }

    fn secret() -> Secret {
        Secret::new(SECRET).unwrap()
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn argon2id_known_answers() {
        // The reference implementation's test vector (argon2 test.c: Argon2id v1.3, t=2,
        // m=2^16 KiB, p=1, "password", "somesalt"), through our wrapper.
        let mut out = [0u8; 32];
        argon2id(b"password", b"somesalt", 1 << 16, 2, &mut out).unwrap();
        assert_eq!(hex(&out), "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7");
        // RFC 9106 §5.3 (Argon2id with a secret and associated data), through the crate.
        use argon2::{Algorithm, Argon2, AssociatedData, ParamsBuilder, Version};
        let params =
            ParamsBuilder::new().m_cost(32).t_cost(3).p_cost(4).data(AssociatedData::new(&[4; 12]).unwrap()).build().unwrap();
        let a = Argon2::new_with_secret(&[3; 8], Algorithm::Argon2id, Version::V0x13, params).unwrap();
        let mut blocks = vec![argon2::Block::default(); 32];
        a.hash_password_into_with_memory(&[1; 32], &[2; 16], &mut out, &mut blocks[..]).unwrap();
        assert_eq!(hex(&out), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    #[test]
    fn key_schedule_is_pinned() {
        // Our own schedule for a fixed secret and session: a change to the derivation (salt,
        // parameters, labels) must be a deliberate change of the list format.
        let k = Keys::derive(&secret(), &[7; 16]).unwrap();
        assert_eq!(hex(&k.check), PINNED_CHECK);
        assert_ne!(&k.element[..], &k.mac[..]);
        let other = Keys::derive(&secret(), &[8; 16]).unwrap();
        assert_ne!(k.check, other.check, "the session id salts the derivation");
    }
    const PINNED_CHECK: &str = "ddc314397a461ed6819d3f22448a07b6";

    /// The offsets of a list's parts: (populations count byte, element count, first element).
    fn layout(msg: &[u8]) -> (usize, usize, usize) {
        let norm = msg[54] as usize;
        let pops_at = 55 + norm + 1 + CHECK_LEN;
        let mut at = pops_at + 1;
        for _ in 0..msg[pops_at] {
            at += 1 + msg[at] as usize + 4 + 1;
        }
        (pops_at, at, at + 4)
    }

    /// A dataset with `n` populations, one row in each, plus one row in all of them.
    fn populations_dataset(n: usize) -> Dataset {
        let mut csv = String::from("Website,Segment\n");
        for i in 0..n {
            csv.push_str(&format!("site{i}.com,s{i}\n"));
        }
        let mut o = Options::default();
        o.populations(Some((0..n).map(|i| PopulationRule::values(format!("P{i}"), "Segment", [format!("s{i}")])).collect()));
        read(csv.as_bytes(), &o).unwrap()
    }

    #[test]
    fn sixteen_populations_use_the_top_bit_and_seventeen_are_refused() {
        let keys = Keys::derive(&secret(), &[1; 16]).unwrap();
        let d = populations_dataset(16);
        assert_eq!(d.populations().len(), 16);
        let msg = make_list(&d, &keys, Role::Second);
        let r = match_list(&d, &keys, Role::Second, &msg, 100).unwrap();
        // site15.com is in population 16 only: bit 15 set, accepted (it used to overflow the
        // shift in debug builds and be refused in release builds).
        assert_eq!(r.partner_populations.len(), 16);
        assert_eq!(r.matches.len(), 16);
        assert!(r.matches.iter().any(|m| m.partner_populations == 1 << 15));
        // Announcing a 17th population is refused.
        let (pops_at, _, _) = layout(&msg);
        let mut more = msg.clone();
        more[pops_at] = 17;
        reauthenticate(&mut more, &keys);
        assert_eq!(
            match_list(&d, &keys, Role::Second, &more, 100).unwrap_err(),
            MessageError::Oversize { what: "population count", limit: 16, found: 17 }
        );
        // With 15 populations, bit 15 is out of range.
        let d15 = populations_dataset(15);
        let msg = make_list(&d15, &keys, Role::Second);
        let (_, _, first) = layout(&msg);
        let mut bad = msg.clone();
        bad[first + 32] |= 0x80;
        reauthenticate(&mut bad, &keys);
        assert_eq!(
            match_list(&d15, &keys, Role::Second, &bad, 100).unwrap_err(),
            MessageError::Malformed { what: "element population bits" }
        );
    }

    #[test]
    fn each_fault_behind_the_mac_has_its_error() {
        let keys = Keys::derive(&secret(), &[2; 16]).unwrap();
        let d = ds("Website,Type\nacme.com,Customer\nbeta.io,Prospect\ngamma.org,Customer\n");
        let msg = make_list(&d, &keys, Role::First);
        let (pops_at, count_at, first) = layout(&msg);
        let edit = |f: &dyn Fn(&mut Vec<u8>)| {
            let mut m = msg.clone();
            f(&mut m);
            reauthenticate(&mut m, &keys);
            match_list(&d, &keys, Role::First, &m, 1000).unwrap_err()
        };
        // Two elements swapped: out of order.
        assert_eq!(
            edit(&|m| {
                let (a, b) = m[first..first + 2 * ELEMENT].split_at_mut(ELEMENT);
                a.swap_with_slice(b);
            }),
            MessageError::DuplicateElement { index: 1 }
        );
        // A population size that disagrees with the elements.
        let size_low = pops_at + 2 + msg[pops_at + 1] as usize + 3;
        assert!(matches!(edit(&|m| m[size_low] ^= 1), MessageError::CountMismatch { what: "elements in a population", .. }));
        // An element count that disagrees with the bytes.
        assert!(matches!(edit(&|m| m[count_at + 3] += 1), MessageError::CountMismatch { what: "elements", .. }));
        // A role byte that is neither.
        let role_at = 55 + msg[54] as usize;
        assert_eq!(edit(&|m| m[role_at] = 9), MessageError::Malformed { what: "role" });
        // A transcript field that is not zero.
        assert_eq!(edit(&|m| m[30] = 1), MessageError::Malformed { what: "transcript hash" });
        // Within the limit of 1000 and above 2.
        assert_eq!(
            match_list(&d, &keys, Role::First, &msg, 2).unwrap_err(),
            MessageError::Oversize { what: "set size", limit: 2, found: 3 }
        );
    }

    #[test]
    fn fields_running_into_the_mac_are_truncated_not_an_underflow() {
        // Found by the fuzzer: a population name that runs into the MAC's place left fewer than
        // 32 bytes, and `remaining - 32` overflowed (a panic in debug builds).
        let keys = Keys::derive(&secret(), &[6; 16]).unwrap();
        let d = ds("Website\nacme.com\n");
        let mut msg = make_list(&d, &keys, Role::First);
        let (pops_at, count_at, first) = layout(&msg);
        // An empty list: no element, population size 0, count 0.
        msg.drain(first..first + ELEMENT);
        msg[count_at..count_at + 4].copy_from_slice(&[0; 4]);
        msg[count_at - 4..count_at].copy_from_slice(&[0; 4]);
        reauthenticate(&mut msg, &keys);
        assert!(match_list(&d, &keys, Role::First, &msg, 10).is_ok());
        // The name now takes the size's four zero bytes; the size and count shift into the MAC.
        msg[pops_at + 1] += 4;
        reauthenticate(&mut msg, &keys);
        assert_eq!(
            match_list(&d, &keys, Role::First, &msg, usize::MAX).unwrap_err(),
            MessageError::Truncated { what: "authentication code" }
        );
    }

    #[test]
    fn a_huge_element_count_is_refused_before_allocating() {
        let keys = Keys::derive(&secret(), &[3; 16]).unwrap();
        let d = ds("Website\nacme.com\n");
        let msg = make_list(&d, &keys, Role::First);
        let (_, count_at, _) = layout(&msg);
        let mut huge = msg.clone();
        huge[count_at..count_at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        reauthenticate(&mut huge, &keys);
        // With no set limit, the count must still fit the bytes present.
        assert_eq!(
            match_list(&d, &keys, Role::First, &huge, usize::MAX).unwrap_err(),
            MessageError::CountMismatch { what: "elements", expected: u32::MAX as usize, found: 1 }
        );
    }

    #[test]
    fn peek_reads_the_header_without_a_key() {
        let keys = Keys::derive(&secret(), &[4; 16]).unwrap();
        let d = ds("Website\nacme.com\nbeta.io\n");
        let h = peek(&make_list(&d, &keys, Role::Second)).unwrap();
        assert_eq!(h, ListHeader { session: [4; 16], role: Role::Second, elements: 2 });
    }
}
