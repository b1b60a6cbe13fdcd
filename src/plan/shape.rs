//! The co-selling shape of an overlapping account, from what each side has there.
//!
//! Three shapes are co-selling deals (docs/CO-SELLING.md): *joint pursuit* (both have an open
//! deal), *customer expansion* (one side's customer, the other's deal or target: led by the side
//! whose customer it is) and *source to source* (one side's open deal, the other's prospect:
//! brought by the side with the deal). Two are not deals and are labelled so: a *shared customer*
//! (a reference or integration story) and a *shared target* (co-marketing). An account whose
//! populations mean nothing to the rules (role "other" on a side) is *unclassified*.
//!
//! The [`RuleTable`] maps a pair of roles (mine, the partner's) to a shape and the side that
//! leads; the user can change any cell. An account in several populations takes the best shape
//! any of its role pairs gives.

use std::fmt;
use std::str::FromStr;

use crate::model::{PopulationRole, UnknownWord};

/// What kind of co-selling an overlapping account is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    /// Both sides have an open deal: pursue it together from the start.
    JointPursuit,
    /// One side's customer, the other's deal or target: sell alongside the existing relationship.
    CustomerExpansion,
    /// One side's open deal, the other's prospect: the side with the deal brings the partner in.
    SourceToSource,
    /// Both sides' customer: a reference or integration story, not a deal.
    SharedCustomer,
    /// Both sides' prospect, no deal: a co-marketing target, not a deal.
    SharedTarget,
    /// A side's populations say nothing about the relationship (role "other").
    Unclassified,
}

impl Shape {
    /// Every shape, best first.
    pub const ALL: [Shape; 6] = [
        Shape::JointPursuit,
        Shape::CustomerExpansion,
        Shape::SourceToSource,
        Shape::SharedCustomer,
        Shape::SharedTarget,
        Shape::Unclassified,
    ];

    /// `joint-pursuit`, `customer-expansion`, `source-to-source`, `shared-customer`,
    /// `shared-target` or `unclassified`.
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::JointPursuit => "joint-pursuit",
            Shape::CustomerExpansion => "customer-expansion",
            Shape::SourceToSource => "source-to-source",
            Shape::SharedCustomer => "shared-customer",
            Shape::SharedTarget => "shared-target",
            Shape::Unclassified => "unclassified",
        }
    }

    /// In a partnership manager's words.
    pub fn label(self) -> &'static str {
        match self {
            Shape::JointPursuit => "Joint pursuit",
            Shape::CustomerExpansion => "Customer expansion",
            Shape::SourceToSource => "Source to source",
            Shape::SharedCustomer => "Shared customer (reference, not a deal)",
            Shape::SharedTarget => "Shared target (co-marketing, not a deal)",
            Shape::Unclassified => "Unclassified",
        }
    }

    /// Whether the shape is a co-selling deal (the three shapes a plan is made of).
    pub fn is_deal(self) -> bool {
        matches!(self, Shape::JointPursuit | Shape::CustomerExpansion | Shape::SourceToSource)
    }

    /// Wire byte (plan messages).
    pub fn byte(self) -> u8 {
        Shape::ALL.iter().position(|&s| s == self).unwrap_or(5) as u8
    }

    /// From a wire byte.
    pub fn from_byte(b: u8) -> Option<Shape> {
        Shape::ALL.get(usize::from(b)).copied()
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Shape {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Shape, UnknownWord> {
        Shape::ALL.into_iter().find(|v| v.as_str() == s.trim()).ok_or(UnknownWord {
            what: "shape",
            expected: "joint-pursuit, customer-expansion, source-to-source, shared-customer, shared-target or unclassified",
        })
    }
}

/// A side of the partnership, from the point of view of whoever holds the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// This side.
    Us,
    /// The partner.
    Partner,
    /// Both together.
    Both,
}

impl Side {
    /// Every side.
    pub const ALL: [Side; 3] = [Side::Us, Side::Partner, Side::Both];

