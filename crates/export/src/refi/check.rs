//! A structural check of `project.qde` and `.qdc` files against the rules
//! of the REFI-QDA schema that voces' output touches: root element and
//! namespace, element order, required attributes, GUID and colour syntax,
//! GUIDs unique, every reference resolved (codes, users, variables,
//! sources), variable values of their variable's type, selections inside
//! their source's text, internal files present. Every export runs it
//! before writing; it does not replace `xmllint --schema`, which the tests
//! run when it is installed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::guid;
use super::model::VariableType;
use super::xml::{self, CODEBOOK_NS, Element, PROJECT_NS};

/// Checks `project.qde` text. `texts` gives the length in characters of
/// each file in the archive (`Sources/NAME.txt`); `None` skips the checks
/// of internal files and positions. Returns every problem found.
pub fn project(text: &str, texts: Option<&BTreeMap<String, usize>>) -> Result<(), Vec<String>> {
    let root = root(text, "project.qde", "Project", PROJECT_NS)?;
    let mut c = Checker::default();
    c.required(&root, &["name"]);
    c.order(
        &root,
        &[
            ("Users", false),
            ("CodeBook", false),
            ("Variables", false),
            ("Cases", false),
            ("Sources", false),
            ("Notes", false),
            ("Links", false),
            ("Sets", false),
            ("Graphs", false),
            ("Description", false),
            ("NoteRef", true),
        ],
    );
    c.collect_guids(&root);
    // What references may point to.
    let ids = |parent: Option<&Element>, name: &str| -> HashSet<String> {
        let mut out = HashSet::new();
        if let Some(p) = parent {
            walk(p, &mut |e| {
                if e.name == name
                    && let Some(g) = e.attr("guid")
                {
                    out.insert(guid::normalize(g));
                }
            });
        }
        out
    };
    let users = ids(root.child("Users"), "User");
    let codes = ids(root.child("CodeBook"), "Code");
    let sources = ids(root.child("Sources"), "TextSource");
    let mut variables: HashMap<String, VariableType> = HashMap::new();

    if let Some(u) = root.child("Users") {
        c.nonempty(u, "User");
        for user in &u.children {
            c.required(user, &["guid"]);
        }
    }
    if let Some(cb) = root.child("CodeBook") {
        c.codebook(cb);
    }
    if let Some(vs) = root.child("Variables") {
        c.nonempty(vs, "Variable");
        for v in vs.children_named("Variable") {
            c.required(v, &["guid", "name", "typeOfVariable"]);
            match v.attr("typeOfVariable").and_then(VariableType::parse) {
                Some(kind) => {
                    if let Some(g) = v.attr("guid") {
                        variables.insert(guid::normalize(g), kind);
                    }
                }
                None => c.problem(format!(
                    "variable `{}` has an unknown typeOfVariable",
                    v.attr("name").unwrap_or("?")
                )),
            }
        }
    }
    if let Some(cs) = root.child("Cases") {
        c.nonempty(cs, "Case");
        for case in cs.children_named("Case") {
            c.required(case, &["guid"]);
            c.order(
                case,
                &[
                    ("Description", false),
                    ("CodeRef", true),
                    ("VariableValue", true),
                    ("SourceRef", true),
                    ("SelectionRef", true),
                ],
            );
            c.values(case, &variables);
            for r in case.children_named("SourceRef") {
                c.reference(r, &sources, "source");
            }
            for r in case.children_named("CodeRef") {
                c.reference(r, &codes, "code");
            }
        }
    }
    if let Some(ss) = root.child("Sources") {
        for s in &ss.children {
            if s.name != "TextSource" {
                continue;
            }
            c.required(s, &["guid"]);
            c.order(
                s,
                &[
                    ("Description", false),
                    ("PlainTextContent", false),
                    ("PlainTextSelection", true),
                    ("Coding", true),
                    ("NoteRef", true),
                    ("VariableValue", true),
                ],
            );
            let name = super::shown(s.attr("name").unwrap_or("?"));
            let inline = s.child("PlainTextContent").map(|t| t.text.chars().count());
            let length = match (s.attr("plainTextPath"), inline) {
                (Some(_), Some(_)) => {
                    c.problem(format!(
                        "source `{name}` has both plainTextPath and PlainTextContent"
                    ));
                    None
                }
                (None, None) => {
                    c.problem(format!(
                        "source `{name}` has neither plainTextPath nor PlainTextContent"
                    ));
                    None
                }
                (None, Some(n)) => Some(n),
                (Some(path), None) => match (path.strip_prefix("internal://"), texts) {
                    (Some(file), Some(texts)) => {
                        let entry = format!("{}/{file}", super::write::SOURCES_DIR);
                        let n = texts.get(&entry).copied();
                        if n.is_none() {
                            c.problem(format!("source `{name}`: {entry} is not in the archive"));
                        }
                        n
                    }
                    _ => None,
                },
            };
            c.creator(s, &users);
            for sel in s.children_named("PlainTextSelection") {
                c.required(sel, &["guid", "startPosition", "endPosition"]);
                c.order(
                    sel,
                    &[("Description", false), ("Coding", true), ("NoteRef", true)],
                );
                c.creator(sel, &users);
                let pos = |a| sel.attr(a).and_then(|v| v.parse::<i64>().ok());
                match (pos("startPosition"), pos("endPosition")) {
                    (Some(a), Some(b)) if 0 <= a && a <= b => {
                        if let Some(n) = length
                            && b as usize > n
                        {
                            c.problem(format!(
                                "selection {a}..{b} of source `{name}` ends past its text ({n} characters)"
                            ));
                        }
                    }
                    _ => c.problem(format!("a selection of source `{name}` has bad positions")),
                }
                for coding in sel.children_named("Coding") {
                    c.coding(coding, &codes, &users);
                }
            }
            for coding in s.children_named("Coding") {
                c.coding(coding, &codes, &users);
            }
            c.values(s, &variables);
        }
    }
    if c.problems.is_empty() {
        Ok(())
    } else {
        Err(c.problems)
    }
}

