//! XML to the model: `project.qde` and `.qdc` codebooks as other programs
//! write them.
//!
//! Reading is lenient where programs differ and the meaning is clear
//! (elements found by local name whatever their namespace prefix, GUIDs in
//! any case and with or without braces, `#rgb` colours) and strict where a
//! wrong guess would misplace data: a selection without valid positions is
//! reported, not guessed. What voces has no place for (notes, sets, links,
//! graphs, PDF, picture, audio and video sources) is counted in
//! [`RefiProject::ignored`] so that the import can say what it leaves out.

use std::collections::BTreeMap;
use std::path::Path;

use super::guid;
use super::model::{
    Case, Code, Coding, RefiProject, Selection, TextSource, User, Value, Variable, VariableType,
    VariableValue,
};
use super::xml::{self, Element};
use crate::{Error, Result};

/// What went wrong with one element, for the import's report.
pub type Problems = Vec<String>;

/// Parses `project.qde`. `path` and `entry` name it in errors; problems
/// with single elements are pushed to `problems` and the element left out.
pub fn parse_project(
    text: &str,
    path: &Path,
    entry: &str,
    problems: &mut Problems,
) -> Result<RefiProject> {
    let root = root(text, path, entry, "Project", "project")?;
    let mut r = Reader::new(problems);
    let mut p = RefiProject {
        name: root.attr_text("name").unwrap_or_default(),
        origin: root.attr_text("origin"),
        creating_user: root
            .attr_text("creatingUserGUID")
            .map(|g| guid::normalize(&g)),
        ..RefiProject::default()
    };
    for child in &root.children {
        match child.name.as_str() {
            "Users" => {
                for u in child.children_named("User") {
                    let guid = r.guid(u, "User");
                    p.users.push(User {
                        guid,
                        name: u.attr_text("name").or_else(|| u.attr_text("id")),
                    });
                }
            }
            "CodeBook" => {
                if let Some(codes) = child.child("Codes") {
                    p.codes = r.codes(codes);
                }
            }
            "Variables" => {
                for v in child.children_named("Variable") {
                    let kind = v.attr("typeOfVariable").and_then(VariableType::parse);
                    let name = v.attr_text("name");
                    let (Some(kind), Some(name)) = (kind, name) else {
                        r.problems.push(format!(
                            "variable {} has no name or no valid typeOfVariable; left out",
                            v.attr("guid").unwrap_or("?")
                        ));
                        continue;
                    };
                    let guid = r.guid(v, "Variable");
                    p.variables.push(Variable { guid, name, kind });
                }
            }
            "Cases" => {
                for c in child.children_named("Case") {
                    let guid = r.guid(c, "Case");
                    let values = r.values(c);
                    let sources = c
                        .children_named("SourceRef")
                        .filter_map(|s| s.attr_text("targetGUID"))
                        .map(|g| guid::normalize(&g))
                        .collect();
                    let ignored = c.children_named("CodeRef").count()
                        + c.children_named("SelectionRef").count();
                    if ignored > 0 {
                        r.ignore("code or selection reference of a case", ignored);
                    }
                    p.cases.push(Case {
                        guid,
                        name: c.attr_text("name"),
                        values,
                        sources,
                    });
                }
            }
            "Sources" => {
                for s in &child.children {
                    if s.name == "TextSource" {
                        p.sources.push(r.source(s));
                    } else {
                        r.ignore(&s.name, 1);
                    }
                }
            }
            "Notes" | "Links" | "Sets" | "Graphs" => {
                let n = child.children.len();
                if n > 0 {
                    r.ignore(child.name.trim_end_matches('s'), n);
                }
            }
            "NoteRef" => r.ignore("NoteRef", 1),
            _ => {}
        }
    }
    p.ignored = r.ignored.into_iter().collect();
    Ok(p)
}

/// Parses a `.qdc` codebook into a project with only codes.
pub fn parse_codebook(text: &str, path: &Path, problems: &mut Problems) -> Result<RefiProject> {
    let entry = path.file_name().map_or_else(
        || "codebook".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let root = root(text, path, &entry, "CodeBook", "codebook")?;
    let mut r = Reader::new(problems);
    let codes = root.child("Codes").map(|c| r.codes(c)).unwrap_or_default();
    if let Some(sets) = root.child("Sets") {
        r.ignore("Set", sets.children.len());
    }
    Ok(RefiProject {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        origin: root.attr_text("origin"),
        codes,
        ignored: r.ignored.into_iter().collect(),
        ..RefiProject::default()
    })
}

/// The document's root element, which must be `<name>`.
fn root(text: &str, path: &Path, entry: &str, name: &str, what: &str) -> Result<Element> {
    let root = xml::parse(text, path, entry)?;
    if root.name == name {
        return Ok(root);
    }
    Err(Error::Input {
        path: path.to_owned(),
        message: format!(
            "{entry} is not a REFI-QDA {what} (its root element is <{}>, not <{name}>)",
            root.name
        ),
    })
}

struct Reader<'p> {
    problems: &'p mut Problems,
    ignored: BTreeMap<String, usize>,
    synthetic: usize,
}

