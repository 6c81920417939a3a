//! The swing-weighting assistant, after the UK Government's multi-criteria
//! analysis manual: rank the criteria by how much it matters to swing each
//! from its worst to its best score, give the top one 100, value the others
//! relative to it, and use those values as weights.

use crate::model::Appraisal;
use crate::numbers;

/// Which step of the assistant is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwingStep {
    /// Step 1: put the criteria in order of the importance of their swing.
    Order,
    /// Steps 2 and 3: the top criterion has 100; value the others against it.
    Value,
}

/// The assistant's working state.
#[derive(Debug, Clone, PartialEq)]
pub struct Swing {
    /// Which step is showing.
    pub step: SwingStep,
    /// Criterion indices, the swing that matters most first.
    pub order: Vec<usize>,
    /// The value typed for each position in `order` (the first is always 100).
    pub values: Vec<String>,
    /// The highlighted position in `order`.
    pub selected: usize,
    /// Whether the highlighted value is as shown, not yet typed into: the
    /// first digit typed replaces it, as in a spreadsheet cell.
    pub fresh: bool,
}

impl Swing {
    /// Starts the assistant from the current weights: criteria ordered by
    /// weight, each valued relative to the heaviest, so accepting at once
    /// changes nothing but the scale of the weights.
    pub fn start(a: &Appraisal) -> Swing {
        let weights = a.weights();
        let mut order: Vec<usize> = (0..weights.len()).collect();
        order.sort_by(|&x, &y| weights[y].total_cmp(&weights[x]).then(x.cmp(&y)));
        let top = order
            .first()
            .and_then(|&i| weights.get(i))
            .copied()
            .unwrap_or(1.0);
        let values = order
            .iter()
            .enumerate()
            .map(|(pos, &i)| {
                if pos == 0 || top <= 0.0 {
                    "100".to_owned()
                } else {
                    numbers::weight((100.0 * weights[i] / top).clamp(0.0, 100.0))
                }
            })
            .collect();
        Swing {
            step: SwingStep::Order,
            order,
            values,
            selected: 0,
            fresh: true,
        }
    }

    /// Moves the highlighted criterion up (`-1`) or down (`+1`) the order.
    pub fn move_selected(&mut self, delta: isize) {
        let Some(to) = self.selected.checked_add_signed(delta) else {
            return;
        };
        if to < self.order.len() {
            self.order.swap(self.selected, to);
            self.selected = to;
        }
    }

    /// Moves the highlight.
    pub fn select(&mut self, delta: isize) {
        let last = self.order.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.fresh = true;
    }

    /// Types into the highlighted value (the top criterion stays at 100).
    pub fn type_char(&mut self, ch: char) {
        if self.selected == 0 || !(ch.is_ascii_digit() || ch == '.') {
            return;
        }
        let fresh = std::mem::take(&mut self.fresh);
        if let Some(v) = self.values.get_mut(self.selected) {
            if fresh {
                v.clear();
            }
            if v.len() < 8 {
                v.push(ch);
            }
        }
    }

    /// Deletes the last character of the highlighted value.
    pub fn backspace(&mut self) {
        if self.selected == 0 {
            return;
        }
        let fresh = std::mem::take(&mut self.fresh);
        if let Some(v) = self.values.get_mut(self.selected) {
            if fresh {
                v.clear();
            } else {
                v.pop();
            }
        }
    }

    /// The weights the values give, in criterion order, or a message saying
    /// which value needs fixing.
    pub fn weights(&self, n_criteria: usize) -> Result<Vec<f64>, String> {
        let mut weights = vec![0.0; n_criteria];
        for (pos, &c) in self.order.iter().enumerate() {
            let text = self.values.get(pos).map_or("", String::as_str);
            let v: f64 = if pos == 0 {
                100.0
            } else {
                text.trim().parse().map_err(|_| {
                    format!(
                        "value {} in the list is {:?}: type a number from 0 to 100",
                        pos + 1,
                        text
                    )
                })?
            };
            if !(0.0..=100.0).contains(&v) {
                return Err(format!(
                    "value {} in the list is {}: values run from 0 to 100, relative to the top criterion's 100",
                    pos + 1,
                    numbers::as_given(v)
                ));
            }
            if let Some(w) = weights.get_mut(c) {
                *w = v;
            }
        }
        Ok(weights)
    }

