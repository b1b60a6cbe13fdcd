//! CRM export bytes → a [`Dataset`]: rows, their typed keys and populations, and a notice for
//! every row that could not be used.
//!
//! Analysts drop whatever their CRM gave them; this module reads it. One row's path:
//!
//! 0. [`magic`]: a file that is not CSV (a workbook, an image, a PDF, an archive) is recognised by
//!    its first bytes and refused with what to do instead.
//! 1. [`decode`]: the bytes' encoding is detected (UTF-8 with or without BOM, UTF-16 LE/BE,
//!    Windows-1252) and they become UTF-8 text, chunk by chunk.
//! 2. [`mod@sniff`]: the delimiter (comma, semicolon, tab, pipe) is found from the first records.
//! 3. [`reader`]: `csv-core` cuts the text into records (RFC 4180 quoting, any line ends); each
//!    record's line is known and its quoting checked.
//! 4. [`columns`]: from the header and the first rows, the columns holding the website, domain,
//!    emails, name, country, DUNS, LinkedIn page and type/stage are chosen, each with a confidence.
//! 5. [`populations`]: rules put the row in populations (by default Customers, Open
//!    Opportunities, Prospects and Other from the type/stage column).
//! 6. Each key cell goes through [`crate::normalize`]; the keys of all rows are kept once each
//!    (rows sharing a key are one element), and a row without any becomes a [`RowIssue`].
//!
//! [`sniff`](fn@sniff) shows steps 1–5 on the first bytes so a user can check them;
//! [`Ingest`] streams a whole file; [`read`] is the one-shot form.
//!
//! ```
//! use overlap::ingest::{read, Field, Options};
//! let csv = "Account Name;Website;Type\r\nAcme;https://www.acme.com/;Customer - Direct\r\n;n/a;Prospect\r\n";
//! let d = read(csv.as_bytes(), &Options::new())?;
//! assert_eq!(d.summary().delimiter, b';');
//! assert_eq!(d.mapping().get(Field::Website).unwrap().header, "Website");
//! assert_eq!(d.keys()[0].to_string(), "domain:acme.com");
//! assert_eq!(d.populations(), ["Customers"]);
//! assert_eq!(d.issues()[0].to_string(), "line 3: no usable key (website: a placeholder, not a value; name: empty)");
//! # Ok::<(), overlap::ingest::IngestError>(())
//! ```
//!
//! Known limits: the first row is the header (a header-looking row of domains or emails is taken
//! as data); the mapping is decided from the first [`SNIFF_BYTES`] (a column empty there is
//! found by its header only); cells of more than 1 MiB are not read.
//!
//! Memory: the decoded text is kept once (a row's cells are parsed again when asked for), with
//! about 30 bytes per row and 60–70 bytes per distinct key besides.

pub mod columns;
pub mod dataset;
pub mod decode;
mod error;
pub mod headers;
mod keystore;
pub mod magic;
pub mod populations;
mod preview;
pub mod reader;
pub mod sniff;
mod stream;

use std::fmt;
use std::io::Read;
use std::str::FromStr;

pub use self::columns::{Basis, ColumnChoice, Field, Mapping};
pub use self::dataset::{delimiter_name, parse_delimiter, Dataset, IssueKind, PopulationCount, RowIssue, Summary};
pub use self::decode::Encoding;
pub use self::error::IngestError;
pub use self::populations::{ColumnValues, PopulationRule, Select, MAX_POPULATIONS};
pub use self::preview::{Preview, PREVIEW_ROWS, SAMPLE_ROWS, SNIFF_BYTES};
pub use self::stream::{Ingest, Progress};

/// When a row gets a `name:` key (canonical company name plus country).
///
/// Names are the weak key: different companies share names, and partners spell them differently.
/// Measured on the crm-pair development data (A: 5,125 Salesforce rows, B: 5,000 HubSpot rows,
/// both read with the same policy) through the CLI, precision / recall of "this row of A overlaps
/// B" (`scripts/eval-crm-pair`):
///
/// | policy     | all matches   | high confidence only |
/// |------------|---------------|----------------------|
/// | `Paired`   | 0.968 / 0.999 | 1.000 / 0.906        |
/// | `Never`    | 1.000 / 0.906 | 1.000 / 0.906        |
/// | `Fallback` | 0.999 / 0.908 | 1.000 / 0.906        |
/// | `Always`   | 0.737 / 0.999 | 1.000 / 0.906        |
///
/// `Paired` is the default: a name matches only when at least one of the two rows has no other key
/// (two rows with different domains and the same name are different companies — that is where
/// `Always` loses its precision), so it finds nearly every overlap while name-only matches stay
/// labelled "possible". The protocol implements the pairing with role tokens (docs/PROTOCOL.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum NamePolicy {
    /// Every row with a name gets a name key, marked with whether the row has another key; the
    /// protocol lets two names match only when at least one of the two rows has no other key
    /// (two rows with different domains and the same name are different companies). The
    /// default: see the table above.
    #[default]
    Paired,
    /// Every row with a name gets a name key, besides its other keys.
    Always,
    /// Only rows with no other key (no usable website, email, DUNS or LinkedIn) get one.
    Fallback,
    /// No name keys.
    Never,
}

