//! One sort for the whole crate.
//!
//! Every `sort_by` on a new element type or comparator makes the compiler emit the standard
//! library's whole sorting machinery again (pivot selection, partitioning, small-sort networks,
//! heapsort fallback): several kilobytes of wasm each, tens of kilobytes in all. Sorting through
//! [`by_key`] instead computes a fixed-size key per element, sorts `(key, index)` pairs with the
//! one instantiation below, and moves the elements into place.

/// A sort key: compared as a tuple, most significant first.
pub type Key = (u128, u128);

/// Sorts `v` by `key`, stably (equal keys keep their order).
pub fn by_key<T>(v: &mut Vec<T>, key: impl Fn(&T) -> Key) {
    let mut order: Vec<(Key, u32)> = v.iter().enumerate().map(|(i, t)| (key(t), i as u32)).collect();
    sort_pairs(&mut order);
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.iter().filter_map(|&(_, i)| slots.get_mut(i as usize).and_then(Option::take)));
}

#[inline(never)]
fn sort_pairs(order: &mut [(Key, u32)]) {
    order.sort_unstable();
}

/// A 32-byte string as a key (big-endian halves: the same order as the bytes).
pub fn bytes32(p: &[u8; 32]) -> Key {
    let mut hi = [0u8; 16];
    let mut lo = [0u8; 16];
    hi.copy_from_slice(&p[..16]);
    lo.copy_from_slice(&p[16..]);
    (u128::from_be_bytes(hi), u128::from_be_bytes(lo))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_ordered() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        by_key(&mut v, |t| (t.0 as u128, 0));
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut p = vec![[2u8; 32], [1u8; 32], [0xff; 32]];
        by_key(&mut p, bytes32);
        assert_eq!(p, [[1u8; 32], [2u8; 32], [0xff; 32]]);
    }
}
