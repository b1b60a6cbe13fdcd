//! Legal forms on generated company names in 26 locales: what stripping the whole ISO 20275 code
//! list (plus the hand-tuned table) does to real-looking names.
//!
//! `cargo test --test legal_forms -- --nocapture` prints the measures:
//! - **reduced to nothing**: a name, bare or with a legal form, whose canonical name is empty or
//!   refused (the rules never remove the last word; this holds them to it);
//! - **bare names merged**: two different bare names (no legal form; different after folding
//!   case, accents and punctuation) of one country that get one canonical name, i.e. a word that
//!   ends ordinary names was taken for a legal form (`Acme Bank` = `Acme`);
//! - **recall**: a bare name followed (or, where customary, preceded) by each legal form of its
//!   country, as the code list and the hand-tuned table write it, gives the bare name's key.
//!
//! The first two must be zero; recall is reported (and must stay above a floor).

use std::collections::{BTreeMap, HashMap, HashSet};

use overlap::normalize::legal_forms::LEGAL_FORMS;
use overlap::normalize::legal_forms_elf::{fold_words, judge};
use overlap::normalize::{name, name_key, unicode};

/// Locale → (country, distinctive words: family names, places, coined names; ordinary words that
/// end company names in that language: trades, and "bank", "group", "holding", "foundation"…).
const LOCALES: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "en-US",
        "US",
        &[
            "Hartley",
            "Rodriguez",
            "Blue Harbor",
            "Summit",
            "Northwind",
            "Keystone",
            "Redwood",
            "Maple Ridge",
            "Anderson",
            "Liberty",
        ],
        &[
            "Bank",
            "Group",
            "Holdings",
            "Partners",
            "Trust",
            "Foundation",
            "Capital",
            "Ventures",
            "Systems",
            "Logistics",
            "Foods",
            "Health",
            "Sons",
            "Brothers",
            "Credit Union",
            "Savings Bank",
            "Association",
            "Fund",
            "Institute",
            "Center",
        ],
    ),
    (
        "en-GB",
        "GB",
        &["Hughes", "Whitcombe", "Thames", "Pennine", "Blackwood", "Ashford", "Kingsley", "Marlow"],
        &[
            "Building Society",
            "Trust",
            "Group",
            "Holdings",
            "Partnership",
            "Bank",
            "Foods",
            "Engineering",
            "Consulting",
            "& Sons",
            "Charitable Trust",
            "Housing Association",
        ],
    ),
    (
        "de",
        "DE",
        &["Müller", "Schäfer", "Krein", "Weiß", "Alpen", "Rhein", "Bergmann", "Hoffmann", "Lindner", "Zimmermann"],
        &[
            "Bau",
            "Technik",
            "Versicherung",
            "Bank",
            "Stiftung",
            "Gruppe",
            "Holding",
            "Werke",
            "Logistik",
            "Energie",
            "Handel",
            "Immobilien",
            "Sparkasse",
            "Verein",
            "Genossenschaft",
            "Söhne",
        ],
    ),
    (
        "at",
        "AT",
        &["Gruber", "Huber", "Wagner", "Pichler", "Steiner", "Donau", "Tirol"],
        &["Bau", "Holz", "Privatstiftung", "Bank", "Gruppe", "Technik"],
    ),
    (
        "fr",
        "FR",
        &["Leroy", "Besnard", "Dupont", "Moreau", "Lefèvre", "Garonne", "Rivière", "Bonnet"],
        &[
            "Conseil",
            "Immobilier",
            "Transports",
            "Banque",
            "Fondation",
            "Groupe",
            "Assurances",
            "Industries",
            "Associés",
            "et Fils",
            "Mutuelle",
            "Coopérative",
        ],
    ),
    (
        "es",
        "ES",
        &["Núñez", "Pérez", "García", "Echeverría", "Ibérica", "Levante", "Castilla", "Moreno"],
        &[
            "Arquitectos",
            "Construcciones",
            "Banco",
            "Fundación",
            "Grupo",
            "Inversiones",
            "Seguros",
            "Asociados",
            "e Hijos",
            "Cooperativa",
            "Asociación",
            "Transportes",
        ],
    ),
    (
        "it",
        "IT",
        &["Rossi", "Bianchi", "Turchetta", "Ariosto", "Casadei", "Lombarda", "Adriatica", "Colombo"],
        &[
            "Costruzioni",
            "Banca",
            "Fondazione",
            "Gruppo",
            "Assicurazioni",
            "Impianti",
            "e Figli",
            "Consorzio",
            "Cooperativa",
            "Trasporti",
            "Associazione",
        ],
    ),
    (
        "pt",
        "PT",
        &["Gonçalves", "Sousa", "Ferreira", "Tejo", "Minho", "Almeida", "Carvalho"],
        &[
            "Têxteis",
            "Construções",
            "Banco",
            "Fundação",
            "Grupo",
            "Seguros",
            "& Filhos",
            "Cooperativa",
            "Associação",
            "Investimentos",
        ],
    ),
    (
        "pt-BR",
        "BR",
        &["Gomes", "Paulista", "Oliveira", "Carioca", "Santos", "Amazonas", "Ribeiro"],
        &["Alimentos", "Tecnologia", "Banco", "Fundação", "Grupo", "Participações", "Engenharia", "Cooperativa", "Seguros"],
    ),
    (
        "nl",
        "NL",
        &["van Stralen", "de Reede", "Jonker", "Poncelet", "Dijkstra", "Zeeland", "Vermeulen", "Bakker"],
        &[
            "Bouw",
            "Techniek",
            "Bank",
            "Stichting",
            "Groep",
            "Holding",
            "Vereniging",
            "Coöperatie",
            "Verzekeringen",
            "Installaties",
        ],
    ),
    (
        "be",
        "BE",
        &["Dupont Verheyen", "Van den Bossche", "Peeters", "Janssens", "Maes", "Wouters"],
        &["Bouw", "Bank", "Groep", "Fondation", "Vereniging", "Transport"],
    ),
    (
        "sv",
        "SE",
        &["Björk", "Thorén", "Lindberg", "Johansson", "Norrland", "Dalarna", "Ekström"],
        &["Bygg", "Bank", "Stiftelse", "Gruppen", "Holding", "Förening", "Sparbank", "Fastigheter", "Konsult", "Energi"],
    ),
    (
        "no",
        "NO",
        &["Nordlys", "Hansen", "Fjord", "Berg", "Solberg", "Vestland"],
        &["Energi", "Sparebank", "Stiftelse", "Gruppen", "Bygg", "Eiendom", "Forening"],
    ),
    (
        "da",
        "DK",
        &["Ørsted", "Mærsk", "Nielsen", "Jensen", "Jylland", "Kronborg"],
        &["Vind", "Shipping", "Bank", "Fond", "Gruppen", "Forening", "Andelsbank", "Byg"],
    ),
    (
        "fi",
        "FI",
        &["Kivi", "Metsä", "Virtanen", "Korhonen", "Saimaa", "Lappi"],
        &["Rakennus", "Pankki", "Säätiö", "Osuuspankki", "Säästöpankki", "Konsultointi", "Energia"],
    ),
    (
        "pl",
        "PL",
        &["Wiśniewski", "Kowalski", "Łódzkie", "Mazowsze", "Nowak", "Wawel"],
        &["Transport", "Bank", "Fundacja", "Grupa", "Spółdzielnia", "Budownictwo", "Stowarzyszenie", "Zakłady Metalowe"],
    ),
    (
        "cs",
        "CZ",
        &["Novák", "Svoboda", "Vltava", "Morava", "Dvořák"],
        &["Stavby", "Banka", "Nadace", "Skupina", "Družstvo", "Spolek", "Strojírny"],
    ),
    (
        "hu",
        "HU",
        &["Nagy", "Kovács", "Tisza", "Balaton", "Szabó"],
        &["Építő", "Bank", "Alapítvány", "Csoport", "Szövetkezet", "Egyesület", "Takarékszövetkezet"],
    ),
    (
        "ro",
        "RO",
        &["Popescu", "Ionescu", "Carpați", "Dunărea", "Moldovan"],
        &["Construcții", "Banca", "Fundația", "Grup", "Cooperativa", "Asociația", "Transport"],
    ),
    (
        "tr",
        "TR",
        &["Yılmaz", "Kaya", "Anadolu", "Boğaziçi", "Demir"],
        &["İnşaat", "Bankası", "Vakfı", "Grubu", "Holding", "Kooperatifi", "Derneği", "Sigorta"],
    ),
    (
        "ru",
        "RU",
        &["Ромашка", "Волга", "Сибирь", "Иванов", "Петров", "Урал"],
        &["Строй", "Банк", "Фонд", "Групп", "Холдинг", "Инвест", "Энерго", "Кооператив", "Ассоциация", "Транс"],
    ),
    (
        "uk",
        "UA",
        &["Дніпро", "Карпати", "Шевченко", "Коваленко", "Поділля"],
        &["Банк", "Фонд", "Група", "Будівництво", "Кооператив", "Асоціація", "Агро"],
    ),
    (
        "el",
        "GR",
        &["Παπαδόπουλος", "Ολυμπία", "Αιγαίο", "Κρήτη", "Μακεδονία"],
        &["Τράπεζα", "Ίδρυμα", "Όμιλος", "Ναυτιλιακή", "Ασφαλιστική", "Κατασκευές", "Συνεταιρισμός", "Ένωση"],
    ),
    (
        "ja",
        "JP",
        &["トヨタ", "田中", "佐々木", "山本", "富士", "日立", "サクラ"],
        &["自動車", "電機", "銀行", "商事", "建設", "製薬", "ホールディングス", "財団", "協同組合", "信用金庫"],
    ),
    (
        "zh-CN",
        "CN",
        &["华为", "阿里巴巴", "海尔", "长江", "东方", "联想"],
        &["科技", "银行", "集团", "控股", "电子", "实业", "投资", "基金会", "合作社", "企业"],
    ),
    ("zh-TW", "TW", &["台積", "鴻海", "長榮", "國泰", "統一"], &["電子", "銀行", "集團", "控股", "航運", "基金會", "合作社"]),
    (
        "ko",
        "KR",
        &["삼성", "현대", "한빛", "대한", "신세계", "카카오"],
        &["전자", "은행", "건설", "그룹", "홀딩스", "제약", "재단", "협동조합", "증권"],
    ),
    (
        "ar",
        "AE",
        &["الفطيم", "النخيل", "الخليج", "الإمارات", "دبي"],
        &["للتجارة", "بنك", "مجموعة", "القابضة", "للاستثمار", "للتأمين", "العقارية", "مؤسسة"],
    ),
    (
        "he",
        "IL",
        &["טבע", "אלביט", "כרמל", "גליל", "ירדן"],
        &["תעשיות", "בנק", "אחזקות", "טכנולוגיות", "השקעות", "ביטוח", "קרן", "אגודה"],
    ),
    (
        "id",
        "ID",
        &["Astra", "Sinar", "Nusantara", "Mandiri", "Garuda"],
        &["Bank", "Grup", "Koperasi", "Yayasan", "Teknologi", "Internasional", "Sejahtera"],
    ),
    (
        "vi",
        "VN",
        &["Hòa Phát", "Sài Gòn", "Hà Nội", "Việt Tiến", "Phú Mỹ"],
        &["Ngân hàng", "Tập đoàn", "Đầu tư", "Xây dựng", "Hợp tác xã", "Quỹ"],
    ),
];

