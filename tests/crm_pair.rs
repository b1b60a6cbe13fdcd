//! Precision and recall of "this row of A overlaps B" on the crm-pair development data, for each
//! name-key policy. The data lives outside the repository (`../shared/data/crm-pair`, or
//! `$OVERLAP_CRM_PAIR`): run with `cargo test --release --test crm_pair -- --ignored --nocapture`.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use overlap::ingest::{read, NamePolicy, Options};
use overlap::keys::Key;

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("OVERLAP_CRM_PAIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/crm-pair"));
    dir.join("truth.csv").exists().then_some(dir)
}

#[test]
#[ignore = "needs the crm-pair data outside the repository"]
fn name_policies_on_crm_pair() {
    let Some(dir) = data_dir() else {
        eprintln!("crm-pair data not found: skipped");
        return;
    };
    let a_bytes = std::fs::read(dir.join("partner_a.csv")).unwrap();
    let b_bytes = std::fs::read(dir.join("partner_b.csv")).unwrap();
    let mut truth_rdr = csv::Reader::from_path(dir.join("truth.csv")).unwrap();
    let truth: HashMap<String, bool> = truth_rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), &r[1] == "1")
        })
        .collect();
    for policy in [NamePolicy::Never, NamePolicy::Fallback, NamePolicy::Always] {
        let mut opts = Options::new();
        opts.name_keys(policy);
        let a = read(&a_bytes, &opts).unwrap();
        let b = read(&b_bytes, &opts).unwrap();
        let b_keys: HashSet<&Key> = b.keys().iter().collect();
        let (mut tp, mut fp, mut fn_) = (0u32, 0u32, 0u32);
        for row in 0..a.row_count() {
            let id = a.row_fields(row)[0].clone();
            let predicted = a.row_keys(row).iter().any(|&k| b_keys.contains(&a.keys()[k as usize]));
            match (predicted, truth.get(&id).copied().unwrap_or(false)) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
        let precision = f64::from(tp) / f64::from((tp + fp).max(1));
        let recall = f64::from(tp) / f64::from((tp + fn_).max(1));
        println!(
            "{{\"name_keys\":\"{policy}\",\"precision\":{precision:.3},\"recall\":{recall:.3},\"tp\":{tp},\"fp\":{fp},\"fn\":{fn_},\"a_elements\":{},\"b_elements\":{}}}",
            a.keys().len(),
            b.keys().len()
        );
    }
}
