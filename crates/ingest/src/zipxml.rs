//! Zip containers and the XML inside them (`.docx`, `.odt`, and the
//! spreadsheet and REFI-QDA readers), read with limits so that a hostile
//! file cannot exhaust memory or the stack.
//!
//! - [`Zip`] opens an archive from bytes and reads named entries. The
//!   decompressed bytes of all entries read from one archive are capped at
//!   [`ReadOptions::max_unzipped_bytes`](crate::ReadOptions): an entry whose
//!   declared *or actual* size goes past the cap is refused as a likely zip
//!   bomb, without ever holding more than the cap in memory.
//! - [`Xml`] streams the events of an XML document with namespaces resolved,
//!   entities and character references expanded (no DTD is ever processed),
//!   and elements nested at most [`MAX_DEPTH`] deep.
//!
//! Every error is an [`Error::Read`](crate::Error::Read) that names the file
//! and says what a user can do about it.

use std::borrow::Cow;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use quick_xml::NsReader;
use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use zip::ZipArchive;
use zip::result::ZipError;

use crate::{Error, Input, Result};

/// Most entries an archive may hold; office documents have a few dozen.
pub const MAX_ENTRIES: usize = 10_000;

/// Deepest nesting of XML elements accepted.
pub const MAX_DEPTH: usize = 256;

const MIB: u64 = 1024 * 1024;

/// A zip archive being read, with the budget of decompressed bytes it has
/// left.
pub struct Zip<'a> {
    input: Input<'a>,
    kind: &'static str,
    archive: ZipArchive<Cursor<&'a [u8]>>,
    unzipped: u64,
}

impl std::fmt::Debug for Zip<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zip")
            .field("path", &self.input.path)
            .field("kind", &self.kind)
            .field("entries", &self.archive.len())
            .field("unzipped", &self.unzipped)
            .finish_non_exhaustive()
    }
}

