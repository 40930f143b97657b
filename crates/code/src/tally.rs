//! Counting codings: units per code (a sub-code counts for its ancestors),
//! the order codes are listed in, code co-occurrence, and interviews grouped
//! into [`Columns`] by attribute values.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use voces_corpus::id::parse_segment_id;
use voces_corpus::{Attributes, InterviewHead};

use crate::{Codebook, Coding, Error, Result};

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

/// What is counted per code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counted {
    /// Segments (speaker turns) with the code.
    Segment,
    /// Interviews with the code.
    Interview,
    /// Participants (attribute-sheet rows; else interviews) with the code.
    Participant,
}

/// The column label of interviews without a value for an attribute.
pub const NO_VALUE: &str = "(none)";

/// Interviews grouped into columns by the values of some attributes (their
/// sheet rows joined, as [`Attributes::merged`] does), and each interview's
/// participant.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Column labels, sorted, those with a missing value ([`NO_VALUE`])
    /// last; the values of several attributes are joined by ` / `. A single
    /// `all` when grouping by no attribute.
    pub labels: Vec<String>,
    /// Interview id → column.
    of_interview: HashMap<String, usize>,
    /// Interview id → participant id (the joined sheet row, else the
    /// interview).
    participant: HashMap<String, String>,
    /// Participant id → its first interview.
    first_interview: HashMap<String, String>,
}

impl Columns {
    /// Groups `heads` by the values of the attributes `by` (names matched
    /// ignoring ASCII case). An attribute no interview has is a user error
    /// listing those there are.
    pub fn new(heads: &[InterviewHead], attributes: &Attributes, by: &[String]) -> Result<Columns> {
        let mut keys: Vec<(String, String)> = Vec::new();
        let mut known: BTreeSet<String> = BTreeSet::new();
        let mut participant = HashMap::new();
        let mut first_interview = HashMap::new();
        for h in heads {
            let merged = attributes.merged(&h.id, &h.source.file_name, &h.attributes);
            known.extend(merged.keys().cloned());
            let values: Vec<String> = by
                .iter()
                .map(|name| {
                    merged
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name.trim()))
                        .map_or_else(|| NO_VALUE.to_owned(), |(_, v)| v.to_text())
                })
                .collect();
            keys.push((h.id.clone(), values.join(" / ")));
            let p = attributes
                .participants(&h.id, &h.source.file_name)
                .first()
                .map_or_else(|| h.id.clone(), |p| p.id.clone());
            first_interview
                .entry(p.clone())
                .or_insert_with(|| h.id.clone());
            participant.insert(h.id.clone(), p);
        }
        for name in by {
            if !known.iter().any(|k| k.eq_ignore_ascii_case(name.trim())) {
                let list: Vec<&str> = known.iter().map(String::as_str).collect();
                return Err(Error::User(format!(
                    "unknown attribute `{name}`{}",
                    if list.is_empty() {
                        "; no interview has attributes\nhint: attach a sheet with `voces ingest --metadata FILE`".to_owned()
                    } else {
                        format!("; attributes are: {}", list.join(", "))
                    }
                )));
            }
        }
        let mut labels: Vec<String> = keys
            .iter()
            .map(|(_, k)| k.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // Values with a missing attribute go last.
        labels.sort_by_key(|l| (l.contains(NO_VALUE), l.clone()));
        if by.is_empty() {
            labels = vec!["all".to_owned()];
        }
        let of_interview = keys
            .into_iter()
            .map(|(id, k)| {
                let i = if by.is_empty() {
                    0
                } else {
                    labels.iter().position(|l| *l == k).unwrap_or(0)
                };
                (id, i)
            })
            .collect();
        Ok(Columns {
            labels,
            of_interview,
            participant,
            first_interview,
        })
    }

    /// The column of an interview; `None` for an interview not grouped.
    pub fn column(&self, interview: &str) -> Option<usize> {
        self.of_interview.get(interview).copied()
    }

    /// The participant of an interview: its joined sheet row's id, else the
    /// interview's own id.
    pub fn participant<'a>(&'a self, interview: &'a str) -> &'a str {
        self.participant
            .get(interview)
            .map_or(interview, String::as_str)
    }

    /// The unit a coding counts for.
    pub fn unit_of(&self, coding: &Coding, counted: Counted) -> String {
        match counted {
            Counted::Segment => coding.segment.clone(),
            Counted::Interview => coding.interview.clone(),
            Counted::Participant => self.participant(&coding.interview).to_owned(),
        }
    }

    /// The column of a unit (a segment, interview or participant id),
    /// through its interview (a participant's first).
    pub fn column_of_unit(&self, unit: &str, counted: Counted) -> Option<usize> {
        let interview = match counted {
            Counted::Segment => parse_segment_id(unit).map_or(unit, |(i, _)| i),
            Counted::Interview => unit,
            Counted::Participant => self.first_interview.get(unit).map_or(unit, String::as_str),
        };
        self.column(interview)
    }

    /// Units per column: how many of the units in `units` fall in each.
    pub fn count<'a>(
        &self,
        units: impl IntoIterator<Item = &'a String>,
        counted: Counted,
    ) -> Vec<usize> {
        let mut out = vec![0usize; self.labels.len()];
        for u in units {
            if let Some(col) = self.column_of_unit(u, counted) {
                out[col] += 1;
            }
        }
        out
    }

    /// Every unit of each column, coded or not: the segments, interviews or
    /// participants of its interviews.
    pub fn universe(&self, heads: &[InterviewHead], counted: Counted) -> Vec<usize> {
        let mut out = vec![0usize; self.labels.len()];
        let mut participants: BTreeSet<&str> = BTreeSet::new();
        for h in heads {
            let Some(col) = self.column(&h.id) else {
                continue;
            };
            match counted {
                Counted::Segment => out[col] += h.stats.segments,
                Counted::Interview => out[col] += 1,
                Counted::Participant => {
                    let p = self.participant(&h.id);
                    if self.first_interview.get(p) == Some(&h.id) && participants.insert(p) {
                        out[col] += 1;
                    }
                }
            }
        }
        out
    }
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