impl NamePolicy {
    /// `always`, `fallback` or `never`.
    pub fn as_str(self) -> &'static str {
        match self {
            NamePolicy::Paired => "paired",
            NamePolicy::Always => "always",
            NamePolicy::Fallback => "fallback",
            NamePolicy::Never => "never",
        }
    }
}

impl fmt::Display for NamePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NamePolicy {
    type Err = &'static str;
    fn from_str(s: &str) -> Result<NamePolicy, &'static str> {
        match s.trim().to_ascii_lowercase().as_str() {
            "paired" => Ok(NamePolicy::Paired),
            "always" => Ok(NamePolicy::Always),
            "fallback" => Ok(NamePolicy::Fallback),
            "never" => Ok(NamePolicy::Never),
            _ => Err("expected paired, always, fallback or never"),
        }
    }
}

/// How to read an export. Every setting has a default that suits a plain CRM export.
#[derive(Clone, Debug)]
pub struct Options {
    delimiter: Option<u8>,
    encoding: Option<Encoding>,
    header: Option<bool>,
    columns: Vec<(Field, String)>,
    populations: Option<Vec<PopulationRule>>,
    name_keys: NamePolicy,
    max_rows: u64,
    max_bytes: u64,
    size_hint: Option<u64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            delimiter: None,
            encoding: None,
            header: None,
            columns: Vec::new(),
            populations: None,
            name_keys: NamePolicy::default(),
            max_rows: 50_000_000,
            max_bytes: 1 << 32,
            size_hint: None,
        }
    }
}

impl Options {
    /// The defaults.
    pub fn new() -> Options {
        Options::default()
    }

    /// The delimiter; default `None`: sniffed from the first records (comma, semicolon, tab or
    /// pipe), or taken from an Excel `sep=` first line.
    ///
    /// ```
    /// # use overlap::ingest::{read, Options};
    /// let d = read(b"Website|Name\nacme.com|Acme\n", Options::new().delimiter(Some(b'|')))?;
    /// assert_eq!(d.headers(), ["Website", "Name"]);
    /// # Ok::<(), overlap::ingest::IngestError>(())
    /// ```
    pub fn delimiter(&mut self, delimiter: Option<u8>) -> &mut Options {
        self.delimiter = delimiter;
        self
    }

    /// The encoding; default `None`: detected (byte-order mark, then UTF-8 if valid, else
    /// Windows-1252).
    ///
    /// ```
    /// # use overlap::ingest::{read, Encoding, Options};
    /// let d = read(b"Name,Website\nCaf\xe9,cafe.fr\n", Options::new().encoding(Some(Encoding::Windows1252)))?;
    /// assert_eq!(d.row_fields(0)[0], "Café");
    /// # Ok::<(), overlap::ingest::IngestError>(())
    /// ```
    pub fn encoding(&mut self, encoding: Option<Encoding>) -> &mut Options {
        self.encoding = encoding;
        self
    }

    /// Whether the first row is a header; default `None`: yes, unless every cell of it looks like
    /// a domain, URL or email (a bare list).
    pub fn header(&mut self, header: Option<bool>) -> &mut Options {
        self.header = header;
        self
    }

    /// Uses column `header` (as in the file; case and surrounding spaces ignored; or `#N`,
    /// 1-based) for `field`, instead of the detected one. Give a field several times for several
    /// columns (emails); an empty header turns the field off. Default: none, all detected.
    ///
    /// ```
    /// # use overlap::ingest::{read, Field, Options};
    /// let csv = b"Company,Homepage,Main Site\nAcme,acme.com,acme.io\n";
    /// let d = read(csv, Options::new().column(Field::Website, "Main Site"))?;
    /// assert_eq!(d.keys()[0].to_string(), "domain:acme.io");
    /// # Ok::<(), overlap::ingest::IngestError>(())
    /// ```
    pub fn column(&mut self, field: Field, header: impl Into<String>) -> &mut Options {
        self.columns.push((field, header.into()));
        self
    }

    /// The column overrides given so far.
    pub fn columns(&self) -> &[(Field, String)] {
        &self.columns
    }

    /// The population rules; default `None`: [`populations::default_rules`] from the type/stage
    /// column found (or "All accounts").
    ///
    /// ```
    /// # use overlap::ingest::{read, Options, PopulationRule};
    /// let csv = b"Website,Tier\na.com,Gold\nb.com,Silver\n";
    /// let rules = vec![PopulationRule::values("Gold accounts", "Tier", ["gold"])];
    /// let d = read(csv, Options::new().populations(Some(rules)))?;
    /// assert_eq!(d.populations(), ["Gold accounts"]);
    /// assert_eq!(d.summary().outside_populations, 1);
    /// # Ok::<(), overlap::ingest::IngestError>(())
    /// ```
    pub fn populations(&mut self, rules: Option<Vec<PopulationRule>>) -> &mut Options {
        self.populations = rules;
        self
    }