    /// `us`, `partner` or `both`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Us => "us",
            Side::Partner => "partner",
            Side::Both => "both",
        }
    }

    /// The same side seen from the partner.
    pub fn flip(self) -> Side {
        match self {
            Side::Us => Side::Partner,
            Side::Partner => Side::Us,
            Side::Both => Side::Both,
        }
    }

    /// Wire byte, from the sender's point of view.
    pub fn byte(self) -> u8 {
        match self {
            Side::Us => 0,
            Side::Partner => 1,
            Side::Both => 2,
        }
    }

    /// From a wire byte.
    pub fn from_byte(b: u8) -> Option<Side> {
        Side::ALL.into_iter().find(|s| s.byte() == b)
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Side {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Side, UnknownWord> {
        Side::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or(UnknownWord { what: "side", expected: "us, partner or both" })
    }
}

/// What a cell of the rule table says: the shape and the side that leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The shape.
    pub shape: Shape,
    /// Who leads: the customer side in an expansion, the side with the deal in source to source,
    /// both in a joint pursuit.
    pub lead: Side,
}

/// Who leads, supports and closes a planned account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duties {
    /// Owns the account plan and the next step.
    pub lead: Side,
    /// Brings its relationship or its deal knowledge.
    pub support: Side,
    /// Signs the deal the plan is for.
    pub close: Side,
}

impl Rule {
    /// The default duties: in an expansion the customer side leads (introductions, the
    /// existing rep's blessing) and the other side closes its own deal; in source to source
    /// the side with the deal brings the partner in, and the partner closes the
    /// partner-sourced opportunity; in a joint pursuit both do everything, each closing its own
    /// deal.
    pub fn duties(self) -> Duties {
        match (self.shape, self.lead) {
            (Shape::CustomerExpansion | Shape::SourceToSource, lead @ (Side::Us | Side::Partner)) => {
                Duties { lead, support: lead.flip(), close: lead.flip() }
            }
            _ => Duties { lead: Side::Both, support: Side::Both, close: Side::Both },
        }
    }
}

/// The shape and leading side for each pair of roles (mine, the partner's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleTable {
    cells: [[Rule; 4]; 4],
}

fn index(r: PopulationRole) -> usize {
    PopulationRole::ALL.iter().position(|&x| x == r).unwrap_or(3)
}

impl Default for RuleTable {
    /// The table of docs/CO-SELLING.md.
    fn default() -> RuleTable {
        use PopulationRole::{Customer, Opportunity, Other, Prospect};
        let mut t = RuleTable { cells: [[Rule { shape: Shape::Unclassified, lead: Side::Both }; 4]; 4] };
        for mine in PopulationRole::ALL {
            for theirs in PopulationRole::ALL {
                let rule = |shape, lead| Rule { shape, lead };
                let r = match (mine, theirs) {
                    (Other, _) | (_, Other) => rule(Shape::Unclassified, Side::Both),
                    (Opportunity, Opportunity) => rule(Shape::JointPursuit, Side::Both),
                    (Customer, Customer) => rule(Shape::SharedCustomer, Side::Both),
                    (Prospect, Prospect) => rule(Shape::SharedTarget, Side::Both),
                    (Customer, _) => rule(Shape::CustomerExpansion, Side::Us),
                    (_, Customer) => rule(Shape::CustomerExpansion, Side::Partner),
                    (Opportunity, Prospect) => rule(Shape::SourceToSource, Side::Us),
                    (Prospect, Opportunity) => rule(Shape::SourceToSource, Side::Partner),
                };
                t.cells[index(mine)][index(theirs)] = r;
            }
        }
        t
    }
}

/// A rule-table edit could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadShapeRule(pub String);

impl fmt::Display for BadShapeRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadShapeRule {}

impl RuleTable {
    /// The rule for my role `mine` and the partner's role `theirs`.
    pub fn get(&self, mine: PopulationRole, theirs: PopulationRole) -> Rule {
        self.cells[index(mine)][index(theirs)]
    }

    /// Changes one cell.
    pub fn set(&mut self, mine: PopulationRole, theirs: PopulationRole, rule: Rule) {
        self.cells[index(mine)][index(theirs)] = rule;
    }

