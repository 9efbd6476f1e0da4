//! The Montgomery multiplication and squaring of [`super`] with wasm SIMD128: the column dot products take two
//! 28×28-bit products per instruction (`i64x2.extmul_{low,high}_i32x4_u`), four limbs per vector. Also the
//! constant-time table lookup, two limbs per instruction.
//!
//! Measured in Node 20 against the scalar code: squaring 10.3 → 4.9 µs, multiplication 13.5 → 5.5 µs. V8 turns
//! each extmul into two shuffles and a `pmuludq`, so the shuffles bound the inner loop; unrolling it by two, or
//! fusing the product's and the reduction's dot products into one loop, measured no faster.
//!
//! Built only for wasm32 with the `simd128` target feature (enabled for this crate's wasm builds in
//! .cargo/config.toml); native builds and wasm builds without it use the scalar code, which `cargo test` checks.
//! A module containing SIMD instructions fails to validate, so fails to load at all, in engines without wasm SIMD
//! (Safari before 16.4; every current Chrome, Firefox, Safari, Node and Deno have it).
//!
//! # Layout
//! An operand is packed into 28 vectors of four 32-bit lanes, limb 4k+t in lane t of vector k, zero past limb 110.
//! A column sum Σ x[j]·y[o+j] then needs y starting at any limb o, so y is also kept in its four alignments
//! (`shifts`: alignment r holds limbs 4k+r … 4k+r+3 in vector k) and every load is a whole vector at a loop index.
//! Each dot product is rounded up to whole vectors; the extra terms are zero because the operand they come from
//! is zero there (past limb 110, or a reduction digit not yet computed) or, in the squaring's half columns, are
//! masked off. Same timing argument as the scalar code: lengths and indices come from loop counters only.
#![allow(clippy::indexing_slicing)] // Indices are loop counters over fixed-size arrays, never caller data.

use core::arch::wasm32::{
    i32x4_shuffle, i64x2_add, i64x2_shl, u32x4, u64x2, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4,
    u32x4_replace_lane, u64x2_extract_lane, u64x2_splat, v128, v128_and, v128_or,
};

use super::{eq_mask, reversed, Fe, LIMBS, LIMB_BITS, MASK};

/// Vectors per packed operand: 110 limbs in lanes of four. Every dot product below stays within them (the bounds
/// are worked out at each loop).
pub(super) const VECS: usize = LIMBS.div_ceil(4);
/// A packed operand.
pub(super) type Vecs = [v128; VECS];
const ZERO: v128 = u64x2(0, 0);
/// TAIL[c % 4] keeps the first c % 4 lanes of a dot product's last vector (all of them when c % 4 = 0).
const TAIL: [v128; 4] = [
    u32x4(u32::MAX, u32::MAX, u32::MAX, u32::MAX),
    u32x4(u32::MAX, 0, 0, 0),
    u32x4(u32::MAX, u32::MAX, 0, 0),
    u32x4(u32::MAX, u32::MAX, u32::MAX, 0),
];

/// Limbs as 32-bit lanes (limbs are below 2^28), zero-padded to whole vectors.
fn pack(x: &[u64; LIMBS]) -> Vecs {
    let mut v = [ZERO; VECS];
    let mut lanes = [0u32; 4 * VECS];
    for (l, x) in lanes.iter_mut().zip(x) {
        *l = *x as u32;
    }
    for (d, c) in v.iter_mut().zip(lanes.chunks_exact(4)) {
        *d = u32x4(c[0], c[1], c[2], c[3]);
    }
    v
}

/// The four alignments of a packed operand: `s[r][k]` holds limbs 4k+r … 4k+r+3 (zero past the end).
pub(super) fn shifts(v: &Vecs) -> [Vecs; 4] {
    let mut s = [*v; 4];
    for k in 0..VECS {
        let next = if k + 1 < VECS { v[k + 1] } else { ZERO };
        s[1][k] = i32x4_shuffle::<1, 2, 3, 4>(v[k], next);
        s[2][k] = i32x4_shuffle::<2, 3, 4, 5>(v[k], next);
        s[3][k] = i32x4_shuffle::<3, 4, 5, 6>(v[k], next);
    }
    s
}

/// N's limbs reversed, packed, in the four alignments (part of the context).
pub(super) fn n_rev_shifts(n: &[u64; LIMBS]) -> [Vecs; 4] {
    shifts(&pack(&reversed(n)))
}

/// A column sum in progress: two lanes of products of low lane pairs and two of high ones. A column has at most
/// 220 products below 2^56, so no lane can overflow.
#[derive(Clone, Copy)]
struct Acc(v128, v128);

