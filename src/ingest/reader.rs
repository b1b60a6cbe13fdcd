//! Records from decoded text, with where each starts: `csv-core` underneath.
//!
//! `csv-core` does the RFC 4180 work (quoted delimiters, doubled quotes, quoted line breaks; LF,
//! CRLF and CR line ends; blank lines skipped) and never fails: it prefers *a* parse to none.
//! This layer adds what a report needs and `csv-core` leaves to its callers:
//!
//! - the byte span and the 1-based line where each record starts (LF, CRLF and a lone CR each end
//!   a line, also inside quoted cells, as a text editor counts them);
//! - a check of the quoting against RFC 4180 ([`QuoteCheck`]), so a stray quote that swallowed
//!   the following lines is reported instead of silently read as one long cell;
//! - bounds: a record longer than [`MAX_RECORD_BYTES`] or with more than [`MAX_FIELDS`] cells is
//!   skipped over (and reported) rather than buffered without limit.
//!
//! The text is given anew on each call, grown by the caller; the reader only remembers offsets.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// A record's unescaped bytes are kept up to this size; longer ones are reported, not kept.
pub const MAX_RECORD_BYTES: usize = 1 << 20;
/// At most this many cells per record.
pub const MAX_FIELDS: usize = 4096;

/// How a record's quoting compares with RFC 4180.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteCheck {
    /// Well formed (a quote inside an unquoted cell, `12" pipe`, is tolerated as literal).
    Ok,
    /// Text right after a closing quote (`"Acme "Best" Co"`): read leniently.
    TextAfterQuote,
    /// A quoted cell that is never closed: it ran to the end of the file.
    Unclosed,
}

/// Where a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of its first byte in the text.
    pub start: usize,
    /// Byte offset just past its line terminator (or the end of the text).
    pub end: usize,
    /// 1-based line where it starts.
    pub line: u64,
    /// Line terminators inside a record whose quote is never closed (0 for other records).
    pub inner_lines: u64,
    /// Cells beyond [`MAX_FIELDS`] or bytes beyond [`MAX_RECORD_BYTES`]: the cells were not kept.
    pub oversize: bool,
    /// The quoting check.
    pub quoting: QuoteCheck,
}

/// Streams records out of a growing text.
#[derive(Debug)]
pub struct RecordReader {
    core: Reader,
    delimiter: u8,
    out: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
    oversize: bool,
    /// Cell bytes and cell count of the record last returned.
    last_nout: usize,
    last_nend: usize,
    /// Next byte of the text to give `csv-core`.
    pos: usize,
    /// End of the previous record: the next one starts at the first non-terminator after it.
    prev_end: usize,
    /// Line terminators in `text[..counted]`.
    lines: u64,
    counted: usize,
    done: bool,
}

impl RecordReader {
    /// A reader for `delimiter`, starting at byte `start` of the text (line `start_line`, 1-based).
    pub fn new(delimiter: u8, start: usize, start_line: u64) -> RecordReader {
        RecordReader {
            core: core(delimiter),
            delimiter,
            out: vec![0; 4096],
            ends: vec![0; 64],
            nout: 0,
            nend: 0,
            oversize: false,
            last_nout: 0,
            last_nend: 0,
            pos: start,
            prev_end: start,
            lines: start_line.saturating_sub(1),
            counted: start,
            done: false,
        }
    }

    /// The next complete record of `text`, or `None` when more text is needed (or, with `eof`,
    /// when there is none left). The cells are then [`RecordReader::field`].
    pub fn next(&mut self, text: &str, eof: bool) -> Option<Span> {
        let bytes = text.as_bytes();
        if self.done {
            return None;
        }
        loop {
            let input = bytes.get(self.pos..).unwrap_or(&[]);
            if input.is_empty() && !eof {
                return None;
            }
            if self.nout >= self.out.len() {
                if self.out.len() < MAX_RECORD_BYTES {
                    let n = (self.out.len() * 2).min(MAX_RECORD_BYTES);
                    self.out.resize(n, 0);
                } else {
                    // Too long to keep: go on reading it, into the same buffer, to find its end.
                    self.oversize = true;
                    self.nout = 0;
                }
            }
            if self.nend >= self.ends.len() {
                if self.ends.len() < MAX_FIELDS {
                    let n = (self.ends.len() * 2).min(MAX_FIELDS);
                    self.ends.resize(n, 0);
                } else {
                    self.oversize = true;
                    self.nend = 0;
                }
            }
            let (res, nin, nout, nend) = self.core.read_record(input, &mut self.out[self.nout..], &mut self.ends[self.nend..]);
            self.pos += nin;
            self.nout += nout;
            self.nend += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    if !eof {
                        return None;
                    }
                }
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
                ReadRecordResult::Record => return Some(self.finish_record(bytes)),
                ReadRecordResult::End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }

    fn finish_record(&mut self, bytes: &[u8]) -> Span {
        let end = self.pos.min(bytes.len());
        let mut start = self.prev_end.min(end);
        while start < end && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        self.lines += count_lines(&bytes[self.counted.min(start)..start], bytes.get(start).copied());
        self.counted = start;
        let line = self.lines + 1;
        let raw = &bytes[start..end];
        let quoting = if memchr::memchr(b'"', raw).is_some() { check_quoting(raw, self.delimiter) } else { QuoteCheck::Ok };
        // Line breaks inside the record (all but its own terminator): only a report needs them.
        let inner_lines = if quoting == QuoteCheck::Unclosed {
            let body_end = trim_terminator(raw);
            count_lines(&raw[..body_end], raw.get(body_end).copied())
        } else {
            0
        };
        let span = Span { start, end, line, inner_lines, oversize: self.oversize, quoting };
        self.prev_end = end;
        self.last_nout = if self.oversize { 0 } else { self.nout };
        self.last_nend = if self.oversize { 0 } else { self.nend };
        self.nout = 0;
        self.nend = 0;
        self.oversize = false;
        span
    }
}

impl RecordReader {
    /// Number of cells of the record last returned (0 when it was oversize).
    pub fn field_count(&self) -> usize {
        self.last_nend
    }

    /// Cell `i` of the record last returned, unescaped; `None` past the last cell.
    pub fn field(&self, i: usize) -> Option<&[u8]> {
        if i >= self.last_nend {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let end = self.ends[i];
        self.out.get(start..end.min(self.last_nout))
    }

    /// The cells of the record last returned, unescaped, one after the other (cell `i` is
    /// [`RecordReader::field_range`] of it).
    pub fn record_bytes(&self) -> &[u8] {
        self.out.get(..self.last_nout).unwrap_or_default()
    }

    /// Where cell `i` of the record last returned is in [`RecordReader::record_bytes`]; `None`
    /// past the last cell.
    pub fn field_range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        if i >= self.last_nend {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(start.min(self.last_nout)..self.ends[i].min(self.last_nout))
    }

    /// Whether every cell of the record last returned is empty or whitespace.
    pub fn is_blank(&self) -> bool {
        self.out[..self.last_nout].iter().all(u8::is_ascii_whitespace)
    }

    /// Byte offset of the next unread byte.
    pub fn position(&self) -> usize {
        self.pos
    }
}

/// A `csv-core` reader for `delimiter` (RFC 4180 quoting, any line end).
fn core(delimiter: u8) -> Reader {
    ReaderBuilder::new().delimiter(delimiter).build()
}

/// The cells of the first record in `text`, as strings (the on-demand re-parse of one row).
pub fn parse_record(text: &str, delimiter: u8) -> Vec<String> {
    let mut r = RecordReader::new(delimiter, 0, 1);
    r.cells(text)
}

impl RecordReader {
    /// Starts over at byte `start` of a text (line `start_line`), keeping the built parser: building
    /// one compiles its DFA, which costs more than parsing a row. (`csv_core::Reader::clone` does
    /// not copy the whole DFA in csv-core 0.1.13, so a built reader cannot be cloned instead.)
    pub fn restart(&mut self, start: usize, start_line: u64) {
        self.core.reset();
        self.nout = 0;
        self.nend = 0;
        self.oversize = false;
        self.last_nout = 0;
        self.last_nend = 0;
        self.pos = start;
        self.prev_end = start;
        self.lines = start_line.saturating_sub(1);
        self.counted = start;
        self.done = false;
    }

