//! Importing coded tables (`tests/fixtures/import/`): CSV with a quote
//! column and codebook labels, a workbook with segment ids on its second
//! sheet, columns named by the caller, and files that are not tables.

use std::path::{Path, PathBuf};

use voces_code::import::{Columns, ImportOptions, import};
use voces_code::{Codebook, Coding};
use voces_corpus::{IngestConfig, Project, ProjectConfig};
use voces_ingest::{ReadOptions, ingest_bytes};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

const CODEBOOK: &str = r#"
[codebook]
name = "import test"
version = "1"
languages = ["en", "es"]

[[code]]
id = "smuggling"
labels = { en = "Smuggling", es = "Tráfico de migrantes" }
[[code.rule]]
id = "smuggling/es/coyote"
lang = "es"
terms = ["coyote"]

[[code]]
id = "smuggling.payment"
parent = "smuggling"

[[code]]
id = "asylum"
labels = { en = "Asylum and protection", es = "Asilo y protección" }
[[code.rule]]
id = "asylum/es/asilo"
lang = "es"
terms = ["asilo"]

[[code]]
id = "asylum.claims"
parent = "asylum"

[[code]]
id = "documentation"
labels = { en = "Documentation and legal status", es = "Documentación y estatus legal" }
[[code.rule]]
id = "documentation/es/papeles"
lang = "es"
phrases = ["sin papeles"]
"#;

/// A project holding the fixture interview.
fn project() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path()).unwrap();
    let options = ReadOptions::new(&ProjectConfig::default(), &IngestConfig::default()).unwrap();
    let path = fixtures().join("entrevista-07.txt");
    let interview = ingest_bytes(&path, &std::fs::read(&path).unwrap(), &options).unwrap();
    project.store().put_interview(&interview).unwrap();
    (dir, project)
}

fn codebook() -> Codebook {
    Codebook::parse(CODEBOOK, Path::new("test.toml"), &[]).unwrap()
}

#[allow(clippy::unnecessary_wraps, reason = "the signature `import` takes")]
fn none(_: &str) -> voces_code::Result<Vec<Coding>> {
    Ok(Vec::new())
}

#[test]
fn csv_with_quotes_labels_and_problems() {
    let (_dir, project) = project();
    let path = fixtures().join("codings.csv");
    let report = import(
        &path,
        &ImportOptions::default(),
        &project.store(),
        Some(&codebook()),
        &mut none,
    )
    .unwrap();
    let columns: Vec<String> = report
        .columns
        .iter()
        .map(|(r, h)| format!("{r}={h}"))
        .collect();
    assert_eq!(
        columns,
        [
            "interview=Documento",
            "quote=Cita",
            "coder=Codificador",
            "code=Código"
        ]
    );
    assert_eq!((report.rows, report.without_code), (6, 1));
    let entries = &report.entries["Ana-María"];
    let got: Vec<(String, String, String, String)> = entries
        .iter()
        .map(|e| {
            (
                e.segment.clone(),
                e.code.clone(),
                e.quote.clone(),
                e.source.clone().unwrap(),
            )
        })
        .collect();
    let row = |s: &str, c: &str, q: &str, l: &str| {
        (s.to_owned(), c.to_owned(), q.to_owned(), l.to_owned())
    };
    assert_eq!(
        got,
        [
            row(
                "entrevista-07#2",
                "smuggling",
                "Pagamos a un coyote tres mil dólares",
                "codings.csv:2"
            ),
            row(
                "entrevista-07#4",
                "asylum",
                "Después pedimos asilo en la frontera.",
                "codings.csv:3"
            ),
            row(
                "entrevista-07#4",
                "asylum.claims",
                "Después pedimos asilo en la frontera.",
                "codings.csv:3"
            ),
            row(
                "entrevista-07#6",
                "documentation",
                "No, no tenemos papeles",
                "codings.csv:5"
            ),
            row(
                "entrevista-07#6",
                "vida-cotidiana",
                "No, no tenemos papeles",
                "codings.csv:5"
            ),
        ]
    );
    let problems: Vec<String> = report
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.line, p.message))
        .collect();
    assert_eq!(
        problems,
        [
            "6: quote not found in interview `entrevista-07`: \"Esto nunca se dijo\"",
            "7: no interview `entrevista-99` in the project",
        ]
    );
    assert_eq!(
        report.foreign_codes.iter().collect::<Vec<_>>(),
        ["vida-cotidiana"]
    );
    // The spans are the interview's text.
    let interview = project.store().interview("entrevista-07").unwrap();
    for e in entries {
        let quote: String = interview
            .text
            .chars()
            .skip(e.start)
            .take(e.end - e.start)
            .collect();
        assert_eq!(quote, e.quote);
    }
    // What the coder already has is not added again.
    let existing: Vec<Coding> = entries
        .iter()
        .map(|e| Coding {
            interview: e.interview.clone(),
            segment: e.segment.clone(),
            start: e.start,
            end: e.end,
            code: e.code.clone(),
            coder: e.coder.clone(),
            rule: None,
            codebook: None,
            matched: vec![],
            quote: e.quote.clone(),
        })
        .collect();
    let again = import(
        &path,
        &ImportOptions::default(),
        &project.store(),
        Some(&codebook()),
        &mut |_| Ok(existing.clone()),
    )
    .unwrap();
    assert!(again.entries.is_empty());
    assert_eq!(again.already, 5);
}

