//! `voces_export::excerpts` on small hand-made projects: context at the
//! edges of a segment, code selection with and without a codebook, codings
//! the corpus no longer holds, and the details of each format (CSV
//! quoting, XLSX cell limits and crosstab attributes, Markdown escaping).

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use voces_code::{Codebook, Coding};
use voces_corpus::{AttrValue, Column, MetadataTable, Participant, Project, Store};
use voces_export::excerpts::{self, Excerpts, Format, Selection, WriteOptions};

/// A project with these transcripts (`name.txt` → text) and one attribute
/// sheet keyed by interview id.
fn project(
    files: &[(&str, &str)],
    sheet: &[(&str, &[(&str, AttrValue)])],
) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path()).unwrap();
    let store = project.store();
    let options =
        voces_ingest::ReadOptions::new(&project.config().project, &project.config().ingest)
            .unwrap();
    for (name, text) in files {
        let interview = voces_ingest::ingest_bytes(
            Path::new(&format!("{name}.txt")),
            text.as_bytes(),
            &options,
        )
        .unwrap();
        store.put_interview(&interview).unwrap();
    }
    let mut columns: Vec<Column> = vec![Column {
        name: "id".into(),
        kind: "string".into(),
    }];
    let rows: Vec<Participant> = sheet
        .iter()
        .enumerate()
        .map(|(i, (id, attrs))| {
            for (k, v) in *attrs {
                if !columns.iter().any(|c| c.name == *k) {
                    columns.push(Column {
                        name: (*k).to_owned(),
                        kind: v.type_name().to_owned(),
                    });
                }
            }
            Participant {
                id: (*id).to_owned(),
                line: i + 2,
                attributes: attrs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.clone()))
                    .collect(),
            }
        })
        .collect();
    if !rows.is_empty() {
        store
            .put_metadata(&MetadataTable {
                format: 1,
                name: "sheet.csv".into(),
                path: "/sheet.csv".into(),
                sha256: String::new(),
                key: "id".into(),
                columns,
                rows,
            })
            .unwrap();
    }
    (dir, store)
}

/// A coding of `quote` (found in segment `n`, from 1) of an interview.
fn coding(store: &Store, interview: &str, n: usize, quote: &str, code: &str) -> Coding {
    let i = store.interview(interview).unwrap();
    let segment = &i.segments[n - 1];
    let byte = segment
        .text
        .find(quote)
        .unwrap_or_else(|| panic!("{quote:?} not in {:?}", segment.text));
    let start = segment.start + segment.text[..byte].chars().count();
    Coding {
        interview: interview.to_owned(),
        segment: segment.id.clone(),
        start,
        end: start + quote.chars().count(),
        code: code.to_owned(),
        coder: "ana".to_owned(),
        rule: None,
        codebook: None,
        matched: Vec::new(),
        quote: quote.to_owned(),
    }
}

fn collect(
    store: &Store,
    codings: Vec<Coding>,
    book: Option<&Codebook>,
    selection: &Selection,
) -> Excerpts {
    excerpts::collect(
        store,
        &store.attributes().unwrap(),
        codings,
        book,
        selection,
        &mut |_, _| {},
    )
    .unwrap()
}

fn render(found: &Excerpts, format: Format, options: &WriteOptions<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    excerpts::write(found, format, options, &mut out).unwrap();
    out
}

const CROSSING: &str = "Entrevistador: ¿Y cómo cruzaron la frontera?\n\
    Participante: ¿Cómo cruzamos? Pagamos al coyote cien dólares, y luego caminamos dos días.\n";

