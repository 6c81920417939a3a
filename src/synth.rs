//! Synthetic appraisals of any size, for benchmarks and scale tests.
//!
//! The output is deterministic for a given seed, so benchmark inputs are
//! identical from run to run and machine to machine.

use std::fmt::Write as _;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// Number of options.
    pub options: usize,
    /// Number of criteria.
    pub criteria: usize,
    /// Whether every cell gets a note (about 60 characters).
    pub notes: bool,
    /// Seed for the scores and weights.
    pub seed: u64,
}

/// SplitMix64: a tiny, well-known generator; quality is ample for test data.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Writes an appraisal TOML of the given size: a 0-5 scale, integer weights 1-5,
/// every cell scored, criteria `c1..`, options `o1..`.
pub fn appraisal_toml(spec: Spec) -> String {
    let mut rng = SplitMix(spec.seed);
    let per_option = 60 + spec.criteria * if spec.notes { 90 } else { 12 };
    let mut out = String::with_capacity(200 + spec.criteria * 60 + spec.options * per_option);
    out.push_str("[appraisal]\ntitle = \"Synthetic appraisal\"\n\n[scale]\nmin = 0\nmax = 5\n");
    for c in 1..=spec.criteria {
        let _ = write!(
            out,
            "\n[[criteria]]\nid = \"c{c}\"\nname = \"Criterion {c}\"\nweight = {}\n",
            1 + rng.below(5)
        );
    }
    for o in 1..=spec.options {
        let _ = write!(
            out,
            "\n[[options]]\nid = \"o{o}\"\nname = \"Option {o}\"\n[options.scores]\n"
        );
        for c in 1..=spec.criteria {
            let _ = writeln!(out, "c{c} = {}", rng.below(6));
        }
        if spec.notes {
            out.push_str("[options.notes]\n");
            for c in 1..=spec.criteria {
                let _ = writeln!(
                    out,
                    "c{c} = \"Evidence for option {o} against criterion {c}, from the review.\""
                );
            }
        }
    }
    out
}

/// The appraisal [`appraisal_toml`] describes, loaded.
pub fn appraisal(spec: Spec) -> crate::model::Appraisal {
    match crate::load::load_str("synthetic", &appraisal_toml(spec)) {
        Ok(loaded) => loaded.appraisal,
        // The generator writes only valid files; a failure here is a bug in it.
        Err(e) => panic!("synthetic appraisal failed to load: {}", e.render(false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_appraisals_load_and_are_deterministic() {
        let spec = Spec {
            options: 12,
            criteria: 5,
            notes: true,
            seed: 7,
        };
        let text = appraisal_toml(spec);
        assert_eq!(text, appraisal_toml(spec));
        let loaded = crate::load::load_str("synthetic", &text).expect("valid");
        assert_eq!(loaded.appraisal.options().len(), 12);
        assert_eq!(loaded.appraisal.criteria().len(), 5);
        assert!(loaded.warnings.is_empty());
        assert!(loaded.appraisal.options()[11].note(4).is_some());
    }
}
