//! Quick mode's typed secret: how strong it is, and a strong one to suggest.
//!
//! The strength estimate is small and transparent (no big dictionary ships in the wasm). The
//! secret is split into the cheapest sequence of pieces an attacker would guess, and the bits of
//! the pieces are added:
//!
//! | piece | bits |
//! | --- | --- |
//! | one of the ~140 most common passwords and words (also with 0→o, 1→i or l, 3→e, 4→a, 5→s, 7→t, @→a, $→s) | log₂ 256, +1 with capitals, +1 with substitutions |
//! | a word of the suggestion wordlist (1,295 short words) | log₂ 1,295 ≈ 10.3, +1 with capitals |
//! | a keyboard run of 3 or more (`qwerty`, `asdf`, `1qaz`, …, either way) | log₂ 100 + log₂ length |
//! | a sequence of 3 or more code points going up or down by one (`abc`, `987`) | 1 + the character's bits + log₂ length |
//! | the same character 3 or more times | the character's bits + log₂ length |
//! | a year 1900–2099 | log₂ 200 |
//! | a separator (space, `-`, `_`, `.`, `,`, `/`) | log₂ 6 |
//! | any other character | log₂ of the alphabet the secret draws from: 26 per case of letters, 10 digits, 33 symbols, 100 for any non-ASCII |
//!
//! A secret is refused below [`MIN_CHARS`] characters or below [`MIN_BITS`] bits. Five words of
//! the wordlist pass (≈ 62 bits), four do not (≈ 49); twelve random lower-case letters pass
//! (≈ 56) unless they happen to hold a word or a run. [`suggest`] draws six words with the
//! platform's CSPRNG (≈ 62 bits of real entropy): short words are easier to read over the phone
//! than random characters.
//!
//! Errors and estimates never quote the secret, only which kinds of weakness were found.

use std::fmt;

/// Fewest characters of a typed secret.
pub const MIN_CHARS: usize = 12;
/// Most characters of a typed secret (the estimate's work grows with the length).
pub const MAX_CHARS: usize = 256;
/// Least estimated strength, in bits.
pub const MIN_BITS: u32 = 50;
/// Words in a suggested secret.
pub const SUGGESTED_WORDS: usize = 6;

const WORDS_TXT: &str = include_str!("words.txt");

/// The suggestion wordlist (sorted; comment lines skipped).
fn words() -> impl Iterator<Item = &'static str> + Clone {
    WORDS_TXT.lines().filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Number of words in the suggestion wordlist.
pub fn word_count() -> usize {
    words().count()
}

/// The most common passwords and words, lower case, sorted (no entry shorter than 4). A short
/// list on purpose: what it adds over the patterns is the words people actually reach for.
const COMMON: &[&str] = &[
    "abc123",
    "access",
    "account",
    "admin",
    "airborne",
    "alexander",
    "amanda",
    "andrew",
    "angel",
    "anthony",
    "apple",
    "ashley",
    "austin",
    "autumn",
    "bailey",
    "banana",
    "baseball",
    "basketball",
    "batman",
    "battery",
    "beautiful",
    "blink182",
    "business",
    "buster",
    "butterfly",
    "changeme",
    "charlie",
    "cheese",
    "chelsea",
    "chocolate",
    "company",
    "computer",
    "cookie",
    "corporate",
    "correct",
    "customer",
    "daniel",
    "default",
    "dragon",
    "eagle",
    "elephant",
    "england",
    "europe",
    "family",
    "ferrari",
    "flower",
    "football",
    "freedom",
    "friday",
    "friend",
    "gateway",
    "george",
    "ginger",
    "google",
    "guest",
    "hannah",
    "harley",
    "hello",
    "hockey",
    "horse",
    "hunter",
    "iloveyou",
    "internet",
    "jennifer",
    "jessica",
    "jordan",
    "joshua",
    "justin",
    "killer",
    "letmein",
    "liverpool",
    "login",
    "london",
    "love",
    "lovely",
    "maggie",
    "mapping",
    "master",
    "matrix",
    "matthew",
    "merlin",
    "michael",
    "michelle",
    "monday",
    "monkey",
    "mustang",
    "nicole",
    "ninja",
    "november",
    "office",
    "orange",
    "overlap",
    "partner",
    "pass",
    "passion",
    "password",
    "pepper",
    "phoenix",
    "pokemon",
    "princess",
    "private",
    "purple",
    "qwerty",
    "rainbow",
    "ranger",
    "robert",
    "sales",
    "samsung",
    "saturday",
    "secret",
    "security",
    "shadow",
    "share",
    "shared",
    "soccer",
    "spring",
    "staple",
    "starwars",
    "summer",
    "sunday",
    "sunshine",
    "superman",
    "system",
    "taylor",
    "tennis",
    "thomas",
    "thunder",
    "tigger",
    "trustno1",
    "tuesday",
    "welcome",
    "whatever",
    "william",
    "winter",
    "yankees",
    "zxcvbnm",
];

