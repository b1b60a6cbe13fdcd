//! The development pair through the real CLI: partner A's Salesforce export (5,125 rows) and
//! partner B's HubSpot export (5,000 rows), offer → reply → finish, both sharing overlaps; A's
//! report scored against the truth (`tests/fixtures/crm-pair/truth.csv`). The figures are asserted,
//! and the README must quote them.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::Command;

fn fixture(f: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/crm-pair").join(f)
}

/// Splits a CSV of the report (quoted fields, BOM) well enough for its plain columns.
fn rows(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let (mut row, mut cell, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.trim_start_matches('\u{feff}').chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                out.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => cell.push(c),
        }
    }
    out
}

struct Score {
    precision: f64,
    recall: f64,
    flagged: usize,
}

fn score(flagged: &HashSet<String>, truth: &HashMap<String, bool>) -> Score {
    let positives = truth.values().filter(|&&v| v).count();
    let tp = flagged.iter().filter(|id| truth.get(*id).copied().unwrap_or(false)).count();
    Score { precision: tp as f64 / flagged.len().max(1) as f64, recall: tp as f64 / positives as f64, flagged: flagged.len() }
}

#[test]
fn the_development_pair_through_the_cli() {
    let dir = std::env::temp_dir().join(format!("overlap-crm-pair-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = |f: &str| dir.join(f);
    let run = |args: &[&std::ffi::OsStr]| {
        let out = Command::new(env!("CARGO_BIN_EXE_overlap")).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let os = |s: &str| std::ffi::OsString::from(s);
    let (a, b) = (fixture("partner_a.csv"), fixture("partner_b.csv"));
    run(&[
        &os("offer"),
        &os("--csv"),
        a.as_os_str(),
        &os("--state"),
        p("a.state").as_os_str(),
        &os("--out"),
        p("1.msg").as_os_str(),
        &os("--sharing"),
        &os("overlaps"),
    ]);
    run(&[
        &os("reply"),
        &os("--csv"),
        b.as_os_str(),
        &os("--offer"),
        p("1.msg").as_os_str(),
        &os("--state"),
        p("b.state").as_os_str(),
        &os("--out"),
        p("2.msg").as_os_str(),
        &os("--sharing"),
        &os("overlaps"),
    ]);
    run(&[
        &os("finish"),
        &os("--state"),
        p("a.state").as_os_str(),
        &os("--reply"),
        p("2.msg").as_os_str(),
        &os("--out"),
        p("3.msg").as_os_str(),
        &os("--report"),
        p("a.csv").as_os_str(),
    ]);
    let report = rows(&std::fs::read_to_string(p("a.csv")).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    let header = &report[0];
    let id = header.iter().position(|h| h == "Account ID").unwrap();
    let conf = header.iter().position(|h| h == "overlap_confidence").unwrap();
    let truth: HashMap<String, bool> =
        rows(&std::fs::read_to_string(fixture("truth.csv")).unwrap())[1..].iter().map(|r| (r[0].clone(), r[1] == "1")).collect();
    let tier = |want: &[&str]| -> HashSet<String> {
        report[1..].iter().filter(|r| want.contains(&r[conf].as_str())).map(|r| r[id].clone()).collect()
    };
    let all = score(&tier(&["high", "likely", "possible"]), &truth);
    let high = score(&tier(&["high"]), &truth);
    let likely = score(&tier(&["likely"]), &truth);
    let possible = score(&tier(&["possible"]), &truth);
    let line = format!(
        "all tiers: precision {:.4}, recall {:.4} ({} rows flagged); high: precision {:.4}, recall {:.4}; name + city: precision {:.4} ({} rows); name only: precision {:.4} ({} rows)",
        all.precision, all.recall, all.flagged, high.precision, high.recall, likely.precision, likely.flagged, possible.precision, possible.flagged
    );
    println!("{line}");
    // The figures today: names match only where one of the two rows has no domain, and only where
    // the two rows' cities agree or one of them has none (issue #17's goal: precision ≥ 0.995 with
    // recall ≥ 0.99 over all tiers; 0.9948 is 8 false positives in 1,536 flagged rows: every
    // one a namesake where one row has no city, or the same name in the same city).
    assert_eq!(format!("{:.4}/{:.4}", all.precision, all.recall), "0.9948/1.0000", "{line}");
    assert_eq!(format!("{:.4}/{:.4}", high.precision, high.recall), "1.0000/0.9156", "{line}");
    assert_eq!(format!("{:.3}/{}", likely.precision, likely.flagged), "0.991/112", "{line}");
    assert_eq!(format!("{:.3}/{}", possible.precision, possible.flagged), "0.720/25", "{line}");
    let readme = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    let quoted = format!(
        "precision {:.3} and recall {:.3} in all, {:.3} and {:.3} for high confidence alone",
        all.precision, all.recall, high.precision, high.recall
    );
    assert!(readme.contains(&quoted), "README.md must quote: {quoted}");
}
