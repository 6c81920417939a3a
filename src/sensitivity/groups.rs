//! Group-level analysis for an appraisal whose criteria sit in groups (a
//! value tree): how far each group's share, and each criterion's share
//! within its group, can move before the leader changes (exact, as
//! [`super::weights`] does for criteria), and the ranking with each group
//! left out. The Monte Carlo over the tree is [`super::smaa::smaa_levels`].
//!
//! Everything here runs on the appraisal as analysed
//! ([`Appraisal::for_analysis`]: the shortlist, every score as points on one
//! scale, each criterion at its effective weight) together with the
//! [`Tree`] of the appraisal as written. The mathematics is in
//! `docs/methods.md`, "Group-level analysis".

use serde::Serialize;

use super::leave_out::{Reranked, rerank};
use super::weights::{CriterionSensitivity, OptionLine, stability};
use crate::compute::Results;
use crate::model::Appraisal;

/// Which weightings a Monte Carlo run over a value tree draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Hierarchy {
    /// Uniform shares at each level: the top level's members share the
    /// weight uniformly over every split, and inside each group its members
    /// share the group's weight the same way, independently. The default:
    /// each group's share is then uniform whatever number of criteria it
    /// was divided into.
    Level,
    /// Uniform over the criteria's effective weights, as if there were no
    /// groups: a group of many criteria then tends to carry more weight
    /// than a group of few.
    Flat,
}

impl Hierarchy {
    /// The word used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Hierarchy::Level => "level",
            Hierarchy::Flat => "flat",
        }
    }
}

/// A member of a group (or of the top level): a criterion or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "lowercase")]
pub enum Member {
    /// A criterion, by index in file order.
    Criterion(usize),
    /// A group, by index in file order.
    Group(usize),
}

/// One group of the tree, as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TreeGroup {
    /// The group's id.
    pub id: String,
    /// The group's name.
    pub name: String,
    /// The group it sits in, by index; `None` at the top level.
    pub parent: Option<usize>,
    /// Its weight as written, relative to its siblings.
    pub weight: f64,
}

/// The value tree: criteria groups with their written weights, and which
/// group each criterion sits in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tree {
    /// Groups in file order.
    pub groups: Vec<TreeGroup>,
    /// Each criterion's group, in criterion order.
    pub criterion_group: Vec<Option<usize>>,
    /// Each criterion's weight as written, relative to its siblings.
    pub criterion_weight: Vec<f64>,
}

impl Tree {
    /// The tree of an appraisal as written; `None` when it has no groups.
    pub fn of(appraisal: &Appraisal) -> Option<Tree> {
        let groups = appraisal.groups();
        if groups.is_empty() || appraisal.criteria().iter().all(|c| c.group().is_none()) {
            return None;
        }
        Some(Tree {
            groups: groups
                .iter()
                .map(|g| TreeGroup {
                    id: g.id().to_string(),
                    name: g.name().to_string(),
                    parent: g.parent(),
                    weight: g.weight(),
                })
                .collect(),
            criterion_group: appraisal.criteria().iter().map(|c| c.group()).collect(),
            criterion_weight: appraisal.criteria().iter().map(|c| c.weight()).collect(),
        })
    }

    /// The members of group `parent` (`None`: the top level): its groups
    /// in file order, then its criteria in file order.
    pub fn members(&self, parent: Option<usize>) -> Vec<Member> {
        let groups = (0..self.groups.len())
            .filter(|&g| self.groups[g].parent == parent)
            .map(Member::Group);
        let criteria = (0..self.criterion_group.len())
            .filter(|&c| self.criterion_group[c] == parent)
            .map(Member::Criterion);
        groups.chain(criteria).collect()
    }

    /// The group a member sits in (`None`: the top level).
    pub fn parent(&self, m: Member) -> Option<usize> {
        match m {
            Member::Criterion(c) => self.criterion_group.get(c).copied().flatten(),
            Member::Group(g) => self.groups.get(g).and_then(|x| x.parent),
        }
    }

