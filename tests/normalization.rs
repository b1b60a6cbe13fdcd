//! Normalization contract tests: the shared vectors, the PSL's own test cases, company-name ground
//! truth, and bad input. The vectors file is also read by the wasm and JS tests.

use overlap::normalize::{self, domain, idna, name, name_key, Kind, Refusal};
use proptest::prelude::*;
use serde_json::Value;

const VECTORS: &str = include_str!("vectors/normalization.json");
const PSL_TESTS: &str = include_str!("psl/test_psl.txt");

fn refusal_code(r: Refusal) -> &'static str {
    r.code()
}

#[test]
fn vectors() {
    let v: Value = serde_json::from_str(VECTORS).expect("vectors parse");
    assert_eq!(v["version"], normalize::VERSION, "vectors are for another rules version");
    let cases = v["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let kind = c["kind"].as_str().unwrap();
        let input = c["input"].as_str().unwrap();
        let got = if kind == "name_key" {
            name_key(input, c["country"].as_str())
        } else {
            let k: Kind = kind.parse().unwrap_or_else(|_| panic!("case {i}: unknown kind {kind}"));
            k.apply(input)
        };
        let want = match (c.get("expect"), c.get("refusal")) {
            (Some(e), None) => Ok(e.as_str().unwrap().to_string()),
            (None, Some(r)) => Err(r.as_str().unwrap().to_string()),
            _ => panic!("case {i}: needs exactly one of expect, refusal"),
        };
        let got = got.map_err(|r| refusal_code(r).to_string());
        if got != want {
            let shown: String = input.chars().take(60).collect();
            failures.push(format!("case {i} [{}] {kind} {shown:?}: got {got:?}, want {want:?}", c["rule"]));
        }
    }
    assert!(failures.is_empty(), "{} of {} vectors fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// Every refusal code the vectors use is a real code, and every code is exercised.
#[test]
fn vectors_cover_every_refusal() {
    let v: Value = serde_json::from_str(VECTORS).unwrap();
    let used: std::collections::HashSet<&str> =
        v["cases"].as_array().unwrap().iter().filter_map(|c| c["refusal"].as_str()).collect();
    for r in Refusal::ALL {
        assert!(used.contains(r.code()), "no vector for refusal {}", r.code());
    }
}

/// `checkPublicSuffix(input, expected)` lines of the PSL's tests/test_psl.txt.
fn psl_cases() -> Vec<(Option<String>, Option<String>)> {
    fn arg(s: &str) -> Option<String> {
        let s = s.trim();
        if s == "null" {
            None
        } else {
            Some(s.trim_matches('\'').to_string())
        }
    }
    PSL_TESTS
        .lines()
        .filter_map(|l| l.trim().strip_prefix("checkPublicSuffix(")?.strip_suffix(");").map(str::to_string))
        .map(|args| {
            let (a, b) = args.split_once(", ").expect("two arguments");
            (arg(a), arg(b))
        })
        .collect()
}

#[test]
fn psl_test_suite_passes() {
    let cases = psl_cases();
    assert!(cases.len() >= 70, "only {} PSL cases found", cases.len());
    let mut failures = Vec::new();
    for (input, expected) in &cases {
        let got = input.as_deref().map_or(Err(Refusal::Empty), domain::registrable_domain).ok();
        // Expected values are written in the form of the input (Unicode or A-labels); ours are
        // always A-labels.
        let want = expected.as_deref().map(|e| idna::host_to_ascii(e).expect("expected value maps"));
        if got != want {
            failures.push(format!("checkPublicSuffix({input:?}, {expected:?}): got {got:?}"));
        }
    }
    println!("PSL test suite: {}/{} pass", cases.len() - failures.len(), cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Company names: ground truth.

/// Distinct base names, as a CRM would hold them, with their country.
const BASES: &[(&str, &str)] = &[
    ("Acme Tools", "US"),
    ("Hart Logistics", "US"),
    ("Rodriguez Capital", "US"),
    ("Williams Software", "US"),
    ("Blue Harbor Analytics", "US"),
    ("Northwind Traders", "US"),
    ("Delta Air Freight", "US"),
    ("Summit Health", "US"),
    ("Hughes-Cooper", "GB"),
    ("Thomas Labs", "GB"),
    ("Blake Robotics", "GB"),
    ("Marks & Spencer", "GB"),
    ("Simpson Capital", "GB"),
    ("Brown Foods", "GB"),
    ("Müller Maschinenbau", "DE"),
    ("Krein Analytics", "DE"),
    ("Kade Energy", "DE"),
    ("Schäfer Logistik", "DE"),
    ("Weiß & Söhne", "DE"),
    ("Bäckerei Groß", "DE"),
    ("Leroy", "FR"),
    ("Besnard Conseil", "FR"),
    ("Marin et Fils Labs", "FR"),
    ("Société Générale Immobilier", "FR"),
    ("Hôtel du Lac", "FR"),
    ("van Stralen Foods", "NL"),
    ("de Reede Labs", "NL"),
    ("Poncelet & Brouwer Health", "NL"),
    ("Royal Jonker", "NL"),
    ("Dupont Verheyen", "BE"),
    ("Van den Bossche Bouw", "BE"),
    ("Núñez Arquitectos", "ES"),
    ("Pérez Software", "ES"),
    ("Morán & Asociados Logistics", "ES"),
    ("Echeverría", "ES"),
    ("Turchetta Robotics", "IT"),
    ("Ariosto", "IT"),
    ("Bompiani-Battaglia e figli Energy", "IT"),
    ("Casadei", "IT"),
    ("Gonçalves & Filhos", "PT"),
    ("Sousa Têxteis", "PT"),
    ("Björk Foods", "SE"),
    ("Thorén", "SE"),
    ("Lindberg & Lundqvist", "SE"),
    ("Johansson Health", "SE"),
    ("Nordlys Energi", "NO"),
    ("Ørsted Vind", "DK"),
    ("Mærsk Shipping", "DK"),
    ("Kivi Metsä", "FI"),
    ("Íslensk Orka", "IS"),
    ("Łódzkie Zakłady Metalowe", "PL"),
    ("Wiśniewski Transport", "PL"),
    ("Zürcher Präzision", "CH"),
    ("Alpenländische Bau", "AT"),
    ("Tanaka Denki", "JP"),
    ("Sasaki Foods", "JP"),
    ("Yamamoto Shoji Labs", "JP"),
    ("Kimura Denki Logistics", "JP"),
    ("Shenzhen Bright Star Electronics", "CN"),
    ("Hangzhou West Lake Tea", "CN"),
    ("Gomes Alimentos", "BR"),
    ("Tecnologia Paulista", "BR"),
    ("Sharma Infotech", "IN"),
    ("Bharat Steel Works", "IN"),
];

/// Legal forms by country, as CRMs write them (several spellings each).
fn forms(country: &str) -> &'static [&'static str] {
    match country {
        "US" => &[
            "Inc",
            "Inc.",
            "Incorporated",
            "Corp",
            "Corp.",
            "Corporation",
            "Co.",
            "Company",
            "LLC",
            "L.L.C.",
            "LLP",
            "L.P.",
            "PLLC",
        ],
        "GB" => &["Ltd", "Ltd.", "Limited", "PLC", "plc", "P.L.C.", "LLP"],
        "DE" => &["GmbH", "AG", "KG", "GmbH & Co. KG", "e.K.", "OHG", "KGaA", "UG (haftungsbeschränkt)", "SE"],
        "FR" => &["SA", "S.A.", "SAS", "S.A.S.", "SARL", "S.A.R.L.", "SASU", "EURL", "SNC"],
        "NL" => &["B.V.", "BV", "N.V.", "NV", "V.O.F.", "C.V."],
        "BE" => &["NV", "SA", "BV", "BVBA", "SPRL", "SRL", "CommV"],
        "ES" => &["S.A.", "SA", "S.L.", "SL", "S.L.U.", "S.A.U.", "S.Coop.", "S.L.N.E."],
        "IT" => &["S.p.A.", "SpA", "S.r.l.", "Srl", "S.R.L.", "S.a.s.", "S.n.c.", "S.r.l.s."],
        "PT" => &["Lda", "Lda.", "S.A.", "Unipessoal Lda", "SGPS"],
        "SE" => &["AB", "AB (publ)", "HB", "KB"],
        "NO" => &["AS", "ASA", "ANS", "DA"],
        "DK" => &["A/S", "ApS", "I/S", "K/S", "P/S"],
        "FI" => &["Oy", "Oyj", "Ab", "Ky"],
        "IS" => &["ehf.", "hf.", "ehf"],
        "PL" => &["Sp. z o.o.", "sp. z o. o.", "S.A.", "sp.j.", "sp.k."],
        "CH" => &["AG", "SA", "GmbH", "Sàrl", "Sagl"],
        "AT" => &["GmbH", "Ges.m.b.H.", "AG", "KG", "OG"],
        "JP" => &["K.K.", "KK", "Co., Ltd.", "Co. Ltd.", "Kabushiki Kaisha", "G.K."],
        "CN" => &["Co., Ltd.", "Co. Ltd", "Limited", "Ltd."],
        "BR" => &["Ltda", "Ltda.", "S.A.", "S/A", "EIRELI"],
        "IN" => &["Pvt Ltd", "Pvt. Ltd.", "Private Limited", "Ltd", "Limited", "LLP"],
        _ => &[],
    }
}

/// Every way the test writes a base name with a legal form.
fn variants(base: &str, form: &str) -> Vec<String> {
    let plain = format!("{base} {form}");
    vec![
        plain.clone(),
        format!("{base}, {form}"),
        format!("{base},{form}"),
        plain.to_uppercase(),
        plain.to_lowercase(),
        format!("  {base}   {form} "),
        format!("The {plain}"),
        format!("{base}  {form}"),
        format!("\"{plain}\""),
        base.to_uppercase(),
        base.to_lowercase(),
        format!("{base}."),
        base.replace('-', " "),
        // What other CRMs do to the base itself: diacritics lost, `&` spelled out, hyphens dropped.
        format!("{} {form}", strip_diacritics(base)),
        format!("{} {form}", base.replace('&', "and")),
        format!("{} {form}", base.replace('-', "")),
        format!("{base} ({form})"),
    ]
}

fn strip_diacritics(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).collect()
}

#[test]
fn names_ground_truth() {
    let (mut total, mut hits) = (0usize, 0usize);
    let mut misses = Vec::new();
    for &(base, cc) in BASES {
        let want = name(base).unwrap();
        for form in forms(cc) {
            for v in variants(base, form) {
                total += 1;
                match name(&v) {
                    Ok(got) if got == want => hits += 1,
                    got => misses.push(format!("{v:?} → {got:?}, want {want:?}")),
                }
            }
        }
    }
    let rate = hits as f64 / total as f64;
    println!("names ground truth: {hits}/{total} = {:.2}% map to their base", rate * 100.0);
    for m in misses.iter().take(40) {
        println!("  miss: {m}");
    }
    assert!(rate >= 0.97, "{:.2}% < 97%", rate * 100.0);
}

#[test]
fn distinct_companies_sharing_a_legal_form_do_not_merge() {
    // Every pair of distinct bases, each with the same form: the keys must differ.
    let mut keys = std::collections::HashMap::new();
    for &(base, cc) in BASES {
        for form in forms(cc) {
            let k = name_key(&format!("{base} {form}"), Some(cc)).unwrap();
            if let Some(other) = keys.insert(k.clone(), base) {
                assert_eq!(other, base, "{other:?} and {base:?} merge as {k:?}");
            }
        }
    }
    // And names that differ only by a word that is not a legal form stay apart.
    for (a, b) in [
        ("Acme Holding GmbH", "Acme GmbH"),
        ("Acme Group Ltd", "Acme Ltd"),
        ("Acme International Inc", "Acme Inc"),
        ("Acme Europe B.V.", "Acme B.V."),
        ("Standard Chartered PLC", "Standard PLC"),
        ("Bank of America Corp", "America Corp"),
        ("Tasca Energy S.p.A.", "Tasca S.p.A."),
        ("Volvo Cars AB", "Volvo AB"),
        ("AB Foods Ltd", "Foods Ltd"),
    ] {
        assert_ne!(name(a).unwrap(), name(b).unwrap(), "{a:?} and {b:?} merge");
    }
    // The same name in two countries is two keys.
    assert_ne!(name_key("Meyer GmbH", Some("DE")).unwrap(), name_key("Meyer GmbH", Some("CH")).unwrap());
}

// ---------------------------------------------------------------------------------------------
// Bad input: nothing panics, refusals are prompt and never quote the value.

const PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    ".",
    "..",
    "-",
    "_",
    "@",
    ":",
    "/",
    "//",
    "?",
    "#",
    "%",
    "%C3%A9",
    "[",
    "]",
    "xn--",
    "xn--zz",
    "www.",
    "http://",
    "https://",
    "mailto:",
    "com",
    "co.uk",
    "github.io",
    "ü",
    "ß",
    "ı",
    "İ",
    "食",
    "。",
    "．",
    "\u{0}",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{fe0f}",
    "\u{301}",
    "\u{3099}",
    "\u{10ffff}",
    "\u{fffd}",
    " ",
    "\t",
    "\n",
    "\r",
    "\"",
    "'",
    "<",
    ">",
    "&",
    ",",
    ";",
    "株式会社",
    "GmbH",
    "Co.",
    "Ltd",
    "S.p.A.",
    "the",
    "linkedin.com/company/",
    "/in/",
    "08-146-6849",
    "-0001",
    "n/a",
    "㈱",
    "ﬁ",
    "Ⅻ",
    "①",
    "\u{1f600}",
    "\u{e000}",
    "\u{2028}",
    "ꙮ",
    "𝔄",
];

proptest! {
    // 3,000 cases of 10 inputs: 30,000 strings of up to 12 awkward pieces each.
    #![proptest_config(ProptestConfig { cases: 3_000, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn random_input_never_panics(inputs in prop::collection::vec(prop::collection::vec(prop::sample::select(PIECES), 0..12), 1..=10)) {
        for pieces in inputs {
            let s: String = pieces.concat();
            for k in Kind::ALL {
                let _ = k.apply(&s);
            }
            let _ = name_key(&s, Some(&s));
            let _ = domain::registrable_domain(&s);
            let _ = idna::decode(&s);
        }
    }
}

