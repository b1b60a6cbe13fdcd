//! Writes a made-up Salesforce "Accounts" export of N rows, deterministic for a seed: the test
//! data for 1M-row runs and benchmarks (never commit its output). `scripts/gen-crm` runs it.
//!
//! ```sh
//! scripts/gen-crm --rows 1000000 --seed 1 > /tmp/crm-1m.csv     # about 330 MB
//! ```
//!
//! The rows are as messy as real ones: every cell quoted (as Salesforce writes), CRLF line ends,
//! websites with and without scheme, `www.`, paths, queries and upper case, placeholders (`n/a`,
//! `-`, `none`), empty websites, contacts on free-mail, company names with commas and legal forms
//! in several languages, non-ASCII names, descriptions with quotes and line breaks, and about 5%
//! duplicated accounts.

use std::io::{self, BufWriter, Write};

/// SplitMix64: small, fast, and the same sequence everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const HEADER: &[&str] = &[
    "Account ID",
    "Account Name",
    "Account Owner",
    "Type",
    "Industry",
    "Website",
    "Phone",
    "Billing Street",
    "Billing City",
    "Billing State/Province",
    "Billing Zip/Postal Code",
    "Billing Country",
    "Annual Revenue",
    "Employees",
    "Primary Contact",
    "Primary Contact Email",
    "D-U-N-S Number",
    "Created Date",
    "Description",
];

const WORDS: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Pied",
    "Piper",
    "Massive",
    "Dynamic",
    "Blue",
    "North",
    "River",
    "Summit",
    "Pioneer",
    "Vertex",
    "Quantum",
    "Nimbus",
    "Orion",
    "Atlas",
    "Falcon",
    "Harbor",
    "Maple",
    "Cedar",
    "Granite",
    "Silver",
    "Golden",
    "Bright",
    "Clear",
    "Rapid",
    "Prime",
    "Nova",
    "Apex",
    "Zenith",
    "Polar",
    "Solar",
    "Lunar",
    "Crystal",
    "Iron",
    "Müller",
    "Schäfer",
    "Café",
    "Łódź",
    "Søren",
    "Ōta",
    "Zürich",
    "Gómez",
    "Núñez",
    "Øresund",
];
const NOUNS: &[&str] = &[
    "Systems",
    "Foods",
    "Logistics",
    "Labs",
    "Analytics",
    "Partners",
    "Holdings",
    "Industries",
    "Software",
    "Networks",
    "Energy",
    "Health",
    "Capital",
    "Robotics",
    "Media",
    "Motors",
    "Pharma",
    "Retail",
    "Textiles",
    "Consulting",
];
/// (country, legal forms, top-level domain, cities)
const COUNTRIES: &[(&str, &[&str], &str, &[&str])] = &[
    ("United States", &["Inc.", "LLC", "Corp.", "Co.", ""], "com", &["New York", "Austin", "Chicago", "Denver"]),
    ("United Kingdom", &["Ltd", "Limited", "PLC", ""], "co.uk", &["London", "Leeds", "Bristol"]),
    ("Germany", &["GmbH", "GmbH & Co. KG", "AG", "e.K."], "de", &["München", "Berlin", "Köln"]),
    ("France", &["S.A.S.", "SARL", "S.A."], "fr", &["Paris", "Lyon", "Nantes"]),
    ("Netherlands", &["B.V.", "N.V."], "nl", &["Amsterdam", "Utrecht"]),
    ("Sweden", &["AB"], "se", &["Stockholm", "Malmö"]),
    ("Japan", &["K.K.", "Co., Ltd."], "co.jp", &["Tokyo", "Osaka"]),
    ("Canada", &["Inc.", "Ltd."], "ca", &["Toronto", "Montréal"]),
];
const TYPES: &[(&str, usize)] =
    &[("Customer - Direct", 20), ("Customer - Channel", 8), ("Prospect", 45), ("Partner", 7), ("Other", 5), ("", 15)];
const INDUSTRIES: &[&str] =
    &["Technology", "Manufacturing", "Retail", "Healthcare", "Finance", "Energy", "Media", "Transportation", ""];
const FIRST: &[&str] = &["Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Grace", "Hiro", "Ines", "Jonas", "Kai", "Lena"];
const LAST: &[&str] = &["Smith", "Müller", "Dubois", "Tanaka", "Jansen", "Berg", "Rossi", "O'Brien", "Nowak", "García"];
const FREE_MAIL: &[&str] = &["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"];
const OWNERS: &[&str] = &["Jane Roe", "Max Mustermann", "Priya Patel", "Tom Chen", "Sofia Rossi"];

pub struct Company {
    name: String,
    slug: String,
    country: usize,
}

fn company(rng: &mut Rng) -> Company {
    let country = rng.below(COUNTRIES.len());
    let (_, forms, _, _) = COUNTRIES[country];
    let a = rng.pick(WORDS);
    let b = rng.pick(NOUNS);
    let n = rng.below(10_000);
    let form = rng.pick(forms);
    let mut name = format!("{a} {b} {n}");
    if !form.is_empty() {
        name.push_str(if rng.chance(30) { ", " } else { " " });
        name.push_str(form);
    }
    let slug: String = format!("{a}{b}{n}")
        .chars()
        .map(|c| match c {
            'ä' => 'a',
            'ö' | 'ø' | 'ō' | 'ó' => 'o',
            'ü' | 'ú' => 'u',
            'é' => 'e',
            'ł' => 'l',
            'ź' => 'z',
            'ñ' => 'n',
            'Ø' => 'o',
            'Ł' => 'l',
            'Ō' => 'o',
            c => c.to_ascii_lowercase(),
        })
        .filter(char::is_ascii_alphanumeric)
        .collect();
    Company { name, slug, country }
}

