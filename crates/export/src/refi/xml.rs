//! XML in and out: a small element tree read through the limited streaming
//! reader of `voces_ingest::zipxml` (namespaces resolved, entities expanded
//! but never defined by a DTD, at most 256 levels deep), and escaping for
//! the writer.

use std::path::Path;

use voces_ingest::zipxml::{Xml, XmlEvent};

use crate::{Error, Result};

/// Namespace of `project.qde`.
pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
/// Namespace of a `.qdc` codebook.
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";

const NAMESPACES: &[&str] = &[PROJECT_NS, CODEBOOK_NS];

/// The attributes kept when reading (REFI-QDA's, by local name).
const ATTRIBUTES: &[&str] = &[
    "guid",
    "name",
    "id",
    "origin",
    "basePath",
    "creatingUserGUID",
    "isCodable",
    "color",
    "typeOfVariable",
    "targetGUID",
    "plainTextPath",
    "richTextPath",
    "path",
    "startPosition",
    "endPosition",
    "creatingUser",
    "creationDateTime",
];

/// An element: local name, namespace (when REFI-QDA's), the REFI-QDA
/// attributes it has, children, and its own text.
#[derive(Debug, Clone, Default)]
pub struct Element {
    /// Local name.
    pub name: String,
    /// [`PROJECT_NS`], [`CODEBOOK_NS`], or `None` for any other.
    pub ns: Option<&'static str>,
    /// Attributes by local name, in a fixed order.
    pub attrs: Vec<(&'static str, String)>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// The element's own character data (not its children's).
    pub text: String,
}

impl Element {
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// An attribute's value, trimmed, `None` when absent or blank.
    pub fn attr_text(&self, name: &str) -> Option<String> {
        self.attr(name)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }

    /// The first child of this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The children of this name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Parses a whole document into its root element. `path` and `entry` name
/// the file and the zip entry in errors (`FILE.qdpx: project.qde is not
/// well-formed XML (...)`).
pub fn parse(xml: &str, path: &Path, entry: &str) -> Result<Element> {
    let mut reader = Xml::new(xml, path, entry, NAMESPACES);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let input_error = |e: voces_ingest::Error| match e {
        voces_ingest::Error::Read { path, message, .. } => Error::Input { path, message },
        other => Error::Input {
            path: path.to_owned(),
            message: other.to_string(),
        },
    };
    loop {
        match reader.next_event().map_err(input_error)? {
            XmlEvent::Start(tag) => {
                stack.push(element(&tag));
            }
            XmlEvent::Empty(tag) => {
                let e = element(&tag);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(e),
                    None => root = root.or(Some(e)),
                }
            }
            XmlEvent::End(_) => {
                if let Some(done) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => root = root.or(Some(done)),
                    }
                }
            }
            XmlEvent::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                }
            }
            XmlEvent::Eof => break,
        }
    }
    root.ok_or_else(|| Error::Input {
        path: path.to_owned(),
        message: format!("{entry} has no XML element"),
    })
}

fn element(tag: &voces_ingest::zipxml::Tag<'_>) -> Element {
    Element {
        name: tag.local().to_owned(),
        ns: tag.ns(),
        attrs: ATTRIBUTES
            .iter()
            .filter_map(|a| tag.attr(a).map(|v| (*a, v)))
            .collect(),
        children: Vec::new(),
        text: String::new(),
    }
}

/// Characters XML 1.0 allows.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for an attribute value in double quotes. Tabs and line
/// breaks become character references so that they survive attribute
/// normalization; characters XML cannot hold become spaces.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

/// Escapes character data; carriage returns become references so that
/// they are not turned into line feeds.
pub fn text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            c if allowed(c) => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_and_attributes() {
        let doc = "<?xml version=\"1.0\"?><Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"a &amp; b\">\
                   <Users><User guid=\"1\" name=\"x\"/></Users><Description>d&lt;1</Description></Project>";
        let root = parse(doc, Path::new("t.qdpx"), "project.qde").unwrap();
        assert_eq!(root.name, "Project");
        assert_eq!(root.ns, Some(PROJECT_NS));
        assert_eq!(root.attr("name"), Some("a & b"));
        let users = root.child("Users").unwrap();
        assert_eq!(users.children_named("User").count(), 1);
        assert_eq!(root.child("Description").unwrap().text, "d<1");
    }

    #[test]
    fn errors_name_file_and_entry() {
        let e = parse("<a><b></a>", Path::new("t.qdpx"), "project.qde").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.qdpx: project.qde is not well-formed XML"),
            "{e}"
        );
        let deep = "<a>".repeat(300) + &"</a>".repeat(300);
        let e = parse(&deep, Path::new("t.qdpx"), "project.qde").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.qdpx: project.qde nests elements more than 256 deep"
        );
    }

    #[test]
    fn escaping_round_trips() {
        let s = "a\"b<c>&d\te\nf\r\u{1}";
        let doc = format!("<x name=\"{}\">{}</x>", attr(s), text(s));
        let root = parse(&doc, Path::new("t"), "e").unwrap();
        assert_eq!(root.attr("name"), Some("a\"b<c>&d\te\nf\r "));
        assert_eq!(root.text, "a\"b<c>&d\te\nf\r ");
    }
}
