//! One option under appraisal: its scores, notes and version-2 details.

use super::criterion::Evidence;
use super::error::ModelError;
use super::published::Published;
use super::screening::ScreenResult;
use super::text::{Id, check_name, check_text};
use super::value_fn::RawRange;

/// One option under appraisal, with its scores and notes per criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct AppraisalOption {
    pub(super) id: Id,
    pub(super) name: String,
    /// The strategic group or category the option belongs to.
    pub group: Option<String>,
    /// What the option is.
    pub description: Option<String>,
    /// Its main strengths, one per entry.
    pub strengths: Vec<String>,
    /// Its main weaknesses, one per entry.
    pub weaknesses: Vec<String>,
    // The total the source document states, for reconciliation.
    pub(super) published: Option<Published>,
    /// The rank the source document gives, for reconciliation.
    pub published_rank: Option<u32>,
    /// The percentage the source document gives, for reconciliation.
    pub published_percent: Option<Published>,
    // Group subtotals the source gives: (group index, figure).
    pub(super) published_subtotals: Vec<(usize, Published)>,
    // The option's number or letter in the source ("1", "A"); unique.
    pub(super) reference: Option<String>,
    // The business-as-usual or do-minimum option; at most one.
    pub(super) baseline: bool,
    // Aligned with the appraisal's criteria; `None` means "not yet scored".
    // For a measured criterion the score is derived from `measures`.
    pub(super) scores: Vec<Option<f64>>,
    pub(super) notes: Vec<Option<String>>,
    pub(super) evidence: Vec<Evidence>,
    pub(super) measures: Vec<Option<f64>>,
    // Raw values given as ranges, aligned with the criteria, or empty when
    // there are none; `measures` then holds each range's point estimate.
    pub(super) ranges: Vec<Option<RawRange>>,
    // Aligned with the appraisal's screening tests.
    pub(super) screening: Vec<Option<ScreenResult>>,
}

impl AppraisalOption {
    /// A new, unscored option for an appraisal with `criteria` criteria.
    pub fn new(id: Id, name: &str, criteria: usize) -> Result<AppraisalOption, ModelError> {
        check_name(name)?;
        Ok(AppraisalOption {
            id,
            name: name.to_owned(),
            group: None,
            description: None,
            strengths: Vec::new(),
            weaknesses: Vec::new(),
            published: None,
            published_rank: None,
            published_percent: None,
            published_subtotals: Vec::new(),
            reference: None,
            baseline: false,
            scores: vec![None; criteria],
            notes: vec![None; criteria],
            evidence: vec![Evidence::default(); criteria],
            measures: vec![None; criteria],
            ranges: Vec::new(),
            screening: Vec::new(),
        })
    }