/// Keyboard rows and columns, each also read backwards.
const KEYBOARD: &[&str] = &[
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "qwertzuiop",
    "yxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    "zaq1xsw2cde3vfr4bgt5nhy6mju7",
];

/// A kind of weakness found in a typed secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weakness {
    /// One of the most common passwords or words.
    CommonPassword,
    /// Made of too few dictionary words.
    FewWords,
    /// A run of neighbouring keys.
    KeyboardRun,
    /// Characters going up or down by one (`abc`, `321`).
    Sequence,
    /// The same character again and again.
    Repeat,
    /// A year.
    Year,
    /// Few characters of few kinds.
    FewKinds,
}

impl Weakness {
    const ALL: [Weakness; 7] = [
        Weakness::CommonPassword,
        Weakness::FewWords,
        Weakness::KeyboardRun,
        Weakness::Sequence,
        Weakness::Repeat,
        Weakness::Year,
        Weakness::FewKinds,
    ];
    /// A stable machine-readable name.
    pub fn code(self) -> &'static str {
        match self {
            Weakness::CommonPassword => "common_password",
            Weakness::FewWords => "few_words",
            Weakness::KeyboardRun => "keyboard_run",
            Weakness::Sequence => "sequence",
            Weakness::Repeat => "repeat",
            Weakness::Year => "year",
            Weakness::FewKinds => "few_kinds",
        }
    }
    fn phrase(self) -> &'static str {
        match self {
            Weakness::CommonPassword => "it contains a common password or word",
            Weakness::FewWords => "it is only a few dictionary words",
            Weakness::KeyboardRun => "it contains a run of neighbouring keys (like qwerty)",
            Weakness::Sequence => "it contains a sequence (like abc or 123)",
            Weakness::Repeat => "it repeats a character",
            Weakness::Year => "it contains a year",
            Weakness::FewKinds => "it is short for the few kinds of characters it uses",
        }
    }
}

/// How strong a typed secret is estimated to be.
#[derive(Clone, Debug, PartialEq)]
pub struct Strength {
    /// Estimated bits (log₂ of the guesses the cheapest reading of the secret needs).
    pub bits: f64,
    /// The kinds of weakness in that cheapest reading (sorted, each once).
    pub weaknesses: Vec<Weakness>,
}

/// Why a typed secret is refused. Never quotes it.
#[derive(Clone, Debug, PartialEq)]
pub enum SecretError {
    /// Fewer than [`MIN_CHARS`] characters.
    TooShort {
        /// The minimum.
        min: usize,
    },
    /// More than [`MAX_CHARS`] characters.
    TooLong {
        /// The maximum.
        max: usize,
    },
    /// Estimated weaker than [`MIN_BITS`].
    Weak {
        /// The estimate, rounded down.
        bits: u32,
        /// The minimum.
        min_bits: u32,
        /// What makes it weak.
        weaknesses: Vec<Weakness>,
    },
    /// Not UTF-8 text (a secret file of raw bytes).
    NotText,
}

