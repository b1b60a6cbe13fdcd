//! Ingestion, end to end on fixture files: the same data written every way gives the same result,
//! real export layouts map as they should, streaming in tiny chunks changes nothing, and nothing
//! a row holds leaks into a notice or an error.
//!
//! Fixtures: `tests/fixtures/make_fixtures.py` writes `exports/` and `same-data/`;
//! `crm/` holds the first 200 rows of each crm-pair partner.

use std::path::PathBuf;

use overlap::ingest::{
    read, sniff, Basis, Dataset, Encoding, Field, Ingest, IngestError, IssueKind, NamePolicy, Options, PopulationRule,
    SNIFF_BYTES,
};

fn fixture(path: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Everything a dataset says, except how the bytes were written (encoding, delimiter, hash).
fn essence(d: &Dataset) -> String {
    let mut s = String::new();
    s += &format!("headers {:?}\npopulations {:?}\n", d.headers(), d.populations());
    for (k, p) in d.keys().iter().zip(d.key_populations()) {
        s += &format!("key {k} {p:#b}\n");
    }
    for r in 0..d.row_count() {
        let keys: Vec<String> = d.row_keys(r).iter().map(|&k| d.keys()[k as usize].to_string()).collect();
        s += &format!(
            "row {} line {} pops {:#b} keys {:?} cells {:?}\n",
            r,
            d.row_line(r),
            d.row_populations(r),
            keys,
            d.row_fields(r)
        );
    }
    for i in d.issues() {
        s += &format!("{} [{}]\n", i, i.kind.code());
    }
    let mut sum = d.summary().clone();
    sum.encoding = Encoding::Utf8;
    sum.delimiter = b',';
    s += &format!("{sum:?}\n");
    s
}

/// Reads `bytes` fed `chunk` bytes at a time.
fn read_chunked(bytes: &[u8], chunk: usize, opts: &Options) -> Result<Dataset, IngestError> {
    let mut ingest = Ingest::new(opts.clone());
    for c in bytes.chunks(chunk.max(1)) {
        ingest.feed(c)?;
    }
    ingest.finish()
}

const SAME_DATA: &[(&str, Encoding, u8)] = &[
    ("utf8.csv", Encoding::Utf8, b','),
    ("utf8-bom.csv", Encoding::Utf8Bom, b','),
    ("utf8-crlf.csv", Encoding::Utf8, b','),
    ("utf8-cr.csv", Encoding::Utf8, b','),
    ("utf8-quote-all.csv", Encoding::Utf8, b','),
    ("semicolon-crlf.csv", Encoding::Utf8, b';'),
    ("tab.tsv", Encoding::Utf8, b'\t'),
    ("pipe.csv", Encoding::Utf8, b'|'),
    ("utf16le-tab.txt", Encoding::Utf16Le, b'\t'),
    ("utf16be.csv", Encoding::Utf16Be, b','),
    ("windows1252-semicolon.csv", Encoding::Windows1252, b';'),
    ("windows1252.csv", Encoding::Windows1252, b','),
];

#[test]
fn the_same_data_written_every_way_reads_the_same() {
    let base = read(&fixture("same-data/utf8.csv"), &Options::new()).unwrap();
    let want = essence(&base);
    for &(file, encoding, delimiter) in SAME_DATA {
        let bytes = fixture(&format!("same-data/{file}"));
        for chunk in [1, 2, 3, 7, 64, 1 << 20] {
            let d = read_chunked(&bytes, chunk, &Options::new()).unwrap();
            assert_eq!(d.summary().encoding, encoding, "{file}");
            assert_eq!(d.summary().delimiter, delimiter, "{file}");
            assert_eq!(essence(&d), want, "{file} in chunks of {chunk}");
        }
    }
}

#[test]
fn the_same_data_says_what_it_could_not_use() {
    let d = read(&fixture("same-data/utf8.csv"), &Options::new()).unwrap();
    let notices: Vec<String> = d.issues().iter().map(ToString::to_string).collect();
    assert_eq!(
        notices,
        [
            "line 4: 1 later row(s) share its domain key: folded into one element",
            "line 8: shares its domain key with line 4: folded into one element",
            "line 9: every cell is empty",
            "line 10: 7 cells where the header has 6 (an unquoted delimiter inside a cell?): the columns cannot be trusted",
            "line 11: no usable key (website: a placeholder, not a value; email: a free-mail provider, not a company domain; name: empty)",
        ]
    );
    let s = d.summary();
    assert_eq!((s.rows, s.usable_rows, s.bad_rows, s.duplicates_folded), (9, 6, 3, 1));
    assert_eq!(d.row_line(0), 2);
    assert_eq!(d.row_fields(0)[5], "Line one\nline two");
    assert_eq!(d.row_fields(1)[5], "He said \"hi\"");
    // The blank line 7 is no row; line 8 follows.
    assert_eq!(d.row_line(4), 8);
    let csv = String::from_utf8(d.issues_csv()).unwrap();
    assert!(csv.starts_with("\u{feff}line,kind,reason\n4,duplicate,"), "{csv}");
    assert_eq!(csv.lines().count(), 6);
}

#[test]
fn no_cell_value_leaks_into_notices() {
    let bytes = fixture("same-data/utf8.csv");
    let d = read(&bytes, &Options::new()).unwrap();
    let notices = String::from_utf8(d.issues_csv()).unwrap();
    for r in 0..d.row_count() {
        for cell in d.row_fields(r) {
            if cell.len() >= 4 && !d.headers().contains(&cell) {
                assert!(!notices.contains(&cell), "{cell:?} leaked");
            }
        }
    }
}

/// (fixture, [(field, header)]) — every field listed is mapped to that header, and no other
/// field is mapped.
const EXPORTS: &[(&str, &[(Field, &str)])] = &[
    (
        "salesforce_accounts_report.csv",
        &[
            (Field::Region, "Billing State/Province"),
            (Field::Website, "Website"),
            (Field::Name, "Account Name"),
            (Field::Country, "Billing Country"),
            (Field::Duns, "D-U-N-S Number"),
            (Field::Population, "Type"),
            (Field::Owner, "Account Owner"),
            (Field::Revenue, "Annual Revenue"),
            (Field::LastActivity, "Last Activity"),
        ],
    ),
    (
        "salesforce_accounts_api.csv",
        &[
            (Field::City, "BillingCity"),
            (Field::Website, "Website"),
            (Field::Name, "Name"),
            (Field::Country, "BillingCountry"),
            (Field::Duns, "DunsNumber"),
            (Field::Population, "Type"),
            (Field::Revenue, "AnnualRevenue"),
        ],
    ),
    (
        "hubspot_companies.csv",
        &[
            (Field::City, "City"),
            (Field::Website, "Website URL"),
            (Field::Domain, "Company Domain Name"),
            (Field::Name, "Company name"),
            (Field::Country, "Country/Region"),
            (Field::Linkedin, "LinkedIn Company Page"),
            (Field::Population, "Lifecycle Stage"),
            (Field::Owner, "Company owner"),
            (Field::Revenue, "Annual Revenue"),
            (Field::LastActivity, "Last Activity Date"),
        ],
    ),
    (
        "dynamics_accounts.csv",
        &[
            (Field::City, "Address 1: City"),
            (Field::Website, "Website"),
            (Field::Email, "Email"),
            (Field::Name, "Account Name"),
            (Field::Country, "Address 1: Country/Region"),
            (Field::Population, "Relationship Type"),
            (Field::Owner, "Owner"),
        ],
    ),
    (
        "pipedrive_organizations.csv",
        &[
            (Field::Website, "Organization - Website"),
            (Field::Name, "Organization - Name"),
            (Field::Country, "Organization - Address - Country"),
            (Field::Linkedin, "Organization - LinkedIn profile"),
            (Field::Population, "Organization - Label"),
            (Field::Owner, "Organization - Owner"),
        ],
    ),
    (
        "zoho_accounts.csv",
        &[
            (Field::City, "Billing City"),
            (Field::Region, "Billing State"),
            (Field::Postal, "Billing Code"),
            (Field::Website, "Website"),
            (Field::Name, "Account Name"),
            (Field::Country, "Billing Country"),
            (Field::Population, "Account Type"),
            (Field::Owner, "Account Owner"),
            (Field::Revenue, "Annual Revenue"),
        ],
    ),
    (
        "close_leads.csv",
        &[
            (Field::Website, "url"),
            (Field::Email, "primary_contact_email"),
            (Field::Name, "display_name"),
            (Field::Population, "status_label"),
        ],
    ),
];

#[test]
fn real_export_layouts_map_correctly() {
    for (file, want) in EXPORTS {
        let bytes = fixture(&format!("exports/{file}"));
        let preview = sniff(&bytes, &Options::new()).unwrap();
        let got: Vec<(Field, &str)> = preview.mapping.choices.iter().map(|c| (c.field, c.header.as_str())).collect();
        let mut want = want.to_vec();
        want.sort();
        assert_eq!(got, want, "{file}");
        for c in &preview.mapping.choices {
            assert!(c.confidence >= 0.5 && c.confidence <= 1.0, "{file}: {c:?}");
        }
        // The full read follows the preview.
        let d = read(&bytes, &Options::new()).unwrap();
        assert_eq!(d.mapping(), &preview.mapping, "{file}");
        assert_eq!(d.summary().bad_rows, 0, "{file}");
        assert!(d.populations().len() >= 2, "{file}: {:?}", d.populations());
    }
}

#[test]
fn the_crm_pair_slices_read_cleanly() {
    for (file, pops) in [
        ("crm/partner_a_200.csv", &["Customers", "Prospects", "Other"][..]),
        ("crm/partner_b_200.csv", &["Customers", "Open Opportunities", "Prospects"][..]),
    ] {
        let bytes = fixture(file);
        let d = read(&bytes, &Options::new()).unwrap();
        assert_eq!(d.row_count(), 200, "{file}");
        assert_eq!(d.populations(), pops, "{file}");
        assert!(d.summary().usable_rows >= 195, "{file}: {}", d.summary());
        assert!(d.issues().iter().all(|i| i.kind != IssueKind::Unreadable), "{file}");
        // Streaming with a 2-byte buffer gives the same.
        assert_eq!(essence(&read_chunked(&bytes, 2, &Options::new()).unwrap()), essence(&d), "{file}");
        assert_eq!(d.fingerprint(), read_chunked(&bytes, 5, &Options::new()).unwrap().fingerprint());
    }
}

#[test]
fn the_fingerprint_tells_files_apart_not_options() {
    let a = b"Name,Website\nAcme,acme.com\nGlobex,globex.com\n";
    let fp = |bytes: &[u8], o: &Options| read(bytes, o).unwrap().fingerprint();
    let base = fp(a, &Options::new());
    // The same file under other options (a saved session then says "same file, other options").
    let mut never = Options::new();
    never.name_keys(NamePolicy::Never);
    assert_eq!(fp(a, &never), base);
    // One byte more, another row, the same text with a byte-order mark or as UTF-16: other files.
    assert_ne!(fp(b"Name,Website\nAcme,acme.com\nGlobex,globex.co\n", &Options::new()), base);
    assert_ne!(fp(b"Name,Website\nAcme,acme.com\n", &Options::new()), base);
    assert_ne!(fp(&[&b"\xEF\xBB\xBF"[..], a].concat(), &Options::new()), base);
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(a.iter().flat_map(|&b| [b, 0])).collect();
    let d16 = read(&utf16, &Options::new()).unwrap();
    assert_eq!(d16.keys(), read(a, &Options::new()).unwrap().keys());
    assert_ne!(d16.fingerprint(), base);
    // Asked twice, the same.
    let d = read(a, &Options::new()).unwrap();
    assert_eq!(d.fingerprint(), d.fingerprint());
    assert_eq!(d.clone().fingerprint(), base);
}

#[test]
fn files_longer_than_the_sniff_window_stream_the_same() {
    // 200 rows are ~28 KB; repeat them past the 64 KiB analysis window.
    let one = fixture("crm/partner_a_200.csv");
    let header_end = one.iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut big = one.clone();
    while big.len() < 3 * SNIFF_BYTES {
        big.extend_from_slice(&one[header_end..]);
    }
    let d = read(&big, &Options::new()).unwrap();
    assert_eq!(essence(&read_chunked(&big, 1000, &Options::new()).unwrap()), essence(&d));
    assert_eq!(essence(&read_chunked(&big, 65_537, &Options::new()).unwrap()), essence(&d));
    let rows = d.row_count();
    assert!(rows > 1000);
    // Every repeat folds onto the first copy.
    assert!(d.summary().duplicates_folded as usize >= rows - 200);
}

#[test]
fn overrides_and_policies() {
    let bytes = fixture("exports/hubspot_companies.csv");
    // Only the domain column.
    let mut o = Options::new();
    o.column(Field::Website, "").column(Field::Linkedin, "").name_keys(NamePolicy::Never);
    let d = read(&bytes, &o).unwrap();
    assert_eq!(d.mapping().get(Field::Domain).unwrap().header, "Company Domain Name");
    assert!(d.mapping().get(Field::Website).is_none());
    assert_eq!(d.keys().len(), 2);
    assert_eq!(d.summary().bad_rows, 2);
    // Names for every row.
    let mut o = Options::new();
    o.name_keys(NamePolicy::Always);
    let d = read(&bytes, &o).unwrap();
    assert_eq!(d.summary().elements_by_kind[3], 4);
    // A column named by position; an override is reported as such.
    let mut o = Options::new();
    o.column(Field::Population, "#13");
    let d = read(&bytes, &o).unwrap();
    let c = d.mapping().get(Field::Population).unwrap();
    assert_eq!((c.header.as_str(), c.basis, c.confidence), ("Type", Basis::Override, 1.0));
    // An unknown header is an error that names it.
    let mut o = Options::new();
    o.column(Field::Website, "Homepage");
    let e = read(&bytes, &o).unwrap_err();
    assert_eq!(e.to_string(), "column override website=\"Homepage\": the file has no such header");
}

#[test]
fn explicit_rules_report_rows_outside_them() {
    let bytes = fixture("exports/salesforce_accounts_report.csv");
    let rules: Vec<PopulationRule> =
        ["Customers=Type:Customer - Direct|Customer - Channel", "Hot=Rating:Hot"].iter().map(|r| r.parse().unwrap()).collect();
    let mut o = Options::new();
    o.populations(Some(rules));
    let d = read(&bytes, &o).unwrap();
    assert_eq!(d.populations(), ["Customers", "Hot"]);
    // Acme is a direct customer rated Hot: in both.
    assert_eq!(d.row_populations(0), 0b11);
    assert_eq!(d.summary().outside_populations, 3);
    let outside: Vec<u64> = d.issues().iter().filter(|i| i.kind == IssueKind::OutsidePopulations).map(|i| i.line).collect();
    assert_eq!(outside, [3, 5, 6]);
    assert!(d.row_keys(1).is_empty());
    let counts: Vec<(String, u64)> = d.summary().populations.iter().map(|p| (p.name.clone(), p.rows)).collect();
    assert_eq!(counts, [("Customers".to_string(), 2), ("Hot".to_string(), 1)]);
    // The values of a column, for a mapping screen.
    let v = d.column_values(2);
    assert_eq!(v.header, "Type");
    assert_eq!(v.values[0], ("Customer - Direct".to_string(), 1));
    assert_eq!(v.values.len(), 5);
}

#[test]
fn the_preview_offers_population_columns() {
    let p = sniff(&fixture("exports/hubspot_companies.csv"), &Options::new()).unwrap();
    let headers: Vec<&str> = p.population_columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers, ["Lifecycle Stage", "Type", "Lead Status"]);
    assert_eq!(p.population_columns[0].values.len(), 4);
    let names: Vec<&str> = p.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Customers", "Open Opportunities", "Prospects", "Other"]);
    assert_eq!(p.rows.len(), 4);
    assert_eq!((p.encoding, p.delimiter, p.has_header), (Encoding::Utf8, b',', true));
}

