//! Fixed-size Montgomery arithmetic modulo the group's 3072-bit prime N, for the exponentiations of SRP.
//!
//! # Representation
//! A residue is 110 limbs of 28 bits (3080 bits), little-endian, each limb held in a `u64`. With 28-bit limbs a
//! product is below 2^56, so a whole column of the product-scanning Montgomery multiplication (at most 220
//! products) adds up in one `u64` with no carry handling inside the loop: the inner loop is a load, a multiply
//! and an add, which is what WebAssembly does fastest (it has a native 64-bit multiply, but 64×64→128 is a
//! library call). Measured in Node 20 (wasm32, one 3072-bit multiplication): 96×u32 CIOS 16.0 µs, 48×u64 CIOS
//! (u128) 23.0 µs, 110×28-bit product scanning 12.4 µs (squaring 10.6 µs).
//!
//! Values are kept in Montgomery form x·R mod N with R = 2^3080 and are not fully reduced: they stay below 2N.
//! Because 4N < R, a Montgomery product of two values below 2N is again below 2N, so no multiplication ends with
//! a conditional subtraction (Walter's bound); one constant-time subtraction brings a result into [0, N) when it
//! leaves Montgomery form. N ≡ −1 (mod 2^64), so −N⁻¹ mod 2^28 is 1 and each reduction digit is the column's
//! low 28 bits.
//!
//! # Timing
//! Multiplication, squaring, [`select`] (which reads every table entry and keeps one with a mask), the
//! exponentiations and the conversions out of Montgomery form run the same instructions and touch the same
//! memory whatever the values: only lengths (fixed here, or the public length of an exponent) steer branches and
//! indices. See the module documentation of `srp` for what is not constant-time.
#![allow(clippy::indexing_slicing)] // Indices are loop counters over fixed-size arrays, never caller data.

use std::hint::black_box;
use std::sync::OnceLock;

use super::group::group;
use super::Uint;

/// Limbs per residue.
pub(crate) const LIMBS: usize = 110;
const LIMB_BITS: usize = 28;
const MASK: u64 = (1 << LIMB_BITS) - 1;
/// Bits of R = 2^3080.
const R_BITS: usize = LIMBS * LIMB_BITS;
/// Window width of [`pow`]: a 32-entry table. Measured: 4 bits is ~3% slower for 512-bit exponents.
const WINDOW: usize = 5;
/// Bits of the exponents [`pow_g`] handles with the comb (4 teeth, 64 bits apart): the 256-bit ones SRP uses.
const COMB_BITS: usize = 256;
const COMB_SPACING: usize = 64;

/// A residue mod N in Montgomery form, below 2N. Deliberately not `Debug`: most residues here are secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fe(pub(crate) [u64; LIMBS]);

impl Fe {
    const ZERO: Self = Self([0; LIMBS]);
}

/// Precomputed values: N, R mod N (one in Montgomery form), R² mod N, k and the comb table for g, all public.
struct Ctx {
    n: [u64; LIMBS],
    n_rev: [u64; LIMBS],
    one: Fe,
    r2: Fe,
    k: Fe,
    g: Fe,
    /// comb[s] = ∏ g^(2^(64·j)) over the set bits j of s, in Montgomery form.
    comb: [Fe; 16],
}

fn ctx() -> &'static Ctx {
    static CTX: OnceLock<Ctx> = OnceLock::new();
    CTX.get_or_init(|| {
        let grp = group();
        let mut n = [0u64; LIMBS];
        for (d, s) in n.iter_mut().zip(limbs_from_be_bytes(grp.n.to_be_bytes())) {
            *d = s;
        }
        // R mod N = 2^3080 mod N: 2^3071 < N, doubled 9 times with a reduction after each doubling.
        let mut one = [0u64; LIMBS];
        one[(R_BITS - 9) / LIMB_BITS] = 1 << ((R_BITS - 9) % LIMB_BITS);
        for _ in 0..9 {
            one = reduce(&add_limbs(&one, &one), &n);
        }
        let g = Fe(reduce(&add_limbs(&one, &one), &n));
        let mut c = Ctx { n, n_rev: reversed(&n), one: Fe(one), r2: Fe::ZERO, k: Fe::ZERO, g, comb: [Fe::ZERO; 16] };
        // R² mod N is the Montgomery form of 2^3080, that is g^3080 computed in Montgomery form.
        c.r2 = Fe(reduce(&pow_in(&c, &g, &[R_BITS as u32]).0, &n));
        c.k = c.to_mont(grp.k.to_be_bytes());
        let teeth = [G_2_POW_64, G_2_POW_128, G_2_POW_192]
            .map(|hex| c.to_mont(Uint::from_hex(hex).unwrap_or_else(|| Uint::from(0)).to_be_bytes()));
        c.comb[0] = c.one;
        c.comb[1] = c.g;
        for (j, tooth) in teeth.iter().enumerate() {
            let bit = 2 << j;
            c.comb[bit] = *tooth;
            for s in 1..bit {
                c.comb[bit | s] = c.mul(&c.comb[s], tooth);
            }
        }
        c
    })
}

