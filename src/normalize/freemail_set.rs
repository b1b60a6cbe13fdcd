//! The free-mail provider list, compactly: 32-bit FNV-1a hashes of the domains, sorted, their gaps
//! Rice-coded (about 21 bits per domain instead of the text's ~40 gzipped). Built from
//! `data/free_mail.txt` by `build.rs` (which `include!`s this file for [`hash`] and [`encode`], so
//! both sides hash alike) and decoded once at first use.
//!
//! A lookup answers "listed" for an unlisted domain with probability n / 2³² (about 2 in a
//! million for 7,800 domains): such a domain's contact emails would be ignored, its website
//! still keys it.

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

/// Decodes [`encode`]'s bytes; `None` if they are malformed.
#[allow(dead_code)]
pub fn decode(bytes: &[u8]) -> Option<Vec<u32>> {
    let n = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let k = u32::from(*bytes.get(4)?);
    let bits = bytes.get(5..)?;
    let mut pos = 0usize;
    let mut bit = || -> Option<u64> {
        let b = (bits.get(pos / 8)? >> (7 - pos % 8)) & 1;
        pos += 1;
        Some(u64::from(b))
    };
    let mut out = Vec::with_capacity(n);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut v: Vec<u32> = (0..5000u32).map(|i| hash(&format!("domain{i}.example"))).collect();
        v.sort_unstable();
        v.dedup();
        assert_eq!(decode(&encode(&v)).unwrap(), v);
        assert_eq!(decode(&encode(&[])).unwrap(), Vec::<u32>::new());
        assert!(decode(&encode(&v)[..100]).is_none(), "truncated input is refused");
    }

    #[test]
    fn every_listed_domain_is_found_and_others_are_not() {
        let list = include_str!("data/free_mail.txt");
        for line in list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#') && !l.ends_with(".*")) {
            assert!(crate::normalize::email::is_free_mail(line), "{line}");
        }
        let false_positives = (0..100_000).filter(|i| crate::normalize::email::is_free_mail(&format!("company{i}.com"))).count();
        assert!(false_positives <= 2, "{false_positives} company domains taken for providers");
    }
}