impl<'a> Zip<'a> {
    /// Opens the archive in `input.bytes`. `kind` is the file type named in
    /// messages (`docx`, `odt`, `xlsx`), without the dot.
    pub fn open(input: &Input<'a>, kind: &'static str) -> Result<Zip<'a>> {
        let bytes = input.bytes;
        if bytes.is_empty() {
            return Err(input.error(None, "empty file"));
        }
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| input.error(None, not_a_zip(bytes, kind)))?;
        if archive.len() > MAX_ENTRIES {
            return Err(input.error(
                None,
                format!(
                    "not a valid .{kind} file (the zip archive has {} entries, more than the {MAX_ENTRIES} voces reads)",
                    archive.len()
                ),
            ));
        }
        Ok(Zip {
            input: *input,
            kind,
            archive,
            unzipped: 0,
        })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.archive.len()
    }

    /// True when the archive has no entries.
    pub fn is_empty(&self) -> bool {
        self.archive.is_empty()
    }

    /// True when the archive has an entry of this exact name.
    pub fn contains(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// Names of the entries, in archive order (names that cannot be decoded
    /// are left out).
    pub fn names(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.archive
            .file_names()
            .filter_map(std::result::Result::ok)
    }

    /// Decompressed bytes read so far.
    pub fn unzipped(&self) -> u64 {
        self.unzipped
    }

    /// Reads an entry's bytes; `None` when there is no such entry.
    pub fn read_bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let input = self.input;
        let limit = input.options.max_unzipped_bytes;
        let left = limit.saturating_sub(self.unzipped);
        // Entry names come from the file: shown on one line.
        let name = quote(name, MAX_QUOTE);
        let name = name.as_ref();
        let mut file = self
            .archive
            .by_index(index)
            .map_err(|e| input.error(None, entry_error(name, &e)))?;
        if file.size() > left {
            return Err(input.error(None, zip_bomb(name, limit)));
        }
        // The declared size may lie: never read more than one byte past the
        // budget, and never trust the header for the allocation.
        let mut bytes = Vec::with_capacity(file.size().min(16 * MIB) as usize);
        (&mut file)
            .take(left.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| {
                input.error(
                    None,
                    format!(
                        "zip entry {name} is damaged ({})",
                        lower_first(&e.to_string())
                    ),
                )
            })?;
        if bytes.len() as u64 > left {
            return Err(input.error(None, zip_bomb(name, limit)));
        }
        self.unzipped += bytes.len() as u64;
        Ok(Some(bytes))
    }

    /// Reads an entry as text (UTF-8, or UTF-16 with a byte-order mark);
    /// `None` when there is no such entry.
    pub fn read_optional(&mut self, name: &str) -> Result<Option<String>> {
        let Some(bytes) = self.read_bytes(name)? else {
            return Ok(None);
        };
        let name = quote(name, MAX_QUOTE);
        let text = if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(&bytes) {
            let body = bytes.get(bom..).unwrap_or_default();
            let (text, had_errors) = encoding.decode_without_bom_handling(body);
            if had_errors {
                return Err(self.input.error(
                    None,
                    format!("zip entry {name} is not valid {} text", encoding.name()),
                ));
            }
            text.into_owned()
        } else {
            String::from_utf8(bytes).map_err(|_| {
                self.input
                    .error(None, format!("zip entry {name} is not valid UTF-8 text"))
            })?
        };
        Ok(Some(text))
    }

    /// Reads an entry the format requires as text; a missing entry means the
    /// file is not of this format.
    pub fn read_string(&mut self, name: &str) -> Result<String> {
        match self.read_optional(name)? {
            Some(text) => Ok(text),
            None => Err(self.missing(name)),
        }
    }

    /// The error for a required entry that is not in the archive.
    pub fn missing(&self, name: &str) -> Error {
        let mut message = format!(
            "not a valid .{} file (no {} in the zip archive)",
            self.kind,
            quote(name, MAX_QUOTE)
        );
        if let Some(what) = self.guess() {
            message.push_str("\nhint: the file looks like ");
            message.push_str(what);
        }
        self.input.error(None, message)
    }

    /// What kind of document the archive looks like, from its entries.
    fn guess(&self) -> Option<&'static str> {
        const KNOWN: &[(&str, &str, &str)] = &[
            ("word/document.xml", "docx", "a Word document (.docx)"),
            ("xl/workbook.xml", "xlsx", "an Excel workbook (.xlsx)"),
            (
                "ppt/presentation.xml",
                "pptx",
                "a PowerPoint presentation (.pptx)",
            ),
            (
                "content.xml",
                "odt",
                "an OpenDocument file (.odt, .ods, .odp)",
            ),
            ("project.qde", "qdpx", "a REFI-QDA project (.qdpx)"),
        ];
        KNOWN
            .iter()
            .find(|(entry, kind, _)| *kind != self.kind && self.contains(entry))
            .map(|(_, _, what)| *what)
    }

    /// An [`Error::Read`] about the archive's file.
    pub fn error(&self, message: impl Into<String>) -> Error {
        self.input.error(None, message)
    }
}

/// Why bytes that should be a zip archive are not one.
fn not_a_zip(bytes: &[u8], kind: &str) -> String {
    let start = bytes.get(..8).unwrap_or(bytes);
    if start.starts_with(b"PK") {
        return format!("not a valid .{kind} file (the zip archive is truncated or damaged)");
    }
    if start.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return format!(
            "not a valid .{kind} file (an old binary Office file such as a .doc, or a password-protected document)\n\
             hint: open it in Word or LibreOffice, remove any password and save it as .{kind}"
        );
    }
    if start.starts_with(b"{\\rtf") {
        return format!(
            "not a valid .{kind} file (an RTF document, not a zip archive)\nhint: save it as .{kind} or .txt"
        );
    }
    if start.starts_with(b"%PDF") {
        return format!("not a valid .{kind} file (a PDF document, not a zip archive)");
    }
    let mut message = format!("not a valid .{kind} file (not a zip archive)");
    if crate::decode::decode(bytes).is_ok() {
        message.push_str("\nhint: the file holds plain text: rename it to .txt");
    }
    message
}

