//! The words every layer shares: populations and their roles, sharing levels, the partner's shared
//! values. One layer below ingest, protocol and report, so that none of them depends on another
//! for these.

use std::fmt;
use std::str::FromStr;

/// At most this many populations per party: a 16-bit mask travels with each key.
pub const MAX_POPULATIONS: usize = 16;

/// At most this many shared columns.
pub const MAX_FIELDS: usize = 16;

/// At most this many rows' values are shared for one account (a key held by more rows is a
/// duplicated account; the rest are left out, and the sender's report says so).
pub const MAX_SHARED_ROWS: usize = 64;

/// A shared value is cut to this many bytes (at a character boundary).
pub const MAX_SHARED_VALUE: usize = 1024;

/// What a population means in the owner's CRM: the owner knows it, the partner never guesses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum PopulationRole {
    /// Accounts that buy from us.
    Customer,
    /// Accounts with an open deal.
    Opportunity,
    /// Accounts we are targeting, no open deal.
    Prospect,
    /// Anything else (partners, churned, unknown).
    #[default]
    Other,
}

impl PopulationRole {
    /// Every role, in wire order.
    pub const ALL: [PopulationRole; 4] =
        [PopulationRole::Customer, PopulationRole::Opportunity, PopulationRole::Prospect, PopulationRole::Other];

    /// Wire byte.
    pub fn byte(self) -> u8 {
        match self {
            PopulationRole::Other => 0,
            PopulationRole::Customer => 1,
            PopulationRole::Opportunity => 2,
            PopulationRole::Prospect => 3,
        }
    }

    /// From a wire byte.
    pub fn from_byte(b: u8) -> Option<PopulationRole> {
        PopulationRole::ALL.into_iter().find(|r| r.byte() == b)
    }

    /// `customer`, `opportunity`, `prospect` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            PopulationRole::Customer => "customer",
            PopulationRole::Opportunity => "opportunity",
            PopulationRole::Prospect => "prospect",
            PopulationRole::Other => "other",
        }
    }

    /// A role guessed from a population's name (the standard populations have theirs; a custom
    /// population's guess can be changed by the user).
    pub fn guess(name: &str) -> PopulationRole {
        // ASCII case folding: the standard library's full case tables would add kilobytes of wasm.
        let n = name.to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
        if has(&["churn", "former", "lost", "partner", "competitor", "vendor", "reseller"]) {
            PopulationRole::Other
        } else if has(&["customer", "client", "kunde", "klant", "cliente", "won", "active account"]) {
            PopulationRole::Customer
        } else if has(&["opportunit", "deal", "pipeline", "open opp", "negotiat", "proposal", "sql", "evaluation"]) {
            PopulationRole::Opportunity
        } else if has(&["prospect", "lead", "target", "mql", "subscriber", "marketing"]) {
            PopulationRole::Prospect
        } else {
            PopulationRole::Other
        }
    }
}

impl fmt::Display for PopulationRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PopulationRole {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "customer" | "customers" => Ok(PopulationRole::Customer),
            "opportunity" | "opportunities" | "open opportunity" | "open-opportunity" => Ok(PopulationRole::Opportunity),
            "prospect" | "prospects" => Ok(PopulationRole::Prospect),
            "other" => Ok(PopulationRole::Other),
            _ => Err(UnknownWord { what: "population role", expected: "customer, opportunity, prospect or other" }),
        }
    }
}

/// A word that is not one of the accepted ones (option parsing); names what was expected, never
/// repeats the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownWord {
    /// What was being parsed.
    pub what: &'static str,
    /// The accepted words.
    pub expected: &'static str,
}

impl fmt::Display for UnknownWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: expected {}", self.what, self.expected)
    }
}

impl std::error::Error for UnknownWord {}

/// A named population, its size (distinct elements) and its role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Population {
    /// The name, as the owner wrote it.
    pub name: String,
    /// Distinct elements (keys) in it.
    pub size: u32,
    /// What it means in the owner's CRM.
    pub role: PopulationRole,
}

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
    /// Every level, least first.
    pub const ALL: [Sharing; 3] = [Sharing::Counts, Sharing::Overlaps, Sharing::Fields];

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
        Sharing::ALL.into_iter().find(|s| s.byte() == b)
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
        s.parse().ok()
    }
    /// Whether the partner learns which of its rows overlap.
    pub fn reveals_rows(self) -> bool {
        self >= Sharing::Overlaps
    }
}

impl FromStr for Sharing {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Sharing::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or(UnknownWord { what: "sharing level", expected: "counts, overlaps or fields" })
    }
}

/// Rows of values of some shared columns, stored flat: one string and the end of each value, so
/// what a partner's message costs in memory is what its bytes pay for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldRows {
    width: usize,
    text: String,
    ends: Vec<u32>,
}

impl FieldRows {
    /// Empty rows of `width` values each.
    pub fn new(width: usize) -> FieldRows {
        FieldRows { width, text: String::new(), ends: Vec::new() }
    }

