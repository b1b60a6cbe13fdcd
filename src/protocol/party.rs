//! A party's side of the private protocol: a state machine from CSV-derived keys to a report.
//!
//! ```text
//!            A (starts)                                   B (responds)
//! start      X_A = sort{H(x)^a}          ── offer ──▶
//!                                                        respond   Z_A = X_A^b, X_B = sort{H(y)^b}
//!                                        ◀── reply ──
//! receive    W = X_B^a; W ∩ Z_A → A's result
//!            Z_B = W                     ── confirm ─▶
//!                                                        receive   Z_B ∩ Z_A → B's result
//!                                        ◀── fields ──   (optional, when B shares fields)
//! receive    B's fields → A's report
//! ```
//! Each step is split in two so the curve work can be spread over threads or web workers: a step
//! returns a [`Pending`] whose [`Job`] (keys to hash and blind, points to blind) anyone holding the
//! step's scalar can run in chunks ([`super::group`]); [`Pending::complete`] takes the results.
//! [`Pending::run`] does it all on the calling thread.
//!
//! Who learns what is decided by the side that gives: a party sharing `counts` answers the
//! partner's list shuffled, carrying the partner's own population bits, so the partner can fill
//! its matrix but cannot tell which of its elements matched. Before doing so it checks that the
//! partner's population structure cannot single out rows ([`Settings::min_population`],
//! [`Settings::max_populations`]).

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::group::{self, SecretScalar};
use super::messages::{
    Announcement, Confirm, Element, FieldsMessage, Limits, Offer, Reply, Sharing, SharedFields, ZList, MAX_FIELDS,
    MAX_POPULATIONS,
};
use super::wire::{Header, Kind};
use super::{MessageError, ProtocolError};
use crate::ingest::Dataset;
use crate::normalize;
use crate::report::{Population, Report};

/// Which side of the exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Starts with the offer.
    Starter,
    /// Answers the offer.
    Responder,
}

/// Where a party is in the exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A: offer sent, waiting for the reply.
    AwaitReply,
    /// B: reply sent, waiting for the confirm.
    AwaitConfirm,
    /// A: confirm sent, waiting for B's fields.
    AwaitFields,
    /// Finished: the report is final.
    Done,
}

impl Step {
    pub(crate) fn byte(self) -> u8 {
        match self {
            Step::AwaitReply => 1,
            Step::AwaitConfirm => 2,
            Step::AwaitFields => 3,
            Step::Done => 4,
        }
    }
    pub(crate) fn from_byte(b: u8) -> Option<Step> {
        [Step::AwaitReply, Step::AwaitConfirm, Step::AwaitFields, Step::Done].into_iter().find(|s| s.byte() == b)
    }
    /// What the party waits for, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Step::AwaitReply => "waiting for the partner's reply",
            Step::AwaitConfirm => "waiting for the partner's confirm",
            Step::AwaitFields => "waiting for the partner's fields",
            Step::Done => "finished",
        }
    }
}

/// What a party decides for itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// What the partner may learn. Default: [`Sharing::Counts`], the least.
    pub sharing: Sharing,
    /// Columns (header names) shared for overlapping accounts at [`Sharing::Fields`].
    pub fields: Vec<String>,
    /// Refuse a partner set larger than this. Default: 5,000,000.
    pub max_partner_set: usize,
    /// Sharing counts: refuse if any of the partner's populations holds fewer elements than
    /// this (it could single out accounts). Default: 5.
    pub min_population: u32,
    /// Sharing counts: refuse if the partner defines more populations than this. Default: 8.
    pub max_populations: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { sharing: Sharing::Counts, fields: Vec::new(), max_partner_set: 5_000_000, min_population: 5, max_populations: 8 }
    }
}

/// What the state remembers of the dataset, to refuse another one later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Binding {
    pub fingerprint: [u8; 32],
    pub digest: [u8; 32],
}

