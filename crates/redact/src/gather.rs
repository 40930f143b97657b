//! Gathering what to pseudonymize from a project: people from attribute
//! sheets (name and alias columns, participant numbers), from speaker
//! labels and declared speaker names, and from term lists.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use voces_corpus::{AttrValue, Attributes, IngestConfig, InterviewHead, Participant, Role};

use crate::fold::fold;
use crate::mapping::MappedEntity;
use crate::pseudonym::{self, PERSON};
use crate::words::{
    is_name_header_word, is_not_person_header_word, is_number_header_word, is_particle,
    is_role_word, words,
};
use crate::{Error, Result};

/// A person, a term or a detected value, before or after it has its
/// pseudonym.
#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub kind: String,
    /// Full forms: names and aliases, terms, or the written forms of a
    /// detected value.
    pub values: Vec<String>,
    pub source: String,
    pub pseudonym: Option<String>,
    /// The participant number an attribute sheet gives.
    pub wanted: Option<u32>,
    /// First appearance: interview ordinal and character offset.
    pub first: Option<(usize, usize)>,
    pub occurrences: usize,
    /// Not in the mapping before this run.
    pub new: bool,
}

impl Entity {
    fn new(kind: &str, source: String) -> Entity {
        Entity {
            kind: kind.to_owned(),
            values: Vec::new(),
            source,
            pseudonym: None,
            wanted: None,
            first: None,
            occurrences: 0,
            new: true,
        }
    }
}

/// The entities of a project, with lookups by folded form.
#[derive(Debug, Default)]
pub(crate) struct Entities {
    pub list: Vec<Entity>,
    /// (kind, folded full form) → entity.
    by_form: HashMap<(String, String), usize>,
}

impl Entities {
    /// Entities of an existing mapping, with their pseudonyms.
    pub fn from_mapping(mapped: &[MappedEntity]) -> Entities {
        let mut out = Entities::default();
        for m in mapped {
            let i = out.push(Entity {
                pseudonym: Some(m.pseudonym.clone()),
                new: false,
                ..Entity::new(&m.kind, m.source.clone())
            });
            out.add_values(i, &m.values);
        }
        out
    }

    fn push(&mut self, e: Entity) -> usize {
        self.list.push(e);
        self.list.len() - 1
    }

    /// Adds forms to entity `i` (those it does not have yet).
    pub fn add_values(&mut self, i: usize, values: &[String]) {
        for v in values {
            let v = v.trim();
            let f = fold(v);
            if f.is_empty() {
                continue;
            }
            let kind = self.list[i].kind.clone();
            if !self.list[i].values.iter().any(|x| fold(x) == f) {
                self.list[i].values.push(v.to_owned());
            }
            self.by_form.entry((kind, f)).or_insert(i);
        }
    }

    /// The entity of `kind` that has one of these forms.
    pub fn find(&self, kind: &str, values: &[String]) -> Option<usize> {
        values
            .iter()
            .find_map(|v| self.by_form.get(&(kind.to_owned(), fold(v))).copied())
    }

    /// The entity of `kind` with one of `values`, or a new one; the values
    /// are added to it.
    pub fn find_or_add(
        &mut self,
        kind: &str,
        values: &[String],
        source: impl FnOnce() -> String,
    ) -> usize {
        let i = match self.find(kind, values) {
            Some(i) => i,
            None => self.push(Entity::new(kind, source())),
        };
        self.add_values(i, values);
        i
    }

    /// The one person who has `part` among the parts of their names.
    fn person_by_part(&self, part: &str) -> Option<usize> {
        let mut found = None;
        for (i, e) in self.list.iter().enumerate() {
            if e.kind == PERSON
                && e.values
                    .iter()
                    .any(|v| name_parts(&fold(v)).any(|p| p == part))
            {
                if found.is_some() {
                    return None;
                }
                found = Some(i);
            }
        }
        found
    }
}

/// The parts of a folded name that are matched alone: words of three
/// letters or more that are not particles (`de`, `van`, `Sra.`), role
/// words, initials or numbers.
pub(crate) fn name_parts(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(' ').filter(|w| {
        w.chars().count() >= 3
            && !w.contains('.')
            && w.chars().any(char::is_alphabetic)
            && !is_particle(w)
            && !is_role_word(w)
    })
}

