//! Populations: which rows are Customers, Open Opportunities, Prospects…
//!
//! A [`PopulationRule`] names a population and selects rows: those whose cell in a column is one
//! of some values, every row, or the rows no other rule took. Values compare ignoring case, spaces
//! and punctuation, so `Customer - Direct`, `customer direct` and HubSpot's internal
//! `marketingqualifiedlead` for "Marketing Qualified Lead" all match as meant. A row may be in
//! several populations; there are at most [`MAX_POPULATIONS`] (a 16-bit mask travels with each
//! key).
//!
//! Without rules from the user, [`default_rules`] follows Crossbeam's standard populations:
//! Customers, Open Opportunities and Prospects from the recognised type/stage column (Salesforce
//! Type, HubSpot Lifecycle Stage, Dynamics Relationship Type, Zoho Account Type, Pipedrive Label,
//! Close Status), plus "Other" for every remaining row so none silently disappears; without such a
//! column, one population, "All accounts". Default populations that end up empty are dropped.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use super::headers::find_column;
use super::IngestError;
use crate::model::PopulationRole;

pub use crate::model::MAX_POPULATIONS;

/// The name of the single population used when there is no type/stage column.
pub const ALL_ACCOUNTS: &str = "All accounts";

/// Which rows a population takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Select {
    /// Every row.
    All,
    /// Rows whose cell in `column` (a header, or `#N`) is one of `values`.
    Values {
        /// The column's header as in the file (or `#N`, 1-based).
        column: String,
        /// The values that put a row in; compared ignoring case, spaces and punctuation.
        values: Vec<String>,
    },
    /// Rows no `Values` or `All` rule took.
    Rest,
    /// Rows whose cell in `column` is filled with anything but a closed stage (`Closed Won`,
    /// `closedlost`, `Won`, `Lost`…): the open deals of an opportunity-stage column.
    Open {
        /// The column's header as in the file (or `#N`, 1-based).
        column: String,
    },
}

/// Stage values that mean the deal is over (compacted), for [`Select::Open`].
const CLOSED_STAGES: [&str; 8] = ["closedwon", "closedlost", "won", "lost", "closed", "dealwon", "deallost", "closedwonlost"];

/// Whether a stage cell names an open deal: filled, and not a closed stage.
pub fn is_open_stage(cell: &str) -> bool {
    let c = compact(cell);
    !c.is_empty() && !CLOSED_STAGES.contains(&c.as_str())
}

/// A named population and the rows it takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PopulationRule {
    /// The name shown to both partners.
    pub name: String,
    /// The rows it takes.
    pub select: Select,
    /// What it means in this CRM; `None`: guessed from the name ([`PopulationRole::guess`]).
    pub role: Option<PopulationRole>,
}

impl PopulationRule {
    /// Every row.
    pub fn all(name: impl Into<String>) -> PopulationRule {
        PopulationRule { name: name.into(), select: Select::All, role: None }
    }

    /// Rows whose `column` cell is one of `values`.
    pub fn values<S: Into<String>>(
        name: impl Into<String>,
        column: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> PopulationRule {
        PopulationRule {
            name: name.into(),
            select: Select::Values { column: column.into(), values: values.into_iter().map(Into::into).collect() },
            role: None,
        }
    }

    /// Rows whose `column` holds an open deal stage (role: opportunity).
    pub fn open(name: impl Into<String>, column: impl Into<String>) -> PopulationRule {
        PopulationRule {
            name: name.into(),
            select: Select::Open { column: column.into() },
            role: Some(PopulationRole::Opportunity),
        }
    }

    /// The same rule with a role given by the user instead of the guessed one.
    pub fn with_role(mut self, role: PopulationRole) -> PopulationRule {
        self.role = Some(role);
        self
    }

    /// The role: the one given, or the one guessed from the name.
    pub fn effective_role(&self) -> PopulationRole {
        self.role.unwrap_or_else(|| PopulationRole::guess(&self.name))
    }

    /// Rows no other rule took.
    pub fn rest(name: impl Into<String>) -> PopulationRule {
        PopulationRule { name: name.into(), select: Select::Rest, role: None }
    }
}

impl fmt::Display for PopulationRule {
    /// The [`FromStr`] form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(r) = self.role {
            write!(f, "({r})")?;
        }
        match &self.select {
            Select::All => f.write_str("=*"),
            Select::Rest => f.write_str("=rest"),
            Select::Values { column, values } => write!(f, "={}:{}", column, values.join("|")),
            Select::Open { column } => write!(f, "={column}:*"),
        }
    }
}

