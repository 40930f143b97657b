//! Counting codings: units per code (a sub-code counts for its ancestors),
//! the order codes are listed in, and code co-occurrence.

use std::collections::{BTreeMap, BTreeSet};

use voces_corpus::id::parse_segment_id;

use crate::{Codebook, Coding};

/// Codes in the order reports list them, with their depth (0 for a
/// theme): the codebook's tree, each theme followed by its sub-codes
/// depth-first, in file order; then codes the codebook does not have,
/// sorted, at depth 0.
pub fn code_order<'a>(
    codebook: Option<&Codebook>,
    used: impl IntoIterator<Item = &'a str>,
) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    if let Some(book) = codebook {
        fn walk(book: &Codebook, id: &str, depth: usize, out: &mut Vec<(String, usize)>) {
            if out.iter().any(|(c, _)| c == id) || depth > book.codes.len() {
                return;
            }
            out.push((id.to_owned(), depth));
            for child in book.children(id) {
                walk(book, &child.id, depth + 1, out);
            }
        }
        for theme in book.themes() {
            walk(book, &theme.id, 0, &mut out);
        }
    }
    let extra: BTreeSet<&str> = used
        .into_iter()
        .filter(|c| codebook.is_none_or(|b| b.code(c).is_none()))
        .collect();
    out.extend(extra.into_iter().map(|c| (c.to_owned(), 0)));
    out
}

/// The code and its ancestors in the codebook (nearest first after the
/// code itself).
pub fn with_ancestors(codebook: Option<&Codebook>, code: &str) -> Vec<String> {
    let mut out = vec![code.to_owned()];
    if let Some(book) = codebook {
        out.extend(book.ancestors(code).into_iter().map(|c| c.id.clone()));
    }
    out
}

/// For each code, the units coded with it or with one of its descendants.
/// `unit` maps a coding to its unit (a segment, an interview, a
/// participant), or `None` to leave it out.
pub fn units_per_code(
    codings: &[Coding],
    codebook: Option<&Codebook>,
    unit: impl Fn(&Coding) -> Option<String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in codings {
        let Some(u) = unit(c) else { continue };
        for code in with_ancestors(codebook, &c.code) {
            out.entry(code).or_default().insert(u.clone());
        }
    }
    out
}

/// Co-occurrence of themes: for each pair (a, b) of themes, the number of
/// segments coded with `a` that have `b` in the same segment or in one at
/// most `window` segments away in the same interview. The diagonal (a, a)
/// is the number of segments coded with `a`. Codes are counted for their
/// theme. With `window` 0 the counts are symmetric.
pub fn cooccurrence(
    codings: &[Coding],
    codebook: Option<&Codebook>,
    window: usize,
) -> BTreeMap<(String, String), usize> {
    // interview → segment index → themes there
    let mut at: BTreeMap<&str, BTreeMap<usize, BTreeSet<String>>> = BTreeMap::new();
    for c in codings {
        let Some((_, index)) = parse_segment_id(&c.segment) else {
            continue;
        };
        let theme = with_ancestors(codebook, &c.code).pop().unwrap_or_default();
        at.entry(&c.interview)
            .or_default()
            .entry(index)
            .or_default()
            .insert(theme);
    }
    let mut out: BTreeMap<(String, String), usize> = BTreeMap::new();
    for segments in at.values() {
        for (&s, themes) in segments {
            let mut near: BTreeSet<&String> = BTreeSet::new();
            for (_, t) in segments.range(s.saturating_sub(window)..=s.saturating_add(window)) {
                near.extend(t);
            }
            for a in themes {
                *out.entry((a.clone(), a.clone())).or_default() += 1;
                for &b in &near {
                    if b != a {
                        *out.entry((a.clone(), b.clone())).or_default() += 1;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(segment: &str, code: &str) -> Coding {
        let (interview, _) = parse_segment_id(segment).unwrap();
        Coding {
            interview: interview.to_owned(),
            segment: segment.to_owned(),
            start: 0,
            end: 1,
            code: code.to_owned(),
            coder: "auto".to_owned(),
            rule: None,
            codebook: None,
            matched: vec![],
            quote: "x".to_owned(),
        }
    }

    #[test]
    fn cooccurrence_counts_windows() {
        let c = vec![
            coding("i#1", "a"),
            coding("i#1", "b"),
            coding("i#3", "c"),
            coding("j#1", "a"),
        ];
        let same = cooccurrence(&c, None, 0);
        assert_eq!(same[&("a".into(), "b".into())], 1);
        assert_eq!(same[&("b".into(), "a".into())], 1);
        assert_eq!(same[&("a".into(), "a".into())], 2);
        assert!(!same.contains_key(&("a".into(), "c".into())));
        let near = cooccurrence(&c, None, 2);
        assert_eq!(near[&("a".into(), "c".into())], 1);
        assert_eq!(near[&("c".into(), "b".into())], 1);
    }

    #[test]
    fn units_count_for_ancestors() {
        let book = Codebook::parse(
            r#"
[codebook]
name = "t"
version = "1"
languages = ["en"]
[[code]]
id = "a"
[[code.rule]]
id = "a/en/x"
lang = "en"
terms = ["x"]
[[code]]
id = "a.b"
parent = "a"
"#,
            std::path::Path::new("t.toml"),
            &[],
        )
        .unwrap();
        let c = vec![coding("i#1", "a.b"), coding("i#2", "a"), coding("i#2", "z")];
        let units = units_per_code(&c, Some(&book), |c| Some(c.segment.clone()));
        assert_eq!(units["a"].len(), 2);
        assert_eq!(units["a.b"].len(), 1);
        let order = code_order(Some(&book), units.keys().map(String::as_str));
        assert_eq!(order, [("a".into(), 0), ("a.b".into(), 1), ("z".into(), 0)]);
    }
}
