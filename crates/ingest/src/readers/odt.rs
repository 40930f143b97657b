//! `OpenDocument` text (`.odt`) transcripts.
//!
//! `content.xml` is rendered to paragraphs the way the `.docx` reader does
//! (see [`super::docx`]) and parsed by the plain-text reader: paragraphs and
//! headings (`text:p`, `text:h`, in lists and sections too), spans, spaces
//! (`text:s`, with its count), tabs and line breaks, tables (a
//! `speaker | text` table becomes turns), and bold openings (from the text
//! styles of `content.xml` and `styles.xml`) as speaker labels. ODF
//! whitespace rules apply: runs of spaces and line breaks in the XML count
//! as one space. Notes, comments, frames (images, text boxes) and the
//! record of tracked changes are left out, so deletions are gone and
//! insertions kept. The title comes from `meta.xml` (`dc:title`), the date
//! from the text or else `meta:creation-date`.

use std::collections::HashMap;

use super::docx::{Body, Properties, transcript};
use crate::zipxml::{Xml, XmlEvent, Zip};
use crate::{Input, Result, Transcript};

const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
const FO: &str = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0";
const DRAW: &str = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
const META: &str = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
const SVG: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";
const DC: &str = "http://purl.org/dc/elements/1.1/";

const NAMESPACES: &[&str] = &[OFFICE, TEXT, TABLE, STYLE, FO, DRAW, SVG, META, DC];

/// Most spaces one `text:s` stands for.
const MAX_SPACES: usize = 1000;

/// Reads an `.odt` transcript.
pub fn read(input: &Input<'_>) -> Result<Transcript> {
    let mut zip = Zip::open(input, "odt")?;
    if let Some(mimetype) = zip.read_optional("mimetype")? {
        let mimetype = mimetype.trim();
        if mimetype.starts_with("application/vnd.oasis.opendocument.")
            && !mimetype.starts_with("application/vnd.oasis.opendocument.text")
        {
            return Err(zip.error(format!(
                "not a valid .odt file (it is an OpenDocument file of type {mimetype}, not a text document)"
            )));
        }
    }
    let content = zip.read_string("content.xml")?;
    let mut styles = Styles::default();
    if let Some(xml) = zip.read_optional("styles.xml")? {
        // Common styles only add bold labels: a broken styles.xml is not
        // worth refusing the document for.
        let _ = styles.read(
            &mut Xml::new(&xml, input.path, "styles.xml", NAMESPACES),
            false,
        );
    }
    let body = render_content(&content, input, styles)?;
    let properties = Properties::read(
        &mut zip,
        input,
        "meta.xml",
        NAMESPACES,
        [(DC, "title"), (META, "creation-date")],
    )?;
    transcript(input, body, properties)
}

/// Which text and paragraph styles are bold.
#[derive(Debug, Default)]
struct Styles {
    /// Style name: its own weight when it sets one, and its parent.
    styles: HashMap<String, (Option<bool>, Option<String>)>,
}

impl Styles {
    /// Reads the `style:style` definitions of a document, up to its body
    /// when `stop_at_body` (content.xml keeps its automatic styles first).
    fn read(&mut self, x: &mut Xml<'_>, stop_at_body: bool) -> Result<()> {
        let mut current: Option<String> = None;
        loop {
            let depth = x.depth();
            match x.next_event()? {
                XmlEvent::Start(tag) | XmlEvent::Empty(tag) => {
                    if tag.is(OFFICE, "body") && stop_at_body {
                        return Ok(());
                    }
                    if tag.is(STYLE, "style") {
                        if let Some(name) = tag.attr("name") {
                            self.styles
                                .insert(name.clone(), (None, tag.attr("parent-style-name")));
                            // An empty style element has no properties.
                            current = (x.depth() > depth).then_some(name);
                        }
                    } else if tag.is(STYLE, "text-properties")
                        && let Some(name) = &current
                        && let Some(weight) = tag.attr("font-weight")
                        && let Some(entry) = self.styles.get_mut(name)
                    {
                        entry.0 = Some(is_bold_weight(&weight));
                    }
                }
                XmlEvent::End(tag) => {
                    if tag.is(STYLE, "style") {
                        current = None;
                    }
                }
                XmlEvent::Eof => return Ok(()),
                XmlEvent::Text(_) => {}
            }
        }
    }

