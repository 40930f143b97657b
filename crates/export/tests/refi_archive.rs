//! Reading `.qdpx` archives safely: entry names, per-entry and total caps
//! on the declared and the actual decompressed size, and what a refused
//! import leaves behind (nothing).

use std::io::{Cursor, Write};
use std::path::Path;

use voces_export::Error;
use voces_export::refi::zipsafe::{Limits, SafeZip};
use voces_export::refi::{ImportOptions, import};

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn open(bytes: Vec<u8>, limits: Limits) -> Result<SafeZip<Cursor<Vec<u8>>>, Error> {
    SafeZip::new(Path::new("t.qdpx"), Cursor::new(bytes), limits)
}

const SMALL: Limits = Limits {
    max_entry_bytes: 4096,
    max_total_bytes: 6000,
    max_entries: 10,
};

#[test]
fn entries_are_found_ignoring_case_and_read_within_limits() {
    let mut z = open(
        zip_of(&[("project.qde", b"<Project/>"), ("sources/A.txt", b"hola")]),
        SMALL,
    )
    .unwrap();
    assert_eq!(z.find("Sources/A.txt"), Some("sources/A.txt"));
    assert_eq!(z.find("Sources/B.txt"), None);
    assert_eq!(z.read("sources/A.txt").unwrap(), b"hola");
    assert_eq!(z.read_total(), 4);
    let e = z.read("nothing").unwrap_err().to_string();
    assert_eq!(e, "t.qdpx: no zip entry `nothing`");
}

#[test]
fn declared_size_over_the_entry_limit() {
    let big = vec![b'x'; 5000];
    let mut z = open(zip_of(&[("project.qde", &big)]), SMALL).unwrap();
    let e = z.read("project.qde").unwrap_err().to_string();
    assert_eq!(
        e,
        "t.qdpx: zip entry `project.qde` declares a size past the 4 KiB limit per entry (zip bomb?)"
    );
    assert_eq!(z.read_total(), 0);
}

#[test]
fn actual_size_over_a_lying_header() {
    // 70 001 zeros that claim to be 100 bytes in both headers.
    let big = vec![0u8; 70_001];
    let mut bytes = zip_of(&[("project.qde", &big)]);
    let real = (big.len() as u32).to_le_bytes();
    let at: Vec<usize> = bytes
        .windows(4)
        .enumerate()
        .filter_map(|(i, w)| (w == real).then_some(i))
        .collect();
    assert_eq!(at.len(), 2, "local and central headers");
    for i in at {
        bytes[i..i + 4].copy_from_slice(&100u32.to_le_bytes());
    }
    let mut z = open(bytes, SMALL).unwrap();
    let e = z.read("project.qde").unwrap_err().to_string();
    // The zip reader stops at the declared size and fails its check;
    // reading through a cap is the second line of defence.
    assert!(
        e.starts_with("t.qdpx: zip entry `project.qde` is damaged"),
        "{e}"
    );
    assert_eq!(z.read_total(), 0);
}

#[test]
fn total_budget_is_shared_by_entries() {
    let a = vec![b'a'; 4000];
    let mut z = open(zip_of(&[("a", &a), ("b", &a)]), SMALL).unwrap();
    assert!(z.read("a").is_ok());
    let e = z.read("b").unwrap_err().to_string();
    assert_eq!(
        e,
        "t.qdpx: zip entry `b` takes the data read from the archive past the 6000 bytes limit (zip bomb?)"
    );
}

#[test]
fn names_and_shapes_that_are_refused() {
    for (name, why) in [
        ("../x.txt", "its path leaves the archive (`..`)"),
        ("Sources/../../x.txt", "its path leaves the archive (`..`)"),
        ("/x.txt", "its path is absolute"),
        ("C:/x.txt", "its path starts with a drive letter"),
        ("Sources\\x.txt", "its path has a backslash"),
    ] {
        let e = open(zip_of(&[("project.qde", b"<a/>"), (name, b"x")]), SMALL)
            .unwrap_err()
            .to_string();
        assert_eq!(e, format!("t.qdpx: zip entry `{name}` is refused: {why}"));
    }
    let many: Vec<String> = (0..11).map(|i| i.to_string()).collect();
    let entries: Vec<(&str, &[u8])> = many.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let e = open(zip_of(&entries), SMALL).unwrap_err().to_string();
    assert_eq!(
        e,
        "t.qdpx: the archive has 11 entries, more than the 10 voces reads"
    );
    let e = open(b"Interviewer: hola".to_vec(), SMALL)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("t.qdpx: not a REFI-QDA project (not a readable zip archive"),
        "{e}"
    );
}

#[test]
fn a_refused_import_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = voces_corpus::Project::init(dir.path()).unwrap();
    let qde = br#"<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <CodeBook><Codes><Code guid="33333333-0000-4000-8000-000000000001" name="A" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="11111111-0000-4000-8000-000000000001" name="s" plainTextPath="internal://s.txt"/></Sources>
</Project>"#;
    let source = vec![b'y'; 5000];
    let file = dir.path().join("p.qdpx");
    std::fs::write(
        &file,
        zip_of(&[("project.qde", qde), ("Sources/s.txt", &source)]),
    )
    .unwrap();
    let options = ImportOptions {
        limits: SMALL,
        ..ImportOptions::default()
    };
    let e = import(&project, &file, &options, &|_, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        e.ends_with(
            "p.qdpx: zip entry `Sources/s.txt` declares a size past the 4 KiB limit per entry (zip bomb?)"
        ),
        "{e}"
    );
    assert!(!dir.path().join("codebooks").exists());
    assert!(!dir.path().join(".voces/refi").exists());
    assert!(project.store().interview_ids().unwrap().is_empty());
}