    /// A member's weight as written.
    pub fn weight(&self, m: Member) -> f64 {
        match m {
            Member::Criterion(c) => self.criterion_weight.get(c).copied().unwrap_or(0.0),
            Member::Group(g) => self.groups.get(g).map_or(0.0, |x| x.weight),
        }
    }

    /// A member's share of its parent's weight (0 when its siblings and it
    /// all weigh nothing).
    pub fn local_share(&self, m: Member) -> f64 {
        let total: f64 = self
            .members(self.parent(m))
            .iter()
            .map(|&s| self.weight(s))
            .sum();
        if total > 0.0 {
            self.weight(m) / total
        } else {
            0.0
        }
    }

    /// Effective weights of every criterion and every group, in the units
    /// of the top-level weights, for the written weights given (the same
    /// rule and arithmetic as [`Appraisal::effective_weights`], so with the
    /// tree's own weights the numbers are the analysed appraisal's).
    pub fn effective_with(
        &self,
        criterion_weight: &[f64],
        group_weight: &[f64],
    ) -> (Vec<f64>, Vec<f64>) {
        let members_total = |p: Option<usize>| -> f64 {
            let c: f64 = (0..self.criterion_group.len())
                .filter(|&c| self.criterion_group[c] == p)
                .map(|c| criterion_weight[c])
                .sum();
            let g: f64 = (0..self.groups.len())
                .filter(|&g| self.groups[g].parent == p)
                .map(|g| group_weight[g])
                .sum();
            c + g
        };
        let mut geff: Vec<Option<f64>> = vec![None; self.groups.len()];
        // Parents are resolved before children by walking up each path; the
        // model has ruled out cycles, and the step bound guards regardless.
        for g in 0..self.groups.len() {
            let mut path = vec![g];
            while let Some(&top) = path.last() {
                match self.groups[top].parent {
                    Some(p) if geff[p].is_none() && path.len() <= self.groups.len() => path.push(p),
                    _ => break,
                }
            }
            for &x in path.iter().rev() {
                if geff[x].is_some() {
                    continue;
                }
                let w = match self.groups[x].parent {
                    Some(p) => {
                        let total = members_total(Some(p));
                        let parent = geff[p].unwrap_or(0.0);
                        if total > 0.0 {
                            parent * group_weight[x] / total
                        } else {
                            0.0
                        }
                    }
                    None => group_weight[x],
                };
                geff[x] = Some(w);
            }
        }
        let geff: Vec<f64> = geff.into_iter().map(|w| w.unwrap_or(0.0)).collect();
        let ceff = (0..self.criterion_group.len())
            .map(|c| match self.criterion_group[c] {
                Some(g) if g < self.groups.len() => {
                    let total = members_total(Some(g));
                    if total > 0.0 {
                        geff[g] * criterion_weight[c] / total
                    } else {
                        0.0
                    }
                }
                _ => criterion_weight[c],
            })
            .collect();
        (ceff, geff)
    }

    /// Effective weights at the tree's own weights.
    pub fn effective(&self) -> (Vec<f64>, Vec<f64>) {
        let gw: Vec<f64> = self.groups.iter().map(|g| g.weight).collect();
        self.effective_with(&self.criterion_weight, &gw)
    }

    /// A member's value for one option: a criterion's points (0 when
    /// unscored); a group's, its members' values averaged with their
    /// weights within it (equally, if every member weighs nothing).
    pub fn value(&self, m: Member, points: &[Option<f64>]) -> f64 {
        self.value_depth(m, points, 0)
    }

