//! Joint potential: a transparent score per overlapping account, with the reasons behind it.
//!
//! Points, each with a reason the user reads (docs/CO-SELLING.md):
//!
//! | what | points |
//! |---|---|
//! | shape | joint pursuit 40, customer expansion 30, source to source 25, shared customer 5, shared target / unclassified 0 |
//! | match confidence | high 20, likely (name + city) 5, possible (name only) −10 |
//! | my deal stage | late 10, middle 6, early or unknown 3 |
//! | my deal amount | up to 15, by rank among my overlapping accounts |
//! | the account's annual revenue | up to 5, by rank |
//! | my last activity | ≤ 30 days 8, ≤ 90 days 4, over a year −5 |
//! | the partner's deal stage (shared) | late 6, middle 4, early or unknown 2 |
//! | the partner's owner (shared) | 3 |
//!
//! Ties keep file order. Partner values shown in reasons are made printable and cut short.

use crate::ingest::columns::{header_score, Field};
use crate::ingest::populations::is_open_stage;
use crate::ingest::Dataset;
use crate::keys::Confidence;
use crate::model::{parse_amount, parse_date, PopulationRole};
use crate::report::{MatchedRow, Report};

use super::shape::{role_bit, Rule, RuleTable, Shape, Side};

/// One overlapping account, ranked.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    /// Index in [`Report::matches`].
    pub index: usize,
    /// My row.
    pub row: u32,
    /// The shape and who leads.
    pub rule: Rule,
    /// Match confidence.
    pub confidence: Confidence,
    /// The score (higher first).
    pub score: i32,
    /// Why, in order of weight: `joint pursuit: both have open deals`, `your amount 120k`…
    pub reasons: Vec<String>,
    /// My owner of the account, when a column holds it.
    pub my_owner: String,
    /// The partner's owner, when it shared one.
    pub partner_owner: String,
}

/// How far a deal has gone, from its stage's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Proposal, negotiation, contract…
    Late,
    /// Qualified, evaluating, demo…
    Middle,
    /// Prospecting, discovery, or a stage the words do not place.
    Early,
}