    /// When rows get a `name:` key; default [`NamePolicy::Paired`].
    pub fn name_keys(&mut self, policy: NamePolicy) -> &mut Options {
        self.name_keys = policy;
        self
    }

    /// At most this many data rows; default 50,000,000 (at most 4,294,967,294).
    pub fn max_rows(&mut self, rows: u64) -> &mut Options {
        self.max_rows = rows.min(u64::from(u32::MAX - 1));
        self
    }

    /// At most this many bytes; default 4 GiB.
    pub fn max_bytes(&mut self, bytes: u64) -> &mut Options {
        self.max_bytes = bytes;
        self
    }

    /// The file's size, when known (`File.size`, file metadata); default `None`. Lets the reader
    /// reserve its text once instead of growing it, which keeps peak memory lower.
    pub fn size_hint(&mut self, bytes: Option<u64>) -> &mut Options {
        self.size_hint = bytes;
        self
    }
}

/// Looks at the first bytes of a file: encoding, delimiter, headers, first rows, the column
/// mapping with confidences, population candidates and rules — what [`Ingest`] will do.
///
/// Give it the whole file, or more than [`SNIFF_BYTES`] of it: the analysis looks at the first
/// `SNIFF_BYTES` only, and a file at most that long is analysed whole (with its last row), as
/// the full read does. A last row cut off by the end of a longer sample is left out.
///
/// # Errors
/// [`IngestError::Empty`], [`IngestError::NotText`], [`IngestError::UnknownColumn`].
pub fn sniff(first_bytes: &[u8], options: &Options) -> Result<Preview, IngestError> {
    let whole = first_bytes.len() <= SNIFF_BYTES;
    let bytes = &first_bytes[..first_bytes.len().min(SNIFF_BYTES)];
    preview::analyse(bytes, options, whole).map(|(a, _)| a.preview)
}

/// Reads a whole export held in memory.
///
/// # Errors
/// [`IngestError`] when the file cannot be used at all; rows that merely give no key are listed
/// in [`Dataset::issues`] instead.
pub fn read(bytes: &[u8], options: &Options) -> Result<Dataset, IngestError> {
    let mut opts = options.clone();
    if opts.size_hint.is_none() {
        opts.size_hint = Some(bytes.len() as u64);
    }
    let mut ingest = Ingest::new(opts);
    ingest.feed(bytes)?;
    ingest.finish()
}

/// An error of [`read_from`]: reading the source, or the export itself.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// The source could not be read.
    Io(std::io::Error),
    /// The export could not be used.
    Ingest(IngestError),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "could not read the file: {e}"),
            ReadError::Ingest(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ReadError {}

/// Streams an export from a reader in 1 MiB chunks (the CLI's way: the file is never in memory
/// twice). Give [`Options::size_hint`] the file's size when known.
///
/// # Errors
/// [`ReadError`].
pub fn read_from(mut source: impl Read, options: &Options) -> Result<Dataset, ReadError> {
    let mut ingest = Ingest::new(options.clone());
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ReadError::Io(e)),
        };
        ingest.feed(&buf[..n]).map_err(ReadError::Ingest)?;
    }
    ingest.finish().map_err(ReadError::Ingest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_website_and_folds_duplicates() {
        let csv = b"Name,Website\nAcme,https://www.acme.com/\nAcme 2,acme.com\nNobody,n/a\n";
        let d = read(csv, Options::new().name_keys(NamePolicy::Never)).unwrap();
        assert_eq!(d.row_count(), 3);
        assert_eq!(d.keys().len(), 1);
        assert_eq!(d.row_keys(0), d.row_keys(1));
        let lines: Vec<String> = d.issues().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "line 2: 1 later row(s) share its domain key: folded into one element",
                "line 3: shares its domain key with line 2: folded into one element",
                "line 4: no usable key (website: a placeholder, not a value)",
            ]
        );
        assert_eq!(d.summary().duplicates_folded, 1);
        assert_eq!(d.summary().bad_rows, 1);
    }

    #[test]
    fn no_key_column_is_a_clear_error() {
        let err = read(b"Phone,Industry\n123,Retail\n", &Options::default()).unwrap_err();
        assert!(err.to_string().contains("no website, domain"), "{err}");
        assert!(err.to_string().contains("among the 2 column(s)"), "{err}");
        // A file without a header row: its first row is data, and the error does not quote it.
        let err = read(b"Jane Roe,+46 70 123 45 67\nJohn Doe,+46 70 765 43 21\n", &Options::default()).unwrap_err();
        assert!(!err.to_string().contains("Jane") && !err.to_string().contains("+46"), "{err}");
    }
}
