//! Bodies of the fuzz targets of `voces-ingest`: every transcript reader and
//! the attribute-sheet reader, through their public entry points
//! (`voces_ingest::ingest_bytes`, `voces_ingest::metadata::read_metadata_bytes`).
//!
//! The same file is compiled into the stable replay test
//! `crates/ingest/tests/fuzz_regressions.rs`, so every saved input in
//! `fuzz/regressions/<target>/` runs in `cargo test` exactly as the fuzzer
//! ran it. It may only use what `voces-ingest` itself depends on.
//!
//! Beyond "no panic", each target checks what voces promises of a result:
//! segment offsets in order and in range, each segment's text equal to its
//! span of the interview text (in characters), counts that match, times
//! that are finite, and a result that serializes to JSON.
//!
//! Structure-aware targets (`docx_xml`, `odt_xml`, `xlsx_xml`) take XML
//! parts rather than a whole file and wrap them in a valid zip archive, so
//! that the fuzzer spends its time in the XML renderers instead of failing
//! zip checks. The input is split at `0xFF` bytes (a byte UTF-8 never
//! holds): the first piece is the main part, the next ones replace the
//! other parts in order; parts not given keep a minimal valid default.

use std::io::Write;
use std::path::Path;
use std::sync::LazyLock;

use voces_corpus::{Interview, Stats};
use voces_ingest::metadata::{Sheet, read_metadata_bytes};
use voces_ingest::{Error, ReadOptions, ingest_bytes};

/// The fuzz targets of this file, in `fuzz/fuzz_targets/<name>.rs`.
pub const TARGETS: &[&str] = &[
    "text", "docx", "docx_xml", "odt", "odt_xml", "vtt", "srt", "chat", "csv", "workbook",
    "xlsx_xml",
];

/// The separator of parts in the structure-aware targets' inputs.
pub const PART_SEPARATOR: u8 = 0xFF;

static OPTIONS: LazyLock<ReadOptions> = LazyLock::new(|| {
    ReadOptions::new(&Default::default(), &Default::default()).expect("default options")
});

/// Runs `target` on `data`; panics on a crash or a broken invariant.
/// Returns false when `target` is not one of [`TARGETS`].
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "text" => transcript("fuzz.txt", data),
        "docx" => transcript("fuzz.docx", data),
        "odt" => transcript("fuzz.odt", data),
        "vtt" => transcript("fuzz.vtt", data),
        "srt" => transcript("fuzz.srt", data),
        "chat" => transcript("fuzz.cha", data),
        "docx_xml" => transcript("fuzz.docx", &docx_of(data)),
        "odt_xml" => transcript("fuzz.odt", &odt_of(data)),
        "csv" => sheet("fuzz.csv", data),
        "workbook" => sheet("fuzz.xlsx", data),
        "xlsx_xml" => sheet("fuzz.xlsx", &xlsx_of(data)),
        _ => return false,
    }
    true
}

/// Reads a transcript; checks the interview or the error.
fn transcript(name: &str, data: &[u8]) {
    let path = Path::new(name);
    match ingest_bytes(path, data, &OPTIONS) {
        Ok(interview) => check_interview(&interview),
        Err(e) => check_error(&e, name),
    }
}

/// Reads an attribute sheet; checks the table or the error.
fn sheet(name: &str, data: &[u8]) {
    // The workbook reader runs calamine under `catch_unwind` and turns its
    // panics into errors. libFuzzer's panic hook aborts before any unwind;
    // put back the default hook so that a caught panic is what it is in
    // voces, an error, and only a panic that escapes is a crash.
    static DEFAULT_HOOK: std::sync::Once = std::sync::Once::new();
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    match read_metadata_bytes(Path::new(name), data, None, &OPTIONS) {
        Ok(sheet) => check_sheet(&sheet),
        Err(e) => check_error(&e, name),
    }
}

/// An error names the file and, once the hints are set aside, is one line.
fn check_error(e: &Error, name: &str) {
    let text = e.to_string();
    assert!(
        text.starts_with(name),
        "error does not name the file: {text}"
    );
    let first = text.lines().next().unwrap_or_default();
    for line in text.lines().skip(1) {
        assert!(
            line.starts_with("hint: "),
            "error of more than one line: {first:?} then {line:?}"
        );
    }
}