/// A population rule could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRule(&'static str);

impl fmt::Display for BadRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for BadRule {}

impl FromStr for PopulationRule {
    type Err = BadRule;
    /// `Name=Column:value1|value2` (rows whose Column is one of the values), `Name=Column:*` (rows
    /// whose Column holds an open deal stage: filled, not closed won/lost), `Name=*` (every row)
    /// or `Name=rest` (rows no other rule took), e.g. `Customers=Type:Customer - Direct|Customer - Channel`.
    /// The name may end with the population's role in parentheses — `Key accounts(customer)=Tier:gold`
    /// (customer, opportunity, prospect or other); without it the role is guessed from the name.
    fn from_str(s: &str) -> Result<PopulationRule, BadRule> {
        const USAGE: &str =
            "a population rule is Name=Column:value1|value2, Name=Column:* (open deal stages), Name=* or Name=rest (Name may end with (customer), (opportunity), (prospect) or (other))";
        let (name, sel) = s.split_once('=').ok_or(BadRule(USAGE))?;
        let mut name = name.trim();
        let mut role = None;
        if let Some((base, r)) = name.strip_suffix(')').and_then(|n| n.rsplit_once('(')) {
            if let Ok(r) = r.parse::<PopulationRole>() {
                role = Some(r);
                name = base.trim();
            }
        }
        if name.is_empty() {
            return Err(BadRule(USAGE));
        }
        let with_role = |rule: PopulationRule| match role {
            Some(r) => rule.with_role(r),
            None => rule,
        };
        match sel.trim() {
            "*" => Ok(with_role(PopulationRule::all(name))),
            "rest" => Ok(with_role(PopulationRule::rest(name))),
            sel => {
                let (column, values) = sel.rsplit_once(':').ok_or(BadRule(USAGE))?;
                let values: Vec<&str> = values.split('|').map(str::trim).filter(|v| !v.is_empty()).collect();
                if column.trim().is_empty() || values.is_empty() {
                    return Err(BadRule(USAGE));
                }
                if values == ["*"] {
                    let rule = PopulationRule::open(name, column.trim());
                    return Ok(PopulationRule { role: role.or(rule.role), ..rule });
                }
                Ok(with_role(PopulationRule::values(name, column.trim(), values)))
            }
        }
    }
}

/// `value` lower-cased with everything but letters and digits removed, into `out`.
pub(crate) fn compact_into(value: &str, out: &mut String) {
    out.clear();
    if value.is_ascii() {
        out.extend(value.bytes().filter(u8::is_ascii_alphanumeric).map(|b| b.to_ascii_lowercase() as char));
    } else {
        out.extend(value.chars().filter(|c| c.is_alphanumeric()).flat_map(crate::normalize::unicode::to_lowercase));
    }
}

fn compact(value: &str) -> String {
    let mut s = String::new();
    compact_into(value, &mut s);
    s
}

/// The standard populations, in order.
pub const CUSTOMERS: &str = "Customers";
/// See [`CUSTOMERS`].
pub const OPEN_OPPORTUNITIES: &str = "Open Opportunities";
/// See [`CUSTOMERS`].
pub const PROSPECTS: &str = "Prospects";
/// See [`CUSTOMERS`].
pub const OTHER: &str = "Other";