impl Binding {
    pub fn of(d: &Dataset) -> Binding {
        let mut h = Sha256::new();
        h.update(b"overlap/dataset/v1");
        for p in d.populations() {
            h.update((p.len() as u32).to_be_bytes());
            h.update(p.as_bytes());
        }
        h.update([0xff]);
        let mut buf = Vec::with_capacity(64);
        for (k, l) in d.keys().iter().zip(d.key_populations()) {
            buf.clear();
            k.encode(&mut buf);
            h.update((buf.len() as u32).to_be_bytes());
            h.update(&buf);
            h.update(l.to_be_bytes());
        }
        Binding { fingerprint: d.fingerprint(), digest: h.finalize().into() }
    }
}

/// What the partner announced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Partner {
    pub from: Announcement,
    pub set_size: usize,
}

/// What a party learned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Per matched element of mine: (my element index, partner's population bits).
    Keys(Vec<(u32, u16)>),
    /// Per matched element, unlinkable: (my population bits, partner's population bits).
    Pairs(Vec<(u16, u16)>),
}

/// A party between messages. Serialize it with [`Party::to_bytes`]: the bytes hold the secret
/// scalar but no raw value from the data.
#[derive(Clone)]
pub struct Party {
    pub(crate) role: Role,
    pub(crate) step: Step,
    pub(crate) session: [u8; 16],
    /// Hash of the transcript up to and including the last message sent or received.
    pub(crate) transcript: [u8; 32],
    pub(crate) scalar: SecretScalar,
    pub(crate) settings: Settings,
    pub(crate) binding: Binding,
    /// `order[p]` = my element index sent at position `p` of my X.
    pub(crate) order: Vec<u32>,
    pub(crate) partner: Option<Partner>,
    /// B only: `Z_A` in A's X order, with A's labels.
    pub(crate) z_partner: Vec<Element>,
    pub(crate) outcome: Option<Outcome>,
    /// Partner's shared fields: names, and per my element index the partner's rows' values.
    pub(crate) partner_fields: SharedFields,
    /// Notes for the report (e.g. fields not sent and why).
    pub(crate) notes: Vec<String>,
}

/// Curve work a step needs: hash-and-blind `keys`, blind `points`, with the step's scalar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Job {
    /// Encoded keys, concatenated; key `i` is `keys[key_offsets[i]..key_offsets[i + 1]]`.
    pub keys: Vec<u8>,
    /// `n + 1` offsets into `keys`.
    pub key_offsets: Vec<u32>,
    /// 32-byte points to blind, concatenated.
    pub points: Vec<u8>,
}

impl Job {
    /// Number of keys to hash and blind.
    pub fn key_count(&self) -> usize {
        self.key_offsets.len().saturating_sub(1)
    }
    /// Number of points to blind.
    pub fn point_count(&self) -> usize {
        self.points.len() / 32
    }
}

/// The results of a [`Job`]: 32 bytes per key (`hashed`) and per point (`blinded`), in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobOutput {
    /// `H(k)^s` per key.
    pub hashed: Vec<u8>,
    /// `P^s` per point.
    pub blinded: Vec<u8>,
}

/// Runs a job on this thread.
///
/// # Errors
/// [`MessageError::InvalidPoint`] for a point that is not a group element.
pub fn run_job(scalar: &SecretScalar, job: &Job) -> Result<JobOutput, MessageError> {
    let mut out = JobOutput::default();
    group::hash_and_blind(scalar, &job.keys, &job.key_offsets, &mut out.hashed);
    group::blind(scalar, &job.points, 0, &mut out.blinded).map_err(|index| MessageError::InvalidPoint { index })?;
    Ok(out)
}

enum Continuation {
    Offer,
    Reply { offer: Offer },
    Confirm { reply: Reply },
    ConfirmReceived { confirm: Confirm },
    FieldsReceived { fields: FieldsMessage },
}

/// A step waiting for its curve work.
pub struct Pending {
    party: Party,
    job: Job,
    next: Continuation,
    /// The incoming message's bytes hash into the transcript.
    incoming: Option<[u8; 32]>,
}

/// A finished step: the party's new state and the message to send, if any.
pub struct Advance {
    /// The party after the step.
    pub party: Party,
    /// The message for the partner (none after the last step).
    pub message: Option<Vec<u8>>,
}

fn transcript_after(prev: &[u8; 32], msg: &[u8]) -> [u8; 32] {
    Sha256::new().chain_update(b"overlap/transcript/v1").chain_update(prev).chain_update(Sha256::digest(msg)).finalize().into()
}

