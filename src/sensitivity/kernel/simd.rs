//! The vector operations the register-resident Monte Carlo loop is written
//! in, implemented once per instruction set.
//!
//! A vector holds [`Simd::LANES`] samples: 16 for AVX-512 (a whole group of
//! samples, from the 8 random streams) and 8 for AVX2 (half a group, from 4
//! of the streams, so the loop makes two passes over each group with half
//! the registers live); the portable version holds 16 in plain arrays that
//! the compiler vectorises as it can. Each operation is
//! an IEEE basic operation or a fused multiply-add, or exact integer
//! arithmetic, so the three give the same bits; the tests in `kernel.rs`
//! check that on every path the machine can run.
//!
//! An instruction set is a zero-sized token that can only be made where
//! the CPU has it; the loop is generic over the token and compiled inside
//! a function with the matching target features, so every method here
//! inlines into straight-line vector code.

// Lane loops index several arrays in step; that is the pattern the vectoriser wants.
#![allow(clippy::needless_range_loop)]

/// Samples in a group: one step of the 8 random streams.
pub const WIDTH: usize = 16;

/// The operations of the Monte Carlo loop on one vector of samples.
pub trait Simd: Copy {
    /// Samples per vector: 16 or 8 (a group or half of one).
    const LANES: usize;
    /// Whether registers are few (16 rather than 32), so that the loop
    /// should trade a little arithmetic for fewer values live at once.
    const FEW_REGISTERS: bool;
    /// `LANES / 2` random streams' state words, one `u64` lane each.
    type U64s: Copy;
    /// `LANES` lanes of `f32`.
    type F32s: Copy;
    /// `LANES` lanes of `i32`.
    type I32s: Copy;
    /// `LANES` lanes of true or false.
    type Mask: Copy;

    /// Loads the words of `LANES / 2` streams.
    fn load_u64s(self, x: &[u64]) -> Self::U64s;
    /// Stores the words of `LANES / 2` streams.
    fn store_u64s(self, x: &mut [u64], v: Self::U64s);
    /// Wrapping addition.
    fn add_u64(self, a: Self::U64s, b: Self::U64s) -> Self::U64s;
    /// Exclusive or.
    fn xor_u64(self, a: Self::U64s, b: Self::U64s) -> Self::U64s;
    /// Shift left by 17 (the generator's shifts and rotations are named
    /// rather than generic: each instruction set's intrinsics take their
    /// count as a constant of a different type).
    fn shl17_u64(self, a: Self::U64s) -> Self::U64s;
    /// Rotate left by 23.
    fn rotl23_u64(self, a: Self::U64s) -> Self::U64s;
    /// Rotate left by 45.
    fn rotl45_u64(self, a: Self::U64s) -> Self::U64s;
    /// The `LANES` uniforms `(k + 0.5) / 2^23` from the top 23 bits of each
    /// 32-bit half, low half first, as [`super::uniform_f32`] makes them.
    fn uniforms(self, bits: Self::U64s) -> Self::F32s;

    /// Every lane `x`.
    fn splat(self, x: f32) -> Self::F32s;
    /// Lane-wise minimum (the operands are never NaN or zero here).
    fn min(self, a: Self::F32s, b: Self::F32s) -> Self::F32s;
    /// Lane-wise maximum.
    fn max(self, a: Self::F32s, b: Self::F32s) -> Self::F32s;
    /// `c * x + acc` with one rounding, lane by lane.
    fn mul_add(self, c: Self::F32s, x: Self::F32s, acc: Self::F32s) -> Self::F32s;
    /// `a > b` (false if either is NaN).
    fn gt(self, a: Self::F32s, b: Self::F32s) -> Self::Mask;
    /// `a >= b` (false if either is NaN).
    fn ge(self, a: Self::F32s, b: Self::F32s) -> Self::Mask;
    /// `a <= 0`.
    fn le_zero(self, a: Self::F32s) -> Self::Mask;
    /// Lane `l` is bit `l`.
    fn bits(self, m: Self::Mask) -> u16;
    /// The mask whose lane `l` is bit `l` of `bits`.
    fn mask_of(self, bits: u16) -> Self::Mask;

