//! The scoring scale: which scores exist and how they are stepped.

use super::error::ModelError;
use super::text::check_text;
use crate::numbers::{as_given, score};

/// Most points a scale may have; keeps score stepping and robustness search bounded.
pub const MAX_SCALE_POINTS: f64 = 10_000.0;

/// The scoring scale: every score is `min + k * step` within `[min, max]`.
///
/// A panel's consensus is held on a scale that also allows values between
/// the steps (see [`Scale::for_consensus`]): a mean of 3 and 4 is 3.5, exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub(super) min: f64,
    pub(super) max: f64,
    pub(super) step: f64,
    pub(super) labels: Vec<(f64, String)>,
    pub(super) between_steps: bool,
}

impl Scale {
    /// Builds a scale, checking that `max > min`, `step > 0`, that `max` lies
    /// on a step, and that there are at most [`MAX_SCALE_POINTS`] steps.
    pub fn new(min: f64, max: f64, step: f64) -> Result<Scale, ModelError> {
        let scale = Scale::unbounded(min, max, step)?;
        let points = (max - min) / step;
        if points > MAX_SCALE_POINTS {
            return Err(ModelError::TooManySteps(score(points.floor())));
        }
        Ok(scale)
    }

    /// A scale for a panel's consensus: any value from `min` to `max`, not only
    /// the steps, and no limit on the number of steps (a summed consensus of
    /// many members spans many). `step` stays the unit of a score change.
    pub fn for_consensus(min: f64, max: f64, step: f64) -> Result<Scale, ModelError> {
        let mut scale = Scale::unbounded(min, max, step)?;
        scale.between_steps = true;
        Ok(scale)
    }

    /// Whether scores may lie between the steps (a consensus scale).
    pub fn allows_between_steps(&self) -> bool {
        self.between_steps
    }

    fn unbounded(min: f64, max: f64, step: f64) -> Result<Scale, ModelError> {
        if !min.is_finite() || !max.is_finite() || !(max - min).is_finite() {
            return Err(ModelError::InvalidScale(
                "the scale's min and max must be ordinary finite numbers".into(),
            ));
        }
        if max <= min {
            return Err(ModelError::InvalidScale(format!(
                "the scale's max ({}) must be greater than its min ({})",
                as_given(max),
                as_given(min)
            )));
        }
        if !step.is_finite() || step <= 0.0 {
            return Err(ModelError::InvalidScale(format!(
                "the scale's step must be a number above zero, not {}",
                as_given(step)
            )));
        }
        let scale = Scale {
            min,
            max,
            step,
            labels: Vec::new(),
            between_steps: false,
        };
        if !scale.on_step(max) {
            return Err(ModelError::InvalidScale(format!(
                "the scale's max ({}) must be a whole number of steps ({}) above its min ({})",
                as_given(max),
                as_given(step),
                as_given(min)
            )));
        }
        Ok(scale)
    }

    /// Adds or replaces the anchor wording for a point on the scale.
    pub fn set_label(&mut self, value: f64, text: String) -> Result<(), ModelError> {
        self.check(value)?;
        check_text(&text)?;
        match self.labels.iter_mut().find(|(v, _)| *v == value) {
            Some(slot) => slot.1 = text,
            None => {
                self.labels.push((value, text));
                self.labels.sort_by(|a, b| a.0.total_cmp(&b.0));
            }
        }
        Ok(())
    }

    /// The lowest score.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// The highest score.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// The distance between neighbouring scores.
    pub fn step(&self) -> f64 {
        self.step
    }

    /// Anchor wording, sorted by scale value.
    pub fn labels(&self) -> &[(f64, String)] {
        &self.labels
    }

    /// The anchor wording exactly at `value`, if any.
    pub fn label(&self, value: f64) -> Option<&str> {
        self.labels
            .iter()
            .find(|(v, _)| (*v - value).abs() < self.tolerance())
            .map(|(_, s)| s.as_str())
    }

    /// How many steps the scale spans (`(max - min) / step`).
    pub fn step_count(&self) -> u32 {
        // Bounded by MAX_SCALE_POINTS in `new`; a consensus scale saturates.
        ((self.max - self.min) / self.step).round() as u32
    }

    /// How many whole steps `value` can move down without leaving the scale
    /// (for a value between steps, the whole steps below it).
    pub fn steps_down(&self, value: f64) -> u32 {
        ((value - self.min) / self.step + 1e-9).floor().max(0.0) as u32
    }

    /// How many whole steps `value` can move up without leaving the scale.
    pub fn steps_up(&self, value: f64) -> u32 {
        ((self.max - value) / self.step + 1e-9).floor().max(0.0) as u32
    }

    /// `value` moved by `delta` whole steps, clamped to the scale; a value
    /// between steps stays between them.
    pub fn shifted(&self, value: f64, delta: i64) -> f64 {
        snap(value + delta as f64 * self.step).clamp(self.min, self.max)
    }

    /// Every point on the scale, from min to max.
    pub fn points(&self) -> impl Iterator<Item = f64> + '_ {
        (0..=self.step_count()).map(|k| self.point(k))
    }

    /// The `k`-th point above the minimum.
    pub fn point(&self, k: u32) -> f64 {
        snap(self.min + f64::from(k) * self.step)
    }

    /// Which step a score on this scale sits at.
    pub fn index_of(&self, value: f64) -> u32 {
        ((value - self.min) / self.step)
            .round()
            .clamp(0.0, f64::from(self.step_count())) as u32
    }

    /// Moves `value` by `delta` steps, clamped to the scale.
    pub fn nudge(&self, value: f64, delta: i64) -> f64 {
        let k = i64::from(self.index_of(value)) + delta;
        self.point(k.clamp(0, i64::from(self.step_count())) as u32)
    }

    fn tolerance(&self) -> f64 {
        self.step * 1e-9
    }

    fn on_step(&self, value: f64) -> bool {
        let k = ((value - self.min) / self.step).round();
        (self.min + k * self.step - value).abs() <= self.tolerance()
    }

    /// Checks that `value` is a score this scale allows.
    pub fn check(&self, value: f64) -> Result<(), ModelError> {
        let tol = self.tolerance();
        if !value.is_finite() || value < self.min - tol || value > self.max + tol {
            return Err(ModelError::ScoreOutOfRange {
                value: as_given(value),
                min: score(self.min),
                max: score(self.max),
            });
        }
        if !self.between_steps && !self.on_step(value) {
            return Err(ModelError::ScoreOffStep {
                value: as_given(value),
                min: score(self.min),
                step: score(self.step),
            });
        }
        Ok(())
    }

    /// Whether every total these weights can produce on this scale is finite.
    pub fn totals_finite(&self, weights: impl Iterator<Item = f64>) -> bool {
        let magnitude = self.min.abs().max(self.max.abs());
        let (mut bound, mut spread) = (0.0f64, 0.0f64);
        for w in weights {
            bound += w * magnitude;
            spread += w * (self.max - self.min);
        }
        bound.is_finite() && spread.is_finite()
    }
}

/// Rounds away binary noise such as `0.30000000000000004`, so stepped scores print cleanly.
pub(crate) fn snap(x: f64) -> f64 {
    let r = (x * 1e9).round() / 1e9;
    if r.is_finite() { r } else { x }
}
