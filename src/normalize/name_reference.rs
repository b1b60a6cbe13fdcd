//! The company-name normalization before its fast paths (a word list, a lookup per candidate form,
//! NFKD for every input), kept to check that the fast paths give the same canonical names
//! (`name::tests::fast_paths_agree_with_the_reference`). Test-only.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::fold::{fold_general, is_cjk};
use super::legal_forms::{legal_forms, LegalForm, CONNECTORS};
use super::text::{self, FxHasher};
use super::Refusal;

type Set = HashSet<String, BuildHasherDefault<FxHasher>>;

struct Forms {
    suffix: Set,
    prefix: Set,
    cjk_suffix: Vec<String>,
    cjk_prefix: Vec<String>,
    max_words: usize,
}

pub(crate) fn fold(s: &str) -> String {
    let mut out = String::new();
    fold_general(s, &mut out);
    out
}

fn forms() -> &'static Forms {
    static F: OnceLock<Forms> = OnceLock::new();
    F.get_or_init(|| {
        let mut f = Forms {
            suffix: Set::default(),
            prefix: Set::default(),
            cjk_suffix: Vec::new(),
            cjk_prefix: Vec::new(),
            max_words: 1,
        };
        // The table is read as the production code reads it, but folded by the general
        // path: what is compared below is the matching.
        for LegalForm { joined, words, at_start } in legal_forms(fold) {
            f.max_words = f.max_words.max(words);
            if joined.chars().all(is_cjk) && joined.chars().count() >= 2 {
                f.cjk_suffix.push(joined.clone());
                if at_start {
                    f.cjk_prefix.push(joined.clone());
                }
            }
            if at_start {
                f.prefix.insert(joined.clone());
            }
            f.suffix.insert(joined);
        }
        f.cjk_suffix.sort_by_key(|s| std::cmp::Reverse(s.len()));
        f.cjk_prefix.sort_by_key(|s| std::cmp::Reverse(s.len()));
        f
    })
}

pub(crate) fn name(raw: &str) -> Result<String, Refusal> {
    let s = text::cell(raw, super::name::MAX_INPUT)?;
    let folded = fold(s);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Err(Refusal::Empty);
    }
    trim(&mut words);
    Ok(join_collapsing_initials(&words))
}

fn trim(words: &mut Vec<&str>) {
    let f = forms();
    let mut buf = String::new();
    loop {
        let mut changed = false;
        if words.len() > 1 && words[0] == "the" {
            words.remove(0);
            changed = true;
        }
        let max = f.max_words.min(words.len() - 1);
        for k in (1..=max).rev() {
            buf.clear();
            words[words.len() - k..].iter().for_each(|w| buf.push_str(w));
            if f.suffix.contains(buf.as_str()) {
                words.truncate(words.len() - k);
                if words.len() > 1 && CONNECTORS.contains(&words[words.len() - 1]) {
                    words.pop();
                }
                changed = true;
                break;
            }
        }
        let max = f.max_words.min(words.len() - 1);
        for k in (1..=max).rev() {
            buf.clear();
            words[..k].iter().for_each(|w| buf.push_str(w));
            if f.prefix.contains(buf.as_str()) {
                words.drain(..k);
                changed = true;
                break;
            }
        }
        if let Some(last) = words.last_mut() {
            if let Some(form) = f.cjk_suffix.iter().find(|p| last.len() > p.len() && last.ends_with(p.as_str())) {
                *last = &last[..last.len() - form.len()];
                changed = true;
            }
        }
        if let Some(first) = words.first_mut() {
            if let Some(form) = f.cjk_prefix.iter().find(|p| first.len() > p.len() && first.starts_with(p.as_str())) {
                *first = &first[form.len()..];
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

fn join_collapsing_initials(words: &[&str]) -> String {
    let mut out = String::new();
    let initial = |w: &str| w.len() == 1 && w.as_bytes()[0].is_ascii_alphanumeric();
    for (i, w) in words.iter().enumerate() {
        let joins = i > 0 && initial(w) && initial(words[i - 1]);
        if i > 0 && !joins {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}