/// My populations with their sizes in protocol elements (what the partner sees).
fn my_populations(d: &Dataset, role: Role) -> Vec<Population> {
    let labels = Elements::of(d, role).labels;
    d.populations()
        .iter()
        .enumerate()
        .map(|(i, name)| Population {
            name: name.clone(),
            size: labels.iter().filter(|&&m| m & (1 << i) != 0).count() as u32,
        })
        .collect()
}

/// The protocol's elements for a dataset and a role: one per key, except paired name keys
/// (`ingest::NamePolicy::Paired`), which become role tokens so that two names match only when at
/// least one of the two rows has no other key:
///
/// ```text
///                  row has another key    row has none
/// starter (A)      {1}                    {2, 3}
/// responder (B)    {2}                    {1, 3}
/// ```
/// Two rows that both have other keys share no token; every other pair shares exactly one (1: A's
/// row has a domain, B's not; 2: the reverse; 3: neither), so no pair is counted twice.
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

/// Sorts my blinded elements by point; returns the sorted elements and `order`.
fn sorted_elements(hashed: &[u8], labels: &[u16]) -> (Vec<Element>, Vec<u32>) {
    let mut v: Vec<(Element, u32)> =
        labels.iter().enumerate().map(|(i, &label)| (Element { point: point_at(hashed, i), label }, i as u32)).collect();
    sort_by_point(&mut v, |(e, _)| &e.point);
    v.into_iter().unzip()
}

/// Sorts by 32-byte point (see [`crate::sort`] for why not `sort_by`).
pub(crate) fn sort_by_point<T>(v: &mut Vec<T>, point: impl Fn(&T) -> &[u8; 32]) {
    crate::sort::by_key(v, |t| crate::sort::bytes32(point(t)));
}

fn validate(settings: &Settings, d: &Dataset) -> Result<(), ProtocolError> {
    if d.populations().len() > MAX_POPULATIONS {
        return Err(ProtocolError::Settings(format!("at most {MAX_POPULATIONS} populations can be matched")));
    }
    if d.keys().is_empty() {
        return Err(ProtocolError::Settings("the file gives no key to match on".into()));
    }
    match settings.sharing {
        Sharing::Fields => {
            if settings.fields.is_empty() {
                return Err(ProtocolError::Settings("sharing fields: name at least one column to share".into()));
            }
            if settings.fields.len() > MAX_FIELDS {
                return Err(ProtocolError::Settings(format!("at most {MAX_FIELDS} columns can be shared")));
            }
            for f in &settings.fields {
                if !d.headers().iter().any(|h| h == f) {
                    return Err(ProtocolError::Settings(format!("shared column \"{f}\" is not a column of the file")));
                }
            }
        }
        _ if !settings.fields.is_empty() => {
            return Err(ProtocolError::Settings(format!(
                "columns to share were given but the sharing level is {}: choose fields",
                settings.sharing.as_str()
            )));
        }
        _ => {}
    }
    Ok(())
}

/// Refuses a partner structure that could single out rows when we only share counts.
fn guard_counts(settings: &Settings, partner: &Announcement, elements: &[Element]) -> Result<(), ProtocolError> {
    if settings.sharing != Sharing::Counts {
        return Ok(());
    }
    if partner.populations.len() > settings.max_populations {
        return Err(ProtocolError::Unsafe(format!(
            "the partner defines {} populations; when sharing counts at most {} are accepted (many small populations can single out accounts)",
            partner.populations.len(),
            settings.max_populations
        )));
    }
    // Each population the partner uses must be large enough that one cell of the matrix says
    // nothing about a single account. (Combinations of populations are not checked: a key shared
    // by a customer row and a prospect row is common, and a partner set on singling out an
    // account can pad any group with made-up keys anyway; see docs/THREAT-MODEL.md.)
    let mut sizes = [0u32; 16];
    for e in elements {
        for (i, size) in sizes.iter_mut().enumerate() {
            *size += u32::from(e.label >> i & 1);
        }
    }
    if let Some(smallest) = sizes.iter().copied().filter(|&n| n > 0).min() {
        if smallest < settings.min_population {
            return Err(ProtocolError::Unsafe(format!(
                "one of the partner's populations holds only {smallest} elements; when sharing counts each must hold at least {} (a tiny population can single out accounts)",
                settings.min_population
            )));
        }
    }
    Ok(())
}