    fn value_depth(&self, m: Member, points: &[Option<f64>], depth: usize) -> f64 {
        match m {
            Member::Criterion(c) => points.get(c).copied().flatten().unwrap_or(0.0),
            Member::Group(g) => {
                let members = self.members(Some(g));
                if members.is_empty() || depth > self.groups.len() {
                    return 0.0;
                }
                let total: f64 = members.iter().map(|&x| self.weight(x)).sum();
                if total > 0.0 {
                    members
                        .iter()
                        .map(|&x| self.weight(x) / total * self.value_depth(x, points, depth + 1))
                        .sum()
                } else {
                    members
                        .iter()
                        .map(|&x| self.value_depth(x, points, depth + 1))
                        .sum::<f64>()
                        / members.len() as f64
                }
            }
        }
    }

    /// A member's id, for JSON.
    pub fn id(&self, m: Member, appraisal: &Appraisal) -> String {
        match m {
            Member::Criterion(c) => appraisal
                .criteria()
                .get(c)
                .map_or_else(String::new, |x| x.id().to_string()),
            Member::Group(g) => self
                .groups
                .get(g)
                .map_or_else(String::new, |x| x.id.clone()),
        }
    }

    /// A member's name, for tables and statements.
    pub fn name(&self, m: Member, appraisal: &Appraisal) -> String {
        match m {
            Member::Criterion(c) => appraisal
                .criteria()
                .get(c)
                .map_or_else(|| "?".to_string(), |x| x.name().to_string()),
            Member::Group(g) => self
                .groups
                .get(g)
                .map_or_else(|| "?".to_string(), |x| x.name.clone()),
        }
    }

    /// Every member the group-level weight analysis moves, in tree order
    /// (depth first, each group before what is in it): every group, and
    /// every criterion inside a group, that has a sibling to trade weight with.
    pub fn analysed_members(&self) -> Vec<Member> {
        let mut out = Vec::new();
        self.walk(None, &mut out, 0);
        out
    }

    fn walk(&self, parent: Option<usize>, out: &mut Vec<Member>, depth: usize) {
        if depth > self.groups.len() {
            return;
        }
        let members = self.members(parent);
        for &m in &members {
            let movable = members.len() > 1;
            match m {
                Member::Group(g) => {
                    if movable {
                        out.push(m);
                    }
                    self.walk(Some(g), out, depth + 1);
                }
                Member::Criterion(_) if movable && parent.is_some() => out.push(m),
                Member::Criterion(_) => {}
            }
        }
    }
}

/// How the leader fares as one member's share of its parent's weight moves,
/// the parent's own weight fixed and the member's siblings keeping their
/// proportions to each other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberSensitivity {
    /// What moves.
    pub member: Member,
    /// The group whose weight it shares (`None`: the total weight).
    pub parent: Option<usize>,
    /// That group's share of the total weight (1 at the top level).
    pub parent_share: f64,
    /// The stability interval and lines, in the member's share of its
    /// parent's weight (`within.criterion` is the member's index among the
    /// criteria or the groups); lines are in the units of the totals.
    pub within: CriterionSensitivity,
}

/// The ranking with one group left out: its weight as written set to zero,
/// so its siblings share its parent's weight in their proportions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupLeftOut {
    /// The group left out, by index.
    pub group: usize,
    /// The ranking without it (its fields read through this one).
    #[serde(flatten)]
    pub ranked: Reranked,
}

impl std::ops::Deref for GroupLeftOut {
    type Target = Reranked;

    fn deref(&self) -> &Reranked {
        &self.ranked
    }
}

/// The exact group-level analyses together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupAnalysis {
    /// The value tree analysed.
    pub tree: Tree,
    /// Each group's effective share of the total weight, in group order.
    pub group_shares: Vec<f64>,
    /// Weight stability of every group and every criterion within its
    /// group, in tree order.
    pub weights: Vec<MemberSensitivity>,
    /// The ranking with each group left out, in group order.
    pub leave_one_out: Vec<GroupLeftOut>,
}

