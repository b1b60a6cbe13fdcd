//! A party's side of the private protocol: a state machine from CSV-derived keys to a report.
//!
//! ```text
//!            A (starts)                                   B (responds)
//! start      Q = sort{H(x)^r}, commit(n_A)  ── offer ──▶
//!                                                        respond   R = Q^k; o(y) from H(y)^k;
//!                                                                  T = sort{tag(o(y))}, n_B
//!                                           ◀── reply ──
//! receive    o(x) from R^(1/r); o(x) ∩ T → A's result
//!            claims (or counts), n_A,
//!            A's values sealed under o(x)   ── confirm ─▶
//!                                                        receive   proofs checked → B's result
//!                                           ◀── fields ──   (optional: B's values sealed under o(y))
//! receive    B's values → A's report
//! ```
//! Each step is split in two so the curve work can be spread over threads or web workers: a step
//! returns a [`Pending`] whose [`Job`] anyone holding the step's scalar can run in pieces
//! ([`super::job`]); [`Pending::complete`] takes the results. [`Pending::run`] does it all on the
//! calling thread.
//!
//! Who learns what is decided by the side that gives: B sharing counts answers A's queries
//! shuffled, with A's own population bits, so that A can count but not tell which of its
//! elements matched; A sharing counts tells B only pairs of population bits. Before answering
//! either checks the partner's population structure ([`super::guard`]).

use super::elements::{my_populations, Elements};
use super::group::SecretScalar;
use super::guard;
use super::job::{run_job, Job, JobOutput};
use super::messages::{
    decode_values, encode_values, Announcement, Answers, Claim, Confirm, Element, Expect, FieldsMessage, Offer, Outcome as Told,
    Reply, Sealed, Tagged,
};
use super::oprf::{self, Direction};
pub use super::settings::{Role, Settings};
use super::transcript;
use super::wire::{Header, Kind};
use super::{MessageError, ProtocolError};
use crate::ingest::Dataset;
use crate::model::{coarsen, FieldRows, SharedValues, Sharing, MAX_FIELDS, MAX_POPULATIONS, MAX_SHARED_ROWS};
use crate::normalize;
use crate::report::Report;

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

/// What the state remembers of the dataset, to refuse another one later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Binding {
    pub fingerprint: [u8; 32],
    pub digest: [u8; 32],
}

