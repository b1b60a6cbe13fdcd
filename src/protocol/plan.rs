//! The plan message: a joint account plan that names no account (docs/PROTOCOL.md §7).
//!
//! After a session in which both sides shared at least overlaps, each knows the same matched
//! elements, and both know each one's position in B's list T (A from its own intersection, B
//! from A's proven claims). A plan refers to its accounts by those positions only; the receiver
//! shows each under its own rows for that element. A position that is not one of the receiver's
//! matches refuses the whole message, so a plan cannot make the receiver show, or a partner
//! learn, an account that was not already in both reports.
//!
//! ```text
//! header (kind 5, the session, the session's final transcript hash)
//! u8 status (0 proposal, 1 accepted, 2 changes) · u32 revision · u16 n (≤ 100)
//! n × (u32 position · u8 shape · u8 lead · u8 support · u8 close · 7 × str16 (≤ 1,000 bytes))
//! checksum
//! ```
//! Sides are the sender's (`us` is the sender); shapes and sides use 0xFF for "not set". The
//! seven texts: the sender's owner, the receiver's owner as the sender knows it, the next step,
//! its owner, its date, the forecast date, notes.
//!
//! The message is not authenticated beyond the session id and transcript hash (the session's
//! secrets are gone by then): whoever saw the session's messages could write one. It carries only
//! words the user reads, shown as text, never run; see docs/THREAT-MODEL.md.

use std::collections::HashMap;

use super::elements::Elements;
use super::messages::{cut, open_as, Expect};
use super::party::{Party, Step};
use super::wire::{Header, Kind, Writer};
use super::{MessageError, ProtocolError};
use crate::ingest::Dataset;
use crate::normalize;
use crate::plan::{Duties, Entry, Plan, Shape, Side, LIMIT, TEXT_LIMIT};

/// Where a plan stands between the partners.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanStatus {
    /// Proposed by the sender.
    Proposal,
    /// The sender accepts the plan as it stands.
    Accepted,
    /// The sender answers with changes.
    Changes,
}

impl PlanStatus {
    /// `proposal`, `accepted` or `changes`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Proposal => "proposal",
            PlanStatus::Accepted => "accepted",
            PlanStatus::Changes => "changes",
        }
    }
    fn byte(self) -> u8 {
        match self {
            PlanStatus::Proposal => 0,
            PlanStatus::Accepted => 1,
            PlanStatus::Changes => 2,
        }
    }
    fn from_byte(b: u8) -> Option<PlanStatus> {
        [PlanStatus::Proposal, PlanStatus::Accepted, PlanStatus::Changes].into_iter().find(|s| s.byte() == b)
    }
}

impl std::str::FromStr for PlanStatus {
    type Err = crate::model::UnknownWord;
    fn from_str(s: &str) -> Result<PlanStatus, Self::Err> {
        [PlanStatus::Proposal, PlanStatus::Accepted, PlanStatus::Changes]
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or(crate::model::UnknownWord { what: "plan status", expected: "proposal, accepted or changes" })
    }
}

/// A partner's plan, on my rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedPlan {
    /// Proposal, acceptance or changes.
    pub status: PlanStatus,
    /// The sender's revision number.
    pub revision: u32,
    /// The plan in my terms: each entry on my first row for the account, sides seen from me,
    /// the sender's owner as the partner's owner.
    pub plan: Plan,
    /// Per entry, every row of mine for the account (a CRM may hold it more than once).
    pub rows: Vec<Vec<u32>>,
}

/// Every wire entry costs at least this many bytes: a count the bytes cannot pay is refused first.
const ENTRY_MIN: usize = 4 + 4 + 7 * 2;
const NONE: u8 = 0xff;

/// My rows and the positions in B's T of their matched elements.
struct Links {
    /// key id → the smallest position of a matched element standing for it.
    key_position: HashMap<u32, u32>,
    /// position → my element.
    matched: Vec<(u32, u32)>,
}

impl Party {
    fn links(&self, d: &Dataset) -> Result<Links, ProtocolError> {
        if self.step != Step::Done {
            return Err(ProtocolError::Plan("the session is not finished yet".into()));
        }
        self.check_dataset(d)?;
        let partner = self.partner.as_ref().ok_or(ProtocolError::BadState("partner"))?;
        if !self.settings.sharing.reveals_rows() || !partner.from.sharing.reveals_rows() {
            return Err(ProtocolError::Plan(
                "a named plan needs both sides to share at least overlaps (one side shared counts only)".into(),
            ));
        }
        let elements = Elements::of(d, self.role);
        let mut key_position = HashMap::new();
        for &(position, el) in &self.matched {
            for k in elements.keys_of(el) {
                let p = key_position.entry(k).or_insert(position);
                *p = (*p).min(position);
            }
        }
        Ok(Links { key_position, matched: self.matched.clone() })
    }