/// The group-level analyses of `analysed` (the appraisal as analysed, with
/// its `results`) for `tree` (the appraisal's tree as written).
pub fn group_analysis(analysed: &Appraisal, results: &Results, tree: &Tree) -> GroupAnalysis {
    let (_, geff) = tree.effective();
    let total: f64 = analysed.total_weight();
    let group_shares = geff
        .iter()
        .map(|&w| if total > 0.0 { w / total } else { 0.0 })
        .collect();
    let rows: Vec<Vec<Option<f64>>> = analysed
        .options()
        .iter()
        .map(|o| o.scores().to_vec())
        .collect();
    let weights = tree
        .analysed_members()
        .into_iter()
        .map(|m| member_sensitivity(tree, m, &rows, results, total, &geff))
        .collect();
    let gw: Vec<f64> = tree.groups.iter().map(|g| g.weight).collect();
    let leave_one_out = (0..tree.groups.len())
        .map(|g| {
            let mut without = gw.clone();
            without[g] = 0.0;
            let (w, _) = tree.effective_with(&tree.criterion_weight, &without);
            GroupLeftOut {
                group: g,
                ranked: rerank(analysed, results, &w),
            }
        })
        .collect();
    GroupAnalysis {
        tree: tree.clone(),
        group_shares,
        weights,
        leave_one_out,
    }
}

