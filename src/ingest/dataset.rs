//! The result of reading an export: rows, their keys and populations, and what could not be used.
//!
//! Rows are not kept cell by cell: the decoded text is kept once, with each row's byte offset and
//! line, and a row's cells are parsed again when asked for ([`Dataset::row_fields`]). Keys are
//! kept once per distinct key ([`Dataset::keys`]), rows refer to them by index.

use std::fmt;
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

use super::columns::{Field, Mapping};
use super::decode::Encoding;
use super::populations::{ColumnValues, ValueCounter};
use super::reader::RecordReader;
use super::NamePolicy;
use crate::csv_out::Flavour;
use crate::keys::{Key, KeyKind};
use crate::model::PopulationRole;
use crate::normalize::Refusal;

/// What kind of notice a row got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum IssueKind {
    /// Not used: no cell gave a key (placeholder website, free-mail only, empty…).
    NoKey,
    /// Not used: every cell is empty.
    Empty,
    /// Not used: the row could not be read reliably (more cells than the header, a quote never
    /// closed, an enormous record).
    Unreadable,
    /// Not used: the row is in none of the populations the rules define.
    OutsidePopulations,
    /// Used, folded: the row shares a key with another row; together they are one element.
    Duplicate,
    /// Used, with a caveat (fewer cells than the header, lenient quoting, undecodable bytes).
    Warning,
}

impl IssueKind {
    /// A stable lower-case code, e.g. `no_key` (the `kind` column of [`Dataset::issues_csv`]).
    pub fn code(self) -> &'static str {
        match self {
            IssueKind::NoKey => "no_key",
            IssueKind::Empty => "empty",
            IssueKind::Unreadable => "unreadable",
            IssueKind::OutsidePopulations => "outside_populations",
            IssueKind::Duplicate => "duplicate",
            IssueKind::Warning => "warning",
        }
    }

    /// Whether a row with this notice was left out of the keys.
    pub fn skipped(self) -> bool {
        matches!(self, IssueKind::NoKey | IssueKind::Empty | IssueKind::Unreadable | IssueKind::OutsidePopulations)
    }
}

/// The first refusal of each key field of a row, for its "no key" reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Refusals {
    items: [Option<(Field, Refusal)>; 6],
}

impl Refusals {
    pub(crate) fn clear(&mut self) {
        self.items = [None; 6];
    }

    /// Remembers the first refusal for `field`.
    pub(crate) fn note(&mut self, field: Field, refusal: Refusal) {
        for slot in self.items.iter_mut() {
            match slot {
                Some((f, _)) if *f == field => return,
                None => {
                    *slot = Some((field, refusal));
                    return;
                }
                _ => {}
            }
        }
    }

    fn describe(&self) -> String {
        let parts: Vec<String> = self.items.iter().flatten().map(|(f, r)| format!("{f}: {r}")).collect();
        if parts.is_empty() {
            "no key column has a value".to_string()
        } else {
            parts.join("; ")
        }
    }
}

/// Why a row got its notice. Never holds a cell's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cause {
    NoKey(Refusals),
    Empty,
    TooManyCells { found: u32, expected: u32 },
    FewerCells { found: u32, expected: u32 },
    Unclosed { lines: u64 },
    TextAfterQuote,
    Oversize,
    OutsidePopulations,
    DuplicateOf { line: u64, kind: KeyKind },
    DuplicateFirst { later: u32, kind: KeyKind },
    Replaced { encoding: Encoding },
}

/// A notice about one row: not used, folded, or used with a caveat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowIssue {
    /// 1-based line where the row starts in the file.
    pub line: u64,
    /// The row's index in the dataset.
    pub row: u32,
    /// What kind of notice.
    pub kind: IssueKind,
    pub(crate) cause: Cause,
}