impl Ctx {
    fn mul(&self, a: &Fe, b: &Fe) -> Fe {
        mul(a, b, &self.n, &self.n_rev)
    }

    fn sqr(&self, a: &Fe) -> Fe {
        sqr(a, &self.n, &self.n_rev)
    }

    /// Montgomery form of a public value of any size, as big-endian bytes: Horner's rule in base R over blocks
    /// of 110 limbs, most significant first (one block for anything below 2^3080).
    fn to_mont(&self, be: &[u8]) -> Fe {
        let limbs = limbs_from_be_bytes(be);
        let mut acc = Fe::ZERO;
        for block in limbs.chunks(LIMBS).rev() {
            let mut c = [0u64; LIMBS];
            for (d, s) in c.iter_mut().zip(block) {
                *d = *s;
            }
            // Both products are below 2N (c < R and R² mod N < N); reduced, their sum is below 2N again.
            let shifted = reduce(&self.mul(&acc, &self.r2).0, &self.n);
            let block = reduce(&self.mul(&Fe(c), &self.r2).0, &self.n);
            acc = Fe(add_limbs(&shifted, &block));
        }
        acc
    }
}

/// Σ a[j]·b[j] over two equal-length slices.
/// Unrolled by four by hand: the crate is built for size (opt-level "s"), which does not unroll loops, and this
/// is the inner loop of every multiplication.
#[inline(always)]
fn dot(a: &[u64], b: &[u64]) -> u64 {
    let (mut ca, mut cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let mut s = [0u64; 4];
    for (x, y) in (&mut ca).zip(&mut cb) {
        s[0] += x[0] * y[0];
        s[1] += x[1] * y[1];
        s[2] += x[2] * y[2];
        s[3] += x[3] * y[3];
    }
    let tail = ca.remainder().iter().zip(cb.remainder()).fold(0u64, |t, (x, y)| t + x * y);
    s[0] + s[1] + s[2] + s[3] + tail
}

/// Limbs in reverse order: column sums Σ a[j]·b[i−j] become dot products of two forward slices.
fn reversed(a: &[u64; LIMBS]) -> [u64; LIMBS] {
    let mut r = *a;
    r.reverse();
    r
}

/// a·b·R⁻¹ mod N (below 2N for inputs below 2N), product scanning with the reduction interleaved.
/// `n_rev` is N's limbs reversed.
#[inline(never)]
fn mul(a: &Fe, b: &Fe, n: &[u64; LIMBS], n_rev: &[u64; LIMBS]) -> Fe {
    let a = &a.0;
    let b_rev = reversed(&b.0);
    let mut m = [0u64; LIMBS];
    let mut t = [0u64; LIMBS];
    let mut acc: u64 = 0;
    // Column i: Σ_{j≤i} a[j]·b[i−j] + Σ_{j<i} m[j]·n[i−j]; b[i−j] = b_rev[L−1−i+j].
    for i in 0..LIMBS {
        acc += dot(&a[..=i], &b_rev[LIMBS - 1 - i..]);
        acc += dot(&m[..i], &n_rev[LIMBS - 1 - i..LIMBS - 1]);
        let mi = acc & MASK; // −N⁻¹ ≡ 1 (mod 2^28)
        m[i] = mi;
        acc = (acc + mi * n[0]) >> LIMB_BITS;
    }
    for i in LIMBS..2 * LIMBS - 1 {
        let lo = i + 1 - LIMBS;
        acc += dot(&a[lo..], &b_rev[..2 * LIMBS - 1 - i]);
        acc += dot(&m[lo..], &n_rev[..2 * LIMBS - 1 - i]);
        t[i - LIMBS] = acc & MASK;
        acc >>= LIMB_BITS;
    }
    t[LIMBS - 1] = acc;
    Fe(t)
}

/// a²·R⁻¹ mod N: [`mul`] with each cross product computed once and doubled.
#[inline(never)]
fn sqr(a: &Fe, n: &[u64; LIMBS], n_rev: &[u64; LIMBS]) -> Fe {
    let a = &a.0;
    let a_rev = reversed(a);
    let mut m = [0u64; LIMBS];
    let mut t = [0u64; LIMBS];
    let mut acc: u64 = 0;
    for i in 0..LIMBS {
        // Pairs j < i−j: j in [0, half), a[i−j] = a_rev[L−1−i+j].
        let half = i.div_ceil(2);
        acc += 2 * dot(&a[..half], &a_rev[LIMBS - 1 - i..LIMBS - 1 - i + half]);
        if i % 2 == 0 {
            acc += a[i / 2] * a[i / 2];
        }
        acc += dot(&m[..i], &n_rev[LIMBS - 1 - i..LIMBS - 1]);
        let mi = acc & MASK;
        m[i] = mi;
        acc = (acc + mi * n[0]) >> LIMB_BITS;
    }
    for i in LIMBS..2 * LIMBS - 1 {
        let lo = i + 1 - LIMBS;
        let count = (2 * LIMBS - 1 - i) / 2;
        acc += 2 * dot(&a[lo..lo + count], &a_rev[..count]); // a[i−lo] = a_rev[0]
        if i % 2 == 0 {
            acc += a[i / 2] * a[i / 2];
        }
        acc += dot(&m[lo..], &n_rev[..2 * LIMBS - 1 - i]);
        t[i - LIMBS] = acc & MASK;
        acc >>= LIMB_BITS;
    }
    t[LIMBS - 1] = acc;
    Fe(t)
}

/// All ones when `a == b`, else zero, without a branch (both below 2^63).
fn eq_mask(a: u64, b: u64) -> u64 {
    black_box(((a ^ b).wrapping_sub(1) >> 63).wrapping_neg())
}

/// table[index], reading every entry and keeping one by masking: the memory touched does not depend on `index`.
fn select(table: &[Fe], index: u64) -> Fe {
    let mut out = [0u64; LIMBS];
    for (i, entry) in table.iter().enumerate() {
        let mask = eq_mask(i as u64, index);
        for (o, l) in out.iter_mut().zip(entry.0.iter()) {
            *o |= l & mask;
        }
    }
    Fe(out)
}

/// Bit `i` of a little-endian exponent (0 past its end). `i` is a loop counter: the exponent's bits steer no
/// branch and no index.
fn bit(exp: &[u32], i: usize) -> u64 {
    exp.get(i / 32).map_or(0, |w| u64::from((w >> (i % 32)) & 1))
}

/// base^exp with a fixed 5-bit window: the same squarings and multiplications for every exponent of this length,
/// table entries chosen with [`select`].
pub(crate) fn pow(base: &Fe, exp: &[u32]) -> Fe {
    pow_in(ctx(), base, exp)
}

fn pow_in(c: &Ctx, base: &Fe, exp: &[u32]) -> Fe {
    let mut table = vec![Fe::ZERO; 1 << WINDOW];
    table[0] = c.one;
    table[1] = *base;
    for i in 2..table.len() {
        table[i] = if i % 2 == 0 { c.sqr(&table[i / 2]) } else { c.mul(&table[i - 1], base) };
    }
    let windows = (exp.len() * 32).div_ceil(WINDOW);
    let mut acc = c.one;
    for w in (0..windows).rev() {
        let digit = (0..WINDOW).fold(0, |d, j| d | bit(exp, w * WINDOW + j) << j);
        let entry = select(&table, digit);
        if w + 1 == windows {
            acc = entry;
        } else {
            for _ in 0..WINDOW {
                acc = c.sqr(&acc);
            }
            acc = c.mul(&acc, &entry);
        }
    }
    acc
}

/// g^exp. Exponents of up to 256 bits use the fixed-base comb (63 squarings and 64 multiplications instead of
/// 256 squarings and 52 multiplications); longer ones use [`pow`].
pub(crate) fn pow_g(exp: &[u32]) -> Fe {
    let c = ctx();
    if exp.len() * 32 > COMB_BITS {
        return pow(&c.g, exp);
    }
    let mut acc = c.one;
    for col in (0..COMB_SPACING).rev() {
        let index = (0..4).fold(0, |s, j| s | bit(exp, j * COMB_SPACING + col) << j);
        let entry = select(&c.comb, index);
        if col + 1 == COMB_SPACING {
            acc = entry;
        } else {
            acc = c.mul(&c.sqr(&acc), &entry);
        }
    }
    acc
}

/// The Montgomery form of a public value given as big-endian bytes (any size).
pub(crate) fn to_mont(be: &[u8]) -> Fe {
    ctx().to_mont(be)
}

/// Whether a ≡ 0 (mod N).
pub(crate) fn is_zero(a: &Fe) -> bool {
    reduce(&a.0, &ctx().n).iter().fold(0, |acc, l| acc | l) == 0
}

/// k in Montgomery form.
pub(crate) fn k() -> Fe {
    ctx().k
}

/// a·b (Montgomery product).
pub(crate) fn mont_mul(a: &Fe, b: &Fe) -> Fe {
    ctx().mul(a, b)
}

/// a² (Montgomery product).
#[cfg(any(test, feature = "bench"))]
pub(crate) fn mont_sqr(a: &Fe) -> Fe {
    ctx().sqr(a)
}

/// a − b mod N in [0, N) for a, b below 2N, in constant time.
pub(crate) fn sub_mod(a: &Fe, b: &Fe) -> Fe {
    let n = &ctx().n;
    let (a, b) = (reduce(&a.0, n), reduce(&b.0, n));
    let (diff, borrow) = sub_limbs(&a, &b);
    let mask = borrow.wrapping_neg();
    let mut masked_n = [0u64; LIMBS];
    for (m, l) in masked_n.iter_mut().zip(n.iter()) {
        *m = l & mask;
    }
    Fe(add_limbs(&diff, &masked_n))
}

/// Leaves Montgomery form: the value in [0, N) as 384 big-endian bytes, in constant time.
pub(crate) fn from_mont(a: &Fe) -> [u8; 384] {
    let c = ctx();
    let mut one = [0u64; LIMBS];
    one[0] = 1;
    let plain = reduce(&c.mul(a, &Fe(one)).0, &c.n);
    let mut out = [0u8; 384];
    // Repack 28-bit limbs into bytes, least significant first, writing from the end.
    let (mut acc, mut bits, mut pos) = (0u64, 0usize, out.len());
    for limb in plain {
        acc |= limb << bits;
        bits += LIMB_BITS;
        while bits >= 8 && pos > 0 {
            pos -= 1;
            out[pos] = acc as u8;
            acc >>= 8;
            bits -= 8;
        }
    }
    out
}

/// a mod N for a below 2N: subtracts N and keeps the difference unless it borrowed, chosen by mask.
fn reduce(a: &[u64; LIMBS], n: &[u64; LIMBS]) -> [u64; LIMBS] {
    let (diff, borrow) = sub_limbs(a, n);
    let keep_a = borrow.wrapping_neg();
    let mut out = [0u64; LIMBS];
    for ((o, x), d) in out.iter_mut().zip(a.iter()).zip(diff.iter()) {
        *o = (x & keep_a) | (d & !keep_a);
    }
    out
}

fn sub_limbs(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> ([u64; LIMBS], u64) {
    let mut out = [0u64; LIMBS];
    let mut borrow = 0u64;
    for ((o, x), y) in out.iter_mut().zip(a.iter()).zip(b.iter()) {
        let d = x.wrapping_sub(*y).wrapping_sub(borrow);
        *o = d & MASK;
        borrow = d >> 63;
    }
    (out, borrow)
}

fn add_limbs(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
    let mut out = [0u64; LIMBS];
    let mut carry = 0u64;
    for ((o, x), y) in out.iter_mut().zip(a.iter()).zip(b.iter()) {
        let s = x + y + carry;
        *o = s & MASK;
        carry = s >> LIMB_BITS;
    }
    out
}

/// 28-bit limbs, least significant first, of big-endian bytes: as many limbs as the bytes need, at least one.
fn limbs_from_be_bytes(bytes: &[u8]) -> Vec<u64> {
    let mut out = Vec::with_capacity(bytes.len() * 8 / LIMB_BITS + 1);
    let (mut acc, mut bits) = (0u64, 0usize);
    for b in bytes.iter().rev() {
        acc |= u64::from(*b) << bits;
        bits += 8;
        if bits >= LIMB_BITS {
            out.push(acc & MASK);
            acc >>= LIMB_BITS;
            bits -= LIMB_BITS;
        }
    }
    out.push(acc);
    out
}

/// a + u·x over little-endian 32-bit words, schoolbook: the work depends only on the three lengths.
pub(crate) fn add_mul(a: &[u32], u: &[u32], x: &[u32]) -> Vec<u32> {
    let len = a.len().max(u.len() + x.len()) + 1;
    let mut e = vec![0u32; len];
    for (i, ui) in u.iter().enumerate() {
        let mut carry = 0u64;
        for (j, xj) in x.iter().enumerate() {
            let t = u64::from(e[i + j]) + u64::from(*ui) * u64::from(*xj) + carry;
            e[i + j] = t as u32;
            carry = t >> 32;
        }
        e[i + x.len()] = carry as u32;
    }
    let mut carry = 0u64;
    for (i, slot) in e.iter_mut().enumerate() {
        let t = u64::from(*slot) + u64::from(a.get(i).copied().unwrap_or(0)) + carry;
        *slot = t as u32;
        carry = t >> 32;
    }
    e
}

/// Little-endian 32-bit words of big-endian bytes (the byte length's worth of words; leading zeros are kept).
pub(crate) fn words_from_be_bytes(bytes: &[u8]) -> Vec<u32> {
    bytes.rchunks(4).map(|c| c.iter().fold(0u32, |w, b| w << 8 | u32::from(*b))).collect()
}

/// g^(2^64) mod N, a comb tooth (checked against num-bigint in the tests).
const G_2_POW_64: &str = concat!(
    "24d45fec935a7ce5568c844b7d4936784543c5f9ca8982eb5be6eb39785c8e40c88e31bb110275c52dd3ed7c5c929b31",
    "1bdedef320e0b85102ad61381f696d3948c0ccc8d608f8c3c554f6c6f8c052bb7ebc95580d2e04319eb5b451f21d355d",
    "53081fade5618342188218466c716093da85981318a58cd6eddebe7f6b0185b37876cf3571ead6a3df1a6811a3f8d64a",
    "622572b02bdd8ccb9e429f11ff01c082b10ad0bd8bb1b5845bdadf46c1b5e4558253a55dd88962acadd5a47df89afb1b",
    "ee4c2511812c74fecaf661a58a61319ed5682f217fe1498770d05b4c26b46f21f9c86457bd2fff95dcf52bca566edc41",
    "2eeb3973b81891b9c18e3eb8120762ad04496de506d3e66005d67bb6aa80900bade29104716194b3bbae44fb9eb51eff",
    "be409b305af4f431fa154ae3ebfbade7d36bcc0d6657c34226c6303f6c10314e8dec9a8c1257f1c144922160eb4b87f0",
    "f737f2f43276187a243dc69c828cdecc961aceb0167d22f7b86635d97393327259c016af1ec7cdecb13060ce5bf63dca",
);
/// g^(2^128) mod N, a comb tooth (checked against num-bigint in the tests).
const G_2_POW_128: &str = concat!(
    "8c91af84249658896165e3e190488d84241d642b509d63551e46eb58c5d315bc3c8886c34fcdbd10882dd3d7dfda5d40",
    "7cc80cf6c9fc8fb6cb36c9e366b3c2ae3704ee863a08d0d82b5bce7d2e6efe1667dd7a68cb5328855c156d8e35984ded",
    "8ec26c97cf92adba6c1c5718cd07cbbb7d099337e9304777e11f37a36c2851eeb66a3f6bd44d67b93a3a6937ec493ea1",
    "731c25c7132cbb3bf82217c356d51e0920c7429d710876de0dabc1bcd4c0b12136379df592b6aadd3488dd384aae221e",
    "49d4dde76db6c02a24f6e636fe6c53f2ae84e252731dec6f2716d511f1fc49f937fd3b99326b123667d61a3f215b70c8",
    "a1a0b46128e58c0b0bb171831fa772901bba3874faf37f31ba5887f8facb8bd3ce99c20cf52160c226dfa867b942473b",
    "52d884922940a49ca0e2ed2e09a786f73f2dc7d6163d3e2ae0b94ebc038f0327705377c48cfc21817950c9847526707a",
    "7d737601b2195e10db219bd9c0e3771f2fd832038c8f9245e855efaf433c487a1f2eea103873d7684f9088e07806734a",
);
/// g^(2^192) mod N, a comb tooth (checked against num-bigint in the tests).
const G_2_POW_192: &str = concat!(
    "91938495281e0db3fcb28ce10a65827fc0d6e2379df6c34a6a25601d08fd69ca7017933e0ac3b54d9cd5b75095d04de5",
    "da1f2f678eca1642c61f31da766ef3e2b99377d87c51b97ca97ad9cca0ebd08dfabbc71ac9a52ef3851fb52d8c9c7653",
    "c0f58bf941808da25f196008ee855e3e23ee2a717cb2941b4601f0214dc5608847f6a234712686a331203b9797c8f22a",
    "3199937ce1fa94b0bf6a4b29ffbf52d631fddf5996d75ec1c07a6a598cf31a24484de28e4ff4b604a7259610387276a2",
    "b6ca8e398ef31c79951591946f7896d73426d729b565923a29ac8474a9679220bf2fca4b391efb930e48e5561d38d499",
    "56a30c2c9e80bb081d1ac85ade60a8eddba0af98a67c857087da66a5a22d912e1eb52ed1494c88ae7ca68f14c2f1b351",
    "b44d0057bd13ab52d4e481c69c7640b5ec9ee8bcf7cf89f5184e3e79410eac49be975eab18fcdff23f45015a5edc3ab4",
    "89f2e54e4d3b20094828380e8cfb9fdec68d2d82bd475ff05d2f0643785c31cdb980e56eb35b524be1841df24f6ad99f",
);

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn n() -> BigUint {
        BigUint::from_bytes_be(group().n.to_be_bytes())
    }

    fn to_mont(v: &BigUint) -> Fe {
        super::to_mont(&v.to_bytes_be())
    }

    fn big(fe_bytes: &[u8; 384]) -> BigUint {
        BigUint::from_bytes_be(fe_bytes)
    }

    /// A deterministic stream of pseudo-random words (xorshift), for cross-checks against num-bigint.
    fn words(seed: &mut u64, count: usize) -> Vec<u32> {
        (0..count)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                *seed as u32
            })
            .collect()
    }

    fn from_words(w: &[u32]) -> BigUint {
        BigUint::from_slice(w)
    }

    #[test]
    fn n_is_minus_one_mod_2_pow_64() {
        let low = n() % (BigUint::from(1u8) << 64u32);
        assert_eq!(low, (BigUint::from(1u8) << 64u32) - 1u8, "−N⁻¹ mod 2^28 = 1 relies on it");
    }

    #[test]
    fn comb_teeth_are_powers_of_g() {
        for (j, hex) in [G_2_POW_64, G_2_POW_128, G_2_POW_192].iter().enumerate() {
            let e = BigUint::from(1u8) << (64 * (j + 1));
            let expected = BigUint::from(2u8).modpow(&e, &n());
            assert_eq!(BigUint::parse_bytes(hex.as_bytes(), 16).unwrap(), expected, "tooth {j}");
        }
    }

    #[test]
    fn mont_round_trip_and_products_match_num_bigint() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20 {
            let (x, y) = (from_words(&words(&mut seed, 100)), from_words(&words(&mut seed, 96)));
            let (xm, ym) = (to_mont(&x), to_mont(&y));
            assert_eq!(big(&from_mont(&xm)), &x % n());
            assert!(!is_zero(&xm) || (&x % n()) == BigUint::default());
            assert_eq!(big(&from_mont(&mont_mul(&xm, &ym))), (&x * &y) % n());
            assert_eq!(big(&from_mont(&mont_sqr(&xm))), (&x * &x) % n());
            let diff = (&x % n() + n() - &y % n()) % n();
            assert_eq!(big(&from_mont(&sub_mod(&xm, &ym))), diff);
        }
    }

    #[test]
    fn pow_matches_num_bigint() {
        let mut seed = 0x1234_5678_9abc_def1;
        for exp_words in [0usize, 1, 3, 8, 16, 17, 32] {
            let base = from_words(&words(&mut seed, 96));
            let exp = words(&mut seed, exp_words);
            let got = big(&from_mont(&pow(&to_mont(&base), &exp)));
            assert_eq!(got, base.modpow(&from_words(&exp), &n()), "{exp_words} words");
            let got_g = big(&from_mont(&pow_g(&exp)));
            assert_eq!(got_g, BigUint::from(2u8).modpow(&from_words(&exp), &n()), "g, {exp_words} words");
        }
    }

    #[test]
    fn pow_edge_cases() {
        let n_minus_1 = n() - 1u8;
        let big_r = BigUint::from(1u8) << R_BITS;
        let bases = [BigUint::from(0u8), BigUint::from(1u8), n_minus_1.clone(), n(), n() + 5u8, n() * 3u8 + 2u8, &big_r * &big_r * 7u8 + n() * 5u8 + 3u8, big_r - 1u8];
        let exps: [&[u32]; 6] = [&[], &[0], &[1], &[2], &[u32::MAX; 8], &[0, 0, 0, 0, 0, 0, 0, 1 << 31]];
        for b in &bases {
            for e in exps {
                let got = big(&from_mont(&pow(&to_mont(b), e)));
                assert_eq!(got, b.modpow(&from_words(e), &n()), "base {b:x}, exp {e:?}");
            }
        }
        for e in exps {
            assert_eq!(big(&from_mont(&pow_g(e))), BigUint::from(2u8).modpow(&from_words(e), &n()), "g^{e:?}");
        }
    }

    #[test]
    fn sub_mod_of_equal_values_is_zero_and_wraps() {
        let x = to_mont(&BigUint::from(5u8));
        assert_eq!(big(&from_mont(&sub_mod(&x, &x))), BigUint::from(0u8));
        let y = to_mont(&BigUint::from(7u8));
        assert_eq!(big(&from_mont(&sub_mod(&x, &y))), n() - 2u8);
        assert!(is_zero(&to_mont(&n())) && is_zero(&to_mont(&(n() * 2u8))) && !is_zero(&x));
    }

    #[test]
    fn add_mul_matches_num_bigint() {
        let mut seed = 42;
        for (la, lu, lx) in [(8, 8, 8), (32, 8, 8), (0, 8, 8), (8, 0, 8), (1, 1, 1)] {
            let (a, u, x) = (words(&mut seed, la), words(&mut seed, lu), words(&mut seed, lx));
            let e = add_mul(&a, &u, &x);
            assert_eq!(from_words(&e), from_words(&a) + from_words(&u) * from_words(&x));
        }
        let max = [u32::MAX; 8];
        assert_eq!(from_words(&add_mul(&max, &max, &max)), from_words(&max) + from_words(&max) * from_words(&max));
    }

    #[test]
    fn select_picks_each_entry() {
        let c = ctx();
        for i in 0..16 {
            assert!(select(&c.comb, i as u64) == c.comb[i]);
        }
        assert!(select(&c.comb, 16) == Fe::ZERO);
    }

    #[test]
    fn words_from_be_bytes_keeps_leading_zeros() {
        assert_eq!(words_from_be_bytes(&[0, 0, 0, 0, 0, 0, 1, 2]), vec![0x0102, 0]);
        assert_eq!(words_from_be_bytes(&[1, 2, 3, 4, 5]), vec![0x0203_0405, 1]);
    }
}