fn header(kind: Kind, session: [u8; 16], transcript: [u8; 32]) -> Header {
    Header { kind, session, transcript, normalization: normalize::VERSION.to_string() }
}

fn check_header(h: &Header, session: &[u8; 16], transcript: &[u8; 32]) -> Result<(), MessageError> {
    if h.normalization != normalize::VERSION {
        return Err(MessageError::NormalizationMismatch { mine: normalize::VERSION.into(), theirs: h.normalization.clone() });
    }
    if &h.session != session {
        return Err(MessageError::OtherSession);
    }
    if &h.transcript != transcript {
        return Err(MessageError::TranscriptMismatch);
    }
    Ok(())
}

impl Party {
    /// Starts a session as A: a fresh scalar and session id.
    ///
    /// # Errors
    /// [`ProtocolError::Settings`] for unusable settings, [`ProtocolError::Randomness`].
    pub fn start(dataset: &Dataset, settings: Settings) -> Result<Pending, ProtocolError> {
        let scalar = SecretScalar::random().map_err(|_| ProtocolError::Randomness)?;
        let mut session = [0u8; 16];
        getrandom::fill(&mut session).map_err(|_| ProtocolError::Randomness)?;
        Party::start_with(dataset, settings, scalar, session)
    }

    /// Starts with a given scalar and session id (known-answer tests).
    ///
    /// # Errors
    /// [`ProtocolError::Settings`].
    pub fn start_with(dataset: &Dataset, settings: Settings, scalar: SecretScalar, session: [u8; 16]) -> Result<Pending, ProtocolError> {
        validate(&settings, dataset)?;
        let party = Party::new(Role::Starter, Step::AwaitReply, session, scalar, settings, dataset);
        let job = Elements::of(dataset, Role::Starter).job;
        Ok(Pending { party, job, next: Continuation::Offer, incoming: None })
    }

    /// Answers an offer as B with a fresh scalar.
    ///
    /// # Errors
    /// A [`ProtocolError`] for an invalid offer, unsafe structure or unusable settings.
    pub fn respond(dataset: &Dataset, settings: Settings, offer: &[u8]) -> Result<Pending, ProtocolError> {
        let scalar = SecretScalar::random().map_err(|_| ProtocolError::Randomness)?;
        Party::respond_with(dataset, settings, offer, scalar)
    }

    /// Answers an offer with a given scalar (known-answer tests).
    ///
    /// # Errors
    /// As [`Party::respond`].
    pub fn respond_with(dataset: &Dataset, settings: Settings, offer: &[u8], scalar: SecretScalar) -> Result<Pending, ProtocolError> {
        validate(&settings, dataset)?;
        let parsed = Offer::decode(offer, Limits { max_set: settings.max_partner_set })?;
        if parsed.header.normalization != normalize::VERSION {
            return Err(MessageError::NormalizationMismatch {
                mine: normalize::VERSION.into(),
                theirs: parsed.header.normalization.clone(),
            }
            .into());
        }
        guard_counts(&settings, &parsed.from, &parsed.elements)?;
        let mut party = Party::new(Role::Responder, Step::AwaitConfirm, parsed.header.session, scalar, settings, dataset);
        party.transcript = transcript_after(&[0; 32], offer);
        let mut job = Elements::of(dataset, Role::Responder).job;
        job.points.reserve(parsed.elements.len() * 32);
        for e in &parsed.elements {
            job.points.extend_from_slice(&e.point);
        }
        Ok(Pending { party, job, next: Continuation::Reply { offer: parsed }, incoming: None })
    }

    fn new(role: Role, step: Step, session: [u8; 16], scalar: SecretScalar, settings: Settings, d: &Dataset) -> Party {
        Party {
            role,
            step,
            session,
            transcript: [0; 32],
            scalar,
            settings,
            binding: Binding::of(d),
            order: Vec::new(),
            partner: None,
            z_partner: Vec::new(),
            outcome: None,
            partner_fields: SharedFields::default(),
            notes: Vec::new(),
        }
    }

    /// Where the party is.
    pub fn step(&self) -> Step {
        self.step
    }

