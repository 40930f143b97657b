//! A voces project as a REFI-QDA project or codebook (see the mapping in
//! the [module docs](super)).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use voces_code::coding::Action;
use voces_code::{AUTO_CODER, Codebook, CodingStore};
use voces_corpus::{AttrValue, Interview, MetadataTable, Project};
use voces_redact::{RedactedInterview, Redactor};

use super::identity::Identities;
use super::model::{
    Case, Code, Coding, RefiProject, Selection, TextSource, User, Value, Variable, VariableType,
    VariableValue,
};
use super::write::{self, SOURCES_DIR};
use super::{check, guid};
use crate::{Error, Result};

/// Characters of a quote kept as a selection's `name`.
const SELECTION_NAME_CHARS: usize = 60;

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// The project's codebook (as `voces code` finds it), if it has one.
    /// Codebooks written by `voces import` are added to it.
    pub codebook: Option<PathBuf>,
}

/// A project ready to be written.
#[derive(Debug, Clone)]
pub struct Export {
    /// The REFI-QDA model.
    pub project: RefiProject,
    /// The plain text of each source, by its archive entry
    /// (`Sources/GUID.txt`).
    pub texts: BTreeMap<String, String>,
    /// What could not be exported (codings of interviews that are no longer
    /// stored, codebooks that cannot be read).
    pub warnings: Vec<String>,
}

/// The program named in `origin`.
pub fn origin() -> String {
    format!("voces {}", env!("CARGO_PKG_VERSION"))
}

impl Export {
    /// The `.qdpx` archive: `project.qde` and `Sources/`. The project is
    /// checked ([`check::project`]) before it is packed.
    pub fn qdpx(&self, path: &Path) -> Result<Vec<u8>> {
        let xml = write::project_xml(&self.project);
        let lengths: BTreeMap<String, usize> = self
            .texts
            .iter()
            .map(|(k, v)| (k.clone(), v.chars().count()))
            .collect();
        check::project(&xml, Some(&lengths)).map_err(|p| {
            Error::Internal(format!(
                "the project voces made fails its own check: {}",
                p.join("; ")
            ))
        })?;
        let mut entries = vec![("project.qde".to_owned(), xml.into_bytes())];
        entries.extend(
            self.texts
                .iter()
                .map(|(k, v)| (k.clone(), v.as_bytes().to_vec())),
        );
        write::zip(path, &entries)
    }

    /// The `.qdc` codebook.
    pub fn qdc(&self) -> Result<String> {
        if self.project.codes.is_empty() {
            return Err(Error::User(
                "the project has no codes to export\nhint: pass --codebook FILE, or run `voces code` with a codebook first".to_owned(),
            ));
        }
        let xml = write::codebook_xml(&self.project.codes, &origin());
        check::codebook(&xml).map_err(|p| {
            Error::Internal(format!(
                "the codebook voces made fails its own check: {}",
                p.join("; ")
            ))
        })?;
        Ok(xml)
    }
}

/// One coded span of one coder.
struct Entry {
    coder: String,
    code: String,
    at: Option<String>,
}