    /// Applies an edit written `MINE×THEIRS=SHAPE` or `MINE×THEIRS=SHAPE/LEAD` (`x` for `×`),
    /// e.g. `customer×customer=joint-pursuit/both` or `prospect x opportunity=source-to-source/partner`.
    /// Without a lead, a shape led by one side keeps the cell's lead when it has one, else leads
    /// from the side that holds the deal or the customer.
    ///
    /// # Errors
    /// When the edit is not of that form.
    pub fn edit(&mut self, spec: &str) -> Result<(), BadShapeRule> {
        const USAGE: &str = "a shape rule is MINE×THEIRS=SHAPE[/LEAD], e.g. customer×opportunity=customer-expansion/us";
        let bad = |why: String| BadShapeRule(format!("{why} ({USAGE})"));
        let (pair, rule) = spec.split_once('=').ok_or_else(|| bad("no '='".into()))?;
        let (mine, theirs) = pair
            .split_once('×')
            .or_else(|| pair.split_once(['x', 'X', '*']))
            .ok_or_else(|| bad("no '×' between the two roles".into()))?;
        let mine: PopulationRole = mine.trim().parse().map_err(|e: UnknownWord| bad(e.to_string()))?;
        let theirs: PopulationRole = theirs.trim().parse().map_err(|e: UnknownWord| bad(e.to_string()))?;
        let (shape, lead) = match rule.split_once('/') {
            Some((s, l)) => (s, Some(l)),
            None => (rule, None),
        };
        let shape: Shape = shape.parse().map_err(|e: UnknownWord| bad(e.to_string()))?;
        let lead = match lead {
            Some(l) => l.parse().map_err(|e: UnknownWord| bad(e.to_string()))?,
            None => {
                let before = self.get(mine, theirs).lead;
                if before != Side::Both {
                    before
                } else {
                    default_lead(shape, mine, theirs)
                }
            }
        };
        self.set(mine, theirs, Rule { shape, lead });
        Ok(())
    }

    /// The best rule over every pair of one of `mine` and one of `theirs` (role sets as bit
    /// masks over [`PopulationRole::ALL`]); `None` when a side has no role at all.
    pub fn best(&self, mine: u8, theirs: u8) -> Option<Rule> {
        let mut best: Option<Rule> = None;
        for (i, m) in PopulationRole::ALL.into_iter().enumerate() {
            if mine & (1 << i) == 0 {
                continue;
            }
            for (j, t) in PopulationRole::ALL.into_iter().enumerate() {
                if theirs & (1 << j) == 0 {
                    continue;
                }
                let r = self.get(m, t);
                if best.is_none_or(|b| r.shape < b.shape) {
                    best = Some(r);
                }
            }
        }
        best
    }

    /// Every cell, row by row: `(mine, theirs, rule)`.
    pub fn cells(&self) -> impl Iterator<Item = (PopulationRole, PopulationRole, Rule)> + '_ {
        PopulationRole::ALL.into_iter().flat_map(move |m| PopulationRole::ALL.into_iter().map(move |t| (m, t, self.get(m, t))))
    }
}

/// The role-set bit of a role, for [`RuleTable::best`].
pub fn role_bit(r: PopulationRole) -> u8 {
    1 << index(r)
}