/// Type/stage values of the common CRMs, per standard population.
const VOCABULARY: [(&str, &[&str]); 3] = [
    (
        CUSTOMERS,
        &[
            "Customer",
            "Customer - Direct",
            "Customer - Channel",
            "Customers",
            "Client",
            "Clients",
            "Active Customer",
            "Current Customer",
            "Existing Customer",
            "Paying Customer",
            "Evangelist",
            "Closed Won",
            "Won",
            "Kunde",
            "Client actif",
        ],
    ),
    (
        OPEN_OPPORTUNITIES,
        &[
            "Opportunity",
            "Opportunities",
            "Open Opportunity",
            "Open Deal",
            "In Deal",
            "Negotiation",
            "Proposal",
            "Evaluation",
            "Trial",
            "Pilot",
        ],
    ),
    (
        PROSPECTS,
        &[
            "Prospect",
            "Prospects",
            "Lead",
            "Leads",
            "Subscriber",
            "Marketing Qualified Lead",
            "Sales Qualified Lead",
            "MQL",
            "SQL",
            "Potential Customer",
            "Potential",
            "Target",
            "Hot lead",
            "Warm lead",
            "Cold lead",
            "Qualified",
            "Interessent",
        ],
    ),
];

/// The standard population a compacted type/stage value belongs to, if any.
pub(crate) fn default_population(compacted: &str) -> Option<&'static str> {
    static COMPACTED: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let table = COMPACTED
        .get_or_init(|| VOCABULARY.iter().flat_map(|(name, vals)| vals.iter().map(move |v| (compact(v), *name))).collect());
    table.get(compacted).copied()
}

/// The population of open deals taken from an opportunity-stage column.
pub const OPEN_DEALS: &str = "Open deals";

/// The default rules: the standard populations from `column` (a type/stage header), or a single
/// "All accounts" without one; and, when the file has an opportunity/deal stage column
/// (`deal_stage`), "Open deals" for the rows whose stage is open (an account of any type can have
/// an open deal: a customer's expansion, a prospect's first deal).
pub fn default_rules(column: Option<&str>, deal_stage: Option<&str>) -> Vec<PopulationRule> {
    let mut rules = match column {
        None if deal_stage.is_some() => vec![PopulationRule::rest(ALL_ACCOUNTS)],
        None => vec![PopulationRule::all(ALL_ACCOUNTS)],
        Some(col) => {
            let mut rules: Vec<PopulationRule> =
                VOCABULARY.iter().map(|(name, vals)| PopulationRule::values(*name, col, vals.iter().copied())).collect();
            rules.push(PopulationRule::rest(OTHER));
            rules
        }
    };
    if let Some(stage) = deal_stage {
        rules.push(PopulationRule::open(OPEN_DEALS, stage));
    }
    rules
}

/// Rules compiled against a header row.
#[derive(Clone, Debug)]
pub(crate) struct Matcher {
    /// Per column: compacted value → population mask.
    columns: Vec<(usize, HashMap<String, u16>)>,
    all: u16,
    rest: u16,
    /// Per column: the bits of the populations of its open deal stages.
    open: Vec<(usize, u16)>,
    buf: String,
    /// Per column: the cells met last, as in the file, with their masks (a type or stage column
    /// holds a handful of values, repeated on every row).
    recent: Vec<Vec<(String, u16)>>,
}