impl Acc {
    const ZERO: Self = Self(ZERO, ZERO);

    /// Adds Σ x[xo+k]·y[yo+k] over k < c, lane by lane.
    ///
    /// Shaped for opt-level "z" (the release profile), under which LLVM ignores `#[inline]` hints (it keeps
    /// `#[inline(always)]`) and does not rotate loops. Slicing the arrays themselves (`&a[q..q + c]` on a
    /// `[v128; 28]`) left core's `Index` impl for arrays as an out-of-line call returning the slice through
    /// memory, 4–6 calls per column; slicing them as `&[v128]` is inlined. The loop tests at its end: one branch
    /// per vector, not two. Measured in Node: with the old shape "z" took 7.5 µs per squaring and 8.3 µs per
    /// multiplication ("s": 4.9 and 5.45); with this one 4.9 and 5.5.
    #[inline(always)]
    fn dot(&mut self, x: &Vecs, xo: usize, y: &Vecs, yo: usize, c: usize) {
        let (x, y): (&[v128], &[v128]) = (x, y);
        let (x, y) = (&x[xo..xo + c], &y[yo..yo + c]);
        if c == 0 {
            return;
        }
        let mut k = 0;
        loop {
            self.add(x[k], y[k]);
            k += 1;
            if k == c {
                break;
            }
        }
    }

    #[inline(always)]
    fn add(&mut self, x: v128, y: v128) {
        self.0 = i64x2_add(self.0, u64x2_extmul_low_u32x4(x, y));
        self.1 = i64x2_add(self.1, u64x2_extmul_high_u32x4(x, y));
    }

    /// The sum doubled (the cross products of a squaring).
    #[inline(always)]
    fn doubled(self) -> Self {
        Self(i64x2_shl(self.0, 1), i64x2_shl(self.1, 1))
    }

    #[inline(always)]
    fn sum(self) -> u64 {
        let s = i64x2_add(self.0, self.1);
        u64x2_extract_lane::<0>(s) + u64x2_extract_lane::<1>(s)
    }
}

/// Reduction digits m as they are computed, packed.
struct Digits {
    v: Vecs,
}

impl Digits {
    fn new() -> Self {
        Self { v: [ZERO; VECS] }
    }

    /// Records digit i (below 2^28) in its lane (a branch on the loop counter i only).
    #[inline(always)]
    fn set(&mut self, i: usize, mi: u64) {
        let (v, mi) = (&mut self.v[i / 4], mi as u32);
        *v = match i % 4 {
            0 => u32x4_replace_lane::<0>(*v, mi),
            1 => u32x4_replace_lane::<1>(*v, mi),
            2 => u32x4_replace_lane::<2>(*v, mi),
            _ => u32x4_replace_lane::<3>(*v, mi),
        };
    }
}

/// a·b·R⁻¹ mod N as the scalar `mul` of mont.rs computes it (same columns, same result).
#[inline(never)]
pub(super) fn mul(a: &Fe, b: &Fe, n0: u64, n_rev: &[Vecs; 4]) -> Fe {
    let a_s = shifts(&pack(&a.0));
    let b_rev = shifts(&pack(&reversed(&b.0)));
    let mut m = Digits::new();
    let mut t = [0u64; LIMBS];
    let mut acc: u64 = 0;
    // Column i < L: Σ_{j≤i} a[j]·b_rev[o+j] + Σ_{j<i} m[j]·n_rev[o+j], o = L−1−i, over j < 4c with c = ⌊i/4⌋+1
    // vectors: b_rev and n_rev are zero from limb L on, m from limb i on. ⌊o/4⌋ + c ≤ ⌊(L−1)/4⌋ + 1 = VECS.
    for i in 0..LIMBS {
        let o = LIMBS - 1 - i;
        let (q, r, c) = (o / 4, o % 4, i / 4 + 1);
        let mut s = Acc::ZERO;
        s.dot(&a_s[0], 0, &b_rev[r], q, c);
        s.dot(&m.v, 0, &n_rev[r], q, c);
        acc += s.sum();
        let mi = acc & MASK; // −N⁻¹ ≡ 1 (mod 2^28)
        m.set(i, mi);
        acc = (acc + mi * n0) >> LIMB_BITS;
    }
    let m_s = shifts(&m.v);
    // Column i ≥ L: Σ_{j<L−lo} (a[lo+j]·b_rev[j] + m[lo+j]·n_rev[j]), lo = i+1−L, rounded up to c vectors: a and m
    // are zero from limb L on. ⌊lo/4⌋ + c ≤ ⌊(L+3)/4⌋ = VECS.
    for i in LIMBS..2 * LIMBS - 1 {
        let lo = i + 1 - LIMBS;
        let (q, r, c) = (lo / 4, lo % 4, (LIMBS - lo).div_ceil(4));
        let mut s = Acc::ZERO;
        s.dot(&a_s[r], q, &b_rev[0], 0, c);
        s.dot(&m_s[r], q, &n_rev[0], 0, c);
        acc += s.sum();
        t[i - LIMBS] = acc & MASK;
        acc >>= LIMB_BITS;
    }
    t[LIMBS - 1] = acc;
    Fe(t)
}