/// Folding for "are these two bare names different": case, accents, punctuation only.
fn plain(s: &str) -> String {
    fold_words(s, |c, f| unicode::nfkd(c.encode_utf8(&mut [0; 4])).chars().for_each(f), unicode::is_combining_mark).join(" ")
}

/// Bare names of a locale: each distinctive word alone, with each ordinary word (after it, and
/// before it where languages put the trade first), and pairs of distinctive words.
fn bare_names(distinct: &[&str], ordinary: &[&str], cjk: bool) -> Vec<String> {
    let mut out = Vec::new();
    let sep = if cjk { "" } else { " " };
    for (i, d) in distinct.iter().enumerate() {
        out.push(d.to_string());
        for o in ordinary {
            out.push(format!("{d}{sep}{o}"));
            if !cjk {
                out.push(format!("{o} {d}"));
            }
        }
        let next = distinct[(i + 1) % distinct.len()];
        out.push(format!("{d} {next}"));
        out.push(format!("{d} & {next}"));
        for o in ordinary.iter().take(3) {
            out.push(format!("{d} {next}{sep}{o}"));
        }
    }
    out
}

/// The legal forms of a country: its hand-tuned line(s) and every form derived from the code
/// list for it (as written there); `^` marks the ones also written before the name.
fn forms_of(country: &str) -> Vec<String> {
    let fold =
        |s: &str| fold_words(s, |c, f| unicode::nfkd(c.encode_utf8(&mut [0; 4])).chars().for_each(f), unicode::is_combining_mark);
    let is_country = |cc: &str| overlap::normalize::country(cc).is_ok();
    let mut out: Vec<String> = Vec::new();
    for line in LEGAL_FORMS.lines().filter(|l| l.starts_with(&format!("{country} |"))) {
        out.extend(line.splitn(3, '|').nth(2).unwrap().split(';').map(|f| f.trim().to_string()).filter(|f| !f.is_empty()));
    }
    for (c, v) in judge(include_str!("../src/normalize/data/elf_code_list.tsv"), LEGAL_FORMS, fold, is_country) {
        if c.country == country && v.is_ok() {
            out.push(c.form.to_string());
        }
    }
    let mut seen = HashSet::new();
    out.retain(|f| seen.insert(f.clone()));
    out
}