    /// The ranking as an order of importance for `[agreed_weights] order`,
    /// criteria by id, most important first: `"child > workforce > cost"`
    /// (as `--order` takes it). `None` with fewer than two criteria, which
    /// make no order.
    pub fn order_text(&self, a: &Appraisal) -> Option<String> {
        if self.order.len() < 2 {
            return None;
        }
        let ids: Option<Vec<&str>> = self
            .order
            .iter()
            .map(|&c| a.criteria().get(c).map(|k| k.id().as_str()))
            .collect();
        Some(ids?.join(" > "))
    }

    /// Positions whose value is above the one before, which usually means the
    /// order in step 1 should change.
    pub fn out_of_order(&self) -> Vec<usize> {
        let nums: Vec<Option<f64>> = self
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| if i == 0 { Some(100.0) } else { v.parse().ok() })
            .collect();
        (1..nums.len())
            .filter(|&i| matches!((nums[i - 1], nums[i]), (Some(a), Some(b)) if b > a))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;

    const T: &str = r#"
[appraisal]
title = "T"
[scale]
min = 0
max = 5
[[criteria]]
id = "a"
name = "A"
weight = 1
[[criteria]]
id = "b"
name = "B"
weight = 4
[[criteria]]
id = "c"
name = "C"
weight = 2
[[options]]
id = "x"
name = "X"
"#;

    #[test]
    fn starts_from_the_current_weights() {
        let a = load_str("t", T).unwrap().appraisal;
        let s = Swing::start(&a);
        assert_eq!(s.order, vec![1, 2, 0]);
        assert_eq!(s.values, vec!["100", "50", "25"]);
        assert_eq!(s.weights(3).unwrap(), vec![25.0, 100.0, 50.0]);
    }

    #[test]
    fn reordering_and_typing_give_new_weights() {
        let a = load_str("t", T).unwrap().appraisal;
        let mut s = Swing::start(&a);
        s.select(2);
        s.move_selected(-1);
        s.move_selected(-1);
        assert_eq!(s.order, vec![0, 1, 2]);
        // Values belong to positions: the top is always 100.
        s.select(1);
        s.backspace();
        s.backspace();
        s.type_char('8');
        s.type_char('0');
        s.select(1);
        s.backspace();
        s.backspace();
        s.type_char('x');
        s.type_char('5');
        assert_eq!(s.values, vec!["100", "80", "5"]);
        assert_eq!(s.weights(3).unwrap(), vec![100.0, 80.0, 5.0]);
        s.select(-9);
        s.type_char('1');
        assert_eq!(s.values[0], "100", "the top value cannot be changed");
    }

    #[test]
    fn the_first_digit_replaces_the_value_shown() {
        let a = load_str("t", T).unwrap().appraisal;
        let mut s = Swing::start(&a);
        s.select(1);
        assert_eq!(s.values[1], "50");
        s.type_char('8');
        s.type_char('0');
        assert_eq!(s.values[1], "80", "80 over 50 is 80, not 5080");
        s.select(1);
        s.type_char('5');
        assert_eq!(s.values[2], "5");
    }

    #[test]
    fn bad_values_are_explained() {
        let a = load_str("t", T).unwrap().appraisal;
        let mut s = Swing::start(&a);
        s.values[1] = "150".into();
        assert!(s.weights(3).unwrap_err().contains("0 to 100"));
        assert_eq!(s.out_of_order(), vec![1]);
        s.values[1] = String::new();
        assert!(s.weights(3).is_err());
    }
}