/// Builds the REFI-QDA model of a project: every interview, every code of
/// the codebooks, every coding of every coder, every attribute table.
///
/// With a `redactor`, what comes from the corpus is pseudonymized: the
/// source texts are the redacted interviews (selection positions mapped
/// onto them, selection names cut from them), source names are redacted
/// ids, variable values and case names are redacted, and the GUIDs of
/// sources and cases are made from the redacted ids (a GUID made from a
/// real name could be found again by hashing guessed names; a remembered
/// GUID that is voces' own GUID of the real id is dropped for the same
/// reason). Coders (users) and codes are the analysts' and are kept.
pub fn build(
    project: &Project,
    options: &ExportOptions,
    redactor: Option<&Redactor>,
) -> Result<Export> {
    let store = project.store();
    let codings = CodingStore::of(project);
    let ids = Identities::load(project)?;
    let mut warnings = Vec::new();
    let mut guids = Guids::default();

    // Codings, grouped by span.
    let mut spans: BTreeMap<(String, usize, usize), Vec<Entry>> = BTreeMap::new();
    if let Some((auto, _)) = codings.read_auto()? {
        for c in auto {
            spans
                .entry((c.interview, c.start, c.end))
                .or_default()
                .push(Entry {
                    coder: AUTO_CODER.to_owned(),
                    code: c.code,
                    at: None,
                });
        }
    }
    for coder in codings.manual_coders()? {
        // The log replayed, keeping when each coding still standing was added.
        let mut current: BTreeMap<(String, usize, usize, String), Option<String>> = BTreeMap::new();
        for e in codings.manual_log(&coder)? {
            let key = (e.interview, e.start, e.end, e.code);
            match e.action {
                Action::Add => {
                    let undated = e
                        .source
                        .as_deref()
                        .is_some_and(|s| s.ends_with(super::import::UNDATED));
                    current
                        .entry(key)
                        .or_insert_with(|| (!undated).then_some(e.at));
                }
                Action::Remove => {
                    current.remove(&key);
                }
            }
        }
        for ((interview, start, end, code), at) in current {
            spans
                .entry((interview, start, end))
                .or_default()
                .push(Entry {
                    coder: coder.clone(),
                    code,
                    at: at.filter(|t| is_datetime(t)),
                });
        }
    }

    // One coding per coder and code on a span (auto-coding may code a
    // sentence with the same code through two rules).
    for entries in spans.values_mut() {
        let mut seen = HashSet::new();
        entries.retain(|e| seen.insert((e.coder.clone(), e.code.clone())));
    }

    // Users: the coders with codings.
    let coders: BTreeSet<&str> = spans.values().flatten().map(|e| e.coder.as_str()).collect();
    let mut users: Vec<User> = coders
        .iter()
        .map(|coder| {
            let remembered = ids.users.get(*coder);
            User {
                guid: guids.take("user", coder, remembered.map(|r| r.guid.as_str())),
                name: Some(remembered.map_or_else(|| (*coder).to_owned(), |r| r.name.clone())),
            }
        })
        .collect();
    let user_of: HashMap<&str, (String, String)> = coders
        .iter()
        .zip(&users)
        .map(|(c, u)| (*c, (u.guid.clone(), u.name.clone().unwrap_or_default())))
        .collect();
    users.sort_by(|a, b| (&a.name, &a.guid).cmp(&(&b.name, &b.guid)));

    // Codes: the codebooks, then codes used by codings and in none of them.
    let in_use: BTreeSet<&str> = spans.values().flatten().map(|e| e.code.as_str()).collect();
    let rows = code_rows(project, options, &ids, &in_use, &mut warnings)?;
    let code_order: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut code_guid: HashMap<String, String> = HashMap::new();
    for r in &rows {
        let g = guids.take("code", &r.id, ids.codes.get(&r.id).map(|c| c.guid.as_str()));
        code_guid.insert(r.id.clone(), g);
    }
    let tree = code_tree(&rows, &code_guid, &ids);

    // Interviews, attributes, variables.
    let interviews: Vec<Interview> = store
        .interview_ids()?
        .iter()
        .map(|id| store.interview(id))
        .collect::<voces_corpus::Result<_>>()?;
    let redacted: Vec<Option<RedactedInterview>> = interviews
        .iter()
        .map(|i| redactor.map(|r| r.interview(i)))
        .collect();
    // What is written of each interview: its redacted copy, or itself.
    let shown: Vec<&Interview> = interviews
        .iter()
        .zip(&redacted)
        .map(|(i, r)| r.as_ref().map_or(i, |r| &r.interview))
        .collect();
    let tables = store.metadata_tables()?;
    let variables = variables(&tables, &shown, &ids, &mut guids, redactor);
    let source_guid: HashMap<&str, String> = interviews
        .iter()
        .zip(&shown)
        .map(|(i, s)| {
            let remembered = ids.sources.get(&i.id).map(String::as_str);
            let g = guids.take(
                "source",
                &s.id,
                not_of_real(remembered, "source", &i.id, &s.id),
            );
            (i.id.as_str(), g)
        })
        .collect();
    let cases = cases(
        &tables,
        &interviews,
        &variables,
        &source_guid,
        &ids,
        &mut guids,
        redactor,
    );

    // Sources with their selections.
    let mut sources = Vec::with_capacity(interviews.len());
    let mut texts = BTreeMap::new();
    let mut stale = 0usize;
    let known: HashSet<&str> = interviews.iter().map(|i| i.id.as_str()).collect();
    for ((interview, ..), entries) in &spans {
        if !known.contains(interview.as_str()) {
            stale += entries.len();
        }
    }
    if stale > 0 {
        warnings.push(format!(
            "{stale} coding(s) of interviews that are no longer in the corpus were left out"
        ));
    }
    for ((interview, ri), out) in interviews.iter().zip(&redacted).zip(&shown) {
        let sguid = source_guid[interview.id.as_str()].clone();
        let length = interview.text.chars().count();
        let mut selections = Vec::new();
        // The spans where they land in the text written (two spans that
        // differ only inside a name land on one: their codings join).
        let mut mapped: BTreeMap<(usize, usize), Vec<&Entry>> = BTreeMap::new();
        let range = (interview.id.clone(), 0, 0)..(interview.id.clone(), usize::MAX, usize::MAX);
        for ((_, start, end), entries) in spans.range(range) {
            if start >= end || *end > length {
                warnings.push(format!(
                    "a coding at {start}..{end} of `{}` lies outside its text; left out",
                    interview.id
                ));
                continue;
            }
            let at = ri
                .as_ref()
                .map_or((*start, *end), |r| r.map_span(*start, *end));
            let list = mapped.entry(at).or_default();
            for e in entries {
                if !list.iter().any(|x| x.coder == e.coder && x.code == e.code) {
                    list.push(e);
                }
            }
        }
        for ((start, end), entries) in &mapped {
            let sel_guid = guid::of("selection", &format!("{sguid}:{start}:{end}"));
            let mut list: Vec<(&str, usize, Coding)> = entries
                .iter()
                .map(|e| {
                    let (user, name) = &user_of[e.coder.as_str()];
                    let code = &code_guid[&e.code];
                    (
                        name.as_str(),
                        code_order[e.code.as_str()],
                        Coding {
                            guid: guid::of("coding", &format!("{sel_guid}:{code}:{user}")),
                            code: code.clone(),
                            creating_user: Some(user.clone()),
                            created: e.at.clone(),
                        },
                    )
                })
                .collect();
            list.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
            selections.push(Selection {
                guid: sel_guid,
                name: Some(super::shorten(
                    &out.text
                        .chars()
                        .skip(*start)
                        .take(end - start)
                        .collect::<String>(),
                    SELECTION_NAME_CHARS,
                )),
                start: i64::try_from(*start).unwrap_or(i64::MAX),
                end: i64::try_from(*end).unwrap_or(i64::MAX),
                creating_user: None,
                created: None,
                codings: list.into_iter().map(|x| x.2).collect(),
            });
        }
        let values = out
            .attributes
            .iter()
            .filter_map(|(name, v)| {
                let var = variables.iter().find(|x| &x.name == name)?;
                Some(VariableValue {
                    variable: var.guid.clone(),
                    value: value_of(v, var.kind),
                })
            })
            .collect();
        let file = format!("{sguid}.txt");
        texts.insert(format!("{SOURCES_DIR}/{file}"), out.text.clone());
        sources.push(TextSource {
            guid: sguid,
            name: Some(out.id.clone()),
            plain_text_path: Some(format!("internal://{file}")),
            rich_text_path: None,
            plain_text_content: None,
            creating_user: None,
            selections,
            codings: Vec::new(),
            values,
        });
    }

    let config = project.config();
    let name = if config.project.name.trim().is_empty() {
        project
            .root()
            .file_name()
            .map_or_else(|| "voces".to_owned(), |n| n.to_string_lossy().into_owned())
    } else {
        config.project.name.trim().to_owned()
    };
    Ok(Export {
        project: RefiProject {
            name,
            origin: Some(origin()),
            creating_user: None,
            users,
            codes: tree,
            variables,
            cases,
            sources,
            ignored: Vec::new(),
        },
        texts,
        warnings,
    })
}