/// The forms in an attribute cell of names: `Juan Pérez (Juancho)`,
/// `"el Flaco"`, `Pérez, María; Majo` give each part between brackets,
/// quotes, commas, semicolons, bars and slashes.
pub(crate) fn cell_forms(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in cell.split(['(', ')', '"', '“', '”', '«', '»', ',', ';', '|', '/']) {
        let piece = piece.trim();
        if piece.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !out.iter().any(|o| o == piece)
        {
            out.push(piece.to_owned());
        }
    }
    out
}

/// Whether an attribute column holds people's names: one of the
/// configured columns, or, with none configured, a header with a word such
/// as `name`, `alias`, `nombre`, `apellidos`, `seudónimo` and none such as
/// `file`, `organisation`, `place`.
pub(crate) fn is_name_column(header: &str, configured: &[String]) -> bool {
    let f = fold(header);
    if !configured.is_empty() {
        return configured.iter().any(|c| fold(c) == f);
    }
    let ws: Vec<&str> = words(&f).collect();
    ws.iter().any(|w| is_name_header_word(w)) && !ws.iter().any(|w| is_not_person_header_word(w))
}

/// A participant number such as `P07`, `p-7`, `007` or `7` in a column
/// named like `participant`, `code`, `case`, `número`.
fn participant_number(header: &str, value: &AttrValue) -> Option<u32> {
    let f = fold(header);
    if !words(&f).any(is_number_header_word) {
        return None;
    }
    let text = value.to_text();
    let t = text.trim();
    let letters = t.chars().take_while(char::is_ascii_alphabetic).count();
    let rest = t[letters..].trim_start_matches(['-', '_', ' ', '#']);
    if letters > 3 || rest.is_empty() || rest.len() > 4 || !rest.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    rest.parse().ok().filter(|&n| n > 0)
}

/// Whether a speaker label is a person's name: written like one (a
/// capital first, then letters, spaces, dots, apostrophes and hyphens; a
/// trailing number is allowed), and not a role or relation (`Interviewer`,
/// `P3`, `Entrevistadora`, `Mujer 2`), not a code (`INV`, `LAU` in CHAT,
/// `VALE_H12_042`), not one of the project's own role labels.
pub(crate) fn is_name_label(label: &str, ingest: &IngestConfig) -> bool {
    let label = label.trim();
    let lower = label.to_lowercase();
    if ingest
        .interviewer_labels
        .iter()
        .chain(&ingest.participant_labels)
        .any(|l| l.trim().to_lowercase() == lower)
    {
        return false;
    }
    let base = label
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end();
    let written_like_a_name = base.chars().next().is_some_and(char::is_uppercase)
        && base
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '’' | '-'));
    if !written_like_a_name {
        return false;
    }
    let f = fold(base);
    if words(&f).all(|w| is_role_word(w) || w.chars().count() < 2) {
        return false;
    }
    let letters = base.chars().filter(|c| c.is_alphabetic()).count();
    let lowercase = base.chars().any(char::is_lowercase);
    letters >= 2 && (lowercase || letters > 3)
}

/// Sheet rows' identities: (table index, row index).
type RowId = (usize, usize);

/// Adds the people of the attribute sheets; returns, per row, its person
/// (when it names one) and its participant number.
pub(crate) fn add_sheet_people(
    entities: &mut Entities,
    attributes: &Attributes,
    name_columns: &[String],
) -> HashMap<RowId, (Option<usize>, Option<u32>)> {
    let mut rows = HashMap::new();
    for (ti, table) in attributes.tables().iter().enumerate() {
        for (ri, row) in table.rows.iter().enumerate() {
            let mut forms = Vec::new();
            let mut number = participant_number(&table.key, &AttrValue::Text(row.id.clone()));
            for (column, value) in &row.attributes {
                if is_name_column(column, name_columns) {
                    forms.extend(cell_forms(&value.to_text()));
                } else if number.is_none() {
                    number = participant_number(column, value);
                }
            }
            let person = (!forms.is_empty()).then(|| {
                let i = entities.find_or_add(PERSON, &forms, || {
                    format!("attribute sheet {} line {}", table.name, row.line)
                });
                if entities.list[i].pseudonym.is_none() && entities.list[i].wanted.is_none() {
                    entities.list[i].wanted = number;
                }
                i
            });
            rows.insert((ti, ri), (person, number));
        }
    }
    rows
}