#[test]
fn context_counts_words_and_stops_at_the_segment() {
    let (_dir, store) = project(&[("cruce", CROSSING)], &[]);
    let c = coding(&store, "cruce", 2, "Pagamos al coyote", "smuggling");
    let with = |n: usize| {
        let found = collect(
            &store,
            vec![c.clone()],
            None,
            &Selection {
                context: n,
                ..Selection::default()
            },
        );
        let r = &found.rows[0];
        (r.before.clone(), r.after.clone())
    };
    assert_eq!(with(0), (String::new(), String::new()));
    assert_eq!(with(1), ("cruzamos? ".to_owned(), " cien".to_owned()));
    assert_eq!(
        with(3),
        ("¿Cómo cruzamos? ".to_owned(), " cien dólares, y".to_owned())
    );
    // More words than the segment has: up to its edges, punctuation kept,
    // never into the interviewer's turn.
    assert_eq!(
        with(50),
        (
            "¿Cómo cruzamos? ".to_owned(),
            " cien dólares, y luego caminamos dos días.".to_owned()
        )
    );
}

#[test]
fn codes_take_sub_codes_from_the_codebook_only() {
    let (_dir, store) = project(&[("cruce", CROSSING)], &[]);
    let codings = vec![
        coding(&store, "cruce", 2, "Pagamos al coyote", "smuggling.payment"),
        coding(&store, "cruce", 2, "caminamos dos días", "routes"),
        coding(&store, "cruce", 1, "la frontera", "smuggling"),
    ];
    let book = Codebook::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/excerpts/codebook.toml"),
        &[],
    )
    .unwrap();
    let only = |codes: &[&str], book: Option<&Codebook>| -> Vec<String> {
        let selection = Selection {
            codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            ..Selection::default()
        };
        collect(&store, codings.clone(), book, &selection)
            .rows
            .into_iter()
            .map(|r| r.code)
            .collect()
    };
    assert_eq!(
        only(&["smuggling"], Some(&book)),
        ["smuggling", "smuggling.payment"]
    );
    assert_eq!(only(&["smuggling"], None), ["smuggling"]);
    assert_eq!(only(&["routes"], Some(&book)), ["routes"]);
    assert_eq!(only(&[], None).len(), 3);

    let found = collect(&store, codings.clone(), Some(&book), &Selection::default());
    let payment = found
        .rows
        .iter()
        .find(|r| r.code == "smuggling.payment")
        .unwrap();
    // Labels in the codebook's first language.
    assert_eq!(payment.code_path, "Tráfico > Pagos");
    assert_eq!(payment.theme, "smuggling");
    let routes = found.rows.iter().find(|r| r.code == "routes").unwrap();
    assert_eq!(
        (routes.code_path.as_str(), routes.theme.as_str()),
        ("routes", "routes")
    );
    assert_eq!(found.rows[0].speaker.as_deref(), Some("Entrevistador"));
    assert_eq!(found.rows[0].role.as_str(), "interviewer");
}

#[test]
fn codings_the_corpus_no_longer_holds_are_counted() {
    let (_dir, store) = project(&[("cruce", CROSSING)], &[]);
    let kept = coding(&store, "cruce", 2, "Pagamos al coyote", "smuggling");
    let mut gone = kept.clone();
    gone.interview = "borrada".into();
    gone.segment = "borrada#2".into();
    let mut outside = kept.clone();
    outside.start = 10_000;
    outside.end = 10_010;
    outside.segment = "cruce#9".into();
    let mut changed = kept.clone();
    changed.quote = "Pagamos al pollero".into();
    changed.code = "other".into();
    let found = collect(
        &store,
        vec![kept, gone, outside, changed],
        None,
        &Selection {
            context: 2,
            ..Selection::default()
        },
    );
    assert_eq!(found.missing_interviews, ["borrada"]);
    assert_eq!(found.stale, 1);
    assert_eq!(found.changed, 1);
    assert_eq!(found.rows.len(), 2);
    let changed = found.rows.iter().find(|r| r.code == "other").unwrap();
    assert_eq!(
        (changed.before.as_str(), changed.quote.as_str()),
        ("", "Pagamos al pollero")
    );
}