/// `remembered`, unless it is voces' own GUID of `real`, the key of an
/// object that is exported as `shown` (redacted): that GUID would let
/// anyone who guesses the real key confirm it.
fn not_of_real<'a>(
    remembered: Option<&'a str>,
    kind: &str,
    real: &str,
    shown: &str,
) -> Option<&'a str> {
    remembered.filter(|g| real == shown || guid::normalize(g) != guid::of(kind, real))
}

/// An attribute value as exported: redacted with a redactor.
fn shown_value<'a>(
    redactor: Option<&Redactor>,
    name: &str,
    value: &'a AttrValue,
) -> Cow<'a, AttrValue> {
    match redactor {
        Some(r) => Cow::Owned(r.redact_attribute(name, value)),
        None => Cow::Borrowed(value),
    }
}

/// GUIDs handed out, so that none is used twice (a remembered GUID that
/// clashes with another object's falls back to the voces one).
#[derive(Default)]
struct Guids {
    used: HashSet<String>,
}

impl Guids {
    fn take(&mut self, kind: &str, key: &str, remembered: Option<&str>) -> String {
        if let Some(r) = remembered.filter(|r| guid::is_valid(r)) {
            let r = guid::normalize(r);
            if self.used.insert(r.clone()) {
                return r;
            }
        }
        let mut g = guid::of(kind, key);
        let mut n = 1;
        while !self.used.insert(g.clone()) {
            n += 1;
            g = guid::of(kind, &format!("{key}#{n}"));
        }
        g
    }
}