/// Which row of which table `p` is.
fn row_id(attributes: &Attributes, p: &Participant) -> Option<RowId> {
    attributes.tables().iter().enumerate().find_map(|(ti, t)| {
        t.rows
            .iter()
            .position(|r| std::ptr::eq(r, p))
            .map(|ri| (ti, ri))
    })
}

/// Adds the people named by speaker labels, declared speaker names and
/// name-like attributes found in the transcripts themselves.
pub(crate) fn add_speakers(
    entities: &mut Entities,
    heads: &[InterviewHead],
    attributes: &Attributes,
    rows: &mut HashMap<RowId, (Option<usize>, Option<u32>)>,
    ingest: &IngestConfig,
    name_columns: &[String],
) {
    for head in heads {
        let joined: Vec<RowId> = attributes
            .participants(&head.id, &head.source.file_name)
            .into_iter()
            .filter_map(|p| row_id(attributes, p))
            .collect();
        let participants = head
            .speakers
            .iter()
            .filter(|s| s.role == Role::Participant)
            .count();
        let mut own: Vec<String> = Vec::new();
        for (column, value) in &head.attributes {
            if is_name_column(column, name_columns) {
                own.extend(cell_forms(&value.to_text()));
            }
        }
        if !own.is_empty() {
            entities.find_or_add(PERSON, &own, || {
                format!("attributes of interview {}", head.id)
            });
        }
        for s in &head.speakers {
            let mut forms = Vec::new();
            if is_name_label(&s.label, ingest) {
                forms.push(s.label.trim().to_owned());
            }
            if let Some(name) = s.name.as_deref().filter(|n| is_name_label(n, ingest)) {
                forms.extend(cell_forms(name));
            }
            if forms.is_empty() {
                continue;
            }
            if let Some(i) = entities.find(PERSON, &forms) {
                entities.add_values(i, &forms);
                continue;
            }
            if let Some(i) = entities.person_by_part(&fold(&forms[0])) {
                entities.add_values(i, &forms);
                continue;
            }
            // The one participant of an interview whose sheet row names a
            // person or gives a number is that row's participant.
            let row = (s.role == Role::Participant && participants == 1 && joined.len() == 1)
                .then(|| joined[0]);
            if let Some(row) = row
                && let Some((person, number)) = rows.get(&row).copied()
            {
                if let Some(i) = person {
                    entities.add_values(i, &forms);
                } else {
                    let i = entities
                        .find_or_add(PERSON, &forms, || format!("speaker label in {}", head.id));
                    if entities.list[i].pseudonym.is_none() {
                        entities.list[i].wanted = number;
                    }
                    rows.insert(row, (Some(i), number));
                }
                continue;
            }
            entities.find_or_add(PERSON, &forms, || format!("speaker label in {}", head.id));
        }
    }
}

/// One term list entry: `Juan Pérez | Juancho` gives two forms of one
/// entity.
fn term_forms(entry: &str) -> Vec<String> {
    entry
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A term: its kind, its forms, and where it is listed.
pub(crate) type Term = (String, Vec<String>, String);

/// The terms of `[privacy] terms` and of the term files.
pub(crate) struct TermLists {
    /// Every term, by kind, in order.
    pub terms: Vec<Term>,
    /// The term files read (relative to the project folder) and their text.
    pub files: Vec<(PathBuf, String)>,
}

/// Reads `[privacy] terms` and the term files (relative to `root`).
pub(crate) fn read_terms(
    root: &Path,
    terms: &BTreeMap<String, Vec<String>>,
    files: &[String],
) -> Result<TermLists> {
    let mut out = Vec::new();
    for (kind, list) in terms {
        for entry in list {
            let forms = term_forms(entry);
            if !forms.is_empty() {
                out.push((kind.clone(), forms, "[privacy] terms".to_owned()));
            }
        }
    }
    let mut texts = Vec::new();
    for file in files {
        let path = root.join(file.trim());
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |message: String| Error::TermFile {
                path: path.clone(),
                line: n + 1,
                message,
            };
            let (kind, entry) = line.split_once(':').ok_or_else(|| {
                bad("expected `kind: term`, such as `place: Albergue San José`".into())
            })?;
            let kind = kind.trim().to_lowercase();
            let mut chars = kind.chars();
            if !chars.next().is_some_and(|c| c.is_ascii_lowercase())
                || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(bad(format!(
                    "`{kind}` is not a kind: use a lower-case word such as person, place or org"
                )));
            }
            let forms = term_forms(entry);
            if forms.is_empty() {
                return Err(bad("the term is empty".into()));
            }
            out.push((kind, forms, format!("{}:{}", path.display(), n + 1)));
        }
        texts.push((path, text));
    }
    Ok(TermLists {
        terms: out,
        files: texts,
    })
}