#[test]
fn csv_quotes_fields_and_renames_attributes_named_like_columns() {
    let text = "Entrevistador: ¿Qué le dijeron?\nParticipante: Me dijeron \"no\", así, sin más; y el formulario, en inglés.\n";
    let (_dir, store) = project(
        &[("dicho", text)],
        &[(
            "dicho",
            &[
                ("language", AttrValue::Text("es".into())),
                ("Age", AttrValue::Number(41.0)),
            ],
        )],
    );
    let c = coding(
        &store,
        "dicho",
        2,
        "Me dijeron \"no\", así",
        "exclusion.denial",
    );
    let found = collect(&store, vec![c], None, &Selection::default());
    let plain = String::from_utf8(render(&found, Format::Csv, &WriteOptions::default())).unwrap();
    let mut reader = csv::Reader::from_reader(plain.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        header.iter().skip(15).collect::<Vec<_>>(),
        ["Age", "attr_language"]
    );
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[12], "Me dijeron \"no\", así");
    assert_eq!(&row[15], "41");
    assert_eq!(&row[16], "es");
    assert_eq!(&row[8], "", "no rule for a manual coding");
    let bom = render(
        &found,
        Format::Csv,
        &WriteOptions {
            bom: true,
            ..WriteOptions::default()
        },
    );
    assert_eq!(&bom[..3], b"\xEF\xBB\xBF");
    assert_eq!(&bom[3..], plain.as_bytes());
}

#[test]
fn markdown_escapes_markup_in_quotes() {
    let text = "Entrevistador: ¿Y?\nParticipante: Era *muy* caro, # no sé, _nada_ [sic].\n";
    let (_dir, store) = project(&[("marcas", text)], &[]);
    let c = coding(
        &store,
        "marcas",
        2,
        "Era *muy* caro, # no sé, _nada_ [sic].",
        "cost",
    );
    let found = collect(&store, vec![c], None, &Selection::default());
    let md = String::from_utf8(render(&found, Format::Markdown, &WriteOptions::default())).unwrap();
    assert!(md.contains("\n## cost (`cost`) · 1 excerpt(s)\n"), "{md}");
    assert!(
        md.contains("> Era \\*muy\\* caro, # no sé, \\_nada\\_ \\[sic\\].\n"),
        "{md}"
    );
    assert!(md.contains("— marcas#2 ["), "{md}");
}

fn sheet_rows(bytes: Vec<u8>, name: &str) -> Vec<Vec<Data>> {
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    book.worksheet_range(name)
        .unwrap()
        .rows()
        .map(<[Data]>::to_vec)
        .collect()
}

#[test]
fn xlsx_cuts_what_a_cell_cannot_hold_and_says_so() {
    let long = "palabra ".repeat(5000);
    let text = format!("Entrevistador: ¿Y?\nParticipante: {long}fin.\n");
    let (_dir, store) = project(&[("largo", &text)], &[]);
    let i = store.interview("largo").unwrap();
    let quote = i.segments[1].text.clone();
    let c = coding(&store, "largo", 2, &quote, "long");
    let found = collect(&store, vec![c], None, &Selection::default());
    assert_eq!(found.rows[0].quote.chars().count(), 40_004);
    let rows = sheet_rows(
        render(&found, Format::Xlsx, &WriteOptions::default()),
        "Excerpts",
    );
    let Data::String(cell) = &rows[1][12] else {
        panic!("{:?}", rows[1][12])
    };
    assert_eq!(cell.chars().count(), 32_767);
    assert!(
        cell.ends_with(" … [cut: 40004 characters]"),
        "{}",
        &cell[cell.len() - 40..]
    );
    assert!(cell.starts_with("palabra palabra"));
}

