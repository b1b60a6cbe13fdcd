//! From overlap to a co-selling plan: the shape of each overlapping account ([`shape`]), its
//! joint potential with reasons ([`score`]), the suggested shortlist and the joint account plan.
//!
//! A plan is 8 to 15 named accounts (docs/CO-SELLING.md): [`Plan::suggest`] proposes the
//! [`SUGGESTED`] best co-selling deals matched with high confidence; [`Plan::warnings`] says when
//! a plan has grown past [`MOST`] ("a plan that cannot name its accounts is a vertical list").

pub mod score;
pub mod shape;

pub use score::{rank, short_amount, stage_of, Ranked, Stage};
pub use shape::{role_bit, BadShapeRule, Duties, Rule, RuleTable, Shape, Side};

use crate::csv_out::{Flavour, Writer};
use crate::ingest::{Dataset, Field};
use crate::keys::Confidence;

/// Accounts the shortlist suggests.
pub const SUGGESTED: usize = 12;
/// The fewest accounts a plan should name.
pub const FEWEST: usize = 8;
/// The most accounts a plan should name.
pub const MOST: usize = 15;
/// The most accounts a plan can hold at all (and a plan message can carry).
pub const LIMIT: usize = 100;
/// The longest text of a plan entry, in bytes (a next step, a note).
pub const TEXT_LIMIT: usize = 1000;

/// The columns "co-sell planning" shares: the owner and the deal stage (their headers, as the
/// file has them), when the file has them. Overlaps plus these let both partners plan named
/// accounts with each other's owner and deal stage.
pub fn co_sell_fields(dataset: &Dataset) -> Vec<String> {
    [Field::Owner, Field::DealStage].into_iter().filter_map(|f| dataset.mapping().get(f).map(|c| c.header.clone())).collect()
}

/// One account of the joint plan.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Entry {
    /// My row.
    pub row: u32,
    /// The co-selling shape.
    pub shape: Option<Shape>,
    /// Who leads, supports and closes.
    pub duties: Option<Duties>,
    /// My owner of the account.
    pub my_owner: String,
    /// The partner's owner (when it shared one, or as the partners agreed).
    pub partner_owner: String,
    /// The next step, e.g. "intro call with the CFO".
    pub next_step: String,
    /// Who does the next step.
    pub next_step_owner: String,
    /// When (a date as the user wrote it; `YYYY-MM-DD` from the page).
    pub next_step_date: String,
    /// When the deal is forecast to close.
    pub forecast_date: String,
    /// Use case, buying-committee members, anything else.
    pub notes: String,
}

impl Entry {
    /// A new entry for a ranked account, with the default duties of its shape.
    pub fn from_ranked(r: &Ranked) -> Entry {
        Entry {
            row: r.row,
            shape: Some(r.rule.shape),
            duties: Some(r.rule.duties()),
            my_owner: r.my_owner.clone(),
            partner_owner: r.partner_owner.clone(),
            ..Entry::default()
        }
    }

    /// Cuts every text to [`TEXT_LIMIT`] bytes (at a character boundary).
    pub fn bounded(mut self) -> Entry {
        for t in self.texts_mut() {
            if t.len() > TEXT_LIMIT {
                let mut end = TEXT_LIMIT;
                while !t.is_char_boundary(end) {
                    end -= 1;
                }
                t.truncate(end);
            }
        }
        self
    }

    /// The free texts, in wire order.
    pub fn texts(&self) -> [&String; 7] {
        [
            &self.my_owner,
            &self.partner_owner,
            &self.next_step,
            &self.next_step_owner,
            &self.next_step_date,
            &self.forecast_date,
            &self.notes,
        ]
    }

    fn texts_mut(&mut self) -> [&mut String; 7] {
        [
            &mut self.my_owner,
            &mut self.partner_owner,
            &mut self.next_step,
            &mut self.next_step_owner,
            &mut self.next_step_date,
            &mut self.forecast_date,
            &mut self.notes,
        ]
    }
}

/// The joint account plan: the accounts the partners pursue together this quarter.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Plan {
    /// The accounts, in plan order.
    pub entries: Vec<Entry>,
}

impl Plan {
    /// The best `size` co-selling deals of `ranking` (joint pursuit, customer expansion, source
    /// to source) matched with high confidence; with `likely`, name + city matches too. Name-only
    /// matches are never suggested: verify them before outreach.
    pub fn suggest(ranking: &[Ranked], size: usize, likely: bool) -> Plan {
        let ok = |c: Confidence| c == Confidence::High || (likely && c == Confidence::Likely);
        let entries = ranking
            .iter()
            .filter(|r| r.rule.shape.is_deal() && ok(r.confidence))
            .take(size.min(LIMIT))
            .map(Entry::from_ranked)
            .collect();
        Plan { entries }
    }

    /// What the user should know about the plan's size.
    pub fn warnings(&self) -> Vec<String> {
        let n = self.entries.len();
        let mut w = Vec::new();
        if n > MOST {
            w.push(format!(
                "{n} accounts: a joint plan works with {FEWEST} to {MOST} named accounts; beyond that it is a vertical list, not a plan"
            ));
        } else if n > 0 && n < FEWEST {
            w.push(format!("{n} accounts: a joint plan usually names {FEWEST} to {MOST}; add more if the overlap allows"));
        }
        w
    }

    /// The plan as CSV: the account's name and website or domain from my file, then shape,
    /// lead, support, close, both owners, next step (with owner and date), forecast date, notes,
    /// score and reasons (from `ranking`, when the account is in it). Every cell goes through
    /// the formula guard of [`crate::csv_out`] for `flavour`.
    pub fn to_csv(&self, dataset: &Dataset, ranking: &[Ranked], flavour: Flavour) -> Vec<u8> {
        let mut w = Writer::new(flavour);
        w.record([
            "account",
            "website",
            "shape",
            "lead",
            "support",
            "closes",
            "our_owner",
            "partner_owner",
            "next_step",
            "next_step_owner",
            "next_step_date",
            "forecast_date",
            "notes",
            "score",
            "why",
        ]);
        let col = |f: Field| dataset.mapping().get(f).map(|c| c.column);
        let (name, web, domain) = (col(Field::Name), col(Field::Website), col(Field::Domain));
        for e in &self.entries {
            let cells = dataset.row_fields(e.row as usize);
            let at = |c: Option<usize>| c.and_then(|c| cells.get(c)).cloned().unwrap_or_default();
            let site = Some(at(web)).filter(|s| !s.trim().is_empty()).unwrap_or_else(|| at(domain));
            let ranked = ranking.iter().find(|r| r.row == e.row);
            let side = |s: Option<Side>| s.map(|s| s.as_str()).unwrap_or_default().to_string();
            let d = e.duties;
            w.record([
                at(name),
                site,
                e.shape.map(|s| s.as_str()).unwrap_or_default().to_string(),
                side(d.map(|d| d.lead)),
                side(d.map(|d| d.support)),
                side(d.map(|d| d.close)),
                e.my_owner.clone(),
                e.partner_owner.clone(),
                e.next_step.clone(),
                e.next_step_owner.clone(),
                e.next_step_date.clone(),
                e.forecast_date.clone(),
                e.notes.clone(),
                ranked.map(|r| r.score.to_string()).unwrap_or_default(),
                ranked.map(|r| r.reasons.join("; ")).unwrap_or_default(),
            ]);
        }
        w.into_bytes()
    }
}
