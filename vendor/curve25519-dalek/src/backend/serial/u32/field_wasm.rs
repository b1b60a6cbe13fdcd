// -*- mode: rust; -*-
//
// This file is part of overlap's vendored copy of curve25519-dalek 4.1.3 (BSD-3-Clause, see
// ../../../../LICENSE); it is not in upstream. See ../../../../OVERLAP.md.

//! `FieldElement2625` multiplication for WebAssembly with SIMD (wasm32 + simd128).
//!
//! It computes the same unreduced coefficients `z[0..10]` as the portable multiplication in
//! `field.rs` (the same exact integer sums, under the same input bounds), then the caller runs
//! the same `reduce`: the result is bit-identical. What differs is how the 100 products of
//! 32-bit limbs are formed: `z[0..6]` by 30 widening SIMD multiplies
//! (`u64x2_extmul_{low,high}_u32x4`, two products each), `z[6..10]` by the scalar formulas, so
//! the vector unit and the integer multiplier work side by side. In V8 this is ~1.67x faster
//! than 100 scalar `i64.mul`s.
//!
//! Layout: the accumulator for column `m` holds `(z[2m], z[2m+1])`. For term `i`, lane 0 needs
//! `x_i * Y[2m-i]` and lane 1 `x_i * Y[2m+1-i]`, where `Y[j] = y_j` for `j >= 0` and
//! `19 * y_{j+10}` below (the wrap-around of `2^255 = 19`). Storing
//! `A = [19y1..19y9, y0..y9]` (`A[9+j] = Y[j]`) makes every pair a contiguous window of `A`;
//! terms `i` and `i+2` share one 4-lane window, consumed by the high and low halves of the
//! widening multiply. Odd `i` with odd `j` carry the factor 2 of the 25/26-bit radix, folded
//! into the `x` operand as in the portable code.
//!
//! `core::hint::black_box` on a zero vector XORed into the operands keeps LLVM from rewriting
//! the widening multiplies of shuffled operands into `i64x2.mul`, which V8 emulates slowly.
//! There is no data-dependent branch or memory index: constant time as the portable code.

use core::arch::wasm32::{
    i32x4_mul, i32x4_shl, u32x4, u32x4_shuffle, u64x2_add, u64x2_extmul_high_u32x4,
    u64x2_extmul_low_u32x4, u64x2_extract_lane, u64x2_splat, v128, v128_xor,
};

#[inline(always)]
fn load(p: &[u32; 10], i: usize) -> v128 {
    u32x4(p[i], p[i + 1], p[i + 2], p[i + 3])
}

#[inline(always)]
fn load2(p: &[u32; 10], i: usize) -> v128 {
    u32x4(p[i], p[i + 1], 0, 0)
}

#[inline(always)]
fn mul_lo(a: v128, b: v128) -> v128 {
    u64x2_extmul_low_u32x4(a, b)
}

#[inline(always)]
fn mul_hi(a: v128, b: v128) -> v128 {
    u64x2_extmul_high_u32x4(a, b)
}

/// `A` in five vectors: `[19y1..19y4], [19y5..19y8], [19y9, y0, y1, y2], [y3..y6], [y7, y8, y9, 0]`.
#[inline(always)]
fn a_vecs(y: &[u32; 10]) -> [v128; 5] {
    let y0 = load(y, 0);
    let y1 = load(y, 4);
    let y2 = load2(y, 8);
    let n19 = u32x4(19, 19, 19, 19);
    [
        i32x4_mul(u32x4_shuffle::<1, 2, 3, 4>(y0, y1), n19),
        i32x4_mul(u32x4_shuffle::<1, 2, 3, 4>(y1, y2), n19),
        u32x4_shuffle::<1, 4, 5, 6>(i32x4_mul(y2, n19), y0),
        u32x4_shuffle::<3, 4, 5, 6>(y0, y1),
        u32x4_shuffle::<3, 4, 5, 6>(y1, y2),
    ]
}

/// `A[k..k+4]`.
#[inline(always)]
fn win(a: &[v128; 5], k: usize) -> v128 {
    let (q, r) = (k / 4, k % 4);
    match r {
        0 => a[q],
        1 => u32x4_shuffle::<1, 2, 3, 4>(a[q], a[q + 1]),
        2 => u32x4_shuffle::<2, 3, 4, 5>(a[q], a[q + 1]),
        _ => u32x4_shuffle::<3, 4, 5, 6>(a[q], a[q + 1]),
    }
}