#[test]
fn legal_forms_on_names_in_many_locales() {
    let mut bare_total = 0;
    let mut nothing: Vec<String> = Vec::new();
    let mut merged: Vec<String> = Vec::new();
    let (mut tried, mut recalled) = (0usize, 0usize);
    let mut misses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut per_locale = Vec::new();
    for &(locale, cc, distinct, ordinary) in LOCALES {
        let cjk = matches!(cc, "JP" | "CN" | "TW");
        let bares = bare_names(distinct, ordinary, cjk);
        let forms = forms_of(cc);
        assert!(!forms.is_empty(), "{locale}: no legal form for {cc}");
        bare_total += bares.len();
        let mut by_key: HashMap<String, String> = HashMap::new();
        let (mut t, mut r) = (0, 0);
        for bare in &bares {
            let key = match name_key(bare, Some(cc)) {
                Ok(k) if !k.starts_with('|') => k,
                got => {
                    nothing.push(format!("{locale} {bare:?} → {got:?}"));
                    continue;
                }
            };
            if let Some(other) = by_key.insert(key.clone(), bare.clone()) {
                if plain(&other) != plain(bare) {
                    merged.push(format!("{locale}: {other:?} and {bare:?} → {key:?}"));
                }
            }
            let want = name(bare).unwrap();
            for form in &forms {
                let (form, before) = match form.strip_prefix('^') {
                    Some(f) => (f, true),
                    None => (form.as_str(), false),
                };
                let mut written = vec![format!("{bare} {form}"), format!("{bare}, {form}")];
                // Chinese and Japanese write a CJK form without a space (a one-character 株 or
                // 有 is a form only as a word of its own, `(株)`).
                if cjk
                    && form.chars().filter(|c| !c.is_ascii()).count() >= 2
                    && !form.is_ascii()
                    && form.chars().all(|c| !c.is_ascii_alphabetic())
                {
                    written.push(format!("{bare}{form}"));
                }
                if before {
                    written.push(format!("{form} {bare}"));
                }
                for w in written {
                    t += 1;
                    match name(&w) {
                        Ok(got) if got == want => r += 1,
                        Ok(got) if !got.is_empty() => misses.entry(locale).or_default().push(format!("{w:?} → {got:?}")),
                        got => nothing.push(format!("{locale} {w:?} → {got:?}")),
                    }
                }
            }
        }
        per_locale.push(format!("{locale} {}/{} ({} forms)", r, t, forms.len()));
        tried += t;
        recalled += r;
    }
    println!("legal forms, {} locales, {bare_total} bare names, {tried} names with a legal form", LOCALES.len());
    println!("  reduced to nothing: {}", nothing.len());
    println!("  bare names merged: {}", merged.len());
    println!("  recall: {recalled}/{tried} = {:.2}%", 100.0 * recalled as f64 / tried as f64);
    println!("  by locale: {}", per_locale.join(", "));
    for (locale, m) in &misses {
        println!("  {locale}: {} misses, e.g. {}", m.len(), m.iter().take(4).cloned().collect::<Vec<_>>().join("; "));
    }
    assert!(LOCALES.len() >= 20 && bare_total >= 3000, "{} locales, {bare_total} bare names", LOCALES.len());
    assert!(nothing.is_empty(), "reduced to nothing:\n{}", nothing.join("\n"));
    assert!(merged.is_empty(), "bare names merged:\n{}", merged.join("\n"));
    assert!(recalled as f64 >= 0.95 * tried as f64, "recall {recalled}/{tried}");
}