    /// The cells of the next record of a complete `text`, as strings (empty at the end).
    pub fn cells(&mut self, text: &str) -> Vec<String> {
        if self.next(text, true).is_none() {
            return Vec::new();
        }
        (0..self.field_count()).map(|i| String::from_utf8_lossy(self.field(i).unwrap_or(&[])).into_owned()).collect()
    }
}

/// Line terminators in `bytes`: each LF, and each CR not followed by LF (`next` is the byte after).
pub fn count_lines(bytes: &[u8], next: Option<u8>) -> u64 {
    let lf = memchr::memchr_iter(b'\n', bytes).count() as u64;
    let lone_cr = memchr::memchr_iter(b'\r', bytes).filter(|&i| bytes.get(i + 1).copied().or(next) != Some(b'\n')).count() as u64;
    lf + lone_cr
}

/// The length of `raw` without its trailing line terminator(s).
fn trim_terminator(raw: &[u8]) -> usize {
    let mut n = raw.len();
    while n > 0 && matches!(raw[n - 1], b'\r' | b'\n') {
        n -= 1;
    }
    n
}

/// Checks one record's raw bytes against RFC 4180 quoting, a cell at a time (`memchr` jumps
/// from quote to quote and from delimiter to delimiter).
fn check_quoting(raw: &[u8], delimiter: u8) -> QuoteCheck {
    let mut result = QuoteCheck::Ok;
    let mut i = 0;
    loop {
        // At the start of a cell.
        if raw.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match memchr::memchr(b'"', &raw[i..]) {
                    None => return QuoteCheck::Unclosed,
                    Some(j) => {
                        i += j + 1;
                        if raw.get(i) == Some(&b'"') {
                            // A doubled quote inside the cell.
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            match raw.get(i) {
                None | Some(b'\r' | b'\n') => return result,
                Some(&b) if b == delimiter => {
                    i += 1;
                    continue;
                }
                Some(_) => result = QuoteCheck::TextAfterQuote,
            }
        }
        // An unquoted cell (or the rest of a malformed one): up to the next delimiter or line end.
        match memchr::memchr3(delimiter, b'\r', b'\n', &raw[i..]) {
            Some(j) if raw[i + j] == delimiter => i += j + 1,
            _ => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All records of `text` fed `step` bytes at a time: (line, cells, quoting).
    fn records(text: &str, delimiter: u8, step: usize) -> Vec<(u64, Vec<String>, QuoteCheck)> {
        let mut r = RecordReader::new(delimiter, 0, 1);
        let mut out = Vec::new();
        let mut avail = 0;
        loop {
            avail = (avail + step).min(text.len());
            while !text.is_char_boundary(avail) {
                avail += 1;
            }
            let eof = avail == text.len();
            while let Some(span) = r.next(&text[..avail], eof) {
                let cells = (0..r.field_count()).map(|i| String::from_utf8_lossy(r.field(i).unwrap()).into_owned()).collect();
                out.push((span.line, cells, span.quoting));
            }
            if eof {
                return out;
            }
        }
    }

    macro_rules! parses_to {
        ($name:ident, $text:expr, $delim:expr, [$(($line:expr, [$($cell:expr),*])),* $(,)?]) => {
            #[test]
            fn $name() {
                let want: Vec<(u64, Vec<String>)> = vec![$(($line, vec![$($cell.to_string()),*])),*];
                for step in [1, 2, 3, 7, 1000] {
                    let got: Vec<(u64, Vec<String>)> =
                        records($text, $delim, step).into_iter().map(|(l, c, _)| (l, c)).collect();
                    assert_eq!(got, want, "step {step}");
                }
            }
        };
    }

    parses_to!(lf, "a,b\n1,2\n", b',', [(1, ["a", "b"]), (2, ["1", "2"])]);
    parses_to!(crlf, "a,b\r\n1,2\r\n", b',', [(1, ["a", "b"]), (2, ["1", "2"])]);
    parses_to!(cr_only, "a,b\r1,2\r3,4", b',', [(1, ["a", "b"]), (2, ["1", "2"]), (3, ["3", "4"])]);
    parses_to!(no_final_newline, "a,b\n1,2", b',', [(1, ["a", "b"]), (2, ["1", "2"])]);
    parses_to!(blank_lines_skipped_but_counted, "\na,b\n\n\r\n1,2\n\n", b',', [(2, ["a", "b"]), (5, ["1", "2"])]);
    parses_to!(
        quoted_delimiter_quote_newline,
        "a,b\n\"x, \"\"y\"\"\nz\",2\n3,4\n",
        b',',
        [(1, ["a", "b"]), (2, ["x, \"y\"\nz", "2"]), (4, ["3", "4"])]
    );
    parses_to!(quoted_crlf_inside, "a\r\n\"1\r\n2\"\r\nb\r\n", b',', [(1, ["a"]), (2, ["1\r\n2"]), (4, ["b"])]);
    parses_to!(semicolon, "a;b\n\"1;2\";3\n", b';', [(1, ["a", "b"]), (2, ["1;2", "3"])]);
    parses_to!(tab, "a\tb\n1\t\n", b'\t', [(1, ["a", "b"]), (2, ["1", ""])]);
    parses_to!(empty_cells, ",,\n", b',', [(1, ["", "", ""])]);

    #[test]
    fn quoting_problems_are_named() {
        let r = records("a,b\n\"x\"y,2\n\"open,3\n4,5\n", b',', 5);
        assert_eq!(r[1].2, QuoteCheck::TextAfterQuote);
        assert_eq!(r[2].2, QuoteCheck::Unclosed);
        assert_eq!(r[2].0, 3);
        assert_eq!(r.len(), 3);
        assert_eq!(records("a,b\n12\" pipe,2\n", b',', 4)[1].2, QuoteCheck::Ok);
    }

    #[test]
    fn oversize_records_are_bounded() {
        let big = format!("a\n\"{}\"\nb\n", "x".repeat(MAX_RECORD_BYTES * 2));
        let mut r = RecordReader::new(b',', 0, 1);
        assert!(!r.next(&big, true).unwrap().oversize);
        let s = r.next(&big, true).unwrap();
        assert!(s.oversize);
        assert_eq!(r.field_count(), 0);
        assert_eq!(s.line, 2);
        let s = r.next(&big, true).unwrap();
        assert_eq!((s.line, r.field(0)), (3, Some(&b"b"[..])));
        assert!(r.out.len() <= MAX_RECORD_BYTES);
    }

    #[test]
    fn field_ranges_cut_the_record_like_field() {
        let text = "a,\"Müller, \"\"K\"\"\",,株式会社\r\n\"x\ny\",é\n";
        let mut r = RecordReader::new(b',', 0, 1);
        while r.next(text, true).is_some() {
            let whole = r.record_bytes();
            for i in 0..r.field_count() + 2 {
                assert_eq!(r.field_range(i).map(|rg| &whole[rg]), r.field(i), "cell {i}");
            }
        }
    }
}