    /// The plan as a message for the partner. Every entry must be one of my overlapping rows.
    ///
    /// # Errors
    /// [`ProtocolError::Plan`] when the session is not finished, a side shared counts only, the
    /// plan has more than 100 accounts, or an entry's row is not an overlapping row (by its
    /// place in the plan, never its content); [`ProtocolError::DatasetMismatch`] for another file.
    pub fn plan_message(&self, d: &Dataset, plan: &Plan, status: PlanStatus, revision: u32) -> Result<Vec<u8>, ProtocolError> {
        let links = self.links(d)?;
        if plan.entries.len() > LIMIT {
            return Err(ProtocolError::Plan(format!("a plan holds at most {LIMIT} accounts")));
        }
        let header = Header {
            kind: Kind::Plan,
            session: self.session,
            transcript: self.transcript,
            normalization: normalize::VERSION.to_string(),
        };
        let mut w = Writer::new(&header);
        w.u8(status.byte());
        w.u32(revision);
        w.u16(plan.entries.len() as u16);
        for (i, e) in plan.entries.iter().enumerate() {
            let position = (e.row as usize)
                .lt(&d.row_count())
                .then(|| d.row_keys(e.row as usize).iter().filter_map(|k| links.key_position.get(k)).min().copied())
                .flatten()
                .ok_or_else(|| ProtocolError::Plan(format!("account {} of the plan is not in this session's overlap", i + 1)))?;
            w.u32(position);
            w.u8(e.shape.map_or(NONE, Shape::byte));
            let side = |s: Option<Side>| s.map_or(NONE, Side::byte);
            w.u8(side(e.duties.map(|d| d.lead)));
            w.u8(side(e.duties.map(|d| d.support)));
            w.u8(side(e.duties.map(|d| d.close)));
            for t in e.texts() {
                w.str16(cut(t, TEXT_LIMIT));
            }
        }
        Ok(w.finish())
    }

    /// Reads the partner's plan onto my rows.
    ///
    /// # Errors
    /// [`ProtocolError::Plan`] as for [`Party::plan_message`]; a [`MessageError`] for a message of
    /// another kind or session, one that does not follow this session's last message, more than
    /// 100 accounts, a text over 1,000 bytes, or an account that is not one of my overlaps.
    pub fn read_plan(&self, d: &Dataset, msg: &[u8]) -> Result<ReceivedPlan, ProtocolError> {
        let links = self.links(d)?;
        let expect = Expect { session: Some(&self.session), transcript: &self.transcript, max_set: LIMIT };
        let (_, mut r) = open_as(msg, Kind::Plan, &expect)?;
        let status = PlanStatus::from_byte(r.u8("plan status")?).ok_or(MessageError::Malformed { what: "plan status" })?;
        let revision = r.u32("plan revision")?;
        let n = r.u16("plan size")? as usize;
        if n > LIMIT {
            return Err(MessageError::Oversize { what: "accounts in a plan", limit: LIMIT, found: n }.into());
        }
        if n * ENTRY_MIN > r.remaining() {
            return Err(MessageError::Malformed { what: "plan size (more accounts than the message holds)" }.into());
        }
        // My rows per key, for the matched keys only.
        let mut rows_of_key: HashMap<u32, Vec<u32>> = links.key_position.keys().map(|&k| (k, Vec::new())).collect();
        for row in 0..d.row_count() {
            for k in d.row_keys(row) {
                if let Some(v) = rows_of_key.get_mut(k) {
                    v.push(row as u32);
                }
            }
        }
        let elements = Elements::of(d, self.role);
        let mut plan = Plan::default();
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let position = r.u32("plan position")?;
            let el = links
                .matched
                .binary_search_by_key(&position, |&(p, _)| p)
                .map(|i| links.matched[i].1)
                .map_err(|_| MessageError::Malformed { what: "plan account (not one of this session's overlaps)" })?;
            let shape = match r.u8("plan shape")? {
                NONE => None,
                b => Some(Shape::from_byte(b).ok_or(MessageError::Malformed { what: "plan shape" })?),
            };
            let mut sides = [None; 3];
            for s in sides.iter_mut() {
                *s = match r.u8("plan side")? {
                    NONE => None,
                    b => Some(Side::from_byte(b).ok_or(MessageError::Malformed { what: "plan side" })?.flip()),
                };
            }
            let mut texts: [String; 7] = Default::default();
            for t in texts.iter_mut() {
                *t = r.str16("plan text")?;
                if t.len() > TEXT_LIMIT {
                    return Err(MessageError::Oversize { what: "plan text", limit: TEXT_LIMIT, found: t.len() }.into());
                }
            }
            let mut mine: Vec<u32> =
                elements.keys_of(el).flat_map(|k| rows_of_key.get(&k).cloned().unwrap_or_default()).collect();
            crate::sort::by_key(&mut mine, |&r| (u128::from(r), 0));
            mine.dedup();
            let first = *mine.first().ok_or(MessageError::Malformed { what: "plan account (no row of mine)" })?;
            let [their_owner, my_owner, next_step, next_step_owner, next_step_date, forecast_date, notes] = texts;
            let duties = match sides {
                [Some(lead), Some(support), Some(close)] => Some(Duties { lead, support, close }),
                _ => None,
            };
            plan.entries.push(Entry {
                row: first,
                shape,
                duties,
                my_owner,
                partner_owner: their_owner,
                next_step,
                next_step_owner,
                next_step_date,
                forecast_date,
                notes,
            });
            rows.push(mine);
        }
        r.end()?;
        Ok(ReceivedPlan { status, revision, plan, rows })
    }
}
