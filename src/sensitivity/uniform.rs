//! Uniform draws from the generator's bits, which every sampler of the
//! Monte Carlo shares: a number on [0, 1), and a point on the simplex.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::Rng;

/// A uniform on [0, 1) from the top 53 bits.
pub(crate) fn unit(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A point uniform on the simplex of `k` coordinates, left in `cuts`: the
/// gaps between `0`, `k - 1` sorted uniforms and `1` (exact: no logarithm).
pub(crate) fn simplex(rng: &mut Xoshiro256PlusPlus, k: usize, cuts: &mut Vec<f64>) {
    cuts.clear();
    if k == 0 {
        return;
    }
    cuts.extend((1..k).map(|_| unit(rng.next_u64())));
    cuts.sort_by(f64::total_cmp);
    cuts.push(1.0);
    for q in (1..k).rev() {
        cuts[q] -= cuts[q - 1];
    }
}
