//! The reader and the structural check against real files: the REFI-QDA
//! samples of `../shared/refi-qda/samples` (NVivo 15, ATLAS.ti 23,
//! qualitative-coding; skipped with a notice when absent) and the
//! hand-made project of `tests/fixtures/refi/handmade`, which the check
//! passes as written and fails, with the right message, once broken.

#![allow(clippy::print_stdout, reason = "skip notices")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use voces_export::refi::zipsafe::{DEFAULT_LIMITS, SafeZip};
use voces_export::refi::{check, read};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn handmade() -> String {
    std::fs::read_to_string(repo().join("tests/fixtures/refi/handmade/project.qde")).unwrap()
}

#[test]
fn samples_parse_with_the_counts_of_their_project_qde() {
    let dir = repo().join("../shared/refi-qda/samples");
    if !dir.is_dir() {
        println!(
            "skipping samples_parse_with_the_counts_of_their_project_qde: ../shared/refi-qda is not present"
        );
        return;
    }
    // file, sources, codes, selections, codings, users (counted in each
    // project.qde by hand and with xmllint --xpath).
    for (file, sources, codes, selections, codings, users) in [
        ("qualitative-coding-demo.qdpx", 2, 262, 158, 205, 1),
        ("nvivo-mac-15.qdpx", 2, 262, 0, 0, 2),
        ("atlasti-23-codes-only.qdpx", 0, 3, 0, 0, 2),
    ] {
        let path = dir.join(file);
        let mut zip = SafeZip::open(&path, DEFAULT_LIMITS).unwrap();
        let bytes = zip.read("project.qde").unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let mut problems = Vec::new();
        let p = read::parse_project(text, &path, "project.qde", &mut problems).unwrap();
        assert!(problems.is_empty(), "{file}: {problems:?}");
        assert_eq!(p.sources.len(), sources, "{file}");
        assert_eq!(p.all_codes().count(), codes, "{file}");
        assert_eq!(p.selection_count(), selections, "{file}");
        assert_eq!(p.coding_count(), codings, "{file}");
        assert_eq!(p.users.len(), users, "{file}");
        // What tools write passes voces' check too.
        check::project(text, None).unwrap_or_else(|e| panic!("{file}: {e:?}"));
    }
}

#[test]
fn the_check_passes_a_valid_project_and_names_what_breaks_one() {
    // The fixture refers to one code it does not define, on purpose (the
    // import reports it): the check finds it, and passes once it is fixed.
    let fixture = handmade();
    let unknown = "33333333-0000-4000-8000-000000000009";
    assert_eq!(
        check::project(&fixture, None).unwrap_err(),
        [format!("<CodeRef> points to no code ({unknown})")]
    );
    let good = fixture.replace(unknown, "33333333-0000-4000-8000-000000000001");
    let source = "11111111-0000-4000-8000-000000000001";
    let text = std::fs::read_to_string(
        repo().join(format!("tests/fixtures/refi/handmade/Sources/{source}.txt")),
    )
    .unwrap();
    let lengths: BTreeMap<String, usize> =
        BTreeMap::from([(format!("Sources/{source}.txt"), text.chars().count())]);
    check::project(&good, Some(&lengths)).unwrap();

    for (from, to, expected) in [
        (
            "<CodeRef targetGUID=\"33333333-0000-4000-8000-000000000002\"/>",
            "<CodeRef targetGUID=\"33333333-0000-4000-8000-0000000000ff\"/>",
            "<CodeRef> points to no code (33333333-0000-4000-8000-0000000000ff)",
        ),
        (
            "<IntegerValue>34</IntegerValue>",
            "<IntegerValue>34.5</IntegerValue>",
            "<IntegerValue> `34.5` does not fit a variable of type Integer",
        ),
        (
            "color=\"#abc\"",
            "color=\"blue\"",
            "colour `blue` is not #rrggbb or #rgb",
        ),
        (
            "guid=\"33333333-0000-4000-8000-000000000005\"",
            "guid=\"33333333-0000-4000-8000-000000000004\"",
            "GUID 33333333-0000-4000-8000-000000000004 is used twice",
        ),
        (
            "startPosition=\"20\" endPosition=\"34\"",
            "startPosition=\"20\" endPosition=\"900\"",
            "selection 20..900 of source `Entrevista Ana.txt` ends past its text (196 characters)",
        ),
        (
            "<Users>",
            "<Description>d</Description><Users>",
            "<Users> inside <Project> is out of place",
        ),
    ] {
        assert!(good.contains(from), "{from}");
        let bad = good.replacen(from, to, 1);
        let problems = check::project(&bad, Some(&lengths)).unwrap_err();
        assert!(
            problems.iter().any(|p| p == expected),
            "expected `{expected}` in {problems:?}"
        );
    }
}
