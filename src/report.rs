//! What each partner learns: the populations × populations matrix, its own overlapping rows with
//! the partner's populations, what they matched on and how confident, and a CSV export.

use crate::csv_out::{Flavour, Writer};
use crate::ingest::Dataset;
use crate::keys::{Confidence, KindSet};
pub use crate::model::Population;
use crate::model::{SharedValues, Sharing};

/// One of my rows that overlaps the partner's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchedRow {
    /// Row index in my dataset.
    pub row: u32,
    /// My populations for the row (bit mask over [`Report::my_populations`]).
    pub my_populations: u16,
    /// The partner's populations (bit mask over [`Report::partner_populations`]).
    pub partner_populations: u16,
    /// The key kinds that matched.
    pub matched_on: KindSet,
    /// Whether a name matched with the city of both rows agreeing ("name + city"); false when
    /// one of the two rows had no city ("name only"), or no name matched.
    pub place_agrees: bool,
    /// The partner's shared fields for this account: one value list per partner row
    /// (names in [`Report::partner_fields`]).
    pub partner_values: Vec<Vec<String>>,
}

impl MatchedRow {
    /// High when a domain or identifier matched; likely when only a name did and both rows'
    /// cities agree; possible when only a name did (one of the rows has no city).
    pub fn confidence(&self) -> Confidence {
        match self.matched_on.confidence() {
            Some(Confidence::High) => Confidence::High,
            _ if self.place_agrees => Confidence::Likely,
            _ => Confidence::Possible,
        }
    }

    /// What matched, kind by kind: `domain`, `duns`, `linkedin`, and `name+city` for a name
    /// whose cities agree or `name`.
    pub fn matched_on_words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.matched_on
            .iter()
            .map(|k| if k == crate::keys::KeyKind::Name && self.place_agrees { "name+city" } else { k.as_str() })
    }

    /// What matched, as the report's `overlap_matched_on` writes it: [`Self::matched_on_words`]
    /// joined with `;` (e.g. `domain;name+city`).
    pub fn matched_on_text(&self) -> String {
        self.matched_on_words().collect::<Vec<_>>().join(";")
    }

    /// The partner's values of shared column `i` as one cell: the value of each partner row,
    /// joined with ` | ` (what the CSV export writes, and what the page shows).
    pub fn partner_cell(&self, i: usize) -> String {
        self.partner_values.iter().filter_map(|v| v.get(i).map(String::as_str)).collect::<Vec<_>>().join(" | ")
    }

    /// Whether the row counts in cell `(mine, partner)` of the matrix: it is in my population
    /// `mine` and the partner holds it in its population `partner`.
    pub fn in_cell(&self, mine: usize, partner: usize) -> bool {
        in_cell(self.my_populations, self.partner_populations, mine, partner)
    }
}

/// The populations of `pops` whose bits are set in `mask`, in bit order.
pub fn in_mask(pops: &[Population], mask: u16) -> impl Iterator<Item = &Population> {
    pops.iter().enumerate().filter(move |&(i, _)| i < 16 && mask & (1 << i) != 0).map(|(_, p)| p)
}

/// What the matrix cells count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatrixUnit {
    /// My rows (the partner shares which rows overlap).
    Rows,
    /// Matched elements (the partner shares counts only: no row can be linked).
    Elements,
}

/// One partner's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// My populations, with sizes.
    pub my_populations: Vec<Population>,
    /// The partner's populations, with the sizes it announced.
    pub partner_populations: Vec<Population>,
    /// Rows in my file.
    pub my_rows: usize,
    /// Distinct elements I sent.
    pub my_elements: usize,
    /// Distinct elements the partner sent.
    pub partner_set_size: usize,
    /// `matrix[i][j]`: overlaps between my population `i` and the partner's population `j`.
    pub matrix: Vec<Vec<u64>>,
    /// What the matrix cells count.
    pub matrix_unit: MatrixUnit,
    /// Distinct elements in the intersection.
    pub matched_elements: usize,
    /// My overlapping rows (empty when the partner shares counts only).
    pub matches: Vec<MatchedRow>,
    /// Things the user should know (e.g. an implausibly large partner set).
    pub warnings: Vec<String>,
    /// Names of the columns the partner shared (fields level), in value order.
    pub partner_fields: Vec<String>,
    /// What I let the partner learn (private protocol).
    pub my_sharing: Option<Sharing>,
    /// What the partner let me learn (private protocol).
    pub partner_sharing: Option<Sharing>,
    /// The session code both partners compare by phone (private protocol).
    pub session_code: Option<String>,
}