fn website(rng: &mut Rng, c: &Company) -> String {
    let tld = COUNTRIES[c.country].2;
    let host = format!("{}.{tld}", c.slug);
    match rng.below(100) {
        0..=24 => format!("www.{host}"),
        25..=44 => format!("https://www.{host}/"),
        45..=54 => format!("http://{host}"),
        55..=64 => host,
        65..=69 => format!("https://{host}/about?utm_source=crm"),
        70..=72 => format!("WWW.{}", host.to_uppercase()),
        73..=74 => format!(" {host} "),
        75..=76 => format!("info@{host}"),
        77..=79 => rng.pick(&["n/a", "-", "none", "N/A", "tbd"]).to_string(),
        _ => String::new(),
    }
}

fn quoted(out: &mut Vec<u8>, cell: &str) {
    out.push(b'"');
    for b in cell.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Appends the header row.
pub fn header(out: &mut Vec<u8>) {
    for (i, h) in HEADER.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        quoted(out, h);
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends row `i` (keeping a few earlier companies in `seen` to duplicate).
pub fn row(rng: &mut Rng, i: usize, seen: &mut Vec<Company>, out: &mut Vec<u8>) {
    let c = if !seen.is_empty() && rng.chance(5) {
        let k = rng.below(seen.len());
        Company { name: seen[k].name.clone(), slug: seen[k].slug.clone(), country: seen[k].country }
    } else {
        let c = company(rng);
        if seen.len() < 4096 {
            seen.push(Company { name: c.name.clone(), slug: c.slug.clone(), country: c.country });
        } else {
            let k = rng.below(seen.len());
            seen[k] = Company { name: c.name.clone(), slug: c.slug.clone(), country: c.country };
        }
        c
    };
    let (country, _, tld, cities) = COUNTRIES[c.country];
    let mut t = rng.below(100);
    let mut ty = "";
    for (name, p) in TYPES {
        if t < *p {
            ty = name;
            break;
        }
        t -= p;
    }
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let email = match rng.below(100) {
        0..=54 => format!("{}.{}@{}.{tld}", first.to_lowercase(), last.to_lowercase().replace('\'', ""), c.slug),
        55..=69 => format!("{}{}@{}", first.to_lowercase(), rng.below(100), rng.pick(FREE_MAIL)),
        _ => String::new(),
    };
    let duns = if rng.chance(30) { format!("{:09}", rng.next_u64() % 1_000_000_000) } else { String::new() };
    let description = match rng.below(100) {
        0..=1 => {
            format!("Met at the \"{}\" fair.\nFollow up in Q{}, per {}", rng.pick(WORDS), 1 + rng.below(4), rng.pick(OWNERS))
        }
        2..=9 => format!("Key account, {} region; renewal due", rng.pick(&["EMEA", "APAC", "NA"])),
        _ => String::new(),
    };
    let cells: [String; 19] = [
        format!("001{:015X}", (i as u64).wrapping_mul(0x9E37_79B9) & 0xFFF_FFFF_FFFF_FFFF),
        c.name.clone(),
        rng.pick(OWNERS).to_string(),
        ty.to_string(),
        rng.pick(INDUSTRIES).to_string(),
        website(rng, &c),
        format!("+{} {} {:04}", 1 + rng.below(90), 100 + rng.below(900), rng.below(10_000)),
        format!("{} {} Street", 1 + rng.below(999), rng.pick(WORDS)),
        rng.pick(cities).to_string(),
        String::new(),
        format!("{:05}", rng.below(100_000)),
        country.to_string(),
        format!("{}", rng.below(500_000_000)),
        format!("{}", 1 + rng.below(20_000)),
        format!("{first} {last}"),
        email,
        duns,
        format!("2023-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
        description,
    ];
    for (k, cell) in cells.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        quoted(out, cell);
    }
    out.extend_from_slice(b"\r\n");
}

/// A whole export of `rows` rows.
pub fn generate(rows: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(rows * 340 + 400);
    let mut seen = Vec::new();
    header(&mut out);
    for i in 0..rows {
        row(&mut rng, i, &mut seen, &mut out);
    }
    out
}

#[allow(dead_code)]
fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut rows = 1000usize;
    let mut seed = 1u64;
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).and_then(|v| v.replace('_', "").parse::<u64>().ok());
        match (args[i].as_str(), value) {
            ("--rows", Some(v)) => rows = v as usize,
            ("--seed", Some(v)) => seed = v,
            _ => {
                eprintln!("usage: gen-crm [--rows N] [--seed S] > export.csv");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let stdout = io::stdout();
    let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut rng = Rng::new(seed);
    let mut seen = Vec::new();
    let mut buf = Vec::with_capacity(1 << 16);
    header(&mut buf);
    for i in 0..rows {
        row(&mut rng, i, &mut seen, &mut buf);
        if buf.len() >= 1 << 16 {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    w.write_all(&buf)?;
    w.flush()
}
