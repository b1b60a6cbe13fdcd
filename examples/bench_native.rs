//! Native side of `make bench`: times the core on a file, in process, and prints one JSON object
//! per measurement. The Node side (bench/run.mjs) times the wasm build on the same file and prints
//! the ratios.
//!
//!   cargo run --release --example bench_native -- quick FILE.csv
use std::time::Instant;

use overlap::ingest;
use overlap::protocol::quick;

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
    let (what, file) = match args.as_slice() {
        [w, f] => (w.as_str(), f.as_str()),
        _ => {
            eprintln!("usage: bench_native quick FILE.csv");
            std::process::exit(2);
        }
    };
    let bytes = std::fs::read(file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(2)
    });
    match what {
        "quick" => {
            let secret = quick::Secret::new(b"benchmark secret").expect("long enough");
            let (secs, (rows, msg)) = best_of(3, || {
                let d = ingest::read(&bytes, &ingest::Options::default()).expect("bench data is valid");
                (d.row_count(), quick::make_list(&d, &secret).len())
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