impl Report {
    /// Builds a report when the partner's populations are known per matched key:
    /// `key_matches[k]` is the partner's population mask for my key `k`, `None` if unmatched.
    pub fn from_key_matches(
        dataset: &Dataset,
        my_populations: Vec<Population>,
        partner_populations: Vec<Population>,
        partner_set_size: usize,
        key_matches: &[Option<u16>],
    ) -> Report {
        let kinds: Vec<_> = dataset.keys().iter().map(|k| k.kind).collect();
        let mut matches = Vec::new();
        let mut matrix = vec![vec![0u64; partner_populations.len()]; my_populations.len()];
        for row in 0..dataset.row_count() {
            let mut partner = 0u16;
            let mut on = KindSet::default();
            let mut any = false;
            for &k in dataset.row_keys(row) {
                if let Some(p) = key_matches[k as usize] {
                    any = true;
                    partner |= p;
                    on.insert(kinds[k as usize]);
                }
            }
            if !any {
                continue;
            }
            add_to_matrix(&mut matrix, dataset.row_populations(row), partner);
            matches.push(MatchedRow {
                row: row as u32,
                my_populations: dataset.row_populations(row),
                partner_populations: partner,
                matched_on: on,
                place_agrees: false,
                partner_values: Vec::new(),
            });
        }
        let mut report = Report {
            my_rows: dataset.row_count(),
            my_elements: dataset.keys().len(),
            partner_set_size,
            matched_elements: key_matches.iter().filter(|m| m.is_some()).count(),
            my_populations,
            partner_populations,
            matrix,
            matrix_unit: MatrixUnit::Rows,
            matches,
            warnings: Vec::new(),
            partner_fields: Vec::new(),
            my_sharing: None,
            partner_sharing: None,
            session_code: None,
        };
        report.check_plausibility();
        report
    }

    /// Sets the number of matched protocol elements (when elements are not one per key: paired
    /// name keys stand for one or two elements each).
    pub fn with_matched_elements(mut self, n: usize) -> Report {
        self.matched_elements = n;
        self
    }

    /// Builds a report when the partner shares counts only: each matched element is known only
    /// by its pair of population masks `(mine, partner's)`, never by row.
    pub fn from_pairs(
        dataset: &Dataset,
        my_populations: Vec<Population>,
        partner_populations: Vec<Population>,
        partner_set_size: usize,
        pairs: &[(u16, u16)],
    ) -> Report {
        let mut matrix = vec![vec![0u64; partner_populations.len()]; my_populations.len()];
        for &(mine, theirs) in pairs {
            add_to_matrix(&mut matrix, mine, theirs);
        }
        let mut report = Report {
            my_rows: dataset.row_count(),
            my_elements: dataset.keys().len(),
            partner_set_size,
            matched_elements: pairs.len(),
            my_populations,
            partner_populations,
            matrix,
            matrix_unit: MatrixUnit::Elements,
            matches: Vec::new(),
            warnings: Vec::new(),
            partner_fields: Vec::new(),
            my_sharing: None,
            partner_sharing: None,
            session_code: None,
        };
        report.check_plausibility();
        report
    }

    /// Marks the matched rows one of whose keys matched as "name + city": `place[k]` for my key
    /// `k`.
    pub fn mark_place_evidence(&mut self, dataset: &Dataset, place: &[bool]) {
        for m in &mut self.matches {
            m.place_agrees = dataset.row_keys(m.row as usize).iter().any(|&k| place.get(k as usize).copied().unwrap_or(false));
        }
    }

    /// Attaches the partner's shared fields (keyed by my key index; a key may appear more than
    /// once) to my matched rows. Each row's partner values are sorted, so the report does not
    /// depend on the order elements travelled in.
    pub fn attach_partner_fields(&mut self, dataset: &Dataset, shared: &SharedValues) {
        self.partner_fields = shared.names.clone();
        let mut by_key: std::collections::HashMap<u32, Vec<&crate::model::FieldRows>> = std::collections::HashMap::new();
        for (k, rows) in &shared.entries {
            by_key.entry(*k).or_default().push(rows);
        }
        for m in &mut self.matches {
            for &k in dataset.row_keys(m.row as usize) {
                for rows in by_key.get(&k).into_iter().flatten() {
                    for r in 0..rows.len() {
                        let v = rows.row(r);
                        if !m.partner_values.contains(&v) {
                            m.partner_values.push(v);
                        }
                    }
                }
            }
            m.partner_values.sort();
        }
    }

    fn check_plausibility(&mut self) {
        // A partner that stuffs its set with guessed keys learns more of ours. Warn when its set is
        // far larger than ours, the common signature of that.
        if self.partner_set_size > 10 * self.my_elements.max(1000) {
            self.warnings.push(format!(
                "the partner's set ({} elements) is more than ten times yours ({}): make sure this is plausible for this partner",
                self.partner_set_size, self.my_elements
            ));
        }
    }

    /// Population names of a mask, joined with `;`.
    pub fn partner_population_names(&self, mask: u16) -> String {
        names(&self.partner_populations, mask)
    }

    /// My matched rows that cell `(mine, partner)` of the matrix counts (when the matrix counts
    /// rows; none when the partner shares counts only).
    pub fn rows_in_cell(&self, mine: usize, partner: usize) -> impl Iterator<Item = &MatchedRow> {
        self.matches.iter().filter(move |m| m.in_cell(mine, partner))
    }

    /// My overlapping rows as CSV for a spreadsheet ([`Flavour::Excel`]): see [`Report::to_csv_for`].
    pub fn to_csv(&self, dataset: &Dataset) -> Vec<u8> {
        self.to_csv_for(dataset, Flavour::Excel)
    }