    /// Whether text in this style is bold (following parents).
    fn bold(&self, name: Option<&str>) -> Option<bool> {
        let mut name = name?;
        for _ in 0..16 {
            let (weight, parent) = self.styles.get(name)?;
            if weight.is_some() {
                return *weight;
            }
            name = parent.as_deref()?;
        }
        None
    }
}

fn is_bold_weight(weight: &str) -> bool {
    match weight.trim() {
        "bold" | "bolder" => true,
        w => w.parse::<u32>().is_ok_and(|n| n >= 600),
    }
}

fn render_content(xml: &str, input: &Input<'_>, mut styles: Styles) -> Result<Body> {
    // Automatic styles come before the body; read them with a first pass.
    let mut x = Xml::new(xml, input.path, "content.xml", NAMESPACES);
    styles.read(&mut x, true)?;

    let mut x = Xml::new(xml, input.path, "content.xml", NAMESPACES);
    let mut body = Body::default();
    // Bold of the open spans, innermost last, with the depth each opened at;
    // the paragraph's own bold first.
    let mut bold: Vec<(usize, bool)> = Vec::new();
    let mut in_body = false;
    loop {
        let depth = x.depth();
        match x.next_event()? {
            XmlEvent::Eof => break,
            XmlEvent::Text(t) => {
                if body.para().is_some() {
                    let b = bold.last().is_some_and(|&(_, b)| b);
                    push_collapsed(&mut body, &t, b);
                }
            }
            XmlEvent::Start(tag) => {
                let ns = tag.ns();
                let local = tag.local();
                if !in_body {
                    in_body = tag.is(OFFICE, "body");
                    continue;
                }
                match (ns, local) {
                    (Some(TEXT), "p" | "h") => {
                        body.start_para();
                        bold.clear();
                        let b = styles
                            .bold(tag.attr("style-name").as_deref())
                            .unwrap_or(false);
                        bold.push((depth + 1, b));
                    }
                    (Some(TEXT), "span" | "a") => {
                        let inherited = bold.last().is_some_and(|&(_, b)| b);
                        let b = styles
                            .bold(tag.attr("style-name").as_deref())
                            .unwrap_or(inherited);
                        bold.push((depth + 1, b));
                    }
                    (Some(TABLE), "table") => body.start_table(),
                    (Some(TABLE), "table-row") => body.start_row(),
                    (Some(TABLE), "table-cell" | "covered-table-cell") => body.start_cell(),
                    (Some(TEXT), "tracked-changes") => {
                        body.tracked_changes = true;
                        x.skip()?;
                    }
                    (Some(TEXT), "note" | "ruby-text") | (Some(OFFICE), "annotation") => {
                        x.skip()?;
                    }
                    (Some(DRAW), _) => body.skipped_chars += skip_drawing(&mut x)?,
                    _ => {}
                }
            }
            XmlEvent::Empty(tag) => {
                if !in_body {
                    continue;
                }
                let b = bold.last().is_some_and(|&(_, b)| b);
                match (tag.ns(), tag.local()) {
                    (Some(TEXT), "s") => {
                        let n = tag
                            .attr("c")
                            .and_then(|c| c.trim().parse::<usize>().ok())
                            .unwrap_or(1)
                            .clamp(1, MAX_SPACES);
                        body.push(&" ".repeat(n), b);
                    }
                    (Some(TEXT), "tab") => body.push("\t", b),
                    (Some(TEXT), "line-break") => body.push("\n", b),
                    (Some(TEXT), "change" | "change-start") => body.tracked_changes = true,
                    (Some(TABLE), "table-cell" | "covered-table-cell") => body.start_cell(),
                    _ => {}
                }
            }
            XmlEvent::End(tag) => {
                if bold.last().is_some_and(|&(d, _)| d == depth) {
                    bold.pop();
                }
                match (tag.ns(), tag.local()) {
                    (Some(TEXT), "p" | "h") => {
                        body.end_para();
                        bold.clear();
                    }
                    (Some(TABLE), "table") => body.end_table(),
                    (Some(OFFICE), "body") => in_body = false,
                    _ => {}
                }
            }
        }
    }
    Ok(body)
}