/// Bytes this thread allocates: what a test counts instead of timing (a wall clock flakes on a
/// loaded machine; a count does not). Per thread, so tests running beside it do not count.
mod allocated {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    thread_local! {
        static BYTES: Cell<usize> = const { Cell::new(0) };
    }

    pub struct Counting;

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            BYTES.with(|b| b.set(b.get() + l.size()));
            unsafe { System.alloc(l) }
        }
        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            unsafe { System.dealloc(p, l) }
        }
        unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
            BYTES.with(|b| b.set(b.get() + new));
            unsafe { System.realloc(p, l, new) }
        }
    }

    /// `f`'s result and the bytes this thread allocated while it ran.
    pub fn during<T>(f: impl FnOnce() -> T) -> (T, usize) {
        let before = BYTES.with(Cell::get);
        let r = f();
        (r, BYTES.with(Cell::get) - before)
    }
}

#[global_allocator]
static ALLOC: allocated::Counting = allocated::Counting;

/// Over-long inputs are refused before any work proportional to their length (beyond the one
/// scan of the length check): refusing a megabyte allocates nothing like a copy of it.
#[test]
fn huge_and_control_inputs_are_refused_before_any_work_on_them() {
    let big = "a".repeat(1 << 20);
    let big_dots = "a.".repeat(1 << 19);
    let controls: String = (0u8..32).map(char::from).cycle().take(1 << 20).collect();
    let small_controls: String = (1u8..32).map(char::from).collect();
    for k in Kind::ALL {
        for s in [&big, &big_dots, &controls] {
            let (r, bytes) = allocated::during(|| k.apply(s));
            assert_eq!(r, Err(Refusal::TooLong), "{k} on 1 MB");
            assert!(bytes < 4096, "{k} allocated {bytes} bytes refusing 1 MB: it worked on the value first");
        }
        assert!(k.apply(&small_controls).is_err(), "{k} on control characters");
    }
    let (r, bytes) = allocated::during(|| name_key(&big, Some(&big)));
    assert!(r.is_err());
    assert!(bytes < 4096, "name_key allocated {bytes} bytes refusing 1 MB");
}

#[test]
fn refusal_text_never_quotes_the_value() {
    let secret = "zq7secretvalue";
    let inputs = [
        secret.to_string(),
        format!("{secret}.con"),
        format!("{secret}@gmail.com"),
        format!("{secret} n/a"),
        format!("https://{secret}/"),
        format!("linkedin.com/in/{secret}"),
    ];
    for s in &inputs {
        for k in Kind::ALL {
            if let Err(r) = k.apply(s) {
                assert!(!r.to_string().contains(secret), "{k}: {r}");
                assert!(!format!("{r:?}").contains(secret), "{k}: {r:?}");
            }
        }
    }
    let e = normalize::normalize("nope", secret).unwrap_err();
    assert!(!e.to_string().contains(secret));
}
