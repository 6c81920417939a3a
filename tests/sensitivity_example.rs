//! Exact sensitivity results on the bundled example, against values worked out by hand.
//!
//! The example has 8 criteria of weight 1 (W = 8, so each share p0 = 1/8) and
//! scores 0-5. Rows (C1..C8; total):
//!   Peer Practice Partner (PPP)      4 5 4 4 3 4 5 4 = 33
//!   Community Interest Company (CIC) 5 2 4 3 2 5 2 3 = 26
//!   Shared Service                   4 3 3 3 3 3 3 4 = 26
//!   Wholly owned company (Trust)     4 2 4 3 2 5 2 3 = 25
//!   Commission by contract           4 2 3 3 3 2 2 3 = 22
//!   Managing Agent                   3 2 2 2 3 2 2 2 = 18
//!   Employee owned mutual            4 2 1 1 1 3 2 2 = 16
//!   Joint Venture                    3 2 2 1 2 2 1 2 = 15

use appraise::sensitivity::{self, Direction};

fn example() -> appraise::Appraisal {
    appraise::load_example().unwrap().appraisal
}

fn idx(a: &appraise::Appraisal, id: &str) -> usize {
    a.option_index(id).unwrap()
}

fn close(x: f64, want: f64) {
    assert!((x - want).abs() < 1e-9, "{x} != {want}");
}

#[test]
fn weight_switchover_shares_match_hand_working() {
    let a = example();
    let e = sensitivity::exact(&a);
    let ppp = idx(&a, "peer-practice-partner");
    let cic = idx(&a, "community-interest-company");
    assert_eq!(e.weights[0].leader, ppp);

    // Child focused (C1). With share p the other seven weights share 1 - p in
    // proportion, so on a 0-5 "average score" basis:
    //   PPP(p) = 4p + (1 - p) * 29/7,   CIC(p) = 5p + (1 - p) * 21/7 = 3 + 2p.
    // Equal when 29 - p = 21 + 14p, i.e. p = 8/15 = 53.3%. Trust (4, rest 21),
    // Shared Service (4, rest 22) and the rest score 4 or less on C1, so they
    // only draw level with PPP at p = 1 (a tie, which still counts as first).
    let c1 = &e.weights[0];
    close(c1.share, 0.125);
    close(c1.stable_from, 0.0);
    close(c1.stable_to, 8.0 / 15.0);
    assert_eq!(c1.below, None);
    assert_eq!(c1.above, Some(cic));
    // Lines are in total units (weights rescaled to keep W = 8):
    // PPP at p = 0 is 29 * 8/7, at p = 1 it is 8 * 4 = 32.
    close(c1.lines[ppp].at_zero, 29.0 * 8.0 / 7.0);
    close(c1.lines[ppp].at_one, 32.0);
    close(c1.lines[ppp].at(0.125), 33.0);
    close(c1.lines[cic].at(8.0 / 15.0), c1.lines[ppp].at(8.0 / 15.0));

    // Workforce (C6): PPP 4 (rest 29), CIC 5 (rest 21) exactly as for C1, so
    // again 8/15; Trust 5 (rest 20) would need 29 - p = 20 + 15p, p = 9/16, later.
    let c6 = &e.weights[5];
    close(c6.stable_to, 8.0 / 15.0);
    assert_eq!(c6.above, Some(cic));

    // Every other criterion: PPP has the (joint) highest score on it, so it
    // leads (or ties) at p = 1 and at p = 0, and so throughout.
    for k in [1, 2, 3, 4, 6, 7] {
        let cs = &e.weights[k];
        assert!(cs.holds_throughout(), "criterion {k}");
        close(cs.stable_from, 0.0);
        close(cs.stable_to, 1.0);
    }

    // Segments: PPP up to 8/15, then CIC.
    let segs: Vec<(usize, f64, f64)> = c1
        .segments
        .iter()
        .map(|s| (s.leader, s.from, s.to))
        .collect();
    assert_eq!(segs.len(), 2);
    assert_eq!(segs[0].0, ppp);
    assert_eq!(segs[1].0, cic);
    close(segs[0].2, 8.0 / 15.0);

    // Swap points include PPP/CIC at 8/15.
    let swaps = c1.swap_points();
    assert!(swaps.iter().any(|s| s.ahead_below == ppp
        && s.ahead_above == cic
        && (s.share - 8.0 / 15.0).abs() < 1e-12));
}