    /// Empty rows of `width` values each, with room for `rows` rows of `text` bytes in all.
    pub fn with_capacity(width: usize, rows: usize, text: usize) -> FieldRows {
        FieldRows { width, text: String::with_capacity(text), ends: Vec::with_capacity(rows * width) }
    }

    /// Appends a row (`width` values; missing values are empty, extra ones dropped).
    pub fn push<'a>(&mut self, row: impl IntoIterator<Item = &'a str>) {
        let mut n = 0;
        for v in row.into_iter().take(self.width) {
            self.text.push_str(v);
            self.ends.push(self.text.len() as u32);
            n += 1;
        }
        for _ in n..self.width {
            self.ends.push(self.text.len() as u32);
        }
    }

    /// Values per row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ends.len().checked_div(self.width).unwrap_or(0)
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `c` of row `r`.
    pub fn value(&self, r: usize, c: usize) -> &str {
        let i = r * self.width + c;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// Row `r` as owned strings.
    pub fn row(&self, r: usize) -> Vec<String> {
        (0..self.width).map(|c| self.value(r, c).to_string()).collect()
    }

    /// Every row as owned strings.
    pub fn to_vecs(&self) -> Vec<Vec<String>> {
        (0..self.len()).map(|r| self.row(r)).collect()
    }
}

/// The partner's shared values: column names, and per matched key of mine its rows' values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedValues {
    /// Column names, in value order.
    pub names: Vec<String>,
    /// `(my key index, the partner's rows for that account)`; a key may appear more than once.
    pub entries: Vec<(u32, FieldRows)>,
}

