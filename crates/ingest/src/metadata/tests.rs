//! Tests over the fixtures in `tests/fixtures/metadata/` (made by
//! `make_fixtures.py` there) and, when the shared folder is present, over
//! real attribute sheets.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use voces_corpus::{AttrValue, IngestConfig, ProjectConfig};

use super::{Sheet, read_metadata};
use crate::ReadOptions;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/metadata")
        .join(name)
}

fn options() -> ReadOptions {
    ReadOptions::new(&ProjectConfig::default(), &IngestConfig::default()).unwrap()
}

fn read(name: &str, key: Option<&str>) -> Sheet {
    read_metadata(&fixture(name), key, &options()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The error reading a fixture, with the folder cut from the path.
fn error(name: &str, options: &ReadOptions) -> String {
    let e = read_metadata(&fixture(name), None, options).expect_err(name);
    let dir = fixture("").display().to_string();
    e.to_string().replace(&dir, "")
}

/// What a user looks at: the key, the columns and their types, each row
/// (line, id, attributes) and the warnings.
fn summary(sheet: &Sheet) -> String {
    let t = &sheet.table;
    let mut s = format!("key: {}\ncolumns:", t.key);
    for c in &t.columns {
        let _ = write!(s, " {}:{}", c.name, c.kind);
    }
    s.push('\n');
    for row in &t.rows {
        let _ = write!(s, "{} {}:", row.line, row.id);
        for (k, v) in &row.attributes {
            match v {
                AttrValue::Text(x) => {
                    let _ = write!(s, " {k}={x:?}");
                }
                v => {
                    let _ = write!(s, " {k}={v}");
                }
            }
        }
        s.push('\n');
    }
    for w in &sheet.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}

/// Reads a fixture and compares its summary with `expected` (indentation
/// of `expected` ignored).
fn check(name: &str, key: Option<&str>, expected: &str) {
    let sheet = read(name, key);
    assert_eq!(sheet.table.name, name);
    assert!(Path::new(&sheet.table.path).is_absolute());
    assert_eq!(sheet.table.sha256.len(), 64);
    let expected: String = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .fold(String::new(), |mut s, l| {
            let _ = writeln!(s, "{l}");
            s
        });
    assert_eq!(summary(&sheet), expected, "{name}");
}

#[test]
fn comma() {
    check(
        "comma.csv",
        None,
        r#"
        key: id
        columns: id:string name:string age:number height:number consented:boolean code:string birthplace:string interviewed:string
        2 P01: age=34 birthplace="Oaxaca, México" code="007" consented=true height=1.62 interviewed="2019-03-04" name="Ana Pérez"
        3 P02: age=51 birthplace="Lima" code="120" consented=false height=1.8 interviewed="2019-04-11" name="Bruno Díaz"
        4 P03: age=29 birthplace="Shanghai" code="5" consented=true interviewed="2019-05-02" name="Chen, Li"
        "#,
    );
}

#[test]
fn semicolon_crlf_spanish() {
    // `;` and CRLF; `Sí`/`No` are booleans; `NA` is a missing value.
    check(
        "semicolon-crlf.csv",
        None,
        r#"
        key: Entrevista
        columns: Entrevista:string Edad:number País:string Migró:boolean Ingresos:number
        2 E01: Edad=45 Ingresos=1200.5 Migró=true País="Chile"
        3 E02: Edad=38 Migró=false País="Perú"
        4 E03: Edad=61 Ingresos=980 Migró=true País="Bolivia"
        "#,
    );
}

#[test]
fn tabs() {
    check(
        "tabs.tsv",
        None,
        r#"
        key: file
        columns: file:string group:string years in US:number
        2 maria.docx: group="migrants, first generation" years in US=12
        3 jose.docx: group="migrants, second generation" years in US=0
        "#,
    );
}

#[test]
fn windows_1252() {
    check(
        "cp1252.csv",
        None,
        r#"
        key: participante
        columns: participante:string ciudad:string ocupación:string año:number
        2 Lucía: año=2018 ciudad="Bogotá" ocupación="técnica en enfermería"
        3 Iñaki: año=2020 ciudad="Málaga" ocupación="camarero"
        "#,
    );
}

#[test]
fn quoted_newlines_keep_line_numbers() {
    check(
        "quoted-newlines.csv",
        None,
        r#"
        key: id
        columns: id:string notes:string age:number
        2 P1: age=40 notes="first line\nsecond line\nthird line"
        5 P2: age=41 notes="one, with \"quotes\""
        6 P3: age=42 notes="plain"
        "#,
    );
}

#[test]
fn duplicate_and_empty_keys() {
    check(
        "duplicates.csv",
        None,
        r#"
        key: participant_id
        columns: participant_id:string site:string score:number
        2 P01: score=3 site="north"
        3 P02: score=4 site="south"
        9 P03: score=9 site="north"
        warning: duplicates.csv:4: no value in the key column "participant_id"; row skipped
        warning: duplicates.csv:6: duplicate id "P01" (first on line 2); row skipped
        warning: duplicates.csv:7: duplicate id "p02" (first on line 3, as "P02"); row skipped
        warning: duplicates.csv:8: no value in the key column "participant_id"; row skipped
        "#,
    );
}

#[test]
fn ragged_rows() {
    check(
        "ragged.csv",
        None,
        r#"
        key: id
        columns: id:string a:number b:number column_4:number
        2 R1: a=1 b=2
        3 R2: a=1
        4 R3: a=1 b=2 column_4=3
        5 R4: a=1 b=2
        warning: ragged.csv:1: column 4 has no header; named "column_4"
        warning: ragged.csv:3: 2 fields where the header has 3
        warning: ragged.csv:4: 4 fields where the header has 3
        "#,
    );
}

#[test]
fn xlsx() {
    // The first sheet is empty; the data starts at B3 with a blank column
    // in it; `Ratio` has a #DIV/0! cell; a third sheet has data too.
    check(
        "participants.xlsx",
        None,
        r#"
        key: ID
        columns: ID:string Country:string Age:number Consented:boolean Interviewed:string Code:string Ratio:number Notes:string
        4 P01: Age=34 Code="007" Consented=true Country="Chile" Interviewed="2019-03-04" Notes="first" Ratio=0.5
        5 P02: Age=51 Code="120" Consented=false Country="Perú" Interviewed="2019-04-11T14:30:00"
        6 P03: Age=29.5 Code="5" Consented=true Country="México" Interviewed="2020-01-15" Notes="padded" Ratio=1.25
        warning: participants.xlsx: 2 sheets hold data; read the first, "Participants", and not "Codes"
        warning: participants.xlsx: 1 cell with a formula error (#DIV/0!, #N/A...) read as empty
        "#,
    );
}

#[test]
fn xlsx_cell_in_the_far_corner_is_streamed() {
    // A1 and XFD1048576: a 17-billion-cell rectangle if laid out.
    check(
        "far-corner.xlsx",
        None,
        r#"
        key: id
        columns: id:string note:string column_16384:string
        2 P1: note="near"
        warning: far-corner.xlsx:1: column 16384 has no header; named "column_16384"
        warning: far-corner.xlsx:1048576: no value in the key column "id"; row skipped
        "#,
    );
}

#[test]
fn ods() {
    check(
        "participants.ods",
        None,
        r#"
        key: caso
        columns: caso:string ciudad:string edad:number casado:boolean fecha:string grupo:string
        3 C1: casado=true ciudad="Quito" edad=40 fecha="2021-06-01" grupo="A"
        4 C2: casado=false ciudad="Cuenca" edad=35 fecha="2021-06-02" grupo="B"
        "#,
    );
}

#[test]
fn xls() {
    check(
        "participants.xls",
        None,
        r#"
        key: interview_id
        columns: interview_id:string region:string age:number date:string
        2 INT-1: age=70 date="1998-05-20" region="Andalucía"
        3 INT-2: age=66 date="1998-06-02" region="Galicia"
        "#,
    );
}

#[test]
fn key_named_by_the_caller() {
    let sheet = read("comma.csv", Some("Birthplace"));
    assert_eq!(sheet.table.key, "birthplace");
    assert_eq!(sheet.table.rows[0].id, "Oaxaca, México");
    assert!(sheet.table.rows[0].attributes.contains_key("id"));
    // Separators and case do not matter.
    assert_eq!(
        read("duplicates.csv", Some("Participant ID")).table.key,
        "participant_id"
    );
    // An empty name means "choose".
    assert_eq!(read("comma.csv", Some(" ")).table.key, "id");
}

#[test]
fn unknown_key_lists_the_columns() {
    let e =
        read_metadata(&fixture("participants.xlsx"), Some("interview"), &options()).unwrap_err();
    assert!(
        e.to_string().ends_with(
            "participants.xlsx: no column named \"interview\"; columns are: ID, Country, Age, Consented, Interviewed, Code, Ratio, Notes"
        ),
        "{e}"
    );
}

/// A sheet from text, under `name`.
fn from_text(name: &str, text: &str) -> Sheet {
    super::read_metadata_bytes(Path::new(name), text.as_bytes(), None, &options())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn header_names() {
    let sheet = from_text(
        "h.csv",
        "id,Name,name,,\"  Long \n header \",name_2\n1,a,b,c,d,e\n",
    );
    let names: Vec<&str> = sheet
        .table
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "id",
            "Name",
            "name_2",
            "column_4",
            "Long header",
            "name_2_2"
        ]
    );
    assert_eq!(
        sheet.warnings,
        [
            "h.csv:1: columns 2 and 3 are both named \"name\"; column 3 is named \"name_2\"",
            "h.csv:1: column 4 has no header; named \"column_4\"",
            "h.csv:1: columns 3 and 6 are both named \"name_2\"; column 6 is named \"name_2_2\"",
        ]
    );
}

#[test]
fn column_types() {
    let sheet = from_text(
        "t.csv",
        "id,flag,yn,num,zeros,mixed,thousands,decimal_comma,big\n\
         1,0,Sí,-1.5,007,12,\"1,000\",\"1,5\",12345678901234567\n\
         2,1,NO,3,12,abc,2000,2,1\n",
    );
    let kinds: Vec<(&str, &str)> = sheet
        .table
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("id", "number"),
            ("flag", "number"),
            ("yn", "boolean"),
            ("num", "number"),
            ("zeros", "string"),
            ("mixed", "string"),
            ("thousands", "string"),
            ("decimal_comma", "string"),
            ("big", "string"),
        ]
    );
    let first = &sheet.table.rows[0].attributes;
    assert_eq!(first["zeros"], AttrValue::Text("007".into()));
    assert_eq!(first["mixed"], AttrValue::Text("12".into()));
    assert_eq!(first["flag"], AttrValue::Number(0.0));
    assert_eq!(first["yn"], AttrValue::Bool(true));
}

