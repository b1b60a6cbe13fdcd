//! Errors never quote a cell: a file whose cells hold a recognisable secret goes through every
//! ingest error and every row notice this test knows, and no error text (`Display` or `Debug`),
//! notice or notices CSV holds the secret.

use overlap::csv_out::Flavour;
use overlap::ingest::{read, sniff, Field, Ingest, IngestError, Options, PopulationRule};

const SECRET: &str = "Zq7SecretCorp";

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} quotes a cell: {text}");
}

fn assert_error_clean(what: &str, e: &IngestError) {
    assert_clean(what, &e.to_string());
    assert_clean(what, &format!("{e:?}"));
}

/// Reads `bytes` whole, in 7-byte chunks and through `sniff`; every error must be clean, and at
/// least the whole read must fail with an error that `expect` accepts.
fn expect_error(what: &str, bytes: &[u8], options: &Options, expect: impl Fn(&IngestError) -> bool) {
    let whole = read(bytes, options).err().unwrap_or_else(|| panic!("{what}: read without an error"));
    assert!(expect(&whole), "{what}: another error: {whole:?}");
    assert_error_clean(what, &whole);
    let mut ingest = Ingest::new(options.clone());
    let chunked = bytes.chunks(7).try_for_each(|c| ingest.feed(c).map(|_| ())).and_then(|()| ingest.finish().map(|_| ()));
    assert_error_clean(&format!("{what} (chunks)"), &chunked.expect_err(what));
    if let Err(e) = sniff(bytes, options) {
        assert_error_clean(&format!("{what} (sniff)"), &e);
    }
}

#[test]
fn no_ingest_error_quotes_a_cell() {
    let s = SECRET;
    let with_header = format!("Website,Notes\nacme.com,{s} notes\nbeta.io,{s}\n");

    // A file without a header row: its first row (data) is taken as the header.
    let no_header = format!("{s} AB,+46 70 123 45 67\n{s} Ltd,+46 70 765 43 21\n");
    expect_error("no key column, first row is data", no_header.as_bytes(), &Options::new(), |e| {
        matches!(e, IngestError::NoKeyColumn { .. })
    });
    let with_header_no_key = format!("Phone,Notes\n+46 70 123 45 67,{s}\n");
    expect_error("no key column", with_header_no_key.as_bytes(), &Options::new(), |e| {
        matches!(e, IngestError::NoKeyColumn { .. })
    });
    let mut never = Options::new();
    never.name_keys(overlap::ingest::NamePolicy::Never);
    let names_only = format!("Company,Notes\n{s},x\n");
    expect_error("names only, never", names_only.as_bytes(), &never, |e| matches!(e, IngestError::NoKeyColumn { .. }));

    // Not text.
    for magic in [&b"PK\x03\x04"[..], b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", b"%PDF-1.7\n", b"\0\0\0\x01\x02"] {
        let bytes = [magic, s.as_bytes(), b"\0\0\x01", s.as_bytes()].concat();
        expect_error("not text", &bytes, &Options::new(), |e| matches!(e, IngestError::NotText { .. }));
    }

    // Options that do not fit the file (they name the option, never a cell).
    let mut o = Options::new();
    o.column(Field::Website, "Homepage");
    expect_error("unknown column", with_header.as_bytes(), &o, |e| matches!(e, IngestError::UnknownColumn { .. }));
    let mut o = Options::new();
    o.populations(Some(vec![PopulationRule::values("Gold", "Tier", ["gold"])]));
    expect_error("rule on a missing column", with_header.as_bytes(), &o, |e| matches!(e, IngestError::InvalidRule { .. }));
    let mut o = Options::new();
    o.populations(Some(vec![PopulationRule::all("A"), PopulationRule::all("A")]));
    expect_error("rule named twice", with_header.as_bytes(), &o, |e| matches!(e, IngestError::InvalidRule { .. }));
    let mut o = Options::new();
    o.populations(Some((0..17).map(|i| PopulationRule::all(format!("P{i}"))).collect()));
    expect_error("too many populations", with_header.as_bytes(), &o, |e| matches!(e, IngestError::TooManyPopulations { .. }));

    // Limits.
    let mut o = Options::new();
    o.max_bytes(20);
    expect_error("too large", with_header.as_bytes(), &o, |e| matches!(e, IngestError::TooLarge { .. }));
    let mut o = Options::new();
    o.max_rows(1);
    expect_error("too many rows", with_header.as_bytes(), &o, |e| matches!(e, IngestError::TooManyRows { .. }));

    // Nothing but blank lines (no cell to quote, but the path is covered).
    expect_error("empty", b"\n\r\n\n", &Options::new(), |e| matches!(e, IngestError::Empty));
}

#[test]
fn no_row_notice_quotes_a_cell() {
    let s = SECRET;
    let long = format!("\"{}\"", s.repeat((1 << 20) / s.len() + 1));
    let rows = [
        format!("{s}.invalid-tld,{s},Customer"), // no key (a refused website; no name keys)
        ",,".to_string(),                        // empty
        format!("a1.com,{s},Customer,{s},{s}"),  // too many cells
        "a2.com".to_string(),                    // fewer cells
        format!("a3.com,\"{s}\"{s},Customer"),   // text after a closing quote
        format!("a4.com,{s},Customer"),          // duplicate of the next
        format!("www.a4.com,{s} again,Customer"),
        format!("a5.com,{long},Customer"),              // a record over 1 MiB
        format!("a6.com,\u{1}{s},Customer"),            // bytes that are not UTF-8 (see below)
        format!("a7.com,{s},Nobody"),                   // outside every population
        format!("a8.com,\"{s}\nnever closed,Customer"), // an unclosed quote, to the end
    ];
    // Row a6 gets a byte that is not UTF-8 (replaced, with a warning) in place of its U+0001.
    let csv: Vec<u8> =
        format!("Website,Company,Type\n{}\n", rows.join("\n")).bytes().map(|b| if b == 1 { 0xff } else { b }).collect();
    let mut o = Options::new();
    o.name_keys(overlap::ingest::NamePolicy::Never)
        .encoding(Some(overlap::ingest::Encoding::Utf8))
        .populations(Some(vec![PopulationRule::values("Customers", "Type", ["Customer"])]));
    let d = read(&csv, &o).unwrap();
    let kinds: std::collections::BTreeSet<&str> = d.issues().iter().map(|i| i.kind.code()).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["duplicate", "empty", "no_key", "outside_populations", "unreadable", "warning"],
        "every kind of notice is produced"
    );
    assert!(d.issues().len() >= 10, "{:#?}", d.issues());
    for i in d.issues() {
        assert_clean("a notice", &i.to_string());
        assert_clean("a notice", &format!("{i:?}"));
    }
    for flavour in [Flavour::Excel, Flavour::CrmImport] {
        assert_clean("the notices CSV", &String::from_utf8_lossy(&d.issues_csv_for(flavour)));
    }
    assert_clean("the summary", &d.summary().to_string());
}