impl SecretError {
    /// A stable machine-readable code: `too_short`, `too_long`, `weak`, `not_text`.
    pub fn code(&self) -> &'static str {
        match self {
            SecretError::TooShort { .. } => "too_short",
            SecretError::TooLong { .. } => "too_long",
            SecretError::Weak { .. } => "weak",
            SecretError::NotText => "not_text",
        }
    }
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretError::TooShort { min } => write!(f, "the shared secret must be at least {min} characters long"),
            SecretError::TooLong { max } => write!(f, "the shared secret must be at most {max} characters long"),
            SecretError::Weak { bits, min_bits, weaknesses } => {
                write!(f, "the shared secret is too easy to guess (about {bits} bits by overlap's estimate, {min_bits} needed)")?;
                let reasons: Vec<&str> = weaknesses.iter().map(|w| w.phrase()).collect();
                if !reasons.is_empty() {
                    write!(f, ": {}", reasons.join("; "))?;
                }
                f.write_str(". Use a longer one with unrelated words, or a suggested one")
            }
            SecretError::NotText => f.write_str("the shared secret must be text (UTF-8)"),
        }
    }
}

impl std::error::Error for SecretError {}

/// Checks a typed secret: long enough and estimated strong enough.
///
/// # Errors
/// A [`SecretError`] saying why not.
pub fn check(secret: &str) -> Result<(), SecretError> {
    let n = secret.chars().count();
    if n < MIN_CHARS {
        return Err(SecretError::TooShort { min: MIN_CHARS });
    }
    if n > MAX_CHARS {
        return Err(SecretError::TooLong { max: MAX_CHARS });
    }
    let s = estimate(secret);
    if s.bits < f64::from(MIN_BITS) {
        return Err(SecretError::Weak { bits: s.bits.max(0.0) as u32, min_bits: MIN_BITS, weaknesses: s.weaknesses });
    }
    Ok(())
}

/// The bits of one character drawn from an alphabet of `pool` characters.
fn class_pool(c: char) -> u32 {
    match c {
        'a'..='z' | 'A'..='Z' => 26,
        '0'..='9' => 10,
        c if c.is_ascii() => 33,
        _ => 100,
    }
}

fn class_of(c: char) -> u8 {
    match c {
        'a'..='z' => 0,
        'A'..='Z' => 1,
        '0'..='9' => 2,
        c if c.is_ascii() => 3,
        _ => 4,
    }
}

fn unleet(c: char, one: char) -> char {
    match c {
        '0' => 'o',
        '1' => one,
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        c => c.to_ascii_lowercase(),
    }
}