    /// Every lane `x`.
    fn splat_i32(self, x: i32) -> Self::I32s;
    /// Adds 1 where `m` holds.
    fn inc(self, c: Self::I32s, m: Self::Mask) -> Self::I32s;
    /// Takes 1 off where `m` holds.
    fn dec(self, c: Self::I32s, m: Self::Mask) -> Self::I32s;
    /// `a` where `m` holds, else `b`.
    fn select_i32(self, m: Self::Mask, a: Self::I32s, b: Self::I32s) -> Self::I32s;
    /// `a == 0`.
    fn eq_zero(self, a: Self::I32s) -> Self::Mask;
    /// Wrapping addition.
    fn add_i32(self, a: Self::I32s, b: Self::I32s) -> Self::I32s;
    /// Wrapping subtraction.
    fn sub_i32(self, a: Self::I32s, b: Self::I32s) -> Self::I32s;
    /// Bitwise and.
    fn and_i32(self, a: Self::I32s, b: Self::I32s) -> Self::I32s;
    /// Shift left by 2.
    fn shl2_i32(self, a: Self::I32s) -> Self::I32s;
    /// Logical shift right by 4.
    fn shr4_i32(self, a: Self::I32s) -> Self::I32s;
    /// `1 << s` in each lane, 0 where `s`, read as unsigned, is 32 or more.
    fn one_shl(self, s: Self::I32s) -> Self::I32s;
    /// Logical shift right of each lane by its own count (0 from 32 up).
    fn shr_by(self, a: Self::I32s, s: Self::I32s) -> Self::I32s;
    /// Wrapping sum of the lanes.
    fn sum_i32(self, a: Self::I32s) -> u32;
    /// `x[l] += 1` where `m` holds (`x` holds `LANES` values).
    fn add_one_where(self, x: &mut [u32], m: Self::Mask);
    /// `x[l] += v[l]` where `m` holds (`x` holds `LANES` values).
    fn add_where(self, x: &mut [f32], m: Self::Mask, v: Self::F32s);
}

/// Plain arrays: any CPU; the compiler vectorises what it can for the
/// baseline instruction set (SSE2 on x86-64, NEON on 64-bit ARM).
#[derive(Debug, Clone, Copy)]
pub struct Scalar;

/// Lane-wise map over arrays.
#[inline(always)]
fn map<T: Copy, U, const N: usize>(a: [T; N], f: impl Fn(T) -> U) -> [U; N] {
    a.map(f)
}

#[inline(always)]
fn zip<T: Copy, U, const N: usize>(a: [T; N], b: [T; N], f: impl Fn(T, T) -> U) -> [U; N] {
    std::array::from_fn(|l| f(a[l], b[l]))
}

impl Simd for Scalar {
    const LANES: usize = WIDTH;
    const FEW_REGISTERS: bool = false;
    type U64s = [u64; 8];
    type F32s = [f32; WIDTH];
    type I32s = [i32; WIDTH];
    type Mask = [bool; WIDTH];

