//! A whole appraisal: its details, criteria and options, and every change
//! made to it, each re-checked against the rules.

use super::criterion::{
    AgreedWeights, Criterion, CriterionGroup, Evidence, OptionGroup, Structure, check_weight,
};
use super::error::ModelError;
use super::option::AppraisalOption;
use super::scale::{Scale, snap};
use super::screening::Screen;
use super::text::check_name;
use super::value_fn::{Better, Derived, RawRange};

/// Descriptive details of the appraisal as a whole.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// The appraisal's title (required, one line).
    pub title: String,
    /// The organisation carrying out the appraisal.
    pub organisation: Option<String>,
    /// When the appraisal was made, as free text.
    pub date: Option<String>,
    /// The document the appraisal comes from.
    pub source: Option<String>,
    /// A longer description.
    pub description: Option<String>,
}

/// A whole appraisal: options scored against weighted criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct Appraisal {
    /// Title, organisation and other descriptive details.
    pub meta: Meta,
    pub(super) scale: Scale,
    pub(super) criteria: Vec<Criterion>,
    pub(super) options: Vec<AppraisalOption>,
    pub(super) structure: Structure,
}

impl Appraisal {
    /// Assembles a version-1 appraisal, checking every cross-cutting rule.
    pub fn new(
        meta: Meta,
        scale: Scale,
        criteria: Vec<Criterion>,
        options: Vec<AppraisalOption>,
    ) -> Result<Appraisal, ModelError> {
        Appraisal::with_structure(meta, scale, criteria, options, Structure::default())
    }

