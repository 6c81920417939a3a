//! Entry points into the Monte Carlo inner loops for `benches/`: not part
//! of the public API, and free to change with the loops.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::SeedableRng;

use super::kernel::{self, Isa, LANES, LaneRng, Problem};
use super::smaa::CHUNK_SAMPLES;

/// Which of the two loops to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loop {
    /// What a run uses: the register loop where it applies.
    Chosen,
    /// The general loop, whatever the problem.
    General,
}

/// Weights uniform on the simplex and fixed scores (`scores` option-major,
/// on a 0-5 scale), ready for [`run`].
pub fn uniform_problem(n: usize, m: usize, scores: Vec<f32>) -> Problem {
    Problem::uniform_weights(n, m, scores)
}

/// Runs `chunks` chunks of samples of `p` on one thread, with streams
/// seeded as a run with seed 1 seeds them, and returns a count that
/// depends on every chunk (so nothing is optimised away).
pub fn run(isa: Isa, which: Loop, p: &Problem, chunks: usize) -> u64 {
    let mut seed = Xoshiro256PlusPlus::seed_from_u64(1);
    let mut rng = {
        let lanes: [Xoshiro256PlusPlus; LANES] = std::array::from_fn(|_| {
            let g = seed.clone();
            seed.jump();
            g
        });
        LaneRng::new(&lanes)
    };
    (0..chunks)
        .map(|_| {
            let tally = match which {
                Loop::Chosen => kernel::run_chunk(isa, p, &mut rng, CHUNK_SAMPLES),
                Loop::General => kernel::general_chunk(isa, p, &mut rng, CHUNK_SAMPLES),
            };
            tally.counts.first().copied().unwrap_or(0)
        })
        .sum()
}