#[test]
fn whole_file_errors() {
    let o = Options::new();
    assert_eq!(read(b"", &o).unwrap_err(), IngestError::Empty);
    assert_eq!(read(b"\n\r\n\n", &o).unwrap_err(), IngestError::Empty);
    assert!(matches!(read(b"PK\x03\x04\x14\x00", &o).unwrap_err(), IngestError::NotText { .. }));
    let e = read(b"Phone,Industry\n555,Retail\n", &o).unwrap_err();
    assert!(e.to_string().starts_with("line 1: no website"), "{e}");
    // Columns that describe accounts (owner, revenue, stage, last activity, city) give no key.
    let e = read(b"Phone,Notes,Revenue,Account Owner,City\n555-0100,call back,100,Ann,Paris\n", &o).unwrap_err();
    assert!(matches!(e, IngestError::NoKeyColumn { .. }), "{e}");
    // Only a name column, and names turned off: nothing to match on.
    let mut never = Options::new();
    never.name_keys(NamePolicy::Never);
    assert!(matches!(read(b"Company,Industry\nAcme,Retail\n", &never), Err(IngestError::NoKeyColumn { .. })));
    let mut small = Options::new();
    small.max_rows(2);
    let e = read(b"Website\na.com\nb.com\nc.com\n", &small).unwrap_err();
    assert_eq!(e.to_string(), "line 4: more than the limit of 2 rows");
    small.max_bytes(10);
    assert_eq!(read(b"Website\na.com\nb.com\n", &small).unwrap_err(), IngestError::TooLarge { limit: 10 });
}