/// One member's stability within its parent.
fn member_sensitivity(
    tree: &Tree,
    m: Member,
    rows: &[Vec<Option<f64>>],
    results: &Results,
    total: f64,
    geff: &[f64],
) -> MemberSensitivity {
    let parent = tree.parent(m);
    // The parent's effective weight: the total weight at the top level.
    let pw = match parent {
        Some(p) => geff.get(p).copied().unwrap_or(0.0),
        None => total,
    };
    let siblings: Vec<Member> = tree
        .members(parent)
        .into_iter()
        .filter(|&s| s != m)
        .collect();
    let sib_weight: f64 = siblings.iter().map(|&s| tree.weight(s)).sum();
    let equal = sib_weight <= 0.0;
    let lines = rows
        .iter()
        .zip(&results.options)
        .enumerate()
        .map(|(i, (row, r))| {
            // The part of the total outside the parent, which stays put.
            let outside = match parent {
                Some(p) => r.total - pw * tree.value(Member::Group(p), row),
                None => 0.0,
            };
            let mine = tree.value(m, row);
            let rest = if siblings.is_empty() {
                0.0
            } else if equal {
                siblings.iter().map(|&s| tree.value(s, row)).sum::<f64>() / siblings.len() as f64
            } else {
                siblings
                    .iter()
                    .map(|&s| tree.weight(s) / sib_weight * tree.value(s, row))
                    .sum()
            };
            OptionLine::new(i, outside + pw * rest, outside + pw * mine)
        })
        .collect();
    let index = match m {
        Member::Criterion(c) | Member::Group(c) => c,
    };
    let within = stability(index, tree.local_share(m), lines, equal, results);
    MemberSensitivity {
        member: m,
        parent,
        parent_share: if total > 0.0 { pw / total } else { 0.0 },
        within,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::compute;

    /// Quality (60) holds q1 and q2 (1 each), Price (40) holds p; scored
    /// 0 to 10. Effective weights 30, 30, 40; totals A 560, B 640, C 600.
    pub(crate) const TREE: &str = r#"
version = 2
[appraisal]
title = "Groups by hand"
[scale]
min = 0
max = 10
[[groups]]
id = "quality"
name = "Quality"
weight = 60
[[groups]]
id = "price"
name = "Price"
weight = 40
[[criteria]]
id = "q1"
name = "Q1"
group = "quality"
[[criteria]]
id = "q2"
name = "Q2"
group = "quality"
[[criteria]]
id = "p"
name = "P"
group = "price"
[[options]]
id = "a"
name = "A"
scores = { q1 = 10, q2 = 6, p = 2 }
[[options]]
id = "b"
name = "B"
scores = { q1 = 4, q2 = 4, p = 10 }
[[options]]
id = "c"
name = "C"
scores = { q1 = 8, q2 = 8, p = 3 }
"#;

    fn load(text: &str) -> Appraisal {
        crate::load::load_str("t.toml", text).unwrap().appraisal
    }

    #[test]
    fn effective_weights_match_the_model() {
        let a = load(TREE);
        let tree = Tree::of(&a).unwrap();
        assert_eq!(tree.effective().0, a.effective_weights());
        let w = load(include_str!("../../tests/fixtures/v2/waste-contract.toml"));
        let t = Tree::of(&w).unwrap();
        assert_eq!(t.effective().0, w.effective_weights());
        assert_eq!(t.effective().1, w.group_weights());
    }

    #[test]
    fn group_and_within_group_stability_by_hand() {
        let a = load(TREE);
        let an = a.for_analysis();
        let r = compute(&an);
        let g = group_analysis(&an, &r, &Tree::of(&a).unwrap());
        let members: Vec<Member> = g.weights.iter().map(|w| w.member).collect();
        // Price holds one criterion only, so P cannot move within it.
        assert_eq!(
            members,
            [
                Member::Group(0),
                Member::Criterion(0),
                Member::Criterion(1),
                Member::Group(1)
            ]
        );
        let close = |x: f64, y: f64| assert!((x - y).abs() < 1e-12, "{x} against {y}");
        // Quality's share q: B = 100(10 - 6q), C = 100(3 + 5q): they cross at 7/11.
        let q = &g.weights[0].within;
        close(q.share, 0.6);
        close(q.stable_from, 0.0);
        close(q.stable_to, 7.0 / 11.0);
        assert_eq!((q.below, q.above), (None, Some(2)));
        // Price is the other side of the same line: B first down to 4/11.
        let p = &g.weights[3].within;
        close(p.stable_from, 4.0 / 11.0);
        assert_eq!((p.below, p.above), (Some(2), None));
        // Q1 within Quality (Quality fixed at 60): A = 440 + 240 r passes
        // B's 640 at r = 5/6.
        let q1 = &g.weights[1];
        close(q1.parent_share, 0.6);
        close(q1.within.share, 0.5);
        close(q1.within.stable_to, 5.0 / 6.0);
        assert_eq!(q1.within.above, Some(0));
        let q2 = &g.weights[2].within;
        close(q2.stable_from, 1.0 / 6.0);
        assert_eq!(q2.below, Some(0));
        // Lines pass through the totals now.
        for w in &g.weights {
            for (l, o) in w.within.lines.iter().zip(&r.options) {
                close(l.at(w.within.share), o.total);
            }
        }
    }

    #[test]
    fn leaving_a_group_out_by_hand() {
        let a = load(TREE);
        let an = a.for_analysis();
        let r = compute(&an);
        let g = group_analysis(&an, &r, &Tree::of(&a).unwrap());
        // Without Quality, Price alone: B 10, C 3, A 2.
        assert_eq!(g.leave_one_out[0].leaders, [1]);
        assert!(g.leave_one_out[0].same_leaders(&r));
        // Without Price, Quality alone: A and C tie on 8, B 4.
        assert_eq!(g.leave_one_out[1].leaders, [0, 2]);
        assert_eq!(g.leave_one_out[1].ranks, [1, 3, 1]);
    }

    #[test]
    fn a_nested_group_trades_weight_inside_its_parent() {
        // The waste contract: Service delivery and Staffing share Quality's 60.
        let w = load(include_str!("../../tests/fixtures/v2/waste-contract.toml"));
        let an = w.for_analysis();
        let r = compute(&an);
        let t = Tree::of(&w).unwrap();
        let g = group_analysis(&an, &r, &t);
        let delivery = g
            .weights
            .iter()
            .find(|m| m.member == Member::Group(1))
            .unwrap();
        assert_eq!(delivery.parent, Some(0));
        assert!((delivery.parent_share - 0.6).abs() < 1e-12);
        assert!((delivery.within.share - 0.5).abs() < 1e-12);
        for (l, o) in delivery.within.lines.iter().zip(&r.options) {
            assert!((l.at(0.5) - o.total).abs() < 1e-9);
        }
    }
}