/// Who leads a shape when the user did not say.
fn default_lead(shape: Shape, mine: PopulationRole, theirs: PopulationRole) -> Side {
    use PopulationRole::{Customer, Opportunity};
    match shape {
        Shape::CustomerExpansion if mine == Customer => Side::Us,
        Shape::CustomerExpansion if theirs == Customer => Side::Partner,
        Shape::SourceToSource if mine == Opportunity => Side::Us,
        Shape::SourceToSource if theirs == Opportunity => Side::Partner,
        Shape::CustomerExpansion | Shape::SourceToSource => Side::Us,
        _ => Side::Both,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PopulationRole::{Customer, Opportunity, Other, Prospect};

    /// Every cell of the default table, as docs/CO-SELLING.md states it.
    #[test]
    fn the_default_table_cell_by_cell() {
        let t = RuleTable::default();
        let want = [
            (Customer, Customer, Shape::SharedCustomer, Side::Both),
            (Customer, Opportunity, Shape::CustomerExpansion, Side::Us),
            (Customer, Prospect, Shape::CustomerExpansion, Side::Us),
            (Opportunity, Customer, Shape::CustomerExpansion, Side::Partner),
            (Opportunity, Opportunity, Shape::JointPursuit, Side::Both),
            (Opportunity, Prospect, Shape::SourceToSource, Side::Us),
            (Prospect, Customer, Shape::CustomerExpansion, Side::Partner),
            (Prospect, Opportunity, Shape::SourceToSource, Side::Partner),
            (Prospect, Prospect, Shape::SharedTarget, Side::Both),
        ];
        for (m, th, shape, lead) in want {
            assert_eq!(t.get(m, th), Rule { shape, lead }, "{m}×{th}");
        }
        for r in PopulationRole::ALL {
            assert_eq!(t.get(Other, r).shape, Shape::Unclassified);
            assert_eq!(t.get(r, Other).shape, Shape::Unclassified);
        }
        assert_eq!(t.cells().count(), 16);
    }

    /// The table is symmetric: what I see as led by me, the partner sees as led by its partner.
    #[test]
    fn both_sides_agree_on_every_cell() {
        let t = RuleTable::default();
        for (m, th, r) in t.cells() {
            let other = t.get(th, m);
            assert_eq!(other.shape, r.shape, "{m}×{th}");
            assert_eq!(other.lead, r.lead.flip(), "{m}×{th}");
        }
    }

    #[test]
    fn the_best_pair_wins() {
        let t = RuleTable::default();
        // My customer that the partner has both as a customer and as an open deal: expansion.
        let rule = t.best(role_bit(Customer), role_bit(Customer) | role_bit(Opportunity)).unwrap();
        assert_eq!(rule, Rule { shape: Shape::CustomerExpansion, lead: Side::Us });
        // A customer with an open expansion deal, against the partner's open deal: joint pursuit.
        let rule = t.best(role_bit(Customer) | role_bit(Opportunity), role_bit(Opportunity)).unwrap();
        assert_eq!(rule.shape, Shape::JointPursuit);
        assert_eq!(t.best(0, role_bit(Customer)), None);
    }

    #[test]
    fn cells_can_be_edited() {
        let mut t = RuleTable::default();
        t.edit("customer×customer=joint-pursuit").unwrap();
        assert_eq!(t.get(Customer, Customer), Rule { shape: Shape::JointPursuit, lead: Side::Both });
        t.edit("other x prospect = source-to-source").unwrap();
        assert_eq!(t.get(Other, Prospect), Rule { shape: Shape::SourceToSource, lead: Side::Us });
        t.edit("prospect×opportunity=customer-expansion").unwrap();
        assert_eq!(t.get(Prospect, Opportunity).lead, Side::Partner, "keeps the cell's lead");
        t.edit("opportunity×opportunity=source-to-source/partner").unwrap();
        assert_eq!(t.get(Opportunity, Opportunity), Rule { shape: Shape::SourceToSource, lead: Side::Partner });
        for bad in
            ["customer=joint-pursuit", "customer×buyer=joint-pursuit", "customer×customer=friends", "c×c=joint-pursuit/them"]
        {
            let e = t.edit(bad).unwrap_err().to_string();
            assert!(e.contains("MINE×THEIRS"), "{bad}: {e}");
        }
    }

    #[test]
    fn duties_follow_the_shape() {
        let d = Rule { shape: Shape::CustomerExpansion, lead: Side::Partner }.duties();
        assert_eq!(d, Duties { lead: Side::Partner, support: Side::Us, close: Side::Us });
        let d = Rule { shape: Shape::JointPursuit, lead: Side::Both }.duties();
        assert_eq!(d, Duties { lead: Side::Both, support: Side::Both, close: Side::Both });
        for s in Shape::ALL {
            assert_eq!(Shape::from_byte(s.byte()), Some(s));
            assert_eq!(s.as_str().parse::<Shape>().unwrap(), s);
        }
    }
}