    /// Assembles an appraisal with groups, screening and the other parts of
    /// version 2, checking every cross-cutting rule, then derives the scores
    /// of measured criteria from their raw values.
    pub fn with_structure(
        meta: Meta,
        scale: Scale,
        criteria: Vec<Criterion>,
        mut options: Vec<AppraisalOption>,
        mut structure: Structure,
    ) -> Result<Appraisal, ModelError> {
        check_name(&meta.title)?;
        if criteria.is_empty() {
            return Err(ModelError::WouldBeEmpty("criterion"));
        }
        if options.is_empty() {
            return Err(ModelError::WouldBeEmpty("option"));
        }
        structure.version = structure.version.max(1);
        check_groups(&structure.groups, &criteria)?;
        // Sets, not pairwise comparison: appraisals can have thousands of options.
        let mut seen = std::collections::HashSet::new();
        for c in &criteria {
            if !seen.insert(c.id.as_str()) {
                return Err(ModelError::DuplicateId(c.id.to_string()));
            }
        }
        for c in criteria.iter().filter(|c| c.cost) {
            if c.measure.as_ref().is_none_or(|m| m.better != Better::Lower) {
                return Err(ModelError::NotUnique(format!(
                    "the cost `{}` must be a measured criterion where lower is better",
                    c.id
                )));
            }
        }
        if criteria.iter().filter(|c| c.cost).count() > 1 {
            return Err(ModelError::NotUnique(
                "only one criterion can be the cost".into(),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for s in &structure.screens {
            if !seen.insert(s.id().as_str()) {
                return Err(ModelError::DuplicateId(s.id().to_string()));
            }
        }
        let mut seen = std::collections::HashSet::new();
        let mut refs = std::collections::HashSet::new();
        let mut baselines = 0;
        for o in &mut options {
            if !seen.insert(o.id.as_str().to_owned()) {
                return Err(ModelError::DuplicateId(o.id.to_string()));
            }
            if let Some(r) = &o.reference
                && !refs.insert(r.clone())
            {
                return Err(ModelError::NotUnique(format!(
                    "the option reference \"{r}\" is used twice"
                )));
            }
            baselines += usize::from(o.baseline);
            if o.scores.len() != criteria.len()
                || o.notes.len() != criteria.len()
                || o.evidence.len() != criteria.len()
                || o.measures.len() != criteria.len()
                || !(o.ranges.is_empty() || o.ranges.len() == criteria.len())
            {
                return Err(ModelError::NoSuchIndex("criterion", criteria.len()));
            }
            o.screening.resize(structure.screens.len(), None);
            for (c, crit) in criteria.iter().enumerate() {
                match &crit.measure {
                    Some(m) => {
                        if let Some(raw) = o.measures[c] {
                            m.check(raw).map_err(ModelError::InvalidValue)?;
                        }
                        if let Some(r) = o.range(c) {
                            check_range(m, &r)?;
                        }
                    }
                    None => {
                        if o.measures[c].is_some() || o.range(c).is_some() {
                            return Err(ModelError::NoSuchIndex("measured criterion", c));
                        }
                        if let Some(s) = o.scores[c] {
                            crit.scale.as_ref().unwrap_or(&scale).check(s)?;
                        }
                    }
                }
            }
            for (g, _) in &o.published_subtotals {
                if *g >= structure.groups.len() {
                    return Err(ModelError::NoSuchIndex("group", *g));
                }
            }
            if let Some(g) = &o.group
                && !structure.option_groups.is_empty()
                && !structure.option_groups.iter().any(|og| &og.name == g)
            {
                return Err(ModelError::UnknownGroup(g.clone()));
            }
        }
        if baselines > 1 {
            return Err(ModelError::NotUnique(
                "only one option can be the baseline".into(),
            ));
        }
        check_weights(&criteria, &structure.groups, &scale)?;
        let mut a = Appraisal {
            meta,
            scale,
            criteria,
            options,
            structure,
        };
        a.derive();
        Ok(a)
    }

    /// The format version: 1 for a file that uses nothing new, else 2.
    pub fn version(&self) -> u8 {
        self.structure.version
    }

    /// Whether the appraisal uses anything a version-1 file cannot hold, so
    /// that outputs add the parts that describe it.
    pub fn is_v2(&self) -> bool {
        self.structure.version >= 2
    }

    /// Criteria groups, in file order.
    pub fn groups(&self) -> &[CriterionGroup] {
        &self.structure.groups
    }

    /// Whether weights are written as percentages.
    pub fn percent_weights(&self) -> bool {
        self.structure.percent_weights
    }

    /// Option groups with descriptions, in file order.
    pub fn option_groups(&self) -> &[OptionGroup] {
        &self.structure.option_groups
    }

    /// Screening tests, in file order.
    pub fn screens(&self) -> &[Screen] {
        &self.structure.screens
    }

    /// What the panel agreed about the weights (`[agreed_weights]`).
    pub fn agreed_weights(&self) -> &AgreedWeights {
        &self.structure.agreed
    }

    /// Replaces the agreed orders of importance (`[agreed_weights] order`),
    /// each as `--order` takes it; `appraise sensitivity` checks them when
    /// it runs, naming any that do not read.
    pub fn set_agreed_order(&mut self, order: Vec<String>) {
        self.structure.agreed.order = order;
    }

    /// Whether the file has no common `[scale]`, so totals are sums of
    /// weight × a 0-1 value.
    pub fn no_common_scale(&self) -> bool {
        self.structure.no_common_scale
    }

    /// The scale criterion `c` is scored on: its own, or the appraisal's.
    pub fn scale_of(&self, c: usize) -> &Scale {
        self.criteria
            .get(c)
            .and_then(|k| k.scale.as_ref())
            .unwrap_or(&self.scale)
    }

    /// The option marked as the baseline, if any.
    pub fn baseline(&self) -> Option<usize> {
        self.options.iter().position(|o| o.baseline)
    }

    /// Which options are on the shortlist: not screened out.
    pub fn shortlisted(&self) -> Vec<bool> {
        self.options.iter().map(|o| !o.screened_out()).collect()
    }

    /// Group `g` and every group above it, innermost first.
    pub fn group_path(&self, g: usize) -> Vec<usize> {
        let mut path = Vec::new();
        let mut at = Some(g);
        while let Some(i) = at {
            if path.contains(&i) || i >= self.structure.groups.len() {
                break;
            }
            path.push(i);
            at = self.structure.groups[i].parent;
        }
        path
    }

    /// Whether criterion `c` sits in group `g`, directly or through subgroups.
    pub fn in_group(&self, c: usize, g: usize) -> bool {
        self.criteria
            .get(c)
            .and_then(|k| k.group)
            .is_some_and(|inner| self.group_path(inner).contains(&g))
    }

    /// Each criterion's effective weight: its weight as written for a
    /// criterion outside any group; inside a group, the group's effective
    /// weight shared among the group's members in proportion to their weights.
    pub fn effective_weights(&self) -> Vec<f64> {
        effective_weights(&self.criteria, &self.structure.groups)
    }

    /// The effective weight of each group, in the same units.
    pub fn group_weights(&self) -> Vec<f64> {
        group_effective(&self.criteria, &self.structure.groups)
    }

    /// Criterion `c`'s score for option `o` as points on the appraisal's
    /// scale: the same fraction of the appraisal's range as the score is of
    /// the criterion's own range (exactly the score where the scales match).
    pub fn points(&self, o: usize, c: usize) -> Option<f64> {
        let s = self.options.get(o)?.score(c)?;
        Some(self.to_points(c, s))
    }

    /// A score on criterion `c`'s own scale as points on the appraisal's scale.
    pub fn to_points(&self, c: usize, s: f64) -> f64 {
        match self.criteria.get(c).and_then(|k| k.scale.as_ref()) {
            Some(own) if own.min() != self.scale.min() || own.max() != self.scale.max() => {
                let v = (s - own.min()) / (own.max() - own.min());
                self.scale.min() + v * (self.scale.max() - self.scale.min())
            }
            _ => s,
        }
    }

    /// One option's row of points, in criterion order (see [`Appraisal::points`]).
    pub fn points_row(&self, o: usize) -> Vec<Option<f64>> {
        (0..self.criteria.len())
            .map(|c| self.points(o, c))
            .collect()
    }

    /// Whether every score is already points on one scale with weights as
    /// written: the file uses no groups, own scales or screening, so every
    /// analysis can run on it as it is.
    pub fn is_flat(&self) -> bool {
        self.structure.groups.is_empty()
            && self.criteria.iter().all(|c| {
                c.scale
                    .as_ref()
                    .is_none_or(|s| s.min() == self.scale.min() && s.max() == self.scale.max())
            })
            && !self.options.iter().any(AppraisalOption::screened_out)
    }

    /// The appraisal as the analyses see it: the shortlisted options only,
    /// each criterion at its effective weight, every score as points on the
    /// appraisal's scale (between its steps where a criterion has its own
    /// scale or is measured). Totals and ranks are the same as
    /// [`crate::compute::compute`] gives for the shortlist.
    pub fn for_analysis(&self) -> std::borrow::Cow<'_, Appraisal> {
        if self.is_flat() {
            return std::borrow::Cow::Borrowed(self);
        }
        let weights = self.effective_weights();
        let mut criteria = self.criteria.clone();
        for (c, w) in criteria.iter_mut().zip(&weights) {
            c.weight = *w;
            c.group = None;
            c.scale = None;
            c.measure = None;
        }
        let mut scale = self.scale.clone();
        scale.between_steps = true;
        let options = self
            .options
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.screened_out())
            .map(|(i, o)| {
                let mut o = o.clone();
                o.scores = self.points_row(i);
                o.measures = vec![None; criteria.len()];
                o.ranges = Vec::new();
                o.screening = Vec::new();
                o.published_subtotals = Vec::new();
                o
            })
            .collect();
        std::borrow::Cow::Owned(Appraisal {
            meta: self.meta.clone(),
            scale,
            criteria,
            options,
            structure: Structure {
                version: self.structure.version,
                ..Structure::default()
            },
        })
    }

    /// Recomputes the scores of measured criteria from the raw values; the
    /// local functions use the shortlist's worst and best.
    fn derive(&mut self) {
        let counts = self.shortlisted();
        for c in 0..self.criteria.len() {
            let Some(m) = self.criteria[c].measure.clone() else {
                continue;
            };
            let scale = self.scale_of(c).clone();
            let raws: Vec<Option<f64>> = self.options.iter().map(|o| o.measures[c]).collect();
            let derived = m.derive_all(scale.min(), scale.max(), &raws, &counts);
            for (o, d) in self.options.iter_mut().zip(derived) {
                o.scores[c] = d.map(|d| d.score);
            }
        }
    }

    /// How criterion `c`'s score for every option was derived from its raw
    /// value (`None` where it is not measured or has no value).
    pub fn derivations(&self, c: usize) -> Vec<Option<Derived>> {
        let Some(m) = self.criteria.get(c).and_then(|k| k.measure.as_ref()) else {
            return vec![None; self.options.len()];
        };
        let scale = self.scale_of(c);
        let raws: Vec<Option<f64>> = self.options.iter().map(|o| o.measures[c]).collect();
        m.derive_all(scale.min(), scale.max(), &raws, &self.shortlisted())
    }

    /// How measured criterion `c`'s raw values become scores, in words a
    /// reader can check ([`Measure::rule`]), naming the shortlist's worst
    /// and best values; `None` for a judged criterion.
    pub fn value_rule(&self, c: usize) -> Option<String> {
        let m = self.criteria.get(c)?.measure.as_ref()?;
        let scale = self.scale_of(c);
        let raws: Vec<Option<f64>> = self.options.iter().map(|o| o.measures[c]).collect();
        let ends = m.extremes(&raws, &self.shortlisted());
        Some(m.rule(scale.min(), scale.max(), ends))
    }

    /// Sets or clears the raw value of measured criterion `c` for option
    /// `o`, then derives the scores again (a local scale can move them all).
    pub fn set_measure(
        &mut self,
        o: usize,
        c: usize,
        value: Option<f64>,
    ) -> Result<(), ModelError> {
        let crit = self
            .criteria
            .get(c)
            .ok_or(ModelError::NoSuchIndex("criterion", c))?;
        let Some(m) = &crit.measure else {
            return Err(ModelError::NoSuchIndex("measured criterion", c));
        };
        if let Some(v) = value {
            m.check(v).map_err(ModelError::InvalidValue)?;
        }
        let opt = self
            .options
            .get_mut(o)
            .ok_or(ModelError::NoSuchIndex("option", o))?;
        opt.measures[c] = value;
        // A value typed over a range replaces it.
        if let Some(r) = opt.ranges.get_mut(c) {
            *r = None;
        }
        self.derive();
        Ok(())
    }

    /// Sets option `o`'s raw value on measured criterion `c` to a value, a
    /// range (whose point estimate becomes the value) or nothing. Undo and
    /// redo use it, so a range typed over or cleared comes back as a range.
    pub fn set_raw(
        &mut self,
        o: usize,
        c: usize,
        value: Option<f64>,
        range: Option<RawRange>,
    ) -> Result<(), ModelError> {
        self.set_measure(o, c, range.map(|r| r.point()).or(value))?;
        if let Some(r) = range {
            let n = self.criteria.len();
            let opt = self
                .options
                .get_mut(o)
                .ok_or(ModelError::NoSuchIndex("option", o))?;
            if opt.ranges.is_empty() {
                opt.ranges = vec![None; n];
            }
            if let Some(slot) = opt.ranges.get_mut(c) {
                *slot = Some(r);
            }
            self.derive();
        }
        Ok(())
    }

    /// The scoring scale.
    pub fn scale(&self) -> &Scale {
        &self.scale
    }

    /// Criteria in file order.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// Options in file order.
    pub fn options(&self) -> &[AppraisalOption] {
        &self.options
    }

    /// The option at `o`, for edits that cannot break cross-item rules.
    pub fn option_mut(&mut self, o: usize) -> Option<&mut AppraisalOption> {
        self.options.get_mut(o)
    }

    /// Sets the evidence for and against on cell (`o`, `c`). Evidence is a
    /// version-2 part of the format, so a version-1 appraisal given some
    /// becomes version 2, as the file saved would load; `version` says the
    /// version to leave it at instead (an undo puts back the version the
    /// edit changed). Returns the version before.
    pub fn set_evidence(
        &mut self,
        o: usize,
        c: usize,
        evidence: Evidence,
        version: Option<u8>,
    ) -> Result<u8, ModelError> {
        let before = self.structure.version;
        let grows = !evidence.is_empty();
        self.options
            .get_mut(o)
            .ok_or(ModelError::NoSuchIndex("option", o))?
            .set_evidence(c, evidence)?;
        self.structure.version = match version {
            Some(v) => v.clamp(1, 2),
            None if grows => before.max(2),
            None => before,
        };
        Ok(before)
    }

    /// The criterion at `c`, for edits that cannot break cross-item rules.
    pub fn criterion_mut(&mut self, c: usize) -> Option<&mut Criterion> {
        self.criteria.get_mut(c)
    }

    /// Position of the criterion with this id.
    pub fn criterion_index(&self, id: &str) -> Option<usize> {
        self.criteria.iter().position(|c| c.id.as_str() == id)
    }

    /// Position of the option with this id.
    pub fn option_index(&self, id: &str) -> Option<usize> {
        self.options.iter().position(|o| o.id.as_str() == id)
    }

    /// Effective weights in criterion order: the weights as written where
    /// there are no criteria groups (see [`Appraisal::effective_weights`]).
    pub fn weights(&self) -> Vec<f64> {
        self.effective_weights()
    }

    /// The sum of all effective weights.
    pub fn total_weight(&self) -> f64 {
        self.effective_weights().iter().sum()
    }

    /// Sets or clears one score, checking it against the scale.
    pub fn set_score(&mut self, o: usize, c: usize, value: Option<f64>) -> Result<(), ModelError> {
        if let Some(k) = self.criteria.get(c)
            && k.measure.is_some()
        {
            return Err(ModelError::Measured(k.id.to_string()));
        }
        if let Some(v) = value {
            self.scale_of(c).check(v)?;
        }
        let v = value.map(snap);
        let opt = self
            .options
            .get_mut(o)
            .ok_or(ModelError::NoSuchIndex("option", o))?;
        let slot = opt
            .scores
            .get_mut(c)
            .ok_or(ModelError::NoSuchIndex("criterion", c))?;
        *slot = v;
        Ok(())
    }

    /// Sets one weight, keeping at least one positive and every total finite.
    pub fn set_weight(&mut self, c: usize, weight: f64) -> Result<(), ModelError> {
        check_weight(weight)?;
        let old = self
            .criteria
            .get(c)
            .ok_or(ModelError::NoSuchIndex("criterion", c))?
            .weight;
        self.criteria[c].weight = weight;
        if let Err(e) = check_weights(&self.criteria, &self.structure.groups, &self.scale) {
            self.criteria[c].weight = old;
            return Err(e);
        }
        Ok(())
    }

    /// Replaces every weight at once (as the swing-weighting assistant does).
    pub fn set_weights(&mut self, weights: &[f64]) -> Result<(), ModelError> {
        if weights.len() != self.criteria.len() {
            return Err(ModelError::NoSuchIndex("criterion", weights.len()));
        }
        for w in weights {
            check_weight(*w)?;
        }
        let old: Vec<f64> = self.criteria.iter().map(|c| c.weight).collect();
        for (c, w) in self.criteria.iter_mut().zip(weights) {
            c.weight = *w;
        }
        if let Err(e) = check_weights(&self.criteria, &self.structure.groups, &self.scale) {
            for (c, w) in self.criteria.iter_mut().zip(old) {
                c.weight = w;
            }
            return Err(e);
        }
        Ok(())
    }

    /// Inserts an option at position `at` (clamped to the end).
    pub fn insert_option(
        &mut self,
        at: usize,
        option: AppraisalOption,
    ) -> Result<usize, ModelError> {
        if self.option_index(option.id.as_str()).is_some() {
            return Err(ModelError::DuplicateId(option.id.to_string()));
        }
        let n = self.criteria.len();
        if option.scores.len() != n
            || option.notes.len() != n
            || option.evidence.len() != n
            || option.measures.len() != n
        {
            return Err(ModelError::NoSuchIndex("criterion", option.scores.len()));
        }
        for (c, s) in option.scores.iter().enumerate() {
            if let Some(s) = s
                && self.criteria[c].measure.is_none()
            {
                self.scale_of(c).check(*s)?;
            }
        }
        let mut option = option;
        option.screening.resize(self.structure.screens.len(), None);
        let at = at.min(self.options.len());
        self.options.insert(at, option);
        self.derive();
        Ok(at)
    }

    /// Removes and returns the option at `o`; the last option cannot be removed.
    pub fn remove_option(&mut self, o: usize) -> Result<AppraisalOption, ModelError> {
        if o >= self.options.len() {
            return Err(ModelError::NoSuchIndex("option", o));
        }
        if self.options.len() == 1 {
            return Err(ModelError::WouldBeEmpty("option"));
        }
        Ok(self.options.remove(o))
    }

    /// Moves the option at `from` to position `to`.
    pub fn move_option(&mut self, from: usize, to: usize) -> Result<(), ModelError> {
        let n = self.options.len();
        if from >= n || to >= n {
            return Err(ModelError::NoSuchIndex("option", from.max(to)));
        }
        let item = self.options.remove(from);
        self.options.insert(to, item);
        Ok(())
    }

    /// Inserts a criterion at `at` with the given column of scores and notes
    /// (one per option, in option order); pass empty vectors for an unscored column.
    pub fn insert_criterion(
        &mut self,
        at: usize,
        criterion: Criterion,
        scores: Vec<Option<f64>>,
        notes: Vec<Option<String>>,
    ) -> Result<usize, ModelError> {
        if self.criterion_index(criterion.id.as_str()).is_some() {
            return Err(ModelError::DuplicateId(criterion.id.to_string()));
        }
        let n = self.options.len();
        let scores = if scores.is_empty() {
            vec![None; n]
        } else {
            scores
        };
        let notes = if notes.is_empty() {
            vec![None; n]
        } else {
            notes
        };
        if scores.len() != n || notes.len() != n {
            return Err(ModelError::NoSuchIndex(
                "option",
                scores.len().min(notes.len()),
            ));
        }
        let own = criterion.scale.as_ref().unwrap_or(&self.scale);
        for s in scores.iter().flatten() {
            own.check(*s)?;
        }
        if criterion.measure.is_some() && scores.iter().any(Option::is_some) {
            return Err(ModelError::Measured(criterion.id.to_string()));
        }
        if criterion
            .group
            .is_some_and(|g| g >= self.structure.groups.len())
        {
            return Err(ModelError::UnknownGroup(criterion.id.to_string()));
        }
        let mut with = self.criteria.clone();
        let at = at.min(with.len());
        with.insert(at, criterion);
        check_weights(&with, &self.structure.groups, &self.scale)?;
        self.criteria = with;
        for ((o, s), note) in self.options.iter_mut().zip(scores).zip(notes) {
            o.scores.insert(at, s);
            o.notes.insert(at, note);
            o.evidence.insert(at, Evidence::default());
            o.measures.insert(at, None);
            if !o.ranges.is_empty() {
                o.ranges.insert(at, None);
            }
        }
        Ok(at)
    }

    /// Removes the criterion at `c`, returning it with its column of scores and notes.
    pub fn remove_criterion(&mut self, c: usize) -> Result<RemovedCriterion, ModelError> {
        if c >= self.criteria.len() {
            return Err(ModelError::NoSuchIndex("criterion", c));
        }
        if self.criteria.len() == 1 {
            return Err(ModelError::WouldBeEmpty("criterion"));
        }
        let mut rest = self.criteria.clone();
        rest.remove(c);
        check_weights(&rest, &self.structure.groups, &self.scale)?;
        check_groups(&self.structure.groups, &rest)?;
        let criterion = self.criteria.remove(c);
        let n = self.options.len();
        let mut scores = Vec::with_capacity(n);
        let mut notes = Vec::with_capacity(n);
        let mut evidence = Vec::with_capacity(n);
        let mut measures = Vec::with_capacity(n);
        let mut ranges = Vec::with_capacity(n);
        for o in &mut self.options {
            scores.push(o.scores.remove(c));
            notes.push(o.notes.remove(c));
            evidence.push(o.evidence.remove(c));
            measures.push(o.measures.remove(c));
            ranges.push(if o.ranges.is_empty() {
                None
            } else {
                o.ranges.remove(c)
            });
        }
        self.derive();
        Ok(RemovedCriterion {
            criterion,
            scores,
            notes,
            evidence,
            measures,
            ranges,
        })
    }

    /// Criterion `c` with a copy of its whole column, as
    /// [`Appraisal::remove_criterion`] would return it (what an undoable
    /// removal keeps).
    pub fn criterion_column(&self, c: usize) -> Option<RemovedCriterion> {
        let criterion = self.criteria.get(c).cloned()?;
        let o = &self.options;
        Some(RemovedCriterion {
            criterion,
            scores: o
                .iter()
                .map(|o| o.scores.get(c).copied().flatten())
                .collect(),
            notes: o
                .iter()
                .map(|o| o.notes.get(c).cloned().flatten())
                .collect(),
            evidence: o
                .iter()
                .map(|o| o.evidence.get(c).cloned().unwrap_or_default())
                .collect(),
            measures: o
                .iter()
                .map(|o| o.measures.get(c).copied().flatten())
                .collect(),
            ranges: o
                .iter()
                .map(|o| o.ranges.get(c).copied().flatten())
                .collect(),
        })
    }

    /// Puts back a criterion that [`Appraisal::remove_criterion`] took out,
    /// at `at`, with everything its column held: scores, notes, points for
    /// and against, raw values and their ranges. Undo uses it, so nothing
    /// of the column is lost on the way out and back.
    pub fn restore_criterion(
        &mut self,
        at: usize,
        removed: RemovedCriterion,
    ) -> Result<usize, ModelError> {
        let RemovedCriterion {
            criterion,
            scores,
            notes,
            evidence,
            measures,
            ranges,
        } = removed;
        // A measured criterion's scores are derived again from its values.
        let scores = if criterion.measure.is_some() {
            Vec::new()
        } else {
            scores
        };
        let at = self.insert_criterion(at, criterion, scores, notes)?;
        let n = self.criteria.len();
        for (i, o) in self.options.iter_mut().enumerate() {
            if let (Some(e), Some(slot)) = (evidence.get(i), o.evidence.get_mut(at)) {
                *slot = e.clone();
            }
            if let (Some(m), Some(slot)) = (measures.get(i), o.measures.get_mut(at)) {
                *slot = *m;
            }
            if let Some(r) = ranges.get(i).copied().flatten() {
                if o.ranges.is_empty() {
                    o.ranges = vec![None; n];
                }
                if let Some(slot) = o.ranges.get_mut(at) {
                    *slot = Some(r);
                }
            }
        }
        self.derive();
        Ok(at)
    }

    /// Moves the criterion at `from` (and its column) to position `to`.
    pub fn move_criterion(&mut self, from: usize, to: usize) -> Result<(), ModelError> {
        let n = self.criteria.len();
        if from >= n || to >= n {
            return Err(ModelError::NoSuchIndex("criterion", from.max(to)));
        }
        let item = self.criteria.remove(from);
        self.criteria.insert(to, item);
        for o in &mut self.options {
            let s = o.scores.remove(from);
            o.scores.insert(to, s);
            let note = o.notes.remove(from);
            o.notes.insert(to, note);
            let e = o.evidence.remove(from);
            o.evidence.insert(to, e);
            let m = o.measures.remove(from);
            o.measures.insert(to, m);
            if !o.ranges.is_empty() {
                let r = o.ranges.remove(from);
                o.ranges.insert(to, r);
            }
        }
        Ok(())
    }
}

/// A criterion taken out of an appraisal, with its column, so it can be put back.
#[derive(Debug, Clone, PartialEq)]
pub struct RemovedCriterion {
    /// The criterion itself.
    pub criterion: Criterion,
    /// Its scores, one per option in option order.
    pub scores: Vec<Option<f64>>,
    /// Its notes, one per option in option order.
    pub notes: Vec<Option<String>>,
    /// Its points for and against, one per option (empty: none).
    pub evidence: Vec<Evidence>,
    /// Its raw values, one per option, for a measured criterion (empty: none).
    pub measures: Vec<Option<f64>>,
    /// The ranges its raw values were given as, one per option (empty: none).
    pub ranges: Vec<Option<RawRange>>,
}

/// A measured criterion's range of raw values, by the measure's own check.
fn check_range(
    m: &super::value_fn::Measure,
    r: &super::value_fn::RawRange,
) -> Result<(), ModelError> {
    m.check_range(r).map_err(ModelError::InvalidRange)
}

fn check_weights(
    criteria: &[Criterion],
    groups: &[CriterionGroup],
    scale: &Scale,
) -> Result<(), ModelError> {
    let weights = effective_weights(criteria, groups);
    if !weights.iter().any(|&w| w > 0.0) {
        return Err(ModelError::AllWeightsZero);
    }
    if !scale.totals_finite(weights.iter().copied()) {
        return Err(ModelError::TotalOverflow);
    }
    Ok(())
}

/// Checks that every group a criterion or group names exists, that no group
/// is inside itself, that every group holds at least one criterion, and
/// that no group's weight is lost because all its members weigh zero.
fn check_groups(groups: &[CriterionGroup], criteria: &[Criterion]) -> Result<(), ModelError> {
    let n = groups.len();
    let mut seen = std::collections::HashSet::new();
    for g in groups {
        if !seen.insert(g.id.as_str()) {
            return Err(ModelError::DuplicateId(g.id.to_string()));
        }
        if g.parent.is_some_and(|p| p >= n) {
            return Err(ModelError::NoSuchIndex("group", g.parent.unwrap_or(0)));
        }
    }
    for c in criteria {
        if c.group.is_some_and(|g| g >= n) {
            return Err(ModelError::NoSuchIndex("group", c.group.unwrap_or(0)));
        }
    }
    for (i, g) in groups.iter().enumerate() {
        let mut at = g.parent;
        let mut steps = 0;
        while let Some(p) = at {
            if p == i || steps > n {
                return Err(ModelError::GroupCycle(g.id.to_string()));
            }
            at = groups[p].parent;
            steps += 1;
        }
    }
    // A group holds a criterion if one sits in it or in a group inside it.
    let mut holds = vec![false; n];
    for c in criteria {
        let mut at = c.group;
        while let Some(g) = at {
            holds[g] = true;
            at = groups[g].parent;
        }
    }
    if let Some(g) = holds.iter().position(|h| !h) {
        return Err(ModelError::EmptyGroup(groups[g].id.to_string()));
    }
    for (i, g) in groups.iter().enumerate() {
        let members = criteria
            .iter()
            .filter(|c| c.group == Some(i))
            .map(|c| c.weight)
            .chain(
                groups
                    .iter()
                    .filter(|h| h.parent == Some(i))
                    .map(|h| h.weight),
            );
        if g.weight > 0.0 && members.sum::<f64>() <= 0.0 {
            return Err(ModelError::GroupWeightless(g.id.to_string()));
        }
    }
    Ok(())
}

/// The sum of the written weights of the members of group `g` (criteria
/// and groups directly in it), or of the top level for `None`.
fn members_weight(criteria: &[Criterion], groups: &[CriterionGroup], g: Option<usize>) -> f64 {
    criteria
        .iter()
        .filter(|c| c.group == g)
        .map(|c| c.weight)
        .chain(groups.iter().filter(|h| h.parent == g).map(|h| h.weight))
        .sum()
}

/// Each group's effective weight: as written at the top level, else its
/// parent's effective weight × its weight ÷ the weight of its parent's members.
fn group_effective(criteria: &[Criterion], groups: &[CriterionGroup]) -> Vec<f64> {
    fn of(
        g: usize,
        criteria: &[Criterion],
        groups: &[CriterionGroup],
        memo: &mut Vec<Option<f64>>,
        depth: usize,
    ) -> f64 {
        if let Some(w) = memo[g] {
            return w;
        }
        let w = match groups[g].parent {
            // The depth bound guards against a cycle, which assembly rejects.
            Some(p) if depth <= groups.len() => {
                let total = members_weight(criteria, groups, Some(p));
                let parent = of(p, criteria, groups, memo, depth + 1);
                if total > 0.0 {
                    parent * groups[g].weight / total
                } else {
                    0.0
                }
            }
            _ => groups[g].weight,
        };
        memo[g] = Some(w);
        w
    }
    let mut memo = vec![None; groups.len()];
    (0..groups.len())
        .map(|g| of(g, criteria, groups, &mut memo, 0))
        .collect()
}

/// See [`Appraisal::effective_weights`].
fn effective_weights(criteria: &[Criterion], groups: &[CriterionGroup]) -> Vec<f64> {
    if groups.is_empty() || criteria.iter().all(|c| c.group.is_none()) {
        return criteria.iter().map(|c| c.weight).collect();
    }
    let gw = group_effective(criteria, groups);
    criteria
        .iter()
        .map(|c| match c.group {
            Some(g) if g < groups.len() => {
                let total = members_weight(criteria, groups, Some(g));
                if total > 0.0 {
                    gw[g] * c.weight / total
                } else {
                    0.0
                }
            }
            _ => c.weight,
        })
        .collect()
}
