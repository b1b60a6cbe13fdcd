//! The streaming read: chunks in, one row at a time through mapping, populations and keys.
//!
//! The first [`SNIFF_BYTES`](super::SNIFF_BYTES) are held back until the analysis
//! ([`fn@super::sniff`]'s) has decided the encoding, delimiter, columns and rules; from then on each
//! chunk is decoded onto the kept text and its complete records are processed at once. A row
//! costs no allocation of its own here: cells are slices of the reader's buffer, keys go into
//! the [`KeyStore`], row data into a few flat vectors.

use super::columns::Field;
use super::dataset::{Cause, Dataset, IssueKind, PopulationCount, Refusals, RowIssue, Summary};
use super::decode::Decoder;
use super::keystore::KeyStore;
use super::populations::Matcher;
use super::preview::{analyse, Preview, SNIFF_BYTES};
use super::reader::{QuoteCheck, RecordReader, Span};
use super::{IngestError, NamePolicy, Options};
use crate::keys::KeyKind;
use crate::model::PopulationRole;
use crate::normalize;
use crate::normalize::name::NameKeys;

/// How far a streaming read has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes given so far.
    pub bytes: u64,
    /// Data rows read so far.
    pub rows: u64,
}

/// A streaming read: [`Ingest::feed`] chunks as they come, then [`Ingest::finish`].
///
/// ```
/// use overlap::ingest::{Ingest, Options};
/// let mut ingest = Ingest::new(Options::new());
/// for chunk in [&b"Name,Webs"[..], b"ite\nAcme,acme.com\n"] {
///     ingest.feed(chunk)?;
/// }
/// let dataset = ingest.finish()?;
/// assert_eq!(dataset.keys()[0].to_string(), "domain:acme.com");
/// # Ok::<(), overlap::ingest::IngestError>(())
/// ```
#[derive(Debug)]
pub struct Ingest {
    options: Options,
    bytes: u64,
    /// Raw bytes held until the analysis.
    head: Vec<u8>,
    run: Option<Box<Run>>,
    failed: Option<IngestError>,
}

/// Column indices per key field, resolved once.
#[derive(Debug)]
struct Plan {
    website: Vec<usize>,
    domain: Vec<usize>,
    email: Vec<usize>,
    duns: Option<usize>,
    linkedin: Option<usize>,
    name: Option<usize>,
    country: Option<usize>,
    /// The city qualifies paired name keys.
    city: Option<usize>,
    names: NamePolicy,
    width: usize,
}

#[derive(Debug)]
struct Run {
    preview: Preview,
    decoder: Decoder,
    text: String,
    reader: RecordReader,
    header_pending: bool,
    plan: Plan,
    matcher: Matcher,
    /// Rules that are defaults (dropped at the end when empty).
    default_rules: bool,
    store: KeyStore,
    row_start: Vec<u64>,
    row_line: Vec<u64>,
    row_pops: Vec<u16>,
    row_key_start: Vec<u32>,
    row_keys: Vec<u32>,
    issues: Vec<RowIssue>,
    replaced_cursor: usize,
    ids: Vec<u32>,
    refusals: Refusals,
    /// Name keys: buffers and the countries seen.
    names: NameKeys,
    /// The name key being made.
    key: String,
    /// A row's keys before they are interned ([`Sink`]).
    values: String,
    pending: Vec<(KeyKind, usize, u64)>,
    max_rows: u64,
}

impl Ingest {
    /// A new read with these options.
    pub fn new(options: Options) -> Ingest {
        Ingest { options, bytes: 0, head: Vec::new(), run: None, failed: None }
    }