fn entry_error(name: &str, e: &ZipError) -> String {
    match e {
        ZipError::UnsupportedArchive(m) if m.to_lowercase().contains("password") => {
            format!("zip entry {name} is encrypted (the document is password-protected)")
        }
        ZipError::InvalidPassword => {
            format!("zip entry {name} is encrypted (the document is password-protected)")
        }
        ZipError::CompressionMethodNotSupported(method) => {
            format!(
                "zip entry {name} uses a compression method voces cannot read (method {method})"
            )
        }
        other => format!(
            "zip entry {name} is damaged ({})",
            lower_first(&other.to_string())
        ),
    }
}

fn zip_bomb(name: &str, limit: u64) -> String {
    format!(
        "zip entry {name} expands past the {} limit (zip bomb?)\n\
         hint: if the document is genuine, raise `max_file_mb` in voces.toml (the limit is 4 times it)",
        size_text(limit)
    )
}

/// `256 MiB`, `64 KiB` or `1000 bytes`.
fn size_text(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Most characters of file content (an entry name, a parser's message)
/// quoted in an error.
const MAX_QUOTE: usize = 120;

/// `s` fit for a one-line message: control characters (line breaks
/// included) as spaces, and at most `max` characters, the rest as `...`.
/// File content reaches messages through entry names and parser errors.
pub fn quote(s: &str, max: usize) -> Cow<'_, str> {
    let long = s.char_indices().nth(max).map(|(i, _)| i);
    if long.is_none() && !s.contains(char::is_control) {
        return Cow::Borrowed(s);
    }
    let kept = &s[..long.unwrap_or(s.len())];
    let mut out: String = kept
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if long.is_some() {
        out.push_str("...");
    }
    Cow::Owned(out)
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One XML event, with entities already expanded into text.
#[derive(Debug)]
pub enum XmlEvent<'x> {
    /// An element opens: `<w:p>`.
    Start(Tag<'x>),
    /// An element without content: `<w:tab/>`.
    Empty(Tag<'x>),
    /// An element closes.
    End(EndTag<'x>),
    /// Character data (text, CDATA, an expanded entity or character
    /// reference). Adjacent pieces may come as several events.
    Text(Cow<'x, str>),
    /// End of the document.
    Eof,
}

/// An opening (or empty) element.
#[derive(Debug)]
pub struct Tag<'x> {
    ns: Option<&'static str>,
    start: BytesStart<'x>,
}

impl Tag<'_> {
    /// The element's namespace, when it is one of those the [`Xml`] reader
    /// was given.
    pub fn ns(&self) -> Option<&'static str> {
        self.ns
    }

    /// The element's name without its prefix.
    pub fn local(&self) -> &str {
        self.start.local_name().into_inner()
    }

    /// True when the element is `local` in namespace `ns`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == Some(ns) && self.local() == local
    }

    /// The value of the first attribute with this local name (whatever its
    /// prefix), with entities expanded; `None` when absent or malformed.
    pub fn attr(&self, local: &str) -> Option<String> {
        self.start
            .attributes()
            .with_checks(false)
            .filter_map(std::result::Result::ok)
            .find(|a| a.key.local_name().into_inner() == local)
            .and_then(|a| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(Cow::into_owned)
            })
    }
}

/// A closing element.
#[derive(Debug)]
pub struct EndTag<'x> {
    ns: Option<&'static str>,
    end: BytesEnd<'x>,
}

impl EndTag<'_> {
    /// The element's namespace, when it is one of those the [`Xml`] reader
    /// was given.
    pub fn ns(&self) -> Option<&'static str> {
        self.ns
    }

    /// The element's name without its prefix.
    pub fn local(&self) -> &str {
        self.end.local_name().into_inner()
    }

    /// True when the element is `local` in namespace `ns`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == Some(ns) && self.local() == local
    }
}

