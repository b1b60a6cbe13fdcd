//! The free-mail provider set, compactly: 32-bit FNV-1a hashes of the domains, sorted, their gaps
//! Rice-coded (about 16.5 bits per domain, where the text would take 8 to 12 times as much).
//! Built from the union of [`SOURCES`] by `build.rs` (which `include!`s this file for [`hash`]
//! and [`encode`], so both sides hash alike) and decoded once at first use.
//!
//! A lookup answers "listed" for an unlisted domain with probability n / 2³² (about 6 in 1,000,000
//! for the ~24,000 domains): such a domain's contact emails would be ignored, its website still
//! keys it.

/// The files of `src/normalize/data/` whose union is the set: the hand-maintained one (brand
/// patterns, providers the lists miss), HubSpot's free email domains, the maintained disposable
/// list (docs/NORMALIZATION.md says why npm's larger `disposable-email-domains` is not one).
#[allow(dead_code)]
pub const SOURCES: [&str; 3] = ["free_mail.txt", "free_mail/hubspot.txt", "free_mail/disposable-pypi.txt"];

/// The entries of one of [`SOURCES`]: its lines without comments and blank lines.
#[allow(dead_code)]
pub fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// FNV-1a, 32 bits.
pub fn hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Rice parameter: gaps between n sorted uniform 32-bit values average 2³² / n.
fn rice_k(n: usize) -> u32 {
    let mean = (1u64 << 32) / (n.max(1) as u64);
    63 - mean.max(1).leading_zeros()
}

/// `[count u32 LE][k u8]` then, per gap, the quotient in unary (ones, then a zero) and the `k` low
/// bits, most significant bit first.
#[allow(dead_code)]
pub fn encode(sorted: &[u32]) -> Vec<u8> {
    let k = rice_k(sorted.len());
    let mut bits: Vec<bool> = Vec::new();
    let mut prev = 0u32;
    for &v in sorted {
        let gap = u64::from(v - prev);
        prev = v;
        bits.extend(std::iter::repeat_n(true, (gap >> k) as usize));
        bits.push(false);
        bits.extend((0..k).rev().map(|i| (gap >> i) & 1 == 1));
    }
    let mut out = (sorted.len() as u32).to_le_bytes().to_vec();
    out.push(k as u8);
    out.extend(bits.chunks(8).map(|c| c.iter().enumerate().fold(0u8, |b, (i, &x)| b | (u8::from(x) << (7 - i)))));
    out
}

