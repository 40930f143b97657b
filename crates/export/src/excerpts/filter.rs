//! `--where` filters on excerpts, meaning what they mean to
//! `voces search --where`: values of one name are alternatives, names all
//! apply; attribute names ignore case; attribute values and speakers match
//! ignoring case and accents (the search index's keyword analyzer);
//! `lang`, `role` and `interview` match the segment's language, role and
//! interview id.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use voces_corpus::{AttrValue, Role, Speaker};
use voces_index::Analyzer;

use crate::{Error, Result};

/// The names that filter segments rather than attributes (unless an
/// attribute sheet has a column of that name), as in `voces search`.
pub use voces_index::FILTER_FIELDS as FIELDS;

/// Parsed filters.
pub(super) struct Filters {
    keyword: Analyzer,
    lang: Vec<String>,
    role: Vec<String>,
    speaker: Vec<String>,
    interview: Vec<String>,
    /// (lower-case name, name as given, folded values)
    attributes: Vec<(String, String, Vec<String>)>,
}

impl Filters {
    /// Sorts `(name, value)` filters into segment fields and attributes;
    /// `sheet_columns` are the attribute sheets' column names.
    pub(super) fn new(filters: &[(String, String)], sheet_columns: &BTreeSet<String>) -> Filters {
        let mut f = Filters {
            keyword: Analyzer::keyword(),
            lang: Vec::new(),
            role: Vec::new(),
            speaker: Vec::new(),
            interview: Vec::new(),
            attributes: Vec::new(),
        };
        for (name, value) in filters {
            let key = name.trim().to_lowercase();
            let value = value.trim();
            let is_column = sheet_columns.iter().any(|c| c.to_lowercase() == key);
            match key.as_str() {
                "lang" if !is_column => f.lang.push(value.to_lowercase()),
                "role" if !is_column => f.role.push(value.to_lowercase()),
                "speaker" if !is_column => {
                    let folded = f.fold(value);
                    f.speaker.push(folded);
                }
                "interview" if !is_column => f.interview.push(value.to_owned()),
                _ => {
                    let folded = f.fold(value);
                    match f.attributes.iter_mut().find(|(k, _, _)| *k == key) {
                        Some((_, _, values)) => values.push(folded),
                        None => f
                            .attributes
                            .push((key, name.trim().to_owned(), vec![folded])),
                    }
                }
            }
        }
        f
    }

    fn fold(&self, value: &str) -> String {
        self.keyword.terms(value.trim()).pop().unwrap_or_default()
    }

    /// True when the `interview` filters let this interview through.
    pub(super) fn interview_id_matches(&self, id: &str) -> bool {
        self.interview.is_empty() || self.interview.iter().any(|i| i == id)
    }

    /// True when the interview's attributes pass every attribute filter.
    pub(super) fn attributes_match(&self, merged: &BTreeMap<String, AttrValue>) -> bool {
        self.attributes.iter().all(|(key, _, values)| {
            merged
                .iter()
                .find(|(k, _)| k.to_lowercase() == *key)
                .is_some_and(|(_, v)| values.contains(&self.fold(&v.to_text())))
        })
    }

    /// True when the segment passes the `lang`, `role` and `speaker`
    /// filters. A speaker matches by label or by the full name `speakers`
    /// (the interview's) declare for it; `cache` keeps the verdicts of one
    /// interview's labels.
    pub(super) fn segment_matches(
        &self,
        speakers: &[Speaker],
        language: &str,
        role: Role,
        speaker: Option<&str>,
        cache: &mut HashMap<Option<String>, bool>,
    ) -> bool {
        if !self.lang.is_empty() && !self.lang.contains(&language.to_lowercase()) {
            return false;
        }
        if !self.role.is_empty() && !self.role.iter().any(|r| r == role.as_str()) {
            return false;
        }
        if self.speaker.is_empty() {
            return true;
        }
        *cache.entry(speaker.map(str::to_owned)).or_insert_with(|| {
            let Some(label) = speaker else {
                return false;
            };
            let name = speakers
                .iter()
                .find(|s| s.label == label)
                .and_then(|s| s.name.as_deref());
            [Some(label), name]
                .into_iter()
                .flatten()
                .any(|n| self.speaker.contains(&self.fold(n)))
        })
    }

    /// An error for an attribute filter whose name is not among `known`
    /// (the attribute names of the sheets and the coded interviews).
    pub(super) fn check_attributes(&self, known: &BTreeSet<String>) -> Result<()> {
        for (key, name, _) in &self.attributes {
            if known.iter().any(|k| k.to_lowercase() == *key) {
                continue;
            }
            let list: Vec<&str> = known.iter().map(String::as_str).collect();
            return Err(Error::User(if list.is_empty() {
                format!(
                    "unknown attribute `{name}`; no interview has attributes\nhint: attach a sheet with `voces ingest --metadata FILE`"
                )
            } else {
                format!(
                    "unknown attribute `{name}`; attributes are: {}\nhint: `lang`, `role`, `speaker` and `interview` filter segments",
                    list.join(", ")
                )
            }));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(pairs: &[(&str, &str)]) -> Filters {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        Filters::new(&pairs, &BTreeSet::from(["language".to_owned()]))
    }

    #[test]
    fn attributes_fold_case_and_accents_and_or_within_a_name() {
        let attrs: BTreeMap<String, AttrValue> = [
            ("Country".to_owned(), AttrValue::Text("Perú".into())),
            ("age".to_owned(), AttrValue::Number(34.0)),
        ]
        .into();
        assert!(filters(&[("country", "peru")]).attributes_match(&attrs));
        assert!(filters(&[("COUNTRY", "Chile"), ("country", "PERU")]).attributes_match(&attrs));
        assert!(filters(&[("country", "peru"), ("age", "34")]).attributes_match(&attrs));
        assert!(!filters(&[("country", "peru"), ("age", "35")]).attributes_match(&attrs));
        assert!(!filters(&[("group", "migrant")]).attributes_match(&attrs));
    }

    #[test]
    fn fields_unless_a_sheet_has_the_column() {
        let f = filters(&[("lang", "ES"), ("role", "participant")]);
        assert_eq!(f.lang, ["es"]);
        assert_eq!(f.role, ["participant"]);
        assert!(f.attributes.is_empty());
        let sheet = Filters::new(
            &[("lang".to_owned(), "es".to_owned())],
            &BTreeSet::from(["Lang".to_owned()]),
        );
        assert!(sheet.lang.is_empty());
        assert_eq!(sheet.attributes.len(), 1);
    }

    #[test]
    fn unknown_attributes_list_the_known_ones() {
        let f = filters(&[("contry", "Peru")]);
        let known = BTreeSet::from(["country".to_owned(), "group".to_owned()]);
        let err = f.check_attributes(&known).unwrap_err().to_string();
        assert!(
            err.starts_with("unknown attribute `contry`; attributes are: country, group"),
            "{err}"
        );
        assert!(f.check_attributes(&BTreeSet::new()).is_err());
        assert!(
            filters(&[("Country", "x")])
                .check_attributes(&known)
                .is_ok()
        );
    }
}