/// The stage of an open deal stage cell; `None` for an empty or closed one.
pub fn stage_of(cell: &str) -> Option<Stage> {
    if !is_open_stage(cell) {
        return None;
    }
    // ASCII case folding: stage words are English (the full case tables would cost the wasm).
    let c: String = cell.chars().filter(|c| c.is_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    let has = |words: &[&str]| words.iter().any(|w| c.contains(w));
    Some(if has(&["negotiat", "proposal", "quote", "contract", "commit", "boughtin", "closing", "verbal", "procure", "legal"]) {
        Stage::Late
    } else if has(&[
        "value",
        "needs",
        "analysis",
        "perception",
        "decisionmaker",
        "demo",
        "presentation",
        "evaluat",
        "trial",
        "pilot",
        "tobuy",
        "solution",
        "technical",
        "review",
    ]) {
        Stage::Middle
    } else {
        Stage::Early
    })
}

/// An amount in few characters: `950`, `120k`, `1.3M`, `571M`, `3B` (halves round up). Integer
/// arithmetic: float formatting would cost the wasm ~20 kB.
pub fn short_amount(v: f64) -> String {
    let n = if v.is_finite() && v > 0.0 { v.round().min(1e18) as u64 } else { 0 };
    for (d, unit) in [(1_000_000_000u64, "B"), (1_000_000, "M"), (1_000, "k")] {
        if n >= d {
            let tenths = (n * 10 + d / 2) / d;
            return if tenths >= 1000 || tenths % 10 == 0 {
                format!("{}{unit}", (n + d / 2) / d)
            } else {
                format!("{}.{}{unit}", tenths / 10, tenths % 10)
            };
        }
    }
    n.to_string()
}

/// A partner's value as it may appear in a reason: printable, at most 40 characters.
fn quoted(v: &str) -> String {
    let p = crate::text::printable(v.trim());
    let mut s: String = p.chars().take(40).collect();
    if p.chars().count() > 40 {
        s.push('…');
    }
    s
}

/// The columns the score reads: mine by the dataset's mapping, the partner's by the names of
/// the fields it shared.
struct Columns {
    owner: Option<usize>,
    amount: Option<usize>,
    revenue: Option<usize>,
    stage: Option<usize>,
    activity: Option<usize>,
    partner_owner: Option<usize>,
    partner_stage: Option<usize>,
}

impl Columns {
    fn of(d: &Dataset, r: &Report) -> Columns {
        let m = d.mapping();
        let mine = |f: Field| m.get(f).map(|c| c.column);
        let theirs =
            |f: Field| {
                r.partner_fields.iter().enumerate().map(|(i, n)| (i, header_score(n, f))).filter(|&(_, s)| s >= 0.5).fold(
                    None,
                    |best: Option<(usize, f32)>, (i, s)| if best.is_none_or(|b| s > b.1) { Some((i, s)) } else { best },
                )
            };
        Columns {
            owner: mine(Field::Owner),
            amount: mine(Field::Amount),
            revenue: mine(Field::Revenue),
            stage: mine(Field::DealStage),
            activity: mine(Field::LastActivity),
            partner_owner: theirs(Field::Owner).map(|b| b.0),
            partner_stage: theirs(Field::DealStage).map(|b| b.0),
        }
    }
}

/// The fraction of `sorted` strictly below `v`, scaled to the top value 1.0.
fn rank_of(sorted: &[f64], v: f64) -> f64 {
    if sorted.len() < 2 {
        return 1.0;
    }
    let below = sorted.partition_point(|&x| x < v);
    below as f64 / (sorted.len() - 1) as f64
}

/// Role sets as bit masks ([`role_bit`]) of the populations in `mask`.
fn roles(pops: &[crate::model::Population], mask: u16) -> u8 {
    pops.iter().enumerate().filter(|&(i, _)| i < 16 && mask & (1 << i) != 0).fold(0, |a, (_, p)| a | role_bit(p.role))
}

fn shape_reason(rule: Rule, mine: u8, theirs: u8) -> String {
    let has = |set: u8, r: PopulationRole| set & role_bit(r) != 0;
    let why = match (rule.shape, rule.lead) {
        (Shape::JointPursuit, _) => "both have open deals".to_string(),
        (Shape::CustomerExpansion, Side::Us) => {
            format!(
                "your customer, the partner's {}",
                if has(theirs, PopulationRole::Opportunity) { "open deal" } else { "prospect" }
            )
        }
        (Shape::CustomerExpansion, _) => {
            format!(
                "the partner's customer, your {}",
                if has(mine, PopulationRole::Opportunity) { "open deal" } else { "prospect" }
            )
        }
        (Shape::SourceToSource, Side::Us) => "your open deal, the partner's prospect".into(),
        (Shape::SourceToSource, _) => "the partner's open deal, your prospect".into(),
        (Shape::SharedCustomer, _) => "both have it as a customer".into(),
        (Shape::SharedTarget, _) => "both target it, no deal yet".into(),
        (Shape::Unclassified, _) => "a population's role is other".into(),
    };
    format!("{}: {why}", rule.shape.label().split(" (").next().unwrap_or_default().to_lowercase())
}

/// Every overlapping account of `report` (rows mode), scored and sorted, best first.
/// `today` is the day scores measure recency from, in days since 1970-01-01.
pub fn rank(dataset: &Dataset, report: &Report, table: &RuleTable, today: i64) -> Vec<Ranked> {
    let cols = Columns::of(dataset, report);
    // Each overlapping row's cells, read once.
    let rows: Vec<Vec<String>> = report.matches.iter().map(|m| dataset.row_fields(m.row as usize)).collect();
    let partner_cell = |m: &MatchedRow, col: Option<usize>| col.map(|c| m.partner_cell(c)).unwrap_or_default();
    let sorted = |col: Option<usize>| -> Vec<f64> {
        let Some(c) = col else { return Vec::new() };
        let mut v: Vec<f64> =
            rows.iter().filter_map(|f| parse_amount(f.get(c).map_or("", String::as_str))).filter(|&x| x > 0.0).collect();
        // Positive floats order as their bits (the crate's one sort: see crate::sort).
        crate::sort::by_key(&mut v, |x| (u128::from(x.to_bits()), 0));
        v
    };
    let (amounts, revenues) = (sorted(cols.amount), sorted(cols.revenue));

    let mut out: Vec<Ranked> = report
        .matches
        .iter()
        .enumerate()
        .map(|(index, m)| {
            let fields = &rows[index];
            let mine_at = |c: Option<usize>| c.and_then(|c| fields.get(c)).map(String::as_str).unwrap_or("");
            let mut points: Vec<(i32, String)> = Vec::new();

            let my_stage = cols.stage.and_then(|_| stage_of(mine_at(cols.stage)));
            let their_stage_text = partner_cell(m, cols.partner_stage);
            let their_stage = their_stage_text.split(" | ").find_map(stage_of);
            let mut mine = roles(&report.my_populations, m.my_populations);
            let mut theirs = roles(&report.partner_populations, m.partner_populations);
            if my_stage.is_some() {
                mine |= role_bit(PopulationRole::Opportunity);
            }
            if their_stage.is_some() {
                theirs |= role_bit(PopulationRole::Opportunity);
            }
            let rule = table.best(mine, theirs).unwrap_or(Rule { shape: Shape::Unclassified, lead: Side::Both });
            let shape_points = match rule.shape {
                Shape::JointPursuit => 40,
                Shape::CustomerExpansion => 30,
                Shape::SourceToSource => 25,
                Shape::SharedCustomer => 5,
                Shape::SharedTarget | Shape::Unclassified => 0,
            };
            points.push((shape_points, shape_reason(rule, mine, theirs)));

            let confidence = m.confidence();
            points.push(match confidence {
                Confidence::High => (20, format!("matched on {}", m.matched_on_words().next().unwrap_or("a key"))),
                Confidence::Likely => (5, "name + city match: verify before outreach".into()),
                Confidence::Possible => (-10, "name-only match: verify before outreach".into()),
            });

            if let Some(s) = my_stage {
                let (p, w) = match s {
                    Stage::Late => (10, " late"),
                    Stage::Middle => (6, " mid"),
                    Stage::Early => (3, "n early"),
                };
                points.push((p, format!("your deal at a{w} stage ({})", quoted(mine_at(cols.stage)))));
            }
            if let Some(v) = parse_amount(mine_at(cols.amount)).filter(|&v| v > 0.0) {
                let p = (15.0 * rank_of(&amounts, v)).round() as i32;
                points.push((p, format!("your amount {}", short_amount(v))));
            }
            if let Some(v) = parse_amount(mine_at(cols.revenue)).filter(|&v| v > 0.0) {
                let p = (5.0 * rank_of(&revenues, v)).round() as i32;
                points.push((p, format!("annual revenue {}", short_amount(v))));
            }
            if let Some(day) = parse_date(mine_at(cols.activity)) {
                let ago = (today - day).max(0);
                let p = match ago {
                    0..=30 => 8,
                    31..=90 => 4,
                    91..=365 => 0,
                    _ => -5,
                };
                let when = match ago {
                    0 => "today".to_string(),
                    1 => "yesterday".to_string(),
                    2..=60 => format!("{ago} days ago"),
                    _ => format!("{} months ago", ago / 30),
                };
                points.push((p, format!("your last activity {when}")));
            }
            if let Some(s) = their_stage {
                let p = match s {
                    Stage::Late => 6,
                    Stage::Middle => 4,
                    Stage::Early => 2,
                };
                let first = their_stage_text.split(" | ").find(|v| stage_of(v).is_some()).unwrap_or_default();
                points.push((p, format!("the partner's deal: {}", quoted(first))));
            }
            let partner_owner = partner_cell(m, cols.partner_owner);
            if let Some(first) = partner_owner.split(" | ").map(str::trim).find(|o| !o.is_empty()) {
                points.push((3, format!("the partner's owner: {}", quoted(first))));
            }

            let score = points.iter().map(|p| p.0).sum();
            // Reasons by weight, the shape first; zero-point facts stay (they explain a rank too).
            let shape = points.remove(0);
            crate::sort::by_key(&mut points, |p| (u128::from(u32::MAX - p.0.unsigned_abs()), 0));
            let reasons = std::iter::once(shape).chain(points).map(|p| p.1).collect();
            Ranked {
                index,
                row: m.row,
                rule,
                confidence,
                score,
                reasons,
                my_owner: mine_at(cols.owner).trim().to_string(),
                partner_owner: partner_owner.trim().to_string(),
            }
        })
        .collect();
    // Stable: ties keep file order.
    crate::sort::by_key(&mut out, |r| (u128::from((i64::from(i32::MAX) - i64::from(r.score)) as u64), 0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_by_their_words() {
        assert_eq!(stage_of("Negotiation/Review"), Some(Stage::Late));
        assert_eq!(stage_of("contractsent"), Some(Stage::Late));
        assert_eq!(stage_of("decisionmakerboughtin"), Some(Stage::Late));
        assert_eq!(stage_of("Id. Decision Makers"), Some(Stage::Middle));
        assert_eq!(stage_of("qualifiedtobuy"), Some(Stage::Middle));
        assert_eq!(stage_of("Prospecting"), Some(Stage::Early));
        assert_eq!(stage_of("appointmentscheduled"), Some(Stage::Early));
        assert_eq!(stage_of("Closed Won"), None);
        assert_eq!(stage_of("  "), None);
    }

    #[test]
    fn amounts_in_few_characters() {
        assert_eq!(short_amount(950.0), "950");
        assert_eq!(short_amount(120_000.0), "120k");
        assert_eq!(short_amount(1_250_000.0), "1.3M");
        assert_eq!(short_amount(76_240.0), "76.2k");
        assert_eq!(short_amount(999_960.0), "1000k");
        assert_eq!(short_amount(570_912_083.0), "571M");
        assert_eq!(short_amount(3_000_000_000.0), "3B");
    }

    #[test]
    fn partner_values_are_cut_and_made_printable() {
        let q = quoted(&format!("\u{1b}[31m{}", "x".repeat(100)));
        assert!(!q.contains('\u{1b}'));
        assert!(q.chars().count() <= 41);
    }
}