/// Adds the terms (people among them).
pub(crate) fn add_terms(entities: &mut Entities, terms: &[Term]) {
    for (kind, forms, source) in terms {
        entities.find_or_add(kind, forms, || source.clone());
    }
}

/// Gives every entity without a pseudonym one: people whose sheet gives a
/// participant number get it when free; then, per kind, the next numbers
/// in order of first appearance (interviews in id order), and last the
/// entities that never appear, in the order they were found.
pub(crate) fn assign(entities: &mut [Entity]) {
    let mut used: HashMap<String, Vec<u32>> = HashMap::new();
    for e in entities.iter() {
        if let Some(n) = e
            .pseudonym
            .as_deref()
            .and_then(|p| pseudonym::number(&e.kind, p))
        {
            used.entry(e.kind.clone()).or_default().push(n);
        }
    }
    for e in entities.iter_mut() {
        if e.pseudonym.is_none()
            && let Some(n) = e.wanted
        {
            let taken = used.entry(e.kind.clone()).or_default();
            if !taken.contains(&n) {
                taken.push(n);
                e.pseudonym = Some(pseudonym::label(&e.kind, n));
            }
        }
    }
    let mut order: Vec<usize> = (0..entities.len())
        .filter(|&i| entities[i].pseudonym.is_none())
        .collect();
    order.sort_by_key(|&i| (entities[i].first.is_none(), entities[i].first, i));
    for i in order {
        let e = &mut entities[i];
        let taken = used.entry(e.kind.clone()).or_default();
        let n = taken.iter().max().copied().unwrap_or(0) + 1;
        taken.push(n);
        e.pseudonym = Some(pseudonym::label(&e.kind, n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_columns_in_english_and_spanish() {
        for yes in [
            "name",
            "Full name",
            "Alias",
            "nombre",
            "Apellido(s)",
            "seudónimo",
            "participant_name",
            "Nombre completo",
            "nickname",
        ] {
            assert!(is_name_column(yes, &[]), "{yes}");
        }
        for no in [
            "organisation",
            "organisation name",
            "file name",
            "country",
            "age",
            "participant",
            "nombre del albergue",
        ] {
            assert!(!is_name_column(no, &[]), "{no}");
        }
        assert!(is_name_column("Codename", &["codename".into()]));
        assert!(!is_name_column("name", &["codename".into()]));
    }

    #[test]
    fn speaker_labels_that_are_names() {
        let ingest = IngestConfig {
            interviewer_labels: vec!["Ana R".into()],
            ..IngestConfig::default()
        };
        for yes in ["Lena", "María José", "MARÍA", "Dr. Pérez", "Officer Smith"] {
            assert!(is_name_label(yes, &ingest), "{yes}");
        }
        for no in [
            "Interviewer",
            "P3",
            "I",
            "E",
            "Entrevistadora",
            "Entrevistador(a)",
            "Intérprete",
            "Speaker 2",
            "LAU",
            "INV",
            "Mujer 1",
            "Ana R",
            "Participant",
            "VALE_H12_042",
            "nombre",
            "Speaker_1",
        ] {
            assert!(!is_name_label(no, &ingest), "{no}");
        }
    }

    #[test]
    fn cells_give_forms() {
        assert_eq!(
            cell_forms("Juan Pérez (Juancho)"),
            ["Juan Pérez", "Juancho"]
        );
        assert_eq!(
            cell_forms("Pérez, María; \"Majo\""),
            ["Pérez", "María", "Majo"]
        );
        assert_eq!(
            name_parts("maria jose de la cruz").collect::<Vec<_>>(),
            ["maria", "jose", "cruz"]
        );
    }

    #[test]
    fn participant_numbers() {
        let t = |s: &str| AttrValue::Text(s.into());
        assert_eq!(participant_number("participant", &t("P07")), Some(7));
        assert_eq!(participant_number("Código", &t("p-12")), Some(12));
        assert_eq!(participant_number("no", &AttrValue::Number(3.0)), Some(3));
        assert_eq!(participant_number("participant", &t("smo01-migrant")), None);
        assert_eq!(participant_number("age", &t("34")), None);
    }
}