/// Labels as the partner may see them when it could count them: every distinct non-zero
/// combination of populations is held by at least `min` elements.
///
/// An element whose combination is rarer loses the bit of its smallest population (by elements),
/// repeatedly, until its combination is common enough; an element left with no population is
/// unlabelled (0) and is not counted by a partner sharing counts. Combinations only merge into
/// more common ones, so the result is reached in at most 16 rounds and never reports an element
/// in a population it is not in. Returns the labels and how many elements changed.
pub fn coarsen(labels: &[u16], min: u32) -> (Vec<u16>, usize) {
    let mut out = labels.to_vec();
    if min <= 1 {
        return (out, 0);
    }
    for _ in 0..=MAX_POPULATIONS {
        let mut combos: std::collections::HashMap<u16, u32> = std::collections::HashMap::new();
        let mut sizes = [0u32; 16];
        for &l in out.iter().filter(|&&l| l != 0) {
            *combos.entry(l).or_insert(0) += 1;
            for (b, s) in sizes.iter_mut().enumerate() {
                *s += u32::from(l >> b & 1);
            }
        }
        let rare = |l: u16| l != 0 && combos.get(&l).is_some_and(|&n| n < min);
        if !out.iter().any(|&l| rare(l)) {
            break;
        }
        for l in out.iter_mut() {
            if rare(*l) {
                // The bit of the smallest population in the combination (the highest bit on a tie).
                let b = (0..16).filter(|b| *l >> b & 1 == 1).min_by_key(|&b| (sizes[b], std::cmp::Reverse(b))).unwrap_or(0);
                *l &= !(1u16 << b);
            }
        }
    }
    let changed = out.iter().zip(labels).filter(|(a, b)| a != b).count();
    (out, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarsening_leaves_no_rare_combination_and_only_drops_bits() {
        // 20 customers, 10 prospects, 3 customer+prospect, 2 in a tiny population alone.
        let mut labels = vec![0b001u16; 20];
        labels.extend([0b010; 10]);
        labels.extend([0b011; 3]);
        labels.extend([0b100; 2]);
        let (out, changed) = coarsen(&labels, 5);
        assert_eq!(changed, 5);
        let mut combos = std::collections::HashMap::new();
        for &l in out.iter().filter(|&&l| l != 0) {
            *combos.entry(l).or_insert(0) += 1;
        }
        assert!(combos.values().all(|&n| n >= 5), "{combos:?}");
        for (o, l) in out.iter().zip(&labels) {
            assert_eq!(o & !l, 0, "never a population the element is not in");
        }
        // The rare pair keeps its larger population (customers), the tiny population goes.
        assert_eq!(&out[30..33], &[0b001; 3]);
        assert_eq!(&out[33..], &[0; 2]);
        // Common structures are untouched.
        assert_eq!(coarsen(&[1, 1, 1, 1, 1, 2, 2, 2, 2, 2], 5), (vec![1, 1, 1, 1, 1, 2, 2, 2, 2, 2], 0));
    }

    #[test]
    fn field_rows_hold_values_flat() {
        let mut r = FieldRows::new(2);
        r.push(["Alice", "EMEA"]);
        r.push(["", "Bob"]);
        r.push(["only one"]);
        assert_eq!(r.len(), 3);
        assert_eq!(r.to_vecs(), vec![vec!["Alice", "EMEA"], vec!["", "Bob"], vec!["only one", ""]]);
    }

    #[test]
    fn words_parse_once() {
        assert_eq!("overlaps".parse::<Sharing>(), Ok(Sharing::Overlaps));
        assert!("everything".parse::<Sharing>().unwrap_err().to_string().contains("counts, overlaps or fields"));
        assert_eq!("Customers".parse::<PopulationRole>(), Ok(PopulationRole::Customer));
        assert_eq!(PopulationRole::guess("Open Opportunities"), PopulationRole::Opportunity);
        assert_eq!(PopulationRole::guess("Former customers"), PopulationRole::Other);
        for r in PopulationRole::ALL {
            assert_eq!(PopulationRole::from_byte(r.byte()), Some(r));
        }
    }
}

/// An amount as CRMs export it: `120000`, `$120,000.00`, `€ 12.500,50`, `120k`, `1.2M`, `USD 5,000`.
/// `None` for anything else (a negative amount, text, a date).
pub fn parse_amount(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || t.len() > 40 || t.starts_with('-') {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let mut body: &str = lower.trim_matches(|c: char| c.is_whitespace() || "$€£¥".contains(c));
    for code in ["usd", "eur", "gbp", "sek", "chf", "jpy", "cad", "aud"] {
        body = body.trim_start_matches(code).trim_end_matches(code).trim();
    }
    let (body, scale) = match body.chars().last()? {
        'k' => (&body[..body.len() - 1], 1e3),
        'm' => (&body[..body.len() - 1], 1e6),
        'b' => (&body[..body.len() - 1], 1e9),
        _ => (body, 1.0),
    };
    let body = body.trim();
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.' || b == b' ' || b == b'\'') {
        return None;
    }
    let digits: String = body.chars().filter(|c| !matches!(c, ' ' | '\'')).collect();
    // The decimal separator: the last of `,` and `.` when both occur; a lone `,` or `.` followed by
    // exactly three digits is a thousands separator (`120,000`), otherwise a decimal one (`12,5`).
    let (last_comma, last_dot) = (digits.rfind(','), digits.rfind('.'));
    let decimal = match (last_comma, last_dot) {
        (Some(c), Some(d)) => Some(c.max(d)),
        (Some(i), None) | (None, Some(i)) => {
            let count = digits.matches(digits.as_bytes()[i] as char).count();
            (count == 1 && digits.len() - i - 1 != 3).then_some(i)
        }
        (None, None) => None,
    };
    let mut plain = String::with_capacity(digits.len());
    for (i, c) in digits.char_indices() {
        if c.is_ascii_digit() {
            plain.push(c);
        } else if Some(i) == decimal {
            plain.push('.');
        }
    }
    // By hand rather than `str::parse::<f64>`, whose exact algorithm costs the wasm ~10 kB; an
    // amount needs no more than f64 arithmetic's precision.
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = int.bytes().fold(0.0f64, |v, b| v * 10.0 + f64::from(b - b'0'));
    let mut unit = 1.0;
    for b in frac.bytes() {
        unit /= 10.0;
        v += f64::from(b - b'0') * unit;
    }
    (v.is_finite() && v >= 0.0).then_some(v * scale)
}

/// A date as CRMs export it, as days since 1970-01-01: `2026-01-22`, `2026-01-22 14:26`,
/// `2026-01-22T14:26:00Z`, `6/28/2026` (month first, as US exports write it, unless the first
/// number cannot be a month), `28.06.2026`, `2026/06/28`. `None` for anything else.
pub fn parse_date(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.len() < 8 || t.len() > 40 {
        return None;
    }
    let date = t.split(['T', ' ']).next()?;
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    if parts.len() != 3 || !parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let n: Vec<i64> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    let (y, m, d) = if parts[0].len() == 4 {
        (n[0], n[1], n[2])
    } else if parts[2].len() == 4 {
        if date.contains('.') || n[0] > 12 {
            (n[2], n[1], n[0])
        } else {
            (n[2], n[0], n[1])
        }
    } else {
        return None;
    };
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn amounts_as_crms_write_them() {
        for (s, v) in [
            ("120000", 120_000.0),
            ("$120,000.00", 120_000.0),
            ("€ 12.500,50", 12_500.5),
            ("120k", 120_000.0),
            ("1.2M", 1_200_000.0),
            ("USD 5,000", 5_000.0),
            ("12,5", 12.5),
            ("1'250'000", 1_250_000.0),
            ("0", 0.0),
        ] {
            assert_eq!(parse_amount(s), Some(v), "{s}");
        }
        for s in ["", "n/a", "-5", "2026-01-22", "twelve", "1,2,3.4.5x"] {
            assert_eq!(parse_amount(s), None, "{s}");
        }
    }

    #[test]
    fn dates_as_crms_write_them() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-01-22 14:26"), parse_date("1/22/2026"));
        assert_eq!(parse_date("28.06.2026"), parse_date("6/28/2026"));
        assert_eq!(parse_date("28/06/2026"), parse_date("2026/06/28"));
        assert_eq!(parse_date("2026-03-01").unwrap() - parse_date("2026-02-28").unwrap(), 1);
        assert_eq!(parse_date("2024-03-01").unwrap() - parse_date("2024-02-28").unwrap(), 2);
        for s in ["", "yesterday", "2026-13-01", "31/31/2026", "120000"] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }
}