/// The invariants the store checks before it writes an interview, and a
/// few more.
fn check_interview(interview: &Interview) {
    let text = &interview.text;
    let starts: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let chars = starts.len() - 1;
    let mut previous_end = 0;
    assert!(!interview.segments.is_empty(), "interview without segments");
    for (i, seg) in interview.segments.iter().enumerate() {
        assert_eq!(seg.index, i, "segment index");
        assert_eq!(seg.id, format!("{}#{}", interview.id, i + 1), "segment id");
        assert!(
            seg.start <= seg.end && seg.end <= chars && seg.start >= previous_end,
            "segment {} has offsets {}..{} out of order or range (text has {chars} chars)",
            seg.id,
            seg.start,
            seg.end
        );
        assert_eq!(
            &text[starts[seg.start]..starts[seg.end]],
            seg.text,
            "segment {} text differs from its span",
            seg.id
        );
        let mut sentence_end = seg.start;
        for s in &seg.sentences {
            assert!(
                s.start >= sentence_end && s.start <= s.end && s.end <= seg.end,
                "sentence {}..{} outside segment {} ({}..{})",
                s.start,
                s.end,
                seg.id,
                seg.start,
                seg.end
            );
            sentence_end = s.end;
        }
        let len = seg.end - seg.start;
        assert!(seg.words.len() % 2 == 0, "odd word boundary list");
        let mut word_end = 0;
        for w in seg.words.chunks_exact(2) {
            let (a, b) = (w[0] as usize, w[1] as usize);
            assert!(
                a >= word_end && a < b && b <= len,
                "word {a}..{b} outside segment {} of {len} chars",
                seg.id
            );
            word_end = b;
        }
        for t in [seg.start_time, seg.end_time].into_iter().flatten() {
            assert!(t.is_finite() && t >= 0.0, "time {t} in segment {}", seg.id);
        }
        assert!(
            !seg.language.is_empty(),
            "segment {} without language",
            seg.id
        );
        previous_end = seg.end;
    }
    assert_eq!(interview.stats, Stats::of(&interview.segments), "stats");
    let json = serde_json::to_string(interview).expect("interview serializes");
    let back: Interview = serde_json::from_str(&json).expect("interview deserializes");
    assert_eq!(&back, interview, "JSON round trip");
}

/// A table the store can write: columns typed, every row keyed, the JSON
/// round trip exact.
fn check_sheet(sheet: &Sheet) {
    let table = &sheet.table;
    assert!(
        table.columns.iter().any(|c| c.name == table.key),
        "key {:?} is not a column",
        table.key
    );
    for c in &table.columns {
        assert!(
            matches!(c.kind.as_str(), "boolean" | "number" | "string"),
            "column {:?} of type {:?}",
            c.name,
            c.kind
        );
    }
    for row in &table.rows {
        assert!(
            !row.id.trim().is_empty(),
            "row on line {} without key",
            row.line
        );
        for (name, value) in &row.attributes {
            assert!(
                table.columns.iter().any(|c| &c.name == name),
                "attribute {name:?} is not a column"
            );
            if let voces_corpus::AttrValue::Number(n) = value {
                assert!(n.is_finite(), "number {n} in {name:?}");
            }
        }
    }
    let json = serde_json::to_string(table).expect("table serializes");
    let back: voces_corpus::MetadataTable =
        serde_json::from_str(&json).expect("table deserializes");
    assert_eq!(&back, table, "JSON round trip");
}

/// The pieces of a structure-aware input, at most `n`.
fn parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    data.splitn(n, |b| *b == PART_SEPARATOR).collect()
}

/// A zip archive of these entries (stored, in order).
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in entries {
        w.start_file(*name, options).expect("in-memory zip");
        w.write_all(data).expect("in-memory zip");
    }
    w.finish().expect("in-memory zip").into_inner()
}

const DOCX_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const DOCX_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOCX_CORE: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Fuzz</dc:title><dcterms:created>2024-01-02T03:04:05Z</dcterms:created></cp:coreProperties>"#;

/// A `.docx` whose parts are `word/document.xml`, then `docProps/core.xml`,
/// then `_rels/.rels`.
pub fn docx_of(data: &[u8]) -> Vec<u8> {
    let p = parts(data, 3);
    zip_of(&[
        ("[Content_Types].xml", DOCX_TYPES),
        ("_rels/.rels", p.get(2).copied().unwrap_or(DOCX_RELS)),
        ("word/document.xml", p[0]),
        ("docProps/core.xml", p.get(1).copied().unwrap_or(DOCX_CORE)),
    ])
}

const ODT_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.text";
const ODT_STYLES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"><office:styles><style:style style:name="Strong" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style></office:styles></office:document-styles>"#;
const ODT_META: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Fuzz</dc:title><meta:creation-date>2024-01-02T03:04:05</meta:creation-date></office:meta></office:document-meta>"#;

/// An `.odt` whose parts are `content.xml`, then `styles.xml`, then
/// `meta.xml`.
pub fn odt_of(data: &[u8]) -> Vec<u8> {
    let p = parts(data, 3);
    zip_of(&[
        ("mimetype", ODT_MIMETYPE),
        ("content.xml", p[0]),
        ("styles.xml", p.get(1).copied().unwrap_or(ODT_STYLES)),
        ("meta.xml", p.get(2).copied().unwrap_or(ODT_META)),
    ])
}

const XLSX_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
const XLSX_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const XLSX_WORKBOOK: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const XLSX_WORKBOOK_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
const XLSX_SHARED: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>id</t></si><si><t>country</t></si><si><t>P01</t></si></sst>"#;
const XLSX_STYLES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>"#;

/// An `.xlsx` whose parts are `xl/worksheets/sheet1.xml`, then
/// `xl/sharedStrings.xml`, `xl/styles.xml` and `xl/workbook.xml`.
pub fn xlsx_of(data: &[u8]) -> Vec<u8> {
    let p = parts(data, 4);
    zip_of(&[
        ("[Content_Types].xml", XLSX_TYPES),
        ("_rels/.rels", XLSX_RELS),
        (
            "xl/workbook.xml",
            p.get(3).copied().unwrap_or(XLSX_WORKBOOK),
        ),
        ("xl/_rels/workbook.xml.rels", XLSX_WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", p[0]),
        (
            "xl/sharedStrings.xml",
            p.get(1).copied().unwrap_or(XLSX_SHARED),
        ),
        ("xl/styles.xml", p.get(2).copied().unwrap_or(XLSX_STYLES)),
    ])
}