#[test]
fn a_bare_list_of_domains_has_no_header() {
    let d = read(b"acme.com\nglobex.de\nhttps://initech.co.uk/\n", &Options::new()).unwrap();
    assert_eq!(d.headers(), ["Column 1"]);
    assert_eq!(d.row_count(), 3);
    assert_eq!(d.keys().len(), 3);
    assert_eq!(d.populations(), ["All accounts"]);
}

#[test]
fn a_quote_left_open_is_reported_not_swallowed_silently() {
    let csv = b"Name,Website\nAcme,acme.com\n\"Broken,broken.com\nGlobex,globex.de\nInitech,initech.co.uk\n";
    let d = read(csv, &Options::new()).unwrap();
    assert_eq!(d.row_count(), 2);
    let i = &d.issues()[0];
    assert_eq!((i.line, i.kind), (3, IssueKind::Unreadable));
    assert!(i.reason().contains("never closed"), "{}", i.reason());
    assert!(i.reason().contains("the 2 line(s) after it"), "{}", i.reason());
}

#[test]
fn excel_sep_line_and_latin1_are_understood() {
    let d = read(b"sep=;\r\nFirma;Webseite\r\nM\xfcller;m\xfcller-gmbh.de\r\nCaf\xe9;cafe.de\r\n", &Options::new()).unwrap();
    assert_eq!(d.summary().encoding, Encoding::Windows1252);
    assert_eq!(d.summary().delimiter, b';');
    assert_eq!(d.headers(), ["Firma", "Webseite"]);
    assert_eq!(d.row_fields(0), ["Müller", "müller-gmbh.de"]);
    assert_eq!(d.row_line(0), 3);
}