/// Skips a drawing (a frame, a shape) whose start was just read; returns
/// how many non-space characters of text it held, leaving out its titles
/// and descriptions (alternative text, not document text).
fn skip_drawing(x: &mut Xml<'_>) -> Result<usize> {
    let end = x.depth().saturating_sub(1);
    let mut chars = 0;
    // Depth at which a title or description opened.
    let mut described: Option<usize> = None;
    loop {
        let depth = x.depth();
        match x.next_event()? {
            XmlEvent::Start(tag) => {
                if described.is_none()
                    && tag.ns() == Some(SVG)
                    && matches!(tag.local(), "title" | "desc")
                {
                    described = Some(depth);
                }
            }
            XmlEvent::End(_) => {
                if x.depth() <= end {
                    return Ok(chars);
                }
                if described.is_some_and(|d| x.depth() <= d) {
                    described = None;
                }
            }
            XmlEvent::Text(t) if described.is_none() => {
                chars += t.chars().filter(|c| !c.is_whitespace()).count();
            }
            XmlEvent::Eof => return Ok(chars),
            XmlEvent::Text(_) | XmlEvent::Empty(_) => {}
        }
    }
}

/// Appends text under ODF whitespace rules: space, tab, carriage return and
/// line feed in the XML are one space, and none at the start of a paragraph
/// or after another space.
fn push_collapsed(body: &mut Body, text: &str, bold: bool) {
    let mut out = String::with_capacity(text.len());
    let mut space = body
        .para()
        .is_none_or(|p| p.text().is_empty() || p.text().ends_with([' ', '\n', '\t']));
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\r' | '\n') {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
    if !out.is_empty() {
        body.push(&out, bold);
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::Error;
    use crate::readers::docx::test_options;

    fn read_bytes(name: &str, bytes: &[u8]) -> Result<Transcript> {
        let options = test_options();
        read(&Input {
            path: Path::new(name),
            bytes,
            options: &options,
        })
    }

    fn read_fixture(name: &str) -> Result<Transcript> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/odt")
            .join(name);
        read_bytes(name, &std::fs::read(path).expect("fixture exists"))
    }

    fn message(e: &Error) -> String {
        match e {
            Error::Read { message, .. } => message.clone(),
            other => panic!("expected a read error, got {other:?}"),
        }
    }

    fn check(name: &str, expected: &[(Option<&str>, &str)]) -> Transcript {
        let t = read_fixture(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: Vec<(Option<&str>, &str)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.as_deref(), t.text.as_str()))
            .collect();
        assert_eq!(got, expected, "{name}");
        t
    }

    /// A minimal odt with this `office:text` content and automatic styles.
    fn odt(styles: &str, text: &str) -> Vec<u8> {
        let content = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <office:document-content xmlns:office=\"{OFFICE}\" xmlns:text=\"{TEXT}\" xmlns:table=\"{TABLE}\" \
             xmlns:style=\"{STYLE}\" xmlns:fo=\"{FO}\" xmlns:draw=\"{DRAW}\" xmlns:svg=\"{SVG}\">\
             <office:automatic-styles>{styles}</office:automatic-styles>\
             <office:body><office:text>{text}</office:text></office:body></office:document-content>"
        );
        crate::zipxml::zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
        ])
    }

    fn turns(styles: &str, text: &str) -> Vec<(Option<String>, String)> {
        let t = read_bytes("t.odt", &odt(styles, text)).unwrap();
        t.turns.into_iter().map(|t| (t.speaker, t.text)).collect()
    }

    #[test]
    fn labels_lists_and_spacing() {
        let t = check(
            "labels.es.odt",
            &[
                (None, "Proyecto Migraciones — entrevista 7"),
                (Some("Entrevistador"), "¿Dónde nació usted?"),
                (
                    Some("Informante"),
                    "En Cochabamba, Bolivia.   Llegamos a Buenos Aires en 1999.",
                ),
                (Some("Entrevistador"), "¿Qué recuerda del viaje?"),
                (
                    Some("Informante"),
                    "Tres cosas:\nel frío,\nel autobús\ty la espera en la frontera.\nTodo eso.",
                ),
                (Some("Entrevistador"), "Gracias."),
            ],
        );
        assert_eq!(t.title.as_deref(), Some("Entrevista 7: Cochabamba"));
        assert_eq!(t.date.as_deref(), Some("2019-08-04"));
        assert_eq!(
            t.warnings,
            vec![
                "the document has tracked changes: deleted text was left out and inserted text kept"
            ]
        );
    }

    #[test]
    fn speaker_table() {
        check(
            "table.en.odt",
            &[
                (Some("Interviewer"), "What made you leave?"),
                (Some("Ahmed"), "The war. Everything was gone."),
                (Some("Interviewer"), "And your family?"),
                (Some("Ahmed"), "They came a year later."),
            ],
        );
    }

    #[test]
    fn refusals() {
        let e = read_fixture("not-a-zip.bad.odt").unwrap_err();
        assert_eq!(
            message(&e),
            "not a valid .odt file (not a zip archive)\nhint: the file holds plain text: rename it to .txt"
        );
        let e = read_fixture("spreadsheet.bad.odt").unwrap_err();
        assert_eq!(
            message(&e),
            "not a valid .odt file (it is an OpenDocument file of type \
             application/vnd.oasis.opendocument.spreadsheet, not a text document)"
        );
        let bytes = crate::zipxml::zip_of(&[("word/document.xml", b"<w/>")]);
        let e = read_bytes("t.odt", &bytes).unwrap_err();
        assert_eq!(
            message(&e),
            "not a valid .odt file (no content.xml in the zip archive)\nhint: the file looks like a Word document (.docx)"
        );
        let e = read_bytes("t.odt", &odt("", "<text:p> </text:p>")).unwrap_err();
        assert_eq!(message(&e), "no transcript text found");
    }

    #[test]
    fn whitespace_and_skipped_parts() {
        let content = "<text:h>  Title\n  line </text:h>\
             <text:p>a<text:s/>b<text:s text:c=\"3\"/>c <text:span> d</text:span>\
             <text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>note</text:p></text:note-body></text:note>\
             <office:annotation><text:p>comment</text:p></office:annotation>\
             <draw:frame><svg:desc>a photo</svg:desc><draw:text-box><text:p>boxed</text:p></draw:text-box></draw:frame>\
             <text:s text:c=\"99999999999\"/></text:p>";
        let t = read_bytes("t.odt", &odt("", content)).unwrap();
        let got: Vec<&str> = t.turns.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(got, vec!["Title line", "a b   c d"]);
        assert_eq!(
            t.warnings,
            vec!["5 characters of text in text boxes or drawings were left out"]
        );
    }

    #[test]
    fn bold_from_styles() {
        let styles = "<style:style style:name=\"T1\" style:family=\"text\">\
                      <style:text-properties fo:font-weight=\"bold\"/></style:style>\
                      <style:style style:name=\"T2\" style:family=\"text\" style:parent-style-name=\"T1\"/>\
                      <style:style style:name=\"T3\" style:family=\"text\">\
                      <style:text-properties fo:font-weight=\"normal\"/></style:style>";
        let got = turns(
            styles,
            "<text:p><text:span text:style-name=\"T1\">Luisa:</text:span> Sí, claro.</text:p>\
             <text:p><text:span text:style-name=\"T2\">Pablo</text:span>: Bueno.</text:p>\
             <text:p><text:span text:style-name=\"T3\">Nota:</text:span> sin negrita.</text:p>",
        );
        assert_eq!(
            got,
            vec![
                (Some("Luisa".to_owned()), "Sí, claro.".to_owned()),
                (
                    Some("Pablo".to_owned()),
                    "Bueno.\nNota: sin negrita.".to_owned()
                ),
            ]
        );
    }

    /// The SERDIF usability sessions in `../shared/corpora` (not in the
    /// repository) all read; the moderator's turns are labelled.
    #[test]
    fn serdif_corpus() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpora/serdif-taguette-coded");
        if !dir.exists() {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("skipped: {} is absent", dir.display());
            }
            return;
        }
        let mut files: Vec<PathBuf> = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap().flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "odt") {
                    files.push(p);
                }
            }
        }
        assert_eq!(files.len(), 34);
        for path in &files {
            let name = path.display().to_string();
            let t = read_bytes(&name, &std::fs::read(path).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!t.turns.is_empty(), "{name}");
            if name.contains("transcripts") {
                assert!(
                    t.turns
                        .iter()
                        .any(|t| t.speaker.as_deref() == Some("MODERATOR")),
                    "{name}"
                );
                // `text:s` spaces and tabs that indent a paragraph are not
                // words.
                assert!(
                    t.turns.iter().all(|t| !t.text.starts_with([' ', '\t'])),
                    "{name}"
                );
            }
        }
    }
}