#[test]
fn key_falls_back_to_the_first_column() {
    let sheet = from_text("k.csv", "country,age\nChile,3\nPerú,4\n");
    assert_eq!(sheet.table.key, "country");
    assert_eq!(
        sheet.warnings,
        [
            "k.csv: no column is named like an id (id, interview, file, participant, entrevista...); rows join interviews by the first column, \"country\""
        ]
    );
    // A one-column list of ids needs no warning.
    assert!(from_text("ids.csv", "P1\nP2\nP3\n").warnings.is_empty());
}

#[test]
fn warnings_are_capped_per_kind() {
    let mut text = String::from("id,x\n");
    for i in 0..30 {
        let _ = writeln!(text, "P1,{i}");
    }
    let sheet = from_text("many.csv", &text);
    assert_eq!(sheet.table.rows.len(), 1);
    assert_eq!(sheet.warnings.len(), 21);
    assert_eq!(
        sheet.warnings[0],
        "many.csv:3: duplicate id \"P1\" (first on line 2); row skipped"
    );
    assert_eq!(
        sheet.warnings[20],
        "many.csv: 9 more duplicate ids not shown"
    );
}

#[test]
fn unclosed_quote_is_reported() {
    let sheet = from_text("q.csv", "id,notes\nP1,ok\nP2,\"never closed\nP3,x\nP4,y\n");
    assert_eq!(sheet.table.rows.len(), 2);
    assert_eq!(
        sheet.warnings,
        [
            "q.csv:3: a quote opened here is never closed, so the 2 lines after it were read as one cell"
        ]
    );
}