#[test]
fn workbook_sheet_segments_and_named_columns() {
    let (_dir, project) = project();
    let path = fixtures().join("codings.xlsx");
    // The first sheet holds no codings.
    let err = import(
        &path,
        &ImportOptions::default(),
        &project.store(),
        None,
        &mut none,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("codings.xlsx: no header row"), "{err}");
    let options = ImportOptions {
        sheet: Some("codings".to_owned()),
        columns: Columns {
            code: vec!["Codes".to_owned(), "stage".to_owned()],
            ..Columns::default()
        },
        ..ImportOptions::default()
    };
    let report = import(
        &path,
        &options,
        &project.store(),
        Some(&codebook()),
        &mut none,
    )
    .unwrap();
    let got: Vec<(String, String, String)> = report.entries["Ben"]
        .iter()
        .map(|e| (e.segment.clone(), e.code.clone(), e.source.clone().unwrap()))
        .collect();
    let row = |s: &str, c: &str, l: &str| (s.to_owned(), c.to_owned(), l.to_owned());
    assert_eq!(
        got,
        [
            row("entrevista-07#4", "asylum", "codings.xlsx:4"),
            row("entrevista-07#4", "stage.claims", "codings.xlsx:4"),
            row("entrevista-07#2", "smuggling.payment", "codings.xlsx:5"),
            row("entrevista-07#2", "stage.payment", "codings.xlsx:5"),
        ]
    );
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].ends_with(
            "codings.xlsx:6: no segment `entrevista-07#40` in interview `entrevista-07`"
        ),
        "{problems:?}"
    );
    // A whole segment is coded without the text around the turn.
    let e = &report.entries["Ben"][0];
    assert_eq!(
        e.quote,
        "Después pedimos asilo en la frontera. Nos dieron una cita para dentro de seis meses."
    );
    // A column that does not exist is named in the error, with the others.
    let options = ImportOptions {
        columns: Columns {
            code: vec!["Tags".to_owned()],
            ..Columns::default()
        },
        sheet: Some("Codings".to_owned()),
        ..ImportOptions::default()
    };
    let err = import(&path, &options, &project.store(), None, &mut none)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no column `Tags` for the code; the columns are "),
        "{err}"
    );
    assert!(
        err.contains("`Document name`, `Segment`, `Codes`, `User`, `Stage`"),
        "{err}"
    );
}

#[test]
fn files_that_are_not_tables_are_errors() {
    let (dir, project) = project();
    let cases: [(&str, &[u8], &str); 5] = [
        ("empty.csv", b"", "no header row"),
        ("binary.csv", b"a,b\x00\xff\xfe,c\n", "binary data"),
        ("bogus.xlsx", b"not a zip", "cannot read the workbook"),
        ("header.csv", b"interview,quote\n", "no code column"),
        (
            "nocoder.csv",
            b"interview,quote,code\nx,y,z\n",
            "no coder column",
        ),
    ];
    for (name, bytes, want) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = import(
            &path,
            &ImportOptions::default(),
            &project.store(),
            None,
            &mut none,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains(want), "{name}: {err}");
    }
}