impl Binding {
    pub fn of(d: &Dataset) -> Binding {
        use sha2::{Digest, Sha256};
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

/// What a party holds only while the session runs: its scalar, the nonces of the session code,
/// the PRF outputs of its matched or listed elements. Gone (wiped) once the session is finished.
#[derive(Clone)]
pub(crate) struct Secrets {
    /// A: the query blinding `r`; B: the PRF key `k`.
    pub scalar: SecretScalar,
    /// A: its nonce `n_A`; B: A's commitment to it.
    pub nonce: [u8; 32],
    /// B: `o` per position of its T; A waiting for fields: `o` per entry of [`Party::matched`].
    pub outputs: Vec<[u8; 32]>,
}

impl Drop for Secrets {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.nonce.zeroize();
        for o in self.outputs.iter_mut() {
            o.zeroize();
        }
    }
}

/// A party between messages. Serialize it with [`Party::to_bytes`]: while the session runs the
/// bytes hold its secrets (scalar, nonce, PRF outputs), once it is finished only its result; never
/// a raw value from the data.
#[derive(Clone)]
pub struct Party {
    pub(crate) role: Role,
    pub(crate) step: Step,
    pub(crate) session: [u8; 16],
    /// Hash of the transcript up to and including the last message sent or received.
    pub(crate) transcript: [u8; 32],
    pub(crate) settings: Settings,
    pub(crate) binding: Binding,
    /// A: `order[p]` = my element at position `p` of Q; B: my element at position `p` of T.
    pub(crate) order: Vec<u32>,
    pub(crate) partner: Option<Partner>,
    pub(crate) secrets: Option<Secrets>,
    /// A waiting for fields: (position in B's T, my element) of each match, by position.
    pub(crate) matched: Vec<(u32, u32)>,
    pub(crate) outcome: Option<Outcome>,
    /// The partner's shared values: names, and per my element index its rows.
    pub(crate) partner_fields: SharedValues,
    /// Notes for the report (e.g. fields not sent and why, warnings about the partner's list).
    pub(crate) notes: Vec<String>,
    /// The session code, once known (A: after the reply; B: after the confirm).
    pub(crate) code: Option<String>,
}

enum Continuation {
    Offer { nonce: [u8; 32] },
    Reply { offer: Offer, nonce: [u8; 32], answered: Vec<usize> },
    Confirm { reply: Reply },
    ConfirmReceived { confirm: Confirm, after_reply: [u8; 32] },
    FieldsReceived { fields: FieldsMessage },
}

/// A step waiting for its curve work.
pub struct Pending {
    party: Party,
    job: Job,
    /// The scalar the job runs under (A unblinds with `1/r`).
    scalar: SecretScalar,
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

fn point_at(buf: &[u8], i: usize) -> [u8; 32] {
    let mut p = [0u8; 32];
    p.copy_from_slice(&buf[i * 32..i * 32 + 32]);
    p
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
    if settings.min_population == 0 {
        return Err(ProtocolError::Settings("the minimum population size must be at least 1".into()));
    }
    match settings.sharing {
        Sharing::Fields => {
            if settings.fields.is_empty() {
                return Err(ProtocolError::Settings("sharing fields: name at least one column to share".into()));
            }
            if settings.fields.len() > MAX_FIELDS {
                return Err(ProtocolError::Settings(format!("at most {MAX_FIELDS} columns can be shared")));
            }
            if let Some(i) = settings.fields.iter().position(|f| !d.headers().iter().any(|h| h == f)) {
                return Err(ProtocolError::Settings(format!("shared column {} is not a column of the file", i + 1)));
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

fn header(kind: Kind, session: [u8; 16], transcript: [u8; 32]) -> Header {
    Header { kind, session, transcript, normalization: normalize::VERSION.to_string() }
}

fn announcement(settings: &Settings, d: &Dataset, role: Role) -> Announcement {
    Announcement {
        sharing: settings.sharing,
        fields: settings.fields.clone(),
        populations: my_populations(d, role),
        name_keys: d.summary().name_keys.as_str().to_string(),
        min_combination: settings.min_population.min(255) as u8,
    }
}

fn random_bytes<const N: usize>() -> Result<[u8; N], ProtocolError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| ProtocolError::Randomness)?;
    Ok(b)
}

/// The note a report carries when some of my labels were coarsened for a partner counting them.
fn coarsening_note(changed: usize, dropped: usize, min: u32) -> Option<String> {
    (changed > 0).then(|| {
        format!(
            "{changed} of your accounts were counted under fewer populations ({dropped} under none) because their combination of populations is held by fewer than {min} accounts: the partner shares counts only, and a rarer group could single them out"
        )
    })
}

impl Party {
    /// Starts a session as A: a fresh scalar, session id and nonce.
    ///
    /// # Errors
    /// [`ProtocolError::Settings`] for unusable settings, [`ProtocolError::Randomness`].
    pub fn start(dataset: &Dataset, settings: Settings) -> Result<Pending, ProtocolError> {
        let scalar = SecretScalar::random().map_err(|_| ProtocolError::Randomness)?;
        Party::start_with(dataset, settings, scalar, random_bytes()?, random_bytes()?)
    }

    /// Starts with a given scalar, session id and nonce (known-answer tests).
    ///
    /// # Errors
    /// [`ProtocolError::Settings`].
    pub fn start_with(
        dataset: &Dataset,
        settings: Settings,
        scalar: SecretScalar,
        session: [u8; 16],
        nonce: [u8; 32],
    ) -> Result<Pending, ProtocolError> {
        validate(&settings, dataset)?;
        let party = Party::new(Role::Starter, Step::AwaitReply, session, settings, dataset);
        let job = Elements::of(dataset, Role::Starter).job;
        Ok(Pending { scalar: scalar.clone(), party, job, next: Continuation::Offer { nonce }, incoming: None }
            .keep(scalar, nonce))
    }

    /// Answers an offer as B with a fresh scalar and nonce.
    ///
    /// # Errors
    /// A [`ProtocolError`] for an invalid offer, unsafe structure or unusable settings.
    pub fn respond(dataset: &Dataset, settings: Settings, offer: &[u8]) -> Result<Pending, ProtocolError> {
        let scalar = SecretScalar::random().map_err(|_| ProtocolError::Randomness)?;
        Party::respond_with(dataset, settings, offer, scalar, random_bytes()?)
    }

    /// Answers an offer with a given scalar and nonce (known-answer tests).
    ///
    /// # Errors
    /// As [`Party::respond`].
    pub fn respond_with(
        dataset: &Dataset,
        settings: Settings,
        offer: &[u8],
        scalar: SecretScalar,
        nonce: [u8; 32],
    ) -> Result<Pending, ProtocolError> {
        validate(&settings, dataset)?;
        let parsed = Offer::decode(offer, settings.max_partner_set)?;
        guard::check_counts(&settings, &parsed.from, parsed.queries.iter().map(|e| e.label))?;
        let labels: Vec<u16> = parsed.queries.iter().map(|e| e.label).collect();
        let mut party = Party::new(Role::Responder, Step::AwaitConfirm, parsed.header.session, settings, dataset);
        party.notes.extend(guard::structure_warnings(&party.settings, &parsed.from, &labels));
        party.transcript = transcript::after(&[0; 32], offer);
        let mut job = Elements::of(dataset, Role::Responder).job;
        // Sharing counts, only labelled queries are answered: an element in no population could
        // otherwise be counted in the total.
        let answered: Vec<usize> = if party.settings.sharing.reveals_rows() {
            (0..parsed.queries.len()).collect()
        } else {
            (0..parsed.queries.len()).filter(|&i| parsed.queries[i].label != 0).collect()
        };
        job.points.reserve(answered.len() * 32);
        for &i in &answered {
            job.points.extend_from_slice(&parsed.queries[i].point);
        }
        let commitment = parsed.commitment;
        Ok(Pending {
            scalar: scalar.clone(),
            party,
            job,
            next: Continuation::Reply { offer: parsed, nonce, answered },
            incoming: None,
        }
        .keep(scalar, commitment))
    }

    fn new(role: Role, step: Step, session: [u8; 16], settings: Settings, d: &Dataset) -> Party {
        Party {
            role,
            step,
            session,
            transcript: [0; 32],
            settings,
            binding: Binding::of(d),
            order: Vec::new(),
            partner: None,
            secrets: None,
            matched: Vec::new(),
            outcome: None,
            partner_fields: SharedValues::default(),
            notes: Vec::new(),
            code: None,
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

    /// The session code both partners compare by phone (`1234 5678`): A's once it has the reply,
    /// B's once it has the confirm. See [`super::transcript`].
    pub fn session_code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Notes about the exchange so far (warnings about the partner's list, fields not sent).
    /// Numbers and the partner's population numbers only.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Whether the party still holds secrets (a finished session holds none).
    pub fn holds_secrets(&self) -> bool {
        self.secrets.is_some()
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
        let elements = Elements::of(dataset, self.role).len();
        if self.order.iter().any(|&o| o as usize >= elements) || self.matched.iter().any(|&(_, e)| e as usize >= elements) {
            return Err(ProtocolError::BadState("element order"));
        }
        Ok(())
    }

    fn secrets(&self) -> Result<&Secrets, ProtocolError> {
        self.secrets.as_ref().ok_or(ProtocolError::BadState("session secrets"))
    }

    /// Takes the partner's next message.
    ///
    /// # Errors
    /// A [`ProtocolError`]: the message is invalid, from another session, out of order, unsafe;
    /// or the dataset is not the one the session started from. The party is unchanged on error.
    pub fn receive(&self, dataset: &Dataset, msg: &[u8]) -> Result<Pending, ProtocolError> {
        if self.step == Step::Done {
            return Err(ProtocolError::Finished);
        }
        self.check_dataset(dataset)?;
        let mut party = self.clone();
        let incoming = Some(transcript::after(&self.transcript, msg));
        let expect =
            Expect { session: Some(&self.session), transcript: &self.transcript, max_set: self.settings.max_partner_set };
        let my_pops = dataset.populations().len();
        match self.step {
            Step::AwaitReply => {
                let secrets = self.secrets()?;
                let labelled = self.offered_labels(dataset).0.iter().filter(|&&l| l != 0).count();
                let reply = Reply::decode(msg, &expect, self.order.len(), labelled, my_pops)?;
                let in_order = matches!(reply.answers, Answers::InOrder(_));
                if in_order != reply.from.sharing.reveals_rows() {
                    return Err(
                        MessageError::Malformed { what: "answer order (it disagrees with the partner's sharing level)" }.into()
                    );
                }
                guard::check_counts(&self.settings, &reply.from, reply.tags.iter().map(|t| t.label))?;
                let labels: Vec<u16> = reply.tags.iter().map(|t| t.label).collect();
                party.notes.extend(guard::structure_warnings(&self.settings, &reply.from, &labels));
                let mut job = Job::default();
                job.points.reserve(reply.answers.len() * 32);
                match &reply.answers {
                    Answers::InOrder(v) => v.iter().for_each(|p| job.points.extend_from_slice(p)),
                    Answers::Shuffled(v) => v.iter().for_each(|e| job.points.extend_from_slice(&e.point)),
                }
                party.partner = Some(Partner { from: reply.from.clone(), set_size: reply.tags.len() });
                let scalar = secrets.scalar.invert();
                Ok(Pending { party, job, scalar, next: Continuation::Confirm { reply }, incoming })
            }
            Step::AwaitConfirm => {
                let secrets = self.secrets()?;
                let partner = self.partner.as_ref().ok_or(ProtocolError::BadState("partner"))?;
                let confirm = Confirm::decode(msg, &expect, self.order.len(), my_pops, &partner.from)?;
                if transcript::commitment(&confirm.nonce) != secrets.nonce {
                    return Err(MessageError::Malformed {
                        what: "session code nonce (it does not open the partner's commitment)",
                    }
                    .into());
                }
                let scalar = secrets.scalar.clone();
                let after_reply = self.transcript;
                Ok(Pending {
                    party,
                    job: Job::default(),
                    scalar,
                    next: Continuation::ConfirmReceived { confirm, after_reply },
                    incoming,
                })
            }
            Step::AwaitFields => {
                let secrets = self.secrets()?;
                let partner = self.partner.as_ref().ok_or(ProtocolError::BadState("partner"))?;
                let positions: Vec<u32> = self.matched.iter().map(|&(q, _)| q).collect();
                let fields = FieldsMessage::decode(msg, &expect, &positions, &partner.from)?;
                let scalar = secrets.scalar.clone();
                Ok(Pending { party, job: Job::default(), scalar, next: Continuation::FieldsReceived { fields }, incoming })
            }
            Step::Done => Err(ProtocolError::Finished),
        }
    }

    /// A's offered labels (coarsened for a partner who may count them) and how many changed.
    fn offered_labels(&self, d: &Dataset) -> (Vec<u16>, usize) {
        let e = Elements::of(d, self.role);
        coarsen(&e.labels, self.settings.min_population)
    }

    /// The report, once the party has its result.
    ///
    /// # Errors
    /// [`ProtocolError::DatasetMismatch`] for another dataset.
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
                let mut key_matches: Vec<Option<u16>> = vec![None; dataset.keys().len()];
                let mut place = vec![false; dataset.keys().len()];
                for &(el, l) in matches {
                    let with_city = elements.place.get(el as usize).copied().unwrap_or(false);
                    for k in elements.keys_of(el) {
                        if let Some(slot) = key_matches.get_mut(k as usize) {
                            *slot = Some(slot.unwrap_or(0) | l);
                            place[k as usize] |= with_city;
                        }
                    }
                }
                let mut r = Report::from_key_matches(dataset, mine, theirs, partner.set_size, &key_matches)
                    .with_matched_elements(matches.len());
                r.mark_place_evidence(dataset, &place);
                if !self.partner_fields.names.is_empty() {
                    let by_key = SharedValues {
                        names: self.partner_fields.names.clone(),
                        entries: self
                            .partner_fields
                            .entries
                            .iter()
                            .flat_map(|(el, v)| elements.keys_of(*el).map(move |k| (k, v.clone())))
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
        report.session_code = self.code.clone();
        report.warnings.extend(self.notes.iter().cloned());
        Ok(Some(report))
    }
}

/// My rows' values of the shared columns for one of my elements, the rows of all its keys (at
/// most [`MAX_SHARED_ROWS`]).
fn my_values(d: &Dataset, columns: &[usize], rows_of: &[Vec<u32>], keys: &[u32]) -> (FieldRows, bool) {
    let mut rows: Vec<u32> = keys.iter().flat_map(|&k| rows_of.get(k as usize).map_or(&[][..], Vec::as_slice)).copied().collect();
    rows.sort_unstable();
    rows.dedup();
    let mut out = FieldRows::new(columns.len());
    for &row in rows.iter().take(MAX_SHARED_ROWS) {
        let cells = d.row_fields(row as usize);
        out.push(columns.iter().map(|&c| cells.get(c).map_or("", |s| s.as_ref())));
    }
    (out, rows.len() > MAX_SHARED_ROWS)
}

fn rows_by_key(d: &Dataset) -> Vec<Vec<u32>> {
    let mut rows = vec![Vec::new(); d.keys().len()];
    for r in 0..d.row_count() {
        for &k in d.row_keys(r) {
            rows[k as usize].push(r as u32);
        }
    }
    rows
}

/// Seals my values for matched elements: `(position in B's T, my element, o)`.
fn seal_my_values(
    d: &Dataset,
    role: Role,
    settings: &Settings,
    direction: Direction,
    matched: &[(u32, u32, [u8; 32])],
    notes: &mut Vec<String>,
) -> Sealed {
    let columns: Vec<usize> = settings.fields.iter().filter_map(|f| d.headers().iter().position(|h| h == f)).collect();
    let rows_of = rows_by_key(d);
    let elements = Elements::of(d, role);
    let mut cut = 0;
    let mut entries = Vec::with_capacity(matched.len());
    for &(q, el, o) in matched {
        let keys: Vec<u32> = elements.keys_of(el).collect();
        let (values, more) = my_values(d, &columns, &rows_of, &keys);
        cut += usize::from(more);
        if !values.is_empty() {
            entries.push((q, oprf::seal(direction, &o, q, &encode_values(&values))));
        }
    }
    if cut > 0 {
        notes.push(format!("{cut} shared accounts have more than {MAX_SHARED_ROWS} rows in your file: the values of the first {MAX_SHARED_ROWS} were sent"));
    }
    crate::sort::by_key(&mut entries, |(q, _)| (u128::from(*q), 0));
    Sealed { names: settings.fields.clone(), entries }
}

/// Opens the partner's sealed values; `output_of(position)` gives `(my element, o)` for a position
/// this party matched.
fn open_values(
    sealed: Sealed,
    direction: Direction,
    output_of: impl Fn(u32) -> Option<(u32, [u8; 32])>,
) -> Result<SharedValues, MessageError> {
    let width = sealed.names.len();
    let mut entries = Vec::with_capacity(sealed.entries.len());
    for (q, bytes) in &sealed.entries {
        let (el, o) = output_of(*q).ok_or(MessageError::Malformed { what: "shared entry position" })?;
        let plain = oprf::open(direction, &o, *q, bytes)
            .ok_or(MessageError::Malformed { what: "shared values (they do not open for this account)" })?;
        entries.push((el, decode_values(&plain, width)?));
    }
    Ok(SharedValues { names: if entries.is_empty() { Vec::new() } else { sealed.names }, entries })
}

impl Pending {
    /// Keeps the party's secrets for the steps to come.
    fn keep(mut self, scalar: SecretScalar, nonce: [u8; 32]) -> Pending {
        self.party.secrets = Some(Secrets { scalar, nonce, outputs: Vec::new() });
        self
    }

    /// The curve work this step needs.
    pub fn job(&self) -> &Job {
        &self.job
    }

    /// The step's scalar, for workers running the job in parallel. Keep it in memory only.
    pub fn scalar(&self) -> &SecretScalar {
        &self.scalar
    }

    /// Runs the job on this thread and completes the step.
    ///
    /// # Errors
    /// As [`Pending::complete`].
    pub fn run(self, dataset: &Dataset) -> Result<Advance, ProtocolError> {
        let out = run_job(&self.scalar, &self.job)?;
        self.complete(dataset, out)
    }

    /// Completes the step with the job's results.
    ///
    /// # Errors
    /// [`ProtocolError`] when the results do not fit the job, the dataset changed, or the
    /// partner's message turns out invalid (e.g. duplicate answers, a claim it cannot prove).
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
            Continuation::Offer { nonce } => Some(party.make_offer(dataset, &out, nonce)),
            Continuation::Reply { offer, nonce, answered } => Some(party.make_reply(dataset, &out, offer, nonce, &answered)?),
            Continuation::Confirm { reply } => Some(party.finish_starter(dataset, reply, &out.blinded)?),
            Continuation::ConfirmReceived { confirm, after_reply } => party.finish_responder(dataset, confirm, &after_reply)?,
            Continuation::FieldsReceived { fields } => {
                let secrets = party.secrets()?;
                let by_position = |q: u32| {
                    let i = party.matched.binary_search_by_key(&q, |&(p, _)| p).ok()?;
                    Some((party.matched[i].1, *secrets.outputs.get(i)?))
                };
                party.partner_fields = open_values(fields.sealed, Direction::ResponderToStarter, by_position)?;
                party.finish();
                None
            }
        };
        Ok(Advance { party, message })
    }
}

impl Party {
    /// The session is over: its secrets go; its result stays, with the position in B's T of
    /// each matched element (what a plan message refers to accounts by).
    fn finish(&mut self) {
        self.step = Step::Done;
        self.secrets = None;
        self.order = Vec::new();
    }

    /// A: Q = sort{H(x)^r} with coarsened labels, and the commitment to n_A.
    fn make_offer(&mut self, d: &Dataset, out: &JobOutput, nonce: [u8; 32]) -> Vec<u8> {
        let (labels, _) = self.offered_labels(d);
        let mut v: Vec<(Element, u32)> =
            labels.iter().enumerate().map(|(i, &label)| (Element { point: point_at(&out.hashed, i), label }, i as u32)).collect();
        sort_by_point(&mut v, |(e, _)| &e.point);
        let (queries, order): (Vec<Element>, Vec<u32>) = v.into_iter().unzip();
        self.order = order;
        let offer = Offer {
            header: header(Kind::Offer, self.session, [0; 32]),
            from: announcement(&self.settings, d, self.role),
            commitment: transcript::commitment(&nonce),
            queries,
        };
        let bytes = offer.encode();
        self.transcript = transcript::after(&[0; 32], &bytes);
        bytes
    }

    /// B: R = Q^k (in order, or shuffled with A's labels), T = sort{tag(o(y))}.
    fn make_reply(
        &mut self,
        d: &Dataset,
        out: &JobOutput,
        offer: Offer,
        nonce: [u8; 32],
        answered: &[usize],
    ) -> Result<Vec<u8>, ProtocolError> {
        let elements = Elements::of(d, self.role);
        // My labels as A will see them: coarsened when A shares counts (it will count them).
        let labels = if offer.from.sharing.reveals_rows() {
            elements.labels.clone()
        } else {
            let (l, changed) = coarsen(&elements.labels, self.settings.min_population);
            let dropped = l.iter().filter(|&&x| x == 0).count();
            self.notes.extend(coarsening_note(changed, dropped, self.settings.min_population));
            l
        };
        let mut tagged: Vec<(Tagged, u32, [u8; 32])> = (0..elements.len())
            .map(|i| {
                let o = oprf::output(&self.session, &point_at(&out.hashed, i));
                (Tagged { tag: oprf::tag(&o), label: labels[i] }, i as u32, o)
            })
            .collect();
        crate::sort::by_key(&mut tagged, |(t, _, _)| {
            let mut hi = [0u8; 16];
            hi[..12].copy_from_slice(&t.tag);
            (u128::from_be_bytes(hi), 0)
        });
        self.order = tagged.iter().map(|(_, el, _)| *el).collect();
        let answers = if self.settings.sharing.reveals_rows() {
            Answers::InOrder((0..answered.len()).map(|i| point_at(&out.blinded, i)).collect())
        } else {
            let mut v: Vec<Element> = answered
                .iter()
                .enumerate()
                .map(|(j, &i)| Element { point: point_at(&out.blinded, j), label: offer.queries[i].label })
                .collect();
            sort_by_point(&mut v, |e| &e.point);
            Answers::Shuffled(v)
        };
        let reply = Reply {
            header: header(Kind::Reply, self.session, self.transcript),
            from: announcement(&self.settings, d, self.role),
            nonce,
            answers,
            tags: tagged.iter().map(|(t, _, _)| *t).collect(),
        };
        if let Some(s) = self.secrets.as_mut() {
            s.outputs = tagged.into_iter().map(|(_, _, o)| o).collect();
        }
        self.partner = Some(Partner { from: offer.from, set_size: offer.queries.len() });
        let bytes = reply.encode();
        self.transcript = transcript::after(&self.transcript, &bytes);
        Ok(bytes)
    }

    /// A, on the reply: o(x) = o(R^(1/r)), intersect with T, then the confirm.
    fn finish_starter(&mut self, d: &Dataset, reply: Reply, unblinded: &[u8]) -> Result<Vec<u8>, ProtocolError> {
        let nonce = self.secrets()?.nonce;
        let after_reply = self.transcript;
        self.code = Some(transcript::session_code(&after_reply, &nonce));
        let elements = Elements::of(d, self.role);
        let (offered, changed) = self.offered_labels(d);
        let tag_position = |o: &[u8; 32]| {
            let t = oprf::tag(o);
            reply.tags.binary_search_by(|x| x.tag.cmp(&t)).ok()
        };
        // (position q in T, my element if known, my label as the partner may see it, o)
        let mut matched: Vec<(u32, Option<u32>, u16, [u8; 32])> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        match &reply.answers {
            Answers::InOrder(_) => {
                for (p, &el) in self.order.iter().enumerate() {
                    let o = oprf::output(&self.session, &point_at(unblinded, p));
                    if let Some(q) = tag_position(&o) {
                        if !seen.insert(q) {
                            return Err(MessageError::DuplicateElement { index: p }.into());
                        }
                        matched.push((q as u32, Some(el), elements.labels[el as usize], o));
                    }
                }
            }
            Answers::Shuffled(v) => {
                for (i, e) in v.iter().enumerate() {
                    let o = oprf::output(&self.session, &point_at(unblinded, i));
                    if let Some(q) = tag_position(&o) {
                        if !seen.insert(q) {
                            return Err(MessageError::DuplicateElement { index: i }.into());
                        }
                        matched.push((q as u32, None, e.label, o));
                    }
                }
                let dropped = offered.iter().filter(|&&x| x == 0).count();
                self.notes.extend(coarsening_note(changed, dropped, self.settings.min_population));
            }
        }
        crate::sort::by_key(&mut matched, |m| (u128::from(m.0), 0));
        let partner_label = |q: u32| reply.tags[q as usize].label;
        self.outcome = Some(match &reply.answers {
            Answers::InOrder(_) => Outcome::Keys(matched.iter().filter_map(|m| Some((m.1?, partner_label(m.0)))).collect()),
            Answers::Shuffled(_) => Outcome::Pairs(matched.iter().map(|m| (m.2, partner_label(m.0))).collect()),
        });

        let told = if self.settings.sharing.reveals_rows() {
            Told::Matches(matched.iter().map(|m| Claim { position: m.0, proof: oprf::proof(&m.3), label: m.2 }).collect())
        } else {
            let mut pairs: Vec<(u16, u16)> =
                matched.iter().map(|m| (partner_label(m.0), m.2)).filter(|p| p.0 != 0 && p.1 != 0).collect();
            crate::sort::by_key(&mut pairs, |p| ((u128::from(p.0) << 16) | u128::from(p.1), 0));
            Told::Pairs(pairs)
        };
        let knows_rows = matches!(reply.answers, Answers::InOrder(_));
        let with_element: Vec<(u32, u32, [u8; 32])> = matched.iter().filter_map(|m| Some((m.0, m.1?, m.3))).collect();
        let sealed = if self.settings.sharing == Sharing::Fields {
            if knows_rows {
                seal_my_values(d, self.role, &self.settings, Direction::StarterToResponder, &with_element, &mut self.notes)
            } else {
                self.notes.push(
                    "your fields were not sent: the partner shares counts only, so you cannot know which of your rows overlap"
                        .into(),
                );
                Sealed::default()
            }
        } else {
            Sealed::default()
        };
        let confirm = Confirm { header: header(Kind::Confirm, self.session, self.transcript), nonce, outcome: told, sealed };
        let bytes = confirm.encode(reply.tags.len());
        self.transcript = transcript::after(&self.transcript, &bytes);
        if reply.from.sharing == Sharing::Fields && self.settings.sharing.reveals_rows() && knows_rows {
            self.step = Step::AwaitFields;
            self.matched = with_element.iter().map(|&(q, el, _)| (q, el)).collect();
            let outputs = with_element.iter().map(|m| m.2).collect();
            if let Some(s) = self.secrets.as_mut() {
                s.outputs = outputs;
            }
        } else {
            self.matched = if knows_rows { with_element.iter().map(|&(q, el, _)| (q, el)).collect() } else { Vec::new() };
            self.finish();
        }
        Ok(bytes)
    }

    /// B, on the confirm: check every claim's proof; open A's values; seal mine for A.
    fn finish_responder(
        &mut self,
        d: &Dataset,
        confirm: Confirm,
        after_reply: &[u8; 32],
    ) -> Result<Option<Vec<u8>>, ProtocolError> {
        let partner = self.partner.clone().ok_or(ProtocolError::BadState("partner"))?;
        self.code = Some(transcript::session_code(after_reply, &confirm.nonce));
        let secrets = self.secrets()?.clone();
        let claims = match confirm.outcome {
            Told::Matches(claims) => {
                if !partner.from.sharing.reveals_rows() {
                    return Err(MessageError::Malformed { what: "result (it disagrees with the partner's sharing level)" }.into());
                }
                for (i, c) in claims.iter().enumerate() {
                    let o = secrets.outputs.get(c.position as usize).ok_or(ProtocolError::BadState("outputs"))?;
                    if !oprf::proof_matches(o, &c.proof) {
                        return Err(MessageError::UnprovenClaim { index: i }.into());
                    }
                }
                self.outcome = Some(Outcome::Keys(claims.iter().map(|c| (self.order[c.position as usize], c.label)).collect()));
                self.matched = claims.iter().map(|c| (c.position, self.order[c.position as usize])).collect();
                crate::sort::by_key(&mut self.matched, |m| (u128::from(m.0), 0));
                claims
            }
            Told::Pairs(pairs) => {
                if partner.from.sharing.reveals_rows() {
                    return Err(MessageError::Malformed { what: "result (it disagrees with the partner's sharing level)" }.into());
                }
                self.outcome = Some(Outcome::Pairs(pairs));
                Vec::new()
            }
        };
        let order = &self.order;
        self.partner_fields = open_values(confirm.sealed, Direction::StarterToResponder, |q| {
            Some((*order.get(q as usize)?, *secrets.outputs.get(q as usize)?))
        })?;
        let mut message = None;
        if self.settings.sharing == Sharing::Fields {
            if partner.from.sharing.reveals_rows() {
                let matched: Vec<(u32, u32, [u8; 32])> = claims
                    .iter()
                    .map(|c| (c.position, self.order[c.position as usize], secrets.outputs[c.position as usize]))
                    .collect();
                let sealed =
                    seal_my_values(d, self.role, &self.settings, Direction::ResponderToStarter, &matched, &mut self.notes);
                let msg = FieldsMessage { header: header(Kind::Fields, self.session, self.transcript), sealed };
                let bytes = msg.encode();
                self.transcript = transcript::after(&self.transcript, &bytes);
                message = Some(bytes);
            } else {
                self.notes.push(
                    "your fields were not sent: the partner shares counts only, so you cannot know which of your rows overlap"
                        .into(),
                );
            }
        }
        self.finish();
        Ok(message)
    }
}
