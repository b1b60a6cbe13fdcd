//! Normalization throughput, one core: values per second for each kind, as JSON lines.
//!
//! ```sh
//! cargo run --release --example normalize_speed
//! ```
//!
//! Inputs are generated (fixed seed), shaped like CRM cells: websites with schemes, `www.`,
//! paths, ports, upper case and a few refusals; emails with free-mail mixed in; company names
//! with legal forms and diacritics.

use std::hint::black_box;
use std::time::{Duration, Instant};

use overlap::normalize::Kind;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn word(&mut self) -> String {
        let n = 3 + (self.next() % 9) as usize;
        (0..n).map(|_| (b'a' + (self.next() % 26) as u8) as char).collect()
    }
}

const SUFFIXES: &[&str] =
    &["com", "co.uk", "de", "fr", "nl", "es", "it", "se", "co.jp", "com.au", "io", "net", "org", "github.io"];
const SCHEMES: &[&str] = &["", "", "https://", "http://", "HTTPS://"];
const SUBS: &[&str] = &["", "", "www.", "WWW.", "shop.", "eu."];
const TAILS: &[&str] = &["", "", "/", "/about", "?utm_source=crm", ":443/", "/contact#form"];
const FREE: &[&str] = &["gmail.com", "yahoo.co.uk", "outlook.com", "web.de"];
const FORMS: &[&str] = &["Inc.", "GmbH", "S.A.", "Co., Ltd.", "B.V.", "AB", "S.p.A.", "Ltd", "LLC", "", ""];
const COUNTRIES: &[&str] = &["United States", "USA", "Deutschland", "France", "UK", "Japan", "Nederland", "Sverige", "españa"];

fn inputs(kind: Kind, n: usize) -> Vec<String> {
    let mut r = Rng(0x5EED_0000 + kind as u64);
    (0..n)
        .map(|i| match kind {
            Kind::Domain => {
                if i % 50 == 0 {
                    return "n/a".to_string();
                }
                let (sch, sub, w, suf, tail) = (r.pick(SCHEMES), r.pick(SUBS), r.word(), r.pick(SUFFIXES), r.pick(TAILS));
                format!("{sch}{sub}{w}.{suf}{tail}")
            }
            Kind::Email => {
                let dom = if i % 4 == 0 { r.pick(FREE).to_string() } else { format!("{}.{}", r.word(), r.pick(SUFFIXES)) };
                format!("{}@{dom}", r.word())
            }
            Kind::Name => {
                let accent = if i % 5 == 0 { "Müller " } else { "" };
                format!("{accent}{} {} {}", r.word(), r.word(), r.pick(FORMS))
            }
            Kind::Country => r.pick(COUNTRIES).to_string(),
            Kind::Duns => format!("{:02}-{:03}-{:04}", r.next() % 100, r.next() % 1000, r.next() % 10000),
            Kind::Linkedin => format!("https://www.linkedin.com/company/{}-{}/about/", r.word(), r.word()),
            Kind::City => format!("{}{}", if i % 7 == 0 { "St. " } else { "" }, r.word().to_uppercase()),
            Kind::Region => r.pick(&["California", "NY", "Bavaria", "Ontario", "ca"]).to_string(),
            Kind::Postal => format!("{:05}-{:04}", r.next() % 100_000, r.next() % 10_000),
        })
        .collect()
}

fn main() {
    for kind in Kind::ALL {
        let data = inputs(kind, 100_000);
        for v in &data {
            let _ = black_box(kind.apply(v)); // warm-up: lazy tables, caches
        }
        let (mut n, start) = (0usize, Instant::now());
        while start.elapsed() < Duration::from_millis(700) {
            for v in &data {
                let _ = black_box(kind.apply(black_box(v)));
            }
            n += data.len();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{{\"bench\":\"normalize\",\"kind\":\"{kind}\",\"values\":{n},\"seconds\":{secs:.3},\"values_per_sec\":{:.0},\"ns_per_value\":{:.1}}}",
            n as f64 / secs,
            secs * 1e9 / n as f64
        );
    }
}