#[test]
fn workbook_named_wrongly_is_read_by_content() {
    let bytes = std::fs::read(fixture("participants.xls")).unwrap();
    let sheet = super::read_metadata_bytes(Path::new("p.xlsx"), &bytes, None, &options()).unwrap();
    assert_eq!(sheet.table.rows.len(), 2);
    assert_eq!(
        sheet.warnings,
        ["p.xlsx: the file is an .xls workbook despite its .xlsx name; read as .xls"]
    );
    let bytes = std::fs::read(fixture("participants.xlsx")).unwrap();
    let sheet = super::read_metadata_bytes(Path::new("p.csv"), &bytes, None, &options()).unwrap();
    assert_eq!(sheet.table.key, "ID");
    assert!(sheet.warnings[0].contains("an .xlsx workbook despite its .csv name"));
}

#[test]
fn bad_files() {
    let o = options();
    assert_eq!(
        error("bogus.xlsx", &o),
        "bogus.xlsx: not a valid .xlsx file (not a zip archive)\nhint: it holds plain text; if it is a CSV export, rename it to .csv"
    );
    assert_eq!(
        error("header-only.csv", &o),
        "header-only.csv:1: no data rows, only a header"
    );
    assert_eq!(error("empty.csv", &o), "empty.csv: empty file");
    assert_eq!(
        error("binary.csv", &o),
        "binary.csv: binary content, not a text file"
    );
    let e = read_metadata(Path::new("notes.txt"), None, &o).unwrap_err();
    assert_eq!(e.to_string(), "notes.txt: unsupported file type `.txt`");
    let e = super::read_metadata_bytes(Path::new("x.xls"), b"", None, &o).unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.xls: not a valid .xls file (the file is empty)"
    );
}

