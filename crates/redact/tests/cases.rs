//! Data-driven redaction cases: `fixtures/cases.tsv` (input and expected
//! output, one case a line) redacted with the people of
//! `fixtures/people.tsv` and the privacy settings of `fixtures/voces.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use voces_corpus::{AttrValue, Column, FORMAT_VERSION, MetadataTable, Participant, Project};
use voces_redact::Redactor;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A project with the fixture sheet and settings (and no interviews).
fn project(dir: &Path) -> Project {
    let root = dir.join("study");
    Project::init(&root).unwrap();
    std::fs::copy(fixture("voces.toml"), root.join("voces.toml")).unwrap();
    let project = Project::open(&root).unwrap();
    let text = std::fs::read_to_string(fixture("people.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let rows = lines
        .enumerate()
        .map(|(n, line)| {
            let cells: Vec<&str> = line.split('\t').collect();
            let attributes: BTreeMap<String, AttrValue> = header[1..]
                .iter()
                .zip(&cells[1..])
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| ((*k).to_owned(), AttrValue::Text((*v).to_owned())))
                .collect();
            Participant {
                id: cells[0].to_owned(),
                line: n + 2,
                attributes,
            }
        })
        .collect();
    project
        .store()
        .put_metadata(&MetadataTable {
            format: FORMAT_VERSION,
            name: "people.tsv".into(),
            path: fixture("people.tsv").display().to_string(),
            sha256: String::new(),
            key: header[0].to_owned(),
            columns: header
                .iter()
                .map(|h| Column {
                    name: (*h).to_owned(),
                    kind: "string".into(),
                })
                .collect(),
            rows,
        })
        .unwrap();
    project
}

/// `[PLACE-3]` → `[PLACE]`: only people's numbers are fixed by the sheet.
fn unnumbered(text: &str) -> String {
    let re = regex::Regex::new(r"\[([A-Z]+)-\d+\]").unwrap();
    re.replace_all(text, "[$1]").into_owned()
}

#[test]
fn cases() {
    let tmp = tempfile::tempdir().unwrap();
    let redactor = Redactor::load(&project(tmp.path())).unwrap();
    assert!(!redactor.persistent());
    let cases = std::fs::read_to_string(fixture("cases.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in cases.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (input, expected) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("cases.tsv:{}: no tab", n + 1));
        let got = redactor.redact(input);
        if unnumbered(&got.text) != expected {
            failures.push(format!(
                "cases.tsv:{}:\n  input    {input}\n  expected {expected}\n  got      {}",
                n + 1,
                got.text
            ));
        }
        // Every replacement's offsets agree with both texts.
        let chars: Vec<char> = got.text.chars().collect();
        for r in &got.replacements {
            let shown: String = chars[r.new_start..r.new_end].iter().collect();
            assert_eq!(shown, r.pseudonym, "cases.tsv:{}", n + 1);
            assert_eq!(got.map(r.start), r.new_start);
        }
        count += 1;
    }
    assert!(count >= 40, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn detected_values_keep_their_pseudonym_in_other_forms() {
    let tmp = tempfile::tempdir().unwrap();
    let redactor = Redactor::load(&project(tmp.path())).unwrap();
    let a = redactor.redact_value("+57 310 555 1234");
    let b = redactor.redact_value("llame al 310-555-1234");
    assert_eq!(format!("llame al {a}"), b);
    let c = redactor.redact_value("V-12.345.678");
    assert_eq!(
        redactor.redact_value("V12345678 o v-12345678"),
        format!("{c} o {c}")
    );
}

#[test]
fn attributes_and_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let redactor = Redactor::load(&project(tmp.path())).unwrap();
    assert_eq!(
        redactor.name_columns(),
        ["Nombre completo", "alias", "name"]
    );
    let name = AttrValue::Text("María José Pérez Gómez".into());
    assert_eq!(
        redactor.redact_attribute("name", &name),
        AttrValue::Text("[P01]".into())
    );
    assert_eq!(
        redactor.redact_attribute("alias", &AttrValue::Text("\"el Flaco\"".into())),
        AttrValue::Text("[P06]".into())
    );
    assert_eq!(
        redactor.redact_attribute("name", &AttrValue::Text("Someone Else".into())),
        AttrValue::Text("[NAME]".into())
    );
    assert_eq!(
        redactor.redact_attribute("country", &AttrValue::Text("Colombia".into())),
        AttrValue::Text("Colombia".into())
    );
    assert_eq!(
        redactor.redact_attribute("age", &AttrValue::Number(34.0)),
        AttrValue::Number(34.0)
    );
    assert_eq!(
        redactor.redact_id("maria-perez-2024-maracay"),
        "p01-2024-place-1"
    );
    assert_eq!(redactor.redact_id("ana-gomez#3"), "p05#3");
}

#[test]
fn quotes_cut_through_a_name_show_the_pseudonym() {
    let tmp = tempfile::tempdir().unwrap();
    let redactor = Redactor::load(&project(tmp.path())).unwrap();
    let text = "Entonces Rosa Elena Díaz me llamó.";
    // A quote starting in the middle of "Elena" and ending inside "Díaz".
    let start = text.find("lena").unwrap();
    let end = text[..text.find("az me").unwrap()].chars().count();
    let quote = redactor.redact_span(text, start, end);
    assert_eq!(quote, "[P02]");
    assert_eq!(
        redactor.redact_span(text, 0, text.chars().count()),
        "Entonces [P02] me llamó."
    );
}
