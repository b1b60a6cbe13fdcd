//! Reads a CRM export end to end (stream → map → normalize → keys) and prints the summary, the
//! throughput and the peak memory. Until the CLI grows an `ingest` command, this is the native
//! end-to-end run of `make bench` and of the 1M-row check:
//!
//! ```sh
//! scripts/gen-crm --rows 1000000 --seed 1 > /tmp/crm-1m.csv
//! cargo run --release --example ingest_file -- /tmp/crm-1m.csv [--name-keys always|fallback|never] [--issues out.csv]
//! ```
//! The last line is JSON: `{"bytes":…,"rows":…,"seconds":…,"mb_per_s":…,"peak_rss_bytes":…,"peak_over_file":…}`.

use std::time::Instant;

use overlap::ingest::{read_from, NamePolicy, Options};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: ingest_file FILE [--name-keys always|fallback|never] [--issues OUT.csv]");
        std::process::exit(2);
    };
    let mut opts = Options::new();
    let mut issues_out = None;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--name-keys" => {
                let p: NamePolicy = args.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or_default();
                opts.name_keys(p);
                i += 1;
            }
            "--issues" => {
                issues_out = args.get(i + 1).cloned();
                i += 1;
            }
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
        i += 1;
    }
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    opts.size_hint(Some(size));
    let t = Instant::now();
    let d = match read_from(file, &opts) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let secs = t.elapsed().as_secs_f64();
    eprint!("{}", d.summary());
    if let Some(out) = issues_out {
        if let Err(e) = std::fs::write(&out, d.issues_csv()) {
            eprintln!("{out}: {e}");
        }
    }
    let peak = peak_rss();
    println!(
        "{{\"bytes\":{size},\"rows\":{},\"seconds\":{secs:.3},\"mb_per_s\":{:.1},\"peak_rss_bytes\":{peak},\"peak_over_file\":{:.2}}}",
        d.row_count(),
        size as f64 / 1e6 / secs,
        peak as f64 / size.max(1) as f64
    );
}

/// Peak resident memory of this process (Linux; 0 elsewhere).
fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}