/// A streaming XML reader over one zip entry, with namespaces resolved
/// against a list the caller cares about and a nesting limit.
pub struct Xml<'x> {
    reader: NsReader<&'x [u8]>,
    path: PathBuf,
    entry: String,
    namespaces: &'static [&'static str],
    depth: usize,
}

impl std::fmt::Debug for Xml<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Xml")
            .field("entry", &self.entry)
            .field("depth", &self.depth)
            .finish_non_exhaustive()
    }
}

impl<'x> Xml<'x> {
    /// A reader of `xml`, the entry `entry` of the file at `path` (both for
    /// messages). Element namespaces are reported when they are one of
    /// `namespaces`.
    pub fn new(
        xml: &'x str,
        path: &Path,
        entry: &str,
        namespaces: &'static [&'static str],
    ) -> Xml<'x> {
        let mut reader = NsReader::from_str(xml);
        let config = reader.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = true;
        Xml {
            reader,
            path: path.to_owned(),
            entry: quote(entry, MAX_QUOTE).into_owned(),
            namespaces,
            depth: 0,
        }
    }

    /// Current nesting depth (0 outside the root element).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The next event.
    pub fn next_event(&mut self) -> Result<XmlEvent<'x>> {
        loop {
            let resolved = self.reader.read_resolved_event();
            let (ns, event) = match resolved {
                Ok((ResolveResult::Bound(Namespace(uri)), event)) => {
                    (self.namespaces.iter().find(|n| **n == uri).copied(), event)
                }
                Ok((_, event)) => (None, event),
                Err(e) => {
                    let at = self.reader.error_position();
                    // The parser quotes the document: keep its message short.
                    let e = quote(&e.to_string(), 2 * MAX_QUOTE).into_owned();
                    return Err(self.error(format!("is not well-formed XML (at byte {at}: {e})")));
                }
            };
            return Ok(match event {
                Event::Start(start) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(
                            self.error(format!("nests elements more than {MAX_DEPTH} deep"))
                        );
                    }
                    XmlEvent::Start(Tag { ns, start })
                }
                Event::Empty(start) => XmlEvent::Empty(Tag { ns, start }),
                Event::End(end) => {
                    self.depth = self.depth.saturating_sub(1);
                    XmlEvent::End(EndTag { ns, end })
                }
                Event::Text(text) => XmlEvent::Text(text.xml10_content()),
                Event::CData(text) => XmlEvent::Text(text.xml10_content()),
                Event::GeneralRef(reference) => {
                    if let Ok(Some(c)) = reference.resolve_char_ref() {
                        XmlEvent::Text(Cow::Owned(c.to_string()))
                    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&reference)
                    {
                        XmlEvent::Text(Cow::Borrowed(s))
                    } else {
                        // An undeclared entity or a bad character reference:
                        // nothing sensible to show.
                        continue;
                    }
                }
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(self.error("ends before its elements close (truncated?)"));
                    }
                    XmlEvent::Eof
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
            });
        }
    }

    /// Skips the rest of the element whose [`XmlEvent::Start`] was just
    /// read, returning how many non-space characters of text it held.
    pub fn skip(&mut self) -> Result<usize> {
        let target = self.depth.saturating_sub(1);
        let mut chars = 0;
        loop {
            match self.next_event()? {
                XmlEvent::End(_) if self.depth <= target => return Ok(chars),
                XmlEvent::Text(t) => chars += t.chars().filter(|c| !c.is_whitespace()).count(),
                XmlEvent::Eof => return Ok(chars),
                _ => {}
            }
        }
    }

    /// The text of the first element of each of `wanted` (namespace, local
    /// name), reading the whole document: metadata such as `dc:title`.
    pub fn first_texts(&mut self, wanted: &[(&str, &str)]) -> Result<Vec<Option<String>>> {
        let mut found: Vec<Option<String>> = vec![None; wanted.len()];
        // Which wanted element is open, and the depth it opened at.
        let mut open: Option<(usize, usize)> = None;
        loop {
            match self.next_event()? {
                XmlEvent::Start(tag) if open.is_none() => {
                    if let Some(i) = wanted
                        .iter()
                        .position(|(ns, local)| tag.is(ns, local))
                        .filter(|&i| found[i].is_none())
                    {
                        found[i] = Some(String::new());
                        open = Some((i, self.depth));
                    }
                }
                XmlEvent::End(_) if open.is_some_and(|(_, depth)| self.depth < depth) => {
                    open = None;
                }
                XmlEvent::Text(text) => {
                    if let Some((i, _)) = open
                        && let Some(s) = &mut found[i]
                    {
                        s.push_str(&text);
                    }
                }
                XmlEvent::Eof => return Ok(found),
                _ => {}
            }
        }
    }

    /// An [`Error::Read`] about this entry: `<entry> <message>`.
    pub fn error(&self, message: impl std::fmt::Display) -> Error {
        Error::read(&self.path, None, format!("{} {message}", self.entry))
    }
}