    /// My overlapping rows as CSV: the original columns, then `overlap_partner_populations`,
    /// `overlap_matched_on` and `overlap_confidence`, then `partner_<field>` for each field the
    /// partner shared. Every cell, headers included, goes through the formula guard of
    /// [`crate::csv_out`] for `flavour`.
    pub fn to_csv_for(&self, dataset: &Dataset, flavour: Flavour) -> Vec<u8> {
        let mut w = Writer::new(flavour);
        let mut header: Vec<String> = dataset.headers().to_vec();
        header.extend(["overlap_partner_populations", "overlap_matched_on", "overlap_confidence"].map(String::from));
        header.extend(self.partner_fields.iter().map(|f| format!("partner_{f}")));
        w.record(&header);
        for m in &self.matches {
            let mut rec: Vec<String> = dataset.row_fields(m.row as usize);
            rec.resize(dataset.headers().len().max(rec.len()), String::new());
            rec.push(self.partner_population_names(m.partner_populations));
            rec.push(m.matched_on_text());
            rec.push(m.confidence().as_str().to_string());
            for i in 0..self.partner_fields.len() {
                rec.push(m.partner_cell(i));
            }
            w.record(&rec);
        }
        w.into_bytes()
    }

    /// The matrix as CSV for a spreadsheet ([`Flavour::Excel`]): see [`Report::matrix_csv_for`].
    pub fn matrix_csv(&self) -> Vec<u8> {
        self.matrix_csv_for(Flavour::Excel)
    }

    /// The matrix as CSV: my populations as rows, the partner's as columns; population names go
    /// through the formula guard of [`crate::csv_out`] for `flavour`.
    pub fn matrix_csv_for(&self, flavour: Flavour) -> Vec<u8> {
        let mut w = Writer::new(flavour);
        let mut header = vec![String::from("my population \\ partner population")];
        header.extend(self.partner_populations.iter().map(|p| p.name.clone()));
        w.record(&header);
        for (i, p) in self.my_populations.iter().enumerate() {
            let mut rec = vec![p.name.clone()];
            rec.extend(self.matrix[i].iter().map(u64::to_string));
            w.record(&rec);
        }
        w.into_bytes()
    }
}

/// The matrix's one rule: an element or row with population masks `(mine, theirs)` counts in
/// cell `(i, j)` when bit `i` is set in `mine` and bit `j` in `theirs`.
fn in_cell(mine: u16, theirs: u16, i: usize, j: usize) -> bool {
    i < 16 && j < 16 && mine & (1 << i) != 0 && theirs & (1 << j) != 0
}

fn add_to_matrix(matrix: &mut [Vec<u64>], mine: u16, partner: u16) {
    for (i, row) in matrix.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            if in_cell(mine, partner, i, j) {
                *cell += 1;
            }
        }
    }
}

fn names(pops: &[Population], mask: u16) -> String {
    in_mask(pops, mask).map(|p| p.name.as_str()).collect::<Vec<_>>().join(";")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read, Options};
    use crate::model::PopulationRole;

    #[test]
    fn each_cell_holds_the_rows_it_counts() {
        let csv = "Website,Type\na.com,Customer\nb.com,Prospect\nc.com,Customer\nd.com,Partner\ne.com,Prospect\n";
        let d = read(csv.as_bytes(), &Options::new()).unwrap();
        let pop = |name: &str| Population { name: name.into(), size: 3, role: PopulationRole::Other };
        let mine: Vec<Population> = d.populations().iter().map(|n| pop(n)).collect();
        let theirs = vec![pop("Customers"), pop("Open Opportunities")];
        let matched: Vec<Option<u16>> =
            d.keys().iter().enumerate().map(|(i, _)| [Some(0b01), Some(0b11), None, Some(0b10), Some(0b10)][i]).collect();
        let r = Report::from_key_matches(&d, mine, theirs, 10, &matched);
        assert_eq!(r.matches.len(), 4);
        for (i, row) in r.matrix.iter().enumerate() {
            for (j, &n) in row.iter().enumerate() {
                assert_eq!(r.rows_in_cell(i, j).count() as u64, n, "cell ({i}, {j})");
            }
        }
        assert_eq!(r.rows_in_cell(0, 0).map(|m| m.row).collect::<Vec<_>>(), vec![0]);
        assert_eq!(r.rows_in_cell(9, 0).count(), 0, "no such population");
        let names: Vec<&str> = in_mask(&r.partner_populations, 0b11).map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Customers", "Open Opportunities"]);
    }

    #[test]
    fn a_partner_cell_joins_the_values_of_its_rows() {
        let row = MatchedRow {
            row: 0,
            my_populations: 1,
            partner_populations: 1,
            matched_on: KindSet::default(),
            place_agrees: false,
            partner_values: vec![vec!["Ann".into(), "EMEA".into()], vec!["Bo".into(), "EMEA".into()]],
        };
        assert_eq!(row.partner_cell(0), "Ann | Bo");
        assert_eq!(row.partner_cell(1), "EMEA | EMEA");
        assert_eq!(row.partner_cell(2), "");
    }
}