#[test]
fn crosstab_groups_by_attributes_that_group_interviews() {
    let files: Vec<(String, String)> = (1..=6)
        .map(|n| {
            (
                format!("e{n}"),
                format!("Entrevistador: ¿Cruzó?\nParticipante: Sí, con un coyote, la vez {n}.\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let country = |c: &str| AttrValue::Text(c.to_owned());
    let (_dir, store) = project(
        &files,
        &[
            (
                "e1",
                &[
                    ("country", country("Perú")),
                    ("age", AttrValue::Number(30.0)),
                    ("pid", country("P1")),
                ],
            ),
            (
                "e2",
                &[
                    ("country", country("Perú")),
                    ("age", AttrValue::Number(31.0)),
                    ("pid", country("P2")),
                ],
            ),
            (
                "e3",
                &[
                    ("country", country("Chile")),
                    ("age", AttrValue::Number(30.0)),
                    ("pid", country("P3")),
                ],
            ),
            (
                "e4",
                &[
                    ("country", country("Chile")),
                    ("age", AttrValue::Number(40.0)),
                    ("pid", country("P4")),
                ],
            ),
            (
                "e5",
                &[
                    ("country", country("Perú")),
                    ("age", AttrValue::Number(40.0)),
                    ("pid", country("P5")),
                ],
            ),
            (
                "e6",
                &[("age", AttrValue::Number(40.0)), ("pid", country("P6"))],
            ),
        ],
    );
    let codings: Vec<Coding> = (1..=6)
        .flat_map(|n| {
            let id = format!("e{n}");
            [
                coding(&store, &id, 2, "con un coyote", "smuggling"),
                coding(&store, &id, 2, "Sí", "answer"),
            ]
        })
        .collect();
    let found = collect(&store, codings, None, &Selection::default());
    // Numbers and one-value-per-interview attributes are left out.
    let rows = sheet_rows(
        render(&found, Format::Xlsx, &WriteOptions::default()),
        "Crosstab",
    );
    let text = |d: &Data| d.to_string();
    let header: Vec<String> = rows[1].iter().map(text).collect();
    assert_eq!(header, ["code", "label", "all", "Chile", "Perú", "(none)"]);
    assert_eq!(text(&rows[0][3]), "country");
    let by_code: BTreeMap<String, Vec<String>> = rows[2..]
        .iter()
        .filter(|r| !r.is_empty() && !text(&r[0]).is_empty() && r.len() > 3)
        .map(|r| (text(&r[0]), r[2..6].iter().map(text).collect()))
        .collect();
    // Two codes on one segment: one coded segment.
    assert_eq!(by_code["(any code)"], ["6", "2", "3", "1"]);
    assert_eq!(by_code["smuggling"], ["6", "2", "3", "1"]);
    // Asked for by name, any attribute goes.
    let by = ["AGE".to_owned()];
    let rows = sheet_rows(
        render(
            &found,
            Format::Xlsx,
            &WriteOptions {
                crosstab_by: &by,
                redactor: None,
                ..WriteOptions::default()
            },
        ),
        "Crosstab",
    );
    let header: Vec<String> = rows[1].iter().map(text).collect();
    assert_eq!(header, ["code", "label", "all", "30", "31", "40"]);
    let bad = ["nacionalidad".to_owned()];
    let mut out = Vec::new();
    let err = excerpts::write(
        &found,
        Format::Xlsx,
        &WriteOptions {
            crosstab_by: &bad,
            redactor: None,
            ..WriteOptions::default()
        },
        &mut out,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "unknown attribute `nacionalidad` for the crosstab; attributes are: age, country, pid"
    );
}

#[test]
fn formats_from_file_names() {
    for (name, format) in [
        ("a.csv", Some(Format::Csv)),
        ("a.XLSX", Some(Format::Xlsx)),
        ("a.jsonl", Some(Format::Jsonl)),
        ("a.ndjson", Some(Format::Jsonl)),
        ("a.md", Some(Format::Markdown)),
        ("a.txt", None),
        ("a", None),
    ] {
        assert_eq!(Format::from_path(Path::new(name)), format, "{name}");
    }
}
