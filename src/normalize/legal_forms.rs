//! Legal forms: the hand-tuned table (`data/legal_forms.txt`) and the forms derived at build time
//! from the ISO 20275 code list ([`super::legal_forms_elf`]), indexed for matching at either end
//! of a company name (step 3 of [`mod@super::name`]'s module doc).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::fold::{fold, is_cjk};
use super::text::FxHasher;

/// The hand-tuned legal-form table (ISO 20275 ELF forms as CRMs spell them, start-of-name forms,
/// and the stop list the derivation applies).
pub const LEGAL_FORMS: &str = include_str!("data/legal_forms.txt");

/// The legal forms derived at build time from the whole ISO 20275 code list
/// (`data/elf_code_list.tsv`, see [`super::legal_forms_elf`]): one form per line, as the list
/// writes it, matched at the end of a name only.
pub const DERIVED_LEGAL_FORMS: &str = include_str!(concat!(env!("OUT_DIR"), "/legal_forms_elf.txt"));

/// Words a legal form can leave dangling at the end (`Smith & Co.` → `smith and` → `smith`).
pub(crate) const CONNECTORS: &[&str] = &["and", "und", "et", "y", "e", "en", "och", "og", "i"];

pub(crate) type Map = HashMap<String, bool, BuildHasherDefault<FxHasher>>;

/// The legal forms matched at one end of a name, with what lets most names skip the lookups.
///
/// Matching the last (first) `k` words joined is looked up for `k` = 1, 2, … and stops at the
/// first join that is not a piece of any form: every piece of a form from its matched end
/// (`ltd`, `coltd` of `coltd` at the end) is a key of `pieces`, marked whether it is a whole form.
/// So the longest form that matches is found with about one lookup per word it has, and a name
/// whose end is no piece of any form (`systems`, `1234`) with one or none.
pub(crate) struct Affixes {
    /// Each piece of a form from its matched end (whole characters) → whether it is a form.
    pub(crate) pieces: Map,
    /// The last two bytes of each piece, the last first (for prefixes: the first two), as bits
    /// (a one-byte piece: that byte and 0): a word that is no piece is mostly ruled out here.
    pub(crate) edges: Vec<u64>,
    /// The same of the other end of each piece (its first two bytes for suffixes): a join of
    /// words that is no piece is mostly ruled out without a lookup.
    pub(crate) other_edges: Vec<u64>,
    /// Longest form, in bytes.
    pub(crate) max_len: usize,
    /// Forms matched at the start of a name (else at the end).
    pub(crate) at_start: bool,
}

impl Affixes {
    pub(crate) fn new(at_start: bool) -> Affixes {
        Affixes { pieces: Map::default(), edges: vec![0; 1 << 10], other_edges: vec![0; 1 << 10], max_len: 0, at_start }
    }

    /// Adds a form matched at the end of a name: the pieces are its suffixes.
    pub(crate) fn add_suffix(&mut self, form: &str) {
        for (i, _) in form.char_indices() {
            let piece = &form[i..];
            set_bit(&mut self.edges, Affixes::suffix_edge(piece));
            set_bit(&mut self.other_edges, Affixes::prefix_edge(piece));
            self.pieces.entry(piece.to_string()).or_insert(false);
        }
        self.add(form);
    }

    /// Adds a form matched at the start of a name: the pieces are its prefixes.
    pub(crate) fn add_prefix(&mut self, form: &str) {
        for (i, c) in form.char_indices() {
            let piece = &form[..i + c.len_utf8()];
            set_bit(&mut self.edges, Affixes::prefix_edge(piece));
            set_bit(&mut self.other_edges, Affixes::suffix_edge(piece));
            self.pieces.entry(piece.to_string()).or_insert(false);
        }
        self.add(form);
    }

    pub(crate) fn add(&mut self, form: &str) {
        self.pieces.insert(form.to_string(), true);
        self.max_len = self.max_len.max(form.len());
    }

    /// The last byte and the one before it (0 for a one-byte word), as one number.
    pub(crate) fn suffix_edge(w: &str) -> usize {
        let b = w.as_bytes();
        let n = b.len();
        usize::from(b[n - 1]) << 8 | if n > 1 { usize::from(b[n - 2]) } else { 0 }
    }

    /// The first byte and the one after it (0 for a one-byte word), as one number.
    pub(crate) fn prefix_edge(w: &str) -> usize {
        let b = w.as_bytes();
        usize::from(b[0]) << 8 | usize::from(b.get(1).copied().unwrap_or(0))
    }