/// Decodes [`encode`]'s bytes; `None` if they are malformed. Reads a byte at a time: the run of
/// ones of a quotient by counting leading ones, the `k` low bits in at most a few steps.
#[allow(dead_code)]
pub fn decode(bytes: &[u8]) -> Option<Vec<u32>> {
    let n = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let k = usize::from(*bytes.get(4)?);
    let bits = bytes.get(5..)?;
    let total = bits.len() * 8;
    let mut pos = 0usize;
    let mut out = Vec::with_capacity(n.min(bits.len() * 8));
    let mut prev = 0u64;
    for _ in 0..n {
        // The quotient: ones up to the first zero.
        let mut q = 0u64;
        loop {
            if pos >= total {
                return None;
            }
            let avail = 8 - pos % 8;
            let ones = ((bits[pos / 8] << (pos % 8)).leading_ones() as usize).min(avail);
            q += ones as u64;
            pos += ones;
            if ones < avail {
                pos += 1;
                break;
            }
        }
        // The remainder: k bits, most significant first.
        let mut r = 0u64;
        let mut need = k;
        while need > 0 {
            if pos >= total {
                return None;
            }
            let avail = 8 - pos % 8;
            let take = avail.min(need);
            let v = (u64::from(bits[pos / 8]) >> (avail - take)) & ((1 << take) - 1);
            r = (r << take) | v;
            need -= take;
            pos += take;
        }
        prev += (q << k) | r;
        out.push(u32::try_from(prev).ok()?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoder as it was, a bit at a time: the reference for the byte-wise one.
    fn decode_bitwise(bytes: &[u8]) -> Option<Vec<u32>> {
        let n = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
        let k = u32::from(*bytes.get(4)?);
        let bits = bytes.get(5..)?;
        let mut pos = 0usize;
        let mut bit = || -> Option<u64> {
            let b = (bits.get(pos / 8)? >> (7 - pos % 8)) & 1;
            pos += 1;
            Some(u64::from(b))
        };
        let mut out = Vec::new();
        let mut prev = 0u64;
        for _ in 0..n {
            let mut q = 0u64;
            while bit()? == 1 {
                q += 1;
            }
            let mut r = 0u64;
            for _ in 0..k {
                r = (r << 1) | bit()?;
            }
            prev += (q << k) | r;
            out.push(u32::try_from(prev).ok()?);
        }
        Some(out)
    }

    #[test]
    fn decoders_agree() {
        let embedded = super::super::email::EMBEDDED_DOMAINS;
        assert_eq!(decode(embedded), decode_bitwise(embedded));
        for cut in [5, 6, 100, 1000, embedded.len() - 1] {
            assert_eq!(decode(&embedded[..cut]), decode_bitwise(&embedded[..cut]), "cut at {cut}");
        }
        for n in [1usize, 2, 3, 50, 7000] {
            let mut v: Vec<u32> = (0..n as u32).map(|i| hash(&format!("d{i}.test")).wrapping_mul(i | 1)).collect();
            v.sort_unstable();
            v.dedup();
            assert_eq!(decode(&encode(&v)).as_ref(), Some(&v));
        }
    }

    #[test]
    fn round_trip() {
        let mut v: Vec<u32> = (0..5000u32).map(|i| hash(&format!("domain{i}.example"))).collect();
        v.sort_unstable();
        v.dedup();
        assert_eq!(decode(&encode(&v)).unwrap(), v);
        assert_eq!(decode(&encode(&[])).unwrap(), Vec::<u32>::new());
        assert!(decode(&encode(&v)[..100]).is_none(), "truncated input is refused");
    }

    /// The three source files, read here on their own (not through [`SOURCES`]).
    const FILES: [(&str, &str); 3] = [
        ("free_mail.txt", include_str!("data/free_mail.txt")),
        ("hubspot.txt", include_str!("data/free_mail/hubspot.txt")),
        ("disposable-pypi.txt", include_str!("data/free_mail/disposable-pypi.txt")),
    ];

    /// The domains of one file, checking its `# ENTRIES: N kept` header where it has one.
    fn domains(name: &str, text: &str) -> Vec<String> {
        let list: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.ends_with(".*"))
            .map(str::to_string)
            .collect();
        if let Some(h) = text.lines().find_map(|l| l.strip_prefix("# ENTRIES: ")) {
            let n: usize = h.split(' ').next().unwrap().parse().unwrap();
            assert_eq!(list.len(), n, "{name}: header and entries disagree");
        }
        list
    }

    #[test]
    fn embedded_set_is_its_sources() {
        use crate::normalize::{domain, email, Refusal};
        let mut want: Vec<u32> = Vec::new();
        let mut sizes = Vec::new();
        let mut refused_otherwise = Vec::new();
        for (name, text) in FILES {
            let list = domains(name, text);
            sizes.push((name, list.len()));
            for d in &list {
                want.push(hash(d));
                // Every listed domain, and any subdomain of it, is refused for an email (a listed
                // public suffix, such as dyndns.org, is itself refused; its subdomains are
                // registrable domains of their own, `x.dyndns.org`, not the provider's).
                let got = email(&format!("jo@{d}"));
                if got != Err(Refusal::FreeMail) {
                    refused_otherwise.push((d.clone(), got));
                    continue;
                }
                if domain(d).as_deref() == Ok(d.as_str()) {
                    assert_eq!(email(&format!("jo@x.{d}")), Err(Refusal::FreeMail), "x.{d}");
                }
            }
        }
        want.sort_unstable();
        want.dedup();
        let embedded = decode(super::super::email::EMBEDDED_DOMAINS).expect("decodes");
        assert_eq!(embedded.len(), want.len(), "embedded set size vs the union of {sizes:?}");
        assert!(embedded == want, "the embedded set is not the union of its sources");
        // The lists are large; a handful of entries are no registrable domain under the PSL of
        // this version (a bare public suffix, an unknown top-level domain): email() refuses those
        // for that reason before asking the list.
        for (d, got) in &refused_otherwise {
            assert!(
                matches!(
                    got,
                    Err(Refusal::PublicSuffix
                        | Refusal::UnknownTld
                        | Refusal::Placeholder
                        | Refusal::Localhost
                        | Refusal::InvalidCharacter
                        | Refusal::MalformedHost)
                ),
                "{d}: {got:?}"
            );
        }
        assert!(refused_otherwise.len() < 200, "{} entries refused otherwise", refused_otherwise.len());
        let mut by_code = std::collections::BTreeMap::new();
        for (_, got) in &refused_otherwise {
            *by_code.entry(got.as_ref().err().map_or("ok", |r| r.code())).or_insert(0) += 1;
        }
        println!("free-mail: {sizes:?}, union {} hashes; refused otherwise: {by_code:?}", want.len());
        // HubSpot's corporate entries are refused as emails; the companies' websites still key.
        assert_eq!(email("jo@facebook.com"), Err(Refusal::FreeMail));
        assert_eq!(email("jo@msn.com"), Err(Refusal::FreeMail));
        assert_eq!(domain("https://www.facebook.com/").as_deref(), Ok("facebook.com"));
        assert_eq!(email("jo@x.lawlita.com"), Err(Refusal::FreeMail));
    }

    #[test]
    fn unlisted_domains_are_rarely_taken_for_providers() {
        // Expected: n / 2^32 per domain, about 6 in 1,000,000 for 24,000 hashes.
        let n = decode(super::super::email::EMBEDDED_DOMAINS).unwrap().len() as f64;
        let tries = 300_000;
        let false_positives = (0..tries).filter(|i| crate::normalize::email::is_free_mail(&format!("company{i}.com"))).count();
        let expected = n / 2f64.powi(32) * tries as f64;
        println!("free-mail false positives: {false_positives} of {tries} (expected {expected:.1})");
        assert!((false_positives as f64) < 3.0 * expected + 5.0, "{false_positives} company domains taken for providers");
    }
}