#[test]
fn score_robustness_matches_hand_working() {
    // PPP leads CIC and Shared Service by 7. With weight 1 and step 1 every
    // change closes the gap by exactly 1 and each has room (PPP can fall 33
    // points in all, CIC can rise 14), so 7 changes draw level and 8 overtake.
    // Trust is 8 behind: 8 and 9.
    let a = example();
    let e = sensitivity::exact(&a);
    let s = &e.scores;
    assert_eq!(s.min_steps_to_tie, Some(7));
    assert_eq!(s.min_steps_to_overtake, Some(8));
    let cic = idx(&a, "community-interest-company");
    assert_eq!(
        s.challenger,
        Some(cic),
        "CIC and Shared Service tie; CIC comes first in the file"
    );
    let ch = s.easiest().unwrap();
    let total: u32 = ch.overtake_changes.iter().map(|c| c.steps).sum();
    assert_eq!(total, 8);
    // The fewest cells: PPP's two 5s (Partnerships, Integration) fall first.
    assert_eq!(ch.overtake_changes[0].direction, Direction::Down);
    assert_eq!(ch.overtake_changes[0].steps, 5);
    let trust = s
        .challenges
        .iter()
        .find(|c| c.challenger == idx(&a, "wholly-owned-company"))
        .unwrap();
    assert_eq!(
        (trust.steps_to_tie, trust.steps_to_overtake),
        (Some(8), Some(9))
    );
}

#[test]
fn leave_one_out_matches_hand_working() {
    // Without Child focused the totals are PPP 29, Shared 22, CIC 21, Trust 21,
    // Commission 18, Managing Agent 15, Mutual 12, Joint Venture 12.
    let a = example();
    let e = sensitivity::exact(&a);
    let l = &e.leave_one_out[0];
    let ids: Vec<&str> = l
        .ranking
        .iter()
        .map(|&i| a.options()[i].id().as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "peer-practice-partner",
            "shared-service",
            "wholly-owned-company",
            "community-interest-company",
            "commission-by-contract",
            "managing-agent",
            "employee-mutual",
            "joint-venture"
        ]
    );
    let ranks: Vec<usize> = l.ranking.iter().map(|&i| l.ranks[i]).collect();
    assert_eq!(ranks, [1, 2, 3, 3, 5, 6, 7, 7]);
    let moved: Vec<(&str, usize, usize)> = l
        .moved
        .iter()
        .map(|m| (a.options()[m.option].id().as_str(), m.from, m.to))
        .collect();
    assert_eq!(
        moved,
        [
            ("wholly-owned-company", 4, 3),
            ("community-interest-company", 2, 3),
            ("joint-venture", 8, 7)
        ]
    );
    // PPP stays first whichever criterion is left out.
    assert!(
        e.leave_one_out
            .iter()
            .all(|l| l.leaders == vec![idx(&a, "peer-practice-partner")])
    );
}

#[test]
fn statements_read_as_the_issue_asks() {
    let a = example();
    let e = sensitivity::exact(&a);
    let texts: Vec<String> = sensitivity::statements::exact_statements(&a, &e)
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert!(texts.contains(&"Peer Practice Partner stays first unless Child focused carries more than 53.3% of the total weight (it now carries 12.5%); then Community Interest Company leads.".to_string()), "{texts:#?}");
    assert!(texts.iter().any(|t| t.starts_with("At least 8 single-point score changes would be needed for another option to overtake Peer Practice Partner; 7 would bring Community Interest Company level with it.")), "{texts:#?}");
    assert!(texts.contains(
        &"Leaving out any one criterion, Peer Practice Partner stays first.".to_string()
    ));
}
