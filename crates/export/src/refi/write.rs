//! The model to XML (`project.qde`, `.qdc`) and the `.qdpx` archive.
//!
//! Output is deterministic: elements in the order of the model, attributes
//! in a fixed order, two-space indentation, `\n` line ends, and zip entries
//! with a fixed date (1980-01-01) and permissions, so the same model gives
//! the same bytes.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::model::{Code, Coding, RefiProject, Value, VariableValue};
use super::xml::{self, CODEBOOK_NS, PROJECT_NS};
use crate::{Error, Result};

/// Folder of the sources in a `.qdpx` archive written by voces.
pub const SOURCES_DIR: &str = "Sources";

/// `project.qde` for `p`.
pub fn project_xml(p: &RefiProject) -> String {
    let mut w = Writer::default();
    w.line("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let mut attrs = vec![("xmlns", PROJECT_NS.to_owned()), ("name", p.name.clone())];
    if let Some(o) = &p.origin {
        attrs.push(("origin", o.clone()));
    }
    if let Some(u) = &p.creating_user {
        attrs.push(("creatingUserGUID", u.clone()));
    }
    w.open("Project", &attrs);
    if !p.users.is_empty() {
        w.open("Users", &[]);
        for u in &p.users {
            w.empty("User", &named(&u.guid, u.name.as_deref()));
        }
        w.close("Users");
    }
    if !p.codes.is_empty() {
        w.open("CodeBook", &[]);
        codes(&mut w, &p.codes);
        w.close("CodeBook");
    }
    if !p.variables.is_empty() {
        w.open("Variables", &[]);
        for v in &p.variables {
            w.empty(
                "Variable",
                &[
                    ("guid", v.guid.clone()),
                    ("name", v.name.clone()),
                    ("typeOfVariable", v.kind.as_str().to_owned()),
                ],
            );
        }
        w.close("Variables");
    }
    if !p.cases.is_empty() {
        w.open("Cases", &[]);
        for c in &p.cases {
            let a = named(&c.guid, c.name.as_deref());
            if c.values.is_empty() && c.sources.is_empty() {
                w.empty("Case", &a);
                continue;
            }
            w.open("Case", &a);
            values(&mut w, &c.values);
            for s in &c.sources {
                w.empty("SourceRef", &[("targetGUID", s.clone())]);
            }
            w.close("Case");
        }
        w.close("Cases");
    }
    if !p.sources.is_empty() {
        w.open("Sources", &[]);
        for s in &p.sources {
            let mut a = named(&s.guid, s.name.as_deref());
            if let Some(path) = &s.plain_text_path {
                a.push(("plainTextPath", path.clone()));
            }
            if s.selections.is_empty() && s.codings.is_empty() && s.values.is_empty() {
                w.empty("TextSource", &a);
                continue;
            }
            w.open("TextSource", &a);
            for sel in &s.selections {
                let mut a = named(&sel.guid, sel.name.as_deref());
                a.push(("startPosition", sel.start.to_string()));
                a.push(("endPosition", sel.end.to_string()));
                if sel.codings.is_empty() {
                    w.empty("PlainTextSelection", &a);
                    continue;
                }
                w.open("PlainTextSelection", &a);
                for c in &sel.codings {
                    coding(&mut w, c);
                }
                w.close("PlainTextSelection");
            }
            for c in &s.codings {
                coding(&mut w, c);
            }
            values(&mut w, &s.values);
            w.close("TextSource");
        }
        w.close("Sources");
    }
    w.close("Project");
    w.out
}

/// A `.qdc` codebook of `codes`.
pub fn codebook_xml(codes_: &[Code], origin: &str) -> String {
    let mut w = Writer::default();
    w.line("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    w.open(
        "CodeBook",
        &[
            ("xmlns", CODEBOOK_NS.to_owned()),
            ("origin", origin.to_owned()),
        ],
    );
    codes(&mut w, codes_);
    w.close("CodeBook");
    w.out
}

/// `guid` and, when there is one, `name`.
fn named(guid: &str, name: Option<&str>) -> Vec<(&'static str, String)> {
    let mut a = vec![("guid", guid.to_owned())];
    if let Some(n) = name {
        a.push(("name", n.to_owned()));
    }
    a
}

fn codes(w: &mut Writer, list: &[Code]) {
    w.open("Codes", &[]);
    for c in list {
        code(w, c);
    }
    w.close("Codes");
}

fn code(w: &mut Writer, c: &Code) {
    let mut a = vec![
        ("guid", c.guid.clone()),
        ("name", c.name.clone()),
        ("isCodable", c.codable.to_string()),
    ];
    if let Some(color) = &c.color {
        a.push(("color", color.clone()));
    }
    if c.description.is_none() && c.children.is_empty() {
        w.empty("Code", &a);
        return;
    }
    w.open("Code", &a);
    if let Some(d) = &c.description {
        w.text_element("Description", d);
    }
    for child in &c.children {
        code(w, child);
    }
    w.close("Code");
}

fn coding(w: &mut Writer, c: &Coding) {
    let mut a = vec![("guid", c.guid.clone())];
    if let Some(u) = &c.creating_user {
        a.push(("creatingUser", u.clone()));
    }
    if let Some(t) = &c.created {
        a.push(("creationDateTime", t.clone()));
    }
    w.open("Coding", &a);
    w.empty("CodeRef", &[("targetGUID", c.code.clone())]);
    w.close("Coding");
}

fn values(w: &mut Writer, list: &[VariableValue]) {
    for v in list {
        w.open("VariableValue", &[]);
        w.empty("VariableRef", &[("targetGUID", v.variable.clone())]);
        let (name, text) = match &v.value {
            Value::Text(s) => ("TextValue", s.clone()),
            Value::Boolean(b) => ("BooleanValue", b.to_string()),
            Value::Integer(i) => ("IntegerValue", i.to_string()),
            Value::Float(f) => ("FloatValue", decimal(*f)),
            Value::Date(s) => ("DateValue", s.clone()),
            Value::DateTime(s) => ("DateTimeValue", s.clone()),
        };
        w.text_element(name, &text);
        w.close("VariableValue");
    }
}

/// An `xsd:decimal`: digits, never an exponent (Rust prints floats
/// without one).
fn decimal(f: f64) -> String {
    if f.is_finite() {
        f.to_string()
    } else {
        "0".to_owned()
    }
}

#[derive(Default)]
struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn line(&mut self, s: &str) {
        self.indent();
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn start(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", xml::attr(v));
        }
    }

    fn open(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.start(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.start(name, attrs);
        self.out.push_str("/>\n");
    }

    fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line(&format!("</{name}>"));
    }

    fn text_element(&mut self, name: &str, text: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>{}</{name}>", xml::text(text));
    }
}

/// A zip archive of `entries` (name, bytes), deflated, in the given order,
/// with a fixed date and permissions.
pub fn zip(path: &std::path::Path, entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let fail = |e: &dyn std::fmt::Display| {
        Error::Internal(format!("cannot write {}: {e}", path.display()))
    };
    for (name, bytes) in entries {
        w.start_file(name.as_str(), options).map_err(|e| fail(&e))?;
        w.write_all(bytes).map_err(|e| fail(&e))?;
    }
    Ok(w.finish().map_err(|e| fail(&e))?.into_inner())
}