    /// Which side it plays.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The session id (not secret: it is in every message).
    pub fn session(&self) -> [u8; 16] {
        self.session
    }

    /// The party's settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Checks that `dataset` is the one this party started from.
    ///
    /// # Errors
    /// [`ProtocolError::DatasetMismatch`].
    pub fn check_dataset(&self, dataset: &Dataset) -> Result<(), ProtocolError> {
        let b = Binding::of(dataset);
        if b.digest != self.binding.digest {
            return Err(ProtocolError::DatasetMismatch { same_file: b.fingerprint == self.binding.fingerprint });
        }
        // A state that does not fit its own dataset was altered: refuse it rather than index out
        // of bounds later.
        if !self.order.is_empty() && self.order.len() != Elements::of(dataset, self.role).len() {
            return Err(ProtocolError::BadState("element order"));
        }
        Ok(())
    }

    /// Takes the partner's next message.
    ///
    /// # Errors
    /// A [`ProtocolError`]: the message is invalid, from another session, out of order, unsafe;
    /// or the dataset is not the one the session started from. The party is unchanged on error.
    pub fn receive(&self, dataset: &Dataset, msg: &[u8]) -> Result<Pending, ProtocolError> {
        self.check_dataset(dataset)?;
        let mut party = self.clone();
        let incoming = Some(transcript_after(&self.transcript, msg));
        let my_pops = dataset.populations().len();
        let sent = self.order.len();
        match self.step {
            Step::AwaitReply => {
                // A kind check first, so a confirm or offer is named as out of order.
                let reply = Reply::decode(msg, sent, my_pops, Limits { max_set: self.settings.max_partner_set })?;
                check_header(&reply.header, &self.session, &self.transcript)?;
                check_z_order(&reply.z, reply.from.sharing)?;
                guard_counts(&self.settings, &reply.from, &reply.elements)?;
                let mut job = Job::default();
                job.points.reserve(reply.elements.len() * 32);
                for e in &reply.elements {
                    job.points.extend_from_slice(&e.point);
                }
                party.partner = Some(Partner { from: reply.from.clone(), set_size: reply.elements.len() });
                Ok(Pending { party, job, next: Continuation::Confirm { reply }, incoming })
            }
            Step::AwaitConfirm => {
                let confirm = Confirm::decode(msg, sent, my_pops)?;
                check_header(&confirm.header, &self.session, &self.transcript)?;
                let partner = self.partner.as_ref().ok_or(ProtocolError::BadState("partner"))?;
                check_z_order(&confirm.z, partner.from.sharing)?;
                check_shared_names(&confirm.shared, &partner.from)?;
                Ok(Pending { party, job: Job::default(), next: Continuation::ConfirmReceived { confirm }, incoming })
            }
            Step::AwaitFields => {
                let fields = FieldsMessage::decode(msg, sent)?;
                check_header(&fields.header, &self.session, &self.transcript)?;
                let partner = self.partner.as_ref().ok_or(ProtocolError::BadState("partner"))?;
                check_shared_names(&fields.shared, &partner.from)?;
                Ok(Pending { party, job: Job::default(), next: Continuation::FieldsReceived { fields }, incoming })
            }
            Step::Done => Err(ProtocolError::Finished),
        }
    }