/// A code as exported, before its GUID.
struct CodeRow {
    id: String,
    parent: Option<String>,
    name: String,
    color: Option<String>,
    description: Option<String>,
}

fn code_rows(
    project: &Project,
    options: &ExportOptions,
    ids: &Identities,
    used: &BTreeSet<&str>,
    warnings: &mut Vec<String>,
) -> Result<Vec<CodeRow>> {
    let lang = project
        .config()
        .project
        .languages
        .first()
        .cloned()
        .unwrap_or_default();
    let mut books: Vec<Codebook> = Vec::new();
    if let Some(path) = &options.codebook {
        books.push(Codebook::load(path, &[])?);
    }
    for rel in &ids.codebooks {
        let path = project.root().join(rel);
        if options.codebook.as_deref() == Some(path.as_path()) {
            continue;
        }
        match Codebook::load(&path, &[]) {
            Ok(b) => books.push(b),
            Err(e) => warnings.push(format!("imported codebook left out: {e}")),
        }
    }
    let mut rows: Vec<CodeRow> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for book in &books {
        for c in &book.codes {
            if !seen.insert(c.id.clone()) {
                continue;
            }
            rows.push(CodeRow {
                id: c.id.clone(),
                parent: c.parent.clone(),
                name: c.label(&lang).to_owned(),
                color: c.color.clone(),
                description: c
                    .definition
                    .get(&lang)
                    .or_else(|| c.definition.values().next())
                    .cloned(),
            });
        }
    }
    for code in used {
        if seen.insert((*code).to_owned()) {
            rows.push(CodeRow {
                id: (*code).to_owned(),
                parent: None,
                name: (*code).to_owned(),
                color: None,
                description: None,
            });
        }
    }
    Ok(rows)
}

/// The code tree: children under their parent in codebook order; a code
/// whose parent is unknown is a top-level code.
fn code_tree(rows: &[CodeRow], guids: &HashMap<String, String>, ids: &Identities) -> Vec<Code> {
    let known: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut children: HashMap<&str, Vec<&CodeRow>> = HashMap::new();
    let mut roots = Vec::new();
    for r in rows {
        match r
            .parent
            .as_deref()
            .filter(|p| known.contains(p) && *p != r.id)
        {
            Some(p) => children.entry(p).or_default().push(r),
            None => roots.push(r),
        }
    }
    roots
        .into_iter()
        .map(|r| code_node(r, &children, guids, ids, 0))
        .collect()
}

/// One code of the tree with its sub-codes.
fn code_node(
    r: &CodeRow,
    children: &HashMap<&str, Vec<&CodeRow>>,
    guids: &HashMap<String, String>,
    ids: &Identities,
    depth: usize,
) -> Code {
    Code {
        guid: guids[&r.id].clone(),
        name: r.name.clone(),
        codable: ids.codes.get(&r.id).is_none_or(|c| c.codable),
        color: r.color.clone(),
        description: r.description.clone().filter(|d| !d.trim().is_empty()),
        // Checked codebooks have no cycles; the depth bound guards
        // anything else.
        children: if depth < 200 {
            children
                .get(r.id.as_str())
                .map(|list| {
                    list.iter()
                        .map(|c| code_node(c, children, guids, ids, depth + 1))
                        .collect()
                })
                .unwrap_or_default()
        } else {
            Vec::new()
        },
    }
}