impl<'p> Reader<'p> {
    fn new(problems: &'p mut Problems) -> Reader<'p> {
        Reader {
            problems,
            ignored: BTreeMap::new(),
            synthetic: 0,
        }
    }

    fn ignore(&mut self, what: &str, n: usize) {
        *self.ignored.entry(what.to_owned()).or_default() += n;
    }

    /// The element's GUID, normalized; a missing or malformed one is
    /// reported and replaced by a made-up one, so that the element can
    /// still be read (nothing can refer to it).
    fn guid(&mut self, e: &Element, what: &str) -> String {
        match e.attr_text("guid") {
            Some(g) if guid::is_valid(&g) => guid::normalize(&g),
            other => {
                self.synthetic += 1;
                let made = guid::of("refi-missing", &format!("{what}/{}", self.synthetic));
                self.problems.push(format!(
                    "{what} {} has no valid guid{}",
                    e.attr("name").map(|n| format!("`{n}`")).unwrap_or_default(),
                    other.map(|g| format!(" (`{g}`)")).unwrap_or_default()
                ));
                made
            }
        }
    }

    fn codes(&mut self, parent: &Element) -> Vec<Code> {
        parent
            .children_named("Code")
            .map(|c| {
                let guid = self.guid(c, "Code");
                Code {
                    name: c.attr_text("name").unwrap_or_else(|| guid.clone()),
                    guid,
                    codable: c
                        .attr("isCodable")
                        .is_none_or(|v| v.trim() != "false" && v.trim() != "0"),
                    color: c.attr_text("color"),
                    description: c
                        .child("Description")
                        .map(|d| d.text.trim().to_owned())
                        .filter(|d| !d.is_empty()),
                    children: self.codes(c),
                }
            })
            .collect()
    }

    fn values(&mut self, owner: &Element) -> Vec<VariableValue> {
        let mut out = Vec::new();
        for v in owner.children_named("VariableValue") {
            let Some(variable) = v
                .child("VariableRef")
                .and_then(|r| r.attr_text("targetGUID"))
                .map(|g| guid::normalize(&g))
            else {
                self.problems
                    .push("a variable value without a VariableRef; left out".to_owned());
                continue;
            };
            let found = v.children.iter().find(|c| c.name != "VariableRef");
            let Some(found) = found else { continue };
            let raw = found.text.trim();
            let value = match found.name.as_str() {
                "TextValue" => Some(Value::Text(raw.to_owned())),
                "BooleanValue" => match raw {
                    "true" | "1" => Some(Value::Boolean(true)),
                    "false" | "0" => Some(Value::Boolean(false)),
                    _ => None,
                },
                "IntegerValue" => raw.parse().ok().map(Value::Integer),
                "FloatValue" => raw
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(Value::Float),
                "DateValue" => Some(Value::Date(raw.to_owned())),
                "DateTimeValue" => Some(Value::DateTime(raw.to_owned())),
                _ => None,
            };
            match value {
                Some(value) => out.push(VariableValue { variable, value }),
                None => self.problems.push(format!(
                    "variable value `{raw}` is not a valid {}; left out",
                    found.name
                )),
            }
        }
        out
    }

    fn coding(&mut self, c: &Element) -> Option<Coding> {
        let code = c
            .child("CodeRef")
            .and_then(|r| r.attr_text("targetGUID"))
            .map(|g| guid::normalize(&g));
        let Some(code) = code else {
            self.problems
                .push("a coding without a CodeRef; left out".to_owned());
            return None;
        };
        Some(Coding {
            guid: self.guid(c, "Coding"),
            code,
            creating_user: c.attr_text("creatingUser").map(|g| guid::normalize(&g)),
            created: c.attr_text("creationDateTime"),
        })
    }

    fn source(&mut self, s: &Element) -> TextSource {
        let guid = self.guid(s, "TextSource");
        let mut selections = Vec::new();
        for sel in s.children_named("PlainTextSelection") {
            let pos = |name| sel.attr(name).and_then(|v| v.trim().parse::<i64>().ok());
            let (Some(start), Some(end)) = (pos("startPosition"), pos("endPosition")) else {
                self.problems.push(format!(
                    "selection {} of source `{}` has no valid startPosition and endPosition; left out",
                    sel.attr("guid").unwrap_or("?"),
                    s.attr("name").unwrap_or(&guid)
                ));
                continue;
            };
            let codings = sel
                .children_named("Coding")
                .filter_map(|c| self.coding(c))
                .collect();
            let notes = sel.children_named("NoteRef").count();
            if notes > 0 {
                self.ignore("NoteRef", notes);
            }
            selections.push(Selection {
                guid: self.guid(sel, "PlainTextSelection"),
                name: sel.attr_text("name"),
                start,
                end,
                creating_user: sel.attr_text("creatingUser").map(|g| guid::normalize(&g)),
                created: sel.attr_text("creationDateTime"),
                codings,
            });
        }
        let codings = s
            .children_named("Coding")
            .filter_map(|c| self.coding(c))
            .collect();
        let notes = s.children_named("NoteRef").count();
        if notes > 0 {
            self.ignore("NoteRef", notes);
        }
        TextSource {
            name: s.attr_text("name"),
            plain_text_path: s.attr_text("plainTextPath"),
            rich_text_path: s.attr_text("richTextPath"),
            plain_text_content: s.child("PlainTextContent").map(|c| c.text.clone()),
            creating_user: s.attr_text("creatingUser").map(|g| guid::normalize(&g)),
            selections,
            codings,
            values: self.values(s),
            guid,
        }
    }
}
