//! Build script: the free-mail provider list as a compact hash set (see
//! src/normalize/freemail_set.rs), and its brand patterns (`yahoo.*`) as text; the Public Suffix
//! List in its front-coded form (see src/normalize/psl_compact.rs); the Unicode normalization
//! data, from the unicode-normalization crate (see src/normalize/unicode.rs).
use std::path::PathBuf;

#[path = "src/normalize/freemail_set.rs"]
mod freemail_set;

#[allow(dead_code)]
#[path = "src/normalize/psl_compact.rs"]
mod psl_compact;

#[path = "build/unicode.rs"]
mod unicode;

#[path = "build/idna.rs"]
mod idna;

#[allow(dead_code)]
#[path = "src/normalize/legal_forms_elf.rs"]
mod legal_forms_elf;

fn main() {
    // The free-mail set: the hand-maintained file and the three lists it names (the test
    // `freemail_set::tests::embedded_set_is_its_sources` holds the result to them).
    println!("cargo:rerun-if-changed=src/normalize/freemail_set.rs");
    let mut hashes = Vec::new();
    let mut brands = String::new();
    for src in freemail_set::SOURCES {
        let path = format!("src/normalize/data/{src}");
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).expect("a free-mail list");
        for line in freemail_set::entries(&text) {
            match line.strip_suffix(".*") {
                Some(brand) => {
                    brands.push_str(brand);
                    brands.push('\n');
                }
                None => hashes.push(freemail_set::hash(line)),
            }
        }
    }
    hashes.sort_unstable();
    hashes.dedup();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("free_mail.bin"), freemail_set::encode(&hashes)).expect("write");
    std::fs::write(out.join("free_mail_brands.txt"), brands).expect("write");

    let psl = "src/normalize/data/public_suffix_list.dat";
    println!("cargo:rerun-if-changed={psl}");
    println!("cargo:rerun-if-changed=src/normalize/psl_compact.rs");
    let dat = std::fs::read_to_string(psl).expect("the Public Suffix List");
    std::fs::write(out.join("psl_compact.txt"), psl_compact::encode(&dat)).expect("write");

    // Legal forms: the ISO 20275 code list through src/normalize/legal_forms_elf.rs, folded with
    // the same Unicode data the name rules use (the unicode-normalization crate).
    for f in [
        "src/normalize/data/elf_code_list.tsv",
        "src/normalize/data/legal_forms.txt",
        "src/normalize/data/countries.txt",
        "src/normalize/legal_forms_elf.rs",
    ] {
        println!("cargo:rerun-if-changed={f}");
    }
    let elf = std::fs::read_to_string("src/normalize/data/elf_code_list.tsv").expect("the ELF code list");
    let hand = std::fs::read_to_string("src/normalize/data/legal_forms.txt").expect("the legal forms");
    let countries = std::fs::read_to_string("src/normalize/data/countries.txt").expect("the countries");
    // Two-letter country codes and aliases (`UK`), as `normalize::country` reads them.
    let codes: std::collections::HashSet<String> = countries
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.split(['|', ';']).map(str::trim))
        .filter(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase)
        .collect();
    let fold = |s: &str| {
        legal_forms_elf::fold_words(
            s,
            |c, f| unicode_normalization::char::decompose_compatible(c, f),
            unicode_normalization::char::is_combining_mark,
        )
    };
    let derived = legal_forms_elf::derive(&elf, &hand, fold, |cc| codes.contains(cc));
    std::fs::write(out.join("legal_forms_elf.txt"), derived.join("\n") + "\n").expect("write");

    println!("cargo:rerun-if-changed=build/idna.rs");
    std::fs::write(out.join("idna.bin"), idna::encode()).expect("write");

    println!("cargo:rerun-if-changed=build/unicode.rs");
    std::fs::write(out.join("unicode.bin"), unicode::encode()).expect("write");
    let (a, b, c) = unicode_normalization::UNICODE_VERSION;
    println!("cargo:rustc-env=OVERLAP_UNICODE_VERSION={a}.{b}.{c}");
}
