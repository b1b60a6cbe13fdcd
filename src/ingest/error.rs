//! Errors that stop a whole file. Rows that merely cannot be used are not errors: they are
//! [`RowIssue`](super::RowIssue)s.

use std::fmt;

use super::columns::Field;

/// An error that stops ingestion of a whole file.
///
/// Its `Display` says where when there is a where (`line 14: …`), and never quotes the file's
/// content, not even its header row (which may be a row of data): a message may end up in a log
/// or a bug report. It may quote the caller's own options (a column override, a rule's name).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IngestError {
    /// Nothing but blank lines: no header row.
    Empty,
    /// Not a text file (an Excel workbook, a PDF, binary data).
    NotText {
        /// What it seems to be, and what to do.
        what: &'static str,
    },
    /// No column could be used for matching. (The headers are [`super::Preview::headers`]: the
    /// error does not list them, as the first row may be data when the file has no header row.)
    NoKeyColumn {
        /// How many columns the file has.
        columns: usize,
    },
    /// A column override names a header the file does not have.
    UnknownColumn {
        /// The field being overridden.
        field: Field,
        /// The header asked for.
        header: String,
    },
    /// A population rule cannot be used.
    InvalidRule {
        /// The population's name.
        population: String,
        /// What is wrong with it.
        message: &'static str,
    },
    /// More populations than a key's mask can hold.
    TooManyPopulations {
        /// Rules given.
        found: usize,
        /// The maximum.
        max: usize,
    },
    /// The file is larger than the limit set in the options.
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The file has more rows than the limit set in the options.
    TooManyRows {
        /// Line of the first row over the limit.
        line: u64,
        /// The limit.
        limit: u64,
    },
    /// More distinct keys than the reader can index (over 4 billion, or 4 GiB of key text).
    TooManyKeys {
        /// Line of the row that overflowed.
        line: u64,
    },
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestError::Empty => write!(f, "the file is empty: expected a header row"),
            IngestError::NotText { what } => f.write_str(what),
            IngestError::NoKeyColumn { columns } => write!(
                f,
                "line 1: no website, domain, email, DUNS, LinkedIn or company name column found among the {columns} column(s) of the header row; name one with a column override"
            ),
            IngestError::UnknownColumn { field, header } => {
                write!(f, "column override {field}=\"{header}\": the file has no such header")
            }
            IngestError::InvalidRule { population, message } => {
                if population.is_empty() {
                    write!(f, "population rules: {message}")
                } else {
                    write!(f, "population \"{population}\": {message}")
                }
            }
            IngestError::TooManyPopulations { found, max } => {
                write!(f, "{found} populations: at most {max} are possible")
            }
            IngestError::TooLarge { limit } => write!(f, "the file is larger than the limit of {limit} bytes"),
            IngestError::TooManyRows { line, limit } => {
                write!(f, "line {line}: more than the limit of {limit} rows")
            }
            IngestError::TooManyKeys { line } => write!(f, "line {line}: too many distinct keys for one file"),
        }
    }
}

impl std::error::Error for IngestError {}