/// Estimates a secret's strength (see the module's table). Quadratic in the length at worst:
/// [`check`] refuses secrets over [`MAX_CHARS`] before calling it.
pub fn estimate(secret: &str) -> Strength {
    let chars: Vec<char> = secret.chars().take(MAX_CHARS).collect();
    let n = chars.len();
    // The alphabet the secret draws from: every class it uses.
    let mut classes = [false; 5];
    for &c in &chars {
        classes[class_of(c) as usize] = true;
    }
    let pool: u32 = [26, 26, 10, 33, 100].iter().zip(classes).filter(|(_, on)| *on).map(|(p, _)| p).sum();
    let char_bits = f64::from(pool.max(2)).log2();
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    // The common list is looked up as typed (lower-cased) and with digits and symbols read as
    // the letters they stand in for.
    let variants: [Vec<char>; 3] =
        [lower.clone(), chars.iter().map(|&c| unleet(c, 'i')).collect(), chars.iter().map(|&c| unleet(c, 'l')).collect()];
    let list: Vec<&str> = words().collect();
    let common_bits = (COMMON.len().next_power_of_two() as f64).log2();
    let word_bits = (word_count() as f64).log2();
    let keyboard_bits = 100f64.log2();

    // best[j]: the cheapest reading of chars[..j]; how[j]: (start, weakness) of its last piece.
    let mut best = vec![f64::INFINITY; n + 1];
    let mut how: Vec<(usize, Option<Weakness>)> = vec![(0, None); n + 1];
    best[0] = 0.0;
    let mut buf = String::new();
    for i in 0..n {
        if !best[i].is_finite() {
            continue;
        }
        let base = best[i];
        let mut offer = |j: usize, bits: f64, w: Option<Weakness>, best: &mut Vec<f64>| {
            if base + bits < best[j] {
                best[j] = base + bits;
                how[j] = (i, w);
            }
        };
        // One character.
        let c = chars[i];
        let one = if " -_.,/".contains(c) { 6f64.log2() } else { char_bits };
        offer(i + 1, one, None, &mut best);
        // Repeats.
        let mut j = i + 1;
        while j < n && chars[j] == c {
            j += 1;
        }
        if j - i >= 3 {
            for end in i + 3..=j {
                offer(end, f64::from(class_pool(c)).log2() + ((end - i) as f64).log2(), Some(Weakness::Repeat), &mut best);
            }
        }
        // Sequences up or down by one code point.
        for step in [1i64, -1] {
            let mut j = i + 1;
            while j < n && i64::from(u32::from(chars[j])) - i64::from(u32::from(chars[j - 1])) == step {
                j += 1;
            }
            if j - i >= 3 {
                for end in i + 3..=j {
                    offer(
                        end,
                        1.0 + f64::from(class_pool(c)).log2() + ((end - i) as f64).log2(),
                        Some(Weakness::Sequence),
                        &mut best,
                    );
                }
            }
        }
        // Keyboard runs.
        for row in KEYBOARD {
            for forward in [true, false] {
                let keys: Vec<char> = if forward { row.chars().collect() } else { row.chars().rev().collect() };
                let Some(start) = keys.iter().position(|&k| k == lower[i]) else { continue };
                let mut len = 1;
                while i + len < n && start + len < keys.len() && keys[start + len] == lower[i + len] {
                    len += 1;
                }
                for l in 3..=len {
                    offer(i + l, keyboard_bits + (l as f64).log2(), Some(Weakness::KeyboardRun), &mut best);
                }
            }
        }
        // Years.
        if i + 4 <= n && chars[i..i + 4].iter().all(char::is_ascii_digit) {
            let y: String = chars[i..i + 4].iter().collect();
            if ("1900".."2100").contains(&y.as_str()) {
                offer(i + 4, 200f64.log2(), Some(Weakness::Year), &mut best);
            }
        }
        // Dictionary words: the wordlist (lower case) and the common list (also un-leeted).
        let caps = |end: usize| if chars[i..end].iter().any(char::is_ascii_uppercase) { 1.0 } else { 0.0 };
        for end in i + 3..=(i + 12).min(n) {
            buf.clear();
            buf.extend(&lower[i..end]);
            if list.binary_search(&buf.as_str()).is_ok() {
                offer(end, word_bits + caps(end), Some(Weakness::FewWords), &mut best);
            }
            for variant in &variants {
                buf.clear();
                buf.extend(&variant[i..end]);
                if end - i >= 4 && COMMON.binary_search(&buf.as_str()).is_ok() {
                    let leet = if variant[i..end] != lower[i..end] { 1.0 } else { 0.0 };
                    offer(end, common_bits + caps(end) + leet, Some(Weakness::CommonPassword), &mut best);
                }
            }
        }
    }
    // The kinds of weakness on the cheapest reading, each once, in the enum's order.
    let mut found = 0u8;
    let mut j = n;
    let mut singles = 0;
    while j > 0 {
        let (i, w) = how[j];
        match w {
            Some(w) => found |= 1 << w as u8,
            None => singles += 1,
        }
        j = i;
    }
    let bits = best[n];
    if bits < f64::from(MIN_BITS) && singles > 0 && classes.iter().filter(|c| **c).count() <= 2 {
        found |= 1 << Weakness::FewKinds as u8;
    }
    let weaknesses = Weakness::ALL.into_iter().filter(|w| found & (1 << *w as u8) != 0).collect();
    Strength { bits, weaknesses }
}