impl RowIssue {
    /// Why, in words. Names columns and rules, never a cell's value.
    pub fn reason(&self) -> String {
        match self.cause {
            Cause::NoKey(r) => format!("no usable key ({})", r.describe()),
            Cause::Empty => "every cell is empty".to_string(),
            Cause::TooManyCells { found, expected } => format!(
                "{found} cells where the header has {expected} (an unquoted delimiter inside a cell?): the columns cannot be trusted"
            ),
            Cause::FewerCells { found, expected } => {
                format!("{found} cells where the header has {expected}: the missing cells were read as empty")
            }
            Cause::Unclosed { lines } => format!(
                "a quoted cell opened on this line is never closed: the {} line(s) after it were read as part of this row and not used",
                lines
            ),
            Cause::TextAfterQuote => "malformed quoting (text right after a closing quote): read leniently".to_string(),
            Cause::Oversize => "a record of more than 1 MiB or 4096 cells (a quote left open?)".to_string(),
            Cause::OutsidePopulations => "in none of the populations: not sent".to_string(),
            Cause::DuplicateOf { line, kind } => {
                format!("shares its {kind} key with line {line}: folded into one element")
            }
            Cause::DuplicateFirst { later, kind } => {
                format!("{later} later row(s) share its {kind} key: folded into one element")
            }
            Cause::Replaced { encoding } => format!("bytes that are not valid {encoding} were replaced"),
        }
    }
}

impl fmt::Display for RowIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason())
    }
}

/// Rows per population.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PopulationCount {
    /// The population's name.
    pub name: String,
    /// What it means in the CRM (given by the rule, or guessed from the name).
    pub role: crate::model::PopulationRole,
    /// Rows in it that give keys.
    pub rows: u64,
    /// Distinct keys (protocol elements) in it.
    pub elements: u64,
}

/// What happened to a file, in numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Data rows read (the header excluded).
    pub rows: u64,
    /// Rows that give at least one key and are in a population.
    pub usable_rows: u64,
    /// Rows not used: no key, empty or unreadable.
    pub bad_rows: u64,
    /// Rows in none of the populations (explicit rules only).
    pub outside_populations: u64,
    /// Rows that share a key with an earlier row (each group is one element).
    pub duplicates_folded: u64,
    /// Rows used with a caveat.
    pub warnings: u64,
    /// Distinct keys: the elements sent.
    pub elements: u64,
    /// Distinct keys per kind, in [`KeyKind::ALL`] order (domain, duns, linkedin, name).
    pub elements_by_kind: [u64; 4],
    /// The encoding read.
    pub encoding: Encoding,
    /// The delimiter used.
    pub delimiter: u8,
    /// Characters replaced because the bytes were not valid in the encoding.
    pub replaced_characters: u64,
    /// The columns used.
    pub mapping: Mapping,
    /// When a `name:` key was made.
    pub name_keys: NamePolicy,
    /// Rows and elements per population.
    pub populations: Vec<PopulationCount>,
}

/// A delimiter as a word (`comma`, `semicolon`, `tab`, `pipe`) or the character.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b',' => "comma".into(),
        b';' => "semicolon".into(),
        b'\t' => "tab".into(),
        b'|' => "pipe".into(),
        _ => format!("{:?}", d as char),
    }
}

/// A delimiter named by the user: `,` `;` `|`, a tab (or `\t` typed as two characters), or the
/// names `comma`, `semicolon`, `tab`, `pipe` — the one parser the CLI and the package share.
///
/// # Errors
/// [`UnknownWord`](crate::model::UnknownWord) for anything else.
pub fn parse_delimiter(s: &str) -> Result<u8, crate::model::UnknownWord> {
    match s {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "\t" | "\\t" | "tab" => Ok(b'\t'),
        "|" | "pipe" => Ok(b'|'),
        _ => Err(crate::model::UnknownWord { what: "delimiter", expected: "comma, semicolon, tab or pipe (or , ; | and a tab)" }),
    }
}