    /// The report, once the party has its result.
    pub fn report(&self, dataset: &Dataset) -> Result<Option<Report>, ProtocolError> {
        self.check_dataset(dataset)?;
        let (Some(outcome), Some(partner)) = (&self.outcome, &self.partner) else {
            return Ok(None);
        };
        let mine = my_populations(dataset, self.role);
        let theirs = partner.from.populations.clone();
        let mut report = match outcome {
            Outcome::Keys(matches) => {
                let elements = Elements::of(dataset, self.role);
                let key_of = |el: u32| elements.key.get(el as usize).copied();
                let mut key_matches: Vec<Option<u16>> = vec![None; dataset.keys().len()];
                for &(el, l) in matches {
                    if let Some(slot) = key_of(el).and_then(|k| key_matches.get_mut(k as usize)) {
                        *slot = Some(slot.unwrap_or(0) | l);
                    }
                }
                let mut r = Report::from_key_matches(dataset, mine, theirs, partner.set_size, &key_matches)
                    .with_matched_elements(matches.len());
                if !self.partner_fields.names.is_empty() {
                    let by_key = SharedFields {
                        names: self.partner_fields.names.clone(),
                        entries: self
                            .partner_fields
                            .entries
                            .iter()
                            .filter_map(|(el, v)| key_of(*el).map(|k| (k, v.clone())))
                            .collect(),
                    };
                    r.attach_partner_fields(dataset, &by_key);
                }
                if partner.from.name_keys != dataset.summary().name_keys.as_str() {
                    r.warnings.push(format!(
                        "the partner made name keys the \"{}\" way and you the \"{}\" way: names can only match when both choose the same",
                        crate::text::printable(&partner.from.name_keys), // the partner's string
                        dataset.summary().name_keys.as_str()
                    ));
                }
                r
            }
            Outcome::Pairs(pairs) => Report::from_pairs(dataset, mine, theirs, partner.set_size, pairs),
        };
        report.my_sharing = Some(self.settings.sharing);
        report.partner_sharing = Some(partner.from.sharing);
        report.warnings.extend(self.notes.iter().cloned());
        Ok(Some(report))
    }
}

fn check_z_order(z: &ZList, giver: Sharing) -> Result<(), MessageError> {
    match (z, giver.reveals_rows()) {
        (ZList::InOrder(_), true) | (ZList::Shuffled(_), false) => Ok(()),
        _ => Err(MessageError::Malformed { what: "answer order (it disagrees with the partner's sharing level)" }),
    }
}

fn check_shared_names(shared: &SharedFields, partner: &Announcement) -> Result<(), MessageError> {
    if shared.names.is_empty() && shared.entries.is_empty() {
        return Ok(());
    }
    if partner.sharing != Sharing::Fields || shared.names != partner.fields {
        return Err(MessageError::Malformed { what: "shared fields (not the ones the partner announced)" });
    }
    Ok(())
}

fn point_at(buf: &[u8], i: usize) -> [u8; 32] {
    let mut p = [0u8; 32];
    p.copy_from_slice(&buf[i * 32..i * 32 + 32]);
    p
}

/// The fields I share for my element `element`: one value list per row.
fn my_field_values(d: &Dataset, columns: &[usize], rows_of: &[Vec<u32>], key: u32) -> Vec<Vec<String>> {
    rows_of
        .get(key as usize)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .take(u16::MAX as usize)
        .map(|&row| {
            let cells = d.row_fields(row as usize);
            columns.iter().map(|&c| cells.get(c).map(|s| s.to_string()).unwrap_or_default()).collect()
        })
        .collect()
}

fn rows_by_element(d: &Dataset) -> Vec<Vec<u32>> {
    let mut rows = vec![Vec::new(); d.keys().len()];
    for r in 0..d.row_count() {
        for &k in d.row_keys(r) {
            rows[k as usize].push(r as u32);
        }
    }
    rows
}

fn shared_fields(d: &Dataset, role: Role, settings: &Settings, matched: impl Iterator<Item = (u32, u32)>) -> SharedFields {
    // (index in the receiver's X, my element)
    let columns: Vec<usize> =
        settings.fields.iter().filter_map(|f| d.headers().iter().position(|h| h == f)).collect();
    let rows_of = rows_by_element(d);
    let elements = Elements::of(d, role);
    let mut entries: Vec<(u32, Vec<Vec<String>>)> = matched
        .filter_map(|(index, el)| elements.key.get(el as usize).map(|&k| (index, my_field_values(d, &columns, &rows_of, k))))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    crate::sort::by_key(&mut entries, |(i, _)| (u128::from(*i), 0));
    entries.dedup_by_key(|(i, _)| *i);
    SharedFields { names: settings.fields.clone(), entries }
}

impl Pending {
    /// The curve work this step needs.
    pub fn job(&self) -> &Job {
        &self.job
    }

    /// The step's scalar, for workers running the job in parallel. Keep it in memory only.
    pub fn scalar(&self) -> &SecretScalar {
        &self.party.scalar
    }

    /// Runs the job on this thread and completes the step.
    ///
    /// # Errors
    /// As [`Pending::complete`].
    pub fn run(self, dataset: &Dataset) -> Result<Advance, ProtocolError> {
        let out = run_job(&self.party.scalar, &self.job)?;
        self.complete(dataset, out)
    }

