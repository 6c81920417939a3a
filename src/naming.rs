//! Names made into ids and file-name parts: transliterated to ASCII
//! (`deunicode`: 王小明 gives `wang-xiao-ming`, Émile `emile`), put in id
//! shape by [`crate::model::slug`], and cut at a word.

use std::collections::HashSet;

use crate::model::{Id, MAX_ID_LEN};

/// `text` in id shape ([`crate::model::slug`], the one rule for that) after
/// transliterating it to ASCII, so that names in any script stay readable,
/// cut at a word to at most `max` characters (or inside a first word longer
/// than that). Empty when nothing readable is left.
pub fn slug(text: &str, max: usize) -> String {
    let full = crate::model::slug(&deunicode::deunicode(text));
    if full.len() <= max {
        return full;
    }
    match full[..=max].rfind('-') {
        Some(cut) if cut > 0 => full[..cut].to_string(),
        _ => full[..max].to_string(),
    }
}

/// Longest id made from a name, leaving room for a `-2` that keeps it unique.
const ID_FROM_NAME_CHARS: usize = 40;

/// An id for something named `name`: its [`slug`], or `fallback` with its
/// position (`criterion-3`) when the name gives none, made unique among
/// `used` with `-2`, `-3`, ... . The id is added to `used`.
pub fn unique_id(name: &str, fallback: &str, position: usize, used: &mut HashSet<String>) -> Id {
    let mut base = slug(name, ID_FROM_NAME_CHARS);
    if base.is_empty() {
        base = format!("{fallback}-{position}");
    }
    let mut candidate = base.clone();
    let mut k = 2;
    while used.contains(&candidate) {
        candidate = format!("{base}-{k}");
        k += 1;
    }
    used.insert(candidate.clone());
    // A slug is lowercase ASCII letters, digits and '-', never empty and
    // short, so it always passes the id rules.
    match Id::new(&candidate[..candidate.len().min(MAX_ID_LEN)]) {
        Ok(id) => id,
        Err(_) => unreachable!("`{candidate}` is made only of id characters"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_readable_ascii_slugs() {
        assert_eq!(slug("Cllr A. Clark", 40), "cllr-a-clark");
        assert_eq!(slug("王小明", 40), "wang-xiao-ming");
        assert_eq!(slug("Émile", 40), "emile");
        assert_eq!(slug("  Value for money (VfM) ", 40), "value-for-money-vfm");
        assert_eq!(slug("!!!", 40), "");
        assert_eq!(slug("one two three", 8), "one-two");
        assert_eq!(slug("abcdefghij", 4), "abcd");
    }

    #[test]
    fn ids_from_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(
            unique_id("Cost", "criterion", 1, &mut used).as_str(),
            "cost"
        );
        assert_eq!(
            unique_id("COST", "criterion", 2, &mut used).as_str(),
            "cost-2"
        );
        assert_eq!(
            unique_id("cost!", "criterion", 3, &mut used).as_str(),
            "cost-3"
        );
        assert_eq!(
            unique_id("?!", "criterion", 4, &mut used).as_str(),
            "criterion-4"
        );
        let long = unique_id(&"word ".repeat(40), "option", 5, &mut used);
        assert!(long.as_str().len() <= ID_FROM_NAME_CHARS);
    }
}
