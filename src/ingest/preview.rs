//! The first look at a file: encoding, delimiter, header, first rows, column mapping, population
//! candidates and rules. [`fn@super::sniff`] shows it to the user; [`super::Ingest`] decides from the
//! same analysis of the same first bytes, so what the page shows is what the full read does.

use super::columns::{self, header_score, map_columns, Field, Mapping};
use super::decode::{detect, Decoder, Encoding};

use super::populations::{default_rules, ColumnValues, PopulationRule, ValueCounter};
use super::reader::RecordReader;
use super::sniff;
use super::{IngestError, Options};

/// How many bytes the analysis looks at: give [`fn@super::sniff`] more than this, or the whole file.
pub const SNIFF_BYTES: usize = 64 * 1024;
/// Rows sampled for the mapping (within [`SNIFF_BYTES`]).
pub const SAMPLE_ROWS: usize = 200;
/// Rows shown in a [`Preview`].
pub const PREVIEW_ROWS: usize = 20;

/// What the first bytes of a file say, before the full read.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// The encoding detected (or forced).
    pub encoding: Encoding,
    /// The delimiter sniffed (or forced).
    pub delimiter: u8,
    /// Whether the first row is a header (a bare list of domains has none).
    pub has_header: bool,
    /// The headers (`Column 1`… without a header row).
    pub headers: Vec<String>,
    /// The first data rows.
    pub rows: Vec<Vec<String>>,
    /// The columns that would be used, with confidences.
    pub mapping: Mapping,
    /// Columns that could define populations, with their distinct values in the sample: the
    /// chosen type/stage column first.
    pub population_columns: Vec<ColumnValues>,
    /// The population rules that would apply (the defaults unless the options give some).
    pub rules: Vec<PopulationRule>,
}

/// The analysis plus what the reader needs to start.
#[derive(Debug)]
pub(crate) struct Analysis {
    pub preview: Preview,
    /// The decoder that decoded the analysed bytes: the full read goes on with it.
    pub decoder: Decoder,
    /// Text offset and line where the header (or first data) record starts.
    pub start: usize,
    pub start_line: u64,
    /// Decoded bytes per record in the window (to size buffers from a file size), if known.
    pub bytes_per_record: Option<usize>,
}

/// Analyses `bytes`, the first bytes of a file (`whole`: all of it).
pub(crate) fn analyse(bytes: &[u8], options: &Options, whole: bool) -> Result<(Analysis, String), IngestError> {
    let detected = detect(bytes, options.encoding, whole).map_err(|e| IngestError::NotText { what: e.describe() })?;
    let mut decoder = Decoder::new(detected);
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    decoder.decode(&bytes[detected.bom_len..], whole, &mut text);

    let (sep, start) = match sniff::sep_line(&text) {
        Some((d, n)) => (Some(d), n),
        None => (None, 0),
    };
    let start_line = if start > 0 { 2 } else { 1 };
    let delimiter = options.delimiter.or(sep).unwrap_or_else(|| sniff::delimiter(&text[start..], whole));

    let mut reader = RecordReader::new(delimiter, start, start_line);
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut sampled_to = start;
    while records.len() <= SAMPLE_ROWS {
        let Some(span) = reader.next(&text, whole) else { break };
        if !whole && span.end >= text.len() {
            // Perhaps cut off by the end of the sample.
            break;
        }
        sampled_to = span.end;
        if span.oversize {
            continue;
        }
        records.push(
            (0..reader.field_count()).map(|i| String::from_utf8_lossy(reader.field(i).unwrap_or(&[])).into_owned()).collect(),
        );
    }
    if records.is_empty() {
        if whole || text.trim().is_empty() {
            return Err(IngestError::Empty);
        }
        // A first record longer than the sample: read what there is.
        records.push(super::reader::parse_record(&text[start..], delimiter));
    }
    let first: Vec<String> = records[0].iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect();
    if first.iter().all(String::is_empty) && records.len() == 1 && whole {
        return Err(IngestError::Empty);
    }
    let has_header = options.header.unwrap_or_else(|| !columns::header_looks_like_data(&first));
    let (headers, data): (Vec<String>, &[Vec<String>]) = if has_header {
        (first, &records[1..])
    } else {
        let width = records.iter().map(Vec::len).max().unwrap_or(1);
        ((1..=width).map(|i| format!("Column {i}")).collect(), &records[..])
    };
    let sample = &data[..data.len().min(SAMPLE_ROWS)];
    let mapping = map_columns(&headers, sample, &options.columns, if has_header { 5 } else { 1 })?;

    let chosen = mapping.get(Field::Population).map(|c| c.column);
    let rules = match &options.populations {
        Some(r) => r.clone(),
        None => default_rules(
            chosen.map(|c| column_ref(&headers, c)).as_deref(),
            mapping.get(Field::DealStage).map(|c| column_ref(&headers, c.column)).as_deref(),
        ),
    };
    let mut candidates: Vec<usize> = chosen.into_iter().collect();
    for (c, h) in headers.iter().enumerate() {
        if !candidates.contains(&c) && header_score(h, Field::Population) > 0.0 {
            candidates.push(c);
        }
    }
    let population_columns = candidates
        .into_iter()
        .map(|c| {
            let mut counter = ValueCounter::new(100);
            for r in sample {
                counter.add(r.get(c).map_or("", String::as_str));
            }
            counter.finish(c, headers[c].clone())
        })
        .collect();

    let preview = Preview {
        encoding: decoder.encoding(),
        delimiter,
        has_header,
        rows: data.iter().take(PREVIEW_ROWS).cloned().collect(),
        headers,
        mapping,
        population_columns,
        rules,
    };
    let bytes_per_record = (sampled_to - start).checked_div(records.len()).filter(|&b| b > 0);
    let analysis = Analysis { preview, decoder, start, start_line, bytes_per_record };
    Ok((analysis, text))
}

/// How a rule refers to column `c`: its header when unique, else `#N`.
fn column_ref(headers: &[String], c: usize) -> String {
    let h = &headers[c];
    if !h.is_empty() && headers.iter().filter(|x| *x == h).count() == 1 {
        h.clone()
    } else {
        format!("#{}", c + 1)
    }
}