    /// Completes the step with the job's results.
    ///
    /// # Errors
    /// [`ProtocolError`] when the results do not fit the job, the dataset changed, or the
    /// partner's message turns out invalid (e.g. duplicate answers).
    pub fn complete(self, dataset: &Dataset, out: JobOutput) -> Result<Advance, ProtocolError> {
        if out.hashed.len() != self.job.key_count() * 32 || out.blinded.len() != self.job.points.len() {
            return Err(ProtocolError::BadJobOutput);
        }
        self.party.check_dataset(dataset)?;
        let Pending { mut party, next, incoming, .. } = self;
        if let Some(t) = incoming {
            party.transcript = t;
        }
        let message = match next {
            Continuation::Offer => {
                let (elements, order) = sorted_elements(&out.hashed, &Elements::of(dataset, party.role).labels);
                party.order = order;
                let offer = Offer {
                    header: header(Kind::Offer, party.session, [0; 32]),
                    from: announcement(&party.settings, dataset, party.role),
                    elements,
                };
                let bytes = offer.encode();
                party.transcript = transcript_after(&[0; 32], &bytes);
                Some(bytes)
            }
            Continuation::Reply { offer } => {
                let (elements, order) = sorted_elements(&out.hashed, &Elements::of(dataset, party.role).labels);
                party.order = order;
                party.z_partner = offer
                    .elements
                    .iter()
                    .enumerate()
                    .map(|(i, e)| Element { point: point_at(&out.blinded, i), label: e.label })
                    .collect();
                let z = if party.settings.sharing.reveals_rows() {
                    ZList::InOrder(party.z_partner.iter().map(|e| e.point).collect())
                } else {
                    let mut v = party.z_partner.clone();
                    sort_by_point(&mut v, |e| &e.point);
                    ZList::Shuffled(v)
                };
                party.partner = Some(Partner { from: offer.from, set_size: offer.elements.len() });
                let reply = Reply {
                    header: header(Kind::Reply, party.session, party.transcript),
                    from: announcement(&party.settings, dataset, party.role),
                    z,
                    elements,
                };
                let bytes = reply.encode();
                party.transcript = transcript_after(&party.transcript, &bytes);
                Some(bytes)
            }
            Continuation::Confirm { reply } => Some(party.finish_starter(dataset, reply, &out.blinded)?),
            Continuation::ConfirmReceived { confirm } => party.finish_responder(dataset, confirm)?,
            Continuation::FieldsReceived { fields } => {
                party.partner_fields = SharedFields {
                    names: fields.shared.names,
                    entries: fields.shared.entries.into_iter().map(|(i, v)| (party.order[i as usize], v)).collect(),
                };
                party.step = Step::Done;
                None
            }
        };
        Ok(Advance { party, message })
    }
}

fn announcement(settings: &Settings, d: &Dataset, role: Role) -> Announcement {
    Announcement {
        sharing: settings.sharing,
        fields: settings.fields.clone(),
        populations: my_populations(d, role),
        name_keys: d.summary().name_keys.as_str().to_string(),
    }
}

