//! CRM export bytes → a [`Dataset`]: rows, their typed keys and populations.
//!
//! Foundation version: the whole file is parsed with the `csv` crate, the website column is found
//! by its header name, and every row is in one population. Streaming, encodings, column mapping by
//! similarity and population rules deepen this module without changing its face.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::keys::{Key, KeyKind};
use crate::normalize;

/// The fields overlap knows how to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// A website URL or bare domain.
    Website,
}

impl Field {
    /// Lower-case name used in options and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Website => "website",
        }
    }
}

/// How to read an export.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Column overrides: field → header name exactly as in the file.
    pub columns: Vec<(Field, String)>,
}

/// A row that gives no key, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowIssue {
    /// 1-based line number in the file where the row starts.
    pub line: u64,
    /// Why the row gives nothing to match on (never quotes the cell's value).
    pub reason: String,
}

/// An error that stops ingestion of a whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IngestError {
    /// The file has no header row.
    Empty,
    /// No column could be used for matching.
    NoKeyColumn {
        /// The headers found, to help the user pick one.
        headers: Vec<String>,
    },
    /// An override names a header the file does not have.
    UnknownColumn {
        /// The field being overridden.
        field: &'static str,
        /// The header asked for.
        header: String,
    },
    /// The CSV could not be parsed.
    Malformed {
        /// 1-based line.
        line: u64,
        /// What was wrong.
        message: String,
    },
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestError::Empty => write!(f, "the file is empty: expected a header row"),
            IngestError::NoKeyColumn { headers } => write!(
                f,
                "no website or domain column found among the headers ({}); name one with a column override",
                headers.join(", ")
            ),
            IngestError::UnknownColumn { field, header } => {
                write!(f, "column override {field}=\"{header}\": the file has no such header")
            }
            IngestError::Malformed { line, message } => write!(f, "line {line}: {message}"),
        }
    }
}

impl std::error::Error for IngestError {}

/// One parsed data row.
#[derive(Clone, Debug)]
struct Row {
    line: u64,
    fields: Vec<String>,
}

/// A CRM export, read: rows, their keys, and the distinct keys with their populations.
#[derive(Clone, Debug)]
pub struct Dataset {
    headers: Vec<String>,
    rows: Vec<Row>,
    /// For row `i`, its key ids are `row_keys[row_key_start[i]..row_key_start[i + 1]]`.
    row_key_start: Vec<u32>,
    row_keys: Vec<u32>,
    row_pops: Vec<u16>,
    keys: Vec<Key>,
    key_pops: Vec<u16>,
    populations: Vec<String>,
    issues: Vec<RowIssue>,
    fingerprint: [u8; 32],
}

/// Reads a whole export.
///
/// # Errors
/// [`IngestError`] when the file cannot be used at all; rows that merely give no key are listed
/// in [`Dataset::issues`] instead.
pub fn read(bytes: &[u8], options: &Options) -> Result<Dataset, IngestError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(bytes);
    let headers: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| malformed(&e))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    if headers.is_empty() || headers.iter().all(String::is_empty) {
        return Err(IngestError::Empty);
    }
    let website = find_column(&headers, Field::Website, options)?
        .ok_or_else(|| IngestError::NoKeyColumn { headers: headers.clone() })?;

    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(malformed(&e)),
        }
        let line = record.position().map_or(0, |p| p.line());
        let fields = record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
        rows.push(Row { line, fields });
    }

    let mut b = DatasetBuilder::new(headers, vec!["All accounts".to_string()], Sha256::digest(bytes).into());
    for row in rows {
        let cell = row.fields.get(website).map(String::as_str).unwrap_or("");
        match normalize::domain(cell) {
            Ok(d) => b.push(row, 1, vec![Key::new(KeyKind::Domain, d)]),
            Err(r) => {
                b.issues.push(RowIssue { line: row.line, reason: format!("website: {r}") });
                b.push(row, 1, Vec::new());
            }
        }
    }
    Ok(b.build())
}

fn malformed(e: &csv::Error) -> IngestError {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Io(_) => "could not be read".to_string(),
        _ => "malformed CSV".to_string(),
    };
    IngestError::Malformed { line, message }
}

const WEBSITE_HEADERS: &[&str] =
    &["website", "website url", "web site", "domain", "company domain name", "url", "homepage"];