/// A zip with the given entries, deflated (for tests of the zip readers).
#[cfg(test)]
pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, o).expect("in-memory zip");
        w.write_all(data).expect("in-memory zip");
    }
    w.finish().expect("in-memory zip").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReadOptions;

    fn options() -> ReadOptions {
        crate::readers::docx::test_options()
    }

    fn message(e: &Error) -> String {
        match e {
            Error::Read { message, .. } => message.clone(),
            other => panic!("expected a read error, got {other:?}"),
        }
    }

    fn open<'a>(bytes: &'a [u8], options: &'a ReadOptions) -> Result<Zip<'a>> {
        let input = Input {
            path: Path::new("t.docx"),
            bytes,
            options,
        };
        Zip::open(&input, "docx")
    }

    #[test]
    fn reads_entries_and_reports_missing_ones() {
        let bytes = zip_of(&[("a.xml", b"<a>hola</a>"), ("xl/workbook.xml", b"<w/>")]);
        let o = options();
        let mut zip = open(&bytes, &o).unwrap();
        assert_eq!(zip.len(), 2);
        assert_eq!(zip.read_string("a.xml").unwrap(), "<a>hola</a>");
        assert_eq!(zip.read_optional("b.xml").unwrap(), None);
        assert_eq!(zip.unzipped(), 11);
        let e = zip.read_string("word/document.xml").unwrap_err();
        assert_eq!(
            message(&e),
            "not a valid .docx file (no word/document.xml in the zip archive)\n\
             hint: the file looks like an Excel workbook (.xlsx)"
        );
    }

    #[test]
    fn utf16_entries_are_decoded() {
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("<a>año</a>".encode_utf16().flat_map(u16::to_le_bytes));
        let bytes = zip_of(&[("a.xml", &utf16), ("b.xml", b"\xff\xfe\x00")]);
        let o = options();
        let mut zip = open(&bytes, &o).unwrap();
        assert_eq!(zip.read_string("a.xml").unwrap(), "<a>año</a>");
        let bytes = zip_of(&[("c.xml", b"caf\xe9")]);
        let mut zip = open(&bytes, &o).unwrap();
        assert_eq!(
            message(&zip.read_string("c.xml").unwrap_err()),
            "zip entry c.xml is not valid UTF-8 text"
        );
    }

    #[test]
    fn refuses_what_is_not_a_zip() {
        let o = options();
        let e = open(b"Interviewer: hello\nP1: hi\n", &o).unwrap_err();
        assert_eq!(
            message(&e),
            "not a valid .docx file (not a zip archive)\nhint: the file holds plain text: rename it to .txt"
        );
        let e = open(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], &o).unwrap_err();
        assert!(message(&e).starts_with("not a valid .docx file (an old binary Office file"));
        assert_eq!(message(&open(b"", &o).unwrap_err()), "empty file");
        let bytes = zip_of(&[("a.xml", b"<a>hola, hola, hola, hola</a>")]);
        let e = open(&bytes[..bytes.len() / 2], &o).unwrap_err();
        assert_eq!(
            message(&e),
            "not a valid .docx file (the zip archive is truncated or damaged)"
        );
        let e = open(&[0x00, 0x01, 0x02, 0xff, 0xfe, 0x80], &o).unwrap_err();
        assert_eq!(message(&e), "not a valid .docx file (not a zip archive)");
    }

    #[test]
    fn refuses_absurd_entry_counts() {
        let names: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let bytes = zip_of(&entries);
        let o = options();
        let e = open(&bytes, &o).unwrap_err();
        assert_eq!(
            message(&e),
            "not a valid .docx file (the zip archive has 10001 entries, more than the 10000 voces reads)"
        );
    }

    #[test]
    fn zip_bomb_by_declared_size() {
        let big = vec![b'a'; 64 * 1024];
        let bytes = zip_of(&[("word/document.xml", &big)]);
        let mut o = options();
        o.max_unzipped_bytes = 16 * 1024;
        let mut zip = open(&bytes, &o).unwrap();
        let e = zip.read_string("word/document.xml").unwrap_err();
        assert!(
            message(&e).starts_with(
                "zip entry word/document.xml expands past the 16 KiB limit (zip bomb?)\nhint:"
            ),
            "{e}"
        );
    }

    #[test]
    fn zip_bomb_with_lying_header() {
        // 1 MiB of zeros that claims to be 100 bytes, in both headers.
        let big = vec![0u8; 1024 * 1024];
        let mut bytes = zip_of(&[("word/document.xml", &big)]);
        let claimed = 100u32.to_le_bytes();
        let real = (big.len() as u32).to_le_bytes();
        let mut patched = 0;
        for i in 0..bytes.len().saturating_sub(4) {
            if bytes[i..i + 4] == real {
                bytes[i..i + 4].copy_from_slice(&claimed);
                patched += 1;
            }
        }
        assert_eq!(patched, 2, "local and central headers");
        let mut o = options();
        o.max_unzipped_bytes = 4096;
        let mut zip = open(&bytes, &o).unwrap();
        // The zip crate stops at the declared size itself; reading through
        // `take` is the second line of defence.
        let e = zip.read_string("word/document.xml").unwrap_err();
        assert_eq!(
            message(&e),
            "zip entry word/document.xml is damaged (file is larger than its declared uncompressed size)"
        );
        assert_eq!(zip.unzipped(), 0);
    }

    #[test]
    fn budget_is_shared_by_entries() {
        let a = vec![b'a'; 3000];
        let bytes = zip_of(&[("a", &a), ("b", &a)]);
        let mut o = options();
        o.max_unzipped_bytes = 5000;
        let mut zip = open(&bytes, &o).unwrap();
        assert!(zip.read_bytes("a").is_ok());
        let e = zip.read_bytes("b").unwrap_err();
        assert!(
            message(&e).starts_with("zip entry b expands past the 5000 bytes limit"),
            "{e}"
        );
    }

    const NS: &[&str] = &["urn:a", "urn:b"];

    fn events(xml: &str) -> Result<Vec<String>> {
        let mut x = Xml::new(xml, Path::new("f.docx"), "doc.xml", NS);
        let mut out = Vec::new();
        loop {
            match x.next_event()? {
                XmlEvent::Start(t) => {
                    out.push(format!("<{}:{}>", t.ns().unwrap_or("?"), t.local()));
                }
                XmlEvent::Empty(t) => {
                    out.push(format!("<{}:{}/>", t.ns().unwrap_or("?"), t.local()));
                }
                XmlEvent::End(t) => out.push(format!("</{}>", t.local())),
                XmlEvent::Text(t) => out.push(t.into_owned()),
                XmlEvent::Eof => return Ok(out),
            }
        }
    }

    #[test]
    fn xml_events_with_namespaces_and_entities() {
        let got = events(
            "<?xml version=\"1.0\"?><!DOCTYPE x><a:r xmlns:a=\"urn:a\" xmlns=\"urn:b\">\
             <!-- c --><p>x &amp; y&#233;&#x41;&bogus;</p><a:t/><z:q xmlns:z=\"urn:z\"/><![CDATA[<c>]]></a:r>",
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                "<urn:a:r>",
                "<urn:b:p>",
                "x ",
                "&",
                " y",
                "é",
                "A",
                "</p>",
                "<urn:a:t/>",
                "<?:q/>",
                "<c>",
                "</r>"
            ]
        );
    }

    #[test]
    fn xml_attributes_by_local_name() {
        let mut x = Xml::new(
            "<a:s xmlns:a=\"urn:a\" a:c=\"3\" v=\"&lt;b&gt;\"/>",
            Path::new("f"),
            "e",
            NS,
        );
        let XmlEvent::Empty(tag) = x.next_event().unwrap() else {
            panic!("expected an empty element")
        };
        assert!(tag.is("urn:a", "s"));
        assert_eq!(tag.attr("c").as_deref(), Some("3"));
        assert_eq!(tag.attr("v").as_deref(), Some("<b>"));
        assert_eq!(tag.attr("missing"), None);
    }

    #[test]
    fn xml_errors_are_clear() {
        let e = events("<a><b></a>").unwrap_err();
        assert!(
            message(&e).starts_with("doc.xml is not well-formed XML (at byte"),
            "{e}"
        );
        let e = events("<a><b>text").unwrap_err();
        assert_eq!(
            message(&e),
            "doc.xml ends before its elements close (truncated?)"
        );
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        let e = events(&deep).unwrap_err();
        assert_eq!(message(&e), "doc.xml nests elements more than 256 deep");
        assert!(events(&("<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH))).is_ok());
        // Entity definitions are never expanded (no billion laughs).
        let laughs =
            "<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><l>&b;</l>";
        assert_eq!(events(laughs).unwrap(), vec!["<?:l>", "</l>"]);
    }

    #[test]
    fn file_content_in_errors_stays_on_one_line() {
        // Found by the docx_xml fuzz target: the parser quotes a closing
        // tag, line breaks and all.
        let e = events("<a><b>\n</a\nb>").unwrap_err();
        let m = message(&e);
        assert!(!m.contains('\n'), "{m:?}");
        assert!(
            m.starts_with("doc.xml is not well-formed XML (at byte "),
            "{m}"
        );
        let e = events(&format!("<a>{}</{}>", "x", "b".repeat(1000))).unwrap_err();
        assert!(message(&e).chars().count() < 300, "{e}");
        assert_eq!(quote("a\r\nb\tc", 10), "a  b c");
        assert_eq!(quote("abcdef", 3), "abc...");
        assert!(matches!(quote("abc", 3), Cow::Borrowed("abc")));
        // An entry name from the archive is quoted the same way.
        let bytes = zip_of(&[("bad\nname.xml", b"\xff\xfe\x00")]);
        let o = options();
        let mut zip = open(&bytes, &o).unwrap();
        assert_eq!(
            message(&zip.read_string("bad\nname.xml").unwrap_err()),
            "zip entry bad name.xml is not valid UTF-16LE text"
        );
    }

    #[test]
    fn skip_and_first_texts() {
        let xml =
            "<r xmlns=\"urn:a\"><d><x>gone</x> too</d><t>keep</t><t>second</t><u>a<b>b</b></u></r>";
        let mut x = Xml::new(xml, Path::new("f"), "e", NS);
        let mut kept = String::new();
        loop {
            match x.next_event().unwrap() {
                XmlEvent::Start(t) if t.local() == "d" => assert_eq!(x.skip().unwrap(), 7),
                XmlEvent::Text(t) => kept.push_str(&t),
                XmlEvent::Eof => break,
                _ => {}
            }
        }
        assert_eq!(kept, "keepsecondab");
        let mut x = Xml::new(xml, Path::new("f"), "e", NS);
        let got = x
            .first_texts(&[("urn:a", "t"), ("urn:a", "u"), ("urn:a", "none")])
            .unwrap();
        assert_eq!(got, vec![Some("keep".into()), Some("ab".into()), None]);
    }
}
