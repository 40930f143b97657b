//! `voces ingest`: incremental behaviour, metadata joins and bad input.

use std::io::Write;

use crate::util::{TestProject, stderr};

const TURNS: &str = "Interviewer: When did you arrive?\nParticipant: In 2023, after the cut-off date, so we did not qualify.\n";

#[test]
fn reingest_is_a_noop_and_a_change_replaces() {
    let p = TestProject::new();
    let file = p.write("t/ana.txt", TURNS);
    let first = p.run(&["ingest", "t"]);
    assert!(
        stderr(&first).contains("1 new, 0 changed, 0 unchanged, 0 failed"),
        "{}",
        stderr(&first)
    );
    let before = std::fs::read(p.path().join(".voces/corpus/interviews/ana.json")).unwrap();
    let second = p.run(&["ingest", "t"]);
    assert!(
        stderr(&second).contains("0 new, 0 changed, 1 unchanged"),
        "{}",
        stderr(&second)
    );
    let after = std::fs::read(p.path().join(".voces/corpus/interviews/ana.json")).unwrap();
    assert_eq!(before, after);

    std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap()
        .write_all(b"Interviewer: And then?\nParticipant: We waited eight months.\n")
        .unwrap();
    let third = p.run(&["ingest", "t"]);
    assert!(
        stderr(&third).contains("0 new, 1 changed"),
        "{}",
        stderr(&third)
    );
    assert_eq!(p.show("ana")["segments"].as_array().unwrap().len(), 4);
}

#[test]
fn a_decomposed_file_name_is_one_interview_and_totals_count_the_whole_corpus() {
    // `José` as macOS may write it: `e` then a combining acute accent.
    let p = TestProject::new();
    p.write("t/Jose\u{301}.txt", TURNS);
    let first = p.run(&["ingest", "--no-index", "t"]);
    assert!(
        stderr(&first).contains("corpus: 1 interviews, 2 segments"),
        "{}",
        stderr(&first)
    );
    assert_eq!(p.show("José")["id"], "José");
    let second = p.run(&["ingest", "--no-index", "t"]);
    assert!(
        stderr(&second).contains("0 new, 0 changed, 1 unchanged"),
        "{}",
        stderr(&second)
    );
    // Another folder: the totals still count the first interview.
    p.write("u/bea.txt", TURNS);
    let third = p.run(&["ingest", "--no-index", "u"]);
    assert!(
        stderr(&third).contains("1 new, 0 changed, 0 unchanged")
            && stderr(&third).contains("corpus: 2 interviews, 4 segments"),
        "{}",
        stderr(&third)
    );
}

#[test]
fn bad_files_are_skipped_with_one_line_each_and_the_rest_ingested() {
    let p = TestProject::new();
    p.write("in/good.txt", TURNS);
    p.write("in/empty.txt", "");
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    p.write("in/junk.txt", &junk);
    p.write("in/notazip.docx", "this is not a word document");
    p.write("in/notanodt.odt", "neither is this");
    p.write("in/broken.vtt", "not a webvtt file at all");
    let out = p.run(&["ingest", "in"]);
    assert_eq!(out.status.code(), Some(1), "partial failure exit code");
    let err = stderr(&out);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 5, "{err}");
    for (file, reason) in [
        ("empty.txt", "empty file"),
        ("junk.txt", "binary content"),
        ("notazip.docx", "not a zip"),
        ("notanodt.odt", "not a zip"),
        ("broken.vtt", "WEBVTT"),
    ] {
        assert!(
            errors
                .iter()
                .any(|l| l.contains(file) && l.contains(reason)),
            "no error line for {file} ({reason}) in:\n{err}"
        );
    }
    let ids: Vec<String> = p
        .list()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["good"]);
}

#[test]
fn latin1_file_is_decoded() {
    let p = TestProject::new();
    let bytes = "E: ¿Tenía papeles?\nI: No, señor, estábamos sin papeles y nos negaron la cita.\n"
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect::<Vec<u8>>();
    p.write("latin1.txt", bytes);
    p.ok(&["ingest", "latin1.txt", "-q"]);
    let i = p.show("latin1");
    assert_eq!(i["source"]["encoding"], "windows-1252");
    assert_eq!(
        i["segments"][1]["text"],
        "No, señor, estábamos sin papeles y nos negaron la cita."
    );
}

#[test]
fn oversized_file_is_refused_without_reading_it() {
    let p = TestProject::new();
    p.write("small.txt", TURNS);
    let big = p.path().join("huge.txt");
    // A sparse 200 MB file: cheap to make, and voces must not load it.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let out = p.run(&["ingest", "small.txt", "huge.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("huge.txt: file is 200 MiB, over the 64 MiB limit"),
        "{err}"
    );
    assert_eq!(p.list().len(), 1);
}

#[test]
fn duplicate_ids_keep_the_first_file() {
    let p = TestProject::new();
    p.write("a/maria.txt", TURNS);
    p.write("b/maria.md", TURNS);
    let out = p.run(&["ingest", "a", "b"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("duplicate interview id `maria`"),
        "{}",
        stderr(&out)
    );
    let list = p.list();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["file"], "maria.txt");
    // A later run with the other file is refused too, the stored one kept.
    let again = p.run(&["ingest", "b"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("is already used by"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn unsupported_named_file_is_an_error() {
    let p = TestProject::new();
    p.write("notes.pdf", "%PDF-1.4");
    let out = p.run(&["ingest", "notes.pdf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("notes.pdf: unsupported file type `.pdf`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn metadata_joins_by_file_stem_and_reports_unmatched_rows() {
    let p = TestProject::new();
    p.write("t/ana.en.txt", TURNS);
    p.write("t/luis.txt", TURNS);
    p.write(
        "people.csv",
        "file;country;group;age\r\nana;Colombia;migrant;34\r\nluis.txt;Ecuador;expert;51\r\nnobody;Peru;migrant;20\r\n",
    );
    let out = p.run(&["ingest", "t", "--metadata", "people.csv"]);
    let err = stderr(&out);
    assert!(
        err.contains("people.csv:4: row `nobody` matches no interview"),
        "{err}"
    );
    let list = p.list();
    let ana = list.iter().find(|r| r["id"] == "ana.en").unwrap();
    assert_eq!(ana["attributes"]["country"], "Colombia");
    assert_eq!(ana["attributes"]["age"], 34.0);
    let luis = list.iter().find(|r| r["id"] == "luis").unwrap();
    assert_eq!(luis["attributes"]["group"], "expert");
}

#[test]
fn metadata_not_a_spreadsheet_is_an_error() {
    let p = TestProject::new();
    p.write("t.txt", TURNS);
    p.write("participants.xlsx", "id,country\nt,Colombia\n");
    let out = p.run(&["ingest", "t.txt", "--metadata", "participants.xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("participants.xlsx: not a valid .xlsx file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(p.list().len(), 1);
}

#[test]
fn no_temporary_files_are_left() {
    let p = TestProject::new();
    for i in 0..20 {
        p.write(&format!("t/i{i:02}.txt"), TURNS);
    }
    p.ok(&["ingest", "t", "-q"]);
    let leftovers: Vec<_> = std::fs::read_dir(p.path().join(".voces/corpus/interviews"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            !e.file_name().to_string_lossy().ends_with(".json")
                || e.file_name().to_string_lossy().starts_with('.')
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(p.list().len(), 20);
}