/// a²·R⁻¹ mod N as the scalar `sqr` of mont.rs computes it: each cross product once, doubled.
#[inline(never)]
pub(super) fn sqr(a: &Fe, n0: u64, n_rev: &[Vecs; 4]) -> Fe {
    let x = &a.0;
    let a_s = shifts(&pack(x));
    let a_rev = shifts(&pack(&reversed(x)));
    let mut m = Digits::new();
    let mut t = [0u64; LIMBS];
    let mut acc: u64 = 0;
    for i in 0..LIMBS {
        let o = LIMBS - 1 - i;
        let (q, r) = (o / 4, o % 4);
        // Pairs j < i−j: j < half, a[i−j] = a_rev[o+j]; the last vector of a is masked to the first half.
        let half = i.div_ceil(2);
        let c = half.div_ceil(4);
        let mut s = Acc::ZERO;
        if c > 0 {
            s.dot(&a_s[0], 0, &a_rev[r], q, c - 1);
            s.add(v128_and(a_s[0][c - 1], TAIL[half % 4]), a_rev[r][q + c - 1]);
        }
        let mut s = s.doubled();
        let c = i / 4 + 1;
        s.dot(&m.v, 0, &n_rev[r], q, c);
        acc += s.sum();
        if i % 2 == 0 {
            acc += x[i / 2] * x[i / 2];
        }
        let mi = acc & MASK;
        m.set(i, mi);
        acc = (acc + mi * n0) >> LIMB_BITS;
    }
    let m_s = shifts(&m.v);
    for i in LIMBS..2 * LIMBS - 1 {
        let lo = i + 1 - LIMBS;
        let (q, r) = (lo / 4, lo % 4);
        // Pairs: a[lo+j]·a_rev[j] for j < count; the last vector of a_rev is masked to them.
        let count = (2 * LIMBS - 1 - i) / 2;
        let c = count.div_ceil(4);
        let mut s = Acc::ZERO;
        if c > 0 {
            s.dot(&a_s[r], q, &a_rev[0], 0, c - 1);
            s.add(a_s[r][q + c - 1], v128_and(a_rev[0][c - 1], TAIL[count % 4]));
        }
        let mut s = s.doubled();
        let c = (LIMBS - lo).div_ceil(4);
        s.dot(&m_s[r], q, &n_rev[0], 0, c);
        acc += s.sum();
        if i % 2 == 0 {
            acc += x[i / 2] * x[i / 2];
        }
        t[i - LIMBS] = acc & MASK;
        acc >>= LIMB_BITS;
    }
    t[LIMBS - 1] = acc;
    Fe(t)
}

/// A table entry for [`select`]: limbs 2k and 2k+1 in vector k.
pub(super) type Packed = [v128; LIMBS / 2];

/// The entries of a table, packed for [`select`].
pub(super) fn pack_table(table: &[Fe]) -> Vec<Packed> {
    table
        .iter()
        .map(|x| {
            let mut v = [ZERO; LIMBS / 2];
            for (d, c) in v.iter_mut().zip(x.0.chunks_exact(2)) {
                *d = u64x2(c[0], c[1]);
            }
            v
        })
        .collect()
}

/// table[index] as the scalar `select` of mont.rs computes it (every entry read, one kept by mask), two limbs per
/// instruction.
pub(super) fn select(table: &[Packed], index: u64) -> Fe {
    let masks: Vec<v128> = (0..table.len()).map(|i| u64x2_splat(eq_mask(i as u64, index))).collect();
    let mut out = [0u64; LIMBS];
    // Limb pair by limb pair, so the pair being assembled stays in a register.
    for (k, o) in out.chunks_exact_mut(2).enumerate() {
        let v = table.iter().zip(&masks).fold(ZERO, |acc, (entry, mask)| v128_or(acc, v128_and(entry[k], *mask)));
        o[0] = u64x2_extract_lane::<0>(v);
        o[1] = u64x2_extract_lane::<1>(v);
    }
    Fe(out)
}
