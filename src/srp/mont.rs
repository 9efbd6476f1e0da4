//! Fixed-size Montgomery arithmetic modulo the group's 3072-bit prime N, for the exponentiations of SRP.
//!
//! # Representation
//! A residue is 110 limbs of 28 bits (3080 bits), little-endian, each limb held in a `u64`. With 28-bit limbs a
//! product is below 2^56, so a whole column of the product-scanning Montgomery multiplication (at most 220
//! products) adds up in one `u64` with no carry handling inside the loop: the inner loop is a load, a multiply
//! and an add, which is what WebAssembly does fastest (it has a native 64-bit multiply, but 64×64→128 is a
//! library call). Measured in Node 20 (wasm32, one 3072-bit multiplication): 96×u32 CIOS 16.0 µs, 48×u64 CIOS
//! (u128) 23.0 µs, 110×28-bit product scanning 12.4 µs (squaring 10.6 µs). wasm builds with SIMD128 (the default
//! here, .cargo/config.toml) compute the same columns in `simd`, two products per instruction: 5.4 µs and 4.9 µs.
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

/// The wasm SIMD128 multiplication, squaring and table lookup, used instead of `mul`, `sqr` and `select` when the
/// target has SIMD128.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd;

/// Limbs per residue.
pub(crate) const LIMBS: usize = 110;
const LIMB_BITS: usize = 28;
const MASK: u64 = (1 << LIMB_BITS) - 1;
/// Bits of R = 2^3080.
const R_BITS: usize = LIMBS * LIMB_BITS;
/// Window width of [`pow`]: a 32-entry table. Measured: 4 bits is ~3% slower for 512-bit exponents.
const WINDOW: usize = 5;
/// Bits of the exponents [`pow_g`] handles with the comb (6 teeth, 43 bits apart): the 256-bit ones SRP uses.
/// Measured against 4 teeth 64 apart (16 entries): 64 entries cost 57 more multiplications once, when the
/// table is built, and save 21 squarings and 21 multiplications per exponentiation.
const COMB_BITS: usize = 256;
const COMB_TEETH: usize = 6;
const COMB_SPACING: usize = COMB_BITS.div_ceil(COMB_TEETH);

/// A residue mod N in Montgomery form, below 2N. Deliberately not `Debug`: most residues here are secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fe(pub(crate) [u64; LIMBS]);

impl Fe {
    const ZERO: Self = Self([0; LIMBS]);
}

/// Precomputed values: N, R mod N (one in Montgomery form), R² mod N and the comb table for g, all public.
struct Ctx {
    n: [u64; LIMBS],
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    n_rev: [u64; LIMBS],
    /// N's limbs reversed, packed in vectors in their four alignments, for the SIMD code.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    n_rev_v: [simd::Vecs; 4],
    one: Fe,
    r2: Fe,
    g: Fe,
    /// comb[s] = ∏ g^(2^(43·j)) over the set bits j of s, in Montgomery form.
    comb: [Fe; 1 << COMB_TEETH],
    /// The comb packed for [`simd::select`].
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    comb_v: Vec<simd::Packed>,
}

fn ctx() -> &'static Ctx {
    static CTX: OnceLock<Ctx> = OnceLock::new();
    CTX.get_or_init(|| {
        let mut n = [0u64; LIMBS];
        for (d, s) in n.iter_mut().zip(limbs_from_be_bytes(&hex_bytes(N_HEX))) {
            *d = s;
        }
        // R mod N = 2^3080 mod N: 2^3071 < N, doubled 9 times with a reduction after each doubling.
        let mut one = [0u64; LIMBS];
        one[(R_BITS - 9) / LIMB_BITS] = 1 << ((R_BITS - 9) % LIMB_BITS);
        for _ in 0..9 {
            one = reduce(&add_limbs(&one, &one), &n);
        }
        let g = Fe(reduce(&add_limbs(&one, &one), &n));
        let mut c = Ctx {
            n,
            #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
            n_rev: reversed(&n),
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            n_rev_v: simd::n_rev_shifts(&n),
            one: Fe(one),
            r2: Fe::ZERO,
            g,
            comb: [Fe::ZERO; 1 << COMB_TEETH],
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            comb_v: Vec::new(),
        };
        // R² mod N is the Montgomery form of 2^3080, that is g^3080 computed in Montgomery form.
        c.r2 = Fe(reduce(&pow_in(&c, &g, &[R_BITS as u32], 32).0, &n));
        let teeth = TEETH
            .map(|hex| c.to_mont(&hex_bytes(hex)));
        c.comb[0] = c.one;
        c.comb[1] = c.g;
        for (j, tooth) in teeth.iter().enumerate() {
            let bit = 2 << j;
            c.comb[bit] = *tooth;
            for s in 1..bit {
                c.comb[bit | s] = c.mul(&c.comb[s], tooth);
            }
        }
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        {
            c.comb_v = simd::pack_table(&c.comb);
        }
        c
    })
}

