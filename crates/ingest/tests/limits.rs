//! Every input limit of `voces-ingest`, through the public entry points: a
//! file just inside a limit is read, one just past it gets a one-line error
//! (a `hint:` line may follow) that names the file and the limit. The
//! limits are listed in the documentation of `voces_ingest::readers`.

use std::io::Write;
use std::path::Path;

use voces_corpus::SourceFormat;
use voces_ingest::decode::{MAX_LINE_BYTES, MAX_LINES};
use voces_ingest::metadata::{MAX_CELLS, MAX_COLUMNS, read_metadata, read_metadata_bytes};
use voces_ingest::readers::MAX_TURNS;
use voces_ingest::zipxml::{MAX_DEPTH, MAX_ENTRIES};
use voces_ingest::{Error, Input, ReadOptions, ingest_bytes, ingest_file};

fn options() -> ReadOptions {
    ReadOptions::new(&Default::default(), &Default::default()).expect("default options")
}

/// The error of reading `bytes` as the transcript `name`.
fn transcript_error(name: &str, bytes: &[u8], options: &ReadOptions) -> String {
    match ingest_bytes(Path::new(name), bytes, options) {
        Ok(i) => panic!("{name} was read ({} segments)", i.segments.len()),
        Err(e) => one_line(&e, name),
    }
}

/// The error of reading `bytes` as the attribute sheet `name`.
fn sheet_error(name: &str, bytes: &[u8], options: &ReadOptions) -> String {
    match read_metadata_bytes(Path::new(name), bytes, None, options) {
        Ok(s) => panic!("{name} was read ({} rows)", s.table.rows.len()),
        Err(e) => one_line(&e, name),
    }
}

/// The first line of an error, checked to name the file and to be followed
/// only by `hint:` lines.
fn one_line(e: &Error, name: &str) -> String {
    let text = e.to_string();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default().to_owned();
    assert!(
        first.starts_with(name) || first.contains(&format!("/{name}:")),
        "{first}"
    );
    for rest in lines {
        assert!(rest.starts_with("hint: "), "second line in {text:?}");
    }
    first
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, o).expect("in-memory zip");
        w.write_all(data).expect("in-memory zip");
    }
    w.finish().expect("in-memory zip").into_inner()
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A `.docx` of these `w:body` contents.
fn docx(body: &str) -> Vec<u8> {
    let xml = format!(r#"<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#);
    zip_of(&[("word/document.xml", xml.as_bytes())])
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

#[test]
fn file_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut o = options();
    o.max_file_bytes = 2 << 20;
    let path = dir.path().join("big.txt");
    let turn = format!("I: {}\n", "hola ".repeat(12));
    let mut text = turn.repeat((2 << 20) / turn.len() + 1);
    std::fs::write(&path, &text).expect("write");
    let e = ingest_file(&path, &o).unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }), "{e:?}");
    assert!(
        one_line(&e, "big.txt").ends_with("big.txt: file is 2 MiB, over the 2 MiB limit"),
        "{e}"
    );
    // A file of the limit's size is read whole.
    text.truncate(2 << 20);
    std::fs::write(&path, &text).expect("write");
    assert_eq!(
        voces_ingest::read_file(&path, o.max_file_bytes).expect("read"),
        text.as_bytes()
    );
    // Sheets share the limit.
    let sheet = dir.path().join("big.csv");
    std::fs::write(&sheet, "id,x\n".repeat((2 << 20) / 5 + 1)).expect("write");
    let e = read_metadata(&sheet, None, &o).unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }), "{e:?}");
}

#[test]
fn zip_entry_count() {
    let names: Vec<String> = (0..MAX_ENTRIES).map(|i| format!("f{i}")).collect();
    let mut entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    entries.push(("word/document.xml", b"<w:document/>"));
    let bytes = zip_of(&entries);
    let o = options();
    assert_eq!(
        transcript_error("many.docx", &bytes, &o),
        format!(
            "many.docx: not a valid .docx file (the zip archive has {} entries, more than the {MAX_ENTRIES} voces reads)",
            MAX_ENTRIES + 1
        )
    );
    assert!(sheet_error("many.xlsx", &bytes, &o).starts_with(&format!(
        "many.xlsx: not a valid workbook (the zip archive has {} entries",
        MAX_ENTRIES + 1
    )));
}

