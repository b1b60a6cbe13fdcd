//! Which delimiter a file uses, from its first records.
//!
//! Each candidate (comma, semicolon, tab, pipe) parses the first [`SNIFF_RECORDS`] records with
//! full quoting rules; the one whose header has at least two cells and whose records most often
//! have as many cells as the header wins, ties going to more cells, then to the order above.
//! European Excel writes semicolons (the comma is the decimal mark there), Excel's "Unicode
//! Text" writes tabs; a file with none of them is one column.
//!
//! Excel also understands a first line `sep=;`: it is honoured and skipped.

use super::reader::RecordReader;

/// The delimiters tried, in order of preference on a tie.
pub const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Records looked at per candidate.
pub const SNIFF_RECORDS: usize = 30;

/// An Excel `sep=X` first line: the delimiter and the bytes to skip.
pub fn sep_line(text: &str) -> Option<(u8, usize)> {
    let rest = text.strip_prefix("sep=").or_else(|| text.strip_prefix("SEP="))?;
    let d = *rest.as_bytes().first()?;
    if d.is_ascii_alphanumeric() || matches!(d, b'\r' | b'\n' | b'"') {
        return None;
    }
    let mut n = 5;
    let after = &text.as_bytes()[n..];
    match after {
        [b'\r', b'\n', ..] => n += 2,
        [b'\r' | b'\n', ..] => n += 1,
        [] => {}
        _ => return None,
    }
    Some((d, n))
}

/// The most likely delimiter of `text` (decoded, from its start). `complete`: the text is the
/// whole file, so its last record is not cut off.
pub fn delimiter(text: &str, complete: bool) -> u8 {
    let mut best = (0u64, CANDIDATES[0]);
    for &d in &CANDIDATES {
        let counts = field_counts(text, d, complete);
        let Some((&header, rest)) = counts.split_first() else { continue };
        if header < 2 {
            continue;
        }
        let agree = rest.iter().filter(|&&c| c == header).count() as u64;
        let consistency = if rest.is_empty() { 1000 } else { agree * 1000 / rest.len() as u64 };
        let score = consistency * 10_000 + header.min(9_999) as u64;
        if score > best.0 {
            best = (score, d);
        }
    }
    best.1
}

fn field_counts(text: &str, delimiter: u8, complete: bool) -> Vec<usize> {
    let mut r = RecordReader::new(delimiter, 0, 1);
    let mut counts = Vec::new();
    while counts.len() < SNIFF_RECORDS {
        let Some(span) = r.next(text, true) else { break };
        if !complete && span.end >= text.len() {
            // Possibly cut off by the end of the sample.
            break;
        }
        counts.push(r.field_count());
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_consistent_delimiter() {
        assert_eq!(delimiter("Name,Website\nAcme; Inc,acme.com\n", true), b',');
        assert_eq!(delimiter("Name;Website;Revenue\nAcme, Inc;acme.com;1,5\nB;b.com;2,0\n", true), b';');
        assert_eq!(delimiter("Name\tWebsite\n\"A, B; C\"\ta.com\n", true), b'\t');
        assert_eq!(delimiter("Name|Website\nA|a.com\n", true), b'|');
        assert_eq!(delimiter("website\nacme.com\n", true), b',');
        assert_eq!(delimiter("", true), b',');
    }

    #[test]
    fn excel_sep_line() {
        assert_eq!(sep_line("sep=;\r\na;b\r\n"), Some((b';', 7)));
        assert_eq!(sep_line("sep=\t\n"), Some((b'\t', 6)));
        assert_eq!(sep_line("sep=;x\n"), None);
        assert_eq!(sep_line("Name,Web\n"), None);
    }
}