#[test]
fn size_limits() {
    let mut o = options();
    assert!(error("ods-bomb.ods", &o).starts_with(
        "ods-bomb.ods: the workbook would take about 906251 MiB of memory once laid out, past the 256 MiB limit (zip bomb?)\nhint:"
    ));
    assert!(error("far-corner.xls", &o).starts_with(
        "far-corner.xls: the workbook would take about 2304 MiB of memory once laid out, past the 256 MiB limit (a damaged or hostile file?)"
    ));
    o.max_unzipped_bytes = 1024;
    assert!(
        error("participants.xlsx", &o).starts_with(
            "participants.xlsx: the workbook expands past the 0 MiB limit (zip bomb?)"
        ),
    );
    o.max_file_bytes = 100;
    assert!(error("participants.xls", &o).contains("over the 0 MiB limit"));
}

/// Damaged copies of every fixture (bytes changed, files cut short) give
/// errors or tables, never a panic.
#[test]
fn damaged_files_never_panic() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize
    };
    let o = options();
    let dir = fixture("");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| super::is_metadata_file(p))
        .collect();
    names.sort();
    for path in names {
        let original = std::fs::read(&path).unwrap();
        if original.is_empty() {
            continue;
        }
        for round in 0..60 {
            let mut bytes = original.clone();
            if round % 3 == 0 {
                bytes.truncate(next() % bytes.len());
            } else {
                for _ in 0..=next() % 8 {
                    let i = next() % bytes.len();
                    bytes[i] = next() as u8;
                }
            }
            let _ = super::read_metadata_bytes(&path, &bytes, None, &o);
        }
    }
}

/// Real attribute sheets from `../shared/corpora`, when present.
#[test]
#[allow(clippy::print_stderr)]
fn real_sheets() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    if !shared.is_dir() {
        eprintln!("skipped: {} is missing", shared.display());
        return;
    }
    let read = |f: &str| read_metadata(&shared.join(f), None, &options()).unwrap();

    let boder = read("boder-vtt/metadata.csv");
    assert_eq!(boder.table.key, "id");
    assert_eq!(boder.table.rows.len(), 40);
    assert_eq!(boder.table.columns.len(), 8);
    assert!(boder.warnings.is_empty(), "{:?}", boder.warnings);
    assert_eq!(boder.table.rows[0].id, "abraham-kimmelmann");
    assert_eq!(
        boder.table.rows[0].attributes["birthplace"],
        AttrValue::Text("Dąbrowa Górnicza, Poland".into())
    );

    // `;`, CRLF, `null` for missing values.
    let corhoh = read("corhoh-metadata/Cor_META_updated.csv");
    assert_eq!(corhoh.table.key, "Documents ID");
    assert_eq!(corhoh.table.rows.len(), 500);
    assert_eq!(corhoh.table.columns.len(), 15);
    let kind = |name: &str| {
        corhoh
            .table
            .columns
            .iter()
            .find(|c| c.name == name)
            .unwrap()
            .kind
            .clone()
    };
    assert_eq!(kind("DOB"), "number");
    assert_eq!(kind("Imm_Date"), "string"); // one "1950s"
    assert!(!corhoh.table.rows[0].attributes.contains_key("Ghetto")); // null
    assert_eq!(
        corhoh.table.rows[0].attributes["Name"],
        AttrValue::Text("Anatole Gorko".into())
    );
    assert_eq!(corhoh.table.rows[499].line, 501);

    // Quoted fields with commas and newlines; many rows longer than the
    // header (the file's own fault).
    let cordial = read("cordial-es-coded/c-or-dial_metadata.csv");
    assert_eq!(cordial.table.key, "text_id");
    assert_eq!(cordial.table.rows.len(), 239);
    assert!(
        cordial
            .warnings
            .iter()
            .any(|w| w.contains("18 fields where the header has 17"))
    );

    let analysis = read("cordial-es-coded/Analysis.xlsx");
    assert_eq!(analysis.table.key, "mood");
    assert_eq!(analysis.table.columns.len(), 6);
    assert!(
        analysis.warnings[0]
            .starts_with("Analysis.xlsx: 3 sheets hold data; read the first, \"Verbs - Total\"")
    );

    let filters = read("uidaho-oral-history-coded/filters_ctrl.csv");
    assert_eq!(filters.table.key, "shortfilter");
    assert_eq!(filters.table.rows.len(), 16);
    assert!(
        filters
            .warnings
            .contains(&"filters_ctrl.csv:2: 2 fields where the header has 3".to_owned())
    );
}