/// Checks a `.qdc` codebook.
pub fn codebook(text: &str) -> Result<(), Vec<String>> {
    let root = root(text, "codebook.qdc", "CodeBook", CODEBOOK_NS)?;
    let mut c = Checker::default();
    c.order(&root, &[("Codes", false), ("Sets", false)]);
    c.collect_guids(&root);
    c.codebook(&root);
    if c.problems.is_empty() {
        Ok(())
    } else {
        Err(c.problems)
    }
}

/// The document's root element, when it is `name` in namespace `ns`.
fn root(text: &str, file: &str, name: &str, ns: &str) -> Result<Element, Vec<String>> {
    let root = xml::parse(text, Path::new(file), file).map_err(|e| vec![e.to_string()])?;
    if root.name == name && root.ns == Some(ns) {
        Ok(root)
    } else {
        Err(vec![format!(
            "the root element is <{}>, not <{name}> in {ns}",
            root.name
        )])
    }
}

fn walk(e: &Element, f: &mut impl FnMut(&Element)) {
    f(e);
    for c in &e.children {
        walk(c, f);
    }
}

#[derive(Default)]
struct Checker {
    problems: Vec<String>,
}

impl Checker {
    fn problem(&mut self, p: String) {
        self.problems.push(p);
    }

    fn required(&mut self, e: &Element, attrs: &[&str]) {
        for a in attrs {
            if e.attr(a).is_none() {
                self.problem(format!("<{}> has no `{a}`", e.name));
            }
        }
    }

    fn nonempty(&mut self, e: &Element, child: &str) {
        if e.children_named(child).next().is_none() {
            self.problem(format!("<{}> has no <{child}>", e.name));
        }
    }

    /// Children in the order of `sequence` (name, may repeat), nothing else.
    fn order(&mut self, e: &Element, sequence: &[(&str, bool)]) {
        let mut at = 0;
        let mut seen_here = false;
        for child in &e.children {
            while at < sequence.len() && sequence[at].0 != child.name {
                at += 1;
                seen_here = false;
            }
            if at == sequence.len() {
                self.problem(format!(
                    "<{}> inside <{}> is out of place",
                    child.name, e.name
                ));
                return;
            }
            if seen_here && !sequence[at].1 {
                self.problem(format!("<{}> has two <{}>", e.name, child.name));
            }
            seen_here = true;
        }
    }