/// Variables: the columns of the attribute tables (not their key), then
/// the attributes of interviews, each typed from its values.
fn variables(
    tables: &[MetadataTable],
    interviews: &[&Interview],
    ids: &Identities,
    guids: &mut Guids,
    redactor: Option<&Redactor>,
) -> Vec<Variable> {
    let mut names: Vec<(String, Option<String>)> = Vec::new();
    for t in tables {
        for c in &t.columns {
            if c.name != t.key && !names.iter().any(|(n, _)| n == &c.name) {
                names.push((c.name.clone(), Some(c.kind.clone())));
            }
        }
    }
    let own: BTreeSet<&String> = interviews
        .iter()
        .flat_map(|i| i.attributes.keys())
        .collect();
    for name in own {
        if !names.iter().any(|(n, _)| n == name) {
            names.push((name.clone(), None));
        }
    }
    names
        .into_iter()
        .map(|(name, column_kind)| {
            // Typed from the values as exported (interviews' own are
            // already redacted).
            let values: Vec<Cow<'_, AttrValue>> = tables
                .iter()
                .flat_map(|t| t.rows.iter())
                .filter_map(|r| r.attributes.get(&name))
                .map(|v| shown_value(redactor, &name, v))
                .chain(
                    interviews
                        .iter()
                        .filter_map(|i| i.attributes.get(&name))
                        .map(Cow::Borrowed),
                )
                .collect();
            let values: Vec<&AttrValue> = values.iter().map(AsRef::as_ref).collect();
            let remembered = ids.variables.get(&name);
            let kind = type_of(&values).unwrap_or_else(|| {
                remembered.map_or_else(
                    || match column_kind.as_deref() {
                        Some("boolean") => VariableType::Boolean,
                        Some("number") => VariableType::Float,
                        _ => VariableType::Text,
                    },
                    |r| r.kind,
                )
            });
            Variable {
                guid: guids.take("variable", &name, remembered.map(|r| r.guid.as_str())),
                name,
                kind,
            }
        })
        .collect()
}

/// The REFI type every value fits, `None` without values.
fn type_of(values: &[&AttrValue]) -> Option<VariableType> {
    if values.is_empty() {
        return None;
    }
    let all = |f: fn(&AttrValue) -> bool| values.iter().all(|v| f(v));
    Some(if all(|v| matches!(v, AttrValue::Bool(_))) {
        VariableType::Boolean
    } else if all(|v| matches!(v, AttrValue::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15)) {
        VariableType::Integer
    } else if all(|v| matches!(v, AttrValue::Number(n) if n.is_finite())) {
        VariableType::Float
    } else if all(|v| matches!(v, AttrValue::Text(s) if is_date(s))) {
        VariableType::Date
    } else if all(|v| matches!(v, AttrValue::Text(s) if is_datetime(s))) {
        VariableType::DateTime
    } else {
        VariableType::Text
    })
}

/// A value as its variable's type holds it.
fn value_of(v: &AttrValue, kind: VariableType) -> Value {
    match (kind, v) {
        (VariableType::Boolean, AttrValue::Bool(b)) => Value::Boolean(*b),
        (VariableType::Integer, AttrValue::Number(n)) => Value::Integer(*n as i64),
        (VariableType::Float, AttrValue::Number(n)) => Value::Float(*n),
        (VariableType::Date, AttrValue::Text(s)) => Value::Date(s.clone()),
        (VariableType::DateTime, AttrValue::Text(s)) => Value::DateTime(s.clone()),
        _ => Value::Text(v.to_text()),
    }
}

/// A case being gathered from its rows.
struct Building<'a> {
    guid: String,
    name: String,
    rows: Vec<(usize, usize)>,
    first: &'a voces_corpus::Participant,
}