    /// The largest `k` in `1..=max` for which the `k` words `take(k)` (the last or first `k`)
    /// joined without spaces are a form; `edge` is [`Affixes::suffix_edge`] (or `prefix_edge`) of
    /// the end word.
    pub(crate) fn longest<'a>(
        &self,
        max: usize,
        edge: usize,
        buf: &mut String,
        take: impl Fn(usize) -> &'a [&'a str],
    ) -> Option<usize> {
        if max == 0 || !has_bit(&self.edges, edge) {
            return None;
        }
        // Which end of a join is the other one.
        let other = if self.at_start { Affixes::suffix_edge } else { Affixes::prefix_edge };
        let mut found = None;
        for k in 1..=max {
            buf.clear();
            take(k).iter().for_each(|w| buf.push_str(w));
            if buf.len() > self.max_len || (k > 1 && !has_bit(&self.other_edges, other(buf))) {
                break;
            }
            match self.pieces.get(buf.as_str()) {
                None => break,
                Some(&whole) => {
                    if whole {
                        found = Some(k);
                    }
                }
            }
        }
        found
    }
}

pub(crate) fn set_bit(bits: &mut [u64], i: usize) {
    bits[i >> 6] |= 1 << (i & 63);
}

pub(crate) fn has_bit(bits: &[u64], i: usize) -> bool {
    bits[i >> 6] & (1 << (i & 63)) != 0
}

pub(crate) struct Forms {
    /// Folded forms with spaces removed (`coltd`, `spzoo`), matched at the end.
    pub(crate) suffix: Affixes,
    /// Forms also removed at the start of a name.
    pub(crate) prefix: Affixes,
    /// CJK forms, also matched inside the last (first) word.
    pub(crate) cjk_suffix: Vec<String>,
    pub(crate) cjk_prefix: Vec<String>,
    /// Most words in one form.
    pub(crate) max_words: usize,
}

pub(crate) fn forms() -> &'static Forms {
    static F: OnceLock<Forms> = OnceLock::new();
    F.get_or_init(|| {
        let mut f = Forms {
            suffix: Affixes::new(false),
            prefix: Affixes::new(true),
            cjk_suffix: Vec::new(),
            cjk_prefix: Vec::new(),
            max_words: 1,
        };
        for LegalForm { joined, words, at_start } in legal_forms(fold) {
            f.max_words = f.max_words.max(words);
            // In-word matching only for forms of two or more characters: a single 株 or 有 is
            // a form only as a word of its own ("(株)").
            if joined.chars().all(is_cjk) && joined.chars().count() >= 2 {
                f.cjk_suffix.push(joined.clone());
                if at_start {
                    f.cjk_prefix.push(joined.clone());
                }
            }
            if at_start {
                f.prefix.add_prefix(&joined);
            }
            f.suffix.add_suffix(&joined);
        }
        // Longest first, so 股份有限公司 wins over 有限公司.
        f.cjk_suffix.sort_by_key(|s| std::cmp::Reverse(s.len()));
        f.cjk_prefix.sort_by_key(|s| std::cmp::Reverse(s.len()));
        f
    })
}

/// A form of the legal-forms table, folded: its words joined without spaces.
pub(crate) struct LegalForm {
    pub(crate) joined: String,
    /// How many words it has.
    pub(crate) words: usize,
    /// Also customary at the start of a name (`^` in the table).
    pub(crate) at_start: bool,
}

/// The forms of [`LEGAL_FORMS`] and then of [`DERIVED_LEGAL_FORMS`], each folded with `fold`;
/// forms that fold to nothing are skipped.
pub(crate) fn legal_forms(fold: fn(&str) -> String) -> impl Iterator<Item = LegalForm> {
    let hand = LEGAL_FORMS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('!') && !l.trim().is_empty())
        .filter_map(|line| line.splitn(3, '|').nth(2))
        .flat_map(|list| list.split(';').map(str::trim).filter(|s| !s.is_empty()));
    let derived = DERIVED_LEGAL_FORMS.lines().map(str::trim).filter(|s| !s.is_empty());
    hand.chain(derived).filter_map(move |form| {
        let (at_start, form) = match form.strip_prefix('^') {
            Some(f) => (true, f),
            None => (false, form),
        };
        let folded = fold(form);
        let words = folded.split(' ').filter(|w| !w.is_empty()).count();
        let joined: String = folded.split(' ').collect();
        (!joined.is_empty()).then_some(LegalForm { joined, words, at_start })
    })
}