impl fmt::Display for Summary {
    /// A few lines for a terminal or a log: numbers, encoding, columns; never a cell value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} rows read ({}, {}): {} used, {} not usable, {} outside every population, {} duplicates folded, {} with warnings",
            self.rows,
            self.encoding,
            delimiter_name(self.delimiter),
            self.usable_rows,
            self.bad_rows,
            self.outside_populations,
            self.duplicates_folded,
            self.warnings
        )?;
        let kinds: Vec<String> =
            KeyKind::ALL.iter().zip(self.elements_by_kind).filter(|(_, n)| *n > 0).map(|(k, n)| format!("{n} {k}")).collect();
        writeln!(f, "{} elements ({}); name keys: {}", self.elements, kinds.join(", "), self.name_keys.as_str())?;
        for c in &self.mapping.choices {
            writeln!(f, "  {} <- \"{}\" ({}, {:.2})", c.field, c.header, c.basis.as_str(), c.confidence)?;
        }
        for n in &self.mapping.notes {
            writeln!(f, "  note: {n}")?;
        }
        for p in &self.populations {
            writeln!(f, "  population \"{}\": {} rows, {} elements", p.name, p.rows, p.elements)?;
        }
        Ok(())
    }
}

/// A CRM export, read: rows, their keys, and the distinct keys with their populations.
#[derive(Debug)]
pub struct Dataset {
    pub(crate) text: String,
    pub(crate) delimiter: u8,
    /// A reader kept for re-parsing rows (building one costs more than parsing a row).
    pub(crate) reparse: Mutex<Option<RecordReader>>,
    pub(crate) headers: Vec<String>,
    /// Row `i` is `text[row_start[i]..row_start[i + 1]]` (a sentinel closes the last).
    pub(crate) row_start: Vec<u64>,
    pub(crate) row_line: Vec<u64>,
    pub(crate) row_pops: Vec<u16>,
    pub(crate) row_key_start: Vec<u32>,
    pub(crate) row_keys: Vec<u32>,
    pub(crate) keys: Vec<Key>,
    pub(crate) key_pops: Vec<u16>,
    pub(crate) populations: Vec<String>,
    pub(crate) population_roles: Vec<PopulationRole>,
    pub(crate) issues: Vec<RowIssue>,
    /// Computed on first use ([`Dataset::fingerprint`]): only a protocol session needs it.
    pub(crate) fingerprint: OnceLock<[u8; 32]>,
    pub(crate) summary: Summary,
}

impl Clone for Dataset {
    fn clone(&self) -> Dataset {
        Dataset {
            text: self.text.clone(),
            delimiter: self.delimiter,
            reparse: Mutex::new(None),
            headers: self.headers.clone(),
            row_start: self.row_start.clone(),
            row_line: self.row_line.clone(),
            row_pops: self.row_pops.clone(),
            row_key_start: self.row_key_start.clone(),
            row_keys: self.row_keys.clone(),
            keys: self.keys.clone(),
            key_pops: self.key_pops.clone(),
            populations: self.populations.clone(),
            population_roles: self.population_roles.clone(),
            issues: self.issues.clone(),
            fingerprint: self.fingerprint.clone(),
            summary: self.summary.clone(),
        }
    }
}

impl Dataset {
    /// The kept reader, reset to the start of a text (a new one if another thread holds it).
    fn take_reader(&self) -> RecordReader {
        let kept = self.reparse.lock().ok().and_then(|mut g| g.take());
        let mut r = kept.unwrap_or_else(|| RecordReader::new(self.delimiter, 0, 1));
        r.restart(0, 1);
        r
    }

    fn put_reader(&self, r: RecordReader) {
        if let Ok(mut g) = self.reparse.lock() {
            *g = Some(r);
        }
    }

    /// The header row (`Column 1`, `Column 2`… for a file without one).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Number of data rows, used or not.
    pub fn row_count(&self) -> usize {
        self.row_line.len()
    }