    #[inline(always)]
    fn load_u64s(self, x: &[u64]) -> [u64; 8] {
        std::array::from_fn(|l| x[l])
    }
    #[inline(always)]
    fn store_u64s(self, x: &mut [u64], v: [u64; 8]) {
        x[..8].copy_from_slice(&v);
    }
    #[inline(always)]
    fn add_u64(self, a: [u64; 8], b: [u64; 8]) -> [u64; 8] {
        zip(a, b, u64::wrapping_add)
    }
    #[inline(always)]
    fn xor_u64(self, a: [u64; 8], b: [u64; 8]) -> [u64; 8] {
        zip(a, b, |x, y| x ^ y)
    }
    #[inline(always)]
    fn shl17_u64(self, a: [u64; 8]) -> [u64; 8] {
        map(a, |x| x << 17)
    }
    #[inline(always)]
    fn rotl23_u64(self, a: [u64; 8]) -> [u64; 8] {
        map(a, |x| x.rotate_left(23))
    }
    #[inline(always)]
    fn rotl45_u64(self, a: [u64; 8]) -> [u64; 8] {
        map(a, |x| x.rotate_left(45))
    }
    #[inline(always)]
    fn uniforms(self, bits: [u64; 8]) -> [f32; WIDTH] {
        std::array::from_fn(|l| {
            let word = bits[l / 2] >> (32 * (l % 2));
            super::uniform_f32(word as u32)
        })
    }
    #[inline(always)]
    fn splat(self, x: f32) -> [f32; WIDTH] {
        [x; WIDTH]
    }
    #[inline(always)]
    fn min(self, a: [f32; WIDTH], b: [f32; WIDTH]) -> [f32; WIDTH] {
        zip(a, b, |x, y| if y < x { y } else { x })
    }
    #[inline(always)]
    fn max(self, a: [f32; WIDTH], b: [f32; WIDTH]) -> [f32; WIDTH] {
        zip(a, b, |x, y| if y < x { x } else { y })
    }
    #[inline(always)]
    fn mul_add(self, c: [f32; WIDTH], x: [f32; WIDTH], acc: [f32; WIDTH]) -> [f32; WIDTH] {
        std::array::from_fn(|l| c[l].mul_add(x[l], acc[l]))
    }
    #[inline(always)]
    fn gt(self, a: [f32; WIDTH], b: [f32; WIDTH]) -> [bool; WIDTH] {
        zip(a, b, |x, y| x > y)
    }
    #[inline(always)]
    fn ge(self, a: [f32; WIDTH], b: [f32; WIDTH]) -> [bool; WIDTH] {
        zip(a, b, |x, y| x >= y)
    }
    #[inline(always)]
    fn le_zero(self, a: [f32; WIDTH]) -> [bool; WIDTH] {
        map(a, |x| x <= 0.0)
    }
    #[inline(always)]
    fn bits(self, m: [bool; WIDTH]) -> u16 {
        m.iter()
            .enumerate()
            .fold(0, |acc, (l, &b)| acc | (u16::from(b) << l))
    }
    #[inline(always)]
    fn mask_of(self, bits: u16) -> [bool; WIDTH] {
        std::array::from_fn(|l| bits >> l & 1 == 1)
    }
    #[inline(always)]
    fn splat_i32(self, x: i32) -> [i32; WIDTH] {
        [x; WIDTH]
    }
    #[inline(always)]
    fn inc(self, c: [i32; WIDTH], m: [bool; WIDTH]) -> [i32; WIDTH] {
        std::array::from_fn(|l| c[l].wrapping_add(i32::from(m[l])))
    }
    #[inline(always)]
    fn dec(self, c: [i32; WIDTH], m: [bool; WIDTH]) -> [i32; WIDTH] {
        std::array::from_fn(|l| c[l].wrapping_sub(i32::from(m[l])))
    }
    #[inline(always)]
    fn select_i32(self, m: [bool; WIDTH], a: [i32; WIDTH], b: [i32; WIDTH]) -> [i32; WIDTH] {
        std::array::from_fn(|l| if m[l] { a[l] } else { b[l] })
    }
    #[inline(always)]
    fn eq_zero(self, a: [i32; WIDTH]) -> [bool; WIDTH] {
        map(a, |x| x == 0)
    }
    #[inline(always)]
    fn add_i32(self, a: [i32; WIDTH], b: [i32; WIDTH]) -> [i32; WIDTH] {
        zip(a, b, i32::wrapping_add)
    }
    #[inline(always)]
    fn sub_i32(self, a: [i32; WIDTH], b: [i32; WIDTH]) -> [i32; WIDTH] {
        zip(a, b, i32::wrapping_sub)
    }
    #[inline(always)]
    fn and_i32(self, a: [i32; WIDTH], b: [i32; WIDTH]) -> [i32; WIDTH] {
        zip(a, b, |x, y| x & y)
    }
    #[inline(always)]
    fn shl2_i32(self, a: [i32; WIDTH]) -> [i32; WIDTH] {
        map(a, |x| x << 2)
    }
    #[inline(always)]
    fn shr4_i32(self, a: [i32; WIDTH]) -> [i32; WIDTH] {
        map(a, |x| ((x as u32) >> 4) as i32)
    }
    #[inline(always)]
    fn one_shl(self, s: [i32; WIDTH]) -> [i32; WIDTH] {
        map(s, |s| 1u32.checked_shl(s as u32).unwrap_or(0) as i32)
    }
    #[inline(always)]
    fn shr_by(self, a: [i32; WIDTH], s: [i32; WIDTH]) -> [i32; WIDTH] {
        zip(a, s, |x, s| {
            (x as u32).checked_shr(s as u32).unwrap_or(0) as i32
        })
    }
    #[inline(always)]
    fn sum_i32(self, a: [i32; WIDTH]) -> u32 {
        a.iter().fold(0u32, |acc, &x| acc.wrapping_add(x as u32))
    }
    #[inline(always)]
    fn add_one_where(self, x: &mut [u32], m: [bool; WIDTH]) {
        for l in 0..WIDTH {
            x[l] += u32::from(m[l]);
        }
    }
    #[inline(always)]
    fn add_where(self, x: &mut [f32], m: [bool; WIDTH], v: [f32; WIDTH]) {
        for l in 0..WIDTH {
            x[l] += if m[l] { v[l] } else { 0.0 };
        }
    }
}