impl Ctx {
    fn mul(&self, a: &Fe, b: &Fe) -> Fe {
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        return simd::mul(a, b, self.n[0], &self.n_rev_v);
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        return mul(a, b, &self.n, &self.n_rev);
    }

    fn sqr(&self, a: &Fe) -> Fe {
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        return simd::sqr(a, self.n[0], &self.n_rev_v);
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        return sqr(a, &self.n, &self.n_rev);
    }

    /// comb[index], through the constant-time lookup.
    fn comb_entry(&self, index: u64) -> Fe {
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        return simd::select(&self.comb_v, index);
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        return select(&self.comb, index);
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
/// Unrolled by four by hand: the crate is built for size (opt-level "z"), which does not unroll loops, and this
/// is the inner loop of every multiplication.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
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
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
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
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
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

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
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
    pow_in(ctx(), base, exp, exp.len() * 32)
}

/// base^exp for an exponent known to be below 2^bits (`bits` public): only its low `bits` bits are read.
pub(crate) fn pow_bits(base: &Fe, exp: &[u32], bits: usize) -> Fe {
    pow_in(ctx(), base, exp, bits.min(exp.len() * 32))
}

fn pow_in(c: &Ctx, base: &Fe, exp: &[u32], bits: usize) -> Fe {
    let mut table = vec![Fe::ZERO; 1 << WINDOW];
    table[0] = c.one;
    table[1] = *base;
    for i in 2..table.len() {
        table[i] = if i % 2 == 0 { c.sqr(&table[i / 2]) } else { c.mul(&table[i - 1], base) };
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let table = simd::pack_table(&table);
    let windows = bits.div_ceil(WINDOW);
    let mut acc = c.one;
    for w in (0..windows).rev() {
        let digit = (0..WINDOW).fold(0, |d, j| d | bit(exp, w * WINDOW + j) << j);
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let entry = simd::select(&table, digit);
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
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

/// g^exp. Exponents of up to 256 bits use the fixed-base comb (42 squarings and 42 multiplications instead of
/// 255 squarings and 51 multiplications); longer ones use [`pow`].
pub(crate) fn pow_g(exp: &[u32]) -> Fe {
    let c = ctx();
    if exp.len() * 32 > COMB_BITS {
        return pow(&c.g, exp);
    }
    let mut acc = c.one;
    for col in (0..COMB_SPACING).rev() {
        let index = (0..COMB_TEETH).fold(0, |s, j| s | bit(exp, j * COMB_SPACING + col) << j);
        let entry = c.comb_entry(index);
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

/// Bytes of an even-length hex constant (only the constants of this file; a non-hex digit reads as 0).
fn hex_bytes(hex: &str) -> Vec<u8> {
    hex.as_bytes()
        .chunks(2)
        .map(|pair| pair.iter().fold(0u8, |b, c| b << 4 | char::from(*c).to_digit(16).unwrap_or(0) as u8))
        .collect()
}

/// Little-endian 32-bit words of big-endian bytes (the byte length's worth of words; leading zeros are kept).
pub(crate) fn words_from_be_bytes(bytes: &[u8]) -> Vec<u32> {
    bytes.rchunks(4).map(|c| c.iter().fold(0u32, |w, b| w << 8 | u32::from(*b))).collect()
}

/// RFC 3526 group 15 (3072-bit MODP prime), the `N` of Cognito's SRP.
pub(crate) const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1",
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245",
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D",
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D",
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9",
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64",
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B",
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31",
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The comb's teeth g^(2^(43·j)) for j = 1…5, as hex.
const TEETH: [&str; COMB_TEETH - 1] = [G_2_POW_43, G_2_POW_86, G_2_POW_129, G_2_POW_172, G_2_POW_215];

/// g^(2^43) mod N, a comb tooth (checked against num-bigint in the tests).
const G_2_POW_43: &str = concat!(
    "8f9de2552adca103c067839b4643413baab4182146de3bc5e2f7b7c65604f3c97d686e0304e07420fbf9d90b6fd59088",
    "69e9cb179f367b7c1d62135a941947e4a12f9aa871ae3e2c6144ff6cca32a4b87a26f8940ea72a46a14de7912edae429",
    "2a053cbf9116c4924bdbc207bae5fe015e4e43a2ec1b4fd366472808101d5b834d4376ca3ad46b20277a26829b7bbec0",
    "8e720c6b7a595284ac3d1a17c7cc3692c23f49abbe47325b41f8fc2c921b8e8cdb89663d3a1c90d905924a26f2e8af94",
    "f924878ce9924e1a4006b9f5fa493aa213ba93a1865c36bbeb7e04462eb8a79e11f7dacd77ddb3abdcfe24c5c508bb50",
    "866a2d75476a1c29673da199c5e69dfbdd476db0f0f96d8123ec3a990c2e88bef6d33c867757f35e8e97ca1a33176779",
    "d633869ff290190ee738c2de1c18b5be507e9c6ea4d7d5097b2ba2d7b2b0ff1fffb9a92e069e44323e17c636eb9c3638",
    "f231960e52ff0cae0ca00a232ecbdfac6d7cee4a2f037817fa6bae49195fbd505195b3ff39f08edb143d217b889985ee",
);

/// g^(2^86) mod N, a comb tooth (checked against num-bigint in the tests).
const G_2_POW_86: &str = concat!(
    "22916b63304601cefaeb2ee8ae2f97dd83679e5cd74b92b021197991725cd6860c9657ca1c819527ef5104518bd87d25",
    "a6481e7223fe4a4c5227238d1cf614a57a300ed3a4ab26483a0c9b2caab752c3c10cbc5046f45377870ae6564f6e5618",
    "1c91e2e4f06a089760f68e510023a7a2cb1af1f8262c6a72f0ed4798623222121166f63603c1aaa24c4a272601219929",
    "f11ec2ea756bfe3bc850ee6949078ad19727483d6b670862bc3379bfcd15c51de2f847fc79f71e1854245540cb4ffac9",
    "8c8da98c93561d40220095092df30d4c9b9503175c6f34104e64409006e6942234d71d346bbbf61fd9b2e741c1c6e6f2",
    "671a9c505c22874e28dc7b606b2617b4d9ba54bc82000fb792701378dfc3e0d19a6ac97aa34ac78b8244f71cf935a67a",
    "367d181002b287d378e0528430afde71ae3ce8d2f07ff209ae90ddcfa03d37df282f5455405175c03b9f05588f615e98",
    "3d2a79f77a32256df2f25c81d01cc927d9c1ad612a0cc7d9a208fea738d39baa8322740d38b327985c42068d8898cc0f",
);

/// g^(2^129) mod N, a comb tooth (checked against num-bigint in the tests).
const G_2_POW_129: &str = concat!(
    "cd234d1c26b833a41f335de828077fbcea9ffdd18f6f6124a8cf8706bf431aa7dc8b108a3cb7a79869ef3a9fd2e909ad",
    "77cf2a7ebd106d9d428cbe6c7e089a256c401bba3e70243c6856cdeb5e61de2cb0a0dd5b57b15b4b3736d8a585a64229",
    "52be3ce2c837c994c5469b035a494fd2ced73f9981962961e880ef6d061a35502d75c8226fc8f364fb88493656871aa4",
    "2f34478d57fbe797ec89445c3385df0371471d48eb80c47be8178b7952bbfa194bec51b5edc75381d4c31732e0a58fe9",
    "18ab4b70f47f7a948776c81a2b1c97d8dae965ccb21253231fc843023a71d33bc91638a19f148906ecd03d08d8f4130d",
    "83abcd7d2f82ab0916d8c1e52783397b7abfc91d0c7f55f2655cbeb71ac65b42fc7b484a67491393b6b14412444ca06f",
    "bb417f0916fd6d17e59ea4120aac18387938d88c9ec9ba1e8302e0caf253042419c88f9e0bdd827f889e26d8b1cc3c5a",
    "e4104ce7ff91f31cecf8c69222a39ac39238316202a7c396f490fe13d48c577afc79f8c714d23993c43d2ecb210d88b4",
);

/// g^(2^172) mod N, a comb tooth (checked against num-bigint in the tests).
const G_2_POW_172: &str = concat!(
    "0474e271b0dd4201cd714c3bb8fdfa198a948cc0578a29129b142f799bdffaa42f332e8160337bdb094b316828526629",
    "6237f5cf90760ceb4d3a36f010cd688d8fedecf1e931c7ebf0249dc70a2897c5a3efc398296e7db5f852325c55bc22dd",
    "a9122d25d4909a07dc97d5692b446d32f615c8f8396b8391de84a10bde9241777bc2dd974c59aad5f1414ab70dd7c490",
    "34e8072d68828bd9b1fb63f79f8d58f9213890db5292187b6b0839ae6f4cf263e4cb102353e32ac76b2af70bc8e66080",
    "2c42ef08668c455f0261df50ffeeac490a22c68b7aea725c1ff446106ad902996c0299b9a287b503739b0352ed15e0d5",
    "304643237bcce26f3b343602024f15ef6501ed9827729e0063ee737890b198b8618e5beba5d4b50a6f0d77e4169b06d9",
    "3b983f6f280e84c3417e820ea8985b71cd1b82dde727c5bb400f9f5cb6225f8071d5fa642f0115d15315e9df7a750117",
    "4b291af87d85cf56b79debf55d73d8a8e8ca0f845dc5c2f1c2efd40759f53b94df2ceef76f06649ab0403241fceed06c",
);

/// g^(2^215) mod N, a comb tooth (checked against num-bigint in the tests).
const G_2_POW_215: &str = concat!(
    "bf8d897e23601cb6573605f1a9629a51ffb9f195f8c46e75f6ed48fde3a331b8d6083bf2b9a0659fd07e0fdedc89b0a6",
    "4557f338264e8e336dd8372ccd696a290c46b7bc5d2139dec2451b039417a717f32a42f5714c9326e2881c10d62cf01b",
    "46080b7b728f21ede2aba43f5110215692c9d40850d8791c0834a1c015563026107626aef75a5c39085f5eca95487c54",
    "44636a11a1c75a51c04f6039d9b4eac433dba419b3f627662ff55f6a0df56fa742d3a73dd24c17467fba397fc058243a",
    "f6370fafcff0a643c9283054f76f3c38c75669982674acee6b2ac5867415f388e2114c4a1fe2df30ee6661eed3ce894b",
    "33c8b72c547c78f6fff244ce775cd62f4bed477ead887508f287e7454d057a2ef7951d0b58d261d7b5a2227210f63108",
    "48d5c97cb5fd266cf170fa5d937933c988779e7b2ea4dd8760fa3d8e0be75d2ffa601caac556025b88aa233bb1d19b78",
    "758b0d74eeed4f2b8f631bc7b3a3bc25b44c0a231fc89918a48975b270824bc66d33e730560020283a8c8be9aa3e7382",
);

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn n() -> BigUint {
        BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap()
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
        for (j, hex) in TEETH.iter().enumerate() {
            let e = BigUint::from(1u8) << (COMB_SPACING * (j + 1));
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
    fn pow_bits_reads_only_the_low_bits() {
        let mut seed = 7;
        let base = from_words(&words(&mut seed, 96));
        for bits in [1usize, 5, 255, 256, 257, 513] {
            let mut exp = words(&mut seed, 17);
            for (i, w) in exp.iter_mut().enumerate() {
                let keep = bits.saturating_sub(32 * i).min(32);
                *w &= if keep == 32 { u32::MAX } else { (1u32 << keep) - 1 };
            }
            let got = big(&from_mont(&pow_bits(&to_mont(&base), &exp, bits)));
            assert_eq!(got, base.modpow(&from_words(&exp), &n()), "{bits} bits");
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
        for i in 0..c.comb.len() {
            assert!(c.comb_entry(i as u64) == c.comb[i]);
        }
        assert!(c.comb_entry(c.comb.len() as u64) == Fe::ZERO);
    }

    #[test]
    fn words_from_be_bytes_keeps_leading_zeros() {
        assert_eq!(words_from_be_bytes(&[0, 0, 0, 0, 0, 0, 1, 2]), vec![0x0102, 0]);
        assert_eq!(words_from_be_bytes(&[1, 2, 3, 4, 5]), vec![0x0203_0405, 1]);
    }
}