/// A strong secret to read to the partner: [`SUGGESTED_WORDS`] words of the wordlist drawn with
/// the platform's CSPRNG, joined by `-` (≈ 62 bits).
///
/// # Errors
/// When the platform gives no randomness.
pub fn suggest() -> Result<String, getrandom::Error> {
    let list: Vec<&str> = words().collect();
    let n = list.len() as u32;
    // Rejection sampling: uniform over the list.
    let limit = (1u32 << 16) / n * n;
    let mut out = Vec::with_capacity(SUGGESTED_WORDS);
    while out.len() < SUGGESTED_WORDS {
        let mut b = [0u8; 2];
        getrandom::fill(&mut b)?;
        let r = u32::from(u16::from_le_bytes(b));
        if r < limit {
            out.push(list[(r % n) as usize]);
        }
    }
    Ok(out.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_clean() {
        let w: Vec<&str> = words().collect();
        assert_eq!(w.len(), 1295);
        assert!(w.windows(2).all(|p| p[0] < p[1]), "wordlist sorted, no duplicates");
        assert!(w.iter().all(|x| (3..=5).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_lowercase())));
        assert!(COMMON.windows(2).all(|p| p[0] < p[1]), "common list sorted");
        assert!(COMMON.iter().all(|x| x.len() >= 4 && *x == x.to_lowercase()));
    }

    fn weak(s: &str) -> Vec<Weakness> {
        match check(s) {
            Err(SecretError::Weak { weaknesses, .. }) => weaknesses,
            other => panic!("{s:?} should be refused as weak, got {other:?}"),
        }
    }

    #[test]
    fn weak_secrets_are_refused_with_their_reasons() {
        assert_eq!(check("short"), Err(SecretError::TooShort { min: 12 }));
        assert_eq!(check("elevenchars"), Err(SecretError::TooShort { min: 12 }));
        assert_eq!(check(&"x".repeat(257)), Err(SecretError::TooLong { max: 256 }));
        assert!(weak("Password1234!").contains(&Weakness::CommonPassword));
        assert!(weak("P4ssw0rd2024").contains(&Weakness::CommonPassword));
        assert!(weak("Summer2024!!").contains(&Weakness::Year));
        assert!(weak("qwertyuiop12").contains(&Weakness::KeyboardRun));
        assert!(weak("abcdefghijklmnop").contains(&Weakness::Sequence));
        assert!(weak("aaaaaaaaaaaaaaaaaaaa").contains(&Weakness::Repeat));
        assert!(weak("acid-acorn-acre-acts").contains(&Weakness::FewWords), "four words are not enough");
        assert!(weak("overlapoverlap").contains(&Weakness::CommonPassword));
        assert!(weak("correct horse battery staple").contains(&Weakness::CommonPassword));
        // Twelve digits: few kinds.
        assert!(weak("804137296581").contains(&Weakness::FewKinds));
    }

    #[test]
    fn strong_secrets_pass() {
        for s in [
            "acid-acorn-acre-acts-afar", // five words
            "tqzmvkwhxbpr",              // 12 random letters
            "Vq7#kz!9Lm2$",              // 12 random of every class
            "my cat Quibble ate 3 wasps in Oslo",
            "Zürich-Kaffee-um-halb-sieben",
        ] {
            assert_eq!(check(s), Ok(()), "{s:?}: {:?}", estimate(s));
        }
    }

    #[test]
    fn suggestions_are_six_words_and_pass() {
        let list: Vec<&str> = words().collect();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let s = suggest().unwrap();
            let parts: Vec<&str> = s.split('-').collect();
            assert_eq!(parts.len(), SUGGESTED_WORDS);
            assert!(parts.iter().all(|p| list.binary_search(p).is_ok()));
            let e = estimate(&s);
            assert!(e.bits >= 62.0, "{e:?}");
            assert_eq!(check(&s), Ok(()));
            seen.insert(s);
        }
        assert_eq!(seen.len(), 200, "suggestions differ");
    }

    #[test]
    fn errors_never_quote_the_secret() {
        for s in ["Password1234!", "qwertyuiop12", "acid-acorn-acre-acts"] {
            let msg = check(s).unwrap_err().to_string();
            assert!(!msg.contains(s) && !msg.to_lowercase().contains("password1234") && !msg.contains("acorn"), "{msg}");
        }
    }
}