    /// The option's number or letter in the source, such as "3" or "B".
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }

    /// "3. Name" where the option has a reference, else the name: how
    /// tables name an option.
    pub fn label(&self) -> String {
        match &self.reference {
            Some(r) => format!("{r}. {}", self.name),
            None => self.name.clone(),
        }
    }

    /// Sets the reference (checked for uniqueness when the appraisal is assembled).
    pub fn set_reference(&mut self, reference: Option<String>) -> Result<(), ModelError> {
        if let Some(r) = &reference {
            check_name(r)?;
        }
        self.reference = reference;
        Ok(())
    }

    /// Whether this is the baseline (business as usual or do minimum).
    pub fn is_baseline(&self) -> bool {
        self.baseline
    }

    /// Marks or unmarks the baseline (one per appraisal, checked on assembly).
    pub fn set_baseline(&mut self, baseline: bool) {
        self.baseline = baseline;
    }

    /// Group subtotals the source gives: (group index, figure).
    pub fn published_subtotals(&self) -> &[(usize, Published)] {
        &self.published_subtotals
    }

    /// Sets the published subtotals (group indices checked on assembly).
    pub fn set_published_subtotals(&mut self, subtotals: Vec<(usize, Published)>) {
        self.published_subtotals = subtotals;
    }

    /// Evidence for and against, in criterion order.
    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }

    /// Sets the evidence on criterion `c`, checking its text.
    pub fn set_evidence(&mut self, c: usize, evidence: Evidence) -> Result<(), ModelError> {
        for t in evidence.for_.iter().chain(&evidence.against) {
            check_text(t)?;
        }
        let slot = self
            .evidence
            .get_mut(c)
            .ok_or(ModelError::NoSuchIndex("criterion", c))?;
        *slot = evidence;
        Ok(())
    }

    /// Raw values of measured criteria, in criterion order.
    pub fn measures(&self) -> &[Option<f64>] {
        &self.measures
    }

    /// The raw value on criterion `c`, if it is measured and given.
    pub fn measure(&self, c: usize) -> Option<f64> {
        self.measures.get(c).copied().flatten()
    }

    /// Replaces the raw values; the appraisal checks them on assembly.
    pub(crate) fn set_measures_unchecked(&mut self, measures: Vec<Option<f64>>) {
        self.measures = measures;
    }

    /// The range criterion `c`'s raw value was given as, if it was given as
    /// one (its point estimate is [`AppraisalOption::measure`]).
    pub fn range(&self, c: usize) -> Option<RawRange> {
        self.ranges.get(c).copied().flatten()
    }

    /// Whether any raw value of this option is a range.
    pub fn has_ranges(&self) -> bool {
        self.ranges.iter().any(Option::is_some)
    }

    /// Gives raw values as ranges (aligned with the criteria); each
    /// range's point estimate becomes the raw value. The appraisal checks
    /// them on assembly.
    pub(crate) fn set_ranges_unchecked(&mut self, ranges: Vec<Option<RawRange>>) {
        for (c, r) in ranges.iter().enumerate() {
            if let (Some(r), Some(slot)) = (r, self.measures.get_mut(c)) {
                *slot = Some(r.point());
            }
        }
        self.ranges = if ranges.iter().any(Option::is_some) {
            ranges
        } else {
            Vec::new()
        };
    }

    /// Screening results, in the order of the appraisal's tests.
    pub fn screening(&self) -> &[Option<ScreenResult>] {
        &self.screening
    }

    /// Replaces the screening results (aligned on assembly).
    pub fn set_screening(&mut self, results: Vec<Option<ScreenResult>>) {
        self.screening = results;
    }

    /// Whether the option failed any screening test.
    pub fn screened_out(&self) -> bool {
        self.screening.iter().flatten().any(|r| !r.pass)
    }

    /// The option's id.
    pub fn id(&self) -> &Id {
        &self.id
    }

    /// The option's display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The total the source document states, if any.
    pub fn published_total(&self) -> Option<f64> {
        self.published.map(|p| p.value())
    }

    /// The published total with the precision it was written with.
    pub fn published(&self) -> Option<Published> {
        self.published
    }

    /// Sets the published total as it was written.
    pub fn set_published(&mut self, published: Option<Published>) {
        self.published = published;
    }

    /// Sets the published total to a value, written as a person would type it.
    pub fn set_published_total(&mut self, value: Option<f64>) {
        self.published = value.map(Published::new);
    }

    /// Renames the option.
    pub fn set_name(&mut self, name: &str) -> Result<(), ModelError> {
        check_name(name)?;
        self.name = name.to_owned();
        Ok(())
    }

    /// Scores in criterion order; `None` where not yet scored.
    pub fn scores(&self) -> &[Option<f64>] {
        &self.scores
    }

    /// The score against criterion `c`, if given.
    pub fn score(&self, c: usize) -> Option<f64> {
        self.scores.get(c).copied().flatten()
    }

    /// Notes in criterion order.
    pub fn notes(&self) -> &[Option<String>] {
        &self.notes
    }

    /// The note explaining the score against criterion `c`, if any.
    pub fn note(&self, c: usize) -> Option<&str> {
        self.notes.get(c).and_then(|n| n.as_deref())
    }

    /// Sets or clears the note on criterion `c`. Blank text clears it.
    pub fn set_note(&mut self, c: usize, note: Option<String>) -> Result<(), ModelError> {
        let slot = self
            .notes
            .get_mut(c)
            .ok_or(ModelError::NoSuchIndex("criterion", c))?;
        let note = note.filter(|n| !n.trim().is_empty());
        if let Some(n) = &note {
            check_text(n)?;
        }
        *slot = note;
        Ok(())
    }

    /// Replaces the whole row of scores; the caller has checked them against the scale
    /// and `Appraisal::new` checks the length.
    pub(crate) fn set_scores_unchecked(&mut self, scores: Vec<Option<f64>>) {
        self.scores = scores;
    }

    /// Replaces the whole row of notes; the caller has checked each with
    /// [`check_text`] and dropped blank ones, and `Appraisal::new` checks the length.
    pub(crate) fn set_notes_unchecked(&mut self, notes: Vec<Option<String>>) {
        self.notes = notes;
    }

    /// Whether every criterion has a score.
    pub fn is_complete(&self) -> bool {
        self.scores.iter().all(Option::is_some)
    }

    /// How many criteria have no score yet.
    pub fn unscored(&self) -> usize {
        self.scores.iter().filter(|s| s.is_none()).count()
    }
}