#[test]
fn zip_unzipped_size() {
    // 2 MiB of paragraphs that deflate to a few KiB.
    let turn = format!("Interviewer: {}", "hola, ¿cómo está usted? ".repeat(8));
    let body = para(&turn).repeat(10_000);
    let bytes = docx(&body);
    assert!(body.len() > 2 << 20 && bytes.len() < 1 << 20);
    let mut o = options();
    o.max_unzipped_bytes = 1 << 20;
    assert_eq!(
        transcript_error("bomb.docx", &bytes, &o),
        "bomb.docx: zip entry word/document.xml expands past the 1 MiB limit (zip bomb?)"
    );
    o.max_unzipped_bytes = 4 << 20;
    assert!(ingest_bytes(Path::new("fine.docx"), &bytes, &o).is_ok());
}

#[test]
fn zip_unzipped_size_counts_actual_bytes() {
    // An entry whose headers claim 100 bytes holds 1 MiB: the bytes read
    // are what count, not the claim.
    let big = "<w:document/>".repeat(80_660);
    let mut bytes = zip_of(&[("word/document.xml", big.as_bytes())]);
    let real = (big.len() as u32).to_le_bytes();
    let mut patched = 0;
    for i in 0..bytes.len() - 4 {
        if bytes[i..i + 4] == real {
            bytes[i..i + 4].copy_from_slice(&100u32.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local and central headers");
    let mut o = options();
    o.max_unzipped_bytes = 4096;
    let e = transcript_error("liar.docx", &bytes, &o);
    assert!(
        e.starts_with("liar.docx: zip entry word/document.xml "),
        "{e}"
    );
}

#[test]
fn xml_depth() {
    let nest = |n: usize| {
        format!(
            "{}{}{}",
            "<w:tbl>".repeat(n),
            para("I: hola"),
            "</w:tbl>".repeat(n)
        )
    };
    let o = options();
    // The document, body and paragraph elements count too.
    let e = transcript_error("deep.docx", &docx(&nest(MAX_DEPTH)), &o);
    assert_eq!(
        e,
        format!("deep.docx: word/document.xml nests elements more than {MAX_DEPTH} deep")
    );
    assert!(ingest_bytes(Path::new("ok.docx"), &docx(&nest(MAX_DEPTH - 8)), &o).is_ok());
}

/// A text of `I: ` then `n` bytes on one line.
fn long_line(n: usize) -> String {
    let mut s = String::from("I: ");
    s.push_str(&"palabra ".repeat(n / 8 + 1)[..n]);
    s.push('\n');
    s
}

#[test]
fn line_length() {
    let o = options();
    let long = long_line(MAX_LINE_BYTES);
    let expected = |name: &str, line: usize| {
        format!(
            "{name}: line {line} is longer than 1 MiB, the most voces reads on one line (is it a text file?)"
        )
    };
    assert_eq!(
        transcript_error("long.txt", long.as_bytes(), &o),
        expected("long.txt", 1)
    );
    let within = long_line(MAX_LINE_BYTES - 3);
    assert!(ingest_bytes(Path::new("ok.txt"), within.as_bytes(), &o).is_ok());
    let vtt = format!("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{long}");
    assert_eq!(
        transcript_error("long.vtt", vtt.as_bytes(), &o),
        expected("long.vtt", 4)
    );
    let srt = format!("1\r\n00:00:01,000 --> 00:00:02,000\r\n{long}");
    assert_eq!(
        transcript_error("long.srt", srt.as_bytes(), &o),
        expected("long.srt", 3)
    );
    let cha = format!("@UTF8\n@Begin\n*{long}");
    assert_eq!(
        transcript_error("long.cha", cha.as_bytes(), &o),
        expected("long.cha", 3)
    );
    let csv = format!("id,text\nP1,{long}");
    assert_eq!(
        sheet_error("long.csv", csv.as_bytes(), &o),
        expected("long.csv", 2)
    );
    assert_eq!(
        transcript_error("long.docx", &docx(&para(&long)), &o),
        "long.docx: the document has a paragraph longer than 1 MiB, the most voces reads on one line"
    );
}

#[test]
fn a_100_mb_line_is_refused_without_reading_it() {
    let mut o = options();
    o.max_file_bytes = 256 << 20;
    let line = long_line(100 << 20);
    let start = std::time::Instant::now();
    assert_eq!(
        transcript_error("huge.txt", line.as_bytes(), &o),
        "huge.txt: line 1 is longer than 1 MiB, the most voces reads on one line (is it a text file?)"
    );
    // Decoding and one scan, never the quadratic or per-word work of
    // reading the line (generous for a debug build on a busy machine).
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
}

#[test]
fn line_count() {
    let o = options();
    let many = "I: a\n\n".repeat(MAX_LINES / 2) + "\n";
    assert_eq!(
        transcript_error("many.txt", many.as_bytes(), &o),
        format!("many.txt: more than {MAX_LINES} lines, the most voces reads from one file")
    );
    let csv = "id\n".to_owned() + &"\n".repeat(MAX_LINES);
    assert_eq!(
        sheet_error("many.csv", csv.as_bytes(), &o),
        format!("many.csv: more than {MAX_LINES} lines, the most voces reads from one file")
    );
    // Paragraphs are joined by a blank line: two lines each.
    let paragraphs = para("a").repeat(MAX_LINES / 2 + 1);
    let e = transcript_error("many.docx", &docx(&paragraphs), &o);
    assert_eq!(
        e,
        format!(
            "many.docx: the document has more than {MAX_LINES} lines of text, the most voces reads from one file"
        )
    );
}

#[test]
fn turn_count() {
    let o = options();
    let expected = |name: &str| {
        format!("{name}: more than {MAX_TURNS} turns, the most voces reads from one transcript")
    };
    let turns = |n: usize| "I: a\nE: b\n".repeat(n / 2);
    assert_eq!(
        transcript_error("turns.txt", turns(MAX_TURNS + 2).as_bytes(), &o),
        expected("turns.txt")
    );
    // At the limit the reader gives every turn (the builder is left out:
    // it is slow in a debug build).
    let text = turns(MAX_TURNS);
    let input = Input {
        path: Path::new("ok.txt"),
        bytes: text.as_bytes(),
        options: &o,
    };
    let read = voces_ingest::readers::read(SourceFormat::Text, &input).expect("read");
    assert_eq!(read.turns.len(), MAX_TURNS);
    // Voice tags make a turn each from a few bytes of one line.
    let voices = "<v A>a<v B>b".repeat(MAX_TURNS / 2 + 1);
    let vtt = format!("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{voices}\n");
    assert_eq!(
        transcript_error("voices.vtt", vtt.as_bytes(), &o),
        expected("voices.vtt")
    );
    let cha = "@UTF8\n@Begin\n".to_owned() + &"*A:\ta .\n*B:\tb .\n".repeat(MAX_TURNS / 2 + 1);
    assert_eq!(
        transcript_error("turns.cha", cha.as_bytes(), &o),
        expected("turns.cha")
    );
}

#[test]
fn sheet_columns() {
    let o = options();
    let header: Vec<String> = (0..=MAX_COLUMNS).map(|i| format!("c{i}")).collect();
    let csv = format!("{}\n{}\n", header.join(","), header.join(","));
    assert_eq!(
        sheet_error("wide.csv", csv.as_bytes(), &o),
        format!(
            "wide.csv:1: {} fields, more than the {MAX_COLUMNS} columns a sheet may have",
            MAX_COLUMNS + 1
        )
    );
    let csv = format!(
        "{}\n{}\n",
        header[..MAX_COLUMNS].join(","),
        header[..MAX_COLUMNS].join(",")
    );
    assert!(read_metadata_bytes(Path::new("ok.csv"), csv.as_bytes(), None, &o).is_ok());
}

#[test]
fn sheet_cells_and_rows() {
    // Rows count through their cells: every row kept has one at least.
    // Three cells a row, so that the cells run out before the lines do.
    let o = options();
    let rows = (MAX_CELLS - 3) / 3 + 1;
    let csv = "id,x,y\n".to_owned() + &"p,q,r\n".repeat(rows);
    let e = sheet_error("cells.csv", csv.as_bytes(), &o);
    assert_eq!(
        e,
        format!(
            "cells.csv:{}: more than {MAX_CELLS} non-empty cells; voces reads attribute sheets of one row per interview or participant",
            rows + 1
        )
    );
}