    /// Reads one more chunk. Chunks may split lines, quoted cells and characters anywhere.
    ///
    /// # Errors
    /// [`IngestError`] when the file cannot be used at all (after which the read is over); rows
    /// that cannot be used are [`Dataset::issues`] instead.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Progress, IngestError> {
        self.bytes += chunk.len() as u64;
        if self.bytes > self.options.max_bytes {
            return Err(IngestError::TooLarge { limit: self.options.max_bytes });
        }
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let result = self.feed_inner(chunk);
        if let Err(e) = &result {
            // The read is over: later calls get the same error.
            self.failed = Some(e.clone());
        }
        result.map(|()| self.progress())
    }

    fn feed_inner(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        match &mut self.run {
            Some(run) => run.feed(chunk, false),
            None => {
                // Hold back only what the analysis needs: a whole file given as one chunk is not
                // copied.
                let need = (SNIFF_BYTES + 1).saturating_sub(self.head.len()).min(chunk.len());
                let (now, rest) = chunk.split_at(need);
                self.head.extend_from_slice(now);
                if self.head.len() > SNIFF_BYTES {
                    self.start(false)?;
                    if let Some(run) = &mut self.run {
                        run.feed(rest, false)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// Bytes and rows so far.
    pub fn progress(&self) -> Progress {
        Progress { bytes: self.bytes, rows: self.run.as_ref().map_or(0, |r| r.row_line.len() as u64) }
    }

    /// The analysis the read follows, once it has started (past [`SNIFF_BYTES`] or at the end).
    pub fn preview(&self) -> Option<&Preview> {
        self.run.as_ref().map(|r| &r.preview)
    }

    /// Analyses exactly the first [`SNIFF_BYTES`] (or the whole file, when `whole`), as
    /// [`fn@super::sniff`] does, then reads on.
    fn start(&mut self, whole: bool) -> Result<(), IngestError> {
        let head = std::mem::take(&mut self.head);
        let window = head.len().min(SNIFF_BYTES);
        let (analysis, mut text) = analyse(&head[..window], &self.options, whole)?;
        let preview = analysis.preview;
        let mapping = &preview.mapping;
        let names_only = mapping.choices.iter().all(|c| matches!(c.field, Field::Name | Field::Country | Field::Population));
        if !mapping.has_key_column() || (names_only && self.options.name_keys == NamePolicy::Never) {
            return Err(IngestError::NoKeyColumn { columns: preview.headers.len() });
        }
        let matcher = Matcher::new(&preview.rules, &preview.headers)?;
        let plan = Plan {
            website: mapping.columns(Field::Website),
            domain: mapping.columns(Field::Domain),
            email: mapping.columns(Field::Email),
            duns: mapping.get(Field::Duns).map(|c| c.column),
            linkedin: mapping.get(Field::Linkedin).map(|c| c.column),
            name: mapping.get(Field::Name).map(|c| c.column),
            country: mapping.get(Field::Country).map(|c| c.column),
            city: mapping.get(Field::City).map(|c| c.column),
            names: self.options.name_keys,
            width: preview.headers.len(),
        };
        // With the file's size, the key table is sized once: about 1.25 keys per row expected,
        // and one more where every row with a name gets a name key (growing the table rehashes
        // every key).
        let names_every_row = plan.name.is_some() && matches!(plan.names, NamePolicy::Paired | NamePolicy::Always);
        let expected_keys = match (self.options.size_hint, analysis.bytes_per_record) {
            (Some(size), Some(per)) => {
                let rows = usize::try_from(size).unwrap_or(usize::MAX) / per;
                rows / 4 * 5 + if names_every_row { rows } else { 0 }
            }
            _ => 0,
        };
        if let Some(size) = self.options.size_hint {
            // One allocation for the whole text (UTF-16 shrinks, Windows-1252 grows a little).
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            let want = size.saturating_add(size / 16);
            // A hint the memory cannot hold is only a hint.
            let _ = text.try_reserve(want.saturating_sub(text.len()));
        }
        let reader = RecordReader::new(preview.delimiter, analysis.start, analysis.start_line);
        let default_rules = self.options.populations.is_none();
        let header_pending = preview.has_header;
        let mut run = Box::new(Run {
            decoder: analysis.decoder,
            text,
            reader,
            header_pending,
            plan,
            matcher,
            default_rules,
            store: KeyStore::with_capacity(expected_keys),
            row_start: Vec::new(),
            row_line: Vec::new(),
            row_pops: Vec::new(),
            row_key_start: vec![0],
            row_keys: Vec::new(),
            issues: Vec::new(),
            replaced_cursor: 0,
            ids: Vec::new(),
            refusals: Refusals::default(),
            names: NameKeys::default(),
            key: String::new(),
            values: String::new(),
            pending: Vec::new(),
            max_rows: self.options.max_rows,
            preview,
        });
        if window < head.len() {
            run.feed(&head[window..], false)?;
        } else {
            run.records(whole)?;
        }
        self.run = Some(run);
        Ok(())
    }

    /// Ends the read.
    ///
    /// # Errors
    /// As [`Ingest::feed`]; also [`IngestError::Empty`] for a file without a header row and
    /// [`IngestError::NoKeyColumn`] when no column gives keys.
    pub fn finish(mut self) -> Result<Dataset, IngestError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        if self.run.is_none() {
            self.start(true)?;
        } else if let Some(run) = &mut self.run {
            run.feed(&[], true)?;
        }
        match self.run {
            Some(run) => Ok(run.build()),
            None => Err(IngestError::Empty),
        }
    }
}

impl Run {
    fn feed(&mut self, chunk: &[u8], last: bool) -> Result<(), IngestError> {
        self.decoder.decode(chunk, last, &mut self.text);
        self.records(last)
    }

    fn records(&mut self, eof: bool) -> Result<(), IngestError> {
        while let Some(span) = self.reader.next(&self.text, eof) {
            if self.header_pending {
                self.header_pending = false;
                continue;
            }
            self.row(span)?;
        }
        Ok(())
    }

    fn issue(&mut self, row: u32, line: u64, kind: IssueKind, cause: Cause) {
        self.issues.push(RowIssue { line, row, kind, cause });
    }

    fn row(&mut self, span: Span) -> Result<(), IngestError> {
        let row = self.row_line.len() as u32;
        if self.row_line.len() as u64 >= self.max_rows {
            return Err(IngestError::TooManyRows { line: span.line, limit: self.max_rows });
        }
        self.row_start.push(span.start as u64);
        self.row_line.push(span.line);
        let line = span.line;

        // Bytes replaced while decoding, inside this row?
        let replaced = self.decoder.replaced();
        while self.replaced_cursor < replaced.len() && replaced[self.replaced_cursor] < span.start {
            self.replaced_cursor += 1;
        }
        if self.replaced_cursor < replaced.len() && replaced[self.replaced_cursor] < span.end {
            let encoding = self.decoder.encoding();
            self.issue(row, line, IssueKind::Warning, Cause::Replaced { encoding });
        }

        let n = self.reader.field_count();
        let width = self.plan.width;
        let skip = if span.oversize {
            Some((IssueKind::Unreadable, Cause::Oversize))
        } else if span.quoting == QuoteCheck::Unclosed {
            Some((IssueKind::Unreadable, Cause::Unclosed { lines: span.inner_lines }))
        } else if n > width && (width..n).any(|i| !blank(self.reader.field(i))) {
            Some((IssueKind::Unreadable, Cause::TooManyCells { found: n as u32, expected: width as u32 }))
        } else if self.reader.is_blank() {
            Some((IssueKind::Empty, Cause::Empty))
        } else {
            None
        };
        if let Some((kind, cause)) = skip {
            self.issue(row, line, kind, cause);
            self.end_row(0);
            return Ok(());
        }
        if n < width {
            self.issue(row, line, IssueKind::Warning, Cause::FewerCells { found: n as u32, expected: width as u32 });
        }
        if span.quoting == QuoteCheck::TextAfterQuote {
            self.issue(row, line, IssueKind::Warning, Cause::TextAfterQuote);
        }

        let reader = &self.reader;
        // The cells are cut out of valid UTF-8 at ASCII delimiters and quotes: checked once for
        // the whole record (each cell on its own only if that fails, which it cannot).
        let record = std::str::from_utf8(reader.record_bytes()).ok();
        let cell = |c: usize| -> &str {
            match record {
                Some(t) => reader.field_range(c).and_then(|r| t.get(r)).unwrap_or(""),
                None => reader.field(c).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or(""),
            }
        };
        let mask = self.matcher.mask(cell);
        if mask == 0 {
            self.issue(row, line, IssueKind::OutsidePopulations, Cause::OutsidePopulations);
            self.end_row(0);
            return Ok(());
        }

        // Keys.
        let plan = &self.plan;
        self.ids.clear();
        self.refusals.clear();
        let mut sink = Sink {
            store: &mut self.store,
            ids: &mut self.ids,
            refusals: &mut self.refusals,
            values: &mut self.values,
            pending: &mut self.pending,
            full: false,
        };
        for &c in &plan.website {
            sink.add(KeyKind::Domain, normalize::domain(cell(c)), Field::Website);
        }
        for &c in &plan.domain {
            sink.add(KeyKind::Domain, normalize::domain(cell(c)), Field::Domain);
        }
        for &c in &plan.email {
            let v = cell(c);
            if v.bytes().filter(|&b| b == b'@').count() > 1 {
                // Several addresses in one cell.
                for part in v.split([';', ',', ' ', '\n', '\r', '\t']).filter(|p| !p.is_empty()) {
                    sink.add(KeyKind::Domain, normalize::email(part), Field::Email);
                }
            } else {
                sink.add(KeyKind::Domain, normalize::email(v), Field::Email);
            }
        }
        if let Some(c) = plan.duns {
            sink.add(KeyKind::Duns, normalize::duns(cell(c)), Field::Duns);
        }
        if let Some(c) = plan.linkedin {
            sink.add(KeyKind::Linkedin, normalize::linkedin(cell(c)), Field::Linkedin);
        }
        if let Some(c) = plan.name {
            let wanted = match plan.names {
                NamePolicy::Always | NamePolicy::Paired => true,
                NamePolicy::Fallback => sink.is_empty(),
                NamePolicy::Never => false,
            };
            if wanted {
                let country = plan.country.map(cell).filter(|s| !s.trim().is_empty());
                let key = &mut self.key;
                key.clear();
                let mut made = self.names.key_into(cell(c), country, key);
                if plan.names == NamePolicy::Paired && made.is_ok() {
                    if let Some(city) = plan.city.and_then(|c| normalize::place::city(cell(c)).ok()) {
                        key.push(crate::keys::NAME_PLACE);
                        key.push_str(&city);
                    }
                    let alone = sink.is_empty();
                    key.push_str(if alone { crate::keys::NAME_ALONE } else { crate::keys::NAME_BESIDE_OTHER_KEYS });
                }
                sink.add_str(KeyKind::Name, made.as_mut().map(|()| key.as_str()).map_err(|r| *r), Field::Name);
            }
        }
        sink.finish();
        let full = sink.full;
        if full || self.row_keys.len() + self.ids.len() > u32::MAX as usize {
            return Err(IngestError::TooManyKeys { line });
        }
        self.ids.sort_unstable();
        self.ids.dedup();
        if self.ids.is_empty() {
            let r = self.refusals;
            self.issue(row, line, IssueKind::NoKey, Cause::NoKey(r));
            self.end_row(0);
            return Ok(());
        }
        self.row_keys.extend_from_slice(&self.ids);
        self.end_row(mask);
        Ok(())
    }

    fn end_row(&mut self, mask: u16) {
        self.row_pops.push(mask);
        self.row_key_start.push(self.row_keys.len() as u32);
    }

    fn build(mut self) -> Dataset {
        self.row_start.push(self.text.len() as u64);
        let rows = self.row_line.len();

        // Drop default populations nobody is in (e.g. Open Opportunities in a Salesforce Accounts
        // export): renumber the bits.
        let mut names: Vec<String> = self.preview.rules.iter().map(|r| r.name.clone()).collect();
        let mut roles: Vec<PopulationRole> = self.preview.rules.iter().map(|r| r.effective_role()).collect();
        if self.default_rules {
            let used = self.row_pops.iter().fold(0u16, |a, &m| a | m);
            let keep: Vec<usize> = (0..names.len()).filter(|&i| used & (1 << i) != 0).collect();
            if keep.len() < names.len() && !keep.is_empty() {
                let remap = |m: u16| keep.iter().enumerate().fold(0u16, |a, (new, &old)| a | (((m >> old) & 1) << new));
                for m in self.row_pops.iter_mut() {
                    *m = remap(*m);
                }
                names = keep.iter().map(|&i| names[i].clone()).collect();
                roles = keep.iter().map(|&i| roles[i]).collect();
            }
        }

        // Sort the distinct keys; renumber the rows' key ids.
        let (keys, rank) = std::mem::take(&mut self.store).into_sorted();
        for id in self.row_keys.iter_mut() {
            *id = rank[*id as usize];
        }
        drop(rank);
        let mut key_pops = vec![0u16; keys.len()];
        // Duplicates: the first row holding each key; later rows sharing one are folded into it.
        let mut first_row = vec![u32::MAX; keys.len()];
        let mut later = vec![0u32; rows];
        let mut dup_issues = Vec::new();
        for r in 0..rows {
            let (s, e) = (self.row_key_start[r] as usize, self.row_key_start[r + 1] as usize);
            let ks = self.row_keys.get_mut(s..e).unwrap_or_default();
            ks.sort_unstable();
            let mut dup_of: Option<(u32, KeyKind)> = None;
            for &k in ks.iter() {
                key_pops[k as usize] |= self.row_pops[r];
                let f = &mut first_row[k as usize];
                if *f == u32::MAX {
                    *f = r as u32;
                } else if dup_of.is_none_or(|(d, _)| *f < d) {
                    dup_of = Some((*f, keys[k as usize].kind));
                }
            }
            if let Some((first, kind)) = dup_of {
                later[first as usize] += 1;
                dup_issues.push(RowIssue {
                    line: self.row_line[r],
                    row: r as u32,
                    kind: IssueKind::Duplicate,
                    cause: Cause::DuplicateOf { line: self.row_line[first as usize], kind },
                });
            }
        }
        let folded = dup_issues.len() as u64;
        for (r, &n) in later.iter().enumerate() {
            if n > 0 {
                let (s, e) = (self.row_key_start[r] as usize, self.row_key_start[r + 1] as usize);
                let kind = self
                    .row_keys
                    .get(s..e)
                    .unwrap_or_default()
                    .iter()
                    .find(|&&k| first_row[k as usize] == r as u32)
                    .map_or(KeyKind::Domain, |&k| keys[k as usize].kind);
                dup_issues.push(RowIssue {
                    line: self.row_line[r],
                    row: r as u32,
                    kind: IssueKind::Duplicate,
                    cause: Cause::DuplicateFirst { later: n, kind },
                });
            }
        }
        drop(first_row);
        drop(later);
        self.issues.append(&mut dup_issues);
        crate::sort::by_key(&mut self.issues, |i| (u128::from(i.row), i.kind as u128));

        // The numbers.
        let count = |k: IssueKind| self.issues.iter().filter(|i| i.kind == k).count() as u64;
        let bad_rows = count(IssueKind::NoKey) + count(IssueKind::Empty) + count(IssueKind::Unreadable);
        let outside = count(IssueKind::OutsidePopulations);
        let mut warned: Vec<u32> = self.issues.iter().filter(|i| i.kind == IssueKind::Warning).map(|i| i.row).collect();
        warned.dedup();
        let mut elements_by_kind = [0u64; 4];
        for k in &keys {
            elements_by_kind[(k.kind.tag() - 1) as usize] += 1;
        }
        let populations = names
            .iter()
            .enumerate()
            .map(|(i, name)| PopulationCount {
                name: name.clone(),
                role: roles.get(i).copied().unwrap_or_default(),
                rows: self.row_pops.iter().filter(|&&m| m & (1 << i) != 0).count() as u64,
                elements: key_pops.iter().filter(|&&m| m & (1 << i) != 0).count() as u64,
            })
            .collect();
        let summary = Summary {
            rows: rows as u64,
            usable_rows: self.row_pops.iter().filter(|&&m| m != 0).count() as u64,
            bad_rows,
            outside_populations: outside,
            duplicates_folded: folded,
            warnings: warned.len() as u64,
            elements: keys.len() as u64,
            elements_by_kind,
            encoding: self.decoder.encoding(),
            delimiter: self.preview.delimiter,
            replaced_characters: self.decoder.replaced_count(),
            mapping: self.preview.mapping.clone(),
            name_keys: self.plan.names,
            populations,
        };
        if self.text.capacity() > self.text.len() + self.text.len() / 8 {
            // Shrinking reallocates in place in the usual allocators.
            self.text.shrink_to_fit();
        }
        Dataset {
            text: self.text,
            delimiter: self.preview.delimiter,
            reparse: std::sync::Mutex::new(None),
            headers: self.preview.headers,
            row_start: self.row_start,
            row_line: self.row_line,
            row_pops: self.row_pops,
            row_key_start: self.row_key_start,
            row_keys: self.row_keys,
            keys,
            key_pops,
            populations: names,
            population_roles: roles,
            issues: self.issues,
            fingerprint: std::sync::OnceLock::new(),
            summary,
        }
    }
}

/// Where a row's keys go: gathered, then interned together ([`Sink::finish`]).
struct Sink<'a> {
    store: &'a mut KeyStore,
    ids: &'a mut Vec<u32>,
    refusals: &'a mut Refusals,
    /// The row's key values, one after the other, and each one's kind, end and hash.
    values: &'a mut String,
    pending: &'a mut Vec<(KeyKind, usize, u64)>,
    full: bool,
}

impl Sink<'_> {
    fn add(&mut self, kind: KeyKind, value: Result<String, normalize::Refusal>, field: Field) {
        self.add_str(kind, value.as_deref().map_err(|r| *r), field);
    }

    fn add_str(&mut self, kind: KeyKind, value: Result<&str, normalize::Refusal>, field: Field) {
        match value {
            Ok(v) => {
                self.values.push_str(v);
                self.pending.push((kind, self.values.len(), KeyStore::hash(kind, v)));
            }
            Err(r) => self.refusals.note(field, r),
        }
    }

    /// Whether the row has a key so far.
    fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Interns the row's keys into `ids`, their table slots read first so that the cache misses
    /// overlap.
    fn finish(&mut self) {
        let mut touched = 0;
        for &(_, _, h) in self.pending.iter() {
            touched ^= self.store.touch(h);
        }
        std::hint::black_box(touched);
        let mut start = 0;
        for &(kind, end, h) in self.pending.iter() {
            let v = self.values.get(start..end).unwrap_or_default();
            start = end;
            match self.store.intern_hashed(kind, v, h) {
                Ok(id) => self.ids.push(id),
                Err(_) => self.full = true,
            }
        }
        self.values.clear();
        self.pending.clear();
    }
}

fn blank(cell: Option<&[u8]>) -> bool {
    cell.is_none_or(|c| c.iter().all(u8::is_ascii_whitespace))
}