/// Cases: one per attribute-table row, except rows an import made from one
/// case, which are that case again.
fn cases(
    tables: &[MetadataTable],
    interviews: &[Interview],
    variables: &[Variable],
    source_guid: &HashMap<&str, String>,
    ids: &Identities,
    guids: &mut Guids,
    redactor: Option<&Redactor>,
) -> Vec<Case> {
    // Which interviews each row joins.
    let attributes = voces_corpus::Attributes::new(tables.to_vec());
    let mut joined: HashMap<(usize, usize), BTreeSet<&str>> = HashMap::new();
    for i in interviews {
        for p in attributes.participants(&i.id, &i.source.file_name) {
            for (ti, t) in attributes.tables().iter().enumerate() {
                if let Some(ri) = t.rows.iter().position(|r| std::ptr::eq(r, p)) {
                    joined.entry((ti, ri)).or_default().insert(i.id.as_str());
                }
            }
        }
    }
    let mut list: Vec<Building<'_>> = Vec::new();
    let mut by_guid: HashMap<String, usize> = HashMap::new();
    for (ti, t) in tables.iter().enumerate() {
        for (ri, row) in t.rows.iter().enumerate() {
            let remembered = ids
                .cases
                .iter()
                .find(|c| c.table == t.name && c.rows.contains(&row.id));
            let key = remembered.map_or_else(
                || guid::of("case", &format!("{}/{}", t.name, row.id)),
                |c| guid::normalize(&c.guid),
            );
            if let Some(&k) = by_guid.get(&key) {
                list[k].rows.push((ti, ri));
                continue;
            }
            // The row's key as exported: a name in a name column becomes
            // its pseudonym.
            let row_id = match redactor {
                Some(r) => r
                    .redact_attribute(&t.key, &AttrValue::Text(row.id.clone()))
                    .to_text(),
                None => row.id.clone(),
            };
            let real = format!("{}/{}", t.name, row.id);
            let shown = format!("{}/{row_id}", t.name);
            let g = guids.take(
                "case",
                &shown,
                not_of_real(remembered.map(|c| c.guid.as_str()), "case", &real, &shown),
            );
            by_guid.insert(key, list.len());
            list.push(Building {
                guid: g,
                name: remembered.map_or(row_id, |c| match redactor {
                    Some(r) => r.redact_value(&c.name),
                    None => c.name.clone(),
                }),
                rows: vec![(ti, ri)],
                first: row,
            });
        }
    }
    list.into_iter()
        .map(|b| {
            let values = variables
                .iter()
                .filter_map(|v| {
                    b.first.attributes.get(&v.name).map(|a| VariableValue {
                        variable: v.guid.clone(),
                        value: value_of(&shown_value(redactor, &v.name, a), v.kind),
                    })
                })
                .collect();
            let mut ids: BTreeSet<&str> = BTreeSet::new();
            for r in &b.rows {
                if let Some(set) = joined.get(r) {
                    ids.extend(set.iter().copied());
                }
            }
            Case {
                guid: b.guid,
                name: Some(b.name),
                values,
                sources: ids.iter().map(|i| source_guid[i].clone()).collect(),
            }
        })
        .collect()
}

/// An `xsd:date` without time zone: `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && (1..=12).contains(&num(&s[5..7]))
        && (1..=31).contains(&num(&s[8..10]))
}

/// An `xsd:dateTime`: `YYYY-MM-DDTHH:MM:SS`, optional fraction, optional
/// `Z` or `±HH:MM`.
pub fn is_datetime(s: &str) -> bool {
    let Some((date, time)) = s.split_once('T') else {
        return false;
    };
    if !is_date(date) || time.len() < 8 {
        return false;
    }
    let (hms, rest) = time.split_at(8);
    let h = hms.as_bytes();
    let clock = h[2] == b':'
        && h[5] == b':'
        && [0, 1, 3, 4, 6, 7].iter().all(|&i| h[i].is_ascii_digit())
        && num(&hms[0..2]) <= 23
        && num(&hms[3..5]) <= 59
        && num(&hms[6..8]) <= 59;
    let rest = match rest.strip_prefix('.') {
        Some(r) => {
            let digits = r.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            &r[digits..]
        }
        None => rest,
    };
    let zone = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[3] == b':'
            && [1, 2, 4, 5]
                .iter()
                .all(|&i| rest.as_bytes()[i].is_ascii_digit()));
    clock && zone
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2024-02-20"));
        assert!(!is_date("2024-13-20"));
        assert!(!is_date("20-02-2024"));
        assert!(is_datetime("2018-03-27T19:29:27Z"));
        assert!(is_datetime("2018-03-27T19:29:27.5+02:00"));
        assert!(is_datetime("2018-03-27T19:29:27"));
        assert!(!is_datetime("2018-03-27 19:29:27"));
        assert!(!is_datetime("2018-03-27T25:29:27Z"));
    }

    #[test]
    fn types_from_values() {
        let n = |x: f64| AttrValue::Number(x);
        let t = |s: &str| AttrValue::Text(s.to_owned());
        assert_eq!(type_of(&[&n(3.0), &n(41.0)]), Some(VariableType::Integer));
        assert_eq!(type_of(&[&n(3.5), &n(41.0)]), Some(VariableType::Float));
        assert_eq!(type_of(&[&t("2024-01-02")]), Some(VariableType::Date));
        assert_eq!(
            type_of(&[&t("2024-01-02"), &n(1.0)]),
            Some(VariableType::Text)
        );
        assert_eq!(
            type_of(&[&AttrValue::Bool(true)]),
            Some(VariableType::Boolean)
        );
        assert_eq!(type_of(&[]), None);
    }
}