impl Matcher {
    /// # Errors
    /// [`IngestError::TooManyPopulations`], or [`IngestError::InvalidRule`] for a rule naming a
    /// column the file does not have, an empty name, or a name used twice.
    pub(crate) fn new(rules: &[PopulationRule], headers: &[String]) -> Result<Matcher, IngestError> {
        if rules.len() > MAX_POPULATIONS {
            return Err(IngestError::TooManyPopulations { found: rules.len(), max: MAX_POPULATIONS });
        }
        if rules.is_empty() {
            return Err(IngestError::InvalidRule { population: String::new(), message: "no population rule given" });
        }
        let mut m = Matcher { columns: Vec::new(), all: 0, rest: 0, open: Vec::new(), buf: String::new(), recent: Vec::new() };
        for (i, rule) in rules.iter().enumerate() {
            let bit = 1u16 << i;
            if rule.name.trim().is_empty() {
                return Err(IngestError::InvalidRule { population: String::new(), message: "a population needs a name" });
            }
            if rules[..i].iter().any(|r| r.name == rule.name) {
                return Err(IngestError::InvalidRule { population: rule.name.clone(), message: "named twice" });
            }
            match &rule.select {
                Select::All => m.all |= bit,
                Select::Rest => m.rest |= bit,
                Select::Open { column } => {
                    let col = find_column(headers, column).ok_or_else(|| IngestError::InvalidRule {
                        population: rule.name.clone(),
                        message: "its column is not in the file",
                    })?;
                    m.open.push((col, bit));
                }
                Select::Values { column, values } => {
                    let col = find_column(headers, column).ok_or_else(|| IngestError::InvalidRule {
                        population: rule.name.clone(),
                        message: "its column is not in the file",
                    })?;
                    let idx = match m.columns.iter().position(|(c, _)| *c == col) {
                        Some(i) => i,
                        None => {
                            m.columns.push((col, HashMap::new()));
                            m.columns.len() - 1
                        }
                    };
                    for v in values {
                        *m.columns[idx].1.entry(compact(v)).or_default() |= bit;
                    }
                }
            }
        }
        Ok(m)
    }

    /// Cells remembered per column.
    const RECENT: usize = 16;

    /// The population mask of a row whose cell `c` is `cell(c)`.
    pub(crate) fn mask<'a>(&mut self, cell: impl Fn(usize) -> &'a str) -> u16 {
        let mut mask = self.all;
        self.recent.resize_with(self.columns.len(), Vec::new);
        for ((col, values), recent) in self.columns.iter().zip(self.recent.iter_mut()) {
            let raw = cell(*col);
            if let Some(&(_, m)) = recent.iter().find(|(r, _)| r == raw) {
                mask |= m;
                continue;
            }
            compact_into(raw, &mut self.buf);
            let m = values.get(self.buf.as_str()).copied().unwrap_or(0);
            if recent.len() < Self::RECENT && raw.len() <= 64 {
                recent.push((raw.to_string(), m));
            }
            mask |= m;
        }
        if mask & !self.all == 0 {
            mask |= self.rest;
        }
        // Open deals are beside the type: a row with one keeps its type population (or the rest).
        for &(col, bit) in &self.open {
            if is_open_stage(cell(col)) {
                mask |= bit;
            }
        }
        mask
    }
}

/// A column's distinct values with how many rows hold each, most frequent first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnValues {
    /// 0-based column index.
    pub column: usize,
    /// The column's header.
    pub header: String,
    /// (value as first seen, rows), most frequent first, then in first-seen order.
    pub values: Vec<(String, u64)>,
    /// Distinct values beyond those listed (the list is capped).
    pub more: u64,
}

/// Counts distinct values (trimmed; compared ignoring case, spaces and punctuation).
pub(crate) struct ValueCounter {
    seen: HashMap<String, usize>,
    values: Vec<(String, u64)>,
    cap: usize,
    more: HashMap<String, ()>,
    buf: String,
}

impl ValueCounter {
    pub(crate) fn new(cap: usize) -> ValueCounter {
        ValueCounter { seen: HashMap::new(), values: Vec::new(), cap, more: HashMap::new(), buf: String::new() }
    }

