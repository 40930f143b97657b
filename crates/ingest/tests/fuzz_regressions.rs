//! Replays the saved inputs of the ingest fuzz targets on stable Rust: every
//! file in `fuzz/regressions/<target>/` (inputs that once crashed, hung or
//! broke an invariant) and `fuzz/seeds/<target>/` goes through the target's
//! body, the same code `cargo +nightly fuzz run <target>` runs (see
//! `fuzz/README.md`).

#[path = "../../../fuzz/src/ingest.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../../../fuzz/src/replay.rs"]
mod replay;

use std::path::Path;

#[test]
fn saved_fuzz_findings_stay_fixed() {
    let found = replay::inputs("regressions", harness::TARGETS);
    assert!(
        !found.is_empty(),
        "no inputs in fuzz/regressions: the replay would test nothing"
    );
    replay::replay(&found, harness::run);
}

#[test]
fn fuzz_seeds_read_cleanly() {
    let found = replay::inputs("seeds", harness::TARGETS);
    assert!(!found.is_empty(), "no inputs in fuzz/seeds");
    replay::replay(&found, harness::run);
}

#[test]
fn structure_aware_wrappers_make_readable_files() {
    // The wrappers the *_xml targets use must give files the readers accept
    // when the XML is valid, or the fuzzers would explore only error paths.
    let docx = harness::docx_of(
        br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Interviewer: hola</w:t></w:r></w:p></w:body></w:document>"#,
    );
    let options = voces_ingest::ReadOptions::new(&Default::default(), &Default::default())
        .expect("default options");
    let interview = voces_ingest::ingest_bytes(Path::new("w.docx"), &docx, &options)
        .expect("wrapped docx reads");
    assert_eq!(interview.title, "Fuzz");
    let odt = harness::odt_of(
        br#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>Entrevistador: hola</text:p></office:text></office:body></office:document-content>"#,
    );
    let interview =
        voces_ingest::ingest_bytes(Path::new("w.odt"), &odt, &options).expect("wrapped odt reads");
    assert_eq!(interview.segments.len(), 1);
    let xlsx = harness::xlsx_of(
        br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="inlineStr"><is><t>Chile</t></is></c></row></sheetData></worksheet>"#,
    );
    let sheet =
        voces_ingest::metadata::read_metadata_bytes(Path::new("w.xlsx"), &xlsx, None, &options)
            .expect("wrapped xlsx reads");
    assert_eq!(sheet.table.key, "id");
    assert_eq!(sheet.table.rows[0].id, "P01");
}

#[test]
fn timestamps_are_the_nearest_double() {
    // Found by the vtt target: `1 + 0.118` is 1.1179999999999999, which
    // JSON showed as such and read back as another number.
    for (text, want) in [
        ("00:00:01.118", 1.118),
        ("00:01:02.849", 62.849),
        ("1:05,132", 65.132),
        ("00:00:00.000000001", 1e-9),
    ] {
        assert_eq!(voces_ingest::parse_timestamp(text), Some(want), "{text}");
    }
}