/// Inputs the fuzzer found (`fuzz/fuzz_targets/ingest.rs`), replayed as it runs them: the first
/// byte with bits 5 and 6 set = the rest repeated past the analysis window; chunks derived from
/// the first byte.
#[test]
fn fuzz_regressions() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let Some((&ctl, body)) = data.split_first() else { continue };
        let bytes =
            if ctl & 0x60 == 0x60 && !body.is_empty() { body.repeat(SNIFF_BYTES / body.len() + 2) } else { body.to_vec() };
        let chunk = 1 + (ctl as usize * 7919) % 4099;
        let chunk = if bytes.len() > SNIFF_BYTES { chunk.max(997) } else { chunk };
        let once = read(&bytes, &Options::new());
        let chunked = read_chunked(&bytes, chunk, &Options::new());
        match (once, chunked) {
            (Ok(a), Ok(b)) => {
                assert_eq!(essence(&a), essence(&b), "{}", path.display());
                assert_eq!(&sniff(&bytes, &Options::new()).unwrap().mapping, a.mapping(), "{}", path.display());
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{}", path.display()),
            (a, b) => panic!("{}: {:?} / {:?}", path.display(), a.err(), b.err()),
        }
    }
}

/// Spreadsheets, images, PDFs and archives are named by their first bytes, with what to do; the
/// message quotes nothing of the file (the CLI and the page print it as it is).
#[test]
fn files_that_are_not_csv_are_named_with_what_to_do() {
    let png = b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0Acme Corp,acme.com";
    let e = overlap::ingest::read(&png[..], &overlap::ingest::Options::default()).unwrap_err();
    assert_eq!(e.to_string(), "this is a PNG image, not a CSV file: export your accounts from the CRM as CSV and use that file");
    let mut xlsx = b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0\0\0\0\0\0\0\0\0\0\0\0\0\x13\0\0\0[Content_Types].xml".to_vec();
    xlsx.extend_from_slice(b"<Override PartName=\"/xl/workbook.xml\"/>Acme Corp");
    let e = overlap::ingest::read(&xlsx, &overlap::ingest::Options::default()).unwrap_err();
    assert!(e.to_string().contains("Excel workbook (.xlsx)") && e.to_string().contains("File → Save As → CSV UTF-8"), "{e}");
    assert!(!e.to_string().contains("Acme"));
}
