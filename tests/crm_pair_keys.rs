//! Precision and recall of "A's row overlaps B" on the crm-pair development data
//! (`tests/fixtures/crm-pair`, 5,125 × 5,000 rows with the truth), for the simple key strategies
//! of docs/NORMALIZATION.md, computed here with the normalizers alone (no protocol). The figures
//! are asserted: a change to normalization that moves them must say so here. Strategy (e) is what
//! the protocol's paired name keys compute; `crates/overlap-cli/tests/crm_pair.rs` checks that the
//! real exchange gives the same rows. `--nocapture` prints the table.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use overlap::normalize::{domain, email, name_key};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crm-pair")
}

fn read(path: &PathBuf) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect();
    (headers, rows)
}

fn col(headers: &[String], name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

#[derive(Clone, Copy, PartialEq)]
enum Names {
    None,
    Always,
    WithoutDomain,
}

/// The keys of one row.
fn keys(domains: &[&str], emails: &[&str], name: &str, country: &str, names: Names) -> HashSet<String> {
    let mut k: HashSet<String> = domains.iter().filter_map(|d| domain(d).ok()).map(|d| format!("domain:{d}")).collect();
    k.extend(emails.iter().filter_map(|e| email(e).ok()).map(|d| format!("domain:{d}")));
    let add_name = match names {
        Names::None => false,
        Names::Always => true,
        Names::WithoutDomain => k.is_empty(),
    };
    if add_name {
        if let Ok(n) = name_key(name, Some(country)) {
            k.insert(format!("name:{n}"));
        }
    }
    k
}

/// (label, true positives, false positives, false negatives) per strategy, as measured.
const EXPECTED: [(&str, usize, usize, usize); 5] = [
    ("(a) website domain only", 1361, 0, 167),
    ("(b) + contact-email domains", 1399, 0, 129),
    ("(c) + name keys, every row", 1528, 492, 0),
    ("(d) + name keys, rows without a domain key", 1402, 1, 126),
    ("(e) names only where a side lacks a domain key", 1528, 44, 0),
];

#[test]
fn crm_pair_precision_recall() {
    let mut measured: Vec<(&str, usize, usize, usize)> = Vec::new();
    let dir = data_dir();
    let (ah, a) = read(&dir.join("partner_a.csv"));
    let (bh, b) = read(&dir.join("partner_b.csv"));
    let (th, t) = read(&dir.join("truth.csv"));
    let truth: HashMap<&str, bool> = t.iter().map(|r| (r[col(&th, "a_id")].as_str(), r[col(&th, "in_b")] == "1")).collect();
    let (a_id, a_web, a_mail, a_name, a_country) = (
        col(&ah, "Account ID"),
        col(&ah, "Website"),
        col(&ah, "Primary Contact Email"),
        col(&ah, "Account Name"),
        col(&ah, "Billing Country"),
    );
    let (b_dom, b_web, b_name, b_country) =
        (col(&bh, "Company Domain Name"), col(&bh, "Website URL"), col(&bh, "Company name"), col(&bh, "Country/Region"));

    let strategies: [(&str, bool, Names); 4] = [
        ("(a) website domain only", false, Names::None),
        ("(b) + contact-email domains", true, Names::None),
        ("(c) + name keys, every row", true, Names::Always),
        ("(d) + name keys, rows without a domain key", true, Names::WithoutDomain),
    ];
    println!("crm-pair: {} A rows, {} B rows, {} A rows truly in B", a.len(), b.len(), truth.values().filter(|&&v| v).count());
    println!("{:48} {:>6} {:>6} {:>6} {:>9} {:>7}", "strategy", "TP", "FP", "FN", "precision", "recall");
    for (label, use_email, names) in strategies {
        let b_keys: HashSet<String> =
            b.iter().flat_map(|r| keys(&[&r[b_dom], &r[b_web]], &[], &r[b_name], &r[b_country], names)).collect();
        let (mut tp, mut fp, mut fne) = (0, 0, 0);
        for r in &a {
            let emails: Vec<&str> = if use_email { vec![r[a_mail].as_str()] } else { vec![] };
            let k = keys(&[&r[a_web]], &emails, &r[a_name], &r[a_country], names);
            let predicted = k.iter().any(|k| b_keys.contains(k));
            let actual = truth.get(r[a_id].as_str()).copied().unwrap_or(false);
            match (predicted, actual) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fne += 1,
                (false, false) => {}
            }
        }
        print_row(label, tp, fp, fne);
        measured.push((label, tp, fp, fne));
    }

    // (e) What name keys could add if a name match counted only when at least one side of the
    // pair has no domain key (both having domains that differ means two companies). This needs
    // role-asymmetric name keys in the protocol; measured here on the plain keys.
    let b_rows: Vec<(HashSet<String>, Option<String>)> = b
        .iter()
        .map(|r| {
            let d = keys(&[&r[b_dom], &r[b_web]], &[], "", "", Names::None);
            (d, name_key(&r[b_name], Some(&r[b_country])).ok())
        })
        .collect();
    let b_domains: HashSet<&String> = b_rows.iter().flat_map(|(d, _)| d.iter()).collect();
    let b_names_without_domain: HashSet<&String> =
        b_rows.iter().filter(|(d, _)| d.is_empty()).filter_map(|(_, n)| n.as_ref()).collect();
    let b_names: HashSet<&String> = b_rows.iter().filter_map(|(_, n)| n.as_ref()).collect();
    let (mut tp, mut fp, mut fne) = (0, 0, 0);
    for r in &a {
        let d = keys(&[&r[a_web]], &[r[a_mail].as_str()], "", "", Names::None);
        let n = name_key(&r[a_name], Some(&r[a_country])).ok();
        let by_domain = d.iter().any(|k| b_domains.contains(k));
        let by_name =
            n.as_ref().is_some_and(|n| if d.is_empty() { b_names.contains(n) } else { b_names_without_domain.contains(n) });
        let predicted = by_domain || by_name;
        let actual = truth.get(r[a_id].as_str()).copied().unwrap_or(false);
        match (predicted, actual) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fne += 1,
            (false, false) => {}
        }
    }
    print_row("(e) names only where a side lacks a domain key", tp, fp, fne);
    measured.push(("(e) names only where a side lacks a domain key", tp, fp, fne));
    assert_eq!(
        measured, EXPECTED,
        "the strategies' figures on crm-pair moved: a deliberate normalization change? update EXPECTED and docs"
    );
    assert_eq!(a.len(), 5125);
    assert_eq!(truth.values().filter(|&&v| v).count(), 1528);
}

fn print_row(label: &str, tp: usize, fp: usize, fne: usize) {
    {
        let precision = tp as f64 / (tp + fp).max(1) as f64;
        let recall = tp as f64 / (tp + fne).max(1) as f64;
        println!("{label:48} {tp:>6} {fp:>6} {fne:>6} {:>8.2}% {:>6.2}%", precision * 100.0, recall * 100.0);
    }
}