    fn collect_guids(&mut self, root: &Element) {
        let mut seen = HashSet::new();
        let mut problems = Vec::new();
        walk(root, &mut |e| {
            for key in ["guid", "targetGUID", "creatingUser", "creatingUserGUID"] {
                if let Some(g) = e.attr(key)
                    && !guid::is_valid(g)
                {
                    problems.push(format!("<{}> {key} `{g}` is not a GUID", e.name));
                }
            }
            if let Some(g) = e.attr("guid")
                && !seen.insert(guid::normalize(g))
            {
                problems.push(format!("GUID {g} is used twice"));
            }
        });
        self.problems.extend(problems);
    }

    fn codebook(&mut self, cb: &Element) {
        let Some(codes) = cb.child("Codes") else {
            self.problem(format!("<{}> has no <Codes>", cb.name));
            return;
        };
        self.nonempty(codes, "Code");
        let mut all = Vec::new();
        walk(codes, &mut |e| {
            if e.name == "Code" {
                all.push(e.clone());
            }
        });
        for code in &all {
            self.required(code, &["guid", "name", "isCodable"]);
            self.order(
                code,
                &[("Description", false), ("NoteRef", true), ("Code", true)],
            );
            if !matches!(
                code.attr("isCodable"),
                Some("true" | "false" | "1" | "0") | None
            ) {
                self.problem(format!(
                    "code `{}` has an isCodable that is not a boolean",
                    code.attr("name").unwrap_or("?")
                ));
            }
            if let Some(color) = code.attr("color")
                && !is_rgb(color)
            {
                self.problem(format!("colour `{color}` is not #rrggbb or #rgb"));
            }
        }
    }

    fn reference(&mut self, r: &Element, targets: &HashSet<String>, what: &str) {
        match r.attr("targetGUID") {
            Some(g) if targets.contains(&guid::normalize(g)) => {}
            Some(g) => self.problem(format!("<{}> points to no {what} ({g})", r.name)),
            None => self.problem(format!("<{}> has no targetGUID", r.name)),
        }
    }

    fn creator(&mut self, e: &Element, users: &HashSet<String>) {
        if let Some(u) = e.attr("creatingUser")
            && !users.contains(&guid::normalize(u))
        {
            self.problem(format!("<{}> creatingUser {u} is no user", e.name));
        }
    }

    fn coding(&mut self, coding: &Element, codes: &HashSet<String>, users: &HashSet<String>) {
        self.required(coding, &["guid"]);
        self.order(coding, &[("CodeRef", false), ("NoteRef", true)]);
        self.creator(coding, users);
        match coding.child("CodeRef") {
            Some(r) => self.reference(r, codes, "code"),
            None => self.problem("a <Coding> has no <CodeRef>".to_owned()),
        }
    }

    fn values(&mut self, owner: &Element, variables: &HashMap<String, VariableType>) {
        for v in owner.children_named("VariableValue") {
            let Some(target) = v.child("VariableRef").and_then(|r| r.attr("targetGUID")) else {
                self.problem("a <VariableValue> has no <VariableRef>".to_owned());
                continue;
            };
            let Some(kind) = variables.get(&guid::normalize(target)) else {
                self.problem(format!(
                    "a <VariableValue> points to no variable ({target})"
                ));
                continue;
            };
            let values: Vec<&Element> = v
                .children
                .iter()
                .filter(|c| c.name != "VariableRef")
                .collect();
            let [value] = values.as_slice() else {
                self.problem("a <VariableValue> needs exactly one value".to_owned());
                continue;
            };
            let text = value.text.trim();
            let ok = match (kind, value.name.as_str()) {
                (VariableType::Text, "TextValue") => true,
                (VariableType::Boolean, "BooleanValue") => {
                    matches!(text, "true" | "false" | "1" | "0")
                }
                (VariableType::Integer, "IntegerValue") => text.parse::<i64>().is_ok(),
                (VariableType::Float, "FloatValue") => {
                    !text.is_empty()
                        && text.parse::<f64>().is_ok()
                        && !text.contains(['e', 'E', 'i', 'n', 'N'])
                }
                (VariableType::Date, "DateValue") => super::export::is_date(text),
                (VariableType::DateTime, "DateTimeValue") => super::export::is_datetime(text),
                _ => false,
            };
            if !ok {
                self.problem(format!(
                    "<{}> `{text}` does not fit a variable of type {}",
                    value.name,
                    kind.as_str()
                ));
            }
        }
    }
}

fn is_rgb(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|h| (h.len() == 6 || h.len() == 3) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}