#[cfg(target_arch = "x86_64")]
pub use x86::{Avx2, Avx512};

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use super::{Simd, WIDTH};

    /// AVX2 with FMA: a group is two 256-bit registers.
    #[derive(Debug, Clone, Copy)]
    pub struct Avx2(());

    impl Avx2 {
        /// The token, where the CPU has AVX2 and FMA.
        pub fn new() -> Option<Avx2> {
            (is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"))
                .then_some(Avx2(()))
        }
    }

    /// AVX-512 (F, BW, DQ, VL): a group is one 512-bit register, masks are
    /// mask registers.
    #[derive(Debug, Clone, Copy)]
    pub struct Avx512(());

    impl Avx512 {
        /// The token, where the CPU has the AVX-512 subsets used.
        pub fn new() -> Option<Avx512> {
            (is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("avx512dq")
                && is_x86_feature_detected!("avx512vl"))
            .then_some(Avx512(()))
        }
    }

    // SAFETY (every `unsafe` block in the two implementations below): an
    // `Avx2` or `Avx512` value exists only where `new` found the CPU
    // features its intrinsics need, and memory intrinsics read and write one
    // unaligned vector's worth of a slice asserted to be at least that long.

    impl Simd for Avx2 {
        const LANES: usize = 8;
        const FEW_REGISTERS: bool = true;
        type U64s = __m256i;
        type F32s = __m256;
        type I32s = __m256i;
        type Mask = __m256i;

        #[inline(always)]
        fn load_u64s(self, x: &[u64]) -> __m256i {
            assert!(x.len() >= 4);
            unsafe { _mm256_loadu_si256(x.as_ptr().cast()) }
        }
        #[inline(always)]
        fn store_u64s(self, x: &mut [u64], v: __m256i) {
            assert!(x.len() >= 4);
            unsafe { _mm256_storeu_si256(x.as_mut_ptr().cast(), v) }
        }
        #[inline(always)]
        fn add_u64(self, a: __m256i, b: __m256i) -> __m256i {
            unsafe { _mm256_add_epi64(a, b) }
        }
        #[inline(always)]
        fn xor_u64(self, a: __m256i, b: __m256i) -> __m256i {
            unsafe { _mm256_xor_si256(a, b) }
        }
        #[inline(always)]
        fn shl17_u64(self, a: __m256i) -> __m256i {
            unsafe { _mm256_slli_epi64::<17>(a) }
        }
        #[inline(always)]
        fn rotl23_u64(self, a: __m256i) -> __m256i {
            unsafe { _mm256_or_si256(_mm256_slli_epi64::<23>(a), _mm256_srli_epi64::<41>(a)) }
        }
        #[inline(always)]
        fn rotl45_u64(self, a: __m256i) -> __m256i {
            unsafe { _mm256_or_si256(_mm256_slli_epi64::<45>(a), _mm256_srli_epi64::<19>(a)) }
        }
        #[inline(always)]
        fn uniforms(self, bits: __m256i) -> __m256 {
            unsafe {
                let m =
                    _mm256_or_si256(_mm256_srli_epi32::<9>(bits), _mm256_set1_epi32(0x3F80_0000));
                _mm256_sub_ps(
                    _mm256_castsi256_ps(m),
                    _mm256_set1_ps(1.0 - 1.0 / 16_777_216.0),
                )
            }
        }
        #[inline(always)]
        fn splat(self, x: f32) -> __m256 {
            unsafe { _mm256_set1_ps(x) }
        }
        #[inline(always)]
        fn min(self, a: __m256, b: __m256) -> __m256 {
            unsafe { _mm256_min_ps(a, b) }
        }
        #[inline(always)]
        fn max(self, a: __m256, b: __m256) -> __m256 {
            unsafe { _mm256_max_ps(a, b) }
        }
        #[inline(always)]
        fn mul_add(self, c: __m256, x: __m256, acc: __m256) -> __m256 {
            unsafe { _mm256_fmadd_ps(c, x, acc) }
        }
        #[inline(always)]
        fn gt(self, a: __m256, b: __m256) -> __m256i {
            unsafe { _mm256_castps_si256(_mm256_cmp_ps::<_CMP_GT_OQ>(a, b)) }
        }
        #[inline(always)]
        fn ge(self, a: __m256, b: __m256) -> __m256i {
            unsafe { _mm256_castps_si256(_mm256_cmp_ps::<_CMP_GE_OQ>(a, b)) }
        }
        #[inline(always)]
        fn le_zero(self, a: __m256) -> __m256i {
            unsafe { _mm256_castps_si256(_mm256_cmp_ps::<_CMP_LE_OQ>(a, _mm256_setzero_ps())) }
        }
        #[inline(always)]
        fn bits(self, m: __m256i) -> u16 {
            unsafe { _mm256_movemask_ps(_mm256_castsi256_ps(m)) as u16 }
        }
        #[inline(always)]
        fn mask_of(self, bits: u16) -> __m256i {
            unsafe {
                let lane = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
                let v = _mm256_and_si256(_mm256_set1_epi32(i32::from(bits)), lane);
                _mm256_cmpeq_epi32(v, lane)
            }
        }
        #[inline(always)]
        fn splat_i32(self, x: i32) -> __m256i {
            unsafe { _mm256_set1_epi32(x) }
        }
        #[inline(always)]
        fn inc(self, c: __m256i, m: __m256i) -> __m256i {
            // A true lane is all ones, -1.
            unsafe { _mm256_sub_epi32(c, m) }
        }
        #[inline(always)]
        fn dec(self, c: __m256i, m: __m256i) -> __m256i {
            unsafe { _mm256_add_epi32(c, m) }
        }
        #[inline(always)]
        fn select_i32(self, m: __m256i, a: __m256i, b: __m256i) -> __m256i {
            unsafe { _mm256_blendv_epi8(b, a, m) }
        }
        #[inline(always)]
        fn eq_zero(self, a: __m256i) -> __m256i {
            unsafe { _mm256_cmpeq_epi32(a, _mm256_setzero_si256()) }
        }
        #[inline(always)]
        fn add_i32(self, a: __m256i, b: __m256i) -> __m256i {
            unsafe { _mm256_add_epi32(a, b) }
        }
        #[inline(always)]
        fn sub_i32(self, a: __m256i, b: __m256i) -> __m256i {
            unsafe { _mm256_sub_epi32(a, b) }
        }
        #[inline(always)]
        fn and_i32(self, a: __m256i, b: __m256i) -> __m256i {
            unsafe { _mm256_and_si256(a, b) }
        }
        #[inline(always)]
        fn shl2_i32(self, a: __m256i) -> __m256i {
            unsafe { _mm256_slli_epi32::<2>(a) }
        }
        #[inline(always)]
        fn shr4_i32(self, a: __m256i) -> __m256i {
            unsafe { _mm256_srli_epi32::<4>(a) }
        }
        #[inline(always)]
        fn one_shl(self, s: __m256i) -> __m256i {
            unsafe { _mm256_sllv_epi32(_mm256_set1_epi32(1), s) }
        }
        #[inline(always)]
        fn shr_by(self, a: __m256i, s: __m256i) -> __m256i {
            unsafe { _mm256_srlv_epi32(a, s) }
        }
        #[inline(always)]
        fn sum_i32(self, a: __m256i) -> u32 {
            let mut lanes = [0u32; 8];
            unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), a) };
            lanes.iter().fold(0u32, |acc, &x| acc.wrapping_add(x))
        }
        #[inline(always)]
        fn add_one_where(self, x: &mut [u32], m: __m256i) {
            assert!(x.len() >= 8);
            let p = x.as_mut_ptr().cast::<__m256i>();
            unsafe { _mm256_storeu_si256(p, _mm256_sub_epi32(_mm256_loadu_si256(p), m)) }
        }
        #[inline(always)]
        fn add_where(self, x: &mut [f32], m: __m256i, v: __m256) {
            assert!(x.len() >= 8);
            let p = x.as_mut_ptr();
            unsafe {
                let keep = _mm256_and_ps(v, _mm256_castsi256_ps(m));
                _mm256_storeu_ps(p, _mm256_add_ps(_mm256_loadu_ps(p), keep));
            }
        }
    }

    impl Simd for Avx512 {
        const LANES: usize = WIDTH;
        const FEW_REGISTERS: bool = false;
        type U64s = __m512i;
        type F32s = __m512;
        type I32s = __m512i;
        type Mask = __mmask16;

        #[inline(always)]
        fn load_u64s(self, x: &[u64]) -> __m512i {
            assert!(x.len() >= 8);
            unsafe { _mm512_loadu_si512(x.as_ptr().cast()) }
        }
        #[inline(always)]
        fn store_u64s(self, x: &mut [u64], v: __m512i) {
            assert!(x.len() >= 8);
            unsafe { _mm512_storeu_si512(x.as_mut_ptr().cast(), v) }
        }
        #[inline(always)]
        fn add_u64(self, a: __m512i, b: __m512i) -> __m512i {
            unsafe { _mm512_add_epi64(a, b) }
        }
        #[inline(always)]
        fn xor_u64(self, a: __m512i, b: __m512i) -> __m512i {
            unsafe { _mm512_xor_si512(a, b) }
        }
        #[inline(always)]
        fn shl17_u64(self, a: __m512i) -> __m512i {
            unsafe { _mm512_slli_epi64::<17>(a) }
        }
        #[inline(always)]
        fn rotl23_u64(self, a: __m512i) -> __m512i {
            unsafe { _mm512_rol_epi64::<23>(a) }
        }
        #[inline(always)]
        fn rotl45_u64(self, a: __m512i) -> __m512i {
            unsafe { _mm512_rol_epi64::<45>(a) }
        }
        #[inline(always)]
        fn uniforms(self, bits: __m512i) -> __m512 {
            unsafe {
                let m =
                    _mm512_or_si512(_mm512_srli_epi32::<9>(bits), _mm512_set1_epi32(0x3F80_0000));
                _mm512_sub_ps(
                    _mm512_castsi512_ps(m),
                    _mm512_set1_ps(1.0 - 1.0 / 16_777_216.0),
                )
            }
        }
        #[inline(always)]
        fn splat(self, x: f32) -> __m512 {
            unsafe { _mm512_set1_ps(x) }
        }
        #[inline(always)]
        fn min(self, a: __m512, b: __m512) -> __m512 {
            unsafe { _mm512_min_ps(a, b) }
        }
        #[inline(always)]
        fn max(self, a: __m512, b: __m512) -> __m512 {
            unsafe { _mm512_max_ps(a, b) }
        }
        #[inline(always)]
        fn mul_add(self, c: __m512, x: __m512, acc: __m512) -> __m512 {
            unsafe { _mm512_fmadd_ps(c, x, acc) }
        }
        #[inline(always)]
        fn gt(self, a: __m512, b: __m512) -> __mmask16 {
            unsafe { _mm512_cmp_ps_mask::<_CMP_GT_OQ>(a, b) }
        }
        #[inline(always)]
        fn ge(self, a: __m512, b: __m512) -> __mmask16 {
            unsafe { _mm512_cmp_ps_mask::<_CMP_GE_OQ>(a, b) }
        }
        #[inline(always)]
        fn le_zero(self, a: __m512) -> __mmask16 {
            unsafe { _mm512_cmp_ps_mask::<_CMP_LE_OQ>(a, _mm512_setzero_ps()) }
        }
        #[inline(always)]
        fn bits(self, m: __mmask16) -> u16 {
            m
        }
        #[inline(always)]
        fn mask_of(self, bits: u16) -> __mmask16 {
            bits
        }
        #[inline(always)]
        fn splat_i32(self, x: i32) -> __m512i {
            unsafe { _mm512_set1_epi32(x) }
        }
        #[inline(always)]
        fn inc(self, c: __m512i, m: __mmask16) -> __m512i {
            unsafe { _mm512_mask_add_epi32(c, m, c, _mm512_set1_epi32(1)) }
        }
        #[inline(always)]
        fn dec(self, c: __m512i, m: __mmask16) -> __m512i {
            unsafe { _mm512_mask_sub_epi32(c, m, c, _mm512_set1_epi32(1)) }
        }
        #[inline(always)]
        fn select_i32(self, m: __mmask16, a: __m512i, b: __m512i) -> __m512i {
            unsafe { _mm512_mask_mov_epi32(b, m, a) }
        }
        #[inline(always)]
        fn eq_zero(self, a: __m512i) -> __mmask16 {
            unsafe { _mm512_cmpeq_epi32_mask(a, _mm512_setzero_si512()) }
        }
        #[inline(always)]
        fn add_i32(self, a: __m512i, b: __m512i) -> __m512i {
            unsafe { _mm512_add_epi32(a, b) }
        }
        #[inline(always)]
        fn sub_i32(self, a: __m512i, b: __m512i) -> __m512i {
            unsafe { _mm512_sub_epi32(a, b) }
        }
        #[inline(always)]
        fn and_i32(self, a: __m512i, b: __m512i) -> __m512i {
            unsafe { _mm512_and_si512(a, b) }
        }
        #[inline(always)]
        fn shl2_i32(self, a: __m512i) -> __m512i {
            unsafe { _mm512_slli_epi32::<2>(a) }
        }
        #[inline(always)]
        fn shr4_i32(self, a: __m512i) -> __m512i {
            unsafe { _mm512_srli_epi32::<4>(a) }
        }
        #[inline(always)]
        fn one_shl(self, s: __m512i) -> __m512i {
            unsafe { _mm512_sllv_epi32(_mm512_set1_epi32(1), s) }
        }
        #[inline(always)]
        fn shr_by(self, a: __m512i, s: __m512i) -> __m512i {
            unsafe { _mm512_srlv_epi32(a, s) }
        }
        #[inline(always)]
        fn sum_i32(self, a: __m512i) -> u32 {
            unsafe { _mm512_reduce_add_epi32(a) as u32 }
        }
        #[inline(always)]
        fn add_one_where(self, x: &mut [u32], m: __mmask16) {
            assert!(x.len() >= WIDTH);
            unsafe {
                let v = _mm512_loadu_si512(x.as_ptr().cast());
                let sum = _mm512_mask_add_epi32(v, m, v, _mm512_set1_epi32(1));
                _mm512_storeu_si512(x.as_mut_ptr().cast(), sum);
            }
        }
        #[inline(always)]
        fn add_where(self, x: &mut [f32], m: __mmask16, v: __m512) {
            assert!(x.len() >= WIDTH);
            unsafe {
                let old = _mm512_loadu_ps(x.as_ptr());
                _mm512_storeu_ps(x.as_mut_ptr(), _mm512_mask_add_ps(old, m, old, v));
            }
        }
    }
}
