//! Native side of `make bench`: times the core on a file, in process, and prints one JSON object
//! per measurement. The Node side (bench/run.mjs) times the wasm build on the same file and prints
//! the ratios.
//!
//!   cargo run --release --example bench_native -- quick FILE.csv
//!   cargo run --release --example bench_native -- kdf
use std::time::Instant;

use overlap::ingest;
use overlap::normalize::Kind;
use overlap::protocol::{quick, Party, Settings, Sharing};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(v);
    }
    (best, out.expect("runs > 0"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["psi", a, b] => return psi(a, b),
        ["normalize", kind, file] => return normalize(kind, file),
        ["kdf"] => return kdf(),
        [_, _] => {}
        _ => {
            eprintln!("usage: bench_native quick FILE.csv | kdf | psi A.csv B.csv | normalize KIND FILE");
            std::process::exit(2);
        }
    }
    let (what, file) = (args[0].as_str(), args[1].as_str());
    let bytes = std::fs::read(file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(2)
    });
    match what {
        "quick" => {
            let secret = quick::Secret::new(BENCH_SECRET).expect("a strong secret");
            // The whole first step: reading, the key derivation (Argon2id) and the list.
            let (secs, (rows, msg)) = best_of(3, || {
                let d = ingest::read(&bytes, &ingest::Options::default()).expect("bench data is valid");
                (d.row_count(), quick::start(&d, &secret).expect("quick start").message.len())
            });
            println!(
                "{{\"bench\":\"csv_to_keyed_hashes\",\"impl\":\"native\",\"rows\":{rows},\"bytes\":{},\"seconds\":{secs:.6},\"rows_per_s\":{:.0},\"message_bytes\":{msg}}}",
                bytes.len(),
                rows as f64 / secs
            );
        }
        other => {
            eprintln!("unknown benchmark {other}");
            std::process::exit(2);
        }
    }
}

/// The benchmarks' quick-mode secret (strong enough to be accepted).
const BENCH_SECRET: &str = "acid-acorn-acre-acts-afar-affix";

/// Quick mode's key derivation alone (Argon2id with the shipped parameters, then HKDF).
fn kdf() {
    let secret = quick::Secret::new(BENCH_SECRET).expect("a strong secret");
    let (secs, _) = best_of(5, || quick::Keys::derive(&secret, &[7; 16]).expect("derive").session()[0]);
    println!(
        "{{\"bench\":\"quick_kdf\",\"impl\":\"native\",\"memory_kib\":{},\"passes\":{},\"seconds\":{secs:.4}}}",
        quick::KDF_MEMORY_KIB,
        quick::KDF_PASSES
    );
}

fn read(file: &str) -> Vec<u8> {
    std::fs::read(file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(2)
    })
}

/// The whole private exchange (offer, reply, confirm) between two files, on one thread.
fn psi(a: &str, b: &str) {
    let da = ingest::read(&read(a), &ingest::Options::default()).expect("bench data");
    let db = ingest::read(&read(b), &ingest::Options::default()).expect("bench data");
    let settings = Settings { sharing: Sharing::Overlaps, min_population: 1, ..Settings::default() };
    let (secs, matched) = best_of(2, || {
        let s1 = Party::start(&da, settings.clone()).and_then(|p| p.run(&da)).expect("offer");
        let s2 =
            Party::respond(&db, settings.clone(), s1.message.as_ref().expect("offer")).and_then(|p| p.run(&db)).expect("reply");
        let s3 = s1.party.receive(&da, s2.message.as_ref().expect("reply")).and_then(|p| p.run(&da)).expect("confirm");
        let s4 = s2.party.receive(&db, s3.message.as_ref().expect("confirm")).and_then(|p| p.run(&db)).expect("finish");
        s4.party.report(&db).ok().flatten().map_or(0, |r| r.matched_elements)
    });
    let n = da.keys().len().max(db.keys().len());
    println!(
        "{{\"bench\":\"psi_exchange\",\"impl\":\"overlap-native\",\"elements\":{n},\"seconds\":{secs:.6},\"us_per_element\":{:.2},\"matched\":{matched}}}",
        secs * 1e6 / n as f64
    );
}

/// Normalizes every line of a file as `kind`.
fn normalize(kind: &str, file: &str) {
    let kind: Kind = kind.parse().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let text = String::from_utf8(read(file)).expect("UTF-8 input");
    let lines: Vec<&str> = text.lines().collect();
    let (secs, ok) = best_of(3, || lines.iter().filter(|l| kind.apply(l).is_ok()).count());
    println!(
        "{{\"bench\":\"normalize\",\"impl\":\"native\",\"kind\":\"{kind}\",\"values\":{},\"ok\":{ok},\"seconds\":{secs:.6},\"values_per_s\":{:.0}}}",
        lines.len(),
        lines.len() as f64 / secs
    );
}