    /// The cells of row `i` as in the file, parsed again from the kept text (empty past the end).
    pub fn row_fields(&self, i: usize) -> Vec<String> {
        match (self.row_start.get(i), self.row_start.get(i + 1)) {
            (Some(&s), Some(&e)) => match self.text.get(s as usize..e as usize) {
                Some(t) => {
                    let mut r = self.take_reader();
                    let cells = r.cells(t);
                    self.put_reader(r);
                    cells
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// The 1-based line where row `i` starts (0 past the end).
    pub fn row_line(&self, i: usize) -> u64 {
        self.row_line.get(i).copied().unwrap_or(0)
    }

    /// Ids (indices into [`Dataset::keys`]) of row `i`'s keys, ascending.
    pub fn row_keys(&self, i: usize) -> &[u32] {
        match (self.row_key_start.get(i), self.row_key_start.get(i + 1)) {
            (Some(&s), Some(&e)) => self.row_keys.get(s as usize..e as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Population bit mask of row `i` (0 for a row not used).
    pub fn row_populations(&self, i: usize) -> u16 {
        self.row_pops.get(i).copied().unwrap_or(0)
    }

    /// The distinct keys, sorted.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// Population bit mask of each distinct key: the union over its rows.
    pub fn key_populations(&self) -> &[u16] {
        &self.key_pops
    }

    /// Population names; bit `i` of a mask is `populations()[i]`.
    pub fn populations(&self) -> &[String] {
        &self.populations
    }

    /// What each population means (same order as [`Dataset::populations`]).
    pub fn population_roles(&self) -> &[PopulationRole] {
        &self.population_roles
    }

    /// Every notice, by line: rows not used (with why), folded duplicates, caveats.
    pub fn issues(&self) -> &[RowIssue] {
        &self.issues
    }

    /// Tells files apart: SHA-256 of the encoding's label, a zero byte and the file's text as
    /// read (decoded to UTF-8; the byte-order mark is not part of it). The same bytes always give
    /// the same fingerprint, however they were fed. Computed on the first call, not while reading:
    /// hashing the whole text is a tenth of the read in wasm, and only a protocol session, which
    /// binds its saved state to the dataset, asks for it.
    pub fn fingerprint(&self) -> [u8; 32] {
        *self.fingerprint.get_or_init(|| {
            let mut h = Sha256::new();
            h.update(self.summary.encoding.label().as_bytes());
            h.update([0]);
            h.update(self.text.as_bytes());
            h.finalize().into()
        })
    }

    /// The numbers: rows, usable, bad, duplicates, populations, encoding, columns.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// The columns used, with confidences.
    pub fn mapping(&self) -> &Mapping {
        &self.summary.mapping
    }

    /// The distinct values of column `col` over every row, with counts, most frequent first
    /// (values compared ignoring case, spaces and punctuation; at most 1,000 listed). For a
    /// mapping screen: which Type values make a population.
    pub fn column_values(&self, col: usize) -> ColumnValues {
        let mut counter = ValueCounter::new(1000);
        // The rows are consecutive records: one pass over them.
        let start = self.row_start.first().map_or(0, |&s| s as usize);
        let mut r = self.take_reader();
        r.restart(start, 1);
        for _ in 0..self.row_count() {
            if r.next(&self.text, true).is_none() {
                break;
            }
            let cell = r.field(col).map(String::from_utf8_lossy).unwrap_or_default();
            counter.add(&cell);
        }
        self.put_reader(r);
        counter.finish(col, self.headers.get(col).cloned().unwrap_or_default())
    }

    /// The notices as CSV for a spreadsheet ([`Flavour::Excel`]): see [`Dataset::issues_csv_for`].
    pub fn issues_csv(&self) -> Vec<u8> {
        self.issues_csv_for(Flavour::Excel)
    }

    /// The notices as CSV: `line,kind,reason`, one per notice, by line, written as `flavour`
    /// (see [`crate::csv_out`]). Reasons never quote a cell, so the file can be shared with
    /// whoever fixes the CRM.
    pub fn issues_csv_for(&self, flavour: Flavour) -> Vec<u8> {
        let mut w = crate::csv_out::Writer::new(flavour);
        w.record(["line", "kind", "reason"]);
        for i in &self.issues {
            w.record([i.line.to_string(), i.kind.code().to_string(), i.reason()]);
        }
        w.into_bytes()
    }
}

#[cfg(test)]
mod delimiter_tests {
    #[test]
    fn delimiters_by_name_or_character() {
        for (s, d) in [(",", b','), ("comma", b','), (";", b';'), ("\t", b'\t'), ("\\t", b'\t'), ("tab", b'\t'), ("pipe", b'|')] {
            assert_eq!(super::parse_delimiter(s), Ok(d), "{s:?}");
        }
        assert!(super::parse_delimiter("space").is_err());
    }
}