/// `[A[k+1], A[k+2], A[k], A[k+1]]` for even `k`.
#[inline(always)]
fn win89(a: &[v128; 5], k: usize) -> v128 {
    let q = k / 4;
    if k % 4 == 0 {
        u32x4_shuffle::<1, 2, 0, 1>(a[q], a[q])
    } else {
        u32x4_shuffle::<3, 4, 2, 3>(a[q], a[q + 1])
    }
}

#[inline(always)]
fn m(x: u32, y: u32) -> u64 {
    (x as u64) * (y as u64)
}

/// The unreduced product of `x` and `y`, as `field.rs` computes it.
#[rustfmt::skip]
#[inline(always)]
pub(crate) fn mul_z(x: &[u32; 10], y: &[u32; 10]) -> [u64; 10] {
    let k = core::hint::black_box(u64x2_splat(0));
    let a = a_vecs(y);
    let x0 = load(x, 0);
    let x1 = load(x, 4);
    let x2 = load2(x, 8);
    // [c_{i+2} x_{i+2}, x_{i+2}, c_i x_i, x_i] with c = 2 for odd i.
    let g0 = v128_xor(u32x4_shuffle::<2, 2, 0, 0>(x0, x0), k);
    let g1 = v128_xor(u32x4_shuffle::<7, 3, 5, 1>(x0, i32x4_shl(x0, 1)), k);
    let g2 = v128_xor(u32x4_shuffle::<2, 2, 0, 0>(x1, x1), k);
    let g3 = v128_xor(u32x4_shuffle::<7, 3, 5, 1>(x1, i32x4_shl(x1, 1)), k);
    let g4 = v128_xor(u32x4_shuffle::<0, 0, 5, 1>(x2, i32x4_shl(x2, 1)), k);
    let mut z = [0u64; 10];
    macro_rules! col {
        ($m:expr) => {{
            let b0 = v128_xor(win(&a, 7 + 2 * $m), k);
            let b1 = v128_xor(win(&a, 6 + 2 * $m), k);
            let b2 = v128_xor(win(&a, 3 + 2 * $m), k);
            let b3 = v128_xor(win(&a, 2 + 2 * $m), k);
            let b4 = v128_xor(win89(&a, 2 * $m), k);
            let s0 = u64x2_add(mul_lo(g0, b0), mul_hi(g0, b0));
            let s1 = u64x2_add(mul_lo(g1, b1), mul_hi(g1, b1));
            let s2 = u64x2_add(mul_lo(g2, b2), mul_hi(g2, b2));
            let s3 = u64x2_add(mul_lo(g3, b3), mul_hi(g3, b3));
            let s4 = u64x2_add(mul_lo(g4, b4), mul_hi(g4, b4));
            let acc = u64x2_add(u64x2_add(u64x2_add(s0, s1), u64x2_add(s2, s3)), s4);
            z[2 * $m] = u64x2_extract_lane::<0>(acc);
            z[2 * $m + 1] = u64x2_extract_lane::<1>(acc);
        }};
    }
    col!(0);
    col!(1);
    col!(2);
    let y7_19 = 19 * y[7];
    let y8_19 = 19 * y[8];
    let y9_19 = 19 * y[9];
    let x1_2 = 2 * x[1];
    let x3_2 = 2 * x[3];
    let x5_2 = 2 * x[5];
    let x7_2 = 2 * x[7];
    let x9_2 = 2 * x[9];
    z[6] = m(x[0], y[6]) + m(x1_2,  y[5]) + m(x[2], y[4])  + m(x3_2,  y[3]) + m(x[4],  y[2]) + m(x5_2,  y[1]) + m(x[6],  y[0]) + m(x7_2, y9_19) + m(x[8], y8_19) + m(x9_2, y7_19);
    z[7] = m(x[0], y[7]) + m(x[1],  y[6]) + m(x[2], y[5])  + m(x[3],  y[4]) + m(x[4],  y[3]) + m(x[5],  y[2]) + m(x[6],  y[1]) + m(x[7],  y[0]) + m(x[8], y9_19) + m(x[9], y8_19);
    z[8] = m(x[0], y[8]) + m(x1_2,  y[7]) + m(x[2], y[6])  + m(x3_2,  y[5]) + m(x[4],  y[4]) + m(x5_2,  y[3]) + m(x[6],  y[2]) + m(x7_2,  y[1]) + m(x[8],  y[0]) + m(x9_2, y9_19);
    z[9] = m(x[0], y[9]) + m(x[1],  y[8]) + m(x[2], y[7])  + m(x[3],  y[6]) + m(x[4],  y[5]) + m(x[5],  y[4]) + m(x[6],  y[3]) + m(x[7],  y[2]) + m(x[8],  y[1]) + m(x[9],  y[0]);
    z
}