impl Party {
    /// A, on the reply: W = X_B^a, intersect with Z_A, build the confirm.
    fn finish_starter(&mut self, d: &Dataset, reply: Reply, w: &[u8]) -> Result<Vec<u8>, ProtocolError> {
        let m = reply.elements.len();
        let partner_reveals = reply.from.sharing.reveals_rows();
        // Index of Z_A: point → position in my X (in order) or my label (shuffled).
        let mut outcome_keys = Vec::new();
        let mut outcome_pairs = Vec::new();
        // (position j in X_B, my element) for the fields I may share.
        let mut matched_for_fields: Vec<(u32, u32)> = Vec::new();
        match &reply.z {
            ZList::InOrder(z) => {
                let mut index: HashMap<[u8; 32], u32> = HashMap::with_capacity(z.len());
                for (p, point) in z.iter().enumerate() {
                    if index.insert(*point, p as u32).is_some() {
                        return Err(MessageError::DuplicateElement { index: p }.into());
                    }
                }
                for j in 0..m {
                    if let Some(&p) = index.get(&point_at(w, j)) {
                        let el = self.order[p as usize];
                        outcome_keys.push((el, reply.elements[j].label));
                        matched_for_fields.push((j as u32, el));
                    }
                }
            }
            ZList::Shuffled(z) => {
                let index: HashMap<[u8; 32], u16> = z.iter().map(|e| (e.point, e.label)).collect();
                for j in 0..m {
                    if let Some(&mine) = index.get(&point_at(w, j)) {
                        outcome_pairs.push((mine, reply.elements[j].label));
                    }
                }
            }
        }
        self.outcome = Some(if partner_reveals { Outcome::Keys(outcome_keys) } else { Outcome::Pairs(outcome_pairs) });

        let z = if self.settings.sharing.reveals_rows() {
            ZList::InOrder((0..m).map(|j| point_at(w, j)).collect())
        } else {
            let mut v: Vec<Element> = (0..m).map(|j| Element { point: point_at(w, j), label: reply.elements[j].label }).collect();
            sort_by_point(&mut v, |e| &e.point);
            ZList::Shuffled(v)
        };
        let shared = if self.settings.sharing == Sharing::Fields {
            if partner_reveals {
                shared_fields(d, self.role, &self.settings, matched_for_fields.into_iter())
            } else {
                self.notes.push(
                    "your fields were not sent: the partner shares counts only, so you cannot know which of your rows overlap".into(),
                );
                SharedFields::default()
            }
        } else {
            SharedFields::default()
        };
        let confirm = Confirm { header: header(Kind::Confirm, self.session, self.transcript), z, shared };
        let bytes = confirm.encode();
        self.transcript = transcript_after(&self.transcript, &bytes);
        self.step = if reply.from.sharing == Sharing::Fields && self.settings.sharing.reveals_rows() {
            Step::AwaitFields
        } else {
            Step::Done
        };
        Ok(bytes)
    }

    /// B, on the confirm: Z_B ∩ Z_A, and my fields for A if I share them.
    fn finish_responder(&mut self, d: &Dataset, confirm: Confirm) -> Result<Option<Vec<u8>>, ProtocolError> {
        let index: HashMap<[u8; 32], u32> =
            self.z_partner.iter().enumerate().map(|(i, e)| (e.point, i as u32)).collect();
        let partner_reveals = self.partner.as_ref().is_some_and(|p| p.from.sharing.reveals_rows());
        // (position i in X_A, my element) for the fields I may share.
        let mut matched_for_fields: Vec<(u32, u32)> = Vec::new();
        match &confirm.z {
            ZList::InOrder(z) => {
                let mut seen = std::collections::HashSet::with_capacity(z.len());
                let mut keys = Vec::new();
                for (q, point) in z.iter().enumerate() {
                    if !seen.insert(*point) {
                        return Err(MessageError::DuplicateElement { index: q }.into());
                    }
                    if let Some(&i) = index.get(point) {
                        let el = self.order[q];
                        keys.push((el, self.z_partner[i as usize].label));
                        matched_for_fields.push((i, el));
                    }
                }
                self.outcome = Some(Outcome::Keys(keys));
            }
            ZList::Shuffled(z) => {
                let pairs = z
                    .iter()
                    .filter_map(|e| index.get(&e.point).map(|&i| (e.label, self.z_partner[i as usize].label)))
                    .collect();
                self.outcome = Some(Outcome::Pairs(pairs));
            }
        }
        self.partner_fields = SharedFields {
            names: confirm.shared.names,
            entries: confirm.shared.entries.into_iter().map(|(q, v)| (self.order[q as usize], v)).collect(),
        };
        self.step = Step::Done;
        if self.settings.sharing != Sharing::Fields {
            return Ok(None);
        }
        if !partner_reveals {
            self.notes.push(
                "your fields were not sent: the partner shares counts only, so you cannot know which of your rows overlap".into(),
            );
            return Ok(None);
        }
        let shared = shared_fields(d, self.role, &self.settings, matched_for_fields.into_iter());
        let msg = FieldsMessage { header: header(Kind::Fields, self.session, self.transcript), shared };
        let bytes = msg.encode();
        self.transcript = transcript_after(&self.transcript, &bytes);
        Ok(Some(bytes))
    }
}