fn find_column(headers: &[String], field: Field, options: &Options) -> Result<Option<usize>, IngestError> {
    if let Some((_, want)) = options.columns.iter().find(|(f, _)| *f == field) {
        return headers
            .iter()
            .position(|h| h == want)
            .map(Some)
            .ok_or_else(|| IngestError::UnknownColumn { field: field.as_str(), header: want.clone() });
    }
    Ok(headers.iter().position(|h| WEBSITE_HEADERS.contains(&h.to_lowercase().as_str())))
}

struct DatasetBuilder {
    headers: Vec<String>,
    populations: Vec<String>,
    fingerprint: [u8; 32],
    rows: Vec<Row>,
    row_pops: Vec<u16>,
    row_key_start: Vec<u32>,
    row_key_list: Vec<Key>,
    issues: Vec<RowIssue>,
}

impl DatasetBuilder {
    fn new(headers: Vec<String>, populations: Vec<String>, fingerprint: [u8; 32]) -> Self {
        DatasetBuilder {
            headers,
            populations,
            fingerprint,
            rows: Vec::new(),
            row_pops: Vec::new(),
            row_key_start: vec![0],
            row_key_list: Vec::new(),
            issues: Vec::new(),
        }
    }

    fn push(&mut self, row: Row, pops: u16, mut keys: Vec<Key>) {
        keys.sort();
        keys.dedup();
        self.rows.push(row);
        self.row_pops.push(pops);
        self.row_key_list.extend(keys);
        self.row_key_start.push(self.row_key_list.len() as u32);
    }

    fn build(self) -> Dataset {
        let mut keys: Vec<Key> = self.row_key_list.clone();
        keys.sort();
        keys.dedup();
        let mut key_pops = vec![0u16; keys.len()];
        let mut row_keys = Vec::with_capacity(self.row_key_list.len());
        for (i, pops) in self.row_pops.iter().enumerate() {
            let (s, e) = (self.row_key_start[i] as usize, self.row_key_start[i + 1] as usize);
            for k in &self.row_key_list[s..e] {
                // The key is in `keys` by construction.
                let id = keys.binary_search(k).unwrap_or(0);
                key_pops[id] |= pops;
                row_keys.push(id as u32);
            }
        }
        Dataset {
            headers: self.headers,
            rows: self.rows,
            row_key_start: self.row_key_start,
            row_keys,
            row_pops: self.row_pops,
            keys,
            key_pops,
            populations: self.populations,
            issues: self.issues,
            fingerprint: self.fingerprint,
        }
    }
}

impl Dataset {
    /// The header row.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
    /// Number of data rows.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }
    /// The original cells of row `i`.
    pub fn row_fields(&self, i: usize) -> &[String] {
        &self.rows[i].fields
    }
    /// The 1-based line where row `i` starts.
    pub fn row_line(&self, i: usize) -> u64 {
        self.rows[i].line
    }
    /// Ids (indices into [`Dataset::keys`]) of row `i`'s keys.
    pub fn row_keys(&self, i: usize) -> &[u32] {
        &self.row_keys[self.row_key_start[i] as usize..self.row_key_start[i + 1] as usize]
    }
    /// Population bit mask of row `i`.
    pub fn row_populations(&self, i: usize) -> u16 {
        self.row_pops[i]
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
    /// Rows that give no key, with why.
    pub fn issues(&self) -> &[RowIssue] {
        &self.issues
    }
    /// SHA-256 of the file's bytes.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_website_and_folds_duplicates() {
        let csv = b"Name,Website\nAcme,https://www.acme.com/\nAcme 2,acme.com\nNobody,n/a\n";
        let d = read(csv, &Options::default()).unwrap();
        assert_eq!(d.row_count(), 3);
        assert_eq!(d.keys().len(), 1);
        assert_eq!(d.row_keys(0), d.row_keys(1));
        assert_eq!(d.issues(), &[RowIssue { line: 4, reason: "website: a placeholder, not a value".into() }]);
    }

    #[test]
    fn no_website_column_is_a_clear_error() {
        let err = read(b"Name,Phone\nAcme,123\n", &Options::default()).unwrap_err();
        assert!(err.to_string().contains("no website or domain column"), "{err}");
        assert!(err.to_string().contains("Name, Phone"), "{err}");
    }
}