    pub(crate) fn add(&mut self, value: &str) {
        let v = value.trim();
        compact_into(v, &mut self.buf);
        if let Some(&i) = self.seen.get(self.buf.as_str()) {
            self.values[i].1 += 1;
        } else if self.values.len() < self.cap {
            self.seen.insert(self.buf.clone(), self.values.len());
            self.values.push((v.to_string(), 1));
        } else if self.more.len() < 1_000_000 {
            self.more.insert(self.buf.clone(), ());
        }
    }

    pub(crate) fn finish(mut self, column: usize, header: String) -> ColumnValues {
        // Stable: equal counts keep first-seen order.
        crate::sort::by_key(&mut self.values, |v| (u128::from(u64::MAX - v.1), 0));
        ColumnValues { column, header, values: self.values, more: self.more.len() as u64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers() -> Vec<String> {
        vec!["Name".into(), "Type".into(), "Segment".into()]
    }

    #[test]
    fn defaults_cover_salesforce_and_hubspot() {
        let rules = default_rules(Some("Type"), None);
        let mut m = Matcher::new(&rules, &headers()).unwrap();
        let mask = |m: &mut Matcher, t: &str| m.mask(|c| if c == 1 { t } else { "" });
        assert_eq!(mask(&mut m, "Customer - Direct"), 1);
        assert_eq!(mask(&mut m, "customer - channel"), 1);
        assert_eq!(mask(&mut m, "opportunity"), 2);
        assert_eq!(mask(&mut m, "marketingqualifiedlead"), 4);
        assert_eq!(mask(&mut m, "Marketing Qualified Lead"), 4);
        assert_eq!(mask(&mut m, "Partner"), 8);
        assert_eq!(mask(&mut m, ""), 8);
    }

    #[test]
    fn remembered_cells_give_the_same_masks() {
        // More distinct cells than are remembered, repeated, in two columns.
        let rules: Vec<PopulationRule> = ["Customers=Type:Customer|Evangelist", "Enterprise=Segment:ENT|Mid", "Other=rest"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let mut kept = Matcher::new(&rules, &headers()).unwrap();
        let types = ["Customer", "customer", " CUSTOMER ", "Evangelist", "Prospect", "", "x"];
        let segments = ["ENT", "ent", "Mid", "SMB", ""];
        for i in 0..500usize {
            let numbered = format!("Type {}", i % 40);
            let t = if i % 3 == 0 { numbered.as_str() } else { types[i * 7 % types.len()] };
            let cells = ["n", t, segments[i * 11 % segments.len()]];
            let fresh = Matcher::new(&rules, &headers()).unwrap().mask(|c| cells[c]);
            assert_eq!(kept.mask(|c| cells[c]), fresh, "{cells:?}");
        }
    }

    #[test]
    fn rules_from_text_and_several_populations() {
        let rules: Vec<PopulationRule> = ["Customers=Type:Customer|Evangelist", "Enterprise=Segment:ENT", "Everyone=*"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(rules[0].to_string(), "Customers=Type:Customer|Evangelist");
        let mut m = Matcher::new(&rules, &headers()).unwrap();
        let cells = ["x", "customer", "ent"];
        assert_eq!(m.mask(|c| cells[c]), 0b111);
        let cells = ["x", "prospect", ""];
        assert_eq!(m.mask(|c| cells[c]), 0b100);
        assert!("nonsense".parse::<PopulationRule>().is_err());
    }

    #[test]
    fn bad_rules_are_refused() {
        let h = headers();
        let e = Matcher::new(&[PopulationRule::values("A", "Nope", ["x"])], &h).unwrap_err();
        assert!(e.to_string().contains("column is not in the file"), "{e}");
        let many: Vec<PopulationRule> = (0..17).map(|i| PopulationRule::all(format!("P{i}"))).collect();
        assert!(matches!(Matcher::new(&many, &h), Err(IngestError::TooManyPopulations { .. })));
        let twice = [PopulationRule::all("A"), PopulationRule::all("A")];
        assert!(Matcher::new(&twice, &h).is_err());
    }
}
