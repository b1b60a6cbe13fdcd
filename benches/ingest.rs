//! Ingestion throughput, natively, on a generated Salesforce-like export held in memory.
//!
//! ```sh
//! cargo run --release --example ingest_speed                # 200,000 rows (about 52 MB)
//! OVERLAP_BENCH_ROWS=1000000 cargo run --release --example ingest_speed
//! ```
//! One JSON line per measurement (best of `OVERLAP_BENCH_RUNS`, default 5):
//! - `ingest/parse`: decoding (UTF-8 validation) and `csv-core` records with line numbers and the
//!   quoting check: the reader alone;
//! - `ingest/normalize`: the normalization calls alone, on the key cells taken out beforehand
//!   (the normalization engine's share, measured here to subtract it);
//! - `ingest/read-*`: the whole read (parse, map, populations, normalize, intern keys, sort,
//!   duplicates) for each name-key policy;
//! - `ingest/own`: `read-fallback` minus `normalize`: this module's own cost per byte.
//!
//! Peak memory is measured end to end from a file by `examples/ingest_file.rs`.

use std::hint::black_box;
use std::time::Instant;

use overlap::ingest::reader::RecordReader;
use overlap::ingest::{read, NamePolicy, Options};
use overlap::normalize;

#[allow(dead_code)]
#[path = "../examples/gen_crm.rs"]
mod gen_crm;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

fn best<F: FnMut() -> usize>(runs: usize, mut f: F) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut out = 0;
    for _ in 0..runs {
        let t = Instant::now();
        out = black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, out)
}

fn line(name: &str, bytes: usize, rows: usize, secs: f64) {
    println!(
        "{{\"bench\":\"{name}\",\"bytes\":{bytes},\"rows\":{rows},\"seconds\":{secs:.4},\"mb_per_s\":{:.1},\"rows_per_s\":{:.0}}}",
        bytes as f64 / 1e6 / secs,
        rows as f64 / secs
    );
}

fn main() {
    let rows = env_usize("OVERLAP_BENCH_ROWS", 200_000);
    let runs = env_usize("OVERLAP_BENCH_RUNS", 5).max(1);
    let data = gen_crm::generate(rows, 1);
    let n = data.len();

    // The reader alone: validate, then records with lines and quoting checked.
    let (secs, count) = best(runs, || {
        let text = std::str::from_utf8(&data).unwrap_or("");
        let mut r = RecordReader::new(b',', 0, 1);
        let mut count = 0;
        let mut cells = 0;
        while let Some(span) = r.next(text, true) {
            count += 1;
            cells += r.field_count() + span.line as usize % 2;
        }
        black_box(cells);
        count - 1
    });
    line("ingest/parse", n, count, secs);

    // The normalization calls alone, on the cells the read would give them.
    let text = std::str::from_utf8(&data).unwrap_or("");
    let mut r = RecordReader::new(b',', 0, 1);
    let mut cells: Vec<[String; 5]> = Vec::with_capacity(rows);
    let cell = |r: &RecordReader, i| String::from_utf8_lossy(r.field(i).unwrap_or(&[])).into_owned();
    let _ = r.next(text, true);
    while r.next(text, true).is_some() {
        // Website, email, DUNS, name, country of the generated layout.
        cells.push([cell(&r, 5), cell(&r, 15), cell(&r, 16), cell(&r, 1), cell(&r, 11)]);
    }
    let (norm_secs, _) = best(runs, || {
        let mut ok = 0;
        for [web, email, duns, name, country] in &cells {
            let mut any = false;
            any |= normalize::domain(web).is_ok();
            any |= normalize::email(email).is_ok();
            any |= normalize::duns(duns).is_ok();
            if !any {
                any = normalize::name_key(name, Some(country)).is_ok();
            }
            ok += usize::from(any);
        }
        ok
    });
    line("ingest/normalize", n, cells.len(), norm_secs);

    let mut fallback = 0.0;
    for policy in [NamePolicy::Paired, NamePolicy::Fallback, NamePolicy::Never, NamePolicy::Always] {
        let mut opts = Options::new();
        opts.name_keys(policy);
        let (secs, rows_read) = best(runs, || read(&data, &opts).map_or(0, |d| d.row_count()));
        line(&format!("ingest/read-{policy}"), n, rows_read, secs);
        if policy == NamePolicy::Fallback {
            fallback = secs;
        }
    }
    line("ingest/own", n, cells.len(), (fallback - norm_secs).max(1e-9));
}
